/* lk-batch-references.c: each reference photo of a batch prepared and
 * uploaded once, or an earlier upload of the same content reused.
 *
 * The prepared JPEG is kept in the cache folder under its SHA-256, so a
 * job resumed after its uploads expired sends the very same file again.
 * An upload is reused only while it has at least an hour to live, the
 * time for which Replicate keeps a prediction's inputs reachable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-batch-private.h"
#include "lk-reference-prep.h"

#define REUSE_MARGIN_SECONDS (60 * 60)

void
lk_batch_reference_free (LkBatchReference *reference)
{
  g_clear_object (&reference->photo);
  g_free (reference->path);
  g_free (reference->sha256);
  g_free (reference->url);
  g_free (reference);
}

/**
 * lk_batch_reference_new:
 * @photo: (nullable): the ranked photo, whose face box guides the crop
 * @path: the photo's file
 * @sha256: (nullable): the prepared file's hash, when it was prepared
 *   before (a resumed job)
 */
LkBatchReference *
lk_batch_reference_new (LkPhoto    *photo,
                        const char *path,
                        const char *sha256)
{
  LkBatchReference *reference = g_new0 (LkBatchReference, 1);

  reference->photo = photo != NULL ? g_object_ref (photo) : NULL;
  reference->path = g_strdup (path);
  reference->sha256 = g_strdup (sha256);
  return reference;
}

static char *
cache_path (const char *sha256)
{
  g_autofree char *name = g_strconcat (sha256, ".jpg", NULL);

  return g_build_filename (g_get_user_cache_dir (), "likeness", "references", name, NULL);
}

typedef struct
{
  LkClient         *client;
  LkStore          *store;
  GPtrArray        *references;
  guint             pending;
  GError           *error;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->client);
  g_clear_object (&upload->store);
  g_clear_pointer (&upload->references, g_ptr_array_unref);
  g_clear_error (&upload->error);
  g_free (upload);
}

/* One reference's part of the whole upload. */
typedef struct
{
  GTask            *whole;
  LkBatchReference *reference;
} Part;

static void
part_done (Part   *part,
           GError *error)
{
  g_autoptr(GTask) whole = part->whole;
  Upload *upload = g_task_get_task_data (whole);

  if (error != NULL && upload->error == NULL)
    upload->error = g_error_new (LK_BATCH_ERROR, LK_BATCH_ERROR_REFERENCE,
                                 _("The reference photo “%s” could not be sent: %s"),
                                 part->reference->path, error->message);
  g_clear_error (&error);
  g_free (part);

  if (--upload->pending > 0)
    return;

  if (upload->error != NULL)
    g_task_return_error (whole, g_steal_pointer (&upload->error));
  else
    g_task_return_boolean (whole, TRUE);
}

