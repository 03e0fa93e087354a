/* lk-batch-trained.c: a batch that runs a model the person trained
 * instead of the portrait chain.
 *
 * With a trained model set, every item runs the trained version
 * ("owner/name:version") through the catalog's runner model: the
 * runner's input fields and presets, the style's prompt with the trigger
 * word in it, and no reference photo, since the face is in the weights.
 * There is no fallback: a version that fails has no stand-in. The
 * model's id is kept in the job's settings, so that a job resumed after
 * a restart runs the same version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-batch-private.h"
#include "lk-catalog.h"
#include "lk-store.h"

/**
 * lk_batch_find_runner:
 *
 * Returns: (transfer full) (nullable): the catalog's model of role
 *   %LK_MODEL_ROLE_LORA_RUNNER, which trained versions are run with
 */
LkModel *
lk_batch_find_runner (LkCatalog *catalog)
{
  GListModel *models = lk_catalog_get_models (catalog);
  guint n_models = g_list_model_get_n_items (models);
  g_autoptr(LkModel) runner = NULL;

  for (guint i = 0; runner == NULL && i < n_models; i++)
    {
      g_autoptr(LkModel) model = g_list_model_get_item (models, i);

      if (lk_model_get_role (model) == LK_MODEL_ROLE_LORA_RUNNER)
        runner = g_steal_pointer (&model);
    }

  return g_steal_pointer (&runner);
}

/**
 * lk_batch_estimate_trained:
 *
 * Like lk_batch_estimate(), for a batch that runs a trained version:
 * every item on the runner's billing, and no fallback to cost more.
 *
 * Returns: %FALSE with @error set when the catalog has no runner model
 */
gboolean
lk_batch_estimate_trained (LkCatalog        *catalog,
                           LkQualityPreset   preset,
                           guint             n_items,
                           guint             concurrency,
                           LkBatchEstimate  *estimate,
                           GError          **error)
{
  g_autoptr(LkModel) runner = NULL;

  g_return_val_if_fail (LK_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  runner = lk_batch_find_runner (catalog);
  if (runner == NULL)
    {
      g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_MODEL,
                           _("The model catalog names no model to run trained models with. Check models.json."));
      return FALSE;
    }

  lk_batch_estimate_fill (runner, lk_model_estimate (runner, preset, 1), preset, n_items, concurrency, estimate);
  return TRUE;
}

/**
 * lk_batch_set_trained_model:
 * @model: (nullable): a trained model whose training succeeded, or %NULL
 *   for the portrait chain with the reference photos
 *
 * Makes a draft run @model's version for every style. With a model set,
 * the batch needs no reference photo.
 */
void
lk_batch_set_trained_model (LkBatch        *self,
                            LkTrainedModel *model)
{
  g_autoptr(LkModel) runner = NULL;
  g_autofree char *route = NULL;

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (model == NULL || LK_IS_TRAINED_MODEL (model));
  g_return_if_fail (self->state == LK_JOB_STATE_DRAFT || self->state == LK_JOB_STATE_PAUSED);

  if (model != NULL)
    {
      route = lk_trained_model_dup_reference (model);
      g_return_if_fail (route != NULL);
      runner = lk_batch_find_runner (self->catalog);
    }

  if (!g_set_object (&self->trained, model))
    return;

  g_ptr_array_set_size (self->chain, 0);
  if (model == NULL)
    lk_batch_fill_chain (self);
  else if (runner != NULL)
    g_ptr_array_add (self->chain, g_steal_pointer (&runner));

  lk_batch_update_estimate (self);
}

/**
 * lk_batch_get_trained_model:
 *
 * Returns: (transfer none) (nullable): the trained model the batch runs,
 *   or %NULL when it runs the portrait chain
 */
LkTrainedModel *
lk_batch_get_trained_model (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->trained;
}

/* What a create is sent to: the trained version, or the model itself. */
char *
lk_batch_dup_route (LkBatch *self,
                    LkModel *model)
{
  if (self->trained != NULL)
    return lk_trained_model_dup_reference (self->trained);

  return g_strdup (lk_model_get_reference (model));
}

/* The input of one item on the trained version: the style's prompt with
 * the trigger word, its aspect ratio when the runner knows it (else the
 * preset's), and the seed. */
JsonObject *
lk_batch_trained_build_input (LkBatch              *self,
                              LkModel              *runner,
                              const LkBatchRecipe  *recipe,
                              gint64                seed,
                              GError              **error)
{
  g_autoptr(JsonObject) values = json_object_new ();
  const char * const *ratios = lk_model_get_input_values (runner, "aspect_ratio");

  g_assert (self->trained != NULL);

  json_object_set_int_member (values, "seed", seed);
  if (recipe->aspect_ratio != NULL && ratios != NULL && g_strv_contains (ratios, recipe->aspect_ratio))
    json_object_set_string_member (values, "aspect_ratio", recipe->aspect_ratio);

  return lk_trained_model_build_input (self->trained, runner, self->preset, recipe->prompt, values, error);
}

/* Written into the job's settings, read back by lk_batch_trained_load(). */
void
lk_batch_trained_add_settings (LkBatch     *self,
                               JsonBuilder *builder)
{
  if (self->trained == NULL)
    return;

  json_builder_set_member_name (builder, "trained_model");
  json_builder_add_int_value (builder, lk_trained_model_get_id (self->trained));
}

/* The trained model a job's settings name, if any: %FALSE with @error
 * set when it names one that is gone or cannot run. */
gboolean
lk_batch_trained_load (LkBatch     *self,
                       JsonObject  *settings,
                       GError     **error)
{
  gint64 id = json_object_get_int_member_with_default (settings, "trained_model", 0);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autofree char *route = NULL;

  if (id == 0)
    return TRUE;

  model = lk_store_get_trained_model (self->store, id, NULL);
  if (model != NULL)
    route = lk_trained_model_dup_reference (model);
  if (route == NULL)
    {
      g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NOT_FOUND,
                           _("The trained model this job ran is gone. Start a new job with another model."));
      return FALSE;
    }

  lk_batch_set_trained_model (self, model);
  return TRUE;
}

/* Marks the trained model used, so that the list shows it first. */
void
lk_batch_trained_touch (LkBatch *self)
{
  g_autoptr(GError) error = NULL;

  if (self->trained == NULL)
    return;

  if (!lk_store_touch_trained_model (self->store, lk_trained_model_get_id (self->trained), NULL, &error))
    g_warning ("Could not mark trained model %" G_GINT64_FORMAT " as used: %s",
               lk_trained_model_get_id (self->trained), error->message);
}
