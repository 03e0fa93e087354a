/* test-cli-batch.c: likeness-cli generate, resume and cancel against the
 * simulator, with the generating process killed halfway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-prediction.h"
#include "lk-sim.h"
#include "lk-store.h"
#include "lk-test-cli.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

/* Bounds only a broken test; nothing asserts on how fast things are. */
#define DEADLINE_MS 120000
#define FACE_PHOTO "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"
#define N_STYLES 12
/* Five times the two seconds the simulator holds the create. */
#define HELD_CREATE_MS 10000

static const char *test_home;

typedef struct
{
  LkSim               *sim;
  GSubprocessLauncher *launcher;
  char                *dir;
  char                *photos;
  char                *out;
  char                *data;
  char                *cache;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  f->dir = g_build_filename (test_home, "cli-batch-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (f->dir));
  f->photos = g_build_filename (f->dir, "photos", NULL);
  f->out = g_build_filename (f->dir, "out", NULL);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->cache = g_build_filename (f->dir, "cache", NULL);
  g_assert_cmpint (g_mkdir (f->photos, 0700), ==, 0);
  photo = g_build_filename (f->photos, "me.jpg", NULL);
  g_assert_true (g_file_get_contents (FACE_PHOTO, &contents, &length, &error));
  g_assert_true (g_file_set_contents (photo, contents, length, &error));

  /* Each portrait takes 0.3 s, so the kill comes while some run. */
  f->sim = lk_sim_new ();
  lk_sim_set_time_scale (f->sim, 0.02);
  g_assert_true (lk_sim_start (f->sim, &error));
  g_assert_no_error (error);

  /* A store and uploads of its own: the simulator of another test knows
   * nothing of them. */
  f->launcher = lk_test_cli_launcher_new (lk_sim_get_base_url (f->sim), LK_SIM_TOKEN);
  g_subprocess_launcher_setenv (f->launcher, "XDG_DATA_HOME", f->data, TRUE);
  g_subprocess_launcher_setenv (f->launcher, "XDG_CACHE_HOME", f->cache, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  lk_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->launcher);
  g_free (f->dir);
  g_free (f->photos);
  g_free (f->out);
  g_free (f->data);
  g_free (f->cache);
}

/* Waits for @process; returns its exit status. */
static int
finish (GSubprocess *process)
{
  g_auto(LkTestCliRun) run = { 0 };

  lk_test_cli_finish (process, &run);
  return run.status;
}

static gint64
read_job_id (GSubprocess *process)
{
  g_autoptr(GDataInputStream) stdout_data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (stdout_data, NULL, NULL, &error);
  gint64 id = 0;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_ascii_string_to_signed (line, 10, 1, G_MAXINT64, &id, NULL));
  return id;
}

typedef struct
{
  LkSim *sim;
  guint  count;
} Created;

static gboolean
created_at_least (gpointer data)
{
  Created *created = data;

  return lk_sim_get_prediction_count (created->sim) >= created->count;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The simulator runs in its own thread; a short timer lets the wait
 * look at it now and then. */
static gboolean
wait_for_creates (LkSim *sim,
                  guint  count,
                  guint  timeout_ms)
{
  Created created = { sim, count };
  guint wake = g_timeout_add (5, wake_cb, NULL);
  gboolean reached = lk_test_wait_for (created_at_least, &created, timeout_ms);

  g_source_remove (wake);
  return reached;
}

static LkStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->data, "likeness", "likeness.db", NULL);
  LkStore *store = lk_store_new_sync (path, NULL, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
sim_cost (LkSim      *sim,
          LkCatalog  *catalog,
          const char *id)
{
  g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (sim, id);
  JsonNode *output = json_object_get_member (prediction, "output");
  JsonObject *metrics = json_object_get_object_member (prediction, "metrics");

  g_assert_nonnull (prediction);
  return lk_model_actual_cost (lk_catalog_lookup (catalog, json_object_get_string_member (prediction, "model")),
                               json_object_get_string_member (prediction, "status"),
                               output != NULL && JSON_NODE_HOLDS_ARRAY (output)
                                 ? json_array_get_length (json_node_get_array (output)) : 1,
                               json_object_get_double_member (metrics, "predict_time"));
}

static void
test_killed_and_resumed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) generate = NULL;
  g_autoptr(GSubprocess) resume = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GHashTable) charged = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gint64 job_id;
  gint64 actual = 0;
  gint64 expected = 0;

  generate = lk_test_cli_spawn (f->launcher, "generate", "--photos", f->photos, "--concurrency", "3",
                                "--out", f->out, "--styles",
                                "business-headshot,casual,studio-classic,black-and-white,cinematic,film-noir,"
                                "vintage-film,fantasy-hero,anime,oil-painting,watercolour,cyberpunk", NULL);
  job_id = read_job_id (generate);

  /* Halfway: half the predictions made, some of them still running. */
  g_assert_true (wait_for_creates (f->sim, N_STYLES / 2, DEADLINE_MS));
  g_subprocess_send_signal (generate, SIGKILL);
  g_subprocess_wait (generate, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (generate));
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), <, N_STYLES);

  resume = lk_test_cli_spawn (f->launcher, "resume", NULL);
  g_assert_cmpint (finish (resume), ==, 0);

  /* Every portrait was made once, and saved. */
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, N_STYLES);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  store = open_store (f);
  files = lk_store_list_job_files (store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, N_STYLES);
  for (guint i = 0; i < files->len; i++)
    g_assert_true (g_file_test (g_ptr_array_index (files, i), G_FILE_TEST_IS_REGULAR));

  /* The ledger holds the actual cost of every prediction, once. */
  ledger = lk_store_list_ledger (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ledger->len; i++)
    {
      LkLedgerEntry *entry = g_ptr_array_index (ledger, i);

      if (entry->job_id != job_id || !g_str_equal (entry->kind, "actual"))
        continue;

      g_assert_false (g_hash_table_contains (charged, entry->prediction_id));
      g_hash_table_add (charged, entry->prediction_id);
      actual += entry->amount;
      expected += sim_cost (f->sim, catalog, entry->prediction_id);
    }
  g_assert_cmpuint (g_hash_table_size (charged), ==, N_STYLES);
  g_assert_cmpint (actual, ==, expected);
}

