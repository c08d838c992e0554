/* test-photo-viewer-preview.c: the photo viewer with an ErPhotoImage, under
 * a virtual display: a preview texture four times smaller than the photo
 * is shown at the photo's own size (fit, zoom levels and the photo's
 * bounds are the photo's), the full decode starts when the zoom goes past
 * the preview's resolution, and the full texture replaces the preview
 * without moving anything. At best fit it draws the photo's copy fitted to
 * its size.
 *
 * The photo is drawn by code: 3200×2000, four coloured quarters (red top
 * left, green top right, blue bottom left, yellow bottom right), encoded as
 * a JPEG in memory.
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gtk/gtk.h>

#include "er-photo-image.h"
#include "er-photo-viewer.h"
#include "test-xdotool.h"

#define EPSILON 1e-6

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (;;)
    {
      if (condition (data))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
has_size (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) == 400 &&
         gtk_widget_get_height (widget) == 300;
}

static gboolean
is_final (gpointer data)
{
  return er_photo_image_get_final (data);
}

static GBytes *
quarters_jpeg (int width,
               int height)
{
  static const guint32 colours[] = { 0xff0000ff, 0x00ff00ff, 0x0000ffff, 0xffff00ff };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  for (int q = 0; q < 4; q++)
    {
      g_autoptr(GdkPixbuf) quarter =
        gdk_pixbuf_new_subpixbuf (pixbuf, q % 2 * width / 2, q / 2 * height / 2,
                                  width / 2, height / 2);

      gdk_pixbuf_fill (quarter, colours[q]);
    }
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* What widget draws now, as its parent would have it drawn. */
static GskRenderNode *
widget_node (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* The colour the window's renderer draws at (x, y) of widget: 0xRRGGBB. */
static guint32
pixel_at (GtkWidget *widget,
          int        x,
          int        y)
{
  g_autoptr(GskRenderNode) node = widget_node (widget);
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  return pixels[y * width + x] & 0xffffff;
}

/* Whether the colour is near the expected one, channel by channel. */
static gboolean
near (guint32 colour, guint32 expected)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) ((colour >> shift) & 0xff) - (int) ((expected >> shift) & 0xff)) > 24)
      return FALSE;
  return TRUE;
}

/* viewer alone in an undecorated window of 400 × 300, laid out. */
static GtkWidget *
show_viewer (ErPhotoViewer *viewer)
{
  GtkWidget *window = gtk_window_new ();

  test_xdotool_pointer_away ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (viewer));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (has_size, viewer, 10));
  return window;
}

static void
test_preview_then_full (void)
{
  g_autoptr(GBytes) jpeg = quarters_jpeg (3200, 2000);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, 400, NULL, &error);
  ErPhotoViewer *viewer = ER_PHOTO_VIEWER (er_photo_viewer_new ());
  GtkWidget *window;
  graphene_rect_t bounds, area, bounds_after, area_after;
  GdkTexture *preview;
  double zoom;

  g_assert_no_error (error);
  preview = er_photo_image_get_texture (image);
  /* 1/8: 400 × 250, the pane's width. */
  g_assert_cmpint (gdk_texture_get_width (preview), ==, 400);

  er_photo_viewer_set_paintable (viewer, GDK_PAINTABLE (image));
  window = show_viewer (viewer);

  /* Best fit is the photo's: 400 / 3200. The preview is enough for it. */
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (viewer), 0.125, EPSILON);
  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.size.width, 400, 1e-3);
  g_assert_cmpfloat_with_epsilon (bounds.size.height, 250, 1e-3);
  g_assert_false (er_photo_image_get_loading (image));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 50, 100), 0xff0000));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 350, 250), 0xffff00));

  /* 100 % is one photo pixel per pixel, not one preview pixel. */
  er_photo_viewer_actual_size (viewer);
  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.size.width, 3200, 1e-3);
  /* Past the preview's resolution: the full decode starts. Turn and move
   * the photo meanwhile. */
  g_assert_true (er_photo_image_get_loading (image) || er_photo_image_get_final (image));
  er_photo_viewer_rotate (viewer, 90);
  er_photo_viewer_pan (viewer, 130, -70);
  zoom = er_photo_viewer_get_zoom (viewer);
  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &bounds));
  g_assert_true (er_photo_viewer_get_visible_area (viewer, &area));

  g_assert_true (wait_for (is_final, image, 30));
  g_assert_true (er_photo_image_get_texture (image) != preview);
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 3200);

  /* Nothing moved. */
  g_assert_true (er_photo_viewer_get_paintable (viewer) == GDK_PAINTABLE (image));
  g_assert_cmpfloat (er_photo_viewer_get_zoom (viewer), ==, zoom);
  g_assert_cmpint (er_photo_viewer_get_rotation (viewer), ==, 90);
  g_assert_false (er_photo_viewer_get_best_fit (viewer));
  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &bounds_after));
  g_assert_true (er_photo_viewer_get_visible_area (viewer, &area_after));
  g_assert_true (graphene_rect_equal (&bounds, &bounds_after));
  g_assert_true (graphene_rect_equal (&area, &area_after));

  /* And it draws the full texture, turned: back at best fit (turned, the
   * photo is 2000 × 3200, 187.5 × 300 at 300 / 3200), red is top right. */
  er_photo_viewer_best_fit (viewer);
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 270, 50), 0xff0000));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 130, 250), 0xffff00));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The texture node drawn for the photo, found in the viewer's nodes. */
static GskRenderNode *
find_texture_node (GskRenderNode *node)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      return node;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        {
          GskRenderNode *found = find_texture_node (gsk_container_node_get_child (node, i));

          if (found != NULL)
            return found;
        }
      return NULL;
    case GSK_TRANSFORM_NODE:
      return find_texture_node (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return find_texture_node (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return find_texture_node (gsk_rounded_clip_node_get_child (node));
    case GSK_OPACITY_NODE:
      return find_texture_node (gsk_opacity_node_get_child (node));
    case GSK_DEBUG_NODE:
      return find_texture_node (gsk_debug_node_get_child (node));
    default:
      return NULL;
    }
}

