/* test-client.c: LkClient against the Replicate simulator: error codes,
 * retries, no duplicate creates, rate limits, waiting, files, downloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "lk-client.h"
#include "lk-sim.h"
#include "lk-test-utils.h"

#define SECOND G_USEC_PER_SEC
/* Bounds only a broken test; nothing asserts on how fast things are. */
#define DEADLINE_MS 120000
#define CONNECT_SLACK (SECOND / 100)

#define SCHNELL "black-forest-labs/flux-schnell"
#define PULID "bytedance/flux-pulid:8baa7ef2255075b46f4d91cd238c21d31181b3e6a864463f967960bb0112525b"
#define CREATE_PATH "/v1/models/black-forest-labs/flux-schnell/predictions"

static const char *test_home;

typedef struct
{
  LkSim    *sim;
  LkClient *client;
  GFile    *out;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (test_home, "out-XXXXXX", NULL);

  fixture->sim = lk_sim_new ();
  lk_sim_set_time_scale (fixture->sim, 0.01);
  g_assert_true (lk_sim_start (fixture->sim, &error));
  g_assert_no_error (error);

  fixture->client = lk_client_new (NULL, lk_sim_get_base_url (fixture->sim));
  lk_client_set_token (fixture->client, LK_SIM_TOKEN);

  g_assert_nonnull (g_mkdtemp (out));
  fixture->out = g_file_new_for_path (out);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  lk_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->out);
}

/* Async calls, waited for ---------------------------------------------------- */

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  g_assert_true (lk_test_wait_for (has_result, slot, DEADLINE_MS));
  return *slot;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
get_account (LkClient  *client,
             GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_client_get_account_async (client, NULL, result_cb, &result);
  return lk_client_get_account_finish (client, await (&result), error);
}

static LkPrediction *
create (LkClient    *client,
        const char  *model,
        const char  *input_json,
        guint        wait_seconds,
        guint        cancel_after,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) input = parse_object (input_json);

  lk_client_create_prediction_async (client, model, input, wait_seconds, cancel_after, NULL, result_cb, &result);
  return lk_client_create_prediction_finish (client, await (&result), error);
}

static gboolean
wait_for (LkClient      *client,
          LkPrediction  *prediction,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_client_wait_async (client, prediction, cancellable, result_cb, &result);
  return lk_client_wait_finish (client, await (&result), error);
}

/* Creates a prediction and waits for it to end. */
static LkPrediction *
run (LkClient    *client,
     const char  *model,
     const char  *input_json,
     GError     **error)
{
  g_autoptr(LkPrediction) prediction = create (client, model, input_json, 0, 0, error);

  if (prediction == NULL || !wait_for (client, prediction, NULL, error))
    return NULL;

  return g_steal_pointer (&prediction);
}

static JsonObject *
upload (LkClient    *client,
        GFile       *file,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_client_upload_file_async (client, file, NULL, NULL, result_cb, &result);
  return lk_client_upload_file_finish (client, await (&result), error);
}

static GFile *
download (LkClient    *client,
          const char  *url,
          GFile       *directory,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_client_download_async (client, url, directory, "output", NULL, result_cb, &result);
  return lk_client_download_finish (client, await (&result), error);
}

static void
add_faults (Fixture    *fixture,
            const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_add_faults (fixture->sim, json, &error));
  g_assert_no_error (error);
}

static GFile *
write_file (const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (test_home, name, NULL);
  g_autofree char *content = g_malloc0 (size);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The arrival times of the logged requests with @method and @prefix. */
static GArray *
request_times (Fixture    *fixture,
               const char *method,
               const char *prefix)
{
  g_autoptr(GPtrArray) requests = lk_sim_get_requests (fixture->sim);
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, method) && g_str_has_prefix (request->path, prefix))
        g_array_append_val (times, request->time_us);
    }

  return times;
}

static gint64
gap (GArray *times,
     guint   index)
{
  return g_array_index (times, gint64, index) - g_array_index (times, gint64, index - 1);
}

static void
assert_image (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (g_file_peek_path (file), &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 0);
}

