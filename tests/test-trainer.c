/* test-trainer.c: LkTrainer against replicate-sim: a whole training with
 * its progress and its record, the destination model created once and
 * reused, a failed training's reason, cancel reaching Replicate, a
 * restarted app watching the training it left instead of starting
 * another, budget caps, and portraits with the trained version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-enums.h"
#include "lk-sim.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"
#include "lk-trainer.h"
#include "lk-trigger-word.h"

#define TRAINER "ostris/flux-dev-lora-trainer"
#define TRAININGS_PATH "/v1/models/ostris/flux-dev-lora-trainer/versions/*/trainings"
#define DESTINATION "likeness-sim/likeness-lora"
/* The simulated training of 1200 s takes 1.2 s. */
#define TIME_SCALE 0.001
#define POLL_INTERVAL 0.01
#define N_PHOTOS 10

static const char *home;
static GListStore *photos;

typedef struct
{
  LkSim     *sim;
  LkClient  *client;
  LkStore   *store;
  LkCatalog *catalog;
  LkTrainer *trainer;
  char      *dir;
} Fixture;

static LkClient *
new_client (LkSim *sim)
{
  LkClient *client = lk_client_new (NULL, lk_sim_get_base_url (sim));

  lk_client_set_token (client, LK_SIM_TOKEN);
  return client;
}

static LkTrainer *
new_trainer (Fixture *fixture)
{
  LkTrainer *trainer = lk_trainer_new (fixture->client, fixture->store, fixture->catalog);

  lk_trainer_set_poll_interval (trainer, POLL_INTERVAL);
  return trainer;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (home, "trainer-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sim = lk_sim_new ();
  lk_sim_set_time_scale (fixture->sim, TIME_SCALE);
  g_assert_true (lk_sim_start (fixture->sim, &error));
  g_assert_no_error (error);

  fixture->dir = g_mkdtemp (g_steal_pointer (&template));
  path = g_build_filename (fixture->dir, "likeness.db", NULL);
  fixture->store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  fixture->client = new_client (fixture->sim);
  fixture->catalog = lk_catalog_new (NULL);
  fixture->trainer = new_trainer (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->trainer));
  g_clear_object (&fixture->catalog);
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  lk_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_free (fixture->dir);
}

static LkTrainingPlan *
new_plan (Fixture    *fixture,
          const char *name,
          const char *trigger_word,
          gboolean    sample)
{
  LkTrainingPlan *plan = lk_training_plan_new (lk_catalog_lookup (fixture->catalog, TRAINER));
  g_autoptr(LkPhoto) first = g_list_model_get_item (G_LIST_MODEL (photos), 0);

  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);
  lk_training_plan_set_name (plan, name);
  lk_training_plan_set_trigger_word (plan, trigger_word);
  lk_training_plan_set_subject_type (plan, LK_SUBJECT_TYPE_FACE);
  lk_training_plan_set_preset (plan, LK_QUALITY_PRESET_DRAFT);
  lk_training_plan_set_sample (plan, sample);
  lk_training_plan_set_caption (plan, first, "gracex42 in a studio");
  return plan;
}

static LkTrainedModel *
train (LkTrainer       *trainer,
       LkTrainingPlan  *plan,
       GCancellable    *cancellable,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_trainer_train_async (trainer, plan, cancellable, lk_test_store_result, &result);
  return lk_trainer_train_finish (trainer, lk_test_wait_for_result (&result), error);
}

/* Requests whose path matches the glob @pattern and that were answered
 * with @status, or with anything for 0. */
static guint
count_answers (LkSim      *sim,
               const char *method,
               const char *pattern,
               guint       status)
{
  g_autoptr(GPtrArray) requests = lk_sim_get_requests (sim);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);

      count += g_str_equal (request->method, method) && g_pattern_match_simple (pattern, request->path) &&
               (status == 0 || request->status == status);
    }

  return count;
}

