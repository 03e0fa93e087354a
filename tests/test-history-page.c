/* test-history-page.c: the History page over a store filled beforehand:
 * the jobs and the spending summary, a job's images, the budget warning,
 * deleting a job, and retrying what a job run against the simulator
 * missed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-application.h"
#include "lk-batch.h"
#include "lk-history-page.h"
#include "lk-money.h"
#include "lk-progress-page.h"
#include "lk-sim.h"
#include "lk-test-batch.h"
#include "lk-test-gui.h"
#include "lk-test-photos.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"
#include "lk-window.h"

#define USD(x) LK_TEST_USD (x)
#define NARROWEST_WINDOW 360
#define PULID "bytedance/flux-pulid"
#define N_RETRY_STYLES 3

/* The app and window every test looks at, in registration order: the
 * deletion comes last. */
static LkApplication *app;
static LkWindow *window;
static char *images[2];
static gint64 portrait_job;
static LkSim *sim;
static const char *home;
/* A retried job may finish while the window is not focused, and tell so. */
static GPtrArray *notifications;
static GDBusConnection *bus;

static gboolean
has_id (GtkWidget     *widget,
        gconstpointer  id)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0;
}

static gboolean
is_history_page (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return LK_IS_HISTORY_PAGE (widget);
}

static GtkWidget *
find (GtkWidget     *widget,
      gboolean     (*match) (GtkWidget *widget, gconstpointer data),
      gconstpointer  data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
history_page (void)
{
  GtkWidget *page = find (GTK_WIDGET (window), is_history_page, NULL);

  g_assert_nonnull (page);
  return page;
}

/* A template child of the page, by its id. */
static GtkWidget *
page_child (const char *id)
{
  GtkWidget *widget = find (history_page (), has_id, id);

  g_assert_nonnull (widget);
  return widget;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static GtkWidget *
list_row (guint index)
{
  return GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (page_child ("jobs_list")), index));
}

static gboolean
has_rows (gpointer data)
{
  return list_row (GPOINTER_TO_UINT (data) - 1) != NULL && list_row (GPOINTER_TO_UINT (data)) == NULL;
}

static gboolean
label_is (gpointer data)
{
  const char * const *pair = data;

  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (page_child (pair[0]))), pair[1]) == 0;
}

static void
assert_label_becomes (const char *id,
                      const char *text)
{
  const char *pair[] = { id, text };

  if (!lk_test_wait_for (label_is, pair, 10000))
    g_error ("%s shows “%s”, not “%s”", id, gtk_label_get_label (GTK_LABEL (page_child (id))), text);
}

static void
show_history (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "history"));
  g_assert_cmpstr (lk_window_get_page (window), ==, "history");
}

static void
test_jobs_and_summary (void)
{
  AdwActionRow *newest;
  AdwActionRow *older;

  show_history ();
  g_assert_true (lk_test_wait_for (has_rows, GUINT_TO_POINTER (2), 10000));

  /* Newest first, with what it made and what it cost. */
  newest = ADW_ACTION_ROW (list_row (0));
  older = ADW_ACTION_ROW (list_row (1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (newest)), ==, "Film Noir, Oil Painting and Anime");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "Portraits"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "2 done, 1 failed"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "$0.046 (estimated $0.12)"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (older)), ==, "A lighthouse at dawn");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (older), "Images"));

  /* What was spent today, this month and ever. */
  assert_label_becomes ("today_label", "$0.049");
  assert_label_becomes ("month_label", "$0.049");
  assert_label_becomes ("all_time_label", "$0.049");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "list");
}

static gboolean
pictures_loaded (gpointer data)
{
  GtkWidget *box = page_child ("images_box");
  guint loaded = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (box); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      GtkWidget *picture = gtk_button_get_child (GTK_BUTTON (button));

      loaded += gtk_picture_get_paintable (GTK_PICTURE (picture)) != NULL;
    }

  return loaded == GPOINTER_TO_UINT (data);
}

