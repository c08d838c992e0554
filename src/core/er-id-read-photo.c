/* er-id-read-photo.c: reading an ID photo (er-id-read.h): turned grey
 * and made no larger than ER_ID_READ_LONG_SIDE, read by Tesseract
 * (er-ocr.c), its lines' fields found by er_id_read_new_from_lines
 * (er-id-read.c); in a worker thread (er-id-read-async.c). Nothing here keeps
 * the pixels: the grey copy is wiped and freed before returning. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "er-id-read-private.h"
#include "er-ocr.h"
#include "er-secret.h"

/* ---- Reading a photo --------------------------------------------------- */

/* The grey of one pixel of GDK_MEMORY_DEFAULT: B, G, R, A on little-endian
 * (premultiplied: an ID photo is opaque). */
static inline guint
grey_of (const guint8 *p)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (p[2] * 77 + p[1] * 150 + p[0] * 29) >> 8;
#else
  return (p[1] * 77 + p[2] * 150 + p[3] * 29) >> 8;
#endif
}

/* The photo in grey, its long side at most ER_ID_READ_LONG_SIDE; *scale is
 * the photo's pixels per grey pixel. Where halving (or more) by whole
 * pixels would leave less than nine tenths of that side, the photo is
 * scaled by gdk-pixbuf to the side itself: a 2592-pixel photo read at
 * 1296 pixels lost its small print (the labels). */
static guint8 *
grey_copy (GdkTexture *photo,
           int        *width,
           int        *height,
           double     *scale)
{
  int w = gdk_texture_get_width (photo);
  int h = gdk_texture_get_height (photo);
  int long_side = MAX (w, h);
  int f = MAX (1, (long_side + ER_ID_READ_LONG_SIDE - 1) / ER_ID_READ_LONG_SIDE);
  gsize stride = (gsize) w * 4;
  guint8 *pixels = g_malloc_n (h, stride);
  guint8 *grey;
  int gw, gh;

  gdk_texture_download (photo, pixels, stride);
  if (f > 1 && long_side / f < ER_ID_READ_LONG_SIDE * 9 / 10)
    {
      /* Channels in the downloaded order: the scaling treats them alike. */
      g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, TRUE, 8,
                                                            w, h, (int) stride, NULL, NULL);
      g_autoptr(GdkPixbuf) scaled = NULL;
      guint8 *data;
      guint length;
      int scaled_stride;

      gw = MAX (1, (int) ((gint64) w * ER_ID_READ_LONG_SIDE / long_side));
      gh = MAX (1, (int) ((gint64) h * ER_ID_READ_LONG_SIDE / long_side));
      scaled = gdk_pixbuf_scale_simple (full, gw, gh, GDK_INTERP_BILINEAR);
      grey = g_malloc_n (gh, gw);
      if (scaled != NULL)
        {
          data = gdk_pixbuf_get_pixels_with_length (scaled, &length);
          scaled_stride = gdk_pixbuf_get_rowstride (scaled);
          for (int y = 0; y < gh; y++)
            for (int x = 0; x < gw; x++)
              grey[(gsize) y * gw + x] = grey_of (data + (gsize) y * scaled_stride + (gsize) x * 4);
          er_secret_wipe (data, length);
        }
      else
        memset (grey, 255, (gsize) gw * gh);
      *scale = (double) long_side / MAX (gw, gh);
    }
  else
    {
      gw = w / f;
      gh = h / f;
      grey = g_malloc_n (MAX (gh, 1), MAX (gw, 1));
      /* Each grey pixel the mean of f × f photo pixels. */
      for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++)
          {
            guint sum = 0;

            for (int dy = 0; dy < f; dy++)
              {
                const guint8 *p = pixels + (gsize) (y * f + dy) * stride + (gsize) x * f * 4;

                for (int dx = 0; dx < f; dx++, p += 4)
                  sum += grey_of (p);
              }
            grey[(gsize) y * gw + x] = sum / (f * f);
          }
      *scale = f;
    }
  er_secret_wipe (pixels, (gsize) h * stride);
  g_free (pixels);
  *width = gw;
  *height = gh;
  return grey;
}

/* The lines' boxes from the grey copy's pixels back to the photo's. */
static void
to_photo_pixels (GPtrArray *lines,
                 double     scale)
{
  for (guint i = 0; i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      line->x = (int) (line->x * scale);
      line->y = (int) (line->y * scale);
      line->width = (int) (line->width * scale + 0.5);
      line->height = (int) (line->height * scale + 0.5);
    }
}

