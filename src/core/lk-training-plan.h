/* lk-training-plan.h: what a training will be made of: the photos and
 * their captions, what to teach, the trigger word, the trainer's settings,
 * the checks and the estimate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-model.h"
#include "lk-photo.h"
#include "lk-types.h"

G_BEGIN_DECLS

/* The data rules of the training: fewer usable photos than the minimum
 * stop it; the recommended range teaches best; past the useful maximum
 * more photos add little but time. */
#define LK_TRAINING_MIN_PHOTOS 8
#define LK_TRAINING_RECOMMENDED_MIN_PHOTOS 10
#define LK_TRAINING_RECOMMENDED_MAX_PHOTOS 30
#define LK_TRAINING_USEFUL_MAX_PHOTOS 50
/* The shorter side of a photo, in pixels: below the minimum the trainer
 * would upscale it, so it is left out; below the preferred size it is
 * used at lower resolutions only. */
#define LK_TRAINING_MIN_SIDE 512
#define LK_TRAINING_PREFERRED_SIDE 1024

#define LK_TRAINING_PLAN_ERROR (lk_training_plan_error_quark ())

/**
 * LkTrainingPlanError:
 * @LK_TRAINING_PLAN_ERROR_NO_NAME: the model has no name
 * @LK_TRAINING_PLAN_ERROR_PHOTOS: a check of the photos blocks the training
 */
typedef enum
{
  LK_TRAINING_PLAN_ERROR_NO_NAME,
  LK_TRAINING_PLAN_ERROR_PHOTOS,
} LkTrainingPlanError;

/**
 * LkTrainingCheckLevel:
 * @LK_TRAINING_CHECK_BLOCKER: the training cannot start until it is fixed
 * @LK_TRAINING_CHECK_WARNING: the training can start, but would be better
 *   with it fixed
 * @LK_TRAINING_CHECK_GOOD: nothing to fix
 */
typedef enum
{
  LK_TRAINING_CHECK_BLOCKER,
  LK_TRAINING_CHECK_WARNING,
  LK_TRAINING_CHECK_GOOD,
} LkTrainingCheckLevel;

/**
 * LkTrainingCheckKind:
 * @LK_TRAINING_CHECK_COUNT: how many photos will be used
 * @LK_TRAINING_CHECK_PENDING: photos not yet looked at
 * @LK_TRAINING_CHECK_BROKEN: files that are not images, or damaged
 * @LK_TRAINING_CHECK_TOO_SMALL: photos under %LK_TRAINING_MIN_SIDE, left out
 * @LK_TRAINING_CHECK_SMALL: photos under %LK_TRAINING_PREFERRED_SIDE
 * @LK_TRAINING_CHECK_DUPLICATES: photos almost the same as another
 */
typedef enum
{
  LK_TRAINING_CHECK_COUNT,
  LK_TRAINING_CHECK_PENDING,
  LK_TRAINING_CHECK_BROKEN,
  LK_TRAINING_CHECK_TOO_SMALL,
  LK_TRAINING_CHECK_SMALL,
  LK_TRAINING_CHECK_DUPLICATES,
} LkTrainingCheckKind;

/**
 * LkTrainingCheck:
 * @kind: what was checked
 * @level: how much it matters
 * @title: the finding, in a few words
 * @detail: what it means and what to do
 * @files: (array zero-terminated=1): the names of the files concerned
 *
 * One finding about the photos of a training.
 */
typedef struct
{
  LkTrainingCheckKind   kind;
  LkTrainingCheckLevel  level;
  char                 *title;
  char                 *detail;
  GStrv                 files;
} LkTrainingCheck;

void lk_training_check_free (LkTrainingCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTrainingCheck, lk_training_check_free)

/**
 * LkTrainingImage:
 * @path: the photo's file
 * @caption: (nullable): what the photo shows, for the trainer
 *
 * One photo that goes into the training's zip.
 */
typedef struct
{
  char *path;
  char *caption;
} LkTrainingImage;

