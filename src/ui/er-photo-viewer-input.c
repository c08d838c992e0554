/* er-photo-viewer-input.c: the pointer, the scroll wheel, dragging,
 * pinching and the double click.
 */
#include "config.h"

#include <math.h>

#include "er-photo-viewer-private.h"

/* Touchpad scrolling (in surface pixels): 100 px zooms by e. */
#define SMOOTH_SCROLL_RATE 0.01

void
_er_photo_viewer_get_pointer (ErPhotoViewer *self,
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
  self->has_anchor = TRUE;
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
    factor = pow (ER_PHOTO_VIEWER_WHEEL_STEP, -dy);
  else
    factor = exp (-dy * SMOOTH_SCROLL_RATE);

  _er_photo_viewer_get_pointer (self, &x, &y);
  _er_photo_viewer_zoom_by (self, factor, x, y);
  _er_photo_viewer_show_indicator (self);
  return TRUE;
}

/* A drag or a pinch moves the centre to (center_x, center_y) (where the
 * photo may not go): linked viewers move by as much as it meant to move
 * since the last update, each as far as its own photo goes. */
static void
move_to (ErPhotoViewer *self,
         double         zoom,
         double         center_x,
         double         center_y,
         gboolean       best_fit)
{
  double dx = center_x - self->gesture_center_x;
  double dy = center_y - self->gesture_center_y;

  self->gesture_center_x = center_x;
  self->gesture_center_y = center_y;
  _er_photo_viewer_set_view (self, zoom, center_x, center_y, best_fit);
  _er_photo_viewer_acted (self, FALSE, dx, dy);
}

static void
on_drag_begin (GtkGestureDrag *drag,
               double          x,
               double          y,
               ErPhotoViewer  *self)
{
  self->drag_center_x = self->gesture_center_x = self->center_x;
  self->drag_center_y = self->gesture_center_y = self->center_y;
  self->drag_rebase = FALSE;
  self->dragging = _er_photo_viewer_is_pannable (self);
  _er_photo_viewer_update_cursor (self);
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
      self->gesture_center_x = self->center_x;
      self->gesture_center_y = self->center_y;
      self->drag_rebase = FALSE;
    }

  move_to (self, self->zoom,
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
  _er_photo_viewer_update_cursor (self);
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                ErPhotoViewer    *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    _er_photo_viewer_get_pointer (self, &x, &y);

  self->pinch_zoom = self->zoom;
  self->gesture_center_x = self->center_x;
  self->gesture_center_y = self->center_y;
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
    _er_photo_viewer_get_pointer (self, &x, &y);

  _er_photo_viewer_get_zoom_range (self, &min, &max);
  zoom = CLAMP (self->pinch_zoom * scale, min, max);
  move_to (self, zoom,
           self->pinch_x - (x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / zoom,
           self->pinch_y - (y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / zoom,
           FALSE);
  self->drag_rebase = TRUE;
  _er_photo_viewer_show_indicator (self);
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
  fit = _er_photo_viewer_get_fit_zoom (self);
  if (self->best_fit)
    _er_photo_viewer_zoom_around (self, fit < 1.0 ? 1.0 : 2 * fit, x, y);
  else
    {
      _er_photo_viewer_set_view (self, self->zoom, self->center_x, self->center_y, TRUE);
      _er_photo_viewer_acted (self, FALSE, 0, 0);
    }
  _er_photo_viewer_show_indicator (self);
}

void
_er_photo_viewer_init_input (ErPhotoViewer *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

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
