/* lk-sim-job.c: one prediction or training, its timeline, logs and outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-job"

#include "lk-sim-private.h"

/* At most this many progress lines per run, as tqdm only redraws now and
 * then; a 1000-step training does not write 1000 lines. */
#define MAX_PROGRESS_LINES 20

/* The first tenth of a run is spent "starting" (booting a worker). */
#define STARTING_SHARE 0.1

static const char * const step_fields[] = { "num_steps", "num_inference_steps", "steps" };

const char *
lk_sim_status_to_string (LkSimStatus status)
{
  switch (status)
    {
    case LK_SIM_STATUS_STARTING: return "starting";
    case LK_SIM_STATUS_PROCESSING: return "processing";
    case LK_SIM_STATUS_SUCCEEDED: return "succeeded";
    case LK_SIM_STATUS_FAILED: return "failed";
    case LK_SIM_STATUS_CANCELED: return "canceled";
    case LK_SIM_STATUS_ABORTED: return "aborted";
    default: g_assert_not_reached ();
    }
}

/**
 * lk_sim_job_new:
 * @input: a validated input object
 * @input_schema: the Input schema it was validated against, for defaults
 * @single_output: whether the model outputs one URI instead of an array
 * @duration: the unscaled run time in seconds
 * @scale: the time scale in force when the job is created
 *
 * Returns: (transfer full): a job in the starting state; call
 *   lk_sim_job_start() to make time pass for it
 */
LkSimJob *
lk_sim_job_new (LkSimJobKind  kind,
                const char   *model,
                const char   *version,
                JsonNode     *input,
                JsonObject   *input_schema,
                gboolean      single_output,
                double        duration,
                double        scale)
{
  LkSimJob *job = g_new0 (LkSimJob, 1);
  JsonObject *object = json_node_get_object (input);
  JsonObject *properties = json_object_get_object_member (input_schema, "properties");
  const char *format;

  job->kind = kind;
  job->id = lk_sim_new_id ();
  job->model = g_strdup (model);
  job->version = g_strdup (version);
  job->input = json_node_copy (input);
  job->status = LK_SIM_STATUS_STARTING;
  job->logs = g_string_new (NULL);
  job->created_at = g_date_time_new_now_utc ();
  job->created_us = g_get_monotonic_time ();
  job->duration = duration;
  job->scale = scale;
  job->single_output = single_output;

  job->seed = lk_sim_schema_get_int (input_schema, object, "seed", g_random_int_range (0, G_MAXINT32));
  job->num_outputs = lk_sim_schema_get_int (input_schema, object, "num_outputs", 1);
  job->steps = 20;
  for (guint i = 0; i < G_N_ELEMENTS (step_fields); i++)
    if (json_object_has_member (properties, step_fields[i]))
      job->steps = MAX (1, lk_sim_schema_get_int (input_schema, object, step_fields[i], 20));

  /* GdkPixbuf cannot write WebP, so WebP requests get PNG files, named
   * and typed as PNG so the bytes and the Content-Type agree. */
  format = lk_sim_schema_get_string (input_schema, object, "output_format", "png");
  job->output_format = g_strdup (g_str_equal (format, "jpg") ? "jpg" : "png");

  return job;
}

void
lk_sim_job_stop_timer (LkSimJob *job)
{
  if (job->tick != NULL)
    {
      g_source_destroy (job->tick);
      g_clear_pointer (&job->tick, g_source_unref);
    }
}

void
lk_sim_job_free (LkSimJob *job)
{
  lk_sim_job_stop_timer (job);
  g_free (job->id);
  g_free (job->model);
  g_free (job->version);
  g_clear_pointer (&job->input, json_node_unref);
  g_free (job->destination);
  g_string_free (job->logs, TRUE);
  g_free (job->error);
  g_clear_pointer (&job->output, json_node_unref);
  g_clear_pointer (&job->created_at, g_date_time_unref);
  g_clear_pointer (&job->started_at, g_date_time_unref);
  g_clear_pointer (&job->completed_at, g_date_time_unref);
  g_clear_pointer (&job->deadline, g_date_time_unref);
  g_free (job->fail_error);
  g_free (job->output_format);
  g_free (job->outputs_url);
  g_free (job);
}

gboolean
lk_sim_job_is_terminal (LkSimJob *job)
{
  return job->status != LK_SIM_STATUS_STARTING && job->status != LK_SIM_STATUS_PROCESSING;
}

static double
unscaled_seconds (LkSimJob *job,
                  gint64    from_us,
                  gint64    to_us)
{
  return MAX (0, to_us - from_us) / (job->scale * G_USEC_PER_SEC);
}

