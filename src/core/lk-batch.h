/* lk-batch.h: a portrait job: one prediction per style, a pool of slots,
 * the model fallback chain, the budget, progress and resume.
 *
 * Life of a batch (the `state` property, an #LkJobState):
 *  - draft: made with lk_batch_new(); set the styles (LkStyle), the
 *    reference photos (LkPhoto, in rank order: items take them round-robin),
 *    the preset, the job budget, the output folder and the job name. The
 *    items exist already (state queued), so cards can be shown.
 *  - lk_batch_start_async() writes the job and its items to the store,
 *    prepares and uploads each reference once, and opens the slots; it
 *    completes once predictions are being made (state running), or with
 *    an error when nothing could start. Nothing is spent before it.
 *  - running: up to `concurrency` predictions at a time; an item ends
 *    done, failed (its error-message says why), canceled or expired.
 *  - paused (lk_batch_pause()): no new prediction starts; those under way
 *    finish and are saved. lk_batch_resume() goes on.
 *  - budget-reached: creating the next prediction would overshoot a cap;
 *    budget-message says which and by how much. lk_batch_resume() tries
 *    again (after a cap was raised).
 *  - finished: every item ended; canceled: lk_batch_cancel() was called
 *    (predictions under way are canceled on the server).
 *  - A problem no item would escape (the token refused, billing not set
 *    up, the store not writable) pauses the batch with error-message set;
 *    the items it stopped go back to the queue for lk_batch_resume().
 * lk_batch_retry_failed() puts failed and expired items back in the
 * queue, lk_batch_retry_missing() canceled ones too, lk_batch_retry_item()
 * one of them, and they run again, also after the batch finished. lk_batch_wait_async() completes when the batch next
 * stops with nothing under way (finished, paused, budget-reached,
 * canceled): the command line and tests wait with it.
 *
 * Properties (all notify on change, on the main context the batch was
 * made on): job-id, job-name, job-folder, output-folder, preset,
 * job-budget, concurrency, state, items (GListModel of LkBatchItem),
 * n-items, n-done, n-failed, n-canceled, busy (something is under way),
 * elapsed and eta-seconds (seconds; eta -1 while unknown; both notify
 * about once a second while running), spent and estimate (micro-dollars),
 * budget-message, error-message (why the whole batch stopped, if it did).
 *
 * Resume: lk_batch_find_unfinished() lists the ids of portrait jobs that
 * did not end; lk_batch_load_async() rebuilds such a job as a paused
 * batch and at once re-attaches the predictions it had created and saves
 * their images (which spends nothing new); lk_batch_resume(), once the
 * person agrees, creates the rest. No prediction is ever created twice.
 * lk_batch_load_ended_async() rebuilds a job that ended the same way, for
 * lk_batch_retry_missing() then lk_batch_resume() to make what it missed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-batch-item.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_BATCH_DEFAULT_CONCURRENCY 4
#define LK_BATCH_MIN_CONCURRENCY     1
#define LK_BATCH_MAX_CONCURRENCY     16
/* How often a prediction that failed for a passing reason (429, 5xx, the
 * network) is tried on the same model before the item gives up. */
#define LK_BATCH_MAX_ATTEMPTS        3

#define LK_BATCH_ERROR (lk_batch_error_quark ())

/**
 * LkBatchError:
 * @LK_BATCH_ERROR_NO_STYLES: the batch has no style to make
 * @LK_BATCH_ERROR_NO_REFERENCES: the batch has no reference photo
 * @LK_BATCH_ERROR_NO_MODEL: no model of the portrait chain is in the catalog
 * @LK_BATCH_ERROR_NOT_FOUND: no portrait job has this id
 * @LK_BATCH_ERROR_WRONG_STATE: the action does not apply to the batch as
 *   it stands (starting it twice, resuming a finished job)
 * @LK_BATCH_ERROR_REFERENCE: a reference photo could not be prepared or
 *   uploaded
 */
typedef enum
{
  LK_BATCH_ERROR_NO_STYLES,
  LK_BATCH_ERROR_NO_REFERENCES,
  LK_BATCH_ERROR_NO_MODEL,
  LK_BATCH_ERROR_NOT_FOUND,
  LK_BATCH_ERROR_WRONG_STATE,
  LK_BATCH_ERROR_REFERENCE,
} LkBatchError;

/**
 * LkBatchEstimate:
 * @model: the first model of the chain, which every item tries first
 * @cost: micro-dollars if every item runs on @model
 * @cost_max: micro-dollars if every item had to fall back to the
 *   dearest model of the chain
 * @item_seconds: the typical run time of one item on @model
 * @seconds: the expected time of the whole job with its slots
 *
 * What the summary dialog shows before anything is spent.
 */
typedef struct
{
  const char *model;
  gint64      cost;
  gint64      cost_max;
  double      item_seconds;
  double      seconds;
} LkBatchEstimate;

#define LK_TYPE_BATCH (lk_batch_get_type ())

G_DECLARE_FINAL_TYPE (LkBatch, lk_batch, LK, BATCH, GObject)

