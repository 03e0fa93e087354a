/* lk-generate-dialog.c: the summary before a portrait job: the references,
 * the styles, the quality, the models, the cost, the time and the budget;
 * nothing is spent before Start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-batch.h"
#include "lk-format.h"
#include "lk-generate-dialog.h"
#include "lk-money.h"
#include "lk-photo.h"
#include "lk-trained-model.h"

#define REFERENCE_SIZE 88
/* Styles named in the collapsed list before "and N more". */
#define NAMED_STYLES 3

struct _LkGenerateDialog
{
  AdwWindow            parent_instance;

  LkApplication       *application;
  GPtrArray           *photos;
  GPtrArray           *styles;
  LkTrainedModel      *trained;
  GPtrArray           *checks;
  GCancellable        *cancellable;
  GFile               *output_folder;
  LkSpending           spending;
  gboolean             has_spending;
  char                *spending_error;

  AdwWindowTitle      *window_title;
  AdwPreferencesGroup *references_group;
  GtkFlowBox          *references_box;
  AdwExpanderRow      *styles_row;
  AdwActionRow        *folder_row;
  AdwComboRow         *preset_row;
  AdwActionRow        *models_row;
  AdwActionRow        *cost_row;
  GtkLabel            *cost_label;
  AdwActionRow        *time_row;
  GtkLabel            *time_label;
  AdwEntryRow         *budget_row;
  GtkLabel            *budget_note;
  AdwActionRow        *daily_row;
  GtkLabel            *daily_label;
  AdwActionRow        *monthly_row;
  GtkLabel            *monthly_label;
  GtkWidget           *warning_box;
  GtkLabel            *warning_label;
};

G_DEFINE_FINAL_TYPE (LkGenerateDialog, lk_generate_dialog, ADW_TYPE_WINDOW)

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static LkQualityPreset
get_preset (LkGenerateDialog *self)
{
  switch (adw_combo_row_get_selected (self->preset_row))
    {
    case 0:
      return LK_QUALITY_PRESET_DRAFT;
    case 2:
      return LK_QUALITY_PRESET_PREMIUM;
    default:
      return LK_QUALITY_PRESET_STANDARD;
    }
}

static const char *
describe_preset (LkQualityPreset preset)
{
  switch (preset)
    {
    case LK_QUALITY_PRESET_DRAFT:
      return _("Fast and cheap, to try styles out");
    case LK_QUALITY_PRESET_PREMIUM:
      return _("The most detail the models give, at a higher price");
    case LK_QUALITY_PRESET_STANDARD:
    default:
      return _("The usual balance of detail, time and price");
    }
}

static GPtrArray *
dup_chosen_photos (LkGenerateDialog *self)
{
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->photos->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_ptr_array_add (chosen, g_object_ref (g_ptr_array_index (self->photos, i)));

  return chosen;
}

/* Returns whether the entry holds a usable budget: nothing (no budget of
 * its own) or an amount above zero. */
static gboolean
read_job_budget (LkGenerateDialog  *self,
                 gint64            *micros,
                 char             **problem)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->budget_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;

  *micros = 0;
  *problem = NULL;
  if (*stripped == '\0')
    return TRUE;

  if (!lk_money_parse (stripped, micros, &error))
    {
      *problem = g_strdup (error->message);
      return FALSE;
    }

  if (*micros <= 0)
    {
      *problem = g_strdup (_("Enter an amount above zero, or leave the budget empty."));
      return FALSE;
    }

  return TRUE;
}

