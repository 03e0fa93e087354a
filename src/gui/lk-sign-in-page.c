/* lk-sign-in-page.c: the first page without a token. The token is checked
 * with Replicate before it is stored, so a mistyped token never lands in the
 * keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-client.h"
#include "lk-sign-in.h"
#include "lk-sign-in-page.h"

struct _LkSignInPage
{
  AdwBin               parent_instance;

  LkSecret            *secret;
  GCancellable        *cancellable;

  AdwPasswordEntryRow *token_row;
  GtkLabel            *error_label;
  GtkLabel            *sign_in_label;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (LkSignInPage, lk_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SECRET,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_busy (LkSignInPage *self,
          gboolean      busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Read-only rather than insensitive: a focused entry made insensitive
   * never gets its focus-out event, which GTK warns about. */
  gtk_editable_set_editable (GTK_EDITABLE (self->token_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
}

static void
show_error (LkSignInPage *self,
            const char   *message,
            gboolean      can_retry)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  gtk_label_set_label (self->sign_in_label, can_retry ? _("_Retry") : _("_Sign In"));

  if (message != NULL && !can_retry)
    gtk_widget_add_css_class (GTK_WIDGET (self->token_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;

  username = lk_sign_in_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (username == NULL)
    {
      if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_UNAUTHORIZED))
        show_error (self, _("Replicate did not accept this token. Copy it again from your account page: it starts with “r8_”."), FALSE);
      else if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NETWORK) ||
               g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TIMEOUT))
        show_error (self, _("Replicate could not be reached. Check your internet connection, then try again."), TRUE);
      else
        show_error (self, error->message, !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0, username);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  LkSignInPage *self = LK_SIGN_IN_PAGE (widget);

  show_error (self, NULL, FALSE);
  set_busy (self, TRUE);
  lk_sign_in_async (self->secret, gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                    self->cancellable, sign_in_cb, g_object_ref (self));
}

static void
token_row_entry_activated_cb (LkSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
token_row_changed_cb (LkSignInPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
}

/* Pasting the token is the only thing to do here. */
static void
lk_sign_in_page_map (GtkWidget *widget)
{
  LkSignInPage *self = LK_SIGN_IN_PAGE (widget);

  GTK_WIDGET_CLASS (lk_sign_in_page_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
lk_sign_in_page_dispose (GObject *object)
{
  LkSignInPage *self = LK_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_SIGN_IN_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->secret);

  G_OBJECT_CLASS (lk_sign_in_page_parent_class)->dispose (object);
}

static void
lk_sign_in_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkSignInPage *self = LK_SIGN_IN_PAGE (object);

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
lk_sign_in_page_class_init (LkSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_sign_in_page_dispose;
  object_class->set_property = lk_sign_in_page_set_property;

  widget_class->map = lk_sign_in_page_map;

  properties[PROP_SECRET] =
    g_param_spec_object ("secret", NULL, NULL,
                         LK_TYPE_SECRET,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkSignInPage::signed-in:
   * @username: the Replicate account's username
   *
   * Replicate accepted the token and the keyring holds it.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSignInPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, LkSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkSignInPage, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, LkSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, token_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
}

static void
lk_sign_in_page_init (LkSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

LkSignInPage *
lk_sign_in_page_new (LkSecret *secret)
{
  g_return_val_if_fail (LK_IS_SECRET (secret), NULL);

  return g_object_new (LK_TYPE_SIGN_IN_PAGE,
                       "secret", secret,
                       NULL);
}
