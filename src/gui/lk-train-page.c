/* lk-train-page.c: the Train page: the person's trained models, and the
 * wizard that trains a new one: photos and their checks, what to teach
 * and the trigger word, the quality, a review with the cost, then the
 * training as it goes.
 *
 * The page drives the app's LkTrainer once the store is open, and resumes
 * with it a training an earlier run of the app left on Replicate. The
 * wizard edits an LkTrainingPlan; every check and estimate comes from it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-train-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-application.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-train-page.h"
#include "lk-trained-model-row.h"
#include "lk-training-progress.h"
#include "lk-trigger-word.h"
#include "lk-window.h"

typedef enum
{
  STEP_PHOTOS,
  STEP_SUBJECT,
  STEP_QUALITY,
  STEP_REVIEW,
  STEP_PROGRESS,
  N_STEPS
} Step;

static const struct
{
  const char *name;
  const char *title;
  const char *description;
} steps[N_STEPS] = {
  { "photos", N_("Photos"),
    N_("A model learns from 10 to 30 photos of the same subject, each a little different: angle, light, setting, expression.") },
  { "subject", N_("What to Teach"),
    N_("The trigger word is how your prompts will call up your model: a made-up word, unlike any word the model knows.") },
  { "quality", N_("Quality"),
    N_("Longer trainings learn more detail. Replicate charges for every second of GPU time they take.") },
  { "review", N_("Review"),
    N_("Nothing is spent until you start. The photos are resized and stripped of location and camera data before they are uploaded.") },
  { "progress", N_("Training"),
    N_("The training runs on Replicate: you may close Likeness, and it will look in on the training when you open it again.") },
};

struct _LkTrainPage
{
  AdwBin              parent_instance;

  LkApplication      *app;
  GCancellable       *cancellable;
  LkTrainer          *trainer;
  LkTrainingPlan     *plan;
  LkPhotoScorer      *folder_scorer;
  LkPhotoScorer      *photo_source;
  GListStore         *models;
  GRand              *rand;
  Step                step;
  gboolean            subject_chosen;
  gboolean            syncing;
  /* A version being deleted on Replicate: one at a time. */
  gboolean            deleting;
  char               *suggested;

  GtkStack           *stack;
  GtkButton          *progress_button;
  AdwPreferencesGroup *models_group;
  GtkListBox         *models_list;
  GtkBox             *deleting_box;
  GtkLabel           *step_number;
  GtkLabel           *step_title;
  GtkLabel           *step_description;
  GtkStack           *steps;
  AdwActionRow       *source_row;
  GtkSpinner         *scoring_spinner;
  GtkListBox         *checks_list;
  GtkListBox         *photos_list;
  AdwEntryRow        *name_row;
  AdwEntryRow        *description_row;
  AdwComboRow        *subject_row;
  AdwEntryRow        *trigger_row;
  GtkLabel           *trigger_label;
  AdwActionRow       *draft_row;
  AdwActionRow       *standard_row;
  AdwActionRow       *premium_row;
  GtkCheckButton     *draft_check;
  GtkCheckButton     *standard_check;
  GtkCheckButton     *premium_check;
  GtkSpinButton      *steps_spin;
  GtkSpinButton      *learning_rate_spin;
  GtkSpinButton      *rank_spin;
  AdwComboRow        *resolution_row;
  GtkSwitch          *autocaption_switch;
  GtkLabel           *estimate_label;
  AdwActionRow       *review_photos;
  AdwActionRow       *review_model;
  AdwActionRow       *review_trigger;
  AdwActionRow       *review_quality;
  AdwActionRow       *review_estimate;
  AdwActionRow       *sample_row;
  GtkSwitch          *sample_switch;
  GtkLabel           *total_label;
  GtkBox             *result_box;
  GtkPicture         *result_picture;
  GtkImage           *result_icon;
  GtkLabel           *result_title;
  GtkLabel           *result_description;
  LkTrainingProgress *progress;
  GtkButton          *close_button;
  GtkButton          *cancel_training_button;
  GtkButton          *next_button;
  GtkButton          *start_button;
  GtkButton          *done_button;
  GtkButton          *back_button;
};

G_DEFINE_FINAL_TYPE (LkTrainPage, lk_train_page, ADW_TYPE_BIN)

static void suggest_trigger (LkTrainPage *self);

static GtkCheckButton *
preset_check (LkTrainPage     *self,
              LkQualityPreset  preset)
{
  GtkCheckButton *checks[] = { self->draft_check, self->standard_check, self->premium_check };

  return checks[preset];
}

static GtkWindow *
get_window (LkTrainPage *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

static void
toast (LkTrainPage *self,
       const char  *message)
{
  GtkWindow *window = get_window (self);

  if (LK_IS_WINDOW (window))
    lk_window_add_toast (LK_WINDOW (window), message);
}

/* The trigger words of the person's models, which a new one may not take. */
static GStrv
dup_taken_words (LkTrainPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->models)); i++)
    {
      g_autoptr(LkTrainedModel) model = g_list_model_get_item (G_LIST_MODEL (self->models), i);

      g_strv_builder_add (builder, lk_trained_model_get_trigger_word (model));
    }

  return g_strv_builder_end (builder);
}

static gboolean
has_blocker (LkTrainPage *self)
{
  g_autoptr(GPtrArray) checks = lk_training_plan_check (self->plan);

  return ((LkTrainingCheck *) g_ptr_array_index (checks, 0))->level == LK_TRAINING_CHECK_BLOCKER;
}