static guint
count_files (GFile *directory)
{
  g_autoptr(GDir) dir = g_dir_open (g_file_peek_path (directory), 0, NULL);
  guint count = 0;

  while (g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

/* Tests ----------------------------------------------------------------- */

static void
test_create_destroy (void)
{
  LkClient *client = lk_client_new (NULL, "https://api.replicate.com/v1/");

  g_assert_cmpstr (lk_client_get_base_url (client), ==, "https://api.replicate.com/v1");
  g_assert_finalize_object (client);
}

static void
test_account (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = get_account (fixture->client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (json_object_get_string_member (account, "username"));
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/account"), ==, 1);
}

/* Each error code, as a user would meet it. */
typedef enum
{
  OP_ACCOUNT,
  OP_MISSING_MODEL,
  OP_CREATE_MODEL,
  OP_RUN,
  OP_RUN_INVALID,
  OP_RUN_DEADLINE,
  OP_UPLOAD,
} Operation;

typedef struct
{
  const char    *name;
  Operation      operation;
  const char    *faults;
  const char    *token;
  const char    *base_url;
  guint          timeout;
  LkClientError  code;
  const char    *says;
} ErrorCase;

static void
test_error (Fixture       *fixture,
            gconstpointer  data)
{
  const ErrorCase *test = data;
  g_autoptr(LkClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(LkPrediction) prediction = NULL;

  client = lk_client_new (NULL, test->base_url != NULL ? test->base_url : lk_sim_get_base_url (fixture->sim));
  lk_client_set_token (client, test->token != NULL ? test->token : LK_SIM_TOKEN);
  if (test->timeout > 0)
    lk_client_set_timeout (client, test->timeout);
  if (test->faults != NULL)
    add_faults (fixture, test->faults);

  switch (test->operation)
    {
    case OP_ACCOUNT:
      object = get_account (client, &error);
      break;

    case OP_MISSING_MODEL:
      lk_client_get_model_async (client, "nobody/nothing", NULL, result_cb, &result);
      object = lk_client_get_model_finish (client, await (&result), &error);
      break;

    case OP_CREATE_MODEL:
      lk_client_create_model_async (client, "likeness-sim/my-lora", "private", "gpu-t4", NULL,
                                    NULL, result_cb, &result);
      object = lk_client_create_model_finish (client, await (&result), &error);
      break;

    case OP_RUN:
      prediction = run (client, SCHNELL, "{\"prompt\": \"a lighthouse\"}", &error);
      break;

    case OP_RUN_INVALID:
      prediction = run (client, SCHNELL, "{\"prompt\": \"a lighthouse\", \"num_inference_steps\": 50}", &error);
      break;

    case OP_RUN_DEADLINE:
      lk_sim_set_model_duration (fixture->sim, SCHNELL, 1000);
      prediction = create (client, SCHNELL, "{\"prompt\": \"a lighthouse\"}", 0, 5, &error);
      g_assert_no_error (error);
      g_assert_false (wait_for (client, prediction, NULL, &error));
      break;

    case OP_UPLOAD:
      file = write_file ("upload.bin", 1000);
      object = upload (client, file, &error);
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_error (error, LK_CLIENT_ERROR, test->code);
  g_assert_nonnull (strstr (error->message, test->says));
  g_test_message ("%s: %s", test->name, error->message);
}

static void
test_rate_limited_error (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;

  /* Two minutes is more than a call should silently wait: the caller
   * gets the error, with the wait, after one request. */
  add_faults (fixture, "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 429, \"retry_after\": 120}]");
  account = get_account (fixture->client, &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpfloat (lk_client_error_get_retry_after (error), ==, 120);
  g_assert_nonnull (strstr (error->message, "120 seconds"));
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/account"), ==, 1);
}

typedef struct
{
  const char *name;
  const char *faults;
  gint64      at_least_us;
} RetryAfterCase;

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  const RetryAfterCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GArray) times = NULL;

  add_faults (fixture, test->faults);
  account = get_account (fixture->client, &error);
  g_assert_no_error (error);

  times = request_times (fixture, "GET", "/v1/account");
  g_assert_cmpuint (times->len, ==, 2);
  g_assert_cmpint (gap (times, 1), >=, test->at_least_us);
}

static void
test_retry_after_create (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GArray) times = NULL;

  add_faults (fixture, "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\","
                       " \"status\": 429, \"retry_after\": 1}]");
  prediction = create (fixture->client, SCHNELL, "{\"prompt\": \"a fox\"}", 0, 0, &error);
  g_assert_no_error (error);

  times = request_times (fixture, "POST", CREATE_PATH);
  g_assert_cmpuint (times->len, ==, 2);
  g_assert_cmpint (gap (times, 1), >=, 1 * SECOND);
  g_assert_cmpuint (lk_sim_get_prediction_count (fixture->sim), ==, 1);
}

static void
test_backoff (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GArray) times = NULL;

  add_faults (fixture, "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 503, \"times\": 2}]");
  account = get_account (fixture->client, &error);
  g_assert_no_error (error);

  /* Each pause is at least half of a doubling ceiling of 0.5 s, 1 s, … */
  times = request_times (fixture, "GET", "/v1/account");
  g_assert_cmpuint (times->len, ==, 3);
  g_assert_cmpint (gap (times, 1), >=, SECOND / 4);
  g_assert_cmpint (gap (times, 2), >=, SECOND / 2);
}

static void
test_post_not_retried (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) model = NULL;

  add_faults (fixture, "[{\"method\": \"POST\", \"path\": \"/v1/models\", \"fault\": \"status\", \"status\": 502}]");
  lk_client_create_model_async (fixture->client, "likeness-sim/once", "private", "gpu-t4", NULL,
                                NULL, result_cb, &result);
  model = lk_client_create_model_finish (fixture->client, await (&result), &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_SERVER);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/models"), ==, 1);
}

typedef struct
{
  const char *name;
  const char *model;
  const char *faults;
  guint       timeout;
  gboolean    lists;
} DuplicateCase;

static void
test_no_duplicate_create (Fixture       *fixture,
                          gconstpointer  data)
{
  const DuplicateCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(JsonObject) server_view = NULL;

  if (test->timeout > 0)
    lk_client_set_timeout (fixture->client, test->timeout);
  add_faults (fixture, test->faults);

  prediction = run (fixture->client, test->model,
                    g_str_equal (test->model, PULID) ? "{\"prompt\": \"a harbour at dawn\", \"seed\": 1234,"
                                           " \"main_face_image\": \"https://example.com/face.jpg\"}"
                                         : "{\"prompt\": \"a harbour at dawn\", \"seed\": 1234}",
                    &error);
  g_assert_no_error (error);

  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);
  g_assert_cmpuint (lk_sim_get_prediction_count (fixture->sim), ==, 1);
  server_view = lk_sim_dup_prediction (fixture->sim, lk_prediction_get_id (prediction));
  g_assert_nonnull (server_view);
  g_assert_cmpstr (json_object_get_string_member (server_view, "status"), ==, "succeeded");

  /* A lost answer is looked for before anything is sent again. */
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/predictions?created_after=") > 0, ==, test->lists);
}

