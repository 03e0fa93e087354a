/* lk-cli.h: the subcommands of likeness-cli and what they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lk-batch.h"
#include "lk-budget.h"
#include "lk-catalog.h"
#include "lk-client.h"
#include "lk-store.h"
#include "lk-types.h"

G_BEGIN_DECLS

int           lk_cli_account          (int            argc,
                                       char         **argv);
int           lk_cli_budget           (int            argc,
                                       char         **argv);
int           lk_cli_cancel           (int            argc,
                                       char         **argv);
int           lk_cli_generate         (int            argc,
                                       char         **argv);
int           lk_cli_history          (int            argc,
                                       char         **argv);
int           lk_cli_ledger           (int            argc,
                                       char         **argv);
int           lk_cli_models           (int            argc,
                                       char         **argv);
int           lk_cli_rank             (int            argc,
                                       char         **argv);
int           lk_cli_resume           (int            argc,
                                       char         **argv);
int           lk_cli_run              (int            argc,
                                       char         **argv);
int           lk_cli_styles           (int            argc,
                                       char         **argv);
int           lk_cli_train            (int            argc,
                                       char         **argv);

LkClient     *lk_cli_client_new       (void);
GCancellable *lk_cli_interruptible    (void);
void          lk_cli_result_cb        (GObject       *object,
                                       GAsyncResult  *result,
                                       gpointer       user_data);
GAsyncResult *lk_cli_await            (GAsyncResult **slot);
int           lk_cli_fail             (const GError  *error);
gboolean      lk_cli_parse_options    (GOptionContext *context,
                                       int            *argc,
                                       char         ***argv);
void          lk_cli_print_json       (JsonNode      *node);
GSettings    *lk_cli_open_settings    (GError       **error);

/* Shared by the commands that read the store (lk-cli-store.c). */
LkStore      *lk_cli_open_store       (void);
/* The spending caps, from the app's settings (lk-cli-budget.c). */
LkBudget     *lk_cli_load_budget      (void);
/* A trained model as `models --json` and `train --json` print it
 * (lk-cli-models.c). */
JsonObject   *lk_cli_trained_model_to_json (LkTrainedModel *model);
LkTrainedModel *lk_cli_find_trained_model (LkStore      *store,
                                           const char   *name_or_id,
                                           GError      **error);
/* What `train` shows on stderr (lk-cli-training.c). */
void          lk_cli_print_training_plan (LkTrainingPlan *plan,
                                          gint64          sample_cost);
void          lk_cli_watch_trainer    (LkTrainer      *trainer);

JsonObject   *lk_cli_input_new        (char         **pairs,
                                       JsonObject    *schema,
                                       GPtrArray     *uploads,
                                       GError       **error);
JsonObject   *lk_cli_input_schema     (LkClient      *client,
                                       const char    *model,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean      lk_cli_input_upload     (LkClient      *client,
                                       JsonObject    *input,
                                       GPtrArray     *uploads,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean      lk_cli_download_outputs (LkClient      *client,
                                       LkPrediction  *prediction,
                                       GFile         *directory,
                                       GPtrArray     *paths,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* What generate, resume and cancel share (lk-cli-batch.c). */
typedef struct
{
  LkClient  *client;
  LkStore   *store;
  LkCatalog *catalog;
  LkBudget  *budget;
  GSettings *settings;
} LkCliBatchContext;

gboolean      lk_cli_batch_context_init  (LkCliBatchContext *context);
void          lk_cli_batch_context_clear (LkCliBatchContext *context);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkCliBatchContext, lk_cli_batch_context_clear)
LkBatch      *lk_cli_batch_load          (LkCliBatchContext *context,
                                          gint64             job_id);
int           lk_cli_batch_follow        (LkBatch           *batch,
                                          gboolean           json);
gboolean      lk_cli_batch_parse_job     (char             **args,
                                          gint64            *job_id);
GPtrArray    *lk_cli_rank_references     (char             **paths,
                                          guint              top);
GPtrArray    *lk_cli_choose_styles       (const char        *ids,
                                          GError           **error);

G_END_DECLS
