/* lk-trained-model.h: one model the person trained, as the store
 * remembers it, and how to run it for portraits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lk-model.h"
#include "lk-types.h"

G_BEGIN_DECLS

/* Where the subject goes in a style's prompt template. */
#define LK_TRAINED_MODEL_SUBJECT "{subject}"

#define LK_TYPE_TRAINED_MODEL (lk_trained_model_get_type ())

G_DECLARE_FINAL_TYPE (LkTrainedModel, lk_trained_model, LK, TRAINED_MODEL, GObject)

gint64            lk_trained_model_get_id            (LkTrainedModel   *self);
const char       *lk_trained_model_get_name          (LkTrainedModel   *self);
const char       *lk_trained_model_get_description   (LkTrainedModel   *self);
LkSubjectType     lk_trained_model_get_subject_type  (LkTrainedModel   *self);
const char       *lk_trained_model_get_trigger_word  (LkTrainedModel   *self);
const char       *lk_trained_model_get_destination   (LkTrainedModel   *self);
const char       *lk_trained_model_get_version       (LkTrainedModel   *self);
const char       *lk_trained_model_get_weights_url   (LkTrainedModel   *self);
LkTrainingStatus  lk_trained_model_get_status        (LkTrainedModel   *self);
gboolean          lk_trained_model_is_under_way      (LkTrainedModel   *self);
const char       *lk_trained_model_get_training_id   (LkTrainedModel   *self);
JsonObject       *lk_trained_model_get_input         (LkTrainedModel   *self);
gint64            lk_trained_model_get_created       (LkTrainedModel   *self);
gint64            lk_trained_model_get_last_used     (LkTrainedModel   *self);
const char       *lk_trained_model_get_thumbnail     (LkTrainedModel   *self);
gint64            lk_trained_model_get_job_id        (LkTrainedModel   *self);
gint64            lk_trained_model_get_cost          (LkTrainedModel   *self);
double            lk_trained_model_get_predict_time  (LkTrainedModel   *self);
const char       *lk_trained_model_get_error         (LkTrainedModel   *self);

char             *lk_trained_model_dup_reference     (LkTrainedModel   *self);
char             *lk_trained_model_dup_subject       (LkTrainedModel   *self);
char             *lk_trained_model_render_prompt     (LkTrainedModel   *self,
                                                      const char       *prompt);
JsonObject       *lk_trained_model_build_input       (LkTrainedModel   *self,
                                                      LkModel          *runner,
                                                      LkQualityPreset   preset,
                                                      const char       *prompt,
                                                      JsonObject       *values,
                                                      GError          **error);

gboolean          lk_training_status_is_under_way    (LkTrainingStatus  status);
const char       *lk_training_status_describe        (LkTrainingStatus  status);

G_END_DECLS
