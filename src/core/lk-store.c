/* lk-store.c: everything Likeness remembers, in one SQLite database:
 * jobs, predictions, saved files, uploads, trained models and the money.
 *
 * One worker thread per store owns the connection and runs every query,
 * in the order the requests arrive. The asynchronous API queues a GTask
 * and returns, so the main loop never waits on the disk; the synchronous
 * API, for worker threads and the command line, queues the same request
 * and blocks until it is done. Every write is one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "lk-store-private.h"
#include "lk-store-schema.h"

typedef struct _Worker Worker;

struct _LkStore
{
  GObject       parent_instance;

  char         *path;
  char         *recovered_path;
  GThread      *thread;
  GAsyncQueue  *queue;
  Worker       *worker;
  GMainContext *context;
  int           changed_pending;
};

/* Owned by the worker thread, which frees it when it stops. */
struct _Worker
{
  GAsyncQueue *queue;
  LkStoreDb   *db;
};

/* One unit of work for the worker. An asynchronous request has a task;
 * a synchronous one lives on the caller's stack and is signalled through
 * its condition. */
typedef struct
{
  LkStoreDbFunc   func;
  gpointer        data;
  GDestroyNotify  result_free;
  gboolean        writes;
  LkStore        *store;
  GTask          *task;

  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Request;

static void lk_store_initable_iface_init       (GInitableIface      *iface);
static void lk_store_async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkStore, lk_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, lk_store_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, lk_store_async_initable_iface_init))

