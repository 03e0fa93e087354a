/* lk-batch-item-card.c: one portrait of a job on the Progress page: its
 * style, where it stands, the model that made it, and the image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch-item-card"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-batch-item-card.h"
#include "lk-image.h"
#include "lk-launch.h"
#include "lk-window.h"

/* Twice the card's width, so that the image stays sharp on a HiDPI screen. */
#define IMAGE_SIZE 512

struct _LkBatchItemCard
{
  AdwBin          parent_instance;

  LkBatch        *batch;
  LkBatchItem    *item;
  LkStyleLibrary *library;
  GCancellable   *cancellable;
  GCancellable   *choice_cancellable;
  GFile          *shown_file;
  guint           update_id;

  GtkImage       *placeholder_icon;
  GtkPicture     *picture;
  GtkSpinner     *spinner;
  GtkProgressBar *progress_bar;
  GtkLabel       *title_label;
  GtkLabel       *state_label;
  GtkLabel       *error_label;
  GtkLabel       *model_label;
  GtkWidget      *open_button;
  GtkWidget      *thumbnail_button;
  GtkWidget      *retry_button;
  GtkWidget      *cancel_button;
};

G_DEFINE_FINAL_TYPE (LkBatchItemCard, lk_batch_item_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BATCH,
  PROP_ITEM,
  PROP_LIBRARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe_state (LkBatchItem *item)
{
  LkBatchItemState state = lk_batch_item_get_state (item);
  double progress = lk_batch_item_get_progress (item);

  if (state == LK_BATCH_ITEM_STATE_GENERATING && progress >= 0)
    /* Translators: a portrait being made, and how far along it is. */
    return g_strdup_printf (_("Generating %.0f%%"), progress * 100);

  return g_strdup (lk_batch_item_state_describe (state));
}

static char *
describe_model (LkBatchItem *item)
{
  const char *name = lk_batch_item_get_model_name (item);

  if (name == NULL)
    return NULL;

  if (lk_batch_item_get_fallback_used (item))
    /* Translators: %s is a model's name; the first choice was unavailable. */
    return g_strdup_printf (_("%s, as a fallback"), name);

  return g_strdup (name);
}

static void
load_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = g_file_get_path (task_data);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = lk_image_load (path, IMAGE_SIZE, NULL, NULL, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

static void
load_image_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      /* The file is on disk and the card says so; only the preview is
       * missing, so the reason goes under the state. */
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), TRUE);
}

/* Decoding a full-size portrait takes longer than a frame, so it happens
 * on a worker; only the finished texture reaches the main loop. */
static void
show_image (LkBatchItemCard *self,
            GFile           *file)
{
  g_autoptr(GTask) task = NULL;

  if (file == self->shown_file || (file != NULL && self->shown_file != NULL && g_file_equal (file, self->shown_file)))
    return;

  g_set_object (&self->shown_file, file);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (file == NULL)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->picture), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, load_image_cb, NULL);
  g_task_set_source_tag (task, show_image);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_image_thread);
}

static void
update (LkBatchItemCard *self)
{
  LkBatchItem *item = self->item;
  LkBatchItemState state = lk_batch_item_get_state (item);
  double progress = lk_batch_item_get_progress (item);
  const char *error = lk_batch_item_get_error_message (item);
  gboolean done = state == LK_BATCH_ITEM_STATE_DONE;
  gboolean under_way = !lk_batch_item_get_finished (item) && state != LK_BATCH_ITEM_STATE_QUEUED;
  gboolean show_error = (state == LK_BATCH_ITEM_STATE_FAILED || state == LK_BATCH_ITEM_STATE_EXPIRED) &&
                        error != NULL && *error != '\0';
  g_autofree char *state_text = describe_state (item);
  g_autofree char *model_text = describe_model (item);
  GFile *output = done ? lk_batch_item_get_output_file (item) : NULL;

  gtk_label_set_label (self->title_label, lk_batch_item_get_style_name (item));
  gtk_label_set_label (self->state_label, state_text);
  gtk_label_set_label (self->model_label, model_text);
  gtk_widget_set_visible (GTK_WIDGET (self->model_label), model_text != NULL);

  gtk_label_set_label (self->error_label, show_error ? error : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), show_error);
  if (state == LK_BATCH_ITEM_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");

  gtk_spinner_set_spinning (self->spinner, under_way);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), under_way);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          state == LK_BATCH_ITEM_STATE_GENERATING && progress >= 0);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));

  gtk_widget_set_visible (self->cancel_button, lk_batch_item_get_can_cancel (item));
  gtk_widget_set_visible (self->retry_button, lk_batch_item_get_can_retry (item));
  gtk_widget_set_tooltip_text (self->retry_button,
                               state == LK_BATCH_ITEM_STATE_EXPIRED ? _("Generate Again") : _("Try Again"));
  gtk_widget_set_visible (self->open_button, output != NULL);
  gtk_widget_set_visible (self->thumbnail_button,
                          output != NULL && self->library != NULL &&
                          lk_style_library_lookup (self->library, lk_batch_item_get_style_id (item)) != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.cancel", lk_batch_item_get_can_cancel (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.retry", lk_batch_item_get_can_retry (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.open", output != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.use-as-thumbnail",
                                 gtk_widget_get_visible (self->thumbnail_button));

  show_image (self, output);
}

