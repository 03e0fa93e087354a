/* test-sim.c: the Replicate simulator, seen through plain HTTP as a client sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "lk-sim-private.h"
#include "lk-test-utils.h"

#define PULID_VERSION "8baa7ef2255075b46f4d91cd238c21d31181b3e6a864463f967960bb0112525b"
#define INSTANT_ID_VERSION "c98b2e7a196828d00955767813b81fc05c5c9b294c670c6d147d545fed4ceecf"
#define SCHNELL "black-forest-labs/flux-schnell"
#define TRAINER "ostris/flux-dev-lora-trainer"
#define FACE_URL "https://example.com/face.jpg"
#define MIB (1024 * 1024)

/* The documented progress pattern, as a client parses logs. */
#define TQDM_PATTERN "^\\s*(\\d+)%\\s*\\|.+?\\|\\s*(\\d+)/(\\d+)"

typedef struct
{
  LkSim       *sim;
  SoupSession *session;
  char        *base;
  char        *root;
  const char  *token;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
  JsonNode           *json;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_error (&response->error);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = lk_sim_new ();
  lk_sim_set_time_scale (f->sim, 0.01);
  g_assert_true (lk_sim_start (f->sim, &error));
  g_assert_no_error (error);

  f->base = g_strdup (lk_sim_get_base_url (f->sim));
  f->root = g_strndup (f->base, strlen (f->base) - strlen ("/v1"));
  f->session = soup_session_new ();
  f->token = LK_SIM_TOKEN;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  lk_sim_stop (f->sim);
  g_assert_finalize_object (f->sim);
  g_free (f->base);
  g_free (f->root);
}

/* Sends @msg with the fixture's token and reads the whole answer. */
static Response *
send_message (Fixture            *f,
              SoupMessage        *msg)
{
  Response *response = g_new0 (Response, 1);

  if (f->token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", f->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
    }

  response->body = soup_session_send_and_read (f->session, msg, NULL, &response->error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (response->body != NULL && g_bytes_get_size (response->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize length;
      const char *data = g_bytes_get_data (response->body, &length);

      if (json_parser_load_from_data (parser, data, length, NULL))
        response->json = json_parser_steal_root (parser);
    }

  return response;
}

static SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *target)
{
  g_autofree char *url = target[0] == '/' ? g_strconcat (f->base, target, NULL) : g_strdup (target);

  return soup_message_new (method, url);
}

/* @target is a path under the base URL ("/account") or a full URL;
 * @headers are name, value pairs. */
static Response *
request (Fixture            *f,
         const char         *method,
         const char         *target,
         const char         *json,
         const char * const *headers)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, target);

  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);

  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  return send_message (f, msg);
}

static JsonObject *
response_object (Response *response)
{
  g_assert_no_error (response->error);
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));

  return json_node_get_object (response->json);
}

static void
assert_problem (Response   *response,
                guint       status,
                const char *detail_part)
{
  JsonObject *problem = response_object (response);

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, "application/problem+json");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (problem, "title"));
  if (detail_part != NULL)
    g_assert_nonnull (strstr (json_object_get_string_member (problem, "detail"), detail_part));
}

/* Creates a prediction and returns its id. */
static char *
create (Fixture    *f,
        const char *target,
        const char *json)
{
  g_autoptr(Response) response = request (f, "POST", target, json, NULL);
  JsonObject *prediction = response_object (response);

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (prediction, "id"));
}

static JsonObject *
get_object (Fixture    *f,
            const char *target)
{
  g_autoptr(Response) response = request (f, "GET", target, NULL, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (response_object (response));
}

typedef struct
{
  Fixture    *fixture;
  const char *collection;
  const char *id;
  GPtrArray  *seen;
  JsonObject *last;
} Poll;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
is_terminal (gpointer data)
{
  Poll *poll = data;
  g_autofree char *target = g_strdup_printf ("/%s/%s", poll->collection, poll->id);
  const char *status;

  g_clear_pointer (&poll->last, json_object_unref);
  poll->last = get_object (poll->fixture, target);
  status = json_object_get_string_member (poll->last, "status");
  g_ptr_array_add (poll->seen, json_object_ref (poll->last));

  return g_str_equal (status, "succeeded") || g_str_equal (status, "failed")
         || g_str_equal (status, "canceled") || g_str_equal (status, "aborted");
}

/* Polls a prediction (or training) until it ends, keeping every state
 * seen along the way in @seen (JsonObject) if given. */
static JsonObject *
wait_terminal (Fixture    *f,
               const char *collection,
               const char *id,
               GPtrArray  *seen)
{
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  Poll poll = { f, collection, id, seen != NULL ? seen : states, NULL };
  guint ticker = g_timeout_add (2, tick_cb, NULL);

  g_assert_true (lk_test_wait_for (is_terminal, &poll, 20000));
  g_source_remove (ticker);

  return poll.last;
}

static GBytes *
download (Fixture    *f,
          const char *url,
          const char *content_type)
{
  g_autoptr(Response) response = request (f, "GET", url, NULL, NULL);

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, content_type);

  return g_bytes_ref (response->body);
}

static void
assert_image (GBytes *bytes)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >=, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >=, 64);
}

static void
test_create_destroy (void)
{
  LkSim *sim = lk_sim_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lk_sim_get_base_url (sim), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (lk_sim_get_base_url (sim), "/v1"));
  lk_sim_stop (sim);
  g_assert_finalize_object (sim);
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) right = NULL;
  g_autoptr(Response) replaced = NULL;

  f->token = "r8_wrong";
  wrong = request (f, "GET", "/account", NULL, NULL);
  assert_problem (wrong, 401, NULL);

  f->token = NULL;
  missing = request (f, "GET", "/predictions", NULL, NULL);
  assert_problem (missing, 401, NULL);

  f->token = LK_SIM_TOKEN;
  right = request (f, "GET", "/account", NULL, NULL);
  g_assert_cmpuint (right->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response_object (right), "username"), ==, "likeness-sim");
  g_assert_cmpstr (json_object_get_string_member (response_object (right), "type"), ==, "user");

  lk_sim_set_token (f->sim, "r8_other");
  replaced = request (f, "GET", "/account", NULL, NULL);
  assert_problem (replaced, 401, NULL);
}

static void
test_model_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) model = get_object (f, "/models/bytedance/flux-pulid");
  JsonObject *version = json_object_get_object_member (model, "latest_version");
  JsonObject *schemas;
  JsonObject *width;

  g_assert_cmpstr (json_object_get_string_member (version, "id"), ==, PULID_VERSION);
  schemas = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
    json_object_get_object_member (version, "openapi_schema"), "components"), "schemas"), "Input");
  width = json_object_get_object_member (json_object_get_object_member (schemas, "properties"), "width");
  g_assert_cmpstr (json_object_get_string_member (width, "type"), ==, "integer");
  g_assert_cmpint (json_object_get_int_member (width, "default"), ==, 896);
  g_assert_cmpint (json_object_get_int_member (width, "minimum"), ==, 256);
  g_assert_cmpint (json_object_get_int_member (width, "maximum"), ==, 1536);
  g_assert_true (json_object_has_member (width, "x-order"));
  g_assert_false (json_object_get_boolean_member (model, "is_official"));
}

