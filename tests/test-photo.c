/* test-photo.c: sniffing, decoding limits, EXIF orientation and the whole
 * fetch → decrypt → decode path against an in-test HTTP server. */
#include "config.h"

#include <cairo.h>
#include <gdk/gdk.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>  /* jpeglib.h needs FILE */
#include <string.h>
#include <sys/resource.h>

#include <jpeglib.h>

#include "er-error.h"
#include "er-photo-image.h"
#include "er-photo.h"
#include "fake-images.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static GBytes *
bytes_from (const void *data, gsize size)
{
  return g_bytes_new (data, size);
}

/* The process's peak resident size, in MiB. A refusal "from the header" is
 * checked by memory, not by time: the peak may not grow by anything like
 * the pixel buffer the header asks for (time would flake under sanitizers
 * or on a loaded machine; the duration is printed). */
static gint64
peak_rss_mib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss / 1024;   /* KiB on Linux */
}

/* CRC-32 (ISO-HDLC), as PNG chunks use. */
static guint32
crc32_of (const guint8 *data, gsize size)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < size; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return crc ^ 0xffffffffu;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* Signature + IHDR (width × height, 8-bit RGBA) + an IDAT of junk + IEND. */
static GBytes *
png_header (guint32 width, guint32 height)
{
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[4 + 4 + 13 + 4];
  guint8 idat[4 + 4 + 64 + 4];
  static const guint8 iend[] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);

  put_be32 (ihdr, 13);
  memcpy (ihdr + 4, "IHDR", 4);
  put_be32 (ihdr + 8, width);
  put_be32 (ihdr + 12, height);
  ihdr[16] = 8;   /* bit depth */
  ihdr[17] = 6;   /* RGBA */
  ihdr[18] = 0;
  ihdr[19] = 0;
  ihdr[20] = 0;
  put_be32 (ihdr + 21, crc32_of (ihdr + 4, 4 + 13));
  g_byte_array_append (png, ihdr, sizeof ihdr);

  put_be32 (idat, 64);
  memcpy (idat + 4, "IDAT", 4);
  memset (idat + 8, 0x55, 64);
  put_be32 (idat + 8 + 64, crc32_of (idat + 4, 4 + 64));
  g_byte_array_append (png, idat, sizeof idat);

  g_byte_array_append (png, iend, sizeof iend);
  return g_byte_array_free_to_bytes (png);
}

static GdkPixbuf *
pixbuf_from_cairo (cairo_surface_t *surface)
{
  cairo_surface_flush (surface);
  return gdk_pixbuf_get_from_surface (surface, 0, 0, cairo_image_surface_get_width (surface),
                                      cairo_image_surface_get_height (surface));
}

static GBytes *
encode (GdkPixbuf *pixbuf, const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, "quality", "95", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* A white w × h picture with a red block at (x, y, bw, bh). */
static GdkPixbuf *
marker_picture (int w, int h, int x, int y, int bw, int bh)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  GdkPixbuf *pixbuf;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, x, y, bw, bh);
  cairo_fill (cr);
  cairo_destroy (cr);
  pixbuf = pixbuf_from_cairo (surface);
  cairo_surface_destroy (surface);
  return pixbuf;
}

/* Average colour of a region of a texture, as 0..255 r, g, b. */
static void
texture_region (GdkTexture *texture, int x, int y, int w, int h, double rgb[3])
{
  int tw = gdk_texture_get_width (texture);
  int th = gdk_texture_get_height (texture);
  gsize stride = (gsize) tw * 4;
  g_autofree guint8 *pixels = g_malloc (stride * th);
  double sum[3] = { 0, 0, 0 };

  g_assert_cmpint (x + w, <=, tw);
  g_assert_cmpint (y + h, <=, th);
  gdk_texture_download (texture, pixels, stride);
  for (int j = y; j < y + h; j++)
    for (int i = x; i < x + w; i++)
      {
        guint32 p;

        memcpy (&p, pixels + j * stride + i * 4, 4);  /* CAIRO_FORMAT_ARGB32, native endian */
        sum[0] += (p >> 16) & 0xff;
        sum[1] += (p >> 8) & 0xff;
        sum[2] += p & 0xff;
      }
  for (int c = 0; c < 3; c++)
    rgb[c] = sum[c] / (w * h);
}

static gboolean
region_is_red (GdkTexture *texture, int x, int y, int w, int h)
{
  double rgb[3];

  texture_region (texture, x, y, w, h, rgb);
  return rgb[0] > 200 && rgb[1] < 60 && rgb[2] < 60;
}

static gboolean
region_is_white (GdkTexture *texture, int x, int y, int w, int h)
{
  double rgb[3];

  texture_region (texture, x, y, w, h, rgb);
  return rgb[0] > 220 && rgb[1] > 220 && rgb[2] > 220;
}


/* ------------------------------------------------------------------------ */
/* JPEG fixtures: EXIF by hand, libjpeg's compressor for what gdk-pixbuf    */
/* cannot write (greyscale, progressive, CMYK)                              */

static void
put16_order (guint8 *p, guint v, gboolean big_endian)
{
  p[big_endian ? 0 : 1] = (v >> 8) & 0xff;
  p[big_endian ? 1 : 0] = v & 0xff;
}

