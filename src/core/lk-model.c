/* lk-model.c: one model of the catalog: how to call it, what it costs.
 *
 * A model is read from its entry in models.json and checked there: every
 * limit, default and preset value is consistent, so that a mistake in the
 * file is reported when it is loaded, not as a failed prediction later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "lk-enums.h"
#include "lk-json-read.h"
#include "lk-model.h"
#include "lk-money.h"

#define N_PRESETS (LK_QUALITY_PRESET_PREMIUM + 1)

typedef enum
{
  INPUT_STRING,
  INPUT_URI,
  INPUT_INTEGER,
  INPUT_NUMBER,
  INPUT_BOOLEAN,
} InputType;

static const char * const input_type_names[] = {
  "string", "uri", "integer", "number", "boolean", NULL
};

/* The inputs the app knows how to fill. A field outside this list in
 * models.json is a typing mistake, since nothing would ever set it. */
static const char * const app_fields[] = {
  "prompt", "negative_prompt", "reference_image", "width", "height",
  "aspect_ratio", "steps", "guidance", "identity_weight", "seed",
  "output_format", "output_quality", "num_outputs", "safety_tolerance",
  "input_images", "trigger_word", "autocaption", "learning_rate",
  "batch_size", "resolution", "lora_rank", "lora_scale", "base_model",
  NULL
};

/* What the app sends to a model of each role, whatever else it has. */
static const char * const * const required_fields[] = {
  [LK_MODEL_ROLE_PORTRAIT_ID] = (const char * const[]) { "prompt", "reference_image", NULL },
  [LK_MODEL_ROLE_IMAGE_EDIT] = (const char * const[]) { "prompt", "reference_image", NULL },
  [LK_MODEL_ROLE_TEXT_TO_IMAGE] = (const char * const[]) { "prompt", NULL },
  [LK_MODEL_ROLE_TRAINER] = (const char * const[]) { "input_images", "trigger_word", "steps", NULL },
  [LK_MODEL_ROLE_LORA_RUNNER] = (const char * const[]) { "prompt", NULL },
};

typedef struct
{
  char      *field;
  char      *name;
  InputType  type;
  gboolean   has_min;
  gboolean   has_max;
  double     min;
  double     max;
  JsonNode  *default_value;
  GStrv      values;
} Input;

typedef struct
{
  double      typical_seconds;
  JsonObject *inputs;
} Preset;

struct _LkModel
{
  GObject      parent_instance;

  char        *id;
  char        *reference;
  char        *name;
  LkModelRole  role;
  LkBilling    billing;
  gint64       price;
  char        *hardware;
  double       typical_seconds;
  gboolean     failed_runs_billed;
  GPtrArray   *inputs;
  Preset       presets[N_PRESETS];
};

G_DEFINE_FINAL_TYPE (LkModel, lk_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
input_free (Input *input)
{
  g_free (input->field);
  g_free (input->name);
  g_clear_pointer (&input->default_value, json_node_unref);
  g_strfreev (input->values);
  g_free (input);
}

static void
lk_model_finalize (GObject *object)
{
  LkModel *self = LK_MODEL (object);

  g_free (self->id);
  g_free (self->reference);
  g_free (self->name);
  g_free (self->hardware);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  for (guint i = 0; i < N_PRESETS; i++)
    g_clear_pointer (&self->presets[i].inputs, json_object_unref);

  G_OBJECT_CLASS (lk_model_parent_class)->finalize (object);
}

static void
lk_model_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkModel *self = LK_MODEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_model_class_init (LkModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_model_finalize;
  object_class->get_property = lk_model_get_property;

  /**
   * LkModel:id:
   *
   * The key of the model in the catalog: "owner/name" for a model on
   * Replicate.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkModel:name:
   *
   * The name to show people.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkModel:role:
   *
   * What the app uses the model for.
   */
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       LK_TYPE_MODEL_ROLE, LK_MODEL_ROLE_TEXT_TO_IMAGE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_model_init (LkModel *self)
{
  self->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
}

static gboolean
parse_nick (GType        enum_type,
            const char  *nick,
            const char  *member,
            int         *value,
            GError     **error)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (enum_type);
  GEnumValue *found = g_enum_get_value_by_nick (enum_class, nick);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) nicks = NULL;
  g_autofree char *list = NULL;

  if (found != NULL)
    {
      *value = found->value;
      return TRUE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < enum_class->n_values; i++)
    g_strv_builder_add (builder, enum_class->values[i].value_nick);
  nicks = g_strv_builder_end (builder);
  list = g_strjoinv (", ", nicks);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("“%s” is not a valid %s (valid: %s)"), nick, member, list);
  return FALSE;
}

