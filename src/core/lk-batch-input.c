/* lk-batch-input.c: what an item sends to a model of the chain: its
 * recipe mapped onto the model's own input fields.
 *
 * Every model names and limits its inputs differently (models.json says
 * how). A value a model does not take is left out rather than sent, so a
 * style that asks for 4:5 still runs on a model that only knows 3:4, at
 * that model's default; only the prompt and the reference photo are
 * required.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <math.h>

#include "lk-batch-private.h"
#include "lk-prediction.h"

/* Sizes are multiples of this, as image models work in 16-pixel blocks. */
#define SIZE_STEP 16

void
lk_batch_recipe_free (LkBatchRecipe *recipe)
{
  if (recipe == NULL)
    return;

  g_free (recipe->style_id);
  g_free (recipe->style_name);
  g_free (recipe->prompt);
  g_free (recipe->negative_prompt);
  g_free (recipe->aspect_ratio);
  g_free (recipe);
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static double
get_number_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return 0;

  return json_node_get_double (node);
}

/**
 * lk_batch_recipe_new_from_json:
 *
 * Reads a recipe written by lk_batch_recipe_to_json().
 *
 * Returns: (transfer full) (nullable): the recipe, or %NULL when it has
 *   no style id or prompt
 */
LkBatchRecipe *
lk_batch_recipe_new_from_json (JsonObject *object)
{
  g_autoptr(LkBatchRecipe) recipe = g_new0 (LkBatchRecipe, 1);

  recipe->style_id = dup_string_member (object, "style_id");
  recipe->style_name = dup_string_member (object, "style_name");
  recipe->prompt = dup_string_member (object, "prompt");
  recipe->negative_prompt = dup_string_member (object, "negative_prompt");
  recipe->aspect_ratio = dup_string_member (object, "aspect_ratio");
  recipe->width = (guint) CLAMP (get_number_member (object, "width"), 0, G_MAXUINT16);
  recipe->height = (guint) CLAMP (get_number_member (object, "height"), 0, G_MAXUINT16);
  recipe->identity_weight = get_number_member (object, "identity_weight");
  recipe->guidance = get_number_member (object, "guidance");

  if (recipe->style_id == NULL || recipe->prompt == NULL)
    return NULL;

  if (recipe->style_name == NULL)
    recipe->style_name = g_strdup (recipe->style_id);

  return g_steal_pointer (&recipe);
}

JsonNode *
lk_batch_recipe_to_json (const LkBatchRecipe *recipe)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "style_id");
  json_builder_add_string_value (builder, recipe->style_id);
  json_builder_set_member_name (builder, "style_name");
  json_builder_add_string_value (builder, recipe->style_name);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, recipe->prompt);
  if (recipe->negative_prompt != NULL)
    {
      json_builder_set_member_name (builder, "negative_prompt");
      json_builder_add_string_value (builder, recipe->negative_prompt);
    }
  if (recipe->aspect_ratio != NULL)
    {
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, recipe->aspect_ratio);
    }
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, recipe->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, recipe->height);
  json_builder_set_member_name (builder, "identity_weight");
  json_builder_add_double_value (builder, recipe->identity_weight);
  json_builder_set_member_name (builder, "guidance");
  json_builder_add_double_value (builder, recipe->guidance);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * lk_batch_input_seed:
 * @attempt: how many predictions the item had before this one
 *
 * Each prediction of an item gets a seed of its own, so that no two
 * creates ever send the same input: a prediction found by its input
 * after a lost answer is then certainly the one that was meant.
 */
gint64
lk_batch_input_seed (gint64 base_seed,
                     guint  attempt)
{
  return 1 + (base_seed - 1 + attempt) % (G_MAXINT32 - 1);
}

static gboolean
model_takes (LkModel         *model,
             LkQualityPreset  preset,
             const char      *field,
             JsonNode        *value)
{
  g_autoptr(JsonObject) single = json_object_new ();
  g_autoptr(JsonObject) input = NULL;

  if (lk_model_get_input_name (model, field) == NULL)
    return FALSE;

  json_object_set_member (single, field, json_node_copy (value));
  input = lk_model_build_input (model, preset, single, NULL);
  return input != NULL;
}

static void
offer (JsonObject      *values,
       LkModel         *model,
       LkQualityPreset  preset,
       const char      *field,
       JsonNode        *value)
{
  if (model_takes (model, preset, field, value))
    json_object_set_member (values, field, value);
  else
    json_node_unref (value);
}

static JsonNode *
int_node (gint64 value)
{
  return json_node_init_int (json_node_alloc (), value);
}

