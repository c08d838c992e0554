/* test-photo-image.c: ErPhotoImage: a JPEG decoded for the screen first (a
 * libjpeg scale), orientation applied, then at full resolution on demand;
 * a PNG decoded whole, or held downscaled when it is over the limit held.
 * The pictures are drawn here (a pattern and a red block in the upright
 * top-left corner), encoded in memory, never written anywhere.
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "er-error.h"
#include "er-photo-image.h"
#include "er-photo.h"
#include "fake-images.h"

#define WAIT_SECONDS 60

/* A w × h picture: a busy pattern (so that the JPEG is as costly to decode
 * as a photo) and a red block of bw × bh at (x, y). */
static GdkPixbuf *
picture (int w, int h, int x, int y, int bw, int bh, gboolean busy)
{
  g_autoptr(GdkPixbuf) red = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  if (busy)
    {
      for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
          {
            guchar *p = pixels + (gsize) j * stride + (gsize) i * 3;

            /* Greys and blues only: never taken for the red block. */
            p[0] = p[1] = (guchar) (96 + ((i * 7 + j * 3) % 64));
            p[2] = (guchar) (128 + ((i ^ j) % 96));
          }
    }
  else
    gdk_pixbuf_fill (pixbuf, 0xffffffff);
  red = gdk_pixbuf_new_subpixbuf (pixbuf, x, y, bw, bh);
  gdk_pixbuf_fill (red, 0xff0000ff);
  return pixbuf;
}

static GBytes *
encode (GdkPixbuf *pixbuf, const char *type)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  if (g_str_equal (type, "png"))
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, "compression", "1", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* Whether the texture pixel at (x, y) is red. */
static gboolean
is_red (GdkTexture *texture, int x, int y)
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc_n ((gsize) w * h, 4);
  const guchar *p;

  gdk_texture_download (texture, pixels, (gsize) w * 4);
  /* GDK_MEMORY_DEFAULT: B, G, R, A in memory on little-endian machines. */
  p = pixels + ((gsize) y * w + x) * 4;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return p[2] > 200 && p[1] < 60 && p[0] < 60;
#else
  return p[1] > 200 && p[2] < 60 && p[3] < 60;
#endif
}

static gboolean
is_final (ErPhotoImage *image)
{
  return er_photo_image_get_final (image);
}

static void
wait_final (ErPhotoImage *image)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!is_final (image))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
count_cb (gpointer object, guint *count)
{
  (*count)++;
}

