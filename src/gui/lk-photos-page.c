/* lk-photos-page.c: the Photos page: photos dropped or chosen, ranked as
 * references, with the reasons and the person's last word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-photos-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-image.h"
#include "lk-photos-page.h"

#define THUMBNAIL_SIZE 256
#define TILE_SIZE 160
#define DETAIL_SIZE 1024

struct _LkPhotosPage
{
  AdwBin              parent_instance;

  LkPhotoScorer      *scorer;
  GCancellable       *cancellable;
  GCancellable       *detail_cancellable;
  GtkSorter          *sorter;
  GtkSingleSelection *selection;
  LkPhoto            *detail_photo;
  GBinding           *pin_binding;
  GBinding           *exclude_binding;

  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkSpinner         *spinner;
  GtkLabel           *progress_label;
  GtkLabel           *guidance_label;
  GtkLabel           *face_note_label;
  GtkGridView        *grid_view;
  GtkStack           *detail_stack;
  GtkPicture         *detail_picture;
  GtkLabel           *detail_title;
  GtkToggleButton    *pin_button;
  GtkToggleButton    *exclude_button;
  GtkListBox         *metrics_list;
  GtkExpander        *skipped_expander;
  GtkListBox         *skipped_list;
};

G_DEFINE_FINAL_TYPE (LkPhotosPage, lk_photos_page, ADW_TYPE_BIN)

static void
update_state (LkPhotosPage *self)
{
  GListModel *skipped = lk_photo_scorer_get_skipped (self->scorer);
  guint n_photos = g_list_model_get_n_items (lk_photo_scorer_get_photos (self->scorer));
  guint n_skipped = g_list_model_get_n_items (skipped);
  guint n_pending = lk_photo_scorer_get_n_pending (self->scorer);
  gboolean busy = lk_photo_scorer_get_busy (self->scorer);
  g_autofree char *summary = lk_photo_scorer_dup_summary (self->scorer);
  g_autofree char *progress = NULL;
  g_autofree char *skipped_title = NULL;

  gtk_stack_set_visible_child_name (self->stack, n_photos + n_skipped > 0 || busy ? "photos" : "empty");
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->guidance_label,
                       lk_photo_count_get_advice (lk_photo_scorer_get_count (self->scorer)));

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (busy)
    progress = n_pending > 0
               ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scoring %u photo…", "Scoring %u photos…", n_pending), n_pending)
               : g_strdup (_("Looking for photos…"));
  gtk_label_set_label (self->progress_label, progress);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), busy);

  skipped_title = g_strdup_printf (_("Skipped (%u): not usable as photos"), n_skipped);
  gtk_expander_set_label (self->skipped_expander, skipped_title);
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_expander), n_skipped > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photos.clear", n_photos + n_skipped > 0 || busy);
}

static void
scorer_notify_cb (LkPhotosPage *self)
{
  update_state (self);
}

static void
ranking_changed_cb (LkPhotosPage *self)
{
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  update_state (self);
}

static int
compare_rank (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint ra = lk_photo_get_rank ((LkPhoto *) a);
  guint rb = lk_photo_get_rank ((LkPhoto *) b);

  /* Photos not ranked yet go last. */
  ra = ra == 0 ? G_MAXUINT : ra;
  rb = rb == 0 ? G_MAXUINT : rb;

  return ra < rb ? -1 : ra > rb;
}

/* Textures are made once per photo from the thumbnail the scorer made on
 * its worker: nothing is decoded here. */
static GdkTexture *
photo_texture (LkPhoto *photo)
{
  GdkTexture *texture = g_object_get_data (G_OBJECT (photo), "lk-texture");
  GdkPixbuf *thumbnail = lk_photo_get_thumbnail (photo);

  if (texture == NULL && thumbnail != NULL)
    {
      texture = gdk_texture_new_for_pixbuf (thumbnail);
      g_object_set_data_full (G_OBJECT (photo), "lk-texture", texture, g_object_unref);
    }

  return texture;
}

