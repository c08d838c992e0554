/* test-accent.c: the accents of capitals seen on the image (er-accent.h).
 *
 * Words in capitals are drawn by code in the corpus's fonts and sizes,
 * made black and white, and given with the boxes of their letters read
 * without accents, as Tesseract's fast models read them: each mark drawn
 * must be found and told, and none must be found where none was drawn
 * (with a line of text just above, and specks of noise).
 */
#include "config.h"

#include <string.h>

#include <pango/pangocairo.h>

#include "er-accent.h"
#include "er-ocr-private.h"
#include "fake-ids.h"

typedef struct {
  guint32 *words;
  ErBox    lines[2];  /* the word's line, and the line above if any */
  GArray  *descenders;  /* ErBox: the line above's characters that hang */
  ErInk    ink;
  GArray  *glyphs;  /* ErGlyph, the letters without their accents */
  GString *plain;   /* the word without accents, one letter per glyph */
} Drawn;

static void
drawn_free (Drawn *drawn)
{
  for (guint i = 0; i < drawn->glyphs->len; i++)
    g_free ((char *) g_array_index (drawn->glyphs, ErGlyph, i).text);
  g_array_unref (drawn->glyphs);
  g_array_unref (drawn->descenders);
  g_string_free (drawn->plain, TRUE);
  g_free (drawn->words);
  g_free (drawn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Drawn, drawn_free)

/* The letter without its mark: "E" for "É". */
static gunichar
base_of (gunichar c)
{
  gunichar decomposed[4];
  gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  return n > 0 ? decomposed[0] : c;
}

/* Draws the word (and, when given, a line above it at the usual spacing),
 * black on white, in the family at size pixels; thresholds it; gives the
 * boxes of its letters as Tesseract would (the letter's columns, from the
 * capitals' top to the baseline). */
static Drawn *
draw_word (const char *word,
           const char *above,
           double      spacing,
           const char *family,
           int         size,
           guint       specks)
{
  Drawn *drawn = g_new0 (Drawn, 1);
  int width = size * (int) g_utf8_strlen (word, -1) + 4 * size;
  int height = 4 * size;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_new ();
  int x0 = size, y0 = 2 * size, baseline, cap_top;
  PangoRectangle ink_rect;
  guchar *data;
  int stride;
  g_autoptr(GRand) rand = g_rand_new_with_seed (size);

  drawn->glyphs = g_array_new (FALSE, FALSE, sizeof (ErGlyph));
  drawn->descenders = g_array_new (FALSE, FALSE, sizeof (ErBox));
  drawn->plain = g_string_new (NULL);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_font_description_set_family (font, family);
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);

  /* The capitals' top: that of an "E" drawn in the same place. */
  pango_layout_set_text (layout, "E", -1);
  pango_layout_get_pixel_extents (layout, &ink_rect, NULL);
  baseline = y0 + pango_layout_get_baseline (layout) / PANGO_SCALE;
  cap_top = y0 + ink_rect.y;

  if (above != NULL)
    {
      int top = y0 - (int) (spacing * size);

      /* Lines at the spacing given, baseline to baseline, in the
       * regular weight of labels. */
      pango_font_description_set_weight (font, PANGO_WEIGHT_NORMAL);
      pango_layout_set_font_description (layout, font);
      pango_layout_set_text (layout, above, -1);
      cairo_move_to (cr, x0, top);
      pango_cairo_show_layout (cr, layout);
      pango_layout_get_pixel_extents (layout, &ink_rect, NULL);
      drawn->lines[1] = (ErBox) { x0 + ink_rect.x, top + ink_rect.y, x0 + ink_rect.x + ink_rect.width,
                                  top + ink_rect.y + ink_rect.height,
                                  top + pango_layout_get_baseline (layout) / PANGO_SCALE - 1 };
      /* Its characters that reach under the baseline, as Tesseract boxes
       * them. */
      for (const char *p = above; *p != '\0'; p = g_utf8_next_char (p))
        if (strchr (",;/()pgjqy", *p) != NULL)
          {
            PangoRectangle pos;
            ErBox box;

            pango_layout_index_to_pos (layout, p - above, &pos);
            box.left = x0 + PANGO_PIXELS_FLOOR (pos.x);
            box.right = x0 + PANGO_PIXELS_CEIL (pos.x + pos.width);
            box.top = drawn->lines[1].top;
            box.bottom = drawn->lines[1].bottom;
            box.baseline = drawn->lines[1].baseline;
            g_array_append_val (drawn->descenders, box);
          }
      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (layout, font);
      drawn->ink.n_lines = 2;
    }
  else
    drawn->ink.n_lines = 1;
  pango_layout_set_text (layout, word, -1);
  cairo_move_to (cr, x0, y0);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_extents (layout, &ink_rect, NULL);
  drawn->lines[0] = (ErBox) { x0 + ink_rect.x, y0 + ink_rect.y, x0 + ink_rect.x + ink_rect.width,
                              y0 + ink_rect.y + ink_rect.height, baseline - 1 };
  drawn->ink.lines = drawn->lines;
  drawn->ink.descenders = (const ErBox *) drawn->descenders->data;
  drawn->ink.n_descenders = drawn->descenders->len;
  for (guint i = 0; i < specks; i++)
    {
      cairo_rectangle (cr, g_rand_int_range (rand, 0, width), g_rand_int_range (rand, 0, height), 1, 1);
      cairo_fill (cr);
    }

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      PangoRectangle pos;
      ErGlyph glyph;
      char text[8] = { 0 };

      pango_layout_index_to_pos (layout, p - word, &pos);
      g_unichar_to_utf8 (base_of (g_utf8_get_char (p)), text);
      glyph.text = g_strdup (text);
      glyph.left = x0 + PANGO_PIXELS_FLOOR (MIN (pos.x, pos.x + pos.width));
      glyph.right = x0 + PANGO_PIXELS_CEIL (MAX (pos.x, pos.x + pos.width));
      glyph.top = cap_top;
      glyph.bottom = baseline + 1;
      g_array_append_val (drawn->glyphs, glyph);
      g_string_append (drawn->plain, text);
    }

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  drawn->ink.width = width;
  drawn->ink.height = height;
  drawn->ink.wpl = (width + 31) / 32;
  drawn->words = g_new0 (guint32, (gsize) drawn->ink.wpl * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (data + (gsize) y * stride + 4 * x);

        if (((pixel >> 8) & 0xff) < 128)
          drawn->words[(gsize) y * drawn->ink.wpl + x / 32] |= 0x80000000u >> (x % 32);
      }
  drawn->ink.words = drawn->words;

  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return drawn;
}

