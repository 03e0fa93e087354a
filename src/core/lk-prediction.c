/* lk-prediction.c: one Replicate prediction or training, as last seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-prediction"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-client.h"
#include "lk-enums.h"
#include "lk-prediction.h"

struct _LkPrediction
{
  GObject             parent_instance;

  LkPredictionKind    kind;
  char               *id;
  char               *model;
  char               *version;
  LkPredictionStatus  status;
  double              progress;
  char               *logs;
  char               *error;
  GStrv               outputs;
  JsonNode           *output;
  JsonObject         *input;
  double              predict_time;
  GDateTime          *created_at;
  GDateTime          *started_at;
  GDateTime          *completed_at;
  char               *web_url;
};

G_DEFINE_FINAL_TYPE (LkPrediction, lk_prediction, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_ID,
  PROP_MODEL,
  PROP_VERSION,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_LOGS,
  PROP_ERROR,
  PROP_OUTPUTS,
  PROP_PREDICT_TIME,
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_COMPLETED_AT,
  PROP_WEB_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_names[] = {
  [LK_PREDICTION_STATUS_STARTING] = "starting",
  [LK_PREDICTION_STATUS_PROCESSING] = "processing",
  [LK_PREDICTION_STATUS_SUCCEEDED] = "succeeded",
  [LK_PREDICTION_STATUS_FAILED] = "failed",
  [LK_PREDICTION_STATUS_CANCELED] = "canceled",
  [LK_PREDICTION_STATUS_ABORTED] = "aborted",
};

static void
lk_prediction_finalize (GObject *object)
{
  LkPrediction *self = LK_PREDICTION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->logs, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->outputs, g_strfreev);
  g_clear_pointer (&self->output, json_node_unref);
  g_clear_pointer (&self->input, json_object_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->web_url, g_free);

  G_OBJECT_CLASS (lk_prediction_parent_class)->finalize (object);
}

static void
lk_prediction_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkPrediction *self = LK_PREDICTION (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_LOGS:
      g_value_set_string (value, self->logs);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_OUTPUTS:
      g_value_set_boxed (value, self->outputs);
      break;

    case PROP_PREDICT_TIME:
      g_value_set_double (value, self->predict_time);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;

    case PROP_COMPLETED_AT:
      g_value_set_boxed (value, self->completed_at);
      break;

    case PROP_WEB_URL:
      g_value_set_string (value, self->web_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

static GParamSpec *
date_property (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME,
                             (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

static void
lk_prediction_class_init (LkPredictionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_prediction_finalize;
  object_class->get_property = lk_prediction_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       LK_TYPE_PREDICTION_KIND, LK_PREDICTION_KIND_PREDICTION,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_ID] = string_property ("id");
  properties[PROP_MODEL] = string_property ("model");
  properties[PROP_VERSION] = string_property ("version");
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       LK_TYPE_PREDICTION_STATUS, LK_PREDICTION_STATUS_STARTING,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkPrediction:progress:
   *
   * The fraction done, 0 to 1, from the last progress bar in the logs;
   * -1 while the logs have none. 1 once the prediction succeeded.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         -1.0, 1.0, -1.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_LOGS] = string_property ("logs");
  properties[PROP_ERROR] = string_property ("error");

  /**
   * LkPrediction:outputs:
   *
   * The output URLs (https or data:) when the output is a URL or a list
   * of them, as it is for image models; empty otherwise.
   */
  properties[PROP_OUTPUTS] =
    g_param_spec_boxed ("outputs", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkPrediction:predict-time:
   *
   * Seconds of compute Replicate bills for, or -1 before it is known.
   */
  properties[PROP_PREDICT_TIME] =
    g_param_spec_double ("predict-time", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_CREATED_AT] = date_property ("created-at");
  properties[PROP_STARTED_AT] = date_property ("started-at");
  properties[PROP_COMPLETED_AT] = date_property ("completed-at");
  properties[PROP_WEB_URL] = string_property ("web-url");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_prediction_init (LkPrediction *self)
{
  self->progress = -1.0;
  self->predict_time = -1.0;
  self->outputs = g_new0 (char *, 1);
}

static GRegex *
progress_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* tqdm redraws its bar with carriage returns, so they end lines too. */
      GRegex *compiled = g_regex_new ("^\\s*(\\d+)%\\s*\\|.+?\\|\\s*(\\d+)/(\\d+)",
                                      G_REGEX_MULTILINE | G_REGEX_NEWLINE_ANYCRLF | G_REGEX_OPTIMIZE,
                                      0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (&regex, compiled);
    }

  return regex;
}

