/* lk-history-page.h: past jobs with their images and costs, and what was
 * spent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_HISTORY_PAGE (lk_history_page_get_type ())

G_DECLARE_FINAL_TYPE (LkHistoryPage, lk_history_page, LK, HISTORY_PAGE, GtkWidget)

G_END_DECLS
