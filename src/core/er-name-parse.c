/* er-name-parse.c: a name cut into words at spaces, hyphens and apostrophes
 * (what joins two words is kept, to compare it too), each word into letters
 * with their accents (a base character and its combining marks, in
 * canonical order). A comma with letters on both sides makes a
 * surname-first form, "TREMBLAY, MARIE": its words are also kept given
 * names first. "St", "St.", "Ste", "Ste." stand for "Saint", "Sainte". */
#include "config.h"

#include "er-name-private.h"

#include <string.h>

gboolean
_er_name_is_hyphen (gunichar c)
{
  /* hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash */
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013;
}

gboolean
_er_name_is_apostrophe (gunichar c)
{
  /* ' ’ ‘ ʼ ´ ` ′: what keyboards, word processors and ID printers use */
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == '`'
         || c == 0x2032;
}

ErNameChar
er_name_classify (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  if (g_unichar_isspace (c) || type == G_UNICODE_SPACE_SEPARATOR)
    return CHAR_SPACE;
  if (_er_name_is_hyphen (c))
    return CHAR_HYPHEN;
  if (_er_name_is_apostrophe (c))
    return CHAR_APOSTROPHE;
  if (c == ',')
    return CHAR_COMMA;
  if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
      || type == G_UNICODE_ENCLOSING_MARK)
    return CHAR_MARK;
  return CHAR_LETTER;
}

static gboolean
is_separator (ErNameChar class)
{
  return class != CHAR_LETTER && class != CHAR_MARK;
}

static void
letter_clear (gpointer data)
{
  ErNameLetter *letter = data;

  g_free (letter->base);
  g_free (letter->key);
  g_free (letter->marks);
}

static void
letter_init (ErNameLetter     *letter,
             const char *text,
             guint       start,
             guint       end)
{
  g_autofree char *nfd = g_utf8_normalize (text + start, end - start, G_NORMALIZE_NFD);
  g_autoptr(GString) base = g_string_new (NULL);
  g_autoptr(GString) marks = g_string_new (NULL);

  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (marks, c);
      else
        g_string_append_unichar (base, c);
    }
  /* A mark alone (at the start of a word) is a letter of its own. */
  if (base->len == 0)
    {
      g_string_assign (base, marks->str);
      g_string_truncate (marks, 0);
    }

  letter->start = start;
  letter->end = end;
  letter->key = g_utf8_strdown (base->str, -1);
  letter->base = g_string_free (g_steal_pointer (&base), FALSE);
  letter->marks = g_string_free (g_steal_pointer (&marks), FALSE);
}

static void
word_free (gpointer data)
{
  ErNameWord *word = data;

  g_array_unref (word->letters);
  g_free (word->key);
  g_free (word->saint);
  g_free (word);
}

static ErNameWord *
word_new (const char *text,
          guint       start,
          guint       end)
{
  ErNameWord *word = g_new0 (ErNameWord, 1);
  g_autoptr(GString) key = g_string_new (NULL);
  const char *p = text + start;
  const char *stop = text + end;

  word->start = start;
  word->end = end;
  word->letters = g_array_new (FALSE, TRUE, sizeof (ErNameLetter));
  g_array_set_clear_func (word->letters, letter_clear);

  while (p < stop)
    {
      const char *q = g_utf8_next_char (p);
      ErNameLetter letter;

      while (q < stop && er_name_classify (g_utf8_get_char (q)) == CHAR_MARK)
        q = g_utf8_next_char (q);
      letter_init (&letter, text, p - text, q - text);
      g_string_append (key, letter.key);
      g_array_append_val (word->letters, letter);
      p = q;
    }

  /* St, St., Ste, Ste. stand for Saint and Sainte. */
  {
    gsize len = key->len;

    if (len > 0 && key->str[len - 1] == '.')
      len--;
    if ((len == 2 && strncmp (key->str, "st", 2) == 0)
        || (len == 5 && strncmp (key->str, "saint", 5) == 0))
      {
        word->saint = g_strdup (key->str);
        g_string_assign (key, "saint");
      }
    else if ((len == 3 && strncmp (key->str, "ste", 3) == 0)
             || (len == 6 && strncmp (key->str, "sainte", 6) == 0))
      {
        word->saint = g_strdup (key->str);
        g_string_assign (key, "sainte");
      }
  }

  word->key = g_string_free (g_steal_pointer (&key), FALSE);
  return word;
}