/* The photo in grey once, for all the readings of one photo (each made
 * its own copy: the texture downloaded and converted again); wiped when
 * it goes. */
typedef struct {
  guint8     *pixels;
  int         width;
  int         height;
  double      scale;  /* the photo's pixels per grey pixel */
  /* An MRZ read again alone (read_mrz_again), for each straightening
   * (ER_OCR_EVEN_LIGHT, ER_OCR_KEYSTONE, both or neither): once per
   * photo, whichever reading asks first; NULL until then. Behind a
   * pointer: the readings share the grey copy as const. */
  GPtrArray **mrz;
} Grey;

#define N_MRZ_KEYS 4

static void
grey_init (Grey       *grey,
           GdkTexture *photo)
{
  grey->pixels = grey_copy (photo, &grey->width, &grey->height, &grey->scale);
  grey->mrz = g_new0 (GPtrArray *, N_MRZ_KEYS);
}

static void
grey_clear (Grey *grey)
{
  if (grey->pixels == NULL)
    return;
  er_secret_wipe (grey->pixels, (gsize) MAX (grey->width, 1) * MAX (grey->height, 1));
  g_clear_pointer (&grey->pixels, g_free);
  for (guint k = 0; k < N_MRZ_KEYS; k++)
    g_clear_pointer (&grey->mrz[k], g_ptr_array_unref);
  g_clear_pointer (&grey->mrz, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Grey, grey_clear)

/* Small print read larger: Tesseract reads lines of about
 * ER_ID_READ_TEXT_HEIGHT grey pixels (the median of a reading's lines,
 * labels and values) best. A photo whose lines are smaller by a fifth or
 * more (a card far from the lens, a passport page in a 2000-pixel photo)
 * is read again, its text's region made that large, at most
 * ER_ID_READ_MAX_ZOOM times and no larger than the photo read first (on
 * the benchmark's 200 documents: exact reads 87 to 94 % clean, 62 to
 * 66 % degraded). */
#define ER_ID_READ_TEXT_HEIGHT 40
#define ER_ID_READ_MIN_ZOOM 1.25
#define ER_ID_READ_MAX_ZOOM 3.0

/* A name read under its labels but not whole or not surely, the expiry
 * date surely: the part of the text from ER_ID_READ_ABOVE_NAME lines'
 * heights above the name to ER_ID_READ_BELOW_NAME under it is read
 * again larger, not the whole text (its other half, its labels and room
 * for Tesseract's layout). On the benchmark's 200 documents: as many
 * exact and sure (one clean exact more), the slowest 12 MP passport page
 * of sixteen in 0.84 to 1.00 s instead of 1.2 s; 4 and 4 lost one sure
 * name, 2.5 and 0.7 one exact degraded and two sure. */
#define ER_ID_READ_ABOVE_NAME 6.0
#define ER_ID_READ_BELOW_NAME 5.0

/* Where the text is on a reading, and how large, in the grey copy's
 * pixels. */
typedef struct {
  int    x;
  int    y;
  int    width;
  int    height;
  int    line_height;  /* the lines' median height */
  double zoom;         /* > 1: that region read larger */
  GPtrArray *mrz;      /* not NULL: an MRZ read outside the region (ErIdLine, the
                        * photo's pixels), its lines added to the region's */
} Region;

/* Copies of more added to lines, each in its place from top to bottom. */
static void
add_lines (GPtrArray *lines,
           GPtrArray *more)
{
  for (guint k = 0; k < more->len; k++)
    {
      const ErIdLine *line = g_ptr_array_index (more, k);
      guint i = 0;

      while (i < lines->len && ((ErIdLine *) g_ptr_array_index (lines, i))->y <= line->y)
        i++;
      g_ptr_array_insert (lines, (int) i, er_id_line_copy (line));
    }
}

/* The lines read with flags, in region made larger when not NULL (with
 * region's MRZ). */
static GPtrArray *
read_lines (const Grey    *grey,
            ErOcrFlags     flags,
            const Region  *region,
            GCancellable  *cancellable,
            GError       **error)
{
  GPtrArray *lines;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (region != NULL && region->zoom > 1)
    lines = er_ocr_read_region (grey->pixels, grey->width, grey->height, grey->width, flags,
                                region->x, region->y, region->width, region->height, region->zoom,
                                cancellable, error);
  else if (grey->width > 0 && grey->height > 0)
    lines = er_ocr_read_lines (grey->pixels, grey->width, grey->height, grey->width, flags,
                               cancellable, error);
  else
    lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  if (lines != NULL)
    to_photo_pixels (lines, grey->scale);
  if (lines != NULL && region != NULL && region->mrz != NULL)
    add_lines (lines, region->mrz);
  return lines;
}

/* Whether the text of a reading is small enough to be read again larger. */
static gboolean
small_print (const Region *text)
{
  return text->zoom >= ER_ID_READ_MIN_ZOOM;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* The median height of lines of four characters or more; 0 when none. */
static int
median_height (GPtrArray *lines)
{
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (g_utf8_strlen (line->text, -1) >= 4)
        g_array_append_val (heights, line->height);
    }
  if (heights->len == 0)
    return 0;
  g_array_sort (heights, compare_ints);
  return g_array_index (heights, int, heights->len / 2);
}

/* Where the text of lines (in the photo's pixels) is, with a margin of
 * three lines' heights, and the zoom that would make its lines'
 * median height ER_ID_READ_TEXT_HEIGHT (1 when unknown: fewer than three
 * lines of four characters or more). */
static void
text_region (const Grey *grey,
             GPtrArray  *lines,
             Region     *region)
{
  int left = G_MAXINT, top = G_MAXINT, right = 0, bottom = 0, median;
  guint n = 0;

  *region = (Region) { 0, 0, 0, 0, 0, 1, NULL };
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (g_utf8_strlen (line->text, -1) < 4)
        continue;
      n++;
      left = MIN (left, (int) (line->x / grey->scale));
      top = MIN (top, (int) (line->y / grey->scale));
      right = MAX (right, (int) ((line->x + line->width) / grey->scale));
      bottom = MAX (bottom, (int) ((line->y + line->height) / grey->scale));
    }
  median = (int) (median_height (lines) / grey->scale);
  if (n < 3 || median <= 0)
    return;
  region->x = MAX (0, left - 3 * median);
  region->y = MAX (0, top - 3 * median);
  region->width = MIN (grey->width, right + 3 * median) - region->x;
  region->height = MIN (grey->height, bottom + 3 * median) - region->y;
  region->line_height = median;
  region->zoom = MIN ((double) ER_ID_READ_TEXT_HEIGHT / median, ER_ID_READ_MAX_ZOOM);
  /* No more pixels than the first reading's: a second reading costs at
   * most the time and memory of the first (a 1200-pixel photo's text is
   * not made 3 times larger: its print has no more to show). */
  region->zoom = MIN (region->zoom, sqrt ((double) grey->width * grey->height /
                                          ((double) MAX (region->width, 1) * MAX (region->height, 1))));
}

