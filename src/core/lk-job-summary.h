/* lk-job-summary.h: one job as the History page lists it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TYPE_JOB_SUMMARY (lk_job_summary_get_type ())

G_DECLARE_FINAL_TYPE (LkJobSummary, lk_job_summary, LK, JOB_SUMMARY, GObject)

LkJobSummary *lk_job_summary_new             (gint64        id,
                                              LkJobKind     kind,
                                              LkJobState    state,
                                              gint64        created,
                                              const char   *title,
                                              const char   *folder);
void          lk_job_summary_set_counts      (LkJobSummary *self,
                                              guint         n_items,
                                              guint         n_succeeded,
                                              guint         n_failed);
void          lk_job_summary_set_costs       (LkJobSummary *self,
                                              gint64        estimate,
                                              gint64        spent);
gint64        lk_job_summary_get_id          (LkJobSummary *self);
LkJobKind     lk_job_summary_get_kind        (LkJobSummary *self);
LkJobState    lk_job_summary_get_state       (LkJobSummary *self);
gint64        lk_job_summary_get_created     (LkJobSummary *self);
const char   *lk_job_summary_get_title       (LkJobSummary *self);
const char   *lk_job_summary_get_folder      (LkJobSummary *self);
guint         lk_job_summary_get_n_items     (LkJobSummary *self);
guint         lk_job_summary_get_n_succeeded (LkJobSummary *self);
guint         lk_job_summary_get_n_failed    (LkJobSummary *self);
gint64        lk_job_summary_get_estimate    (LkJobSummary *self);
gint64        lk_job_summary_get_spent       (LkJobSummary *self);

const char   *lk_job_kind_get_label          (LkJobKind     kind);
const char   *lk_job_state_get_label         (LkJobState    state);

G_END_DECLS
