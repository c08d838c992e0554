/* er-photo-viewer.c: one photo, zoomable, pannable and rotatable for viewing.
 *
 * The view is three numbers and a flag: the zoom (photo pixels to logical
 * pixels), the photo point shown at the centre of the widget (in pixels of the
 * rotated photo) and the rotation; in best-fit mode the zoom follows the
 * widget's size. Every change goes through set_view(), which clamps the zoom
 * and the centre and notifies what changed.
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "er-photo-viewer.h"

/* zoom_in/zoom_out and one mouse wheel notch. */
#define ZOOM_STEP 1.25
/* Touchpad scrolling (in surface pixels): 100 px zooms by e. */
#define SMOOTH_SCROLL_RATE 0.01
#define MAX_ZOOM 16.0
/* From this many device pixels per photo pixel on, show the photo's pixels
 * as they are (GTK 4.10 and later). */
#define NEAREST_FROM 4.0
#define INDICATOR_TIMEOUT_MS 1000
#define INDICATOR_MARGIN 12
#define INDICATOR_PAD_X 12
#define INDICATOR_PAD_Y 6

struct _ErPhotoViewer
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
#if !GTK_CHECK_VERSION (4, 10, 0)
  /* Halved copies of a texture, made when needed; [0] is the texture. */
  GPtrArray    *levels;
#endif

  double        zoom;
  gboolean      best_fit;
  int           rotation;
  /* The point of the rotated photo (in its pixels) at the widget's centre. */
  double        center_x;
  double        center_y;

  const char   *cursor_name;

  /* Pointer position, for zooming with the scroll wheel. */
  gboolean      has_pointer;
  double        pointer_x;
  double        pointer_y;

  GtkGesture   *pinch;
  gboolean      dragging;
  gboolean      drag_rebase;
  double        drag_center_x;
  double        drag_center_y;
  double        pinch_zoom;
  double        pinch_x;
  double        pinch_y;

  /* The transient zoom level ("150 %"), drawn over the photo. */
  PangoLayout  *indicator;
  guint         indicator_id;
};

