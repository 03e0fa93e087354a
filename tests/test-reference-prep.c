/* test-reference-prep.c: the file uploaded for a reference photo: upright,
 * cropped to a portrait around the face, small enough, and without the
 * metadata that would give away where and when it was taken.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "lk-photo-analysis.h"
#include "lk-photo-scorer.h"
#include "lk-reference-prep.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

static const char *home;

/* Lists the JPEG's marker segments before the image data. */
static GArray *
jpeg_markers (GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  GArray *markers = g_array_new (FALSE, FALSE, sizeof (guint8));
  gsize i = 2;

  g_assert_cmpuint (length, >, 4);
  g_assert_cmpuint (data[0], ==, 0xFF);
  g_assert_cmpuint (data[1], ==, 0xD8);

  while (i + 4 <= length && data[i] == 0xFF && data[i + 1] != 0xDA)
    {
      g_array_append_val (markers, data[i + 1]);
      i += 2 + ((data[i + 2] << 8) | data[i + 3]);
    }

  return markers;
}

static GBytes *
prepare (LkReferencePrep *prep,
         LkPhoto         *photo)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  lk_reference_prep_prepare_async (prep, photo, NULL, lk_test_store_result, &result);
  bytes = lk_reference_prep_prepare_finish (prep, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);

  return bytes;
}

static void
test_create_destroy (void)
{
  LkReferencePrep *prep = lk_reference_prep_new ();

  g_assert_cmpint (lk_reference_prep_get_max_size (prep), ==, 1536);
  g_assert_cmpint (lk_reference_prep_get_quality (prep), ==, 92);
  g_assert_finalize_object (prep);
}

static void
test_strips_metadata (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) large = gdk_pixbuf_scale_simple (face, 2048, 2400, GDK_INTERP_BILINEAR);
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  g_autoptr(LkPhoto) photo = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) markers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autofree char *path = lk_test_photo_save (large, home, "located.jpg", 92);
  g_autofree char *prepared = NULL;
  g_autofree char *output = NULL;
  GdkPixbuf *result;
  int width, height;

  /* A phone's photo: where it was taken, by whom, with a comment. */
  lk_test_photo_exiftool (&error, "-overwrite_original",
                          "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
                          "-GPSLongitude=2.2945", "-GPSLongitudeRef=E",
                          "-Artist=Grace Hopper", "-XMP:Creator=Grace Hopper",
                          "-Comment=At the tower", path, NULL);
  g_assert_no_error (error);
  {
    g_autofree char *command = g_strdup_printf ("exiftool -s -s -s -GPSLatitude %s", path);
    g_autofree char *latitude = NULL;

    g_assert_true (g_spawn_command_line_sync (command, &latitude, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (latitude, !=, "");
  }

  photo = lk_photo_analyze (path, NULL, 0, &error);
  g_assert_no_error (error);
  bytes = prepare (prep, photo);

  markers = jpeg_markers (bytes);
  for (guint i = 0; i < markers->len; i++)
    {
      guint8 marker = g_array_index (markers, guint8, i);

      /* APP1 holds EXIF (with GPS) and XMP, APP13 IPTC, COM comments. */
      g_assert_cmpuint (marker, !=, 0xE1);
      g_assert_cmpuint (marker, !=, 0xED);
      g_assert_cmpuint (marker, !=, 0xFE);
    }

  /* exiftool agrees: nothing is left but the image. */
  prepared = lk_test_photo_write (home, "prepared.jpg", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  {
    g_autofree char *command = g_strdup_printf ("exiftool -s -s -s -GPS:all -XMP:all -Artist -Comment %s", prepared);

    g_assert_true (g_spawn_command_line_sync (command, &output, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (output, ==, "");
  }

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  result = gdk_pixbuf_loader_get_pixbuf (loader);
  width = gdk_pixbuf_get_width (result);
  height = gdk_pixbuf_get_height (result);
  g_assert_cmpint (MAX (width, height), <=, 1536);
  g_assert_cmpint (MAX (width, height), >=, 1024);
}

static void
test_portrait_crop (void)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) wide = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1600, 1200);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LkPhoto) photo = NULL;
  g_autofree char *path = NULL;
  GdkPixbuf *result;
  double aspect;

  if (!lk_photo_scorer_get_face_checks (scorer))
    {
      g_test_skip ("Face checks are unavailable in this build");
      return;
    }

  /* The portrait in the middle of a wide grey frame. */
  gdk_pixbuf_fill (wide, 0x808080ff);
  gdk_pixbuf_copy_area (face, 0, 0, 512, 600, wide, 544, 300);
  path = lk_test_photo_save (wide, home, "wide.jpg", 92);
  g_assert_true (lk_test_photo_add (scorer, path, &error));
  g_assert_no_error (error);
  photo = g_list_model_get_item (lk_photo_scorer_get_photos (scorer), 0);
  g_assert_true (lk_photo_get_face_box (photo, NULL, NULL, NULL, NULL));

  bytes = prepare (prep, photo);
  loader = gdk_pixbuf_loader_new ();
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  result = gdk_pixbuf_loader_get_pixbuf (loader);

  /* A 3:4 portrait around the face, not the wide frame. */
  aspect = (double) gdk_pixbuf_get_width (result) / gdk_pixbuf_get_height (result);
  g_assert_cmpfloat_with_epsilon (aspect, 0.75, 0.02);
  g_assert_cmpint (gdk_pixbuf_get_height (result), <=, 1200);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/reference-prep/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/reference-prep/strips-metadata", test_strips_metadata);
  g_test_add_func ("/lk/reference-prep/portrait-crop", test_portrait_crop);

  return g_test_run ();
}
