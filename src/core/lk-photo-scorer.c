/* lk-photo-scorer.c: ranks a set of photos as references: scans dropped
 * files and folders, scores each photo on a worker pool, and recommends
 * the best of distinct near-duplicate groups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photo-scorer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdint.h>

#include "lk-enums.h"
#include "lk-face-detector.h"
#include "lk-photo-analysis.h"
#include "lk-photo-scan.h"
#include "lk-photo-scorer.h"

/* What the workers share with the scorer; reference-counted so that a
 * worker never holds the scorer itself. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  char            *cascade_dir;
  GPtrArray       *detectors;
  GHashTable      *seen;
  gboolean         detector_failed;
} Shared;

/* One call of lk_photo_scorer_add_async(): done when its scan is over
 * and every file the scan found has been scored. */
typedef struct
{
  LkPhotoScorer *self;
  GTask         *task;
  GCancellable  *cancellable;
  GCancellable  *caller_cancellable;
  gulong         cancelled_id;
  GMainContext  *context;
  Shared        *shared;
  GThreadPool   *pool;
  char         **paths;
  int            thumbnail_size;
  int            pending;
  gboolean       scan_done;
} Batch;

typedef struct
{
  Batch   *batch;
  char    *path;
  LkPhoto *photo;
} Job;

struct _LkPhotoScorer
{
  GObject       parent_instance;

  GListStore   *photos;
  GListStore   *skipped;
  Shared       *shared;
  GThreadPool  *pool;
  GPtrArray    *batches;
  guint         rerank_id;
  guint         top_count;
  int           thumbnail_size;
  int           n_pending;
  guint         n_usable;
  guint         n_recommended;
};

G_DEFINE_FINAL_TYPE (LkPhotoScorer, lk_photo_scorer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FACE_CHECKS,
  PROP_BUSY,
  PROP_N_PENDING,
  PROP_N_USABLE,
  PROP_N_RECOMMENDED,
  PROP_COUNT,
  PROP_TOP_COUNT,
  PROP_THUMBNAIL_SIZE,
  N_PROPS
};

enum {
  RANKING_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref))
    return;

  g_mutex_clear (&shared->lock);
  g_free (shared->cascade_dir);
  g_ptr_array_unref (shared->detectors);
  g_hash_table_unref (shared->seen);
  g_free (shared);
}

#if HAVE_FACE_DETECTION
static gboolean
has_cascades (const char *dir)
{
  g_autofree char *faces = g_build_filename (dir, LK_FACE_CASCADE, NULL);
  g_autofree char *eyes = g_build_filename (dir, LK_EYE_CASCADE, NULL);
  g_autofree char *eyeglasses = g_build_filename (dir, LK_EYEGLASSES_CASCADE, NULL);

  return g_file_test (faces, G_FILE_TEST_IS_REGULAR) && g_file_test (eyes, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (eyeglasses, G_FILE_TEST_IS_REGULAR);
}

/* LK_HAARCASCADE_DIR replaces the configured folders, for tests; the
 * configured ones are the install prefix's (the Flatpak's) first, then
 * Debian's opencv-data. */
static char *
find_cascade_dir (void)
{
  const char *override = g_getenv ("LK_HAARCASCADE_DIR");
  g_auto(GStrv) dirs = NULL;

  if (override != NULL)
    return has_cascades (override) ? g_strdup (override) : NULL;

  dirs = g_strsplit (HAARCASCADE_DIRS, G_SEARCHPATH_SEPARATOR_S, -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      if (has_cascades (dirs[i]))
        return g_strdup (dirs[i]);
    }

  return NULL;
}
#endif

static Shared *
shared_new (void)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref);
  g_mutex_init (&shared->lock);
#if HAVE_FACE_DETECTION
  shared->cascade_dir = find_cascade_dir ();
  shared->detectors = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_face_detector_free);
#else
  shared->detectors = g_ptr_array_new ();
#endif
  shared->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return shared;
}

