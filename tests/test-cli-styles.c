/* test-cli-styles.c: `likeness-cli styles` as a table and as JSON, with
 * the user's own styles and with an unreadable styles file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "lk-test-cli.h"
#include "lk-test-utils.h"

static const char *test_home;

static char *
user_styles_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "likeness", "styles.json", NULL);
}

static void
write_user_styles (const char *contents)
{
  g_autofree char *path = user_styles_path ();
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
remove_user_styles (void)
{
  g_autofree char *path = user_styles_path ();

  g_remove (path);
}

static const char user_pack[] =
  "{\"version\": 1, \"styles\": [{\"id\": \"tea-party\", \"name\": \"Tea Party\", \"category\": \"everyday\","
  " \"prompt\": \"{subject} at a garden tea party\", \"aspect_ratio\": \"1:1\", \"width\": 1024, \"height\": 1024}]}";

static void
test_table (void)
{
  g_auto(LkTestCliRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  write_user_styles (user_pack);
  run = lk_test_cli_run (NULL, "styles", NULL);
  g_assert_cmpint (run.status, ==, 0);
  remove_user_styles ();

  lines = g_strsplit (run.out, "\n", -1);
  /* A header, 24 built-in styles, the user's, and the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 27);
  g_assert_true (g_str_has_prefix (lines[0], "ID "));
  g_assert_nonnull (strstr (lines[0], "NAME"));
  g_assert_true (g_str_has_suffix (lines[0], "CATEGORY"));
  g_assert_true (g_str_has_prefix (lines[1], "business-headshot "));
  g_assert_nonnull (strstr (lines[1], "Business Headshot"));
  g_assert_true (g_str_has_suffix (lines[1], "Professional"));
  g_assert_true (g_str_has_prefix (lines[25], "tea-party "));
  g_assert_true (g_str_has_suffix (lines[25], "Everyday"));

  /* The columns line up: every name starts where the header's does. */
  for (guint i = 1; i < 26; i++)
    g_assert_cmpint (strstr (lines[i], "  ") - lines[i], <=, strstr (lines[0], "NAME") - lines[0]);
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_json (void)
{
  g_auto(LkTestCliRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *styles;
  JsonObject *first;
  JsonObject *last;

  write_user_styles (user_pack);
  run = lk_test_cli_run (NULL, "styles", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  remove_user_styles ();

  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  styles = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (styles), ==, 25);

  first = json_array_get_object_element (styles, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "business-headshot");
  g_assert_true (json_object_get_boolean_member (first, "built_in"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "prompt"), "{subject}"));
  g_assert_cmpint (json_object_get_int_member (first, "width"), ==, 896);
  g_assert_cmpfloat (json_object_get_double_member (first, "guidance"), ==, 4.0);
  g_assert_cmpstr (json_object_get_string_member (first, "color"), ==, "#1c71d8");

  last = json_array_get_object_element (styles, 24);
  g_assert_cmpstr (json_object_get_string_member (last, "id"), ==, "tea-party");
  g_assert_false (json_object_get_boolean_member (last, "built_in"));
  g_assert_cmpstr (json_object_get_string_member (last, "negative_prompt"), ==, "");
}

static void
test_unreadable_user_styles (void)
{
  g_auto(LkTestCliRun) run = { 0 };
  g_auto(LkTestCliRun) again = { 0 };
  g_autofree char *path = user_styles_path ();

  write_user_styles ("{\"styles\": [{\"id\": \"tea\"}]}");
  run = lk_test_cli_run (NULL, "styles", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "Your own styles could not be read, so they were moved to"));
  g_assert_true (g_str_has_suffix (run.err, "Style 1 has no name.\n"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* With the file out of the way, the next run lists the built-in ones. */
  again = lk_test_cli_run (NULL, "styles", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "business-headshot"));
}

static void
test_bad_option (void)
{
  g_auto(LkTestCliRun) run = lk_test_cli_run (NULL, "styles", "--yaml", NULL);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--yaml"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/cli-styles/table", test_table);
  g_test_add_func ("/lk/cli-styles/json", test_json);
  g_test_add_func ("/lk/cli-styles/unreadable-user-styles", test_unreadable_user_styles);
  g_test_add_func ("/lk/cli-styles/bad-option", test_bad_option);

  return g_test_run ();
}