GPtrArray *
er_id_read_lines (GdkTexture    *photo,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_auto(Grey) grey = { NULL };

  g_return_val_if_fail (GDK_IS_TEXTURE (photo), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  grey_init (&grey, photo);
  return read_lines (&grey, ER_OCR_AS_IS, NULL, cancellable, error);
}

/* The value in zone (the image read's pixels, as the lines' boxes of a
 * reading with flags) read alone. */
static GPtrArray *
read_zone (const Grey    *grey,
           ErOcrFlags     flags,
           int            x,
           int            y,
           int            zone_width,
           int            zone_height,
           GCancellable  *cancellable)
{
  GPtrArray *lines = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    return NULL;
  x = (int) (x / grey->scale);
  y = (int) (y / grey->scale);
  zone_width = MIN ((int) (zone_width / grey->scale), grey->width - x);
  zone_height = MIN ((int) (zone_height / grey->scale), grey->height - y);
  if (x >= 0 && y >= 0 && zone_width > 0 && zone_height > 0)
    lines = er_ocr_read_zone (grey->pixels, grey->width, grey->height, grey->width, flags, x, y,
                              zone_width, zone_height, cancellable, NULL);
  if (lines != NULL)
    to_photo_pixels (lines, grey->scale);
  return lines;
}

/* Whether text looks like a piece of an MRZ line: two fillers or more
 * ('<', or '«' for two). */
static gboolean
mrz_like (const char *text)
{
  guint fillers = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      fillers += c == '<' ? 1 : c == 0xab ? 2 : 0;
    }
  return fillers >= 2;
}

