/* test-prediction.c: a prediction as parsed from Replicate's JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-client.h"
#include "lk-prediction.h"
#include "lk-test-utils.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static LkPrediction *
prediction_from (const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  LkPrediction *prediction = lk_prediction_new_from_json (LK_PREDICTION_KIND_PREDICTION, object, &error);

  g_assert_no_error (error);
  return prediction;
}

static void
test_create_destroy (void)
{
  LkPrediction *prediction = prediction_from ("{\"id\": \"abc\", \"status\": \"starting\"}");

  g_assert_cmpstr (lk_prediction_get_id (prediction), ==, "abc");
  g_assert_finalize_object (prediction);
}

static void
test_parse_full (void)
{
  g_autoptr(LkPrediction) prediction = prediction_from (
    "{\"id\": \"p1\", \"model\": \"bytedance/flux-pulid\", \"version\": \"8baa\","
    " \"status\": \"succeeded\", \"input\": {\"prompt\": \"a cat\", \"seed\": 7},"
    " \"output\": [\"https://replicate.delivery/a.png\", \"data:image/png;base64,AA==\"],"
    " \"error\": null, \"logs\": \"  50%|#####     | 10/20\\n\","
    " \"metrics\": {\"predict_time\": 12.5},"
    " \"created_at\": \"2025-01-02T03:04:05.123Z\", \"started_at\": \"2025-01-02T03:04:06Z\","
    " \"completed_at\": \"2025-01-02T03:04:18Z\","
    " \"urls\": {\"get\": \"https://api.replicate.com/v1/predictions/p1\", \"web\": \"https://replicate.com/p/p1\"}}");
  const char * const *outputs = lk_prediction_get_outputs (prediction);

  g_assert_cmpstr (lk_prediction_get_model (prediction), ==, "bytedance/flux-pulid");
  g_assert_cmpstr (lk_prediction_get_version (prediction), ==, "8baa");
  g_assert_cmpint (lk_prediction_get_status (prediction), ==, LK_PREDICTION_STATUS_SUCCEEDED);
  g_assert_true (lk_prediction_is_terminal (prediction));
  g_assert_cmpuint (g_strv_length ((GStrv) outputs), ==, 2);
  g_assert_cmpstr (outputs[0], ==, "https://replicate.delivery/a.png");
  g_assert_cmpstr (outputs[1], ==, "data:image/png;base64,AA==");
  g_assert_null (lk_prediction_get_error (prediction));
  g_assert_cmpfloat (lk_prediction_get_predict_time (prediction), ==, 12.5);
  /* Succeeded is done, whatever the last bar said. */
  g_assert_cmpfloat (lk_prediction_get_progress (prediction), ==, 1.0);
  g_assert_cmpint (g_date_time_get_second (lk_prediction_get_created_at (prediction)), ==, 5);
  g_assert_cmpint (g_date_time_to_unix (lk_prediction_get_completed_at (prediction)) -
                   g_date_time_to_unix (lk_prediction_get_started_at (prediction)), ==, 12);
  g_assert_cmpstr (lk_prediction_get_web_url (prediction), ==, "https://replicate.com/p/p1");
  g_assert_cmpstr (json_object_get_string_member (lk_prediction_get_input (prediction), "prompt"), ==, "a cat");
}

static void
test_training_output (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\": \"t1\", \"status\": \"succeeded\","
    " \"output\": {\"version\": \"me/lora:abc\", \"weights\": \"https://replicate.delivery/w.tar\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) training = lk_prediction_new_from_json (LK_PREDICTION_KIND_TRAINING, object, &error);
  JsonNode *output;

  g_assert_no_error (error);
  g_assert_cmpint (lk_prediction_get_kind (training), ==, LK_PREDICTION_KIND_TRAINING);
  g_assert_cmpuint (g_strv_length ((GStrv) lk_prediction_get_outputs (training)), ==, 0);
  output = lk_prediction_get_output (training);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (output));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (output), "version"), ==, "me/lora:abc");
}

typedef struct
{
  const char *name;
  const char *logs;
  double      progress;
} ProgressCase;

static void
test_progress (gconstpointer data)
{
  const ProgressCase *test = data;

  g_assert_cmpfloat_with_epsilon (lk_prediction_parse_progress (test->logs), test->progress, 1e-9);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *counts)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static guint
