/* test-photo.c: one photo's state: what the person decides about it and
 * the reasons it gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-photo.h"
#include "lk-test-utils.h"

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_create_destroy (void)
{
  LkPhoto *photo = lk_photo_new ("/photos/IMG_0001.jpg");

  g_assert_cmpstr (lk_photo_get_name (photo), ==, "IMG_0001.jpg");
  g_assert_null (lk_photo_get_metrics (photo));
  g_assert_null (lk_photo_get_main_reason (photo));
  g_assert_false (lk_photo_get_face_box (photo, NULL, NULL, NULL, NULL));
  g_assert_finalize_object (photo);
}

static void
test_skipped (void)
{
  g_autoptr(LkPhoto) photo = lk_photo_new_skipped ("/photos/notes.txt", "Not an image (plain text document)");

  g_assert_cmpstr (lk_photo_get_skip_reason (photo), ==, "Not an image (plain text document)");
  g_assert_false (lk_photo_get_usable (photo));
}

static void
test_pin_exclude (void)
{
  g_autoptr(LkPhoto) photo = lk_photo_new ("/photos/IMG_0002.jpg");
  guint pinned_notified = 0;

  g_signal_connect (photo, "notify::pinned", G_CALLBACK (count_notify_cb), &pinned_notified);

  lk_photo_set_pinned (photo, TRUE);
  lk_photo_set_pinned (photo, TRUE);
  g_assert_cmpuint (pinned_notified, ==, 1);

  /* Excluding takes back the pin, and pinning the exclusion. */
  lk_photo_set_excluded (photo, TRUE);
  g_assert_false (lk_photo_get_pinned (photo));
  g_assert_cmpuint (pinned_notified, ==, 2);
  g_object_set (photo, "pinned", TRUE, NULL);
  g_assert_false (lk_photo_get_excluded (photo));
}

static void
test_reasons (void)
{
  g_autoptr(LkPhoto) photo = lk_photo_new ("/photos/IMG_0003.jpg");
  LkPhotoMetrics metrics = { .width = 3000, .height = 4000, .faces = 1, .face_x = 900,
                             .face_y = 800, .face_width = 1200, .face_height = 1200 };
  g_auto(GStrv) reasons = NULL;
  int x, width;

  lk_photo_set_analysis (photo, &metrics, 71.5, TRUE, LK_PHOTO_FLAW_BLURRY);
  g_assert_cmpstr (lk_photo_get_main_reason (photo), ==, "Blurry");

  /* Repeating a better photo says more than being blurred: the
   * near-duplicate comes first. */
  lk_photo_set_duplicate_of (photo, "/photos/IMG_0012.jpg");
  reasons = lk_photo_get_reasons (photo);
  g_assert_cmpuint (g_strv_length (reasons), ==, 2);
  g_assert_cmpstr (reasons[0], ==, "Near-duplicate of IMG_0012.jpg");
  g_assert_cmpstr (reasons[1], ==, "Blurry");
  g_assert_cmpstr (lk_photo_get_main_reason (photo), ==, "Near-duplicate of IMG_0012.jpg");
  g_assert_true (lk_photo_get_face_box (photo, &x, NULL, &width, NULL));
  g_assert_cmpint (x, ==, 900);
  g_assert_cmpint (width, ==, 1200);
  g_assert_cmpfloat (lk_photo_get_score (photo), ==, 71.5);
}

/* Every flaw at once comes out in the documented order of severity,
 * whichever order the flags were found in. */
static void
test_reasons_by_severity (void)
{
  g_autoptr(LkPhoto) photo = lk_photo_new ("/photos/IMG_0005.jpg");
  LkPhotoMetrics metrics = { .width = 480, .height = 640, .face_checked = TRUE, .faces = 2,
                             .face_share = 0.04 };
  const char * const expected[] = {
    "Low resolution (480 x 640)",
    "No face found",
    "More than one face",
    "Near-duplicate of IMG_0001.jpg",
    "Blurry",
    "Too dark",
    "Overexposed",
    "Face too small (4% of the photo)",
    "Face turned away",
    "Uneven lighting",
    "Noisy",
    NULL
  };
  g_auto(GStrv) reasons = NULL;

  lk_photo_set_analysis (photo, &metrics, 3.0, FALSE,
                         LK_PHOTO_FLAW_NOISY | LK_PHOTO_FLAW_UNEVEN_LIGHT | LK_PHOTO_FLAW_TURNED_AWAY |
                         LK_PHOTO_FLAW_SMALL_FACE | LK_PHOTO_FLAW_OVEREXPOSED | LK_PHOTO_FLAW_DARK |
                         LK_PHOTO_FLAW_BLURRY | LK_PHOTO_FLAW_MANY_FACES | LK_PHOTO_FLAW_NO_FACE |
                         LK_PHOTO_FLAW_LOW_RESOLUTION);
  lk_photo_set_duplicate_of (photo, "/photos/IMG_0001.jpg");

  reasons = lk_photo_get_reasons (photo);
  g_assert_cmpstrv (reasons, expected);
}

static void
test_json (void)
{
  g_autoptr(LkPhoto) photo = lk_photo_new ("/photos/IMG_0004.jpg");
  g_autoptr(LkPhoto) skipped = lk_photo_new_skipped ("/photos/notes.txt", "Empty file");
  LkPhotoMetrics metrics = { .width = 480, .height = 640, .face_checked = TRUE };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) skipped_node = NULL;
  JsonObject *object;

  lk_photo_set_analysis (photo, &metrics, 12.34, FALSE, LK_PHOTO_FLAW_DARK);
  lk_photo_set_rank (photo, 3);
  node = lk_photo_to_json (photo);
  object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, "/photos/IMG_0004.jpg");
  g_assert_cmpint (json_object_get_int_member (object, "rank"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (object, "score"), ==, 12.3);
  g_assert_cmpint (json_object_get_int_member (object, "faces"), ==, 0);
  g_assert_true (json_object_get_null_member (object, "face"));
  g_assert_true (json_object_get_null_member (object, "duplicate_of"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "reasons"), 0), ==, "Too dark");

  skipped_node = lk_photo_to_json (skipped);
  object = json_node_get_object (skipped_node);
  g_assert_true (json_object_get_boolean_member (object, "skipped"));
  g_assert_false (json_object_has_member (object, "score"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "reasons"), 0), ==, "Empty file");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/photo/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/photo/skipped", test_skipped);
  g_test_add_func ("/lk/photo/pin-exclude", test_pin_exclude);
  g_test_add_func ("/lk/photo/reasons", test_reasons);
  g_test_add_func ("/lk/photo/reasons-by-severity", test_reasons_by_severity);
  g_test_add_func ("/lk/photo/json", test_json);

  return g_test_run ();
}
