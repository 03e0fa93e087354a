/* lk-batch-runner.c: one item of a batch, from the budget check before
 * its create to its image saved on disk, down the model chain if need be.
 *
 * What happens after each kind of failure:
 *  - 429, 5xx, the network, an aborted run: the same model again, at most
 *    LK_BATCH_MAX_ATTEMPTS times in all, after a backoff that honours
 *    Retry-After. LkClient already retries requests that are safe to
 *    repeat; this is for failures it hands back. Before sending a create
 *    again after an answer was lost, the predictions made meanwhile are
 *    searched for it by its input (every prediction has a seed of its
 *    own), so nothing is created twice.
 *  - the model is missing (404) or its version refused (422 "Invalid
 *    version"): the next model of the chain, and no other item of the
 *    batch tries that model again.
 *  - the run failed on the model's side: the next model of the chain,
 *    except after a content filter (NSFW), which fails the item with its
 *    reason: another model would only be asked the same thing.
 *  - the input was refused (422 with fields): the item fails with the
 *    reason.
 *  - the token or billing (401, 402), or a store that cannot be written:
 *    the batch pauses with the reason, and the item waits in the queue.
 *
 * Every prediction id is written to the store as soon as the create
 * answers, before anything else is done with it; the create is not
 * cancellable, so that a cancel never leaves a prediction unknown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-batch-private.h"
#include "lk-prediction.h"

#define BACKOFF_FIRST 1.0
#define BACKOFF_MAX 60.0

/* How far back to look for a prediction whose create answer was lost:
 * wide enough for a clock that is a few minutes off. */
#define RECONCILE_WINDOW_SECONDS (10 * 60)

typedef struct
{
  LkBatch      *batch;
  LkBatchItem  *item;
  LkModel      *model;
  guint         transient;
  gint64        reservation;
  JsonObject   *input;
  char         *last_failure;
  gboolean      slot_held;
  void        (*after_backoff) (GTask *task);
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->batch);
  g_clear_object (&run->item);
  g_clear_object (&run->model);
  g_clear_pointer (&run->input, json_object_unref);
  g_free (run->last_failure);
  g_free (run);
}

static void create_next (GTask *task);
static void watch (GTask *task);
static void download (GTask *task);

static LkBatch *
run_batch (GTask *task)
{
  return ((Run *) g_task_get_task_data (task))->batch;
}

static void
release_slot (Run *run)
{
  if (!run->slot_held)
    return;

  run->slot_held = FALSE;
  lk_batch_release_slot (run->batch, run->item);
}

static void
store_item_state (Run         *run,
                  LkItemState  state,
                  const char  *message)
{
  g_autoptr(GError) error = NULL;
  const char *fallback = lk_batch_item_get_fallback_used (run->item) ? lk_batch_item_get_model (run->item) : NULL;

  if (!lk_store_set_item_state (lk_batch_get_store (run->batch), lk_batch_item_get_id (run->item),
                                state, fallback, message, &error))
    g_warning ("Could not record the state of item %u: %s", lk_batch_item_get_index (run->item), error->message);
}

/* What an item shows, and what the store keeps, after each outcome. */
static const struct
{
  LkBatchItemState shown;
  LkItemState      stored;
} ends[] = {
  [LK_BATCH_OUTCOME_DONE] = { LK_BATCH_ITEM_STATE_DONE, LK_ITEM_STATE_SUCCEEDED },
  [LK_BATCH_OUTCOME_FAILED] = { LK_BATCH_ITEM_STATE_FAILED, LK_ITEM_STATE_FAILED },
  [LK_BATCH_OUTCOME_CANCELED] = { LK_BATCH_ITEM_STATE_CANCELED, LK_ITEM_STATE_CANCELED },
  [LK_BATCH_OUTCOME_EXPIRED] = { LK_BATCH_ITEM_STATE_EXPIRED, LK_ITEM_STATE_FAILED },
  [LK_BATCH_OUTCOME_BUDGET] = { LK_BATCH_ITEM_STATE_QUEUED, LK_ITEM_STATE_QUEUED },
  [LK_BATCH_OUTCOME_DEFERRED] = { LK_BATCH_ITEM_STATE_QUEUED, LK_ITEM_STATE_QUEUED },
  /* The batch stopped; the item did nothing wrong and goes on with it. */
  [LK_BATCH_OUTCOME_FATAL] = { LK_BATCH_ITEM_STATE_QUEUED, LK_ITEM_STATE_QUEUED },
};

