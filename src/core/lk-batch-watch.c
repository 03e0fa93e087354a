/* lk-batch-watch.c: follows one prediction until it ends, polling when
 * it may be done rather than at a fixed pace.
 *
 * A slot is idle from the moment its prediction ends until the poll that
 * sees the end, so a poll should come soon after the end, while polls
 * long before it only cost requests. The model's progress (the tqdm
 * percentage in its logs) tells when the end can come at the earliest:
 * two readings give its pace, widened by a tqdm step since each reading
 * may lag by one. The watch takes its readings early in the run (a
 * quarter of the time this model's runs took so far in the batch, or a
 * backoff from a quarter of a second while nothing is known), polls at
 * that earliest end, and from there at a short interval (a twenty-fifth
 * of the expected run) until the end shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include "lk-batch-private.h"
#include "lk-prediction.h"

#define FIRST_INTERVAL 0.25
#define INTERVAL_GROWTH 1.5
#define MIN_INTERVAL 0.05
#define MAX_INTERVAL 5.0
#define SHORT_SHARE 0.04
#define READING_SHARE 0.25
/* tqdm redraws at most about twenty times a run, so a reading may lag
 * the true progress by this much. */
#define PROGRESS_STEP 0.05

typedef struct
{
  LkClient         *client;
  LkPrediction     *prediction;
  LkBatchWatchFunc  update;
  gpointer          update_data;
  double            expected;
  double            backoff;

  /* The first progress read, to measure the model's pace. */
  double            first_progress;
  gint64            first_progress_us;
} Watch;

static void
watch_free (Watch *watch)
{
  g_clear_object (&watch->client);
  g_clear_object (&watch->prediction);
  g_free (watch);
}

static double
short_interval (Watch *watch)
{
  return watch->expected > 0 ? CLAMP (watch->expected * SHORT_SHARE, MIN_INTERVAL, 1.0) : 2 * MIN_INTERVAL;
}

/* Seconds until the next poll. */
static double
next_delay (Watch *watch)
{
  gint64 now_us = g_get_monotonic_time ();
  double progress = lk_prediction_get_progress (watch->prediction);
  double delay;

  if (progress > 0 && progress < 1 && watch->first_progress_us == 0)
    {
      watch->first_progress = progress;
      watch->first_progress_us = now_us;
    }

  if (watch->first_progress_us != 0 && progress > watch->first_progress && progress < 1)
    {
      /* The fastest pace the two readings allow, and the end it gives. */
      double seconds = (now_us - watch->first_progress_us) / (double) G_USEC_PER_SEC;
      double fastest = (progress - watch->first_progress + PROGRESS_STEP) / seconds;

      delay = (1 - progress - PROGRESS_STEP) / fastest;
    }
  else if (watch->expected > 0)
    {
      delay = watch->expected * READING_SHARE;
    }
  else
    {
      delay = watch->backoff;
      watch->backoff = MIN (watch->backoff * INTERVAL_GROWTH, MAX_INTERVAL);
    }

  return CLAMP (delay, short_interval (watch), MAX_INTERVAL);
}

static void
canceled_on_server_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_client_cancel_prediction_finish (LK_CLIENT (object), result, &error))
    g_warning ("Could not cancel a prediction on Replicate: %s", error->message);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", "Canceled");
}

/* A watch that is cancelled cancels its prediction on Replicate too, so
 * that it stops costing, before it ends. */
static void
cancel_on_server (GTask *task)
{
  Watch *watch = g_task_get_task_data (task);

  lk_client_cancel_prediction_async (watch->client, watch->prediction, NULL, canceled_on_server_cb, task);
}

static void poll_later (GTask *task);

static void
polled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  prediction = lk_client_get_prediction_finish (LK_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cancel_on_server (g_steal_pointer (&task));
      return;
    }

  if (prediction == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&watch->prediction, prediction);
  watch->update (prediction, watch->update_data);

  if (lk_prediction_is_terminal (prediction))
    {
      g_task_return_pointer (task, g_object_ref (prediction), g_object_unref);
      return;
    }

  poll_later (g_steal_pointer (&task));
}

/* Sleeping, cancellably ------------------------------------------------ */

