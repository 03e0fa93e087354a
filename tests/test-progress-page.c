/* test-progress-page.c: a small job run from the window against the
 * simulator, from the Generate bar through the summary to cards that show
 * their images; and the question asked at startup about a job that did
 * not finish, which spends nothing until it is answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-batch-item-card.h"
#include "lk-generate-bar.h"
#include "lk-generate-dialog.h"
#include "lk-money.h"
#include "lk-photos-page.h"
#include "lk-progress-page.h"
#include "lk-sim.h"
#include "lk-test-gui.h"
#include "lk-test-photos.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"

#define N_STYLES 3
/* Model durations shrink to a fiftieth: a 15 s portrait takes 0.3 s. */
#define TIME_SCALE 0.02
#define JOB_DEADLINE_MS 60000
/* The window's own width-request. */
#define NARROWEST_WINDOW 360

static LkSim *sim;
static const char *home;

/* The app's notifications, as the desktop's service received them; the
 * bus connection keeps the service's name. */
static GPtrArray *notifications;
static GDBusConnection *bus;

/* Widgets. */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GtkWidget *
find (GtkWidget *root,
      GType      type)
{
  GtkWidget *widget = lk_test_find_descendant (root, type);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
store_is_open (gpointer app)
{
  return lk_application_get_store (app) != NULL;
}

static gboolean
scorer_recommends (gpointer scorer)
{
  return !lk_photo_scorer_get_busy (scorer) && lk_photo_scorer_get_n_recommended (scorer) > 0;
}

static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* A card is done when it says so, shows a picture, and its file is on
 * disk. */
static gboolean
card_is_done (GtkWidget *card)
{
  LkBatchItem *item = lk_batch_item_card_get_item (LK_BATCH_ITEM_CARD (card));
  GtkWidget *picture = lk_test_find_descendant (card, GTK_TYPE_PICTURE);
  GFile *file = lk_batch_item_get_output_file (item);

  return lk_test_find_widget (card, is_shown_label, "Done") != NULL &&
         gtk_picture_get_paintable (GTK_PICTURE (picture)) != NULL &&
         gtk_widget_get_mapped (picture) &&
         file != NULL && g_file_query_exists (file, NULL);
}

static gboolean
all_cards_done (gpointer page)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  collect (page, LK_TYPE_BATCH_ITEM_CARD, cards);
  if (cards->len != N_STYLES)
    return FALSE;

  for (guint i = 0; i < cards->len; i++)
    if (!card_is_done (g_ptr_array_index (cards, i)))
      return FALSE;

  return TRUE;
}

static void
choose_styles (LkApplication *app,
               guint          n)
{
  GListModel *styles = lk_style_library_get_styles (lk_application_get_styles (app));
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);

      g_strv_builder_add (builder, lk_style_get_id (style));
    }

  ids = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "chosen-styles", (const char * const *) ids);
}

static void
add_photos (LkTestApp *test)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *dir = g_build_filename (home, "selfies", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  LkPhotosPage *photos = LK_PHOTOS_PAGE (find (GTK_WIDGET (test->window), LK_TYPE_PHOTOS_PAGE));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = lk_test_photo_save (face, dir, "portrait.jpg", 92);
  lk_window_add_photos (test->window, &folder, 1);
  g_assert_true (lk_test_wait_for (scorer_recommends, lk_photos_page_get_scorer (photos), 30000));
}

/* From the bar through the summary to finished cards. */
static gboolean
job_ended (gpointer page)
{
  return !lk_progress_page_get_job_active (page);
}