typedef struct
{
  const char *name;
  const char *target;
  const char *body;
  const char *field;
  const char *type;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "out-of-range", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"width\": 2048}}",
    "input.width", "number_lte" },
  { "below-minimum", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"num_steps\": 0}}",
    "input.num_steps", "number_gte" },
  { "unknown-field", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"face\": 1}}",
    "input", "additional_property_not_allowed" },
  { "wrong-type", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"num_steps\": \"20\"}}",
    "input.num_steps", "invalid_type" },
  { "fraction-for-integer", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"seed\": 1.5}}",
    "input.seed", "invalid_type" },
  { "null", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"seed\": null}}",
    "input.seed", "invalid_type" },
  { "missing-required", "/predictions",
    "{\"version\": \"" PULID_VERSION "\", \"input\": {\"prompt\": \"a portrait\"}}",
    "input", "required" },
  { "not-in-enum", "/models/black-forest-labs/flux-kontext-pro/predictions",
    "{\"input\": {\"prompt\": \"a portrait\", \"output_format\": \"webp\"}}",
    "input.output_format", "enum" },
  { "tolerance-with-image", "/models/black-forest-labs/flux-kontext-pro/predictions",
    "{\"input\": {\"prompt\": \"x\", \"input_image\": \"" FACE_URL "\", \"safety_tolerance\": 4}}",
    "input.safety_tolerance", "number_lte" },
  { "not-a-uri", "/predictions",
    "{\"version\": \"" INSTANT_ID_VERSION "\", \"input\": {\"image\": \"face.jpg\"}}",
    "input.image", "format" },
  { "input-not-object", "/models/" SCHNELL "/predictions",
    "{\"input\": [\"a cat\"]}",
    "input", "invalid_type" },
};

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  const InvalidCase *c = data;
  g_autoptr(Response) response = request (f, "POST", c->target, c->body, NULL);
  JsonArray *fields;
  JsonObject *field;

  assert_problem (response, 422, c->field);
  fields = json_object_get_array_member (response_object (response), "invalid_fields");
  g_assert_cmpuint (json_array_get_length (fields), ==, 1);
  field = json_array_get_object_element (fields, 0);
  g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, c->field);
  g_assert_cmpstr (json_object_get_string_member (field, "type"), ==, c->type);
  g_assert_cmpstr (json_object_get_string_member (field, "description"), !=, "");

  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 0);
}

static gboolean
has_progress_line (const char *logs)
{
  g_autoptr(GRegex) regex = g_regex_new (TQDM_PATTERN, G_REGEX_MULTILINE, 0, NULL);

  return g_regex_match (regex, logs, 0, NULL);
}

static void
test_prediction_succeeds (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autofree char *id = NULL;
  gboolean progress_while_processing = FALSE;
  JsonArray *output;

  /* 30 s at a scale of 0.01: long enough to be seen processing. */
  lk_sim_set_model_duration (f->sim, "black-forest-labs/flux-dev", 30);
  id = create (f, "/models/black-forest-labs/flux-dev/predictions",
               "{\"input\": {\"prompt\": \"a lighthouse\", \"num_outputs\": 2, \"output_format\": \"png\"}}");
  done = wait_terminal (f, "predictions", id, seen);

  for (guint i = 0; i < seen->len; i++)
    {
      JsonObject *state = g_ptr_array_index (seen, i);

      if (g_str_equal (json_object_get_string_member (state, "status"), "processing")
          && has_progress_line (json_object_get_string_member (state, "logs")))
        progress_while_processing = TRUE;
    }
  g_assert_true (progress_while_processing);

  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (done, "model"), ==, "black-forest-labs/flux-dev");
  g_assert_nonnull (strstr (json_object_get_string_member (done, "logs"), "100%|██████████| 28/28"));
  g_assert_nonnull (json_object_get_string_member (done, "started_at"));
  g_assert_nonnull (json_object_get_string_member (done, "completed_at"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (done, "metrics"), "predict_time"),
                     ==, 30.0);

  output = json_object_get_array_member (done, "output");
  g_assert_cmpuint (json_array_get_length (output), ==, 2);
  first = download (f, json_array_get_string_element (output, 0), "image/png");
  second = download (f, json_array_get_string_element (output, 1), "image/png");
  assert_image (first);
  assert_image (second);
  g_assert_false (g_bytes_equal (first, second));
}

static double
predict_time (Fixture    *f,
              const char *input)
{
  g_autofree char *body = g_strdup_printf ("{\"version\": \"" PULID_VERSION "\", \"input\": %s}", input);
  g_autofree char *id = create (f, "/predictions", body);
  g_autoptr(JsonObject) done = wait_terminal (f, "predictions", id, NULL);

  return json_object_get_double_member (json_object_get_object_member (done, "metrics"), "predict_time");
}

static void
test_duration_range (Fixture       *f,
                     gconstpointer  data)
{
  double first;
  double second;
  double again;
  double seedless;

  lk_sim_set_model_duration_range (f->sim, "bytedance/flux-pulid", 10, 20);
  first = predict_time (f, "{\"main_face_image\": \"" FACE_URL "\", \"prompt\": \"a\", \"seed\": 1}");
  second = predict_time (f, "{\"main_face_image\": \"" FACE_URL "\", \"prompt\": \"a\", \"seed\": 2}");
  again = predict_time (f, "{\"main_face_image\": \"" FACE_URL "\", \"prompt\": \"b\", \"seed\": 1}");
  seedless = predict_time (f, "{\"main_face_image\": \"" FACE_URL "\", \"prompt\": \"a\"}");

  /* Runs vary within the range; a seed always takes the same time. */
  g_assert_cmpfloat (first, >=, 10);
  g_assert_cmpfloat (first, <=, 20);
  g_assert_cmpfloat (second, >=, 10);
  g_assert_cmpfloat (second, <=, 20);
  g_assert_cmpfloat (first, !=, second);
  g_assert_cmpfloat (again, ==, first);
  g_assert_cmpfloat (seedless, ==, 15);
}

