/* lk-style-library.c: the built-in styles and the user's own, their
 * validation, and style packs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-style-library"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lk-style-library.h"
#include "lk-style-resources.h"

#define BUILT_IN_PATH "/io/github/likeness/Likeness/styles/styles.json"
#define PACK_VERSION 1
/* Far above any real pack; a larger file is something else. */
#define MAX_PACK_SIZE (4 * 1024 * 1024)
#define MAX_ID_LENGTH 64
#define MAX_NAME_LENGTH 60
#define MAX_DESCRIPTION_LENGTH 160
#define MAX_PROMPT_LENGTH 2000
#define MAX_NEGATIVE_PROMPT_LENGTH 1000
/* How far a size may stray from its aspect ratio: the sizes are rounded
 * to steps of 16, so 896 × 1152 stands for 3:4. */
#define ASPECT_TOLERANCE 0.05

struct _LkStyleLibrary
{
  GObject     parent_instance;

  GFile      *user_file;
  GListStore *styles;
  guint       n_built_in;
  GStrv       categories;
  GHashTable *category_names;
  GStrv       icons;
};

G_DEFINE_FINAL_TYPE (LkStyleLibrary, lk_style_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static JsonObject *
read_pack (GBytes  *bytes,
           GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *version;

  if (g_bytes_get_size (bytes) > MAX_PACK_SIZE)
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                           _("This file is too large to be a style pack."));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &parse_error))
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                   _("This is not a style pack: it is not valid JSON (%s)."), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (object = json_node_get_object (root), "styles") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "styles")))
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                           _("This is not a style pack: it has no list of “styles”."));
      return NULL;
    }

  version = json_object_get_member (object, "version");
  if (version != NULL && (!JSON_NODE_HOLDS_VALUE (version) ||
                          json_node_get_value_type (version) != G_TYPE_INT64 ||
                          json_node_get_int (version) != PACK_VERSION))
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                           _("This style pack was made for another version of Likeness. Update Likeness, then import it again."));
      return NULL;
    }

  return json_object_ref (object);
}

/* Reads every style of @pack, with the types of its members checked. */
static GPtrArray *
parse_styles (JsonObject  *pack,
              gboolean     built_in,
              GError     **error)
{
  JsonArray *array = json_object_get_array_member (pack, "styles");
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      LkStyle *style;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                       _("Style %u is not a style: it has no members in braces."), i + 1);
          return NULL;
        }

      if (!(style = lk_style_new_from_json (json_node_get_object (node), i + 1, built_in, error)))
        return NULL;

      g_ptr_array_add (styles, style);
    }

  return g_steal_pointer (&styles);
}

static gboolean
validate_styles (LkStyleLibrary  *self,
                 GPtrArray       *styles,
                 GError         **error)
{
  for (guint i = 0; i < styles->len; i++)
    {
      LkStyle *style = g_ptr_array_index (styles, i);

      if (!lk_style_library_validate (self, style, error))
        {
          /* Translators: %u is the style's position in the pack, %s its
           * name; the problem follows. */
          g_prefix_error (error, _("Style %u (“%s”): "), i + 1, lk_style_get_name (style));
          return FALSE;
        }
    }

  return TRUE;
}

static void
load_categories (LkStyleLibrary *self,
                 JsonObject     *pack)
{
  JsonArray *array = json_object_get_array_member (pack, "categories");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *category = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (category, "id");
      const char *name = json_object_get_string_member (category, "name");

      g_strv_builder_add (builder, id);
      g_hash_table_insert (self->category_names, g_strdup (id),
                           g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "style category", name)));
    }

  self->categories = g_strv_builder_end (builder);
}

/* The icons a style can have are those the built-in styles use: the GUI
 * ships exactly those. */
static void
collect_icons (LkStyleLibrary *self,
               GPtrArray      *styles)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < styles->len; i++)
    {
      const char *icon = lk_style_get_icon (g_ptr_array_index (styles, i));

      if (g_hash_table_add (seen, (gpointer) icon))
        g_strv_builder_add (builder, icon);
    }

  self->icons = g_strv_builder_end (builder);
}

