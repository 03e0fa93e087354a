/* lk-sim-private.h: the simulator's parts as its source files share them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "lk-sim.h"

G_BEGIN_DECLS

/* The account every accepted token belongs to. */
#define LK_SIM_USERNAME "likeness-sim"

/* Replicate's limit for one uploaded file. */
#define LK_SIM_MAX_FILE_SIZE (G_GINT64_CONSTANT (100) * 1024 * 1024)

/* lk-sim-catalog.c: the models the simulator knows */

typedef struct
{
  char       *id;
  char       *created_at;
  JsonObject *input;
  JsonObject *output;
} LkSimVersion;

typedef struct
{
  char       *owner;
  char       *name;
  char       *full_name;
  char       *description;
  char       *visibility;
  char       *hardware;
  gboolean    official;
  gboolean    trainer;
  double      duration;
  JsonArray  *constraints;
  GPtrArray  *versions;
} LkSimModel;

typedef struct _LkSimCatalog LkSimCatalog;

LkSimCatalog *lk_sim_catalog_new              (void);
void          lk_sim_catalog_free             (LkSimCatalog  *catalog);
LkSimModel   *lk_sim_catalog_lookup           (LkSimCatalog  *catalog,
                                               const char    *full_name);
LkSimModel   *lk_sim_catalog_find_version     (LkSimCatalog  *catalog,
                                               const char    *version_id,
                                               LkSimVersion **version);
LkSimModel   *lk_sim_catalog_add_model        (LkSimCatalog  *catalog,
                                               const char    *owner,
                                               const char    *name,
                                               const char    *description,
                                               const char    *visibility,
                                               const char    *hardware);
LkSimVersion *lk_sim_catalog_add_trained_version (LkSimCatalog *catalog,
                                               LkSimModel    *model);
LkSimVersion *lk_sim_model_get_latest_version (LkSimModel    *model);
LkSimVersion *lk_sim_model_find_version       (LkSimModel    *model,
                                               const char    *version_id);
JsonNode     *lk_sim_model_to_json            (LkSimModel    *model);
JsonNode     *lk_sim_version_to_json          (LkSimVersion  *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSimCatalog, lk_sim_catalog_free)

/* lk-sim-schema.c: input validation against a version's Input schema */

void          lk_sim_invalid_fields_add       (JsonArray     *invalid,
                                               const char    *type,
                                               const char    *field,
                                               const char    *description);
JsonArray    *lk_sim_schema_validate          (JsonObject    *schema,
                                               JsonArray     *constraints,
                                               JsonNode      *input);
gint64        lk_sim_schema_get_int           (JsonObject    *schema,
                                               JsonObject    *input,
                                               const char    *field,
                                               gint64         fallback);
const char   *lk_sim_schema_get_string        (JsonObject    *schema,
                                               JsonObject    *input,
                                               const char    *field,
                                               const char    *fallback);
char         *lk_sim_json_canonical           (JsonNode      *node);

/* lk-sim-image.c: the pictures predictions produce */

GBytes       *lk_sim_image_render             (const char    *id,
                                               guint          index,
                                               gint64         seed,
                                               const char    *format,
                                               GError       **error);
const char   *lk_sim_image_content_type       (const char    *format);

/* lk-sim-faults.c: the fault plan */

typedef enum
{
  LK_SIM_FAULT_NONE,
  LK_SIM_FAULT_STATUS,
  LK_SIM_FAULT_THROTTLED,
  LK_SIM_FAULT_DROP_BEFORE,
  LK_SIM_FAULT_DROP_AFTER,
  LK_SIM_FAULT_SLOW,
  LK_SIM_FAULT_MALFORMED,
  LK_SIM_FAULT_FAIL,
  LK_SIM_FAULT_ABORT,
} LkSimFaultKind;

typedef enum
{
  LK_SIM_RETRY_AFTER_IN_HEADER = 1 << 0,
  LK_SIM_RETRY_AFTER_IN_BODY   = 1 << 1,
} LkSimRetryAfterIn;

typedef struct
{
  char              *method;
  char              *path;
  char              *model;
  guint              skip;
  guint              times;
  LkSimFaultKind     kind;
  guint              status;
  double             retry_after;
  LkSimRetryAfterIn  retry_after_in;
  gboolean           retry_after_date;
  double             delay;
  char              *error;
  char              *detail;

  guint              seen;
  guint              fired;
} LkSimFault;

