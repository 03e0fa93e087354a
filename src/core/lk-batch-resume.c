/* lk-batch-resume.c: finding the portrait jobs a crash or a restart cut
 * short, and rebuilding each as a batch that goes on where it stopped.
 *
 * An item is rebuilt from what the store last recorded of it:
 *  - a prediction whose end was not recorded is re-attached: polled again,
 *    never created again;
 *  - a prediction that succeeded but whose image was not saved has its
 *    image downloaded, or the item says the output expired;
 *  - an item marked running without such a prediction may have had a
 *    create in flight when the process died. The predictions Replicate
 *    made since the job began are searched for its input (every
 *    prediction has a seed of its own); a match is adopted, and only
 *    without one is the item queued to be created.
 * Reservations of creates that never recorded a prediction are released.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-batch-private.h"
#include "lk-enums.h"
#include "lk-prediction.h"

/* How far before the job's creation predictions are searched, for a
 * clock a little off from Replicate's. */
#define CLOCK_MARGIN_SECONDS (10 * 60)

/* Finding unfinished jobs ------------------------------------------------- */

/**
 * lk_batch_find_unfinished:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the portrait
 *   jobs that did not end, oldest first, or %NULL with @error set
 */
GArray *
lk_batch_find_unfinished (LkStore  *store,
                          GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  return lk_store_list_unfinished_jobs (store, LK_JOB_KIND_PORTRAIT, error);
}

static void
find_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GArray *ids = lk_batch_find_unfinished (task_data, &error);

  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

/**
 * lk_batch_find_unfinished_async:
 *
 * Like lk_batch_find_unfinished(), off the main thread, for the app's
 * start.
 */
void
lk_batch_find_unfinished_async (LkStore             *store,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_find_unfinished_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, find_in_thread);
}

/**
 * lk_batch_find_unfinished_finish:
 *
 * Returns: (transfer full) (element-type gint64): the job ids
 */
GArray *
lk_batch_find_unfinished_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_find_unfinished_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Loading a job ----------------------------------------------------------- */

typedef struct
{
  LkClient    *client;
  LkStore     *store;
  LkCatalog   *catalog;
  LkBudget    *budget;
  gint64       job_id;
  /* Whether the job is to have ended (reopened to retry what it missed)
   * rather than to have been cut short (resumed). */
  gboolean     ended;

  /* Read on a worker. */
  LkJobRecord *job;
  GPtrArray   *records;
  gint64       spent;

  /* Built on the main context. */
  LkBatch     *batch;
  GPtrArray   *items;
  GPtrArray   *references;
  GPtrArray   *orphans;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->client);
  g_clear_object (&load->store);
  g_clear_object (&load->catalog);
  g_clear_object (&load->budget);
  g_clear_pointer (&load->job, lk_job_record_free);
  g_clear_pointer (&load->records, g_ptr_array_unref);
  g_clear_object (&load->batch);
  g_clear_pointer (&load->items, g_ptr_array_unref);
  g_clear_pointer (&load->references, g_ptr_array_unref);
  g_clear_pointer (&load->orphans, g_ptr_array_unref);
  g_free (load);
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Load *load = task_data;
  GError *error = NULL;

  if (!(load->job = lk_store_get_job (load->store, load->job_id, &error)) ||
      !(load->records = lk_store_list_items (load->store, load->job_id, &error)) ||
      !lk_store_get_job_spent (load->store, load->job_id, &load->spent, &error))
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_set_error (&error, LK_BATCH_ERROR, LK_BATCH_ERROR_NOT_FOUND,
                       _("There is no job %" G_GINT64_FORMAT " in the history."), load->job_id);
        }
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
parse_settings (Load             *load,
                LkQualityPreset  *preset,
                guint            *concurrency,
                GPtrArray       **recipes,
                GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GEnumClass) presets = g_type_class_ref (LK_TYPE_QUALITY_PRESET);
  JsonObject *settings;
  JsonArray *references;
  JsonArray *items;
  GEnumValue *value;

  if (!json_parser_load_from_data (parser, load->job->settings, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;

  settings = json_node_get_object (json_parser_get_root (parser));
  references = json_object_get_array_member (settings, "references");
  items = json_object_get_array_member (settings, "items");
  value = g_enum_get_value_by_nick (presets, json_object_get_string_member_with_default (settings, "preset", ""));
  if (references == NULL || items == NULL || value == NULL)
    goto invalid;
  /* A job of a trained model has no reference photo; any other needs one. */
  if (!lk_batch_trained_load (load->batch, settings, error))
    return FALSE;
  if (json_array_get_length (references) == 0 && lk_batch_get_trained_model (load->batch) == NULL)
    goto invalid;

  *preset = value->value;
  *concurrency = json_object_get_int_member_with_default (settings, "concurrency", LK_BATCH_DEFAULT_CONCURRENCY);

  load->references = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_batch_reference_free);
  for (guint i = 0; i < json_array_get_length (references); i++)
    {
      JsonObject *reference = json_array_get_object_element (references, i);
      const char *path = reference != NULL ? json_object_get_string_member_with_default (reference, "path", NULL) : NULL;
      const char *sha256 = reference != NULL ? json_object_get_string_member_with_default (reference, "sha256", NULL) : NULL;

      if (path == NULL)
        goto invalid;
      g_ptr_array_add (load->references, lk_batch_reference_new (NULL, path, sha256));
    }

  *recipes = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_batch_recipe_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      LkBatchRecipe *recipe = item != NULL ? lk_batch_recipe_new_from_json (item) : NULL;

      if (recipe == NULL)
        goto invalid;
      g_ptr_array_add (*recipes, recipe);
    }

  return TRUE;

