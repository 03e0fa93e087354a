/* lk-cli-ledger.c: `likeness-cli ledger`: every estimate, actual cost and
 * refund, as a table or as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "lk-cli.h"
#include "lk-money.h"
#include "lk-store.h"

static int
print_csv (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = lk_store_export_ledger_csv (store, &error);
  gsize length;
  const char *data;

  if (csv == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  data = g_bytes_get_data (csv, &length);
  if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      g_printerr ("%s\n", _("The ledger could not be written out."));
      return 1;
    }

  return 0;
}

static int
print_table (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = lk_store_list_ledger (store, &error);
  g_autofree char *total = NULL;
  g_autofree char *summary = NULL;
  gint64 spent = 0;

  if (entries == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (entries->len == 0)
    {
      g_print ("%s\n", _("Nothing has been spent yet."));
      return 0;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      LkLedgerEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (entry->time);
      g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
      g_autofree char *amount = lk_money_format (entry->amount);

      if (!g_str_equal (entry->kind, "estimate"))
        spent += entry->amount;

      g_print ("%s  %-8s  %9s  %-36s  %s\n", stamp, entry->kind, amount, entry->model,
               entry->prediction_id != NULL ? entry->prediction_id : "");
    }

  total = lk_money_format (spent);
  /* Translators: the total of actual costs and refunds in the ledger. */
  summary = g_strdup_printf (_("Spent in all: %s"), total);
  g_print ("\n%s\n", summary);
  return 0;
}

int
lk_cli_ledger (int    argc,
               char **argv)
{
  gboolean csv = FALSE;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print the ledger as CSV"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;

  g_option_context_set_summary (context, _("Lists every estimate, actual cost and refund, oldest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!(store = lk_cli_open_store ()))
    return 1;

  return csv ? print_csv (store) : print_table (store);
}
