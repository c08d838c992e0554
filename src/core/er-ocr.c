/* er-ocr.c: the lines of text on an image, read by Tesseract.
 *
 * Tesseract's engine is not thread-safe and takes a few hundred
 * milliseconds and about 40 MB to load its models: one engine is made on
 * first use, kept, and lent to one reader at a time (engine_lock). Its
 * messages go nowhere (debug_file): a photo's text must not reach a log. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "er-accent.h"
#include "er-block.h"
#include "er-ocr.h"
#include "er-ocr-private.h"

gboolean
_er_ocr_letter_gap (const ErBox *a,
                    const ErBox *b)
{
  int height = MIN (a->bottom - a->top, b->bottom - b->top);
  int gap = b->left - a->right;

  if (a->right <= a->left || b->right <= b->left || height <= 0)
    return FALSE;
  return 10 * gap < 3 * height && 10 * gap >= -height;
}

gboolean
_er_ocr_column_gap (const ErBox *a,
                    const ErBox *b,
                    float        confidence)
{
  int height = MIN (a->bottom - a->top, b->bottom - b->top);

  return a->right > a->left && b->right > b->left && height > 0 &&
         b->left - a->right > ER_OCR_COLUMN_GAP * height && confidence < ER_OCR_COLUMN_DOUBT;
}

#ifdef HAVE_TESSERACT
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

/* Tesseract's languages: French alone. Its model reads the English of
 * bilingual labels as well, and the accented capitals of names far better
 * than with English beside it ("fra+eng" read "DÉSILETS" as "DESILETS":
 * names exact 38 % against 24 % on 40 documents of the accuracy
 * benchmark). ER_OCR_LANGUAGES (Tesseract's "fra+eng" syntax) tries others
 * with the benchmark. */
#define ER_OCR_LANGUAGES "fra"

static GMutex engine_lock;
static TessBaseAPI *engine;
static gboolean engine_tried;
static gint64 engine_used;     /* monotonic µs of the last read's end */
static GSource *release_source;  /* the timeout that lets the engine go */
static guint idle_seconds = ER_OCR_IDLE_SECONDS;

/* Tesseract's own page layout: its "sparse text" mode breaks a name at
 * an apostrophe ("LÉVESQUE-D" and "'AMOUR" on a tilted card);
 * ER_OCR_PSM (a page segmentation mode number) is for trying others with
 * the accuracy benchmark (tests/bench-ocr.c). */
static TessPageSegMode
page_mode (void)
{
  const char *psm = g_getenv ("ER_OCR_PSM");

  return psm != NULL ? (TessPageSegMode) atoi (psm) : PSM_AUTO;
}

/* Called with engine_lock held. */
static TessBaseAPI *
get_engine (void)
{
  if (!engine_tried)
    {
      TessBaseAPI *api = TessBaseAPICreate ();
      const char *languages = g_getenv ("ER_OCR_LANGUAGES") != NULL ? g_getenv ("ER_OCR_LANGUAGES")
                                                                    : ER_OCR_LANGUAGES;

      engine_tried = TRUE;
      /* Leptonica writes its complaints to stderr (an ID's skew search
       * "box outside rectangle"): nothing about a photo goes to a log. */
      setMsgSeverity (L_SEVERITY_NONE);
      /* Before Init, so that loading says nothing either. */
      TessBaseAPISetVariable (api, "debug_file", "/dev/null");
      if (TessBaseAPIInit3 (api, NULL, languages) != 0)
        {
          g_debug ("Tesseract: no %s data: IDs are not read", languages);
          TessBaseAPIDelete (api);
          return NULL;
        }
      TessBaseAPISetVariable (api, "debug_file", "/dev/null");
      engine = api;
    }
  return engine;
}

/* The engine (about 30 MB, 40 MB after a read) is let go once nothing was
 * read for ER_OCR_IDLE_SECONDS: while an agent reviews, a read comes with
 * each case; during a pause, a lock or a break, the memory goes back. The
 * next read loads it again (about 0.3 s, in the reading thread). */
