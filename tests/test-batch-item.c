/* test-batch-item.c: one portrait of a batch as the Progress page sees it:
 * what each state allows, and notifications only on change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-batch-private.h"
#include "lk-test-utils.h"

static LkBatchRecipe *
recipe_new (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"style_id\": \"film-noir\", \"style_name\": \"Film Noir\", "
                                               "\"prompt\": \"a person in a film noir still\"}", NULL);

  return lk_batch_recipe_new_from_json (json_node_get_object (node));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_new (void)
{
  LkBatchItem *item = lk_batch_item_new (6, recipe_new (), 1234, 1);

  g_assert_cmpuint (lk_batch_item_get_index (item), ==, 6);
  g_assert_cmpstr (lk_batch_item_get_style_id (item), ==, "film-noir");
  g_assert_cmpstr (lk_batch_item_get_style_name (item), ==, "Film Noir");
  g_assert_cmpint (lk_batch_item_get_seed (item), ==, 1234);
  g_assert_cmpint (lk_batch_item_get_state (item), ==, LK_BATCH_ITEM_STATE_QUEUED);
  g_assert_cmpfloat (lk_batch_item_get_progress (item), ==, -1);
  g_assert_null (lk_batch_item_get_prediction_id (item));
  g_assert_null (lk_batch_item_get_output_file (item));
  g_assert_true (lk_batch_item_get_can_cancel (item));
  g_assert_false (lk_batch_item_get_can_retry (item));
  g_assert_finalize_object (item);
}

typedef struct
{
  LkBatchItemState state;
  gboolean         finished;
  gboolean         can_cancel;
  gboolean         can_retry;
} StateCase;

static const StateCase state_cases[] = {
  { LK_BATCH_ITEM_STATE_QUEUED, FALSE, TRUE, FALSE },
  { LK_BATCH_ITEM_STATE_UPLOADING, FALSE, TRUE, FALSE },
  { LK_BATCH_ITEM_STATE_STARTING, FALSE, TRUE, FALSE },
  { LK_BATCH_ITEM_STATE_GENERATING, FALSE, TRUE, FALSE },
  { LK_BATCH_ITEM_STATE_DOWNLOADING, FALSE, TRUE, FALSE },
  { LK_BATCH_ITEM_STATE_DONE, TRUE, FALSE, FALSE },
  { LK_BATCH_ITEM_STATE_FAILED, TRUE, FALSE, TRUE },
  { LK_BATCH_ITEM_STATE_CANCELED, TRUE, FALSE, TRUE },
  { LK_BATCH_ITEM_STATE_EXPIRED, TRUE, FALSE, TRUE },
};

static void
test_state (gconstpointer data)
{
  const StateCase *c = data;
  g_autoptr(LkBatchItem) item = lk_batch_item_new (0, recipe_new (), 1, 0);
  guint finished_notes = 0;

  g_signal_connect (item, "notify::finished", G_CALLBACK (count_cb), &finished_notes);
  lk_batch_item_set_state (item, c->state);

  g_assert_cmpint (lk_batch_item_get_finished (item), ==, c->finished);
  g_assert_cmpint (lk_batch_item_get_can_cancel (item), ==, c->can_cancel);
  g_assert_cmpint (lk_batch_item_get_can_retry (item), ==, c->can_retry);
  g_assert_cmpuint (finished_notes, ==, c->finished ? 1 : 0);
  g_assert_nonnull (lk_batch_item_state_describe (c->state));
}

static void
test_notify_on_change (void)
{
  g_autoptr(LkBatchItem) item = lk_batch_item_new (0, recipe_new (), 1, 0);
  guint state_notes = 0;
  guint progress_notes = 0;

  g_signal_connect (item, "notify::state", G_CALLBACK (count_cb), &state_notes);
  g_signal_connect (item, "notify::progress", G_CALLBACK (count_cb), &progress_notes);

  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_GENERATING);
  lk_batch_item_set_progress (item, 0.45);
  lk_batch_item_set_progress (item, 0.45);
  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_GENERATING);
  g_assert_cmpuint (state_notes, ==, 1);
  g_assert_cmpuint (progress_notes, ==, 1);
  g_assert_cmpfloat (lk_batch_item_get_progress (item), ==, 0.45);

  /* Done is all the way; a later state has no progress to show. */
  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_DONE);
  g_assert_cmpfloat (lk_batch_item_get_progress (item), ==, 1);
  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_FAILED);
  g_assert_cmpfloat (lk_batch_item_get_progress (item), ==, -1);
  g_assert_cmpuint (state_notes, ==, 3);
}

static void
test_recipe_round_trip (void)
{
  g_autoptr(LkBatchRecipe) recipe = recipe_new ();
  g_autoptr(LkBatchRecipe) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) broken = json_from_string ("{\"style_name\": \"No id\"}", NULL);

  recipe->aspect_ratio = g_strdup ("4:5");
  recipe->width = 896;
  recipe->height = 1120;
  recipe->guidance = 3.5;
  node = lk_batch_recipe_to_json (recipe);
  copy = lk_batch_recipe_new_from_json (json_node_get_object (node));

  g_assert_cmpstr (copy->style_id, ==, "film-noir");
  g_assert_cmpstr (copy->prompt, ==, recipe->prompt);
  g_assert_cmpstr (copy->aspect_ratio, ==, "4:5");
  g_assert_cmpuint (copy->width, ==, 896);
  g_assert_cmpuint (copy->height, ==, 1120);
  g_assert_cmpfloat (copy->guidance, ==, 3.5);
  g_assert_null (lk_batch_recipe_new_from_json (json_node_get_object (broken)));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/batch-item/new", test_new);
  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/batch-item/state/%u", state_cases[i].state);

      g_test_add_data_func (path, &state_cases[i], test_state);
    }
  g_test_add_func ("/lk/batch-item/notify-on-change", test_notify_on_change);
  g_test_add_func ("/lk/batch-item/recipe-round-trip", test_recipe_round_trip);

  return g_test_run ();
}