static const char *
badge_text (LkPhoto     *photo,
            const char **css_class)
{
  if (lk_photo_get_pinned (photo))
    {
      *css_class = "pinned";
      return _("Pinned");
    }

  if (lk_photo_get_excluded (photo))
    {
      *css_class = "excluded";
      return _("Excluded");
    }

  if (lk_photo_get_recommended (photo))
    {
      *css_class = "recommended";
      return _("Recommended");
    }

  *css_class = NULL;
  return NULL;
}

static void
update_tile (GtkWidget *tile,
             LkPhoto   *photo)
{
  GtkPicture *picture = g_object_get_data (G_OBJECT (tile), "picture");
  GtkLabel *badge = g_object_get_data (G_OBJECT (tile), "badge");
  GtkLabel *rank = g_object_get_data (G_OBJECT (tile), "rank");
  GtkLabel *reason = g_object_get_data (G_OBJECT (tile), "reason");
  const char *main_reason = lk_photo_get_main_reason (photo);
  const char *css_class;
  const char *text = badge_text (photo, &css_class);
  g_autofree char *rank_text = NULL;

  gtk_picture_set_paintable (picture, GDK_PAINTABLE (photo_texture (photo)));

  gtk_widget_set_visible (GTK_WIDGET (badge), text != NULL);
  gtk_label_set_label (badge, text);
  gtk_widget_remove_css_class (GTK_WIDGET (badge), "pinned");
  gtk_widget_remove_css_class (GTK_WIDGET (badge), "excluded");
  gtk_widget_remove_css_class (GTK_WIDGET (badge), "recommended");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (badge), css_class);

  /* Translators: a photo's place in the ranking and its score out of 100. */
  rank_text = g_strdup_printf (_("#%u · %.0f"), lk_photo_get_rank (photo), lk_photo_get_score (photo));
  gtk_label_set_label (rank, rank_text);
  gtk_label_set_label (reason, main_reason != NULL ? main_reason : _("Good reference"));
  gtk_widget_set_tooltip_text (tile, lk_photo_get_name (photo));
}

static void
tile_photo_notify_cb (LkPhoto    *photo,
                      GParamSpec *pspec,
                      GtkWidget  *tile)
{
  update_tile (tile, photo);
}

static void
setup_tile_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LkPhotosPage             *self)
{
  GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *badge = gtk_label_new (NULL);
  GtkWidget *rank = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, TILE_SIZE, TILE_SIZE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (overlay, "card");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  gtk_widget_set_halign (badge, GTK_ALIGN_START);
  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_widget_set_margin_start (badge, 6);
  gtk_widget_set_margin_top (badge, 6);
  gtk_widget_add_css_class (badge, "photo-badge");
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);

  gtk_label_set_xalign (GTK_LABEL (rank), 0);
  gtk_widget_add_css_class (rank, "heading");
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_ellipsize (GTK_LABEL (reason), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (reason), 18);
  gtk_widget_add_css_class (reason, "caption");
  gtk_widget_add_css_class (reason, "dim-label");

  gtk_box_append (GTK_BOX (tile), overlay);
  gtk_box_append (GTK_BOX (tile), rank);
  gtk_box_append (GTK_BOX (tile), reason);
  gtk_widget_set_margin_start (tile, 6);
  gtk_widget_set_margin_end (tile, 6);
  gtk_widget_set_margin_top (tile, 6);
  gtk_widget_set_margin_bottom (tile, 6);

  g_object_set_data (G_OBJECT (tile), "picture", picture);
  g_object_set_data (G_OBJECT (tile), "badge", badge);
  g_object_set_data (G_OBJECT (tile), "rank", rank);
  g_object_set_data (G_OBJECT (tile), "reason", reason);
  gtk_list_item_set_child (item, tile);
}

static void
bind_tile_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LkPhotosPage             *self)
{
  LkPhoto *photo = gtk_list_item_get_item (item);
  GtkWidget *tile = gtk_list_item_get_child (item);

  update_tile (tile, photo);
  g_signal_connect_object (photo, "notify", G_CALLBACK (tile_photo_notify_cb), tile, 0);
}