/* Where an MRZ that did not verify is, in the grey copy's pixels: the
 * lines that look like its pieces (a second row below them when they are
 * one: the data line may have no filler read), a line's height around,
 * across the page's text; and the zoom that makes the page's
 * lines ER_ID_READ_TEXT_HEIGHT high (its own lines' boxes are taller than
 * their letters on a page photographed at an angle). FALSE when no line
 * looks like one. */
static gboolean
mrz_region (const Grey *grey,
            GPtrArray  *lines,
            Region     *region)
{
  int top = G_MAXINT, bottom = 0, left = G_MAXINT, right = 0, height = 0;
  int median = median_height (lines);

  *region = (Region) { 0, 0, 0, 0, 0, 1, NULL };
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (!mrz_like (line->text))
        continue;
      top = MIN (top, line->y);
      bottom = MAX (bottom, line->y + line->height);
      height = MAX (height, line->height);
    }
  if (height <= 0 || median <= 0)
    return FALSE;
  if (bottom - top < 2 * height)
    bottom += 2 * height;
  top -= height;
  bottom += height;
  /* As wide as the page's text: its lines may have been read in part. */
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (g_utf8_strlen (line->text, -1) < 4 && !(line->y + line->height > top && line->y < bottom))
        continue;
      left = MIN (left, line->x);
      right = MAX (right, line->x + line->width);
    }
  left -= height;
  right += height;
  region->x = CLAMP ((int) (left / grey->scale), 0, grey->width - 1);
  region->y = CLAMP ((int) (top / grey->scale), 0, grey->height - 1);
  region->width = MIN ((int) (right / grey->scale), grey->width) - region->x;
  region->height = MIN ((int) (bottom / grey->scale), grey->height) - region->y;
  region->line_height = (int) (median / grey->scale);
  /* Over 1: a region is read alone only when made larger. */
  region->zoom = CLAMP ((double) ER_ID_READ_TEXT_HEIGHT * grey->scale / median, 1.1, ER_ID_READ_MAX_ZOOM);
  return region->width > 0 && region->height > 0;
}

/* lines, those of an MRZ that did not verify (in region) read again alone
 * as an MRZ, larger, in their place: the new lines when its check digits
 * then verify, else NULL. */
static GPtrArray *
read_mrz_again (const Grey   *grey,
                ErOcrFlags    flags,
                GPtrArray    *lines,
                int           width,
                int           height,
                ErIdRead    **read,
                GCancellable *cancellable)
{
  g_autoptr(GPtrArray) mrz = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(ErIdRead) again = NULL;
  Region region;
  double top, bottom;
  gboolean placed = FALSE;
  ErOcrFlags straightening = flags & (ER_OCR_EVEN_LIGHT | ER_OCR_KEYSTONE);
  GPtrArray **cached = &grey->mrz[(flags & ER_OCR_EVEN_LIGHT ? 1 : 0) + (flags & ER_OCR_KEYSTONE ? 2 : 0)];

  if (!mrz_region (grey, lines, &region))
    return NULL;
  /* With the same straightening as lines' (their boxes' pixels), once for
   * all the readings so straightened. */
  if (*cached == NULL)
    {
      *cached = read_lines (grey, straightening | ER_OCR_MRZ, &region, cancellable, NULL);
      if (*cached == NULL)
        return NULL;
    }
  mrz = g_ptr_array_ref (*cached);
  top = region.y * grey->scale;
  bottom = (region.y + region.height) * grey->scale;
  /* The lines in the region replaced, the order kept (top to bottom). */
  more = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  for (guint i = 0; i <= lines->len; i++)
    {
      const ErIdLine *line = i < lines->len ? g_ptr_array_index (lines, i) : NULL;
      double middle = line != NULL ? line->y + line->height / 2.0 : G_MAXDOUBLE;

      if (middle > bottom && !placed)
        {
          for (guint k = 0; k < mrz->len; k++)
            g_ptr_array_add (more, er_id_line_copy (g_ptr_array_index (mrz, k)));
          placed = TRUE;
        }
      if (line != NULL && (middle < top || middle > bottom))
        g_ptr_array_add (more, er_id_line_copy (line));
    }
  again = er_id_read_new_from_lines (more, width, height);
  if (again->mrz_lines == NULL)
    return NULL;
  g_set_object (read, again);
  return g_steal_pointer (&more);
}

