/* er-photo-viewer.c: one photo, zoomable, pannable and rotatable for viewing.
 *
 * The view is three numbers and a flag: the zoom (photo pixels to logical
 * pixels), the photo point shown at the centre of the widget (in pixels of the
 * rotated photo) and the rotation; in best-fit mode the zoom follows the
 * widget's size. Every change goes through set_view(), which clamps the zoom
 * and the centre and notifies what changed. The zoom steps, the input and
 * the drawing are in sibling files (er-photo-viewer-private.h).
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "er-photo-image.h"
#include "er-photo-viewer-private.h"

#define INDICATOR_TIMEOUT_MS 1000

G_DEFINE_FINAL_TYPE (ErPhotoViewer, er_photo_viewer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_ZOOM,
  PROP_BEST_FIT,
  PROP_ROTATION,
  PROP_LINK,
  PROP_MAX_DEVICE_SIZE,
  PROP_DEVICE_BOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
_er_photo_viewer_get_photo_size (ErPhotoViewer *self,
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

double
_er_photo_viewer_get_own_fit_zoom (ErPhotoViewer *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double pw, ph;

  if (!_er_photo_viewer_get_photo_size (self, &pw, &ph) || width <= 0 || height <= 0)
    return 1.0;

  return MIN (width / pw, height / ph);
}

static gboolean
is_linked (ErPhotoViewer *self)
{
  return self->link != NULL && er_photo_link_get_active (self->link);
}

double
_er_photo_viewer_get_fit_zoom (ErPhotoViewer *self)
{
  if (is_linked (self))
    return _er_photo_link_get_fit (self->link);
  return _er_photo_viewer_get_own_fit_zoom (self);
}

void
_er_photo_viewer_get_zoom_range (ErPhotoViewer *self,
                                 double        *min,
                                 double        *max)
{
  double fit = _er_photo_viewer_get_fit_zoom (self);

  *min = MIN (fit, 1.0);
  *max = MAX (ER_PHOTO_VIEWER_MAX_ZOOM, fit);
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

gboolean
_er_photo_viewer_is_pannable (ErPhotoViewer *self)
{
  double pw, ph;

  if (!_er_photo_viewer_get_photo_size (self, &pw, &ph))
    return FALSE;

  return pw * self->zoom > gtk_widget_get_width (GTK_WIDGET (self)) + 0.5 ||
         ph * self->zoom > gtk_widget_get_height (GTK_WIDGET (self)) + 0.5;
}

void
_er_photo_viewer_update_cursor (ErPhotoViewer *self)
{
  const char *name = NULL;

  if (self->dragging)
    name = "grabbing";
  else if (_er_photo_viewer_is_pannable (self))
    name = "grab";

  if (g_strcmp0 (name, self->cursor_name) == 0)
    return;

  self->cursor_name = name;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* A preview shown past its resolution (zoomed in, or a pane grown larger
 * than it was decoded for): the full resolution is decoded, and replaces it
 * without moving anything (the photo's size is the image's own). */
static void
want_resolution (ErPhotoViewer *self)
{
  ErPhotoImage *image;
  double needed;

  /* Not laid out yet: the zoom means nothing (fit is taken as 100 %). */
  if (!ER_IS_PHOTO_IMAGE (self->paintable) || gtk_widget_get_width (GTK_WIDGET (self)) <= 0 ||
      gtk_widget_get_height (GTK_WIDGET (self)) <= 0)
    return;
  image = ER_PHOTO_IMAGE (self->paintable);
  if (er_photo_image_get_final (image) || er_photo_image_get_loading (image))
    return;
  needed = self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  if (needed > er_photo_image_get_scale (image) * 1.01)
    er_photo_image_load_full (image);
}

