/* lk-style.c: one portrait style: how to phrase the prompt, the image size
 * and the model settings, and how its card looks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-style"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-style.h"

struct _LkStyle
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *description;
  char    *category;
  char    *prompt;
  char    *negative_prompt;
  char    *aspect_ratio;
  char    *color;
  char    *icon;
  guint    width;
  guint    height;
  double   identity_weight;
  double   guidance;
  GFile   *thumbnail;
  gboolean built_in;
};

G_DEFINE_FINAL_TYPE (LkStyle, lk_style, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-style-error-quark, lk_style_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_CATEGORY,
  PROP_PROMPT,
  PROP_NEGATIVE_PROMPT,
  PROP_ASPECT_RATIO,
  PROP_COLOR,
  PROP_ICON,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_IDENTITY_WEIGHT,
  PROP_GUIDANCE,
  PROP_THUMBNAIL,
  PROP_BUILT_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The properties that are plain strings, kept in one table so that getting,
 * setting, copying and reading JSON treat them alike. */
static const struct {
  guint       prop;
  gsize       offset;
} string_fields[] = {
  { PROP_ID, G_STRUCT_OFFSET (LkStyle, id) },
  { PROP_NAME, G_STRUCT_OFFSET (LkStyle, name) },
  { PROP_DESCRIPTION, G_STRUCT_OFFSET (LkStyle, description) },
  { PROP_CATEGORY, G_STRUCT_OFFSET (LkStyle, category) },
  { PROP_PROMPT, G_STRUCT_OFFSET (LkStyle, prompt) },
  { PROP_NEGATIVE_PROMPT, G_STRUCT_OFFSET (LkStyle, negative_prompt) },
  { PROP_ASPECT_RATIO, G_STRUCT_OFFSET (LkStyle, aspect_ratio) },
  { PROP_COLOR, G_STRUCT_OFFSET (LkStyle, color) },
  { PROP_ICON, G_STRUCT_OFFSET (LkStyle, icon) },
};

/* The JSON members of a style, as in data/styles.json and style packs. */
static const struct {
  const char *member;
  guint       prop;
  gboolean    required;
} members[] = {
  { "id", PROP_ID, TRUE },
  { "name", PROP_NAME, TRUE },
  { "description", PROP_DESCRIPTION, FALSE },
  { "category", PROP_CATEGORY, TRUE },
  { "prompt", PROP_PROMPT, TRUE },
  { "negative_prompt", PROP_NEGATIVE_PROMPT, FALSE },
  { "aspect_ratio", PROP_ASPECT_RATIO, TRUE },
  { "width", PROP_WIDTH, TRUE },
  { "height", PROP_HEIGHT, TRUE },
  { "identity_weight", PROP_IDENTITY_WEIGHT, FALSE },
  { "guidance", PROP_GUIDANCE, FALSE },
  { "color", PROP_COLOR, FALSE },
  { "icon", PROP_ICON, FALSE },
};

/* The aspect ratios flux-kontext-pro accepts, each with the size that the
 * size-based models get for it: about one megapixel, in steps of 16. */
static const struct {
  const char *ratio;
  guint       width;
  guint       height;
} aspect_sizes[] = {
  { "1:1", 1024, 1024 },
  { "4:5", 896, 1120 },
  { "3:4", 896, 1152 },
  { "2:3", 832, 1248 },
  { "9:16", 768, 1344 },
  { "9:21", 640, 1536 },
  { "1:2", 704, 1408 },
  { "5:4", 1120, 896 },
  { "4:3", 1152, 896 },
  { "3:2", 1248, 832 },
  { "16:9", 1344, 768 },
  { "21:9", 1536, 640 },
  { "2:1", 1408, 704 },
};

static char **
string_field (LkStyle *self,
              guint    prop)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      if (string_fields[i].prop == prop)
        return G_STRUCT_MEMBER_P (self, string_fields[i].offset);
    }

  return NULL;
}

