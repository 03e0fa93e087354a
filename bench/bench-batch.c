/* bench-batch.c: how close LkBatch comes to an ideal schedule, against
 * replicate-sim with flux-pulid runs of 10 to 20 s (scaled by 0.1), and
 * how much faster it is than the seeds' reference algorithm: fixed
 * batches of 3 that wait for the slowest, 1 s between batches, polling
 * every 0.5 s.
 *
 * The ideal makespan is the list-scheduling bound: each item's own run
 * time (the simulator's, from its seed), given in order to whichever of
 * the slots frees first, with nothing spent on requests, polls, saving
 * or the reference uploads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <locale.h>
#include <stdlib.h>

#include "lk-batch-private.h"
#include "lk-prediction.h"
#include "lk-sim.h"
#include "lk-style-library.h"

#define FACE_PHOTO "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"
#define PULID "bytedance/flux-pulid"
#define TIME_SCALE 0.1
#define MIN_SECONDS 10.0
#define MAX_SECONDS 20.0
#define CONCURRENCY 4
#define N_REFERENCES 3

#define BASELINE_BATCH 3
#define BASELINE_PAUSE 1.0
#define BASELINE_POLL 0.5

#define TARGET_IDEAL_RATIO 1.10
#define TARGET_SPEEDUP 1.4
#define TARGET_LATENCY_P95_MS 1000.0

typedef struct
{
  LkSim          *sim;
  LkClient       *client;
  LkStore        *store;
  LkCatalog      *catalog;
  LkBudget       *budget;
  GPtrArray      *photos;
  GFile          *out;
} Setup;

typedef struct
{
  double makespan;
  double ideal;
  double p50_ms;
  double p95_ms;
  double requests;
  double uploads;
} Figures;

static char *home;

/* Waiting ------------------------------------------------------------------ */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
pause_for (double seconds)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  lk_batch_sleep_async (seconds, cancellable, result_cb, &result);
  lk_batch_sleep_finish (await (&result), NULL);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* Setting up --------------------------------------------------------------- */

static void
setup_open (Setup *setup,
            guint  run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) face = gdk_pixbuf_new_from_file (FACE_PHOTO, &error);
  g_autofree char *name = g_strdup_printf ("run-%u", run);
  g_autofree char *dir = g_build_filename (home, name, NULL);
  g_autofree char *db = g_build_filename (dir, "likeness.db", NULL);

  g_assert_no_error (error);
  g_assert (g_mkdir_with_parents (dir, 0700) == 0);

  setup->sim = lk_sim_new ();
  lk_sim_set_time_scale (setup->sim, TIME_SCALE);
  lk_sim_set_model_duration_range (setup->sim, PULID, MIN_SECONDS, MAX_SECONDS);
  if (!lk_sim_start (setup->sim, &error))
    g_error ("The simulator did not start: %s", error->message);

  setup->client = lk_client_new (NULL, lk_sim_get_base_url (setup->sim));
  lk_client_set_token (setup->client, LK_SIM_TOKEN);
  setup->store = lk_store_new_sync (db, NULL, &error);
  g_assert_no_error (error);
  setup->catalog = lk_catalog_new (NULL);
  setup->budget = lk_budget_new ();
  setup->out = g_file_new_build_filename (dir, "out", NULL);

  /* References of their own for each run: one upload each per job. */
  setup->photos = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_REFERENCES; i++)
    {
      g_autofree char *file = g_strdup_printf ("reference-%u.jpg", i);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *quality = g_strdup_printf ("%u", 70 + 10 * i + run);

      gdk_pixbuf_save (face, path, "jpeg", &error, "quality", quality, NULL);
      g_assert_no_error (error);
      g_ptr_array_add (setup->photos, lk_photo_new (path));
    }
}

static void
setup_close (Setup *setup)
{
  g_clear_pointer (&setup->photos, g_ptr_array_unref);
  g_clear_object (&setup->out);
  g_clear_object (&setup->budget);
  g_clear_object (&setup->catalog);
  g_clear_object (&setup->store);
  g_clear_object (&setup->client);
  lk_sim_stop (setup->sim);
  g_clear_object (&setup->sim);
}

/* Figures ------------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  share)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = MIN (values->len - 1, (guint) (share * values->len));
  return g_array_index (values, double, index);
}

/* The list-scheduling bound of @durations, given in order to @slots. */
static double
ideal_makespan (GArray *durations,
                guint   slots)
{
  g_autofree double *free_at = g_new0 (double, slots);
  double makespan = 0;

  for (guint i = 0; i < durations->len; i++)
    {
      guint earliest = 0;

      for (guint s = 1; s < slots; s++)
        if (free_at[s] < free_at[earliest])
          earliest = s;

      free_at[earliest] += g_array_index (durations, double, i);
      makespan = MAX (makespan, free_at[earliest]);
    }

  return makespan;
}

