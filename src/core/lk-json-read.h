/* lk-json-read.h: strict reading of hand-edited JSON data files, with
 * messages that say which member is wrong and how.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  lk_json_check_members (JsonObject          *object,
                                 const char * const  *allowed,
                                 GError             **error);
gboolean  lk_json_get_string    (JsonObject          *object,
                                 const char          *member,
                                 gboolean             required,
                                 const char         **value,
                                 GError             **error);
gboolean  lk_json_get_number    (JsonObject          *object,
                                 const char          *member,
                                 gboolean             required,
                                 gboolean            *present,
                                 double              *value,
                                 GError             **error);
gboolean  lk_json_get_boolean   (JsonObject          *object,
                                 const char          *member,
                                 gboolean            *value,
                                 GError             **error);
gboolean  lk_json_get_object    (JsonObject          *object,
                                 const char          *member,
                                 gboolean             required,
                                 JsonObject         **value,
                                 GError             **error);
gboolean  lk_json_get_array     (JsonObject          *object,
                                 const char          *member,
                                 gboolean             required,
                                 JsonArray          **value,
                                 GError             **error);

G_END_DECLS
