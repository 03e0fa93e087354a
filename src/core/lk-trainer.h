/* lk-trainer.h: trains a FLUX LoRA on Replicate from a plan: the zip, the
 * upload, the destination model, the training and its progress, and the
 * trained model in the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-budget.h"
#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-store.h"
#include "lk-trained-model.h"
#include "lk-training-plan.h"
#include "lk-types.h"

G_BEGIN_DECLS

/* The one model on the person's account that every training adds a
 * version to, so that trainings never run into a limit on models. */
#define LK_TRAINER_DESTINATION_NAME "likeness-lora"

/* How often a running training is looked at, in seconds; a training
 * takes many minutes, so there is no point in asking more often. */
#define LK_TRAINER_POLL_INTERVAL 5.0

#define LK_TRAINER_ERROR (lk_trainer_error_quark ())

/**
 * LkTrainerError:
 * @LK_TRAINER_ERROR_BUSY: a training is already under way
 * @LK_TRAINER_ERROR_NO_MODEL: the catalog has no trainer or no runner
 * @LK_TRAINER_ERROR_BUDGET: a spending cap would be overshot
 * @LK_TRAINER_ERROR_FAILED: the training failed; the message says why
 * @LK_TRAINER_ERROR_CANCELED: the training was canceled
 * @LK_TRAINER_ERROR_ABORTED: Replicate stopped the training before it ran
 * @LK_TRAINER_ERROR_NOT_READY: the model has no trained version yet
 */
typedef enum
{
  LK_TRAINER_ERROR_BUSY,
  LK_TRAINER_ERROR_NO_MODEL,
  LK_TRAINER_ERROR_BUDGET,
  LK_TRAINER_ERROR_FAILED,
  LK_TRAINER_ERROR_CANCELED,
  LK_TRAINER_ERROR_ABORTED,
  LK_TRAINER_ERROR_NOT_READY,
} LkTrainerError;

#define LK_TYPE_TRAINER (lk_trainer_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainer, lk_trainer, LK, TRAINER, GObject)

GQuark            lk_trainer_error_quark       (void);

LkTrainer        *lk_trainer_new               (LkClient             *client,
                                                LkStore              *store,
                                                LkCatalog            *catalog);
LkModel          *lk_trainer_get_trainer_model (LkTrainer            *self);
LkModel          *lk_trainer_get_runner_model  (LkTrainer            *self);
LkBudget         *lk_trainer_get_budget        (LkTrainer            *self);
void              lk_trainer_set_budget        (LkTrainer            *self,
                                                LkBudget             *budget);
double            lk_trainer_get_poll_interval (LkTrainer            *self);
void              lk_trainer_set_poll_interval (LkTrainer            *self,
                                                double                seconds);
char             *lk_trainer_dup_thumbnail_dir (LkTrainer            *self);

void              lk_trainer_train_async       (LkTrainer            *self,
                                                LkTrainingPlan       *plan,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
LkTrainedModel   *lk_trainer_train_finish      (LkTrainer            *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void              lk_trainer_resume_async      (LkTrainer            *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
LkTrainedModel   *lk_trainer_resume_finish     (LkTrainer            *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void              lk_trainer_cancel            (LkTrainer            *self);

gint64            lk_trainer_estimate_sample   (LkTrainer            *self);
void              lk_trainer_make_sample_async (LkTrainer            *self,
                                                LkTrainedModel       *model,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
LkTrainedModel   *lk_trainer_make_sample_finish (LkTrainer           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Progress of the training under way, for the wizard and the CLI. */
gboolean          lk_trainer_get_busy          (LkTrainer            *self);
gint64            lk_trainer_get_model_id      (LkTrainer            *self);
LkTrainingStatus  lk_trainer_get_status        (LkTrainer            *self);
guint             lk_trainer_get_step          (LkTrainer            *self);
guint             lk_trainer_get_total_steps   (LkTrainer            *self);
double            lk_trainer_get_elapsed       (LkTrainer            *self);
double            lk_trainer_get_eta           (LkTrainer            *self);
gint64            lk_trainer_get_cost          (LkTrainer            *self);
const char       *lk_trainer_get_logs          (LkTrainer            *self);
const char       *lk_trainer_get_training_id   (LkTrainer            *self);
const char       *lk_trainer_get_notice        (LkTrainer            *self);
gboolean          lk_trainer_get_making_sample (LkTrainer            *self);
const GError     *lk_trainer_get_error         (LkTrainer            *self);

char             *lk_trainer_format_duration   (double                seconds);
gboolean          lk_trainer_parse_step        (const char           *logs,
                                                guint                 expected_total,
                                                guint                *step,
                                                guint                *total,
                                                double               *remaining);

G_END_DECLS