/* A prediction's run time and end, in real seconds, as the simulator
 * played it. */
static void
sim_timing (LkSim      *sim,
            const char *id,
            double     *duration,
            gint64     *completed_us)
{
  g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (sim, id);
  g_autoptr(GDateTime) completed = NULL;

  g_assert (prediction != NULL);
  *duration = json_object_get_double_member (json_object_get_object_member (prediction, "metrics"),
                                             "predict_time") * TIME_SCALE;
  completed = g_date_time_new_from_iso8601 (json_object_get_string_member (prediction, "completed_at"), NULL);
  *completed_us = g_date_time_to_unix (completed) * G_USEC_PER_SEC + g_date_time_get_microsecond (completed);
}

/* LkBatch ------------------------------------------------------------------ */

static void
saved_cb (LkBatchItem *item,
          GParamSpec  *pspec,
          GHashTable  *saved_us)
{
  if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_DONE)
    g_hash_table_insert (saved_us, item, g_memdup2 (&(gint64) { g_get_real_time () }, sizeof (gint64)));
}

static GPtrArray *
styles_for (guint n)
{
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *styles = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *all;

  if (!lk_style_library_load (library, &error))
    g_error ("The styles did not load: %s", error->message);

  all = lk_style_library_get_styles (library);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (styles, g_list_model_get_item (all, i % g_list_model_get_n_items (all)));

  return styles;
}

/* Runs a batch of @n portraits; @inputs gets the input of each item's
 * prediction, for the baseline to send the same. */
static void
run_batch (Setup      *setup,
           guint       n,
           GPtrArray  *inputs,
           Figures    *figures)
{
  g_autoptr(GPtrArray) styles = styles_for (n);
  g_autoptr(LkBatch) batch = lk_batch_new (setup->client, setup->store, setup->catalog, setup->budget);
  g_autoptr(GHashTable) saved_us = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GArray) durations = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) settled = NULL;
  g_autoptr(GError) error = NULL;
  double start;

  lk_batch_set_styles (batch, styles);
  lk_batch_set_references (batch, setup->photos);
  lk_batch_set_concurrency (batch, CONCURRENCY);
  lk_batch_set_output_folder (batch, setup->out);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (lk_batch_get_items (batch), i);

      g_signal_connect (item, "notify::state", G_CALLBACK (saved_cb), saved_us);
    }

  start = now_s ();
  lk_batch_start_async (batch, NULL, result_cb, &started);
  if (!lk_batch_start_finish (batch, await (&started), &error))
    g_error ("The batch did not start: %s", error->message);
  lk_batch_wait_async (batch, NULL, result_cb, &settled);
  lk_batch_wait_finish (batch, await (&settled), NULL);
  figures->makespan = now_s () - start;

  if (lk_batch_get_n_done (batch) != n)
    g_error ("Only %u of %u portraits were made", lk_batch_get_n_done (batch), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (lk_batch_get_items (batch), i);
      LkBatchRecipe *recipe = lk_batch_item_get_recipe (item);
      LkModel *pulid = lk_catalog_lookup (setup->catalog, PULID);
      const char *url = lk_batch_get_reference_url (batch, lk_batch_item_get_reference (item));
      gint64 completed_us;
      double duration;
      double latency;

      sim_timing (setup->sim, lk_batch_item_get_prediction_id (item), &duration, &completed_us);
      latency = (*(gint64 *) g_hash_table_lookup (saved_us, item) - completed_us) / 1000.0;
      g_array_append_val (durations, duration);
      g_array_append_val (latencies, latency);
      g_ptr_array_add (inputs, lk_batch_input_build (pulid, LK_QUALITY_PRESET_STANDARD, recipe, url,
                                                     lk_batch_item_get_seed (item), NULL));
    }

  figures->ideal = ideal_makespan (durations, CONCURRENCY);
  figures->p50_ms = percentile (latencies, 0.50);
  figures->p95_ms = percentile (latencies, 0.95);
  figures->requests = (double) lk_sim_count_requests (setup->sim, NULL, NULL) / n;
  figures->uploads = (double) lk_sim_count_requests (setup->sim, "POST", "/v1/files") / N_REFERENCES;
}

/* The baseline ------------------------------------------------------------- */

