/* lk-types.h: forward declarations and the enums shared across Likeness core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LkPhoto LkPhoto;
typedef struct _LkPhotoScorer LkPhotoScorer;
typedef struct _LkReferencePrep LkReferencePrep;
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

/**
 * LkPhotoCount:
 * @LK_PHOTO_COUNT_NONE: no usable photo yet
 * @LK_PHOTO_COUNT_TOO_FEW: fewer than 8 usable photos: the likeness suffers
 * @LK_PHOTO_COUNT_ENOUGH: 8 to 14 usable photos: enough, more would help
 * @LK_PHOTO_COUNT_IDEAL: 15 to 25 usable photos
 * @LK_PHOTO_COUNT_PLENTY: 26 to 50 usable photos
 * @LK_PHOTO_COUNT_TOO_MANY: more than 50: the extra photos add little
 *
 * How the number of usable photos compares with what face-consistent
 * portraits and LoRA training need.
 */
typedef enum
{
  LK_PHOTO_COUNT_NONE,
  LK_PHOTO_COUNT_TOO_FEW,
  LK_PHOTO_COUNT_ENOUGH,
  LK_PHOTO_COUNT_IDEAL,
  LK_PHOTO_COUNT_PLENTY,
  LK_PHOTO_COUNT_TOO_MANY,
} LkPhotoCount;

G_END_DECLS
