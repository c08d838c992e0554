/* er-accent.c: the accents of capital letters, seen on the image
 * (er-accent.h).
 *
 * A word's capitals share a height and a baseline (the median of
 * Tesseract's boxes, whose rows are right; their columns are rough, so
 * the letters' columns are taken from the ink when it falls in as many
 * pieces as the word has characters). Each letter's top is where the ink
 * in its columns stops. A mark is a small piece of ink above it, apart
 * from it, nearer to that letter than to its neighbours; or, for a
 * cedilla, under a "C". On IDs a label may sit just above the name, its
 * letters touching the name's accents: the search then starts under that
 * line's baseline. The mark's shape tells which it is: two dots side by
 * side (diaeresis), a stroke whose top leans right (acute) or left
 * (grave), a roof (circumflex). Anything else is no mark that can be
 * told, and the letter stays as read. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "er-accent-private.h"
#include "er-secret.h"

/* ---- The word's letters ------------------------------------------------- */

static gboolean
is_capital (const ErGlyph *glyph)
{
  gunichar c = g_utf8_get_char_validated (glyph->text, -1);

  return c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isupper (c) &&
         *g_utf8_next_char (glyph->text) == '\0';
}

/* The capital letter of A to Z the text is, with or without a mark; 0
 * when it is none. */
gunichar
_er_accent_base_letter (const char *text)
{
  gunichar c = g_utf8_get_char_validated (text, -1);
  gunichar decomposed[4];
  gsize n;

  if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0 || *g_utf8_next_char (text) != '\0')
    return 0;
  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  return n > 0 && decomposed[0] >= 'A' && decomposed[0] <= 'Z' ? decomposed[0] : 0;
}

/* The mark on capital c, ER_ACCENT_NONE when it has none. */
ErAccent
_er_accent_mark_of (gunichar c)
{
  gunichar decomposed[4];
  gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  if (n < 2)
    return ER_ACCENT_NONE;
  switch (decomposed[1])
    {
    case 0x0301: return ER_ACCENT_ACUTE;
    case 0x0300: return ER_ACCENT_GRAVE;
    case 0x0302: return ER_ACCENT_CIRCUMFLEX;
    case 0x0308: return ER_ACCENT_DIAERESIS;
    case 0x0327: return ER_ACCENT_CEDILLA;
    default: return ER_ACCENT_NONE;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

/* The lower middle value: of two heights, the one without a mark. */
static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (values->len - 1) / 2);
}

static gboolean
box_holds (const ErBox *box,
           double       x,
           double       y)
{
  return x >= box->left && x < box->right && y >= box->top && y < box->bottom;
}

/* Whether line, another line's box, is one of text: not one several
 * times the word's height (Tesseract's box of a picture or a stamp, which
 * it reads as a line, around the name and its marks). */
static gboolean
is_text_line (const Word  *word,
              const ErBox *line)
{
  return line->bottom - line->top <= 3 * word->cap_height;
}

/* Whether the piece is in another line than the word's. */
static gboolean
in_other_line (const Word  *word,
               const Piece *piece)
{
  double x = piece->sum_x / piece->count;
  double y = (piece->y0 + piece->y1) / 2.0;

  if (word->line != NULL && box_holds (word->line, x, y))
    return FALSE;
  /* Under another line's baseline is not that line's (but for its
   * descenders, which have no accent's shape). */
  for (guint i = 0; i < word->ink.n_lines; i++)
    {
      const ErBox *line = &word->ink.lines[i];

      if (line != word->line && is_text_line (word, line) && box_holds (line, x, y) &&
          (line->baseline < 0 || y <= line->baseline))
        return TRUE;
    }
  return FALSE;
}

/* Whether the piece is the lower part of a character of the line above
 * that reaches under its baseline. */
