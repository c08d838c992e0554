/* er-accent-letters.c: the pieces of ink in a region of the image, and
 * where each letter of a word is (er-accent-private.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "er-accent-private.h"

/* ---- Pixels and pieces of ink ------------------------------------------- */

gboolean
_er_accent_row_has_ink (const ErInk *ink,
                        int          y,
                        int          left,
                        int          right)
{
  for (int x = left; x < right; x++)
    if (ink_at (ink, x, y))
      return TRUE;
  return FALSE;
}

void
_er_accent_region_clear (Region *region)
{
  g_clear_pointer (&region->labels, g_free);
  g_clear_pointer (&region->pieces, g_array_unref);
}

void
_er_accent_region_init (Region      *region,
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

/* ---- Where the letters are --------------------------------------------- */

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

  _er_accent_region_init (&region, &word->ink, left, (int) ceil (word->baseline - 0.8 * h),
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
  _er_accent_region_clear (&region);
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
  double widest = base == 'M' || base == 'W' ? 1.5 * h : 1.1 * h;

  if (base == '-')
    return (width > 0.7 * h ? width - 0.7 * h : 0) + (tallest > 0.3 * h ? 0.5 * h : 0);
  if (base == 'I')
    return width > 0.4 * h ? width - 0.4 * h : 0;
  if (base < 'A' || base > 'Z')
    return 0;
  /* Capitals whose middle is wide (not the stem of a "T" or an "L"). */
  if (strchr ("ABCDGHKMNOQRSUVWX", (char) base) != NULL && width < 0.45 * h)
    return 2 * (0.45 * h - width);
  return width > widest ? width - widest : 0;
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
void
_er_accent_place_letters (Word *word)
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
          bases[n_middle] = g_str_equal (glyphs[i].text, "-") ? '-' : _er_accent_base_letter (glyphs[i].text);
          marked[n_middle] = bases[n_middle] != 0 && bases[n_middle] != '-' &&
                             _er_accent_mark_of (g_utf8_get_char (glyphs[i].text)) != ER_ACCENT_NONE;
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
             _er_accent_row_has_ink (&word->ink, body->top - 1, body->left, body->right + 1))
        body->top--;
      body->bottom = (int) word->baseline;
      body->found = body->right >= body->left &&
                    _er_accent_row_has_ink (&word->ink, middle, body->left, body->right + 1);
    }
}