/* The texture the viewer draws the photo from now, and its bounds. */
static GdkTexture *
drawn_texture (GtkWidget       *widget,
               graphene_rect_t *bounds)
{
  g_autoptr(GskRenderNode) node = widget_node (widget);
  GskRenderNode *texture_node = find_texture_node (node);

  g_assert_nonnull (texture_node);
  gsk_render_node_get_bounds (texture_node, bounds);
  return gsk_texture_node_get_texture (texture_node);
}

static gboolean
has_fitted (gpointer data)
{
  return er_photo_image_get_fitted (data, 400, 250) != NULL;
}

/* At best fit the viewer has the photo's copy fitted to its size made, and
 * draws it at its own size (nothing scaled at each frame); zoomed or
 * turned, it draws the photo's texture. */
static void
test_fitted_copy (void)
{
  g_autoptr(GBytes) jpeg = quarters_jpeg (3200, 2000);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, 800, NULL, &error);
  ErPhotoViewer *viewer = ER_PHOTO_VIEWER (er_photo_viewer_new ());
  GtkWidget *window;
  const GdkRectangle *box;
  graphene_rect_t bounds;
  GdkTexture *fitted;

  g_assert_no_error (error);
  er_photo_viewer_set_paintable (viewer, GDK_PAINTABLE (image));
  window = show_viewer (viewer);

  box = er_photo_viewer_get_device_box (viewer);
  g_assert_cmpint (box->width, ==, 400 * gtk_widget_get_scale_factor (GTK_WIDGET (viewer)));
  g_assert_cmpint (box->height, ==, 300 * gtk_widget_get_scale_factor (GTK_WIDGET (viewer)));
  g_assert_true (wait_for (has_fitted, image, 10));
  fitted = er_photo_image_get_fitted (image, 400, 250);
  g_assert_cmpint (gdk_texture_get_width (fitted), ==, 400);
  g_assert_cmpint (gdk_texture_get_height (fitted), ==, 250);

  g_assert_true (drawn_texture (GTK_WIDGET (viewer), &bounds) == fitted);
  g_assert_cmpfloat_with_epsilon (bounds.size.width, 400, EPSILON);
  g_assert_cmpfloat_with_epsilon (bounds.size.height, 250, EPSILON);
  g_assert_cmpfloat_with_epsilon (bounds.origin.y, 25, EPSILON);
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 50, 100), 0xff0000));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 350, 100), 0x00ff00));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 50, 250), 0x0000ff));
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 350, 250), 0xffff00));

  /* Zoomed in, the copy is of no use. */
  er_photo_viewer_zoom_in (viewer);
  g_assert_false (er_photo_viewer_get_best_fit (viewer));
  g_assert_true (drawn_texture (GTK_WIDGET (viewer), &bounds) != fitted);
  er_photo_viewer_best_fit (viewer);
  g_assert_true (drawn_texture (GTK_WIDGET (viewer), &bounds) == fitted);

  /* Turned, neither. */
  er_photo_viewer_rotate (viewer, 180);
  g_assert_true (drawn_texture (GTK_WIDGET (viewer), &bounds) != fitted);
  g_assert_true (near (pixel_at (GTK_WIDGET (viewer), 350, 250), 0xff0000));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }

  g_test_add_func ("/photo-viewer/preview-then-full", test_preview_then_full);
  g_test_add_func ("/photo-viewer/fitted-copy", test_fitted_copy);
  return g_test_run ();
}
