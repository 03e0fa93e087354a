/* test-my-models.c: "My Models" on the Styles page with a trained model in
 * the store: the section appears, and choosing the model changes what the
 * Generate bar says and is remembered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "lk-generate-bar.h"
#include "lk-my-models.h"
#include "lk-styles-page.h"
#include "lk-test-gui.h"
#include "lk-test-utils.h"

#define VERSION "5f8f7c0a2b6bd6b1a4b9ab2b3de2d0e3b3b6a5d5c3e3f1e2d4c6b8a9f0e1d2c3"

static gint64 model_id;

/* A model whose training succeeded, and one still training, which has
 * no card. */
static void
fill_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_new_sync (NULL, NULL, &error);
  const LkTrainedModelSpec grace = {
    .name = "Grace", .subject_type = LK_SUBJECT_TYPE_FACE, .trigger_word = "gracex42",
    .destination = "grace/likeness-lora",
  };
  const LkTrainedModelSpec ada = {
    .name = "Ada", .subject_type = LK_SUBJECT_TYPE_FACE, .trigger_word = "adax42",
    .destination = "grace/likeness-lora",
  };

  g_assert_no_error (error);
  model_id = lk_store_add_trained_model (store, &grace, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_update_training (store, model_id, LK_TRAINING_STATUS_SUCCEEDED, "t-1", VERSION,
                                           "https://example.com/weights.tar", NULL, &error));
  g_assert_true (lk_store_end_training (store, model_id, LK_TRAINING_STATUS_SUCCEEDED, NULL, &error));
  lk_store_add_trained_model (store, &ada, &error);
  g_assert_no_error (error);
}

static char *
chosen_model_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  return g_settings_get_string (settings, "chosen-model");
}

static gboolean
section_shown (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
check_choose (LkTestApp *test)
{
  LkStylesPage *page;
  LkMyModels *my_models;
  LkGenerateBar *bar;
  GtkFlowBox *cards;
  g_autofree char *chosen = NULL;
  g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, model_id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window), "win.show-page", "s", "styles"));
  lk_test_drain ();
  page = LK_STYLES_PAGE (lk_test_find_descendant (GTK_WIDGET (test->window), LK_TYPE_STYLES_PAGE));
  my_models = lk_styles_page_get_my_models (page);
  bar = LK_GENERATE_BAR (lk_test_find_descendant (GTK_WIDGET (test->window), LK_TYPE_GENERATE_BAR));

  g_assert_true (lk_test_wait_for (section_shown, my_models, 10000));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (my_models), "My Models"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (my_models), "Your Photos"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (my_models), "Grace"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (my_models), "Trigger word: gracex42"));
  /* Still training: no card. */
  g_assert_false (lk_test_shows_text (GTK_WIDGET (my_models), "Ada"));

  /* The photos are chosen at first. */
  g_assert_null (lk_my_models_get_chosen (my_models));
  g_assert_cmpstr (lk_generate_bar_get_summary (bar), ==, "0 references · 0 styles");

  cards = GTK_FLOW_BOX (lk_test_find_descendant (GTK_WIDGET (my_models), GTK_TYPE_FLOW_BOX));
  gtk_flow_box_select_child (cards, gtk_flow_box_get_child_at_index (cards, 1));
  lk_test_drain ();
  g_assert_nonnull (lk_my_models_get_chosen (my_models));
  g_assert_cmpstr (lk_generate_bar_get_summary (bar), ==, "Model: Grace · 0 styles");
  /* No photo is needed with a trained model: only the styles are missing. */
  g_assert_true (lk_test_shows_text (GTK_WIDGET (bar), "Choose at least one style on the Styles page"));
  chosen = chosen_model_setting ();
  g_assert_cmpstr (chosen, ==, expected);
  g_clear_pointer (&chosen, g_free);

  gtk_flow_box_select_child (cards, gtk_flow_box_get_child_at_index (cards, 0));
  lk_test_drain ();
  g_assert_null (lk_my_models_get_chosen (my_models));
  g_assert_cmpstr (lk_generate_bar_get_summary (bar), ==, "0 references · 0 styles");
  chosen = chosen_model_setting ();
  g_assert_cmpstr (chosen, ==, "");
}

static void
test_choose (void)
{
  lk_test_run_app (check_choose, NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  /* The pages show only once signed in. */
  g_setenv ("REPLICATE_API_TOKEN", "r8_my_models_test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  fill_store ();
  g_test_add_func ("/lk/my-models/choose", test_choose);

  return g_test_run ();
}
