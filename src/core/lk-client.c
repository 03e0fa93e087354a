/* lk-client.c: the asynchronous client for the Replicate HTTP API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lk-client.h"
#include "lk-multipart-stream.h"
#include "lk-rate-limiter.h"
#include "lk-secret.h"

/* Seconds without progress before a request counts as lost. */
#define DEFAULT_TIMEOUT 30
/* The socket-level backstop for streamed bodies; above Prefer: wait's
 * 60 s maximum, so it never cuts a held create short. */
#define SOCKET_TIMEOUT 90

#define MAX_ATTEMPTS 5
#define BACKOFF_FIRST 0.5
#define BACKOFF_MAX 30.0
/* A server asking for a longer pause gets the error instead, so that the
 * caller decides whether to wait that long. */
#define MAX_RETRY_AFTER 60.0

/* Replicate's published limits, with the burst of one second's worth. */
#define CREATES_PER_MINUTE 600
#define CREATE_BURST 10
#define OTHERS_PER_MINUTE 3000
#define OTHER_BURST 50
/* A 429 that announces a lower rate does not say for how long; the
 * normal rate is tried again after this, which costs one 429 at most. */
#define REDUCED_RATE_PERIOD (5 * 60 * G_USEC_PER_SEC)

#define POLL_FIRST 0.5
#define POLL_GROWTH 1.5
#define POLL_MAX 5.0
#define POLL_MAX_WITH_PROGRESS 1.0

/* A create whose answer was lost is looked for among the predictions
 * created since just before it; this margin covers the difference
 * between our clock and the server's, which we know to the second from
 * its Date header, or not at all before the first answer. */
#define CLOCK_MARGIN_KNOWN (5 * G_USEC_PER_SEC)
#define CLOCK_MARGIN_UNKNOWN (120 * G_USEC_PER_SEC)
#define MAX_CREATE_ROUNDS 3
#define MAX_LIST_PAGES 10

#define DOWNLOAD_CHUNK (64 * 1024)

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  double retry_after;
} LkClientErrorPrivate;

static void
lk_client_error_private_init (LkClientErrorPrivate *priv)
{
  priv->retry_after = -1;
}

static void
lk_client_error_private_copy (const LkClientErrorPrivate *src,
                              LkClientErrorPrivate       *dest)
{
  dest->retry_after = src->retry_after;
}

static void
lk_client_error_private_clear (LkClientErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (LkClientError, lk_client_error)

/**
 * lk_client_error_get_retry_after:
 * @error: a #GError
 *
 * Returns: the seconds Replicate asked to wait, for
 *   %LK_CLIENT_ERROR_RATE_LIMITED; -1 when it did not say or for other errors
 */
double
lk_client_error_get_retry_after (const GError *error)
{
  g_return_val_if_fail (error != NULL, -1);

  if (error->domain != LK_CLIENT_ERROR)
    return -1;

  return lk_client_error_get_private (error)->retry_after;
}

struct _LkClient
{
  GObject        parent_instance;

  SoupSession   *session;
  LkSecret      *secret;
  char          *base_url;
  GError        *base_url_error;
  char          *token;
  guint          timeout;

  LkRateLimiter *create_limiter;
  LkRateLimiter *other_limiter;

  /* Predictions this client created, never to be adopted as the lost
   * answer to another create with the same input. */
  GHashTable    *created_ids;

  gint64         clock_offset_us;
  guint          clock_known : 1;

  /* Replicate's ratelimit-remaining header, as last seen; -1 before. */
  gint64         rate_limit_remaining;
};

G_DEFINE_FINAL_TYPE (LkClient, lk_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SECRET,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Addresses ------------------------------------------------------------- */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The token would travel in clear text over plain http, so only https is
 * accepted, and plain http only to this machine (the simulator). */
static gboolean
check_http_url (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || scheme == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                   _("“%s” is not a web address Likeness can use."), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (g_uri_get_host (uri)))
    {
      g_set_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INSECURE,
                   _("The address %s uses plain http, which would expose your token and images. "
                     "Use an https address; plain http is only allowed to this computer (localhost)."),
                   url);
      return FALSE;
    }

  return TRUE;
}

/* Only URLs below the base URL get the token; anything else the server
 * links to is refused rather than sent the token or sent without it. */
static gboolean
is_api_url (LkClient   *self,
            const char *url)
{
  gsize length = strlen (self->base_url);

  return g_str_has_prefix (url, self->base_url) &&
         (url[length] == '/' || url[length] == '?' || url[length] == '\0');
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* "owner/name" into its two escaped path segments. */
static gboolean
split_model (const char  *model,
             char       **owner,
             char       **name,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (model, "/", -1);

  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    {
      g_set_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT,
                   _("“%s” is not a model name. Write it as owner/name."), model);
      return FALSE;
    }

  *owner = escape_segment (parts[0]);
  *name = escape_segment (parts[1]);
  return TRUE;
}

static gboolean
is_version_id (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return FALSE;
    }

  return TRUE;
}

/* Errors ------------------------------------------------------------------ */

static GError *
new_error (LkClientError  code,
           double         retry_after,
           const char    *message)
{
  GError *error = g_error_new_literal (LK_CLIENT_ERROR, code, message);

  lk_client_error_get_private (error)->retry_after = retry_after;
  return error;
}

static const char *
problem_string (JsonObject *problem,
                const char *name)
{
  JsonNode *node = problem != NULL ? json_object_get_member (problem, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return NULL;
}

/* invalid_fields as "width: must be at most 1536; prompt: is required". */
static char *
describe_invalid_fields (JsonObject *problem)
{
  JsonNode *node = problem != NULL ? json_object_get_member (problem, "invalid_fields") : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *fields;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  fields = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonNode *element = json_array_get_element (fields, i);
      JsonObject *field = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = problem_string (field, "field");
      const char *description = problem_string (field, "description");

      /* "input.width" is the user's "width"; "input" alone (a missing
       * field) names nothing the description does not. */
      if (g_strcmp0 (name, "input") == 0)
        name = NULL;
      else if (name != NULL && g_str_has_prefix (name, "input."))
        name = name + strlen ("input.");

      if (text->len > 0)
        g_string_append (text, "; ");

      if (name != NULL && description != NULL && !g_str_has_prefix (description, name))
        g_string_append_printf (text, "%s: %s", name, description);
      else if (description != NULL)
        g_string_append (text, description);
      else if (name != NULL)
        g_string_append (text, name);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The server's explanation, without its final period, to be quoted
 * inside a sentence of ours. */
static char *
problem_detail (JsonObject *problem)
{
  const char *text = problem_string (problem, "detail");
  char *detail;

  if (text == NULL)
    text = problem_string (problem, "title");
  if (text == NULL)
    return NULL;

  detail = g_strstrip (g_strdup (text));
  if (g_str_has_suffix (detail, "."))
    detail[strlen (detail) - 1] = '\0';

  return detail;
}

static GError *
error_from_status (guint       status,
                   JsonObject *problem,
                   double      retry_after)
{
  g_autofree char *detail = problem_detail (problem);
  g_autofree char *fields = NULL;
  g_autofree char *message = NULL;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return new_error (LK_CLIENT_ERROR_UNAUTHORIZED, -1,
                        _("Replicate did not accept the API token. Check your token in Preferences."));

    case SOUP_STATUS_FORBIDDEN:
      message = g_strdup_printf (_("Replicate refused access (%s). Check your token in Preferences."),
                                 detail != NULL ? detail : _("forbidden"));
      return new_error (LK_CLIENT_ERROR_UNAUTHORIZED, -1, message);

    case SOUP_STATUS_PAYMENT_REQUIRED:
      return new_error (LK_CLIENT_ERROR_PAYMENT_REQUIRED, -1,
                        _("Replicate needs billing set up before it runs models. Set up billing on replicate.com, then try again."));

    case SOUP_STATUS_NOT_FOUND:
      message = g_strdup_printf (_("Replicate could not find it (%s). Check the model name and version."),
                                 detail != NULL ? detail : _("not found"));
      return new_error (LK_CLIENT_ERROR_NOT_FOUND, -1, message);

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return new_error (LK_CLIENT_ERROR_TOO_LARGE, -1,
                        _("The file is too large for Replicate, which takes files up to 100 MB. Use a smaller file."));

    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
    case SOUP_STATUS_BAD_REQUEST:
      fields = describe_invalid_fields (problem);
      message = g_strdup_printf (_("The model did not accept the input: %s. Change it and try again."),
                                 fields != NULL ? fields : detail != NULL ? detail : _("no reason given"));
      return new_error (LK_CLIENT_ERROR_INVALID_INPUT, -1, message);

    case STATUS_TOO_MANY_REQUESTS:
      if (retry_after > 0)
        message = g_strdup_printf (_("Replicate is limiting the requests of this account. Try again in %.0f seconds."),
                                   MAX (1.0, retry_after));
      else
        message = g_strdup (_("Replicate is limiting the requests of this account. Try again in a minute."));
      return new_error (LK_CLIENT_ERROR_RATE_LIMITED, retry_after, message);

    default:
      if (status >= 500 && status <= 599)
        {
          message = g_strdup_printf (_("Replicate had a problem (HTTP %u). Try again in a few minutes."), status);
          return new_error (LK_CLIENT_ERROR_SERVER, -1, message);
        }

      message = g_strdup_printf (_("Replicate answered with an unexpected HTTP status %u. Try again later."), status);
      return new_error (LK_CLIENT_ERROR_PROTOCOL, -1, message);
    }
}

static GError *
protocol_error (void)
{
  return new_error (LK_CLIENT_ERROR_PROTOCOL, -1,
                    _("Replicate sent an answer Likeness cannot read. Try again later."));
}

/* Replicate refuses to delete some versions (another owner's, a public
 * model's, one others ran, one a training or deployment uses); the
 * general messages would send the person to their token or their input.
 * Returns NULL for the statuses that are not such a refusal. */
static GError *
version_delete_error (guint       status,
                      JsonObject *problem)
{
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;

  if (status != SOUP_STATUS_FORBIDDEN && status != SOUP_STATUS_CONFLICT &&
      status != SOUP_STATUS_BAD_REQUEST && status != SOUP_STATUS_UNPROCESSABLE_ENTITY)
    return NULL;

  detail = problem_detail (problem);
  message = g_strdup_printf (_("Replicate refused to delete the version (%s). It deletes only versions of your own "
                               "private models that nobody else has run and that no training or deployment uses. "
                               "You can still remove the model from Likeness alone."),
                             detail != NULL ? detail : _("no reason given"));
  return new_error (status == SOUP_STATUS_FORBIDDEN ? LK_CLIENT_ERROR_UNAUTHORIZED : LK_CLIENT_ERROR_INVALID_INPUT,
                    -1, message);
}

/* The wait for Retry-After, in seconds (delay or HTTP date), or -1. */
static double
parse_retry_after (const char *header)
{
  g_autoptr(GDateTime) date = NULL;
  char *end = NULL;
  double seconds;

  if (header == NULL)
    return -1;

  seconds = g_ascii_strtod (header, &end);
  if (end != header && *end == '\0' && seconds >= 0)
    return seconds;

  date = soup_date_time_new_from_http_string (header);
  if (date == NULL)
    return -1;

  return MAX (0.0, (g_date_time_to_unix (date) * (double) G_USEC_PER_SEC - g_get_real_time ()) / G_USEC_PER_SEC);
}

/* Sleeping ---------------------------------------------------------------- */

static gboolean
sleep_done_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

/* Waits @delay_us, or less when @cancellable is cancelled first. */
static void
sleep_async (gint64               delay_us,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSource) source = g_timeout_source_new ((guint) (MAX (delay_us, 0) / 1000));

  g_task_set_source_tag (task, sleep_async);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      /* A child source wakes its parent: the sleep ends at the earlier of
       * the timeout and the cancellation. */
      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }

  g_task_attach_source (task, source, sleep_done_cb);
}

