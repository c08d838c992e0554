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
#include "er-mrz-private.h"

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
        all = all && _er_mrz_is_filler_like (field[k]);
      if (all)
        memset (field + i, '<', length - i);
    }
  if (mode == FILLERS_TRAILING)
    {
      guint i = length;

      while (i > 0 && _er_mrz_is_filler_like (field[i - 1]))
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
            field[k] = _er_mrz_as_letter (field[k]);
          if (fields[f].type == FIELD_LETTERS)
            apply_fillers (field, fields[f].length, mode);
          break;
        case FIELD_ALNUM:
          apply_fillers (field, fields[f].length, mode);
          break;
        case FIELD_DIGITS:
          for (guint k = 0; k < fields[f].length; k++)
            field[k] = _er_mrz_as_digit (field[k]);
          break;
        case FIELD_DIGIT_OR_FILLER:
          /* A filler that ends a line is read as 'F' too ("<<<<<f2"). */
          field[0] = _er_mrz_is_filler_like (field[0]) || (mode != FILLERS_AS_READ && field[0] == 'F')
                     ? '<' : _er_mrz_as_digit (field[0]);
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

/* A document number whose check digit does not verify as read, with the
 * letter or digit an OCR confuses most ('O' and '0', 'I' and '1', 'S' and
 * '5'...) read the other way at one place, when that makes it verify. The
 * composite check digit, which covers the number too, must still verify. */
static void
fix_number (char   *field,
            gsize   length,
            char    check)
{
  if (!g_ascii_isdigit (check) || check_verifies (field, length, check))
    return;
  for (gsize i = 0; i < length; i++)
    {
      char c = field[i];
      char other = g_ascii_isdigit (c) ? _er_mrz_as_letter (c) : _er_mrz_as_digit (c);

      if (other == c)
        continue;
      field[i] = other;
      if (check_verifies (field, length, check))
        return;
      field[i] = c;
    }
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

/* Fillers misread as letters at the end of the given names: last words
 * made only of 'C', 'E' and 'K', four or more ("LUC<CECECECECE"), which
 * no given name is. */
static void
drop_filler_words (char *given)
{
  for (;;)
    {
      char *cut = strrchr (given, '<');
      char *word = cut != NULL ? cut + 1 : given;
      gsize n = strlen (word);

      if (n < 4 || strspn (word, "CEK") != n)
        return;
      /* The word and the filler before it. */
      *(cut != NULL ? cut : word) = '\0';
      if (cut == NULL)
        return;
    }
}

/* The name field (spaces as read) into surname and given names: split at the
 * first "<<", the given names ended by a second, single fillers as spaces,
 * trailing fillers (and 'K', 'C' among them, or words of them) dropped. A name that fills the field to its end (truncated by the
 * issuer) is kept as it is. FALSE when there is no surname: ICAO makes a name
 * of one part the surname, so a field that begins with "<<" lost its start. */
static gboolean
parse_name (const char  *text,
            guint        length,
            char       **surname,
            char       **given_names)
{
  GString *field = g_string_new (NULL);
  gboolean complete = _er_mrz_count_nonspace (text, -1) == length;
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
      /* A hyphen or a mark between names is a filler misread
       * ("BERUBE-<<YASMINE"): ICAO writes only letters and fillers. */
      if (g_ascii_ispunct (c))
        c = '<';
      g_string_append_c (field, _er_mrz_as_letter (c));
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
   * ends with. "NICK<<<" keeps its K, "ANNA<<K<<" and "ANNAKKKK" lose theirs.
   * A digit (one no letter is read as) is no name's either: a filler
   * misread ("YASMINE666666"). */
  suffix = field->len;
  while (suffix > 0 && (_er_mrz_is_filler_like (field->str[suffix - 1]) ||
                        g_ascii_isdigit (field->str[suffix - 1])))
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
      char *second;

      *surname = g_strndup (name, split - name);
      *given_names = g_strdup (split + 2);
      /* "<<" parts the surname from the given names, once: a second one
       * ends them (what follows is fillers misread, "<<<E<ERERE"). */
      second = strstr (*given_names, "<<");
      if (second != NULL)
        *second = '\0';
      drop_filler_words (*given_names);
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
      header[n++] = _er_mrz_as_letter (*p);
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
 * corrections of mode applied, and fix_number's if fix), or NULL and the
 * checks that passed. */
static ErMrz *
read_td3 (const char *name_text,
          const char *data_text,
          int         mode,
          gboolean    fix,
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
  if (fix)
    fix_number (data, 9, data[9]);

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

  if (!parse_header (name_text, code, state, &name_field) || code[0] != 'P')
    {
      checks->failed = "the first line has no name";
      return NULL;
    }
  /* "PCANBERUBE": the filler after the document code lost, the issuing
   * state read one character late. It is then the data line's
   * nationality (verified by its check digits) one character early. */
  if (strncmp (state, data + 10, 3) != 0 && code[1] == data[10] && strncmp (state, data + 11, 2) == 0)
    {
      code[1] = '\0';
      memcpy (state, data + 10, 3);
      name_field--;
    }
  if (!parse_name (name_field, TD3_LENGTH - 5, &surname, &given_names))
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
  end[-1] = _er_mrz_as_digit (end[-1]);
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
  g_autoptr(GArray) names = _er_mrz_td3_name_pieces (reader, s);

  for (guint i = 0; i < names->len; i++)
    {
      Piece *name = &g_array_index (names, Piece, i);
      g_autoptr(GArray) datas = _er_mrz_data_pieces (reader, name->next, TD3_LENGTH);

      if (datas->len == 0)
        _er_mrz_reader_fail (reader, 1, "its second line is missing or too short");
      for (guint j = 0; j < datas->len; j++)
        {
          Piece *data = &g_array_index (datas, Piece, j);
          g_autoptr(GPtrArray) variants = _er_mrz_length_variants (data->text, TD3_LENGTH);

          if (variants->len == 0)
            _er_mrz_reader_fail (reader, 1, "its second line is not 44 characters long");
          /* The number's confusions last: any other reading that verifies
           * is less corrected. */
          for (int fix = 0; fix < 2; fix++)
            for (guint v = 0; v < variants->len; v++)
              for (int mode = 0; mode < N_FILLER_MODES; mode++)
                {
                  Checks checks = { 0, NULL };
                  ErMrz *mrz = read_td3 (name->text, variants->pdata[v], mode, fix, &checks);

                  if (mrz != NULL)
                    {
                      set_lines (mrz, s, data->last_line);
                      return mrz;
                    }
                  _er_mrz_reader_fail (reader, 2 + checks.passed, checks.failed);
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
  g_autoptr(GArray) names = _er_mrz_td1_name_pieces (reader, second->next);

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
  g_autoptr(GArray) firsts = _er_mrz_pieces_new ();

  _er_mrz_add_data_pieces_at (reader, s, 0, TD1_LENGTH, firsts);
  for (guint i = 0; i < firsts->len; i++)
    {
      Piece *first = &g_array_index (firsts, Piece, i);
      g_autoptr(GPtrArray) variants1 = NULL;
      g_autoptr(GArray) seconds = NULL;

      variants1 = _er_mrz_length_variants (first->text, TD1_LENGTH);
      seconds = _er_mrz_data_pieces (reader, first->next, TD1_LENGTH);
      if (seconds->len == 0)
        _er_mrz_reader_fail (reader, 1, "its second line is missing or too short");

      for (guint j = 0; j < seconds->len; j++)
        {
          Piece *second = &g_array_index (seconds, Piece, j);
          g_autoptr(GPtrArray) variants2 = _er_mrz_length_variants (second->text, TD1_LENGTH);

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
                  if (strchr ("IAC", _er_mrz_as_letter (line1[0])) == NULL)
                    continue;
                  number = check_td1 (line1, line2, mode, &birth, &expiry, &checks);
                  if (number == NULL)
                    {
                      _er_mrz_reader_fail (reader, 2 + checks.passed, checks.failed);
                      continue;
                    }
                  mrz = td1_with_name (reader, s, second, line1, number, &birth, &expiry, line2);
                  if (mrz != NULL)
                    return mrz;
                  _er_mrz_reader_fail (reader, 2 + checks.passed, "its third line, the name, is missing");
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
      reader.clean[i] = _er_mrz_clean_line (lines[i]);
      mrz_like = mrz_like || _er_mrz_looks_like (lines[i]);
    }

  for (guint s = 0; s < n_lines && mrz == NULL; s++)
    {
      const char *line = reader.clean[s];

      /* No check digit covers a TD3's name line: its first line must at
       * least look like one, with a filler ("P<CAN"; "PASSPORT" or
       * "P CAN AB123456" are the page's text, even before a split name),
       * or after one stray character (er-mrz-lines.c). */
      if ((line[0] == 'P' || (line[0] != '\0' && line[1] == 'P')) && strchr (line, '<') != NULL &&
          _er_mrz_count_nonspace (line, -1) >= 5)
        mrz = find_td3 (&reader, s);
      if (mrz == NULL && line[0] != '\0' && strchr ("IAC", _er_mrz_as_letter (line[0])) != NULL
          && _er_mrz_count_nonspace (line, -1) >= 5)
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
