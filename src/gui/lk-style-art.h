/* lk-style-art.h: the picture of a style card: its icon on its colour, or
 * the user's latest portrait in that style.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_STYLE_ART (lk_style_art_get_type ())

G_DECLARE_FINAL_TYPE (LkStyleArt, lk_style_art, LK, STYLE_ART, GtkWidget)

GtkWidget  *lk_style_art_new           (void);
const char *lk_style_art_get_color     (LkStyleArt *self);
void        lk_style_art_set_color     (LkStyleArt *self,
                                        const char *color);
const char *lk_style_art_get_icon_name (LkStyleArt *self);
void        lk_style_art_set_icon_name (LkStyleArt *self,
                                        const char *icon_name);
GFile      *lk_style_art_get_thumbnail (LkStyleArt *self);
void        lk_style_art_set_thumbnail (LkStyleArt *self,
                                        GFile      *thumbnail);
GdkTexture *lk_style_art_get_texture   (LkStyleArt *self);

G_END_DECLS
