/* lk-sim-faults.c: parses a fault plan and picks the rule a request meets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-faults"

#include "lk-sim-private.h"

#define DEFAULT_FAIL_ERROR "NSFW content detected. Try running it again, or try a different prompt."

static const struct
{
  const char     *name;
  LkSimFaultKind  kind;
} fault_names[] = {
  { "status", LK_SIM_FAULT_STATUS },
  { "throttled", LK_SIM_FAULT_THROTTLED },
  { "drop-before", LK_SIM_FAULT_DROP_BEFORE },
  { "drop-after", LK_SIM_FAULT_DROP_AFTER },
  { "slow", LK_SIM_FAULT_SLOW },
  { "malformed", LK_SIM_FAULT_MALFORMED },
  { "fail", LK_SIM_FAULT_FAIL },
  { "abort", LK_SIM_FAULT_ABORT },
};

static const char * const known_members[] = {
  "method", "path", "model", "skip", "times", "fault", "status", "retry_after",
  "retry_after_in", "retry_after_date", "delay", "error", "detail", NULL,
};

void
lk_sim_fault_free (LkSimFault *fault)
{
  g_free (fault->method);
  g_free (fault->path);
  g_free (fault->model);
  g_free (fault->error);
  g_free (fault->detail);
  g_free (fault);
}

LkSimFault *
lk_sim_fault_copy (const LkSimFault *fault)
{
  LkSimFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->method = g_strdup (fault->method);
  copy->path = g_strdup (fault->path);
  copy->model = g_strdup (fault->model);
  copy->error = g_strdup (fault->error);
  copy->detail = g_strdup (fault->detail);

  return copy;
}

/* A number of at least 0 from @member, or @fallback when it is absent;
 * @whole refuses fractions and values above G_MAXUINT. */
static gboolean
get_number (JsonObject  *object,
            const char  *member,
            gboolean     whole,
            double       fallback,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  if ((type != G_TYPE_INT64 && (whole || type != G_TYPE_DOUBLE))
      || json_node_get_double (node) < 0 || (whole && json_node_get_double (node) > G_MAXUINT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   whole ? "“%s” must be a whole number of at least 0" : "“%s” must be a number of at least 0",
                   member);
      return FALSE;
    }

  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_count (JsonObject  *object,
           const char  *member,
           guint        fallback,
           guint       *out,
           GError     **error)
{
  double value;

  if (!get_number (object, member, TRUE, fallback, &value, error))
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” must be a string", member);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
parse_kind (LkSimFault  *fault,
            const char  *name,
            GError     **error)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (fault_names); i++)
    {
      if (g_str_equal (name, fault_names[i].name))
        {
          fault->kind = fault_names[i].kind;
          return TRUE;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "“fault” must be one of status, throttled, drop-before, drop-after, slow, malformed, fail, abort");
  return FALSE;
}

static gboolean
parse_retry_after_in (LkSimFault  *fault,
                      const char  *where,
                      GError     **error)
{
  if (where == NULL)
    fault->retry_after_in = fault->kind == LK_SIM_FAULT_THROTTLED
                            ? LK_SIM_RETRY_AFTER_IN_HEADER | LK_SIM_RETRY_AFTER_IN_BODY
                            : LK_SIM_RETRY_AFTER_IN_HEADER;
  else if (g_str_equal (where, "header"))
    fault->retry_after_in = LK_SIM_RETRY_AFTER_IN_HEADER;
  else if (g_str_equal (where, "body"))
    fault->retry_after_in = LK_SIM_RETRY_AFTER_IN_BODY;
  else if (g_str_equal (where, "both"))
    fault->retry_after_in = LK_SIM_RETRY_AFTER_IN_HEADER | LK_SIM_RETRY_AFTER_IN_BODY;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“retry_after_in” must be header, body or both");
      return FALSE;
    }

  return TRUE;
}