static gboolean
sleep_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Exponential backoff with full jitter over its upper half, so that many
 * clients that failed together do not come back together. */
static gint64
backoff_delay (guint attempt)
{
  double ceiling = MIN (BACKOFF_MAX, BACKOFF_FIRST * (1 << MIN (attempt, 16u)));

  return (gint64) (g_random_double_range (ceiling / 2, ceiling) * G_USEC_PER_SEC);
}

/* Requests ---------------------------------------------------------------- */

/* One API call or download, with everything needed to send it again. It is
 * the task data of the GTask that runs it; the task returns a JsonNode
 * (JSON calls; NULL for an empty answer) or a GInputStream (downloads). */
typedef struct
{
  const char       *method;
  char             *url;
  GBytes           *body;
  guint             wait_seconds;
  guint             cancel_after_seconds;
  LkRateLimiter    *limiter;
  LkPredictionKind  kind;
  LkPrediction     *target;
  guint             authorized : 1;
  guint             stream_response : 1;
  guint             is_create : 1;
  guint             deletes_version : 1;

  /* The upload, read again from the file for each attempt. */
  GFile            *upload_file;
  goffset           upload_size;
  char             *upload_name;
  char             *upload_type;
  char             *upload_metadata;

  /* The attempt in flight. */
  guint             attempt;
  SoupMessage      *message;
  GCancellable     *attempt_cancellable;
  gulong            cancelled_id;
  guint             deadline_id;
  gint64            started_us;
  gint64            last_activity_us;
  guint             sent : 1;
  guint             timed_out : 1;

  /* A create that failed in a way that leaves open whether it happened. */
  guint             ambiguous : 1;
} Request;

static void
request_free (Request *request)
{
  g_assert (request->deadline_id == 0);

  g_clear_pointer (&request->url, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->limiter);
  g_clear_object (&request->target);
  g_clear_object (&request->upload_file);
  g_clear_pointer (&request->upload_name, g_free);
  g_clear_pointer (&request->upload_type, g_free);
  g_clear_pointer (&request->upload_metadata, g_free);
  g_clear_object (&request->message);
  g_clear_object (&request->attempt_cancellable);
  g_free (request);
}

static Request *
request_new (const char *method,
             char       *url)
{
  Request *request = g_new0 (Request, 1);

  request->method = method;
  request->url = url;
  return request;
}

/* A call to @path below the base URL, with the token and the rate limit
 * of ordinary calls. */
static Request *
request_new_api (LkClient   *self,
                 const char *method,
                 const char *path)
{
  Request *request = request_new (method, g_strconcat (self->base_url, path, NULL));

  request->authorized = TRUE;
  request->limiter = g_object_ref (self->other_limiter);
  return request;
}

static void
request_set_json (Request  *request,
                  JsonNode *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  gsize length = strlen (text);

  request->body = g_bytes_new_take (g_steal_pointer (&text), length);
}

static GTask *
request_task_new (LkClient            *self,
                  Request             *request,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return task;
}

static void request_schedule (GTask *task);
static void request_send (GTask *task);
static void request_start_attempt (GTask *task);

static void
token_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = lk_secret_lookup_finish (LK_SECRET (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL)
    {
      g_task_return_error (task, new_error (LK_CLIENT_ERROR_UNAUTHORIZED, -1,
                                            _("No Replicate API token is set. Add your token in Preferences.")));
      return;
    }

  /* Another request may have looked it up meanwhile, or a new token
   * may have been set; the newer one stays. */
  if (self->token == NULL)
    self->token = g_steal_pointer (&token);

  request_schedule (g_steal_pointer (&task));
}

/* Starts the request of @task: the base URL check, then the token. */
static void
request_send (GTask *task)
{
  LkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  if (request->authorized)
    {
      if (self->base_url_error != NULL)
        {
          g_task_return_error (task, g_error_copy (self->base_url_error));
          g_object_unref (task);
          return;
        }

      if (!is_api_url (self, request->url))
        {
          g_task_return_error (task, protocol_error ());
          g_object_unref (task);
          return;
        }

      if (self->token == NULL)
        {
          lk_secret_lookup_async (self->secret, g_task_get_cancellable (task), token_lookup_cb, task);
          return;
        }
    }

  request_schedule (task);
}

static void
request_slept_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sleep_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* From the start: the token may have been replaced or forgotten while
   * the request waited. */
  request_send (g_steal_pointer (&task));
}

/* Waits for a token of the rate limit, then sends. */
static void
request_schedule (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  gint64 delay = 0;

  if (request->limiter != NULL)
    delay = lk_rate_limiter_acquire (request->limiter, g_get_monotonic_time ());

  if (delay > 0)
    {
      g_debug ("%s waits %.1f s for the rate limit", request->method, delay / (double) G_USEC_PER_SEC);
      sleep_async (delay, g_task_get_cancellable (task), request_slept_cb, task);
      return;
    }

  request_start_attempt (task);
}

static void
message_wrote_headers_cb (SoupMessage *message,
                          Request     *request)
{
  request->sent = TRUE;
  request->last_activity_us = g_get_monotonic_time ();
}

static void
message_wrote_body_data_cb (SoupMessage *message,
                            guint        chunk_size,
                            Request     *request)
{
  request->last_activity_us = g_get_monotonic_time ();
}

static gint64
request_timeout_us (LkClient *self,
                    Request  *request)
{
  return (gint64) (self->timeout + request->wait_seconds) * G_USEC_PER_SEC;
}

/* The attempt is lost once nothing moved for the timeout: an upload that
 * keeps sending is never cut off, a silent server is. */
static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  LkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  gint64 idle = g_get_monotonic_time () - request->last_activity_us;
  gint64 limit = request_timeout_us (self, request);

  if (idle < limit)
    {
      request->deadline_id = g_timeout_add ((guint) ((limit - idle) / 1000) + 1, deadline_cb, task);
      return G_SOURCE_REMOVE;
    }

  request->deadline_id = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static SoupMessage *
