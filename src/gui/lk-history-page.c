/* lk-history-page.c: past jobs with their images and costs, and what was
 * spent: today, this month, ever and per model, against the limits.
 *
 * Everything comes from the application's store through its asynchronous
 * API; the page refreshes shortly after the store says it changed.
 *
 * A portrait job that ended without all its portraits offers Retry Failed:
 * the page reopens the job, asks before spending, then hands it to the
 * window (the `retry` signal), which runs it on the Progress page. The
 * `job-active` property, bound to the Progress page's, holds that back
 * while another job is under way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-application.h"
#include "lk-batch.h"
#include "lk-budget-window.h"
#include "lk-format.h"
#include "lk-history-page.h"
#include "lk-money.h"

/* Jobs per page of the list. */
#define PAGE_SIZE 50
/* A batch writes often; the page follows at most a few times a second. */
#define REFRESH_DELAY_MS 400
#define THUMBNAIL_SIZE 220

struct _LkHistoryPage
{
  GtkWidget       parent_instance;

  LkApplication  *app;
  LkStore        *store;
  GCancellable   *cancellable;
  GCancellable   *job_cancellable;
  GListStore     *jobs;
  GPtrArray      *model_rows;
  LkJobSummary   *job;
  GPtrArray      *job_files;
  guint           refresh_id;
  guint           generation;
  gint64          all_time;
  guint           has_more : 1;
  guint           busy : 1;
  guint           job_active : 1;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  AdwActionRow    *near_row;
  GtkLabel        *today_label;
  GtkLabel        *month_label;
  GtkLabel        *all_time_label;
  AdwExpanderRow  *models_row;
  AdwActionRow    *limits_row;
  GtkListBox      *jobs_list;
  GtkButton       *more_button;
  GtkLabel        *job_title;
  GtkLabel        *job_subtitle;
  GtkWidget       *retry_box;
  GtkLabel        *retry_label;
  GtkWidget       *retry_button;
  GtkStack        *images_stack;
  GtkFlowBox      *images_box;
};

G_DEFINE_FINAL_TYPE (LkHistoryPage, lk_history_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB_ACTIVE,
  N_PROPS
};

enum {
  RETRY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void refresh          (LkHistoryPage *self);
static void follow_shown_job (LkHistoryPage *self,
                              GPtrArray     *jobs);

static void
toast (LkHistoryPage *self,
       const char    *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A portrait job that ended without all its portraits; one that has not
 * ended is resumed instead, when the app starts. */
static gboolean
job_can_retry (LkJobSummary *job)
{
  LkJobState state = lk_job_summary_get_state (job);

  return lk_job_summary_get_kind (job) == LK_JOB_KIND_PORTRAIT &&
         (state == LK_JOB_STATE_FINISHED || state == LK_JOB_STATE_CANCELED) &&
         lk_job_summary_get_n_succeeded (job) < lk_job_summary_get_n_items (job);
}

static void
update_retry (LkHistoryPage *self)
{
  gboolean can_retry = self->job != NULL && job_can_retry (self->job);
  guint n_missing;
  g_autofree char *missing = NULL;

  gtk_widget_set_visible (self->retry_box, can_retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.retry-failed",
                                 can_retry && !self->busy && !self->job_active);
  gtk_widget_set_tooltip_text (self->retry_button,
                               can_retry && self->job_active
                               ? _("A portrait job is under way. Retry this one once it has ended.")
                               : NULL);
  if (!can_retry)
    return;

  n_missing = lk_job_summary_get_n_items (self->job) - lk_job_summary_get_n_succeeded (self->job);
  missing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u portrait of this job was not saved.",
                                          "%u portraits of this job were not saved.", n_missing),
                             n_missing);
  gtk_label_set_label (self->retry_label, missing);
}

static void
update_actions (LkHistoryPage *self)
{
  gboolean has_job = self->job != NULL && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.open-folder", has_job);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.show-in-files", has_job);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.delete-job", has_job);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.back", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export-ledger", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.show-older", self->store != NULL && self->has_more);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->has_more);
  update_retry (self);
}

