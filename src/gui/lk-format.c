/* lk-format.c: durations in words and on a clock, for the summary and the
 * Progress page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-format.h"

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