static void
unbind_tile_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                LkPhotosPage             *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), tile_photo_notify_cb,
                                        gtk_list_item_get_child (item));
}

static GtkWidget *
create_skipped_row (gpointer item,
                    gpointer user_data)
{
  LkPhoto *photo = item;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_photo_get_name (photo));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), lk_photo_get_skip_reason (photo));
  gtk_widget_set_tooltip_text (row, lk_photo_get_path (photo));

  return row;
}

/* The detail view. */

static const char *
grade (double part)
{
  if (part >= 0.7)
    return _("Good");
  if (part >= 0.35)
    return _("Fair");
  return _("Poor");
}

static void
add_metric (LkPhotosPage *self,
            const char   *title,
            const char   *explanation,
            const char   *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), explanation);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (self->metrics_list, row);
}

static void
show_metrics (LkPhotosPage *self,
              LkPhoto      *photo)
{
  const LkPhotoMetrics *m = lk_photo_get_metrics (photo);
  g_auto(GStrv) reasons = lk_photo_get_reasons (photo);
  g_autofree char *score = g_strdup_printf ("%.0f / 100", lk_photo_get_score (photo));
  g_autofree char *reasons_text = g_strjoinv (", ", reasons);
  g_autofree char *size = g_strdup_printf ("%d x %d", m->width, m->height);
  g_autofree char *faces = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->metrics_list))))
    gtk_list_box_remove (self->metrics_list, child);

  add_metric (self, _("Score"),
              *reasons_text ? reasons_text : _("Nothing holds this photo back"), score);
  add_metric (self, _("Resolution"),
              _("The size of the photo: 1024 pixels or more on the short side keeps the face's detail"),
              size);

  if (m->face_checked)
    {
      faces = m->faces == 0 ? g_strdup (_("None"))
                            : g_strdup_printf (_("%u, %.0f%% of the photo"), m->faces, m->face_share * 100);
      add_metric (self, _("Face"),
                  _("One face, large in the frame, gives the model the most to work with"), faces);
      add_metric (self, _("Pose"),
                  _("A symmetric face with both eyes visible: looking at the camera"),
                  m->faces > 0 ? grade (m->frontal_part) : _("Unknown"));
    }
  else
    {
      add_metric (self, _("Face"), _("Face checks are unavailable in this build"), _("Unknown"));
    }

  add_metric (self, _("Sharpness"),
              _("Crisp edges on the face; blur carries over into every portrait"),
              grade (m->sharpness_part));
  add_metric (self, _("Exposure"),
              _("Neither too dark nor washed out, and lit evenly from both sides"),
              grade (m->exposure_part));
  add_metric (self, _("Noise"),
              _("Grain from low light hides fine detail"),
              grade (m->noise_part));
}

static void
draw_box (GdkPixbuf *pixbuf,
          int        x,
          int        y,
          int        width,
          int        height)
{
  int line = MAX (2, gdk_pixbuf_get_width (pixbuf) / 200);
  int image_width = gdk_pixbuf_get_width (pixbuf);
  int image_height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  /* The accent blue of the GNOME palette. */
  for (int j = MAX (0, y - line); j < MIN (image_height, y + height + line); j++)
    for (int i = MAX (0, x - line); i < MIN (image_width, x + width + line); i++)
      {
        gboolean inside = i >= x && i < x + width && j >= y && j < y + height;

        if (!inside)
          {
            guint8 *p = pixels + j * stride + i * channels;

            p[0] = 0x35;
            p[1] = 0x84;
            p[2] = 0xe4;
          }
      }
}

static void
load_detail_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LkPhoto *photo = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) copy = NULL;
  GError *error = NULL;
  int width, height, x, y, w, h;

  pixbuf = lk_image_load (lk_photo_get_path (photo), DETAIL_SIZE, &width, &height, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  copy = gdk_pixbuf_copy (pixbuf);
  if (lk_photo_get_face_box (photo, &x, &y, &w, &h))
    {
      double factor = (double) gdk_pixbuf_get_width (copy) / width;

      draw_box (copy, (int) (x * factor), (int) (y * factor), (int) (w * factor), (int) (h * factor));
    }

  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (copy), g_object_unref);
}