/* The list, or the empty state when nothing was ever made or spent. */
static void
update_view (LkHistoryPage *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->jobs)) == 0 && self->all_time == 0;

  if (self->store == NULL || g_strcmp0 (visible, "job") == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static char *
describe_job (LkJobSummary *job)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (lk_job_summary_get_created (job));
  /* Translators: the date and time a job was started, a strftime format. */
  g_autofree char *date = g_date_time_format (created, C_("job date", "%b %-d, %Y, %H:%M"));
  g_autofree char *spent = lk_money_format (lk_job_summary_get_spent (job));
  g_autofree char *estimate = lk_money_format (lk_job_summary_get_estimate (job));
  g_autofree char *counts = NULL;
  g_autofree char *costs = NULL;
  LkJobState state = lk_job_summary_get_state (job);

  /* Translators: how many items of a job succeeded and failed. */
  counts = g_strdup_printf (_("%u done, %u failed"),
                            lk_job_summary_get_n_succeeded (job), lk_job_summary_get_n_failed (job));
  /* Translators: what a job cost, then what it was estimated to cost. */
  costs = g_strdup_printf (_("%s (estimated %s)"), spent, estimate);

  if (state == LK_JOB_STATE_FINISHED)
    return g_strjoin (" · ", date, lk_job_kind_get_label (lk_job_summary_get_kind (job)), counts, costs, NULL);

  return g_strjoin (" · ", date, lk_job_kind_get_label (lk_job_summary_get_kind (job)),
                    lk_job_state_get_label (state), counts, costs, NULL);
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  LkJobSummary *job = item;
  g_autofree char *subtitle = describe_job (job);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_job_summary_get_title (job));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  return row;
}

/* Refreshing from the store. Each refresh has a number, so that the
 * answers to an older one, arriving late, are ignored. */

typedef struct
{
  LkHistoryPage *self;
  guint          generation;
  gboolean       older;
} Query;

static Query *
query_new (LkHistoryPage *self)
{
  Query *query = g_new0 (Query, 1);

  query->self = g_object_ref (self);
  query->generation = self->generation;
  return query;
}

static void
query_free (Query *query)
{
  g_object_unref (query->self);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

static gboolean
query_is_current (Query *query)
{
  return query->generation == query->self->generation;
}

/* The page and the one object a chain of asynchronous steps carries. */
typedef struct
{
  LkHistoryPage *self;
  gpointer       object;
} Errand;

static Errand *
errand_new (LkHistoryPage *self,
            gpointer       object)
{
  Errand *errand = g_new0 (Errand, 1);

  errand->self = g_object_ref (self);
  errand->object = g_object_ref (object);
  return errand;
}

static void
errand_free (Errand *errand)
{
  g_object_unref (errand->self);
  g_object_unref (errand->object);
  g_free (errand);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Errand, errand_free)

static void
show_error (LkHistoryPage *self,
            const GError  *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* A page of jobs: the first ones, replacing the list, or older ones
 * (query->older), added after it. */
static void
jobs_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Query) query = user_data;
  LkHistoryPage *self = query->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = lk_store_list_jobs_finish (LK_STORE (object), result, &error);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  if (is_cancelled (error) || !query_is_current (query))
    return;

  if (jobs == NULL)
    {
      if (query->older)
        toast (self, error->message);
      else
        show_error (self, error);
      return;
    }

  if (query->older)
    g_list_store_splice (self->jobs, n_items, 0, jobs->pdata, jobs->len);
  else
    g_list_store_splice (self->jobs, 0, n_items, jobs->pdata, jobs->len);
  follow_shown_job (self, jobs);

  /* A full page suggests there are more. */
  self->has_more = jobs->len > 0 && jobs->len % PAGE_SIZE == 0;
  update_actions (self);
  update_view (self);
}

static void
set_amount (GtkLabel *label,
            gint64    micros)
{
  g_autofree char *text = lk_money_format (micros);

  gtk_label_set_label (label, text);
}

