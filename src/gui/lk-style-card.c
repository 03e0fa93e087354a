/* lk-style-card.c: one style in the gallery: its picture, name and
 * description, a check mark when it is chosen, and a menu of what can be
 * done with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-style-card"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-style-art.h"
#include "lk-style-card.h"

struct _LkStyleCard
{
  GtkFlowBoxChild  parent_instance;

  LkStyle         *style;
  gboolean         chosen;

  LkStyleArt      *art;
  GtkWidget       *check;
  GtkLabel        *name_label;
  GtkLabel        *description_label;
  GtkWidget       *own_label;
  GtkMenuButton   *menu_button;
};

G_DEFINE_FINAL_TYPE (LkStyleCard, lk_style_card, GTK_TYPE_FLOW_BOX_CHILD)

enum {
  PROP_0,
  PROP_STYLE,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_item (GMenu      *section,
          const char *label,
          const char *action,
          const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  g_menu_append_item (section, item);
}

/* The actions belong to the styles page, which holds the library; a
 * built-in style can only be duplicated and exported. */
static GMenuModel *
build_menu (LkStyle *style)
{
  const char *id = lk_style_get_id (style);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) changes = g_menu_new ();
  g_autoptr(GMenu) removal = g_menu_new ();

  if (!lk_style_get_built_in (style))
    add_item (changes, _("_Edit…"), "styles.edit", id);
  add_item (changes, _("D_uplicate…"), "styles.duplicate", id);
  add_item (changes, _("E_xport…"), "styles.export-style", id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (changes));

  if (!lk_style_get_built_in (style))
    {
      add_item (removal, _("_Delete"), "styles.delete", id);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (removal));
    }

  return G_MENU_MODEL (menu);
}

static void
show_style (LkStyleCard *self)
{
  g_autoptr(GMenuModel) menu = build_menu (self->style);
  g_autofree char *menu_label = NULL;

  g_object_bind_property (self->style, "name", self->name_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->style, "description", self->description_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->style, "color", self->art, "color", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->style, "icon", self->art, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->style, "thumbnail", self->art, "thumbnail", G_BINDING_SYNC_CREATE);

  gtk_widget_set_visible (self->own_label, !lk_style_get_built_in (self->style));
  gtk_menu_button_set_menu_model (self->menu_button, menu);

  /* A long name is cut short on the card; its tooltip has it whole. */
  g_object_bind_property (self->style, "name", self->name_label, "tooltip-text", G_BINDING_SYNC_CREATE);

  /* Translators: %s is a style's name, read out for the card's menu. */
  menu_label = g_strdup_printf (_("Menu for “%s”"), lk_style_get_name (self->style));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
}

static void
lk_style_card_constructed (GObject *object)
{
  LkStyleCard *self = LK_STYLE_CARD (object);

  G_OBJECT_CLASS (lk_style_card_parent_class)->constructed (object);

  show_style (self);
}

static void
lk_style_card_dispose (GObject *object)
{
  LkStyleCard *self = LK_STYLE_CARD (object);

  /* No gtk_widget_dispose_template(): the template's root is the flow box
   * child's child, which GtkFlowBoxChild unparents itself. */
  g_clear_object (&self->style);

  G_OBJECT_CLASS (lk_style_card_parent_class)->dispose (object);
}

static void
lk_style_card_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkStyleCard *self = LK_STYLE_CARD (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      g_value_set_object (value, self->style);
      break;

    case PROP_CHOSEN:
      g_value_set_boolean (value, self->chosen);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_card_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LkStyleCard *self = LK_STYLE_CARD (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      self->style = g_value_dup_object (value);
      break;

    case PROP_CHOSEN:
      lk_style_card_set_chosen (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_card_class_init (LkStyleCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_style_card_constructed;
  object_class->dispose = lk_style_card_dispose;
  object_class->get_property = lk_style_card_get_property;
  object_class->set_property = lk_style_card_set_property;

  properties[PROP_STYLE] =
    g_param_spec_object ("style", NULL, NULL,
                         LK_TYPE_STYLE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * LkStyleCard:chosen:
   *
   * Whether the style is among those the next job makes portraits in.
   */
  properties[PROP_CHOSEN] =
    g_param_spec_boolean ("chosen", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_STYLE_ART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-style-card.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, art);
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, check);
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, description_label);
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, own_label);
  gtk_widget_class_bind_template_child (widget_class, LkStyleCard, menu_button);
}

static void
lk_style_card_init (LkStyleCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkStyleCard *
lk_style_card_new (LkStyle *style)
{
  g_return_val_if_fail (LK_IS_STYLE (style), NULL);

  return g_object_new (LK_TYPE_STYLE_CARD,
                       "style", style,
                       NULL);
}

/**
 * lk_style_card_get_style:
 *
 * Returns: (transfer none): the style the card shows
 */
LkStyle *
lk_style_card_get_style (LkStyleCard *self)
{
  g_return_val_if_fail (LK_IS_STYLE_CARD (self), NULL);

  return self->style;
}

gboolean
lk_style_card_get_chosen (LkStyleCard *self)
{
  g_return_val_if_fail (LK_IS_STYLE_CARD (self), FALSE);

  return self->chosen;
}

void
lk_style_card_set_chosen (LkStyleCard *self,
                          gboolean     chosen)
{
  g_return_if_fail (LK_IS_STYLE_CARD (self));

  chosen = !!chosen;
  if (self->chosen == chosen)
    return;

  self->chosen = chosen;
  gtk_widget_set_visible (self->check, chosen);
  if (chosen)
    gtk_widget_add_css_class (GTK_WIDGET (self), "chosen");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "chosen");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_CHECKED,
                               chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}
