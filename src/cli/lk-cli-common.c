/* lk-cli-common.c: what the likeness-cli subcommands share: the client,
 * Ctrl-C, waiting for async calls, printing errors and JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "lk-cli.h"

static GCancellable *interrupt_cancellable;

LkClient *
lk_cli_client_new (void)
{
  return lk_client_new (NULL, NULL);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_printerr ("%s\n", _("Stopping…"));
  g_cancellable_cancel (interrupt_cancellable);
  return G_SOURCE_CONTINUE;
}

/* A cancellable that Ctrl-C cancels, so that a command can undo on the
 * server what it started there before it exits. */
GCancellable *
lk_cli_interruptible (void)
{
  if (interrupt_cancellable == NULL)
    {
      interrupt_cancellable = g_cancellable_new ();
      g_unix_signal_add (SIGINT, interrupt_cb, NULL);
    }

  return interrupt_cancellable;
}

void
lk_cli_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main loop until lk_cli_result_cb() filled @slot. */
GAsyncResult *
lk_cli_await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

int
lk_cli_fail (const GError *error)
{
  /* Only Ctrl-C cancels; whatever ran on the server was stopped first. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("%s\n", _("Stopped by Ctrl-C."));
  else
    g_printerr ("%s\n", error->message);

  return 1;
}

gboolean
lk_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      lk_cli_fail (error);
      return FALSE;
    }

  return TRUE;
}

void
lk_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}
