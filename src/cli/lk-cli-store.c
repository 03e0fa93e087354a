/* lk-cli-store.c: opening the store for the commands that read it, with
 * its problems told the way the command line tells them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lk-cli.h"
#include "lk-store.h"

/**
 * lk_cli_open_store:
 *
 * Opens the store at its usual place. Prints why it could not, or that a
 * damaged file was moved aside, on stderr.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL after printing
 *   the error
 */
LkStore *
lk_cli_open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  g_autofree char *notice = NULL;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return NULL;
    }

  if ((notice = lk_store_describe_recovery (store)))
    g_printerr ("%s\n", notice);

  return g_steal_pointer (&store);
}