static LkPrediction *
baseline_create (Setup      *setup,
                 JsonObject *input)
{
  LkModel *pulid = lk_catalog_lookup (setup->catalog, PULID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkPrediction *prediction;
  LkClient *client = setup->client;

  lk_client_create_prediction_async (client, lk_model_get_reference (pulid), input, 0, 0, NULL,
                                     result_cb, &result);
  if (!(prediction = lk_client_create_prediction_finish (client, await (&result), &error)))
    g_error ("The baseline could not create a prediction: %s", error->message);

  return prediction;
}

static LkPrediction *
baseline_poll (LkClient     *client,
               LkPrediction *prediction)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkPrediction *polled;

  lk_client_get_prediction_async (client, LK_PREDICTION_KIND_PREDICTION, lk_prediction_get_id (prediction),
                                  NULL, result_cb, &result);
  if (!(polled = lk_client_get_prediction_finish (client, await (&result), &error)))
    g_error ("The baseline could not poll: %s", error->message);

  return polled;
}

static void
baseline_download (LkClient     *client,
                   LkPrediction *prediction,
                   GFile        *folder)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  lk_client_download_async (client, lk_prediction_get_outputs (prediction)[0], folder,
                            lk_prediction_get_id (prediction), NULL, result_cb, &result);
  if (!(file = lk_client_download_finish (client, await (&result), &error)))
    g_error ("The baseline could not download: %s", error->message);
}

/* The seeds' reference algorithm: batches of three, each waited for to
 * its slowest prediction, polled every half second, a second apart. */
static double
run_baseline (Setup     *setup,
              GPtrArray *inputs)
{
  double start = now_s ();

  g_assert (g_file_make_directory_with_parents (setup->out, NULL, NULL));

  for (guint first = 0; first < inputs->len; first += BASELINE_BATCH)
    {
      LkPrediction *batch[BASELINE_BATCH] = { NULL };
      guint size = MIN (BASELINE_BATCH, inputs->len - first);
      gboolean running = TRUE;

      for (guint i = 0; i < size; i++)
        batch[i] = baseline_create (setup, g_ptr_array_index (inputs, first + i));

      while (running)
        {
          pause_for (BASELINE_POLL);
          running = FALSE;
          for (guint i = 0; i < size; i++)
            {
              if (!lk_prediction_is_terminal (batch[i]))
                {
                  LkPrediction *polled = baseline_poll (setup->client, batch[i]);

                  g_object_unref (batch[i]);
                  batch[i] = polled;
                }
              running |= !lk_prediction_is_terminal (batch[i]);
            }
        }

      for (guint i = 0; i < size; i++)
        {
          baseline_download (setup->client, batch[i], setup->out);
          g_object_unref (batch[i]);
        }

      if (first + BASELINE_BATCH < inputs->len)
        pause_for (BASELINE_PAUSE);
    }

  return now_s () - start;
}

/* The runs ----------------------------------------------------------------- */

static gboolean
bench (guint n,
       guint run)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  Setup setup = { NULL };
  Setup baseline = { NULL };
  Figures figures = { 0 };
  double baseline_makespan;
  double ratio;
  double speedup;
  gboolean met;

  setup_open (&setup, run);
  run_batch (&setup, n, inputs, &figures);
  setup_close (&setup);

  setup_open (&baseline, run + 1);
  baseline_makespan = run_baseline (&baseline, inputs);
  setup_close (&baseline);

  ratio = figures.makespan / figures.ideal;
  speedup = baseline_makespan / figures.makespan;
  met = ratio <= TARGET_IDEAL_RATIO && speedup >= TARGET_SPEEDUP &&
        figures.p95_ms <= TARGET_LATENCY_P95_MS && figures.uploads == 1.0;

  g_print ("%3u portraits: makespan %.2f s, ideal %.2f s, ratio %.3f (target <= %.2f)\n",
           n, figures.makespan, figures.ideal, ratio, TARGET_IDEAL_RATIO);
  g_print ("               baseline %.2f s: %.2f x faster (target >= %.1f)\n",
           baseline_makespan, speedup, TARGET_SPEEDUP);
  g_print ("               completion to file on disk: p50 %.0f ms, p95 %.0f ms (target p95 <= %.0f)\n",
           figures.p50_ms, figures.p95_ms, TARGET_LATENCY_P95_MS);
  g_print ("               %.2f HTTP requests per portrait; %.2f uploads per reference (target 1)\n",
           figures.requests, figures.uploads);
  g_print ("               targets %s\n", met ? "met" : "MISSED");
  return met;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    remove_tree (child);

  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean met;

  setlocale (LC_ALL, "C.UTF-8");
  home = g_dir_make_tmp ("likeness-bench-batch-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);

  g_print ("bench-batch: flux-pulid runs of %.0f-%.0f s scaled by %.1f, %u slots, %u references, "
           "replicate-sim in this process\n", MIN_SECONDS, MAX_SECONDS, TIME_SCALE, CONCURRENCY, N_REFERENCES);
  met = bench (23, 0);
  met = bench (100, 2) && met;

  remove_tree (g_file_new_for_path (home));
  return met ? EXIT_SUCCESS : EXIT_FAILURE;
}