/* Detectors keep scratch state while they run, so each worker takes one
 * of its own from the idle ones, or loads a new one. */
static LkFaceDetector *
acquire_detector (Shared *shared)
{
#if HAVE_FACE_DETECTION
  g_autoptr(GError) error = NULL;
  LkFaceDetector *detector = NULL;

  if (shared->cascade_dir == NULL)
    return NULL;

  g_mutex_lock (&shared->lock);
  if (shared->detectors->len > 0)
    detector = g_ptr_array_steal_index_fast (shared->detectors, shared->detectors->len - 1);
  g_mutex_unlock (&shared->lock);

  if (detector == NULL && !(detector = lk_face_detector_new (shared->cascade_dir, &error)))
    {
      g_mutex_lock (&shared->lock);
      if (!shared->detector_failed)
        g_message ("Face checks failed: %s", error->message);
      shared->detector_failed = TRUE;
      g_mutex_unlock (&shared->lock);
    }

  return detector;
#else
  return NULL;
#endif
}

static void
release_detector (Shared         *shared,
                  LkFaceDetector *detector)
{
  if (detector == NULL)
    return;

  g_mutex_lock (&shared->lock);
  g_ptr_array_add (shared->detectors, detector);
  g_mutex_unlock (&shared->lock);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->photo);
  g_free (job->path);
  g_free (job);
}

static void
batch_free (Batch *batch)
{
  g_cancellable_disconnect (batch->caller_cancellable, batch->cancelled_id);
  g_clear_object (&batch->caller_cancellable);
  g_clear_object (&batch->cancellable);
  g_clear_object (&batch->task);
  g_main_context_unref (batch->context);
  shared_unref (batch->shared);
  g_strfreev (batch->paths);
  g_free (batch);
}

static void
notify (LkPhotoScorer *self,
        guint          prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

typedef struct
{
  LkPhoto *photo;
  guint    root;
} Entry;

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  LkPhoto *pa = ((const Entry *) a)->photo;
  LkPhoto *pb = ((const Entry *) b)->photo;
  double sa = lk_photo_get_score (pa);
  double sb = lk_photo_get_score (pb);

  if (sa != sb)
    return sa > sb ? -1 : 1;

  return g_strcmp0 (lk_photo_get_path (pa), lk_photo_get_path (pb));
}

/* The person's pins first, then the other recommended photos, then the
 * rest, then those the person excluded; by score within each. Whether a
 * photo can be used needs no place of its own: an unusable photo scores
 * below every usable one. */
static int
category (LkPhoto *photo)
{
  if (lk_photo_get_pinned (photo))
    return 0;
  if (lk_photo_get_recommended (photo))
    return 1;
  if (lk_photo_get_excluded (photo))
    return 3;
  return 2;
}

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  int ca = category (((const Entry *) a)->photo);
  int cb = category (((const Entry *) b)->photo);

  if (ca != cb)
    return ca - cb;

  return compare_scores (a, b);
}

/* How many bits the photos' difference hashes differ in, or more than
 * 64 when they cannot be compared. */
static guint
hash_distance (LkPhoto *a,
               LkPhoto *b)
{
  const LkPhotoMetrics *ma = lk_photo_get_metrics (a);
  const LkPhotoMetrics *mb = lk_photo_get_metrics (b);

  /* A hash of a face and a hash of a whole photo compare nothing alike. */
  if ((ma->faces > 0) != (mb->faces > 0))
    return G_MAXUINT;

  return __builtin_popcountll (ma->dhash ^ mb->dhash);
}

/* Each photo, best first, joins the group of the first better photo it
 * nearly repeats among each group's best photo and its copies (those
 * within half the near-duplicate distance of it), or starts a group of
 * its own. Comparing with these only, rather than with any member,
 * keeps a series of small changes from chaining different photos into
 * one group. The copies count because which of two equally good copies
 * is the best is a toss-up, and the photos nearly repeating one of them
 * should not depend on it. */
