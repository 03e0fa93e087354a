/* test-style-library.c: built-in styles, the user's own kept across runs,
 * validation, and style packs in and out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "lk-style-library.h"
#include "lk-test-utils.h"

static const char *test_home;

#define GOOD_STYLE(id, name) \
  "{\"id\": \"" id "\", \"name\": \"" name "\", \"category\": \"everyday\"," \
  " \"prompt\": \"{subject} in a park\", \"aspect_ratio\": \"3:4\", \"width\": 896, \"height\": 1152}"

typedef struct
{
  GFile          *file;
  LkStyleLibrary *library;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("case-%u", ++counter);

  /* The folder does not exist yet: the library makes it. */
  fixture->file = g_file_new_build_filename (test_home, name, "styles.json", NULL);
  fixture->library = lk_style_library_new (fixture->file);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->library);
  g_clear_object (&fixture->file);
}

static guint
n_styles (LkStyleLibrary *library)
{
  return g_list_model_get_n_items (lk_style_library_get_styles (library));
}

static LkStyle *
style_at (LkStyleLibrary *library,
          guint           position)
{
  g_autoptr(LkStyle) style = g_list_model_get_item (lk_style_library_get_styles (library), position);

  return style;
}

/* A valid draft, as the editor makes one. */
static LkStyle *
draft (LkStyleLibrary *library,
       const char     *name,
       const char     *prompt)
{
  LkStyle *style = lk_style_copy (lk_style_library_lookup (library, "casual"));

  g_object_set (style, "name", name, "prompt", prompt, NULL);
  return style;
}

static LkStyleLibrary *
reopen (GFile *file)
{
  LkStyleLibrary *library = lk_style_library_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_style_library_load (library, &error));
  g_assert_no_error (error);
  return library;
}

static void
test_create_destroy (void)
{
  LkStyleLibrary *library = lk_style_library_new (NULL);

  g_assert_cmpuint (n_styles (library), ==, 24);
  g_assert_finalize_object (library);
}

static void
test_built_in_styles (Fixture       *fixture,
                      gconstpointer  data)
{
  LkStyleLibrary *library = fixture->library;
  const char * const *categories = lk_style_library_get_categories (library);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used_categories = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n_styles (library), ==, 24);
  g_assert_cmpuint (g_strv_length ((GStrv) categories), ==, 6);
  g_assert_cmpuint (g_strv_length ((GStrv) lk_style_library_get_icons (library)), ==, 8);
  g_assert_cmpstr (lk_style_library_get_category_name (library, "professional"), ==, "Professional");
  g_assert_null (lk_style_library_get_category_name (library, "nonsense"));

  for (guint i = 0; i < n_styles (library); i++)
    {
      LkStyle *style = style_at (library, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = lk_style_render_prompt (style, "a person");

      g_test_message ("Style %s", lk_style_get_id (style));
      g_assert_true (lk_style_get_built_in (style));
      g_assert_true (lk_style_library_validate (library, style, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (lk_style_get_description (style)), >, 10);
      g_assert_cmpuint (strlen (lk_style_get_negative_prompt (style)), >, 0);
      g_assert_nonnull (strstr (prompt, "a person"));
      g_assert_null (strstr (prompt, "{"));
      g_assert_true (g_hash_table_add (ids, (gpointer) lk_style_get_id (style)));
      g_hash_table_add (used_categories, (gpointer) lk_style_get_category (style));
      g_assert_true (lk_style_library_lookup (library, lk_style_get_id (style)) == style);
    }

  /* No category shows up empty in the gallery. */
  g_assert_cmpuint (g_hash_table_size (used_categories), ==, 6);
  g_assert_null (lk_style_library_lookup (library, "nonsense"));
}

static void
test_no_user_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_style_library_load (fixture->library, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_styles (fixture->library), ==, 24);
  g_assert_false (g_file_query_exists (fixture->file, NULL));
}

