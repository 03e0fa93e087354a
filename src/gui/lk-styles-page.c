/* lk-styles-page.c: the Styles page: a gallery of style cards grouped by
 * category, with search, the chosen set (kept in GSettings), the user's
 * own styles and style packs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-styles-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-style-card.h"
#include "lk-style-editor.h"
#include "lk-styles-page.h"

#define CHOSEN_KEY "chosen-styles"

/* One category: its heading and its cards. */
typedef struct
{
  GtkWidget          *box;
  GtkFlowBox         *flow_box;
  GtkFilterListModel *model;
} Section;

struct _LkStylesPage
{
  AdwBin              parent_instance;

  LkStyleLibrary     *library;
  GSettings          *settings;
  GCancellable       *cancellable;
  GHashTable         *chosen_ids;
  GtkCustomFilter    *chosen_filter;
  GtkFilterListModel *chosen;
  GtkCustomFilter    *search_filter;
  GPtrArray          *sections;
  GStrv               query;

  AdwToastOverlay    *toast_overlay;
  GtkSearchEntry     *search_entry;
  GtkStack           *content_stack;
  LkMyModels         *my_models;
  GtkBox             *sections_box;
  GtkLabel           *counter_label;
};

G_DEFINE_FINAL_TYPE (LkStylesPage, lk_styles_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
section_free (Section *section)
{
  g_clear_object (&section->model);
  g_free (section);
}

static void
show_toast (LkStylesPage *self,
            const char   *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
show_error (LkStylesPage *self,
            const char   *heading,
            const char   *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
style_matches_query (gpointer item,
                     gpointer user_data)
{
  LkStylesPage *self = user_data;
  LkStyle *style = item;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (self->query == NULL)
    return TRUE;

  text = g_strjoin (" ",
                    lk_style_get_name (style),
                    lk_style_get_description (style),
                    lk_style_library_get_category_name (self->library, lk_style_get_category (style)),
                    NULL);
  folded = g_utf8_casefold (text, -1);

  for (guint i = 0; self->query[i] != NULL; i++)
    {
      if (strstr (folded, self->query[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_chosen (gpointer item,
           gpointer user_data)
{
  LkStylesPage *self = user_data;

  return g_hash_table_contains (self->chosen_ids, lk_style_get_id (item));
}

/* The styles that are shown now, that is those that match the search. */
static GPtrArray *
visible_styles (LkStylesPage *self)
{
  GListModel *styles = lk_style_library_get_styles (self->library);
  GPtrArray *visible = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);

      if (style_matches_query (style, self))
        g_ptr_array_add (visible, g_steal_pointer (&style));
    }

  return visible;
}

static void
update_actions (LkStylesPage *self)
{
  gboolean has_library = self->library != NULL;
  guint n_chosen = g_list_model_get_n_items (G_LIST_MODEL (self->chosen));
  gboolean can_add = FALSE;

  if (has_library)
    {
      g_autoptr(GPtrArray) visible = visible_styles (self);

      for (guint i = 0; i < visible->len && !can_add; i++)
        can_add = !is_chosen (g_ptr_array_index (visible, i), self);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "styles.select-all", can_add);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "styles.clear", n_chosen > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "styles.export", n_chosen > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "styles.new", has_library);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "styles.import", has_library);
}

static void
update_counter (LkStylesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->chosen));
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("No styles chosen"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u style chosen", "%u styles chosen", n), n);

  gtk_label_set_label (self->counter_label, text);
}

static void
update_cards (LkStylesPage *self)
{
  for (guint i = 0; self->sections != NULL && i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (section->flow_box));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          LkStyleCard *card = LK_STYLE_CARD (child);

          lk_style_card_set_chosen (card, is_chosen (lk_style_card_get_style (card), self));
        }
    }
}

/* A category without a matching style is hidden; without any at all,
 * the page says so. */
static void
update_sections (LkStylesPage *self)
{
  guint total = 0;

  for (guint i = 0; self->sections != NULL && i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (section->model));

      gtk_widget_set_visible (section->box, shown > 0);
      total += shown;
    }

  gtk_stack_set_visible_child_name (self->content_stack, total > 0 ? "gallery" : "empty");
}

static void
set_chosen_ids (LkStylesPage       *self,
                const char * const *ids)
{
  g_settings_set_strv (self->settings, CHOSEN_KEY, ids);
}

