/* lk-catalog.c: the models Likeness can run, from data/models.json and
 * the user's own models.json.
 *
 * The built-in file is compiled into the library. A file of the same
 * format in the user's data folder replaces built-in models by id, adds
 * new ones, and may change hardware prices or the portrait fallback
 * chain. A user file with any mistake is ignored as a whole, with an
 * error the app shows, so that a typo never leaves half a catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "lk-catalog.h"
#include "lk-core-resources.h"
#include "lk-json-read.h"
#include "lk-money.h"

#define BUILTIN_PATH "/io/github/likeness/Likeness/core/models.json"
#define FORMAT 1

struct _LkCatalog
{
  GObject     parent_instance;

  GListStore *models;
  GPtrArray  *portrait_chain;
  GError     *user_error;
};

G_DEFINE_FINAL_TYPE (LkCatalog, lk_catalog, G_TYPE_OBJECT)

static void
lk_catalog_finalize (GObject *object)
{
  LkCatalog *self = LK_CATALOG (object);

  g_clear_object (&self->models);
  g_clear_pointer (&self->portrait_chain, g_ptr_array_unref);
  g_clear_error (&self->user_error);

  G_OBJECT_CLASS (lk_catalog_parent_class)->finalize (object);
}

static void
lk_catalog_class_init (LkCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_catalog_finalize;
}

static void
lk_catalog_init (LkCatalog *self)
{
  self->models = g_list_store_new (LK_TYPE_MODEL);
  self->portrait_chain = g_ptr_array_new_with_free_func (g_object_unref);
}

static JsonObject *
parse_root (const char  *data,
            gssize       length,
            GError     **error)
{
  static const char * const members[] = { "format", "hardware", "portrait_chain", "models", NULL };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  double format = 0;

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("the file must hold one JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  if (!lk_json_check_members (object, members, error) ||
      !lk_json_get_number (object, "format", TRUE, NULL, &format, error))
    return NULL;

  if (format != FORMAT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“format” is %g, but this version of Likeness reads format %d"), format, FORMAT);
      return NULL;
    }

  return json_object_ref (object);
}

static gboolean
add_hardware (GHashTable  *rates,
              JsonObject  *root,
              GError     **error)
{
  static const char * const members[] = { "name", "usd_per_second", NULL };
  JsonObject *hardware = NULL;
  JsonObjectIter iter;
  const char *sku;
  JsonNode *node;

  if (!lk_json_get_object (root, "hardware", FALSE, &hardware, error))
    return FALSE;
  if (hardware == NULL)
    return TRUE;

  json_object_iter_init (&iter, hardware);
  while (json_object_iter_next (&iter, &sku, &node))
    {
      JsonObject *entry;
      const char *name = NULL;
      double usd = 0;
      gint64 *rate;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("hardware “%s” must be an object"), sku);
          return FALSE;
        }

      entry = json_node_get_object (node);
      if (!lk_json_check_members (entry, members, error) ||
          !lk_json_get_string (entry, "name", TRUE, &name, error) ||
          !lk_json_get_number (entry, "usd_per_second", TRUE, NULL, &usd, error))
        {
          g_prefix_error (error, _("hardware “%s”: "), sku);
          return FALSE;
        }

      if (usd <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("hardware “%s”: the price per second must be above zero"), sku);
          return FALSE;
        }

      rate = g_new (gint64, 1);
      *rate = lk_money_from_usd (usd);
      g_hash_table_insert (rates, g_strdup (sku), rate);
    }

  return TRUE;
}

static gboolean
add_models (GPtrArray   *models,
            JsonObject  *root,
            GHashTable  *rates,
            GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = NULL;

  if (!lk_json_get_array (root, "models", FALSE, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(LkModel) model = NULL;
      const char *id;
      guint position;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("entry %u of “models” must be an object"), i + 1);
          return FALSE;
        }

      if (!(model = lk_model_new_from_json (json_node_get_object (node), rates, error)))
        return FALSE;

      id = lk_model_get_id (model);
      if (!g_hash_table_add (seen, (gpointer) id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("model “%s” appears twice"), id);
          return FALSE;
        }

      /* A model of a later file takes the place of the one it replaces,
       * so the order people see stays that of the built-in file. */
      for (position = 0; position < models->len; position++)
        {
          if (g_str_equal (lk_model_get_id (g_ptr_array_index (models, position)), id))
            break;
        }

      if (position < models->len)
        {
          g_object_unref (g_ptr_array_index (models, position));
          g_ptr_array_index (models, position) = g_steal_pointer (&model);
        }
      else
        g_ptr_array_add (models, g_steal_pointer (&model));
    }

  return TRUE;
}

static LkModel *
find_model (GPtrArray  *models,
            const char *id)
{
  for (guint i = 0; i < models->len; i++)
    {
      LkModel *model = g_ptr_array_index (models, i);

      if (g_str_equal (lk_model_get_id (model), id))
        return model;
    }

  return NULL;
}

