/* lk-budget-window.c: the daily and monthly spending limits, edited
 * straight into the settings the budget check reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-budget-window"

#include "config.h"

#include "lk-budget-window.h"

struct _LkBudgetWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *daily_spin;
  GtkSpinButton        *monthly_spin;
};

G_DEFINE_FINAL_TYPE (LkBudgetWindow, lk_budget_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
lk_budget_window_dispose (GObject *object)
{
  LkBudgetWindow *self = LK_BUDGET_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_BUDGET_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_budget_window_parent_class)->dispose (object);
}

static void
lk_budget_window_class_init (LkBudgetWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_budget_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-budget-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBudgetWindow, daily_spin);
  gtk_widget_class_bind_template_child (widget_class, LkBudgetWindow, monthly_spin);
}

static void
lk_budget_window_init (LkBudgetWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "budget-daily", self->daily_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "budget-monthly", self->monthly_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

LkBudgetWindow *
lk_budget_window_new (GtkWindow *parent)
{
  return g_object_new (LK_TYPE_BUDGET_WINDOW,
                       "transient-for", parent,
                       NULL);
}
