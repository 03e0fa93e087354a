/* lk-store-db.h: one SQLite connection of the store, with its prepared
 * statements and errors in the store's own words. Private to the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _LkStoreDb LkStoreDb;

typedef gpointer (*LkStoreDbFunc) (LkStoreDb  *db,
                                   gpointer    data,
                                   GError    **error);

LkStoreDb    *lk_store_db_open          (const char     *path,
                                         int             flags,
                                         GError        **error);
void          lk_store_db_close         (LkStoreDb      *db);
sqlite3_stmt *lk_store_db_prepare       (LkStoreDb      *db,
                                         const char     *sql,
                                         GError        **error);
int           lk_store_db_step          (LkStoreDb      *db,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
gboolean      lk_store_db_run           (LkStoreDb      *db,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
gboolean      lk_store_db_exec          (LkStoreDb      *db,
                                         const char     *sql,
                                         GError        **error);
gboolean      lk_store_db_get_int       (LkStoreDb      *db,
                                         const char     *sql,
                                         gint64         *value,
                                         GError        **error);
gboolean      lk_store_db_begin         (LkStoreDb      *db,
                                         GError        **error);
gboolean      lk_store_db_commit        (LkStoreDb      *db,
                                         GError        **error);
void          lk_store_db_rollback      (LkStoreDb      *db);
gpointer      lk_store_db_transaction   (LkStoreDb      *db,
                                         LkStoreDbFunc   func,
                                         gpointer        data,
                                         GError        **error);
gint64        lk_store_db_last_id       (LkStoreDb      *db);
int           lk_store_db_changes       (LkStoreDb      *db);
gboolean      lk_store_db_check_changed (LkStoreDb      *db,
                                         const char     *message,
                                         GError        **error);
gboolean      lk_store_db_fail          (LkStoreDb      *db,
                                         int             code,
                                         GError        **error);
void          lk_store_db_bind_text     (sqlite3_stmt   *stmt,
                                         int             index,
                                         const char     *text);
char         *lk_store_db_dup_column    (sqlite3_stmt   *stmt,
                                         int             column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkStoreDb, lk_store_db_close)

G_END_DECLS
