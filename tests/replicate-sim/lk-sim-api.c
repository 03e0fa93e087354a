/* lk-sim-api.c: the Replicate HTTP API under /v1, on the simulator's state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-api"

#include <string.h>

#include "lk-sim-private.h"

#define MAX_WAIT_SECONDS 60
#define MIN_CANCEL_AFTER_SECONDS 5

typedef void (*RouteFunc) (LkSim          *self,
                           LkSimExchange  *exchange,
                           char          **parts,
                           GHashTable     *query);

/* The members each create request may carry; Replicate refuses others. */
static const char * const official_members[] = {
  "input", "webhook", "webhook_events_filter", "stream", NULL,
};

static const char * const version_members[] = {
  "input", "version", "webhook", "webhook_events_filter", "stream", NULL,
};

static const char * const training_members[] = {
  "input", "destination", "webhook", "webhook_events_filter", NULL,
};

static void
respond_not_found (LkSimExchange *exchange)
{
  lk_sim_exchange_respond_problem (exchange, 404, "Not found", "The requested resource could not be found.");
}

static void
respond_invalid_field (LkSimExchange *exchange,
                       const char    *type,
                       const char    *field,
                       const char    *description)
{
  g_autoptr(JsonArray) invalid = json_array_new ();

  lk_sim_invalid_fields_add (invalid, type, field, description);
  lk_sim_exchange_respond_invalid (exchange, invalid);
}

static JsonNode *
read_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

/* The request body as a JSON object, or NULL after answering 400. */
static JsonObject *
read_object (LkSimExchange *exchange,
             JsonNode     **root)
{
  *root = read_body (lk_sim_exchange_get_message (exchange));
  if (*root == NULL || !JSON_NODE_HOLDS_OBJECT (*root))
    {
      lk_sim_exchange_respond_problem (exchange, 400, "Bad Request",
                                       "The request body must be a JSON object.");
      return NULL;
    }

  return json_node_get_object (*root);
}

static gboolean
check_members (LkSimExchange       *exchange,
               JsonObject          *body,
               const char * const  *allowed)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *description = g_strdup_printf ("Additional property %s is not allowed", name);

          respond_invalid_field (exchange, "additional_property_not_allowed", "(root)", description);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_authorized (LkSim             *self,
               SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  /* Replicate takes the older "Token" scheme as well as "Bearer". */
  if (header == NULL)
    return FALSE;
  if (g_str_has_prefix (header, "Bearer "))
    return g_str_equal (header + strlen ("Bearer "), self->token);
  if (g_str_has_prefix (header, "Token "))
    return g_str_equal (header + strlen ("Token "), self->token);

  return FALSE;
}

/* The N of `Prefer: wait=N` (60 for a bare `wait`), or 0. */
static guint
prefer_wait_seconds (SoupServerMessage *msg)
{
  const char *prefer = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "Prefer");
  g_auto(GStrv) preferences = NULL;

  if (prefer == NULL)
    return 0;

  preferences = g_strsplit (prefer, ",", -1);
  for (guint i = 0; preferences[i] != NULL; i++)
    {
      const char *preference = g_strstrip (preferences[i]);
      guint64 seconds;

      if (g_str_equal (preference, "wait"))
        return MAX_WAIT_SECONDS;
      if (g_str_has_prefix (preference, "wait=")
          && g_ascii_string_to_unsigned (preference + strlen ("wait="), 10, 1, G_MAXUINT, &seconds, NULL))
        return MIN (seconds, MAX_WAIT_SECONDS);
    }

  return 0;
}

