/* lk-batch-private.h: what the parts of LkBatch share: an item's recipe
 * and working state, the references, and the steps of a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lk-batch.h"
#include "lk-budget.h"
#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-model.h"
#include "lk-photo.h"
#include "lk-store.h"
#include "lk-trained-model.h"

G_BEGIN_DECLS

/* What one item makes, fixed when the job is written: a copy of its style
 * with the prompt already rendered, so that a job resumes as it started
 * even after the style was edited or deleted. */
typedef struct
{
  char   *style_id;
  char   *style_name;
  char   *prompt;
  char   *negative_prompt;
  char   *aspect_ratio;
  guint   width;
  guint   height;
  double  identity_weight;
  double  guidance;
} LkBatchRecipe;

void           lk_batch_recipe_free            (LkBatchRecipe        *recipe);
LkBatchRecipe *lk_batch_recipe_new_from_json   (JsonObject           *object);
JsonNode      *lk_batch_recipe_to_json         (const LkBatchRecipe  *recipe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkBatchRecipe, lk_batch_recipe_free)

/* One reference photo: the photo, its prepared file by hash, and the URL
 * of its upload once there is one. */
typedef struct
{
  LkPhoto *photo;
  char    *path;
  char    *sha256;
  char    *url;
  gint64   expires_at;
} LkBatchReference;

LkBatchReference *lk_batch_reference_new      (LkPhoto              *photo,
                                               const char           *path,
                                               const char           *sha256);
void           lk_batch_reference_free         (LkBatchReference     *reference);

/* What a run of one item came to. */
typedef enum
{
  LK_BATCH_OUTCOME_DONE,
  LK_BATCH_OUTCOME_FAILED,
  LK_BATCH_OUTCOME_CANCELED,
  LK_BATCH_OUTCOME_EXPIRED,
  LK_BATCH_OUTCOME_BUDGET,
  LK_BATCH_OUTCOME_DEFERRED,
  LK_BATCH_OUTCOME_FATAL,
} LkBatchOutcome;

/* lk-batch-input.c */
JsonObject    *lk_batch_input_build            (LkModel              *model,
                                                LkQualityPreset       preset,
                                                const LkBatchRecipe  *recipe,
                                                const char           *reference_url,
                                                gint64                seed,
                                                GError              **error);
gint64         lk_batch_input_seed             (gint64                base_seed,
                                                guint                 attempt);
char          *lk_batch_input_hash             (JsonObject           *input);
LkPrediction  *lk_batch_input_find             (GPtrArray            *predictions,
                                                LkModel              *model,
                                                JsonObject           *input);

/* lk-batch-item.c: only the batch writes to an item. */
LkBatchItem   *lk_batch_item_new               (guint                 index,
                                                LkBatchRecipe        *recipe,
                                                gint64                base_seed,
                                                guint                 reference);
LkBatchRecipe *lk_batch_item_get_recipe        (LkBatchItem          *self);
gint64         lk_batch_item_get_base_seed     (LkBatchItem          *self);
guint          lk_batch_item_get_reference     (LkBatchItem          *self);
void           lk_batch_item_set_reference     (LkBatchItem          *self,
                                                guint                 reference);
void           lk_batch_item_set_id            (LkBatchItem          *self,
                                                gint64                id);
void           lk_batch_item_set_state         (LkBatchItem          *self,
                                                LkBatchItemState      state);
void           lk_batch_item_set_progress      (LkBatchItem          *self,
                                                double                progress);
void           lk_batch_item_set_model         (LkBatchItem          *self,
                                                LkModel              *model,
                                                gboolean              fallback);
void           lk_batch_item_set_error         (LkBatchItem          *self,
                                                const char           *message);
void           lk_batch_item_set_output_file   (LkBatchItem          *self,
                                                GFile                *file);
void           lk_batch_item_set_seed          (LkBatchItem          *self,
                                                gint64                seed);