static char *
fix (Drawn *drawn)
{
  return er_accent_fix_word (&drawn->ink, (const ErGlyph *) drawn->glyphs->data, drawn->glyphs->len);
}

static const char * const accented[] = {
  "CÔTÉ", "HÉLÈNE", "NOËL", "ANAÏS", "FRANÇOIS", "BENOÎT", "BRÛLÉ", "CHÊNEVERT",
  "GIGUÈRE", "RAPHAËL", "DÉSILETS", "BÉRUBÉ", "THÉRÈSE", "ÉMOND", "LÉVESQUE", "AÏCHA",
  "GENEVIÈVE", "JOSÉE", "LOÏC", "TROIS-RIVIÈRES",
};

static const char * const plain[] = {
  "TREMBLAY", "GAGNON", "OUELLET", "LAVOIE", "BOUCHARD", "COTE", "FRANCOIS", "BISSONNETTE",
  "CHARBONNEAU", "DAOUST", "YASMINE", "LUCIE",
};

static const int sizes[] = { 28, 40, 64 };

/* A bilingual label, its descenders ("p") and accents over the name. */
#define LABEL "Nom, prénom / Given names"

/* Whether made is the word but for marks missed: no mark made up or
 * mistaken. Counts the marks drawn and found. */
static gboolean
only_missed (const char *made,
             const char *word,
             guint      *n_marks,
             guint      *n_found)
{
  if (g_utf8_strlen (made, -1) != g_utf8_strlen (word, -1))
    return FALSE;
  for (; *word != '\0'; word = g_utf8_next_char (word), made = g_utf8_next_char (made))
    {
      gunichar w = g_utf8_get_char (word), m = g_utf8_get_char (made);

      if (base_of (w) != w)
        {
          (*n_marks)++;
          *n_found += m == w;
        }
      if (m != w && m != base_of (w))
        return FALSE;
    }
  return TRUE;
}

