/* lk-training-plan.c: what a training will be made of: the photos and
 * their captions, what to teach, the trigger word, the trainer's settings,
 * the checks and the estimate.
 *
 * The wizard edits one plan step by step and the command line fills one
 * from its options; LkTrainer then carries it out. The plan holds no
 * state of its own about the photos beyond their captions: which photos
 * are left out is the photos' own “excluded” mark, which the Photos page
 * shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-training-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lk-enums.h"
#include "lk-training-plan.h"
#include "lk-trigger-word.h"

struct _LkTrainingPlan
{
  GObject          parent_instance;

  LkModel         *trainer;
  GListModel      *photos;
  GListModel      *skipped;
  GHashTable      *captions;

  char            *name;
  char            *description;
  LkSubjectType    subject_type;
  char            *trigger_word;

  LkQualityPreset  preset;
  guint            steps;
  double           learning_rate;
  guint            lora_rank;
  char            *resolution;
  gboolean         autocaption;
  gboolean         sample;
};

G_DEFINE_FINAL_TYPE (LkTrainingPlan, lk_training_plan, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-training-plan-error-quark, lk_training_plan_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SUBJECT_TYPE,
  PROP_TRIGGER_WORD,
  PROP_PRESET,
  PROP_STEPS,
  PROP_LEARNING_RATE,
  PROP_LORA_RANK,
  PROP_RESOLUTION,
  PROP_AUTOCAPTION,
  PROP_SAMPLE,
  PROP_ESTIMATE_COST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void apply_preset (LkTrainingPlan  *self,
                          LkQualityPreset  preset);

/* Words in a model's name or description that say what it teaches, as
 * seed 000 lists them, with a few close relatives. */
static const char * const face_words[] = {
  "portrait", "portraits", "selfie", "selfies", "me", "myself", "face", "headshot", "headshots", NULL
};
static const char * const style_words[] = {
  "painting", "paintings", "illustration", "illustrations", "aesthetic", "style", "artwork", "drawing", "drawings", NULL
};

void
lk_training_check_free (LkTrainingCheck *check)
{
  if (check == NULL)
    return;

  g_free (check->title);
  g_free (check->detail);
  g_strfreev (check->files);
  g_free (check);
}

void
lk_training_image_free (LkTrainingImage *image)
{
  if (image == NULL)
    return;

  g_free (image->path);
  g_free (image->caption);
  g_free (image);
}

static void
lk_training_plan_finalize (GObject *object)
{
  LkTrainingPlan *self = LK_TRAINING_PLAN (object);

  g_clear_object (&self->trainer);
  g_clear_object (&self->photos);
  g_clear_object (&self->skipped);
  g_clear_pointer (&self->captions, g_hash_table_unref);
  g_free (self->name);
  g_free (self->description);
  g_free (self->trigger_word);
  g_free (self->resolution);

  G_OBJECT_CLASS (lk_training_plan_parent_class)->finalize (object);
}

