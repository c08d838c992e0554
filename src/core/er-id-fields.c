/* er-id-fields.c: the name and the expiry date printed on an ID, found by
 * their labels among the lines an OCR read.
 *
 * Labels (er-id-fields-labels.c) are matched tolerantly, on a key of the line: its letters and
 * digits only, accents stripped, lower case, "rn" taken for "m" (what an
 * OCR makes of "Nom" and "Surname" most often), each key character
 * remembering its bytes in the line. A label is one form ("surname") or a
 * French and an English form in either order ("nom" + "surname"), with at
 * most one letter between them (a slash read as 'l', 'I', '1' or 'J');
 * one edit in all is allowed in a label of 5 letters or more. A label ends
 * where a word does. Values are taken strictly: the line's own text after
 * the label, or the line below, trimmed of OCR junk at its ends, and a name
 * only when every character of it can be in a name.
 *
 * No state outside the call: safe in any thread. */
#include "config.h"

#include <string.h>

#include "er-id-fields-private.h"
#include "er-name-private.h"
#include "er-secret.h"

/* ---- Values ---- */

typedef struct {
  guint start;
  guint end;
} Span;

static gboolean
has_case (const char *text,
          Span        span,
          Span        except,
          gboolean    upper)
{
  for (const char *p = text + span.start; p < text + span.end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guint) (p - text) >= except.start && (guint) (p - text) < except.end)
        continue;
      if (upper ? g_unichar_isupper (c) : g_unichar_islower (c))
        return TRUE;
    }
  return FALSE;
}

/* A token of one character at an end of a value that the OCR made of a
 * border or a speck: anything but a letter, or a small letter beside
 * capitals ("l CÔTÉ"). A capital is kept: it may be an initial. */
static gboolean
is_stray (const char *text,
          Span        value,
          Span        token)
{
  gunichar c;

  if (g_utf8_strlen (text + token.start, token.end - token.start) != 1)
    return FALSE;
  c = g_utf8_get_char (text + token.start);
  if (!g_unichar_isalpha (c))
    return TRUE;
  return g_unichar_islower (c) && has_case (text, value, token, TRUE)
         && !has_case (text, value, token, FALSE);
}

/* The value in span, its ends trimmed of spaces, punctuation and stray
 * characters (and of a trailing field number when another label follows:
 * "CÔTÉ 4d NUMBER"). */
static Span
trim_value (const char *text,
            Span        span,
            gboolean    before_label)
{
  gboolean changed = TRUE;

  while (changed && span.start < span.end)
    {
      Span first, last;

      changed = FALSE;
      while (span.start < span.end && !_er_id_is_word_char (g_utf8_get_char (text + span.start)))
        {
          span.start = g_utf8_next_char (text + span.start) - text;
          changed = TRUE;
        }
      while (span.end > span.start && !_er_id_is_word_char (_er_id_char_before (text, span.end)))
        {
          span.end = g_utf8_find_prev_char (text, text + span.end) - text;
          changed = TRUE;
        }
      if (span.start >= span.end)
        break;

      first.start = span.start;
      first.end = span.start;
      while (first.end < span.end && !g_unichar_isspace (g_utf8_get_char (text + first.end)))
        first.end = g_utf8_next_char (text + first.end) - text;
      last.end = span.end;
      last.start = span.end;
      while (last.start > span.start && !g_unichar_isspace (_er_id_char_before (text, last.start)))
        last.start = g_utf8_find_prev_char (text, text + last.start) - text;
      if (first.end == span.end)
        {
          /* one token left: only junk goes */
          if (g_utf8_strlen (text + span.start, span.end - span.start) == 1
              && !g_unichar_isalpha (g_utf8_get_char (text + span.start)))
            span.end = span.start;
          break;
        }
      if (is_stray (text, span, first))
        {
          span.start = first.end;
          changed = TRUE;
        }
      else if (is_stray (text, span, last)
               || (before_label && _er_id_is_field_number (text + last.start, last.end - last.start)))
        {
          span.end = last.start;
          changed = TRUE;
        }
    }
  if (span.start >= span.end)
    span.start = span.end = 0;
  return span;
}

