/* lk-photo-scan.c: walking dropped files and folders for photos, within
 * limits, reporting what cannot be walked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photo-scan"

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <glib/gi18n-lib.h>

#include "lk-photo.h"
#include "lk-photo-scan.h"

typedef struct
{
  dev_t device;
  ino_t inode;
} FolderId;

typedef struct
{
  LkPhotoScanFunc  func;
  gpointer         user_data;
  GCancellable    *cancellable;
  GPtrArray       *skipped;
  GArray          *ancestors;
  GHashTable      *visited;
  const char      *root;
  guint            n_files;
  gboolean         full;
} Scan;

static void scan_path (Scan       *scan,
                       const char *path,
                       int         depth);

static void
skip (Scan       *scan,
      const char *path,
      const char *reason)
{
  g_ptr_array_add (scan->skipped, lk_photo_new_skipped (path, reason));
}

static gboolean
is_ancestor (Scan           *scan,
             const GStatBuf *info)
{
  for (guint i = 0; i < scan->ancestors->len; i++)
    {
      FolderId *id = &g_array_index (scan->ancestors, FolderId, i);

      if (id->device == info->st_dev && id->inode == info->st_ino)
        return TRUE;
    }

  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
scan_folder (Scan           *scan,
             const char     *path,
             const GStatBuf *info,
             int             depth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  FolderId id = { info->st_dev, info->st_ino };
  const char *name;

  /* A link back to a folder being walked would never end. */
  if (is_ancestor (scan, info))
    {
      skip (scan, path, _("Link that loops back on itself"));
      return;
    }

  /* A folder reached a second time through another link holds no new
   * files. */
  if (!g_hash_table_add (scan->visited, g_strdup_printf ("%ju:%ju", (uintmax_t) id.device, (uintmax_t) id.inode)))
    return;

  if (depth > LK_PHOTO_SCAN_MAX_DEPTH)
    {
      g_autofree char *reason = g_strdup_printf (_("Folder nested too deep (more than %d levels)"),
                                                 LK_PHOTO_SCAN_MAX_DEPTH);

      skip (scan, path, reason);
      return;
    }

  if (!(dir = g_dir_open (path, 0, &error)))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
        skip (scan, path, _("Unreadable folder (no permission to read it)"));
      else
        skip (scan, path, error->message);
      return;
    }

  /* Sorted, so that the same folder always gives the same results, and
   * the limit cuts it at the same place. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    {
      /* Hidden files are the system's and the apps', not the person's. */
      if (name[0] != '.')
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  g_array_append_val (scan->ancestors, id);

  for (guint i = 0; i < names->len && !scan->full; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      scan_path (scan, child, depth + 1);
    }

  g_array_set_size (scan->ancestors, scan->ancestors->len - 1);
}

static void
scan_path (Scan       *scan,
           const char *path,
           int         depth)
{
  GStatBuf info;

  if (scan->full || g_cancellable_is_cancelled (scan->cancellable))
    return;

  if (g_stat (path, &info) != 0)
    {
      int saved_errno = errno;
      g_autofree char *reason = NULL;

      if (saved_errno == ELOOP)
        reason = g_strdup (_("Link that loops back on itself"));
      else if (saved_errno == EACCES)
        reason = g_strdup (_("Unreadable (no permission to read it)"));
      else
        reason = g_strdup_printf (_("Unreadable (%s)"), g_strerror (saved_errno));

      skip (scan, path, reason);
      return;
    }

  if (S_ISDIR (info.st_mode))
    {
      scan_folder (scan, path, &info, depth);
      return;
    }

  if (scan->n_files == LK_PHOTO_SCAN_MAX_FILES)
    {
      g_autofree char *reason = g_strdup_printf (_("Stopped after %d files: add fewer at a time"),
                                                 LK_PHOTO_SCAN_MAX_FILES);

      scan->full = TRUE;
      skip (scan, scan->root, reason);
      return;
    }

  scan->n_files++;
  scan->func (path, &info, scan->user_data);
}

/**
 * lk_photo_scan:
 * @paths: the dropped or chosen files and folders
 * @func: called with each file to consider
 * @user_data: passed to @func
 * @cancellable: (nullable): stops the walk
 *
 * Walks @paths and the folders among them, recursively, skipping hidden
 * files, down to %LK_PHOTO_SCAN_MAX_DEPTH levels, and stops after
 * %LK_PHOTO_SCAN_MAX_FILES files. Blocks: run it in a thread.
 *
 * Returns: (transfer full) (element-type LkPhoto): an entry for each
 *   path that could not be walked, with the reason
 */
GPtrArray *
lk_photo_scan (const char * const *paths,
               LkPhotoScanFunc     func,
               gpointer            user_data,
               GCancellable       *cancellable)
{
  g_autoptr(GArray) ancestors = g_array_new (FALSE, FALSE, sizeof (FolderId));
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Scan scan = {
    .func = func,
    .user_data = user_data,
    .cancellable = cancellable,
    .skipped = g_ptr_array_new_with_free_func (g_object_unref),
    .ancestors = ancestors,
    .visited = visited,
  };

  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      scan.root = paths[i];
      scan_path (&scan, paths[i], 0);
    }

  return scan.skipped;
}