/* page (the text of recheck's line) with the first letters that line
 * read alone with flags has and page lost; NULL when it has none more. */
static char *
zone_lost_start (const Grey        *grey,
                 ErOcrFlags         flags,
                 const ErIdRecheck *recheck,
                 const char        *page,
                 GCancellable      *cancellable)
{
  g_autoptr(GPtrArray) zone = read_zone (grey, flags, recheck->x, recheck->y, recheck->width, recheck->height,
                                         cancellable);

  if (zone == NULL || zone->len != 1)
    return NULL;
  return _er_id_read_lost_start (page, ((ErIdLine *) zone->pdata[0])->text);
}

/* The fields of lines (self's, some mended in place) instead of self,
 * when they still have a name under its labels. */
static ErIdRead *
take_mended (ErIdRead  *self,
             GPtrArray *lines)
{
  ErIdRead *again = er_id_read_new_from_lines (lines, self->width, self->height);

  if (again->source != ER_ID_READ_SOURCE_LABELS)
    {
      g_object_unref (again);
      return self;
    }
  _er_id_read_keep_expiry (again, self);
  g_object_unref (self);
  return again;
}

/* The name's lines that start right of their labels read again alone,
 * from the label's start: with the first letters Tesseract dropped
 * ("HANH" for "THANH"), the fields of the lines so mended; else self. */
static ErIdRead *
recheck_lines (ErIdRead      *self,
               GPtrArray     *lines,
               const Grey    *grey,
               ErOcrFlags     flags,
               GCancellable  *cancellable)
{
  gboolean mended = FALSE;

  /* The lines are the caller's, read for this and wiped after it: mended
   * in place. */
  for (guint i = 0; i < self->n_rechecks; i++)
    {
      const ErIdRecheck *recheck = &self->rechecks[i];
      ErIdLine *line;
      char *text;

      if (recheck->line >= lines->len)
        continue;
      line = g_ptr_array_index (lines, recheck->line);
      text = zone_lost_start (grey, flags, recheck, line->text, cancellable);
      /* Faint first letters (glare): read with the light made even, and
       * kept if it has more of them. */
      if (!(flags & ER_OCR_EVEN_LIGHT))
        {
          char *even = zone_lost_start (grey, flags | ER_OCR_EVEN_LIGHT, recheck, line->text, cancellable);

          if (even != NULL && (text == NULL || strlen (even) > strlen (text)))
            {
              er_secret_str_free (text);
              text = even;
            }
          else
            er_secret_str_free (even);
        }
      if (text == NULL)
        continue;
      er_secret_str_free (line->text);
      line->text = text;
      mended = TRUE;
    }
  return mended ? take_mended (self, lines) : self;
}

/* Where to read line (the photo's pixels) again alone: its box and a
 * margin, its letters made ER_ID_READ_TEXT_HEIGHT high or more; FALSE
 * when it has no box. */
static gboolean
line_region (const Grey     *grey,
             const ErIdLine *line,
             Region         *region)
{
  int h = (int) (line->height / grey->scale);
  int left = MAX (0, (int) (line->x / grey->scale) - h);
  int top = MAX (0, (int) (line->y / grey->scale) - h / 2);
  int right = MIN (grey->width, (int) ((line->x + line->width) / grey->scale) + h);
  int bottom = MIN (grey->height, (int) ((line->y + line->height) / grey->scale) + h / 2);

  *region = (Region) { left, top, right - left, bottom - top, h, 1, NULL };
  if (h <= 0 || region->width <= 0 || region->height <= 0)
    return FALSE;
  region->zoom = CLAMP ((double) ER_ID_READ_TEXT_HEIGHT / h, 1.5, ER_ID_READ_MAX_ZOOM);
  return TRUE;
}

/* The name's parts under their labels that self's MRZ does not spell:
 * each one's line (of lines, read with flags) read again alone, larger,
 * and mended in place when that reading spells the MRZ's letters (two
 * readings of the line then agree with the MRZ); the fields of the
 * lines so mended, or self. */
