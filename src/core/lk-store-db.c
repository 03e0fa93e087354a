/* lk-store-db.c: one SQLite connection of the store, with its prepared
 * statements and errors in the store's own words. Private to the store.
 *
 * A connection is used by one thread at a time (the store's worker), so
 * it is opened without SQLite's own mutex. Statements are prepared once
 * and kept, keyed by the address of their SQL text, which is always a
 * string literal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-store.h"
#include "lk-store-db.h"

/* How long a write waits for another process (the app and likeness-cli
 * share the file) before giving up. */
#define BUSY_TIMEOUT_MS 5000

struct _LkStoreDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;
};

static int
trace_cb (unsigned  type,
          void     *user_data,
          void     *statement,
          void     *elapsed_ns)
{
  /* Only the SQL text with its placeholders is logged, never the bound
   * values. */
  g_debug ("%.3f ms: %s", *(sqlite3_int64 *) elapsed_ns / 1e6, sqlite3_sql (statement));
  return 0;
}

/**
 * lk_store_db_fail:
 * @code: the result code of the SQLite call that failed
 *
 * Sets @error for a failed call, in the store's domain.
 *
 * Returns: %FALSE, always
 */
gboolean
lk_store_db_fail (LkStoreDb  *db,
                  int         code,
                  GError    **error)
{
  g_autofree char *display = g_filename_display_name (db->path);
  const char *detail = db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (code);

  switch (code & 0xff)
    {
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
                   _("Likeness cannot write its history to %s (%s). Check that the folder exists, is yours and is not read-only."),
                   display, detail);
      break;

    case SQLITE_FULL:
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NO_SPACE,
                   _("The disk holding %s is full. Free some space so that Likeness can keep its records."),
                   display);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT,
                   _("The history database %s is damaged (%s)."), display, detail);
      break;

    default:
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_FAILED,
                   _("The history database %s could not be used: %s."), display, detail);
    }

  return FALSE;
}

/**
 * lk_store_db_open:
 * @flags: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE with
 *   SQLITE_OPEN_CREATE
 *
 * Opens @path with foreign keys on and a busy timeout. With
 * `G_MESSAGES_DEBUG=lk-store`, every statement is logged with its time.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
LkStoreDb *
lk_store_db_open (const char  *path,
                  int          flags,
                  GError     **error)
{
  g_autoptr(LkStoreDb) db = g_new0 (LkStoreDb, 1);
  int code;

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);

  code = sqlite3_open_v2 (path, &db->handle, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (code != SQLITE_OK)
    {
      lk_store_db_fail (db, code, error);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, TRUE);
  sqlite3_busy_timeout (db->handle, BUSY_TIMEOUT_MS);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    sqlite3_trace_v2 (db->handle, SQLITE_TRACE_PROFILE, trace_cb, NULL);

  if (!lk_store_db_exec (db, "PRAGMA foreign_keys = ON", error))
    return NULL;

  return g_steal_pointer (&db);
}

void
lk_store_db_close (LkStoreDb *db)
{
  if (db == NULL)
    return;

  /* Statements go first: a connection with statements left does not
   * close. */
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

/**
 * lk_store_db_prepare:
 * @sql: a string literal; its address identifies the statement
 *
 * Returns: (transfer none): the statement, reset and without bindings, or
 *   %NULL with @error set
 */
sqlite3_stmt *
lk_store_db_prepare (LkStoreDb   *db,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int code;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  code = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (code != SQLITE_OK)
    {
      lk_store_db_fail (db, code, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

/**
 * lk_store_db_step:
 *
 * Returns: SQLITE_ROW, SQLITE_DONE, or -1 with @error set
 */
int
lk_store_db_step (LkStoreDb     *db,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int code = sqlite3_step (stmt);

  if (code == SQLITE_ROW || code == SQLITE_DONE)
    return code;

  sqlite3_reset (stmt);
  lk_store_db_fail (db, code, error);
  return -1;
}

/**
 * lk_store_db_run:
 *
 * Runs a statement that returns no rows.
 */
gboolean
lk_store_db_run (LkStoreDb     *db,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  if (lk_store_db_step (db, stmt, error) < 0)
    return FALSE;

  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * lk_store_db_exec:
 * @sql: SQL without parameters: pragmas, transactions, schema changes
 */
gboolean
lk_store_db_exec (LkStoreDb   *db,
                  const char  *sql,
                  GError     **error)
{
  int code = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (code != SQLITE_OK)
    return lk_store_db_fail (db, code, error);

  return TRUE;
}

/**
 * lk_store_db_get_int:
 * @sql: a query without parameters whose first row and column is read,
 *   such as a pragma
 */
gboolean
lk_store_db_get_int (LkStoreDb   *db,
                     const char  *sql,
                     gint64      *value,
                     GError     **error)
{
  sqlite3_stmt *stmt = lk_store_db_prepare (db, sql, error);
  int code;

  if (stmt == NULL || (code = lk_store_db_step (db, stmt, error)) < 0)
    return FALSE;

  *value = code == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * lk_store_db_begin:
 *
 * Starts a write transaction, taking the write lock at once, so that a
 * read-check-write sequence (a budget check before a create) cannot
 * interleave with another process's.
 */
gboolean
lk_store_db_begin (LkStoreDb  *db,
                   GError    **error)
{
  return lk_store_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
lk_store_db_commit (LkStoreDb  *db,
                    GError    **error)
{
  if (lk_store_db_exec (db, "COMMIT", error))
    return TRUE;

  lk_store_db_rollback (db);
  return FALSE;
}

void
lk_store_db_rollback (LkStoreDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

gint64
lk_store_db_last_id (LkStoreDb *db)
{
  return sqlite3_last_insert_rowid (db->handle);
}

int
lk_store_db_changes (LkStoreDb *db)
{
  return sqlite3_changes (db->handle);
}

/**
 * lk_store_db_transaction:
 *
 * Runs @func inside a write transaction: committed when @func returns
 * non-%NULL, rolled back otherwise.
 *
 * Returns: what @func returned, or %NULL with @error set
 */
gpointer
lk_store_db_transaction (LkStoreDb      *db,
                         LkStoreDbFunc   func,
                         gpointer        data,
                         GError        **error)
{
  gpointer result;

  if (!lk_store_db_begin (db, error))
    return NULL;

  if (!(result = func (db, data, error)) || !lk_store_db_commit (db, error))
    {
      lk_store_db_rollback (db);
      return NULL;
    }

  return result;
}

/**
 * lk_store_db_check_changed:
 * @message: what to tell when nothing changed, such as "This job is not
 *   in the history any more."
 *
 * Fails with %LK_STORE_ERROR_NOT_FOUND when the last statement changed no
 * row.
 */
gboolean
lk_store_db_check_changed (LkStoreDb   *db,
                           const char  *message,
                           GError     **error)
{
  if (sqlite3_changes (db->handle) > 0)
    return TRUE;

  g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

/**
 * lk_store_db_bind_text:
 *
 * Binds a string without copying it: the strings a request binds belong
 * to the request, which outlives the statement's step.
 */
void
lk_store_db_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

char *
lk_store_db_dup_column (sqlite3_stmt *stmt,
                        int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}