static Input *
find_input (LkModel    *self,
            const char *field)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);

      if (g_str_equal (input->field, field))
        return input;
    }

  return NULL;
}

static gboolean
invalid_value (Input       *input,
               GError     **error,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid_value (Input       *input,
               GError     **error,
               const char  *format,
               ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is the app's name of an input, the second
   * the model's own name for it, the third what is wrong. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("input “%s” (“%s” of the model): %s"), input->field, input->name, detail);
  return FALSE;
}

/* Checks one value against the type and limits of @input. */
static gboolean
check_value (Input     *input,
             JsonNode  *node,
             GError   **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  double number;

  switch (input->type)
    {
    case INPUT_STRING:
    case INPUT_URI:
      if (type != G_TYPE_STRING)
        return invalid_value (input, error, _("the value must be a string"));
      if (input->type == INPUT_URI && g_uri_peek_scheme (json_node_get_string (node)) == NULL)
        return invalid_value (input, error, _("“%s” is not a URI"), json_node_get_string (node));
      if (input->values != NULL && !g_strv_contains ((const char * const *) input->values,
                                                     json_node_get_string (node)))
        {
          g_autofree char *list = g_strjoinv (", ", input->values);

          return invalid_value (input, error, _("“%s” is not one of %s"),
                                json_node_get_string (node), list);
        }
      return TRUE;

    case INPUT_BOOLEAN:
      if (type != G_TYPE_BOOLEAN)
        return invalid_value (input, error, _("the value must be true or false"));
      return TRUE;

    case INPUT_INTEGER:
    case INPUT_NUMBER:
      if (type != G_TYPE_INT64 && (input->type == INPUT_INTEGER || type != G_TYPE_DOUBLE))
        return invalid_value (input, error,
                              input->type == INPUT_INTEGER ? _("the value must be a whole number")
                                                           : _("the value must be a number"));
      number = json_node_get_double (node);
      if ((input->has_min && number < input->min) || (input->has_max && number > input->max))
        {
          g_autofree char *given = g_strdup_printf ("%g", number);
          g_autofree char *low = input->has_min ? g_strdup_printf ("%g", input->min) : NULL;
          g_autofree char *high = input->has_max ? g_strdup_printf ("%g", input->max) : NULL;

          if (low != NULL && high != NULL)
            return invalid_value (input, error, _("%s is outside the allowed range %s to %s"), given, low, high);
          if (low != NULL)
            return invalid_value (input, error, _("%s is below the minimum %s"), given, low);
          return invalid_value (input, error, _("%s is above the maximum %s"), given, high);
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_input (LkModel     *self,
             const char  *field,
             JsonNode    *node,
             GError     **error)
{
  static const char * const members[] = { "name", "type", "min", "max", "default", "values", NULL };
  g_autoptr(GError) local_error = NULL;
  Input *input;
  JsonObject *object;
  JsonArray *values = NULL;
  JsonNode *default_node;
  const char *name = NULL;
  const char *type = NULL;
  int type_index;

  if (!g_strv_contains (app_fields, field))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) app_fields);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("input “%s” is not one the app fills (known: %s)"), field, list);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("input “%s” must be an object"), field);
      return FALSE;
    }

  object = json_node_get_object (node);
  input = g_new0 (Input, 1);
  input->field = g_strdup (field);
  g_ptr_array_add (self->inputs, input);

  if (!lk_json_check_members (object, members, &local_error) ||
      !lk_json_get_string (object, "name", TRUE, &name, &local_error) ||
      !lk_json_get_string (object, "type", TRUE, &type, &local_error) ||
      !lk_json_get_number (object, "min", FALSE, &input->has_min, &input->min, &local_error) ||
      !lk_json_get_number (object, "max", FALSE, &input->has_max, &input->max, &local_error) ||
      !lk_json_get_array (object, "values", FALSE, &values, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("input “%s”: "), field);
      return FALSE;
    }

  input->name = g_strdup (name);

  for (type_index = 0; input_type_names[type_index] != NULL; type_index++)
    {
      if (g_str_equal (input_type_names[type_index], type))
        break;
    }
  if (input_type_names[type_index] == NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) input_type_names);

      return invalid_value (input, error, _("type “%s” is not one of %s"), type, list);
    }
  input->type = type_index;

  if ((input->has_min || input->has_max) && input->type != INPUT_INTEGER && input->type != INPUT_NUMBER)
    return invalid_value (input, error, _("only numbers have a minimum or maximum"));

  if (input->has_min && input->has_max && input->min > input->max)
    return invalid_value (input, error, _("the minimum is above the maximum"));

  if (values != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (input->type != INPUT_STRING || json_array_get_length (values) == 0)
        return invalid_value (input, error, _("only strings have a list of values, and it cannot be empty"));

      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *value = json_array_get_element (values, i);

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            return invalid_value (input, error, _("the list of values must hold only strings"));
          g_strv_builder_add (builder, json_node_get_string (value));
        }
      input->values = g_strv_builder_end (builder);
    }

  /* The default is what the model uses when the input is left out, so it
   * has to satisfy the same limits as any value the app sends. */
  default_node = json_object_get_member (object, "default");
  if (default_node != NULL)
    {
      if (!check_value (input, default_node, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("the default of "));
          return FALSE;
        }
      input->default_value = json_node_copy (default_node);
    }

  return TRUE;
}

