/* lk-photo-analysis.c: measuring one photo and turning the measurements
 * into a score and reasons in plain words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photo-analysis"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lk-image.h"
#include "lk-photo-analysis.h"

/* The score is the weighted mean of six parts, each 0 to 1:
 *
 *   sharpness   30  a blurred reference gives blurred likenesses
 *   face        25  one face, large enough to carry detail
 *   frontal     15  both eyes visible and a symmetric face
 *   exposure    15  neither too dark nor clipped, evenly lit
 *   resolution  10  short side of 1024 pixels or more
 *   noise        5  little sensor noise
 *
 * Without face detection, face and frontal drop out and the other
 * weights are scaled up to 100.
 *
 * Some flaws ruin a reference whatever else is right, so they also
 * scale the whole score down: blur and bad exposure each by up to a
 * half, and a photo without a face keeps only a fifth of its score, so
 * that it ranks below every photo with one. */
#define WEIGHT_SHARPNESS  30.0
#define WEIGHT_FACE       25.0
#define WEIGHT_FRONTAL    15.0
#define WEIGHT_EXPOSURE   15.0
#define WEIGHT_RESOLUTION 10.0
#define WEIGHT_NOISE       5.0
#define NO_FACE_FACTOR     0.2
/* Below this a photo is too flawed to serve as a reference at all. */
#define MIN_USABLE_SCORE  40.0

/* Faces are searched for on a smaller copy: cascades gain nothing from
 * more pixels than that, and it keeps detection fast. */
#define DETECTION_SIZE 320
#define MAX_FACES 8
/* Faces are compared at a fixed size, so photos of different sizes
 * measure alike; a photo without a face is measured whole, at a fixed
 * long side. */
#define FACE_SIZE 128
#define SYMMETRY_SIZE 64
#define EYE_REGION_WIDTH 240
#define WHOLE_SIZE 320

#define MIN_SHORT_SIDE 512
#define GOOD_SHORT_SIDE 1024
#define SMALL_FACE_SHARE 0.05

static void add_reason (GStrvBuilder *builder,
                        const char   *format,
                        ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (GStrvBuilder *builder,
            const char   *format,
            ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_strv_builder_add (builder, reason);
}

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
static guint
count_eyes (LkFaceDetector    *detector,
            const LkGrayImage *gray,
            const LkFaceRect  *face)
{
  g_autoptr(LkGrayImage) upper = NULL;
  LkFaceRect eyes[MAX_FACES];
  gboolean left = FALSE;
  gboolean right = FALSE;
  int height = EYE_REGION_WIDTH * (face->height * 11 / 20) / MAX (1, face->width);
  guint n;

  /* Only the upper half of the face box, and a little more for the
   * cascade's margin: eyes found lower down are nostrils or mouth
   * corners. The eye cascade finds eyes best at about this width. */
  upper = lk_gray_image_scale (gray, face->x, face->y, face->width, face->height * 11 / 20,
                               EYE_REGION_WIDTH, MAX (1, height));
  n = lk_face_detector_find_eyes (detector, upper->pixels, upper->width, upper->height,
                                  EYE_REGION_WIDTH / 10, eyes, G_N_ELEMENTS (eyes));

  for (guint i = 0; i < n; i++)
    {
      if (eyes[i].x + eyes[i].width / 2 < upper->width / 2)
        left = TRUE;
      else
        right = TRUE;
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
 * @problems: (out) (transfer full): what holds the photo back, worst first
 *
 * Returns: the score, 0 to 100
 */
double
lk_photo_score (LkPhotoMetrics *metrics,
                gboolean       *usable,
                GStrv          *problems)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int short_side = MIN (metrics->width, metrics->height);
  const LkExposure *exposure = &metrics->exposure;
  double mean_part;
  double clip_part;
  double balance_part;
  double total;
  double weights;
  double score;
  gboolean no_face = metrics->face_checked && metrics->faces == 0;

  metrics->resolution_part = ramp (short_side, MIN_SHORT_SIDE, GOOD_SHORT_SIDE);
  if (short_side < MIN_SHORT_SIDE)
    add_reason (builder, _("Low resolution (%d x %d)"), metrics->width, metrics->height);

  if (metrics->face_checked)
    {
      double symmetry_part = ramp (metrics->symmetry, 0.2, 0.7);

      metrics->face_part = metrics->faces == 0 ? 0.0 : 0.3 + 0.7 * ramp (metrics->face_share, 0.02, 0.08);
      if (metrics->faces > 1)
        metrics->face_part *= 0.6;
      metrics->frontal_part = metrics->faces == 0 ? 0.0 : 0.6 * metrics->eyes / 2.0 + 0.4 * symmetry_part;

      if (metrics->faces == 0)
        g_strv_builder_add (builder, _("No face found"));
      else if (metrics->faces > 1)
        g_strv_builder_add (builder, _("More than one face"));

      if (metrics->faces > 0 && metrics->face_share < SMALL_FACE_SHARE)
        add_reason (builder, _("Face too small (%d%% of the photo)"),
                    MAX (1, (int) round (metrics->face_share * 100)));
    }

  /* The Laplacian's relative variance grows about tenfold from soft to
   * crisp, so it is judged on a log scale. */
  metrics->sharpness_part = metrics->sharpness > 0.0 ? ramp (log10 (metrics->sharpness), log10 (0.008), log10 (0.12)) : 0.0;
  if (metrics->sharpness_part < 0.35)
    g_strv_builder_add (builder, _("Blurry"));

  if (metrics->faces > 0 && metrics->frontal_part < 0.5)
    g_strv_builder_add (builder, _("Face turned away"));

  mean_part = MIN (ramp (exposure->mean, 0.12, 0.35), 1.0 - ramp (exposure->mean, 0.7, 0.92));
  clip_part = 1.0 - ramp (exposure->shadows + exposure->highlights, 0.03, 0.3);
  /* Light from one side matters on a face; across a landscape it is
   * just the scene. */
  balance_part = metrics->faces > 0 ? 1.0 - ramp (exposure->balance, 0.12, 0.4) : 1.0;
  metrics->exposure_part = mean_part * clip_part * (0.7 + 0.3 * balance_part);

  if (exposure->mean < 0.25 || exposure->shadows > 0.25)
    g_strv_builder_add (builder, _("Too dark"));
  else if (exposure->mean > 0.8 || exposure->highlights > 0.2)
    g_strv_builder_add (builder, _("Overexposed"));
  if (balance_part < 0.5)
    g_strv_builder_add (builder, _("Uneven lighting"));

  metrics->noise_part = 1.0 - ramp (metrics->noise, 3.0, 12.0);
  if (metrics->noise_part < 0.4)
    g_strv_builder_add (builder, _("Noisy"));

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
          (no_face ? NO_FACE_FACTOR : 1.0);

  *usable = short_side >= MIN_SHORT_SIDE && !no_face && score >= MIN_USABLE_SCORE;
  *problems = g_strv_builder_end (builder);

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
  g_auto(GStrv) problems = NULL;
  LkPhotoMetrics metrics = { 0 };
  LkFaceRect box = { 0 };
  gboolean has_face = FALSE;
  LkPhoto *photo;
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

  score = lk_photo_score (&metrics, &usable, &problems);

  photo = lk_photo_new (path);
  lk_photo_set_analysis (photo, &metrics, score, usable, (const char * const *) problems);

  if (thumbnail_size > 0)
    {
      g_autoptr(GdkPixbuf) thumbnail = make_thumbnail (pixbuf, thumbnail_size);

      lk_photo_set_thumbnail (photo, thumbnail);
    }

  return photo;
}
