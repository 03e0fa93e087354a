/* lk-trainer.c: trains a FLUX LoRA on Replicate from a plan: the zip, the
 * upload, the destination model, the training and its progress, and the
 * trained model in the store.
 *
 * A training goes: the account's name (for the destination), the trained
 * model and its job in the store, the zip on a worker thread, the upload,
 * the trainer's latest version, the training itself, then a poll every
 * few seconds until it ends. The store hears of every step, so that the
 * Models list is always right and a restarted app finds a training that
 * is still running on Replicate and watches it again (resume) instead of
 * starting another.
 *
 * Every training adds a version to one private model of the account,
 * <username>/likeness-lora. It is created the first time a training
 * needs it: the training's create answers 404 when it is missing.
 *
 * Two ways to stop: lk_trainer_cancel() cancels the training on
 * Replicate; cancelling the cancellable given to train or resume only
 * stops watching (the app is closing), and leaves the training to be
 * resumed later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-trainer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lk-enums.h"
#include "lk-money.h"
#include "lk-reference-prep.h"
#include "lk-trainer.h"
#include "lk-training-archive.h"

/* While a training waits for a GPU there is even less to see. */
#define STARTING_FACTOR 2.0
/* After a failed poll the wait doubles, up to this many intervals. */
#define MAX_BACKOFF_FACTOR 12.0
/* The logs shown: the end of them, where the progress is. */
#define LOGS_TAIL 32768

#define SAMPLE_PROMPT "a photo of " LK_TRAINED_MODEL_SUBJECT ", portrait, soft natural light, sharp focus, high detail"

typedef struct _Run Run;

struct _LkTrainer
{
  GObject           parent_instance;

  LkClient         *client;
  LkStore          *store;
  LkCatalog        *catalog;
  LkBudget         *budget;
  LkModel          *trainer;
  LkModel          *runner;
  double            poll_interval;

  Run              *run;
  gint64            model_id;
  LkTrainingStatus  status;
  guint             step;
  guint             total_steps;
  double            elapsed;
  double            eta;
  gint64            cost;
  char             *logs;
  char             *training_id;
  char             *notice;
  gboolean          making_sample;
  GError           *error;
};

G_DEFINE_FINAL_TYPE (LkTrainer, lk_trainer, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-trainer-error-quark, lk_trainer_error)

enum {
  PROP_0,
  PROP_BUDGET,
  PROP_POLL_INTERVAL,
  PROP_BUSY,
  PROP_MODEL_ID,
  PROP_STATUS,
  PROP_STEP,
  PROP_TOTAL_STEPS,
  PROP_ELAPSED,
  PROP_ETA,
  PROP_COST,
  PROP_LOGS,
  PROP_TRAINING_ID,
  PROP_NOTICE,
  PROP_MAKING_SAMPLE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The trained models whose training a trainer of this process is
 * carrying out, so that resuming in another trainer does not mistake
 * them for trainings a closed app left behind. */
G_LOCK_DEFINE_STATIC (active);
static GHashTable *active_models;

/* One training under way: the task data of the train or resume task. */
struct _Run
{
  GTask          *task;
  GCancellable   *watch;
  GCancellable   *local;
  GCancellable   *wake;
  GSource        *nap;
  gulong          watch_handler;

  GPtrArray      *images;
  gboolean        sample;
  guint           steps;

  gint64          model_id;
  gint64          job_id;
  gint64          item_id;
  gint64          reservation;
  char           *zip_path;
  char           *file_id;
  char           *destination;
  char           *trainer_version;
  JsonObject     *input;
  GError         *create_error;
  GError         *failure;
  gboolean        destination_tried;
  LkPrediction   *training;
  gboolean        cancel_requested;
  guint           poll_failures;
};

static void
run_free (Run *run)
{
  g_assert (run->task == NULL);
  g_assert (run->watch_handler == 0);

  if (run->nap != NULL)
    {
      g_source_destroy (run->nap);
      g_source_unref (run->nap);
    }
  g_clear_object (&run->watch);
  g_clear_object (&run->local);
  g_clear_object (&run->wake);
  g_clear_pointer (&run->images, g_ptr_array_unref);
  g_free (run->zip_path);
  g_free (run->file_id);
  g_free (run->destination);
  g_free (run->trainer_version);
  g_clear_pointer (&run->input, json_object_unref);
  g_clear_error (&run->create_error);
  g_clear_error (&run->failure);
  g_clear_object (&run->training);
  g_free (run);
}

static void
set_active (gint64   model_id,
            gboolean active)
{
  G_LOCK (active);
  if (active_models == NULL)
    active_models = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (active)
    g_hash_table_add (active_models, g_memdup2 (&model_id, sizeof model_id));
  else
    g_hash_table_remove (active_models, &model_id);
  G_UNLOCK (active);
}

static gboolean
is_active (gint64 model_id)
{
  gboolean found;

  G_LOCK (active);
  found = active_models != NULL && g_hash_table_contains (active_models, &model_id);
  G_UNLOCK (active);

  return found;
}

/* Properties ---------------------------------------------------------------- */

static void
notify (LkTrainer *self,
        guint      prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (LkTrainer *self,
          guint     *field,
          guint      value,
          guint      prop_id)
{
  if (*field != value)
    {
      *field = value;
      notify (self, prop_id);
    }
}

static void
set_double (LkTrainer *self,
            double    *field,
            double     value,
            guint      prop_id)
{
  if (*field != value)
    {
      *field = value;
      notify (self, prop_id);
    }
}

static void
set_string (LkTrainer  *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      notify (self, prop_id);
    }
}

static void
set_status (LkTrainer        *self,
            LkTrainingStatus  status)
{
  if (self->status != status)
    {
      self->status = status;
      notify (self, PROP_STATUS);
    }
}

static void
set_int64 (LkTrainer *self,
           gint64    *field,
           gint64     value,
           guint      prop_id)
{
  if (*field != value)
    {
      *field = value;
      notify (self, prop_id);
    }
}

static void
set_making_sample (LkTrainer *self,
                   gboolean   making_sample)
{
  if (self->making_sample != making_sample)
    {
      self->making_sample = making_sample;
      notify (self, PROP_MAKING_SAMPLE);
    }
}

/* A new run starts from nothing. */
static void
reset_progress (LkTrainer *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->model_id, 0, PROP_MODEL_ID);
  /* Told even when unchanged: a new training starts with preparing. */
  self->status = LK_TRAINING_STATUS_PREPARING;
  notify (self, PROP_STATUS);
  set_uint (self, &self->step, 0, PROP_STEP);
  set_uint (self, &self->total_steps, 0, PROP_TOTAL_STEPS);
  set_double (self, &self->elapsed, 0, PROP_ELAPSED);
  set_double (self, &self->eta, -1, PROP_ETA);
  set_int64 (self, &self->cost, 0, PROP_COST);
  set_string (self, &self->logs, NULL, PROP_LOGS);
  set_string (self, &self->training_id, NULL, PROP_TRAINING_ID);
  set_string (self, &self->notice, NULL, PROP_NOTICE);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      notify (self, PROP_ERROR);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
lk_trainer_dispose (GObject *object)
{
  LkTrainer *self = LK_TRAINER (object);

  /* A run holds a reference to the trainer through its task. */
  g_assert (self->run == NULL);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->budget);
  g_clear_object (&self->trainer);
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (lk_trainer_parent_class)->dispose (object);
}

static void
lk_trainer_finalize (GObject *object)
{
  LkTrainer *self = LK_TRAINER (object);

  g_free (self->logs);
  g_free (self->training_id);
  g_free (self->notice);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (lk_trainer_parent_class)->finalize (object);
}

