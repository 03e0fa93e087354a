/* lk-money.c: amounts of US dollars as whole micro-dollars, so that sums
 * in the ledger are exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-money"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <math.h>

#include "lk-money.h"

/* A hundred thousand dollars is far beyond anything a person spends on
 * portraits; larger amounts are typing mistakes. */
#define MAX_PARSED_USD 100000

gint64
lk_money_from_usd (double usd)
{
  return (gint64) llround (usd * LK_MICROS_PER_USD);
}

double
lk_money_to_usd (gint64 micros)
{
  return (double) micros / LK_MICROS_PER_USD;
}

/**
 * lk_money_format:
 *
 * Formats an amount for people: cents from ten cents up, and below that
 * a tenth of a cent (a hundredth for the tiniest amounts), so that the
 * prices per image $0.025 and $0.003 stay distinguishable.
 *
 * Returns: (transfer full): for example "$1.85", "$0.32", "$0.025" or
 *   "-$0.04"
 */
char *
lk_money_format (gint64 micros)
{
  const char *sign = micros < 0 ? "-" : "";
  guint64 magnitude = micros < 0 ? -(guint64) micros : (guint64) micros;
  guint64 fraction;
  int digits;

  if (magnitude >= 100000)
    {
      guint64 cents = (magnitude + 5000) / 10000;

      return g_strdup_printf ("%s$%" G_GUINT64_FORMAT ".%02u", sign, cents / 100, (guint) (cents % 100));
    }

  /* Three decimals, four below half a tenth of a cent; then trailing
   * zeros go, down to two decimals. */
  digits = magnitude != 0 && magnitude < 500 ? 4 : 3;
  fraction = digits == 4 ? (magnitude + 50) / 100 : (magnitude + 500) / 1000;
  while (digits > 2 && fraction % 10 == 0)
    {
      fraction /= 10;
      digits--;
    }

  return g_strdup_printf ("%s$0.%0*u", sign, digits, (guint) fraction);
}

/**
 * lk_money_format_plain:
 *
 * Formats an amount for machines (CSV, JSON): dollars with all six
 * decimals, a dot as separator whatever the locale, no currency sign.
 *
 * Returns: (transfer full): for example "0.018826" or "-0.040000"
 */
char *
lk_money_format_plain (gint64 micros)
{
  const char *sign = micros < 0 ? "-" : "";
  guint64 magnitude = micros < 0 ? -(guint64) micros : (guint64) micros;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%06u", sign,
                          magnitude / LK_MICROS_PER_USD,
                          (guint) (magnitude % LK_MICROS_PER_USD));
}

/**
 * lk_money_parse:
 * @text: an amount as typed: "5", "5.50", "$5.50", " 12 "
 *
 * Reads a non-negative amount of dollars, with a dot as decimal separator
 * and at most six decimals.
 *
 * Returns: whether @text was an amount; @error says what is wrong otherwise
 */
gboolean
lk_money_parse (const char  *text,
                gint64      *micros,
                GError     **error)
{
  g_autofree char *copy = NULL;
  const char *p;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint64 scale = LK_MICROS_PER_USD;
  gboolean any_digit = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (micros != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  p = copy;
  if (*p == '$')
    p++;

  /* Digits beyond the limit are still read, so that the message says the
   * amount is too large rather than malformed. */
  for (; g_ascii_isdigit (*p); p++, any_digit = TRUE)
    {
      if (whole <= MAX_PARSED_USD)
        whole = whole * 10 + (guint64) (*p - '0');
    }

  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p) && scale > 1; p++, any_digit = TRUE)
        {
          scale /= 10;
          fraction += (guint64) (*p - '0') * scale;
        }
    }

  if (!any_digit || *p != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an amount of dollars. Write it like 5 or 12.50."), text);
      return FALSE;
    }

  if (whole > MAX_PARSED_USD || (whole == MAX_PARSED_USD && fraction > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s is more than the largest amount Likeness accepts, $%d."), text, MAX_PARSED_USD);
      return FALSE;
    }

  *micros = (gint64) (whole * LK_MICROS_PER_USD + fraction);
  return TRUE;
}
