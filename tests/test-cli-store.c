/* test-cli-store.c: `likeness-cli history`, `ledger` and `budget`, run as
 * built, against a store filled beforehand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "lk-store-schema.h"
#include "lk-test-cli.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"

#define USD(x) LK_TEST_USD (x)

static const char *test_home;

/* Each test has its own data and settings folders; the settings go to a
 * key file there, so that they persist from one run of the CLI to the
 * next as they do for a person. */
typedef struct
{
  char                *dir;
  char                *db_path;
  GSubprocessLauncher *launcher;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (test_home, "cli-XXXXXX", NULL);
  g_autofree char *config = NULL;

  fixture->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fixture->dir);
  config = g_build_filename (fixture->dir, "config", NULL);
  fixture->db_path = g_build_filename (fixture->dir, "likeness", "likeness.db", NULL);

  fixture->launcher = lk_test_cli_launcher_new (NULL, NULL);
  g_subprocess_launcher_setenv (fixture->launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (fixture->launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (fixture->launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_clear_object (&fixture->launcher);
}

static LkStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_new_sync (fixture->db_path, NULL, &error);

  g_assert_no_error (error);
  return store;
}

/* Two jobs: an older one of two portraits, one of which failed, and a
 * newer one made of a prompt. */
static void
fill_store (Fixture *fixture)
{
  g_autoptr(LkStore) store = open_store (fixture);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 items[2];
  gint64 job;

  job = lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Film Noir and Oil Painting", 2,
                               g_date_time_to_unix (now) - 3600, 0, items);
  lk_test_store_run_item (store, budget, job, items[0], "p-noir", "bytedance/flux-pulid", "succeeded",
                          USD (0.022875), "/tmp/noir.png", NULL);
  lk_test_store_run_item (store, budget, job, items[1], "p-oil", "bytedance/flux-pulid", "failed", 0, NULL, NULL);

  job = lk_test_store_add_job (store, LK_JOB_KIND_CREATE, "A lighthouse at dawn", 1,
                               g_date_time_to_unix (now), 0, items);
  lk_test_store_run_item (store, budget, job, items[0], "p-light", "black-forest-labs/flux-schnell", "succeeded",
                          USD (0.003), "/tmp/light.png", NULL);
}

