/* lk-generate-dialog.h: the summary before a portrait job: the references,
 * the styles, the quality, the models, the cost, the time and the budget;
 * nothing is spent before Start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"

G_BEGIN_DECLS

#define LK_TYPE_GENERATE_DIALOG (lk_generate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LkGenerateDialog, lk_generate_dialog, LK, GENERATE_DIALOG, AdwWindow)

LkGenerateDialog *lk_generate_dialog_new (LkApplication *application,
                                          GPtrArray     *photos,
                                          GPtrArray     *styles);
void              lk_generate_dialog_set_trained_model (LkGenerateDialog *self,
                                                        LkTrainedModel   *model);

G_END_DECLS
