/* test-training-plan.c: the checks of a training's photos (too few, too
 * small, near-duplicates, broken, still being read), what is detected as
 * the subject, the presets, the estimate and the trainer's input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-catalog.h"
#include "lk-test-utils.h"
#include "lk-training-plan.h"
#include "lk-trigger-word.h"

#define TRAINER "ostris/flux-dev-lora-trainer"

static LkCatalog *catalog;

static LkTrainingPlan *
new_plan (void)
{
  return lk_training_plan_new (lk_catalog_lookup (catalog, TRAINER));
}

/* A photo as the scorer leaves it, without reading any file. */
static LkPhoto *
fake_photo (guint    number,
            int      width,
            int      height,
            gboolean face_checked,
            guint    faces)
{
  g_autofree char *path = g_strdup_printf ("/photos/photo-%03u.jpg", number);
  LkPhoto *photo = lk_photo_new (path);
  LkPhotoMetrics metrics = { 0 };

  metrics.width = width;
  metrics.height = height;
  metrics.face_checked = face_checked;
  metrics.faces = faces;
  lk_photo_set_analysis (photo, &metrics, 0.8, TRUE, 0);
  return photo;
}

typedef struct
{
  const char *name;
  guint       n_good;
  int         good_width;
  int         good_height;
  guint       n_tiny;
  guint       n_duplicates;
  guint       n_broken;
  guint       n_pending;
  guint       n_excluded;
  /* What the person should see. */
  guint                 used;
  LkTrainingCheckLevel  count_level;
  struct {
    LkTrainingCheckKind   kind;
    LkTrainingCheckLevel  level;
    guint                 n_files;
  } others[3];
} CheckCase;

static const CheckCase check_cases[] = {
  { "too-few", 5, 1024, 1024, .used = 5, .count_level = LK_TRAINING_CHECK_BLOCKER },
  { "none", 0, 1024, 1024, .used = 0, .count_level = LK_TRAINING_CHECK_BLOCKER },
  { "eight", 8, 1200, 1600, .used = 8, .count_level = LK_TRAINING_CHECK_WARNING },
  { "ten", 10, 1200, 1600, .used = 10, .count_level = LK_TRAINING_CHECK_GOOD },
  { "ideal", 20, 1536, 2048, .used = 20, .count_level = LK_TRAINING_CHECK_GOOD },
  { "fifty", 50, 1536, 2048, .used = 50, .count_level = LK_TRAINING_CHECK_GOOD },
  { "too-many", 60, 1536, 2048, .used = 60, .count_level = LK_TRAINING_CHECK_WARNING },
  { "tiny-left-out", 10, 1024, 1024, .n_tiny = 3, .used = 10, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_TOO_SMALL, LK_TRAINING_CHECK_WARNING, 3 } } },
  { "tiny-blocks", 6, 1024, 1024, .n_tiny = 4, .used = 6, .count_level = LK_TRAINING_CHECK_BLOCKER,
    .others = { { LK_TRAINING_CHECK_TOO_SMALL, LK_TRAINING_CHECK_WARNING, 4 } } },
  { "small", 12, 800, 1000, .used = 12, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_SMALL, LK_TRAINING_CHECK_WARNING, 12 } } },
  { "landscape-small", 12, 2000, 900, .used = 12, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_SMALL, LK_TRAINING_CHECK_WARNING, 12 } } },
  { "duplicates", 12, 1024, 1024, .n_duplicates = 3, .used = 15, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_DUPLICATES, LK_TRAINING_CHECK_WARNING, 3 } } },
  { "broken", 10, 1024, 1024, .n_broken = 2, .used = 10, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_BROKEN, LK_TRAINING_CHECK_WARNING, 2 } } },
  { "pending", 10, 1024, 1024, .n_pending = 2, .used = 10, .count_level = LK_TRAINING_CHECK_GOOD,
    .others = { { LK_TRAINING_CHECK_PENDING, LK_TRAINING_CHECK_BLOCKER, 2 } } },
  { "excluded", 10, 1024, 1024, .n_excluded = 3, .used = 10, .count_level = LK_TRAINING_CHECK_GOOD },
  { "everything", 4, 1024, 1024, .n_tiny = 1, .n_duplicates = 2, .n_broken = 1, .used = 6,
    .count_level = LK_TRAINING_CHECK_BLOCKER,
    .others = { { LK_TRAINING_CHECK_BROKEN, LK_TRAINING_CHECK_WARNING, 1 },
                { LK_TRAINING_CHECK_TOO_SMALL, LK_TRAINING_CHECK_WARNING, 1 },
                { LK_TRAINING_CHECK_DUPLICATES, LK_TRAINING_CHECK_WARNING, 2 } } },
};

