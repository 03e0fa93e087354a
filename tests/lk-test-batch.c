/* lk-test-batch.c: running a batch to its end in the batch tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "lk-test-batch.h"
#include "lk-test-utils.h"

/* Starts @batch and asserts that it started. */
void
lk_test_batch_start (LkBatch *batch)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lk_batch_start_async (batch, NULL, lk_test_store_result, &result);
  g_assert_true (lk_batch_start_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
}

/* Waits until @batch stops with nothing under way. */
void
lk_test_batch_wait_settled (LkBatch *batch)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lk_batch_wait_async (batch, NULL, lk_test_store_result, &result);
  g_assert_true (lk_batch_wait_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
}

/* Returns: (transfer none): item @i, which the batch keeps alive */
LkBatchItem *
lk_test_batch_get_item (LkBatch *batch,
                        guint    i)
{
  g_autoptr(LkBatchItem) item = g_list_model_get_item (lk_batch_get_items (batch), i);

  return item;
}