static void
usage_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Query) query = user_data;
  LkHistoryPage *self = query->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkUsage) usage = lk_store_get_usage_finish (LK_STORE (object), result, &error);
  LkCatalog *catalog = lk_application_get_catalog (self->app);

  if (is_cancelled (error) || !query_is_current (query))
    return;

  if (usage == NULL)
    {
      show_error (self, error);
      return;
    }

  set_amount (self->today_label, usage->today);
  set_amount (self->month_label, usage->month);
  set_amount (self->all_time_label, usage->all_time);
  self->all_time = usage->all_time;

  for (guint i = 0; i < self->model_rows->len; i++)
    adw_expander_row_remove (self->models_row, g_ptr_array_index (self->model_rows, i));
  g_ptr_array_set_size (self->model_rows, 0);

  for (guint i = 0; i < usage->models->len; i++)
    {
      LkModelUsage *model_usage = g_ptr_array_index (usage->models, i);
      LkModel *model = lk_catalog_lookup (catalog, model_usage->model);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *amount = gtk_label_new (NULL);
      g_autofree char *subtitle = NULL;

      /* Translators: the model's id, then how many times it ran. */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u run", "%s · %u runs", model_usage->runs),
                                  model_usage->model, model_usage->runs);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     model != NULL ? lk_model_get_name (model) : model_usage->model);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      set_amount (GTK_LABEL (amount), model_usage->spent);
      gtk_widget_add_css_class (amount, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);

      adw_expander_row_add_row (self->models_row, row);
      g_ptr_array_add (self->model_rows, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->models_row), usage->models->len > 0);

  update_view (self);
}

static void
spending_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Query) query = user_data;
  LkHistoryPage *self = query->self;
  g_autoptr(GError) error = NULL;
  LkSpending spending;

  if (!lk_store_get_spending_finish (LK_STORE (object), result, &spending, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not read today’s spending for the budget: %s", error->message);
      return;
    }

  if (query_is_current (query))
    lk_budget_update (lk_application_get_budget (self->app), &spending);
}

static void
refresh (LkHistoryPage *self)
{
  guint loaded = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store == NULL)
    return;

  /* As many jobs as are shown now, so that a refresh keeps older pages
   * the user opened. */
  self->generation++;
  lk_store_list_jobs_async (self->store, NULL, MAX (PAGE_SIZE, (loaded + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE),
                            self->cancellable, jobs_listed_cb, query_new (self));
  lk_store_get_usage_async (self->store, NULL, self->cancellable, usage_cb, query_new (self));
  lk_store_get_spending_async (self->store, 0, NULL, self->cancellable, spending_cb, query_new (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  LkHistoryPage *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (LkHistoryPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static void
tell (LkHistoryPage *self,
      const char    *heading,
      const char    *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The application opened the store, or failed to. Problems found at
 * opening are told once, in a dialog, whatever page is showing. */
static void
store_ready_cb (LkHistoryPage *self)
{
  const GError *error = lk_application_get_store_error (self->app);
  LkStore *store = lk_application_get_store (self->app);
  g_autofree char *recovery = NULL;

  if (error != NULL)
    {
      show_error (self, error);
      tell (self, _("History Unavailable"), error->message);
      return;
    }

  if (store == NULL || !g_set_object (&self->store, store))
    return;

  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  if ((recovery = lk_store_describe_recovery (store)))
    tell (self, _("History Was Reset"), recovery);

  update_actions (self);
  refresh (self);
}

/* Budget. */

static void
update_limits (LkHistoryPage *self)
{
  LkBudget *budget = lk_application_get_budget (self->app);
  g_autofree char *daily = NULL;
  g_autofree char *monthly = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *near = lk_budget_describe_near (budget);
  LkBudgetCaps caps;

  lk_budget_get_caps (budget, 0, &caps);
  daily = lk_money_format (caps.daily);
  monthly = lk_money_format (caps.monthly);

  if (caps.daily > 0 && caps.monthly > 0)
    subtitle = g_strdup_printf (_("Up to %s a day and %s a month"), daily, monthly);
  else if (caps.daily > 0)
    subtitle = g_strdup_printf (_("Up to %s a day"), daily);
  else if (caps.monthly > 0)
    subtitle = g_strdup_printf (_("Up to %s a month"), monthly);
  else
    subtitle = g_strdup (_("None: jobs spend up to their own budget"));
  adw_action_row_set_subtitle (self->limits_row, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->near_row), near != NULL);
  if (near != NULL)
    adw_action_row_set_subtitle (self->near_row, near);
}

static void
threshold_reached_cb (LkHistoryPage *self,
                      LkBudgetCap    cap,
                      LkBudget      *budget)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Budget Nearly Used"));
  g_autofree char *body = lk_budget_describe_near (budget);

  g_notification_set_body (notification, body);
  g_application_send_notification (G_APPLICATION (self->app), "budget", notification);
}

/* One job. */

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream_finish (result, &error);
  g_autoptr(GdkTexture) texture = NULL;

  if (pixbuf == NULL)
    {
      if (!is_cancelled (error))
        gtk_widget_set_tooltip_text (GTK_WIDGET (picture), error->message);
      return;
    }

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
thumbnail_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read_finish (G_FILE (object), result, &error);
  g_autofree char *path = g_file_get_path (G_FILE (object));
  LkHistoryPage *self;

  if (stream == NULL)
    {
      if (!is_cancelled (error))
        {
          g_autofree char *message = g_strdup_printf (_("This image is missing: %s"), path);

          gtk_widget_set_tooltip_text (GTK_WIDGET (picture), message);
          gtk_widget_add_css_class (GTK_WIDGET (picture), "dim-label");
        }
      return;
    }

  /* Decoding runs on a worker thread, at thumbnail size. */
  self = LK_HISTORY_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (picture), LK_TYPE_HISTORY_PAGE));
  gdk_pixbuf_new_from_stream_at_scale_async (G_INPUT_STREAM (stream), THUMBNAIL_SIZE, THUMBNAIL_SIZE, TRUE,
                                             self != NULL ? self->job_cancellable : NULL,
                                             thumbnail_loaded_cb, g_steal_pointer (&picture));
}