static void
test_user_styles_persist (Fixture       *fixture,
                          gconstpointer  data)
{
  LkStyleLibrary *library = fixture->library;
  g_autoptr(LkStyle) first_draft = draft (library, "Café Terrace!", "{subject} on a café terrace");
  g_autoptr(LkStyle) second_draft = draft (library, "Rooftop", "{subject} on a rooftop");
  g_autoptr(LkStyle) edited = NULL;
  g_autoptr(LkStyleLibrary) again = NULL;
  g_autoptr(GError) error = NULL;
  LkStyle *first;
  LkStyle *second;
  LkStyle *kept;

  first = lk_style_library_add (library, first_draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_style_get_id (first), ==, "cafe-terrace");
  g_assert_false (lk_style_get_built_in (first));
  g_assert_true (first != first_draft);
  second = lk_style_library_add (library, second_draft, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_styles (library), ==, 26);
  g_assert_true (style_at (library, 25) == second);

  edited = lk_style_copy (second);
  g_object_set (edited, "prompt", "{subject} on a rooftop at night", "width", 1024, "height", 1024,
                "aspect-ratio", "1:1", NULL);
  g_assert_true (lk_style_library_replace (library, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lk_style_get_prompt (lk_style_library_lookup (library, "rooftop")), ==,
                   "{subject} on a rooftop at night");

  g_assert_true (lk_style_library_remove (library, "cafe-terrace", &error));
  g_assert_no_error (error);
  g_assert_null (lk_style_library_lookup (library, "cafe-terrace"));

  /* Another library, as at the next start, sees exactly that. */
  again = reopen (fixture->file);
  g_assert_cmpuint (n_styles (again), ==, 25);
  kept = lk_style_library_lookup (again, "rooftop");
  g_assert_nonnull (kept);
  g_assert_false (lk_style_get_built_in (kept));
  g_assert_cmpstr (lk_style_get_name (kept), ==, "Rooftop");
  g_assert_cmpstr (lk_style_get_prompt (kept), ==, "{subject} on a rooftop at night");
  g_assert_cmpuint (lk_style_get_width (kept), ==, 1024);
  g_assert_cmpstr (lk_style_get_aspect_ratio (kept), ==, "1:1");
  g_assert_null (lk_style_library_lookup (again, "cafe-terrace"));
}

static void
test_default_location (void)
{
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(LkStyle) style = draft (library, "Somewhere", "{subject} somewhere");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "likeness", "styles.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (lk_style_library_add (library, style, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_edit_keeps_thumbnail (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LkStyle) style = draft (fixture->library, "Beach", "{subject} at the beach");
  g_autoptr(GFile) portrait = g_file_new_for_path ("/tmp/beach.png");
  g_autoptr(LkStyle) edited = NULL;
  g_autoptr(GError) error = NULL;
  LkStyle *added;

  added = lk_style_library_add (fixture->library, style, &error);
  g_assert_no_error (error);
  lk_style_set_thumbnail (added, portrait);

  edited = lk_style_copy (added);
  g_object_set (edited, "name", "Sunny Beach", NULL);
  g_assert_true (lk_style_library_replace (fixture->library, edited, &error));
  g_assert_no_error (error);

  added = lk_style_library_lookup (fixture->library, "beach");
  g_assert_cmpstr (lk_style_get_name (added), ==, "Sunny Beach");
  g_assert_true (lk_style_get_thumbnail (added) == portrait);
}

static void
test_built_in_is_read_only (Fixture       *fixture,
                            gconstpointer  data)
{
  LkStyleLibrary *library = fixture->library;
  g_autoptr(LkStyle) edited = lk_style_copy (lk_style_library_lookup (library, "anime"));
  g_autoptr(GError) error = NULL;
  LkStyle *duplicate;

  g_object_set (edited, "prompt", "{subject}", NULL);
  g_assert_false (lk_style_library_replace (library, edited, &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_cmpstr (lk_style_get_prompt (lk_style_library_lookup (library, "anime")), !=, "{subject}");

  g_assert_false (lk_style_library_remove (library, "anime", &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_false (lk_style_library_remove (library, "nonsense", &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Duplicating gives an editable copy under a free id. */
  duplicate = lk_style_library_add (library, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_style_get_id (duplicate), ==, "anime-2");
  g_assert_false (lk_style_get_built_in (duplicate));
  g_object_set (edited, "id", "anime-2", "prompt", "{subject}, drawn by hand", NULL);
  g_assert_true (lk_style_library_replace (library, edited, &error));
  g_assert_no_error (error);
  g_assert_true (lk_style_library_remove (library, "anime-2", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_styles (library), ==, 24);
}

static void
test_invalid_style_is_not_added (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LkStyle) style = draft (fixture->library, "Nobody", "an empty room");
  g_autoptr(GError) error = NULL;

  g_assert_null (lk_style_library_add (fixture->library, style, &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID);
  g_assert_cmpuint (n_styles (fixture->library), ==, 24);
  g_assert_false (g_file_query_exists (fixture->file, NULL));
}

static void
test_failed_write_changes_nothing (void)
{
  g_autofree char *blocker = g_build_filename (test_home, "not-a-folder", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(LkStyleLibrary) library = NULL;
  g_autoptr(LkStyle) style = NULL;
  g_autoptr(GBytes) pack = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  static const char pack_text[] = "{\"styles\": [" GOOD_STYLE ("a", "A") "]}";

  /* The styles file would go inside a regular file, which cannot be. */
  g_assert_true (g_file_set_contents (blocker, "", -1, NULL));
  file = g_file_new_build_filename (blocker, "styles.json", NULL);
  library = lk_style_library_new (file);
  style = draft (library, "Lost", "{subject}, lost");

  g_assert_null (lk_style_library_add (library, style, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  pack = g_bytes_new_static (pack_text, strlen (pack_text));
  imported = lk_style_library_import (library, pack, &error);
  g_assert_null (imported);
  g_assert_nonnull (error);
  g_assert_cmpuint (n_styles (library), ==, 24);
}

typedef struct
{
  const char *name;
  const char *property;
  const char *text;
  double      number;
  LkStyleField field;
  const char *message;
} BadField;

static void
test_check_field (Fixture       *fixture,
                  gconstpointer  data)
{
  const BadField *bad = data;
  g_autoptr(LkStyle) style = lk_style_copy (lk_style_library_lookup (fixture->library, "business-headshot"));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_style_library_check (fixture->library, style, bad->field, NULL));

  if (bad->text != NULL)
    {
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_string (&value, bad->text);
    }
  else
    {
      g_value_init (&value, G_TYPE_DOUBLE);
      g_value_set_double (&value, bad->number);
    }
  g_object_set_property (G_OBJECT (style), bad->property, &value);

  g_assert_false (lk_style_library_check (fixture->library, style, bad->field, &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, bad->message);
  g_clear_error (&error);

  g_assert_false (lk_style_library_validate (fixture->library, style, &error));
  g_assert_cmpstr (error->message, ==, bad->message);
}

static const BadField bad_fields[] = {
  { "empty-id", "id", "", 0, LK_STYLE_FIELD_ID,
    "The id “” is not usable: it must be 1 to 64 lowercase letters, digits and hyphens." },
  { "id-with-capitals", "id", "My_Style", 0, LK_STYLE_FIELD_ID,
    "The id “My_Style” is not usable: it must be 1 to 64 lowercase letters, digits and hyphens." },
  { "blank-name", "name", "   ", 0, LK_STYLE_FIELD_NAME,
    "The name is empty. Give the style a short name for its card." },
  { "long-name", "name", "A Name That Goes On And On Far Beyond What Any Card Could Ever Show", 0,
    LK_STYLE_FIELD_NAME, "The name is longer than 60 characters. Keep it short enough for a card." },
  { "unknown-category", "category", "abstract", 0, LK_STYLE_FIELD_CATEGORY,
    "“abstract” is not a category. Use one of: professional, everyday, photographic, cinematic, artistic, fantasy." },
  { "empty-prompt", "prompt", " ", 0, LK_STYLE_FIELD_PROMPT,
    "The prompt is empty. Describe the portrait, with {subject} where the person goes." },
  { "prompt-without-subject", "prompt", "a portrait of someone", 0, LK_STYLE_FIELD_PROMPT,
    "The prompt must contain {subject}, which becomes the person in the portrait." },
  { "prompt-unknown-placeholder", "prompt", "{subject} wearing {outfit}", 0, LK_STYLE_FIELD_PROMPT,
    "The prompt has “{outfit}”, which Likeness does not fill in: {subject} is the only placeholder." },
  { "unknown-aspect", "aspect-ratio", "7:5", 0, LK_STYLE_FIELD_SIZE,
    "“7:5” is not an aspect ratio the models take. Use one of: 1:1, 4:5, 3:4, 2:3, 9:16, 9:21, 1:2, 5:4, 4:3, 3:2, 16:9, 21:9, 2:1." },
  { "too-small", "width", NULL, 128, LK_STYLE_FIELD_SIZE,
    "The size 128 × 1120 is not usable: width and height must be from 256 to 1536 pixels." },
  { "too-large", "height", NULL, 2048, LK_STYLE_FIELD_SIZE,
    "The size 896 × 2048 is not usable: width and height must be from 256 to 1536 pixels." },
  { "not-multiple-of-16", "width", NULL, 900, LK_STYLE_FIELD_SIZE,
    "The size 900 × 1120 is not usable: width and height must be multiples of 16 pixels." },
  { "aspect-mismatch", "width", NULL, 1120, LK_STYLE_FIELD_SIZE,
    "The size 1120 × 1120 does not have the aspect ratio 4:5. Use 896 × 1120, or a size close to it." },
  { "identity-weight-high", "identity-weight", NULL, 3.5, LK_STYLE_FIELD_IDENTITY_WEIGHT,
    "The identity weight must be from 0 to 3; it is 3.5." },
  { "identity-weight-negative", "identity-weight", NULL, -0.1, LK_STYLE_FIELD_IDENTITY_WEIGHT,
    "The identity weight must be from 0 to 3; it is -0.1." },
  { "guidance-low", "guidance", NULL, 0.5, LK_STYLE_FIELD_GUIDANCE,
    "The guidance must be from 1 to 10; it is 0.5." },
  { "color-name", "color", "blue", 0, LK_STYLE_FIELD_COLOR,
    "“blue” is not a colour: write it as #rrggbb, such as #3584e4." },
  { "color-short", "color", "#fff", 0, LK_STYLE_FIELD_COLOR,
    "“#fff” is not a colour: write it as #rrggbb, such as #3584e4." },
  { "unknown-icon", "icon", "face-smile-symbolic", 0, LK_STYLE_FIELD_ICON,
    "“face-smile-symbolic” is not a style icon. Use one of: lk-style-briefcase-symbolic, lk-style-sun-symbolic, "
    "lk-style-city-symbolic, lk-style-camera-symbolic, lk-style-film-symbolic, lk-style-movie-symbolic, "
    "lk-style-sparkle-symbolic, lk-style-brush-symbolic." },
};

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  static const char pack_text[] =
    "{\"version\": 1, \"styles\": [" GOOD_STYLE ("park", "Park") "," GOOD_STYLE ("casual", "Casual Too") ","
    GOOD_STYLE ("park", "Another Park") "]}";
  g_autoptr(GBytes) pack = g_bytes_new_static (pack_text, sizeof pack_text - 1);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(LkStyleLibrary) again = NULL;
  g_autoptr(GError) error = NULL;

  imported = lk_style_library_import (fixture->library, pack, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 3);

  /* Taken ids, by a built-in style or earlier in the same pack, get new
   * ones; free ones are kept. */
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 0)), ==, "park");
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 1)), ==, "casual-2");
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 2)), ==, "park-2");
  g_assert_cmpstr (lk_style_get_name (lk_style_library_lookup (fixture->library, "casual-2")), ==, "Casual Too");
  g_assert_cmpstr (lk_style_get_name (lk_style_library_lookup (fixture->library, "casual")), ==, "Casual");
  g_assert_false (lk_style_get_built_in (g_ptr_array_index (imported, 1)));

  /* The same pack again clashes with what it added the first time. */
  g_clear_pointer (&imported, g_ptr_array_unref);
  imported = lk_style_library_import (fixture->library, pack, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 0)), ==, "park-3");
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 1)), ==, "casual-3");
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 2)), ==, "park-4");

  again = reopen (fixture->file);
  g_assert_cmpuint (n_styles (again), ==, 30);
  g_assert_cmpstr (lk_style_get_name (lk_style_library_lookup (again, "park-4")), ==, "Another Park");
}

