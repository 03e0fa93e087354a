/* lk-batch.c: a portrait job: its properties, its settings as a draft,
 * its estimate, and what the steps of a run read from it.
 *
 * The parts of LkBatch: the pool of slots and the actions in
 * lk-batch-scheduler.c, starting in lk-batch-start.c, the steps of one
 * item in lk-batch-runner.c, polling in lk-batch-watch.c, the model
 * inputs in lk-batch-input.c, the references in lk-batch-references.c,
 * saving in lk-batch-output.c and resuming in lk-batch-resume.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lk-batch-private.h"
#include "lk-catalog.h"
#include "lk-enums.h"
#include "lk-photo.h"
#include "lk-style.h"

/* How a person is named in a style's prompt for the identity models,
 * which take the face from the reference photo. */
#define SUBJECT "a person"

/* Measured run times are averaged over this many recent runs of a model. */
#define RUN_TIME_WEIGHT 0.3

G_DEFINE_QUARK (lk-batch-error-quark, lk_batch_error)

G_DEFINE_FINAL_TYPE (LkBatch, lk_batch, G_TYPE_OBJECT)
static GParamSpec *properties[LK_BATCH_N_PROPS];

void
lk_batch_notify (LkBatch *self,
                 guint    prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
lk_batch_set_string (LkBatch     *self,
                     char       **field,
                     const char  *value,
                     guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  lk_batch_notify (self, prop);
}

/* Lifetime --------------------------------------------------------------- */

/* The catalog's portrait chain, which a batch runs unless it was given
 * a trained model. */
void
lk_batch_fill_chain (LkBatch *self)
{
  GPtrArray *chain = lk_catalog_get_portrait_chain (self->catalog);

  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));
}

static void
lk_batch_constructed (GObject *object)
{
  LkBatch *self = LK_BATCH (object);

  G_OBJECT_CLASS (lk_batch_parent_class)->constructed (object);

  lk_batch_fill_chain (self);
}

static void
lk_batch_dispose (GObject *object)
{
  LkBatch *self = LK_BATCH (object);

  lk_batch_stop_tick (self);

  G_OBJECT_CLASS (lk_batch_parent_class)->dispose (object);
}

static void
lk_batch_finalize (GObject *object)
{
  LkBatch *self = LK_BATCH (object);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->budget);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_object (&self->trained);
  g_clear_object (&self->items);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_object (&self->output_folder);
  g_free (self->job_name);
  g_clear_object (&self->job_folder);
  g_free (self->budget_message);
  g_free (self->error_message);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->unavailable, g_hash_table_unref);
  g_clear_pointer (&self->run_times, g_hash_table_unref);

  G_OBJECT_CLASS (lk_batch_parent_class)->finalize (object);
}

