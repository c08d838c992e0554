/* er-mrz.c: the machine-readable zone of a passport or ID card, found among
 * the lines an OCR read.
 *
 * Each line is first cleaned into the MRZ's alphabet: upper case, '«' as
 * "<<", '‹' and '(' as '<', accents dropped, white space as one space,
 * anything else '?'. An MRZ starts on a line that begins like one (TD3: 'P',
 * with a filler on the line; TD1: 'I', 'A' or 'C'). From there each of its
 * lines is read in the ways an OCR leaves them: whole, split over two lines,
 * joined to the next one, after a noise line or two. A data line is brought
 * back to its length (white space dropped, or standing for a run of fillers;
 * a filler run a character or a few too long or too short), the usual
 * confusions are undone where a field's type is known (a letter in a date, a
 * digit in a name), and 'K' or 'C' in a filler run may be a filler. All of
 * these are guesses: a reading is kept only when every check digit verifies
 * on it and ICAO's layout allows it, and the first such reading, the least
 * corrected, wins.
 *
 * Nothing here is static but constant tables: er_mrz_find() runs in a worker
 * thread. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "er-mrz.h"

#define TD3_LENGTH 44
#define TD1_LENGTH 30
/* How many fillers an OCR adds to or drops from one line, at most. */
#define SLACK 3
/* Noise lines (the rest of the page) read between two lines of an MRZ. */
#define MAX_SKIP 2

int
er_mrz_check_digit (const char *s,
                    gssize      length)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  g_return_val_if_fail (s != NULL || length == 0, 0);

  if (length < 0)
    length = strlen (s);
  for (gssize i = 0; i < length; i++)
    {
      char c = s[i];
      int v = 0;

      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (c >= 'A' && c <= 'Z')
        v = c - 'A' + 10;
      sum += v * weights[i % 3];
    }
  return sum % 10;
}

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
static char *
clean_line (const char *line)
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
static gboolean
looks_like_mrz (const char *line)
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

static gsize
count_nonspace (const char *s,
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
  gsize n = count_nonspace (clean, -1);

  return n >= 2 && n <= TD1_LENGTH + SLACK && strchr (clean, '?') == NULL;
}

/* The usual confusions */

/* A letter in a field of digits. '<' is kept: it is a filler where one is
 * allowed, and fails the check otherwise. */
static char
as_digit (char c)
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
static char
as_letter (char c)
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

static gboolean
is_filler_like (char c)
{
  return c == '<' || c == 'K' || c == 'C';
}

/* Lines as they were read: pieces */

typedef struct {
  guint line;
  gsize offset;  /* in the cleaned line */
} Pos;

/* One way of reading one line of an MRZ: its text (cleaned, spaces as read),
 * the last line given it took, and where the next MRZ line begins. */
typedef struct {
  char  *text;
  guint  last_line;
  Pos    next;
} Piece;

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_free (piece->text);
}

static GArray *
pieces_new (void)
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

typedef struct {
  char  **clean;   /* each line given, cleaned; "" for NULL */
  guint   n_lines;
  int     best_score;
  char   *best_failure;  /* why the reading that got furthest failed */
} Reader;

static void
reader_fail (Reader     *reader,
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
      gboolean rest = count_nonspace (s + i, -1) > 0;

      if (s[i] == ' ')
        {
          if (i >= min_cut && rest && n + SLACK >= length && n <= length + SLACK)
            pieces_add (pieces, s, i, line, line, base + i + 1);
          continue;
        }
      if (++n == length && i + 1 >= min_cut && count_nonspace (s + i + 1, -1) > 0)
        pieces_add (pieces, s, i + 1, line, line, base + i + 1);
    }
}

/* The ways to read a data line of length characters starting at line i,
 * offset o: the rest of the line (whole or cut where it was joined to the
 * next), or with the next line appended (split). */
static void
add_data_pieces_at (Reader *reader,
                    guint   i,
                    gsize   o,
                    guint   length,
                    GArray *pieces)
{
  const char *rest = reader->clean[i] + o;
  gsize rest_length = strlen (rest);
  gsize n = count_nonspace (rest, -1);

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
      gsize m = count_nonspace (both, -1);
      g_autoptr(GArray) cuts = pieces_new ();

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
  gsize n = count_nonspace (piece->text, -1);
  gsize off = n > length ? n - length : length - n;

  return off == 0 ? 0 : off <= SLACK ? 1 : 2;
}

