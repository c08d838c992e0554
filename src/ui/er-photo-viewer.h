/* er-photo-viewer.h: one photo, zoomable, pannable and rotatable for viewing
 * only (as in GNOME's image viewer, Loupe).
 *
 * Zoom: scroll or pinch around the pointer, zoom_in/zoom_out around the
 * centre; best fit (the default) and 100 %. Pan: drag, or pan(). Rotation is
 * a view transform only (never written anywhere); set_paintable() resets
 * zoom, pan and rotation.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_VIEWER (er_photo_viewer_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoViewer, er_photo_viewer, ER, PHOTO_VIEWER, GtkWidget)

GtkWidget    *er_photo_viewer_new           (void);
void          er_photo_viewer_set_paintable (ErPhotoViewer *self, GdkPaintable *paintable);
GdkPaintable *er_photo_viewer_get_paintable (ErPhotoViewer *self);

void          er_photo_viewer_zoom_in       (ErPhotoViewer *self);
void          er_photo_viewer_zoom_out      (ErPhotoViewer *self);
void          er_photo_viewer_best_fit      (ErPhotoViewer *self);
void          er_photo_viewer_actual_size   (ErPhotoViewer *self);
/* Moves the photo by dx, dy widget pixels (clamped so it stays in view). */
void          er_photo_viewer_pan           (ErPhotoViewer *self, double dx, double dy);
/* Turns the view by degrees (a multiple of 90; positive is clockwise). */
void          er_photo_viewer_rotate        (ErPhotoViewer *self, int degrees);
/* Back to best fit, no rotation. */
void          er_photo_viewer_reset         (ErPhotoViewer *self);

/* The scale from photo pixels to logical widget pixels (1.0 is 100 %). */
double        er_photo_viewer_get_zoom      (ErPhotoViewer *self);
gboolean      er_photo_viewer_get_best_fit  (ErPhotoViewer *self);
/* 0, 90, 180 or 270. */
int           er_photo_viewer_get_rotation  (ErPhotoViewer *self);

G_END_DECLS
