/* lk-secret.c: the Replicate API token in the system keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "lk-enums.h"
#include "lk-secret.h"

/* Replicate tokens are about 40 characters; anything far longer is a paste
 * of something else. */
#define MAX_TOKEN_LENGTH 256

struct _LkSecret
{
  GObject       parent_instance;
  LkTokenSource source;
  guint         has_stored : 1;
};

G_DEFINE_FINAL_TYPE (LkSecret, lk_secret, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_HAS_STORED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SecretSchema token_schema = {
  "io.github.likeness.Likeness.Token",
  SECRET_SCHEMA_NONE,
  {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static const char *
environment_token (void)
{
  const char *token = g_getenv (LK_TOKEN_ENV);

  return token != NULL && *token != '\0' ? token : NULL;
}

static void
update_state (LkSecret *self,
              gboolean  has_stored)
{
  LkTokenSource source;

  if (environment_token () != NULL)
    source = LK_TOKEN_SOURCE_ENVIRONMENT;
  else if (has_stored)
    source = LK_TOKEN_SOURCE_KEYRING;
  else
    source = LK_TOKEN_SOURCE_NONE;

  if (self->has_stored != !!has_stored)
    {
      self->has_stored = !!has_stored;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_STORED]);
    }

  if (self->source != source)
    {
      self->source = source;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
    }
}

static void
lk_secret_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkSecret *self = LK_SECRET (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_HAS_STORED:
      g_value_set_boolean (value, self->has_stored);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_secret_class_init (LkSecretClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lk_secret_get_property;

  /**
   * LkSecret:source:
   *
   * Where the token in use comes from, as of the last lookup, store or clear.
   */
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       LK_TYPE_TOKEN_SOURCE,
                       LK_TOKEN_SOURCE_NONE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkSecret:has-stored:
   *
   * Whether the keyring holds a token, whether or not the environment
   * overrides it.
   */
  properties[PROP_HAS_STORED] =
    g_param_spec_boolean ("has-stored", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkSecret::changed:
   *
   * The keyring's token was stored, replaced or removed by this object.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lk_secret_init (LkSecret *self)
{
  self->source = environment_token () != NULL ? LK_TOKEN_SOURCE_ENVIRONMENT : LK_TOKEN_SOURCE_NONE;
}

LkSecret *
lk_secret_new (void)
{
  return g_object_new (LK_TYPE_SECRET, NULL);
}

LkTokenSource
lk_secret_get_source (LkSecret *self)
{
  g_return_val_if_fail (LK_IS_SECRET (self), LK_TOKEN_SOURCE_NONE);

  return self->source;
}

gboolean
lk_secret_get_has_stored (LkSecret *self)
{
  g_return_val_if_fail (LK_IS_SECRET (self), FALSE);

  return self->has_stored;
}

/**
 * lk_secret_normalize:
 * @token: a token as typed or pasted
 * @error: return location for a #GError
 *
 * Trims surrounding white space and checks that what is left can be a
 * token: not empty, no spaces or control characters inside.
 *
 * Returns: (transfer full): the token to store, or %NULL with @error set
 */
char *
lk_secret_normalize (const char  *token,
                     GError     **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (token != NULL, NULL);

  copy = g_strstrip (g_strdup (token));

  if (*copy == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The token is empty. Paste the token from your Replicate account page."));
      return NULL;
    }

  if (strlen (copy) > MAX_TOKEN_LENGTH)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This is too long to be an API token. Copy just the token from your Replicate account page."));
      return NULL;
    }

  for (const char *p = copy; *p; p++)
    {
      if (!g_ascii_isgraph (*p))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("An API token has no spaces or special characters. Copy just the token from your Replicate account page."));
          return NULL;
        }
    }

  return g_steal_pointer (&copy);
}

static void
password_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkSecret *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *stored;
  const char *env;

  stored = secret_password_lookup_finish (result, &error);
  env = environment_token ();

  /* The environment wins even when the keyring cannot be reached, so that
   * scripts and tests work without a secret service. */
  if (error != NULL && env == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    g_debug ("Keyring unavailable, using the environment: %s", error->message);

  update_state (self, stored != NULL);

  if (env != NULL)
    g_task_return_pointer (task, g_strdup (env), g_free);
  else
    g_task_return_pointer (task, g_strdup (stored), g_free);

  secret_password_free (stored);
}

/**
 * lk_secret_lookup_async:
 *
 * Looks up the token: `REPLICATE_API_TOKEN` when it is set, the keyring's
 * otherwise. Updates #LkSecret:source and #LkSecret:has-stored.
 */
void
lk_secret_lookup_async (LkSecret            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SECRET (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_secret_lookup_async);

  secret_password_lookup (&token_schema, cancellable,
                          password_lookup_cb, g_steal_pointer (&task),
                          "service", "replicate",
                          NULL);
}

/**
 * lk_secret_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when there is
 *   none (without an error) or the keyring failed (with @error set)
 */
char *
lk_secret_lookup_finish (LkSecret      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (LK_IS_SECRET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
password_store_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkSecret *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  update_state (self, TRUE);
  g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * lk_secret_store_async:
 * @token: the token as typed; surrounding white space is removed
 *
 * Stores the token in the default keyring collection, replacing any
 * earlier one. Fails with %G_IO_ERROR_INVALID_ARGUMENT for something that
 * cannot be a token.
 */
void
lk_secret_store_async (LkSecret            *self,
                       const char          *token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  g_return_if_fail (LK_IS_SECRET (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_secret_store_async);

  if (!(normalized = lk_secret_normalize (token, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT,
                         _("Replicate API token for Likeness"),
                         normalized, cancellable,
                         password_store_cb, g_steal_pointer (&task),
                         "service", "replicate",
                         NULL);
  memset (normalized, 0, strlen (normalized));
}

gboolean
lk_secret_store_finish (LkSecret      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (LK_IS_SECRET (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
password_clear_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkSecret *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  update_state (self, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * lk_secret_clear_async:
 *
 * Removes the token from the keyring. `REPLICATE_API_TOKEN` is untouched.
 */
void
lk_secret_clear_async (LkSecret            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SECRET (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_secret_clear_async);

  secret_password_clear (&token_schema, cancellable,
                         password_clear_cb, g_steal_pointer (&task),
                         "service", "replicate",
                         NULL);
}

gboolean
lk_secret_clear_finish (LkSecret      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (LK_IS_SECRET (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
