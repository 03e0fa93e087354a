/* test-batch.c: LkBatch against the Replicate simulator: every style saved
 * once, faults and fallbacks, budget caps, cancel, retry and resume.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-batch-private.h"
#include "lk-catalog.h"
#include "lk-prediction.h"
#include "lk-sim.h"
#include "lk-style-library.h"
#include "lk-test-photos.h"
#include "lk-test-store.h"
#include "lk-test-batch.h"
#include "lk-test-utils.h"

/* Bounds only a broken test; nothing asserts on how fast things are. */
#define DEADLINE_MS 120000

#define PULID "bytedance/flux-pulid"
#define KONTEXT "black-forest-labs/flux-kontext-pro"
#define INSTANT_ID "zsxkib/instant-id"

static const char *test_home;

typedef struct
{
  LkSim          *sim;
  LkClient       *client;
  LkStore        *store;
  LkCatalog      *catalog;
  LkBudget       *budget;
  LkStyleLibrary *styles;
  GPtrArray      *photos;
  char           *dir;
  GFile          *out;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *db = NULL;

  f->dir = g_build_filename (test_home, "batch-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (f->dir));
  db = g_build_filename (f->dir, "likeness.db", NULL);

  f->sim = lk_sim_new ();
  lk_sim_set_time_scale (f->sim, 0.01);
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

  /* Three references that differ in content, as three photos do. */
  f->photos = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GdkPixbuf) variant = lk_test_photo_brightness (face, 0.8 + 0.2 * i);
      g_autofree char *name = g_strdup_printf ("reference-%u.jpg", i);
      g_autofree char *path = lk_test_photo_save (variant, f->dir, name, 90);

      g_ptr_array_add (f->photos, lk_photo_new (path));
    }

  f->out = g_file_new_build_filename (f->dir, "Pictures", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->photos, g_ptr_array_unref);
  g_clear_object (&f->styles);
  g_clear_object (&f->budget);
  g_clear_object (&f->catalog);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  lk_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->out);
  g_free (f->dir);
}

static GPtrArray *
first_styles (Fixture *f,
              guint    n)
{
  GListModel *styles = lk_style_library_get_styles (f->styles);
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_cmpuint (g_list_model_get_n_items (styles), >=, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (chosen, g_list_model_get_item (styles, i));

  return chosen;
}

static LkBatch *
new_batch (Fixture *f,
           guint    n_styles,
           guint    concurrency)
{
  g_autoptr(GPtrArray) styles = first_styles (f, n_styles);
  LkBatch *batch = lk_batch_new (f->client, f->store, f->catalog, f->budget);

  lk_batch_set_styles (batch, styles);
  lk_batch_set_references (batch, f->photos);
  lk_batch_set_output_folder (batch, f->out);
  lk_batch_set_job_name (batch, "Test Job");
  lk_batch_set_concurrency (batch, concurrency);
  return batch;
}

/* The sum of the actual costs in the ledger for a job. */
static gint64
ledger_actual (LkStore *store,
               gint64   job_id)
{
  g_autoptr(GPtrArray) entries = lk_store_list_ledger (store, NULL);
  gint64 sum = 0;

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      LkLedgerEntry *entry = g_ptr_array_index (entries, i);

      if (entry->job_id == job_id && g_str_equal (entry->kind, "actual"))
        sum += entry->amount;
    }

  return sum;
}

/* What the simulator's own view of a prediction says it cost. */
static gint64
sim_cost (Fixture    *f,
          const char *id)
{
  g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (f->sim, id);
  const char *model = json_object_get_string_member (prediction, "model");
  const char *status = json_object_get_string_member (prediction, "status");
  JsonNode *output = json_object_get_member (prediction, "output");
  JsonObject *metrics = json_object_get_object_member (prediction, "metrics");
  guint n_outputs = 0;

  if (output != NULL && JSON_NODE_HOLDS_ARRAY (output))
    n_outputs = json_array_get_length (json_node_get_array (output));
  else if (output != NULL && JSON_NODE_HOLDS_VALUE (output))
    n_outputs = 1;

  return lk_model_actual_cost (lk_catalog_lookup (f->catalog, model), status, n_outputs,
                               json_object_get_double_member (metrics, "predict_time"));
}