static ErIdRead *
read_misspelt_again (ErIdRead      *self,
                     GPtrArray     *lines,
                     const Grey    *grey,
                     ErOcrFlags     flags,
                     GCancellable  *cancellable)
{
  gboolean mended = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (self->misspelt); k++)
    {
      const ErIdLine *misspelt = self->misspelt[k];
      ErIdLine *line = NULL;
      g_autoptr(GPtrArray) alone = NULL;
      Region region;

      for (guint i = 0; misspelt != NULL && i < lines->len && line == NULL; i++)
        {
          ErIdLine *candidate = g_ptr_array_index (lines, i);

          if (candidate->x == misspelt->x && candidate->y == misspelt->y &&
              g_str_equal (candidate->text, misspelt->text))
            line = candidate;
        }
      if (line == NULL || !line_region (grey, line, &region))
        continue;
      alone = read_lines (grey, flags | ER_OCR_BLOCK, &region, cancellable, NULL);
      for (guint i = 0; alone != NULL && i < alone->len; i++)
        {
          const ErIdLine *read = g_ptr_array_index (alone, i);

          if (_er_id_read_spells_mrz_part (self, k, read->text))
            {
              er_secret_str_free (line->text);
              line->text = g_strdup (read->text);
              line->confidence = read->confidence;
              mended = TRUE;
              break;
            }
        }
    }
  return mended ? take_mended (self, lines) : self;
}

/* The fields of the lines read with flags (in region in, larger, when
 * not NULL), and where the text is and how large (to text, when not
 * NULL); the text read is the learner's: wiped with the lines. */
static ErIdRead *
read_photo_in (GdkTexture    *photo,
               const Grey    *grey,
               ErOcrFlags     flags,
               const Region  *in,
               Region        *text,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) lines = read_lines (grey, flags, in, cancellable, error);
  int width = gdk_texture_get_width (photo), height = gdk_texture_get_height (photo);
  ErIdRead *self;

  if (lines == NULL)
    return NULL;
  self = er_id_read_new_from_lines (lines, width, height);
  if (text != NULL)
    text_region (grey, lines, text);

  /* Lines like an MRZ's that did not verify (small print, blur): read
   * again alone, larger, as an MRZ. */
  if (self->mrz_lines == NULL)
    {
      GPtrArray *more = read_mrz_again (grey, flags, lines, width, height, &self, cancellable);

      if (more != NULL)
        {
          g_ptr_array_unref (lines);
          lines = more;
        }
    }

  /* Half a name, the other half's label without its value: Tesseract's
   * layout skipped the value's line. Read alone there, under its label,
   * and added after it, the name may be whole. */
  if (self->zone_width > 0 && self->source != ER_ID_READ_SOURCE_MRZ)
    {
      g_autoptr(GPtrArray) zone = read_zone (grey, flags, self->zone_x, self->zone_y, self->zone_width,
                                             self->zone_height, cancellable);

      if (zone != NULL && zone->len > 0)
        {
          g_autoptr(GPtrArray) more = g_ptr_array_new ();
          ErIdRead *again;

          for (guint i = 0; i < lines->len; i++)
            {
              g_ptr_array_add (more, lines->pdata[i]);
              if (i == self->zone_after)
                for (guint k = 0; k < zone->len; k++)
                  g_ptr_array_add (more, zone->pdata[k]);
            }
          again = er_id_read_new_from_lines (more, width, height);
          if (again->zone_width == 0 && again->source == ER_ID_READ_SOURCE_LABELS)
            {
              g_object_unref (self);
              self = again;
            }
          else
            g_object_unref (again);
        }
    }
  if (self->n_rechecks > 0)
    self = recheck_lines (self, lines, grey, flags, cancellable);
  /* (Only a name under its labels has parts misspelt.) */
  if (self->misspelt[0] != NULL || self->misspelt[1] != NULL)
    self = read_misspelt_again (self, lines, grey, flags, cancellable);
  /* An expiry label without its date: that date read alone. */
  if (self->expiry_zone_width > 0)
    {
      g_autoptr(GPtrArray) zone = read_zone (grey, flags, self->expiry_zone_x, self->expiry_zone_y,
                                             self->expiry_zone_width, self->expiry_zone_height, cancellable);

      if (zone != NULL)
        _er_id_read_take_expiry (self, zone);
    }
  return self;
}

/* At most this many lines read again for the parts of an MRZ's name not
 * found in print. */
#define ER_ID_READ_MAX_NEAR 3

/* The lines of lines (read with flags) where a part of self's MRZ name not
 * found in print may be misread, each read again alone, its letters made
 * ER_ID_READ_TEXT_HEIGHT high or more, and the parts looked for there. */