static void
test_single_output (Fixture       *f,
                    gconstpointer  data)
{
  const char * const wait[] = { "Prefer", "wait=10", NULL };
  g_autoptr(Response) response = NULL;
  g_autoptr(GBytes) image = NULL;
  JsonObject *prediction;

  response = request (f, "POST", "/models/black-forest-labs/flux-kontext-pro/predictions",
                      "{\"input\": {\"prompt\": \"make it snow\", \"input_image\": \"" FACE_URL "\", \"output_format\": \"jpg\"}}",
                      wait);
  prediction = response_object (response);

  g_assert_cmpstr (json_object_get_string_member (prediction, "status"), ==, "succeeded");
  image = download (f, json_object_get_string_member (prediction, "output"), "image/jpeg");
  assert_image (image);
}

static void
test_prefer_wait (Fixture       *f,
                  gconstpointer  data)
{
  const char * const wait[] = { "Prefer", "wait=5", NULL };
  const char * const short_wait[] = { "Prefer", "wait=1", NULL };
  g_autoptr(Response) quick = NULL;
  g_autoptr(Response) slow = NULL;
  JsonObject *prediction;

  quick = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"a cat\"}}", wait);
  g_assert_cmpuint (quick->status, ==, 201);
  prediction = response_object (quick);
  g_assert_cmpstr (json_object_get_string_member (prediction, "status"), ==, "succeeded");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (prediction, "output")), ==, 1);

  /* 10 s scaled is longer than the wait: the answer comes back unfinished. */
  lk_sim_set_model_duration (f->sim, "bytedance/flux-pulid", 1000);
  slow = request (f, "POST", "/predictions",
                  "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\"}}",
                  short_wait);
  g_assert_cmpuint (slow->status, ==, 201);
  prediction = response_object (slow);
  g_assert_true (g_str_equal (json_object_get_string_member (prediction, "status"), "starting")
                 || g_str_equal (json_object_get_string_member (prediction, "status"), "processing"));
  g_assert_true (json_object_get_null_member (prediction, "output"));
}

static void
test_version_references (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Response) community_official = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(JsonObject) with_name = NULL;
  g_autofree char *by_name = NULL;
  g_autofree char *by_official_name = NULL;

  by_name = create (f, "/predictions",
                    "{\"version\": \"bytedance/flux-pulid:" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\"}}");
  by_official_name = create (f, "/predictions", "{\"version\": \"" SCHNELL "\", \"input\": {\"prompt\": \"x\"}}");
  with_name = lk_sim_dup_prediction (f->sim, by_name);
  g_assert_cmpstr (json_object_get_string_member (with_name, "model"), ==, "bytedance/flux-pulid");
  g_assert_cmpstr (json_object_get_string_member (with_name, "version"), ==, PULID_VERSION);

  community_official = request (f, "POST", "/models/bytedance/flux-pulid/predictions",
                                "{\"input\": {\"main_face_image\": \"" FACE_URL "\"}}", NULL);
  assert_problem (community_official, 404, "not an official model");

  unknown = request (f, "POST", "/predictions", "{\"version\": \"0123abcd\", \"input\": {}}", NULL);
  assert_problem (unknown, 422, "does not exist");

  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 2);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  static const char * const targets[] = {
    "/models/nobody/nothing",
    "/models/bytedance/flux-pulid/versions/0000",
    "/predictions/nosuchprediction",
    "/trainings/nosuchtraining",
    "/files/nosuchfile",
    "/no/such/endpoint",
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(Response) response = request (f, "GET", targets[i], NULL, NULL);

      assert_problem (response, 404, NULL);
    }
}

/* Follows `next` from @target to the end; returns the ids in order and
 * checks that every `next` is a full URL on the simulator. */
static GPtrArray *
list_all (Fixture    *f,
          const char *target,
          guint      *pages)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = g_strdup (target);

  *pages = 0;
  while (next != NULL)
    {
      g_autoptr(JsonObject) page = get_object (f, next);
      JsonArray *results = json_object_get_array_member (page, "results");

      for (guint i = 0; i < json_array_get_length (results); i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (results, i), "id")));

      g_free (next);
      next = json_object_get_null_member (page, "next") ? NULL : g_strdup (json_object_get_string_member (page, "next"));
      g_assert_true (next == NULL || g_str_has_prefix (next, f->base));
      (*pages)++;
    }

  return ids;
}

static void
test_list_pagination (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) older = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *filtered = NULL;
  guint pages;

  lk_sim_set_page_size (f->sim, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"input\": {\"prompt\": \"image %u\"}}", i);

      g_ptr_array_add (ids, create (f, "/models/" SCHNELL "/predictions", body));
    }

  /* Newest first, two per page, every prediction once. */
  listed = list_all (f, "/predictions", &pages);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (listed->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (g_ptr_array_index (listed, i), ==, g_ptr_array_index (ids, 4 - i));

  /* created_after keeps the third and later, and `next` keeps the filter. */
  third = lk_sim_dup_prediction (f->sim, g_ptr_array_index (ids, 2));
  escaped = g_uri_escape_string (json_object_get_string_member (third, "created_at"), NULL, FALSE);
  filtered = g_strdup_printf ("/predictions?created_after=%s", escaped);
  recent = list_all (f, filtered, &pages);
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (recent->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (recent, 2), ==, g_ptr_array_index (ids, 2));

  /* created_before keeps the two older ones. */
  g_free (filtered);
  filtered = g_strdup_printf ("/predictions?created_before=%s", escaped);
  older = list_all (f, filtered, &pages);
  g_assert_cmpuint (older->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (older, 0), ==, g_ptr_array_index (ids, 1));
  g_assert_cmpstr (g_ptr_array_index (older, 1), ==, g_ptr_array_index (ids, 0));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char * const deadline[] = { "Cancel-After", "5s", NULL };
  const char * const too_soon[] = { "Cancel-After", "2s", NULL };
  g_autoptr(Response) canceled = NULL;
  g_autoptr(Response) early = NULL;
  g_autoptr(JsonObject) ended = NULL;
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *deadlined = NULL;

  lk_sim_set_model_duration (f->sim, "bytedance/flux-pulid", 1000);
  id = create (f, "/predictions",
               "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\"}}");
  target = g_strdup_printf ("/predictions/%s/cancel", id);
  canceled = request (f, "POST", target, NULL, NULL);
  g_assert_cmpuint (canceled->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response_object (canceled), "status"), ==, "canceled");
  g_assert_true (json_object_has_member (response_object (canceled), "metrics"));

  /* Cancel-After: 5 s, scaled to 50 ms, ends a 10 s run canceled. */
  {
    g_autoptr(Response) response = request (f, "POST", "/predictions",
                                            "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"seed\": 1}}",
                                            deadline);

    deadlined = g_strdup (json_object_get_string_member (response_object (response), "id"));
    g_assert_nonnull (json_object_get_string_member (response_object (response), "deadline"));
  }
  ended = wait_terminal (f, "predictions", deadlined, NULL);
  g_assert_cmpstr (json_object_get_string_member (ended, "status"), ==, "canceled");

  early = request (f, "POST", "/predictions",
                   "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\"}}",
                   too_soon);
  assert_problem (early, 400, "at least 5 seconds");
}