static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);

  return g_enum_get_value (enum_class, value)->value_nick;
}

typedef struct
{
  GString *statuses;
  guint    max_step;
  guint    step_changes;
} Progress;

static void
progress_cb (LkTrainer  *trainer,
             GParamSpec *pspec,
             Progress   *progress)
{
  if (g_str_equal (pspec->name, "status"))
    g_string_append_printf (progress->statuses, "%s ", nick (LK_TYPE_TRAINING_STATUS, lk_trainer_get_status (trainer)));
  else
    {
      progress->step_changes++;
      progress->max_step = MAX (progress->max_step, lk_trainer_get_step (trainer));
    }
}

static gboolean
is_processing (gpointer data)
{
  return lk_trainer_get_status (data) == LK_TRAINING_STATUS_PROCESSING && lk_trainer_get_step (data) > 0;
}

static gboolean
is_uploading (gpointer data)
{
  return lk_trainer_get_status (data) == LK_TRAINING_STATUS_UPLOADING;
}

static void
test_create_destroy (void)
{
  g_autoptr(LkSim) sim = lk_sim_new ();
  g_autoptr(LkClient) client = new_client (sim);
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autofree char *path = g_build_filename (home, "create-destroy.db", NULL);
  g_autoptr(LkStore) store = lk_store_new_sync (path, NULL, NULL);
  LkTrainer *trainer = lk_trainer_new (client, store, catalog);

  g_assert_false (lk_trainer_get_busy (trainer));
  g_assert_cmpstr (lk_model_get_id (lk_trainer_get_trainer_model (trainer)), ==, TRAINER);
  g_assert_cmpint (lk_model_get_role (lk_trainer_get_runner_model (trainer)), ==, LK_MODEL_ROLE_LORA_RUNNER);
  g_assert_cmpfloat (lk_trainer_get_poll_interval (trainer), ==, LK_TRAINER_POLL_INTERVAL);
  g_assert_finalize_object (trainer);
}

