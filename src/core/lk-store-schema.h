/* lk-store-schema.h: the store's tables and their forward migrations.
 * Private to the store and its tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lk-store-db.h"

G_BEGIN_DECLS

/* Written to PRAGMA application_id: "Lkns". It tells a Likeness database
 * from any other SQLite file found at the same path. */
#define LK_STORE_APPLICATION_ID 0x4c6b6e73

#define LK_STORE_SCHEMA_VERSION 3

gboolean lk_store_schema_migrate (LkStoreDb  *db,
                                  int         target,
                                  GError    **error);

G_END_DECLS
