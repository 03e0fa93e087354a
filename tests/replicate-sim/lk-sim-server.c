/* lk-sim-server.c: the SoupServer side: logging, faults, waits and responses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-server"

#include <math.h>
#include <string.h>

#include "lk-sim-private.h"

/* A body this much over the file limit cannot hold a valid upload, so it
 * is answered 413 from its headers; the margin covers the multipart
 * framing around a file just under the limit. */
#define UPLOAD_FRAMING_MARGIN (1024 * 1024)

typedef void (*ExchangeFunc) (LkSimExchange *exchange);

struct _LkSimExchange
{
  LkSim             *sim;
  SoupServerMessage *msg;
  guint64            serial;
  char              *path;
  GHashTable        *query;
  LkSimFaultKind     after;
  LkSimFaultKind     outcome;
  char              *fail_error;
  gboolean           paused;
  GSource           *timer;
  ExchangeFunc       on_timer;
  LkSimJob          *job;
};

G_DEFINE_QUARK (lk-sim-serial, serial)
G_DEFINE_QUARK (lk-sim-upload, upload)

static LkSimExchange *
exchange_new (LkSim             *sim,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  LkSimExchange *exchange = g_new0 (LkSimExchange, 1);
  guint64 *serial = g_object_get_qdata (G_OBJECT (msg), serial_quark ());

  exchange->sim = sim;
  exchange->msg = g_object_ref (msg);
  exchange->serial = serial != NULL ? *serial : 0;
  exchange->path = g_strdup (path);
  exchange->query = query != NULL ? g_hash_table_ref (query) : NULL;

  return exchange;
}

static void
exchange_clear_timer (LkSimExchange *exchange)
{
  if (exchange->timer != NULL)
    {
      g_source_destroy (exchange->timer);
      g_clear_pointer (&exchange->timer, g_source_unref);
    }
}

static void
exchange_free (LkSimExchange *exchange)
{
  g_ptr_array_remove_fast (exchange->sim->exchanges, exchange);
  exchange_clear_timer (exchange);
  g_clear_object (&exchange->msg);
  g_free (exchange->path);
  g_clear_pointer (&exchange->query, g_hash_table_unref);
  g_free (exchange->fail_error);
  g_free (exchange);
}

/* Holds the response back; the exchange then lives in the server's list
 * so that shutting down can release it. */
static void
exchange_pause (LkSimExchange *exchange)
{
  if (exchange->paused)
    return;

  soup_server_message_pause (exchange->msg);
  exchange->paused = TRUE;
  g_ptr_array_add (exchange->sim->exchanges, exchange);
}

static gboolean
exchange_timer_cb (gpointer user_data)
{
  LkSimExchange *exchange = user_data;
  LkSim *self = exchange->sim;

  g_rec_mutex_lock (&self->lock);
  g_clear_pointer (&exchange->timer, g_source_unref);
  exchange->on_timer (exchange);
  g_rec_mutex_unlock (&self->lock);

  return G_SOURCE_REMOVE;
}

/* Runs @func on @exchange, with the lock held, after @interval_ms (or when
 * the server is next idle, for 0). */
static void
exchange_set_timer (LkSimExchange *exchange,
                    guint          interval_ms,
                    ExchangeFunc   func)
{
  g_assert (exchange->timer == NULL);

  exchange->on_timer = func;
  exchange->timer = interval_ms > 0 ? g_timeout_source_new (interval_ms) : g_idle_source_new ();
  g_source_set_callback (exchange->timer, exchange_timer_cb, exchange, NULL);
  g_source_attach (exchange->timer, exchange->sim->context);
}

static void
close_connection (LkSimExchange *exchange)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (exchange->msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  exchange_free (exchange);
}

/* Closes the connection without a response. The connection is taken from
 * libsoup from an idle callback, once the handler has returned and the
 * message sits paused. */
static void
exchange_drop (LkSimExchange *exchange)
{
  lk_sim_log_status (exchange->sim, exchange->serial, 0);
  exchange_pause (exchange);
  exchange_clear_timer (exchange);
  exchange_set_timer (exchange, 0, close_connection);
}

