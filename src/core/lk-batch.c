/* lk-batch.c: a portrait job: its items, the pool of slots that runs them,
 * its state and progress.
 *
 * The pool keeps `concurrency` items under way: the moment one item's
 * prediction ends, the next queued item starts, with no batches and no
 * pauses between them. An item holds its slot from its create until its
 * prediction succeeded (the download then runs beside the slots) or the
 * item ended. The steps of one item are in lk-batch-runner.c, the model
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
#include "lk-money.h"
#include "lk-photo.h"
#include "lk-style.h"

/* How a person is named in a style's prompt for the identity models,
 * which take the face from the reference photo. */
#define SUBJECT "a person"

/* Measured run times are averaged over this many recent runs of a model. */
#define RUN_TIME_WEIGHT 0.3

G_DEFINE_QUARK (lk-batch-error-quark, lk_batch_error)

struct _LkBatch
{
  GObject          parent_instance;

  LkClient        *client;
  LkStore         *store;
  LkCatalog       *catalog;
  LkBudget        *budget;
  GPtrArray       *chain;
  GListStore      *items;
  GPtrArray       *references;

  LkQualityPreset  preset;
  gint64           job_budget;
  GFile           *output_folder;
  char            *job_name;
  guint            concurrency;

  gint64           job_id;
  GFile           *job_folder;
  LkJobState       state;
  guint            n_done;
  guint            n_failed;
  guint            n_canceled;
  gint64           spent;
  gint64           estimate;
  char            *budget_message;
  char            *error_message;

  /* The pool. */
  GHashTable      *active;
  guint            busy_slots;
  gboolean         uploading;
  GPtrArray       *waiters;

  /* What the batch learned: models found missing, and how long each
   * model's runs take (seconds, a moving average). */
  GHashTable      *unavailable;
  GHashTable      *run_times;

  /* Time spent running, for elapsed and the ETA. */
  double           elapsed_before;
  gint64           running_since_us;
  GSource         *tick;
};