static void
lk_training_plan_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkTrainingPlan *self = LK_TRAINING_PLAN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_SUBJECT_TYPE:
      g_value_set_enum (value, self->subject_type);
      break;

    case PROP_TRIGGER_WORD:
      g_value_set_string (value, self->trigger_word);
      break;

    case PROP_PRESET:
      g_value_set_enum (value, self->preset);
      break;

    case PROP_STEPS:
      g_value_set_uint (value, self->steps);
      break;

    case PROP_LEARNING_RATE:
      g_value_set_double (value, self->learning_rate);
      break;

    case PROP_LORA_RANK:
      g_value_set_uint (value, self->lora_rank);
      break;

    case PROP_RESOLUTION:
      g_value_set_string (value, self->resolution);
      break;

    case PROP_AUTOCAPTION:
      g_value_set_boolean (value, self->autocaption);
      break;

    case PROP_SAMPLE:
      g_value_set_boolean (value, self->sample);
      break;

    case PROP_ESTIMATE_COST:
      g_value_set_int64 (value, lk_training_plan_estimate_cost (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_training_plan_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkTrainingPlan *self = LK_TRAINING_PLAN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      lk_training_plan_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      lk_training_plan_set_description (self, g_value_get_string (value));
      break;

    case PROP_SUBJECT_TYPE:
      lk_training_plan_set_subject_type (self, g_value_get_enum (value));
      break;

    case PROP_TRIGGER_WORD:
      lk_training_plan_set_trigger_word (self, g_value_get_string (value));
      break;

    case PROP_PRESET:
      lk_training_plan_set_preset (self, g_value_get_enum (value));
      break;

    case PROP_STEPS:
      lk_training_plan_set_steps (self, g_value_get_uint (value));
      break;

    case PROP_LEARNING_RATE:
      lk_training_plan_set_learning_rate (self, g_value_get_double (value));
      break;

    case PROP_LORA_RANK:
      lk_training_plan_set_lora_rank (self, g_value_get_uint (value));
      break;

    case PROP_RESOLUTION:
      lk_training_plan_set_resolution (self, g_value_get_string (value));
      break;

    case PROP_AUTOCAPTION:
      lk_training_plan_set_autocaption (self, g_value_get_boolean (value));
      break;

    case PROP_SAMPLE:
      lk_training_plan_set_sample (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_training_plan_class_init (LkTrainingPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lk_training_plan_finalize;
  object_class->get_property = lk_training_plan_get_property;
  object_class->set_property = lk_training_plan_set_property;

  /** LkTrainingPlan:name: the model's name, as the person wrote it */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", rw);
  /** LkTrainingPlan:description: what the model is for, optional */
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, "", rw);
  /** LkTrainingPlan:subject-type: what the model learns */
  properties[PROP_SUBJECT_TYPE] = g_param_spec_enum ("subject-type", NULL, NULL, LK_TYPE_SUBJECT_TYPE,
                                                     LK_SUBJECT_TYPE_FACE, rw);
  /** LkTrainingPlan:trigger-word: the word that calls up the model */
  properties[PROP_TRIGGER_WORD] = g_param_spec_string ("trigger-word", NULL, NULL, "", rw);
  /** LkTrainingPlan:preset: the quality preset the settings came from */
  properties[PROP_PRESET] = g_param_spec_enum ("preset", NULL, NULL, LK_TYPE_QUALITY_PRESET,
                                               LK_QUALITY_PRESET_STANDARD, rw);
  /** LkTrainingPlan:steps: training steps */
  properties[PROP_STEPS] = g_param_spec_uint ("steps", NULL, NULL, 1, G_MAXUINT, 1000, rw);
  /** LkTrainingPlan:learning-rate: the trainer's learning rate */
  properties[PROP_LEARNING_RATE] = g_param_spec_double ("learning-rate", NULL, NULL, 0, 1, 0.0004, rw);
  /** LkTrainingPlan:lora-rank: the LoRA's rank: larger learns more detail, slower */
  properties[PROP_LORA_RANK] = g_param_spec_uint ("lora-rank", NULL, NULL, 1, G_MAXUINT, 16, rw);
  /** LkTrainingPlan:resolution: the trainer's resolutions, such as "512,768,1024" */
  properties[PROP_RESOLUTION] = g_param_spec_string ("resolution", NULL, NULL, NULL, rw);
  /** LkTrainingPlan:autocaption: whether the trainer captions photos without a caption */
  properties[PROP_AUTOCAPTION] = g_param_spec_boolean ("autocaption", NULL, NULL, TRUE, rw);
  /** LkTrainingPlan:sample: whether a first portrait is made with the trained model */
  properties[PROP_SAMPLE] = g_param_spec_boolean ("sample", NULL, NULL, TRUE, rw);
  /** LkTrainingPlan:estimate-cost: what the training is expected to cost, micro-dollars */
  properties[PROP_ESTIMATE_COST] = g_param_spec_int64 ("estimate-cost", NULL, NULL, 0, G_MAXINT64, 0,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_training_plan_init (LkTrainingPlan *self)
{
  self->captions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->photos = G_LIST_MODEL (g_list_store_new (LK_TYPE_PHOTO));
  self->name = g_strdup ("");
  self->description = g_strdup ("");
  self->trigger_word = g_strdup ("");
  self->subject_type = LK_SUBJECT_TYPE_FACE;
  self->sample = TRUE;
}

/**
 * lk_training_plan_new:
 * @trainer: the trainer model of the catalog
 *
 * Returns: (transfer full): a plan with no photos and the settings of the
 *   standard preset
 */
LkTrainingPlan *
lk_training_plan_new (LkModel *trainer)
{
  LkTrainingPlan *self;

  g_return_val_if_fail (LK_IS_MODEL (trainer), NULL);
  g_return_val_if_fail (lk_model_get_role (trainer) == LK_MODEL_ROLE_TRAINER, NULL);

  self = g_object_new (LK_TYPE_TRAINING_PLAN, NULL);
  self->trainer = g_object_ref (trainer);
  apply_preset (self, LK_QUALITY_PRESET_STANDARD);

  return self;
}

/**
 * lk_training_plan_get_trainer:
 *
 * Returns: (transfer none): the trainer model
 */
LkModel *
lk_training_plan_get_trainer (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->trainer;
}

/* Photos ------------------------------------------------------------------ */

/**
 * lk_training_plan_get_photos:
 *
 * Returns: (transfer none): the #LkPhoto candidates, used or not
 */
GListModel *
lk_training_plan_get_photos (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->photos;
}

/**
 * lk_training_plan_set_photos:
 * @photos: a list of analyzed #LkPhoto, such as a scorer's; the plan
 *   follows it as it changes
 * @skipped: (nullable): the files that could not be read as photos
 *
 * Sets the candidates. Captions of photos no longer in @photos are kept,
 * in case they come back.
 */
void
lk_training_plan_set_photos (LkTrainingPlan *self,
                             GListModel     *photos,
                             GListModel     *skipped)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (G_IS_LIST_MODEL (photos));
  g_return_if_fail (!skipped || G_IS_LIST_MODEL (skipped));

  g_set_object (&self->photos, photos);
  g_set_object (&self->skipped, skipped);
}

/**
 * lk_training_plan_get_caption:
 *
 * Returns: (nullable): the caption the person wrote for @photo
 */
const char *
lk_training_plan_get_caption (LkTrainingPlan *self,
                              LkPhoto        *photo)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);
  g_return_val_if_fail (LK_IS_PHOTO (photo), NULL);

  return g_hash_table_lookup (self->captions, lk_photo_get_path (photo));
}

/**
 * lk_training_plan_set_caption:
 * @caption: (nullable): what @photo shows; %NULL or blank for none
 */
void
lk_training_plan_set_caption (LkTrainingPlan *self,
                              LkPhoto        *photo,
                              const char     *caption)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (LK_IS_PHOTO (photo));

  stripped = g_strstrip (g_strdup (caption != NULL ? caption : ""));
  if (*stripped == '\0')
    g_hash_table_remove (self->captions, lk_photo_get_path (photo));
  else
    g_hash_table_replace (self->captions, g_strdup (lk_photo_get_path (photo)), g_steal_pointer (&stripped));
}

