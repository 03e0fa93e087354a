/* test-batch-output.c: an item's image saved under its own name, never
 * over another file, and once only when it was saved before a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <locale.h>
#include <string.h>

#include "lk-batch-private.h"
#include "lk-test-utils.h"

#define STEM "01-film-noir"

static const char *home;

/* A PNG of one colour, as a data: URI such as a model may return. */
static char *
image_uri (guint32 colour)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 40);
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  g_autofree char *base64 = NULL;
  gsize length;

  gdk_pixbuf_fill (pixbuf, colour);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &length, "png", &error, NULL));
  g_assert_no_error (error);
  base64 = g_base64_encode ((const guchar *) png, length);
  return g_strconcat ("data:image/png;base64,", base64, NULL);
}

static char *
save (LkClient   *client,
      const char *url,
      GFile      *folder)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  gint64 bytes = 0;

  lk_batch_output_save_async (client, url, folder, STEM, NULL, lk_test_store_result, &result);
  saved = lk_batch_output_save_finish (lk_test_wait_for_result (&result), &sha256, &bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpuint (strlen (sha256), ==, 64);
  g_assert_cmpint (bytes, >, 0);
  return g_file_get_basename (saved);
}

static guint
count_files (GFile *folder)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NONE, NULL, NULL);
  guint count = 0;

  g_assert_nonnull (children);
  for (;;)
    {
      g_autoptr(GFileInfo) info = g_file_enumerator_next_file (children, NULL, NULL);

      if (info == NULL)
        return count;
      count++;
    }
}

static void
test_names (void)
{
  g_autoptr(LkClient) client = lk_client_new (NULL, NULL);
  g_autofree char *path = g_build_filename (home, "output-XXXXXX", NULL);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *grey = image_uri (0x808080ff);
  g_autofree char *red = image_uri (0xc03020ff);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;

  g_assert_nonnull (g_mkdtemp (path));
  folder = g_file_new_for_path (path);

  first = save (client, grey, folder);
  g_assert_cmpstr (first, ==, STEM ".png");

  /* The same image again, as a resume saves one whose record a crash
   * lost: the file already there is it. */
  again = save (client, grey, folder);
  g_assert_cmpstr (again, ==, STEM ".png");
  g_assert_cmpuint (count_files (folder), ==, 1);

  /* Another image never replaces it. */
  other = save (client, red, folder);
  g_assert_cmpstr (other, ==, STEM "-2.png");
  g_assert_cmpuint (count_files (folder), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/batch-output/names", test_names);

  return g_test_run ();
}
