/* lk-store-jobs.c: the store's record of jobs: their items, predictions,
 * saved outputs and uploaded references, and the History page's view of
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-enums.h"
#include "lk-store-private.h"

/* Jobs and items. */

typedef struct
{
  const LkJobSpec  *job;
  const LkItemSpec *items;
  guint             n_items;
  gint64           *item_ids;
  gint64            job_id;
} AddJob;

static gpointer
add_job_func (LkStoreDb  *db,
              gpointer    user_data,
              GError    **error)
{
  AddJob *data = user_data;
  const LkJobSpec *job = data->job;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "INSERT INTO jobs (kind, state, created, title, settings, folder, "
                              "                  estimate_micro_usd, budget_micro_usd) "
                              "VALUES (?1, ?2, ?3, ?4, coalesce (?5, '{}'), ?6, ?7, nullif (?8, 0))",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, lk_store_nick (LK_TYPE_JOB_KIND, job->kind));
  lk_store_db_bind_text (stmt, 2, lk_store_nick (LK_TYPE_JOB_STATE, job->state));
  sqlite3_bind_int64 (stmt, 3, job->created != 0 ? job->created : lk_store_time_or_now (NULL));
  lk_store_db_bind_text (stmt, 4, job->title);
  lk_store_db_bind_text (stmt, 5, job->settings);
  lk_store_db_bind_text (stmt, 6, job->folder);
  sqlite3_bind_int64 (stmt, 7, job->estimate);
  sqlite3_bind_int64 (stmt, 8, job->budget);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  data->job_id = lk_store_db_last_id (db);

  for (guint i = 0; i < data->n_items; i++)
    {
      const LkItemSpec *item = &data->items[i];

      stmt = lk_store_db_prepare (db,
                                  "INSERT INTO job_items (job_id, position, style, prompt, seed, model, "
                                  "                       reference_sha256) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                  error);
      if (stmt == NULL)
        return NULL;

      sqlite3_bind_int64 (stmt, 1, data->job_id);
      sqlite3_bind_int (stmt, 2, i);
      lk_store_db_bind_text (stmt, 3, item->style);
      lk_store_db_bind_text (stmt, 4, item->prompt);
      sqlite3_bind_int64 (stmt, 5, item->seed);
      lk_store_db_bind_text (stmt, 6, item->model);
      lk_store_db_bind_text (stmt, 7, item->reference_sha256);
      if (!lk_store_db_run (db, stmt, error))
        return NULL;

      if (data->item_ids != NULL)
        data->item_ids[i] = lk_store_db_last_id (db);
    }

  return LK_STORE_TRUE;
}

/**
 * lk_store_add_job:
 * @items: (array length=n_items): the job's items, in order
 * @item_ids: (out caller-allocates) (array length=n_items) (optional):
 *   receives the id of each item
 *
 * Writes a job and all its items in one transaction, before anything is
 * spent on it.
 *
 * Returns: the job's id, or 0 with @error set
 */
gint64
lk_store_add_job (LkStore           *self,
                  const LkJobSpec   *job,
                  const LkItemSpec  *items,
                  guint              n_items,
                  gint64            *item_ids,
                  GError           **error)
{
  AddJob data = { job, items, n_items, item_ids, 0 };

  g_return_val_if_fail (LK_IS_STORE (self), 0);
  g_return_val_if_fail (job != NULL && job->title != NULL, 0);
  g_return_val_if_fail (items != NULL || n_items == 0, 0);

  if (!lk_store_run_sync (self, add_job_func, &data, TRUE, error))
    return 0;

  return data.job_id;
}

typedef struct
{
  gint64      id;
  const char *state;
  const char *fallback_model;
  const char *last_error;
} SetState;

