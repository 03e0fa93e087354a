/* lk-store-ledger.c: the store's money: budget reservations before each
 * create, actual costs after, spending against the caps, usage and the
 * ledger's CSV export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-money.h"
#include "lk-store-private.h"

/* Local calendar day and month around @now, as Unix time ranges. */
typedef struct
{
  gint64 day_start;
  gint64 day_end;
  gint64 month_start;
  gint64 month_end;
} Windows;

static void
get_windows (GDateTime *now,
             Windows   *windows)
{
  g_autoptr(GDateTime) local = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (local),
                                                    g_date_time_get_month (local),
                                                    g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) next_day = g_date_time_add_days (day, 1);
  g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (local),
                                                      g_date_time_get_month (local), 1, 0, 0, 0);
  g_autoptr(GDateTime) next_month = g_date_time_add_months (month, 1);

  windows->day_start = g_date_time_to_unix (day);
  windows->day_end = g_date_time_to_unix (next_day);
  windows->month_start = g_date_time_to_unix (month);
  windows->month_end = g_date_time_to_unix (next_month);
}

/* Money. */

/* Runs a query for one sum with one or two integer parameters. */
static gboolean
get_sum (LkStoreDb  *db,
         const char *sql,
         gint64      a,
         gint64      b,
         gint64     *sum,
         GError    **error)
{
  sqlite3_stmt *stmt = lk_store_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  if (lk_store_db_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;

  *sum = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Committed money: actual costs, refunds, and the estimates of
 * predictions still running. */
#define COMMITTED "coalesce (sum (micro_usd), 0) FROM ledger WHERE (kind != 'estimate' OR settled = 0)"

static gboolean
read_spending (LkStoreDb      *db,
               gint64          job_id,
               const Windows  *windows,
               LkSpending     *spending,
               GError        **error)
{
  spending->job = 0;

  return (job_id == 0 ||
          get_sum (db, "SELECT " COMMITTED " AND job_id = ?1", job_id, 0, &spending->job, error)) &&
         get_sum (db, "SELECT " COMMITTED " AND time >= ?1 AND time < ?2",
                  windows->day_start, windows->day_end, &spending->day, error) &&
         get_sum (db, "SELECT " COMMITTED " AND time >= ?1 AND time < ?2",
                  windows->month_start, windows->month_end, &spending->month, error);
}

typedef struct
{
  LkBudgetCaps     caps;
  gint64           job_id;
  const char      *model;
  gint64           estimate;
  gint64           time;
  Windows          windows;
  LkBudgetVerdict *verdict;
  gint64           reservation;
} Reserve;

static gpointer
reserve_func (LkStoreDb  *db,
              gpointer    user_data,
              GError    **error)
{
  Reserve *data = user_data;
  LkSpending spending;
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db, "SELECT coalesce (budget_micro_usd, 0) FROM jobs WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->job_id);
  if ((code = lk_store_db_step (db, stmt, error)) < 0)
    return NULL;
  if (code != SQLITE_ROW)
    {
      g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                           _("This job is not in the history any more."));
      return NULL;
    }
  data->caps.job = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!read_spending (db, data->job_id, &data->windows, &spending, error))
    return NULL;

  if (!lk_budget_caps_check (&data->caps, &spending, data->estimate, data->verdict))
    {
      stmt = lk_store_db_prepare (db, "UPDATE jobs SET state = 'budget-reached' WHERE id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, data->job_id);
      return lk_store_db_run (db, stmt, error) ? LK_STORE_TRUE : NULL;
    }

  stmt = lk_store_db_prepare (db,
                              "INSERT INTO ledger (time, job_id, kind, micro_usd, model) "
                              "VALUES (?1, ?2, 'estimate', ?3, ?4)",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->time);
  sqlite3_bind_int64 (stmt, 2, data->job_id);
  sqlite3_bind_int64 (stmt, 3, data->estimate);
  lk_store_db_bind_text (stmt, 4, data->model);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  data->reservation = lk_store_db_last_id (db);
  return LK_STORE_TRUE;
}

/**
 * lk_store_reserve:
 * @budget: the daily and monthly caps
 * @model: the model id about to run
 * @estimate: what the prediction is expected to cost, micro-dollars
 * @now: (nullable): the time to book it at; %NULL for now
 * @verdict: (out): which cap stopped it, when one did
 *
 * The check before every create: in one transaction, compares what the
 * job, today and this month have committed plus @estimate with every cap.
 * When a cap would be overshot, nothing is booked, the job's state
 * becomes %LK_JOB_STATE_BUDGET_REACHED and @verdict says which cap and by
 * how much. Otherwise the estimate is booked in the ledger until
 * lk_store_finish_prediction() or lk_store_release() settles it, so that
 * predictions running side by side cannot together overshoot a cap.
 *
 * Returns: the reservation's id (above 0), 0 when a cap stopped it, or
 *   -1 with @error set
 */
gint64
lk_store_reserve (LkStore          *self,
                  LkBudget         *budget,
                  gint64            job_id,
                  const char       *model,
                  gint64            estimate,
                  GDateTime        *now,
                  LkBudgetVerdict  *verdict,
                  GError          **error)
{
  Reserve data = { { 0 }, job_id, model, estimate, lk_store_time_or_now (now), { 0 }, verdict, 0 };

  g_return_val_if_fail (LK_IS_STORE (self), -1);
  g_return_val_if_fail (LK_IS_BUDGET (budget), -1);
  g_return_val_if_fail (model != NULL, -1);
  g_return_val_if_fail (estimate >= 0, -1);
  g_return_val_if_fail (verdict != NULL, -1);

  lk_budget_get_caps (budget, 0, &data.caps);
  get_windows (now, &data.windows);

  if (!lk_store_run_sync (self, reserve_func, &data, TRUE, error))
    return -1;

  return data.reservation;
}

static gpointer
release_func (LkStoreDb  *db,
              gpointer    user_data,
              GError    **error)
{
  sqlite3_stmt *stmt = lk_store_db_prepare (db,
                                            "UPDATE ledger SET settled = 1 WHERE id = ?1 AND kind = 'estimate'",
                                            error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This budget reservation does not exist."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_release:
 *
 * Settles a reservation whose prediction was never created, so its
 * estimate no longer counts against the caps.
 */
gboolean
lk_store_release (LkStore  *self,
                  gint64    reservation,
                  GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (reservation > 0, FALSE);

  return lk_store_run_sync (self, release_func, &reservation, TRUE, error) != NULL;
}

typedef struct
{
  const char *id;
  const char *status;
  double      predict_time;
  const char *error_message;
  gint64      cost;
  gint64      time;
} FinishPrediction;

static gpointer
finish_prediction_func (LkStoreDb  *db,
                        gpointer    user_data,
                        GError    **error)
{
  FinishPrediction *data = user_data;
  sqlite3_stmt *stmt;

  /* Only the first report of the end counts: a prediction re-attached
   * after a restart must not be charged twice. */
  stmt = lk_store_db_prepare (db,
                              "UPDATE predictions "
                              "SET status = ?2, predict_time = ?3, error = ?4, cost_micro_usd = ?5, completed = ?6 "
                              "WHERE id = ?1 AND completed IS NULL",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->status);
  sqlite3_bind_double (stmt, 3, data->predict_time);
  lk_store_db_bind_text (stmt, 4, data->error_message);
  sqlite3_bind_int64 (stmt, 5, data->cost);
  sqlite3_bind_int64 (stmt, 6, data->time);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;
  if (lk_store_db_changes (db) == 0)
    return LK_STORE_TRUE;

  stmt = lk_store_db_prepare (db,
                              "INSERT INTO ledger (time, job_id, prediction_id, kind, micro_usd, model) "
                              "SELECT ?2, i.job_id, p.id, 'actual', ?3, p.model "
                              "FROM predictions p JOIN job_items i ON i.id = p.item_id WHERE p.id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  lk_store_db_bind_text (stmt, 1, data->id);
  sqlite3_bind_int64 (stmt, 2, data->time);
  sqlite3_bind_int64 (stmt, 3, data->cost);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  stmt = lk_store_db_prepare (db,
                              "UPDATE ledger SET settled = 1 WHERE prediction_id = ?1 AND kind = 'estimate'",
                              error);
  if (stmt == NULL)
    return NULL;
  lk_store_db_bind_text (stmt, 1, data->id);
  return lk_store_db_run (db, stmt, error) ? LK_STORE_TRUE : NULL;
}

/**
 * lk_store_finish_prediction:
 * @status: the terminal status: "succeeded", "failed", "canceled" or
 *   "aborted"
 * @predict_time: `metrics.predict_time`, seconds
 * @error_message: (nullable): the model's error
 * @cost: the actual cost, from lk_model_actual_cost()
 * @now: (nullable): when it ended; %NULL for now
 *
 * Records the end of a prediction: its status and cost, the actual cost
 * in the ledger, and its reservation settled. Finishing a prediction that
 * already ended changes nothing.
 */
gboolean
lk_store_finish_prediction (LkStore     *self,
                            const char  *id,
                            const char  *status,
                            double       predict_time,
                            const char  *error_message,
                            gint64       cost,
                            GDateTime   *now,
                            GError     **error)
{
  FinishPrediction data = { id, status, predict_time, error_message, cost, lk_store_time_or_now (now) };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && status != NULL, FALSE);
  g_return_val_if_fail (cost >= 0, FALSE);

  return lk_store_run_sync (self, finish_prediction_func, &data, TRUE, error) != NULL;
}

/* Usage and spending. */

void
lk_usage_free (LkUsage *usage)
{
  g_clear_pointer (&usage->models, g_ptr_array_unref);
  g_free (usage);
}

static void
model_usage_free (LkModelUsage *usage)
{
  g_free (usage->model);
  g_free (usage);
}

/* Spent money: what was charged and refunded, not what was estimated.
 * Written as "not an estimate" so that SQLite ranges over the time index
 * rather than over every row of a kind. */
#define SPENT "coalesce (sum (micro_usd), 0) FROM ledger WHERE kind != 'estimate'"

static gpointer
get_usage_func (LkStoreDb  *db,
                gpointer    user_data,
                GError    **error)
{
  Windows *windows = user_data;
  g_autoptr(LkUsage) usage = g_new0 (LkUsage, 1);
  sqlite3_stmt *stmt;
  int code;

  usage->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_usage_free);

  /* One read transaction, so the totals agree with each other. */
  if (!lk_store_db_exec (db, "BEGIN", error))
    return NULL;

  if (!get_sum (db, "SELECT " SPENT " AND time >= ?1 AND time < ?2",
                windows->day_start, windows->day_end, &usage->today, error) ||
      !get_sum (db, "SELECT " SPENT " AND time >= ?1 AND time < ?2",
                windows->month_start, windows->month_end, &usage->month, error) ||
      !lk_store_db_get_int (db, "SELECT coalesce (sum (micro_usd), 0) FROM ledger_models",
                            &usage->all_time, error) ||
      !(stmt = lk_store_db_prepare (db,
                                    "SELECT model, micro_usd, runs FROM ledger_models ORDER BY micro_usd DESC, model",
                                    error)))
    goto fail;

  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      LkModelUsage *model = g_new0 (LkModelUsage, 1);

      model->model = lk_store_db_dup_column (stmt, 0);
      model->spent = sqlite3_column_int64 (stmt, 1);
      model->runs = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (usage->models, model);
    }
  if (code != SQLITE_DONE)
    goto fail;

  lk_store_db_rollback (db);
  return g_steal_pointer (&usage);

fail:
  lk_store_db_rollback (db);
  return NULL;
}

static Windows *
new_windows (GDateTime *now)
{
  Windows *windows = g_new0 (Windows, 1);

  get_windows (now, windows);
  return windows;
}

/**
 * lk_store_get_usage:
 * @now: (nullable): the moment that decides today and this month; %NULL
 *   for now
 *
 * Returns: (transfer full): what was spent today, this month, ever and
 *   per model, or %NULL with @error set
 */
LkUsage *
lk_store_get_usage (LkStore    *self,
                    GDateTime  *now,
                    GError    **error)
{
  g_autofree Windows *windows = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  windows = new_windows (now);
  return lk_store_run_sync (self, get_usage_func, windows, FALSE, error);
}

void
lk_store_get_usage_async (LkStore             *self,
                          GDateTime           *now,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, get_usage_func, new_windows (now), g_free, (GDestroyNotify) lk_usage_free, FALSE,
                      lk_store_get_usage_async, cancellable, callback, user_data);
}

