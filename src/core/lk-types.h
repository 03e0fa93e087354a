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
typedef struct _LkStyle LkStyle;
typedef struct _LkStyleLibrary LkStyleLibrary;

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

/**
 * LkStyleField:
 * @LK_STYLE_FIELD_ID: the id, lowercase letters, digits and hyphens
 * @LK_STYLE_FIELD_NAME: the name shown on the card
 * @LK_STYLE_FIELD_DESCRIPTION: the one-line description
 * @LK_STYLE_FIELD_CATEGORY: the category the card is grouped under
 * @LK_STYLE_FIELD_PROMPT: the prompt template with its `{subject}`
 * @LK_STYLE_FIELD_NEGATIVE_PROMPT: what the image should not show
 * @LK_STYLE_FIELD_SIZE: the aspect ratio, width and height together
 * @LK_STYLE_FIELD_IDENTITY_WEIGHT: how strongly the face is kept
 * @LK_STYLE_FIELD_GUIDANCE: how strictly the prompt is followed
 * @LK_STYLE_FIELD_COLOR: the card's colour
 * @LK_STYLE_FIELD_ICON: the card's symbolic icon
 *
 * The parts of a #LkStyle that are checked one by one, so that an editor
 * can show each problem next to its field.
 */
typedef enum
{
  LK_STYLE_FIELD_ID,
  LK_STYLE_FIELD_NAME,
  LK_STYLE_FIELD_DESCRIPTION,
  LK_STYLE_FIELD_CATEGORY,
  LK_STYLE_FIELD_PROMPT,
  LK_STYLE_FIELD_NEGATIVE_PROMPT,
  LK_STYLE_FIELD_SIZE,
  LK_STYLE_FIELD_IDENTITY_WEIGHT,
  LK_STYLE_FIELD_GUIDANCE,
  LK_STYLE_FIELD_COLOR,
  LK_STYLE_FIELD_ICON,
} LkStyleField;

G_END_DECLS
