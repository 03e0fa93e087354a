/* lk-sim-schema.c: checks a prediction's input against a model's Input schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-schema"

#include <math.h>

#include "lk-sim-private.h"

/* The error types and wording follow the JSON Schema validator behind
 * Replicate's 422 responses, so a client sees the same invalid_fields. */

/* Appends {type, field, description} to an invalid_fields array. */
void
lk_sim_invalid_fields_add (JsonArray  *invalid,
                           const char *type,
                           const char *field,
                           const char *description)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "type", type);
  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "description", description);
  json_array_add_object_element (invalid, entry);
}

static const char *
json_type_name (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";

  type = json_node_get_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    return "boolean";
  if (type == G_TYPE_STRING)
    return "string";
  if (type == G_TYPE_INT64)
    return "integer";

  return "number";
}

static gboolean
is_integral (JsonNode *node)
{
  double value;

  if (g_str_equal (json_type_name (node), "integer"))
    return TRUE;
  if (!g_str_equal (json_type_name (node), "number"))
    return FALSE;

  value = json_node_get_double (node);
  return isfinite (value) && floor (value) == value;
}

static gboolean
has_type (JsonNode   *node,
          const char *expected)
{
  const char *given = json_type_name (node);

  if (g_str_equal (expected, "integer"))
    return is_integral (node);
  if (g_str_equal (expected, "number"))
    return g_str_equal (given, "integer") || g_str_equal (given, "number");

  return g_str_equal (expected, given);
}

static gboolean
is_uri (const char *value)
{
  g_autofree char *scheme = g_uri_parse_scheme (value);

  if (scheme == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "data") == 0)
    return TRUE;

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && g_uri_is_valid (value, G_URI_FLAGS_NONE, NULL);
}

static gboolean
in_enum (JsonArray *choices,
         JsonNode  *node)
{
  g_autofree char *value = lk_sim_json_canonical (node);

  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      g_autofree char *choice = lk_sim_json_canonical (json_array_get_element (choices, i));

      if (g_str_equal (choice, value))
        return TRUE;
    }

  return FALSE;
}

static char *
describe_enum (const char *name,
               JsonArray  *choices)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s must be one of the following:", name);
  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      g_autofree char *choice = lk_sim_json_canonical (json_array_get_element (choices, i));

      g_string_append_printf (text, "%s %s", i > 0 ? "," : "", choice);
    }

  return g_string_free (text, FALSE);
}

static void
validate_value (JsonArray  *invalid,
                const char *name,
                JsonObject *property,
                JsonNode   *node)
{
  g_autofree char *field = g_strdup_printf ("input.%s", name);
  const char *expected = json_object_get_string_member_with_default (property, "type", NULL);

  if (expected != NULL && !has_type (node, expected))
    {
      g_autofree char *description = g_strdup_printf ("Invalid type. Expected: %s, given: %s",
                                                      expected, json_type_name (node));

      lk_sim_invalid_fields_add (invalid, "invalid_type", field, description);
      return;
    }

  if (json_object_has_member (property, "enum")
      && !in_enum (json_object_get_array_member (property, "enum"), node))
    {
      g_autofree char *description = describe_enum (name, json_object_get_array_member (property, "enum"));

      lk_sim_invalid_fields_add (invalid, "enum", field, description);
    }

  if (has_type (node, "number"))
    {
      double value = json_node_get_double (node);

      if (json_object_has_member (property, "minimum")
          && value < json_object_get_double_member (property, "minimum"))
        {
          g_autofree char *description = g_strdup_printf ("Must be greater than or equal to %g",
                                                          json_object_get_double_member (property, "minimum"));

          lk_sim_invalid_fields_add (invalid, "number_gte", field, description);
        }

      if (json_object_has_member (property, "maximum")
          && value > json_object_get_double_member (property, "maximum"))
        {
          g_autofree char *description = g_strdup_printf ("Must be less than or equal to %g",
                                                          json_object_get_double_member (property, "maximum"));

          lk_sim_invalid_fields_add (invalid, "number_lte", field, description);
        }
    }

  if (g_strcmp0 (json_object_get_string_member_with_default (property, "format", NULL), "uri") == 0
      && !is_uri (json_node_get_string (node)))
    lk_sim_invalid_fields_add (invalid, "format", field, "Does not match format 'uri'");
}