typedef struct
{
  GSource *timer;
  GSource *wake;
} Sleep;

static void
sleep_free (Sleep *sleep)
{
  g_assert (sleep->timer == NULL && sleep->wake == NULL);
  g_free (sleep);
}

/* The time came, or the sleep was cancelled: whichever source fires
 * first ends it and removes the other. */
static void
sleep_wake (GTask *task)
{
  Sleep *sleep = g_task_get_task_data (task);

  g_source_destroy (sleep->timer);
  g_source_destroy (sleep->wake);
  g_clear_pointer (&sleep->timer, g_source_unref);
  g_clear_pointer (&sleep->wake, g_source_unref);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
sleep_timer_cb (gpointer user_data)
{
  sleep_wake (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  sleep_wake (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * lk_batch_sleep_async:
 * @seconds: how long to wait
 * @cancellable: ends the wait at once with %G_IO_ERROR_CANCELLED
 *
 * Waits on the thread-default main context, as polls and backoffs do.
 */
void
lk_batch_sleep_async (double               seconds,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_task_get_context (task);
  Sleep *sleep = g_new0 (Sleep, 1);

  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_task_set_source_tag (task, lk_batch_sleep_async);
  g_task_set_task_data (task, sleep, (GDestroyNotify) sleep_free);

  sleep->timer = g_timeout_source_new ((guint) (MAX (seconds, 0) * 1000));
  g_source_set_callback (sleep->timer, sleep_timer_cb, task, NULL);
  g_source_set_static_name (sleep->timer, "[lk-batch] sleep");
  g_source_attach (sleep->timer, context);

  sleep->wake = g_cancellable_source_new (cancellable);
  g_source_set_callback (sleep->wake, G_SOURCE_FUNC (sleep_cancelled_cb), task, NULL);
  g_source_set_static_name (sleep->wake, "[lk-batch] sleep cancelled");
  g_source_attach (sleep->wake, context);
}

gboolean
lk_batch_sleep_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_sleep_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Watching ---------------------------------------------------------------- */

static void
slept_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  GCancellable *cancellable;

  if (!lk_batch_sleep_finish (result, NULL))
    {
      cancel_on_server (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  lk_client_get_prediction_async (watch->client, lk_prediction_get_kind (watch->prediction),
                                  lk_prediction_get_id (watch->prediction),
                                  cancellable, polled_cb, g_steal_pointer (&task));
}

static void
poll_later (GTask *task)
{
  Watch *watch = g_task_get_task_data (task);

  lk_batch_sleep_async (next_delay (watch), g_task_get_cancellable (task), slept_cb, task);
}

/**
 * lk_batch_watch_async:
 * @prediction: a prediction that was just created or re-attached
 * @expected_seconds: how long runs of its model took so far, 0 when
 *   nothing is known
 * @update: called with every new state of the prediction
 *
 * Polls @prediction until it ends. Cancelling @cancellable cancels the
 * prediction on Replicate before the watch ends with
 * %G_IO_ERROR_CANCELLED.
 */
void
lk_batch_watch_async (LkClient            *client,
                      LkPrediction        *prediction,
                      double               expected_seconds,
                      LkBatchWatchFunc     update,
                      gpointer             update_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  Watch *watch;

  g_return_if_fail (LK_IS_CLIENT (client));
  g_return_if_fail (LK_IS_PREDICTION (prediction));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_watch_async);
  watch = g_new0 (Watch, 1);
  watch->client = g_object_ref (client);
  watch->prediction = g_object_ref (prediction);
  watch->update = update;
  watch->update_data = update_data;
  watch->expected = expected_seconds;
  watch->backoff = FIRST_INTERVAL;
  g_task_set_task_data (task, watch, (GDestroyNotify) watch_free);

  if (lk_prediction_is_terminal (prediction))
    {
      g_task_return_pointer (task, g_object_ref (prediction), g_object_unref);
      g_object_unref (task);
      return;
    }

  poll_later (task);
}

/**
 * lk_batch_watch_finish:
 *
 * Returns: (transfer full): the prediction as it ended, or %NULL with
 *   @error set when it could not be followed or was cancelled
 */
LkPrediction *
lk_batch_watch_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_watch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
