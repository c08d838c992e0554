/* er-photo-jpeg.c: JPEG decoding with libjpeg(-turbo) directly.
 *
 * gdk-pixbuf's loader is incremental: it suspends whenever a chunk runs
 * out and decodes the partial MCU rows again on every refill, then copies
 * and turns the pixbuf. Here the whole JPEG is in memory already, so
 * libjpeg reads it in one pass (jpeg_mem_src), writes its rows straight
 * into the buffer that becomes the texture, and only a photo stored turned
 * (EXIF orientation) is copied once more.
 *
 * What libjpeg cannot turn into RGB (CMYK and YCCK, as some scanners and
 * Photoshop write) is left to gdk-pixbuf's loader, which can.
 */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>  /* jpeglib.h needs FILE */
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "er-error.h"
#include "er-block.h"
#include "er-photo-jpeg.h"

/* How many rows are decoded between two looks at the cancellable. */
#define CANCEL_CHECK_ROWS 32

/* Rows handed to libjpeg in one jpeg_read_scanlines() call. */
#define ROWS_PER_READ 16

/* ------------------------------------------------------------------------ */
/* Scale and completeness                                                   */

/* libjpeg decodes at 1/2, 1/4 or 1/8 at a fraction of the cost, giving
 * ⌈w/d⌉ × ⌈h/d⌉. d is the largest that keeps the long side at least the
 * target, and at least large enough to stay within max_pixels. */
int
_er_photo_jpeg_scale (int       width,
                      int       height,
                      int       target,
                      gint64    max_pixels,
                      gboolean *final)
{
  int long_side = MAX (width, height);
  int cap_denom = 1;
  int denom;

  while (max_pixels > 0 && cap_denom < 8 &&
         (gint64) (width / cap_denom) * (height / cap_denom) > max_pixels)
    cap_denom *= 2;
  denom = cap_denom;
  while (target > 0 && denom < 8 && (long_side + 2 * denom - 1) / (2 * denom) >= target)
    denom *= 2;
  *final = denom == cap_denom;
  return denom;
}

/* A JPEG's segments and entropy-coded data up to the EOI marker. libjpeg
 * pads a truncated file with grey and only warns, so check it is all there. */