G_DEFINE_FINAL_TYPE (ErPhotoViewer, er_photo_viewer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_ZOOM,
  PROP_BEST_FIT,
  PROP_ROTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The size of the photo as shown, after rotation. */
static gboolean
get_photo_size (ErPhotoViewer *self,
                double        *width,
                double        *height)
{
  int w, h;

  *width = *height = 0;
  if (self->paintable == NULL)
    return FALSE;

  w = gdk_paintable_get_intrinsic_width (self->paintable);
  h = gdk_paintable_get_intrinsic_height (self->paintable);
  if (w <= 0 || h <= 0)
    return FALSE;

  *width = self->rotation % 180 == 0 ? w : h;
  *height = self->rotation % 180 == 0 ? h : w;
  return TRUE;
}

static double
get_fit_zoom (ErPhotoViewer *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double pw, ph;

  if (!get_photo_size (self, &pw, &ph) || width <= 0 || height <= 0)
    return 1.0;

  return MIN (width / pw, height / ph);
}

static void
get_zoom_range (ErPhotoViewer *self,
                double        *min,
                double        *max)
{
  double fit = get_fit_zoom (self);

  *min = MIN (fit, 1.0);
  *max = MAX (MAX_ZOOM, fit);
}

/* Centred when the photo is smaller than the widget along this axis, else
 * covering the widget. */
static double
clamp_center (double center,
              double photo,
              double zoom,
              double widget)
{
  double half;

  if (photo * zoom <= widget + 0.001)
    return photo / 2;

  half = widget / (2 * zoom);
  return CLAMP (center, half, photo - half);
}

static gboolean
is_pannable (ErPhotoViewer *self)
{
  double pw, ph;

  if (!get_photo_size (self, &pw, &ph))
    return FALSE;

  return pw * self->zoom > gtk_widget_get_width (GTK_WIDGET (self)) + 0.5 ||
         ph * self->zoom > gtk_widget_get_height (GTK_WIDGET (self)) + 0.5;
}

static void
update_cursor (ErPhotoViewer *self)
{
  const char *name = NULL;

  if (self->dragging)
    name = "grabbing";
  else if (is_pannable (self))
    name = "grab";

  if (g_strcmp0 (name, self->cursor_name) == 0)
    return;

  self->cursor_name = name;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* The one place the view changes. */
static void
set_view (ErPhotoViewer *self,
          double         zoom,
          double         center_x,
          double         center_y,
          gboolean       best_fit)
{
  double fit = get_fit_zoom (self);
  double pw, ph;
  gboolean zoom_changed, best_fit_changed;

  if (best_fit)
    {
      zoom = fit;
    }
  else
    {
      double min, max;

      get_zoom_range (self, &min, &max);
      zoom = CLAMP (zoom, min, max);
      /* Landing on best fit (zooming out to the limit) is best fit. */
      if (fabs (zoom - fit) <= 1e-9 * fit)
        {
          zoom = fit;
          best_fit = TRUE;
        }
    }

  if (get_photo_size (self, &pw, &ph))
    {
      center_x = clamp_center (center_x, pw, zoom, gtk_widget_get_width (GTK_WIDGET (self)));
      center_y = clamp_center (center_y, ph, zoom, gtk_widget_get_height (GTK_WIDGET (self)));
    }
  else
    {
      center_x = center_y = 0;
    }

  zoom_changed = zoom != self->zoom;
  best_fit_changed = best_fit != self->best_fit;

  self->zoom = zoom;
  self->best_fit = best_fit;
  self->center_x = center_x;
  self->center_y = center_y;

  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  if (best_fit_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST_FIT]);

  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
hide_indicator (gpointer user_data)
{
  ErPhotoViewer *self = user_data;

  self->indicator_id = 0;
  g_clear_object (&self->indicator);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
show_indicator (ErPhotoViewer *self)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;

  if (self->paintable == NULL)
    return;

  /* Translators: the zoom level of a photo, as in "150 %". */
  text = g_strdup_printf (_("%d %%"), (int) round (self->zoom * 100));
  g_clear_object (&self->indicator);
  self->indicator = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (self->indicator, attrs);

  g_clear_handle_id (&self->indicator_id, g_source_remove);
  self->indicator_id = g_timeout_add (INDICATOR_TIMEOUT_MS, hide_indicator, self);
  g_source_set_name_by_id (self->indicator_id, "[reviewer] hide zoom level");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms to zoom keeping the photo point under (x, y) where it is. */
static void
zoom_around (ErPhotoViewer *self,
             double         zoom,
             double         x,
             double         y)
{
  double dx = x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double dy = y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double ux, uy, min, max;

  if (self->paintable == NULL)
    return;

  get_zoom_range (self, &min, &max);
  zoom = CLAMP (zoom, min, max);
  ux = self->center_x + dx / self->zoom;
  uy = self->center_y + dy / self->zoom;
  set_view (self, zoom, ux - dx / zoom, uy - dy / zoom, FALSE);
}

/* Zooms by factor, stopping at best fit when going past it. */
static void
zoom_by (ErPhotoViewer *self,
         double         factor,
         double         x,
         double         y)
{
  double fit = get_fit_zoom (self);
  double zoom = self->zoom * factor;

  if ((self->zoom < fit && zoom > fit) || (self->zoom > fit && zoom < fit))
    zoom = fit;

  zoom_around (self, zoom, x, y);
}

static void
get_pointer (ErPhotoViewer *self,
             double        *x,
             double        *y)
{
  if (self->has_pointer)
    {
      *x = self->pointer_x;
      *y = self->pointer_y;
    }
  else
    {
      *x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      *y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           ErPhotoViewer            *self)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
on_leave (GtkEventControllerMotion *motion,
          ErPhotoViewer            *self)
{
  self->has_pointer = FALSE;
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           ErPhotoViewer            *self)
{
  double x, y, factor;

  if (self->paintable == NULL || dy == 0)
    return FALSE;

  if (gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL)
    factor = pow (ZOOM_STEP, -dy);
  else
    factor = exp (-dy * SMOOTH_SCROLL_RATE);

  get_pointer (self, &x, &y);
  zoom_by (self, factor, x, y);
  show_indicator (self);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *drag,
               double          x,
               double          y,
               ErPhotoViewer  *self)
{
  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
  self->drag_rebase = FALSE;
  self->dragging = is_pannable (self);
  update_cursor (self);
}

static void
on_drag_update (GtkGestureDrag *drag,
                double          offset_x,
                double          offset_y,
                ErPhotoViewer  *self)
{
  if (gtk_gesture_is_recognized (self->pinch))
    {
      self->drag_rebase = TRUE;
      return;
    }

  /* After a pinch, carry on from where the pinch left the photo. */
  if (self->drag_rebase)
    {
      self->drag_center_x = self->center_x + offset_x / self->zoom;
      self->drag_center_y = self->center_y + offset_y / self->zoom;
      self->drag_rebase = FALSE;
    }

  set_view (self, self->zoom,
            self->drag_center_x - offset_x / self->zoom,
            self->drag_center_y - offset_y / self->zoom,
            self->best_fit);
}

static void
on_drag_end (GtkGestureDrag *drag,
             double          offset_x,
             double          offset_y,
             ErPhotoViewer  *self)
{
  self->dragging = FALSE;
  update_cursor (self);
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                ErPhotoViewer    *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    get_pointer (self, &x, &y);

  self->pinch_zoom = self->zoom;
  self->pinch_x = self->center_x + (x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / self->zoom;
  self->pinch_y = self->center_y + (y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / self->zoom;
}

/* The photo point under the fingers at the start stays under them. */
static void
on_pinch_scale_changed (GtkGestureZoom *gesture,
                        double          scale,
                        ErPhotoViewer  *self)
{
  double x, y, zoom, min, max;

  if (self->paintable == NULL)
    return;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    get_pointer (self, &x, &y);

  get_zoom_range (self, &min, &max);
  zoom = CLAMP (self->pinch_zoom * scale, min, max);
  set_view (self, zoom,
            self->pinch_x - (x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / zoom,
            self->pinch_y - (y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / zoom,
            FALSE);
  self->drag_rebase = TRUE;
  show_indicator (self);
}

/* A double click toggles best fit and 100 % (twice best fit for a photo
 * smaller than the widget), around the pointer. */
static void
on_pressed (GtkGestureClick *click,
            int              n_press,
            double           x,
            double           y,
            ErPhotoViewer   *self)
{
  double fit;

  if (n_press != 2 || self->paintable == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (click), GTK_EVENT_SEQUENCE_CLAIMED);
  fit = get_fit_zoom (self);
  if (self->best_fit)
    zoom_around (self, fit < 1.0 ? 1.0 : 2 * fit, x, y);
  else
    set_view (self, self->zoom, self->center_x, self->center_y, TRUE);
  show_indicator (self);
}

#if !GTK_CHECK_VERSION (4, 10, 0)
/* GTK 4.8 draws textures with linear filtering only, which aliases when a
 * large photo is shrunk: the small text of an ID shimmers and breaks up. So
 * the photo is drawn from a copy at most twice as large as needed, made by
 * averaging 2×2 pixels (in memory only). */
static GdkTexture *
halve_texture (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int half_width = MAX (1, width / 2);
  int half_height = MAX (1, height / 2);
  gsize stride = (gsize) width * 4;
  gsize half_stride = (gsize) half_width * 4;
  g_autofree guchar *pixels = g_malloc_n (height, stride);
  guchar *half = g_malloc_n (half_height, half_stride);
  g_autoptr(GBytes) bytes = NULL;

  /* GDK_MEMORY_DEFAULT: premultiplied, so plain averages are right. */
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < half_height; y++)
    {
      const guchar *row0 = pixels + MIN (2 * y, height - 1) * stride;
      const guchar *row1 = pixels + MIN (2 * y + 1, height - 1) * stride;
      guchar *out = half + y * half_stride;

      for (int x = 0; x < half_width; x++)
        {
          gsize x0 = (gsize) MIN (2 * x, width - 1) * 4;
          gsize x1 = (gsize) MIN (2 * x + 1, width - 1) * 4;

          for (int c = 0; c < 4; c++)
            out[x * 4 + c] = (row0[x0 + c] + row0[x1 + c] + row1[x0 + c] + row1[x1 + c] + 2) / 4;
        }
    }

  bytes = g_bytes_new_take (half, half_height * half_stride);
  return gdk_memory_texture_new (half_width, half_height, GDK_MEMORY_DEFAULT, bytes, half_stride);
}

static GdkTexture *
get_texture_level (ErPhotoViewer *self,
                   GdkTexture    *texture,
                   double         scale)
{
  guint level = 0;

  if (self->levels == NULL)
    {
      self->levels = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->levels, g_object_ref (texture));
    }

  while (scale * 2 <= 1.0 + 1e-6)
    {
      GdkTexture *current = g_ptr_array_index (self->levels, level);

      if (gdk_texture_get_width (current) < 2 || gdk_texture_get_height (current) < 2)
        break;
      if (level + 1 == self->levels->len)
        g_ptr_array_add (self->levels, halve_texture (current));
      level++;
      scale *= 2;
    }

  return g_ptr_array_index (self->levels, level);
}
#endif

/* Draws the photo, unrotated, at (0, 0, width, height); scale is device
 * pixels per photo pixel. */
static void
draw_photo (ErPhotoViewer *self,
            GtkSnapshot   *snapshot,
            double         width,
            double         height,
            double         scale)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);

  if (!GDK_IS_TEXTURE (self->paintable))
    {
      gdk_paintable_snapshot (self->paintable, snapshot, width, height);
      return;
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    GskScalingFilter filter = GSK_SCALING_FILTER_LINEAR;

    if (scale < 1.0)
      filter = GSK_SCALING_FILTER_TRILINEAR;
    else if (scale >= NEAREST_FROM)
      filter = GSK_SCALING_FILTER_NEAREST;

    /* Built against GTK 4.10 or later, so it exists at run time too. */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    gtk_snapshot_append_scaled_texture (snapshot, GDK_TEXTURE (self->paintable), filter, &bounds);
    G_GNUC_END_IGNORE_DEPRECATIONS
  }
#else
  gtk_snapshot_append_texture (snapshot,
                               get_texture_level (self, GDK_TEXTURE (self->paintable), scale),
                               &bounds);
#endif
}

static void
draw_indicator (ErPhotoViewer *self,
                GtkSnapshot   *snapshot)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int text_width, text_height;
  GskRoundedRect pill;
  graphene_rect_t rect;

  if (self->indicator == NULL)
    return;

  pango_layout_get_pixel_size (self->indicator, &text_width, &text_height);
  rect = GRAPHENE_RECT_INIT ((width - text_width) / 2 - INDICATOR_PAD_X,
                             height - INDICATOR_MARGIN - text_height - 2 * INDICATOR_PAD_Y,
                             text_width + 2 * INDICATOR_PAD_X,
                             text_height + 2 * INDICATOR_PAD_Y);
  gsk_rounded_rect_init_from_rect (&pill, &rect, rect.size.height / 2);

  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.7 }, &rect);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + INDICATOR_PAD_X,
                                                          rect.origin.y + INDICATOR_PAD_Y));
  gtk_snapshot_append_layout (snapshot, self->indicator, &(GdkRGBA) { 1, 1, 1, 0.9 });
  gtk_snapshot_restore (snapshot);
}

