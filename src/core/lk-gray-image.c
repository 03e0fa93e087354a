/* lk-gray-image.c: a luminance image and the measurements the photo
 * scorer takes on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-gray-image"

#include "config.h"

#include <math.h>

#include "lk-gray-image.h"

/* Pixel values at or beyond these count as clipped. */
#define CLIPPED_SHADOW    10
#define CLIPPED_HIGHLIGHT 245

LkGrayImage *
lk_gray_image_new (int width,
                   int height)
{
  LkGrayImage *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_new0 (LkGrayImage, 1);
  self->width = width;
  self->height = height;
  self->pixels = g_malloc0_n ((gsize) width * height, 1);

  return self;
}

void
lk_gray_image_free (LkGrayImage *self)
{
  if (self == NULL)
    return;

  g_free (self->pixels);
  g_free (self);
}

/**
 * lk_gray_image_new_from_pixbuf:
 *
 * Returns: (transfer full): the luminance (Rec. 601 weights) of @pixbuf
 */
LkGrayImage *
lk_gray_image_new_from_pixbuf (GdkPixbuf *pixbuf)
{
  const guint8 *pixels;
  LkGrayImage *self;
  int channels;
  int stride;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (gdk_pixbuf_get_n_channels (pixbuf) >= 3, NULL);

  self = lk_gray_image_new (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < self->height; y++)
    {
      const guint8 *row = pixels + (gsize) y * stride;
      guint8 *out = self->pixels + (gsize) y * self->width;

      for (int x = 0; x < self->width; x++, row += channels)
        out[x] = (guint8) ((77 * row[0] + 150 * row[1] + 29 * row[2]) >> 8);
    }

  return self;
}

/* Resamples one line: the average over each output pixel's footprint when
 * shrinking (so no detail aliases into the result), linear interpolation
 * when enlarging. */
static void
resample_line (const float *in,
               gsize        in_stride,
               int          in_length,
               float       *out,
               gsize        out_stride,
               int          out_length)
{
  double step = (double) in_length / out_length;

  for (int o = 0; o < out_length; o++)
    {
      if (step >= 1.0)
        {
          double start = o * step;
          double end = start + step;
          double sum = 0.0;

          for (int i = (int) start; i < in_length && i < end; i++)
            {
              double weight = MIN (end, i + 1.0) - MAX (start, (double) i);

              sum += weight * in[i * in_stride];
            }

          out[o * out_stride] = (float) (sum / step);
        }
      else
        {
          double position = CLAMP ((o + 0.5) * step - 0.5, 0.0, in_length - 1.0);
          int i = (int) position;
          int next = MIN (i + 1, in_length - 1);
          double t = position - i;

          out[o * out_stride] = (float) ((1.0 - t) * in[i * in_stride] + t * in[next * in_stride]);
        }
    }
}

/**
 * lk_gray_image_scale:
 *
 * Cuts the rectangle @x, @y, @width, @height (clamped to the image) out
 * of @self and resamples it to @out_width by @out_height.
 *
 * Returns: (transfer full): the new image
 */
LkGrayImage *
lk_gray_image_scale (const LkGrayImage *self,
                     int                x,
                     int                y,
                     int                width,
                     int                height,
                     int                out_width,
                     int                out_height)
{
  g_autofree float *source = NULL;
  g_autofree float *rows = NULL;
  g_autofree float *result = NULL;
  LkGrayImage *scaled;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (out_width > 0 && out_height > 0, NULL);
  g_return_val_if_fail (out_width <= G_MAXINT16 && out_height <= G_MAXINT16, NULL);

  x = CLAMP (x, 0, self->width - 1);
  y = CLAMP (y, 0, self->height - 1);
  width = CLAMP (width, 1, self->width - x);
  height = CLAMP (height, 1, self->height - y);

  /* Bounded, so that the compiler sees the sizes below are too. */
  if (width > G_MAXINT16 || height > G_MAXINT16)
    return NULL;

  source = g_new (float, (gsize) width * height);
  for (int j = 0; j < height; j++)
    for (int i = 0; i < width; i++)
      source[(gsize) j * width + i] = self->pixels[(gsize) (y + j) * self->width + x + i];

  /* Rows first, then columns: the two passes make one separable filter. */
  rows = g_new (float, (gsize) out_width * height);
  for (int j = 0; j < height; j++)
    resample_line (source + (gsize) j * width, 1, width, rows + (gsize) j * out_width, 1, out_width);

  result = g_new (float, (gsize) out_width * out_height);
  for (int i = 0; i < out_width; i++)
    resample_line (rows + i, out_width, height, result + i, out_width, out_height);

  scaled = lk_gray_image_new (out_width, out_height);
  for (gsize k = 0; k < (gsize) out_width * out_height; k++)
    scaled->pixels[k] = (guint8) CLAMP (result[k] + 0.5f, 0.0f, 255.0f);

  return scaled;
}

/**
 * lk_gray_image_laplacian_variance:
 *
 * The variance of the Laplacian, divided by the variance of the image
 * itself: high when the image has crisp edges, low when it is blurred.
 * Dividing by the image's own variance makes it independent of contrast,
 * so a dark photo does not pass for a blurred one.
 */
