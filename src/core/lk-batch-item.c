/* lk-batch-item.c: one portrait of a batch, as the Progress page shows it,
 * with the working state the batch keeps for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch-item"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-batch-private.h"
#include "lk-enums.h"
#include "lk-prediction.h"

struct _LkBatchItem
{
  GObject           parent_instance;

  gint64            id;
  guint             index;
  LkBatchItemState  state;
  double            progress;
  char             *model;
  char             *model_name;
  gboolean          fallback_used;
  char             *error_message;
  GFile            *output_file;
  gint64            seed;
  guint             attempts;

  /* Working state, for the batch only. */
  LkBatchRecipe    *recipe;
  gint64            base_seed;
  guint             reference;
  guint             chain_index;
  LkPrediction     *live;
  char             *output_url;
  gint64            output_id;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (LkBatchItem, lk_batch_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_INDEX,
  PROP_STYLE_ID,
  PROP_STYLE_NAME,
  PROP_STATE,
  PROP_FINISHED,
  PROP_CAN_CANCEL,
  PROP_CAN_RETRY,
  PROP_PROGRESS,
  PROP_MODEL,
  PROP_MODEL_NAME,
  PROP_FALLBACK_USED,
  PROP_ERROR_MESSAGE,
  PROP_OUTPUT_FILE,
  PROP_SEED,
  PROP_PREDICTION_ID,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lk_batch_item_finalize (GObject *object)
{
  LkBatchItem *self = LK_BATCH_ITEM (object);

  g_free (self->model);
  g_free (self->model_name);
  g_free (self->error_message);
  g_clear_object (&self->output_file);
  g_clear_pointer (&self->recipe, lk_batch_recipe_free);
  g_clear_object (&self->live);
  g_free (self->output_url);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lk_batch_item_parent_class)->finalize (object);
}

static void
lk_batch_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkBatchItem *self = LK_BATCH_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_STYLE_ID:
      g_value_set_string (value, lk_batch_item_get_style_id (self));
      break;
    case PROP_STYLE_NAME:
      g_value_set_string (value, lk_batch_item_get_style_name (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, lk_batch_item_get_finished (self));
      break;
    case PROP_CAN_CANCEL:
      g_value_set_boolean (value, lk_batch_item_get_can_cancel (self));
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, lk_batch_item_get_can_retry (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_MODEL_NAME:
      g_value_set_string (value, self->model_name);
      break;
    case PROP_FALLBACK_USED:
      g_value_set_boolean (value, self->fallback_used);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_OUTPUT_FILE:
      g_value_set_object (value, self->output_file);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_PREDICTION_ID:
      g_value_set_string (value, lk_batch_item_get_prediction_id (self));
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

static GParamSpec *
boolean_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

static void
lk_batch_item_class_init (LkBatchItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lk_batch_item_finalize;
  object_class->get_property = lk_batch_item_get_property;

  /* The item's row in the store; 0 while the batch is a draft. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* The position in the batch, from 0; its file is numbered index + 1. */
  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STYLE_ID] = string_property ("style-id");
  properties[PROP_STYLE_NAME] = string_property ("style-name");
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LK_TYPE_BATCH_ITEM_STATE,
                                              LK_BATCH_ITEM_STATE_QUEUED, flags);
  /* Whether the state is an end: done, failed, canceled or expired. */
  properties[PROP_FINISHED] = boolean_property ("finished");
  properties[PROP_CAN_CANCEL] = boolean_property ("can-cancel");
  properties[PROP_CAN_RETRY] = boolean_property ("can-retry");
  /* How far the model is, 0 to 1, or -1 while it does not say. */
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  /* The id and the name of the model that runs or ran the item. */
  properties[PROP_MODEL] = string_property ("model");
  properties[PROP_MODEL_NAME] = string_property ("model-name");
  /* Whether a later model of the chain took over from the first. */
  properties[PROP_FALLBACK_USED] = boolean_property ("fallback-used");
  /* Why the item failed or expired, in the person's words. */
  properties[PROP_ERROR_MESSAGE] = string_property ("error-message");
  properties[PROP_OUTPUT_FILE] = g_param_spec_object ("output-file", NULL, NULL, G_TYPE_FILE, flags);
  /* The seed of the latest prediction. */
  properties[PROP_SEED] = g_param_spec_int64 ("seed", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PREDICTION_ID] = string_property ("prediction-id");
  /* How many predictions were created for the item. */
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_batch_item_init (LkBatchItem *self)
{
  self->progress = -1;
  self->cancellable = g_cancellable_new ();
}

/**
 * lk_batch_item_new:
 * @recipe: (transfer full): what it makes
 * @base_seed: the seed of its first prediction
 * @reference: which reference photo of the batch it uses
 */
LkBatchItem *
lk_batch_item_new (guint          index,
                   LkBatchRecipe *recipe,
                   gint64         base_seed,
                   guint          reference)
{
  LkBatchItem *self;

  g_return_val_if_fail (recipe != NULL, NULL);

  self = g_object_new (LK_TYPE_BATCH_ITEM, NULL);
  self->index = index;
  self->recipe = recipe;
  self->base_seed = base_seed;
  self->seed = base_seed;
  self->reference = reference;
  return self;
}

gint64
lk_batch_item_get_id (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), 0);

  return self->id;
}