G_DEFINE_FINAL_TYPE (LkBatch, lk_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STORE,
  PROP_CATALOG,
  PROP_BUDGET,
  PROP_PRESET,
  PROP_JOB_BUDGET,
  PROP_OUTPUT_FOLDER,
  PROP_JOB_NAME,
  PROP_CONCURRENCY,
  PROP_JOB_ID,
  PROP_JOB_FOLDER,
  PROP_STATE,
  PROP_ITEMS,
  PROP_N_ITEMS,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_CANCELED,
  PROP_BUSY,
  PROP_ELAPSED,
  PROP_ETA_SECONDS,
  PROP_SPENT,
  PROP_ESTIMATE,
  PROP_BUDGET_MESSAGE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void pump (LkBatch *self);

static void
notify (LkBatch *self,
        guint    prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (LkBatch     *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

/* Lifetime --------------------------------------------------------------- */

static void
stop_tick (LkBatch *self)
{
  if (self->tick != NULL)
    g_source_destroy (self->tick);
  g_clear_pointer (&self->tick, g_source_unref);
}

static void
lk_batch_constructed (GObject *object)
{
  LkBatch *self = LK_BATCH (object);
  GPtrArray *chain = lk_catalog_get_portrait_chain (self->catalog);

  G_OBJECT_CLASS (lk_batch_parent_class)->constructed (object);

  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));
}

static void
lk_batch_dispose (GObject *object)
{
  LkBatch *self = LK_BATCH (object);

  stop_tick (self);

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
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;
    case PROP_PRESET:
      g_value_set_enum (value, self->preset);
      break;
    case PROP_JOB_BUDGET:
      g_value_set_int64 (value, self->job_budget);
      break;
    case PROP_OUTPUT_FOLDER:
      g_value_set_object (value, self->output_folder);
      break;
    case PROP_JOB_NAME:
      g_value_set_string (value, self->job_name);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_JOB_ID:
      g_value_set_int64 (value, self->job_id);
      break;
    case PROP_JOB_FOLDER:
      g_value_set_object (value, lk_batch_get_job_folder (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, lk_batch_get_n_items (self));
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_N_CANCELED:
      g_value_set_uint (value, self->n_canceled);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, lk_batch_get_busy (self));
      break;
    case PROP_ELAPSED:
      g_value_set_double (value, lk_batch_get_elapsed (self));
      break;
    case PROP_ETA_SECONDS:
      g_value_set_double (value, lk_batch_get_eta_seconds (self));
      break;
    case PROP_SPENT:
      g_value_set_int64 (value, self->spent);
      break;
    case PROP_ESTIMATE:
      g_value_set_int64 (value, self->estimate);
      break;
    case PROP_BUDGET_MESSAGE:
      g_value_set_string (value, self->budget_message);
      break;
    case PROP_ERROR_MESSAGE:
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
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    case PROP_BUDGET:
      self->budget = g_value_dup_object (value);
      break;
    case PROP_PRESET:
      lk_batch_set_preset (self, g_value_get_enum (value));
      break;
    case PROP_JOB_BUDGET:
      lk_batch_set_job_budget (self, g_value_get_int64 (value));
      break;
    case PROP_OUTPUT_FOLDER:
      lk_batch_set_output_folder (self, g_value_get_object (value));
      break;
    case PROP_JOB_NAME:
      lk_batch_set_job_name (self, g_value_get_string (value));
      break;
    case PROP_CONCURRENCY:
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

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, LK_TYPE_CLIENT, construct);
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE, construct);
  properties[PROP_CATALOG] = g_param_spec_object ("catalog", NULL, NULL, LK_TYPE_CATALOG, construct);
  properties[PROP_BUDGET] = g_param_spec_object ("budget", NULL, NULL, LK_TYPE_BUDGET, construct);

  properties[PROP_PRESET] = g_param_spec_enum ("preset", NULL, NULL, LK_TYPE_QUALITY_PRESET,
                                               LK_QUALITY_PRESET_STANDARD, writable);
  /* The job's own cap in micro-dollars, 0 for none. */
  properties[PROP_JOB_BUDGET] = g_param_spec_int64 ("job-budget", NULL, NULL, 0, G_MAXINT64, 0, writable);
  /* The folder job folders are made in. */
  properties[PROP_OUTPUT_FOLDER] = g_param_spec_object ("output-folder", NULL, NULL, G_TYPE_FILE, writable);
  /* The name of the job's folder inside the output folder. */
  properties[PROP_JOB_NAME] = g_param_spec_string ("job-name", NULL, NULL, NULL, writable);
  properties[PROP_CONCURRENCY] = g_param_spec_uint ("concurrency", NULL, NULL,
                                                    LK_BATCH_MIN_CONCURRENCY, LK_BATCH_MAX_CONCURRENCY,
                                                    LK_BATCH_DEFAULT_CONCURRENCY, writable);

  /* The job's id in the store, 0 until it is written. */
  properties[PROP_JOB_ID] = g_param_spec_int64 ("job-id", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Where the images go: the job name inside the output folder. */
  properties[PROP_JOB_FOLDER] = g_param_spec_object ("job-folder", NULL, NULL, G_TYPE_FILE, readable);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LK_TYPE_JOB_STATE, LK_JOB_STATE_DRAFT, readable);
  /* A GListModel of LkBatchItem, in the order of the styles. */
  properties[PROP_ITEMS] = g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, readable);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Items whose image is saved. */
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Items that failed or whose image expired. */
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_CANCELED] = g_param_spec_uint ("n-canceled", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /* Whether anything is under way: uploads, predictions or downloads. */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, readable);
  /* Seconds spent running; notified about once a second while running. */
  properties[PROP_ELAPSED] = g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, readable);
  /* Seconds until every item is expected to end, -1 while unknown. */
  properties[PROP_ETA_SECONDS] = g_param_spec_double ("eta-seconds", NULL, NULL, -1, G_MAXDOUBLE, -1, readable);
  /* Micro-dollars actually spent on the job. */
  properties[PROP_SPENT] = g_param_spec_int64 ("spent", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Micro-dollars the job was estimated to cost. */
  properties[PROP_ESTIMATE] = g_param_spec_int64 ("estimate", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /* Which cap stopped the job and by how much, in the state budget-reached. */
  properties[PROP_BUDGET_MESSAGE] = g_param_spec_string ("budget-message", NULL, NULL, NULL, readable);
  /* Why the whole batch stopped, when a problem stopped it. */
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);
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

  concurrency = CLAMP (concurrency, LK_BATCH_MIN_CONCURRENCY, LK_BATCH_MAX_CONCURRENCY);
  first = g_ptr_array_index (chain, 0);
  for (guint i = 0; i < chain->len; i++)
    dearest = MAX (dearest, lk_model_estimate (g_ptr_array_index (chain, i), preset, 1));

  estimate->model = lk_model_get_id (first);
  estimate->cost = lk_model_estimate (first, preset, n_items);
  estimate->cost_max = dearest * n_items;
  estimate->item_seconds = lk_model_get_typical_seconds (first, preset);
  estimate->seconds = ceil ((double) n_items / concurrency) * estimate->item_seconds;
  return TRUE;
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

static void
update_estimate (LkBatch *self)
{
  LkBatchEstimate estimate = { 0 };

  if (!lk_batch_estimate (self->catalog, self->preset, lk_batch_get_n_items (self), self->concurrency,
                          &estimate, NULL))
    return;

  if (self->estimate != estimate.cost)
    {
      self->estimate = estimate.cost;
      notify (self, PROP_ESTIMATE);
    }
}

/* Settings of a draft ----------------------------------------------------- */

static void
item_state_cb (LkBatchItem *item,
               GParamSpec  *pspec,
               LkBatch     *self);

/* Ties a new item to the batch's counts. */
static void
watch_item (LkBatch     *self,
            LkBatchItem *item)
{
  g_signal_connect_object (item, "notify::state", G_CALLBACK (item_state_cb), self, 0);
}

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
      watch_item (self, item);
      g_ptr_array_add (items, item);
    }

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  notify (self, PROP_N_ITEMS);
  update_estimate (self);
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
  notify (self, PROP_PRESET);
  update_estimate (self);
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
  notify (self, PROP_JOB_BUDGET);
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
      notify (self, PROP_OUTPUT_FOLDER);
      notify (self, PROP_JOB_FOLDER);
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

  set_string (self, &self->job_name, name, PROP_JOB_NAME);
  notify (self, PROP_JOB_FOLDER);
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
  notify (self, PROP_CONCURRENCY);
  pump (self);
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