static void
group_near_duplicates (Entry *entries,
                       guint  n)
{
  g_autoptr(GArray) cores = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    {
      entries[i].root = i;

      for (guint k = 0; k < cores->len; k++)
        {
          guint core = g_array_index (cores, guint, k);

          if (hash_distance (entries[i].photo, entries[core].photo) <= LK_PHOTO_SCORER_DUPLICATE_DISTANCE)
            {
              entries[i].root = entries[core].root;
              break;
            }
        }

      if (entries[i].root == i ||
          hash_distance (entries[i].photo, entries[entries[i].root].photo) <= LK_PHOTO_SCORER_DUPLICATE_DISTANCE / 2)
        g_array_append_val (cores, i);
    }
}

/* The person's pins come first, then the best usable photo of each group
 * not represented yet, until there are enough. Fills @best with each
 * group's representative. Entries are sorted by score. */
static guint
recommend (Entry      *entries,
           guint       n,
           guint       top_count,
           GHashTable *best)
{
  guint n_recommended = 0;

  for (guint i = 0; i < n; i++)
    {
      LkPhoto *photo = entries[i].photo;
      gboolean pinned = lk_photo_get_pinned (photo);

      lk_photo_set_recommended (photo, pinned);
      if (pinned)
        {
          n_recommended++;
          if (!g_hash_table_contains (best, GUINT_TO_POINTER (entries[i].root)))
            g_hash_table_insert (best, GUINT_TO_POINTER (entries[i].root), photo);
        }
    }

  for (guint i = 0; i < n && n_recommended < top_count; i++)
    {
      LkPhoto *photo = entries[i].photo;

      if (lk_photo_get_pinned (photo) || lk_photo_get_excluded (photo) ||
          !lk_photo_get_usable (photo) ||
          g_hash_table_contains (best, GUINT_TO_POINTER (entries[i].root)))
        continue;

      lk_photo_set_recommended (photo, TRUE);
      g_hash_table_insert (best, GUINT_TO_POINTER (entries[i].root), photo);
      n_recommended++;
    }

  /* Without a recommended member, a group's best is its top scorer. */
  for (guint i = 0; i < n; i++)
    {
      if (!g_hash_table_contains (best, GUINT_TO_POINTER (entries[i].root)))
        g_hash_table_insert (best, GUINT_TO_POINTER (entries[i].root), entries[i].photo);
    }

  return n_recommended;
}

static void
rerank (LkPhotoScorer *self)
{
  g_autoptr(GHashTable) best = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);
  g_autofree Entry *entries = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  guint n_recommended;
  guint n_usable = 0;
  LkPhotoCount old_count = lk_photo_scorer_get_count (self);

  g_clear_handle_id (&self->rerank_id, g_source_remove);

  /* The store holds a reference to each photo for as long as this runs. */
  entries = g_new0 (Entry, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      entries[i].photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      g_object_unref (entries[i].photo);
    }

  qsort (entries, n, sizeof (Entry), compare_scores);
  group_near_duplicates (entries, n);
  n_recommended = recommend (entries, n, self->top_count, best);

  for (guint i = 0; i < n; i++)
    {
      LkPhoto *photo = entries[i].photo;
      LkPhoto *group_best = g_hash_table_lookup (best, GUINT_TO_POINTER (entries[i].root));

      lk_photo_set_duplicate_of (photo, group_best != photo ? lk_photo_get_path (group_best) : NULL);
      n_usable += lk_photo_get_usable (photo) && !lk_photo_get_excluded (photo);
    }

  qsort (entries, n, sizeof (Entry), compare_ranked);

  /* Groups are numbered in ranking order, so group 1 is the top photo's. */
  for (guint i = 0; i < n; i++)
    {
      gpointer root = GUINT_TO_POINTER (entries[i].root);

      if (!g_hash_table_contains (groups, root))
        g_hash_table_insert (groups, root, GUINT_TO_POINTER (g_hash_table_size (groups) + 1));

      lk_photo_set_rank (entries[i].photo, i + 1);
      lk_photo_set_group (entries[i].photo, GPOINTER_TO_UINT (g_hash_table_lookup (groups, root)));
    }

  if (self->n_usable != n_usable)
    {
      self->n_usable = n_usable;
      notify (self, PROP_N_USABLE);
    }

  if (self->n_recommended != n_recommended)
    {
      self->n_recommended = n_recommended;
      notify (self, PROP_N_RECOMMENDED);
    }

  if (old_count != lk_photo_scorer_get_count (self))
    notify (self, PROP_COUNT);

  g_signal_emit (self, signals[RANKING_CHANGED], 0);
}

