/* test-styles-page.c: the Styles page as a person uses it: search, choose,
 * Select All and Clear, the chosen set kept across windows, a portrait on
 * a card, and a style made and deleted through the editor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "lk-style-art.h"
#include "lk-style-card.h"
#include "lk-style-editor.h"
#include "lk-styles-page.h"
#include "lk-test-gui.h"
#include "lk-test-utils.h"

static const char *test_home;

static LkStylesPage *
show_styles_page (LkTestApp *test)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->window), "win.show-page", "s", "styles"));
  lk_test_drain ();
  return LK_STYLES_PAGE (lk_test_find_descendant (GTK_WIDGET (test->window), LK_TYPE_STYLES_PAGE));
}

static void
collect_cards (GtkWidget *root,
               GPtrArray *cards)
{
  if (LK_IS_STYLE_CARD (root))
    {
      if (gtk_widget_get_mapped (root))
        g_ptr_array_add (cards, root);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_cards (child, cards);
}

/* The cards on screen, in gallery order. */
static GPtrArray *
shown_cards (LkStylesPage *page)
{
  GPtrArray *cards = g_ptr_array_new ();

  collect_cards (GTK_WIDGET (page), cards);
  return cards;
}

static LkStyleCard *
find_card (LkStylesPage *page,
           const char   *id)
{
  g_autoptr(GPtrArray) cards = shown_cards (page);

  for (guint i = 0; i < cards->len; i++)
    {
      LkStyleCard *card = g_ptr_array_index (cards, i);

      if (g_str_equal (lk_style_get_id (lk_style_card_get_style (card)), id))
        return card;
    }

  return NULL;
}

typedef struct
{
  LkStylesPage *page;
  guint         n_cards;
} CardCount;

static gboolean
shows_n_cards (gpointer data)
{
  CardCount *count = data;
  g_autoptr(GPtrArray) cards = shown_cards (count->page);

  return cards->len == count->n_cards;
}

static void
search (LkStylesPage *page,
        const char   *text,
        guint         n_expected)
{
  GtkWidget *entry = lk_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  CardCount count = { page, n_expected };

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (lk_test_wait_for (shows_n_cards, &count, 5000));
}

static char **
chosen_ids (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  return g_settings_get_strv (settings, "chosen-styles");
}

static void
check_choose (LkTestApp *test)
{
  LkStylesPage *page = show_styles_page (test);
  GListModel *chosen = lk_styles_page_get_chosen (page);
  g_autoptr(GPtrArray) cards = shown_cards (page);
  g_auto(GStrv) ids = NULL;
  g_autoptr(LkStyle) first = NULL;
  LkStyleCard *noir;

  /* Nothing is chosen at first, and the counter says so. */
  g_assert_cmpuint (cards->len, ==, 24);
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "No styles chosen"));
  g_assert_cmpuint (g_list_model_get_n_items (chosen), ==, 0);
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "Professional"));

  /* A search by name leaves one card and only its category's heading. */
  search (page, "NOIR", 1);
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "Cinematic"));
  g_assert_false (lk_test_shows_text (GTK_WIDGET (page), "Professional"));

  noir = find_card (page, "film-noir");
  g_assert_nonnull (noir);
  gtk_widget_activate (GTK_WIDGET (noir));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "1 style chosen"));
  g_assert_true (lk_style_card_get_chosen (noir));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (noir), "chosen"));
  ids = chosen_ids ();
  g_assert_cmpstrv (ids, ((const char * const[]) { "film-noir", NULL }));

  /* Every word counts, in the name or the description. */
  search (page, "paint classical", 1);
  g_assert_nonnull (find_card (page, "oil-painting"));

  /* A search by category: Select All adds what it shows. */
  search (page, "artistic", 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "styles.select-all", NULL));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "8 styles chosen"));
  g_assert_cmpuint (g_list_model_get_n_items (chosen), ==, 8);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "styles.select-all", NULL) &&
                  !lk_test_shows_text (GTK_WIDGET (page), "8 styles chosen"));

  /* Nothing shown, the page says so. */
  search (page, "no such style anywhere", 0);
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "No Matching Styles"));

  /* Clearing the search brings back every card, the chosen ones checked. */
  search (page, "", 24);
  g_assert_true (lk_style_card_get_chosen (find_card (page, "film-noir")));
  g_assert_true (lk_style_card_get_chosen (find_card (page, "anime")));
  g_assert_false (lk_style_card_get_chosen (find_card (page, "business-headshot")));

  /* Clicking a chosen card takes it out again. */
  gtk_widget_activate (GTK_WIDGET (find_card (page, "film-noir")));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "7 styles chosen"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "styles.clear", NULL));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "No styles chosen"));
  g_clear_pointer (&ids, g_strfreev);
  ids = chosen_ids ();
  g_assert_cmpuint (g_strv_length (ids), ==, 0);

  gtk_widget_activate (GTK_WIDGET (find_card (page, "anime")));
  gtk_widget_activate (GTK_WIDGET (find_card (page, "business-headshot")));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "2 styles chosen"));

  /* The next window remembers the choice. */
  gtk_window_close (GTK_WINDOW (test->window));
  g_assert_true (lk_test_wait_for (lk_test_app_window_is_gone, test, 5000));
  g_application_activate (G_APPLICATION (test->app));
  lk_test_app_track_window (test);
  lk_test_drain ();

  page = show_styles_page (test);
  chosen = lk_styles_page_get_chosen (page);
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "2 styles chosen"));
  g_assert_cmpuint (g_list_model_get_n_items (chosen), ==, 2);
  first = g_list_model_get_item (chosen, 0);
  /* The chosen list is in gallery order, not the order of clicking. */
  g_assert_cmpstr (lk_style_get_id (first), ==, "business-headshot");
  g_assert_true (lk_style_card_get_chosen (find_card (page, "anime")));
  g_assert_false (lk_style_card_get_chosen (find_card (page, "film-noir")));
}

