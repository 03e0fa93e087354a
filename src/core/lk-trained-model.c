/* lk-trained-model.c: one model the person trained, as the store
 * remembers it, and how to run it for portraits.
 *
 * A trained model is a snapshot of its row in the store: the store makes
 * a new one each time it is read, so that nothing here changes behind a
 * reader's back. Every training adds a version to one destination model
 * on Replicate; this version, with the trigger word in the prompt, is
 * what the portrait batch runs in place of a catalog model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-trained-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-enums.h"
#include "lk-trained-model.h"

struct _LkTrainedModel
{
  GObject           parent_instance;

  gint64            id;
  char             *name;
  char             *description;
  LkSubjectType     subject_type;
  char             *trigger_word;
  char             *destination;
  char             *version;
  char             *weights_url;
  LkTrainingStatus  status;
  char             *training_id;
  JsonObject       *input;
  gint64            created;
  gint64            last_used;
  char             *thumbnail;
  gint64            job_id;
  gint64            cost;
  double            predict_time;
  char             *error;
};

G_DEFINE_FINAL_TYPE (LkTrainedModel, lk_trained_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SUBJECT_TYPE,
  PROP_TRIGGER_WORD,
  PROP_DESTINATION,
  PROP_VERSION,
  PROP_WEIGHTS_URL,
  PROP_STATUS,
  PROP_TRAINING_ID,
  PROP_INPUT,
  PROP_CREATED,
  PROP_LAST_USED,
  PROP_THUMBNAIL,
  PROP_JOB_ID,
  PROP_COST,
  PROP_PREDICT_TIME,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lk_trained_model_finalize (GObject *object)
{
  LkTrainedModel *self = LK_TRAINED_MODEL (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->trigger_word);
  g_free (self->destination);
  g_free (self->version);
  g_free (self->weights_url);
  g_free (self->training_id);
  g_clear_pointer (&self->input, json_object_unref);
  g_free (self->thumbnail);
  g_free (self->error);

  G_OBJECT_CLASS (lk_trained_model_parent_class)->finalize (object);
}

/* The string fields, by property, for the accessors below. */
static char **
string_field (LkTrainedModel *self,
              guint           prop_id)
{
  switch (prop_id)
    {
    case PROP_NAME: return &self->name;
    case PROP_DESCRIPTION: return &self->description;
    case PROP_TRIGGER_WORD: return &self->trigger_word;
    case PROP_DESTINATION: return &self->destination;
    case PROP_VERSION: return &self->version;
    case PROP_WEIGHTS_URL: return &self->weights_url;
    case PROP_TRAINING_ID: return &self->training_id;
    case PROP_THUMBNAIL: return &self->thumbnail;
    case PROP_ERROR: return &self->error;
    default: return NULL;
    }
}

static gint64 *
int64_field (LkTrainedModel *self,
             guint           prop_id)
{
  switch (prop_id)
    {
    case PROP_ID: return &self->id;
    case PROP_CREATED: return &self->created;
    case PROP_LAST_USED: return &self->last_used;
    case PROP_JOB_ID: return &self->job_id;
    case PROP_COST: return &self->cost;
    default: return NULL;
    }
}

