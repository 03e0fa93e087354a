/* lk-secret.h: the Replicate API token in the system keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TOKEN_ENV "REPLICATE_API_TOKEN"

#define LK_TYPE_SECRET (lk_secret_get_type ())

G_DECLARE_FINAL_TYPE (LkSecret, lk_secret, LK, SECRET, GObject)

LkSecret      *lk_secret_new            (void);
LkTokenSource  lk_secret_get_source     (LkSecret             *self);
gboolean       lk_secret_get_has_stored (LkSecret             *self);
void           lk_secret_lookup_async   (LkSecret             *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char          *lk_secret_lookup_finish  (LkSecret             *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void           lk_secret_store_async    (LkSecret             *self,
                                         const char           *token,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean       lk_secret_store_finish   (LkSecret             *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void           lk_secret_clear_async    (LkSecret             *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean       lk_secret_clear_finish   (LkSecret             *self,
                                         GAsyncResult         *result,
                                         GError              **error);
char          *lk_secret_normalize      (const char           *token,
                                         GError              **error);

G_END_DECLS
