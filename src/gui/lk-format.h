/* lk-format.h: durations in words and on a clock, for the summary and the
 * Progress page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *lk_format_clock (double seconds);
char *lk_format_about (double seconds);

G_END_DECLS