static void
check_generate (LkTestApp *test)
{
  AdwViewStackPage *progress_tab;
  GtkWidget *window = GTK_WIDGET (test->window);
  LkCatalog *catalog = lk_application_get_catalog (test->app);
  LkGenerateBar *bar = LK_GENERATE_BAR (find (window, LK_TYPE_GENERATE_BAR));
  LkProgressPage *page = LK_PROGRESS_PAGE (find (window, LK_TYPE_PROGRESS_PAGE));
  g_autofree char *generate = g_strdup_printf ("Generate %u Portraits", N_STYLES);
  g_autofree char *cost = NULL;
  g_autofree char *count = NULL;
  LkBatchEstimate estimate;
  GtkWidget *dialog;
  GtkWidget *start;
  GtkCheckButton *check;
  gboolean was_active;
  int min_width;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_test_wait_for (store_is_open, test->app, 10000));

  /* With nothing chosen, the bar says what is missing. */
  g_assert_true (lk_test_wait_for_text (window, "Add photos of yourself on the Photos page first"));
  gtk_widget_activate_action (GTK_WIDGET (bar), "bar.generate", NULL);
  lk_test_drain ();
  g_assert_null (lk_test_find_toplevel (LK_TYPE_GENERATE_DIALOG));

  add_photos (test);
  g_assert_true (lk_test_wait_for_text (window, "Choose at least one style on the Styles page"));
  choose_styles (test->app, N_STYLES);
  g_assert_true (lk_test_wait_for_text (window, generate));
  g_assert_true (lk_test_shows_text (window, "1 reference · 3 styles"));

  /* The summary shows the cost before anything is spent. */
  lk_sim_clear_requests (sim);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "bar.generate", NULL));
  lk_test_drain ();
  dialog = GTK_WIDGET (lk_test_find_toplevel (LK_TYPE_GENERATE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (lk_batch_estimate (catalog, LK_QUALITY_PRESET_STANDARD, N_STYLES,
                                    LK_BATCH_DEFAULT_CONCURRENCY, &estimate, &error));
  g_assert_no_error (error);
  cost = lk_money_format (estimate.cost);
  g_assert_true (lk_test_wait_for_text (dialog, cost));
  g_assert_true (lk_test_shows_text (dialog, "3 Styles"));
  g_assert_true (lk_test_wait_for_text (dialog, "No cap"));
  g_assert_true (lk_test_shows_text (dialog, "Pictures/Likeness"));

  /* Every portrait needs a reference: without one, Start waits. */
  start = lk_test_find_widget (dialog, is_button, "_Start");
  check = GTK_CHECK_BUTTON (find (dialog, GTK_TYPE_CHECK_BUTTON));
  g_assert_true (gtk_widget_is_sensitive (start));
  gtk_check_button_set_active (check, FALSE);
  g_assert_false (gtk_widget_is_sensitive (start));
  g_assert_true (lk_test_shows_text (dialog, "Tick at least one photo"));
  gtk_check_button_set_active (check, TRUE);
  g_assert_true (gtk_widget_is_sensitive (start));
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", ""), ==, 0);

  g_assert_true (gtk_widget_activate_action (dialog, "generate.start", NULL));
  g_assert_nonnull (lk_progress_page_get_batch (page));
  g_assert_cmpstr (lk_window_get_page (test->window), ==, "progress");
  /* While the job runs, no other can start. */
  g_assert_true (lk_generate_bar_get_job_active (bar));
  /* With every job action shown, the page still fits the narrowest window. */
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, NARROWEST_WINDOW);
  g_assert_null (lk_test_find_toplevel (LK_TYPE_GENERATE_DIALOG));

  /* A job that ends while another page is shown marks the Progress tab
   * until the person looks. */
  progress_tab = adw_view_stack_get_page (ADW_VIEW_STACK (lk_test_find_descendant (window, ADW_TYPE_VIEW_STACK)),
                                          GTK_WIDGET (page));
  lk_window_set_page (test->window, "styles");
  g_assert_false (adw_view_stack_page_get_needs_attention (progress_tab));
  g_assert_true (lk_test_wait_for (job_ended, page, JOB_DEADLINE_MS));
  g_assert_true (adw_view_stack_page_get_needs_attention (progress_tab));
  lk_window_set_page (test->window, "progress");
  lk_test_drain ();
  g_assert_false (adw_view_stack_page_get_needs_attention (progress_tab));

  g_assert_true (lk_test_wait_for (all_cards_done, page, JOB_DEADLINE_MS));
  was_active = gtk_window_is_active (GTK_WINDOW (window));
  count = g_strdup_printf ("%u of %u portraits", N_STYLES, N_STYLES);
  g_assert_true (lk_test_wait_for_text (window, count));
  g_assert_true (lk_test_wait_for_text (window, "Finished: every portrait is saved"));
  g_assert_false (lk_generate_bar_get_job_active (bar));

  /* Each portrait was created exactly once. */
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, N_STYLES);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (sim), ==, 1);

  /* Someone looking at another window hears that the job finished. */
  lk_test_drain ();
  g_test_message ("The window was %s when the job finished", was_active ? "active" : "not active");
  if (!was_active)
    g_assert_cmpuint (notifications->len, ==, 1);
  else
    g_assert_cmpuint (notifications->len, ==, 0);
}

static void
test_generate (void)
{
  lk_test_run_app (check_generate, NULL);
}

/* The question about an unfinished job. */

static GtkWidget *
find_resume_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                     "A Portrait Job Did Not Finish") == 0)
        return GTK_WIDGET (window);
    }

  return NULL;
}

static gboolean
resume_dialog_shown (gpointer data)
{
  return find_resume_dialog () != NULL;
}

/* A job of three portraits, one made, as a crash would leave it. */
static void
add_unfinished_job (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  gint64 items[3];
  gint64 job;

  g_assert_no_error (error);
  job = lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Film Noir", 3, 0, 0, items);
  lk_test_store_run_item (store, budget, job, items[0], "p-made", "bytedance/flux-pulid", "succeeded",
                          LK_TEST_USD (0.02), NULL, NULL);
}

