/* lk-test-cli.h: running the built likeness-cli in the command-line tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a finished run of likeness-cli left: its exit status and all it
 * printed. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} LkTestCliRun;

void                 lk_test_cli_run_clear    (LkTestCliRun *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkTestCliRun, lk_test_cli_run_clear)

GSubprocessLauncher *lk_test_cli_launcher_new (const char          *base_url,
                                               const char          *token);
GSubprocess         *lk_test_cli_spawnv       (GSubprocessLauncher *launcher,
                                               const char * const  *args);
GSubprocess         *lk_test_cli_spawn        (GSubprocessLauncher *launcher,
                                               const char          *first,
                                               ...) G_GNUC_NULL_TERMINATED;
void                 lk_test_cli_finish       (GSubprocess         *process,
                                               LkTestCliRun        *run);
LkTestCliRun         lk_test_cli_run          (GSubprocessLauncher *launcher,
                                               const char          *first,
                                               ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