/* Tests -------------------------------------------------------------------- */

static void
test_new (Fixture       *f,
          gconstpointer  data)
{
  LkBatch *batch = new_batch (f, 3, 2);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_DRAFT);
  g_assert_cmpuint (lk_batch_get_n_items (batch), ==, 3);
  g_assert_cmpuint (lk_batch_get_concurrency (batch), ==, 2);
  g_assert_cmpint (lk_batch_get_job_id (batch), ==, 0);
  g_assert_cmpstr (lk_batch_item_get_style_id (lk_test_batch_get_item (batch, 0)), ==,
                   lk_style_get_id (g_list_model_get_item (lk_style_library_get_styles (f->styles), 0)));
  g_assert_cmpint (lk_batch_item_get_state (lk_test_batch_get_item (batch, 0)), ==, LK_BATCH_ITEM_STATE_QUEUED);
  g_assert_cmpfloat (lk_batch_item_get_progress (lk_test_batch_get_item (batch, 0)), ==, -1);
  g_assert_finalize_object (batch);
}

static void
test_estimate (Fixture       *f,
               gconstpointer  data)
{
  LkModel *pulid = lk_catalog_lookup (f->catalog, PULID);
  LkBatchEstimate estimate;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkBatch) batch = new_batch (f, 5, 4);

  g_assert_true (lk_batch_estimate (f->catalog, LK_QUALITY_PRESET_STANDARD, 23, 4, &estimate, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (estimate.model, ==, PULID);
  g_assert_cmpint (estimate.cost, ==, 23 * lk_model_estimate (pulid, LK_QUALITY_PRESET_STANDARD, 1));
  /* Kontext Pro, at $0.04 an image, is the dearest model of the chain. */
  g_assert_cmpint (estimate.cost_max, ==, 23 * 40000);
  g_assert_cmpfloat (estimate.item_seconds, ==, 15);
  g_assert_cmpfloat (estimate.seconds, ==, 6 * 15);

  g_assert_cmpint (lk_batch_get_estimate (batch), ==, 5 * lk_model_estimate (pulid, LK_QUALITY_PRESET_STANDARD, 1));
  lk_batch_set_preset (batch, LK_QUALITY_PRESET_DRAFT);
  g_assert_cmpint (lk_batch_get_estimate (batch), ==, 5 * lk_model_estimate (pulid, LK_QUALITY_PRESET_DRAFT, 1));
}

static LkBatchRecipe *
portrait_recipe (const char *aspect_ratio)
{
  LkBatchRecipe *recipe = g_new0 (LkBatchRecipe, 1);

  recipe->style_id = g_strdup ("test");
  recipe->style_name = g_strdup ("Test");
  recipe->prompt = g_strdup ("portrait of a person");
  recipe->negative_prompt = g_strdup ("blurry");
  recipe->aspect_ratio = g_strdup (aspect_ratio);
  recipe->width = 896;
  recipe->height = 1120;
  recipe->identity_weight = 1.2;
  recipe->guidance = 4;
  return recipe;
}

static void
assert_no_null (JsonObject *input)
{
  g_autoptr(GList) members = json_object_get_members (input);

  for (GList *l = members; l != NULL; l = l->next)
    g_assert_false (JSON_NODE_HOLDS_NULL (json_object_get_member (input, l->data)));
}

static void
test_input_mapping (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LkBatchRecipe) recipe = portrait_recipe ("4:5");
  g_autoptr(LkBatchRecipe) odd = portrait_recipe ("7:5");
  g_autoptr(JsonObject) pulid = NULL;
  g_autoptr(JsonObject) kontext = NULL;
  g_autoptr(JsonObject) kontext_odd = NULL;
  g_autoptr(JsonObject) instant = NULL;
  g_autoptr(JsonObject) draft = NULL;
  const char *url = "https://example.invalid/ref.jpg";

  pulid = lk_batch_input_build (lk_catalog_lookup (f->catalog, PULID), LK_QUALITY_PRESET_STANDARD,
                                recipe, url, 42, NULL);
  g_assert_nonnull (pulid);
  g_assert_cmpstr (json_object_get_string_member (pulid, "main_face_image"), ==, url);
  g_assert_cmpint (json_object_get_int_member (pulid, "seed"), ==, 42);
  g_assert_cmpfloat (json_object_get_double_member (pulid, "id_weight"), ==, 1.2);
  g_assert_cmpstr (json_object_get_string_member (pulid, "negative_prompt"), ==, "blurry");
  /* The style's 4:5 at about the preset's 896x1152 pixels. */
  g_assert_cmpint (json_object_get_int_member (pulid, "width"), ==, 912);
  g_assert_cmpint (json_object_get_int_member (pulid, "height"), ==, 1136);
  g_assert_false (json_object_has_member (pulid, "aspect_ratio"));

  kontext = lk_batch_input_build (lk_catalog_lookup (f->catalog, KONTEXT), LK_QUALITY_PRESET_STANDARD,
                                  recipe, url, 42, NULL);
  g_assert_cmpstr (json_object_get_string_member (kontext, "input_image"), ==, url);
  g_assert_cmpstr (json_object_get_string_member (kontext, "aspect_ratio"), ==, "4:5");
  g_assert_false (json_object_has_member (kontext, "width"));
  g_assert_false (json_object_has_member (kontext, "negative_prompt"));

  /* An aspect ratio the model does not know is left to its preset. */
  kontext_odd = lk_batch_input_build (lk_catalog_lookup (f->catalog, KONTEXT), LK_QUALITY_PRESET_STANDARD,
                                      odd, url, 42, NULL);
  g_assert_cmpstr (json_object_get_string_member (kontext_odd, "aspect_ratio"), ==, "3:4");

  /* InstantID has no seed and names its inputs its own way. */
  instant = lk_batch_input_build (lk_catalog_lookup (f->catalog, INSTANT_ID), LK_QUALITY_PRESET_STANDARD,
                                  recipe, url, 42, NULL);
  g_assert_cmpstr (json_object_get_string_member (instant, "image"), ==, url);
  g_assert_false (json_object_has_member (instant, "seed"));
  g_assert_cmpfloat (json_object_get_double_member (instant, "ip_adapter_scale"), ==, 1.2);

  draft = lk_batch_input_build (lk_catalog_lookup (f->catalog, PULID), LK_QUALITY_PRESET_DRAFT,
                                recipe, url, 42, NULL);
  g_assert_cmpint (json_object_get_int_member (draft, "width"), <, json_object_get_int_member (pulid, "width"));
  g_assert_cmpint (json_object_get_int_member (draft, "num_steps"), ==, 10);

  /* Never a null: Replicate refuses them. */
  assert_no_null (pulid);
  assert_no_null (kontext);
  assert_no_null (instant);
}