static gboolean
parse_billing (LkModel     *self,
               JsonObject  *billing,
               GHashTable  *hardware_rates,
               GError     **error)
{
  static const char * const output_members[] = { "per", "usd", NULL };
  static const char * const second_members[] = {
    "per", "hardware", "typical_seconds", "failed_runs_billed", NULL
  };
  const char *per = NULL;
  const char *hardware = NULL;
  gint64 *rate;
  double usd = 0;

  if (!lk_json_get_string (billing, "per", TRUE, &per, error))
    return FALSE;

  if (g_str_equal (per, "output"))
    {
      if (!lk_json_check_members (billing, output_members, error) ||
          !lk_json_get_number (billing, "usd", TRUE, NULL, &usd, error))
        return FALSE;

      if (usd <= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("the price per output must be above zero"));
          return FALSE;
        }

      self->billing = LK_BILLING_PER_OUTPUT;
      self->price = lk_money_from_usd (usd);
      return TRUE;
    }

  if (!g_str_equal (per, "second"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“per” is “%s”; it must be “output” or “second”"), per);
      return FALSE;
    }

  if (!lk_json_check_members (billing, second_members, error) ||
      !lk_json_get_string (billing, "hardware", TRUE, &hardware, error) ||
      !lk_json_get_number (billing, "typical_seconds", TRUE, NULL, &self->typical_seconds, error) ||
      !lk_json_get_boolean (billing, "failed_runs_billed", &self->failed_runs_billed, error))
    return FALSE;

  if (!(rate = g_hash_table_lookup (hardware_rates, hardware)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("hardware “%s” is not in the hardware price table"), hardware);
      return FALSE;
    }

  if (self->typical_seconds <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“typical_seconds” must be above zero"));
      return FALSE;
    }

  self->billing = LK_BILLING_PER_SECOND;
  self->hardware = g_strdup (hardware);
  self->price = *rate;
  return TRUE;
}