static gboolean
can_go_on (LkTrainPage *self)
{
  g_auto(GStrv) taken = NULL;
  g_autoptr(GString) name = NULL;

  switch (self->step)
    {
    case STEP_PHOTOS:
      return !has_blocker (self);

    case STEP_SUBJECT:
      taken = dup_taken_words (self);
      name = g_string_new (lk_training_plan_get_name (self->plan));
      return *g_strstrip (name->str) != '\0' &&
             lk_trigger_word_validate (lk_training_plan_get_trigger_word (self->plan),
                                       (const char * const *) taken, NULL);

    case STEP_QUALITY:
    case STEP_REVIEW:
    case STEP_PROGRESS:
    case N_STEPS:
    default:
      return TRUE;
    }
}

/* One place sets which actions can run and which buttons show. */
static void
update_actions (LkTrainPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = self->trainer != NULL && lk_trainer_get_busy (self->trainer);
  gboolean editing = self->plan != NULL && self->step < STEP_PROGRESS;
  gboolean watching = self->step == STEP_PROGRESS;

  gtk_widget_action_set_enabled (widget, "train.new", self->trainer != NULL && !busy);
  gtk_widget_action_set_enabled (widget, "train.show-progress", busy);
  gtk_widget_action_set_enabled (widget, "train.back", editing && self->step > STEP_PHOTOS);
  gtk_widget_action_set_enabled (widget, "train.next", editing && self->step < STEP_REVIEW && can_go_on (self));
  gtk_widget_action_set_enabled (widget, "train.start", editing && self->step == STEP_REVIEW && !busy);
  gtk_widget_action_set_enabled (widget, "train.cancel-training",
                                 busy && lk_training_status_is_under_way (lk_trainer_get_status (self->trainer)));
  gtk_widget_action_set_enabled (widget, "train.choose-folder", editing);
  gtk_widget_action_set_enabled (widget, "train.suggest-trigger", editing);
  gtk_widget_action_set_enabled (widget, "train.delete-model", !self->deleting);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), editing);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), editing && self->step < STEP_REVIEW);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), editing && self->step == STEP_REVIEW);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), editing || (watching && busy));
  gtk_button_set_label (self->close_button, editing ? _("_Cancel") : _("_Hide"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_training_button), watching && busy);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), watching && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->deleting_box), self->deleting);
}

/* The models ----------------------------------------------------------------- */

static void
models_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  models = lk_store_list_trained_models_finish (LK_STORE (object), result, &error);
  if (models == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  g_list_store_splice (self->models, 0, g_list_model_get_n_items (G_LIST_MODEL (self->models)),
                       models->pdata, models->len);
  gtk_widget_set_visible (GTK_WIDGET (self->models_group), models->len > 0);
  update_actions (self);
}

static void
refresh_models (LkTrainPage *self)
{
  LkStore *store = lk_application_get_store (self->app);

  if (store != NULL)
    lk_store_list_trained_models_async (store, self->cancellable, models_listed_cb, g_object_ref (self));
}

static GtkWidget *
create_model_row (gpointer item,
                  gpointer user_data)
{
  LkTrainPage *self = user_data;

  return lk_trained_model_row_new (item, self->trainer);
}

/* The checks ------------------------------------------------------------------ */

static const char *
check_icon (LkTrainingCheckLevel level)
{
  switch (level)
    {
    case LK_TRAINING_CHECK_BLOCKER:
      return "dialog-error-symbolic";
    case LK_TRAINING_CHECK_WARNING:
      return "dialog-warning-symbolic";
    case LK_TRAINING_CHECK_GOOD:
    default:
      return "emblem-ok-symbolic";
    }
}

static GtkWidget *
check_row_new (LkTrainingCheck *check)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (check_icon (check->level));
  GtkWidget *row;

  gtk_widget_add_css_class (icon, check->level == LK_TRAINING_CHECK_BLOCKER ? "error"
                                  : check->level == LK_TRAINING_CHECK_WARNING ? "warning" : "success");

  if (check->files[0] == NULL)
    {
      row = adw_action_row_new ();
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else
    {
      row = adw_expander_row_new ();
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      for (guint i = 0; check->files[i] != NULL; i++)
        {
          GtkWidget *file_row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (file_row), check->files[i]);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (file_row), FALSE);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), file_row);
        }
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->title);
  g_object_set (row, "subtitle", check->detail, NULL);
  return row;
}

static void
recheck (LkTrainPage *self)
{
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;
  guint n_photos;

  if (self->plan == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checks_list))) != NULL)
    gtk_list_box_remove (self->checks_list, child);

  checks = lk_training_plan_check (self->plan);
  for (guint i = 0; i < checks->len; i++)
    gtk_list_box_append (self->checks_list, check_row_new (g_ptr_array_index (checks, i)));

  gtk_spinner_set_spinning (self->scoring_spinner, lk_photo_scorer_get_busy (self->photo_source));

  n_photos = g_list_model_get_n_items (lk_training_plan_get_photos (self->plan));
  title = g_strdup_printf (self->folder_scorer != NULL
                           ? g_dngettext (GETTEXT_PACKAGE, "%u photo from the chosen folder",
                                          "%u photos from the chosen folder", n_photos)
                           : g_dngettext (GETTEXT_PACKAGE, "%u photo from the Photos page",
                                          "%u photos from the Photos page", n_photos),
                           n_photos);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row), title);

  update_actions (self);
}

