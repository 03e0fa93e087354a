/* test-progress-training.c: a training on the Progress page, against an
 * in-process simulator: its steps as the logs advance, beside a portrait
 * job, canceled from there, how it ended, and found again after a
 * restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "lk-progress-page.h"
#include "lk-sim.h"
#include "lk-test-gui.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

#define TRAINER "ostris/flux-dev-lora-trainer"
#define N_PHOTOS 10
/* The draft preset's steps, which the simulator's logs count up to. */
#define N_STEPS 500
#define DEADLINE_MS 60000

static const char *home;
static LkSim *sim;
static GListStore *photos;

static gboolean
has_trainer (gpointer app)
{
  return lk_application_get_trainer (app) != NULL;
}

/* The app's trainer, once the store is open, looking often: the
 * simulator's training takes seconds, not minutes. */
static LkTrainer *
wait_for_trainer (LkTestApp *test)
{
  LkTrainer *trainer;

  g_assert_true (lk_test_wait_for (has_trainer, test->app, 10000));
  trainer = lk_application_get_trainer (test->app);
  lk_trainer_set_poll_interval (trainer, 0.02);
  return trainer;
}

static GtkWidget *
show_progress_page (LkTestApp *test)
{
  GtkWidget *window = GTK_WIDGET (test->window);

  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "progress"));
  return lk_test_find_descendant (window, LK_TYPE_PROGRESS_PAGE);
}

static LkTrainingPlan *
new_plan (LkTrainer  *trainer,
          const char *name,
          const char *trigger_word)
{
  LkTrainingPlan *plan = lk_training_plan_new (lk_trainer_get_trainer_model (trainer));

  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);
  lk_training_plan_set_name (plan, name);
  lk_training_plan_set_trigger_word (plan, trigger_word);
  lk_training_plan_set_subject_type (plan, LK_SUBJECT_TYPE_FACE);
  lk_training_plan_set_preset (plan, LK_QUALITY_PRESET_DRAFT);
  lk_training_plan_set_sample (plan, FALSE);
  return plan;
}

/* The step a shown “N of 500” label says, or 0. */
static guint
shown_step (GtkWidget *root)
{
  guint step = 0;

  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root))
    {
      guint total = 0;
      int end = 0;
      const char *text = gtk_label_get_text (GTK_LABEL (root));

      if (sscanf (text, "%u of %u%n", &step, &total, &end) != 2 || text[end] != '\0' || total != N_STEPS)
        step = 0;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL && step == 0;
       child = gtk_widget_get_next_sibling (child))
    step = shown_step (child);

  return step;
}

typedef struct
{
  GtkWidget *page;
  guint      after;
} StepWait;

static gboolean
step_passed (gpointer data)
{
  StepWait *wait = data;
  guint step = shown_step (wait->page);

  return step > wait->after && step < N_STEPS;
}

/* Waits until the page shows a step past @after, short of the last. */
static guint
wait_for_step (GtkWidget *page,
               guint      after)
{
  StepWait wait = { page, after };

  g_assert_true (lk_test_wait_for (step_passed, &wait, DEADLINE_MS));
  return shown_step (page);
}

static gboolean
empty_state_gone (gpointer page)
{
  return !lk_test_shows_text (page, "Nothing Is Being Made");
}

static gboolean
is_processing (gpointer trainer)
{
  return lk_trainer_get_status (trainer) == LK_TRAINING_STATUS_PROCESSING && lk_trainer_get_step (trainer) > 0;
}

static gboolean
is_idle (gpointer trainer)
{
  return !lk_trainer_get_busy (trainer);
}

/* Started on the Train page's trainer, the training shows on the
 * Progress page, its step counting up from the logs, to its end. */