static void
test_outputs_expire (Fixture       *f,
                     gconstpointer  data)
{
  const char * const wait[] = { "Prefer", "wait=10", NULL };
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) expired = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *target = NULL;

  created = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"a cat\"}}", wait);
  id = g_strdup (json_object_get_string_member (response_object (created), "id"));
  url = g_strdup (json_array_get_string_element (json_object_get_array_member (response_object (created), "output"), 0));
  image = download (f, url, "image/png");

  lk_sim_set_output_lifetime (f->sim, 0);
  expired = request (f, "GET", url, NULL, NULL);
  g_assert_cmpuint (expired->status, ==, 404);

  target = g_strdup_printf ("/predictions/%s", id);
  removed = get_object (f, target);
  g_assert_true (json_object_get_boolean_member (removed, "data_removed"));
  g_assert_true (json_object_get_null_member (removed, "output"));
  g_assert_cmpstr (json_object_get_string_member (removed, "status"), ==, "succeeded");
}

static void
test_data_uri_outputs (Fixture       *f,
                       gconstpointer  data)
{
  const char * const wait[] = { "Prefer", "wait=10", NULL };
  g_autoptr(Response) response = NULL;
  g_autoptr(GBytes) image = NULL;
  const char *output;
  guchar *decoded;
  gsize length;

  lk_sim_set_data_uri_outputs (f->sim, TRUE);
  response = request (f, "POST", "/models/" SCHNELL "/predictions",
                      "{\"input\": {\"prompt\": \"a cat\", \"output_format\": \"png\"}}", wait);
  output = json_array_get_string_element (json_object_get_array_member (response_object (response), "output"), 0);

  g_assert_true (g_str_has_prefix (output, "data:image/png;base64,"));
  decoded = g_base64_decode (output + strlen ("data:image/png;base64,"), &length);
  image = g_bytes_new_take (decoded, length);
  assert_image (image);
}

/* A multipart body of a file of @size bytes, produced as it is read, so
 * a test can send more than 100 MiB without holding it. */
typedef struct
{
  GInputStream  parent_instance;
  GBytes       *head;
  GBytes       *tail;
  goffset       file_size;
  goffset       position;
} TestUploadStream;

typedef GInputStreamClass TestUploadStreamClass;

G_DEFINE_TYPE (TestUploadStream, test_upload_stream, G_TYPE_INPUT_STREAM)

static gssize
test_upload_stream_read (GInputStream  *stream,
                         void          *buffer,
                         gsize          count,
                         GCancellable  *cancellable,
                         GError       **error)
{
  TestUploadStream *self = (TestUploadStream *) stream;
  goffset head_size = g_bytes_get_size (self->head);
  goffset tail_start = head_size + self->file_size;
  goffset total = tail_start + g_bytes_get_size (self->tail);
  gsize n = MIN ((goffset) count, total - self->position);

  for (gsize i = 0; i < n; i++)
    {
      goffset at = self->position + i;
      guint8 byte;

      if (at < head_size)
        byte = ((const guint8 *) g_bytes_get_data (self->head, NULL))[at];
      else if (at < tail_start)
        byte = 'x';
      else
        byte = ((const guint8 *) g_bytes_get_data (self->tail, NULL))[at - tail_start];
      ((guint8 *) buffer)[i] = byte;
    }

  self->position += n;
  return n;
}

static gboolean
test_upload_stream_close (GInputStream  *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return TRUE;
}

static void
test_upload_stream_finalize (GObject *object)
{
  TestUploadStream *self = (TestUploadStream *) object;

  g_bytes_unref (self->head);
  g_bytes_unref (self->tail);

  G_OBJECT_CLASS (test_upload_stream_parent_class)->finalize (object);
}

static void
test_upload_stream_class_init (TestUploadStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_upload_stream_finalize;
  klass->read_fn = test_upload_stream_read;
  klass->close_fn = test_upload_stream_close;
}

static void
test_upload_stream_init (TestUploadStream *self)
{
}

#define BOUNDARY "lk-test-boundary-7d1f"

static Response *
upload (Fixture    *f,
        goffset     file_size,
        const char *metadata)
{
  g_autoptr(SoupMessage) msg = new_message (f, "POST", "/files");
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *tail = g_strdup ("\r\n--" BOUNDARY "--\r\n");
  g_autofree char *content_type = g_strdup ("multipart/form-data; boundary=" BOUNDARY);
  TestUploadStream *stream = g_object_new (test_upload_stream_get_type (), NULL);
  Response *response;

  if (metadata != NULL)
    g_string_append_printf (head, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                            "Content-Type: application/json\r\n\r\n%s\r\n", metadata);
  g_string_append (head, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"photos.zip\"\r\n"
                   "Content-Type: application/zip\r\n\r\n");

  stream->file_size = file_size;
  stream->tail = g_bytes_new (tail, strlen (tail));
  stream->head = g_bytes_new (head->str, head->len);
  soup_message_set_request_body (msg, content_type, G_INPUT_STREAM (stream),
                                 head->len + file_size + strlen (tail));
  g_object_unref (stream);

  response = send_message (f, msg);
  return response;
}

static char *
expected_sha256 (gsize size)
{
  g_autofree guint8 *data = g_malloc (size);

  memset (data, 'x', size);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}

/* Runs flux-pulid on @face_url and returns the prediction once it ends. */
static JsonObject *
run_with_face (Fixture    *f,
               const char *face_url)
{
  g_autofree char *body = g_strdup_printf ("{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"%s\", \"seed\": %d}}",
                                           face_url, g_test_rand_int_range (0, G_MAXINT32));
  g_autofree char *id = create (f, "/predictions", body);

  return wait_terminal (f, "predictions", id, NULL);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) created = upload (f, 300000, "{\"purpose\": \"test\"}");
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(JsonObject) used = NULL;
  g_autoptr(JsonObject) dead = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autofree char *sha256 = expected_sha256 (300000);
  g_autofree char *target = NULL;
  JsonObject *file = response_object (created);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 300000);
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "application/zip");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (file, "checksums"), "sha256"), ==, sha256);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (file, "metadata"), "purpose"), ==, "test");
  g_assert_nonnull (json_object_get_string_member (file, "expires_at"));

  target = g_strdup (json_object_get_string_member (json_object_get_object_member (file, "urls"), "get"));
  g_assert_true (g_str_has_prefix (target, f->base));
  fetched = get_object (f, target);
  g_assert_cmpstr (json_object_get_string_member (fetched, "id"), ==, json_object_get_string_member (file, "id"));

  used = run_with_face (f, target);
  g_assert_cmpstr (json_object_get_string_member (used, "status"), ==, "succeeded");

  deleted = request (f, "DELETE", target, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  gone = request (f, "GET", target, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 404);

  /* A run whose input file is gone fails, as a dead link fails on Replicate. */
  dead = run_with_face (f, target);
  g_assert_cmpstr (json_object_get_string_member (dead, "status"), ==, "failed");
  g_assert_nonnull (strstr (json_object_get_string_member (dead, "error"), target));
}

