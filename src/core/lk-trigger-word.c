/* lk-trigger-word.c: the word that calls up a trained model in a prompt:
 * a suggestion, and the checks that keep it unique.
 *
 * A trigger word works when it means nothing else to the model: a made-up
 * word of letters and digits. An everyday word (checked against the list
 * in data/common-words.txt) would bring the trained subject into every
 * prompt that uses the word in its usual sense, and “TOK”, the trainer's
 * default, is shared by countless models already.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-trigger-word"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-core-resources.h"
#include "lk-trigger-word.h"

#define COMMON_WORDS_RESOURCE "/io/github/likeness/Likeness/core/common-words.txt"

/* Letters that rarely end an English syllable, so a suggestion reads as a
 * name of its own rather than a word. */
#define RARE_LETTERS "jkqvxz"

G_DEFINE_QUARK (lk-trigger-word-error-quark, lk_trigger_word_error)

static gpointer
load_common_words (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  GHashTable *words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The resource is compiled into the library, so it cannot be missing. */
  bytes = g_resource_lookup_data (lk_core_get_resource (), COMMON_WORDS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && *lines[i] != '#')
        g_hash_table_add (words, g_ascii_strdown (lines[i], -1));
    }

  return words;
}

/**
 * lk_trigger_word_is_common:
 *
 * Returns: whether @word is an everyday English word, in any case
 */
gboolean
lk_trigger_word_is_common (const char *word)
{
  static GOnce once = G_ONCE_INIT;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (word != NULL, FALSE);

  g_once (&once, load_common_words, NULL);
  lower = g_ascii_strdown (word, -1);
  return g_hash_table_contains (once.retval, lower);
}

static gboolean
is_taken (const char         *word,
          const char * const *taken)
{
  for (guint i = 0; taken != NULL && taken[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (word, taken[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * lk_trigger_word_validate:
 * @word: (nullable): the word the person chose
 * @taken: (nullable) (array zero-terminated=1): the trigger words of the
 *   person's other trained models
 *
 * Returns: whether @word can be the trigger word of a new model; %FALSE
 *   with @error (%LK_TRIGGER_WORD_ERROR) saying why not, and what to do
 */
gboolean
lk_trigger_word_validate (const char          *word,
                          const char * const  *taken,
                          GError             **error)
{
  gsize length = word != NULL ? strlen (word) : 0;

  if (length == 0)
    {
      g_set_error_literal (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_EMPTY,
                           _("Choose a trigger word: a made-up word you will write in prompts to call up your model."));
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (word[i]) || (i == 0 && g_ascii_isdigit (word[i])))
        {
          g_set_error_literal (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_CHARACTERS,
                               _("Use only the letters A to Z and digits, starting with a letter, with no spaces or signs."));
          return FALSE;
        }
    }

  if (length < LK_TRIGGER_WORD_MIN_LENGTH || length > LK_TRIGGER_WORD_MAX_LENGTH)
    {
      g_set_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_LENGTH,
                   _("Use %d to %d letters and digits."), LK_TRIGGER_WORD_MIN_LENGTH, LK_TRIGGER_WORD_MAX_LENGTH);
      return FALSE;
    }

  if (g_ascii_strcasecmp (word, "TOK") == 0)
    {
      g_set_error_literal (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_DEFAULT,
                           _("“TOK” is the trainer’s default, which many models already use. Choose a word of your own."));
      return FALSE;
    }

  if (lk_trigger_word_is_common (word))
    {
      g_set_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_COMMON_WORD,
                   _("“%s” is an everyday English word, so prompts using it in its usual sense would call up your model. Choose a made-up word."),
                   word);
      return FALSE;
    }

  if (is_taken (word, taken))
    {
      g_set_error (error, LK_TRIGGER_WORD_ERROR, LK_TRIGGER_WORD_ERROR_TAKEN,
                   _("Another of your models already uses “%s”. Choose a different word."), word);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_trigger_word_suggest:
 * @name: (nullable): the model's name, such as the person's first name
 * @taken: (nullable) (array zero-terminated=1): trigger words in use
 * @rand: the source of the random part
 *
 * Suggests a word made of up to five letters of @name, a rarely used
 * letter and two digits, such as “gracex42”: easy to type, and unlike any
 * word the base model knows.
 *
 * Returns: (transfer full): a word that passes lk_trigger_word_validate()
 */
char *
lk_trigger_word_suggest (const char         *name,
                         const char * const *taken,
                         GRand              *rand)
{
  g_autofree char *ascii = name != NULL ? g_str_to_ascii (name, "C") : NULL;
  g_autoptr(GString) stem = g_string_new (NULL);

  g_return_val_if_fail (rand != NULL, NULL);

  for (const char *p = ascii; p != NULL && *p != '\0' && stem->len < 5; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (stem, g_ascii_tolower (*p));
    }
  if (stem->len < 2)
    g_string_assign (stem, "lk");

  /* Should a person have used up the two-digit words of a stem, the
   * number grows to four digits. */
  for (guint attempt = 0; ; attempt++)
    {
      int digits = attempt < 100 ? 100 : 10000;
      g_autofree char *word = g_strdup_printf ("%s%c%d", stem->str,
                                               RARE_LETTERS[g_rand_int_range (rand, 0, strlen (RARE_LETTERS))],
                                               g_rand_int_range (rand, digits / 10, digits));

      if (lk_trigger_word_validate (word, taken, NULL))
        return g_steal_pointer (&word);
    }
}
