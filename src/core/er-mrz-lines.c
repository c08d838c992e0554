/* er-mrz-lines.c: the lines of an MRZ as an OCR read them: cleaned into
 * the MRZ's alphabet, cut into the pieces a line may be made of (whole,
 * split over two lines, joined to the next, after a noise line), and
 * brought back to their length (er-mrz.c says how they are used). */
#include "config.h"

#include <string.h>

#include "er-mrz-private.h"

/* Cleaning */

/* The letter an accented Latin letter is made of ('É' → 'E'), or 0. */
static char
ascii_base (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0
      && decomposed[0] < 128 && g_ascii_isalpha (decomposed[0]))
    return g_ascii_toupper (decomposed[0]);
  return 0;
}

static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* line in the MRZ's alphabet, plus ' ' (one for each run of white space)
 * and '?' (a character that is none of these), trimmed of both. */
char *
_er_mrz_clean_line (const char *line)
{
  g_autofree char *valid = NULL;
  GString *out = g_string_new (NULL);
  gsize start = 0;

  if (line == NULL)
    return g_string_free (out, FALSE);
  if (!g_utf8_validate (line, -1, NULL))
    line = valid = g_utf8_make_valid (line, -1);

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 128 && g_ascii_isalnum (c))
        g_string_append_c (out, g_ascii_toupper (c));
      else if (c == '<' || c == '(' || c == 0x2039 /* ‹ */)
        g_string_append_c (out, '<');
      else if (c == 0x00AB /* « */)
        g_string_append (out, "<<");
      else if (is_space (c))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        {
          char base = ascii_base (c);

          g_string_append_c (out, base != 0 ? base : '?');
        }
    }

  /* Stray marks at either end (a speck read as '.' or '\'') are not part of it. */
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '?'))
    g_string_truncate (out, out->len - 1);
  while (start < out->len && (out->str[start] == ' ' || out->str[start] == '?'))
    start++;
  g_string_erase (out, 0, start);

  return g_string_free (out, FALSE);
}

/* Whether a line as read looks like one of an MRZ, found or not: long,
 * nearly all in its alphabet, few words, with fillers or many digits. Lines
 * of ordinary text ("Date of birth (YYYY-MM-DD)") do not. This decides
 * between "no MRZ" and "an MRZ that does not verify". */
gboolean
_er_mrz_looks_like (const char *line)
{
  guint mrz = 0, fillers = 0, digits = 0, others = 0, gaps = 0;
  gboolean in_gap = FALSE;

  if (line == NULL || !g_utf8_validate (line, -1, NULL))
    return FALSE;
  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c))
        {
          in_gap = mrz + others > 0;
          continue;
        }
      if (in_gap)
        gaps++;
      in_gap = FALSE;
      if (c < 128 && g_ascii_isdigit (c))
        digits++, mrz++;
      else if (c < 128 && g_ascii_isalpha (c))
        mrz++;
      else if (c == '<' || c == 0x2039)
        fillers++, mrz++;
      else if (c == 0x00AB)
        fillers += 2, mrz += 2;
      else if (c != '(')
        others++;
    }
  return mrz >= 20 && others <= 2 && gaps <= 6 && (fillers >= 2 || digits >= 10);
}

gsize
_er_mrz_count_nonspace (const char *s,
                        gssize      length)
{
  gsize n = 0;

  for (gssize i = 0; length < 0 ? s[i] != '\0' : i < length; i++)
    if (s[i] != ' ')
      n++;
  return n;
}

