/* lk-sim-catalog.c: the models the simulator knows, their versions and schemas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-catalog"

#include "lk-sim-private.h"
#include "lk-sim-resources.h"

#define MODELS_RESOURCE "/io/github/likeness/Sim/models.json"

struct _LkSimCatalog
{
  JsonNode   *document;
  GPtrArray  *models;
  JsonObject *trained_input;
  JsonObject *trained_output;
  double      trained_duration;
};

static void
version_free (LkSimVersion *version)
{
  g_free (version->id);
  g_free (version->created_at);
  g_clear_pointer (&version->input, json_object_unref);
  g_clear_pointer (&version->output, json_object_unref);
  g_free (version);
}

static LkSimVersion *
version_new (const char *id,
             const char *created_at,
             JsonObject *input,
             JsonObject *output)
{
  LkSimVersion *version = g_new0 (LkSimVersion, 1);

  version->id = g_strdup (id);
  version->created_at = g_strdup (created_at);
  version->input = json_object_ref (input);
  version->output = json_object_ref (output);

  return version;
}

static void
model_free (LkSimModel *model)
{
  g_free (model->owner);
  g_free (model->name);
  g_free (model->full_name);
  g_free (model->description);
  g_free (model->visibility);
  g_free (model->hardware);
  g_clear_pointer (&model->constraints, json_array_unref);
  g_ptr_array_unref (model->versions);
  g_free (model);
}

static LkSimModel *
model_new (const char *owner,
           const char *name,
           const char *description)
{
  LkSimModel *model = g_new0 (LkSimModel, 1);

  model->owner = g_strdup (owner);
  model->name = g_strdup (name);
  model->full_name = g_strdup_printf ("%s/%s", owner, name);
  model->description = g_strdup (description);
  model->visibility = g_strdup ("public");
  model->hardware = g_strdup ("gpu-h100");
  model->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) version_free);

  return model;
}

static LkSimModel *
model_from_json (JsonObject *object)
{
  JsonObject *version = json_object_get_object_member (object, "version");
  LkSimModel *model;

  model = model_new (json_object_get_string_member (object, "owner"),
                     json_object_get_string_member (object, "name"),
                     json_object_get_string_member (object, "description"));
  model->official = json_object_get_boolean_member_with_default (object, "official", FALSE);
  model->trainer = json_object_get_boolean_member_with_default (object, "trainer", FALSE);
  model->duration = json_object_get_double_member (object, "duration");
  if (json_object_has_member (object, "constraints"))
    model->constraints = json_array_ref (json_object_get_array_member (object, "constraints"));

  g_ptr_array_add (model->versions,
                   version_new (json_object_get_string_member (version, "id"),
                                json_object_get_string_member (version, "created_at"),
                                json_object_get_object_member (object, "input"),
                                json_object_get_object_member (object, "output")));

  return model;
}

/**
 * lk_sim_catalog_new:
 *
 * Loads the built-in models from the library's resources. The data is
 * compiled in, so a failure to read it is a build error, not a runtime one.
 *
 * Returns: (transfer full): the catalog
 */
