/* test-photo-scorer.c: ranking real face photos and the flawed photos and
 * broken files derived from them, as a person dropping a folder would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lk-image.h"
#include "lk-photo-analysis.h"
#include "lk-photo-scan.h"
#include "lk-photo-scorer.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

static const char *home;
static char *set_dir;
static LkPhotoScorer *ranked;

/* Adds @path and waits until it is scored; returns the error, if any. */
static GError *
add_path (LkPhotoScorer *scorer,
          const char    *path)
{
  GError *error = NULL;

  lk_test_photo_add (scorer, path, &error);
  return error;
}

static LkPhoto *
find (GListModel *model,
      const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (model, i);

      if (g_str_equal (lk_photo_get_name (photo), name))
        return photo;
    }

  return NULL;
}

static LkPhoto *
scored (const char *name)
{
  LkPhoto *photo = find (lk_photo_scorer_get_photos (ranked), name);

  if (photo == NULL)
    g_error ("%s was not scored", name);

  return photo;
}

static gboolean
has_reason (LkPhoto    *photo,
            const char *reason)
{
  g_auto(GStrv) reasons = lk_photo_get_reasons (photo);

  return g_strv_contains ((const char * const *) reasons, reason);
}

/* The drop folder, made once: the face photo as it is, flawed copies of
 * it, a copy with the head tilted (a different photo to the hash), a scene without
 * people, and files that are not photos at all. */
static void
make_photo_set (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) scene = lk_test_photo_load (LK_TEST_SCENE_PHOTO);
  g_autoptr(GdkPixbuf) scene_small = NULL;
  g_autoptr(GdkPixbuf) blurred = lk_test_photo_blur (face, 4);
  g_autoptr(GdkPixbuf) dark = lk_test_photo_brightness (face, 0.2);
  g_autoptr(GdkPixbuf) bright = lk_test_photo_brightness (face, 2.8);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_scale_simple (face, 400, 469, GDK_INTERP_BILINEAR);
  g_autoptr(GdkPixbuf) tilted = lk_test_photo_tilt (face, 15);
  g_autoptr(GdkPixbuf) sideways = gdk_pixbuf_rotate_simple (face, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
  g_autoptr(GdkPixbuf) retouched = lk_test_photo_brightness (face, 1.08);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *loop = NULL;
  gsize length;

  set_dir = g_build_filename (home, "drop", NULL);
  g_assert_cmpint (g_mkdir (set_dir, 0700), ==, 0);

  g_free (lk_test_photo_save (face, set_dir, "sharp.jpg", 95));
  g_free (lk_test_photo_save (blurred, set_dir, "blurred.jpg", 95));
  g_free (lk_test_photo_save (dark, set_dir, "dark.jpg", 95));
  g_free (lk_test_photo_save (bright, set_dir, "overexposed.jpg", 95));
  g_free (lk_test_photo_save (small, set_dir, "small.jpg", 95));
  g_free (lk_test_photo_save (tilted, set_dir, "tilted.jpg", 95));
  g_free (lk_test_photo_save (face, set_dir, "recompressed.jpg", 60));
  g_free (lk_test_photo_save (retouched, set_dir, "retouched.jpg", 80));

  /* Stored sideways with the EXIF tag that tells viewers to turn it. */
  rotated = lk_test_photo_save (sideways, set_dir, "rotated.jpg", 95);
  lk_test_photo_exiftool (&error, "-overwrite_original", "-n", "-Orientation=6", rotated, NULL);
  g_assert_no_error (error);

  scene_small = gdk_pixbuf_scale_simple (scene, 1600, 1600 * gdk_pixbuf_get_height (scene) / gdk_pixbuf_get_width (scene),
                                         GDK_INTERP_BILINEAR);
  g_free (lk_test_photo_save (scene_small, set_dir, "scene.jpg", 90));

  g_file_get_contents (LK_TEST_FACE_PHOTO, &contents, &length, &error);
  g_assert_no_error (error);
  g_free (lk_test_photo_write (set_dir, "truncated.jpg", contents, length / 2));
  g_free (lk_test_photo_write (set_dir, "empty.jpg", "", 0));
  g_free (lk_test_photo_write (set_dir, "notes.jpg", "Shopping list: milk, eggs\n", 26));
  g_free (lk_test_photo_png_bomb (set_dir, "bomb.png", 30000, 30000));
  hidden = lk_test_photo_save (face, set_dir, ".hidden.jpg", 90);

  /* A link back to the folder itself. */
  loop = g_build_filename (set_dir, "loop", NULL);
  g_assert_cmpint (symlink (".", loop), ==, 0);
}