LkUsage *
lk_store_get_usage_finish (LkStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_get_usage_async, error);
}

typedef struct
{
  gint64  job_id;
  Windows windows;
} GetSpending;

static gpointer
get_spending_func (LkStoreDb  *db,
                   gpointer    user_data,
                   GError    **error)
{
  GetSpending *data = user_data;
  g_autofree LkSpending *spending = g_new0 (LkSpending, 1);

  if (!lk_store_db_exec (db, "BEGIN", error))
    return NULL;

  if (!read_spending (db, data->job_id, &data->windows, spending, error))
    {
      lk_store_db_rollback (db);
      return NULL;
    }

  lk_store_db_rollback (db);
  return g_steal_pointer (&spending);
}

static GetSpending *
new_get_spending (gint64     job_id,
                  GDateTime *now)
{
  GetSpending *data = g_new0 (GetSpending, 1);

  data->job_id = job_id;
  get_windows (now, &data->windows);
  return data;
}

/**
 * lk_store_get_spending:
 * @job_id: a job whose committed money to include, or 0
 * @now: (nullable): the moment that decides today and this month
 * @spending: (out): what is committed, as the budget caps count it
 */
gboolean
lk_store_get_spending (LkStore     *self,
                       gint64       job_id,
                       GDateTime   *now,
                       LkSpending  *spending,
                       GError     **error)
{
  g_autofree GetSpending *data = NULL;
  g_autofree LkSpending *result = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (spending != NULL, FALSE);

  data = new_get_spending (job_id, now);
  if (!(result = lk_store_run_sync (self, get_spending_func, data, FALSE, error)))
    return FALSE;

  *spending = *result;
  return TRUE;
}