typedef enum
{
  USE_YES,
  USE_EXCLUDED,
  USE_BROKEN,
  USE_PENDING,
  USE_TOO_SMALL,
} Use;

static Use
photo_use (LkPhoto *photo)
{
  const LkPhotoMetrics *metrics = lk_photo_get_metrics (photo);

  if (lk_photo_get_skip_reason (photo) != NULL)
    return USE_BROKEN;
  if (lk_photo_get_excluded (photo))
    return USE_EXCLUDED;
  if (metrics == NULL)
    return USE_PENDING;
  if (MIN (metrics->width, metrics->height) < LK_TRAINING_MIN_SIDE)
    return USE_TOO_SMALL;

  return USE_YES;
}

/**
 * lk_training_plan_is_photo_used:
 *
 * Returns: whether @photo goes into the training: it was read, it is
 *   large enough and the person did not leave it out
 */
gboolean
lk_training_plan_is_photo_used (LkTrainingPlan *self,
                                LkPhoto        *photo)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), FALSE);
  g_return_val_if_fail (LK_IS_PHOTO (photo), FALSE);

  return photo_use (photo) == USE_YES;
}

static LkTrainingCheck *
check_new (LkTrainingCheckKind   kind,
           LkTrainingCheckLevel  level,
           GStrvBuilder         *files,
           char                 *title,
           char                 *detail)
{
  LkTrainingCheck *check = g_new0 (LkTrainingCheck, 1);

  check->kind = kind;
  check->level = level;
  check->title = title;
  check->detail = detail;
  check->files = files != NULL ? g_strv_builder_end (files) : g_new0 (char *, 1);
  return check;
}

