/* lk-test-store.h: filling a store with jobs the way a batch would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* Rounded, since most decimal fractions have no exact binary form. */
#define LK_TEST_USD(x) ((gint64) ((x) * 1000000 + 0.5))

gint64 lk_test_store_add_job  (LkStore    *store,
                               LkJobKind   kind,
                               const char *title,
                               guint       n_items,
                               gint64      created,
                               gint64      budget,
                               gint64     *item_ids);
void   lk_test_store_run_item (LkStore    *store,
                               LkBudget   *budget,
                               gint64      job_id,
                               gint64      item_id,
                               const char *prediction_id,
                               const char *model,
                               const char *status,
                               gint64      cost,
                               const char *file,
                               GDateTime  *when);

G_END_DECLS