static void
rank_photo_set (void)
{
  g_autoptr(GError) error = NULL;

  ranked = lk_photo_scorer_new ();
  error = add_path (ranked, set_dir);
  g_assert_no_error (error);
}

static void
test_create_destroy (void)
{
  LkPhotoScorer *scorer = lk_photo_scorer_new ();

  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)), ==, 0);
  g_assert_cmpuint (lk_photo_scorer_get_top_count (scorer), ==, LK_PHOTO_SCORER_DEFAULT_TOP);
  g_assert_false (lk_photo_scorer_get_busy (scorer));
  g_assert_cmpint (lk_photo_scorer_get_count (scorer), ==, LK_PHOTO_COUNT_NONE);
  g_assert_finalize_object (scorer);
}

static void
test_sharp_above_blurred (void)
{
  LkPhoto *sharp = scored ("sharp.jpg");
  LkPhoto *blurred = scored ("blurred.jpg");

  g_assert_cmpfloat (lk_photo_get_score (sharp), >, lk_photo_get_score (blurred) + 10);
  g_assert_true (has_reason (blurred, "Blurry"));
  g_assert_false (has_reason (sharp, "Blurry"));
  g_assert_cmpfloat (lk_photo_get_metrics (sharp)->sharpness, >, 4 * lk_photo_get_metrics (blurred)->sharpness);
}

static void
test_exposure (void)
{
  LkPhoto *sharp = scored ("sharp.jpg");
  LkPhoto *dark = scored ("dark.jpg");
  LkPhoto *bright = scored ("overexposed.jpg");

  g_assert_cmpfloat (lk_photo_get_score (sharp), >, lk_photo_get_score (dark) + 5);
  g_assert_cmpfloat (lk_photo_get_score (sharp), >, lk_photo_get_score (bright) + 5);
  g_assert_true (has_reason (dark, "Too dark"));
  g_assert_true (has_reason (bright, "Overexposed"));
  g_assert_false (has_reason (sharp, "Too dark"));
  g_assert_false (has_reason (sharp, "Overexposed"));

  /* The face still looks at the camera: in the dark the eyes cannot be
   * seen, which says nothing about the pose. */
  g_assert_false (has_reason (dark, "Face turned away"));
  g_assert_false (has_reason (bright, "Face turned away"));
}

static void
test_low_resolution (void)
{
  LkPhoto *small = scored ("small.jpg");
  LkPhoto *sharp = scored ("sharp.jpg");

  g_assert_cmpstr (lk_photo_get_main_reason (small), ==, "Low resolution (400 x 469)");
  g_assert_false (lk_photo_get_usable (small));
  g_assert_false (lk_photo_get_recommended (small));
  /* However good it looks otherwise, it scores like the unusable photo
   * it is: below every usable one. */
  g_assert_cmpfloat (lk_photo_get_score (small), <=, 20);
  g_assert_cmpfloat (lk_photo_get_score (small), <, lk_photo_get_score (scored ("dark.jpg")));

  /* 512 x 600 is just enough: usable, but short of the 1024 pixels that
   * keep the most detail, which is no reason to turn it down. */
  g_assert_true (lk_photo_get_usable (sharp));
  g_assert_cmpfloat (lk_photo_get_metrics (sharp)->resolution_part, <, 0.1);
  g_assert_false (has_reason (sharp, "Low resolution (512 x 600)"));
}

typedef struct
{
  const char *name;
  int         short_side;
  gboolean    usable;
  double      resolution_part;
} ResolutionCase;

static const ResolutionCase resolution_cases[] = {
  { "511", 511, FALSE, 0.0 },
  { "512", 512, TRUE, 0.0 },
  { "768", 768, TRUE, 0.5 },
  { "1024", 1024, TRUE, 1.0 },
  { "4000", 4000, TRUE, 1.0 },
};

/* What the scorer would measure on a good portrait. */
static LkPhotoMetrics
good_portrait (int short_side)
{
  LkPhotoMetrics metrics = {
    .width = short_side,
    .height = short_side * 4 / 3,
    .face_checked = TRUE,
    .faces = 1,
    .face_share = 0.2,
    .eyes = 2,
    .symmetry = 0.85,
    .sharpness = 0.3,
    .exposure = { .mean = 0.5 },
    .noise = 1.0,
  };

  return metrics;
}

/* The bands of the short side: unusable under 512 pixels, usable but
 * counted lower up to 1024, best from there. */