static gboolean
hangs_from_above (const Word  *word,
                  const Piece *piece)
{
  for (guint i = 0; i < word->ink.n_descenders; i++)
    {
      const ErBox *box = &word->ink.descenders[i];

      if (box->left <= piece->x1 && box->right > piece->x0 && box->top < piece->y0 && box->bottom > piece->y0)
        return TRUE;
    }
  return FALSE;
}

/* Whether a piece hanging from a character of the line above, as wide as
 * a mark and as shallow (of the capitals' height h), is a mark that
 * touches that line's letters (Tesseract then reads them as one: "prépom"
 * for "prénom" over "CÔTÉ"): a descender's stem is a tenth of h wide, and
 * reaches a quarter of it or more under its baseline. A mark cut deeper
 * than 0.18 h may lean either way once cut (a grave read as an acute in
 * /accent/touching-label). */
static gboolean
mark_under_line (const Piece *piece,
                 double       h)
{
  return piece->x1 - piece->x0 + 1 >= 0.22 * h && piece->y1 - piece->y0 + 1 <= 0.18 * h;
}

/* Measures the word; FALSE when it has small letters or fewer than two
 * capitals. */
static gboolean
word_init (Word          *word,
           const ErInk   *ink,
           const ErGlyph *glyphs,
           guint          n_glyphs)
{
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bottoms = g_array_new (FALSE, FALSE, sizeof (double));

  memset (word, 0, sizeof *word);
  word->ink = *ink;
  word->glyphs = glyphs;
  word->n_glyphs = n_glyphs;
  for (guint i = 0; i < n_glyphs; i++)
    {
      gunichar c = g_utf8_get_char_validated (glyphs[i].text, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2 || g_unichar_islower (c))
        return FALSE;
      /* Boxes on the image (or just off it): others are no letters. */
      if (glyphs[i].left < -ink->width || glyphs[i].right > 2 * ink->width ||
          glyphs[i].top < -ink->height || glyphs[i].bottom > 2 * ink->height)
        return FALSE;
      if (is_capital (&glyphs[i]) && glyphs[i].bottom > glyphs[i].top)
        {
          double height = (double) glyphs[i].bottom - glyphs[i].top;
          double bottom = (double) glyphs[i].bottom - 1;

          g_array_append_val (heights, height);
          g_array_append_val (bottoms, bottom);
        }
    }
  if (heights->len < 2)
    return FALSE;
  word->cap_height = median (heights);
  word->baseline = median (bottoms);
  /* Too small to show a mark; or letters far larger than a name's on an
   * ID read at 2000 pixels (15 to 60 high), whose regions would only cost
   * time. */
  if (word->cap_height < 8 || word->cap_height > ER_ACCENT_MAX_CAP_HEIGHT)
    return FALSE;
  /* Its line: the one around the middle of its first and last letters. */
  {
    double x = (glyphs[0].left + glyphs[n_glyphs - 1].right) / 2.0;
    double y = word->baseline - word->cap_height / 2;

    for (guint i = 0; i < ink->n_lines && word->line == NULL; i++)
      if (is_text_line (word, &ink->lines[i]) && box_holds (&ink->lines[i], x, y))
        word->line = &ink->lines[i];
  }
  /* Paper is what lies just under the capitals' baseline. */
  {
    int left = G_MAXINT, right = G_MININT;
    gsize ones = 0, all = 0;

    for (guint i = 0; i < n_glyphs; i++)
      {
        left = MAX (MIN (left, glyphs[i].left), 0);
        right = MIN (MAX (right, glyphs[i].right), ink->width);
      }
    word->ink.inverted = FALSE;
    for (int y = (int) word->baseline + 1; y <= (int) word->baseline + 2 && y < ink->height; y++)
      for (int x = left; x < right; x++)
        {
          ones += ink_at (&word->ink, x, y);
          all++;
        }
    if (all == 0)
      return FALSE;
    word->ink.inverted = ones * 2 > all;
  }
  word->bodies = g_new0 (Body, n_glyphs);
  _er_accent_place_letters (word);
  return TRUE;
}

static void
word_clear (Word *word)
{
  g_clear_pointer (&word->bodies, g_free);
}

