/* lk-reference-prep.c: turns a chosen photo into the file that is
 * uploaded: upright, cropped around the face, downscaled, re-encoded
 * without any metadata.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-reference-prep"

#include "config.h"

#include <math.h>

#include "lk-image.h"
#include "lk-reference-prep.h"

/* The face takes about 45% of the crop's width and sits a little above
 * its middle, as in a head-and-shoulders portrait; the crop is 3:4. */
#define FACE_WIDTH_SHARE 0.45
#define FACE_CENTRE_HEIGHT 0.42
#define ASPECT (4.0 / 3.0)

struct _LkReferencePrep
{
  GObject parent_instance;
  int     max_size;
  int     quality;
};

G_DEFINE_FINAL_TYPE (LkReferencePrep, lk_reference_prep, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_SIZE,
  PROP_QUALITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} Crop;

/* The portrait crop around the face, in pixels of the upright photo,
 * shrunk to fit the photo if need be and shifted inside it. */
static void
portrait_crop (const LkPhotoMetrics *metrics,
               Crop                 *crop)
{
  double fit;

  crop->width = metrics->face_width / FACE_WIDTH_SHARE;
  crop->height = crop->width * ASPECT;

  fit = MIN (1.0, MIN (metrics->width / crop->width, metrics->height / crop->height));
  crop->width *= fit;
  crop->height *= fit;

  crop->x = metrics->face_x + metrics->face_width / 2.0 - crop->width / 2.0;
  crop->y = metrics->face_y + metrics->face_height / 2.0 - crop->height * FACE_CENTRE_HEIGHT;
  crop->x = CLAMP (crop->x, 0.0, metrics->width - crop->width);
  crop->y = CLAMP (crop->y, 0.0, metrics->height - crop->height);
}

/* Cuts @crop, in pixels of the whole photo, out of @pixbuf, which is
 * the photo decoded at @factor of its size. */
static GdkPixbuf *
crop_pixbuf (GdkPixbuf  *pixbuf,
             const Crop *crop,
             double      factor)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int x = CLAMP ((int) round (crop->x * factor), 0, width - 1);
  int y = CLAMP ((int) round (crop->y * factor), 0, height - 1);
  int w = CLAMP ((int) round (crop->width * factor), 1, width - x);
  int h = CLAMP ((int) round (crop->height * factor), 1, height - y);

  return gdk_pixbuf_new_subpixbuf (pixbuf, x, y, w, h);
}

/**
 * lk_reference_prep_prepare:
 * @photo: an analyzed photo; without a face box it is kept whole
 *
 * Blocks: call it in a thread, or use lk_reference_prep_prepare_async().
 *
 * Returns: (transfer full): the JPEG file's bytes, with no EXIF, GPS, XMP
 *   or comment, or %NULL with @error set
 */
GBytes *
lk_reference_prep_prepare (LkReferencePrep  *self,
                           LkPhoto          *photo,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) cropped = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autofree char *quality = NULL;
  const LkPhotoMetrics *metrics;
  gchar *buffer = NULL;
  gsize length = 0;
  Crop crop = { 0 };
  double ratio;
  int decode_size;
  int width;
  int height;
  int longest;

  g_return_val_if_fail (LK_IS_REFERENCE_PREP (self), NULL);
  g_return_val_if_fail (LK_IS_PHOTO (photo), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  metrics = lk_photo_get_metrics (photo);
  if (metrics != NULL && metrics->faces > 0)
    {
      portrait_crop (metrics, &crop);
      /* Decode only as large as the crop needs to be. */
      ratio = MIN (1.0, self->max_size / MAX (crop.width, crop.height));
      decode_size = (int) ceil (MAX (metrics->width, metrics->height) * ratio);
    }
  else
    {
      decode_size = self->max_size;
    }

  pixbuf = lk_image_load (lk_photo_get_path (photo), decode_size, &width, &height, error);
  if (pixbuf == NULL)
    return NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (metrics == NULL || metrics->faces == 0)
    crop = (Crop) { 0, 0, width, height };

  cropped = crop_pixbuf (pixbuf, &crop, (double) gdk_pixbuf_get_width (pixbuf) / width);

  width = gdk_pixbuf_get_width (cropped);
  height = gdk_pixbuf_get_height (cropped);
  longest = MAX (width, height);
  if (longest > self->max_size)
    scaled = gdk_pixbuf_scale_simple (cropped,
                                      MAX (1, width * self->max_size / longest),
                                      MAX (1, height * self->max_size / longest),
                                      GDK_INTERP_BILINEAR);
  else
    scaled = g_object_ref (cropped);

  /* GdkPixbuf's JPEG encoder writes a bare JFIF header: no EXIF (with
   * its GPS position), XMP or comment unless asked to. */
  quality = g_strdup_printf ("%d", self->quality);
  if (!gdk_pixbuf_save_to_buffer (scaled, &buffer, &length, "jpeg", error,
                                  "quality", quality, NULL))
    return NULL;

  return g_bytes_new_take (buffer, length);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes;

  bytes = lk_reference_prep_prepare (source_object, task_data, cancellable, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * lk_reference_prep_prepare_async:
 *
 * Like lk_reference_prep_prepare(), in a worker thread.
 */
void
lk_reference_prep_prepare_async (LkReferencePrep     *self,
                                 LkPhoto             *photo,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_REFERENCE_PREP (self));
  g_return_if_fail (LK_IS_PHOTO (photo));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_reference_prep_prepare_async);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_task_run_in_thread (task, prepare_thread);
}