double
lk_gray_image_laplacian_variance (const LkGrayImage *self)
{
  double sum = 0.0, sum_squares = 0.0;
  double pixel_sum = 0.0, pixel_squares = 0.0;
  double laplacian_variance;
  double image_variance;
  gsize count = 0;

  g_return_val_if_fail (self != NULL, 0.0);

  for (int y = 1; y < self->height - 1; y++)
    {
      const guint8 *row = self->pixels + (gsize) y * self->width;

      for (int x = 1; x < self->width - 1; x++)
        {
          double value = row[x - 1] + row[x + 1] + row[x - self->width] + row[x + self->width] - 4.0 * row[x];

          sum += value;
          sum_squares += value * value;
          pixel_sum += row[x];
          pixel_squares += (double) row[x] * row[x];
          count++;
        }
    }

  if (count == 0)
    return 0.0;

  laplacian_variance = sum_squares / count - (sum / count) * (sum / count);
  image_variance = pixel_squares / count - (pixel_sum / count) * (pixel_sum / count);

  return image_variance > 1.0 ? laplacian_variance / image_variance : 0.0;
}

/**
 * lk_gray_image_noise:
 *
 * Immerkær's fast noise variance estimation (1996): the mask below
 * cancels smooth gradients and edges to first order, so what is left
 * is mostly noise.
 *
 * Returns: the estimated standard deviation of the noise, in pixel levels
 */
double
lk_gray_image_noise (const LkGrayImage *self)
{
  double sum = 0.0;

  g_return_val_if_fail (self != NULL, 0.0);

  if (self->width < 3 || self->height < 3)
    return 0.0;

  for (int y = 1; y < self->height - 1; y++)
    {
      const guint8 *above = self->pixels + (gsize) (y - 1) * self->width;
      const guint8 *row = above + self->width;
      const guint8 *below = row + self->width;

      for (int x = 1; x < self->width - 1; x++)
        {
          int value = above[x - 1] - 2 * above[x] + above[x + 1]
                      - 2 * row[x - 1] + 4 * row[x] - 2 * row[x + 1]
                      + below[x - 1] - 2 * below[x] + below[x + 1];

          sum += ABS (value);
        }
    }

  return sqrt (G_PI / 2.0) * sum / (6.0 * (self->width - 2) * (self->height - 2));
}

/**
 * lk_gray_image_dhash:
 *
 * The difference hash: the image shrunk to 9 by 8, one bit per pair of
 * neighbours in a row telling which is brighter. Near-duplicates differ
 * in few bits.
 */
guint64
lk_gray_image_dhash (const LkGrayImage *self)
{
  g_autoptr(LkGrayImage) small = NULL;
  guint64 hash = 0;

  g_return_val_if_fail (self != NULL, 0);

  small = lk_gray_image_scale (self, 0, 0, self->width, self->height, 9, 8);

  for (int y = 0; y < 8; y++)
    for (int x = 0; x < 8; x++)
      hash = (hash << 1) | (small->pixels[y * 9 + x] < small->pixels[y * 9 + x + 1]);

  return hash;
}

/**
 * lk_gray_image_symmetry:
 *
 * How much the left half mirrors the right half: the correlation of the
 * two, 0 (unrelated) to 1 (mirror images). A face seen from the front
 * is close to symmetric; a face turned aside is not. Correlation ignores
 * a difference in brightness between the halves, which is lighting, not
 * pose.
 */
double
lk_gray_image_symmetry (const LkGrayImage *self)
{
  double sum_l = 0.0, sum_r = 0.0, sum_ll = 0.0, sum_rr = 0.0, sum_lr = 0.0;
  double n;
  double covariance;
  double variance;
  int half;

  g_return_val_if_fail (self != NULL, 0.0);

  half = self->width / 2;
  if (half == 0)
    return 0.0;

  for (int y = 0; y < self->height; y++)
    {
      const guint8 *row = self->pixels + (gsize) y * self->width;

      for (int x = 0; x < half; x++)
        {
          double l = row[x];
          double r = row[self->width - 1 - x];

          sum_l += l;
          sum_r += r;
          sum_ll += l * l;
          sum_rr += r * r;
          sum_lr += l * r;
        }
    }

  n = (double) half * self->height;
  covariance = sum_lr / n - (sum_l / n) * (sum_r / n);
  variance = sqrt (MAX (0.0, sum_ll / n - (sum_l / n) * (sum_l / n)) *
                   MAX (0.0, sum_rr / n - (sum_r / n) * (sum_r / n)));

  if (variance < 1e-6)
    return 0.0;

  return CLAMP (covariance / variance, 0.0, 1.0);
}

void
lk_gray_image_exposure (const LkGrayImage *self,
                        LkExposure        *exposure)
{
  double sum = 0.0, left = 0.0, right = 0.0;
  gsize shadows = 0, highlights = 0;
  gsize count;
  int half;

  g_return_if_fail (self != NULL);
  g_return_if_fail (exposure != NULL);

  count = (gsize) self->width * self->height;
  half = self->width / 2;

  for (int y = 0; y < self->height; y++)
    {
      const guint8 *row = self->pixels + (gsize) y * self->width;

      for (int x = 0; x < self->width; x++)
        {
          sum += row[x];
          shadows += row[x] <= CLIPPED_SHADOW;
          highlights += row[x] >= CLIPPED_HIGHLIGHT;

          if (x < half)
            left += row[x];
          else if (x >= self->width - half)
            right += row[x];
        }
    }

  exposure->mean = sum / count / 255.0;
  exposure->shadows = (double) shadows / count;
  exposure->highlights = (double) highlights / count;
  exposure->balance = half > 0 ? fabs (left - right) / ((double) half * self->height * 255.0) : 0.0;
}
