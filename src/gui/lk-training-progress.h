/* lk-training-progress.h: a training as it goes: status, steps, time,
 * cost so far and the logs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-trainer.h"

G_BEGIN_DECLS

#define LK_TYPE_TRAINING_PROGRESS (lk_training_progress_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainingProgress, lk_training_progress, LK, TRAINING_PROGRESS, AdwBin)

GtkWidget *lk_training_progress_new         (void);
LkTrainer *lk_training_progress_get_trainer (LkTrainingProgress *self);
void       lk_training_progress_set_trainer (LkTrainingProgress *self,
                                             LkTrainer          *trainer);
void       lk_training_progress_ask_cancel  (LkTrainingProgress *self);

G_END_DECLS
