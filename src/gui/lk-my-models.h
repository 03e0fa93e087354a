/* lk-my-models.h: "My Models" at the top of the Styles page: the reference
 * photos or one of the models the person trained, for the next job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-trained-model.h"

G_BEGIN_DECLS

#define LK_TYPE_MY_MODELS (lk_my_models_get_type ())

G_DECLARE_FINAL_TYPE (LkMyModels, lk_my_models, LK, MY_MODELS, GtkBox)

void            lk_my_models_set_application (LkMyModels    *self,
                                              LkApplication *application);
void            lk_my_models_reload          (LkMyModels    *self);
LkTrainedModel *lk_my_models_get_chosen      (LkMyModels    *self);

G_END_DECLS
