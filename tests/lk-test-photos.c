/* lk-test-photos.c: real face photos from Debian packages, and the
 * flawed photos and broken files the tests derive from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "lk-photo-analysis.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

GdkPixbuf *
lk_test_photo_load (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/**
 * lk_test_photo_save:
 *
 * Returns: (transfer full): the path of the JPEG written
 */
char *
lk_test_photo_save (GdkPixbuf  *pixbuf,
                    const char *dir,
                    const char *name,
                    int         quality)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *value = g_strdup_printf ("%d", quality);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", value, NULL);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/**
 * lk_test_photo_faces:
 * @prefix: the start of each file's name: “grace” gives grace-00.jpg…
 *
 * Writes @n_photos copies of the face photo at 600 × 700 in @dir, enough
 * for a training, and analyzes them.
 *
 * Returns: (transfer full): the #LkPhoto of each, in order
 */
GListStore *
lk_test_photo_faces (const char *dir,
                     const char *prefix,
                     guint       n_photos)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) sized = gdk_pixbuf_scale_simple (face, 600, 700, GDK_INTERP_BILINEAR);
  GListStore *photos = g_list_store_new (LK_TYPE_PHOTO);

  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%02u.jpg", prefix, i);
      g_autofree char *path = lk_test_photo_save (sized, dir, name, 85);
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPhoto) photo = lk_photo_analyze (path, NULL, 0, &error);

      g_assert_no_error (error);
      g_list_store_append (photos, photo);
    }

  return photos;
}

/* One pass of a box blur along rows (@step 1) or columns. */
static void
box_pass (guint8 *pixels,
          int     length,
          int     lines,
          gsize   step,
          gsize   line_step,
          int     channels,
          int     radius)
{
  g_autofree int *line = g_new (int, (gsize) length * channels);

  for (int l = 0; l < lines; l++)
    {
      guint8 *start = pixels + l * line_step;

      for (int i = 0; i < length; i++)
        for (int c = 0; c < channels; c++)
          line[i * channels + c] = start[i * step + c];

      for (int i = 0; i < length; i++)
        for (int c = 0; c < channels; c++)
          {
            int sum = 0;

            for (int k = -radius; k <= radius; k++)
              sum += line[CLAMP (i + k, 0, length - 1) * channels + c];
            start[i * step + c] = (guint8) (sum / (2 * radius + 1));
          }
    }
}

/**
 * lk_test_photo_blur:
 *
 * Three box blurs, close to a Gaussian blur of about @radius pixels.
 *
 * Returns: (transfer full): the blurred copy
 */
GdkPixbuf *
lk_test_photo_blur (GdkPixbuf *pixbuf,
                    int        radius)
{
  GdkPixbuf *copy = gdk_pixbuf_copy (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (copy);
  int channels = gdk_pixbuf_get_n_channels (copy);
  int width = gdk_pixbuf_get_width (copy);
  int height = gdk_pixbuf_get_height (copy);
  gsize stride = gdk_pixbuf_get_rowstride (copy);

  for (int pass = 0; pass < 3; pass++)
    {
      box_pass (pixels, width, height, channels, stride, channels, radius);
      box_pass (pixels, height, width, stride, channels, channels, radius);
    }

  return copy;
}

/**
 * lk_test_photo_brightness:
 *
 * Returns: (transfer full): a copy with every channel multiplied by @factor
 */
GdkPixbuf *
lk_test_photo_brightness (GdkPixbuf *pixbuf,
                          double     factor)
{
  GdkPixbuf *copy = gdk_pixbuf_copy (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (copy);
  int channels = gdk_pixbuf_get_n_channels (copy);
  gsize stride = gdk_pixbuf_get_rowstride (copy);

  for (int y = 0; y < gdk_pixbuf_get_height (copy); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (copy); x++)
      for (int c = 0; c < 3; c++)
        {
          guint8 *p = pixels + y * stride + x * channels + c;

          *p = (guint8) CLAMP (*p * factor, 0.0, 255.0);
        }

  return copy;
}

/**
 * lk_test_photo_tilt:
 *
 * Turns the photo by @degrees around its centre, as a head tilted to one
 * side, filling the corners with grey.
 *
 * Returns: (transfer full): the tilted copy
 */
GdkPixbuf *
lk_test_photo_tilt (GdkPixbuf *pixbuf,
                    double     degrees)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gsize stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *in = gdk_pixbuf_read_pixels (pixbuf);
  GdkPixbuf *tilted = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *out = gdk_pixbuf_get_pixels (tilted);
  gsize out_stride = gdk_pixbuf_get_rowstride (tilted);
  double c = cos (degrees * G_PI / 180.0);
  double s = sin (degrees * G_PI / 180.0);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double dx = x - width / 2.0;
        double dy = y - height / 2.0;
        int sx = (int) (c * dx + s * dy + width / 2.0);
        int sy = (int) (-s * dx + c * dy + height / 2.0);

        for (int k = 0; k < 3; k++)
          out[y * out_stride + x * 3 + k] = sx >= 0 && sx < width && sy >= 0 && sy < height
                                            ? in[sy * stride + sx * channels + k] : 128;
      }

  return tilted;
}