static double
center_of (const Body *body)
{
  return (body->left + body->right + 1) / 2.0;
}

/* Half the letter's width, or of a capital's usual width if it is
 * narrower ("I"): a mark may be wider than its letter. */
static double
half_width (const Word *word,
            const Body *body)
{
  return MAX (body->right + 1 - body->left, 0.55 * word->cap_height) / 2;
}

/* Whether the piece is nearer to the letter at index than to any other. */
static gboolean
nearest_is (const Word  *word,
            const Piece *piece,
            guint        index)
{
  double x = piece->sum_x / piece->count;
  double mine = fabs (x - center_of (&word->bodies[index]));

  for (guint i = 0; i < word->n_glyphs; i++)
    if (i != index && fabs (x - center_of (&word->bodies[i])) < mine)
      return FALSE;
  return TRUE;
}

/* ---- Shapes ------------------------------------------------------------- */

/* How low the piece's ink lies in its columns from x0 to x1 (excluded):
 * 0 at its top, 1 at its bottom; NAN when there is none. */
static double
depth_of (const Region *region,
          const Piece  *piece,
          int           x0,
          int           x1)
{
  double sum = 0;
  int count = 0;

  for (int y = piece->y0; y <= piece->y1; y++)
    for (int x = x0; x < x1; x++)
      if (region_is (region, x, y, piece->label))
        {
          sum += y - piece->y0 + 0.5;
          count++;
        }
  return count > 0 ? sum / count / (piece->y1 - piece->y0 + 1) : NAN;
}

/* One stroke: leaning right as it rises (acute), left (grave), or a roof
 * (circumflex: its middle above its two sides). */
static ErAccent
shape_of_one (const Region *region,
              const Piece  *piece)
{
  int width = piece->x1 - piece->x0 + 1;
  int height = piece->y1 - piece->y0 + 1;
  int third = MAX (width / 3, 1);
  double left, middle, right;

  if (width < 3 || height < 2)
    return ER_ACCENT_NONE;
  left = depth_of (region, piece, piece->x0, piece->x0 + third);
  middle = depth_of (region, piece, piece->x0 + third, piece->x1 + 1 - third);
  right = depth_of (region, piece, piece->x1 + 1 - third, piece->x1 + 1);
  if (isnan (left) || isnan (right))
    return ER_ACCENT_NONE;
  if (!isnan (middle) && middle + 0.12 < left && middle + 0.12 < right && fabs (left - right) < 0.3)
    return ER_ACCENT_CIRCUMFLEX;
  if (left - right >= 0.25)
    return ER_ACCENT_ACUTE;
  if (right - left >= 0.25)
    return ER_ACCENT_GRAVE;
  return ER_ACCENT_NONE;
}

/* Two pieces: the two strokes of a roof broken at its top (a circumflex
 * cut by the line above, or blurred apart), the left one rising to the
 * right and the right one to the left; or two dots side by side, alike
 * (diaeresis). */
static ErAccent
shape_of_two (const Region *region,
              const Piece  *a,
              const Piece  *b)
{
  const Piece *left = a->x0 <= b->x0 ? a : b;
  const Piece *right = left == a ? b : a;
  int overlap = MIN (a->y1, b->y1) - MAX (a->y0, b->y0) + 1;
  int shorter = MIN (a->y1 - a->y0, b->y1 - b->y0) + 1;

  if (left->x1 < right->x0 && shape_of_one (region, left) == ER_ACCENT_ACUTE &&
      shape_of_one (region, right) == ER_ACCENT_GRAVE)
    return ER_ACCENT_CIRCUMFLEX;
  if (left->x1 < right->x0 && overlap * 2 >= shorter &&
      MAX (a->count, b->count) <= 3 * MIN (a->count, b->count))
    return ER_ACCENT_DIAERESIS;
  return ER_ACCENT_NONE;
}

/* ---- Marks -------------------------------------------------------------- */

