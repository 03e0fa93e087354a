/* lk-progress-page.c: the Progress page: a card per portrait of the job,
 * the job's progress, time and spending, and what can be done about it.
 * It also offers, once per run, to resume a job that did not finish.
 *
 * Above the job, a training under way (the app's LkTrainer, started from
 * the Train page or found again after a restart) shows as it goes, and
 * how it ended until the person dismisses it or a new job starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-progress-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-batch-item-card.h"
#include "lk-format.h"
#include "lk-launch.h"
#include "lk-money.h"
#include "lk-progress-page.h"
#include "lk-training-progress.h"
#include "lk-window.h"

/* Jobs read per page while looking for the unfinished one's counts. */
#define JOBS_PAGE 50

struct _LkProgressPage
{
  AdwBin             parent_instance;

  LkApplication     *application;
  LkBatch           *batch;
  LkTrainer         *trainer;
  char              *training_name;
  gboolean           training_shown;
  gboolean           training_was_busy;
  gboolean           news;
  GCancellable      *cancellable;
  char              *start_error;
  LkJobState         last_state;
  gboolean           job_active;
  gboolean           resume_checked;
  guint              update_id;

  GtkStack          *stack;
  GtkWidget         *training_section;
  GtkLabel          *training_title;
  GtkLabel          *training_result;
  LkTrainingProgress *training_progress;
  GtkButton         *show_training_button;
  GtkWidget         *cancel_training_button;
  GtkWidget         *dismiss_button;
  GtkWidget         *sections_separator;
  GtkWidget         *job_section;
  GtkLabel          *count_label;
  GtkButton         *pause_button;
  GtkWidget         *cancel_button;
  GtkLabel          *status_label;
  GtkWidget         *retry_button;
  GtkProgressBar    *progress_bar;
  GtkLabel          *stats_label;
  GtkScrolledWindow *scrolled_window;
  GtkFlowBox        *flow_box;
};

G_DEFINE_FINAL_TYPE (LkProgressPage, lk_progress_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BATCH,
  PROP_JOB_ACTIVE,
  PROP_NEWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LkStyleLibrary *
get_library (LkProgressPage *self)
{
  return self->application != NULL ? lk_application_get_styles (self->application) : NULL;
}

static gboolean
state_is_end (LkJobState state)
{
  return state == LK_JOB_STATE_FINISHED || state == LK_JOB_STATE_CANCELED;
}

static char *
describe_status (LkProgressPage *self,
                 guint           n_failed)
{
  LkBatch *batch = self->batch;
  guint concurrency = lk_batch_get_concurrency (batch);
  const char *budget_message = lk_batch_get_budget_message (batch);

  if (self->start_error != NULL)
    return g_strdup_printf (_("The job could not start: %s"), self->start_error);

  switch (lk_batch_get_state (batch))
    {
    case LK_JOB_STATE_DRAFT:
      return g_strdup (_("Preparing and uploading your photos…"));

    case LK_JOB_STATE_RUNNING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Making portraits, %u at a time",
                                           "Making portraits, %u at a time", concurrency),
                              concurrency);

    case LK_JOB_STATE_PAUSED:
      return g_strdup (_("Paused: portraits already under way finish, no new one starts"));

    case LK_JOB_STATE_BUDGET_REACHED:
      /* Translators: %s says which spending cap stopped the job and how to raise it. */
      return g_strdup_printf (_("%s Press Resume once it is raised."),
                              budget_message != NULL ? budget_message : _("A spending cap was reached."));

    case LK_JOB_STATE_FINISHED:
      if (n_failed == 0)
        return g_strdup (_("Finished: every portrait is saved"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Finished, but %u portrait could not be made. Retry Failed tries again.",
                                           "Finished, but %u portraits could not be made. Retry Failed tries again.",
                                           n_failed),
                              n_failed);

    case LK_JOB_STATE_CANCELED:
      return g_strdup (_("Canceled. The portraits already saved are kept."));

    default:
      g_assert_not_reached ();
    }
}