/* The comma of a surname-first form: the first comma, with letters before
 * and after it; -1 if there is none. */
static int
find_form_comma (const char *text)
{
  const char *comma = strchr (text, ',');
  gboolean before = FALSE;

  if (comma == NULL)
    return -1;
  for (const char *p = text; p < comma; p = g_utf8_next_char (p))
    before = before || !is_separator (er_name_classify (g_utf8_get_char (p)));
  if (!before)
    return -1;
  for (const char *p = comma + 1; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_separator (er_name_classify (g_utf8_get_char (p))))
      return comma - text;
  return -1;
}

typedef struct {
  int      start;     /* -1: no run */
  gboolean hyphen;
  gboolean apostrophe;
  gboolean comma;
  gboolean form_comma;
} Run;

static ErNameSep
run_class (const Run *run)
{
  if (run->form_comma)
    return SEP_ANY;
  if (run->comma)
    return SEP_OTHER;
  if (run->apostrophe)
    return SEP_APOSTROPHE;
  if (run->hyphen)
    return SEP_HYPHEN;
  return SEP_SPACE;
}

void
er_name_parsed_clear (ErNameParsed *name)
{
  g_clear_pointer (&name->words, g_ptr_array_unref);
  g_clear_pointer (&name->written, g_array_unref);
  g_clear_pointer (&name->ordered, g_array_unref);
  g_clear_pointer (&name->comma_run, g_free);
  g_clear_pointer (&name->lead, g_free);
  g_clear_pointer (&name->trail, g_free);
}

void
er_name_parse (ErNameParsed *name,
               const char   *text)
{
  int form_comma = find_form_comma (text);
  Run run = { 0, };
  int word_start = -1;
  const char *p;

  name->text = text;
  name->words = g_ptr_array_new_with_free_func (word_free);
  name->written = g_array_new (FALSE, TRUE, sizeof (ErNameSlot));
  name->ordered = g_array_new (FALSE, TRUE, sizeof (ErNameSlot));
  name->comma_form = form_comma >= 0;
  name->comma = MAX (form_comma, 0);

  for (p = text; ; p = g_utf8_next_char (p))
    {
      guint at = p - text;
      ErNameChar class = *p == '\0' ? CHAR_SPACE : er_name_classify (g_utf8_get_char (p));

      if (!is_separator (class))
        {
          if (word_start < 0)
            {
              ErNameSlot slot = { NULL, SEP_NONE, at, at };

              if (name->words->len == 0)
                name->lead = g_strndup (text, at);
              else
                {
                  slot.sep = run_class (&run);
                  slot.sep_start = run.start;
                }
              if (run.form_comma)
                name->comma_run = g_strndup (text + run.start, at - run.start);
              g_array_append_val (name->written, slot);
              word_start = at;
              run = (Run) { -1, };
            }
        }
      else
        {
          if (word_start >= 0)
            {
              g_ptr_array_add (name->words, word_new (text, word_start, at));
              word_start = -1;
              run = (Run) { at, };
            }
          else if (run.start < 0)
            run = (Run) { at, };
          run.hyphen |= class == CHAR_HYPHEN;
          run.apostrophe |= class == CHAR_APOSTROPHE;
          run.comma |= class == CHAR_COMMA;
          run.form_comma |= class == CHAR_COMMA && (int) at == form_comma;
        }
      if (*p == '\0')
        break;
    }
  name->trail = name->words->len > 0 ? g_strdup (text + run.start) : g_strdup ("");
  if (name->lead == NULL)
    name->lead = g_strdup (text);

  for (guint i = 0; i < name->written->len; i++)
    g_array_index (name->written, ErNameSlot, i).word = g_ptr_array_index (name->words, i);

  /* Given names first: the words after the comma, then those before it. */
  if (name->comma_form)
    {
      guint n_surname = 0;

      while (n_surname < name->words->len
             && ((ErNameWord *) g_ptr_array_index (name->words, n_surname))->start < name->comma)
        n_surname++;
      g_array_append_vals (name->ordered, &g_array_index (name->written, ErNameSlot, n_surname),
                           name->written->len - n_surname);
      g_array_append_vals (name->ordered, name->written->data, n_surname);
      g_array_index (name->ordered, ErNameSlot, 0).sep = SEP_NONE;
      g_array_index (name->ordered, ErNameSlot, name->written->len - n_surname).sep = SEP_ANY;
    }
  else
    g_array_append_vals (name->ordered, name->written->data, name->written->len);
}