static void
lk_batch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkBatch *self = LK_BATCH (object);

  switch (prop_id)
    {
    case LK_BATCH_PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case LK_BATCH_PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case LK_BATCH_PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case LK_BATCH_PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;
    case LK_BATCH_PROP_PRESET:
      g_value_set_enum (value, self->preset);
      break;
    case LK_BATCH_PROP_JOB_BUDGET:
      g_value_set_int64 (value, self->job_budget);
      break;
    case LK_BATCH_PROP_OUTPUT_FOLDER:
      g_value_set_object (value, self->output_folder);
      break;
    case LK_BATCH_PROP_JOB_NAME:
      g_value_set_string (value, self->job_name);
      break;
    case LK_BATCH_PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case LK_BATCH_PROP_JOB_ID:
      g_value_set_int64 (value, self->job_id);
      break;
    case LK_BATCH_PROP_JOB_FOLDER:
      g_value_set_object (value, lk_batch_get_job_folder (self));
      break;
    case LK_BATCH_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case LK_BATCH_PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case LK_BATCH_PROP_N_ITEMS:
      g_value_set_uint (value, lk_batch_get_n_items (self));
      break;
    case LK_BATCH_PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case LK_BATCH_PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case LK_BATCH_PROP_N_CANCELED:
      g_value_set_uint (value, self->n_canceled);
      break;
    case LK_BATCH_PROP_BUSY:
      g_value_set_boolean (value, lk_batch_get_busy (self));
      break;
    case LK_BATCH_PROP_ELAPSED:
      g_value_set_double (value, lk_batch_get_elapsed (self));
      break;
    case LK_BATCH_PROP_ETA_SECONDS:
      g_value_set_double (value, lk_batch_get_eta_seconds (self));
      break;
    case LK_BATCH_PROP_SPENT:
      g_value_set_int64 (value, self->spent);
      break;
    case LK_BATCH_PROP_ESTIMATE:
      g_value_set_int64 (value, self->estimate);
      break;
    case LK_BATCH_PROP_BUDGET_MESSAGE:
      g_value_set_string (value, self->budget_message);
      break;
    case LK_BATCH_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_batch_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LkBatch *self = LK_BATCH (object);

  switch (prop_id)
    {
    case LK_BATCH_PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case LK_BATCH_PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case LK_BATCH_PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    case LK_BATCH_PROP_BUDGET:
      self->budget = g_value_dup_object (value);
      break;
    case LK_BATCH_PROP_PRESET:
      lk_batch_set_preset (self, g_value_get_enum (value));
      break;
    case LK_BATCH_PROP_JOB_BUDGET:
      lk_batch_set_job_budget (self, g_value_get_int64 (value));
      break;
    case LK_BATCH_PROP_OUTPUT_FOLDER:
      lk_batch_set_output_folder (self, g_value_get_object (value));
      break;
    case LK_BATCH_PROP_JOB_NAME:
      lk_batch_set_job_name (self, g_value_get_string (value));
      break;
    case LK_BATCH_PROP_CONCURRENCY:
      lk_batch_set_concurrency (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_batch_class_init (LkBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = lk_batch_constructed;
  object_class->dispose = lk_batch_dispose;
  object_class->finalize = lk_batch_finalize;
  object_class->get_property = lk_batch_get_property;
  object_class->set_property = lk_batch_set_property;

  properties[LK_BATCH_PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, LK_TYPE_CLIENT, construct);
  properties[LK_BATCH_PROP_STORE] = g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE, construct);
  properties[LK_BATCH_PROP_CATALOG] = g_param_spec_object ("catalog", NULL, NULL, LK_TYPE_CATALOG, construct);
  properties[LK_BATCH_PROP_BUDGET] = g_param_spec_object ("budget", NULL, NULL, LK_TYPE_BUDGET, construct);

  properties[LK_BATCH_PROP_PRESET] = g_param_spec_enum ("preset", NULL, NULL, LK_TYPE_QUALITY_PRESET,
                                               LK_QUALITY_PRESET_STANDARD, writable);
  /* The job's own cap in micro-dollars, 0 for none. */
  properties[LK_BATCH_PROP_JOB_BUDGET] = g_param_spec_int64 ("job-budget", NULL, NULL, 0, G_MAXINT64, 0, writable);
  /* The folder job folders are made in. */
  properties[LK_BATCH_PROP_OUTPUT_FOLDER] = g_param_spec_object ("output-folder", NULL, NULL, G_TYPE_FILE, writable);
  /* The name of the job's folder inside the output folder. */
  properties[LK_BATCH_PROP_JOB_NAME] = g_param_spec_string ("job-name", NULL, NULL, NULL, writable);
  properties[LK_BATCH_PROP_CONCURRENCY] = g_param_spec_uint ("concurrency", NULL, NULL,
                                                    LK_BATCH_MIN_CONCURRENCY, LK_BATCH_MAX_CONCURRENCY,
                                                    LK_BATCH_DEFAULT_CONCURRENCY, writable);

  /* The job's id in the store, 0 until it is written. */
  properties[LK_BATCH_PROP_JOB_ID] = g_param_spec_int64 ("job-id", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Where the images go: the job name inside the output folder. */
  properties[LK_BATCH_PROP_JOB_FOLDER] = g_param_spec_object ("job-folder", NULL, NULL, G_TYPE_FILE, readable);
  properties[LK_BATCH_PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LK_TYPE_JOB_STATE, LK_JOB_STATE_DRAFT, readable);
  /* A GListModel of LkBatchItem, in the order of the styles. */
  properties[LK_BATCH_PROP_ITEMS] = g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, readable);
  properties[LK_BATCH_PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Items whose image is saved. */
  properties[LK_BATCH_PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Items that failed or whose image expired. */
  properties[LK_BATCH_PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[LK_BATCH_PROP_N_CANCELED] = g_param_spec_uint ("n-canceled", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Whether anything is under way: uploads, predictions or downloads. */
  properties[LK_BATCH_PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, readable);
  /* Seconds spent running; notified about once a second while running. */
  properties[LK_BATCH_PROP_ELAPSED] = g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, readable);
  /* Seconds until every item is expected to end, -1 while unknown. */
  properties[LK_BATCH_PROP_ETA_SECONDS] = g_param_spec_double ("eta-seconds", NULL, NULL, -1, G_MAXDOUBLE, -1, readable);
  /* Micro-dollars actually spent on the job. */
  properties[LK_BATCH_PROP_SPENT] = g_param_spec_int64 ("spent", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Micro-dollars the job was estimated to cost. */
  properties[LK_BATCH_PROP_ESTIMATE] = g_param_spec_int64 ("estimate", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Which cap stopped the job and by how much, in the state budget-reached. */
  properties[LK_BATCH_PROP_BUDGET_MESSAGE] = g_param_spec_string ("budget-message", NULL, NULL, NULL, readable);
  /* Why the whole batch stopped, when a problem stopped it. */
  properties[LK_BATCH_PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, readable);

  g_object_class_install_properties (object_class, LK_BATCH_N_PROPS, properties);
}

static void
lk_batch_init (LkBatch *self)
{
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_list_store_new (LK_TYPE_BATCH_ITEM);
  self->references = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_batch_reference_free);
  self->preset = LK_QUALITY_PRESET_STANDARD;
  self->concurrency = LK_BATCH_DEFAULT_CONCURRENCY;
  self->active = g_hash_table_new (NULL, NULL);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->unavailable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->run_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * lk_batch_new:
 * @budget: the daily and monthly caps
 *
 * Returns: (transfer full): a draft batch, without styles or references
 */
LkBatch *
lk_batch_new (LkClient  *client,
              LkStore   *store,
              LkCatalog *catalog,
              LkBudget  *budget)
{
  g_return_val_if_fail (LK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (LK_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (LK_IS_BUDGET (budget), NULL);

  return g_object_new (LK_TYPE_BATCH,
                       "client", client,
                       "store", store,
                       "catalog", catalog,
                       "budget", budget,
                       NULL);
}

/* Estimates -------------------------------------------------------------- */

/**
 * lk_batch_estimate:
 * @n_items: how many portraits
 * @concurrency: how many run at a time
 * @estimate: (out caller-allocates): the cost and time
 *
 * What a job would cost and how long it would take, before anything is
 * spent: every item on the first model of the chain, and the worst case
 * of every item falling back to the dearest model.
 *
 * Returns: %FALSE with @error set when the catalog has no portrait chain
 */
gboolean
lk_batch_estimate (LkCatalog        *catalog,
                   LkQualityPreset   preset,
                   guint             n_items,
                   guint             concurrency,
                   LkBatchEstimate  *estimate,
                   GError          **error)
{
  GPtrArray *chain;
  LkModel *first;
  gint64 dearest = 0;

  g_return_val_if_fail (LK_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  chain = lk_catalog_get_portrait_chain (catalog);
  if (chain == NULL || chain->len == 0)
    {
      g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_MODEL,
                           _("The model catalog names no model for portraits. Check models.json."));
      return FALSE;
    }

  first = g_ptr_array_index (chain, 0);
  for (guint i = 0; i < chain->len; i++)
    dearest = MAX (dearest, lk_model_estimate (g_ptr_array_index (chain, i), preset, 1));

  lk_batch_estimate_fill (first, dearest, preset, n_items, concurrency, estimate);
  return TRUE;
}

/* Every item on @first; @dearest is the cost of one item on the dearest
 * model it may fall back to. */
void
lk_batch_estimate_fill (LkModel          *first,
                        gint64            dearest,
                        LkQualityPreset   preset,
                        guint             n_items,
                        guint             concurrency,
                        LkBatchEstimate  *estimate)
{
  concurrency = CLAMP (concurrency, LK_BATCH_MIN_CONCURRENCY, LK_BATCH_MAX_CONCURRENCY);
  estimate->model = lk_model_get_id (first);
  estimate->cost = lk_model_estimate (first, preset, n_items);
  estimate->cost_max = dearest * n_items;
  estimate->item_seconds = lk_model_get_typical_seconds (first, preset);
  estimate->seconds = ceil ((double) n_items / concurrency) * estimate->item_seconds;
}

/**
 * lk_batch_dup_default_output_folder:
 *
 * Returns: (transfer full): "Likeness" in the Pictures folder, or in
 *   ~/Pictures when the desktop names no Pictures folder
 */
GFile *
lk_batch_dup_default_output_folder (void)
{
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  g_autofree char *fallback = NULL;

  if (pictures == NULL)
    pictures = fallback = g_build_filename (g_get_home_dir (), "Pictures", NULL);

  return g_file_new_build_filename (pictures, "Likeness", NULL);
}

void
lk_batch_update_estimate (LkBatch *self)
{
  LkBatchEstimate estimate = { 0 };

  if (!lk_batch_estimate_items (self, lk_batch_get_n_items (self), &estimate, NULL))
    return;

  if (self->estimate != estimate.cost)
    {
      self->estimate = estimate.cost;
      lk_batch_notify (self, LK_BATCH_PROP_ESTIMATE);
    }
}

/* Settings of a draft ----------------------------------------------------- */

static LkBatchRecipe *
recipe_from_style (LkStyle *style)
{
  LkBatchRecipe *recipe = g_new0 (LkBatchRecipe, 1);

  recipe->style_id = g_strdup (lk_style_get_id (style));
  recipe->style_name = g_strdup (lk_style_get_name (style));
  recipe->prompt = lk_style_render_prompt (style, SUBJECT);
  recipe->negative_prompt = g_strdup (lk_style_get_negative_prompt (style));
  recipe->aspect_ratio = g_strdup (lk_style_get_aspect_ratio (style));
  recipe->width = lk_style_get_width (style);
  recipe->height = lk_style_get_height (style);
  recipe->identity_weight = lk_style_get_identity_weight (style);
  recipe->guidance = lk_style_get_guidance (style);
  return recipe;
}

/**
 * lk_batch_set_styles:
 * @styles: (element-type LkStyle): one item is made per style, in order
 *
 * Sets what a draft makes. Each item gets a random seed of its own.
 */
void
lk_batch_set_styles (LkBatch   *self,
                     GPtrArray *styles)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (styles != NULL);
  g_return_if_fail (self->state == LK_JOB_STATE_DRAFT && self->job_id == 0);

  for (guint i = 0; i < styles->len; i++)
    {
      LkStyle *style = g_ptr_array_index (styles, i);
      LkBatchItem *item;

      g_return_if_fail (LK_IS_STYLE (style));

      item = lk_batch_item_new (i, recipe_from_style (style), g_random_int_range (1, G_MAXINT32),
                                self->references->len > 0 ? i % self->references->len : 0);
      lk_batch_watch_item (self, item);
      g_ptr_array_add (items, item);
    }

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  lk_batch_notify (self, LK_BATCH_PROP_N_ITEMS);
  lk_batch_update_estimate (self);
}

/**
 * lk_batch_set_references:
 * @photos: (element-type LkPhoto): the reference photos, best first; the
 *   items take them in turn
 */
void
lk_batch_set_references (LkBatch   *self,
                         GPtrArray *photos)
{
  guint n_items;

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (photos != NULL);
  g_return_if_fail (self->state == LK_JOB_STATE_DRAFT && self->job_id == 0);

  g_ptr_array_set_size (self->references, 0);
  for (guint i = 0; i < photos->len; i++)
    {
      LkPhoto *photo = g_ptr_array_index (photos, i);

      g_return_if_fail (LK_IS_PHOTO (photo));
      g_ptr_array_add (self->references, lk_batch_reference_new (photo, lk_photo_get_path (photo), NULL));
    }

  n_items = lk_batch_get_n_items (self);
  for (guint i = 0; i < n_items && photos->len > 0; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      lk_batch_item_set_reference (item, i % photos->len);
    }
}

LkQualityPreset
lk_batch_get_preset (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), LK_QUALITY_PRESET_STANDARD);

  return self->preset;
}

void
lk_batch_set_preset (LkBatch         *self,
                     LkQualityPreset  preset)
{
  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (preset <= LK_QUALITY_PRESET_PREMIUM);
  g_return_if_fail (self->job_id == 0);

  if (self->preset == preset)
    return;

  self->preset = preset;
  lk_batch_notify (self, LK_BATCH_PROP_PRESET);
  lk_batch_update_estimate (self);
}

gint64
lk_batch_get_job_budget (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->job_budget;
}

/**
 * lk_batch_set_job_budget:
 * @micros: the job's cap in micro-dollars, 0 for none
 *
 * Sets the job's own cap; once the job is written, the store's record of
 * it changes too, so that a batch stopped at the cap can go on after
 * lk_batch_resume().
 */
void
lk_batch_set_job_budget (LkBatch *self,
                         gint64   micros)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (micros >= 0);

  if (self->job_budget == micros)
    return;

  if (self->job_id != 0 && !lk_store_set_job_budget (self->store, self->job_id, micros, &error))
    {
      g_warning ("Could not change the job’s budget: %s", error->message);
      return;
    }

  self->job_budget = micros;
  lk_batch_notify (self, LK_BATCH_PROP_JOB_BUDGET);
}

/**
 * lk_batch_get_output_folder:
 *
 * Returns: (transfer none) (nullable): the folder set, or %NULL for the
 *   default one
 */
GFile *
lk_batch_get_output_folder (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->output_folder;
}

/**
 * lk_batch_set_output_folder:
 * @folder: (nullable): %NULL for lk_batch_dup_default_output_folder()
 */
void
lk_batch_set_output_folder (LkBatch *self,
                            GFile   *folder)
{
  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));
  g_return_if_fail (self->job_id == 0);

  if (g_set_object (&self->output_folder, folder))
    {
      lk_batch_notify (self, LK_BATCH_PROP_OUTPUT_FOLDER);
      lk_batch_notify (self, LK_BATCH_PROP_JOB_FOLDER);
    }
}

const char *
lk_batch_get_job_name (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->job_name;
}

/**
 * lk_batch_set_job_name:
 * @name: (nullable): the name of the job's folder; %NULL for one made of
 *   the date and time the job starts
 */
void
lk_batch_set_job_name (LkBatch    *self,
                       const char *name)
{
  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (name == NULL || (*name != '\0' && strchr (name, G_DIR_SEPARATOR) == NULL));
  g_return_if_fail (self->job_id == 0);

  lk_batch_set_string (self, &self->job_name, name, LK_BATCH_PROP_JOB_NAME);
  lk_batch_notify (self, LK_BATCH_PROP_JOB_FOLDER);
}

guint
lk_batch_get_concurrency (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), LK_BATCH_DEFAULT_CONCURRENCY);

  return self->concurrency;
}

void
lk_batch_set_concurrency (LkBatch *self,
                          guint    concurrency)
{
  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (concurrency >= LK_BATCH_MIN_CONCURRENCY && concurrency <= LK_BATCH_MAX_CONCURRENCY);

  if (self->concurrency == concurrency)
    return;

  self->concurrency = concurrency;
  lk_batch_notify (self, LK_BATCH_PROP_CONCURRENCY);
  lk_batch_pump (self);
}

/* Where it stands --------------------------------------------------------- */

gint64
lk_batch_get_job_id (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->job_id;
}

/**
 * lk_batch_get_job_folder:
 *
 * Returns: (transfer none) (nullable): the folder the images go to, once
 *   the job started (or was loaded)
 */
GFile *
lk_batch_get_job_folder (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->job_folder;
}

LkJobState
lk_batch_get_state (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), LK_JOB_STATE_DRAFT);

  return self->state;
}