static void
watch_training (LkTestApp *test)
{
  LkTrainer *trainer = wait_for_trainer (test);
  GtkWidget *page = show_progress_page (test);
  g_autoptr(LkTrainingPlan) plan = new_plan (trainer, "Grace", "gracex42");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint step;

  g_assert_true (lk_test_wait_for_text (page, "Nothing Is Being Made"));

  lk_trainer_train_async (trainer, plan, NULL, lk_test_store_result, &result);
  g_assert_true (lk_test_wait_for_text (page, "Training “Grace”"));
  /* Once the stack's cross-fade is over. */
  g_assert_true (lk_test_wait_for (empty_state_gone, page, 10000));
  g_assert_true (lk_test_shows_text (page, "Cost So Far"));

  step = wait_for_step (page, 0);
  wait_for_step (page, step);

  model = lk_trainer_train_finish (trainer, lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);

  /* How it ended stays, with the way to the model, until dismissed. */
  g_assert_true (lk_test_wait_for_text (page, "“Grace” Is Ready"));
  g_assert_true (lk_test_shows_text (page, "500 of 500"));
  g_assert_true (lk_test_shows_text (page, "Choose it on the Styles page, under My Models, to make portraits with it."));
  g_assert_true (gtk_widget_activate_action (page, "win.show-training", NULL));
  lk_test_drain ();
  g_assert_cmpstr (lk_window_get_page (test->window), ==, "train");
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (test->window), "Ready · gracex42"));

  show_progress_page (test);
  g_assert_true (gtk_widget_activate_action (page, "training.dismiss", NULL));
  lk_test_drain ();
  g_assert_true (lk_test_wait_for_text (page, "Nothing Is Being Made"));
}

static void
test_watch (void)
{
  lk_test_run_app (watch_training, NULL);
}