static void
exchange_finish (LkSimExchange *exchange,
                 guint          status,
                 const char    *content_type,
                 GBytes        *bytes)
{
  static const char malformed[] = "{\"id\": \"malformed\", \"status\": \"start";
  SoupServerMessage *msg = exchange->msg;

  if (exchange->after == LK_SIM_FAULT_DROP_AFTER)
    {
      exchange_drop (exchange);
      return;
    }

  if (exchange->after == LK_SIM_FAULT_MALFORMED)
    {
      status = SOUP_STATUS_OK;
      content_type = "application/json";
      bytes = g_bytes_new_static (malformed, strlen (malformed));
    }
  else if (bytes != NULL)
    g_bytes_ref (bytes);

  /* libsoup 3.2 knows no reason phrase for 429. */
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  if (bytes != NULL)
    {
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
      g_bytes_unref (bytes);
    }

  lk_sim_log_status (exchange->sim, exchange->serial, status);
  if (exchange->paused)
    soup_server_message_unpause (msg);
  exchange_free (exchange);
}

SoupServerMessage *
lk_sim_exchange_get_message (LkSimExchange *exchange)
{
  return exchange->msg;
}

LkSimFaultKind
lk_sim_exchange_get_outcome (LkSimExchange *exchange)
{
  return exchange->outcome;
}

const char *
lk_sim_exchange_get_fail_error (LkSimExchange *exchange)
{
  return exchange->fail_error;
}

LkSimUpload *
lk_sim_exchange_get_upload (LkSimExchange *exchange)
{
  return g_object_get_qdata (G_OBJECT (exchange->msg), upload_quark ());
}

void
lk_sim_exchange_respond_bytes (LkSimExchange *exchange,
                               guint          status,
                               const char    *content_type,
                               GBytes        *bytes)
{
  exchange_finish (exchange, status, content_type, bytes);
}

/**
 * lk_sim_exchange_respond:
 * @body: (nullable): the JSON to send, or %NULL for an empty body
 *
 * Answers the request (unless a fault plan says to drop or garble the
 * answer) and frees @exchange.
 */
void
lk_sim_exchange_respond (LkSimExchange *exchange,
                         guint          status,
                         JsonNode      *body)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      bytes = g_bytes_new_take (text, strlen (text));
    }

  exchange_finish (exchange, status, "application/json", bytes);
}

static JsonObject *
problem_new (guint       status,
             const char *title,
             const char *detail)
{
  JsonObject *problem = json_object_new ();

  json_object_set_string_member (problem, "title", title);
  json_object_set_string_member (problem, "detail", detail);
  json_object_set_int_member (problem, "status", status);

  return problem;
}

static void
respond_problem_object (LkSimExchange *exchange,
                        guint          status,
                        JsonObject    *problem)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);
  char *text = json_to_string (node, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  exchange_finish (exchange, status, "application/problem+json", bytes);
}

void
lk_sim_exchange_respond_problem (LkSimExchange *exchange,
                                 guint          status,
                                 const char    *title,
                                 const char    *detail)
{
  g_autoptr(JsonObject) problem = problem_new (status, title, detail);

  respond_problem_object (exchange, status, problem);
}

/* A 422 whose detail lists each invalid field on a line, as Replicate's does. */
void
lk_sim_exchange_respond_invalid (LkSimExchange *exchange,
                                 JsonArray     *invalid_fields)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(JsonObject) problem = NULL;

  for (guint i = 0; i < json_array_get_length (invalid_fields); i++)
    {
      JsonObject *field = json_array_get_object_element (invalid_fields, i);

      g_string_append_printf (detail, "- %s: %s\n",
                              json_object_get_string_member (field, "field"),
                              json_object_get_string_member (field, "description"));
    }

  problem = problem_new (422, "Input validation failed", detail->str);
  json_object_set_array_member (problem, "invalid_fields", json_array_ref (invalid_fields));
  respond_problem_object (exchange, 422, problem);
}

