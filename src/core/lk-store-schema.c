/* lk-store-schema.c: the store's tables and their forward migrations.
 *
 * migrations[n] takes a database from version n to n + 1, and is never
 * changed once released: a new column or table is a new migration. Each
 * runs in the same transaction as the version bump, so a crash leaves
 * the database at the old version or the new one, never between.
 *
 * Amounts of money are whole micro-dollars (INTEGER), times are Unix
 * seconds (UTC), states are the nicks of the enums in lk-types.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include "lk-store-schema.h"

static const char * const migrations[] = {
  /* 1: everything the app remembers. */
  "CREATE TABLE jobs ("
  "  id                INTEGER PRIMARY KEY,"
  "  kind              TEXT NOT NULL CHECK (kind IN ('portrait', 'create', 'training')),"
  "  state             TEXT NOT NULL CHECK (state IN ('draft', 'running', 'paused', 'budget-reached',"
  "                                                   'finished', 'canceled')),"
  "  created           INTEGER NOT NULL,"
  "  title             TEXT NOT NULL,"
  "  settings          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (settings)),"
  "  folder            TEXT,"
  "  estimate_micro_usd INTEGER NOT NULL DEFAULT 0 CHECK (estimate_micro_usd >= 0),"
  "  budget_micro_usd  INTEGER CHECK (budget_micro_usd > 0)"
  ");"
  "CREATE INDEX jobs_by_created ON jobs (created, id);"

  /* One style or prompt of a job; attempts counts its predictions. */
  "CREATE TABLE job_items ("
  "  id                INTEGER PRIMARY KEY,"
  "  job_id            INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  position          INTEGER NOT NULL,"
  "  style             TEXT,"
  "  prompt            TEXT,"
  "  seed              INTEGER,"
  "  model             TEXT,"
  "  state             TEXT NOT NULL DEFAULT 'queued'"
  "                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),"
  "  attempts          INTEGER NOT NULL DEFAULT 0,"
  "  reference_sha256  TEXT,"
  "  fallback_model    TEXT,"
  "  last_error        TEXT,"
  "  UNIQUE (job_id, position)"
  ");"
  "CREATE INDEX job_items_by_state ON job_items (job_id, state);"

  /* Predictions and trainings, by their Replicate id. input_hash finds a
   * prediction again after an ambiguous create. */
  "CREATE TABLE predictions ("
  "  id                TEXT PRIMARY KEY,"
  "  kind              TEXT NOT NULL DEFAULT 'prediction' CHECK (kind IN ('prediction', 'training')),"
  "  item_id           INTEGER NOT NULL REFERENCES job_items (id) ON DELETE CASCADE,"
  "  model             TEXT NOT NULL,"
  "  version           TEXT,"
  "  created           INTEGER NOT NULL,"
  "  status            TEXT NOT NULL CHECK (status IN ('starting', 'processing', 'succeeded', 'failed',"
  "                                                    'canceled', 'aborted')),"
  "  predict_time      REAL,"
  "  error             TEXT,"
  "  cost_micro_usd    INTEGER,"
  "  input_hash        TEXT,"
  "  completed         INTEGER"
  ");"
  "CREATE INDEX predictions_by_item ON predictions (item_id);"

  /* path stays NULL until the file is saved, so a restart knows which
   * outputs still need downloading. */
  "CREATE TABLE outputs ("
  "  id                INTEGER PRIMARY KEY,"
  "  prediction_id     TEXT NOT NULL REFERENCES predictions (id) ON DELETE CASCADE,"
  "  position          INTEGER NOT NULL,"
  "  url               TEXT NOT NULL,"
  "  path              TEXT,"
  "  sha256            TEXT,"
  "  bytes             INTEGER,"
  "  saved             INTEGER,"
  "  UNIQUE (prediction_id, position)"
  ");"

  /* A reference photo uploaded once is reused until the file expires. */
  "CREATE TABLE uploads ("
  "  sha256            TEXT PRIMARY KEY,"
  "  file_id           TEXT NOT NULL,"
  "  url               TEXT NOT NULL,"
  "  expires_at        INTEGER NOT NULL,"
  "  created           INTEGER NOT NULL"
  ");"

  "CREATE TABLE trained_models ("
  "  id                INTEGER PRIMARY KEY,"
  "  name              TEXT NOT NULL,"
  "  description       TEXT NOT NULL DEFAULT '',"
  "  category          TEXT NOT NULL DEFAULT 'face' CHECK (category IN ('face', 'style', 'object')),"
  "  trigger_word      TEXT NOT NULL,"
  "  destination       TEXT NOT NULL,"
  "  version           TEXT,"
  "  weights_url       TEXT,"
  "  status            TEXT NOT NULL,"
  "  training_id       TEXT UNIQUE,"
  "  input             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (input)),"
  "  created           INTEGER NOT NULL,"
  "  last_used         INTEGER,"
  "  thumbnail         TEXT,"
  "  public            INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1))"
  ");"

  /* Money, append-only. An estimate is written when a prediction is about
   * to be created and settled when its actual cost arrives (or when the
   * create fails), so estimate rows not yet settled are money committed
   * but not yet known. The ledger outlives deleted jobs: spending stays
   * spent. */
  "CREATE TABLE ledger ("
  "  id                INTEGER PRIMARY KEY,"
  "  time              INTEGER NOT NULL,"
  "  job_id            INTEGER REFERENCES jobs (id) ON DELETE SET NULL,"
  "  prediction_id     TEXT,"
  "  kind              TEXT NOT NULL CHECK (kind IN ('estimate', 'actual', 'refund')),"
  "  micro_usd         INTEGER NOT NULL,"
  "  model             TEXT NOT NULL,"
  "  settled           INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))"
  ");"
  /* Covering indexes: totals over a time range, and per job. */
  "CREATE INDEX ledger_by_time ON ledger (time, kind, settled, micro_usd);"
  "CREATE INDEX ledger_by_job ON ledger (job_id, kind, settled, micro_usd);"
  "CREATE INDEX ledger_by_prediction ON ledger (prediction_id) WHERE prediction_id IS NOT NULL;"

  /* What was spent per model, ever, kept up to date as the ledger grows
   * (its rows never change amount or model), so the usage summary does
   * not add up the whole ledger each time. */
  "CREATE TABLE ledger_models ("
  "  model             TEXT PRIMARY KEY,"
  "  micro_usd         INTEGER NOT NULL,"
  "  runs              INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER ledger_models_add AFTER INSERT ON ledger WHEN new.kind != 'estimate' BEGIN"
  "  INSERT INTO ledger_models (model, micro_usd, runs) VALUES (new.model, new.micro_usd, new.kind = 'actual')"
  "  ON CONFLICT (model) DO UPDATE SET micro_usd = micro_usd + excluded.micro_usd, runs = runs + excluded.runs;"
  "END;",

  /* 2: the portrait a person chose to show on a style's card. It names
   * the output, not its file, so that deleting the job forgets the
   * choice and the card falls back to the latest portrait. */
  "CREATE TABLE style_pictures ("
  "  style             TEXT PRIMARY KEY,"
  "  output_id         INTEGER NOT NULL REFERENCES outputs (id) ON DELETE CASCADE,"
  "  chosen            INTEGER NOT NULL"
  ");"
  "CREATE INDEX style_pictures_by_output ON style_pictures (output_id);"
  /* A choice arrives as the file the Progress page shows. */
  "CREATE INDEX outputs_by_path ON outputs (path) WHERE path IS NOT NULL;",

  /* 3: a deleted trained model's id is never given to a new one, since
   * jobs keep naming the model they ran: the table is made again with
   * AUTOINCREMENT, its sequence past every id a job names. */
  "CREATE TABLE trained_models_v3 ("
  "  id                INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name              TEXT NOT NULL,"
  "  description       TEXT NOT NULL DEFAULT '',"
  "  category          TEXT NOT NULL DEFAULT 'face' CHECK (category IN ('face', 'style', 'object')),"
  "  trigger_word      TEXT NOT NULL,"
  "  destination       TEXT NOT NULL,"
  "  version           TEXT,"
  "  weights_url       TEXT,"
  "  status            TEXT NOT NULL,"
  "  training_id       TEXT UNIQUE,"
  "  input             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (input)),"
  "  created           INTEGER NOT NULL,"
  "  last_used         INTEGER,"
  "  thumbnail         TEXT,"
  "  public            INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1))"
  ");"
  "INSERT INTO trained_models_v3 "
  "SELECT id, name, description, category, trigger_word, destination, version, weights_url, status, "
  "       training_id, input, created, last_used, thumbnail, public FROM trained_models;"
  "DROP TABLE trained_models;"
  "ALTER TABLE trained_models_v3 RENAME TO trained_models;"
  "DELETE FROM sqlite_sequence WHERE name IN ('trained_models', 'trained_models_v3');"
  "INSERT INTO sqlite_sequence (name, seq) "
  "SELECT 'trained_models', max (coalesce ((SELECT max (id) FROM trained_models), 0),"
  "                              coalesce ((SELECT max (json_extract (settings, '$.trained_model')) FROM jobs), 0));",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LK_STORE_SCHEMA_VERSION);

