/* lk-style-editor.c: the dialog that makes, edits or duplicates a style.
 * Every change is checked at once and shown next to its field, the final
 * prompt is previewed as it is typed, and Save stays off until the style
 * is usable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-style-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-style-art.h"
#include "lk-style-editor.h"

/* Models take English prompts, so the preview names the person as the
 * identity models will. */
#define PREVIEW_SUBJECT "a person"

/* Colours from the GNOME palette; a style's own colour joins them when it
 * is not one of these. */
static const char * const palette[] = {
  "#3584e4", "#1a5fb4", "#62a0ea", "#2190a4", "#26a269", "#f5c211",
  "#e5a50a", "#ff7800", "#c64600", "#e01b24", "#a51d2d", "#c061cb",
  "#9141ac", "#865e3c", "#63452c", "#77767b", "#3d3846", "#241f31",
};

struct _LkStyleEditor
{
  AdwWindow       parent_instance;

  LkStyleLibrary *library;
  LkStyle        *draft;
  gboolean        replacing;
  gboolean        loading;
  gboolean        name_touched;

  LkStyleArt     *art;
  GtkLabel       *save_error;
  AdwEntryRow    *name_row;
  AdwEntryRow    *description_row;
  AdwComboRow    *category_row;
  GtkLabel       *name_error;
  GtkLabel       *description_error;
  GtkWidget      *prompt_frame;
  GtkTextView    *prompt_view;
  GtkLabel       *prompt_error;
  GtkLabel       *preview_label;
  AdwEntryRow    *negative_row;
  GtkLabel       *negative_error;
  AdwComboRow    *aspect_row;
  GtkSpinButton  *weight_spin;
  GtkSpinButton  *guidance_spin;
  GtkLabel       *size_error;
  GtkFlowBox     *color_box;
  GtkFlowBox     *icon_box;
};