/* A Go-style duration ("5m", "1h30m", "90s", "500ms") or plain seconds. */
static gboolean
parse_duration (const char *text,
                double     *seconds)
{
  const char *p = text;
  double total = 0;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, NULL, NULL))
    {
      *seconds = g_ascii_strtod (text, NULL);
      return TRUE;
    }

  while (*p != '\0')
    {
      char *end;
      double value = g_ascii_strtod (p, &end);

      if (end == p || value < 0)
        return FALSE;
      p = end;

      if (g_str_has_prefix (p, "ms"))
        total += value / 1000, p += 2;
      else if (*p == 'h')
        total += value * 3600, p++;
      else if (*p == 'm')
        total += value * 60, p++;
      else if (*p == 's')
        total += value, p++;
      else
        return FALSE;
    }

  *seconds = total;
  return p != text;
}

static void
get_account (LkSim          *self,
             LkSimExchange  *exchange,
             char          **parts,
             GHashTable     *query)
{
  g_autoptr(JsonObject) account = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (account, "type", "user");
  json_object_set_string_member (account, "username", LK_SIM_USERNAME);
  json_object_set_string_member (account, "name", "Likeness Simulator");
  json_object_set_string_member (account, "github_url", "https://github.com/" LK_SIM_USERNAME);
  node = json_node_init_object (json_node_alloc (), account);

  lk_sim_exchange_respond (exchange, 200, node);
}

static const char *
required_string (LkSimExchange *exchange,
                 JsonObject    *body,
                 const char    *member)
{
  JsonNode *node = json_object_get_member (body, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *description = g_strdup_printf ("%s is required and must be a string", member);

      respond_invalid_field (exchange, "required", member, description);
      return NULL;
    }

  return json_node_get_string (node);
}

static void
create_model (LkSim          *self,
              LkSimExchange  *exchange,
              char          **parts,
              GHashTable     *query)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *full_name = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = read_object (exchange, &root);
  const char *owner, *name, *visibility, *hardware;
  LkSimModel *model;

  if (body == NULL
      || (owner = required_string (exchange, body, "owner")) == NULL
      || (name = required_string (exchange, body, "name")) == NULL
      || (visibility = required_string (exchange, body, "visibility")) == NULL
      || (hardware = required_string (exchange, body, "hardware")) == NULL)
    return;

  if (!g_str_equal (visibility, "public") && !g_str_equal (visibility, "private"))
    {
      respond_invalid_field (exchange, "enum", "visibility", "visibility must be one of the following: \"public\", \"private\"");
      return;
    }

  if (!g_str_equal (owner, LK_SIM_USERNAME))
    {
      lk_sim_exchange_respond_problem (exchange, 403, "Forbidden",
                                       "You can only create models under your own account, " LK_SIM_USERNAME ".");
      return;
    }

  full_name = g_strdup_printf ("%s/%s", owner, name);
  if (lk_sim_catalog_lookup (self->catalog, full_name) != NULL)
    {
      lk_sim_exchange_respond_problem (exchange, 409, "Conflict", "A model with that name already exists.");
      return;
    }

  model = lk_sim_catalog_add_model (self->catalog, owner, name,
                                    json_object_get_string_member_with_default (body, "description", NULL),
                                    visibility, hardware);
  node = lk_sim_model_to_json (model);
  lk_sim_exchange_respond (exchange, 201, node);
}

static LkSimModel *
lookup_model (LkSim          *self,
              LkSimExchange  *exchange,
              char          **parts)
{
  g_autofree char *full_name = g_strdup_printf ("%s/%s", parts[1], parts[2]);
  LkSimModel *model = lk_sim_catalog_lookup (self->catalog, full_name);

  if (model == NULL)
    respond_not_found (exchange);

  return model;
}

static void
get_model (LkSim          *self,
           LkSimExchange  *exchange,
           char          **parts,
           GHashTable     *query)
{
  LkSimModel *model = lookup_model (self, exchange, parts);
  g_autoptr(JsonNode) node = NULL;

  if (model == NULL)
    return;

  node = lk_sim_model_to_json (model);
  lk_sim_exchange_respond (exchange, 200, node);
}