static void
test_resolution_bands (gconstpointer data)
{
  const ResolutionCase *test = data;
  LkPhotoMetrics metrics = good_portrait (test->short_side);
  LkPhotoFlaws flaws;
  gboolean usable;
  double score;

  score = lk_photo_score (&metrics, &usable, &flaws);

  g_assert_cmpint (usable, ==, test->usable);
  g_assert_cmpint (!!(flaws & LK_PHOTO_FLAW_LOW_RESOLUTION), ==, !test->usable);
  g_assert_cmpfloat_with_epsilon (metrics.resolution_part, test->resolution_part, 0.01);
  if (test->usable)
    g_assert_cmpfloat (score, >=, 90);
  else
    g_assert_cmpfloat (score, <=, 20);
}

typedef struct
{
  const char   *name;
  guint         eyes;
  double        symmetry;
  double        sharpness;
  double        brightness;
  LkPhotoFlaws  flaws;
} PoseCase;

#define POSE_FLAWS (LK_PHOTO_FLAW_TURNED_AWAY | LK_PHOTO_FLAW_BLURRY | LK_PHOTO_FLAW_DARK)

static const PoseCase pose_cases[] = {
  { "frontal", 2, 0.85, 0.3, 0.5, 0 },
  /* An eye missed on a symmetric face does not make it turned away. */
  { "one-eye-missed", 1, 0.85, 0.3, 0.5, 0 },
  { "turned-away", 0, 0.3, 0.3, 0.5, LK_PHOTO_FLAW_TURNED_AWAY },
  /* Too dark or blurred for the eyes to show: the photo says so, and
   * nothing about the pose. */
  { "turned-away-in-the-dark", 0, 0.3, 0.3, 0.08, LK_PHOTO_FLAW_DARK },
  { "turned-away-blurred", 0, 0.3, 0.004, 0.5, LK_PHOTO_FLAW_BLURRY },
};

static void
test_pose_verdict (gconstpointer data)
{
  const PoseCase *test = data;
  LkPhotoMetrics metrics = good_portrait (1024);
  LkPhotoFlaws flaws;
  gboolean usable;

  metrics.eyes = test->eyes;
  metrics.symmetry = test->symmetry;
  metrics.sharpness = test->sharpness;
  metrics.exposure.mean = test->brightness;
  lk_photo_score (&metrics, &usable, &flaws);

  g_assert_cmphex (flaws & POSE_FLAWS, ==, test->flaws);
}

static void
test_faces (void)
{
  LkPhoto *sharp = scored ("sharp.jpg");
  LkPhoto *scene = scored ("scene.jpg");
  const LkPhotoMetrics *m = lk_photo_get_metrics (sharp);
  int x, y, width, height;

  if (!lk_photo_scorer_get_face_checks (ranked))
    {
      g_test_skip ("Face checks are unavailable in this build");
      return;
    }

  g_assert_cmpuint (m->faces, ==, 1);
  g_assert_true (lk_photo_get_face_box (sharp, &x, &y, &width, &height));
  /* Grace Hopper's face is in the upper middle of the 512 x 600 portrait. */
  g_assert_cmpint (x, >, 100);
  g_assert_cmpint (x + width, <, 420);
  g_assert_cmpint (y, >, 50);
  g_assert_cmpint (y + height, <, 400);
  g_assert_cmpfloat (m->face_share, >, 0.1);
  g_assert_cmpuint (m->eyes, >=, 1);
  g_assert_false (has_reason (sharp, "Face turned away"));

  g_assert_cmpuint (lk_photo_get_metrics (scene)->faces, ==, 0);
  g_assert_cmpstr (lk_photo_get_main_reason (scene), ==, "No face found");
  g_assert_false (lk_photo_get_usable (scene));
  g_assert_cmpfloat (lk_photo_get_score (scene), <, lk_photo_get_score (scored ("blurred.jpg")));
}

static void
test_exif_orientation (void)
{
  LkPhoto *upright = scored ("sharp.jpg");
  LkPhoto *rotated = scored ("rotated.jpg");
  const LkPhotoMetrics *m = lk_photo_get_metrics (rotated);

  /* Turned upright: the same size and the same face as the original. */
  g_assert_cmpint (m->width, ==, 512);
  g_assert_cmpint (m->height, ==, 600);
  g_assert_cmpfloat_with_epsilon (lk_photo_get_score (rotated), lk_photo_get_score (upright), 5.0);
  if (lk_photo_scorer_get_face_checks (ranked))
    g_assert_cmpuint (m->faces, ==, 1);
}