static void
test_rate_limiter (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) first = NULL;
  g_autoptr(LkPrediction) second = NULL;
  g_autoptr(GArray) times = NULL;

  /* The 429 says the account may create 6 a minute, one at a time: after
   * it, creates are 10 s apart, though it asked for only 1 s. */
  add_faults (fixture, "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"throttled\","
                       " \"retry_after\": 1}]");
  first = create (fixture->client, SCHNELL, "{\"prompt\": \"one\"}", 0, 0, &error);
  g_assert_no_error (error);
  second = create (fixture->client, SCHNELL, "{\"prompt\": \"two\"}", 0, 0, &error);
  g_assert_no_error (error);

  /* The simulator logs arrivals, a connection set-up after the client
   * took its token; set-ups differ by a little. */
  times = request_times (fixture, "POST", CREATE_PATH);
  g_assert_cmpuint (times->len, ==, 3);
  g_assert_cmpint (gap (times, 1), >=, 10 * SECOND - CONNECT_SLACK);
  g_assert_cmpint (gap (times, 2), >=, 10 * SECOND - CONNECT_SLACK);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);
}

static void
test_prefer_wait (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;

  prediction = create (fixture->client, SCHNELL, "{\"prompt\": \"a cat\"}", 60, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_prediction_get_status (prediction), ==, LK_PREDICTION_STATUS_SUCCEEDED);
  g_assert_cmpuint (g_strv_length ((GStrv) lk_prediction_get_outputs (prediction)), >, 0);

  /* Already done: waiting costs no request. */
  g_assert_true (wait_for (fixture->client, prediction, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, NULL, "/v1/"), ==, 1);
}