static void
launch_file (LkHistoryPage *self,
             GFile         *file,
             gboolean       containing_folder);

static void
image_clicked_cb (GtkButton *button,
                  gpointer   user_data)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button), LK_TYPE_HISTORY_PAGE));
  g_autoptr(GFile) file = g_file_new_for_path (user_data);

  launch_file (self, file, FALSE);
}

static void
add_image (LkHistoryPage *self,
           const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *name = g_path_get_basename (path);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *button = gtk_button_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_button_set_child (GTK_BUTTON (button), picture);
  gtk_widget_set_tooltip_text (button, name);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_data (button, "clicked", G_CALLBACK (image_clicked_cb), g_strdup (path),
                         (GClosureNotify) g_free, 0);
  gtk_flow_box_append (self->images_box, button);

  g_file_read_async (file, G_PRIORITY_DEFAULT, self->job_cancellable, thumbnail_opened_cb, g_object_ref (picture));
}

static void
job_files_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = lk_store_list_job_files_finish (LK_STORE (object), result, &error);

  if (files == NULL)
    {
      if (!is_cancelled (error))
        toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->job_files, g_ptr_array_unref);
  self->job_files = g_ptr_array_ref (files);
  for (guint i = 0; i < files->len; i++)
    add_image (self, g_ptr_array_index (files, i));

  gtk_stack_set_visible_child_name (self->images_stack, files->len > 0 ? "images" : "no-images");
}

static void
clear_job (LkHistoryPage *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  g_clear_object (&self->job);
  g_clear_pointer (&self->job_files, g_ptr_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->images_box))))
    gtk_flow_box_remove (self->images_box, child);
}

static void
show_job (LkHistoryPage *self,
          LkJobSummary  *job)
{
  g_autofree char *subtitle = describe_job (job);

  clear_job (self);
  self->job = g_object_ref (job);
  self->job_cancellable = g_cancellable_new ();

  gtk_label_set_label (self->job_title, lk_job_summary_get_title (job));
  gtk_label_set_label (self->job_subtitle, subtitle);
  gtk_stack_set_visible_child_name (self->images_stack, "images");
  gtk_stack_set_visible_child_name (self->stack, "job");
  update_actions (self);

  lk_store_list_job_files_async (self->store, lk_job_summary_get_id (job), self->job_cancellable,
                                 job_files_cb, g_object_ref (self));
}

/* The job shown follows the store: a retried job gains its new images,
 * and its Retry Failed goes once nothing is missing. */
static void
follow_shown_job (LkHistoryPage *self,
                  GPtrArray     *jobs)
{
  if (self->job == NULL || self->busy)
    return;

  for (guint i = 0; i < jobs->len; i++)
    {
      LkJobSummary *job = g_ptr_array_index (jobs, i);
      g_autofree char *subtitle = NULL;

      if (lk_job_summary_get_id (job) != lk_job_summary_get_id (self->job))
        continue;

      if (lk_job_summary_get_n_succeeded (job) != lk_job_summary_get_n_succeeded (self->job))
        {
          show_job (self, job);
          return;
        }

      subtitle = describe_job (job);
      g_set_object (&self->job, job);
      gtk_label_set_label (self->job_subtitle, subtitle);
      update_actions (self);
      return;
    }
}

