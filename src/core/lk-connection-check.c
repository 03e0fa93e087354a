/* lk-connection-check.c: "Test Connection": the account, one model, and
 * the room left under the rate limits, each with its latency and a
 * verdict in plain words.
 *
 * The checks run one after the other, so that the latencies are not
 * those of requests competing with each other. A check that fails does
 * not stop the next: the person sees everything that works and what does
 * not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-connection-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-connection-check.h"

/* Replicate's published limit on creates; below it, the account is
 * throttled, as accounts with little credit are. */
#define CREATES_PER_MINUTE 600.0

typedef struct
{
  char      *model;
  GPtrArray *results;
  gint64     started_us;
} Check;

static void
check_free (Check *check)
{
  g_free (check->model);
  g_clear_pointer (&check->results, g_ptr_array_unref);
  g_free (check);
}

void
lk_connection_result_free (LkConnectionResult *result)
{
  if (result == NULL)
    return;

  g_free (result->title);
  g_free (result->message);
  g_free (result);
}

static double
elapsed_ms (Check *check)
{
  return (g_get_monotonic_time () - check->started_us) / 1000.0;
}

static void
add_result (Check          *check,
            const char     *title,
            LkCheckVerdict  verdict,
            char           *message,
            double          latency_ms)
{
  LkConnectionResult *result = g_new0 (LkConnectionResult, 1);

  result->title = g_strdup (title);
  result->verdict = verdict;
  result->message = message;
  result->latency_ms = latency_ms;
  g_ptr_array_add (check->results, result);
}

/* The headroom needs no request: the last answer's header, or the rate
 * the client keeps to after what Replicate said. */
static void
add_rate_limit (GTask *task)
{
  LkClient *client = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  gint64 remaining = lk_client_get_rate_limit_remaining (client);
  double creates;

  lk_client_get_request_rates (client, &creates, NULL);

  if (creates < CREATES_PER_MINUTE)
    add_result (check, _("Rate Limit"), LK_CHECK_VERDICT_WARNING,
                g_strdup_printf (_("Replicate limits this account to %.0f new predictions a minute, as it does while an account has less than $5 of credit. Portraits are made more slowly; add credit to lift the limit."),
                                 creates),
                -1);
  else if (remaining >= 0)
    add_result (check, _("Rate Limit"), LK_CHECK_VERDICT_OK,
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GINT64_FORMAT " request left before Replicate slows down.",
                                              "%" G_GINT64_FORMAT " requests left before Replicate slows down.", remaining),
                                 remaining),
                -1);
  else
    add_result (check, _("Rate Limit"), LK_CHECK_VERDICT_OK,
                g_strdup_printf (_("Up to %.0f new predictions a minute: plenty of room."), creates), -1);

  g_task_return_pointer (task, g_steal_pointer (&check->results), (GDestroyNotify) g_ptr_array_unref);
}

static void
model_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GError) error = NULL;
  double latency = elapsed_ms (check);

  model = lk_client_get_model_finish (LK_CLIENT (object), result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (model != NULL)
    add_result (check, _("Models"), LK_CHECK_VERDICT_OK,
                /* Translators: %s is a model, such as black-forest-labs/flux-schnell. */
                g_strdup_printf (_("Replicate describes %s as expected."), check->model), latency);
  else
    add_result (check, _("Models"), LK_CHECK_VERDICT_FAILED, g_strdup (error->message), latency);

  add_rate_limit (task);
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  double latency = elapsed_ms (check);

  account = lk_client_get_account_finish (LK_CLIENT (object), result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (account != NULL)
    add_result (check, _("Account"), LK_CHECK_VERDICT_OK,
                /* Translators: %s is the Replicate username. */
                g_strdup_printf (_("Signed in as %s."), json_object_get_string_member_with_default (account, "username", "?")),
                latency);
  else
    add_result (check, _("Account"), LK_CHECK_VERDICT_FAILED, g_strdup (error->message), latency);

  check->started_us = g_get_monotonic_time ();
  lk_client_get_model_async (LK_CLIENT (object), check->model, cancellable, model_cb, g_steal_pointer (&task));
}

/**
 * lk_connection_check_async:
 * @model: "owner/name" of a model to look up, one the app runs
 *
 * Asks Replicate for the account, then for @model, then reports the
 * headroom under the rate limits.
 */
void
lk_connection_check_async (LkClient            *client,
                           const char          *model,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  g_return_if_fail (LK_IS_CLIENT (client));
  g_return_if_fail (model != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_connection_check_async);
  check = g_new0 (Check, 1);
  check->model = g_strdup (model);
  check->results = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_connection_result_free);
  check->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  lk_client_get_account_async (client, cancellable, account_cb, g_steal_pointer (&task));
}

/**
 * lk_connection_check_finish:
 *
 * Returns: (transfer full) (element-type LkConnectionResult): the account,
 *   the model and the rate limit, in that order; %NULL only when
 *   cancelled
 */
GPtrArray *
lk_connection_check_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_connection_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
