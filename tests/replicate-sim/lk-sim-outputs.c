/* lk-sim-outputs.c: serves what runs produce under /_sim/outputs/, until it expires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-outputs"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "lk-sim-private.h"

#define WEIGHTS_SUFFIX "-weights.tar"
#define WEIGHTS_MEMBER "lora.safetensors"

/* A safetensors file holding no tensors, only metadata: an 8-byte little
 * endian header length, then the JSON header. */
static GByteArray *
make_safetensors (LkSimJob *job)
{
  g_autofree char *header = g_strdup_printf ("{\"__metadata__\":{\"format\":\"pt\",\"training\":\"%s\"}}", job->id);
  GByteArray *data = g_byte_array_new ();
  guint64 length = GUINT64_TO_LE (strlen (header));

  g_byte_array_append (data, (const guint8 *) &length, sizeof length);
  g_byte_array_append (data, (const guint8 *) header, strlen (header));

  return data;
}

static GBytes *
make_weights (LkSimJob *job)
{
  g_autoptr(GByteArray) member = make_safetensors (job);
  gsize capacity = 16 * 1024;
  g_autofree guint8 *buffer = g_malloc (capacity);
  struct archive *archive = archive_write_new ();
  struct archive_entry *entry = archive_entry_new ();
  size_t used = 0;

  archive_write_set_format_pax_restricted (archive);
  archive_write_open_memory (archive, buffer, capacity, &used);

  archive_entry_set_pathname (entry, WEIGHTS_MEMBER);
  archive_entry_set_size (entry, member->len);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, g_date_time_to_unix (job->completed_at), 0);
  archive_write_header (archive, entry);
  archive_write_data (archive, member->data, member->len);
  archive_entry_free (entry);

  archive_write_close (archive);
  archive_write_free (archive);

  return g_bytes_new_take (g_steal_pointer (&buffer), used);
}

static void
respond_missing (LkSimExchange *exchange)
{
  lk_sim_exchange_respond_problem (exchange, 404, "Not found",
                                   "This output does not exist or has expired.");
}

static void
serve_weights (LkSim         *self,
               LkSimExchange *exchange,
               const char    *id)
{
  LkSimJob *job = g_hash_table_lookup (self->jobs, id);
  g_autoptr(GBytes) weights = NULL;

  if (job == NULL || job->kind != LK_SIM_JOB_TRAINING || job->status != LK_SIM_STATUS_SUCCEEDED
      || lk_sim_job_data_removed (job, lk_sim_get_lifetime_us (self)))
    {
      respond_missing (exchange);
      return;
    }

  weights = make_weights (job);
  lk_sim_exchange_respond_bytes (exchange, 200, "application/x-tar", weights);
}

static void
serve_image (LkSim         *self,
             LkSimExchange *exchange,
             const char    *name)
{
  g_autofree char *id = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  const char *dash = strrchr (name, '-');
  const char *dot = strrchr (name, '.');
  LkSimJob *job = NULL;
  guint64 index = 0;

  if (dash != NULL && dot != NULL && dash < dot)
    {
      g_autofree char *number = g_strndup (dash + 1, dot - dash - 1);

      id = g_strndup (name, dash - name);
      if (g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT, &index, NULL))
        job = g_hash_table_lookup (self->jobs, id);
    }

  if (job == NULL || job->kind != LK_SIM_JOB_PREDICTION || job->status != LK_SIM_STATUS_SUCCEEDED
      || job->data_uri_outputs || index >= job->num_outputs || !g_str_equal (dot + 1, job->output_format)
      || lk_sim_job_data_removed (job, lk_sim_get_lifetime_us (self)))
    {
      respond_missing (exchange);
      return;
    }

  image = lk_sim_image_render (job->id, index, job->seed, job->output_format, &error);
  if (image == NULL)
    {
      lk_sim_exchange_respond_problem (exchange, 500, "Internal Server Error", error->message);
      return;
    }

  lk_sim_exchange_respond_bytes (exchange, 200, lk_sim_image_content_type (job->output_format), image);
}

/**
 * lk_sim_outputs_serve:
 * @name: the file name after /_sim/outputs/: "<prediction>-<n>.<ext>" or
 *   "<training>-weights.tar"
 *
 * Images are drawn again on each download rather than kept, so the
 * simulator holds no image data however many predictions it runs.
 * Like replicate.delivery, this needs no token, and a file is gone once
 * its run's output lifetime has passed.
 */
void
lk_sim_outputs_serve (LkSim         *self,
                      LkSimExchange *exchange,
                      const char    *name)
{
  if (g_str_has_suffix (name, WEIGHTS_SUFFIX))
    {
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (WEIGHTS_SUFFIX));

      serve_weights (self, exchange, id);
    }
  else
    serve_image (self, exchange, name);
}
