/* lk-store-trained.c: the store's record of trained models: each one from
 * the moment its training is planned, through every step of it, to the
 * model the person uses and renames.
 *
 * A trained model's training is paid for by a job of kind "training"
 * (its first item the training, its second the first portrait), whose
 * settings name the model as {"trained_model": ID}. The job carries the
 * money and the reason of a failure; the trained_models row carries the
 * rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-enums.h"
#include "lk-store-private.h"
#include "lk-trained-model.h"

/* The columns every read takes, so that they all see a model the same
 * way. The job is found through its settings; its cost is what the
 * ledger says was actually spent, refunds included. */
#define SELECT_MODELS \
  "SELECT m.id, m.name, m.description, m.category, m.trigger_word, m.destination, m.version, " \
  "       m.weights_url, m.status, m.training_id, m.input, m.created, m.last_used, m.thumbnail, " \
  "       j.id, " \
  "       (SELECT coalesce (sum (l.micro_usd), 0) FROM ledger l " \
  "        WHERE l.job_id = j.id AND l.kind != 'estimate'), " \
  "       p.predict_time, " \
  "       (SELECT i.last_error FROM job_items i WHERE i.job_id = j.id AND i.position = 0) " \
  "FROM trained_models m " \
  "LEFT JOIN jobs j ON j.id = (SELECT max (id) FROM jobs WHERE kind = 'training' " \
  "                            AND json_extract (settings, '$.trained_model') = m.id) " \
  "LEFT JOIN predictions p ON p.id = m.training_id "

static LkTrainedModel *
model_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *input_text = (const char *) sqlite3_column_text (stmt, 10);
  JsonObject *input = NULL;

  /* The schema checks that input is valid JSON; only an object is used. */
  if (json_parser_load_from_data (parser, input_text, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    input = json_node_get_object (json_parser_get_root (parser));

  return g_object_new (LK_TYPE_TRAINED_MODEL,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "name", (const char *) sqlite3_column_text (stmt, 1),
                       "description", (const char *) sqlite3_column_text (stmt, 2),
                       "subject-type", lk_store_from_nick (LK_TYPE_SUBJECT_TYPE, (const char *) sqlite3_column_text (stmt, 3)),
                       "trigger-word", (const char *) sqlite3_column_text (stmt, 4),
                       "destination", (const char *) sqlite3_column_text (stmt, 5),
                       "version", (const char *) sqlite3_column_text (stmt, 6),
                       "weights-url", (const char *) sqlite3_column_text (stmt, 7),
                       "status", lk_store_from_nick (LK_TYPE_TRAINING_STATUS, (const char *) sqlite3_column_text (stmt, 8)),
                       "training-id", (const char *) sqlite3_column_text (stmt, 9),
                       "input", input,
                       "created", sqlite3_column_int64 (stmt, 11),
                       "last-used", sqlite3_column_int64 (stmt, 12),
                       "thumbnail", (const char *) sqlite3_column_text (stmt, 13),
                       "job-id", sqlite3_column_int64 (stmt, 14),
                       "cost", sqlite3_column_int64 (stmt, 15),
                       "predict-time", sqlite3_column_type (stmt, 16) == SQLITE_NULL ? -1.0 : sqlite3_column_double (stmt, 16),
                       "error", (const char *) sqlite3_column_text (stmt, 17),
                       NULL);
}

static gpointer
add_trained_model_func (LkStoreDb  *db,
                        gpointer    user_data,
                        GError    **error)
{
  const LkTrainedModelSpec *spec = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "INSERT INTO trained_models (name, description, category, trigger_word, "
                              "                            destination, status, created) "
                              "VALUES (?1, coalesce (?2, ''), ?3, ?4, ?5, ?6, ?7)",
                              error);
  if (stmt == NULL)
    return NULL;

  lk_store_db_bind_text (stmt, 1, spec->name);
  lk_store_db_bind_text (stmt, 2, spec->description);
  lk_store_db_bind_text (stmt, 3, lk_store_nick (LK_TYPE_SUBJECT_TYPE, spec->subject_type));
  lk_store_db_bind_text (stmt, 4, spec->trigger_word);
  lk_store_db_bind_text (stmt, 5, spec->destination);
  lk_store_db_bind_text (stmt, 6, lk_store_nick (LK_TYPE_TRAINING_STATUS, LK_TRAINING_STATUS_PREPARING));
  sqlite3_bind_int64 (stmt, 7, spec->created != 0 ? spec->created : lk_store_time_or_now (NULL));
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  return g_memdup2 ((gint64[]) { lk_store_db_last_id (db) }, sizeof (gint64));
}

/**
 * lk_store_add_trained_model:
 *
 * Writes down a model whose training is about to be prepared, with the
 * status %LK_TRAINING_STATUS_PREPARING, before anything is uploaded or
 * spent.
 *
 * Returns: the trained model's id, or 0 with @error set
 */