/* Built-in names and descriptions are in the message catalog through
 * src/core/lk-style-strings.h, which build-aux/extract-style-strings.py
 * writes from data/styles.json. */
static void
translate_style (LkStyle *style)
{
  g_object_set (style,
                "name", g_dgettext (GETTEXT_PACKAGE, lk_style_get_name (style)),
                "description", g_dgettext (GETTEXT_PACKAGE, lk_style_get_description (style)),
                NULL);
}

/* The built-in styles are part of the program; the data suite checks
 * them, so a failure here is a broken build. */
static void
load_built_in (LkStyleLibrary *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) pack = NULL;
  g_autoptr(GPtrArray) styles = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_resource_lookup_data (lk_style_resources_get_resource (), BUILT_IN_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL ||
      !(pack = read_pack (bytes, &error)) ||
      !(styles = parse_styles (pack, TRUE, &error)))
    g_error ("The built-in styles cannot be read: %s", error->message);

  load_categories (self, pack);
  collect_icons (self, styles);

  if (!validate_styles (self, styles, &error))
    g_error ("A built-in style is not valid: %s", error->message);

  for (guint i = 0; i < styles->len; i++)
    translate_style (g_ptr_array_index (styles, i));

  g_list_store_splice (self->styles, 0, 0, styles->pdata, styles->len);
  self->n_built_in = styles->len;
}

static gboolean
find_style (LkStyleLibrary *self,
            const char     *id,
            guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->styles));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (G_LIST_MODEL (self->styles), i);

      if (g_str_equal (lk_style_get_id (style), id))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
id_is_taken (LkStyleLibrary *self,
             const char     *id,
             GPtrArray      *also_taken)
{
  if (find_style (self, id, NULL))
    return TRUE;

  for (guint i = 0; also_taken != NULL && i < also_taken->len; i++)
    {
      if (g_str_equal (lk_style_get_id (g_ptr_array_index (also_taken, i)), id))
        return TRUE;
    }

  return FALSE;
}

/* An id in [a-z0-9-] made from @name: “Café Noir!” gives “cafe-noir”. */
static char *
id_from_name (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *id = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && id->len < MAX_ID_LENGTH - 8; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, g_ascii_tolower (*p));
      else if (id->len > 0 && id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }

  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);

  if (id->len == 0)
    g_string_append (id, "style");

  return g_string_free (id, FALSE);
}

/* @wanted when it is free, otherwise the first free “wanted-N”. */
static char *
unique_id (LkStyleLibrary *self,
           const char     *wanted,
           GPtrArray      *also_taken)
{
  g_autofree char *base = g_strndup (wanted, MAX_ID_LENGTH - 8);

  if (!id_is_taken (self, wanted, also_taken))
    return g_strdup (wanted);

  for (guint n = 2;; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", base, n);

      if (!id_is_taken (self, id, also_taken))
        return g_steal_pointer (&id);
    }
}

static GBytes *
pack_to_bytes (JsonArray *styles)
{
  g_autoptr(JsonObject) pack = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_object_set_int_member (pack, "version", PACK_VERSION);
  json_object_set_array_member (pack, "styles", json_array_ref (styles));
  json_node_set_object (root, pack);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

/* Writes the user's styles as they will be after replacing @n_removals
 * styles at @position with @additions, and only then changes the list, so
 * that a failed write changes nothing. */
static gboolean
commit (LkStyleLibrary  *self,
        guint            position,
        guint            n_removals,
        LkStyle        **additions,
        guint            n_additions,
        GError         **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GFile) folder = g_file_get_parent (self->user_file);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) mkdir_error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->styles));

  g_assert (position >= self->n_built_in && position + n_removals <= n);

  for (guint i = self->n_built_in; i <= n; i++)
    {
      if (i == position)
        {
          for (guint j = 0; j < n_additions; j++)
            json_array_add_object_element (array, lk_style_to_json (additions[j]));
        }

      if (i < n && (i < position || i >= position + n_removals))
        {
          g_autoptr(LkStyle) style = g_list_model_get_item (G_LIST_MODEL (self->styles), i);

          json_array_add_object_element (array, lk_style_to_json (style));
        }
    }

  if (!g_file_make_directory_with_parents (folder, NULL, &mkdir_error) &&
      !g_error_matches (mkdir_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&mkdir_error));
      return FALSE;
    }

  bytes = pack_to_bytes (array);
  if (!g_file_replace_contents (self->user_file,
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error))
    return FALSE;

  g_list_store_splice (self->styles, position, n_removals, (gpointer *) additions, n_additions);
  return TRUE;
}