static void
test_seeds (void)
{
  g_assert_cmpint (lk_batch_input_seed (100, 0), ==, 100);
  g_assert_cmpint (lk_batch_input_seed (100, 2), ==, 102);
  g_assert_cmpint (lk_batch_input_seed (G_MAXINT32 - 1, 1), ==, 1);
}

static void
progress_cb (LkBatchItem *item,
             GParamSpec  *pspec,
             gboolean    *seen)
{
  double progress = lk_batch_item_get_progress (item);

  if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_GENERATING && progress > 0 && progress < 1)
    *seen = TRUE;
}

static void
test_all_styles (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 23, 4);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected_cost = 0;
  gboolean progress_seen = FALSE;

  for (guint i = 0; i < 23; i++)
    g_signal_connect (lk_test_batch_get_item (batch, i), "notify::progress", G_CALLBACK (progress_cb), &progress_seen);

  lk_test_batch_start (batch);
  g_assert_cmpint (lk_batch_get_job_id (batch), >, 0);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 23);
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 0);
  g_assert_false (lk_batch_get_busy (batch));
  g_assert_cmpfloat (lk_batch_get_elapsed (batch), >, 0);
  g_assert_cmpfloat (lk_batch_get_eta_seconds (batch), ==, -1);
  /* The cards showed the models' progress on the way. */
  g_assert_true (progress_seen);

  /* One prediction per style, each created once. */
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 23);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  /* Each of the three references uploaded once. */
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", "/v1/files"), ==, 3);

  for (guint i = 0; i < 23; i++)
    {
      LkBatchItem *item = lk_test_batch_get_item (batch, i);
      g_autofree char *name = g_file_get_basename (lk_batch_item_get_output_file (item));
      g_autofree char *expected = g_strdup_printf ("%02u-%s.jpg", i + 1, lk_batch_item_get_style_id (item));
      g_autofree char *path = g_file_get_path (lk_batch_item_get_output_file (item));
      g_autoptr(GFile) folder = g_file_get_parent (lk_batch_item_get_output_file (item));

      g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_DONE);
      g_assert_cmpstr (name, ==, expected);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_equal (folder, lk_batch_get_job_folder (batch)));
      g_assert_cmpstr (lk_batch_item_get_model (item), ==, PULID);
      g_assert_false (lk_batch_item_get_fallback_used (item));
      g_assert_cmpfloat (lk_batch_item_get_progress (item), ==, 1);
      expected_cost += sim_cost (f, lk_batch_item_get_prediction_id (item));
    }

  files = lk_store_list_job_files (f->store, lk_batch_get_job_id (batch), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 23);
  g_assert_cmpint (ledger_actual (f->store, lk_batch_get_job_id (batch)), ==, expected_cost);
  g_assert_cmpint (lk_batch_get_spent (batch), ==, expected_cost);
}