static void
put32_order (guint8 *p, guint32 v, gboolean big_endian)
{
  put16_order (p + (big_endian ? 0 : 2), v >> 16, big_endian);
  put16_order (p + (big_endian ? 2 : 0), v & 0xffff, big_endian);
}

/* A TIFF structure (what follows "Exif\0\0") with IFD0 holding one entry:
 * tag, type, count, value (left-justified). 26 bytes. */
static GBytes *
tiff_one_entry (gboolean big_endian, guint32 ifd_offset, guint entries,
                guint tag, guint type, guint32 count, guint value)
{
  guint8 tiff[26] = { 0 };

  memcpy (tiff, big_endian ? "MM" : "II", 2);
  put16_order (tiff + 2, 42, big_endian);
  put32_order (tiff + 4, ifd_offset, big_endian);
  put16_order (tiff + 8, entries, big_endian);
  put16_order (tiff + 10, tag, big_endian);
  put16_order (tiff + 12, type, big_endian);
  put32_order (tiff + 14, count, big_endian);
  put16_order (tiff + 18, value, big_endian);
  put32_order (tiff + 22, 0, big_endian);  /* no next IFD */
  return g_bytes_new (tiff, sizeof tiff);
}

/* jpeg with an APP1 "Exif\0\0" + tiff segment spliced in right after SOI. */
static GBytes *
with_exif (GBytes *jpeg, GBytes *tiff)
{
  gsize size, tiff_size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  const guint8 *tiff_data = g_bytes_get_data (tiff, &tiff_size);
  GByteArray *out = g_byte_array_new ();
  guint8 head[4 + 6];

  g_assert_true (size > 2 && data[0] == 0xff && data[1] == 0xd8);
  g_assert_cmpuint (tiff_size, <=, 0xffff - 8);
  head[0] = 0xff;
  head[1] = 0xe1;
  put16_order (head + 2, 2 + 6 + tiff_size, TRUE);
  memcpy (head + 4, "Exif\0\0", 6);
  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, head, sizeof head);
  g_byte_array_append (out, tiff_data, tiff_size);
  g_byte_array_append (out, data + 2, size - 2);
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
with_orientation (GBytes *jpeg, guint orientation, gboolean big_endian)
{
  g_autoptr(GBytes) tiff = tiff_one_entry (big_endian, 8, 1, 0x0112, 3, 1, orientation);

  return with_exif (jpeg, tiff);
}

typedef enum {
  COMPRESS_RGB,
  COMPRESS_GRAY,
  COMPRESS_CMYK,
} CompressAs;

/* pixbuf (RGB, no alpha) as a JPEG written by libjpeg itself: greyscale
 * (its luma), CMYK (C = 255 - R and so on, K = 0, as Adobe writes it:
 * inverted), progressive or not. */
static GBytes *
compress (GdkPixbuf *pixbuf, CompressAs as, gboolean progressive)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr err;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  int w = gdk_pixbuf_get_width (pixbuf);
  int components = as == COMPRESS_GRAY ? 1 : as == COMPRESS_CMYK ? 4 : 3;
  g_autofree guint8 *row = g_malloc ((gsize) w * 4);
  GBytes *bytes;

  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  cinfo.err = jpeg_std_error (&err);  /* a failure here aborts the test: fine */
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = w;
  cinfo.image_height = gdk_pixbuf_get_height (pixbuf);
  cinfo.input_components = components;
  cinfo.in_color_space = as == COMPRESS_GRAY ? JCS_GRAYSCALE : as == COMPRESS_CMYK ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 92, TRUE);
  if (progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      const guint8 *src = gdk_pixbuf_read_pixels (pixbuf) +
                          (gsize) cinfo.next_scanline * gdk_pixbuf_get_rowstride (pixbuf);
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < w; x++)
        {
          const guint8 *p = src + x * 3;

          if (as == COMPRESS_GRAY)
            row[x] = (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;
          else if (as == COMPRESS_CMYK)
            {
              row[x * 4 + 0] = p[0];  /* inverted C = R */
              row[x * 4 + 1] = p[1];
              row[x * 4 + 2] = p[2];
              row[x * 4 + 3] = 255;   /* inverted K = 0 */
            }
          else
            memcpy (row + x * 3, p, 3);
        }
      jpeg_write_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  bytes = g_bytes_new (buffer, size);
  free (buffer);
  return bytes;
}

static gboolean
region_is (GdkTexture *texture, int x, int y, int w, int h, double r, double g, double b)
{
  double rgb[3];

  texture_region (texture, x, y, w, h, rgb);
  return fabs (rgb[0] - r) < 48 && fabs (rgb[1] - g) < 48 && fabs (rgb[2] - b) < 48;
}

/* ------------------------------------------------------------------------ */
/* Sniffing                                                                 */