/* Answers a page of a paginated list: {results, next, previous}. */
static void
respond_page (LkSimExchange *exchange,
              JsonArray     *results,
              const char    *next)
{
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_array_member (page, "results", json_array_ref (results));
  if (next != NULL)
    json_object_set_string_member (page, "next", next);
  else
    json_object_set_null_member (page, "next");
  json_object_set_null_member (page, "previous");

  node = json_node_init_object (json_node_alloc (), page);
  lk_sim_exchange_respond (exchange, 200, node);
}

static void
list_versions (LkSim          *self,
               LkSimExchange  *exchange,
               char          **parts,
               GHashTable     *query)
{
  LkSimModel *model = lookup_model (self, exchange, parts);
  g_autoptr(JsonArray) results = json_array_new ();

  if (model == NULL)
    return;

  for (guint i = model->versions->len; i > 0; i--)
    json_array_add_element (results, lk_sim_version_to_json (g_ptr_array_index (model->versions, i - 1)));

  respond_page (exchange, results, NULL);
}

/* The version of "models/OWNER/NAME/versions/ID...", or NULL after a 404. */
static LkSimVersion *
lookup_version (LkSim          *self,
                LkSimExchange  *exchange,
                char          **parts,
                LkSimModel    **model)
{
  LkSimVersion *version;

  *model = lookup_model (self, exchange, parts);
  if (*model == NULL)
    return NULL;

  version = lk_sim_model_find_version (*model, parts[4]);
  if (version == NULL)
    respond_not_found (exchange);

  return version;
}

static void
get_version (LkSim          *self,
             LkSimExchange  *exchange,
             char          **parts,
             GHashTable     *query)
{
  LkSimModel *model;
  LkSimVersion *version = lookup_version (self, exchange, parts, &model);
  g_autoptr(JsonNode) node = NULL;

  if (version == NULL)
    return;

  node = lk_sim_version_to_json (version);
  lk_sim_exchange_respond (exchange, 200, node);
}

/* Replicate deletes a version only of a private model the account owns
 * (it also refuses versions others ran or a training or deployment uses,
 * which cannot happen here: the simulator has one account and no
 * deployments). Predictions that named the version stay, as the
 * simulator's record of what was run. */
static void
delete_version (LkSim          *self,
                LkSimExchange  *exchange,
                char          **parts,
                GHashTable     *query)
{
  LkSimModel *model = lookup_model (self, exchange, parts);
  LkSimVersion *version;

  if (model == NULL)
    return;

  if (!g_str_equal (model->owner, LK_SIM_USERNAME))
    {
      lk_sim_exchange_respond_problem (exchange, 403, "Forbidden",
                                       "You can only delete versions from models you own.");
      return;
    }

  if (!g_str_equal (model->visibility, "private"))
    {
      lk_sim_exchange_respond_problem (exchange, 403, "Forbidden",
                                       "You can only delete versions from private models.");
      return;
    }

  version = lk_sim_model_find_version (model, parts[4]);
  if (version == NULL)
    {
      respond_not_found (exchange);
      return;
    }

  g_ptr_array_remove (model->versions, version);
  lk_sim_exchange_respond (exchange, 202, NULL);
}

static gboolean
set_deadline (LkSimExchange *exchange,
              LkSimJob      *job)
{
  SoupServerMessage *msg = lk_sim_exchange_get_message (exchange);
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cancel-After");
  double seconds;

  if (header == NULL)
    return TRUE;

  if (!parse_duration (header, &seconds) || seconds < MIN_CANCEL_AFTER_SECONDS)
    {
      lk_sim_exchange_respond_problem (exchange, 400, "Invalid Cancel-After",
                                       "Cancel-After must be a duration of at least 5 seconds, such as “5m” or “30s”.");
      return FALSE;
    }

  job->deadline_us = job->created_us + seconds * job->scale * G_USEC_PER_SEC;
  job->deadline = g_date_time_add_seconds (job->created_at, seconds * job->scale);

  return TRUE;
}