void
lk_store_get_spending_async (LkStore             *self,
                             gint64               job_id,
                             GDateTime           *now,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, get_spending_func, new_get_spending (job_id, now), g_free, g_free, FALSE,
                      lk_store_get_spending_async, cancellable, callback, user_data);
}

gboolean
lk_store_get_spending_finish (LkStore       *self,
                              GAsyncResult  *result,
                              LkSpending    *spending,
                              GError       **error)
{
  g_autofree LkSpending *found = lk_store_run_finish (self, result, lk_store_get_spending_async, error);

  if (found == NULL)
    return FALSE;

  *spending = *found;
  return TRUE;
}

/* The ledger. */

void
lk_ledger_entry_free (LkLedgerEntry *entry)
{
  g_free (entry->prediction_id);
  g_free (entry->kind);
  g_free (entry->model);
  g_free (entry);
}

static gpointer
list_ledger_func (LkStoreDb  *db,
                  gpointer    user_data,
                  GError    **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_ledger_entry_free);
  sqlite3_stmt *stmt;
  int code;

  stmt = lk_store_db_prepare (db,
                              "SELECT time, coalesce (job_id, 0), prediction_id, kind, micro_usd, model "
                              "FROM ledger ORDER BY time, id",
                              error);
  if (stmt == NULL)
    return NULL;

  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      LkLedgerEntry *entry = g_new0 (LkLedgerEntry, 1);

      entry->time = sqlite3_column_int64 (stmt, 0);
      entry->job_id = sqlite3_column_int64 (stmt, 1);
      entry->prediction_id = lk_store_db_dup_column (stmt, 2);
      entry->kind = lk_store_db_dup_column (stmt, 3);
      entry->amount = sqlite3_column_int64 (stmt, 4);
      entry->model = lk_store_db_dup_column (stmt, 5);
      g_ptr_array_add (entries, entry);
    }

  return code == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}

