/* lk-cli-rank.c: `likeness-cli rank`: ranks photos as references, as a
 * table or as JSON, with the skipped files and their reasons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lk-cli.h"
#include "lk-photo-scorer.h"

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  lk_photo_scorer_add_finish (LK_PHOTO_SCORER (object), result, NULL);
  *done = TRUE;
}

static void
print_json (GPtrArray  *ranking,
            GListModel *skipped)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  for (guint i = 0; i < ranking->len; i++)
    json_array_add_element (array, lk_photo_to_json (g_ptr_array_index (ranking, i)));

  for (guint i = 0; i < g_list_model_get_n_items (skipped); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (skipped, i);

      json_array_add_element (array, lk_photo_to_json (photo));
    }

  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_table (LkPhotoScorer *scorer,
             GPtrArray     *ranking)
{
  GListModel *skipped = lk_photo_scorer_get_skipped (scorer);
  g_autofree char *summary = lk_photo_scorer_dup_summary (scorer);

  /* Translators: the column heads of the ranking table. */
  g_print ("%4s  %5s  %s\n", _("Rank"), _("Score"), _("Photo"));
  for (guint i = 0; i < ranking->len; i++)
    {
      LkPhoto *photo = g_ptr_array_index (ranking, i);
      g_auto(GStrv) reasons = lk_photo_get_reasons (photo);
      g_autofree char *notes = g_strjoinv (", ", reasons);

      g_print ("%4u  %5.0f  %s %s%s%s\n",
               lk_photo_get_rank (photo), lk_photo_get_score (photo),
               lk_photo_get_recommended (photo) ? "*" : " ",
               lk_photo_get_path (photo), *notes ? ": " : "", notes);
    }

  if (g_list_model_get_n_items (skipped) > 0)
    g_print ("\n%s\n", _("Skipped:"));
  for (guint i = 0; i < g_list_model_get_n_items (skipped); i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (skipped, i);

      g_print ("  %s: %s\n", lk_photo_get_path (photo), lk_photo_get_skip_reason (photo));
    }

  g_print ("\n%s (%s)\n%s\n", summary, _("* recommended"),
           lk_photo_count_get_advice (lk_photo_scorer_get_count (scorer)));
  if (!lk_photo_scorer_get_face_checks (scorer))
    g_print ("%s\n", _("Face checks are unavailable: photos are scored on sharpness, exposure, noise and resolution only."));
}

int
lk_cli_rank (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPhotoScorer) scorer = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ranking = NULL;
  g_auto(GStrv) paths = NULL;
  gboolean json = FALSE;
  gboolean done = FALSE;
  int top = LK_PHOTO_SCORER_DEFAULT_TOP;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_("How many photos to recommend (default 5)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("PATH…") },
    { NULL }
  };

  context = g_option_context_new (_("PATH… — rank photos as references for portraits"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (paths == NULL || top < 1)
    {
      g_printerr ("%s\n", paths == NULL ? _("Name at least one photo or folder to rank.")
                                        : _("--top needs a number of 1 or more."));
      return 1;
    }

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (paths[i]));

  scorer = lk_photo_scorer_new ();
  lk_photo_scorer_set_top_count (scorer, top);
  lk_photo_scorer_add_async (scorer, (GFile * const *) files->pdata, files->len, NULL, add_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  ranking = lk_photo_scorer_dup_ranking (scorer);
  if (json)
    print_json (ranking, lk_photo_scorer_get_skipped (scorer));
  else
    print_table (scorer, ranking);

  return lk_photo_scorer_get_n_usable (scorer) > 0 ? 0 : 1;
}