static gunichar
base_of (gunichar c)
{
  gunichar decomposed[4];
  gsize n = c != 0 ? g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) : 0;

  return n > 0 ? decomposed[0] : 0;
}

/* Whether capital i (letters: 0 for what is not one) is the same letter
 * read twice, once with its mark: Tesseract's LSTM sometimes gives a
 * marked capital as the plain letter and the marked one ("TEÉTREAULT",
 * "ANAIÏIS"). The plain one goes: before a marked one, or after one with
 * a diaeresis (no name has "ÏI"; "ANDRÉE" has "ÉE"). Read twice with two
 * marks ("NOÉËMIE"), the diaeresis goes: no name has two marks on one
 * letter in a row, and specks are taken for two dots. */
static gboolean
doubled (const gunichar *letters,
         guint           n,
         guint           i)
{
  gunichar base = base_of (letters[i]);

  if (letters[i] != 0 && _er_accent_mark_of (letters[i]) == ER_ACCENT_DIAERESIS)
    for (int k = (int) i - 1; k <= (int) i + 1; k += 2)
      if (k >= 0 && k < (int) n && letters[k] != 0 && base_of (letters[k]) == base &&
          _er_accent_mark_of (letters[k]) != ER_ACCENT_NONE &&
          _er_accent_mark_of (letters[k]) != ER_ACCENT_DIAERESIS)
        return TRUE;
  if (letters[i] == 0 || _er_accent_mark_of (letters[i]) != ER_ACCENT_NONE)
    return FALSE;
  if (i + 1 < n && letters[i + 1] != 0 && base_of (letters[i + 1]) == base &&
      _er_accent_mark_of (letters[i + 1]) != ER_ACCENT_NONE)
    return TRUE;
  return i > 0 && letters[i - 1] != 0 && base_of (letters[i - 1]) == base &&
         _er_accent_mark_of (letters[i - 1]) == ER_ACCENT_DIAERESIS;
}

/* Whether what crosses into the region at the top of a piece hanging from
 * a character above is thicker than that character's stroke: a mark that
 * a slash or a "p" comes down onto, not the stroke's own end. The stroke
 * is measured just above the cut, in the piece's columns: its thinnest
 * row of ink. */
static gboolean
thick_at_cut (const Word   *word,
              const Region *region,
              const Piece  *piece)
{
  int at_cut = 0, stroke = G_MAXINT;

  for (int x = piece->x0; x <= piece->x1; x++)
    at_cut += region_is (region, x, region->y0, piece->label);
  for (int y = region->y0 - 6; y <= region->y0 - 2; y++)
    {
      int n = 0;

      for (int x = piece->x0 - 2; x <= piece->x1 + 2; x++)
        n += ink_at (&word->ink, x, y);
      if (n > 0)
        stroke = MIN (stroke, n);
    }
  return stroke != G_MAXINT && at_cut >= 2 * stroke;
}