/* The photos ------------------------------------------------------------------ */

static char *
describe_photo (LkPhoto *photo)
{
  const LkPhotoMetrics *metrics = lk_photo_get_metrics (photo);
  g_autofree char *duplicate = NULL;

  if (lk_photo_get_skip_reason (photo) != NULL)
    return g_strdup (lk_photo_get_skip_reason (photo));

  if (metrics == NULL)
    return g_strdup (_("Being looked at…"));

  if (MIN (metrics->width, metrics->height) < LK_TRAINING_MIN_SIDE)
    /* Translators: a photo's width and height in pixels. */
    return g_strdup_printf (_("%d × %d: too small, left out"), metrics->width, metrics->height);

  if (lk_photo_get_duplicate_of (photo) != NULL)
    {
      duplicate = g_path_get_basename (lk_photo_get_duplicate_of (photo));
      /* Translators: width, height, then the name of the similar photo. */
      return g_strdup_printf (_("%d × %d, almost the same as %s"), metrics->width, metrics->height, duplicate);
    }

  return g_strdup_printf (_("%d × %d"), metrics->width, metrics->height);
}

static void
caption_changed_cb (GtkEditable *editable,
                    LkTrainPage *self)
{
  LkPhoto *photo = g_object_get_data (G_OBJECT (editable), "lk-photo");

  if (self->plan != NULL)
    lk_training_plan_set_caption (self->plan, photo, gtk_editable_get_text (editable));
}

static void
photo_changed_cb (GtkWidget *row)
{
  gtk_widget_activate_action (row, "train.recheck", NULL);
}

static GtkWidget *
create_photo_row (gpointer item,
                  gpointer user_data)
{
  LkTrainPage *self = user_data;
  LkPhoto *photo = item;
  GdkPixbuf *thumbnail = lk_photo_get_thumbnail (photo);
  g_autofree char *subtitle = describe_photo (photo);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *caption = adw_entry_row_new ();
  GtkWidget *picture = gtk_picture_new ();
  const char *text = lk_training_plan_get_caption (self->plan, photo);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_photo_get_name (photo));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (row), TRUE);

  if (thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (thumbnail);

      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
    }
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, 40, 40);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), picture);

  /* The switch is the photo's own mark, shared with the Photos page. */
  g_object_bind_property (photo, "excluded", row, "enable-expansion",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row),
                                         lk_training_plan_is_photo_used (self->plan, photo) || lk_photo_get_excluded (photo)
                                         ? !lk_photo_get_excluded (photo) : FALSE);
  g_signal_connect_object (photo, "notify::excluded", G_CALLBACK (photo_changed_cb), row, G_CONNECT_SWAPPED);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (caption), _("Caption"));
  gtk_editable_set_text (GTK_EDITABLE (caption), text != NULL ? text : "");
  g_object_set_data_full (G_OBJECT (caption), "lk-photo", g_object_ref (photo), g_object_unref);
  g_signal_connect_object (caption, "changed", G_CALLBACK (caption_changed_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), caption);

  return row;
}

static void
photos_changed_cb (LkTrainPage *self)
{
  recheck (self);
}

static void
forget_photos (LkTrainPage *self)
{
  if (self->photo_source == NULL)
    return;

  g_signal_handlers_disconnect_by_func (lk_photo_scorer_get_photos (self->photo_source), photos_changed_cb, self);
  g_signal_handlers_disconnect_by_func (self->photo_source, photos_changed_cb, self);
  g_clear_object (&self->photo_source);
}

/* Follows the photos of @scorer: the Photos page's, or a chosen folder's. */
static void
use_photos (LkTrainPage   *self,
            LkPhotoScorer *scorer)
{
  GListModel *photos = lk_photo_scorer_get_photos (scorer);

  forget_photos (self);
  self->photo_source = g_object_ref (scorer);
  lk_training_plan_set_photos (self->plan, photos, lk_photo_scorer_get_skipped (scorer));
  gtk_list_box_bind_model (self->photos_list, photos, create_photo_row, self, NULL);
  g_signal_connect_object (photos, "items-changed", G_CALLBACK (photos_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scorer, "notify::busy", G_CALLBACK (photos_changed_cb), self, G_CONNECT_SWAPPED);
  recheck (self);
}

static void
folder_scored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_photo_scorer_add_finish (LK_PHOTO_SCORER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

/* Photos from another folder than the Photos page's, for this training
 * only. */
static void
use_folder (LkTrainPage *self,
            GFile       *folder)
{
  g_clear_object (&self->folder_scorer);
  self->folder_scorer = lk_photo_scorer_new ();
  lk_photo_scorer_set_thumbnail_size (self->folder_scorer, 96);
  use_photos (self, self->folder_scorer);
  lk_photo_scorer_add_async (self->folder_scorer, &folder, 1, self->cancellable, folder_scored_cb, g_object_ref (self));
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (folder != NULL)
    use_folder (self, folder);
}

static void
choose_folder (LkTrainPage *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Choose a Folder of Photos to Train With"));
  gtk_file_dialog_select_folder (dialog, get_window (self), self->cancellable, folder_chosen_cb, g_object_ref (self));
}
#else
static void
folder_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    LkTrainPage     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      use_folder (self, folder);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_folder (LkTrainPage *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Folder of Photos to Train With"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif

/* What to teach ------------------------------------------------------------- */

static void
show_subject (LkTrainPage *self)
{
  self->syncing = TRUE;
  adw_combo_row_set_selected (self->subject_row, lk_training_plan_get_subject_type (self->plan));
  g_object_set (self->subject_row, "subtitle", self->subject_chosen ? NULL : _("Detected from your photos and words; change it if it is wrong"), NULL);
  self->syncing = FALSE;
}

/* Until the person chooses, the subject follows the photos and words. */
static void
detect_subject (LkTrainPage *self)
{
  if (!self->subject_chosen)
    lk_training_plan_set_subject_type (self->plan, lk_training_plan_detect_subject (self->plan));
  show_subject (self);
}

/* Says under the form what keeps the wizard from going on, or else how
 * the trigger word will be used. */
static void
validate_subject (LkTrainPage *self)
{
  g_auto(GStrv) taken = dup_taken_words (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) name = g_string_new (lk_training_plan_get_name (self->plan));
  g_autofree char *text = NULL;
  const char *word = lk_training_plan_get_trigger_word (self->plan);
  gboolean valid_word = lk_trigger_word_validate (word, (const char * const *) taken, &error);
  gboolean ok = valid_word && *g_strstrip (name->str) != '\0';

  if (!valid_word)
    text = g_strdup (error->message);
  else if (!ok)
    text = g_strdup (_("Give the model a name, such as your first name, to go on."));
  else
    /* Translators: %s is the trigger word, as a prompt would use it. */
    text = g_strdup_printf (_("Prompts will say, for example, “a photo of %s person in a red coat”."), word);

  gtk_label_set_label (self->trigger_label, text);
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->trigger_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->trigger_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->trigger_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->trigger_label), "error");
    }

  if (valid_word)
    gtk_widget_remove_css_class (GTK_WIDGET (self->trigger_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->trigger_row), "error");

  update_actions (self);
}

