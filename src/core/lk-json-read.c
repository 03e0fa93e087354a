/* lk-json-read.c: strict reading of hand-edited JSON data files, with
 * messages that say which member is wrong and how.
 *
 * Every function fails with G_IO_ERROR_INVALID_DATA. An optional member
 * that is absent is not an error: the function succeeds and leaves the
 * value untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-json-read"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "lk-json-read.h"

/**
 * lk_json_check_members:
 * @allowed: the member names that may appear, %NULL-terminated
 *
 * Catches misspelt members, which would otherwise be silently ignored.
 */
gboolean
lk_json_check_members (JsonObject          *object,
                       const char * const  *allowed,
                       GError             **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a known member here (known: %s)"), name, list);
          return FALSE;
        }
    }

  return TRUE;
}

static JsonNode *
get_member (JsonObject  *object,
            const char  *member,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && required)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("“%s” is missing"), member);

  return node;
}

static gboolean
wrong_type (const char  *member,
            const char  *expected,
            GError     **error)
{
  /* Translators: the second %s is a JSON type: "a string", "a number"… */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("“%s” must be %s"), member, expected);
  return FALSE;
}

gboolean
lk_json_get_string (JsonObject   *object,
                    const char   *member,
                    gboolean      required,
                    const char  **value,
                    GError      **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (member, _("a string"), error);

  *value = json_node_get_string (node);
  if (required && **value == '\0')
    return wrong_type (member, _("a string that is not empty"), error);

  return TRUE;
}

gboolean
lk_json_get_number (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    gboolean    *present,
                    double      *value,
                    GError     **error)
{
  JsonNode *node = get_member (object, member, required, error);
  GType type;

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return !required;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return wrong_type (member, _("a number"), error);

  *value = json_node_get_double (node);
  return TRUE;
}

gboolean
lk_json_get_boolean (JsonObject  *object,
                     const char  *member,
                     gboolean    *value,
                     GError     **error)
{
  JsonNode *node = get_member (object, member, FALSE, error);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (member, _("true or false"), error);

  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
lk_json_get_object (JsonObject   *object,
                    const char   *member,
                    gboolean      required,
                    JsonObject  **value,
                    GError      **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, _("an object"), error);

  *value = json_node_get_object (node);
  return TRUE;
}

gboolean
lk_json_get_array (JsonObject  *object,
                   const char  *member,
                   gboolean     required,
                   JsonArray  **value,
                   GError     **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, _("an array"), error);

  *value = json_node_get_array (node);
  return TRUE;
}
