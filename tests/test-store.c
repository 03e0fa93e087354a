/* test-store.c: the SQLite store: migrations, jobs and the ledger, budget
 * checks, bad files, a writer killed mid-transaction, and no query ever
 * on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lk-money.h"
#include "lk-store.h"
#include "lk-store-schema.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"

#define USD(x) LK_TEST_USD (x)
#define PULID "bytedance/flux-pulid"
#define KONTEXT "black-forest-labs/flux-kontext-pro"

static const char *test_home;

typedef struct
{
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (test_home, "store-XXXXXX", NULL);

  fixture->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "likeness", "likeness.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_free (fixture->path);
  g_free (fixture->dir);
}

static LkStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_new_sync (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static GDateTime *
local_time (int year,
            int month,
            int day,
            int hour)
{
  return g_date_time_new_local (year, month, day, hour, 0, 0);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
test_create_destroy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *mode = NULL;
  g_autofree char *default_path = lk_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "likeness", "likeness.db", NULL);
  LkStore *store = open_store (fixture->path);

  g_assert_cmpstr (lk_store_get_path (store), ==, fixture->path);
  g_assert_null (lk_store_get_recovered_path (store));
  g_assert_finalize_object (store);

  g_assert_cmpstr (default_path, ==, expected);
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==, LK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (fixture->path, "PRAGMA application_id"), ==, LK_STORE_APPLICATION_ID);
  mode = query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

/* Migrations. Each version lists the tables it has, and sample rows that
 * must survive every later migration, with a query that gives 1 when
 * they did. */
typedef struct
{
  int          version;
  const char  *tables[10];
  const char  *sample;
  const char  *sample_check;
} MigrationCase;

static const MigrationCase migration_cases[] = {
  {
    1,
    { "jobs", "job_items", "predictions", "outputs", "uploads", "trained_models", "ledger", "ledger_models", NULL },
    "INSERT INTO jobs (id, kind, state, created, title) VALUES (7, 'portrait', 'finished', 1700000000, 'Sample');"
    "INSERT INTO job_items (id, job_id, position, style, state) VALUES (70, 7, 0, 'film-noir', 'succeeded');"
    "INSERT INTO predictions (id, item_id, model, created, status) VALUES ('p7', 70, 'a/b', 1700000000, 'succeeded');"
    "INSERT INTO outputs (prediction_id, position, url, path) VALUES ('p7', 0, 'https://x', '/tmp/7.png');"
    "INSERT INTO ledger (time, job_id, prediction_id, kind, micro_usd, model) VALUES (1700000000, 7, 'p7', 'actual', 40000, 'a/b');"
    "INSERT INTO trained_models (name, trigger_word, destination, status, created) VALUES ('Me', 'zxq', 'u/likeness-lora', 'succeeded', 1);",
    "SELECT (SELECT count (*) FROM jobs WHERE title = 'Sample') = 1"
    "   AND (SELECT count (*) FROM outputs WHERE path = '/tmp/7.png') = 1"
    "   AND (SELECT sum (micro_usd) FROM ledger) = 40000"
    "   AND (SELECT micro_usd FROM ledger_models WHERE model = 'a/b') = 40000"
    "   AND (SELECT count (*) FROM trained_models) = 1",
  },
  {
    2,
    { "style_pictures", NULL },
    "INSERT INTO jobs (id, kind, state, created, title) VALUES (9, 'portrait', 'finished', 1700000000, 'Noir');"
    "INSERT INTO job_items (id, job_id, position, style, state) VALUES (90, 9, 0, 'film-noir', 'succeeded');"
    "INSERT INTO predictions (id, item_id, model, created, status) VALUES ('p9', 90, 'a/b', 1700000000, 'succeeded');"
    "INSERT INTO outputs (prediction_id, position, url, path) VALUES ('p9', 0, 'https://x', '/tmp/9.png');"
    "INSERT INTO style_pictures (style, output_id, chosen) "
    "SELECT 'film-noir', id, 1700000100 FROM outputs WHERE path = '/tmp/9.png';"
    /* The training job of a model deleted since. */
    "INSERT INTO jobs (id, kind, state, created, title, settings) "
    "VALUES (8, 'training', 'finished', 1700000000, 'Gone', '{\"trained_model\": 5}');",
    "SELECT (SELECT count (*) FROM style_pictures s JOIN outputs o ON o.id = s.output_id "
    "        WHERE s.style = 'film-noir' AND o.path = '/tmp/9.png') = 1",
  },
  {
    3,
    { "trained_models", NULL },
    "INSERT INTO trained_models (name, trigger_word, destination, status, created) "
    "VALUES ('Next', 'qqz', 'u/likeness-lora', 'succeeded', 2);",
    /* A new model never takes the id of one a job names. */
    "SELECT (SELECT id FROM trained_models WHERE name = 'Next') > 5",
  },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migration_cases) == LK_STORE_SCHEMA_VERSION);

