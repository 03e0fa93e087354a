/* lk-style-art.c: the picture of a style card: its icon on its colour, or
 * the user's latest portrait in that style, drawn to fill the widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-style-art"

#include "config.h"

#include "lk-style-art.h"

/* Portraits are decoded at this size at most: enough for the largest
 * card on a HiDPI screen, a small part of a full-size image. */
#define THUMBNAIL_SIZE 512

struct _LkStyleArt
{
  GtkWidget     parent_instance;

  char         *color;
  char         *icon_name;
  GFile        *thumbnail;
  GdkTexture   *texture;
  GCancellable *cancellable;
  GdkRGBA       background;
  GdkRGBA       foreground;
};

G_DEFINE_FINAL_TYPE (LkStyleArt, lk_style_art, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLOR,
  PROP_ICON_NAME,
  PROP_THUMBNAIL,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_texture (LkStyleArt *self,
             GdkTexture *texture)
{
  if (g_set_object (&self->texture, texture))
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
    }
}

static void
pixbuf_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkStyleArt) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (!(pixbuf = gdk_pixbuf_new_from_stream_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The portrait for a style card could not be shown: %s", error->message);
      return;
    }

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  set_texture (self, texture);
}

static void
thumbnail_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LkStyleArt) self = user_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (!(stream = g_file_read_finish (G_FILE (object), result, &error)))
    {
      /* A portrait deleted since is not worth a warning: the card shows
       * the style's icon instead. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("No portrait at %s", g_file_peek_path (G_FILE (object)));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The portrait for a style card could not be read: %s", error->message);
      return;
    }

  gdk_pixbuf_new_from_stream_at_scale_async (G_INPUT_STREAM (stream), THUMBNAIL_SIZE, THUMBNAIL_SIZE, TRUE,
                                             self->cancellable, pixbuf_loaded_cb, g_object_ref (self));
}

/* The icon is white on dark colours and dark on light ones. */
static void
update_colors (LkStyleArt *self)
{
  double luminance;

  if (self->color == NULL || !gdk_rgba_parse (&self->background, self->color))
    self->background = (GdkRGBA) { 0.47, 0.46, 0.48, 1.0 };

  luminance = 0.2126 * self->background.red + 0.7152 * self->background.green + 0.0722 * self->background.blue;
  if (luminance > 0.6)
    self->foreground = (GdkRGBA) { 0.0, 0.0, 0.0, 0.7 };
  else
    self->foreground = (GdkRGBA) { 1.0, 1.0, 1.0, 0.95 };

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
snapshot_texture (LkStyleArt  *self,
                  GtkSnapshot *snapshot,
                  float        width,
                  float        height)
{
  float texture_width = gdk_texture_get_width (self->texture);
  float texture_height = gdk_texture_get_height (self->texture);
  float scale = MAX (width / texture_width, height / texture_height);
  float drawn_width = texture_width * scale;
  float drawn_height = texture_height * scale;

  /* Cover the whole card, cropping what does not fit; portraits keep
   * their upper part, where the face is. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT ((width - drawn_width) / 2,
                                                    MIN (0, (height - drawn_height) / 4),
                                                    drawn_width, drawn_height));
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_icon (LkStyleArt  *self,
               GtkSnapshot *snapshot,
               float        width,
               float        height)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  int size = CLAMP ((int) (MIN (width, height) * 0.4f), 16, 64);
  g_autoptr(GtkIconPaintable) icon = NULL;

  icon = gtk_icon_theme_lookup_icon (theme, self->icon_name, NULL, size,
                                     gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                     gtk_widget_get_direction (GTK_WIDGET (self)), 0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - size) / 2, (height - size) / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, size, size,
                                            &self->foreground, 1);
  gtk_snapshot_restore (snapshot);
}

static void
lk_style_art_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LkStyleArt *self = LK_STYLE_ART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);

  /* The widget's overflow is hidden, so its CSS border-radius rounds
   * what is drawn here. */
  gtk_snapshot_append_color (snapshot, &self->background, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->texture != NULL)
    snapshot_texture (self, snapshot, width, height);
  else if (self->icon_name != NULL && *self->icon_name != '\0')
    snapshot_icon (self, snapshot, width, height);
}

static void
lk_style_art_dispose (GObject *object)
{
  LkStyleArt *self = LK_STYLE_ART (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->thumbnail);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (lk_style_art_parent_class)->dispose (object);
}

static void
lk_style_art_finalize (GObject *object)
{
  LkStyleArt *self = LK_STYLE_ART (object);

  g_free (self->color);
  g_free (self->icon_name);

  G_OBJECT_CLASS (lk_style_art_parent_class)->finalize (object);
}

static void
lk_style_art_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkStyleArt *self = LK_STYLE_ART (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;

    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;

    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_art_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkStyleArt *self = LK_STYLE_ART (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      lk_style_art_set_color (self, g_value_get_string (value));
      break;

    case PROP_ICON_NAME:
      lk_style_art_set_icon_name (self, g_value_get_string (value));
      break;

    case PROP_THUMBNAIL:
      lk_style_art_set_thumbnail (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_style_art_class_init (LkStyleArtClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_style_art_dispose;
  object_class->finalize = lk_style_art_finalize;
  object_class->get_property = lk_style_art_get_property;
  object_class->set_property = lk_style_art_set_property;

  widget_class->snapshot = lk_style_art_snapshot;

  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkStyleArt:texture:
   *
   * The portrait from #LkStyleArt:thumbnail once it is loaded; %NULL while
   * the icon shows.
   */
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "style-art");
}

static void
lk_style_art_init (LkStyleArt *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  update_colors (self);
}

GtkWidget *
lk_style_art_new (void)
{
  return g_object_new (LK_TYPE_STYLE_ART, NULL);
}

const char *
lk_style_art_get_color (LkStyleArt *self)
{
  g_return_val_if_fail (LK_IS_STYLE_ART (self), NULL);

  return self->color;
}

/**
 * lk_style_art_set_color:
 * @color: (nullable): a colour as `#rrggbb`
 */
void
lk_style_art_set_color (LkStyleArt *self,
                        const char *color)
{
  g_return_if_fail (LK_IS_STYLE_ART (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;

  g_free (self->color);
  self->color = g_strdup (color);
  update_colors (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

const char *
lk_style_art_get_icon_name (LkStyleArt *self)
{
  g_return_val_if_fail (LK_IS_STYLE_ART (self), NULL);

  return self->icon_name;
}

/**
 * lk_style_art_set_icon_name:
 * @icon_name: (nullable): a symbolic icon, or %NULL for the colour alone
 */
void
lk_style_art_set_icon_name (LkStyleArt *self,
                            const char *icon_name)
{
  g_return_if_fail (LK_IS_STYLE_ART (self));

  if (g_strcmp0 (self->icon_name, icon_name) == 0)
    return;

  g_free (self->icon_name);
  self->icon_name = g_strdup (icon_name);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

GFile *
lk_style_art_get_thumbnail (LkStyleArt *self)
{
  g_return_val_if_fail (LK_IS_STYLE_ART (self), NULL);

  return self->thumbnail;
}

/**
 * lk_style_art_set_thumbnail:
 * @thumbnail: (nullable): an image to show instead of the icon
 *
 * Loads @thumbnail in the background; the icon shows until it is loaded,
 * or for good when it cannot be.
 */
void
lk_style_art_set_thumbnail (LkStyleArt *self,
                            GFile      *thumbnail)
{
  g_return_if_fail (LK_IS_STYLE_ART (self));
  g_return_if_fail (thumbnail == NULL || G_IS_FILE (thumbnail));

  if (!g_set_object (&self->thumbnail, thumbnail))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_texture (self, NULL);

  if (thumbnail != NULL)
    {
      self->cancellable = g_cancellable_new ();
      g_file_read_async (thumbnail, G_PRIORITY_DEFAULT, self->cancellable,
                         thumbnail_opened_cb, g_object_ref (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

/**
 * lk_style_art_get_texture:
 *
 * Returns: (transfer none) (nullable): the portrait shown, once loaded
 */
GdkTexture *
lk_style_art_get_texture (LkStyleArt *self)
{
  g_return_val_if_fail (LK_IS_STYLE_ART (self), NULL);

  return self->texture;
}