static void
test_never_overwrites (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LkBatch) first = new_batch (f, 1, 1);
  g_autoptr(LkBatch) second = new_batch (f, 1, 1);
  g_autofree char *name = NULL;

  lk_test_batch_start (first);
  lk_test_batch_wait_settled (first);

  /* The same job name gets a folder of its own. */
  lk_test_batch_start (second);
  lk_test_batch_wait_settled (second);
  g_assert_false (g_file_equal (lk_batch_get_job_folder (first), lk_batch_get_job_folder (second)));
  name = g_file_get_basename (lk_batch_get_job_folder (second));
  g_assert_cmpstr (name, ==, "Test Job (2)");
  g_assert_true (g_file_query_exists (lk_batch_item_get_output_file (lk_test_batch_get_item (first, 0)), NULL));
  g_assert_true (g_file_query_exists (lk_batch_item_get_output_file (lk_test_batch_get_item (second, 0)), NULL));
}

static const char fault_plan[] =
  "["
  /* flux-pulid is gone: every item falls back. */
  " {\"model\": \"" PULID "\", \"fault\": \"status\", \"status\": 404, \"times\": 0},"
  /* A create is carried out but its answer lost. */
  " {\"model\": \"" KONTEXT "\", \"fault\": \"drop-after\", \"skip\": 2, \"times\": 1},"
  /* One run is stopped by the content filter. */
  " {\"model\": \"" KONTEXT "\", \"fault\": \"fail\", \"skip\": 4, \"times\": 1},"
  /* Throttled, then the service fails for a moment. */
  " {\"model\": \"" KONTEXT "\", \"fault\": \"status\", \"status\": 429, \"retry_after\": 1, \"times\": 2},"
  " {\"model\": \"" KONTEXT "\", \"fault\": \"status\", \"status\": 503, \"skip\": 6, \"times\": 1},"
  " {\"method\": \"GET\", \"path\": \"/v1/predictions/*\", \"fault\": \"status\", \"status\": 503, \"times\": 3}"
  "]";

