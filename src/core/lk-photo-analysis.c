/* lk-photo-analysis.c: measuring one photo and turning the measurements
 * into a score and the flaws that hold it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photo-analysis"

#include "config.h"

#include <math.h>

#include "lk-image.h"
#include "lk-photo-analysis.h"

/* The score is the weighted mean of six parts, each 0 to 1:
 *
 *   sharpness   30  a blurred reference gives blurred likenesses
 *   face        25  one face, large enough to carry detail
 *   frontal     15  a symmetric face, and both eyes visible
 *   exposure    15  neither too dark nor clipped, evenly lit
 *   resolution  10  short side of 1024 pixels or more
 *   noise        5  little sensor noise
 *
 * Without face detection, face and frontal drop out and the other
 * weights are scaled up to 100.
 *
 * Some flaws ruin a reference whatever else is right, so they also
 * scale the whole score down: blur and bad exposure each by up to a
 * half, and the flaws that make a photo unusable (a short side under
 * 512 pixels, no face, more than one face) to a fifth, so that an
 * unusable photo scores 20 at most and ranks below every usable one. */
#define WEIGHT_SHARPNESS  30.0
#define WEIGHT_FACE       25.0
#define WEIGHT_FRONTAL    15.0
#define WEIGHT_EXPOSURE   15.0
#define WEIGHT_RESOLUTION 10.0
#define WEIGHT_NOISE       5.0
#define UNUSABLE_FACTOR    0.2
/* Below this a photo is too flawed to serve as a reference at all. */
#define MIN_USABLE_SCORE  40.0

#define UNUSABLE_FLAWS (LK_PHOTO_FLAW_LOW_RESOLUTION | LK_PHOTO_FLAW_NO_FACE | LK_PHOTO_FLAW_MANY_FACES)
/* On a face this blurred, dark or washed out, the eye cascades find
 * nothing whichever way the face looks. */
#define POSE_HIDING_FLAWS (LK_PHOTO_FLAW_BLURRY | LK_PHOTO_FLAW_DARK | LK_PHOTO_FLAW_OVEREXPOSED)

/* Faces are searched for on a smaller copy: cascades gain nothing from
 * more pixels than that, and it keeps detection fast. */
#define DETECTION_SIZE 320
#define MAX_FACES 8
/* Faces are compared at a fixed size, so photos of different sizes
 * measure alike; a photo without a face is measured whole, at a fixed
 * long side. Eyes are looked for in a face of a fixed size too, so
 * that the eye cascades see the same eyes in every copy of a photo. */
#define FACE_SIZE 128
#define SYMMETRY_SIZE 64
#define EYE_FACE_SIZE 240
#define WHOLE_SIZE 320

#define MIN_SHORT_SIDE 512
#define GOOD_SHORT_SIDE 1024
#define SMALL_FACE_SHARE 0.05

static double
ramp (double value,
      double low,
      double high)
{
  return CLAMP ((value - low) / (high - low), 0.0, 1.0);
}

static void
scale_rect (const LkFaceRect *rect,
            double            factor,
            LkFaceRect       *out)
{
  out->x = (int) (rect->x * factor);
  out->y = (int) (rect->y * factor);
  out->width = MAX (1, (int) (rect->width * factor));
  out->height = MAX (1, (int) (rect->height * factor));
}

#if HAVE_FACE_DETECTION
/* Notes on which side of the face each eye found is. */
static void
place_eyes (const LkFaceRect *eyes,
            guint             n,
            gboolean         *left,
            gboolean         *right)
{
  for (guint i = 0; i < n; i++)
    {
      /* Eyes sit below the top sixth of the face box: what is found
       * above is the hairline or the brim of a hat. */
      if (eyes[i].y + eyes[i].height / 2 < EYE_FACE_SIZE / 6)
        continue;

      if (eyes[i].x + eyes[i].width / 2 < EYE_FACE_SIZE / 2)
        *left = TRUE;
      else
        *right = TRUE;
    }
}