static void
send_finished_notification (LkProgressPage *self)
{
  GApplication *app = G_APPLICATION (self->application);
  guint n_done = lk_batch_get_n_done (self->batch);
  guint n_items = lk_batch_get_n_items (self->batch);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (n_done == n_items)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your portrait is saved.",
                                         "All %u portraits are saved.", n_items),
                            n_items);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u portrait is saved; the Progress page says what went wrong.",
                                         "%u of %u portraits are saved; the Progress page says what went wrong.",
                                         n_items),
                            n_done, n_items);

  notification = g_notification_new (_("Your Portraits Are Ready"));
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "job-finished", notification);
}

static void
set_news (LkProgressPage *self,
          gboolean        news)
{
  if (self->news == news)
    return;

  self->news = news;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEWS]);
}

/* A job or a training that ended while another page was shown. */
static void
ended_unseen (LkProgressPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    set_news (self, TRUE);
}

static void
lk_progress_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lk_progress_page_parent_class)->map (widget);
  set_news (LK_PROGRESS_PAGE (widget), FALSE);
}

/* The person learns that the job ended even while looking elsewhere. */
static void
check_finished (LkProgressPage *self)
{
  LkJobState state = lk_batch_get_state (self->batch);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean was_end = state_is_end (self->last_state);

  self->last_state = state;
  if (state_is_end (state) && !was_end)
    ended_unseen (self);

  if (state != LK_JOB_STATE_FINISHED || was_end || self->application == NULL)
    return;

  if (!GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root)))
    send_finished_notification (self);
}

static void
update_job_active (LkProgressPage *self)
{
  gboolean active = self->batch != NULL && self->start_error == NULL &&
                    !state_is_end (lk_batch_get_state (self->batch));

  if (self->job_active == active)
    return;

  self->job_active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_ACTIVE]);
}

/* "Elapsed 2:31 · Time left: about 2 minutes · Spent $0.42 of $0.92
 * estimated", in one label that wraps on a narrow window. */
static char *
describe_stats (LkBatch *batch)
{
  LkJobState state = lk_batch_get_state (batch);
  double eta = lk_batch_get_eta_seconds (batch);
  gint64 spent = lk_batch_get_spent (batch);
  gint64 estimate = lk_batch_get_estimate (batch);
  g_autofree char *clock = lk_format_clock (lk_batch_get_elapsed (batch));
  g_autofree char *spent_text = lk_money_format (spent);
  g_autofree char *estimate_text = lk_money_format (estimate);
  g_autoptr(GString) stats = g_string_new (NULL);

  /* Translators: %s is a clock time such as 2:31. */
  g_string_append_printf (stats, _("Elapsed %s"), clock);
  g_string_append (stats, " · ");

  if (state == LK_JOB_STATE_RUNNING && eta >= 0)
    {
      g_autofree char *about = lk_format_about (eta);

      /* Translators: %s is a duration such as "about 2 minutes". */
      g_string_append_printf (stats, _("Time left: %s"), about);
      g_string_append (stats, " · ");
    }
  else if (state == LK_JOB_STATE_RUNNING)
    {
      g_string_append (stats, _("Time left: working it out"));
      g_string_append (stats, " · ");
    }

  if (spent > estimate)
    /* Translators: money spent so far, then the estimate shown before the start. */
    g_string_append_printf (stats, _("Spent %s, more than the %s estimated"),
                            spent_text, estimate_text);
  else
    /* Translators: money spent so far, then the estimate shown before the start. */
    g_string_append_printf (stats, _("Spent %s of %s estimated"), spent_text, estimate_text);

  return g_string_free (g_steal_pointer (&stats), FALSE);
}