/* GSettings holds the chosen set, so that every window and the next run
 * agree; the page follows it. */
static void
settings_chosen_changed_cb (LkStylesPage *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, CHOSEN_KEY);

  g_hash_table_remove_all (self->chosen_ids);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (self->chosen_ids, g_strdup (ids[i]));

  gtk_filter_changed (GTK_FILTER (self->chosen_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_cards (self);
  update_counter (self);
  update_actions (self);
}

/* Takes @id out of the chosen set, then puts it back at the end when
 * @chosen. */
static void
set_chosen (LkStylesPage *self,
            const char   *id,
            gboolean      chosen)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, CHOSEN_KEY);
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (!g_str_equal (ids[i], id))
        g_strv_builder_add (builder, ids[i]);
    }
  if (chosen)
    g_strv_builder_add (builder, id);

  updated = g_strv_builder_end (builder);
  set_chosen_ids (self, (const char * const *) updated);
}

static void
flow_box_child_activated_cb (LkStylesPage    *self,
                             GtkFlowBoxChild *child)
{
  LkStyle *style = lk_style_card_get_style (LK_STYLE_CARD (child));

  set_chosen (self, lk_style_get_id (style), !is_chosen (style, self));
}

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  LkStylesPage *self = user_data;
  LkStyleCard *card = lk_style_card_new (item);

  lk_style_card_set_chosen (card, is_chosen (item, self));
  return GTK_WIDGET (card);
}

static gboolean
is_in_category (gpointer item,
                gpointer user_data)
{
  return g_str_equal (lk_style_get_category (item), user_data);
}

static Section *
section_new (LkStylesPage *self,
             const char   *category)
{
  Section *section = g_new0 (Section, 1);
  GtkMultiFilter *filter = GTK_MULTI_FILTER (gtk_every_filter_new ());
  GtkWidget *heading;

  /* A flow box with a model cannot filter by itself, so the search is a
   * filter of the model, shared by every section. */
  gtk_multi_filter_append (filter, GTK_FILTER (gtk_custom_filter_new (is_in_category, g_strdup (category), g_free)));
  gtk_multi_filter_append (filter, g_object_ref (GTK_FILTER (self->search_filter)));
  section->model = gtk_filter_list_model_new (g_object_ref (lk_style_library_get_styles (self->library)),
                                              GTK_FILTER (filter));

  section->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  heading = gtk_label_new (lk_style_library_get_category_name (self->library, category));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_widget_set_margin_start (heading, 6);
  gtk_box_append (GTK_BOX (section->box), heading);

  section->flow_box = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (section->flow_box, GTK_SELECTION_NONE);
  gtk_flow_box_set_activate_on_single_click (section->flow_box, TRUE);
  gtk_flow_box_set_homogeneous (section->flow_box, TRUE);
  gtk_flow_box_set_min_children_per_line (section->flow_box, 1);
  gtk_flow_box_set_max_children_per_line (section->flow_box, 8);
  gtk_flow_box_set_column_spacing (section->flow_box, 12);
  gtk_flow_box_set_row_spacing (section->flow_box, 12);
  gtk_widget_set_valign (GTK_WIDGET (section->flow_box), GTK_ALIGN_START);
  gtk_flow_box_bind_model (section->flow_box, G_LIST_MODEL (section->model), create_card, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->flow_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_label (GTK_LABEL (heading)),
                                  -1);
  g_signal_connect_object (section->flow_box, "child-activated",
                           G_CALLBACK (flow_box_child_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (section->box), GTK_WIDGET (section->flow_box));

  gtk_box_append (self->sections_box, section->box);
  return section;
}

static void
remove_sections (LkStylesPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))))
    gtk_box_remove (self->sections_box, child);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
}

static void
styles_changed_cb (LkStylesPage *self)
{
  update_sections (self);
  update_actions (self);
}

static void
search_entry_search_changed_cb (LkStylesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_clear_pointer (&self->query, g_strfreev);
  /* Every word must match; the empty words that runs of spaces leave
   * match anything. */
  if (*g_strstrip (folded) != '\0')
    self->query = g_strsplit_set (folded, " \t", -1);

  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_sections (self);
  update_actions (self);
}