typedef struct
{
  const char *name;
  const char *pack;
  const char *message;
} BadPack;

static void
test_import_rejects (Fixture       *fixture,
                     gconstpointer  data)
{
  const BadPack *bad = data;
  g_autoptr(GBytes) pack = g_bytes_new_static (bad->pack, strlen (bad->pack));
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;

  imported = lk_style_library_import (fixture->library, pack, &error);
  g_assert_null (imported);
  g_assert_nonnull (error);
  g_assert_true (error->domain == LK_STYLE_ERROR);
  if (g_str_has_suffix (bad->message, ":"))
    g_assert_true (g_str_has_prefix (error->message, bad->message));
  else
    g_assert_cmpstr (error->message, ==, bad->message);

  /* Nothing of a bad pack is imported, not even its good styles. */
  g_assert_cmpuint (n_styles (fixture->library), ==, 24);
  g_assert_false (g_file_query_exists (fixture->file, NULL));
}

#define PACK(styles) "{\"version\": 1, \"styles\": [" GOOD_STYLE ("good", "Good") "," styles "]}"
#define STYLE_WITH(members) \
  "{\"id\": \"broken\", \"name\": \"Broken\", \"category\": \"everyday\", \"aspect_ratio\": \"1:1\"," \
  " \"width\": 1024, \"height\": 1024, " members "}"