static void
update (LkProgressPage *self)
{
  LkBatch *batch = self->batch;
  GListModel *items = lk_batch_get_items (batch);
  guint n_items = lk_batch_get_n_items (batch);
  guint n_done = lk_batch_get_n_done (batch);
  guint n_failed = lk_batch_get_n_failed (batch);
  LkJobState state = lk_batch_get_state (batch);
  gboolean can_pause = state == LK_JOB_STATE_RUNNING;
  gboolean can_resume = state == LK_JOB_STATE_PAUSED || state == LK_JOB_STATE_BUDGET_REACHED;
  gboolean error = self->start_error != NULL || state == LK_JOB_STATE_BUDGET_REACHED;
  const char *error_message = lk_batch_get_error_message (batch);
  guint n_ended = 0;
  guint n_retryable = 0;
  g_autofree char *count = NULL;
  g_autofree char *status = describe_status (self, n_failed);
  g_autofree char *stats = describe_stats (batch);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (items, i);

      n_ended += lk_batch_item_get_finished (item);
      n_retryable += lk_batch_item_get_can_retry (item);
    }

  /* Translators: portraits saved, of the portraits in the job: "14 of 23 portraits". */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u portrait", "%u of %u portraits", n_items),
                           n_done, n_items);
  gtk_label_set_label (self->count_label, count);

  if (error_message != NULL && *error_message != '\0' && self->start_error == NULL)
    {
      g_autofree char *joined = g_strdup_printf ("%s %s", status, error_message);

      g_free (status);
      status = g_steal_pointer (&joined);
      error = TRUE;
    }
  gtk_label_set_label (self->status_label, status);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");

  gtk_progress_bar_set_fraction (self->progress_bar, n_items > 0 ? (double) n_ended / n_items : 0);

  gtk_label_set_label (self->stats_label, stats);

  /* An ended job can be retried or looked at, no longer paused or canceled. */
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !state_is_end (state) && self->start_error == NULL);
  gtk_widget_set_visible (self->cancel_button, !state_is_end (state) && self->start_error == NULL);
  gtk_widget_set_visible (self->retry_button, n_retryable > 0);
  gtk_button_set_label (self->pause_button, can_resume ? _("_Resume") : _("_Pause"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.pause", can_pause || can_resume);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.retry-failed", n_retryable > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.cancel-all",
                                 !state_is_end (state) && self->start_error == NULL && n_ended < n_items);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.open-folder", lk_batch_get_job_folder (batch) != NULL);
}

static gboolean
update_timeout_cb (gpointer user_data)
{
  LkProgressPage *self = user_data;

  self->update_id = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

/* The batch notifies for every item that ends and every second of
 * elapsed time; like the cards, the header redraws at most ten times a
 * second. */
static void
schedule_update (LkProgressPage *self)
{
  if (self->update_id == 0)
    self->update_id = g_timeout_add (LK_BATCH_ITEM_CARD_UPDATE_MS, update_timeout_cb, self);
}

static void
batch_state_cb (LkProgressPage *self)
{
  update_job_active (self);
  check_finished (self);
}

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  LkProgressPage *self = user_data;

  return lk_batch_item_card_new (self->batch, item, get_library (self));
}

/* The sections ------------------------------------------------------------- */

/* The empty state shows only while there is neither a job nor a
 * training; each section has its own title, and a line between them. */
static void
update_sections (LkProgressPage *self)
{
  gboolean job = self->batch != NULL;

  gtk_widget_set_visible (self->training_section, self->training_shown);
  gtk_widget_set_visible (self->job_section, job);
  gtk_widget_set_visible (self->sections_separator, self->training_shown && job);
  gtk_stack_set_visible_child_name (self->stack, job || self->training_shown ? "job" : "empty");
}