static void
lk_trainer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LkTrainer *self = LK_TRAINER (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;

    case PROP_POLL_INTERVAL:
      g_value_set_double (value, self->poll_interval);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->run != NULL);
      break;

    case PROP_MODEL_ID:
      g_value_set_int64 (value, self->model_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    case PROP_TOTAL_STEPS:
      g_value_set_uint (value, self->total_steps);
      break;

    case PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;

    case PROP_ETA:
      g_value_set_double (value, self->eta);
      break;

    case PROP_COST:
      g_value_set_int64 (value, self->cost);
      break;

    case PROP_LOGS:
      g_value_set_string (value, self->logs);
      break;

    case PROP_TRAINING_ID:
      g_value_set_string (value, self->training_id);
      break;

    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;

    case PROP_MAKING_SAMPLE:
      g_value_set_boolean (value, self->making_sample);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_trainer_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LkTrainer *self = LK_TRAINER (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      lk_trainer_set_budget (self, g_value_get_object (value));
      break;

    case PROP_POLL_INTERVAL:
      lk_trainer_set_poll_interval (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_trainer_class_init (LkTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lk_trainer_dispose;
  object_class->finalize = lk_trainer_finalize;
  object_class->get_property = lk_trainer_get_property;
  object_class->set_property = lk_trainer_set_property;

  /** LkTrainer:budget: the spending caps checked before anything is spent */
  properties[PROP_BUDGET] = g_param_spec_object ("budget", NULL, NULL, LK_TYPE_BUDGET, rw);
  /** LkTrainer:poll-interval: seconds between looks at a running training */
  properties[PROP_POLL_INTERVAL] = g_param_spec_double ("poll-interval", NULL, NULL, 0.001, 600,
                                                        LK_TRAINER_POLL_INTERVAL, rw);
  /** LkTrainer:busy: whether a training is being carried out or watched */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  /** LkTrainer:model-id: the store's id of the model being trained, 0 before it is written */
  properties[PROP_MODEL_ID] = g_param_spec_int64 ("model-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** LkTrainer:status: where the training stands */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LK_TYPE_TRAINING_STATUS,
                                               LK_TRAINING_STATUS_PREPARING, ro);
  /** LkTrainer:step: the training step reached, from the logs */
  properties[PROP_STEP] = g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkTrainer:total-steps: the steps of the training, 0 until the logs say */
  properties[PROP_TOTAL_STEPS] = g_param_spec_uint ("total-steps", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /** LkTrainer:elapsed: seconds since the training was created */
  properties[PROP_ELAPSED] = g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  /** LkTrainer:eta: seconds the training expects to still need, -1 if unknown */
  properties[PROP_ETA] = g_param_spec_double ("eta", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  /** LkTrainer:cost: what the training cost so far, micro-dollars */
  properties[PROP_COST] = g_param_spec_int64 ("cost", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** LkTrainer:logs: the end of the training's logs */
  properties[PROP_LOGS] = g_param_spec_string ("logs", NULL, NULL, NULL, ro);
  /** LkTrainer:training-id: the training's id on Replicate, once created */
  properties[PROP_TRAINING_ID] = g_param_spec_string ("training-id", NULL, NULL, NULL, ro);
  /** LkTrainer:notice: a problem the training goes on despite, in plain words */
  properties[PROP_NOTICE] = g_param_spec_string ("notice", NULL, NULL, NULL, ro);
  /** LkTrainer:making-sample: whether the first portrait is being made */
  properties[PROP_MAKING_SAMPLE] = g_param_spec_boolean ("making-sample", NULL, NULL, FALSE, ro);
  /** LkTrainer:error: why the last training or resume ended without a model */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_trainer_init (LkTrainer *self)
{
  self->poll_interval = LK_TRAINER_POLL_INTERVAL;
  self->eta = -1;
  self->budget = lk_budget_new ();
}

static LkModel *
find_model (LkCatalog   *catalog,
            LkModelRole  role)
{
  GListModel *models = lk_catalog_get_models (catalog);

  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(LkModel) model = g_list_model_get_item (models, i);

      if (lk_model_get_role (model) == role)
        return g_steal_pointer (&model);
    }

  return NULL;
}

/**
 * lk_trainer_new:
 * @catalog: where the trainer and the runner of trained models come from
 *
 * Returns: (transfer full): a trainer with no spending caps until
 *   lk_trainer_set_budget()
 */
LkTrainer *
lk_trainer_new (LkClient  *client,
                LkStore   *store,
                LkCatalog *catalog)
{
  LkTrainer *self;

  g_return_val_if_fail (LK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (LK_IS_CATALOG (catalog), NULL);

  self = g_object_new (LK_TYPE_TRAINER, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  self->catalog = g_object_ref (catalog);
  self->trainer = find_model (catalog, LK_MODEL_ROLE_TRAINER);
  self->runner = find_model (catalog, LK_MODEL_ROLE_LORA_RUNNER);

  return self;
}

/**
 * lk_trainer_get_trainer_model:
 *
 * Returns: (transfer none) (nullable): the catalog's trainer
 */
LkModel *
lk_trainer_get_trainer_model (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->trainer;
}

/**
 * lk_trainer_get_runner_model:
 *
 * Returns: (transfer none) (nullable): the catalog's runner of trained
 *   versions
 */
LkModel *
lk_trainer_get_runner_model (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->runner;
}

/**
 * lk_trainer_get_budget:
 *
 * Returns: (transfer none): the spending caps
 */
LkBudget *
lk_trainer_get_budget (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->budget;
}

void
lk_trainer_set_budget (LkTrainer *self,
                       LkBudget  *budget)
{
  g_return_if_fail (LK_IS_TRAINER (self));
  g_return_if_fail (LK_IS_BUDGET (budget));

  if (g_set_object (&self->budget, budget))
    notify (self, PROP_BUDGET);
}

double
lk_trainer_get_poll_interval (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->poll_interval;
}

/**
 * lk_trainer_set_poll_interval:
 * @seconds: the time between looks at a running training; tests against a
 *   simulator with a fast clock make it short
 */
void
lk_trainer_set_poll_interval (LkTrainer *self,
                              double     seconds)
{
  g_return_if_fail (LK_IS_TRAINER (self));
  g_return_if_fail (seconds > 0);

  set_double (self, &self->poll_interval, seconds, PROP_POLL_INTERVAL);
}

/**
 * lk_trainer_dup_thumbnail_dir:
 *
 * Returns: (transfer full): the folder of the trained models' pictures,
 *   beside the store's database
 */
char *
lk_trainer_dup_thumbnail_dir (LkTrainer *self)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  dir = g_path_get_dirname (lk_store_get_path (self->store));
  return g_build_filename (dir, "trained-models", NULL);
}

/**
 * lk_trainer_format_duration:
 * @seconds: a duration, such as #LkTrainer:elapsed
 *
 * Returns: (transfer full): the duration as a clock shows it: “0:45”,
 *   “12:05”, “1:02:03”
 */
char *
lk_trainer_format_duration (double seconds)
{
  guint64 total = (guint64) MAX (0.0, round (seconds));

  if (total >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", total / 3600,
                            (guint) (total / 60 % 60), (guint) (total % 60));

  return g_strdup_printf ("%u:%02u", (guint) (total / 60), (guint) (total % 60));
}

/* Parsing the logs ------------------------------------------------------------ */

/* "12:34" or "1:02:03" in seconds; -1 for tqdm's "?". */
static double
parse_clock (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  double seconds = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &value, NULL))
        return -1;
      seconds = seconds * 60 + value;
    }

  return seconds;
}

/**
 * lk_trainer_parse_step:
 * @logs: a training's logs
 * @expected_total: the steps the training was asked for, 0 if unknown;
 *   progress bars of another length (captioning, loading) are passed over
 * @step: (out): the step reached
 * @total: (out): the steps in all
 * @remaining: (out): the seconds tqdm expects are left, -1 if it does not
 *   say
 *
 * Reads the last tqdm progress bar of @logs, such as
 * `flux_lora:  45%|████▌     | 450/1000 [06:10<07:33,  1.21it/s]`.
 *
 * Returns: whether a progress bar was found
 */
gboolean
lk_trainer_parse_step (const char *logs,
                       guint       expected_total,
                       guint      *step,
                       guint      *total,
                       double     *remaining)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (step != NULL && total != NULL && remaining != NULL, FALSE);

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("(\\d+)%\\|[^|\\n]*\\|\\s*(\\d+)/(\\d+)(?:\\s*\\[[0-9:]+<([0-9:?]+))?",
                                            G_REGEX_OPTIMIZE, 0, NULL));

  if (logs == NULL)
    return FALSE;

  g_regex_match (regex, logs, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *done = g_match_info_fetch (match, 2);
      g_autofree char *all = g_match_info_fetch (match, 3);
      g_autofree char *left = g_match_info_fetch (match, 4);
      guint64 done_value, all_value;

      if (!g_ascii_string_to_unsigned (done, 10, 0, G_MAXUINT, &done_value, NULL) ||
          !g_ascii_string_to_unsigned (all, 10, 1, G_MAXUINT, &all_value, NULL) ||
          (expected_total > 0 && all_value != expected_total))
        continue;

      *step = MIN (done_value, all_value);
      *total = all_value;
      *remaining = left != NULL && *left != '\0' ? parse_clock (left) : -1;
      found = TRUE;
    }

  return found;
}

/* Progress ------------------------------------------------------------------ */

static LkTrainingStatus
training_status (LkPredictionStatus status)
{
  switch (status)
    {
    case LK_PREDICTION_STATUS_STARTING: return LK_TRAINING_STATUS_STARTING;
    case LK_PREDICTION_STATUS_PROCESSING: return LK_TRAINING_STATUS_PROCESSING;
    case LK_PREDICTION_STATUS_SUCCEEDED: return LK_TRAINING_STATUS_SUCCEEDED;
    case LK_PREDICTION_STATUS_FAILED: return LK_TRAINING_STATUS_FAILED;
    case LK_PREDICTION_STATUS_CANCELED: return LK_TRAINING_STATUS_CANCELED;
    case LK_PREDICTION_STATUS_ABORTED: return LK_TRAINING_STATUS_ABORTED;
    default: g_assert_not_reached ();
    }
}

static const char *
status_nick (LkPredictionStatus status)
{
  g_autoptr(GEnumClass) statuses = g_type_class_ref (LK_TYPE_PREDICTION_STATUS);

  return g_enum_get_value (statuses, status)->value_nick;
}

static double
seconds_between (GDateTime *from,
                 GDateTime *to)
{
  return MAX (0.0, g_date_time_difference (to, from) / (double) G_TIME_SPAN_SECOND);
}

/* Steps the training was asked for, from its input. */
static guint
requested_steps (LkTrainer *self,
                 Run       *run)
{
  JsonObject *input = lk_prediction_get_input (run->training);
  const char *name = lk_model_get_input_name (self->trainer, "steps");

  if (input != NULL && name != NULL && json_object_has_member (input, name))
    return (guint) json_object_get_int_member (input, name);

  return run->steps;
}

/* What the properties show, from the training as last seen. */
static void
update_progress (LkTrainer *self,
                 Run       *run)
{
  LkPrediction *training = run->training;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *created = lk_prediction_get_created_at (training);
  GDateTime *started = lk_prediction_get_started_at (training);
  GDateTime *end = lk_prediction_get_completed_at (training);
  const char *logs = lk_prediction_get_logs (training);
  gboolean terminal = lk_prediction_is_terminal (training);
  guint step = 0, total = 0;
  double remaining = -1;
  gint64 cost = 0;

  if (end == NULL)
    end = now;

  g_object_freeze_notify (G_OBJECT (self));

  set_status (self, training_status (lk_prediction_get_status (training)));
  set_string (self, &self->training_id, lk_prediction_get_id (training), PROP_TRAINING_ID);
  set_double (self, &self->elapsed, created != NULL ? seconds_between (created, end) : 0, PROP_ELAPSED);

  if (lk_trainer_parse_step (logs, requested_steps (self, run), &step, &total, &remaining))
    {
      set_uint (self, &self->step, step, PROP_STEP);
      set_uint (self, &self->total_steps, total, PROP_TOTAL_STEPS);
    }
  set_double (self, &self->eta, terminal ? 0 : remaining, PROP_ETA);

  if (terminal && lk_prediction_get_predict_time (training) >= 0)
    cost = lk_model_actual_cost (self->trainer, status_nick (lk_prediction_get_status (training)), 0,
                                 lk_prediction_get_predict_time (training));
  else if (started != NULL)
    cost = (gint64) llround (seconds_between (started, end) * lk_model_get_price (self->trainer));
  set_int64 (self, &self->cost, cost, PROP_COST);

  if (logs != NULL && strlen (logs) > LOGS_TAIL)
    {
      const char *tail = logs + strlen (logs) - LOGS_TAIL;
      const char *line = strchr (tail, '\n');

      set_string (self, &self->logs, line != NULL ? line + 1 : tail, PROP_LOGS);
    }
  else
    {
      set_string (self, &self->logs, logs, PROP_LOGS);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* Ending a run ---------------------------------------------------------------- */

static void
run_detach (LkTrainer *self,
            Run       *run)
{
  if (run->watch_handler != 0)
    {
      g_cancellable_disconnect (run->watch, run->watch_handler);
      run->watch_handler = 0;
    }

  if (run->nap != NULL)
    {
      g_source_destroy (run->nap);
      g_clear_pointer (&run->nap, g_source_unref);
    }

  if (run->model_id != 0)
    set_active (run->model_id, FALSE);

  if (self->run == run)
    {
      self->run = NULL;
      notify (self, PROP_BUSY);
    }
}

static void
run_return_model (Run            *run,
                  LkTrainedModel *model)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  run_detach (g_task_get_source_object (task), run);
  g_task_return_pointer (task, model, g_object_unref);
}

static void
run_return_error (Run    *run,
                  GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);
  LkTrainer *self = g_task_get_source_object (task);

  /* Kept for whoever watches the progress rather than the task, such as
   * the Progress page; told before #LkTrainer:busy turns off. */
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  notify (self, PROP_ERROR);

  run_detach (self, run);
  g_task_return_error (task, error);
}

typedef void (*RunStep) (Run *run);

static void
upload_deleted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  RunStep next = g_object_get_data (G_OBJECT (task), "after-delete");
  g_autoptr(GError) error = NULL;

  /* Uploads expire after a day anyway; this only shortens that. */
  if (!lk_client_delete_file_finish (LK_CLIENT (object), result, &error))
    g_warning ("The training's photos could not be deleted from Replicate: %s", error->message);

  next (run);
}

/* The photos' zip has served its purpose, on disk and on Replicate.
 * Returns whether it is all gone; otherwise @next runs once the upload is
 * deleted. */
static gboolean
clean_up_files (LkTrainer *self,
                Run       *run,
                RunStep    next)
{
  g_autofree char *file_id = NULL;

  if (run->zip_path != NULL)
    {
      g_unlink (run->zip_path);
      g_clear_pointer (&run->zip_path, g_free);
    }

  if (run->file_id == NULL)
    return TRUE;

  file_id = g_steal_pointer (&run->file_id);
  g_object_set_data (G_OBJECT (run->task), "after-delete", next);
  lk_client_delete_file_async (self->client, file_id, NULL, upload_deleted_cb, g_object_ref (run->task));
  return FALSE;
}

static void
fail_before_create_step (Run *run)
{
  LkTrainer *self = g_task_get_source_object (run->task);
  g_autoptr(GError) store_error = NULL;
  GError *error = g_steal_pointer (&run->failure);
  LkTrainingStatus status = LK_TRAINING_STATUS_FAILED;
  const char *reason = error->message;

  if (!clean_up_files (self, run, fail_before_create_step))
    {
      run->failure = error;
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      status = LK_TRAINING_STATUS_CANCELED;
      reason = _("Stopped before the training reached Replicate. Nothing was spent.");

      if (run->cancel_requested)
        {
          g_clear_error (&error);
          error = g_error_new_literal (LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED,
                                       _("The training was canceled before it started. Nothing was spent."));
        }
    }

  if (run->reservation > 0 && !lk_store_release (self->store, run->reservation, &store_error))
    g_warning ("The training's estimate could not be released: %s", store_error->message);
  g_clear_error (&store_error);

  if (run->model_id != 0 &&
      !lk_store_end_training (self->store, run->model_id, status, reason, &store_error))
    g_warning ("The end of the training could not be recorded: %s", store_error->message);
  g_clear_error (&store_error);

  /* A job stopped by a budget cap says so already. */
  if (run->job_id != 0 && !g_error_matches (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUDGET) &&
      !lk_store_set_job_state (self->store, run->job_id,
                               status == LK_TRAINING_STATUS_CANCELED ? LK_JOB_STATE_CANCELED : LK_JOB_STATE_FINISHED,
                               &store_error))
    g_warning ("The training's job could not be closed: %s", store_error->message);

  set_status (self, status);
  run_return_error (run, error);
}

/* A training that never reached Replicate: nothing to settle there, the
 * reservation is released and the record says why. */
static void
fail_before_create (Run    *run,
                    GError *error)
{
  g_assert (run->failure == NULL);

  run->failure = error;
  fail_before_create_step (run);
}

/* Watching ------------------------------------------------------------------ */

static void poll_training (Run *run);

static gboolean
nap_done_cb (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->nap, g_source_unref);

  if (g_cancellable_is_cancelled (run->watch))
    {
      run_return_error (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("Stopped watching the training; it goes on at Replicate.")));
      return G_SOURCE_REMOVE;
    }

  poll_training (run);
  return G_SOURCE_REMOVE;
}

