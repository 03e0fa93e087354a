/* lk-connection-check.h: "Test Connection": the account, one model, and
 * the room left under the rate limits, each with its latency and a
 * verdict in plain words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-client.h"

G_BEGIN_DECLS

/**
 * LkCheckVerdict:
 * @LK_CHECK_VERDICT_OK: works
 * @LK_CHECK_VERDICT_WARNING: works, with a limit worth knowing
 * @LK_CHECK_VERDICT_FAILED: does not work; the message says why
 */
typedef enum
{
  LK_CHECK_VERDICT_OK,
  LK_CHECK_VERDICT_WARNING,
  LK_CHECK_VERDICT_FAILED,
} LkCheckVerdict;

/**
 * LkConnectionResult:
 * @title: what was checked
 * @verdict: how it went
 * @message: the verdict in plain words
 * @latency_ms: how long Replicate took to answer, -1 when nothing was asked
 */
typedef struct
{
  char           *title;
  LkCheckVerdict  verdict;
  char           *message;
  double          latency_ms;
} LkConnectionResult;

void       lk_connection_result_free  (LkConnectionResult  *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkConnectionResult, lk_connection_result_free)

void       lk_connection_check_async  (LkClient            *client,
                                       const char          *model,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *lk_connection_check_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
