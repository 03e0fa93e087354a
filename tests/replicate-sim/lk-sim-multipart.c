/* lk-sim-multipart.c: reads a multipart/form-data upload as it streams in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-multipart"

#include <string.h>

#include "lk-sim-private.h"

/* Parts other than the file (metadata, filename, type) are small. */
#define MAX_SMALL_PART (64 * 1024)
#define MAX_PART_HEADERS (16 * 1024)

typedef enum
{
  STATE_DATA,
  STATE_AFTER_DELIMITER,
  STATE_HEADERS,
  STATE_DONE,
  STATE_ERROR,
} State;

struct _LkSimUpload
{
  char       *delimiter;
  gsize       delimiter_length;
  GByteArray *pending;
  State       state;
  char       *error;

  char       *part_name;
  GString    *part_text;
  GHashTable *fields;

  gboolean    has_content;
  GChecksum  *checksum;
  gint64      size;
  char       *sha256;
  char       *filename;
  char       *content_type;
};

/**
 * lk_sim_upload_new:
 * @boundary: the boundary parameter of the request's Content-Type
 *
 * Returns: (transfer full): a reader that keeps the file's size and
 *   SHA-256 and the small form fields, never the file itself
 */
LkSimUpload *
lk_sim_upload_new (const char *boundary)
{
  LkSimUpload *upload = g_new0 (LkSimUpload, 1);

  upload->delimiter = g_strdup_printf ("\r\n--%s", boundary);
  upload->delimiter_length = strlen (upload->delimiter);
  upload->pending = g_byte_array_new ();
  upload->state = STATE_DATA;
  upload->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  upload->checksum = g_checksum_new (G_CHECKSUM_SHA256);

  /* The first boundary has no CRLF before it; pretending it has one lets
   * one delimiter search find every boundary, the preamble being a part
   * that is thrown away. */
  g_byte_array_append (upload->pending, (const guint8 *) "\r\n", 2);

  return upload;
}

void
lk_sim_upload_free (LkSimUpload *upload)
{
  g_free (upload->delimiter);
  g_byte_array_unref (upload->pending);
  g_free (upload->error);
  g_free (upload->part_name);
  if (upload->part_text != NULL)
    g_string_free (upload->part_text, TRUE);
  g_hash_table_unref (upload->fields);
  g_checksum_free (upload->checksum);
  g_free (upload->sha256);
  g_free (upload->filename);
  g_free (upload->content_type);
  g_free (upload);
}

static void
fail (LkSimUpload *upload,
      const char  *message)
{
  upload->state = STATE_ERROR;
  upload->error = g_strdup (message);
}

static gssize
find (GByteArray *haystack,
      const char *needle,
      gsize       needle_length)
{
  const guint8 *start = haystack->data;
  const guint8 *end = haystack->data + haystack->len;
  const guint8 *p = start;

  while (end - p >= (gssize) needle_length
         && (p = memchr (p, needle[0], end - p - needle_length + 1)) != NULL)
    {
      if (memcmp (p, needle, needle_length) == 0)
        return p - start;
      p++;
    }

  return -1;
}

static void
emit (LkSimUpload  *upload,
      const guint8 *data,
      gsize         length)
{
  if (upload->part_name == NULL || length == 0)
    return;

  if (g_str_equal (upload->part_name, "content"))
    {
      upload->size += length;
      if (upload->size <= LK_SIM_MAX_FILE_SIZE)
        g_checksum_update (upload->checksum, data, length);
      return;
    }

  if (upload->part_text->len + length > MAX_SMALL_PART)
    {
      fail (upload, "A form field other than “content” is too large.");
      return;
    }

  g_string_append_len (upload->part_text, (const char *) data, length);
}

static void
end_part (LkSimUpload *upload)
{
  if (upload->part_name != NULL && !g_str_equal (upload->part_name, "content"))
    g_hash_table_replace (upload->fields, g_strdup (upload->part_name),
                          g_string_free (g_steal_pointer (&upload->part_text), FALSE));

  if (upload->part_text != NULL)
    g_string_free (g_steal_pointer (&upload->part_text), TRUE);
  g_clear_pointer (&upload->part_name, g_free);
}

static void
replace_string (char       **slot,
                const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
start_part (LkSimUpload *upload,
            const char  *headers,
            gsize        length)
{
  g_autofree char *text = g_strndup (headers, length);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_autofree char *name = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *content_type = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      const char *value;

      if (colon == NULL)
        continue;

      *colon = '\0';
      value = g_strstrip (colon + 1);

      if (g_ascii_strcasecmp (lines[i], "Content-Disposition") == 0)
        {
          g_autoptr(GHashTable) params = soup_header_parse_semi_param_list (value);

          replace_string (&name, g_hash_table_lookup (params, "name"));
          replace_string (&filename, g_hash_table_lookup (params, "filename"));
        }
      else if (g_ascii_strcasecmp (lines[i], "Content-Type") == 0)
        replace_string (&content_type, value);
    }

  if (name == NULL)
    {
      fail (upload, "A multipart part has no name.");
      return;
    }

  if (g_str_equal (name, "content"))
    {
      if (upload->has_content)
        {
          fail (upload, "The upload has more than one “content” part.");
          return;
        }

      upload->has_content = TRUE;
      upload->filename = g_strdup (filename != NULL ? filename : "file");
      upload->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
    }
  else
    upload->part_text = g_string_new (NULL);

  upload->part_name = g_steal_pointer (&name);
}

