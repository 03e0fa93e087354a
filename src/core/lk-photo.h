/* lk-photo.h: one photo offered as a reference: its measurements, score,
 * reasons, and what the ranking and the person decided about it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "lk-gray-image.h"
#include "lk-types.h"

G_BEGIN_DECLS

/**
 * LkPhotoMetrics:
 * @width: width of the whole photo, upright
 * @height: height of the whole photo, upright
 * @face_checked: whether face detection ran (it needs OpenCV)
 * @faces: how many faces were found
 * @face_x: left edge of the largest face, in photo pixels
 * @face_y: top edge of the largest face
 * @face_width: width of the largest face
 * @face_height: height of the largest face
 * @face_share: the largest face's share of the photo's area, 0 to 1
 * @eyes: eyes found in the upper half of the face, at most 2
 * @symmetry: left/right symmetry of the face, 0 to 1
 * @sharpness: variance of the Laplacian of the face (or of the photo
 *   without a face) at a fixed size, relative to its own variance
 * @exposure: brightness figures of the face (or the photo)
 * @noise: estimated noise, standard deviation in pixel levels
 * @dhash: difference hash of the face (or the photo)
 * @resolution_part: the resolution's contribution, 0 to 1
 * @face_part: the face's presence and size, 0 to 1
 * @frontal_part: how squarely the face looks at the camera, 0 to 1
 * @sharpness_part: sharpness, 0 to 1
 * @exposure_part: exposure, 0 to 1
 * @noise_part: absence of noise, 0 to 1
 *
 * What the scorer measured. The parts combine into the score with the
 * weights documented in lk-photo-analysis.c.
 */
typedef struct
{
  int        width;
  int        height;
  gboolean   face_checked;
  guint      faces;
  int        face_x;
  int        face_y;
  int        face_width;
  int        face_height;
  double     face_share;
  guint      eyes;
  double     symmetry;
  double     sharpness;
  LkExposure exposure;
  double     noise;
  guint64    dhash;
  double     resolution_part;
  double     face_part;
  double     frontal_part;
  double     sharpness_part;
  double     exposure_part;
  double     noise_part;
} LkPhotoMetrics;

/**
 * LkPhotoFlaws:
 * @LK_PHOTO_FLAW_LOW_RESOLUTION: the short side is under 512 pixels
 * @LK_PHOTO_FLAW_NO_FACE: face checks found no face
 * @LK_PHOTO_FLAW_MANY_FACES: face checks found more than one face
 * @LK_PHOTO_FLAW_DUPLICATE: a better photo of the same near-duplicate
 *   group exists; set by the ranking, through lk_photo_set_duplicate_of()
 * @LK_PHOTO_FLAW_BLURRY: the face (or the photo) is blurred
 * @LK_PHOTO_FLAW_DARK: the face (or the photo) is too dark
 * @LK_PHOTO_FLAW_OVEREXPOSED: the face (or the photo) is washed out
 * @LK_PHOTO_FLAW_SMALL_FACE: the face takes under 5% of the photo
 * @LK_PHOTO_FLAW_TURNED_AWAY: the face does not look at the camera
 * @LK_PHOTO_FLAW_UNEVEN_LIGHT: the face is lit from one side
 * @LK_PHOTO_FLAW_NOISY: sensor noise hides detail
 *
 * What holds a photo back, in order of severity: the reasons a photo
 * gives follow this order, so its main reason is its worst flaw. The
 * first three make a photo unusable as a reference; a near-duplicate is
 * usable but adds nothing; the rest lower the score.
 */
typedef enum
{
  LK_PHOTO_FLAW_LOW_RESOLUTION = 1 << 0,
  LK_PHOTO_FLAW_NO_FACE        = 1 << 1,
  LK_PHOTO_FLAW_MANY_FACES     = 1 << 2,
  LK_PHOTO_FLAW_DUPLICATE      = 1 << 3,
  LK_PHOTO_FLAW_BLURRY         = 1 << 4,
  LK_PHOTO_FLAW_DARK           = 1 << 5,
  LK_PHOTO_FLAW_OVEREXPOSED    = 1 << 6,
  LK_PHOTO_FLAW_SMALL_FACE     = 1 << 7,
  LK_PHOTO_FLAW_TURNED_AWAY    = 1 << 8,
  LK_PHOTO_FLAW_UNEVEN_LIGHT   = 1 << 9,
  LK_PHOTO_FLAW_NOISY          = 1 << 10,
} LkPhotoFlaws;

#define LK_TYPE_PHOTO (lk_photo_get_type ())

G_DECLARE_FINAL_TYPE (LkPhoto, lk_photo, LK, PHOTO, GObject)

LkPhoto              *lk_photo_new              (const char           *path);
LkPhoto              *lk_photo_new_skipped      (const char           *path,
                                                 const char           *reason);
const char           *lk_photo_get_path         (LkPhoto              *self);
const char           *lk_photo_get_name         (LkPhoto              *self);
const char           *lk_photo_get_skip_reason  (LkPhoto              *self);
const LkPhotoMetrics *lk_photo_get_metrics      (LkPhoto              *self);
void                  lk_photo_set_analysis     (LkPhoto              *self,
                                                 const LkPhotoMetrics *metrics,
                                                 double                score,
                                                 gboolean              usable,
                                                 LkPhotoFlaws          flaws);
gboolean              lk_photo_get_face_box     (LkPhoto              *self,
                                                 int                  *x,
                                                 int                  *y,
                                                 int                  *width,
                                                 int                  *height);
double                lk_photo_get_score        (LkPhoto              *self);
gboolean              lk_photo_get_usable       (LkPhoto              *self);
char                **lk_photo_get_reasons      (LkPhoto              *self);
const char           *lk_photo_get_main_reason  (LkPhoto              *self);
GdkPixbuf            *lk_photo_get_thumbnail    (LkPhoto              *self);
void                  lk_photo_set_thumbnail    (LkPhoto              *self,
                                                 GdkPixbuf            *thumbnail);
guint                 lk_photo_get_rank         (LkPhoto              *self);
void                  lk_photo_set_rank         (LkPhoto              *self,
                                                 guint                 rank);
guint                 lk_photo_get_group        (LkPhoto              *self);
void                  lk_photo_set_group        (LkPhoto              *self,
                                                 guint                 group);
const char           *lk_photo_get_duplicate_of (LkPhoto              *self);
void                  lk_photo_set_duplicate_of (LkPhoto              *self,
                                                 const char           *path);
gboolean              lk_photo_get_recommended  (LkPhoto              *self);
void                  lk_photo_set_recommended  (LkPhoto              *self,
                                                 gboolean              recommended);
gboolean              lk_photo_get_pinned       (LkPhoto              *self);
void                  lk_photo_set_pinned       (LkPhoto              *self,
                                                 gboolean              pinned);
gboolean              lk_photo_get_excluded     (LkPhoto              *self);
void                  lk_photo_set_excluded     (LkPhoto              *self,
                                                 gboolean              excluded);
JsonNode             *lk_photo_to_json          (LkPhoto              *self);

G_END_DECLS