/* The whole way, watched as the wizard watches it. */
static void
test_train (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", TRUE);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = NULL;
  JsonObject *input;
  Progress progress = { g_string_new (NULL) };

  g_signal_connect (fixture->trainer, "notify::status", G_CALLBACK (progress_cb), &progress);
  g_signal_connect (fixture->trainer, "notify::step", G_CALLBACK (progress_cb), &progress);

  model = train (fixture->trainer, plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);

  /* Every step was shown, and the steps counted up from the logs. */
  g_assert_cmpstr (progress.statuses->str, ==, "preparing uploading creating starting processing succeeded ");
  g_assert_cmpuint (progress.step_changes, >=, 2);
  g_assert_cmpuint (progress.max_step, ==, 500);
  g_assert_cmpuint (lk_trainer_get_total_steps (fixture->trainer), ==, 500);
  g_assert_cmpfloat (lk_trainer_get_eta (fixture->trainer), ==, 0);
  g_assert_false (lk_trainer_get_busy (fixture->trainer));
  g_assert_nonnull (strstr (lk_trainer_get_logs (fixture->trainer), "500/500"));
  g_string_free (progress.statuses, TRUE);

  /* The trained model, as the store keeps it. */
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_SUCCEEDED);
  g_assert_cmpstr (lk_trained_model_get_name (model), ==, "Grace");
  g_assert_cmpstr (lk_trained_model_get_trigger_word (model), ==, "gracex42");
  g_assert_cmpint (lk_trained_model_get_subject_type (model), ==, LK_SUBJECT_TYPE_FACE);
  g_assert_cmpstr (lk_trained_model_get_destination (model), ==, DESTINATION);
  g_assert_cmpuint (strlen (lk_trained_model_get_version (model)), ==, 64);
  g_assert_true (g_str_has_prefix (lk_trained_model_get_weights_url (model), "http://127.0.0.1:"));
  reference = lk_trained_model_dup_reference (model);
  g_assert_true (g_str_has_prefix (reference, DESTINATION ":"));
  g_assert_cmpint (lk_trained_model_get_created (model), >, 0);
  g_assert_cmpint (lk_trained_model_get_last_used (model), >, 0);
  g_assert_null (lk_trained_model_get_error (model));
  /* 1200 s of H100 at $0.001525 a second, as the trainer reported. */
  g_assert_cmpfloat (lk_trained_model_get_predict_time (model), ==, 1200);
  g_assert_cmpint (lk_trained_model_get_cost (model), ==, 1830000);
  g_assert_cmpint (lk_trainer_get_cost (fixture->trainer), ==, 1830000);

  /* The first portrait is its picture. */
  g_assert_nonnull (lk_trained_model_get_thumbnail (model));
  g_assert_true (g_file_test (lk_trained_model_get_thumbnail (model), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (lk_trained_model_get_thumbnail (model), fixture->dir));

  /* What Replicate was asked for. */
  input = lk_trained_model_get_input (model);
  g_assert_cmpstr (json_object_get_string_member (input, "trigger_word"), ==, "gracex42");
  g_assert_cmpint (json_object_get_int_member (input, "steps"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (input, "lora_rank"), ==, 16);
  g_assert_cmpstr (json_object_get_string_member (input, "resolution"), ==, "512");
  g_assert_true (json_object_get_boolean_member (input, "autocaption"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (input, "input_images"), lk_sim_get_base_url (fixture->sim)));
  server_view = lk_sim_dup_prediction (fixture->sim, lk_trained_model_get_training_id (model));
  g_assert_cmpstr (json_object_get_string_member (server_view, "status"), ==, "succeeded");

  /* One upload, deleted once the training was over; nothing left on disk. */
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/files"), ==, 1);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "DELETE", "/v1/files/"), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 201), ==, 1);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);

  models = lk_store_list_trained_models (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
}

/* The first training creates <username>/likeness-lora after the 404;
 * the second finds it there. */
static void
test_destination (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) first_plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainingPlan) second_plan = new_plan (fixture, "Grace again", "gracex43", FALSE);
  g_autoptr(LkTrainedModel) first = NULL;
  g_autoptr(LkTrainedModel) second = NULL;
  g_autoptr(GError) error = NULL;

  first = train (fixture->trainer, first_plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 404), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "GET", "/v1/models/" DESTINATION, 404), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", "/v1/models", 201), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 201), ==, 1);
  g_assert_null (lk_trained_model_get_thumbnail (first));

  second = train (fixture->trainer, second_plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", "/v1/models", 0), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 404), ==, 1);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 201), ==, 2);

  /* Two versions of one model. */
  g_assert_cmpstr (lk_trained_model_get_destination (first), ==, lk_trained_model_get_destination (second));
  g_assert_cmpstr (lk_trained_model_get_version (first), !=, lk_trained_model_get_version (second));
}