/* Ends the run; @message says why an item failed or expired. */
static void
finish (GTask          *task,
        LkBatchOutcome  outcome,
        const char     *message)
{
  Run *run = g_task_get_task_data (task);

  release_slot (run);

  if (ends[outcome].shown != LK_BATCH_ITEM_STATE_QUEUED)
    lk_batch_item_set_error (run->item, message);
  lk_batch_item_set_state (run->item, ends[outcome].shown);
  store_item_state (run, ends[outcome].stored, lk_batch_item_get_error_message (run->item));

  g_task_return_int (task, outcome);
  g_object_unref (task);
}

static void
finish_error (GTask          *task,
              LkBatchOutcome  outcome,
              const GError   *error)
{
  if (outcome == LK_BATCH_OUTCOME_FATAL)
    lk_batch_report_fatal (run_batch (task), error);

  finish (task, outcome, error->message);
}

static gboolean
is_cancelled (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  return g_cancellable_is_cancelled (lk_batch_item_get_cancellable (run->item));
}

/* Backing off -------------------------------------------------------------- */

static double
backoff_seconds (guint         transient,
                 const GError *error)
{
  double delay = MIN (BACKOFF_FIRST * (1u << MIN (transient - 1, 6u)), BACKOFF_MAX);
  double retry_after = error != NULL ? lk_client_error_get_retry_after (error) : -1;

  /* A little jitter, so that slots throttled together do not all come
   * back in the same instant. */
  delay *= g_random_double_range (0.8, 1.2);
  return MAX (delay, retry_after);
}

static void
backed_off_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  if (!lk_batch_sleep_finish (result, NULL))
    {
      finish (task, LK_BATCH_OUTCOME_CANCELED, NULL);
      return;
    }

  run->after_backoff (task);
}

/* Counts a passing failure: the item fails once it had its share;
 * otherwise @next runs after the backoff. */
static void
back_off (GTask         *task,
          const GError  *error,
          void         (*next) (GTask *task))
{
  Run *run = g_task_get_task_data (task);

  if (++run->transient >= LK_BATCH_MAX_ATTEMPTS)
    {
      finish (task, LK_BATCH_OUTCOME_FAILED, error->message);
      return;
    }

  g_debug ("Item %u: %s; again in a moment", lk_batch_item_get_index (run->item), error->message);
  run->after_backoff = next;
  lk_batch_sleep_async (backoff_seconds (run->transient, error), lk_batch_item_get_cancellable (run->item),
                        backed_off_cb, task);
}

/* Ending a prediction ------------------------------------------------------ */

static gboolean
is_content_filter (const char *message)
{
  g_autofree char *folded = message != NULL ? g_utf8_strdown (message, -1) : NULL;

  return folded != NULL &&
         (strstr (folded, "nsfw") != NULL || strstr (folded, "sensitive") != NULL ||
          strstr (folded, "safety") != NULL || strstr (folded, "content filter") != NULL);
}

static void
record_end (Run          *run,
            LkPrediction *prediction)
{
  g_autoptr(GError) error = NULL;
  GDateTime *created = lk_prediction_get_created_at (prediction);
  GDateTime *completed = lk_prediction_get_completed_at (prediction);
  const char * const *outputs = lk_prediction_get_outputs (prediction);
  LkPredictionStatus status = lk_prediction_get_status (prediction);
  const char *status_nick = status == LK_PREDICTION_STATUS_SUCCEEDED ? "succeeded" :
                            status == LK_PREDICTION_STATUS_FAILED ? "failed" :
                            status == LK_PREDICTION_STATUS_CANCELED ? "canceled" : "aborted";
  double predict_time = MAX (lk_prediction_get_predict_time (prediction), 0);
  gint64 cost;

  if (status == LK_PREDICTION_STATUS_SUCCEEDED && created != NULL && completed != NULL)
    lk_batch_add_run_time (run->batch, run->model,
                           g_date_time_difference (completed, created) / (double) G_TIME_SPAN_SECOND);

  cost = lk_model_actual_cost (run->model, status_nick, outputs != NULL ? g_strv_length ((char **) outputs) : 0,
                               predict_time);
  if (!lk_store_finish_prediction (lk_batch_get_store (run->batch), lk_prediction_get_id (prediction),
                                   status_nick, predict_time, lk_prediction_get_error (prediction),
                                   cost, NULL, &error))
    g_warning ("Could not record the end of prediction %s: %s", lk_prediction_get_id (prediction), error->message);
  else
    lk_batch_update_spent (run->batch);
}

