/* lk-gray-image.h: a luminance image and the measurements the photo
 * scorer takes on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

typedef struct
{
  int     width;
  int     height;
  guint8 *pixels;
} LkGrayImage;

/**
 * LkExposure:
 * @mean: mean brightness, 0 (black) to 1 (white)
 * @shadows: share of pixels clipped to black
 * @highlights: share of pixels clipped to white
 * @balance: brightness difference between the left and the right half,
 *   0 (even) to 1
 */
typedef struct
{
  double mean;
  double shadows;
  double highlights;
  double balance;
} LkExposure;

LkGrayImage *lk_gray_image_new                (int                width,
                                               int                height);
LkGrayImage *lk_gray_image_new_from_pixbuf    (GdkPixbuf         *pixbuf);
LkGrayImage *lk_gray_image_scale              (const LkGrayImage *self,
                                               int                x,
                                               int                y,
                                               int                width,
                                               int                height,
                                               int                out_width,
                                               int                out_height);
void         lk_gray_image_free               (LkGrayImage       *self);
double       lk_gray_image_laplacian_variance (const LkGrayImage *self);
double       lk_gray_image_noise              (const LkGrayImage *self);
guint64      lk_gray_image_dhash              (const LkGrayImage *self);
double       lk_gray_image_symmetry           (const LkGrayImage *self);
void         lk_gray_image_exposure           (const LkGrayImage *self,
                                               LkExposure        *exposure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkGrayImage, lk_gray_image_free)

G_END_DECLS
