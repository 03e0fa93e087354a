/* test-window.c: the app shell: every page, Preferences, About, the
 * shortcuts window, the window size kept across runs, and a clean finalize.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "lk-application.h"
#include "lk-preferences-window.h"
#include "lk-test-utils.h"
#include "lk-window.h"

static const char * const page_names[] = {
  "photos", "styles", "progress", "history", "train", "create",
};

typedef struct _Fixture Fixture;
typedef void (*WindowTest) (Fixture *fixture);

struct _Fixture
{
  LkApplication *app;
  LkWindow      *window;
  WindowTest     body;
};

static gboolean
is_main_context_idle (gpointer data)
{
  return !g_main_context_pending (NULL);
}

static void
drain (void)
{
  lk_test_wait_for (is_main_context_idle, NULL, 2000);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
window_is_gone (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

static void
track_active_window (Fixture *fixture)
{
  fixture->window = LK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_true (LK_IS_WINDOW (fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
}

/* The test body runs inside g_application_run(), so that the app starts up
 * and shuts down exactly as it does for a person. */
static void
app_activate_cb (GApplication *app,
                 Fixture      *fixture)
{
  WindowTest body = g_steal_pointer (&fixture->body);

  if (body == NULL)
    return;

  track_active_window (fixture);
  drain ();
  body (fixture);

  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (lk_test_wait_for (window_is_gone, fixture, 5000));
}

static void
run_in_app (Fixture       *fixture,
            gconstpointer  data)
{
  fixture->body = (WindowTest) data;
  fixture->app = lk_application_new ();
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (fixture->app, "activate", G_CALLBACK (app_activate_cb), fixture);

  g_assert_cmpint (g_application_run (G_APPLICATION (fixture->app), 0, NULL), ==, 0);
  g_assert_null (fixture->body);
  g_assert_null (fixture->window);
  g_assert_finalize_object (fixture->app);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_pages (Fixture *fixture)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (fixture->window),
                                                         ADW_TYPE_VIEW_STACK));
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (page_names));

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      AdwViewStackPage *page;
      GtkWidget *child;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                                 "win.show-page", "s", page_names[i]));
      drain ();
      g_assert_cmpstr (lk_window_get_page (fixture->window), ==, page_names[i]);

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

typedef struct
{
  GtkWidget  *root;
  const char *text;
} SubtitleWait;

static gboolean
row_subtitle_contains (GtkWidget  *widget,
                       const char *text)
{
  if (ADW_IS_ACTION_ROW (widget))
    {
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));

      if (subtitle != NULL && strstr (subtitle, text) != NULL)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (row_subtitle_contains (child, text))
        return TRUE;
    }

  return FALSE;
}

static gboolean
subtitle_shown (gpointer data)
{
  SubtitleWait *wait = data;

  return row_subtitle_contains (wait->root, wait->text);
}

static void
test_preferences_token (Fixture *fixture)
{
  GtkWindow *preferences;
  GtkWidget *entry;
  SubtitleWait wait;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  drain ();

  preferences = find_toplevel (LK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (fixture->window));

  wait = (SubtitleWait) { GTK_WIDGET (preferences), "None yet" };
  g_assert_true (lk_test_wait_for (subtitle_shown, &wait, 10000));

  /* Type a token and press Enter, as a person would. */
  entry = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "r8_FakeTokenForTheGuiTest");
  g_signal_emit_by_name (entry, "apply");

  wait.text = "Stored in the system keyring";
  g_assert_true (lk_test_wait_for (subtitle_shown, &wait, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpint (lk_secret_get_source (lk_application_get_secret (fixture->app)),
                   ==, LK_TOKEN_SOURCE_KEYRING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "token.remove", NULL));
  wait.text = "None yet";
  g_assert_true (lk_test_wait_for (subtitle_shown, &wait, 10000));
  g_assert_false (lk_secret_get_has_stored (lk_application_get_secret (fixture->app)));

  gtk_window_destroy (preferences);
  drain ();
}

static void
test_about (Fixture *fixture)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  g_test_skip ("The About dialog of libadwaita 1.5 and later reads the metainfo itself");
#else
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  drain ();

  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
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
  drain ();
#endif
}

static void
test_shortcuts (Fixture *fixture)
{
  GtkWindow *shortcuts;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-help-overlay", NULL));
  drain ();

  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_window_close (shortcuts);
  drain ();
}

static void
test_window_size_persists (Fixture *fixture)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  int width;
  int height;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 811, 613);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (lk_test_wait_for (window_is_gone, fixture, 5000));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 811);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 613);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at the size the last one had. */
  g_application_activate (G_APPLICATION (fixture->app));
  track_active_window (fixture);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 811);
  g_assert_cmpint (height, ==, 613);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/lk/window/pages", Fixture, test_pages, NULL, run_in_app, NULL);
  g_test_add ("/lk/window/preferences-token", Fixture, test_preferences_token, NULL, run_in_app, NULL);
  g_test_add ("/lk/window/about", Fixture, test_about, NULL, run_in_app, NULL);
  g_test_add ("/lk/window/shortcuts", Fixture, test_shortcuts, NULL, run_in_app, NULL);
  g_test_add ("/lk/window/size-persists", Fixture, test_window_size_persists, NULL, run_in_app, NULL);

  return g_test_run ();
}