static void
set_string (LkStyle    *self,
            guint       prop,
            const char *value)
{
  char **field = string_field (self, prop);

  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (LkStyle *self,
          guint   *field,
          guint    value,
          guint    prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_double (LkStyle *self,
            double  *field,
            double   value,
            guint    prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
lk_style_finalize (GObject *object)
{
  LkStyle *self = LK_STYLE (object);

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    g_free (G_STRUCT_MEMBER (char *, self, string_fields[i].offset));
  g_clear_object (&self->thumbnail);

  G_OBJECT_CLASS (lk_style_parent_class)->finalize (object);
}

static void
lk_style_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkStyle *self = LK_STYLE (object);
  char **string = string_field (self, prop_id);

  if (string != NULL)
    {
      g_value_set_string (value, *string);
      return;
    }

  switch (prop_id)
    {
    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;

    case PROP_IDENTITY_WEIGHT:
      g_value_set_double (value, self->identity_weight);
      break;

    case PROP_GUIDANCE:
      g_value_set_double (value, self->guidance);
      break;

    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;

    case PROP_BUILT_IN:
      g_value_set_boolean (value, self->built_in);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LkStyle *self = LK_STYLE (object);

  if (string_field (self, prop_id) != NULL)
    {
      set_string (self, prop_id, g_value_get_string (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_WIDTH:
      set_uint (self, &self->width, g_value_get_uint (value), prop_id);
      break;

    case PROP_HEIGHT:
      set_uint (self, &self->height, g_value_get_uint (value), prop_id);
      break;

    case PROP_IDENTITY_WEIGHT:
      set_double (self, &self->identity_weight, g_value_get_double (value), prop_id);
      break;

    case PROP_GUIDANCE:
      set_double (self, &self->guidance, g_value_get_double (value), prop_id);
      break;

    case PROP_THUMBNAIL:
      lk_style_set_thumbnail (self, g_value_get_object (value));
      break;

    case PROP_BUILT_IN:
      self->built_in = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_class_init (LkStyleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const char * const string_names[] = {
    [PROP_ID] = "id",
    [PROP_NAME] = "name",
    [PROP_DESCRIPTION] = "description",
    [PROP_CATEGORY] = "category",
    [PROP_PROMPT] = "prompt",
    [PROP_NEGATIVE_PROMPT] = "negative-prompt",
    [PROP_ASPECT_RATIO] = "aspect-ratio",
    [PROP_COLOR] = "color",
    [PROP_ICON] = "icon",
  };

  object_class->finalize = lk_style_finalize;
  object_class->get_property = lk_style_get_property;
  object_class->set_property = lk_style_set_property;

  /* The strings never read back as %NULL: an unset one is empty. Their
   * meaning is in the #LkStyleField of the same name. */
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      guint prop = string_fields[i].prop;

      properties[prop] = g_param_spec_string (string_names[prop], NULL, NULL, "", flags);
    }

  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_IDENTITY_WEIGHT] =
    g_param_spec_double ("identity-weight", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 1.0, flags);
  properties[PROP_GUIDANCE] =
    g_param_spec_double ("guidance", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 4.0, flags);

  /**
   * LkStyle:thumbnail:
   *
   * The user's latest portrait in this style, shown on its card instead
   * of the icon. It is not part of the style's JSON.
   */
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, G_TYPE_FILE, flags);

  /**
   * LkStyle:built-in:
   *
   * Whether the style ships with Likeness; built-in styles cannot be
   * edited or deleted, only duplicated.
   */
  properties[PROP_BUILT_IN] =
    g_param_spec_boolean ("built-in", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_style_init (LkStyle *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    G_STRUCT_MEMBER (char *, self, string_fields[i].offset) = g_strdup ("");

  /* What a new style starts with: flux-pulid's defaults, a GNOME blue and
   * the generic style icon. */
  g_free (self->color);
  self->color = g_strdup ("#3584e4");
  g_free (self->icon);
  self->icon = g_strdup ("lk-style-sparkle-symbolic");
  self->identity_weight = 1.0;
  self->guidance = 4.0;
}

/* Translators: each %u is the style's position in the pack, from 1. */
static void
set_missing_error (GError **error,
                   guint    prop,
                   guint    number)
{
  switch (prop)
    {
    case PROP_ID:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no id."), number);
      break;

    case PROP_NAME:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no name."), number);
      break;

    case PROP_CATEGORY:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no category."), number);
      break;

    case PROP_PROMPT:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no prompt."), number);
      break;

    case PROP_ASPECT_RATIO:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no aspect ratio."), number);
      break;

    case PROP_WIDTH:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no width."), number);
      break;

    case PROP_HEIGHT:
      g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK, _("Style %u has no height."), number);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_member (JsonNode    *node,
             GParamSpec  *pspec,
             guint        number,
             const char  *member,
             GValue      *value,
             GError     **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (pspec));

  if (G_IS_PARAM_SPEC_STRING (pspec) && type == G_TYPE_STRING)
    {
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;
    }

  if (G_IS_PARAM_SPEC_UINT (pspec) && type == G_TYPE_INT64)
    {
      /* A negative or huge size is kept out of range so that validation
       * names the allowed range rather than a wrapped-around number. */
      g_value_set_uint (value, CLAMP (json_node_get_int (node), 0, G_MAXUINT));
      return TRUE;
    }

  if (G_IS_PARAM_SPEC_DOUBLE (pspec) && (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE))
    {
      g_value_set_double (value, json_node_get_double (node));
      return TRUE;
    }

  if (G_IS_PARAM_SPEC_STRING (pspec))
    /* Translators: the first %u is the style's position in the pack, the
     * %s the JSON member, such as “prompt”. */
    g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                 _("Style %u: “%s” must be text in quotes."), number, member);
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                 _("Style %u: “%s” must be a whole number."), number, member);
  else
    g_set_error (error, LK_STYLE_ERROR, LK_STYLE_ERROR_PACK,
                 _("Style %u: “%s” must be a number."), number, member);

  return FALSE;
}

/**
 * lk_style_new_from_json:
 * @object: one style as in data/styles.json or a style pack
 * @number: the style's position in its file, counted from 1, for messages
 * @built_in: whether the style ships with Likeness
 *
 * Reads the members that are there and checks that the required ones are
 * and that each has the right type. Whether the values are usable is for
 * lk_style_library_validate() to say. Members it does not know are left
 * out, so that packs from later versions can still be read.
 *
 * Returns: (transfer full): the style, or %NULL with @error set
 *   (%LK_STYLE_ERROR_PACK)
 */
LkStyle *
lk_style_new_from_json (JsonObject  *object,
                        guint        number,
                        gboolean     built_in,
                        GError     **error)
{
  g_autoptr(LkStyle) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LK_TYPE_STYLE, "built-in", built_in, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (object, members[i].member);
      g_auto(GValue) value = G_VALUE_INIT;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (!members[i].required)
            continue;

          set_missing_error (error, members[i].prop, number);
          return NULL;
        }

      if (!read_member (node, properties[members[i].prop], number, members[i].member, &value, error))
        return NULL;

      g_object_set_property (G_OBJECT (self), properties[members[i].prop]->name, &value);
    }

  return g_steal_pointer (&self);
}

/**
 * lk_style_to_json:
 *
 * Returns: (transfer full): the style as a style pack holds it
 */
JsonObject *
lk_style_to_json (LkStyle *self)
{
  JsonObject *object;

  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  object = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (self), properties[members[i].prop]->name, &value);
      if (G_VALUE_HOLDS_STRING (&value))
        json_object_set_string_member (object, members[i].member, g_value_get_string (&value));
      else if (G_VALUE_HOLDS_UINT (&value))
        json_object_set_int_member (object, members[i].member, g_value_get_uint (&value));
      else
        json_object_set_double_member (object, members[i].member, g_value_get_double (&value));
    }

  return object;
}