static void
append (GListStore *store,
        LkPhoto    *photo)
{
  g_list_store_append (store, photo);
  g_object_unref (photo);
}

static void
test_checks (gconstpointer data)
{
  const CheckCase *test = data;
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  g_autoptr(GListStore) photos = g_list_store_new (LK_TYPE_PHOTO);
  g_autoptr(GListStore) skipped = g_list_store_new (LK_TYPE_PHOTO);
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autofree char *count = NULL;
  LkTrainingCheck *first;
  guint number = 0;
  guint n_others = 0;
  gboolean blocked = FALSE;

  for (guint i = 0; i < test->n_good; i++)
    append (photos, fake_photo (number++, test->good_width, test->good_height, TRUE, 1));
  for (guint i = 0; i < test->n_tiny; i++)
    append (photos, fake_photo (number++, 400, 600, TRUE, 1));
  for (guint i = 0; i < test->n_duplicates; i++)
    {
      LkPhoto *photo = fake_photo (number++, 1024, 1024, TRUE, 1);

      lk_photo_set_duplicate_of (photo, "/photos/photo-000.jpg");
      append (photos, photo);
    }
  for (guint i = 0; i < test->n_pending; i++)
    {
      g_autofree char *path = g_strdup_printf ("/photos/pending-%u.jpg", i);

      append (photos, lk_photo_new (path));
    }
  for (guint i = 0; i < test->n_excluded; i++)
    {
      LkPhoto *photo = fake_photo (number++, 1024, 1024, TRUE, 1);

      lk_photo_set_excluded (photo, TRUE);
      append (photos, photo);
    }
  for (guint i = 0; i < test->n_broken; i++)
    {
      g_autofree char *path = g_strdup_printf ("/photos/broken-%u.heic", i);

      append (skipped, lk_photo_new_skipped (path, "The image data is damaged."));
    }

  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), G_LIST_MODEL (skipped));
  checks = lk_training_plan_check (plan);
  images = lk_training_plan_dup_images (plan);
  g_assert_cmpuint (images->len, ==, test->used);

  /* Blockers come first, then warnings, then what is fine. */
  for (guint i = 1; i < checks->len; i++)
    g_assert_cmpint (((LkTrainingCheck *) g_ptr_array_index (checks, i - 1))->level, <=,
                     ((LkTrainingCheck *) g_ptr_array_index (checks, i))->level);

  count = g_strdup_printf ("%u usable photo", test->used);
  for (guint i = 0; i < checks->len; i++)
    {
      LkTrainingCheck *check = g_ptr_array_index (checks, i);

      blocked |= check->level == LK_TRAINING_CHECK_BLOCKER;
      g_assert_nonnull (check->title);
      g_assert_nonnull (check->detail);

      if (check->kind == LK_TRAINING_CHECK_COUNT)
        {
          g_assert_cmpint (check->level, ==, test->count_level);
          g_assert_nonnull (strstr (check->title, count));
          continue;
        }

      g_assert_cmpuint (n_others, <, G_N_ELEMENTS (test->others));
      g_assert_cmpint (check->kind, ==, test->others[n_others].kind);
      g_assert_cmpint (check->level, ==, test->others[n_others].level);
      g_assert_cmpuint (g_strv_length (check->files), ==, test->others[n_others].n_files);
      n_others++;
    }
  if (n_others < G_N_ELEMENTS (test->others))
    g_assert_cmpuint (test->others[n_others].n_files, ==, 0);

  /* A blocker stops the training, with its words. */
  lk_training_plan_set_name (plan, "Grace");
  lk_training_plan_set_trigger_word (plan, "gracex42");
  first = g_ptr_array_index (checks, 0);
  if (blocked)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (lk_training_plan_validate (plan, NULL, &error));
      g_assert_error (error, LK_TRAINING_PLAN_ERROR, LK_TRAINING_PLAN_ERROR_PHOTOS);
      g_assert_nonnull (strstr (error->message, first->title));
    }
  else
    {
      g_assert_true (lk_training_plan_validate (plan, NULL, NULL));
    }
}

typedef struct
{
  const char    *name;
  const char    *description;
  gboolean       face_checked;
  guint          n_faces;
  LkSubjectType  expected;
} SubjectCase;

