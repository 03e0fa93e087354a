/* lk-cli-batch.c: what `generate`, `resume` and `cancel` need around a
 * batch: its references and styles, the objects it runs on, its progress
 * on stderr, and its outcome as text or JSON and as the exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lk-cli.h"
#include "lk-enums.h"
#include "lk-money.h"
#include "lk-photo-scorer.h"
#include "lk-style-library.h"

static void
ranked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  lk_photo_scorer_add_finish (LK_PHOTO_SCORER (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* The @top recommended photos, best first. */
GPtrArray *
lk_cli_rank_references (char **paths,
                        guint  top)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ranking = NULL;
  GPtrArray *references = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean done = FALSE;

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (paths[i]));

  lk_photo_scorer_set_top_count (scorer, top);
  lk_photo_scorer_add_async (scorer, (GFile * const *) files->pdata, files->len, NULL, ranked_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  ranking = lk_photo_scorer_dup_ranking (scorer);
  for (guint i = 0; i < ranking->len; i++)
    if (lk_photo_get_recommended (g_ptr_array_index (ranking, i)))
      g_ptr_array_add (references, g_object_ref (g_ptr_array_index (ranking, i)));

  return references;
}

/* The styles named by their ids, or all of them. */
GPtrArray *
lk_cli_choose_styles (const char  *ids,
               GError     **error)
{
  g_autoptr(LkStyleLibrary) library = lk_style_library_new (NULL);
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *all;
  g_auto(GStrv) wanted = NULL;

  if (!lk_style_library_load (library, error))
    return NULL;

  all = lk_style_library_get_styles (library);
  if (ids == NULL || g_str_equal (ids, "all"))
    {
      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        g_ptr_array_add (styles, g_list_model_get_item (all, i));
      return g_steal_pointer (&styles);
    }

  wanted = g_strsplit (ids, ",", -1);
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      LkStyle *style = lk_style_library_lookup (library, g_strstrip (wanted[i]));

      if (style == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("There is no style “%s”. `likeness-cli styles` lists them."), wanted[i]);
          return NULL;
        }
      g_ptr_array_add (styles, g_object_ref (style));
    }

  return g_steal_pointer (&styles);
}

/**
 * lk_cli_batch_context_init:
 *
 * Opens the client, the store, the catalog, the spending caps and the
 * app's settings (left %NULL when they are not installed, when defaults
 * apply). Prints why when it cannot.
 *
 * Returns: whether everything needed opened
 */
gboolean
lk_cli_batch_context_init (LkCliBatchContext *context)
{
  g_autofree char *catalog_path = lk_catalog_get_user_path ();

  *context = (LkCliBatchContext) { 0 };
  if (!(context->store = lk_cli_open_store ()))
    return FALSE;

  context->settings = lk_cli_open_settings (NULL);
  context->budget = lk_cli_load_budget ();
  context->client = lk_cli_client_new ();
  context->catalog = lk_catalog_new (catalog_path);
  if (lk_catalog_get_user_error (context->catalog) != NULL)
    g_printerr ("%s\n", lk_catalog_get_user_error (context->catalog)->message);
  return TRUE;
}

void
lk_cli_batch_context_clear (LkCliBatchContext *context)
{
  g_clear_object (&context->client);
  g_clear_object (&context->store);
  g_clear_object (&context->catalog);
  g_clear_object (&context->budget);
  g_clear_object (&context->settings);
}

static guint
count_finished (GListModel *items)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (items, i);

      n += lk_batch_item_get_finished (item);
    }

  return n;
}

static void
item_finished_cb (LkBatchItem *item,
                  GParamSpec  *pspec,
                  LkBatch     *batch)
{
  GListModel *items = lk_batch_get_items (batch);
  GFile *file = lk_batch_item_get_output_file (item);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  const char *detail = path != NULL ? path : lk_batch_item_get_error_message (item);
  g_autofree char *model = lk_batch_item_get_fallback_used (item)
                           ? g_strdup_printf (" (%s)", lk_batch_item_get_model_name (item)) : NULL;

  if (!lk_batch_item_get_finished (item))
    return;

  g_printerr ("[%u/%u] %s: %s%s%s%s\n", count_finished (items), g_list_model_get_n_items (items),
              lk_batch_item_get_style_id (item), lk_batch_item_state_describe (lk_batch_item_get_state (item)),
              model != NULL ? model : "", detail != NULL ? ": " : "", detail != NULL ? detail : "");
}

static void
interrupted_cb (GCancellable *cancellable,
                LkBatch      *batch)
{
  /* Predictions under way are canceled on Replicate before the command
   * ends. */
  lk_batch_cancel (batch);
}