/* State and time ---------------------------------------------------------- */

static gboolean
tick_cb (gpointer user_data)
{
  LkBatch *self = user_data;

  notify (self, PROP_ELAPSED);
  notify (self, PROP_ETA_SECONDS);
  return G_SOURCE_CONTINUE;
}

/* The clock runs while anything is under way or the batch runs. */
static void
update_clock (LkBatch *self)
{
  gboolean running = self->state == LK_JOB_STATE_RUNNING || lk_batch_get_busy (self);

  if (running && self->running_since_us == 0)
    {
      self->running_since_us = g_get_monotonic_time ();
      self->tick = g_timeout_source_new_seconds (1);
      g_source_set_callback (self->tick, tick_cb, self, NULL);
      g_source_set_static_name (self->tick, "[lk-batch] tick");
      g_source_attach (self->tick, g_main_context_get_thread_default ());
    }
  else if (!running && self->running_since_us != 0)
    {
      self->elapsed_before = lk_batch_get_elapsed (self);
      self->running_since_us = 0;
      stop_tick (self);
      notify (self, PROP_ELAPSED);
      notify (self, PROP_ETA_SECONDS);
    }
}

/* Sets the state, and writes it to the store when @record. */
static void
set_state (LkBatch    *self,
           LkJobState  state,
           gboolean    record)
{
  g_autoptr(GError) error = NULL;

  if (self->state == state)
    return;

  if (record && self->job_id != 0 && !lk_store_set_job_state (self->store, self->job_id, state, &error))
    g_warning ("Could not record the state of job %" G_GINT64_FORMAT ": %s", self->job_id, error->message);

  self->state = state;
  notify (self, PROP_STATE);
  notify (self, PROP_ETA_SECONDS);
  update_clock (self);
}

