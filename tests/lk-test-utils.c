/* lk-test-utils.c: a private home for each test binary, so tests never see
 * the developer's data, settings or keyring, and a bounded main-loop wait.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "lk-test-utils.h"

static char *test_home;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
remove_test_home (void)
{
  if (test_home != NULL && g_getenv ("LK_TEST_KEEP_HOME") == NULL)
    remove_tree (test_home);
  g_clear_pointer (&test_home, g_free);
}

/**
 * lk_test_init_environment:
 *
 * Points the XDG folders and libsecret's file backend at a new temporary
 * folder, removed when the binary exits. Call it before anything reads
 * those variables.
 *
 * Returns: the temporary folder
 */
const char *
lk_test_init_environment (void)
{
  static const char * const dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;

  test_home = g_dir_make_tmp ("likeness-test-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_test_home);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_home, dirs[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i][0], path, TRUE);
    }

  keyring = g_build_filename (test_home, "keyring", "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "likeness-test", TRUE);
  g_setenv ("HOME", test_home, TRUE);
  g_unsetenv ("REPLICATE_API_TOKEN");

  return test_home;
}

typedef struct
{
  gboolean timed_out;
} WaitState;

static gboolean
timeout_cb (gpointer user_data)
{
  WaitState *state = user_data;

  state->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * lk_test_wait_for:
 *
 * Iterates the default main context until @predicate holds or
 * @timeout_ms passes. The deadline only bounds a broken test; no
 * assertion depends on how long anything takes.
 *
 * Returns: whether @predicate became true
 */
gboolean
lk_test_wait_for (gboolean (*predicate) (gpointer data),
                  gpointer   data,
                  guint      timeout_ms)
{
  WaitState state = { FALSE };
  guint id = g_timeout_add (timeout_ms, timeout_cb, &state);
  gboolean met;

  /* The answer that ended the loop is returned: asking again could give
   * another one for a condition that changes by itself, such as the
   * state of another process. */
  while (!(met = predicate (data)) && !state.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!state.timed_out)
    g_source_remove (id);

  return met;
}

/**
 * lk_test_store_result:
 * @slot: (out): a `GAsyncResult *` initialized to %NULL
 *
 * A #GAsyncReadyCallback that keeps the result for
 * lk_test_wait_for_result().
 */
void
lk_test_store_result (GObject      *object,
                      GAsyncResult *result,
                      gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

static gboolean
has_result (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

/**
 * lk_test_wait_for_result:
 *
 * Iterates the main loop until lk_test_store_result() filled @slot. The
 * deadline only bounds a broken test.
 *
 * Returns: (transfer none): the result, still owned by @slot
 */
GAsyncResult *
lk_test_wait_for_result (GAsyncResult **slot)
{
  g_assert_true (lk_test_wait_for (has_result, slot, 60000));
  return *slot;
}