/* What separates a name's parts: a comma, or a semicolon, a comma
 * misread ("GAGNÉ; HÉLÈNE"), never part of a name. */
#define COMMAS ",;"

static gboolean
is_comma (gunichar c)
{
  return c != 0 && c < 0x80 && strchr (COMMAS, (char) c) != NULL;
}

static guint
count_alnum (const char *text,
             Span        span)
{
  guint n = 0;

  for (const char *p = text + span.start; p < text + span.end; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      n++;
  return n;
}

/* Whether span (trimmed) holds a name: letters of any script with their
 * accents, spaces, hyphens, apostrophes, a period after a letter ("ST.
 * PIERRE"), and one comma after letters ("CÔTÉ, FRANÇOIS"), or several in
 * a list of given names ("JEAN, PIERRE, MARIE", as French cards print
 * them). */
static gboolean
is_name (const char *text,
         Span        span,
         gboolean    list)
{
  guint letters = 0, commas = 0;
  gboolean after_letter = FALSE;

  for (const char *p = text + span.start; p < text + span.end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c))
        {
          letters++;
          after_letter = TRUE;
          continue;
        }
      if (_er_id_is_mark (c) && after_letter)
        continue;
      if (is_comma (c) && letters > 0 && (commas == 0 || list))
        commas++;
      else if (c == '.' && after_letter)
        ;
      else if (!g_unichar_isspace (c) && !_er_name_is_hyphen (c) && !_er_name_is_apostrophe (c))
        return FALSE;
      after_letter = FALSE;
    }
  /* a trimmed span ends with a letter: a comma has letters after it */
  return letters >= 2;
}

/* ---- Names ---- */

typedef struct {
  char  *text;
  guint  lines[2];  /* the lines the value was read on */
  guint  n_lines;
  int    label_line;  /* its label's line when the value is on the line
                       * below, alone; else -1 */
} Value;

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->text, g_free);
  value->n_lines = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Value, value_clear)

/* ---- Specks read as small words ---- */

/* Whether word has small letters, or capitals. */
static gboolean
word_has_case (const char *word,
               gboolean    upper)
{
  Span all = { 0, strlen (word) };
  Span none = { 0, 0 };

  return has_case (word, all, none, upper);
}

/* Drops, in place, the words of one or two letters with small letters in
 * a name printed in capitals ("DOMINIQUE nn NGUYEN", "Où THÉRÈSE"):
 * specks and marks the OCR read as letters. Only when another word is all
 * capitals and no longer word has small letters (a name written in small
 * letters is left as read). */
static void
drop_small_words (char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  gboolean capitals = FALSE, drop = FALSE;
  GString *out;

  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean lower = word_has_case (words[i], FALSE);
      glong n = g_utf8_strlen (words[i], -1);

      if (lower && n > 2)
        return;
      drop = drop || lower;
      capitals = capitals || (!lower && n >= 2 && word_has_case (words[i], TRUE));
    }
  if (!drop || !capitals)
    return;
  out = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0' || word_has_case (words[i], FALSE))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  /* Never longer than text: written over it. */
  memcpy (text, out->str, out->len + 1);
  g_string_free (out, TRUE);
}

/* Whether the character of text just before end is a letter (FALSE at
 * text's start). */
static gboolean
letter_before (const char *text,
               const char *end)
{
  const char *last = end > text ? g_utf8_find_prev_char (text, end) : NULL;

  return last != NULL && g_unichar_isalpha (g_utf8_get_char (last));
}

/* "ANDRÉE- ANNE" → "ANDRÉE-ANNE": spaces Tesseract put beside a hyphen
 * between two letters (a compound name has none). Never longer than
 * text: written over it. */
