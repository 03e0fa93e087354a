/* lk-rate-limiter.h: a token bucket that spaces requests to a rate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_TYPE_RATE_LIMITER (lk_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (LkRateLimiter, lk_rate_limiter, LK, RATE_LIMITER, GObject)

LkRateLimiter *lk_rate_limiter_new          (double          per_minute,
                                             guint           burst);
gint64         lk_rate_limiter_acquire      (LkRateLimiter  *self,
                                             gint64          now_us);
void           lk_rate_limiter_reduce       (LkRateLimiter  *self,
                                             double          per_minute,
                                             guint           burst,
                                             gint64          now_us,
                                             gint64          until_us);
double         lk_rate_limiter_get_rate     (LkRateLimiter  *self,
                                             gint64          now_us);
gboolean       lk_rate_limiter_parse_reduced_rate (const char *text,
                                                   double     *per_minute,
                                                   guint      *burst);

G_END_DECLS