static void
search_entry_stop_search_cb (LkStylesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static LkStyle *
lookup_param (LkStylesPage *self,
              GVariant     *param)
{
  return lk_style_library_lookup (self->library, g_variant_get_string (param, NULL));
}

static void
present_editor (LkStylesPage *self,
                LkStyle      *draft,
                gboolean      replacing,
                const char   *title)
{
  LkStyleEditor *editor = lk_style_editor_new (self->library, draft, replacing);

  gtk_window_set_title (GTK_WINDOW (editor), title);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  const char * const *categories = lk_style_library_get_categories (self->library);
  g_autoptr(LkStyle) draft = NULL;
  guint width;
  guint height;

  lk_style_get_aspect_size ("4:5", &width, &height);
  draft = g_object_new (LK_TYPE_STYLE,
                        "category", categories[0],
                        "prompt", "portrait of " LK_STYLE_SUBJECT ", ",
                        "aspect-ratio", "4:5",
                        "width", width,
                        "height", height,
                        NULL);
  present_editor (self, draft, FALSE, _("New Style"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  LkStyle *style = lookup_param (self, param);
  g_autoptr(LkStyle) draft = NULL;

  if (style == NULL)
    return;

  draft = lk_style_copy (style);
  present_editor (self, draft, TRUE, _("Edit Style"));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  LkStyle *style = lookup_param (self, param);
  g_autoptr(LkStyle) draft = NULL;
  g_autofree char *name = NULL;

  if (style == NULL)
    return;

  draft = lk_style_copy (style);
  /* Translators: the name of a duplicated style; %s is the original's. */
  name = g_strdup_printf (_("%s (Copy)"), lk_style_get_name (style));
  g_object_set (draft, "name", name, NULL);
  present_editor (self, draft, FALSE, _("Duplicate Style"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkStylesPage     *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "style-id");
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  LkStyle *style;

  if (!g_str_equal (response, "delete") || !(style = lk_style_library_lookup (self->library, id)))
    return;

  name = g_strdup (lk_style_get_name (style));
  if (!lk_style_library_remove (self->library, id, &error))
    {
      show_error (self, _("Style Not Deleted"), error->message);
      return;
    }

  set_chosen (self, id, FALSE);
  /* Translators: %s is the name of the style just deleted. */
  message = g_strdup_printf (_("“%s” deleted"), name);
  show_toast (self, message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  LkStyle *style = lookup_param (self, param);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (style == NULL)
    return;

  /* Translators: %s is a style's name. */
  heading = g_strdup_printf (_("Delete “%s”?"), lk_style_get_name (style));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The style is removed for good. Portraits already made in it are kept."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "style-id", g_strdup (lk_style_get_id (style)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* File choosing: GtkFileDialog where GTK has it (4.10), the native file
 * chooser before. Either way the chosen file reaches @func. */
typedef void (*FileChosenFunc) (LkStylesPage *self,
                                GFile        *file,
                                gpointer      data);

typedef struct
{
  LkStylesPage   *self;
  FileChosenFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
} FileRequest;

static void
file_request_finish (FileRequest *request,
                     GFile       *file)
{
  if (file != NULL)
    request->func (request->self, file, request->data);

  if (request->data_free != NULL)
    request->data_free (request->data);
  g_object_unref (request->self);
  g_free (request);
}

static GListModel *
json_filters (void)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Style Packs"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  g_list_store_append (filters, filter);

  return G_LIST_MODEL (filters);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FileRequest *request = user_data;
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (g_object_get_data (object, "saving") != NULL)
    file = gtk_file_dialog_save_finish (dialog, result, &error);
  else
    file = gtk_file_dialog_open_finish (dialog, result, &error);

  if (error != NULL && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    show_error (request->self, _("No File Chosen"), error->message);

  file_request_finish (request, file);
}
#else
static void
file_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          FileRequest     *request)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  file_request_finish (request, file);
  g_object_unref (chooser);
}
#endif

static void
choose_file (LkStylesPage   *self,
             gboolean        saving,
             const char     *title,
             const char     *suggested_name,
             FileChosenFunc  func,
             gpointer        data,
             GDestroyNotify  data_free)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  g_autoptr(GListModel) filters = json_filters ();
  FileRequest *request = g_new0 (FileRequest, 1);

  request->self = g_object_ref (self);
  request->func = func;
  request->data = data;
  request->data_free = data_free;

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_modal (dialog, TRUE);
    gtk_file_dialog_set_filters (dialog, filters);
    if (saving)
      {
        g_object_set_data (G_OBJECT (dialog), "saving", GINT_TO_POINTER (TRUE));
        gtk_file_dialog_set_initial_name (dialog, suggested_name);
        gtk_file_dialog_save (dialog, parent, self->cancellable, file_dialog_cb, request);
      }
    else
      {
        gtk_file_dialog_open (dialog, parent, self->cancellable, file_dialog_cb, request);
      }
  }
#else
  {
    GtkFileChooserNative *chooser;
    g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, 0);

    chooser = gtk_file_chooser_native_new (title, parent,
                                           saving ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                           saving ? _("_Export") : _("_Import"),
                                           _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    if (saving)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
    g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), request);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

static void
pack_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkStylesPage) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL || !(imported = lk_style_library_import (self->library, bytes, &error)))
    {
      show_error (self, _("Style Pack Not Imported"), error->message);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u style imported", "%u styles imported",
                                          imported->len),
                             imported->len);
  show_toast (self, message);
}