static void
consume (LkSimUpload *upload,
         gsize        length)
{
  g_byte_array_remove_range (upload->pending, 0, length);
}

/* Runs the state machine as far as the pending bytes allow. In part data,
 * everything but a possible delimiter prefix at the end is passed on at
 * once, so the bytes held back stay shorter than the delimiter. */
static gboolean
step (LkSimUpload *upload)
{
  GByteArray *pending = upload->pending;
  gssize at;

  switch (upload->state)
    {
    case STATE_DATA:
      at = find (pending, upload->delimiter, upload->delimiter_length);
      if (at < 0)
        {
          gsize keep = upload->delimiter_length - 1;

          if (pending->len > keep)
            {
              emit (upload, pending->data, pending->len - keep);
              consume (upload, pending->len - keep);
            }
          return FALSE;
        }
      emit (upload, pending->data, at);
      consume (upload, at + upload->delimiter_length);
      end_part (upload);
      upload->state = STATE_AFTER_DELIMITER;
      return TRUE;

    case STATE_AFTER_DELIMITER:
      if (pending->len < 2)
        return FALSE;
      if (memcmp (pending->data, "--", 2) == 0)
        {
          upload->state = STATE_DONE;
          return FALSE;
        }
      at = find (pending, "\r\n", 2);
      if (at < 0)
        {
          if (pending->len > MAX_PART_HEADERS)
            fail (upload, "A multipart boundary line is malformed.");
          return FALSE;
        }
      consume (upload, at + 2);
      upload->state = STATE_HEADERS;
      return TRUE;

    case STATE_HEADERS:
      if (pending->len >= 2 && memcmp (pending->data, "\r\n", 2) == 0)
        {
          fail (upload, "A multipart part has no headers.");
          return FALSE;
        }
      at = find (pending, "\r\n\r\n", 4);
      if (at < 0)
        {
          if (pending->len > MAX_PART_HEADERS)
            fail (upload, "The headers of a multipart part are too long.");
          return FALSE;
        }
      start_part (upload, (const char *) pending->data, at);
      consume (upload, at + 4);
      if (upload->state != STATE_ERROR)
        upload->state = STATE_DATA;
      return upload->state == STATE_DATA;

    case STATE_DONE:
    case STATE_ERROR:
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

void
lk_sim_upload_feed (LkSimUpload  *upload,
                    const guint8 *data,
                    gsize         length)
{
  if (upload->state == STATE_DONE || upload->state == STATE_ERROR)
    return;

  g_byte_array_append (upload->pending, data, length);
  while (step (upload))
    ;
}

/**
 * lk_sim_upload_finish:
 *
 * Call once the whole body has been fed.
 *
 * Returns: whether the body held one "content" part within the size
 *   limit; otherwise @error says what was wrong, with
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE for a file over 100 MiB
 */
gboolean
lk_sim_upload_finish (LkSimUpload  *upload,
                      GError      **error)
{
  if (upload->state == STATE_ERROR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, upload->error);
      return FALSE;
    }

  if (upload->size > LK_SIM_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           "Files must be less than 100MB in size");
      return FALSE;
    }

  if (upload->state != STATE_DONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The multipart body ended before its closing boundary.");
      return FALSE;
    }

  if (!upload->has_content)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The upload has no “content” part with the file.");
      return FALSE;
    }

  /* The separate "filename" and "type" fields of the Files API win over
   * the part's own headers. */
  if (g_hash_table_contains (upload->fields, "filename"))
    replace_string (&upload->filename, g_hash_table_lookup (upload->fields, "filename"));
  if (g_hash_table_contains (upload->fields, "type"))
    replace_string (&upload->content_type, g_hash_table_lookup (upload->fields, "type"));

  upload->sha256 = g_strdup (g_checksum_get_string (upload->checksum));
  return TRUE;
}

gint64
lk_sim_upload_get_size (LkSimUpload *upload)
{
  return upload->size;
}

const char *
lk_sim_upload_get_sha256 (LkSimUpload *upload)
{
  return upload->sha256;
}

const char *
lk_sim_upload_get_filename (LkSimUpload *upload)
{
  return upload->filename;
}

const char *
lk_sim_upload_get_content_type (LkSimUpload *upload)
{
  return upload->content_type;
}

const char *
lk_sim_upload_get_metadata (LkSimUpload *upload)
{
  return g_hash_table_lookup (upload->fields, "metadata");
}
