/* test-trained-model.c: trained models in the store (written, updated
 * step by step, renamed, pictured, deleted) and how one is run: its
 * version reference, and the trigger word in each style's prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-catalog.h"
#include "lk-store.h"
#include "lk-test-utils.h"
#include "lk-trained-model.h"

#define VERSION "5f8f7c0a2b6bd6b1a4b9ab2b3de2d0e3b3b6a5d5c3e3f1e2d4c6b8a9f0e1d2c3"

static const char *home;

typedef struct
{
  LkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (home, "models-XXXXXX", NULL);
  g_autofree char *dir = g_mkdtemp (g_steal_pointer (&template));
  g_autofree char *path = g_build_filename (dir, "likeness.db", NULL);
  g_autoptr(GError) error = NULL;

  fixture->store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
}

static LkTrainedModel *
new_model (LkSubjectType     subject_type,
           LkTrainingStatus  status)
{
  return g_object_new (LK_TYPE_TRAINED_MODEL,
                       "id", (gint64) 7,
                       "name", "Grace",
                       "subject-type", subject_type,
                       "trigger-word", "gracex42",
                       "destination", "grace/likeness-lora",
                       "version", VERSION,
                       "status", status,
                       NULL);
}

static void
test_create_destroy (void)
{
  LkTrainedModel *model = new_model (LK_SUBJECT_TYPE_FACE, LK_TRAINING_STATUS_PREPARING);

  g_assert_true (lk_trained_model_is_under_way (model));
  g_assert_nonnull (lk_trained_model_get_input (model));
  g_assert_cmpfloat (lk_trained_model_get_predict_time (model), ==, -1);
  g_assert_finalize_object (model);
}

typedef struct
{
  LkSubjectType  subject_type;
  const char    *prompt;
  const char    *expected;
} PromptCase;

static const PromptCase prompt_cases[] = {
  { LK_SUBJECT_TYPE_FACE, "professional corporate headshot of {subject}, dark suit",
    "professional corporate headshot of gracex42 person, dark suit" },
  { LK_SUBJECT_TYPE_FACE, "{subject} and {subject} again",
    "gracex42 person and gracex42 person again" },
  { LK_SUBJECT_TYPE_FACE, "a lighthouse at dusk",
    "a photo of gracex42 person, a lighthouse at dusk" },
  { LK_SUBJECT_TYPE_OBJECT, "studio product shot of {subject} on marble",
    "studio product shot of gracex42 on marble" },
  { LK_SUBJECT_TYPE_STYLE, "portrait of {subject}, soft light",
    "portrait of a person in the style of gracex42, soft light" },
};

static void
test_prompt (gconstpointer data)
{
  const PromptCase *test = data;
  g_autoptr(LkTrainedModel) model = new_model (test->subject_type, LK_TRAINING_STATUS_SUCCEEDED);
  g_autofree char *prompt = lk_trained_model_render_prompt (model, test->prompt);

  g_assert_cmpstr (prompt, ==, test->expected);
}

/* What the portrait batch sends for a style with the trained model. */
static void
test_input (void)
{
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(LkTrainedModel) model = new_model (LK_SUBJECT_TYPE_FACE, LK_TRAINING_STATUS_SUCCEEDED);
  g_autoptr(LkTrainedModel) training = new_model (LK_SUBJECT_TYPE_FACE, LK_TRAINING_STATUS_PROCESSING);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = lk_trained_model_dup_reference (model);
  LkModel *runner = lk_catalog_lookup (catalog, "trained-lora");

  g_assert_cmpstr (reference, ==, "grace/likeness-lora:" VERSION);
  g_assert_null (lk_trained_model_dup_reference (training));

  json_object_set_int_member (values, "seed", 99);
  json_object_set_string_member (values, "aspect_ratio", "4:5");
  json_object_set_double_member (values, "identity_weight", 1.0);
  input = lk_trained_model_build_input (model, runner, LK_QUALITY_PRESET_PREMIUM,
                                        "oil painting portrait of {subject}", values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (input, "prompt"), ==, "oil painting portrait of gracex42 person");
  g_assert_cmpint (json_object_get_int_member (input, "seed"), ==, 99);
  g_assert_cmpstr (json_object_get_string_member (input, "aspect_ratio"), ==, "4:5");
  g_assert_cmpint (json_object_get_int_member (input, "num_inference_steps"), ==, 40);
  g_assert_cmpstr (json_object_get_string_member (input, "output_format"), ==, "png");
  /* Values the runner has no input for are left out. */
  g_assert_false (json_object_has_member (input, "id_weight"));
  g_clear_pointer (&input, json_object_unref);

  json_object_set_string_member (values, "aspect_ratio", "7:3");
  g_assert_null (lk_trained_model_build_input (model, runner, LK_QUALITY_PRESET_PREMIUM, "{subject}", values, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_store (Fixture       *fixture,
            gconstpointer  data)
{
  LkTrainedModelSpec first = { "Grace", "Portraits of me", LK_SUBJECT_TYPE_FACE, "gracex42", "grace/likeness-lora", 1000 };
  LkTrainedModelSpec second = { "Watercolour", NULL, LK_SUBJECT_TYPE_STYLE, "aquaq17", "grace/likeness-lora", 2000 };
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) used = g_date_time_new_from_unix_utc (5000);
  gint64 first_id, second_id;

  first_id = lk_store_add_trained_model (fixture->store, &first, &error);
  g_assert_no_error (error);
  second_id = lk_store_add_trained_model (fixture->store, &second, &error);
  g_assert_no_error (error);

  model = lk_store_get_trained_model (fixture->store, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_trained_model_get_name (model), ==, "Grace");
  g_assert_cmpstr (lk_trained_model_get_description (model), ==, "Portraits of me");
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_PREPARING);
  g_assert_cmpint (lk_trained_model_get_created (model), ==, 1000);
  g_assert_null (lk_trained_model_get_training_id (model));
  g_assert_cmpint (lk_trained_model_get_job_id (model), ==, 0);
  g_assert_cmpint (lk_trained_model_get_cost (model), ==, 0);
  g_clear_object (&model);

  /* Step by step, each step keeping what the others recorded. */
  g_assert_true (lk_store_update_training (fixture->store, first_id, LK_TRAINING_STATUS_CREATING, NULL, NULL, NULL,
                                           "{\"steps\": 500}", &error));
  g_assert_true (lk_store_update_training (fixture->store, first_id, LK_TRAINING_STATUS_PROCESSING, "t-1", NULL, NULL,
                                           NULL, &error));
  g_assert_true (lk_store_update_training (fixture->store, first_id, LK_TRAINING_STATUS_SUCCEEDED, NULL, VERSION,
                                           "https://example.com/weights.tar", NULL, &error));
  g_assert_true (lk_store_end_training (fixture->store, first_id, LK_TRAINING_STATUS_SUCCEEDED, NULL, &error));
  g_assert_no_error (error);

  model = lk_store_get_trained_model (fixture->store, first_id, &error);
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_SUCCEEDED);
  g_assert_cmpstr (lk_trained_model_get_training_id (model), ==, "t-1");
  g_assert_cmpstr (lk_trained_model_get_version (model), ==, VERSION);
  g_assert_cmpstr (lk_trained_model_get_weights_url (model), ==, "https://example.com/weights.tar");
  g_assert_cmpint (json_object_get_int_member (lk_trained_model_get_input (model), "steps"), ==, 500);
  g_clear_object (&model);

  g_assert_true (lk_store_rename_trained_model (fixture->store, first_id, "Grace H.", &error));
  g_assert_true (lk_store_set_trained_model_thumbnail (fixture->store, first_id, "/data/grace.png", &error));
  g_assert_true (lk_store_touch_trained_model (fixture->store, first_id, used, &error));
  g_assert_no_error (error);

  /* Newest first. */
  models = lk_store_list_trained_models (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpint (lk_trained_model_get_id (g_ptr_array_index (models, 0)), ==, second_id);
  model = g_object_ref (g_ptr_array_index (models, 1));
  g_assert_cmpstr (lk_trained_model_get_name (model), ==, "Grace H.");
  g_assert_cmpstr (lk_trained_model_get_thumbnail (model), ==, "/data/grace.png");
  g_assert_cmpint (lk_trained_model_get_last_used (model), ==, 5000);
  g_assert_cmpint (lk_trained_model_get_subject_type (g_ptr_array_index (models, 0)), ==, LK_SUBJECT_TYPE_STYLE);
  g_clear_pointer (&models, g_ptr_array_unref);

  g_assert_true (lk_store_delete_trained_model (fixture->store, first_id, &error));
  g_assert_no_error (error);
  g_assert_null (lk_store_get_trained_model (fixture->store, first_id, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (lk_store_rename_trained_model (fixture->store, first_id, "Gone", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

/* The training's job carries its cost and, when it fails, the reason. */
static void
test_store_job (Fixture       *fixture,
                gconstpointer  data)
{
  LkTrainedModelSpec spec = { "Grace", NULL, LK_SUBJECT_TYPE_FACE, "gracex42", "grace/likeness-lora", 0 };
  LkItemSpec item = { .model = "ostris/flux-dev-lora-trainer" };
  LkPredictionSpec prediction = { .id = "t-9", .training = TRUE, .model = "ostris/flux-dev-lora-trainer",
                                  .status = "starting" };
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  LkJobSpec job = { LK_JOB_KIND_TRAINING, LK_JOB_STATE_RUNNING, "Training of “Grace”" };
  gint64 model_id, job_id, item_id;

  model_id = lk_store_add_trained_model (fixture->store, &spec, &error);
  settings = g_strdup_printf ("{\"trained_model\": %" G_GINT64_FORMAT "}", model_id);
  job.settings = settings;
  job_id = lk_store_add_job (fixture->store, &job, &item, 1, &item_id, &error);
  prediction.item_id = item_id;
  g_assert_true (lk_store_add_prediction (fixture->store, &prediction, 0, &error));
  g_assert_true (lk_store_update_training (fixture->store, model_id, LK_TRAINING_STATUS_STARTING, "t-9",
                                           NULL, NULL, NULL, &error));
  g_assert_true (lk_store_finish_prediction (fixture->store, "t-9", "failed", 30.0, "out of memory", 0, NULL, &error));
  g_assert_true (lk_store_end_training (fixture->store, model_id, LK_TRAINING_STATUS_FAILED,
                                        "The trainer ran out of memory.", &error));
  g_assert_no_error (error);

  lk_store_list_trained_models_async (fixture->store, NULL, lk_test_store_result, &result);
  models = lk_store_list_trained_models_finish (fixture->store, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  model = g_object_ref (g_ptr_array_index (models, 0));
  g_assert_cmpint (lk_trained_model_get_job_id (model), ==, job_id);
  g_assert_cmpint (lk_trained_model_get_status (model), ==, LK_TRAINING_STATUS_FAILED);
  g_assert_cmpstr (lk_trained_model_get_error (model), ==, "The trainer ran out of memory.");
  g_assert_cmpfloat (lk_trained_model_get_predict_time (model), ==, 30.0);
  g_assert_cmpint (lk_trained_model_get_cost (model), ==, 0);
}

/* A model trained after another was deleted is a new one: it shows once,
 * without the deleted one's job, and a job that ran the deleted model
 * does not run the new one. */
static void
test_store_deleted (Fixture       *fixture,
                    gconstpointer  data)
{
  LkTrainedModelSpec spec = { "Grace", NULL, LK_SUBJECT_TYPE_FACE, "gracex42", "grace/likeness-lora", 0 };
  LkTrainedModelSpec next = { "Ada", NULL, LK_SUBJECT_TYPE_FACE, "adax77", "grace/likeness-lora", 0 };
  LkItemSpec item = { .model = "ostris/flux-dev-lora-trainer" };
  LkJobSpec job = { LK_JOB_KIND_TRAINING, LK_JOB_STATE_FINISHED, "Training of “Grace”" };
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  gint64 deleted_id, next_id, item_id;

  deleted_id = lk_store_add_trained_model (fixture->store, &spec, &error);
  g_assert_no_error (error);
  settings = g_strdup_printf ("{\"trained_model\": %" G_GINT64_FORMAT "}", deleted_id);
  job.settings = settings;
  g_assert_cmpint (lk_store_add_job (fixture->store, &job, &item, 1, &item_id, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (lk_store_delete_trained_model (fixture->store, deleted_id, &error));
  g_assert_no_error (error);

  next_id = lk_store_add_trained_model (fixture->store, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next_id, !=, deleted_id);

  models = lk_store_list_trained_models (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_cmpstr (lk_trained_model_get_name (g_ptr_array_index (models, 0)), ==, "Ada");
  g_assert_cmpint (lk_trained_model_get_job_id (g_ptr_array_index (models, 0)), ==, 0);
}

/* Reading a model leaves nothing open: the command line writing to the
 * same history in between does not lock the app out of its next write. */
static void
test_store_shared (Fixture       *fixture,
                   gconstpointer  data)
{
  LkTrainedModelSpec spec = { "Grace", NULL, LK_SUBJECT_TYPE_FACE, "gracex42", "grace/likeness-lora", 1000 };
  LkTrainedModelSpec other = { "Ada", NULL, LK_SUBJECT_TYPE_FACE, "adax77", "grace/likeness-lora", 2000 };
  g_autoptr(LkStore) cli = lk_store_new_sync (lk_store_get_path (fixture->store), NULL, NULL);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = lk_store_add_trained_model (fixture->store, &spec, &error);
  g_assert_no_error (error);
  model = lk_store_get_trained_model (fixture->store, id, &error);
  g_assert_no_error (error);

  g_assert_cmpint (lk_store_add_trained_model (cli, &other, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (lk_store_rename_trained_model (fixture->store, id, "Grace Hopper", &error));
  g_assert_no_error (error);
}

static void
test_status (void)
{
  for (LkTrainingStatus status = LK_TRAINING_STATUS_PREPARING; status <= LK_TRAINING_STATUS_ABORTED; status++)
    {
      g_assert_nonnull (lk_training_status_describe (status));
      g_assert_cmpint (lk_training_status_is_under_way (status), ==, status <= LK_TRAINING_STATUS_PROCESSING);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/trained-model/create-destroy", test_create_destroy);
  for (guint i = 0; i < G_N_ELEMENTS (prompt_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/trained-model/prompt/%u", i);

      g_test_add_data_func (path, &prompt_cases[i], test_prompt);
    }
  g_test_add_func ("/lk/trained-model/input", test_input);
  g_test_add_func ("/lk/trained-model/status", test_status);
  g_test_add ("/lk/trained-model/store", Fixture, NULL, fixture_set_up, test_store, fixture_tear_down);
  g_test_add ("/lk/trained-model/store-job", Fixture, NULL, fixture_set_up, test_store_job, fixture_tear_down);
  g_test_add ("/lk/trained-model/store-deleted", Fixture, NULL, fixture_set_up, test_store_deleted, fixture_tear_down);
  g_test_add ("/lk/trained-model/store-shared", Fixture, NULL, fixture_set_up, test_store_shared, fixture_tear_down);

  return g_test_run ();
}