static void
progress_cb (LkPrediction *prediction,
             GParamSpec   *pspec,
             GArray       *values)
{
  double progress = lk_prediction_get_progress (prediction);

  g_array_append_val (values, progress);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean partial = FALSE;

  lk_sim_set_model_duration (fixture->sim, SCHNELL, 400);
  prediction = create (fixture->client, SCHNELL, "{\"prompt\": \"a cat\"}", 0, 0, &error);
  g_assert_no_error (error);
  g_signal_connect (prediction, "notify::progress", G_CALLBACK (progress_cb), values);
  g_assert_true (wait_for (fixture->client, prediction, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < values->len; i++)
    {
      double value = g_array_index (values, double, i);

      partial |= value > 0 && value < 1;
      if (i > 0 && value >= 0)
        g_assert_cmpfloat (value, >=, g_array_index (values, double, i - 1));
    }
  g_assert_true (partial);
  g_assert_cmpfloat (lk_prediction_get_progress (prediction), ==, 1.0);
  /* Billed time is the model's own, not the scaled one. */
  g_assert_cmpfloat (lk_prediction_get_predict_time (prediction), ==, 400);
}

static gboolean
is_processing (gpointer data)
{
  return lk_prediction_get_status (data) == LK_PREDICTION_STATUS_PROCESSING;
}

static void
test_cancel_reaches_server (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  g_autofree char *cancel_path = NULL;

  lk_sim_set_model_duration (fixture->sim, SCHNELL, 6000);
  prediction = create (fixture->client, SCHNELL, "{\"prompt\": \"a long one\"}", 0, 0, &error);
  g_assert_no_error (error);

  lk_client_wait_async (fixture->client, prediction, cancellable, result_cb, &result);
  g_assert_true (lk_test_wait_for (is_processing, prediction, DEADLINE_MS));
  g_cancellable_cancel (cancellable);
  g_assert_false (lk_client_wait_finish (fixture->client, await (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cancel_path = g_strdup_printf ("/v1/predictions/%s/cancel", lk_prediction_get_id (prediction));
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", cancel_path), ==, 1);
  server_view = lk_sim_dup_prediction (fixture->sim, lk_prediction_get_id (prediction));
  g_assert_cmpstr (json_object_get_string_member (server_view, "status"), ==, "canceled");
  g_assert_cmpint (lk_prediction_get_status (prediction), ==, LK_PREDICTION_STATUS_CANCELED);
}

static void
test_get_prediction (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) created = NULL;
  g_autoptr(LkPrediction) fetched = NULL;

  created = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\", \"num_outputs\": 2}", &error);
  g_assert_no_error (error);

  lk_client_get_prediction_async (fixture->client, LK_PREDICTION_KIND_PREDICTION, lk_prediction_get_id (created),
                                  NULL, result_cb, &result);
  fetched = lk_client_get_prediction_finish (fixture->client, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_prediction_get_status (fetched), ==, LK_PREDICTION_STATUS_SUCCEEDED);
  g_assert_cmpstrv (lk_prediction_get_outputs (fetched), lk_prediction_get_outputs (created));
  g_assert_cmpuint (g_strv_length ((GStrv) lk_prediction_get_outputs (fetched)), ==, 2);
}

static void
test_list_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) predictions = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_seconds (before, -5);

  lk_sim_set_page_size (fixture->sim, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *input = g_strdup_printf ("{\"prompt\": \"cat %u\"}", i);
      g_autoptr(LkPrediction) prediction = create (fixture->client, SCHNELL, input, 0, 0, &error);

      g_assert_no_error (error);
    }

  lk_client_list_predictions_async (fixture->client, since, NULL, result_cb, &result);
  predictions = lk_client_list_predictions_finish (fixture->client, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (predictions->len, ==, 5);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/predictions"), ==, 3);
}

static void
test_upload_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_file ("reference.jpg", 250 * 1000);
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) uploaded = NULL;
  const char *id;

  uploaded = upload (fixture->client, file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (uploaded, "size"), ==, 250 * 1000);
  id = json_object_get_string_member (uploaded, "id");

  lk_client_delete_file_async (fixture->client, id, NULL, result_cb, &deleted);
  g_assert_true (lk_client_delete_file_finish (fixture->client, await (&deleted), &error));
  g_assert_no_error (error);

  lk_client_delete_file_async (fixture->client, id, NULL, result_cb, &again);
  g_assert_false (lk_client_delete_file_finish (fixture->client, await (&again), &error));
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND);
}

static void
test_upload_too_large (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (test_home, "huge.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) uploaded = NULL;
  FILE *stream = g_fopen (path, "w");

  /* A sparse file: over the limit without taking the space. */
  g_assert_cmpint (fseeko (stream, LK_CLIENT_MAX_UPLOAD_SIZE, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('x', stream), ==, 'x');
  fclose (stream);

  uploaded = upload (fixture->client, file, &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TOO_LARGE);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, NULL, "/v1/files"), ==, 0);
}

static void
test_download_outputs (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  const char * const *outputs;

  prediction = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\", \"output_format\": \"jpg\"}", &error);
  g_assert_no_error (error);
  outputs = lk_prediction_get_outputs (prediction);
  g_assert_true (g_str_has_prefix (outputs[0], "http://127.0.0.1:"));

  file = download (fixture->client, outputs[0], fixture->out, &error);
  g_assert_no_error (error);
  name = g_file_get_basename (file);
  /* The name is ours, the extension from the image type. */
  g_assert_cmpstr (name, ==, "output.jpg");
  assert_image (file);
  g_assert_cmpuint (count_files (fixture->out), ==, 1);
}