static void
test_failed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", TRUE);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(LkTrainedModel) recorded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_add_faults (fixture->sim,
                                    "[{\"model\": \"" TRAINER "\", \"times\": 0, \"fault\": \"fail\","
                                    "  \"error\": \"CUDA out of memory while training the LoRA\"}]",
                                    &error));
  g_assert_no_error (error);

  model = train (fixture->trainer, plan, NULL, &error);
  g_assert_null (model);
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "CUDA out of memory while training the LoRA"));
  g_assert_cmpint (lk_trainer_get_status (fixture->trainer), ==, LK_TRAINING_STATUS_FAILED);
  /* Whoever watches the trainer rather than the call learns it too. */
  g_assert_error (lk_trainer_get_error (fixture->trainer), LK_TRAINER_ERROR, LK_TRAINER_ERROR_FAILED);
  g_assert_cmpstr (lk_trainer_get_error (fixture->trainer)->message, ==, error->message);
  g_clear_error (&error);

  /* The Models list shows why; a failed run of a public model is free,
   * and no portrait was attempted. */
  recorded = lk_store_get_trained_model (fixture->store, lk_trainer_get_model_id (fixture->trainer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (recorded), ==, LK_TRAINING_STATUS_FAILED);
  g_assert_cmpstr (lk_trained_model_get_error (recorded), ==, "CUDA out of memory while training the LoRA");
  g_assert_cmpint (lk_trained_model_get_cost (recorded), ==, 0);
  g_assert_null (lk_trained_model_dup_reference (recorded));
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/predictions"), ==, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", TRUE);
  g_autoptr(LkTrainedModel) recorded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cancel_path = NULL;

  lk_trainer_train_async (fixture->trainer, plan, NULL, lk_test_store_result, &result);
  g_assert_true (lk_test_wait_for (is_processing, fixture->trainer, 30000));
  lk_trainer_cancel (fixture->trainer);

  g_assert_null (lk_trainer_train_finish (fixture->trainer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED);
  g_clear_error (&error);

  /* Replicate heard it and stopped. */
  cancel_path = g_strdup_printf ("/v1/trainings/%s/cancel", lk_trainer_get_training_id (fixture->trainer));
  g_assert_cmpuint (count_answers (fixture->sim, "POST", cancel_path, 200), ==, 1);
  server_view = lk_sim_dup_prediction (fixture->sim, lk_trainer_get_training_id (fixture->trainer));
  g_assert_cmpstr (json_object_get_string_member (server_view, "status"), ==, "canceled");

  /* Canceled runs are charged for the time they ran. */
  recorded = lk_store_get_trained_model (fixture->store, lk_trainer_get_model_id (fixture->trainer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (recorded), ==, LK_TRAINING_STATUS_CANCELED);
  g_assert_cmpint (lk_trained_model_get_cost (recorded), >, 0);
  g_assert_cmpint (lk_trained_model_get_cost (recorded), <, 1830000);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/predictions"), ==, 0);
}

/* Canceled while the photos go up: Replicate never gets a training. */
static void
test_cancel_early (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", TRUE);
  g_autoptr(LkTrainedModel) recorded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkSpending spending = { 0 };

  /* A slow upload, to cancel it on its way. */
  g_assert_true (lk_sim_add_faults (fixture->sim, "[{\"path\": \"/v1/files\", \"fault\": \"slow\", \"delay\": 2}]", &error));
  g_assert_no_error (error);

  lk_trainer_train_async (fixture->trainer, plan, NULL, lk_test_store_result, &result);
  g_assert_true (lk_test_wait_for (is_uploading, fixture->trainer, 30000));
  lk_trainer_cancel (fixture->trainer);

  g_assert_null (lk_trainer_train_finish (fixture->trainer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED);
  g_clear_error (&error);
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 0), ==, 0);

  recorded = lk_store_get_trained_model (fixture->store, lk_trainer_get_model_id (fixture->trainer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (recorded), ==, LK_TRAINING_STATUS_CANCELED);
  g_assert_null (lk_trained_model_get_training_id (recorded));

  /* Nothing spent, nothing held back. */
  g_assert_true (lk_store_get_spending (fixture->store, lk_trained_model_get_job_id (recorded), NULL, &spending, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_job_id (recorded), >, 0);
  g_assert_cmpint (spending.job, ==, 0);
  g_assert_cmpint (spending.day, ==, 0);
}

/* The app closes while the training runs; the next start watches it. */
static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainingPlan) another = new_plan (fixture, "Someone else", "zorblat7", FALSE);
  g_autoptr(GCancellable) closing = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) resumed = NULL;
  g_autoptr(LkTrainedModel) left = NULL;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(LkTrainedModel) interrupted = NULL;
  g_autoptr(LkClient) client = NULL;
  g_autoptr(LkTrainer) restarted = NULL;
  g_autoptr(GError) error = NULL;
  LkTrainedModelSpec crashed = { "Crashed", NULL, LK_SUBJECT_TYPE_FACE, "crashx11", DESTINATION, 0 };
  gint64 crashed_id;
  gint64 model_id;

  lk_trainer_train_async (fixture->trainer, plan, closing, lk_test_store_result, &result);
  g_assert_true (lk_test_wait_for (is_processing, fixture->trainer, 30000));
  model_id = lk_trainer_get_model_id (fixture->trainer);
  g_cancellable_cancel (closing);
  g_assert_null (lk_trainer_train_finish (fixture->trainer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  left = lk_store_get_trained_model (fixture->store, model_id, &error);
  g_assert_no_error (error);
  g_assert_true (lk_trained_model_is_under_way (left));
  g_assert_nonnull (lk_trained_model_get_training_id (left));

  /* And a training an earlier crash left before it reached Replicate. */
  crashed_id = lk_store_add_trained_model (fixture->store, &crashed, &error);
  g_assert_no_error (error);

  /* Another training would not start while that one runs. */
  client = new_client (fixture->sim);
  restarted = lk_trainer_new (client, fixture->store, fixture->catalog);
  lk_trainer_set_poll_interval (restarted, POLL_INTERVAL);
  g_assert_null (train (restarted, another, NULL, &error));
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Grace"));
  g_clear_error (&error);

  lk_trainer_resume_async (restarted, NULL, lk_test_store_result, &resumed);
  g_assert_true (lk_trainer_get_busy (restarted));
  g_assert_cmpint (lk_trainer_get_model_id (restarted), ==, model_id);
  model = lk_trainer_resume_finish (restarted, lk_test_wait_for_result (&resumed), &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpint (lk_trained_model_get_id (model), ==, model_id);
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_SUCCEEDED);
  g_assert_cmpuint (strlen (lk_trained_model_get_version (model)), ==, 64);
  g_assert_cmpint (lk_trained_model_get_cost (model), ==, 1830000);
  g_assert_cmpuint (lk_trainer_get_step (restarted), ==, 500);

  /* It watched; it did not start another. */
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 201), ==, 1);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/files"), ==, 1);

  interrupted = lk_store_get_trained_model (fixture->store, crashed_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (interrupted), ==, LK_TRAINING_STATUS_FAILED);

  /* Nothing left to resume. */
  g_clear_object (&resumed);
  lk_trainer_resume_async (restarted, NULL, lk_test_store_result, &resumed);
  g_assert_null (lk_trainer_resume_finish (restarted, lk_test_wait_for_result (&resumed), &error));
  g_assert_no_error (error);
}

