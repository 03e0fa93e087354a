/* test-store-pictures.c: the picture each style's card shows: the latest
 * portrait of the style, or the one the person chose, and the next one
 * whose file is still there when a file goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "lk-store.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"

static const char *test_home;

typedef struct
{
  char     *dir;
  LkStore  *store;
  LkBudget *budget;
  guint     n_predictions;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (test_home, "pictures-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fixture->dir);
  path = g_build_filename (fixture->dir, "likeness.db", NULL);
  fixture->store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  fixture->budget = lk_budget_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->budget);
  g_free (fixture->dir);
}

/* A job of one portrait in @style, saved to a file named @name when
 * @name is given, failed otherwise. Returns the file's path. */
static char *
add_portrait (Fixture    *fixture,
              const char *style,
              const char *name,
              gint64     *job_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prediction = g_strdup_printf ("p%u", ++fixture->n_predictions);
  char *path = name != NULL ? g_build_filename (fixture->dir, name, NULL) : NULL;
  LkJobSpec job = { LK_JOB_KIND_PORTRAIT, LK_JOB_STATE_RUNNING, style, NULL, fixture->dir };
  LkItemSpec item = { style, "a portrait", 7, "bytedance/flux-pulid", NULL };
  gint64 item_id;
  gint64 id;

  id = lk_store_add_job (fixture->store, &job, &item, 1, &item_id, &error);
  g_assert_no_error (error);
  if (path != NULL)
    {
      g_assert_true (g_file_set_contents (path, "portrait", -1, &error));
      g_assert_no_error (error);
    }
  lk_test_store_run_item (fixture->store, fixture->budget, id, item_id, prediction, "bytedance/flux-pulid",
                          path != NULL ? "succeeded" : "failed", LK_TEST_USD (0.02), path, NULL);
  if (job_id != NULL)
    *job_id = id;
  return path;
}

static GHashTable *
list_pictures (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GHashTable *pictures = lk_store_list_style_pictures (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pictures);
  return pictures;
}

static void
choose (Fixture    *fixture,
        const char *style,
        const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_set_style_picture (fixture->store, style, path, NULL, &error));
  g_assert_no_error (error);
}

static void
test_latest_per_style (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *old_noir = add_portrait (fixture, "film-noir", "01-film-noir.png", NULL);
  g_autofree char *oil = add_portrait (fixture, "oil-painting", "02-oil-painting.png", NULL);
  g_autofree char *new_noir = add_portrait (fixture, "film-noir", "03-film-noir.png", NULL);
  g_autofree char *anime = add_portrait (fixture, "anime", NULL, NULL);
  g_autoptr(GHashTable) pictures = list_pictures (fixture);

  g_assert_cmpuint (g_hash_table_size (pictures), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, new_noir);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "oil-painting"), ==, oil);
  /* A failed portrait and a style never used have no picture. */
  g_assert_false (g_hash_table_contains (pictures, "anime"));
  g_assert_false (g_hash_table_contains (pictures, "watercolour"));
}

static void
test_chosen_overrides_latest (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *chosen = add_portrait (fixture, "film-noir", "01-film-noir.png", NULL);
  g_autofree char *later = add_portrait (fixture, "film-noir", "02-film-noir.png", NULL);
  g_autofree char *newest = NULL;
  g_autoptr(GHashTable) pictures = NULL;

  choose (fixture, "film-noir", chosen);
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, chosen);
  g_clear_pointer (&pictures, g_hash_table_unref);

  /* A portrait made after the choice does not replace it... */
  newest = add_portrait (fixture, "film-noir", "03-film-noir.png", NULL);
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, chosen);
  g_clear_pointer (&pictures, g_hash_table_unref);

  /* ...but choosing another one does. */
  choose (fixture, "film-noir", later);
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, later);
}

static void
test_missing_file_falls_back (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *oldest = add_portrait (fixture, "film-noir", "01-film-noir.png", NULL);
  g_autofree char *older = add_portrait (fixture, "film-noir", "02-film-noir.png", NULL);
  g_autofree char *latest = add_portrait (fixture, "film-noir", "03-film-noir.png", NULL);
  g_autoptr(GHashTable) pictures = NULL;

  choose (fixture, "film-noir", older);

  /* The chosen file gone, the latest shows; then the next older one;
   * then none. */
  g_assert_cmpint (g_remove (older), ==, 0);
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, latest);
  g_clear_pointer (&pictures, g_hash_table_unref);

  g_assert_cmpint (g_remove (latest), ==, 0);
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, oldest);
  g_clear_pointer (&pictures, g_hash_table_unref);

  g_assert_cmpint (g_remove (oldest), ==, 0);
  pictures = list_pictures (fixture);
  g_assert_false (g_hash_table_contains (pictures, "film-noir"));
}

static void
test_deleted_job_forgets_choice (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *latest = NULL;
  g_autoptr(GHashTable) pictures = NULL;
  gint64 job;

  chosen = add_portrait (fixture, "film-noir", "01-film-noir.png", &job);
  latest = add_portrait (fixture, "film-noir", "02-film-noir.png", NULL);
  choose (fixture, "film-noir", chosen);

  /* The History page deletes the job's records (its file may still be
   * restored from the trash): the style shows its latest portrait. */
  g_assert_true (lk_store_delete_job (fixture->store, job, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (chosen, G_FILE_TEST_IS_REGULAR));
  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, latest);
}

static void
test_choice_must_be_a_saved_portrait (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *noir = add_portrait (fixture, "film-noir", "01-film-noir.png", NULL);
  g_autofree char *stranger = g_build_filename (fixture->dir, "holiday.png", NULL);
  g_autoptr(GHashTable) pictures = NULL;

  /* Another style's portrait, or a file Likeness did not make. */
  g_assert_false (lk_store_set_style_picture (fixture->store, "anime", noir, NULL, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (lk_store_set_style_picture (fixture->store, "film-noir", stranger, NULL, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);

  pictures = list_pictures (fixture);
  g_assert_cmpuint (g_hash_table_size (pictures), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, noir);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) pictures = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chosen = add_portrait (fixture, "film-noir", "01-film-noir.png", NULL);
  g_autofree char *latest = add_portrait (fixture, "film-noir", "02-film-noir.png", NULL);
  guint changed = 0;

  pictures = list_pictures (fixture);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, latest);
  g_clear_pointer (&pictures, g_hash_table_unref);

  /* Writing the choice tells whoever shows the pictures to look again. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_connect_swapped (fixture->store, "changed", G_CALLBACK (count_cb), &changed);
  lk_store_set_style_picture_async (fixture->store, "film-noir", chosen, NULL, lk_test_store_result, &result);
  g_assert_true (lk_store_set_style_picture_finish (fixture->store, lk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (lk_test_wait_for (is_nonzero, &changed, 5000));

  lk_store_list_style_pictures_async (fixture->store, NULL, lk_test_store_result, &result);
  pictures = lk_store_list_style_pictures_finish (fixture->store, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (pictures, "film-noir"), ==, chosen);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/lk/store-pictures/latest-per-style", test_latest_per_style);
  ADD ("/lk/store-pictures/chosen-overrides-latest", test_chosen_overrides_latest);
  ADD ("/lk/store-pictures/missing-file-falls-back", test_missing_file_falls_back);
  ADD ("/lk/store-pictures/deleted-job-forgets-choice", test_deleted_job_forgets_choice);
  ADD ("/lk/store-pictures/choice-must-be-a-saved-portrait", test_choice_must_be_a_saved_portrait);
  ADD ("/lk/store-pictures/async", test_async);
#undef ADD

  return g_test_run ();
}