invalid:
  g_set_error (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NOT_FOUND,
               _("Job %" G_GINT64_FORMAT " cannot be resumed: its settings are damaged."), load->job_id);
  return FALSE;
}

static guint
chain_index (GPtrArray  *chain,
             const char *model)
{
  for (guint i = 0; model != NULL && i < chain->len; i++)
    if (g_str_equal (lk_model_get_id (g_ptr_array_index (chain, i)), model))
      return i;

  return 0;
}

static LkPrediction *
stub_prediction (const char *id,
                 const char *model,
                 const char *status)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "model", model);
  json_object_set_string_member (object, "status", status);
  return lk_prediction_new_from_json (LK_PREDICTION_KIND_PREDICTION, object, NULL);
}

/* Sets an item up as its record says; returns whether it may have a
 * create in flight that was never recorded. */
static gboolean
restore_item (LkBatchItem        *item,
              const LkItemRecord *record,
              GPtrArray          *chain)
{
  const char *model_id = record->prediction_model != NULL ? record->prediction_model
                         : record->fallback_model != NULL ? record->fallback_model : record->model;
  guint index = chain_index (chain, model_id);
  gboolean succeeded = g_strcmp0 (record->prediction_status, "succeeded") == 0;
  /* Polled again: a prediction not known to have ended, and one that
   * succeeded before its output was recorded. */
  gboolean poll = !record->prediction_completed || (succeeded && record->output_url == NULL);
  g_autoptr(LkPrediction) live = NULL;

  lk_batch_item_set_id (item, record->id);
  lk_batch_item_set_attempts (item, record->attempts);
  lk_batch_item_set_chain_index (item, index);
  if (index < chain->len)
    lk_batch_item_set_model (item, g_ptr_array_index (chain, index), index > 0);
  if (record->attempts > 0)
    lk_batch_item_set_seed (item, lk_batch_input_seed (lk_batch_item_get_base_seed (item), record->attempts - 1));

  if (record->prediction_id != NULL)
    live = stub_prediction (record->prediction_id, model_id, poll ? "processing" : record->prediction_status);
  lk_batch_item_set_live (item, live);
  if (succeeded && record->output_url != NULL && record->output_path == NULL)
    lk_batch_item_set_output_url (item, record->output_url, record->output_id);

  /* A saved image makes the item done, even when the process ended
   * before it wrote the item's state. */
  if (succeeded && record->output_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (record->output_path);

      lk_batch_item_set_output_file (item, file);
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_DONE);
      return FALSE;
    }

  switch (record->state)
    {
    case LK_ITEM_STATE_SUCCEEDED:
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_DONE);
      return FALSE;

    case LK_ITEM_STATE_FAILED:
      lk_batch_item_set_error (item, record->last_error);
      lk_batch_item_set_state (item, succeeded && record->output_path == NULL ? LK_BATCH_ITEM_STATE_EXPIRED
                                                                            : LK_BATCH_ITEM_STATE_FAILED);
      return FALSE;

    case LK_ITEM_STATE_CANCELED:
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_CANCELED);
      return FALSE;

    case LK_ITEM_STATE_RUNNING:
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_QUEUED);
      return record->prediction_id == NULL || (!poll && !succeeded);

    case LK_ITEM_STATE_QUEUED:
    default:
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_QUEUED);
      return FALSE;
    }
}