void          lk_sim_fault_free               (LkSimFault    *fault);
LkSimFault   *lk_sim_fault_copy               (const LkSimFault *fault);
GPtrArray    *lk_sim_faults_parse             (const char    *json,
                                               GError       **error);
LkSimFault   *lk_sim_faults_match             (GPtrArray     *faults,
                                               const char    *method,
                                               const char    *path,
                                               const char    *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSimFault, lk_sim_fault_free)

/* lk-sim-job.c: one prediction or training and its timeline */

typedef enum
{
  LK_SIM_JOB_PREDICTION,
  LK_SIM_JOB_TRAINING,
} LkSimJobKind;

typedef enum
{
  LK_SIM_STATUS_STARTING,
  LK_SIM_STATUS_PROCESSING,
  LK_SIM_STATUS_SUCCEEDED,
  LK_SIM_STATUS_FAILED,
  LK_SIM_STATUS_CANCELED,
  LK_SIM_STATUS_ABORTED,
} LkSimStatus;

typedef struct _LkSimJob LkSimJob;

typedef void (*LkSimJobFunc) (LkSimJob *job,
                              gpointer  user_data);

struct _LkSimJob
{
  LkSimJobKind    kind;
  char           *id;
  guint64         serial;
  char           *model;
  char           *version;
  JsonNode       *input;
  char           *destination;

  LkSimStatus     status;
  GString        *logs;
  char           *error;
  JsonNode       *output;
  GDateTime      *created_at;
  GDateTime      *started_at;
  GDateTime      *completed_at;
  GDateTime      *deadline;

  /* The timeline, on the monotonic clock. */
  gint64          created_us;
  gint64          start_us;
  gint64          end_us;
  gint64          deadline_us;
  gint64          completed_us;
  double          duration;
  double          scale;

  /* What the run produces. */
  LkSimFaultKind  outcome;
  char           *fail_error;
  gint64          seed;
  guint           steps;
  guint           last_step;
  guint           num_outputs;
  char           *output_format;
  gboolean        single_output;
  gboolean        data_uri_outputs;
  char           *outputs_url;

  GRecMutex      *lock;
  GSource        *tick;
  LkSimJobFunc    finished;
  gpointer        finished_data;
};

LkSimJob     *lk_sim_job_new                  (LkSimJobKind   kind,
                                               const char    *model,
                                               const char    *version,
                                               JsonNode      *input,
                                               JsonObject    *input_schema,
                                               gboolean       single_output,
                                               double         duration,
                                               double         scale);
void          lk_sim_job_free                 (LkSimJob      *job);
void          lk_sim_job_start                (LkSimJob      *job,
                                               GMainContext  *context);
void          lk_sim_job_stop_timer           (LkSimJob      *job);
gboolean      lk_sim_job_is_terminal          (LkSimJob      *job);
void          lk_sim_job_cancel               (LkSimJob      *job);
gboolean      lk_sim_job_data_removed         (LkSimJob      *job,
                                               gint64         lifetime_us);
JsonNode     *lk_sim_job_to_json              (LkSimJob      *job,
                                               const char    *base_url,
                                               gint64         lifetime_us);
const char   *lk_sim_status_to_string         (LkSimStatus    status);

/* lk-sim-multipart.c: a streaming multipart/form-data reader for uploads */

typedef struct _LkSimUpload LkSimUpload;

LkSimUpload  *lk_sim_upload_new               (const char    *boundary);
void          lk_sim_upload_free              (LkSimUpload   *upload);
void          lk_sim_upload_feed              (LkSimUpload   *upload,
                                               const guint8  *data,
                                               gsize          length);
gboolean      lk_sim_upload_finish            (LkSimUpload   *upload,
                                               GError       **error);
gint64        lk_sim_upload_get_size          (LkSimUpload   *upload);
const char   *lk_sim_upload_get_sha256        (LkSimUpload   *upload);
const char   *lk_sim_upload_get_filename      (LkSimUpload   *upload);
const char   *lk_sim_upload_get_content_type  (LkSimUpload   *upload);
const char   *lk_sim_upload_get_metadata      (LkSimUpload   *upload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSimUpload, lk_sim_upload_free)