static gboolean
is_settled (LkBatch *self)
{
  return self->state != LK_JOB_STATE_RUNNING && !lk_batch_get_busy (self);
}

static guint
count_unfinished (LkBatch *self)
{
  guint n_items = lk_batch_get_n_items (self);
  guint unfinished = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (!lk_batch_item_get_finished (item))
        unfinished++;
    }

  return unfinished;
}

/* Ends the batch when every item ended, and wakes those waiting once
 * nothing is under way any more. */
static void
check_settled (LkBatch *self)
{
  if (self->state == LK_JOB_STATE_RUNNING && !lk_batch_get_busy (self) && count_unfinished (self) == 0)
    set_state (self, LK_JOB_STATE_FINISHED, TRUE);

  update_clock (self);

  if (!is_settled (self))
    return;

  for (guint i = 0; i < self->waiters->len; i++)
    g_task_return_boolean (g_ptr_array_index (self->waiters, i), TRUE);
  g_ptr_array_set_size (self->waiters, 0);
}

static void
item_state_cb (LkBatchItem *item,
               GParamSpec  *pspec,
               LkBatch     *self)
{
  guint n_items = lk_batch_get_n_items (self);
  guint done = 0;
  guint failed = 0;
  guint canceled = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) other = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      switch (lk_batch_item_get_state (other))
        {
        case LK_BATCH_ITEM_STATE_DONE:
          done++;
          break;
        case LK_BATCH_ITEM_STATE_FAILED:
        case LK_BATCH_ITEM_STATE_EXPIRED:
          failed++;
          break;
        case LK_BATCH_ITEM_STATE_CANCELED:
          canceled++;
          break;
        case LK_BATCH_ITEM_STATE_QUEUED:
        case LK_BATCH_ITEM_STATE_UPLOADING:
        case LK_BATCH_ITEM_STATE_STARTING:
        case LK_BATCH_ITEM_STATE_GENERATING:
        case LK_BATCH_ITEM_STATE_DOWNLOADING:
        default:
          break;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_done != done)
    {
      self->n_done = done;
      notify (self, PROP_N_DONE);
    }
  if (self->n_failed != failed)
    {
      self->n_failed = failed;
      notify (self, PROP_N_FAILED);
    }
  if (self->n_canceled != canceled)
    {
      self->n_canceled = canceled;
      notify (self, PROP_N_CANCELED);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The pool ---------------------------------------------------------------- */

static void
item_ran_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  LkBatch *self = LK_BATCH (object);
  g_autoptr(LkBatchItem) item = user_data;
  LkBatchOutcome outcome = lk_batch_runner_run_finish (result);

  g_debug ("Item %u ended: %d", lk_batch_item_get_index (item), outcome);
  g_hash_table_remove (self->active, item);
  if (g_hash_table_size (self->active) == 0)
    notify (self, PROP_BUSY);

  pump (self);
  check_settled (self);
}

static void
run_item (LkBatch     *self,
          LkBatchItem *item)
{
  g_assert (!g_hash_table_contains (self->active, item));

  g_hash_table_add (self->active, item);
  self->busy_slots++;
  if (g_hash_table_size (self->active) == 1)
    notify (self, PROP_BUSY);

  lk_batch_runner_run_async (self, item, item_ran_cb, g_object_ref (item));
}

static LkBatchItem *
next_queued (LkBatch *self)
{
  guint n_items = lk_batch_get_n_items (self);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_QUEUED &&
          !g_hash_table_contains (self->active, item))
        return item;
    }

  return NULL;
}

