/* lk-test-utils.h: what every Likeness test binary sets up first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *lk_test_init_environment (void);
gboolean    lk_test_wait_for         (gboolean (*predicate) (gpointer data),
                                      gpointer   data,
                                      guint      timeout_ms);
void          lk_test_store_result_cb (GObject       *object,
                                       GAsyncResult  *result,
                                       gpointer       user_data);
GAsyncResult *lk_test_wait_result     (GAsyncResult **slot,
                                       guint          timeout_ms);

G_END_DECLS
