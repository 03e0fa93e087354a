/* lk-train-page.h: the Train page: the person's trained models, and the
 * wizard that trains a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-trainer.h"

G_BEGIN_DECLS

#define LK_TYPE_TRAIN_PAGE (lk_train_page_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainPage, lk_train_page, LK, TRAIN_PAGE, AdwBin)

GtkWidget *lk_train_page_new         (void);
LkTrainer *lk_train_page_get_trainer (LkTrainPage *self);

G_END_DECLS