LkSimCatalog *
lk_sim_catalog_new (void)
{
  g_autoptr(LkSimCatalog) catalog = g_new0 (LkSimCatalog, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonObject *trained;
  JsonArray *models;

  bytes = g_resource_lookup_data (lk_sim_get_resource (), MODELS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  catalog->document = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);

  root = json_node_get_object (catalog->document);
  models = json_object_get_array_member (root, "models");
  catalog->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  for (guint i = 0; i < json_array_get_length (models); i++)
    g_ptr_array_add (catalog->models, model_from_json (json_array_get_object_element (models, i)));

  trained = json_object_get_object_member (root, "trained_version");
  catalog->trained_input = json_object_get_object_member (trained, "input");
  catalog->trained_output = json_object_get_object_member (trained, "output");
  catalog->trained_duration = json_object_get_double_member (trained, "duration");

  return g_steal_pointer (&catalog);
}

void
lk_sim_catalog_free (LkSimCatalog *catalog)
{
  g_clear_pointer (&catalog->models, g_ptr_array_unref);
  g_clear_pointer (&catalog->document, json_node_unref);
  g_free (catalog);
}

LkSimModel *
lk_sim_catalog_lookup (LkSimCatalog *catalog,
                       const char   *full_name)
{
  for (guint i = 0; i < catalog->models->len; i++)
    {
      LkSimModel *model = g_ptr_array_index (catalog->models, i);

      if (g_str_equal (model->full_name, full_name))
        return model;
    }

  return NULL;
}

LkSimModel *
lk_sim_catalog_find_version (LkSimCatalog  *catalog,
                             const char    *version_id,
                             LkSimVersion **version)
{
  for (guint i = 0; i < catalog->models->len; i++)
    {
      LkSimModel *model = g_ptr_array_index (catalog->models, i);
      LkSimVersion *found = lk_sim_model_find_version (model, version_id);

      if (found != NULL)
        {
          *version = found;
          return model;
        }
    }

  return NULL;
}

LkSimModel *
lk_sim_catalog_add_model (LkSimCatalog *catalog,
                          const char   *owner,
                          const char   *name,
                          const char   *description,
                          const char   *visibility,
                          const char   *hardware)
{
  LkSimModel *model = model_new (owner, name, description);

  g_free (model->visibility);
  model->visibility = g_strdup (visibility);
  g_free (model->hardware);
  model->hardware = g_strdup (hardware);
  model->duration = catalog->trained_duration;
  g_ptr_array_add (catalog->models, model);

  return model;
}

/**
 * lk_sim_catalog_add_trained_version:
 *
 * Gives @model a new version with the inputs of a trained FLUX LoRA, the
 * way a successful training into it does.
 *
 * Returns: (transfer none): the new version
 */
LkSimVersion *
lk_sim_catalog_add_trained_version (LkSimCatalog *catalog,
                                    LkSimModel   *model)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = g_date_time_format_iso8601 (now);
  GString *id = g_string_new (NULL);
  LkSimVersion *version;

  for (guint i = 0; i < 64; i++)
    g_string_append_c (id, "0123456789abcdef"[g_random_int_range (0, 16)]);

  version = version_new (id->str, created_at, catalog->trained_input, catalog->trained_output);
  g_ptr_array_add (model->versions, version);
  g_string_free (id, TRUE);

  return version;
}

LkSimVersion *
lk_sim_model_get_latest_version (LkSimModel *model)
{
  if (model->versions->len == 0)
    return NULL;

  return g_ptr_array_index (model->versions, model->versions->len - 1);
}

LkSimVersion *
lk_sim_model_find_version (LkSimModel *model,
                           const char *version_id)
{
  for (guint i = 0; i < model->versions->len; i++)
    {
      LkSimVersion *version = g_ptr_array_index (model->versions, i);

      if (g_str_equal (version->id, version_id))
        return version;
    }

  return NULL;
}

JsonNode *
lk_sim_version_to_json (LkSimVersion *version)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *schemas;

  schemas = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (schemas, json_object_new ());
  json_object_set_object_member (json_node_get_object (schemas), "Input", json_object_ref (version->input));
  json_object_set_object_member (json_node_get_object (schemas), "Output", json_object_ref (version->output));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, version->id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, version->created_at);
  json_builder_set_member_name (builder, "cog_version");
  json_builder_add_string_value (builder, "0.14.3");
  json_builder_set_member_name (builder, "openapi_schema");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "openapi");
  json_builder_add_string_value (builder, "3.0.2");
  json_builder_set_member_name (builder, "info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, "Cog");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "0.1.0");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "paths");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "components");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_add_value (builder, schemas);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
lk_sim_model_to_json (LkSimModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("https://replicate.com/%s", model->full_name);
  LkSimVersion *latest = lk_sim_model_get_latest_version (model);
  static const char * const absent[] = {
    "github_url", "paper_url", "license_url", "cover_image_url", "default_example",
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, model->owner);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, model->name);
  json_builder_set_member_name (builder, "description");
  if (model->description != NULL)
    json_builder_add_string_value (builder, model->description);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, model->visibility);
  json_builder_set_member_name (builder, "is_official");
  json_builder_add_boolean_value (builder, model->official);
  json_builder_set_member_name (builder, "run_count");
  json_builder_add_int_value (builder, 0);
  for (guint i = 0; i < G_N_ELEMENTS (absent); i++)
    {
      json_builder_set_member_name (builder, absent[i]);
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "latest_version");
  if (latest != NULL)
    json_builder_add_value (builder, lk_sim_version_to_json (latest));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
