/* test-catalog.c: the built-in models.json, the user's overrides, broken
 * user files, input mapping and cost estimates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-catalog.h"
#include "lk-test-utils.h"

#define PULID "bytedance/flux-pulid"
#define KONTEXT "black-forest-labs/flux-kontext-pro"
#define INSTANT_ID "zsxkib/instant-id"
#define TRAINER "ostris/flux-dev-lora-trainer"
#define N_BUILTIN_MODELS 8

/* Just enough of a model entry for a user file; tests vary one part. */
#define TEXT_INPUTS "\"prompt\": {\"name\": \"prompt\", \"type\": \"string\"}"
#define EMPTY_PRESETS \
  "\"presets\": {\"draft\": {\"inputs\": {}}, \"standard\": {\"inputs\": {}}, \"premium\": {\"inputs\": {}}}"
#define PER_OUTPUT "\"billing\": {\"per\": \"output\", \"usd\": 0.01}"
#define USER_MODEL(body) "{\"format\": 1, \"models\": [{" body "}]}"

static char *
write_user_file (const char *contents)
{
  char *path = g_build_filename (g_get_user_data_dir (), "likeness", "models.json", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
assert_builtin_catalog (LkCatalog *catalog)
{
  GPtrArray *chain = lk_catalog_get_portrait_chain (catalog);
  LkModel *pulid = lk_catalog_lookup (catalog, PULID);

  g_assert_cmpuint (g_list_model_get_n_items (lk_catalog_get_models (catalog)), ==, N_BUILTIN_MODELS);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpfloat (lk_model_get_typical_seconds (pulid, LK_QUALITY_PRESET_STANDARD), ==, 15);
  g_assert_cmpint (lk_model_get_price (pulid), ==, 1525);
}

static void
test_create_destroy (void)
{
  LkCatalog *catalog = lk_catalog_new (NULL);

  g_assert_null (lk_catalog_get_user_error (catalog));
  g_assert_finalize_object (catalog);
}

static void
test_builtin (void)
{
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  GPtrArray *chain = lk_catalog_get_portrait_chain (catalog);
  static const char * const expected_ids[] = {
    PULID, KONTEXT, INSTANT_ID, "black-forest-labs/flux-schnell", "black-forest-labs/flux-dev",
    "black-forest-labs/flux-1.1-pro", TRAINER, "trained-lora",
  };
  LkModel *pulid;
  LkModel *kontext;
  LkModel *instant_id;
  LkModel *trainer;

  assert_builtin_catalog (catalog);
  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      g_autoptr(LkModel) model = g_list_model_get_item (lk_catalog_get_models (catalog), i);

      g_assert_cmpstr (lk_model_get_id (model), ==, expected_ids[i]);
    }

  pulid = lk_catalog_lookup (catalog, PULID);
  kontext = lk_catalog_lookup (catalog, KONTEXT);
  instant_id = lk_catalog_lookup (catalog, INSTANT_ID);
  trainer = lk_catalog_lookup (catalog, TRAINER);
  g_assert_null (lk_catalog_lookup (catalog, "nobody/nothing"));

  /* The fallback chain, in order. */
  g_assert_true (g_ptr_array_index (chain, 0) == pulid);
  g_assert_true (g_ptr_array_index (chain, 1) == kontext);
  g_assert_true (g_ptr_array_index (chain, 2) == instant_id);

  /* Community models run by version, official ones by name. */
  g_assert_cmpstr (lk_model_get_reference (pulid), ==,
                   PULID ":8baa7ef2255075b46f4d91cd238c21d31181b3e6a864463f967960bb0112525b");
  g_assert_cmpstr (lk_model_get_reference (instant_id), ==,
                   INSTANT_ID ":c98b2e7a196828d00955767813b81fc05c5c9b294c670c6d147d545fed4ceecf");
  g_assert_cmpstr (lk_model_get_reference (kontext), ==, KONTEXT);
  g_assert_null (lk_model_get_reference (lk_catalog_lookup (catalog, "trained-lora")));

  /* Each model names the reference photo its own way. */
  g_assert_cmpstr (lk_model_get_input_name (pulid, "reference_image"), ==, "main_face_image");
  g_assert_cmpstr (lk_model_get_input_name (kontext, "reference_image"), ==, "input_image");
  g_assert_cmpstr (lk_model_get_input_name (instant_id, "reference_image"), ==, "image");
  g_assert_cmpstr (lk_model_get_input_name (instant_id, "identity_weight"), ==, "ip_adapter_scale");
  g_assert_null (lk_model_get_input_name (kontext, "negative_prompt"));

  g_assert_cmpint (lk_model_get_billing (kontext), ==, LK_BILLING_PER_OUTPUT);
  g_assert_cmpint (lk_model_get_price (kontext), ==, 40000);
  g_assert_cmpint (lk_model_get_role (trainer), ==, LK_MODEL_ROLE_TRAINER);
  g_assert_cmpstr (lk_model_get_hardware (trainer), ==, "gpu-h100");
}

static void
test_training_presets (void)
{
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  LkModel *trainer = lk_catalog_lookup (catalog, TRAINER);
  static const struct {
    LkQualityPreset preset;
    gint64          steps;
    gint64          rank;
    const char     *resolution;
  } expected[] = {
    { LK_QUALITY_PRESET_DRAFT, 500, 16, "512" },
    { LK_QUALITY_PRESET_STANDARD, 1000, 32, "512,768" },
    { LK_QUALITY_PRESET_PREMIUM, 2000, 64, "512,768,1024" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(JsonObject) input = lk_model_build_input (trainer, expected[i].preset, NULL, NULL);

      g_assert_nonnull (input);
      g_assert_cmpint (json_object_get_int_member (input, "steps"), ==, expected[i].steps);
      g_assert_cmpint (json_object_get_int_member (input, "lora_rank"), ==, expected[i].rank);
      g_assert_cmpstr (json_object_get_string_member (input, "resolution"), ==, expected[i].resolution);
      g_assert_cmpfloat (json_object_get_double_member (input, "learning_rate"), >, 0);
    }

  /* About 20 minutes of H100 for a standard training: $1.83. */
  g_assert_cmpint (lk_model_estimate (trainer, LK_QUALITY_PRESET_STANDARD, 1), ==, 1830000);
  g_assert_cmpint (lk_model_estimate (trainer, LK_QUALITY_PRESET_PREMIUM, 1), ==, 3660000);
}

/* What the training wizard offers: each value within the trainer's
 * limits, each preset's values, and the model's default where a preset
 * sets nothing. */
static void
test_input_limits (void)
{
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  LkModel *trainer = lk_catalog_lookup (catalog, TRAINER);
  const char * const *resolutions;
  double min = 0;
  double max = 0;

  g_assert_true (lk_model_get_input_range (trainer, "steps", &min, &max));
  g_assert_cmpfloat (min, ==, 3);
  g_assert_cmpfloat (max, ==, 6000);
  g_assert_true (lk_model_get_input_range (trainer, "lora_rank", &min, &max));
  g_assert_cmpfloat (min, ==, 1);
  g_assert_cmpfloat (max, ==, 128);
  g_assert_true (lk_model_get_input_range (trainer, "batch_size", &min, &max));
  g_assert_cmpfloat (min, ==, -G_MAXDOUBLE);
  g_assert_cmpfloat (max, ==, G_MAXDOUBLE);
  g_assert_false (lk_model_get_input_range (trainer, "prompt", &min, &max));

  resolutions = lk_model_get_input_values (trainer, "resolution");
  g_assert_nonnull (resolutions);
  g_assert_true (g_strv_contains (resolutions, "512,768,1024"));
  g_assert_null (lk_model_get_input_values (trainer, "trigger_word"));

  g_assert_cmpint (json_node_get_int (lk_model_get_preset_value (trainer, LK_QUALITY_PRESET_PREMIUM, "lora_rank")), ==, 64);
  g_assert_true (json_node_get_boolean (lk_model_get_preset_value (trainer, LK_QUALITY_PRESET_DRAFT, "autocaption")));
  g_assert_null (lk_model_get_preset_value (trainer, LK_QUALITY_PRESET_DRAFT, "trigger_word"));
}

static void
test_build_input (void)
{
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(JsonObject) values = parse_object ("{\"prompt\": \"a portrait\", "
                                               "\"negative_prompt\": \"blurry\", "
                                               "\"reference_image\": \"https://example.invalid/me.jpg\", "
                                               "\"seed\": 1234, \"identity_weight\": null}");
  g_autoptr(JsonObject) pulid = NULL;
  g_autoptr(JsonObject) kontext = NULL;
  g_autoptr(JsonObject) too_many_steps = parse_object ("{\"steps\": 30}");
  g_autoptr(JsonObject) wrong_type = parse_object ("{\"seed\": \"1234\"}");
  g_autoptr(JsonObject) webp = parse_object ("{\"output_format\": \"webp\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) refused = NULL;

  pulid = lk_model_build_input (lk_catalog_lookup (catalog, PULID), LK_QUALITY_PRESET_STANDARD, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (pulid, "main_face_image"), ==, "https://example.invalid/me.jpg");
  g_assert_cmpstr (json_object_get_string_member (pulid, "negative_prompt"), ==, "blurry");
  g_assert_cmpint (json_object_get_int_member (pulid, "seed"), ==, 1234);
  g_assert_cmpint (json_object_get_int_member (pulid, "num_steps"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (pulid, "width"), ==, 896);
  g_assert_cmpstr (json_object_get_string_member (pulid, "output_format"), ==, "jpg");
  /* null leaves the input out, so the model's default applies. */
  g_assert_false (json_object_has_member (pulid, "id_weight"));
  g_assert_false (json_object_has_member (pulid, "reference_image"));

  /* The same values for the next model of the chain, in its words. */
  kontext = lk_model_build_input (lk_catalog_lookup (catalog, KONTEXT), LK_QUALITY_PRESET_PREMIUM, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (kontext, "input_image"), ==, "https://example.invalid/me.jpg");
  g_assert_cmpstr (json_object_get_string_member (kontext, "output_format"), ==, "png");
  g_assert_cmpstr (json_object_get_string_member (kontext, "aspect_ratio"), ==, "3:4");
  g_assert_false (json_object_has_member (kontext, "negative_prompt"));
  g_assert_cmpuint (json_object_get_size (kontext), ==, 5);

  refused = lk_model_build_input (lk_catalog_lookup (catalog, PULID), LK_QUALITY_PRESET_DRAFT, too_many_steps, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "num_steps"));
  g_assert_nonnull (strstr (error->message, "1 to 20"));
  g_clear_error (&error);

  refused = lk_model_build_input (lk_catalog_lookup (catalog, PULID), LK_QUALITY_PRESET_DRAFT, wrong_type, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Kontext rejects webp; the catalog knows before Replicate says so. */
  refused = lk_model_build_input (lk_catalog_lookup (catalog, KONTEXT), LK_QUALITY_PRESET_DRAFT, webp, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "webp"));
}

typedef struct
{
  const char      *model;
  LkQualityPreset  preset;
  guint            n_outputs;
  gint64           micros;
} EstimateCase;

static const EstimateCase estimate_cases[] = {
  /* Per output: the price times the images. */
  { KONTEXT, LK_QUALITY_PRESET_STANDARD, 23, 23 * 40000 },
  { "black-forest-labs/flux-schnell", LK_QUALITY_PRESET_DRAFT, 4, 4 * 3000 },
  { "black-forest-labs/flux-dev", LK_QUALITY_PRESET_PREMIUM, 1, 25000 },
  /* Per second: the typical seconds of the preset times the rate. */
  { PULID, LK_QUALITY_PRESET_STANDARD, 23, 23 * 15 * 1525 },
  { PULID, LK_QUALITY_PRESET_DRAFT, 1, 8 * 1525 },
  { INSTANT_ID, LK_QUALITY_PRESET_STANDARD, 2, 2 * 12 * 725 },
  { PULID, LK_QUALITY_PRESET_STANDARD, 0, 0 },
};

static void
test_estimate (gconstpointer data)
{
  const EstimateCase *test = data;
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);

  g_assert_cmpint (lk_model_estimate (lk_catalog_lookup (catalog, test->model), test->preset, test->n_outputs),
                   ==, test->micros);
}

typedef struct
{
  const char *model;
  const char *status;
  guint       n_outputs;
  double      predict_time;
  gint64      micros;
} ActualCase;

static const ActualCase actual_cases[] = {
  { KONTEXT, "succeeded", 1, 4.2, 40000 },
  { "black-forest-labs/flux-schnell", "succeeded", 4, 1.0, 12000 },
  { KONTEXT, "failed", 0, 3.0, 0 },
  { KONTEXT, "canceled", 0, 2.0, 0 },
  { PULID, "succeeded", 1, 12.5, 19063 },
  { PULID, "failed", 0, 9.0, 0 },
  { PULID, "aborted", 0, 0.0, 0 },
  /* A cancel is charged for the time the model ran. */
  { PULID, "canceled", 0, 3.2, 4880 },
  { TRAINER, "succeeded", 0, 1200.0, 1830000 },
  /* A trained model is the user's own, private model: failures are billed. */
  { "trained-lora", "failed", 0, 2.0, 3050 },
};

static void
test_actual (gconstpointer data)
{
  const ActualCase *test = data;
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  LkModel *model = lk_catalog_lookup (catalog, test->model);

  g_assert_cmpint (lk_model_actual_cost (model, test->status, test->n_outputs, test->predict_time),
                   ==, test->micros);
}

static void
test_user_override (void)
{
  g_autofree char *path = write_user_file (
    "{\"format\": 1,"
    " \"hardware\": {\"gpu-h100\": {\"name\": \"H100, new price\", \"usd_per_second\": 0.002}},"
    " \"models\": ["
    "  {\"id\": \"bytedance/flux-pulid\", \"reference\": \"bytedance/flux-pulid\", \"name\": \"PuLID (mine)\","
    "   \"role\": \"portrait-id\","
    "   \"billing\": {\"per\": \"second\", \"hardware\": \"gpu-l40s\", \"typical_seconds\": 30},"
    "   \"inputs\": {" TEXT_INPUTS ", \"reference_image\": {\"name\": \"face\", \"type\": \"uri\"}},"
    "   " EMPTY_PRESETS "},"
    "  {\"id\": \"someone/portraits\", \"reference\": \"someone/portraits\", \"name\": \"Someone's Portraits\","
    "   \"role\": \"portrait-id\", " PER_OUTPUT ","
    "   \"inputs\": {" TEXT_INPUTS ", \"reference_image\": {\"name\": \"photo\", \"type\": \"uri\"}},"
    "   " EMPTY_PRESETS "}"
    " ],"
    " \"portrait_chain\": [\"someone/portraits\", \"bytedance/flux-pulid\"]}");
  g_autoptr(LkCatalog) catalog = lk_catalog_new (path);
  GListModel *models = lk_catalog_get_models (catalog);
  GPtrArray *chain = lk_catalog_get_portrait_chain (catalog);
  LkModel *pulid = lk_catalog_lookup (catalog, PULID);
  LkModel *added = lk_catalog_lookup (catalog, "someone/portraits");
  g_autoptr(LkModel) first = g_list_model_get_item (models, 0);
  g_autoptr(LkModel) last = g_list_model_get_item (models, N_BUILTIN_MODELS);

  g_assert_null (lk_catalog_get_user_error (catalog));

  /* The replaced model keeps its place; the new one comes last. */
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, N_BUILTIN_MODELS + 1);
  g_assert_true (first == pulid);
  g_assert_true (last == added);
  g_assert_cmpstr (lk_model_get_name (pulid), ==, "PuLID (mine)");
  g_assert_cmpstr (lk_model_get_input_name (pulid, "reference_image"), ==, "face");
  g_assert_cmpint (lk_model_estimate (pulid, LK_QUALITY_PRESET_STANDARD, 1), ==, 30 * 975);
  g_assert_cmpint (lk_model_estimate (added, LK_QUALITY_PRESET_STANDARD, 3), ==, 30000);

  /* A changed hardware price applies to the built-in models on it. */
  g_assert_cmpint (lk_model_estimate (lk_catalog_lookup (catalog, TRAINER), LK_QUALITY_PRESET_STANDARD, 1),
                   ==, 1200 * 2000);

  g_assert_cmpuint (chain->len, ==, 2);
  g_assert_true (g_ptr_array_index (chain, 0) == added);
  g_assert_true (g_ptr_array_index (chain, 1) == pulid);

  g_unlink (path);
}

static void
test_missing_user_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "no-such-folder", "models.json", NULL);
  g_autoptr(LkCatalog) catalog = lk_catalog_new (path);

  g_assert_null (lk_catalog_get_user_error (catalog));
  assert_builtin_catalog (catalog);
}