/**
 * lk_batch_get_items:
 *
 * Returns: (transfer none): a #GListModel of #LkBatchItem
 */
GListModel *
lk_batch_get_items (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return G_LIST_MODEL (self->items);
}

guint
lk_batch_get_n_items (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

guint
lk_batch_get_n_done (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->n_done;
}

guint
lk_batch_get_n_failed (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->n_failed;
}

guint
lk_batch_get_n_canceled (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->n_canceled;
}

gboolean
lk_batch_get_busy (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);

  return self->uploading || g_hash_table_size (self->active) > 0;
}

double
lk_batch_get_elapsed (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  if (self->running_since_us == 0)
    return self->elapsed_before;

  return self->elapsed_before + (g_get_monotonic_time () - self->running_since_us) / (double) G_USEC_PER_SEC;
}

/* The mean run time of the models measured so far, -1 before any. */
static double
mean_run_time (LkBatch *self)
{
  GHashTableIter iter;
  gpointer value;
  double sum = 0;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->run_times);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      sum += *(double *) value;
      n++;
    }

  return n > 0 ? sum / n : -1;
}

/**
 * lk_batch_get_eta_seconds:
 *
 * Returns: the seconds until every item is expected to have ended, from
 *   the run times measured so far; -1 before any was measured or while
 *   the batch does not run
 */