static char *
without_spaces (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    if (*s != ' ')
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

/* A line that can be the name line of a TD1: the MRZ's alphabet only. */
static gboolean
name_like (const char *clean)
{
  gsize n = _er_mrz_count_nonspace (clean, -1);

  return n >= 2 && n <= TD1_LENGTH + SLACK && strchr (clean, '?') == NULL;
}

/* The usual confusions */

/* A letter in a field of digits. '<' is kept: it is a filler where one is
 * allowed, and fails the check otherwise. */
char
_er_mrz_as_digit (char c)
{
  switch (c)
    {
    case 'O': return '0';
    case 'I': case 'L': return '1';
    case 'Z': return '2';
    case 'S': return '5';
    case 'B': return '8';
    case 'G': return '6';
    default: return c;
    }
}

/* A digit in a field of letters (a name, a country). */
char
_er_mrz_as_letter (char c)
{
  switch (c)
    {
    case '0': return 'O';
    case '1': return 'I';
    case '5': return 'S';
    case '8': return 'B';
    default: return c;
    }
}

gboolean
_er_mrz_is_filler_like (char c)
{
  return c == '<' || c == 'K' || c == 'C';
}

/* Lines as they were read: pieces */

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_free (piece->text);
}

GArray *
_er_mrz_pieces_new (void)
{
  GArray *pieces = g_array_new (FALSE, TRUE, sizeof (Piece));

  g_array_set_clear_func (pieces, piece_clear);
  return pieces;
}

static void
pieces_add (GArray     *pieces,
            const char *text,
            gsize       length,
            guint       last_line,
            guint       next_line,
            gsize       next_offset)
{
  Piece piece = {
    .text = g_strndup (text, length),
    .last_line = last_line,
    .next = { next_line, next_offset },
  };

  g_strstrip (piece.text);
  if (piece.text[0] == '\0')
    {
      g_free (piece.text);
      return;
    }
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *other = &g_array_index (pieces, Piece, i);

      if (strcmp (other->text, piece.text) == 0 && other->last_line == last_line
          && other->next.line == next_line && other->next.offset == next_offset)
        {
          g_free (piece.text);
          return;
        }
    }
  g_array_append_val (pieces, piece);
}

void
_er_mrz_reader_fail (Reader     *reader,
                     int         score,
                     const char *why)
{
  if (score <= reader->best_score)
    return;
  reader->best_score = score;
  g_free (reader->best_failure);
  reader->best_failure = g_strdup (why);
}

/* Where s may end when a line of length characters is joined to the next:
 * after its length-th character, or at a gap (a space) near there. Each cut
 * leaves text after it. */
static void
add_cuts (GArray     *pieces,
          const char *s,
          guint       length,
          guint       line,
          gsize       base,
          gsize       min_cut)
{
  gsize n = 0;

  for (gsize i = 0; s[i] != '\0'; i++)
    {
      gboolean rest = _er_mrz_count_nonspace (s + i, -1) > 0;

      if (s[i] == ' ')
        {
          if (i >= min_cut && rest && n + SLACK >= length && n <= length + SLACK)
            pieces_add (pieces, s, i, line, line, base + i + 1);
          continue;
        }
      if (++n == length && i + 1 >= min_cut && _er_mrz_count_nonspace (s + i + 1, -1) > 0)
        pieces_add (pieces, s, i + 1, line, line, base + i + 1);
    }
}

/* The ways to read a data line of length characters starting at line i,
 * offset o: the rest of the line (whole or cut where it was joined to the
 * next), or with the next line appended (split). */
void
_er_mrz_add_data_pieces_at (Reader *reader,
                            guint   i,
                            gsize   o,
                            guint   length,
                            GArray *pieces)
{
  const char *rest = reader->clean[i] + o;
  gsize rest_length = strlen (rest);
  gsize n = _er_mrz_count_nonspace (rest, -1);

  if (n == 0)
    return;
  /* Whole; a line shorter than it should be may have lost fillers in a gap
   * or at its end (length_variants() puts them back). */
  if (n <= length + SLACK && n >= length / 2)
    pieces_add (pieces, rest, rest_length, i, i + 1, 0);
  if (n > length)
    add_cuts (pieces, rest, length, i, o, 0);
  if (n <= length + SLACK && i + 1 < reader->n_lines)
    {
      /* Split: the break stands for a gap, which may be fillers or nothing.
       * A line of about the right length may be split too: its last
       * fillers on the next line, one too many read before. */
      g_autofree char *both = g_strconcat (rest, " ", reader->clean[i + 1], NULL);
      gsize m = _er_mrz_count_nonspace (both, -1);
      g_autoptr(GArray) cuts = _er_mrz_pieces_new ();

      if (m <= length + SLACK)
        pieces_add (pieces, both, strlen (both), i + 1, i + 2, 0);
      if (m > length)
        {
          add_cuts (cuts, both, length, i + 1, 0, rest_length + 1);
          for (guint k = 0; k < cuts->len; k++)
            {
              Piece *cut = &g_array_index (cuts, Piece, k);

              pieces_add (pieces, cut->text, strlen (cut->text), i + 1, i + 1,
                          cut->next.offset - (rest_length + 1));
            }
        }
    }
}

