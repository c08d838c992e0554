/* er-photo-viewer.h: one photo, zoomable, pannable and rotatable for viewing
 * only (as in GNOME's image viewer, Loupe).
 *
 * Zoom: scroll or pinch around the pointer, zoom_in/zoom_out by steps on
 * round levels (er_photo_viewer_next_zoom) around the zoom anchor (the last
 * pointer position over the photo, else the centre); best fit (the default)
 * and 100 %; a double click toggles between best fit and 100 % around the
 * pointer. The zoom stays between MIN (best fit, 100 %) and MAX (16×, best
 * fit); zooming out never goes past best fit when best fit is below 100 %. Pan: drag, or pan(); the photo
 * always covers the widget along an axis where it is larger than the widget
 * and is centred along an axis where it is smaller. Rotation is a view
 * transform only (never written anywhere); best fit takes it into account.
 * set_paintable() resets zoom, pan and rotation. Viewers sharing an active
 * ErPhotoLink show their photos at the same zoom and follow one another's
 * zoom and moves; best fit is then the zoom at which all fit (er-photo-link.h).
 *
 * In best-fit mode the photo follows the widget's size; when zoomed, the
 * photo point at the centre of the widget stays there as the widget resizes.
 *
 * The widget is not focusable: keyboard shortcuts belong to its container.
 * Its accessible role is GTK_ACCESSIBLE_ROLE_IMG; give it a label.
 */
#pragma once

#include <gtk/gtk.h>

#include "er-photo-link.h"

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_VIEWER (er_photo_viewer_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoViewer, er_photo_viewer, ER, PHOTO_VIEWER, GtkWidget)

GtkWidget    *er_photo_viewer_new           (void);
void          er_photo_viewer_set_paintable (ErPhotoViewer *self, GdkPaintable *paintable);
GdkPaintable *er_photo_viewer_get_paintable (ErPhotoViewer *self);

/* To the next round level (er_photo_viewer_next_zoom), around the zoom
 * anchor: the photo point there stays there. */
void          er_photo_viewer_zoom_in       (ErPhotoViewer *self);
void          er_photo_viewer_zoom_out      (ErPhotoViewer *self);
/* Where zoom_in/zoom_out zoom around, in widget coordinates: the last
 * position of the pointer over the widget, also after it left (TRUE), or
 * the centre (FALSE) if it has not been over the widget since the photo
 * came (a pointer resting on it when the photo comes counts). */
gboolean      er_photo_viewer_get_zoom_anchor (ErPhotoViewer *self,
                                               double        *x,
                                               double        *y);
void          er_photo_viewer_best_fit      (ErPhotoViewer *self);
/* 100 %: one photo pixel per logical pixel, the photo centred. */
void          er_photo_viewer_actual_size   (ErPhotoViewer *self);
/* Moves the photo by dx, dy widget pixels (clamped so it stays in view). */
void          er_photo_viewer_pan           (ErPhotoViewer *self, double dx, double dy);
/* Turns the view by degrees (a multiple of 90; positive is clockwise). */
void          er_photo_viewer_rotate        (ErPhotoViewer *self, int degrees);
/* Back to best fit, no rotation. */
void          er_photo_viewer_reset         (ErPhotoViewer *self);

/* The scale from photo pixels to logical widget pixels (1.0 is 100 %);
 * property "zoom", read-only, notified. */
double        er_photo_viewer_get_zoom      (ErPhotoViewer *self);
/* Whether the view follows the widget's size (property "best-fit"). */
gboolean      er_photo_viewer_get_best_fit  (ErPhotoViewer *self);
/* 0, 90, 180 or 270, clockwise (property "rotation"). */
int           er_photo_viewer_get_rotation  (ErPhotoViewer *self);
/* Where the (rotated) photo is drawn, in widget coordinates; may extend past
 * the widget when zoomed. FALSE, and an empty rectangle, without a photo. */
gboolean      er_photo_viewer_get_photo_bounds (ErPhotoViewer   *self,
                                                graphene_rect_t *bounds);

/* The part of the (rotated) photo in view, in its pixels: all of it at
 * best fit. FALSE, and an empty rectangle, without a photo. */
gboolean      er_photo_viewer_get_visible_area (ErPhotoViewer   *self,
                                                graphene_rect_t *area);

/* The largest long side, in device pixels, the widget has had since it was
 * made (0 before it was laid out): a photo decoded at least that large
 * needs nothing more at best fit (property "max-device-size", notified). */
int           er_photo_viewer_get_max_device_size (ErPhotoViewer *self);
/* The widget's size in device pixels (0 × 0 before it was laid out;
 * property "device-box", notified): the box a photo is fitted to. */
const GdkRectangle *er_photo_viewer_get_device_box (ErPhotoViewer *self);
/* Outlines box (in the photo's own pixels, upright; NULL: nothing) over
 * the photo, turned and zoomed with it. A new photo clears it. */
void          er_photo_viewer_set_highlight (ErPhotoViewer         *self,
                                             const graphene_rect_t *box);
gboolean      er_photo_viewer_get_highlight (ErPhotoViewer         *self,
                                             graphene_rect_t       *box);

/* The link the viewer follows while it is active (property "link"). */
void          er_photo_viewer_set_link      (ErPhotoViewer *self, ErPhotoLink *link);
ErPhotoLink  *er_photo_viewer_get_link      (ErPhotoViewer *self);

/* The zoom a step in (or out) goes to from zoom when best fit is fit: the
 * next of 5, 10, 25, 33⅓, 50, 66⅔, 75, 100, 125, 150, 200, 300, 400, 600,
 * 800, 1200 and 1600 % at least 6 % away (from best fit at 101 %, in is
 * 125 %); but best fit instead when the step would pass it or stop within
 * 6 % of it (and it is 6 % away at least, going in). Past the last level,
 * zoom itself. The zoom limits are the caller's. */
double        er_photo_viewer_next_zoom     (double zoom, double fit, gboolean in);

G_END_DECLS
