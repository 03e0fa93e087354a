/* bench-client.c: what LkClient costs per prediction, measured against
 * replicate-sim in a process of its own: HTTP requests with and without
 * Prefer: wait, completion-to-file latency, client CPU, and the memory an
 * upload of a 60 MB file takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lk-client.h"

#define MODEL "black-forest-labs/flux-1.1-pro"
/* flux-1.1-pro takes 4 s; at half speed each prediction lasts 2 s. */
#define TIME_SCALE "0.5"
#define MODEL_SECONDS 2.0
#define PREDICTIONS 50
#define IN_FLIGHT 8
#define UPLOAD_SIZE (60 * 1024 * 1024)
#define TOKEN "r8_sim_token"

#define TARGET_REQUESTS_WITH_WAIT 3.0
#define TARGET_UPLOAD_RSS_MB 20.0

typedef struct
{
  LkClient     *client;
  GFile        *directory;
  guint         wait_seconds;
  guint         started;
  guint         finished;
  GArray       *latencies_ms;
  GError       *error;
} Batch;

typedef struct
{
  Batch        *batch;
  LkPrediction *prediction;
  guint         downloads_left;
} Job;

static void start_next (Batch *batch);

static void
job_free (Job *job)
{
  g_clear_object (&job->prediction);
  g_free (job);
}

static void
job_fail (Job    *job,
          GError *error)
{
  if (job->batch->error == NULL)
    job->batch->error = error;
  else
    g_error_free (error);

  job->batch->finished++;
  job_free (job);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  Batch *batch = job->batch;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  GDateTime *completed;
  double latency_ms;

  if (!(file = lk_client_download_finish (LK_CLIENT (object), result, &error)))
    {
      job_fail (job, error);
      return;
    }

  if (--job->downloads_left > 0)
    return;

  /* Both clocks are this machine's: the simulator stamps completed_at
   * when the run ends, the file is on disk now. */
  completed = lk_prediction_get_completed_at (job->prediction);
  latency_ms = (g_get_real_time () - g_date_time_to_unix (completed) * G_USEC_PER_SEC
                - g_date_time_get_microsecond (completed)) / 1000.0;
  g_array_append_val (batch->latencies_ms, latency_ms);
  batch->finished++;
  job_free (job);
  start_next (batch);
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  const char * const *outputs;
  GError *error = NULL;

  if (!lk_client_wait_finish (LK_CLIENT (object), result, &error))
    {
      job_fail (job, error);
      return;
    }

  outputs = lk_prediction_get_outputs (job->prediction);
  job->downloads_left = g_strv_length ((GStrv) outputs);
  for (guint i = 0; outputs[i] != NULL; i++)
    {
      g_autofree char *stem = g_strdup_printf ("%s-%u", lk_prediction_get_id (job->prediction), i);

      lk_client_download_async (job->batch->client, outputs[i], job->batch->directory, stem, NULL,
                                downloaded_cb, job);
    }
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  GError *error = NULL;

  if (!(job->prediction = lk_client_create_prediction_finish (LK_CLIENT (object), result, &error)))
    {
      job_fail (job, error);
      return;
    }

  lk_client_wait_async (job->batch->client, job->prediction, NULL, waited_cb, job);
}

static void
start_next (Batch *batch)
{
  g_autoptr(JsonObject) input = NULL;
  g_autofree char *prompt = NULL;
  Job *job;

  if (batch->started >= PREDICTIONS || batch->error != NULL)
    return;

  job = g_new0 (Job, 1);
  job->batch = batch;
  prompt = g_strdup_printf ("benchmark portrait %u, wait %u", batch->started, batch->wait_seconds);
  input = json_object_new ();
  json_object_set_string_member (input, "prompt", prompt);
  batch->started++;
  lk_client_create_prediction_async (batch->client, MODEL, input, batch->wait_seconds, 0, NULL, created_cb, job);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
max_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static double
rss_mb (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;

  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtod (fields[1], NULL) * sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  fraction)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = MIN (values->len - 1, (guint) (fraction * values->len));
  return g_array_index (values, double, index);
}