static LkTrainingCheck *
count_check (guint n_used)
{
  if (n_used < LK_TRAINING_MIN_PHOTOS)
    return check_new (LK_TRAINING_CHECK_COUNT, LK_TRAINING_CHECK_BLOCKER, NULL,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Only %u usable photo", "Only %u usable photos", n_used), n_used),
                      g_strdup_printf (_("A training needs at least %d photos, and %d to %d teach best. Add more photos, each showing the subject a little differently."),
                                       LK_TRAINING_MIN_PHOTOS, LK_TRAINING_RECOMMENDED_MIN_PHOTOS, LK_TRAINING_RECOMMENDED_MAX_PHOTOS));

  if (n_used < LK_TRAINING_RECOMMENDED_MIN_PHOTOS)
    return check_new (LK_TRAINING_CHECK_COUNT, LK_TRAINING_CHECK_WARNING, NULL,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u usable photo: enough to start", "%u usable photos: enough to start", n_used), n_used),
                      g_strdup_printf (_("%d to %d photos teach best. A few more would improve the likeness."),
                                       LK_TRAINING_RECOMMENDED_MIN_PHOTOS, LK_TRAINING_RECOMMENDED_MAX_PHOTOS));

  if (n_used > LK_TRAINING_USEFUL_MAX_PHOTOS)
    return check_new (LK_TRAINING_CHECK_COUNT, LK_TRAINING_CHECK_WARNING, NULL,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u usable photo: more than needed", "%u usable photos: more than needed", n_used), n_used),
                      g_strdup_printf (_("More than %d photos add little to what the model learns. Leave out the weakest or most similar ones."),
                                       LK_TRAINING_USEFUL_MAX_PHOTOS));

  return check_new (LK_TRAINING_CHECK_COUNT, LK_TRAINING_CHECK_GOOD, NULL,
                    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u usable photo", "%u usable photos", n_used), n_used),
                    n_used <= LK_TRAINING_RECOMMENDED_MAX_PHOTOS
                    ? g_strdup_printf (_("Within the %d to %d photos that teach best."),
                                       LK_TRAINING_RECOMMENDED_MIN_PHOTOS, LK_TRAINING_RECOMMENDED_MAX_PHOTOS)
                    : g_strdup (_("Plenty to learn from.")));
}

static int
compare_levels (gconstpointer a,
                gconstpointer b)
{
  const LkTrainingCheck *check_a = *(LkTrainingCheck * const *) a;
  const LkTrainingCheck *check_b = *(LkTrainingCheck * const *) b;

  return (int) check_a->level - (int) check_b->level;
}

/**
 * lk_training_plan_check:
 *
 * Checks the photos as the training would use them.
 *
 * Returns: (transfer full) (element-type LkTrainingCheck): the findings,
 *   blockers first, then warnings, then what is fine; always one of kind
 *   %LK_TRAINING_CHECK_COUNT
 */