static gboolean
release_if_idle (gpointer user_data)
{
  gint64 idle_until;

  if (!g_mutex_trylock (&engine_lock))
    return G_SOURCE_CONTINUE;  /* a read is under way: later */
  idle_until = engine_used + (gint64) idle_seconds * G_USEC_PER_SEC;
  if (engine != NULL && g_get_monotonic_time () >= idle_until)
    {
      TessBaseAPIEnd (engine);
      TessBaseAPIDelete (engine);
      engine = NULL;
      engine_tried = FALSE;
      g_clear_pointer (&release_source, g_source_unref);
      g_mutex_unlock (&engine_lock);
      g_debug ("Tesseract: let go after %u s without a read", idle_seconds);
      er_block_trim_later ();
      return G_SOURCE_REMOVE;
    }
  if (engine == NULL)
    {
      g_clear_pointer (&release_source, g_source_unref);
      g_mutex_unlock (&engine_lock);
      return G_SOURCE_REMOVE;
    }
  g_mutex_unlock (&engine_lock);
  return G_SOURCE_CONTINUE;
}

/* Called with engine_lock held, after a read. */
static void
schedule_release (void)
{
  engine_used = g_get_monotonic_time ();
  if (release_source == NULL)
    {
      release_source = g_timeout_source_new_seconds (idle_seconds);
      g_source_set_callback (release_source, release_if_idle, NULL, NULL);
      g_source_set_static_name (release_source, "[er] release Tesseract");
      /* The app's main context, whichever thread read. */
      g_source_attach (release_source, NULL);
    }
}

/* The grey image as a Leptonica image (8 bits a pixel, its own layout). */
static PIX *
grey_pix (const guint8 *grey,
          int           width,
          int           height,
          int           stride)
{
  PIX *pix = pixCreate (width, height, 8);
  l_uint32 *data = pixGetData (pix);
  int wpl = pixGetWpl (pix);

  for (int y = 0; y < height; y++)
    {
      l_uint32 *line = data + (gsize) y * wpl;
      const guint8 *row = grey + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        SET_DATA_BYTE (line, x, row[x]);
    }
  return pix;
}

/* Lets a Leptonica image go, its pixels zeroed with the last reference to
 * them. */
static void
wipe_pix (PIX **pix)
{
  if (*pix == NULL)
    return;
  /* A clone (Leptonica's pixDeskewGeneral gives one when the image is
   * straight) shares its pixels: they are wiped with the last of them. */
  if (pixGetRefcount (*pix) == 1)
    memset (pixGetData (*pix), 0, (size_t) pixGetWpl (*pix) * 4 * pixGetHeight (*pix));
  pixDestroy (pix);
}

static bool
cancel_cb (void *cancel_this,
           int   words)
{
  return g_cancellable_is_cancelled (cancel_this);
}

/* The line's text without its ending newline and with its words separated
 * by single spaces; NULL when it holds nothing but spaces. */
static char *
clean_line (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (line->len > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, words[i]);
    }
  return line->len > 0 ? g_string_free (g_steal_pointer (&line), FALSE) : NULL;
}

static void
glyph_clear (ErGlyph *glyph)
{
  g_free ((char *) glyph->text);
}

/* A line as Tesseract read it: its box, its confidence, its characters
 * and where its words start. */
typedef struct {
  ErBox   box;
  float   confidence;
  GArray *glyphs;  /* ErGlyph, texts owned */
  GArray *words;   /* guint: the index of each word's first glyph */
  GArray *word_boxes;  /* ErBox: each word's box (baseline unused) */
  GArray *word_confidences;  /* float: each word's */
} ReadLine;

static void
read_line_clear (ReadLine *line)
{
  g_array_unref (line->glyphs);
  g_array_unref (line->words);
  g_array_unref (line->word_boxes);
  g_array_unref (line->word_confidences);
}