/**
 * lk_style_copy:
 *
 * Copies every field but the thumbnail into a style that is not built in,
 * for an editor to change or for a duplicate.
 *
 * Returns: (transfer full): the copy
 */
LkStyle *
lk_style_copy (LkStyle *self)
{
  LkStyle *copy;

  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  copy = g_object_new (LK_TYPE_STYLE,
                       "width", self->width,
                       "height", self->height,
                       "identity-weight", self->identity_weight,
                       "guidance", self->guidance,
                       NULL);
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    set_string (copy, string_fields[i].prop, G_STRUCT_MEMBER (char *, self, string_fields[i].offset));

  return copy;
}

/**
 * lk_style_render_prompt:
 * @subject: how the person is named, such as “a person” for identity
 *   models or “TOK person” with a trained model's trigger word
 *
 * Returns: (transfer full): the prompt with every `{subject}` replaced
 */
char *
lk_style_render_prompt (LkStyle    *self,
                        const char *subject)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (LK_IS_STYLE (self), NULL);
  g_return_val_if_fail (subject != NULL, NULL);

  parts = g_strsplit (self->prompt, LK_STYLE_SUBJECT, -1);
  return g_strjoinv (subject, parts);
}

const char *
lk_style_get_id (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->id;
}

const char *
lk_style_get_name (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->name;
}

