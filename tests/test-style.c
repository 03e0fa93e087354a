/* test-style.c: one portrait style: its prompt, its JSON and its copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-style.h"
#include "lk-test-utils.h"

static const char *full_style =
  "{"
  "  \"id\": \"film-noir\","
  "  \"name\": \"Film Noir\","
  "  \"description\": \"Hard shadows\","
  "  \"category\": \"cinematic\","
  "  \"prompt\": \"film noir portrait of {subject}, venetian blind shadows, {subject} looks away\","
  "  \"negative_prompt\": \"colour\","
  "  \"aspect_ratio\": \"4:5\","
  "  \"width\": 896,"
  "  \"height\": 1120,"
  "  \"identity_weight\": 1.25,"
  "  \"guidance\": 4.5,"
  "  \"color\": \"#241f31\","
  "  \"icon\": \"lk-style-movie-symbolic\","
  "  \"from_a_later_version\": true"
  "}";

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static LkStyle *
parse_style (const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  LkStyle *style;

  style = lk_style_new_from_json (object, 1, FALSE, &error);
  g_assert_no_error (error);
  return style;
}

static void
test_create_destroy (void)
{
  LkStyle *style = parse_style (full_style);

  g_assert_cmpstr (lk_style_get_id (style), ==, "film-noir");
  g_assert_finalize_object (style);
}

static void
test_reads_every_member (void)
{
  g_autoptr(LkStyle) style = parse_style (full_style);

  g_assert_cmpstr (lk_style_get_name (style), ==, "Film Noir");
  g_assert_cmpstr (lk_style_get_description (style), ==, "Hard shadows");
  g_assert_cmpstr (lk_style_get_category (style), ==, "cinematic");
  g_assert_cmpstr (lk_style_get_negative_prompt (style), ==, "colour");
  g_assert_cmpstr (lk_style_get_aspect_ratio (style), ==, "4:5");
  g_assert_cmpuint (lk_style_get_width (style), ==, 896);
  g_assert_cmpuint (lk_style_get_height (style), ==, 1120);
  g_assert_cmpfloat (lk_style_get_identity_weight (style), ==, 1.25);
  g_assert_cmpfloat (lk_style_get_guidance (style), ==, 4.5);
  g_assert_cmpstr (lk_style_get_color (style), ==, "#241f31");
  g_assert_cmpstr (lk_style_get_icon (style), ==, "lk-style-movie-symbolic");
  g_assert_false (lk_style_get_built_in (style));
  g_assert_null (lk_style_get_thumbnail (style));
}

static void
test_optional_members_have_defaults (void)
{
  g_autoptr(LkStyle) style = parse_style ("{\"id\": \"x\", \"name\": \"X\", \"category\": \"casual\","
                                          " \"prompt\": \"{subject}\", \"aspect_ratio\": \"1:1\","
                                          " \"width\": 1024, \"height\": 1024}");

  g_assert_cmpstr (lk_style_get_description (style), ==, "");
  g_assert_cmpstr (lk_style_get_negative_prompt (style), ==, "");
  g_assert_cmpfloat (lk_style_get_identity_weight (style), ==, 1.0);
  g_assert_cmpfloat (lk_style_get_guidance (style), ==, 4.0);
  g_assert_cmpstr (lk_style_get_color (style), ==, "#3584e4");
  g_assert_cmpstr (lk_style_get_icon (style), ==, "lk-style-sparkle-symbolic");
}

static void
test_render_prompt (void)
{
  g_autoptr(LkStyle) style = parse_style (full_style);
  g_autofree char *identity = lk_style_render_prompt (style, "a person");
  g_autofree char *lora = lk_style_render_prompt (style, "zqxj person");

  /* Every {subject} is replaced, and nothing else changes. */
  g_assert_cmpstr (identity, ==, "film noir portrait of a person, venetian blind shadows, a person looks away");
  g_assert_cmpstr (lora, ==, "film noir portrait of zqxj person, venetian blind shadows, zqxj person looks away");
}

