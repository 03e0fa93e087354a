/* lk-styles-page.h: the Styles page: a gallery of style cards grouped by
 * category, in which the user chooses the styles of the next job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-my-models.h"
#include "lk-style-library.h"

G_BEGIN_DECLS

#define LK_TYPE_STYLES_PAGE (lk_styles_page_get_type ())

G_DECLARE_FINAL_TYPE (LkStylesPage, lk_styles_page, LK, STYLES_PAGE, AdwBin)

LkStyleLibrary *lk_styles_page_get_library (LkStylesPage   *self);
void            lk_styles_page_set_library (LkStylesPage   *self,
                                            LkStyleLibrary *library);
GListModel     *lk_styles_page_get_chosen  (LkStylesPage   *self);
LkMyModels     *lk_styles_page_get_my_models (LkStylesPage *self);

G_END_DECLS