static void
succeeded (GTask        *task,
           LkPrediction *prediction)
{
  Run *run = g_task_get_task_data (task);
  const char * const *outputs = lk_prediction_get_outputs (prediction);
  g_autoptr(GError) error = NULL;
  gint64 output_id;

  if (outputs == NULL || outputs[0] == NULL)
    {
      finish (task, LK_BATCH_OUTCOME_FAILED, _("The model finished without an image. Try again."));
      return;
    }

  output_id = lk_store_add_output (lk_batch_get_store (run->batch), lk_prediction_get_id (prediction), 0,
                                   outputs[0], &error);
  if (output_id <= 0)
    {
      finish_error (task, LK_BATCH_OUTCOME_FATAL, error);
      return;
    }

  lk_batch_item_set_output_url (run->item, outputs[0], output_id);
  download (task);
}

static void
ended (GTask        *task,
       LkPrediction *prediction)
{
  Run *run = g_task_get_task_data (task);
  const char *model_error = lk_prediction_get_error (prediction);
  g_autoptr(GError) error = NULL;

  /* The next item starts before this one's end is written down. */
  if (lk_prediction_get_status (prediction) == LK_PREDICTION_STATUS_SUCCEEDED)
    release_slot (run);

  record_end (run, prediction);

  switch (lk_prediction_get_status (prediction))
    {
    case LK_PREDICTION_STATUS_SUCCEEDED:
      succeeded (task, prediction);
      break;

    case LK_PREDICTION_STATUS_FAILED:
      g_free (run->last_failure);
      run->last_failure = model_error != NULL && *model_error != '\0'
        ? g_strdup_printf (_("%s failed: %s"), lk_model_get_name (run->model), model_error)
        : g_strdup_printf (_("%s failed without saying why."), lk_model_get_name (run->model));

      if (is_content_filter (model_error))
        {
          finish (task, LK_BATCH_OUTCOME_FAILED, run->last_failure);
          break;
        }

      lk_batch_item_set_chain_index (run->item, lk_batch_item_get_chain_index (run->item) + 1);
      run->transient = 0;
      create_next (task);
      break;

    case LK_PREDICTION_STATUS_ABORTED:
      error = g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_ABORTED, _("Replicate stopped %s before it ran."),
                           lk_model_get_name (run->model));
      back_off (task, error, create_next);
      break;

    case LK_PREDICTION_STATUS_CANCELED:
      finish (task, LK_BATCH_OUTCOME_CANCELED, NULL);
      break;

    case LK_PREDICTION_STATUS_STARTING:
    case LK_PREDICTION_STATUS_PROCESSING:
    default:
      g_assert_not_reached ();
    }
}

/* Watching ----------------------------------------------------------------- */

static void
updated_cb (LkPrediction *prediction,
            gpointer      user_data)
{
  LkBatchItem *item = user_data;
  double progress = lk_prediction_get_progress (prediction);

  lk_batch_item_set_live (item, prediction);
  if (lk_prediction_is_terminal (prediction))
    return;

  if (lk_prediction_get_status (prediction) == LK_PREDICTION_STATUS_PROCESSING)
    {
      lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_GENERATING);
      lk_batch_item_set_progress (item, progress >= 0 ? progress : -1);
    }
}

static void
canceled_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  /* What a canceled prediction ran is charged: its end is recorded when
   * Replicate says it ended. */
  prediction = lk_client_get_prediction_finish (LK_CLIENT (object), result, &error);
  if (prediction != NULL && lk_prediction_is_terminal (prediction))
    record_end (run, prediction);
  else if (prediction == NULL)
    g_warning ("Could not read a canceled prediction back: %s", error->message);

  finish (task, LK_BATCH_OUTCOME_CANCELED, NULL);
}

static void
watched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;
  LkPrediction *live = lk_batch_item_get_live (run->item);

  prediction = lk_batch_watch_finish (result, &error);
  if (prediction != NULL)
    {
      ended (task, prediction);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lk_client_get_prediction_async (lk_batch_get_client (run->batch), LK_PREDICTION_KIND_PREDICTION,
                                      lk_prediction_get_id (live), NULL, canceled_state_cb, task);
      return;
    }

  /* Replicate could not be reached for a while: the prediction still
   * runs, so it is followed again, never created again. */
  back_off (task, error, watch);
}

