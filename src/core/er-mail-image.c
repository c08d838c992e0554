/* er-mail-image.c: an attached image's size from its header, without
 * decoding a pixel (JPEG SOFn with the EXIF orientation, PNG IHDR).
 */
#include "config.h"

#include <string.h>

#include "er-mail-private.h"

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_u16 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? ((guint) p[0] << 8) | p[1] : ((guint) p[1] << 8) | p[0];
}

static guint32
read_u32 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? read_be32 (p)
                    : ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* The Orientation tag (1..8) of an APP1 "Exif" segment's IFD0, or 1. */
static guint
exif_orientation (const guint8 *seg, gsize len)
{
  const guint8 *tiff;
  gsize tiff_len;
  gboolean be;
  guint32 ifd;
  guint count;

  if (len < 6 + 8 || memcmp (seg, "Exif\0\0", 6) != 0)
    return 1;
  tiff = seg + 6;
  tiff_len = len - 6;
  if (memcmp (tiff, "MM\0*", 4) == 0)
    be = TRUE;
  else if (memcmp (tiff, "II*\0", 4) == 0)
    be = FALSE;
  else
    return 1;

  ifd = read_u32 (tiff + 4, be);
  if (ifd > tiff_len || tiff_len - ifd < 2)
    return 1;
  count = read_u16 (tiff + ifd, be);
  for (guint i = 0; i < count; i++)
    {
      gsize entry = ifd + 2 + (gsize) i * 12;

      if (entry + 12 > tiff_len)
        break;
      if (read_u16 (tiff + entry, be) == 0x0112)
        {
          guint value = read_u16 (tiff + entry + 8, be);
          return value >= 1 && value <= 8 ? value : 1;
        }
    }
  return 1;
}

/* Width and height as shown (EXIF orientation applied) from a JPEG's SOFn
 * segment; FALSE when the header is truncated or damaged. */
gboolean
_er_mail_jpeg_size (const guint8 *d, gsize size, int *width, int *height)
{
  gsize pos = 2;
  guint orientation = 1;

  while (pos + 4 <= size)
    {
      guint8 marker;
      gsize len;

      if (d[pos] != 0xff)
        return FALSE;
      while (pos < size && d[pos] == 0xff)
        pos++;
      if (pos >= size)
        return FALSE;
      marker = d[pos++];

      /* Markers without a length: TEM, RSTn. */
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (marker == 0xd9 || marker == 0xda)  /* EOI, SOS: no size found before the data */
        return FALSE;
      if (pos + 2 > size)
        return FALSE;
      len = read_u16 (d + pos, TRUE);
      if (len < 2 || pos + len > size)
        return FALSE;

      if (marker == 0xe1)
        {
          guint o = exif_orientation (d + pos + 2, len - 2);
          if (o != 1)
            orientation = o;
        }
      else if (marker >= 0xc0 && marker <= 0xcf &&
               marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          guint h, w;

          if (len < 7)
            return FALSE;
          h = read_u16 (d + pos + 3, TRUE);
          w = read_u16 (d + pos + 5, TRUE);
          if (w == 0 || h == 0)
            return FALSE;
          /* Orientations 5 to 8 turn the picture a quarter. */
          *width = orientation >= 5 ? (int) h : (int) w;
          *height = orientation >= 5 ? (int) w : (int) h;
          return TRUE;
        }
      pos += len;
    }
  return FALSE;
}

gboolean
_er_mail_png_size (const guint8 *d, gsize size, int *width, int *height)
{
  guint32 w, h;

  if (size < 24 || memcmp (d + 12, "IHDR", 4) != 0)
    return FALSE;
  w = read_be32 (d + 16);
  h = read_be32 (d + 20);
  if (w == 0 || h == 0 || w > G_MAXINT32 || h > G_MAXINT32)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}