/* Waits @seconds before the next poll; lk_trainer_cancel() wakes it
 * early, and the watch's cancellable ends it. The run is freed only with
 * its task, which outlives the nap: run_detach() destroys a pending one. */
static void
nap (Run    *run,
     double  seconds)
{
  GSource *timeout = g_timeout_source_new ((guint) ceil (seconds * 1000));
  GSource *child;

  g_clear_object (&run->wake);
  run->wake = g_cancellable_new ();

  child = g_cancellable_source_new (run->wake);
  g_source_set_dummy_callback (child);
  g_source_add_child_source (timeout, child);
  g_source_unref (child);

  if (run->watch != NULL)
    {
      child = g_cancellable_source_new (run->watch);
      g_source_set_dummy_callback (child);
      g_source_add_child_source (timeout, child);
      g_source_unref (child);
    }

  g_source_set_callback (timeout, nap_done_cb, run, NULL);
  g_source_attach (timeout, g_task_get_context (run->task));
  run->nap = timeout;
}

static double
next_interval (LkTrainer *self,
               Run       *run)
{
  double interval = self->poll_interval;

  if (run->poll_failures > 0)
    return interval * MIN (MAX_BACKOFF_FACTOR, exp2 (run->poll_failures));

  if (lk_prediction_get_status (run->training) == LK_PREDICTION_STATUS_STARTING)
    return interval * STARTING_FACTOR;

  return interval;
}

static void
sample_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = LK_TRAINER (object);
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  set_making_sample (self, FALSE);

  model = lk_trainer_make_sample_finish (self, result, &error);
  if (model == NULL)
    {
      g_autofree char *notice = NULL;

      /* The training succeeded all the same; the portrait can be made
       * again from the Models list. */
      notice = g_strdup_printf (_("The model is ready, but its first portrait could not be made: %s"), error->message);
      set_string (self, &self->notice, notice, PROP_NOTICE);
      g_warning ("%s", notice);
      model = lk_store_get_trained_model (self->store, run->model_id, &error);
    }

  if (model == NULL)
    run_return_error (run, g_steal_pointer (&error));
  else
    run_return_model (run, g_steal_pointer (&model));
}