request_build_message (LkClient  *self,
                       Request   *request,
                       GError   **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (request->method, request->url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    {
      g_set_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                   _("“%s” is not a web address Likeness can use."), request->url);
      return NULL;
    }

  headers = soup_message_get_request_headers (message);

  if (request->authorized)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      /* A redirect could carry the token to another host. */
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
    }

  if (request->wait_seconds > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("wait=%u", request->wait_seconds);

      soup_message_headers_replace (headers, "Prefer", prefer);
    }

  if (request->cancel_after_seconds > 0)
    {
      g_autofree char *deadline = g_strdup_printf ("%us", request->cancel_after_seconds);

      soup_message_headers_replace (headers, "Cancel-After", deadline);
    }

  if (request->body != NULL)
    {
      soup_message_set_request_body_from_bytes (message, "application/json", request->body);
    }
  else if (request->upload_file != NULL)
    {
      g_autofree char *boundary = g_strdup_printf ("likeness-%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
      g_autofree char *content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);
      g_autoptr(GInputStream) stream = lk_multipart_stream_new (boundary, "content", request->upload_file,
                                                                request->upload_size, request->upload_name,
                                                                request->upload_type, request->upload_metadata);

      soup_message_set_request_body (message, content_type, stream,
                                     lk_multipart_stream_get_length (LK_MULTIPART_STREAM (stream)));
    }

  return g_steal_pointer (&message);
}

static void request_attempt_done_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data);

static void
request_start_attempt (GTask *task)
{
  LkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_clear_object (&request->message);
  if (!(request->message = request_build_message (self, request, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  request->attempt++;
  request->sent = FALSE;
  request->timed_out = FALSE;
  request->started_us = request->last_activity_us = g_get_monotonic_time ();

  g_signal_connect (request->message, "wrote-headers", G_CALLBACK (message_wrote_headers_cb), request);
  g_signal_connect (request->message, "wrote-body-data", G_CALLBACK (message_wrote_body_data_cb), request);

  /* Each attempt has a cancellable of its own, so that its deadline can
   * end it without cancelling the whole task. */
  g_clear_object (&request->attempt_cancellable);
  request->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                   g_object_ref (request->attempt_cancellable),
                                                   g_object_unref);
  request->deadline_id = g_timeout_add ((guint) (request_timeout_us (self, request) / 1000), deadline_cb, task);

  if (request->stream_response)
    soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                             request->attempt_cancellable, request_attempt_done_cb, task);
  else
    soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                      request->attempt_cancellable, request_attempt_done_cb, task);
}

static void
learn_rate_limit (LkClient    *self,
                  SoupMessage *message)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message), "ratelimit-remaining");
  guint64 remaining;

  if (header != NULL && g_ascii_string_to_unsigned (header, 10, 0, G_MAXINT64, &remaining, NULL))
    self->rate_limit_remaining = (gint64) remaining;
}

static void
learn_server_clock (LkClient    *self,
                    SoupMessage *message)
{
  const char *date_header = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");
  g_autoptr(GDateTime) date = date_header != NULL ? soup_date_time_new_from_http_string (date_header) : NULL;

  if (date == NULL)
    return;

  self->clock_offset_us = g_date_time_to_unix (date) * G_USEC_PER_SEC - g_get_real_time ();
  self->clock_known = TRUE;
}

static gboolean
is_retryable_status (guint status)
{
  return status == SOUP_STATUS_INTERNAL_SERVER_ERROR ||
         status == SOUP_STATUS_BAD_GATEWAY ||
         status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
         status == SOUP_STATUS_GATEWAY_TIMEOUT;
}

static gboolean
is_idempotent (Request *request)
{
  return request->method == SOUP_METHOD_GET || request->method == SOUP_METHOD_DELETE;
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

/* What a failed attempt comes to: an error to return, or one worth
 * another attempt after the Retry-After or the backoff. */
typedef enum
{
  OUTCOME_FAILED,
  OUTCOME_RETRY,
} Outcome;

static Outcome
classify_transport_error (LkClient  *self,
                          Request   *request,
                          GError    *soup_error,
                          GError   **error)
{
  g_autofree char *message = NULL;

  if (request->timed_out || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      message = g_strdup_printf (_("Replicate did not answer within %u seconds. Check your internet connection and try again."),
                                 (guint) (request_timeout_us (self, request) / G_USEC_PER_SEC));
      *error = new_error (LK_CLIENT_ERROR_TIMEOUT, -1, message);
    }
  else
    {
      message = g_strdup_printf (_("Could not reach Replicate (%s). Check your internet connection and try again."),
                                 soup_error->message);
      *error = new_error (LK_CLIENT_ERROR_NETWORK, -1, message);
    }

  /* A request that never left can always go again; one that did may have
   * been carried out, which only a GET or DELETE can safely repeat. */
  if (!request->sent || is_idempotent (request))
    return OUTCOME_RETRY;

  request->ambiguous = request->is_create;
  return OUTCOME_FAILED;
}

static Outcome
classify_status (Request   *request,
                 GBytes    *body,
                 double    *retry_after,
                 GError   **error)
{
  guint status = soup_message_get_status (request->message);
  g_autoptr(JsonNode) node = parse_json (body);
  JsonObject *problem = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  double per_minute;
  guint burst;

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      const char *header = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                         "Retry-After");
      JsonNode *body_value = problem != NULL ? json_object_get_member (problem, "retry_after") : NULL;

      *retry_after = parse_retry_after (header);
      if (body_value != NULL && JSON_NODE_HOLDS_VALUE (body_value) &&
          (json_node_get_value_type (body_value) == G_TYPE_INT64 || json_node_get_value_type (body_value) == G_TYPE_DOUBLE))
        *retry_after = MAX (*retry_after, json_node_get_double (body_value));

      if (request->limiter != NULL &&
          lk_rate_limiter_parse_reduced_rate (problem_string (problem, "detail"), &per_minute, &burst))
        {
          gint64 now = g_get_monotonic_time ();

          g_debug ("Replicate reduced the rate to %.0f per minute, burst %u", per_minute, burst);
          lk_rate_limiter_reduce (request->limiter, per_minute, burst, now, now + REDUCED_RATE_PERIOD);
        }
    }

  if (request->deletes_version)
    *error = version_delete_error (status, problem);
  if (*error == NULL)
    *error = error_from_status (status, problem, *retry_after);

  if (status == STATUS_TOO_MANY_REQUESTS)
    return *retry_after <= MAX_RETRY_AFTER ? OUTCOME_RETRY : OUTCOME_FAILED;

  if (is_retryable_status (status) && is_idempotent (request))
    return OUTCOME_RETRY;

  request->ambiguous = request->is_create && status >= 500;
  return OUTCOME_FAILED;
}

static void
log_attempt (Request    *request,
             guint       status,
             const char *problem)
{
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_NONE, NULL);

  /* Method, path and timing only: never headers, which hold the token. */
  g_debug ("%s %s%s%s -> %u%s%s (%.0f ms, attempt %u)",
           request->method,
           uri != NULL ? g_uri_get_path (uri) : "",
           uri != NULL && g_uri_get_query (uri) != NULL ? "?" : "",
           uri != NULL && g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "",
           status,
           problem != NULL ? " " : "",
           problem != NULL ? problem : "",
           (g_get_monotonic_time () - request->started_us) / 1000.0,
           request->attempt);
}

