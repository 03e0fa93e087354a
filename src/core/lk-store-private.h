/* lk-store-private.h: what the parts of LkStore share: requests to the
 * worker thread and the text forms of enums.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-store.h"
#include "lk-store-db.h"

G_BEGIN_DECLS

/* What a function returns for success when it has nothing to return. */
#define LK_STORE_TRUE GINT_TO_POINTER (TRUE)

gpointer    lk_store_run_sync    (LkStore             *self,
                                  LkStoreDbFunc        func,
                                  gpointer             data,
                                  gboolean             writes,
                                  GError             **error);
void        lk_store_run_async   (LkStore             *self,
                                  LkStoreDbFunc        func,
                                  gpointer             data,
                                  GDestroyNotify       data_free,
                                  GDestroyNotify       result_free,
                                  gboolean             writes,
                                  gpointer             source_tag,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gpointer    lk_store_run_finish  (LkStore             *self,
                                  GAsyncResult        *result,
                                  gpointer             source_tag,
                                  GError             **error);
const char *lk_store_nick        (GType                type,
                                  int                  value);
int         lk_store_from_nick   (GType                type,
                                  const char          *text);
gint64      lk_store_time_or_now (GDateTime           *now);

G_END_DECLS
