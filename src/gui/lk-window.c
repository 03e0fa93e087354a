/* lk-window.c: the Likeness main window: the page switcher, the primary
 * menu and the window state kept across runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-history-page.h"
#include "lk-window.h"

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

/* The pages in switcher order; Alt+1 to Alt+6 reach them. */
static const char * const pages[] = {
  "photos", "styles", "progress", "history", "train", "create",
};

LkWindow *
lk_window_new (LkApplication *application)
{
  g_return_val_if_fail (LK_IS_APPLICATION (application), NULL);

  return g_object_new (LK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
lk_window_get_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
lk_window_set_page (LkWindow   *self,
                    const char *page)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, page) == NULL)
    {
      g_warning ("No page named “%s”", page);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  lk_window_set_page (LK_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
restore_window_state (LkWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
lk_window_close_request (GtkWindow *window)
{
  LkWindow *self = LK_WINDOW (window);
  int width;
  int height;

  /* The default size is the unmaximized size, which is what the next run
   * restores before maximizing again. */
  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (lk_window_parent_class)->close_request (window);
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = LK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
}

static void
lk_window_class_init (LkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lk_window_dispose;

  g_type_ensure (LK_TYPE_HISTORY_PAGE);

  window_class->close_request = lk_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, switcher_title);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i]);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  restore_window_state (self);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