static void
er_photo_viewer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  graphene_rect_t bounds;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (er_photo_viewer_get_photo_bounds (self, &bounds))
    {
      double photo_width = gdk_paintable_get_intrinsic_width (self->paintable) * self->zoom;
      double photo_height = gdk_paintable_get_intrinsic_height (self->paintable) * self->zoom;
      /* On whole device pixels, so that 100 % is sharp. */
      double x = round (bounds.origin.x * scale_factor) / scale_factor;
      double y = round (bounds.origin.y * scale_factor) / scale_factor;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
      if (self->rotation != 0)
        {
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (bounds.size.width / 2,
                                                                  bounds.size.height / 2));
          gtk_snapshot_rotate (snapshot, self->rotation);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-photo_width / 2,
                                                                  -photo_height / 2));
        }
      draw_photo (self, snapshot, photo_width, photo_height, self->zoom * scale_factor);
      gtk_snapshot_restore (snapshot);
    }

  draw_indicator (self, snapshot);
  gtk_snapshot_pop (snapshot);
}

/* Small: the photo never makes the window grow. */
static void
er_photo_viewer_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 240;
}

static void
er_photo_viewer_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (widget);

  /* Best fit follows the size; otherwise the centre point stays. */
  set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
}

static void
on_invalidate_size (GdkPaintable  *paintable,
                    ErPhotoViewer *self)
{
  set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
}