static gboolean
rerank_cb (gpointer user_data)
{
  LkPhotoScorer *self = user_data;

  self->rerank_id = 0;
  rerank (self);

  return G_SOURCE_REMOVE;
}

/* Photos finishing together are ranked once. */
static void
schedule_rerank (LkPhotoScorer *self)
{
  if (self->rerank_id == 0)
    self->rerank_id = g_idle_add (rerank_cb, self);
}

static void
photo_choice_changed_cb (LkPhoto       *photo,
                         GParamSpec    *pspec,
                         LkPhotoScorer *self)
{
  schedule_rerank (self);
}

static void
add_photo (LkPhotoScorer *self,
           LkPhoto       *photo)
{
  if (lk_photo_get_skip_reason (photo) != NULL)
    {
      g_list_store_append (self->skipped, photo);
      return;
    }

  g_signal_connect_object (photo, "notify::pinned", G_CALLBACK (photo_choice_changed_cb), self, 0);
  g_signal_connect_object (photo, "notify::excluded", G_CALLBACK (photo_choice_changed_cb), self, 0);
  g_list_store_append (self->photos, photo);
  schedule_rerank (self);
}

static void
finish_batch (Batch *batch)
{
  LkPhotoScorer *self = batch->self;

  /* The caller sees the final ranking when its callback runs. */
  if (self->rerank_id != 0)
    rerank (self);

  g_ptr_array_remove (self->batches, batch);
  if (self->batches->len == 0)
    notify (self, PROP_BUSY);

  if (g_cancellable_is_cancelled (batch->cancellable))
    g_task_return_new_error (batch->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Adding photos was cancelled"));
  else
    g_task_return_boolean (batch->task, TRUE);

  batch_free (batch);
}

static gboolean
deliver_cb (gpointer data)
{
  Job *job = data;
  Batch *batch = job->batch;
  LkPhotoScorer *self = batch->self;

  if (job->photo != NULL && !g_cancellable_is_cancelled (batch->cancellable))
    add_photo (self, job->photo);

  g_atomic_int_add (&self->n_pending, -1);
  notify (self, PROP_N_PENDING);

  if (g_atomic_int_dec_and_test (&batch->pending) && batch->scan_done)
    finish_batch (batch);

  return G_SOURCE_REMOVE;
}

static void
score_job (gpointer data,
           gpointer user_data)
{
  Job *job = data;
  Batch *batch = job->batch;

  if (!g_cancellable_is_cancelled (batch->cancellable))
    {
      g_autoptr(GError) error = NULL;
      LkFaceDetector *detector = acquire_detector (batch->shared);

      job->photo = lk_photo_analyze (job->path, detector, batch->thumbnail_size, &error);
      release_detector (batch->shared, detector);

      if (job->photo == NULL)
        job->photo = lk_photo_new_skipped (job->path, error->message);
    }

  g_main_context_invoke_full (batch->context, G_PRIORITY_DEFAULT, deliver_cb, job, job_free);
}

static void
file_found_cb (const char     *path,
               const GStatBuf *info,
               gpointer        user_data)
{
  Batch *batch = user_data;
  g_autofree char *key = g_strdup_printf ("%ju:%ju", (uintmax_t) info->st_dev, (uintmax_t) info->st_ino);
  gboolean added;
  Job *job;

  /* The same file dropped twice, or reached through a link, is kept once. */
  g_mutex_lock (&batch->shared->lock);
  added = g_hash_table_add (batch->shared->seen, g_steal_pointer (&key));
  g_mutex_unlock (&batch->shared->lock);
  if (!added)
    return;

  job = g_new0 (Job, 1);
  job->batch = batch;
  job->path = g_strdup (path);

  /* Counted before it is queued, so the batch cannot end before the
   * job's result is in. */
  g_atomic_int_inc (&batch->pending);
  g_atomic_int_inc (&batch->self->n_pending);
  g_thread_pool_push (batch->pool, job, NULL);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Batch *batch = task_data;

  g_task_return_pointer (task,
                         lk_photo_scan ((const char * const *) batch->paths, file_found_cb,
                                        batch, batch->cancellable),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Batch *batch = user_data;
  LkPhotoScorer *self = batch->self;
  g_autoptr(GPtrArray) skipped = g_task_propagate_pointer (G_TASK (result), NULL);

  if (!g_cancellable_is_cancelled (batch->cancellable))
    {
      for (guint i = 0; i < skipped->len; i++)
        g_list_store_append (self->skipped, g_ptr_array_index (skipped, i));
    }

  notify (self, PROP_N_PENDING);

  batch->scan_done = TRUE;
  if (g_atomic_int_get (&batch->pending) == 0)
    finish_batch (batch);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/**
 * lk_photo_scorer_add_async:
 * @files: (array length=n_files): photos and folders of photos
 * @n_files: the number of @files
 *
 * Adds photos: folders are scanned recursively in a thread, and every
 * photo found is scored on the worker pool. Results stream into
 * lk_photo_scorer_get_photos() and lk_photo_scorer_get_skipped() as each
 * finishes, and the ranking follows. A file added before is kept once.
 * Completes when every photo found is scored.
 */
void
lk_photo_scorer_add_async (LkPhotoScorer       *self,
                           GFile * const       *files,
                           guint                n_files,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) scan = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  Batch *batch;

  g_return_if_fail (LK_IS_PHOTO_SCORER (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path != NULL)
        {
          g_strv_builder_add (paths, path);
        }
      else
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autoptr(LkPhoto) skipped = lk_photo_new_skipped (uri, _("Not a local file"));

          g_list_store_append (self->skipped, skipped);
        }
    }

  batch = g_new0 (Batch, 1);
  batch->self = self;
  batch->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (batch->task, lk_photo_scorer_add_async);
  batch->cancellable = g_cancellable_new ();
  batch->context = g_main_context_ref_thread_default ();
  batch->shared = shared_ref (self->shared);
  batch->pool = self->pool;
  batch->paths = g_strv_builder_end (paths);
  batch->thumbnail_size = self->thumbnail_size;

  if (cancellable != NULL)
    {
      batch->caller_cancellable = g_object_ref (cancellable);
      batch->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   batch->cancellable, NULL);
    }

  g_ptr_array_add (self->batches, batch);
  if (self->batches->len == 1)
    notify (self, PROP_BUSY);

  /* The scan's task holds no reference to the scorer: its last reference
   * may be dropped in the scanning thread. The batch's task holds one. */
  scan = g_task_new (NULL, NULL, scan_done_cb, batch);
  g_task_set_source_tag (scan, lk_photo_scorer_add_async);
  g_task_set_task_data (scan, batch, NULL);
  g_task_run_in_thread (scan, scan_thread);
}