void lk_training_image_free (LkTrainingImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTrainingImage, lk_training_image_free)

#define LK_TYPE_TRAINING_PLAN (lk_training_plan_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainingPlan, lk_training_plan, LK, TRAINING_PLAN, GObject)

GQuark           lk_training_plan_error_quark      (void);

LkTrainingPlan  *lk_training_plan_new              (LkModel          *trainer);
LkModel         *lk_training_plan_get_trainer      (LkTrainingPlan   *self);

GListModel      *lk_training_plan_get_photos       (LkTrainingPlan   *self);
void             lk_training_plan_set_photos       (LkTrainingPlan   *self,
                                                    GListModel       *photos,
                                                    GListModel       *skipped);
const char      *lk_training_plan_get_caption      (LkTrainingPlan   *self,
                                                    LkPhoto          *photo);
void             lk_training_plan_set_caption      (LkTrainingPlan   *self,
                                                    LkPhoto          *photo,
                                                    const char       *caption);
gboolean         lk_training_plan_is_photo_used    (LkTrainingPlan   *self,
                                                    LkPhoto          *photo);
GPtrArray       *lk_training_plan_check            (LkTrainingPlan   *self);
GPtrArray       *lk_training_plan_dup_images       (LkTrainingPlan   *self);

const char      *lk_training_plan_get_name         (LkTrainingPlan   *self);
void             lk_training_plan_set_name         (LkTrainingPlan   *self,
                                                    const char       *name);
const char      *lk_training_plan_get_description  (LkTrainingPlan   *self);
void             lk_training_plan_set_description  (LkTrainingPlan   *self,
                                                    const char       *description);
LkSubjectType    lk_training_plan_get_subject_type (LkTrainingPlan   *self);
void             lk_training_plan_set_subject_type (LkTrainingPlan   *self,
                                                    LkSubjectType     subject_type);
LkSubjectType    lk_training_plan_detect_subject   (LkTrainingPlan   *self);
const char      *lk_training_plan_get_trigger_word (LkTrainingPlan   *self);
void             lk_training_plan_set_trigger_word (LkTrainingPlan   *self,
                                                    const char       *trigger_word);

LkQualityPreset  lk_training_plan_get_preset       (LkTrainingPlan   *self);
void             lk_training_plan_set_preset       (LkTrainingPlan   *self,
                                                    LkQualityPreset   preset);
guint            lk_training_plan_get_steps        (LkTrainingPlan   *self);
void             lk_training_plan_set_steps        (LkTrainingPlan   *self,
                                                    guint             steps);
double           lk_training_plan_get_learning_rate (LkTrainingPlan  *self);
void             lk_training_plan_set_learning_rate (LkTrainingPlan  *self,
                                                    double            learning_rate);
guint            lk_training_plan_get_lora_rank    (LkTrainingPlan   *self);
void             lk_training_plan_set_lora_rank    (LkTrainingPlan   *self,
                                                    guint             lora_rank);
const char      *lk_training_plan_get_resolution   (LkTrainingPlan   *self);
void             lk_training_plan_set_resolution   (LkTrainingPlan   *self,
                                                    const char       *resolution);
gboolean         lk_training_plan_get_autocaption  (LkTrainingPlan   *self);
void             lk_training_plan_set_autocaption  (LkTrainingPlan   *self,
                                                    gboolean          autocaption);
gboolean         lk_training_plan_get_sample       (LkTrainingPlan   *self);
void             lk_training_plan_set_sample       (LkTrainingPlan   *self,
                                                    gboolean          sample);

double           lk_training_plan_estimate_seconds (LkTrainingPlan   *self);
gint64           lk_training_plan_estimate_cost    (LkTrainingPlan   *self);
gboolean         lk_training_plan_validate         (LkTrainingPlan   *self,
                                                    const char * const *taken,
                                                    GError          **error);
JsonObject      *lk_training_plan_build_input      (LkTrainingPlan   *self,
                                                    const char       *images_url,
                                                    GError          **error);

G_END_DECLS
