/* lk-progress-page.h: the Progress page: a card per portrait of the job,
 * the job's progress, time and spending, and what can be done about it;
 * and the training under way, as the Train page shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-batch.h"

G_BEGIN_DECLS

#define LK_TYPE_PROGRESS_PAGE (lk_progress_page_get_type ())

G_DECLARE_FINAL_TYPE (LkProgressPage, lk_progress_page, LK, PROGRESS_PAGE, AdwBin)

GtkWidget *lk_progress_page_new             (void);
void       lk_progress_page_set_application (LkProgressPage *self,
                                             LkApplication  *application);
LkBatch   *lk_progress_page_get_batch       (LkProgressPage *self);
gboolean   lk_progress_page_get_job_active  (LkProgressPage *self);
void       lk_progress_page_start           (LkProgressPage *self,
                                             LkBatch        *batch);
void       lk_progress_page_retry           (LkProgressPage *self,
                                             LkBatch        *batch);

G_END_DECLS
