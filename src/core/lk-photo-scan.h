/* lk-photo-scan.h: walking dropped files and folders for photos, within
 * limits, reporting what cannot be walked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

#define LK_PHOTO_SCAN_MAX_DEPTH 8
#define LK_PHOTO_SCAN_MAX_FILES 2000

/**
 * LkPhotoScanFunc:
 * @path: a file found
 * @info: its status, following links
 * @user_data: the data passed to lk_photo_scan()
 *
 * Called for each file to consider, in the scanning thread.
 */
typedef void (*LkPhotoScanFunc) (const char     *path,
                                 const GStatBuf *info,
                                 gpointer        user_data);

GPtrArray *lk_photo_scan (const char * const *paths,
                          LkPhotoScanFunc     func,
                          gpointer            user_data,
                          GCancellable       *cancellable);

G_END_DECLS
