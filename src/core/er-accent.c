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

#include "er-accent.h"
#include "er-secret.h"

/* ---- Pixels ------------------------------------------------------------- */

static inline gboolean
ink_at (const ErInk *ink,
        int          x,
        int          y)
{
  if (x < 0 || y < 0 || x >= ink->width || y >= ink->height)
    return FALSE;
  return ((ink->words[(gsize) y * ink->wpl + (x >> 5)] >> (31 - (x & 31))) & 1) != (guint32) ink->inverted;
}

static gboolean
row_has_ink (const ErInk *ink,
             int          y,
             int          left,
             int          right)
{
  for (int x = left; x < right; x++)
    if (ink_at (ink, x, y))
      return TRUE;
  return FALSE;
}

/* ---- Pieces of ink in a region ------------------------------------------ */

typedef struct {
  int    count;
  int    x0, y0, x1, y1;  /* inclusive, in the image */
  double sum_x;
  int    label;
} Piece;

typedef struct {
  int     x0, y0, width, height;  /* the region, in the image */
  int    *labels;                 /* 0: no ink; else the piece's label */
  GArray *pieces;                 /* Piece, label i + 1 at index i */
} Region;

static void
region_clear (Region *region)
{
  g_clear_pointer (&region->labels, g_free);
  g_clear_pointer (&region->pieces, g_array_unref);
}

/* Labels the region's pieces of ink (8-connected). */
static void
region_init (Region      *region,
             const ErInk *ink,
             int          x0,
             int          y0,
             int          x1,
             int          y1)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));

  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, ink->width);
  y1 = MIN (y1, ink->height);
  region->x0 = x0;
  region->y0 = y0;
  region->width = MAX (x1 - x0, 0);
  region->height = MAX (y1 - y0, 0);
  region->labels = g_new0 (int, (gsize) region->width * region->height + 1);
  region->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));

  for (int y = 0; y < region->height; y++)
    for (int x = 0; x < region->width; x++)
      {
        Piece piece = { 0 };

        if (region->labels[y * region->width + x] != 0 || !ink_at (ink, x0 + x, y0 + y))
          continue;
        piece.label = region->pieces->len + 1;
        piece.x0 = piece.x1 = x0 + x;
        piece.y0 = piece.y1 = y0 + y;
        region->labels[y * region->width + x] = piece.label;
        g_array_set_size (stack, 0);
        g_array_append_val (stack, (int) { y * region->width + x });
        while (stack->len > 0)
          {
            int at = g_array_index (stack, int, stack->len - 1);
            int px = at % region->width, py = at / region->width;

            g_array_set_size (stack, stack->len - 1);
            piece.count++;
            piece.sum_x += x0 + px;
            piece.x0 = MIN (piece.x0, x0 + px);
            piece.x1 = MAX (piece.x1, x0 + px);
            piece.y0 = MIN (piece.y0, y0 + py);
            piece.y1 = MAX (piece.y1, y0 + py);
            for (int dy = -1; dy <= 1; dy++)
              for (int dx = -1; dx <= 1; dx++)
                {
                  int nx = px + dx, ny = py + dy, next;

                  if (nx < 0 || ny < 0 || nx >= region->width || ny >= region->height)
                    continue;
                  next = ny * region->width + nx;
                  if (region->labels[next] != 0 || !ink_at (ink, x0 + nx, y0 + ny))
                    continue;
                  region->labels[next] = piece.label;
                  g_array_append_val (stack, next);
                }
          }
        g_array_append_val (region->pieces, piece);
      }
}

static inline gboolean
region_is (const Region *region,
           int           x,
           int           y,
           int           label)
{
  x -= region->x0;
  y -= region->y0;
  if (x < 0 || y < 0 || x >= region->width || y >= region->height)
    return FALSE;
  return region->labels[y * region->width + x] == label;
}

/* ---- The word's letters ------------------------------------------------- */

typedef struct {
  int      left, right;  /* the letter's columns, inclusive */
  int      top, bottom;  /* its rows, inclusive */
  gboolean found;
} Body;

typedef struct {
  ErInk          ink;        /* the caller's, its polarity the word's */
  const ErGlyph *glyphs;
  guint          n_glyphs;
  Body          *bodies;
  double         cap_height;
  double         baseline;   /* the capitals' bottom row */
  const ErBox   *line;       /* the word's own line, or NULL */
} Word;

static gboolean
is_capital (const ErGlyph *glyph)
{
  gunichar c = g_utf8_get_char_validated (glyph->text, -1);

  return c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isupper (c) &&
         *g_utf8_next_char (glyph->text) == '\0';
}

