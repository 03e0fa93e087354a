/* lk-photo-analysis.h: measuring one photo and turning the measurements
 * into a score and the flaws that hold it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-face-detector.h"
#include "lk-photo.h"

G_BEGIN_DECLS

/* The long side photos are decoded at for scoring. */
#define LK_PHOTO_ANALYSIS_SIZE 1024

LkPhoto *lk_photo_analyze (const char      *path,
                           LkFaceDetector  *detector,
                           int              thumbnail_size,
                           GError         **error);
double   lk_photo_score   (LkPhotoMetrics  *metrics,
                           gboolean        *usable,
                           LkPhotoFlaws    *flaws);

G_END_DECLS
