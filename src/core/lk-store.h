/* lk-store.h: everything Likeness remembers, in one SQLite database:
 * jobs, predictions, saved files, uploads, trained models and the money.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-budget.h"
#include "lk-job-summary.h"
#include "lk-trained-model.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_STORE_ERROR (lk_store_error_quark ())

/**
 * LkStoreError:
 * @LK_STORE_ERROR_FAILED: SQLite failed in some other way
 * @LK_STORE_ERROR_READ_ONLY: the data folder or the file cannot be written
 * @LK_STORE_ERROR_NO_SPACE: the disk is full
 * @LK_STORE_ERROR_CORRUPT: the file is damaged and could not be moved aside
 * @LK_STORE_ERROR_NEWER_SCHEMA: a newer Likeness made the file; it is left
 *   untouched
 * @LK_STORE_ERROR_NOT_FOUND: no record has the given id
 */
typedef enum
{
  LK_STORE_ERROR_FAILED,
  LK_STORE_ERROR_READ_ONLY,
  LK_STORE_ERROR_NO_SPACE,
  LK_STORE_ERROR_CORRUPT,
  LK_STORE_ERROR_NEWER_SCHEMA,
  LK_STORE_ERROR_NOT_FOUND,
} LkStoreError;

/**
 * LkJobSpec:
 * @title: the styles or the prompt, in words, as the History page shows it
 * @settings: (nullable): a JSON object with whatever the job needs to
 *   resume (preset, references, output naming); %NULL for `{}`
 * @folder: (nullable): the folder the job's images go to
 * @estimate: the estimate shown before the job started, micro-dollars
 * @budget: the job's own budget in micro-dollars, 0 for none
 * @created: Unix time, 0 for now
 */
typedef struct
{
  LkJobKind   kind;
  LkJobState  state;
  const char *title;
  const char *settings;
  const char *folder;
  gint64      estimate;
  gint64      budget;
  gint64      created;
} LkJobSpec;

/**
 * LkItemSpec:
 * @style: (nullable): the style id of a portrait
 * @prompt: (nullable): the prompt, as sent
 * @seed: the explicit seed
 * @model: (nullable): the model id to try first
 * @reference_sha256: (nullable): the reference photo, by content
 */
typedef struct
{
  const char *style;
  const char *prompt;
  gint64      seed;
  const char *model;
  const char *reference_sha256;
} LkItemSpec;

/**
 * LkPredictionSpec:
 * @id: the Replicate id
 * @training: whether it is a training rather than a prediction
 * @model: the model id
 * @version: (nullable): the version id it runs
 * @status: the status Replicate reported
 * @input_hash: (nullable): a hash of the input, to find the prediction
 *   again after an ambiguous create
 * @created: Unix time, 0 for now
 */
typedef struct
{
  const char *id;
  gboolean    training;
  gint64      item_id;
  const char *model;
  const char *version;
  const char *status;
  const char *input_hash;
  gint64      created;
} LkPredictionSpec;

/**
 * LkUpload:
 * @sha256: the uploaded content's hash
 * @file_id: the id in Replicate's Files API
 * @url: the URL to pass as a model input
 * @expires_at: Unix time after which the file is gone
 */
typedef struct
{
  char   *sha256;
  char   *file_id;
  char   *url;
  gint64  expires_at;
} LkUpload;

void lk_upload_free (LkUpload *upload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkUpload, lk_upload_free)

/**
 * LkModelUsage:
 * @model: the model id
 * @spent: micro-dollars
 * @runs: how many runs of it were charged (or found free)
 */
typedef struct
{
  char   *model;
  gint64  spent;
  guint   runs;
} LkModelUsage;

/**
 * LkUsage:
 * @today: spent today, local time, micro-dollars
 * @month: spent this calendar month
 * @all_time: spent ever
 * @models: (element-type LkModelUsage): spent per model, the most first
 *
 * What was actually spent: actual costs and refunds, not estimates.
 */
typedef struct
{
  gint64     today;
  gint64     month;
  gint64     all_time;
  GPtrArray *models;
} LkUsage;

