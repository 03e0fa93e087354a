/* lk-batch-start.c: starting a draft batch: its folder, its references
 * uploaded, the job and its items written to the store before anything
 * is spent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-batch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-batch-private.h"
#include "lk-enums.h"

static char *
default_job_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* Translators: the folder name of a job's portraits, with strftime()
   * codes for the date and time it started. */
  return g_date_time_format (now, _("Portraits %Y-%m-%d %H.%M"));
}

/* The job's folder: a new one, so that two jobs of the same name do not
 * share their files. */
static GFile *
new_job_folder (LkBatch *self)
{
  g_autoptr(GFile) output = self->output_folder != NULL ? g_object_ref (self->output_folder)
                                                        : lk_batch_dup_default_output_folder ();
  g_autofree char *name = self->job_name != NULL ? g_strdup (self->job_name) : default_job_name ();
  GFile *folder = g_file_get_child (output, name);

  for (guint n = 2; g_file_query_exists (folder, NULL); n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s (%u)", name, n);

      g_object_unref (folder);
      folder = g_file_get_child (output, numbered);
    }

  if (self->job_name == NULL)
    lk_batch_set_string (self, &self->job_name, name, LK_BATCH_PROP_JOB_NAME);
  return folder;
}

static char *
settings_json (LkBatch *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GEnumClass) presets = g_type_class_ref (LK_TYPE_QUALITY_PRESET);
  guint n_items = lk_batch_get_n_items (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, g_enum_get_value (presets, self->preset)->value_nick);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, self->concurrency);

  lk_batch_trained_add_settings (self, builder);

  json_builder_set_member_name (builder, "references");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->references->len; i++)
    {
      LkBatchReference *reference = g_ptr_array_index (self->references, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, reference->path);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, reference->sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      json_builder_add_value (builder, lk_batch_recipe_to_json (lk_batch_item_get_recipe (item)));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
job_title (LkBatch *self)
{
  g_autoptr(GString) title = g_string_new (NULL);
  guint n_items = lk_batch_get_n_items (self);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (i > 0)
        g_string_append (title, ", ");
      g_string_append (title, lk_batch_item_get_style_name (item));
    }

  return g_string_free (g_steal_pointer (&title), FALSE);
}

/* Writes the job and every item, before anything is spent on them. */
static gboolean
write_job (LkBatch  *self,
           GError  **error)
{
  guint n_items = lk_batch_get_n_items (self);
  g_autofree LkItemSpec *specs = g_new0 (LkItemSpec, n_items);
  g_autofree gint64 *ids = g_new0 (gint64, n_items);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *settings = settings_json (self);
  g_autofree char *title = job_title (self);
  g_autofree char *folder = g_file_get_path (self->job_folder);
  LkJobSpec job = {
    .kind = LK_JOB_KIND_PORTRAIT,
    .state = self->state,
    .title = title,
    .settings = settings,
    .folder = folder,
    .estimate = self->estimate,
    .budget = self->job_budget,
  };
  LkModel *first = g_ptr_array_index (self->chain, 0);

  for (guint i = 0; i < n_items; i++)
    {
      LkBatchItem *item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      /* A trained model has no reference photo. */
      LkBatchReference *reference = self->references->len > 0
        ? g_ptr_array_index (self->references, lk_batch_item_get_reference (item))
        : NULL;

      g_ptr_array_add (items, item);
      specs[i].style = lk_batch_item_get_style_id (item);
      specs[i].prompt = lk_batch_item_get_recipe (item)->prompt;
      specs[i].seed = lk_batch_item_get_base_seed (item);
      specs[i].model = lk_model_get_id (first);
      specs[i].reference_sha256 = reference != NULL ? reference->sha256 : NULL;
    }

  self->job_id = lk_store_add_job (self->store, &job, specs, n_items, ids, error);
  if (self->job_id == 0)
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    lk_batch_item_set_id (g_ptr_array_index (items, i), ids[i]);

  lk_batch_notify (self, LK_BATCH_PROP_JOB_ID);
  return TRUE;
}

/* Once the references are up (or when there are none to send, for a
 * trained model), the job is written and the slots open. Takes @error. */
static void
start_uploaded (GTask  *task,
                GError *error)
{
  LkBatch *self = g_task_get_source_object (task);

  lk_batch_end_upload (self);
  if (error == NULL && self->state == LK_JOB_STATE_CANCELED)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _("The job was canceled before it started; nothing was spent."));

  if (error != NULL || !write_job (self, &error))
    {
      /* Only an empty folder goes: nothing was saved in it yet. */
      g_file_delete (self->job_folder, NULL, NULL);
      if (self->state != LK_JOB_STATE_CANCELED)
        lk_batch_set_state (self, LK_JOB_STATE_DRAFT, FALSE);
      lk_batch_check_settled (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lk_batch_trained_touch (self);
  lk_batch_pump (self);
  lk_batch_check_settled (self);
  g_task_return_boolean (task, TRUE);
}

static void
start_uploaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  lk_batch_references_upload_finish (result, &error);
  start_uploaded (task, g_steal_pointer (&error));
}

static gboolean
check_startable (LkBatch  *self,
                 GError  **error)
{
  if (self->state != LK_JOB_STATE_DRAFT || self->job_id != 0 || self->uploading)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_WRONG_STATE, _("This job has already started."));
  else if (lk_batch_get_n_items (self) == 0)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_STYLES, _("Choose at least one style."));
  else if (self->references->len == 0 && self->trained == NULL)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_REFERENCES,
                         _("Choose at least one reference photo."));
  else if (self->chain->len == 0)
    g_set_error_literal (error, LK_BATCH_ERROR, LK_BATCH_ERROR_NO_MODEL,
                         _("The model catalog names no model for portraits. Check models.json."));
  else
    return TRUE;

  return FALSE;
}

/**
 * lk_batch_start_async:
 *
 * Starts a draft: prepares and uploads each reference once, writes the
 * job and all its items to the store, and fills the slots. Completes as
 * soon as predictions are being made; nothing is spent when it fails.
 */
void
lk_batch_start_async (LkBatch             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_BATCH (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_batch_start_async);

  if (!check_startable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->job_folder);
  self->job_folder = new_job_folder (self);
  lk_batch_notify (self, LK_BATCH_PROP_JOB_FOLDER);
  if (!g_file_make_directory_with_parents (self->job_folder, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lk_batch_set_state (self, LK_JOB_STATE_RUNNING, FALSE);

  /* The face is in a trained model's weights: no photo is sent. */
  if (self->trained != NULL)
    {
      g_ptr_array_set_size (self->references, 0);
      start_uploaded (task, NULL);
      return;
    }

  lk_batch_begin_upload (self, cancellable, start_uploaded_cb, g_steal_pointer (&task));
}

gboolean
lk_batch_start_finish (LkBatch       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (LK_IS_BATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_batch_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
