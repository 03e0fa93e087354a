/* test-batch-trained.c: LkBatch running a model the person trained, against
 * the Replicate simulator: the trained version, the trigger word in every
 * prompt, no photo uploaded, and resume with the same model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "lk-batch.h"
#include "lk-catalog.h"
#include "lk-photo-analysis.h"
#include "lk-sim.h"
#include "lk-style-library.h"
#include "lk-test-photos.h"
#include "lk-test-batch.h"
#include "lk-test-utils.h"
#include "lk-trainer.h"

#define TRAINER "ostris/flux-dev-lora-trainer"
#define TRIGGER "gracex42"
#define N_PHOTOS 10
#define N_STYLES 3

static const char *home;

typedef struct
{
  LkSim          *sim;
  LkClient       *client;
  LkStore        *store;
  LkCatalog      *catalog;
  LkBudget       *budget;
  LkStyleLibrary *styles;
  LkTrainedModel *trained;
  GFile          *out;
  char           *dir;
} Fixture;

static GListStore *
make_photos (const char *dir)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) sized = gdk_pixbuf_scale_simple (face, 600, 700, GDK_INTERP_BILINEAR);
  GListStore *photos = g_list_store_new (LK_TYPE_PHOTO);

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_autofree char *name = g_strdup_printf ("grace-%02u.jpg", i);
      g_autofree char *path = lk_test_photo_save (sized, dir, name, 85);
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPhoto) photo = lk_photo_analyze (path, NULL, 0, &error);

      g_assert_no_error (error);
      g_list_store_append (photos, photo);
    }

  return photos;
}

/* A trained version, made the way a person makes one: a training into
 * the destination model, which gives the simulator a new version. */
static LkTrainedModel *
train (Fixture *f)
{
  g_autoptr(GListStore) photos = make_photos (f->dir);
  g_autoptr(LkTrainer) trainer = lk_trainer_new (f->client, f->store, f->catalog);
  g_autoptr(LkTrainingPlan) plan = lk_training_plan_new (lk_catalog_lookup (f->catalog, TRAINER));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkTrainedModel *model;

  lk_trainer_set_poll_interval (trainer, 0.01);
  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);
  lk_training_plan_set_name (plan, "Grace");
  lk_training_plan_set_trigger_word (plan, TRIGGER);
  lk_training_plan_set_subject_type (plan, LK_SUBJECT_TYPE_FACE);
  lk_training_plan_set_preset (plan, LK_QUALITY_PRESET_DRAFT);
  lk_training_plan_set_sample (plan, FALSE);

  lk_trainer_train_async (trainer, plan, NULL, lk_test_store_result, &result);
  model = lk_trainer_train_finish (trainer, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return model;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_build_filename (home, "trained-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (f->dir));
  db = g_build_filename (f->dir, "likeness.db", NULL);

  f->sim = lk_sim_new ();
  lk_sim_set_time_scale (f->sim, 0.001);
  g_assert_true (lk_sim_start (f->sim, &error));
  g_assert_no_error (error);

  f->client = lk_client_new (NULL, lk_sim_get_base_url (f->sim));
  lk_client_set_token (f->client, LK_SIM_TOKEN);
  f->store = lk_store_new_sync (db, NULL, &error);
  g_assert_no_error (error);
  f->catalog = lk_catalog_new (NULL);
  f->budget = lk_budget_new ();
  f->styles = lk_style_library_new (NULL);
  g_assert_true (lk_style_library_load (f->styles, &error));
  g_assert_no_error (error);
  f->out = g_file_new_build_filename (f->dir, "Pictures", NULL);

  f->trained = train (f);
  /* Only what the batch does is counted. */
  lk_sim_clear_requests (f->sim);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->trained);
  g_clear_object (&f->styles);
  g_clear_object (&f->budget);
  g_clear_object (&f->catalog);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_finalize_object (g_steal_pointer (&f->client));
  lk_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->out);
  g_free (f->dir);
}

/* A batch of the first styles on the trained model, without a photo. */
static LkBatch *
new_batch (Fixture *f,
           guint    concurrency)
{
  GListModel *styles = lk_style_library_get_styles (f->styles);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  LkBatch *batch = lk_batch_new (f->client, f->store, f->catalog, f->budget);

  for (guint i = 0; i < N_STYLES; i++)
    g_ptr_array_add (chosen, g_list_model_get_item (styles, i));

  lk_batch_set_styles (batch, chosen);
  lk_batch_set_trained_model (batch, f->trained);
  lk_batch_set_output_folder (batch, f->out);
  lk_batch_set_concurrency (batch, concurrency);
  return batch;
}

