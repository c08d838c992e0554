/* er-id-date.c: the dates printed on IDs ("2026-05-28", "28 MAI /MAY 26",
 * "28.05.2026"...), read out of a line's text: a tokenizer (numbers, month
 * names in French and English, what separates them) and the day-month-year
 * orders IDs use. Split from er-id-fields.c, which finds where the dates
 * are; no state outside the call. */
#include "config.h"

#include <string.h>

#include "er-id-fields-private.h"
#include "er-name-private.h"

typedef enum {
  TOKEN_NUMBER,
  TOKEN_WORD,
} TokenType;

typedef struct {
  TokenType type;
  guint     value;   /* a number's value; a word's month, 0 if none */
  guint     digits;  /* a number's digits */
  gboolean  er;      /* the word "er" of "1er" */
  gunichar  sep;     /* what is before it: 0 nothing, ' ' spaces only, the
                      * punctuation character, '?' several */
} Token;

typedef struct {
  const char *name;
  guint       month;
} MonthName;

/* French and English, accents stripped. */
static const MonthName month_names[] = {
  { "janvier", 1 }, { "janv", 1 }, { "jan", 1 }, { "january", 1 },
  { "fevrier", 2 }, { "fevr", 2 }, { "fev", 2 }, { "feb", 2 }, { "february", 2 },
  { "mars", 3 }, { "mar", 3 }, { "march", 3 },
  { "avril", 4 }, { "avr", 4 }, { "apr", 4 }, { "april", 4 },
  { "mai", 5 }, { "may", 5 },
  { "juin", 6 }, { "jun", 6 }, { "june", 6 },
  { "juillet", 7 }, { "juil", 7 }, { "jul", 7 }, { "july", 7 },
  { "aout", 8 }, { "aou", 8 }, { "aug", 8 }, { "august", 8 },
  { "septembre", 9 }, { "sept", 9 }, { "sep", 9 }, { "september", 9 },
  { "octobre", 10 }, { "oct", 10 }, { "october", 10 },
  { "novembre", 11 }, { "nov", 11 }, { "november", 11 },
  { "decembre", 12 }, { "dec", 12 }, { "december", 12 },
};

static guint
month_of (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (strcmp (word, month_names[i].name) == 0)
      return month_names[i].month;
  return 0;
}

static gboolean
date_sep (gunichar sep)
{
  return sep == '-' || sep == '/' || sep == '.';
}

/* Tesseract reads a narrow "1" beside a digit as two numbers: "2023/1 1/04",
 * "1 6.02.2032". Two one-digit numbers, one of them 1, a space between,
 * become one where a date's separator ('-', '/', '.') is just before or
 * just after them (so "1 1 2026", a date written with spaces, stays). */
static void
join_split_ones (GArray *tokens)
{
  for (guint i = 0; i + 1 < tokens->len; i++)
    {
      Token *a = &g_array_index (tokens, Token, i);
      Token *b = &g_array_index (tokens, Token, i + 1);
      gboolean before = date_sep (a->sep);
      gboolean after = i + 2 < tokens->len && date_sep (g_array_index (tokens, Token, i + 2).sep);

      if (a->type == TOKEN_NUMBER && b->type == TOKEN_NUMBER && a->digits == 1 && b->digits == 1
          && (a->value == 1 || b->value == 1) && b->sep == ' ' && (before || after))
        {
          a->value = a->value * 10 + b->value;
          a->digits = 2;
          g_array_remove_index (tokens, i + 1);
        }
    }
}

static GArray *
tokenize (const char *text,
          gsize       len)
{
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = text;
  const char *stop = text + len;
  gunichar sep = 0;

  while (p < stop)
    {
      gunichar c = g_utf8_get_char (p);
      Token token = { 0 };

      if (g_unichar_isalpha (c) || (g_unichar_isdigit (c) && c < 0x80))
        {
          gboolean number = !g_unichar_isalpha (c);
          char word[16];
          gsize n = 0;
          gboolean too_long = FALSE;

          token.type = number ? TOKEN_NUMBER : TOKEN_WORD;
          token.sep = sep;
          while (p < stop)
            {
              c = g_utf8_get_char (p);
              if (number ? !(g_unichar_isdigit (c) && c < 0x80) : !(g_unichar_isalpha (c) || _er_id_is_mark (c)))
                break;
              if (number)
                {
                  token.digits++;
                  if (token.digits <= 4)
                    token.value = token.value * 10 + (c - '0');
                }
              else if (!_er_id_is_mark (c))
                {
                  gunichar f = _er_id_fold (c);

                  if (n + 6 < sizeof word)
                    n += g_unichar_to_utf8 (f, word + n);
                  else
                    too_long = TRUE;
                }
              p = g_utf8_next_char (p);
            }
          if (!number)
            {
              word[n] = '\0';
              token.value = too_long ? 0 : month_of (word);
              token.er = !too_long && strcmp (word, "er") == 0;
            }
          g_array_append_val (tokens, token);
          sep = 0;
          continue;
        }

      if (_er_name_is_hyphen (c))
        c = '-';
      if (g_unichar_isspace (c))
        {
          if (sep == 0)
            sep = ' ';
        }
      else if (sep == 0 || sep == ' ')
        sep = c;
      else if (sep != c)
        sep = '?';
      p = g_utf8_next_char (p);
    }
  join_split_ones (tokens);
  return tokens;
}