static void
lk_style_library_constructed (GObject *object)
{
  LkStyleLibrary *self = LK_STYLE_LIBRARY (object);

  G_OBJECT_CLASS (lk_style_library_parent_class)->constructed (object);

  if (self->user_file == NULL)
    self->user_file = g_file_new_build_filename (g_get_user_data_dir (), "likeness", "styles.json", NULL);
}

static void
lk_style_library_finalize (GObject *object)
{
  LkStyleLibrary *self = LK_STYLE_LIBRARY (object);

  g_clear_object (&self->user_file);
  g_clear_object (&self->styles);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->category_names, g_hash_table_unref);
  g_clear_pointer (&self->icons, g_strfreev);

  G_OBJECT_CLASS (lk_style_library_parent_class)->finalize (object);
}

static void
lk_style_library_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkStyleLibrary *self = LK_STYLE_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_USER_FILE:
      self->user_file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_library_class_init (LkStyleLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lk_style_library_constructed;
  object_class->finalize = lk_style_library_finalize;
  object_class->set_property = lk_style_library_set_property;

  /**
   * LkStyleLibrary:user-file:
   *
   * Where the user's own styles are kept; %NULL for `likeness/styles.json`
   * in the user's data folder.
   */
  properties[PROP_USER_FILE] =
    g_param_spec_object ("user-file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_style_library_init (LkStyleLibrary *self)
{
  self->styles = g_list_store_new (LK_TYPE_STYLE);
  self->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  load_built_in (self);
}

/**
 * lk_style_library_new:
 * @user_file: (nullable): where the user's own styles are kept, or %NULL
 *   for the user's data folder
 *
 * Creates a library with the built-in styles; lk_style_library_load()
 * adds the user's own.
 *
 * Returns: (transfer full): the library
 */
LkStyleLibrary *
lk_style_library_new (GFile *user_file)
{
  g_return_val_if_fail (user_file == NULL || G_IS_FILE (user_file), NULL);

  return g_object_new (LK_TYPE_STYLE_LIBRARY,
                       "user-file", user_file,
                       NULL);
}

/* A file that cannot be read as styles is moved aside rather than left
 * where the next save would overwrite it. */
static GFile *
set_aside (GFile   *file,
           GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("styles-unreadable-%s.json", stamp);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autoptr(GFile) aside = g_file_get_child (folder, name);

  if (!g_file_move (file, aside, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&aside);
}

/**
 * lk_style_library_load:
 *
 * Reads the user's own styles, replacing any read before. A missing file
 * means there are none. A file that is not a valid styles file is moved
 * aside (the error names where) and the library goes on without it.
 *
 * Returns: whether the user's styles were read
 */
gboolean
lk_style_library_load (LkStyleLibrary  *self,
                       GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) pack = NULL;
  g_autoptr(GPtrArray) styles = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) aside = NULL;
  g_autofree char *aside_path = NULL;
  guint n;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->styles));
  g_list_store_splice (self->styles, self->n_built_in, n - self->n_built_in, NULL, 0);

  if (!(bytes = g_file_load_bytes (self->user_file, NULL, NULL, &local_error)))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if ((pack = read_pack (bytes, &local_error)) &&
      (styles = parse_styles (pack, FALSE, &local_error)) &&
      validate_styles (self, styles, &local_error))
    {
      /* A later version may ship a built-in style with a user's id. */
      accepted = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < styles->len; i++)
        {
          LkStyle *style = g_ptr_array_index (styles, i);
          g_autofree char *id = unique_id (self, lk_style_get_id (style), accepted);

          g_object_set (style, "id", id, NULL);
          g_ptr_array_add (accepted, g_object_ref (style));
        }

      g_list_store_splice (self->styles, self->n_built_in, 0, accepted->pdata, accepted->len);
      return TRUE;
    }

  if (!(aside = set_aside (self->user_file, error)))
    return FALSE;

  aside_path = g_file_get_parse_name (aside);
  g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
               _("Your own styles could not be read, so they were moved to “%s”. %s"),
               aside_path, local_error->message);
  return FALSE;
}