static void
join_at_hyphens (char *text)
{
  char *out = text;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        {
          const char *next = p;

          while (*next == ' ')
            next++;
          /* After "X-", before a letter; or after a letter, before "-X". */
          if ((out > text && out[-1] == '-' && letter_before (text, out - 1) &&
               g_unichar_isalpha (g_utf8_get_char (next))) ||
              (*next == '-' && letter_before (text, out) && g_unichar_isalpha (g_utf8_get_char (next + 1))))
            continue;
        }
      *out++ = *p;
    }
  *out = '\0';
}

/* The value in span of line at, specks dropped, no spaces beside its
 * hyphens. */
static void
value_set (Value          *value,
           const LineInfo *infos,
           guint           at,
           Span            span)
{
  value->text = g_strndup (infos[at].text + span.start, span.end - span.start);
  g_strdelimit (value->text, COMMAS, ',');
  drop_small_words (value->text);
  join_at_hyphens (value->text);
  value->lines[0] = at;
  value->n_lines = 1;
  value->label_line = -1;
}

static gboolean
span_has_comma (const char *text,
                Span        span)
{
  for (guint i = span.start; i < span.end; i++)
    if (is_comma ((guchar) text[i]))
      return TRUE;
  return FALSE;
}

/* Whether text goes on with a comma after span: "CÔTÉ," above the given
 * names, as Ontario prints a name. */
static gboolean
comma_after (const char *text,
             Span        span)
{
  for (const char *p = text + span.end; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_comma (c))
        return TRUE;
      if (!g_unichar_isspace (c))
        return FALSE;
    }
  return FALSE;
}

/* Whether what follows a label on its line starts with a slash: the rest
 * of a bilingual label too damaged to be matched ("Nom/Sxrnane"), not a
 * value. */
static gboolean
after_slash (const char *text,
             Span        span)
{
  for (const char *p = text + span.start; p < text + span.end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '|' || c == '\\')
        return TRUE;
      if (!g_unichar_isspace (c))
        return FALSE;
    }
  return FALSE;
}

static gboolean
name_on_line (const LineInfo *info,
              gboolean        list,
              Span           *span)
{
  Span all = { 0, strlen (info->text) };

  if (info->labels->len > 0)
    return FALSE;
  *span = trim_value (info->text, all, FALSE);
  return is_name (info->text, *span, list);
}

/* The name's line for label line i, its label ending it: for a surname
 * or given names, the line beside it when that is a name in capitals
 * (labels in one column, values in the next, read as blocks of their own:
 * "NOM / SURNAME", then "DIALLO" on its right; not another label's
 * remains, "ountry"); else the line below it, or when that is no name,
 * the next one below if it is nearer the label (a line of specks or of the
 * portrait's edge read first, out of order). -1 if none. */
static int
name_line_below (const LineInfo *infos,
                 guint           n_lines,
                 guint           i,
                 gboolean        beside_too,
                 gboolean        list,
                 Span           *span)
{
  int beside = beside_too ? _er_id_find_line_beside (infos, n_lines, i) : -1;
  int below = _er_id_find_line_below (infos, n_lines, i);
  int earlier = _er_id_find_line_below_read_before (infos, i);
  int next;

  if (beside >= 0 && name_on_line (&infos[beside], list, span) &&
      !has_case (infos[beside].text, *span, (Span) { 0, 0 }, FALSE))
    return beside;

  /* Read before its label (its box reaching up beside it), and nearer. */
  if (earlier >= 0 && (below < 0 || infos[earlier].line->y < infos[below].line->y) &&
      name_on_line (&infos[earlier], list, span))
    return earlier;
  if (below < 0)
    return -1;
  if (name_on_line (&infos[below], list, span))
    return below;
  next = _er_id_find_line_below_from (infos, n_lines, i, below + 1);
  if (next >= 0 && _er_id_has_box (infos[next].line) && _er_id_has_box (infos[below].line) &&
      infos[next].line->y < infos[below].line->y && name_on_line (&infos[next], list, span))
    return next;
  return -1;
}

