/* test-cli-client.c: `likeness-cli account` and `likeness-cli run`, the
 * built program run against the Replicate simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>

#include "lk-sim.h"
#include "lk-test-cli.h"
#include "lk-test-utils.h"

#define SCHNELL "black-forest-labs/flux-schnell"
#define PULID "bytedance/flux-pulid:8baa7ef2255075b46f4d91cd238c21d31181b3e6a864463f967960bb0112525b"
#define DEADLINE_MS 120000

static const char *test_home;

typedef struct
{
  LkSim *sim;
  char  *out;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = lk_sim_new ();
  lk_sim_set_time_scale (fixture->sim, 0.01);
  g_assert_true (lk_sim_start (fixture->sim, &error));
  g_assert_no_error (error);

  fixture->out = g_build_filename (test_home, "out-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->out));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lk_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->out, g_free);
}

static GSubprocess *
spawn (Fixture            *fixture,
       const char         *token,
       const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = lk_test_cli_launcher_new (lk_sim_get_base_url (fixture->sim), token);

  return lk_test_cli_spawnv (launcher, args);
}

static void
run_cli (Fixture            *fixture,
         const char * const *args,
         LkTestCliRun       *run)
{
  g_autoptr(GSubprocess) process = spawn (fixture, LK_SIM_TOKEN, args);

  lk_test_cli_finish (process, run);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static GBytes *
load_image (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 0);
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  return g_bytes_new (contents, size);
}

static void
test_account (Fixture       *fixture,
              gconstpointer  data)
{
  const char * const args[] = { "account", NULL };
  g_auto(LkTestCliRun) result = { 0 };

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Username: likeness-sim"));
  g_assert_nonnull (strstr (result.out, "Type:     user"));
}

static void
test_account_json (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const args[] = { "account", "--json", NULL };
  g_auto(LkTestCliRun) result = { 0 };
  g_autoptr(JsonObject) account = NULL;

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  account = parse_object (result.out);
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, "likeness-sim");
  g_assert_cmpstr (json_object_get_string_member (account, "type"), ==, "user");
}

static void
test_account_bad_token (Fixture       *fixture,
                        gconstpointer  data)
{
  const char * const args[] = { "account", NULL };
  g_autoptr(GSubprocess) process = spawn (fixture, "r8_wrong_token", args);
  g_auto(LkTestCliRun) result = { 0 };

  lk_test_cli_finish (process, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Check your token in Preferences"));
  g_assert_null (strstr (result.err, "r8_wrong_token"));
}

static void
test_run_downloads_images (Fixture       *fixture,
                           gconstpointer  data)
{
  /* num_outputs and go_fast must reach the model as a number and a
   * boolean, or the simulator refuses them. */
  const char * const args[] = {
    "run", SCHNELL, "-i", "prompt=a lighthouse at dusk", "-i", "num_outputs=2", "-i", "go_fast=true",
    "-i", "output_format=png", "--out", fixture->out, "--json", NULL
  };
  g_auto(LkTestCliRun) result = { 0 };
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autofree char *expected = NULL;
  JsonArray *outputs;
  const char *id;

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  summary = parse_object (result.out);
  id = json_object_get_string_member (summary, "id");
  g_assert_cmpstr (json_object_get_string_member (summary, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (summary, "model"), ==, SCHNELL);
  g_assert_cmpfloat (json_object_get_double_member (summary, "predict_time"), >, 0);

  outputs = json_object_get_array_member (summary, "outputs");
  g_assert_cmpuint (json_array_get_length (outputs), ==, 2);
  expected = g_strdup_printf ("%s/%s-0.png", fixture->out, id);
  g_assert_cmpstr (json_array_get_string_element (outputs, 0), ==, expected);

  first = load_image (json_array_get_string_element (outputs, 0));
  second = load_image (json_array_get_string_element (outputs, 1));
  g_assert_false (g_bytes_equal (first, second));
  g_assert_nonnull (strstr (result.err, "Status: succeeded"));
}

static void
test_run_prints_paths (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const args[] = { "run", SCHNELL, "-i", "prompt=a cat", "--out", fixture->out, NULL };
  g_auto(LkTestCliRun) result = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (g_strstrip (result.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], fixture->out));
  g_assert_true (g_file_test (lines[0], G_FILE_TEST_IS_REGULAR));
}