/**
 * lk_style_library_get_styles:
 *
 * Returns: (transfer none): a list of #LkStyle: the built-in styles in
 *   their order, then the user's in the order they were made
 */
GListModel *
lk_style_library_get_styles (LkStyleLibrary *self)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);

  return G_LIST_MODEL (self->styles);
}

/**
 * lk_style_library_lookup:
 *
 * Returns: (transfer none) (nullable): the style with that id
 */
LkStyle *
lk_style_library_lookup (LkStyleLibrary *self,
                         const char     *id)
{
  guint position;
  g_autoptr(LkStyle) style = NULL;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!find_style (self, id, &position))
    return NULL;

  /* The list keeps its own reference. */
  style = g_list_model_get_item (G_LIST_MODEL (self->styles), position);
  return style;
}

/**
 * lk_style_library_get_categories:
 *
 * Returns: (transfer none): the category ids, in the order the gallery
 *   shows them
 */
const char * const *
lk_style_library_get_categories (LkStyleLibrary *self)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);

  return (const char * const *) self->categories;
}

/**
 * lk_style_library_get_category_name:
 *
 * Returns: (nullable): the translated name of @category
 */
const char *
lk_style_library_get_category_name (LkStyleLibrary *self,
                                    const char     *category)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);
  g_return_val_if_fail (category != NULL, NULL);

  return g_hash_table_lookup (self->category_names, category);
}

/**
 * lk_style_library_get_icons:
 *
 * Returns: (transfer none): the names of the icons a style can have
 */
const char * const *
lk_style_library_get_icons (LkStyleLibrary *self)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);

  return (const char * const *) self->icons;
}

static gboolean
check_length (const char  *text,
              guint        limit,
              const char  *message,
              GError     **error)
{
  if (g_utf8_strlen (text, -1) <= limit)
    return TRUE;

  g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  gboolean valid = *id != '\0' && strlen (id) <= MAX_ID_LENGTH && id[0] != '-';

  for (const char *p = id; valid && *p != '\0'; p++)
    valid = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-';

  if (!valid)
    g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                 _("The id “%s” is not usable: it must be 1 to %d lowercase letters, digits and hyphens."),
                 id, MAX_ID_LENGTH);

  return valid;
}

static gboolean
check_category (LkStyleLibrary  *self,
                const char      *category,
                GError         **error)
{
  g_autofree char *known = NULL;

  if (g_strv_contains ((const char * const *) self->categories, category))
    return TRUE;

  known = g_strjoinv (", ", self->categories);
  g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
               _("“%s” is not a category. Use one of: %s."), category, known);
  return FALSE;
}

static gboolean
check_prompt (const char  *prompt,
              GError     **error)
{
  const char *brace;
  g_autofree char *stripped = g_strstrip (g_strdup (prompt));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                           _("The prompt is empty. Describe the portrait, with {subject} where the person goes."));
      return FALSE;
    }

  if (strstr (prompt, LK_STYLE_SUBJECT) == NULL)
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                           _("The prompt must contain {subject}, which becomes the person in the portrait."));
      return FALSE;
    }

  /* Any other placeholder would reach the model as it is. */
  for (brace = strchr (prompt, '{'); brace != NULL; brace = strchr (brace + 1, '{'))
    {
      if (!g_str_has_prefix (brace, LK_STYLE_SUBJECT))
        {
          const char *end = strchr (brace, '}');
          g_autofree char *placeholder = g_strndup (brace, end != NULL ? (gsize) (end - brace + 1) : strlen (brace));

          g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                       _("The prompt has “%s”, which Likeness does not fill in: {subject} is the only placeholder."),
                       placeholder);
          return FALSE;
        }
    }

  return check_length (prompt, MAX_PROMPT_LENGTH,
                       _("The prompt is longer than 2000 characters. Shorten it: models read only the start of a long prompt."),
                       error);
}