static const BadPack bad_packs[] = {
  /* Only the start: the rest is json-glib's own, which varies by version. */
  { "not-json", "{\"styles\": [", "This is not a style pack: it is not valid JSON (<data>:1:" },
  { "no-styles", "{\"version\": 1, \"looks\": []}", "This is not a style pack: it has no list of “styles”." },
  { "styles-not-a-list", "{\"styles\": {}}", "This is not a style pack: it has no list of “styles”." },
  { "array-root", "[]", "This is not a style pack: it has no list of “styles”." },
  { "later-version", "{\"version\": 2, \"styles\": []}",
    "This style pack was made for another version of Likeness. Update Likeness, then import it again." },
  { "empty", "{\"styles\": []}", "This style pack has no styles in it." },
  { "style-not-object", PACK ("\"pop-art\""), "Style 2 is not a style: it has no members in braces." },
  { "style-3-no-prompt", PACK (GOOD_STYLE ("fine", "Fine") "," STYLE_WITH ("\"color\": \"#000000\"")),
    "Style 3 has no prompt." },
  { "prompt-not-text", PACK (STYLE_WITH ("\"prompt\": [\"{subject}\"]")),
    "Style 2: “prompt” must be text in quotes." },
  { "prompt-without-subject", PACK (STYLE_WITH ("\"prompt\": \"a lighthouse\"")),
    "Style 2 (“Broken”): The prompt must contain {subject}, which becomes the person in the portrait." },
  { "bad-id", PACK ("{\"id\": \"Bad Id\", \"name\": \"Broken\", \"category\": \"everyday\", \"prompt\": \"{subject}\","
                    " \"aspect_ratio\": \"1:1\", \"width\": 1024, \"height\": 1024}"),
    "Style 2 (“Broken”): The id “Bad Id” is not usable: it must be 1 to 64 lowercase letters, digits and hyphens." },
  { "unknown-category", PACK ("{\"id\": \"broken\", \"name\": \"Broken\", \"category\": \"abstract\", \"prompt\": \"{subject}\","
                              " \"aspect_ratio\": \"1:1\", \"width\": 1024, \"height\": 1024}"),
    "Style 2 (“Broken”): “abstract” is not a category. Use one of: professional, everyday, photographic, cinematic, artistic, fantasy." },
  { "odd-size", PACK ("{\"id\": \"broken\", \"name\": \"Broken\", \"category\": \"everyday\", \"prompt\": \"{subject}\","
                      " \"aspect_ratio\": \"1:1\", \"width\": 1000, \"height\": 1000}"),
    "Style 2 (“Broken”): The size 1000 × 1000 is not usable: width and height must be multiples of 16 pixels." },
  { "negative-width", PACK ("{\"id\": \"broken\", \"name\": \"Broken\", \"category\": \"everyday\", \"prompt\": \"{subject}\","
                            " \"aspect_ratio\": \"1:1\", \"width\": -1024, \"height\": 1024}"),
    "Style 2 (“Broken”): The size 0 × 1024 is not usable: width and height must be from 256 to 1536 pixels." },
  { "weight-too-high", PACK (STYLE_WITH ("\"prompt\": \"{subject}\", \"identity_weight\": 5")),
    "Style 2 (“Broken”): The identity weight must be from 0 to 3; it is 5." },
  { "bad-colour", PACK (STYLE_WITH ("\"prompt\": \"{subject}\", \"color\": \"red\"")),
    "Style 2 (“Broken”): “red” is not a colour: write it as #rrggbb, such as #3584e4." },
};

