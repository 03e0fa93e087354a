/* lk-sim.c: a Replicate-compatible server for tests, its settings and state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs in a thread of its own with its own GMainContext; every
 * public function may be called from any thread and takes the lock. The
 * fault plan format is described in README.md beside this file.
 */

#define G_LOG_DOMAIN "lk-sim"

#include "lk-sim-private.h"

#define DEFAULT_OUTPUT_LIFETIME 3600.0
#define DEFAULT_PAGE_SIZE 100

typedef struct
{
  LkSimRequest request;
  guint64      serial;
} LogEntry;

G_DEFINE_FINAL_TYPE (LkSim, lk_sim, G_TYPE_OBJECT)

static void
log_entry_free (LogEntry *entry)
{
  g_free (entry->request.method);
  g_free (entry->request.path);
  g_free (entry);
}

void
lk_sim_request_free (LkSimRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request);
}

void
lk_sim_file_free (LkSimFile *file)
{
  g_free (file->id);
  g_free (file->filename);
  g_free (file->content_type);
  g_free (file->sha256);
  g_clear_pointer (&file->metadata, json_node_unref);
  g_clear_pointer (&file->created_at, g_date_time_unref);
  g_free (file);
}

JsonNode *
lk_sim_file_to_json (LkSimFile  *file,
                     const char *base_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) expires = g_date_time_add_days (file->created_at, 1);
  g_autofree char *created_at = g_date_time_format_iso8601 (file->created_at);
  g_autofree char *expires_at = g_date_time_format_iso8601 (expires);
  g_autofree char *get = g_strdup_printf ("%s/files/%s", base_url, file->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, file->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, file->filename);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, file->content_type);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, file->size);
  json_builder_set_member_name (builder, "checksums");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, file->sha256);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, json_node_copy (file->metadata));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_at);
  json_builder_set_member_name (builder, "urls");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "get");
  json_builder_add_string_value (builder, get);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
lk_sim_dispose (GObject *object)
{
  lk_sim_stop (LK_SIM (object));

  G_OBJECT_CLASS (lk_sim_parent_class)->dispose (object);
}

static void
lk_sim_finalize (GObject *object)
{
  LkSim *self = LK_SIM (object);

  g_free (self->token);
  g_hash_table_unref (self->durations);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->base_url);
  g_free (self->root_url);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_clear_pointer (&self->predictions, g_ptr_array_unref);
  g_clear_pointer (&self->trainings, g_ptr_array_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->catalog, lk_sim_catalog_free);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->creates);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->exchanges);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lk_sim_parent_class)->finalize (object);
}

static void
lk_sim_class_init (LkSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_sim_dispose;
  object_class->finalize = lk_sim_finalize;
}

static void
lk_sim_init (LkSim *self)
{
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);

  self->token = g_strdup (LK_SIM_TOKEN);
  self->time_scale = 1.0;
  self->output_lifetime = DEFAULT_OUTPUT_LIFETIME;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->durations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->catalog = lk_sim_catalog_new ();
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lk_sim_job_free);
  self->predictions = g_ptr_array_new ();
  self->trainings = g_ptr_array_new ();
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lk_sim_file_free);
  self->creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sim_fault_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) log_entry_free);
  self->exchanges = g_ptr_array_new ();
}

LkSim *
lk_sim_new (void)
{
  return g_object_new (LK_TYPE_SIM, NULL);
}

