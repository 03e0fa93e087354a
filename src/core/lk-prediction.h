/* lk-prediction.h: one Replicate prediction or training, as last seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TYPE_PREDICTION (lk_prediction_get_type ())

G_DECLARE_FINAL_TYPE (LkPrediction, lk_prediction, LK, PREDICTION, GObject)

LkPrediction        *lk_prediction_new_from_json     (LkPredictionKind   kind,
                                                      JsonObject        *object,
                                                      GError           **error);
gboolean             lk_prediction_update            (LkPrediction      *self,
                                                      JsonObject        *object,
                                                      GError           **error);
LkPredictionKind     lk_prediction_get_kind          (LkPrediction      *self);
const char          *lk_prediction_get_id            (LkPrediction      *self);
const char          *lk_prediction_get_model         (LkPrediction      *self);
const char          *lk_prediction_get_version       (LkPrediction      *self);
LkPredictionStatus   lk_prediction_get_status        (LkPrediction      *self);
gboolean             lk_prediction_is_terminal       (LkPrediction      *self);
double               lk_prediction_get_progress      (LkPrediction      *self);
const char          *lk_prediction_get_logs          (LkPrediction      *self);
const char          *lk_prediction_get_error         (LkPrediction      *self);
const char * const  *lk_prediction_get_outputs       (LkPrediction      *self);
JsonNode            *lk_prediction_get_output        (LkPrediction      *self);
JsonObject          *lk_prediction_get_input         (LkPrediction      *self);
double               lk_prediction_get_predict_time  (LkPrediction      *self);
GDateTime           *lk_prediction_get_created_at    (LkPrediction      *self);
GDateTime           *lk_prediction_get_started_at    (LkPrediction      *self);
GDateTime           *lk_prediction_get_completed_at  (LkPrediction      *self);
const char          *lk_prediction_get_web_url       (LkPrediction      *self);

gboolean             lk_prediction_status_is_terminal (LkPredictionStatus status);
double               lk_prediction_parse_progress     (const char        *logs);

G_END_DECLS