static void
test_sniff (void)
{
  static const struct {
    const char *bytes;
    gsize       size;
    const char *format;
  } cases[] = {
#define C(b, f) { b, sizeof b - 1, f }
    C ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG"),
    C ("\xff\xd8\xff\xe0\0\x10JFIF\0", "JPEG"),
    C ("\xff\xd8\xff\xe1\0\x10" "Exif\0\0", "JPEG"),
    C ("GIF89a\x01\0\x01\0", "GIF"),
    C ("GIF87a\x01\0\x01\0", "GIF"),
    C ("RIFF\x24\0\0\0WEBPVP8 ", "WebP"),
    C ("II*\0\x08\0\0\0", "TIFF"),
    C ("MM\0*\0\0\0\x08", "TIFF"),
    C ("BM\x36\x04\0\0\0\0\0\0\x36\0\0\0\x28\0", "BMP"),
    C ("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", "HEIC"),
    C ("\0\0\0\x18" "ftypheix\0\0\0\0mif1heix", "HEIC"),
    C ("\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic", "HEIC"),
    C ("\0\0\0\x14" "ftyphevc\0\0\0\0mif1", "HEIC"),
    C ("\0\0\0\x14" "ftypmsf1\0\0\0\0msf1", "HEIF"),
    C ("\0\0\0\x1c" "ftypavif\0\0\0\0avifmif1miaf", "AVIF"),
    C ("\0\0\0\x18" "ftypmif1\0\0\0\0mif1avif", "AVIF"),
    C ("%PDF-1.7\n%\xe2\xe3", "PDF"),
    C ("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "SVG"),
    C ("\xef\xbb\xbf  <svg width=\"10\"/>", "SVG"),
    C ("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", "XML"),
    C ("<!DOCTYPE html><html><body>Not found</body></html>", "HTML"),
    C ("\0\0\x01\0\x01\0\x10\x10\0\0", "ICO"),
    /* Unknown. */
    C ("hello, world", NULL),
    C ("\0\0\0\x18" "ftypisom\0\0\0\0isomiso2", NULL),  /* an MP4 video */
    C ("BM", NULL),
    C ("\xff\xd8", NULL),
    C ("", NULL),
    C ("RIFF\x24\0\0\0WAVEfmt ", NULL),
#undef C
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from (cases[i].bytes, cases[i].size);

      g_test_message ("case %u: %s", i, cases[i].format);
      g_assert_cmpstr (er_photo_sniff_format (bytes), ==, cases[i].format);
    }

  /* The drawn photos are what they say. */
  {
    g_autoptr(GBytes) png = fake_image_face (1, 32, 24, FAKE_IMAGE_PNG, 1);
    g_autoptr(GBytes) jpeg = fake_image_face (1, 32, 24, FAKE_IMAGE_JPEG, 6);

    g_assert_cmpstr (er_photo_sniff_format (png), ==, "PNG");
    g_assert_cmpstr (er_photo_sniff_format (jpeg), ==, "JPEG");
  }
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

static void
test_decode_face_png (void)
{
  g_autoptr(GBytes) png = fake_image_face (7, 320, 240, FAKE_IMAGE_PNG, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = er_photo_decode (png, &error);

  g_assert_no_error (error);
  g_assert_true (GDK_IS_TEXTURE (texture));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 240);

  /* Same seed, same picture. */
  {
    g_autoptr(GBytes) again = fake_image_face (7, 320, 240, FAKE_IMAGE_PNG, 1);
    g_autoptr(GBytes) other = fake_image_face (8, 320, 240, FAKE_IMAGE_PNG, 1);

    g_assert_true (g_bytes_equal (png, again));
    g_assert_false (g_bytes_equal (png, other));
  }
}

static void
test_decode_id_jpeg (void)
{
  g_autoptr(GBytes) jpeg = fake_image_id_card ("Marie-Ève Côté", 3, 600, 380, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = er_photo_decode (jpeg, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 600);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 380);
}

/* A red block in the upright top-left corner, stored turned as a camera
 * would, with the EXIF tag that tells viewers how to turn it back. */
static void
test_decode_orientation (void)
{
  const int W = 80, H = 48, BW = 24, BH = 12;
  static const guint orientations[] = { 1, 3, 6, 8 };

  for (guint i = 0; i < G_N_ELEMENTS (orientations); i++)
    {
      guint o = orientations[i];
      g_autoptr(GdkPixbuf) stored = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) tagged = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      switch (o)
        {
        case 1: /* as is */
          stored = marker_picture (W, H, 0, 0, BW, BH);
          break;
        case 3: /* turned 180°: the block is bottom-right */
          stored = marker_picture (W, H, W - BW, H - BH, BW, BH);
          break;
        case 6: /* the viewer turns it 90° clockwise: the block is bottom-left, H × W */
          stored = marker_picture (H, W, 0, W - BW, BH, BW);
          break;
        case 8: /* the viewer turns it 90° counter-clockwise: the block is top-right */
          stored = marker_picture (H, W, H - BH, 0, BH, BW);
          break;
        default:
          g_assert_not_reached ();
        }

      plain = encode (stored, "jpeg");
      tagged = fake_image_jpeg_set_orientation (plain, o);
      g_assert_nonnull (tagged);

      texture = er_photo_decode (tagged, &error);
      g_assert_no_error (error);
      g_test_message ("orientation %u", o);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, W);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, H);
      /* Inside the block (away from JPEG's blurred edges), and the other corners. */
      g_assert_true (region_is_red (texture, 2, 2, BW - 4, BH - 4));
      g_assert_true (region_is_white (texture, W - BW + 2, 2, BW - 4, BH - 4));
      g_assert_true (region_is_white (texture, 2, H - BH + 2, BW - 4, BH - 4));
      g_assert_true (region_is_white (texture, W - BW + 2, H - BH + 2, BW - 4, BH - 4));
    }
}

