/* lk-launch.h: opening a saved portrait or a folder in the app the person
 * chose for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void lk_launch_file (GtkWidget *widget,
                     GFile     *file);

G_END_DECLS