static void
test_job_images (void)
{
  GtkWidget *page;
  int minimum;

  show_history ();
  g_assert_true (lk_test_wait_for (has_rows, GUINT_TO_POINTER (2), 10000));
  g_signal_emit_by_name (page_child ("jobs_list"), "row-activated", list_row (0));

  /* Its saved images, from the files, in a grid. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "job");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (page_child ("job_title"))), ==, "Film Noir, Oil Painting and Anime");
  g_assert_true (lk_test_wait_for (pictures_loaded, GUINT_TO_POINTER (2), 10000));
  g_assert_cmpuint (count_children (page_child ("images_box")), ==, 2);

  /* The page fits the narrowest window the app allows. */
  page = history_page ();
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, NARROWEST_WINDOW);

  g_assert_true (gtk_widget_activate_action (page, "history.back", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "list");
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, NARROWEST_WINDOW);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (page_child (data));
}

static void
test_budget_warning (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWidget *near_row;

  show_history ();
  assert_label_becomes ("today_label", "$0.049");
  near_row = page_child ("near_row");
  g_assert_false (gtk_widget_get_visible (near_row));

  /* $0.049 of a $0.05 daily limit is past 80%. */
  g_settings_set_double (settings, "budget-daily", 0.05);
  g_assert_true (lk_test_wait_for (widget_visible, (gpointer) "near_row", 10000));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (near_row)), ==,
                   "You have used $0.049 of your daily budget of $0.05.");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page_child ("limits_row"))),
                            "Up to $0.05 a day"));

  g_settings_set_double (settings, "budget-daily", 0);
  g_assert_false (gtk_widget_get_visible (near_row));
}

/* A dialog answered may linger a moment: each is found by its heading. */
static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), heading) == 0)
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer heading)
{
  return find_dialog (heading) != NULL;
}