double
lk_batch_get_eta_seconds (LkBatch *self)
{
  guint n_items;
  guint remaining;
  double mean;

  g_return_val_if_fail (LK_IS_BATCH (self), -1);

  mean = mean_run_time (self);
  if (self->state != LK_JOB_STATE_RUNNING || mean < 0)
    return -1;

  n_items = lk_batch_get_n_items (self);
  remaining = n_items - self->n_done - self->n_failed - self->n_canceled;
  return ceil ((double) remaining / MIN (self->concurrency, MAX (remaining, 1u))) * mean;
}

gint64
lk_batch_get_spent (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->spent;
}

gint64
lk_batch_get_estimate (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return self->estimate;
}

/**
 * lk_batch_estimate_items:
 * @n_items: how many of its portraits to estimate, such as the missing ones
 *
 * Estimates @n_items portraits as this batch makes them: with its trained
 * model or its chain, its preset and its concurrency.
 */
gboolean
lk_batch_estimate_items (LkBatch          *self,
                         guint             n_items,
                         LkBatchEstimate  *estimate,
                         GError          **error)
{
  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  return self->trained != NULL
    ? lk_batch_estimate_trained (self->catalog, self->preset, n_items, self->concurrency, estimate, error)
    : lk_batch_estimate (self->catalog, self->preset, n_items, self->concurrency, estimate, error);
}

