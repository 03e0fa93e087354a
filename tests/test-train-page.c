/* test-train-page.c: the training wizard walked from the photos dropped
 * on the window to Start, against an in-process simulator, until its
 * progress reaches the end and the new model is listed; and deleting a
 * listed model, here only or on Replicate too.
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
static LkSim *sim;
static GdkPixbuf *face;

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

/* Deleting a model ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  gboolean    remote;
  /* A fault plan for the DELETE, or NULL. */
  const char *faults;
  gboolean    deleted;
  /* Whether the training succeeded, giving the model a version. */
  gboolean    trained;
} DeleteCase;

typedef struct
{
  LkStore *store;
  gint64   id;
} Record;

static gboolean
record_gone (gpointer data)
{
  Record *record = data;
  g_autoptr(LkTrainedModel) model = lk_store_get_trained_model (record->store, record->id, NULL);

  return model == NULL;
}

static gboolean
file_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

/* The message dialog on screen with @heading; one just answered may
 * still be closing. */
static GtkWidget *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return GTK_WIDGET (window);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static GtkWidget *
wait_for_dialog (const char *heading)
{
  g_assert_true (lk_test_wait_for (dialog_shown, (gpointer) heading, 10000));
  lk_test_drain ();
  return find_dialog (heading);
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = find_button (root, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  lk_test_drain ();
}

/* A model with a picture, whose training gave it @version (on the
 * simulator) or, without one, failed. */
static gint64
add_model (LkStore    *store,
           const char *version,
           char      **picture)
{
  g_autoptr(GError) error = NULL;
  const LkTrainedModelSpec spec = {
    .name = "Ada", .subject_type = LK_SUBJECT_TYPE_FACE, .trigger_word = "adax42",
    .destination = "likeness-sim/likeness-lora",
  };
  gint64 id = lk_store_add_trained_model (store, &spec, &error);

  g_assert_no_error (error);
  if (version != NULL)
    {
      g_assert_true (lk_store_update_training (store, id, LK_TRAINING_STATUS_SUCCEEDED, "t-ada", version,
                                               "https://example.com/weights.tar", NULL, &error));
      g_assert_true (lk_store_end_training (store, id, LK_TRAINING_STATUS_SUCCEEDED, NULL, &error));
    }
  else
    {
      g_assert_true (lk_store_end_training (store, id, LK_TRAINING_STATUS_FAILED, "Out of memory", &error));
    }
  *picture = lk_test_photo_save (face, home, "ada.jpg", 85);
  g_assert_true (lk_store_set_trained_model_thumbnail (store, id, *picture, &error));
  g_assert_no_error (error);

  return id;
}

static void
delete_listed_model (LkTestApp *test)
{
  const DeleteCase *test_case = test->data;
  GtkWidget *window = GTK_WIDGET (test->window);
  g_autofree char *version = lk_sim_add_trained_version (sim, "likeness-sim/likeness-lora");
  g_autofree char *path = g_strdup_printf ("/v1/models/likeness-sim/likeness-lora/versions/%s", version);
  g_autofree char *picture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  LkTrainPage *page;
  GtkWidget *dialog;
  GtkWidget *remote;
  Record record;

  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "train"));
  page = LK_TRAIN_PAGE (lk_test_find_descendant (window, LK_TYPE_TRAIN_PAGE));
  g_assert_true (lk_test_wait_for (has_trainer, page, 10000));
  record.store = lk_application_get_store (test->app);
  record.id = add_model (record.store, test_case->trained ? version : NULL, &picture);
  g_assert_true (lk_test_wait_for_text (window, "Ada"));

  lk_sim_clear_requests (sim);
  if (test_case->faults != NULL)
    {
      g_assert_true (lk_sim_add_faults (sim, test_case->faults, &error));
      g_assert_no_error (error);
    }

  /* The row's Delete… button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.delete-model", "x", record.id));
  dialog = wait_for_dialog ("Delete “Ada”?");
  g_assert_true (lk_test_shows_text (dialog, "what it cost stays in your history"));
  remote = lk_test_find_descendant (dialog, GTK_TYPE_CHECK_BUTTON);
  if (test_case->trained)
    {
      g_assert_true (lk_test_shows_text (dialog, "in your model likeness-sim/likeness-lora"));
      g_assert_nonnull (remote);
      g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (remote)), ==, "Also delete this version on Replicate");
      g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (remote)));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (remote), test_case->remote);
    }
  else
    {
      /* No version: nothing on Replicate to offer. */
      g_assert_false (lk_test_shows_text (dialog, "Replicate"));
      g_assert_null (remote);
    }
  click (dialog, "_Delete");

  if (test_case->deleted)
    {
      g_assert_true (lk_test_wait_for (record_gone, &record, 10000));
      g_assert_true (lk_test_wait_for (file_gone, picture, 10000));
      if (test_case->remote)
        g_assert_true (lk_test_wait_for_text (window, "“Ada” is deleted, here and on Replicate"));
    }
  else
    {
      dialog = wait_for_dialog ("Not Deleted on Replicate");
      g_assert_true (lk_test_shows_text (dialog, "Replicate refused to delete the version (You cannot delete a version"));
      g_assert_true (lk_test_shows_text (dialog, "Likeness kept “Ada” as it was"));
      click (dialog, "_Close");
      /* Nothing was lost, and the model can be deleted again. */
      g_assert_false (record_gone (&record));
      g_assert_true (g_file_test (picture, G_FILE_TEST_EXISTS));
      g_assert_true (lk_test_shows_text (window, "Ada"));
      g_assert_false (lk_test_shows_text (window, "on Replicate…"));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.delete-model", "x", record.id));
      click (wait_for_dialog ("Delete “Ada”?"), "_Cancel");
      lk_sim_clear_faults (sim);
      g_assert_true (lk_store_delete_trained_model (record.store, record.id, &error));
      g_assert_no_error (error);
    }

  /* One DELETE, of that version, or none at all. */
  g_assert_cmpuint (lk_sim_count_requests (sim, "DELETE", NULL), ==, test_case->remote ? 1 : 0);
  log = lk_sim_get_requests (sim);
  for (guint i = 0; i < log->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (log, i);

      if (g_str_equal (request->method, "DELETE"))
        {
          g_assert_cmpstr (request->path, ==, path);
          g_assert_cmpuint (request->status, ==, test_case->deleted ? 202 : 403);
        }
    }
}

static void
test_delete (gconstpointer data)
{
  lk_test_run_app (delete_listed_model, (gpointer) data);
}

int
main (int   argc,
      char *argv[])
{
  static const DeleteCase delete_cases[] = {
    { "remote", TRUE, NULL, TRUE, TRUE },
    { "here-only", FALSE, NULL, TRUE, TRUE },
    { "remote-refused", TRUE,
      "[{\"method\": \"DELETE\", \"fault\": \"status\", \"status\": 403,"
      " \"detail\": \"You cannot delete a version that other users have run.\"}]", FALSE, TRUE },
    { "failed-training", FALSE, NULL, TRUE, FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) sized = NULL;
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();

  sim = lk_sim_new ();
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
  for (guint i = 0; i < G_N_ELEMENTS (delete_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/train-page/delete/%s", delete_cases[i].name);

      g_test_add_data_func (path, &delete_cases[i], test_delete);
    }

  result = g_test_run ();
  lk_sim_stop (sim);
  g_clear_object (&sim);
  g_clear_object (&face);
  g_free (photos_dir);
  return result;
}