static gboolean
dialog_gone (gpointer heading)
{
  return find_dialog (heading) == NULL;
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Clicks a dialog's button, which answers and closes it. */
static void
click (AdwMessageDialog *dialog,
       const char       *label)
{
  GtkWidget *button = lk_test_find_widget (GTK_WIDGET (dialog), is_button, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
has_thumbnail (gpointer style)
{
  return lk_style_get_thumbnail (style) != NULL;
}

static gboolean
has_no_thumbnail (gpointer style)
{
  return lk_style_get_thumbnail (style) == NULL;
}

static void
test_delete_job (void)
{
  LkStyle *noir = lk_style_library_lookup (lk_application_get_styles (app), "film-noir");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(LkUsage) usage = NULL;
  g_autofree char *trashed = NULL;
  GtkWidget *page;

  show_history ();
  g_assert_true (lk_test_wait_for (has_rows, GUINT_TO_POINTER (2), 10000));
  g_signal_emit_by_name (page_child ("jobs_list"), "row-activated", list_row (0));
  g_assert_true (lk_test_wait_for (pictures_loaded, GUINT_TO_POINTER (2), 10000));
  page = history_page ();

  g_assert_true (lk_test_wait_for (has_thumbnail, noir, 10000));

  /* Nothing happens before the user confirms. */
  g_assert_true (gtk_widget_activate_action (page, "history.delete-job", NULL));
  g_assert_true (lk_test_wait_for (dialog_shown, (gpointer) "Delete This Job?", 10000));
  g_assert_true (g_file_test (images[0], G_FILE_TEST_EXISTS));
  adw_message_dialog_response (find_dialog ("Delete This Job?"), "delete");

  /* The job leaves the list; its files are in the trash. */
  g_assert_true (lk_test_wait_for (has_rows, GUINT_TO_POINTER (1), 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "list");
  g_assert_false (g_file_test (images[0], G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (images[1], G_FILE_TEST_EXISTS));
  trashed = g_build_filename (g_get_user_data_dir (), "Trash", "files", "01-film-noir.png", NULL);
  g_assert_true (g_file_test (trashed, G_FILE_TEST_EXISTS));

  /* The film-noir card showed the job's portrait; it has no other. */
  g_assert_true (lk_test_wait_for (has_no_thumbnail, noir, 10000));

  /* Its records are gone, its cost is not. */
  store = lk_store_new_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  jobs = lk_store_list_jobs (store, NULL, 10, &error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (lk_job_summary_get_id (g_ptr_array_index (jobs, 0)), !=, portrait_job);
  usage = lk_store_get_usage (store, NULL, &error);
  g_assert_cmpint (usage->all_time, ==, USD (0.04875));
  assert_label_becomes ("all_time_label", "$0.049");
}

/* Retrying a job that ended. */

static gboolean
is_progress_page (GtkWidget     *widget,
                  gconstpointer  unused)
{
  return LK_IS_PROGRESS_PAGE (widget);
}

/* A job of three portraits run as the Generate bar would, the second
 * stopped by the content filter. */
static LkBatch *
run_job_with_a_failure (void)
{
  LkStyleLibrary *library = lk_application_get_styles (app);
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *dir = g_build_filename (home, "retry", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) out = NULL;
  g_autoptr(GError) error = NULL;
  LkBatch *batch;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = lk_test_photo_save (face, dir, "face.jpg", 90);
  g_ptr_array_add (photos, lk_photo_new (path));
  for (guint i = 0; i < N_RETRY_STYLES; i++)
    g_ptr_array_add (styles, g_list_model_get_item (lk_style_library_get_styles (library), i));
  out = g_file_new_build_filename (dir, "Pictures", NULL);

  batch = lk_batch_new (lk_application_get_client (app), lk_application_get_store (app),
                        lk_application_get_catalog (app), lk_application_get_budget (app));
  lk_batch_set_styles (batch, styles);
  lk_batch_set_references (batch, photos);
  lk_batch_set_output_folder (batch, out);
  lk_batch_set_job_name (batch, "Retried");
  lk_batch_set_concurrency (batch, 1);

  g_assert_true (lk_sim_add_faults (sim, "[{\"model\": \"" PULID "\", \"fault\": \"fail\", "
                                    "\"skip\": 1, \"times\": 1}]", &error));
  g_assert_no_error (error);
  lk_test_batch_start (batch);
  lk_test_batch_wait_settled (batch);
  lk_sim_clear_faults (sim);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, N_RETRY_STYLES - 1);
  g_assert_cmpuint (lk_batch_get_n_failed (batch), ==, 1);
  return batch;
}

static gboolean
row_says (gpointer data)
{
  const char * const *pair = data;
  guint index = GPOINTER_TO_UINT (pair[0]);
  GtkWidget *row = list_row (index);

  return row != NULL && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), pair[1]) == 0 &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), pair[2]) != NULL;
}

static void
open_row_when (guint       index,
               const char *title,
               const char *counts)
{
  const char *wanted[] = { GUINT_TO_POINTER (index), title, counts };

  show_history ();
  g_assert_true (gtk_widget_activate_action (history_page (), "history.back", NULL));
  if (!lk_test_wait_for (row_says, wanted, 10000))
    g_error ("Row %u never said “%s” with “%s”, only “%s”: “%s”", index, title, counts,
             list_row (index) ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (list_row (index))) : "",
             list_row (index) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (list_row (index))) : "");
  g_signal_emit_by_name (page_child ("jobs_list"), "row-activated", list_row (index));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (page_child ("job_title"))), ==, title);
}

static GBytes *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static gboolean
retry_enabled (gpointer data)
{
  return gtk_widget_is_sensitive (page_child ("retry_button"));
}

static gboolean
retry_box_hidden (gpointer data)
{
  return !gtk_widget_get_visible (page_child ("retry_box"));
}

/* Retry Failed makes the missing portrait once, after asking, and
 * nothing that was saved. */
