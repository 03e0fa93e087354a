/* lk-cli-training.c: what `likeness-cli train` shows on stderr: the
 * checks of the photos and the estimate before anything is spent, then
 * the training's progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-trainer.h"

static void
progress_cb (LkTrainer  *trainer,
             GParamSpec *pspec,
             gpointer    user_data)
{
  g_autofree char *elapsed = lk_trainer_format_duration (lk_trainer_get_elapsed (trainer));
  g_autofree char *left = lk_trainer_format_duration (lk_trainer_get_eta (trainer));
  g_autofree char *cost = lk_money_format (lk_trainer_get_cost (trainer));

  if (g_str_equal (pspec->name, "status"))
    g_printerr ("%s\n", lk_training_status_describe (lk_trainer_get_status (trainer)));
  else if (g_str_equal (pspec->name, "notice") && lk_trainer_get_notice (trainer) != NULL)
    g_printerr ("%s\n", lk_trainer_get_notice (trainer));
  else if (g_str_equal (pspec->name, "step"))
    /* Translators: step, steps, time elapsed, time left (or ?), cost so far. */
    g_printerr (_("Step %u of %u, %s elapsed, %s left, %s so far\n"), lk_trainer_get_step (trainer),
                lk_trainer_get_total_steps (trainer), elapsed, lk_trainer_get_eta (trainer) >= 0 ? left : "?", cost);
}

/* The findings and the estimate, before anything is spent. */
/**
 * lk_cli_print_training_plan:
 * @sample_cost: the estimate of the first portrait, 0 for none
 */
void
lk_cli_print_training_plan (LkTrainingPlan *plan,
                            gint64          sample_cost)
{
  g_autoptr(GPtrArray) checks = lk_training_plan_check (plan);
  g_autoptr(GEnumClass) types = g_type_class_ref (LK_TYPE_SUBJECT_TYPE);
  g_autofree char *time = lk_trainer_format_duration (lk_training_plan_estimate_seconds (plan));
  g_autofree char *cost = lk_money_format (lk_training_plan_estimate_cost (plan) + sample_cost);

  for (guint i = 0; i < checks->len; i++)
    {
      LkTrainingCheck *check = g_ptr_array_index (checks, i);
      g_autofree char *files = g_strjoinv (", ", check->files);

      if (check->level != LK_TRAINING_CHECK_GOOD)
        g_printerr ("%s: %s. %s %s\n", check->level == LK_TRAINING_CHECK_BLOCKER ? _("Problem") : _("Warning"),
                    check->title, check->detail, files);
    }

  /* Translators: the name, what it learns (face, style or object), the
   * trigger word, the expected time and cost. */
  g_printerr (_("Training “%s” (%s) with the trigger word “%s”: about %s and %s.\n"), lk_training_plan_get_name (plan),
              g_enum_get_value (types, lk_training_plan_get_subject_type (plan))->value_nick,
              lk_training_plan_get_trigger_word (plan), time, cost);
}

/* Prints the training's steps as they come; Ctrl-C cancels it on
 * Replicate. */
void
lk_cli_watch_trainer (LkTrainer *trainer)
{
  g_signal_connect (trainer, "notify::status", G_CALLBACK (progress_cb), NULL);
  g_signal_connect (trainer, "notify::step", G_CALLBACK (progress_cb), NULL);
  g_signal_connect (trainer, "notify::notice", G_CALLBACK (progress_cb), NULL);
  g_signal_connect_object (lk_cli_interruptible (), "cancelled", G_CALLBACK (lk_trainer_cancel), trainer,
                           G_CONNECT_SWAPPED);
}
