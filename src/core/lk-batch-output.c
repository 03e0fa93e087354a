/* lk-batch-output.c: saves an item's image as `<NN>-<style-id>.<ext>` in
 * the job's folder: complete or not at all, never over another file, with
 * its SHA-256.
 *
 * The image is downloaded to a hidden name first (LkClient writes it
 * atomically there); it then takes its final name, or the first free one
 * with a suffix ("-2", "-3", ...), by a rename that refuses to replace. A
 * name already holding the very same image (saved before the app was
 * closed, but not yet recorded) is that image's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lk-batch-private.h"

/* Names tried before giving up: far more than a folder of portraits
 * would ever hold under one name. */
#define MAX_SUFFIX 1000

typedef struct
{
  LkClient *client;
  char     *url;
  GFile    *folder;
  char     *stem;
  GFile    *downloaded;
  GFile    *saved;
  char     *sha256;
  gint64    bytes;
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->client);
  g_free (save->url);
  g_clear_object (&save->folder);
  g_free (save->stem);
  g_clear_object (&save->downloaded);
  g_clear_object (&save->saved);
  g_free (save->sha256);
  g_free (save);
}

/**
 * lk_batch_output_stem:
 *
 * Returns: (transfer full): the file name of an item's image without its
 *   extension: its number, from 01 (with as many digits as the largest
 *   number needs), and its style id
 */
char *
lk_batch_output_stem (LkBatchItem *item,
                      guint        n_items)
{
  g_autofree char *count = g_strdup_printf ("%u", n_items);
  int digits = MAX (2, (int) strlen (count));

  return g_strdup_printf ("%0*u-%s", digits, lk_batch_item_get_index (item) + 1,
                          lk_batch_item_get_style_id (item));
}

static gboolean
hash_file (const char  *path,
           char       **sha256,
           gint64      *bytes,
           GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);

  if (mapped == NULL)
    return FALSE;

  *bytes = g_mapped_file_get_length (mapped);
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                         (const guchar *) g_mapped_file_get_contents (mapped), *bytes);
  return TRUE;
}

/* link() then unlink() gives the file its name only if the name is free,
 * which rename() cannot promise. */
static gboolean
claim_name (const char  *from,
            const char  *to,
            gboolean    *taken,
            GError     **error)
{
  int saved_errno;

  *taken = FALSE;

  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }

  saved_errno = errno;
  if (saved_errno == EEXIST)
    {
      *taken = TRUE;
      return FALSE;
    }

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save “%s”: %s. Check that the folder can be written to."), to, g_strerror (saved_errno));
  return FALSE;
}

/* Whether @path holds exactly the image just downloaded. */
static gboolean
holds_same_image (const char *path,
                  Save       *save)
{
  g_autofree char *sha256 = NULL;
  gint64 bytes;

  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && hash_file (path, &sha256, &bytes, NULL) &&
         bytes == save->bytes && g_str_equal (sha256, save->sha256);
}

static void
place_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Save *save = task_data;
  g_autofree char *from = g_file_get_path (save->downloaded);
  g_autofree char *folder = g_file_get_path (save->folder);
  g_autofree char *basename = g_file_get_basename (save->downloaded);
  const char *extension = strrchr (basename, '.');
  GError *error = NULL;

  if (!hash_file (from, &save->sha256, &save->bytes, &error))
    {
      g_unlink (from);
      g_task_return_error (task, error);
      return;
    }

  for (guint n = 1; n <= MAX_SUFFIX; n++)
    {
      g_autofree char *name = n == 1 ? g_strconcat (save->stem, extension, NULL)
                                     : g_strdup_printf ("%s-%u%s", save->stem, n, extension);
      g_autofree char *to = g_build_filename (folder, name, NULL);
      gboolean taken;

      if (claim_name (from, to, &taken, &error))
        {
          save->saved = g_file_new_for_path (to);
          g_task_return_boolean (task, TRUE);
          return;
        }

      if (!taken)
        break;

      if (holds_same_image (to, save))
        {
          g_unlink (from);
          save->saved = g_file_new_for_path (to);
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  g_unlink (from);
  if (error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("Every name for “%s” is taken in “%s”. Move some files out of it."), save->stem, folder);
  g_task_return_error (task, error);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!(save->downloaded = lk_client_download_finish (LK_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_run_in_thread (task, place_in_thread);
}

static void
folder_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autofree char *hidden = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!g_file_make_directory_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  /* A name of its own, so that two saves never share the hidden file. */
  hidden = g_strdup_printf (".%s.%08x", save->stem, g_random_int ());
  cancellable = g_task_get_cancellable (task);
  lk_client_download_async (save->client, save->url, save->folder, hidden, cancellable,
                            downloaded_cb, g_steal_pointer (&task));
}

/**
 * lk_batch_output_save_async:
 * @url: the output's URL or `data:` URI
 * @folder: the job's folder; it is made if missing (not its parents,
 *   which the batch makes when it starts)
 * @stem: from lk_batch_output_stem()
 */
void
lk_batch_output_save_async (LkClient            *client,
                            const char          *url,
                            GFile               *folder,
                            const char          *stem,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Save *save;

  g_return_if_fail (LK_IS_CLIENT (client));
  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (stem != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_output_save_async);
  save = g_new0 (Save, 1);
  save->client = g_object_ref (client);
  save->url = g_strdup (url);
  save->folder = g_object_ref (folder);
  save->stem = g_strdup (stem);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  g_file_make_directory_async (folder, G_PRIORITY_DEFAULT, cancellable, folder_made_cb, g_steal_pointer (&task));
}

/**
 * lk_batch_output_save_finish:
 * @sha256: (out) (transfer full): the file's SHA-256, in hex
 * @bytes: (out): its size
 *
 * Returns: (transfer full): the saved file, or %NULL with @error set
 */
GFile *
lk_batch_output_save_finish (GAsyncResult  *result,
                             char         **sha256,
                             gint64        *bytes,
                             GError       **error)
{
  Save *save;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_output_save_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  save = g_task_get_task_data (G_TASK (result));
  *sha256 = g_strdup (save->sha256);
  *bytes = save->bytes;
  return g_object_ref (save->saved);
}