static GPtrArray *
read_chain (JsonObject  *root,
            GPtrArray   *models,
            GError     **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array = NULL;

  if (!lk_json_get_array (root, "portrait_chain", TRUE, &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *id;
      LkModel *model;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“portrait_chain” must list model ids"));
          return NULL;
        }

      id = json_node_get_string (node);
      if (!(model = find_model (models, id)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“portrait_chain” names “%s”, which is not a model of the catalog"), id);
          return NULL;
        }

      if (lk_model_get_role (model) != LK_MODEL_ROLE_PORTRAIT_ID &&
          lk_model_get_role (model) != LK_MODEL_ROLE_IMAGE_EDIT)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“portrait_chain” names “%s”, which cannot make a portrait from a photo"), id);
          return NULL;
        }

      g_ptr_array_add (chain, g_object_ref (model));
    }

  if (chain->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“portrait_chain” is empty"));
      return NULL;
    }

  return g_steal_pointer (&chain);
}

/* Builds the catalog from the built-in file and, when given, the user's.
 * Nothing of @self changes unless everything is valid. */
static gboolean
load (LkCatalog   *self,
      JsonObject  *builtin,
      JsonObject  *user,
      GError     **error)
{
  g_autoptr(GHashTable) rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) chain = NULL;

  /* Prices first: a built-in model may run on hardware whose price the
   * user changed. */
  if (!add_hardware (rates, builtin, error) ||
      (user != NULL && !add_hardware (rates, user, error)) ||
      !add_models (models, builtin, rates, error) ||
      (user != NULL && !add_models (models, user, rates, error)))
    return FALSE;

  if (user != NULL && json_object_has_member (user, "portrait_chain"))
    chain = read_chain (user, models, error);
  else
    chain = read_chain (builtin, models, error);
  if (chain == NULL)
    return FALSE;

  g_list_store_splice (self->models, 0, g_list_model_get_n_items (G_LIST_MODEL (self->models)),
                       models->pdata, models->len);
  g_clear_pointer (&self->portrait_chain, g_ptr_array_unref);
  self->portrait_chain = g_steal_pointer (&chain);
  return TRUE;
}

static JsonObject *
read_user_file (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return parse_root (contents, length, error);
}

/**
 * lk_catalog_get_user_path:
 *
 * Returns: (transfer full): where the user's models.json lives
 */
char *
lk_catalog_get_user_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "likeness", "models.json", NULL);
}

/**
 * lk_catalog_new:
 * @user_path: (nullable): a models.json with the user's changes, usually
 *   lk_catalog_get_user_path(); it need not exist
 *
 * Loads the built-in catalog and the user's changes. When the user's file
 * cannot be read or has a mistake, the built-in catalog alone is used and
 * lk_catalog_get_user_error() says why.
 *
 * Returns: (transfer full): the catalog
 */
LkCatalog *
lk_catalog_new (const char *user_path)
{
  g_autoptr(LkCatalog) self = g_object_new (LK_TYPE_CATALOG, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) builtin = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  bytes = g_resource_lookup_data (lk_core_get_resource (), BUILTIN_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);

  /* The built-in file is part of the program and its tests prove it valid,
   * so a failure here is a broken build, not something to recover from. */
  if (!(builtin = parse_root (data, length, &error)))
    g_error ("The built-in models.json is broken: %s", error->message);

  if (user_path != NULL)
    {
      user = read_user_file (user_path, &error);
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_clear_error (&error);
    }

  if (user != NULL)
    load (self, builtin, user, &error);

  if (error != NULL)
    {
      g_autofree char *display = g_filename_display_name (user_path);

      g_propagate_prefixed_error (&self->user_error, g_steal_pointer (&error),
                                  _("Your model file %s was ignored, and the built-in models are used: "),
                                  display);
      g_warning ("%s", self->user_error->message);
    }

  if (user == NULL || self->user_error != NULL)
    {
      if (!load (self, builtin, NULL, &error))
        g_error ("The built-in models.json is broken: %s", error->message);
    }

  return g_steal_pointer (&self);
}

/**
 * lk_catalog_get_user_error:
 *
 * Returns: (nullable): why the user's models.json was ignored, or %NULL
 *   when it was used or does not exist
 */
const GError *
lk_catalog_get_user_error (LkCatalog *self)
{
  g_return_val_if_fail (LK_IS_CATALOG (self), NULL);

  return self->user_error;
}

/**
 * lk_catalog_get_models:
 *
 * Returns: (transfer none): every #LkModel, in the order of the files
 */
GListModel *
lk_catalog_get_models (LkCatalog *self)
{
  g_return_val_if_fail (LK_IS_CATALOG (self), NULL);

  return G_LIST_MODEL (self->models);
}

/**
 * lk_catalog_lookup:
 * @id: a model id, such as "bytedance/flux-pulid"
 *
 * Returns: (transfer none) (nullable): the model, or %NULL when the
 *   catalog has none with that id
 */
LkModel *
lk_catalog_lookup (LkCatalog  *self,
                   const char *id)
{
  guint n_items;

  g_return_val_if_fail (LK_IS_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  /* The store keeps its own reference, so the model outlives this one. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LkModel) model = g_list_model_get_item (G_LIST_MODEL (self->models), i);

      if (g_str_equal (lk_model_get_id (model), id))
        return model;
    }

  return NULL;
}

/**
 * lk_catalog_get_portrait_chain:
 *
 * Returns: (transfer none) (element-type LkModel): the models a portrait
 *   tries, in order, each after the previous one could not make it
 */
GPtrArray *
lk_catalog_get_portrait_chain (LkCatalog *self)
{
  g_return_val_if_fail (LK_IS_CATALOG (self), NULL);

  return self->portrait_chain;
}