typedef struct
{
  LkSim       *sim;
  guint        count;
  GSubprocess *process;
} Posted;

/* The state letter of @process in Linux's /proc: 'S' while it sleeps,
 * as it does once it sent all it had to send and waits for an answer;
 * 'Z' once it exited. */
static char
process_state (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL || end[1] != ' ')
    return '?';

  return end[2];
}

/* The create was logged when its headers arrived; once the process
 * sleeps, its body was sent too. */
static gboolean
posted_at_least (gpointer data)
{
  Posted *posted = data;

  char state = process_state (posted->process);

  return lk_sim_count_requests (posted->sim, "POST", "/v1/predictions") >= posted->count &&
         (state == 'S' || state == 'Z');
}

typedef struct
{
  LkClient *client;
  gboolean  ended;
} Listing;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Listing *listing = user_data;
  g_autoptr(GPtrArray) predictions = lk_client_list_predictions_finish (LK_CLIENT (object), result, NULL);

  listing->ended = predictions != NULL && predictions->len > 0;
  for (guint i = 0; predictions != NULL && i < predictions->len; i++)
    listing->ended &= lk_prediction_is_terminal (g_ptr_array_index (predictions, i));

  if (!listing->ended)
    lk_client_list_predictions_async (listing->client, NULL, NULL, listed_cb, listing);
}

static gboolean
all_ended (gpointer data)
{
  return ((Listing *) data)->ended;
}

/* Waits, by asking the simulator as a client would, until every
 * prediction it made has ended. */
static void
wait_all_ended (Fixture *f)
{
  g_autoptr(LkClient) client = lk_client_new (NULL, lk_sim_get_base_url (f->sim));
  Listing listing = { client, FALSE };

  lk_client_set_token (client, LK_SIM_TOKEN);
  lk_client_list_predictions_async (client, NULL, NULL, listed_cb, &listing);
  g_assert_true (lk_test_wait_for (all_ended, &listing, DEADLINE_MS));
}

typedef struct
{
  /* Whether the held prediction has ended when the job resumes. */
  gboolean ended;
  /* Whether the job runs a LoRA trained first, rather than the chain. */
  gboolean trained;
} KilledCase;

/* Trains "Ada" with the simulator, into the fixture's store. */
static void
train_model (Fixture *f)
{
  g_autofree char *faces = g_build_filename (f->dir, "faces", NULL);
  g_autoptr(GListStore) photos = NULL;
  g_autoptr(GSubprocess) train = NULL;

  /* A second of training; the portraits then run as long as the chain's. */
  lk_sim_set_model_duration (f->sim, "ostris/flux-dev-lora-trainer", 50);
  lk_sim_set_model_duration (f->sim, "likeness-sim/likeness-lora", 100);
  g_assert_cmpint (g_mkdir (faces, 0700), ==, 0);
  photos = lk_test_photo_faces (faces, "ada", 10);
  train = lk_test_cli_spawn (f->launcher, "train", "--photos", faces, "--name", "Ada", "--trigger", "adax42",
                             "--preset", "draft", "--no-sample", NULL);
  g_assert_cmpint (finish (train), ==, 0);
}

