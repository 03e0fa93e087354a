/* test-batch-item-card.c: a portrait's card says where it stands, which
 * model made it and why it failed, and redraws at most ten times a second
 * however often its item changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-batch-item-card.h"
#include "lk-batch-private.h"
#include "lk-catalog.h"
#include "lk-test-gui.h"
#include "lk-test-utils.h"

typedef struct
{
  LkStore        *store;
  LkClient       *client;
  LkSecret       *secret;
  LkCatalog      *catalog;
  LkBudget       *budget;
  LkStyleLibrary *library;
  LkBatch        *batch;
  LkBatchItem    *item;
  GtkWidget      *window;
  GtkWidget      *card;
} Fixture;

static const char *home;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_build_filename (home, "card.sqlite", NULL);

  fixture->store = lk_store_new_sync (path, NULL, &error);
  g_assert_no_error (error);
  fixture->secret = lk_secret_new ();
  fixture->client = lk_client_new (fixture->secret, "http://127.0.0.1:9/v1");
  fixture->catalog = lk_catalog_new (NULL);
  fixture->budget = lk_budget_new ();
  fixture->library = lk_style_library_new (NULL);

  /* A draft's items exist already, queued, which is all a card needs. */
  g_ptr_array_add (styles, g_list_model_get_item (lk_style_library_get_styles (fixture->library), 0));
  fixture->batch = lk_batch_new (fixture->client, fixture->store, fixture->catalog, fixture->budget);
  lk_batch_set_styles (fixture->batch, styles);
  fixture->item = g_list_model_get_item (lk_batch_get_items (fixture->batch), 0);

  fixture->card = lk_batch_item_card_new (fixture->batch, fixture->item, fixture->library);
  fixture->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->card);
  gtk_window_present (GTK_WINDOW (fixture->window));
  lk_test_drain ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  lk_test_drain ();
  g_clear_object (&fixture->item);
  g_assert_finalize_object (fixture->batch);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->budget);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->secret);
  g_clear_object (&fixture->store);
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return lk_test_find_widget (root, is_label, text);
}

static void
test_create_destroy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (home, "create.sqlite", NULL);
  g_autoptr(LkStore) store = lk_store_new_sync (path, NULL, &error);
  g_autoptr(LkSecret) secret = lk_secret_new ();
  g_autoptr(LkClient) client = lk_client_new (secret, "http://127.0.0.1:9/v1");
  g_autoptr(LkCatalog) catalog = lk_catalog_new (NULL);
  g_autoptr(LkBudget) budget = lk_budget_new ();
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LkBatch) batch = NULL;
  g_autoptr(LkBatchItem) item = NULL;
  GtkWidget *card;

  g_assert_no_error (error);
  g_ptr_array_add (styles, g_list_model_get_item (lk_style_library_get_styles (library), 0));
  batch = lk_batch_new (client, store, catalog, budget);
  lk_batch_set_styles (batch, styles);
  item = g_list_model_get_item (lk_batch_get_items (batch), 0);

  card = g_object_ref_sink (lk_batch_item_card_new (batch, item, library));
  g_assert_true (lk_batch_item_card_get_item (LK_BATCH_ITEM_CARD (card)) == item);
  g_assert_nonnull (find_label (card, lk_batch_item_get_style_name (item)));
  g_assert_finalize_object (card);
}

static void
test_states (Fixture       *fixture,
             gconstpointer  data)
{
  LkModel *fallback = g_ptr_array_index (lk_catalog_get_portrait_chain (fixture->catalog), 2);
  g_autofree char *fallback_text = g_strdup_printf ("%s, as a fallback", lk_model_get_name (fallback));

  g_assert_true (lk_test_shows_text (fixture->card, lk_batch_item_get_style_name (fixture->item)));
  g_assert_true (lk_test_shows_text (fixture->card, "Queued"));

  lk_batch_item_set_state (fixture->item, LK_BATCH_ITEM_STATE_GENERATING);
  lk_batch_item_set_model (fixture->item, fallback, TRUE);
  lk_batch_item_set_progress (fixture->item, 0.42);
  g_assert_true (lk_test_wait_for_text (fixture->card, "Generating 42%"));
  g_assert_true (lk_test_shows_text (fixture->card, fallback_text));

  /* A failure says why, in the words the batch chose. */
  lk_batch_item_set_error (fixture->item, "The image was flagged as unsafe by the model.");
  lk_batch_item_set_state (fixture->item, LK_BATCH_ITEM_STATE_FAILED);
  g_assert_true (lk_test_wait_for_text (fixture->card, "Failed"));
  g_assert_true (lk_test_shows_text (fixture->card, "flagged as unsafe"));
}

static void
label_changed_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  guint      *n_changes)
{
  (*n_changes)++;
}

/* A flood of progress notifications, as several polls' logs can bring,
 * reaches the screen at most once per update interval. */
static void
test_coalesced (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *state_label = find_label (fixture->card, "Queued");
  guint n_changes = 0;
  guint n_notifications = 0;
  gint64 start;
  double elapsed_ms;
  guint bound;

  g_assert_nonnull (state_label);
  g_signal_connect (state_label, "notify::label", G_CALLBACK (label_changed_cb), &n_changes);

  lk_batch_item_set_state (fixture->item, LK_BATCH_ITEM_STATE_GENERATING);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 600 * G_TIME_SPAN_MILLISECOND)
    {
      /* Every value differs from the last, so every one notifies. */
      for (guint i = 0; i < 20; i++, n_notifications++)
        lk_batch_item_set_progress (fixture->item, (n_notifications % 1000) / 1000.0);
      g_main_context_iteration (NULL, FALSE);
    }
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  lk_batch_item_set_progress (fixture->item, 0.99);
  n_notifications++;
  g_assert_true (lk_test_wait_for_text (fixture->card, "Generating 99%"));

  g_test_message ("%u notifications in %.0f ms, %u redraws of the state", n_notifications, elapsed_ms, n_changes);
  g_assert_cmpuint (n_notifications, >, 1000);
  /* One redraw per interval during the flood, one for the last value,
   * and one for an interval that had begun before the flood. */
  bound = (guint) (elapsed_ms / LK_BATCH_ITEM_CARD_UPDATE_MS) + 2;
  g_assert_cmpuint (n_changes, <=, bound);
  /* It kept the person informed while the flood went on. */
  g_assert_cmpuint (n_changes, >=, 3);

  g_signal_handlers_disconnect_by_func (state_label, label_changed_cb, &n_changes);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/lk/batch-item-card/create-destroy", test_create_destroy);
  g_test_add ("/lk/batch-item-card/states", Fixture, NULL, fixture_set_up, test_states, fixture_tear_down);
  g_test_add ("/lk/batch-item-card/coalesced", Fixture, NULL, fixture_set_up, test_coalesced, fixture_tear_down);

  return g_test_run ();
}