static void
test_file_too_large (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) over = upload (f, 100 * MIB + 1, NULL);
  g_autoptr(Response) at_limit = NULL;

  assert_problem (over, 413, "less than 100MB");

  at_limit = upload (f, 100 * MIB, NULL);
  g_assert_cmpuint (at_limit->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (response_object (at_limit), "size"), ==, 100 * MIB);
}

/* A body announced far over the limit is refused from its headers alone,
 * before the client sends it, when the client asks first. */
static void
test_file_refused_early (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *head = g_strdup_printf ("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer " LK_SIM_TOKEN "\r\n"
                                           "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n"
                                           "Expect: 100-continue\r\nConnection: close\r\n"
                                           "Content-Length: %d\r\n\r\n", 200 * MIB);
  char answer[512] = { 0 };
  gsize read = 0;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                           answer, sizeof answer - 1, &read, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (answer, "less than 100MB"));
}

static void
test_training (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) trainer = get_object (f, "/models/" TRAINER);
  g_autoptr(Response) model = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) destination = NULL;
  g_autoptr(JsonObject) versions = NULL;
  g_autoptr(GBytes) weights = NULL;
  g_autofree char *trainings = NULL;
  g_autofree char *run = NULL;
  g_autofree char *id = NULL;
  const char *trainer_version = json_object_get_string_member (json_object_get_object_member (trainer, "latest_version"), "id");
  const char *version;
  const char *input = "{\"input_images\": \"https://example.com/photos.zip\", \"trigger_word\": \"LKPERSON\", \"steps\": 100}";
  g_autofree char *missing_body = g_strdup_printf ("{\"destination\": \"likeness-sim/nobody\", \"input\": %s}", input);
  g_autofree char *body = g_strdup_printf ("{\"destination\": \"likeness-sim/me-lora\", \"input\": %s}", input);

  trainings = g_strdup_printf ("/models/" TRAINER "/versions/%s/trainings", trainer_version);
  missing = request (f, "POST", trainings, missing_body, NULL);
  assert_problem (missing, 404, "The specified training destination does not exist");

  model = request (f, "POST", "/models",
                   "{\"owner\": \"likeness-sim\", \"name\": \"me-lora\", \"visibility\": \"private\", \"hardware\": \"gpu-t4\"}",
                   NULL);
  g_assert_cmpuint (model->status, ==, 201);
  g_assert_true (json_object_get_null_member (response_object (model), "latest_version"));
  g_assert_true (json_object_get_null_member (response_object (model), "description"));
  g_assert_cmpstr (json_object_get_string_member (response_object (model), "visibility"), ==, "private");

  lk_sim_set_model_duration (f->sim, TRAINER, 30);
  created = request (f, "POST", trainings, body, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  id = g_strdup (json_object_get_string_member (response_object (created), "id"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_object_get_object_member (response_object (created), "urls"), "get"),
                                   id));

  done = wait_terminal (f, "trainings", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "succeeded");
  g_assert_nonnull (strstr (json_object_get_string_member (done, "logs"), "| 100/100 ["));
  version = json_object_get_string_member (json_object_get_object_member (done, "output"), "version");
  g_assert_true (g_str_has_prefix (version, "likeness-sim/me-lora:"));
  g_assert_cmpuint (strlen (version), ==, strlen ("likeness-sim/me-lora:") + 64);

  weights = download (f, json_object_get_string_member (json_object_get_object_member (done, "output"), "weights"),
                      "application/x-tar");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (weights, NULL), g_bytes_get_size (weights), "lora.safetensors"));

  /* The destination now runs with the trained version's inputs. */
  versions = get_object (f, "/models/likeness-sim/me-lora/versions");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (versions, "results")), ==, 1);
  destination = get_object (f, "/models/likeness-sim/me-lora");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (destination, "latest_version"), "id"),
                   ==, strchr (version, ':') + 1);
  run = g_strdup_printf ("{\"version\": \"%s\", \"input\": {\"prompt\": \"LKPERSON smiling\", \"lora_scale\": 0.9}}", version);
  g_free (create (f, "/predictions", run));
}

static void
test_models_create_and_cancel_training (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) elsewhere = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) canceled = NULL;
  g_autoptr(Response) model = NULL;
  g_autofree char *target = NULL;

  model = request (f, "POST", "/models",
                   "{\"owner\": \"likeness-sim\", \"name\": \"lora\", \"visibility\": \"private\", \"hardware\": \"gpu-t4\"}",
                   NULL);
  g_assert_cmpuint (model->status, ==, 201);
  again = request (f, "POST", "/models",
                   "{\"owner\": \"likeness-sim\", \"name\": \"lora\", \"visibility\": \"private\", \"hardware\": \"gpu-t4\"}",
                   NULL);
  assert_problem (again, 409, NULL);
  elsewhere = request (f, "POST", "/models",
                       "{\"owner\": \"someone-else\", \"name\": \"lora\", \"visibility\": \"private\", \"hardware\": \"gpu-t4\"}",
                       NULL);
  assert_problem (elsewhere, 403, NULL);

  created = request (f, "POST", "/models/" TRAINER "/versions/1c95756ae0501562d9daae9fa29016e7163e06a41ea65240bd04f1f02cce8fce/trainings",
                     "{\"destination\": \"likeness-sim/lora\", \"input\": {\"input_images\": \"https://example.com/a.zip\"}}",
                     NULL);
  g_assert_cmpuint (created->status, ==, 201);

  target = g_strdup_printf ("/trainings/%s/cancel", json_object_get_string_member (response_object (created), "id"));
  canceled = request (f, "POST", target, NULL, NULL);
  g_assert_cmpuint (canceled->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response_object (canceled), "status"), ==, "canceled");
}

static void
add_faults (Fixture    *f,
            const char *plan)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_add_faults (f->sim, plan, &error));
  g_assert_no_error (error);
}

