/* test-budget.c: the check before every create, and the 80% warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "lk-budget.h"
#include "lk-test-utils.h"

/* Rounded, since most decimal fractions have no exact binary form. */
#define USD(x) ((gint64) ((x) * 1000000 + 0.5))

typedef struct
{
  const char  *name;
  LkBudgetCaps caps;
  LkSpending   spending;
  gint64       estimate;
  LkBudgetCap  cap;
  gint64       overshoot;
} CheckCase;

static const CheckCase check_cases[] = {
  { "no-caps", { 0, 0, 0 }, { USD (100), USD (500), USD (900) }, USD (1), LK_BUDGET_CAP_NONE, 0 },
  { "below", { USD (2), USD (5), USD (50) }, { USD (1), USD (3), USD (10) }, USD (0.5), LK_BUDGET_CAP_NONE, 0 },
  /* Reaching a cap exactly is allowed; a micro-dollar more is not. */
  { "exactly-at-job", { USD (2), 0, 0 }, { USD (1.96), 0, 0 }, USD (0.04), LK_BUDGET_CAP_NONE, 0 },
  { "just-over-job", { USD (2), 0, 0 }, { USD (1.96) + 1, 0, 0 }, USD (0.04), LK_BUDGET_CAP_JOB, 1 },
  { "daily", { 0, USD (5), USD (50) }, { 0, USD (4.98), USD (20) }, USD (0.04), LK_BUDGET_CAP_DAILY, USD (0.02) },
  { "monthly", { 0, USD (5), USD (50) }, { 0, USD (1), USD (49.99) }, USD (0.04), LK_BUDGET_CAP_MONTHLY, USD (0.03) },
  /* Several caps overshot: the one overshot the most is reported. */
  { "worst-of-two", { USD (1), USD (5), 0 }, { USD (0.99), USD (5.5), 0 }, USD (0.04), LK_BUDGET_CAP_DAILY, USD (0.54) },
};

static void
test_check (gconstpointer data)
{
  const CheckCase *test = data;
  LkBudgetVerdict verdict;
  g_autofree char *message = NULL;

  g_assert_cmpint (lk_budget_caps_check (&test->caps, &test->spending, test->estimate, &verdict),
                   ==, test->cap == LK_BUDGET_CAP_NONE);
  g_assert_cmpint (verdict.cap, ==, test->cap);
  g_assert_cmpint (verdict.overshoot, ==, test->overshoot);

  message = lk_budget_verdict_describe (&verdict);
  if (test->cap == LK_BUDGET_CAP_NONE)
    g_assert_null (message);
  else
    g_assert_nonnull (message);
}

static void
test_describe_verdict (void)
{
  LkBudgetCaps caps = { 0, USD (5), 0 };
  LkSpending spending = { 0, USD (4.98), USD (4.98) };
  LkBudgetVerdict verdict;
  g_autofree char *message = NULL;

  g_assert_false (lk_budget_caps_check (&caps, &spending, USD (0.04), &verdict));
  message = lk_budget_verdict_describe (&verdict);

  /* Which cap, by how much, and what was spent. */
  g_assert_nonnull (strstr (message, "daily budget of $5.00"));
  g_assert_nonnull (strstr (message, "$0.02 over"));
  g_assert_nonnull (strstr (message, "$4.98 spent today"));
}

static void
test_create_destroy (void)
{
  LkBudget *budget = lk_budget_new ();
  LkBudgetCaps caps;

  lk_budget_set_daily (budget, 5);
  lk_budget_set_monthly (budget, 40.5);
  lk_budget_get_caps (budget, USD (3), &caps);
  g_assert_cmpint (caps.job, ==, USD (3));
  g_assert_cmpint (caps.daily, ==, USD (5));
  g_assert_cmpint (caps.monthly, ==, USD (40.5));
  g_assert_finalize_object (budget);
}

static void
threshold_cb (LkBudget    *budget,
              LkBudgetCap  cap,
              GArray      *caps)
{
  g_array_append_val (caps, cap);
}

static void
test_threshold (void)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GArray) reached = g_array_new (FALSE, FALSE, sizeof (LkBudgetCap));
  g_autofree char *message = NULL;

  lk_budget_set_daily (budget, 5);
  lk_budget_set_monthly (budget, 20);
  g_signal_connect (budget, "threshold-reached", G_CALLBACK (threshold_cb), reached);

  /* The state found at start shows, but is not announced again. */
  lk_budget_update (budget, &(LkSpending) { 0, USD (4.5), USD (5) });
  g_assert_cmpint (lk_budget_get_near_cap (budget), ==, LK_BUDGET_CAP_DAILY);
  g_assert_cmpuint (reached->len, ==, 0);

  /* A new day: below again, then crossing 80% is announced once. */
  lk_budget_update (budget, &(LkSpending) { 0, USD (1), USD (6) });
  g_assert_cmpint (lk_budget_get_near_cap (budget), ==, LK_BUDGET_CAP_NONE);
  lk_budget_update (budget, &(LkSpending) { 0, USD (3.99), USD (8.99) });
  g_assert_cmpuint (reached->len, ==, 0);
  lk_budget_update (budget, &(LkSpending) { 0, USD (4), USD (9) });
  g_assert_cmpuint (reached->len, ==, 1);
  g_assert_cmpint (g_array_index (reached, LkBudgetCap, 0), ==, LK_BUDGET_CAP_DAILY);
  lk_budget_update (budget, &(LkSpending) { 0, USD (4.5), USD (9.5) });
  g_assert_cmpuint (reached->len, ==, 1);

  message = lk_budget_describe_near (budget);
  g_assert_cmpstr (message, ==, "You have used $4.50 of your daily budget of $5.00.");

  /* The monthly cap crossed too; the nearer of the two is shown. */
  lk_budget_update (budget, &(LkSpending) { 0, USD (4.5), USD (19) });
  g_assert_cmpuint (reached->len, ==, 2);
  g_assert_cmpint (g_array_index (reached, LkBudgetCap, 1), ==, LK_BUDGET_CAP_MONTHLY);
  g_assert_cmpint (lk_budget_get_near_cap (budget), ==, LK_BUDGET_CAP_MONTHLY);

  /* Turning the caps off clears the warning without a new announcement. */
  lk_budget_set_daily (budget, 0);
  lk_budget_set_monthly (budget, 0);
  g_assert_cmpint (lk_budget_get_near_cap (budget), ==, LK_BUDGET_CAP_NONE);
  g_clear_pointer (&message, g_free);
  message = lk_budget_describe_near (budget);
  g_assert_null (message);
  g_assert_cmpuint (reached->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/budget/create-destroy", test_create_destroy);
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/budget/check/%s", check_cases[i].name);

      g_test_add_data_func (path, &check_cases[i], test_check);
    }
  g_test_add_func ("/lk/budget/describe-verdict", test_describe_verdict);
  g_test_add_func ("/lk/budget/threshold", test_threshold);

  return g_test_run ();
}
