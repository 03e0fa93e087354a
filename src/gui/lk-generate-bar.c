/* lk-generate-bar.c: the bar under the Photos and Styles pages that says
 * what the next job would use and opens its summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-generate-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-batch.h"
#include "lk-generate-bar.h"
#include "lk-generate-dialog.h"
#include "lk-trained-model.h"

struct _LkGenerateBar
{
  AdwBin         parent_instance;

  LkApplication *application;
  LkPhotoScorer *scorer;
  GListModel    *styles;
  LkTrainedModel *trained;
  gboolean        job_active;

  GtkLabel      *summary_label;
  GtkLabel      *reason_label;
  GtkButton     *generate_button;
};

G_DEFINE_FINAL_TYPE (LkGenerateBar, lk_generate_bar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_JOB_ACTIVE,
  PROP_TRAINED_MODEL,
  N_PROPS
};

enum {
  START,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Why no job can start now, in the words of what to do about it. */
static char *
find_reason (LkGenerateBar *self,
             guint          n_references,
             guint          n_styles)
{
  LkStore *store = self->application != NULL ? lk_application_get_store (self->application) : NULL;
  const GError *store_error = self->application != NULL ? lk_application_get_store_error (self->application) : NULL;

  if (store_error != NULL)
    return g_strdup_printf (_("No job can start, because your history could not be opened: %s"),
                            store_error->message);
  if (store == NULL)
    return g_strdup (_("Opening your history…"));
  if (self->job_active)
    return g_strdup (_("A job is under way: it is on the Progress page"));
  if (self->scorer != NULL && lk_photo_scorer_get_busy (self->scorer) && self->trained == NULL)
    return g_strdup (_("Waiting for your photos to be scored…"));
  if (n_references == 0 && self->trained == NULL)
    return g_strdup (_("Add photos of yourself on the Photos page first"));
  if (n_styles == 0)
    return g_strdup (_("Choose at least one style on the Styles page"));
  return NULL;
}

static void
update (LkGenerateBar *self)
{
  guint n_references = self->scorer != NULL ? lk_photo_scorer_get_n_recommended (self->scorer) : 0;
  guint n_styles = self->styles != NULL ? g_list_model_get_n_items (self->styles) : 0;
  g_autofree char *reason = find_reason (self, n_references, n_styles);
  g_autofree char *references = NULL;
  g_autofree char *styles = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *button = NULL;

  references = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reference", "%u references", n_references),
                                n_references);
  styles = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u style", "%u styles", n_styles), n_styles);
  if (self->trained != NULL)
    /* Translators: a trained model's name, then "12 styles". */
    summary = g_strdup_printf (_("Model: %s · %s"), lk_trained_model_get_name (self->trained), styles);
  else
    /* Translators: "5 references · 12 styles". */
    summary = g_strdup_printf (_("%s · %s"), references, styles);
  gtk_label_set_label (self->summary_label, summary);

  gtk_label_set_label (self->reason_label, reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);

  if (n_styles > 0)
    button = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Generate %u Portrait", "_Generate %u Portraits",
                                           n_styles),
                              n_styles);
  else
    button = g_strdup (_("_Generate Portraits"));
  gtk_button_set_label (self->generate_button, button);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->generate_button), reason);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.generate", reason == NULL);
}

static void
dialog_start_cb (LkGenerateBar *self,
                 LkBatch       *batch)
{
  g_signal_emit (self, signals[START], 0, batch);
}

/* The references are the photos the ranking recommends (pins included,
 * exclusions left out), best first. */
static GPtrArray *
dup_references (LkGenerateBar *self)
{
  g_autoptr(GPtrArray) ranking = lk_photo_scorer_dup_ranking (self->scorer);
  GPtrArray *references = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < ranking->len; i++)
    {
      LkPhoto *photo = g_ptr_array_index (ranking, i);

      if (lk_photo_get_recommended (photo) && !lk_photo_get_excluded (photo))
        g_ptr_array_add (references, g_object_ref (photo));
    }

  return references;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  LkGenerateBar *self = LK_GENERATE_BAR (widget);
  g_autoptr(GPtrArray) references = self->trained != NULL ? g_ptr_array_new () : dup_references (self);
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  GtkRoot *root = gtk_widget_get_root (widget);
  LkGenerateDialog *dialog;

  for (guint i = 0; i < g_list_model_get_n_items (self->styles); i++)
    g_ptr_array_add (styles, g_list_model_get_item (self->styles, i));

  dialog = lk_generate_dialog_new (self->application, references, styles);
  lk_generate_dialog_set_trained_model (dialog, self->trained);
  g_signal_connect_object (dialog, "start", G_CALLBACK (dialog_start_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * lk_generate_bar_set_trained_model:
 * @model: (nullable): the trained model chosen on the Styles page, or
 *   %NULL for the reference photos
 *
 * With a trained model, the next job runs it and needs no photo.
 */
void
lk_generate_bar_set_trained_model (LkGenerateBar  *self,
                                   LkTrainedModel *model)
{
  g_return_if_fail (LK_IS_GENERATE_BAR (self));
  g_return_if_fail (model == NULL || LK_IS_TRAINED_MODEL (model));

  if (!g_set_object (&self->trained, model))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINED_MODEL]);
}