static void
test_near_duplicates (void)
{
  LkPhoto *sharp = scored ("sharp.jpg");
  const char * const copies[] = { "recompressed.jpg", "retouched.jpg", "rotated.jpg" };
  LkPhoto *tilted = scored ("tilted.jpg");
  g_autoptr(GPtrArray) ranking = lk_photo_scorer_dup_ranking (ranked);
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);
  guint recommended_in_group = 0;

  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      LkPhoto *copy = scored (copies[i]);

      g_assert_cmpuint (lk_photo_get_group (copy), ==, lk_photo_get_group (sharp));
    }

  for (guint i = 0; i < ranking->len; i++)
    {
      LkPhoto *photo = g_ptr_array_index (ranking, i);

      g_assert_cmpuint (lk_photo_get_rank (photo), ==, i + 1);
      if (lk_photo_get_recommended (photo))
        {
          /* Recommended photos come first, one per group. */
          g_assert_cmpuint (i, <, lk_photo_scorer_get_n_recommended (ranked));
          g_assert_true (g_hash_table_add (groups, GUINT_TO_POINTER (lk_photo_get_group (photo))));
          recommended_in_group += lk_photo_get_group (photo) == lk_photo_get_group (sharp);
        }
    }

  g_assert_cmpuint (recommended_in_group, ==, 1);
  /* With the head tilted, the face is different enough to count as
   * another photo, and it is good too. */
  g_assert_cmpuint (lk_photo_get_group (tilted), !=, lk_photo_get_group (sharp));
  g_assert_true (lk_photo_get_recommended (tilted));
  /* Without face checks, the scene counts as a usable photo too. */
  g_assert_cmpuint (lk_photo_scorer_get_n_recommended (ranked), ==,
                    lk_photo_scorer_get_face_checks (ranked) ? 2 : 3);

  /* Every copy but the best says which photo it repeats. */
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      LkPhoto *copy = scored (copies[i]);

      if (!lk_photo_get_recommended (copy))
        {
          g_autofree char *reason = NULL;
          g_autofree char *name = g_path_get_basename (lk_photo_get_duplicate_of (copy));

          reason = g_strdup_printf ("Near-duplicate of %s", name);
          g_assert_true (has_reason (copy, reason));
        }
    }
}

/* The order a person expects: their pins, the other recommended
 * photos, every other photo, and what they excluded; by score, best
 * first, within each. */
static void
assert_ranking_order (LkPhotoScorer *scorer)
{
  g_autoptr(GPtrArray) ranking = lk_photo_scorer_dup_ranking (scorer);
  int previous_place = 0;
  double previous_score = G_MAXDOUBLE;

  for (guint i = 0; i < ranking->len; i++)
    {
      LkPhoto *photo = g_ptr_array_index (ranking, i);
      int place = lk_photo_get_pinned (photo) ? 0 :
                  lk_photo_get_recommended (photo) ? 1 :
                  lk_photo_get_excluded (photo) ? 3 : 2;

      g_assert_cmpuint (lk_photo_get_rank (photo), ==, i + 1);
      g_assert_cmpint (place, >=, previous_place);
      if (place > previous_place)
        previous_score = G_MAXDOUBLE;
      g_assert_cmpfloat (lk_photo_get_score (photo), <=, previous_score);

      previous_place = place;
      previous_score = lk_photo_get_score (photo);
    }
}

static void
test_ranking_order (void)
{
  LkPhoto *blurred = scored ("blurred.jpg");
  LkPhoto *tilted = scored ("tilted.jpg");
  LkPhoto *small = scored ("small.jpg");
  g_autoptr(GPtrArray) ranking = NULL;

  assert_ranking_order (ranked);

  /* A pin goes first, above better recommended photos; an exclusion
   * last, below photos that cannot be used. */
  lk_photo_set_pinned (blurred, TRUE);
  lk_photo_set_excluded (small, TRUE);
  ranking = lk_photo_scorer_dup_ranking (ranked);
  g_assert_true (g_ptr_array_index (ranking, 0) == blurred);
  g_assert_true (g_ptr_array_index (ranking, 1) == tilted);
  g_assert_true (lk_photo_get_recommended (tilted));
  g_assert_true (g_ptr_array_index (ranking, ranking->len - 1) == small);
  assert_ranking_order (ranked);

  lk_photo_set_pinned (blurred, FALSE);
  lk_photo_set_excluded (small, FALSE);
  assert_ranking_order (ranked);
}

