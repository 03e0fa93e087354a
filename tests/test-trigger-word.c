/* test-trigger-word.c: which trigger words are refused and why, and the
 * words Likeness suggests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-test-utils.h"
#include "lk-trigger-word.h"

typedef struct
{
  const char         *word;
  const char * const *taken;
  int                 error;
} Case;

#define VALID (-1)

static const char * const taken_words[] = { "ZORBLAT", "gracex42", NULL };

static const Case cases[] = {
  { "gracex42", NULL, VALID },
  { "zorblat", NULL, VALID },
  { "Mrx7", NULL, VALID },
  { "abc", NULL, VALID },
  { "abcdefghijklmnopqrst", NULL, VALID },
  { NULL, NULL, LK_TRIGGER_WORD_ERROR_EMPTY },
  { "", NULL, LK_TRIGGER_WORD_ERROR_EMPTY },
  { "ab", NULL, LK_TRIGGER_WORD_ERROR_LENGTH },
  { "abcdefghijklmnopqrstu", NULL, LK_TRIGGER_WORD_ERROR_LENGTH },
  { "grace x", NULL, LK_TRIGGER_WORD_ERROR_CHARACTERS },
  { "grace-x", NULL, LK_TRIGGER_WORD_ERROR_CHARACTERS },
  { "9lives", NULL, LK_TRIGGER_WORD_ERROR_CHARACTERS },
  { "émile", NULL, LK_TRIGGER_WORD_ERROR_CHARACTERS },
  { "TOK", NULL, LK_TRIGGER_WORD_ERROR_DEFAULT },
  { "tok", NULL, LK_TRIGGER_WORD_ERROR_DEFAULT },
  { "person", NULL, LK_TRIGGER_WORD_ERROR_COMMON_WORD },
  { "Portrait", NULL, LK_TRIGGER_WORD_ERROR_COMMON_WORD },
  { "the", NULL, LK_TRIGGER_WORD_ERROR_COMMON_WORD },
  { "WOMAN", NULL, LK_TRIGGER_WORD_ERROR_COMMON_WORD },
  { "selfie", NULL, LK_TRIGGER_WORD_ERROR_COMMON_WORD },
  { "zorblat", taken_words, LK_TRIGGER_WORD_ERROR_TAKEN },
  { "GraceX42", taken_words, LK_TRIGGER_WORD_ERROR_TAKEN },
  { "gracex43", taken_words, VALID },
};

static void
test_validate (gconstpointer data)
{
  const Case *test = data;
  g_autoptr(GError) error = NULL;
  gboolean valid;

  valid = lk_trigger_word_validate (test->word, test->taken, &error);

  if (test->error == VALID)
    {
      g_assert_no_error (error);
      g_assert_true (valid);
      return;
    }

  g_assert_error (error, LK_TRIGGER_WORD_ERROR, test->error);
  g_assert_false (valid);
  /* The message tells the person what to do. */
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static void
test_suggest (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  g_autofree char *grace = lk_trigger_word_suggest ("Grace Hopper", NULL, rand);
  g_autofree char *unnamed = lk_trigger_word_suggest ("", NULL, rand);
  g_autofree char *accented = lk_trigger_word_suggest ("Émile", NULL, rand);

  g_assert_true (g_str_has_prefix (grace, "grace"));
  g_assert_true (lk_trigger_word_validate (grace, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (unnamed, "lk"));
  g_assert_true (lk_trigger_word_validate (unnamed, NULL, NULL));
  g_assert_true (g_str_has_prefix (accented, "emile"));
  g_assert_true (lk_trigger_word_validate (accented, NULL, NULL));

  /* Suggestions avoid the person's other trigger words, even when most
   * of those of a name are taken. */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) taken = NULL;
    g_autofree char *word = NULL;
    const char letters[] = "jkqvxz";

    for (guint i = 0; i < strlen (letters); i++)
      for (int n = 10; n < 100; n++)
        {
          g_autofree char *used = g_strdup_printf ("ann%c%d", letters[i], n);

          if (n != 55)
            g_strv_builder_add (builder, used);
        }
    taken = g_strv_builder_end (builder);

    word = lk_trigger_word_suggest ("Ann", (const char * const *) taken, rand);
    g_assert_true (lk_trigger_word_validate (word, (const char * const *) taken, NULL));
  }
}

static void
test_common (void)
{
  g_assert_true (lk_trigger_word_is_common ("the"));
  g_assert_true (lk_trigger_word_is_common ("Photo"));
  g_assert_false (lk_trigger_word_is_common ("zorblat"));
  g_assert_false (lk_trigger_word_is_common ("tok"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/trigger-word/validate/%u-%s", i,
                                               cases[i].word != NULL && g_str_is_ascii (cases[i].word) && *cases[i].word != '\0' &&
                                               strchr (cases[i].word, ' ') == NULL ? cases[i].word : "special");

      g_test_add_data_func (path, &cases[i], test_validate);
    }
  g_test_add_func ("/lk/trigger-word/suggest", test_suggest);
  g_test_add_func ("/lk/trigger-word/common", test_common);

  return g_test_run ();
}