/* A model's latest version: its id, and when it was made. */
static const char *
latest_version (JsonObject  *model,
                GDateTime  **created)
{
  JsonNode *node = json_object_get_member (model, "latest_version");
  JsonObject *latest = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *created_at;

  if (latest == NULL)
    return NULL;

  if (created != NULL)
    {
      created_at = json_object_get_string_member_with_default (latest, "created_at", NULL);
      *created = created_at != NULL ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
    }

  return json_object_get_string_member_with_default (latest, "id", NULL);
}

/* Records the trained version and, when asked for, makes the first
 * portrait before the run ends. */
static void
record_success (LkTrainer  *self,
                Run        *run,
                const char *version,
                const char *weights)
{
  g_autoptr(LkTrainedModel) model = NULL;
  g_autoptr(GError) error = NULL;

  if (!lk_store_update_training (self->store, run->model_id, LK_TRAINING_STATUS_SUCCEEDED, NULL,
                                 version, weights, NULL, &error) ||
      !lk_store_end_training (self->store, run->model_id, LK_TRAINING_STATUS_SUCCEEDED, NULL, &error) ||
      (run->job_id != 0 && !lk_store_set_job_state (self->store, run->job_id, LK_JOB_STATE_FINISHED, &error)) ||
      !(model = lk_store_get_trained_model (self->store, run->model_id, &error)))
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  if (!run->sample)
    {
      run_return_model (run, g_steal_pointer (&model));
      return;
    }

  set_making_sample (self, TRUE);
  lk_trainer_make_sample_async (self, model, run->watch, sample_made_cb, g_object_ref (run->task));
}

static void
destination_version_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *version;

  model = lk_client_get_model_finish (LK_CLIENT (object), result, &error);
  if (model == NULL)
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  /* Only one training runs at a time, so the newest version made since
   * this one started is its version. */
  version = latest_version (model, &created);
  if (version != NULL && created != NULL &&
      g_date_time_compare (created, lk_prediction_get_created_at (run->training)) >= 0)
    {
      record_success (self, run, version, NULL);
      return;
    }

  message = g_strdup_printf (_("The training succeeded, but Replicate no longer says which version it made. "
                               "Find it among the versions of %s on replicate.com."), run->destination);
  if (!lk_store_end_training (self->store, run->model_id, LK_TRAINING_STATUS_FAILED, message, &error))
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }
  run_return_error (run, g_error_new_literal (LK_TRAINER_ERROR, LK_TRAINER_ERROR_FAILED, message));
}

static void
conclude_success (LkTrainer *self,
                  Run       *run)
{
  JsonNode *output = lk_prediction_get_output (run->training);
  JsonObject *object = output != NULL && JSON_NODE_HOLDS_OBJECT (output) ? json_node_get_object (output) : NULL;
  const char *version = object != NULL ? json_object_get_string_member_with_default (object, "version", NULL) : NULL;
  const char *weights = object != NULL ? json_object_get_string_member_with_default (object, "weights", NULL) : NULL;
  const char *colon = version != NULL ? strrchr (version, ':') : NULL;

  if (version != NULL)
    {
      record_success (self, run, colon != NULL ? colon + 1 : version, weights);
      return;
    }

  /* Replicate removes a run's output an hour after it ends, so a
   * training resumed later than that tells its version no more: its
   * destination does. */
  lk_client_get_model_async (self->client, run->destination, run->watch, destination_version_cb,
                             g_object_ref (run->task));
}

/* The training ended on Replicate: its cost, its record, and the answer. */
static void
conclude (Run *run)
{
  LkTrainer *self = g_task_get_source_object (run->task);
  LkPredictionStatus status = lk_prediction_get_status (run->training);
  const char *model_error = lk_prediction_get_error (run->training);
  double predict_time = MAX (0.0, lk_prediction_get_predict_time (run->training));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GError *result;

  if (!clean_up_files (self, run, conclude))
    return;

  if (!lk_store_finish_prediction (self->store, lk_prediction_get_id (run->training), status_nick (status),
                                   predict_time, model_error,
                                   lk_model_actual_cost (self->trainer, status_nick (status), 0, predict_time),
                                   NULL, &error))
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  switch (status)
    {
    case LK_PREDICTION_STATUS_SUCCEEDED:
      conclude_success (self, run);
      return;

    case LK_PREDICTION_STATUS_FAILED:
      message = g_strdup (model_error != NULL && *model_error != '\0'
                          ? model_error : _("The trainer stopped without saying why. Try again."));
      result = g_error_new (LK_TRAINER_ERROR, LK_TRAINER_ERROR_FAILED, _("The training failed: %s"), message);
      break;

    case LK_PREDICTION_STATUS_CANCELED:
      message = g_strdup (_("The training was canceled."));
      result = g_error_new_literal (LK_TRAINER_ERROR, LK_TRAINER_ERROR_CANCELED, message);
      break;

    case LK_PREDICTION_STATUS_ABORTED:
      message = g_strdup (_("Replicate stopped the training before it ran. Try again."));
      result = g_error_new_literal (LK_TRAINER_ERROR, LK_TRAINER_ERROR_ABORTED, message);
      break;

    case LK_PREDICTION_STATUS_STARTING:
    case LK_PREDICTION_STATUS_PROCESSING:
    default:
      g_assert_not_reached ();
    }

  if (!lk_store_end_training (self->store, run->model_id, training_status (status), message, &error) ||
      (run->job_id != 0 &&
       !lk_store_set_job_state (self->store, run->job_id,
                                status == LK_PREDICTION_STATUS_CANCELED ? LK_JOB_STATE_CANCELED : LK_JOB_STATE_FINISHED,
                                &error)))
    {
      g_clear_error (&result);
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  run_return_error (run, result);
}

/* Failures worth waiting out: Replicate or the network will be back. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_RATE_LIMITED) ||
         g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_SERVER) ||
         g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NETWORK) ||
         g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL);
}

static void
training_seen (LkTrainer    *self,
               Run          *run,
               LkPrediction *training)
{
  g_autoptr(GError) error = NULL;
  LkTrainingStatus before = self->status;

  g_set_object (&run->training, training);
  update_progress (self, run);

  if (lk_prediction_is_terminal (training))
    {
      conclude (run);
      return;
    }

  if (self->status != before &&
      !lk_store_update_training (self->store, run->model_id, self->status, NULL, NULL, NULL, NULL, &error))
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  nap (run, next_interval (self, run));
}

static void
polled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkPrediction) training = NULL;
  g_autoptr(GError) error = NULL;

  training = lk_client_get_prediction_finish (LK_CLIENT (object), result, &error);
  if (run->task == NULL)
    return;

  if (training != NULL)
    {
      run->poll_failures = 0;
      set_string (self, &self->notice, NULL, PROP_NOTICE);
      training_seen (self, run, training);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !is_transient (error))
    {
      /* The record stays as it is, so that the training can be resumed. */
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  run->poll_failures++;
  {
    g_autofree char *notice = g_strdup_printf (_("Could not check on the training (%s). Trying again…"), error->message);

    set_string (self, &self->notice, notice, PROP_NOTICE);
  }
  nap (run, next_interval (self, run));
}

static void
poll_training (Run *run)
{
  LkTrainer *self = g_task_get_source_object (run->task);

  lk_client_get_prediction_async (self->client, LK_PREDICTION_KIND_TRAINING, lk_prediction_get_id (run->training),
                                  run->watch, polled_cb, g_object_ref (run->task));
}

static void
canceled_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lk_client_cancel_prediction_finish (LK_CLIENT (object), result, &error))
    {
      g_autofree char *notice = NULL;

      if (run->task == NULL)
        return;

      /* The training goes on; the person may try again. */
      run->cancel_requested = FALSE;
      notice = g_strdup_printf (_("The training could not be canceled and is still running: %s"), error->message);
      set_string (self, &self->notice, notice, PROP_NOTICE);
      return;
    }

  /* The next poll, right away, sees the training canceled. */
  if (run->task != NULL && run->wake != NULL)
    g_cancellable_cancel (run->wake);
}

static void
send_cancel (LkTrainer *self,
             Run       *run)
{
  g_debug ("Canceling training %s on Replicate", lk_prediction_get_id (run->training));
  lk_client_cancel_prediction_async (self->client, run->training, NULL, canceled_cb, g_object_ref (run->task));
}

/* Creating ------------------------------------------------------------------ */

static void create_training (LkTrainer *self,
                             Run       *run);

static void
training_created (LkTrainer    *self,
                  Run          *run,
                  LkPrediction *training)
{
  g_autoptr(GError) error = NULL;
  LkPredictionSpec spec = {
    .id = lk_prediction_get_id (training),
    .training = TRUE,
    .item_id = run->item_id,
    .model = lk_model_get_id (self->trainer),
    .version = strchr (run->trainer_version, ':') + 1,
    .status = status_nick (lk_prediction_get_status (training)),
  };

  run->training = g_object_ref (training);

  /* From here on the training exists: it is recorded before anything
   * else, so that a restart finds it. */
  if (!lk_store_add_prediction (self->store, &spec, run->reservation, &error) ||
      !lk_store_update_training (self->store, run->model_id, training_status (lk_prediction_get_status (training)),
                                 lk_prediction_get_id (training), NULL, NULL, NULL, &error))
    {
      g_warning ("Training %s runs on Replicate, but the store could not record it: %s",
                 lk_prediction_get_id (training), error->message);
      run_return_error (run, g_steal_pointer (&error));
      return;
    }
  run->reservation = 0;

  update_progress (self, run);

  if (run->cancel_requested)
    send_cancel (self, run);

  nap (run, next_interval (self, run));
}

