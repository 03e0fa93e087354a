/* test-secret.c: the API token in the keyring (libsecret's file backend).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-secret.h"
#include "lk-test-utils.h"

static char *
lookup (LkSecret  *secret,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_secret_lookup_async (secret, NULL, lk_test_store_result, &result);
  return lk_secret_lookup_finish (secret, lk_test_wait_for_result (&result), error);
}

static gboolean
store (LkSecret    *secret,
       const char  *token,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_secret_store_async (secret, token, NULL, lk_test_store_result, &result);
  return lk_secret_store_finish (secret, lk_test_wait_for_result (&result), error);
}

static void
clear (LkSecret *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lk_secret_clear_async (secret, NULL, lk_test_store_result, &result);
  g_assert_true (lk_secret_clear_finish (secret, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_create_destroy (void)
{
  LkSecret *secret = lk_secret_new ();

  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_NONE);
  g_assert_finalize_object (secret);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(LkSecret) secret = lk_secret_new ();
  guint changes = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *token = NULL;
  g_autofree char *after_clear = NULL;

  g_signal_connect_swapped (secret, "changed", G_CALLBACK (count_cb), &changes);

  none = lookup (secret, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_NONE);
  g_assert_cmpuint (changes, ==, 0);

  /* Pasted tokens often carry a newline; it must not end up stored. */
  g_assert_true (store (secret, "  r8_FakeTestToken0123\n", &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_KEYRING);
  g_assert_true (lk_secret_get_has_stored (secret));
  g_assert_cmpuint (changes, ==, 1);

  /* Replacing a token changes neither property, but is a change. */
  g_assert_true (store (secret, "r8_FakeTestToken0123", &error));
  g_assert_cmpuint (changes, ==, 2);

  /* A second object proves the token is in the keyring, not in memory. */
  {
    g_autoptr(LkSecret) other = lk_secret_new ();

    token = lookup (other, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (token, ==, "r8_FakeTestToken0123");
    g_assert_cmpint (lk_secret_get_source (other), ==, LK_TOKEN_SOURCE_KEYRING);
  }

  clear (secret);
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_NONE);
  g_assert_false (lk_secret_get_has_stored (secret));
  g_assert_cmpuint (changes, ==, 3);

  after_clear = lookup (secret, &error);
  g_assert_no_error (error);
  g_assert_null (after_clear);
}

static void
test_environment_overrides (void)
{
  g_autoptr(LkSecret) secret = lk_secret_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *keyring_token = NULL;

  g_assert_true (store (secret, "r8_FromTheKeyring", &error));
  g_assert_no_error (error);

  g_setenv (LK_TOKEN_ENV, "r8_FromTheEnvironment", TRUE);
  token = lookup (secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "r8_FromTheEnvironment");
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_ENVIRONMENT);
  g_assert_true (lk_secret_get_has_stored (secret));

  /* Clearing the keyring leaves the environment in charge. */
  clear (secret);
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_ENVIRONMENT);

  g_unsetenv (LK_TOKEN_ENV);
  keyring_token = lookup (secret, &error);
  g_assert_no_error (error);
  g_assert_null (keyring_token);
  g_assert_cmpint (lk_secret_get_source (secret), ==, LK_TOKEN_SOURCE_NONE);
}

static void
test_rejects_bad_token (gconstpointer data)
{
  g_autoptr(LkSecret) secret = lk_secret_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_false (store (secret, data, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  token = lookup (secret, &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    const char *token;
  } bad_tokens[] = {
    { "empty", "" },
    { "blank", " \n\t " },
    { "inner-space", "r8_abc def" },
    { "control", "r8_abc\001def" },
    { "too-long",
      "r8_0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-"
      "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-"
      "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-"
      "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-" },
  };

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/secret/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/secret/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/lk/secret/environment-overrides", test_environment_overrides);
  for (guint i = 0; i < G_N_ELEMENTS (bad_tokens); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/secret/rejects/%s", bad_tokens[i].name);

      g_test_add_data_func (path, bad_tokens[i].token, test_rejects_bad_token);
    }

  return g_test_run ();
}