void lk_usage_free (LkUsage *usage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkUsage, lk_usage_free)

/**
 * LkLedgerEntry:
 * @time: Unix time
 * @job_id: the job, or 0 once the job was deleted
 * @prediction_id: (nullable): the prediction or training
 * @kind: "estimate", "actual" or "refund"
 * @amount: micro-dollars
 * @model: the model id
 */
typedef struct
{
  gint64  time;
  gint64  job_id;
  char   *prediction_id;
  char   *kind;
  gint64  amount;
  char   *model;
} LkLedgerEntry;

void lk_ledger_entry_free (LkLedgerEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLedgerEntry, lk_ledger_entry_free)

/**
 * LkJobRecord:
 * @settings: the JSON object the job was written with
 * @folder: (nullable): the folder its images go to
 * @estimate: micro-dollars
 * @budget: micro-dollars, 0 for none
 *
 * A job as it was written, to resume it.
 */
typedef struct
{
  gint64      id;
  LkJobKind   kind;
  LkJobState  state;
  gint64      created;
  char       *title;
  char       *settings;
  char       *folder;
  gint64      estimate;
  gint64      budget;
} LkJobRecord;

void lk_job_record_free (LkJobRecord *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkJobRecord, lk_job_record_free)

/**
 * LkItemRecord:
 * @prediction_id: (nullable): the item's latest prediction
 * @prediction_status: (nullable): its status as last recorded
 * @prediction_completed: whether its end (and cost) was recorded
 * @output_id: that prediction's first output, 0 for none
 * @output_url: (nullable): where the output can be downloaded
 * @output_path: (nullable): where it was saved, %NULL until it was
 *
 * One item of a job as it was last recorded, to resume it.
 */
typedef struct
{
  gint64       id;
  guint        position;
  char        *style;
  char        *prompt;
  gint64       seed;
  char        *model;
  LkItemState  state;
  guint        attempts;
  char        *reference_sha256;
  char        *fallback_model;
  char        *last_error;
  char        *prediction_id;
  char        *prediction_model;
  char        *prediction_status;
  gboolean     prediction_completed;
  gint64       output_id;
  char        *output_url;
  char        *output_path;
} LkItemRecord;

void lk_item_record_free (LkItemRecord *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkItemRecord, lk_item_record_free)

/**
 * LkTrainedModelSpec:
 * @name: the name the person gave the model
 * @description: (nullable): what it is for
 * @subject_type: what it learns
 * @trigger_word: the word that calls it up
 * @destination: the "owner/name" model on Replicate that gets its version
 * @created: Unix time, 0 for now
 *
 * A model about to be trained.
 */
typedef struct
{
  const char    *name;
  const char    *description;
  LkSubjectType  subject_type;
  const char    *trigger_word;
  const char    *destination;
  gint64         created;
} LkTrainedModelSpec;

#define LK_TYPE_STORE (lk_store_get_type ())

G_DECLARE_FINAL_TYPE (LkStore, lk_store, LK, STORE, GObject)

GQuark      lk_store_error_quark            (void);
char       *lk_store_get_default_path       (void);

LkStore    *lk_store_new_sync               (const char              *path,
                                             GCancellable            *cancellable,
                                             GError                 **error);