/**
 * lk_store_schema_migrate:
 * @target: the version to reach, at most %LK_STORE_SCHEMA_VERSION (tests
 *   stop at earlier versions)
 *
 * Applies the migrations from the database's version up to @target, in
 * one transaction. A database at @target or later is left alone.
 */
gboolean
lk_store_schema_migrate (LkStoreDb  *db,
                         int         target,
                         GError    **error)
{
  g_autofree char *set_version = NULL;
  gint64 version;

  g_return_val_if_fail (target >= 0 && target <= LK_STORE_SCHEMA_VERSION, FALSE);

  if (!lk_store_db_begin (db, error))
    return FALSE;

  if (!lk_store_db_get_int (db, "PRAGMA user_version", &version, error))
    goto fail;

  if (version >= target)
    {
      lk_store_db_rollback (db);
      return TRUE;
    }

  for (gint64 v = version; v < target; v++)
    {
      g_debug ("Migrating the store from version %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, v, v + 1);
      if (!lk_store_db_exec (db, migrations[v], error))
        goto fail;
    }

  /* Pragmas take no parameters; both values are numbers of our own. */
  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                                 LK_STORE_APPLICATION_ID, target);
  if (!lk_store_db_exec (db, set_version, error))
    goto fail;

  return lk_store_db_commit (db, error);

fail:
  lk_store_db_rollback (db);
  return FALSE;
}
