/* lk-types.h: forward declarations and the enums shared across Likeness core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LkClient LkClient;
typedef struct _LkPrediction LkPrediction;
typedef struct _LkBatch LkBatch;
typedef struct _LkBatchItem LkBatchItem;
typedef struct _LkBudget LkBudget;
typedef struct _LkCatalog LkCatalog;
typedef struct _LkJobSummary LkJobSummary;
typedef struct _LkModel LkModel;
typedef struct _LkPhoto LkPhoto;
typedef struct _LkPhotoScorer LkPhotoScorer;
typedef struct _LkReferencePrep LkReferencePrep;
typedef struct _LkSecret LkSecret;
typedef struct _LkStore LkStore;
typedef struct _LkStyle LkStyle;
typedef struct _LkStyleLibrary LkStyleLibrary;
typedef struct _LkTrainedModel LkTrainedModel;
typedef struct _LkTrainer LkTrainer;
typedef struct _LkTrainingPlan LkTrainingPlan;

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
 * LkModelRole:
 * @LK_MODEL_ROLE_PORTRAIT_ID: keeps a face from a reference photo
 * @LK_MODEL_ROLE_IMAGE_EDIT: edits a reference image following a prompt
 * @LK_MODEL_ROLE_TEXT_TO_IMAGE: makes an image from a prompt alone
 * @LK_MODEL_ROLE_TRAINER: trains a LoRA from a zip of images
 * @LK_MODEL_ROLE_LORA_RUNNER: runs a version trained by the trainer
 *
 * What the app uses a model of the catalog for.
 */
typedef enum
{
  LK_MODEL_ROLE_PORTRAIT_ID,
  LK_MODEL_ROLE_IMAGE_EDIT,
  LK_MODEL_ROLE_TEXT_TO_IMAGE,
  LK_MODEL_ROLE_TRAINER,
  LK_MODEL_ROLE_LORA_RUNNER,
} LkModelRole;

/**
 * LkBilling:
 * @LK_BILLING_PER_OUTPUT: a fixed price per output image (official models)
 * @LK_BILLING_PER_SECOND: the hardware's price per second of compute
 *
 * How Replicate charges for a run of a model.
 */
typedef enum
{
  LK_BILLING_PER_OUTPUT,
  LK_BILLING_PER_SECOND,
} LkBilling;

/**
 * LkQualityPreset:
 * @LK_QUALITY_PRESET_DRAFT: fast and cheap, to try things out
 * @LK_QUALITY_PRESET_STANDARD: the usual balance
 * @LK_QUALITY_PRESET_PREMIUM: the best the model does, at a higher price
 *
 * The quality tiers each model of the catalog defines input values for.
 */
typedef enum
{
  LK_QUALITY_PRESET_DRAFT,
  LK_QUALITY_PRESET_STANDARD,
  LK_QUALITY_PRESET_PREMIUM,
} LkQualityPreset;

/**
 * LkJobKind:
 * @LK_JOB_KIND_PORTRAIT: portraits in chosen styles from reference photos
 * @LK_JOB_KIND_CREATE: images from a prompt on the Create page
 * @LK_JOB_KIND_TRAINING: the training of a LoRA
 *
 * What a job of the store made.
 */
typedef enum
{
  LK_JOB_KIND_PORTRAIT,
  LK_JOB_KIND_CREATE,
  LK_JOB_KIND_TRAINING,
} LkJobKind;

/**
 * LkJobState:
 * @LK_JOB_STATE_DRAFT: written down, nothing spent yet
 * @LK_JOB_STATE_RUNNING: creating predictions
 * @LK_JOB_STATE_PAUSED: paused by the user
 * @LK_JOB_STATE_BUDGET_REACHED: stopped because a budget cap would be overshot
 * @LK_JOB_STATE_FINISHED: every item reached an end
 * @LK_JOB_STATE_CANCELED: canceled by the user
 *
 * Where a job stands. Its nick is what the store writes.
 */
typedef enum
{
  LK_JOB_STATE_DRAFT,
  LK_JOB_STATE_RUNNING,
  LK_JOB_STATE_PAUSED,
  LK_JOB_STATE_BUDGET_REACHED,
  LK_JOB_STATE_FINISHED,
  LK_JOB_STATE_CANCELED,
} LkJobState;

/**
 * LkItemState:
 * @LK_ITEM_STATE_QUEUED: waiting for a slot
 * @LK_ITEM_STATE_RUNNING: a prediction is under way
 * @LK_ITEM_STATE_SUCCEEDED: its image is saved
 * @LK_ITEM_STATE_FAILED: every attempt failed; the last error says why
 * @LK_ITEM_STATE_CANCELED: canceled by the user
 *
 * Where one item (one style or prompt) of a job stands.
 */