static void
test_export_import_round_trip (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(LkStyle) mine = draft (fixture->library, "Mine", "{subject} and a dog");
  g_autoptr(GListStore) chosen = g_list_store_new (LK_TYPE_STYLE);
  g_autoptr(GFile) other_file = g_file_new_build_filename (test_home, "other", "styles.json", NULL);
  g_autoptr(LkStyleLibrary) other = lk_style_library_new (other_file);
  g_autoptr(GBytes) pack = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (mine, "identity-weight", 1.35, "guidance", 6.5, "color", "#26a269", NULL);
  g_list_store_append (chosen, lk_style_library_add (fixture->library, mine, &error));
  g_assert_no_error (error);
  g_list_store_append (chosen, lk_style_library_lookup (fixture->library, "film-noir"));

  pack = lk_style_library_export (fixture->library, G_LIST_MODEL (chosen));
  imported = lk_style_library_import (other, pack, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 2);

  for (guint i = 0; i < imported->len; i++)
    {
      g_autoptr(LkStyle) original = g_list_model_get_item (G_LIST_MODEL (chosen), i);
      g_autoptr(JsonObject) before = lk_style_to_json (original);
      g_autoptr(JsonObject) after = lk_style_to_json (g_ptr_array_index (imported, i));
      g_autoptr(JsonNode) before_node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonNode) after_node = json_node_new (JSON_NODE_OBJECT);

      /* Everything comes back but the id of a built-in style, which the
       * other library already has. */
      json_object_remove_member (before, "id");
      json_object_remove_member (after, "id");
      json_node_set_object (before_node, before);
      json_node_set_object (after_node, after);
      g_assert_true (json_node_equal (before_node, after_node));
    }

  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 0)), ==, "mine");
  g_assert_cmpstr (lk_style_get_id (g_ptr_array_index (imported, 1)), ==, "film-noir-2");
  g_assert_cmpfloat (lk_style_get_identity_weight (g_ptr_array_index (imported, 0)), ==, 1.35);
}

