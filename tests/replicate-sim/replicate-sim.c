/* replicate-sim.c: runs the Replicate simulator until SIGINT or SIGTERM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk-sim.h"

static double time_scale = 1.0;
static double output_lifetime = 3600.0;
static int port;
static char *token;
static char *faults_path;
static char **durations;
static gboolean data_uri_outputs;

static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (default: a free one)", "N" },
  { "time-scale", 's', 0, G_OPTION_ARG_DOUBLE, &time_scale, "Multiply every run time by X (0.01: 20 s take 200 ms)", "X" },
  { "token", 't', 0, G_OPTION_ARG_STRING, &token, "The API token to accept (default: " LK_SIM_TOKEN ")", "TOKEN" },
  { "faults", 'f', 0, G_OPTION_ARG_FILENAME, &faults_path, "Load a fault plan (JSON) at start", "FILE" },
  { "output-lifetime", 0, 0, G_OPTION_ARG_DOUBLE, &output_lifetime, "Seconds outputs stay downloadable, before scaling (default: 3600)", "SECONDS" },
  { "duration", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &durations, "Run time of a model, before scaling", "OWNER/NAME=SECONDS" },
  { "data-uri-outputs", 0, 0, G_OPTION_ARG_NONE, &data_uri_outputs, "Return images as data: URIs instead of URLs", NULL },
  { NULL },
};

static gboolean
apply_durations (LkSim   *sim,
                 GError **error)
{
  for (guint i = 0; durations != NULL && durations[i] != NULL; i++)
    {
      const char *equals = strchr (durations[i], '=');
      g_autofree char *model = NULL;
      char *end = NULL;
      double seconds;

      if (equals != NULL)
        seconds = g_ascii_strtod (equals + 1, &end);

      if (equals == NULL || end == equals + 1 || *end != '\0' || seconds < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--duration wants OWNER/NAME=SECONDS, not “%s”", durations[i]);
          return FALSE;
        }

      model = g_strndup (durations[i], equals - durations[i]);
      lk_sim_set_model_duration (sim, model, seconds);
    }

  return TRUE;
}

static gboolean
configure (LkSim   *sim,
           GError **error)
{
  if (time_scale <= 0 || output_lifetime < 0 || port < 0 || port > G_MAXUINT16)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--time-scale must be above 0, --output-lifetime at least 0 and --port 0-65535");
      return FALSE;
    }

  lk_sim_set_port (sim, port);
  lk_sim_set_time_scale (sim, time_scale);
  lk_sim_set_output_lifetime (sim, output_lifetime);
  lk_sim_set_data_uri_outputs (sim, data_uri_outputs);
  if (token != NULL)
    lk_sim_set_token (sim, token);

  if (faults_path != NULL)
    {
      g_autofree char *plan = NULL;

      if (!g_file_get_contents (faults_path, &plan, NULL, error)
          || !lk_sim_add_faults (sim, plan, error))
        return FALSE;
    }

  return apply_durations (sim, error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a Replicate API simulator on 127.0.0.1");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(LkSim) sim = lk_sim_new ();
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Prints its base URL (http://127.0.0.1:PORT/v1) on the first line, then serves\n"
                                    "until interrupted. See tests/replicate-sim/README.md for the fault plan format.");

  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !configure (sim, &error)
      || !lk_sim_start (sim, &error))
    {
      g_printerr ("replicate-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("%s\n", lk_sim_get_base_url (sim));
  fflush (stdout);

  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  lk_sim_stop (sim);
  g_free (token);
  g_free (faults_path);
  g_strfreev (durations);

  return EXIT_SUCCESS;
}