static void
lk_trained_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkTrainedModel *self = LK_TRAINED_MODEL (object);
  char **string = string_field (self, prop_id);
  gint64 *number = int64_field (self, prop_id);

  if (string != NULL)
    g_value_set_string (value, *string);
  else if (number != NULL)
    g_value_set_int64 (value, *number);
  else if (prop_id == PROP_SUBJECT_TYPE)
    g_value_set_enum (value, self->subject_type);
  else if (prop_id == PROP_STATUS)
    g_value_set_enum (value, self->status);
  else if (prop_id == PROP_INPUT)
    g_value_set_boxed (value, self->input);
  else if (prop_id == PROP_PREDICT_TIME)
    g_value_set_double (value, self->predict_time);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lk_trained_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkTrainedModel *self = LK_TRAINED_MODEL (object);
  char **string = string_field (self, prop_id);
  gint64 *number = int64_field (self, prop_id);

  /* Every property is construct-only: each is set exactly once. */
  if (string != NULL)
    *string = g_value_dup_string (value);
  else if (number != NULL)
    *number = g_value_get_int64 (value);
  else if (prop_id == PROP_SUBJECT_TYPE)
    self->subject_type = g_value_get_enum (value);
  else if (prop_id == PROP_STATUS)
    self->status = g_value_get_enum (value);
  else if (prop_id == PROP_INPUT)
    self->input = g_value_dup_boxed (value);
  else if (prop_id == PROP_PREDICT_TIME)
    self->predict_time = g_value_get_double (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lk_trained_model_constructed (GObject *object)
{
  LkTrainedModel *self = LK_TRAINED_MODEL (object);

  G_OBJECT_CLASS (lk_trained_model_parent_class)->constructed (object);

  if (self->input == NULL)
    self->input = json_object_new ();
}

static void
lk_trained_model_class_init (LkTrainedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lk_trained_model_finalize;
  object_class->constructed = lk_trained_model_constructed;
  object_class->get_property = lk_trained_model_get_property;
  object_class->set_property = lk_trained_model_set_property;

  /** LkTrainedModel:id: the id in the store */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /** LkTrainedModel:name: the name the person gave it */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /** LkTrainedModel:description: what it is for */
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  /** LkTrainedModel:subject-type: what it learned */
  properties[PROP_SUBJECT_TYPE] = g_param_spec_enum ("subject-type", NULL, NULL, LK_TYPE_SUBJECT_TYPE,
                                                     LK_SUBJECT_TYPE_FACE, flags);
  /** LkTrainedModel:trigger-word: the word that calls it up in a prompt */
  properties[PROP_TRIGGER_WORD] = g_param_spec_string ("trigger-word", NULL, NULL, NULL, flags);
  /** LkTrainedModel:destination: the "owner/name" model on Replicate that holds its version */
  properties[PROP_DESTINATION] = g_param_spec_string ("destination", NULL, NULL, NULL, flags);
  /** LkTrainedModel:version: the trained version's id, once it succeeded */
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  /** LkTrainedModel:weights-url: where Replicate keeps the LoRA weights */
  properties[PROP_WEIGHTS_URL] = g_param_spec_string ("weights-url", NULL, NULL, NULL, flags);
  /** LkTrainedModel:status: where its training stands */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LK_TYPE_TRAINING_STATUS,
                                               LK_TRAINING_STATUS_PREPARING, flags);
  /** LkTrainedModel:training-id: the training's id on Replicate, once created */
  properties[PROP_TRAINING_ID] = g_param_spec_string ("training-id", NULL, NULL, NULL, flags);
  /** LkTrainedModel:input: the trainer's input, as sent */
  properties[PROP_INPUT] = g_param_spec_boxed ("input", NULL, NULL, JSON_TYPE_OBJECT, flags);
  /** LkTrainedModel:created: when the training was started, Unix time */
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /** LkTrainedModel:last-used: when it last made a portrait, Unix time, 0 for never */
  properties[PROP_LAST_USED] = g_param_spec_int64 ("last-used", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /** LkTrainedModel:thumbnail: the path of its picture, its first portrait */
  properties[PROP_THUMBNAIL] = g_param_spec_string ("thumbnail", NULL, NULL, NULL, flags);
  /** LkTrainedModel:job-id: the job of the store that paid for it, 0 if none */
  properties[PROP_JOB_ID] = g_param_spec_int64 ("job-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /** LkTrainedModel:cost: what its training and first portrait cost, micro-dollars */
  properties[PROP_COST] = g_param_spec_int64 ("cost", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  /** LkTrainedModel:predict-time: seconds of compute of its training, -1 if unknown */
  properties[PROP_PREDICT_TIME] = g_param_spec_double ("predict-time", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  /** LkTrainedModel:error: why its training failed */
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_trained_model_init (LkTrainedModel *self)
{
  self->predict_time = -1;
}

gint64
lk_trained_model_get_id (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), 0);

  return self->id;
}

const char *
lk_trained_model_get_name (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->name;
}

const char *
lk_trained_model_get_description (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->description;
}

LkSubjectType
lk_trained_model_get_subject_type (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), LK_SUBJECT_TYPE_FACE);

  return self->subject_type;
}

const char *
lk_trained_model_get_trigger_word (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->trigger_word;
}

const char *
lk_trained_model_get_destination (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->destination;
}

/**
 * lk_trained_model_get_version:
 *
 * Returns: (nullable): the 64-character id of the trained version
 */
const char *
lk_trained_model_get_version (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->version;
}

/**
 * lk_trained_model_get_weights_url:
 *
 * Returns: (nullable): the LoRA weights' URL
 */
const char *
lk_trained_model_get_weights_url (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->weights_url;
}

LkTrainingStatus
lk_trained_model_get_status (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), LK_TRAINING_STATUS_FAILED);

  return self->status;
}