static void
print_json (LkBatch *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GEnumClass) states = g_type_class_ref (LK_TYPE_JOB_STATE);
  g_autoptr(GEnumClass) item_states = g_type_class_ref (LK_TYPE_BATCH_ITEM_STATE);
  GListModel *items = lk_batch_get_items (batch);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "job");
  json_builder_add_int_value (builder, lk_batch_get_job_id (batch));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, g_enum_get_value (states, lk_batch_get_state (batch))->value_nick);
  json_builder_set_member_name (builder, "spent_usd");
  json_builder_add_double_value (builder, lk_money_to_usd (lk_batch_get_spent (batch)));
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (items, i);
      GFile *file = lk_batch_item_get_output_file (item);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "style");
      json_builder_add_string_value (builder, lk_batch_item_get_style_id (item));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder,
                                     g_enum_get_value (item_states, lk_batch_item_get_state (item))->value_nick);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, lk_batch_item_get_model (item));
      json_builder_set_member_name (builder, "fallback");
      json_builder_add_boolean_value (builder, lk_batch_item_get_fallback_used (item));
      json_builder_set_member_name (builder, "prediction");
      json_builder_add_string_value (builder, lk_batch_item_get_prediction_id (item));
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, lk_batch_item_get_error_message (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  lk_cli_print_json (root);
}

/**
 * lk_cli_batch_follow:
 * @json: print the outcome as JSON on stdout
 *
 * Prints each item on stderr as it ends, until @batch stops; Ctrl-C
 * cancels it. Then prints the outcome.
 *
 * Returns: the exit status: 0 when every item was saved, 2 otherwise
 */
int
lk_cli_batch_follow (LkBatch  *batch,
                     gboolean  json)
{
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *items = lk_batch_get_items (batch);
  GFile *folder = lk_batch_get_job_folder (batch);
  g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;
  g_autofree char *spent = NULL;
  gulong interrupted_id;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LkBatchItem) item = g_list_model_get_item (items, i);

      g_signal_connect_object (item, "notify::finished", G_CALLBACK (item_finished_cb), batch, 0);
    }
  interrupted_id = g_cancellable_connect (lk_cli_interruptible (), G_CALLBACK (interrupted_cb), batch, NULL);

  lk_batch_wait_async (batch, NULL, lk_cli_result_cb, &result);
  lk_batch_wait_finish (batch, lk_cli_await (&result), NULL);
  g_cancellable_disconnect (lk_cli_interruptible (), interrupted_id);

  if (json)
    print_json (batch);

  spent = lk_money_format (lk_batch_get_spent (batch));
  /* Translators: how many portraits were saved, where, and what they cost. */
  g_printerr (_("%u of %u portraits saved in %s; %s spent.\n"), lk_batch_get_n_done (batch),
              lk_batch_get_n_items (batch), path != NULL ? path : "", spent);
  if (lk_batch_get_budget_message (batch) != NULL)
    g_printerr ("%s\n", lk_batch_get_budget_message (batch));
  if (lk_batch_get_error_message (batch) != NULL)
    g_printerr ("%s\n", lk_batch_get_error_message (batch));

  return lk_batch_get_n_done (batch) == lk_batch_get_n_items (batch) ? 0 : 2;
}

/**
 * lk_cli_batch_load:
 *
 * Loads an unfinished job, re-attaching what it has under way.
 *
 * Returns: (transfer full) (nullable): the paused batch, or %NULL after
 *   printing why not
 */
LkBatch *
lk_cli_batch_load (LkCliBatchContext *context,
                   gint64             job_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkBatch *batch;

  lk_batch_load_async (context->client, context->store, context->catalog, context->budget, job_id,
                       NULL, lk_cli_result_cb, &result);
  if (!(batch = lk_batch_load_finish (lk_cli_await (&result), &error)))
    lk_cli_fail (error);

  return batch;
}

/**
 * lk_cli_batch_parse_job:
 * @args: (nullable): the command's remaining arguments
 * @job_id: (out): the job named
 *
 * Reads the one job number a command takes. Prints what is wrong when
 * there is not exactly one.
 *
 * Returns: whether @args named one job
 */
gboolean
lk_cli_batch_parse_job (char   **args,
                        gint64  *job_id)
{
  if (args == NULL || args[0] == NULL || args[1] != NULL ||
      !g_ascii_string_to_signed (args[0], 10, 1, G_MAXINT64, job_id, NULL))
    {
      g_printerr ("%s\n", _("Name one job by its number, as `likeness-cli history` shows it."));
      return FALSE;
    }

  return TRUE;
}
