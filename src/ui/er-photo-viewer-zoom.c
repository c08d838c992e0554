/* er-photo-viewer-zoom.c: zooming in and out, around a point.
 */
#include "config.h"

#include "er-photo-viewer-private.h"

/* zoom_in/zoom_out. */
#define ZOOM_STEP 1.25

/* Zooms to zoom keeping the photo point under (x, y) where it is. */
void
_er_photo_viewer_zoom_around (ErPhotoViewer *self,
                              double         zoom,
                              double         x,
                              double         y)
{
  double dx = x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double dy = y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double ux, uy, min, max;

  if (self->paintable == NULL)
    return;

  _er_photo_viewer_get_zoom_range (self, &min, &max);
  zoom = CLAMP (zoom, min, max);
  ux = self->center_x + dx / self->zoom;
  uy = self->center_y + dy / self->zoom;
  _er_photo_viewer_set_view (self, zoom, ux - dx / zoom, uy - dy / zoom, FALSE);
}

/* Zooms by factor, stopping at best fit when going past it. */
void
_er_photo_viewer_zoom_by (ErPhotoViewer *self,
                          double         factor,
                          double         x,
                          double         y)
{
  double fit = _er_photo_viewer_get_fit_zoom (self);
  double zoom = self->zoom * factor;

  if ((self->zoom < fit && zoom > fit) || (self->zoom > fit && zoom < fit))
    zoom = fit;

  _er_photo_viewer_zoom_around (self, zoom, x, y);
}

void
er_photo_viewer_zoom_in (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  _er_photo_viewer_zoom_by (self, ZOOM_STEP,
                            gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                            gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  _er_photo_viewer_show_indicator (self);
}

void
er_photo_viewer_zoom_out (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  _er_photo_viewer_zoom_by (self, 1 / ZOOM_STEP,
                            gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                            gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  _er_photo_viewer_show_indicator (self);
}
