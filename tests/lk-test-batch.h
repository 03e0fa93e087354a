/* lk-test-batch.h: running a batch to its end in the batch tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-batch.h"

G_BEGIN_DECLS

void         lk_test_batch_start        (LkBatch *batch);
void         lk_test_batch_wait_settled (LkBatch *batch);
LkBatchItem *lk_test_batch_get_item     (LkBatch *batch,
                                         guint    i);

G_END_DECLS