static void
entry_changed_cb (GtkEditable *editable,
                  LkTrainPage *self)
{
  const char *text = gtk_editable_get_text (editable);

  if (self->plan == NULL || self->syncing)
    return;

  if (editable == GTK_EDITABLE (self->name_row))
    {
      lk_training_plan_set_name (self->plan, text);
      /* A suggestion follows the name until the person writes their own. */
      if (g_strcmp0 (self->suggested, lk_training_plan_get_trigger_word (self->plan)) == 0)
        suggest_trigger (self);
    }
  else if (editable == GTK_EDITABLE (self->description_row))
    lk_training_plan_set_description (self->plan, text);
  else
    lk_training_plan_set_trigger_word (self->plan, text);

  if (editable != GTK_EDITABLE (self->trigger_row))
    detect_subject (self);
  validate_subject (self);
}

static void
subject_selected_cb (LkTrainPage *self)
{
  if (self->plan == NULL || self->syncing)
    return;

  self->subject_chosen = TRUE;
  lk_training_plan_set_subject_type (self->plan, adw_combo_row_get_selected (self->subject_row));
  show_subject (self);
}

static void
suggest_trigger (LkTrainPage *self)
{
  g_auto(GStrv) taken = dup_taken_words (self);

  g_free (self->suggested);
  self->suggested = lk_trigger_word_suggest (lk_training_plan_get_name (self->plan),
                                             (const char * const *) taken, self->rand);
  gtk_editable_set_text (GTK_EDITABLE (self->trigger_row), self->suggested);
}

/* Quality ------------------------------------------------------------------- */

static char *
describe_estimate (double seconds,
                   gint64 cost)
{
  g_autofree char *money = lk_money_format (cost);

  /* Translators: minutes, then the cost, such as “$1.83”. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %d minute, about %s", "about %d minutes, about %s",
                                       (int) ((seconds + 59) / 60)),
                          (int) ((seconds + 59) / 60), money);
}

static void
show_presets (LkTrainPage *self)
{
  LkModel *trainer = lk_training_plan_get_trainer (self->plan);
  AdwActionRow *rows[] = { self->draft_row, self->standard_row, self->premium_row };

  for (LkQualityPreset preset = LK_QUALITY_PRESET_DRAFT; preset <= LK_QUALITY_PRESET_PREMIUM; preset++)
    {
      JsonNode *steps_value = lk_model_get_preset_value (trainer, preset, "steps");
      JsonNode *rank = lk_model_get_preset_value (trainer, preset, "lora_rank");
      g_autofree char *estimate = describe_estimate (lk_model_get_typical_seconds (trainer, preset),
                                                     lk_model_estimate (trainer, preset, 1));
      /* Translators: training steps, the LoRA rank, then the estimate. */
      g_autofree char *subtitle = g_strdup_printf (_("%d steps, rank %d: %s"),
                                                   steps_value != NULL ? (int) json_node_get_int (steps_value) : 0,
                                                   rank != NULL ? (int) json_node_get_int (rank) : 0, estimate);

      adw_action_row_set_subtitle (rows[preset], subtitle);
    }
}

static void
show_estimate (LkTrainPage *self)
{
  g_autofree char *estimate = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rate = NULL;
  LkModel *trainer;

  if (self->plan == NULL)
    return;

  trainer = lk_training_plan_get_trainer (self->plan);
  estimate = describe_estimate (lk_training_plan_estimate_seconds (self->plan), lk_training_plan_estimate_cost (self->plan));
  rate = g_strdup_printf ("$%.6f", lk_money_to_usd (lk_model_get_price (trainer)));
  /* Translators: the estimate, then the GPU's price per second. */
  text = g_strdup_printf (_("This training: %s, on an H100 GPU at %s a second."), estimate, rate);
  gtk_label_set_label (self->estimate_label, text);

  self->syncing = TRUE;
  gtk_check_button_set_active (preset_check (self, lk_training_plan_get_preset (self->plan)), TRUE);
  self->syncing = FALSE;
}