static void
update_caps (LkGenerateDialog      *self,
             const LkBatchEstimate *estimate,
             gboolean               has_estimate,
             gint64                 job_budget)
{
  LkBudget *budget = lk_application_get_budget (self->application);
  LkBudgetCaps caps;
  LkBudgetVerdict verdict;
  g_autofree char *daily = NULL;
  g_autofree char *monthly = NULL;
  g_autofree char *warning = NULL;

  lk_budget_get_caps (budget, job_budget, &caps);

  if (self->spending_error != NULL)
    {
      daily = g_strdup (_("Unknown"));
      monthly = g_strdup (_("Unknown"));
      warning = g_strdup_printf (_("What was spent so far could not be read: %s. The caps are still checked "
                                   "before every portrait."), self->spending_error);
    }
  else if (!self->has_spending)
    {
      daily = g_strdup (_("Checking…"));
      monthly = g_strdup (_("Checking…"));
    }
  else
    {
      daily = lk_format_cap_left (caps.daily, self->spending.day);
      monthly = lk_format_cap_left (caps.monthly, self->spending.month);
      if (has_estimate && !lk_budget_caps_check (&caps, &self->spending, estimate->cost, &verdict))
        warning = lk_format_overshoot (&verdict, estimate->cost, self->styles->len);
    }

  gtk_label_set_label (self->daily_label, daily);
  gtk_label_set_label (self->monthly_label, monthly);
  gtk_label_set_label (self->warning_label, warning);
  gtk_widget_set_visible (self->warning_box, warning != NULL);
}

static void
update (LkGenerateDialog *self)
{
  LkCatalog *catalog = lk_application_get_catalog (self->application);
  guint n_items = self->styles->len;
  g_autoptr(GPtrArray) chosen = dup_chosen_photos (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *budget_problem = NULL;
  LkBatchEstimate estimate = { 0 };
  gboolean has_estimate;
  gboolean budget_ok;
  gint64 job_budget;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preset_row), describe_preset (get_preset (self)));

  has_estimate = self->trained != NULL
    ? lk_batch_estimate_trained (catalog, get_preset (self), n_items, LK_BATCH_DEFAULT_CONCURRENCY, &estimate, &error)
    : lk_batch_estimate (catalog, get_preset (self), n_items, LK_BATCH_DEFAULT_CONCURRENCY, &estimate, &error);
  if (has_estimate)
    {
      g_autofree char *cost = lk_money_format (estimate.cost);
      g_autofree char *cost_max = lk_money_format (estimate.cost_max);
      g_autofree char *cost_subtitle = NULL;
      g_autofree char *time = lk_format_about (estimate.seconds);
      g_autofree char *item_time = lk_format_about (estimate.item_seconds);
      g_autofree char *time_subtitle = NULL;

      if (estimate.cost_max > estimate.cost)
        /* Translators: an amount of money. */
        cost_subtitle = g_strdup_printf (_("Up to %s if every portrait needs a fallback model"), cost_max);

      /* Translators: how many portraits are made at once, then a duration: "about 15 seconds". */
      time_subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u at a time, %s each",
                                                    "%u at a time, %s each", LK_BATCH_DEFAULT_CONCURRENCY),
                                       LK_BATCH_DEFAULT_CONCURRENCY, item_time);

      gtk_label_set_label (self->cost_label, cost);
      adw_action_row_set_subtitle (self->cost_row, cost_subtitle != NULL ? cost_subtitle : "");
      gtk_label_set_label (self->time_label, time);
      adw_action_row_set_subtitle (self->time_row, time_subtitle);
    }
  else
    {
      gtk_label_set_label (self->cost_label, _("Unknown"));
      adw_action_row_set_subtitle (self->cost_row, error->message);
      gtk_label_set_label (self->time_label, _("Unknown"));
      adw_action_row_set_subtitle (self->time_row, "");
    }

  budget_ok = read_job_budget (self, &job_budget, &budget_problem);
  gtk_label_set_label (self->budget_note, budget_problem);
  gtk_widget_set_visible (GTK_WIDGET (self->budget_note), budget_problem != NULL);
  if (budget_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->budget_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->budget_row), "error");

  update_caps (self, &estimate, has_estimate, job_budget);

  adw_preferences_group_set_description (self->references_group,
                                         chosen->len > 0
                                         ? _("The portraits take these photos in turn, so the set varies while "
                                             "the face stays yours. Untick any you would rather leave out.")
                                         : _("Tick at least one photo: every portrait starts from one."));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.start",
                                 has_estimate && budget_ok && (chosen->len > 0 || self->trained != NULL) &&
                                 n_items > 0);
}