static gboolean
parse_preset (LkModel     *self,
              const char  *nick,
              JsonObject  *object,
              GError     **error)
{
  static const char * const members[] = { "typical_seconds", "inputs", NULL };
  JsonObject *inputs = NULL;
  JsonObjectIter iter;
  const char *field;
  JsonNode *value;
  gboolean has_seconds = FALSE;
  int preset;
  Preset *target;

  if (!parse_nick (LK_TYPE_QUALITY_PRESET, nick, _("preset"), &preset, error))
    return FALSE;

  target = &self->presets[preset];
  if (!lk_json_check_members (object, members, error) ||
      !lk_json_get_number (object, "typical_seconds", FALSE, &has_seconds, &target->typical_seconds, error) ||
      !lk_json_get_object (object, "inputs", TRUE, &inputs, error))
    return FALSE;

  if (has_seconds && (self->billing != LK_BILLING_PER_SECOND || target->typical_seconds <= 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“typical_seconds” must be above zero, and only models billed per second have it"));
      return FALSE;
    }

  json_object_iter_init (&iter, inputs);
  while (json_object_iter_next (&iter, &field, &value))
    {
      Input *input = find_input (self, field);

      if (input == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("sets “%s”, which is not among the model’s inputs"), field);
          return FALSE;
        }

      if (!check_value (input, value, error))
        return FALSE;
    }

  target->inputs = json_object_ref (inputs);
  return TRUE;
}

static gboolean
parse_model (LkModel     *self,
             JsonObject  *object,
             GHashTable  *hardware_rates,
             GError     **error)
{
  static const char * const members[] = {
    "id", "reference", "name", "role", "billing", "inputs", "presets", NULL
  };
  const char *reference = NULL;
  const char *name = NULL;
  const char *role = NULL;
  JsonObject *billing = NULL;
  JsonObject *inputs = NULL;
  JsonObject *presets = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  int role_value;

  if (!lk_json_check_members (object, members, error) ||
      !lk_json_get_string (object, "reference", FALSE, &reference, error) ||
      !lk_json_get_string (object, "name", TRUE, &name, error) ||
      !lk_json_get_string (object, "role", TRUE, &role, error) ||
      !parse_nick (LK_TYPE_MODEL_ROLE, role, _("role"), &role_value, error) ||
      !lk_json_get_object (object, "billing", TRUE, &billing, error) ||
      !lk_json_get_object (object, "inputs", TRUE, &inputs, error) ||
      !lk_json_get_object (object, "presets", TRUE, &presets, error))
    return FALSE;

  self->name = g_strdup (name);
  self->role = role_value;

  /* A trained model's version comes from the store, not from this file;
   * every other model is called by its reference. */
  if (self->role == LK_MODEL_ROLE_LORA_RUNNER)
    {
      if (reference != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("a trained-model runner has no “reference”: each trained model brings its own version"));
          return FALSE;
        }
    }
  else
    {
      g_autofree char *expected = NULL;

      if (reference == NULL ||
          !g_regex_match_simple ("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(:[0-9a-f]{64})?$", reference, 0, 0))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“reference” must be “owner/name” or “owner/name:version” with a 64-character version id"));
          return FALSE;
        }

      expected = g_strndup (reference, strcspn (reference, ":"));
      if (!g_str_equal (expected, self->id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“reference” names %s, but the id is %s"), expected, self->id);
          return FALSE;
        }
      self->reference = g_strdup (reference);
    }

  if (!parse_billing (self, billing, hardware_rates, error))
    {
      g_prefix_error (error, _("billing: "));
      return FALSE;
    }

  json_object_iter_init (&iter, inputs);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (!parse_input (self, member, node, error))
        return FALSE;
    }

  for (const char * const *field = required_fields[self->role]; *field != NULL; field++)
    {
      if (find_input (self, *field) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("a model with the role “%s” needs the input “%s”"), role, *field);
          return FALSE;
        }
    }

  json_object_iter_init (&iter, presets);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("preset “%s” must be an object"), member);
          return FALSE;
        }

      if (!parse_preset (self, member, json_node_get_object (node), error))
        {
          g_prefix_error (error, _("preset “%s”: "), member);
          return FALSE;
        }
    }

  for (guint i = 0; i < N_PRESETS; i++)
    {
      if (self->presets[i].inputs == NULL)
        {
          g_autoptr(GEnumClass) presets_class = g_type_class_ref (LK_TYPE_QUALITY_PRESET);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("preset “%s” is missing"), presets_class->values[i].value_nick);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * lk_model_new_from_json:
 * @object: an entry of the "models" array of models.json
 * @hardware_rates: hardware SKU to a `gint64` price per second in
 *   micro-dollars
 *
 * Reads and checks one model entry.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA) saying which model and what is wrong
 */
