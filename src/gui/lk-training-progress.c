/* lk-training-progress.c: a training as it goes: status, steps, time,
 * cost so far and the logs, from the properties of an LkTrainer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-training-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-money.h"
#include "lk-training-progress.h"

struct _LkTrainingProgress
{
  AdwBin             parent_instance;

  LkTrainer         *trainer;

  GtkSpinner        *spinner;
  GtkLabel          *status_label;
  GtkProgressBar    *progress_bar;
  GtkLabel          *notice_label;
  GtkLabel          *step_label;
  GtkLabel          *elapsed_label;
  GtkWidget         *eta_row;
  GtkLabel          *eta_label;
  GtkLabel          *cost_label;
  GtkScrolledWindow *logs_scroller;
  GtkTextView       *logs_view;
};

G_DEFINE_FINAL_TYPE (LkTrainingProgress, lk_training_progress, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TRAINER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (LkTrainingProgress *self)
{
  LkTrainer *trainer = self->trainer;
  LkTrainingStatus status = lk_trainer_get_status (trainer);
  guint step = lk_trainer_get_step (trainer);
  guint total = lk_trainer_get_total_steps (trainer);
  double eta = lk_trainer_get_eta (trainer);
  g_autofree char *elapsed = lk_trainer_format_duration (lk_trainer_get_elapsed (trainer));
  g_autofree char *left = lk_trainer_format_duration (eta);
  g_autofree char *cost = lk_money_format (lk_trainer_get_cost (trainer));
  g_autofree char *steps = NULL;
  gboolean under_way = lk_training_status_is_under_way (status) || lk_trainer_get_making_sample (trainer);

  gtk_spinner_set_spinning (self->spinner, under_way);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), under_way);
  gtk_label_set_label (self->status_label, lk_trainer_get_making_sample (trainer)
                                           ? _("Making a first portrait with your model")
                                           : lk_training_status_describe (status));

  if (total > 0)
    {
      /* Translators: training steps done, of all of them. */
      steps = g_strdup_printf (_("%u of %u"), step, total);
      gtk_progress_bar_set_fraction (self->progress_bar, (double) step / total);
    }
  else
    {
      steps = g_strdup (status == LK_TRAINING_STATUS_PROCESSING ? _("Getting ready") : "—");
      gtk_progress_bar_set_fraction (self->progress_bar, status == LK_TRAINING_STATUS_SUCCEEDED ? 1 : 0);
    }

  /* Before the first step the status above says all there is; once it
   * ended there is no time left to tell. */
  gtk_progress_bar_set_show_text (self->progress_bar, total > 0);
  gtk_widget_set_visible (self->eta_row, under_way);

  gtk_label_set_label (self->step_label, steps);
  gtk_label_set_label (self->elapsed_label, elapsed);
  gtk_label_set_label (self->eta_label, eta >= 0 ? left : "—");
  gtk_label_set_label (self->cost_label, cost);

  gtk_label_set_label (self->notice_label, lk_trainer_get_notice (trainer) != NULL ? lk_trainer_get_notice (trainer) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), lk_trainer_get_notice (trainer) != NULL);
}

static void
update_logs (LkTrainingProgress *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->logs_view);
  const char *logs = lk_trainer_get_logs (self->trainer);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->logs_scroller);
  gboolean at_end = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
                    gtk_adjustment_get_upper (adjustment) - 1;
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, logs != NULL ? logs : "", -1);

  /* Follow the end, unless the person scrolled back to read. A mark,
   * unlike an iter, is scrolled to once the new text is laid out. */
  if (at_end)
    {
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
      gtk_text_view_scroll_to_mark (self->logs_view, gtk_text_buffer_get_insert (buffer), 0, FALSE, 0, 0);
    }
}

static void
trainer_notify_cb (LkTrainingProgress *self,
                   GParamSpec         *pspec)
{
  if (g_str_equal (pspec->name, "logs"))
    update_logs (self);
  else
    update (self);
}

/**
 * lk_training_progress_get_trainer:
 *
 * Returns: (transfer none) (nullable): the trainer shown
 */
LkTrainer *
lk_training_progress_get_trainer (LkTrainingProgress *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PROGRESS (self), NULL);

  return self->trainer;
}

void
lk_training_progress_set_trainer (LkTrainingProgress *self,
                                  LkTrainer          *trainer)
{
  g_return_if_fail (LK_IS_TRAINING_PROGRESS (self));
  g_return_if_fail (!trainer || LK_IS_TRAINER (trainer));

  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);

  if (!g_set_object (&self->trainer, trainer))
    return;

  if (trainer != NULL)
    {
      g_signal_connect_object (trainer, "notify", G_CALLBACK (trainer_notify_cb), self, G_CONNECT_SWAPPED);
      update (self);
      update_logs (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINER]);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(LkTrainer) trainer = user_data;

  if (g_str_equal (response, "cancel-training"))
    lk_trainer_cancel (trainer);
}

/**
 * lk_training_progress_ask_cancel:
 *
 * Asks the person, over the window that holds @self, whether to cancel
 * the training shown, and cancels it if they say so. The Train page and
 * the Progress page ask with the same words.
 */
void
lk_training_progress_ask_cancel (LkTrainingProgress *self)
{
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (LK_IS_TRAINING_PROGRESS (self));
  g_return_if_fail (self->trainer != NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Cancel the Training?"),
                                   _("Replicate stops it now. The time it ran so far is charged, and no model is made."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Training"),
                                    "cancel-training", _("_Cancel Training"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-training",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (cancel_response_cb), g_object_ref (self->trainer));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
lk_training_progress_new (void)
{
  return g_object_new (LK_TYPE_TRAINING_PROGRESS, NULL);
}

static void
lk_training_progress_dispose (GObject *object)
{
  LkTrainingProgress *self = LK_TRAINING_PROGRESS (object);

  lk_training_progress_set_trainer (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_TRAINING_PROGRESS);

  G_OBJECT_CLASS (lk_training_progress_parent_class)->dispose (object);
}

static void
lk_training_progress_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LkTrainingProgress *self = LK_TRAINING_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_TRAINER:
      g_value_set_object (value, self->trainer);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_training_progress_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LkTrainingProgress *self = LK_TRAINING_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_TRAINER:
      lk_training_progress_set_trainer (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_training_progress_class_init (LkTrainingProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_training_progress_dispose;
  object_class->get_property = lk_training_progress_get_property;
  object_class->set_property = lk_training_progress_set_property;

  /** LkTrainingProgress:trainer: the trainer whose training is shown */
  properties[PROP_TRAINER] =
    g_param_spec_object ("trainer", NULL, NULL, LK_TYPE_TRAINER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-training-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, notice_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, step_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, eta_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, eta_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, cost_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, logs_scroller);
  gtk_widget_class_bind_template_child (widget_class, LkTrainingProgress, logs_view);
}

static void
lk_training_progress_init (LkTrainingProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