static void
destination_created_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GError) error = NULL;

  model = lk_client_create_model_finish (LK_CLIENT (object), result, &error);
  if (model == NULL)
    {
      g_prefix_error (&error, _("Your model %s could not be created on Replicate: "), run->destination);
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  g_debug ("Created the destination model %s", run->destination);
  create_training (self, run);
}

static void
destination_checked_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GError) error = NULL;

  model = lk_client_get_model_finish (LK_CLIENT (object), result, &error);
  if (model != NULL)
    {
      /* The destination exists: the 404 was about something else. */
      fail_before_create (run, g_steal_pointer (&run->create_error));
      return;
    }

  if (!g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND))
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  lk_client_create_model_async (self->client, run->destination, "private", lk_model_get_hardware (self->runner),
                                _("LoRA models trained with Likeness"), run->local,
                                destination_created_cb, g_steal_pointer (&task));
}

/* A create that failed this way may have reached Replicate all the same:
 * the client looked for it and could not tell (see lk-client.c). A 429
 * means it was refused. */
static gboolean
may_have_been_created (const GError *error)
{
  return is_transient (error) && !g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_RATE_LIMITED);
}

/* The record stays as it is, input and reservation included, so that the
 * next lk_trainer_resume_async() looks for the training on Replicate and
 * watches it or closes it; the uploaded photos stay, since the training
 * may be reading them. */
static void
leave_open (Run    *run,
            GError *error)
{
  g_prefix_error (&error, "%s ",
                  _("Replicate did not confirm that the training started. Likeness looks for it the next time it "
                    "starts and never starts it twice."));
  run_return_error (run, error);
}

static void
training_created_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkPrediction) training = NULL;
  g_autoptr(GError) error = NULL;

  training = lk_client_create_training_finish (LK_CLIENT (object), result, &error);
  if (training != NULL)
    {
      training_created (self, run, training);
      return;
    }

  /* Replicate says 404 both for a missing destination and for a missing
   * trainer version: looking at the destination tells which. Once. */
  if (g_error_matches (error, LK_CLIENT_ERROR, LK_CLIENT_ERROR_NOT_FOUND) && !run->destination_tried)
    {
      run->destination_tried = TRUE;
      run->create_error = g_steal_pointer (&error);
      lk_client_get_model_async (self->client, run->destination, run->local,
                                 destination_checked_cb, g_steal_pointer (&task));
      return;
    }

  if (may_have_been_created (error))
    {
      leave_open (run, g_steal_pointer (&error));
      return;
    }

  fail_before_create (run, g_steal_pointer (&error));
}

static void
create_training (LkTrainer *self,
                 Run       *run)
{
  if (g_cancellable_is_cancelled (run->local))
    {
      fail_before_create (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
      return;
    }

  /* Not cancellable: once sent, the answer must come back with the
   * training's id, or a training could run that nothing knows of. */
  lk_client_create_training_async (self->client, run->trainer_version, run->destination, run->input,
                                   NULL, training_created_cb, g_object_ref (run->task));
}

/* The input is recorded before the create is sent: a restart that finds
 * a training in this state looks for it on Replicate by that input. */
static void
start_creating (LkTrainer *self,
                Run       *run)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), run->input);
  g_autofree char *input_text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;

  if (!lk_store_update_training (self->store, run->model_id, LK_TRAINING_STATUS_CREATING, NULL, NULL, NULL,
                                 input_text, &error))
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  set_status (self, LK_TRAINING_STATUS_CREATING);
  create_training (self, run);
}

static void
trainer_model_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GError) error = NULL;
  const char *version;

  model = lk_client_get_model_finish (LK_CLIENT (object), result, &error);
  if (model == NULL)
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  if (!(version = latest_version (model, NULL)))
    {
      fail_before_create (run, g_error_new (LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                                            _("Replicate did not say which version of %s to train with. Try again later."),
                                            lk_model_get_id (self->trainer)));
      return;
    }

  run->trainer_version = g_strconcat (lk_model_get_id (self->trainer), ":", version, NULL);
  start_creating (self, run);
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *urls;
  const char *url;

  file = lk_client_upload_file_finish (LK_CLIENT (object), result, &error);

  g_unlink (run->zip_path);
  g_clear_pointer (&run->zip_path, g_free);

  if (file == NULL)
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  run->file_id = g_strdup (json_object_get_string_member_with_default (file, "id", NULL));
  urls = json_object_get_member (file, "urls") != NULL && JSON_NODE_HOLDS_OBJECT (json_object_get_member (file, "urls"))
         ? json_object_get_object_member (file, "urls") : NULL;
  url = urls != NULL ? json_object_get_string_member_with_default (urls, "get", NULL) : NULL;
  if (url == NULL)
    {
      fail_before_create (run, g_error_new_literal (LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                                                    _("Replicate accepted the photos but gave no address for them. Try again.")));
      return;
    }

  if (!(run->input = lk_training_plan_build_input (g_object_get_data (G_OBJECT (task), "plan"), url, &error)))
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  if (strchr (lk_model_get_reference (self->trainer), ':') != NULL)
    {
      /* A catalog that names a version trains with that one. */
      run->trainer_version = g_strdup (lk_model_get_reference (self->trainer));
      start_creating (self, run);
      return;
    }

  lk_client_get_model_async (self->client, lk_model_get_id (self->trainer), run->local,
                             trainer_model_cb, g_steal_pointer (&task));
}

static void
zip_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Run *run = task_data;
  g_autoptr(LkReferencePrep) prep = lk_reference_prep_new ();
  GError *error = NULL;
  goffset size = 0;

  if (!lk_training_archive_write (run->zip_path, run->images, prep, LK_TRAINING_ARCHIVE_MAX_SIZE,
                                  &size, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, size);
}

static void
zipped_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = LK_TRAINER (object);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GFile) zip = NULL;
  g_autoptr(GError) error = NULL;
  goffset size;

  size = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  if (size > LK_TRAINING_ARCHIVE_LARGE_SIZE)
    {
      g_autofree char *text = g_format_size (size);
      g_autofree char *notice = g_strdup_printf (_("The photos make a zip of %s, so the upload takes a while."), text);

      set_string (self, &self->notice, notice, PROP_NOTICE);
    }

  if (!lk_store_update_training (self->store, run->model_id, LK_TRAINING_STATUS_UPLOADING,
                                 NULL, NULL, NULL, NULL, &error))
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  set_status (self, LK_TRAINING_STATUS_UPLOADING);
  zip = g_file_new_for_path (run->zip_path);
  lk_client_upload_file_async (self->client, zip, NULL, run->local, uploaded_cb, g_steal_pointer (&task));
}

static char *
new_zip_path (GError **error)
{
  g_autofree char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("likeness-training-XXXXXX.zip", &path, error);
  if (fd < 0)
    return NULL;

  g_close (fd, NULL);
  return g_steal_pointer (&path);
}

/* Writes the trained model and its job, and books the estimate against
 * the caps, before anything is spent. */
static gboolean
record_start (LkTrainer       *self,
              Run             *run,
              LkTrainingPlan  *plan,
              GError         **error)
{
  g_autofree char *title = g_strdup_printf (_("Training of “%s”"), lk_training_plan_get_name (plan));
  g_autofree char *settings = NULL;
  LkTrainedModelSpec spec = {
    .name = lk_training_plan_get_name (plan),
    .description = lk_training_plan_get_description (plan),
    .subject_type = lk_training_plan_get_subject_type (plan),
    .trigger_word = lk_training_plan_get_trigger_word (plan),
    .destination = run->destination,
  };
  LkItemSpec item = { .model = lk_model_get_id (self->trainer) };
  LkJobSpec job = {
    .kind = LK_JOB_KIND_TRAINING,
    .state = LK_JOB_STATE_RUNNING,
    .title = title,
    .estimate = lk_training_plan_estimate_cost (plan),
  };
  LkBudgetVerdict verdict = { 0 };

  if (!(run->model_id = lk_store_add_trained_model (self->store, &spec, error)))
    return FALSE;

  set_active (run->model_id, TRUE);
  set_int64 (self, &self->model_id, run->model_id, PROP_MODEL_ID);

  settings = g_strdup_printf ("{\"trained_model\": %" G_GINT64_FORMAT "}", run->model_id);
  job.settings = settings;
  if (!(run->job_id = lk_store_add_job (self->store, &job, &item, 1, &run->item_id, error)))
    return FALSE;

  run->reservation = lk_store_reserve (self->store, self->budget, run->job_id, lk_model_get_id (self->trainer),
                                       job.estimate, NULL, &verdict, error);
  if (run->reservation < 0)
    return FALSE;

  if (run->reservation == 0)
    {
      g_autofree char *why = lk_budget_verdict_describe (&verdict);

      g_set_error (error, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUDGET,
                   _("The training was not started: %s"), why);
      return FALSE;
    }

  return TRUE;
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  LkTrainingPlan *plan = g_object_get_data (G_OBJECT (task), "plan");
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) zip_task = NULL;
  const char *username;

  account = lk_client_get_account_finish (LK_CLIENT (object), result, &error);
  if (account == NULL)
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  username = json_object_get_string_member_with_default (account, "username", NULL);
  if (username == NULL || *username == '\0')
    {
      fail_before_create (run, g_error_new_literal (LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                                                    _("Replicate did not say which account the token belongs to. Try again later.")));
      return;
    }

  run->destination = g_strconcat (username, "/", LK_TRAINER_DESTINATION_NAME, NULL);
  if (!record_start (self, run, plan, &error) ||
      !(run->zip_path = new_zip_path (&error)))
    {
      fail_before_create (run, g_steal_pointer (&error));
      return;
    }

  zip_task = g_task_new (self, run->local, zipped_cb, g_steal_pointer (&task));
  g_task_set_source_tag (zip_task, zip_thread);
  g_task_set_task_data (zip_task, run, NULL);
  g_task_run_in_thread (zip_task, zip_thread);
}