/* How many requests of @method under @prefix got @status (0: dropped). */
static guint
count_answers (LkSim      *sim,
               const char *method,
               const char *prefix,
               guint       status)
{
  g_autoptr(GPtrArray) requests = lk_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, method) && g_str_has_prefix (request->path, prefix) &&
          request->status == status)
        n++;
    }

  return n;
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 10, 4);
  g_autoptr(GError) error = NULL;
  guint nsfw = 0;

  g_assert_true (lk_sim_add_faults (f->sim, fault_plan, &error));
  g_assert_no_error (error);

  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch) + lk_batch_get_n_failed (batch), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      LkBatchItem *item = lk_test_batch_get_item (batch, i);

      /* Every item fell back to the next model, and says so. */
      g_assert_cmpstr (lk_batch_item_get_model (item), ==, KONTEXT);
      g_assert_true (lk_batch_item_get_fallback_used (item));

      if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_FAILED)
        {
          g_assert_nonnull (lk_batch_item_get_error_message (item));
          if (strstr (lk_batch_item_get_error_message (item), "NSFW") != NULL)
            nsfw++;
        }
      else
        {
          g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_DONE);
        }
    }

  /* The plan's faults all happened. */
  /* Only the items that tried it before it was known missing. */
  g_assert_cmpuint (count_answers (f->sim, "POST", "/v1/predictions", 404), >=, 1);
  g_assert_cmpuint (count_answers (f->sim, "POST", "/v1/predictions", 404), <=, 4);
  g_assert_cmpuint (count_answers (f->sim, "POST", "/v1/models/" KONTEXT "/predictions", 429), ==, 2);
  g_assert_cmpuint (count_answers (f->sim, "POST", "/v1/models/" KONTEXT "/predictions", 503), ==, 1);
  g_assert_cmpuint (count_answers (f->sim, "POST", "/v1/models/" KONTEXT "/predictions", 0), ==, 1);
  g_assert_cmpuint (count_answers (f->sim, "GET", "/v1/predictions/", 503), ==, 3);

  /* Only the filtered run failed; nothing was created twice. */
  g_assert_cmpuint (nsfw, ==, 1);
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 1);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);

  /* The failed item can be made again, now the filter lets it pass. */
  g_assert_cmpuint (lk_batch_retry_failed (batch), ==, 1);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_RUNNING);
  lk_test_batch_wait_settled (batch);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 10);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  LkModel *pulid = lk_catalog_lookup (f->catalog, PULID);
  gint64 each = lk_model_estimate (pulid, LK_QUALITY_PRESET_STANDARD, 1);
  g_autoptr(LkBatch) batch = new_batch (f, 8, 4);

  /* Room for exactly five portraits. */
  lk_batch_set_job_budget (batch, 5 * each);
  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_BUDGET_REACHED);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 5);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 5);
  g_assert_nonnull (lk_batch_get_budget_message (batch));
  g_assert_nonnull (strstr (lk_batch_get_budget_message (batch), "budget"));
  g_assert_cmpint (ledger_actual (f->store, lk_batch_get_job_id (batch)), ==, 5 * each);

  /* A larger budget lets the rest through. */
  lk_batch_set_job_budget (batch, 8 * each);
  lk_batch_resume (batch);
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 8);
  g_assert_null (lk_batch_get_budget_message (batch));
}

static gboolean
two_generating (gpointer data)
{
  LkBatch *batch = data;
  guint n = 0;

  for (guint i = 0; i < lk_batch_get_n_items (batch); i++)
    if (lk_batch_item_get_prediction_id (lk_test_batch_get_item (batch, i)) != NULL)
      n++;

  return n == 2;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 4, 2);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  /* Long enough that the cancel comes while they run. */
  lk_sim_set_model_duration (f->sim, PULID, 6000);
  lk_test_batch_start (batch);
  g_assert_true (lk_test_wait_for (two_generating, batch, DEADLINE_MS));
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (ids, g_strdup (lk_batch_item_get_prediction_id (lk_test_batch_get_item (batch, i))));

  lk_batch_cancel (batch);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_CANCELED);
  g_assert_cmpuint (lk_batch_get_n_canceled (batch), ==, 4);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 2);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) prediction = lk_sim_dup_prediction (f->sim, g_ptr_array_index (ids, i));
      g_autofree char *cancel = g_strdup_printf ("/v1/predictions/%s/cancel", (char *) g_ptr_array_index (ids, i));

      /* The cancel reached Replicate, and what ran is charged. */
      g_assert_cmpstr (json_object_get_string_member (prediction, "status"), ==, "canceled");
      g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", cancel), ==, 1);
    }
}

static void
test_cancel_while_starting (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 3, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;

  /* Canceled while its references upload: nothing is written or made. */
  lk_batch_start_async (batch, NULL, lk_test_store_result, &result);
  g_assert_true (lk_batch_get_busy (batch));
  lk_batch_cancel (batch);
  g_assert_false (lk_batch_start_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_CANCELED);
  g_assert_cmpuint (lk_batch_get_n_canceled (batch), ==, 3);
  g_assert_cmpint (lk_batch_get_job_id (batch), ==, 0);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 0);
  unfinished = lk_batch_find_unfinished (f->store, NULL);
  g_assert_cmpuint (unfinished->len, ==, 0);
  lk_test_batch_wait_settled (batch);
}