static void
read_near_again (ErIdRead      *self,
                 const Grey    *grey,
                 ErOcrFlags     flags,
                 GPtrArray     *lines,
                 GCancellable  *cancellable)
{
  g_autoptr(GPtrArray) near = _er_id_read_near_printed (self, lines);

  for (guint i = 0; i < MIN (near->len, ER_ID_READ_MAX_NEAR); i++)
    {
      Region region;
      g_autoptr(GPtrArray) again = NULL;
      gboolean missing;

      if (!line_region (grey, g_ptr_array_index (near, i), &region))
        continue;
      again = read_lines (grey, flags | ER_OCR_BLOCK, &region, cancellable, NULL);
      if (again == NULL)
        return;
      missing = _er_id_read_take_printed (self, again);
      if (!missing)
        return;
    }
}

/* again, a second reading of the photo, instead of self; an expiry date
 * only self found, or found surely, is kept. */
static ErIdRead *
take_again (ErIdRead *self,
            ErIdRead *again)
{
  _er_id_read_keep_expiry (again, self);
  g_object_unref (self);
  return again;
}

/* The photo read with flags (in region, larger, when not NULL), and read
 * again with them where that reading lacks a name or half of it, or found
 * the name in the MRZ alone; where the text is and how large goes to text
 * (not NULL). NULL with ER_OCR_KEYSTONE when the photo's lines lean
 * alike. */
static ErIdRead *
read_well (GdkTexture    *photo,
           const Grey    *grey,
           ErOcrFlags     flags,
           const Region  *region,
           Region        *text,
           GCancellable  *cancellable,
           GError       **error)
{
  ErIdRead *self = read_photo_in (photo, grey, flags, region, text, cancellable, error);

  if (self == NULL)
    return NULL;
  /* No name found, or only by its place: glare or a shadow may have
   * taken the labels, or Tesseract's layout skipped the name's line. Read
   * again with the light made even and the sparse layout, and keep that
   * if it finds a name, a better one than by its place (on
   * 60 documents of the benchmark: names exact 60 to 67 % clean, 37 to
   * 43 % degraded; the light alone gave 60 and 40 %). */
  if (self->source == ER_ID_READ_SOURCE_NONE || self->source == ER_ID_READ_SOURCE_LAYOUT)
    {
      ErIdRead *again = read_photo_in (photo, grey, flags | ER_OCR_EVEN_LIGHT | ER_OCR_SPARSE, region,
                                       NULL, cancellable, NULL);

      /* A name by its place only when there is no better; of two such
       * guesses, the one with an expiry date ("NA SÉGUIN" and no date,
       * then "SÉGUIN" and the expiry read with the light made even). */
      if (again != NULL && again->source != ER_ID_READ_SOURCE_NONE &&
          (again->source != ER_ID_READ_SOURCE_LAYOUT || self->source == ER_ID_READ_SOURCE_NONE ||
           _er_id_read_worthier (self, again)))
        self = take_again (self, again);
      else
        g_clear_object (&again);
    }
  /* Half a name under its labels (the other half's value not read as a
   * name): read again with the light made even, kept if that reading
   * has the whole name under its labels. Not when the print is small:
   * the photo is read again larger anyway (er_id_read_photo). */
  else if (self->half && !(text != NULL && small_print (text)))
    {
      ErIdRead *again = read_photo_in (photo, grey, flags | ER_OCR_EVEN_LIGHT, region, NULL, cancellable,
                                       NULL);

      if (again != NULL && again->source == ER_ID_READ_SOURCE_LABELS && !again->half)
        self = take_again (self, again);
      else
        g_clear_object (&again);
    }
  /* The name from the MRZ, a part of it not found in print (Tesseract's
   * layout skipped its line): read again as one block of text, which
   * keeps a passport page's lines, and look for its letters there. */
  else if (self->source == ER_ID_READ_SOURCE_MRZ)
    {
      g_autoptr(GPtrArray) lines = read_lines (grey, flags | ER_OCR_BLOCK, region, cancellable, NULL);
      gboolean missing = TRUE;

      if (lines != NULL)
        missing = _er_id_read_take_printed (self, lines);
      /* Still missing, its label read without it: the zone under that
       * label read alone. */
      if (missing && self->zone_width > 0)
        {
          g_autoptr(GPtrArray) zone = read_zone (grey, flags, self->zone_x, self->zone_y, self->zone_width,
                                                 self->zone_height, cancellable);

          if (zone != NULL)
            missing = _er_id_read_take_printed (self, zone);
        }
      /* Still missing, misread ("7 core" for COTE): those lines read
       * again alone, larger. */
      if (missing && lines != NULL)
        read_near_again (self, grey, flags, lines, cancellable);
    }
  return self;
}