/* Starting ------------------------------------------------------------------ */

static void
watch_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  Run *run = user_data;

  /* The steps before the training exists stop too: nothing would watch
   * a training created after this. */
  g_cancellable_cancel (run->local);
}

static Run *
run_start (LkTrainer    *self,
           GTask        *task,
           GCancellable *watch)
{
  Run *run = g_new0 (Run, 1);

  run->task = g_object_ref (task);
  run->watch = watch != NULL ? g_object_ref (watch) : NULL;
  run->local = g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (watch != NULL)
    run->watch_handler = g_cancellable_connect (watch, G_CALLBACK (watch_cancelled_cb), run, NULL);

  self->run = run;
  reset_progress (self);
  notify (self, PROP_BUSY);

  return run;
}

static GPtrArray *
list_models (LkTrainer  *self,
             GError    **error)
{
  return lk_store_list_trained_models (self->store, error);
}

/* A training this process watches, or one with an id on Replicate. */
static LkTrainedModel *
find_under_way (GPtrArray *models)
{
  for (guint i = 0; i < models->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (models, i);

      if (lk_trained_model_is_under_way (model) &&
          (lk_trained_model_get_training_id (model) != NULL || is_active (lk_trained_model_get_id (model))))
        return model;
    }

  return NULL;
}

/**
 * lk_trainer_train_async:
 * @plan: what to train; it is read now, and later changes do not count
 * @cancellable: (nullable): stops watching; the training, once created,
 *   goes on at Replicate and lk_trainer_resume_async() finds it again
 *
 * Trains a model: checks @plan, writes the trained model to the store,
 * zips and uploads the photos, creates the destination model if needed,
 * creates the training and watches it until it ends, then (when the plan
 * asks for it) makes a first portrait. The progress properties follow
 * it. Fails at once with %LK_TRAINER_ERROR_BUSY while another training
 * is under way.
 */