/* Replicate downloads input files when the run starts; one that points at
 * a file deleted from (or never uploaded to) this server fails the run,
 * as a dead link does there. Returns the first such URL. */
static const char *
find_missing_file (LkSim    *self,
                   JsonNode *input)
{
  g_autofree char *files_url = g_strdup_printf ("%s/files/", self->base_url);
  JsonObjectIter iter;
  JsonNode *value;

  json_object_iter_init (&iter, json_node_get_object (input));
  while (json_object_iter_next (&iter, NULL, &value))
    {
      const char *url;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;

      url = json_node_get_string (value);
      if (g_str_has_prefix (url, files_url) && !g_hash_table_contains (self->files, url + strlen (files_url)))
        return url;
    }

  return NULL;
}

/* Validates the input and creates the job; answers the request unless it
 * returns a job the caller must answer for. */
static LkSimJob *
create_job (LkSim         *self,
            LkSimExchange *exchange,
            LkSimJobKind   kind,
            LkSimModel    *model,
            LkSimVersion  *version,
            const char    *version_label,
            JsonObject    *body)
{
  JsonNode *input = json_object_get_member (body, "input");
  g_autoptr(JsonArray) invalid = NULL;
  const char *missing;
  LkSimJob *job;

  if (input == NULL)
    {
      respond_invalid_field (exchange, "required", "(root)", "input is required");
      return NULL;
    }

  invalid = lk_sim_schema_validate (version->input, model->constraints, input);
  if (json_array_get_length (invalid) > 0)
    {
      lk_sim_exchange_respond_invalid (exchange, invalid);
      return NULL;
    }

  job = lk_sim_job_new (kind, model->full_name, version_label, input, version->input,
                        g_strcmp0 (json_object_get_string_member_with_default (version->output, "type", NULL), "string") == 0,
                        lk_sim_get_duration (self, model, json_node_get_object (input)), self->time_scale);
  job->outcome = lk_sim_exchange_get_outcome (exchange);
  job->fail_error = g_strdup (lk_sim_exchange_get_fail_error (exchange));
  missing = find_missing_file (self, input);
  if (job->outcome == LK_SIM_FAULT_NONE && missing != NULL)
    {
      job->outcome = LK_SIM_FAULT_FAIL;
      job->fail_error = g_strdup_printf ("Failed to download %s: 404 Not Found", missing);
    }

  if (!set_deadline (exchange, job))
    {
      lk_sim_job_free (job);
      return NULL;
    }

  return lk_sim_add_job (self, job);
}

static void
start_prediction (LkSim         *self,
                  LkSimExchange *exchange,
                  LkSimModel    *model,
                  LkSimVersion  *version,
                  const char    *version_label,
                  JsonObject    *body)
{
  LkSimJob *job;

  if (model->trainer)
    {
      g_autofree char *detail = g_strdup_printf ("%s can only be trained: create a training with "
                                                 "POST /v1/models/%s/versions/%s/trainings.",
                                                 model->full_name, model->full_name, version->id);

      lk_sim_exchange_respond_problem (exchange, 422, "Invalid version or not permitted", detail);
      return;
    }

  job = create_job (self, exchange, LK_SIM_JOB_PREDICTION, model, version, version_label, body);
  if (job != NULL)
    lk_sim_exchange_wait_for_job (exchange, job, prefer_wait_seconds (lk_sim_exchange_get_message (exchange)));
}

static void
create_official_prediction (LkSim          *self,
                            LkSimExchange  *exchange,
                            char          **parts,
                            GHashTable     *query)
{
  g_autoptr(JsonNode) root = NULL;
  LkSimModel *model = lookup_model (self, exchange, parts);
  JsonObject *body;

  if (model == NULL)
    return;

  if (!model->official)
    {
      g_autofree char *detail = g_strdup_printf ("%s is not an official model: run it with POST /v1/predictions "
                                                 "and one of its version ids.", model->full_name);

      lk_sim_exchange_respond_problem (exchange, 404, "Not found", detail);
      return;
    }

  body = read_object (exchange, &root);
  if (body == NULL || !check_members (exchange, body, official_members))
    return;

  start_prediction (self, exchange, model, lk_sim_model_get_latest_version (model), "hidden", body);
}