static gboolean
references_ready (LkBatch *self)
{
  for (guint i = 0; i < self->references->len; i++)
    if (((LkBatchReference *) g_ptr_array_index (self->references, i))->url == NULL)
      return FALSE;

  return TRUE;
}

static void
set_items_uploading (LkBatch  *self,
                     gboolean  uploading)
{
  guint n_items = lk_batch_get_n_items (self);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      LkBatchItemState state = lk_batch_item_get_state (item);

      if (uploading && state == LK_BATCH_ITEM_STATE_QUEUED && !g_hash_table_contains (self->active, item))
        lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_UPLOADING);
      else if (!uploading && state == LK_BATCH_ITEM_STATE_UPLOADING)
        lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_QUEUED);
    }
}

static void references_uploaded_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data);

/* Uploads the references that have no live upload (a resumed job after a
 * day), then fills the slots. */
static void
upload_references (LkBatch             *self,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  self->uploading = TRUE;
  notify (self, PROP_BUSY);
  set_items_uploading (self, TRUE);
  lk_batch_references_upload_async (self->client, self->store, self->references, NULL, callback, user_data);
}

static void
references_uploaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(LkBatch) self = user_data;
  g_autoptr(GError) error = NULL;

  self->uploading = FALSE;
  notify (self, PROP_BUSY);
  set_items_uploading (self, FALSE);

  if (!lk_batch_references_upload_finish (result, &error))
    lk_batch_report_fatal (self, error);

  pump (self);
  check_settled (self);
}

/* Fills the free slots with queued items, in order. */
static void
pump (LkBatch *self)
{
  LkBatchItem *item;

  if (self->state != LK_JOB_STATE_RUNNING || self->uploading)
    return;

  if (next_queued (self) != NULL && !references_ready (self))
    {
      upload_references (self, references_uploaded_cb, g_object_ref (self));
      return;
    }

  while (self->busy_slots < self->concurrency && (item = next_queued (self)) != NULL)
    run_item (self, item);
}

/* What the steps of a run share ------------------------------------------ */

LkClient *
lk_batch_get_client (LkBatch *self)
{
  return self->client;
}

LkStore *
lk_batch_get_store (LkBatch *self)
{
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

  notify (self, PROP_ETA_SECONDS);
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
  notify (self, PROP_SPENT);
}

void
lk_batch_release_slot (LkBatch     *self,
                       LkBatchItem *item)
{
  g_assert (self->busy_slots > 0);

  self->busy_slots--;
  pump (self);
}

void
lk_batch_report_budget (LkBatch               *self,
                        const LkBudgetVerdict *verdict)
{
  g_autofree char *message = lk_budget_verdict_describe (verdict);

  set_string (self, &self->budget_message, message, PROP_BUDGET_MESSAGE);
  /* The store wrote the state when it refused the reservation. */
  if (self->state == LK_JOB_STATE_RUNNING)
    set_state (self, LK_JOB_STATE_BUDGET_REACHED, FALSE);
}

/* A problem no other item would escape (the token, billing, the store):
 * nothing new starts until the person resumes. */
void
lk_batch_report_fatal (LkBatch      *self,
                       const GError *error)
{
  g_warning ("Job %" G_GINT64_FORMAT " stopped: %s", self->job_id, error->message);
  set_string (self, &self->error_message, error->message, PROP_ERROR_MESSAGE);
  if (self->state == LK_JOB_STATE_RUNNING)
    set_state (self, LK_JOB_STATE_PAUSED, TRUE);
}

/* Restoring a job from the store, for lk-batch-resume.c. It takes
 * @references. */