/* The name after label j of line i, or FALSE: on its line, else on the
 * line below. When the label shares its line with others and has no value
 * of its own, the line below is not taken: it may be another label's value
 * (columns are not told apart). A value on the line that is not a name is
 * no name: the line below is not taken instead. */
static gboolean
name_after (const LineInfo *infos,
            guint           n_lines,
            guint           i,
            guint           j,
            Value          *value)
{
  const LineInfo *info = &infos[i];
  const Label *label = &g_array_index (info->labels, Label, j);
  Span span = { label->label_end, label->value_end };
  const char *text = info->text;
  gboolean list = label->kind == LABEL_GIVEN;
  guint at = i;

  if (after_slash (text, span))
    span.start = span.end = 0;
  else
    span = trim_value (text, span, j + 1 < info->labels->len);
  if (count_alnum (text, span) < 2)
    {
      int below;

      if (info->labels->len != 1)
        return FALSE;
      below = name_line_below (infos, n_lines, i, label->kind != LABEL_FULL, list, &span);
      if (below < 0)
        return FALSE;
      at = below;
      text = infos[below].text;
    }
  else if (!is_name (text, span, list))
    return FALSE;

  value_set (value, infos, at, span);
  if (at != i)
    value->label_line = (int) i;

  /* The whole name on two lines, "CÔTÉ," then "FRANÇOIS". */
  if (label->kind == LABEL_FULL && strchr (value->text, ',') == NULL && comma_after (text, span))
    {
      int below = _er_id_find_line_below (infos, n_lines, at);
      Span given;

      if (below >= 0 && name_on_line (&infos[below], FALSE, &given)
          && memchr (infos[below].text + given.start, ',', given.end - given.start) == NULL)
        {
          g_autofree char *first = g_steal_pointer (&value->text);

          value->text = g_strdup_printf ("%s, %.*s", first, (int) (given.end - given.start),
                                         infos[below].text + given.start);
          value->lines[1] = below;
          value->n_lines = 2;
        }
    }
  return TRUE;
}

/* The first label of kind, top to bottom, that has a name. */
static gboolean
find_name (const LineInfo *infos,
           guint           n_lines,
           LabelKind       kind,
           Value          *value)
{
  for (guint i = 0; i < n_lines; i++)
    for (guint j = 0; j < infos[i].labels->len; j++)
      if (g_array_index (infos[i].labels, Label, j).kind == kind
          && name_after (infos, n_lines, i, j, value))
        return TRUE;
  return FALSE;
}

static void
add_lines (ErIdFields     *fields,
           const LineInfo *infos,
           const Value    *value,
           gboolean       *any)
{
  for (guint k = 0; k < value->n_lines; k++)
    {
      const ErIdLine *line = infos[value->lines[k]].line;

      if (!*any)
        {
          fields->name_confidence = line->confidence;
          fields->name_x = line->x;
          fields->name_y = line->y;
          fields->name_width = line->width;
          fields->name_height = line->height;
          *any = TRUE;
        }
      else
        {
          int x2 = MAX (fields->name_x + fields->name_width, line->x + line->width);
          int y2 = MAX (fields->name_y + fields->name_height, line->y + line->height);

          fields->name_confidence = MIN (fields->name_confidence, line->confidence);
          fields->name_x = MIN (fields->name_x, line->x);
          fields->name_y = MIN (fields->name_y, line->y);
          fields->name_width = x2 - fields->name_x;
          fields->name_height = y2 - fields->name_y;
        }
    }
}

/* The value's line, under its label, to read again from the label's
 * start (or the other half's, when other is not NULL and its line starts
 * further left: a label's start lost to glare) when it starts further
 * right by a fifth of its height or more (a capital's width is about
 * three quarters of it). From a third of its height above it: its box may
 * leave out the accents of its capitals. */