/* The capital letter of A to Z the text is, with or without a mark; 0
 * when it is none. */
static gunichar
base_letter (const char *text)
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
static ErAccent
mark_of (gunichar c)
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

static int
compare_pieces (gconstpointer a,
                gconstpointer b)
{
  const Piece *pa = a, *pb = b;

  return pa->x0 < pb->x0 ? -1 : pa->x0 > pb->x0;
}

/* The word's letters as pieces of ink in the middle of its capitals'
 * height (where they neither reach the line above or below nor carry
 * their marks), left to right, a letter broken in two made one again. */
static GArray *
find_letters (const Word *word,
              int         left,
              int         right)
{
  double h = word->cap_height;
  GArray *letters = g_array_new (FALSE, FALSE, sizeof (Piece));
  Region region = { 0 };

  region_init (&region, &word->ink, left, (int) ceil (word->baseline - 0.8 * h),
               right, (int) floor (word->baseline - 0.2 * h) + 1);
  g_array_sort (region.pieces, compare_pieces);
  for (guint i = 0; i < region.pieces->len; i++)
    {
      const Piece *piece = &g_array_index (region.pieces, Piece, i);
      Piece *last = letters->len > 0 ? &g_array_index (letters, Piece, letters->len - 1) : NULL;

      if (piece->count < MAX (2, h * h / 400))
        continue;
      if (last != NULL &&
          MIN (last->x1, piece->x1) - piece->x0 + 1 > (MIN (last->x1 - last->x0, piece->x1 - piece->x0) + 1) / 2)
        {
          last->count += piece->count;
          last->sum_x += piece->sum_x;
          last->x1 = MAX (last->x1, piece->x1);
          last->y0 = MIN (last->y0, piece->y0);
          last->y1 = MAX (last->y1, piece->y1);
          continue;
        }
      g_array_append_val (letters, *piece);
    }
  region_clear (&region);
  return letters;
}

/* Whether the glyph is a comma, a full stop or an apostrophe: marks that
 * leave no ink in the middle of the capitals' height ("PARÉ," on a
 * card's one name field). */
static gboolean
is_off_middle (const ErGlyph *glyph)
{
  return g_str_equal (glyph->text, ",") || g_str_equal (glyph->text, ".") ||
         g_str_equal (glyph->text, "'") || g_str_equal (glyph->text, "\u2019");
}

/* How far a run of pieces width wide, its tallest piece tallest high,
 * is from what the character base (a capital, "-", or 0 for others) leaves
 * in the middle of capitals h high: in pixels, 0 when it could be it. */
static double
misfit (gunichar base,
        int      width,
        int      tallest,
        double   h)
{
  if (base == '-')
    return (width > 0.7 * h ? width - 0.7 * h : 0) + (tallest > 0.3 * h ? 0.5 * h : 0);
  if (base == 'I')
    return width > 0.4 * h ? width - 0.4 * h : 0;
  /* Capitals whose middle is wide (not the stem of a "T" or an "L"). */
  if (base != 0 && strchr ("ABCDGHKMNOQRSUVWX", (char) base) != NULL)
    return width < 0.45 * h ? 0.45 * h - width : width > 1.5 * h ? width - 1.5 * h : 0;
  if (base >= 'A' && base <= 'Z')
    return width > 1.5 * h ? width - 1.5 * h : 0;
  return 0;
}

/* The columns of each letter that leaves ink in the middle of the
 * capitals' height (all but is_off_middle), from the pieces of ink found
 * there, left to right: each letter is given the run of pieces whose
 * middle best matches its box's (a letter may fall in several pieces: the
 * two stems of a "U", the tips of an "E"'s serifs; a small piece may be
 * no letter's: a speck, a comma's top). FALSE when the pieces cannot be
 * shared out so, or a letter would lie far from its box. */