/* The ways to read a data line from at, the nearest to its length first:
 * the first reading that verifies wins, and a line needing many fillers put
 * back has more ways to verify by chance than one of the right length. */
static GArray *
data_pieces (Reader *reader,
             Pos     at,
             guint   length)
{
  GArray *pieces = pieces_new ();
  GArray *sorted;

  if (at.line >= reader->n_lines)
    return pieces;
  if (at.offset > 0)
    add_data_pieces_at (reader, at.line, at.offset, length, pieces);
  else
    for (guint skip = 0; skip <= MAX_SKIP && at.line + skip < reader->n_lines; skip++)
      add_data_pieces_at (reader, at.line + skip, 0, length, pieces);

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
         && n + count_nonspace (next, -1) <= length + SLACK;
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

  if (name_goes_on (reader, i, count_nonspace (rest, -1), length))
    {
      g_autofree char *both = g_strconcat (rest, " ", reader->clean[i + 1], NULL);

      pieces_add (pieces, both, strlen (both), i + 1, i + 2, 0);
    }
  if (alone)
    pieces_add (pieces, rest, strlen (rest), i, i + 1, 0);
}

/* The name line of a TD3, on line s: whole (or split), or cut where the data
 * line was joined to it. */
static GArray *
td3_name_pieces (Reader *reader,
                 guint   s)
{
  GArray *pieces = pieces_new ();
  const char *line = reader->clean[s];
  gsize n = count_nonspace (line, -1);

  if (n <= TD3_LENGTH + SLACK)
    {
      add_name_pieces_at (reader, s, 0, TD3_LENGTH, TRUE, pieces);
      return pieces;
    }

  /* Joined: the name line is 44 characters, or the data line is the last 44. */
  add_cuts (pieces, line, TD3_LENGTH, s, 0, 0);
  add_cuts (pieces, line, n - TD3_LENGTH, s, 0, 0);
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
  n = count_nonspace (reader->clean[i], -1);
  m = count_nonspace (next, -1);
  return name_like (next) && strchr (next, '<') != NULL && m + SLACK < TD1_LENGTH
         && !name_goes_on (reader, i + 1, m, TD1_LENGTH)
         && n + m + SLACK >= TD1_LENGTH && n + m <= TD1_LENGTH + SLACK;
}

/* The name line of a TD1, after its second line: the rest of that line if it
 * was joined, else the next line that reads like a name with fillers. A line
 * without any is the rest of the page ("CANADA"), not a name (no check digit
 * covers names to tell), unless it is the first part of a split name line. */