static void
count_notify_cb (gpointer object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* A 12 MP phone photo (4000 × 3000 upright), stored as cameras do with
 * orientation 1, 6 or 8: decoded for a 600 × 400 pane at 1/4 (1000 × 750),
 * upright, the red block top-left; then at full size when asked. */
static void
test_jpeg_preview (void)
{
  const int W = 4000, H = 3000, B = 400;
  static const guint orientations[] = { 1, 6, 8 };

  for (guint i = 0; i < G_N_ELEMENTS (orientations); i++)
    {
      guint o = orientations[i];
      g_autoptr(GdkPixbuf) stored = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) jpeg = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ErPhotoImage) image = NULL;
      g_autoptr(GdkTexture) preview = NULL;
      GdkTexture *texture;
      guint invalidated = 0, texture_notified = 0;
      gint64 start, preview_us, full_us;
      int tw, th;

      if (o == 1)
        stored = picture (W, H, 0, 0, B, B, TRUE);
      else if (o == 6)  /* turned 90° clockwise on display: block bottom-left */
        stored = picture (H, W, 0, W - B, B, B, TRUE);
      else              /* turned 90° counter-clockwise on display: block top-right */
        stored = picture (H, W, H - B, 0, B, B, TRUE);
      plain = encode (stored, "jpeg");
      jpeg = o == 1 ? g_bytes_ref (plain) : fake_image_jpeg_set_orientation (plain, o);
      g_assert_nonnull (jpeg);

      start = g_get_monotonic_time ();
      image = er_photo_image_decode (jpeg, MAX (600, 400), NULL, &error);
      preview_us = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_test_message ("orientation %u", o);

      /* The photo's own size, upright, whatever the texture's. */
      g_assert_cmpint (er_photo_image_get_width (image), ==, W);
      g_assert_cmpint (er_photo_image_get_height (image), ==, H);
      g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (image)), ==, W);
      g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (image)), ==, H);
      texture = er_photo_image_get_texture (image);
      tw = gdk_texture_get_width (texture);
      th = gdk_texture_get_height (texture);
      /* At least the pane's size, at most twice it: 1/4 exactly. */
      g_assert_cmpint (tw, >=, 600);
      g_assert_cmpint (tw, <=, 2 * 600);
      g_assert_cmpint (tw, ==, W / 4);
      g_assert_cmpint (th, ==, H / 4);
      g_assert_cmpfloat_with_epsilon (er_photo_image_get_scale (image), 0.25, 1e-9);
      g_assert_true (is_red (texture, 10, 10));
      g_assert_false (is_red (texture, tw - 10, 10));
      g_assert_false (is_red (texture, 10, th - 10));
      g_assert_false (er_photo_image_get_final (image));
      /* The preview and the JPEG bytes for the full decode. */
      g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==,
                        (guint64) tw * th * 4 + g_bytes_get_size (jpeg));

      preview = g_object_ref (texture);
      g_signal_connect (image, "invalidate-contents", G_CALLBACK (count_cb), &invalidated);
      g_signal_connect (image, "notify::texture", G_CALLBACK (count_notify_cb), &texture_notified);
      start = g_get_monotonic_time ();
      er_photo_image_load_full (image);
      g_assert_true (er_photo_image_get_loading (image));
      er_photo_image_load_full (image);  /* once is enough */
      wait_final (image);
      full_us = g_get_monotonic_time () - start;
      g_test_message ("12 MP JPEG: preview %d × %d in %.0f ms, full in %.0f ms",
                      tw, th, preview_us / 1000.0, full_us / 1000.0);

      texture = er_photo_image_get_texture (image);
      g_assert_true (texture != preview);
      g_assert_cmpuint (invalidated, ==, 1);
      g_assert_cmpuint (texture_notified, ==, 1);
      g_assert_false (er_photo_image_get_loading (image));
      g_assert_cmpint (gdk_texture_get_width (texture), ==, W);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, H);
      g_assert_cmpint (er_photo_image_get_width (image), ==, W);
      g_assert_true (is_red (texture, 20, 20));
      g_assert_false (is_red (texture, W - 20, 20));
      /* Only the full texture is held now: no preview, no JPEG bytes. */
      g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==, (guint64) W * H * 4);
    }
}

/* A photo already small enough for the target is decoded whole, once. */
static void
test_jpeg_small (void)
{
  g_autoptr(GdkPixbuf) stored = picture (1200, 760, 0, 0, 100, 100, FALSE);
  g_autoptr(GBytes) jpeg = encode (stored, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, 1024, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (er_photo_image_get_final (image));
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 1200);
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==, 1200 * 760 * 4);

  /* Target 300: 1/4 gives exactly 300. */
  g_clear_object (&image);
  image = er_photo_image_decode (jpeg, 300, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 300);
  g_assert_cmpint (gdk_texture_get_height (er_photo_image_get_texture (image)), ==, 190);

  /* Errors as er_photo_decode's. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("GIF89a junk", 11);
    g_autoptr(ErPhotoImage) none = er_photo_image_decode (junk, 600, NULL, &error);

    g_assert_null (none);
    g_assert_nonnull (error);
  }
}


/* libjpeg's scales give exactly ⌈w/d⌉ × ⌈h/d⌉, for sizes that are not
 * multiples of 8, upright too (orientation 6: the stored picture is
 * h × w), and the photo's own size stays the full one. */
