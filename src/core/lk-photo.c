/* lk-photo.c: one photo offered as a reference: its measurements, score,
 * reasons, and what the ranking and the person decided about it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lk-photo.h"

struct _LkPhoto
{
  GObject         parent_instance;

  char           *path;
  char           *name;
  char           *skip_reason;
  LkPhotoMetrics  metrics;
  gboolean        analyzed;
  gboolean        usable;
  double          score;
  LkPhotoFlaws    flaws;
  char          **reasons;
  GdkPixbuf      *thumbnail;
  guint           rank;
  guint           group;
  char           *duplicate_of;
  guint           recommended : 1;
  guint           pinned : 1;
  guint           excluded : 1;
};

G_DEFINE_FINAL_TYPE (LkPhoto, lk_photo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_SKIP_REASON,
  PROP_SCORE,
  PROP_USABLE,
  PROP_REASONS,
  PROP_MAIN_REASON,
  PROP_THUMBNAIL,
  PROP_RANK,
  PROP_GROUP,
  PROP_DUPLICATE_OF,
  PROP_RECOMMENDED,
  PROP_PINNED,
  PROP_EXCLUDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (LkPhoto *self,
        guint    prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* One flaw in plain words; some name a figure from the metrics. */
static char *
describe_flaw (LkPhoto      *self,
               LkPhotoFlaws  flaw)
{
  const LkPhotoMetrics *m = &self->metrics;

  switch (flaw)
    {
    case LK_PHOTO_FLAW_LOW_RESOLUTION:
      return g_strdup_printf (_("Low resolution (%d x %d)"), m->width, m->height);

    case LK_PHOTO_FLAW_NO_FACE:
      return g_strdup (_("No face found"));

    case LK_PHOTO_FLAW_MANY_FACES:
      return g_strdup (_("More than one face"));

    case LK_PHOTO_FLAW_DUPLICATE:
      {
        g_autofree char *name = g_path_get_basename (self->duplicate_of);

        return g_strdup_printf (_("Near-duplicate of %s"), name);
      }

    case LK_PHOTO_FLAW_BLURRY:
      return g_strdup (_("Blurry"));

    case LK_PHOTO_FLAW_DARK:
      return g_strdup (_("Too dark"));

    case LK_PHOTO_FLAW_OVEREXPOSED:
      return g_strdup (_("Overexposed"));

    case LK_PHOTO_FLAW_SMALL_FACE:
      return g_strdup_printf (_("Face too small (%d%% of the photo)"),
                              MAX (1, (int) round (m->face_share * 100)));

    case LK_PHOTO_FLAW_TURNED_AWAY:
      return g_strdup (_("Face turned away"));

    case LK_PHOTO_FLAW_UNEVEN_LIGHT:
      return g_strdup (_("Uneven lighting"));

    case LK_PHOTO_FLAW_NOISY:
      return g_strdup (_("Noisy"));

    default:
      g_return_val_if_reached (NULL);
    }
}

/* The reasons are the flaws the analysis found and the one the ranking
 * adds, being a near-duplicate of a better photo, worst first: the
 * flags' order is their severity. */
static void
update_reasons (LkPhoto *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  LkPhotoFlaws flaws = self->flaws;

  if (self->duplicate_of != NULL)
    flaws |= LK_PHOTO_FLAW_DUPLICATE;

  for (LkPhotoFlaws flaw = 1; flaw <= LK_PHOTO_FLAW_NOISY; flaw <<= 1)
    {
      if (flaws & flaw)
        {
          g_autofree char *reason = describe_flaw (self, flaw);

          g_strv_builder_add (builder, reason);
        }
    }

  g_strfreev (self->reasons);
  self->reasons = g_strv_builder_end (builder);

  notify (self, PROP_REASONS);
  notify (self, PROP_MAIN_REASON);
}

static void
lk_photo_finalize (GObject *object)
{
  LkPhoto *self = LK_PHOTO (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->skip_reason, g_free);
  g_clear_pointer (&self->reasons, g_strfreev);
  g_clear_pointer (&self->duplicate_of, g_free);
  g_clear_object (&self->thumbnail);

  G_OBJECT_CLASS (lk_photo_parent_class)->finalize (object);
}