/**
 * lk_trained_model_is_under_way:
 *
 * Returns: whether its training has not ended yet
 */
gboolean
lk_trained_model_is_under_way (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), FALSE);

  return lk_training_status_is_under_way (self->status);
}

/**
 * lk_trained_model_get_training_id:
 *
 * Returns: (nullable): the training's id on Replicate
 */
const char *
lk_trained_model_get_training_id (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->training_id;
}

/**
 * lk_trained_model_get_input:
 *
 * Returns: (transfer none): the trainer's input as sent; empty before the
 *   training was created
 */
JsonObject *
lk_trained_model_get_input (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->input;
}

gint64
lk_trained_model_get_created (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), 0);

  return self->created;
}

gint64
lk_trained_model_get_last_used (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), 0);

  return self->last_used;
}

/**
 * lk_trained_model_get_thumbnail:
 *
 * Returns: (nullable): the path of its picture
 */
const char *
lk_trained_model_get_thumbnail (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->thumbnail;
}

gint64
lk_trained_model_get_job_id (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), 0);

  return self->job_id;
}

/**
 * lk_trained_model_get_cost:
 *
 * Returns: what its job actually cost so far (the training and its first
 *   portrait), in micro-dollars
 */
gint64
lk_trained_model_get_cost (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), 0);

  return self->cost;
}

double
lk_trained_model_get_predict_time (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), -1);

  return self->predict_time;
}

/**
 * lk_trained_model_get_error:
 *
 * Returns: (nullable): why its training failed, in plain words
 */
const char *
lk_trained_model_get_error (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  return self->error;
}

/**
 * lk_trained_model_dup_reference:
 *
 * Returns: (transfer full) (nullable): "owner/name:version", what a
 *   prediction of the trained model is created with; %NULL until the
 *   training succeeded
 */
char *
lk_trained_model_dup_reference (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  if (self->status != LK_TRAINING_STATUS_SUCCEEDED || self->version == NULL)
    return NULL;

  return g_strconcat (self->destination, ":", self->version, NULL);
}

/**
 * lk_trained_model_dup_subject:
 *
 * How the subject is named in a prompt so that the model recognises it:
 * “TRIGGER person” for a face, as in “a photo of TRIGGER person”; the
 * trigger word alone for an object; and for a style, “a person in the
 * style of TRIGGER”.
 *
 * Returns: (transfer full): the words that stand for the subject
 */
char *
lk_trained_model_dup_subject (LkTrainedModel *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);

  switch (self->subject_type)
    {
    case LK_SUBJECT_TYPE_FACE:
      return g_strconcat (self->trigger_word, " person", NULL);

    case LK_SUBJECT_TYPE_STYLE:
      return g_strconcat ("a person in the style of ", self->trigger_word, NULL);

    case LK_SUBJECT_TYPE_OBJECT:
      return g_strdup (self->trigger_word);

    default:
      g_assert_not_reached ();
    }
}

