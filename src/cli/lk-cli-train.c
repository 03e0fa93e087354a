/* lk-cli-train.c: `likeness-cli train`: a model of the person (a FLUX
 * LoRA) trained from photos, watched on stderr, its version on stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-photo-scorer.h"
#include "lk-trainer.h"

/* @text as a value of the enum @type, by its nick; @fallback for none. */
static gboolean
parse_nick (GType        type,
            const char  *text,
            int          fallback,
            int         *value,
            GError     **error)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *found = text != NULL ? g_enum_get_value_by_nick (enum_class, text) : NULL;

  *value = found != NULL ? found->value : fallback;
  if (text != NULL && found == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("“%s” is not one of the choices."), text);
  return text == NULL || found != NULL;
}

static gboolean
load_photos (LkTrainingPlan  *plan,
             LkPhotoScorer   *scorer,
             char           **paths,
             GError         **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (paths[i]));

  g_printerr ("%s\n", _("Checking the photos…"));
  lk_photo_scorer_add_async (scorer, (GFile * const *) files->pdata, files->len, lk_cli_interruptible (),
                             lk_cli_result_cb, &result);
  if (!lk_photo_scorer_add_finish (scorer, lk_cli_await (&result), error))
    return FALSE;

  lk_training_plan_set_photos (plan, lk_photo_scorer_get_photos (scorer), lk_photo_scorer_get_skipped (scorer));
  return TRUE;
}

int
lk_cli_train (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkCatalog) catalog = NULL;
  g_autoptr(LkClient) client = lk_cli_client_new ();
  g_autoptr(LkTrainer) trainer = NULL;
  g_autoptr(LkBudget) budget = NULL;
  g_autoptr(LkTrainingPlan) plan = NULL;
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *models_path = lk_catalog_get_user_path ();
  g_autofree char *name = NULL, *trigger = NULL, *type = NULL, *preset = NULL, *reference = NULL;
  g_auto(GStrv) photos = NULL;
  gboolean json = FALSE, no_sample = FALSE;
  int type_value, preset_value;
  const GOptionEntry entries[] = {
    { "photos", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &photos, N_("A photo or a folder of photos (repeat it)"), N_("PATH") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The model's name"), N_("NAME") },
    { "trigger", 0, 0, G_OPTION_ARG_STRING, &trigger, N_("The made-up word that calls up the model"), N_("WORD") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("What it learns (default: detected)"), "face|style|object" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Quality (default: standard)"), "draft|standard|premium" },
    { "no-sample", 0, 0, G_OPTION_ARG_NONE, &no_sample, N_("Make no first portrait with the model"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _("Train a FLUX LoRA on Replicate from photos; Ctrl-C cancels it there."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return 1;
  if (argc != 1 || photos == NULL || name == NULL || trigger == NULL)
    {
      g_printerr ("%s", g_option_context_get_help (context, TRUE, NULL));
      return 1;
    }

  if (!parse_nick (LK_TYPE_QUALITY_PRESET, preset, LK_QUALITY_PRESET_STANDARD, &preset_value, &error) ||
      !parse_nick (LK_TYPE_SUBJECT_TYPE, type, -1, &type_value, &error))
    return lk_cli_fail (error);
  if (!(store = lk_cli_open_store ()))
    return 1;

  catalog = lk_catalog_new (models_path);
  trainer = lk_trainer_new (client, store, catalog);
  budget = lk_cli_load_budget ();
  lk_trainer_set_budget (trainer, budget);
  plan = lk_training_plan_new (lk_trainer_get_trainer_model (trainer));
  g_object_set (plan, "name", name, "trigger-word", trigger, "preset", preset_value, "sample", !no_sample, NULL);
  if (!load_photos (plan, scorer, photos, &error))
    return lk_cli_fail (error);
  lk_training_plan_set_subject_type (plan, type_value >= 0 ? type_value : lk_training_plan_detect_subject (plan));
  lk_cli_print_training_plan (plan, no_sample ? 0 : lk_trainer_estimate_sample (trainer));

  lk_cli_watch_trainer (trainer);

  lk_trainer_train_async (trainer, plan, NULL, lk_cli_result_cb, &result);
  if (!(model = lk_trainer_train_finish (trainer, lk_cli_await (&result), &error)))
    return lk_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, lk_cli_trained_model_to_json (model));
      lk_cli_print_json (node);
      return 0;
    }

  reference = lk_trained_model_dup_reference (model);
  g_print ("%s\n", reference);
  return 0;
}