static void
append_progress (LkSimJob *job,
                 guint     step)
{
  static const char * const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
  double run = job->duration * (1 - STARTING_SHARE);
  double elapsed = run * step / job->steps;
  double remaining = run - elapsed;
  guint full = step * 10 / job->steps;
  guint partial = (step * 80 / job->steps) % 8;
  guint width = 0;

  g_string_append_printf (job->logs, "%3u%%|", step * 100 / job->steps);
  for (; width < full; width++)
    g_string_append (job->logs, "█");
  if (full < 10 && partial > 0)
    {
      g_string_append (job->logs, eighths[partial]);
      width++;
    }
  for (; width < 10; width++)
    g_string_append_c (job->logs, ' ');

  g_string_append_printf (job->logs, "| %u/%u [%02u:%02u<%02u:%02u, %5.2fit/s]\n",
                          step, job->steps,
                          (guint) elapsed / 60, (guint) elapsed % 60,
                          (guint) remaining / 60, (guint) remaining % 60,
                          elapsed > 0 ? step / elapsed : 0.0);
}

static void
append_start_logs (LkSimJob *job)
{
  if (job->kind == LK_SIM_JOB_TRAINING)
    {
      g_string_append (job->logs, "Extracting training images\n");
      g_string_append_printf (job->logs, "flux_train_replicate: training a LoRA for %u steps\n", job->steps);
    }
  else
    g_string_append_printf (job->logs, "Using seed: %" G_GINT64_FORMAT "\n", job->seed);
}

static JsonNode *
make_outputs (LkSimJob  *job,
              GError   **error)
{
  g_autoptr(JsonArray) outputs = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < job->num_outputs; i++)
    {
      g_autofree char *url = NULL;

      if (job->data_uri_outputs)
        {
          g_autoptr(GBytes) image = lk_sim_image_render (job->id, i, job->seed, job->output_format, error);
          g_autofree char *encoded = NULL;

          if (image == NULL)
            return NULL;

          encoded = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
          url = g_strdup_printf ("data:%s;base64,%s", lk_sim_image_content_type (job->output_format), encoded);
        }
      else
        url = g_strdup_printf ("%s%s-%u.%s", job->outputs_url, job->id, i, job->output_format);

      json_array_add_string_element (outputs, url);
    }

  if (job->single_output)
    return json_node_copy (json_array_get_element (outputs, 0));

  json_node_set_array (node, outputs);
  return g_steal_pointer (&node);
}

static void
finish (LkSimJob    *job,
        LkSimStatus  status,
        gint64       now_us)
{
  job->status = status;
  job->completed_us = now_us;
  job->completed_at = g_date_time_new_now_utc ();

  if (status == LK_SIM_STATUS_SUCCEEDED && job->kind == LK_SIM_JOB_PREDICTION)
    {
      g_autoptr(GError) error = NULL;

      job->output = make_outputs (job, &error);
      if (job->output == NULL)
        {
          job->status = LK_SIM_STATUS_FAILED;
          job->error = g_strdup (error->message);
        }
    }

  lk_sim_job_stop_timer (job);
  if (job->finished != NULL)
    job->finished (job, job->finished_data);
}

static void
advance (LkSimJob *job,
         gint64    now_us)
{
  double fraction;
  guint step;

  if (lk_sim_job_is_terminal (job))
    return;

  if (job->deadline_us != 0 && now_us >= job->deadline_us)
    {
      finish (job, LK_SIM_STATUS_CANCELED, now_us);
      return;
    }

  if (job->status == LK_SIM_STATUS_STARTING)
    {
      if (now_us < job->start_us)
        return;

      /* Replicate aborts a prediction that never got to run. */
      if (job->outcome == LK_SIM_FAULT_ABORT)
        {
          finish (job, LK_SIM_STATUS_ABORTED, now_us);
          return;
        }

      job->status = LK_SIM_STATUS_PROCESSING;
      job->started_at = g_date_time_new_now_utc ();
      append_start_logs (job);
    }

  fraction = job->end_us > job->start_us
             ? CLAMP ((double) (now_us - job->start_us) / (job->end_us - job->start_us), 0, 1)
             : 1;

  if (job->outcome == LK_SIM_FAULT_FAIL && fraction >= 0.5)
    {
      g_string_append_printf (job->logs, "Error: %s\n", job->fail_error);
      job->error = g_strdup (job->fail_error);
      finish (job, LK_SIM_STATUS_FAILED, now_us);
      return;
    }

  step = fraction * job->steps;
  if (now_us >= job->end_us)
    step = job->steps;

  if (step > job->last_step)
    {
      append_progress (job, step);
      job->last_step = step;
    }

  if (now_us >= job->end_us)
    finish (job, LK_SIM_STATUS_SUCCEEDED, now_us);
}