static void
preset_toggled_cb (GtkCheckButton *check,
                   LkTrainPage    *self)
{
  if (self->plan == NULL || self->syncing || !gtk_check_button_get_active (check))
    return;

  for (LkQualityPreset preset = LK_QUALITY_PRESET_DRAFT; preset <= LK_QUALITY_PRESET_PREMIUM; preset++)
    {
      if (preset_check (self, preset) == check)
        lk_training_plan_set_preset (self->plan, preset);
    }
}

static void
show_resolution (LkTrainPage *self)
{
  GListModel *values = adw_combo_row_get_model (self->resolution_row);
  const char *resolution = lk_training_plan_get_resolution (self->plan);

  self->syncing = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (values), i), resolution) == 0)
        adw_combo_row_set_selected (self->resolution_row, i);
    }
  self->syncing = FALSE;
}

static void
resolution_selected_cb (LkTrainPage *self)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (self->resolution_row);

  if (self->plan != NULL && !self->syncing && item != NULL)
    lk_training_plan_set_resolution (self->plan, gtk_string_object_get_string (item));
}

static void
set_range (GtkSpinButton *spin,
           LkModel       *trainer,
           const char    *field,
           double         fallback_min,
           double         fallback_max)
{
  double min, max;

  lk_model_get_input_range (trainer, field, &min, &max);
  gtk_spin_button_set_range (spin, min > -G_MAXDOUBLE ? min : fallback_min, max < G_MAXDOUBLE ? max : fallback_max);
}

/* The advanced values follow the plan, within the trainer's limits. */
static void
bind_settings (LkTrainPage *self)
{
  LkModel *trainer = lk_training_plan_get_trainer (self->plan);
  const char * const *resolutions = lk_model_get_input_values (trainer, "resolution");
  g_autoptr(GtkStringList) list = gtk_string_list_new (resolutions);
  GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  set_range (self->steps_spin, trainer, "steps", 1, 10000);
  set_range (self->learning_rate_spin, trainer, "learning_rate", 0.00001, 0.01);
  set_range (self->rank_spin, trainer, "lora_rank", 1, 256);
  adw_combo_row_set_model (self->resolution_row, G_LIST_MODEL (list));

  g_object_bind_property (self->plan, "steps", self->steps_spin, "value", flags);
  g_object_bind_property (self->plan, "learning-rate", self->learning_rate_spin, "value", flags);
  g_object_bind_property (self->plan, "lora-rank", self->rank_spin, "value", flags);
  g_object_bind_property (self->plan, "autocaption", self->autocaption_switch, "active", flags);
  g_object_bind_property (self->plan, "sample", self->sample_switch, "active", flags);
  g_signal_connect_object (self->plan, "notify::resolution", G_CALLBACK (show_resolution), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->plan, "notify::estimate-cost", G_CALLBACK (show_estimate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->plan, "notify::preset", G_CALLBACK (show_estimate), self, G_CONNECT_SWAPPED);
  show_resolution (self);
  show_estimate (self);
  show_presets (self);
}

/* Review and start ----------------------------------------------------------- */

static void
show_total (LkTrainPage *self)
{
  gint64 sample = lk_training_plan_get_sample (self->plan) ? lk_trainer_estimate_sample (self->trainer) : 0;
  g_autofree char *total = lk_money_format (lk_training_plan_estimate_cost (self->plan) + sample);

  gtk_label_set_label (self->total_label, total);
}

static void
show_review (LkTrainPage *self)
{
  g_autoptr(GPtrArray) images = lk_training_plan_dup_images (self->plan);
  const char * const presets[] = { _("Draft"), _("Standard"), _("Premium") };
  const char * const subjects[] = { _("a face"), _("a style"), _("an object") };
  g_autofree char *photos = NULL;
  g_autofree char *model = NULL;
  g_autofree char *quality = NULL;
  g_autofree char *estimate = NULL;
  g_autofree char *sample_cost = lk_money_format (lk_trainer_estimate_sample (self->trainer));
  g_autofree char *sample = NULL;
  guint n_captions = 0;

  for (guint i = 0; i < images->len; i++)
    n_captions += ((LkTrainingImage *) g_ptr_array_index (images, i))->caption != NULL;

  /* Translators: photos used, then how many have a caption. */
  photos = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo, %u with a caption", "%u photos, %u with a caption",
                                         images->len), images->len, n_captions);
  /* Translators: the model's name, then what it learns: “a face”. */
  model = g_strdup_printf (_("%s, learning %s"), lk_training_plan_get_name (self->plan),
                           subjects[lk_training_plan_get_subject_type (self->plan)]);
  /* Translators: the preset, steps, LoRA rank, learning rate, resolutions. */
  quality = g_strdup_printf (_("%s: %u steps, rank %u, learning rate %g, at %s pixels"),
                             presets[lk_training_plan_get_preset (self->plan)],
                             lk_training_plan_get_steps (self->plan), lk_training_plan_get_lora_rank (self->plan),
                             lk_training_plan_get_learning_rate (self->plan),
                             lk_training_plan_get_resolution (self->plan) != NULL ? lk_training_plan_get_resolution (self->plan) : "512,768,1024");
  estimate = describe_estimate (lk_training_plan_estimate_seconds (self->plan), lk_training_plan_estimate_cost (self->plan));
  /* Translators: %s is the cost of one portrait, such as “$0.02”. */
  sample = g_strdup_printf (_("About %s, once the model is ready. It becomes the model’s picture."), sample_cost);

  adw_action_row_set_subtitle (self->review_photos, photos);
  adw_action_row_set_subtitle (self->review_model, model);
  adw_action_row_set_subtitle (self->review_trigger, lk_training_plan_get_trigger_word (self->plan));
  adw_action_row_set_subtitle (self->review_quality, quality);
  adw_action_row_set_subtitle (self->review_estimate, estimate);
  adw_action_row_set_subtitle (self->sample_row, sample);
  show_total (self);
}

