/* lk-cli-models.c: `likeness-cli models`: the models the person trained,
 * with their trigger word, version, status and cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-store.h"

static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);

  return g_enum_get_value (enum_class, value)->value_nick;
}

static void
set_optional_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

JsonObject *
lk_cli_trained_model_to_json (LkTrainedModel *model)
{
  JsonObject *object = json_object_new ();
  g_autofree char *reference = lk_trained_model_dup_reference (model);

  json_object_set_int_member (object, "id", lk_trained_model_get_id (model));
  json_object_set_string_member (object, "name", lk_trained_model_get_name (model));
  json_object_set_string_member (object, "description", lk_trained_model_get_description (model));
  json_object_set_string_member (object, "type", nick (LK_TYPE_SUBJECT_TYPE, lk_trained_model_get_subject_type (model)));
  json_object_set_string_member (object, "trigger_word", lk_trained_model_get_trigger_word (model));
  json_object_set_string_member (object, "status", nick (LK_TYPE_TRAINING_STATUS, lk_trained_model_get_status (model)));
  set_optional_string (object, "version", reference);
  set_optional_string (object, "weights", lk_trained_model_get_weights_url (model));
  set_optional_string (object, "training_id", lk_trained_model_get_training_id (model));
  set_optional_string (object, "error", lk_trained_model_get_error (model));
  set_optional_string (object, "thumbnail", lk_trained_model_get_thumbnail (model));
  json_object_set_double_member (object, "cost_usd", lk_money_to_usd (lk_trained_model_get_cost (model)));
  json_object_set_int_member (object, "created", lk_trained_model_get_created (model));
  json_object_set_object_member (object, "input", json_object_ref (lk_trained_model_get_input (model)));
  return object;
}

static void
print_model (LkTrainedModel *model)
{
  g_autofree char *reference = lk_trained_model_dup_reference (model);
  g_autofree char *cost = lk_money_format (lk_trained_model_get_cost (model));
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (lk_trained_model_get_created (model));
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H:%M");
  const char *error = lk_trained_model_get_error (model);

  g_print ("%s  “%s”  %s\n", date, lk_trained_model_get_name (model),
           lk_training_status_describe (lk_trained_model_get_status (model)));
  /* Translators: the trigger word, then what the training cost. */
  g_print (_("    trigger word %s, cost %s\n"), lk_trained_model_get_trigger_word (model), cost);
  if (reference != NULL)
    g_print ("    %s\n", reference);
  if (error != NULL)
    g_print ("    %s\n", error);
}

int
lk_cli_models (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _("List the models you trained, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return 1;
  if (argc != 1)
    {
      g_printerr ("%s", g_option_context_get_help (context, TRUE, NULL));
      return 1;
    }

  if (!(store = lk_cli_open_store ()))
    return 1;
  if (!(models = lk_store_list_trained_models (store, &error)))
    return lk_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < models->len; i++)
        json_array_add_object_element (array, lk_cli_trained_model_to_json (g_ptr_array_index (models, i)));
      node = json_node_init_array (json_node_alloc (), array);
      lk_cli_print_json (node);
      return 0;
    }

  if (models->len == 0)
    g_print ("%s\n", _("No trained models yet. Train one with “likeness-cli train”."));
  for (guint i = 0; i < models->len; i++)
    print_model (g_ptr_array_index (models, i));
  return 0;
}

/**
 * lk_cli_find_trained_model:
 * @name_or_id: a trained model's id, or its name (case ignored)
 *
 * Finds a trained model that can make portraits, for `generate --model`.
 *
 * Returns: (transfer full) (nullable): the model, or %NULL with @error
 *   set when none has that id or name, or its training did not succeed
 */
LkTrainedModel *
lk_cli_find_trained_model (LkStore     *store,
                           const char  *name_or_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) models = lk_store_list_trained_models (store, error);
  g_autofree char *wanted = g_utf8_casefold (name_or_id, -1);

  if (models == NULL)
    return NULL;

  for (guint i = 0; i < models->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (models, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, lk_trained_model_get_id (model));
      g_autofree char *name = g_utf8_casefold (lk_trained_model_get_name (model), -1);

      if (!g_str_equal (id, name_or_id) && !g_str_equal (name, wanted))
        continue;

      if (lk_trained_model_get_status (model) != LK_TRAINING_STATUS_SUCCEEDED)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                       _("The trained model “%s” is not ready (%s). `likeness-cli models` lists those that are."),
                       lk_trained_model_get_name (model),
                       lk_training_status_describe (lk_trained_model_get_status (model)));
          return NULL;
        }

      return g_object_ref (model);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("No trained model is called “%s”. `likeness-cli models` lists them."), name_or_id);
  return NULL;
}
