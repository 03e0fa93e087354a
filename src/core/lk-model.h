/* lk-model.h: one model of the catalog: how to call it, what it costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TYPE_MODEL (lk_model_get_type ())

G_DECLARE_FINAL_TYPE (LkModel, lk_model, LK, MODEL, GObject)

LkModel     *lk_model_new_from_json       (JsonObject       *object,
                                           GHashTable       *hardware_rates,
                                           GError          **error);
const char  *lk_model_get_id              (LkModel          *self);
const char  *lk_model_get_reference       (LkModel          *self);
const char  *lk_model_get_name            (LkModel          *self);
LkModelRole  lk_model_get_role            (LkModel          *self);
LkBilling    lk_model_get_billing         (LkModel          *self);
const char  *lk_model_get_hardware        (LkModel          *self);
gint64       lk_model_get_price           (LkModel          *self);
double       lk_model_get_typical_seconds (LkModel          *self,
                                           LkQualityPreset   preset);
const char  *lk_model_get_input_name      (LkModel          *self,
                                           const char       *field);
gboolean     lk_model_get_input_range     (LkModel          *self,
                                           const char       *field,
                                           double           *min,
                                           double           *max);
const char * const *lk_model_get_input_values (LkModel      *self,
                                           const char       *field);
JsonNode    *lk_model_get_preset_value    (LkModel          *self,
                                           LkQualityPreset   preset,
                                           const char       *field);
JsonObject  *lk_model_build_input         (LkModel          *self,
                                           LkQualityPreset   preset,
                                           JsonObject       *values,
                                           GError          **error);
gint64       lk_model_estimate            (LkModel          *self,
                                           LkQualityPreset   preset,
                                           guint             n_outputs);
gint64       lk_model_actual_cost         (LkModel          *self,
                                           const char       *status,
                                           guint             n_outputs,
                                           double            predict_time);

G_END_DECLS