G_DEFINE_QUARK (lk-store-error-quark, lk_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Worker thread. */

static gboolean
emit_changed (gpointer user_data)
{
  g_autoptr(LkStore) self = g_weak_ref_get (user_data);

  if (self != NULL)
    {
      g_atomic_int_set (&self->changed_pending, FALSE);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Many writes in a row (a batch saving outputs) give one ::changed. The
 * idle holds a weak reference, so a store nobody iterates the context of
 * (the command line) still finalizes. */
static void
schedule_changed (LkStore *self)
{
  GWeakRef *ref;

  if (!g_atomic_int_compare_and_exchange (&self->changed_pending, FALSE, TRUE))
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT_IDLE,
                              emit_changed, ref, weak_ref_free);
}

/* Returns an asynchronous request's result on the task's own context.
 * Every reference to the task is dropped there too: dropped on the
 * worker, the last one could finalize the store on its own thread, or
 * outlive the caller's wait for the result. */
static gboolean
complete_task (gpointer data)
{
  Request *request = data;

  if (request->error != NULL)
    g_task_return_error (request->task, g_steal_pointer (&request->error));
  else
    g_task_return_pointer (request->task, request->result, request->result_free);

  g_object_unref (request->task);
  g_free (request);
  return G_SOURCE_REMOVE;
}

static void
run_request (Worker  *worker,
             Request *request)
{
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  /* A cancelled request does not run at all; a write runs in a write
   * transaction. */
  if (request->task == NULL ||
      !g_cancellable_set_error_if_cancelled (g_task_get_cancellable (request->task), &error))
    result = request->writes ? lk_store_db_transaction (worker->db, request->func, request->data, &error)
                             : request->func (worker->db, request->data, &error);

  /* The store is alive until the request completes: the task, or the
   * caller waiting for it, holds it. */
  if (error == NULL && request->writes)
    schedule_changed (request->store);

  if (request->task != NULL)
    {
      request->result = result;
      request->error = g_steal_pointer (&error);
      g_main_context_invoke_full (g_task_get_context (request->task), g_task_get_priority (request->task),
                                  complete_task, request, NULL);
      return;
    }

  g_mutex_lock (&request->mutex);
  request->result = result;
  request->error = g_steal_pointer (&error);
  request->done = TRUE;
  g_cond_signal (&request->cond);
  g_mutex_unlock (&request->mutex);
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  Request *request;

  while ((request = g_async_queue_pop (worker->queue))->func != NULL)
    run_request (worker, request);

  g_free (request);
  g_clear_pointer (&worker->db, lk_store_db_close);
  g_async_queue_unref (worker->queue);
  g_free (worker);

  return NULL;
}

/**
 * lk_store_run_sync:
 * @func: runs on the worker thread with the connection
 * @writes: whether @func writes; it then runs in a write transaction, and
 *   #LkStore::changed follows
 *
 * Runs @func on the worker and waits for it.
 *
 * Returns: what @func returned; %NULL with @error set on failure
 */
gpointer
lk_store_run_sync (LkStore        *self,
                   LkStoreDbFunc   func,
                   gpointer        data,
                   gboolean        writes,
                   GError        **error)
{
  Request request = { func, data, NULL, writes, self };
  gpointer result;

  /* A request from the worker itself would wait for itself. */
  g_return_val_if_fail (g_thread_self () != self->thread, NULL);

  g_mutex_init (&request.mutex);
  g_cond_init (&request.cond);

  g_async_queue_push (self->queue, &request);

  g_mutex_lock (&request.mutex);
  while (!request.done)
    g_cond_wait (&request.cond, &request.mutex);
  g_mutex_unlock (&request.mutex);

  g_mutex_clear (&request.mutex);
  g_cond_clear (&request.cond);

  result = request.result;
  if (request.error != NULL)
    g_propagate_error (error, request.error);

  return result;
}

/**
 * lk_store_run_async:
 * @data: (transfer full): the argument of @func, freed with @data_free
 *   once the task is done
 * @result_free: frees what @func returns, if nobody takes it
 *
 * Queues @func on the worker; @callback runs in the thread-default main
 * context of the caller.
 */
void
lk_store_run_async (LkStore             *self,
                    LkStoreDbFunc        func,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GDestroyNotify       result_free,
                    gboolean             writes,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (request->task, source_tag);
  g_task_set_task_data (request->task, data, data_free);

  request->func = func;
  request->data = data;
  request->result_free = result_free;
  request->writes = writes;
  request->store = self;

  g_async_queue_push (self->queue, request);
}

/**
 * lk_store_run_finish:
 *
 * Returns: (transfer full): what the function returned
 */
gpointer
lk_store_run_finish (LkStore       *self,
                     GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Opening. */

typedef struct
{
  char   *path;
  char   *recovered_path;
  Worker *worker;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data->recovered_path);
  g_free (data);
}

typedef enum
{
  PROBE_FAILED,
  PROBE_USABLE,
  PROBE_NEWER,
  PROBE_DAMAGED,
} Probe;

/* Looks at an existing file without changing it: read-only, so that not
 * even a WAL checkpoint touches a database from a newer version. */
static Probe
probe (const char  *path,
       gint64      *version,
       GError     **error)
{
  g_autoptr(LkStoreDb) db = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 application_id = 0;
  gint64 n_objects = 0;
  sqlite3_stmt *stmt;
  GStatBuf buf;

  if (g_stat (path, &buf) != 0 || buf.st_size == 0)
    return PROBE_USABLE;

  if (!(db = lk_store_db_open (path, SQLITE_OPEN_READONLY, &local_error)) ||
      !lk_store_db_get_int (db, "PRAGMA application_id", &application_id, &local_error) ||
      !lk_store_db_get_int (db, "PRAGMA user_version", version, &local_error) ||
      !lk_store_db_get_int (db, "SELECT count(*) FROM sqlite_master", &n_objects, &local_error))
    {
      if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT))
        return PROBE_DAMAGED;

      g_propagate_error (error, g_steal_pointer (&local_error));
      return PROBE_FAILED;
    }

  if (application_id != LK_STORE_APPLICATION_ID)
    {
      /* An empty database is usable; anything else is not ours. */
      return application_id == 0 && *version == 0 && n_objects == 0 ? PROBE_USABLE : PROBE_DAMAGED;
    }

  if (*version > LK_STORE_SCHEMA_VERSION)
    return PROBE_NEWER;

  if (!(stmt = lk_store_db_prepare (db, "PRAGMA quick_check", &local_error)) ||
      lk_store_db_step (db, stmt, &local_error) != SQLITE_ROW)
    return PROBE_DAMAGED;

  return g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0 ? PROBE_USABLE : PROBE_DAMAGED;
}