static void
load_detail_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkPhotosPage *self = LK_PHOTOS_PAGE (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      /* The file changed since it was scored; the thumbnail still shows. */
      g_warning ("Cannot show %s: %s", lk_photo_get_path (self->detail_photo), error->message);
      return;
    }

  gtk_picture_set_paintable (self->detail_picture, GDK_PAINTABLE (texture));
}

static void
show_detail (LkPhotosPage *self,
             LkPhoto      *photo)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->detail_cancellable);
  g_clear_object (&self->detail_cancellable);
  g_clear_pointer (&self->pin_binding, g_binding_unbind);
  g_clear_pointer (&self->exclude_binding, g_binding_unbind);
  g_set_object (&self->detail_photo, photo);

  gtk_stack_set_visible_child_name (self->detail_stack, photo != NULL ? "photo" : "none");
  if (photo == NULL)
    return;

  gtk_label_set_label (self->detail_title, lk_photo_get_name (photo));
  gtk_picture_set_paintable (self->detail_picture, GDK_PAINTABLE (photo_texture (photo)));
  show_metrics (self, photo);

  self->pin_binding = g_object_bind_property (photo, "pinned", self->pin_button, "active",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  self->exclude_binding = g_object_bind_property (photo, "excluded", self->exclude_button, "active",
                                                  G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  /* The larger picture is decoded on a worker thread. */
  self->detail_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->detail_cancellable, load_detail_cb, NULL);
  g_task_set_source_tag (task, show_detail);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_task_run_in_thread (task, load_detail_thread);
}

static void
selection_changed_cb (LkPhotosPage *self)
{
  show_detail (self, gtk_single_selection_get_selected_item (self->selection));
}

/* Getting photos in. */

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkPhotosPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_photo_scorer_add_finish (LK_PHOTO_SCORER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Adding photos failed: %s", error->message);

  update_state (self);
}

/**
 * lk_photos_page_add_files:
 * @files: (array length=n_files): photos and folders
 *
 * Adds photos, as dropping them on the page does: folders are scanned,
 * every photo is scored in the background, and the grid fills as each
 * one is done.
 */
void
lk_photos_page_add_files (LkPhotosPage  *self,
                          GFile * const *files,
                          guint          n_files)
{
  g_return_if_fail (LK_IS_PHOTOS_PAGE (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  lk_photo_scorer_add_async (self->scorer, files, n_files, self->cancellable,
                             add_done_cb, g_object_ref (self));
  update_state (self);
}

static gboolean
drop_target_drop_cb (GtkDropTarget *target,
                     const GValue  *value,
                     double         x,
                     double         y,
                     LkPhotosPage  *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);

  lk_photos_page_add_files (self, (GFile * const *) files->pdata, files->len);

  return files->len > 0;
}

static void
add_list_model (LkPhotosPage *self,
                GListModel   *list)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_ptr_array_add (files, g_list_model_get_item (list, i));

  lk_photos_page_add_files (self, (GFile * const *) files->pdata, files->len);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
open_multiple_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkPhotosPage) self = user_data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (files != NULL)
    add_list_model (self, files);
}

static void
select_folder_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkPhotosPage) self = user_data;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (folder != NULL)
    lk_photos_page_add_files (self, &folder, 1);
}

static void
choose (LkPhotosPage *self,
        gboolean      folder)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

  if (folder)
    {
      gtk_file_dialog_set_title (dialog, _("Add a Folder of Photos"));
      gtk_file_dialog_select_folder (dialog, parent, self->cancellable, select_folder_cb, g_object_ref (self));
    }
  else
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

      gtk_file_filter_set_name (filter, _("Photos"));
      gtk_file_filter_add_pixbuf_formats (filter);
      g_list_store_append (filters, filter);
      gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
      gtk_file_dialog_set_title (dialog, _("Add Photos"));
      gtk_file_dialog_open_multiple (dialog, parent, self->cancellable, open_multiple_cb, g_object_ref (self));
    }
}
#else
static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     LkPhotosPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      add_list_model (self, files);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose (LkPhotosPage *self,
        gboolean      folder)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (folder ? _("Add a Folder of Photos") : _("Add Photos"),
                                         parent,
                                         folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (!folder)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Photos"));
      gtk_file_filter_add_pixbuf_formats (filter);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif

static void
add_photos_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  choose (LK_PHOTOS_PAGE (widget), FALSE);
}

