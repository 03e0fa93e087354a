/* lk-trained-model-row.h: one trained model in the Train page's list,
 * with its details, its cost and what can be done with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-trainer.h"

G_BEGIN_DECLS

#define LK_TYPE_TRAINED_MODEL_ROW (lk_trained_model_row_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainedModelRow, lk_trained_model_row, LK, TRAINED_MODEL_ROW, AdwExpanderRow)

GtkWidget      *lk_trained_model_row_new       (LkTrainedModel    *model,
                                                LkTrainer         *trainer);
LkTrainedModel *lk_trained_model_row_get_model (LkTrainedModelRow *self);

G_END_DECLS
