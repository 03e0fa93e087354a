/* lk-test-store.c: filling a store with jobs the way a batch would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "lk-test-store.h"

/**
 * lk_test_store_add_job:
 * @created: Unix time, 0 for now
 * @budget: the job's budget in micro-dollars, 0 for none
 * @item_ids: (out) (array length=n_items) (optional): the items' ids
 *
 * Adds a running job whose items are all film-noir portraits estimated
 * at $0.04 each.
 *
 * Returns: the job's id
 */
gint64
lk_test_store_add_job (LkStore    *store,
                       LkJobKind   kind,
                       const char *title,
                       guint       n_items,
                       gint64      created,
                       gint64      budget,
                       gint64     *item_ids)
{
  g_autoptr(GError) error = NULL;
  g_autofree LkItemSpec *items = g_new0 (LkItemSpec, MAX (n_items, 1));
  g_autofree char *folder = g_build_filename (g_get_user_special_dir (G_USER_DIRECTORY_PICTURES) != NULL
                                              ? g_get_user_special_dir (G_USER_DIRECTORY_PICTURES)
                                              : g_get_home_dir (),
                                              "Likeness", title, NULL);
  LkJobSpec job = {
    .kind = kind,
    .state = LK_JOB_STATE_RUNNING,
    .title = title,
    .settings = "{\"preset\": \"standard\"}",
    .folder = folder,
    .estimate = LK_TEST_USD (0.04) * n_items,
    .budget = budget,
    .created = created,
  };
  gint64 job_id;

  for (guint i = 0; i < n_items; i++)
    items[i] = (LkItemSpec) { "film-noir", "a portrait in film noir style", 1000 + i, "bytedance/flux-pulid", "ab12" };

  job_id = lk_store_add_job (store, &job, items, n_items, item_ids, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
  return job_id;
}

/**
 * lk_test_store_run_item:
 * @status: the prediction's final status; the item succeeds with
 *   "succeeded" and fails otherwise
 * @cost: its actual cost, micro-dollars
 * @file: (nullable): the saved output
 * @when: (nullable): when it all happened; %NULL for now
 *
 * What a batch does for one item: reserve $0.04 against the caps, record
 * the prediction, save its output, finish it and settle the item.
 */
void
lk_test_store_run_item (LkStore    *store,
                        LkBudget   *budget,
                        gint64      job_id,
                        gint64      item_id,
                        const char *prediction_id,
                        const char *model,
                        const char *status,
                        gint64      cost,
                        const char *file,
                        GDateTime  *when)
{
  g_autoptr(GError) error = NULL;
  LkPredictionSpec prediction = { prediction_id, FALSE, item_id, model, NULL, "starting", "hash", 0 };
  LkBudgetVerdict verdict;
  gint64 reservation;

  reservation = lk_store_reserve (store, budget, job_id, model, LK_TEST_USD (0.04), when, &verdict, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reservation, >, 0);

  if (when != NULL)
    prediction.created = g_date_time_to_unix (when);
  g_assert_true (lk_store_add_prediction (store, &prediction, reservation, &error));
  g_assert_no_error (error);

  if (file != NULL)
    {
      gint64 output = lk_store_add_output (store, prediction_id, 0, "https://replicate.delivery/x.png", &error);

      g_assert_no_error (error);
      g_assert_true (lk_store_set_output_saved (store, output, file, "cafe", 1234, &error));
      g_assert_no_error (error);
    }

  g_assert_true (lk_store_finish_prediction (store, prediction_id, status, 12.5, NULL, cost, when, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_set_item_state (store, item_id,
                                          g_str_equal (status, "succeeded") ? LK_ITEM_STATE_SUCCEEDED
                                                                            : LK_ITEM_STATE_FAILED,
                                          NULL, NULL, &error));
  g_assert_no_error (error);
}
