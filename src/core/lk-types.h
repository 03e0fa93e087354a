/* lk-types.h: forward declarations and the enums shared across Likeness core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LkSecret LkSecret;

/**
 * LkTokenSource:
 * @LK_TOKEN_SOURCE_NONE: no token is known
 * @LK_TOKEN_SOURCE_KEYRING: the token comes from the system keyring
 * @LK_TOKEN_SOURCE_ENVIRONMENT: the token comes from `REPLICATE_API_TOKEN`
 *
 * Where the Replicate API token in use comes from.
 */
typedef enum
{
  LK_TOKEN_SOURCE_NONE,
  LK_TOKEN_SOURCE_KEYRING,
  LK_TOKEN_SOURCE_ENVIRONMENT,
} LkTokenSource;

G_END_DECLS