static void
request_attempt_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) soup_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GInputStream) stream = NULL;
  double retry_after = -1;
  Outcome outcome;
  guint status;

  if (request->stream_response)
    stream = soup_session_send_finish (SOUP_SESSION (object), result, &soup_error);
  else
    body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &soup_error);

  g_clear_handle_id (&request->deadline_id, g_source_remove);
  g_cancellable_disconnect (cancellable, request->cancelled_id);
  request->cancelled_id = 0;

  status = soup_error != NULL ? 0 : soup_message_get_status (request->message);
  log_attempt (request, status, soup_error != NULL ? soup_error->message : NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (soup_error != NULL)
    {
      outcome = classify_transport_error (self, request, soup_error, &error);
    }
  else
    {
      if (request->authorized)
        {
          learn_server_clock (self, request->message);
          learn_rate_limit (self, request->message);
        }

      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          if (request->stream_response)
            {
              g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
              return;
            }

          if (body != NULL && g_bytes_get_size (body) > 0)
            {
              JsonNode *node = parse_json (body);

              if (node == NULL)
                g_task_return_error (task, protocol_error ());
              else
                g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
              return;
            }

          g_task_return_pointer (task, NULL, NULL);
          return;
        }

      outcome = classify_status (request, body, &retry_after, &error);
    }

  if (outcome == OUTCOME_RETRY && request->attempt < MAX_ATTEMPTS)
    {
      gint64 delay = MAX (backoff_delay (request->attempt - 1), (gint64) (retry_after * G_USEC_PER_SEC));

      g_debug ("%s retried in %.1f s: %s", request->method, delay / (double) G_USEC_PER_SEC, error->message);
      sleep_async (delay, cancellable, request_slept_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/* The pointer a task of this client returned, checked to be from @source_tag. */
static gpointer
task_finish_pointer (LkClient      *self,
                     GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonNode *
request_finish (LkClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  return task_finish_pointer (self, result, source_tag, error);
}

/* The answer of a request that must be a JSON object. */
static JsonObject *
request_finish_object (LkClient      *self,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = request_finish (self, result, source_tag, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, protocol_error ());
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

/* Runs @request for a public call whose finish function reads its
 * answer with request_finish_object() or request_finish(). */
static void
run_request (LkClient            *self,
             Request             *request,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  request_send (request_task_new (self, request, source_tag, cancellable, callback, user_data));
}

/* Reports an error found before any request, such as a bad argument. */
static void
report_error (LkClient            *self,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              GError              *error)
{
  g_task_report_error (self, callback, user_data, source_tag, error);
}

/* The object ------------------------------------------------------------- */

static void
lk_client_constructed (GObject *object)
{
  LkClient *self = LK_CLIENT (object);
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (lk_client_parent_class)->constructed (object);

  if (self->base_url == NULL || *self->base_url == '\0')
    {
      const char *env = g_getenv (LK_BASE_URL_ENV);

      g_free (self->base_url);
      self->base_url = g_strdup (env != NULL && *env != '\0' ? env : LK_DEFAULT_BASE_URL);
    }

  /* Paths are appended to the base URL, so it must not end in a slash. */
  url = g_strdup (self->base_url);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&url);

  check_http_url (self->base_url, &self->base_url_error);

  if (self->secret == NULL)
    self->secret = lk_secret_new ();
}

static void
lk_client_dispose (GObject *object)
{
  LkClient *self = LK_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->secret);

  G_OBJECT_CLASS (lk_client_parent_class)->dispose (object);
}

static void
lk_client_finalize (GObject *object)
{
  LkClient *self = LK_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_error (&self->base_url_error);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->create_limiter);
  g_clear_object (&self->other_limiter);
  g_clear_pointer (&self->created_ids, g_hash_table_unref);

  G_OBJECT_CLASS (lk_client_parent_class)->finalize (object);
}

static void
lk_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkClient *self = LK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SECRET:
      g_value_set_object (value, self->secret);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LkClient *self = LK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SECRET:
      self->secret = g_value_dup_object (value);
      break;

    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT:
      lk_client_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_client_class_init (LkClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lk_client_constructed;
  object_class->dispose = lk_client_dispose;
  object_class->finalize = lk_client_finalize;
  object_class->get_property = lk_client_get_property;
  object_class->set_property = lk_client_set_property;

  /**
   * LkClient:secret:
   *
   * Where the token comes from when none was set with
   * lk_client_set_token(); a new #LkSecret when %NULL.
   */
  properties[PROP_SECRET] =
    g_param_spec_object ("secret", NULL, NULL,
                         LK_TYPE_SECRET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * LkClient:base-url:
   *
   * The API address; when %NULL at construction, `REPLICATE_BASE_URL`
   * or https://api.replicate.com/v1.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * LkClient:timeout:
   *
   * Seconds without progress after which a request fails with
   * %LK_CLIENT_ERROR_TIMEOUT (or is tried again, when that is safe).
   * A create with `Prefer: wait` gets its wait on top.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_client_init (LkClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("likeness/%s", PACKAGE_VERSION);

  self->timeout = DEFAULT_TIMEOUT;
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", SOCKET_TIMEOUT,
                                                 "idle-timeout", 60,
                                                 "max-conns", 32,
                                                 "max-conns-per-host", 16,
                                                 NULL);
  self->rate_limit_remaining = -1;
  self->create_limiter = lk_rate_limiter_new (CREATES_PER_MINUTE, CREATE_BURST);
  self->other_limiter = lk_rate_limiter_new (OTHERS_PER_MINUTE, OTHER_BURST);
  self->created_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * lk_client_new:
 * @secret: (nullable): where to look up the token
 * @base_url: (nullable): the API address, or %NULL for `REPLICATE_BASE_URL`
 *   or the real API
 *
 * Creates a client. An unusable @base_url (plain http to another
 * machine) is not an error here: every call then fails with
 * %LK_CLIENT_ERROR_INSECURE and sends nothing.
 *
 * Returns: (transfer full): a new client
 */
LkClient *
lk_client_new (LkSecret   *secret,
               const char *base_url)
{
  g_return_val_if_fail (secret == NULL || LK_IS_SECRET (secret), NULL);

  return g_object_new (LK_TYPE_CLIENT,
                       "secret", secret,
                       "base-url", base_url,
                       NULL);
}

const char *
lk_client_get_base_url (LkClient *self)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * lk_client_set_token:
 * @token: (nullable): a token to use from now on, or %NULL to look it up
 *   again in #LkClient:secret at the next call
 *
 * Sets the token, for example to check a token with
 * lk_client_get_account_async() before it is stored, or forgets it after
 * the user signed out.
 */
void
lk_client_set_token (LkClient   *self,
                     const char *token)
{
  g_return_if_fail (LK_IS_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

guint
lk_client_get_timeout (LkClient *self)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), 0);

  return self->timeout;
}

void
lk_client_set_timeout (LkClient *self,
                       guint     seconds)
{
  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * lk_client_get_rate_limit_remaining:
 *
 * Returns: the requests Replicate last said are left before it throttles
 *   (its `ratelimit-remaining` header), or -1 when it has not said
 */
gint64
lk_client_get_rate_limit_remaining (LkClient *self)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), -1);

  return self->rate_limit_remaining;
}

/**
 * lk_client_get_request_rates:
 * @creates: (out) (optional): creates a minute the client allows itself now
 * @others: (out) (optional): other requests a minute
 *
 * The rates the client keeps to: Replicate's published limits, or lower
 * ones after Replicate said the account is throttled.
 */
void
lk_client_get_request_rates (LkClient *self,
                             double   *creates,
                             double   *others)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (LK_IS_CLIENT (self));

  if (creates != NULL)
    *creates = lk_rate_limiter_get_rate (self->create_limiter, now);
  if (others != NULL)
    *others = lk_rate_limiter_get_rate (self->other_limiter, now);
}

/* Account, models, versions ------------------------------------------------ */

/**
 * lk_client_get_account_async:
 *
 * Gets the account the token belongs to: `username`, `type`, `name`.
 */
void
lk_client_get_account_async (LkClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_request (self, request_new_api (self, SOUP_METHOD_GET, "/account"),
               lk_client_get_account_async, cancellable, callback, user_data);
}

/**
 * lk_client_get_account_finish:
 *
 * Returns: (transfer full): the account
 */
JsonObject *
lk_client_get_account_finish (LkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_object (self, result, lk_client_get_account_async, error);
}

/* "/models/OWNER/NAME" followed by @suffix, or NULL with @error set. */
static char *
model_path (const char  *model,
            const char  *suffix,
            GError     **error)
{
  g_autofree char *owner = NULL;
  g_autofree char *name = NULL;

  if (!split_model (model, &owner, &name, error))
    return NULL;

  return g_strconcat ("/models/", owner, "/", name, suffix, NULL);
}

/**
 * lk_client_get_model_async:
 * @model: "owner/name"
 *
 * Gets a model, with `latest_version.openapi_schema` for the input
 * schema.
 */
void
lk_client_get_model_async (LkClient            *self,
                           const char          *model,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!(path = model_path (model, "", &error)))
    {
      report_error (self, lk_client_get_model_async, callback, user_data, g_steal_pointer (&error));
      return;
    }

  run_request (self, request_new_api (self, SOUP_METHOD_GET, path),
               lk_client_get_model_async, cancellable, callback, user_data);
}

/**
 * lk_client_get_model_finish:
 *
 * Returns: (transfer full): the model
 */
JsonObject *
lk_client_get_model_finish (LkClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_object (self, result, lk_client_get_model_async, error);
}

/**
 * lk_client_create_model_async:
 * @model: "owner/name" of the new model
 * @visibility: "private" or "public"
 * @hardware: the hardware SKU, such as "gpu-t4"
 * @description: (nullable): a description
 *
 * Creates a model, for example as the destination of a training.
 */
void
lk_client_create_model_async (LkClient            *self,
                              const char          *model,
                              const char          *visibility,
                              const char          *hardware,
                              const char          *description,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_auto(GStrv) parts = NULL;
  Request *request;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (visibility != NULL);
  g_return_if_fail (hardware != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  parts = g_strsplit (model, "/", -1);
  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    {
      report_error (self, lk_client_create_model_async, callback, user_data,
                    g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT,
                                 _("“%s” is not a model name. Write it as owner/name."), model));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, parts[0]);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, parts[1]);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, visibility);
  json_builder_set_member_name (builder, "hardware");
  json_builder_add_string_value (builder, hardware);
  if (description != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  request = request_new_api (self, SOUP_METHOD_POST, "/models");
  request_set_json (request, body);
  run_request (self, request, lk_client_create_model_async, cancellable, callback, user_data);
}