static void
watch (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  LkPrediction *live = lk_batch_item_get_live (run->item);

  lk_batch_item_set_state (run->item, lk_prediction_get_status (live) == LK_PREDICTION_STATUS_PROCESSING
                                        ? LK_BATCH_ITEM_STATE_GENERATING : LK_BATCH_ITEM_STATE_STARTING);
  lk_batch_watch_async (lk_batch_get_client (run->batch), live,
                        lk_batch_get_expected_seconds (run->batch, run->model),
                        updated_cb, run->item, lk_batch_item_get_cancellable (run->item),
                        watched_cb, task);
}

/* Creating ----------------------------------------------------------------- */

static gboolean
adopt (GTask         *task,
       LkPrediction  *prediction,
       GError       **error)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *input_hash = lk_batch_input_hash (run->input);
  LkPredictionSpec spec = {
    .id = lk_prediction_get_id (prediction),
    .item_id = lk_batch_item_get_id (run->item),
    .model = lk_model_get_id (run->model),
    .version = lk_prediction_get_version (prediction),
    .status = "starting",
    .input_hash = input_hash,
  };

  if (!lk_store_add_prediction (lk_batch_get_store (run->batch), &spec, run->reservation, error))
    return FALSE;

  run->reservation = 0;
  lk_batch_item_set_attempts (run->item, lk_batch_item_get_attempts (run->item) + 1);
  lk_batch_item_set_live (run->item, prediction);
  return TRUE;
}

static void
release_reservation (Run *run)
{
  g_autoptr(GError) error = NULL;

  if (run->reservation > 0 && !lk_store_release (lk_batch_get_store (run->batch), run->reservation, &error))
    g_warning ("Could not release a budget reservation: %s", error->message);
  run->reservation = 0;
}

static void
unrecorded_canceled_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!lk_client_cancel_prediction_finish (LK_CLIENT (object), result, &error))
    g_warning ("Could not cancel a prediction the store could not record: %s", error->message);
}

static void
created (GTask        *task,
         LkPrediction *prediction)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!adopt (task, prediction, &error))
    {
      /* Unrecorded, it could neither be resumed nor accounted for. */
      lk_client_cancel_prediction_async (lk_batch_get_client (run->batch), prediction, NULL,
                                         unrecorded_canceled_cb, NULL);
      release_reservation (run);
      finish_error (task, LK_BATCH_OUTCOME_FATAL, error);
      return;
    }

  watch (task);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) predictions = NULL;
  g_autoptr(GError) error = NULL;
  const GError *create_error = g_object_get_data (G_OBJECT (task), "lk-batch-create-error");
  LkPrediction *found;

  predictions = lk_client_list_predictions_finish (LK_CLIENT (object), result, &error);
  found = predictions != NULL ? lk_batch_input_find (predictions, run->model, run->input) : NULL;
  if (found != NULL)
    {
      g_debug ("Item %u: found prediction %s after its create answer was lost",
               lk_batch_item_get_index (run->item), lk_prediction_get_id (found));
      created (task, found);
      return;
    }

  release_reservation (run);
  if (predictions == NULL)
    {
      /* Whether the create happened cannot be told: sending it again
       * could make a second prediction, so the item fails instead. */
      finish (task, LK_BATCH_OUTCOME_FAILED, create_error->message);
      return;
    }

  back_off (task, create_error, create_next);
}

static gboolean
is_invalid_version (const GError *error)
{
  /* Replicate's own words for a version that is gone or not allowed,
   * which the client passes on untranslated. */
  return g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT) &&
         strstr (error->message, "Invalid version") != NULL;
}