/**
 * lk_prediction_parse_progress:
 * @logs: (nullable): a prediction's logs
 *
 * Reads the last tqdm progress bar in @logs, such as
 * `  45%|████▌     | 9/20 [00:04<00:05,  2.10it/s]`.
 *
 * Returns: the fraction done (steps done over steps), or -1 without a bar
 */
double
lk_prediction_parse_progress (const char *logs)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  double percent = -1.0;

  if (logs == NULL)
    return -1.0;

  g_regex_match (progress_regex (), logs, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *percent_text = g_match_info_fetch (match, 1);

      g_free (done);
      g_free (total);
      done = g_match_info_fetch (match, 2);
      total = g_match_info_fetch (match, 3);
      percent = g_ascii_strtod (percent_text, NULL);
      g_match_info_next (match, NULL);
    }

  if (done == NULL)
    return -1.0;

  /* The step count is more precise than the rounded percentage; the
   * percentage is the fallback for a bar without a total. */
  if (g_ascii_strtod (total, NULL) > 0)
    return CLAMP (g_ascii_strtod (done, NULL) / g_ascii_strtod (total, NULL), 0.0, 1.0);

  return CLAMP (percent / 100.0, 0.0, 1.0);
}

gboolean
lk_prediction_status_is_terminal (LkPredictionStatus status)
{
  return status == LK_PREDICTION_STATUS_SUCCEEDED ||
         status == LK_PREDICTION_STATUS_FAILED ||
         status == LK_PREDICTION_STATUS_CANCELED ||
         status == LK_PREDICTION_STATUS_ABORTED;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return NULL;
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static double
get_number_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    return json_node_get_double (node);

  return -1.0;
}

static GDateTime *
get_date_member (JsonObject *object,
                 const char *name)
{
  const char *text = get_string_member (object, name);
  g_autoptr(GTimeZone) utc = NULL;

  if (text == NULL)
    return NULL;

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (text, utc);
}

static GStrv
collect_outputs (JsonNode *output)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (output != NULL && JSON_NODE_HOLDS_VALUE (output) && json_node_get_value_type (output) == G_TYPE_STRING)
    {
      g_strv_builder_add (builder, json_node_get_string (output));
    }
  else if (output != NULL && JSON_NODE_HOLDS_ARRAY (output))
    {
      JsonArray *array = json_node_get_array (output);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

static void
set_string (LkPrediction *self,
            char        **field,
            const char   *value,
            guint         prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_double (LkPrediction *self,
            double       *field,
            double        value,
            guint         prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_date (LkPrediction  *self,
          GDateTime    **field,
          GDateTime     *value,
          guint          prop_id)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    {
      g_clear_pointer (&value, g_date_time_unref);
      return;
    }

  g_clear_pointer (field, g_date_time_unref);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
parse_status (JsonObject          *object,
              LkPredictionStatus  *status,
              GError             **error)
{
  const char *text = get_string_member (object, "status");

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_str_equal (text, status_names[i]))
        {
          *status = i;
          return TRUE;
        }
    }

  g_set_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
               _("Replicate reported a prediction in an unknown state (“%s”). Try again later or update Likeness."),
               text != NULL ? text : "");
  return FALSE;
}

/**
 * lk_prediction_update:
 * @object: the prediction as Replicate sent it
 *
 * Takes in a newer state of the same prediction, notifying each property
 * that changed.
 *
 * Returns: %FALSE with %LK_CLIENT_ERROR_PROTOCOL set when @object is not
 *   this prediction or lacks its status; @self is then unchanged
 */