static void
test_killed_during_create (Fixture       *f,
                           gconstpointer  data)
{
  const KilledCase *test = data;
  gboolean ended = test->ended;
  g_autoptr(GSubprocess) generate = NULL;
  g_autoptr(GSubprocess) resume = NULL;
  g_autoptr(GError) error = NULL;
  Posted posted = { f->sim, 3, NULL };
  guint wake;

  /* Two seconds a run: the held one still runs when the job resumes. */
  if (!ended)
    lk_sim_set_model_duration (f->sim, "bytedance/flux-pulid", 100);

  /* The third create is held two seconds before it is carried out: the
   * process dies knowing it asked, but not what came of it. */
  g_assert_true (lk_sim_add_faults (f->sim, "[{\"method\": \"POST\", \"path\": \"/v1/predictions\", "
                                    "\"fault\": \"slow\", \"delay\": 2, \"skip\": 2, \"times\": 1}]", &error));
  g_assert_no_error (error);
  if (test->trained)
    {
      train_model (f);
      generate = lk_test_cli_spawn (f->launcher, "generate", "--model", "ada", "--concurrency", "1", "--out", f->out,
                                    "--styles", "business-headshot,casual,studio-classic,cinematic", NULL);
    }
  else
    {
      generate = lk_test_cli_spawn (f->launcher, "generate", "--photos", f->photos, "--concurrency", "1",
                                    "--out", f->out, "--styles", "business-headshot,casual,studio-classic,cinematic",
                                    NULL);
    }
  read_job_id (generate);

  posted.process = generate;
  wake = g_timeout_add (5, wake_cb, NULL);
  g_assert_true (lk_test_wait_for (posted_at_least, &posted, DEADLINE_MS));
  g_source_remove (wake);
  g_subprocess_send_signal (generate, SIGKILL);
  g_subprocess_wait (generate, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_signaled (generate))
    {
      g_test_skip ("The process ended before it could be killed during its create");
      return;
    }

  /* The held create is carried out after all, once its time passed.
   * Should the process have been killed before it sent the body after
   * all, it never made the create, and there is nothing to find. */
  if (!wait_for_creates (f->sim, 3, HELD_CREATE_MS))
    {
      g_test_skip ("The process was killed before its create was sent");
      return;
    }
  if (ended)
    wait_all_ended (f);

  resume = lk_test_cli_spawn (f->launcher, "resume", NULL);
  g_assert_cmpint (finish (resume), ==, 0);

  /* Found by its input and adopted, not made again. */
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 4);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSubprocess) generate = NULL;
  g_autoptr(GSubprocess) cancel = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *job = NULL;
  g_autoptr(GError) error = NULL;
  guint canceled = 0;

  /* Long runs: the cancel comes while they run. */
  lk_sim_set_model_duration (f->sim, "bytedance/flux-pulid", 6000);
  generate = lk_test_cli_spawn (f->launcher, "generate", "--photos", f->photos, "--concurrency", "2",
                                "--out", f->out, "--styles", "business-headshot,film-noir,anime", NULL);
  job = g_strdup_printf ("%" G_GINT64_FORMAT, read_job_id (generate));
  g_assert_true (wait_for_creates (f->sim, 2, DEADLINE_MS));
  g_subprocess_send_signal (generate, SIGKILL);
  g_subprocess_wait (generate, NULL, &error);
  g_assert_no_error (error);

  cancel = lk_test_cli_spawn (f->launcher, "cancel", job, NULL);
  g_assert_cmpint (finish (cancel), ==, 0);

  /* Both predictions were canceled on Replicate; the third never made. */
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 2);
  requests = lk_sim_get_requests (f->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, "POST") && g_str_has_suffix (request->path, "/cancel"))
        {
          g_autofree char *id = g_strndup (request->path + strlen ("/v1/predictions/"),
                                           strlen (request->path) - strlen ("/v1/predictions/") - strlen ("/cancel"));
          g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (f->sim, id);

          g_assert_cmpstr (json_object_get_string_member (prediction, "status"), ==, "canceled");
          canceled++;
        }
    }
  g_assert_cmpuint (canceled, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *name;
    KilledCase  test;
  } killed_cases[] = {
    { "running", { FALSE, FALSE } },
    { "ended", { TRUE, FALSE } },
    { "trained", { FALSE, TRUE } },
  };

  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/cli-batch/killed-and-resumed", Fixture, NULL, fixture_set_up, test_killed_and_resumed,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (killed_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/cli-batch/killed-during-create/%s", killed_cases[i].name);

      g_test_add (path, Fixture, &killed_cases[i].test, fixture_set_up, test_killed_during_create, fixture_tear_down);
    }
  g_test_add ("/lk/cli-batch/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