void
_er_photo_viewer_set_view (ErPhotoViewer *self,
                           double         zoom,
                           double         center_x,
                           double         center_y,
                           gboolean       best_fit)
{
  double fit = _er_photo_viewer_get_fit_zoom (self);
  double pw, ph;
  gboolean zoom_changed, best_fit_changed;

  if (best_fit)
    {
      zoom = fit;
    }
  else
    {
      double min, max;

      _er_photo_viewer_get_zoom_range (self, &min, &max);
      zoom = CLAMP (zoom, min, max);
      /* Landing on best fit (zooming out to the limit) is best fit. */
      if (fabs (zoom - fit) <= 1e-9 * fit)
        {
          zoom = fit;
          best_fit = TRUE;
        }
    }

  if (_er_photo_viewer_get_photo_size (self, &pw, &ph))
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

  _er_photo_viewer_update_cursor (self);
  want_resolution (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_er_photo_viewer_acted (ErPhotoViewer *self,
                        gboolean       centred,
                        double         dx,
                        double         dy)
{
  /* Nothing shown, nothing to follow (keys on a photo still loading). */
  if (self->link != NULL && self->paintable != NULL)
    _er_photo_link_follow (self->link, self, centred, dx, dy);
}

/* The common fit may have changed with this viewer's size or photo. */
static void
refit_linked (ErPhotoViewer *self)
{
  if (self->link != NULL)
    _er_photo_link_refit (self->link, self);
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

void
_er_photo_viewer_show_indicator (ErPhotoViewer *self)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;

  if (self->paintable == NULL)
    return;

  if (self->best_fit)
    /* Translators: shown over a photo zoomed to fit its pane */
    text = g_strdup (_("Best fit"));
  else
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

/* The photo's copy at best fit, made in the background (er-photo-image.h):
 * the frames that show it then copy its pixels instead of converting and
 * scaling the whole texture. A copy near the size (made ahead for a pane a
 * little different) is drawn until the exact one is made; that waits a
 * little, not to take a core from the frames that show the new case. */
#define REFIT_DELAY_MS 300

static gboolean
refit_now (gpointer user_data)
{
  ErPhotoViewer *self = user_data;

  self->refit_id = 0;
  if (ER_IS_PHOTO_IMAGE (self->paintable) && self->device_box.width > 0 &&
      self->device_box.height > 0)
    er_photo_image_fit (ER_PHOTO_IMAGE (self->paintable),
                        self->device_box.width, self->device_box.height);
  return G_SOURCE_REMOVE;
}

static void
request_fitted (ErPhotoViewer *self)
{
  ErPhotoImage *image;

  if (!ER_IS_PHOTO_IMAGE (self->paintable) || self->device_box.width <= 0 ||
      self->device_box.height <= 0)
    return;

  image = ER_PHOTO_IMAGE (self->paintable);
  /* Nothing near: no frame is spared by waiting. */
  er_photo_image_fit_near (image, self->device_box.width, self->device_box.height);
  g_clear_handle_id (&self->refit_id, g_source_remove);
  self->refit_id = g_timeout_add_full (G_PRIORITY_LOW, REFIT_DELAY_MS, refit_now, self, NULL);
  g_source_set_name_by_id (self->refit_id, "[er] photo fitted exactly");
}

static void
er_photo_viewer_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  int device_size = MAX (width, height) * scale_factor;

  if (device_size > self->max_device_size)
    {
      self->max_device_size = device_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DEVICE_SIZE]);
    }
  if (width * scale_factor != self->device_box.width ||
      height * scale_factor != self->device_box.height)
    {
      self->device_box.width = width * scale_factor;
      self->device_box.height = height * scale_factor;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_BOX]);
      request_fitted (self);
    }
  /* Best fit follows the size; otherwise the centre point stays. */
  _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
  refit_linked (self);
}

static void
on_invalidate_contents (GdkPaintable  *paintable,
                        ErPhotoViewer *self)
{
  /* The copies were made from the texture replaced. */
  _er_photo_viewer_clear_levels (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_invalidate_size (GdkPaintable  *paintable,
                    ErPhotoViewer *self)
{
  _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
  refit_linked (self);
}

GtkWidget *
er_photo_viewer_new (void)
{
  return g_object_new (ER_TYPE_PHOTO_VIEWER, NULL);
}

void
er_photo_viewer_set_highlight (ErPhotoViewer         *self,
                               const graphene_rect_t *box)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  self->has_highlight = box != NULL;
  if (box != NULL)
    self->highlight = *box;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
er_photo_viewer_get_highlight (ErPhotoViewer   *self,
                               graphene_rect_t *box)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), FALSE);

  if (self->has_highlight && box != NULL)
    *box = self->highlight;
  return self->has_highlight;
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
  self->has_highlight = FALSE;
  _er_photo_viewer_clear_levels (self);
  if (paintable != NULL)
    {
      g_signal_connect (paintable, "invalidate-contents",
                        G_CALLBACK (on_invalidate_contents), self);
      g_signal_connect (paintable, "invalidate-size",
                        G_CALLBACK (on_invalidate_size), self);
    }

  /* A pointer that stayed outside since the last photo points at nothing
   * on this one. */
  if (!self->has_pointer)
    self->has_anchor = FALSE;
  rotation_changed = self->rotation != 0;
  self->rotation = 0;
  self->drag_rebase = TRUE;
  g_clear_handle_id (&self->indicator_id, g_source_remove);
  g_clear_object (&self->indicator);
  _er_photo_viewer_set_view (self, 1.0, 0, 0, TRUE);
  if (self->link != NULL)
    _er_photo_link_adopt (self->link, self);
  request_fitted (self);

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
er_photo_viewer_best_fit (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, TRUE);
  _er_photo_viewer_show_indicator (self);
  _er_photo_viewer_acted (self, FALSE, 0, 0);
}