LkPrediction  *lk_batch_item_get_live          (LkBatchItem          *self);
void           lk_batch_item_set_live          (LkBatchItem          *self,
                                                LkPrediction         *prediction);
void           lk_batch_item_set_attempts      (LkBatchItem          *self,
                                                guint                 attempts);
guint          lk_batch_item_get_chain_index   (LkBatchItem          *self);
void           lk_batch_item_set_chain_index   (LkBatchItem          *self,
                                                guint                 chain_index);
const char    *lk_batch_item_get_output_url    (LkBatchItem          *self);
gint64         lk_batch_item_get_output_id     (LkBatchItem          *self);
void           lk_batch_item_set_output_url    (LkBatchItem          *self,
                                                const char           *url,
                                                gint64                output_id);
GCancellable  *lk_batch_item_get_cancellable   (LkBatchItem          *self);
void           lk_batch_item_reset_cancellable (LkBatchItem          *self);

/* The batch itself, shared by its parts. */
struct _LkBatch
{
  GObject          parent_instance;

  LkClient        *client;
  LkStore         *store;
  LkCatalog       *catalog;
  LkBudget        *budget;
  GPtrArray       *chain;
  LkTrainedModel  *trained;
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
  gboolean         busy;
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

typedef enum
{
  LK_BATCH_PROP_0,
  LK_BATCH_PROP_CLIENT,
  LK_BATCH_PROP_STORE,
  LK_BATCH_PROP_CATALOG,
  LK_BATCH_PROP_BUDGET,
  LK_BATCH_PROP_PRESET,
  LK_BATCH_PROP_JOB_BUDGET,
  LK_BATCH_PROP_OUTPUT_FOLDER,
  LK_BATCH_PROP_JOB_NAME,
  LK_BATCH_PROP_CONCURRENCY,
  LK_BATCH_PROP_JOB_ID,
  LK_BATCH_PROP_JOB_FOLDER,
  LK_BATCH_PROP_STATE,
  LK_BATCH_PROP_ITEMS,
  LK_BATCH_PROP_N_ITEMS,
  LK_BATCH_PROP_N_DONE,
  LK_BATCH_PROP_N_FAILED,
  LK_BATCH_PROP_N_CANCELED,
  LK_BATCH_PROP_BUSY,
  LK_BATCH_PROP_ELAPSED,
  LK_BATCH_PROP_ETA_SECONDS,
  LK_BATCH_PROP_SPENT,
  LK_BATCH_PROP_ESTIMATE,
  LK_BATCH_PROP_BUDGET_MESSAGE,
  LK_BATCH_PROP_ERROR_MESSAGE,
  LK_BATCH_N_PROPS
} LkBatchProp;

void           lk_batch_notify                 (LkBatch              *self,
                                                guint                 prop);
void           lk_batch_set_string             (LkBatch              *self,
                                                char                **field,
                                                const char           *value,
                                                guint                 prop);
void           lk_batch_set_state              (LkBatch              *self,
                                                LkJobState            state,
                                                gboolean              record);
void           lk_batch_pump                   (LkBatch              *self);
void           lk_batch_check_settled          (LkBatch              *self);
void           lk_batch_begin_upload           (LkBatch              *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
void           lk_batch_end_upload             (LkBatch              *self);
void           lk_batch_watch_item             (LkBatch              *self,
                                                LkBatchItem          *item);
void           lk_batch_stop_tick              (LkBatch              *self);

/* What the steps of a run read from the batch and report. */
LkClient      *lk_batch_get_client             (LkBatch              *self);
LkBudget      *lk_batch_get_budget             (LkBatch              *self);
GPtrArray     *lk_batch_get_chain              (LkBatch              *self);
GPtrArray     *lk_batch_get_references         (LkBatch              *self);
const char    *lk_batch_get_reference_url      (LkBatch              *self,
                                                guint                 reference);
gboolean       lk_batch_may_create             (LkBatch              *self);
gboolean       lk_batch_is_model_unavailable   (LkBatch              *self,
                                                LkModel              *model);
void           lk_batch_set_model_unavailable  (LkBatch              *self,
                                                LkModel              *model);
double         lk_batch_get_expected_seconds   (LkBatch              *self,
                                                LkModel              *model);
void           lk_batch_add_run_time           (LkBatch              *self,
                                                LkModel              *model,
                                                double                seconds);
void           lk_batch_update_spent           (LkBatch              *self);
void           lk_batch_release_slot           (LkBatch              *self,
                                                LkBatchItem          *item);
void           lk_batch_report_budget          (LkBatch              *self,
                                                const LkBudgetVerdict *verdict);
void           lk_batch_report_fatal           (LkBatch              *self,
                                                const GError         *error);
void           lk_batch_restore                (LkBatch              *self,
                                                LkJobRecord          *job,
                                                LkQualityPreset       preset,
                                                guint                 concurrency,
                                                GPtrArray            *items,
                                                GPtrArray            *references,
                                                gint64                spent);
void           lk_batch_reattach               (LkBatch              *self,
                                                LkBatchItem          *item);

void           lk_batch_fill_chain             (LkBatch              *self);
void           lk_batch_update_estimate        (LkBatch              *self);
void           lk_batch_estimate_fill          (LkModel              *first,
                                                gint64                dearest,
                                                LkQualityPreset       preset,
                                                guint                 n_items,
                                                guint                 concurrency,
                                                LkBatchEstimate      *estimate);

/* lk-batch-trained.c: a batch that runs a trained version. */
LkModel       *lk_batch_find_runner            (LkCatalog            *catalog);
char          *lk_batch_dup_route              (LkBatch              *self,
                                                LkModel              *model);
JsonObject    *lk_batch_trained_build_input    (LkBatch              *self,
                                                LkModel              *runner,
                                                const LkBatchRecipe  *recipe,
                                                gint64                seed,
                                                GError              **error);
void           lk_batch_trained_add_settings   (LkBatch              *self,
                                                JsonBuilder          *builder);
gboolean       lk_batch_trained_load           (LkBatch              *self,
                                                JsonObject           *settings,
                                                GError              **error);
void           lk_batch_trained_touch          (LkBatch              *self);

/* lk-batch-watch.c: waiting, and following a prediction until it ends. */
typedef void (*LkBatchWatchFunc) (LkPrediction *prediction,
                                  gpointer      user_data);

void           lk_batch_sleep_async            (double                seconds,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       lk_batch_sleep_finish           (GAsyncResult         *result,
                                                GError              **error);
void           lk_batch_watch_async            (LkClient             *client,
                                                LkPrediction         *prediction,
                                                double                expected_seconds,
                                                LkBatchWatchFunc      update,
                                                gpointer              update_data,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
LkPrediction  *lk_batch_watch_finish           (GAsyncResult         *result,
                                                GError              **error);

/* lk-batch-runner.c: one item, from its create to its saved image. */
void           lk_batch_runner_run_async       (LkBatch              *batch,
                                                LkBatchItem          *item,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
LkBatchOutcome lk_batch_runner_run_finish      (GAsyncResult         *result);

/* lk-batch-output.c: saves an image under its final name. */
char          *lk_batch_output_stem            (LkBatchItem          *item,
                                                guint                 n_items);
void           lk_batch_output_save_async      (LkClient             *client,
                                                const char           *url,
                                                GFile                *folder,
                                                const char           *stem,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GFile         *lk_batch_output_save_finish     (GAsyncResult         *result,
                                                char                **sha256,
                                                gint64               *bytes,
                                                GError              **error);

/* lk-batch-references.c: each reference prepared and uploaded once. */
void           lk_batch_references_upload_async  (LkClient           *client,
                                                  LkStore            *store,
                                                  GPtrArray          *references,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean       lk_batch_references_upload_finish (GAsyncResult       *result,
                                                  GError            **error);

G_END_DECLS
