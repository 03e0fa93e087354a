/* lk-test-photos.h: real face photos from Debian packages, and the
 * flawed photos and broken files the tests derive from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lk-photo-scorer.h"

G_BEGIN_DECLS

/* python-matplotlib-data: a studio portrait, facing the camera. */
#define LK_TEST_FACE_PHOTO "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"
/* lomiri-wallpapers-20.04: a nuthatch on a tree trunk, nobody's face. */
#define LK_TEST_SCENE_PHOTO "/usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg"

GdkPixbuf *lk_test_photo_load      (const char  *path);
char      *lk_test_photo_save      (GdkPixbuf   *pixbuf,
                                    const char  *dir,
                                    const char  *name,
                                    int          quality);
GListStore *lk_test_photo_faces    (const char  *dir,
                                    const char  *prefix,
                                    guint        n_photos);
GdkPixbuf *lk_test_photo_blur      (GdkPixbuf   *pixbuf,
                                    int          radius);
GdkPixbuf *lk_test_photo_brightness (GdkPixbuf  *pixbuf,
                                    double       factor);
GdkPixbuf *lk_test_photo_tilt      (GdkPixbuf   *pixbuf,
                                    double       degrees);
char      *lk_test_photo_write     (const char  *dir,
                                    const char  *name,
                                    const void  *data,
                                    gsize        length);
char      *lk_test_photo_png_bomb  (const char  *dir,
                                    const char  *name,
                                    guint32      width,
                                    guint32      height);
gboolean   lk_test_photo_add       (LkPhotoScorer *scorer,
                                    const char  *path,
                                    GError     **error);
gboolean   lk_test_photo_exiftool  (GError     **error,
                                    ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