static void
test_history_empty (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(LkTestCliRun) run = lk_test_cli_run (fixture->launcher, "history", NULL);
  g_auto(LkTestCliRun) json = lk_test_cli_run (fixture->launcher, "history", "--json", NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "No jobs yet.\n");
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (g_strstrip (json.out), ==, "[]");
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *jobs;
  JsonObject *older;
  g_auto(LkTestCliRun) run = { 0 };
  g_auto(LkTestCliRun) json = { 0 };

  fill_store (fixture);
  run = lk_test_cli_run (fixture->launcher, "history", NULL);
  json = lk_test_cli_run (fixture->launcher, "history", "--json", NULL);

  /* Newest first, with kind, counts and costs. */
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], "A lighthouse at dawn"));
  g_assert_nonnull (strstr (lines[0], "Images"));
  g_assert_nonnull (strstr (lines[0], "$0.003 of $0.04"));
  g_assert_nonnull (strstr (lines[1], "Film Noir and Oil Painting"));
  g_assert_nonnull (strstr (lines[1], "Portraits"));
  g_assert_nonnull (strstr (lines[1], "1 done, 1 failed"));
  g_assert_nonnull (strstr (lines[1], "$0.023 of $0.08"));

  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, &error);
  g_assert_no_error (error);
  jobs = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 2);
  older = json_array_get_object_element (jobs, 1);
  g_assert_cmpstr (json_object_get_string_member (older, "kind"), ==, "portrait");
  g_assert_cmpstr (json_object_get_string_member (older, "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (older, "items"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (older, "succeeded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (older, "failed"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (older, "spent_usd"), ==, "0.022875");
  g_assert_cmpstr (json_object_get_string_member (older, "estimate_usd"), ==, "0.080000");
  g_assert_nonnull (json_object_get_string_member (older, "created"));
}

static void
test_ledger (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(LkTestCliRun) table = { 0 };
  g_auto(LkTestCliRun) csv = { 0 };

  fill_store (fixture);
  table = lk_test_cli_run (fixture->launcher, "ledger", NULL);
  csv = lk_test_cli_run (fixture->launcher, "ledger", "--csv", NULL);

  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "black-forest-labs/flux-schnell"));
  g_assert_nonnull (strstr (table.out, "Spent in all: $0.026\n"));

  /* The CSV is the store's export, byte for byte. */
  store = open_store (fixture);
  expected = lk_store_export_ledger_csv (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_cmpmem (csv.out, strlen (csv.out), g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_true (g_str_has_prefix (csv.out, "time,job,prediction,kind,usd,model\r\n"));
}

static void
test_budget_persists (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(LkTestCliRun) set = lk_test_cli_run (fixture->launcher, "budget", "--daily", "5", "--monthly", "$40.50", NULL);
  g_auto(LkTestCliRun) show = lk_test_cli_run (fixture->launcher, "budget", NULL);
  g_auto(LkTestCliRun) off = { 0 };
  g_auto(LkTestCliRun) after_off = { 0 };

  g_assert_cmpint (set.status, ==, 0);
  g_assert_nonnull (strstr (set.out, "$5.00; $0.00 spent today (0%)"));

  /* A new process reads the caps back from the settings. */
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Daily budget:    $5.00"));
  g_assert_nonnull (strstr (show.out, "Monthly budget:  $40.50"));

  off = lk_test_cli_run (fixture->launcher, "budget", "--off", NULL);
  after_off = lk_test_cli_run (fixture->launcher, "budget", NULL);
  g_assert_cmpint (off.status, ==, 0);
  g_assert_cmpint (after_off.status, ==, 0);
  g_assert_nonnull (strstr (after_off.out, "Daily budget:    off"));
  g_assert_nonnull (strstr (after_off.out, "Monthly budget:  off"));
}

static void
test_budget_near (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LkStore) store = open_store (fixture);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  gint64 item;
  gint64 job = lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Expensive", 1, 0, 0, &item);
  g_auto(LkTestCliRun) run = { 0 };

  lk_test_store_run_item (store, budget, job, item, "p-big", "bytedance/flux-pulid", "succeeded", USD (4.5),
                          NULL, NULL);
  g_clear_object (&store);

  run = lk_test_cli_run (fixture->launcher, "budget", "--daily", "5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "$5.00; $4.50 spent today (90%)"));
  g_assert_nonnull (strstr (run.out, "You have used $4.50 of your daily budget of $5.00."));
}

static void
test_budget_bad_input (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(LkTestCliRun) set = lk_test_cli_run (fixture->launcher, "budget", "--daily", "3", NULL);
  g_auto(LkTestCliRun) words = lk_test_cli_run (fixture->launcher, "budget", "--daily", "five", NULL);
  g_auto(LkTestCliRun) both = lk_test_cli_run (fixture->launcher, "budget", "--off", "--monthly", "3", NULL);
  g_auto(LkTestCliRun) show = lk_test_cli_run (fixture->launcher, "budget", NULL);

  g_assert_cmpint (set.status, ==, 0);

  g_assert_cmpint (words.status, ==, 1);
  g_assert_nonnull (strstr (words.err, "“five” is not an amount of dollars"));
  g_assert_cmpstr (words.out, ==, "");

  g_assert_cmpint (both.status, ==, 1);
  g_assert_nonnull (strstr (both.err, "--off"));

  /* Neither changed the cap set before. */
  g_assert_nonnull (strstr (show.out, "Daily budget:    $3.00"));
}

static void
test_newer_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->db_path);
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                                          LK_STORE_APPLICATION_ID, LK_STORE_SCHEMA_VERSION + 1);
  sqlite3 *db = NULL;
  g_auto(LkTestCliRun) run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  run = lk_test_cli_run (fixture->launcher, "history", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "newer version of Likeness"));
  g_assert_cmpstr (run.out, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/lk/cli/history/empty", test_history_empty);
  ADD ("/lk/cli/history/jobs", test_history);
  ADD ("/lk/cli/history/newer-database", test_newer_database);
  ADD ("/lk/cli/ledger", test_ledger);
  ADD ("/lk/cli/budget/persists", test_budget_persists);
  ADD ("/lk/cli/budget/near-cap", test_budget_near);
  ADD ("/lk/cli/budget/bad-input", test_budget_bad_input);
#undef ADD

  return g_test_run ();
}
