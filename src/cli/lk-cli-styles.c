/* lk-cli-styles.c: `likeness-cli styles`, the built-in styles and the
 * user's own, as a table or as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-style-library.h"

static void
print_json (GListModel *styles)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);
      JsonObject *object = lk_style_to_json (style);

      json_object_set_boolean_member (object, "built_in", lk_style_get_built_in (style));
      json_array_add_object_element (array, object);
    }

  json_node_set_array (node, array);
  lk_cli_print_json (node);
}

/* Pads with spaces to @width characters, not bytes, so that names with
 * accents keep the columns straight. */
static void
print_cell (const char *text,
            guint       width)
{
  g_print ("%s%*s", text, (int) (width - g_utf8_strlen (text, -1)), "");
}

static void
print_table (LkStyleLibrary *library)
{
  GListModel *styles = lk_style_library_get_styles (library);
  const char *id_title = _("ID");
  const char *name_title = _("NAME");
  guint id_width = g_utf8_strlen (id_title, -1);
  guint name_width = g_utf8_strlen (name_title, -1);

  for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);

      id_width = MAX (id_width, g_utf8_strlen (lk_style_get_id (style), -1));
      name_width = MAX (name_width, g_utf8_strlen (lk_style_get_name (style), -1));
    }

  print_cell (id_title, id_width + 2);
  print_cell (name_title, name_width + 2);
  g_print ("%s\n", _("CATEGORY"));

  for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);

      print_cell (lk_style_get_id (style), id_width + 2);
      print_cell (lk_style_get_name (style), name_width + 2);
      g_print ("%s\n", lk_style_library_get_category_name (library, lk_style_get_category (style)));
    }
}

int
lk_cli_styles (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(LkStyleLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every style in full as a JSON array"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _("List the portrait styles: the built-in ones, then your own."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return 1;

  library = lk_style_library_new (NULL);
  if (!lk_style_library_load (library, &error))
    return lk_cli_fail (error);

  if (json)
    print_json (lk_style_library_get_styles (library));
  else
    print_table (library);

  return 0;
}
