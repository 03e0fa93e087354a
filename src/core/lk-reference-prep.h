/* lk-reference-prep.h: turns a chosen photo into the file that is
 * uploaded: upright, cropped around the face, downscaled, re-encoded
 * without any metadata.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lk-photo.h"
#include "lk-types.h"

G_BEGIN_DECLS

#define LK_REFERENCE_PREP_MAX_SIZE 1536
#define LK_REFERENCE_PREP_QUALITY  92

#define LK_TYPE_REFERENCE_PREP (lk_reference_prep_get_type ())

G_DECLARE_FINAL_TYPE (LkReferencePrep, lk_reference_prep, LK, REFERENCE_PREP, GObject)

LkReferencePrep *lk_reference_prep_new            (void);
int              lk_reference_prep_get_max_size   (LkReferencePrep      *self);
void             lk_reference_prep_set_max_size   (LkReferencePrep      *self,
                                                   int                   max_size);
int              lk_reference_prep_get_quality    (LkReferencePrep      *self);
void             lk_reference_prep_set_quality    (LkReferencePrep      *self,
                                                   int                   quality);
GBytes          *lk_reference_prep_prepare        (LkReferencePrep      *self,
                                                   LkPhoto              *photo,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void             lk_reference_prep_prepare_async  (LkReferencePrep      *self,
                                                   LkPhoto              *photo,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GBytes          *lk_reference_prep_prepare_finish (LkReferencePrep      *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