GtkWidget *
er_photo_viewer_new (void)
{
  return g_object_new (ER_TYPE_PHOTO_VIEWER, NULL);
}

void
er_photo_viewer_set_paintable (ErPhotoViewer *self,
                               GdkPaintable  *paintable)
{
  gboolean rotation_changed;

  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  if (self->paintable == paintable)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_set_object (&self->paintable, paintable);
#if !GTK_CHECK_VERSION (4, 10, 0)
  g_clear_pointer (&self->levels, g_ptr_array_unref);
#endif
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents",
                                G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect (paintable, "invalidate-size",
                        G_CALLBACK (on_invalidate_size), self);
    }

  rotation_changed = self->rotation != 0;
  self->rotation = 0;
  self->drag_rebase = TRUE;
  g_clear_handle_id (&self->indicator_id, g_source_remove);
  g_clear_object (&self->indicator);
  set_view (self, 1.0, 0, 0, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
  if (rotation_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);

  g_object_thaw_notify (G_OBJECT (self));
}

GdkPaintable *
er_photo_viewer_get_paintable (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), NULL);
  return self->paintable;
}

void
er_photo_viewer_zoom_in (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  zoom_by (self, ZOOM_STEP,
           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  show_indicator (self);
}

void
er_photo_viewer_zoom_out (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  zoom_by (self, 1 / ZOOM_STEP,
           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  show_indicator (self);
}

void
er_photo_viewer_best_fit (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  set_view (self, self->zoom, self->center_x, self->center_y, TRUE);
  show_indicator (self);
}

void
er_photo_viewer_actual_size (ErPhotoViewer *self)
{
  double pw, ph;

  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  if (!get_photo_size (self, &pw, &ph))
    return;

  set_view (self, 1.0, pw / 2, ph / 2, FALSE);
  show_indicator (self);
}

void
er_photo_viewer_pan (ErPhotoViewer *self,
                     double         dx,
                     double         dy)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  if (self->paintable == NULL)
    return;

  set_view (self, self->zoom,
            self->center_x - dx / self->zoom,
            self->center_y - dy / self->zoom,
            self->best_fit);
}

void
er_photo_viewer_rotate (ErPhotoViewer *self,
                        int            degrees)
{
  int turns;

  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));
  g_return_if_fail (degrees % 90 == 0);

  turns = ((degrees / 90) % 4 + 4) % 4;
  if (turns == 0)
    return;

  /* Carry the centre point along, a quarter turn clockwise at a time:
   * (x, y) in a w×h photo becomes (h - y, x) in the h×w one. */
  for (int i = 0; i < turns; i++)
    {
      double pw, ph, x = self->center_x;

      get_photo_size (self, &pw, &ph);
      self->center_x = ph - self->center_y;
      self->center_y = x;
      self->rotation = (self->rotation + 90) % 360;
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
er_photo_viewer_reset (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->rotation != 0)
    {
      self->rotation = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
    }
  set_view (self, self->zoom, 0, 0, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

double
er_photo_viewer_get_zoom (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), 1.0);
  return self->zoom;
}