/**
 * lk_client_create_model_finish:
 *
 * Returns: (transfer full): the new model
 */
JsonObject *
lk_client_create_model_finish (LkClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_object (self, result, lk_client_create_model_async, error);
}

/* "/models/OWNER/NAME/versions/ID", or NULL with @error set. */
static char *
version_path (const char  *model,
              const char  *version_id,
              GError     **error)
{
  g_autofree char *escaped = escape_segment (version_id);
  g_autofree char *suffix = g_strconcat ("/versions/", escaped, NULL);

  return model_path (model, suffix, error);
}

/**
 * lk_client_get_version_async:
 * @model: "owner/name"
 * @version_id: the 64-character version id
 *
 * Gets one version of a model, with its `openapi_schema`.
 */
void
lk_client_get_version_async (LkClient            *self,
                             const char          *model,
                             const char          *version_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (version_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!(path = version_path (model, version_id, &error)))
    {
      report_error (self, lk_client_get_version_async, callback, user_data, g_steal_pointer (&error));
      return;
    }

  run_request (self, request_new_api (self, SOUP_METHOD_GET, path),
               lk_client_get_version_async, cancellable, callback, user_data);
}

/**
 * lk_client_get_version_finish:
 *
 * Returns: (transfer full): the version
 */
JsonObject *
lk_client_get_version_finish (LkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_object (self, result, lk_client_get_version_async, error);
}

/**
 * lk_client_delete_version_async:
 * @model: "owner/name", a model of the account
 * @version_id: the 64-character version id
 *
 * Deletes a version of one of the account's models, with its predictions
 * and their outputs on Replicate. Replicate answers 202 and may take a few
 * minutes to carry it out. It refuses (%LK_CLIENT_ERROR_UNAUTHORIZED or
 * %LK_CLIENT_ERROR_INVALID_INPUT, with a message saying why) versions of
 * someone else's model or of a public one, versions others ran, and
 * versions a training or a deployment uses.
 */
void
lk_client_delete_version_async (LkClient            *self,
                                const char          *model,
                                const char          *version_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (version_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!(path = version_path (model, version_id, &error)))
    {
      report_error (self, lk_client_delete_version_async, callback, user_data, g_steal_pointer (&error));
      return;
    }

  request = request_new_api (self, SOUP_METHOD_DELETE, path);
  request->deletes_version = TRUE;
  run_request (self, request, lk_client_delete_version_async, cancellable, callback, user_data);
}

/**
 * lk_client_delete_version_finish:
 *
 * A version Replicate no longer has counts as deleted: an earlier
 * attempt, or the person on replicate.com, did it already.
 *
 * Returns: %TRUE once Replicate accepted the deletion or had no such version
 */
gboolean
lk_client_delete_version_finish (LkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_CLIENT (self), FALSE);

  node = request_finish (self, result, lk_client_delete_version_async, &local_error);
  if (g_error_matches (local_error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND))
    {
      Request *request = g_task_get_task_data (G_TASK (result));

      g_debug ("%s was already gone (404): counted as deleted", request->url);
      return TRUE;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Predictions ------------------------------------------------------------- */

static const char *
collection_path (LkPredictionKind kind)
{
  return kind == LK_PREDICTION_KIND_TRAINING ? "/trainings/" : "/predictions/";
}

static LkPrediction *
prediction_from_node (LkPredictionKind   kind,
                      JsonNode          *node,
                      GError           **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, protocol_error ());
      return NULL;
    }

  return lk_prediction_new_from_json (kind, json_node_get_object (node), error);
}

/* The answer of a request that must be a prediction of its kind. */
static LkPrediction *
request_finish_prediction (LkClient      *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = request_finish (self, result, source_tag, &local_error);
  Request *request;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  request = g_task_get_task_data (G_TASK (result));
  return prediction_from_node (request->kind, node, error);
}

/**
 * lk_client_get_prediction_async:
 * @kind: a prediction or a training
 * @id: its id
 *
 * Gets the current state of a prediction or training, for example one
 * created before the app restarted.
 */
void
lk_client_get_prediction_async (LkClient            *self,
                                LkPredictionKind     kind,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  escaped = escape_segment (id);
  path = g_strconcat (collection_path (kind), escaped, NULL);
  request = request_new_api (self, SOUP_METHOD_GET, path);
  request->kind = kind;
  run_request (self, request, lk_client_get_prediction_async, cancellable, callback, user_data);
}

/**
 * lk_client_get_prediction_finish:
 *
 * Returns: (transfer full): the prediction
 */
LkPrediction *
lk_client_get_prediction_finish (LkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_prediction (self, result, lk_client_get_prediction_async, error);
}

/**
 * lk_client_cancel_prediction_async:
 * @prediction: a prediction or training
 *
 * Cancels @prediction on Replicate and updates it with the answer.
 */
void
lk_client_cancel_prediction_async (LkClient            *self,
                                   LkPrediction        *prediction,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (LK_IS_PREDICTION (prediction));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  escaped = escape_segment (lk_prediction_get_id (prediction));
  path = g_strconcat (collection_path (lk_prediction_get_kind (prediction)), escaped, "/cancel", NULL);
  request = request_new_api (self, SOUP_METHOD_POST, path);
  request->target = g_object_ref (prediction);
  run_request (self, request, lk_client_cancel_prediction_async, cancellable, callback, user_data);
}

gboolean
lk_client_cancel_prediction_finish (LkClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  Request *request;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_CLIENT (self), FALSE);

  request = g_task_get_task_data (G_TASK (result));
  node = request_finish (self, result, lk_client_cancel_prediction_async, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Replicate answers with the prediction; an empty answer is fine too. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return lk_prediction_update (request->target, json_node_get_object (node), error);

  return TRUE;
}

/* Listing ----------------------------------------------------------------- */

typedef struct
{
  LkPredictionKind  kind;
  GDateTime        *since;
  GPtrArray        *predictions;
  guint             pages;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->since, g_date_time_unref);
  g_clear_pointer (&data->predictions, g_ptr_array_unref);
  g_free (data);
}

static void list_page_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
list_fetch (GTask *task,
            char  *url)
{
  LkClient *self = g_task_get_source_object (task);
  Request *request = request_new (SOUP_METHOD_GET, url);

  request->authorized = TRUE;
  request->limiter = g_object_ref (self->other_limiter);
  request_send (request_task_new (self, request, list_fetch, g_task_get_cancellable (task), list_page_cb, task));
}

