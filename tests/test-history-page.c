/* test-history-page.c: the History page over a store filled beforehand:
 * the jobs and the spending summary, a job's images, the budget warning,
 * and deleting a job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lk-application.h"
#include "lk-history-page.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"
#include "lk-window.h"

#define USD(x) LK_TEST_USD (x)
#define NARROWEST_WINDOW 360

/* The app and window every test looks at, in registration order: the
 * deletion comes last. */
static LkApplication *app;
static LkWindow *window;
static char *images[2];
static gint64 portrait_job;

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

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
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
  g_assert_true (lk_test_wait_for (dialog_shown, NULL, 10000));
  g_assert_true (g_file_test (images[0], G_FILE_TEST_EXISTS));
  adw_message_dialog_response (find_dialog (), "delete");

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
  lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  fill_store ();

  g_test_add_func ("/lk/history-page/jobs-and-summary", test_jobs_and_summary);
  g_test_add_func ("/lk/history-page/job-images", test_job_images);
  g_test_add_func ("/lk/history-page/budget-warning", test_budget_warning);
  g_test_add_func ("/lk/history-page/delete-job", test_delete_job);

  app = lk_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (app_activate_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_finalize_object (app);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    g_free (images[i]);

  return status;
}
