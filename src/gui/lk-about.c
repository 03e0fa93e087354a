/* lk-about.c: the About window, built from the metainfo in the resources so
 * that the name, summary, links and release notes are written once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-about"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lk-about.h"

#define METAINFO_PATH RESOURCE_PATH "/metainfo.xml"

#if !ADW_CHECK_VERSION (1, 5, 0)
/* libadwaita before 1.5 cannot read metainfo itself, so the fields the
 * About window shows are picked out here. */
typedef struct
{
  GPtrArray *stack;
  GString   *text;
  char      *name;
  char      *summary;
  char      *developer;
  char      *homepage;
  char      *bugtracker;
  char      *release_version;
  GString   *release_notes;
  gboolean   in_release_notes;
  gboolean   release_done;
} Metainfo;

static void
metainfo_clear (Metainfo *info)
{
  g_clear_pointer (&info->stack, g_ptr_array_unref);
  g_string_free (info->text, TRUE);
  g_free (info->name);
  g_free (info->summary);
  g_free (info->developer);
  g_free (info->homepage);
  g_free (info->bugtracker);
  g_free (info->release_version);
  g_string_free (info->release_notes, TRUE);
}

static const char *
parent_element (Metainfo *info,
                guint     up)
{
  if (info->stack->len <= up)
    return "";

  return g_ptr_array_index (info->stack, info->stack->len - 1 - up);
}

/* Runs of white space in the XML become one space, as in HTML. */
static char *
collapse_text (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Metainfo *info = user_data;
  const char *lang = NULL;
  const char *type = NULL;
  const char *version = NULL;

  for (guint i = 0; names[i]; i++)
    {
      if (g_str_equal (names[i], "xml:lang"))
        lang = values[i];
      else if (g_str_equal (names[i], "type"))
        type = values[i];
      else if (g_str_equal (names[i], "version"))
        version = values[i];
    }

  /* Translations of a field repeat the element and are skipped; links are
   * told apart by their type. */
  if (lang != NULL)
    g_ptr_array_add (info->stack, g_strdup (""));
  else if (g_str_equal (element, "url") && type != NULL)
    g_ptr_array_add (info->stack, g_strconcat ("url-", type, NULL));
  else
    g_ptr_array_add (info->stack, g_strdup (element));
  g_string_truncate (info->text, 0);

  if (g_str_equal (element, "release") && !info->release_done && info->release_version == NULL)
    info->release_version = g_strdup (version);
  else if (g_str_equal (element, "description") && g_str_equal (parent_element (info, 1), "release")
           && !info->release_done)
    info->in_release_notes = TRUE;
  else if (info->in_release_notes && lang == NULL)
    g_string_append_printf (info->release_notes, "<%s>", element);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Metainfo *info = user_data;
  const char *current = parent_element (info, 0);
  const char *parent = parent_element (info, 1);
  g_autofree char *text = collapse_text (info->text->str);

  if (g_str_equal (current, "name") && g_str_equal (parent, "component") && info->name == NULL)
    info->name = g_steal_pointer (&text);
  else if (g_str_equal (current, "summary") && g_str_equal (parent, "component") && info->summary == NULL)
    info->summary = g_steal_pointer (&text);
  else if (g_str_equal (current, "name") && g_str_equal (parent, "developer") && info->developer == NULL)
    info->developer = g_steal_pointer (&text);
  else if (g_str_equal (current, "url-homepage") && info->homepage == NULL)
    info->homepage = g_steal_pointer (&text);
  else if (g_str_equal (current, "url-bugtracker") && info->bugtracker == NULL)
    info->bugtracker = g_steal_pointer (&text);
  else if (g_str_equal (current, "description") && info->in_release_notes)
    {
      info->in_release_notes = FALSE;
      info->release_done = TRUE;
    }
  else if (info->in_release_notes && *current != '\0')
    g_string_append_printf (info->release_notes, "</%s>", element);

  g_string_truncate (info->text, 0);
  g_ptr_array_remove_index (info->stack, info->stack->len - 1);
}

static void
text (GMarkupParseContext  *context,
      const char           *text_,
      gsize                 len,
      gpointer              user_data,
      GError              **error)
{
  Metainfo *info = user_data;

  if (info->in_release_notes && *parent_element (info, 0) != '\0')
    {
      g_autofree char *raw = g_strndup (text_, len);
      g_autofree char *collapsed = collapse_text (raw);
      g_autofree char *escaped = g_markup_escape_text (collapsed, -1);

      g_string_append (info->release_notes, escaped);
    }
  else
    {
      g_string_append_len (info->text, text_, len);
    }
}

static gboolean
metainfo_parse (Metainfo  *info,
                GError   **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (METAINFO_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, info, NULL);

  return g_markup_parse_context_parse (context, data, size, error) &&
         g_markup_parse_context_end_parse (context, error);
}
#endif

/**
 * lk_about_present:
 * @parent: (nullable): the window the About window belongs to
 *
 * Shows the About window for Likeness.
 */
void
lk_about_present (GtkWindow *parent)
{
  static const char *developers[] = { N_("The Likeness developers"), NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new_from_appdata (METAINFO_PATH, PACKAGE_VERSION);

  adw_about_dialog_set_application_icon (ADW_ABOUT_DIALOG (about), APP_ID);
  adw_about_dialog_set_developers (ADW_ABOUT_DIALOG (about), developers);
  adw_about_dialog_set_copyright (ADW_ABOUT_DIALOG (about), "© 2026 The Likeness developers");
  adw_about_dialog_set_translator_credits (ADW_ABOUT_DIALOG (about), _("translator-credits"));
  adw_dialog_present (about, parent != NULL ? GTK_WIDGET (parent) : NULL);
#else
  g_autoptr(GError) error = NULL;
  Metainfo info = {
    .stack = g_ptr_array_new_with_free_func (g_free),
    .text = g_string_new (NULL),
    .release_notes = g_string_new (NULL),
  };
  GtkWidget *about;

  if (!metainfo_parse (&info, &error))
    g_critical ("The metainfo in the resources is broken: %s", error->message);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", info.name,
                        "application-icon", APP_ID,
                        "comments", info.summary,
                        "developer-name", info.developer,
                        "version", PACKAGE_VERSION,
                        "website", info.homepage,
                        "issue-url", info.bugtracker,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Likeness developers",
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "release-notes-version", info.release_version,
                        "release-notes", info.release_notes->str,
                        NULL);
  metainfo_clear (&info);
  gtk_window_present (GTK_WINDOW (about));
#endif
}
