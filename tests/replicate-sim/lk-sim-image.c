/* lk-sim-image.c: renders the distinct pictures a simulated prediction outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-sim-image"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lk-sim-private.h"

#define IMAGE_SIZE 256

typedef struct
{
  guint8 r, g, b;
} Colour;

static Colour
random_colour (GRand *rand)
{
  Colour colour = {
    g_rand_int_range (rand, 0, 256),
    g_rand_int_range (rand, 0, 256),
    g_rand_int_range (rand, 0, 256),
  };

  return colour;
}

static guint8
mix (guint8 a,
     guint8 b,
     guint  weight_b,
     guint  total)
{
  return (a * (total - weight_b) + b * weight_b) / total;
}

static void
paint (GdkPixbuf *pixbuf,
       GRand     *rand)
{
  Colour top = random_colour (rand);
  Colour bottom = random_colour (rand);
  Colour stripe = random_colour (rand);
  Colour disc = random_colour (rand);
  int period = g_rand_int_range (rand, 8, 48);
  int dx = g_rand_int_range (rand, 0, 3);
  int dy = dx == 0 ? 1 : g_rand_int_range (rand, 0, 3);
  int cx = g_rand_int_range (rand, IMAGE_SIZE / 4, 3 * IMAGE_SIZE / 4);
  int cy = g_rand_int_range (rand, IMAGE_SIZE / 4, 3 * IMAGE_SIZE / 4);
  int rx = g_rand_int_range (rand, IMAGE_SIZE / 8, IMAGE_SIZE / 3);
  int ry = g_rand_int_range (rand, IMAGE_SIZE / 8, IMAGE_SIZE / 3);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < IMAGE_SIZE; y++)
    for (int x = 0; x < IMAGE_SIZE; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        gint64 ex = (gint64) (x - cx) * ry;
        gint64 ey = (gint64) (y - cy) * rx;
        Colour c = {
          mix (top.r, bottom.r, y, IMAGE_SIZE),
          mix (top.g, bottom.g, y, IMAGE_SIZE),
          mix (top.b, bottom.b, y, IMAGE_SIZE),
        };

        if (((x * dx + y * dy) / period) % 2 == 0)
          c = (Colour) { mix (c.r, stripe.r, 1, 3), mix (c.g, stripe.g, 1, 3), mix (c.b, stripe.b, 1, 3) };
        if (ex * ex + ey * ey <= (gint64) rx * rx * ry * ry)
          c = disc;

        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
      }
}

/**
 * lk_sim_image_content_type:
 * @format: "png", "jpg" or "jpeg"
 *
 * Returns: the MIME type of an image written in @format
 */
const char *
lk_sim_image_content_type (const char *format)
{
  return g_str_equal (format, "png") ? "image/png" : "image/jpeg";
}

/**
 * lk_sim_image_render:
 * @id: the prediction's id
 * @index: which of its outputs
 * @seed: the prediction's seed
 * @format: "png", "jpg" or "jpeg"
 *
 * Draws a gradient, stripes and an ellipse whose colours and geometry
 * come from @id, @index and @seed, so every output of every prediction
 * is a different, decodable image and the same arguments give the same
 * picture again.
 *
 * Returns: (transfer full): the encoded image
 */
GBytes *
lk_sim_image_render (const char  *id,
                     guint        index,
                     gint64       seed,
                     const char  *format,
                     GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_SIZE, IMAGE_SIZE);
  g_autofree char *key = g_strdup_printf ("%s/%u/%" G_GINT64_FORMAT, id, index, seed);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (key));
  g_autofree char *buffer = NULL;
  gsize length = 0;
  gboolean saved;

  paint (pixbuf, rand);

  if (g_str_equal (format, "png"))
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error, NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", error, "quality", "90", NULL);

  if (!saved)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}