static void
list_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkClient *self = LK_CLIENT (object);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  gboolean reached_since = FALSE;
  JsonNode *results;
  JsonNode *next;

  if (!(page = request_finish_object (self, result, list_fetch, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  results = json_object_get_member (page, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      g_task_return_error (task, protocol_error ());
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (results), i);
      LkPrediction *prediction = prediction_from_node (data->kind, element, &error);

      if (prediction == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* The list is newest first. Trainings cannot be filtered by the
       * server, so the pages end here once they reach older ones. */
      if (data->since != NULL && lk_prediction_get_created_at (prediction) != NULL &&
          g_date_time_compare (lk_prediction_get_created_at (prediction), data->since) < 0)
        {
          reached_since = TRUE;
          g_object_unref (prediction);
          continue;
        }

      g_ptr_array_add (data->predictions, prediction);
    }

  next = json_object_get_member (page, "next");
  data->pages++;
  if (!reached_since && next != NULL && JSON_NODE_HOLDS_VALUE (next) &&
      json_node_get_value_type (next) == G_TYPE_STRING && data->pages < MAX_LIST_PAGES)
    {
      /* Followed as given, but only below the base URL (see is_api_url()). */
      list_fetch (g_steal_pointer (&task), g_strdup (json_node_get_string (next)));
      return;
    }

  g_task_return_pointer (task, g_ptr_array_ref (data->predictions), (GDestroyNotify) g_ptr_array_unref);
}

static void
list_start (LkClient            *self,
            LkPredictionKind     kind,
            GDateTime           *created_after,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *data;
  char *url;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (ListData, 1);
  data->kind = kind;
  data->since = created_after != NULL ? g_date_time_to_utc (created_after) : NULL;
  data->predictions = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  if (kind == LK_PREDICTION_KIND_PREDICTION && data->since != NULL)
    {
      g_autofree char *since = g_date_time_format (data->since, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *escaped = g_uri_escape_string (since, NULL, FALSE);

      url = g_strconcat (self->base_url, "/predictions?created_after=", escaped, NULL);
    }
  else
    {
      url = g_strconcat (self->base_url, kind == LK_PREDICTION_KIND_TRAINING ? "/trainings" : "/predictions", NULL);
    }

  list_fetch (g_steal_pointer (&task), url);
}

/**
 * lk_client_list_predictions_async:
 * @created_after: (nullable): only predictions created at or after this
 *
 * Lists predictions, newest first, following `next` for up to ten pages.
 */
void
lk_client_list_predictions_async (LkClient            *self,
                                  GDateTime           *created_after,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  list_start (self, LK_PREDICTION_KIND_PREDICTION, created_after, lk_client_list_predictions_async,
              cancellable, callback, user_data);
}

/**
 * lk_client_list_predictions_finish:
 *
 * Returns: (transfer full) (element-type LkPrediction): the predictions
 */
GPtrArray *
lk_client_list_predictions_finish (LkClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return task_finish_pointer (self, result, lk_client_list_predictions_async, error);
}

/**
 * lk_client_list_trainings_async:
 * @created_after: (nullable): only trainings created at or after this
 *
 * Lists trainings, newest first, following `next` for up to ten pages
 * or until the trainings are older than @created_after.
 */
void
lk_client_list_trainings_async (LkClient            *self,
                                GDateTime           *created_after,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  list_start (self, LK_PREDICTION_KIND_TRAINING, created_after, lk_client_list_trainings_async,
              cancellable, callback, user_data);
}

/**
 * lk_client_list_trainings_finish:
 *
 * Returns: (transfer full) (element-type LkPrediction): the trainings
 */
GPtrArray *
lk_client_list_trainings_finish (LkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return task_finish_pointer (self, result, lk_client_list_trainings_async, error);
}

/* Creating predictions ---------------------------------------------------- */

/* A create is never sent twice blindly. When its answer is lost after it
 * was sent (a dropped connection, a timeout, a 5xx), the predictions (or
 * trainings) created since just before are listed and one with the same
 * model and input is adopted; only when there is none is the create sent
 * again. */
typedef struct
{
  LkPredictionKind kind;
  char       *path;
  GBytes     *body;
  JsonObject *input;
  char       *match_model;
  char       *match_version;
  guint       wait_seconds;
  guint       cancel_after_seconds;
  guint       round;
  GDateTime  *since;
  GError     *error;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->path, g_free);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_pointer (&data->input, json_object_unref);
  g_clear_pointer (&data->match_model, g_free);
  g_clear_pointer (&data->match_version, g_free);
  g_clear_pointer (&data->since, g_date_time_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static GDateTime *
server_time_before_now (LkClient *self)
{
  gint64 margin = self->clock_known ? CLOCK_MARGIN_KNOWN : CLOCK_MARGIN_UNKNOWN;
  gint64 server_now = g_get_real_time () + (self->clock_known ? self->clock_offset_us : 0);

  return g_date_time_new_from_unix_utc ((server_now - margin) / G_USEC_PER_SEC);
}

static void create_round_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
create_round (GTask *task)
{
  LkClient *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  Request *request = request_new_api (self, SOUP_METHOD_POST, data->path);

  g_clear_object (&request->limiter);
  request->limiter = g_object_ref (self->create_limiter);
  request->kind = data->kind;
  request->body = g_bytes_ref (data->body);
  request->wait_seconds = data->wait_seconds;
  request->cancel_after_seconds = data->cancel_after_seconds;
  request->is_create = TRUE;

  /* Later rounds look back to before the first: an earlier create may
   * have landed late. */
  data->round++;
  if (data->since == NULL)
    data->since = server_time_before_now (self);

  request_send (request_task_new (self, request, create_round, g_task_get_cancellable (task), create_round_cb, task));
}

static void
create_return (GTask        *task,
               LkPrediction *prediction)
{
  LkClient *self = g_task_get_source_object (task);

  g_hash_table_add (self->created_ids, g_strdup (lk_prediction_get_id (prediction)));
  g_task_return_pointer (task, prediction, g_object_unref);
}

static gboolean
is_same_create (CreateData   *data,
                LkPrediction *prediction)
{
  JsonObject *input = lk_prediction_get_input (prediction);

  if (data->match_version != NULL)
    {
      if (g_strcmp0 (lk_prediction_get_version (prediction), data->match_version) != 0)
        return FALSE;
    }
  else if (g_strcmp0 (lk_prediction_get_model (prediction), data->match_model) != 0)
    {
      return FALSE;
    }

  return input != NULL && json_object_equal (input, data->input);
}

static void
create_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkClient *self = LK_CLIENT (object);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) predictions = NULL;
  g_autoptr(GError) error = NULL;

  if (!(predictions = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      /* Without the list it stays open whether the create happened; the
       * caller gets the original failure rather than a duplicate. */
      g_debug ("Could not list after a lost create: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }

  /* The list is newest first: the first match is the latest. */
  for (guint i = 0; i < predictions->len; i++)
    {
      LkPrediction *prediction = g_ptr_array_index (predictions, i);

      if (!g_hash_table_contains (self->created_ids, lk_prediction_get_id (prediction)) &&
          is_same_create (data, prediction))
        {
          g_debug ("Adopted %s, created before its answer was lost", lk_prediction_get_id (prediction));
          create_return (task, g_object_ref (prediction));
          return;
        }
    }

  g_debug ("The lost create did not happen; creating again");
  create_round (g_steal_pointer (&task));
}

static void
create_slept_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LkClient *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sleep_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  list_start (self, data->kind, data->since,
              data->kind == LK_PREDICTION_KIND_TRAINING ? lk_client_list_trainings_async : lk_client_list_predictions_async,
              cancellable, create_listed_cb, g_steal_pointer (&task));
}

static void
create_round_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LkClient *self = LK_CLIENT (object);
  CreateData *data = g_task_get_task_data (task);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  LkPrediction *prediction;
  gboolean ambiguous;
  gint64 pause;

  if ((prediction = request_finish_prediction (self, result, create_round, &error)))
    {
      create_return (task, prediction);
      return;
    }

  /* An answer of 2xx that could not be read means it was created. */
  ambiguous = request->ambiguous ||
              (request->message != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->message)));

  if (!ambiguous || data->round >= MAX_CREATE_ROUNDS)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A pause lets a server that was slow, rather than down, finish the
   * create before we look for it; after a timeout it may be as slow
   * again, so the pause is as long as the timeout. */
  pause = backoff_delay (data->round);
  if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TIMEOUT))
    pause = MAX (pause, (gint64) self->timeout * G_USEC_PER_SEC);

  g_debug ("Create answer lost (%s); looking for it in %.1f s", error->message,
           pause / (double) G_USEC_PER_SEC);
  g_clear_error (&data->error);
  data->error = g_steal_pointer (&error);
  sleep_async (pause, cancellable, create_slept_cb, g_steal_pointer (&task));
}

/**
 * lk_client_create_prediction_async:
 * @model: "owner/name" for an official model, "owner/name:version" or a
 *   bare 64-character version id for any other
 * @input: the model's input; optional fields are best left out, since
 *   Replicate refuses null
 * @wait_seconds: 1 to 60 to hold the request open until the prediction
 *   is done (`Prefer: wait`), 0 to answer at once
 * @cancel_after_seconds: a deadline after which Replicate cancels the
 *   prediction (`Cancel-After`, 5 s at least), or 0 for none
 *
 * Creates a prediction. It is never created twice: see the comment on
 * CreateData in lk-client.c.
 */
void
lk_client_create_prediction_async (LkClient            *self,
                                   const char          *model,
                                   JsonObject          *input,
                                   guint                wait_seconds,
                                   guint                cancel_after_seconds,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) input_node = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  const char *colon;
  CreateData *data;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (input != NULL);
  g_return_if_fail (wait_seconds <= 60);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_client_create_prediction_async);
  data = g_new0 (CreateData, 1);
  data->input = json_object_ref (input);
  data->wait_seconds = wait_seconds;
  data->cancel_after_seconds = cancel_after_seconds > 0 ? MAX (cancel_after_seconds, 5u) : 0;
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  input_node = json_node_init_object (json_node_alloc (), input);
  json_builder_begin_object (builder);

  colon = strchr (model, ':');
  if (colon != NULL || is_version_id (model))
    {
      g_autofree char *model_part = colon != NULL ? g_strndup (model, colon - model) : NULL;
      const char *version = colon != NULL ? colon + 1 : model;
      g_autofree char *owner = NULL;
      g_autofree char *name = NULL;

      if (!is_version_id (version) || (model_part != NULL && !split_model (model_part, &owner, &name, &error)))
        {
          g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT,
                                   _("“%s” is not a model version. Write it as owner/name:version."), model);
          return;
        }

      data->path = g_strdup ("/predictions");
      data->match_version = g_strdup (version);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
    }
  else
    {
      if (!(data->path = model_path (model, "/predictions", &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      data->match_model = g_strdup (model);
    }

  json_builder_set_member_name (builder, "input");
  json_builder_add_value (builder, g_steal_pointer (&input_node));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);
  data->body = g_bytes_new (text, strlen (text));

  create_round (g_steal_pointer (&task));
}

/**
 * lk_client_create_prediction_finish:
 *
 * Returns: (transfer full): the prediction, possibly already done when
 *   `Prefer: wait` was asked for
 */
LkPrediction *
lk_client_create_prediction_finish (LkClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return task_finish_pointer (self, result, lk_client_create_prediction_async, error);
}

/**
 * lk_client_create_training_async:
 * @trainer: "owner/name:version" of the trainer
 * @destination: "owner/name" of an existing model that gets the new version
 * @input: the trainer's input
 *
 * Starts a training. Like a prediction it is never created twice: a
 * training whose answer was lost is looked for among the trainings
 * created since, by trainer version and input.
 */
void
lk_client_create_training_async (LkClient            *self,
                                 const char          *trainer,
                                 const char          *destination,
                                 JsonObject          *input,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *text = NULL;
  const char *colon;
  CreateData *data;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (trainer != NULL);
  g_return_if_fail (destination != NULL);
  g_return_if_fail (input != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_client_create_training_async);

  colon = strchr (trainer, ':');
  if (colon == NULL || !is_version_id (colon + 1))
    {
      g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT,
                               _("“%s” is not a model version. Write it as owner/name:version."), trainer);
      return;
    }

  data = g_new0 (CreateData, 1);
  data->kind = LK_PREDICTION_KIND_TRAINING;
  data->input = json_object_ref (input);
  data->match_version = g_strdup (colon + 1);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  model = g_strndup (trainer, colon - trainer);
  escaped = escape_segment (colon + 1);
  suffix = g_strconcat ("/versions/", escaped, "/trainings", NULL);
  if (!(data->path = model_path (model, suffix, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, destination);
  json_builder_set_member_name (builder, "input");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), input));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);
  data->body = g_bytes_new (text, strlen (text));

  create_round (g_steal_pointer (&task));
}

