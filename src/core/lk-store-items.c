/* lk-store-items.c: the store's record of a job read back in full, so
 * that a job cut short by a crash or a restart can be resumed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-enums.h"
#include "lk-store-private.h"

void
lk_job_record_free (LkJobRecord *job)
{
  g_free (job->title);
  g_free (job->settings);
  g_free (job->folder);
  g_free (job);
}

void
lk_item_record_free (LkItemRecord *item)
{
  g_free (item->style);
  g_free (item->prompt);
  g_free (item->model);
  g_free (item->reference_sha256);
  g_free (item->fallback_model);
  g_free (item->last_error);
  g_free (item->prediction_id);
  g_free (item->prediction_model);
  g_free (item->prediction_status);
  g_free (item->output_url);
  g_free (item->output_path);
  g_free (item);
}

typedef struct
{
  LkJobKind kind;
  GArray   *ids;
} ListUnfinished;

static gpointer
list_unfinished_func (LkStoreDb  *db,
                      gpointer    user_data,
                      GError    **error)
{
  ListUnfinished *data = user_data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db,
                              "SELECT id FROM jobs "
                              "WHERE kind = ?1 AND state NOT IN ('finished', 'canceled') "
                              "ORDER BY created, id",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, lk_store_nick (LK_TYPE_JOB_KIND, data->kind));
  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return code == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

/**
 * lk_store_list_unfinished_jobs:
 *
 * Lists the jobs of @kind that did not end: drafts, running, paused, or
 * stopped at a budget cap. Oldest first.
 *
 * Returns: (transfer full) (element-type gint64): their ids, or %NULL
 *   with @error set
 */
GArray *
lk_store_list_unfinished_jobs (LkStore    *self,
                               LkJobKind   kind,
                               GError    **error)
{
  ListUnfinished data = { kind, NULL };

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_unfinished_func, &data, FALSE, error);
}

static gpointer
get_job_func (LkStoreDb  *db,
              gpointer    user_data,
              GError    **error)
{
  LkJobRecord *job;
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db,
                              "SELECT id, kind, state, created, title, settings, folder, estimate_micro_usd, "
                              "       coalesce (budget_micro_usd, 0) "
                              "FROM jobs WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  if ((code = lk_store_db_step (db, stmt, error)) < 0)
    return NULL;
  if (code != SQLITE_ROW)
    {
      g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                           _("This job is not in the history any more."));
      return NULL;
    }

  job = g_new0 (LkJobRecord, 1);
  job->id = sqlite3_column_int64 (stmt, 0);
  job->kind = lk_store_from_nick (LK_TYPE_JOB_KIND, (const char *) sqlite3_column_text (stmt, 1));
  job->state = lk_store_from_nick (LK_TYPE_JOB_STATE, (const char *) sqlite3_column_text (stmt, 2));
  job->created = sqlite3_column_int64 (stmt, 3);
  job->title = lk_store_db_dup_column (stmt, 4);
  job->settings = lk_store_db_dup_column (stmt, 5);
  job->folder = lk_store_db_dup_column (stmt, 6);
  job->estimate = sqlite3_column_int64 (stmt, 7);
  job->budget = sqlite3_column_int64 (stmt, 8);
  sqlite3_reset (stmt);

  return job;
}

/**
 * lk_store_get_job:
 *
 * Returns: (transfer full): the job as it was written, or %NULL with
 *   @error set (%LK_STORE_ERROR_NOT_FOUND when there is none)
 */
LkJobRecord *
lk_store_get_job (LkStore  *self,
                  gint64    job_id,
                  GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, get_job_func, &job_id, FALSE, error);
}