void
lk_batch_restore (LkBatch         *self,
                  LkJobRecord     *job,
                  LkQualityPreset  preset,
                  guint            concurrency,
                  GPtrArray       *items,
                  GPtrArray       *references,
                  gint64           spent)
{
  g_assert (self->state == LK_JOB_STATE_DRAFT && self->job_id == 0);

  self->job_id = job->id;
  self->preset = preset;
  self->concurrency = CLAMP (concurrency, LK_BATCH_MIN_CONCURRENCY, LK_BATCH_MAX_CONCURRENCY);
  self->job_budget = job->budget;
  self->estimate = job->estimate;
  self->spent = spent;
  g_clear_object (&self->job_folder);
  if (job->folder != NULL)
    self->job_folder = g_file_new_for_path (job->folder);

  g_ptr_array_extend_and_steal (self->references, references);
  for (guint i = 0; i < items->len; i++)
    watch_item (self, g_ptr_array_index (items, i));
  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);
  item_state_cb (NULL, NULL, self);

  self->state = LK_JOB_STATE_PAUSED;
  notify (self, PROP_JOB_ID);
  notify (self, PROP_STATE);
}

/* Starts an item that has a prediction under way or an image to save:
 * nothing new is created, so it runs whatever the state. */
void
lk_batch_reattach (LkBatch     *self,
                   LkBatchItem *item)
{
  run_item (self, item);
  update_clock (self);
}

/* Actions ----------------------------------------------------------------- */

static char *
default_job_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* Translators: the folder name of a job's portraits, with strftime()
   * codes for the date and time it started. */
  return g_date_time_format (now, _("Portraits %Y-%m-%d %H.%M"));
}

/* The job's folder: a new one, so that two jobs of the same name do not
 * share their files. */
static GFile *
new_job_folder (LkBatch *self)
{
  g_autoptr(GFile) output = self->output_folder != NULL ? g_object_ref (self->output_folder)
                                                        : lk_batch_dup_default_output_folder ();
  g_autofree char *name = self->job_name != NULL ? g_strdup (self->job_name) : default_job_name ();
  GFile *folder = g_file_get_child (output, name);

  for (guint n = 2; g_file_query_exists (folder, NULL); n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s (%u)", name, n);

      g_object_unref (folder);
      folder = g_file_get_child (output, numbered);
    }

  if (self->job_name == NULL)
    set_string (self, &self->job_name, name, PROP_JOB_NAME);
  return folder;
}

static char *
settings_json (LkBatch *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GEnumClass) presets = g_type_class_ref (LK_TYPE_QUALITY_PRESET);
  guint n_items = lk_batch_get_n_items (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, g_enum_get_value (presets, self->preset)->value_nick);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, self->concurrency);

  json_builder_set_member_name (builder, "references");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->references->len; i++)
    {
      LkBatchReference *reference = g_ptr_array_index (self->references, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, reference->path);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, reference->sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      json_builder_add_value (builder, lk_batch_recipe_to_json (lk_batch_item_get_recipe (item)));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
job_title (LkBatch *self)
{
  g_autoptr(GString) title = g_string_new (NULL);
  guint n_items = lk_batch_get_n_items (self);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (i > 0)
        g_string_append (title, ", ");
      g_string_append (title, lk_batch_item_get_style_name (item));
    }

  return g_string_free (g_steal_pointer (&title), FALSE);
}

/* Writes the job and every item, before anything is spent on them. */
static gboolean
write_job (LkBatch  *self,
           GError  **error)
{
  guint n_items = lk_batch_get_n_items (self);
  g_autofree LkItemSpec *specs = g_new0 (LkItemSpec, n_items);
  g_autofree gint64 *ids = g_new0 (gint64, n_items);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *settings = settings_json (self);
  g_autofree char *title = job_title (self);
  g_autofree char *folder = g_file_get_path (self->job_folder);
  LkJobSpec job = {
    .kind = LK_JOB_KIND_PORTRAIT,
    .state = LK_JOB_STATE_RUNNING,
    .title = title,
    .settings = settings,
    .folder = folder,
    .estimate = self->estimate,
    .budget = self->job_budget,
  };
  LkModel *first = g_ptr_array_index (self->chain, 0);

  for (guint i = 0; i < n_items; i++)
    {
      LkBatchItem *item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      LkBatchReference *reference = g_ptr_array_index (self->references, lk_batch_item_get_reference (item));

      g_ptr_array_add (items, item);
      specs[i].style = lk_batch_item_get_style_id (item);
      specs[i].prompt = lk_batch_item_get_recipe (item)->prompt;
      specs[i].seed = lk_batch_item_get_base_seed (item);
      specs[i].model = lk_model_get_id (first);
      specs[i].reference_sha256 = reference->sha256;
    }

  self->job_id = lk_store_add_job (self->store, &job, specs, n_items, ids, error);
  if (self->job_id == 0)
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    lk_batch_item_set_id (g_ptr_array_index (items, i), ids[i]);

  notify (self, PROP_JOB_ID);
  return TRUE;
}