/**
 * lk_client_create_training_finish:
 *
 * Returns: (transfer full): the training
 */
LkPrediction *
lk_client_create_training_finish (LkClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return task_finish_pointer (self, result, lk_client_create_training_async, error);
}

/* Waiting ----------------------------------------------------------------- */

typedef struct
{
  LkPrediction *prediction;
  double        interval;
} WaitData;

static void
wait_data_free (WaitData *data)
{
  g_clear_object (&data->prediction);
  g_free (data);
}

static void
wait_complete (GTask *task)
{
  WaitData *data = g_task_get_task_data (task);
  LkPrediction *prediction = data->prediction;
  const char *model_error = lk_prediction_get_error (prediction);

  switch (lk_prediction_get_status (prediction))
    {
    case LK_PREDICTION_STATUS_SUCCEEDED:
      g_task_return_boolean (task, TRUE);
      break;

    case LK_PREDICTION_STATUS_FAILED:
      if (model_error != NULL && *model_error != '\0')
        g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PREDICTION_FAILED,
                                 _("The model failed: %s"), model_error);
      else
        g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PREDICTION_FAILED, "%s",
                                 _("The model failed without saying why. Try again."));
      break;

    case LK_PREDICTION_STATUS_CANCELED:
      g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_CANCELED, "%s",
                               _("The prediction was canceled on Replicate."));
      break;

    case LK_PREDICTION_STATUS_ABORTED:
      g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_ABORTED, "%s",
                               _("Replicate stopped the prediction before it ran. Try again."));
      break;

    case LK_PREDICTION_STATUS_STARTING:
    case LK_PREDICTION_STATUS_PROCESSING:
    default:
      g_assert_not_reached ();
    }
}

static void
wait_canceled_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_client_cancel_prediction_finish (LK_CLIENT (object), result, &error))
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("The prediction could not be canceled on Replicate and may still run: %s"),
                               error->message);
      return;
    }

  /* Only a cancelled wait comes here. */
  if (!g_task_return_error_if_cancelled (task))
    g_assert_not_reached ();
}

/* The wait was cancelled: the prediction is cancelled on Replicate too,
 * so that it stops costing, before the wait returns. */
static void
wait_cancel_on_server (GTask *task)
{
  LkClient *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);

  g_debug ("Wait cancelled; canceling %s on Replicate", lk_prediction_get_id (data->prediction));
  lk_client_cancel_prediction_async (self, data->prediction, NULL, wait_canceled_cb, task);
}

static gboolean
has_progress_consumer (LkPrediction *prediction)
{
  return g_signal_has_handler_pending (prediction, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                       g_quark_from_static_string ("progress"), FALSE);
}

static void wait_slept_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
wait_polled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LkClient *self = LK_CLIENT (object);
  WaitData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  double ceiling = POLL_MAX;

  state = request_finish_object (self, result, wait_polled_cb, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      wait_cancel_on_server (g_steal_pointer (&task));
      return;
    }

  if (state == NULL || !lk_prediction_update (data->prediction, state, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (lk_prediction_is_terminal (data->prediction))
    {
      wait_complete (task);
      return;
    }

  if (lk_prediction_get_status (data->prediction) == LK_PREDICTION_STATUS_PROCESSING &&
      has_progress_consumer (data->prediction))
    ceiling = POLL_MAX_WITH_PROGRESS;

  data->interval = MIN (data->interval * POLL_GROWTH, ceiling);
  sleep_async ((gint64) (data->interval * G_USEC_PER_SEC), cancellable,
               wait_slept_cb, g_steal_pointer (&task));
}

static void
wait_slept_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LkClient *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (!sleep_finish (result, &error))
    {
      wait_cancel_on_server (g_steal_pointer (&task));
      return;
    }

  escaped = escape_segment (lk_prediction_get_id (data->prediction));
  path = g_strconcat (collection_path (lk_prediction_get_kind (data->prediction)), escaped, NULL);
  run_request (self, request_new_api (self, SOUP_METHOD_GET, path),
               wait_polled_cb, cancellable, wait_polled_cb, g_steal_pointer (&task));
}

/**
 * lk_client_wait_async:
 * @prediction: a prediction or training, updated as it goes
 *
 * Polls @prediction until it is succeeded, failed, canceled or aborted:
 * every 0.5 s at first, then less often up to every 5 s, but at least
 * every second while it runs when something listens to
 * #LkPrediction:progress. Cancelling @cancellable cancels the
 * prediction on Replicate before the wait ends with %G_IO_ERROR_CANCELLED.
 */
void
lk_client_wait_async (LkClient            *self,
                      LkPrediction        *prediction,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WaitData *data;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (LK_IS_PREDICTION (prediction));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_client_wait_async);
  data = g_new0 (WaitData, 1);
  data->prediction = g_object_ref (prediction);
  data->interval = POLL_FIRST;
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);

  if (lk_prediction_is_terminal (prediction))
    {
      wait_complete (task);
      return;
    }

  sleep_async ((gint64) (data->interval * G_USEC_PER_SEC), cancellable, wait_slept_cb, g_steal_pointer (&task));
}

/**
 * lk_client_wait_finish:
 *
 * Returns: %TRUE when the prediction succeeded; otherwise %FALSE with
 *   %LK_CLIENT_ERROR_PREDICTION_FAILED (the model's error as message),
 *   %LK_CLIENT_ERROR_CANCELED, %LK_CLIENT_ERROR_ABORTED,
 *   %G_IO_ERROR_CANCELLED or the error that stopped the polling
 */
gboolean
lk_client_wait_finish (LkClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_client_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Files ------------------------------------------------------------------- */

static void
upload_info_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *mime_type = NULL;
  const char *content_type;

  if (!(info = g_file_query_info_finish (G_FILE (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               _("“%s” is not a file that can be uploaded."), g_file_info_get_display_name (info));
      return;
    }

  request->upload_size = g_file_info_get_size (info);
  if (request->upload_size > LK_CLIENT_MAX_UPLOAD_SIZE)
    {
      size_text = g_format_size (request->upload_size);
      g_task_return_new_error (task, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TOO_LARGE,
                               _("“%s” is %s, more than the 100 MB Replicate accepts. Use a smaller file."),
                               g_file_info_get_display_name (info), size_text);
      return;
    }

  content_type = g_file_info_get_content_type (info);
  mime_type = content_type != NULL ? g_content_type_get_mime_type (content_type) : NULL;
  request->upload_type = g_strdup (mime_type != NULL ? mime_type : "application/octet-stream");
  request->upload_name = g_strdup (g_file_info_get_display_name (info));

  request_send (g_steal_pointer (&task));
}

/**
 * lk_client_upload_file_async:
 * @file: a file of at most 100 MB
 * @metadata: (nullable): JSON metadata stored with it
 *
 * Uploads @file through the Files API, streaming it from disk. A file
 * over the limit fails with %LK_CLIENT_ERROR_TOO_LARGE before anything is
 * sent. Use the answer's `urls.get` as a model input.
 */
void
lk_client_upload_file_async (LkClient            *self,
                             GFile               *file,
                             JsonObject          *metadata,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request;
  GTask *task;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  request = request_new_api (self, SOUP_METHOD_POST, "/files");
  request->upload_file = g_object_ref (file);
  if (metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), metadata);

      request->upload_metadata = json_to_string (node, FALSE);
    }

  task = request_task_new (self, request, lk_client_upload_file_async, cancellable, callback, user_data);
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                           upload_info_cb, task);
}