static guint
count_eyes (LkFaceDetector    *detector,
            const LkGrayImage *gray,
            const LkFaceRect  *face)
{
  g_autoptr(LkGrayImage) crop = NULL;
  LkFaceRect eyes[MAX_FACES];
  int upper = EYE_FACE_SIZE * 11 / 20;
  gboolean left = FALSE;
  gboolean right = FALSE;
  guint n;

  /* Only the upper half of the face box, and a little more for the
   * cascades' margin: eyes found lower down are nostrils or mouth
   * corners. Rows are stored one after the other, so the crop's first
   * rows make an image of their own. An eye spans a tenth to a third of
   * the face's width. */
  crop = lk_gray_image_scale (gray, face->x, face->y, face->width, face->height,
                              EYE_FACE_SIZE, EYE_FACE_SIZE);
  n = lk_face_detector_find_eyes (detector, crop->pixels, EYE_FACE_SIZE, upper,
                                  EYE_FACE_SIZE / 10, EYE_FACE_SIZE / 3, FALSE,
                                  eyes, G_N_ELEMENTS (eyes));
  place_eyes (eyes, n, &left, &right);

  /* The cascade for eyes behind glasses is the slower one, so it only
   * looks when the plain one missed an eye. */
  if (!left || !right)
    {
      n = lk_face_detector_find_eyes (detector, crop->pixels, EYE_FACE_SIZE, upper,
                                      EYE_FACE_SIZE / 10, EYE_FACE_SIZE / 3, TRUE,
                                      eyes, G_N_ELEMENTS (eyes));
      place_eyes (eyes, n, &left, &right);
    }

  return left + right;
}

/* Finds the largest face in @gray and measures its pose; returns the box
 * in @gray's pixels. */
static gboolean
find_face (LkFaceDetector    *detector,
           const LkGrayImage *gray,
           LkPhotoMetrics    *metrics,
           LkFaceRect        *box)
{
  g_autoptr(LkGrayImage) small = NULL;
  LkFaceRect faces[MAX_FACES];
  double factor = 1.0;
  int longest = MAX (gray->width, gray->height);
  guint n;

  if (longest > DETECTION_SIZE)
    {
      factor = (double) longest / DETECTION_SIZE;
      small = lk_gray_image_scale (gray, 0, 0, gray->width, gray->height,
                                   MAX (1, (int) (gray->width / factor)),
                                   MAX (1, (int) (gray->height / factor)));
    }
  else
    {
      small = lk_gray_image_scale (gray, 0, 0, gray->width, gray->height, gray->width, gray->height);
    }

  /* Faces under a tenth of the short side would be too small to use. */
  n = lk_face_detector_find_faces (detector, small->pixels, small->width, small->height,
                                   MAX (24, MIN (small->width, small->height) / 10),
                                   faces, G_N_ELEMENTS (faces));
  metrics->face_checked = TRUE;
  metrics->faces = n;
  if (n == 0)
    return FALSE;

  scale_rect (&faces[0], factor, box);
  metrics->face_share = (double) box->width * box->height / ((double) gray->width * gray->height);
  metrics->eyes = count_eyes (detector, gray, box);

  return TRUE;
}
#endif

/**
 * lk_photo_score:
 * @metrics: the measurements; the parts are filled in
 * @usable: (out): whether the photo can serve as a reference at all
 * @flaws: (out): what holds the photo back
 *
 * Returns: the score, 0 to 100
 */
