/* test-cli-train.c: `likeness-cli train` and `likeness-cli models`, the
 * built program run against the Replicate simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "lk-sim.h"
#include "lk-test-cli.h"
#include "lk-test-photos.h"
#include "lk-test-utils.h"

static const char *home;
static char *photos;

static void
run_cli (LkSim              *sim,
         const char * const *args,
         LkTestCliRun       *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;

  launcher = lk_test_cli_launcher_new (lk_sim_get_base_url (sim), LK_SIM_TOKEN);
  process = lk_test_cli_spawnv (launcher, args);

  lk_test_cli_finish (process, run);
}

static LkSim *
start_sim (void)
{
  g_autoptr(GError) error = NULL;
  LkSim *sim = lk_sim_new ();

  lk_sim_set_time_scale (sim, 0.001);
  /* The command looks every few real seconds: the outputs wait for it. */
  lk_sim_set_output_lifetime (sim, 1e7);
  g_assert_true (lk_sim_start (sim, &error));
  g_assert_no_error (error);
  return sim;
}

/* Trains, shows the progress, prints the version; `models` lists it. */
static void
test_train (void)
{
  g_autoptr(LkSim) sim = start_sim ();
  g_auto(LkTestCliRun) trained = { 0 };
  g_auto(LkTestCliRun) listed = { 0 };
  g_auto(LkTestCliRun) plain = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  JsonObject *model;
  const char * const train_args[] = {
    "train", "--photos", photos, "--name", "Grace", "--trigger", "gracex42", "--type", "face",
    "--preset", "draft", "--no-sample", NULL
  };
  const char * const models_args[] = { "models", "--json", NULL };
  const char * const plain_args[] = { "models", NULL };

  run_cli (sim, train_args, &trained);
  g_assert_cmpint (trained.status, ==, 0);
  g_assert_true (g_str_has_prefix (trained.out, "likeness-sim/likeness-lora:"));
  g_assert_cmpuint (strlen (trained.out), ==, strlen ("likeness-sim/likeness-lora:") + 64 + 1);
  version = g_strstrip (g_strdup (trained.out));

  /* What it did, on stderr. */
  g_assert_nonnull (strstr (trained.err, "Training “Grace” (face) with the trigger word “gracex42”: about 10:00 and $0.92."));
  g_assert_nonnull (strstr (trained.err, "Uploading photos"));
  g_assert_nonnull (strstr (trained.err, "Step 500 of 500"));
  g_assert_nonnull (strstr (trained.err, "Ready"));
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, 0);

  run_cli (sim, models_args, &listed);
  g_assert_cmpint (listed.status, ==, 0);
  node = json_from_string (listed.out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  model = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_cmpstr (json_object_get_string_member (model, "version"), ==, version);
  g_assert_cmpstr (json_object_get_string_member (model, "trigger_word"), ==, "gracex42");
  g_assert_cmpstr (json_object_get_string_member (model, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (model, "type"), ==, "face");
  g_assert_cmpfloat (json_object_get_double_member (model, "cost_usd"), ==, 1.83);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (model, "input"), "steps"), ==, 500);

  run_cli (sim, plain_args, &plain);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.out, "“Grace”  Ready"));
  g_assert_nonnull (strstr (plain.out, version));
}

/* `generate --model` makes each style with the trained version and the
 * trigger word, and sends no photo. */
