/* lk-application.c: the Likeness application object: actions, accelerators
 * and the objects every window shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-application"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-about.h"
#include "lk-application.h"
#include "lk-preferences-window.h"
#include "lk-window.h"

struct _LkApplication
{
  AdwApplication  parent_instance;
  LkSecret       *secret;
  LkClient       *client;
  LkStyleLibrary *styles;
  GError         *styles_error;
  LkCatalog      *catalog;
  LkBudget       *budget;
  GSettings      *settings;
  LkStore        *store;
  GError         *store_error;
  LkTrainer      *trainer;
  /* A read of the styles' pictures is under way; another was asked for. */
  gboolean        pictures_reading;
  gboolean        pictures_stale;
};

G_DEFINE_FINAL_TYPE (LkApplication, lk_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LkApplication *
lk_application_new (void)
{
  return g_object_new (LK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * lk_application_get_secret:
 *
 * Returns: (transfer none): the token store every window shares
 */
LkSecret *
lk_application_get_secret (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->secret;
}

/**
 * lk_application_get_client:
 *
 * Returns: (transfer none): the Replicate client every window shares
 */
LkClient *
lk_application_get_client (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->client;
}

/**
 * lk_application_get_styles:
 *
 * Returns: (transfer none): the built-in and user styles every window
 *   shares
 */
LkStyleLibrary *
lk_application_get_styles (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->styles;
}

/**
 * lk_application_get_catalog:
 *
 * Returns: (transfer none): the models the app can run
 */
LkCatalog *
lk_application_get_catalog (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->catalog;
}

/**
 * lk_application_get_budget:
 *
 * Returns: (transfer none): the spending caps, kept in the settings
 */
LkBudget *
lk_application_get_budget (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->budget;
}

/**
 * lk_application_get_store:
 *
 * Returns: (transfer none) (nullable): the store, or %NULL while it opens
 *   or when it could not be opened (see
 *   lk_application_get_store_error()); #LkApplication:store tells when it
 *   is ready
 */
LkStore *
lk_application_get_store (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * lk_application_get_store_error:
 *
 * Returns: (nullable): why the store could not be opened
 */
const GError *
lk_application_get_store_error (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->store_error;
}

/**
 * lk_application_get_trainer:
 *
 * Returns: (transfer none) (nullable): the one trainer, which both the
 *   Train page and the Progress page show; %NULL until the store is open
 */
LkTrainer *
lk_application_get_trainer (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->trainer;
}

typedef struct
{
  GWeakRef        application;
  LkStyleLibrary *library;
} PicturesRead;

static void
pictures_read_free (PicturesRead *read)
{
  g_weak_ref_clear (&read->application);
  g_clear_object (&read->library);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PicturesRead, pictures_read_free)

static void show_style_pictures (LkApplication *self);

/* The read holds the library, and the application only weakly: it may
 * be gone (quit) before the store answers. */
static void
style_pictures_listed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(PicturesRead) read = user_data;
  g_autoptr(LkApplication) self = g_weak_ref_get (&read->application);
  g_autoptr(GHashTable) pictures = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *styles = lk_style_library_get_styles (read->library);

  pictures = lk_store_list_style_pictures_finish (LK_STORE (object), result, &error);
  if (pictures == NULL)
    g_warning ("The styles’ pictures could not be read: %s", error->message);

  for (guint i = 0; pictures != NULL && i < g_list_model_get_n_items (styles); i++)
    {
      g_autoptr(LkStyle) style = g_list_model_get_item (styles, i);
      const char *path = g_hash_table_lookup (pictures, lk_style_get_id (style));
      g_autoptr(GFile) file = path != NULL ? g_file_new_for_path (path) : NULL;

      lk_style_set_thumbnail (style, file);
    }

  if (self == NULL)
    return;

  self->pictures_reading = FALSE;
  if (self->pictures_stale)
    show_style_pictures (self);
}

/* Every change to the store may change a style's picture: a portrait
 * saved, one chosen for its style, a job deleted with its files. One
 * read at a time, so that a busy job's many changes never queue reads
 * up before its writes: changes during a read give one read after it. */
static void
show_style_pictures (LkApplication *self)
{
  PicturesRead *read;

  if (self->pictures_reading)
    {
      self->pictures_stale = TRUE;
      return;
    }

  self->pictures_reading = TRUE;
  self->pictures_stale = FALSE;
  read = g_new0 (PicturesRead, 1);
  g_weak_ref_init (&read->application, self);
  read->library = g_object_ref (self->styles);
  lk_store_list_style_pictures_async (self->store, NULL, style_pictures_listed_cb, read);
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LkApplication) self = user_data;

  self->store = lk_store_new_finish (result, &self->store_error);
  if (self->store != NULL)
    {
      self->trainer = lk_trainer_new (self->client, self->store, self->catalog);
      lk_trainer_set_budget (self->trainer, self->budget);
      g_signal_connect_object (self->store, "changed", G_CALLBACK (show_style_pictures), self, G_CONNECT_SWAPPED);
      /* A style made or imported may have portraits from before. */
      g_signal_connect_object (lk_style_library_get_styles (self->styles), "items-changed",
                               G_CALLBACK (show_style_pictures), self, G_CONNECT_SWAPPED);
      show_style_pictures (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* A token replaced, removed or newly saved takes effect at the next call. */
static void
secret_changed_cb (LkApplication *self)
{
  lk_client_set_token (self->client, NULL);
}

static void
show_startup_problem (GtkWindow  *window,
                      const char *title,
                      const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (window, title, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lk_application_activate (GApplication *app)
{
  LkApplication *self = LK_APPLICATION (app);
  GtkWindow *window;
  gboolean first;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  first = window == NULL;
  if (first)
    window = GTK_WINDOW (lk_window_new (self));

  gtk_window_present (window);

  /* The user's styles and models files are read once at startup, before
   * any window can say that they could not be; the first window does, in
   * full, since the messages say what happened to the files. */
  if (self->styles_error != NULL)
    {
      show_startup_problem (window, _("Your Styles Could Not Be Read"), self->styles_error->message);
      g_clear_error (&self->styles_error);
    }

  if (first && lk_catalog_get_user_error (self->catalog) != NULL)
    show_startup_problem (window, _("Your Model File Was Ignored"),
                          lk_catalog_get_user_error (self->catalog)->message);
}

/* `likeness PATH…` opens the window with those photos and folders added. */
static void
lk_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  LkWindow *window;

  g_application_activate (app);
  window = LK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  lk_window_add_photos (window, files, n_files);
}

static int
lk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("likeness %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  LkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  LkPreferencesWindow *preferences;

  preferences = lk_preferences_window_new (self->secret, self->client);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  LkApplication *self = user_data;

  lk_about_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static void
lk_application_startup (GApplication *app)
{
  LkApplication *self = LK_APPLICATION (app);
  g_autofree char *models_path = lk_catalog_get_user_path ();
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (lk_application_parent_class)->startup (app);

  lk_style_library_load (self->styles, &self->styles_error);

  self->catalog = lk_catalog_new (models_path);
  self->budget = lk_budget_new ();
  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "budget-daily", self->budget, "daily", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "budget-monthly", self->budget, "monthly", G_SETTINGS_BIND_GET);

  /* The history opens on the store's own thread while the window shows. */
  lk_store_new_async (NULL, NULL, store_opened_cb, g_object_ref (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action,
                                           accels[i].accels);
}

static void
lk_application_dispose (GObject *object)
{
  LkApplication *self = LK_APPLICATION (object);

  g_clear_object (&self->trainer);
  g_clear_object (&self->client);
  g_clear_object (&self->secret);
  g_clear_object (&self->styles);
  g_clear_error (&self->styles_error);
  g_clear_object (&self->catalog);
  g_clear_object (&self->budget);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (lk_application_parent_class)->dispose (object);
}

static void
lk_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkApplication *self = LK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_application_class_init (LkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lk_application_dispose;
  object_class->get_property = lk_application_get_property;

  app_class->activate = lk_application_activate;
  app_class->open = lk_application_open;
  app_class->startup = lk_application_startup;
  app_class->handle_local_options = lk_application_handle_local_options;

  /**
   * LkApplication:store:
   *
   * The store, once open; notified also when opening failed.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         LK_TYPE_STORE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_application_init (LkApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->secret = lk_secret_new ();
  self->client = lk_client_new (self->secret, NULL);
  self->styles = lk_style_library_new (NULL);
  g_signal_connect_object (self->secret, "changed",
                           G_CALLBACK (secret_changed_cb), self, G_CONNECT_SWAPPED);

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Make portraits that look like you"));
}