/**
 * lk_photo_scorer_add_finish:
 *
 * Returns: %TRUE, or %FALSE with %G_IO_ERROR_CANCELLED when the call was
 *   cancelled or lk_photo_scorer_clear() ran meanwhile
 */
gboolean
lk_photo_scorer_add_finish (LkPhotoScorer  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lk_photo_scorer_clear:
 *
 * Forgets every photo and skipped file, and cancels the scoring under
 * way: pending lk_photo_scorer_add_async() calls complete with
 * %G_IO_ERROR_CANCELLED.
 */
void
lk_photo_scorer_clear (LkPhotoScorer *self)
{
  guint n;

  g_return_if_fail (LK_IS_PHOTO_SCORER (self));

  for (guint i = 0; i < self->batches->len; i++)
    g_cancellable_cancel (((Batch *) g_ptr_array_index (self->batches, i))->cancellable);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      g_signal_handlers_disconnect_by_data (photo, self);
    }

  g_list_store_remove_all (self->photos);
  g_list_store_remove_all (self->skipped);

  g_mutex_lock (&self->shared->lock);
  g_hash_table_remove_all (self->shared->seen);
  g_mutex_unlock (&self->shared->lock);

  rerank (self);
}

/**
 * lk_photo_scorer_dup_ranking:
 *
 * Returns: (transfer full) (element-type LkPhoto): the scored photos in
 *   ranking order
 */