static void
record_done (Load        *load,
             LkBatchItem *item)
{
  g_autoptr(GError) error = NULL;

  if (!lk_store_set_item_state (load->store, lk_batch_item_get_id (item), LK_ITEM_STATE_SUCCEEDED, NULL, NULL, &error))
    g_warning ("Could not record a saved image: %s", error->message);
}

static gboolean
build_items (Load    *load,
             GError **error)
{
  g_autoptr(GPtrArray) recipes = NULL;
  GPtrArray *chain = lk_batch_get_chain (load->batch);
  LkQualityPreset preset;
  guint concurrency;

  if (!parse_settings (load, &preset, &concurrency, &recipes, error))
    return FALSE;

  load->items = g_ptr_array_new_with_free_func (g_object_unref);
  load->orphans = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < load->records->len; i++)
    {
      LkItemRecord *record = g_ptr_array_index (load->records, i);
      LkBatchItem *item;

      if (record->position >= recipes->len || recipes->pdata[record->position] == NULL)
        {
          g_set_error (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NOT_FOUND,
                       _("Job %" G_GINT64_FORMAT " cannot be resumed: its settings are damaged."), load->job_id);
          return FALSE;
        }

      item = lk_batch_item_new (record->position, g_steal_pointer (&recipes->pdata[record->position]),
                                record->seed,
                                load->references->len > 0 ? record->position % load->references->len : 0);
      g_ptr_array_add (load->items, item);
      if (restore_item (item, record, chain))
        g_ptr_array_add (load->orphans, g_object_ref (item));
      else if (lk_batch_item_get_state (item) == LK_BATCH_ITEM_STATE_DONE && record->state != LK_ITEM_STATE_SUCCEEDED)
        record_done (load, item);
    }

  lk_batch_restore (load->batch, load->job, preset, concurrency, load->items,
                    g_steal_pointer (&load->references), load->spent);
  return TRUE;
}

/* The reference URL an orphan's create sent, from the recorded upload. */
static char *
orphan_reference_url (Load        *load,
                      LkBatchItem *item)
{
  GPtrArray *references = lk_batch_get_references (load->batch);
  LkBatchReference *reference;
  g_autoptr(LkUpload) upload = NULL;
  g_autoptr(GError) error = NULL;

  if (references->len == 0)
    return NULL;

  reference = g_ptr_array_index (references, lk_batch_item_get_reference (item));
  if (reference->sha256 == NULL)
    return NULL;

  upload = lk_store_find_upload (load->store, reference->sha256, NULL, &error);
  if (error != NULL)
    g_warning ("Could not look up an upload: %s", error->message);

  return upload != NULL ? g_strdup (upload->url) : NULL;
}

/* Looks for the prediction an orphan's lost create made with the trained
 * version: Replicate names the version's model, not the runner's. */
static LkPrediction *
find_trained_orphan (Load        *load,
                     LkBatchItem *item,
                     GPtrArray   *predictions,
                     gint64       seed)
{
  GPtrArray *chain = lk_batch_get_chain (load->batch);
  const char *version = lk_trained_model_get_version (lk_batch_get_trained_model (load->batch));
  g_autoptr(JsonObject) input = NULL;

  if (chain->len == 0 ||
      !(input = lk_batch_trained_build_input (load->batch, g_ptr_array_index (chain, 0),
                                              lk_batch_item_get_recipe (item), seed, NULL)))
    return NULL;

  for (guint i = 0; i < predictions->len; i++)
    {
      LkPrediction *prediction = g_ptr_array_index (predictions, i);
      JsonObject *listed = lk_prediction_get_input (prediction);

      if (g_strcmp0 (lk_prediction_get_version (prediction), version) == 0 &&
          listed != NULL && json_object_equal (listed, input))
        return prediction;
    }

  return NULL;
}