/* The simulator's request log, through its control endpoints. */
static JsonArray *
sim_log (SoupSession *control,
         const char  *base_url,
         const char  *method)
{
  g_autofree char *url = g_strdup_printf ("%s/_sim/log", base_url);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  body = soup_session_send_and_read (control, message, NULL, &error);
  g_assert_no_error (error);
  if (g_bytes_get_size (body) == 0)
    return NULL;

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (node));
}

typedef struct
{
  double requests;
  double creates;
  double polls;
  double downloads;
  double p50_ms;
  double p95_ms;
  double cpu_ms;
  double wall_s;
} Figures;

static gboolean
batch_done (Batch *batch)
{
  return batch->finished >= batch->started && (batch->started >= PREDICTIONS || batch->error != NULL);
}

static Figures
run_batch (LkClient    *client,
           SoupSession *control,
           const char  *sim_url,
           GFile       *directory,
           guint        wait_seconds)
{
  Batch batch = { client, directory, wait_seconds, 0, 0, g_array_new (FALSE, FALSE, sizeof (double)), NULL };
  g_autoptr(JsonArray) log = NULL;
  Figures figures = { 0 };
  double cpu_before;
  gint64 wall_before;

  g_assert_null (sim_log (control, sim_url, "DELETE"));
  cpu_before = cpu_seconds ();
  wall_before = g_get_monotonic_time ();

  for (guint i = 0; i < IN_FLIGHT; i++)
    start_next (&batch);
  while (!batch_done (&batch))
    g_main_context_iteration (NULL, TRUE);

  if (batch.error != NULL)
    g_error ("The benchmark failed: %s", batch.error->message);

  figures.cpu_ms = (cpu_seconds () - cpu_before) * 1000 / PREDICTIONS;
  figures.wall_s = (g_get_monotonic_time () - wall_before) / 1e6;
  figures.p50_ms = percentile (batch.latencies_ms, 0.50);
  figures.p95_ms = percentile (batch.latencies_ms, 0.95);

  log = sim_log (control, sim_url, "GET");
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);
      const char *method = json_object_get_string_member (entry, "method");
      const char *path = json_object_get_string_member (entry, "path");

      if (g_str_has_prefix (path, "/_sim/log"))
        continue;

      figures.requests++;
      if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/predictions"))
        figures.creates++;
      else if (g_str_has_prefix (path, "/v1/predictions/"))
        figures.polls++;
      else if (g_str_has_prefix (path, "/_sim/outputs/"))
        figures.downloads++;
    }

  figures.requests /= PREDICTIONS;
  figures.creates /= PREDICTIONS;
  figures.polls /= PREDICTIONS;
  figures.downloads /= PREDICTIONS;
  g_array_unref (batch.latencies_ms);
  return figures;
}

static void
print_figures (const char *label,
               Figures    *figures)
{
  g_print ("%-18s %.2f HTTP requests per prediction (create %.2f, polls %.2f, downloads %.2f)\n",
           label, figures->requests, figures->creates, figures->polls, figures->downloads);
  g_print ("%-18s completion to file on disk: p50 %.0f ms, p95 %.0f ms\n", "", figures->p50_ms, figures->p95_ms);
  g_print ("%-18s client CPU %.2f ms per prediction; %.1f s for all\n", "", figures->cpu_ms, figures->wall_s);
}