/* The prepared file: the cached one, or the photo prepared afresh. */
static GBytes *
prepare (LkBatchReference  *reference,
         GCancellable      *cancellable,
         GError           **error)
{
  g_autoptr(LkReferencePrep) prep = NULL;
  g_autoptr(LkPhoto) photo = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  char *contents;
  gsize length;

  if (reference->sha256 != NULL)
    {
      path = cache_path (reference->sha256);
      if (g_file_get_contents (path, &contents, &length, NULL))
        return g_bytes_new_take (contents, length);
      g_clear_pointer (&path, g_free);
    }

  prep = lk_reference_prep_new ();
  photo = reference->photo != NULL ? g_object_ref (reference->photo) : lk_photo_new (reference->path);
  if (!(bytes = lk_reference_prep_prepare (prep, photo, cancellable, error)))
    return NULL;

  g_free (reference->sha256);
  reference->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  path = cache_path (reference->sha256);
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not make the folder “%s”."), folder);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/* On a worker: prepares the file and looks for an upload to reuse. */
static void
prepare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Part *part = task_data;
  Upload *upload = g_task_get_task_data (part->whole);
  LkBatchReference *reference = part->reference;
  g_autoptr(GDateTime) until = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (until, REUSE_MARGIN_SECONDS);
  g_autoptr(LkUpload) found = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!(bytes = prepare (reference, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  found = lk_store_find_upload (upload->store, reference->sha256, later, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (found != NULL)
    {
      reference->url = g_strdup (found->url);
      reference->expires_at = found->expires_at;
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
record_upload (LkBatchReference  *reference,
               LkStore           *store,
               JsonObject        *answer,
               GError           **error)
{
  JsonObject *urls = json_object_get_object_member (answer, "urls");
  const char *id = json_object_get_string_member_with_default (answer, "id", NULL);
  const char *url = urls != NULL ? json_object_get_string_member_with_default (urls, "get", NULL) : NULL;
  const char *expires = json_object_get_string_member_with_default (answer, "expires_at", NULL);
  g_autoptr(GDateTime) expires_at = expires != NULL ? g_date_time_new_from_iso8601 (expires, NULL) : NULL;
  LkUpload record;

  if (id == NULL || url == NULL)
    {
      g_set_error_literal (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                           _("Replicate’s answer to the upload has no file id or URL."));
      return FALSE;
    }

  record.sha256 = reference->sha256;
  record.file_id = (char *) id;
  record.url = (char *) url;
  /* Without a date, the file lives a day, as Replicate's files do. */
  record.expires_at = expires_at != NULL ? g_date_time_to_unix (expires_at) : g_get_real_time () / G_USEC_PER_SEC + 24 * 60 * 60;

  if (!lk_store_add_upload (store, &record, error))
    return FALSE;

  reference->url = g_strdup (url);
  reference->expires_at = record.expires_at;
  return TRUE;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Part *part = user_data;
  Upload *upload = g_task_get_task_data (part->whole);
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;

  if ((answer = lk_client_upload_file_finish (LK_CLIENT (object), result, &error)))
    record_upload (part->reference, upload->store, answer, &error);

  part_done (part, error);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Part *part = user_data;
  Upload *upload = g_task_get_task_data (part->whole);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || part->reference->url != NULL)
    {
      part_done (part, error);
      return;
    }

  path = cache_path (part->reference->sha256);
  file = g_file_new_for_path (path);
  lk_client_upload_file_async (upload->client, file, NULL, g_task_get_cancellable (part->whole),
                               uploaded_cb, part);
}

/**
 * lk_batch_references_upload_async:
 * @references: (element-type LkBatchReference): the batch's references;
 *   each gets its @sha256 and @url
 *
 * Prepares every reference on a worker thread and uploads those without
 * a reusable upload, all at once.
 */
void
lk_batch_references_upload_async (LkClient            *client,
                                  LkStore             *store,
                                  GPtrArray           *references,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *whole;
  Upload *upload;

  g_return_if_fail (LK_IS_CLIENT (client));
  g_return_if_fail (LK_IS_STORE (store));
  g_return_if_fail (references != NULL && references->len > 0);

  whole = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (whole, lk_batch_references_upload_async);
  upload = g_new0 (Upload, 1);
  upload->client = g_object_ref (client);
  upload->store = g_object_ref (store);
  upload->references = g_ptr_array_ref (references);
  upload->pending = references->len;
  g_task_set_task_data (whole, upload, (GDestroyNotify) upload_free);

  for (guint i = 0; i < references->len; i++)
    {
      Part *part = g_new0 (Part, 1);
      g_autoptr(GTask) task = g_task_new (NULL, cancellable, prepared_cb, part);

      part->whole = g_object_ref (whole);
      part->reference = g_ptr_array_index (references, i);
      g_task_set_task_data (task, part, NULL);
      g_task_run_in_thread (task, prepare_in_thread);
    }

  g_object_unref (whole);
}

gboolean
lk_batch_references_upload_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_references_upload_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