static const SubjectCase subject_cases[] = {
  { "My cat", "", TRUE, 8, LK_SUBJECT_TYPE_FACE },
  { "Selfies 2024", "", TRUE, 2, LK_SUBJECT_TYPE_FACE },
  { "Grandpa", "portraits of me", TRUE, 0, LK_SUBJECT_TYPE_FACE },
  { "Watercolour", "my painting aesthetic", TRUE, 0, LK_SUBJECT_TYPE_STYLE },
  { "Ink", "Illustrations", TRUE, 5, LK_SUBJECT_TYPE_STYLE },
  { "Rusty", "the old red car", TRUE, 0, LK_SUBJECT_TYPE_OBJECT },
  { "Me", "", FALSE, 0, LK_SUBJECT_TYPE_FACE },
  { "Metal mug", "", FALSE, 0, LK_SUBJECT_TYPE_OBJECT },
};

static void
test_subject (gconstpointer data)
{
  const SubjectCase *test = data;
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  g_autoptr(GListStore) photos = g_list_store_new (LK_TYPE_PHOTO);

  for (guint i = 0; i < 10; i++)
    append (photos, fake_photo (i, 1024, 1024, test->face_checked, i < test->n_faces));

  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);
  lk_training_plan_set_name (plan, test->name);
  lk_training_plan_set_description (plan, test->description);
  g_assert_cmpint (lk_training_plan_detect_subject (plan), ==, test->expected);
}

