/* lk-photos-page.h: the Photos page: photos dropped or chosen, ranked as
 * references, with the reasons and the person's last word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-photo-scorer.h"

G_BEGIN_DECLS

#define LK_TYPE_PHOTOS_PAGE (lk_photos_page_get_type ())

G_DECLARE_FINAL_TYPE (LkPhotosPage, lk_photos_page, LK, PHOTOS_PAGE, AdwBin)

GtkWidget     *lk_photos_page_new        (void);
LkPhotoScorer *lk_photos_page_get_scorer (LkPhotosPage  *self);
void           lk_photos_page_add_files  (LkPhotosPage  *self,
                                          GFile * const *files,
                                          guint          n_files);

G_END_DECLS