/* Whether self read the whole name surely under its labels, and the
 * expiry date under its label or in the MRZ. */
static gboolean
read_whole (const ErIdRead *self)
{
  return self->source == ER_ID_READ_SOURCE_LABELS && self->sure && !self->half &&
         self->expiry != NULL && self->expiry_sure && self->has_region;
}

/* Whether self read a name under its labels (whole or not, sure or not)
 * and the expiry date surely: only the name's part of the text is worth
 * reading again larger. */
static gboolean
read_labels (const ErIdRead *self)
{
  return self->source == ER_ID_READ_SOURCE_LABELS && self->has_region && self->expiry != NULL &&
         self->expiry_sure;
}

/* The part of text (a region of the grey copy) that holds the name of
 * self and its labels: from above lines' heights above the name to
 * below lines' heights under it. */
static void
name_region (const ErIdRead *self,
             const Grey     *grey,
             double          above,
             double          below,
             Region         *text)
{
  int top = (int) (self->region.origin.y / grey->scale - above * text->line_height);
  int bottom = (int) ((self->region.origin.y + self->region.size.height) / grey->scale +
                      below * text->line_height);

  top = MAX (top, text->y);
  bottom = MIN (bottom, text->y + text->height);
  if (bottom > top)
    {
      text->y = top;
      text->height = bottom - top;
    }
}

/* Whether one of lines (the photo's pixels) is in part of region (the
 * grey copy's). */
static gboolean
overlaps (const Grey   *grey,
          const Region *region,
          GPtrArray    *lines)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (line->y / grey->scale < region->y + region->height &&
          (line->y + line->height) / grey->scale > region->y)
        return TRUE;
    }
  return FALSE;
}

ErIdRead *
er_id_read_photo (GdkTexture    *photo,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 start = g_get_monotonic_time ();
  g_auto(Grey) grey = { NULL };
  Region text;
  ErIdRead *self;

  g_return_val_if_fail (GDK_IS_TEXTURE (photo), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  grey_init (&grey, photo);
  self = read_well (photo, &grey, ER_OCR_AS_IS, NULL, &text, cancellable, error);
  if (self == NULL)
    return NULL;
  /* Small print: read again larger (ER_ID_READ_TEXT_HEIGHT), and the
   * reading that says more kept (_er_id_read_choose). A reading that
   * found the name under its labels and the expiry surely has only its
   * name's part of the text read again, with the MRZ it read (its name
   * checked against it as on the whole page). The whole name read surely
   * is read again from two lines and a half above to most of a line below
   * (in a fifth of the time): for the marks its capitals lost at the
   * smaller size ("BENOIT" for "BENOÎT"). */
  if (small_print (&text))
    {
      gboolean whole = read_whole (self);
      Region part = text;
      ErIdRead *again;

      if (read_labels (self))
        {
          name_region (self, &grey, whole ? 2.5 : ER_ID_READ_ABOVE_NAME, whole ? 0.7 : ER_ID_READ_BELOW_NAME,
                       &part);
          if (self->mrz_lines != NULL && !overlaps (&grey, &part, self->mrz_lines))
            part.mrz = self->mrz_lines;
        }
      again = whole ? read_photo_in (photo, &grey, ER_OCR_AS_IS, &part, NULL, cancellable, NULL)
                    : read_well (photo, &grey, ER_OCR_AS_IS, &part, NULL, cancellable, NULL);
      /* self, and the MRZ's lines with it, may go. */
      part.mrz = NULL;
      if (again != NULL)
        self = _er_id_read_choose (self, again);
      if (whole)
        text = part;
    }
  /* Not read whole, the photo taken at an angle (its lines leaning
   * differently at the top and the bottom: Tesseract joins labels to the
   * values beside them): read again with the lines made level, and the
   * reading that says more kept. */
  if (!read_whole (self))
    {
      ErIdRead *again = read_well (photo, &grey, ER_OCR_KEYSTONE, small_print (&text) ? &text : NULL,
                                   NULL, cancellable, NULL);

      if (again != NULL)
        self = _er_id_read_choose (self, again);
    }
  self->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  return self;
}