static void
test_create_destroy (void)
{
  LkTrainingPlan *plan = new_plan ();

  g_assert_cmpint (lk_training_plan_get_preset (plan), ==, LK_QUALITY_PRESET_STANDARD);
  g_assert_cmpuint (g_list_model_get_n_items (lk_training_plan_get_photos (plan)), ==, 0);
  g_assert_finalize_object (plan);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_presets (void)
{
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  guint estimate_notifies = 0;

  /* Standard: about 20 minutes of H100. */
  g_assert_cmpuint (lk_training_plan_get_steps (plan), ==, 1000);
  g_assert_cmpuint (lk_training_plan_get_lora_rank (plan), ==, 32);
  g_assert_cmpstr (lk_training_plan_get_resolution (plan), ==, "512,768");
  g_assert_true (lk_training_plan_get_autocaption (plan));
  g_assert_cmpfloat (lk_training_plan_estimate_seconds (plan), ==, 1200);
  g_assert_cmpint (lk_training_plan_estimate_cost (plan), ==, 1830000);

  g_signal_connect (plan, "notify::estimate-cost", G_CALLBACK (count_notify), &estimate_notifies);
  lk_training_plan_set_preset (plan, LK_QUALITY_PRESET_DRAFT);
  g_assert_cmpuint (estimate_notifies, ==, 1);
  g_assert_cmpuint (lk_training_plan_get_steps (plan), ==, 500);
  g_assert_cmpuint (lk_training_plan_get_lora_rank (plan), ==, 16);
  g_assert_cmpstr (lk_training_plan_get_resolution (plan), ==, "512");
  g_assert_cmpint (lk_training_plan_estimate_cost (plan), ==, 915000);

  lk_training_plan_set_preset (plan, LK_QUALITY_PRESET_PREMIUM);
  g_assert_cmpuint (lk_training_plan_get_steps (plan), ==, 2000);
  g_assert_cmpuint (lk_training_plan_get_lora_rank (plan), ==, 64);
  g_assert_cmpfloat (lk_training_plan_get_learning_rate (plan), ==, 0.0003);
  g_assert_cmpstr (lk_training_plan_get_resolution (plan), ==, "512,768,1024");
  g_assert_cmpint (lk_training_plan_estimate_cost (plan), ==, 3660000);

  /* Steps changed by hand scale the preset's time. */
  lk_training_plan_set_steps (plan, 1000);
  g_assert_cmpfloat (lk_training_plan_estimate_seconds (plan), ==, 1200);
  g_assert_cmpint (lk_training_plan_estimate_cost (plan), ==, 1830000);
  g_assert_cmpuint (estimate_notifies, ==, 3);
}

static void
test_input (void)
{
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(GError) error = NULL;

  lk_training_plan_set_trigger_word (plan, "gracex42");
  lk_training_plan_set_autocaption (plan, FALSE);
  lk_training_plan_set_lora_rank (plan, 48);
  lk_training_plan_set_learning_rate (plan, 0.0002);
  lk_training_plan_set_resolution (plan, "1024");

  input = lk_training_plan_build_input (plan, "https://api.replicate.com/v1/files/abc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (input, "input_images"), ==, "https://api.replicate.com/v1/files/abc");
  g_assert_cmpstr (json_object_get_string_member (input, "trigger_word"), ==, "gracex42");
  g_assert_false (json_object_get_boolean_member (input, "autocaption"));
  g_assert_cmpint (json_object_get_int_member (input, "steps"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (input, "lora_rank"), ==, 48);
  g_assert_cmpfloat (json_object_get_double_member (input, "learning_rate"), ==, 0.0002);
  g_assert_cmpstr (json_object_get_string_member (input, "resolution"), ==, "1024");
  g_clear_pointer (&input, json_object_unref);

  /* Outside the trainer's limits, nothing is sent. */
  lk_training_plan_set_steps (plan, 7000);
  input = lk_training_plan_build_input (plan, "https://api.replicate.com/v1/files/abc", &error);
  g_assert_null (input);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "6000"));
  g_clear_error (&error);

  lk_training_plan_set_steps (plan, 1000);
  lk_training_plan_set_resolution (plan, "640");
  g_assert_null (lk_training_plan_build_input (plan, "https://api.replicate.com/v1/files/abc", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_validate (void)
{
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  g_autoptr(GListStore) photos = g_list_store_new (LK_TYPE_PHOTO);
  const char * const taken[] = { "gracex42", NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 12; i++)
    append (photos, fake_photo (i, 1024, 1024, TRUE, 1));
  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);

  lk_training_plan_set_name (plan, "   ");
  lk_training_plan_set_trigger_word (plan, "gracex42");
  g_assert_false (lk_training_plan_validate (plan, NULL, &error));
  g_assert_error (error, LK_TRAINING_PLAN_ERROR, LK_TRAINING_PLAN_ERROR_NO_NAME);
  g_clear_error (&error);

  lk_training_plan_set_name (plan, "Grace");
  lk_training_plan_set_trigger_word (plan, "TOK");
  g_assert_false (lk_training_plan_validate (plan, NULL, &error));
  g_assert_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_DEFAULT);
  g_clear_error (&error);

  lk_training_plan_set_trigger_word (plan, "gracex42");
  g_assert_false (lk_training_plan_validate (plan, taken, &error));
  g_assert_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_TAKEN);
  g_clear_error (&error);

  g_assert_true (lk_training_plan_validate (plan, NULL, &error));
  g_assert_no_error (error);
}

static void
test_captions (void)
{
  g_autoptr(LkTrainingPlan) plan = new_plan ();
  g_autoptr(GListStore) photos = g_list_store_new (LK_TYPE_PHOTO);
  g_autoptr(LkPhoto) first = fake_photo (1, 1024, 1024, TRUE, 1);
  g_autoptr(LkPhoto) second = fake_photo (2, 1024, 1024, TRUE, 1);
  g_autoptr(LkPhoto) tiny = fake_photo (3, 300, 300, TRUE, 1);
  g_autoptr(GPtrArray) images = NULL;
  LkTrainingImage *image;

  g_list_store_append (photos, first);
  g_list_store_append (photos, tiny);
  g_list_store_append (photos, second);
  lk_training_plan_set_photos (plan, G_LIST_MODEL (photos), NULL);

  lk_training_plan_set_caption (plan, first, "  gracex42 smiling at a desk ");
  lk_training_plan_set_caption (plan, tiny, "left out anyway");
  lk_training_plan_set_caption (plan, second, "to be removed");
  lk_training_plan_set_caption (plan, second, "   ");
  g_assert_cmpstr (lk_training_plan_get_caption (plan, first), ==, "gracex42 smiling at a desk");
  g_assert_null (lk_training_plan_get_caption (plan, second));
  g_assert_false (lk_training_plan_is_photo_used (plan, tiny));
  g_assert_true (lk_training_plan_is_photo_used (plan, second));

  images = lk_training_plan_dup_images (plan);
  g_assert_cmpuint (images->len, ==, 2);
  image = g_ptr_array_index (images, 0);
  g_assert_cmpstr (image->path, ==, lk_photo_get_path (first));
  g_assert_cmpstr (image->caption, ==, "gracex42 smiling at a desk");
  image = g_ptr_array_index (images, 1);
  g_assert_cmpstr (image->path, ==, lk_photo_get_path (second));
  g_assert_null (image->caption);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  catalog = lk_catalog_new (NULL);

  g_test_add_func ("/lk/training-plan/create-destroy", test_create_destroy);
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/training-plan/checks/%s", check_cases[i].name);

      g_test_add_data_func (path, &check_cases[i], test_checks);
    }
  for (guint i = 0; i < G_N_ELEMENTS (subject_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/training-plan/subject/%u", i);

      g_test_add_data_func (path, &subject_cases[i], test_subject);
    }
  g_test_add_func ("/lk/training-plan/presets", test_presets);
  g_test_add_func ("/lk/training-plan/input", test_input);
  g_test_add_func ("/lk/training-plan/validate", test_validate);
  g_test_add_func ("/lk/training-plan/captions", test_captions);

  result = g_test_run ();
  g_clear_object (&catalog);
  return result;
}