/* Whether word (glyphs start to end) is all capital letters. */
static gboolean
all_capitals (const ReadLine *line,
              guint           start,
              guint           end)
{
  for (guint i = start; i < end; i++)
    {
      const char *text = g_array_index (line->glyphs, ErGlyph, i).text;
      gunichar c = g_utf8_get_char (text);

      if (!g_unichar_isupper (c) || *g_utf8_next_char (text) != '\0')
        return FALSE;
    }
  return end > start;
}

/* Whether Tesseract split one word of capitals in two ("STÉ PHANE",
 * "K ÉVI N"), both words all capitals. */
static gboolean
split_word (const ReadLine *line,
            guint           w)
{
  guint a_start = g_array_index (line->words, guint, w - 1);
  guint b_start = g_array_index (line->words, guint, w);
  guint b_end = w + 1 < line->words->len ? g_array_index (line->words, guint, w + 1) : line->glyphs->len;

  /* A piece of four letters or fewer: two whole words a blurred photo
   * sets close ("DOMINIQUE THÉRÈSE") are not joined. */
  return _er_ocr_letter_gap (&g_array_index (line->word_boxes, ErBox, w - 1),
                             &g_array_index (line->word_boxes, ErBox, w)) &&
         MIN (b_start - a_start, b_end - b_start) <= 4 &&
         all_capitals (line, a_start, b_start) && all_capitals (line, b_start, b_end);
}

/* The line's text, its words separated by one space, each word's capitals
 * given the accents seen on the image (er-accent.h); NULL when it holds
 * nothing. A word of capitals split in two is one again. */
static char *
line_text (const ReadLine *line,
           const ErInk    *ink)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint w = 0; w < line->words->len; w++)
    {
      guint start = g_array_index (line->words, guint, w);
      guint end = w + 1 < line->words->len ? g_array_index (line->words, guint, w + 1) : line->glyphs->len;
      g_autofree char *word = NULL;

      if (start == end)
        continue;
      word = er_accent_fix_word (ink, &g_array_index (line->glyphs, ErGlyph, start), end - start);
      if (text->len > 0 && !(w > 0 && split_word (line, w)))
        g_string_append_c (text, ' ');
      g_string_append (text, word);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* Whether a character hangs under its line's baseline by nature (a comma,
 * a slash, a "p") and starts above it. An accent of the line below may
 * have been taken into a line, glued to a letter or read as a comma of
 * its own wholly under the baseline: that is no such character. */
static gboolean
hangs (const char  *text,
       const ErBox *box,
       int          baseline)
{
  return baseline >= 0 && text[0] != '\0' && text[1] == '\0' && strchr (",;/()[]pgjqy", text[0]) != NULL &&
         box->top < baseline - 1 && box->bottom - 1 > baseline + 1;
}

/* Whether word w of line starts a column of its own that is a picture,
 * not text (_er_ocr_column_gap, with its words' mean confidence). */
static gboolean
column_gap (const ReadLine *line,
            guint           w)
{
  float sum = 0;

  for (guint i = w; i < line->word_confidences->len; i++)
    sum += g_array_index (line->word_confidences, float, i);
  return _er_ocr_column_gap (&g_array_index (line->word_boxes, ErBox, w - 1),
                             &g_array_index (line->word_boxes, ErBox, w),
                             sum / MAX (line->word_confidences->len - w, 1));
}