void
lk_trainer_train_async (LkTrainer           *self,
                        LkTrainingPlan      *plan,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) taken = NULL;
  g_autoptr(GError) error = NULL;
  LkTrainedModel *under_way;
  Run *run;

  g_return_if_fail (LK_IS_TRAINER (self));
  g_return_if_fail (LK_IS_TRAINING_PLAN (plan));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_trainer_train_async);

  if (self->trainer == NULL || self->runner == NULL)
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_NO_MODEL, "%s",
                               _("The model catalog has no LoRA trainer or no runner for trained models. Check your models.json."));
      return;
    }

  if (self->run != NULL)
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUSY, "%s",
                               _("A training is already under way. Wait for it to finish, or cancel it."));
      return;
    }

  if (!(models = list_models (self, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((under_way = find_under_way (models)))
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUSY,
                               _("“%s” is still training. Wait for it to finish, or cancel it."),
                               lk_trained_model_get_name (under_way));
      return;
    }

  for (guint i = 0; i < models->len; i++)
    g_strv_builder_add (builder, lk_trained_model_get_trigger_word (g_ptr_array_index (models, i)));
  taken = g_strv_builder_end (builder);

  if (!lk_training_plan_validate (plan, (const char * const *) taken, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = run_start (self, task, cancellable);
  run->images = lk_training_plan_dup_images (plan);
  run->sample = lk_training_plan_get_sample (plan);
  run->steps = lk_training_plan_get_steps (plan);
  g_object_set_data_full (G_OBJECT (task), "plan", g_object_ref (plan), g_object_unref);

  lk_client_get_account_async (self->client, run->local, account_cb, g_object_ref (task));
}

/**
 * lk_trainer_train_finish:
 *
 * Returns: (transfer full): the trained model, with its version; %NULL
 *   with @error set: %LK_TRAINER_ERROR_FAILED with the trainer's reason,
 *   %LK_TRAINER_ERROR_CANCELED, %G_IO_ERROR_CANCELLED when watching
 *   stopped, a %LK_TRAINING_PLAN_ERROR or %LK_TRIGGER_WORD_ERROR from the
 *   checks, or the client's or the store's error
 */
LkTrainedModel *
lk_trainer_train_finish (LkTrainer     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_trainer_train_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Trainings a closed app left before it knew their id ---------------------- */

/* How long before its record a training's create may have been sent:
 * the record is written first, and the clocks of this computer and of
 * Replicate differ a little. */
#define LOOK_BACK_SECONDS (10 * 60)

static gboolean
is_interrupted (LkTrainedModel *model)
{
  return lk_trained_model_is_under_way (model) && lk_trained_model_get_training_id (model) == NULL &&
         !is_active (lk_trained_model_get_id (model));
}

/* Whether its create may have been sent; the input is recorded just
 * before (see start_creating()). */
static gboolean
may_have_reached_replicate (LkTrainedModel *model)
{
  return lk_trained_model_get_status (model) == LK_TRAINING_STATUS_CREATING &&
         json_object_get_size (lk_trained_model_get_input (model)) > 0;
}

static void
close_interrupted (LkTrainer      *self,
                   LkTrainedModel *model,
                   const char     *message)
{
  gint64 job_id = lk_trained_model_get_job_id (model);
  g_autoptr(GError) error = NULL;

  if (!lk_store_end_training (self->store, lk_trained_model_get_id (model), LK_TRAINING_STATUS_FAILED, message, &error) ||
      (job_id != 0 &&
       (!lk_store_release_open_reservations (self->store, job_id, &error) ||
        !lk_store_set_job_state (self->store, job_id, LK_JOB_STATE_FINISHED, &error))))
    g_warning ("An interrupted training could not be closed: %s", error->message);
}

/* The training that @model's create made: its input holds the address
 * of the uploaded photos, which no other training shares. Replicate
 * removes the input an hour after a training ends; @unknowable tells
 * whether a training of this trainer had lost its input, so that it
 * cannot be said whether it was @model's. */
static LkPrediction *
find_training (LkTrainer      *self,
               GPtrArray      *trainings,
               LkTrainedModel *model,
               gboolean       *unknowable)
{
  *unknowable = FALSE;

  for (guint i = 0; i < trainings->len; i++)
    {
      LkPrediction *training = g_ptr_array_index (trainings, i);
      JsonObject *input = lk_prediction_get_input (training);

      if (input != NULL && json_object_equal (input, lk_trained_model_get_input (model)))
        return training;

      if ((input == NULL || json_object_get_size (input) == 0) &&
          g_strcmp0 (lk_prediction_get_model (training), lk_model_get_id (self->trainer)) == 0)
        *unknowable = TRUE;
    }

  return NULL;
}

/* Records the training as if its create had answered. The status stays
 * one of a training under way even when it already ended, so that its
 * end (version, cost, ledger) is recorded by the watch, the one place
 * that records endings. */
static gboolean
adopt_training (LkTrainer       *self,
                LkTrainedModel  *model,
                LkPrediction    *training,
                GError         **error)
{
  LkTrainingStatus status = training_status (lk_prediction_get_status (training));
  gint64 job_id = lk_trained_model_get_job_id (model);
  LkPredictionSpec spec = {
    .id = lk_prediction_get_id (training),
    .training = TRUE,
    .model = lk_model_get_id (self->trainer),
    .version = lk_prediction_get_version (training),
    .status = status_nick (lk_prediction_get_status (training)),
  };

  g_debug ("Training %s of “%s” was created before Likeness was closed; watching it",
           spec.id, lk_trained_model_get_name (model));

  if (job_id != 0)
    {
      g_autoptr(GPtrArray) items = lk_store_list_items (self->store, job_id, error);

      if (items == NULL)
        return FALSE;

      if (items->len > 0)
        {
          spec.item_id = ((LkItemRecord *) g_ptr_array_index (items, 0))->id;
          if (!lk_store_add_prediction (self->store, &spec, 0, error))
            return FALSE;
        }

      if (!lk_store_release_open_reservations (self->store, job_id, error))
        return FALSE;
    }

  if (!lk_training_status_is_under_way (status))
    status = LK_TRAINING_STATUS_PROCESSING;

  return lk_store_update_training (self->store, lk_trained_model_get_id (model), status, spec.id,
                                   NULL, NULL, NULL, error);
}

static void
resumed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(LkPrediction) training = NULL;
  g_autoptr(GError) error = NULL;

  training = lk_client_get_prediction_finish (LK_CLIENT (object), result, &error);
  if (run->task == NULL)
    return;

  if (training == NULL)
    {
      run_return_error (run, g_steal_pointer (&error));
      return;
    }

  if (run->cancel_requested)
    {
      run->training = g_object_ref (training);
      send_cancel (self, run);
    }

  training_seen (self, run, training);
}

/* Watches the first training under way that Replicate has; takes @owned.
 * @models: (nullable): the trained models as the store has them, or
 *   %NULL to read them again after records changed */
static void
watch_under_way (LkTrainer *self,
                 GTask     *owned,
                 GPtrArray *models)
{
  g_autoptr(GTask) task = owned;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  LkTrainedModel *model = NULL;
  Run *run;

  if (models == NULL && !(models = listed = list_models (self, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < models->len && model == NULL; i++)
    {
      LkTrainedModel *candidate = g_ptr_array_index (models, i);

      if (lk_trained_model_is_under_way (candidate) && lk_trained_model_get_training_id (candidate) != NULL)
        model = candidate;
    }

  if (model == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_debug ("Resuming training %s of “%s”", lk_trained_model_get_training_id (model),
           lk_trained_model_get_name (model));

  run = run_start (self, task, g_task_get_cancellable (task));
  run->model_id = lk_trained_model_get_id (model);
  run->job_id = lk_trained_model_get_job_id (model);
  run->destination = g_strdup (lk_trained_model_get_destination (model));
  set_active (run->model_id, TRUE);
  set_int64 (self, &self->model_id, run->model_id, PROP_MODEL_ID);
  set_status (self, lk_trained_model_get_status (model));
  set_string (self, &self->training_id, lk_trained_model_get_training_id (model), PROP_TRAINING_ID);

  lk_client_get_prediction_async (self->client, LK_PREDICTION_KIND_TRAINING, lk_trained_model_get_training_id (model),
                                  run->watch, resumed_cb, g_steal_pointer (&task));
}

static void
trainings_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  GPtrArray *lost = g_task_get_task_data (task);
  g_autoptr(GPtrArray) trainings = NULL;
  g_autoptr(GError) error = NULL;

  trainings = lk_client_list_trainings_finish (LK_CLIENT (object), result, &error);

  for (guint i = 0; i < lost->len; i++)
    set_active (lk_trained_model_get_id (g_ptr_array_index (lost, i)), FALSE);

  /* Without the list it stays open whether Replicate has them: the
   * records stay as they are and are looked for again at the next start. */
  for (guint i = 0; trainings != NULL && i < lost->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (lost, i);
      LkPrediction *training;
      gboolean unknowable;

      training = find_training (self, trainings, model, &unknowable);
      if (training == NULL)
        {
          close_interrupted (self, model,
                             unknowable
                             ? _("Likeness was closed while starting the training, and Replicate no longer keeps what "
                                 "would tell whether it ran. Look for it among your trainings on replicate.com.")
                             : _("Likeness was closed while starting the training, and Replicate never received it. "
                                 "Nothing was spent; start it again."));
          continue;
        }

      if (!adopt_training (self, model, training, &error))
        {
          g_warning ("Training %s runs on Replicate, but the store could not record it: %s",
                     lk_prediction_get_id (training), error->message);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (trainings == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_debug ("Could not look for trainings left by a closed Likeness: %s", error->message);
    }

  watch_under_way (self, g_steal_pointer (&task), NULL);
}

/**
 * lk_trainer_resume_async:
 * @cancellable: (nullable): stops watching
 *
 * Finds a training that a previous run of the app (or another process)
 * started and that was still running on Replicate, and watches it until
 * it ends, as lk_trainer_train_async() would have; no training is
 * created. A training whose create was sent but whose answer never
 * arrived (the app was closed in between) is looked for on Replicate by
 * its input and watched if found; trainings the app was closed on before
 * Replicate had them are marked failed. The first portrait is not made
 * here: the Models list offers it.
 */
void
lk_trainer_resume_async (LkTrainer           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) lost = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_TRAINER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_trainer_resume_async);

  if (self->run != NULL)
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUSY, "%s",
                               _("This trainer is already watching a training."));
      return;
    }

  if (self->trainer == NULL)
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_NO_MODEL, "%s",
                               _("The model catalog has no LoRA trainer. Check your models.json."));
      return;
    }

  if (!(models = list_models (self, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < models->len; i++)
    {
      LkTrainedModel *model = g_ptr_array_index (models, i);

      if (!is_interrupted (model))
        continue;

      if (!may_have_reached_replicate (model))
        {
          close_interrupted (self, model,
                             _("Likeness was closed before the training reached Replicate. Nothing was spent; start it again."));
          continue;
        }

      /* Kept from another start until it is known whether Replicate has it. */
      set_active (lk_trained_model_get_id (model), TRUE);
      if (lost == NULL)
        lost = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (lost, g_object_ref (model));
    }

  if (lost == NULL)
    {
      watch_under_way (self, g_steal_pointer (&task), models);
      return;
    }

  /* The store lists the newest first; the oldest says how far back to look. */
  since = g_date_time_new_from_unix_utc (lk_trained_model_get_created (g_ptr_array_index (lost, lost->len - 1)) -
                                         LOOK_BACK_SECONDS);
  g_task_set_task_data (task, g_steal_pointer (&lost), (GDestroyNotify) g_ptr_array_unref);
  lk_client_list_trainings_async (self->client, since, cancellable, trainings_listed_cb, g_steal_pointer (&task));
}

/**
 * lk_trainer_resume_finish:
 *
 * Returns: (transfer full) (nullable): the trained model once its
 *   training ended successfully; %NULL without @error when there was
 *   nothing to resume; %NULL with @error set as for
 *   lk_trainer_train_finish()
 */
LkTrainedModel *
lk_trainer_resume_finish (LkTrainer     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_trainer_resume_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lk_trainer_cancel:
 *
 * Cancels the training under way: on Replicate once it is there, so that
 * it stops costing; before that, the preparation stops. The train or
 * resume call then ends with %LK_TRAINER_ERROR_CANCELED. Should Replicate
 * not take the cancel, #LkTrainer:notice says so and the training goes on.
 */
void
lk_trainer_cancel (LkTrainer *self)
{
  Run *run;

  g_return_if_fail (LK_IS_TRAINER (self));

  if ((run = self->run) == NULL || run->cancel_requested)
    return;

  run->cancel_requested = TRUE;

  if (run->training != NULL)
    send_cancel (self, run);
  else
    g_cancellable_cancel (run->local);
}

/* The first portrait -------------------------------------------------------- */

typedef struct
{
  LkTrainedModel *model;
  char           *reference;
  JsonObject     *input;
  gint64          job_id;
  gint64          item_id;
  gint64          reservation;
  gint64          seed;
  LkPrediction   *prediction;
} Sample;

static void
sample_free (Sample *sample)
{
  g_clear_object (&sample->model);
  g_free (sample->reference);
  g_clear_pointer (&sample->input, json_object_unref);
  g_clear_object (&sample->prediction);
  g_free (sample);
}

/**
 * lk_trainer_estimate_sample:
 *
 * Returns: what a first portrait with a trained model is expected to
 *   cost, micro-dollars
 */
gint64
lk_trainer_estimate_sample (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->runner != NULL ? lk_model_estimate (self->runner, LK_QUALITY_PRESET_STANDARD, 1) : 0;
}

static void
sample_fail (GTask  *task,
             GError *error)
{
  LkTrainer *self = g_task_get_source_object (task);
  Sample *sample = g_task_get_task_data (task);
  g_autoptr(GError) store_error = NULL;

  if (sample->reservation > 0 && !lk_store_release (self->store, sample->reservation, &store_error))
    g_warning ("The portrait's estimate could not be released: %s", store_error->message);
  g_clear_error (&store_error);

  if (sample->item_id != 0 &&
      !lk_store_set_item_state (self->store, sample->item_id, LK_ITEM_STATE_FAILED, NULL, error->message, &store_error))
    g_warning ("The portrait's failure could not be recorded: %s", store_error->message);
  g_clear_error (&store_error);

  if (sample->job_id != 0 && !lk_store_set_job_state (self->store, sample->job_id, LK_JOB_STATE_FINISHED, &store_error))
    g_warning ("The portrait's job could not be closed: %s", store_error->message);

  g_task_return_error (task, error);
}

/* Records the end of the portrait's prediction and its cost. */
static gboolean
sample_settle (LkTrainer  *self,
               Sample     *sample,
               GError    **error)
{
  LkPrediction *prediction = sample->prediction;
  const char *status = status_nick (lk_prediction_get_status (prediction));
  double predict_time = MAX (0.0, lk_prediction_get_predict_time (prediction));
  guint n_outputs = g_strv_length ((char **) lk_prediction_get_outputs (prediction));

  return lk_store_finish_prediction (self->store, lk_prediction_get_id (prediction), status, predict_time,
                                     lk_prediction_get_error (prediction),
                                     lk_model_actual_cost (self->runner, status, n_outputs, predict_time),
                                     NULL, error);
}

static void
sample_downloaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Sample *sample = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTrainedModel) model = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize length = 0;
  gint64 output_id;

  file = lk_client_download_finish (LK_CLIENT (object), result, &error);
  if (file == NULL || !g_file_get_contents (g_file_peek_path (file), &contents, &length, &error))
    {
      sample_fail (task, g_steal_pointer (&error));
      return;
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  if ((output_id = lk_store_add_output (self->store, lk_prediction_get_id (sample->prediction), 0,
                                        lk_prediction_get_outputs (sample->prediction)[0], &error)) == 0 ||
      !lk_store_set_output_saved (self->store, output_id, g_file_peek_path (file), sha256, length, &error) ||
      !lk_store_set_item_state (self->store, sample->item_id, LK_ITEM_STATE_SUCCEEDED, NULL, NULL, &error) ||
      !lk_store_set_job_state (self->store, sample->job_id, LK_JOB_STATE_FINISHED, &error) ||
      !lk_store_set_trained_model_thumbnail (self->store, lk_trained_model_get_id (sample->model),
                                             g_file_peek_path (file), &error) ||
      !lk_store_touch_trained_model (self->store, lk_trained_model_get_id (sample->model), NULL, &error) ||
      !(model = lk_store_get_trained_model (self->store, lk_trained_model_get_id (sample->model), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&model), g_object_unref);
}

static void
sample_waited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Sample *sample = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *stem = NULL;
  const char * const *outputs;
  GCancellable *cancellable;

  lk_client_wait_finish (LK_CLIENT (object), result, &error);

  /* A cancelled wait cancelled the prediction on Replicate, but it may
   * not have ended yet: its cost is then settled by the next reading. */
  if (lk_prediction_is_terminal (sample->prediction) && !sample_settle (self, sample, &store_error))
    {
      sample_fail (task, g_steal_pointer (&store_error));
      return;
    }

  if (error != NULL)
    {
      sample_fail (task, g_steal_pointer (&error));
      return;
    }

  outputs = lk_prediction_get_outputs (sample->prediction);
  if (outputs == NULL || outputs[0] == NULL)
    {
      sample_fail (task, g_error_new_literal (LK_CLIENT_ERROR, LK_CLIENT_ERROR_PROTOCOL,
                                              _("The trained model finished without an image. Try again.")));
      return;
    }

  dir = lk_trainer_dup_thumbnail_dir (self);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      sample_fail (task, g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                      _("The folder %s could not be made: %s"), dir, g_strerror (saved_errno)));
      return;
    }

  directory = g_file_new_for_path (dir);
  stem = g_strdup_printf ("model-%" G_GINT64_FORMAT "-%s", lk_trained_model_get_id (sample->model),
                          lk_prediction_get_id (sample->prediction));
  cancellable = g_task_get_cancellable (task);
  lk_client_download_async (self->client, outputs[0], directory, stem, cancellable,
                            sample_downloaded_cb, g_steal_pointer (&task));
}

