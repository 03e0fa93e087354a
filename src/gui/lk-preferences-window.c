/* lk-preferences-window.c: the Preferences window: the Replicate account
 * (who is signed in, replacing the token, signing out), a test of the
 * connection to Replicate, and how many reference photos a job uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-application.h"
#include "lk-connection-check.h"
#include "lk-preferences-window.h"
#include "lk-sign-in.h"

#define TOKEN_PAGE_URL "https://replicate.com/account/api-tokens"

struct _LkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  LkSecret             *secret;
  LkClient             *client;
  GSettings            *settings;
  GCancellable         *cancellable;
  guint                 busy : 1;

  AdwActionRow         *account_row;
  AdwPasswordEntryRow  *token_row;
  GtkWidget            *sign_out_button;
  GtkSpinButton        *reference_count_button;
  GtkWidget            *test_button;
  GtkListBox           *checks_list;
};

G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SECRET,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
describe_source (LkTokenSource source)
{
  switch (source)
    {
    case LK_TOKEN_SOURCE_ENVIRONMENT:
      return _("The token comes from the REPLICATE_API_TOKEN environment variable, which takes the place of the keyring.");

    case LK_TOKEN_SOURCE_KEYRING:
      return _("The token is kept in the system keyring.");

    case LK_TOKEN_SOURCE_NONE:
      return _("Paste a token below and press Enter to sign in.");

    default:
      g_assert_not_reached ();
    }
}

static void
update_actions (LkPreferencesWindow *self)
{
  gboolean has_stored = lk_secret_get_has_stored (self->secret);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.sign-out", !self->busy && has_stored);
  gtk_widget_set_visible (self->sign_out_button, has_stored);
  /* Read-only rather than insensitive: a focused entry made insensitive
   * never gets its focus-out event, which GTK warns about. */
  gtk_editable_set_editable (GTK_EDITABLE (self->token_row), !self->busy);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                 lk_secret_get_source (self->secret) == LK_TOKEN_SOURCE_NONE
                                   ? _("Token") : _("Replace Token"));
}

static void
set_busy (LkPreferencesWindow *self,
          gboolean             busy)
{
  self->busy = !!busy;
  update_actions (self);
}

static void
show_account (LkPreferencesWindow *self,
              const char          *title,
              const char          *detail)
{
  g_autofree char *subtitle = NULL;
  const char *source = describe_source (lk_secret_get_source (self->secret));

  subtitle = detail != NULL ? g_strdup_printf ("%s %s", detail, source) : g_strdup (source);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), title);
  adw_action_row_set_subtitle (self->account_row, subtitle);
}

static void
show_signed_in (LkPreferencesWindow *self,
                const char          *username)
{
  /* Translators: %s is the Replicate account's username. */
  g_autofree char *title = g_strdup_printf (_("Signed in as %s"), username);

  show_account (self, title, NULL);
}

static void
toast (LkPreferencesWindow *self,
       const char          *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lk_client_get_account_finish (LK_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (account != NULL)
    show_signed_in (self, json_object_get_string_member_with_default (account, "username", ""));
  else if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_UNAUTHORIZED))
    show_account (self, _("Replicate does not accept this token"),
                  _("Paste a new token below to sign in again."));
  else
    show_account (self, _("The account could not be checked"), error->message);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* Only whether there is a token matters here, never its value. */
  token = lk_secret_lookup_finish (LK_SECRET (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The system keyring could not be read: %s"), error->message);

      set_busy (self, FALSE);
      show_account (self, _("Not signed in"), detail);
      return;
    }

  if (token == NULL)
    {
      set_busy (self, FALSE);
      show_account (self, _("Not signed in"), NULL);
      return;
    }

  lk_client_get_account_async (self->client, self->cancellable, account_cb, g_object_ref (self));
}

static void
refresh_account (LkPreferencesWindow *self)
{
  set_busy (self, TRUE);
  show_account (self, _("Checking your account…"), NULL);
  lk_secret_lookup_async (self->secret, self->cancellable, lookup_cb, g_object_ref (self));
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;

  username = lk_sign_in_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (username == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->token_row), "error");
      if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_UNAUTHORIZED))
        toast (self, _("Replicate did not accept this token; the old one is kept"));
      else
        toast (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  show_signed_in (self, username);
  toast (self, _("New token saved in the keyring"));
}

static void
token_row_apply_cb (LkPreferencesWindow *self)
{
  set_busy (self, TRUE);
  lk_sign_in_async (self->secret, gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                    self->cancellable, sign_in_cb, g_object_ref (self));
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

  /* With a token in the environment the app stays signed in. */
  if (lk_secret_get_source (self->secret) == LK_TOKEN_SOURCE_NONE)
    gtk_window_close (GTK_WINDOW (self));
  else
    refresh_account (self);
}

static void
sign_out_action (GtkWidget  *widget,
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

/* Test Connection ---------------------------------------------------------- */

static GtkWidget *
check_row_new (LkConnectionResult *result)
{
  static const char * const icons[] = { "emblem-ok-symbolic", "dialog-warning-symbolic", "dialog-error-symbolic" };
  static const char * const styles[] = { "success", "warning", "error" };
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[result->verdict]);

  gtk_widget_add_css_class (icon, styles[result->verdict]);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), result->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), result->message);

  if (result->latency_ms >= 0)
    {
      /* Translators: how long Replicate took to answer. */
      g_autofree char *latency = g_strdup_printf (_("%.0f ms"), result->latency_ms);
      GtkWidget *label = gtk_label_new (latency);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  return row;
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  results = lk_connection_check_finish (result, &error);
  if (results == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checks_list))) != NULL)
    gtk_list_box_remove (self->checks_list, child);
  for (guint i = 0; i < results->len; i++)
    gtk_list_box_append (self->checks_list, check_row_new (g_ptr_array_index (results, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->checks_list), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.test", TRUE);
  gtk_button_set_label (GTK_BUTTON (self->test_button), _("_Test Again"));
}

/* The first model a portrait tries, as the one model looked up. */
static const char *
model_to_check (void)
{
  LkCatalog *catalog = lk_application_get_catalog (LK_APPLICATION (g_application_get_default ()));
  GPtrArray *chain = lk_catalog_get_portrait_chain (catalog);

  return lk_model_get_id (g_ptr_array_index (chain, 0));
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (widget);

  gtk_widget_action_set_enabled (widget, "connection.test", FALSE);
  gtk_button_set_label (GTK_BUTTON (self->test_button), _("Testing…"));
  lk_connection_check_async (self->client, model_to_check (), self->cancellable, checked_cb, g_object_ref (self));
}

static void
lk_preferences_window_constructed (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->constructed (object);

  refresh_account (self);
}

static void
lk_preferences_window_dispose (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->secret);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

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

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
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

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         LK_TYPE_CLIENT,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, reference_count_button);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, checks_list);
  gtk_widget_class_bind_template_callback (widget_class, token_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "account.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "account.open-token-page", NULL, open_token_page_action);
  gtk_widget_class_install_action (widget_class, "connection.test", NULL, test_connection_action);
}

static void
lk_preferences_window_init (LkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "reference-count",
                   self->reference_count_button, "value", G_SETTINGS_BIND_DEFAULT);
}

LkPreferencesWindow *
lk_preferences_window_new (LkSecret *secret,
                           LkClient *client)
{
  g_return_val_if_fail (LK_IS_SECRET (secret), NULL);
  g_return_val_if_fail (LK_IS_CLIENT (client), NULL);

  return g_object_new (LK_TYPE_PREFERENCES_WINDOW,
                       "secret", secret,
                       "client", client,
                       NULL);
}
