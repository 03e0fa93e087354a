/* test-window.c: the app shell: every page, About, the shortcuts window,
 * the window size kept across runs, and a clean finalize.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-photo-scorer.h"
#include "lk-photos-page.h"
#include "lk-preferences-window.h"
#include "lk-test-gui.h"
#include "lk-test-utils.h"

static const char * const page_names[] = {
  "photos", "styles", "progress", "history", "train", "create",
};

static void
check_pages (LkTestApp *test)
{
  AdwViewStack *stack = ADW_VIEW_STACK (lk_test_find_descendant (GTK_WIDGET (test->window),
                                                                 ADW_TYPE_VIEW_STACK));
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (page_names));

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      AdwViewStackPage *page;
      GtkWidget *child;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window),
                                                 "win.show-page", "s", page_names[i]));
      lk_test_drain ();
      g_assert_cmpstr (lk_window_get_page (test->window), ==, page_names[i]);

      child = adw_view_stack_get_visible_child (stack);
      page = adw_view_stack_get_page (stack, child);
      g_assert_true (gtk_widget_get_mapped (child));
      g_assert_nonnull (adw_view_stack_page_get_icon_name (page));
      g_assert_cmpstr (adw_view_stack_page_get_title (page), !=, "");

      /* Until its capability lands, a page is a designed empty state: an
       * icon, a title and a sentence on what to do. */
      if (ADW_IS_STATUS_PAGE (child))
        {
          AdwStatusPage *status = ADW_STATUS_PAGE (child);

          g_assert_nonnull (adw_status_page_get_icon_name (status));
          g_assert_cmpuint (strlen (adw_status_page_get_title (status)), >, 0);
          g_assert_cmpuint (strlen (adw_status_page_get_description (status)), >, 40);
        }
    }
}

static void
test_pages (void)
{
  lk_test_run_app (check_pages, NULL);
}

static void
check_about (LkTestApp *test)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  g_test_skip ("The About dialog of libadwaita 1.5 and later reads the metainfo itself");
#else
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (test->app), "about", NULL);
  lk_test_drain ();

  about = ADW_ABOUT_WINDOW (lk_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);

  /* Everything here comes from the metainfo file. */
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Likeness");
  g_assert_cmpstr (adw_about_window_get_comments (about), ==, "Make portraits that look like you");
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "The Likeness developers");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_release_notes_version (about), ==, PACKAGE_VERSION);
  g_assert_true (g_str_has_prefix (adw_about_window_get_release_notes (about), "<p>"));
  g_assert_nonnull (strstr (adw_about_window_get_release_notes (about), "<li>"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_suffix (adw_about_window_get_issue_url (about), "/issues"));

  gtk_window_destroy (GTK_WINDOW (about));
  lk_test_drain ();
#endif
}

static void
test_about (void)
{
  lk_test_run_app (check_about, NULL);
}

static void
check_shortcuts (LkTestApp *test)
{
  GtkWindow *shortcuts;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window),
                                             "win.show-help-overlay", NULL));
  lk_test_drain ();

  shortcuts = lk_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_window_close (shortcuts);
  lk_test_drain ();
}

static void
test_shortcuts (void)
{
  lk_test_run_app (check_shortcuts, NULL);
}

static void
check_window_size_persists (LkTestApp *test)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  int width;
  int height;

  gtk_window_set_default_size (GTK_WINDOW (test->window), 811, 613);
  gtk_window_close (GTK_WINDOW (test->window));
  g_assert_true (lk_test_wait_for (lk_test_app_window_is_gone, test, 5000));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 811);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 613);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at the size the last one had. */
  g_application_activate (G_APPLICATION (test->app));
  lk_test_app_track_window (test);
  gtk_window_get_default_size (GTK_WINDOW (test->window), &width, &height);
  g_assert_cmpint (width, ==, 811);
  g_assert_cmpint (height, ==, 613);
}

static void
test_window_size_persists (void)
{
  lk_test_run_app (check_window_size_persists, NULL);
}

static void
check_reference_count (LkTestApp *test)
{
  LkPhotosPage *photos = LK_PHOTOS_PAGE (lk_test_find_descendant (GTK_WIDGET (test->window),
                                                                  LK_TYPE_PHOTOS_PAGE));
  LkPhotoScorer *scorer = lk_photos_page_get_scorer (photos);
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWindow *preferences;
  GtkSpinButton *spin;
  guint top_count;

  g_object_get (scorer, "top-count", &top_count, NULL);
  g_assert_cmpuint (top_count, ==, 5);

  g_action_group_activate_action (G_ACTION_GROUP (test->app), "preferences", NULL);
  preferences = lk_test_find_toplevel (LK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  spin = GTK_SPIN_BUTTON (lk_test_find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 5);

  /* Asking for 3 references recommends 3 photos from then on. */
  gtk_spin_button_set_value (spin, 3);
  g_assert_cmpuint (g_settings_get_uint (settings, "reference-count"), ==, 3);
  g_object_get (scorer, "top-count", &top_count, NULL);
  g_assert_cmpuint (top_count, ==, 3);

  gtk_window_destroy (preferences);
  g_settings_reset (settings, "reference-count");
}

static void
test_reference_count (void)
{
  lk_test_run_app (check_reference_count, NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  /* The shell is tested signed in; signing in has its own test. */
  g_setenv ("REPLICATE_API_TOKEN", "r8_window_test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/lk/window/pages", test_pages);
  g_test_add_func ("/lk/window/about", test_about);
  g_test_add_func ("/lk/window/shortcuts", test_shortcuts);
  g_test_add_func ("/lk/window/size-persists", test_window_size_persists);
  g_test_add_func ("/lk/window/reference-count", test_reference_count);

  return g_test_run ();
}