static void
start_uploaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->uploading = FALSE;
  notify (self, PROP_BUSY);
  set_items_uploading (self, FALSE);

  if (!lk_batch_references_upload_finish (result, &error) || !write_job (self, &error))
    {
      /* Only an empty folder goes: nothing was saved in it yet. */
      g_file_delete (self->job_folder, NULL, NULL);
      set_state (self, LK_JOB_STATE_DRAFT, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pump (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
check_startable (LkBatch  *self,
                 GError  **error)
{
  if (self->state != LK_JOB_STATE_DRAFT || self->job_id != 0 || self->uploading)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE, _("This job has already started."));
  else if (lk_batch_get_n_items (self) == 0)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_STYLES, _("Choose at least one style."));
  else if (self->references->len == 0)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_REFERENCES,
                         _("Choose at least one reference photo."));
  else if (self->chain->len == 0)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_MODEL,
                         _("The model catalog names no model for portraits. Check models.json."));
  else
    return TRUE;

  return FALSE;
}

/**
 * lk_batch_start_async:
 *
 * Starts a draft: prepares and uploads each reference once, writes the
 * job and all its items to the store, and fills the slots. Completes as
 * soon as predictions are being made; nothing is spent when it fails.
 */
void
lk_batch_start_async (LkBatch             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_start_async);

  if (!check_startable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->job_folder);
  self->job_folder = new_job_folder (self);
  notify (self, PROP_JOB_FOLDER);
  if (!g_file_make_directory_with_parents (self->job_folder, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_state (self, LK_JOB_STATE_RUNNING, FALSE);
  self->uploading = TRUE;
  notify (self, PROP_BUSY);
  set_items_uploading (self, TRUE);
  lk_batch_references_upload_async (self->client, self->store, self->references, cancellable,
                                    start_uploaded_cb, g_steal_pointer (&task));
}

gboolean
lk_batch_start_finish (LkBatch       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lk_batch_wait_async:
 *
 * Completes once the batch stopped with nothing under way: finished,
 * paused, stopped at a budget cap, or canceled (or at once when it is
 * already so, or a draft).
 */
void
lk_batch_wait_async (LkBatch             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_wait_async);

  if (is_settled (self))
    g_task_return_boolean (task, TRUE);
  else
    g_ptr_array_add (self->waiters, g_steal_pointer (&task));
}

gboolean
lk_batch_wait_finish (LkBatch       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lk_batch_pause:
 *
 * Starts no new prediction; those under way finish and are saved.
 */
void
lk_batch_pause (LkBatch *self)
{
  g_return_if_fail (LK_IS_BATCH (self));

  if (self->state != LK_JOB_STATE_RUNNING)
    return;

  set_state (self, LK_JOB_STATE_PAUSED, TRUE);
  check_settled (self);
}

/**
 * lk_batch_resume:
 *
 * Goes on after a pause, a budget cap (once it was raised) or a restart:
 * the references are uploaded again if their uploads expired, and the
 * slots fill with the queued items.
 */
void
lk_batch_resume (LkBatch *self)
{
  g_return_if_fail (LK_IS_BATCH (self));

  if (self->state != LK_JOB_STATE_PAUSED && self->state != LK_JOB_STATE_BUDGET_REACHED)
    return;

  set_string (self, &self->budget_message, NULL, PROP_BUDGET_MESSAGE);
  set_string (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, LK_JOB_STATE_RUNNING, TRUE);
  pump (self);
  check_settled (self);
}

static void
cancel_one (LkBatch     *self,
            LkBatchItem *item)
{
  g_autoptr(GError) error = NULL;

  if (!lk_batch_item_get_can_cancel (item))
    return;

  if (g_hash_table_contains (self->active, item))
    {
      /* The runner cancels the prediction on Replicate and records it. */
      g_cancellable_cancel (lk_batch_item_get_cancellable (item));
      return;
    }

  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_CANCELED);
  if (lk_batch_item_get_id (item) != 0 &&
      !lk_store_set_item_state (self->store, lk_batch_item_get_id (item), LK_ITEM_STATE_CANCELED,
                                NULL, NULL, &error))
    g_warning ("Could not record a canceled item: %s", error->message);
}

/**
 * lk_batch_cancel:
 *
 * Cancels every item that has not ended, on Replicate too.
 */
void
lk_batch_cancel (LkBatch *self)
{
  guint n_items;

  g_return_if_fail (LK_IS_BATCH (self));

  if (self->state == LK_JOB_STATE_DRAFT || self->state == LK_JOB_STATE_FINISHED ||
      self->state == LK_JOB_STATE_CANCELED)
    return;

  set_state (self, LK_JOB_STATE_CANCELED, TRUE);
  n_items = lk_batch_get_n_items (self);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      cancel_one (self, item);
    }

  check_settled (self);
}