/**
 * lk_client_upload_file_finish:
 *
 * Returns: (transfer full): the file resource: `id`, `urls.get`, `size`, …
 */
JsonObject *
lk_client_upload_file_finish (LkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (LK_IS_CLIENT (self), NULL);

  return request_finish_object (self, result, lk_client_upload_file_async, error);
}

void
lk_client_delete_file_async (LkClient            *self,
                             const char          *file_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (file_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  escaped = escape_segment (file_id);
  path = g_strconcat ("/files/", escaped, NULL);
  run_request (self, request_new_api (self, SOUP_METHOD_DELETE, path),
               lk_client_delete_file_async, cancellable, callback, user_data);
}

gboolean
lk_client_delete_file_finish (LkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_CLIENT (self), FALSE);

  node = request_finish (self, result, lk_client_delete_file_async, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Downloads --------------------------------------------------------------- */

typedef struct
{
  GFile         *directory;
  char          *stem;
  GInputStream  *input;
  GOutputStream *output;
  GFile         *partial;
  GFile         *target;
  goffset        written;
  GError        *error;
} DownloadData;

static void
download_data_free (DownloadData *data)
{
  g_clear_object (&data->directory);
  g_clear_pointer (&data->stem, g_free);
  g_clear_object (&data->input);
  g_clear_object (&data->output);
  g_clear_object (&data->partial);
  g_clear_object (&data->target);
  g_clear_error (&data->error);
  g_free (data);
}

/* The file name extension for an image type; NULL for anything that is
 * not an image, which is refused. */
static char *
image_extension (const char *content_type)
{
  static const char * const known[][2] = {
    { "image/jpeg", "jpg" },
    { "image/png", "png" },
    { "image/webp", "webp" },
    { "image/gif", "gif" },
    { "image/avif", "avif" },
  };
  g_autoptr(GString) extension = NULL;

  if (content_type == NULL || !g_str_has_prefix (content_type, "image/"))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_ascii_strcasecmp (content_type, known[i][0]) == 0)
        return g_strdup (known[i][1]);
    }

  /* Other image types keep their letters: the name is never taken from
   * the URL or the server beyond this. */
  extension = g_string_new (NULL);
  for (const char *p = content_type + strlen ("image/"); *p && extension->len < 8; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (extension, g_ascii_tolower (*p));
      else
        break;
    }

  return extension->len > 0 ? g_string_free (g_steal_pointer (&extension), FALSE) : NULL;
}

static void
download_removed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error))
    g_debug ("Could not remove the partial download: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&data->error));
}

/* Fails the download, removing what was written of it. */
static void
download_fail (GTask  *task,
               GError *error)
{
  DownloadData *data = g_task_get_task_data (task);

  g_clear_error (&data->error);
  data->error = error;

  if (data->partial == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
      return;
    }

  /* The output stream is closed first so that nothing writes into the
   * file after it is gone; closing without a cancellable cannot be
   * stopped halfway. */
  if (data->output != NULL)
    g_output_stream_close (data->output, NULL, NULL);
  g_file_delete_async (data->partial, G_PRIORITY_DEFAULT, NULL, download_removed_cb, task);
}

static void
download_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  g_clear_object (&data->partial);
  g_task_return_pointer (task, g_object_ref (data->target), g_object_unref);
}

static void
download_closed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_clear_object (&data->output);
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  g_clear_object (&data->output);
  g_file_move_async (data->partial, data->target, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     cancellable, NULL, NULL, download_moved_cb, g_steal_pointer (&task));
}

static void download_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  g_input_stream_read_bytes_async (data->input, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, download_read_cb, g_steal_pointer (&task));
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  DownloadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *limit = NULL;
  GError *error = NULL;
  gsize size;
  gconstpointer chunk;

  if (!(bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error)))
    {
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_output_stream_close_async (data->output, G_PRIORITY_DEFAULT, cancellable,
                                   download_closed_cb, g_steal_pointer (&task));
      return;
    }

  data->written += g_bytes_get_size (bytes);
  if (data->written > LK_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      limit = g_format_size (LK_CLIENT_MAX_DOWNLOAD_SIZE);
      download_fail (g_steal_pointer (&task),
                     g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_TOO_LARGE,
                                  _("The output is larger than %s, too large to be an image. It was not saved."),
                                  limit));
      return;
    }

  /* The bytes stay alive in the task until the write is done. */
  chunk = g_bytes_get_data (bytes, &size);
  g_object_set_data_full (G_OBJECT (task), "chunk", g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (data->output, chunk, size, G_PRIORITY_DEFAULT,
                                   cancellable, download_written_cb, g_steal_pointer (&task));
}

static void
download_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!(data->output = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (object), result, &error))))
    {
      g_clear_object (&data->partial);
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  g_input_stream_read_bytes_async (data->input, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, download_read_cb, g_steal_pointer (&task));
}

/* Writes @input, of @content_type and @length (-1 when unknown), to a
 * hidden file beside the target, renamed into place once complete: a
 * half-written image is never seen under its real name. */
static void
download_save (GTask        *task,
               GInputStream *input,
               const char   *content_type,
               goffset       length)
{
  DownloadData *data = g_task_get_task_data (task);
  g_autofree char *extension = image_extension (content_type);
  g_autofree char *name = NULL;
  g_autofree char *partial_name = NULL;
  g_autofree char *limit = NULL;

  if (extension == NULL)
    {
      download_fail (task, g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                                        _("The output is not an image (%s), so it was not saved."),
                                        content_type != NULL ? content_type : _("unknown type")));
      return;
    }

  if (length > LK_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      limit = g_format_size (LK_CLIENT_MAX_DOWNLOAD_SIZE);
      download_fail (task, g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_TOO_LARGE,
                                        _("The output is larger than %s, too large to be an image. It was not saved."),
                                        limit));
      return;
    }

  name = g_strconcat (data->stem, ".", extension, NULL);
  partial_name = g_strconcat (".", name, ".part", NULL);
  data->input = g_object_ref (input);
  data->target = g_file_get_child (data->directory, name);
  data->partial = g_file_get_child (data->directory, partial_name);

  g_file_replace_async (data->partial, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, G_PRIORITY_DEFAULT,
                        g_task_get_cancellable (task), download_opened_cb, task);
}

static void
download_response_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  SoupMessageHeaders *headers;

  stream = g_task_propagate_pointer (G_TASK (result), &error);
  if (stream == NULL)
    {
      /* Replicate deletes outputs after an hour; say so rather than
       * "not found". */
      if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          error = g_error_new_literal (LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND,
                                       _("The output is no longer available: Replicate deletes outputs an hour after a prediction. Run it again."));
        }
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  download_save (g_steal_pointer (&task), stream,
                 soup_message_headers_get_content_type (headers, NULL),
                 soup_message_headers_get_content_length (headers) > 0 ?
                   soup_message_headers_get_content_length (headers) : -1);
}

/**
 * lk_client_download_async:
 * @url: an output URL: https (or http to this computer), or a `data:` URI
 * @directory: the folder to save it in
 * @stem: the file name without extension; the extension follows the
 *   image type (png, jpg, webp, …)
 *
 * Saves an output image. The file appears complete or not at all. No
 * token is sent: outputs are served by other hosts. Anything that is not
 * an image, or larger than %LK_CLIENT_MAX_DOWNLOAD_SIZE, is refused.
 */
void
lk_client_download_async (LkClient            *self,
                          const char          *url,
                          GFile               *directory,
                          const char          *stem,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  DownloadData *data;
  Request *request;

  g_return_if_fail (LK_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (directory));
  g_return_if_fail (stem != NULL && *stem != '\0' && strchr (stem, G_DIR_SEPARATOR) == NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_client_download_async);
  data = g_new0 (DownloadData, 1);
  data->directory = g_object_ref (directory);
  data->stem = g_strdup (stem);
  g_task_set_task_data (task, data, (GDestroyNotify) download_data_free);

  if (g_str_has_prefix (url, "data:"))
    {
      g_autofree char *content_type = NULL;
      g_autoptr(GBytes) bytes = soup_uri_decode_data_uri (url, &content_type);
      g_autoptr(GInputStream) input = NULL;

      if (bytes == NULL)
        {
          download_fail (g_steal_pointer (&task), protocol_error ());
          return;
        }

      input = g_memory_input_stream_new_from_bytes (bytes);
      download_save (g_steal_pointer (&task), input, content_type, g_bytes_get_size (bytes));
      return;
    }

  if (!check_http_url (url, &error))
    {
      download_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  request = request_new (SOUP_METHOD_GET, g_strdup (url));
  request->stream_response = TRUE;
  request_send (request_task_new (self, request, download_response_cb, cancellable,
                                  download_response_cb, g_steal_pointer (&task)));
}

/**
 * lk_client_download_finish:
 *
 * Returns: (transfer full): the saved file
 */
GFile *
lk_client_download_finish (LkClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return task_finish_pointer (self, result, lk_client_download_async, error);
}