/* Resolves "owner/name:version", "owner/name" (official models) or a bare
 * version id. */
static LkSimModel *
resolve_version (LkSim         *self,
                 const char    *reference,
                 LkSimVersion **version,
                 const char   **label)
{
  const char *colon = strchr (reference, ':');
  LkSimModel *model;

  if (colon != NULL)
    {
      g_autofree char *full_name = g_strndup (reference, colon - reference);

      model = lk_sim_catalog_lookup (self->catalog, full_name);
      *version = model != NULL ? lk_sim_model_find_version (model, colon + 1) : NULL;
      *label = colon + 1;
      return *version != NULL ? model : NULL;
    }

  if (strchr (reference, '/') != NULL)
    {
      model = lk_sim_catalog_lookup (self->catalog, reference);
      if (model == NULL || !model->official)
        return NULL;

      *version = lk_sim_model_get_latest_version (model);
      *label = "hidden";
      return model;
    }

  *label = reference;
  return lk_sim_catalog_find_version (self->catalog, reference, version);
}

static void
create_prediction (LkSim          *self,
                   LkSimExchange  *exchange,
                   char          **parts,
                   GHashTable     *query)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = read_object (exchange, &root);
  LkSimVersion *version = NULL;
  const char *reference;
  const char *label = NULL;
  LkSimModel *model;

  if (body == NULL || !check_members (exchange, body, version_members)
      || (reference = required_string (exchange, body, "version")) == NULL)
    return;

  model = resolve_version (self, reference, &version, &label);
  if (model == NULL)
    {
      lk_sim_exchange_respond_problem (exchange, 422, "Invalid version or not permitted",
                                       "The specified version does not exist (or perhaps you don't have permission to use it?)");
      return;
    }

  start_prediction (self, exchange, model, version, label, body);
}

static LkSimJob *
lookup_job (LkSim         *self,
            LkSimExchange *exchange,
            const char    *id,
            LkSimJobKind   kind)
{
  LkSimJob *job = g_hash_table_lookup (self->jobs, id);

  if (job == NULL || job->kind != kind)
    {
      respond_not_found (exchange);
      return NULL;
    }

  return job;
}

static void
respond_job (LkSim         *self,
             LkSimExchange *exchange,
             LkSimJob      *job)
{
  g_autoptr(JsonNode) node = lk_sim_dup_job_json (self, job);

  lk_sim_exchange_respond (exchange, 200, node);
}

/* Answers with the prediction or training @id, canceled first if asked. */
static void
respond_existing_job (LkSim         *self,
                      LkSimExchange *exchange,
                      const char    *id,
                      LkSimJobKind   kind,
                      gboolean       cancel)
{
  LkSimJob *job = lookup_job (self, exchange, id, kind);

  if (job == NULL)
    return;

  if (cancel)
    lk_sim_job_cancel (job);
  respond_job (self, exchange, job);
}

static void
get_prediction (LkSim          *self,
                LkSimExchange  *exchange,
                char          **parts,
                GHashTable     *query)
{
  respond_existing_job (self, exchange, parts[1], LK_SIM_JOB_PREDICTION, FALSE);
}

static void
cancel_prediction (LkSim          *self,
                   LkSimExchange  *exchange,
                   char          **parts,
                   GHashTable     *query)
{
  respond_existing_job (self, exchange, parts[1], LK_SIM_JOB_PREDICTION, TRUE);
}

