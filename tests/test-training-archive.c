/* test-training-archive.c: the zip a training learns from: prepared
 * photos without metadata, captions beside them, named by position, and
 * the size limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-test-photos.h"
#include "lk-test-utils.h"
#include "lk-training-archive.h"
#include "lk-training-plan.h"

static const char *home;

typedef struct
{
  char   *name;
  GBytes *data;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_bytes_unref (entry->data);
  g_free (entry);
}

static GPtrArray *
read_zip (const char *path)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *header;
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_filename (archive, path, 65536), ==, ARCHIVE_OK);

  while (archive_read_next_header (archive, &header) == ARCHIVE_OK)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      Entry *entry = g_new0 (Entry, 1);
      guint8 buffer[65536];
      la_ssize_t n;

      while ((n = archive_read_data (archive, buffer, sizeof buffer)) > 0)
        g_byte_array_append (data, buffer, n);
      g_assert_cmpint (n, ==, 0);

      entry->name = g_strdup (archive_entry_pathname (header));
      entry->data = g_byte_array_free_to_bytes (g_steal_pointer (&data));
      g_ptr_array_add (entries, entry);
    }

  g_assert_cmpint (archive_read_free (archive), ==, ARCHIVE_OK);
  return entries;
}

static GPtrArray *
images_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lk_training_image_free);
}

static void
add_image (GPtrArray  *images,
           const char *path,
           const char *caption)
{
  LkTrainingImage *image = g_new0 (LkTrainingImage, 1);

  image->path = g_strdup (path);
  image->caption = g_strdup (caption);
  g_ptr_array_add (images, image);
}

static char *
exiftool_tags (const char *path)
{
  g_autofree char *command = g_strdup_printf ("exiftool -s -s -s -EXIF:all -GPS:all -XMP:all -Artist -Comment %s", path);
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  g_assert_true (g_spawn_command_line_sync (command, &output, NULL, NULL, &error));
  g_assert_no_error (error);
  return output;
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Photos as a phone leaves them: large, located, signed, turned. */
static void
test_contents (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) large = gdk_pixbuf_scale_simple (face, 2048, 2400, GDK_INTERP_BILINEAR);
  g_autoptr(GdkPixbuf) medium = gdk_pixbuf_scale_simple (face, 900, 800, GDK_INTERP_BILINEAR);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_scale_simple (face, 600, 700, GDK_INTERP_BILINEAR);
  g_autofree char *located = lk_test_photo_save (large, home, "grace-at-the-harbour.jpg", 92);
  g_autofree char *turned = lk_test_photo_save (medium, home, "turned.jpg", 92);
  g_autofree char *png = g_build_filename (home, "small.png", NULL);
  g_autofree char *zip = g_build_filename (home, "training.zip", NULL);
  g_autofree char *tags = NULL;
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  g_autoptr(GPtrArray) images = images_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const names[] = {
    "photo-01.jpg", "photo-01.txt", "photo-02.jpg", "photo-03.jpg", "photo-03.txt",
  };
  goffset size = 0;
  GStatBuf buf;

  gdk_pixbuf_save (small, png, "png", &error, NULL);
  g_assert_no_error (error);
  lk_test_photo_exiftool (&error, "-overwrite_original",
                          "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
                          "-GPSLongitude=2.2945", "-GPSLongitudeRef=E",
                          "-Artist=Grace Hopper", "-XMP:Creator=Grace Hopper",
                          "-Comment=At the harbour", located, NULL);
  g_assert_no_error (error);
  lk_test_photo_exiftool (&error, "-overwrite_original", "-Orientation#=6", turned, NULL);
  g_assert_no_error (error);
  tags = exiftool_tags (located);
  g_assert_nonnull (strstr (tags, "Grace Hopper"));
  g_clear_pointer (&tags, g_free);

  add_image (images, located, "gracex42 at the harbour");
  add_image (images, turned, NULL);
  add_image (images, png, "gracex42 in a red coat");

  g_assert_true (lk_training_archive_write (zip, images, prep, LK_TRAINING_ARCHIVE_MAX_SIZE, &size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (zip, &buf), ==, 0);
  g_assert_cmpint (size, ==, buf.st_size);

  entries = read_zip (zip);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      /* Named by position: the original names say where and who. */
      g_assert_cmpstr (entry->name, ==, names[i]);
    }

  g_assert_cmpmem (g_bytes_get_data (((Entry *) entries->pdata[1])->data, NULL),
                   g_bytes_get_size (((Entry *) entries->pdata[1])->data),
                   "gracex42 at the harbour", strlen ("gracex42 at the harbour"));
  g_assert_cmpmem (g_bytes_get_data (((Entry *) entries->pdata[4])->data, NULL),
                   g_bytes_get_size (((Entry *) entries->pdata[4])->data),
                   "gracex42 in a red coat", strlen ("gracex42 in a red coat"));

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autofree char *written = NULL;
      g_autofree char *left = NULL;

      if (!g_str_has_suffix (entry->name, ".jpg"))
        continue;

      pixbuf = decode (entry->data);
      g_assert_cmpint (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), <=, 1536);

      /* Nothing is left but the image. */
      written = lk_test_photo_write (home, entry->name, g_bytes_get_data (entry->data, NULL),
                                     g_bytes_get_size (entry->data));
      left = exiftool_tags (written);
      g_assert_cmpstr (left, ==, "");

      if (g_str_equal (entry->name, "photo-01.jpg"))
        {
          /* Downscaled, whole: not a portrait crop. */
          g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >=, 1024);
          g_assert_cmpfloat_with_epsilon ((double) gdk_pixbuf_get_width (pixbuf) / gdk_pixbuf_get_height (pixbuf),
                                          2048.0 / 2400.0, 0.01);
        }
      else if (g_str_equal (entry->name, "photo-02.jpg"))
        {
          /* Upright, as the orientation tag said, then the tag is gone. */
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 800);
          g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 900);
        }
      else
        {
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 600);
        }
    }
}

static void
test_too_large (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *path = lk_test_photo_save (face, home, "face.jpg", 95);
  g_autofree char *zip = g_build_filename (home, "too-large.zip", NULL);
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  g_autoptr(GPtrArray) images = images_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    add_image (images, path, NULL);

  /* Refused as soon as the zip passes the limit, before the rest. */
  g_assert_false (lk_training_archive_write (zip, images, prep, 40 * 1024, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "40.0"));
  g_assert_nonnull (strstr (error->message, "KiB"));
}

static void
test_broken (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *good = lk_test_photo_save (face, home, "good.jpg", 90);
  g_autofree char *broken = lk_test_photo_write (home, "broken.jpg", "\xff\xd8\xff\xe0 not a jpeg", 15);
  g_autofree char *zip = g_build_filename (home, "broken.zip", NULL);
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  g_autoptr(GPtrArray) images = images_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  add_image (images, good, NULL);
  add_image (images, broken, NULL);

  g_assert_false (lk_training_archive_write (zip, images, prep, LK_TRAINING_ARCHIVE_MAX_SIZE, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "broken.jpg: "));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (lk_training_archive_write (zip, images, prep, LK_TRAINING_ARCHIVE_MAX_SIZE, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/training-archive/contents", test_contents);
  g_test_add_func ("/lk/training-archive/too-large", test_too_large);
  g_test_add_func ("/lk/training-archive/broken", test_broken);

  return g_test_run ();
}