static GArray *
td1_name_pieces (Reader *reader,
                 Pos     at)
{
  GArray *pieces = pieces_new ();

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

  if ((n > length ? n - length : length - n) > SLACK)
    return;
  while (i < n)
    {
      gsize end = i, fillers = 0;

      while (end < n && is_filler_like (plain[end]))
        fillers += plain[end++] == '<';
      if (end == i)
        {
          i++;
          continue;
        }
      if (fillers > 0 && (n < length || end - i > n - length))
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
        near = (i > 0 && is_filler_like (text[i - 1])) || is_filler_like (text[i + 1]);
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
 * character at either end dropped. */
static GPtrArray *
length_variants (const char *text,
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
    }

  return variants;
}

/* Fields */

typedef enum {
  FIELD_CODE,             /* the document code: letters and fillers, as read */
  FIELD_ALNUM,            /* letters, digits and fillers: nothing is known */
  FIELD_LETTERS,          /* a code, a country */
  FIELD_DIGITS,           /* a date, a check digit */
  FIELD_DIGIT_OR_FILLER,  /* a check digit that may be a filler */
  FIELD_SEX,
} FieldType;

typedef struct {
  guint     start;
  guint     length;
  FieldType type;
} Field;

static const Field td3_data_fields[] = {
  { 0, 9, FIELD_ALNUM },             /* document number */
  { 9, 1, FIELD_DIGITS },
  { 10, 3, FIELD_LETTERS },          /* nationality */
  { 13, 6, FIELD_DIGITS },           /* birth date */
  { 19, 1, FIELD_DIGITS },
  { 20, 1, FIELD_SEX },
  { 21, 6, FIELD_DIGITS },           /* expiry date */
  { 27, 1, FIELD_DIGITS },
  { 28, 14, FIELD_ALNUM },           /* personal number */
  { 42, 1, FIELD_DIGIT_OR_FILLER },  /* its check digit, '<' when there is none */
  { 43, 1, FIELD_DIGITS },           /* composite */
};

static const Field td1_line1_fields[] = {
  { 0, 2, FIELD_CODE },              /* document code */
  { 2, 3, FIELD_LETTERS },           /* issuing state */
  { 5, 9, FIELD_ALNUM },             /* document number */
  { 14, 1, FIELD_DIGIT_OR_FILLER },  /* '<' when the number goes on in the optional data */
  { 15, 15, FIELD_ALNUM },           /* optional data */
};

static const Field td1_line2_fields[] = {
  { 0, 6, FIELD_DIGITS },            /* birth date */
  { 6, 1, FIELD_DIGITS },
  { 7, 1, FIELD_SEX },
  { 8, 6, FIELD_DIGITS },            /* expiry date */
  { 14, 1, FIELD_DIGITS },
  { 15, 3, FIELD_LETTERS },          /* nationality */
  { 18, 11, FIELD_ALNUM },           /* optional data */
  { 29, 1, FIELD_DIGITS },           /* composite */
};

/* How 'K' and 'C' are taken in filler runs: as read; as fillers after a
 * filler ("D<K", "AB12<K<<"); and, in addition, a run of two or more of
 * them ending a field ("ZE184226BKKKKK"). */
enum {
  FILLERS_AS_READ,
  FILLERS_AFTER_FILLER,
  FILLERS_TRAILING,
  N_FILLER_MODES
};

static void
apply_fillers (char *field,
               guint length,
               int   mode)
{
  const char *first = memchr (field, '<', length);

  if (mode == FILLERS_AS_READ)
    return;
  if (first != NULL)
    {
      guint i = first - field;
      gboolean all = TRUE;

      for (guint k = i; k < length; k++)
        all = all && is_filler_like (field[k]);
      if (all)
        memset (field + i, '<', length - i);
    }
  if (mode == FILLERS_TRAILING)
    {
      guint i = length;

      while (i > 0 && is_filler_like (field[i - 1]))
        i--;
      if (length - i >= 2)
        memset (field + i, '<', length - i);
    }
}

/* Undoes the usual confusions in the fields whose type is known, and takes
 * 'K'/'C' as fillers as mode says. */
static void
apply_fields (char        *line,
              const Field *fields,
              gsize        n_fields,
              int          mode)
{
  for (gsize f = 0; f < n_fields; f++)
    {
      char *field = line + fields[f].start;

      switch (fields[f].type)
        {
        case FIELD_CODE:
        case FIELD_LETTERS:
          for (guint k = 0; k < fields[f].length; k++)
            field[k] = as_letter (field[k]);
          if (fields[f].type == FIELD_LETTERS)
            apply_fillers (field, fields[f].length, mode);
          break;
        case FIELD_ALNUM:
          apply_fillers (field, fields[f].length, mode);
          break;
        case FIELD_DIGITS:
          for (guint k = 0; k < fields[f].length; k++)
            field[k] = as_digit (field[k]);
          break;
        case FIELD_DIGIT_OR_FILLER:
          field[0] = is_filler_like (field[0]) ? '<' : as_digit (field[0]);
          break;
        case FIELD_SEX:
        default:
          break;
        }
    }
}

/* Checks */

typedef struct {
  int         passed;
  const char *failed;  /* the first check that failed, NULL when none did */
} Checks;

static void
checks_add (Checks     *checks,
            gboolean    ok,
            const char *what)
{
  if (ok)
    checks->passed++;
  else if (checks->failed == NULL)
    checks->failed = what;
}

static gboolean
check_verifies (const char *s,
                gsize       length,
                char        digit)
{
  return g_ascii_isdigit (digit) && er_mrz_check_digit (s, length) == digit - '0';
}

static gboolean
all_fillers (const char *s,
             gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (s[i] != '<')
      return FALSE;
  return TRUE;
}

/* A document number as ICAO prints it: letters and digits, then fillers to
 * the end of its field, if any. A reading with fillers inside one is a line
 * cut or shifted wrongly that passed the check digits by chance. */
static gboolean
number_well_formed (const char *field,
                    gsize       length)
{
  const char *filler = memchr (field, '<', length);

  return field[0] != '<'
         && (filler == NULL || all_fillers (filler, length - (filler - field)));
}

static void
today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

/* YYMMDD in century (2000 or 1900), FALSE when it is no date. */
static gboolean
parse_date (const char *s,
            int         century,
            GDate      *date)
{
  int year, month, day;

  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  year = century + (s[0] - '0') * 10 + (s[1] - '0');
  month = (s[2] - '0') * 10 + (s[3] - '0');
  day = (s[4] - '0') * 10 + (s[5] - '0');
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* A birth date: 20YY unless that is in the future. */
static gboolean
parse_birth (const char *s,
             GDate      *date)
{
  GDate now;

  if (!parse_date (s, 2000, date))
    return FALSE;
  today (&now);
  if (g_date_compare (date, &now) > 0)
    return parse_date (s, 1900, date);
  return TRUE;
}

/* The dates' checks, shared by both formats. */
static void
check_dates (Checks     *checks,
             const char *birth,
             const char *expiry,
             GDate      *birth_date,
             GDate      *expiry_date)
{
  checks_add (checks, check_verifies (birth, 6, birth[6]),
              "the birth date's check digit does not verify");
  checks_add (checks, parse_birth (birth, birth_date), "the birth date is not a date");
  checks_add (checks, check_verifies (expiry, 6, expiry[6]),
              "the expiry date's check digit does not verify");
  checks_add (checks, parse_date (expiry, 2000, expiry_date), "the expiry date is not a date");
}

/* Values */

/* field up to its first filler: "D<<" → "D", "UTO" → "UTO". */
static char *
up_to_filler (const char *field,
              gsize       length)
{
  const char *end = memchr (field, '<', length);

  return g_strndup (field, end != NULL ? (gsize) (end - field) : length);
}

static char *
drop_fillers (const char *field,
              gsize       length)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    if (field[i] != '<')
      g_string_append_c (out, field[i]);
  return g_string_free (out, FALSE);
}

static char
sex_of (char c)
{
  return c == 'M' || c == 'F' ? c : 'X';
}

/* Runs of spaces as one, none at either end. */
static void
squeeze_spaces (char *s)
{
  gsize w = 0;

  g_strstrip (s);
  for (gsize r = 0; s[r] != '\0'; r++)
    if (s[r] != ' ' || s[w - 1] != ' ')
      s[w++] = s[r];
  s[w] = '\0';
}

/* The name field (spaces as read) into surname and given names: split at the
 * first "<<", single fillers as spaces, trailing fillers (and 'K', 'C' among
 * them) dropped. A name that fills the field to its end (truncated by the
 * issuer) is kept as it is. FALSE when there is no surname: ICAO makes a name
 * of one part the surname, so a field that begins with "<<" lost its start. */
static gboolean
parse_name (const char  *text,
            guint        length,
            char       **surname,
            char       **given_names)
{
  GString *field = g_string_new (NULL);
  gboolean complete = count_nonspace (text, -1) == length;
  g_autofree char *name = NULL;
  const char *split;
  gsize suffix, end;

  /* Spaces: stray when the field has all its characters, or when its
   * fillers were read as such; else (fillers read as gaps, "ERIKSSON ANNA")
   * a space between letters is a filler. A space next to a filler is part
   * of its run. */
  for (gsize i = 0; text[i] != '\0'; i++)
    {
      char c = text[i];

      if (c == ' ')
        {
          if (complete || strchr (text, '<') != NULL || field->len == 0
              || text[i + 1] == '\0')
            continue;
          c = '<';
        }
      g_string_append_c (field, as_letter (c));
    }
  /* A name begins with a letter: a field that does not is a line that is
   * no name line, or one that lost its start. */
  if (!g_ascii_isupper (field->str[0]))
    {
      g_string_free (field, TRUE);
      return FALSE;
    }

  /* The trailing fillers, in the run of fillers, 'K' and 'C' that ends the
   * field: from its first '<', or from three 'K'/'C' in a row, which no name
   * ends with. "NICK<<<" keeps its K, "ANNA<<K<<" and "ANNAKKKK" lose theirs. */
  suffix = field->len;
  while (suffix > 0 && is_filler_like (field->str[suffix - 1]))
    suffix--;
  end = field->len;
  for (gsize i = suffix; i < field->len && end == field->len; i++)
    if (field->str[i] == '<'
        || (i + 3 <= field->len && field->str[i + 1] != '<' && field->str[i + 2] != '<'))
      end = i;
  g_string_truncate (field, end);
  name = g_string_free (field, FALSE);

  split = strstr (name, "<<");
  if (split != NULL)
    {
      *surname = g_strndup (name, split - name);
      *given_names = g_strdup (split + 2);
    }
  else
    {
      *surname = g_strdup (name);
      *given_names = g_strdup ("");
    }
  g_strdelimit (*surname, "<", ' ');
  g_strdelimit (*given_names, "<", ' ');
  squeeze_spaces (*surname);
  squeeze_spaces (*given_names);
  return **surname != '\0';
}

/* The header of a name line, its first five characters: the document code
 * and the issuing state. FALSE when text is too short for one. */
static gboolean
parse_header (const char  *text,
              char         code[3],
              char         state[4],
              const char **rest)
{
  char header[6];
  guint n = 0;
  const char *p = text;

  for (; *p != '\0' && n < 5; p++)
    if (*p != ' ')
      header[n++] = as_letter (*p);
  if (n < 5)
    return FALSE;
  header[5] = '\0';
  apply_fillers (header + 2, 3, FILLERS_AFTER_FILLER);
  memcpy (code, header, 2);
  code[2] = '\0';
  memcpy (state, header + 2, 3);
  state[3] = '\0';
  *rest = p;
  return TRUE;
}

static ErMrz *
mrz_new (ErMrzFormat  format,
         const char  *code,
         const char  *state,
         char        *surname,
         char        *given_names,
         char        *document_number,
         char        *nationality,
         const GDate *birth,
         const GDate *expiry,
         char         sex)
{
  ErMrz *mrz = g_new0 (ErMrz, 1);

  mrz->format = format;
  mrz->document_code = drop_fillers (code, strlen (code));
  mrz->issuing_state = up_to_filler (state, strlen (state));
  mrz->surname = surname;
  mrz->given_names = given_names;
  mrz->document_number = document_number;
  mrz->nationality = nationality;
  mrz->birth = *birth;
  mrz->expiry = *expiry;
  mrz->sex = sex;
  return mrz;
}

/* A TD3 from its name line (as read) and its data line (44 characters, the
 * corrections of mode applied), or NULL and the checks that passed. */
static ErMrz *
read_td3 (const char *name_text,
          const char *data_text,
          int         mode,
          Checks     *checks)
{
  char data[TD3_LENGTH + 1];
  char code[3], state[4];
  const char *name_field;
  g_autofree char *surname = NULL;
  g_autofree char *given_names = NULL;
  g_autoptr(GString) composite = g_string_new (NULL);
  GDate birth, expiry;

  memcpy (data, data_text, sizeof data);
  apply_fields (data, td3_data_fields, G_N_ELEMENTS (td3_data_fields), mode);

  checks_add (checks, check_verifies (data, 9, data[9]),
              "the document number's check digit does not verify");
  checks_add (checks, number_well_formed (data, 9), "the document number has fillers inside");
  check_dates (checks, data + 13, data + 21, &birth, &expiry);
  /* No personal number: its check digit is a filler or zero. */
  checks_add (checks, check_verifies (data + 28, 14, data[42])
                      || (all_fillers (data + 28, 14) && (data[42] == '<' || data[42] == '0')),
              "the personal number's check digit does not verify");
  g_string_append_len (composite, data, 10);
  g_string_append_len (composite, data + 13, 7);
  g_string_append_len (composite, data + 21, 22);
  checks_add (checks, check_verifies (composite->str, composite->len, data[43]),
              "the composite check digit does not verify");
  if (checks->failed != NULL)
    return NULL;

  if (!parse_header (name_text, code, state, &name_field) || code[0] != 'P'
      || !parse_name (name_field, TD3_LENGTH - 5, &surname, &given_names))
    {
      checks->failed = "the first line has no name";
      return NULL;
    }

  return mrz_new (ER_MRZ_TD3, code, state,
                  g_steal_pointer (&surname), g_steal_pointer (&given_names),
                  drop_fillers (data, 9), up_to_filler (data + 10, 3),
                  &birth, &expiry, sex_of (data[20]));
}

/* The document number of a TD1, and whether it is well formed and its check
 * digit verifies: nine characters, or, when its check digit is a filler,
 * more of it in the optional data, ended by its check digit and a filler
 * (its nine first characters then fill their field). */
static char *
td1_document_number (char     *line1,
                     gboolean *well_formed,
                     gboolean *verifies)
{
  GString *number;
  char *optional = line1 + 15;
  char *end;

  if (line1[14] != '<')
    {
      *well_formed = number_well_formed (line1 + 5, 9);
      *verifies = check_verifies (line1 + 5, 9, line1[14]);
      return drop_fillers (line1 + 5, 9);
    }

  end = memchr (optional, '<', TD1_LENGTH - 15);
  *well_formed = end != NULL && end - optional >= 2 && memchr (line1 + 5, '<', 9) == NULL;
  if (!*well_formed)
    {
      *verifies = FALSE;
      return drop_fillers (line1 + 5, 9);
    }
  /* That check digit is a digit field too. */
  end[-1] = as_digit (end[-1]);
  number = g_string_new_len (line1 + 5, 9);
  g_string_append_len (number, optional, end - 1 - optional);
  *verifies = check_verifies (number->str, number->len, end[-1]);
  return g_string_free (number, FALSE);
}

/* The checks of a TD1's two data lines (30 characters each, the corrections
 * of mode applied to them in place); the document number when they pass. */
static char *
check_td1 (char   *line1,
           char   *line2,
           int     mode,
           GDate  *birth,
           GDate  *expiry,
           Checks *checks)
{
  g_autoptr(GString) composite = g_string_new (NULL);
  g_autofree char *number = NULL;
  gboolean well_formed, verifies;

  apply_fields (line1, td1_line1_fields, G_N_ELEMENTS (td1_line1_fields), mode);
  apply_fields (line2, td1_line2_fields, G_N_ELEMENTS (td1_line2_fields), mode);

  number = td1_document_number (line1, &well_formed, &verifies);
  checks_add (checks, well_formed, "the document number has fillers inside");
  checks_add (checks, verifies, "the document number's check digit does not verify");
  check_dates (checks, line2, line2 + 8, birth, expiry);
  g_string_append_len (composite, line1 + 5, 25);
  g_string_append_len (composite, line2, 7);
  g_string_append_len (composite, line2 + 8, 7);
  g_string_append_len (composite, line2 + 18, 11);
  checks_add (checks, check_verifies (composite->str, composite->len, line2[29]),
              "the composite check digit does not verify");
  if (checks->failed != NULL)
    return NULL;
  return g_steal_pointer (&number);
}

/* The search */

static void
set_lines (ErMrz *mrz,
           guint  first,
           guint  last)
{
  mrz->first_line = first;
  mrz->n_lines = last - first + 1;
}

/* A TD3 whose name line begins line s. */
static ErMrz *
find_td3 (Reader *reader,
          guint   s)
{
  g_autoptr(GArray) names = td3_name_pieces (reader, s);

  for (guint i = 0; i < names->len; i++)
    {
      Piece *name = &g_array_index (names, Piece, i);
      g_autoptr(GArray) datas = data_pieces (reader, name->next, TD3_LENGTH);

      if (datas->len == 0)
        reader_fail (reader, 1, "its second line is missing or too short");
      for (guint j = 0; j < datas->len; j++)
        {
          Piece *data = &g_array_index (datas, Piece, j);
          g_autoptr(GPtrArray) variants = length_variants (data->text, TD3_LENGTH);

          if (variants->len == 0)
            reader_fail (reader, 1, "its second line is not 44 characters long");
          for (guint v = 0; v < variants->len; v++)
            for (int mode = 0; mode < N_FILLER_MODES; mode++)
              {
                Checks checks = { 0, NULL };
                ErMrz *mrz = read_td3 (name->text, variants->pdata[v], mode, &checks);

                if (mrz != NULL)
                  {
                    set_lines (mrz, s, data->last_line);
                    return mrz;
                  }
                reader_fail (reader, 2 + checks.passed, checks.failed);
              }
        }
    }
  return NULL;
}

/* A TD1 with its name line after its data lines (as read), which verify. */
static ErMrz *
td1_with_name (Reader      *reader,
               guint        s,
               const Piece *second,
               const char  *line1,
               char        *number,
               const GDate *birth,
               const GDate *expiry,
               const char  *line2)
{
  g_autoptr(GArray) names = td1_name_pieces (reader, second->next);

  for (guint k = 0; k < names->len; k++)
    {
      Piece *name = &g_array_index (names, Piece, k);
      g_autofree char *surname = NULL;
      g_autofree char *given_names = NULL;
      g_autofree char *code = g_strndup (line1, 2);
      g_autofree char *state = g_strndup (line1 + 2, 3);
      ErMrz *mrz;

      if (!parse_name (name->text, TD1_LENGTH, &surname, &given_names))
        continue;
      mrz = mrz_new (ER_MRZ_TD1, code, state,
                     g_steal_pointer (&surname), g_steal_pointer (&given_names),
                     number, up_to_filler (line2 + 15, 3), birth, expiry,
                     sex_of (line2[7]));
      set_lines (mrz, s, name->last_line);
      return mrz;
    }
  g_free (number);
  return NULL;
}

/* A TD1 whose first line begins line s. */
static ErMrz *
find_td1 (Reader *reader,
          guint   s)
{
  g_autoptr(GArray) firsts = pieces_new ();

  add_data_pieces_at (reader, s, 0, TD1_LENGTH, firsts);
  for (guint i = 0; i < firsts->len; i++)
    {
      Piece *first = &g_array_index (firsts, Piece, i);
      g_autoptr(GPtrArray) variants1 = NULL;
      g_autoptr(GArray) seconds = NULL;

      variants1 = length_variants (first->text, TD1_LENGTH);
      seconds = data_pieces (reader, first->next, TD1_LENGTH);
      if (seconds->len == 0)
        reader_fail (reader, 1, "its second line is missing or too short");

      for (guint j = 0; j < seconds->len; j++)
        {
          Piece *second = &g_array_index (seconds, Piece, j);
          g_autoptr(GPtrArray) variants2 = length_variants (second->text, TD1_LENGTH);

          for (guint v1 = 0; v1 < variants1->len; v1++)
            for (guint v2 = 0; v2 < variants2->len; v2++)
              for (int mode = 0; mode < N_FILLER_MODES; mode++)
                {
                  char line1[TD1_LENGTH + 1], line2[TD1_LENGTH + 1];
                  Checks checks = { 0, NULL };
                  char *number;
                  GDate birth, expiry;
                  ErMrz *mrz;

                  memcpy (line1, variants1->pdata[v1], sizeof line1);
                  memcpy (line2, variants2->pdata[v2], sizeof line2);
                  if (strchr ("IAC", as_letter (line1[0])) == NULL)
                    continue;
                  number = check_td1 (line1, line2, mode, &birth, &expiry, &checks);
                  if (number == NULL)
                    {
                      reader_fail (reader, 2 + checks.passed, checks.failed);
                      continue;
                    }
                  mrz = td1_with_name (reader, s, second, line1, number, &birth, &expiry, line2);
                  if (mrz != NULL)
                    return mrz;
                  reader_fail (reader, 2 + checks.passed, "its third line, the name, is missing");
                }
        }
    }
  return NULL;
}

ErMrz *
er_mrz_find (const char * const *lines,
             guint               n_lines,
             GError            **error)
{
  Reader reader = { NULL, n_lines, 0, NULL };
  gboolean mrz_like = FALSE;
  ErMrz *mrz = NULL;

  g_return_val_if_fail (lines != NULL || n_lines == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader.clean = g_new0 (char *, n_lines + 1);
  for (guint i = 0; i < n_lines; i++)
    {
      reader.clean[i] = clean_line (lines[i]);
      mrz_like = mrz_like || looks_like_mrz (lines[i]);
    }

  for (guint s = 0; s < n_lines && mrz == NULL; s++)
    {
      const char *line = reader.clean[s];

      /* No check digit covers a TD3's name line: its first line must at
       * least look like one, with a filler ("P<CAN"; "PASSPORT" or
       * "P CAN AB123456" are the page's text, even before a split name). */
      if (line[0] == 'P' && strchr (line, '<') != NULL && count_nonspace (line, -1) >= 5)
        mrz = find_td3 (&reader, s);
      if (mrz == NULL && line[0] != '\0' && strchr ("IAC", as_letter (line[0])) != NULL
          && count_nonspace (line, -1) >= 5)
        mrz = find_td1 (&reader, s);
    }

  if (mrz == NULL && mrz_like)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Not translated: for logs and tests; what the agent is told
                  * is that the read is unsure (er-id-read.h). */
                 "Machine-readable zone: %s",
                 reader.best_failure != NULL ? reader.best_failure
                 : "the lines that look like one do not form one");

  g_strfreev (reader.clean);
  g_free (reader.best_failure);
  return mrz;
}

void
er_mrz_free (ErMrz *mrz)
{
  if (mrz == NULL)
    return;
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->surname);
  g_free (mrz->given_names);
  g_free (mrz->document_number);
  g_free (mrz->nationality);
  g_free (mrz);
}
