/* lk-launch.c: opening a saved portrait or a folder in the app the person
 * chose for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-launch"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-launch.h"
#include "lk-window.h"

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  if (gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    return;
#else
  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;
#endif

  message = g_strdup_printf (_("It could not be opened: %s"), error->message);
  lk_window_add_toast_for (widget, message);
}

/**
 * lk_launch_file:
 * @widget: the widget the person used, kept alive until the app started
 * @file: a file or a folder
 *
 * Opens @file with its default app; a failure is shown as a toast in the
 * window of @widget.
 */
void
lk_launch_file (GtkWidget *widget,
                GFile     *file)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileLauncher) launcher = NULL;
#else
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;
#endif

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

#if GTK_CHECK_VERSION (4, 10, 0)
  launcher = gtk_file_launcher_new (file);
  gtk_file_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                            NULL, launch_cb, g_object_ref (widget));
#else
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  uri = g_file_get_uri (file);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           launch_cb, g_object_ref (widget));
#endif
}