static void
test_download_data_uri (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  const char * const *outputs;

  lk_sim_set_data_uri_outputs (fixture->sim, TRUE);
  prediction = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\", \"output_format\": \"png\"}", &error);
  g_assert_no_error (error);
  outputs = lk_prediction_get_outputs (prediction);
  g_assert_true (g_str_has_prefix (outputs[0], "data:image/png"));

  file = download (fixture->client, outputs[0], fixture->out, &error);
  g_assert_no_error (error);
  name = g_file_get_basename (file);
  g_assert_cmpstr (name, ==, "output.png");
  assert_image (file);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, NULL, "/_sim/outputs"), ==, 0);
}

typedef struct
{
  const char    *name;
  const char    *url;
  LkClientError  code;
} BadDownloadCase;

static void
test_download_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  const BadDownloadCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  file = download (fixture->client, test->url, fixture->out, &error);
  g_assert_error (error, LK_CLIENT_ERROR, test->code);
  /* Nothing is left behind, not even a partial file. */
  g_assert_cmpuint (count_files (fixture->out), ==, 0);
}

static void
test_download_expired (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GFile) file = NULL;

  prediction = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\"}", &error);
  g_assert_no_error (error);
  lk_sim_set_output_lifetime (fixture->sim, 0);

  file = download (fixture->client, lk_prediction_get_outputs (prediction)[0], fixture->out, &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no longer available"));
  g_assert_cmpuint (count_files (fixture->out), ==, 0);
}

static void
image_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                            "Authorization");
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 4);
  g_autofree char *png = NULL;
  gsize size;

  *(char **) user_data = g_strdup (authorization != NULL ? authorization : "none");
  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &size, "png", NULL, NULL));
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY, png, size);
}

static void
test_download_sends_no_token (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  /* Outputs live on another host than the API: it must not get the token. */
  soup_server_add_handler (server, NULL, image_handler, &seen, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://localhost:%d/output.png", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  file = download (fixture->client, url, fixture->out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seen, ==, "none");
  assert_image (file);
}

static void
huge_image_handler (SoupServer        *server,
                    SoupServerMessage *message,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  gsize size = LK_CLIENT_MAX_DOWNLOAD_SIZE + 1;

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "image/png", SOUP_MEMORY_TAKE, g_malloc0 (size), size);
}

static void
test_download_too_large (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, huge_image_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/huge.png", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  file = download (fixture->client, url, fixture->out, &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TOO_LARGE);
  g_assert_cmpuint (count_files (fixture->out), ==, 0);
}