gboolean
_er_photo_jpeg_is_complete (const guint8 *data, gsize size)
{
  gsize pos = 2;

  while (pos + 1 < size)
    {
      const guint8 *next;
      guint8 marker;
      gsize length;

      if (data[pos] != 0xff)
        {
          /* Entropy-coded data: on to the next 0xff at once. */
          next = memchr (data + pos, 0xff, size - pos);
          if (next == NULL)
            return FALSE;
          pos = next - data;
          continue;
        }
      marker = data[pos + 1];
      if (marker == 0xff)
        {
          pos++;  /* fill byte */
          continue;
        }
      if (marker == 0xd9)
        return TRUE;
      if (marker == 0x00 || marker == 0x01 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7))
        {
          pos += 2;  /* stuffed 0xff, or a marker without a length */
          continue;
        }
      if (pos + 4 > size)
        return FALSE;
      length = ((gsize) data[pos + 2] << 8) | data[pos + 3];
      if (length < 2 || length > size - pos - 2)
        return FALSE;
      pos += 2 + length;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* EXIF orientation                                                         */

/* Every read is checked against the segment's end: the EXIF is whatever the
 * learner's file says. */
static gboolean
tiff_u16 (const guint8 *tiff, gsize size, gsize offset, gboolean big_endian, guint *value)
{
  if (offset > size || size - offset < 2)
    return FALSE;
  *value = big_endian ? ((guint) tiff[offset] << 8) | tiff[offset + 1]
                      : ((guint) tiff[offset + 1] << 8) | tiff[offset];
  return TRUE;
}

static gboolean
tiff_u32 (const guint8 *tiff, gsize size, gsize offset, gboolean big_endian, guint32 *value)
{
  guint hi, lo;

  if (!tiff_u16 (tiff, size, offset, big_endian, big_endian ? &hi : &lo) ||
      !tiff_u16 (tiff, size, offset + 2, big_endian, big_endian ? &lo : &hi))
    return FALSE;
  *value = ((guint32) hi << 16) | lo;
  return TRUE;
}

/* The Orientation tag (0x0112, a SHORT from 1 to 8) of IFD0 of a TIFF
 * structure; 1 when there is none or it makes no sense. */
static guint
tiff_orientation (const guint8 *tiff, gsize size)
{
  gboolean big_endian;
  guint magic, count;
  guint32 ifd;

  if (size < 8)
    return 1;
  if (memcmp (tiff, "MM", 2) == 0)
    big_endian = TRUE;
  else if (memcmp (tiff, "II", 2) == 0)
    big_endian = FALSE;
  else
    return 1;
  if (!tiff_u16 (tiff, size, 2, big_endian, &magic) || magic != 42 ||
      !tiff_u32 (tiff, size, 4, big_endian, &ifd) ||
      !tiff_u16 (tiff, size, ifd, big_endian, &count))
    return 1;

  /* However many entries the count claims, only those within the segment. */
  for (guint i = 0; i < count; i++)
    {
      gsize entry = (gsize) ifd + 2 + (gsize) i * 12;
      guint tag, type, value;
      guint32 n;

      if (entry > size || size - entry < 12)
        break;
      tiff_u16 (tiff, size, entry, big_endian, &tag);
      if (tag != 0x0112)
        continue;
      tiff_u16 (tiff, size, entry + 2, big_endian, &type);
      tiff_u32 (tiff, size, entry + 4, big_endian, &n);
      tiff_u16 (tiff, size, entry + 8, big_endian, &value);  /* left-justified in 4 bytes */
      if (type == 3 && n >= 1 && value >= 1 && value <= 8)
        return value;
      return 1;
    }
  return 1;
}

/* The orientation of the first EXIF APP1 segment libjpeg kept. */
static guint
exif_orientation (j_decompress_ptr cinfo)
{
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next)
    if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp (m->data, "Exif\0\0", 6) == 0)
      return tiff_orientation (m->data + 6, m->data_length - 6);
  return 1;
}

/* The stored w × h RGB pixels turned upright. The source position of the
 * upright (0, 0) pixel, and the source steps for one upright pixel to the
 * right and one down, by orientation (EXIF: 2 mirrored, 3 turned 180°,
 * 4 flipped, 5 transposed, 6 turned 90° clockwise on display, 7
 * transversed, 8 turned 90° counter-clockwise). Square tiles keep both the
 * reads and the writes within the cache when rows become columns. */