static void
test_delete_version (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = lk_sim_add_trained_version (f->sim, "likeness-sim/lora");
  g_autofree char *second = lk_sim_add_trained_version (f->sim, "likeness-sim/lora");
  g_autofree char *target = g_strdup_printf ("/models/likeness-sim/lora/versions/%s", second);
  g_autofree char *run = g_strdup_printf ("{\"version\": \"likeness-sim/lora:%s\", \"input\": {\"prompt\": \"x\"}}", second);
  g_autofree char *bare_run = g_strdup_printf ("{\"version\": \"%s\", \"input\": {\"prompt\": \"x\"}}", second);
  g_autofree char *logged = g_strconcat ("/v1", target, NULL);
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(Response) refused_run = NULL;
  g_autoptr(Response) refused_bare_run = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(JsonObject) model = NULL;

  deleted = request (f, "DELETE", target, NULL, NULL);
  g_assert_no_error (deleted->error);
  g_assert_cmpuint (deleted->status, ==, 202);
  g_assert_null (deleted->json);

  /* Gone at once: not served, not runnable, no longer the latest. */
  gone = request (f, "GET", target, NULL, NULL);
  assert_problem (gone, 404, NULL);
  refused_run = request (f, "POST", "/predictions", run, NULL);
  assert_problem (refused_run, 422, "does not exist");
  refused_bare_run = request (f, "POST", "/predictions", bare_run, NULL);
  assert_problem (refused_bare_run, 422, "does not exist");
  model = get_object (f, "/models/likeness-sim/lora");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (model, "latest_version"), "id"), ==, first);

  again = request (f, "DELETE", target, NULL, NULL);
  assert_problem (again, 404, NULL);
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "DELETE", logged), ==, 2);
}

static void
test_delete_version_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *version = NULL;
  g_autofree char *public_target = NULL;
  g_autoptr(Response) elsewhere = NULL;
  g_autoptr(Response) unknown_model = NULL;
  g_autoptr(Response) unknown_version = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) public_model = NULL;
  g_autoptr(JsonObject) pulid = NULL;

  elsewhere = request (f, "DELETE", "/models/bytedance/flux-pulid/versions/" PULID_VERSION, NULL, NULL);
  assert_problem (elsewhere, 403, "models you own");
  pulid = get_object (f, "/models/bytedance/flux-pulid/versions/" PULID_VERSION);
  g_assert_cmpstr (json_object_get_string_member (pulid, "id"), ==, PULID_VERSION);

  unknown_model = request (f, "DELETE", "/models/likeness-sim/nothing/versions/" PULID_VERSION, NULL, NULL);
  assert_problem (unknown_model, 404, NULL);
  version = lk_sim_add_trained_version (f->sim, "likeness-sim/lora");
  unknown_version = request (f, "DELETE", "/models/likeness-sim/lora/versions/" PULID_VERSION, NULL, NULL);
  assert_problem (unknown_version, 404, NULL);

  created = request (f, "POST", "/models",
                     "{\"owner\": \"likeness-sim\", \"name\": \"shown\", \"visibility\": \"public\", \"hardware\": \"gpu-t4\"}",
                     NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_free (version);
  version = lk_sim_add_trained_version (f->sim, "likeness-sim/shown");
  public_target = g_strdup_printf ("/models/likeness-sim/shown/versions/%s", version);
  public_model = request (f, "DELETE", public_target, NULL, NULL);
  assert_problem (public_model, 403, "private models");
}

static void
test_delete_version_fault (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *version = lk_sim_add_trained_version (f->sim, "likeness-sim/lora");
  g_autofree char *target = g_strdup_printf ("/models/likeness-sim/lora/versions/%s", version);
  g_autoptr(Response) failed = NULL;
  g_autoptr(Response) still_there = NULL;
  g_autoptr(Response) deleted = NULL;

  add_faults (f, "[{\"method\": \"DELETE\", \"path\": \"/v1/models/*/versions/*\", \"fault\": \"status\", \"status\": 503}]");
  failed = request (f, "DELETE", target, NULL, NULL);
  assert_problem (failed, 503, NULL);
  still_there = request (f, "GET", target, NULL, NULL);
  g_assert_cmpuint (still_there->status, ==, 200);
  deleted = request (f, "DELETE", target, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 202);
}

static void
test_fault_times_skip (Fixture       *f,
                       gconstpointer  data)
{
  static const guint expected[] = { 200, 503, 503, 200, 200 };
  g_autoptr(GPtrArray) log = NULL;

  add_faults (f, "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 503, \"skip\": 1, \"times\": 2}]");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(Response) response = request (f, "GET", "/account", NULL, NULL);

      g_assert_cmpuint (response->status, ==, expected[i]);
    }

  log = lk_sim_get_requests (f->sim);
  g_assert_cmpuint (log->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < log->len; i++)
    {
      LkSimRequest *entry = g_ptr_array_index (log, i);

      g_assert_cmpstr (entry->method, ==, "GET");
      g_assert_cmpstr (entry->path, ==, "/v1/account");
      g_assert_cmpuint (entry->status, ==, expected[i]);
      if (i > 0)
        g_assert_cmpint (entry->time_us, >=, ((LkSimRequest *) g_ptr_array_index (log, i - 1))->time_us);
    }
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "GET", "/v1/acc"), ==, 5);
  g_assert_cmpuint (lk_sim_count_requests (f->sim, "POST", NULL), ==, 0);
}

static void
test_fault_always_and_method (Fixture       *f,
                              gconstpointer  data)
{
  add_faults (f, "[{\"method\": \"POST\", \"fault\": \"status\", \"status\": 502, \"times\": 0}]");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) post = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"x\"}}", NULL);
      g_autoptr(Response) get = request (f, "GET", "/account", NULL, NULL);

      assert_problem (post, 502, NULL);
      g_assert_cmpuint (get->status, ==, 200);
    }

  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 0);
  lk_sim_clear_faults (f->sim);
  g_free (create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"x\"}}"));
}

static void
test_fault_retry_after (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) header = NULL;
  g_autoptr(Response) body = NULL;
  g_autoptr(Response) date = NULL;
  g_autoptr(Response) throttled = NULL;
  g_autoptr(GDateTime) when = NULL;
  JsonObject *problem;

  add_faults (f, "[{\"fault\": \"status\", \"status\": 429, \"retry_after\": 7},"
                 " {\"fault\": \"status\", \"status\": 429, \"retry_after\": 3, \"retry_after_in\": \"body\"},"
                 " {\"fault\": \"status\", \"status\": 429, \"retry_after\": 30, \"retry_after_date\": true},"
                 " {\"fault\": \"throttled\", \"retry_after\": 12}]");

  header = request (f, "GET", "/account", NULL, NULL);
  assert_problem (header, 429, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (header->headers, "Retry-After"), ==, "7");
  g_assert_false (json_object_has_member (response_object (header), "retry_after"));

  body = request (f, "GET", "/account", NULL, NULL);
  assert_problem (body, 429, NULL);
  g_assert_null (soup_message_headers_get_one (body->headers, "Retry-After"));
  g_assert_cmpfloat (json_object_get_double_member (response_object (body), "retry_after"), ==, 3);

  date = request (f, "GET", "/account", NULL, NULL);
  when = soup_date_time_new_from_http_string (soup_message_headers_get_one (date->headers, "Retry-After"));
  g_assert_nonnull (when);

  throttled = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"x\"}}", NULL);
  assert_problem (throttled, 429, "reduced to 6 requests per minute with a burst of 1");
  problem = response_object (throttled);
  g_assert_cmpfloat (json_object_get_double_member (problem, "retry_after"), ==, 12);
  g_assert_cmpstr (soup_message_headers_get_one (throttled->headers, "Retry-After"), ==, "12");
}