static void
update_training (LkProgressPage *self)
{
  LkTrainer *trainer = self->trainer;
  LkTrainingStatus status = lk_trainer_get_status (trainer);
  gboolean busy = lk_trainer_get_busy (trainer);
  const GError *error = lk_trainer_get_error (trainer);
  g_autofree char *title = NULL;
  const char *result = NULL;

  if (status == LK_TRAINING_STATUS_SUCCEEDED)
    {
      /* Translators: %s is the trained model's name. */
      title = self->training_name != NULL ? g_strdup_printf (_("“%s” Is Ready"), self->training_name)
                                          : g_strdup (_("Your Model Is Ready"));
      if (!busy)
        result = _("Choose it on the Styles page, under My Models, to make portraits with it.");
    }
  else if (busy)
    /* Translators: %s is the name of the model being trained. */
    title = self->training_name != NULL ? g_strdup_printf (_("Training “%s”"), self->training_name)
                                        : g_strdup (_("Training a Model"));
  else
    {
      title = g_strdup (status == LK_TRAINING_STATUS_CANCELED ||
                        g_error_matches (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED)
                        ? _("Training Canceled") : _("The Training Did Not Finish"));
      result = error != NULL ? error->message : NULL;
    }

  gtk_label_set_label (self->training_title, title);
  gtk_label_set_label (self->training_result, result != NULL ? result : "");
  gtk_widget_set_visible (GTK_WIDGET (self->training_result), result != NULL);
  gtk_button_set_label (self->show_training_button,
                        !busy && status == LK_TRAINING_STATUS_SUCCEEDED ? _("_Show Model") : _("_Open Train Page"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.cancel",
                                 busy && lk_training_status_is_under_way (status));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.dismiss", !busy);
  gtk_widget_set_visible (self->cancel_training_button, busy && lk_training_status_is_under_way (status));
  gtk_widget_set_visible (self->dismiss_button, !busy);
}

/* The model's name, for the title, once the trainer has written it. */
static void
trainer_model_cb (LkProgressPage *self)
{
  gint64 id = lk_trainer_get_model_id (self->trainer);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->training_name, g_free);
  if (id != 0)
    model = lk_store_get_trained_model (lk_application_get_store (self->application), id, &error);
  if (model != NULL)
    self->training_name = g_strdup (lk_trained_model_get_name (model));
  else if (error != NULL)
    g_warning ("The model being trained could not be read: %s", error->message);

  update_training (self);
}

/* A training that starts shows, and stays once it ended. */
static void
trainer_busy_cb (LkProgressPage *self)
{
  gboolean busy = lk_trainer_get_busy (self->trainer);

  if (busy && !self->training_shown)
    {
      self->training_shown = TRUE;
      update_sections (self);
    }

  if (self->training_was_busy && !busy)
    ended_unseen (self);
  self->training_was_busy = busy;

  update_training (self);
}