/* Moves a damaged or foreign file out of the way with its journal, so a
 * new database starts clean and the old one is kept for anyone who wants
 * to look at it. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  static const char * const companions[] = { "-wal", "-journal" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT,
                   _("The history database %s is damaged, and it could not be moved aside (%s). "
                     "Move or delete it, then start Likeness again."),
                   display, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (aside, companions[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  g_unlink (shm);

  g_warning ("The history database %s was damaged or not a Likeness database; it was moved to %s "
             "and a new one was started", path, aside);

  return g_steal_pointer (&aside);
}

static gboolean
check_writable (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *display = g_filename_display_name (dir);
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0 &&
      g_access (dir, W_OK) == 0 &&
      (!g_file_test (path, G_FILE_TEST_EXISTS) || g_access (path, W_OK) == 0))
    return TRUE;

  saved_errno = errno;
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
               _("Likeness cannot write to its data folder %s (%s), so it cannot keep a record of jobs "
                 "and spending. Make the folder writable, then start Likeness again."),
               display, g_strerror (saved_errno));
  return FALSE;
}

static gpointer
open_func (LkStoreDb  *unused,
           gpointer    user_data,
           GError    **error)
{
  OpenData *data = user_data;
  g_autoptr(LkStoreDb) db = NULL;
  gint64 version = 0;

  if (!check_writable (data->path, error))
    return NULL;

  switch (probe (data->path, &version, error))
    {
    case PROBE_USABLE:
      break;

    case PROBE_NEWER:
      {
        g_autofree char *display = g_filename_display_name (data->path);

        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NEWER_SCHEMA,
                     _("The history database %s was made by a newer version of Likeness "
                       "(format %" G_GINT64_FORMAT "; this version reads up to %d). It was left untouched. "
                       "Update Likeness to see your history."),
                     display, version, LK_STORE_SCHEMA_VERSION);
        return NULL;
      }

    case PROBE_DAMAGED:
      if (!(data->recovered_path = move_aside (data->path, error)))
        return NULL;
      break;

    case PROBE_FAILED:
    default:
      return NULL;
    }

  /* WAL lets the command line read while the app writes; NORMAL
   * synchronisation in WAL mode survives any crash of the app and loses
   * at most the last transactions on a power cut, never consistency. */
  if (!(db = lk_store_db_open (data->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error)) ||
      !lk_store_db_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", error) ||
      !lk_store_schema_migrate (db, LK_STORE_SCHEMA_VERSION, error))
    return NULL;

  data->worker->db = g_steal_pointer (&db);
  return LK_STORE_TRUE;
}

static OpenData *
new_open_data (LkStore *self)
{
  OpenData *data = g_new0 (OpenData, 1);

  data->path = g_strdup (self->path);
  data->worker = self->worker;
  return data;
}

static gboolean
lk_store_initable_init (GInitable     *initable,
                        GCancellable  *cancellable,
                        GError       **error)
{
  LkStore *self = LK_STORE (initable);
  OpenData *data = new_open_data (self);
  gboolean opened;

  opened = lk_store_run_sync (self, open_func, data, FALSE, error) != NULL;
  self->recovered_path = g_steal_pointer (&data->recovered_path);
  open_data_free (data);

  return opened;
}

static void
lk_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = lk_store_initable_init;
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkStore *self = LK_STORE (object);
  OpenData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  self->recovered_path = g_steal_pointer (&data->recovered_path);

  if (!g_task_propagate_pointer (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lk_store_async_initable_init_async (GAsyncInitable      *initable,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  LkStore *self = LK_STORE (initable);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lk_store_async_initable_init_async);
  lk_store_run_async (self, open_func, new_open_data (self), (GDestroyNotify) open_data_free, NULL, FALSE,
                      open_func, cancellable, open_done_cb, task);
}

static gboolean
lk_store_async_initable_init_finish (GAsyncInitable  *initable,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lk_store_async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = lk_store_async_initable_init_async;
  iface->init_finish = lk_store_async_initable_init_finish;
}

/* The object. */

static void
lk_store_finalize (GObject *object)
{
  LkStore *self = LK_STORE (object);

  /* The worker closes the database and stops after the requests already
   * queued. */
  g_async_queue_push (self->queue, g_new0 (Request, 1));
  g_thread_join (self->thread);

  g_async_queue_unref (self->queue);
  g_main_context_unref (self->context);
  g_free (self->path);
  g_free (self->recovered_path);

  G_OBJECT_CLASS (lk_store_parent_class)->finalize (object);
}

static void
lk_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkStore *self = LK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LkStore *self = LK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = lk_store_get_default_path ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_store_class_init (LkStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_store_finalize;
  object_class->get_property = lk_store_get_property;
  object_class->set_property = lk_store_set_property;

  /**
   * LkStore:path:
   *
   * The database file; lk_store_get_default_path() when not given.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkStore::changed:
   *
   * Something was written, through this store object, from any thread.
   * Emitted in the main context the store was made in, once for a burst
   * of writes.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lk_store_init (LkStore *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->queue = g_async_queue_new ();
  self->worker = g_new0 (Worker, 1);
  self->worker->queue = g_async_queue_ref (self->queue);
  self->thread = g_thread_new ("lk-store", worker_main, self->worker);
}

/**
 * lk_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/likeness/likeness.db`
 */
char *
lk_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "likeness", "likeness.db", NULL);
}

