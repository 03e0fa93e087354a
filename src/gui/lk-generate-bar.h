/* lk-generate-bar.h: the bar under the Photos and Styles pages that says
 * what the next job would use, and opens its summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-photo-scorer.h"

G_BEGIN_DECLS

#define LK_TYPE_GENERATE_BAR (lk_generate_bar_get_type ())

G_DECLARE_FINAL_TYPE (LkGenerateBar, lk_generate_bar, LK, GENERATE_BAR, AdwBin)

void     lk_generate_bar_set_application (LkGenerateBar *self,
                                          LkApplication *application);
void     lk_generate_bar_set_scorer      (LkGenerateBar *self,
                                          LkPhotoScorer *scorer);
void     lk_generate_bar_set_styles      (LkGenerateBar *self,
                                          GListModel    *styles);
void     lk_generate_bar_set_trained_model (LkGenerateBar  *self,
                                            LkTrainedModel *model);
const char *lk_generate_bar_get_summary  (LkGenerateBar *self);
gboolean lk_generate_bar_get_job_active  (LkGenerateBar *self);
void     lk_generate_bar_set_job_active  (LkGenerateBar *self,
                                          gboolean       job_active);

G_END_DECLS