/* Every mark drawn is found and told, in every font and size. Under a
 * label as close as on IDs (its descenders come down near or onto the
 * accents) some are missed, none mistaken. */
static void
test_marks_found (void)
{
  const char * const *fonts = fake_id_fonts ();
  guint missed = 0, mistaken = 0, n_marks = 0, n_found = 0;

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (guint w = 0; w < G_N_ELEMENTS (accented); w++)
        {
          g_autoptr(Drawn) alone = draw_word (accented[w], NULL, 0, fonts[f], sizes[s], 0);
          g_autoptr(Drawn) under = draw_word (accented[w], LABEL, 1.0, fonts[f], sizes[s], 0);
          g_autofree char *fixed_alone = fix (alone);
          g_autofree char *fixed_under = fix (under);

          if (g_strcmp0 (fixed_alone, accented[w]) != 0)
            {
              g_test_message ("%s %d px: %s (%s) made %s", fonts[f], sizes[s], accented[w],
                              alone->plain->str, fixed_alone);
              missed++;
            }
          if (!only_missed (fixed_under, accented[w], &n_marks, &n_found))
            {
              g_test_message ("%s %d px, under a label: %s (%s) made %s", fonts[f], sizes[s],
                              accented[w], alone->plain->str, fixed_under);
              mistaken++;
            }
        }
  g_test_message ("Under a label: %u of %u marks found", n_found, n_marks);
  g_assert_cmpuint (missed, ==, 0);
  g_assert_cmpuint (mistaken, ==, 0);
  /* Most are still found (300 of 375 when written). */
  g_assert_cmpuint (n_found * 10, >=, n_marks * 7);
}

/* No mark is made up: not on plain words, not from the line above, not
 * from specks of noise. */
static void
test_no_marks_made_up (void)
{
  const char * const *fonts = fake_id_fonts ();
  guint made_up = 0;

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (guint w = 0; w < G_N_ELEMENTS (plain); w++)
        {
          const char *above = plain[(w + 1) % G_N_ELEMENTS (plain)];
          g_autoptr(Drawn) alone = draw_word (plain[w], NULL, 0, fonts[f], sizes[s], 0);
          g_autoptr(Drawn) under = draw_word (plain[w], above, 1.25, fonts[f], sizes[s], 0);
          g_autoptr(Drawn) specked = draw_word (plain[w], NULL, 0, fonts[f], sizes[s], 40);
          g_autoptr(Drawn) labelled = draw_word (plain[w], LABEL, 1.0, fonts[f], sizes[s], 0);
          g_autofree char *fixed_alone = fix (alone);
          g_autofree char *fixed_under = fix (under);
          g_autofree char *fixed_specked = fix (specked);
          g_autofree char *fixed_labelled = fix (labelled);
          const char *made[] = { fixed_alone, fixed_under, fixed_specked, fixed_labelled };

          for (guint i = 0; i < G_N_ELEMENTS (made); i++)
            if (g_strcmp0 (made[i], plain[w]) != 0)
              {
                g_test_message ("%s %d px, %s: %s made %s", fonts[f], sizes[s],
                                (const char *[]) { "alone", "under a line", "specks", "under a label" }[i],
                                plain[w], made[i]);
                made_up++;
              }
        }
  g_assert_cmpuint (made_up, ==, 0);
}

/* A box Tesseract gave a picture or a stamp around the name (a "line"
 * several times its height, its baseline far below), the name's own line
 * box leaving its marks out: the marks are still the name's. */