G_DEFINE_FINAL_TYPE (LkStyleEditor, lk_style_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_DRAFT,
  PROP_REPLACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
selected_value (GtkFlowBox *box)
{
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (box);

  return selected != NULL ? g_object_get_data (selected->data, "value") : NULL;
}

static char *
get_prompt (LkStyleEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Where a problem with @field is shown: the field's own message, or the
 * one at the top for fields that the dialog's controls keep usable and
 * only an imported style can get wrong. */
static GtkLabel *
error_label_for (LkStyleEditor *self,
                 LkStyleField   field,
                 GtkWidget    **widget)
{
  *widget = NULL;

  switch ((int) field)
    {
    case LK_STYLE_FIELD_NAME:
      *widget = GTK_WIDGET (self->name_row);
      return self->name_error;

    case LK_STYLE_FIELD_DESCRIPTION:
      *widget = GTK_WIDGET (self->description_row);
      return self->description_error;

    case LK_STYLE_FIELD_PROMPT:
      *widget = self->prompt_frame;
      return self->prompt_error;

    case LK_STYLE_FIELD_NEGATIVE_PROMPT:
      *widget = GTK_WIDGET (self->negative_row);
      return self->negative_error;

    case LK_STYLE_FIELD_SIZE:
      *widget = GTK_WIDGET (self->aspect_row);
      return self->size_error;

    default:
      return self->save_error;
    }
}

static void
show_field_error (GtkLabel   *label,
                  GtkWidget  *widget,
                  const char *message)
{
  gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (widget == NULL)
    return;

  if (message != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

static void
validate (LkStyleEditor *self)
{
  gboolean valid = TRUE;
  GtkWidget *widget;

  gtk_widget_set_visible (GTK_WIDGET (self->save_error), FALSE);

  for (LkStyleField field = LK_STYLE_FIELD_ID; field <= LK_STYLE_FIELD_ICON; field++)
    {
      g_autoptr(GError) error = NULL;
      GtkLabel *label = error_label_for (self, field, &widget);
      gboolean ok;

      /* A new style gets its id when it is saved. */
      if (field == LK_STYLE_FIELD_ID && !self->replacing)
        continue;

      ok = lk_style_library_check (self->library, self->draft, field, &error);
      valid &= ok;

      /* An empty name is not an error to point at before anything has
       * been typed. */
      if (!ok && field == LK_STYLE_FIELD_NAME && !self->name_touched)
        show_field_error (label, widget, NULL);
      else if (!ok || label != self->save_error)
        show_field_error (label, widget, ok ? NULL : error->message);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid);
}

static void
update_preview (LkStyleEditor *self)
{
  g_autofree char *prompt = lk_style_render_prompt (self->draft, PREVIEW_SUBJECT);
  g_autofree char *size = NULL;

  gtk_label_set_label (self->preview_label, prompt);

  /* Translators: an image size in pixels, width × height. */
  size = g_strdup_printf (_("%u × %u pixels"), lk_style_get_width (self->draft), lk_style_get_height (self->draft));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->aspect_row), size);
}

static void
field_changed_cb (LkStyleEditor *self)
{
  const char * const *categories = lk_style_library_get_categories (self->library);
  guint category = adw_combo_row_get_selected (self->category_row);
  g_autofree char *prompt = NULL;

  if (self->loading)
    return;

  prompt = get_prompt (self);
  g_object_set (self->draft,
                "name", gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                "description", gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
                "prompt", prompt,
                "negative-prompt", gtk_editable_get_text (GTK_EDITABLE (self->negative_row)),
                "identity-weight", gtk_spin_button_get_value (self->weight_spin),
                "guidance", gtk_spin_button_get_value (self->guidance_spin),
                NULL);
  if (category < g_strv_length ((GStrv) categories))
    g_object_set (self->draft, "category", categories[category], NULL);
  if (selected_value (self->color_box) != NULL)
    g_object_set (self->draft, "color", selected_value (self->color_box), NULL);
  if (selected_value (self->icon_box) != NULL)
    g_object_set (self->draft, "icon", selected_value (self->icon_box), NULL);

  update_preview (self);
  validate (self);
}

static void
name_row_changed_cb (LkStyleEditor *self)
{
  if (self->loading)
    return;

  self->name_touched = TRUE;
  field_changed_cb (self);
}

static void
aspect_row_selected_cb (LkStyleEditor *self)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (self->aspect_row);
  const char *ratio;
  guint width;
  guint height;

  if (self->loading || item == NULL)
    return;

  ratio = gtk_string_object_get_string (item);
  lk_style_get_aspect_size (ratio, &width, &height);
  g_object_set (self->draft, "aspect-ratio", ratio, "width", width, "height", height, NULL);
  field_changed_cb (self);
}

static void
add_choice (GtkFlowBox *box,
            GtkWidget  *content,
            const char *value,
            gboolean    selected)
{
  GtkWidget *child = gtk_flow_box_child_new ();

  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), content);
  g_object_set_data_full (G_OBJECT (child), "value", g_strdup (value), g_free);
  gtk_widget_set_tooltip_text (child, value);
  gtk_flow_box_append (box, child);

  if (selected)
    gtk_flow_box_select_child (box, GTK_FLOW_BOX_CHILD (child));
}

static void
add_swatch (LkStyleEditor *self,
            const char    *color)
{
  GtkWidget *swatch = lk_style_art_new ();

  lk_style_art_set_color (LK_STYLE_ART (swatch), color);
  gtk_widget_set_size_request (swatch, 32, 32);
  gtk_widget_set_halign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "swatch");
  add_choice (self->color_box, swatch, color,
              g_ascii_strcasecmp (color, lk_style_get_color (self->draft)) == 0);
}

static void
fill_choices (LkStyleEditor *self)
{
  const char * const *icons = lk_style_library_get_icons (self->library);
  const char *color = lk_style_get_color (self->draft);
  gboolean in_palette = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    in_palette |= g_ascii_strcasecmp (palette[i], color) == 0;

  if (!in_palette)
    add_swatch (self, color);
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    add_swatch (self, palette[i]);

  for (guint i = 0; icons[i] != NULL; i++)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icons[i]);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 24);
      add_choice (self->icon_box, image, icons[i], g_str_equal (icons[i], lk_style_get_icon (self->draft)));
    }
}