static ErAccent
find_above (const Word *word,
            guint       index)
{
  const Body *body = &word->bodies[index];
  double h = word->cap_height;
  double half = half_width (word, body);
  double center = center_of (body);
  int top = (int) floor (body->top - 0.7 * h);
  int bottom = body->top;  /* excluded: the body's first row */
  int left = (int) floor (center - 1.8 * half);
  int right = (int) ceil (center + 1.8 * half) + 1;
  Region region = { 0 };
  const Piece *found[2];
  guint n_found = 0;
  ErAccent accent = ER_ACCENT_NONE;
  gboolean clipped = FALSE;

  /* Not above the baseline of a line just above: a mark may touch its
   * letters. */
  for (guint i = 0; i < word->ink.n_lines; i++)
    {
      const ErBox *line = &word->ink.lines[i];

      if (line != word->line && line->baseline >= top && line->baseline < bottom - 1 &&
          line->left < right && line->right > left)
        {
          top = line->baseline + 1;
          clipped = TRUE;
        }
    }
  _er_accent_region_init (&region, &word->ink, left, top, right, bottom);
  for (guint i = 0; i < region.pieces->len; i++)
    {
      const Piece *piece = &g_array_index (region.pieces, Piece, i);
      int width = piece->x1 - piece->x0 + 1;
      int height = piece->y1 - piece->y0 + 1;

      /* Specks, and what reaches out of the region (the line above, a
       * rule, the next letter's body) are no mark. */
      if (piece->count < MAX (3, h * h / 150))
        continue;
      if ((piece->y0 <= region.y0 && !clipped) || piece->y1 >= region.y0 + region.height - 1 ||
          piece->x0 <= region.x0 || piece->x1 >= region.x0 + region.width - 1)
        continue;
      if (height > 0.5 * h || width > 2.2 * half || piece->y1 < body->top - 0.45 * h)
        continue;
      if (!nearest_is (word, piece, index) || (!clipped && in_other_line (word, piece)))
        continue;
      if (piece->y0 <= region.y0 && hangs_from_above (word, piece) && !thick_at_cut (word, &region, piece) &&
          !mark_under_line (piece, h))
        continue;
      if (n_found == G_N_ELEMENTS (found))
        {
          n_found++;
          break;
        }
      found[n_found++] = piece;
    }

  if (n_found == 1)
    {
      double x = found[0]->sum_x / found[0]->count;

      /* Over the letter, and not a lone dot. */
      if (fabs (x - center) <= 0.6 * half && found[0]->y1 - found[0]->y0 + 1 >= 0.1 * h)
        accent = shape_of_one (&region, found[0]);
    }
  else if (n_found == 2)
    {
      double x = (found[0]->sum_x + found[1]->sum_x) / (found[0]->count + found[1]->count);

      if (fabs (x - center) <= 0.5 * half)
        accent = shape_of_two (&region, found[0], found[1]);
    }
  _er_accent_region_clear (&region);
  return accent;
}

static ErAccent
find_cedilla (const Word *word,
              guint       index)
{
  const Body *body = &word->bodies[index];
  double h = word->cap_height;
  double half = half_width (word, body);
  double center = center_of (body);
  int below = (int) ceil (word->baseline) + 1;
  Region region = { 0 };
  ErAccent accent = ER_ACCENT_NONE;

  _er_accent_region_init (&region, &word->ink, (int) floor (center - 1.5 * half), below,
               (int) ceil (center + 1.5 * half) + 1, (int) ceil (word->baseline + 0.5 * h));
  for (guint i = 0; i < region.pieces->len && accent == ER_ACCENT_NONE; i++)
    {
      const Piece *piece = &g_array_index (region.pieces, Piece, i);
      double x = piece->sum_x / piece->count;

      /* Hanging from the letter or just under it, in its middle, and
       * ending above the region's bottom (not the line below). */
      if (piece->count < MAX (3, h * h / 150) || piece->y1 >= region.y0 + region.height - 1)
        continue;
      if (piece->y1 - piece->y0 + 1 < 0.12 * h || piece->y0 > word->baseline + 0.2 * h)
        continue;
      /* A cedilla is narrow (at most 0.9 of the letter's half width on
       * the benchmark's fonts); the foot of a round "C" that its baseline
       * cut off is as wide as the letter (1.5: "ARÇHAMBAULT"). */
      if (piece->x1 - piece->x0 + 1 > 1.1 * half)
        continue;
      if (fabs (x - center) <= 0.5 * half && nearest_is (word, piece, index) &&
          !in_other_line (word, piece))
        accent = ER_ACCENT_CEDILLA;
    }
  _er_accent_region_clear (&region);
  return accent;
}