/* lk-sim.c: the shared state, guarded by the lock */

typedef struct
{
  char       *id;
  char       *filename;
  char       *content_type;
  gint64      size;
  char       *sha256;
  JsonNode   *metadata;
  GDateTime  *created_at;
} LkSimFile;

struct _LkSim
{
  GObject        parent_instance;

  /* Recursive, because libsoup may call back into the server while a
   * handler holding it answers a request. */
  GRecMutex      lock;

  char          *token;
  double         time_scale;
  double         output_lifetime;
  gboolean       data_uri_outputs;
  guint          page_size;
  guint          port;
  GHashTable    *durations;

  GThread       *thread;
  GMainContext  *context;
  GMainLoop     *loop;
  SoupServer    *server;
  char          *base_url;
  char          *root_url;
  GMutex         start_mutex;
  GCond          start_cond;
  gboolean       start_done;
  GError        *start_error;

  LkSimCatalog  *catalog;
  GHashTable    *jobs;
  GPtrArray     *predictions;
  GPtrArray     *trainings;
  GHashTable    *files;
  GHashTable    *creates;
  GPtrArray     *faults;
  GPtrArray     *requests;
  GPtrArray     *exchanges;
  guint64        next_serial;
};

char         *lk_sim_new_id                   (void);
gint64        lk_sim_get_lifetime_us          (LkSim         *self);
double        lk_sim_get_duration             (LkSim         *self,
                                               LkSimModel    *model,
                                               JsonObject    *input);
LkSimJob     *lk_sim_add_job                  (LkSim         *self,
                                               LkSimJob      *job);
guint64       lk_sim_log_request              (LkSim         *self,
                                               const char    *method,
                                               const char    *path);
void          lk_sim_log_status               (LkSim         *self,
                                               guint64        serial,
                                               guint          status);
JsonNode     *lk_sim_dup_job_json             (LkSim         *self,
                                               LkSimJob      *job);
void          lk_sim_file_free                (LkSimFile     *file);
JsonNode     *lk_sim_file_to_json             (LkSimFile     *file,
                                               const char    *base_url);

/* lk-sim-server.c: requests in, responses out */

typedef struct _LkSimExchange LkSimExchange;

gboolean      lk_sim_server_listen            (LkSim         *self,
                                               GError       **error);
void          lk_sim_server_shutdown          (LkSim         *self);
SoupServerMessage *lk_sim_exchange_get_message (LkSimExchange *exchange);
LkSimFaultKind lk_sim_exchange_get_outcome    (LkSimExchange *exchange);
const char   *lk_sim_exchange_get_fail_error  (LkSimExchange *exchange);
LkSimUpload  *lk_sim_exchange_get_upload      (LkSimExchange *exchange);
void          lk_sim_exchange_respond         (LkSimExchange *exchange,
                                               guint          status,
                                               JsonNode      *body);
void          lk_sim_exchange_respond_problem (LkSimExchange *exchange,
                                               guint          status,
                                               const char    *title,
                                               const char    *detail);
void          lk_sim_exchange_respond_invalid (LkSimExchange *exchange,
                                               JsonArray     *invalid_fields);
void          lk_sim_exchange_wait_for_job    (LkSimExchange *exchange,
                                               LkSimJob      *job,
                                               guint          seconds);
void          lk_sim_server_answer_waiters    (LkSim         *self,
                                               LkSimJob      *job);

/* lk-sim-outputs.c: the files predictions and trainings produce */

void          lk_sim_outputs_serve            (LkSim         *self,
                                               LkSimExchange *exchange,
                                               const char    *name);
void          lk_sim_exchange_respond_bytes   (LkSimExchange *exchange,
                                               guint          status,
                                               const char    *content_type,
                                               GBytes        *bytes);

/* lk-sim-api.c: the Replicate endpoints under /v1 */

void          lk_sim_api_handle               (LkSim         *self,
                                               LkSimExchange *exchange,
                                               const char    *method,
                                               const char    *path,
                                               GHashTable    *query);
char         *lk_sim_api_request_model        (LkSim         *self,
                                               SoupServerMessage *msg,
                                               const char    *path);

G_END_DECLS