/* Every item went to the trained version with the trigger word in its
 * prompt, and was saved. */
static void
assert_all_trained (Fixture *f,
                    LkBatch *batch)
{
  for (guint i = 0; i < N_STYLES; i++)
    {
      LkBatchItem *item = lk_test_batch_get_item (batch, i);
      g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (f->sim, lk_batch_item_get_prediction_id (item));
      JsonObject *input = json_object_get_object_member (prediction, "input");
      g_autofree char *path = g_file_get_path (lk_batch_item_get_output_file (item));

      g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_DONE);
      g_assert_cmpstr (json_object_get_string_member (prediction, "version"), ==,
                       lk_trained_model_get_version (f->trained));
      g_assert_nonnull (strstr (json_object_get_string_member (input, "prompt"), TRIGGER));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_create_destroy (Fixture       *f,
                     gconstpointer  data)
{
  LkBatch *batch = new_batch (f, 1);

  g_assert_true (lk_batch_get_trained_model (batch) == f->trained);
  lk_batch_set_trained_model (batch, NULL);
  g_assert_null (lk_batch_get_trained_model (batch));
  g_assert_finalize_object (batch);
}

static void
test_estimate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 2);
  LkModel *runner = lk_catalog_lookup (f->catalog, "trained-lora");
  LkBatchEstimate estimate = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_batch_estimate_trained (f->catalog, LK_QUALITY_PRESET_STANDARD, N_STYLES, 2, &estimate, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (estimate.model, ==, "trained-lora");
  g_assert_cmpint (estimate.cost, ==, lk_model_estimate (runner, LK_QUALITY_PRESET_STANDARD, N_STYLES));
  /* No fallback: the worst case is the expected case. */
  g_assert_cmpint (estimate.cost_max, ==, estimate.cost);
  g_assert_cmpint (lk_batch_get_estimate (batch), ==, estimate.cost);
}

static void
test_run (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 2);
  g_autoptr(LkTrainedModel) touched = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, N_STYLES);
  assert_all_trained (f, batch);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, N_STYLES);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  /* The face is in the weights: no photo went up. */
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", "/v1/files"), ==, 0);

  files = lk_store_list_job_files (f->store, lk_batch_get_job_id (batch), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, N_STYLES);

  /* Marked used, so that it comes first in the lists. */
  touched = lk_store_get_trained_model (f->store, lk_trained_model_get_id (f->trained), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_trained_model_get_last_used (touched), >, 0);
}

static gboolean
one_created (gpointer data)
{
  return lk_batch_item_get_prediction_id (lk_test_batch_get_item (data, 0)) != NULL;
}

/* A job paused and loaded again, as after a restart, still runs the
 * trained version. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 1);
  g_autoptr(LkBatch) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id;

  lk_test_batch_start (batch);
  g_assert_true (lk_test_wait_for (one_created, batch, 60000));
  lk_batch_pause (batch);
  lk_test_batch_wait_settled (batch);
  job_id = lk_batch_get_job_id (batch);
  g_assert_cmpuint (lk_batch_get_n_done (batch), <, N_STYLES);
  g_clear_object (&batch);

  lk_batch_load_async (f->client, f->store, f->catalog, f->budget, job_id, NULL, lk_test_store_result, &result);
  loaded = lk_batch_load_finish (lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (lk_batch_get_trained_model (loaded));
  g_assert_cmpint (lk_trained_model_get_id (lk_batch_get_trained_model (loaded)), ==,
                   lk_trained_model_get_id (f->trained));

  lk_batch_resume (loaded);
  lk_test_batch_wait_settled (loaded);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_FINISHED);
  assert_all_trained (f, loaded);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", "/v1/files"), ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  ADD ("/lk/batch-trained/create-destroy", test_create_destroy);
  ADD ("/lk/batch-trained/estimate", test_estimate);
  ADD ("/lk/batch-trained/run", test_run);
  ADD ("/lk/batch-trained/resume", test_resume);

  return g_test_run ();
}