static void
add_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  choose (LK_PHOTOS_PAGE (widget), TRUE);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LkPhotosPage *self = LK_PHOTOS_PAGE (widget);

  show_detail (self, NULL);
  lk_photo_scorer_clear (self->scorer);
  update_state (self);
}

static void
lk_photos_page_dispose (GObject *object)
{
  LkPhotosPage *self = LK_PHOTOS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->detail_cancellable);
  g_clear_pointer (&self->pin_binding, g_binding_unbind);
  g_clear_pointer (&self->exclude_binding, g_binding_unbind);

  if (self->scorer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scorer, self);
      g_signal_handlers_disconnect_by_data (lk_photo_scorer_get_skipped (self->scorer), self);
    }
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  /* No gtk_widget_dispose_template(): the template's only direct child
   * is the AdwBin's child, which AdwBin unparents itself. */

  g_clear_object (&self->detail_photo);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorter);
  g_clear_object (&self->scorer);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->detail_cancellable);

  G_OBJECT_CLASS (lk_photos_page_parent_class)->dispose (object);
}

static void
lk_photos_page_class_init (LkPhotosPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_photos_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/lk-photos-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, guidance_label);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, face_note_label);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, detail_picture);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, pin_button);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, exclude_button);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, metrics_list);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, skipped_expander);
  gtk_widget_class_bind_template_child (widget_class, LkPhotosPage, skipped_list);

  gtk_widget_class_install_action (widget_class, "photos.add-photos", NULL, add_photos_action);
  gtk_widget_class_install_action (widget_class, "photos.add-folder", NULL, add_folder_action);
  gtk_widget_class_install_action (widget_class, "photos.clear", NULL, clear_action);
}

static void
lk_photos_page_init (LkPhotosPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkSortListModel *sorted;
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->scorer = lk_photo_scorer_new ();
  lk_photo_scorer_set_thumbnail_size (self->scorer, THUMBNAIL_SIZE);
  g_settings_bind (settings, "reference-count", self->scorer, "top-count", G_SETTINGS_BIND_GET);

  /* Files and folders dropped anywhere on the page; GTK highlights the
   * page while a drop hovers over it. */
  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop_target, "drop", G_CALLBACK (drop_target_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  /* Ranked order: recommended first, then by score, as the scorer ranks. */
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rank, NULL, NULL));
  sorted = gtk_sort_list_model_new (g_object_ref (lk_photo_scorer_get_photos (self->scorer)),
                                    g_object_ref (self->sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_tile_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tile_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  gtk_list_box_bind_model (self->skipped_list, lk_photo_scorer_get_skipped (self->scorer),
                           create_skipped_row, NULL, NULL);

  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->scorer, "ranking-changed", G_CALLBACK (ranking_changed_cb), self);
  g_signal_connect_swapped (self->scorer, "notify", G_CALLBACK (scorer_notify_cb), self);
  g_signal_connect_swapped (lk_photo_scorer_get_skipped (self->scorer), "items-changed",
                            G_CALLBACK (scorer_notify_cb), self);

  gtk_widget_set_visible (GTK_WIDGET (self->face_note_label), !lk_photo_scorer_get_face_checks (self->scorer));
  update_state (self);
}

GtkWidget *
lk_photos_page_new (void)
{
  return g_object_new (LK_TYPE_PHOTOS_PAGE, NULL);
}

/**
 * lk_photos_page_get_scorer:
 *
 * Returns: (transfer none): the scorer holding the page's photos
 */
LkPhotoScorer *
lk_photos_page_get_scorer (LkPhotosPage *self)
{
  g_return_val_if_fail (LK_IS_PHOTOS_PAGE (self), NULL);

  return self->scorer;
}
