/* lk-image.c: decoding photos safely: refusing what is not a usable image,
 * from its header, before any pixels are allocated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-image"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lk-image.h"

/* Enough of the file for content sniffing to recognise every format. */
#define SNIFF_LENGTH 4096

G_DEFINE_QUARK (lk-image-error-quark, lk_image_error)

typedef struct
{
  int      long_side;
  int      width;
  int      height;
  gboolean too_large;
} SizeRequest;

static void
scaled_size (int  width,
             int  height,
             int  divisor,
             int *out_width,
             int *out_height)
{
  *out_width = MAX (1, (width + divisor - 1) / divisor);
  *out_height = MAX (1, (height + divisor - 1) / divisor);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeRequest     *request)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *name = gdk_pixbuf_format_get_name (format);
  int longest = MAX (width, height);
  int out_width;
  int out_height;

  request->width = width;
  request->height = height;

  if ((gint64) width * height > LK_IMAGE_MAX_PIXELS)
    {
      /* A zero size makes every loader stop here, before it allocates
       * the pixel buffer. */
      request->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (request->long_side <= 0 || longest <= request->long_side)
    return;

  /* libjpeg shrinks by 1/2, 1/4 or 1/8 while decoding, at a fraction of
   * the cost of a full decode. Asking for exactly such a size, the
   * smallest that stays above three quarters of the target, leaves the
   * loader nothing to resample. */
  if (g_strcmp0 (name, "jpeg") == 0)
    {
      for (int divisor = 8; divisor >= 2; divisor /= 2)
        {
          if (longest / divisor >= request->long_side * 3 / 4)
            {
              scaled_size (width, height, divisor, &out_width, &out_height);
              gdk_pixbuf_loader_set_size (loader, out_width, out_height);
              return;
            }
        }
    }

  out_width = MAX (1, (int) ((gint64) width * request->long_side / longest));
  out_height = MAX (1, (int) ((gint64) height * request->long_side / longest));
  gdk_pixbuf_loader_set_size (loader, out_width, out_height);
}

static GdkPixbufFormat *
find_format (const char *mime_type)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      GdkPixbufFormat *format = l->data;
      g_auto(GStrv) mime_types = NULL;

      /* Vector drawings have no pixel size to judge a photo by. */
      if (gdk_pixbuf_format_is_disabled (format) || gdk_pixbuf_format_is_scalable (format))
        continue;

      mime_types = gdk_pixbuf_format_get_mime_types (format);
      if (g_strv_contains ((const char * const *) mime_types, mime_type))
        return format;
    }

  return NULL;
}

static gboolean
contains (const guint8 *data,
          gsize         length,
          const char   *needle,
          gsize         needle_length)
{
  const guint8 *end = data + length;

  for (const guint8 *p = data; p + needle_length <= end; p++)
    {
      p = memchr (p, needle[0], end - p);
      if (p == NULL || p + needle_length > end)
        return FALSE;
      if (memcmp (p, needle, needle_length) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Every marker segment before the first scan states its length, so the
 * Exif thumbnail, with an end marker of its own, is skipped whole. Inside
 * the compressed data a 0xFF byte is always followed by 0x00 or a restart
 * marker, so an end-of-image marker after the first scan is the real one. */
static gboolean
jpeg_is_complete (const guint8 *data,
                  gsize         length)
{
  gsize i = 2;

  while (i + 4 <= length)
    {
      guint8 marker;

      if (data[i] != 0xFF)
        return FALSE;

      marker = data[i + 1];
      if (marker == 0xFF)
        {
          i++;
          continue;
        }

      if (marker == 0xDA)
        return contains (data + i, length - i, "\xFF\xD9", 2);

      if (marker == 0xD9)
        return FALSE;

      i += 2 + ((data[i + 2] << 8) | data[i + 3]);
    }

  return FALSE;
}

static gboolean
png_is_complete (const guint8 *data,
                 gsize         length)
{
  gsize tail = MIN (length, SNIFF_LENGTH);

  return contains (data + length - tail, tail, "IEND", 4);
}

static gboolean
is_complete (const char   *format_name,
             const guint8 *data,
             gsize         length)
{
  /* Both decoders return a half-grey picture for a cut-off file without
   * any error, so the end of the file is checked here. */
  if (g_str_equal (format_name, "jpeg"))
    return jpeg_is_complete (data, length);

  if (g_str_equal (format_name, "png"))
    return png_is_complete (data, length);

  return TRUE;
}

static gboolean
read_file (const char  *path,
           char       **contents,
           gsize       *length,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_UNREADABLE,
                   _("Unreadable (%s)"), g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (buf.st_mode))
    {
      g_set_error_literal (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_NOT_IMAGE,
                           _("Not an image (not a regular file)"));
      return FALSE;
    }

  if (buf.st_size == 0)
    {
      g_set_error_literal (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_EMPTY, _("Empty file"));
      return FALSE;
    }

  if (buf.st_size > LK_IMAGE_MAX_BYTES)
    {
      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_TOO_LARGE,
                   _("Too large (%d MB, over %d MB)"),
                   (int) (buf.st_size / (1024 * 1024)), LK_IMAGE_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }

  if (!g_file_get_contents (path, contents, length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
        g_set_error_literal (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_UNREADABLE,
                             _("Unreadable (no permission to read it)"));
      else
        g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_UNREADABLE,
                     _("Unreadable (%s)"), local_error->message);
      return FALSE;
    }

  if (*length == 0)
    {
      g_clear_pointer (contents, g_free);
      g_set_error_literal (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_EMPTY, _("Empty file"));
      return FALSE;
    }

  return TRUE;
}

static GdkPixbufFormat *
identify (const guint8  *data,
          gsize          length,
          GError       **error)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *description = NULL;
  GdkPixbufFormat *format;

  /* Only the content counts: a text file named .jpg is still text. */
  content_type = g_content_type_guess (NULL, data, MIN (length, SNIFF_LENGTH), NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  description = g_content_type_get_description (content_type);

  if (mime_type == NULL || !g_str_has_prefix (mime_type, "image/"))
    {
      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_NOT_IMAGE,
                   _("Not an image (%s)"), description);
      return NULL;
    }

  format = find_format (mime_type);
  if (format == NULL)
    {
      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_UNSUPPORTED,
                   _("Unsupported format (%s)"), description);
      return NULL;
    }

  return format;
}