static char *
created_id (const char *err)
{
  const char *start = strstr (err, "Prediction ");

  g_assert_nonnull (start);
  start += strlen ("Prediction ");
  return g_strndup (start, strcspn (start, " "));
}

static void
test_run_uploads_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *face = g_build_filename (test_home, "face.jpg", NULL);
  g_autofree char *input = g_strdup_printf ("main_face_image=@%s", face);
  const char * const args[] = {
    "run", PULID, "-i", "prompt=a portrait", "-i", input, "-i", "num_steps=4", "--out", fixture->out, NULL
  };
  g_auto(LkTestCliRun) result = { 0 };
  g_autoptr(JsonObject) server_view = NULL;
  g_autofree char *id = NULL;
  const char *image;

  g_assert_true (g_file_set_contents (face, "not really a jpeg", -1, NULL));
  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", "/v1/files"), ==, 1);

  /* The model got the uploaded file's URL, not the local path. */
  id = created_id (result.err);
  server_view = lk_sim_dup_prediction (fixture->sim, id);
  image = json_object_get_string_member (json_object_get_object_member (server_view, "input"), "main_face_image");
  g_assert_true (g_str_has_prefix (image, lk_sim_get_base_url (fixture->sim)));
}

static void
test_run_invalid_input (Fixture       *fixture,
                        gconstpointer  data)
{
  const char * const args[] = {
    "run", SCHNELL, "-i", "prompt=a cat", "-i", "num_inference_steps=99", "--out", fixture->out, NULL
  };
  g_auto(LkTestCliRun) result = { 0 };
  g_autoptr(GDir) dir = NULL;

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "num_inference_steps"));
  g_assert_cmpstr (result.out, ==, "");
  dir = g_dir_open (fixture->out, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_run_prefer_wait (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const args[] = { "run", SCHNELL, "-i", "prompt=a cat", "--wait", "60", "--out", fixture->out, NULL };
  g_auto(LkTestCliRun) result = { 0 };

  run_cli (fixture, args, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/predictions/"), ==, 0);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
is_polling (gpointer data)
{
  Fixture *fixture = data;

  return lk_sim_count_requests (fixture->sim, "GET", "/v1/predictions/") > 0;
}

static void
test_run_interrupted (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const args[] = { "run", SCHNELL, "-i", "prompt=a slow one", "--out", fixture->out, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonObject) server_view = NULL;
  g_auto(LkTestCliRun) result = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *cancel_path = NULL;
  guint tick;

  lk_sim_set_model_duration (fixture->sim, SCHNELL, 100000);
  process = spawn (fixture, LK_SIM_TOKEN, args);

  /* The simulator answers from its own thread: wake up to look at it. */
  tick = g_timeout_add (10, tick_cb, NULL);
  g_assert_true (lk_test_wait_for (is_polling, fixture, DEADLINE_MS));
  g_source_remove (tick);

  g_subprocess_send_signal (process, SIGINT);
  lk_test_cli_finish (process, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Status: canceled"));
  g_assert_nonnull (strstr (result.err, "Stopped by Ctrl-C."));

  /* The prediction was canceled on the server before the program ended. */
  id = created_id (result.err);
  cancel_path = g_strdup_printf ("/v1/predictions/%s/cancel", id);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "POST", cancel_path), ==, 1);
  server_view = lk_sim_dup_prediction (fixture->sim, id);
  g_assert_cmpstr (json_object_get_string_member (server_view, "status"), ==, "canceled");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (g_getenv ("LK_CLI"));

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/lk/cli-client/account", test_account);
  ADD ("/lk/cli-client/account-json", test_account_json);
  ADD ("/lk/cli-client/account-bad-token", test_account_bad_token);
  ADD ("/lk/cli-client/run/downloads-images", test_run_downloads_images);
  ADD ("/lk/cli-client/run/prints-paths", test_run_prints_paths);
  ADD ("/lk/cli-client/run/uploads-file", test_run_uploads_file);
  ADD ("/lk/cli-client/run/invalid-input", test_run_invalid_input);
  ADD ("/lk/cli-client/run/prefer-wait", test_run_prefer_wait);
  ADD ("/lk/cli-client/run/interrupted", test_run_interrupted);

  return g_test_run ();
}