/**
 * lk_generate_bar_get_summary:
 *
 * Returns: what the bar says the next job would use, as
 *   "5 references · 12 styles"
 */
const char *
lk_generate_bar_get_summary (LkGenerateBar *self)
{
  g_return_val_if_fail (LK_IS_GENERATE_BAR (self), NULL);

  return gtk_label_get_label (self->summary_label);
}

/**
 * lk_generate_bar_set_application:
 *
 * The app's store must be open before a job can be recorded; the bar
 * says so until it is.
 */
void
lk_generate_bar_set_application (LkGenerateBar *self,
                                 LkApplication *application)
{
  g_return_if_fail (LK_IS_GENERATE_BAR (self));
  g_return_if_fail (LK_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = g_object_ref (application);
  g_signal_connect_object (application, "notify::store", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

/**
 * lk_generate_bar_set_scorer:
 *
 * Counts the photos @scorer recommends as the references.
 */
void
lk_generate_bar_set_scorer (LkGenerateBar *self,
                            LkPhotoScorer *scorer)
{
  g_return_if_fail (LK_IS_GENERATE_BAR (self));
  g_return_if_fail (LK_IS_PHOTO_SCORER (scorer));

  if (self->scorer != NULL)
    g_signal_handlers_disconnect_by_data (self->scorer, self);
  g_set_object (&self->scorer, scorer);
  g_signal_connect_object (scorer, "notify::n-recommended", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scorer, "notify::busy", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

/**
 * lk_generate_bar_set_styles:
 * @styles: the chosen styles (#LkStyle), followed as they change
 */
void
lk_generate_bar_set_styles (LkGenerateBar *self,
                            GListModel    *styles)
{
  g_return_if_fail (LK_IS_GENERATE_BAR (self));
  g_return_if_fail (G_IS_LIST_MODEL (styles));

  if (self->styles != NULL)
    g_signal_handlers_disconnect_by_data (self->styles, self);
  g_set_object (&self->styles, styles);
  g_signal_connect_object (styles, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

gboolean
lk_generate_bar_get_job_active (LkGenerateBar *self)
{
  g_return_val_if_fail (LK_IS_GENERATE_BAR (self), FALSE);

  return self->job_active;
}

/**
 * lk_generate_bar_set_job_active:
 *
 * While a job is under way, no other can start.
 */
void
lk_generate_bar_set_job_active (LkGenerateBar *self,
                                gboolean       job_active)
{
  g_return_if_fail (LK_IS_GENERATE_BAR (self));

  job_active = !!job_active;
  if (self->job_active == job_active)
    return;

  self->job_active = job_active;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_ACTIVE]);
}

static void
lk_generate_bar_dispose (GObject *object)
{
  LkGenerateBar *self = LK_GENERATE_BAR (object);

  /* AdwBin unparents its child itself: it goes first, so that
   * gtk_widget_dispose_template() does not leave AdwBin a dangling one. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_GENERATE_BAR);
  g_clear_object (&self->application);
  g_clear_object (&self->scorer);
  g_clear_object (&self->styles);
  g_clear_object (&self->trained);

  G_OBJECT_CLASS (lk_generate_bar_parent_class)->dispose (object);
}

static void
lk_generate_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LkGenerateBar *self = LK_GENERATE_BAR (object);

  switch (prop_id)
    {
    case PROP_JOB_ACTIVE:
      g_value_set_boolean (value, self->job_active);
      break;

    case PROP_TRAINED_MODEL:
      g_value_set_object (value, self->trained);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_generate_bar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkGenerateBar *self = LK_GENERATE_BAR (object);

  switch (prop_id)
    {
    case PROP_JOB_ACTIVE:
      lk_generate_bar_set_job_active (self, g_value_get_boolean (value));
      break;

    case PROP_TRAINED_MODEL:
      lk_generate_bar_set_trained_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_generate_bar_class_init (LkGenerateBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_generate_bar_dispose;
  object_class->get_property = lk_generate_bar_get_property;
  object_class->set_property = lk_generate_bar_set_property;

  /** LkGenerateBar:job-active: see lk_generate_bar_set_job_active() */
  properties[PROP_JOB_ACTIVE] =
    g_param_spec_boolean ("job-active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** LkGenerateBar:trained-model: see lk_generate_bar_set_trained_model() */
  properties[PROP_TRAINED_MODEL] =
    g_param_spec_object ("trained-model", NULL, NULL, LK_TYPE_TRAINED_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkGenerateBar::start:
   * @batch: the draft batch the person confirmed in the summary
   *
   * The job is to start now.
   */
  signals[START] = g_signal_new ("start",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, LK_TYPE_BATCH);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-generate-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LkGenerateBar, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateBar, reason_label);
  gtk_widget_class_bind_template_child (widget_class, LkGenerateBar, generate_button);

  gtk_widget_class_install_action (widget_class, "bar.generate", NULL, generate_action);
}

static void
lk_generate_bar_init (LkGenerateBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