static gboolean
update_timeout_cb (gpointer user_data)
{
  LkBatchItemCard *self = user_data;

  self->update_id = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

/* An item may change hundreds of times a second (progress from the logs
 * of several polls, states in quick succession); the card notes that it
 * is out of date and redraws once when the update interval ends. */
static void
item_notify_cb (LkBatchItemCard *self)
{
  if (self->update_id == 0)
    self->update_id = g_timeout_add (LK_BATCH_ITEM_CARD_UPDATE_MS, update_timeout_cb, self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (widget);

  lk_batch_cancel_item (self->batch, self->item);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (widget);

  lk_batch_retry_item (self->batch, self->item);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (widget);

  lk_launch_file (widget, lk_batch_item_get_output_file (self->item));
}

static void
picture_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LkBatchItemCard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!lk_store_set_style_picture_finish (LK_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lk_window_add_toast_for (GTK_WIDGET (self), error->message);
      return;
    }

  /* The application shows the store's pictures on the styles' cards as
   * soon as the store changes; the card only confirms. */
  /* Translators: %s is a style's name. */
  message = g_strdup_printf (_("“%s” now shows this portrait"), lk_batch_item_get_style_name (self->item));
  lk_window_add_toast_for (GTK_WIDGET (self), message);
}

static void
use_as_thumbnail_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (widget);
  g_autofree char *path = g_file_get_path (lk_batch_item_get_output_file (self->item));

  lk_store_set_style_picture_async (lk_batch_get_store (self->batch), lk_batch_item_get_style_id (self->item), path,
                                    self->choice_cancellable, picture_chosen_cb, g_object_ref (self));
}

GtkWidget *
lk_batch_item_card_new (LkBatch        *batch,
                        LkBatchItem    *item,
                        LkStyleLibrary *library)
{
  g_return_val_if_fail (LK_IS_BATCH (batch), NULL);
  g_return_val_if_fail (LK_IS_BATCH_ITEM (item), NULL);
  g_return_val_if_fail (library == NULL || LK_IS_STYLE_LIBRARY (library), NULL);

  return g_object_new (LK_TYPE_BATCH_ITEM_CARD,
                       "batch", batch,
                       "item", item,
                       "library", library,
                       NULL);
}

/**
 * lk_batch_item_card_get_item:
 *
 * Returns: (transfer none): the portrait the card shows
 */
LkBatchItem *
lk_batch_item_card_get_item (LkBatchItemCard *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM_CARD (self), NULL);

  return self->item;
}

static void
lk_batch_item_card_constructed (GObject *object)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (object);
  LkStyle *style = NULL;

  G_OBJECT_CLASS (lk_batch_item_card_parent_class)->constructed (object);

  if (self->library != NULL)
    style = lk_style_library_lookup (self->library, lk_batch_item_get_style_id (self->item));
  if (style != NULL)
    gtk_image_set_from_icon_name (self->placeholder_icon, lk_style_get_icon (style));

  g_signal_connect_object (self->item, "notify", G_CALLBACK (item_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
lk_batch_item_card_dispose (GObject *object)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->choice_cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  /* AdwBin unparents its child itself: it goes first, so that
   * gtk_widget_dispose_template() does not leave AdwBin a dangling one. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_BATCH_ITEM_CARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->choice_cancellable);
  g_clear_object (&self->shown_file);
  g_clear_object (&self->item);
  g_clear_object (&self->batch);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (lk_batch_item_card_parent_class)->dispose (object);
}

static void
lk_batch_item_card_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;

    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_batch_item_card_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkBatchItemCard *self = LK_BATCH_ITEM_CARD (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      self->batch = g_value_dup_object (value);
      break;

    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;

    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_batch_item_card_class_init (LkBatchItemCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lk_batch_item_card_constructed;
  object_class->dispose = lk_batch_item_card_dispose;
  object_class->get_property = lk_batch_item_card_get_property;
  object_class->set_property = lk_batch_item_card_set_property;

  /** LkBatchItemCard:batch: the job the portrait belongs to */
  properties[PROP_BATCH] = g_param_spec_object ("batch", NULL, NULL, LK_TYPE_BATCH, flags);
  /** LkBatchItemCard:item: the portrait the card shows */
  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, LK_TYPE_BATCH_ITEM, flags);
  /** LkBatchItemCard:library: the styles, for the icon and the style's picture */
  properties[PROP_LIBRARY] = g_param_spec_object ("library", NULL, NULL, LK_TYPE_STYLE_LIBRARY, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-batch-item-card.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, placeholder_icon);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, picture);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, model_label);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, open_button);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, thumbnail_button);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LkBatchItemCard, cancel_button);

  gtk_widget_class_install_action (widget_class, "card.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "card.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "card.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "card.use-as-thumbnail", NULL, use_as_thumbnail_action);
}

static void
lk_batch_item_card_init (LkBatchItemCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Its own, since a new image cancels the image's cancellable while the
   * choice of a style's picture may still be on its way to the store. */
  self->choice_cancellable = g_cancellable_new ();
}
