/* lk-window.c: the Likeness main window: the page switcher, the primary
 * menu and the window state kept across runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-generate-bar.h"
#include "lk-history-page.h"
#include "lk-photos-page.h"
#include "lk-progress-page.h"
#include "lk-sign-in-page.h"
#include "lk-styles-page.h"
#include "lk-train-page.h"
#include "lk-window.h"

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
  LkPhotosPage         *photos_page;
  LkStylesPage         *styles_page;
  LkProgressPage       *progress_page;
  LkHistoryPage        *history_page;
  LkTrainPage          *train_page;
  GtkRevealer          *generate_revealer;
  LkGenerateBar        *generate_bar;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

/* The pages in switcher order; Alt+1 to Alt+6 reach them. */
static const char * const pages[] = {
  "photos", "styles", "progress", "history", "train", "create",
};

static void track_token (LkWindow *self);
static void setup_jobs  (LkWindow      *self,
                         LkApplication *application);

LkWindow *
lk_window_new (LkApplication *application)
{
  LkWindow *self;

  g_return_val_if_fail (LK_IS_APPLICATION (application), NULL);

  self = g_object_new (LK_TYPE_WINDOW,
                       "application", application,
                       NULL);
  lk_styles_page_set_library (self->styles_page, lk_application_get_styles (application));
  setup_jobs (self, application);
  track_token (self);

  return self;
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

/**
 * lk_window_add_toast:
 * @message: what happened, in a few words
 *
 * Shows a short message over the window's content.
 */
void
lk_window_add_toast (LkWindow   *self,
                     const char *message)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/**
 * lk_window_add_toast_for:
 * @widget: a widget in a #LkWindow, or not yet in any window
 * @message: what happened, in a few words
 *
 * Shows @message over the window that holds @widget; a widget outside a
 * window (in a test) logs it instead.
 */
void
lk_window_add_toast_for (GtkWidget  *widget,
                         const char *message)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  root = gtk_widget_get_root (widget);
  if (LK_IS_WINDOW (root))
    lk_window_add_toast (LK_WINDOW (root), message);
  else
    g_message ("%s", message);
}

static LkSecret *
get_secret (LkWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return lk_application_get_secret (LK_APPLICATION (app));
}

static void
show_main (LkWindow *self)
{
  GtkWidget *sign_in = gtk_stack_get_child_by_name (self->main_stack, "sign-in");

  gtk_stack_set_visible_child_name (self->main_stack, "main");
  if (sign_in != NULL)
    gtk_stack_remove (self->main_stack, sign_in);
}

static void
sign_in_page_signed_in_cb (LkWindow   *self,
                           const char *username)
{
  g_autofree char *message = NULL;

  show_main (self);

  /* Translators: %s is the Replicate account's username. */
  message = g_strdup_printf (_("Signed in as %s"), username);
  lk_window_add_toast (self, message);
}

static void
show_sign_in (LkWindow *self)
{
  LkSignInPage *page;

  if (gtk_stack_get_child_by_name (self->main_stack, "sign-in") != NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
      return;
    }

  page = lk_sign_in_page_new (get_secret (self));
  g_signal_connect_object (page, "signed-in",
                           G_CALLBACK (sign_in_page_signed_in_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (page), "sign-in");
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (page));
}

/* Signing out in Preferences leaves no token, which brings back the
 * sign-in page; a token saved there while it shows takes it away. */
static void
secret_source_changed_cb (LkWindow *self)
{
  if (lk_secret_get_source (get_secret (self)) == LK_TOKEN_SOURCE_NONE)
    show_sign_in (self);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "sign-in") == 0)
    show_main (self);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = lk_secret_lookup_finish (LK_SECRET (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token != NULL)
    {
      show_main (self);
      return;
    }

  show_sign_in (self);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The system keyring could not be read: %s"), error->message);

      lk_window_add_toast (self, message);
    }
}

