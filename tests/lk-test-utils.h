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
void        lk_test_store_result     (GObject       *object,
                                      GAsyncResult  *result,
                                      gpointer       slot);
GAsyncResult *lk_test_wait_for_result (GAsyncResult **slot);

G_END_DECLS