static gboolean
check_size (LkStyle  *style,
            GError  **error)
{
  const char *ratio = lk_style_get_aspect_ratio (style);
  guint width = lk_style_get_width (style);
  guint height = lk_style_get_height (style);
  guint ratio_width;
  guint ratio_height;
  double wanted;
  double actual;

  if (!lk_style_get_aspect_size (ratio, &ratio_width, &ratio_height))
    {
      g_autofree char *known = g_strjoinv (", ", (GStrv) lk_style_get_aspect_ratios ());

      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("“%s” is not an aspect ratio the models take. Use one of: %s."), ratio, known);
      return FALSE;
    }

  if (width < LK_STYLE_MIN_SIZE || width > LK_STYLE_MAX_SIZE ||
      height < LK_STYLE_MIN_SIZE || height > LK_STYLE_MAX_SIZE)
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("The size %u × %u is not usable: width and height must be from %d to %d pixels."),
                   width, height, LK_STYLE_MIN_SIZE, LK_STYLE_MAX_SIZE);
      return FALSE;
    }

  if (width % LK_STYLE_SIZE_STEP != 0 || height % LK_STYLE_SIZE_STEP != 0)
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("The size %u × %u is not usable: width and height must be multiples of %d pixels."),
                   width, height, LK_STYLE_SIZE_STEP);
      return FALSE;
    }

  wanted = (double) ratio_width / ratio_height;
  actual = (double) width / height;
  if (fabs (actual / wanted - 1.0) > ASPECT_TOLERANCE)
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("The size %u × %u does not have the aspect ratio %s. Use %u × %u, or a size close to it."),
                   width, height, ratio, ratio_width, ratio_height);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_in_range (double value,
             double minimum,
             double maximum)
{
  return isfinite (value) && value >= minimum && value <= maximum;
}

static gboolean
check_color (const char  *color,
             GError     **error)
{
  gboolean valid = strlen (color) == 7 && color[0] == '#';

  for (guint i = 1; valid && i < 7; i++)
    valid = g_ascii_isxdigit (color[i]);

  if (!valid)
    g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                 _("“%s” is not a colour: write it as #rrggbb, such as #3584e4."), color);

  return valid;
}

static gboolean
check_icon (LkStyleLibrary  *self,
            const char      *icon,
            GError         **error)
{
  g_autofree char *known = NULL;

  if (g_strv_contains ((const char * const *) self->icons, icon))
    return TRUE;

  known = g_strjoinv (", ", self->icons);
  g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
               _("“%s” is not a style icon. Use one of: %s."), icon, known);
  return FALSE;
}

/**
 * lk_style_library_check:
 *
 * Checks one field of @style, so that an editor can show a problem next
 * to the field it is about.
 *
 * Returns: whether @field is usable; if not, @error says why
 *   (%LK_STYLE_ERROR_INVALID)
 */