/* How far a piece is from a data line: of its length, a few fillers off,
 * or more (fillers lost in a gap or at the end). */
static int
piece_distance (const Piece *piece,
                guint        length)
{
  gsize n = _er_mrz_count_nonspace (piece->text, -1);
  gsize off = n > length ? n - length : length - n;

  return off == 0 ? 0 : off <= SLACK ? 1 : 2;
}

/* The ways to read a data line from at, the nearest to its length first:
 * the first reading that verifies wins, and a line needing many fillers put
 * back has more ways to verify by chance than one of the right length. */
GArray *
_er_mrz_data_pieces (Reader *reader,
                     Pos     at,
                     guint   length)
{
  GArray *pieces = _er_mrz_pieces_new ();
  GArray *sorted;

  if (at.line >= reader->n_lines)
    return pieces;
  if (at.offset > 0)
    _er_mrz_add_data_pieces_at (reader, at.line, at.offset, length, pieces);
  else
    for (guint skip = 0; skip <= MAX_SKIP && at.line + skip < reader->n_lines; skip++)
      _er_mrz_add_data_pieces_at (reader, at.line + skip, 0, length, pieces);

  /* A stable sort, by hand: the order within each distance is kept. */
  sorted = g_array_sized_new (FALSE, TRUE, sizeof (Piece), pieces->len);
  g_array_set_clear_func (sorted, piece_clear);
  for (int distance = 0; distance <= 2; distance++)
    for (guint i = 0; i < pieces->len; i++)
      if (piece_distance (&g_array_index (pieces, Piece, i), length) == distance)
        g_array_append_val (sorted, g_array_index (pieces, Piece, i));
  g_array_set_clear_func (pieces, NULL);
  g_array_unref (pieces);
  return sorted;
}

/* Whether line i + 1 looks like the rest of a name line of length
 * characters whose first n characters are on line i (split). */
static gboolean
name_goes_on (Reader *reader,
              guint   i,
              gsize   n,
              guint   length)
{
  const char *next;

  if (n >= length || i + 1 >= reader->n_lines)
    return FALSE;
  next = reader->clean[i + 1];
  return strchr (next, '?') == NULL && strchr (next, '<') != NULL
         && n + _er_mrz_count_nonspace (next, -1) <= length + SLACK;
}

/* Adds line i (from offset o) as a name line of length characters, first
 * with the next line appended when it looks like the rest of it (split);
 * alone only if alone is set. */
static void
add_name_pieces_at (Reader   *reader,
                    guint     i,
                    gsize     o,
                    guint     length,
                    gboolean  alone,
                    GArray   *pieces)
{
  const char *rest = reader->clean[i] + o;

  if (name_goes_on (reader, i, _er_mrz_count_nonspace (rest, -1), length))
    {
      g_autofree char *both = g_strconcat (rest, " ", reader->clean[i + 1], NULL);

      pieces_add (pieces, both, strlen (both), i + 1, i + 2, 0);
    }
  if (alone)
    pieces_add (pieces, rest, strlen (rest), i, i + 1, 0);
}

/* The name line of a TD3 from offset o of line s: whole (or split), or
 * cut where the data line was joined to it. */