static void
check_resume_not_now (LkTestApp *test)
{
  LkProgressPage *page = LK_PROGRESS_PAGE (find (GTK_WIDGET (test->window), LK_TYPE_PROGRESS_PAGE));
  g_autoptr(GPtrArray) requests = NULL;
  GtkWidget *dialog;
  GtkWidget *not_now;

  g_assert_true (lk_test_wait_for (resume_dialog_shown, NULL, 10000));
  dialog = find_resume_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "2 of 3 portraits are missing."));

  /* Asking cost nothing, and neither does the answer. */
  not_now = lk_test_find_widget (dialog, is_button, "_Not Now");
  g_assert_nonnull (not_now);
  g_signal_emit_by_name (not_now, "clicked");
  lk_test_drain ();
  g_assert_null (find_resume_dialog ());
  g_assert_null (lk_progress_page_get_batch (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window), "win.show-page", "s", "progress"));
  lk_test_drain ();
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "Nothing Is Being Made"));

  requests = lk_sim_get_requests (sim);
  g_assert_cmpuint (requests->len, ==, 0);
}

static void
test_resume_not_now (void)
{
  add_unfinished_job ();
  lk_sim_clear_requests (sim);
  lk_test_run_app (check_resume_not_now, NULL);
  g_assert_cmpuint (lk_sim_get_prediction_count (sim), ==, N_STYLES);
}

/* A job paused after its first portrait, as quitting would leave it. */
static gint64
add_paused_job (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  g_autoptr(LkSecret) secret = lk_secret_new ();
  g_autoptr(LkClient) client = lk_client_new (secret, NULL);
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autofree char *dir = g_build_filename (home, "resume", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LkBatch) batch = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = lk_test_photo_save (face, dir, "face.jpg", 90);
  g_ptr_array_add (photos, lk_photo_new (path));
  for (guint i = 0; i < N_STYLES; i++)
    g_ptr_array_add (styles, g_list_model_get_item (lk_style_library_get_styles (library), N_STYLES + i));

  batch = lk_batch_new (client, store, catalog, budget);
  lk_batch_set_styles (batch, styles);
  lk_batch_set_references (batch, photos);
  lk_batch_set_concurrency (batch, 1);

  /* Slow enough that the pause comes while the first one runs. */
  lk_sim_set_model_duration (sim, "bytedance/flux-pulid", 100);
  lk_batch_start_async (batch, NULL, lk_test_store_result, &result);
  g_assert_true (lk_batch_start_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  lk_batch_pause (batch);
  g_clear_object (&result);
  lk_batch_wait_async (batch, NULL, lk_test_store_result, &result);
  g_assert_true (lk_batch_wait_finish (batch, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  lk_sim_set_model_duration (sim, "bytedance/flux-pulid", 15);

  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_PAUSED);
  g_assert_cmpuint (lk_batch_get_n_done (batch), ==, 1);
  return lk_batch_get_job_id (batch);
}

static void
check_resume (LkTestApp *test)
{
  LkProgressPage *page = LK_PROGRESS_PAGE (find (GTK_WIDGET (test->window), LK_TYPE_PROGRESS_PAGE));
  gint64 job_id = GPOINTER_TO_SIZE (test->data);
  guint n_created = lk_sim_get_prediction_count (sim);
  GtkWidget *dialog;

  g_assert_true (lk_test_wait_for (resume_dialog_shown, NULL, 10000));
  dialog = find_resume_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "2 of 3 portraits are missing."));
  g_signal_emit_by_name (lk_test_find_widget (dialog, is_button, "_Resume"), "clicked");

  /* The job comes back with its first portrait and makes the other two,
   * each once. */
  g_assert_true (lk_test_wait_for (all_cards_done, page, JOB_DEADLINE_MS));
  g_assert_cmpint (lk_batch_get_job_id (lk_progress_page_get_batch (page)), ==, job_id);
  g_assert_cmpuint (lk_sim_get_prediction_count (sim), ==, n_created + 2);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (sim), ==, 1);
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "Finished: every portrait is saved"));
}

static void
test_resume (void)
{
  gint64 job_id = add_paused_job ();

  lk_test_run_app (check_resume, GSIZE_TO_POINTER (job_id));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  /* Portraits go to the Pictures folder, which is the home's without a
   * user-dirs file: the test's own. */
  g_setenv ("HOME", home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  sim = lk_test_start_sim_for_app (TIME_SCALE);
  notifications = g_ptr_array_new_with_free_func (g_free);
  bus = lk_test_serve_notifications (notifications);

  /* In this order: each test after the first leaves an unfinished job
   * behind, and the question is about the newest. */
  g_test_add_func ("/lk/progress-page/generate", test_generate);
  g_test_add_func ("/lk/progress-page/resume-not-now", test_resume_not_now);
  g_test_add_func ("/lk/progress-page/resume", test_resume);

  status = g_test_run ();
  lk_sim_stop (sim);
  g_clear_object (&sim);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_object (&bus);
  return status;
}
