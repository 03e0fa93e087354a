/* lk-training-archive.h: the zip of photos and captions a training
 * learns from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-reference-prep.h"

G_BEGIN_DECLS

/* Replicate's Files API takes up to 100 MiB; above 50 MB the upload is
 * slow enough to mention. */
#define LK_TRAINING_ARCHIVE_MAX_SIZE (G_GOFFSET_CONSTANT (100) * 1024 * 1024)
#define LK_TRAINING_ARCHIVE_LARGE_SIZE (G_GOFFSET_CONSTANT (50) * 1000 * 1000)

gboolean lk_training_archive_write (const char       *path,
                                    GPtrArray        *images,
                                    LkReferencePrep  *prep,
                                    goffset           max_size,
                                    goffset          *size,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_END_DECLS