static void
import_file_chosen (LkStylesPage *self,
                    GFile        *file,
                    gpointer      data)
{
  g_file_load_bytes_async (file, self->cancellable, pack_loaded_cb, g_object_ref (self));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  choose_file (LK_STYLES_PAGE (widget), FALSE, _("Import Style Pack"), NULL,
               import_file_chosen, NULL, NULL);
}

static void
pack_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkStylesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Style Pack Not Exported"), error->message);
      return;
    }

  name = g_file_get_basename (G_FILE (object));
  /* Translators: %s is the name of the file written. */
  message = g_strdup_printf (_("Exported to “%s”"), name);
  show_toast (self, message);
}

static void
export_file_chosen (LkStylesPage *self,
                    GFile        *file,
                    gpointer      data)
{
  g_file_replace_contents_bytes_async (file, data, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, pack_saved_cb, g_object_ref (self));
}

static void
export_styles (LkStylesPage *self,
               GListModel   *styles,
               const char   *suggested_name)
{
  GBytes *pack = lk_style_library_export (self->library, styles);

  choose_file (self, TRUE, _("Export Style Pack"), suggested_name,
               export_file_chosen, pack, (GDestroyNotify) g_bytes_unref);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);

  /* Translators: the suggested file name for exported styles. */
  export_styles (self, G_LIST_MODEL (self->chosen), _("likeness-styles.json"));
}

static void
export_style_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  LkStyle *style = lookup_param (self, param);
  g_autoptr(GListStore) one = g_list_store_new (LK_TYPE_STYLE);
  g_autofree char *name = NULL;

  if (style == NULL)
    return;

  g_list_store_append (one, style);
  name = g_strdup_printf ("%s.json", lk_style_get_id (style));
  export_styles (self, G_LIST_MODEL (one), name);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, CHOSEN_KEY);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) visible = visible_styles (self);
  g_auto(GStrv) all = NULL;

  /* Select All adds what the search shows to what is chosen already. */
  g_strv_builder_addv (builder, (const char **) ids);
  for (guint i = 0; i < visible->len; i++)
    {
      LkStyle *style = g_ptr_array_index (visible, i);

      if (!is_chosen (style, self))
        g_strv_builder_add (builder, lk_style_get_id (style));
    }

  all = g_strv_builder_end (builder);
  set_chosen_ids (self, (const char * const *) all);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkStylesPage *self = LK_STYLES_PAGE (widget);
  const char * const none[] = { NULL };

  set_chosen_ids (self, none);
}

static gboolean
focus_search (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  return gtk_widget_grab_focus (GTK_WIDGET (LK_STYLES_PAGE (widget)->search_entry));
}