static void
spending_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (lk_store_get_spending_finish (LK_STORE (object), result, &self->spending, &error))
    self->has_spending = TRUE;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    self->spending_error = g_strdup (error->message);

  update (self);
}

static GtkWidget *
create_reference_tile (LkGenerateDialog *self,
                       LkPhoto          *photo)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *check = gtk_check_button_new ();
  GdkPixbuf *thumbnail = lk_photo_get_thumbnail (photo);
  g_autofree char *label = NULL;

  if (thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (thumbnail);

      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
    }
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, REFERENCE_SIZE, REFERENCE_SIZE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_set_tooltip_text (overlay, lk_photo_get_name (photo));

  /* Translators: the check box of a reference photo; %s is its file name. */
  label = g_strdup_printf (_("Use %s"), lk_photo_get_name (photo));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_set_halign (check, GTK_ALIGN_END);
  gtk_widget_set_valign (check, GTK_ALIGN_START);
  gtk_widget_add_css_class (check, "reference-check");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->checks, check);

  return overlay;
}

static void
fill_references (LkGenerateDialog *self)
{
  for (guint i = 0; i < self->photos->len; i++)
    gtk_flow_box_append (self->references_box, create_reference_tile (self, g_ptr_array_index (self->photos, i)));
}

static void
fill_styles (LkGenerateDialog *self)
{
  guint n = self->styles->len;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;

  for (guint i = 0; i < n; i++)
    {
      LkStyle *style = g_ptr_array_index (self->styles, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_style_get_name (style));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), lk_style_get_description (style));
      adw_expander_row_add_row (self->styles_row, row);

      if (i < NAMED_STYLES)
        {
          if (i > 0)
            g_string_append (names, _(", "));
          g_string_append (names, lk_style_get_name (style));
        }
    }

  if (n > NAMED_STYLES)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s and %u more", "%s and %u more",
                                                            n - NAMED_STYLES),
                                               names->str, n - NAMED_STYLES);

      g_string_assign (names, more);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Style", "%u Styles", n), n);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->styles_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->styles_row), title);
  adw_expander_row_set_subtitle (self->styles_row, names->str);

  window_title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generate %u Portrait", "Generate %u Portraits", n), n);
  adw_window_title_set_title (self->window_title, window_title);
}

static void
fill_models (LkGenerateDialog *self)
{
  GPtrArray *chain = lk_catalog_get_portrait_chain (lk_application_get_catalog (self->application));
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->trained != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: a trained model's name, then its trigger word. */
      subtitle = g_strdup_printf (_("%s, your trained model: every prompt names “%s”, no photo is sent"),
                                  lk_trained_model_get_name (self->trained),
                                  lk_trained_model_get_trigger_word (self->trained));
      adw_action_row_set_subtitle (self->models_row, subtitle);
      return;
    }

  for (guint i = 0; i < chain->len; i++)
    {
      if (i > 0)
        /* Translators: between the models of the fallback chain: "FLUX PuLID, then InstantID". */
        g_string_append (text, _(", then "));
      g_string_append (text, lk_model_get_name (g_ptr_array_index (chain, i)));
    }

  if (chain->len > 1)
    g_string_append (text, _(": each portrait moves to the next model only when one cannot make it"));

  adw_action_row_set_subtitle (self->models_row, text->str);
}

/* The output-folder setting, or the Pictures folder's "Likeness"; each
 * job gets a folder of its own inside. */