static void
create_failed (GTask  *task,
               GError *error)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) since = NULL;

  if (error->domain != LK_CLIENT_ERROR)
    {
      release_reservation (run);
      finish (task, LK_BATCH_OUTCOME_FAILED, error->message);
      return;
    }

  if (error->code == LK_CLIENT_ERROR_NOT_FOUND || is_invalid_version (error))
    {
      release_reservation (run);
      g_free (run->last_failure);
      run->last_failure = g_strdup (error->message);
      lk_batch_set_model_unavailable (run->batch, run->model);
      create_next (task);
      return;
    }

  switch ((LkClientError) error->code)
    {
    case LK_CLIENT_ERROR_UNAUTHORIZED:
    case LK_CLIENT_ERROR_PAYMENT_REQUIRED:
      release_reservation (run);
      finish_error (task, LK_BATCH_OUTCOME_FATAL, error);
      return;

    case LK_CLIENT_ERROR_RATE_LIMITED:
      /* A 429 is an answer: the create certainly did not happen. */
      release_reservation (run);
      back_off (task, error, create_next);
      return;

    case LK_CLIENT_ERROR_SERVER:
    case LK_CLIENT_ERROR_NETWORK:
    case LK_CLIENT_ERROR_TIMEOUT:
    case LK_CLIENT_ERROR_PROTOCOL:
      /* The answer was lost after the request went out, and the client
       * could not settle whether it was carried out. */
      now = g_date_time_new_now_utc ();
      since = g_date_time_add_seconds (now, -RECONCILE_WINDOW_SECONDS);
      g_object_set_data_full (G_OBJECT (task), "lk-batch-create-error", g_error_copy (error),
                              (GDestroyNotify) g_error_free);
      lk_client_list_predictions_async (lk_batch_get_client (run->batch), since, NULL, listed_cb, task);
      return;

    case LK_CLIENT_ERROR_NOT_FOUND:
    case LK_CLIENT_ERROR_TOO_LARGE:
    case LK_CLIENT_ERROR_INVALID_INPUT:
    case LK_CLIENT_ERROR_PREDICTION_FAILED:
    case LK_CLIENT_ERROR_ABORTED:
    case LK_CLIENT_ERROR_CANCELED:
    case LK_CLIENT_ERROR_INSECURE:
    default:
      release_reservation (run);
      finish (task, LK_BATCH_OUTCOME_FAILED, error->message);
      return;
    }
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  prediction = lk_client_create_prediction_finish (LK_CLIENT (object), result, &error);
  if (prediction == NULL)
    create_failed (task, error);
  else
    created (task, prediction);
}

/* The model of the chain the item is at, skipping those found missing. */
static LkModel *
current_model (Run *run)
{
  GPtrArray *chain = lk_batch_get_chain (run->batch);
  guint index = lk_batch_item_get_chain_index (run->item);

  while (index < chain->len && lk_batch_is_model_unavailable (run->batch, g_ptr_array_index (chain, index)))
    index++;

  lk_batch_item_set_chain_index (run->item, index);
  return index < chain->len ? g_ptr_array_index (chain, index) : NULL;
}

static void
create_next (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  LkBatch *batch = run->batch;
  LkModel *model;
  LkBudgetVerdict verdict = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *route = NULL;
  gint64 seed;

  if (is_cancelled (task))
    {
      finish (task, LK_BATCH_OUTCOME_CANCELED, NULL);
      return;
    }

  if (!lk_batch_may_create (batch))
    {
      finish (task, LK_BATCH_OUTCOME_DEFERRED, NULL);
      return;
    }

  if (!(model = current_model (run)))
    {
      finish (task, LK_BATCH_OUTCOME_FAILED,
              run->last_failure != NULL ? run->last_failure : _("No model of the chain could make this portrait."));
      return;
    }

  if (model != run->model)
    {
      g_set_object (&run->model, model);
      run->transient = 0;
    }

  lk_batch_item_set_model (run->item, model, lk_batch_item_get_chain_index (run->item) > 0);
  seed = lk_batch_input_seed (lk_batch_item_get_base_seed (run->item), lk_batch_item_get_attempts (run->item));
  lk_batch_item_set_seed (run->item, seed);

  g_clear_pointer (&run->input, json_object_unref);
  if (lk_batch_get_trained_model (batch) != NULL)
    run->input = lk_batch_trained_build_input (batch, model, lk_batch_item_get_recipe (run->item), seed, &error);
  else
    run->input = lk_batch_input_build (model, lk_batch_get_preset (batch), lk_batch_item_get_recipe (run->item),
                                       lk_batch_get_reference_url (batch, lk_batch_item_get_reference (run->item)),
                                       seed, &error);
  if (run->input == NULL)
    {
      g_free (run->last_failure);
      run->last_failure = g_strdup (error->message);
      lk_batch_item_set_chain_index (run->item, lk_batch_item_get_chain_index (run->item) + 1);
      create_next (task);
      return;
    }

  run->reservation = lk_store_reserve (lk_batch_get_store (batch), lk_batch_get_budget (batch),
                                       lk_batch_get_job_id (batch), lk_model_get_id (model),
                                       lk_model_estimate (model, lk_batch_get_preset (batch), 1),
                                       NULL, &verdict, &error);
  if (run->reservation < 0)
    {
      finish_error (task, LK_BATCH_OUTCOME_FATAL, error);
      return;
    }
  if (run->reservation == 0)
    {
      lk_batch_report_budget (batch, &verdict);
      finish (task, LK_BATCH_OUTCOME_BUDGET, NULL);
      return;
    }

  /* Written before the create goes out: after a crash, an item that is
   * running without a live prediction is looked for on Replicate. */
  store_item_state (run, LK_ITEM_STATE_RUNNING, NULL);
  lk_batch_item_set_state (run->item, LK_BATCH_ITEM_STATE_STARTING);
  route = lk_batch_dup_route (batch, model);
  lk_client_create_prediction_async (lk_batch_get_client (batch), route, run->input,
                                     0, 0, NULL, create_cb, task);
}