static void
test_cancel_item (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 3, 2);
  LkBatchItem *first;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) prediction = NULL;

  lk_sim_set_model_duration (f->sim, PULID, 300);
  lk_test_batch_start (batch);
  g_assert_true (lk_test_wait_for (two_generating, batch, DEADLINE_MS));
  first = lk_test_batch_get_item (batch, 0);
  id = g_strdup (lk_batch_item_get_prediction_id (first));

  lk_batch_cancel_item (batch, first);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_item_get_state (first), ==, LK_BATCH_ITEM_STATE_CANCELED);
  g_assert_true (lk_batch_item_get_can_retry (first));
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 2);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  prediction = lk_sim_dup_prediction (f->sim, id);
  g_assert_cmpstr (json_object_get_string_member (prediction, "status"), ==, "canceled");

  /* Retrying a canceled item makes it after all. */
  g_assert_true (lk_batch_retry_item (batch, first));
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_item_get_state (first), ==, LK_BATCH_ITEM_STATE_DONE);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
}

static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 6, 2);

  lk_sim_set_model_duration (f->sim, PULID, 100);
  lk_test_batch_start (batch);
  g_assert_true (lk_test_wait_for (two_generating, batch, DEADLINE_MS));
  lk_batch_pause (batch);
  lk_test_batch_wait_settled (batch);

  /* What ran finished and was saved; nothing new started. */
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_PAUSED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 2);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 2);

  lk_batch_resume (batch);
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 6);
}

static LkBatch *
load (Fixture *f,
      gint64   job_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkBatch *batch;

  lk_batch_load_async (f->client, f->store, f->catalog, f->budget, job_id, NULL, lk_test_store_result, &result);
  batch = lk_batch_load_finish (lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return batch;
}

static void
test_resume_paused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 5, 2);
  g_autoptr(LkBatch) loaded = NULL;
  g_autoptr(GArray) unfinished = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id;

  lk_sim_set_model_duration (f->sim, PULID, 100);
  lk_test_batch_start (batch);
  g_assert_true (lk_test_wait_for (two_generating, batch, DEADLINE_MS));
  lk_batch_pause (batch);
  lk_test_batch_wait_settled (batch);
  job_id = lk_batch_get_job_id (batch);
  g_clear_object (&batch);

  lk_batch_find_unfinished_async (f->store, NULL, lk_test_store_result, &found);
  unfinished = lk_batch_find_unfinished_finish (lk_test_wait_for_result (&found), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 1);
  g_assert_cmpint (g_array_index (unfinished, gint64, 0), ==, job_id);

  loaded = load (f, job_id);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_PAUSED);
  g_assert_cmpuint (lk_batch_get_n_items (loaded), ==, 5);
  g_assert_cmpuint (lk_batch_get_n_done (loaded), ==, 2);
  g_assert_nonnull (lk_batch_item_get_output_file (lk_test_batch_get_item (loaded, 0)));

  lk_batch_resume (loaded);
  lk_test_batch_wait_settled (loaded);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (loaded), ==, 5);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 5);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  /* The uploads of the first run were reused. */
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", "/v1/files"), ==, 3);
}

static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 2, 2);
  g_autoptr(GError) error = NULL;
  LkBatchItem *item;

  /* Replicate deleted the images before they could be saved. */
  g_assert_true (lk_sim_add_faults (f->sim, "[{\"method\": \"GET\", \"path\": \"/_sim/outputs/*\", "
                                    "\"fault\": \"status\", \"status\": 404, \"times\": 0}]", &error));
  g_assert_no_error (error);
  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);

  item = lk_test_batch_get_item (batch, 0);
  g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_EXPIRED);
  g_assert_nonnull (lk_batch_item_get_error_message (item));
  g_assert_true (lk_batch_item_get_can_retry (item));
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 2);

  /* Generated again, each as a new prediction. */
  lk_sim_clear_faults (f->sim);
  g_assert_cmpuint (lk_batch_retry_failed (batch), ==, 2);
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_DONE);
  g_assert_cmpuint (lk_batch_item_get_attempts (item), ==, 2);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 4);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
}

