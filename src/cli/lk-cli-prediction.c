/* lk-cli-prediction.c: a prediction's input from `-i key=value` options,
 * typed by the model's input schema when it is known, and its outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lk-cli.h"

static const char *
schema_type (JsonObject *schema,
             const char *key)
{
  JsonNode *property = schema != NULL ? json_object_get_member (schema, key) : NULL;

  if (property == NULL || !JSON_NODE_HOLDS_OBJECT (property))
    return NULL;

  return json_object_get_string_member_with_default (json_node_get_object (property), "type", NULL);
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  static const char * const yes[] = { "true", "yes", "on", "1" };
  static const char * const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0 || g_ascii_strcasecmp (text, no[i]) == 0)
        {
          *value = g_ascii_strcasecmp (text, yes[i]) == 0;
          return TRUE;
        }
    }

  return FALSE;
}

/* @text as the JSON value the schema asks for; strings when it says
 * nothing, so that the server, not we, judges unknown fields. */
static JsonNode *
typed_value (const char  *key,
             const char  *text,
             const char  *type,
             GError     **error)
{
  JsonNode *node = json_node_alloc ();
  gint64 integer;
  double number;
  gboolean boolean;
  char *end = NULL;

  if (g_strcmp0 (type, "integer") == 0 && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    return json_node_init_int (node, integer);

  if (g_strcmp0 (type, "number") == 0 && (number = g_ascii_strtod (text, &end), *text != '\0' && *end == '\0'))
    return json_node_init_double (node, number);

  if (g_strcmp0 (type, "boolean") == 0 && parse_boolean (text, &boolean))
    return json_node_init_boolean (node, boolean);

  if (type == NULL || g_str_equal (type, "string"))
    return json_node_init_string (node, text);

  json_node_unref (node);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("The input “%s” must be of type %s, not “%s”."), key, type, text);
  return NULL;
}

/**
 * lk_cli_input_new:
 * @pairs: (nullable): "key=value" or "key=@path" strings
 * @schema: (nullable): the `properties` of the model's Input schema
 * @uploads: keys whose values are local paths still to be uploaded
 *
 * Returns: (transfer full): the input, or %NULL with @error set
 */
JsonObject *
lk_cli_input_new (char       **pairs,
                  JsonObject  *schema,
                  GPtrArray   *uploads,
                  GError     **error)
{
  g_autoptr(JsonObject) input = json_object_new ();

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *key = equals != NULL ? g_strndup (pairs[i], equals - pairs[i]) : NULL;
      JsonNode *value;

      if (key == NULL || *key == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not an input. Write it as key=value or key=@file."), pairs[i]);
          return NULL;
        }

      if (equals[1] == '@')
        {
          g_ptr_array_add (uploads, g_strdup (key));
          json_object_set_string_member (input, key, equals + 2);
          continue;
        }

      if (!(value = typed_value (key, equals + 1, schema_type (schema, key), error)))
        return NULL;

      json_object_set_member (input, key, value);
    }

  return g_steal_pointer (&input);
}

static JsonObject *
member_object (JsonObject *object,
               const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);

  for (guint i = 0; object != NULL && names[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return object;
}

/**
 * lk_cli_input_schema:
 * @model: "owner/name", "owner/name:version" or a bare version id
 *
 * Returns: (transfer full) (nullable): the `properties` of the model's
 *   Input schema; %NULL without @error for a bare version id, whose model
 *   is unknown, or a model without a schema
 */
JsonObject *
lk_cli_input_schema (LkClient      *client,
                     const char    *model,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *name = NULL;
  const char *colon = strchr (model, ':');
  JsonObject *properties;

  if (colon == NULL && strchr (model, '/') == NULL)
    return NULL;

  if (colon != NULL)
    {
      name = g_strndup (model, colon - model);
      lk_client_get_version_async (client, name, colon + 1, cancellable, lk_cli_result_cb, &result);
      answer = lk_client_get_version_finish (client, lk_cli_await (&result), error);
    }
  else
    {
      lk_client_get_model_async (client, model, cancellable, lk_cli_result_cb, &result);
      answer = lk_client_get_model_finish (client, lk_cli_await (&result), error);
    }

  if (answer == NULL)
    return NULL;

  properties = member_object (answer, colon != NULL ? "openapi_schema.components.schemas.Input.properties" :
                                      "latest_version.openapi_schema.components.schemas.Input.properties");
  return properties != NULL ? json_object_ref (properties) : NULL;
}

/* Uploads the files named by the @uploads keys of @input through the
 * Files API and puts their URLs in their place. */
gboolean
lk_cli_input_upload (LkClient      *client,
                     JsonObject    *input,
                     GPtrArray     *uploads,
                     GCancellable  *cancellable,
                     GError       **error)
{
  for (guint i = 0; i < uploads->len; i++)
    {
      const char *key = g_ptr_array_index (uploads, i);
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (json_object_get_string_member (input, key));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JsonObject) uploaded = NULL;
      JsonObject *urls;

      g_printerr (_("Uploading %s…\n"), g_file_peek_path (file));
      lk_client_upload_file_async (client, file, NULL, cancellable, lk_cli_result_cb, &result);
      if (!(uploaded = lk_client_upload_file_finish (client, lk_cli_await (&result), error)))
        return FALSE;

      urls = member_object (uploaded, "urls");
      if (urls == NULL || json_object_get_string_member_with_default (urls, "get", NULL) == NULL)
        {
          g_set_error_literal (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                               _("Replicate accepted the file but gave no address for it. Try again."));
          return FALSE;
        }

      json_object_set_string_member (input, key, json_object_get_string_member (urls, "get"));
    }

  return TRUE;
}

/* Saves every output as <id>-<n>.<ext> in @directory. */
gboolean
lk_cli_download_outputs (LkClient      *client,
                         LkPrediction  *prediction,
                         GFile         *directory,
                         GPtrArray     *paths,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const char * const *outputs = lk_prediction_get_outputs (prediction);

  for (guint i = 0; outputs[i] != NULL; i++)
    {
      g_autofree char *stem = g_strdup_printf ("%s-%u", lk_prediction_get_id (prediction), i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GFile) file = NULL;

      lk_client_download_async (client, outputs[i], directory, stem, cancellable, lk_cli_result_cb, &result);
      if (!(file = lk_client_download_finish (client, lk_cli_await (&result), error)))
        return FALSE;

      g_ptr_array_add (paths, g_file_get_path (file));
    }

  return TRUE;
}
