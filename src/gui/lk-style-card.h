/* lk-style-card.h: one style in the gallery, which a click chooses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lk-style.h"

G_BEGIN_DECLS

#define LK_TYPE_STYLE_CARD (lk_style_card_get_type ())

G_DECLARE_FINAL_TYPE (LkStyleCard, lk_style_card, LK, STYLE_CARD, GtkFlowBoxChild)

LkStyleCard *lk_style_card_new         (LkStyle     *style);
LkStyle     *lk_style_card_get_style   (LkStyleCard *self);
gboolean     lk_style_card_get_chosen  (LkStyleCard *self);
void         lk_style_card_set_chosen  (LkStyleCard *self,
                                        gboolean     chosen);

G_END_DECLS
