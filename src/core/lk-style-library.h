/* lk-style-library.h: the built-in styles and the user's own, their
 * validation, and style packs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-style.h"

G_BEGIN_DECLS

#define LK_TYPE_STYLE_LIBRARY (lk_style_library_get_type ())

G_DECLARE_FINAL_TYPE (LkStyleLibrary, lk_style_library, LK, STYLE_LIBRARY, GObject)

LkStyleLibrary     *lk_style_library_new               (GFile           *user_file);
gboolean            lk_style_library_load              (LkStyleLibrary  *self,
                                                        GError         **error);
GListModel         *lk_style_library_get_styles        (LkStyleLibrary  *self);
LkStyle            *lk_style_library_lookup            (LkStyleLibrary  *self,
                                                        const char      *id);
const char * const *lk_style_library_get_categories    (LkStyleLibrary  *self);
const char         *lk_style_library_get_category_name (LkStyleLibrary  *self,
                                                        const char      *category);
const char * const *lk_style_library_get_icons         (LkStyleLibrary  *self);

gboolean            lk_style_library_check             (LkStyleLibrary  *self,
                                                        LkStyle         *style,
                                                        LkStyleField     field,
                                                        GError         **error);
gboolean            lk_style_library_validate          (LkStyleLibrary  *self,
                                                        LkStyle         *style,
                                                        GError         **error);

LkStyle            *lk_style_library_add               (LkStyleLibrary  *self,
                                                        LkStyle         *style,
                                                        GError         **error);
gboolean            lk_style_library_replace           (LkStyleLibrary  *self,
                                                        LkStyle         *style,
                                                        GError         **error);
gboolean            lk_style_library_remove            (LkStyleLibrary  *self,
                                                        const char      *id,
                                                        GError         **error);

GPtrArray          *lk_style_library_import            (LkStyleLibrary  *self,
                                                        GBytes          *pack,
                                                        GError         **error);
GBytes             *lk_style_library_export            (LkStyleLibrary  *self,
                                                        GListModel      *styles);

G_END_DECLS
