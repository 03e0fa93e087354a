/* test-multipart-stream.c: the upload body, streamed from a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "lk-multipart-stream.h"
#include "lk-test-utils.h"

static const char *test_home;

static GFile *
write_file (const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (test_home, name, NULL);
  g_autofree char *content = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    content[i] = (char) (i * 7 + 3);

  g_file_set_contents (path, content, size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GBytes *
read_all (GInputStream  *stream,
          GError       **error)
{
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  /* Small reads, as a network writer does, cross every part boundary. */
  for (;;)
    {
      char buffer[1000];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_output_stream_write (sink, buffer, n, NULL, NULL);
    }

  g_output_stream_close (sink, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static void
test_create_destroy (void)
{
  g_autoptr(GFile) file = write_file ("tiny.bin", 3);
  GInputStream *stream = lk_multipart_stream_new ("b", "content", file, 3, "tiny.bin", "application/octet-stream", NULL);

  g_assert_cmpint (lk_multipart_stream_get_length (LK_MULTIPART_STREAM (stream)), >, 3);
  g_assert_finalize_object (stream);
}

static void
test_parts (void)
{
  const gsize size = 300 * 1000 + 17;
  g_autoptr(GFile) file = write_file ("photo.jpg", size);
  g_autoptr(GInputStream) stream = lk_multipart_stream_new ("likeness-boundary", "content", file, size,
                                                            "my \"best\"\nphoto.jpg", "image/jpeg",
                                                            "{\"job\":1}");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_data = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMultipart *multipart;
  SoupMessageHeaders *part_headers;
  GBytes *part_body;
  gsize expected_size;

  body = read_all (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, lk_multipart_stream_get_length (LK_MULTIPART_STREAM (stream)));

  soup_message_headers_replace (headers, "Content-Type", "multipart/form-data; boundary=likeness-boundary");
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 2);

  g_assert_true (soup_multipart_get_part (multipart, 0, &part_headers, &part_body));
  g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body), "{\"job\":1}", 9);

  g_assert_true (soup_multipart_get_part (multipart, 1, &part_headers, &part_body));
  g_assert_true (soup_message_headers_get_content_disposition (part_headers, NULL, &params));
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "content");
  /* Quotes and line breaks cannot end the header early. */
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "my _best__photo.jpg");
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL), ==, "image/jpeg");

  g_file_load_contents (file, NULL, &expected_data, &expected_size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body), expected_data, expected_size);

  soup_multipart_free (multipart);
}

static void
test_file_shrank (void)
{
  g_autoptr(GFile) file = write_file ("shrinking.bin", 100);
  g_autoptr(GInputStream) stream = lk_multipart_stream_new ("b", "content", file, 5000, "shrinking.bin",
                                                            "application/octet-stream", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = read_all (stream, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

static void
test_missing_file (void)
{
  g_autofree char *path = g_build_filename (test_home, "missing.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) stream = lk_multipart_stream_new ("b", "content", file, 10, "missing.bin",
                                                            "application/octet-stream", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = read_all (stream, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  test_home = lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/multipart-stream/create-destroy", test_create_destroy);
  g_test_add_func ("/lk/multipart-stream/parts", test_parts);
  g_test_add_func ("/lk/multipart-stream/file-shrank", test_file_shrank);
  g_test_add_func ("/lk/multipart-stream/missing-file", test_missing_file);

  return g_test_run ();
}