static void
test_picture_box (void)
{
  const char * const *fonts = fake_id_fonts ();
  const char * const words[] = { "LÊ", "CÔTÉ", "HÉLÈNE" };

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      {
        g_autoptr(Drawn) drawn = draw_word (words[w], NULL, 0, fonts[f], 40, 0);
        g_autofree char *fixed = NULL;

        drawn->lines[0].top = g_array_index (drawn->glyphs, ErGlyph, 0).top;
        drawn->lines[1] = (ErBox) { 0, 0, drawn->ink.width, drawn->ink.height, drawn->ink.height + 100 };
        drawn->ink.n_lines = 2;
        fixed = fix (drawn);
        g_assert_cmpstr (fixed, ==, words[w]);
      }
}

/* The foot of a round "C" under boxes whose bottoms Tesseract put a
 * little above it (the baseline then cuts it off) is no cedilla: it is as
 * wide as the letter ("ARÇHAMBAULT" on a noisy photo). */
static void
test_round_foot (void)
{
  const char * const *fonts = fake_id_fonts ();
  const char * const words[] = { "ARCHAMBAULT", "COTE", "FRANCOIS" };

  /* Bottoms 4 to 8 pixels high on letters of 40. */
  for (int cut = 4; cut <= 8; cut += 2)
    for (guint f = 0; fonts[f] != NULL; f++)
      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        {
          g_autoptr(Drawn) drawn = draw_word (words[w], NULL, 0, fonts[f], 40, 0);
          g_autofree char *fixed = NULL;

          for (guint i = 0; i < drawn->glyphs->len; i++)
            g_array_index (drawn->glyphs, ErGlyph, i).bottom -= cut;
          fixed = fix (drawn);
          g_assert_cmpstr (fixed, ==, words[w]);
        }
}

/* A word with small letters is given as read; a letter read with its
 * accent keeps it, one read with another accent than the one seen is
 * given the one seen. */
static void
test_as_read (void)
{
  g_autoptr(Drawn) mixed = draw_word ("Côté", NULL, 0, "DejaVu Sans", 40, 0);
  g_autoptr(Drawn) read = draw_word ("CÔTÉ", NULL, 0, "DejaVu Sans", 40, 0);
  g_autofree char *fixed_mixed = fix (mixed);
  g_autofree char *fixed_read = NULL;
  g_autofree char *nothing = er_accent_fix_word (NULL, NULL, 0);

  g_assert_cmpstr (fixed_mixed, ==, "Cote");
  /* Tesseract read the "Ô" and missed the "É"; then read it as "Ë". */
  g_free ((char *) g_array_index (read->glyphs, ErGlyph, 1).text);
  g_array_index (read->glyphs, ErGlyph, 1).text = g_strdup ("Ô");
  fixed_read = fix (read);
  g_assert_cmpstr (fixed_read, ==, "CÔTÉ");
  g_free ((char *) g_array_index (read->glyphs, ErGlyph, 3).text);
  g_array_index (read->glyphs, ErGlyph, 3).text = g_strdup ("Ë");
  g_free (fixed_read);
  fixed_read = fix (read);
  g_assert_cmpstr (fixed_read, ==, "CÔTÉ");
  g_assert_cmpstr (nothing, ==, "");
}

/* Marks that touch the letters of a label just above: Tesseract reads
 * those letters and the marks as one, a letter that hangs under the
 * baseline ("prépom" for "prénom" over "CÔTÉ"); every letter of the label
 * boxed so here. The marks, shallow and wide under that line, are found;
 * none is made up or mistaken. */
static void
test_touching_label (void)
{
  const char * const *fonts = fake_id_fonts ();
  static const char * const words[] = { "CÔTÉ", "KÉVIN", "CÉDRIC", "HÉLÈNE", "NOËL", "BENOÎT" };
  guint n_marks = 0, n_found = 0;

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      for (int spacing = 0; spacing < 4; spacing++)
        {
          g_autoptr(Drawn) under = draw_word (words[w], "Nom, nom / Name", 0.8 + 0.05 * spacing, fonts[f], 36,
                                              0);
          g_autofree char *fixed = NULL;
          int left = under->lines[1].left, right = under->lines[1].right;

          /* Every twelve pixels of the label, as if a letter hung there. */
          g_array_set_size (under->descenders, 0);
          for (int x = left; x < right; x += 12)
            {
              ErBox box = under->lines[1];

              box.left = x;
              box.right = MIN (x + 12, right);
              g_array_append_val (under->descenders, box);
            }
          under->ink.descenders = (const ErBox *) under->descenders->data;
          under->ink.n_descenders = under->descenders->len;
          fixed = fix (under);
          if (!only_missed (fixed, words[w], &n_marks, &n_found))
            g_error ("%s under a touching label: %s made %s", fonts[f], words[w], fixed);
        }
  g_test_message ("Under a touching label: %u of %u marks found", n_found, n_marks);
  /* 72 of 160 when written; 60 when all that hung from the label was its. */
  g_assert_cmpuint (n_found * 100, >=, n_marks * 42);
}

