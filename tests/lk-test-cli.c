/* lk-test-cli.c: running the built likeness-cli in the command-line tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "lk-test-cli.h"

void
lk_test_cli_run_clear (LkTestCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * lk_test_cli_launcher_new:
 * @base_url: (nullable): the simulator's API address, or %NULL to leave
 *   REPLICATE_BASE_URL as the test found it
 * @token: (nullable): the token the program uses, or %NULL to leave
 *   REPLICATE_API_TOKEN as the test found it
 *
 * Returns: (transfer full): a launcher that catches what the program
 * prints, in a C.UTF-8 locale so its messages read as the tests expect
 */
GSubprocessLauncher *
lk_test_cli_launcher_new (const char *base_url,
                          const char *token)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (base_url != NULL)
    g_subprocess_launcher_setenv (launcher, "REPLICATE_BASE_URL", base_url, TRUE);
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", token, TRUE);

  return launcher;
}

/**
 * lk_test_cli_spawnv:
 * @launcher: (nullable): from lk_test_cli_launcher_new(), or %NULL for
 *   one with neither a base URL nor a token of its own
 * @args: the arguments after the program's name, %NULL-terminated
 *
 * Starts likeness-cli, whose path meson puts in LK_CLI.
 *
 * Returns: (transfer full): the running program
 */
GSubprocess *
lk_test_cli_spawnv (GSubprocessLauncher *launcher,
                    const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) plain = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (launcher == NULL)
    launcher = plain = lk_test_cli_launcher_new (NULL, NULL);

  g_assert_nonnull (g_getenv ("LK_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("LK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
spawn_valist (GSubprocessLauncher *launcher,
              const char          *first,
              va_list              more)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (more, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);

  return lk_test_cli_spawnv (launcher, (const char * const *) args->pdata);
}

/**
 * lk_test_cli_spawn:
 * @launcher: (nullable): as for lk_test_cli_spawnv()
 * @first: the first argument after the program's name
 * @...: more arguments, then %NULL
 *
 * Returns: (transfer full): the running program
 */
GSubprocess *
lk_test_cli_spawn (GSubprocessLauncher *launcher,
                   const char          *first,
                   ...)
{
  GSubprocess *process;
  va_list more;

  va_start (more, first);
  process = spawn_valist (launcher, first, more);
  va_end (more);

  return process;
}

/**
 * lk_test_cli_finish:
 * @process: started by lk_test_cli_spawn() or lk_test_cli_spawnv()
 * @run: (out caller-allocates): what it printed and how it exited
 *
 * Waits for @process to exit, asserts that it exited rather than died of
 * a signal, and puts what it printed into the test log.
 */
void
lk_test_cli_finish (GSubprocess  *process,
                    LkTestCliRun *run)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

/**
 * lk_test_cli_run:
 * @launcher: (nullable): as for lk_test_cli_spawnv()
 * @first: the first argument after the program's name
 * @...: more arguments, then %NULL
 *
 * Runs likeness-cli to its end.
 *
 * Returns: what it printed and how it exited; free with
 * lk_test_cli_run_clear() or g_auto()
 */
LkTestCliRun
lk_test_cli_run (GSubprocessLauncher *launcher,
                 const char          *first,
                 ...)
{
  g_autoptr(GSubprocess) process = NULL;
  LkTestCliRun run = { 0 };
  va_list more;

  va_start (more, first);
  process = spawn_valist (launcher, first, more);
  va_end (more);
  lk_test_cli_finish (process, &run);

  return run;
}