/**
 * lk_trained_model_render_prompt:
 * @prompt: a style's prompt template, with %LK_TRAINED_MODEL_SUBJECT
 *   where the subject goes
 *
 * Puts the subject (lk_trained_model_dup_subject()) in place of each
 * `{subject}`; a prompt without one gets “a photo of SUBJECT, ” in front,
 * so that the trigger word is always there.
 *
 * Returns: (transfer full): the prompt to send
 */
char *
lk_trained_model_render_prompt (LkTrainedModel *self,
                                const char     *prompt)
{
  g_autofree char *subject = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  subject = lk_trained_model_dup_subject (self);
  if (strstr (prompt, LK_TRAINED_MODEL_SUBJECT) == NULL)
    return g_strconcat ("a photo of ", subject, ", ", prompt, NULL);

  parts = g_strsplit (prompt, LK_TRAINED_MODEL_SUBJECT, -1);
  return g_strjoinv (subject, parts);
}

/**
 * lk_trained_model_build_input:
 * @runner: the catalog's model of role %LK_MODEL_ROLE_LORA_RUNNER, whose
 *   inputs a trained version takes
 * @prompt: the prompt template
 * @values: (nullable): other values by the app's field names, such as
 *   "aspect_ratio" or "seed"
 *
 * Builds the input of a prediction of the trained version: @runner's
 * field names and preset, and the prompt with the trigger word in it.
 * Run it with lk_trained_model_dup_reference().
 *
 * Returns: (transfer full): the input, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_ARGUMENT) when a value is outside the limits
 */
JsonObject *
lk_trained_model_build_input (LkTrainedModel   *self,
                              LkModel          *runner,
                              LkQualityPreset   preset,
                              const char       *prompt,
                              JsonObject       *values,
                              GError          **error)
{
  g_autoptr(JsonObject) all = json_object_new ();
  g_autofree char *rendered = NULL;

  g_return_val_if_fail (LK_IS_TRAINED_MODEL (self), NULL);
  g_return_val_if_fail (LK_IS_MODEL (runner), NULL);
  g_return_val_if_fail (lk_model_get_role (runner) == LK_MODEL_ROLE_LORA_RUNNER, NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  if (values != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, values);
      while (json_object_iter_next (&iter, &member, &node))
        json_object_set_member (all, member, json_node_copy (node));
    }

  rendered = lk_trained_model_render_prompt (self, prompt);
  json_object_set_string_member (all, "prompt", rendered);

  return lk_model_build_input (runner, preset, all, error);
}

/**
 * lk_training_status_is_under_way:
 *
 * Returns: whether a training with @status has not ended
 */
gboolean
lk_training_status_is_under_way (LkTrainingStatus status)
{
  return status < LK_TRAINING_STATUS_SUCCEEDED;
}

/**
 * lk_training_status_describe:
 *
 * Returns: @status in a word or two, for people
 */
const char *
lk_training_status_describe (LkTrainingStatus status)
{
  switch (status)
    {
    case LK_TRAINING_STATUS_PREPARING:
      return _("Preparing photos");
    case LK_TRAINING_STATUS_UPLOADING:
      return _("Uploading photos");
    case LK_TRAINING_STATUS_CREATING:
      return _("Starting the training");
    case LK_TRAINING_STATUS_STARTING:
      return _("Waiting for a GPU");
    case LK_TRAINING_STATUS_PROCESSING:
      return _("Training");
    case LK_TRAINING_STATUS_SUCCEEDED:
      return _("Ready");
    case LK_TRAINING_STATUS_FAILED:
      return _("Failed");
    case LK_TRAINING_STATUS_CANCELED:
      return _("Canceled");
    case LK_TRAINING_STATUS_ABORTED:
      return _("Stopped by Replicate");
    default:
      g_assert_not_reached ();
    }
}
