/* lk-sign-in.h: check a Replicate API token, then keep it in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-secret.h"

G_BEGIN_DECLS

void  lk_sign_in_async  (LkSecret             *secret,
                         const char           *token,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data);
char *lk_sign_in_finish (GAsyncResult         *result,
                         GError              **error);

G_END_DECLS
