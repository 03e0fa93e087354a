/* test-sign-in.c: signing in with a token, checked against the simulator
 * before it is stored; Preferences' account group; signing out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "lk-preferences-window.h"
#include "lk-sign-in-page.h"
#include "lk-sim.h"
#include "lk-test-gui.h"
#include "lk-test-utils.h"

static LkSim *sim;

static GtkWidget *
sign_in_page (LkTestApp *test)
{
  GtkWidget *page = lk_test_find_descendant (GTK_WIDGET (test->window), LK_TYPE_SIGN_IN_PAGE);

  g_assert_nonnull (page);
  g_assert_true (lk_test_wait_for_text (page, "Welcome to Likeness"));
  return page;
}

static void
type_token (GtkWidget  *root,
            const char *token)
{
  GtkWidget *entry = lk_test_find_descendant (root, ADW_TYPE_PASSWORD_ENTRY_ROW);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), token);
}

static char *
stored_token (void)
{
  g_autoptr(LkSecret) secret = lk_secret_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  lk_secret_lookup_async (secret, NULL, lk_test_store_result, &result);
  token = lk_secret_lookup_finish (secret, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return token;
}

static void
check_wrong_token (LkTestApp *test)
{
  GtkWidget *page = sign_in_page (test);
  g_autofree char *token = NULL;

  lk_sim_clear_requests (sim);
  type_token (page, "r8_not_the_right_one");
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));

  g_assert_true (lk_test_wait_for_text (page, "Replicate did not accept this token"));
  g_assert_cmpuint (lk_sim_count_requests (sim, "GET", "/v1/account"), ==, 1);

  /* Nothing is stored, and the app still asks for a token. */
  token = stored_token ();
  g_assert_null (token);
  g_assert_true (lk_test_shows_text (page, "Welcome to Likeness"));
}

static void
test_wrong_token (void)
{
  lk_test_run_app (check_wrong_token, NULL);
}

static void
check_unreachable (LkTestApp *test)
{
  GtkWidget *page = sign_in_page (test);
  g_autofree char *token = NULL;

  type_token (page, LK_SIM_TOKEN);
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));

  g_assert_true (lk_test_wait_for_text (page, "Replicate could not be reached"));
  g_assert_true (lk_test_shows_text (page, "Retry"));

  token = stored_token ();
  g_assert_null (token);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago, with nothing listening on it. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  g_setenv ("REPLICATE_BASE_URL", url, TRUE);
  lk_test_run_app (check_unreachable, NULL);
  g_setenv ("REPLICATE_BASE_URL", lk_sim_get_base_url (sim), TRUE);
}

static void
check_sign_in_and_out (LkTestApp *test)
{
  GtkWidget *page = sign_in_page (test);
  GtkWindow *preferences;
  GtkWidget *stack;
  g_autofree char *token = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *after_sign_out = NULL;

  type_token (page, LK_SIM_TOKEN);
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));

  /* The pages appear, with a word on who is signed in. */
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (test->window), "Signed in as likeness-sim"));
  stack = lk_test_find_descendant (GTK_WIDGET (test->window), ADW_TYPE_VIEW_STACK);
  g_assert_true (gtk_widget_get_mapped (stack));
  token = stored_token ();
  g_assert_cmpstr (token, ==, LK_SIM_TOKEN);

  g_action_group_activate_action (G_ACTION_GROUP (test->app), "preferences", NULL);
  preferences = lk_test_find_toplevel (LK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (preferences), "Signed in as likeness-sim"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (preferences), "kept in the system keyring"));

  /* A wrong replacement is refused and the working token is kept. */
  type_token (GTK_WIDGET (preferences), "r8_a_mistyped_replacement");
  g_signal_emit_by_name (lk_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW),
                         "apply");
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (preferences), "the old one is kept"));
  kept = stored_token ();
  g_assert_cmpstr (kept, ==, LK_SIM_TOKEN);

  /* Signing out closes Preferences and brings back the sign-in page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "account.sign-out", NULL));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (test->window), "Welcome to Likeness"));
  g_assert_null (lk_test_find_toplevel (LK_TYPE_PREFERENCES_WINDOW));
  after_sign_out = stored_token ();
  g_assert_null (after_sign_out);
}

static void
test_sign_in_and_out (void)
{
  lk_test_run_app (check_sign_in_and_out, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  sim = lk_sim_new ();
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  g_setenv ("REPLICATE_BASE_URL", lk_sim_get_base_url (sim), TRUE);

  g_test_add_func ("/lk/sign-in/wrong-token", test_wrong_token);
  g_test_add_func ("/lk/sign-in/unreachable", test_unreachable);
  g_test_add_func ("/lk/sign-in/sign-in-and-out", test_sign_in_and_out);

  ret = g_test_run ();
  lk_sim_stop (sim);
  g_clear_object (&sim);
  return ret;
}
