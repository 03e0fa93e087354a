/* lk-preferences-window.c: the Preferences window: the Replicate API token
 * and, later, the app's settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-preferences-window.h"

#define TOKEN_PAGE_URL "https://replicate.com/account/api-tokens"

struct _LkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  LkSecret             *secret;
  GCancellable         *cancellable;
  char                 *keyring_error;
  guint                 busy : 1;

  AdwActionRow         *source_row;
  AdwPasswordEntryRow  *token_row;
  GtkWidget            *remove_button;
};

G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SECRET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (LkPreferencesWindow *self)
{
  gboolean has_stored = lk_secret_get_has_stored (self->secret);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "token.remove", !self->busy && has_stored);
  gtk_widget_set_visible (self->remove_button, has_stored);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !self->busy);
}

static void
update_source_row (LkPreferencesWindow *self)
{
  const char *subtitle = NULL;

  if (self->keyring_error != NULL)
    {
      adw_action_row_set_subtitle (self->source_row, self->keyring_error);
      return;
    }

  switch (lk_secret_get_source (self->secret))
    {
    case LK_TOKEN_SOURCE_ENVIRONMENT:
      subtitle = _("From the REPLICATE_API_TOKEN environment variable, which takes the place of the keyring");
      break;

    case LK_TOKEN_SOURCE_KEYRING:
      subtitle = _("Stored in the system keyring");
      break;

    case LK_TOKEN_SOURCE_NONE:
      subtitle = _("None yet. Paste a token below and press Enter to save it.");
      break;

    default:
      g_assert_not_reached ();
    }

  adw_action_row_set_subtitle (self->source_row, subtitle);
}

static void
set_keyring_error (LkPreferencesWindow *self,
                   const GError        *error)
{
  g_clear_pointer (&self->keyring_error, g_free);

  if (error != NULL)
    self->keyring_error = g_strdup_printf (_("The keyring could not be reached: %s"), error->message);

  update_source_row (self);
}

static void
secret_changed_cb (LkPreferencesWindow *self)
{
  update_source_row (self);
  update_actions (self);
}

static void
set_busy (LkPreferencesWindow *self,
          gboolean             busy)
{
  self->busy = !!busy;
  update_actions (self);
}

static void
toast (LkPreferencesWindow *self,
       const char          *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* Only where the token comes from matters here, never its value. */
  token = lk_secret_lookup_finish (LK_SECRET (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_keyring_error (self, error);
  set_busy (self, FALSE);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_secret_store_finish (LK_SECRET (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->token_row), "error");
      toast (self, error->message);
      return;
    }

  set_keyring_error (self, NULL);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  toast (self, _("Token saved in the keyring"));
}

static void
token_row_apply_cb (LkPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  set_busy (self, TRUE);
  lk_secret_store_async (self->secret, text, self->cancellable, store_cb, g_object_ref (self));
}

static void
token_row_changed_cb (LkPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_secret_clear_finish (LK_SECRET (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      toast (self, error->message);
      return;
    }

  set_busy (self, FALSE);
  toast (self, _("Token removed from the keyring"));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (widget);

  set_busy (self, TRUE);
  lk_secret_clear_async (self->secret, self->cancellable, clear_cb, g_object_ref (self));
}

static void
open_token_page_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  gtk_show_uri (GTK_WINDOW (widget), TOKEN_PAGE_URL, GDK_CURRENT_TIME);
}

static void
lk_preferences_window_constructed (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->constructed (object);

  g_signal_connect_object (self->secret, "notify::source",
                           G_CALLBACK (secret_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret, "notify::has-stored",
                           G_CALLBACK (secret_changed_cb), self, G_CONNECT_SWAPPED);

  update_source_row (self);
  set_busy (self, TRUE);
  lk_secret_lookup_async (self->secret, self->cancellable, lookup_cb, g_object_ref (self));
}

static void
lk_preferences_window_dispose (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->secret);
  g_clear_pointer (&self->keyring_error, g_free);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->dispose (object);
}

static void
lk_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SECRET:
      self->secret = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_preferences_window_class_init (LkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_preferences_window_constructed;
  object_class->dispose = lk_preferences_window_dispose;
  object_class->set_property = lk_preferences_window_set_property;

  properties[PROP_SECRET] =
    g_param_spec_object ("secret", NULL, NULL,
                         LK_TYPE_SECRET,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, token_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "token.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "token.open-token-page", NULL, open_token_page_action);
}

static void
lk_preferences_window_init (LkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

LkPreferencesWindow *
lk_preferences_window_new (LkSecret *secret)
{
  g_return_val_if_fail (LK_IS_SECRET (secret), NULL);

  return g_object_new (LK_TYPE_PREFERENCES_WINDOW,
                       "secret", secret,
                       NULL);
}