static void
test_jpeg_scales (void)
{
  const int W = 1001, H = 757;
  static const struct {
    int target;
    int denom;
  } scales[] = {
    { 0, 1 }, { 1001, 1 }, { 502, 1 }, { 501, 2 }, { 252, 2 }, { 251, 4 }, { 127, 4 },
    { 126, 8 }, { 10, 8 },
  };

  for (guint turned = 0; turned < 2; turned++)
    {
      g_autoptr(GdkPixbuf) stored = turned ? picture (H, W, 0, W - 100, 100, 100, TRUE)
                                           : picture (W, H, 0, 0, 100, 100, TRUE);
      g_autoptr(GBytes) plain = encode (stored, "jpeg");
      g_autoptr(GBytes) jpeg = turned ? fake_image_jpeg_set_orientation (plain, 6)
                                      : g_bytes_ref (plain);

      for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
        {
          int d = scales[i].denom;
          g_autoptr(GError) error = NULL;
          g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, scales[i].target, NULL, &error);
          GdkTexture *texture;

          g_test_message ("target %d, orientation %d", scales[i].target, turned ? 6 : 1);
          g_assert_no_error (error);
          texture = er_photo_image_get_texture (image);
          g_assert_cmpint (gdk_texture_get_width (texture), ==, (W + d - 1) / d);
          g_assert_cmpint (gdk_texture_get_height (texture), ==, (H + d - 1) / d);
          g_assert_cmpint (er_photo_image_get_width (image), ==, W);
          g_assert_cmpint (er_photo_image_get_height (image), ==, H);
          g_assert_cmpint (er_photo_image_get_final (image), ==, d == 1);
          g_assert_true (is_red (texture, 2, 2));
          g_assert_false (is_red (texture, gdk_texture_get_width (texture) - 3, 2));
        }
    }
}

/* A cancelled decode returns G_IO_ERROR_CANCELLED and nothing else, and
 * an image dropped while its full decode runs throws the result away. */
static void
test_jpeg_cancel (void)
{
  g_autoptr(GdkPixbuf) stored = picture (2400, 1600, 0, 0, 100, 100, TRUE);
  g_autoptr(GBytes) jpeg = encode (stored, "jpeg");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = NULL;

  g_cancellable_cancel (cancellable);
  for (int target = 0; target <= 600; target += 600)
    {
      g_autoptr(ErPhotoImage) none = er_photo_image_decode (jpeg, target, cancellable, &error);

      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
    }

  /* The full decode under way, then the image dropped: it is cancelled,
   * its thread ends, nothing is notified (a weak reference). */
  image = er_photo_image_decode (jpeg, 600, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (er_photo_image_get_final (image));
  er_photo_image_load_full (image);
  g_assert_true (er_photo_image_get_loading (image));
  g_clear_object (&image);
  {
    gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }

  /* Still usable afterwards: a damaged file is the same error as before. */
  {
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
    g_autoptr(ErPhotoImage) none = er_photo_image_decode (cut, 600, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT);
  }
}

/* A PNG within the limit held is decoded whole and kept so: final. */
static void
test_png_small (void)
{
  g_autoptr(GdkPixbuf) stored = picture (2000, 1500, 0, 0, 100, 100, FALSE);
  g_autoptr(GBytes) png = encode (stored, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (png, 600, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (er_photo_image_get_final (image));
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 2000);
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==, 2000 * 1500 * 4);
}

/* A PNG over ER_PHOTO_MAX_HELD_PIXELS (here 6000 × 4000, 24 MP; the
 * contract allows 100) is held downscaled: to the target first, then at
 * most the limit held; never at full size. */
static void
test_png_huge (void)
{
  const int W = 6000, H = 4000;
  g_autoptr(GdkPixbuf) stored = picture (W, H, 0, 0, 600, 600, FALSE);
  g_autoptr(GBytes) png = encode (stored, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = NULL;
  GdkTexture *texture;

  g_clear_object (&stored);
  image = er_photo_image_decode (png, 1024, NULL, &error);
  g_assert_no_error (error);
  texture = er_photo_image_get_texture (image);
  g_assert_cmpint (er_photo_image_get_width (image), ==, W);
  g_assert_cmpint (er_photo_image_get_height (image), ==, H);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1024);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 682);
  g_assert_true (is_red (texture, 10, 10));
  g_assert_false (er_photo_image_get_final (image));

  er_photo_image_load_full (image);
  wait_final (image);
  texture = er_photo_image_get_texture (image);
  g_assert_cmpint ((gint64) gdk_texture_get_width (texture) * gdk_texture_get_height (texture),
                   <=, ER_PHOTO_MAX_HELD_PIXELS);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 4000);
  g_assert_true (is_red (texture, 10, 10));
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), <=, (guint64) ER_PHOTO_MAX_HELD_PIXELS * 4);
}

static gboolean
texture_width_is (ErPhotoImage *image, int width)
{
  return gdk_texture_get_width (er_photo_image_get_texture (image)) == width;
}

/* A preview decoded for a larger screen is decoded again, smaller, for the
 * real one (the panes laid out after the first case was decoded); the
 * photo's size and the red block's place do not change; a preview already
 * as small as the target allows, or a PNG, is left. */