static void
respond_job (LkSimExchange *exchange,
             LkSimJob      *job)
{
  g_autoptr(JsonNode) node = lk_sim_dup_job_json (exchange->sim, job);

  lk_sim_exchange_respond (exchange, SOUP_STATUS_CREATED, node);
}

static void
respond_waited_job (LkSimExchange *exchange)
{
  respond_job (exchange, exchange->job);
}

/**
 * lk_sim_exchange_wait_for_job:
 * @seconds: the N of `Prefer: wait=N`, in real seconds
 *
 * Holds the create response until @job ends or @seconds pass, then
 * answers with the job as it is.
 */
void
lk_sim_exchange_wait_for_job (LkSimExchange *exchange,
                              LkSimJob      *job,
                              guint          seconds)
{
  if (lk_sim_job_is_terminal (job) || seconds == 0)
    {
      respond_job (exchange, job);
      return;
    }

  exchange->job = job;
  exchange_pause (exchange);
  exchange_set_timer (exchange, seconds * 1000, respond_waited_job);
}

void
lk_sim_server_answer_waiters (LkSim    *self,
                              LkSimJob *job)
{
  for (guint i = self->exchanges->len; i > 0; i--)
    {
      LkSimExchange *exchange;

      /* Answering removes the exchange from the list. */
      if (i > self->exchanges->len)
        continue;

      exchange = g_ptr_array_index (self->exchanges, i - 1);
      if (exchange->job == job)
        respond_job (exchange, job);
    }
}

static void
add_retry_after (LkSimExchange *exchange,
                 LkSimFault    *fault,
                 JsonObject    *problem)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (exchange->msg);
  guint seconds = (guint) ceil (fault->retry_after);

  if (fault->retry_after_in & LK_SIM_RETRY_AFTER_IN_BODY)
    json_object_set_double_member (problem, "retry_after", fault->retry_after);

  if (!(fault->retry_after_in & LK_SIM_RETRY_AFTER_IN_HEADER))
    return;

  if (fault->retry_after_date)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) when = g_date_time_add_seconds (now, seconds + 1);
      g_autofree char *date = soup_date_time_to_string (when, SOUP_DATE_HTTP);

      soup_message_headers_replace (headers, "Retry-After", date);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%u", seconds);

      soup_message_headers_replace (headers, "Retry-After", text);
    }
}

static const char *
status_title (guint status)
{
  switch (status)
    {
    case 401: return "Unauthenticated";
    case 402: return "Payment Required";
    case 404: return "Not found";
    case 429: return "Request was throttled";
    default: return soup_status_get_phrase (status);
    }
}

static char *
status_detail (guint  status,
               double retry_after)
{
  guint seconds = ceil (retry_after);

  switch (status)
    {
    case 401: return g_strdup ("You did not pass a valid authentication token");
    case 402: return g_strdup ("You need to set up billing to run this model. Go to https://replicate.com/account/billing#billing and set up billing.");
    case 404: return g_strdup ("The requested resource could not be found.");
    case 429: return g_strdup_printf ("Request was throttled. Expected available in %u second%s.", seconds, seconds == 1 ? "" : "s");
    default: return g_strdup ("The simulator was told to fail this request.");
    }
}

static void
respond_fault_status (LkSimExchange *exchange,
                      LkSimFault    *fault)
{
  g_autoptr(JsonObject) problem = NULL;

  if (fault->kind == LK_SIM_FAULT_THROTTLED)
    {
      g_autofree char *detail = g_strdup_printf ("Request was throttled. Your rate limit for creating predictions is "
                                                 "reduced to 6 requests per minute with a burst of 1 while you have "
                                                 "less than $5.0 in credit. Your rate limit resets in %u seconds.",
                                                 (guint) ceil (fault->retry_after));

      problem = problem_new (429, status_title (429), detail);
    }
  else
    {
      g_autofree char *detail = status_detail (fault->status, fault->retry_after);

      problem = problem_new (fault->status, status_title (fault->status),
                             fault->detail != NULL ? fault->detail : detail);
    }

  if (fault->status == 429)
    add_retry_after (exchange, fault, problem);

  respond_problem_object (exchange, fault->status, problem);
}