static gpointer
list_items_func (LkStoreDb  *db,
                 gpointer    user_data,
                 GError    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_item_record_free);
  sqlite3_stmt *stmt;
  int code;

  /* Each item with its latest prediction (the one created last) and that
   * prediction's first output. */
  stmt = lk_store_db_prepare (db,
                              "SELECT i.id, i.position, i.style, i.prompt, i.seed, i.model, i.state, i.attempts, "
                              "       i.reference_sha256, i.fallback_model, i.last_error, "
                              "       p.id, p.model, p.status, p.completed IS NOT NULL, "
                              "       o.id, o.url, o.path "
                              "FROM job_items i "
                              "LEFT JOIN predictions p ON p.rowid = (SELECT rowid FROM predictions "
                              "                                      WHERE item_id = i.id "
                              "                                      ORDER BY rowid DESC LIMIT 1) "
                              "LEFT JOIN outputs o ON o.prediction_id = p.id AND o.position = 0 "
                              "WHERE i.job_id = ?1 ORDER BY i.position",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      LkItemRecord *item = g_new0 (LkItemRecord, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->position = sqlite3_column_int (stmt, 1);
      item->style = lk_store_db_dup_column (stmt, 2);
      item->prompt = lk_store_db_dup_column (stmt, 3);
      item->seed = sqlite3_column_int64 (stmt, 4);
      item->model = lk_store_db_dup_column (stmt, 5);
      item->state = lk_store_from_nick (LK_TYPE_ITEM_STATE, (const char *) sqlite3_column_text (stmt, 6));
      item->attempts = sqlite3_column_int (stmt, 7);
      item->reference_sha256 = lk_store_db_dup_column (stmt, 8);
      item->fallback_model = lk_store_db_dup_column (stmt, 9);
      item->last_error = lk_store_db_dup_column (stmt, 10);
      item->prediction_id = lk_store_db_dup_column (stmt, 11);
      item->prediction_model = lk_store_db_dup_column (stmt, 12);
      item->prediction_status = lk_store_db_dup_column (stmt, 13);
      item->prediction_completed = sqlite3_column_int (stmt, 14);
      item->output_id = sqlite3_column_int64 (stmt, 15);
      item->output_url = lk_store_db_dup_column (stmt, 16);
      item->output_path = lk_store_db_dup_column (stmt, 17);
      g_ptr_array_add (items, item);
    }

  return code == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

/**
 * lk_store_list_items:
 *
 * Returns: (transfer container) (element-type LkItemRecord): the job's
 *   items in order, each with its latest prediction and that prediction's
 *   first output, or %NULL with @error set
 */
GPtrArray *
lk_store_list_items (LkStore  *self,
                     gint64    job_id,
                     GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_items_func, &job_id, FALSE, error);
}

static gpointer
release_open_func (LkStoreDb  *db,
                   gpointer    user_data,
                   GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "UPDATE ledger SET settled = 1 "
                              "WHERE job_id = ?1 AND kind = 'estimate' AND settled = 0 AND prediction_id IS NULL",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  return lk_store_db_run (db, stmt, error) ? LK_STORE_TRUE : NULL;
}

/**
 * lk_store_release_open_reservations:
 *
 * Settles the reservations of a job that no prediction was recorded for:
 * those of creates cut short by a crash. A prediction such a create made
 * after all is recorded again with lk_store_add_prediction() and gets its
 * actual cost when it ends.
 */
gboolean
lk_store_release_open_reservations (LkStore  *self,
                                    gint64    job_id,
                                    GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, release_open_func, &job_id, TRUE, error) != NULL;
}

typedef struct
{
  gint64 job_id;
  gint64 budget;
} SetBudget;

static gpointer
set_job_budget_func (LkStoreDb  *db,
                     gpointer    user_data,
                     GError    **error)
{
  SetBudget *data = user_data;
  sqlite3_stmt *stmt = lk_store_db_prepare (db, "UPDATE jobs SET budget_micro_usd = nullif (?2, 0) WHERE id = ?1",
                                            error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->job_id);
  sqlite3_bind_int64 (stmt, 2, data->budget);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This job is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_set_job_budget:
 * @budget: micro-dollars, 0 for none
 *
 * Changes a job's own cap, as when the person raises it to go on after
 * the job stopped at it.
 */
gboolean
lk_store_set_job_budget (LkStore  *self,
                         gint64    job_id,
                         gint64    budget,
                         GError  **error)
{
  SetBudget data = { job_id, budget };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (budget >= 0, FALSE);

  return lk_store_run_sync (self, set_job_budget_func, &data, TRUE, error) != NULL;
}

static gpointer
get_job_spent_func (LkStoreDb  *db,
                    gpointer    user_data,
                    GError    **error)
{
  gint64 *data = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "SELECT coalesce (sum (micro_usd), 0) FROM ledger "
                              "WHERE job_id = ?1 AND kind != 'estimate'",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data[0]);
  if (lk_store_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;

  data[1] = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return LK_STORE_TRUE;
}

/**
 * lk_store_get_job_spent:
 * @spent: (out): micro-dollars
 *
 * What a job actually cost so far: actual costs and refunds, without the
 * estimates of predictions still running.
 */
gboolean
lk_store_get_job_spent (LkStore  *self,
                        gint64    job_id,
                        gint64   *spent,
                        GError  **error)
{
  gint64 data[2] = { job_id, 0 };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (spent != NULL, FALSE);

  if (!lk_store_run_sync (self, get_job_spent_func, data, FALSE, error))
    return FALSE;

  *spent = data[1];
  return TRUE;
}