static void
lk_photo_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkPhoto *self = LK_PHOTO (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SKIP_REASON:
      g_value_set_string (value, self->skip_reason);
      break;

    case PROP_SCORE:
      g_value_set_double (value, self->score);
      break;

    case PROP_USABLE:
      g_value_set_boolean (value, self->usable);
      break;

    case PROP_REASONS:
      g_value_set_boxed (value, self->reasons);
      break;

    case PROP_MAIN_REASON:
      g_value_set_string (value, lk_photo_get_main_reason (self));
      break;

    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;

    case PROP_RANK:
      g_value_set_uint (value, self->rank);
      break;

    case PROP_GROUP:
      g_value_set_uint (value, self->group);
      break;

    case PROP_DUPLICATE_OF:
      g_value_set_string (value, self->duplicate_of);
      break;

    case PROP_RECOMMENDED:
      g_value_set_boolean (value, self->recommended);
      break;

    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;

    case PROP_EXCLUDED:
      g_value_set_boolean (value, self->excluded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_photo_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LkPhoto *self = LK_PHOTO (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      self->name = g_path_get_basename (self->path);
      break;

    case PROP_SKIP_REASON:
      self->skip_reason = g_value_dup_string (value);
      break;

    case PROP_PINNED:
      lk_photo_set_pinned (self, g_value_get_boolean (value));
      break;

    case PROP_EXCLUDED:
      lk_photo_set_excluded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_photo_class_init (LkPhotoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lk_photo_finalize;
  object_class->get_property = lk_photo_get_property;
  object_class->set_property = lk_photo_set_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, construct);
  /** LkPhoto:name: the file name, for display */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  /** LkPhoto:skip-reason: why the file cannot be used at all, or %NULL */
  properties[PROP_SKIP_REASON] = g_param_spec_string ("skip-reason", NULL, NULL, NULL, construct);
  /** LkPhoto:score: how good a reference the photo is, 0 to 100 */
  properties[PROP_SCORE] = g_param_spec_double ("score", NULL, NULL, 0.0, 100.0, 0.0, ro);
  /** LkPhoto:usable: whether the photo can serve as a reference at all */
  properties[PROP_USABLE] = g_param_spec_boolean ("usable", NULL, NULL, FALSE, ro);
  /** LkPhoto:reasons: what holds the photo back, in plain words, worst first */
  properties[PROP_REASONS] = g_param_spec_boxed ("reasons", NULL, NULL, G_TYPE_STRV, ro);
  /** LkPhoto:main-reason: the first of the reasons, or %NULL */
  properties[PROP_MAIN_REASON] = g_param_spec_string ("main-reason", NULL, NULL, NULL, ro);
  /** LkPhoto:thumbnail: a small upright copy for display, once made */
  properties[PROP_THUMBNAIL] = g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_PIXBUF, ro);
  /** LkPhoto:rank: the place in the ranking, from 1; 0 before ranking */
  properties[PROP_RANK] = g_param_spec_uint ("rank", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkPhoto:group: the near-duplicate group, from 1 */
  properties[PROP_GROUP] = g_param_spec_uint ("group", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkPhoto:duplicate-of: the path of the better photo this one nearly repeats */
  properties[PROP_DUPLICATE_OF] = g_param_spec_string ("duplicate-of", NULL, NULL, NULL, ro);
  /** LkPhoto:recommended: whether the photo is one of the chosen references */
  properties[PROP_RECOMMENDED] = g_param_spec_boolean ("recommended", NULL, NULL, FALSE, ro);
  /** LkPhoto:pinned: the person wants this photo used, whatever its score */
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE, rw);
  /** LkPhoto:excluded: the person does not want this photo used */
  properties[PROP_EXCLUDED] = g_param_spec_boolean ("excluded", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_photo_init (LkPhoto *self)
{
  self->reasons = g_new0 (char *, 1);
}

/**
 * lk_photo_new:
 * @path: the photo's file
 *
 * Returns: (transfer full): a photo not yet analyzed
 */
LkPhoto *
lk_photo_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (LK_TYPE_PHOTO, "path", path, NULL);
}

/**
 * lk_photo_new_skipped:
 * @path: the file
 * @reason: why it cannot be used, in plain words
 *
 * Returns: (transfer full): an entry for the Skipped list
 */
LkPhoto *
lk_photo_new_skipped (const char *path,
                      const char *reason)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  return g_object_new (LK_TYPE_PHOTO, "path", path, "skip-reason", reason, NULL);
}

const char *
lk_photo_get_path (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->path;
}

const char *
lk_photo_get_name (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->name;
}

const char *
lk_photo_get_skip_reason (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->skip_reason;
}

/**
 * lk_photo_get_metrics:
 *
 * Returns: (nullable): the measurements, or %NULL before the analysis
 *   and for skipped files
 */
const LkPhotoMetrics *
lk_photo_get_metrics (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->analyzed ? &self->metrics : NULL;
}

/**
 * lk_photo_set_analysis:
 * @metrics: the measurements
 * @score: the score, 0 to 100
 * @usable: whether the photo can serve as a reference at all
 * @flaws: what holds the photo back; %LK_PHOTO_FLAW_DUPLICATE comes
 *   from lk_photo_set_duplicate_of() instead
 *
 * Records what the scorer found.
 */
void
lk_photo_set_analysis (LkPhoto              *self,
                       const LkPhotoMetrics *metrics,
                       double                score,
                       gboolean              usable,
                       LkPhotoFlaws          flaws)
{
  g_return_if_fail (LK_IS_PHOTO (self));
  g_return_if_fail (metrics != NULL);
  g_return_if_fail (!(flaws & LK_PHOTO_FLAW_DUPLICATE));

  self->metrics = *metrics;
  self->analyzed = TRUE;
  self->score = CLAMP (score, 0.0, 100.0);
  self->usable = !!usable;
  self->flaws = flaws;

  notify (self, PROP_SCORE);
  notify (self, PROP_USABLE);
  update_reasons (self);
}

/**
 * lk_photo_get_face_box:
 * @x: (out) (optional): left edge, in pixels of the upright photo
 * @y: (out) (optional): top edge
 * @width: (out) (optional): width
 * @height: (out) (optional): height
 *
 * Returns: whether a face was found; the box is the largest face's
 */
gboolean
lk_photo_get_face_box (LkPhoto *self,
                       int     *x,
                       int     *y,
                       int     *width,
                       int     *height)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), FALSE);

  if (!self->analyzed || self->metrics.faces == 0)
    return FALSE;

  if (x != NULL)
    *x = self->metrics.face_x;
  if (y != NULL)
    *y = self->metrics.face_y;
  if (width != NULL)
    *width = self->metrics.face_width;
  if (height != NULL)
    *height = self->metrics.face_height;

  return TRUE;
}