/* The words from..to of line, a line of their own. */
static ReadLine
line_part (const ReadLine *line,
           guint           from,
           guint           to)
{
  ReadLine part = { .box = { G_MAXINT, G_MAXINT, G_MININT, G_MININT, line->box.baseline } };
  guint first = g_array_index (line->words, guint, from);
  guint end = to < line->words->len ? g_array_index (line->words, guint, to) : line->glyphs->len;
  float sum = 0;

  part.glyphs = g_array_new (FALSE, FALSE, sizeof (ErGlyph));
  g_array_set_clear_func (part.glyphs, (GDestroyNotify) glyph_clear);
  part.words = g_array_new (FALSE, FALSE, sizeof (guint));
  part.word_boxes = g_array_new (FALSE, TRUE, sizeof (ErBox));
  part.word_confidences = g_array_new (FALSE, FALSE, sizeof (float));
  for (guint i = first; i < end; i++)
    {
      ErGlyph glyph = g_array_index (line->glyphs, ErGlyph, i);

      glyph.text = g_strdup (glyph.text);
      g_array_append_val (part.glyphs, glyph);
    }
  for (guint w = from; w < to; w++)
    {
      const ErBox *box = &g_array_index (line->word_boxes, ErBox, w);
      guint start = g_array_index (line->words, guint, w) - first;
      float confidence = g_array_index (line->word_confidences, float, w);

      g_array_append_val (part.words, start);
      g_array_append_val (part.word_boxes, *box);
      g_array_append_val (part.word_confidences, confidence);
      sum += confidence;
      if (box->right > box->left)
        {
          part.box.left = MIN (part.box.left, box->left);
          part.box.top = MIN (part.box.top, box->top);
          part.box.right = MAX (part.box.right, box->right);
          part.box.bottom = MAX (part.box.bottom, box->bottom);
        }
    }
  part.confidence = sum / MAX (to - from, 1);
  if (part.box.right <= part.box.left)
    part.box = line->box;
  return part;
}

/* Lines that span two columns, cut in two where their words leave a
 * column's gap (column_gap). */
static void
split_at_gaps (GArray *read)
{
  for (guint i = 0; i < read->len; i++)
    {
      ReadLine *line = &g_array_index (read, ReadLine, i);
      ReadLine left, right;
      guint w;

      for (w = 1; w < line->words->len && !column_gap (line, w); w++)
        ;
      if (w >= line->words->len)
        continue;
      left = line_part (line, 0, w);
      right = line_part (line, w, line->words->len);
      read_line_clear (line);
      g_array_index (read, ReadLine, i) = left;
      /* The right part is looked at in its turn: it may span a gap too. */
      g_array_insert_val (read, i + 1, right);
    }
}

/* Tesseract's lines, read character by character in one pass; then their
 * texts, once every line's box and what hangs under each are known (a
 * mark above a word is neither in another line nor hanging from it). */
