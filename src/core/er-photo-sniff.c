/* er-photo-sniff.c: naming an image format from its first bytes
 * (er_photo_sniff_format, er-photo.h), so that a photo in a format the app
 * does not show gets a message saying which it is.
 */
#include "config.h"

#include <string.h>

#include "er-photo.h"

/* ------------------------------------------------------------------------ */
/* Sniffing                                                                 */

static gboolean
has_prefix (const guint8 *data, gsize size, const char *magic, gsize magic_len)
{
  return size >= magic_len && memcmp (data, magic, magic_len) == 0;
}

static gboolean
is_brand (const guint8 *brand, const char * const *brands)
{
  for (guint i = 0; brands[i] != NULL; i++)
    if (memcmp (brand, brands[i], 4) == 0)
      return TRUE;
  return FALSE;
}

/* ISO base media file ("ftyp" box): HEIC, HEIF and AVIF share it. */
static const char *
sniff_iso_bmff (const guint8 *data, gsize size)
{
  static const char * const heic_brands[] = {
    "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", NULL
  };
  static const char * const heif_brands[] = { "mif1", "msf1", "mif2", NULL };
  static const char * const avif_brands[] = { "avif", "avis", NULL };
  guint32 box_size;
  gboolean any_heif = FALSE;

  if (size < 16 || memcmp (data + 4, "ftyp", 4) != 0)
    return NULL;

  box_size = ((guint32) data[0] << 24) | ((guint32) data[1] << 16) |
             ((guint32) data[2] << 8) | data[3];
  if (box_size < 16 || box_size > size)
    box_size = size;

  /* The major brand at 8, the minor version at 12, compatible brands from 16.
   * A "mif1" file is HEIC or AVIF depending on what else it lists. */
  if (is_brand (data + 8, avif_brands))
    return "AVIF";
  if (is_brand (data + 8, heic_brands))
    return "HEIC";
  any_heif = is_brand (data + 8, heif_brands);

  for (gsize offset = 16; offset + 4 <= box_size; offset += 4)
    {
      if (is_brand (data + offset, avif_brands))
        return "AVIF";
      if (is_brand (data + offset, heic_brands))
        return "HEIC";
      any_heif = any_heif || is_brand (data + offset, heif_brands);
    }

  return any_heif ? "HEIF" : NULL;
}

/* Text formats, after an optional UTF-8 BOM and leading white space. */
static const char *
sniff_markup (const guint8 *data, gsize size)
{
  gsize pos = 0;
  gsize window;
  g_autofree char *head = NULL;

  if (has_prefix (data, size, "\xef\xbb\xbf", 3))
    pos = 3;
  while (pos < size && g_ascii_isspace (data[pos]))
    pos++;
  if (pos >= size || data[pos] != '<')
    return NULL;

  window = MIN (size - pos, 1024);
  head = g_ascii_strdown ((const char *) data + pos, window);

  if (strstr (head, "<svg") != NULL)
    return "SVG";
  if (g_str_has_prefix (head, "<!doctype html") || g_str_has_prefix (head, "<html") ||
      strstr (head, "<html") != NULL)
    return "HTML";
  if (g_str_has_prefix (head, "<?xml"))
    return "XML";
  return NULL;
}

const char *
er_photo_sniff_format (GBytes *data)
{
  const guint8 *d;
  gsize size;
  const char *format;

  g_return_val_if_fail (data != NULL, NULL);

  d = g_bytes_get_data (data, &size);
  if (d == NULL || size == 0)
    return NULL;

  if (has_prefix (d, size, "\x89PNG\r\n\x1a\n", 8))
    return "PNG";
  if (has_prefix (d, size, "\xff\xd8\xff", 3))
    return "JPEG";
  if (has_prefix (d, size, "GIF87a", 6) || has_prefix (d, size, "GIF89a", 6))
    return "GIF";
  if (size >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0)
    return "WebP";
  if (has_prefix (d, size, "II*\0", 4) || has_prefix (d, size, "MM\0*", 4))
    return "TIFF";
  if ((format = sniff_iso_bmff (d, size)) != NULL)
    return format;
  if (has_prefix (d, size, "\xff\x0a", 2) ||
      has_prefix (d, size, "\0\0\0\x0cJXL \r\n\x87\n", 12))
    return "JPEG XL";
  if (has_prefix (d, size, "\0\0\0\x0cjP  \r\n\x87\n", 12) ||
      has_prefix (d, size, "\xff\x4f\xff\x51", 4))
    return "JPEG 2000";
  if (has_prefix (d, size, "%PDF", 4))
    return "PDF";
  if (has_prefix (d, size, "8BPS", 4))
    return "PSD";
  /* BMP: "BM", then a file size and two reserved words that are zero. */
  if (size >= 14 && d[0] == 'B' && d[1] == 'M' && d[6] == 0 && d[7] == 0 && d[8] == 0 && d[9] == 0)
    return "BMP";
  /* ICO: reserved 0, type 1, at least one image. */
  if (size >= 6 && d[0] == 0 && d[1] == 0 && d[2] == 1 && d[3] == 0 && (d[4] != 0 || d[5] != 0))
    return "ICO";

  return sniff_markup (d, size);
}