static gboolean
share_pieces (const Word     *word,
              GArray         *pieces,
              const int      *centers,
              const gunichar *bases,
              const gboolean *marked,
              guint           n,
              int            *lefts,
              int            *rights)
{
  guint m = pieces->len;
  double h = word->cap_height;
  g_autofree double *cost = NULL;
  g_autofree int *from = NULL;  /* the previous state's k; -1 - k: piece k left out */
  g_autofree gboolean *twins = NULL;  /* the last two letters share the run */
  gboolean shared = TRUE;
  guint k;

#define AT(j, k) ((gsize) (j) * (m + 1) + (k))
  if (n == 0 || m < n || m > 4 * n + 8)
    return FALSE;
  cost = g_new (double, (gsize) (n + 1) * (m + 1));
  from = g_new (int, (gsize) (n + 1) * (m + 1));
  twins = g_new0 (gboolean, (gsize) (n + 1) * (m + 1));
  for (gsize i = 0; i < (gsize) (n + 1) * (m + 1); i++)
    cost[i] = INFINITY;
  cost[AT (0, 0)] = 0;
  for (k = 0; k <= m; k++)
    for (guint j = 0; j <= n; j++)
      {
        double here = cost[AT (j, k)];
        int x0 = G_MAXINT, x1 = G_MININT, tallest = 0;

        if (isinf (here))
          continue;
        /* A small piece (not half the middle's height) left out. */
        if (k < m)
          {
            const Piece *piece = &g_array_index (pieces, Piece, k);

            if (piece->y1 - piece->y0 + 1 < 0.3 * h && here + 0.05 * h < cost[AT (j, k + 1)])
              {
                cost[AT (j, k + 1)] = here + 0.05 * h;
                from[AT (j, k + 1)] = -1 - (int) k;
              }
          }
        if (j == n)
          continue;
        for (guint e = k; e < m; e++)
          {
            const Piece *piece = &g_array_index (pieces, Piece, e);
            double c;

            x0 = MIN (x0, piece->x0);
            x1 = MAX (x1, piece->x1);
            if (x1 - x0 + 1 > 1.6 * h)
              break;
            tallest = MAX (tallest, piece->y1 - piece->y0 + 1);
            c = here + fabs ((x0 + x1) / 2.0 - centers[j]) + misfit (bases[j], x1 - x0 + 1, tallest, h);
            if (c < cost[AT (j + 1, e + 1)])
              {
                cost[AT (j + 1, e + 1)] = c;
                from[AT (j + 1, e + 1)] = (int) k;
                twins[AT (j + 1, e + 1)] = FALSE;
              }
            /* The same letter read twice, once with a mark and once
             * without ("ANDREÉE"): both given its run, at a cost. */
            if (j + 1 < n && bases[j] != 0 && bases[j] != '-' && bases[j] == bases[j + 1] &&
                marked[j] != marked[j + 1])
              {
                c += fabs ((x0 + x1) / 2.0 - centers[j + 1]) + 0.3 * h;
                if (c < cost[AT (j + 2, e + 1)])
                  {
                    cost[AT (j + 2, e + 1)] = c;
                    from[AT (j + 2, e + 1)] = (int) k;
                    twins[AT (j + 2, e + 1)] = TRUE;
                  }
              }
          }
      }
  if (isinf (cost[AT (n, m)]))
    return FALSE;
  /* Back from the end: each letter's run of pieces. */
  k = m;
  for (guint j = n; j > 0 && shared;)
    {
      int before = from[AT (j, k)];
      gboolean twin = twins[AT (j, k)];

      if (before < 0)
        {
          k = (guint) (-1 - before);
          continue;
        }
      lefts[j - 1] = G_MAXINT;
      rights[j - 1] = G_MININT;
      for (guint e = (guint) before; e < k; e++)
        {
          lefts[j - 1] = MIN (lefts[j - 1], g_array_index (pieces, Piece, e).x0);
          rights[j - 1] = MAX (rights[j - 1], g_array_index (pieces, Piece, e).x1);
        }
      shared = fabs ((lefts[j - 1] + rights[j - 1]) / 2.0 - centers[j - 1]) <= h;
      if (twin)
        {
          lefts[j - 2] = lefts[j - 1];
          rights[j - 2] = rights[j - 1];
          shared = shared && fabs ((lefts[j - 2] + rights[j - 2]) / 2.0 - centers[j - 2]) <= h;
          j--;
        }
      k = (guint) before;
      j--;
    }
#undef AT
  return shared;
}

/* Where each letter is. Tesseract's boxes give the rows well and the
 * columns roughly (its LSTM places characters in time steps): the
 * columns are those of the pieces of ink shared out among the letters
 * (share_pieces), else the boxes'. Each letter's top is where the ink in
 * its columns stops, going up from the middle. */