/* Saving ------------------------------------------------------------------- */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  gint64 bytes = 0;

  file = lk_batch_output_save_finish (result, &sha256, &bytes, &error);
  if (file == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (task, LK_BATCH_OUTCOME_CANCELED, NULL);
      else if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND))
        finish (task, LK_BATCH_OUTCOME_EXPIRED, error->message);
      else if (error->domain == LK_CLIENT_ERROR && error->code != LK_CLIENT_ERROR_PROTOCOL)
        back_off (task, error, download);
      else
        finish (task, LK_BATCH_OUTCOME_FAILED, error->message);
      return;
    }

  path = g_file_get_path (file);
  if (!lk_store_set_output_saved (lk_batch_get_store (run->batch), lk_batch_item_get_output_id (run->item),
                                  path, sha256, bytes, &error))
    {
      finish_error (task, LK_BATCH_OUTCOME_FATAL, error);
      return;
    }

  lk_batch_item_set_output_file (run->item, file);
  finish (task, LK_BATCH_OUTCOME_DONE, NULL);
}

static void
download (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *stem = lk_batch_output_stem (run->item, lk_batch_get_n_items (run->batch));

  lk_batch_item_set_state (run->item, LK_BATCH_ITEM_STATE_DOWNLOADING);
  lk_batch_output_save_async (lk_batch_get_client (run->batch), lk_batch_item_get_output_url (run->item),
                              lk_batch_get_job_folder (run->batch), stem,
                              lk_batch_item_get_cancellable (run->item), saved_cb, task);
}

/**
 * lk_batch_runner_run_async:
 *
 * Runs @item from where it stands: downloads an image made but not yet
 * saved, follows a prediction under way, or creates the next one. The
 * item holds one of the batch's slots until its prediction succeeded or
 * the item ended; lk_batch_release_slot() says when.
 */
void
lk_batch_runner_run_async (LkBatch             *batch,
                           LkBatchItem         *item,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Run *run;
  LkPrediction *live = lk_batch_item_get_live (item);
  GPtrArray *chain = lk_batch_get_chain (batch);

  g_return_if_fail (LK_IS_BATCH (batch));
  g_return_if_fail (LK_IS_BATCH_ITEM (item));

  task = g_task_new (batch, NULL, callback, user_data);
  g_task_set_source_tag (task, lk_batch_runner_run_async);
  run = g_new0 (Run, 1);
  run->batch = g_object_ref (batch);
  run->item = g_object_ref (item);
  run->slot_held = TRUE;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (lk_batch_item_get_chain_index (item) < chain->len)
    run->model = g_object_ref (g_ptr_array_index (chain, lk_batch_item_get_chain_index (item)));

  if (lk_batch_item_get_output_url (item) != NULL && lk_batch_item_get_output_file (item) == NULL)
    {
      release_slot (run);
      download (task);
    }
  else if (live != NULL && !lk_prediction_is_terminal (live) && run->model != NULL)
    watch (task);
  else
    create_next (task);
}

LkBatchOutcome
lk_batch_runner_run_finish (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), LK_BATCH_OUTCOME_FAILED);

  return g_task_propagate_int (G_TASK (result), NULL);
}
