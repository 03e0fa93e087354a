/* lk-store-pictures.c: the picture each style's card shows: the portrait
 * the person chose for it, or else the latest one saved in that style.
 *
 * A choice names an output of the store, so deleting its job forgets it.
 * Files can also vanish behind the store's back (a person tidying their
 * Pictures folder), so the list checks each file on the store's worker
 * thread and falls back to the next portrait whose file is still there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-store-private.h"

typedef struct
{
  char   *style;
  char   *path;
  gint64  time;
} StylePicture;

static StylePicture *
style_picture_new (const char *style,
                   const char *path,
                   GDateTime  *now)
{
  StylePicture *picture = g_new0 (StylePicture, 1);

  picture->style = g_strdup (style);
  picture->path = g_strdup (path);
  picture->time = lk_store_time_or_now (now);
  return picture;
}

static void
style_picture_free (StylePicture *picture)
{
  g_free (picture->style);
  g_free (picture->path);
  g_free (picture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StylePicture, style_picture_free)

static gpointer
set_style_picture_func (LkStoreDb  *db,
                        gpointer    user_data,
                        GError    **error)
{
  StylePicture *picture = user_data;
  sqlite3_stmt *stmt;

  /* Only a saved portrait of that very style can be its picture. The
   * WHERE clause also keeps SQLite from reading ON CONFLICT as a join. */
  stmt = lk_store_db_prepare (db,
                              "INSERT INTO style_pictures (style, output_id, chosen) "
                              "SELECT ?1, o.id, ?3 FROM outputs o "
                              "JOIN predictions p ON p.id = o.prediction_id "
                              "JOIN job_items i ON i.id = p.item_id "
                              "WHERE o.path = ?2 AND i.style = ?1 "
                              "ORDER BY o.id DESC LIMIT 1 "
                              "ON CONFLICT (style) DO UPDATE SET output_id = excluded.output_id, "
                              "                                  chosen = excluded.chosen",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, picture->style);
  lk_store_db_bind_text (stmt, 2, picture->path);
  sqlite3_bind_int64 (stmt, 3, picture->time);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This portrait is not in the history any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_set_style_picture:
 * @style: a style id
 * @path: the saved portrait in that style to show on its card
 * @now: (nullable): when it was chosen; %NULL for now
 *
 * Remembers the portrait a person chose for a style's card. It stays the
 * style's picture until another is chosen, or until its job is deleted.
 *
 * Returns: whether it was remembered; %LK_STORE_ERROR_NOT_FOUND when no
 *   portrait in @style was saved at @path
 */
gboolean
lk_store_set_style_picture (LkStore     *self,
                            const char  *style,
                            const char  *path,
                            GDateTime   *now,
                            GError     **error)
{
  g_autoptr(StylePicture) picture = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  picture = style_picture_new (style, path, now);
  return lk_store_run_sync (self, set_style_picture_func, picture, TRUE, error) != NULL;
}

void
lk_store_set_style_picture_async (LkStore             *self,
                                  const char          *style,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));
  g_return_if_fail (style != NULL);
  g_return_if_fail (path != NULL);

  lk_store_run_async (self, set_style_picture_func, style_picture_new (style, path, NULL),
                      (GDestroyNotify) style_picture_free, NULL, TRUE,
                      lk_store_set_style_picture_async, cancellable, callback, user_data);
}

gboolean
lk_store_set_style_picture_finish (LkStore       *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_set_style_picture_async, error) != NULL;
}

static gpointer
list_style_pictures_func (LkStoreDb  *db,
                          gpointer    user_data,
                          GError    **error)
{
  g_autoptr(GHashTable) pictures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int code;

  /* Every candidate of every style, the best first: the chosen one, then
   * the saved ones from the newest. */
  stmt = lk_store_db_prepare (db,
                              "SELECT sp.style, o.path, 1 AS chosen, sp.chosen AS time, o.id "
                              "FROM style_pictures sp JOIN outputs o ON o.id = sp.output_id "
                              "WHERE o.path IS NOT NULL "
                              "UNION ALL "
                              "SELECT i.style, o.path, 0, o.saved, o.id FROM outputs o "
                              "JOIN predictions p ON p.id = o.prediction_id "
                              "JOIN job_items i ON i.id = p.item_id "
                              "WHERE o.path IS NOT NULL AND i.style IS NOT NULL "
                              "ORDER BY 1, 3 DESC, 4 DESC, 5 DESC",
                              error);
  if (stmt == NULL)
    return NULL;

  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *style = (const char *) sqlite3_column_text (stmt, 0);
      const char *path = (const char *) sqlite3_column_text (stmt, 1);

      /* Only the first candidate whose file is still there counts, so a
       * style usually costs one check. */
      if (!g_hash_table_contains (pictures, style) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_hash_table_insert (pictures, g_strdup (style), g_strdup (path));
    }

  return code == SQLITE_DONE ? g_steal_pointer (&pictures) : NULL;
}

/**
 * lk_store_list_style_pictures:
 *
 * Finds the picture each style's card shows: the portrait chosen with
 * lk_store_set_style_picture() while its file exists, otherwise the
 * latest portrait saved in that style whose file exists. Styles with no
 * such file are not in the table.
 *
 * Returns: (transfer container) (element-type utf8 filename): style id
 *   to path, or %NULL with @error set
 */
GHashTable *
lk_store_list_style_pictures (LkStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_style_pictures_func, NULL, FALSE, error);
}

void
lk_store_list_style_pictures_async (LkStore             *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, list_style_pictures_func, NULL, NULL, (GDestroyNotify) g_hash_table_unref, FALSE,
                      lk_store_list_style_pictures_async, cancellable, callback, user_data);
}

/**
 * lk_store_list_style_pictures_finish:
 *
 * Returns: (transfer container) (element-type utf8 filename): style id
 *   to path
 */
GHashTable *
lk_store_list_style_pictures_finish (LkStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_list_style_pictures_async, error);
}