/* The main reason is the worst flaw: a photo that cannot be used says
 * why first, then a near-duplicate says which photo it repeats, before
 * what else is wrong with it. */
static void
test_main_reasons (void)
{
  LkPhoto *blurred = scored ("blurred.jpg");
  g_autofree char *better = NULL;
  g_autofree char *repeats = NULL;
  g_auto(GStrv) reasons = NULL;

  g_assert_cmpstr (lk_photo_get_main_reason (scored ("small.jpg")), ==, "Low resolution (400 x 469)");
  g_assert_null (lk_photo_get_main_reason (scored ("tilted.jpg")));

  if (!lk_photo_scorer_get_face_checks (ranked))
    {
      g_test_skip ("Face checks are unavailable in this build");
      return;
    }

  g_assert_cmpstr (lk_photo_get_main_reason (scored ("scene.jpg")), ==, "No face found");

  g_assert_nonnull (lk_photo_get_duplicate_of (blurred));
  better = g_path_get_basename (lk_photo_get_duplicate_of (blurred));
  repeats = g_strdup_printf ("Near-duplicate of %s", better);
  reasons = lk_photo_get_reasons (blurred);
  g_assert_cmpuint (g_strv_length (reasons), ==, 2);
  g_assert_cmpstr (reasons[0], ==, repeats);
  g_assert_cmpstr (reasons[1], ==, "Blurry");
}

typedef struct
{
  const char *name;
  const char *original;
  gboolean    usable;
} CopyCase;

/* Copies a person would not tell from their original, as a messaging app
 * or a photo library makes them. */
static const CopyCase copy_cases[] = {
  { "original-q70.jpg", "original.jpg", TRUE },
  { "original-90.jpg", "original.jpg", FALSE },
  { "large-q70.jpg", "large.jpg", TRUE },
  { "large-90.jpg", "large.jpg", TRUE },
};

typedef struct
{
  const char *name;
  double      brightness;
  int         blur;
  const char *reason;
} HiddenPoseCase;

/* Faces too dark or too blurred for their eyes to be found. */
static const HiddenPoseCase hidden_pose_cases[] = {
  { "dark-10.jpg", 0.1, 0, "Too dark" },
  { "dark-15.jpg", 0.15, 0, "Too dark" },
  { "dark-20.jpg", 0.2, 0, "Too dark" },
  { "dark-25.jpg", 0.25, 0, "Too dark" },
  { "blurred-4.jpg", 1.0, 4, "Blurry" },
  { "blurred-6.jpg", 1.0, 6, "Blurry" },
};

static LkPhotoScorer *copies_ranked;

static void
rank_copies (void)
{
  g_autoptr(GdkPixbuf) original = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) large = NULL;
  g_autoptr(GdkPixbuf) original_90 = NULL;
  g_autoptr(GdkPixbuf) large_90 = NULL;
  g_autofree char *dir = g_build_filename (home, "one-photo", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  int width = gdk_pixbuf_get_width (original);
  int height = gdk_pixbuf_get_height (original);
  gsize length;

  large = gdk_pixbuf_scale_simple (original, 2 * width, 2 * height, GDK_INTERP_BILINEAR);
  original_90 = gdk_pixbuf_scale_simple (original, width * 9 / 10, height * 9 / 10, GDK_INTERP_BILINEAR);
  large_90 = gdk_pixbuf_scale_simple (large, 2 * width * 9 / 10, 2 * height * 9 / 10, GDK_INTERP_BILINEAR);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (LK_TEST_FACE_PHOTO, &contents, &length, NULL));
  g_free (lk_test_photo_write (dir, "original.jpg", contents, length));
  g_free (lk_test_photo_save (original, dir, "original-q70.jpg", 70));
  g_free (lk_test_photo_save (original_90, dir, "original-90.jpg", 90));
  g_free (lk_test_photo_save (large, dir, "large.jpg", 95));
  g_free (lk_test_photo_save (large, dir, "large-q70.jpg", 70));
  g_free (lk_test_photo_save (large_90, dir, "large-90.jpg", 90));

  for (guint i = 0; i < G_N_ELEMENTS (hidden_pose_cases); i++)
    {
      const HiddenPoseCase *test = &hidden_pose_cases[i];
      g_autoptr(GdkPixbuf) dimmed = lk_test_photo_brightness (original, test->brightness);
      g_autoptr(GdkPixbuf) flawed = test->blur > 0 ? lk_test_photo_blur (dimmed, test->blur) : g_object_ref (dimmed);

      g_free (lk_test_photo_save (flawed, dir, test->name, 95));
    }

  copies_ranked = lk_photo_scorer_new ();
  error = add_path (copies_ranked, dir);
  g_assert_no_error (error);
}