static gboolean
parse_time_filter (LkSimExchange  *exchange,
                   GHashTable     *query,
                   const char     *name,
                   GDateTime     **time)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (text == NULL)
    return TRUE;

  *time = g_date_time_new_from_iso8601 (text, NULL);
  if (*time == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s must be an ISO 8601 date-time, such as 2025-01-01T00:00:00Z.", name);

      lk_sim_exchange_respond_problem (exchange, 400, "Bad Request", detail);
      return FALSE;
    }

  return TRUE;
}

static char *
next_page_url (LkSim      *self,
               const char *collection,
               guint64     cursor,
               GHashTable *query)
{
  GString *url = g_string_new (self->base_url);
  static const char * const kept[] = { "created_after", "created_before" };

  g_string_append_printf (url, "/%s?cursor=%" G_GUINT64_FORMAT, collection, cursor);
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      const char *value = query != NULL ? g_hash_table_lookup (query, kept[i]) : NULL;
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;

      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_printf (url, "&%s=%s", kept[i], escaped);
    }

  return g_string_free (url, FALSE);
}

/* Newest first, a page at a time; the cursor is the serial number of the
 * last job on the previous page, so jobs created while a client pages
 * through never shift the pages. Like Replicate, only predictions can be
 * filtered by the time they were created. */
static void
list_jobs (LkSim          *self,
           LkSimExchange  *exchange,
           GPtrArray      *jobs,
           const char     *collection,
           GHashTable     *query)
{
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autofree char *next = NULL;
  const char *cursor_text = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 cursor = G_MAXUINT64;
  guint count = 0;

  if (jobs == self->predictions &&
      (!parse_time_filter (exchange, query, "created_after", &after)
       || !parse_time_filter (exchange, query, "created_before", &before)))
    return;

  if (cursor_text != NULL && !g_ascii_string_to_unsigned (cursor_text, 10, 0, G_MAXUINT64, &cursor, NULL))
    {
      lk_sim_exchange_respond_problem (exchange, 400, "Bad Request", "Invalid cursor.");
      return;
    }

  for (guint i = jobs->len; i > 0; i--)
    {
      LkSimJob *job = g_ptr_array_index (jobs, i - 1);

      if (job->serial >= cursor
          || (after != NULL && g_date_time_compare (job->created_at, after) < 0)
          || (before != NULL && g_date_time_compare (job->created_at, before) >= 0))
        continue;

      if (count == self->page_size)
        {
          next = next_page_url (self, collection, cursor, query);
          break;
        }

      json_array_add_element (results, lk_sim_dup_job_json (self, job));
      cursor = job->serial;
      count++;
    }

  respond_page (exchange, results, next);
}

static void
list_predictions (LkSim          *self,
                  LkSimExchange  *exchange,
                  char          **parts,
                  GHashTable     *query)
{
  list_jobs (self, exchange, self->predictions, "predictions", query);
}

static void
list_trainings (LkSim          *self,
                LkSimExchange  *exchange,
                char          **parts,
                GHashTable     *query)
{
  list_jobs (self, exchange, self->trainings, "trainings", query);
}

static void
create_training (LkSim          *self,
                 LkSimExchange  *exchange,
                 char          **parts,
                 GHashTable     *query)
{
  g_autoptr(JsonNode) root = NULL;
  LkSimModel *model;
  LkSimVersion *version = lookup_version (self, exchange, parts, &model);
  LkSimModel *destination_model;
  const char *destination;
  JsonObject *body;
  LkSimJob *job;

  if (version == NULL)
    return;

  if (!model->trainer)
    {
      g_autofree char *detail = g_strdup_printf ("%s cannot be trained.", model->full_name);

      lk_sim_exchange_respond_problem (exchange, 422, "Invalid version or not permitted", detail);
      return;
    }

  body = read_object (exchange, &root);
  if (body == NULL || !check_members (exchange, body, training_members)
      || (destination = required_string (exchange, body, "destination")) == NULL)
    return;

  /* Only models the account created can receive a training. */
  destination_model = lk_sim_catalog_lookup (self->catalog, destination);
  if (destination_model == NULL || !g_str_equal (destination_model->owner, LK_SIM_USERNAME))
    {
      lk_sim_exchange_respond_problem (exchange, 404, "Not found",
                                       "The specified training destination does not exist");
      return;
    }

  job = create_job (self, exchange, LK_SIM_JOB_TRAINING, model, version, version->id, body);
  if (job == NULL)
    return;

  job->destination = g_strdup (destination);
  lk_sim_exchange_wait_for_job (exchange, job, 0);
}