/* The drawn photos with an orientation come out upright, whichever byte order
 * their EXIF uses, and a second tag replaces the first. */
static void
test_fake_images_orientation (void)
{
  for (guint o = 1; o <= 8; o++)
    {
      g_autoptr(GBytes) jpeg = fake_image_face (4, 120, 90, FAKE_IMAGE_JPEG, o);
      g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      GdkPixbuf *stored;

      g_assert_true (gdk_pixbuf_loader_write_bytes (loader, jpeg, &error));
      g_assert_true (gdk_pixbuf_loader_close (loader, &error));
      g_assert_no_error (error);
      stored = gdk_pixbuf_loader_get_pixbuf (loader);
      if (o == 1)
        g_assert_null (gdk_pixbuf_get_option (stored, "orientation"));
      else
        {
          g_autofree char *expected = g_strdup_printf ("%u", o);
          g_assert_cmpstr (gdk_pixbuf_get_option (stored, "orientation"), ==, expected);
        }
      g_assert_cmpint (gdk_pixbuf_get_width (stored), ==, o >= 5 ? 90 : 120);

      texture = er_photo_decode (jpeg, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 120);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 90);
    }

  {
    g_autoptr(GBytes) six = fake_image_id_card ("Zoé", 2, 200, 126, FAKE_IMAGE_JPEG, 6);
    g_autoptr(GBytes) three = fake_image_jpeg_set_orientation (six, 3);
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpuint (g_bytes_get_size (three), ==, g_bytes_get_size (six));
    g_assert_true (gdk_pixbuf_loader_write_bytes (loader, three, &error));
    g_assert_true (gdk_pixbuf_loader_close (loader, &error));
    g_assert_cmpstr (gdk_pixbuf_get_option (gdk_pixbuf_loader_get_pixbuf (loader), "orientation"),
                     ==, "3");
  }
}


/* The upright picture of the orientation tests: red top-left, blue
 * top-right, green bottom-left, white elsewhere (bottom-right). */
#define OW 320
#define OH 192
#define OBW 96
#define OBH 48

static GdkPixbuf *
corners_picture (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, OW, OH);
  cairo_t *cr = cairo_create (surface);
  GdkPixbuf *pixbuf;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, 0, 0, OBW, OBH);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_rectangle (cr, OW - OBW, 0, OBW, OBH);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 1, 0);
  cairo_rectangle (cr, 0, OH - OBH, OBW, OBH);
  cairo_fill (cr);
  cairo_destroy (cr);
  pixbuf = pixbuf_from_cairo (surface);
  cairo_surface_destroy (surface);
  return pixbuf;
}

/* The picture a camera stores for an upright one with EXIF orientation o:
 * the inverse of what a viewer does for o, made with gdk-pixbuf's own
 * turns (independent of the decoder's). */
static GdkPixbuf *
stored_for (GdkPixbuf *upright, guint o)
{
  g_autoptr(GdkPixbuf) turned = NULL;

  switch (o)
    {
    case 1: return gdk_pixbuf_copy (upright);
    case 2: return gdk_pixbuf_flip (upright, TRUE);
    case 3: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_UPSIDEDOWN);
    case 4: return gdk_pixbuf_flip (upright, FALSE);
    case 5:  /* transposed: its own inverse */
      turned = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);
      return gdk_pixbuf_flip (turned, TRUE);
    case 6: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
    case 7:  /* transversed: its own inverse */
      turned = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
      return gdk_pixbuf_flip (turned, TRUE);
    case 8: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);
    default: g_assert_not_reached ();
    }
}

/* The four corners of an upright corners_picture() shown at tw × th. */
static void
assert_corners (GdkTexture *texture)
{
  int tw = gdk_texture_get_width (texture);
  int th = gdk_texture_get_height (texture);
  /* The blocks at this scale, less a margin for JPEG's blur. */
  int bw = OBW * tw / OW, bh = OBH * th / OH;
  int mx = MAX (2, bw / 8), my = MAX (2, bh / 8);

  g_assert_cmpint (tw * OH, ==, th * OW);
  g_assert_true (region_is (texture, mx, my, bw - 2 * mx, bh - 2 * my, 255, 0, 0));
  g_assert_true (region_is (texture, tw - bw + mx, my, bw - 2 * mx, bh - 2 * my, 0, 0, 255));
  g_assert_true (region_is (texture, mx, th - bh + my, bw - 2 * mx, bh - 2 * my, 0, 255, 0));
  g_assert_true (region_is (texture, tw - bw + mx, th - bh + my, bw - 2 * mx, bh - 2 * my,
                            255, 255, 255));
}

/* Every EXIF orientation, in both byte orders, comes out upright: at full
 * size and in a 1/4 preview; the photo's own size is the upright one. */