static void
jobs_list_row_activated_cb (LkHistoryPage *self,
                            GtkListBoxRow *row)
{
  g_autoptr(LkJobSummary) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), gtk_list_box_row_get_index (row));

  show_job (self, job);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);

  clear_job (self);
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_actions (self);
  update_view (self);
}

/* Exporting the ledger. */

static void
ledger_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!is_cancelled (error))
        {
          message = g_strdup_printf (_("The ledger could not be saved: %s"), error->message);
          toast (self, message);
        }
      return;
    }

  path = g_file_get_parse_name (G_FILE (object));
  message = g_strdup_printf (_("Ledger saved to %s"), path);
  toast (self, message);
}

static void
ledger_exported_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Errand) export = user_data;
  LkHistoryPage *self = export->self;
  GFile *file = export->object;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = lk_store_export_ledger_csv_finish (LK_STORE (object), result, &error);

  if (csv == NULL)
    {
      if (!is_cancelled (error))
        toast (self, error->message);
      return;
    }

  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, ledger_written_cb, g_object_ref (self));
}

static void
export_to (LkHistoryPage *self,
           GFile         *file)
{
  lk_store_export_ledger_csv_async (self->store, self->cancellable, ledger_exported_cb, errand_new (self, file));
}

static char *
ledger_file_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  /* Translators: the name offered for an exported ledger; %s is a date. */
  return g_strdup_printf (_("likeness-ledger-%s.csv"), date);
}

/* Opening files and folders, and the save dialog: the portal-aware
 * launcher and file dialog where GTK has them (4.10), the URI handler,
 * the file manager's D-Bus API and the native file chooser before. */

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launch_failed (LkHistoryPage *self,
               const GError  *error)
{
  g_autofree char *message = NULL;

  /* Dismissing a dialog is not a failure. */
  if (is_cancelled (error) || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    return;

  message = g_strdup_printf (_("Could not open the file: %s"), error->message);
  toast (self, message);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error))
    launch_failed (self, error);
}

static void
folder_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_open_containing_folder_finish (GTK_FILE_LAUNCHER (object), result, &error))
    launch_failed (self, error);
}

static void
launch_file (LkHistoryPage *self,
             GFile         *file,
             gboolean       containing_folder)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

  if (containing_folder)
    gtk_file_launcher_open_containing_folder (launcher, window, self->cancellable,
                                              folder_opened_cb, g_object_ref (self));
  else
    gtk_file_launcher_launch (launcher, window, self->cancellable, launched_cb, g_object_ref (self));
}

static void
save_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, &error);

  if (file != NULL)
    export_to (self, file);
  else
    launch_failed (self, error);
}

static void
export_ledger_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *name = ledger_file_name ();

  gtk_file_dialog_set_title (dialog, _("Export Ledger"));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_save (dialog, GTK_WINDOW (gtk_widget_get_root (widget)), self->cancellable,
                        save_dialog_cb, g_object_ref (self));
}
#else
static void
show_uri (LkHistoryPage *self,
          GFile         *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME);
}

static void
show_items_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  /* Without a file manager that can point at a file, open its folder. */
  if (reply == NULL && !is_cancelled (error) && self->job_files != NULL && self->job_files->len > 0)
    {
      g_autoptr(GFile) file = g_file_new_for_path (g_ptr_array_index (self->job_files, 0));
      g_autoptr(GFile) folder = g_file_get_parent (file);

      g_debug ("FileManager1.ShowItems failed, opening the folder: %s", error->message);
      show_uri (self, folder);
    }
}

static void
launch_file (LkHistoryPage *self,
             GFile         *file,
             gboolean       containing_folder)
{
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };

  if (!containing_folder)
    {
      show_uri (self, file);
      return;
    }

  g_dbus_connection_call (g_application_get_dbus_connection (G_APPLICATION (self->app)),
                          "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, show_items_cb, g_object_ref (self));
}

static void
save_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    export_to (self, file);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_ledger_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  g_autofree char *name = ledger_file_name ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Ledger"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (save_dialog_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
#endif

