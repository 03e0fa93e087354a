/* bench-store.c: the store with a heavy user's history: 10,000 jobs and
 * 100,000 ledger rows over a year, then the time of the spending totals
 * the budget check and the History page read, and of the History page's
 * first page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "lk-store.h"

#define N_JOBS 10000
#define ITEMS_PER_JOB 5
#define DAYS 365
#define RUNS 25
#define FIRST_PAGE 50

/* Targets from the issue, in milliseconds. */
#define TOTALS_TARGET_MS 20.0
#define FIRST_PAGE_TARGET_MS 10.0
#define PICTURES_TARGET_MS 250.0

typedef void (*Query) (LkStore *store);

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Runs @query RUNS times; reports the median and the worst, in ms. */
static double
measure (const char *name,
         LkStore    *store,
         Query       query,
         double      target_ms)
{
  double times[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      query (store);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (times, RUNS, sizeof times[0], compare_doubles);
  printf ("%-44s median %7.3f ms   max %7.3f ms   target <= %4.0f ms  %s\n",
          name, times[RUNS / 2], times[RUNS - 1], target_ms, times[RUNS - 1] <= target_ms ? "ok" : "OVER");
  return times[RUNS - 1];
}

static void
spending_query (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  LkSpending spending;

  if (!lk_store_get_spending (store, 0, NULL, &spending, &error))
    g_error ("%s", error->message);
}

static void
usage_query (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkUsage) usage = lk_store_get_usage (store, NULL, &error);

  if (usage == NULL)
    g_error ("%s", error->message);
}

static void
first_page_query (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = lk_store_list_jobs (store, NULL, FIRST_PAGE, &error);

  if (jobs == NULL || jobs->len != FIRST_PAGE)
    g_error ("The first page is wrong: %s", error != NULL ? error->message : "too short");
}

static void
pictures_query (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) pictures = lk_store_list_style_pictures (store, &error);

  if (pictures == NULL)
    g_error ("%s", error->message);
}

static void
fill (LkStore    *store,
      const char *portrait)
{
  static const char * const models[] = {
    "bytedance/flux-pulid", "black-forest-labs/flux-kontext-pro", "zsxkib/instant-id",
    "black-forest-labs/flux-schnell",
  };
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  LkItemSpec items[ITEMS_PER_JOB];
  gint64 item_ids[ITEMS_PER_JOB];
  gint64 start = g_get_monotonic_time ();
  guint n_predictions = 0;

  static const char * const styles[ITEMS_PER_JOB] = {
    "business-headshot", "casual", "film-noir", "anime", "watercolour",
  };

  for (guint i = 0; i < ITEMS_PER_JOB; i++)
    items[i] = (LkItemSpec) { styles[i], "a portrait of the person", i, models[0], "c0ffee" };

  for (guint j = 0; j < N_JOBS; j++)
    {
      /* Jobs spread evenly over the year, the newest now. */
      gint64 created = now - (gint64) (N_JOBS - 1 - j) * DAYS * 24 * 3600 / N_JOBS;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (created);
      g_autofree char *title = g_strdup_printf ("Job %u: Business Headshot and 4 more", j);
      LkJobSpec job = { LK_JOB_KIND_PORTRAIT, LK_JOB_STATE_FINISHED, title, NULL, "/tmp/bench", 200000, 0, created };
      gint64 job_id = lk_store_add_job (store, &job, items, ITEMS_PER_JOB, item_ids, &error);

      g_assert_no_error (error);

      for (guint i = 0; i < ITEMS_PER_JOB; i++, n_predictions++)
        {
          g_autofree char *id = g_strdup_printf ("pred%08u", n_predictions);
          const char *model = models[n_predictions % G_N_ELEMENTS (models)];
          LkPredictionSpec prediction = { id, FALSE, item_ids[i], model, NULL, "starting", NULL, created };
          LkBudgetVerdict verdict;
          gint64 output_id;
          gint64 reservation = lk_store_reserve (store, budget, job_id, model, 40000, when, &verdict, &error);

          g_assert_no_error (error);
          lk_store_add_prediction (store, &prediction, reservation, &error);
          g_assert_no_error (error);
          lk_store_finish_prediction (store, id, "succeeded", 12.0, NULL, 18300, when, &error);
          g_assert_no_error (error);
          output_id = lk_store_add_output (store, id, 0, "https://replicate.delivery/out.png", &error);
          g_assert_no_error (error);
          lk_store_set_output_saved (store, output_id, portrait, "c0ffee", 4, &error);
          g_assert_no_error (error);
          lk_store_set_item_state (store, item_ids[i], LK_ITEM_STATE_SUCCEEDED, NULL, NULL, &error);
          g_assert_no_error (error);
        }
    }

  printf ("Filled %u jobs, %u items, %u predictions and outputs, %u ledger rows in %.1f s "
          "(%.0f µs per write transaction)\n",
          N_JOBS, N_JOBS * ITEMS_PER_JOB, n_predictions, 2 * n_predictions,
          (g_get_monotonic_time () - start) / 1e6,
          (g_get_monotonic_time () - start) / (double) (N_JOBS + 6 * n_predictions));
}

int
main (int   argc,
      char *argv[])
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("likeness-bench-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *portrait = NULL;
  g_autoptr(LkStore) store = NULL;
  gboolean ok = TRUE;

  setlocale (LC_ALL, "C.UTF-8");
  g_assert_no_error (error);
  path = g_build_filename (dir, "likeness.db", NULL);
  store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);

  portrait = g_build_filename (dir, "portrait.png", NULL);
  g_assert_true (g_file_set_contents (portrait, "png!", 4, &error));
  fill (store, portrait);

  ok &= measure ("Daily and monthly totals (budget check)", store, spending_query, TOTALS_TARGET_MS)
        <= TOTALS_TARGET_MS;
  ok &= measure ("Today, month, all time, by model (History)", store, usage_query, TOTALS_TARGET_MS)
        <= TOTALS_TARGET_MS;
  ok &= measure ("History first page (50 jobs with counts)", store, first_page_query, FIRST_PAGE_TARGET_MS)
        <= FIRST_PAGE_TARGET_MS;
  /* Read again at every change of the store; off the main loop. */
  ok &= measure ("Style cards' pictures (files there)", store, pictures_query, PICTURES_TARGET_MS)
        <= PICTURES_TARGET_MS;
  g_unlink (portrait);
  ok &= measure ("Style cards' pictures (every file deleted)", store, pictures_query, PICTURES_TARGET_MS)
        <= PICTURES_TARGET_MS;

  g_clear_object (&store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);

  return ok ? 0 : 1;
}
