/* lk-style-editor.h: the dialog that makes, edits or duplicates a style,
 * with the final prompt previewed as it is typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-style-library.h"

G_BEGIN_DECLS

#define LK_TYPE_STYLE_EDITOR (lk_style_editor_get_type ())

G_DECLARE_FINAL_TYPE (LkStyleEditor, lk_style_editor, LK, STYLE_EDITOR, AdwWindow)

LkStyleEditor *lk_style_editor_new       (LkStyleLibrary *library,
                                          LkStyle        *draft,
                                          gboolean        replacing);
LkStyle       *lk_style_editor_get_draft (LkStyleEditor  *self);

G_END_DECLS