gboolean
lk_style_library_check (LkStyleLibrary  *self,
                        LkStyle         *style,
                        LkStyleField     field,
                        GError         **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), FALSE);
  g_return_val_if_fail (LK_IS_STYLE (style), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (field)
    {
    case LK_STYLE_FIELD_ID:
      return check_id (lk_style_get_id (style), error);

    case LK_STYLE_FIELD_NAME:
      name = g_strstrip (g_strdup (lk_style_get_name (style)));
      if (*name == '\0')
        {
          g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                               _("The name is empty. Give the style a short name for its card."));
          return FALSE;
        }
      return check_length (name, MAX_NAME_LENGTH,
                           _("The name is longer than 60 characters. Keep it short enough for a card."),
                           error);

    case LK_STYLE_FIELD_DESCRIPTION:
      return check_length (lk_style_get_description (style), MAX_DESCRIPTION_LENGTH,
                           _("The description is longer than 160 characters. One line is enough."),
                           error);

    case LK_STYLE_FIELD_CATEGORY:
      return check_category (self, lk_style_get_category (style), error);

    case LK_STYLE_FIELD_PROMPT:
      return check_prompt (lk_style_get_prompt (style), error);

    case LK_STYLE_FIELD_NEGATIVE_PROMPT:
      return check_length (lk_style_get_negative_prompt (style), MAX_NEGATIVE_PROMPT_LENGTH,
                           _("The negative prompt is longer than 1000 characters. Shorten it."),
                           error);

    case LK_STYLE_FIELD_SIZE:
      return check_size (style, error);

    case LK_STYLE_FIELD_IDENTITY_WEIGHT:
      if (is_in_range (lk_style_get_identity_weight (style),
                       LK_STYLE_MIN_IDENTITY_WEIGHT, LK_STYLE_MAX_IDENTITY_WEIGHT))
        return TRUE;
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("The identity weight must be from %g to %g; it is %g."),
                   LK_STYLE_MIN_IDENTITY_WEIGHT, LK_STYLE_MAX_IDENTITY_WEIGHT,
                   lk_style_get_identity_weight (style));
      return FALSE;

    case LK_STYLE_FIELD_GUIDANCE:
      if (is_in_range (lk_style_get_guidance (style), LK_STYLE_MIN_GUIDANCE, LK_STYLE_MAX_GUIDANCE))
        return TRUE;
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_INVALID,
                   _("The guidance must be from %g to %g; it is %g."),
                   LK_STYLE_MIN_GUIDANCE, LK_STYLE_MAX_GUIDANCE, lk_style_get_guidance (style));
      return FALSE;

    case LK_STYLE_FIELD_COLOR:
      return check_color (lk_style_get_color (style), error);

    case LK_STYLE_FIELD_ICON:
      return check_icon (self, lk_style_get_icon (style), error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * lk_style_library_validate:
 *
 * Checks every field of @style.
 *
 * Returns: whether the style is usable; if not, @error says what the
 *   first problem is (%LK_STYLE_ERROR_INVALID)
 */
gboolean
lk_style_library_validate (LkStyleLibrary  *self,
                           LkStyle         *style,
                           GError         **error)
{
  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), FALSE);
  g_return_val_if_fail (LK_IS_STYLE (style), FALSE);

  for (LkStyleField field = LK_STYLE_FIELD_ID; field <= LK_STYLE_FIELD_ICON; field++)
    {
      if (!lk_style_library_check (self, style, field, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * lk_style_library_add:
 * @style: the new style; its id is ignored
 *
 * Adds a copy of @style to the user's styles, with an id made from its
 * name, and saves them. Duplicating a built-in style is adding a copy of
 * it under a new name.
 *
 * Returns: (transfer none): the style as the library keeps it, or %NULL
 *   with @error set when @style is not valid or cannot be saved
 */
LkStyle *
lk_style_library_add (LkStyleLibrary  *self,
                      LkStyle         *style,
                      GError         **error)
{
  g_autoptr(LkStyle) copy = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);
  g_return_val_if_fail (LK_IS_STYLE (style), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = lk_style_copy (style);
  wanted = id_from_name (lk_style_get_name (style));
  id = unique_id (self, wanted, NULL);
  g_object_set (copy, "id", id, NULL);

  if (!lk_style_library_validate (self, copy, error) ||
      !commit (self, g_list_model_get_n_items (G_LIST_MODEL (self->styles)), 0, &copy, 1, error))
    return NULL;

  return copy;
}

static gboolean
find_user_style (LkStyleLibrary  *self,
                 const char      *id,
                 guint           *position,
                 GError         **error)
{
  if (!find_style (self, id, position))
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_NOT_FOUND,
                   _("There is no style “%s”. It may have been deleted."), id);
      return FALSE;
    }

  if (*position < self->n_built_in)
    {
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_READ_ONLY,
                   _("“%s” is a built-in style, which cannot be changed or deleted. Duplicate it to make a copy of your own."),
                   id);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_style_library_replace:
 * @style: the edited style, with the id of the user style it replaces
 *
 * Replaces the user's style that has the id of @style with a copy of
 * @style, keeping its thumbnail, and saves the user's styles.
 *
 * Returns: whether the style was replaced; %LK_STYLE_ERROR_READ_ONLY for
 *   a built-in style
 */
gboolean
lk_style_library_replace (LkStyleLibrary  *self,
                          LkStyle         *style,
                          GError         **error)
{
  g_autoptr(LkStyle) copy = NULL;
  g_autoptr(LkStyle) old = NULL;
  guint position;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), FALSE);
  g_return_val_if_fail (LK_IS_STYLE (style), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_user_style (self, lk_style_get_id (style), &position, error))
    return FALSE;

  copy = lk_style_copy (style);
  if (!lk_style_library_validate (self, copy, error))
    return FALSE;

  old = g_list_model_get_item (G_LIST_MODEL (self->styles), position);
  lk_style_set_thumbnail (copy, lk_style_get_thumbnail (old));

  return commit (self, position, 1, &copy, 1, error);
}