LkModel *
lk_model_new_from_json (JsonObject  *object,
                        GHashTable  *hardware_rates,
                        GError     **error)
{
  g_autoptr(LkModel) self = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (hardware_rates != NULL, NULL);

  if (!lk_json_get_string (object, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (LK_TYPE_MODEL, NULL);
  self->id = g_strdup (id);

  if (!parse_model (self, object, hardware_rates, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("model “%s”: "), id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
lk_model_get_id (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), NULL);

  return self->id;
}

/**
 * lk_model_get_reference:
 *
 * Returns: (nullable): "owner/name" for an official model (called by name),
 *   "owner/name:version" for any other, %NULL for the runner of trained
 *   models, whose version each trained model brings
 */
const char *
lk_model_get_reference (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), NULL);

  return self->reference;
}

const char *
lk_model_get_name (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), NULL);

  return self->name;
}

LkModelRole
lk_model_get_role (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), LK_MODEL_ROLE_TEXT_TO_IMAGE);

  return self->role;
}

LkBilling
lk_model_get_billing (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), LK_BILLING_PER_OUTPUT);

  return self->billing;
}

/**
 * lk_model_get_hardware:
 *
 * Returns: (nullable): the hardware SKU of a model billed per second
 */
const char *
lk_model_get_hardware (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), NULL);

  return self->hardware;
}

/**
 * lk_model_get_price:
 *
 * Returns: micro-dollars per output image, or per second of the hardware,
 *   following lk_model_get_billing()
 */
gint64
lk_model_get_price (LkModel *self)
{
  g_return_val_if_fail (LK_IS_MODEL (self), 0);

  return self->price;
}

/**
 * lk_model_get_typical_seconds:
 *
 * Returns: how long one output of a model billed per second typically
 *   takes with @preset; 0 for models billed per output
 */
double
lk_model_get_typical_seconds (LkModel         *self,
                              LkQualityPreset  preset)
{
  g_return_val_if_fail (LK_IS_MODEL (self), 0);
  g_return_val_if_fail (preset < N_PRESETS, 0);

  if (self->billing != LK_BILLING_PER_SECOND)
    return 0;

  if (self->presets[preset].typical_seconds > 0)
    return self->presets[preset].typical_seconds;

  return self->typical_seconds;
}

/**
 * lk_model_get_input_name:
 * @field: the app's name of an input, such as "reference_image"
 *
 * Returns: (nullable): the model's name for @field, or %NULL when the
 *   model has no such input
 */