typedef struct
{
  const char *name;
  const char *contents;
  const char *detail;
} BadFileCase;

static const BadFileCase bad_files[] = {
  { "not-json", "{\"format\": 1, \"models\": [", NULL },
  { "not-an-object", "[]", "one JSON object" },
  { "wrong-format", "{\"format\": 2}", "format 1" },
  { "no-format", "{\"models\": []}", "“format” is missing" },
  { "misspelt-member", "{\"format\": 1, \"modles\": []}", "“modles” is not a known member" },
  { "model-not-object", "{\"format\": 1, \"models\": [42]}", "entry 1" },
  { "bad-role", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", \"role\": \"painter\", "
                            PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, " EMPTY_PRESETS),
    "“painter” is not a valid role" },
  { "bad-reference", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b:1234\", \"name\": \"B\", "
                                 "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, "
                                 EMPTY_PRESETS),
    "64-character version" },
  { "id-not-reference", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"c/d\", \"name\": \"B\", "
                                    "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, "
                                    EMPTY_PRESETS),
    "names c/d" },
  { "unknown-hardware", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                    "\"role\": \"text-to-image\", \"billing\": {\"per\": \"second\", "
                                    "\"hardware\": \"gpu-z99\", \"typical_seconds\": 5}, "
                                    "\"inputs\": {" TEXT_INPUTS "}, " EMPTY_PRESETS),
    "gpu-z99" },
  { "free-model", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                              "\"role\": \"text-to-image\", \"billing\": {\"per\": \"output\", \"usd\": 0}, "
                              "\"inputs\": {" TEXT_INPUTS "}, " EMPTY_PRESETS),
    "above zero" },
  { "unknown-field", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                 "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS ", "
                                 "\"promt\": {\"name\": \"promt\", \"type\": \"string\"}}, " EMPTY_PRESETS),
    "“promt” is not one the app fills" },
  { "bad-type", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                            "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS ", "
                            "\"seed\": {\"name\": \"seed\", \"type\": \"int\"}}, " EMPTY_PRESETS),
    "type “int”" },
  { "default-out-of-range", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                        "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS ", "
                                        "\"steps\": {\"name\": \"num_steps\", \"type\": \"integer\", \"min\": 1, "
                                        "\"max\": 20, \"default\": 50}}, " EMPTY_PRESETS),
    "50 is outside the allowed range 1 to 20" },
  { "missing-role-input", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                      "\"role\": \"portrait-id\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, "
                                      EMPTY_PRESETS),
    "needs the input “reference_image”" },
  { "missing-preset", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                  "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, "
                                  "\"presets\": {\"draft\": {\"inputs\": {}}, \"standard\": {\"inputs\": {}}}"),
    "preset “premium” is missing" },
  { "preset-sets-unknown", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                       "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, "
                                       "\"presets\": {\"draft\": {\"inputs\": {\"steps\": 4}}, "
                                       "\"standard\": {\"inputs\": {}}, \"premium\": {\"inputs\": {}}}"),
    "sets “steps”" },
  { "preset-wrong-value", USER_MODEL ("\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", "
                                      "\"role\": \"text-to-image\", " PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS ", "
                                      "\"output_format\": {\"name\": \"output_format\", \"type\": \"string\", "
                                      "\"values\": [\"jpg\", \"png\"]}}, "
                                      "\"presets\": {\"draft\": {\"inputs\": {\"output_format\": \"gif\"}}, "
                                      "\"standard\": {\"inputs\": {}}, \"premium\": {\"inputs\": {}}}"),
    "“gif” is not one of jpg, png" },
  { "duplicate-model", "{\"format\": 1, \"models\": ["
                       "{\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", \"role\": \"text-to-image\", "
                       PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, " EMPTY_PRESETS "},"
                       "{\"id\": \"a/b\", \"reference\": \"a/b\", \"name\": \"B\", \"role\": \"text-to-image\", "
                       PER_OUTPUT ", \"inputs\": {" TEXT_INPUTS "}, " EMPTY_PRESETS "}]}",
    "appears twice" },
  { "chain-unknown-model", "{\"format\": 1, \"portrait_chain\": [\"nobody/nothing\"]}",
    "“nobody/nothing”, which is not a model" },
  { "chain-wrong-role", "{\"format\": 1, \"portrait_chain\": [\"black-forest-labs/flux-schnell\"]}",
    "cannot make a portrait" },
  { "chain-empty", "{\"format\": 1, \"portrait_chain\": []}", "is empty" },
  { "hardware-price", "{\"format\": 1, \"hardware\": {\"gpu-h100\": {\"name\": \"H100\", \"usd_per_second\": \"cheap\"}}}",
    "must be a number" },
};

