/* lk-batch-scheduler.c: the pool of slots of a batch, its state and
 * clock, and the actions that start, pause, cancel and retry items.
 *
 * The pool keeps `concurrency` items under way: the moment one item's
 * prediction ends, the next queued item starts, with no batches and no
 * pauses between them. An item holds its slot from its create until its
 * prediction succeeded (the download then runs beside the slots) or the
 * item ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include "lk-batch-private.h"
#include "lk-prediction.h"

/* State and time ---------------------------------------------------------- */

void
lk_batch_stop_tick (LkBatch *self)
{
  if (self->tick != NULL)
    g_source_destroy (self->tick);
  g_clear_pointer (&self->tick, g_source_unref);
}

static gboolean
tick_cb (gpointer user_data)
{
  LkBatch *self = user_data;

  lk_batch_notify (self, LK_BATCH_PROP_ELAPSED);
  lk_batch_notify (self, LK_BATCH_PROP_ETA_SECONDS);
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
      lk_batch_stop_tick (self);
      lk_batch_notify (self, LK_BATCH_PROP_ELAPSED);
      lk_batch_notify (self, LK_BATCH_PROP_ETA_SECONDS);
    }
}

/* Sets the state, and writes it to the store when @record. */
void
lk_batch_set_state (LkBatch    *self,
                    LkJobState  state,
                    gboolean    record)
{
  g_autoptr(GError) error = NULL;

  if (self->state == state)
    return;

  if (record && self->job_id != 0 && !lk_store_set_job_state (self->store, self->job_id, state, &error))
    g_warning ("Could not record the state of job %" G_GINT64_FORMAT ": %s", self->job_id, error->message);

  self->state = state;
  lk_batch_notify (self, LK_BATCH_PROP_STATE);
  lk_batch_notify (self, LK_BATCH_PROP_ETA_SECONDS);
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
void
lk_batch_check_settled (LkBatch *self)
{
  if (self->state == LK_JOB_STATE_RUNNING && !lk_batch_get_busy (self) && count_unfinished (self) == 0)
    lk_batch_set_state (self, LK_JOB_STATE_FINISHED, TRUE);

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
      lk_batch_notify (self, LK_BATCH_PROP_N_DONE);
    }
  if (self->n_failed != failed)
    {
      self->n_failed = failed;
      lk_batch_notify (self, LK_BATCH_PROP_N_FAILED);
    }
  if (self->n_canceled != canceled)
    {
      self->n_canceled = canceled;
      lk_batch_notify (self, LK_BATCH_PROP_N_CANCELED);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Ties a new item to the batch's counts. */
void
lk_batch_watch_item (LkBatch     *self,
                     LkBatchItem *item)
{
  g_signal_connect_object (item, "notify::state", G_CALLBACK (item_state_cb), self, 0);
}

/* The pool ---------------------------------------------------------------- */

static void
update_busy (LkBatch *self)
{
  gboolean busy = lk_batch_get_busy (self);

  if (self->busy == busy)
    return;

  self->busy = busy;
  lk_batch_notify (self, LK_BATCH_PROP_BUSY);
}

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
  update_busy (self);

  lk_batch_pump (self);
  lk_batch_check_settled (self);
}

static void
run_item (LkBatch     *self,
          LkBatchItem *item)
{
  g_assert (!g_hash_table_contains (self->active, item));

  g_hash_table_add (self->active, item);
  self->busy_slots++;
  update_busy (self);

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

/* Marks the batch and the items waiting for it as uploading, and uploads
 * the references that have no live upload: all of them when a batch
 * starts, those that expired when a job resumes after a day. */
void
lk_batch_begin_upload (LkBatch             *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  self->uploading = TRUE;
  update_busy (self);
  set_items_uploading (self, TRUE);
  lk_batch_references_upload_async (self->client, self->store, self->references, cancellable, callback, user_data);
}

/* The end of an upload begun with lk_batch_begin_upload(). */
void
lk_batch_end_upload (LkBatch *self)
{
  self->uploading = FALSE;
  update_busy (self);
  set_items_uploading (self, FALSE);
}

static void
references_uploaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(LkBatch) self = user_data;
  g_autoptr(GError) error = NULL;

  lk_batch_end_upload (self);
  if (!lk_batch_references_upload_finish (result, &error))
    lk_batch_report_fatal (self, error);

  lk_batch_pump (self);
  lk_batch_check_settled (self);
}

/* Fills the free slots with queued items, in order. */
void
lk_batch_pump (LkBatch *self)
{
  LkBatchItem *item;

  if (self->state != LK_JOB_STATE_RUNNING || self->uploading)
    return;

  if (next_queued (self) != NULL && !references_ready (self))
    {
      lk_batch_begin_upload (self, NULL, references_uploaded_cb, g_object_ref (self));
      return;
    }

  while (self->busy_slots < self->concurrency && (item = next_queued (self)) != NULL)
    run_item (self, item);
}

void
lk_batch_release_slot (LkBatch     *self,
                       LkBatchItem *item)
{
  g_assert (self->busy_slots > 0);

  self->busy_slots--;
  lk_batch_pump (self);
}

void
lk_batch_report_budget (LkBatch               *self,
                        const LkBudgetVerdict *verdict)
{
  g_autofree char *message = lk_budget_verdict_describe (verdict);

  lk_batch_set_string (self, &self->budget_message, message, LK_BATCH_PROP_BUDGET_MESSAGE);
  /* The store wrote the state when it refused the reservation. */
  if (self->state == LK_JOB_STATE_RUNNING)
    lk_batch_set_state (self, LK_JOB_STATE_BUDGET_REACHED, FALSE);
}

/* A problem no other item would escape (the token, billing, the store):
 * nothing new starts until the person resumes. */
void
lk_batch_report_fatal (LkBatch      *self,
                       const GError *error)
{
  g_debug ("Job %" G_GINT64_FORMAT " stopped: %s", self->job_id, error->message);
  lk_batch_set_string (self, &self->error_message, error->message, LK_BATCH_PROP_ERROR_MESSAGE);
  if (self->state == LK_JOB_STATE_RUNNING)
    lk_batch_set_state (self, LK_JOB_STATE_PAUSED, TRUE);
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
    lk_batch_watch_item (self, g_ptr_array_index (items, i));
  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);
  item_state_cb (NULL, NULL, self);

  self->state = LK_JOB_STATE_PAUSED;
  lk_batch_notify (self, LK_BATCH_PROP_JOB_ID);
  lk_batch_notify (self, LK_BATCH_PROP_STATE);
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

  lk_batch_set_state (self, LK_JOB_STATE_PAUSED, TRUE);
  lk_batch_check_settled (self);
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

  lk_batch_set_string (self, &self->budget_message, NULL, LK_BATCH_PROP_BUDGET_MESSAGE);
  lk_batch_set_string (self, &self->error_message, NULL, LK_BATCH_PROP_ERROR_MESSAGE);
  lk_batch_set_state (self, LK_JOB_STATE_RUNNING, TRUE);
  lk_batch_pump (self);
  lk_batch_check_settled (self);
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

  lk_batch_set_state (self, LK_JOB_STATE_CANCELED, TRUE);
  n_items = lk_batch_get_n_items (self);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      cancel_one (self, item);
    }

  lk_batch_check_settled (self);
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
  lk_batch_check_settled (self);
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
    lk_batch_set_state (self, LK_JOB_STATE_RUNNING, TRUE);

  lk_batch_pump (self);
  return TRUE;
}

/* Retries every item that ended without its image: failed and expired
 * ones, and with @canceled canceled ones too. */
static guint
retry_unsaved (LkBatch  *self,
               gboolean  canceled)
{
  guint n_items = lk_batch_get_n_items (self);
  guint n = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      LkBatchItemState state = lk_batch_item_get_state (item);

      if ((state == LK_BATCH_ITEM_STATE_FAILED || state == LK_BATCH_ITEM_STATE_EXPIRED ||
           (canceled && state == LK_BATCH_ITEM_STATE_CANCELED)) &&
          lk_batch_retry_item (self, item))
        n++;
    }

  return n;
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
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return retry_unsaved (self, FALSE);
}

/**
 * lk_batch_retry_missing:
 *
 * Retries every item without a saved image: failed, expired and
 * canceled ones. A batch from lk_batch_load_ended_async() stays paused
 * until lk_batch_resume().
 *
 * Returns: how many items were queued again
 */
guint
lk_batch_retry_missing (LkBatch *self)
{
  g_return_val_if_fail (LK_IS_BATCH (self), 0);

  return retry_unsaved (self, TRUE);
}