/* The app's trainer exists once the store is open. */
static void
watch_trainer (LkProgressPage *self)
{
  LkTrainer *trainer = lk_application_get_trainer (self->application);

  if (trainer == NULL || self->trainer != NULL)
    return;

  self->trainer = g_object_ref (trainer);
  lk_training_progress_set_trainer (self->training_progress, trainer);
  g_signal_connect_object (trainer, "notify::busy", G_CALLBACK (trainer_busy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::status", G_CALLBACK (update_training), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::error", G_CALLBACK (update_training), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::model-id", G_CALLBACK (trainer_model_cb), self, G_CONNECT_SWAPPED);
  trainer_model_cb (self);
  trainer_busy_cb (self);
}

static void
set_batch (LkProgressPage *self,
           LkBatch        *batch)
{
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);

  g_set_object (&self->batch, batch);
  g_clear_pointer (&self->start_error, g_free);
  self->last_state = lk_batch_get_state (batch);

  g_signal_connect_object (batch, "notify", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (batch, "notify::state", G_CALLBACK (batch_state_cb), self, G_CONNECT_SWAPPED);
  gtk_flow_box_bind_model (self->flow_box, lk_batch_get_items (batch), create_card, self, NULL);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);

  /* A new job takes the place of a training that ended. */
  if (self->trainer != NULL && !lk_trainer_get_busy (self->trainer))
    self->training_shown = FALSE;
  update_sections (self);
  update (self);
  update_job_active (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
}

static void
show_page (LkProgressPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "progress");
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LkProgressPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (lk_batch_start_finish (LK_BATCH (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      LK_BATCH (object) != self->batch)
    return;

  self->start_error = g_strdup (error->message);
  update (self);
  update_job_active (self);
}

/**
 * lk_progress_page_start:
 * @batch: a draft batch, set up as the person confirmed it
 *
 * Shows @batch's cards and starts it: this is where spending begins.
 */
void
lk_progress_page_start (LkProgressPage *self,
                        LkBatch        *batch)
{
  g_return_if_fail (LK_IS_PROGRESS_PAGE (self));
  g_return_if_fail (LK_IS_BATCH (batch));

  set_batch (self, batch);
  lk_batch_start_async (batch, self->cancellable, start_cb, g_object_ref (self));
  show_page (self);
}

/**
 * lk_progress_page_retry:
 * @batch: a job that ended, from lk_batch_load_ended_async(), whose
 *   missing portraits the person agreed to pay for
 *
 * Shows @batch's cards and makes its failed, expired and canceled
 * portraits again; those already saved stay as they are.
 */
void
lk_progress_page_retry (LkProgressPage *self,
                        LkBatch        *batch)
{
  g_return_if_fail (LK_IS_PROGRESS_PAGE (self));
  g_return_if_fail (LK_IS_BATCH (batch));

  set_batch (self, batch);
  lk_batch_retry_missing (batch);
  lk_batch_resume (batch);
  show_page (self);
}

/* Resuming a job that did not finish. */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkProgressPage) self = user_data;
  g_autoptr(LkBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = lk_batch_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (batch == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The job could not be resumed: %s"), error->message);

      lk_window_add_toast_for (GTK_WIDGET (self), message);
      return;
    }

  set_batch (self, batch);
  lk_batch_resume (batch);
  show_page (self);
}

static void
resume_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(LkProgressPage) self = user_data;
  gint64 job_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "job-id"));
  LkApplication *app = self->application;

  if (!g_str_equal (response, "resume") || app == NULL)
    return;

  lk_batch_load_async (lk_application_get_client (app), lk_application_get_store (app),
                       lk_application_get_catalog (app), lk_application_get_budget (app),
                       job_id, self->cancellable, load_cb, g_object_ref (self));
}