static gboolean
year_of (const Token *token,
         guint       *year)
{
  if (token->type != TOKEN_NUMBER)
    return FALSE;
  if (token->digits == 4 && token->value >= 1900 && token->value <= 2099)
    *year = token->value;
  else if (token->digits == 2)
    *year = token->value + (token->value < 70 ? 2000 : 1900);
  else
    return FALSE;
  return TRUE;
}

static gboolean
small_number (const Token *token)
{
  return token->type == TOKEN_NUMBER && token->digits >= 1 && token->digits <= 2;
}

static gboolean
numeric_sep (gunichar sep)
{
  return sep == '-' || sep == '/' || sep == '.' || sep == ',' || sep == ' ';
}

/* Whether two separators are the same; a comma is a dot Tesseract read
 * ("22,07.2036"). */
static gboolean
same_sep (gunichar a,
          gunichar b)
{
  return (a == ',' ? '.' : a) == (b == ',' ? '.' : b);
}

static gboolean
set_date (GDate *date,
          guint  day,
          guint  month,
          guint  year)
{
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* A month written once or twice, "MAI", "MAI /MAY", from token i. Returns
 * the tokens it took, 0 if none; a French and an English name of two
 * different months are not a month. A second name that is no month at all
 * is a misread one ("AOÛT/ATIG" for "AOÛT/AUG", "SEPT/SE P" for
 * "SEPT/SEP"): the first stands. */
static guint
month_at (const Token *t,
          guint        n,
          guint        i,
          guint       *month)
{
  if (i >= n || t[i].type != TOKEN_WORD || t[i].value == 0)
    return 0;
  *month = t[i].value;
  if (i + 1 < n && t[i + 1].type == TOKEN_WORD && (t[i + 1].sep == '/' || t[i + 1].sep == '|'))
    {
      if (t[i + 1].value == *month)
        return 2;
      if (t[i + 1].value != 0)
        return 0;
      /* Misread, and perhaps broken in two ("SEPT/SE P"). */
      return i + 2 < n && t[i + 2].type == TOKEN_WORD && t[i + 2].value == 0 && t[i + 2].sep == ' ' ? 3 : 2;
    }
  return 1;
}

/* The date at token i: its tokens, 0 if none. */
static guint
date_at (const Token *t,
         guint        n,
         guint        i,
         GDate       *date)
{
  guint year, month, k;

  /* 2026-05-28, 2026/05/28, 2026.05.28, 2026 05 28 */
  if (i + 2 < n && t[i].type == TOKEN_NUMBER && t[i].digits == 4
      && small_number (&t[i + 1]) && small_number (&t[i + 2])
      && numeric_sep (t[i + 1].sep) && same_sep (t[i + 2].sep, t[i + 1].sep))
    return year_of (&t[i], &year) && set_date (date, t[i + 2].value, t[i + 1].value, year) ? 3 : 0;

  /* A separator lost in the gap between two digits: 2030/1226
   * (Tesseract's reading of 2030/12/26), the year first; 0211/1966
   * (02/11/1966), the year last, the day first unless it cannot be (as
   * for 28/05/2026 below). Four digits, a slash or a hyphen, four digits,
   * and nothing after them that carries on a number ("2030-1226-44" is
   * no date). */
  if (i + 1 < n && t[i].type == TOKEN_NUMBER && t[i].digits == 4 && t[i + 1].type == TOKEN_NUMBER
      && t[i + 1].digits == 4 && (t[i + 1].sep == '/' || t[i + 1].sep == '-')
      && (i + 2 >= n || !numeric_sep (t[i + 2].sep) || t[i + 2].sep == ' '))
    {
      if (year_of (&t[i], &year))
        return set_date (date, t[i + 1].value % 100, t[i + 1].value / 100, year) ? 2 : 0;
      if (year_of (&t[i + 1], &year))
        return set_date (date, t[i].value / 100, t[i].value % 100, year)
               || set_date (date, t[i].value % 100, t[i].value / 100, year) ? 2 : 0;
      return 0;
    }

  /* 28/05/2026, 28.05.26; 05/28/2026 only when no month 28 */
  if (i + 2 < n && small_number (&t[i]) && small_number (&t[i + 1])
      && numeric_sep (t[i + 1].sep) && same_sep (t[i + 2].sep, t[i + 1].sep)
      && year_of (&t[i + 2], &year))
    return set_date (date, t[i].value, t[i + 1].value, year)
           || set_date (date, t[i + 1].value, t[i].value, year) ? 3 : 0;

  /* 28 MAI 2026, 28 MAY 26, 28-MAY-2026, 1er mai 2026, 28 MAI /MAY 26 */
  if (small_number (&t[i]))
    {
      guint at = i + 1;

      if (at < n && t[at].type == TOKEN_WORD && t[at].er && t[at].sep == 0 && t[i].value == 1)
        at++;
      if (at < n && (t[at].sep == 0 || numeric_sep (t[at].sep))
          && (k = month_at (t, n, at, &month)) > 0)
        {
          at += k;
          if (at < n && (t[at].sep == 0 || numeric_sep (t[at].sep) || t[at].sep == ',')
              && year_of (&t[at], &year))
            return set_date (date, t[i].value, month, year) ? at + 1 - i : 0;
        }
      return 0;
    }

  /* MAY 28, 2026 */
  if ((k = month_at (t, n, i, &month)) > 0)
    {
      guint at = i + k;

      if (at + 1 < n && small_number (&t[at]) && (t[at].sep == 0 || t[at].sep == ' ' || t[at].sep == '.')
          && t[at + 1].type == TOKEN_NUMBER && t[at + 1].digits == 4
          && (t[at + 1].sep == ' ' || t[at + 1].sep == ',')
          && year_of (&t[at + 1], &year))
        return set_date (date, t[at].value, month, year) ? at + 2 - i : 0;
    }
  return 0;
}

static GArray *find_dates (const char *text, gsize len);

static gboolean
digit_or_sep (char c)
{
  return g_ascii_isdigit (c) || c == '/' || c == '.' || c == '-';
}

/* The text without the spaces Tesseract put inside a number date, "2 03
 * 1/0 7/2 4" for "2031/07/24"; NULL when there were none. */
static char *
without_inner_spaces (const char *text,
                      gsize       len)
{
  GString *out = g_string_sized_new (len);
  gboolean removed = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      gsize next = i;

      if (text[i] == ' ' && out->len > 0 && digit_or_sep (out->str[out->len - 1]))
        {
          while (next < len && text[next] == ' ')
            next++;
          if (next < len && digit_or_sep (text[next]))
            {
              removed = TRUE;
              i = next - 1;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }
  if (!removed || strpbrk (out->str, "/.-") == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

GArray *
_er_id_find_dates (const char *text,
            gsize       len)
{
  GArray *dates = find_dates (text, len);
  g_autofree char *joined = NULL;
  g_autoptr(GArray) whole = NULL;

  /* Perhaps one whose digits Tesseract spaced out: when none was read,
   * or one made of its pieces ("203 1 -0 1 -20" is 2031-01-20, not
   * 2020-01-01 from "1 -0 1 -20"). */
  if (dates->len > 1 || (joined = without_inner_spaces (text, len)) == NULL)
    return dates;
  whole = find_dates (joined, strlen (joined));
  if (whole->len == 1 || dates->len == 0)
    {
      g_array_unref (dates);
      dates = g_steal_pointer (&whole);
    }
  return dates;
}

static GArray *
find_dates (const char *text,
            gsize       len)
{
  g_autoptr(GArray) tokens = tokenize (text, len);
  GArray *dates = g_array_new (FALSE, FALSE, sizeof (GDate));
  const Token *t = (const Token *) tokens->data;

  for (guint i = 0; i < tokens->len;)
    {
      GDate date;
      guint k;

      g_date_clear (&date, 1);
      k = date_at (t, tokens->len, i, &date);
      if (k > 0)
        {
          g_array_append_val (dates, date);
          i += k;
        }
      else
        i++;
    }
  return dates;
}

gboolean
er_id_parse_date (const char *text,
                  GDate      *date)
{
  g_autoptr(GArray) dates = NULL;

  g_return_val_if_fail (date != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  dates = _er_id_find_dates (text, strlen (text));
  if (dates->len == 0)
    return FALSE;
  *date = g_array_index (dates, GDate, 0);
  return TRUE;
}

