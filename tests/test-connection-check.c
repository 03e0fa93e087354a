/* test-connection-check.c: "Test Connection" against the simulator: all
 * well, a refused token, a missing model, and an account Replicate
 * throttles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "lk-connection-check.h"
#include "lk-sim.h"
#include "lk-test-utils.h"

#define SCHNELL "black-forest-labs/flux-schnell"

typedef struct
{
  LkSim    *sim;
  LkClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = lk_sim_new ();
  lk_sim_set_time_scale (fixture->sim, 0.001);
  g_assert_true (lk_sim_start (fixture->sim, &error));
  g_assert_no_error (error);
  fixture->client = lk_client_new (NULL, lk_sim_get_base_url (fixture->sim));
  lk_client_set_token (fixture->client, LK_SIM_TOKEN);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  lk_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
}

static GPtrArray *
run_check (LkClient   *client,
           const char *model)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  lk_connection_check_async (client, model, NULL, lk_test_store_result, &result);
  results = lk_connection_check_finish (lk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  return results;
}

static LkConnectionResult *
get (GPtrArray *results,
     guint      index)
{
  return g_ptr_array_index (results, index);
}

static void
test_all_well (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) results = run_check (fixture->client, SCHNELL);

  g_assert_cmpstr (get (results, 0)->title, ==, "Account");
  g_assert_cmpint (get (results, 0)->verdict, ==, LK_CHECK_VERDICT_OK);
  g_assert_cmpstr (get (results, 0)->message, ==, "Signed in as likeness-sim.");
  g_assert_cmpfloat (get (results, 0)->latency_ms, >=, 0);

  g_assert_cmpstr (get (results, 1)->title, ==, "Models");
  g_assert_cmpint (get (results, 1)->verdict, ==, LK_CHECK_VERDICT_OK);
  g_assert_nonnull (strstr (get (results, 1)->message, SCHNELL));
  g_assert_cmpfloat (get (results, 1)->latency_ms, >=, 0);

  g_assert_cmpstr (get (results, 2)->title, ==, "Rate Limit");
  g_assert_cmpint (get (results, 2)->verdict, ==, LK_CHECK_VERDICT_OK);
  g_assert_nonnull (strstr (get (results, 2)->message, "600"));
  g_assert_cmpfloat (get (results, 2)->latency_ms, ==, -1);

  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/account"), ==, 1);
  g_assert_cmpuint (lk_sim_count_requests (fixture->sim, "GET", "/v1/models/" SCHNELL), ==, 1);
}

static void
test_refused_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;

  lk_client_set_token (fixture->client, "r8_not_the_token");
  results = run_check (fixture->client, SCHNELL);

  /* Every check is told, each with what to do. */
  g_assert_cmpint (get (results, 0)->verdict, ==, LK_CHECK_VERDICT_FAILED);
  g_assert_nonnull (strstr (get (results, 0)->message, "did not accept the API token"));
  g_assert_cmpint (get (results, 1)->verdict, ==, LK_CHECK_VERDICT_FAILED);
  g_assert_cmpint (get (results, 2)->verdict, ==, LK_CHECK_VERDICT_OK);
}

static void
test_missing_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) results = run_check (fixture->client, "nobody/nothing");

  g_assert_cmpint (get (results, 0)->verdict, ==, LK_CHECK_VERDICT_OK);
  g_assert_cmpint (get (results, 1)->verdict, ==, LK_CHECK_VERDICT_FAILED);
  g_assert_nonnull (strstr (get (results, 1)->message, "could not find"));
}

/* After Replicate said the account is throttled, the check says so. */
static void
test_throttled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(LkPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_sim_add_faults (fixture->sim,
                                    "[{\"method\": \"POST\", \"path\": \"/v1/models/*/predictions\", \"fault\": \"throttled\"}]",
                                    &error));
  g_assert_no_error (error);
  json_object_set_string_member (input, "prompt", "a lighthouse");
  lk_client_create_prediction_async (fixture->client, SCHNELL, input, 0, 0, NULL, lk_test_store_result, &created);
  prediction = lk_client_create_prediction_finish (fixture->client, lk_test_wait_for_result (&created), &error);
  g_assert_no_error (error);

  results = run_check (fixture->client, SCHNELL);
  g_assert_cmpint (get (results, 2)->verdict, ==, LK_CHECK_VERDICT_WARNING);
  g_assert_nonnull (strstr (get (results, 2)->message, "6 new predictions a minute"));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  lk_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  ADD ("/lk/connection-check/all-well", test_all_well);
  ADD ("/lk/connection-check/refused-token", test_refused_token);
  ADD ("/lk/connection-check/missing-model", test_missing_model);
  ADD ("/lk/connection-check/throttled", test_throttled);

  return g_test_run ();
}