static void
ask_to_resume (LkProgressPage *self,
               gint64          job_id,
               guint           n_jobs,
               LkJobSummary   *summary)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  g_autofree char *missing = NULL;
  g_autofree char *body = NULL;

  if (summary != NULL)
    {
      guint n_items = lk_job_summary_get_n_items (summary);
      guint n_missing = n_items - lk_job_summary_get_n_succeeded (summary);

      missing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u of %u portrait is missing.",
                                              "%u of %u portraits are missing.", n_items),
                                 n_missing, n_items);
    }

  body = g_strdup_printf ("%s%s%s%s",
                          missing != NULL ? missing : "",
                          missing != NULL ? " " : "",
                          _("Resuming picks up the portraits already under way, without paying for them twice, "
                            "then makes the rest. Nothing is spent until you choose."),
                          n_jobs > 1 ? _(" The other unfinished jobs are offered the next time Likeness starts.") : "");

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("A Portrait Job Did Not Finish"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "not-now", _("_Not Now"),
                                    "resume", _("_Resume"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resume", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "resume");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "not-now");
  g_object_set_data (G_OBJECT (dialog), "job-id", GSIZE_TO_POINTER (job_id));
  g_signal_connect (dialog, "response", G_CALLBACK (resume_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  LkProgressPage *self;
  gint64          job_id;
  guint           n_jobs;
} FindJob;

static void
find_job_free (FindJob *find)
{
  g_object_unref (find->self);
  g_free (find);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FindJob, find_job_free)

static void list_jobs_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

/* The counts come from the History's list, newest first, where an
 * unfinished job is almost always on the first page. */
static void
list_jobs (FindJob      *find,
           LkJobSummary *after)
{
  LkProgressPage *self = find->self;

  lk_store_list_jobs_async (lk_application_get_store (self->application), after, JOBS_PAGE,
                            self->cancellable, list_jobs_cb, find);
}

static void
list_jobs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FindJob) find = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = lk_store_list_jobs_finish (LK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (jobs == NULL || jobs->len == 0)
    {
      /* Without the counts the question still stands. */
      if (error != NULL)
        g_warning ("The unfinished job could not be read: %s", error->message);
      ask_to_resume (find->self, find->job_id, find->n_jobs, NULL);
      return;
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      LkJobSummary *summary = g_ptr_array_index (jobs, i);

      if (lk_job_summary_get_id (summary) == find->job_id)
        {
          ask_to_resume (find->self, find->job_id, find->n_jobs, summary);
          return;
        }
    }

  list_jobs (g_steal_pointer (&find), g_ptr_array_index (jobs, jobs->len - 1));
}

static void
find_unfinished_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LkProgressPage) self = user_data;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  FindJob *find;

  ids = lk_batch_find_unfinished_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ids == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Unfinished jobs could not be looked for: %s"), error->message);

      lk_window_add_toast_for (GTK_WIDGET (self), message);
      return;
    }

  /* A job under way already (started before the store answered) is the
   * one the page shows. */
  if (ids->len == 0 || self->batch != NULL)
    return;

  find = g_new0 (FindJob, 1);
  find->self = g_object_ref (self);
  find->n_jobs = ids->len;
  for (guint i = 0; i < ids->len; i++)
    find->job_id = MAX (find->job_id, g_array_index (ids, gint64, i));

  list_jobs (find, NULL);
}

/* Once per run, when the store is open and there is a token to resume
 * with, the newest unfinished job is offered. Nothing is created before
 * the person answers. */
static void
check_unfinished (LkProgressPage *self)
{
  LkStore *store = lk_application_get_store (self->application);
  LkSecret *secret = lk_application_get_secret (self->application);

  if (self->resume_checked || store == NULL || lk_secret_get_source (secret) == LK_TOKEN_SOURCE_NONE)
    return;

  self->resume_checked = TRUE;
  lk_batch_find_unfinished_async (store, self->cancellable, find_unfinished_cb, g_object_ref (self));
}

/**
 * lk_progress_page_set_application:
 *
 * Gives the page the objects a job needs; from then on it offers to
 * resume an unfinished job as soon as the store is open.
 */
void
lk_progress_page_set_application (LkProgressPage *self,
                                  LkApplication  *application)
{
  g_return_if_fail (LK_IS_PROGRESS_PAGE (self));
  g_return_if_fail (LK_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = g_object_ref (application);
  g_signal_connect_object (application, "notify::store",
                           G_CALLBACK (check_unfinished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store",
                           G_CALLBACK (watch_trainer), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lk_application_get_secret (application), "notify::source",
                           G_CALLBACK (check_unfinished), self, G_CONNECT_SWAPPED);
  check_unfinished (self);
  watch_trainer (self);
}

GtkWidget *
lk_progress_page_new (void)
{
  return g_object_new (LK_TYPE_PROGRESS_PAGE, NULL);
}

/**
 * lk_progress_page_get_batch:
 *
 * Returns: (transfer none) (nullable): the job shown
 */
LkBatch *
lk_progress_page_get_batch (LkProgressPage *self)
{
  g_return_val_if_fail (LK_IS_PROGRESS_PAGE (self), NULL);

  return self->batch;
}

/**
 * lk_progress_page_get_job_active:
 *
 * Returns: whether the job shown is starting, running, paused or stopped
 *   at a cap: a new job waits until it ends
 */
gboolean
lk_progress_page_get_job_active (LkProgressPage *self)
{
  g_return_val_if_fail (LK_IS_PROGRESS_PAGE (self), FALSE);

  return self->job_active;
}

/* Job actions. */

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);

  if (lk_batch_get_state (self->batch) == LK_JOB_STATE_RUNNING)
    lk_batch_pause (self->batch);
  else
    lk_batch_resume (self->batch);
}

