/* lk-format.c: durations in words and on a clock, and what is left of a
 * spending cap, for the summary, the Progress page and the History page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-format.h"
#include "lk-money.h"

/**
 * lk_format_clock:
 *
 * Returns: (transfer full): @seconds as a clock reads, "0:07", "12:30" or
 *   "1:02:03"
 */
char *
lk_format_clock (double seconds)
{
  guint total = (guint) MAX (0, floor (seconds));

  if (total >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", total / 3600, total / 60 % 60, total % 60);

  return g_strdup_printf ("%u:%02u", total / 60, total % 60);
}

/**
 * lk_format_about:
 *
 * Rounds @seconds the way a person would say it: to 5 seconds under a
 * minute, to minutes under an hour, then to hours and minutes.
 *
 * Returns: (transfer full): for example "about 40 seconds"
 */
char *
lk_format_about (double seconds)
{
  guint total = (guint) MAX (0, round (seconds));
  guint minutes = MAX (1, (total + 30) / 60);
  guint hours = minutes / 60;
  g_autofree char *hours_text = NULL;
  g_autofree char *minutes_text = NULL;

  /* Up to 57 seconds rounds to at most 55; from 58 on it is a minute. */
  if (total < 58)
    {
      guint rounded = MAX (5, (total + 2) / 5 * 5);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u second", "about %u seconds", rounded), rounded);
    }

  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes", minutes), minutes);

  hours_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours), hours);
  if (minutes % 60 == 0)
    /* Translators: %s is a number of hours, "2 hours". */
    return g_strdup_printf (_("about %s"), hours_text);

  minutes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes % 60), minutes % 60);
  /* Translators: a number of hours, then of minutes: "about 1 hour 20 minutes". */
  return g_strdup_printf (_("about %s %s"), hours_text, minutes_text);
}

/**
 * lk_format_cap_left:
 * @cap: a cap in micro-dollars, 0 for none
 * @committed: what was committed against it
 *
 * Returns: (transfer full): "$3.20 left of $5.00", or "No cap"
 */
char *
lk_format_cap_left (gint64 cap,
                    gint64 committed)
{
  g_autofree char *left = NULL;
  g_autofree char *limit = NULL;

  if (cap <= 0)
    return g_strdup (_("No cap"));

  left = lk_money_format (MAX (0, cap - committed));
  limit = lk_money_format (cap);
  /* Translators: amounts of money: "$3.20 left of $5.00". */
  return g_strdup_printf (_("%s left of %s"), left, limit);
}

/**
 * lk_format_overshoot:
 * @verdict: the cap that stops the job first, from lk_budget_caps_check()
 * @cost: the job's estimate in micro-dollars
 * @n_items: the portraits the estimate is for
 *
 * Returns: (transfer full): how many portraits fit under @verdict's cap
 */
char *
lk_format_overshoot (const LkBudgetVerdict *verdict,
                     gint64                 cost,
                     guint                  n_items)
{
  gint64 per_item = n_items > 0 ? cost / n_items : cost;
  gint64 room = MAX (0, verdict->limit - verdict->committed);
  guint fit = per_item > 0 ? (guint) MIN (room / per_item, n_items) : n_items;
  g_autofree char *estimate = lk_money_format (cost);
  g_autofree char *left = lk_money_format (room);

  switch (verdict->cap)
    {
    case LK_BUDGET_CAP_JOB:
      /* Translators: amounts of money, then numbers of portraits. */
      return g_strdup_printf (_("The estimate of %s is more than this job’s budget of %s. The job stops when "
                                "it reaches the budget, after about %u of %u portraits."),
                              estimate, left, fit, n_items);

    case LK_BUDGET_CAP_DAILY:
      return g_strdup_printf (_("The estimate of %s is more than the %s left of today’s cap. The job stops "
                                "at the cap, after about %u of %u portraits; resume it tomorrow for the rest."),
                              estimate, left, fit, n_items);

    case LK_BUDGET_CAP_MONTHLY:
      return g_strdup_printf (_("The estimate of %s is more than the %s left of this month’s cap. The job stops "
                                "at the cap, after about %u of %u portraits; resume it next month for the rest."),
                              estimate, left, fit, n_items);

    case LK_BUDGET_CAP_NONE:
    default:
      g_assert_not_reached ();
    }
}