/* Trains with the create's answer lost and Replicate refusing the list
 * that would tell whether it happened: the training fails as left open,
 * and Replicate is reachable again afterwards. */
static void
lose_create (Fixture        *fixture,
             LkTrainingPlan *plan)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_add_faults (fixture->sim,
                                    "[{\"method\": \"POST\", \"path\": \"" TRAININGS_PATH "\", \"skip\": 1,"
                                    "  \"fault\": \"drop-after\"},"
                                    " {\"method\": \"GET\", \"path\": \"/v1/trainings\", \"times\": 0,"
                                    "  \"fault\": \"status\", \"status\": 401}]",
                                    &error));
  g_assert_no_error (error);

  g_assert_null (train (fixture->trainer, plan, NULL, &error));
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "looks for it the next time"));
  g_assert_false (lk_trainer_get_busy (fixture->trainer));
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 0), ==, 2);
  lk_sim_clear_faults (fixture->sim);
}

/* The answer to the training's create is lost and Replicate cannot be
 * asked about it (it refuses the list): the record stays open, and the
 * next start finds the training on Replicate and watches it to the end,
 * while a record whose training Replicate never received is closed. One
 * training either way. */
static void
test_lost_create (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainedModel) left = NULL;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(LkTrainedModel) never = NULL;
  g_autoptr(LkTrainer) restarted = NULL;
  g_autoptr(GAsyncResult) resumed = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  LkTrainedModelSpec unsent = { "Never sent", NULL, LK_SUBJECT_TYPE_FACE, "neverx12", DESTINATION, 0 };
  gint64 unsent_id;
  gint64 model_id;
  gint64 spent = 0;

  lose_create (fixture, plan);

  models = lk_store_list_trained_models (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  model_id = lk_trained_model_get_id (g_ptr_array_index (models, 0));
  left = lk_store_get_trained_model (fixture->store, model_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (left), ==, LK_TRAINING_STATUS_CREATING);
  g_assert_null (lk_trained_model_get_training_id (left));

  /* A record left as its create was about to be sent, which never was. */
  unsent_id = lk_store_add_trained_model (fixture->store, &unsent, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_update_training (fixture->store, unsent_id, LK_TRAINING_STATUS_CREATING, NULL, NULL, NULL,
                                           "{\"input_images\": \"https://example.com/never-sent.zip\"}", &error));
  g_assert_no_error (error);

  /* The next start, with Replicate reachable again. */
  restarted = new_trainer (fixture);
  lk_trainer_resume_async (restarted, NULL, lk_test_store_result, &resumed);
  model = lk_trainer_resume_finish (restarted, lk_test_wait_for_result (&resumed), &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpint (lk_trained_model_get_id (model), ==, model_id);
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_SUCCEEDED);
  g_assert_cmpuint (strlen (lk_trained_model_get_version (model)), ==, 64);
  g_assert_cmpint (lk_trained_model_get_cost (model), ==, 1830000);
  g_assert_true (lk_store_get_job_spent (fixture->store, lk_trained_model_get_job_id (model), &spent, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spent, ==, 1830000);

  never = lk_store_get_trained_model (fixture->store, unsent_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_status (never), ==, LK_TRAINING_STATUS_FAILED);

  /* Watched, not started again; the photos were uploaded once. */
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 0), ==, 2);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/files"), ==, 1);
}