static void
test_fault_drop_after_creates (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Response) dropped = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GPtrArray) log = NULL;
  JsonArray *results;
  LkSimRequest *entry;

  add_faults (f, "[{\"method\": \"POST\", \"path\": \"/v1/predictions\", \"fault\": \"drop-after\"}]");
  dropped = request (f, "POST", "/predictions",
                     "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\", \"seed\": 42}}",
                     NULL);

  /* The client got no answer, yet the prediction exists. */
  g_assert_nonnull (dropped->error);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 1);
  page = get_object (f, "/predictions");
  results = json_object_get_array_member (page, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_array_get_object_element (results, 0), "input"), "seed"),
                   ==, 42);

  /* One POST, answered by nothing, then the GET. */
  log = lk_sim_get_requests (f->sim);
  g_assert_cmpuint (log->len, ==, 2);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpstr (entry->method, ==, "POST");
  g_assert_cmpuint (entry->status, ==, 0);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);
}

static void
test_fault_drop_before (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) dropped = NULL;
  g_autoptr(GPtrArray) log = NULL;

  add_faults (f, "[{\"model\": \"" SCHNELL "\", \"fault\": \"drop-before\"}]");
  dropped = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"x\"}}", NULL);

  g_assert_nonnull (dropped->error);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 0);
  log = lk_sim_get_requests (f->sim);
  g_assert_cmpuint (((LkSimRequest *) g_ptr_array_index (log, 0))->status, ==, 0);
}

static void
test_fault_model_filter (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Response) other = NULL;
  g_autoptr(Response) matched = NULL;

  add_faults (f, "[{\"model\": \"bytedance/flux-pulid\", \"fault\": \"status\", \"status\": 402}]");

  other = request (f, "POST", "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"x\"}}", NULL);
  g_assert_cmpuint (other->status, ==, 201);

  matched = request (f, "POST", "/predictions",
                     "{\"version\": \"" PULID_VERSION "\", \"input\": {\"main_face_image\": \"" FACE_URL "\"}}",
                     NULL);
  assert_problem (matched, 402, "billing");
}

static void
test_fault_outcomes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) failed = NULL;
  g_autoptr(JsonObject) custom = NULL;
  g_autoptr(JsonObject) aborted = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  add_faults (f, "[{\"fault\": \"fail\"},"
                 " {\"fault\": \"fail\", \"error\": \"CUDA out of memory\"},"
                 " {\"fault\": \"abort\"}]");

  /* A request that creates nothing leaves outcome rules alone. */
  {
    g_autoptr(Response) account = request (f, "GET", "/account", NULL, NULL);

    g_assert_cmpuint (account->status, ==, 200);
  }
  first = create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"a\"}}");
  second = create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"b\"}}");
  third = create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"c\"}}");

  failed = wait_terminal (f, "predictions", first, NULL);
  g_assert_cmpstr (json_object_get_string_member (failed, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (failed, "error"), ==,
                   "NSFW content detected. Try running it again, or try a different prompt.");
  g_assert_true (json_object_get_null_member (failed, "output"));

  custom = wait_terminal (f, "predictions", second, NULL);
  g_assert_cmpstr (json_object_get_string_member (custom, "error"), ==, "CUDA out of memory");

  aborted = wait_terminal (f, "predictions", third, NULL);
  g_assert_cmpstr (json_object_get_string_member (aborted, "status"), ==, "aborted");
  g_assert_true (json_object_get_null_member (aborted, "started_at"));
}

static void
test_fault_malformed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Response) response = NULL;

  add_faults (f, "[{\"path\": \"/v1/account\", \"fault\": \"malformed\"}]");
  response = request (f, "GET", "/account", NULL, NULL);

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_null (response->json);
}

static void
test_fault_slow (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) response = NULL;
  gint64 start = g_get_monotonic_time ();

  add_faults (f, "[{\"path\": \"/v1/account\", \"fault\": \"slow\", \"delay\": 0.2}]");
  response = request (f, "GET", "/account", NULL, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  /* A lower bound only: the answer cannot come before the delay. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

static void
test_fault_plan_control (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) bad = NULL;
  g_autoptr(Response) good = NULL;
  g_autoptr(Response) faulted = NULL;
  g_autoptr(Response) cleared = NULL;
  g_autoptr(Response) log = NULL;
  g_autoptr(Response) after = NULL;
  g_autofree char *faults_url = g_strconcat (f->root, "/_sim/faults", NULL);
  g_autofree char *log_url = g_strconcat (f->root, "/_sim/log", NULL);

  g_assert_false (lk_sim_add_faults (f->sim, "[{\"fault\": \"explode\"}]", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (lk_sim_add_faults (f->sim, "[{\"fault\": \"status\"}]", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (lk_sim_add_faults (f->sim, "{}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  f->token = NULL;
  bad = request (f, "POST", faults_url, "[{\"fault\": \"status\", \"staus\": 500}]", NULL);
  assert_problem (bad, 400, "staus");
  good = request (f, "POST", faults_url, "[{\"path\": \"/v1/account\", \"fault\": \"status\", \"status\": 500}]", NULL);
  g_assert_cmpuint (good->status, ==, 204);

  f->token = LK_SIM_TOKEN;
  faulted = request (f, "GET", "/account", NULL, NULL);
  assert_problem (faulted, 500, NULL);

  /* A rule that has fired its times is spent; a deleted plan fires no more. */
  f->token = NULL;
  cleared = request (f, "DELETE", faults_url, NULL, NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  log = request (f, "GET", log_url, NULL, NULL);
  g_assert_cmpuint (log->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log->json)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (log->json), 0), "status"),
                   ==, 500);

  f->token = LK_SIM_TOKEN;
  after = request (f, "GET", "/account", NULL, NULL);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_creates_per_input (Fixture       *f,
                        gconstpointer  data)
{
  g_free (create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"a\", \"seed\": 1}}"));
  g_free (create (f, "/models/" SCHNELL "/predictions", "{\"input\": {\"prompt\": \"a\", \"seed\": 2}}"));
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 1);

  /* The same input with its keys in another order is a duplicate. */
  g_free (create (f, "/predictions", "{\"version\": \"" SCHNELL "\", \"input\": {\"seed\": 1, \"prompt\": \"a\"}}"));
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (f->sim), ==, 2);
  g_assert_cmpuint (lk_sim_get_prediction_count (f->sim), ==, 3);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