static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);

  lk_batch_retry_failed (self->batch);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);

  lk_launch_file (widget, lk_batch_get_job_folder (self->batch));
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(LkBatch) batch = user_data;

  if (g_str_equal (response, "cancel"))
    lk_batch_cancel (batch);
}

static void
cancel_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint n_left = lk_batch_get_n_items (self->batch) - lk_batch_get_n_done (self->batch);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u portrait is not made yet. Those under way are canceled on Replicate; "
                                       "the portraits already saved are kept.",
                                       "%u portraits are not made yet. Those under way are canceled on Replicate; "
                                       "the portraits already saved are kept.",
                                       n_left),
                          n_left);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel the Whole Job?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Going"),
                                    "cancel", _("_Cancel Job"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (cancel_response_cb), g_object_ref (self->batch));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Training actions. */

static void
cancel_training_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);

  lk_training_progress_ask_cancel (self->training_progress);
}

static void
dismiss_training_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (widget);

  self->training_shown = FALSE;
  update_sections (self);
}

static void
lk_progress_page_dispose (GObject *object)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  /* AdwBin unparents its child itself: it goes first, so that
   * gtk_widget_dispose_template() does not leave AdwBin a dangling one. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PROGRESS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->batch);
  g_clear_object (&self->trainer);
  g_clear_object (&self->application);
  g_clear_pointer (&self->start_error, g_free);
  g_clear_pointer (&self->training_name, g_free);

  G_OBJECT_CLASS (lk_progress_page_parent_class)->dispose (object);
}

static void
lk_progress_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkProgressPage *self = LK_PROGRESS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;

    case PROP_JOB_ACTIVE:
      g_value_set_boolean (value, self->job_active);
      break;

    case PROP_NEWS:
      g_value_set_boolean (value, self->news);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_progress_page_class_init (LkProgressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lk_progress_page_dispose;
  object_class->get_property = lk_progress_page_get_property;
  widget_class->map = lk_progress_page_map;

  /** LkProgressPage:batch: the job shown, or %NULL before the first */
  properties[PROP_BATCH] = g_param_spec_object ("batch", NULL, NULL, LK_TYPE_BATCH, flags);
  /** LkProgressPage:job-active: see lk_progress_page_get_job_active() */
  properties[PROP_JOB_ACTIVE] = g_param_spec_boolean ("job-active", NULL, NULL, FALSE, flags);
  /** LkProgressPage:news: whether a job or a training ended while the
   *  page was not shown, until it is shown again */
  properties[PROP_NEWS] = g_param_spec_boolean ("news", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_TRAINING_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-progress-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, training_section);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, training_title);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, training_result);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, training_progress);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, show_training_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, cancel_training_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, sections_separator);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, job_section);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, stats_label);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, LkProgressPage, flow_box);

  gtk_widget_class_install_action (widget_class, "job.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "job.retry-failed", NULL, retry_failed_action);
  gtk_widget_class_install_action (widget_class, "job.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "job.cancel-all", NULL, cancel_all_action);
  gtk_widget_class_install_action (widget_class, "training.cancel", NULL, cancel_training_action);
  gtk_widget_class_install_action (widget_class, "training.dismiss", NULL, dismiss_training_action);
}

static void
lk_progress_page_init (LkProgressPage *self)
{
  static const char * const actions[] = {
    "job.pause", "job.retry-failed", "job.open-folder", "job.cancel-all",
    "training.cancel", "training.dismiss",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* Until a job or a training is shown, there is nothing to act on. */
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], FALSE);
}