static void
test_bad_user_file (gconstpointer data)
{
  const BadFileCase *test = data;
  g_autofree char *path = write_user_file (test->contents);
  g_autoptr(LkCatalog) catalog = NULL;
  const GError *error;

  g_test_expect_message ("lk-catalog", G_LOG_LEVEL_WARNING, "*was ignored*");
  catalog = lk_catalog_new (path);
  g_test_assert_expected_messages ();

  /* Reported, with the file and the mistake in the message... */
  error = lk_catalog_get_user_error (catalog);
  g_assert_nonnull (error);
  if (test->detail != NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, test->detail));
    }
  else
    g_assert_true (error->domain == JSON_PARSER_ERROR);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));

  /* ...and ignored as a whole: the built-in catalog is intact. */
  assert_builtin_catalog (catalog);

  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/catalog/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/catalog/builtin", test_builtin);
  g_test_add_func ("/lk/catalog/training-presets", test_training_presets);
  g_test_add_func ("/lk/catalog/input-limits", test_input_limits);
  g_test_add_func ("/lk/catalog/build-input", test_build_input);
  for (guint i = 0; i < G_N_ELEMENTS (estimate_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/catalog/estimate/%u", i);

      g_test_add_data_func (path, &estimate_cases[i], test_estimate);
    }
  for (guint i = 0; i < G_N_ELEMENTS (actual_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/catalog/actual/%u", i);

      g_test_add_data_func (path, &actual_cases[i], test_actual);
    }
  g_test_add_func ("/lk/catalog/user-override", test_user_override);
  g_test_add_func ("/lk/catalog/missing-user-file", test_missing_user_file);
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/catalog/bad-user-file/%s", bad_files[i].name);

      g_test_add_data_func (path, &bad_files[i], test_bad_user_file);
    }

  return g_test_run ();
}
