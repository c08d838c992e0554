/* er-photo-viewer.c: (skeleton) */
#include "config.h"

#include "er-photo-viewer.h"

struct _ErPhotoViewer
{
  GtkWidget     parent_instance;
  GdkPaintable *paintable;
};

G_DEFINE_FINAL_TYPE (ErPhotoViewer, er_photo_viewer, GTK_TYPE_WIDGET)

GtkWidget *er_photo_viewer_new (void) { return g_object_new (ER_TYPE_PHOTO_VIEWER, NULL); }
void er_photo_viewer_set_paintable (ErPhotoViewer *self, GdkPaintable *paintable) { g_set_object (&self->paintable, paintable); gtk_widget_queue_draw (GTK_WIDGET (self)); }
GdkPaintable *er_photo_viewer_get_paintable (ErPhotoViewer *self) { return self->paintable; }
void er_photo_viewer_zoom_in (ErPhotoViewer *self) { }
void er_photo_viewer_zoom_out (ErPhotoViewer *self) { }
void er_photo_viewer_best_fit (ErPhotoViewer *self) { }
void er_photo_viewer_actual_size (ErPhotoViewer *self) { }
void er_photo_viewer_pan (ErPhotoViewer *self, double dx, double dy) { }
void er_photo_viewer_rotate (ErPhotoViewer *self, int degrees) { }
void er_photo_viewer_reset (ErPhotoViewer *self) { }
double er_photo_viewer_get_zoom (ErPhotoViewer *self) { return 1.0; }
gboolean er_photo_viewer_get_best_fit (ErPhotoViewer *self) { return TRUE; }
int er_photo_viewer_get_rotation (ErPhotoViewer *self) { return 0; }

static void
er_photo_viewer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  ErPhotoViewer *self = ER_PHOTO_VIEWER (widget);

  if (self->paintable != NULL)
    gdk_paintable_snapshot (self->paintable, snapshot, gtk_widget_get_width (widget),
                            gtk_widget_get_height (widget));
}

static void
er_photo_viewer_dispose (GObject *object)
{
  g_clear_object (&ER_PHOTO_VIEWER (object)->paintable);
  G_OBJECT_CLASS (er_photo_viewer_parent_class)->dispose (object);
}

static void
er_photo_viewer_class_init (ErPhotoViewerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = er_photo_viewer_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = er_photo_viewer_snapshot;
}

static void er_photo_viewer_init (ErPhotoViewer *self) { }
