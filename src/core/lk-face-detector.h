/* lk-face-detector.h: a C interface to OpenCV's cascade classifiers for
 * frontal faces and eyes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_FACE_CASCADE "haarcascade_frontalface_default.xml"
#define LK_EYE_CASCADE  "haarcascade_eye.xml"
#define LK_EYEGLASSES_CASCADE "haarcascade_eye_tree_eyeglasses.xml"

typedef struct _LkFaceDetector LkFaceDetector;

typedef struct
{
  int x;
  int y;
  int width;
  int height;
} LkFaceRect;

LkFaceDetector *lk_face_detector_new        (const char     *cascade_dir,
                                             GError        **error);
void            lk_face_detector_free       (LkFaceDetector *self);
guint           lk_face_detector_find_faces (LkFaceDetector *self,
                                             const guint8   *pixels,
                                             int             width,
                                             int             height,
                                             int             min_size,
                                             LkFaceRect     *faces,
                                             guint           max_faces);
guint           lk_face_detector_find_eyes  (LkFaceDetector *self,
                                             const guint8   *pixels,
                                             int             width,
                                             int             height,
                                             int             min_size,
                                             int             max_size,
                                             gboolean        glasses,
                                             LkFaceRect     *eyes,
                                             guint           max_eyes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkFaceDetector, lk_face_detector_free)

G_END_DECLS