static JsonNode *
double_node (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
string_node (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

/* The preset's size for @model, when it has one, from the input it
 * builds without any value of ours. */
static gboolean
preset_size (LkModel         *model,
             LkQualityPreset  preset,
             double          *area)
{
  g_autoptr(JsonObject) input = lk_model_build_input (model, preset, NULL, NULL);
  const char *width_name = lk_model_get_input_name (model, "width");
  const char *height_name = lk_model_get_input_name (model, "height");

  if (input == NULL || width_name == NULL || height_name == NULL ||
      !json_object_has_member (input, width_name) || !json_object_has_member (input, height_name))
    return FALSE;

  *area = json_object_get_double_member (input, width_name) * json_object_get_double_member (input, height_name);
  return TRUE;
}

static guint
round_size (double size)
{
  return MAX (SIZE_STEP, (guint) lround (size / SIZE_STEP) * SIZE_STEP);
}

/* The style's shape at the preset's number of pixels, so that a draft is
 * smaller and a premium portrait larger in every style. */
static void
offer_size (JsonObject          *values,
            LkModel             *model,
            LkQualityPreset      preset,
            const LkBatchRecipe *recipe)
{
  double width = recipe->width;
  double height = recipe->height;
  double area;

  if (recipe->width == 0 || recipe->height == 0)
    return;

  if (preset_size (model, preset, &area))
    {
      double scale = sqrt (area / (width * height));

      width *= scale;
      height *= scale;
    }

  offer (values, model, preset, "width", int_node (round_size (width)));
  offer (values, model, preset, "height", int_node (round_size (height)));
}

/**
 * lk_batch_input_build:
 * @reference_url: the uploaded reference photo
 * @seed: the seed of this prediction, from lk_batch_input_seed()
 *
 * Returns: (transfer full): the input for @model, with the model's own
 *   field names, or %NULL with @error set when the prompt or the
 *   reference cannot be sent to it
 */
JsonObject *
lk_batch_input_build (LkModel             *model,
                      LkQualityPreset      preset,
                      const LkBatchRecipe *recipe,
                      const char          *reference_url,
                      gint64               seed,
                      GError             **error)
{
  g_autoptr(JsonObject) values = json_object_new ();

  g_return_val_if_fail (LK_IS_MODEL (model), NULL);
  g_return_val_if_fail (recipe != NULL, NULL);
  g_return_val_if_fail (reference_url != NULL, NULL);

  json_object_set_string_member (values, "prompt", recipe->prompt);
  json_object_set_string_member (values, "reference_image", reference_url);
  offer (values, model, preset, "seed", int_node (seed));

  if (recipe->negative_prompt != NULL && *recipe->negative_prompt != '\0')
    offer (values, model, preset, "negative_prompt", string_node (recipe->negative_prompt));

  /* A model that takes an aspect ratio gets that rather than a size. */
  if (recipe->aspect_ratio != NULL && lk_model_get_input_name (model, "aspect_ratio") != NULL)
    offer (values, model, preset, "aspect_ratio", string_node (recipe->aspect_ratio));
  else
    offer_size (values, model, preset, recipe);

  if (recipe->identity_weight > 0)
    offer (values, model, preset, "identity_weight", double_node (recipe->identity_weight));
  if (recipe->guidance > 0)
    offer (values, model, preset, "guidance", double_node (recipe->guidance));

  return lk_model_build_input (model, preset, values, error);
}

/**
 * lk_batch_input_hash:
 *
 * Returns: (transfer full): the SHA-256 of @input as sent, which the store
 *   keeps beside the prediction
 */
char *
lk_batch_input_hash (JsonObject *input)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), input);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/**
 * lk_batch_input_find:
 * @predictions: (element-type LkPrediction): recent predictions, as
 *   listed by Replicate
 *
 * Finds the prediction that a create of @model with @input made, when
 * its answer was lost. Inputs are unique, since every prediction has a
 * seed of its own.
 *
 * Returns: (transfer none) (nullable): the prediction, or %NULL
 */
LkPrediction *
lk_batch_input_find (GPtrArray  *predictions,
                     LkModel    *model,
                     JsonObject *input)
{
  g_return_val_if_fail (predictions != NULL, NULL);
  g_return_val_if_fail (LK_IS_MODEL (model), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  for (guint i = 0; i < predictions->len; i++)
    {
      LkPrediction *prediction = g_ptr_array_index (predictions, i);
      JsonObject *listed = lk_prediction_get_input (prediction);

      if (g_strcmp0 (lk_prediction_get_model (prediction), lk_model_get_id (model)) == 0 &&
          listed != NULL && json_object_equal (listed, input))
        return prediction;
    }

  return NULL;
}