static void
lk_styles_page_dispose (GObject *object)
{
  LkStylesPage *self = LK_STYLES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (lk_style_library_get_styles (self->library), self);
  /* AdwBin unparents its child itself; gtk_widget_dispose_template()
   * would do it first and leave AdwBin a dangling child. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_object (&self->chosen);
  g_clear_object (&self->chosen_filter);
  g_clear_object (&self->search_filter);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lk_styles_page_parent_class)->dispose (object);
}

static void
lk_styles_page_finalize (GObject *object)
{
  LkStylesPage *self = LK_STYLES_PAGE (object);

  g_clear_pointer (&self->chosen_ids, g_hash_table_unref);
  g_clear_pointer (&self->query, g_strfreev);

  G_OBJECT_CLASS (lk_styles_page_parent_class)->finalize (object);
}

static void
lk_styles_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkStylesPage *self = LK_STYLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;

    case PROP_CHOSEN:
      g_value_set_object (value, self->chosen);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_styles_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkStylesPage *self = LK_STYLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      lk_styles_page_set_library (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_styles_page_class_init (LkStylesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_styles_page_dispose;
  object_class->finalize = lk_styles_page_finalize;
  object_class->get_property = lk_styles_page_get_property;
  object_class->set_property = lk_styles_page_set_property;

  /**
   * LkStylesPage:library:
   *
   * The styles the gallery shows; the page is empty without one.
   */
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL,
                         LK_TYPE_STYLE_LIBRARY,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkStylesPage:chosen:
   *
   * The chosen styles, a #GListModel of #LkStyle in the gallery's order
   * that changes as the user chooses.
   */
  properties[PROP_CHOSEN] =
    g_param_spec_object ("chosen", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-styles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, my_models);
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, LkStylesPage, counter_label);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_stop_search_cb);

  gtk_widget_class_install_action (widget_class, "styles.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "styles.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "styles.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "styles.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "styles.export-style", "s", export_style_action);
  gtk_widget_class_install_action (widget_class, "styles.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "styles.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "styles.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "styles.clear", NULL, clear_action);
  g_type_ensure (LK_TYPE_MY_MODELS);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search, NULL);
}

static void
lk_styles_page_init (LkStylesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);
  self->chosen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->chosen_filter = gtk_custom_filter_new (is_chosen, self, NULL);
  self->search_filter = gtk_custom_filter_new (style_matches_query, self, NULL);
  self->chosen = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->chosen_filter)));

  g_signal_connect_object (self->settings, "changed::" CHOSEN_KEY,
                           G_CALLBACK (settings_chosen_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chosen, "items-changed",
                           G_CALLBACK (update_counter), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  settings_chosen_changed_cb (self);
}

LkStyleLibrary *
lk_styles_page_get_library (LkStylesPage *self)
{
  g_return_val_if_fail (LK_IS_STYLES_PAGE (self), NULL);

  return self->library;
}

/**
 * lk_styles_page_set_library:
 * @library: (nullable): the styles to show
 *
 * Builds the gallery: a section per category of @library.
 */
void
lk_styles_page_set_library (LkStylesPage   *self,
                            LkStyleLibrary *library)
{
  g_return_if_fail (LK_IS_STYLES_PAGE (self));
  g_return_if_fail (library == NULL || LK_IS_STYLE_LIBRARY (library));

  if (self->library == library)
    return;

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (lk_style_library_get_styles (self->library), self);
  remove_sections (self);
  g_set_object (&self->library, library);

  if (library != NULL)
    {
      const char * const *categories = lk_style_library_get_categories (library);
      GListModel *styles = lk_style_library_get_styles (library);

      self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
      for (guint i = 0; categories[i] != NULL; i++)
        g_ptr_array_add (self->sections, section_new (self, categories[i]));

      g_signal_connect_swapped (styles, "items-changed", G_CALLBACK (styles_changed_cb), self);
    }

  gtk_filter_list_model_set_model (self->chosen, library != NULL ? lk_style_library_get_styles (library) : NULL);
  update_sections (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIBRARY]);
}

/**
 * lk_styles_page_get_chosen:
 *
 * The styles the user chose for the next job. The list follows the
 * choice as it changes; a chosen style that is deleted leaves it.
 *
 * Returns: (transfer none): a #GListModel of #LkStyle
 */
GListModel *
lk_styles_page_get_chosen (LkStylesPage *self)
{
  g_return_val_if_fail (LK_IS_STYLES_PAGE (self), NULL);

  return G_LIST_MODEL (self->chosen);
}

/**
 * lk_styles_page_get_my_models:
 *
 * Returns: (transfer none): the "My Models" section, which says whether
 *   the next job runs a trained model
 */
LkMyModels *
lk_styles_page_get_my_models (LkStylesPage *self)
{
  g_return_val_if_fail (LK_IS_STYLES_PAGE (self), NULL);

  return self->my_models;
}