double
lk_photo_get_score (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), 0.0);

  return self->score;
}

gboolean
lk_photo_get_usable (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), FALSE);

  return self->usable;
}

/**
 * lk_photo_get_reasons:
 *
 * Returns: (transfer full): what holds the photo back, worst first;
 *   empty for a good photo
 */
char **
lk_photo_get_reasons (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return g_strdupv (self->reasons);
}

/**
 * lk_photo_get_main_reason:
 *
 * Returns: (nullable): the first reason, the worst flaw by the order of
 *   #LkPhotoFlaws, or %NULL for a good photo
 */
const char *
lk_photo_get_main_reason (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->reasons[0];
}

/**
 * lk_photo_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the thumbnail, once made
 */
GdkPixbuf *
lk_photo_get_thumbnail (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->thumbnail;
}

void
lk_photo_set_thumbnail (LkPhoto   *self,
                        GdkPixbuf *thumbnail)
{
  g_return_if_fail (LK_IS_PHOTO (self));
  g_return_if_fail (!thumbnail || GDK_IS_PIXBUF (thumbnail));

  if (g_set_object (&self->thumbnail, thumbnail))
    notify (self, PROP_THUMBNAIL);
}

guint
lk_photo_get_rank (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), 0);

  return self->rank;
}

void
lk_photo_set_rank (LkPhoto *self,
                   guint    rank)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (self->rank == rank)
    return;

  self->rank = rank;
  notify (self, PROP_RANK);
}

guint
lk_photo_get_group (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), 0);

  return self->group;
}

void
lk_photo_set_group (LkPhoto *self,
                    guint    group)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (self->group == group)
    return;

  self->group = group;
  notify (self, PROP_GROUP);
}

/**
 * lk_photo_get_duplicate_of:
 *
 * Returns: (nullable): the path of the better photo of the same
 *   near-duplicate group, or %NULL when this one is the best of its group
 */
const char *
lk_photo_get_duplicate_of (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  return self->duplicate_of;
}