static GFile *
write_upload_file (const char *directory)
{
  g_autofree char *path = g_build_filename (directory, "training-photos.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint32 *chunk = g_new (guint32, 1024 * 1024 / 4);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < UPLOAD_SIZE / (1024 * 1024); i++)
    {
      for (guint j = 0; j < 1024 * 1024 / 4; j++)
        chunk[j] = g_random_int ();
      g_output_stream_write_all (G_OUTPUT_STREAM (stream), chunk, 1024 * 1024, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&file);
}

typedef struct
{
  double        peak_mb;
  GAsyncResult *result;
} Sampler;

static gboolean
sample_cb (gpointer user_data)
{
  Sampler *sampler = user_data;

  sampler->peak_mb = MAX (sampler->peak_mb, rss_mb ());
  return G_SOURCE_CONTINUE;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Sampler *sampler = user_data;

  sampler->result = g_object_ref (result);
}

/* Peak growth of the resident set while the file is uploaded, sampled
 * every 2 ms, after a first call has set up the session. */
static double
measure_upload (LkClient   *client,
                const char *directory)
{
  g_autoptr(GFile) file = write_upload_file (directory);
  g_autoptr(JsonObject) uploaded = NULL;
  g_autoptr(GAsyncResult) warm = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;
  Sampler sampler = { 0 };
  double baseline_mb;
  double max_before_mb;
  guint timer;

  lk_client_get_account_async (client, NULL, uploaded_cb, &sampler);
  while (sampler.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  account = lk_client_get_account_finish (client, sampler.result, &error);
  g_assert_no_error (error);
  g_clear_object (&sampler.result);

  baseline_mb = sampler.peak_mb = rss_mb ();
  max_before_mb = max_rss_mb ();
  timer = g_timeout_add (2, sample_cb, &sampler);
  lk_client_upload_file_async (client, file, NULL, NULL, uploaded_cb, &sampler);
  while (sampler.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  sample_cb (&sampler);

  uploaded = lk_client_upload_file_finish (client, sampler.result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (uploaded, "size"), ==, UPLOAD_SIZE);
  g_clear_object (&sampler.result);
  g_file_delete (file, NULL, NULL);

  g_print ("upload of 60 MB:   peak RSS growth %.1f MB (sampled; %.1f MB before), ru_maxrss growth %.1f MB\n",
           sampler.peak_mb - baseline_mb, baseline_mb, max_rss_mb () - max_before_mb);
  return sampler.peak_mb - baseline_mb;
}

static void
remove_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  const char *sim_path = g_getenv ("LK_REPLICATE_SIM");
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) sim_out = NULL;
  g_autoptr(SoupSession) control = soup_session_new ();
  g_autoptr(LkClient) client = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sim_url = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *tmp = NULL;
  Figures polling, waiting;
  double upload_growth;
  gboolean ok;

  if (sim_path == NULL)
    g_error ("Set LK_REPLICATE_SIM to the replicate-sim program (meson does)");

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          sim_path, "--time-scale", TIME_SCALE, "--token", TOKEN, NULL);
  g_assert_no_error (error);
  sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  sim_url = g_data_input_stream_read_line_utf8 (sim_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim_url);
  /* The control endpoints sit beside /v1. */
  sim_url[strlen (sim_url) - strlen ("/v1")] = '\0';

  tmp = g_dir_make_tmp ("bench-client-XXXXXX", &error);
  g_assert_no_error (error);
  directory = g_file_new_for_path (tmp);

  base_url = g_strconcat (sim_url, "/v1", NULL);
  client = lk_client_new (NULL, base_url);
  lk_client_set_token (client, TOKEN);

  g_print ("bench-client: %d predictions of %s (%.0f s each), %d in flight, replicate-sim in its own process\n",
           PREDICTIONS, MODEL, MODEL_SECONDS, IN_FLIGHT);
  upload_growth = measure_upload (client, tmp);
  polling = run_batch (client, control, sim_url, directory, 0);
  print_figures ("polling:", &polling);
  waiting = run_batch (client, control, sim_url, directory, 60);
  print_figures ("Prefer: wait=60:", &waiting);

  ok = waiting.requests <= TARGET_REQUESTS_WITH_WAIT && upload_growth <= TARGET_UPLOAD_RSS_MB;
  g_print ("targets: with Prefer: wait %.2f <= %.0f requests per prediction; upload RSS growth %.1f <= %.0f MB: %s\n",
           waiting.requests, TARGET_REQUESTS_WITH_WAIT, upload_growth, TARGET_UPLOAD_RSS_MB, ok ? "met" : "MISSED");

  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  remove_directory (tmp);

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