void        lk_store_new_async              (const char              *path,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
LkStore    *lk_store_new_finish             (GAsyncResult            *result,
                                             GError                 **error);
const char *lk_store_get_path               (LkStore                 *self);
const char *lk_store_get_recovered_path     (LkStore                 *self);
char       *lk_store_describe_recovery      (LkStore                 *self);

/* Writing: synchronous, for workers and the command line. Each call is
 * one transaction. */
gint64      lk_store_add_job                (LkStore                 *self,
                                             const LkJobSpec         *job,
                                             const LkItemSpec        *items,
                                             guint                    n_items,
                                             gint64                  *item_ids,
                                             GError                 **error);
gboolean    lk_store_set_job_state          (LkStore                 *self,
                                             gint64                   job_id,
                                             LkJobState               state,
                                             GError                 **error);
gboolean    lk_store_set_item_state         (LkStore                 *self,
                                             gint64                   item_id,
                                             LkItemState              state,
                                             const char              *fallback_model,
                                             const char              *last_error,
                                             GError                 **error);
gint64      lk_store_reserve                (LkStore                 *self,
                                             LkBudget                *budget,
                                             gint64                   job_id,
                                             const char              *model,
                                             gint64                   estimate,
                                             GDateTime               *now,
                                             LkBudgetVerdict         *verdict,
                                             GError                 **error);
gboolean    lk_store_release                (LkStore                 *self,
                                             gint64                   reservation,
                                             GError                 **error);
gboolean    lk_store_add_prediction         (LkStore                 *self,
                                             const LkPredictionSpec  *prediction,
                                             gint64                   reservation,
                                             GError                 **error);
gboolean    lk_store_finish_prediction      (LkStore                 *self,
                                             const char              *id,
                                             const char              *status,
                                             double                   predict_time,
                                             const char              *error_message,
                                             gint64                   cost,
                                             GDateTime               *now,
                                             GError                 **error);
gint64      lk_store_add_output             (LkStore                 *self,
                                             const char              *prediction_id,
                                             guint                    position,
                                             const char              *url,
                                             GError                 **error);
gboolean    lk_store_set_output_saved       (LkStore                 *self,
                                             gint64                   output_id,
                                             const char              *path,
                                             const char              *sha256,
                                             gint64                   bytes,
                                             GError                 **error);
gboolean    lk_store_add_upload             (LkStore                 *self,
                                             const LkUpload          *upload,
                                             GError                 **error);
LkUpload   *lk_store_find_upload            (LkStore                 *self,
                                             const char              *sha256,
                                             GDateTime               *now,
                                             GError                 **error);

/* Reading and deleting: synchronous, and asynchronous for the UI. */
GPtrArray  *lk_store_list_jobs              (LkStore                 *self,
                                             LkJobSummary            *after,
                                             guint                    limit,
                                             GError                 **error);
void        lk_store_list_jobs_async        (LkStore                 *self,
                                             LkJobSummary            *after,
                                             guint                    limit,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
GPtrArray  *lk_store_list_jobs_finish       (LkStore                 *self,
                                             GAsyncResult            *result,
                                             GError                 **error);
GPtrArray  *lk_store_list_job_files         (LkStore                 *self,
                                             gint64                   job_id,
                                             GError                 **error);
void        lk_store_list_job_files_async   (LkStore                 *self,
                                             gint64                   job_id,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
GPtrArray  *lk_store_list_job_files_finish  (LkStore                 *self,
                                             GAsyncResult            *result,
                                             GError                 **error);
gboolean    lk_store_delete_job             (LkStore                 *self,
                                             gint64                   job_id,
                                             GError                 **error);
void        lk_store_delete_job_async       (LkStore                 *self,
                                             gint64                   job_id,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean    lk_store_delete_job_finish      (LkStore                 *self,
                                             GAsyncResult            *result,
                                             GError                 **error);
LkUsage    *lk_store_get_usage              (LkStore                 *self,
                                             GDateTime               *now,
                                             GError                 **error);
void        lk_store_get_usage_async        (LkStore                 *self,
                                             GDateTime               *now,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
LkUsage    *lk_store_get_usage_finish       (LkStore                 *self,
                                             GAsyncResult            *result,
                                             GError                 **error);
gboolean    lk_store_get_spending           (LkStore                 *self,
                                             gint64                   job_id,
                                             GDateTime               *now,
                                             LkSpending              *spending,
                                             GError                 **error);
void        lk_store_get_spending_async     (LkStore                 *self,
                                             gint64                   job_id,
                                             GDateTime               *now,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean    lk_store_get_spending_finish    (LkStore                 *self,
                                             GAsyncResult            *result,
                                             LkSpending              *spending,
                                             GError                 **error);
GPtrArray  *lk_store_list_ledger            (LkStore                 *self,
                                             GError                 **error);
GBytes     *lk_store_export_ledger_csv      (LkStore                 *self,
                                             GError                 **error);
void        lk_store_export_ledger_csv_async  (LkStore               *self,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
GBytes     *lk_store_export_ledger_csv_finish (LkStore               *self,
                                               GAsyncResult          *result,
                                               GError               **error);

/* Resuming a job: synchronous, for workers and the command line. */
GArray      *lk_store_list_unfinished_jobs      (LkStore                 *self,
                                                 LkJobKind                kind,
                                                 GError                 **error);
LkJobRecord *lk_store_get_job                   (LkStore                 *self,
                                                 gint64                   job_id,
                                                 GError                 **error);
GPtrArray   *lk_store_list_items                (LkStore                 *self,
                                                 gint64                   job_id,
                                                 GError                 **error);
gboolean     lk_store_release_open_reservations (LkStore                 *self,
                                                 gint64                   job_id,
                                                 GError                 **error);
gboolean     lk_store_set_job_budget            (LkStore                 *self,
                                                 gint64                   job_id,
                                                 gint64                   budget,
                                                 GError                 **error);
gboolean     lk_store_get_job_spent             (LkStore                 *self,
                                                 gint64                   job_id,
                                                 gint64                  *spent,
                                                 GError                 **error);

/* The picture on each style's card (lk-store-pictures.c). */
gboolean    lk_store_set_style_picture          (LkStore                 *self,
                                                 const char              *style,
                                                 const char              *path,
                                                 GDateTime               *now,
                                                 GError                 **error);
void        lk_store_set_style_picture_async    (LkStore                 *self,
                                                 const char              *style,
                                                 const char              *path,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
gboolean    lk_store_set_style_picture_finish   (LkStore                 *self,
                                                 GAsyncResult            *result,
                                                 GError                 **error);
GHashTable *lk_store_list_style_pictures        (LkStore                 *self,
                                                 GError                 **error);
void        lk_store_list_style_pictures_async  (LkStore                 *self,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
GHashTable *lk_store_list_style_pictures_finish (LkStore                 *self,
                                                 GAsyncResult            *result,
                                                 GError                 **error);

/* Trained models (lk-store-trained.c). */
gint64          lk_store_add_trained_model          (LkStore                  *self,
                                                     const LkTrainedModelSpec *spec,
                                                     GError                  **error);
gboolean        lk_store_update_training            (LkStore                  *self,
                                                     gint64                    id,
                                                     LkTrainingStatus          status,
                                                     const char               *training_id,
                                                     const char               *version,
                                                     const char               *weights_url,
                                                     const char               *input,
                                                     GError                  **error);
gboolean        lk_store_end_training               (LkStore                  *self,
                                                     gint64                    id,
                                                     LkTrainingStatus          status,
                                                     const char               *message,
                                                     GError                  **error);
gboolean        lk_store_rename_trained_model       (LkStore                  *self,
                                                     gint64                    id,
                                                     const char               *name,
                                                     GError                  **error);
gboolean        lk_store_set_trained_model_thumbnail (LkStore                 *self,
                                                     gint64                    id,
                                                     const char               *path,
                                                     GError                  **error);
gboolean        lk_store_touch_trained_model        (LkStore                  *self,
                                                     gint64                    id,
                                                     GDateTime                *now,
                                                     GError                  **error);
gboolean        lk_store_delete_trained_model       (LkStore                  *self,
                                                     gint64                    id,
                                                     GError                  **error);
LkTrainedModel *lk_store_get_trained_model          (LkStore                  *self,
                                                     gint64                    id,
                                                     GError                  **error);
GPtrArray      *lk_store_list_trained_models        (LkStore                  *self,
                                                     GError                  **error);
void            lk_store_list_trained_models_async  (LkStore                  *self,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
GPtrArray      *lk_store_list_trained_models_finish (LkStore                  *self,
                                                     GAsyncResult             *result,
                                                     GError                  **error);

G_END_DECLS