static GPtrArray *
collect_lines (TessBaseAPI *api,
               const ErInk *binary)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  TessResultIterator *it = TessBaseAPIGetIterator (api);
  g_autoptr(GArray) read = g_array_new (FALSE, FALSE, sizeof (ReadLine));
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (ErBox));
  g_autoptr(GArray) descenders = g_array_new (FALSE, FALSE, sizeof (ErBox));
  ReadLine *line = NULL;
  ErInk ink = { 0 };

  if (it == NULL)
    return lines;
  g_array_set_clear_func (read, (GDestroyNotify) read_line_clear);
  do
    {
      const TessPageIterator *page = TessResultIteratorGetPageIterator (it);
      ErGlyph glyph = { 0 };
      ErBox box;
      char *text;
      int x1, y1, x2, y2;

      if (TessPageIteratorIsAtBeginningOf (page, RIL_TEXTLINE))
        {
          ReadLine next = { .box.baseline = -1 };

          line = NULL;
          if (TessPageIteratorBoundingBox (page, RIL_TEXTLINE, &next.box.left, &next.box.top,
                                           &next.box.right, &next.box.bottom))
            {
              if (TessPageIteratorBaseline (page, RIL_TEXTLINE, &x1, &y1, &x2, &y2))
                next.box.baseline = (y1 + y2) / 2;
              next.confidence = TessResultIteratorConfidence (it, RIL_TEXTLINE);
              next.glyphs = g_array_new (FALSE, FALSE, sizeof (ErGlyph));
              g_array_set_clear_func (next.glyphs, (GDestroyNotify) glyph_clear);
              next.words = g_array_new (FALSE, FALSE, sizeof (guint));
              next.word_boxes = g_array_new (FALSE, TRUE, sizeof (ErBox));
              next.word_confidences = g_array_new (FALSE, FALSE, sizeof (float));
              g_array_append_val (read, next);
              line = &g_array_index (read, ReadLine, read->len - 1);
            }
        }
      if (line == NULL)
        continue;
      if (TessPageIteratorIsAtBeginningOf (page, RIL_WORD))
        {
          ErBox word = { .baseline = -1 };
          float confidence = TessResultIteratorConfidence (it, RIL_WORD);

          if (!TessPageIteratorBoundingBox (page, RIL_WORD, &word.left, &word.top, &word.right, &word.bottom))
            word.left = word.right = 0;
          g_array_append_val (line->words, line->glyphs->len);
          g_array_append_val (line->word_boxes, word);
          g_array_append_val (line->word_confidences, confidence);
        }
      text = TessResultIteratorGetUTF8Text (it, RIL_SYMBOL);
      if (text != NULL && g_utf8_validate (text, -1, NULL) &&
          TessPageIteratorBoundingBox (page, RIL_SYMBOL, &box.left, &box.top, &box.right, &box.bottom))
        {
          glyph.text = clean_line (text);
          glyph.left = box.left;
          glyph.top = box.top;
          glyph.right = box.right;
          glyph.bottom = box.bottom;
          if (glyph.text != NULL)
            g_array_append_val (line->glyphs, glyph);
          if (hangs (text, &box, line->box.baseline))
            g_array_append_val (descenders, box);
        }
      TessDeleteText (text);
    }
  while (TessResultIteratorNext (it, RIL_SYMBOL));
  TessResultIteratorDelete (it);
  split_at_gaps (read);
  for (guint i = 0; i < read->len; i++)
    g_array_append_val (boxes, g_array_index (read, ReadLine, i).box);

  if (binary != NULL)
    {
      ink = *binary;
      ink.lines = (const ErBox *) boxes->data;
      ink.n_lines = boxes->len;
      ink.descenders = (const ErBox *) descenders->data;
      ink.n_descenders = descenders->len;
    }
  for (guint i = 0; i < read->len; i++)
    {
      const ReadLine *at = &g_array_index (read, ReadLine, i);
      g_autofree char *text = line_text (at, binary != NULL ? &ink : NULL);

      if (text != NULL)
        g_ptr_array_add (lines, er_id_line_new (text, at->confidence, at->box.left, at->box.top,
                                                at->box.right - at->box.left, at->box.bottom - at->box.top));
    }
  return lines;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const ErIdLine *la = *(const ErIdLine * const *) a;
  const ErIdLine *lb = *(const ErIdLine * const *) b;

  /* Top to bottom; on one row (their boxes overlapping by half), left to right. */
  if (la->y + la->height / 2 < lb->y)
    return -1;
  if (lb->y + lb->height / 2 < la->y)
    return 1;
  return la->x < lb->x ? -1 : la->x > lb->x;
}
#endif

gboolean
er_ocr_available (void)
{
#ifdef HAVE_TESSERACT
  gboolean available;

  g_mutex_lock (&engine_lock);
  available = get_engine () != NULL;
  /* Loaded to answer: let go as after a read, not kept until one. */
  if (available)
    schedule_release ();
  g_mutex_unlock (&engine_lock);
  return available;
#else
  return FALSE;
#endif
}