static guint
position_in (const char * const *values,
             const char         *value)
{
  for (guint i = 0; values[i] != NULL; i++)
    {
      if (g_str_equal (values[i], value))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* Shows the draft in the controls without taking anything as typed. */
static void
load_draft (LkStyleEditor *self)
{
  const char * const *categories = lk_style_library_get_categories (self->library);
  g_autoptr(GtkStringList) category_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ratios = gtk_string_list_new ((const char * const *) lk_style_get_aspect_ratios ());

  self->loading = TRUE;

  for (guint i = 0; categories[i] != NULL; i++)
    gtk_string_list_append (category_names, lk_style_library_get_category_name (self->library, categories[i]));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (category_names));
  adw_combo_row_set_selected (self->category_row, position_in (categories, lk_style_get_category (self->draft)));

  adw_combo_row_set_model (self->aspect_row, G_LIST_MODEL (ratios));
  adw_combo_row_set_selected (self->aspect_row,
                              position_in (lk_style_get_aspect_ratios (), lk_style_get_aspect_ratio (self->draft)));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), lk_style_get_name (self->draft));
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), lk_style_get_description (self->draft));
  gtk_editable_set_text (GTK_EDITABLE (self->negative_row), lk_style_get_negative_prompt (self->draft));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view), lk_style_get_prompt (self->draft), -1);
  gtk_spin_button_set_value (self->weight_spin, lk_style_get_identity_weight (self->draft));
  gtk_spin_button_set_value (self->guidance_spin, lk_style_get_guidance (self->draft));
  fill_choices (self);

  g_object_bind_property (self->draft, "color", self->art, "color", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->draft, "icon", self->art, "icon-name", G_BINDING_SYNC_CREATE);

  self->loading = FALSE;

  update_preview (self);
  validate (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LkStyleEditor *self = LK_STYLE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  gboolean saved;

  if (self->replacing)
    saved = lk_style_library_replace (self->library, self->draft, &error);
  else
    saved = lk_style_library_add (self->library, self->draft, &error) != NULL;

  if (!saved)
    {
      g_autofree char *message = g_strdup_printf (_("The style could not be saved: %s"), error->message);

      show_field_error (self->save_error, NULL, message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
lk_style_editor_constructed (GObject *object)
{
  LkStyleEditor *self = LK_STYLE_EDITOR (object);

  G_OBJECT_CLASS (lk_style_editor_parent_class)->constructed (object);

  g_signal_connect_object (gtk_text_view_get_buffer (self->prompt_view), "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  load_draft (self);
}

static void
lk_style_editor_dispose (GObject *object)
{
  LkStyleEditor *self = LK_STYLE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_STYLE_EDITOR);
  g_clear_object (&self->library);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (lk_style_editor_parent_class)->dispose (object);
}

static void
lk_style_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkStyleEditor *self = LK_STYLE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;

    case PROP_DRAFT:
      self->draft = g_value_dup_object (value);
      break;

    case PROP_REPLACING:
      self->replacing = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_editor_class_init (LkStyleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_style_editor_constructed;
  object_class->dispose = lk_style_editor_dispose;
  object_class->set_property = lk_style_editor_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL,
                         LK_TYPE_STYLE_LIBRARY,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * LkStyleEditor:draft:
   *
   * The style being edited; the dialog changes it as the user types.
   */
  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL,
                         LK_TYPE_STYLE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * LkStyleEditor:replacing:
   *
   * Whether Save replaces the user style with the draft's id; otherwise
   * it adds the draft as a new style.
   */
  properties[PROP_REPLACING] =
    g_param_spec_boolean ("replacing", NULL, NULL, FALSE,
                          (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_STYLE_ART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-style-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, art);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, save_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, description_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, prompt_frame);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, prompt_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, preview_label);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, negative_row);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, negative_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, weight_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, guidance_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, size_error);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, color_box);
  gtk_widget_class_bind_template_child (widget_class, LkStyleEditor, icon_box);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, aspect_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_style_editor_init (LkStyleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lk_style_editor_new:
 * @draft: the style to show, which the dialog changes as the user types
 * @replacing: whether Save replaces the user style with @draft's id,
 *   rather than adding @draft as a new one
 *
 * Returns: (transfer none): the dialog, owned by GTK's list of toplevels
 */
LkStyleEditor *
lk_style_editor_new (LkStyleLibrary *library,
                     LkStyle        *draft,
                     gboolean        replacing)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (library), NULL);
  g_return_val_if_fail (LK_IS_STYLE (draft), NULL);

  return g_object_new (LK_TYPE_STYLE_EDITOR,
                       "library", library,
                       "draft", draft,
                       "replacing", replacing,
                       NULL);
}

/**
 * lk_style_editor_get_draft:
 *
 * Returns: (transfer none): the style as the dialog shows it
 */
LkStyle *
lk_style_editor_get_draft (LkStyleEditor *self)
{
  g_return_val_if_fail (LK_IS_STYLE_EDITOR (self), NULL);

  return self->draft;
}
