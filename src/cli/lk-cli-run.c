/* lk-cli-run.c: `likeness-cli run`, one prediction from input to files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-enums.h"

static const char *
status_name (LkPrediction *prediction)
{
  g_autoptr(GEnumClass) statuses = g_type_class_ref (LK_TYPE_PREDICTION_STATUS);

  return g_enum_get_value (statuses, lk_prediction_get_status (prediction))->value_nick;
}

static void
prediction_changed_cb (LkPrediction *prediction,
                       GParamSpec   *pspec,
                       int          *shown_percent)
{
  int percent = (int) (lk_prediction_get_progress (prediction) * 100);

  if (g_str_equal (pspec->name, "status"))
    g_printerr (_("Status: %s\n"), status_name (prediction));
  else if (percent >= 0 && percent != *shown_percent)
    g_printerr (_("Progress: %d%%\n"), percent);

  *shown_percent = percent;
}

static void
print_result (LkPrediction *prediction,
              GPtrArray    *paths,
              gboolean      json)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonArray *outputs = json_array_new ();

  for (guint i = 0; i < paths->len; i++)
    json_array_add_string_element (outputs, g_ptr_array_index (paths, i));
  for (guint i = 0; !json && i < paths->len; i++)
    g_print ("%s\n", (char *) g_ptr_array_index (paths, i));

  json_object_set_string_member (object, "id", lk_prediction_get_id (prediction));
  json_object_set_string_member (object, "model", lk_prediction_get_model (prediction));
  json_object_set_string_member (object, "status", status_name (prediction));
  json_object_set_array_member (object, "outputs", outputs);
  if (lk_prediction_get_predict_time (prediction) >= 0)
    json_object_set_double_member (object, "predict_time", lk_prediction_get_predict_time (prediction));
  else
    json_object_set_null_member (object, "predict_time");

  node = json_node_init_object (json_node_alloc (), object);
  if (json)
    lk_cli_print_json (node);
}

int
lk_cli_run (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MODEL"));
  g_autoptr(LkClient) client = NULL;
  g_autoptr(JsonObject) schema = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pairs = NULL;
  g_autofree char *out = NULL;
  GCancellable *cancellable = lk_cli_interruptible ();
  gboolean json = FALSE;
  int wait = 0;
  int shown_percent = -1;
  const GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &pairs, N_("An input; @ reads and uploads a file"), N_("KEY=VALUE|KEY=@FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Where to save the outputs (default: the current folder)"), N_("DIR") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait, N_("Hold the request up to N seconds (1-60) for the result"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _("Run a Replicate model once and save its outputs.\n"
                                           "MODEL is owner/name, owner/name:version or a version id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return 1;
  if (argc != 2 || wait < 0 || wait > 60)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 1;
    }

  client = lk_cli_client_new ();
  directory = g_file_new_for_commandline_arg (out != NULL ? out : ".");
  schema = lk_cli_input_schema (client, argv[1], cancellable, &error);
  if (error != NULL ||
      !(input = lk_cli_input_new (pairs, schema, uploads, &error)) ||
      !lk_cli_input_upload (client, input, uploads, cancellable, &error))
    return lk_cli_fail (error);

  /* Not cancellable: once sent, the create must come back with an id,
   * or a Ctrl-C could leave a prediction running that we know nothing of. */
  lk_client_create_prediction_async (client, argv[1], input, wait, 0, NULL, lk_cli_result_cb, &created);
  if (!(prediction = lk_client_create_prediction_finish (client, lk_cli_await (&created), &error)))
    return lk_cli_fail (error);

  g_printerr (_("Prediction %s created\n"), lk_prediction_get_id (prediction));
  g_signal_connect (prediction, "notify::status", G_CALLBACK (prediction_changed_cb), &shown_percent);
  g_signal_connect (prediction, "notify::progress", G_CALLBACK (prediction_changed_cb), &shown_percent);

  /* A Ctrl-C during the create left the cancellable cancelled: the wait
   * then cancels the prediction on the server at once. */
  lk_client_wait_async (client, prediction, cancellable, lk_cli_result_cb, &waited);
  if (!lk_client_wait_finish (client, lk_cli_await (&waited), &error) ||
      !lk_cli_download_outputs (client, prediction, directory, paths, cancellable, &error))
    {
      if (json)
        print_result (prediction, paths, json);
      return lk_cli_fail (error);
    }

  print_result (prediction, paths, json);
  return 0;
}