char *
lk_test_photo_write (const char *dir,
                     const char *name,
                     const void *data,
                     gsize       length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static guint32
crc32 (const guint8 *data,
       gsize         length)
{
  guint32 crc = 0xFFFFFFFF;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));
    }

  return crc ^ 0xFFFFFFFF;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       length)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint32 be_length = GUINT32_TO_BE (length);
  guint32 be_crc;

  g_byte_array_append (body, (const guint8 *) type, 4);
  g_byte_array_append (body, data, length);
  be_crc = GUINT32_TO_BE (crc32 (body->data, body->len));

  g_byte_array_append (png, (const guint8 *) &be_length, 4);
  g_byte_array_append (png, body->data, body->len);
  g_byte_array_append (png, (const guint8 *) &be_crc, 4);
}

/**
 * lk_test_photo_png_bomb:
 *
 * Writes a tiny, valid PNG whose header claims @width by @height pixels:
 * a decoder that trusts it allocates the whole buffer.
 *
 * Returns: (transfer full): its path
 */
char *
lk_test_photo_png_bomb (const char *dir,
                        const char *name,
                        guint32     width,
                        guint32     height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  /* An empty zlib stream. */
  static const guint8 idat[] = { 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  guint8 ihdr[13] = { 0 };
  guint32 be_width = GUINT32_TO_BE (width);
  guint32 be_height = GUINT32_TO_BE (height);

  memcpy (ihdr, &be_width, 4);
  memcpy (ihdr + 4, &be_height, 4);
  ihdr[8] = 8;   /* bits per sample */
  ihdr[9] = 2;   /* RGB */

  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", idat, sizeof idat);
  append_chunk (png, "IEND", NULL, 0);

  return lk_test_photo_write (dir, name, png->data, png->len);
}

/**
 * lk_test_photo_exiftool:
 * @...: exiftool's arguments, then %NULL
 *
 * Runs exiftool (libimage-exiftool-perl) and checks that it succeeded.
 */
gboolean
lk_test_photo_exiftool (GError **error,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *standard_error = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "exiftool");
  g_ptr_array_add (argv, (gpointer) "-q");
  va_start (args, error);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &standard_error, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: ", standard_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_test_photo_add:
 *
 * Adds @path, a photo or a folder, to @scorer and waits until it is
 * scored.
 */
gboolean
lk_test_photo_add (LkPhotoScorer  *scorer,
                   const char     *path,
                   GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  lk_photo_scorer_add_async (scorer, &file, 1, NULL, lk_test_store_result, &result);
  return lk_photo_scorer_add_finish (scorer, lk_test_wait_for_result (&result), error);
}
