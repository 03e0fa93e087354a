/* lk-multipart-stream.h: a multipart/form-data body streamed from a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LK_TYPE_MULTIPART_STREAM (lk_multipart_stream_get_type ())

G_DECLARE_FINAL_TYPE (LkMultipartStream, lk_multipart_stream, LK, MULTIPART_STREAM, GInputStream)

GInputStream *lk_multipart_stream_new              (const char          *boundary,
                                                    const char          *field,
                                                    GFile               *file,
                                                    goffset              file_size,
                                                    const char          *filename,
                                                    const char          *file_type,
                                                    const char          *metadata_json);
goffset       lk_multipart_stream_get_length       (LkMultipartStream   *self);

G_END_DECLS