const char *
lk_batch_get_budget_message (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->budget_message;
}

const char *
lk_batch_get_error_message (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->error_message;
}
/* What the steps of a run share ------------------------------------------ */

LkClient *
lk_batch_get_client (LkBatch *self)
{
  return self->client;
}

/**
 * lk_batch_get_store:
 *
 * Returns: (transfer none): the store the job is written to
 */
LkStore *
lk_batch_get_store (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), NULL);

  return self->store;
}

LkBudget *
lk_batch_get_budget (LkBatch *self)
{
  return self->budget;
}

GPtrArray *
lk_batch_get_chain (LkBatch *self)
{
  return self->chain;
}

GPtrArray *
lk_batch_get_references (LkBatch *self)
{
  return self->references;
}

const char *
lk_batch_get_reference_url (LkBatch *self,
                            guint    reference)
{
  g_assert (reference < self->references->len);

  return ((LkBatchReference *) g_ptr_array_index (self->references, reference))->url;
}

/* Whether new predictions may be made: not while paused, stopped at a
 * cap or canceled, even for an item that is under way. */
gboolean
lk_batch_may_create (LkBatch *self)
{
  return self->state == LK_JOB_STATE_RUNNING;
}

gboolean
lk_batch_is_model_unavailable (LkBatch *self,
                               LkModel *model)
{
  return g_hash_table_contains (self->unavailable, lk_model_get_id (model));
}

