/* lk-format.h: durations in words and on a clock, and what is left of a
 * spending cap, for the summary, the Progress page and the History page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lk-budget.h"

G_BEGIN_DECLS

char *lk_format_clock     (double                 seconds);
char *lk_format_about     (double                 seconds);
char *lk_format_cap_left  (gint64                 cap,
                           gint64                 committed);
char *lk_format_overshoot (const LkBudgetVerdict *verdict,
                           gint64                 cost,
                           guint                  n_items);

G_END_DECLS