static void
test_refused_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 2, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing is written or spent when the references cannot be sent. */
  lk_sim_set_token (f->sim, "r8_another_token");
  lk_batch_start_async (batch, NULL, lk_test_store_result, &result);
  g_assert_false (lk_batch_start_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_BATCH_ERROR, LK_BATCH_ERROR_REFERENCE);
  g_assert_cmpint (lk_batch_get_job_id (batch), ==, 0);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_DRAFT);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 0);
  unfinished = lk_batch_find_unfinished (f->store, NULL);
  g_assert_cmpuint (unfinished->len, ==, 0);
}

static void
test_billing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 6, 2);
  g_autoptr(GError) error = NULL;

  /* Billing is not set up: no item would fare better, so the batch stops. */
  g_assert_true (lk_sim_add_faults (f->sim, "[{\"model\": \"" PULID "\", \"fault\": \"status\", "
                                    "\"status\": 402, \"times\": 0}]", &error));
  g_assert_no_error (error);
  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_PAUSED);
  g_assert_nonnull (lk_batch_get_error_message (batch));
  g_assert_nonnull (strstr (lk_batch_get_error_message (batch), "billing"));
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", "/v1/predictions"), ==, 2);
  /* The items wait for the batch to go on; none of them failed. */
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 0);
  g_assert_cmpint (lk_batch_item_get_state (lk_test_batch_get_item (batch, 0)), ==, LK_BATCH_ITEM_STATE_QUEUED);

  /* Once billing is set up, the job goes on. */
  lk_sim_clear_faults (f->sim);
  lk_batch_resume (batch);
  g_assert_null (lk_batch_get_error_message (batch));
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 6);
}

static void
test_resume_saved_unrecorded (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 2, 2);
  g_autoptr(LkBatch) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id;

  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);
  job_id = lk_batch_get_job_id (batch);

  /* As if the process died after saving the first image, before it
   * wrote down that the item was done. */
  g_assert_true (lk_store_set_item_state (f->store, lk_batch_item_get_id (lk_test_batch_get_item (batch, 0)),
                                          LK_ITEM_STATE_RUNNING, NULL, NULL, &error));
  g_assert_true (lk_store_set_job_state (f->store, job_id, LK_JOB_STATE_RUNNING, &error));
  g_assert_no_error (error);

  loaded = load (f, job_id);
  g_assert_cmpint (lk_batch_item_get_state (lk_test_batch_get_item (loaded, 0)), ==, LK_BATCH_ITEM_STATE_DONE);
  g_assert_true (g_file_equal (lk_batch_item_get_output_file (lk_test_batch_get_item (loaded, 0)),
                               lk_batch_item_get_output_file (lk_test_batch_get_item (batch, 0))));
  lk_batch_resume (loaded);
  lk_test_batch_wait_settled (loaded);

  /* Nothing was made again. */
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 2);
}

/* A job that ended with a portrait filtered out and one canceled is
 * reopened, and only those two are made again, each once. */