/* The window opens on the sign-in page until a token exists. */
static void
track_token (LkWindow *self)
{
  LkSecret *secret = get_secret (self);

  g_signal_connect_object (secret, "notify::source",
                           G_CALLBACK (secret_source_changed_cb), self, G_CONNECT_SWAPPED);
  lk_secret_lookup_async (secret, self->cancellable, lookup_cb, g_object_ref (self));
}

/**
 * lk_window_add_photos:
 * @files: (array length=n_files): photos and folders
 *
 * Shows the Photos page and adds @files to it, as dropping them does.
 */
void
lk_window_add_photos (LkWindow      *self,
                      GFile * const *files,
                      guint          n_files)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  lk_window_set_page (self, "photos");
  lk_photos_page_add_files (self->photos_page, files, n_files);
}

/**
 * lk_window_get_photo_scorer:
 *
 * Returns: (transfer none): the photos of the Photos page, ranked
 */
LkPhotoScorer *
lk_window_get_photo_scorer (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return lk_photos_page_get_scorer (self->photos_page);
}

/* Jobs: the Generate bar under the Photos and Styles pages opens the
 * summary; the job the person confirms runs on the Progress page, as
 * does a past job whose missing portraits they retry from the History. */

static void
generate_bar_start_cb (LkWindow *self,
                       LkBatch  *batch)
{
  lk_progress_page_start (self->progress_page, batch);
}

static void
history_page_retry_cb (LkWindow *self,
                       LkBatch  *batch)
{
  lk_progress_page_retry (self->progress_page, batch);
}

static void
stack_page_changed_cb (LkWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->stack);

  gtk_revealer_set_reveal_child (self->generate_revealer,
                                 g_strcmp0 (page, "photos") == 0 || g_strcmp0 (page, "styles") == 0);
}

static void
setup_jobs (LkWindow      *self,
            LkApplication *application)
{
  lk_generate_bar_set_application (self->generate_bar, application);
  lk_generate_bar_set_scorer (self->generate_bar, lk_photos_page_get_scorer (self->photos_page));
  lk_generate_bar_set_styles (self->generate_bar, lk_styles_page_get_chosen (self->styles_page));
  lk_my_models_set_application (lk_styles_page_get_my_models (self->styles_page), application);
  g_object_bind_property (lk_styles_page_get_my_models (self->styles_page), "chosen",
                          self->generate_bar, "trained-model", G_BINDING_SYNC_CREATE);
  lk_progress_page_set_application (self->progress_page, application);
  g_object_bind_property (self->progress_page, "job-active", self->generate_bar, "job-active",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->generate_bar, "start",
                           G_CALLBACK (generate_bar_start_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->progress_page, "job-active", self->history_page, "job-active",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->history_page, "retry",
                           G_CALLBACK (history_page_retry_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->progress_page, "news",
                          adw_view_stack_get_page (self->stack, GTK_WIDGET (self->progress_page)), "needs-attention",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (stack_page_changed_cb), self, G_CONNECT_SWAPPED);
  stack_page_changed_cb (self);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  lk_window_set_page (LK_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* The Train page, on the training under way if there is one; once it
 * has ended, that page shows the result or the model in its list. */
static void
show_training_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LkWindow *self = LK_WINDOW (widget);

  lk_window_set_page (self, "train");
  gtk_widget_activate_action (GTK_WIDGET (self->train_page), "train.show-progress", NULL);
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

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
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

  g_type_ensure (LK_TYPE_PHOTOS_PAGE);
  g_type_ensure (LK_TYPE_STYLES_PAGE);
  g_type_ensure (LK_TYPE_TRAIN_PAGE);
  g_type_ensure (LK_TYPE_PROGRESS_PAGE);
  g_type_ensure (LK_TYPE_GENERATE_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, photos_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, styles_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, progress_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, train_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, generate_revealer);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, generate_bar);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-training", NULL, show_training_action);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i]);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);
  restore_window_state (self);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