void
er_ocr_set_idle_seconds (guint seconds)
{
  g_return_if_fail (seconds > 0);
#ifdef HAVE_TESSERACT
  g_mutex_lock (&engine_lock);
  idle_seconds = seconds;
  /* A release already waiting waits the new time. */
  if (release_source != NULL)
    {
      g_source_destroy (release_source);
      g_clear_pointer (&release_source, g_source_unref);
      schedule_release ();
    }
  g_mutex_unlock (&engine_lock);
#endif
}

gboolean
er_ocr_is_loaded (void)
{
#ifdef HAVE_TESSERACT
  gboolean loaded;

  g_mutex_lock (&engine_lock);
  loaded = engine != NULL;
  g_mutex_unlock (&engine_lock);
  return loaded;
#else
  return FALSE;
#endif
}

#ifdef HAVE_TESSERACT
/* Leptonica's local skew: the angle of the lines is found in horizontal
 * slices of the image, searched within this many degrees. */
#define ER_OCR_KEYSTONE_SWEEP 7.0

/* An MRZ's characters (ER_OCR_MRZ). */
#define ER_OCR_MRZ_CHARACTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

/* pix (grey, straightened) with its lines made level where they lean
 * differently at its top and its bottom, by ER_OCR_KEYSTONE_DEGREES or
 * more (a projective transform); NULL when they lean alike. */
static PIX *
keystone_levelled (PIX *pix)
{
  PIX *binary = pixConvertTo1 (pix, 130);
  PIX *level = NULL;
  PTA *from = NULL, *to = NULL;
  NUMA *angles;
  l_float32 slope = 0, intercept = 0;

  if (binary == NULL)
    return NULL;
  /* The angle of the lines as a line of their height: slope in degrees
   * per row. */
  angles = pixGetLocalSkewAngles (binary, 0, 0, 0, ER_OCR_KEYSTONE_SWEEP, 0, 0, &slope, &intercept, 0);
  if (angles != NULL && fabs (slope) * pixGetHeight (pix) >= ER_OCR_KEYSTONE_DEGREES &&
      pixGetLocalSkewTransform (binary, 0, 0, 0, ER_OCR_KEYSTONE_SWEEP, 0, 0, &from, &to) == 0)
    level = pixProjectivePtaGray (pix, to, from, 255);
  numaDestroy (&angles);
  ptaDestroy (&from);
  ptaDestroy (&to);
  wipe_pix (&binary);
  return level;
}

/* Leptonica's skew search over an MRZ's two or three lines is less
 * confident than over a page's (about 2 for 4°, where it deskews a page
 * from 3): enough here, where the region holds those lines alone. */
#define ER_OCR_MRZ_SKEW_CONFIDENCE 1.5

/* pix (a region holding an MRZ) turned so that its lines are level, or
 * NULL when they are already. */