static void
test_localhost_accepted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GUri) sim = g_uri_parse (lk_sim_get_base_url (fixture->sim), G_URI_FLAGS_NONE, NULL);
  g_autofree char *url = g_strdup_printf ("http://localhost:%d/v1", g_uri_get_port (sim));
  g_autoptr(LkClient) client = lk_client_new (NULL, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;

  /* Plain http is fine to this computer, by name as by address. */
  lk_client_set_token (client, LK_SIM_TOKEN);
  account = get_account (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
}

/* A training is created once even when the answer to its create is
 * lost (@data: a fault plan for the create, or %NULL), and it is listed. */
static void
test_training (Fixture       *fixture,
               gconstpointer  data)
{
  const char *faults = data;
  g_autoptr(GAsyncResult) model_result = NULL;
  g_autoptr(GAsyncResult) destination_result = NULL;
  g_autoptr(GAsyncResult) training_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GAsyncResult) later_result = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(JsonObject) second_input = parse_object ("{\"input_images\": \"https://example.com/more.zip\","
                                                     " \"trigger_word\": \"LKPERSON\"}");
  g_autoptr(LkPrediction) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) trainer = NULL;
  g_autoptr(JsonObject) destination = NULL;
  g_autoptr(JsonObject) input = parse_object ("{\"input_images\": \"https://example.com/photos.zip\","
                                              " \"trigger_word\": \"LKPERSON\"}");
  g_autoptr(LkPrediction) training = NULL;
  g_autofree char *reference = NULL;
  JsonNode *output;

  /* Long enough to be under way still when a lost answer was looked for. */
  lk_sim_set_model_duration (fixture->sim, "ostris/flux-dev-lora-trainer", 200);
  lk_client_get_model_async (fixture->client, "ostris/flux-dev-lora-trainer", NULL, result_cb, &model_result);
  trainer = lk_client_get_model_finish (fixture->client, await (&model_result), &error);
  g_assert_no_error (error);
  reference = g_strdup_printf ("ostris/flux-dev-lora-trainer:%s",
                               json_object_get_string_member (json_object_get_object_member (trainer, "latest_version"), "id"));

  lk_client_create_model_async (fixture->client, "likeness-sim/me", "private", "gpu-t4", "My LoRA",
                                NULL, result_cb, &destination_result);
  destination = lk_client_create_model_finish (fixture->client, await (&destination_result), &error);
  g_assert_no_error (error);

  if (faults != NULL)
    add_faults (fixture, faults);
  lk_client_create_training_async (fixture->client, reference, "likeness-sim/me", input, NULL, result_cb, &training_result);
  training = lk_client_create_training_finish (fixture->client, await (&training_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_prediction_get_kind (training), ==, LK_PREDICTION_KIND_TRAINING);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (fixture->sim), ==, 1);

  g_assert_true (wait_for (fixture->client, training, NULL, &error));
  g_assert_no_error (error);
  output = lk_prediction_get_output (training);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (output));
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (output), "version"));
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/trainings/"), >, 0);

  lk_client_create_training_async (fixture->client, reference, "likeness-sim/me", second_input, NULL, result_cb,
                                   &second_result);
  second = lk_client_create_training_finish (fixture->client, await (&second_result), &error);
  g_assert_no_error (error);

  /* Listed newest first, a page at a time; a list that reaches older
   * ones stops there. */
  lk_sim_set_page_size (fixture->sim, 1);
  lk_client_list_trainings_async (fixture->client, hour_ago, NULL, result_cb, &list_result);
  listed = lk_client_list_trainings_finish (fixture->client, await (&list_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (lk_prediction_get_id (g_ptr_array_index (listed, 0)), ==, lk_prediction_get_id (second));
  g_assert_cmpstr (lk_prediction_get_id (g_ptr_array_index (listed, 1)), ==, lk_prediction_get_id (training));
  g_assert_cmpint (lk_prediction_get_kind (g_ptr_array_index (listed, 1)), ==, LK_PREDICTION_KIND_TRAINING);
  g_assert_true (json_object_equal (lk_prediction_get_input (g_ptr_array_index (listed, 1)), input));

  lk_sim_clear_requests (fixture->sim);
  lk_client_list_trainings_async (fixture->client, tomorrow, NULL, result_cb, &later_result);
  later = lk_client_list_trainings_finish (fixture->client, await (&later_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/trainings"), ==, 1);
}

static gboolean
delete_version (LkClient    *client,
                const char  *model,
                const char  *version,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_client_delete_version_async (client, model, version, NULL, result_cb, &result);
  return lk_client_delete_version_finish (client, await (&result), error);
}

static guint
last_status (Fixture *fixture)
{
  g_autoptr(GPtrArray) log = lk_sim_get_requests (fixture->sim);

  g_assert_cmpuint (log->len, >, 0);
  return ((LkSimRequest *) g_ptr_array_index (log, log->len - 1))->status;
}

static void
test_delete_version (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *version = lk_sim_add_trained_version (fixture->sim, "likeness-sim/likeness-lora");
  g_autofree char *path = g_strdup_printf ("/v1/models/likeness-sim/likeness-lora/versions/%s", version);
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (delete_version (fixture->client, "likeness-sim/likeness-lora", version, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "DELETE", path), ==, 1);
  g_assert_cmpuint (last_status (fixture), ==, 202);

  lk_client_get_version_async (fixture->client, "likeness-sim/likeness-lora", version, NULL, result_cb, &got);
  gone = lk_client_get_version_finish (fixture->client, await (&got), &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* Already gone is what the caller wanted. */
  g_assert_true (delete_version (fixture->client, "likeness-sim/likeness-lora", version, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "DELETE", path), ==, 2);
  g_assert_cmpuint (last_status (fixture), ==, 404);
}

static void
test_delete_version_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (delete_version (fixture->client, "bytedance/flux-pulid",
                                  "8baa7ef2255075b46f4d91cd238c21d31181b3e6a864463f967960bb0112525b", &error));
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Replicate refused to delete the version (You can only delete versions from models you own)"));
  g_assert_nonnull (strstr (error->message, "remove the model from Likeness alone"));
  /* Nothing is wrong with the token. */
  g_assert_null (strstr (error->message, "token"));
  g_assert_cmpuint (last_status (fixture), ==, 403);
}

typedef struct
{
  const char *name;
  const char *faults;
  guint       attempts;
} DeleteFaultCase;

/* A DELETE may go again: when the first one was carried out, the second
 * finds the version gone, which is still success. */
static void
test_delete_version_retried (Fixture       *fixture,
                             gconstpointer  data)
{
  const DeleteFaultCase *test = data;
  g_autofree char *version = lk_sim_add_trained_version (fixture->sim, "likeness-sim/likeness-lora");
  g_autoptr(GError) error = NULL;

  add_faults (fixture, test->faults);
  g_assert_true (delete_version (fixture->client, "likeness-sim/likeness-lora", version, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "DELETE", "/v1/models/"), ==, test->attempts);
}

/* The token never reaches the log, whatever the run does. */
static void
test_token_not_logged (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char token[] = "r8_Token-That-Must-Never-Be-Logged-42";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(LkPrediction) rejected = NULL;
  g_autoptr(JsonObject) uploaded = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) image = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      /* The log was captured (debug messages go to stdout): the requests
       * are in it ... */
      g_test_trap_assert_stdout ("*GET /v1/account*POST /v1/files*POST /v1/models/black-forest-labs/flux-schnell/predictions*");
      /* ... and the token is not. */
      g_test_trap_assert_stderr_unmatched ("*r8_Token-That-Must-Never-Be-Logged-42*");
      g_test_trap_assert_stdout_unmatched ("*r8_Token-That-Must-Never-Be-Logged-42*");
      return;
    }

  /* As G_MESSAGES_DEBUG=all would: every domain's debug messages. */
  g_log_set_debug_enabled (TRUE);
  lk_sim_set_token (fixture->sim, token);
  lk_client_set_token (fixture->client, token);
  add_faults (fixture, "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 503},"
                       " {\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-after\"}]");

  account = get_account (fixture->client, &error);
  g_assert_no_error (error);
  file = write_file ("face.jpg", 5000);
  uploaded = upload (fixture->client, file, &error);
  g_assert_no_error (error);
  prediction = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\"}", &error);
  g_assert_no_error (error);
  image = download (fixture->client, lk_prediction_get_outputs (prediction)[0], fixture->out, &error);
  g_assert_no_error (error);
  rejected = run (fixture->client, SCHNELL, "{\"prompt\": \"a cat\", \"num_inference_steps\": 50}", &error);
  g_assert_error (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  static const ErrorCase error_cases[] = {
    { "unauthorized", OP_ACCOUNT, NULL, "r8_not_the_token", NULL, 0,
      LK_CLIENT_ERROR_UNAUTHORIZED, "Check your token in Preferences" },
    { "payment-required", OP_RUN,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 402}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_PAYMENT_REQUIRED, "Set up billing on replicate.com" },
    { "not-found", OP_MISSING_MODEL, NULL, NULL, NULL, 0, LK_CLIENT_ERROR_NOT_FOUND, "Check the model name" },
    { "too-large", OP_UPLOAD, "[{\"path\": \"/v1/files\", \"fault\": \"status\", \"status\": 413}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_TOO_LARGE, "100 MB" },
    { "invalid-input", OP_RUN_INVALID, NULL, NULL, NULL, 0, LK_CLIENT_ERROR_INVALID_INPUT, "num_inference_steps" },
    { "server", OP_CREATE_MODEL, "[{\"method\": \"POST\", \"path\": \"/v1/models\", \"fault\": \"status\", \"status\": 503}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_SERVER, "Try again in a few minutes" },
    { "network", OP_CREATE_MODEL, "[{\"method\": \"POST\", \"path\": \"/v1/models\", \"fault\": \"drop-before\"}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_NETWORK, "Check your internet connection" },
    { "timeout", OP_CREATE_MODEL, "[{\"method\": \"POST\", \"path\": \"/v1/models\", \"fault\": \"slow\", \"delay\": 2}]",
      NULL, NULL, 1, LK_CLIENT_ERROR_TIMEOUT, "did not answer within 1 seconds" },
    { "protocol", OP_ACCOUNT, "[{\"path\": \"/v1/account\", \"fault\": \"malformed\"}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_PROTOCOL, "cannot read" },
    { "prediction-failed", OP_RUN, "[{\"model\": \"black-forest-labs/flux-schnell\", \"fault\": \"fail\"}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_PREDICTION_FAILED, "NSFW content detected" },
    { "aborted", OP_RUN, "[{\"model\": \"black-forest-labs/flux-schnell\", \"fault\": \"abort\"}]",
      NULL, NULL, 0, LK_CLIENT_ERROR_ABORTED, "Try again" },
    { "canceled", OP_RUN_DEADLINE, NULL, NULL, NULL, 0, LK_CLIENT_ERROR_CANCELED, "canceled on Replicate" },
    { "insecure", OP_ACCOUNT, NULL, NULL, "http://example.com/v1", 0, LK_CLIENT_ERROR_INSECURE, "plain http" },
  };
  static const RetryAfterCase retry_after_cases[] = {
    { "header", "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 429, \"retry_after\": 1}]",
      1 * SECOND },
    { "body", "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 429, \"retry_after\": 1.5,"
      " \"retry_after_in\": \"body\"}]", 3 * SECOND / 2 },
    { "http-date", "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 429, \"retry_after\": 1,"
      " \"retry_after_date\": true}]", 1 * SECOND },
    { "drop-before", "[{\"path\": \"/v1/account\", \"fault\": \"drop-before\"}]", 0 },
  };
  static const DuplicateCase duplicate_cases[] = {
    { "drop-after", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-after\"}]", 0, TRUE },
    { "drop-after-always", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-after\", \"times\": 0}]", 0, TRUE },
    { "drop-after-version-route", PULID,
      "[{\"method\": \"POST\", \"path\": \"/v1/predictions\", \"fault\": \"drop-after\"}]", 0, TRUE },
    { "drop-before", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-before\"}]", 0, TRUE },
    { "status-500", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 500}]", 0, TRUE },
    { "status-502-twice", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 502, \"times\": 2}]",
      0, TRUE },
    { "status-503", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 503}]", 0, TRUE },
    { "status-504", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 504}]", 0, TRUE },
    { "slow-timeout", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"slow\", \"delay\": 1.5}]", 1, TRUE },
    { "throttled-then-drop-after", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"status\", \"status\": 429,"
      " \"retry_after\": 0.2},"
      " {\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-after\"}]", 0, TRUE },
    { "malformed-answer", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"malformed\"}]", 0, TRUE },
    { "list-fails-once", SCHNELL,
      "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"drop-after\"},"
      " {\"method\": \"GET\", \"path\": \"/v1/predictions\", \"fault\": \"status\", \"status\": 503}]", 0, TRUE },
  };
  static const DeleteFaultCase delete_fault_cases[] = {
    { "status-503", "[{\"method\": \"DELETE\", \"fault\": \"status\", \"status\": 503}]", 2 },
    { "drop-after", "[{\"method\": \"DELETE\", \"fault\": \"drop-after\"}]", 2 },
  };
  static const BadDownloadCase bad_downloads[] = {
    { "not-an-image", "data:text/plain;base64,aGVsbG8=", LK_CLIENT_ERROR_PROTOCOL },
    { "plain-http", "http://example.com/output.png", LK_CLIENT_ERROR_INSECURE },
    { "broken-data-uri", "data:image/png;base64", LK_CLIENT_ERROR_PROTOCOL },
  };

  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_TABLE(prefix, table, func) \
  for (guint i = 0; i < G_N_ELEMENTS (table); i++) \
    { \
      g_autofree char *path = g_strdup_printf ("/lk/client/" prefix "/%s", table[i].name); \
      g_test_add (path, Fixture, &table[i], fixture_set_up, func, fixture_tear_down); \
    }

  g_test_add_func ("/lk/client/create-destroy", test_create_destroy);
  ADD ("/lk/client/account", test_account);
  ADD_TABLE ("error", error_cases, test_error);
  ADD ("/lk/client/error/rate-limited", test_rate_limited_error);
  ADD_TABLE ("retry-after", retry_after_cases, test_retry_after);
  ADD ("/lk/client/retry-after/create", test_retry_after_create);
  ADD ("/lk/client/backoff", test_backoff);
  ADD ("/lk/client/post-not-retried", test_post_not_retried);
  ADD_TABLE ("no-duplicate-create", duplicate_cases, test_no_duplicate_create);
  ADD ("/lk/client/rate-limiter", test_rate_limiter);
  ADD ("/lk/client/prefer-wait", test_prefer_wait);
  ADD ("/lk/client/progress", test_progress);
  ADD ("/lk/client/cancel-reaches-server", test_cancel_reaches_server);
  ADD ("/lk/client/get-prediction", test_get_prediction);
  ADD ("/lk/client/list-pages", test_list_pages);
  g_test_add ("/lk/client/training/lost-answer", Fixture,
              "[{\"method\": \"POST\", \"path\": \"/v1/models/*/versions/*/trainings\", \"fault\": \"drop-after\"}]",
              fixture_set_up, test_training, fixture_tear_down);
  ADD ("/lk/client/upload-delete", test_upload_delete);
  ADD ("/lk/client/upload-too-large", test_upload_too_large);
  ADD ("/lk/client/download/url", test_download_outputs);
  ADD ("/lk/client/download/data-uri", test_download_data_uri);
  ADD ("/lk/client/download/expired", test_download_expired);
  ADD ("/lk/client/download/sends-no-token", test_download_sends_no_token);
  ADD ("/lk/client/download/too-large", test_download_too_large);
  ADD ("/lk/client/localhost-accepted", test_localhost_accepted);
  ADD_TABLE ("download/refused", bad_downloads, test_download_refused);
  ADD ("/lk/client/training", test_training);
  ADD ("/lk/client/delete-version", test_delete_version);
  ADD ("/lk/client/delete-version/refused", test_delete_version_refused);
  ADD_TABLE ("delete-version/retried", delete_fault_cases, test_delete_version_retried);
  ADD ("/lk/client/token-not-logged", test_token_not_logged);

  return g_test_run ();
}