/**
 * lk_store_new_sync:
 * @path: (nullable): the database file; %NULL for the default
 *
 * Opens the database, creating it or migrating it to the current schema.
 * A damaged file, or a file that is not a Likeness database, is moved
 * aside and a new database started (see lk_store_get_recovered_path()).
 * Blocks: for the command line and tests.
 *
 * Returns: (transfer full): the store, or %NULL with @error set:
 *   %LK_STORE_ERROR_NEWER_SCHEMA, %LK_STORE_ERROR_READ_ONLY, or another
 *   #LkStoreError
 */
LkStore *
lk_store_new_sync (const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return g_initable_new (LK_TYPE_STORE, cancellable, error, "path", path, NULL);
}

/**
 * lk_store_new_async:
 * @path: (nullable): the database file; %NULL for the default
 *
 * Opens the database like lk_store_new_sync(), on the store's thread.
 */
void
lk_store_new_async (const char          *path,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_async_initable_new_async (LK_TYPE_STORE, G_PRIORITY_DEFAULT, cancellable, callback, user_data,
                              "path", path,
                              NULL);
}

LkStore *
lk_store_new_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);

  return LK_STORE (g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error));
}

const char *
lk_store_get_path (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return self->path;
}

/**
 * lk_store_get_recovered_path:
 *
 * Returns: (nullable): where a damaged or foreign file found at the path
 *   was moved when this store opened, for telling the user once; %NULL
 *   when the file was fine
 */
const char *
lk_store_get_recovered_path (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return self->recovered_path;
}

/**
 * lk_store_describe_recovery:
 *
 * Returns: (transfer full) (nullable): what to tell the user, once, when
 *   a damaged or foreign file was moved aside at opening; %NULL otherwise
 */
char *
lk_store_describe_recovery (LkStore *self)
{
  g_autofree char *display = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  if (self->recovered_path == NULL)
    return NULL;

  display = g_filename_display_name (self->recovered_path);
  return g_strdup_printf (_("The history database was damaged, or was not a Likeness database. It was moved to "
                            "%s, and a new, empty history was started. Jobs and spending recorded before are "
                            "not shown."),
                          display);
}

/* Helpers for the operations in lk-store-jobs.c and lk-store-ledger.c. */

/**
 * lk_store_nick:
 *
 * Returns: the text the store writes for an enum value: its nick
 */
const char *
lk_store_nick (GType type,
               int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (enum_class, value);

  g_return_val_if_fail (found != NULL, NULL);

  /* Nicks are static strings of the type, which is never unloaded. */
  return found->value_nick;
}

/**
 * lk_store_from_nick:
 *
 * Returns: the enum value the store wrote as @text
 */
int
lk_store_from_nick (GType       type,
                    const char *text)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *found = text != NULL ? g_enum_get_value_by_nick (enum_class, text) : NULL;

  /* The schema's CHECK constraints allow only known nicks. */
  g_return_val_if_fail (found != NULL, 0);

  return found->value;
}

/**
 * lk_store_time_or_now:
 * @now: (nullable): a time given by the caller (tests pass one)
 *
 * Returns: @now, or the current time, as Unix time
 */
gint64
lk_store_time_or_now (GDateTime *now)
{
  return now != NULL ? g_date_time_to_unix (now) : g_get_real_time () / G_USEC_PER_SEC;
}