static void
add_td3_name_pieces_at (Reader *reader,
                        guint   s,
                        gsize   o,
                        GArray *pieces)
{
  const char *line = reader->clean[s] + o;
  gsize n = _er_mrz_count_nonspace (line, -1);

  if (n <= TD3_LENGTH + SLACK)
    {
      add_name_pieces_at (reader, s, o, TD3_LENGTH, TRUE, pieces);
      return;
    }

  /* Joined: the name line is 44 characters, or the data line is the last 44. */
  add_cuts (pieces, line, TD3_LENGTH, s, o, 0);
  add_cuts (pieces, line, n - TD3_LENGTH, s, o, 0);
}

GArray *
_er_mrz_td3_name_pieces (Reader *reader,
                         guint   s)
{
  GArray *pieces = _er_mrz_pieces_new ();
  const char *line = reader->clean[s];

  if (line[0] == 'P')
    add_td3_name_pieces_at (reader, s, 0, pieces);
  /* One stray character read before it, a speck or the page's edge
   * ("HP<CAN", "|P<CAN"). */
  if (line[0] != '\0' && line[1] == 'P' && line[2] == '<')
    add_td3_name_pieces_at (reader, s, 1, pieces);
  return pieces;
}

/* Whether line i, a name-like line without fillers, is the first part of a
 * TD1's name line split in two: the next line begins with a filler, which no
 * name does ("ERIKSSON" / "<<ANNA<MARIA<<<"), or is too short to be the name
 * line alone, has no rest of its own after it, and the two make its length
 * ("ERIKSS" / "ON<<ANNA<MARIA<<<<<<<<<"; not "CANADA" / "ERIKSSON<<ANNA<MAR"
 * / "IA<<<<<<<<<<"). */
static gboolean
td1_name_split_after (Reader *reader,
                      guint   i)
{
  const char *next;
  gsize n, m;

  if (i + 1 >= reader->n_lines)
    return FALSE;
  next = reader->clean[i + 1];
  if (next[0] == '<')
    return TRUE;
  n = _er_mrz_count_nonspace (reader->clean[i], -1);
  m = _er_mrz_count_nonspace (next, -1);
  return name_like (next) && strchr (next, '<') != NULL && m + SLACK < TD1_LENGTH
         && !name_goes_on (reader, i + 1, m, TD1_LENGTH)
         && n + m + SLACK >= TD1_LENGTH && n + m <= TD1_LENGTH + SLACK;
}

/* The name line of a TD1, after its second line: the rest of that line if it
 * was joined, else the next line that reads like a name with fillers. A line
 * without any is the rest of the page ("CANADA"), not a name (no check digit
 * covers names to tell), unless it is the first part of a split name line. */
GArray *
_er_mrz_td1_name_pieces (Reader *reader,
                         Pos     at)
{
  GArray *pieces = _er_mrz_pieces_new ();

  if (at.line >= reader->n_lines)
    return pieces;
  if (at.offset > 0)
    {
      add_name_pieces_at (reader, at.line, at.offset, TD1_LENGTH, TRUE, pieces);
      return pieces;
    }
  for (guint skip = 0; skip <= MAX_SKIP && at.line + skip < reader->n_lines; skip++)
    {
      const char *line = reader->clean[at.line + skip];

      gboolean fillers = strchr (line, '<') != NULL;

      if (!name_like (line))
        continue;
      if (fillers || td1_name_split_after (reader, at.line + skip))
        add_name_pieces_at (reader, at.line + skip, 0, TD1_LENGTH, fillers, pieces);
      if (pieces->len > 0)
        break;
    }
  return pieces;
}

/* Lengths brought back */

static void
add_variant (GPtrArray *variants,
             char      *variant)
{
  for (guint i = 0; i < variants->len; i++)
    if (strcmp (variants->pdata[i], variant) == 0)
      {
        g_free (variant);
        return;
      }
  g_ptr_array_add (variants, variant);
}

/* plain with one of its filler runs made length characters long overall,
 * each run in turn: a run an OCR read a few fillers too long or short. A run
 * is of fillers, or of fillers with 'K' and 'C' read among them ("<C<CC<"):
 * fillers are added at its end, or characters taken from its end. */