/**
 * lk_store_list_ledger:
 *
 * Returns: (transfer container) (element-type LkLedgerEntry): every
 *   entry of the ledger, oldest first, or %NULL with @error set
 */
GPtrArray *
lk_store_list_ledger (LkStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_ledger_func, NULL, FALSE, error);
}

/* Quotes a CSV field when it needs it (RFC 4180). */
static void
append_csv_field (GString    *csv,
                  const char *field)
{
  if (field == NULL)
    return;

  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (csv, field);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static gpointer
export_ledger_csv_func (LkStoreDb  *db,
                        gpointer    user_data,
                        GError    **error)
{
  g_autoptr(GPtrArray) entries = list_ledger_func (db, NULL, error);
  GString *csv;

  if (entries == NULL)
    return NULL;

  csv = g_string_new ("time,job,prediction,kind,usd,model\r\n");
  for (guint i = 0; i < entries->len; i++)
    {
      LkLedgerEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (entry->time);
      g_autofree char *stamp = g_date_time_format_iso8601 (time);
      g_autofree char *amount = lk_money_format_plain (entry->amount);

      g_string_append_printf (csv, "%s,", stamp);
      if (entry->job_id != 0)
        g_string_append_printf (csv, "%" G_GINT64_FORMAT, entry->job_id);
      g_string_append_c (csv, ',');
      append_csv_field (csv, entry->prediction_id);
      g_string_append_printf (csv, ",%s,%s,", entry->kind, amount);
      append_csv_field (csv, entry->model);
      g_string_append (csv, "\r\n");
    }

  return g_string_free_to_bytes (csv);
}

/**
 * lk_store_export_ledger_csv:
 *
 * Writes the ledger as CSV: local ISO 8601 time, job id, prediction id,
 * kind, amount in dollars with six decimals, model.
 *
 * Returns: (transfer full): the CSV text, or %NULL with @error set
 */
GBytes *
lk_store_export_ledger_csv (LkStore  *self,
                            GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, export_ledger_csv_func, NULL, FALSE, error);
}

void
lk_store_export_ledger_csv_async (LkStore             *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, export_ledger_csv_func, NULL, NULL, (GDestroyNotify) g_bytes_unref, FALSE,
                      lk_store_export_ledger_csv_async, cancellable, callback, user_data);
}

GBytes *
lk_store_export_ledger_csv_finish (LkStore       *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_export_ledger_csv_async, error);
}