has_prediction (gpointer data)
{
  return lk_sim_get_prediction_count (data) == 1;
}

/* Stopping the server while it holds a Prefer: wait answer releases it:
 * the client sees the connection end, and nothing leaks. */
static void
test_stop_while_waiting (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"input\": {\"prompt\": \"x\"}}", strlen ("{\"input\": {\"prompt\": \"x\"}}"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LkSim *sim = lk_sim_new ();
  guint ticker;

  lk_sim_set_model_duration (sim, SCHNELL, 3600);
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);

  url = g_strdup_printf ("%s/models/" SCHNELL "/predictions", lk_sim_get_base_url (sim));
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " LK_SIM_TOKEN);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer", "wait=60");
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb, &result);

  ticker = g_timeout_add (2, tick_cb, NULL);
  g_assert_true (lk_test_wait_for (has_prediction, sim, 10000));
  lk_sim_stop (sim);
  g_assert_true (lk_test_wait_for (has_result, &result, 10000));
  g_source_remove (ticker);

  answer = soup_session_send_and_read_finish (session, result, &error);
  g_assert_nonnull (error);
  g_assert_null (answer);
  g_assert_finalize_object (sim);
}

#define MULTIPART_BODY \
  "preamble\r\n" \
  "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"a\": 1}\r\n" \
  "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"face.jpg\"\r\n" \
  "Content-Type: image/jpeg\r\n\r\n" MULTIPART_FILE "\r\n" \
  "--" BOUNDARY "--\r\nepilogue"

/* File bytes that start like the delimiter, short of the whole boundary
 * (which RFC 2046 keeps out of the content), to trip a reader that
 * matches too early. */
#define MULTIPART_FILE "\r\n--lk-test\r\n--lk-test-boundary-7d1\r\n-"

static void
test_multipart_chunks (void)
{
  static const gsize chunk_sizes[] = { 1, 2, 3, 7, 64, sizeof (MULTIPART_BODY) };
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, MULTIPART_FILE, -1);

  for (guint i = 0; i < G_N_ELEMENTS (chunk_sizes); i++)
    {
      g_autoptr(LkSimUpload) upload = lk_sim_upload_new (BOUNDARY);
      g_autoptr(GError) error = NULL;
      const char *body = MULTIPART_BODY;
      gsize length = strlen (body);

      for (gsize at = 0; at < length; at += chunk_sizes[i])
        lk_sim_upload_feed (upload, (const guint8 *) body + at, MIN (chunk_sizes[i], length - at));

      g_assert_true (lk_sim_upload_finish (upload, &error));
      g_assert_no_error (error);
      g_assert_cmpint (lk_sim_upload_get_size (upload), ==, strlen (MULTIPART_FILE));
      g_assert_cmpstr (lk_sim_upload_get_sha256 (upload), ==, sha256);
      g_assert_cmpstr (lk_sim_upload_get_filename (upload), ==, "face.jpg");
      g_assert_cmpstr (lk_sim_upload_get_content_type (upload), ==, "image/jpeg");
      g_assert_cmpstr (lk_sim_upload_get_metadata (upload), ==, "{\"a\": 1}");
    }
}

static void
test_multipart_broken (gconstpointer data)
{
  g_autoptr(LkSimUpload) upload = lk_sim_upload_new (BOUNDARY);
  g_autoptr(GError) error = NULL;

  lk_sim_upload_feed (upload, data, strlen (data));
  g_assert_false (lk_sim_upload_finish (upload, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_executable (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "replicate-sim", "replicate-sim", NULL);
  const char *argv[] = { path, "--time-scale", "0.01", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *account = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/v1"));

  account = g_strconcat (url, "/account", NULL);
  msg = soup_message_new ("GET", account);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " LK_SIM_TOKEN);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static void
add_test (const char *name,
          void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/lk/sim/%s", name);

  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/sim/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/sim/executable", test_executable);
  g_test_add_func ("/lk/sim/stop-while-waiting", test_stop_while_waiting);
  g_test_add_func ("/lk/sim/multipart/chunks", test_multipart_chunks);
  g_test_add_data_func ("/lk/sim/multipart/unterminated", "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nabc",
                        test_multipart_broken);
  g_test_add_data_func ("/lk/sim/multipart/no-content", "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{}\r\n--" BOUNDARY "--",
                        test_multipart_broken);
  g_test_add_data_func ("/lk/sim/multipart/unnamed", "--" BOUNDARY "\r\nContent-Type: text/plain\r\n\r\nabc\r\n--" BOUNDARY "--",
                        test_multipart_broken);
  add_test ("token", test_token);
  add_test ("model-schema", test_model_schema);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/sim/invalid-input/%s", invalid_cases[i].name);

      g_test_add (path, Fixture, &invalid_cases[i], fixture_set_up, test_invalid_input, fixture_tear_down);
    }
  add_test ("prediction-succeeds", test_prediction_succeeds);
  add_test ("duration-range", test_duration_range);
  add_test ("single-output", test_single_output);
  add_test ("prefer-wait", test_prefer_wait);
  add_test ("version-references", test_version_references);
  add_test ("not-found", test_not_found);
  add_test ("list-pagination", test_list_pagination);
  add_test ("cancel", test_cancel);
  add_test ("outputs-expire", test_outputs_expire);
  add_test ("data-uri-outputs", test_data_uri_outputs);
  add_test ("files", test_files);
  add_test ("file-too-large", test_file_too_large);
  add_test ("file-refused-early", test_file_refused_early);
  add_test ("training", test_training);
  add_test ("models-create-and-cancel-training", test_models_create_and_cancel_training);
  add_test ("delete-version", test_delete_version);
  add_test ("delete-version-refused", test_delete_version_refused);
  add_test ("delete-version-fault", test_delete_version_fault);
  add_test ("fault/times-skip", test_fault_times_skip);
  add_test ("fault/always-and-method", test_fault_always_and_method);
  add_test ("fault/retry-after", test_fault_retry_after);
  add_test ("fault/drop-after-creates", test_fault_drop_after_creates);
  add_test ("fault/drop-before", test_fault_drop_before);
  add_test ("fault/model-filter", test_fault_model_filter);
  add_test ("fault/outcomes", test_fault_outcomes);
  add_test ("fault/malformed", test_fault_malformed);
  add_test ("fault/slow", test_fault_slow);
  add_test ("fault/plan-control", test_fault_plan_control);
  add_test ("creates-per-input", test_creates_per_input);

  return g_test_run ();
}