/* A copy re-encoded or slightly resized is the same pose as its
 * original, and as good a reference, but for the size when it drops
 * under 512 pixels. */
static void
test_copies_judged_alike (gconstpointer data)
{
  const CopyCase *test = data;
  LkPhoto *copy = find (lk_photo_scorer_get_photos (copies_ranked), test->name);
  LkPhoto *original = find (lk_photo_scorer_get_photos (copies_ranked), test->original);
  const LkPhotoMetrics *mc = lk_photo_get_metrics (copy);
  const LkPhotoMetrics *mo = lk_photo_get_metrics (original);

  if (!lk_photo_scorer_get_face_checks (copies_ranked))
    {
      g_test_skip ("Face checks are unavailable in this build");
      return;
    }

  g_assert_cmpuint (mc->faces, ==, 1);
  g_assert_false (has_reason (original, "Face turned away"));
  g_assert_false (has_reason (copy, "Face turned away"));
  g_assert_cmpuint (mc->eyes, ==, mo->eyes);
  g_assert_cmpfloat_with_epsilon (mc->frontal_part, mo->frontal_part, 0.1);

  g_assert_cmpint (lk_photo_get_usable (copy), ==, test->usable);
  if (test->usable)
    g_assert_cmpfloat_with_epsilon (lk_photo_get_score (copy), lk_photo_get_score (original), 3.0);
  else
    g_assert_true (g_str_has_prefix (lk_photo_get_main_reason (copy), "Low resolution"));
}

/* The photo says what hides the face, not that the face is turned
 * away: it looks at the camera. */
static void
test_hidden_pose (gconstpointer data)
{
  const HiddenPoseCase *test = data;
  LkPhoto *photo = find (lk_photo_scorer_get_photos (copies_ranked), test->name);

  if (!lk_photo_scorer_get_face_checks (copies_ranked))
    {
      g_test_skip ("Face checks are unavailable in this build");
      return;
    }

  g_assert_cmpuint (lk_photo_get_metrics (photo)->faces, ==, 1);
  g_assert_true (has_reason (photo, test->reason));
  g_assert_false (has_reason (photo, "Face turned away"));
}

static void
test_pin_exclude (void)
{
  LkPhoto *blurred = scored ("blurred.jpg");
  LkPhoto *tilted = scored ("tilted.jpg");

  lk_photo_set_pinned (blurred, TRUE);
  lk_photo_set_excluded (tilted, TRUE);
  g_assert_true (lk_test_wait_for ((gboolean (*) (gpointer)) lk_photo_get_recommended, blurred, 5000));
  /* The pin stands for its group: no other copy of the face is added. */
  for (guint i = 0; i < g_list_model_get_n_items (lk_photo_scorer_get_photos (ranked)); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (lk_photo_scorer_get_photos (ranked), i);

      if (photo != blurred && lk_photo_get_group (photo) == lk_photo_get_group (blurred))
        g_assert_false (lk_photo_get_recommended (photo));
    }
  g_assert_false (lk_photo_get_recommended (scored ("sharp.jpg")));
  g_assert_false (lk_photo_get_recommended (tilted));
  g_assert_cmpuint (lk_photo_get_rank (tilted), ==, g_list_model_get_n_items (lk_photo_scorer_get_photos (ranked)));

  lk_photo_set_pinned (blurred, FALSE);
  lk_photo_set_excluded (tilted, FALSE);
  g_assert_true (lk_test_wait_for ((gboolean (*) (gpointer)) lk_photo_get_recommended, tilted, 5000));
  g_assert_false (lk_photo_get_recommended (blurred));
}

typedef struct
{
  const char *name;
  const char *reason;
} SkipCase;

static const SkipCase skip_cases[] = {
  { "truncated.jpg", "Truncated or corrupt" },
  { "empty.jpg", "Empty file" },
  { "notes.jpg", "Not an image (plain text document)" },
  { "bomb.png", "Too large (30000 x 30000, over 100 megapixels)" },
  { "loop", "Link that loops back on itself" },
};

static void
test_skipped (gconstpointer data)
{
  const SkipCase *test = data;
  LkPhoto *photo = find (lk_photo_scorer_get_skipped (ranked), test->name);

  g_assert_nonnull (photo);
  g_assert_cmpstr (lk_photo_get_skip_reason (photo), ==, test->reason);
  g_assert_null (find (lk_photo_scorer_get_photos (ranked), test->name));
}

