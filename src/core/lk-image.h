/* lk-image.h: decoding photos safely: refusing what is not a usable image,
 * from its header, before any pixels are allocated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Decompression bombs and photos no phone takes are refused. */
#define LK_IMAGE_MAX_PIXELS (100 * 1000 * 1000)
#define LK_IMAGE_MAX_BYTES  (50 * 1024 * 1024)

#define LK_IMAGE_ERROR (lk_image_error_quark ())

/**
 * LkImageError:
 * @LK_IMAGE_ERROR_NOT_IMAGE: the file is something else than an image
 * @LK_IMAGE_ERROR_UNSUPPORTED: an image in a format that cannot be decoded
 * @LK_IMAGE_ERROR_UNREADABLE: the file cannot be opened or read
 * @LK_IMAGE_ERROR_EMPTY: the file has no content
 * @LK_IMAGE_ERROR_CORRUPT: the image data is truncated or damaged
 * @LK_IMAGE_ERROR_TOO_LARGE: over %LK_IMAGE_MAX_PIXELS or %LK_IMAGE_MAX_BYTES
 *
 * Why a file cannot be used as a photo. The messages are meant for the
 * Skipped list as they are.
 */
typedef enum
{
  LK_IMAGE_ERROR_NOT_IMAGE,
  LK_IMAGE_ERROR_UNSUPPORTED,
  LK_IMAGE_ERROR_UNREADABLE,
  LK_IMAGE_ERROR_EMPTY,
  LK_IMAGE_ERROR_CORRUPT,
  LK_IMAGE_ERROR_TOO_LARGE,
} LkImageError;

GQuark     lk_image_error_quark (void);
GdkPixbuf *lk_image_load        (const char  *path,
                                 int          long_side,
                                 int         *original_width,
                                 int         *original_height,
                                 GError     **error);

G_END_DECLS