static void
test_decode_orientation_all (void)
{
  g_autoptr(GdkPixbuf) upright = corners_picture ();

  for (guint o = 1; o <= 8; o++)
    for (guint order = 0; order < 2; order++)
      {
        g_autoptr(GdkPixbuf) stored = stored_for (upright, o);
        g_autoptr(GBytes) plain = encode (stored, "jpeg");
        g_autoptr(GBytes) jpeg = with_orientation (plain, o, order == 0);
        g_autoptr(GError) error = NULL;
        g_autoptr(GdkTexture) texture = NULL;
        g_autoptr(ErPhotoImage) image = NULL;

        g_test_message ("orientation %u, %s-endian EXIF", o, order == 0 ? "big" : "little");
        g_assert_cmpint (gdk_pixbuf_get_width (stored), ==, o >= 5 ? OH : OW);

        texture = er_photo_decode (jpeg, &error);
        g_assert_no_error (error);
        g_assert_cmpint (gdk_texture_get_width (texture), ==, OW);
        g_assert_cmpint (gdk_texture_get_height (texture), ==, OH);
        assert_corners (texture);

        /* Long side 320 for 80: 1/4. */
        image = er_photo_image_decode (jpeg, 80, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (er_photo_image_get_width (image), ==, OW);
        g_assert_cmpint (er_photo_image_get_height (image), ==, OH);
        g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, OW / 4);
        g_assert_cmpint (gdk_texture_get_height (er_photo_image_get_texture (image)), ==, OH / 4);
        assert_corners (er_photo_image_get_texture (image));
      }
}

/* EXIF is whatever the learner's file holds: offsets past the end, counts
 * larger than the segment, cut structures, nonsense values. The photo
 * decodes as stored, orientation ignored, and nothing is read outside
 * the segment (the sanitizer pass checks that). */
static void
test_decode_exif_hostile (void)
{
  g_autoptr(GdkPixbuf) upright = corners_picture ();
  g_autoptr(GBytes) plain = encode (upright, "jpeg");
  GBytes *tiffs[] = {
    tiff_one_entry (TRUE, 0xfffffff0u, 1, 0x0112, 3, 1, 6),   /* IFD past the end */
    tiff_one_entry (FALSE, 0xfffffff0u, 1, 0x0112, 3, 1, 6),
    tiff_one_entry (TRUE, 24, 1, 0x0112, 3, 1, 6),            /* IFD at the end: no entry */
    tiff_one_entry (FALSE, 25, 1, 0x0112, 3, 1, 6),           /* its count cut in two */
    tiff_one_entry (TRUE, 8, 0xffff, 0x010f, 2, 1, 6),        /* 65535 entries, one there */
    tiff_one_entry (FALSE, 8, 0xffff, 0x010f, 2, 1, 6),
    tiff_one_entry (TRUE, 8, 1, 0x0112, 3, 1, 9),             /* no such orientation */
    tiff_one_entry (FALSE, 8, 1, 0x0112, 3, 1, 0),
    tiff_one_entry (TRUE, 8, 1, 0x0112, 4, 1, 6),             /* a LONG */
    tiff_one_entry (TRUE, 8, 1, 0x0112, 3, 0, 6),             /* no value */
    g_bytes_new_static ("MM\0+\0\0\0\x08", 8),                /* not 42 */
    g_bytes_new_static ("XX\0*\0\0\0\x08", 8),                /* no byte order */
    g_bytes_new_static ("MM\0*", 4),                          /* cut */
    g_bytes_new_static ("", 0),                               /* "Exif\0\0" and nothing */
  };

  for (guint i = 0; i < G_N_ELEMENTS (tiffs); i++)
    {
      g_autoptr(GBytes) jpeg = with_exif (plain, tiffs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_test_message ("hostile EXIF %u", i);
      texture = er_photo_decode (jpeg, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, OW);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, OH);
      assert_corners (texture);
      g_bytes_unref (tiffs[i]);
    }

  /* An entry cut by the end of the segment is not read either. */
  {
    g_autoptr(GBytes) whole = tiff_one_entry (TRUE, 8, 1, 0x0112, 3, 1, 6);
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (whole, 0, 8 + 2 + 9);
    g_autoptr(GBytes) jpeg = with_exif (plain, cut);
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = er_photo_decode (jpeg, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, OW);
  }
}

/* Greyscale comes out as RGB (grey: r = g = b); a progressive JPEG decodes
 * like a baseline one, at full size and scaled; a CMYK one (Adobe's
 * inverted CMYK), which libjpeg cannot turn into RGB, goes through
 * gdk-pixbuf's loader and shows the same colours. */
static void
test_decode_jpeg_kinds (void)
{
  g_autoptr(GdkPixbuf) upright = corners_picture ();

  {
    g_autoptr(GBytes) gray = compress (upright, COMPRESS_GRAY, FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = er_photo_decode (gray, &error);
    double rgb[3];

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, OW);
    g_assert_cmpint (gdk_texture_get_height (texture), ==, OH);
    texture_region (texture, 8, 8, 16, 16, rgb);  /* red: luma 76 */
    g_assert_cmpfloat (fabs (rgb[0] - 76), <, 12);
    g_assert_cmpfloat (rgb[0], ==, rgb[1]);
    g_assert_cmpfloat (rgb[1], ==, rgb[2]);
    g_assert_true (region_is (texture, OW - 60, OH - 30, 40, 20, 255, 255, 255));
  }

  for (guint as = COMPRESS_RGB; as <= COMPRESS_CMYK; as += COMPRESS_CMYK - COMPRESS_RGB)
    {
      g_autoptr(GBytes) jpeg = compress (upright, as, as == COMPRESS_RGB);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = er_photo_decode (jpeg, &error);
      g_autoptr(ErPhotoImage) image = NULL;

      g_test_message (as == COMPRESS_RGB ? "progressive" : "CMYK");
      g_assert_no_error (error);
      assert_corners (texture);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, OW);

      image = er_photo_image_decode (jpeg, 80, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, OW / 4);
      assert_corners (er_photo_image_get_texture (image));
    }

  /* A progressive JPEG cut short is damaged too, at full size or scaled. */
  {
    g_autoptr(GBytes) jpeg = compress (upright, COMPRESS_RGB, TRUE);
    gsize size = g_bytes_get_size (jpeg);
    gsize cuts[] = { size / 3, size / 2, size - 2 };

    for (guint j = 0; j < G_N_ELEMENTS (cuts); j++)
      {
        g_autoptr(GBytes) cut = g_bytes_new_from_bytes (jpeg, 0, cuts[j]);
        g_autoptr(GError) error = NULL;
        g_autoptr(GdkTexture) texture = er_photo_decode (cut, &error);
        g_autoptr(ErPhotoImage) image = NULL;

        g_assert_null (texture);
        g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT);
        g_clear_error (&error);
        image = er_photo_image_decode (cut, 80, NULL, &error);
        g_assert_null (image);
        g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT);
      }
  }
}

