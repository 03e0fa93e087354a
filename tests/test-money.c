/* test-money.c: dollar amounts as people see and type them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <locale.h>

#include "lk-money.h"
#include "lk-test-utils.h"

typedef struct
{
  gint64      micros;
  const char *shown;
  const char *plain;
} FormatCase;

static const FormatCase format_cases[] = {
  { 0, "$0.00", "0.000000" },
  { 40000, "$0.04", "0.040000" },
  { 25000, "$0.025", "0.025000" },
  { 3000, "$0.003", "0.003000" },
  { 225, "$0.0002", "0.000225" },
  { 18826, "$0.019", "0.018826" },
  { 99499, "$0.099", "0.099499" },
  { 99999, "$0.10", "0.099999" },
  { 320100, "$0.32", "0.320100" },
  { 999999, "$1.00", "0.999999" },
  { 1830000, "$1.83", "1.830000" },
  { 12345678, "$12.35", "12.345678" },
  { -40000, "-$0.04", "-0.040000" },
};

static void
test_format (gconstpointer data)
{
  const FormatCase *test = data;
  g_autofree char *shown = lk_money_format (test->micros);
  g_autofree char *plain = lk_money_format_plain (test->micros);

  g_assert_cmpstr (shown, ==, test->shown);
  g_assert_cmpstr (plain, ==, test->plain);
}

typedef struct
{
  const char *text;
  gint64      micros;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "5", 5000000 },
  { " 12.50 ", 12500000 },
  { "$0.04", 40000 },
  { "0.000225", 225 },
  { "0", 0 },
  { ".5", 500000 },
  { "100000", 100000000000 },
  /* Errors. */
  { "", -1 },
  { "$", -1 },
  { "five", -1 },
  { "5,50", -1 },
  { "-5", -1 },
  { "1.0000001", -1 },
  { "100000.01", -1 },
  { "99999999999999999999999", -1 },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *test = data;
  g_autoptr(GError) error = NULL;
  gint64 micros = -42;

  if (test->micros >= 0)
    {
      g_assert_true (lk_money_parse (test->text, &micros, &error));
      g_assert_no_error (error);
      g_assert_cmpint (micros, ==, test->micros);
    }
  else
    {
      g_assert_false (lk_money_parse (test->text, &micros, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpint (micros, ==, -42);
    }
}

static void
test_from_usd (void)
{
  /* Prices as written in models.json land on whole micro-dollars. */
  g_assert_cmpint (lk_money_from_usd (0.001525), ==, 1525);
  g_assert_cmpint (lk_money_from_usd (0.003), ==, 3000);
  g_assert_cmpint (lk_money_from_usd (0.0001), ==, 100);
  g_assert_cmpfloat_with_epsilon (lk_money_to_usd (1830000), 1.83, 1e-12);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/money/format/%u", i);

      g_test_add_data_func (path, &format_cases[i], test_format);
    }
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/money/parse/%u", i);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/lk/money/from-usd", test_from_usd);

  return g_test_run ();
}