GPtrArray *
lk_photo_scorer_dup_ranking (LkPhotoScorer *self)
{
  GPtrArray *ranking;
  guint n;

  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), NULL);

  if (self->rerank_id != 0)
    rerank (self);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  ranking = g_ptr_array_new_full (n, g_object_unref);
  g_ptr_array_set_size (ranking, n);

  for (guint i = 0; i < n; i++)
    {
      LkPhoto *photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      guint rank = lk_photo_get_rank (photo);

      g_assert (rank >= 1 && rank <= n && g_ptr_array_index (ranking, rank - 1) == NULL);
      g_ptr_array_index (ranking, rank - 1) = photo;
    }

  return ranking;
}

/**
 * lk_photo_scorer_get_photos:
 *
 * Returns: (transfer none): the scored photos (#LkPhoto), in the order
 *   they finished; their #LkPhoto:rank gives the ranking
 */
GListModel *
lk_photo_scorer_get_photos (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), NULL);

  return G_LIST_MODEL (self->photos);
}

/**
 * lk_photo_scorer_get_skipped:
 *
 * Returns: (transfer none): an #LkPhoto for each file that cannot be used,
 *   with its #LkPhoto:skip-reason
 */
GListModel *
lk_photo_scorer_get_skipped (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), NULL);

  return G_LIST_MODEL (self->skipped);
}

/**
 * lk_photo_scorer_get_face_checks:
 *
 * Returns: whether faces are detected: it needs OpenCV at build time and
 *   its face data at run time; without it photos are scored on the other
 *   measurements only
 */
gboolean
lk_photo_scorer_get_face_checks (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), FALSE);

  return self->shared->cascade_dir != NULL;
}

gboolean
lk_photo_scorer_get_busy (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), FALSE);

  return self->batches->len > 0;
}

/**
 * lk_photo_scorer_get_n_pending:
 *
 * Returns: how many photos found are still waiting to be scored
 */
guint
lk_photo_scorer_get_n_pending (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), 0);

  return (guint) MAX (0, g_atomic_int_get (&self->n_pending));
}

/**
 * lk_photo_scorer_get_n_usable:
 *
 * Returns: how many photos can serve as references and are not excluded
 */
guint
lk_photo_scorer_get_n_usable (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), 0);

  return self->n_usable;
}

guint
lk_photo_scorer_get_n_recommended (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), 0);

  return self->n_recommended;
}

/**
 * lk_photo_scorer_get_count:
 *
 * Returns: how the number of usable photos compares with what portraits
 *   and training need
 */
LkPhotoCount
lk_photo_scorer_get_count (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), LK_PHOTO_COUNT_NONE);

  if (self->n_usable == 0)
    return LK_PHOTO_COUNT_NONE;
  if (self->n_usable < 8)
    return LK_PHOTO_COUNT_TOO_FEW;
  if (self->n_usable < 15)
    return LK_PHOTO_COUNT_ENOUGH;
  if (self->n_usable <= 25)
    return LK_PHOTO_COUNT_IDEAL;
  if (self->n_usable <= 50)
    return LK_PHOTO_COUNT_PLENTY;
  return LK_PHOTO_COUNT_TOO_MANY;
}

