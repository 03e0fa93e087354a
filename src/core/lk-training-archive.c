/* lk-training-archive.c: the zip of photos and captions a training
 * learns from.
 *
 * Each photo is prepared (upright, at most 1536 pixels, re-encoded without
 * metadata) and written to the zip on disk before the next one is read,
 * so at most one photo is ever in memory, never the whole archive. The
 * photos are stored without compression, as JPEG data does not shrink.
 * Entries are named by position, not by the original file names, which
 * may say more than the photo does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-training-archive"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-photo.h"
#include "lk-training-archive.h"
#include "lk-training-plan.h"

typedef struct archive ArchiveWriter;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveWriter, archive_write_free)

static gboolean
archive_failed (struct archive  *archive,
                GError         **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The photos could not be written to a zip file: %s. Check that there is free disk space."),
               archive_error_string (archive) != NULL ? archive_error_string (archive) : g_strerror (archive_errno (archive)));
  return FALSE;
}

static gboolean
add_entry (struct archive  *archive,
           const char      *name,
           const void      *data,
           gsize            length,
           GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, length);
  archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);

  ok = archive_write_header (archive, entry) == ARCHIVE_OK &&
       archive_write_data (archive, data, length) == (la_ssize_t) length &&
       archive_write_finish_entry (archive) == ARCHIVE_OK;
  archive_entry_free (entry);

  return ok || archive_failed (archive, error);
}

static gboolean
too_large (goffset   max_size,
           GError  **error)
{
  g_autofree char *text = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               _("The photos make a zip larger than the %s Replicate accepts. Use fewer photos."), text);
  return FALSE;
}

/**
 * lk_training_archive_write:
 * @path: the zip file to write, replaced if it exists
 * @images: (element-type LkTrainingImage): the photos and their captions
 * @prep: how to prepare each photo
 * @max_size: the largest zip allowed, usually %LK_TRAINING_ARCHIVE_MAX_SIZE
 * @size: (out) (optional): the size of the zip
 *
 * Writes `photo-01.jpg`, `photo-01.txt` (its caption, when it has one),
 * `photo-02.jpg`… Blocks: run it in a worker thread.
 *
 * Returns: whether the zip was written; %FALSE with @error set, and
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE as soon as it exceeds @max_size
 */
gboolean
lk_training_archive_write (const char       *path,
                           GPtrArray        *images,
                           LkReferencePrep  *prep,
                           goffset           max_size,
                           goffset          *size,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(ArchiveWriter) archive = NULL;
  goffset written;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (images != NULL, FALSE);
  g_return_val_if_fail (LK_IS_REFERENCE_PREP (prep), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  archive = archive_write_new ();
  if (archive_write_set_format_zip (archive) != ARCHIVE_OK ||
      archive_write_set_options (archive, "zip:compression=store") != ARCHIVE_OK ||
      archive_write_open_filename (archive, path) != ARCHIVE_OK)
    return archive_failed (archive, error);

  for (guint i = 0; i < images->len; i++)
    {
      LkTrainingImage *image = g_ptr_array_index (images, i);
      g_autoptr(LkPhoto) photo = lk_photo_new (image->path);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *stem = g_strdup_printf ("photo-%02u", i + 1);
      g_autofree char *name = g_strconcat (stem, ".jpg", NULL);

      /* A photo without analysis is kept whole: a training learns from the
       * whole picture, not from a portrait crop. */
      if (!(bytes = lk_reference_prep_prepare (prep, photo, cancellable, error)))
        {
          g_prefix_error (error, "%s: ", lk_photo_get_name (photo));
          return FALSE;
        }

      if (!add_entry (archive, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
        return FALSE;

      if (image->caption != NULL && *image->caption != '\0')
        {
          g_autofree char *caption_name = g_strconcat (stem, ".txt", NULL);

          if (!add_entry (archive, caption_name, image->caption, strlen (image->caption), error))
            return FALSE;
        }

      if (archive_filter_bytes (archive, -1) > max_size)
        return too_large (max_size, error);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  if (archive_write_close (archive) != ARCHIVE_OK)
    return archive_failed (archive, error);

  /* The central directory at the end adds a little. */
  written = archive_filter_bytes (archive, -1);
  if (written > max_size)
    return too_large (max_size, error);

  if (size != NULL)
    *size = written;
  return TRUE;
}
