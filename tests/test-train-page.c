/* test-train-page.c: the training wizard walked from the photos dropped
 * on the window to Start, against an in-process simulator, until its
 * progress reaches the end and the new model is listed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-sim.h"
#include "lk-test-gui.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"
#include "lk-train-page.h"

#define N_PHOTOS 10

static const char *home;
static char *photos_dir;

static gboolean
photos_scored (gpointer data)
{
  LkPhotoScorer *scorer = lk_window_get_photo_scorer (data);

  return !lk_photo_scorer_get_busy (scorer) &&
         g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)) == N_PHOTOS;
}

static gboolean
has_trainer (gpointer data)
{
  return lk_train_page_get_trainer (data) != NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static AdwEntryRow *
find_entry_row (GtkWidget  *root,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_ENTRY_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      AdwEntryRow *found = find_entry_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
activate (GtkWidget  *page,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (page, action, NULL));
  lk_test_drain ();
}

static gboolean
succeeded (gpointer data)
{
  return lk_trainer_get_status (data) == LK_TRAINING_STATUS_SUCCEEDED && !lk_trainer_get_busy (data);
}

static void
walk_wizard (LkTestApp *test)
{
  GtkWidget *window = GTK_WIDGET (test->window);
  g_autoptr(GFile) folder = g_file_new_for_path (photos_dir);
  LkTrainPage *page;
  LkTrainer *trainer;
  AdwEntryRow *name_row;
  GtkWidget *next;

  lk_window_add_photos (test->window, &folder, 1);
  g_assert_true (lk_test_wait_for (photos_scored, test->window, 60000));

  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "train"));
  page = LK_TRAIN_PAGE (lk_test_find_descendant (window, LK_TYPE_TRAIN_PAGE));
  g_assert_true (lk_test_wait_for (has_trainer, page, 10000));
  trainer = lk_train_page_get_trainer (page);
  /* The simulator's training takes about a second: look often. */
  lk_trainer_set_poll_interval (trainer, 0.02);
  g_assert_true (lk_test_wait_for_text (window, "Train a Model of You"));

  /* Step 1: the photos dropped on the window, checked. */
  activate (GTK_WIDGET (page), "train.new");
  g_assert_true (lk_test_wait_for_text (window, "Step 1 of 4"));
  g_assert_true (lk_test_wait_for_text (window, "10 usable photos"));
  g_assert_true (lk_test_wait_for_text (window, "10 photos from the Photos page"));
  g_assert_true (lk_test_shows_text (window, "grace-00.jpg"));
  activate (GTK_WIDGET (page), "train.next");

  /* Step 2: without a name the wizard says so and waits. */
  g_assert_true (lk_test_wait_for_text (window, "Step 2 of 4"));
  g_assert_true (lk_test_shows_text (window, "Give the model a name"));
  next = find_button (GTK_WIDGET (page), "_Next");
  g_assert_nonnull (next);
  g_assert_false (gtk_widget_is_sensitive (next));
  name_row = find_entry_row (GTK_WIDGET (page), "Name");
  g_assert_nonnull (name_row);
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Grace");
  lk_test_drain ();
  g_assert_true (lk_test_shows_text (window, "a photo of grace"));
  g_assert_true (gtk_widget_is_sensitive (next));
  activate (GTK_WIDGET (page), "train.next");

  /* Step 3: the presets with their estimates. */
  g_assert_true (lk_test_wait_for_text (window, "Step 3 of 4"));
  g_assert_true (lk_test_shows_text (window, "1000 steps, rank 32: about 20 minutes, about $1.83"));
  activate (GTK_WIDGET (page), "train.next");

  /* Step 4: the review and the total before anything is spent. */
  g_assert_true (lk_test_wait_for_text (window, "Step 4 of 4"));
  g_assert_true (lk_test_shows_text (window, "10 photos, 0 with a caption"));
  g_assert_true (lk_test_shows_text (window, "Grace, learning a face"));
  g_assert_true (lk_test_shows_text (window, "$1.85"));
  activate (GTK_WIDGET (page), "train.start");

  /* The progress, to the end. */
  g_assert_true (lk_test_wait_for_text (window, "Cost So Far"));
  g_assert_true (lk_test_wait_for (succeeded, trainer, 60000));
  g_assert_true (lk_test_wait_for_text (window, "“Grace” Is Ready"));
  g_assert_true (lk_test_shows_text (window, "1000 of 1000"));
  g_assert_true (lk_test_shows_text (window, "$1.83"));

  /* And the new model in the list. */
  activate (GTK_WIDGET (page), "train.close");
  g_assert_true (lk_test_wait_for_text (window, "Your Models"));
  g_assert_true (lk_test_wait_for_text (window, "Ready · grace"));
}

static void
test_wizard (void)
{
  lk_test_run_app (walk_wizard, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LkSim) sim = lk_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) face = NULL;
  g_autoptr(GdkPixbuf) sized = NULL;
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();

  lk_sim_set_time_scale (sim, 0.001);
  lk_sim_set_output_lifetime (sim, 1e7);
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  g_setenv ("REPLICATE_API_TOKEN", LK_SIM_TOKEN, TRUE);
  g_setenv ("REPLICATE_BASE_URL", lk_sim_get_base_url (sim), TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  photos_dir = g_build_filename (home, "photos", NULL);
  g_assert_cmpint (g_mkdir_with_parents (photos_dir, 0700), ==, 0);
  face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  sized = gdk_pixbuf_scale_simple (face, 600, 700, GDK_INTERP_BILINEAR);
  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_autofree char *name = g_strdup_printf ("grace-%02u.jpg", i);
      g_autofree char *path = lk_test_photo_save (sized, photos_dir, name, 85);
    }

  g_test_add_func ("/lk/train-page/wizard", test_wizard);

  result = g_test_run ();
  lk_sim_stop (sim);
  g_free (photos_dir);
  return result;
}