static void
dispatch (LkSimExchange *exchange)
{
  LkSim *self = exchange->sim;
  const char *method = soup_server_message_get_method (exchange->msg);

  if (g_str_has_prefix (exchange->path, "/v1/"))
    lk_sim_api_handle (self, exchange, method, exchange->path, exchange->query);
  else if (g_str_has_prefix (exchange->path, "/_sim/outputs/") && g_str_equal (method, "GET"))
    lk_sim_outputs_serve (self, exchange, exchange->path + strlen ("/_sim/outputs/"));
  else
    lk_sim_exchange_respond_problem (exchange, 404, status_title (404), "The requested resource could not be found.");
}

static void
apply_fault (LkSimExchange *exchange,
             LkSimFault    *fault)
{
  g_debug ("Fault “%d” on %s %s", fault->kind,
           soup_server_message_get_method (exchange->msg), exchange->path);

  switch (fault->kind)
    {
    case LK_SIM_FAULT_STATUS:
    case LK_SIM_FAULT_THROTTLED:
      respond_fault_status (exchange, fault);
      return;

    case LK_SIM_FAULT_DROP_BEFORE:
      exchange_drop (exchange);
      return;

    case LK_SIM_FAULT_SLOW:
      exchange_pause (exchange);
      exchange_set_timer (exchange, fault->delay * 1000, dispatch);
      return;

    case LK_SIM_FAULT_DROP_AFTER:
    case LK_SIM_FAULT_MALFORMED:
      exchange->after = fault->kind;
      break;

    case LK_SIM_FAULT_FAIL:
    case LK_SIM_FAULT_ABORT:
      exchange->outcome = fault->kind;
      exchange->fail_error = g_strdup (fault->error);
      break;

    case LK_SIM_FAULT_NONE:
    default:
      g_assert_not_reached ();
    }

  dispatch (exchange);
}

static char *
path_with_query (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (query == NULL)
    return g_strdup (g_uri_get_path (uri));

  return g_strdup_printf ("%s?%s", g_uri_get_path (uri), query);
}

static gboolean
is_control_path (const char *path)
{
  return g_str_has_prefix (path, "/_sim/") && !g_str_has_prefix (path, "/_sim/outputs/");
}

static void
respond_control (SoupServerMessage *msg,
                 guint              status,
                 JsonNode          *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      soup_server_message_set_response (msg, status >= 400 ? "application/problem+json" : "application/json",
                                        SOUP_MEMORY_TAKE, text, strlen (text));
    }
}

