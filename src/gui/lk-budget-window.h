/* lk-budget-window.h: the daily and monthly spending limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_BUDGET_WINDOW (lk_budget_window_get_type ())

G_DECLARE_FINAL_TYPE (LkBudgetWindow, lk_budget_window, LK, BUDGET_WINDOW, AdwPreferencesWindow)

LkBudgetWindow *lk_budget_window_new (GtkWindow *parent);

G_END_DECLS