static gboolean
orient (const guint8 *src,
        int           sw,
        int           sh,
        guint         orientation,
        ErBlock      *upright,
        int          *width,
        int          *height)
{
  static const struct {
    gboolean right, bottom;  /* origin on the right / bottom edge */
    int xx, xy, yx, yy;      /* source steps in pixels, for x + 1 and y + 1 */
  } turns[9] = {
    [1] = { FALSE, FALSE,  1,  0,  0,  1 },
    [2] = { TRUE,  FALSE, -1,  0,  0,  1 },
    [3] = { TRUE,  TRUE,  -1,  0,  0, -1 },
    [4] = { FALSE, TRUE,   1,  0,  0, -1 },
    [5] = { FALSE, FALSE,  0,  1,  1,  0 },
    [6] = { FALSE, TRUE,   0, -1,  1,  0 },
    [7] = { TRUE,  TRUE,   0, -1, -1,  0 },
    [8] = { TRUE,  FALSE,  0,  1, -1,  0 },
  };
  const gssize stride = (gssize) sw * 3;
  const int w = orientation >= 5 ? sh : sw;
  const int h = orientation >= 5 ? sw : sh;
  const gsize dstride = (gsize) w * 3;
  const gssize step_x = turns[orientation].xx * 3 + turns[orientation].xy * stride;
  const gssize step_y = turns[orientation].yx * 3 + turns[orientation].yy * stride;
  const guint8 *origin;
  guint8 *dst;
  enum { TILE = 64 };

  if (!er_block_alloc (upright, dstride * h))
    return FALSE;
  dst = upright->data;
  origin = src + (turns[orientation].right ? (gssize) (sw - 1) * 3 : 0) +
           (turns[orientation].bottom ? (gssize) (sh - 1) * stride : 0);

  for (int ty = 0; ty < h; ty += TILE)
    for (int tx = 0; tx < w; tx += TILE)
      for (int y = ty; y < MIN (ty + TILE, h); y++)
        {
          const guint8 *s = origin + (gssize) y * step_y + (gssize) tx * step_x;
          guint8 *d = dst + (gsize) y * dstride + (gsize) tx * 3;

          for (int x = tx; x < MIN (tx + TILE, w); x++, s += step_x, d += 3)
            {
              d[0] = s[0];
              d[1] = s[1];
              d[2] = s[2];
            }
        }

  *width = w;
  *height = h;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

typedef struct {
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr         err;
  jmp_buf                       jump;
  gboolean                      premature_end;  /* libjpeg ran out of data */
  ErBlock                       pixels;         /* freed after a longjmp too */
} Decoder;

typedef enum {
  DECODE_DONE,
  DECODE_FAILED,       /* error set */
  DECODE_UNSUPPORTED,  /* for gdk-pixbuf's loader */
} DecodeStatus;

/* An error: back to the setjmp, with the message for the log only. */
static void
on_error_exit (j_common_ptr cinfo)
{
  Decoder *d = (Decoder *) cinfo;
  char message[JMSG_LENGTH_MAX];

  cinfo->err->format_message (cinfo, message);
  g_debug ("JPEG photo does not decode: %s", message);
  longjmp (d->jump, 1);
}

/* Warnings and traces go to the debug log, never to stderr. */
static void
on_output_message (j_common_ptr cinfo)
{
  char message[JMSG_LENGTH_MAX];

  cinfo->err->format_message (cinfo, message);
  g_debug ("JPEG photo: %s", message);
}

/* A warning that the data ran out ("Premature end of JPEG file": libjpeg
 * pads with grey) makes the photo a damaged one, as a short file is; the
 * others (a few stray bytes before a marker, say) are only logged, as
 * gdk-pixbuf's loader does. */
static void
on_emit_message (j_common_ptr cinfo, int level)
{
  Decoder *d = (Decoder *) cinfo;

  if (level < 0)
    {
      if (cinfo->err->msg_code == JWRN_JPEG_EOF)
        d->premature_end = TRUE;
      /* Every warning, not only the first as libjpeg's own does. */
      if (cinfo->err->num_warnings++ < 8)
        cinfo->err->output_message (cinfo);
    }
  else if (cinfo->err->trace_level >= level)
    cinfo->err->output_message (cinfo);
}

/* Everything between jpeg_create_decompress() and the texture; any libjpeg
 * error longjmps out of it. */
static DecodeStatus
run (Decoder        *d,
     const guint8   *data,
     gsize           size,
     GCancellable   *cancellable,
     int             target,
     gint64          max_pixels,
     ErPhotoDecoded *result,
     GdkTexture    **texture,
     GError        **error)
{
  j_decompress_ptr cinfo = &d->cinfo;
  g_autoptr(GBytes) bytes = NULL;
  JSAMPROW rows[ROWS_PER_READ];
  gboolean final;
  guint orientation;
  gsize stride;
  int width, height;
  guint next_check = 0;

  jpeg_mem_src (cinfo, data, size);
  jpeg_save_markers (cinfo, JPEG_APP0 + 1, 0xffff);
  jpeg_read_header (cinfo, TRUE);
  /* Now: the markers kept go with the image's memory at the end. */
  orientation = exif_orientation (cinfo);

  /* libjpeg refuses a zero size itself (an error: damaged). */
  width = cinfo->image_width;
  height = cinfo->image_height;
  if ((gint64) width * height > ER_PHOTO_MAX_PIXELS)
    {
      _er_photo_set_too_large_error (error, width, height);
      return DECODE_FAILED;
    }

  switch (cinfo->jpeg_color_space)
    {
    case JCS_GRAYSCALE:  /* libjpeg-turbo turns grey into RGB too */
    case JCS_YCbCr:
    case JCS_RGB:
      break;
    default:
      g_debug ("JPEG photo in colour space %d: left to gdk-pixbuf", cinfo->jpeg_color_space);
      return DECODE_UNSUPPORTED;
    }

  cinfo->out_color_space = JCS_EXT_RGB;
  cinfo->scale_num = 1;
  cinfo->scale_denom = _er_photo_jpeg_scale (width, height, target, max_pixels, &final);
  jpeg_start_decompress (cinfo);

  stride = (gsize) cinfo->output_width * 3;
  if (!er_block_alloc (&d->pixels, stride * cinfo->output_height))
    {
      g_debug ("JPEG photo: no memory for %u × %u pixels",
               cinfo->output_width, cinfo->output_height);
      _er_photo_set_corrupt_error (error);
      return DECODE_FAILED;
    }

  while (cinfo->output_scanline < cinfo->output_height)
    {
      guint n = MIN (ROWS_PER_READ, cinfo->output_height - cinfo->output_scanline);

      if (cinfo->output_scanline >= next_check)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return DECODE_FAILED;
          next_check = cinfo->output_scanline + CANCEL_CHECK_ROWS;
        }
      for (guint i = 0; i < n; i++)
        rows[i] = d->pixels.data + (gsize) (cinfo->output_scanline + i) * stride;
      if (jpeg_read_scanlines (cinfo, rows, n) == 0)
        break;
    }

  /* Up to EOI: a truncated file warns here if it did not already. */
  if (cinfo->output_scanline == cinfo->output_height)
    jpeg_finish_decompress (cinfo);
  if (cinfo->output_scanline < cinfo->output_height || d->premature_end ||
      !_er_photo_jpeg_is_complete (data, size))
    {
      g_debug ("JPEG photo does not decode: %s (%u of %u rows)",
               d->premature_end ? "premature end" : "incomplete",
               cinfo->output_scanline, cinfo->output_height);
      _er_photo_set_corrupt_error (error);
      return DECODE_FAILED;
    }

  result->final = final;
  result->width = orientation >= 5 ? height : width;
  result->height = orientation >= 5 ? width : height;
  width = cinfo->output_width;
  height = cinfo->output_height;

  if (orientation != 1)
    {
      ErBlock upright;

      if (!orient (d->pixels.data, width, height, orientation, &upright, &width, &height))
        {
          _er_photo_set_corrupt_error (error);
          return DECODE_FAILED;
        }
      er_block_clear (&d->pixels);
      d->pixels = upright;
    }

  bytes = er_block_steal_to_bytes (&d->pixels, d->pixels.size);
  *texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
  return DECODE_DONE;
}

