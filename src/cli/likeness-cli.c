/* likeness-cli.c: the command-line companion of Likeness; each subcommand
 * is a thin layer over the same core the app uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "lk-cli.h"

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

static int print_version (int argc, char **argv);

static const Command commands[] = {
  { "account", N_("Show the Replicate account of the API token"), lk_cli_account },
  { "run", N_("Run a model once and save its outputs"), lk_cli_run },
  { "rank", N_("Rank photos as references for portraits"), lk_cli_rank },
  { "styles", N_("List the portrait styles"), lk_cli_styles },
  { "generate", N_("Make a portrait in each style from photos of a person"), lk_cli_generate },
  { "resume", N_("Go on with unfinished portrait jobs"), lk_cli_resume },
  { "cancel", N_("Cancel an unfinished portrait job"), lk_cli_cancel },
  { "train", N_("Train a model of you (a FLUX LoRA) from photos"), lk_cli_train },
  { "models", N_("List the models you trained"), lk_cli_models },
  { "budget", N_("Show or set the daily and monthly spending caps"), lk_cli_budget },
  { "history", N_("List past jobs and what they cost"), lk_cli_history },
  { "ledger", N_("List every estimate and cost"), lk_cli_ledger },
  { "version", N_("Print the version"), print_version },
};

static int
print_version (int    argc,
               char **argv)
{
  g_print ("likeness-cli %s\n", PACKAGE_VERSION);
  return 0;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: likeness-cli COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “likeness-cli COMMAND --help” for the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 1 : 0;
    }

  if (g_str_equal (argv[1], "--version"))
    return print_version (argc - 1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].run (argc - 1, argv + 1);
    }

  g_printerr (_("Unknown command “%s”.\n\n"), argv[1]);
  print_usage (stderr);
  return 1;
}
