/* lk-cli-resume.c: `likeness-cli resume`: goes on with a job, or every
 * unfinished job, that a crash, Ctrl-C or a budget cap stopped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"

static int
resume_job (LkCliBatchContext *context,
            gint64             job_id,
            gboolean           json)
{
  g_autoptr(LkBatch) batch = lk_cli_batch_load (context, job_id);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);

  if (batch == NULL)
    return 1;

  /* Translators: %s is a job's number. */
  g_printerr (_("Resuming job %s…\n"), id);
  lk_batch_resume (batch);
  return lk_cli_batch_follow (batch, json);
}

int
lk_cli_resume (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) jobs = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &jobs, NULL, N_("[JOB]") },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("[JOB]"));
  g_auto(LkCliBatchContext) context = { 0 };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id;
  int status = 0;

  g_option_context_set_summary (options, _("Goes on with an unfinished job, or with every one when no job is "
                                           "named. Predictions that were under way are picked up, never made "
                                           "again."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (options, &argc, &argv))
    return 1;

  if ((jobs != NULL && !lk_cli_batch_parse_job (jobs, &job_id)) || !lk_cli_batch_context_init (&context))
    return 1;

  if (jobs != NULL)
    return resume_job (&context, job_id, json);

  if (!(ids = lk_batch_find_unfinished (context.store, &error)))
    return lk_cli_fail (error);

  if (ids->len == 0)
    g_printerr ("%s\n", _("No job is waiting to be resumed."));

  for (guint i = 0; i < ids->len; i++)
    {
      int job_status = resume_job (&context, g_array_index (ids, gint64, i), json);

      status = MAX (status, job_status);
    }

  return status;
}