static void
test_decode_corrupt (void)
{
  g_autoptr(GBytes) png = fake_image_face (2, 200, 150, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) jpeg = fake_image_face (2, 200, 150, FAKE_IMAGE_JPEG, 1);
  GBytes *whole[] = { png, jpeg };

  for (guint i = 0; i < G_N_ELEMENTS (whole); i++)
    {
      gsize size = g_bytes_get_size (whole[i]);
      gsize cuts[] = { 8, 40, size / 2, size - 8, size - 2 };

      for (guint j = 0; j < G_N_ELEMENTS (cuts); j++)
        {
          g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (whole[i], 0, cuts[j]);
          g_autoptr(GError) error = NULL;
          g_autoptr(GdkTexture) texture = er_photo_decode (truncated, &error);

          g_test_message ("%s cut at %" G_GSIZE_FORMAT, i == 0 ? "PNG" : "JPEG", cuts[j]);
          g_assert_null (texture);
          g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT);
          g_assert_cmpstr (error->message, ==,
                           "The photo is damaged and cannot be shown. Ask for it again.");
        }
    }

  /* A PNG whose header says 0 × 0. */
  {
    g_autoptr(GBytes) empty = png_header (0, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = er_photo_decode (empty, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT);
  }
}

static void
test_decode_format (void)
{
  /* Random bytes. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (42);
    g_autofree guint8 *junk = g_malloc (4096);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = NULL;

    for (guint i = 0; i < 4096; i++)
      junk[i] = g_rand_int_range (rand, 0, 256);
    junk[0] = 0x7f;
    bytes = g_bytes_new (junk, 4096);
    texture = er_photo_decode (bytes, &error);
    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
    g_assert_nonnull (strstr (error->message, "PNG or JPEG"));
  }

  /* An iPhone's HEIC. */
  {
    static const char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic\0\0\x01\0meta";
    g_autoptr(GBytes) bytes = bytes_from (heic, sizeof heic - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = er_photo_decode (bytes, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
    g_assert_nonnull (strstr (error->message, "HEIC"));
  }

  /* Formats gdk-pixbuf could decode are still refused. */
  {
    /* Each sample's own length (the literal without its final NUL): reading
     * a fixed length ran past the shorter ones (ASan: global-buffer-overflow). */
#define SAMPLE(bytes, format) { bytes, sizeof (bytes) - 1, format }
    static const struct {
      const char *data;
      gsize       size;
      const char *format;
    } others[] = {
      SAMPLE ("GIF89a\x01\0\x01\0\x80\0\0", "GIF"),
      SAMPLE ("RIFF\x24\0\0\0WEBPVP8 ", "WebP"),
      SAMPLE ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    };
#undef SAMPLE

    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        g_autoptr(GBytes) bytes = bytes_from (others[i].data, others[i].size);
        g_autoptr(GError) error = NULL;
        g_autoptr(GdkTexture) texture = er_photo_decode (bytes, &error);

        g_assert_null (texture);
        g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
        g_assert_nonnull (strstr (error->message, others[i].format));
      }
  }
}

static void
test_decode_too_many_pixels_png (void)
{
  g_autoptr(GBytes) png = png_header (20000, 20000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 peak = peak_rss_mib ();
  gint64 start = g_get_monotonic_time ();

  texture = er_photo_decode (png, &error);
  g_assert_null (texture);
  g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20000"));
  /* Refused from the header: no 1.6 GB buffer was filled. */
  g_test_message ("20000 x 20000 PNG refused in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (peak_rss_mib () - peak, <, 64);

  /* One row over the limit is refused too (an image at the limit would be decoded). */
  {
    g_autoptr(GBytes) over = png_header (10000, 10001);
    g_autoptr(GError) over_error = NULL;
    g_autoptr(GdkTexture) over_texture = er_photo_decode (over, &over_error);

    g_assert_null (over_texture);
    g_assert_error (over_error, ER_ERROR, ER_ERROR_IMAGE_TOO_LARGE);
  }
}

static void
test_decode_too_many_pixels_jpeg (void)
{
  g_autoptr(GdkPixbuf) small = marker_picture (16, 16, 0, 0, 8, 8);
  g_autoptr(GBytes) jpeg = encode (small, "jpeg");
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gsize size;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (jpeg), &size);
  gboolean patched = FALSE;
  gint64 peak;
  gint64 start;

  /* Rewrite the frame header (SOFn) to say 12000 × 9000: 108 megapixels. */
  for (gsize i = 2; i + 9 < size; i++)
    if (data[i] == 0xff && (data[i + 1] == 0xc0 || data[i + 1] == 0xc2))
      {
        data[i + 5] = 9000 >> 8;
        data[i + 6] = 9000 & 0xff;
        data[i + 7] = 12000 >> 8;
        data[i + 8] = 12000 & 0xff;
        patched = TRUE;
        break;
      }
  g_assert_true (patched);
  big = g_bytes_new_take (data, size);

  peak = peak_rss_mib ();
  start = g_get_monotonic_time ();
  texture = er_photo_decode (big, &error);
  g_assert_null (texture);
  g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "12000"));
  /* Refused from the header: no 432 MB buffer was filled. */
  g_test_message ("12000 x 9000 JPEG refused in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (peak_rss_mib () - peak, <, 64);
}

static void
test_decode_too_many_bytes (void)
{
  gsize size = 26 * 1024 * 1024;
  guint8 *data = g_malloc0 (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  memcpy (data, "\x89PNG\r\n\x1a\n", 8);
  bytes = g_bytes_new_take (data, size);
  texture = er_photo_decode (bytes, &error);
  g_assert_null (texture);
  g_assert_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE);
  /* Audit finding 8: one figure for the limit everywhere, not "26.2 MB"
   * here and "25 MB" there. */
  g_assert_nonnull (strstr (error->message, "larger than 25 MB"));
  g_assert_null (strstr (error->message, "26.2"));
}

/* The limits as messages state them (the fetch, the decoder, the New Case
 * window and the e-mail reader use the same figure). */
static void
test_size_limit_text (void)
{
  g_autofree char *photo = er_format_size_limit (ER_PHOTO_MAX_BYTES);
  g_autofree char *mail = er_format_size_limit (60 * 1024 * 1024);
  g_autofree char *odd = er_format_size_limit (16);
  g_autofree char *mail_limit = g_strdup_printf ("%d MB", ER_PHOTO_MAX_BYTES / (1024 * 1024));

  g_assert_cmpstr (photo, ==, "25 MB");
  g_assert_cmpstr (mail, ==, "60 MB");
  g_assert_cmpstr (odd, ==, "16 bytes");
  /* er-mail.c says "%d MB" of ER_PHOTO_MAX_BYTES / MiB: the same text. */
  g_assert_cmpstr (photo, ==, mail_limit);
}

/* Decoding in several threads at once. */
static gpointer
decode_thread (gpointer user_data)
{
  GBytes *jpeg = user_data;

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = er_photo_decode (jpeg, &error);

      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 160);
    }
  return NULL;
}