static void
place_letters (Word *word)
{
  const ErGlyph *glyphs = word->glyphs;
  double h = word->cap_height;
  int left = G_MAXINT, right = G_MININT;
  guint n_middle = 0, index = 0;
  g_autoptr(GArray) letters = NULL;
  g_autofree int *centers = g_new0 (int, MAX (word->n_glyphs, 1));
  g_autofree int *lefts = g_new0 (int, MAX (word->n_glyphs, 1));
  g_autofree int *rights = g_new0 (int, MAX (word->n_glyphs, 1));
  g_autofree gunichar *bases = g_new0 (gunichar, MAX (word->n_glyphs, 1));
  g_autofree gboolean *marked = g_new0 (gboolean, MAX (word->n_glyphs, 1));
  gboolean shared;

  for (guint i = 0; i < word->n_glyphs; i++)
    {
      left = MIN (left, glyphs[i].left);
      right = MAX (right, glyphs[i].right);
      if (!is_off_middle (&glyphs[i]))
        {
          bases[n_middle] = g_str_equal (glyphs[i].text, "-") ? '-' : base_letter (glyphs[i].text);
          marked[n_middle] = bases[n_middle] != 0 && bases[n_middle] != '-' &&
                             mark_of (g_utf8_get_char (glyphs[i].text)) != ER_ACCENT_NONE;
          centers[n_middle++] = (glyphs[i].left + glyphs[i].right - 1) / 2;
        }
    }
  letters = find_letters (word, left - (int) (h / 4), right + (int) (h / 4));
  shared = share_pieces (word, letters, centers, bases, marked, n_middle, lefts, rights);
  for (guint i = 0; i < word->n_glyphs; i++)
    {
      Body *body = &word->bodies[i];
      int middle = (int) floor (word->baseline - 0.5 * h);

      if (shared && !is_off_middle (&glyphs[i]))
        {
          body->left = lefts[index];
          body->right = rights[index];
          index++;
        }
      else
        {
          body->left = glyphs[i].left;
          body->right = glyphs[i].right - 1;
        }
      body->top = (int) ceil (word->baseline - 0.8 * h);
      while (body->top > word->baseline - 1.15 * h && body->top > 0 &&
             row_has_ink (&word->ink, body->top - 1, body->left, body->right + 1))
        body->top--;
      body->bottom = (int) word->baseline;
      body->found = body->right >= body->left &&
                    row_has_ink (&word->ink, middle, body->left, body->right + 1);
    }
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

      if (line != word->line && box_holds (line, x, y) && (line->baseline < 0 || y <= line->baseline))
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
      if (box_holds (&ink->lines[i], x, y))
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
  place_letters (word);
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

static ErAccent
shape_of_two (const Piece *a,
              const Piece *b)
{
  const Piece *left = a->x0 <= b->x0 ? a : b;
  const Piece *right = left == a ? b : a;
  int overlap = MIN (a->y1, b->y1) - MAX (a->y0, b->y0) + 1;
  int shorter = MIN (a->y1 - a->y0, b->y1 - b->y0) + 1;

  /* Two dots side by side, alike. */
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
 * a diaeresis (no name has "ÏI"; "ANDRÉE" has "ÉE"). */
static gboolean
doubled (const gunichar *letters,
         guint           n,
         guint           i)
{
  gunichar base = base_of (letters[i]);

  if (letters[i] == 0 || mark_of (letters[i]) != ER_ACCENT_NONE)
    return FALSE;
  if (i + 1 < n && letters[i + 1] != 0 && base_of (letters[i + 1]) == base &&
      mark_of (letters[i + 1]) != ER_ACCENT_NONE)
    return TRUE;
  return i > 0 && letters[i - 1] != 0 && base_of (letters[i - 1]) == base &&
         mark_of (letters[i - 1]) == ER_ACCENT_DIAERESIS;
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
  region_init (&region, &word->ink, left, top, right, bottom);
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
      if (piece->y0 <= region.y0 && hangs_from_above (word, piece) && !thick_at_cut (word, &region, piece))
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
        accent = shape_of_two (found[0], found[1]);
    }
  region_clear (&region);
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

  region_init (&region, &word->ink, (int) floor (center - 1.5 * half), below,
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
      if (fabs (x - center) <= 0.5 * half && nearest_is (word, piece, index) &&
          !in_other_line (word, piece))
        accent = ER_ACCENT_CEDILLA;
    }
  region_clear (&region);
  return accent;
}

static ErAccent
word_find (const Word *word,
           guint       index)
{
  const Body *body = &word->bodies[index];
  gunichar base = base_letter (word->glyphs[index].text);
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
      gunichar fixed = measured ? er_accent_apply (base_letter (glyphs[i].text), word_find (&word, i)) : 0;

      letters[i] = fixed != 0 ? fixed : base_letter (glyphs[i].text) != 0 ? g_utf8_get_char (glyphs[i].text) : 0;
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