static gboolean
tick_cb (gpointer user_data)
{
  LkSimJob *job = user_data;
  GRecMutex *lock = job->lock;
  gboolean terminal;

  g_rec_mutex_lock (lock);
  advance (job, g_get_monotonic_time ());
  terminal = lk_sim_job_is_terminal (job);
  g_rec_mutex_unlock (lock);

  return terminal ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/**
 * lk_sim_job_start:
 * @context: the server thread's context, where the timer runs
 *
 * Lays out the run on the monotonic clock (a tenth starting, the rest
 * processing, scaled) and ticks through it. Every state is computed from
 * the clock, not counted from ticks, so a late timer never stretches a run.
 */
void
lk_sim_job_start (LkSimJob     *job,
                  GMainContext *context)
{
  gint64 total_us = job->duration * job->scale * G_USEC_PER_SEC;
  guint lines = MIN (job->steps, MAX_PROGRESS_LINES);
  guint interval_ms = CLAMP (total_us / 1000 / (lines + 2), 1, 1000);

  job->start_us = job->created_us + total_us * STARTING_SHARE;
  job->end_us = job->created_us + total_us;

  job->tick = g_timeout_source_new (interval_ms);
  g_source_set_callback (job->tick, tick_cb, job, NULL);
  g_source_set_static_name (job->tick, "[lk-sim] job tick");
  g_source_attach (job->tick, context);
}

/* Moves a running job to canceled; a finished one stays as it is. */
void
lk_sim_job_cancel (LkSimJob *job)
{
  gint64 now_us = g_get_monotonic_time ();

  advance (job, now_us);
  if (!lk_sim_job_is_terminal (job))
    finish (job, LK_SIM_STATUS_CANCELED, now_us);
}

gboolean
lk_sim_job_data_removed (LkSimJob *job,
                         gint64    lifetime_us)
{
  return lk_sim_job_is_terminal (job) && g_get_monotonic_time () >= job->completed_us + lifetime_us;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, name);
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_urls (JsonBuilder *builder,
          LkSimJob    *job,
          const char  *base_url)
{
  const char *collection = job->kind == LK_SIM_JOB_TRAINING ? "trainings" : "predictions";
  g_autofree char *get = g_strdup_printf ("%s/%s/%s", base_url, collection, job->id);
  g_autofree char *cancel = g_strdup_printf ("%s/cancel", get);
  g_autofree char *web = g_strdup_printf ("https://replicate.com/p/%s", job->id);

  json_builder_set_member_name (builder, "urls");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "get");
  json_builder_add_string_value (builder, get);
  json_builder_set_member_name (builder, "cancel");
  json_builder_add_string_value (builder, cancel);
  json_builder_set_member_name (builder, "web");
  json_builder_add_string_value (builder, web);
  json_builder_end_object (builder);
}

static void
add_metrics (JsonBuilder *builder,
             LkSimJob    *job)
{
  double predict_time;

  if (!lk_sim_job_is_terminal (job))
    return;

  /* A finished run reports its whole unscaled duration; an interrupted
   * one what it ran, which is what Replicate bills. */
  if (job->status == LK_SIM_STATUS_SUCCEEDED)
    predict_time = job->duration;
  else if (job->started_at != NULL)
    predict_time = unscaled_seconds (job, job->start_us, job->completed_us);
  else
    predict_time = 0;

  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "predict_time");
  json_builder_add_double_value (builder, predict_time);
  json_builder_set_member_name (builder, "total_time");
  json_builder_add_double_value (builder, unscaled_seconds (job, job->created_us, job->completed_us));
  json_builder_end_object (builder);
}

/**
 * lk_sim_job_to_json:
 * @base_url: the API's base, for urls
 * @lifetime_us: how long data stays after the run ends (scaled)
 *
 * Returns: (transfer full): the prediction or training object as the API
 *   returns it
 */
JsonNode *
lk_sim_job_to_json (LkSimJob   *job,
                    const char *base_url,
                    gint64      lifetime_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean removed = lk_sim_job_data_removed (job, lifetime_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, job->id);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, job->model);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, job->version);
  json_builder_set_member_name (builder, "input");
  if (removed)
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_value (builder, json_node_copy (job->input));
  json_builder_set_member_name (builder, "logs");
  json_builder_add_string_value (builder, removed ? "" : job->logs->str);
  json_builder_set_member_name (builder, "output");
  if (job->output != NULL && !removed)
    json_builder_add_value (builder, json_node_copy (job->output));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "data_removed");
  json_builder_add_boolean_value (builder, removed);
  json_builder_set_member_name (builder, "error");
  if (job->error != NULL)
    json_builder_add_string_value (builder, job->error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, lk_sim_status_to_string (job->status));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "api");
  add_time (builder, "created_at", job->created_at);
  add_time (builder, "started_at", job->started_at);
  add_time (builder, "completed_at", job->completed_at);
  if (job->deadline != NULL)
    add_time (builder, "deadline", job->deadline);
  add_urls (builder, job, base_url);
  add_metrics (builder, job);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