static void
test_generate_with_model (void)
{
  g_autoptr(LkSim) sim = start_sim ();
  g_autofree char *out = g_build_filename (g_get_tmp_dir (), "cli-train-generate-XXXXXX", NULL);
  g_auto(LkTestCliRun) trained = { 0 };
  g_auto(LkTestCliRun) generated = { 0 };
  g_auto(LkTestCliRun) unknown = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint n_checked = 0;
  const char * const train_args[] = {
    "train", "--photos", photos, "--name", "Ada", "--trigger", "adax42", "--type", "face",
    "--preset", "draft", "--no-sample", NULL
  };
  const char * const generate_args[] = {
    "generate", "--model", "ada", "--styles", "business-headshot,linkedin-friendly,executive",
    "--preset", "draft", "--out", out, "--json", NULL
  };
  const char * const unknown_args[] = { "generate", "--model", "nobody", NULL };

  g_assert_nonnull (g_mkdtemp (out));
  run_cli (sim, train_args, &trained);
  g_assert_cmpint (trained.status, ==, 0);
  lk_sim_clear_requests (sim);

  run_cli (sim, generate_args, &generated);
  g_assert_cmpint (generated.status, ==, 0);
  node = json_from_string (generated.out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/predictions"), ==, 3);
  g_assert_cmpuint (lk_sim_count_requests (sim, "POST", "/v1/files"), ==, 0);
  g_assert_cmpuint (lk_sim_get_max_creates_per_input (sim), ==, 1);

  requests = lk_sim_get_requests (sim);
  for (guint i = 0; i < requests->len; i++)
    {
      LkSimRequest *request = g_ptr_array_index (requests, i);
      g_autoptr(JsonObject) prediction = NULL;
      const char *id;

      if (!g_str_has_prefix (request->path, "/v1/predictions/") || !g_str_equal (request->method, "GET"))
        continue;
      id = request->path + strlen ("/v1/predictions/");
      prediction = lk_sim_dup_prediction (sim, id);
      g_assert_nonnull (prediction);
      g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (prediction, "input"),
                                                               "prompt"),
                                "adax42 person"));
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >, 0);

  run_cli (sim, unknown_args, &unknown);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "No trained model is called “nobody”"));
}

/* Refused before anything is spent, with the reason. */
static void
test_refused (void)
{
  g_autoptr(LkSim) sim = start_sim ();
  g_autoptr(GPtrArray) requests = NULL;
  g_auto(LkTestCliRun) common = { 0 };
  g_auto(LkTestCliRun) few = { 0 };
  g_auto(LkTestCliRun) preset = { 0 };
  g_autofree char *one = g_build_filename (photos, "grace-00.jpg", NULL);
  const char * const common_args[] = { "train", "--photos", photos, "--name", "Grace", "--trigger", "person", NULL };
  const char * const few_args[] = { "train", "--photos", one, "--name", "Grace", "--trigger", "gracex42", NULL };
  const char * const preset_args[] = {
    "train", "--photos", photos, "--name", "Grace", "--trigger", "gracex42", "--preset", "gold", NULL
  };

  run_cli (sim, common_args, &common);
  g_assert_cmpint (common.status, ==, 1);
  g_assert_nonnull (strstr (common.err, "“person” is an everyday English word"));

  run_cli (sim, few_args, &few);
  g_assert_cmpint (few.status, ==, 1);
  g_assert_nonnull (strstr (few.err, "Problem: Only 1 usable photo. A training needs at least 8 photos"));

  run_cli (sim, preset_args, &preset);
  g_assert_cmpint (preset.status, ==, 1);
  g_assert_nonnull (strstr (preset.err, "“gold” is not one of the choices."));

  requests = lk_sim_get_requests (sim);
  g_assert_cmpuint (requests->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GdkPixbuf) face = NULL;
  g_autoptr(GdkPixbuf) sized = NULL;
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  photos = g_build_filename (home, "photos", NULL);
  g_assert_cmpint (g_mkdir_with_parents (photos, 0700), ==, 0);
  face = lk_test_photo_load (LK_TEST_FACE_PHOTO);
  sized = gdk_pixbuf_scale_simple (face, 600, 700, GDK_INTERP_BILINEAR);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("grace-%02u.jpg", i);
      g_autofree char *path = lk_test_photo_save (sized, photos, name, 85);
    }

  g_test_add_func ("/lk/cli-train/train", test_train);
  g_test_add_func ("/lk/cli-train/refused", test_refused);
  g_test_add_func ("/lk/cli-train/generate-with-model", test_generate_with_model);

  result = g_test_run ();
  g_free (photos);
  return result;
}