typedef struct
{
  LkClient *client;
  gboolean  removed;
} Listing;

/* Lists the trainings, as a restarted app would, until the newest has
 * lost its input. */
static void
forgotten_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Listing *listing = user_data;
  g_autoptr(GPtrArray) trainings = lk_client_list_trainings_finish (LK_CLIENT (object), result, NULL);
  JsonObject *input = trainings != NULL && trainings->len > 0
                      ? lk_prediction_get_input (g_ptr_array_index (trainings, 0)) : NULL;

  listing->removed = trainings != NULL && trainings->len > 0 && (input == NULL || json_object_get_size (input) == 0);
  if (!listing->removed)
    lk_client_list_trainings_async (listing->client, NULL, NULL, forgotten_listed_cb, listing);
}

static gboolean
input_removed (gpointer data)
{
  return ((Listing *) data)->removed;
}

/* As above, but the next start comes after Replicate removed the
 * training's input (an hour after it ended): it cannot be told whether
 * the training was this one, and the record says where to look rather
 * than that nothing was spent. Nothing is created again. */
static void
test_lost_create_forgotten (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainedModel) closed = NULL;
  g_autoptr(LkTrainer) restarted = NULL;
  g_autoptr(GAsyncResult) resumed = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  Listing listing = { NULL, FALSE };

  /* The data of an ended run is gone a millisecond later. */
  lk_sim_set_output_lifetime (fixture->sim, 1);
  lose_create (fixture, plan);

  /* The training runs its 1.2 s to the end while the app is closed. */
  listing.client = fixture->client;
  lk_client_list_trainings_async (fixture->client, NULL, NULL, forgotten_listed_cb, &listing);
  g_assert_true (lk_test_wait_for (input_removed, &listing, 30000));

  restarted = new_trainer (fixture);
  lk_trainer_resume_async (restarted, NULL, lk_test_store_result, &resumed);
  g_assert_null (lk_trainer_resume_finish (restarted, lk_test_wait_for_result (&resumed), &error));
  g_assert_no_error (error);

  models = lk_store_list_trained_models (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  closed = g_object_ref (g_ptr_array_index (models, 0));
  g_assert_cmpint (lk_trained_model_get_status (closed), ==, LK_TRAINING_STATUS_FAILED);
  g_assert_nonnull (strstr (lk_trained_model_get_error (closed), "replicate.com"));
  g_assert_null (strstr (lk_trained_model_get_error (closed), "Nothing was spent"));
  g_assert_cmpuint (count_answers (fixture->sim, "POST", TRAININGS_PATH, 0), ==, 2);
}

