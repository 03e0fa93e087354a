/* lk-cli.h: the subcommands of likeness-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

int lk_cli_rank (int argc, char **argv);