gboolean
lk_prediction_update (LkPrediction  *self,
                      JsonObject    *object,
                      GError       **error)
{
  LkPredictionStatus status;
  const char *id;
  JsonNode *output;
  JsonObject *input;
  JsonObject *urls;
  g_auto(GStrv) outputs = NULL;
  double progress;

  g_return_val_if_fail (LK_IS_PREDICTION (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  id = get_string_member (object, "id");
  if (id == NULL || *id == '\0' || (self->id != NULL && !g_str_equal (id, self->id)))
    {
      g_set_error_literal (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                           _("Replicate sent a prediction without its id. Try again later."));
      return FALSE;
    }

  if (!parse_status (object, &status, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->id, id, PROP_ID);
  set_string (self, &self->model, get_string_member (object, "model"), PROP_MODEL);
  set_string (self, &self->version, get_string_member (object, "version"), PROP_VERSION);
  set_string (self, &self->logs, get_string_member (object, "logs"), PROP_LOGS);
  set_string (self, &self->error, get_string_member (object, "error"), PROP_ERROR);

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  progress = status == LK_PREDICTION_STATUS_SUCCEEDED ? 1.0 : lk_prediction_parse_progress (self->logs);
  set_double (self, &self->progress, progress, PROP_PROGRESS);
  set_double (self, &self->predict_time,
              get_number_member (get_object_member (object, "metrics"), "predict_time"),
              PROP_PREDICT_TIME);

  output = json_object_get_member (object, "output");
  g_clear_pointer (&self->output, json_node_unref);
  self->output = output != NULL ? json_node_copy (output) : NULL;
  outputs = collect_outputs (output);
  if (!g_strv_equal ((const char * const *) outputs, (const char * const *) self->outputs))
    {
      g_strfreev (self->outputs);
      self->outputs = g_steal_pointer (&outputs);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUTS]);
    }

  /* Replicate removes the input of old predictions; keep what we saw. */
  input = get_object_member (object, "input");
  if (input != NULL)
    {
      g_clear_pointer (&self->input, json_object_unref);
      self->input = json_object_ref (input);
    }

  set_date (self, &self->created_at, get_date_member (object, "created_at"), PROP_CREATED_AT);
  set_date (self, &self->started_at, get_date_member (object, "started_at"), PROP_STARTED_AT);
  set_date (self, &self->completed_at, get_date_member (object, "completed_at"), PROP_COMPLETED_AT);

  urls = get_object_member (object, "urls");
  set_string (self, &self->web_url, urls != NULL ? get_string_member (urls, "web") : NULL, PROP_WEB_URL);

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * lk_prediction_new_from_json:
 * @kind: whether @object came from `/predictions` or `/trainings`
 * @object: the prediction as Replicate sent it
 *
 * Returns: (transfer full): a new prediction, or %NULL with
 *   %LK_CLIENT_ERROR_PROTOCOL set when @object lacks an id or status
 */
LkPrediction *
lk_prediction_new_from_json (LkPredictionKind   kind,
                             JsonObject        *object,
                             GError           **error)
{
  g_autoptr(LkPrediction) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (LK_TYPE_PREDICTION, NULL);
  self->kind = kind;

  if (!lk_prediction_update (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}

LkPredictionKind
lk_prediction_get_kind (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), LK_PREDICTION_KIND_PREDICTION);

  return self->kind;
}

const char *
lk_prediction_get_id (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->id;
}

const char *
lk_prediction_get_model (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->model;
}

const char *
lk_prediction_get_version (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->version;
}

LkPredictionStatus
lk_prediction_get_status (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), LK_PREDICTION_STATUS_STARTING);

  return self->status;
}

gboolean
lk_prediction_is_terminal (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), FALSE);

  return lk_prediction_status_is_terminal (self->status);
}

double
lk_prediction_get_progress (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), -1.0);

  return self->progress;
}

const char *
lk_prediction_get_logs (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->logs;
}

const char *
lk_prediction_get_error (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->error;
}

/**
 * lk_prediction_get_outputs:
 *
 * Returns: (transfer none): the output URLs, never %NULL
 */
const char * const *
lk_prediction_get_outputs (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return (const char * const *) self->outputs;
}

/**
 * lk_prediction_get_output:
 *
 * The output as sent, for outputs that are not URLs (a training's
 * `{version, weights}`).
 *
 * Returns: (transfer none) (nullable): the output
 */
JsonNode *
lk_prediction_get_output (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->output;
}

/**
 * lk_prediction_get_input:
 *
 * Returns: (transfer none) (nullable): the input the prediction ran with
 */
JsonObject *
lk_prediction_get_input (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->input;
}

double
lk_prediction_get_predict_time (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), -1.0);

  return self->predict_time;
}

GDateTime *
lk_prediction_get_created_at (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->created_at;
}

GDateTime *
lk_prediction_get_started_at (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->started_at;
}

GDateTime *
lk_prediction_get_completed_at (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->completed_at;
}

const char *
lk_prediction_get_web_url (LkPrediction *self)
{
  g_return_val_if_fail (LK_IS_PREDICTION (self), NULL);

  return self->web_url;
}
