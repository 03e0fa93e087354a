/* lk-style.h: one portrait style: how to phrase the prompt, the image size
 * and the model settings, and how its card looks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-types.h"

G_BEGIN_DECLS

#define LK_STYLE_ERROR (lk_style_error_quark ())

/**
 * LkStyleError:
 * @LK_STYLE_ERROR_INVALID: a field of a style has a value that cannot be used
 * @LK_STYLE_ERROR_PACK: a style pack or styles file is not in the expected shape
 * @LK_STYLE_ERROR_READ_ONLY: built-in styles cannot be changed or deleted
 * @LK_STYLE_ERROR_NOT_FOUND: there is no style with that id
 */
typedef enum
{
  LK_STYLE_ERROR_INVALID,
  LK_STYLE_ERROR_PACK,
  LK_STYLE_ERROR_READ_ONLY,
  LK_STYLE_ERROR_NOT_FOUND,
} LkStyleError;

/* Where the person goes in a prompt template. */
#define LK_STYLE_SUBJECT "{subject}"

#define LK_STYLE_MIN_SIZE 256
#define LK_STYLE_MAX_SIZE 1536
#define LK_STYLE_SIZE_STEP 16
#define LK_STYLE_MIN_IDENTITY_WEIGHT 0.0
#define LK_STYLE_MAX_IDENTITY_WEIGHT 3.0
#define LK_STYLE_MIN_GUIDANCE 1.0
#define LK_STYLE_MAX_GUIDANCE 10.0

#define LK_TYPE_STYLE (lk_style_get_type ())

G_DECLARE_FINAL_TYPE (LkStyle, lk_style, LK, STYLE, GObject)

GQuark              lk_style_error_quark         (void);

LkStyle            *lk_style_new_from_json       (JsonObject   *object,
                                                  guint         number,
                                                  gboolean      built_in,
                                                  GError      **error);
JsonObject         *lk_style_to_json             (LkStyle      *self);
LkStyle            *lk_style_copy                (LkStyle      *self);
char               *lk_style_render_prompt       (LkStyle      *self,
                                                  const char   *subject);

const char         *lk_style_get_id              (LkStyle      *self);
const char         *lk_style_get_name            (LkStyle      *self);
const char         *lk_style_get_description     (LkStyle      *self);
const char         *lk_style_get_category        (LkStyle      *self);
const char         *lk_style_get_prompt          (LkStyle      *self);
const char         *lk_style_get_negative_prompt (LkStyle      *self);
const char         *lk_style_get_aspect_ratio    (LkStyle      *self);
guint               lk_style_get_width           (LkStyle      *self);
guint               lk_style_get_height          (LkStyle      *self);
double              lk_style_get_identity_weight (LkStyle      *self);
double              lk_style_get_guidance        (LkStyle      *self);
const char         *lk_style_get_color           (LkStyle      *self);
const char         *lk_style_get_icon            (LkStyle      *self);
gboolean            lk_style_get_built_in        (LkStyle      *self);
GFile              *lk_style_get_thumbnail       (LkStyle      *self);
void                lk_style_set_thumbnail       (LkStyle      *self,
                                                  GFile        *thumbnail);

const char * const *lk_style_get_aspect_ratios   (void);
gboolean            lk_style_get_aspect_size     (const char   *aspect_ratio,
                                                  guint        *width,
                                                  guint        *height);

G_END_DECLS
