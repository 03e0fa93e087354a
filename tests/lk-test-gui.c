/* lk-test-gui.c: running the app in GUI tests exactly as it starts and
 * shuts down for a person, and finding what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "lk-test-gui.h"
#include "lk-test-utils.h"

#define WAIT_MS 10000

static gboolean
is_main_context_idle (gpointer data)
{
  return !g_main_context_pending (NULL);
}

/**
 * lk_test_drain:
 *
 * Runs the main loop until nothing is pending.
 */
void
lk_test_drain (void)
{
  lk_test_wait_for (is_main_context_idle, NULL, 2000);
}

GtkWindow *
lk_test_find_toplevel (GType type)
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

/**
 * lk_test_find_widget:
 *
 * Returns: (nullable): the first widget under @root, @root included, for
 *   which @match says yes
 */
GtkWidget *
lk_test_find_widget (GtkWidget         *root,
                     LkTestWidgetMatch  match,
                     gconstpointer      data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lk_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
lk_test_find_descendant (GtkWidget *root,
                         GType      type)
{
  return lk_test_find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

/**
 * lk_test_shows_text:
 *
 * Returns: whether a label on screen (mapped) under @root contains @text
 */
gboolean
lk_test_shows_text (GtkWidget  *root,
                    const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (lk_test_shows_text (child, text))
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return lk_test_shows_text (wait->root, wait->text);
}

gboolean
lk_test_wait_for_text (GtkWidget  *root,
                       const char *text)
{
  TextWait wait = { root, text };

  return lk_test_wait_for (text_shown, &wait, WAIT_MS);
}

gboolean
lk_test_app_window_is_gone (gpointer test)
{
  return ((LkTestApp *) test)->window == NULL;
}

void
lk_test_app_track_window (LkTestApp *test)
{
  test->window = LK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (test->app)));
  g_assert_true (LK_IS_WINDOW (test->window));
  g_object_add_weak_pointer (G_OBJECT (test->window), (gpointer *) &test->window);
}

/* The body runs inside g_application_run(), so that the app starts up and
 * shuts down exactly as it does for a person. */
static void
app_activate_cb (GApplication *app,
                 LkTestApp    *test)
{
  LkTestAppBody body = g_steal_pointer (&test->body);

  if (body == NULL)
    return;

  lk_test_app_track_window (test);
  lk_test_drain ();
  body (test);

  if (test->window != NULL)
    gtk_window_destroy (GTK_WINDOW (test->window));
  g_assert_true (lk_test_wait_for (lk_test_app_window_is_gone, test, 5000));
}

static gboolean
app_is_gone (gpointer test)
{
  return ((LkTestApp *) test)->app == NULL;
}

/**
 * lk_test_run_app:
 *
 * Runs the app with @body called once its window is up, then checks that
 * the window and the app are finalized (the app within seconds).
 */
void
lk_test_run_app (LkTestAppBody body,
                 gpointer      data)
{
  LkTestApp test = { NULL, NULL, body, data };

  test.app = lk_application_new ();
  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (app_activate_cb), &test);

  g_assert_cmpint (g_application_run (G_APPLICATION (test.app), 0, NULL), ==, 0);
  g_assert_null (test.body);
  g_assert_null (test.window);
  /* Work the app started (a request, a store read) may end just after
   * it quit; once it has, nothing may keep the app alive. */
  g_object_add_weak_pointer (G_OBJECT (test.app), (gpointer *) &test.app);
  g_object_unref (test.app);
  g_assert_true (lk_test_wait_for (app_is_gone, &test, 5000));
}

/* The desktop's notification service. */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *path,
                         const char            *interface,
                         const char            *method,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  GPtrArray *summaries = user_data;
  const char *summary = NULL;

  if (g_str_equal (method, "Notify"))
    {
      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (summaries, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", summaries->len));
      return;
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

/**
 * lk_test_serve_notifications:
 * @summaries: (element-type utf8): where the summary of each notification
 *   the app sends is added
 *
 * Stands in for the desktop's notification service on the session bus,
 * so that the app's notifications arrive where a test can see them, and
 * sending one is no warning.
 *
 * Returns: (transfer full): the bus connection. It is a singleton that
 *   lives only while someone holds it, and the service's name goes with
 *   it: keep it while notifications may come.
 */
GDBusConnection *
lk_test_serve_notifications (GPtrArray *summaries)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", node->interfaces[0],
                                     &vtable, summaries, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return bus;
}

/**
 * lk_test_start_sim_for_app:
 * @time_scale: what model run times are multiplied by
 *
 * Starts a simulator and points the app started next at it, with the
 * token it accepts.
 *
 * Returns: (transfer full): the running simulator
 */
LkSim *
lk_test_start_sim_for_app (double time_scale)
{
  g_autoptr(GError) error = NULL;
  LkSim *sim = lk_sim_new ();

  lk_sim_set_time_scale (sim, time_scale);
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  g_setenv ("REPLICATE_API_TOKEN", LK_SIM_TOKEN, TRUE);
  g_setenv ("REPLICATE_BASE_URL", lk_sim_get_base_url (sim), TRUE);
  return sim;
}