/* A label's slashes come down onto the marks (a line set tight above a
 * name): a mark a slash touches is still found where what crosses into
 * it is thicker than the slash; none is mistaken. */
static void
test_slash_onto_mark (void)
{
  const char * const *fonts = fake_id_fonts ();
  static const char * const words[] = { "CHLOÉ", "SÉBASTIEN", "ÉLODIE", "ZOÉ" };
  guint n_marks = 0, n_found = 0;

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      for (int spacing = 0; spacing < 4; spacing++)
        {
          g_autoptr(Drawn) under = draw_word (words[w], "/ / / / / / / / / / / / /", 0.85 + 0.05 * spacing,
                                              fonts[f], 36, 0);
          g_autofree char *fixed = fix (under);

          if (!only_missed (fixed, words[w], &n_marks, &n_found))
            g_error ("%s under slashes: %s made %s", fonts[f], words[w], fixed);
        }
  g_test_message ("Under slashes: %u of %u marks found", n_found, n_marks);
  /* 52 of 80 when written; 42 when all that a slash touched was its. */
  g_assert_cmpuint (n_found * 10, >=, n_marks * 6);
}

/* Two words of capitals Tesseract gave apart are one when the gap between
 * their boxes is a letter's. */
static void
test_letter_gap (void)
{
  const ErBox steph = { 100, 50, 190, 93, -1 }, phane = { 198, 50, 300, 93, -1 };
  const ErBox kevin = { 100, 50, 200, 93, -1 }, mael = { 225, 50, 310, 93, -1 };
  const ErBox under = { 140, 50, 300, 93, -1 }, empty = { 200, 50, 200, 93, -1 };

  g_assert_true (_er_ocr_letter_gap (&steph, &phane));   /* 8 of 43: 0.19 */
  g_assert_false (_er_ocr_letter_gap (&kevin, &mael));   /* 25 of 43: 0.58, a space */
  g_assert_false (_er_ocr_letter_gap (&steph, &under));  /* overlapping by 50 */
  g_assert_false (_er_ocr_letter_gap (&steph, &empty));
}

/* A line is cut where a picture beside the text was read as words: far
 * right of the text and read with no confidence; a value beside its
 * label, or words a space apart, are not. */
static void
test_column_gap (void)
{
  /* "NOÉMIE" 60 pixels high; "ER" 600 pixels right of it, on the stamp. */
  const ErBox noemie = { 830, 1140, 1250, 1200, -1 }, stamp = { 1850, 1126, 1920, 1275, -1 };
  /* "Surname" 32 high; "DÉSILETS" 273 pixels right of it. */
  const ErBox label = { 720, 1233, 1035, 1265, -1 }, value = { 1308, 1178, 1701, 1274, -1 };
  const ErBox space = { 1270, 1140, 1500, 1200, -1 }, empty = { 1900, 1140, 1900, 1200, -1 };

  g_assert_true (_er_ocr_column_gap (&noemie, &stamp, 0));
  g_assert_true (_er_ocr_column_gap (&noemie, &stamp, ER_OCR_COLUMN_DOUBT - 1));
  /* The same gap read surely is text: a column of the card's. */
  g_assert_false (_er_ocr_column_gap (&noemie, &stamp, ER_OCR_COLUMN_DOUBT));
  /* 273 of 32: a gap of a column's, but the value was read surely... */
  g_assert_false (_er_ocr_column_gap (&label, &value, 92));
  /* ...and 20 of 60 is a space, however it was read. */
  g_assert_false (_er_ocr_column_gap (&noemie, &space, 0));
  g_assert_false (_er_ocr_column_gap (&noemie, &empty, 0));
}

