/* lk-multipart-stream.c: a multipart/form-data body streamed from a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-multipart-stream"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-multipart-stream.h"

/* The body is the part headers, the file and the closing boundary, read
 * in turn. The file is opened at the first read and read a buffer at a
 * time, so a 100 MB upload never sits in memory. GInputStream runs the
 * reads of a stream like this one in a worker thread for async callers
 * such as SoupSession, so the blocking file reads stay off the main loop. */
struct _LkMultipartStream
{
  GInputStream  parent_instance;

  GBytes       *head;
  GFile        *file;
  goffset       file_size;
  GBytes       *tail;
  GInputStream *file_stream;
  goffset       position;
};

G_DEFINE_FINAL_TYPE (LkMultipartStream, lk_multipart_stream, G_TYPE_INPUT_STREAM)

static void
lk_multipart_stream_finalize (GObject *object)
{
  LkMultipartStream *self = LK_MULTIPART_STREAM (object);

  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->tail, g_bytes_unref);
  g_clear_object (&self->file);
  g_clear_object (&self->file_stream);

  G_OBJECT_CLASS (lk_multipart_stream_parent_class)->finalize (object);
}

static gssize
copy_bytes (GBytes *bytes,
            goffset offset,
            void   *buffer,
            gsize   count)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize n = MIN (count, size - (gsize) offset);

  memcpy (buffer, data + offset, n);
  return n;
}

static gssize
lk_multipart_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  LkMultipartStream *self = LK_MULTIPART_STREAM (stream);
  goffset head_size = g_bytes_get_size (self->head);
  goffset tail_start = head_size + self->file_size;
  gssize n;

  if (self->position < head_size)
    {
      n = copy_bytes (self->head, self->position, buffer, count);
    }
  else if (self->position < tail_start)
    {
      if (self->file_stream == NULL &&
          !(self->file_stream = G_INPUT_STREAM (g_file_read (self->file, cancellable, error))))
        return -1;

      n = g_input_stream_read (self->file_stream, buffer,
                               MIN ((goffset) count, tail_start - self->position),
                               cancellable, error);
      if (n < 0)
        return -1;

      /* The length was promised in Content-Length; a shorter file would
       * leave the server waiting for bytes that never come. */
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                       _("“%s” changed while it was being uploaded. Try again."),
                       g_file_peek_path (self->file) != NULL ? g_file_peek_path (self->file) : "");
          return -1;
        }
    }
  else if (self->position < tail_start + (goffset) g_bytes_get_size (self->tail))
    {
      n = copy_bytes (self->tail, self->position - tail_start, buffer, count);
    }
  else
    {
      n = 0;
    }

  self->position += n;
  return n;
}

static gboolean
lk_multipart_stream_close (GInputStream  *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  LkMultipartStream *self = LK_MULTIPART_STREAM (stream);

  if (self->file_stream != NULL)
    return g_input_stream_close (self->file_stream, cancellable, error);

  return TRUE;
}

static void
lk_multipart_stream_class_init (LkMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = lk_multipart_stream_finalize;
  stream_class->read_fn = lk_multipart_stream_read;
  stream_class->close_fn = lk_multipart_stream_close;
}

static void
lk_multipart_stream_init (LkMultipartStream *self)
{
}

/* Quotes, backslashes and line breaks would end the header early. */
static char *
header_safe (const char *text)
{
  char *copy = g_strdup (text);

  for (char *p = copy; *p; p++)
    {
      if (*p == '"' || *p == '\\' || (guchar) *p < 0x20 || *p == 0x7f)
        *p = '_';
    }

  return copy;
}

/**
 * lk_multipart_stream_new:
 * @boundary: the part boundary, also given in the Content-Type
 * @field: the form field of the file
 * @file: the file to send
 * @file_size: its size, as promised in the Content-Length
 * @filename: the file name the server sees
 * @file_type: the file's MIME type
 * @metadata_json: (nullable): a JSON object for a `metadata` field
 *
 * Returns: (transfer full): the body, to be read once
 */
GInputStream *
lk_multipart_stream_new (const char *boundary,
                         const char *field,
                         GFile      *file,
                         goffset     file_size,
                         const char *filename,
                         const char *file_type,
                         const char *metadata_json)
{
  LkMultipartStream *self;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *safe_name = NULL;

  g_return_val_if_fail (boundary != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (file_size >= 0, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (file_type != NULL, NULL);

  safe_name = header_safe (filename);

  if (metadata_json != NULL)
    g_string_append_printf (head,
                            "--%s\r\n"
                            "Content-Disposition: form-data; name=\"metadata\"\r\n"
                            "Content-Type: application/json\r\n"
                            "\r\n"
                            "%s\r\n",
                            boundary, metadata_json);

  g_string_append_printf (head,
                          "--%s\r\n"
                          "Content-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                          "Content-Type: %s\r\n"
                          "\r\n",
                          boundary, field, safe_name, file_type);

  self = g_object_new (LK_TYPE_MULTIPART_STREAM, NULL);
  self->head = g_string_free_to_bytes (g_steal_pointer (&head));
  self->file = g_object_ref (file);
  self->file_size = file_size;
  self->tail = g_bytes_new_take (g_strdup_printf ("\r\n--%s--\r\n", boundary), strlen (boundary) + 8);

  return G_INPUT_STREAM (self);
}

/**
 * lk_multipart_stream_get_length:
 *
 * Returns: the number of bytes the stream yields, for Content-Length
 */
goffset
lk_multipart_stream_get_length (LkMultipartStream *self)
{
  g_return_val_if_fail (LK_IS_MULTIPART_STREAM (self), 0);

  return g_bytes_get_size (self->head) + self->file_size + g_bytes_get_size (self->tail);
}