static void
add_recheck (ErIdFields     *fields,
             const LineInfo *infos,
             const Value    *value,
             const Value    *other)
{
  const ErIdLine *label, *line;
  ErIdRecheck *recheck;
  int right, start;

  if (value->text == NULL || value->label_line < 0 || value->n_lines != 1 ||
      fields->n_rechecks == G_N_ELEMENTS (fields->rechecks))
    return;
  label = infos[value->label_line].line;
  line = infos[value->lines[0]].line;
  if (!_er_id_has_box (label) || !_er_id_has_box (line))
    return;
  start = label->x;
  if (other != NULL && other->text != NULL && other->n_lines == 1 &&
      _er_id_has_box (infos[other->lines[0]].line))
    start = MIN (start, infos[other->lines[0]].line->x);
  if (line->x - start < line->height / 5)
    return;
  recheck = &fields->rechecks[fields->n_rechecks++];
  recheck->line = value->lines[0];
  recheck->x = MAX (start - line->height / 2, 0);
  recheck->y = MAX (line->y - line->height / 3, 0);
  right = line->x + line->width + line->height / 2;
  recheck->width = right - recheck->x;
  recheck->height = line->y + line->height + line->height / 6 - recheck->y;
}

/* ---- A name by its place, its labels lost ---- */

/* Line i's text as a name with no label: capitals (IDs print names so;
 * labels and sentences have small letters), nothing that cannot be in a
 * name, no label of its own. */
static gboolean
layout_name_line (const LineInfo *info,
                  Span           *span)
{
  Span whole = { 0, strlen (info->text) };
  g_autofree char *text = NULL;

  if (info->junk || info->labels->len > 0)
    return FALSE;
  *span = trim_value (info->text, whole, FALSE);
  if (span->end <= span->start || !is_name (info->text, *span, TRUE))
    return FALSE;
  text = g_strndup (info->text + span->start, span->end - span->start);
  drop_small_words (text);
  return !word_has_case (text, FALSE);
}

/* Whether text begins with a Canadian passport's nationality,
 * "CANADIENNE/CANADIAN", which it prints under the name, beside the birth
 * date (a stray mark before it let through). */
static gboolean
is_nationality (const char *text)
{
  /* A line of the learner's ID: wiped when it goes. */
  g_autoptr(ErSecretString) plain = g_str_to_ascii (text, "C");
  const char *p = plain;

  while (*p != '\0' && !g_ascii_isalpha (*p))
    p++;
  return g_ascii_strncasecmp (p, "CANADIEN", 8) == 0 || g_ascii_strncasecmp (p, "CANADIAN", 8) == 0;
}

/* Blur and glare took every label (printed smaller and paler than the
 * values) but the values were read: the name is then the line or two of
 * capitals just above the first date (the birth date, as IDs and
 * passports print it under the name) or a passport's nationality (when
 * the birth date beside it was not read whole), junk lines skipped: one
 * line with a comma is the whole name ("CÔTÉ, FRANÇOIS"); two, the
 * surname then the given names (the order of Canadian and French IDs and
 * passports). Never sure: er-id-read.c says so. */
