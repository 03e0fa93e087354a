/* lk-cli-cancel.c: `likeness-cli cancel`: stops a job for good, with its
 * predictions canceled on Replicate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"

int
lk_cli_cancel (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) jobs = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &jobs, NULL, N_("JOB") },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("JOB"));
  g_auto(LkCliBatchContext) context = { 0 };
  g_autoptr(LkBatch) batch = NULL;
  gint64 job_id;

  g_option_context_set_summary (options, _("Cancels an unfinished job: its predictions under way are canceled "
                                           "on Replicate and nothing more is made. Images already saved stay."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (options, &argc, &argv))
    return 1;

  if (!lk_cli_batch_parse_job (jobs, &job_id) || !lk_cli_batch_context_init (&context) ||
      !(batch = lk_cli_batch_load (&context, job_id)))
    return 1;

  lk_batch_cancel (batch);
  lk_cli_batch_follow (batch, json);
  return lk_batch_get_state (batch) == LK_JOB_STATE_CANCELED ? 0 : 1;
}