static void
test_retry_failed (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(LkBatch) first = run_job_with_a_failure ();
  g_autoptr(GFile) saved_file = g_object_ref (lk_batch_item_get_output_file (lk_test_batch_get_item (first, 0)));
  g_autoptr(GBytes) saved = read_file (saved_file);
  guint n_created = lk_sim_count_requests (sim, "POST", "/v1/predictions");
  LkBatchEstimate estimate;
  g_autoptr(GError) error = NULL;
  g_autofree char *cost = NULL;
  g_autoptr(GBytes) saved_after = NULL;
  const char *title = "Business Headshot, Approachable Professional, Executive Portrait";
  LkProgressPage *progress;
  LkBatch *retried;
  AdwMessageDialog *dialog;
  GtkWidget *button;

  open_row_when (0, title, "2 done, 1 failed");
  g_assert_true (gtk_widget_get_visible (page_child ("retry_box")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (page_child ("retry_label"))), ==,
                   "1 portrait of this job was not saved.");

  /* The question says what it costs and what is left; nothing is made
   * before the answer. */
  g_assert_true (gtk_widget_activate_action (history_page (), "history.retry-failed", NULL));
  g_assert_true (lk_test_wait_for (dialog_shown, (gpointer) "Retry 1 Missing Portrait?", 10000));
  dialog = find_dialog ("Retry 1 Missing Portrait?");
  g_assert_true (lk_batch_estimate (lk_application_get_catalog (app), lk_batch_get_preset (first), 1,
                                    lk_batch_get_concurrency (first), &estimate, &error));
  g_assert_no_error (error);
  cost = lk_money_format (estimate.cost);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), cost));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "No daily or monthly spending limit is set."));
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, n_created);
  click (dialog, "_Cancel");
  g_assert_true (lk_test_wait_for (dialog_gone, (gpointer) "Retry 1 Missing Portrait?", 10000));

  /* Asked again with a daily cap, it says what is left of it. */
  g_settings_set_double (settings, "budget-daily", 5);
  g_assert_true (lk_test_wait_for (retry_enabled, NULL, 10000));
  g_assert_true (gtk_widget_activate_action (history_page (), "history.retry-failed", NULL));
  g_assert_true (lk_test_wait_for (dialog_shown, (gpointer) "Retry 1 Missing Portrait?", 10000));
  dialog = find_dialog ("Retry 1 Missing Portrait?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "left of $5.00. This month: No cap."));
  g_settings_set_double (settings, "budget-daily", 0);
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, n_created);
  click (dialog, "_Retry");

  /* The job runs on the Progress page; no other can be retried meanwhile. */
  g_assert_cmpstr (lk_window_get_page (window), ==, "progress");
  progress = LK_PROGRESS_PAGE (find (GTK_WIDGET (window), is_progress_page, NULL));
  retried = lk_progress_page_get_batch (progress);
  g_assert_nonnull (retried);
  g_assert_cmpint (lk_batch_get_job_id (retried), ==, lk_batch_get_job_id (first));
  button = page_child ("retry_button");
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   "A portrait job is under way. Retry this one once it has ended.");

  lk_test_batch_wait_settled (retried);
  g_assert_cmpint (lk_batch_get_state (retried), ==, LK_JOB_STATE_FINISHED);
  g_assert_cmpuint (lk_batch_get_n_done (retried), ==, N_RETRY_STYLES);

  /* One create for the one missing portrait; the saved ones untouched. */
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, n_created + 1);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (sim), ==, 1);
  g_assert_true (g_file_equal (lk_batch_item_get_output_file (lk_test_batch_get_item (retried, 0)), saved_file));
  saved_after = read_file (saved_file);
  g_assert_true (g_bytes_equal (saved, saved_after));
  for (guint i = 0; i < N_RETRY_STYLES; i++)
    g_assert_true (g_file_query_exists (lk_batch_item_get_output_file (lk_test_batch_get_item (retried, i)), NULL));

  /* The History follows: the job shown gains its image and loses its
   * Retry, and its row says it is complete. */
  show_history ();
  g_assert_true (lk_test_wait_for (retry_box_hidden, NULL, 10000));
  g_assert_true (lk_test_wait_for (pictures_loaded, GUINT_TO_POINTER (N_RETRY_STYLES), 10000));
  open_row_when (0, title, "3 done, 0 failed");
  g_assert_false (gtk_widget_get_visible (page_child ("retry_box")));
}