static gpointer
set_job_state_func (LkStoreDb  *db,
                    gpointer    user_data,
                    GError    **error)
{
  SetState *data = user_data;
  sqlite3_stmt *stmt = lk_store_db_prepare (db, "UPDATE jobs SET state = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->state);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This job is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

gboolean
lk_store_set_job_state (LkStore     *self,
                        gint64       job_id,
                        LkJobState   state,
                        GError     **error)
{
  SetState data = { job_id, lk_store_nick (LK_TYPE_JOB_STATE, state) };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, set_job_state_func, &data, TRUE, error) != NULL;
}

static gpointer
set_item_state_func (LkStoreDb  *db,
                     gpointer    user_data,
                     GError    **error)
{
  SetState *data = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "UPDATE job_items "
                              "SET state = ?2, fallback_model = coalesce (?3, fallback_model), last_error = ?4 "
                              "WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->state);
  lk_store_db_bind_text (stmt, 3, data->fallback_model);
  lk_store_db_bind_text (stmt, 4, data->last_error);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This item is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_set_item_state:
 * @fallback_model: (nullable): the model of the chain that took over, if
 *   the preferred one could not make the item; %NULL keeps the last one
 * @last_error: (nullable): why the item failed, in the user's words
 */
gboolean
lk_store_set_item_state (LkStore      *self,
                         gint64        item_id,
                         LkItemState   state,
                         const char   *fallback_model,
                         const char   *last_error,
                         GError      **error)
{
  SetState data = { item_id, lk_store_nick (LK_TYPE_ITEM_STATE, state), fallback_model, last_error };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, set_item_state_func, &data, TRUE, error) != NULL;
}

/* Predictions and outputs. */

typedef struct
{
  const LkPredictionSpec *prediction;
  gint64                  reservation;
} AddPrediction;

static gpointer
add_prediction_func (LkStoreDb  *db,
                     gpointer    user_data,
                     GError    **error)
{
  AddPrediction *data = user_data;
  const LkPredictionSpec *prediction = data->prediction;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "INSERT INTO predictions (id, kind, item_id, model, version, created, status, "
                              "                         input_hash) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, prediction->id);
  lk_store_db_bind_text (stmt, 2, prediction->training ? "training" : "prediction");
  sqlite3_bind_int64 (stmt, 3, prediction->item_id);
  lk_store_db_bind_text (stmt, 4, prediction->model);
  lk_store_db_bind_text (stmt, 5, prediction->version);
  sqlite3_bind_int64 (stmt, 6, prediction->created != 0 ? prediction->created : lk_store_time_or_now (NULL));
  lk_store_db_bind_text (stmt, 7, prediction->status);
  lk_store_db_bind_text (stmt, 8, prediction->input_hash);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  stmt = lk_store_db_prepare (db,
                              "UPDATE job_items SET attempts = attempts + 1, state = 'running' WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, prediction->item_id);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  if (data->reservation > 0)
    {
      stmt = lk_store_db_prepare (db, "UPDATE ledger SET prediction_id = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, data->reservation);
      lk_store_db_bind_text (stmt, 2, prediction->id);
      if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This budget reservation does not exist."), error))
        return NULL;
    }

  return LK_STORE_TRUE;
}

/**
 * lk_store_add_prediction:
 * @reservation: the reservation made for it by lk_store_reserve(), or 0
 *
 * Records a prediction or training the moment its id is known, counts an
 * attempt on its item and marks the item running.
 */
gboolean
lk_store_add_prediction (LkStore                 *self,
                         const LkPredictionSpec  *prediction,
                         gint64                   reservation,
                         GError                 **error)
{
  AddPrediction data = { prediction, reservation };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (prediction != NULL, FALSE);
  g_return_val_if_fail (prediction->id != NULL && prediction->model != NULL && prediction->status != NULL, FALSE);

  return lk_store_run_sync (self, add_prediction_func, &data, TRUE, error) != NULL;
}

typedef struct
{
  gint64      id;
  const char *prediction_id;
  guint       position;
  const char *url;
  const char *path;
  const char *sha256;
  gint64      bytes;
  gint64      time;
} Output;

static gpointer
add_output_func (LkStoreDb  *db,
                 gpointer    user_data,
                 GError    **error)
{
  Output *data = user_data;
  sqlite3_stmt *stmt;

  /* The same output reported again (a poll after a restart) keeps its
   * record and its saved file. */
  stmt = lk_store_db_prepare (db,
                              "INSERT INTO outputs (prediction_id, position, url) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (prediction_id, position) DO UPDATE SET url = excluded.url "
                              "RETURNING id",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, data->prediction_id);
  sqlite3_bind_int (stmt, 2, data->position);
  lk_store_db_bind_text (stmt, 3, data->url);
  if (lk_store_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;

  data->id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return LK_STORE_TRUE;
}

/**
 * lk_store_add_output:
 * @position: the output's index in the prediction's output
 * @url: where to download it, until it expires
 *
 * Records an output before it is downloaded, so that a restart knows it
 * still has to be fetched.
 *
 * Returns: the output's id, or 0 with @error set
 */
gint64
lk_store_add_output (LkStore     *self,
                     const char  *prediction_id,
                     guint        position,
                     const char  *url,
                     GError     **error)
{
  Output data = { 0, prediction_id, position, url };

  g_return_val_if_fail (LK_IS_STORE (self), 0);
  g_return_val_if_fail (prediction_id != NULL && url != NULL, 0);

  if (!lk_store_run_sync (self, add_output_func, &data, TRUE, error))
    return 0;

  return data.id;
}

static gpointer
set_output_saved_func (LkStoreDb  *db,
                       gpointer    user_data,
                       GError    **error)
{
  Output *data = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "UPDATE outputs SET path = ?2, sha256 = ?3, bytes = ?4, saved = ?5 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->path);
  lk_store_db_bind_text (stmt, 3, data->sha256);
  sqlite3_bind_int64 (stmt, 4, data->bytes);
  sqlite3_bind_int64 (stmt, 5, data->time);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This output is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_set_output_saved:
 * @path: the file the output was saved to
 * @sha256: the file's hash
 */
gboolean
lk_store_set_output_saved (LkStore     *self,
                           gint64       output_id,
                           const char  *path,
                           const char  *sha256,
                           gint64       bytes,
                           GError     **error)
{
  Output data = { output_id, NULL, 0, NULL, path, sha256, bytes, lk_store_time_or_now (NULL) };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL && sha256 != NULL, FALSE);

  return lk_store_run_sync (self, set_output_saved_func, &data, TRUE, error) != NULL;
}

/* Uploads. */

void
lk_upload_free (LkUpload *upload)
{
  g_free (upload->sha256);
  g_free (upload->file_id);
  g_free (upload->url);
  g_free (upload);
}

static gpointer
add_upload_func (LkStoreDb  *db,
                 gpointer    user_data,
                 GError    **error)
{
  const LkUpload *upload = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "INSERT OR REPLACE INTO uploads (sha256, file_id, url, expires_at, created) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, upload->sha256);
  lk_store_db_bind_text (stmt, 2, upload->file_id);
  lk_store_db_bind_text (stmt, 3, upload->url);
  sqlite3_bind_int64 (stmt, 4, upload->expires_at);
  sqlite3_bind_int64 (stmt, 5, lk_store_time_or_now (NULL));
  return lk_store_db_run (db, stmt, error) ? LK_STORE_TRUE : NULL;
}

/**
 * lk_store_add_upload:
 *
 * Remembers an uploaded file, replacing an earlier upload of the same
 * content.
 */
gboolean
lk_store_add_upload (LkStore         *self,
                     const LkUpload  *upload,
                     GError         **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (upload != NULL && upload->sha256 != NULL, FALSE);
  g_return_val_if_fail (upload->file_id != NULL && upload->url != NULL, FALSE);

  return lk_store_run_sync (self, add_upload_func, (gpointer) upload, TRUE, error) != NULL;
}

typedef struct
{
  const char *sha256;
  gint64      not_before;
} FindUpload;

static gpointer
find_upload_func (LkStoreDb  *db,
                  gpointer    user_data,
                  GError    **error)
{
  FindUpload *data = user_data;
  LkUpload *upload;
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db,
                              "SELECT sha256, file_id, url, expires_at FROM uploads "
                              "WHERE sha256 = ?1 AND expires_at > ?2",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, data->sha256);
  sqlite3_bind_int64 (stmt, 2, data->not_before);
  if ((code = lk_store_db_step (db, stmt, error)) != SQLITE_ROW)
    return NULL;

  upload = g_new0 (LkUpload, 1);
  upload->sha256 = lk_store_db_dup_column (stmt, 0);
  upload->file_id = lk_store_db_dup_column (stmt, 1);
  upload->url = lk_store_db_dup_column (stmt, 2);
  upload->expires_at = sqlite3_column_int64 (stmt, 3);
  sqlite3_reset (stmt);

  return upload;
}

/* A file must stay available for the whole prediction that uses it;
 * predictions time out after 30 minutes. */
#define UPLOAD_MARGIN_SECONDS (60 * 60)

/**
 * lk_store_find_upload:
 * @now: (nullable): the time to compare the expiry with; %NULL for now
 *
 * Finds an earlier upload of the same content that stays available for
 * at least another hour.
 *
 * Returns: (transfer full) (nullable): the upload, or %NULL when there is
 *   none (without an error) or on failure (with @error set)
 */
LkUpload *
lk_store_find_upload (LkStore     *self,
                      const char  *sha256,
                      GDateTime   *now,
                      GError     **error)
{
  FindUpload data = { sha256, lk_store_time_or_now (now) + UPLOAD_MARGIN_SECONDS };

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  return lk_store_run_sync (self, find_upload_func, &data, FALSE, error);
}

/* Job history. */

typedef struct
{
  gint64 after_created;
  gint64 after_id;
  guint  limit;
} ListJobs;

static gpointer
list_jobs_func (LkStoreDb  *db,
                gpointer    user_data,
                GError    **error)
{
  ListJobs *data = user_data;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int code;

  /* Newest first, continuing after the last job of the previous page. */
  stmt = lk_store_db_prepare (db,
                              "SELECT j.id, j.kind, j.state, j.created, j.title, j.folder, j.estimate_micro_usd, "
                              "  (SELECT count (*) FROM job_items WHERE job_id = j.id), "
                              "  (SELECT count (*) FROM job_items WHERE job_id = j.id AND state = 'succeeded'), "
                              "  (SELECT count (*) FROM job_items WHERE job_id = j.id AND state = 'failed'), "
                              "  (SELECT coalesce (sum (micro_usd), 0) FROM ledger "
                              "   WHERE job_id = j.id AND kind != 'estimate') "
                              "FROM jobs j WHERE (j.created, j.id) < (?1, ?2) "
                              "ORDER BY j.created DESC, j.id DESC LIMIT ?3",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->after_created);
  sqlite3_bind_int64 (stmt, 2, data->after_id);
  sqlite3_bind_int (stmt, 3, data->limit);

  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *state = (const char *) sqlite3_column_text (stmt, 2);
      LkJobSummary *job = lk_job_summary_new (sqlite3_column_int64 (stmt, 0),
                                              lk_store_from_nick (LK_TYPE_JOB_KIND, kind),
                                              lk_store_from_nick (LK_TYPE_JOB_STATE, state),
                                              sqlite3_column_int64 (stmt, 3),
                                              (const char *) sqlite3_column_text (stmt, 4),
                                              (const char *) sqlite3_column_text (stmt, 5));

      lk_job_summary_set_counts (job, sqlite3_column_int (stmt, 7), sqlite3_column_int (stmt, 8),
                                 sqlite3_column_int (stmt, 9));
      lk_job_summary_set_costs (job, sqlite3_column_int64 (stmt, 6), sqlite3_column_int64 (stmt, 10));
      g_ptr_array_add (jobs, job);
    }

  return code == SQLITE_DONE ? g_steal_pointer (&jobs) : NULL;
}

static ListJobs *
new_list_jobs (LkJobSummary *after,
               guint         limit)
{
  ListJobs *data = g_new0 (ListJobs, 1);

  data->after_created = after != NULL ? lk_job_summary_get_created (after) : G_MAXINT64;
  data->after_id = after != NULL ? lk_job_summary_get_id (after) : G_MAXINT64;
  data->limit = limit;
  return data;
}

/**
 * lk_store_list_jobs:
 * @after: (nullable): the last job of the previous page; %NULL for the
 *   first page
 * @limit: how many jobs at most
 *
 * Lists jobs newest first, with the counts of succeeded and failed items
 * and what each was estimated to cost and actually cost.
 *
 * Returns: (transfer container) (element-type LkJobSummary): the jobs, or
 *   %NULL with @error set
 */
GPtrArray *
lk_store_list_jobs (LkStore       *self,
                    LkJobSummary  *after,
                    guint          limit,
                    GError       **error)
{
  g_autofree ListJobs *data = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (after == NULL || LK_IS_JOB_SUMMARY (after), NULL);

  data = new_list_jobs (after, limit);
  return lk_store_run_sync (self, list_jobs_func, data, FALSE, error);
}

void
lk_store_list_jobs_async (LkStore             *self,
                          LkJobSummary        *after,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));
  g_return_if_fail (after == NULL || LK_IS_JOB_SUMMARY (after));

  lk_store_run_async (self, list_jobs_func, new_list_jobs (after, limit), g_free,
                      (GDestroyNotify) g_ptr_array_unref, FALSE,
                      lk_store_list_jobs_async, cancellable, callback, user_data);
}