/* Glyphs as written, boxes side by side; no image. */
static char *
fix_texts (const char * const *texts)
{
  g_autoptr(GArray) glyphs = g_array_new (FALSE, TRUE, sizeof (ErGlyph));

  for (guint i = 0; texts[i] != NULL; i++)
    {
      ErGlyph glyph = { texts[i], 20 * i, 0, 20 * i + 18, 30 };

      g_array_append_val (glyphs, glyph);
    }
  return er_accent_fix_word (NULL, (const ErGlyph *) glyphs->data, glyphs->len);
}

/* A diaeresis on an I parts it from a vowel before it: after a
 * consonant, or first in a word, it was a speck of noise. */
static void
test_diaeresis_after_vowel (void)
{
  static const struct {
    const char *glyphs[10];
    const char *word;
  } cases[] = {
    { { "G", "H", "Ï", "S", "L", "A", "I", "N", NULL }, "GHISLAIN" },
    { { "Ï", "S", "A", "A", "C", NULL }, "ISAAC" },
    { { "A", "N", "A", "Ï", "S", NULL }, "ANAÏS" },
    { { "L", "O", "Ï", "C", NULL }, "LOÏC" },
    { { "H", "É", "L", "O", "Ï", "S", "E", NULL }, "HÉLOÏSE" },
    { { "N", "O", "Ë", "L", NULL }, "NOËL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *word = fix_texts (cases[i].glyphs);

      g_assert_cmpstr (word, ==, cases[i].word);
    }
}

/* A capital Tesseract read twice, plain and marked: the plain one goes;
 * two letters that are a name's stay. */
static void
test_doubled (void)
{
  static const struct {
    const char *glyphs[10];
    const char *word;
  } cases[] = {
    { { "T", "E", "É", "T", "R", "E", NULL }, "TÉTRE" },
    { { "A", "N", "A", "I", "Ï", "I", "S", NULL }, "ANAÏS" },
    { { "N", "O", "Ë", "E", "L", NULL }, "NOËL" },
    { { "A", "N", "D", "R", "É", "E", NULL }, "ANDRÉE" },
    { { "L", "E", "E", NULL }, "LEE" },
    { { "R", "É", "É", "L", NULL }, "RÉÉL" },
    { { "N", "O", "É", "Ë", "M", "I", "E", NULL }, "NOÉMIE" },
    { { "N", "O", "Ë", "È", "L", NULL }, "NOÈL" },
    { { "N", "O", "Ë", "Ë", "L", NULL }, "NOËËL" },
    { { "n", "o", "ë", "e", "l", NULL }, "noëel" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *word = fix_texts (cases[i].glyphs);

      g_assert_cmpstr (word, ==, cases[i].word);
    }
}

/* The boxes of the drawn word as Tesseract's LSTM gives them: its
 * columns squeezed towards the word's start by squeeze and moved by
 * jitter of the capitals' height, left and right in turn; its rows
 * right. Their texts are the drawing's. */
static GArray *
rough_boxes (const Drawn *drawn,
             double       squeeze,
             double       jitter)
{
  GArray *glyphs = g_array_new (FALSE, FALSE, sizeof (ErGlyph));
  int start = g_array_index (drawn->glyphs, ErGlyph, 0).left;

  for (guint i = 0; i < drawn->glyphs->len; i++)
    {
      ErGlyph glyph = g_array_index (drawn->glyphs, ErGlyph, i);

      int shift = (int) ((i % 2 == 0 ? 1 : -1) * jitter * (glyph.bottom - glyph.top));

      glyph.left = start + (int) ((glyph.left - start) * squeeze) + shift;
      glyph.right = start + (int) ((glyph.right - start) * squeeze) + shift;
      g_array_append_val (glyphs, glyph);
    }
  return glyphs;
}

/* With the columns of Tesseract's boxes rough, the letters are placed
 * by their ink: a "U" or a serif "E" falls in several pieces in the
 * middle of the capitals, a comma leaves none there, and a letter read
 * twice (plain, then marked) is given the same ink and kept once. */
static void
test_rough_boxes (void)
{
  static const char * const words[] = {
    "PARÉ,", "BÉRUBÉ", "ANDRÉE-ANNE", "CHÊNEVERT", "OUELLETTE", "THÉRÈSE", "GAÉTAN,",
  };
  const char * const *fonts = fake_id_fonts ();
  guint wrong = 0;

  for (guint f = 0; fonts[f] != NULL; f++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      for (guint k = 0; k < 4; k++)
        {
          double squeeze = k % 2 == 0 ? 1.0 : 0.97, jitter = k < 2 ? 0 : 0.2;
          g_autoptr(Drawn) drawn = draw_word (words[w], NULL, 0, fonts[f], 44, 0);
          g_autoptr(GArray) glyphs = rough_boxes (drawn, squeeze, jitter);
          g_autofree char *fixed = er_accent_fix_word (&drawn->ink, (const ErGlyph *) glyphs->data,
                                                       glyphs->len);

          if (g_strcmp0 (fixed, words[w]) != 0)
            {
              g_test_message ("%s, boxes × %.2f moved %.1f: %s (%s) made %s", fonts[f], squeeze,
                              jitter, words[w], drawn->plain->str, fixed);
              wrong++;
            }
        }
  g_assert_cmpuint (wrong, ==, 0);

  /* "ANDRÉE" read "ANDREÉE": the plain E's box over the R's end and
   * the É's start, as Tesseract gave it. */
  for (guint f = 0; fonts[f] != NULL; f++)
    {
      g_autoptr(Drawn) drawn = draw_word ("ANDRÉE", NULL, 0, fonts[f], 44, 0);
      g_autoptr(GArray) glyphs = rough_boxes (drawn, 0.97, 0);
      ErGlyph *r = &g_array_index (glyphs, ErGlyph, 3);
      ErGlyph *e = &g_array_index (glyphs, ErGlyph, 4);
      ErGlyph twice = { "E", (r->left + r->right) / 2, r->top, (e->left + e->right) / 2, r->bottom };
      g_autofree char *fixed = NULL;

      /* The boxes' texts are the drawing's: not freed here. */
      e->text = "É";
      g_array_insert_val (glyphs, 4, twice);
      fixed = er_accent_fix_word (&drawn->ink, (const ErGlyph *) glyphs->data, glyphs->len);
      g_assert_cmpstr (fixed, ==, "ANDRÉE");
    }
}

/* A circumflex broken at its top (a tight label's baseline cuts it, or
 * blur parts it) is two strokes leaning together: still a circumflex,
 * not a diaeresis. */
static void
test_broken_roof (void)
{
  const char * const *fonts = fake_id_fonts ();

  for (guint f = 0; fonts[f] != NULL; f++)
    {
      g_autoptr(Drawn) drawn = draw_word ("CÔTE", NULL, 0, fonts[f], 40, 0);
      const ErGlyph *o = &g_array_index (drawn->glyphs, ErGlyph, 1);
      int top = -1, bottom = -1;
      g_autofree char *fixed = NULL;

      /* The mark above the O, its apex taken out: the columns of its
       * middle fifth. */
      int left = G_MAXINT, right = -1;

      for (int y = 0; y < o->top; y++)
        for (int x = o->left; x < o->right; x++)
          if (drawn->words[(gsize) y * drawn->ink.wpl + x / 32] & (0x80000000u >> (x % 32)))
            {
              if (top < 0)
                top = y;
              bottom = y;
              left = MIN (left, x);
              right = MAX (right, x);
            }
      g_assert_cmpint (top, >=, 0);
      for (int y = top; y <= bottom; y++)
        for (int x = (left + right) / 2 - (right - left) / 10; x <= (left + right) / 2 + (right - left) / 10; x++)
          drawn->words[(gsize) y * drawn->ink.wpl + x / 32] &= ~(0x80000000u >> (x % 32));
      fixed = fix (drawn);
      g_test_message ("%s: %s", fonts[f], fixed);
      g_assert_cmpstr (fixed, ==, "CÔTE");
    }
}

/* Boxes as a broken or hostile read may give them: outside the image,
 * upside down, enormous, over nothing; texts empty or not UTF-8. The word
 * comes back as read (letters far larger than a name's are not searched:
 * ER_ACCENT_MAX_CAP_HEIGHT). */
static void
test_hostile (void)
{
  g_autoptr(Drawn) drawn = draw_word ("CÔTÉ", NULL, 0, "DejaVu Sans", 40, 0);
  const ErGlyph glyphs[][3] = {
    { { "E", -500, -500, -400, -400 }, { "E", -10, -10, 5, 5 }, { "C", 0, 0, 1, 1 } },
    { { "E", 100, 90, 50, 10 }, { "A", 50, 10, 100, 90 }, { "O", 0, 0, 0, 0 } },
    { { "E", 0, 0, G_MAXINT / 2, G_MAXINT / 2 }, { "E", 0, 0, G_MAXINT / 2, G_MAXINT / 2 }, { "C", 1, 1, 2, 2 } },
    { { "E", 0, 0, drawn->ink.width, drawn->ink.height }, { "E", 0, 0, drawn->ink.width, drawn->ink.height },
      { "U", 0, 0, drawn->ink.width, drawn->ink.height } },
    { { "", 40, 40, 60, 100 }, { "\xff\xfe", 60, 40, 80, 100 }, { "É", 80, 40, 100, 100 } },
  };
  const char *expected[] = { "EEC", "EAO", "EEC", "EEU", "\xff\xfeÉ" };
  for (guint i = 0; i < G_N_ELEMENTS (glyphs); i++)
    {
      g_autofree char *fixed = er_accent_fix_word (&drawn->ink, glyphs[i], G_N_ELEMENTS (glyphs[i]));

      g_assert_cmpstr (fixed, ==, expected[i]);
    }
}

static void
test_apply (void)
{
  g_assert_cmpuint (er_accent_apply ('E', ER_ACCENT_ACUTE), ==, 0xC9);
  g_assert_cmpuint (er_accent_apply ('E', ER_ACCENT_GRAVE), ==, 0xC8);
  g_assert_cmpuint (er_accent_apply ('O', ER_ACCENT_CIRCUMFLEX), ==, 0xD4);
  g_assert_cmpuint (er_accent_apply ('I', ER_ACCENT_DIAERESIS), ==, 0xCF);
  g_assert_cmpuint (er_accent_apply ('Y', ER_ACCENT_DIAERESIS), ==, 0x178);
  g_assert_cmpuint (er_accent_apply ('C', ER_ACCENT_CEDILLA), ==, 0xC7);
  /* Not a letter of French or its neighbours: "Ć", "Ȩ". */
  g_assert_cmpuint (er_accent_apply ('C', ER_ACCENT_ACUTE), ==, 0);
  g_assert_cmpuint (er_accent_apply ('E', ER_ACCENT_CEDILLA), ==, 0);
  g_assert_cmpuint (er_accent_apply ('E', ER_ACCENT_NONE), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/accent/apply", test_apply);
  g_test_add_func ("/accent/marks-found", test_marks_found);
  g_test_add_func ("/accent/no-marks-made-up", test_no_marks_made_up);
  g_test_add_func ("/accent/as-read", test_as_read);
  g_test_add_func ("/accent/round-foot", test_round_foot);
  g_test_add_func ("/accent/picture-box", test_picture_box);
  g_test_add_func ("/accent/doubled", test_doubled);
  g_test_add_func ("/accent/letter-gap", test_letter_gap);
  g_test_add_func ("/accent/column-gap", test_column_gap);
  g_test_add_func ("/accent/diaeresis-after-vowel", test_diaeresis_after_vowel);
  g_test_add_func ("/accent/slash-onto-mark", test_slash_onto_mark);
  g_test_add_func ("/accent/touching-label", test_touching_label);
  g_test_add_func ("/accent/rough-boxes", test_rough_boxes);
  g_test_add_func ("/accent/broken-roof", test_broken_roof);
  g_test_add_func ("/accent/hostile", test_hostile);
  return g_test_run ();
}
