/* lk-rate-limiter.c: a token bucket that spaces requests to a rate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-rate-limiter"

#include "config.h"

#include <math.h>

#include "lk-rate-limiter.h"

/* A request takes a token when it is about to be sent; without one, the
 * caller waits until one is due and asks again. Taking tokens at the
 * moment of sending, rather than booking future slots, keeps requests
 * spaced by the full interval even when timers fire late. Times are
 * passed in so that the bucket is pure arithmetic and tests need no
 * clock. */
struct _LkRateLimiter
{
  GObject  parent_instance;

  double   normal_per_second;
  guint    normal_burst;
  double   per_second;
  guint    burst;
  double   tokens;
  gint64   updated_us;
  gint64   reduced_until_us;
};

G_DEFINE_FINAL_TYPE (LkRateLimiter, lk_rate_limiter, G_TYPE_OBJECT)

static void
lk_rate_limiter_class_init (LkRateLimiterClass *klass)
{
}

static void
lk_rate_limiter_init (LkRateLimiter *self)
{
  self->updated_us = G_MININT64;
}

/**
 * lk_rate_limiter_new:
 * @per_minute: the sustained rate
 * @burst: how many requests may go at once after a quiet spell
 *
 * Returns: (transfer full): a new full bucket
 */
LkRateLimiter *
lk_rate_limiter_new (double per_minute,
                     guint  burst)
{
  LkRateLimiter *self;

  g_return_val_if_fail (per_minute > 0, NULL);
  g_return_val_if_fail (burst > 0, NULL);

  self = g_object_new (LK_TYPE_RATE_LIMITER, NULL);
  self->normal_per_second = self->per_second = per_minute / 60.0;
  self->normal_burst = self->burst = burst;
  self->tokens = burst;

  return self;
}

static void
refill (LkRateLimiter *self,
        gint64         now_us)
{
  if (self->reduced_until_us != 0 && now_us >= self->reduced_until_us)
    {
      g_debug ("Reduced rate over, back to %.0f per minute", self->normal_per_second * 60);
      self->per_second = self->normal_per_second;
      self->burst = self->normal_burst;
      self->reduced_until_us = 0;
    }

  if (self->updated_us == G_MININT64)
    self->updated_us = now_us;

  if (now_us > self->updated_us)
    {
      self->tokens = MIN (self->burst, self->tokens + (now_us - self->updated_us) / 1e6 * self->per_second);
      self->updated_us = now_us;
    }
}

/**
 * lk_rate_limiter_acquire:
 * @now_us: the current monotonic time
 *
 * Takes a token for a request to be sent now, if there is one.
 *
 * Returns: 0 when the request may go now; otherwise how long to wait, in
 *   microseconds, before asking again (no token was taken)
 */
gint64
lk_rate_limiter_acquire (LkRateLimiter *self,
                         gint64         now_us)
{
  g_return_val_if_fail (LK_IS_RATE_LIMITER (self), 0);

  refill (self, now_us);

  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return 0;
    }

  /* Whole microseconds, rounded up, but not for floating-point noise. */
  return MAX (1, (gint64) ceil ((1.0 - self->tokens) / self->per_second * 1e6 - 1e-3));
}

/**
 * lk_rate_limiter_reduce:
 * @per_minute: the rate the server announced
 * @burst: the burst the server announced
 * @now_us: the current monotonic time
 * @until_us: when to go back to the normal rate
 *
 * Follows a lower rate the server asked for. The server just refused a
 * request, so its bucket is empty: the next request waits a full
 * interval.
 */
void
lk_rate_limiter_reduce (LkRateLimiter *self,
                        double         per_minute,
                        guint          burst,
                        gint64         now_us,
                        gint64         until_us)
{
  g_return_if_fail (LK_IS_RATE_LIMITER (self));
  g_return_if_fail (per_minute > 0);
  g_return_if_fail (burst > 0);

  refill (self, now_us);
  self->per_second = MIN (per_minute / 60.0, self->normal_per_second);
  self->burst = MIN (burst, self->normal_burst);
  self->tokens = MIN (self->tokens, 0.0);
  self->reduced_until_us = MAX (until_us, now_us + 1);
}

/**
 * lk_rate_limiter_get_rate:
 *
 * Returns: the rate in force at @now_us, per minute
 */
double
lk_rate_limiter_get_rate (LkRateLimiter *self,
                          gint64         now_us)
{
  g_return_val_if_fail (LK_IS_RATE_LIMITER (self), 0);

  refill (self, now_us);
  return self->per_second * 60.0;
}

/**
 * lk_rate_limiter_parse_reduced_rate:
 * @text: a 429 message, such as "… is reduced to 6 requests per minute
 *   with a burst of 1 while you have less than $5.0 in credit."
 * @per_minute: (out): the announced rate
 * @burst: (out): the announced burst
 *
 * Returns: whether @text announces a reduced rate
 */
gboolean
lk_rate_limiter_parse_reduced_rate (const char *text,
                                    double     *per_minute,
                                    guint      *burst)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *count = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *burst_text = NULL;

  g_return_val_if_fail (per_minute != NULL, FALSE);
  g_return_val_if_fail (burst != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new ("reduced to (\\d+) requests? per (second|minute|hour) with a burst of (\\d+)",
                                      G_REGEX_CASELESS, 0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (&regex, compiled);
    }

  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;

  count = g_match_info_fetch (match, 1);
  unit = g_match_info_fetch (match, 2);
  burst_text = g_match_info_fetch (match, 3);

  *per_minute = g_ascii_strtod (count, NULL);
  if (g_ascii_strcasecmp (unit, "second") == 0)
    *per_minute *= 60;
  else if (g_ascii_strcasecmp (unit, "hour") == 0)
    *per_minute /= 60;
  *burst = (guint) MAX (1, g_ascii_strtoull (burst_text, NULL, 10));

  return *per_minute > 0;
}