/**
 * lk_store_list_jobs_finish:
 *
 * Returns: (transfer container) (element-type LkJobSummary): the jobs
 */
GPtrArray *
lk_store_list_jobs_finish (LkStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_list_jobs_async, error);
}

static gpointer
list_job_files_func (LkStoreDb  *db,
                     gpointer    user_data,
                     GError    **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db,
                              "SELECT o.path FROM outputs o "
                              "JOIN predictions p ON p.id = o.prediction_id "
                              "JOIN job_items i ON i.id = p.item_id "
                              "WHERE i.job_id = ?1 AND o.path IS NOT NULL "
                              "ORDER BY i.position, p.created, o.position",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (paths, lk_store_db_dup_column (stmt, 0));

  return code == SQLITE_DONE ? g_steal_pointer (&paths) : NULL;
}

/**
 * lk_store_list_job_files:
 *
 * Returns: (transfer container) (element-type filename): the saved
 *   images of a job, in the order of its items, or %NULL with @error set
 */
GPtrArray *
lk_store_list_job_files (LkStore  *self,
                         gint64    job_id,
                         GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_job_files_func, &job_id, FALSE, error);
}

void
lk_store_list_job_files_async (LkStore             *self,
                               gint64               job_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, list_job_files_func, g_memdup2 (&job_id, sizeof job_id), g_free,
                      (GDestroyNotify) g_ptr_array_unref, FALSE,
                      lk_store_list_job_files_async, cancellable, callback, user_data);
}