static void
fill_folder (LkGenerateDialog *self)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autofree char *setting = g_settings_get_string (settings, "output-folder");
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;

  self->output_folder = *setting != '\0' ? g_file_new_for_path (setting) : lk_batch_dup_default_output_folder ();
  path = g_file_get_path (self->output_folder);
  display = g_filename_display_name (path);
  adw_action_row_set_subtitle (self->folder_row, display);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkGenerateDialog *self = LK_GENERATE_DIALOG (widget);
  LkApplication *app = self->application;
  g_autoptr(LkBatch) batch = NULL;
  g_autoptr(GPtrArray) chosen = dup_chosen_photos (self);
  g_autofree char *problem = NULL;
  gint64 job_budget;

  if (!read_job_budget (self, &job_budget, &problem))
    return;

  batch = lk_batch_new (lk_application_get_client (app), lk_application_get_store (app),
                        lk_application_get_catalog (app), lk_application_get_budget (app));
  lk_batch_set_styles (batch, self->styles);
  lk_batch_set_references (batch, chosen);
  lk_batch_set_trained_model (batch, self->trained);
  lk_batch_set_preset (batch, get_preset (self));
  lk_batch_set_job_budget (batch, job_budget);
  lk_batch_set_output_folder (batch, self->output_folder);

  g_signal_emit (self, signals[START], 0, batch);
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * lk_generate_dialog_new:
 * @application: the app, with its store open
 * @photos: (element-type LkPhoto): the recommended references, best first
 * @styles: (element-type LkStyle): the chosen styles
 *
 * Returns: (transfer full): the summary; its #LkGenerateDialog::start
 *   signal hands over the batch the person confirmed
 */
LkGenerateDialog *
lk_generate_dialog_new (LkApplication *application,
                        GPtrArray     *photos,
                        GPtrArray     *styles)
{
  LkGenerateDialog *self;
  LkStore *store;

  g_return_val_if_fail (LK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (photos != NULL, NULL);
  g_return_val_if_fail (styles != NULL, NULL);

  store = lk_application_get_store (application);
  g_return_val_if_fail (store != NULL, NULL);

  self = g_object_new (LK_TYPE_GENERATE_DIALOG, NULL);
  self->application = g_object_ref (application);
  self->photos = g_ptr_array_ref (photos);
  self->styles = g_ptr_array_ref (styles);

  fill_references (self);
  fill_styles (self);
  fill_models (self);
  fill_folder (self);

  g_signal_connect_object (lk_application_get_budget (application), "notify",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  lk_store_get_spending_async (store, 0, NULL, self->cancellable, spending_cb, g_object_ref (self));
  update (self);

  return self;
}

/**
 * lk_generate_dialog_set_trained_model:
 * @model: (nullable): the trained model the job runs, or %NULL for the
 *   portrait chain with the reference photos
 *
 * With a trained model, the dialog names it as the model, leaves the
 * references out, and estimates on the runner's billing.
 */
void
lk_generate_dialog_set_trained_model (LkGenerateDialog *self,
                                      LkTrainedModel   *model)
{
  g_return_if_fail (LK_IS_GENERATE_DIALOG (self));
  g_return_if_fail (model == NULL || LK_IS_TRAINED_MODEL (model));

  g_set_object (&self->trained, model);
  gtk_widget_set_visible (GTK_WIDGET (self->references_group), model == NULL);
  fill_models (self);
  update (self);
}

static void
lk_generate_dialog_dispose (GObject *object)
{
  LkGenerateDialog *self = LK_GENERATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_GENERATE_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);
  g_clear_object (&self->output_folder);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_clear_pointer (&self->styles, g_ptr_array_unref);
  g_clear_object (&self->trained);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->spending_error, g_free);

  G_OBJECT_CLASS (lk_generate_dialog_parent_class)->dispose (object);
}

static void
lk_generate_dialog_class_init (LkGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_generate_dialog_dispose;

  /**
   * LkGenerateDialog::start:
   * @batch: the draft batch, set up as confirmed
   *
   * The person pressed Start; the dialog closes right after.
   */
  signals[START] = g_signal_new ("start",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, LK_TYPE_BATCH);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, references_group);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, references_box);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, styles_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, preset_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, models_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, cost_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, cost_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, time_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, budget_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, budget_note);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, daily_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, daily_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, monthly_row);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, monthly_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, warning_box);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateDialog, warning_label);

  gtk_widget_class_install_action (widget_class, "generate.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_generate_dialog_init (LkGenerateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
  adw_combo_row_set_selected (self->preset_row, 1);

  g_signal_connect_swapped (self->preset_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->budget_row, "changed", G_CALLBACK (update), self);
}