/* Looks for the prediction an orphan's lost create made, on every model
 * of the chain from the one it was at. */
static LkPrediction *
find_orphan (Load        *load,
             LkBatchItem *item,
             GPtrArray   *predictions)
{
  GPtrArray *chain = lk_batch_get_chain (load->batch);
  g_autofree char *url = NULL;
  gint64 seed = lk_batch_input_seed (lk_batch_item_get_base_seed (item), lk_batch_item_get_attempts (item));

  if (lk_batch_get_trained_model (load->batch) != NULL)
    return find_trained_orphan (load, item, predictions, seed);

  url = orphan_reference_url (load, item);
  for (guint i = lk_batch_item_get_chain_index (item); url != NULL && i < chain->len; i++)
    {
      LkModel *model = g_ptr_array_index (chain, i);
      g_autoptr(JsonObject) input = lk_batch_input_build (model, lk_batch_get_preset (load->batch),
                                                          lk_batch_item_get_recipe (item), url, seed, NULL);
      LkPrediction *found = input != NULL ? lk_batch_input_find (predictions, model, input) : NULL;

      if (found != NULL)
        {
          lk_batch_item_set_chain_index (item, i);
          lk_batch_item_set_model (item, model, i > 0);
          return found;
        }
    }

  return NULL;
}

/* Records a prediction found for an orphan. It is polled again like any
 * prediction whose end was not recorded: it may have ended already. */
static gboolean
adopt_orphan (Load          *load,
              LkBatchItem   *item,
              LkPrediction  *prediction,
              GError       **error)
{
  GPtrArray *chain = lk_batch_get_chain (load->batch);
  LkModel *model = g_ptr_array_index (chain, lk_batch_item_get_chain_index (item));
  g_autoptr(LkPrediction) stub = NULL;
  LkPredictionSpec spec = {
    .id = lk_prediction_get_id (prediction),
    .item_id = lk_batch_item_get_id (item),
    .model = lk_model_get_id (model),
    .version = lk_prediction_get_version (prediction),
    .status = "starting",
  };

  g_debug ("Item %u: adopted prediction %s, created before the crash", lk_batch_item_get_index (item), spec.id);
  if (!lk_store_add_prediction (load->store, &spec, 0, error))
    return FALSE;

  stub = stub_prediction (spec.id, spec.model, "processing");
  lk_batch_item_set_attempts (item, lk_batch_item_get_attempts (item) + 1);
  lk_batch_item_set_live (item, stub);
  return TRUE;
}