double
lk_photo_score (LkPhotoMetrics *metrics,
                gboolean       *usable,
                LkPhotoFlaws   *flaws)
{
  int short_side = MIN (metrics->width, metrics->height);
  const LkExposure *exposure = &metrics->exposure;
  LkPhotoFlaws found = 0;
  double mean_part;
  double clip_part;
  double balance_part;
  double total;
  double weights;
  double score;

  metrics->resolution_part = ramp (short_side, MIN_SHORT_SIDE, GOOD_SHORT_SIDE);
  if (short_side < MIN_SHORT_SIDE)
    found |= LK_PHOTO_FLAW_LOW_RESOLUTION;

  if (metrics->face_checked)
    {
      metrics->face_part = metrics->faces == 0 ? 0.0 : 0.3 + 0.7 * ramp (metrics->face_share, 0.02, 0.08);

      if (metrics->faces == 0)
        found |= LK_PHOTO_FLAW_NO_FACE;
      else if (metrics->faces > 1)
        found |= LK_PHOTO_FLAW_MANY_FACES;

      if (metrics->faces > 0 && metrics->face_share < SMALL_FACE_SHARE)
        found |= LK_PHOTO_FLAW_SMALL_FACE;
    }

  /* The Laplacian's relative variance grows about tenfold from soft to
   * crisp, so it is judged on a log scale. */
  metrics->sharpness_part = metrics->sharpness > 0.0 ? ramp (log10 (metrics->sharpness), log10 (0.008), log10 (0.12)) : 0.0;
  if (metrics->sharpness_part < 0.35)
    found |= LK_PHOTO_FLAW_BLURRY;

  mean_part = MIN (ramp (exposure->mean, 0.12, 0.35), 1.0 - ramp (exposure->mean, 0.7, 0.92));
  clip_part = 1.0 - ramp (exposure->shadows + exposure->highlights, 0.03, 0.3);
  /* Light from one side matters on a face; across a landscape it is
   * just the scene. */
  balance_part = metrics->faces > 0 ? 1.0 - ramp (exposure->balance, 0.12, 0.4) : 1.0;
  metrics->exposure_part = mean_part * clip_part * (0.7 + 0.3 * balance_part);

  if (exposure->mean < 0.25 || exposure->shadows > 0.25)
    found |= LK_PHOTO_FLAW_DARK;
  else if (exposure->mean > 0.8 || exposure->highlights > 0.2)
    found |= LK_PHOTO_FLAW_OVEREXPOSED;
  if (balance_part < 0.5)
    found |= LK_PHOTO_FLAW_UNEVEN_LIGHT;

  /* Symmetry is the main sign of a face looking at the camera, and it
   * holds up on any face; the eyes back it up where the face is clear
   * enough for the eye cascades, and say nothing where it is not. */
  if (metrics->faces > 0)
    {
      double symmetry_part = ramp (metrics->symmetry, 0.2, 0.7);

      if (found & POSE_HIDING_FLAWS)
        {
          metrics->frontal_part = symmetry_part;
        }
      else
        {
          metrics->frontal_part = 0.6 * symmetry_part + 0.4 * metrics->eyes / 2.0;
          if (metrics->frontal_part < 0.5)
            found |= LK_PHOTO_FLAW_TURNED_AWAY;
        }
    }
  else
    {
      metrics->frontal_part = 0.0;
    }

  metrics->noise_part = 1.0 - ramp (metrics->noise, 3.0, 12.0);
  if (metrics->noise_part < 0.4)
    found |= LK_PHOTO_FLAW_NOISY;

  total = WEIGHT_SHARPNESS * metrics->sharpness_part +
          WEIGHT_EXPOSURE * metrics->exposure_part +
          WEIGHT_RESOLUTION * metrics->resolution_part +
          WEIGHT_NOISE * metrics->noise_part;
  weights = WEIGHT_SHARPNESS + WEIGHT_EXPOSURE + WEIGHT_RESOLUTION + WEIGHT_NOISE;

  if (metrics->face_checked)
    {
      total += WEIGHT_FACE * metrics->face_part + WEIGHT_FRONTAL * metrics->frontal_part;
      weights += WEIGHT_FACE + WEIGHT_FRONTAL;
    }

  score = 100.0 * total / weights *
          (0.5 + 0.5 * metrics->sharpness_part) *
          (0.5 + 0.5 * metrics->exposure_part) *
          (found & UNUSABLE_FLAWS ? UNUSABLE_FACTOR : 1.0);

  *usable = !(found & UNUSABLE_FLAWS) && score >= MIN_USABLE_SCORE;
  *flaws = found;

  return score;
}

