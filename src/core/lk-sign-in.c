/* lk-sign-in.c: check a Replicate API token with the account endpoint, then
 * keep it in the keyring, so that a mistyped token is never stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sign-in"

#include "config.h"

#include "lk-client.h"
#include "lk-sign-in.h"

typedef struct
{
  LkSecret *secret;
  char     *token;
  char     *username;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->secret);
  if (sign_in->token != NULL)
    memset (sign_in->token, 0, strlen (sign_in->token));
  g_free (sign_in->token);
  g_free (sign_in->username);
  g_free (sign_in);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lk_secret_store_finish (LK_SECRET (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&sign_in->username), g_free);
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(JsonObject) account = NULL;
  GError *error = NULL;

  account = lk_client_get_account_finish (LK_CLIENT (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sign_in->username = g_strdup (json_object_get_string_member_with_default (account, "username", ""));
  lk_secret_store_async (sign_in->secret, sign_in->token,
                         g_task_get_cancellable (task),
                         store_cb, g_object_ref (task));
}

/**
 * lk_sign_in_async:
 * @secret: where the token is kept
 * @token: the token as typed or pasted
 *
 * Asks Replicate for the account behind @token and, only when Replicate
 * accepts it, stores it in @secret. Fails with %G_IO_ERROR_INVALID_ARGUMENT
 * for text that cannot be a token, with %LK_CLIENT_ERROR for what Replicate
 * said (%LK_CLIENT_ERROR_UNAUTHORIZED for a wrong token), or with the
 * keyring's error.
 */
void
lk_sign_in_async (LkSecret            *secret,
                  const char          *token,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(LkClient) client = NULL;
  GError *error = NULL;
  SignIn *sign_in;

  g_return_if_fail (LK_IS_SECRET (secret));
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sign_in_async);

  sign_in = g_new0 (SignIn, 1);
  sign_in->secret = g_object_ref (secret);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  if (!(sign_in->token = lk_secret_normalize (token, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A client of its own, so a token under test never reaches the client
   * the rest of the app shares. */
  client = lk_client_new (secret, NULL);
  lk_client_set_token (client, sign_in->token);
  lk_client_get_account_async (client, cancellable, account_cb, g_steal_pointer (&task));
}

/**
 * lk_sign_in_finish:
 *
 * Returns: (transfer full): the account's username, or %NULL with @error set
 */
char *
lk_sign_in_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