static GFile *
job_folder (LkHistoryPage *self)
{
  const char *folder = lk_job_summary_get_folder (self->job);
  g_autofree char *message = NULL;

  if (folder != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (folder);

  message = g_strdup_printf (_("The folder of this job is gone: %s"), folder != NULL ? folder : "");
  toast (self, message);
  return NULL;
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  g_autoptr(GFile) folder = job_folder (self);

  if (folder != NULL)
    launch_file (self, folder, FALSE);
}

static void
show_in_files_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  g_autoptr(GFile) folder = NULL;

  /* Pointing at the first image selects it in the file manager. */
  if (self->job_files != NULL && self->job_files->len > 0 &&
      g_file_test (g_ptr_array_index (self->job_files, 0), G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) first = g_file_new_for_path (g_ptr_array_index (self->job_files, 0));

      launch_file (self, first, TRUE);
      return;
    }

  if ((folder = job_folder (self)))
    launch_file (self, folder, FALSE);
}

/* Deleting a job: its files go to the trash one by one, then its records
 * go. A file that cannot be trashed stops it all, and the job stays. */

typedef struct
{
  LkHistoryPage *self;
  GPtrArray     *files;
  guint          next;
  gint64         job_id;
  char          *folder;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_object_unref (deletion->self);
  g_ptr_array_unref (deletion->files);
  g_free (deletion->folder);
  g_free (deletion);
}

static void
deletion_finish (Deletion     *deletion,
                 const GError *error)
{
  LkHistoryPage *self = deletion->self;

  self->busy = FALSE;
  update_actions (self);

  if (error == NULL)
    {
      back_action (GTK_WIDGET (self), NULL, NULL);
      toast (self, _("Job deleted. Its images are in the trash."));
      refresh (self);
    }
  else if (!is_cancelled (error))
    toast (self, error->message);

  deletion_free (deletion);
}

static void
records_deleted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  lk_store_delete_job_finish (LK_STORE (object), result, &error);
  deletion_finish (user_data, error);
}

static void
folder_deleted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Deletion *deletion = user_data;
  g_autoptr(GError) error = NULL;

  /* The folder goes only when the job's files were all it held. */
  if (!g_file_delete_finish (G_FILE (object), result, &error))
    g_debug ("Kept the job’s folder: %s", error->message);

  lk_store_delete_job_async (deletion->self->store, deletion->job_id, deletion->self->cancellable,
                             records_deleted_cb, deletion);
}

static void trash_next (Deletion *deletion);

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  g_autoptr(GError) error = NULL;

  /* A file the user already removed is fine. */
  if (!g_file_trash_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *path = g_file_get_path (G_FILE (object));
      g_autoptr(GError) wrapped = NULL;

      if (!is_cancelled (error))
        wrapped = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("%s could not be moved to the trash (%s). The job was kept."),
                               path, error->message);
      deletion_finish (deletion, wrapped != NULL ? wrapped : error);
      return;
    }

  trash_next (deletion);
}

static void
trash_next (Deletion *deletion)
{
  g_autoptr(GFile) file = NULL;

  if (deletion->next < deletion->files->len)
    {
      file = g_file_new_for_path (g_ptr_array_index (deletion->files, deletion->next++));
      g_file_trash_async (file, G_PRIORITY_DEFAULT, deletion->self->cancellable, trashed_cb, deletion);
      return;
    }

  if (deletion->folder != NULL)
    {
      file = g_file_new_for_path (deletion->folder);
      g_file_delete_async (file, G_PRIORITY_DEFAULT, deletion->self->cancellable, folder_deleted_cb, deletion);
      return;
    }

  lk_store_delete_job_async (deletion->self->store, deletion->job_id, deletion->self->cancellable,
                             records_deleted_cb, deletion);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkHistoryPage    *self)
{
  Deletion *deletion;

  if (!g_str_equal (response, "delete") || self->job == NULL)
    return;

  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->files = self->job_files != NULL ? g_ptr_array_ref (self->job_files)
                                             : g_ptr_array_new_with_free_func (g_free);
  deletion->job_id = lk_job_summary_get_id (self->job);
  deletion->folder = g_strdup (lk_job_summary_get_folder (self->job));

  self->busy = TRUE;
  update_actions (self);
  trash_next (deletion);
}

static void
delete_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  guint n_files = self->job_files != NULL ? self->job_files->len : 0;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %u image goes to the trash and the job leaves the history. "
                                       "What it cost stays in the spending records.",
                                       "Its %u images go to the trash and the job leaves the history. "
                                       "What it cost stays in the spending records.",
                                       n_files),
                          n_files);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Delete This Job?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Retrying a job that ended. Reopening it spends nothing; the person sees
 * how many portraits, what they cost and what is left of the budgets
 * before the Progress page makes them. */