/**
 * lk_photo_scorer_dup_summary:
 *
 * Returns: (transfer full): the summary line, such as “14 usable,
 *   3 skipped, 5 recommended”
 */
char *
lk_photo_scorer_dup_summary (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), NULL);

  return g_strdup_printf (_("%u usable, %u skipped, %u recommended"),
                          self->n_usable,
                          g_list_model_get_n_items (G_LIST_MODEL (self->skipped)),
                          self->n_recommended);
}

/**
 * lk_photo_count_get_advice:
 *
 * Returns: what to do about @count, in a sentence
 */
const char *
lk_photo_count_get_advice (LkPhotoCount count)
{
  switch (count)
    {
    case LK_PHOTO_COUNT_NONE:
      return _("No usable photo yet. Add 15 to 25 photos of yourself, alone and facing the camera.");

    case LK_PHOTO_COUNT_TOO_FEW:
      return _("Fewer than 8 usable photos: add more for a good likeness. 15 to 25 is ideal.");

    case LK_PHOTO_COUNT_ENOUGH:
      return _("Enough photos to start. 15 to 25 usable photos is ideal.");

    case LK_PHOTO_COUNT_IDEAL:
      return _("A good number of photos: 15 to 25 is ideal.");

    case LK_PHOTO_COUNT_PLENTY:
      return _("Plenty of photos. Beyond 50, more photos add little.");

    case LK_PHOTO_COUNT_TOO_MANY:
      return _("More than 50 photos add little: the best 25 are enough.");

    default:
      g_return_val_if_reached (NULL);
    }
}

guint
lk_photo_scorer_get_top_count (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), 0);

  return self->top_count;
}

/**
 * lk_photo_scorer_set_top_count:
 * @top_count: how many photos to recommend
 */
void
lk_photo_scorer_set_top_count (LkPhotoScorer *self,
                               guint          top_count)
{
  g_return_if_fail (LK_IS_PHOTO_SCORER (self));
  g_return_if_fail (top_count >= 1);

  if (self->top_count == top_count)
    return;

  self->top_count = top_count;
  notify (self, PROP_TOP_COUNT);
  rerank (self);
}

int
lk_photo_scorer_get_thumbnail_size (LkPhotoScorer *self)
{
  g_return_val_if_fail (LK_IS_PHOTO_SCORER (self), 0);

  return self->thumbnail_size;
}

/**
 * lk_photo_scorer_set_thumbnail_size:
 * @size: the long side of the thumbnails made while scoring, or 0 for none
 *
 * Applies to photos added from now on.
 */
void
lk_photo_scorer_set_thumbnail_size (LkPhotoScorer *self,
                                    int            size)
{
  g_return_if_fail (LK_IS_PHOTO_SCORER (self));
  g_return_if_fail (size >= 0);

  if (self->thumbnail_size == size)
    return;

  self->thumbnail_size = size;
  notify (self, PROP_THUMBNAIL_SIZE);
}

static void
lk_photo_scorer_dispose (GObject *object)
{
  LkPhotoScorer *self = LK_PHOTO_SCORER (object);

  g_clear_handle_id (&self->rerank_id, g_source_remove);

  G_OBJECT_CLASS (lk_photo_scorer_parent_class)->dispose (object);
}

static void
lk_photo_scorer_finalize (GObject *object)
{
  LkPhotoScorer *self = LK_PHOTO_SCORER (object);

  /* Every batch holds a reference, so no job is left by now. */
  g_assert (self->batches->len == 0);
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_ptr_array_unref (self->batches);
  g_clear_object (&self->photos);
  g_clear_object (&self->skipped);
  shared_unref (self->shared);

  G_OBJECT_CLASS (lk_photo_scorer_parent_class)->finalize (object);
}

