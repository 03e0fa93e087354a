/* lk-catalog.h: the models Likeness can run, from data/models.json and
 * the user's own models.json.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-model.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_TYPE_CATALOG (lk_catalog_get_type ())

G_DECLARE_FINAL_TYPE (LkCatalog, lk_catalog, LK, CATALOG, GObject)

char         *lk_catalog_get_user_path      (void);
LkCatalog    *lk_catalog_new                (const char *user_path);
const GError *lk_catalog_get_user_error     (LkCatalog  *self);
GListModel   *lk_catalog_get_models         (LkCatalog  *self);
LkModel      *lk_catalog_lookup             (LkCatalog  *self,
                                             const char *id);
GPtrArray    *lk_catalog_get_portrait_chain (LkCatalog  *self);

G_END_DECLS