static ErAccent
word_find (const Word *word,
           guint       index)
{
  const Body *body = &word->bodies[index];
  gunichar base = _er_accent_base_letter (word->glyphs[index].text);
  double h = word->cap_height;
  double height;

  if (!body->found || base == 0 || strchr ("AEIOUYC", (char) base) == NULL)
    return ER_ACCENT_NONE;
  /* A capital of the word's height, on its line. */
  height = body->bottom - body->top + 1;
  if (fabs (body->top - (word->baseline - h + 1)) > 0.15 * h)
    return ER_ACCENT_NONE;
  if (base == 'C')
    return height <= 1.6 * h ? find_cedilla (word, index) : ER_ACCENT_NONE;
  if (height < 0.85 * h || height > 1.2 * h)
    return ER_ACCENT_NONE;
  return find_above (word, index);
}

/* ---- What the header gives ---------------------------------------------- */

gunichar
er_accent_apply (gunichar letter,
                 ErAccent accent)
{
  static const gunichar marks[] = {
    [ER_ACCENT_ACUTE] = 0x0301,
    [ER_ACCENT_GRAVE] = 0x0300,
    [ER_ACCENT_CIRCUMFLEX] = 0x0302,
    [ER_ACCENT_DIAERESIS] = 0x0308,
    [ER_ACCENT_CEDILLA] = 0x0327,
  };
  gunichar composed;

  if (accent <= ER_ACCENT_NONE || accent >= G_N_ELEMENTS (marks))
    return 0;
  if (!g_unichar_compose (letter, marks[accent], &composed))
    return 0;
  /* The letters of French and its neighbours (Latin-1), and "Ÿ". */
  return composed < 0x100 || composed == 0x178 ? composed : 0;
}

/* Whether c is a capital vowel, marked or not. */
static gboolean
is_vowel (gunichar c)
{
  gunichar base[4] = { 0 };

  return c != 0 && g_unichar_fully_decompose (c, FALSE, base, G_N_ELEMENTS (base)) > 0 &&
         base[0] < 0x80 && strchr ("AEIOUY", (int) base[0]) != NULL;
}

char *
er_accent_fix_word (const ErInk   *ink,
                    const ErGlyph *glyphs,
                    guint          n_glyphs)
{
  GString *text;
  g_autofree gunichar *letters = NULL;
  Word word;
  gboolean measured;

  g_return_val_if_fail (glyphs != NULL || n_glyphs == 0, NULL);

  text = g_string_new (NULL);
  letters = g_new0 (gunichar, MAX (n_glyphs, 1));
  measured = ink != NULL && word_init (&word, ink, glyphs, n_glyphs);
  for (guint i = 0; i < n_glyphs; i++)
    {
      /* A letter read without its mark is given the mark seen; one read
       * with another mark than the one seen ("Ë" for "É"), the one seen.
       * One whose mark cannot be told stays as read. */
      gunichar fixed = measured ? er_accent_apply (_er_accent_base_letter (glyphs[i].text), word_find (&word, i)) : 0;

      letters[i] = fixed != 0 ? fixed : _er_accent_base_letter (glyphs[i].text) != 0 ? g_utf8_get_char (glyphs[i].text) : 0;
      /* A diaeresis on an I parts it from the vowel before it ("ANAÏS",
       * "LOÏC"): after a consonant it is a speck ("GHÏSLAIN"). */
      if (letters[i] == 0x00CF && (i == 0 || !is_vowel (letters[i - 1])))
        letters[i] = 'I';
    }
  for (guint i = 0; i < n_glyphs; i++)
    {
      if (doubled (letters, n_glyphs, i))
        continue;
      /* The same letter read twice, both given the same ink: once. */
      if (measured && i + 1 < n_glyphs && letters[i] != 0 && letters[i] == letters[i + 1] &&
          word.bodies[i].left == word.bodies[i + 1].left && word.bodies[i].right == word.bodies[i + 1].right)
        continue;
      if (letters[i] != 0)
        g_string_append_unichar (text, letters[i]);
      else
        g_string_append (text, glyphs[i].text);
    }
  if (measured)
    word_clear (&word);
  er_secret_wipe (letters, MAX (n_glyphs, 1) * sizeof *letters);
  return g_string_free (text, FALSE);
}