static void
show_step (LkTrainPage *self,
           Step         step)
{
  g_autofree char *number = NULL;

  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, "wizard");
  gtk_stack_set_visible_child_name (self->steps, steps[step].name);

  /* Translators: the wizard's step, of its four. */
  number = step < STEP_PROGRESS ? g_strdup_printf (_("Step %d of %d"), step + 1, STEP_PROGRESS) : g_strdup ("");
  gtk_label_set_label (self->step_number, number);
  gtk_label_set_label (self->step_title, _(steps[step].title));
  gtk_label_set_label (self->step_description, _(steps[step].description));

  switch (step)
    {
    case STEP_PHOTOS:
      recheck (self);
      break;

    case STEP_SUBJECT:
      detect_subject (self);
      validate_subject (self);
      break;

    case STEP_QUALITY:
      show_estimate (self);
      break;

    case STEP_REVIEW:
      show_review (self);
      break;

    case STEP_PROGRESS:
    case N_STEPS:
    default:
      break;
    }

  update_actions (self);
}

static void
show_result (LkTrainPage    *self,
             LkTrainedModel *model,
             const GError   *error)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  const char *thumbnail = model != NULL ? lk_trained_model_get_thumbnail (model) : NULL;

  if (model != NULL)
    {
      g_autofree char *reference = lk_trained_model_dup_reference (model);

      /* Translators: %s is the model's name. */
      title = g_strdup_printf (_("“%s” Is Ready"), lk_trained_model_get_name (model));
      /* Translators: the trigger word, then the version on Replicate. */
      description = g_strdup_printf (_("Choose it on the Styles page, and every style’s prompt calls up your model with “%s”. "
                                       "Its version on Replicate is %s."),
                                     lk_trained_model_get_trigger_word (model), reference);
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "error");
    }
  else
    {
      title = g_strdup (g_error_matches (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED)
                        ? _("Training Canceled") : _("The Training Did Not Finish"));
      description = g_strdup (error->message);
      gtk_image_set_from_icon_name (self->result_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "success");
    }

  gtk_label_set_label (self->result_title, title);
  gtk_label_set_label (self->result_description, description);
  gtk_picture_set_filename (self->result_picture, thumbnail);
  gtk_widget_set_visible (GTK_WIDGET (self->result_picture), thumbnail != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_icon), thumbnail == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), TRUE);
  show_step (self, STEP_PROGRESS);
  /* The training is over: nothing left to wait for. */
  gtk_label_set_label (self->step_description, "");
}

static void
trained_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = lk_trainer_train_finish (LK_TRAINER (object), result, &error);

  /* Stopped watching: the page is going away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->plan);
  show_result (self, model, error);
}

static void
resumed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = lk_trainer_resume_finish (LK_TRAINER (object), result, &error);
  if ((model == NULL && error == NULL) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_result (self, model, error);
}

static void
start (LkTrainPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), FALSE);
  lk_trainer_train_async (self->trainer, self->plan, self->cancellable, trained_cb, g_object_ref (self));
  show_step (self, STEP_PROGRESS);
}

static void
close_wizard (LkTrainPage *self)
{
  /* A training under way goes on, and its progress is one click away. */
  if (self->step < STEP_PROGRESS)
    {
      g_clear_object (&self->plan);
      forget_photos (self);
      g_clear_object (&self->folder_scorer);
    }

  gtk_stack_set_visible_child_name (self->stack, "home");
  update_actions (self);
}

static void
new_model (LkTrainPage *self)
{
  GtkWindow *window = get_window (self);

  g_clear_object (&self->plan);
  g_clear_object (&self->folder_scorer);
  self->plan = lk_training_plan_new (lk_trainer_get_trainer_model (self->trainer));
  self->subject_chosen = FALSE;
  bind_settings (self);
  g_signal_connect_object (self->plan, "notify::sample", G_CALLBACK (show_total), self, G_CONNECT_SWAPPED);

  if (LK_IS_WINDOW (window))
    use_photos (self, lk_window_get_photo_scorer (LK_WINDOW (window)));

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), "");
  self->syncing = FALSE;
  suggest_trigger (self);

  show_step (self, STEP_PHOTOS);
}

/* The models' actions ------------------------------------------------------- */

static LkTrainedModel *
find_model (LkTrainPage *self,
            gint64       id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->models)); i++)
    {
      g_autoptr(LkTrainedModel) model = g_list_model_get_item (G_LIST_MODEL (self->models), i);

      if (lk_trained_model_get_id (model) == id)
        return model;
    }

  return NULL;
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkTrainPage      *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "lk-model-id"));
  g_autoptr(GString) name = g_string_new (gtk_editable_get_text (entry));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "rename") || *g_strstrip (name->str) == '\0')
    return;

  if (!lk_store_rename_trained_model (lk_application_get_store (self->app), id, name->str, &error))
    toast (self, error->message);
}