static void
lk_photo_scorer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LkPhotoScorer *self = LK_PHOTO_SCORER (object);

  switch (prop_id)
    {
    case PROP_FACE_CHECKS:
      g_value_set_boolean (value, lk_photo_scorer_get_face_checks (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, lk_photo_scorer_get_busy (self));
      break;

    case PROP_N_PENDING:
      g_value_set_uint (value, lk_photo_scorer_get_n_pending (self));
      break;

    case PROP_N_USABLE:
      g_value_set_uint (value, self->n_usable);
      break;

    case PROP_N_RECOMMENDED:
      g_value_set_uint (value, self->n_recommended);
      break;

    case PROP_COUNT:
      g_value_set_enum (value, lk_photo_scorer_get_count (self));
      break;

    case PROP_TOP_COUNT:
      g_value_set_uint (value, self->top_count);
      break;

    case PROP_THUMBNAIL_SIZE:
      g_value_set_int (value, self->thumbnail_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_photo_scorer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkPhotoScorer *self = LK_PHOTO_SCORER (object);

  switch (prop_id)
    {
    case PROP_TOP_COUNT:
      lk_photo_scorer_set_top_count (self, g_value_get_uint (value));
      break;

    case PROP_THUMBNAIL_SIZE:
      lk_photo_scorer_set_thumbnail_size (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_photo_scorer_class_init (LkPhotoScorerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lk_photo_scorer_dispose;
  object_class->finalize = lk_photo_scorer_finalize;
  object_class->get_property = lk_photo_scorer_get_property;
  object_class->set_property = lk_photo_scorer_set_property;

  /** LkPhotoScorer:face-checks: whether faces are detected */
  properties[PROP_FACE_CHECKS] = g_param_spec_boolean ("face-checks", NULL, NULL, FALSE, ro);
  /** LkPhotoScorer:busy: whether photos are being scanned or scored */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  /** LkPhotoScorer:n-pending: photos found and not scored yet */
  properties[PROP_N_PENDING] = g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkPhotoScorer:n-usable: photos that can serve as references, not excluded */
  properties[PROP_N_USABLE] = g_param_spec_uint ("n-usable", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkPhotoScorer:n-recommended: photos recommended, pins included */
  properties[PROP_N_RECOMMENDED] = g_param_spec_uint ("n-recommended", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkPhotoScorer:count: the count guidance for the usable photos */
  properties[PROP_COUNT] = g_param_spec_enum ("count", NULL, NULL, LK_TYPE_PHOTO_COUNT,
                                              LK_PHOTO_COUNT_NONE, ro);
  /** LkPhotoScorer:top-count: how many photos to recommend */
  properties[PROP_TOP_COUNT] = g_param_spec_uint ("top-count", NULL, NULL, 1, G_MAXUINT,
                                                  LK_PHOTO_SCORER_DEFAULT_TOP, rw);
  /** LkPhotoScorer:thumbnail-size: long side of the thumbnails to make, 0 for none */
  properties[PROP_THUMBNAIL_SIZE] = g_param_spec_int ("thumbnail-size", NULL, NULL, 0, 1024, 0, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkPhotoScorer::ranking-changed:
   *
   * The ranks, groups or recommendations of the photos were updated.
   */
  signals[RANKING_CHANGED] =
    g_signal_new ("ranking-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lk_photo_scorer_init (LkPhotoScorer *self)
{
  self->photos = g_list_store_new (LK_TYPE_PHOTO);
  self->skipped = g_list_store_new (LK_TYPE_PHOTO);
  self->shared = shared_new ();
  self->batches = g_ptr_array_new ();
  self->top_count = LK_PHOTO_SCORER_DEFAULT_TOP;
  /* One photo per core: decoding and measuring are all CPU. */
  self->pool = g_thread_pool_new (score_job, NULL, (int) g_get_num_processors (), FALSE, NULL);
}

/**
 * lk_photo_scorer_new:
 *
 * Returns: (transfer full): a scorer without photos
 */
LkPhotoScorer *
lk_photo_scorer_new (void)
{
  return g_object_new (LK_TYPE_PHOTO_SCORER, NULL);
}