static void
get_training (LkSim          *self,
              LkSimExchange  *exchange,
              char          **parts,
              GHashTable     *query)
{
  respond_existing_job (self, exchange, parts[1], LK_SIM_JOB_TRAINING, FALSE);
}

static void
cancel_training (LkSim          *self,
                 LkSimExchange  *exchange,
                 char          **parts,
                 GHashTable     *query)
{
  respond_existing_job (self, exchange, parts[1], LK_SIM_JOB_TRAINING, TRUE);
}

static void
respond_file (LkSim         *self,
              LkSimExchange *exchange,
              guint          status,
              LkSimFile     *file)
{
  g_autoptr(JsonNode) node = lk_sim_file_to_json (file, self->base_url);

  lk_sim_exchange_respond (exchange, status, node);
}

static JsonNode *
parse_metadata (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return json_node_init_object (json_node_alloc (), json_object_new ());

  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return g_steal_pointer (&node);
}

static void
create_file (LkSim          *self,
             LkSimExchange  *exchange,
             char          **parts,
             GHashTable     *query)
{
  LkSimUpload *upload = lk_sim_exchange_get_upload (exchange);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  LkSimFile *file;

  if (upload == NULL)
    {
      lk_sim_exchange_respond_problem (exchange, 400, "Bad Request",
                                       "Send the file as multipart/form-data with a “content” part.");
      return;
    }

  if (!lk_sim_upload_finish (upload, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        lk_sim_exchange_respond_problem (exchange, 413, "Request Entity Too Large", error->message);
      else
        lk_sim_exchange_respond_problem (exchange, 400, "Bad Request", error->message);
      return;
    }

  metadata = parse_metadata (lk_sim_upload_get_metadata (upload));
  if (metadata == NULL)
    {
      lk_sim_exchange_respond_problem (exchange, 400, "Bad Request", "metadata must be a JSON object.");
      return;
    }

  file = g_new0 (LkSimFile, 1);
  file->id = lk_sim_new_id ();
  file->filename = g_strdup (lk_sim_upload_get_filename (upload));
  file->content_type = g_strdup (lk_sim_upload_get_content_type (upload));
  file->size = lk_sim_upload_get_size (upload);
  file->sha256 = g_strdup (lk_sim_upload_get_sha256 (upload));
  file->metadata = g_steal_pointer (&metadata);
  file->created_at = g_date_time_new_now_utc ();
  g_hash_table_insert (self->files, file->id, file);

  respond_file (self, exchange, 201, file);
}

static void
get_file (LkSim          *self,
          LkSimExchange  *exchange,
          char          **parts,
          GHashTable     *query)
{
  LkSimFile *file = g_hash_table_lookup (self->files, parts[1]);

  if (file == NULL)
    respond_not_found (exchange);
  else
    respond_file (self, exchange, 200, file);
}

static void
delete_file (LkSim          *self,
             LkSimExchange  *exchange,
             char          **parts,
             GHashTable     *query)
{
  if (!g_hash_table_remove (self->files, parts[1]))
    respond_not_found (exchange);
  else
    lk_sim_exchange_respond (exchange, 204, NULL);
}

static const struct
{
  const char *method;
  const char *pattern;
  RouteFunc   func;
} routes[] = {
  { "GET", "account", get_account },
  { "POST", "models", create_model },
  { "GET", "models/*/*", get_model },
  { "GET", "models/*/*/versions", list_versions },
  { "GET", "models/*/*/versions/*", get_version },
  { "DELETE", "models/*/*/versions/*", delete_version },
  { "POST", "models/*/*/predictions", create_official_prediction },
  { "POST", "models/*/*/versions/*/trainings", create_training },
  { "GET", "predictions", list_predictions },
  { "POST", "predictions", create_prediction },
  { "GET", "predictions/*", get_prediction },
  { "POST", "predictions/*/cancel", cancel_prediction },
  { "GET", "trainings", list_trainings },
  { "GET", "trainings/*", get_training },
  { "POST", "trainings/*/cancel", cancel_training },
  { "POST", "files", create_file },
  { "GET", "files/*", get_file },
  { "DELETE", "files/*", delete_file },
};

static gboolean
pattern_matches (const char  *pattern,
                 char       **parts)
{
  g_auto(GStrv) pieces = g_strsplit (pattern, "/", -1);

  if (g_strv_length (pieces) != g_strv_length (parts))
    return FALSE;

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        return FALSE;
      if (!g_str_equal (pieces[i], "*") && !g_str_equal (pieces[i], parts[i]))
        return FALSE;
    }

  return TRUE;
}