/* A job with nothing missing, or not of portraits, offers no Retry. */
static void
test_nothing_to_retry (void)
{
  open_row_when (1, "A lighthouse at dawn", "Images");
  g_assert_false (gtk_widget_get_visible (page_child ("retry_box")));
  g_assert_true (gtk_widget_activate_action (history_page (), "history.back", NULL));
}

/* Two jobs: portraits made now (two saved, one failed) and, before them,
 * one image from a prompt. */
static void
fill_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Pictures", "Likeness", "Portraits", NULL);
  gint64 items[3];
  gint64 job;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 80);

      gdk_pixbuf_fill (pixbuf, i == 0 ? 0x202020ff : 0x8a5a2bff);
      images[i] = g_build_filename (folder, i == 0 ? "01-film-noir.png" : "02-oil-painting.png", NULL);
      gdk_pixbuf_save (pixbuf, images[i], "png", &error, NULL);
      g_assert_no_error (error);
    }

  job = lk_test_store_add_job (store, LK_JOB_KIND_CREATE, "A lighthouse at dawn", 1,
                               g_date_time_to_unix (now) - 86400, 0, items);
  lk_test_store_run_item (store, budget, job, items[0], "p-light", "black-forest-labs/flux-schnell", "succeeded",
                          USD (0.003), NULL, NULL);

  portrait_job = lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Film Noir, Oil Painting and Anime", 3,
                                        g_date_time_to_unix (now), 0, items);
  lk_store_set_job_state (store, portrait_job, LK_JOB_STATE_FINISHED, &error);
  g_assert_no_error (error);
  lk_test_store_run_item (store, budget, portrait_job, items[0], "p-noir", "bytedance/flux-pulid", "succeeded",
                          USD (0.022875), images[0], NULL);
  lk_test_store_run_item (store, budget, portrait_job, items[1], "p-oil", "bytedance/flux-pulid", "succeeded",
                          USD (0.022875), images[1], NULL);
  lk_test_store_run_item (store, budget, portrait_job, items[2], "p-anime", "bytedance/flux-pulid", "failed",
                          0, NULL, NULL);
}

/* The tests run inside g_application_run(), so the app starts up and
 * shuts down as it does for a person. */
static void
app_activate_cb (GApplication *application,
                 int          *status)
{
  window = LK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert_nonnull (window);

  *status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status = 1;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Model durations shrink to a fiftieth: a 15 s portrait takes 0.3 s. */
  sim = lk_test_start_sim_for_app (0.02);
  notifications = g_ptr_array_new_with_free_func (g_free);
  bus = lk_test_serve_notifications (notifications);

  fill_store ();

  g_test_add_func ("/lk/history-page/jobs-and-summary", test_jobs_and_summary);
  g_test_add_func ("/lk/history-page/job-images", test_job_images);
  g_test_add_func ("/lk/history-page/budget-warning", test_budget_warning);
  g_test_add_func ("/lk/history-page/delete-job", test_delete_job);
  g_test_add_func ("/lk/history-page/retry-failed", test_retry_failed);
  g_test_add_func ("/lk/history-page/nothing-to-retry", test_nothing_to_retry);

  app = lk_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (app_activate_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_finalize_object (app);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    g_free (images[i]);
  lk_sim_stop (sim);
  g_clear_object (&sim);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_object (&bus);

  return status;
}
