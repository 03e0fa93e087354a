/* test-photos-page.c: a folder dropped on the Photos page fills the grid
 * in ranked order and lists the files it cannot use, with their reasons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "lk-photos-page.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

static const char *home;

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

static GtkWidget *
find_widget (GtkWidget     *widget,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

/* A label a person can see, with exactly this text. */
static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_toggle (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return find_widget (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  return find_widget (widget, is_shown_label, text) != NULL;
}

static gboolean
shows_pinned (gpointer data)
{
  return shows_label (data, "Pinned");
}

static gboolean
scorer_idle (gpointer data)
{
  return !lk_photo_scorer_get_busy (data);
}

/* The grid shows the photos in the scorer's ranking: pins, the other
 * recommended photos, then the rest by score, best first. */
static void
assert_grid_ranked (GListModel    *grid,
                    LkPhotoScorer *scorer)
{
  g_autoptr(GPtrArray) ranking = lk_photo_scorer_dup_ranking (scorer);

  g_assert_cmpuint (g_list_model_get_n_items (grid), ==, ranking->len);
  for (guint i = 0; i < ranking->len; i++)
    {
      g_autoptr(LkPhoto) shown = g_list_model_get_item (grid, i);
      LkPhoto *photo = g_ptr_array_index (ranking, i);
      LkPhoto *above = i > 0 ? g_ptr_array_index (ranking, i - 1) : NULL;

      g_assert_true (shown == photo);
      if (above != NULL && !lk_photo_get_recommended (above))
        g_assert_cmpfloat (lk_photo_get_score (photo), <=, lk_photo_get_score (above));
    }
}

static void
test_drop_folder (void)
{
  g_autoptr(GdkPixbuf) face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  g_autoptr(GdkPixbuf) blurred = lk_test_photo_blur (face, 4);
  g_autoptr(GdkPixbuf) soft = lk_test_photo_blur (face, 1);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_scale_simple (face, 205, 240, GDK_INTERP_BILINEAR);
  g_autofree char *dir = g_build_filename (home, "selfies", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = lk_photos_page_new ();
  LkPhotoScorer *scorer = lk_photos_page_get_scorer (LK_PHOTOS_PAGE (page));
  GtkWidget *expander;
  GtkWidget *list_box;
  GtkSelectionModel *model;
  g_autoptr(LkPhoto) first = NULL;
  g_autoptr(LkPhoto) blurred_photo = NULL;
  GtkToggleButton *pin;
  GtkWidget *row;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_free (lk_test_photo_save (face, dir, "sharp.jpg", 95));
  g_free (lk_test_photo_save (blurred, dir, "blurred.jpg", 95));
  g_free (lk_test_photo_save (small, dir, "small.jpg", 95));
  g_free (lk_test_photo_save (soft, dir, "soft.jpg", 95));
  g_free (lk_test_photo_write (dir, "notes.jpg", "Not a photo\n", 12));
  g_free (lk_test_photo_write (dir, "empty.jpg", "", 0));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* The empty page invites a drop. */
  g_assert_true (shows_label (page, "Drop Your Selfies Here"));

  lk_photos_page_add_files (LK_PHOTOS_PAGE (page), &folder, 1);
  g_assert_true (lk_test_wait_for (scorer_idle, scorer, 30000));

  /* The grid holds the four photos in ranked order, the sharp one first;
   * each tile names its worst flaw. */
  model = gtk_grid_view_get_model (GTK_GRID_VIEW (find_descendant (page, GTK_TYPE_GRID_VIEW)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  assert_grid_ranked (G_LIST_MODEL (model), scorer);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (lk_photo_get_name (first), ==, "sharp.jpg");
  g_assert_true (lk_photo_get_recommended (first));

  g_assert_true (shows_label (page, "2 usable, 2 skipped, 1 recommended"));
  g_assert_true (shows_label (page, "Recommended"));
  g_assert_true (shows_label (page, "Good reference"));
  g_assert_true (shows_label (page, "Near-duplicate of sharp.jpg"));
  g_assert_true (shows_label (page, "Low resolution (205 x 240)"));
  g_assert_false (shows_label (page, "Face turned away"));

  /* The Skipped list names each file with its reason. */
  expander = find_descendant (page, GTK_TYPE_EXPANDER);
  g_assert_true (gtk_widget_get_visible (expander));
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (expander)), ==, "Skipped (2): not usable as photos");
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  list_box = find_descendant (expander, GTK_TYPE_LIST_BOX);
  for (guint i = 0; (row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), i))); i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      if (g_str_equal (title, "notes.jpg"))
        g_assert_cmpstr (subtitle, ==, "Not an image (plain text document)");
      else
        g_assert_cmpstr (subtitle, ==, "Empty file");
    }
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 1));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 2));

  /* Selecting a photo shows its details; Pin is the person's last word,
   * and a pinned photo comes first. */
  for (guint i = 0; !blurred_photo; i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (lk_photo_get_name (photo), "blurred.jpg"))
        {
          g_assert_true (gtk_selection_model_select_item (model, i, TRUE));
          blurred_photo = g_steal_pointer (&photo);
        }
    }
  g_assert_true (shows_label (page, "blurred.jpg"));
  pin = GTK_TOGGLE_BUTTON (find_widget (page, is_toggle, "P_in"));
  g_assert_nonnull (pin);
  gtk_toggle_button_set_active (pin, TRUE);
  g_assert_true (lk_photo_get_pinned (blurred_photo));
  g_assert_true (lk_test_wait_for ((gboolean (*) (gpointer)) lk_photo_get_recommended, blurred_photo, 5000));
  g_assert_true (lk_test_wait_for (shows_pinned, page, 5000));
  assert_grid_ranked (G_LIST_MODEL (model), scorer);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (first == blurred_photo);

  /* Clear brings back the empty page. */
  g_assert_true (gtk_widget_activate_action (page, "photos.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (shows_label (page, "Drop Your Selfies Here"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/lk/photos-page/drop-folder", test_drop_folder);

  return g_test_run ();
}