/**
 * lk_reference_prep_prepare_finish:
 *
 * Returns: (transfer full): the JPEG file's bytes, or %NULL with @error set
 */
GBytes *
lk_reference_prep_prepare_finish (LkReferencePrep  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (LK_IS_REFERENCE_PREP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

int
lk_reference_prep_get_max_size (LkReferencePrep *self)
{
  g_return_val_if_fail (LK_IS_REFERENCE_PREP (self), 0);

  return self->max_size;
}

/**
 * lk_reference_prep_set_max_size:
 * @max_size: the longest side of the prepared image, in pixels
 */
void
lk_reference_prep_set_max_size (LkReferencePrep *self,
                                int              max_size)
{
  g_return_if_fail (LK_IS_REFERENCE_PREP (self));
  g_return_if_fail (max_size >= 64);

  if (self->max_size == max_size)
    return;

  self->max_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SIZE]);
}

int
lk_reference_prep_get_quality (LkReferencePrep *self)
{
  g_return_val_if_fail (LK_IS_REFERENCE_PREP (self), 0);

  return self->quality;
}

/**
 * lk_reference_prep_set_quality:
 * @quality: the JPEG quality, 1 to 100
 */
void
lk_reference_prep_set_quality (LkReferencePrep *self,
                               int              quality)
{
  g_return_if_fail (LK_IS_REFERENCE_PREP (self));
  g_return_if_fail (quality >= 1 && quality <= 100);

  if (self->quality == quality)
    return;

  self->quality = quality;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY]);
}

static void
lk_reference_prep_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LkReferencePrep *self = LK_REFERENCE_PREP (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      g_value_set_int (value, self->max_size);
      break;

    case PROP_QUALITY:
      g_value_set_int (value, self->quality);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_reference_prep_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LkReferencePrep *self = LK_REFERENCE_PREP (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      lk_reference_prep_set_max_size (self, g_value_get_int (value));
      break;

    case PROP_QUALITY:
      lk_reference_prep_set_quality (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_reference_prep_class_init (LkReferencePrepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = lk_reference_prep_get_property;
  object_class->set_property = lk_reference_prep_set_property;

  /** LkReferencePrep:max-size: the longest side of the prepared image */
  properties[PROP_MAX_SIZE] = g_param_spec_int ("max-size", NULL, NULL, 64, 8192,
                                                LK_REFERENCE_PREP_MAX_SIZE, rw);
  /** LkReferencePrep:quality: the JPEG quality */
  properties[PROP_QUALITY] = g_param_spec_int ("quality", NULL, NULL, 1, 100,
                                               LK_REFERENCE_PREP_QUALITY, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_reference_prep_init (LkReferencePrep *self)
{
  self->max_size = LK_REFERENCE_PREP_MAX_SIZE;
  self->quality = LK_REFERENCE_PREP_QUALITY;
}

/**
 * lk_reference_prep_new:
 *
 * Returns: (transfer full): a preparer with the defaults: 1536 pixels,
 *   quality 92
 */
LkReferencePrep *
lk_reference_prep_new (void)
{
  return g_object_new (LK_TYPE_REFERENCE_PREP, NULL);
}