static char *
describe_retry_cost (LkBatch *batch,
                     guint    n_missing,
                     gint64  *cost)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *time = NULL;
  LkBatchEstimate estimate;

  if (!lk_batch_estimate_items (batch, n_missing, &estimate, &error))
    {
      *cost = -1;
      /* Translators: %s says why the cost could not be estimated. */
      return g_strdup_printf (_("The cost could not be estimated: %s"), error->message);
    }

  *cost = estimate.cost;
  amount = lk_money_format (estimate.cost);
  time = lk_format_about (estimate.seconds);
  if (estimate.cost_max > estimate.cost)
    {
      g_autofree char *amount_max = lk_money_format (estimate.cost_max);

      /* Translators: amounts of money, then a duration such as "about 2 minutes". */
      return g_strdup_printf (_("Estimated cost: %s, up to %s if every portrait needs a fallback model. "
                                "Time: %s."), amount, amount_max, time);
    }

  /* Translators: an amount of money, then a duration such as "about 2 minutes". */
  return g_strdup_printf (_("Estimated cost: %s. Time: %s."), amount, time);
}

static char *
describe_retry_budget (LkHistoryPage    *self,
                       LkBatch          *batch,
                       guint             n_missing,
                       gint64            cost,
                       const LkSpending *spending)
{
  LkBudget *budget = lk_application_get_budget (self->app);
  g_autofree char *daily = NULL;
  g_autofree char *monthly = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  LkBudgetVerdict verdict;
  LkBudgetCaps caps;

  lk_budget_get_caps (budget, lk_batch_get_job_budget (batch), &caps);
  if (caps.daily > 0 || caps.monthly > 0)
    {
      daily = lk_format_cap_left (caps.daily, spending->day);
      monthly = lk_format_cap_left (caps.monthly, spending->month);
      /* Translators: what is left of each cap, "$3.20 left of $5.00" or "No cap". */
      g_string_append_printf (text, _("Today: %s. This month: %s."), daily, monthly);
    }
  else
    g_string_append (text, _("No daily or monthly spending limit is set."));

  if (caps.job > 0)
    {
      g_autofree char *job = lk_format_cap_left (caps.job, spending->job);

      g_string_append_c (text, ' ');
      /* Translators: what is left of the job's own budget, "$0.20 left of $1.00". */
      g_string_append_printf (text, _("This job’s budget: %s."), job);
    }

  if (cost >= 0 && !lk_budget_caps_check (&caps, spending, cost, &verdict))
    {
      g_autofree char *overshoot = lk_format_overshoot (&verdict, cost, n_missing);

      g_string_append_printf (text, "\n\n%s", overshoot);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
retry_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   Errand           *retry)
{
  LkHistoryPage *self = retry->self;

  if (!g_str_equal (response, "retry"))
    return;

  /* A job may have started while the question was open. */
  if (self->job_active)
    {
      toast (self, _("A portrait job is under way. Retry this one once it has ended."));
      return;
    }

  g_signal_emit (self, signals[RETRY], 0, retry->object);
}

static void
retry_spending_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Errand) retry = user_data;
  LkHistoryPage *self = retry->self;
  LkBatch *batch = retry->object;
  guint n_missing = lk_batch_get_n_items (batch) - lk_batch_get_n_done (batch);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *cost_text = NULL;
  g_autofree char *budget_text = NULL;
  g_autofree char *body = NULL;
  LkSpending spending;
  GtkWidget *dialog;
  gint64 cost;

  if (!lk_store_get_spending_finish (LK_STORE (object), result, &spending, &error) && is_cancelled (error))
    return;

  self->busy = FALSE;
  update_actions (self);

  cost_text = describe_retry_cost (batch, n_missing, &cost);
  if (error != NULL)
    budget_text = g_strdup_printf (_("What was spent so far could not be read: %s. The caps are still checked "
                                     "before every portrait."), error->message);
  else
    budget_text = describe_retry_budget (self, batch, n_missing, cost, &spending);

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Retry %u Missing Portrait?",
                                          "Retry %u Missing Portraits?", n_missing),
                             n_missing);
  body = g_strdup_printf ("%s\n\n%s\n\n%s",
                          _("The portraits already saved are kept and not made again. "
                            "Nothing is spent until you choose Retry."),
                          cost_text, budget_text);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "retry", _("_Retry"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retry", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "retry");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (retry_response_cb), g_steal_pointer (&retry),
                         (GClosureNotify) errand_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reopened_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkBatch) batch = lk_batch_load_finish (result, &error);

  if (is_cancelled (error))
    return;

  if (batch == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The job could not be reopened: %s"), error->message);

      self->busy = FALSE;
      update_actions (self);
      toast (self, message);
      return;
    }

  lk_store_get_spending_async (self->store, lk_batch_get_job_id (batch), NULL, self->cancellable,
                               retry_spending_cb, errand_new (self, batch));
}