void
er_photo_viewer_actual_size (ErPhotoViewer *self)
{
  double pw, ph;

  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  if (!_er_photo_viewer_get_photo_size (self, &pw, &ph))
    return;

  _er_photo_viewer_set_view (self, 1.0, pw / 2, ph / 2, FALSE);
  _er_photo_viewer_show_indicator (self);
  _er_photo_viewer_acted (self, TRUE, 0, 0);
}

void
er_photo_viewer_pan (ErPhotoViewer *self,
                     double         dx,
                     double         dy)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  if (self->paintable == NULL)
    return;

  _er_photo_viewer_set_view (self, self->zoom,
                             self->center_x - dx / self->zoom,
                             self->center_y - dy / self->zoom,
                             self->best_fit);
  _er_photo_viewer_acted (self, FALSE, -dx / self->zoom, -dy / self->zoom);
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

      _er_photo_viewer_get_photo_size (self, &pw, &ph);
      self->center_x = ph - self->center_y;
      self->center_y = x;
      self->rotation = (self->rotation + 90) % 360;
    }

  g_object_freeze_notify (G_OBJECT (self));
  _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
  g_object_thaw_notify (G_OBJECT (self));
  /* The turn is this photo's own; the common fit may change with it. */
  refit_linked (self);
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
  _er_photo_viewer_set_view (self, self->zoom, 0, 0, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
  refit_linked (self);
  _er_photo_viewer_acted (self, FALSE, 0, 0);
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

  if (!_er_photo_viewer_get_photo_size (self, &pw, &ph))
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

gboolean
er_photo_viewer_get_visible_area (ErPhotoViewer   *self,
                                  graphene_rect_t *area)
{
  double pw, ph, half_width, half_height, x0, y0, x1, y1;

  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (!_er_photo_viewer_get_photo_size (self, &pw, &ph))
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return FALSE;
    }

  half_width = gtk_widget_get_width (GTK_WIDGET (self)) / (2 * self->zoom);
  half_height = gtk_widget_get_height (GTK_WIDGET (self)) / (2 * self->zoom);
  x0 = MAX (0, self->center_x - half_width);
  y0 = MAX (0, self->center_y - half_height);
  x1 = MIN (pw, self->center_x + half_width);
  y1 = MIN (ph, self->center_y + half_height);
  graphene_rect_init (area, x0, y0, MAX (0, x1 - x0), MAX (0, y1 - y0));
  return TRUE;
}

void
er_photo_viewer_set_link (ErPhotoViewer *self,
                          ErPhotoLink   *link)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));
  g_return_if_fail (link == NULL || ER_IS_PHOTO_LINK (link));

  if (self->link == link)
    return;

  if (self->link != NULL)
    _er_photo_link_remove (self->link, self);
  g_set_object (&self->link, link);
  if (link != NULL)
    _er_photo_link_add (link, self);
  /* Within its own limits again, or the link's. */
  _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, self->best_fit);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK]);
}

const GdkRectangle *
er_photo_viewer_get_device_box (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), NULL);
  return &self->device_box;
}

int
er_photo_viewer_get_max_device_size (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), 0);
  return self->max_device_size;
}

ErPhotoLink *
er_photo_viewer_get_link (ErPhotoViewer *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), NULL);
  return self->link;
}

static void
er_photo_viewer_dispose (GObject *object)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (object);

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);
  _er_photo_viewer_clear_levels (self);
  g_clear_handle_id (&self->indicator_id, g_source_remove);
  g_clear_handle_id (&self->refit_id, g_source_remove);
  g_clear_object (&self->indicator);
  if (self->link != NULL)
    _er_photo_link_remove (self->link, self);
  g_clear_object (&self->link);

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
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    case PROP_MAX_DEVICE_SIZE:
      g_value_set_int (value, self->max_device_size);
      break;
    case PROP_DEVICE_BOX:
      g_value_set_boxed (value, &self->device_box);
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
    case PROP_LINK:
      er_photo_viewer_set_link (self, g_value_get_object (value));
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

  widget_class->snapshot = _er_photo_viewer_snapshot;
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
  properties[PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL,
                         ER_TYPE_PHOTO_LINK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_DEVICE_SIZE] =
    g_param_spec_int ("max-device-size", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEVICE_BOX] =
    g_param_spec_boxed ("device-box", NULL, NULL,
                        GDK_TYPE_RECTANGLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "photoviewer");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
er_photo_viewer_init (ErPhotoViewer *self)
{
  self->zoom = 1.0;
  self->best_fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _er_photo_viewer_init_input (self);
}
