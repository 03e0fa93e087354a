/* lk-job-summary.c: one job as the History page lists it: a snapshot read
 * from the store, never changed after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-job-summary"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-job-summary.h"

struct _LkJobSummary
{
  GObject     parent_instance;

  gint64      id;
  LkJobKind   kind;
  LkJobState  state;
  gint64      created;
  char       *title;
  char       *folder;
  guint       n_items;
  guint       n_succeeded;
  guint       n_failed;
  gint64      estimate;
  gint64      spent;
};

G_DEFINE_FINAL_TYPE (LkJobSummary, lk_job_summary, G_TYPE_OBJECT)

static void
lk_job_summary_finalize (GObject *object)
{
  LkJobSummary *self = LK_JOB_SUMMARY (object);

  g_free (self->title);
  g_free (self->folder);

  G_OBJECT_CLASS (lk_job_summary_parent_class)->finalize (object);
}

static void
lk_job_summary_class_init (LkJobSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_job_summary_finalize;
}

static void
lk_job_summary_init (LkJobSummary *self)
{
}

/**
 * lk_job_summary_new:
 * @created: Unix time
 * @title: the styles or the prompt, in words
 * @folder: (nullable): the folder of the job's images
 */
LkJobSummary *
lk_job_summary_new (gint64      id,
                    LkJobKind   kind,
                    LkJobState  state,
                    gint64      created,
                    const char *title,
                    const char *folder)
{
  LkJobSummary *self;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (LK_TYPE_JOB_SUMMARY, NULL);
  self->id = id;
  self->kind = kind;
  self->state = state;
  self->created = created;
  self->title = g_strdup (title);
  self->folder = g_strdup (folder);

  return self;
}

void
lk_job_summary_set_counts (LkJobSummary *self,
                           guint         n_items,
                           guint         n_succeeded,
                           guint         n_failed)
{
  g_return_if_fail (LK_IS_JOB_SUMMARY (self));
  g_return_if_fail (n_succeeded + n_failed <= n_items);

  self->n_items = n_items;
  self->n_succeeded = n_succeeded;
  self->n_failed = n_failed;
}

/**
 * lk_job_summary_set_costs:
 * @estimate: what the job was expected to cost, in micro-dollars
 * @spent: what it actually cost so far, in micro-dollars
 */
void
lk_job_summary_set_costs (LkJobSummary *self,
                          gint64        estimate,
                          gint64        spent)
{
  g_return_if_fail (LK_IS_JOB_SUMMARY (self));

  self->estimate = estimate;
  self->spent = spent;
}

gint64
lk_job_summary_get_id (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->id;
}

LkJobKind
lk_job_summary_get_kind (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), LK_JOB_KIND_PORTRAIT);

  return self->kind;
}

LkJobState
lk_job_summary_get_state (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), LK_JOB_STATE_DRAFT);

  return self->state;
}

gint64
lk_job_summary_get_created (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->created;
}

const char *
lk_job_summary_get_title (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), NULL);

  return self->title;
}

const char *
lk_job_summary_get_folder (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), NULL);

  return self->folder;
}

guint
lk_job_summary_get_n_items (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->n_items;
}

guint
lk_job_summary_get_n_succeeded (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->n_succeeded;
}

guint
lk_job_summary_get_n_failed (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->n_failed;
}

gint64
lk_job_summary_get_estimate (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->estimate;
}

gint64
lk_job_summary_get_spent (LkJobSummary *self)
{
  g_return_val_if_fail (LK_IS_JOB_SUMMARY (self), 0);

  return self->spent;
}

/**
 * lk_job_kind_get_label:
 *
 * Returns: what a job of @kind is called, for people
 */
const char *
lk_job_kind_get_label (LkJobKind kind)
{
  switch (kind)
    {
    case LK_JOB_KIND_PORTRAIT:
      return _("Portraits");

    case LK_JOB_KIND_CREATE:
      return _("Images");

    case LK_JOB_KIND_TRAINING:
      return _("Training");

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * lk_job_state_get_label:
 *
 * Returns: where a job in @state stands, for people
 */
const char *
lk_job_state_get_label (LkJobState state)
{
  switch (state)
    {
    case LK_JOB_STATE_DRAFT:
      return _("Not started");

    case LK_JOB_STATE_RUNNING:
      return _("Running");

    case LK_JOB_STATE_PAUSED:
      return _("Paused");

    case LK_JOB_STATE_BUDGET_REACHED:
      return _("Stopped at the budget");

    case LK_JOB_STATE_FINISHED:
      return _("Finished");

    case LK_JOB_STATE_CANCELED:
      return _("Canceled");

    default:
      g_return_val_if_reached (NULL);
    }
}