/**
 * lk_image_load:
 * @path: the file
 * @long_side: about how many pixels the long side of the result should
 *   have, or 0 for the full size; a smaller image is never enlarged
 * @original_width: (out) (optional): the width of the whole photo, upright
 * @original_height: (out) (optional): its height, upright
 * @error: a #LK_IMAGE_ERROR
 *
 * Decodes a photo at reduced size, letting the decoder do the scaling
 * where it can (JPEG), and turns it upright following its EXIF
 * orientation. Files over %LK_IMAGE_MAX_BYTES and images over
 * %LK_IMAGE_MAX_PIXELS are refused before their pixels are decoded.
 *
 * Returns: (transfer full): the upright image, or %NULL with @error set
 */
GdkPixbuf *
lk_image_load (const char  *path,
               int          long_side,
               int         *original_width,
               int         *original_height,
               GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *format_name = NULL;
  SizeRequest request = { long_side, 0, 0, FALSE };
  GdkPixbufFormat *format;
  GdkPixbuf *pixbuf;
  const char *orientation;
  gboolean written;
  gboolean closed;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_file (path, &contents, &length, error))
    return NULL;

  if (!(format = identify ((const guint8 *) contents, length, error)))
    return NULL;

  format_name = gdk_pixbuf_format_get_name (format);
  loader = gdk_pixbuf_loader_new_with_type (format_name, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_UNSUPPORTED,
                   _("Unsupported format (%s)"), local_error->message);
      return NULL;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &request);

  written = gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, &local_error);
  /* A loader must always be closed, even after an error. */
  closed = gdk_pixbuf_loader_close (loader, written ? &local_error : NULL);

  if (request.too_large)
    {
      g_set_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_TOO_LARGE,
                   _("Too large (%d x %d, over %d megapixels)"),
                   request.width, request.height, LK_IMAGE_MAX_PIXELS / 1000000);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!written || !closed || pixbuf == NULL || !is_complete (format_name, (const guint8 *) contents, length))
    {
      g_debug ("%s: %s", path, local_error != NULL ? local_error->message : "incomplete");
      g_set_error_literal (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_CORRUPT,
                           _("Truncated or corrupt"));
      return NULL;
    }

  /* Orientations 5 to 8 turn the photo by a quarter. */
  orientation = gdk_pixbuf_get_option (pixbuf, "orientation");
  if (orientation != NULL && g_ascii_strtoll (orientation, NULL, 10) >= 5)
    {
      int swap = request.width;

      request.width = request.height;
      request.height = swap;
    }

  if (original_width != NULL)
    *original_width = request.width;
  if (original_height != NULL)
    *original_height = request.height;

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}