static void
assert_tables (const char          *path,
               const MigrationCase *test)
{
  for (guint i = 0; test->tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
                                              test->tables[i]);

      g_assert_cmpint (query_int (path, sql), ==, 1);
    }
}

static void
test_migrate_from_empty (gconstpointer data)
{
  const MigrationCase *test = data;
  g_autofree char *dir = g_build_filename (test_home, "migrate-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(LkStoreDb) db = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_mkdtemp (dir));
  path = g_build_filename (dir, "likeness.db", NULL);
  db = lk_store_db_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  g_assert_true (lk_store_schema_migrate (db, test->version, &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, lk_store_db_close);

  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, test->version);
  assert_tables (path, test);
}

static void
test_migrate_from_previous (gconstpointer data)
{
  const MigrationCase *test = data;
  g_autofree char *dir = g_build_filename (test_home, "migrate-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *check = NULL;
  g_autoptr(LkStoreDb) db = NULL;
  g_autoptr(GError) error = NULL;
  LkStore *store;

  g_assert_nonnull (g_mkdtemp (dir));
  path = g_build_filename (dir, "likeness.db", NULL);
  db = lk_store_db_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  /* The previous version, with the rows it can hold (none for version 0,
   * the empty file). */
  g_assert_true (lk_store_schema_migrate (db, test->version - 1, &error));
  g_assert_no_error (error);
  if (test->version >= 2)
    {
      g_assert_true (lk_store_db_exec (db, migration_cases[test->version - 2].sample, &error));
      g_assert_no_error (error);
    }
  g_clear_pointer (&db, lk_store_db_close);

  /* Opening the store migrates it to the current version. */
  store = open_store (path);
  g_assert_finalize_object (store);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, LK_STORE_SCHEMA_VERSION);
  assert_tables (path, test);
  if (test->version >= 2)
    g_assert_cmpint (query_int (path, migration_cases[test->version - 2].sample_check), ==, 1);

  /* This version's rows, written now, survive the rest. */
  db = lk_store_db_open (path, SQLITE_OPEN_READWRITE, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_db_exec (db, test->sample, &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, lk_store_db_close);
  g_assert_cmpint (query_int (path, test->sample_check), ==, 1);
  check = query_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

/* Jobs and the ledger. */

static void
test_job_lifecycle (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  gint64 item_ids[3];
  gint64 job_id;
  LkJobSummary *job;

  fixture->store = open_store (fixture->path);
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Film Noir, Oil Painting and Watercolour",
                                  3, 0, 0, item_ids);

  lk_test_store_run_item (fixture->store, budget, job_id, item_ids[0], "p1", PULID, "succeeded",
                          USD (0.019063), "/tmp/01.png", NULL);
  lk_test_store_run_item (fixture->store, budget, job_id, item_ids[1], "p2", PULID, "failed", 0, NULL, NULL);
  lk_test_store_run_item (fixture->store, budget, job_id, item_ids[2], "p3", KONTEXT, "succeeded", USD (0.04),
                          "/tmp/03.png", NULL);

  jobs = lk_store_list_jobs (fixture->store, NULL, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  job = g_ptr_array_index (jobs, 0);
  g_assert_cmpint (lk_job_summary_get_id (job), ==, job_id);
  g_assert_cmpint (lk_job_summary_get_kind (job), ==, LK_JOB_KIND_PORTRAIT);
  g_assert_cmpint (lk_job_summary_get_state (job), ==, LK_JOB_STATE_RUNNING);
  g_assert_cmpstr (lk_job_summary_get_title (job), ==, "Film Noir, Oil Painting and Watercolour");
  g_assert_true (g_str_has_suffix (lk_job_summary_get_folder (job), "/Likeness/Film Noir, Oil Painting and Watercolour"));
  g_assert_cmpuint (lk_job_summary_get_n_items (job), ==, 3);
  g_assert_cmpuint (lk_job_summary_get_n_succeeded (job), ==, 2);
  g_assert_cmpuint (lk_job_summary_get_n_failed (job), ==, 1);
  g_assert_cmpint (lk_job_summary_get_estimate (job), ==, USD (0.12));
  g_assert_cmpint (lk_job_summary_get_spent (job), ==, USD (0.059063));

  files = lk_store_list_job_files (fixture->store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "/tmp/01.png");
  g_assert_cmpstr (g_ptr_array_index (files, 1), ==, "/tmp/03.png");

  /* Each prediction: an estimate when reserved, the actual when done. */
  ledger = lk_store_list_ledger (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 6);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM ledger WHERE kind = 'estimate' AND settled = 0"),
                   ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT attempts FROM job_items WHERE position = 1"), ==, 1);

  /* Deleting the job removes its records, but what it cost stays spent. */
  g_assert_true (lk_store_delete_job (fixture->store, job_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = lk_store_list_jobs (fixture->store, NULL, 50, &error);
  g_assert_cmpuint (jobs->len, ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM job_items"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM predictions"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM outputs"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT sum (micro_usd) FROM ledger WHERE kind = 'actual'"),
                   ==, USD (0.059063));
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM ledger WHERE job_id IS NOT NULL"), ==, 0);

  g_assert_false (lk_store_delete_job (fixture->store, job_id, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

static void
test_finish_once (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  gint64 item_id;
  gint64 job_id;

  fixture->store = open_store (fixture->path);
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Business Headshot", 1, 0, 0,
                                  &item_id);
  lk_test_store_run_item (fixture->store, budget, job_id, item_id, "p1", PULID, "succeeded", USD (0.02),
                          "/tmp/1.png", NULL);

  /* A prediction re-attached after a restart reports its end again. */
  g_assert_true (lk_store_finish_prediction (fixture->store, "p1", "succeeded", 12.5, NULL, USD (0.02), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM ledger WHERE kind = 'actual'"), ==, 1);

  /* Its output, reported again, keeps the saved file. */
  g_assert_cmpint (lk_store_add_output (fixture->store, "p1", 0, "https://replicate.delivery/x.png", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM outputs WHERE path = '/tmp/1.png'"), ==, 1);
}

static void
test_foreign_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkPredictionSpec orphan = { "p-orphan", FALSE, 4242, PULID, NULL, "starting", NULL, 0 };

  fixture->store = open_store (fixture->path);

  /* A prediction of an item that does not exist is refused, and nothing
   * of the failed transaction remains. */
  g_assert_false (lk_store_add_prediction (fixture->store, &orphan, 0, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_FAILED);
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM predictions"), ==, 0);
}

static void
test_list_jobs_pages (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  LkJobSummary *after = NULL;
  gint64 ids[7];

  fixture->store = open_store (fixture->path);

  /* Jobs made in the same second still come in a stable order. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Page", 1,
                                    i < 4 ? 1700000000 : 1700000000 + i, 0, NULL);

  for (;;)
    {
      g_autoptr(GPtrArray) page = lk_store_list_jobs (fixture->store, after, 3, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (seen, g_object_ref (g_ptr_array_index (page, i)));
      after = g_ptr_array_index (seen, seen->len - 1);
    }

  g_assert_cmpuint (seen->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (lk_job_summary_get_id (g_ptr_array_index (seen, i)), ==, ids[G_N_ELEMENTS (ids) - 1 - i]);
}

/* Budgets. */

static void
test_budget_daily_cap (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = local_time (2025, 3, 14, 15);
  g_autoptr(GDateTime) yesterday = local_time (2025, 3, 13, 23);
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  LkBudgetVerdict verdict;
  LkSpending spending;
  gint64 item_ids[30];
  gint64 reservations[30];
  gint64 job_id;
  guint n_reserved = 0;

  fixture->store = open_store (fixture->path);
  lk_budget_set_daily (budget, 1.0);
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Many Portraits", 30, 0, 0, item_ids);

  /* Yesterday's spending does not count against today's cap. */
  lk_test_store_run_item (fixture->store, budget, job_id, item_ids[0], "old", KONTEXT, "succeeded", USD (0.8),
                          NULL, yesterday);

  /* Predictions in flight count with their estimate, so concurrent
   * reservations cannot overshoot the cap together: 25 × $0.04 = $1.00. */
  for (guint i = 1; i < G_N_ELEMENTS (item_ids); i++)
    {
      gint64 reservation = lk_store_reserve (fixture->store, budget, job_id, KONTEXT, USD (0.04), now,
                                             &verdict, &error);

      g_assert_no_error (error);
      if (reservation == 0)
        break;
      reservations[n_reserved++] = reservation;
    }

  g_assert_cmpuint (n_reserved, ==, 25);
  g_assert_cmpint (verdict.cap, ==, LK_BUDGET_CAP_DAILY);
  g_assert_cmpint (verdict.limit, ==, USD (1));
  g_assert_cmpint (verdict.committed, ==, USD (1));
  g_assert_cmpint (verdict.overshoot, ==, USD (0.04));
  message = lk_budget_verdict_describe (&verdict);
  g_assert_nonnull (strstr (message, "daily budget of $1.00"));
  state = query_text (fixture->path, "SELECT state FROM jobs");
  g_assert_cmpstr (state, ==, "budget-reached");

  /* A create that failed gives its reservation back. */
  g_assert_true (lk_store_release (fixture->store, reservations[0], &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_get_spending (fixture->store, job_id, now, &spending, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spending.day, ==, USD (0.96));
  g_assert_cmpint (spending.job, ==, USD (0.8) + USD (0.96));
  g_assert_cmpint (lk_store_reserve (fixture->store, budget, job_id, KONTEXT, USD (0.04), now, &verdict, &error),
                   >, 0);

  g_assert_false (lk_store_release (fixture->store, 99999, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

static void
test_budget_job_and_month (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = local_time (2025, 3, 14, 15);
  g_autoptr(GDateTime) earlier = local_time (2025, 3, 2, 9);
  g_autoptr(GDateTime) last_month = local_time (2025, 2, 28, 22);
  LkBudgetVerdict verdict;
  gint64 items[4];
  gint64 job_id;
  gint64 other_job;

  fixture->store = open_store (fixture->path);
  lk_budget_set_monthly (budget, 2.0);

  /* A job of its own, with a $0.10 budget. */
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Budgeted", 4, 0, USD (0.10), items);
  lk_test_store_run_item (fixture->store, budget, job_id, items[0], "j1", KONTEXT, "succeeded", USD (0.04),
                          NULL, now);
  lk_test_store_run_item (fixture->store, budget, job_id, items[1], "j2", KONTEXT, "succeeded", USD (0.04),
                          NULL, now);
  g_assert_cmpint (lk_store_reserve (fixture->store, budget, job_id, KONTEXT, USD (0.04), now, &verdict, &error),
                   ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (verdict.cap, ==, LK_BUDGET_CAP_JOB);
  g_assert_cmpint (verdict.overshoot, ==, USD (0.02));

  /* Earlier this month counts; last month does not. */
  other_job = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Earlier", 3, 0, 0, items);
  lk_test_store_run_item (fixture->store, budget, other_job, items[0], "e1", KONTEXT, "succeeded", USD (1.5),
                          NULL, earlier);
  lk_test_store_run_item (fixture->store, budget, other_job, items[1], "e2", KONTEXT, "succeeded", USD (5),
                          NULL, last_month);
  g_assert_cmpint (lk_store_reserve (fixture->store, budget, other_job, KONTEXT, USD (0.5), now, &verdict, &error),
                   ==, 0);
  g_assert_cmpint (verdict.cap, ==, LK_BUDGET_CAP_MONTHLY);
  g_assert_cmpint (verdict.committed, ==, USD (1.58));
  g_assert_cmpint (verdict.overshoot, ==, USD (0.08));
  g_assert_cmpint (lk_store_reserve (fixture->store, budget, other_job, KONTEXT, USD (0.42), now, &verdict, &error),
                   >, 0);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = local_time (2025, 3, 14, 15);
  g_autoptr(GDateTime) morning = local_time (2025, 3, 14, 0);
  g_autoptr(GDateTime) earlier = local_time (2025, 3, 1, 0);
  g_autoptr(GDateTime) last_year = local_time (2024, 12, 31, 23);
  g_autoptr(LkUsage) usage = NULL;
  gint64 items[5];
  gint64 job_id;
  LkModelUsage *top;

  fixture->store = open_store (fixture->path);
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "Usage", 5, 0, 0, items);
  lk_test_store_run_item (fixture->store, budget, job_id, items[0], "u1", PULID, "succeeded", USD (0.02),
                          NULL, morning);
  lk_test_store_run_item (fixture->store, budget, job_id, items[1], "u2", KONTEXT, "succeeded", USD (0.04),
                          NULL, now);
  lk_test_store_run_item (fixture->store, budget, job_id, items[2], "u3", KONTEXT, "succeeded", USD (0.04),
                          NULL, earlier);
  lk_test_store_run_item (fixture->store, budget, job_id, items[3], "u4", KONTEXT, "succeeded", USD (0.04),
                          NULL, last_year);
  lk_test_store_run_item (fixture->store, budget, job_id, items[4], "u5", PULID, "failed", 0, NULL, now);

  /* An estimate in flight is not spending. */
  g_assert_cmpint (lk_store_reserve (fixture->store, budget, job_id, PULID, USD (0.5), now, &(LkBudgetVerdict) { 0 },
                                     &error), >, 0);

  usage = lk_store_get_usage (fixture->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->today, ==, USD (0.06));
  g_assert_cmpint (usage->month, ==, USD (0.10));
  g_assert_cmpint (usage->all_time, ==, USD (0.14));
  g_assert_cmpuint (usage->models->len, ==, 2);
  top = g_ptr_array_index (usage->models, 0);
  g_assert_cmpstr (top->model, ==, KONTEXT);
  g_assert_cmpint (top->spent, ==, USD (0.12));
  g_assert_cmpuint (top->runs, ==, 3);
  g_assert_cmpuint (((LkModelUsage *) g_ptr_array_index (usage->models, 1))->runs, ==, 2);
}

static void
test_uploads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = local_time (2025, 3, 14, 15);
  g_autoptr(LkUpload) found = NULL;
  g_autoptr(LkUpload) missing = NULL;
  g_autoptr(LkUpload) renewed = NULL;
  LkUpload upload = { (char *) "c0ffee", (char *) "file-1", (char *) "https://api.replicate.com/v1/files/file-1",
                      g_date_time_to_unix (now) + 24 * 3600 };

  fixture->store = open_store (fixture->path);
  g_assert_true (lk_store_add_upload (fixture->store, &upload, &error));
  g_assert_no_error (error);

  found = lk_store_find_upload (fixture->store, "c0ffee", now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->url, ==, upload.url);
  g_assert_cmpstr (found->file_id, ==, "file-1");

  /* Half an hour before it expires is too late to start a prediction
   * with it. */
  {
    g_autoptr(GDateTime) late = g_date_time_add_hours (now, 23);
    g_autoptr(GDateTime) later = g_date_time_add_minutes (late, 30);

    missing = lk_store_find_upload (fixture->store, "c0ffee", later, &error);
    g_assert_no_error (error);
    g_assert_null (missing);
  }

  upload.file_id = (char *) "file-2";
  upload.expires_at += 3600 * 24;
  g_assert_true (lk_store_add_upload (fixture->store, &upload, &error));
  renewed = lk_store_find_upload (fixture->store, "c0ffee", now, &error);
  g_assert_cmpstr (renewed->file_id, ==, "file-2");
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM uploads"), ==, 1);
}

static void
test_ledger_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gint64 item;
  gint64 job_id;

  fixture->store = open_store (fixture->path);
  job_id = lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "CSV", 1, 0, 0, &item);
  lk_test_store_run_item (fixture->store, budget, job_id, item, "pred,\"odd\"", "someone/model", "succeeded", USD (0.018826),
            NULL, NULL);

  csv = lk_store_export_ledger_csv (fixture->store, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  lines = g_strsplit (text, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "time,job,prediction,kind,usd,model");
  g_assert_true (g_str_has_suffix (lines[1], ",\"pred,\"\"odd\"\"\",estimate,0.040000,someone/model"));
  g_assert_true (g_str_has_suffix (lines[2], ",\"pred,\"\"odd\"\"\",actual,0.018826,someone/model"));
  g_assert_cmpstr (lines[3], ==, "");
}

/* Bad files. */

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
find_moved_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)))
    {
      if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal"))
        return g_build_filename (dir, name, NULL);
    }

  return NULL;
}

static void
assert_recovered (Fixture    *fixture,
                  const char *original,
                  gsize       length)
{
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  gsize kept_length;
  LkStore *again;

  g_test_expect_message ("lk-store", G_LOG_LEVEL_WARNING, "*moved to*");
  fixture->store = open_store (fixture->path);
  g_test_assert_expected_messages ();

  /* The old file is kept beside the new one, byte for byte. */
  aside = find_moved_aside (fixture->path);
  g_assert_nonnull (aside);
  g_assert_cmpstr (lk_store_get_recovered_path (fixture->store), ==, aside);
  g_assert_true (g_file_get_contents (aside, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, original, length);

  /* The new database works. */
  lk_test_store_add_job (fixture->store, LK_JOB_KIND_PORTRAIT, "After Recovery", 1, 0, 0, NULL);
  g_assert_finalize_object (g_steal_pointer (&fixture->store));

  /* The user is told once: the next start is a normal one. */
  again = open_store (fixture->path);
  g_assert_null (lk_store_get_recovered_path (again));
  g_assert_finalize_object (again);
}

static void
test_foreign_file (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char text[] = "These are my notes, not a database.\n";

  write_file (fixture->path, text, sizeof text - 1);
  assert_recovered (fixture, text, sizeof text - 1);
}

static void
test_foreign_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db = NULL;

  write_file (fixture->path, "", 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));

  assert_recovered (fixture, contents, length);
}

static void
test_damaged_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *contents = NULL;
  gsize length;
  LkStore *store = open_store (fixture->path);

  for (guint i = 0; i < 50; i++)
    lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Before the damage", 4, 0, 0, NULL);
  g_assert_finalize_object (store);

  /* Garbage over the second page, as a failing disk might leave it. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (contents + 4096, 0xa5, 4096);
  write_file (fixture->path, contents, length);

  assert_recovered (fixture, contents, length);
}

static void
test_newer_schema (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version_sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;"
                                                  "CREATE TABLE from_the_future (x);",
                                                  LK_STORE_APPLICATION_ID, LK_STORE_SCHEMA_VERSION + 1);
  gsize before_length;
  gsize after_length;
  GStatBuf before_stat;
  GStatBuf after_stat;
  sqlite3 *db = NULL;
  LkStore *store;

  write_file (fixture->path, "", 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, version_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (fixture->path, &before, &before_length, NULL));
  g_assert_cmpint (g_stat (fixture->path, &before_stat), ==, 0);

  store = lk_store_new_sync (fixture->path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer version of Likeness"));

  /* Not modified, not moved, nothing written beside it. */
  g_assert_true (g_file_get_contents (fixture->path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  g_assert_cmpint (g_stat (fixture->path, &after_stat), ==, 0);
  g_assert_cmpint (before_stat.st_mtime, ==, after_stat.st_mtime);
  g_assert_null (find_moved_aside (fixture->path));
}

/* A data folder the user cannot write. As root every folder is writable,
 * so the subprocess gives up root first. */
static void
test_read_only_folder (void)
{
  const char *dir = g_getenv ("LK_TEST_READ_ONLY_DIR");

  if (g_test_subprocess ())
    {
      g_autofree char *fresh = g_build_filename (dir, "fresh", "likeness.db", NULL);
      g_autofree char *existing = g_build_filename (dir, "likeness.db", NULL);
      g_autoptr(GError) error = NULL;
      LkStore *store;

      if (geteuid () == 0)
        g_assert_true (setgid (65534) == 0 && setuid (65534) == 0);

      store = lk_store_new_sync (fresh, NULL, &error);
      g_assert_null (store);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, dir));
      g_clear_error (&error);

      store = lk_store_new_sync (existing, NULL, &error);
      g_assert_null (store);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
      return;
    }

  {
    g_autofree char *ro_dir = g_build_filename (test_home, "read-only", NULL);
    g_autofree char *existing = g_build_filename (ro_dir, "likeness.db", NULL);
    LkStore *store = open_store (existing);

    g_assert_finalize_object (store);
    g_assert_cmpint (g_chmod (test_home, 0711), ==, 0);
    g_assert_cmpint (g_chmod (ro_dir, 0555), ==, 0);
    g_assert_cmpint (g_chmod (existing, 0444), ==, 0);
    g_setenv ("LK_TEST_READ_ONLY_DIR", ro_dir, TRUE);

    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();

    g_chmod (ro_dir, 0700);
    g_chmod (test_home, 0700);
  }
}

/* A writer killed with SIGKILL in the middle of a transaction. */

#define WRITER_ITEMS 20
#define FINAL_ITEMS 6000
#define KILL_AT_ITEM 5000

static guint writer_inserts;
static gboolean writer_in_final;

/* Runs on the store's thread, inside the final transaction: says so, then
 * waits to be killed. */
static GLogWriterOutput
writer_log_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && writer_in_final &&
          strstr (fields[i].value, "INSERT INTO job_items") != NULL && ++writer_inserts == KILL_AT_ITEM)
        {
          printf ("in-transaction\n");
          fflush (stdout);
          for (;;)
            pause ();
        }
    }

  return G_LOG_WRITER_HANDLED;
}

static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autofree LkItemSpec *items = g_new0 (LkItemSpec, FINAL_ITEMS);
  g_autofree char *long_prompt = g_strnfill (900, 'p');

  g_setenv ("G_MESSAGES_DEBUG", "lk-store", TRUE);
  g_log_set_writer_func (writer_log_cb, NULL, NULL);

  store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < FINAL_ITEMS; i++)
    items[i] = (LkItemSpec) { "style", long_prompt, i, PULID, NULL };

  for (guint n = 0; n < 40; n++)
    {
      LkJobSpec job = { LK_JOB_KIND_PORTRAIT, LK_JOB_STATE_RUNNING, "Committed", NULL, NULL, 0, 0, 0 };
      gint64 id = lk_store_add_job (store, &job, items, WRITER_ITEMS, NULL, &error);

      g_assert_no_error (error);
      printf ("committed %" G_GINT64_FORMAT "\n", id);
      fflush (stdout);
    }

  /* Large enough that SQLite spills pages to the WAL file before the
   * commit that never comes. */
  writer_in_final = TRUE;
  {
    LkJobSpec job = { LK_JOB_KIND_PORTRAIT, LK_JOB_STATE_RUNNING, "Never committed", NULL, NULL, 0, 0, 0 };

    lk_store_add_job (store, &job, items, FINAL_ITEMS, NULL, &error);
  }

  g_assert_not_reached ();
}

static void
test_sigkill_mid_transaction (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) committed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *check = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  const char *argv[] = { "/proc/self/exe", "--sigkill-writer", fixture->path, NULL };
  gboolean in_transaction = FALSE;
  char line[256];
  GPid pid;
  int out_fd;
  int status;
  FILE *out;
  GStatBuf wal_stat;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  out = fdopen (out_fd, "r");
  while (!in_transaction && fgets (line, sizeof line, out) != NULL)
    {
      gint64 id;

      if (sscanf (line, "committed %" G_GINT64_FORMAT, &id) == 1)
        g_array_append_val (committed, id);
      in_transaction = g_str_has_prefix (line, "in-transaction");
    }
  g_assert_true (in_transaction);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  fclose (out);
  g_spawn_close_pid (pid);

  g_assert_cmpuint (committed->len, ==, 40);
  g_assert_cmpint (g_stat (wal, &wal_stat), ==, 0);
  g_test_message ("WAL left by the killed writer: %" G_GINT64_FORMAT " bytes", (gint64) wal_stat.st_size);

  fixture->store = open_store (fixture->path);
  check = query_text (fixture->path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");

  /* Every committed job with all its items; nothing of the killed one. */
  jobs = lk_store_list_jobs (fixture->store, NULL, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, committed->len);
  for (guint i = 0; i < jobs->len; i++)
    {
      LkJobSummary *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (lk_job_summary_get_id (job), ==, g_array_index (committed, gint64, committed->len - 1 - i));
      g_assert_cmpuint (lk_job_summary_get_n_items (job), ==, WRITER_ITEMS);
    }
  g_assert_cmpint (query_int (fixture->path, "SELECT count (*) FROM job_items"), ==, 40 * WRITER_ITEMS);
}

/* The GUI thread never runs a query: every statement SQLite runs is
 * logged (with G_MESSAGES_DEBUG=lk-store) from the thread that runs it. */

static GMutex trace_mutex;
static GPtrArray *traced_threads;

static GLogWriterOutput
trace_log_cb (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (level & G_LOG_LEVEL_DEBUG && g_strcmp0 (domain, "lk-store") == 0)
    {
      if (message != NULL && strstr (message, " ms: ") != NULL)
        {
          g_mutex_lock (&trace_mutex);
          if (traced_threads != NULL)
            g_ptr_array_add (traced_threads, g_thread_self ());
          g_mutex_unlock (&trace_mutex);
        }
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
forget_result (GAsyncResult **slot)
{
  g_clear_object (slot);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  g_assert_true (lk_test_wait_for (has_result, slot, 10000));
  return *slot;
}

static void
changed_cb (LkStore *store,
            guint   *n_changed)
{
  (*n_changed)++;
}

static gboolean
changed_once (gpointer data)
{
  return *(guint *) data > 0;
}

static gpointer
write_from_thread (gpointer data)
{
  lk_test_store_add_job (data, LK_JOB_KIND_PORTRAIT, "Written by a worker", 2, 0, 0, NULL);
  return NULL;
}

static void
test_async_off_main_thread (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(LkUsage) usage = NULL;
  g_autoptr(GBytes) csv = NULL;
  LkSpending spending;
  GThread *main_thread = g_thread_self ();
  guint n_changed = 0;

  g_setenv ("G_MESSAGES_DEBUG", "lk-store", TRUE);
  g_mutex_lock (&trace_mutex);
  traced_threads = g_ptr_array_new ();
  g_mutex_unlock (&trace_mutex);

  lk_store_new_async (fixture->path, NULL, store_result_cb, &result);
  fixture->store = lk_store_new_finish (await (&result), &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), &n_changed);

  /* A worker writes synchronously; the UI hears of it on the main loop. */
  g_thread_join (g_thread_new ("test-writer", write_from_thread, fixture->store));
  g_assert_true (lk_test_wait_for (changed_once, &n_changed, 10000));

  forget_result (&result);
  lk_store_list_jobs_async (fixture->store, NULL, 50, NULL, store_result_cb, &result);
  jobs = lk_store_list_jobs_finish (fixture->store, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);

  forget_result (&result);
  lk_store_list_job_files_async (fixture->store, lk_job_summary_get_id (g_ptr_array_index (jobs, 0)), NULL,
                                 store_result_cb, &result);
  files = lk_store_list_job_files_finish (fixture->store, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 0);

  forget_result (&result);
  lk_store_get_usage_async (fixture->store, NULL, NULL, store_result_cb, &result);
  usage = lk_store_get_usage_finish (fixture->store, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->all_time, ==, 0);

  forget_result (&result);
  lk_store_get_spending_async (fixture->store, 0, NULL, NULL, store_result_cb, &result);
  g_assert_true (lk_store_get_spending_finish (fixture->store, await (&result), &spending, &error));
  g_assert_no_error (error);

  forget_result (&result);
  lk_store_export_ledger_csv_async (fixture->store, NULL, store_result_cb, &result);
  csv = lk_store_export_ledger_csv_finish (fixture->store, await (&result), &error);
  g_assert_no_error (error);

  forget_result (&result);
  lk_store_delete_job_async (fixture->store, lk_job_summary_get_id (g_ptr_array_index (jobs, 0)), NULL,
                             store_result_cb, &result);
  g_assert_true (lk_store_delete_job_finish (fixture->store, await (&result), &error));
  g_assert_no_error (error);
  forget_result (&result);

  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_unsetenv ("G_MESSAGES_DEBUG");

  g_mutex_lock (&trace_mutex);
  g_test_message ("%u statements traced", traced_threads->len);
  g_assert_cmpuint (traced_threads->len, >, 10);
  for (guint i = 0; i < traced_threads->len; i++)
    g_assert_true (g_ptr_array_index (traced_threads, i) != main_thread);
  g_clear_pointer (&traced_threads, g_ptr_array_unref);
  g_mutex_unlock (&trace_mutex);
}

static void
test_cancelled_request (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  fixture->store = open_store (fixture->path);
  g_cancellable_cancel (cancellable);
  lk_store_list_jobs_async (fixture->store, NULL, 50, cancellable, store_result_cb, &result);
  jobs = lk_store_list_jobs_finish (fixture->store, await (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (jobs);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--sigkill-writer"))
    return run_writer (argv[2]);

  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_log_set_writer_func (trace_log_cb, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/lk/store/create-destroy", test_create_destroy);
  for (guint i = 0; i < G_N_ELEMENTS (migration_cases); i++)
    {
      g_autofree char *empty = g_strdup_printf ("/lk/store/migrate/%d/from-empty", migration_cases[i].version);
      g_autofree char *previous = g_strdup_printf ("/lk/store/migrate/%d/from-previous", migration_cases[i].version);

      g_test_add_data_func (empty, &migration_cases[i], test_migrate_from_empty);
      g_test_add_data_func (previous, &migration_cases[i], test_migrate_from_previous);
    }
  ADD ("/lk/store/job-lifecycle", test_job_lifecycle);
  ADD ("/lk/store/finish-once", test_finish_once);
  ADD ("/lk/store/foreign-keys", test_foreign_keys);
  ADD ("/lk/store/list-jobs-pages", test_list_jobs_pages);
  ADD ("/lk/store/budget/daily-cap", test_budget_daily_cap);
  ADD ("/lk/store/budget/job-and-month", test_budget_job_and_month);
  ADD ("/lk/store/usage", test_usage);
  ADD ("/lk/store/uploads", test_uploads);
  ADD ("/lk/store/ledger-csv", test_ledger_csv);
  ADD ("/lk/store/bad-file/foreign-file", test_foreign_file);
  ADD ("/lk/store/bad-file/foreign-database", test_foreign_database);
  ADD ("/lk/store/bad-file/damaged", test_damaged_database);
  ADD ("/lk/store/bad-file/newer-schema", test_newer_schema);
  g_test_add_func ("/lk/store/bad-file/read-only-folder", test_read_only_folder);
  ADD ("/lk/store/sigkill-mid-transaction", test_sigkill_mid_transaction);
  ADD ("/lk/store/async-off-main-thread", test_async_off_main_thread);
  ADD ("/lk/store/cancelled-request", test_cancelled_request);
#undef ADD

  return g_test_run ();
}