static void
test_jpeg_reduce (void)
{
  g_autoptr(GdkPixbuf) stored = picture (1600, 1200, 800, 600, 200, 200, TRUE);
  g_autoptr(GBytes) jpeg = encode (stored, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, 1024, NULL, &error);
  g_autoptr(ErPhotoImage) png_image = NULL;
  guint textures = 0;
  guint64 held;

  g_assert_no_error (error);
  g_assert_true (texture_width_is (image, 1600 / 1));
  /* 1600 for 1024: the whole; for 300, 1/4 (400 × 300). */
  g_assert_true (er_photo_image_get_final (image));
  g_clear_object (&image);
  image = er_photo_image_decode (jpeg, 700, NULL, &error);
  g_assert_true (texture_width_is (image, 800));
  held = er_photo_image_get_held_bytes (image);
  g_signal_connect (image, "notify::texture", G_CALLBACK (count_notify_cb), &textures);

  g_assert_true (er_photo_image_reduce (image, 300));
  g_assert_false (er_photo_image_reduce (image, 300));  /* under way */
  while (textures == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (texture_width_is (image, 400));
  g_assert_cmpint (gdk_texture_get_height (er_photo_image_get_texture (image)), ==, 300);
  g_assert_cmpint (er_photo_image_get_width (image), ==, 1600);
  g_assert_false (er_photo_image_get_final (image));
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), <, held);
  g_assert_true (is_red (er_photo_image_get_texture (image), 225, 175));
  /* As small as 300 allows; then the full resolution still comes. */
  g_assert_false (er_photo_image_reduce (image, 300));
  er_photo_image_load_full (image);
  wait_final (image);
  g_assert_true (texture_width_is (image, 1600));
  g_assert_false (er_photo_image_reduce (image, 100));

  /* A PNG is decoded whole: nothing to reduce. */
  {
    g_autoptr(GdkPixbuf) small = picture (64, 48, 0, 0, 8, 8, FALSE);
    g_autoptr(GBytes) png = encode (small, "png");

    png_image = er_photo_image_decode (png, 16, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (er_photo_image_reduce (png_image, 16));
  }
}

static void
wait_invalidated (guint *invalidated, guint count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (*invalidated < count)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The alpha of the texture pixel at (x, y), premultiplied layout. */
static guint
alpha_at (GdkTexture *texture, int x, int y)
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc_n ((gsize) w * h, 4);

  gdk_texture_download (texture, pixels, (gsize) w * 4);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return pixels[((gsize) y * w + x) * 4 + 3];
#else
  return pixels[((gsize) y * w + x) * 4];
#endif
}

/* The copy fitted to a pane: the size best fit gives, made in the
 * background, counted as held, near enough for a pane a few pixels off,
 * made again for another size; dropped with the image. */