gint64
lk_store_add_trained_model (LkStore                  *self,
                            const LkTrainedModelSpec *spec,
                            GError                  **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), 0);
  g_return_val_if_fail (spec != NULL && spec->name != NULL && spec->trigger_word != NULL, 0);
  g_return_val_if_fail (spec->destination != NULL, 0);

  id = lk_store_run_sync (self, add_trained_model_func, (gpointer) spec, TRUE, error);
  return id != NULL ? *id : 0;
}

typedef struct
{
  gint64      id;
  const char *status;
  const char *training_id;
  const char *version;
  const char *weights_url;
  const char *input;
} UpdateTraining;

static gpointer
update_training_func (LkStoreDb  *db,
                      gpointer    user_data,
                      GError    **error)
{
  UpdateTraining *data = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db,
                              "UPDATE trained_models SET status = ?2, "
                              "  training_id = coalesce (?3, training_id), version = coalesce (?4, version), "
                              "  weights_url = coalesce (?5, weights_url), input = coalesce (?6, input) "
                              "WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->status);
  lk_store_db_bind_text (stmt, 3, data->training_id);
  lk_store_db_bind_text (stmt, 4, data->version);
  lk_store_db_bind_text (stmt, 5, data->weights_url);
  lk_store_db_bind_text (stmt, 6, data->input);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This trained model is not in the store any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_update_training:
 * @training_id: (nullable): the training's id on Replicate, once known
 * @version: (nullable): the trained version's id, once it succeeded
 * @weights_url: (nullable): the weights' URL, once it succeeded
 * @input: (nullable): the trainer's input as JSON, once sent
 *
 * Records a step of a training. %NULL arguments keep what was recorded.
 */
gboolean
lk_store_update_training (LkStore           *self,
                          gint64             id,
                          LkTrainingStatus   status,
                          const char        *training_id,
                          const char        *version,
                          const char        *weights_url,
                          const char        *input,
                          GError           **error)
{
  UpdateTraining data = {
    id, lk_store_nick (LK_TYPE_TRAINING_STATUS, status), training_id, version, weights_url, input
  };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, update_training_func, &data, TRUE, error) != NULL;
}

typedef struct
{
  gint64      id;
  const char *status;
  const char *item_state;
  const char *message;
} EndTraining;