static gboolean
find_name_by_layout (const LineInfo *infos,
                     guint           n_lines,
                     Value          *surname,
                     Value          *given,
                     Value          *full)
{
  int anchor = -1;  /* the first date's line, or the nationality's */
  guint found[2];
  Span spans[2];
  guint n = 0;

  for (guint i = 0; i < n_lines && anchor < 0; i++)
    {
      g_autoptr(GArray) dates = _er_id_find_dates (infos[i].text, strlen (infos[i].text));

      if (dates->len > 0 || is_nationality (infos[i].text))
        anchor = i;
    }
  for (int i = anchor - 1; i >= 0 && n < 2; i--)
    {
      Span span;

      if (infos[i].junk && infos[i].labels->len == 0)
        continue;
      if (!layout_name_line (&infos[i], &span))
        break;
      found[n] = i;
      spans[n] = span;
      n++;
      if (n == 1 && span_has_comma (infos[i].text, span))
        break;
    }
  if (n == 0)
    return FALSE;

  if (n == 2)
    {
      value_set (surname, infos, found[1], spans[1]);
      value_set (given, infos, found[0], spans[0]);
      /* "CÔTÉ," over "FRANÇOIS": the comma is not the surname's. */
      if (strchr (surname->text, ',') == NULL && strchr (given->text, ',') == NULL)
        return TRUE;
      value_clear (surname);
      value_clear (given);
      return FALSE;
    }
  /* One line: the whole name only with its comma (else the given names
   * alone, their surname lost, or a line that is no name). */
  if (!span_has_comma (infos[found[0]].text, spans[0]))
    return FALSE;
  value_set (full, infos, found[0], spans[0]);
  return TRUE;
}

/* Half a name under its label, the other label lost: the other half is
 * the line of capitals next to it, given names under the surname, or the
 * surname above the given names' label. FALSE when that line is not one
 * (a label, a date, words in small letters). */
static gboolean
complete_by_layout (const LineInfo *infos,
                    guint           n_lines,
                    Value          *surname,
                    Value          *given)
{
  gboolean want_given = given->text == NULL;
  const Value *known = want_given ? surname : given;
  Value *missing = want_given ? given : surname;
  int step = want_given ? 1 : -1;
  int i = want_given ? (int) known->lines[known->n_lines - 1] + 1 : (int) known->lines[0] - 1;

  for (; i >= 0 && i < (int) n_lines; i += step)
    {
      const LineInfo *info = &infos[i];
      g_autoptr(GArray) dates = NULL;
      Span span;

      if (info->junk && info->labels->len == 0)
        continue;
      /* The given names' own label, above them. */
      if (!want_given && info->labels->len > 0 &&
          g_array_index (info->labels, Label, 0).kind == LABEL_GIVEN)
        continue;
      dates = _er_id_find_dates (info->text, strlen (info->text));
      /* A whole name ("CÔTÉ, FRANÇOIS") is no half. */
      if (dates->len > 0 || !layout_name_line (info, &span) || span_has_comma (info->text, span))
        return FALSE;
      value_set (missing, infos, i, span);
      return TRUE;
    }
  return FALSE;
}

/* Where the value of a name label found alone on its line without one
 * should be: under it, down to the next line below in its column (or
 * three of its heights), from a little left of it to three times its
 * width. FALSE when there is no such label or no room under it. */
static gboolean
find_value_zone (const LineInfo *infos,
                 guint           n_lines,
                 LabelKind       kind,
                 ErIdFields     *fields)
{
  for (guint i = 0; i < n_lines; i++)
    {
      const ErIdLine *label = infos[i].line;
      int top, bottom;

      if (infos[i].labels->len != 1 || g_array_index (infos[i].labels, Label, 0).kind != kind ||
          !_er_id_has_box (label))
        continue;
      /* From the label's last quarter (a value's accents and tops may
       * reach up into its box) to the next line's top in its column. */
      top = label->y + label->height * 3 / 4;
      bottom = label->y + 4 * label->height;
      for (guint k = 0; k < n_lines; k++)
        {
          const ErIdLine *line = infos[k].line;

          if (k != i && _er_id_has_box (line) && line->y >= label->y + label->height + label->height / 2 &&
              MAX (label->x, line->x) < MIN (label->x + 3 * label->width, line->x + line->width))
            bottom = MIN (bottom, line->y);
        }
      if (bottom - top < label->height)
        return FALSE;
      fields->zone_x = MAX (label->x - label->height / 2, 0);
      fields->zone_y = top;
      fields->zone_width = label->x + 3 * label->width - fields->zone_x;
      fields->zone_height = bottom - top;
      fields->zone_after = i;
      return TRUE;
    }
  return FALSE;
}