/* Resumed after Replicate removed the training's output (an hour after
 * it ended): the version comes from the destination model. */
static void
test_output_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  g_autoptr(GError) error = NULL;

  /* Looked at only once the output is long gone. */
  lk_sim_set_output_lifetime (fixture->sim, 1);
  lk_trainer_set_poll_interval (fixture->trainer, 2);

  model = train (fixture->trainer, plan, NULL, &error);
  g_assert_no_error (error);
  server_view = lk_sim_dup_prediction (fixture->sim, lk_trained_model_get_training_id (model));
  g_assert_true (json_object_get_boolean_member (server_view, "data_removed"));
  g_assert_true (json_object_get_null_member (server_view, "output"));

  /* The destination's newest version is the one the training made. */
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_SUCCEEDED);
  g_assert_cmpuint (strlen (lk_trained_model_get_version (model)), ==, 64);
  g_assert_cmpuint (count_answers (fixture->sim, "GET", "/v1/models/" DESTINATION, 200), ==, 1);
}

static void
test_budget (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", TRUE);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(LkTrainedModel) recorded = NULL;
  g_autoptr(GError) error = NULL;

  lk_budget_set_daily (budget, 0.5);
  lk_trainer_set_budget (fixture->trainer, budget);

  g_assert_null (train (fixture->trainer, plan, NULL, &error));
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUDGET);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/files"), ==, 0);

  recorded = lk_store_get_trained_model (fixture->store, lk_trainer_get_model_id (fixture->trainer), NULL);
  g_assert_cmpint (lk_trained_model_get_status (recorded), ==, LK_TRAINING_STATUS_FAILED);
}

static void
test_refused_plan (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "person", TRUE);
  g_autoptr(LkTrainingPlan) empty = lk_training_plan_new (lk_catalog_lookup (fixture->catalog, TRAINER));
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (train (fixture->trainer, plan, NULL, &error));
  g_assert_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_COMMON_WORD);
  g_clear_error (&error);

  lk_training_plan_set_name (empty, "Nobody");
  lk_training_plan_set_trigger_word (empty, "nobodyq12");
  g_assert_null (train (fixture->trainer, empty, NULL, &error));
  g_assert_error (error, LK_TRAINING_PLAN_ERROR, LK_TRAINING_PLAN_ERROR_PHOTOS);

  /* Refused before anything was written or sent. */
  models = lk_store_list_trained_models (fixture->store, NULL);
  g_assert_cmpuint (models->len, ==, 0);
  requests = lk_sim_get_requests (fixture->sim);
  g_assert_cmpuint (requests->len, ==, 0);
}

/* What the portrait batch does with a trained model: its version, the
 * runner's inputs, the trigger word in each style's prompt. */