gboolean
er_photo_viewer_get_best_fit (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), TRUE);
  return self->best_fit;
}

int
er_photo_viewer_get_rotation (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), 0);
  return self->rotation;
}

gboolean
er_photo_viewer_get_photo_bounds (ErPhotoViewer   *self,
                                  graphene_rect_t *bounds)
{
  double pw, ph;

  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  if (!get_photo_size (self, &pw, &ph))
    {
      graphene_rect_init (bounds, 0, 0, 0, 0);
      return FALSE;
    }

  graphene_rect_init (bounds,
                      gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - self->center_x * self->zoom,
                      gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - self->center_y * self->zoom,
                      pw * self->zoom,
                      ph * self->zoom);
  return TRUE;
}

static void
er_photo_viewer_dispose (GObject *object)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (object);

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);
#if !GTK_CHECK_VERSION (4, 10, 0)
  g_clear_pointer (&self->levels, g_ptr_array_unref);
#endif
  g_clear_handle_id (&self->indicator_id, g_source_remove);
  g_clear_object (&self->indicator);

  G_OBJECT_CLASS (er_photo_viewer_parent_class)->dispose (object);
}

static void
er_photo_viewer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_BEST_FIT:
      g_value_set_boolean (value, self->best_fit);
      break;
    case PROP_ROTATION:
      g_value_set_int (value, self->rotation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_viewer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      er_photo_viewer_set_paintable (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_viewer_class_init (ErPhotoViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_photo_viewer_dispose;
  object_class->get_property = er_photo_viewer_get_property;
  object_class->set_property = er_photo_viewer_set_property;

  widget_class->snapshot = er_photo_viewer_snapshot;
  widget_class->measure = er_photo_viewer_measure;
  widget_class->size_allocate = er_photo_viewer_size_allocate;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL,
                         GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BEST_FIT] =
    g_param_spec_boolean ("best-fit", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROTATION] =
    g_param_spec_int ("rotation", NULL, NULL,
                      0, 270, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "photoviewer");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
er_photo_viewer_init (ErPhotoViewer *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->best_fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
  self->pinch = gesture;

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}