static PIX *
mrz_levelled (PIX *pix)
{
  PIX *binary = pixConvertTo1 (pix, 130);
  PIX *level = NULL;
  l_float32 angle = 0, confidence = 0;

  if (binary != NULL &&
      pixFindSkewSweepAndSearch (binary, &angle, &confidence, 1, 1, 12.0, 1.0, 0.01) == 0 &&
      confidence >= ER_OCR_MRZ_SKEW_CONFIDENCE && fabs (angle) >= 0.1)
    level = pixRotate (pix, (l_float32) (angle * G_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  wipe_pix (&binary);
  return level;
}

/* The lines of the image, or of zone in it once straightened (and
 * levelled, with ER_OCR_KEYSTONE; its boxes then in the whole image's
 * pixels): one line in zone, or with zoom over 1, the zone made that much
 * larger and read with the flags' layout (its boxes back in the image's
 * pixels). */
static GPtrArray *
read_image (const guint8    *grey,
            int              width,
            int              height,
            int              stride,
            ErOcrFlags       flags,
            const ErBox     *zone,
            double           zoom,
            GCancellable    *cancellable,
            GError         **error)
{
  TessBaseAPI *api;
  ETEXT_DESC *monitor;
  GPtrArray *lines = NULL;
  PIX *pix, *straight, *clipped = NULL, *zoomed = NULL;
  l_float32 angle = 0, confidence = 0;
  gboolean levelled = TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_mutex_lock (&engine_lock);
  api = get_engine ();
  if (api == NULL)
    {
      g_mutex_unlock (&engine_lock);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Text recognition data for French and English is not installed."));
      return NULL;
    }

  monitor = TessMonitorCreate ();
  if (cancellable != NULL)
    {
      TessMonitorSetCancelFunc (monitor, cancel_cb);
      TessMonitorSetCancelThis (monitor, cancellable);
    }
  /* A photo held askew (up to ±10° in the accuracy benchmark's corpus)
   * breaks Tesseract's lines in pieces: the image is turned straight
   * first (Leptonica, Tesseract's own image library). */
  pix = grey_pix (grey, width, height, stride);
  if (flags & ER_OCR_EVEN_LIGHT)
    {
      PIX *even = pixBackgroundNormSimple (pix, NULL, NULL);

      if (even != NULL)
        {
          wipe_pix (&pix);
          pix = even;
        }
    }
  straight = pixDeskewGeneral (pix, 0, 12.0, 0.0, 0, 0, &angle, &confidence);
  if (flags & ER_OCR_KEYSTONE)
    {
      PIX *level = keystone_levelled (straight != NULL ? straight : pix);

      levelled = level != NULL;
      if (level != NULL)
        {
          wipe_pix (&straight);
          straight = level;
        }
    }
  if (zone != NULL)
    {
      BOX *box = boxCreateValid (zone->left, zone->top, zone->right - zone->left, zone->bottom - zone->top);

      clipped = box != NULL ? pixClipRectangle (straight != NULL ? straight : pix, box, NULL) : NULL;
      boxDestroy (&box);
    }
  /* An MRZ leans its own way on a page photographed at an angle:
   * straightened alone. */
  if ((flags & ER_OCR_MRZ) && clipped != NULL)
    {
      PIX *level = mrz_levelled (clipped);

      if (level != NULL)
        {
          wipe_pix (&clipped);
          clipped = level;
        }
    }
  /* Small print read larger: Leptonica's scaling, smooth (linear) for
   * grey. */
  if (zoom > 1 && clipped != NULL)
    zoomed = pixScale (clipped, zoom, zoom);
  TessBaseAPISetPageSegMode (api, zone != NULL && zoom <= 1 ? PSM_SINGLE_LINE
                                  : (flags & ER_OCR_SPARSE) ? PSM_SPARSE_TEXT
                                  : (flags & (ER_OCR_BLOCK | ER_OCR_MRZ)) ? PSM_SINGLE_BLOCK : page_mode ());
  if (flags & ER_OCR_MRZ)
    TessBaseAPISetVariable (api, "tessedit_char_whitelist", ER_OCR_MRZ_CHARACTERS);
  TessBaseAPISetImage2 (api, zoomed != NULL ? zoomed : clipped != NULL ? clipped : straight != NULL ? straight : pix);
  /* A photo has no resolution of its own: IDs are read as scans of 300 dpi. */
  TessBaseAPISetSourceResolution (api, 300);
  /* A zone off the image holds nothing. */
  if (!levelled)
    ;  /* the lines lean alike: nothing to read (below) */
  else if (zone != NULL && clipped == NULL)
    lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  else if (TessBaseAPIRecognize (api, monitor) == 0 && !g_cancellable_is_cancelled (cancellable))
    {
      /* The black and white image Tesseract read, where the accents it
       * missed are looked for; in the straightened image's pixels, as
       * the boxes. */
      PIX *binary = TessBaseAPIGetThresholdedImage (api);
      ErInk ink = { 0 };
      gboolean usable = binary != NULL && pixGetDepth (binary) == 1 &&
                        TessBaseAPIGetThresholdedImageScaleFactor (api) == 1;

      if (usable)
        ink = (ErInk) { pixGetData (binary), pixGetWpl (binary), pixGetWidth (binary), pixGetHeight (binary) };
      lines = collect_lines (api, usable ? &ink : NULL);
      wipe_pix (&binary);
    }
  /* Forget the image (its pixels are the caller's) and what was read. */
  if (flags & ER_OCR_MRZ)
    TessBaseAPISetVariable (api, "tessedit_char_whitelist", "");
  TessBaseAPIClear (api);
  TessMonitorDelete (monitor);
  /* The grey copies are the learner's ID: wiped before they go. */
  wipe_pix (&zoomed);
  wipe_pix (&clipped);
  wipe_pix (&straight);
  wipe_pix (&pix);
  schedule_release ();
  g_mutex_unlock (&engine_lock);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_pointer (&lines, g_ptr_array_unref);
      return NULL;
    }
  if (!levelled)
    {
      /* Never shown: the caller keeps the reading without the flag. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The lines lean alike");
      return NULL;
    }
  if (lines == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The text on the photo could not be read."));
      return NULL;
    }
  g_ptr_array_sort (lines, compare_lines);
  /* A zone's boxes in the whole image's pixels (at its scale, when it
   * was read larger: only a zone is). */
  for (guint i = 0; zone != NULL && i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      if (zoom > 1)
        {
          line->x = (int) (line->x / zoom);
          line->y = (int) (line->y / zoom);
          line->width = (int) (line->width / zoom + 0.5);
          line->height = (int) (line->height / zoom + 0.5);
        }
      line->x += zone->left;
      line->y += zone->top;
    }
  return lines;
}
#else
static GPtrArray *
not_built (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This version of the app does not read IDs."));
  return NULL;
}
#endif

GPtrArray *
er_ocr_read_lines (const guint8  *grey,
                   int            width,
                   int            height,
                   int            stride,
                   ErOcrFlags     flags,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (grey != NULL && width > 0 && height > 0 && stride >= width, NULL);

#ifdef HAVE_TESSERACT
  return read_image (grey, width, height, stride, flags, NULL, 1, cancellable, error);
#else
  return not_built (error);
#endif
}

GPtrArray *
er_ocr_read_zone (const guint8  *grey,
                  int            width,
                  int            height,
                  int            stride,
                  ErOcrFlags     flags,
                  int            x,
                  int            y,
                  int            zone_width,
                  int            zone_height,
                  GCancellable  *cancellable,
                  GError       **error)
{
#ifdef HAVE_TESSERACT
  ErBox zone = { x, y, x + zone_width, y + zone_height, -1 };
#endif

  g_return_val_if_fail (grey != NULL && width > 0 && height > 0 && stride >= width, NULL);
  g_return_val_if_fail (zone_width > 0 && zone_height > 0, NULL);

#ifdef HAVE_TESSERACT
  return read_image (grey, width, height, stride, flags & (ER_OCR_KEYSTONE | ER_OCR_EVEN_LIGHT), &zone, 1,
                     cancellable, error);
#else
  return not_built (error);
#endif
}

GPtrArray *
er_ocr_read_region (const guint8  *grey,
                    int            width,
                    int            height,
                    int            stride,
                    ErOcrFlags     flags,
                    int            x,
                    int            y,
                    int            region_width,
                    int            region_height,
                    double         zoom,
                    GCancellable  *cancellable,
                    GError       **error)
{
#ifdef HAVE_TESSERACT
  ErBox region = { x, y, x + region_width, y + region_height, -1 };
#endif

  g_return_val_if_fail (grey != NULL && width > 0 && height > 0 && stride >= width, NULL);
  g_return_val_if_fail (region_width > 0 && region_height > 0 && zoom > 1, NULL);

#ifdef HAVE_TESSERACT
  return read_image (grey, width, height, stride, flags, &region, zoom, cancellable, error);
#else
  return not_built (error);
#endif
}