void
lk_photo_set_duplicate_of (LkPhoto    *self,
                           const char *path)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (g_strcmp0 (self->duplicate_of, path) == 0)
    return;

  g_free (self->duplicate_of);
  self->duplicate_of = g_strdup (path);
  notify (self, PROP_DUPLICATE_OF);
  update_reasons (self);
}

gboolean
lk_photo_get_recommended (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), FALSE);

  return self->recommended;
}

void
lk_photo_set_recommended (LkPhoto  *self,
                          gboolean  recommended)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (self->recommended == !!recommended)
    return;

  self->recommended = !!recommended;
  notify (self, PROP_RECOMMENDED);
}

gboolean
lk_photo_get_pinned (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), FALSE);

  return self->pinned;
}

/**
 * lk_photo_set_pinned:
 *
 * Pins the photo: it is recommended whatever its score. Pinning a photo
 * takes back its exclusion.
 */
void
lk_photo_set_pinned (LkPhoto  *self,
                     gboolean  pinned)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (self->pinned == !!pinned)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->pinned = !!pinned;
  notify (self, PROP_PINNED);
  if (pinned)
    lk_photo_set_excluded (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
lk_photo_get_excluded (LkPhoto *self)
{
  g_return_val_if_fail (LK_IS_PHOTO (self), FALSE);

  return self->excluded;
}

/**
 * lk_photo_set_excluded:
 *
 * Excludes the photo: it is never recommended. Excluding a photo takes
 * back its pin.
 */
void
lk_photo_set_excluded (LkPhoto  *self,
                       gboolean  excluded)
{
  g_return_if_fail (LK_IS_PHOTO (self));

  if (self->excluded == !!excluded)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->excluded = !!excluded;
  notify (self, PROP_EXCLUDED);
  if (excluded)
    lk_photo_set_pinned (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_face (JsonObject           *object,
          const LkPhotoMetrics *m)
{
  JsonObject *face;

  if (m->faces == 0)
    {
      json_object_set_null_member (object, "face");
      return;
    }

  face = json_object_new ();
  json_object_set_int_member (face, "x", m->face_x);
  json_object_set_int_member (face, "y", m->face_y);
  json_object_set_int_member (face, "w", m->face_width);
  json_object_set_int_member (face, "h", m->face_height);
  json_object_set_object_member (object, "face", face);
}

/**
 * lk_photo_to_json:
 *
 * The photo as `likeness-cli rank --json` prints it: path, rank, score,
 * size, measurements, face box, hash, near-duplicate, recommendation and
 * reasons; for a skipped file, its path, `"skipped": true` and the reason.
 * Face fields are null when face checks did not run.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
lk_photo_to_json (LkPhoto *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *reasons = json_array_new ();
  const LkPhotoMetrics *m = &self->metrics;

  g_return_val_if_fail (LK_IS_PHOTO (self), NULL);

  json_object_set_string_member (object, "path", self->path);

  if (self->skip_reason != NULL)
    {
      json_object_set_boolean_member (object, "skipped", TRUE);
      json_array_add_string_element (reasons, self->skip_reason);
    }
  else
    {
      g_autofree char *dhash = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", m->dhash);

      json_object_set_int_member (object, "rank", self->rank);
      json_object_set_double_member (object, "score", round (self->score * 10) / 10);
      json_object_set_int_member (object, "width", m->width);
      json_object_set_int_member (object, "height", m->height);
      json_object_set_double_member (object, "sharpness", m->sharpness);
      json_object_set_double_member (object, "exposure", m->exposure_part);
      json_object_set_double_member (object, "noise", m->noise);
      if (m->face_checked)
        json_object_set_int_member (object, "faces", m->faces);
      else
        json_object_set_null_member (object, "faces");
      set_face (object, m);
      json_object_set_double_member (object, "face_share", m->face_share);
      json_object_set_double_member (object, "frontal", m->frontal_part);
      json_object_set_string_member (object, "dhash", dhash);
      json_object_set_string_member (object, "duplicate_of", self->duplicate_of);
      json_object_set_boolean_member (object, "recommended", self->recommended);

      for (guint i = 0; self->reasons[i] != NULL; i++)
        json_array_add_string_element (reasons, self->reasons[i]);
    }

  json_object_set_array_member (object, "reasons", reasons);

  return json_node_init_object (json_node_alloc (), object);
}