/* ---- Putting it together ---- */

ErIdFields *
er_id_fields_find (GPtrArray *lines)
{
  g_autofree LineInfo *infos = NULL;
  g_auto(Value) surname = { 0 };
  g_auto(Value) given = { 0 };
  g_auto(Value) full = { 0 };
  ErIdFields *fields;
  gboolean any = FALSE;
  guint n;

  g_return_val_if_fail (lines != NULL, NULL);

  fields = g_new0 (ErIdFields, 1);
  g_date_clear (&fields->expiry, 1);
  n = lines->len;
  infos = g_new0 (LineInfo, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      infos[i].line = line;
      infos[i].text = line->text != NULL && g_utf8_validate (line->text, -1, NULL) ? line->text : "";
      infos[i].labels = _er_id_find_labels (infos[i].text, &infos[i].junk);
    }

  find_name (infos, n, LABEL_SURNAME, &surname);
  find_name (infos, n, LABEL_GIVEN, &given);
  find_name (infos, n, LABEL_FULL, &full);
  if (full.text == NULL && (surname.text == NULL) != (given.text == NULL) &&
      (surname.text == NULL || strchr (surname.text, ',') == NULL))
    {
      if (complete_by_layout (infos, n, &surname, &given))
        fields->name_unlabelled = TRUE;
      else
        find_value_zone (infos, n, surname.text == NULL ? LABEL_SURNAME : LABEL_GIVEN, fields);
    }

  if (!fields->name_unlabelled)
    {
      if (full.text == NULL)
        {
          add_recheck (fields, infos, &surname, &given);
          add_recheck (fields, infos, &given, &surname);
        }
      else if (surname.text == NULL || given.text == NULL)
        add_recheck (fields, infos, &full, NULL);
    }

  if (surname.text != NULL && given.text != NULL)
    {
      fields->surname = g_steal_pointer (&surname.text);
      fields->given_names = g_steal_pointer (&given.text);
      add_lines (fields, infos, &surname, &any);
      add_lines (fields, infos, &given, &any);
    }
  else if (full.text != NULL)
    {
      fields->name = g_steal_pointer (&full.text);
      add_lines (fields, infos, &full, &any);
    }
  else if (surname.text != NULL)
    {
      /* "Nom : CÔTÉ, FRANÇOIS" with no given-name label: the whole name. */
      if (strchr (surname.text, ',') != NULL)
        fields->name = g_steal_pointer (&surname.text);
      else
        fields->surname = g_steal_pointer (&surname.text);
      add_lines (fields, infos, &surname, &any);
    }
  else if (given.text != NULL)
    {
      fields->given_names = g_steal_pointer (&given.text);
      add_lines (fields, infos, &given, &any);
    }
  else if (find_name_by_layout (infos, n, &surname, &given, &full))
    {
      fields->name_unlabelled = TRUE;
      fields->surname = g_steal_pointer (&surname.text);
      fields->given_names = g_steal_pointer (&given.text);
      fields->name = g_steal_pointer (&full.text);
      add_lines (fields, infos, &surname, &any);
      add_lines (fields, infos, &given, &any);
      add_lines (fields, infos, &full, &any);
    }

  /* No name under a label, a whole name's label read without its value:
   * where that value should be, to read it alone. */
  if ((fields->name_unlabelled || (fields->name == NULL && fields->surname == NULL &&
                                   fields->given_names == NULL)) && fields->zone_width == 0)
    find_value_zone (infos, n, LABEL_FULL, fields);

  _er_id_find_expiry (infos, n, fields);

  for (guint i = 0; i < n; i++)
    g_array_unref (infos[i].labels);
  return fields;
}

void
er_id_fields_free (ErIdFields *fields)
{
  if (fields == NULL)
    return;
  g_free (fields->surname);
  g_free (fields->given_names);
  g_free (fields->name);
  g_free (fields);
}