GPtrArray *
lk_training_plan_check (LkTrainingPlan *self)
{
  g_autoptr(GStrvBuilder) broken = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) pending = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) too_small = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) small = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) duplicates = g_strv_builder_new ();
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_training_check_free);
  guint n_used = 0, n_broken = 0, n_pending = 0, n_too_small = 0, n_small = 0, n_duplicates = 0;

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  for (guint i = 0; self->skipped != NULL && i < g_list_model_get_n_items (self->skipped); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (self->skipped, i);

      g_strv_builder_add (broken, lk_photo_get_name (photo));
      n_broken++;
    }

  for (guint i = 0; i < g_list_model_get_n_items (self->photos); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (self->photos, i);
      const LkPhotoMetrics *metrics = lk_photo_get_metrics (photo);
      const char *name = lk_photo_get_name (photo);

      switch (photo_use (photo))
        {
        case USE_EXCLUDED:
          break;

        case USE_BROKEN:
          g_strv_builder_add (broken, name);
          n_broken++;
          break;

        case USE_PENDING:
          g_strv_builder_add (pending, name);
          n_pending++;
          break;

        case USE_TOO_SMALL:
          g_strv_builder_add (too_small, name);
          n_too_small++;
          break;

        case USE_YES:
          n_used++;
          if (MIN (metrics->width, metrics->height) < LK_TRAINING_PREFERRED_SIDE)
            {
              g_strv_builder_add (small, name);
              n_small++;
            }
          if (lk_photo_get_duplicate_of (photo) != NULL)
            {
              g_strv_builder_add (duplicates, name);
              n_duplicates++;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_ptr_array_add (checks, count_check (n_used));

  if (n_pending > 0)
    g_ptr_array_add (checks, check_new (LK_TRAINING_CHECK_PENDING, LK_TRAINING_CHECK_BLOCKER, pending,
                                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Still checking %u photo", "Still checking %u photos", n_pending), n_pending),
                                        g_strdup (_("Wait a moment until every photo has been looked at."))));

  if (n_broken > 0)
    g_ptr_array_add (checks, check_new (LK_TRAINING_CHECK_BROKEN, LK_TRAINING_CHECK_WARNING, broken,
                                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file cannot be used", "%u files cannot be used", n_broken), n_broken),
                                        g_strdup (_("They are not photos, or are damaged or in a format that cannot be read. They are left out."))));

  if (n_too_small > 0)
    g_ptr_array_add (checks, check_new (LK_TRAINING_CHECK_TOO_SMALL, LK_TRAINING_CHECK_WARNING, too_small,
                                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo is too small", "%u photos are too small", n_too_small), n_too_small),
                                        g_strdup_printf (_("Photos under %d pixels on their shorter side are left out. Use the original, full-size photos."),
                                                         LK_TRAINING_MIN_SIDE)));

  if (n_small > 0)
    g_ptr_array_add (checks, check_new (LK_TRAINING_CHECK_SMALL, LK_TRAINING_CHECK_WARNING, small,
                                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo is smaller than ideal", "%u photos are smaller than ideal", n_small), n_small),
                                        g_strdup_printf (_("Photos of %d pixels or more on their shorter side teach finer detail."),
                                                         LK_TRAINING_PREFERRED_SIDE)));

  if (n_duplicates > 0)
    g_ptr_array_add (checks, check_new (LK_TRAINING_CHECK_DUPLICATES, LK_TRAINING_CHECK_WARNING, duplicates,
                                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo is a near-duplicate", "%u photos are near-duplicates", n_duplicates), n_duplicates),
                                        g_strdup (_("They look almost the same as another photo and teach little. Variety in angle, light and setting helps more."))));

  /* Stable, so that findings of one level keep the order above. */
  g_ptr_array_sort (checks, compare_levels);
  return checks;
}

/**
 * lk_training_plan_dup_images:
 *
 * Returns: (transfer full) (element-type LkTrainingImage): the photos that
 *   go into the training, in the order of the list, with their captions
 */
GPtrArray *
lk_training_plan_dup_images (LkTrainingPlan *self)
{
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_training_image_free);

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (self->photos); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (self->photos, i);
      LkTrainingImage *image;

      if (photo_use (photo) != USE_YES)
        continue;

      image = g_new0 (LkTrainingImage, 1);
      image->path = g_strdup (lk_photo_get_path (photo));
      image->caption = g_strdup (lk_training_plan_get_caption (self, photo));
      g_ptr_array_add (images, image);
    }

  return images;
}

