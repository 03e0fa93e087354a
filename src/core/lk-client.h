/* lk-client.h: the asynchronous client for the Replicate HTTP API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-prediction.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_BASE_URL_ENV "REPLICATE_BASE_URL"
#define LK_DEFAULT_BASE_URL "https://api.replicate.com/v1"

/* Replicate refuses larger uploads with 413; checking first saves sending them. */
#define LK_CLIENT_MAX_UPLOAD_SIZE (G_GOFFSET_CONSTANT (100) * 1024 * 1024)
/* Generated images are a few megabytes; anything far larger is not an image. */
#define LK_CLIENT_MAX_DOWNLOAD_SIZE (G_GOFFSET_CONSTANT (64) * 1024 * 1024)

#define LK_CLIENT_ERROR (lk_client_error_quark ())

/**
 * LkClientError:
 * @LK_CLIENT_ERROR_UNAUTHORIZED: no token, or Replicate refused it (401, 403)
 * @LK_CLIENT_ERROR_PAYMENT_REQUIRED: billing is not set up (402)
 * @LK_CLIENT_ERROR_NOT_FOUND: no such model, version, prediction or file (404)
 * @LK_CLIENT_ERROR_TOO_LARGE: a file over the size limit (413, or checked locally)
 * @LK_CLIENT_ERROR_INVALID_INPUT: the model refused the input (422, 400)
 * @LK_CLIENT_ERROR_RATE_LIMITED: too many requests (429); see
 *   lk_client_error_get_retry_after()
 * @LK_CLIENT_ERROR_SERVER: Replicate failed (5xx)
 * @LK_CLIENT_ERROR_NETWORK: Replicate could not be reached
 * @LK_CLIENT_ERROR_TIMEOUT: Replicate did not answer in time
 * @LK_CLIENT_ERROR_PROTOCOL: an answer that is not what the API promises
 * @LK_CLIENT_ERROR_PREDICTION_FAILED: the model failed; the message is its error
 * @LK_CLIENT_ERROR_ABORTED: Replicate ended the prediction before it ran
 * @LK_CLIENT_ERROR_CANCELED: the prediction was canceled on Replicate
 * @LK_CLIENT_ERROR_INSECURE: an address that would expose the token
 */
typedef enum
{
  LK_CLIENT_ERROR_UNAUTHORIZED,
  LK_CLIENT_ERROR_PAYMENT_REQUIRED,
  LK_CLIENT_ERROR_NOT_FOUND,
  LK_CLIENT_ERROR_TOO_LARGE,
  LK_CLIENT_ERROR_INVALID_INPUT,
  LK_CLIENT_ERROR_RATE_LIMITED,
  LK_CLIENT_ERROR_SERVER,
  LK_CLIENT_ERROR_NETWORK,
  LK_CLIENT_ERROR_TIMEOUT,
  LK_CLIENT_ERROR_PROTOCOL,
  LK_CLIENT_ERROR_PREDICTION_FAILED,
  LK_CLIENT_ERROR_ABORTED,
  LK_CLIENT_ERROR_CANCELED,
  LK_CLIENT_ERROR_INSECURE,
} LkClientError;

GQuark        lk_client_error_quark                (void);
double        lk_client_error_get_retry_after      (const GError         *error);

#define LK_TYPE_CLIENT (lk_client_get_type ())

G_DECLARE_FINAL_TYPE (LkClient, lk_client, LK, CLIENT, GObject)

LkClient     *lk_client_new                        (LkSecret             *secret,
                                                    const char           *base_url);
const char   *lk_client_get_base_url               (LkClient             *self);
void          lk_client_set_token                  (LkClient             *self,
                                                    const char           *token);
guint         lk_client_get_timeout                (LkClient             *self);
gint64        lk_client_get_rate_limit_remaining   (LkClient             *self);
void          lk_client_get_request_rates          (LkClient             *self,
                                                    double               *creates,
                                                    double               *others);
void          lk_client_set_timeout                (LkClient             *self,
                                                    guint                 seconds);

void          lk_client_get_account_async          (LkClient             *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject   *lk_client_get_account_finish         (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_get_model_async            (LkClient             *self,
                                                    const char           *model,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject   *lk_client_get_model_finish           (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_create_model_async         (LkClient             *self,
                                                    const char           *model,
                                                    const char           *visibility,
                                                    const char           *hardware,
                                                    const char           *description,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject   *lk_client_create_model_finish        (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_get_version_async          (LkClient             *self,
                                                    const char           *model,
                                                    const char           *version_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject   *lk_client_get_version_finish         (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_delete_version_async       (LkClient             *self,
                                                    const char           *model,
                                                    const char           *version_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      lk_client_delete_version_finish      (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void          lk_client_create_prediction_async    (LkClient             *self,
                                                    const char           *model,
                                                    JsonObject           *input,
                                                    guint                 wait_seconds,
                                                    guint                 cancel_after_seconds,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LkPrediction *lk_client_create_prediction_finish   (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_get_prediction_async       (LkClient             *self,
                                                    LkPredictionKind      kind,
                                                    const char           *id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LkPrediction *lk_client_get_prediction_finish      (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_cancel_prediction_async    (LkClient             *self,
                                                    LkPrediction         *prediction,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      lk_client_cancel_prediction_finish   (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_list_predictions_async     (LkClient             *self,
                                                    GDateTime            *created_after,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray    *lk_client_list_predictions_finish    (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_list_trainings_async       (LkClient             *self,
                                                    GDateTime            *created_after,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray    *lk_client_list_trainings_finish      (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_create_training_async      (LkClient             *self,
                                                    const char           *trainer,
                                                    const char           *destination,
                                                    JsonObject           *input,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LkPrediction *lk_client_create_training_finish     (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_wait_async                 (LkClient             *self,
                                                    LkPrediction         *prediction,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      lk_client_wait_finish                (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void          lk_client_upload_file_async          (LkClient             *self,
                                                    GFile                *file,
                                                    JsonObject           *metadata,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject   *lk_client_upload_file_finish         (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_delete_file_async          (LkClient             *self,
                                                    const char           *file_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      lk_client_delete_file_finish         (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void          lk_client_download_async             (LkClient             *self,
                                                    const char           *url,
                                                    GFile                *directory,
                                                    const char           *stem,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GFile        *lk_client_download_finish            (LkClient             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