static gpointer
serve_thread (gpointer user_data)
{
  LkSim *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean listening;

  g_main_context_push_thread_default (self->context);

  listening = lk_sim_server_listen (self, &error);

  g_mutex_lock (&self->start_mutex);
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (listening)
    g_main_loop_run (self->loop);

  lk_sim_server_shutdown (self);
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * lk_sim_start:
 *
 * Binds 127.0.0.1 (on the port set with lk_sim_set_port(), or a free
 * one) and serves from a new thread. Returns once the server listens.
 *
 * Returns: whether the server is listening
 */
gboolean
lk_sim_start (LkSim   *self,
              GError **error)
{
  g_return_val_if_fail (LK_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);
  g_return_val_if_fail (self->context == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("lk-sim", serve_thread, self);

  g_mutex_lock (&self->start_mutex);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_mutex);
  g_mutex_unlock (&self->start_mutex);

  if (self->start_error != NULL)
    {
      g_clear_pointer (&self->thread, g_thread_join);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

/* Stops serving and waits for the thread. A quit queued on the server's
 * context, unlike g_main_loop_quit(), cannot be lost if the loop has not
 * started running yet. */
void
lk_sim_stop (LkSim *self)
{
  g_autoptr(GSource) source = NULL;

  g_return_if_fail (LK_IS_SIM (self));

  if (self->thread == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, quit_cb, self->loop, NULL);
  g_source_attach (source, self->context);
  g_clear_pointer (&self->thread, g_thread_join);
}

const char *
lk_sim_get_base_url (LkSim *self)
{
  g_return_val_if_fail (LK_IS_SIM (self), NULL);

  return self->base_url;
}

/* The port to bind at lk_sim_start(); 0, the default, picks a free one. */
void
lk_sim_set_port (LkSim *self,
                 guint  port)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (port <= G_MAXUINT16);
  g_return_if_fail (self->thread == NULL);

  self->port = port;
}

void
lk_sim_set_token (LkSim      *self,
                  const char *token)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (token != NULL);

  g_rec_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_rec_mutex_unlock (&self->lock);
}

void
lk_sim_set_time_scale (LkSim  *self,
                       double  scale)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (scale > 0);

  g_rec_mutex_lock (&self->lock);
  self->time_scale = scale;
  g_rec_mutex_unlock (&self->lock);
}

void
lk_sim_set_model_duration (LkSim      *self,
                           const char *model,
                           double      seconds)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (seconds >= 0);

  lk_sim_set_model_duration_range (self, model, seconds, seconds);
}

void
lk_sim_set_model_duration_range (LkSim      *self,
                                 const char *model,
                                 double      min_seconds,
                                 double      max_seconds)
{
  double range[2] = { min_seconds, max_seconds };

  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (min_seconds >= 0 && max_seconds >= min_seconds);

  g_rec_mutex_lock (&self->lock);
  g_hash_table_insert (self->durations, g_strdup (model), g_memdup2 (range, sizeof range));
  g_rec_mutex_unlock (&self->lock);
}

void
lk_sim_set_output_lifetime (LkSim  *self,
                            double  seconds)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (seconds >= 0);

  g_rec_mutex_lock (&self->lock);
  self->output_lifetime = seconds;
  g_rec_mutex_unlock (&self->lock);
}

/* Whether predictions created from now on return their images inline as
 * data: URIs, as Replicate sometimes does, instead of URLs. */
void
lk_sim_set_data_uri_outputs (LkSim    *self,
                             gboolean  data_uri_outputs)
{
  g_return_if_fail (LK_IS_SIM (self));

  g_rec_mutex_lock (&self->lock);
  self->data_uri_outputs = !!data_uri_outputs;
  g_rec_mutex_unlock (&self->lock);
}

/* How many jobs GET /predictions and GET /trainings return per page (default 100,
 * like Replicate); a small page lets a test follow `next`. */
void
lk_sim_set_page_size (LkSim *self,
                      guint  page_size)
{
  g_return_if_fail (LK_IS_SIM (self));
  g_return_if_fail (page_size > 0);

  g_rec_mutex_lock (&self->lock);
  self->page_size = page_size;
  g_rec_mutex_unlock (&self->lock);
}