guint
lk_batch_item_get_index (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), 0);

  return self->index;
}

const char *
lk_batch_item_get_style_id (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->recipe->style_id;
}

const char *
lk_batch_item_get_style_name (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->recipe->style_name;
}

LkBatchItemState
lk_batch_item_get_state (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), LK_BATCH_ITEM_STATE_QUEUED);

  return self->state;
}

gboolean
lk_batch_item_get_finished (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), FALSE);

  return self->state >= LK_BATCH_ITEM_STATE_DONE;
}

gboolean
lk_batch_item_get_can_cancel (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), FALSE);

  return self->state < LK_BATCH_ITEM_STATE_DONE;
}

gboolean
lk_batch_item_get_can_retry (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), FALSE);

  return self->state > LK_BATCH_ITEM_STATE_DONE;
}

double
lk_batch_item_get_progress (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), -1);

  return self->progress;
}

const char *
lk_batch_item_get_model (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->model;
}

const char *
lk_batch_item_get_model_name (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->model_name;
}

gboolean
lk_batch_item_get_fallback_used (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), FALSE);

  return self->fallback_used;
}

const char *
lk_batch_item_get_error_message (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->error_message;
}

/**
 * lk_batch_item_get_output_file:
 *
 * Returns: (transfer none) (nullable): the saved image
 */
GFile *
lk_batch_item_get_output_file (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->output_file;
}

gint64
lk_batch_item_get_seed (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), 0);

  return self->seed;
}

const char *
lk_batch_item_get_prediction_id (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), NULL);

  return self->live != NULL ? lk_prediction_get_id (self->live) : NULL;
}

guint
lk_batch_item_get_attempts (LkBatchItem *self)
{
  g_return_val_if_fail (LK_IS_BATCH_ITEM (self), 0);

  return self->attempts;
}

/**
 * lk_batch_item_state_describe:
 *
 * Returns: the state in a word or two, as a card shows it
 */
const char *
lk_batch_item_state_describe (LkBatchItemState state)
{
  switch (state)
    {
    case LK_BATCH_ITEM_STATE_QUEUED: return _("Queued");
    case LK_BATCH_ITEM_STATE_UPLOADING: return _("Uploading");
    case LK_BATCH_ITEM_STATE_STARTING: return _("Starting");
    case LK_BATCH_ITEM_STATE_GENERATING: return _("Generating");
    case LK_BATCH_ITEM_STATE_DOWNLOADING: return _("Downloading");
    case LK_BATCH_ITEM_STATE_DONE: return _("Done");
    case LK_BATCH_ITEM_STATE_FAILED: return _("Failed");
    case LK_BATCH_ITEM_STATE_CANCELED: return _("Canceled");
    case LK_BATCH_ITEM_STATE_EXPIRED: return _("Output expired");
    default: g_return_val_if_reached (NULL);
    }
}

/* The batch's side. */

LkBatchRecipe *
lk_batch_item_get_recipe (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->recipe;
}

gint64
lk_batch_item_get_base_seed (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->base_seed;
}

guint
lk_batch_item_get_reference (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->reference;
}