static JsonNode *
log_to_json (LkSim *self)
{
  g_autoptr(GPtrArray) requests = lk_sim_get_requests (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, request->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, request->path);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, request->status);
      json_builder_set_member_name (builder, "time_us");
      json_builder_add_int_value (builder, request->time_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
stats_to_json (LkSim *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "predictions");
  json_builder_add_int_value (builder, lk_sim_get_prediction_count (self));
  json_builder_set_member_name (builder, "max_creates_per_input");
  json_builder_add_int_value (builder, lk_sim_get_max_creates_per_input (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The control endpoints need no token and are not logged, so they never
 * disturb what a test counts. */
static void
handle_control (LkSim             *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) node = NULL;
  guint status = 204;

  if (g_str_equal (path, "/_sim/faults") && g_str_equal (method, "POST"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *json = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr(GError) error = NULL;

      if (!lk_sim_add_faults (self, json, &error))
        {
          g_autoptr(JsonObject) problem = problem_new (400, "Invalid fault plan", error->message);

          status = 400;
          node = json_node_init_object (json_node_alloc (), problem);
        }
    }
  else if (g_str_equal (path, "/_sim/faults") && g_str_equal (method, "DELETE"))
    lk_sim_clear_faults (self);
  else if (g_str_equal (path, "/_sim/log") && g_str_equal (method, "GET"))
    {
      status = 200;
      node = log_to_json (self);
    }
  else if (g_str_equal (path, "/_sim/log") && g_str_equal (method, "DELETE"))
    lk_sim_clear_requests (self);
  else if (g_str_equal (path, "/_sim/stats") && g_str_equal (method, "GET"))
    {
      status = 200;
      node = stats_to_json (self);
    }
  else
    status = 404;

  respond_control (msg, status, node);
}

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     LkSimUpload       *upload)
{
  lk_sim_upload_feed (upload, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
}

/* Uploads are read as they arrive and never kept whole: the body is not
 * accumulated, each chunk goes through the multipart reader, which keeps
 * only a size and a checksum of the file. A body announced far over the
 * limit gets its 413 at once if the client sent `Expect: 100-continue`;
 * otherwise libsoup reads it first, and it is thrown away as it comes. */
static void
prepare_upload (LkSim             *self,
                SoupServerMessage *msg,
                guint64            serial)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, &params);
  const char *boundary = params != NULL ? g_hash_table_lookup (params, "boundary") : NULL;
  LkSimUpload *upload;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > LK_SIM_MAX_FILE_SIZE + UPLOAD_FRAMING_MARGIN)
    {
      g_autoptr(JsonObject) problem = problem_new (413, "Request Entity Too Large",
                                                   "Files must be less than 100MB in size");
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);
      char *text = json_to_string (node, FALSE);

      soup_server_message_set_status (msg, 413, NULL);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE, text, strlen (text));
      lk_sim_log_status (self, serial, 413);
      return;
    }

  if (g_strcmp0 (content_type, "multipart/form-data") != 0 || boundary == NULL)
    return;

  upload = lk_sim_upload_new (boundary);
  g_object_set_qdata_full (G_OBJECT (msg), upload_quark (), upload, (GDestroyNotify) lk_sim_upload_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
}

static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  LkSim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *full_path = NULL;
  guint64 serial;

  if (is_control_path (path))
    return;

  g_rec_mutex_lock (&self->lock);
  full_path = path_with_query (msg);
  serial = lk_sim_log_request (self, method, full_path);
  g_object_set_qdata_full (G_OBJECT (msg), serial_quark (), g_memdup2 (&serial, sizeof serial), g_free);

  if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/files"))
    prepare_upload (self, msg, serial);
  g_rec_mutex_unlock (&self->lock);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  LkSim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(LkSimFault) fault = NULL;
  g_autofree char *model = NULL;
  LkSimExchange *exchange;

  g_rec_mutex_lock (&self->lock);

  if (is_control_path (path))
    {
      handle_control (self, msg, path);
      g_rec_mutex_unlock (&self->lock);
      return;
    }

  exchange = exchange_new (self, msg, path, query);
  model = lk_sim_api_request_model (self, msg, path);
  fault = lk_sim_faults_match (self->faults, method, path, model);
  if (fault != NULL)
    apply_fault (exchange, fault);
  else
    dispatch (exchange);

  g_rec_mutex_unlock (&self->lock);
}

/**
 * lk_sim_server_listen:
 *
 * Makes the SoupServer in the calling (server) thread, whose thread-default
 * context must be the simulator's, and binds 127.0.0.1.
 */
gboolean
lk_sim_server_listen (LkSim   *self,
                      GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, self->port);
  GSList *uris;
  guint port;

  self->server = soup_server_new ("server-header", "replicate-sim ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);

  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_rec_mutex_lock (&self->lock);
  self->root_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  self->base_url = g_strdup_printf ("%s/v1", self->root_url);
  g_rec_mutex_unlock (&self->lock);

  return TRUE;
}

/* In the server thread, after its loop ends: stops every timer and held
 * response, then the server, so nothing runs on the context any more. */
void
lk_sim_server_shutdown (LkSim *self)
{
  GHashTableIter iter;
  LkSimJob *job;

  g_rec_mutex_lock (&self->lock);

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    lk_sim_job_stop_timer (job);

  while (self->exchanges->len > 0)
    exchange_free (g_ptr_array_index (self->exchanges, 0));

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  g_rec_mutex_unlock (&self->lock);

  while (g_main_context_iteration (self->context, FALSE))
    ;
}
