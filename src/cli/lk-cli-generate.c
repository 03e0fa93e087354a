/* lk-cli-generate.c: `likeness-cli generate`: ranks the photos, takes the
 * recommended ones as references, and makes a portrait per style; or
 * makes them with a trained model (--model), without photos.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-photo-scorer.h"

int
lk_cli_generate (int    argc,
                 char **argv)
{
  g_auto(GStrv) photos = NULL;
  g_autofree char *style_ids = NULL, *preset_name = NULL, *budget_text = NULL, *out = NULL, *model_name = NULL;
  int concurrency = LK_BATCH_DEFAULT_CONCURRENCY;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "photos", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &photos, N_("Photos or folders of photos of the person"), N_("PATH") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_name, N_("A trained model’s name or id, instead of photos"), N_("NAME") },
    { "styles", 0, 0, G_OPTION_ARG_STRING, &style_ids, N_("Style ids, separated by commas, or “all” (the default)"), N_("IDS") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset_name, N_("draft, standard (the default) or premium"), N_("PRESET") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Portraits made at a time, 1 to 16 (default 4)"), N_("N") },
    { "budget", 0, 0, G_OPTION_ARG_STRING, &budget_text, N_("The most the job may spend"), N_("USD") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The folder the job’s folder is made in"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_auto(LkCliBatchContext) context = { 0 };
  g_autoptr(GPtrArray) references = NULL, styles = NULL;
  g_autoptr(LkBatch) batch = NULL;
  g_autoptr(LkTrainedModel) trained = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GEnumClass) presets = g_type_class_ref (LK_TYPE_QUALITY_PRESET);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  GEnumValue *preset = NULL;
  gint64 budget = 0;
  g_autofree char *setting = NULL;

  g_option_context_set_summary (options, _("Makes a portrait in each style from the best of the photos, within "
                                           "the budget; prints the job’s id, and each portrait on stderr as it "
                                           "is saved. Exits with 2 when some portraits could not be made."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (options, &argc, &argv))
    return 1;

  preset = g_enum_get_value_by_nick (presets, preset_name != NULL ? preset_name : "standard");
  if ((photos == NULL && model_name == NULL) || preset == NULL || concurrency < LK_BATCH_MIN_CONCURRENCY ||
      concurrency > LK_BATCH_MAX_CONCURRENCY)
    {
      g_printerr ("%s\n", photos == NULL && model_name == NULL
                          ? _("Name the photos with --photos, or a trained model with --model.")
                          : preset == NULL ? _("--preset takes draft, standard or premium.")
                          : _("--concurrency takes a number from 1 to 16."));
      return 1;
    }

  if ((budget_text != NULL && !lk_money_parse (budget_text, &budget, &error)) ||
      !(styles = lk_cli_choose_styles (style_ids, &error)))
    return lk_cli_fail (error);

  if (!lk_cli_batch_context_init (&context))
    return 1;

  if (model_name != NULL && !(trained = lk_cli_find_trained_model (context.store, model_name, &error)))
    return lk_cli_fail (error);

  /* A trained model knows the face: photos named with it are not used. */
  references = trained != NULL ? g_ptr_array_new ()
               : lk_cli_rank_references (photos, context.settings != NULL
                                                 ? g_settings_get_uint (context.settings, "reference-count")
                                                 : LK_PHOTO_SCORER_DEFAULT_TOP);
  if (trained == NULL && references->len == 0)
    {
      g_printerr ("%s\n", _("None of the photos can be used as a reference. `likeness-cli rank` says why."));
      return 1;
    }

  setting = context.settings != NULL ? g_settings_get_string (context.settings, "output-folder") : g_strdup ("");
  folder = out != NULL ? g_file_new_for_commandline_arg (out)
           : *setting != '\0' ? g_file_new_for_path (setting) : lk_batch_dup_default_output_folder ();

  batch = lk_batch_new (context.client, context.store, context.catalog, context.budget);
  lk_batch_set_styles (batch, styles);
  lk_batch_set_references (batch, references);
  lk_batch_set_trained_model (batch, trained);
  lk_batch_set_preset (batch, preset->value);
  lk_batch_set_concurrency (batch, concurrency);
  lk_batch_set_job_budget (batch, budget);
  lk_batch_set_output_folder (batch, folder);

  lk_batch_start_async (batch, lk_cli_interruptible (), lk_cli_result_cb, &result);
  if (!lk_batch_start_finish (batch, lk_cli_await (&result), &error))
    return lk_cli_fail (error);

  /* At once, for a script that may need it to resume the job. */
  if (!json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", lk_batch_get_job_id (batch));
      fflush (stdout);
    }

  return lk_cli_batch_follow (batch, json);
}