void
lk_batch_item_set_reference (LkBatchItem *self,
                             guint        reference)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  self->reference = reference;
}

void
lk_batch_item_set_id (LkBatchItem *self,
                      gint64       id)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
lk_batch_item_set_state (LkBatchItem      *self,
                         LkBatchItemState  state)
{
  gboolean was_finished;
  gboolean could_retry;

  g_assert (LK_IS_BATCH_ITEM (self));

  if (self->state == state)
    return;

  was_finished = lk_batch_item_get_finished (self);
  could_retry = lk_batch_item_get_can_retry (self);
  self->state = state;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_finished != lk_batch_item_get_finished (self))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CANCEL]);
    }
  if (could_retry != lk_batch_item_get_can_retry (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RETRY]);
  if (state != LK_BATCH_ITEM_STATE_GENERATING)
    lk_batch_item_set_progress (self, state == LK_BATCH_ITEM_STATE_DONE ? 1 : -1);
  g_object_thaw_notify (G_OBJECT (self));
}

void
lk_batch_item_set_progress (LkBatchItem *self,
                            double       progress)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_string (LkBatchItem  *self,
            char        **field,
            const char   *value,
            GParamSpec   *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/**
 * lk_batch_item_set_model:
 * @model: (nullable): the model that runs the item
 * @fallback: whether it is not the first model of the chain
 */
void
lk_batch_item_set_model (LkBatchItem *self,
                         LkModel     *model,
                         gboolean     fallback)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->model, model != NULL ? lk_model_get_id (model) : NULL, properties[PROP_MODEL]);
  set_string (self, &self->model_name, model != NULL ? lk_model_get_name (model) : NULL, properties[PROP_MODEL_NAME]);
  if (self->fallback_used != !!fallback)
    {
      self->fallback_used = !!fallback;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FALLBACK_USED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
lk_batch_item_set_error (LkBatchItem *self,
                         const char  *message)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  set_string (self, &self->error_message, message, properties[PROP_ERROR_MESSAGE]);
}

void
lk_batch_item_set_output_file (LkBatchItem *self,
                               GFile       *file)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  if (g_set_object (&self->output_file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_FILE]);
}

void
lk_batch_item_set_seed (LkBatchItem *self,
                        gint64       seed)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  if (self->seed == seed)
    return;

  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * lk_batch_item_set_live:
 * @prediction: (nullable): the item's current or latest prediction
 */
void
lk_batch_item_set_live (LkBatchItem  *self,
                        LkPrediction *prediction)
{
  g_autofree char *old_id = NULL;

  g_assert (LK_IS_BATCH_ITEM (self));

  old_id = g_strdup (lk_batch_item_get_prediction_id (self));
  g_set_object (&self->live, prediction);
  if (g_strcmp0 (old_id, lk_batch_item_get_prediction_id (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREDICTION_ID]);
}

/**
 * lk_batch_item_get_live:
 *
 * Returns: (transfer none) (nullable): the item's current or latest
 *   prediction
 */
LkPrediction *
lk_batch_item_get_live (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->live;
}

void
lk_batch_item_set_attempts (LkBatchItem *self,
                            guint        attempts)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  if (self->attempts == attempts)
    return;

  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

guint
lk_batch_item_get_chain_index (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->chain_index;
}

void
lk_batch_item_set_chain_index (LkBatchItem *self,
                               guint        chain_index)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  self->chain_index = chain_index;
}

const char *
lk_batch_item_get_output_url (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->output_url;
}

gint64
lk_batch_item_get_output_id (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->output_id;
}

/**
 * lk_batch_item_set_output_url:
 * @url: (nullable): where the latest prediction's image can be downloaded
 * @output_id: its row in the store
 */
void
lk_batch_item_set_output_url (LkBatchItem *self,
                              const char  *url,
                              gint64       output_id)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  g_free (self->output_url);
  self->output_url = g_strdup (url);
  self->output_id = output_id;
}

/**
 * lk_batch_item_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the person cancels the item or
 *   the batch; a retry gets a new one
 */
GCancellable *
lk_batch_item_get_cancellable (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  return self->cancellable;
}

void
lk_batch_item_reset_cancellable (LkBatchItem *self)
{
  g_assert (LK_IS_BATCH_ITEM (self));

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}