const char *
lk_model_get_input_name (LkModel    *self,
                         const char *field)
{
  Input *input;

  g_return_val_if_fail (LK_IS_MODEL (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  input = find_input (self, field);
  return input != NULL ? input->name : NULL;
}

/**
 * lk_model_get_input_range:
 * @field: the app's name of a numeric input
 * @min: (out) (optional): the smallest value the model takes
 * @max: (out) (optional): the largest value the model takes
 *
 * Gives the limits of @field as models.json states them; a limit it does
 * not state is -G_MAXDOUBLE or G_MAXDOUBLE.
 *
 * Returns: whether the model has the input
 */
gboolean
lk_model_get_input_range (LkModel    *self,
                          const char *field,
                          double     *min,
                          double     *max)
{
  Input *input;

  g_return_val_if_fail (LK_IS_MODEL (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (!(input = find_input (self, field)))
    return FALSE;

  if (min != NULL)
    *min = input->has_min ? input->min : -G_MAXDOUBLE;
  if (max != NULL)
    *max = input->has_max ? input->max : G_MAXDOUBLE;
  return TRUE;
}

/**
 * lk_model_get_input_values:
 * @field: the app's name of a string input
 *
 * Returns: (nullable) (transfer none): the values @field may take, or
 *   %NULL when the model has no such input or takes any string
 */
const char * const *
lk_model_get_input_values (LkModel    *self,
                           const char *field)
{
  Input *input;

  g_return_val_if_fail (LK_IS_MODEL (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  input = find_input (self, field);
  return input != NULL ? (const char * const *) input->values : NULL;
}

/**
 * lk_model_get_preset_value:
 * @field: the app's name of an input
 *
 * Returns: (nullable) (transfer none): what @preset sets @field to, or
 *   else the model's default; %NULL when neither says
 */
JsonNode *
lk_model_get_preset_value (LkModel         *self,
                           LkQualityPreset  preset,
                           const char      *field)
{
  Input *input;

  g_return_val_if_fail (LK_IS_MODEL (self), NULL);
  g_return_val_if_fail (preset < N_PRESETS, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (json_object_has_member (self->presets[preset].inputs, field))
    return json_object_get_member (self->presets[preset].inputs, field);

  input = find_input (self, field);
  return input != NULL ? input->default_value : NULL;
}

/**
 * lk_model_build_input:
 * @preset: the quality preset whose values come first
 * @values: (nullable): values by the app's field names; they win over the
 *   preset's. A null member leaves the input out.
 *
 * Builds the `input` object of a prediction in the model's own field
 * names. Fields the model does not have are left out, so one set of
 * values serves every model of the fallback chain. Inputs without a value
 * are left out too, and the model's default applies (Replicate rejects
 * null).
 *
 * Returns: (transfer full): the input, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_ARGUMENT) when a value has the wrong type or is
 *   outside the model's limits
 */
JsonObject *
lk_model_build_input (LkModel          *self,
                      LkQualityPreset   preset,
                      JsonObject       *values,
                      GError          **error)
{
  g_autoptr(JsonObject) result = NULL;

  g_return_val_if_fail (LK_IS_MODEL (self), NULL);
  g_return_val_if_fail (preset < N_PRESETS, NULL);

  result = json_object_new ();

  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);
      JsonNode *node = NULL;
      g_autoptr(GError) local_error = NULL;

      if (values != NULL && json_object_has_member (values, input->field))
        node = json_object_get_member (values, input->field);
      else if (json_object_has_member (self->presets[preset].inputs, input->field))
        node = json_object_get_member (self->presets[preset].inputs, input->field);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      if (!check_value (input, node, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s cannot take this value: %s"), self->name, local_error->message);
          return NULL;
        }

      json_object_set_member (result, input->name, json_node_copy (node));
    }

  return g_steal_pointer (&result);
}

/**
 * lk_model_estimate:
 *
 * What @n_outputs outputs are expected to cost: the price per image for
 * models billed per output, the hardware's price per second times the
 * typical duration of one output otherwise.
 *
 * Returns: micro-dollars
 */
gint64
lk_model_estimate (LkModel         *self,
                   LkQualityPreset  preset,
                   guint            n_outputs)
{
  g_return_val_if_fail (LK_IS_MODEL (self), 0);
  g_return_val_if_fail (preset < N_PRESETS, 0);

  if (self->billing == LK_BILLING_PER_OUTPUT)
    return self->price * n_outputs;

  return n_outputs * (gint64) llround (lk_model_get_typical_seconds (self, preset) * self->price);
}

/**
 * lk_model_actual_cost:
 * @status: the final status of the run: "succeeded", "failed", "canceled"
 *   or "aborted"
 * @n_outputs: how many outputs the run produced
 * @predict_time: the run's `metrics.predict_time`, in seconds
 *
 * What a finished run cost, by Replicate's rules: outputs times the price
 * for models billed per output; compute time times the hardware's rate
 * otherwise. A failed or aborted run of a public model costs nothing; a
 * canceled one is charged for what it did before the cancel.
 *
 * Returns: micro-dollars
 */
gint64
lk_model_actual_cost (LkModel    *self,
                      const char *status,
                      guint       n_outputs,
                      double      predict_time)
{
  gboolean failed;

  g_return_val_if_fail (LK_IS_MODEL (self), 0);
  g_return_val_if_fail (status != NULL, 0);
  g_return_val_if_fail (predict_time >= 0, 0);

  failed = g_str_equal (status, "failed") || g_str_equal (status, "aborted");
  if (!failed && !g_str_equal (status, "succeeded") && !g_str_equal (status, "canceled"))
    {
      g_critical ("The cost of a run is known only once it has ended, not while “%s”", status);
      return 0;
    }

  if (self->billing == LK_BILLING_PER_OUTPUT)
    return failed ? 0 : self->price * n_outputs;

  if (failed && !self->failed_runs_billed)
    return 0;

  return (gint64) llround (predict_time * self->price);
}
