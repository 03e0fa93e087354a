/* test-catalog-sim.c: every model of data/models.json, with every preset
 * and every built-in style, sent to the simulator, whose input schemas are
 * written from Replicate's documentation and not from models.json: a wrong
 * field name, type or limit in the catalog fails here as a 422.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-model.h"
#include "lk-sim.h"
#include "lk-style-library.h"
#include "lk-style.h"
#include "lk-test-utils.h"

#define FACE_PHOTO "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"

typedef struct
{
  LkSim     *sim;
  LkClient  *client;
  LkCatalog *catalog;
  char      *reference_url;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) photo = g_file_new_for_path (FACE_PHOTO);
  g_autoptr(JsonObject) file = NULL;

  fixture->sim = lk_sim_new ();
  lk_sim_set_time_scale (fixture->sim, 0.001);
  g_assert_true (lk_sim_start (fixture->sim, &error));
  g_assert_no_error (error);

  fixture->client = lk_client_new (NULL, lk_sim_get_base_url (fixture->sim));
  lk_client_set_token (fixture->client, LK_SIM_TOKEN);
  fixture->catalog = lk_catalog_new (NULL);

  lk_client_upload_file_async (fixture->client, photo, NULL, NULL, lk_test_store_result, &result);
  file = lk_client_upload_file_finish (fixture->client, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  fixture->reference_url = g_strdup (json_object_get_string_member (json_object_get_object_member (file, "urls"),
                                                                    "get"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->reference_url, g_free);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->client);
  lk_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
}

/* Runs one prediction and fails the test with the simulator's words when
 * it refuses the input. */
static void
assert_model_accepts (Fixture         *fixture,
                      LkModel         *model,
                      LkQualityPreset  preset,
                      JsonObject      *values)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(LkPrediction) prediction = NULL;

  input = lk_model_build_input (model, preset, values, &error);
  g_assert_no_error (error);

  lk_client_create_prediction_async (fixture->client, lk_model_get_reference (model), input, 60, 0,
                                     NULL, lk_test_store_result, &created);
  prediction = lk_client_create_prediction_finish (fixture->client, lk_test_wait_for_result (&created),
                                                   &error);
  if (error != NULL)
    g_error ("%s refused the catalog's input: %s", lk_model_get_id (model), error->message);

  lk_client_wait_async (fixture->client, prediction, NULL, lk_test_store_result, &waited);
  g_assert_true (lk_client_wait_finish (fixture->client, lk_test_wait_for_result (&waited), &error));
  g_assert_no_error (error);
}

static JsonObject *
values_new (Fixture *fixture,
            LkModel *model)
{
  JsonObject *values = json_object_new ();

  json_object_set_string_member (values, "prompt", "a portrait photo of a person, soft light");
  json_object_set_string_member (values, "negative_prompt", "blurry, low quality");
  json_object_set_int_member (values, "seed", 1234);
  if (lk_model_get_input_name (model, "reference_image") != NULL)
    json_object_set_string_member (values, "reference_image", fixture->reference_url);

  return values;
}

static void
test_every_model_and_preset (Fixture       *fixture,
                             gconstpointer  data)
{
  GListModel *models = lk_catalog_get_models (fixture->catalog);
  guint tried = 0;

  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(LkModel) model = g_list_model_get_item (models, i);
      LkModelRole role = lk_model_get_role (model);

      /* The trainer takes trainings, and a trained version exists only
       * after one; both have tests of their own. */
      if (role == LK_MODEL_ROLE_TRAINER || role == LK_MODEL_ROLE_LORA_RUNNER)
        continue;

      for (LkQualityPreset preset = LK_QUALITY_PRESET_DRAFT; preset <= LK_QUALITY_PRESET_PREMIUM; preset++)
        {
          g_autoptr(JsonObject) values = values_new (fixture, model);

          assert_model_accepts (fixture, model, preset, values);
          tried++;
        }
    }

  g_assert_cmpuint (tried, >=, 6 * 3);
}

static void
test_every_style_on_the_chain (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *chain = lk_catalog_get_portrait_chain (fixture->catalog);
  GListModel *styles;

  g_assert_true (lk_style_library_load (library, &error));
  g_assert_no_error (error);
  styles = lk_style_library_get_styles (library);
  g_assert_cmpuint (chain->len, >=, 3);

  for (guint m = 0; m < chain->len; m++)
    {
      LkModel *model = g_ptr_array_index (chain, m);

      for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
        {
          g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);
          g_autoptr(JsonObject) values = values_new (fixture, model);
          g_autofree char *prompt = lk_style_render_prompt (style, "a person");

          json_object_set_string_member (values, "prompt", prompt);
          json_object_set_string_member (values, "negative_prompt", lk_style_get_negative_prompt (style));
          json_object_set_string_member (values, "aspect_ratio", lk_style_get_aspect_ratio (style));
          json_object_set_int_member (values, "width", lk_style_get_width (style));
          json_object_set_int_member (values, "height", lk_style_get_height (style));
          json_object_set_double_member (values, "identity_weight", lk_style_get_identity_weight (style));
          json_object_set_double_member (values, "guidance", lk_style_get_guidance (style));

          assert_model_accepts (fixture, model, LK_QUALITY_PRESET_STANDARD, values);
        }
    }

  /* Each prediction was created once: nothing was retried blindly. */
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/catalog-sim/every-model-and-preset", Fixture, NULL,
              fixture_set_up, test_every_model_and_preset, fixture_tear_down);
  g_test_add ("/lk/catalog-sim/every-style-on-the-chain", Fixture, NULL,
              fixture_set_up, test_every_style_on_the_chain, fixture_tear_down);

  return g_test_run ();
}