static void
test_nothing_silently_dropped (void)
{
  /* Every file in the folder is either scored or skipped, but for the
   * hidden one; nothing is listed twice. */
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_photos (ranked)), ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_skipped (ranked)), ==, G_N_ELEMENTS (skip_cases));
  g_assert_null (find (lk_photo_scorer_get_photos (ranked), ".hidden.jpg"));
  g_assert_null (find (lk_photo_scorer_get_skipped (ranked), ".hidden.jpg"));
}

static void
test_bomb_not_allocated (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *bomb = g_build_filename (set_dir, "bomb.png", NULL);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) error = NULL;

#ifndef __SANITIZE_ADDRESS__
      /* 30000 x 30000 RGB would take 2.7 GB: with at most 1 GB more
       * address space, allocating it fails, and so would this test. */
      g_autofree char *statm = NULL;
      struct rlimit limit;
      guint64 pages;

      g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
      pages = g_ascii_strtoull (statm, NULL, 10);
      limit.rlim_cur = limit.rlim_max = pages * sysconf (_SC_PAGESIZE) + ((rlim_t) 1 << 30);
      g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
#endif

      pixbuf = lk_image_load (bomb, 1024, NULL, NULL, &error);
      g_assert_error (error, LK_IMAGE_ERROR, LK_IMAGE_ERROR_TOO_LARGE);
      g_assert_null (pixbuf);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_count_guidance (void)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autofree char *dir = g_build_filename (home, "copies", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("copy-%u.jpg", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (LK_TEST_FACE_PHOTO, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (path, contents, length, NULL));

      if (i == 3)
        {
          error = add_path (scorer, dir);
          g_assert_no_error (error);
          g_assert_cmpint (lk_photo_scorer_get_count (scorer), ==, LK_PHOTO_COUNT_TOO_FEW);
          g_assert_cmpstr (lk_photo_count_get_advice (LK_PHOTO_COUNT_TOO_FEW), !=,
                           lk_photo_count_get_advice (LK_PHOTO_COUNT_ENOUGH));
        }
    }

  /* The four files already there are kept once. */
  error = add_path (scorer, dir);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)), ==, 8);
  g_assert_cmpuint (lk_photo_scorer_get_n_usable (scorer), ==, 8);
  g_assert_cmpint (lk_photo_scorer_get_count (scorer), ==, LK_PHOTO_COUNT_ENOUGH);

  /* Identical copies make one group: one recommendation. */
  g_assert_cmpuint (lk_photo_scorer_get_n_recommended (scorer), ==, 1);
  summary = lk_photo_scorer_dup_summary (scorer);
  g_assert_cmpstr (summary, ==, "8 usable, 0 skipped, 1 recommended");
}

static void
test_scan_limits (void)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(GString) path = g_string_new (home);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *deepest = NULL;
  LkPhoto *skipped;

  g_string_append (path, "/deep");
  root = g_strdup (path->str);
  for (int depth = 1; depth <= LK_PHOTO_SCAN_MAX_DEPTH + 1; depth++)
    {
      g_autofree char *photo = NULL;

      g_string_append_printf (path, "/level-%d", depth);
      g_assert_cmpint (g_mkdir_with_parents (path->str, 0700), ==, 0);
      photo = g_build_filename (path->str, "face.jpg", NULL);
      g_assert_true (g_file_set_contents (photo, "", 0, NULL));
    }
  deepest = g_strdup (path->str);

  error = add_path (scorer, root);
  g_assert_no_error (error);

  /* Levels 1 to 8 are looked at (their files are empty), level 9 is not. */
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_skipped (scorer)), ==, LK_PHOTO_SCAN_MAX_DEPTH + 1);
  skipped = find (lk_photo_scorer_get_skipped (scorer), "level-9");
  g_assert_nonnull (skipped);
  g_assert_cmpstr (lk_photo_get_path (skipped), ==, deepest);
  g_assert_cmpstr (lk_photo_get_skip_reason (skipped), ==, "Folder nested too deep (more than 8 levels)");
}

static void
test_unreadable (void)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *dir = g_build_filename (home, "private", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  LkPhoto *photo;

  if (geteuid () == 0)
    {
      /* Permissions do not stop root, as in CI. */
      g_test_skip ("Running as root: a file without read permission is readable");
      return;
    }

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  path = lk_test_photo_save (face, dir, "locked.jpg", 90);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);

  error = add_path (scorer, dir);
  g_assert_no_error (error);
  photo = find (lk_photo_scorer_get_skipped (scorer), "locked.jpg");
  g_assert_nonnull (photo);
  g_assert_cmpstr (lk_photo_get_skip_reason (photo), ==, "Unreadable (no permission to read it)");
}