/* What to teach ----------------------------------------------------------- */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
lk_training_plan_get_name (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->name;
}

void
lk_training_plan_set_name (LkTrainingPlan *self,
                           const char     *name)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  if (set_string (&self->name, name != NULL ? name : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
lk_training_plan_get_description (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->description;
}

void
lk_training_plan_set_description (LkTrainingPlan *self,
                                  const char     *description)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  if (set_string (&self->description, description != NULL ? description : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

LkSubjectType
lk_training_plan_get_subject_type (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), LK_SUBJECT_TYPE_FACE);

  return self->subject_type;
}

void
lk_training_plan_set_subject_type (LkTrainingPlan *self,
                                   LkSubjectType   subject_type)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (subject_type <= LK_SUBJECT_TYPE_OBJECT);

  if (self->subject_type == subject_type)
    return;

  self->subject_type = subject_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT_TYPE]);
}

static gboolean
mentions_any (const char         *text,
              const char * const *words)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_auto(GStrv) tokens = NULL;

  /* Word by word, so that “me” does not match “metal”. */
  tokens = g_regex_split_simple ("[^[:alnum:]]+", folded, 0, 0);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (g_strv_contains (words, tokens[i]))
        return TRUE;
    }

  return FALSE;
}

/**
 * lk_training_plan_detect_subject:
 *
 * Guesses what the photos teach: a face when faces were found in most of
 * the photos used; otherwise from the words of the name and description
 * (“portrait”, “selfie”, “me” for a face; “painting”, “illustration”,
 * “aesthetic” for a style); an object when nothing says otherwise. The
 * person may always choose differently.
 *
 * Returns: the subject type the plan's photos and words suggest
 */
LkSubjectType
lk_training_plan_detect_subject (LkTrainingPlan *self)
{
  g_autofree char *words = NULL;
  guint n_checked = 0;
  guint n_faces = 0;

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), LK_SUBJECT_TYPE_OBJECT);

  for (guint i = 0; i < g_list_model_get_n_items (self->photos); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (self->photos, i);
      const LkPhotoMetrics *metrics = lk_photo_get_metrics (photo);

      if (photo_use (photo) != USE_YES || !metrics->face_checked)
        continue;

      n_checked++;
      n_faces += metrics->faces > 0;
    }

  if (n_checked > 0 && n_faces * 2 > n_checked)
    return LK_SUBJECT_TYPE_FACE;

  words = g_strconcat (self->name, " ", self->description, NULL);
  if (mentions_any (words, face_words))
    return LK_SUBJECT_TYPE_FACE;
  if (mentions_any (words, style_words))
    return LK_SUBJECT_TYPE_STYLE;

  return LK_SUBJECT_TYPE_OBJECT;
}

const char *
lk_training_plan_get_trigger_word (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->trigger_word;
}

void
lk_training_plan_set_trigger_word (LkTrainingPlan *self,
                                   const char     *trigger_word)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  if (set_string (&self->trigger_word, trigger_word != NULL ? trigger_word : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRIGGER_WORD]);
}

/* Settings ---------------------------------------------------------------- */

LkQualityPreset
lk_training_plan_get_preset (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), LK_QUALITY_PRESET_STANDARD);

  return self->preset;
}

