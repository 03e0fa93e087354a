/* lk-batch-item.h: one portrait of a batch, as the Progress page shows it.
 *
 * Properties (read-only, notify on change): id (the store's item id, 0
 * in a draft), index (0-based position; files are numbered index + 1),
 * style-id, style-name, state (#LkBatchItemState), finished (state is an
 * end), can-cancel, can-retry, progress (0 to 1, -1 while unknown), model
 * and model-name (the model that runs or ran it), fallback-used (it is
 * not the first model of the chain), error-message (why it failed, in
 * the person's words), output-file (the saved image), seed, prediction-id
 * (the current or last Replicate prediction), attempts (predictions
 * created for it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TYPE_BATCH_ITEM (lk_batch_item_get_type ())

G_DECLARE_FINAL_TYPE (LkBatchItem, lk_batch_item, LK, BATCH_ITEM, GObject)

/* Only the batch changes an item; these read it. Every property notifies
 * when it changes, from the thread the batch runs on. */
gint64            lk_batch_item_get_id            (LkBatchItem *self);
guint             lk_batch_item_get_index         (LkBatchItem *self);
const char       *lk_batch_item_get_style_id      (LkBatchItem *self);
const char       *lk_batch_item_get_style_name    (LkBatchItem *self);
LkBatchItemState  lk_batch_item_get_state         (LkBatchItem *self);
gboolean          lk_batch_item_get_finished      (LkBatchItem *self);
gboolean          lk_batch_item_get_can_cancel    (LkBatchItem *self);
gboolean          lk_batch_item_get_can_retry     (LkBatchItem *self);
double            lk_batch_item_get_progress      (LkBatchItem *self);
const char       *lk_batch_item_get_model         (LkBatchItem *self);
const char       *lk_batch_item_get_model_name    (LkBatchItem *self);
gboolean          lk_batch_item_get_fallback_used (LkBatchItem *self);
const char       *lk_batch_item_get_error_message (LkBatchItem *self);
GFile            *lk_batch_item_get_output_file   (LkBatchItem *self);
gint64            lk_batch_item_get_seed          (LkBatchItem *self);
const char       *lk_batch_item_get_prediction_id (LkBatchItem *self);
guint             lk_batch_item_get_attempts      (LkBatchItem *self);

const char       *lk_batch_item_state_describe    (LkBatchItemState state);

G_END_DECLS
