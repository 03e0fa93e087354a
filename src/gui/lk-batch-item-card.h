/* lk-batch-item-card.h: one portrait of a job on the Progress page: its
 * style, where it stands, the model that made it, and the image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-batch.h"
#include "lk-style-library.h"

G_BEGIN_DECLS

/* The least time between two redraws of a card's text, in milliseconds:
 * however often its item changes, a card updates at most ten times a
 * second. */
#define LK_BATCH_ITEM_CARD_UPDATE_MS 100

#define LK_TYPE_BATCH_ITEM_CARD (lk_batch_item_card_get_type ())

G_DECLARE_FINAL_TYPE (LkBatchItemCard, lk_batch_item_card, LK, BATCH_ITEM_CARD, AdwBin)

GtkWidget   *lk_batch_item_card_new      (LkBatch         *batch,
                                          LkBatchItem     *item,
                                          LkStyleLibrary  *library);
LkBatchItem *lk_batch_item_card_get_item (LkBatchItemCard *self);

G_END_DECLS