/* A model Replicate does not know any more is not tried again by the
 * other items of this batch. */
void
lk_batch_set_model_unavailable (LkBatch *self,
                                LkModel *model)
{
  g_debug ("%s is unavailable; the batch goes on without it", lk_model_get_id (model));
  g_hash_table_add (self->unavailable, g_strdup (lk_model_get_id (model)));
}

/**
 * lk_batch_get_expected_seconds:
 *
 * Returns: how long a run of @model took in this batch, on average, or 0
 *   before any was measured
 */
double
lk_batch_get_expected_seconds (LkBatch *self,
                               LkModel *model)
{
  double *seconds = model != NULL ? g_hash_table_lookup (self->run_times, lk_model_get_id (model)) : NULL;

  return seconds != NULL ? *seconds : 0;
}

void
lk_batch_add_run_time (LkBatch *self,
                       LkModel *model,
                       double   seconds)
{
  double *average = g_hash_table_lookup (self->run_times, lk_model_get_id (model));

  if (seconds <= 0)
    return;

  if (average == NULL)
    {
      average = g_new (double, 1);
      *average = seconds;
      g_hash_table_insert (self->run_times, g_strdup (lk_model_get_id (model)), average);
    }
  else
    {
      *average = (1 - RUN_TIME_WEIGHT) * *average + RUN_TIME_WEIGHT * seconds;
    }

  lk_batch_notify (self, LK_BATCH_PROP_ETA_SECONDS);
}

/* Reads what the job actually cost from the ledger, which counts each
 * prediction once however often its end is reported. */
void
lk_batch_update_spent (LkBatch *self)
{
  g_autoptr(GError) error = NULL;
  gint64 spent;

  if (!lk_store_get_job_spent (self->store, self->job_id, &spent, &error))
    {
      g_warning ("Could not read what job %" G_GINT64_FORMAT " cost: %s", self->job_id, error->message);
      return;
    }

  if (self->spent == spent)
    return;

  self->spent = spent;
  lk_batch_notify (self, LK_BATCH_PROP_SPENT);
}