static void
finish_load (GTask *task)
{
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lk_store_release_open_reservations (load->store, load->job_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Re-attaching and saving spend nothing new: they start now, while the
   * batch waits for lk_batch_resume() to create anything. */
  for (guint i = 0; i < load->items->len; i++)
    {
      LkBatchItem *item = g_ptr_array_index (load->items, i);
      LkPrediction *live = lk_batch_item_get_live (item);

      if (lk_batch_item_get_finished (item))
        continue;

      if ((live != NULL && !lk_prediction_is_terminal (live)) ||
          lk_batch_item_get_output_url (item) != NULL)
        lk_batch_reattach (load->batch, item);
    }

  g_task_return_pointer (task, g_object_ref (load->batch), g_object_unref);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GPtrArray) predictions = NULL;
  g_autoptr(GError) error = NULL;

  /* Without the list it cannot be told whether the lost creates
   * happened; resuming would risk making them twice. */
  if (!(predictions = lk_client_list_predictions_finish (LK_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < load->orphans->len; i++)
    {
      LkBatchItem *item = g_ptr_array_index (load->orphans, i);
      LkPrediction *found = find_orphan (load, item, predictions);

      /* Unrecorded, a found prediction would be made again. */
      if (found != NULL && !adopt_orphan (load, item, found, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  finish_load (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) since = NULL;
  GCancellable *cancellable;
  gboolean ended;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (load->job->kind != LK_JOB_KIND_PORTRAIT)
    {
      g_task_return_new_error (task, LK_BATCH_ERROR, LK_BATCH_ERROR_NOT_FOUND,
                               _("Job %" G_GINT64_FORMAT " is not a portrait job."), load->job_id);
      return;
    }

  ended = load->job->state == LK_JOB_STATE_FINISHED || load->job->state == LK_JOB_STATE_CANCELED;
  if (ended && !load->ended)
    {
      g_task_return_new_error (task, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE,
                               _("Job %" G_GINT64_FORMAT " has ended; there is nothing to resume."), load->job_id);
      return;
    }
  /* Another process may be running it: only resuming may take it over. */
  if (!ended && load->ended)
    {
      g_task_return_new_error (task, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE,
                               _("Job %" G_GINT64_FORMAT " has not ended yet. Resume it to make the rest."),
                               load->job_id);
      return;
    }

  load->batch = lk_batch_new (load->client, load->store, load->catalog, load->budget);
  if (!build_items (load, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (load->orphans->len == 0)
    {
      finish_load (task);
      return;
    }

  created = g_date_time_new_from_unix_utc (load->job->created);
  since = g_date_time_add_seconds (created, -CLOCK_MARGIN_SECONDS);
  cancellable = g_task_get_cancellable (task);
  lk_client_list_predictions_async (load->client, since, cancellable, listed_cb, g_steal_pointer (&task));
}

static void
load_job (LkClient            *client,
          LkStore             *store,
          LkCatalog           *catalog,
          LkBudget            *budget,
          gint64               job_id,
          gboolean             ended,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read = NULL;
  Load *load;

  /* The checks of both public functions. */
  g_return_if_fail (LK_IS_CLIENT (client));
  g_return_if_fail (LK_IS_STORE (store));
  g_return_if_fail (LK_IS_CATALOG (catalog));
  g_return_if_fail (LK_IS_BUDGET (budget));

  /* Both ways of loading end in lk_batch_load_finish(). */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_load_async);
  load = g_new0 (Load, 1);
  load->client = g_object_ref (client);
  load->store = g_object_ref (store);
  load->catalog = g_object_ref (catalog);
  load->budget = g_object_ref (budget);
  load->job_id = job_id;
  load->ended = ended;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  read = g_task_new (NULL, cancellable, read_cb, g_steal_pointer (&task));
  g_task_set_task_data (read, load, NULL);
  g_task_run_in_thread (read, read_in_thread);
}

/**
 * lk_batch_load_async:
 * @job_id: a portrait job from lk_batch_find_unfinished()
 *
 * Rebuilds a job cut short as a paused batch, and re-attaches at once the
 * predictions it had under way and saves the images they made; nothing
 * new is created before lk_batch_resume().
 */
void
lk_batch_load_async (LkClient            *client,
                     LkStore             *store,
                     LkCatalog           *catalog,
                     LkBudget            *budget,
                     gint64               job_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  load_job (client, store, catalog, budget, job_id, FALSE, cancellable, callback, user_data);
}

/**
 * lk_batch_load_ended_async:
 * @job_id: a portrait job that finished or was canceled
 *
 * Rebuilds a job that ended as a paused batch, with the items it saved
 * done and the others failed, expired or canceled as they ended, so that
 * lk_batch_retry_missing() and lk_batch_resume() make what it missed.
 * Nothing is created before then. Finish with lk_batch_load_finish().
 */
void
lk_batch_load_ended_async (LkClient            *client,
                           LkStore             *store,
                           LkCatalog           *catalog,
                           LkBudget            *budget,
                           gint64               job_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  load_job (client, store, catalog, budget, job_id, TRUE, cancellable, callback, user_data);
}

/**
 * lk_batch_load_finish:
 *
 * Finishes lk_batch_load_async() and lk_batch_load_ended_async().
 *
 * Returns: (transfer full): the batch, paused, or %NULL with @error set
 */
LkBatch *
lk_batch_load_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