static void
add_miscounted (GPtrArray  *variants,
                const char *plain,
                guint       length)
{
  gsize n = strlen (plain);
  gsize i = 0;

  /* Read too long by more than SLACK: not a miscount. Too short by more:
   * a long run of fillers read short ("M2511100<<<<<<2" for the 15 of a
   * passport without a personal number), by any count. */
  if (n > length + SLACK)
    return;
  while (i < n)
    {
      gsize end = i, fillers = 0;

      while (end < n && _er_mrz_is_filler_like (plain[end]))
        fillers += plain[end++] == '<';
      if (end == i)
        {
          i++;
          continue;
        }
      if (fillers > 0 && (n < length ? length - n <= SLACK || fillers >= 2 : end - i > n - length))
        {
          GString *v = g_string_new_len (plain, end);

          if (n < length)
            for (gsize f = n; f < length; f++)
              g_string_append_c (v, '<');
          else
            g_string_truncate (v, end - (n - length));
          g_string_append (v, plain + end);
          add_variant (variants, g_string_free (v, FALSE));
        }
      i = end;
    }
}

/* text with the fillers missing from it (length minus its characters) in
 * one of its gaps, the other gaps nothing; first the gaps next to a filler
 * ("B<< 10"), then the others ("B 10"). */
static void
add_gaps (GPtrArray  *variants,
          const char *text,
          gsize       n,
          guint       length)
{
  for (int next_to_filler = 1; next_to_filler >= 0; next_to_filler--)
    for (gsize i = 0; text[i] != '\0'; i++)
      {
        gboolean near;
        GString *v;

        if (text[i] != ' ')
          continue;
        near = (i > 0 && _er_mrz_is_filler_like (text[i - 1])) || _er_mrz_is_filler_like (text[i + 1]);
        if (near != next_to_filler)
          continue;
        v = g_string_new (NULL);
        for (gsize k = 0; text[k] != '\0'; k++)
          {
            if (k == i)
              for (gsize f = n; f < length; f++)
                g_string_append_c (v, '<');
            else if (text[k] != ' ')
              g_string_append_c (v, text[k]);
          }
        add_variant (variants, g_string_free (v, FALSE));
      }
}

/* text (spaces as read) as lines of exactly length characters, from the
 * least to the most changed, for the first that verifies wins, and fields
 * only the composite covers (or none: the nationality) would verify by
 * chance once in ten: spaces dropped; a filler run a few too long or short;
 * a gap standing for the missing fillers; fillers lost at the end; a stray
 * character at either end dropped; a character read twice. */
GPtrArray *
_er_mrz_length_variants (const char *text,
                         guint       length)
{
  GPtrArray *variants = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *plain = without_spaces (text);
  gsize n = strlen (plain);

  if (n == length)
    {
      add_variant (variants, g_steal_pointer (&plain));
      return variants;
    }

  add_miscounted (variants, plain, length);
  if (n < length)
    {
      GString *padded = g_string_new (plain);

      add_gaps (variants, text, n, length);
      while (padded->len < length)
        g_string_append_c (padded, '<');
      add_variant (variants, g_string_free (padded, FALSE));
    }
  else if (n <= length + SLACK)
    {
      add_variant (variants, g_strndup (plain, length));
      add_variant (variants, g_strdup (plain + (n - length)));
      /* Noise read at both ends ("OWI243896<…<0E": the page's edges). */
      for (gsize k = 1; k < n - length; k++)
        add_variant (variants, g_strndup (plain + k, length));
    }
  /* One character read twice ("<O0CAN" for "<0CAN"): either of two
   * neighbours that are the same once read as digits. */
  if (n == length + 1)
    for (gsize i = 0; i + 1 < n; i++)
      if (plain[i] != '<' && _er_mrz_as_digit (plain[i]) == _er_mrz_as_digit (plain[i + 1]))
        {
          GString *v = g_string_new_len (plain, i);

          g_string_append (v, plain + i + 1);
          add_variant (variants, g_string_free (v, FALSE));
        }

  return variants;
}