static double
preset_number (LkTrainingPlan  *self,
               LkQualityPreset  preset,
               const char      *field,
               double           fallback)
{
  JsonNode *node = lk_model_get_preset_value (self->trainer, preset, field);

  return node != NULL ? json_node_get_double (node) : fallback;
}

/* Takes the steps, learning rate, LoRA rank, resolution and captioning
 * of @preset from the catalog. */
static void
apply_preset (LkTrainingPlan  *self,
              LkQualityPreset  preset)
{
  JsonNode *resolution = lk_model_get_preset_value (self->trainer, preset, "resolution");
  JsonNode *autocaption = lk_model_get_preset_value (self->trainer, preset, "autocaption");

  g_object_freeze_notify (G_OBJECT (self));

  self->preset = preset;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);

  lk_training_plan_set_steps (self, (guint) preset_number (self, preset, "steps", 1000));
  lk_training_plan_set_learning_rate (self, preset_number (self, preset, "learning_rate", 0.0004));
  lk_training_plan_set_lora_rank (self, (guint) preset_number (self, preset, "lora_rank", 16));
  lk_training_plan_set_resolution (self, resolution != NULL ? json_node_get_string (resolution) : NULL);
  lk_training_plan_set_autocaption (self, autocaption == NULL || json_node_get_boolean (autocaption));

  /* The estimate follows the preset's typical time even where the steps
   * stay the same. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATE_COST]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lk_training_plan_set_preset:
 *
 * Chooses a preset and takes its values, replacing any value changed by
 * hand.
 */
void
lk_training_plan_set_preset (LkTrainingPlan  *self,
                             LkQualityPreset  preset)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (preset <= LK_QUALITY_PRESET_PREMIUM);

  if (self->preset != preset)
    apply_preset (self, preset);
}

guint
lk_training_plan_get_steps (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), 0);

  return self->steps;
}

void
lk_training_plan_set_steps (LkTrainingPlan *self,
                            guint           steps)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (steps > 0);

  if (self->steps == steps)
    return;

  self->steps = steps;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATE_COST]);
}

double
lk_training_plan_get_learning_rate (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), 0);

  return self->learning_rate;
}

void
lk_training_plan_set_learning_rate (LkTrainingPlan *self,
                                    double          learning_rate)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (learning_rate > 0);

  if (self->learning_rate == learning_rate)
    return;

  self->learning_rate = learning_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEARNING_RATE]);
}

guint
lk_training_plan_get_lora_rank (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), 0);

  return self->lora_rank;
}

void
lk_training_plan_set_lora_rank (LkTrainingPlan *self,
                                guint           lora_rank)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));
  g_return_if_fail (lora_rank > 0);

  if (self->lora_rank == lora_rank)
    return;

  self->lora_rank = lora_rank;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LORA_RANK]);
}

/**
 * lk_training_plan_get_resolution:
 *
 * Returns: (nullable): the resolutions, or %NULL for the trainer's default
 */
const char *
lk_training_plan_get_resolution (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);

  return self->resolution;
}

void
lk_training_plan_set_resolution (LkTrainingPlan *self,
                                 const char     *resolution)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  if (set_string (&self->resolution, resolution))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION]);
}

gboolean
lk_training_plan_get_autocaption (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), FALSE);

  return self->autocaption;
}

void
lk_training_plan_set_autocaption (LkTrainingPlan *self,
                                  gboolean        autocaption)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  autocaption = !!autocaption;
  if (self->autocaption == autocaption)
    return;

  self->autocaption = autocaption;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOCAPTION]);
}

gboolean
lk_training_plan_get_sample (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), FALSE);

  return self->sample;
}

/**
 * lk_training_plan_set_sample:
 * @sample: whether to make a first portrait with the trained model, to
 *   see it work and to serve as its picture
 */
