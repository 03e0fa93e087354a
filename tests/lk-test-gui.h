/* lk-test-gui.h: running the app in GUI tests, and finding what is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-sim.h"
#include "lk-window.h"

G_BEGIN_DECLS

typedef struct _LkTestApp LkTestApp;
typedef void (*LkTestAppBody) (LkTestApp *test);
typedef gboolean (*LkTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

struct _LkTestApp
{
  LkApplication *app;
  LkWindow      *window;
  LkTestAppBody  body;
  gpointer       data;
};

void       lk_test_run_app              (LkTestAppBody  body,
                                         gpointer       data);
void       lk_test_app_track_window     (LkTestApp     *test);
gboolean   lk_test_app_window_is_gone   (gpointer       test);
void       lk_test_drain                (void);
GtkWindow *lk_test_find_toplevel        (GType          type);
GtkWidget *lk_test_find_widget          (GtkWidget         *root,
                                         LkTestWidgetMatch  match,
                                         gconstpointer      data);
GtkWidget *lk_test_find_descendant      (GtkWidget     *root,
                                         GType          type);
gboolean   lk_test_shows_text           (GtkWidget     *root,
                                         const char    *text);
gboolean   lk_test_wait_for_text        (GtkWidget     *root,
                                         const char    *text);
GDBusConnection *lk_test_serve_notifications (GPtrArray *summaries);
LkSim     *lk_test_start_sim_for_app    (double         time_scale);

G_END_DECLS