static GdkPixbuf *
make_thumbnail (GdkPixbuf *pixbuf,
                int        size)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int longest = MAX (width, height);

  if (longest <= size)
    return g_object_ref (pixbuf);

  return gdk_pixbuf_scale_simple (pixbuf,
                                  MAX (1, width * size / longest),
                                  MAX (1, height * size / longest),
                                  GDK_INTERP_BILINEAR);
}

/**
 * lk_photo_analyze:
 * @path: the photo
 * @detector: (nullable): a face detector, or %NULL when face checks are
 *   unavailable; used by this thread alone for the duration of the call
 * @thumbnail_size: the long side of the thumbnail to make, or 0 for none
 * @error: a #LK_IMAGE_ERROR when the file is not a usable image
 *
 * Decodes the photo at about %LK_PHOTO_ANALYSIS_SIZE pixels and measures
 * it. Runs in a worker thread.
 *
 * Returns: (transfer full): the analyzed photo, or %NULL with @error set
 */
LkPhoto *
lk_photo_analyze (const char      *path,
                  LkFaceDetector  *detector,
                  int              thumbnail_size,
                  GError         **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(LkGrayImage) gray = NULL;
  g_autoptr(LkGrayImage) region = NULL;
  g_autoptr(LkGrayImage) mirror = NULL;
  LkPhotoMetrics metrics = { 0 };
  LkFaceRect box = { 0 };
  gboolean has_face = FALSE;
  LkPhoto *photo;
  LkPhotoFlaws flaws;
  gboolean usable;
  double score;
  double factor;

  g_return_val_if_fail (path != NULL, NULL);

  pixbuf = lk_image_load (path, LK_PHOTO_ANALYSIS_SIZE, &metrics.width, &metrics.height, error);
  if (pixbuf == NULL)
    return NULL;

  gray = lk_gray_image_new_from_pixbuf (pixbuf);
  factor = (double) metrics.width / gray->width;

#if HAVE_FACE_DETECTION
  if (detector != NULL)
    has_face = find_face (detector, gray, &metrics, &box);
#endif

  if (has_face)
    {
      LkFaceRect original;

      region = lk_gray_image_scale (gray, box.x, box.y, box.width, box.height, FACE_SIZE, FACE_SIZE);
      mirror = lk_gray_image_scale (region, 0, 0, FACE_SIZE, FACE_SIZE, SYMMETRY_SIZE, SYMMETRY_SIZE);
      metrics.symmetry = lk_gray_image_symmetry (mirror);

      scale_rect (&box, factor, &original);
      metrics.face_x = original.x;
      metrics.face_y = original.y;
      metrics.face_width = original.width;
      metrics.face_height = original.height;
    }
  else
    {
      int longest = MAX (gray->width, gray->height);

      region = lk_gray_image_scale (gray, 0, 0, gray->width, gray->height,
                                    MAX (1, gray->width * WHOLE_SIZE / longest),
                                    MAX (1, gray->height * WHOLE_SIZE / longest));
    }

  metrics.sharpness = lk_gray_image_laplacian_variance (region);
  lk_gray_image_exposure (region, &metrics.exposure);
  metrics.dhash = lk_gray_image_dhash (region);
  metrics.noise = lk_gray_image_noise (gray);

  score = lk_photo_score (&metrics, &usable, &flaws);

  photo = lk_photo_new (path);
  lk_photo_set_analysis (photo, &metrics, score, usable, flaws);

  if (thumbnail_size > 0)
    {
      g_autoptr(GdkPixbuf) thumbnail = make_thumbnail (pixbuf, thumbnail_size);

      lk_photo_set_thumbnail (photo, thumbnail);
    }

  return photo;
}