/* The path after /v1/, split, without the empty piece a trailing slash leaves. */
static char **
split_path (const char *path)
{
  g_autofree char *trimmed = g_strdup (path + strlen ("/v1/"));
  gsize length = strlen (trimmed);

  if (length > 0 && trimmed[length - 1] == '/')
    trimmed[length - 1] = '\0';

  return g_strsplit (trimmed, "/", -1);
}

/**
 * lk_sim_api_handle:
 * @path: the request path, starting with /v1/
 *
 * Checks the token, then routes the request to its endpoint, which
 * answers it.
 */
void
lk_sim_api_handle (LkSim         *self,
                   LkSimExchange *exchange,
                   const char    *method,
                   const char    *path,
                   GHashTable    *query)
{
  g_auto(GStrv) parts = split_path (path);
  gboolean path_known = FALSE;

  if (!is_authorized (self, lk_sim_exchange_get_message (exchange)))
    {
      lk_sim_exchange_respond_problem (exchange, 401, "Unauthenticated",
                                       "You did not pass a valid authentication token");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!pattern_matches (routes[i].pattern, parts))
        continue;

      path_known = TRUE;
      if (g_str_equal (routes[i].method, method))
        {
          routes[i].func (self, exchange, parts, query);
          return;
        }
    }

  if (path_known)
    lk_sim_exchange_respond_problem (exchange, 405, "Method Not Allowed",
                                     "This endpoint does not accept that method.");
  else
    respond_not_found (exchange);
}

/**
 * lk_sim_api_request_model:
 * @path: the request path, without the query
 *
 * Finds which model a create request (prediction or training) is for,
 * so fault rules can match on it before the request is processed.
 *
 * Returns: (transfer full) (nullable): "owner/name", or %NULL when the
 *   request creates nothing or names no known model
 */
char *
lk_sim_api_request_model (LkSim             *self,
                          SoupServerMessage *msg,
                          const char        *path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonNode) root = NULL;
  LkSimVersion *version = NULL;
  const char *label = NULL;
  const char *reference;
  LkSimModel *model;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST") || !g_str_has_prefix (path, "/v1/"))
    return NULL;

  parts = split_path (path);
  if (pattern_matches ("models/*/*/predictions", parts)
      || pattern_matches ("models/*/*/versions/*/trainings", parts))
    return g_strdup_printf ("%s/%s", parts[1], parts[2]);

  if (!pattern_matches ("predictions", parts))
    return NULL;

  root = read_body (msg);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  reference = json_object_get_string_member_with_default (json_node_get_object (root), "version", NULL);
  model = reference != NULL ? resolve_version (self, reference, &version, &label) : NULL;

  return model != NULL ? g_strdup (model->full_name) : NULL;
}
