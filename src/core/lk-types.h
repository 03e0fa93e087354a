/* lk-types.h: forward declarations and the enums shared across Likeness core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LkClient LkClient;
typedef struct _LkPrediction LkPrediction;
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
 * LkPredictionKind:
 * @LK_PREDICTION_KIND_PREDICTION: a model run (`/predictions`)
 * @LK_PREDICTION_KIND_TRAINING: a training (`/trainings`)
 *
 * Which Replicate collection a #LkPrediction belongs to.
 */
typedef enum
{
  LK_PREDICTION_KIND_PREDICTION,
  LK_PREDICTION_KIND_TRAINING,
} LkPredictionKind;

/**
 * LkPredictionStatus:
 * @LK_PREDICTION_STATUS_STARTING: queued or booting
 * @LK_PREDICTION_STATUS_PROCESSING: the model is running
 * @LK_PREDICTION_STATUS_SUCCEEDED: finished with outputs
 * @LK_PREDICTION_STATUS_FAILED: the model reported an error
 * @LK_PREDICTION_STATUS_CANCELED: canceled by a user or its deadline
 * @LK_PREDICTION_STATUS_ABORTED: ended by Replicate before it ran
 *
 * The life of a prediction or training. The last four are terminal.
 */
typedef enum
{
  LK_PREDICTION_STATUS_STARTING,
  LK_PREDICTION_STATUS_PROCESSING,
  LK_PREDICTION_STATUS_SUCCEEDED,
  LK_PREDICTION_STATUS_FAILED,
  LK_PREDICTION_STATUS_CANCELED,
  LK_PREDICTION_STATUS_ABORTED,
} LkPredictionStatus;

G_END_DECLS
