/* er-photo-viewer-private.h: shared by the photo viewer's files.
 *
 * er-photo-viewer.c holds the view (set_view(), the one place it changes),
 * the properties and the public commands; er-photo-viewer-zoom.c the zoom
 * steps and zooming around a point; er-photo-viewer-input.c the pointer,
 * wheel, drag, pinch and double click; er-photo-viewer-draw.c the drawing.
 * er-photo-link.c, the viewers zoomed and moved together, uses them too.
 */
#pragma once

#include "er-photo-link.h"
#include "er-photo-viewer.h"

G_BEGIN_DECLS

/* One mouse wheel notch. */
#define ER_PHOTO_VIEWER_WHEEL_STEP 1.25
#define ER_PHOTO_VIEWER_MAX_ZOOM 16.0

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

  /* Whether the pointer is over the widget, and where it is or was last
   * (since the photo came, or before if it was over it then): the wheel
   * zooms around it, and so do the keys, also once it has left. */
  gboolean      has_pointer;
  gboolean      has_anchor;
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
  /* Where the drag or the pinch meant the centre to be at the last update
   * (the moves a linked viewer follows). */
  double        gesture_center_x;
  double        gesture_center_y;

  ErPhotoLink  *link;

  /* The largest long side the widget has had, in device pixels. */
  int           max_device_size;
  /* The widget's size now, in device pixels (x and y 0). */
  GdkRectangle  device_box;
  /* The photo's copy fitted exactly, asked for a little later. */
  guint         refit_id;

  /* A box outlined on the photo (in its own pixels), e.g. where the name
   * was read on an ID. */
  gboolean      has_highlight;
  graphene_rect_t highlight;

  /* The transient zoom level ("150 %"), drawn over the photo. */
  PangoLayout  *indicator;
  guint         indicator_id;
};

/* er-photo-viewer.c */
/* The size of the photo as shown, after rotation; FALSE without a photo. */
gboolean _er_photo_viewer_get_photo_size (ErPhotoViewer *self, double *width, double *height);
/* The zoom at which the photo fits the widget. */
double   _er_photo_viewer_get_own_fit_zoom (ErPhotoViewer *self);
/* Best fit: the own fit, or the link's common fit while linked. */
double   _er_photo_viewer_get_fit_zoom   (ErPhotoViewer *self);
void     _er_photo_viewer_get_zoom_range (ErPhotoViewer *self, double *min, double *max);
gboolean _er_photo_viewer_is_pannable    (ErPhotoViewer *self);
void     _er_photo_viewer_update_cursor  (ErPhotoViewer *self);
/* The one place the view changes: clamps, notifies, redraws. */
void     _er_photo_viewer_set_view       (ErPhotoViewer *self,
                                          double         zoom,
                                          double         center_x,
                                          double         center_y,
                                          gboolean       best_fit);
void     _er_photo_viewer_show_indicator (ErPhotoViewer *self);
/* The agent changed the view (the zoom, best fit and the centre, moved by
 * dx, dy photo pixels, or centred): linked viewers follow. */
void     _er_photo_viewer_acted          (ErPhotoViewer *self,
                                          gboolean       centred,
                                          double         dx,
                                          double         dy);

/* er-photo-viewer-zoom.c */
/* Zooms to zoom keeping the photo point under (x, y) where it is. */
void     _er_photo_viewer_zoom_around    (ErPhotoViewer *self, double zoom, double x, double y);
/* Zooms by factor around (x, y), stopping at best fit when going past it. */
void     _er_photo_viewer_zoom_by        (ErPhotoViewer *self, double factor, double x, double y);

/* er-photo-viewer-input.c */
void     _er_photo_viewer_init_input     (ErPhotoViewer *self);
/* The pointer position over the widget, else its centre. */
void     _er_photo_viewer_get_pointer    (ErPhotoViewer *self, double *x, double *y);

/* er-photo-viewer-draw.c */
void     _er_photo_viewer_snapshot       (GtkWidget *widget, GtkSnapshot *snapshot);
/* Forgets the copies made for drawing the photo (GTK 4.8). */
void     _er_photo_viewer_clear_levels   (ErPhotoViewer *self);

/* er-photo-link.c */
void     _er_photo_link_add              (ErPhotoLink *self, ErPhotoViewer *viewer);
void     _er_photo_link_remove           (ErPhotoLink *self, ErPhotoViewer *viewer);
/* The largest zoom at which every photo fits whole, 1.0 without photos. */
double   _er_photo_link_get_fit          (ErPhotoLink *self);
/* See _er_photo_viewer_acted(); notes source as the viewer acted on last. */
void     _er_photo_link_follow           (ErPhotoLink   *self,
                                          ErPhotoViewer *source,
                                          gboolean       centred,
                                          double         dx,
                                          double         dy);
/* The common fit may have changed (a size, a rotation): each viewer but
 * source takes it into account. */
void     _er_photo_link_refit            (ErPhotoLink *self, ErPhotoViewer *source);
/* viewer has a new photo (or none): at the others' zoom, centred. */
void     _er_photo_link_adopt            (ErPhotoLink *self, ErPhotoViewer *viewer);

G_END_DECLS