typedef enum
{
  LK_ITEM_STATE_QUEUED,
  LK_ITEM_STATE_RUNNING,
  LK_ITEM_STATE_SUCCEEDED,
  LK_ITEM_STATE_FAILED,
  LK_ITEM_STATE_CANCELED,
} LkItemState;

/**
 * LkBatchItemState:
 * @LK_BATCH_ITEM_STATE_QUEUED: waiting for a free slot
 * @LK_BATCH_ITEM_STATE_UPLOADING: waiting for its reference photo to upload
 * @LK_BATCH_ITEM_STATE_STARTING: its prediction is being created or booting
 * @LK_BATCH_ITEM_STATE_GENERATING: the model runs; the progress says how far
 * @LK_BATCH_ITEM_STATE_DOWNLOADING: the image is being saved
 * @LK_BATCH_ITEM_STATE_DONE: the image is saved in the job's folder
 * @LK_BATCH_ITEM_STATE_FAILED: it could not be made; the error says why
 * @LK_BATCH_ITEM_STATE_CANCELED: canceled by the user
 * @LK_BATCH_ITEM_STATE_EXPIRED: the image was made but Replicate deleted it
 *   before it could be saved; it can be generated again
 *
 * Where one portrait of a batch stands, in more detail than the store
 * keeps. The last four are ends; failed, canceled and expired items can
 * be retried.
 */
typedef enum
{
  LK_BATCH_ITEM_STATE_QUEUED,
  LK_BATCH_ITEM_STATE_UPLOADING,
  LK_BATCH_ITEM_STATE_STARTING,
  LK_BATCH_ITEM_STATE_GENERATING,
  LK_BATCH_ITEM_STATE_DOWNLOADING,
  LK_BATCH_ITEM_STATE_DONE,
  LK_BATCH_ITEM_STATE_FAILED,
  LK_BATCH_ITEM_STATE_CANCELED,
  LK_BATCH_ITEM_STATE_EXPIRED,
} LkBatchItemState;

/**
 * LkBudgetCap:
 * @LK_BUDGET_CAP_NONE: no cap
 * @LK_BUDGET_CAP_JOB: the budget the user gave a job when starting it
 * @LK_BUDGET_CAP_DAILY: the cap on spending per calendar day
 * @LK_BUDGET_CAP_MONTHLY: the cap on spending per calendar month
 *
 * The spending caps checked before every prediction is created.
 */
typedef enum
{
  LK_BUDGET_CAP_NONE,
  LK_BUDGET_CAP_JOB,
  LK_BUDGET_CAP_DAILY,
  LK_BUDGET_CAP_MONTHLY,
} LkBudgetCap;

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

/**
 * LkSubjectType:
 * @LK_SUBJECT_TYPE_FACE: a person, taught from photos of their face
 * @LK_SUBJECT_TYPE_STYLE: a look: a painting style, an aesthetic
 * @LK_SUBJECT_TYPE_OBJECT: a thing, a pet, a place
 *
 * What a trained model learns. Its nick is what the store writes.
 */
typedef enum
{
  LK_SUBJECT_TYPE_FACE,
  LK_SUBJECT_TYPE_STYLE,
  LK_SUBJECT_TYPE_OBJECT,
} LkSubjectType;

/**
 * LkTrainingStatus:
 * @LK_TRAINING_STATUS_PREPARING: the photos are being resized and zipped
 * @LK_TRAINING_STATUS_UPLOADING: the zip is being uploaded
 * @LK_TRAINING_STATUS_CREATING: the training is being created on Replicate
 * @LK_TRAINING_STATUS_STARTING: Replicate queued the training or is booting it
 * @LK_TRAINING_STATUS_PROCESSING: the training runs
 * @LK_TRAINING_STATUS_SUCCEEDED: the trained version exists
 * @LK_TRAINING_STATUS_FAILED: the training failed, or was interrupted
 *   before Replicate had it
 * @LK_TRAINING_STATUS_CANCELED: canceled by the user
 * @LK_TRAINING_STATUS_ABORTED: ended by Replicate before it ran
 *
 * Where a training stands. The first five are under way. Its nick is what
 * the store writes.
 */
typedef enum
{
  LK_TRAINING_STATUS_PREPARING,
  LK_TRAINING_STATUS_UPLOADING,
  LK_TRAINING_STATUS_CREATING,
  LK_TRAINING_STATUS_STARTING,
  LK_TRAINING_STATUS_PROCESSING,
  LK_TRAINING_STATUS_SUCCEEDED,
  LK_TRAINING_STATUS_FAILED,
  LK_TRAINING_STATUS_CANCELED,
  LK_TRAINING_STATUS_ABORTED,
} LkTrainingStatus;

G_END_DECLS