/**
 * lk_style_library_remove:
 *
 * Deletes a user style and saves the user's styles.
 *
 * Returns: whether the style was deleted; %LK_STYLE_ERROR_READ_ONLY for
 *   a built-in style
 */
gboolean
lk_style_library_remove (LkStyleLibrary  *self,
                         const char      *id,
                         GError         **error)
{
  guint position;

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_user_style (self, id, &position, error))
    return FALSE;

  return commit (self, position, 1, NULL, 0, error);
}

/**
 * lk_style_library_import:
 * @pack: the contents of a style pack file
 *
 * Checks every style in @pack and adds them all to the user's styles, or
 * none when any is not valid. A style whose id is taken gets a new one.
 *
 * Returns: (transfer container) (element-type LkStyle): the styles
 *   added, or %NULL with @error set; the message names the style and the
 *   problem, such as “Style 3 has no prompt.”
 */
GPtrArray *
lk_style_library_import (LkStyleLibrary  *self,
                         GBytes          *pack,
                         GError         **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) styles = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);
  g_return_val_if_fail (pack != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(object = read_pack (pack, error)) ||
      !(styles = parse_styles (object, FALSE, error)) ||
      !validate_styles (self, styles, error))
    return NULL;

  if (styles->len == 0)
    {
      g_set_error_literal (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                           _("This style pack has no styles in it."));
      return NULL;
    }

  for (guint i = 0; i < styles->len; i++)
    {
      LkStyle *style = g_ptr_array_index (styles, i);
      g_autofree char *id = unique_id (self, lk_style_get_id (style), added);

      g_object_set (style, "id", id, NULL);
      g_ptr_array_add (added, g_object_ref (style));
    }

  if (!commit (self, g_list_model_get_n_items (G_LIST_MODEL (self->styles)), 0,
               (LkStyle **) added->pdata, added->len, error))
    return NULL;

  return g_steal_pointer (&added);
}

/**
 * lk_style_library_export:
 * @styles: a list of #LkStyle, built in or not
 *
 * Returns: (transfer full): a style pack with @styles, for
 *   lk_style_library_import() here or on another computer
 */
GBytes *
lk_style_library_export (LkStyleLibrary *self,
                         GListModel     *styles)
{
  g_autoptr(JsonArray) array = json_array_new ();

  g_return_val_if_fail (LK_IS_STYLE_LIBRARY (self), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (styles), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);

      json_array_add_object_element (array, lk_style_to_json (style));
    }

  return pack_to_bytes (array);
}