GdkTexture *
_er_photo_jpeg_decode (GBytes         *image,
                       GCancellable   *cancellable,
                       int             target,
                       gint64          max_pixels,
                       ErPhotoDecoded *result,
                       gboolean       *unsupported,
                       GError        **error)
{
  g_autofree Decoder *d = g_new0 (Decoder, 1);
  GdkTexture *texture = NULL;
  DecodeStatus status;
  const guint8 *data;
  gsize size;

  *unsupported = FALSE;
  data = g_bytes_get_data (image, &size);

  d->cinfo.err = jpeg_std_error (&d->err);
  d->err.error_exit = on_error_exit;
  d->err.output_message = on_output_message;
  d->err.emit_message = on_emit_message;
  if (setjmp (d->jump) != 0)
    {
      /* on_error_exit logged why. */
      jpeg_destroy_decompress (&d->cinfo);
      er_block_clear (&d->pixels);
      _er_photo_set_corrupt_error (error);
      return NULL;
    }
  jpeg_create_decompress (&d->cinfo);

  status = run (d, data, size, cancellable, target, max_pixels, result, &texture, error);

  jpeg_destroy_decompress (&d->cinfo);
  er_block_clear (&d->pixels);
  *unsupported = status == DECODE_UNSUPPORTED;
  return texture;
}