static void
test_unreadable_file_is_moved_aside (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_get_parent (fixture->file);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(LkStyle) style = draft (fixture->library, "Fresh Start", "{subject} again");
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  guint n_aside = 0;

  g_assert_true (g_file_make_directory_with_parents (folder, NULL, NULL));
  g_assert_true (g_file_replace_contents (fixture->file, "{\"styles\": [{\"id\": 1}]}", 23,
                                          NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, NULL));

  g_assert_false (lk_style_library_load (fixture->library, &error));
  g_assert_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK);
  g_assert_nonnull (strstr (error->message, "Your own styles could not be read, so they were moved to"));
  g_assert_nonnull (strstr (error->message, "Style 1: “id” must be text in quotes."));
  g_assert_false (g_file_query_exists (fixture->file, NULL));
  g_assert_cmpuint (n_styles (fixture->library), ==, 24);

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
  while ((info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *contents = NULL;
      g_autofree char *path = g_build_filename (g_file_peek_path (folder), g_file_info_get_name (info), NULL);

      g_assert_true (g_str_has_prefix (g_file_info_get_name (info), "styles-unreadable-"));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "{\"styles\": [{\"id\": 1}]}");
      n_aside++;
      g_object_unref (info);
    }
  g_assert_cmpuint (n_aside, ==, 1);

  /* The library goes on working, and the next save starts a new file. */
  g_clear_error (&error);
  g_assert_nonnull (lk_style_library_add (fixture->library, style, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (fixture->file, NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/lk/style-library/create-destroy", test_create_destroy);
  ADD ("/lk/style-library/built-in-styles", test_built_in_styles);
  ADD ("/lk/style-library/no-user-file", test_no_user_file);
  ADD ("/lk/style-library/user-styles-persist", test_user_styles_persist);
  g_test_add_func ("/lk/style-library/default-location", test_default_location);
  ADD ("/lk/style-library/edit-keeps-thumbnail", test_edit_keeps_thumbnail);
  ADD ("/lk/style-library/built-in-is-read-only", test_built_in_is_read_only);
  ADD ("/lk/style-library/invalid-style-is-not-added", test_invalid_style_is_not_added);
  g_test_add_func ("/lk/style-library/failed-write-changes-nothing", test_failed_write_changes_nothing);
  ADD ("/lk/style-library/import", test_import);
  ADD ("/lk/style-library/export-import-round-trip", test_export_import_round_trip);
  ADD ("/lk/style-library/unreadable-file-is-moved-aside", test_unreadable_file_is_moved_aside);

  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/style-library/check/%s", bad_fields[i].name);

      g_test_add (path, Fixture, &bad_fields[i], fixture_set_up, test_check_field, fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_packs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/style-library/import-rejects/%s", bad_packs[i].name);

      g_test_add (path, Fixture, &bad_packs[i], fixture_set_up, test_import_rejects, fixture_tear_down);
    }

#undef ADD

  return g_test_run ();
}