const char *
lk_style_get_description (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->description;
}

const char *
lk_style_get_category (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->category;
}

const char *
lk_style_get_prompt (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->prompt;
}

const char *
lk_style_get_negative_prompt (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->negative_prompt;
}

/**
 * lk_style_get_aspect_ratio:
 *
 * Returns: the aspect ratio for models that take one, such as “4:5”; it
 *   matches lk_style_get_width() and lk_style_get_height() within 5%
 */
const char *
lk_style_get_aspect_ratio (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->aspect_ratio;
}

guint
lk_style_get_width (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), 0);

  return self->width;
}

guint
lk_style_get_height (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), 0);

  return self->height;
}

/**
 * lk_style_get_identity_weight:
 *
 * Returns: the suggested identity weight (flux-pulid's `id_weight`),
 *   from %LK_STYLE_MIN_IDENTITY_WEIGHT to %LK_STYLE_MAX_IDENTITY_WEIGHT
 */
double
lk_style_get_identity_weight (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), 0.0);

  return self->identity_weight;
}

/**
 * lk_style_get_guidance:
 *
 * Returns: the suggested guidance scale, from %LK_STYLE_MIN_GUIDANCE to
 *   %LK_STYLE_MAX_GUIDANCE
 */
double
lk_style_get_guidance (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), 0.0);

  return self->guidance;
}

/**
 * lk_style_get_color:
 *
 * Returns: the card's colour as `#rrggbb`
 */
const char *
lk_style_get_color (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->color;
}

/**
 * lk_style_get_icon:
 *
 * Returns: the name of the card's symbolic icon
 */
const char *
lk_style_get_icon (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->icon;
}

gboolean
lk_style_get_built_in (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), FALSE);

  return self->built_in;
}

/**
 * lk_style_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the latest portrait in this style
 */
GFile *
lk_style_get_thumbnail (LkStyle *self)
{
  g_return_val_if_fail (LK_IS_STYLE (self), NULL);

  return self->thumbnail;
}

void
lk_style_set_thumbnail (LkStyle *self,
                        GFile   *thumbnail)
{
  g_return_if_fail (LK_IS_STYLE (self));
  g_return_if_fail (thumbnail == NULL || G_IS_FILE (thumbnail));

  if (self->thumbnail == thumbnail ||
      (self->thumbnail != NULL && thumbnail != NULL && g_file_equal (self->thumbnail, thumbnail)))
    return;

  g_set_object (&self->thumbnail, thumbnail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

/**
 * lk_style_get_aspect_ratios:
 *
 * Returns: (transfer none): the aspect ratios a style can have, portrait
 *   shapes first
 */
const char * const *
lk_style_get_aspect_ratios (void)
{
  static const char *ratios[G_N_ELEMENTS (aspect_sizes) + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (aspect_sizes); i++)
        ratios[i] = aspect_sizes[i].ratio;
      g_once_init_leave (&initialized, 1);
    }

  return ratios;
}

/**
 * lk_style_get_aspect_size:
 * @aspect_ratio: one of lk_style_get_aspect_ratios()
 * @width: (out) (optional): the width the size-based models get for it
 * @height: (out) (optional): the height they get for it
 *
 * Returns: whether @aspect_ratio is one a style can have
 */
gboolean
lk_style_get_aspect_size (const char *aspect_ratio,
                          guint      *width,
                          guint      *height)
{
  g_return_val_if_fail (aspect_ratio != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (aspect_sizes); i++)
    {
      if (g_str_equal (aspect_sizes[i].ratio, aspect_ratio))
        {
          if (width != NULL)
            *width = aspect_sizes[i].width;
          if (height != NULL)
            *height = aspect_sizes[i].height;
          return TRUE;
        }
    }

  return FALSE;
}