static GtkWidget *
find_cancel_dialog (void)
{
  return GTK_WIDGET (lk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
cancel_dialog_shown (gpointer data)
{
  return find_cancel_dialog () != NULL;
}

static gboolean
job_canceled (gpointer batch)
{
  return lk_batch_get_state (batch) == LK_JOB_STATE_CANCELED;
}

/* A portrait job of two styles, as the Generate bar starts one. */
static LkBatch *
start_portraits (LkTestApp *test,
                 GtkWidget *page)
{
  LkApplication *app = test->app;
  GListModel *styles = lk_style_library_get_styles (lk_application_get_styles (app));
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func (g_object_unref);
  LkBatch *batch;

  g_ptr_array_add (chosen, g_list_model_get_item (styles, 0));
  g_ptr_array_add (chosen, g_list_model_get_item (styles, 1));
  g_ptr_array_add (references, g_list_model_get_item (G_LIST_MODEL (photos), 0));

  batch = lk_batch_new (lk_application_get_client (app), lk_application_get_store (app),
                        lk_application_get_catalog (app), lk_application_get_budget (app));
  lk_batch_set_styles (batch, chosen);
  lk_batch_set_references (batch, references);
  lk_progress_page_start (LK_PROGRESS_PAGE (page), batch);
  return batch;
}

/* Beside a portrait job, each in its own section; canceled from the
 * Progress page with the wizard's question, which reaches Replicate. */
static void
cancel_training (LkTestApp *test)
{
  LkTrainer *trainer = wait_for_trainer (test);
  GtkWidget *page = show_progress_page (test);
  g_autoptr(LkTrainingPlan) plan = new_plan (trainer, "Ada", "adax77");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LkBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cancel_path = NULL;
  GtkWidget *dialog;

  lk_trainer_train_async (trainer, plan, NULL, lk_test_store_result, &result);
  wait_for_step (page, 0);
  batch = start_portraits (test, page);
  g_assert_true (lk_test_wait_for_text (page, "Training “Ada”"));
  g_assert_true (lk_test_wait_for_text (page, "of 2 portraits"));
  g_assert_true (lk_test_shows_text (page, "Cost So Far"));

  g_assert_true (gtk_widget_activate_action (page, "training.cancel", NULL));
  g_assert_true (lk_test_wait_for (cancel_dialog_shown, NULL, 10000));
  dialog = find_cancel_dialog ();
  g_assert_true (lk_test_shows_text (dialog, "Cancel the Training?"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-training");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_null (lk_trainer_train_finish (trainer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED);
  cancel_path = g_strdup_printf ("/v1/trainings/%s/cancel", lk_trainer_get_training_id (trainer));
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", cancel_path), ==, 1);

  g_assert_true (lk_test_wait_for_text (page, "Training Canceled"));
  g_assert_true (lk_test_shows_text (page, "The training was canceled."));
  g_assert_true (lk_test_shows_text (page, "Open Train Page"));

  /* The job goes on, and stays once the training is dismissed. */
  g_assert_cmpint (lk_batch_get_state (batch), ==, LK_JOB_STATE_RUNNING);
  g_assert_true (gtk_widget_activate_action (page, "training.dismiss", NULL));
  lk_test_drain ();
  g_assert_false (lk_test_shows_text (page, "Training Canceled"));
  g_assert_true (lk_test_shows_text (page, "of 2 portraits"));

  lk_batch_cancel (batch);
  g_assert_true (lk_test_wait_for (job_canceled, batch, DEADLINE_MS));
}

static void
test_cancel (void)
{
  lk_test_run_app (cancel_training, NULL);
}

/* A training the app was closed on, as a restart finds it. */
static void
leave_training (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  g_autoptr(LkClient) client = lk_client_new (NULL, lk_sim_get_base_url (sim));
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(LkTrainer) trainer = NULL;
  g_autoptr(LkTrainingPlan) plan = NULL;
  g_autoptr(GCancellable) closing = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  lk_client_set_token (client, LK_SIM_TOKEN);
  trainer = lk_trainer_new (client, store, catalog);
  lk_trainer_set_poll_interval (trainer, 0.02);
  plan = new_plan (trainer, "Hedy", "hedyx31");

  lk_trainer_train_async (trainer, plan, closing, lk_test_store_result, &result);
  g_assert_true (lk_test_wait_for (is_processing, trainer, DEADLINE_MS));
  g_cancellable_cancel (closing);
  g_assert_null (lk_trainer_train_finish (trainer, lk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
reattach_training (LkTestApp *test)
{
  LkTrainer *trainer = wait_for_trainer (test);
  GtkWidget *page = show_progress_page (test);

  g_assert_true (lk_test_wait_for_text (page, "Training “Hedy”"));
  /* Once the stack's cross-fade is over. */
  g_assert_true (lk_test_wait_for (empty_state_gone, page, 10000));
  wait_for_step (page, 0);

  g_assert_true (lk_test_wait_for (is_idle, trainer, DEADLINE_MS));
  g_assert_true (lk_test_wait_for_text (page, "“Hedy” Is Ready"));
  g_assert_true (lk_test_shows_text (page, "500 of 500"));
}

static void
test_reattach (void)
{
  /* Long enough to be under way still once the app is up again. */
  lk_sim_set_model_duration (sim, TRAINER, 10000);
  leave_training ();
  lk_test_run_app (reattach_training, NULL);
  lk_sim_set_model_duration (sim, TRAINER, 4000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();

  /* A training of some seconds, so that its steps can be seen going by. */
  sim = lk_sim_new ();
  lk_sim_set_time_scale (sim, 0.001);
  lk_sim_set_model_duration (sim, TRAINER, 4000);
  /* Portraits that outlast the training beside them. */
  lk_sim_set_model_duration (sim, "bytedance/flux-pulid", 600000);
  lk_sim_set_output_lifetime (sim, 1e7);
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  g_setenv ("REPLICATE_API_TOKEN", LK_SIM_TOKEN, TRUE);
  g_setenv ("REPLICATE_BASE_URL", lk_sim_get_base_url (sim), TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  photos = lk_test_photo_faces (home, "grace", N_PHOTOS);

  g_test_add_func ("/lk/progress-training/watch", test_watch);
  g_test_add_func ("/lk/progress-training/cancel", test_cancel);
  g_test_add_func ("/lk/progress-training/reattach", test_reattach);

  result = g_test_run ();
  lk_sim_stop (sim);
  g_clear_object (&sim);
  g_clear_object (&photos);
  return result;
}
