/* lk-cli-budget.c: `likeness-cli budget`: the daily and monthly spending
 * caps, and what is spent against them. The caps are the app's settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-budget.h"
#include "lk-cli.h"
#include "lk-money.h"
#include "lk-store.h"

/**
 * lk_cli_load_budget:
 *
 * Returns: (transfer full): the caps set with `likeness-cli budget` or in
 *   the app, for a command about to spend; without caps, and a warning on
 *   stderr, when the settings are not installed
 */
LkBudget *
lk_cli_load_budget (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = lk_cli_open_settings (&error);
  LkBudget *budget = lk_budget_new ();

  if (settings == NULL)
    g_printerr (_("Warning: %s Nothing is checked against your budget.\n"), error->message);
  else
    g_object_set (budget, "daily", g_settings_get_double (settings, "budget-daily"),
                  "monthly", g_settings_get_double (settings, "budget-monthly"), NULL);
  return budget;
}

static gboolean
parse_cap (const char  *text,
           const char  *option,
           double      *usd,
           GError     **error)
{
  gint64 micros;

  if (text == NULL)
    return TRUE;

  if (!lk_money_parse (text, &micros, error))
    {
      g_prefix_error (error, "%s: ", option);
      return FALSE;
    }

  *usd = lk_money_to_usd (micros);
  return TRUE;
}

static void
print_cap (const char *label,
           gint64      cap,
           gint64      spent,
           const char *spent_line)
{
  g_autofree char *cap_text = NULL;

  if (cap == 0)
    {
      /* Translators: a budget that is turned off, then what was spent. */
      g_print (_("%-16s off; %s\n"), label, spent_line);
      return;
    }

  cap_text = lk_money_format (cap);
  /* Translators: a budget, what was spent against it, then the percentage used. */
  g_print (_("%-16s %s; %s (%d%%)\n"), label, cap_text, spent_line, (int) (spent * 100 / cap));
}

int
lk_cli_budget (int    argc,
               char **argv)
{
  g_autofree char *daily_text = NULL;
  g_autofree char *monthly_text = NULL;
  gboolean off = FALSE;
  const GOptionEntry entries[] = {
    { "daily", 0, 0, G_OPTION_ARG_STRING, &daily_text, N_("Cap the spending per calendar day"), N_("USD") },
    { "monthly", 0, 0, G_OPTION_ARG_STRING, &monthly_text, N_("Cap the spending per calendar month"), N_("USD") },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_("Turn both caps off"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(LkStore) store = NULL;
  g_autofree char *near = NULL;
  g_autofree char *today = NULL;
  g_autofree char *month = NULL;
  g_autofree char *today_line = NULL;
  g_autofree char *month_line = NULL;
  double daily;
  double monthly;
  LkBudgetCaps caps;
  LkSpending spending;

  g_option_context_set_summary (context, _("Shows the spending caps and what is spent against them, or sets "
                                           "them. Nothing is created that would go over a cap; 0 or --off "
                                           "turns a cap off."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !(settings = lk_cli_open_settings (&error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (off && (daily_text != NULL || monthly_text != NULL))
    {
      g_printerr ("%s\n", _("--off turns both caps off; it cannot be combined with --daily or --monthly."));
      return 1;
    }

  daily = off ? 0 : g_settings_get_double (settings, "budget-daily");
  monthly = off ? 0 : g_settings_get_double (settings, "budget-monthly");
  if (!parse_cap (daily_text, "--daily", &daily, &error) ||
      !parse_cap (monthly_text, "--monthly", &monthly, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_settings_set_double (settings, "budget-daily", daily);
  g_settings_set_double (settings, "budget-monthly", monthly);
  g_settings_sync ();

  if (!(store = lk_cli_open_store ()))
    return 1;
  if (!lk_store_get_spending (store, 0, NULL, &spending, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  lk_budget_set_daily (budget, daily);
  lk_budget_set_monthly (budget, monthly);
  lk_budget_get_caps (budget, 0, &caps);
  today = lk_money_format (spending.day);
  month = lk_money_format (spending.month);
  today_line = g_strdup_printf (_("%s spent today"), today);
  month_line = g_strdup_printf (_("%s spent this month"), month);
  print_cap (_("Daily budget:"), caps.daily, spending.day, today_line);
  print_cap (_("Monthly budget:"), caps.monthly, spending.month, month_line);

  lk_budget_update (budget, &spending);
  if ((near = lk_budget_describe_near (budget)))
    g_print ("%s\n", near);

  return 0;
}
