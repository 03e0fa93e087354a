/* lk-application.h: the Likeness application object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-budget.h"
#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-secret.h"
#include "lk-store.h"
#include "lk-style-library.h"
#include "lk-trainer.h"

G_BEGIN_DECLS

#define LK_TYPE_APPLICATION (lk_application_get_type ())

G_DECLARE_FINAL_TYPE (LkApplication, lk_application, LK, APPLICATION, AdwApplication)

LkApplication  *lk_application_new             (void);
LkSecret       *lk_application_get_secret      (LkApplication *self);
LkClient       *lk_application_get_client      (LkApplication *self);
LkStyleLibrary *lk_application_get_styles      (LkApplication *self);
LkCatalog      *lk_application_get_catalog     (LkApplication *self);
LkBudget       *lk_application_get_budget      (LkApplication *self);
LkStore        *lk_application_get_store       (LkApplication *self);
const GError   *lk_application_get_store_error (LkApplication *self);
LkTrainer      *lk_application_get_trainer     (LkApplication *self);

G_END_DECLS
