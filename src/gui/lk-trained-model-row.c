/* lk-trained-model-row.c: one trained model in the Train page's list,
 * with its details, its cost and what can be done with it. The buttons
 * run the page's `train.*-model` actions with the model's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-trained-model-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-money.h"
#include "lk-trained-model-row.h"

struct _LkTrainedModelRow
{
  AdwExpanderRow  parent_instance;

  LkTrainedModel *model;
};

G_DEFINE_FINAL_TYPE (LkTrainedModelRow, lk_trained_model_row, ADW_TYPE_EXPANDER_ROW)

static GtkWidget *
add_detail (LkTrainedModelRow *self,
            const char        *title,
            const char        *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  return row;
}

static void
copy_clicked_cb (GtkButton  *button,
                 const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static GtkWidget *
action_button (LkTrainedModelRow *self,
               const char        *label,
               const char        *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", lk_trained_model_get_id (self->model));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static char *
describe_settings (JsonObject *input)
{
  if (!json_object_has_member (input, "steps"))
    return NULL;

  /* Translators: steps, LoRA rank, learning rate, resolutions. */
  return g_strdup_printf (_("%d steps, rank %d, learning rate %g, at %s pixels"),
                          (int) json_object_get_int_member (input, "steps"),
                          (int) json_object_get_int_member_with_default (input, "lora_rank", 16),
                          json_object_get_double_member_with_default (input, "learning_rate", 0.0004),
                          json_object_get_string_member_with_default (input, "resolution", "512,768,1024"));
}

static void
add_details (LkTrainedModelRow *self,
             LkTrainer         *trainer)
{
  LkTrainedModel *model = self->model;
  const char * const subjects[] = { _("A face"), _("A style"), _("An object") };
  g_autofree char *reference = lk_trained_model_dup_reference (model);
  g_autofree char *settings = describe_settings (lk_trained_model_get_input (model));
  g_autofree char *cost = lk_money_format (lk_trained_model_get_cost (model));
  int minutes = (int) ((lk_trained_model_get_predict_time (model) + 59) / 60);
  g_autofree char *training = NULL;
  g_autofree char *created = NULL;
  g_autofree char *sample = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (lk_trained_model_get_created (model));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *actions = adw_action_row_new ();

  created = g_date_time_format (date, "%x %X");
  /* Translators: minutes of GPU time, then what they cost. */
  training = lk_trained_model_get_predict_time (model) >= 0
             ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute of GPU time, %s", "%d minutes of GPU time, %s",
                                             minutes), minutes, cost)
             : g_strdup (cost);

  if (*lk_trained_model_get_description (model) != '\0')
    add_detail (self, _("Description"), lk_trained_model_get_description (model));
  add_detail (self, _("Learns"), subjects[lk_trained_model_get_subject_type (model)]);
  add_detail (self, _("Trigger Word"), lk_trained_model_get_trigger_word (model));
  if (reference != NULL)
    {
      GtkWidget *row = add_detail (self, _("Version on Replicate"), reference);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (copy, _("Copy the Version"));
      gtk_widget_add_css_class (copy, "flat");
      g_signal_connect_data (copy, "clicked", G_CALLBACK (copy_clicked_cb), g_strdup (reference),
                             (GClosureNotify) G_CALLBACK (g_free), 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
    }
  if (settings != NULL)
    add_detail (self, _("Settings"), settings);
  add_detail (self, _("Training"), training);
  add_detail (self, _("Started"), created);
  if (lk_trained_model_get_error (model) != NULL)
    add_detail (self, _("What Happened"), lk_trained_model_get_error (model));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_widget_set_margin_bottom (buttons, 6);
  if (reference != NULL && lk_trained_model_get_thumbnail (model) == NULL)
    {
      g_autofree char *sample_cost = lk_money_format (lk_trainer_estimate_sample (trainer));

      /* Translators: %s is the cost of one portrait. */
      sample = g_strdup_printf (_("Make a _First Portrait, about %s"), sample_cost);
      gtk_box_append (GTK_BOX (buttons), action_button (self, sample, "train.make-sample"));
    }
  gtk_box_append (GTK_BOX (buttons), action_button (self, _("_Rename…"), "train.rename-model"));
  if (!lk_trained_model_is_under_way (model))
    {
      GtkWidget *delete = action_button (self, _("_Delete…"), "train.delete-model");

      gtk_widget_add_css_class (delete, "destructive-action");
      gtk_box_append (GTK_BOX (buttons), delete);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), buttons);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), actions);
}

static void
add_picture (LkTrainedModelRow *self)
{
  const char *thumbnail = lk_trained_model_get_thumbnail (self->model);
  GtkWidget *picture;

  if (thumbnail != NULL)
    {
      picture = gtk_picture_new_for_filename (thumbnail);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (picture, 40, 40);
      gtk_widget_add_css_class (picture, "card");
    }
  else
    {
      picture = gtk_image_new_from_icon_name ("lk-train-symbolic");
      gtk_image_set_pixel_size (GTK_IMAGE (picture), 32);
    }

  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), picture);
}

/**
 * lk_trained_model_row_new:
 * @trainer: for the price of a first portrait
 *
 * Returns: (transfer floating): a row showing @model
 */
GtkWidget *
lk_trained_model_row_new (LkTrainedModel *model,
                          LkTrainer      *trainer)
{
  LkTrainedModelRow *self;
  g_autofree char *subtitle = NULL;
  g_autofree char *cost = NULL;

  g_return_val_if_fail (LK_IS_TRAINED_MODEL (model), NULL);
  g_return_val_if_fail (LK_IS_TRAINER (trainer), NULL);

  self = g_object_new (LK_TYPE_TRAINED_MODEL_ROW, "use-markup", FALSE, NULL);
  self->model = g_object_ref (model);

  cost = lk_money_format (lk_trained_model_get_cost (model));
  /* Translators: the status, the trigger word, what it cost. */
  subtitle = g_strdup_printf (_("%s · %s · %s"), lk_training_status_describe (lk_trained_model_get_status (model)),
                              lk_trained_model_get_trigger_word (model), cost);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), lk_trained_model_get_name (model));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  add_picture (self);

  if (lk_trained_model_is_under_way (model))
    {
      GtkWidget *show = gtk_button_new_with_mnemonic (_("_Show Progress"));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (show), "train.show-progress");
      gtk_widget_set_valign (show, GTK_ALIGN_CENTER);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self), show);
    }

  add_details (self, trainer);
  return GTK_WIDGET (self);
}

/**
 * lk_trained_model_row_get_model:
 *
 * Returns: (transfer none): the model shown
 */
LkTrainedModel *
lk_trained_model_row_get_model (LkTrainedModelRow *self)
{
  g_return_val_if_fail (LK_IS_TRAINED_MODEL_ROW (self), NULL);

  return self->model;
}

static void
lk_trained_model_row_dispose (GObject *object)
{
  LkTrainedModelRow *self = LK_TRAINED_MODEL_ROW (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (lk_trained_model_row_parent_class)->dispose (object);
}

static void
lk_trained_model_row_class_init (LkTrainedModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_trained_model_row_dispose;
}

static void
lk_trained_model_row_init (LkTrainedModelRow *self)
{
}