gboolean
lk_sim_add_faults (LkSim       *self,
                   const char  *json,
                   GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (LK_IS_SIM (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  rules = lk_sim_faults_parse (json, error);
  if (rules == NULL)
    return FALSE;

  g_rec_mutex_lock (&self->lock);
  g_ptr_array_extend_and_steal (self->faults, g_steal_pointer (&rules));
  g_rec_mutex_unlock (&self->lock);

  return TRUE;
}

void
lk_sim_clear_faults (LkSim *self)
{
  g_return_if_fail (LK_IS_SIM (self));

  g_rec_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_rec_mutex_unlock (&self->lock);
}

GPtrArray *
lk_sim_get_requests (LkSim *self)
{
  GPtrArray *requests;

  g_return_val_if_fail (LK_IS_SIM (self), NULL);

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sim_request_free);

  g_rec_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    {
      LogEntry *entry = g_ptr_array_index (self->requests, i);
      LkSimRequest *copy = g_new0 (LkSimRequest, 1);

      copy->method = g_strdup (entry->request.method);
      copy->path = g_strdup (entry->request.path);
      copy->status = entry->request.status;
      copy->time_us = entry->request.time_us;
      g_ptr_array_add (requests, copy);
    }
  g_rec_mutex_unlock (&self->lock);

  return requests;
}

/* Counts logged requests with @method (or any, if %NULL) whose path,
 * query included, starts with @path_prefix (or any, if %NULL). */
guint
lk_sim_count_requests (LkSim      *self,
                       const char *method,
                       const char *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (LK_IS_SIM (self), 0);

  g_rec_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    {
      LogEntry *entry = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (method, entry->request.method))
          && (path_prefix == NULL || g_str_has_prefix (entry->request.path, path_prefix)))
        count++;
    }
  g_rec_mutex_unlock (&self->lock);

  return count;
}

void
lk_sim_clear_requests (LkSim *self)
{
  g_return_if_fail (LK_IS_SIM (self));

  g_rec_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->requests, 0);
  g_rec_mutex_unlock (&self->lock);
}

guint
lk_sim_get_max_creates_per_input (LkSim *self)
{
  GHashTableIter iter;
  gpointer count;
  guint max = 0;

  g_return_val_if_fail (LK_IS_SIM (self), 0);

  g_rec_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->creates);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    max = MAX (max, GPOINTER_TO_UINT (count));
  g_rec_mutex_unlock (&self->lock);

  return max;
}

guint
lk_sim_get_prediction_count (LkSim *self)
{
  guint count;

  g_return_val_if_fail (LK_IS_SIM (self), 0);

  g_rec_mutex_lock (&self->lock);
  count = self->predictions->len;
  g_rec_mutex_unlock (&self->lock);

  return count;
}

/**
 * lk_sim_dup_prediction:
 * @id: a prediction's or a training's id
 *
 * Returns: (transfer full) (nullable): a copy, safe to keep in any thread,
 *   of the object GET /predictions/{id} (or /trainings/{id}) would return
 */