static void
test_fit (void)
{
  g_autoptr(GdkPixbuf) stored = picture (1600, 1200, 0, 0, 400, 400, TRUE);
  g_autoptr(GBytes) jpeg = encode (stored, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = NULL;
  GdkTexture *fitted, *again;
  guint invalidated = 0, held_notified = 0;
  guint64 held;
  int w, h;

  /* As large as fits, the shape kept; never empty. */
  er_photo_fit_size (4000, 3000, 454, 369, &w, &h);
  g_assert_cmpint (w, ==, 454);
  g_assert_cmpint (h, ==, 341);  /* 340.5 */
  er_photo_fit_size (1200, 760, 1000, 300, &w, &h);
  g_assert_cmpint (w, ==, 474);
  g_assert_cmpint (h, ==, 300);
  er_photo_fit_size (320, 240, 640, 960, &w, &h);  /* enlarged */
  g_assert_cmpint (w, ==, 640);
  g_assert_cmpint (h, ==, 480);
  er_photo_fit_size (0, 240, 640, 960, &w, &h);
  g_assert_cmpint (w, ==, 1);
  g_assert_cmpint (h, ==, 1);
  er_photo_fit_size (10000, 10, 300, 300, &w, &h);
  g_assert_cmpint (w, ==, 300);
  g_assert_cmpint (h, ==, 1);

  image = er_photo_image_decode (jpeg, 700, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (texture_width_is (image, 800));
  held = er_photo_image_get_held_bytes (image);
  g_signal_connect (image, "invalidate-contents", G_CALLBACK (count_cb), &invalidated);
  g_signal_connect (image, "notify::held-bytes", G_CALLBACK (count_notify_cb), &held_notified);
  g_assert_null (er_photo_image_get_fitted (image, 454, 341));

  er_photo_image_fit (image, 454, 369);
  er_photo_image_fit (image, 454, 345);  /* the same size of photo: one copy */
  wait_invalidated (&invalidated, 1);
  fitted = er_photo_image_get_fitted (image, 454, 341);
  g_assert_nonnull (fitted);
  g_assert_cmpint (gdk_texture_get_width (fitted), ==, 454);
  g_assert_cmpint (gdk_texture_get_height (fitted), ==, 341);
  g_assert_cmpuint (held_notified, ==, 1);
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==, held + 454 * 341 * 4);
  /* The red block (a quarter of the width) where it belongs. */
  g_assert_true (is_red (fitted, 50, 50));
  g_assert_false (is_red (fitted, 200, 50));
  g_assert_false (is_red (fitted, 50, 200));
  g_assert_cmpuint (alpha_at (fitted, 300, 300), ==, 0xff);
  /* The texture shown when zoomed is the image's own, unchanged. */
  g_assert_true (texture_width_is (image, 800));

  /* A few pixels off: near enough; fit_near() makes nothing. */
  g_assert_true (er_photo_image_get_fitted (image, 450, 338) == fitted);
  g_assert_null (er_photo_image_get_fitted (image, 400, 300));
  g_assert_null (er_photo_image_get_fitted (image, 454, 300));
  er_photo_image_fit_near (image, 452, 339);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (invalidated, ==, 1);

  /* Exact, for another pane: a new copy replaces it. */
  er_photo_image_fit (image, 400, 400);
  wait_invalidated (&invalidated, 2);
  again = er_photo_image_get_fitted (image, 400, 300);
  g_assert_nonnull (again);
  g_assert_true (again != fitted);
  g_assert_null (er_photo_image_get_fitted (image, 454, 341));
  g_assert_cmpuint (er_photo_image_get_held_bytes (image), ==, held + 400 * 300 * 4);

  /* No box, or a box too large for a screen: nothing. */
  er_photo_image_fit (image, 0, 300);
  er_photo_image_fit_near (image, -1, -1);
  g_assert_true (er_photo_image_get_fitted (image, 400, 300) == again);

  /* The full resolution leaves the copy as it is. */
  er_photo_image_load_full (image);
  wait_final (image);
  g_assert_true (er_photo_image_get_fitted (image, 400, 300) == again);

  /* Dropped while its copy is being made: the copy is thrown away. */
  er_photo_image_fit (image, 300, 300);
  g_clear_object (&image);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  /* A photo with transparent parts keeps them. */
  {
    g_autoptr(GdkPixbuf) clear = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 64, 48);
    g_autoptr(GBytes) png = NULL;
    g_autoptr(ErPhotoImage) png_image = NULL;
    guint png_invalidated = 0;

    gdk_pixbuf_fill (clear, 0x00000000);
    png = encode (clear, "png");
    png_image = er_photo_image_decode (png, 64, NULL, &error);
    g_assert_no_error (error);
    g_signal_connect (png_image, "invalidate-contents", G_CALLBACK (count_cb), &png_invalidated);
    er_photo_image_fit (png_image, 32, 32);
    wait_invalidated (&png_invalidated, 1);
    fitted = er_photo_image_get_fitted (png_image, 32, 24);
    g_assert_nonnull (fitted);
    g_assert_cmpuint (alpha_at (fitted, 16, 12), ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/photo-image/jpeg-preview", test_jpeg_preview);
  g_test_add_func ("/photo-image/jpeg-small", test_jpeg_small);
  g_test_add_func ("/photo-image/jpeg-scales", test_jpeg_scales);
  g_test_add_func ("/photo-image/jpeg-cancel", test_jpeg_cancel);
  g_test_add_func ("/photo-image/jpeg-reduce", test_jpeg_reduce);
  g_test_add_func ("/photo-image/png-small", test_png_small);
  g_test_add_func ("/photo-image/png-huge", test_png_huge);
  g_test_add_func ("/photo-image/fit", test_fit);

  return g_test_run ();
}
