/* test-rate-limiter.c: the token bucket that keeps requests under
 * Replicate's rate limits; times are given, so no clock is involved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-rate-limiter.h"
#include "lk-test-utils.h"

#define SECOND G_USEC_PER_SEC

static void
test_create_destroy (void)
{
  LkRateLimiter *limiter = lk_rate_limiter_new (600, 10);

  g_assert_cmpfloat (lk_rate_limiter_get_rate (limiter, 0), ==, 600);
  g_assert_finalize_object (limiter);
}

static void
test_burst_then_spacing (void)
{
  g_autoptr(LkRateLimiter) limiter = lk_rate_limiter_new (60, 2);
  gint64 start = 1000 * SECOND;

  /* The burst goes at once; then one a second. */
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 1 * SECOND);
  /* Asking again takes nothing: the wait stays the same. */
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 1 * SECOND);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + SECOND / 2), ==, SECOND / 2);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 1 * SECOND), ==, 0);

  /* After a quiet spell the bucket is full again, but no fuller. */
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 60 * SECOND), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 60 * SECOND), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 60 * SECOND), ==, 1 * SECOND);
}

static void
test_late_request (void)
{
  g_autoptr(LkRateLimiter) limiter = lk_rate_limiter_new (60, 1);
  gint64 start = 1000 * SECOND;

  /* A request sent late (its timer fired 0.3 s after the token was due)
   * does not let the next one go early: they stay a full second apart. */
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + SECOND + 300000), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 2 * SECOND), ==, 300000);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 2 * SECOND + 300000), ==, 0);
}

static void
test_reduced_rate (void)
{
  g_autoptr(LkRateLimiter) limiter = lk_rate_limiter_new (600, 10);
  gint64 start = 50 * SECOND;
  gint64 until = start + 300 * SECOND;

  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 0);

  /* The server refused a request: the next waits a full interval of the
   * announced rate. */
  lk_rate_limiter_reduce (limiter, 6, 1, start, until);
  g_assert_cmpfloat (lk_rate_limiter_get_rate (limiter, start), ==, 6);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start), ==, 10 * SECOND);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 10 * SECOND), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 10 * SECOND), ==, 10 * SECOND);

  /* The burst of one holds even after a long pause. */
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 200 * SECOND), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, start + 200 * SECOND), ==, 10 * SECOND);

  /* Then the normal rate comes back. */
  g_assert_cmpfloat (lk_rate_limiter_get_rate (limiter, until), ==, 600);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, until + 60 * SECOND), ==, 0);
  g_assert_cmpint (lk_rate_limiter_acquire (limiter, until + 60 * SECOND), ==, 0);
}

typedef struct
{
  const char *name;
  const char *text;
  gboolean    found;
  double      per_minute;
  guint       burst;
} ParseCase;

static void
test_parse (gconstpointer data)
{
  const ParseCase *test = data;
  double per_minute = 0;
  guint burst = 0;

  g_assert_cmpint (lk_rate_limiter_parse_reduced_rate (test->text, &per_minute, &burst), ==, test->found);
  if (test->found)
    {
      g_assert_cmpfloat (per_minute, ==, test->per_minute);
      g_assert_cmpuint (burst, ==, test->burst);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const ParseCase parse_cases[] = {
    { "replicate",
      "Request was throttled. Your rate limit for creating predictions is reduced to 6 requests per minute "
      "with a burst of 1 while you have less than $5.0 in credit. Expected available in 8 seconds.",
      TRUE, 6, 1 },
    { "per-second", "Your rate limit is reduced to 2 requests per second with a burst of 5.", TRUE, 120, 5 },
    { "plain-429", "Request was throttled. Expected available in 1 second.", FALSE, 0, 0 },
    { "null", NULL, FALSE, 0, 0 },
  };

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/rate-limiter/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/rate-limiter/burst-then-spacing", test_burst_then_spacing);
  g_test_add_func ("/lk/rate-limiter/late-request", test_late_request);
  g_test_add_func ("/lk/rate-limiter/reduced-rate", test_reduced_rate);
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/rate-limiter/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }

  return g_test_run ();
}