static void
test_decode_threads (void)
{
  g_autoptr(GBytes) jpeg = fake_image_face (9, 160, 120, FAKE_IMAGE_JPEG, 8);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("decode", decode_thread, jpeg);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* ------------------------------------------------------------------------ */
/* Loading end to end                                                       */

static struct {
  SoupServer   *server;
  char         *url;
  ErPrivateKey *key;
  GBytes       *face;        /* the clear PNG */
  char         *encrypted;   /* URL-safe base64 ciphertext of an ID card JPEG */
  char         *wrapped_key;
  GPtrArray    *paused;      /* SoupServerMessage held by /slow */
  guint         requests;
} srv;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  srv.requests++;

  if (g_str_equal (path, "/photos/clear"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (srv.face, NULL),
                                        g_bytes_get_size (srv.face));
    }
  else if (g_str_equal (path, "/photos/encrypted"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        srv.encrypted, strlen (srv.encrypted));
    }
  else if (g_str_equal (path, "/photos/slow"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (srv.paused, g_object_ref (msg));
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"not_found\",\"message\":\"No such photo\"}",
                                        strlen ("{\"error\":\"not_found\",\"message\":\"No such photo\"}"));
    }
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GdkTexture *
load (ErClient *client, ErPrivateKey *key, const char *url, const char *wrapped,
      GCancellable *cancellable, gboolean cancel_now, guint cancel_after_ms, GError **error)
{
  g_autoptr(ErPhotoRef) ref = er_photo_ref_new (url, wrapped);
  g_autoptr(GAsyncResult) result = NULL;

  er_photo_load_async (client, key, ref, cancellable, store_result_cb, &result);
  if (cancel_now)
    g_cancellable_cancel (cancellable);
  else if (cancel_after_ms > 0)
    {
      gint64 deadline = g_get_monotonic_time () + cancel_after_ms * 1000;

      while (result == NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      g_assert_null (result);
      g_cancellable_cancel (cancellable);
    }
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return er_photo_load_finish (result, error);
}

static void
test_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErClient) client = er_client_new (srv.url, "photo-token", &error);

  g_assert_no_error (error);

  /* (a) encrypted the Open edX way. */
  {
    g_autoptr(GdkTexture) texture = load (client, srv.key, "/photos/encrypted", srv.wrapped_key,
                                          NULL, FALSE, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 400);
    g_assert_cmpint (gdk_texture_get_height (texture), ==, 252);
  }

  /* (b) in clear, with an absolute URL. */
  {
    g_autofree char *url = g_strconcat (srv.url, "/photos/clear", NULL);
    g_autoptr(GdkTexture) texture = load (client, NULL, url, NULL, NULL, FALSE, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
    g_assert_cmpint (gdk_texture_get_height (texture), ==, 240);
  }

  /* (c) encrypted but no private key: refused before downloading anything. */
  {
    guint before = srv.requests;
    g_autoptr(GdkTexture) texture = load (client, NULL, "/photos/encrypted", srv.wrapped_key,
                                          NULL, FALSE, 0, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
    g_assert_cmpuint (srv.requests, ==, before);
    g_clear_error (&error);
  }

  /* A wrapped key that does not unwrap. */
  {
    g_autoptr(GdkTexture) texture = load (client, srv.key, "/photos/encrypted", "AAAAAAAA",
                                          NULL, FALSE, 0, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
    g_clear_error (&error);
  }

  /* The encrypted body served as if it were clear: not an image. */
  {
    g_autoptr(GdkTexture) texture = load (client, srv.key, "/photos/encrypted", NULL,
                                          NULL, FALSE, 0, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
    g_clear_error (&error);
  }

  /* Not found: the client's error comes through. */
  {
    g_autoptr(GdkTexture) texture = load (client, NULL, "/photos/missing", NULL,
                                          NULL, FALSE, 0, &error);

    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

static void
test_load_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErClient) client = er_client_new (srv.url, "photo-token", &error);

  g_assert_no_error (error);

  /* Cancelled straight away. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GdkTexture) texture = load (client, srv.key, "/photos/encrypted", srv.wrapped_key,
                                          cancellable, TRUE, 0, &error);

    g_assert_null (texture);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  /* Cancelled while the server has not answered yet. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GdkTexture) texture = load (client, NULL, "/photos/slow", NULL,
                                          cancellable, FALSE, 100, &error);

    g_assert_null (texture);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_cmpuint (srv.paused->len, ==, 1);
  }

  /* Cancelled before the call. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GdkTexture) texture = NULL;

    g_cancellable_cancel (cancellable);
    texture = load (client, srv.key, "/photos/clear", NULL, cancellable, FALSE, 0, &error);
    g_assert_null (texture);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPublicKey) public_key = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GBytes) card = NULL;
  GSList *uris;

  srv.key = er_private_key_generate (2048, &error);
  g_assert_no_error (error);
  pem = er_private_key_get_public_pem (srv.key);
  public_key = er_public_key_new_from_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);

  srv.face = fake_image_face (11, 320, 240, FAKE_IMAGE_PNG, 1);
  card = fake_image_id_card ("Léa Bélanger", 11, 400, 252, FAKE_IMAGE_JPEG, 6);
  g_assert_true (er_crypto_encrypt_photo (public_key, card, &srv.encrypted, &srv.wrapped_key,
                                          &error));
  g_assert_no_error (error);
  srv.paused = g_ptr_array_new_with_free_func (g_object_unref);

  srv.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (srv.server, "/photos", server_cb, NULL, NULL);
  soup_server_listen_local (srv.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (srv.server);
  g_assert_nonnull (uris);
  srv.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
server_stop (void)
{
  for (guint i = 0; i < srv.paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (srv.paused, i);

      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  g_clear_pointer (&srv.paused, g_ptr_array_unref);
  soup_server_disconnect (srv.server);
  g_clear_object (&srv.server);
  g_clear_pointer (&srv.url, g_free);
  g_clear_pointer (&srv.key, er_private_key_unref);
  g_clear_pointer (&srv.face, g_bytes_unref);
  g_clear_pointer (&srv.encrypted, g_free);
  g_clear_pointer (&srv.wrapped_key, g_free);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/photo/sniff", test_sniff);
  g_test_add_func ("/photo/decode/face-png", test_decode_face_png);
  g_test_add_func ("/photo/decode/id-jpeg", test_decode_id_jpeg);
  g_test_add_func ("/photo/decode/orientation", test_decode_orientation);
  g_test_add_func ("/photo/decode/fake-images-orientation", test_fake_images_orientation);
  g_test_add_func ("/photo/decode/orientation-all", test_decode_orientation_all);
  g_test_add_func ("/photo/decode/exif-hostile", test_decode_exif_hostile);
  g_test_add_func ("/photo/decode/jpeg-kinds", test_decode_jpeg_kinds);
  g_test_add_func ("/photo/decode/corrupt", test_decode_corrupt);
  g_test_add_func ("/photo/decode/format", test_decode_format);
  g_test_add_func ("/photo/decode/too-many-pixels-png", test_decode_too_many_pixels_png);
  g_test_add_func ("/photo/decode/too-many-pixels-jpeg", test_decode_too_many_pixels_jpeg);
  g_test_add_func ("/photo/decode/too-many-bytes", test_decode_too_many_bytes);
  g_test_add_func ("/photo/size-limit-text", test_size_limit_text);
  g_test_add_func ("/photo/decode/threads", test_decode_threads);
  g_test_add_func ("/photo/load", test_load);
  g_test_add_func ("/photo/load/cancel", test_load_cancel);

  server_start ();
  ret = g_test_run ();
  server_stop ();

  return ret;
}