count (GHashTable *counts,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
update (LkPrediction *prediction,
        const char   *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_prediction_update (prediction, object, &error));
  g_assert_no_error (error);
}

static void
test_notify_on_change (void)
{
  g_autoptr(LkPrediction) prediction = prediction_from ("{\"id\": \"p\", \"status\": \"starting\", \"logs\": \"\"}");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (prediction, "notify", G_CALLBACK (count_notify_cb), counts);

  update (prediction, "{\"id\": \"p\", \"status\": \"starting\", \"logs\": \"\"}");
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  update (prediction, "{\"id\": \"p\", \"status\": \"processing\", \"logs\": \"  45%|####  | 9/20 [00:04<00:05]\"}");
  g_assert_cmpuint (count (counts, "status"), ==, 1);
  g_assert_cmpuint (count (counts, "logs"), ==, 1);
  g_assert_cmpuint (count (counts, "progress"), ==, 1);
  g_assert_cmpuint (count (counts, "outputs"), ==, 0);
  g_assert_cmpfloat_with_epsilon (lk_prediction_get_progress (prediction), 0.45, 1e-9);

  update (prediction, "{\"id\": \"p\", \"status\": \"failed\", \"error\": \"NSFW content detected.\","
                      " \"logs\": \"  45%|####  | 9/20 [00:04<00:05]\"}");
  g_assert_cmpuint (count (counts, "status"), ==, 2);
  g_assert_cmpuint (count (counts, "error"), ==, 1);
  g_assert_cmpuint (count (counts, "progress"), ==, 1);
  g_assert_cmpstr (lk_prediction_get_error (prediction), ==, "NSFW content detected.");
}

typedef struct
{
  const char *name;
  const char *json;
} BadCase;

static void
test_rejects (gconstpointer data)
{
  const BadCase *test = data;
  g_autoptr(LkPrediction) prediction = prediction_from ("{\"id\": \"p\", \"status\": \"processing\"}");
  g_autoptr(JsonObject) object = parse_object (test->json);
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_prediction_update (prediction, object, &error));
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL);
  g_assert_cmpint (lk_prediction_get_status (prediction), ==, LK_PREDICTION_STATUS_PROCESSING);
  g_assert_cmpstr (lk_prediction_get_id (prediction), ==, "p");
}

int
main (int   argc,
      char *argv[])
{
  static const ProgressCase progress_cases[] = {
    { "none", "Loading weights\nUsing seed 42\n", -1.0 },
    { "null", NULL, -1.0 },
    { "one", "  45%|████▌     | 9/20 [00:04<00:05,  2.10it/s]\n", 9.0 / 20 },
    { "last-wins", "  5%|#  | 1/20\n 50%|#####  | 10/20\n 55%|#####  | 11/20\n", 11.0 / 20 },
    { "carriage-returns", "  5%|#  | 1/20 [00:01]\r 10%|##  | 2/20 [00:02]\r", 2.0 / 20 },
    { "two-bars", "100%|##########| 4/4\nloading\n 25%|##  | 7/28\n", 7.0 / 28 },
    { "not-at-line-start", "step 45%| bar | 9/20\n", -1.0 },
    { "zero-total", " 30%|###  | 0/0\n", 0.3 },
  };
  static const BadCase bad_cases[] = {
    { "no-id", "{\"status\": \"processing\"}" },
    { "other-id", "{\"id\": \"q\", \"status\": \"succeeded\"}" },
    { "unknown-status", "{\"id\": \"p\", \"status\": \"exploded\"}" },
    { "status-not-string", "{\"id\": \"p\", \"status\": 3}" },
  };

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/prediction/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/prediction/parse-full", test_parse_full);
  g_test_add_func ("/lk/prediction/training-output", test_training_output);
  g_test_add_func ("/lk/prediction/notify-on-change", test_notify_on_change);
  for (guint i = 0; i < G_N_ELEMENTS (progress_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/prediction/progress/%s", progress_cases[i].name);

      g_test_add_data_func (path, &progress_cases[i], test_progress);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/prediction/rejects/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_rejects);
    }

  return g_test_run ();
}
