/* lk-cli-account.c: `likeness-cli account`, the account the token belongs to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"

int
lk_cli_account (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(LkClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL },
  };
  static const char * const fields[] = { "username", "type", "name" };

  g_option_context_set_summary (context, _("Show the Replicate account the API token belongs to."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return 1;

  client = lk_cli_client_new ();
  lk_client_get_account_async (client, lk_cli_interruptible (), lk_cli_result_cb, &result);
  if (!(account = lk_client_get_account_finish (client, lk_cli_await (&result), &error)))
    return lk_cli_fail (error);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *value = json_object_get_member (account, fields[i]);

      if (value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        json_object_set_string_member (summary, fields[i], json_node_get_string (value));
    }

  if (json)
    {
      node = json_node_init_object (json_node_alloc (), summary);
      lk_cli_print_json (node);
      return 0;
    }

  /* TRANSLATORS: the three labels are aligned with spaces. */
  g_print (_("Username: %s\n"), json_object_get_string_member_with_default (summary, "username", ""));
  g_print (_("Type:     %s\n"), json_object_get_string_member_with_default (summary, "type", ""));
  g_print (_("Name:     %s\n"), json_object_get_string_member_with_default (summary, "name", ""));
  return 0;
}
