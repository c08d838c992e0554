/* er-photo-viewer-zoom.c: zooming in and out, around a point.
 *
 * zoom_in and zoom_out step through round levels, so that whatever level
 * the keys leave is one an agent can name and read back. GNOME's Loupe
 * multiplies the zoom by 1.5 per step and snaps to best fit within a
 * quarter of a step; its menu offers 50, 66, 100, 200 and 300 %. Here the
 * steps are a list, with a third and two thirds exact (three photo pixels
 * on one or two screen pixels); best fit is a stop on the way, and a round
 * level closer to it than a step gives way to it (the zoom indicator then
 * says "Best fit", not a percentage).
 */
#include "config.h"

#include "er-photo-viewer-private.h"

static const double zoom_levels[] = {
  0.05, 0.1, 0.25, 1.0 / 3, 0.5, 2.0 / 3, 0.75,
  1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
};

/* A step changes the zoom by at least this factor (the closest levels,
 * 67 % and 75 %, are 1.125 apart): from 120 %, zooming in goes to 150 %. */
#define MIN_STEP 1.06

void
_er_photo_viewer_zoom_around (ErPhotoViewer *self,
                              double         zoom,
                              double         x,
                              double         y)
{
  double dx = x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double dy = y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double ux, uy, min, max, from;

  if (self->paintable == NULL)
    return;

  _er_photo_viewer_get_zoom_range (self, &min, &max);
  zoom = CLAMP (zoom, min, max);
  from = self->zoom;
  ux = self->center_x + dx / from;
  uy = self->center_y + dy / from;
  _er_photo_viewer_set_view (self, zoom, ux - dx / zoom, uy - dy / zoom, FALSE);
  /* Linked viewers zoom around the same point of theirs. */
  _er_photo_viewer_acted (self, FALSE, dx / from - dx / self->zoom, dy / from - dy / self->zoom);
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

double
er_photo_viewer_next_zoom (double   zoom,
                           double   fit,
                           gboolean in)
{
  guint n = G_N_ELEMENTS (zoom_levels);
  double next = 0;

  g_return_val_if_fail (zoom > 0 && fit > 0, zoom);

  if (in)
    {
      for (guint i = 0; i < n && next == 0; i++)
        if (zoom_levels[i] >= zoom * MIN_STEP)
          next = zoom_levels[i];
      /* Best fit on the way (a step away at least), or just past the next
       * level. */
      if (fit >= zoom * MIN_STEP && (next == 0 || next * MIN_STEP >= fit))
        next = fit;
    }
  else
    {
      for (guint i = n; i > 0 && next == 0; i--)
        if (zoom_levels[i - 1] <= zoom / MIN_STEP)
          next = zoom_levels[i - 1];
      if (zoom > fit * (1 + 1e-9) && next <= fit * MIN_STEP)
        next = fit;
    }

  /* Past the last level: no further. */
  return next != 0 ? next : zoom;
}

gboolean
er_photo_viewer_get_zoom_anchor (ErPhotoViewer *self,
                                 double        *x,
                                 double        *y)
{
  int width, height;

  g_return_val_if_fail (ER_IS_PHOTO_VIEWER (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (!self->has_anchor)
    {
      *x = width / 2.0;
      *y = height / 2.0;
      return FALSE;
    }

  /* The widget may have shrunk since. */
  *x = CLAMP (self->pointer_x, 0, width);
  *y = CLAMP (self->pointer_y, 0, height);
  return TRUE;
}

/* The photo point under the pointer stays there, so that the small face
 * on an ID does not drift away as it grows. */
static void
zoom_step (ErPhotoViewer *self,
           gboolean       in)
{
  double zoom, x, y;

  if (self->paintable == NULL)
    return;

  zoom = er_photo_viewer_next_zoom (self->zoom, _er_photo_viewer_get_fit_zoom (self), in);
  er_photo_viewer_get_zoom_anchor (self, &x, &y);
  _er_photo_viewer_zoom_around (self, zoom, x, y);
  _er_photo_viewer_show_indicator (self);
}

void
er_photo_viewer_zoom_in (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  zoom_step (self, TRUE);
}

void
er_photo_viewer_zoom_out (ErPhotoViewer *self)
{
  g_return_if_fail (ER_IS_PHOTO_VIEWER (self));

  zoom_step (self, FALSE);
}