/**
 * lk_batch_cancel_item:
 *
 * Cancels one item, on Replicate too when its prediction runs.
 */
void
lk_batch_cancel_item (LkBatch     *self,
                      LkBatchItem *item)
{
  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (LK_IS_BATCH_ITEM (item));

  cancel_one (self, item);
  check_settled (self);
}

/**
 * lk_batch_retry_item:
 *
 * Queues a failed, canceled or expired item again: an image that was
 * made but not saved is downloaded, a prediction still under way is
 * followed, and otherwise a new prediction is made, from the first model
 * of the chain. A finished or canceled batch runs again for it.
 *
 * Returns: whether the item was queued
 */
gboolean
lk_batch_retry_item (LkBatch     *self,
                     LkBatchItem *item)
{
  g_autoptr(GError) error = NULL;
  LkPrediction *live;

  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);
  g_return_val_if_fail (LK_IS_BATCH_ITEM (item), FALSE);

  if (!lk_batch_item_get_can_retry (item) || g_hash_table_contains (self->active, item) || self->job_id == 0)
    return FALSE;

  live = lk_batch_item_get_live (item);
  if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_EXPIRED ||
      (live != NULL && lk_prediction_get_status (live) != LK_PREDICTION_STATUS_SUCCEEDED))
    lk_batch_item_set_output_url (item, NULL, 0);
  if (lk_batch_item_get_output_url (item) == NULL && (live == NULL || lk_prediction_is_terminal (live)))
    lk_batch_item_set_chain_index (item, 0);

  lk_batch_item_reset_cancellable (item);
  lk_batch_item_set_error (item, NULL);
  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_QUEUED);
  if (!lk_store_set_item_state (self->store, lk_batch_item_get_id (item), LK_ITEM_STATE_QUEUED, NULL, NULL, &error))
    g_warning ("Could not record a retried item: %s", error->message);

  if (self->state == LK_JOB_STATE_FINISHED || self->state == LK_JOB_STATE_CANCELED)
    set_state (self, LK_JOB_STATE_RUNNING, TRUE);

  pump (self);
  return TRUE;
}

/**
 * lk_batch_retry_failed:
 *
 * Retries every failed or expired item.
 *
 * Returns: how many items were queued again
 */
guint
lk_batch_retry_failed (LkBatch *self)
{
  guint n_items;
  guint n = 0;

  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  n_items = lk_batch_get_n_items (self);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      LkBatchItemState state = lk_batch_item_get_state (item);

      if ((state == LK_BATCH_ITEM_STATE_FAILED || state == LK_BATCH_ITEM_STATE_EXPIRED) &&
          lk_batch_retry_item (self, item))
        n++;
    }

  return n;
}