JsonObject *
lk_sim_dup_prediction (LkSim      *self,
                       const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  LkSimJob *job;

  g_return_val_if_fail (LK_IS_SIM (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  g_rec_mutex_lock (&self->lock);
  job = g_hash_table_lookup (self->jobs, id);
  if (job != NULL)
    {
      g_autoptr(JsonNode) json = lk_sim_dup_job_json (self, job);

      text = json_to_string (json, FALSE);
    }
  g_rec_mutex_unlock (&self->lock);

  if (text == NULL)
    return NULL;

  /* A round trip through text shares nothing with the server's thread. */
  node = json_from_string (text, NULL);
  return json_object_ref (json_node_get_object (node));
}

/**
 * lk_sim_add_trained_version:
 * @model: "likeness-sim/NAME"
 *
 * Gives @model a trained version, as a training into it would, making
 * the model (private) first if it does not exist. For tests that need a
 * trained version without playing a training through.
 *
 * Returns: (transfer full): the new version's id
 */
char *
lk_sim_add_trained_version (LkSim      *self,
                            const char *model)
{
  g_auto(GStrv) parts = NULL;
  LkSimModel *destination;
  char *id;

  g_return_val_if_fail (LK_IS_SIM (self), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  parts = g_strsplit (model, "/", 2);
  g_return_val_if_fail (g_strv_length (parts) == 2 && g_str_equal (parts[0], LK_SIM_USERNAME), NULL);

  g_rec_mutex_lock (&self->lock);
  destination = lk_sim_catalog_lookup (self->catalog, model);
  if (destination == NULL)
    destination = lk_sim_catalog_add_model (self->catalog, parts[0], parts[1], NULL, "private", "gpu-h100");
  id = g_strdup (lk_sim_catalog_add_trained_version (self->catalog, destination)->id);
  g_rec_mutex_unlock (&self->lock);

  return id;
}

/* Private: called with the lock held, from the server thread. */

char *
lk_sim_new_id (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  char id[27];

  for (guint i = 0; i < 26; i++)
    id[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  id[26] = '\0';

  return g_strdup (id);
}

gint64
lk_sim_get_lifetime_us (LkSim *self)
{
  return self->output_lifetime * self->time_scale * G_USEC_PER_SEC;
}

double
lk_sim_get_duration (LkSim      *self,
                     LkSimModel *model,
                     JsonObject *input)
{
  double *range = g_hash_table_lookup (self->durations, model->full_name);
  JsonNode *seed = input != NULL ? json_object_get_member (input, "seed") : NULL;
  double share = 0.5;

  if (range == NULL)
    return model->duration;

  /* Knuth's multiplicative hash spreads consecutive seeds over the range. */
  if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed) && json_node_get_value_type (seed) == G_TYPE_INT64)
    share = (guint32) ((guint32) json_node_get_int (seed) * 2654435761u) / 4294967296.0;

  return range[0] + share * (range[1] - range[0]);
}

JsonNode *
lk_sim_dup_job_json (LkSim    *self,
                     LkSimJob *job)
{
  return lk_sim_job_to_json (job, self->base_url, lk_sim_get_lifetime_us (self));
}

static void
complete_training (LkSim    *self,
                   LkSimJob *job)
{
  LkSimModel *destination = lk_sim_catalog_lookup (self->catalog, job->destination);
  LkSimVersion *version = lk_sim_catalog_add_trained_version (self->catalog, destination);
  g_autofree char *reference = g_strdup_printf ("%s:%s", destination->full_name, version->id);
  g_autofree char *weights = g_strdup_printf ("%s%s-weights.tar", job->outputs_url, job->id);
  JsonObject *output = json_object_new ();

  json_object_set_string_member (output, "version", reference);
  json_object_set_string_member (output, "weights", weights);
  job->output = json_node_init_object (json_node_alloc (), output);
  json_object_unref (output);
}

static void
job_finished_cb (LkSimJob *job,
                 gpointer  user_data)
{
  LkSim *self = user_data;

  if (job->kind == LK_SIM_JOB_TRAINING && job->status == LK_SIM_STATUS_SUCCEEDED)
    complete_training (self, job);

  lk_sim_server_answer_waiters (self, job);
}

/**
 * lk_sim_add_job:
 * @job: (transfer full): a new prediction or training
 *
 * Records @job, counts its input for lk_sim_get_max_creates_per_input()
 * and starts its timeline on the server's context.
 *
 * Returns: (transfer none): @job
 */
LkSimJob *
lk_sim_add_job (LkSim    *self,
                LkSimJob *job)
{
  g_autofree char *input = lk_sim_json_canonical (job->input);
  char *key = g_strdup_printf ("%s\n%s", job->model, input);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->creates, key));

  g_hash_table_replace (self->creates, key, GUINT_TO_POINTER (count + 1));

  job->serial = ++self->next_serial;
  job->lock = &self->lock;
  job->finished = job_finished_cb;
  job->finished_data = self;
  job->outputs_url = g_strdup_printf ("%s/_sim/outputs/", self->root_url);
  job->data_uri_outputs = self->data_uri_outputs && job->kind == LK_SIM_JOB_PREDICTION;

  g_hash_table_insert (self->jobs, job->id, job);
  g_ptr_array_add (job->kind == LK_SIM_JOB_PREDICTION ? self->predictions : self->trainings, job);

  lk_sim_job_start (job, self->context);

  return job;
}

guint64
lk_sim_log_request (LkSim      *self,
                    const char *method,
                    const char *path)
{
  LogEntry *entry = g_new0 (LogEntry, 1);

  entry->serial = ++self->next_serial;
  entry->request.method = g_strdup (method);
  entry->request.path = g_strdup (path);
  entry->request.time_us = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, entry);

  return entry->serial;
}

void
lk_sim_log_status (LkSim   *self,
                   guint64  serial,
                   guint    status)
{
  /* The entry is usually among the last; it is gone if a test cleared
   * the log while the request was in flight. */
  for (guint i = self->requests->len; i > 0; i--)
    {
      LogEntry *entry = g_ptr_array_index (self->requests, i - 1);

      if (entry->serial == serial)
        {
          entry->request.status = status;
          return;
        }
    }
}
