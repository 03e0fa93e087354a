/* lk-trigger-word.h: the word that calls up a trained model in a prompt:
 * a suggestion, and the checks that keep it unique.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_TRIGGER_WORD_MIN_LENGTH 3
#define LK_TRIGGER_WORD_MAX_LENGTH 20

#define LK_TRIGGER_WORD_ERROR (lk_trigger_word_error_quark ())

/**
 * LkTriggerWordError:
 * @LK_TRIGGER_WORD_ERROR_EMPTY: no word was given
 * @LK_TRIGGER_WORD_ERROR_LENGTH: shorter than 3 or longer than 20 characters
 * @LK_TRIGGER_WORD_ERROR_CHARACTERS: something else than letters and digits,
 *   or a digit first
 * @LK_TRIGGER_WORD_ERROR_DEFAULT: “TOK”, the trainer's default, which many
 *   models already use
 * @LK_TRIGGER_WORD_ERROR_COMMON_WORD: an everyday English word
 * @LK_TRIGGER_WORD_ERROR_TAKEN: another trained model of the user has it
 */
typedef enum
{
  LK_TRIGGER_WORD_ERROR_EMPTY,
  LK_TRIGGER_WORD_ERROR_LENGTH,
  LK_TRIGGER_WORD_ERROR_CHARACTERS,
  LK_TRIGGER_WORD_ERROR_DEFAULT,
  LK_TRIGGER_WORD_ERROR_COMMON_WORD,
  LK_TRIGGER_WORD_ERROR_TAKEN,
} LkTriggerWordError;

GQuark    lk_trigger_word_error_quark (void);
gboolean  lk_trigger_word_is_common   (const char          *word);
gboolean  lk_trigger_word_validate    (const char          *word,
                                       const char * const  *taken,
                                       GError             **error);
char     *lk_trigger_word_suggest     (const char          *name,
                                       const char * const  *taken,
                                       GRand               *rand);

G_END_DECLS