/**
 * lk_store_list_job_files_finish:
 *
 * Returns: (transfer container) (element-type filename): the paths
 */
GPtrArray *
lk_store_list_job_files_finish (LkStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_list_job_files_async, error);
}

static gpointer
delete_job_func (LkStoreDb  *db,
                 gpointer    user_data,
                 GError    **error)
{
  gint64 job_id = *(gint64 *) user_data;
  sqlite3_stmt *stmt;

  /* An estimate still open for the job would count against the caps
   * forever once nothing can settle it. */
  stmt = lk_store_db_prepare (db,
                              "UPDATE ledger SET settled = 1 WHERE job_id = ?1 AND kind = 'estimate'",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  /* Items, predictions and outputs go with the job; its ledger rows stay,
   * without the job. */
  stmt = lk_store_db_prepare (db, "DELETE FROM jobs WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This job is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_delete_job:
 *
 * Removes a job with its items, predictions and output records. Its
 * files are not touched (the app moves them to the trash first), and
 * what it cost stays in the ledger.
 */
gboolean
lk_store_delete_job (LkStore  *self,
                     gint64    job_id,
                     GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, delete_job_func, &job_id, TRUE, error) != NULL;
}

void
lk_store_delete_job_async (LkStore             *self,
                           gint64               job_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, delete_job_func, g_memdup2 (&job_id, sizeof job_id), g_free, NULL, TRUE,
                      lk_store_delete_job_async, cancellable, callback, user_data);
}

gboolean
lk_store_delete_job_finish (LkStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_delete_job_async, error) != NULL;
}