static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  LkApplication *app = self->app;

  self->busy = TRUE;
  update_actions (self);
  lk_batch_load_ended_async (lk_application_get_client (app), self->store, lk_application_get_catalog (app),
                             lk_application_get_budget (app), lk_job_summary_get_id (self->job),
                             self->cancellable, reopened_cb, g_object_ref (self));
}

static void
edit_limits_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LkBudgetWindow *window = lk_budget_window_new (GTK_WINDOW (gtk_widget_get_root (widget)));

  gtk_window_present (GTK_WINDOW (window));
}

static void
show_older_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (widget);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  g_autoptr(LkJobSummary) last = n_items > 0 ? g_list_model_get_item (G_LIST_MODEL (self->jobs), n_items - 1) : NULL;
  Query *query = query_new (self);

  query->older = TRUE;
  self->has_more = FALSE;
  update_actions (self);
  lk_store_list_jobs_async (self->store, last, PAGE_SIZE, self->cancellable, jobs_listed_cb, query);
}

static void
lk_history_page_dispose (GObject *object)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  clear_job (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_HISTORY_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->jobs);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_history_page_parent_class)->dispose (object);
}

static void
set_job_active (LkHistoryPage *self,
                gboolean       job_active)
{
  job_active = !!job_active;
  if (self->job_active == job_active)
    return;

  self->job_active = job_active;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_ACTIVE]);
}

static void
lk_history_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_JOB_ACTIVE:
      g_value_set_boolean (value, self->job_active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_history_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkHistoryPage *self = LK_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_JOB_ACTIVE:
      set_job_active (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_history_page_class_init (LkHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_history_page_dispose;
  object_class->get_property = lk_history_page_get_property;
  object_class->set_property = lk_history_page_set_property;

  /** LkHistoryPage:job-active: whether a portrait job is under way, so
   * that no other can be retried */
  properties[PROP_JOB_ACTIVE] =
    g_param_spec_boolean ("job-active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkHistoryPage::retry:
   * @batch: a job that ended, reopened and paused, whose missing portraits
   *   the person agreed to pay for
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, LK_TYPE_BATCH);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, near_row);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, today_label);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, month_label);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, all_time_label);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, models_row);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, limits_row);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, job_title);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, job_subtitle);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, retry_box);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, retry_label);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, images_stack);
  gtk_widget_class_bind_template_child (widget_class, LkHistoryPage, images_box);
  gtk_widget_class_bind_template_callback (widget_class, jobs_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "history.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "history.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "history.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_install_action (widget_class, "history.delete-job", NULL, delete_job_action);
  gtk_widget_class_install_action (widget_class, "history.retry-failed", NULL, retry_failed_action);
  gtk_widget_class_install_action (widget_class, "history.export-ledger", NULL, export_ledger_action);
  gtk_widget_class_install_action (widget_class, "history.edit-limits", NULL, edit_limits_action);
  gtk_widget_class_install_action (widget_class, "history.show-older", NULL, show_older_action);

  g_type_ensure (LK_TYPE_BUDGET_WINDOW);
}

static void
lk_history_page_init (LkHistoryPage *self)
{
  LkBudget *budget;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->jobs = g_list_store_new (LK_TYPE_JOB_SUMMARY);
  self->model_rows = g_ptr_array_new ();
  gtk_list_box_bind_model (self->jobs_list, G_LIST_MODEL (self->jobs), create_job_row, NULL, NULL);

  /* The page lives in the application's window and shows its store. */
  self->app = LK_APPLICATION (g_application_get_default ());
  g_return_if_fail (LK_IS_APPLICATION (self->app));

  budget = lk_application_get_budget (self->app);
  g_signal_connect_object (budget, "notify", G_CALLBACK (update_limits), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (budget, "threshold-reached", G_CALLBACK (threshold_reached_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->app, "notify::store", G_CALLBACK (store_ready_cb), self, G_CONNECT_SWAPPED);

  update_limits (self);
  update_actions (self);
  store_ready_cb (self);
}