static void
rename_model (LkTrainPage    *self,
              LkTrainedModel *model)
{
  GtkWidget *dialog = adw_message_dialog_new (get_window (self), _("Rename the Model"), NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), lk_trained_model_get_name (model));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  g_object_set_data (G_OBJECT (dialog), "lk-model-id", GSIZE_TO_POINTER (lk_trained_model_get_id (model)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  LkTrainPage    *self;
  LkTrainedModel *model;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_object_unref (deletion->self);
  g_object_unref (deletion->model);
  g_free (deletion);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Deletion, deletion_free)

/* Removes the record and the picture; the ledger keeps what it cost. */
static gboolean
forget_model (LkTrainPage    *self,
              LkTrainedModel *model)
{
  g_autoptr(GError) error = NULL;

  if (!lk_store_delete_trained_model (lk_application_get_store (self->app), lk_trained_model_get_id (model), &error))
    {
      toast (self, error->message);
      return FALSE;
    }

  /* The picture is Likeness's own copy of the first portrait. */
  if (lk_trained_model_get_thumbnail (model) != NULL)
    {
      g_autoptr(GFile) picture = g_file_new_for_path (lk_trained_model_get_thumbnail (model));

      g_file_delete_async (picture, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }

  return TRUE;
}

static void
version_deleted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Deletion) deletion = user_data;
  LkTrainPage *self = deletion->self;
  const char *name = lk_trained_model_get_name (deletion->model);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWidget *dialog;

  if (!lk_client_delete_version_finish (LK_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->deleting = FALSE;
      update_actions (self);
      /* Translators: an error message, then the model's name. */
      message = g_strdup_printf (_("%s\n\nLikeness kept “%s” as it was."), error->message, name);
      dialog = adw_message_dialog_new (get_window (self), _("Not Deleted on Replicate"), message);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  self->deleting = FALSE;
  update_actions (self);
  if (forget_model (self, deletion->model))
    {
      /* Translators: %s is the model's name. */
      message = g_strdup_printf (_("“%s” is deleted, here and on Replicate"), name);
      toast (self, message);
    }
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkTrainPage      *self)
{
  LkTrainedModel *model = g_object_get_data (G_OBJECT (dialog), "lk-model");
  GtkWidget *remote = adw_message_dialog_get_extra_child (dialog);
  Deletion *deletion;

  if (!g_str_equal (response, "delete"))
    return;

  if (remote == NULL || !gtk_check_button_get_active (GTK_CHECK_BUTTON (remote)))
    {
      forget_model (self, model);
      return;
    }

  /* Replicate first: if it refuses, nothing is lost here either. */
  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->model = g_object_ref (model);
  self->deleting = TRUE;
  update_actions (self);
  lk_client_delete_version_async (lk_application_get_client (self->app), lk_trained_model_get_destination (model),
                                  lk_trained_model_get_version (model), self->cancellable, version_deleted_cb, deletion);
}

static void
delete_model (LkTrainPage    *self,
              LkTrainedModel *model)
{
  g_autofree char *title = g_strdup_printf (_("Delete “%s”?"), lk_trained_model_get_name (model));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (lk_trained_model_get_version (model) != NULL)
    {
      /* Translators: %s is the person's model on Replicate, owner/name. */
      body = g_strdup_printf (_("Likeness forgets the model and its picture; what it cost stays in your history.\n\n"
                                "Unless you also delete it there, its trained version stays on Replicate, in your model %s, "
                                "where you can still run it. Deleting it on Replicate cannot be undone. "
                                "Portraits you saved are kept either way."),
                              lk_trained_model_get_destination (model));
    }
  else
    {
      body = g_strdup (_("Likeness forgets the model and its picture; what it cost stays in your history."));
    }

  dialog = adw_message_dialog_new (get_window (self), title, body);
  if (lk_trained_model_get_version (model) != NULL)
    {
      GtkWidget *remote = gtk_check_button_new_with_label (_("Also delete this version on Replicate"));

      gtk_widget_set_halign (remote, GTK_ALIGN_CENTER);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), remote);
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "lk-model", g_object_ref (model), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sample_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkTrainPage) self = user_data;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  model = lk_trainer_make_sample_finish (LK_TRAINER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Translators: %s is the model's name. */
  message = model != NULL ? g_strdup_printf (_("The first portrait of “%s” is ready"), lk_trained_model_get_name (model))
                          : g_strdup (error->message);
  toast (self, message);
}

static void
model_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkTrainPage *self = LK_TRAIN_PAGE (widget);
  LkTrainedModel *model = find_model (self, g_variant_get_int64 (param));

  if (model == NULL)
    return;

  if (g_str_equal (action_name, "train.rename-model"))
    rename_model (self, model);
  else if (g_str_equal (action_name, "train.delete-model"))
    delete_model (self, model);
  else
    {
      toast (self, _("Making a first portrait with your model…"));
      lk_trainer_make_sample_async (self->trainer, model, self->cancellable, sample_made_cb, g_object_ref (self));
    }
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LkTrainPage *self = LK_TRAIN_PAGE (widget);

  if (g_str_equal (action_name, "train.new"))
    new_model (self);
  else if (g_str_equal (action_name, "train.next"))
    show_step (self, self->step + 1);
  else if (g_str_equal (action_name, "train.back"))
    show_step (self, self->step - 1);
  else if (g_str_equal (action_name, "train.start"))
    start (self);
  else if (g_str_equal (action_name, "train.close"))
    close_wizard (self);
  else if (g_str_equal (action_name, "train.cancel-training"))
    lk_training_progress_ask_cancel (self->progress);
  else if (g_str_equal (action_name, "train.show-progress"))
    show_step (self, STEP_PROGRESS);
  else if (g_str_equal (action_name, "train.choose-folder"))
    choose_folder (self);
  else if (g_str_equal (action_name, "train.suggest-trigger"))
    suggest_trigger (self);
  else if (g_str_equal (action_name, "train.recheck"))
    recheck (self);
}