static void
test_json_round_trip (void)
{
  g_autoptr(LkStyle) style = parse_style (full_style);
  g_autoptr(JsonObject) object = lk_style_to_json (style);
  g_autoptr(LkStyle) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  g_assert_false (json_object_has_member (object, "from_a_later_version"));
  g_assert_false (json_object_has_member (object, "thumbnail"));

  again = lk_style_new_from_json (object, 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (lk_style_get_built_in (again));
  g_assert_cmpstr (lk_style_get_prompt (again), ==, lk_style_get_prompt (style));
  g_assert_cmpfloat (lk_style_get_identity_weight (again), ==, 1.25);
  g_assert_cmpuint (lk_style_get_height (again), ==, 1120);
  prompt = lk_style_render_prompt (again, "a person");
  g_assert_cmpstr (prompt, ==, "film noir portrait of a person, venetian blind shadows, a person looks away");
}

static void
test_copy (void)
{
  g_autoptr(JsonObject) object = parse_object (full_style);
  g_autoptr(LkStyle) built_in = lk_style_new_from_json (object, 1, TRUE, NULL);
  g_autoptr(GFile) thumbnail = g_file_new_for_path ("/tmp/portrait.png");
  g_autoptr(LkStyle) copy = NULL;

  lk_style_set_thumbnail (built_in, thumbnail);
  copy = lk_style_copy (built_in);

  /* A copy is the user's to edit: not built in, and without the
   * original's portrait. */
  g_assert_false (lk_style_get_built_in (copy));
  g_assert_null (lk_style_get_thumbnail (copy));
  g_assert_cmpstr (lk_style_get_id (copy), ==, "film-noir");
  g_assert_cmpstr (lk_style_get_negative_prompt (copy), ==, "colour");
  g_assert_cmpuint (lk_style_get_width (copy), ==, 896);
  g_assert_cmpfloat (lk_style_get_guidance (copy), ==, 4.5);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_notifies_only_changes (void)
{
  g_autoptr(LkStyle) style = parse_style (full_style);
  g_autoptr(GFile) thumbnail = g_file_new_for_path ("/tmp/portrait.png");
  g_autoptr(GFile) same = g_file_new_for_path ("/tmp/portrait.png");
  guint names = 0;
  guint thumbnails = 0;

  g_signal_connect_swapped (style, "notify::name", G_CALLBACK (count_cb), &names);
  g_signal_connect_swapped (style, "notify::thumbnail", G_CALLBACK (count_cb), &thumbnails);

  g_object_set (style, "name", "Film Noir", NULL);
  g_assert_cmpuint (names, ==, 0);
  g_object_set (style, "name", "Noir", NULL);
  g_assert_cmpuint (names, ==, 1);

  lk_style_set_thumbnail (style, thumbnail);
  lk_style_set_thumbnail (style, same);
  g_assert_cmpuint (thumbnails, ==, 1);
  g_assert_true (lk_style_get_thumbnail (style) == thumbnail);
  lk_style_set_thumbnail (style, NULL);
  g_assert_cmpuint (thumbnails, ==, 2);
}

static void
test_aspect_sizes (void)
{
  const char * const *ratios = lk_style_get_aspect_ratios ();
  guint width;
  guint height;

  g_assert_cmpuint (g_strv_length ((GStrv) ratios), ==, 13);
  for (guint i = 0; ratios[i] != NULL; i++)
    {
      g_assert_true (lk_style_get_aspect_size (ratios[i], &width, &height));
      g_assert_cmpuint (width % LK_STYLE_SIZE_STEP, ==, 0);
      g_assert_cmpuint (height % LK_STYLE_SIZE_STEP, ==, 0);
      g_assert_cmpuint (width, >=, LK_STYLE_MIN_SIZE);
      g_assert_cmpuint (height, <=, LK_STYLE_MAX_SIZE);
    }

  g_assert_true (lk_style_get_aspect_size ("16:9", &width, &height));
  g_assert_cmpuint (width, ==, 1344);
  g_assert_cmpuint (height, ==, 768);
  g_assert_false (lk_style_get_aspect_size ("match_input_image", NULL, NULL));
}

typedef struct
{
  const char *name;
  const char *json;
  const char *message;
} BadStyle;

static void
test_rejects_bad_json (gconstpointer data)
{
  const BadStyle *bad = data;
  g_autoptr(JsonObject) object = parse_object (bad->json);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStyle) style = NULL;

  style = lk_style_new_from_json (object, 3, FALSE, &error);
  g_assert_null (style);
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK);
  g_assert_cmpstr (error->message, ==, bad->message);
}

int
main (int   argc,
      char *argv[])
{
#define REQUIRED "\"id\": \"x\", \"name\": \"X\", \"category\": \"casual\", \"aspect_ratio\": \"1:1\", \"height\": 1024"
  static const BadStyle bad_styles[] = {
    { "no-prompt", "{" REQUIRED ", \"width\": 1024}", "Style 3 has no prompt." },
    { "null-prompt", "{" REQUIRED ", \"width\": 1024, \"prompt\": null}", "Style 3 has no prompt." },
    { "no-width", "{" REQUIRED ", \"prompt\": \"{subject}\"}", "Style 3 has no width." },
    { "number-prompt", "{" REQUIRED ", \"width\": 1024, \"prompt\": 7}", "Style 3: “prompt” must be text in quotes." },
    { "text-width", "{" REQUIRED ", \"width\": \"1024\", \"prompt\": \"{subject}\"}",
      "Style 3: “width” must be a whole number." },
    { "fraction-width", "{" REQUIRED ", \"width\": 1024.5, \"prompt\": \"{subject}\"}",
      "Style 3: “width” must be a whole number." },
    { "text-guidance", "{" REQUIRED ", \"width\": 1024, \"prompt\": \"{subject}\", \"guidance\": \"high\"}",
      "Style 3: “guidance” must be a number." },
  };
#undef REQUIRED

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/style/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/style/reads-every-member", test_reads_every_member);
  g_test_add_func ("/lk/style/optional-members-have-defaults", test_optional_members_have_defaults);
  g_test_add_func ("/lk/style/render-prompt", test_render_prompt);
  g_test_add_func ("/lk/style/json-round-trip", test_json_round_trip);
  g_test_add_func ("/lk/style/copy", test_copy);
  g_test_add_func ("/lk/style/notifies-only-changes", test_notifies_only_changes);
  g_test_add_func ("/lk/style/aspect-sizes", test_aspect_sizes);
  for (guint i = 0; i < G_N_ELEMENTS (bad_styles); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/style/rejects/%s", bad_styles[i].name);

      g_test_add_data_func (path, &bad_styles[i], test_rejects_bad_json);
    }

  return g_test_run ();
}
