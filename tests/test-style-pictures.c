/* test-style-pictures.c: a style's card shows the latest portrait in that
 * style from the store when the app starts, and the one the person chose
 * on the Progress page, again after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "lk-batch-item-card.h"
#include "lk-batch-private.h"
#include "lk-style-art.h"
#include "lk-style-card.h"
#include "lk-styles-page.h"
#include "lk-test-gui.h"
#include "lk-test-store.h"
#include "lk-test-utils.h"

/* Film-noir portraits, the oldest first, each from a finished job: the
 * store holds two when the app first starts, the third is made while it
 * runs. */
static char *portraits[3];

static void
add_portrait (LkStore *store,
              guint    i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 96, 128);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Pictures", "Likeness", "Portraits", NULL);
  g_autofree char *name = g_strdup_printf ("%02u-film-noir.png", i + 1);
  g_autofree char *prediction = g_strdup_printf ("p-noir-%u", i);
  gint64 item;
  gint64 job;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  gdk_pixbuf_fill (pixbuf, 0x303030ff + 0x30303000 * i);
  portraits[i] = g_build_filename (folder, name, NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, portraits[i], "png", &error, NULL));
  g_assert_no_error (error);

  job = lk_test_store_add_job (store, LK_JOB_KIND_PORTRAIT, "Film Noir", 1, 0, 0, &item);
  lk_test_store_run_item (store, budget, job, item, prediction, "bytedance/flux-pulid", "succeeded",
                          LK_TEST_USD (0.02), portraits[i], NULL);
  g_assert_true (lk_store_set_job_state (store, job, LK_JOB_STATE_FINISHED, &error));
  g_assert_no_error (error);
}

static void
fill_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);

  g_assert_no_error (error);
  add_portrait (store, 0);
  add_portrait (store, 1);
}

static gboolean
is_card_of (GtkWidget     *widget,
            gconstpointer  style_id)
{
  return LK_IS_STYLE_CARD (widget) &&
         g_str_equal (lk_style_get_id (lk_style_card_get_style (LK_STYLE_CARD (widget))), style_id);
}

/* The art of a style's card on the Styles page. */
static LkStyleArt *
find_art (LkTestApp  *test,
          const char *style_id)
{
  GtkWidget *card;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window), "win.show-page", "s", "styles"));
  lk_test_drain ();
  card = lk_test_find_widget (GTK_WIDGET (test->window), is_card_of, style_id);
  g_assert_nonnull (card);
  return LK_STYLE_ART (lk_test_find_descendant (card, LK_TYPE_STYLE_ART));
}

typedef struct
{
  LkStyleArt *art;
  const char *path;
} Shown;

/* Whether the card's art shows the portrait at @path, decoded. */
static gboolean
art_shows (gpointer data)
{
  Shown *shown = data;
  GFile *thumbnail = lk_style_art_get_thumbnail (shown->art);
  g_autofree char *path = thumbnail != NULL ? g_file_get_path (thumbnail) : NULL;

  return g_strcmp0 (path, shown->path) == 0 && lk_style_art_get_texture (shown->art) != NULL;
}

static void
check_latest (LkTestApp *test)
{
  Shown noir = { find_art (test, "film-noir"), portraits[1] };
  LkStyleArt *watercolour = find_art (test, "watercolour");

  /* The latest film-noir portrait, read from the store at startup. */
  g_assert_true (lk_test_wait_for (art_shows, &noir, 10000));

  /* A style never used keeps its icon. */
  g_assert_null (lk_style_art_get_thumbnail (watercolour));
  g_assert_null (lk_style_art_get_texture (watercolour));

  /* A portrait saved while the app runs shows at once. */
  add_portrait (lk_application_get_store (test->app), 2);
  noir.path = portraits[2];
  g_assert_true (lk_test_wait_for (art_shows, &noir, 10000));
}

static void
test_latest (void)
{
  lk_test_run_app (check_latest, NULL);
}

static gboolean
is_star_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "card.use-as-thumbnail") == 0;
}

static gboolean
shows_star (gpointer card)
{
  return lk_test_find_widget (card, is_star_button, NULL) != NULL;
}

/* The Progress page's card of the oldest portrait, whose star the person
 * presses. */
static void
choose_oldest (LkTestApp *test)
{
  LkApplication *app = test->app;
  g_autoptr(LkBatch) batch = lk_batch_new (lk_application_get_client (app), lk_application_get_store (app),
                                           lk_application_get_catalog (app), lk_application_get_budget (app));
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) oldest = g_file_new_for_path (portraits[0]);
  g_autoptr(GtkWidget) card = NULL;
  LkBatchItem *item;

  g_ptr_array_add (styles, g_object_ref (lk_style_library_lookup (lk_application_get_styles (app), "film-noir")));
  lk_batch_set_styles (batch, styles);
  item = g_list_model_get_item (lk_batch_get_items (batch), 0);
  lk_batch_item_set_output_file (item, oldest);
  lk_batch_item_set_state (item, LK_BATCH_ITEM_STATE_DONE);
  g_object_unref (item);

  card = g_object_ref_sink (lk_batch_item_card_new (batch, item, lk_application_get_styles (app)));
  g_assert_true (lk_test_wait_for (shows_star, card, 5000));
  g_assert_true (gtk_widget_activate_action (card, "card.use-as-thumbnail", NULL));
}

static gboolean
store_is_open (gpointer app)
{
  return lk_application_get_store (app) != NULL;
}

static void
check_choose (LkTestApp *test)
{
  Shown noir = { find_art (test, "film-noir"), portraits[0] };

  g_assert_true (lk_test_wait_for (store_is_open, test->app, 10000));
  g_assert_false (art_shows (&noir));

  /* The oldest portrait replaces the latest on the card at once. */
  choose_oldest (test);
  g_assert_true (lk_test_wait_for (art_shows, &noir, 10000));
}

static void
check_choice_kept (LkTestApp *test)
{
  Shown noir = { find_art (test, "film-noir"), portraits[0] };

  g_assert_true (lk_test_wait_for (art_shows, &noir, 10000));
}

static void
test_choice_survives_restart (void)
{
  lk_test_run_app (check_choose, NULL);
  lk_test_run_app (check_choice_kept, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  fill_store ();

  g_test_add_func ("/lk/style-pictures/latest", test_latest);
  g_test_add_func ("/lk/style-pictures/choice-survives-restart", test_choice_survives_restart);

  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (portraits); i++)
    g_free (portraits[i]);

  return status;
}
