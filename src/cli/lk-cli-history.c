/* lk-cli-history.c: `likeness-cli history`: past jobs, newest first, with
 * what each was estimated to cost and cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-store.h"

/* Jobs are read in pages, the way the History page reads them. */
#define PAGE_SIZE 500

static void
print_text (GPtrArray *jobs)
{
  if (jobs->len == 0)
    {
      g_print ("%s\n", _("No jobs yet."));
      return;
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      LkJobSummary *job = g_ptr_array_index (jobs, i);
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (lk_job_summary_get_created (job));
      g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H:%M");
      g_autofree char *spent = lk_money_format (lk_job_summary_get_spent (job));
      g_autofree char *estimate = lk_money_format (lk_job_summary_get_estimate (job));
      /* Translators: how many items of a job succeeded and failed. */
      g_autofree char *counts = g_strdup_printf (_("%u done, %u failed"),
                                                 lk_job_summary_get_n_succeeded (job),
                                                 lk_job_summary_get_n_failed (job));
      /* Translators: the actual cost of a job, then its estimate. */
      g_autofree char *costs = g_strdup_printf (_("%s of %s"), spent, estimate);

      g_print ("%-16s  %-10s  %-18s  %-18s  %s\n", date, lk_job_kind_get_label (lk_job_summary_get_kind (job)),
               counts, costs, lk_job_summary_get_title (job));
    }
}

static void
print_json (GPtrArray *jobs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < jobs->len; i++)
    {
      LkJobSummary *job = g_ptr_array_index (jobs, i);
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (lk_job_summary_get_created (job));
      g_autofree char *created_text = g_date_time_format_iso8601 (created);
      g_autoptr(GEnumClass) kinds = g_type_class_ref (LK_TYPE_JOB_KIND);
      g_autoptr(GEnumClass) states = g_type_class_ref (LK_TYPE_JOB_STATE);
      /* Exact decimal strings: a JSON number would print 0.04 as
       * 0.040000000000000001. */
      g_autofree char *estimate = lk_money_format_plain (lk_job_summary_get_estimate (job));
      g_autofree char *spent = lk_money_format_plain (lk_job_summary_get_spent (job));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, lk_job_summary_get_id (job));
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, created_text);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, g_enum_get_value (kinds, lk_job_summary_get_kind (job))->value_nick);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, g_enum_get_value (states, lk_job_summary_get_state (job))->value_nick);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, lk_job_summary_get_title (job));
      json_builder_set_member_name (builder, "folder");
      json_builder_add_string_value (builder, lk_job_summary_get_folder (job));
      json_builder_set_member_name (builder, "items");
      json_builder_add_int_value (builder, lk_job_summary_get_n_items (job));
      json_builder_set_member_name (builder, "succeeded");
      json_builder_add_int_value (builder, lk_job_summary_get_n_succeeded (job));
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, lk_job_summary_get_n_failed (job));
      json_builder_set_member_name (builder, "estimate_usd");
      json_builder_add_string_value (builder, estimate);
      json_builder_set_member_name (builder, "spent_usd");
      json_builder_add_string_value (builder, spent);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

int
lk_cli_history (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the jobs as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);

  g_option_context_set_summary (context, _("Lists past jobs, newest first, with what each was expected to cost "
                                           "and what it cost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!(store = lk_cli_open_store ()))
    return 1;

  for (;;)
    {
      LkJobSummary *last = jobs->len > 0 ? g_ptr_array_index (jobs, jobs->len - 1) : NULL;
      g_autoptr(GPtrArray) page = lk_store_list_jobs (store, last, PAGE_SIZE, &error);

      if (page == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (page->len == 0)
        break;
      g_ptr_array_extend_and_steal (jobs, g_steal_pointer (&page));
    }

  if (json)
    print_json (jobs);
  else
    print_text (jobs);

  return 0;
}