static gpointer
end_training_func (LkStoreDb  *db,
                   gpointer    user_data,
                   GError    **error)
{
  EndTraining *data = user_data;
  sqlite3_stmt *stmt;

  stmt = lk_store_db_prepare (db, "UPDATE trained_models SET status = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->status);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This trained model is not in the store any more."), error))
    return NULL;

  /* A model whose job was never written (Likeness stopped in between)
   * has no item to update. */
  stmt = lk_store_db_prepare (db,
                              "UPDATE job_items SET state = ?2, last_error = ?3 "
                              "WHERE position = 0 AND job_id IN "
                              "  (SELECT id FROM jobs WHERE kind = 'training' "
                              "   AND json_extract (settings, '$.trained_model') = ?1)",
                              error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  lk_store_db_bind_text (stmt, 2, data->item_state);
  lk_store_db_bind_text (stmt, 3, data->message);
  if (!lk_store_db_run (db, stmt, error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_end_training:
 * @status: %LK_TRAINING_STATUS_SUCCEEDED, %LK_TRAINING_STATUS_FAILED,
 *   %LK_TRAINING_STATUS_CANCELED or %LK_TRAINING_STATUS_ABORTED
 * @message: (nullable): why it did not succeed, in the person's words
 *
 * Records the end of a training, on the trained model and on the item of
 * its job, in one transaction. The cost is recorded separately, with
 * lk_store_finish_prediction(), once the training had reached Replicate.
 */
gboolean
lk_store_end_training (LkStore           *self,
                       gint64             id,
                       LkTrainingStatus   status,
                       const char        *message,
                       GError           **error)
{
  static const LkItemState item_states[] = {
    [LK_TRAINING_STATUS_SUCCEEDED] = LK_ITEM_STATE_SUCCEEDED,
    [LK_TRAINING_STATUS_FAILED] = LK_ITEM_STATE_FAILED,
    [LK_TRAINING_STATUS_CANCELED] = LK_ITEM_STATE_CANCELED,
    [LK_TRAINING_STATUS_ABORTED] = LK_ITEM_STATE_FAILED,
  };
  EndTraining data = { id, lk_store_nick (LK_TYPE_TRAINING_STATUS, status), NULL, message };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (!lk_training_status_is_under_way (status), FALSE);

  data.item_state = lk_store_nick (LK_TYPE_ITEM_STATE, item_states[status]);
  return lk_store_run_sync (self, end_training_func, &data, TRUE, error) != NULL;
}

/* One column of a trained model: @sql sets it from ?2, for ?1. */
typedef struct
{
  gint64      id;
  const char *sql;
  const char *text;
  gint64      time;
} SetField;

static gpointer
set_field_func (LkStoreDb  *db,
                gpointer    user_data,
                GError    **error)
{
  SetField *data = user_data;
  sqlite3_stmt *stmt = lk_store_db_prepare (db, data->sql, error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->id);
  if (data->text != NULL)
    lk_store_db_bind_text (stmt, 2, data->text);
  else
    sqlite3_bind_int64 (stmt, 2, data->time);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This trained model is not in the store any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

gboolean
lk_store_rename_trained_model (LkStore     *self,
                               gint64       id,
                               const char  *name,
                               GError     **error)
{
  SetField data = { id, "UPDATE trained_models SET name = ?2 WHERE id = ?1", name };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  return lk_store_run_sync (self, set_field_func, &data, TRUE, error) != NULL;
}

/**
 * lk_store_set_trained_model_thumbnail:
 * @path: the picture's file
 */
gboolean
lk_store_set_trained_model_thumbnail (LkStore     *self,
                                      gint64       id,
                                      const char  *path,
                                      GError     **error)
{
  SetField data = { id, "UPDATE trained_models SET thumbnail = ?2 WHERE id = ?1", path };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return lk_store_run_sync (self, set_field_func, &data, TRUE, error) != NULL;
}

/**
 * lk_store_touch_trained_model:
 * @now: (nullable): when the model was used; %NULL for now
 *
 * Records that the model made a portrait.
 */
gboolean
lk_store_touch_trained_model (LkStore     *self,
                              gint64       id,
                              GDateTime   *now,
                              GError     **error)
{
  SetField data = { id, "UPDATE trained_models SET last_used = ?2 WHERE id = ?1", NULL, lk_store_time_or_now (now) };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, set_field_func, &data, TRUE, error) != NULL;
}

static gpointer
delete_func (LkStoreDb  *db,
             gpointer    user_data,
             GError    **error)
{
  sqlite3_stmt *stmt = lk_store_db_prepare (db, "DELETE FROM trained_models WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  if (!lk_store_db_run (db, stmt, error) ||
      !lk_store_db_check_changed (db, _("This trained model is not in the store any more."), error))
    return NULL;

  return LK_STORE_TRUE;
}

/**
 * lk_store_delete_trained_model:
 *
 * Forgets a trained model. Its job stays in the history, with what it
 * cost; its version on Replicate is not touched.
 */
gboolean
lk_store_delete_trained_model (LkStore  *self,
                               gint64    id,
                               GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return lk_store_run_sync (self, delete_func, &id, TRUE, error) != NULL;
}

static gpointer
get_func (LkStoreDb  *db,
          gpointer    user_data,
          GError    **error)
{
  sqlite3_stmt *stmt = lk_store_db_prepare (db, SELECT_MODELS "WHERE m.id = ?1", error);
  int code;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, *(gint64 *) user_data);
  code = lk_store_db_step (db, stmt, error);
  if (code == SQLITE_ROW)
    {
      LkTrainedModel *model = model_from_row (stmt);

      /* A statement left on its row keeps its snapshot: this connection
       * could not write again once another one had. */
      sqlite3_reset (stmt);
      return model;
    }

  if (code == SQLITE_DONE)
    g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                         _("This trained model is not in the store any more."));
  return NULL;
}

/**
 * lk_store_get_trained_model:
 *
 * Returns: (transfer full): the trained model as recorded now, or %NULL
 *   with @error set (%LK_STORE_ERROR_NOT_FOUND when there is none)
 */
LkTrainedModel *
lk_store_get_trained_model (LkStore  *self,
                            gint64    id,
                            GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, get_func, &id, FALSE, error);
}

static gpointer
list_func (LkStoreDb  *db,
           gpointer    user_data,
           GError    **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int code;

  /* Newest first, as the Models section lists them. */
  stmt = lk_store_db_prepare (db, SELECT_MODELS "ORDER BY m.created DESC, m.id DESC", error);
  if (stmt == NULL)
    return NULL;

  while ((code = lk_store_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (models, model_from_row (stmt));

  return code == SQLITE_DONE ? g_steal_pointer (&models) : NULL;
}

/**
 * lk_store_list_trained_models:
 *
 * Returns: (transfer container) (element-type LkTrainedModel): every
 *   trained model, newest first, or %NULL with @error set
 */
GPtrArray *
lk_store_list_trained_models (LkStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return lk_store_run_sync (self, list_func, NULL, FALSE, error);
}

void
lk_store_list_trained_models_async (LkStore             *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  lk_store_run_async (self, list_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, FALSE,
                      lk_store_list_trained_models_async, cancellable, callback, user_data);
}

/**
 * lk_store_list_trained_models_finish:
 *
 * Returns: (transfer container) (element-type LkTrainedModel): the models
 */
GPtrArray *
lk_store_list_trained_models_finish (LkStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return lk_store_run_finish (self, result, lk_store_list_trained_models_async, error);
}