static void
test_retry_ended (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LkBatch) batch = new_batch (f, 4, 1);
  g_autoptr(LkBatch) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) saved = NULL;
  gint64 job_id;
  guint n_created;

  /* The second run is stopped by the content filter; the last item is
   * canceled while it waits for the first one's slot. */
  g_assert_true (lk_sim_add_faults (f->sim, "[{\"model\": \"" PULID "\", \"fault\": \"fail\", "
                                    "\"skip\": 1, \"times\": 1}]", &error));
  g_assert_no_error (error);
  lk_test_batch_start (batch);
  lk_batch_cancel_item (batch, lk_test_batch_get_item (batch, 3));
  lk_test_batch_wait_settled (batch);
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 2);
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 1);
  g_assert_cmpuint (lk_batch_get_n_canceled (batch), ==, 1);
  job_id = lk_batch_get_job_id (batch);
  saved = g_object_ref (lk_batch_item_get_output_file (lk_test_batch_get_item (batch, 0)));
  g_clear_object (&batch);
  n_created = lk_sim_get_prediction_count (f->sim);
  g_assert_cmpuint (n_created, ==, 3);

  /* Resuming is for jobs cut short, not for this one. */
  lk_batch_load_async (f->client, f->store, f->catalog, f->budget, job_id, NULL, lk_test_store_result, &result);
  g_assert_null (lk_batch_load_finish (lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_clear_object (&result);

  lk_batch_load_ended_async (f->client, f->store, f->catalog, f->budget, job_id, NULL, lk_test_store_result,
                             &result);
  loaded = lk_batch_load_finish (lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_PAUSED);
  g_assert_cmpuint (lk_batch_get_n_done (loaded), ==, 2);
  g_assert_cmpuint (lk_batch_get_n_failed (loaded), ==, 1);
  g_assert_cmpuint (lk_batch_get_n_canceled (loaded), ==, 1);
  g_assert_true (g_file_equal (lk_batch_item_get_output_file (lk_test_batch_get_item (loaded, 0)), saved));

  /* Nothing is made before the batch resumes. */
  g_assert_cmpuint (lk_batch_retry_missing (loaded), ==, 2);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_PAUSED);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, n_created);

  lk_batch_resume (loaded);
  lk_test_batch_wait_settled (loaded);
  g_assert_cmpint (lk_batch_get_state (loaded), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (loaded), ==, 4);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, n_created + 2);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
  g_assert_true (g_file_equal (lk_batch_item_get_output_file (lk_test_batch_get_item (loaded, 0)), saved));
  for (guint i = 0; i < 4; i++)
    g_assert_true (g_file_query_exists (lk_batch_item_get_output_file (lk_test_batch_get_item (loaded, i)), NULL));

  /* A job that has not ended is resumed, not reopened. */
  g_clear_object (&result);
  g_assert_true (lk_store_set_job_state (f->store, job_id, LK_JOB_STATE_PAUSED, &error));
  lk_batch_load_ended_async (f->client, f->store, f->catalog, f->budget, job_id, NULL, lk_test_store_result,
                             &result);
  g_assert_null (lk_batch_load_finish (lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/batch/new", Fixture, NULL, fixture_set_up, test_new, fixture_tear_down);
  g_test_add ("/lk/batch/estimate", Fixture, NULL, fixture_set_up, test_estimate, fixture_tear_down);
  g_test_add ("/lk/batch/input-mapping", Fixture, NULL, fixture_set_up, test_input_mapping, fixture_tear_down);
  g_test_add_func ("/lk/batch/seeds", test_seeds);
  g_test_add ("/lk/batch/all-styles", Fixture, NULL, fixture_set_up, test_all_styles, fixture_tear_down);
  g_test_add ("/lk/batch/never-overwrites", Fixture, NULL, fixture_set_up, test_never_overwrites, fixture_tear_down);
  g_test_add ("/lk/batch/faults", Fixture, NULL, fixture_set_up, test_faults, fixture_tear_down);
  g_test_add ("/lk/batch/budget", Fixture, NULL, fixture_set_up, test_budget, fixture_tear_down);
  g_test_add ("/lk/batch/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/lk/batch/cancel-while-starting", Fixture, NULL, fixture_set_up, test_cancel_while_starting,
              fixture_tear_down);
  g_test_add ("/lk/batch/cancel-item", Fixture, NULL, fixture_set_up, test_cancel_item, fixture_tear_down);
  g_test_add ("/lk/batch/pause", Fixture, NULL, fixture_set_up, test_pause, fixture_tear_down);
  g_test_add ("/lk/batch/expired", Fixture, NULL, fixture_set_up, test_expired, fixture_tear_down);
  g_test_add ("/lk/batch/refused-token", Fixture, NULL, fixture_set_up, test_refused_token, fixture_tear_down);
  g_test_add ("/lk/batch/billing", Fixture, NULL, fixture_set_up, test_billing, fixture_tear_down);
  g_test_add ("/lk/batch/resume-paused", Fixture, NULL, fixture_set_up, test_resume_paused, fixture_tear_down);
  g_test_add ("/lk/batch/retry-ended", Fixture, NULL, fixture_set_up, test_retry_ended, fixture_tear_down);
  g_test_add ("/lk/batch/resume-saved-unrecorded", Fixture, NULL, fixture_set_up, test_resume_saved_unrecorded,
              fixture_tear_down);

  return g_test_run ();
}
