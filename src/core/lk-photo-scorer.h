/* lk-photo-scorer.h: ranks a set of photos as references: scans dropped
 * files and folders, scores each photo on a worker pool, and recommends
 * the best of distinct near-duplicate groups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-photo.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_PHOTO_SCORER_DEFAULT_TOP 5
/* Two photos whose difference hashes differ in at most this many of
 * their 64 bits are near-duplicates. */
#define LK_PHOTO_SCORER_DUPLICATE_DISTANCE 10

#define LK_TYPE_PHOTO_SCORER (lk_photo_scorer_get_type ())

G_DECLARE_FINAL_TYPE (LkPhotoScorer, lk_photo_scorer, LK, PHOTO_SCORER, GObject)

LkPhotoScorer *lk_photo_scorer_new                (void);
GListModel    *lk_photo_scorer_get_photos         (LkPhotoScorer        *self);
GListModel    *lk_photo_scorer_get_skipped        (LkPhotoScorer        *self);
GPtrArray     *lk_photo_scorer_dup_ranking        (LkPhotoScorer        *self);
void           lk_photo_scorer_add_async          (LkPhotoScorer        *self,
                                                   GFile * const        *files,
                                                   guint                 n_files,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       lk_photo_scorer_add_finish         (LkPhotoScorer        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void           lk_photo_scorer_clear              (LkPhotoScorer        *self);
gboolean       lk_photo_scorer_get_face_checks    (LkPhotoScorer        *self);
gboolean       lk_photo_scorer_get_busy           (LkPhotoScorer        *self);
guint          lk_photo_scorer_get_n_pending      (LkPhotoScorer        *self);
guint          lk_photo_scorer_get_n_usable       (LkPhotoScorer        *self);
guint          lk_photo_scorer_get_n_recommended  (LkPhotoScorer        *self);
char          *lk_photo_scorer_dup_summary        (LkPhotoScorer        *self);
LkPhotoCount   lk_photo_scorer_get_count          (LkPhotoScorer        *self);
guint          lk_photo_scorer_get_top_count      (LkPhotoScorer        *self);
void           lk_photo_scorer_set_top_count      (LkPhotoScorer        *self,
                                                   guint                 top_count);
int            lk_photo_scorer_get_thumbnail_size (LkPhotoScorer        *self);
void           lk_photo_scorer_set_thumbnail_size (LkPhotoScorer        *self,
                                                   int                   size);
const char    *lk_photo_count_get_advice          (LkPhotoCount          count);

G_END_DECLS
