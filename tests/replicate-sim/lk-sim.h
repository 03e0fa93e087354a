/* lk-sim.h: a Replicate-compatible HTTP server for tests, on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The token the simulator accepts unless told otherwise. Not a real token. */
#define LK_SIM_TOKEN "r8_sim_token"

#define LK_TYPE_SIM (lk_sim_get_type ())

G_DECLARE_FINAL_TYPE (LkSim, lk_sim, LK, SIM, GObject)

/**
 * LkSimRequest:
 * @method: "GET", "POST", ...
 * @path: the path with the query, e.g. "/v1/predictions?cursor=abc"
 * @status: the status sent, or 0 when the connection was dropped
 * @time_us: monotonic time the request arrived (g_get_monotonic_time)
 *
 * One request as the simulator saw it.
 */
typedef struct
{
  char   *method;
  char   *path;
  guint   status;
  gint64  time_us;
} LkSimRequest;

void          lk_sim_request_free          (LkSimRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSimRequest, lk_sim_request_free)

LkSim        *lk_sim_new                   (void);

/* Binds 127.0.0.1 on a free port and serves from a thread of its own, with
 * its own GMainContext, so a test may block (waitpid, a sync call) while
 * the simulator keeps answering. Every other function is thread-safe. */
gboolean      lk_sim_start                 (LkSim        *self,
                                            GError      **error);
void          lk_sim_stop                  (LkSim        *self);

/* "http://127.0.0.1:PORT/v1" */
const char   *lk_sim_get_base_url          (LkSim        *self);
void          lk_sim_set_token             (LkSim        *self,
                                            const char   *token);

/* Multiplies every model duration; 0.01 makes a 20 s model take 200 ms. */
void          lk_sim_set_time_scale        (LkSim        *self,
                                            double        scale);
/* The unscaled run time of one prediction of @model ("owner/name"), in
 * seconds; without it the model's built-in typical duration is used. */
void          lk_sim_set_model_duration    (LkSim        *self,
                                            const char   *model,
                                            double        seconds);
/* How long outputs stay downloadable, unscaled seconds (default 3600). */
void          lk_sim_set_output_lifetime   (LkSim        *self,
                                            double        seconds);

/* Adds the rules of a fault plan (a JSON array, format in README.md
 * beside this file). The same JSON can be POSTed to
 * /_sim/faults, and replicate-sim --faults FILE loads one at start. */
gboolean      lk_sim_add_faults            (LkSim        *self,
                                            const char   *json,
                                            GError      **error);
void          lk_sim_clear_faults          (LkSim        *self);

/* A copy of the request log, oldest first. Also GET /_sim/log. */
GPtrArray    *lk_sim_get_requests          (LkSim        *self);
guint         lk_sim_count_requests        (LkSim        *self,
                                            const char   *method,
                                            const char   *path_prefix);
void          lk_sim_clear_requests        (LkSim        *self);

/* Predictions actually created (not rejected) for the same model and
 * input JSON (compared canonically, key order ignored): the most for any
 * one input. 1 means no duplicate creates. */
guint         lk_sim_get_max_creates_per_input (LkSim    *self);
guint         lk_sim_get_prediction_count  (LkSim        *self);
/* The server's view of a prediction, or NULL. */
JsonObject   *lk_sim_dup_prediction        (LkSim        *self,
                                            const char   *id);

/* Additions after the first version of this API. */

/* The port lk_sim_start() binds; 0 (the default) picks a free one. */
void          lk_sim_set_port              (LkSim        *self,
                                            guint         port);
/* Predictions created from now on return their images inline as
 * data: URIs (as Replicate sometimes does) instead of URLs. */
void          lk_sim_set_data_uri_outputs  (LkSim        *self,
                                            gboolean      data_uri_outputs);
/* Jobs per page of GET /predictions and GET /trainings (default 100, like Replicate). */
void          lk_sim_set_page_size         (LkSim        *self,
                                            guint         page_size);
/* Runs of @model take from @min_seconds to @max_seconds (unscaled), as
 * real runs vary: each prediction's time follows from the seed in its
 * input, so the same seed always takes the same time; an input without
 * a seed takes the midpoint. */
void          lk_sim_set_model_duration_range (LkSim     *self,
                                               const char *model,
                                               double     min_seconds,
                                               double     max_seconds);
/* Gives "likeness-sim/NAME" (made private if missing) a trained version,
 * as a training into it would, and returns its id. */
char         *lk_sim_add_trained_version   (LkSim        *self,
                                            const char   *model);

G_END_DECLS