static void
sample_created_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LkTrainer *self = g_task_get_source_object (task);
  Sample *sample = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  LkPredictionSpec spec = { 0 };
  GCancellable *cancellable;

  sample->prediction = lk_client_create_prediction_finish (LK_CLIENT (object), result, &error);
  if (sample->prediction == NULL)
    {
      sample_fail (task, g_steal_pointer (&error));
      return;
    }

  version = g_strdup (strchr (sample->reference, ':') + 1);
  spec.id = lk_prediction_get_id (sample->prediction);
  spec.item_id = sample->item_id;
  spec.model = lk_model_get_id (self->runner);
  spec.version = version;
  spec.status = status_nick (lk_prediction_get_status (sample->prediction));
  if (!lk_store_add_prediction (self->store, &spec, sample->reservation, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sample->reservation = 0;

  cancellable = g_task_get_cancellable (task);
  lk_client_wait_async (self->client, sample->prediction, cancellable, sample_waited_cb, g_steal_pointer (&task));
}

/**
 * lk_trainer_make_sample_async:
 * @model: a trained model whose training succeeded
 *
 * Makes a first portrait with @model (its estimate is
 * lk_trainer_estimate_sample()), as a job of its own in the store, and
 * makes it the model's picture.
 */
void
lk_trainer_make_sample_async (LkTrainer           *self,
                              LkTrainedModel      *model,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *prompt = NULL;
  LkBudgetVerdict verdict = { 0 };
  LkJobSpec job = { .kind = LK_JOB_KIND_PORTRAIT, .state = LK_JOB_STATE_RUNNING };
  LkItemSpec item = { 0 };
  Sample *sample;

  g_return_if_fail (LK_IS_TRAINER (self));
  g_return_if_fail (LK_IS_TRAINED_MODEL (model));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_trainer_make_sample_async);
  sample = g_new0 (Sample, 1);
  sample->model = g_object_ref (model);
  g_task_set_task_data (task, sample, (GDestroyNotify) sample_free);

  if (self->runner == NULL)
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_NO_MODEL, "%s",
                               _("The model catalog has no runner for trained models. Check your models.json."));
      return;
    }

  if (!(sample->reference = lk_trained_model_dup_reference (model)))
    {
      g_task_return_new_error (task, LK_TRAINER_ERROR, LK_TRAINER_ERROR_NOT_READY,
                               _("“%s” has no trained version yet."), lk_trained_model_get_name (model));
      return;
    }

  sample->seed = g_random_int_range (1, G_MAXINT32);
  json_object_set_int_member (values, "seed", sample->seed);
  json_object_set_int_member (values, "num_outputs", 1);
  if (!(sample->input = lk_trained_model_build_input (model, self->runner, LK_QUALITY_PRESET_STANDARD,
                                                      SAMPLE_PROMPT, values, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  title = g_strdup_printf (_("First portrait of “%s”"), lk_trained_model_get_name (model));
  prompt = lk_trained_model_render_prompt (model, SAMPLE_PROMPT);
  job.title = title;
  job.estimate = lk_trainer_estimate_sample (self);
  item.prompt = prompt;
  item.seed = sample->seed;
  item.model = lk_model_get_id (self->runner);

  if (!(sample->job_id = lk_store_add_job (self->store, &job, &item, 1, &sample->item_id, &error)) ||
      (sample->reservation = lk_store_reserve (self->store, self->budget, sample->job_id, item.model,
                                               job.estimate, NULL, &verdict, &error)) < 0)
    {
      sample_fail (task, g_steal_pointer (&error));
      return;
    }

  if (sample->reservation == 0)
    {
      g_autofree char *why = lk_budget_verdict_describe (&verdict);

      sample_fail (task, g_error_new (LK_TRAINER_ERROR, LK_TRAINER_ERROR_BUDGET,
                                      _("The portrait was not made: %s"), why));
      return;
    }

  /* Not cancellable, like every create: see create_training(). */
  lk_client_create_prediction_async (self->client, sample->reference, sample->input, 0, 0, NULL,
                                     sample_created_cb, g_steal_pointer (&task));
}

/**
 * lk_trainer_make_sample_finish:
 *
 * Returns: (transfer full): the trained model with its new picture, or
 *   %NULL with @error set
 */
LkTrainedModel *
lk_trainer_make_sample_finish (LkTrainer     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_trainer_make_sample_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Progress accessors -------------------------------------------------------- */

gboolean
lk_trainer_get_busy (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), FALSE);

  return self->run != NULL;
}

gint64
lk_trainer_get_model_id (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->model_id;
}

LkTrainingStatus
lk_trainer_get_status (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), LK_TRAINING_STATUS_PREPARING);

  return self->status;
}

guint
lk_trainer_get_step (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->step;
}

guint
lk_trainer_get_total_steps (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->total_steps;
}

double
lk_trainer_get_elapsed (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->elapsed;
}

/**
 * lk_trainer_get_eta:
 *
 * Returns: the seconds the training expects to still need, or -1 when
 *   its logs do not say yet
 */
double
lk_trainer_get_eta (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), -1);

  return self->eta;
}

/**
 * lk_trainer_get_cost:
 *
 * Returns: the cost so far: the seconds the training has run times the
 *   hardware's price, or the actual cost once it ended, micro-dollars
 */
gint64
lk_trainer_get_cost (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), 0);

  return self->cost;
}

/**
 * lk_trainer_get_logs:
 *
 * Returns: (nullable): the end of the training's logs
 */
const char *
lk_trainer_get_logs (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->logs;
}

/**
 * lk_trainer_get_training_id:
 *
 * Returns: (nullable): the training's id on Replicate
 */
const char *
lk_trainer_get_training_id (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->training_id;
}

/**
 * lk_trainer_get_notice:
 *
 * Returns: (nullable): a problem the training goes on despite, such as a
 *   failed look at it or a cancel Replicate did not take
 */
const char *
lk_trainer_get_notice (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->notice;
}

gboolean
lk_trainer_get_making_sample (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), FALSE);

  return self->making_sample;
}

/**
 * lk_trainer_get_error:
 *
 * Returns: (nullable): why the last training or resume ended without a
 *   model, as its finish call reported it; %NULL while one runs, after a
 *   success and before the first
 */
const GError *
lk_trainer_get_error (LkTrainer *self)
{
  g_return_val_if_fail (LK_IS_TRAINER (self), NULL);

  return self->error;
}