GQuark          lk_batch_error_quark               (void);

gboolean        lk_batch_estimate                  (LkCatalog            *catalog,
                                                    LkQualityPreset       preset,
                                                    guint                 n_items,
                                                    guint                 concurrency,
                                                    LkBatchEstimate      *estimate,
                                                    GError              **error);
gboolean        lk_batch_estimate_trained          (LkCatalog            *catalog,
                                                    LkQualityPreset       preset,
                                                    guint                 n_items,
                                                    guint                 concurrency,
                                                    LkBatchEstimate      *estimate,
                                                    GError              **error);
GFile          *lk_batch_dup_default_output_folder (void);

LkBatch        *lk_batch_new                       (LkClient             *client,
                                                    LkStore              *store,
                                                    LkCatalog            *catalog,
                                                    LkBudget             *budget);
LkStore        *lk_batch_get_store                 (LkBatch              *self);

/* Settings of a draft, before lk_batch_start_async(). */
void            lk_batch_set_styles                (LkBatch              *self,
                                                    GPtrArray            *styles);
void            lk_batch_set_references            (LkBatch              *self,
                                                    GPtrArray            *photos);
/* lk-batch-trained.c: run a trained version instead of the chain. */
LkTrainedModel *lk_batch_get_trained_model         (LkBatch              *self);
void            lk_batch_set_trained_model         (LkBatch              *self,
                                                    LkTrainedModel       *model);
LkQualityPreset lk_batch_get_preset                (LkBatch              *self);
void            lk_batch_set_preset                (LkBatch              *self,
                                                    LkQualityPreset       preset);
gint64          lk_batch_get_job_budget            (LkBatch              *self);
void            lk_batch_set_job_budget            (LkBatch              *self,
                                                    gint64                micros);
GFile          *lk_batch_get_output_folder         (LkBatch              *self);
void            lk_batch_set_output_folder         (LkBatch              *self,
                                                    GFile                *folder);
const char     *lk_batch_get_job_name              (LkBatch              *self);
void            lk_batch_set_job_name              (LkBatch              *self,
                                                    const char           *name);
/* May change while the batch runs; new slots open or close as items end. */
guint           lk_batch_get_concurrency           (LkBatch              *self);
void            lk_batch_set_concurrency           (LkBatch              *self,
                                                    guint                 concurrency);

/* Where it stands. */
gint64          lk_batch_get_job_id                (LkBatch              *self);
GFile          *lk_batch_get_job_folder            (LkBatch              *self);
LkJobState      lk_batch_get_state                 (LkBatch              *self);
GListModel     *lk_batch_get_items                 (LkBatch              *self);
guint           lk_batch_get_n_items               (LkBatch              *self);
guint           lk_batch_get_n_done                (LkBatch              *self);
guint           lk_batch_get_n_failed              (LkBatch              *self);
guint           lk_batch_get_n_canceled            (LkBatch              *self);
gboolean        lk_batch_get_busy                  (LkBatch              *self);
double          lk_batch_get_elapsed               (LkBatch              *self);
double          lk_batch_get_eta_seconds           (LkBatch              *self);
gint64          lk_batch_get_spent                 (LkBatch              *self);
gint64          lk_batch_get_estimate              (LkBatch              *self);
gboolean        lk_batch_estimate_items            (LkBatch              *self,
                                                    guint                 n_items,
                                                    LkBatchEstimate      *estimate,
                                                    GError              **error);
const char     *lk_batch_get_budget_message        (LkBatch              *self);
const char     *lk_batch_get_error_message         (LkBatch              *self);

/* Actions. */
void            lk_batch_start_async               (LkBatch              *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        lk_batch_start_finish              (LkBatch              *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            lk_batch_wait_async                (LkBatch              *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        lk_batch_wait_finish               (LkBatch              *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            lk_batch_pause                     (LkBatch              *self);
void            lk_batch_resume                    (LkBatch              *self);
void            lk_batch_cancel                    (LkBatch              *self);
void            lk_batch_cancel_item               (LkBatch              *self,
                                                    LkBatchItem          *item);
guint           lk_batch_retry_failed              (LkBatch              *self);
guint           lk_batch_retry_missing             (LkBatch              *self);
gboolean        lk_batch_retry_item                (LkBatch              *self,
                                                    LkBatchItem          *item);

/* Resume after a crash or a restart. */
GArray         *lk_batch_find_unfinished           (LkStore              *store,
                                                    GError              **error);
void            lk_batch_find_unfinished_async     (LkStore              *store,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GArray         *lk_batch_find_unfinished_finish    (GAsyncResult         *result,
                                                    GError              **error);
void            lk_batch_load_async                (LkClient             *client,
                                                    LkStore              *store,
                                                    LkCatalog            *catalog,
                                                    LkBudget             *budget,
                                                    gint64                job_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* Retry what a job that ended missed. */
void            lk_batch_load_ended_async          (LkClient             *client,
                                                    LkStore              *store,
                                                    LkCatalog            *catalog,
                                                    LkBudget             *budget,
                                                    gint64                job_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LkBatch        *lk_batch_load_finish               (GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
