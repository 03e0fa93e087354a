/* lk-face-detector.cpp: a C interface to OpenCV's cascade classifiers for
 * frontal faces and eyes. Each detector is used by one thread at a time:
 * OpenCV's classifiers keep scratch state while they run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-face-detector"

#include "config.h"

#include <algorithm>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "lk-face-detector.h"

struct _LkFaceDetector
{
  cv::CascadeClassifier faces;
  cv::CascadeClassifier eyes;
  cv::CascadeClassifier eyeglasses;
};

static bool
load_cascade (cv::CascadeClassifier  &cascade,
              const char             *dir,
              const char             *name,
              GError                **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  try
    {
      if (cascade.load (path))
        return true;
    }
  catch (const cv::Exception &e)
    {
      g_debug ("%s: %s", path, e.what ());
    }

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               "Cannot load the face detection data %s", path);
  return false;
}

/**
 * lk_face_detector_new:
 * @cascade_dir: the folder holding OpenCV's Haar cascades
 *
 * Returns: (transfer full): a detector, or %NULL with @error set when the
 *   cascades are missing or unreadable
 */
LkFaceDetector *
lk_face_detector_new (const char  *cascade_dir,
                      GError     **error)
{
  LkFaceDetector *self;

  g_return_val_if_fail (cascade_dir != NULL, NULL);

  /* The scorer already runs one photo per core; OpenCV's own threads
   * would only compete with it. */
  cv::setNumThreads (1);

  self = new _LkFaceDetector ();
  if (!load_cascade (self->faces, cascade_dir, LK_FACE_CASCADE, error) ||
      !load_cascade (self->eyes, cascade_dir, LK_EYE_CASCADE, error) ||
      !load_cascade (self->eyeglasses, cascade_dir, LK_EYEGLASSES_CASCADE, error))
    {
      delete self;
      return NULL;
    }

  return self;
}

void
lk_face_detector_free (LkFaceDetector *self)
{
  delete self;
}

/* Runs @cascade over @image and copies what it finds to @found,
 * largest first; @max_size 0 sets no limit. */
static guint
detect (cv::CascadeClassifier &cascade,
        const cv::Mat         &image,
        double                 scale_factor,
        int                    min_neighbours,
        int                    min_size,
        int                    max_size,
        LkFaceRect            *found,
        guint                  max_found)
{
  std::vector<cv::Rect> rects;
  guint n = 0;

  try
    {
      cascade.detectMultiScale (image, rects, scale_factor, min_neighbours, 0,
                                cv::Size (min_size, min_size), cv::Size (max_size, max_size));
    }
  catch (const cv::Exception &e)
    {
      g_debug ("Detection failed: %s", e.what ());
      return 0;
    }

  std::sort (rects.begin (), rects.end (),
             [] (const cv::Rect &a, const cv::Rect &b) { return a.area () > b.area (); });

  for (const cv::Rect &rect : rects)
    {
      if (n == max_found)
        break;
      found[n++] = { rect.x, rect.y, rect.width, rect.height };
    }

  return n;
}

/**
 * lk_face_detector_find_faces:
 * @pixels: a luminance image, one byte per pixel, rows without padding
 * @min_size: the smallest face to look for, in pixels
 * @faces: (out caller-allocates): room for @max_faces rectangles
 *
 * Returns: how many faces were found, largest first
 */
guint
lk_face_detector_find_faces (LkFaceDetector *self,
                             const guint8   *pixels,
                             int             width,
                             int             height,
                             int             min_size,
                             LkFaceRect     *faces,
                             guint           max_faces)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (pixels != NULL, 0);

  /* The classifier only reads the pixels. */
  cv::Mat image (height, width, CV_8UC1, const_cast<guint8 *> (pixels));
  cv::Mat equalized;

  /* Equalizing first finds faces in dark or flat photos too, so that
   * they are reported as too dark rather than as having no face. */
  cv::equalizeHist (image, equalized);

  return detect (self->faces, equalized, 1.15, 5, min_size, 0, faces, max_faces);
}

/**
 * lk_face_detector_find_eyes:
 * @max_size: the largest eye to look for, in pixels
 * @glasses: whether to look for eyes behind glasses, which the plain eye
 *   cascade often misses, rather than bare eyes
 *
 * Like lk_face_detector_find_faces(), for eyes; pass the upper half of a
 * face so that nostrils and mouth corners are not taken for eyes.
 */
guint
lk_face_detector_find_eyes (LkFaceDetector *self,
                            const guint8   *pixels,
                            int             width,
                            int             height,
                            int             min_size,
                            int             max_size,
                            gboolean        glasses,
                            LkFaceRect     *eyes,
                            guint           max_eyes)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (pixels != NULL, 0);

  cv::Mat image (height, width, CV_8UC1, const_cast<guint8 *> (pixels));
  cv::Mat stretched;

  /* The eye cascades do worse on an equalized face, which exaggerates
   * the shadows under the brows; stretching the contrast is enough.
   * Fine scale steps matter more than for faces: with coarse ones an
   * eye's size falls between two steps in one copy of a photo and not
   * in another, and the verdict on the pose flips with the encoding. */
  cv::normalize (image, stretched, 0, 255, cv::NORM_MINMAX);

  return detect (glasses ? self->eyeglasses : self->eyes, stretched, 1.05, 3,
                 min_size, max_size, eyes, max_eyes);
}