static LkSimFault *
parse_rule (JsonNode  *node,
            GError   **error)
{
  g_autoptr(LkSimFault) fault = g_new0 (LkSimFault, 1);
  g_autofree char *kind = NULL;
  g_autofree char *where = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  guint status;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a rule must be a JSON object");
      return NULL;
    }

  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (known_members, name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown member “%s”", name);
          return NULL;
        }
    }

  if (!get_string (object, "fault", &kind, error)
      || !parse_kind (fault, kind, error)
      || !get_string (object, "method", &fault->method, error)
      || !get_string (object, "path", &fault->path, error)
      || !get_string (object, "model", &fault->model, error)
      || !get_string (object, "error", &fault->error, error)
      || !get_string (object, "detail", &fault->detail, error)
      || !get_string (object, "retry_after_in", &where, error)
      || !parse_retry_after_in (fault, where, error)
      || !get_count (object, "skip", 0, &fault->skip, error)
      || !get_count (object, "times", 1, &fault->times, error)
      || !get_count (object, "status", 0, &status, error)
      || !get_number (object, "retry_after", FALSE, 1, &fault->retry_after, error)
      || !get_number (object, "delay", FALSE, 1, &fault->delay, error))
    return NULL;

  fault->retry_after_date = json_object_get_boolean_member_with_default (object, "retry_after_date", FALSE);
  fault->status = fault->kind == LK_SIM_FAULT_THROTTLED ? 429 : status;
  if (fault->kind == LK_SIM_FAULT_STATUS && (fault->status < 400 || fault->status > 599))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a “status” fault needs “status”, an HTTP error code from 400 to 599");
      return NULL;
    }

  if (fault->kind == LK_SIM_FAULT_FAIL && fault->error == NULL)
    fault->error = g_strdup (DEFAULT_FAIL_ERROR);

  return g_steal_pointer (&fault);
}

/**
 * lk_sim_faults_parse:
 * @json: a fault plan, a JSON array of rules
 *
 * Returns: (transfer full): the rules, or %NULL with @error naming the
 *   first thing wrong in the plan
 */
GPtrArray *
lk_sim_faults_parse (const char  *json,
                     GError     **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sim_fault_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  root = json_from_string (json, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "A fault plan must be a JSON array of rules%s%s",
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      LkSimFault *fault = parse_rule (json_array_get_element (array, i), &local_error);

      if (fault == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Fault rule %u: %s", i + 1, local_error->message);
          return NULL;
        }

      g_ptr_array_add (rules, fault);
    }

  return g_steal_pointer (&rules);
}

static gboolean
rule_matches (LkSimFault *fault,
              const char *method,
              const char *path,
              const char *model)
{
  gboolean needs_create = fault->kind == LK_SIM_FAULT_FAIL || fault->kind == LK_SIM_FAULT_ABORT;

  if (fault->method != NULL && g_ascii_strcasecmp (fault->method, method) != 0)
    return FALSE;
  if (fault->path != NULL && !g_pattern_match_simple (fault->path, path))
    return FALSE;
  if ((fault->model != NULL || needs_create) && model == NULL)
    return FALSE;
  if (fault->model != NULL && !g_str_equal (fault->model, model))
    return FALSE;

  return TRUE;
}

/**
 * lk_sim_faults_match:
 * @faults: the plan's rules, in order
 * @method: the request's method
 * @path: the request's path, without the query
 * @model: (nullable): "owner/name" when the request creates a prediction
 *   or training, otherwise %NULL
 *
 * Counts the request against every rule it matches until one fires: a
 * rule still skipping lets the request through to the rules after it.
 *
 * Returns: (transfer full) (nullable): a copy of the rule that fires
 */
LkSimFault *
lk_sim_faults_match (GPtrArray  *faults,
                     const char *method,
                     const char *path,
                     const char *model)
{
  for (guint i = 0; i < faults->len; i++)
    {
      LkSimFault *fault = g_ptr_array_index (faults, i);

      if (fault->times != 0 && fault->fired >= fault->times)
        continue;
      if (!rule_matches (fault, method, path, model))
        continue;

      fault->seen++;
      if (fault->seen <= fault->skip)
        continue;

      fault->fired++;
      return lk_sim_fault_copy (fault);
    }

  return NULL;
}