static void
test_choose (void)
{
  lk_test_run_app (check_choose, NULL);
}

static gboolean
has_texture (gpointer art)
{
  return lk_style_art_get_texture (art) != NULL;
}

static void
check_thumbnail (LkTestApp *test)
{
  LkStylesPage *page = show_styles_page (test);
  LkStyle *style = lk_style_library_lookup (lk_styles_page_get_library (page), "watercolour");
  g_autofree char *path = g_build_filename (test_home, "watercolour.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 600, 800);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LkStyleArt *art;

  gdk_pixbuf_fill (pixbuf, 0x33aa55ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);

  art = LK_STYLE_ART (lk_test_find_descendant (GTK_WIDGET (find_card (page, "watercolour")), LK_TYPE_STYLE_ART));
  g_assert_null (lk_style_art_get_texture (art));
  g_assert_cmpstr (lk_style_art_get_icon_name (art), ==, "lk-style-brush-symbolic");

  /* The card shows the portrait as soon as the style has one. */
  lk_style_set_thumbnail (style, file);
  g_assert_true (lk_test_wait_for (has_texture, art, 5000));
  /* It is decoded no larger than a card needs, in its own shape. */
  g_assert_cmpint (gdk_texture_get_width (lk_style_art_get_texture (art)), ==, 384);
  g_assert_cmpint (gdk_texture_get_height (lk_style_art_get_texture (art)), ==, 512);

  lk_style_set_thumbnail (style, NULL);
  g_assert_null (lk_style_art_get_texture (art));
}

static void
test_thumbnail (void)
{
  lk_test_run_app (check_thumbnail, NULL);
}

static gboolean
editor_is_gone (gpointer data)
{
  return lk_test_find_toplevel (LK_TYPE_STYLE_EDITOR) == NULL;
}

static void
set_prompt (LkStyleEditor *editor,
            const char    *prompt)
{
  GtkTextView *view = GTK_TEXT_VIEW (lk_test_find_descendant (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), prompt, -1);
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The Save button follows the editor.save action's enabled state. */
static gboolean
can_save (LkStyleEditor *editor)
{
  GtkWidget *save = find_action_button (GTK_WIDGET (editor), "editor.save");

  g_assert_nonnull (save);
  return gtk_widget_is_sensitive (save);
}

static void
check_editor (LkTestApp *test)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  LkStylesPage *page = show_styles_page (test);
  LkStyleLibrary *library = lk_styles_page_get_library (page);
  LkStyleEditor *editor;
  GtkWidget *name_row;
  AdwMessageDialog *confirm;
  LkStyle *saved;

  /* The memory settings outlive each test's app. */
  g_settings_reset (settings, "chosen-styles");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "styles.new", NULL));
  lk_test_drain ();
  editor = LK_STYLE_EDITOR (lk_test_find_toplevel (LK_TYPE_STYLE_EDITOR));
  g_assert_nonnull (editor);

  /* A new style needs a name before it can be saved, but says nothing
   * about it before anything is typed. */
  g_assert_false (can_save (editor));
  g_assert_false (lk_test_shows_text (GTK_WIDGET (editor), "The name is empty"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (editor), "portrait of a person,"));

  name_row = lk_test_find_descendant (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Rainy Window");
  g_assert_true (can_save (editor));

  /* A prompt without {subject} is pointed out at once, and blocks Save. */
  set_prompt (editor, "a lighthouse at dusk");
  g_assert_true (lk_test_shows_text (GTK_WIDGET (editor), "The prompt must contain {subject}"));
  g_assert_false (can_save (editor));

  /* The preview follows the prompt as it is typed. */
  set_prompt (editor, "{subject} behind a rainy window, soft light");
  g_assert_false (lk_test_shows_text (GTK_WIDGET (editor), "The prompt must contain {subject}"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (editor), "a person behind a rainy window, soft light"));
  g_assert_true (can_save (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (lk_test_wait_for (editor_is_gone, NULL, 5000));

  saved = lk_style_library_lookup (library, "rainy-window");
  g_assert_nonnull (saved);
  g_assert_cmpstr (lk_style_get_prompt (saved), ==, "{subject} behind a rainy window, soft light");
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "Rainy Window"));
  g_assert_true (lk_test_shows_text (GTK_WIDGET (page), "Your style"));

  /* Deleting asks first. */
  gtk_widget_activate (GTK_WIDGET (find_card (page, "rainy-window")));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "1 style chosen"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "styles.delete", "s", "rainy-window"));
  lk_test_drain ();
  confirm = ADW_MESSAGE_DIALOG (lk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Delete “Rainy Window”?");
  adw_message_dialog_response (confirm, "delete");
  lk_test_drain ();

  g_assert_null (lk_style_library_lookup (library, "rainy-window"));
  g_assert_true (lk_test_wait_for_text (GTK_WIDGET (page), "No styles chosen"));
  g_assert_null (find_card (page, "rainy-window"));
}

static void
test_editor (void)
{
  lk_test_run_app (check_editor, NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  /* The pages show only once signed in. */
  g_setenv ("REPLICATE_API_TOKEN", "r8_styles_test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/lk/styles-page/choose", test_choose);
  g_test_add_func ("/lk/styles-page/thumbnail", test_thumbnail);
  g_test_add_func ("/lk/styles-page/editor", test_editor);

  return g_test_run ();
}