static void
test_generate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) server_view = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = NULL;
  LkModel *runner = lk_trainer_get_runner_model (fixture->trainer);
  JsonObject *sent;

  model = train (fixture->trainer, plan, NULL, &error);
  g_assert_no_error (error);

  reference = lk_trained_model_dup_reference (model);
  json_object_set_int_member (values, "seed", 1234);
  json_object_set_string_member (values, "aspect_ratio", "4:5");
  input = lk_trained_model_build_input (model, runner, LK_QUALITY_PRESET_STANDARD,
                                        "professional corporate headshot of {subject}, wearing a tailored dark suit",
                                        values, &error);
  g_assert_no_error (error);

  lk_client_create_prediction_async (fixture->client, reference, input, 0, 0, NULL, lk_test_store_result, &created);
  prediction = lk_client_create_prediction_finish (fixture->client, lk_test_wait_for_result (&created), &error);
  g_assert_no_error (error);
  lk_client_wait_async (fixture->client, prediction, NULL, lk_test_store_result, &waited);
  g_assert_true (lk_client_wait_finish (fixture->client, lk_test_wait_for_result (&waited), &error));
  g_assert_no_error (error);
  g_assert_nonnull (lk_prediction_get_outputs (prediction)[0]);

  /* The simulator checked the input against the trained version's schema. */
  server_view = lk_sim_dup_prediction (fixture->sim, lk_prediction_get_id (prediction));
  g_assert_cmpstr (json_object_get_string_member (server_view, "version"), ==, lk_trained_model_get_version (model));
  sent = json_object_get_object_member (server_view, "input");
  g_assert_cmpstr (json_object_get_string_member (sent, "prompt"), ==,
                   "professional corporate headshot of gracex42 person, wearing a tailored dark suit");
  g_assert_cmpint (json_object_get_int_member (sent, "num_inference_steps"), ==, 28);
  g_assert_cmpstr (json_object_get_string_member (sent, "aspect_ratio"), ==, "4:5");
  g_assert_cmpint (json_object_get_int_member (sent, "seed"), ==, 1234);
}

/* Made later from the Models list, for a model without a picture. */
static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkTrainingPlan) plan = new_plan (fixture, "Grace", "gracex42", FALSE);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(LkTrainedModel) pictured = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  const char *thumbnail;
  char *id_start;

  model = train (fixture->trainer, plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (lk_trained_model_get_thumbnail (model));
  g_assert_cmpint (lk_trained_model_get_last_used (model), ==, 0);
  g_assert_cmpint (lk_trainer_estimate_sample (fixture->trainer), ==, 15250);

  lk_trainer_make_sample_async (fixture->trainer, model, NULL, lk_test_store_result, &result);
  pictured = lk_trainer_make_sample_finish (fixture->trainer, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  thumbnail = lk_trained_model_get_thumbnail (pictured);
  g_assert_true (g_file_test (thumbnail, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (lk_trained_model_get_last_used (pictured), >, 0);

  /* Its prompt called the model by its trigger word. */
  id_start = strrchr (thumbnail, '-') + 1;
  {
    g_autofree char *id = g_strndup (id_start, strcspn (id_start, "."));

    server_view = lk_sim_dup_prediction (fixture->sim, id);
  }
  g_assert_nonnull (server_view);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (server_view, "input"), "prompt"),
                            "gracex42 person"));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  photos = lk_test_photo_faces (home, "grace", N_PHOTOS);

  g_test_add_func ("/lk/trainer/create-destroy", test_create_destroy);
  ADD ("/lk/trainer/train", test_train);
  ADD ("/lk/trainer/destination", test_destination);
  ADD ("/lk/trainer/failed", test_failed);
  ADD ("/lk/trainer/cancel", test_cancel);
  ADD ("/lk/trainer/cancel-early", test_cancel_early);
  ADD ("/lk/trainer/resume", test_resume);
  ADD ("/lk/trainer/output-removed", test_output_removed);
  ADD ("/lk/trainer/budget", test_budget);
  ADD ("/lk/trainer/lost-create", test_lost_create);
  ADD ("/lk/trainer/lost-create-forgotten", test_lost_create_forgotten);
  ADD ("/lk/trainer/refused-plan", test_refused_plan);
  ADD ("/lk/trainer/generate", test_generate);
  ADD ("/lk/trainer/sample", test_sample);

  result = g_test_run ();
  g_clear_object (&photos);
  return result;
}