void
lk_training_plan_set_sample (LkTrainingPlan *self,
                             gboolean        sample)
{
  g_return_if_fail (LK_IS_TRAINING_PLAN (self));

  sample = !!sample;
  if (self->sample == sample)
    return;

  self->sample = sample;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE]);
}

/* Estimate and input ------------------------------------------------------ */

/**
 * lk_training_plan_estimate_seconds:
 *
 * The preset's typical duration, scaled by the steps: a training's time
 * goes into its steps, one photo each.
 *
 * Returns: the expected duration of the training, in seconds
 */
double
lk_training_plan_estimate_seconds (LkTrainingPlan *self)
{
  double preset_steps;

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), 0);

  preset_steps = preset_number (self, self->preset, "steps", self->steps);
  return lk_model_get_typical_seconds (self->trainer, self->preset) * self->steps / MAX (preset_steps, 1);
}

/**
 * lk_training_plan_estimate_cost:
 *
 * Returns: the expected duration times the trainer's hardware price per
 *   second, in micro-dollars
 */
gint64
lk_training_plan_estimate_cost (LkTrainingPlan *self)
{
  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), 0);

  return (gint64) llround (lk_training_plan_estimate_seconds (self) * lk_model_get_price (self->trainer));
}

/**
 * lk_training_plan_validate:
 * @taken: (nullable) (array zero-terminated=1): the trigger words of the
 *   person's other models
 *
 * The checks before a training starts: a name, a valid trigger word, and
 * photos without a blocker.
 *
 * Returns: whether the training can start; %FALSE with @error
 *   (%LK_TRAINING_PLAN_ERROR or %LK_TRIGGER_WORD_ERROR) saying why not
 */
gboolean
lk_training_plan_validate (LkTrainingPlan      *self,
                           const char * const  *taken,
                           GError             **error)
{
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GString) name = NULL;

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), FALSE);

  name = g_string_new (self->name);
  if (*g_strstrip (name->str) == '\0')
    {
      g_set_error_literal (error, LK_TRAINING_PLAN_ERROR, LK_TRAINING_PLAN_ERROR_NO_NAME,
                           _("Give the model a name, so you can find it among your models."));
      return FALSE;
    }

  if (!lk_trigger_word_validate (self->trigger_word, taken, error))
    return FALSE;

  checks = lk_training_plan_check (self);
  for (guint i = 0; i < checks->len; i++)
    {
      LkTrainingCheck *check = g_ptr_array_index (checks, i);

      if (check->level == LK_TRAINING_CHECK_BLOCKER)
        {
          g_set_error (error, LK_TRAINING_PLAN_ERROR, LK_TRAINING_PLAN_ERROR_PHOTOS,
                       "%s. %s", check->title, check->detail);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * lk_training_plan_build_input:
 * @images_url: the uploaded zip of the photos
 *
 * Returns: (transfer full): the trainer's input in its own field names,
 *   or %NULL with @error set (%G_IO_ERROR_INVALID_ARGUMENT) when a value
 *   is outside the trainer's limits
 */
JsonObject *
lk_training_plan_build_input (LkTrainingPlan  *self,
                              const char      *images_url,
                              GError         **error)
{
  g_autoptr(JsonObject) values = json_object_new ();

  g_return_val_if_fail (LK_IS_TRAINING_PLAN (self), NULL);
  g_return_val_if_fail (images_url != NULL, NULL);

  json_object_set_string_member (values, "input_images", images_url);
  json_object_set_string_member (values, "trigger_word", self->trigger_word);
  json_object_set_boolean_member (values, "autocaption", self->autocaption);
  json_object_set_int_member (values, "steps", self->steps);
  json_object_set_double_member (values, "learning_rate", self->learning_rate);
  json_object_set_int_member (values, "lora_rank", self->lora_rank);
  if (self->resolution != NULL)
    json_object_set_string_member (values, "resolution", self->resolution);

  return lk_model_build_input (self->trainer, self->preset, values, error);
}
