/* lk-cli.h: the subcommands of likeness-cli, one per file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-types.h"

int lk_cli_budget  (int argc, char **argv);
int lk_cli_history (int argc, char **argv);
int lk_cli_ledger  (int argc, char **argv);

/* Shared by the commands that read the store (lk-cli-store.c). */
LkStore *lk_cli_open_store (void);
