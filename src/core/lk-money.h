/* lk-money.h: amounts of US dollars as whole micro-dollars, so that sums
 * in the ledger are exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_MICROS_PER_USD G_GINT64_CONSTANT (1000000)

gint64    lk_money_from_usd      (double        usd);
double    lk_money_to_usd        (gint64        micros);
char     *lk_money_format        (gint64        micros);
char     *lk_money_format_plain  (gint64        micros);
gboolean  lk_money_parse         (const char   *text,
                                  gint64       *micros,
                                  GError      **error);

G_END_DECLS