static void
test_clear_cancels (void)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (set_dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean busy_seen;

  lk_photo_scorer_add_async (scorer, &file, 1, NULL, lk_test_store_result, &result);
  busy_seen = lk_photo_scorer_get_busy (scorer);
  lk_photo_scorer_clear (scorer);

  g_assert_true (busy_seen);
  g_assert_false (lk_photo_scorer_add_finish (scorer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (lk_photo_scorer_get_busy (scorer));
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_skipped (scorer)), ==, 0);

  /* After a clear, the same folder can be added again. */
  g_clear_error (&error);
  error = add_path (scorer, set_dir);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)), ==, 10);
}

static void
test_without_face_checks (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(LkPhotoScorer) scorer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (set_dir, "sharp.jpg", NULL);
      LkPhoto *photo;

      g_setenv ("LK_HAARCASCADE_DIR", "/nonexistent", TRUE);
      scorer = lk_photo_scorer_new ();
      g_assert_false (lk_photo_scorer_get_face_checks (scorer));

      error = add_path (scorer, path);
      g_assert_no_error (error);
      photo = find (lk_photo_scorer_get_photos (scorer), "sharp.jpg");
      g_assert_false (lk_photo_get_metrics (photo)->face_checked);
      g_assert_true (lk_photo_get_usable (photo));
      g_assert_cmpfloat (lk_photo_get_score (photo), >, 60);
      g_assert_true (lk_photo_get_recommended (photo));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Adds a test for each row of @cases, a table whose rows start with
 * their name. */
static void
add_table (const char    *group,
           gconstpointer  cases,
           gsize          row_size,
           guint          n_rows,
           GTestDataFunc  test)
{
  for (guint i = 0; i < n_rows; i++)
    {
      gconstpointer row = (const char *) cases + i * row_size;
      g_autofree char *path = g_strdup_printf ("/lk/photo-scorer/%s/%s", group, *(const char * const *) row);

      g_test_add_data_func (path, row, test);
    }
}

#define add_cases(group, cases, test) add_table (group, cases, sizeof cases[0], G_N_ELEMENTS (cases), test)

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  make_photo_set ();
  if (!g_test_subprocess ())
    {
      rank_photo_set ();
      rank_copies ();
    }

  g_test_add_func ("/lk/photo-scorer/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/photo-scorer/sharp-above-blurred", test_sharp_above_blurred);
  g_test_add_func ("/lk/photo-scorer/exposure", test_exposure);
  g_test_add_func ("/lk/photo-scorer/low-resolution", test_low_resolution);
  add_cases ("resolution-bands", resolution_cases, test_resolution_bands);
  add_cases ("pose-verdict", pose_cases, test_pose_verdict);
  add_cases ("copies-judged-alike", copy_cases, test_copies_judged_alike);
  add_cases ("hidden-pose", hidden_pose_cases, test_hidden_pose);
  g_test_add_func ("/lk/photo-scorer/faces", test_faces);
  g_test_add_func ("/lk/photo-scorer/exif-orientation", test_exif_orientation);
  g_test_add_func ("/lk/photo-scorer/near-duplicates", test_near_duplicates);
  g_test_add_func ("/lk/photo-scorer/ranking-order", test_ranking_order);
  g_test_add_func ("/lk/photo-scorer/main-reasons", test_main_reasons);
  g_test_add_func ("/lk/photo-scorer/pin-exclude", test_pin_exclude);
  add_cases ("skipped", skip_cases, test_skipped);
  g_test_add_func ("/lk/photo-scorer/nothing-silently-dropped", test_nothing_silently_dropped);
  g_test_add_func ("/lk/photo-scorer/bomb-not-allocated", test_bomb_not_allocated);
  g_test_add_func ("/lk/photo-scorer/count-guidance", test_count_guidance);
  g_test_add_func ("/lk/photo-scorer/scan-limits", test_scan_limits);
  g_test_add_func ("/lk/photo-scorer/unreadable", test_unreadable);
  g_test_add_func ("/lk/photo-scorer/clear-cancels", test_clear_cancels);
  g_test_add_func ("/lk/photo-scorer/without-face-checks", test_without_face_checks);

  status = g_test_run ();
  g_clear_object (&ranked);
  g_clear_object (&copies_ranked);

  return status;
}
