/* er-photo-viewer-draw.c: drawing the photo, turned and zoomed, and the
 * zoom level over it.
 */
#include "config.h"

#include <math.h>

#include "er-photo-image.h"
#include "er-photo-viewer-private.h"

/* From this many device pixels per photo pixel on, show the photo's pixels
 * as they are (GTK 4.10 and later). */
#define NEAREST_FROM 4.0
#define INDICATOR_MARGIN 12
#define INDICATOR_PAD_X 12
#define INDICATOR_PAD_Y 6

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

  /* The preview was replaced by the full resolution. */
  if (self->levels != NULL && g_ptr_array_index (self->levels, 0) != texture)
    _er_photo_viewer_clear_levels (self);
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
 * pixels per photo pixel. An ErPhotoImage is drawn from its texture, which
 * may be smaller than the photo (a preview): scale is then per texture
 * pixel. */
static void
draw_photo (ErPhotoViewer *self,
            GtkSnapshot   *snapshot,
            double         width,
            double         height,
            double         scale)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
  GdkTexture *texture;

  if (ER_IS_PHOTO_IMAGE (self->paintable) && self->rotation == 0 && self->best_fit)
    {
      int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      int device_width = (int) lround (width * scale_factor);
      int device_height = (int) lround (height * scale_factor);
      GdkTexture *fitted = er_photo_image_get_fitted (ER_PHOTO_IMAGE (self->paintable),
                                                      device_width, device_height);

      /* At best fit, the copy made for it, drawn at its own size in device
       * pixels (a fraction of a pixel off the exact fit): its pixels are
       * copied, not scaled. A copy made for a slightly different pane is
       * scaled, until the exact one comes. */
      if (fitted != NULL)
        {
          if (gdk_texture_get_width (fitted) == device_width &&
              gdk_texture_get_height (fitted) == device_height)
            bounds = GRAPHENE_RECT_INIT (0, 0, (double) device_width / scale_factor,
                                         (double) device_height / scale_factor);
          gtk_snapshot_append_texture (snapshot, fitted, &bounds);
          return;
        }
    }

  if (ER_IS_PHOTO_IMAGE (self->paintable))
    {
      texture = er_photo_image_get_texture (ER_PHOTO_IMAGE (self->paintable));
      scale /= er_photo_image_get_scale (ER_PHOTO_IMAGE (self->paintable));
    }
  else if (GDK_IS_TEXTURE (self->paintable))
    texture = GDK_TEXTURE (self->paintable);
  else
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
    gtk_snapshot_append_scaled_texture (snapshot, texture, filter, &bounds);
    G_GNUC_END_IGNORE_DEPRECATIONS
  }
#else
  gtk_snapshot_append_texture (snapshot,
                               get_texture_level (self, texture, scale),
                               &bounds);
#endif
}

/* The highlighted box, in the photo's coordinates (zoomed): a white line
 * inside a dark one, seen on any photo. */
static void
draw_highlight (ErPhotoViewer *self,
                GtkSnapshot   *snapshot)
{
  graphene_rect_t box;
  GskRoundedRect outline;
  const GdkRGBA colors[] = { { 0, 0, 0, 0.6 }, { 1, 1, 1, 0.95 } };
  const float widths[] = { 4, 2 };

  graphene_rect_scale (&self->highlight, self->zoom, self->zoom, &box);
  graphene_rect_inset (&box, -6, -6);
  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    {
      const float w[4] = { widths[i], widths[i], widths[i], widths[i] };
      const GdkRGBA c[4] = { colors[i], colors[i], colors[i], colors[i] };

      gsk_rounded_rect_init_from_rect (&outline, &box, 4);
      gtk_snapshot_append_border (snapshot, &outline, w, c);
    }
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

void
_er_photo_viewer_snapshot (GtkWidget   *widget,
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
      if (self->has_highlight)
        draw_highlight (self, snapshot);
      gtk_snapshot_restore (snapshot);
    }

  draw_indicator (self, snapshot);
  gtk_snapshot_pop (snapshot);
}

void
_er_photo_viewer_clear_levels (ErPhotoViewer *self)
{
#if !GTK_CHECK_VERSION (4, 10, 0)
  g_clear_pointer (&self->levels, g_ptr_array_unref);
#endif
}