static void
check_constraints (JsonArray  *invalid,
                   JsonArray  *constraints,
                   JsonObject *input)
{
  for (guint i = 0; constraints != NULL && i < json_array_get_length (constraints); i++)
    {
      JsonObject *constraint = json_array_get_object_element (constraints, i);
      const char *name = json_object_get_string_member (constraint, "field");
      const char *when = json_object_get_string_member (constraint, "when_present");
      JsonNode *value = json_object_get_member (input, name);
      g_autofree char *field = g_strdup_printf ("input.%s", name);

      if (json_object_has_member (input, when) && value != NULL && has_type (value, "number")
          && json_node_get_double (value) > json_object_get_double_member (constraint, "maximum"))
        lk_sim_invalid_fields_add (invalid, "number_lte", field,
                     json_object_get_string_member (constraint, "description"));
    }
}

/**
 * lk_sim_schema_validate:
 * @schema: an Input schema (type object, properties, required)
 * @constraints: (nullable): rules between fields, from the model's data
 * @input: (nullable): the request's input
 *
 * Returns: (transfer full): the invalid fields, empty when @input is valid
 */
JsonArray *
lk_sim_schema_validate (JsonObject *schema,
                        JsonArray  *constraints,
                        JsonNode   *input)
{
  g_autoptr(JsonArray) invalid = json_array_new ();
  JsonObject *properties = json_object_get_object_member (schema, "properties");
  JsonArray *required = json_object_get_array_member (schema, "required");
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    {
      g_autofree char *description = g_strdup_printf ("Invalid type. Expected: object, given: %s",
                                                       input != NULL ? json_type_name (input) : "null");

      lk_sim_invalid_fields_add (invalid, "invalid_type", "input", description);
      return g_steal_pointer (&invalid);
    }

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      const char *field = json_array_get_string_element (required, i);

      if (!json_object_has_member (json_node_get_object (input), field))
        {
          g_autofree char *description = g_strdup_printf ("%s is required", field);

          lk_sim_invalid_fields_add (invalid, "required", "input", description);
        }
    }

  json_object_iter_init (&iter, json_node_get_object (input));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!json_object_has_member (properties, name))
        {
          g_autofree char *description = g_strdup_printf ("Additional property %s is not allowed", name);

          lk_sim_invalid_fields_add (invalid, "additional_property_not_allowed", "input", description);
        }
      else
        validate_value (invalid, name, json_object_get_object_member (properties, name), node);
    }

  if (json_array_get_length (invalid) == 0)
    check_constraints (invalid, constraints, json_node_get_object (input));

  return g_steal_pointer (&invalid);
}

static JsonNode *
lookup_value (JsonObject *schema,
              JsonObject *input,
              const char *field)
{
  JsonObject *properties = json_object_get_object_member (schema, "properties");
  JsonObject *property;

  if (input != NULL && json_object_has_member (input, field))
    return json_object_get_member (input, field);

  if (!json_object_has_member (properties, field))
    return NULL;

  property = json_object_get_object_member (properties, field);
  return json_object_get_member (property, "default");
}

/* The value of @field in a validated @input, or the schema's default. */
gint64
lk_sim_schema_get_int (JsonObject *schema,
                       JsonObject *input,
                       const char *field,
                       gint64      fallback)
{
  JsonNode *value = lookup_value (schema, input, field);

  if (value == NULL || !is_integral (value))
    return fallback;

  if (g_str_equal (json_type_name (value), "integer"))
    return json_node_get_int (value);

  return (gint64) json_node_get_double (value);
}

const char *
lk_sim_schema_get_string (JsonObject *schema,
                          JsonObject *input,
                          const char *field,
                          const char *fallback)
{
  JsonNode *value = lookup_value (schema, input, field);

  return value != NULL && g_str_equal (json_type_name (value), "string") ? json_node_get_string (value) : fallback;
}

static JsonNode *
canonical_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
      JsonObject *copy = json_object_new ();
      JsonNode *result = json_node_new (JSON_NODE_OBJECT);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (copy, l->data, canonical_copy (json_object_get_member (object, l->data)));
      json_node_take_object (result, copy);

      return result;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *copy = json_array_new ();
      JsonNode *result = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, canonical_copy (json_array_get_element (array, i)));
      json_node_take_array (result, copy);

      return result;
    }

  return json_node_copy (node);
}

/**
 * lk_sim_json_canonical:
 *
 * Serializes @node with the members of every object sorted, so two inputs
 * that differ only in key order give the same text.
 *
 * Returns: (transfer full): compact JSON
 */
char *
lk_sim_json_canonical (JsonNode *node)
{
  g_autoptr(JsonNode) copy = canonical_copy (node);

  return json_to_string (copy, FALSE);
}
