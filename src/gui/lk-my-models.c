/* lk-my-models.c: "My Models" at the top of the Styles page: a card for
 * the reference photos and one per trained model that is ready; the one
 * chosen runs the next job, and is remembered.
 *
 * The section shows only once a training has succeeded. The choice is
 * kept in the `chosen-model` setting as the model's id ("" for the
 * photos); a remembered model that is gone falls back to the photos.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-my-models"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-my-models.h"

#define CHOSEN_MODEL_KEY "chosen-model"
#define ART_SIZE 64

struct _LkMyModels
{
  GtkBox         parent_instance;

  LkApplication *application;
  GSettings     *settings;
  GCancellable  *cancellable;
  /* The models of the cards after the photos card, in order. */
  GPtrArray     *models;
  LkTrainedModel *chosen;
  gboolean       filling;

  GtkFlowBox    *flow_box;
};

G_DEFINE_FINAL_TYPE (LkMyModels, lk_my_models, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_chosen (LkMyModels     *self,
            LkTrainedModel *model)
{
  if (g_set_object (&self->chosen, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}

static GtkWidget *
create_card (const char *title,
             const char *subtitle,
             GtkWidget  *art)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *caption = gtk_label_new (subtitle);

  gtk_widget_set_size_request (box, 140, -1);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (caption, "caption");
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_image_set_pixel_size (GTK_IMAGE (art), ART_SIZE);

  gtk_box_append (GTK_BOX (box), art);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), caption);
  return box;
}

static GtkWidget *
create_model_card (LkTrainedModel *model)
{
  const char *thumbnail = lk_trained_model_get_thumbnail (model);
  GtkWidget *art = thumbnail != NULL && g_file_test (thumbnail, G_FILE_TEST_IS_REGULAR)
    ? gtk_image_new_from_file (thumbnail)
    : gtk_image_new_from_icon_name ("avatar-default-symbolic");
  /* Translators: a trained model's trigger word. */
  g_autofree char *trigger = g_strdup_printf (_("Trigger word: %s"), lk_trained_model_get_trigger_word (model));

  return create_card (lk_trained_model_get_name (model), trigger, art);
}

static void
selected_changed_cb (LkMyModels *self)
{
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (self->flow_box);
  int index = selected != NULL ? gtk_flow_box_child_get_index (selected->data) : 0;
  LkTrainedModel *model = index > 0 ? g_ptr_array_index (self->models, index - 1) : NULL;
  g_autofree char *id = NULL;

  if (self->filling)
    return;

  id = model != NULL ? g_strdup_printf ("%" G_GINT64_FORMAT, lk_trained_model_get_id (model)) : g_strdup ("");
  g_settings_set_string (self->settings, CHOSEN_MODEL_KEY, id);
  set_chosen (self, model);
}

/* The cards, with the remembered choice selected. */
static void
fill (LkMyModels *self,
      GPtrArray  *all)
{
  g_autofree char *remembered = g_settings_get_string (self->settings, CHOSEN_MODEL_KEY);
  LkTrainedModel *chosen = NULL;
  GtkWidget *child;
  guint chosen_index = 0;

  g_ptr_array_set_size (self->models, 0);
  for (guint i = 0; i < all->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (all, i);

      if (lk_trained_model_get_status (model) == LK_TRAINING_STATUS_SUCCEEDED)
        g_ptr_array_add (self->models, g_object_ref (model));
    }

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))))
    gtk_flow_box_remove (self->flow_box, child);

  gtk_flow_box_append (self->flow_box,
                       create_card (_("Your Photos"), _("Identity from your reference photos"),
                                    gtk_image_new_from_icon_name ("camera-photo-symbolic")));
  for (guint i = 0; i < self->models->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (self->models, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, lk_trained_model_get_id (model));

      gtk_flow_box_append (self->flow_box, create_model_card (model));
      if (g_str_equal (id, remembered))
        {
          chosen = model;
          chosen_index = i + 1;
        }
    }

  gtk_flow_box_select_child (self->flow_box, gtk_flow_box_get_child_at_index (self->flow_box, chosen_index));
  self->filling = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self), self->models->len > 0);
  set_chosen (self, chosen);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkMyModels) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  models = lk_store_list_trained_models_finish (LK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (models == NULL)
    {
      g_warning ("Could not list the trained models: %s", error->message);
      return;
    }

  fill (self, models);
}

/**
 * lk_my_models_reload:
 *
 * Lists the trained models again, as after a training ended.
 */
void
lk_my_models_reload (LkMyModels *self)
{
  LkStore *store;

  g_return_if_fail (LK_IS_MY_MODELS (self));

  store = self->application != NULL ? lk_application_get_store (self->application) : NULL;
  if (store == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  lk_store_list_trained_models_async (store, self->cancellable, listed_cb, g_object_ref (self));
}

/**
 * lk_my_models_set_application:
 *
 * The models come from the app's store, once it is open.
 */
void
lk_my_models_set_application (LkMyModels    *self,
                              LkApplication *application)
{
  g_return_if_fail (LK_IS_MY_MODELS (self));
  g_return_if_fail (LK_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = g_object_ref (application);
  g_signal_connect_object (application, "notify::store", G_CALLBACK (lk_my_models_reload), self, G_CONNECT_SWAPPED);
  lk_my_models_reload (self);
}

/**
 * lk_my_models_get_chosen:
 *
 * Returns: (transfer none) (nullable): the trained model the next job
 *   runs, or %NULL for the reference photos
 */
LkTrainedModel *
lk_my_models_get_chosen (LkMyModels *self)
{
  g_return_val_if_fail (LK_IS_MY_MODELS (self), NULL);

  return self->chosen;
}

static void
lk_my_models_dispose (GObject *object)
{
  LkMyModels *self = LK_MY_MODELS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);
  g_clear_object (&self->settings);
  g_clear_object (&self->chosen);
  g_clear_pointer (&self->models, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_my_models_parent_class)->dispose (object);
}

static void
lk_my_models_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkMyModels *self = LK_MY_MODELS (object);

  switch (prop_id)
    {
    case PROP_CHOSEN:
      g_value_set_object (value, self->chosen);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_my_models_class_init (LkMyModelsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_my_models_dispose;
  object_class->get_property = lk_my_models_get_property;

  /* The trained model the next job runs, or %NULL for the photos. */
  properties[PROP_CHOSEN] =
    g_param_spec_object ("chosen", NULL, NULL, LK_TYPE_TRAINED_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_my_models_init (LkMyModels *self)
{
  GtkWidget *title = gtk_label_new (_("My Models"));

  self->settings = g_settings_new (BASE_ID);
  self->models = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-4");
  gtk_box_append (GTK_BOX (self), title);

  self->flow_box = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->flow_box, GTK_SELECTION_SINGLE);
  gtk_flow_box_set_homogeneous (self->flow_box, TRUE);
  gtk_flow_box_set_max_children_per_line (self->flow_box, 8);
  gtk_widget_add_css_class (GTK_WIDGET (self->flow_box), "card");
  g_signal_connect_object (self->flow_box, "selected-children-changed",
                           G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->flow_box));

  /* Shown again, the page lists the models again: a training may have
   * ended meanwhile. */
  g_signal_connect (self, "map", G_CALLBACK (lk_my_models_reload), NULL);
}