/* Setting up ---------------------------------------------------------------- */

/* The store is open (or failed to open): the trainer can work, and may
 * find a training an earlier run left on Replicate. */
static void
store_ready_cb (LkTrainPage *self)
{
  LkStore *store = lk_application_get_store (self->app);

  if (store == NULL || self->trainer != NULL)
    return;

  self->trainer = g_object_ref (lk_application_get_trainer (self->app));
  lk_training_progress_set_trainer (self->progress, self->trainer);
  g_signal_connect_object (self->trainer, "notify::busy", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->trainer, "notify::status", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (refresh_models), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->models_list, G_LIST_MODEL (self->models), create_model_row, self, NULL);
  refresh_models (self);

  lk_trainer_resume_async (self->trainer, self->cancellable, resumed_cb, g_object_ref (self));
  if (lk_trainer_get_busy (self->trainer))
    show_step (self, STEP_PROGRESS);

  update_actions (self);
}

/**
 * lk_train_page_get_trainer:
 *
 * Returns: (transfer none) (nullable): the app's trainer, once the store
 *   is open
 */
LkTrainer *
lk_train_page_get_trainer (LkTrainPage *self)
{
  g_return_val_if_fail (LK_IS_TRAIN_PAGE (self), NULL);

  return self->trainer;
}

GtkWidget *
lk_train_page_new (void)
{
  return g_object_new (LK_TYPE_TRAIN_PAGE, NULL);
}

static void
lk_train_page_dispose (GObject *object)
{
  LkTrainPage *self = LK_TRAIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  forget_photos (self);
  /* No gtk_widget_dispose_template(): the template's only direct child
   * is the AdwBin's child, which AdwBin unparents itself. */
  g_clear_object (&self->plan);
  g_clear_object (&self->folder_scorer);
  g_clear_object (&self->trainer);
  g_clear_object (&self->models);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->suggested, g_free);

  G_OBJECT_CLASS (lk_train_page_parent_class)->dispose (object);
}

static void
lk_train_page_class_init (LkTrainPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const page_actions[] = {
    "train.new", "train.next", "train.back", "train.start", "train.close", "train.cancel-training",
    "train.show-progress", "train.choose-folder", "train.suggest-trigger", "train.recheck",
  };
  static const char * const model_actions[] = {
    "train.rename-model", "train.delete-model", "train.make-sample",
  };

  object_class->dispose = lk_train_page_dispose;

  g_type_ensure (LK_TYPE_TRAINING_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-train-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, progress_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, models_list);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, deleting_box);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, step_number);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, step_title);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, step_description);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, steps);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, source_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, scoring_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, checks_list);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, photos_list);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, description_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, trigger_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, trigger_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, draft_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, standard_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, premium_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, draft_check);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, standard_check);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, premium_check);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, learning_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, rank_spin);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, autocaption_switch);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, review_photos);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, review_model);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, review_trigger);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, review_quality);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, review_estimate);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, sample_row);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, sample_switch);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, result_picture);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, result_title);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, result_description);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, progress);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, cancel_training_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, LkTrainPage, back_button);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    gtk_widget_class_install_action (widget_class, page_actions[i], NULL, page_action);
  for (guint i = 0; i < G_N_ELEMENTS (model_actions); i++)
    gtk_widget_class_install_action (widget_class, model_actions[i], "x", model_action);
}

static void
lk_train_page_init (LkTrainPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->models = g_list_store_new (LK_TYPE_TRAINED_MODEL);
  self->rand = g_rand_new ();
  self->app = LK_APPLICATION (g_application_get_default ());

  gtk_button_set_label (self->start_button, _("_Start Training"));
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (entry_changed_cb), self, 0);
  g_signal_connect_object (self->description_row, "changed", G_CALLBACK (entry_changed_cb), self, 0);
  g_signal_connect_object (self->trigger_row, "changed", G_CALLBACK (entry_changed_cb), self, 0);
  g_signal_connect_object (self->subject_row, "notify::selected", G_CALLBACK (subject_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->resolution_row, "notify::selected", G_CALLBACK (resolution_selected_cb), self,
                           G_CONNECT_SWAPPED);
  for (LkQualityPreset preset = LK_QUALITY_PRESET_DRAFT; preset <= LK_QUALITY_PRESET_PREMIUM; preset++)
    g_signal_connect_object (preset_check (self, preset), "toggled", G_CALLBACK (preset_toggled_cb), self, 0);

  g_signal_connect_object (self->app, "notify::store", G_CALLBACK (store_ready_cb), self, G_CONNECT_SWAPPED);
  store_ready_cb (self);
  update_actions (self);
}
