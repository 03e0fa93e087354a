/* lk-window.h: the Likeness main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-photo-scorer.h"

G_BEGIN_DECLS

#define LK_TYPE_WINDOW (lk_window_get_type ())

G_DECLARE_FINAL_TYPE (LkWindow, lk_window, LK, WINDOW, AdwApplicationWindow)

LkWindow   *lk_window_new           (LkApplication *application);
const char *lk_window_get_page      (LkWindow      *self);
void        lk_window_set_page      (LkWindow      *self,
                                     const char    *page);
void        lk_window_add_toast     (LkWindow      *self,
                                     const char    *message);
void        lk_window_add_photos    (LkWindow      *self,
                                     GFile * const *files,
                                     guint          n_files);
LkPhotoScorer *lk_window_get_photo_scorer (LkWindow   *self);
void        lk_window_add_toast_for (GtkWidget     *widget,
                                     const char    *message);

G_END_DECLS
