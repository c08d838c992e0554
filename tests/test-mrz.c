/* test-mrz.c: the machine-readable zone (ICAO 9303 TD3 and TD1) found among
 * the lines an OCR read, its check digits verified.
 *
 * The specimens are ICAO's own (Doc 9303 Part 4 and 5, "UTO", Anna Maria
 * Eriksson); the other MRZs are synthetic, built here with a check digit
 * computed independently of the one under test. */
#include <string.h>

#include <gio/gio.h>

#include "er-mrz.h"

#define TD3_NAME "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_DATA "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD1_LINE1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define TD1_LINE2 "7408122F1204159UTO<<<<<<<<<<<6"
#define TD1_NAME "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"

/* Helpers */

/* ICAO 9303 Part 3, 4.9, written again here so that the synthetic MRZs do
 * not depend on the code under test. */
static char
icao_check (const char *s)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  for (int i = 0; s[i] != '\0'; i++)
    {
      int v = g_ascii_isdigit (s[i]) ? s[i] - '0' : g_ascii_isupper (s[i]) ? s[i] - 'A' + 10 : 0;

      sum += v * weights[i % 3];
    }
  return '0' + sum % 10;
}

/* s padded with fillers (or cut) to length. */
static char *
pad (const char *s,
     guint       length)
{
  GString *out = g_string_new_len (s, MIN (strlen (s), length));

  while (out->len < length)
    g_string_append_c (out, '<');
  return g_string_free (out, FALSE);
}

/* A TD3 name line: "P<", the state, the name field ("COTE<<FRANCOIS"). */
static char *
td3_name (const char *state,
          const char *name)
{
  g_autofree char *s = pad (state, 3);
  g_autofree char *n = pad (name, 39);

  return g_strconcat ("P<", s, n, NULL);
}

/* A TD3 data line with every check digit right. */
static char *
td3_data (const char *number,
          const char *nationality,
          const char *birth,
          char        sex,
          const char *expiry,
          const char *personal)
{
  g_autofree char *n = pad (number, 9);
  g_autofree char *p = pad (personal, 14);
  g_autofree char *nat = pad (nationality, 3);
  GString *line = g_string_new (NULL);
  g_autoptr(GString) composite = g_string_new (NULL);

  g_string_append_printf (line, "%s%c%s%s%c%c%s%c%s", n, icao_check (n), nat,
                          birth, icao_check (birth), sex, expiry, icao_check (expiry), p);
  g_string_append_c (line, strspn (p, "<") == 14 ? '<' : icao_check (p));
  g_string_append_len (composite, line->str, 10);
  g_string_append_len (composite, line->str + 13, 7);
  g_string_append_len (composite, line->str + 21, 22);
  g_string_append_c (line, icao_check (composite->str));
  g_assert_cmpuint (line->len, ==, 44);
  return g_string_free (line, FALSE);
}

/* A TD1's two data lines (line1, line2) with every check digit right; number
 * longer than 9 goes on in the optional data, as ICAO says. */
static void
td1_data (const char *code,
          const char *state,
          const char *number,
          const char *optional1,
          const char *birth,
          char        sex,
          const char *expiry,
          const char *nationality,
          const char *optional2,
          char      **line1,
          char      **line2)
{
  g_autofree char *c = pad (code, 2);
  g_autofree char *s = pad (state, 3);
  g_autofree char *nat = pad (nationality, 3);
  g_autofree char *o2 = pad (optional2, 11);
  g_autofree char *o1 = NULL;
  g_autofree char *n = NULL;
  char check = icao_check (number);
  GString *l1 = g_string_new (NULL);
  GString *l2 = g_string_new (NULL);
  g_autoptr(GString) composite = g_string_new (NULL);

  if (strlen (number) <= 9)
    {
      n = pad (number, 9);
      o1 = pad (optional1, 15);
      g_string_append_printf (l1, "%s%s%s%c%s", c, s, n, icao_check (n), o1);
    }
  else
    {
      g_autofree char *rest = g_strdup_printf ("%s%c<%s", number + 9, check, optional1);

      o1 = pad (rest, 15);
      g_string_append_printf (l1, "%s%s%.9s<%s", c, s, number, o1);
    }
  g_string_append_printf (l2, "%s%c%c%s%c%s%s", birth, icao_check (birth), sex,
                          expiry, icao_check (expiry), nat, o2);
  g_string_append_len (composite, l1->str + 5, 25);
  g_string_append_len (composite, l2->str, 7);
  g_string_append_len (composite, l2->str + 8, 7);
  g_string_append_len (composite, l2->str + 18, 11);
  g_string_append_c (l2, icao_check (composite->str));
  g_assert_cmpuint (l1->len, ==, 30);
  g_assert_cmpuint (l2->len, ==, 30);
  *line1 = g_string_free (l1, FALSE);
  *line2 = g_string_free (l2, FALSE);
}

/* s with its character at i replaced by c. */
static char *
with_char (const char *s,
           gsize       i,
           char        c)
{
  char *out = g_strdup (s);

  g_assert_cmpuint (i, <, strlen (out));
  out[i] = c;
  return out;
}

/* Every occurrence of from in s replaced by to. */
static char *
replace (const char *s,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (s, from, -1);

  return g_strjoinv (to, parts);
}

/* er_mrz_find on the NULL-terminated lines given. */
static ErMrz *
find_v (GError    **error,
        const char *first,
        va_list     args)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  for (const char *line = first; line != NULL; line = va_arg (args, const char *))
    g_ptr_array_add (lines, (gpointer) line);
  return er_mrz_find ((const char * const *) lines->pdata, lines->len, error);
}

/* An MRZ that must be found. */
G_GNUC_NULL_TERMINATED static ErMrz *
find (const char *first,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;
  ErMrz *mrz;

  va_start (args, first);
  mrz = find_v (&error, first, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_nonnull (mrz);
  return mrz;
}

/* An MRZ found that does not verify: the error, which must mention what. */
G_GNUC_NULL_TERMINATED static void
find_fails (const char *what,
            const char *first,
            ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  va_list args;

  va_start (args, first);
  mrz = find_v (&error, first, args);
  va_end (args);
  g_assert_null (mrz);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("error: %s", error->message);
  if (strstr (error->message, what) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, what);
}

/* No MRZ there: NULL, no error. */
G_GNUC_NULL_TERMINATED static void
find_none (const char *first,
           ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  va_list args;

  va_start (args, first);
  mrz = find_v (&error, first, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_null (mrz);
}

static void
assert_date (const GDate *date,
             int          year,
             int          month,
             int          day)
{
  g_assert_true (g_date_valid (date));
  g_assert_cmpint (g_date_get_year (date), ==, year);
  g_assert_cmpint (g_date_get_month (date), ==, month);
  g_assert_cmpint (g_date_get_day (date), ==, day);
}

static void
assert_name (const ErMrz *mrz,
             const char  *surname,
             const char  *given_names)
{
  g_assert_cmpstr (mrz->surname, ==, surname);
  g_assert_cmpstr (mrz->given_names, ==, given_names);
}

/* The specimen TD3's fields, wherever it was found. */
static void
assert_td3_specimen (const ErMrz *mrz)
{
  g_assert_cmpint (mrz->format, ==, ER_MRZ_TD3);
  g_assert_cmpstr (mrz->document_code, ==, "P");
  g_assert_cmpstr (mrz->issuing_state, ==, "UTO");
  assert_name (mrz, "ERIKSSON", "ANNA MARIA");
  g_assert_cmpstr (mrz->document_number, ==, "L898902C3");
  g_assert_cmpstr (mrz->nationality, ==, "UTO");
  assert_date (&mrz->birth, 1974, 8, 12);
  assert_date (&mrz->expiry, 2012, 4, 15);
  g_assert_cmpint (mrz->sex, ==, 'F');
}

static void
assert_td1_specimen (const ErMrz *mrz)
{
  g_assert_cmpint (mrz->format, ==, ER_MRZ_TD1);
  g_assert_cmpstr (mrz->document_code, ==, "I");
  g_assert_cmpstr (mrz->issuing_state, ==, "UTO");
  assert_name (mrz, "ERIKSSON", "ANNA MARIA");
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_cmpstr (mrz->nationality, ==, "UTO");
  assert_date (&mrz->birth, 1974, 8, 12);
  assert_date (&mrz->expiry, 2012, 4, 15);
  g_assert_cmpint (mrz->sex, ==, 'F');
}

static void
assert_lines (const ErMrz *mrz,
              guint        first,
              guint        n)
{
  g_assert_cmpuint (mrz->first_line, ==, first);
  g_assert_cmpuint (mrz->n_lines, ==, n);
}

/* Check digits */

/* ICAO's worked examples (Doc 9303 Part 3, 4.9; the specimens of Parts 4
 * and 5). */
static void
test_check_digit_icao (void)
{
  g_assert_cmpint (er_mrz_check_digit ("520727", -1), ==, 3);
  g_assert_cmpint (er_mrz_check_digit ("AB2134<<<", -1), ==, 5);
  g_assert_cmpint (er_mrz_check_digit ("L898902C3", -1), ==, 6);
  g_assert_cmpint (er_mrz_check_digit ("740812", -1), ==, 2);
  g_assert_cmpint (er_mrz_check_digit ("120415", -1), ==, 9);
  g_assert_cmpint (er_mrz_check_digit ("ZE184226B<<<<<", -1), ==, 1);
  g_assert_cmpint (er_mrz_check_digit ("D23145890", -1), ==, 7);
  /* The specimens' composites. */
  g_assert_cmpint (er_mrz_check_digit ("L898902C36" "7408122" "1204159ZE184226B<<<<<1", -1), ==, 0);
  g_assert_cmpint (er_mrz_check_digit ("D231458907<<<<<<<<<<<<<<<" "7408122" "1204159" "<<<<<<<<<<<",
                                       -1), ==, 6);
}

static void
test_check_digit_values (void)
{
  /* '<' is 0, A is 10, Z is 35; the weights 7, 3, 1 repeat. */
  g_assert_cmpint (er_mrz_check_digit ("<<<<<<<<<", -1), ==, 0);
  g_assert_cmpint (er_mrz_check_digit ("A", -1), ==, 0);   /* 70 */
  g_assert_cmpint (er_mrz_check_digit ("Z", -1), ==, 5);   /* 245 */
  g_assert_cmpint (er_mrz_check_digit ("<Z", -1), ==, 5);  /* 105 */
  g_assert_cmpint (er_mrz_check_digit ("<<Z", -1), ==, 5); /* 35 */
  g_assert_cmpint (er_mrz_check_digit ("<<<1", -1), ==, 7);
  g_assert_cmpint (er_mrz_check_digit ("", -1), ==, 0);
  /* A length counts that many characters. */
  g_assert_cmpint (er_mrz_check_digit ("7408122F", 6), ==, 2);
  g_assert_cmpint (er_mrz_check_digit (NULL, 0), ==, 0);
}

/* The specimens */

static void
test_td3_specimen (void)
{
  g_autoptr(ErMrz) mrz = find (TD3_NAME, TD3_DATA, NULL);

  assert_td3_specimen (mrz);
  assert_lines (mrz, 0, 2);
}

static void
test_td1_specimen (void)
{
  g_autoptr(ErMrz) mrz = find (TD1_LINE1, TD1_LINE2, TD1_NAME, NULL);

  assert_td1_specimen (mrz);
  assert_lines (mrz, 0, 3);
}

/* A Canadian passport: the names as the issuer transliterates them (CÔTÉ →
 * COTE, ST-PIERRE → ST<PIERRE, D'AMOUR → DAMOUR), read back. */
static void
test_td3_canadian (void)
{
  g_autofree char *name = td3_name ("CAN", "COTE<<FRANCOIS<XAVIER");
  g_autofree char *data = td3_data ("AB123456", "CAN", "850301", 'M', "310915", "");
  g_autofree char *name2 = td3_name ("CAN", "ST<PIERRE<DAMOUR<<MARIE<EVE");
  g_autofree char *data2 = td3_data ("GK904213", "CAN", "021130", 'F', "290101", "");
  g_autoptr(ErMrz) mrz = find (name, data, NULL);
  g_autoptr(ErMrz) mrz2 = find (name2, data2, NULL);

  g_assert_cmpstr (mrz->document_code, ==, "P");
  g_assert_cmpstr (mrz->issuing_state, ==, "CAN");
  g_assert_cmpstr (mrz->nationality, ==, "CAN");
  assert_name (mrz, "COTE", "FRANCOIS XAVIER");
  g_assert_cmpstr (mrz->document_number, ==, "AB123456");
  assert_date (&mrz->birth, 1985, 3, 1);
  assert_date (&mrz->expiry, 2031, 9, 15);
  g_assert_cmpint (mrz->sex, ==, 'M');

  assert_name (mrz2, "ST PIERRE DAMOUR", "MARIE EVE");
  g_assert_cmpstr (mrz2->document_number, ==, "GK904213");
  assert_date (&mrz2->birth, 2002, 11, 30);
  g_assert_cmpint (mrz2->sex, ==, 'F');
}

/* Other codes, states, a missing sex, a personal number, its check digit 0
 * when it is empty, a state of one letter. */
static void
test_td3_fields (void)
{
  g_autofree char *name = td3_name ("D", "MUSTERMANN<<ERIKA");
  g_autofree char *data = td3_data ("C01X00T47", "D", "640812", '<', "270101", "");
  g_autofree char *zero = with_char (data, 42, '0');
  g_autofree char *data_p = td3_data ("C01X00T47", "D", "640812", 'M', "270101", "K1234567");
  g_autoptr(ErMrz) mrz = NULL;
  g_autoptr(ErMrz) with_zero = NULL;
  g_autoptr(ErMrz) with_personal = NULL;

  g_assert_cmpint (data[42], ==, '<');
  mrz = find (name, data, NULL);
  g_assert_cmpstr (mrz->issuing_state, ==, "D");
  g_assert_cmpstr (mrz->nationality, ==, "D");
  g_assert_cmpint (mrz->sex, ==, 'X');
  assert_name (mrz, "MUSTERMANN", "ERIKA");
  g_assert_cmpstr (mrz->document_number, ==, "C01X00T47");

  /* The composite covers position 42: recompute it for the '0'. */
  zero[43] = '0';
  {
    g_autoptr(GString) composite = g_string_new (NULL);

    g_string_append_len (composite, zero, 10);
    g_string_append_len (composite, zero + 13, 7);
    g_string_append_len (composite, zero + 21, 22);
    zero[43] = icao_check (composite->str);
  }
  with_zero = find (name, zero, NULL);
  g_assert_cmpstr (with_zero->document_number, ==, "C01X00T47");

  /* A 'K' that is a real letter stays one. */
  with_personal = find (name, data_p, NULL);
  g_assert_cmpint (with_personal->sex, ==, 'M');
}

/* A name longer than the field is cut by the issuer: kept as it is. A name
 * with no given names. */
static void
test_td3_names (void)
{
  g_autofree char *long_name = td3_name ("CAN", "BARTHOLOMEW<FITZWILLIAMS<<ALEXANDRA<FRANCOISE");
  g_autofree char *surname_only = td3_name ("CAN", "NGUYEN");
  g_autofree char *data = td3_data ("AB123456", "CAN", "850301", 'M', "310915", "");
  g_autoptr(ErMrz) mrz = find (long_name, data, NULL);
  g_autoptr(ErMrz) mrz2 = find (surname_only, data, NULL);

  g_assert_cmpuint (strlen (long_name), ==, 44);
  assert_name (mrz, "BARTHOLOMEW FITZWILLIAMS", "ALEXANDRA FRA");
  assert_name (mrz2, "NGUYEN", "");
}

/* TD1 with a document number longer than nine characters (ICAO 9303 Part
 * 5: '<' in its check digit's place, the rest and the check digit in the
 * optional data). */
static void
test_td1_long_number (void)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(ErMrz) mrz = NULL;

  td1_data ("I", "UTO", "D23145890123", "", "740812", 'F', "120415", "UTO", "",
            &line1, &line2);
  g_assert_cmpstr (line1, ==, "I<UTOD23145890<1233<<<<<<<<<<<");
  mrz = find (line1, line2, TD1_NAME, NULL);
  g_assert_cmpstr (mrz->document_number, ==, "D23145890123");
  assert_name (mrz, "ERIKSSON", "ANNA MARIA");

  /* Its check digit wrong: the composite is made right, the number is not. */
  bad = with_char (line1, 18, '4');
  {
    g_autoptr(GString) composite = g_string_new (NULL);
    g_autofree char *line2_bad = g_strdup (line2);

    g_string_append_len (composite, bad + 5, 25);
    g_string_append_len (composite, line2, 7);
    g_string_append_len (composite, line2 + 8, 7);
    g_string_append_len (composite, line2 + 18, 11);
    line2_bad[29] = icao_check (composite->str);
    find_fails ("document number", bad, line2_bad, TD1_NAME, NULL);
  }
}

/* A TD1 from another code and state, with optional data on both lines. */
static void
test_td1_fields (void)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autoptr(ErMrz) mrz = NULL;

  td1_data ("ID", "FRA", "X4RTBPFW4", "ABC123", "900102", 'M', "330101", "FRA", "XY12",
            &line1, &line2);
  mrz = find (line1, line2, "DUPONT<<JEAN<PIERRE<<<<<<<<<<<", NULL);
  g_assert_cmpstr (mrz->document_code, ==, "ID");
  g_assert_cmpstr (mrz->issuing_state, ==, "FRA");
  g_assert_cmpstr (mrz->document_number, ==, "X4RTBPFW4");
  g_assert_cmpstr (mrz->nationality, ==, "FRA");
  assert_name (mrz, "DUPONT", "JEAN PIERRE");
  assert_date (&mrz->birth, 1990, 1, 2);
  assert_date (&mrz->expiry, 2033, 1, 1);
}

/* What an OCR does to fillers */

/* Fillers read as 'K' or 'C' in filler runs. */
static void
test_fillers_k (void)
{
  g_autoptr(ErMrz) name_k = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<<KK<<<<<K<<CK<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) name_all_k = find ("P<UTOERIKSSON<<ANNA<MARIAKKKKKKKKKKKKKKKKKKK", TD3_DATA, NULL);
  g_autoptr(ErMrz) data_k = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<K<<K10", NULL);
  g_autoptr(ErMrz) data_all_k = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226BKKKKK10", NULL);
  g_autoptr(ErMrz) td1_k = find ("I<UTOD231458907<<<KKK<<<<<C<<<",
                                 "7408122F1204159UTO<<<K<<<<<<<6",
                                 "ERIKSSON<<ANNA<MARIA<<<<K<<<<<", NULL);
  g_autoptr(ErMrz) td1_all_k = find ("I<UTOD231458907KKKKKKKKKKKKKKK",
                                     "7408122F1204159UTOKKKKKKKKKKK6", TD1_NAME, NULL);
  g_autofree char *nick = td3_name ("CAN", "NICK<<ERIC");
  g_autofree char *nick_data = td3_data ("AB123456", "CAN", "850301", 'M', "310915", "");
  g_autofree char *nick_k = replace (nick, "ERIC<<<<", "ERICK<KK");
  g_autoptr(ErMrz) kept = find (nick_k, nick_data, NULL);

  assert_td3_specimen (name_k);
  assert_td3_specimen (name_all_k);
  assert_td3_specimen (data_k);
  assert_td3_specimen (data_all_k);
  assert_td1_specimen (td1_k);
  assert_td1_specimen (td1_all_k);
  /* A K or C that ends a name before the fillers is a letter. */
  assert_name (kept, "NICK", "ERICK");
}

/* '«' for "<<", '‹' and '(' for '<'. */
static void
test_fillers_guillemets (void)
{
  g_autoptr(ErMrz) mrz = find ("P<UTOERIKSSON«ANNA‹MARIA«««««««««<", TD3_DATA, NULL);
  g_autoptr(ErMrz) mrz2 = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B««(‹10", NULL);
  g_autoptr(ErMrz) mrz3 = find ("I‹UTOD231458907«««««««<", TD1_LINE2,
                                "ERIKSSON«ANNA(MARIA«««««", NULL);
  /* '«' counted as two where it stood for one or three. */
  g_autoptr(ErMrz) mrz4 = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B«««10", NULL);
  g_autoptr(ErMrz) mrz5 = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B««10", NULL);

  assert_td3_specimen (mrz);
  assert_td3_specimen (mrz2);
  assert_td1_specimen (mrz3);
  assert_td3_specimen (mrz4);
  assert_td3_specimen (mrz5);
}

/* Spaces: stray ones inside lines, and gaps where fillers were. */
static void
test_fillers_spaces (void)
{
  g_autoptr(ErMrz) stray = find ("P<UTO ERIKSSON<<ANNA<MARIA <<<<<<<<< <<<<<<<<<<",
                                 "L898902C36 UTO7408122F 1204159ZE184226B<<<<<10", NULL);
  g_autoptr(ErMrz) gap = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B 10", NULL);
  g_autoptr(ErMrz) gaps = find (TD3_NAME, "L898902C36 UTO7408122F1204159ZE184226B 10", NULL);
  g_autoptr(ErMrz) name_gaps = find ("P<UTOERIKSSON <<ANNA<MARIA", TD3_DATA, NULL);
  g_autoptr(ErMrz) td1 = find ("I<UTOD231458907", "7408122F1204159UTO 6",
                               "ERIKSSON<< ANNA<MARIA", NULL);
  g_autoptr(ErMrz) words = find ("P<UTOERIKSSON ANNA MARIA", TD3_DATA, NULL);
  /* A name line short of a filler or two: its fillers were read as such, so
   * a space between letters is a stray one. */
  g_autoptr(ErMrz) stray_short = find ("P<UTOERIKSSON<<AN NA<MAR IA<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) td1_stray = find (TD1_LINE1, TD1_LINE2, "ERIKSSON<<ANNA<MAR IA<<<<<", "KK", NULL);
  g_autoptr(ErMrz) tabs = find ("\tP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< ",
                                TD3_DATA "\u00a0", NULL);

  assert_td3_specimen (stray);
  assert_td3_specimen (gap);
  assert_td3_specimen (gaps);
  assert_td3_specimen (name_gaps);
  assert_td1_specimen (td1);
  assert_td3_specimen (tabs);
  /* Where a gap stands for "<<" or "<" cannot be told: one filler, so the
   * name is never split where it was not. */
  assert_name (words, "ERIKSSON ANNA MARIA", "");
  assert_td3_specimen (stray_short);
  assert_td1_specimen (td1_stray);
}

/* A filler run read a character or two too long or too short; a long one
 * (a passport without a personal number) read much shorter. */
static void
test_fillers_miscounted (void)
{
  g_autoptr(ErMrz) shorter = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<<<10", NULL);
  g_autofree char *none_name = td3_name ("CAN", "LAVOIE<<LAURENCE");
  g_autofree char *none_data = td3_data ("DW277364", "CAN", "731202", 'M', "251110", "");
  g_autoptr(GString) none_short = g_string_new (none_data);
  g_autoptr(ErMrz) much_shorter = NULL;
  g_autoptr(ErMrz) longer = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<<<<<<<10", NULL);
  g_autoptr(ErMrz) name_longer = find (TD3_NAME "<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) name_shorter = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) td1 = find ("I<UTOD231458907<<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<6",
                               TD1_NAME, NULL);
  g_autoptr(ErMrz) lost_at_end = find ("I<UTOD231458907<<<<<<", TD1_LINE2, TD1_NAME, NULL);

  /* Eight of its fifteen fillers lost. */
  g_assert_true (g_str_has_suffix (none_data, "<<<<<<<<<<<<<<<2"));
  g_string_erase (none_short, 28, 8);
  much_shorter = find (none_name, none_short->str, NULL);
  g_assert_nonnull (much_shorter);
  g_assert_cmpstr (much_shorter->surname, ==, "LAVOIE");
  g_assert_cmpstr (much_shorter->document_number, ==, "DW277364");
  g_assert_cmpint (g_date_get_year (&much_shorter->expiry), ==, 2025);

  assert_td3_specimen (shorter);
  assert_td3_specimen (longer);
  assert_td3_specimen (name_longer);
  assert_td3_specimen (name_shorter);
  assert_td1_specimen (td1);
  assert_td1_specimen (lost_at_end);
}

/* The fillers at the end of the name line misread as letters (as on
 * blurred photos: "<<<<e<erereeec ee", "LUC<cececece"), and a character of
 * the data line read twice ("<O0" for "<0"). */
static void
test_fillers_misread (void)
{
  g_autoptr(ErMrz) run = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<e<erereeec ee", TD3_DATA, NULL);
  g_autoptr(ErMrz) letters = find ("P<UTOERIKSSON<<ANNA<MARIA<LLC<<<<<<<<<eLe eee", TD3_DATA, NULL);
  g_autoptr(ErMrz) word = find ("P<UTOERIKSSON<<ANNA<MARIA<cecececececececece", TD3_DATA, NULL);
  g_autoptr(ErMrz) twice = find (TD3_NAME, "L898902C366UTO7408122F1204159ZE184226B<<<<<10", NULL);
  g_autofree char *beck_name = td3_name ("CAN", "BECK<<ANNA<ECK");
  g_autofree char *beck_data = td3_data ("AB123456", "CAN", "651028", 'F', "320516", "");
  g_autoptr(ErMrz) beck = find (beck_name, beck_data, NULL);

  assert_td3_specimen (run);
  assert_td3_specimen (word);
  assert_td3_specimen (twice);
  /* "LLC" before the fillers is no word of fillers: kept, as read. */
  g_assert_cmpstr (letters->given_names, ==, "ANNA MARIA LLC");
  /* Short words of those letters are names. */
  g_assert_cmpstr (beck->surname, ==, "BECK");
  g_assert_cmpstr (beck->given_names, ==, "ANNA ECK");

  /* No personal number, its check digit a filler read as 'f'. */
  {
    g_autofree char *f_data = g_strdup (beck_data);
    g_autoptr(ErMrz) f = NULL;

    g_assert_cmpint (f_data[42], ==, '<');
    f_data[42] = 'f';
    f = find (beck_name, f_data, NULL);
    g_assert_cmpstr (f->surname, ==, "BECK");
    assert_date (&f->expiry, 2032, 5, 16);
  }
}

/* Fillers read as digits at the end of the name ("<" as "6"), a hyphen
 * for a filler, and the filler after the document code lost (the issuing
 * state then read one character late): the name as printed. */
static void
test_name_line_damaged (void)
{
  g_autofree char *data = td3_data ("ZL288726", "CAN", "580118", 'M', "190403", "");
  g_autoptr(ErMrz) digits = find ("P<CANBERUBE<<YASMINE666666666666<666<6<<<<<<<", data, NULL);
  g_autoptr(ErMrz) hyphen = find ("P<CANBERUBE-<<YASMINE<<<<<<<<<<<<<<<<<<<<<<<<", data, NULL);
  g_autoptr(ErMrz) lost = find ("PCANBERUBE-<<YASMINE 666666666666 666 6", data, NULL);
  g_autofree char *no_filler = td3_name ("CAN", "CANTIN<<MARC");
  g_autoptr(ErMrz) canadian = NULL;

  g_assert_cmpstr (digits->surname, ==, "BERUBE");
  g_assert_cmpstr (digits->given_names, ==, "YASMINE");
  g_assert_cmpstr (hyphen->surname, ==, "BERUBE");
  g_assert_cmpstr (hyphen->given_names, ==, "YASMINE");
  g_assert_cmpstr (lost->document_code, ==, "P");
  g_assert_cmpstr (lost->issuing_state, ==, "CAN");
  g_assert_cmpstr (lost->surname, ==, "BERUBE");
  g_assert_cmpstr (lost->given_names, ==, "YASMINE");
  /* A surname that begins with the state's letters keeps them. */
  canadian = find (no_filler, data, NULL);
  g_assert_cmpstr (canadian->issuing_state, ==, "CAN");
  g_assert_cmpstr (canadian->surname, ==, "CANTIN");
}

/* Lower case, accents, stray marks at the ends. */
static void
test_case_and_marks (void)
{
  g_autofree char *lower_name = g_ascii_strdown (TD3_NAME, -1);
  g_autofree char *lower_data = g_ascii_strdown (TD3_DATA, -1);
  g_autoptr(ErMrz) lower = find (lower_name, lower_data, NULL);
  g_autoptr(ErMrz) mixed = find ("P<UTOEriksson<<Anna<Maria<<<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) accents = find ("P<UTOÉRIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) marks = find ("' P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< .",
                                 "“" TD3_DATA "”", NULL);

  assert_td3_specimen (lower);
  assert_td3_specimen (mixed);
  assert_td3_specimen (accents);
  assert_td3_specimen (marks);
}

/* Lines split and joined */

static void
test_split (void)
{
  g_autoptr(ErMrz) data = find (TD3_NAME, "L898902C36UTO7408122F", "1204159ZE184226B<<<<<10", NULL);
  g_autoptr(ErMrz) data_gap = find (TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B", "10", NULL);
  g_autoptr(ErMrz) name = find ("P<UTOERIKSSON<<ANNA<MA", "RIA<<<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
  g_autoptr(ErMrz) both = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<", "<<<<<<<<<<<<<<<",
                                "L898902C36UTO7408122F12", "04159ZE184226B<<<<<10", NULL);
  g_autoptr(ErMrz) td1 = find ("I<UTOD23145", "8907<<<<<<<<<<<<<<<", "7408122F1204159",
                               "UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<M", "ARIA<<<<<<<<<<", NULL);

  assert_td3_specimen (data);
  assert_lines (data, 0, 3);
  assert_td3_specimen (data_gap);
  assert_td3_specimen (name);
  assert_lines (name, 0, 3);
  assert_td3_specimen (both);
  assert_lines (both, 0, 4);
  assert_td1_specimen (td1);
  assert_lines (td1, 0, 6);
}

static void
test_joined (void)
{
  g_autoptr(ErMrz) td3 = find (TD3_NAME TD3_DATA, NULL);
  g_autoptr(ErMrz) td3_space = find (TD3_NAME " " TD3_DATA, NULL);
  g_autoptr(ErMrz) td3_short = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<< " TD3_DATA, NULL);
  g_autoptr(ErMrz) td3_short_nospace = find ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<" TD3_DATA, NULL);
  g_autoptr(ErMrz) td1 = find (TD1_LINE1 TD1_LINE2 TD1_NAME, NULL);
  g_autoptr(ErMrz) td1_two = find (TD1_LINE1 " " TD1_LINE2, TD1_NAME, NULL);
  g_autoptr(ErMrz) td1_last = find (TD1_LINE1, TD1_LINE2 " " TD1_NAME, NULL);

  assert_td3_specimen (td3);
  assert_lines (td3, 0, 1);
  assert_td3_specimen (td3_space);
  assert_td3_specimen (td3_short);
  assert_td3_specimen (td3_short_nospace);
  assert_td1_specimen (td1);
  assert_lines (td1, 0, 1);
  assert_td1_specimen (td1_two);
  assert_lines (td1_two, 0, 2);
  assert_td1_specimen (td1_last);
  assert_lines (td1_last, 0, 2);
}

/* The rest of the page around and between */

static const char *page_top[] = {
  "PASSPORT PASSEPORT",
  "CANADA",
  "Type/Type Issuing Country/Pays émetteur Passport No./N° de passeport",
  "P CAN AB123456",
  "Surname/Nom",
  "CÔTÉ",
  "Given names/Prénoms",
  "FRANÇOIS XAVIER",
  "Date of birth/Date de naissance (AAAA-MM-JJ)",
  "01 MAR /MARS 85",
  "Place of birth/Lieu de naissance",
  "MONTREAL CAN",
  "Date of expiry/Date d'expiration 15 SEP /SEPT 31",
  NULL,
};

static void
test_noise (void)
{
  g_autofree char *name = td3_name ("CAN", "COTE<<FRANCOIS<XAVIER");
  g_autofree char *data = td3_data ("AB123456", "CAN", "850301", 'M', "310915", "");
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  g_autoptr(ErMrz) between = NULL;
  g_autoptr(ErMrz) td1 = NULL;

  for (guint i = 0; page_top[i] != NULL; i++)
    g_ptr_array_add (lines, (gpointer) page_top[i]);
  g_ptr_array_add (lines, name);
  g_ptr_array_add (lines, data);
  g_ptr_array_add (lines, (gpointer) "~ ,");
  g_ptr_array_add (lines, (gpointer) "Signature");

  mrz = er_mrz_find ((const char * const *) lines->pdata, lines->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mrz);
  assert_name (mrz, "COTE", "FRANCOIS XAVIER");
  assert_date (&mrz->expiry, 2031, 9, 15);
  assert_lines (mrz, 13, 2);

  /* One stray character read before the name line ("HP<UTO"); not two. */
  {
    g_autofree char *speck = g_strconcat ("H", TD3_NAME, NULL);
    g_autofree char *bar = g_strconcat ("|", TD3_NAME, NULL);
    g_autofree char *two = g_strconcat ("HH", TD3_NAME, NULL);
    g_autoptr(ErMrz) speck_mrz = find (speck, TD3_DATA, NULL);
    g_autoptr(ErMrz) bar_mrz = find (bar, TD3_DATA, NULL);

    g_autofree char *edges = g_strconcat ("O", TD3_DATA, "E", NULL);
    g_autoptr(ErMrz) edges_mrz = find (TD3_NAME, edges, NULL);

    assert_td3_specimen (speck_mrz);
    assert_td3_specimen (bar_mrz);
    find_fails ("", two, TD3_DATA, NULL);
    /* A character read at each end of the data line (the page's edges). */
    assert_td3_specimen (edges_mrz);
  }

  /* Between the lines: the span covers them. */
  between = find ("CANADA", TD3_NAME, "~ ;", "Signature of bearer", TD3_DATA, "'", NULL);
  assert_td3_specimen (between);
  assert_lines (between, 1, 4);

  td1 = find ("IDENTITY CARD", "CARTE D'IDENTITE", TD1_LINE1, "|", TD1_LINE2, "CANADA",
              TD1_NAME, "Signature", NULL);
  assert_td1_specimen (td1);
  assert_lines (td1, 2, 5);
}

/* A page without an MRZ: nothing, and no error. */
static void
test_page_without_mrz (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  const char *licence[] = {
    "QUÉBEC PERMIS DE CONDUIRE DRIVER'S LICENCE",
    "C1234-567890-12 (NUMÉRO)",
    "1 CÔTÉ",
    "2 FRANÇOIS XAVIER",
    "3 1985-03-01 4 CLASSE 5",
    "1234 5678 9012 3456",
    "IDENTITY CARD IDENTITE ACCESS CONTROL",
    "ADRESSE 123 RUE PRINCIPALE APP 4 MONTREAL QC H2X 1Y4",
    "<<",
  };

  mrz = er_mrz_find ((const char * const *) page_top, g_strv_length ((char **) page_top), &error);
  g_assert_no_error (error);
  g_assert_null (mrz);
  mrz = er_mrz_find (licence, G_N_ELEMENTS (licence), &error);
  g_assert_no_error (error);
  g_assert_null (mrz);
}

/* The usual confusions */

/* Each letter read for a digit in a date or a check digit, corrected: the
 * check digits then verify. */
static void
test_confusions_digits (void)
{
  static const struct {
    char letter;
    char digit;
  } confusions[] = {
    { 'O', '0' }, { 'I', '1' }, { 'L', '1' }, { 'Z', '2' }, { 'S', '5' }, { 'B', '8' }, { 'G', '6' },
  };
  g_autofree char *name = td3_name ("CAN", "COTE<<FRANCOIS");
  /* Birth 651028, expiry 320516: every digit of the table is there. */
  g_autofree char *data = td3_data ("AB123456", "CAN", "651028", 'M', "320516", "");

  for (gsize c = 0; c < G_N_ELEMENTS (confusions); c++)
    for (gsize i = 13; i < 28; i++)
      {
        g_autofree char *misread = NULL;
        g_autoptr(ErMrz) mrz = NULL;

        if (data[i] != confusions[c].digit)
          continue;
        misread = with_char (data, i, confusions[c].letter);
        g_test_message ("%s", misread);
        mrz = find (name, misread, NULL);
        assert_date (&mrz->birth, 1965, 10, 28);
        assert_date (&mrz->expiry, 2032, 5, 16);
      }

  /* Several at once, and in the check digits of the document number and
   * the composite. */
  {
    const char *misread = "L898902C3GUT07408I22F12O4I59ZE184226B<<<<<IO";
    g_autoptr(ErMrz) mrz = NULL;

    g_assert_cmpuint (strlen (misread), ==, 44);
    mrz = find (TD3_NAME, misread, NULL);
    assert_td3_specimen (mrz);
  }
  /* The document number is not a field of digits: an 'I' in it stays. */
  find_fails ("document number", "I<UT0D23I458907<<<<<<<<<<<<<<<", TD1_LINE2, TD1_NAME, NULL);
}

/* The same with the TD1, its document number as printed. */
static void
test_confusions_td1 (void)
{
  const char *line1 = "I<UT0D231458907<<<<<<<<<<<<<<<";
  const char *line2 = "74O8I22FI2O4I59UT0<<<<<<<<<<<G";
  g_autoptr(ErMrz) mrz = NULL;

  g_assert_cmpuint (strlen (line1), ==, 30);
  g_assert_cmpuint (strlen (line2), ==, 30);
  mrz = find (line1, line2, TD1_NAME, NULL);
  assert_td1_specimen (mrz);
}

/* Digits in letter fields: the names, the states. */
static void
test_confusions_letters (void)
{
  g_autoptr(ErMrz) mrz = find ("P<UT0ER1K55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
                               "L898902C36UT07408122F1204159ZE184226B<<<<<10", NULL);
  g_autofree char *name = td3_name ("CAN", "8OUCHARD<<R0SE");
  g_autofree char *data = td3_data ("AB123456", "CAN", "850301", 'F', "310915", "");
  g_autoptr(ErMrz) mrz2 = find (name, data, NULL);
  g_autoptr(ErMrz) mrz3 = find (TD3_NAME, TD3_DATA, NULL);
  g_autofree char *name4 = td3_name ("CAN", "C4RON<<LEA");
  g_autoptr(ErMrz) mrz4 = find (name4, data, NULL);

  assert_td3_specimen (mrz);
  assert_name (mrz2, "BOUCHARD", "ROSE");
  assert_td3_specimen (mrz3);
  /* A digit that is no usual confusion is left as read, for the agent to see. */
  assert_name (mrz4, "C4RON", "LEA");
}

/* A correction is kept only when the check digits then verify; fields of
 * unknown type (the document number, the personal number) are never
 * corrected. */
static void
test_confusions_only_if_verified (void)
{
  /* 'O' in the birth date, its check digit wrong as well. */
  find_fails ("birth date", TD3_NAME, "L898902C36UTO74O8123F1204159ZE184226B<<<<<10", NULL);
  /* 'O' for '0' in the document number: alphanumeric, read the other way
   * at one place only when its check digit and the composite then verify. */
  {
    g_autoptr(ErMrz) mrz = find (TD3_NAME, "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10", NULL);

    g_assert_cmpstr (mrz->document_number, ==, "L898902C3");
  }
  find_fails ("does not verify", TD3_NAME, "L8989O2C37UTO7408122F1204159ZE184226B<<<<<10", NULL);
  find_fails ("does not verify", TD3_NAME, "L8989OZC36UTO7408122F1204159ZE184226B<<<<<10", NULL);
  /* 'S' in the personal number. */
  find_fails ("personal number", TD3_NAME, "L898902C36UTO7408122F1204159ZE1B4226B<<<<<10", NULL);
  /* A letter that is no usual confusion. */
  find_fails ("expiry date", TD3_NAME, "L898902C36UTO7408122F12O4T59ZE184226B<<<<<10", NULL);
}

/* Failures */

/* Each check digit wrong: an error naming it. */
static void
test_wrong_check_digits (void)
{
  g_autofree char *doc = with_char (TD3_DATA, 9, '5');
  g_autofree char *birth = with_char (TD3_DATA, 19, '3');
  g_autofree char *expiry = with_char (TD3_DATA, 27, '8');
  g_autofree char *personal = with_char (TD3_DATA, 42, '2');
  g_autofree char *composite = with_char (TD3_DATA, 43, '1');
  g_autofree char *td1_doc = with_char (TD1_LINE1, 14, '1');
  g_autofree char *td1_composite = with_char (TD1_LINE2, 29, '7');
  g_autofree char *td1_birth = with_char (TD1_LINE2, 6, '0');
  /* A wrong digit in a field (the expiry year), its check digit as printed. */
  g_autofree char *field = with_char (TD3_DATA, 22, '3');

  /* (a confusion at one place may make the number's digit verify: then
   * the composite's does not) */
  find_fails ("does not verify", TD3_NAME, doc, NULL);
  find_fails ("birth date", TD3_NAME, birth, NULL);
  find_fails ("expiry date", TD3_NAME, expiry, NULL);
  find_fails ("personal number", TD3_NAME, personal, NULL);
  find_fails ("composite", TD3_NAME, composite, NULL);
  find_fails ("expiry date", TD3_NAME, field, NULL);
  find_fails ("document number", td1_doc, TD1_LINE2, TD1_NAME, NULL);
  find_fails ("composite", TD1_LINE1, td1_composite, TD1_NAME, NULL);
  find_fails ("birth date", TD1_LINE1, td1_birth, TD1_NAME, NULL);
  /* Amid the page: still found, still an error. */
  find_fails ("composite", "CANADA", "Signature", TD3_NAME, composite, "Page 2", NULL);
}

/* Lines too short, missing or cut. */
static void
test_short_lines (void)
{
  find_none ("P<UTO", NULL);
  find_none ("P<UTOERIKSSON", "L898902C36", NULL);
  find_none ("I<UTO", "<<<", "ERIKSSON", NULL);
  /* The data line cut: an MRZ that does not verify, never a guess. */
  find_fails ("", TD3_NAME, "L898902C36UTO7408122F12", NULL);
  find_fails ("", TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<<<<<1", NULL);
  find_fails ("", TD3_NAME, NULL);
  find_fails ("", TD3_DATA, NULL);
  /* A TD1 without its name line. */
  find_fails ("name", TD1_LINE1, TD1_LINE2, NULL);
  /* A TD3 whose name line holds no name. */
  find_fails ("name", "P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
}

/* Readings that pass the check digits but that ICAO's layout rules out: a
 * document number with fillers inside (a line cut or shifted wrongly that
 * verified by chance), a name that does not begin with a letter. */
static void
test_malformed (void)
{
  g_autofree char *inside = td3_data ("AB<12345", "CAN", "850301", 'M', "310915", "");
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;

  find_fails ("fillers inside", TD3_NAME, inside, NULL);
  td1_data ("I", "UTO", "D2314<890123", "", "740812", 'F', "120415", "UTO", "", &line1, &line2);
  find_fails ("fillers inside", line1, line2, TD1_NAME, NULL);
  find_fails ("name", TD1_LINE1, TD1_LINE2, "<ERIKSSON<<ANNA<MARIA<<<<<<<<<", NULL);
  find_fails ("name", TD1_LINE1, TD1_LINE2, "<<ANNA<MARIA<<<<<<<<<<<<<<<<<<", NULL);
  find_fails ("name", "P<UTO<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<<<<<<", TD3_DATA, NULL);
}

/* No check digit covers a name: the rest of the page is never taken for the
 * name line that was not read. */
static void
test_name_line_lost (void)
{
  /* The page's "Type / Country / No." line just above the data line. */
  find_fails ("", "P CAN AB123456", TD3_DATA, NULL);
  find_fails ("", "PASSPORT PASSEPORT", TD3_DATA, NULL);
  /* A TD1 followed by the page's text only. */
  find_fails ("name", TD1_LINE1, TD1_LINE2, "CANADA", "SIGNATURE", NULL);
  find_fails ("name", TD1_LINE1, TD1_LINE2, "ERIKSSON ANNA MARIA", NULL);
}

/* One character of a date or a check digit misread as any other: the MRZ
 * is not found, or found with the right dates, never with wrong ones. */
static void
test_never_wrong (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
  guint found = 0, refused = 0;

  for (gsize i = 9; i < 44; i++)
    {
      if (i == 10 || i == 11 || i == 12 || i == 20 || (i >= 28 && i < 42))
        continue;  /* nationality, sex, personal number: other tests */
      for (gsize a = 0; alphabet[a] != '\0'; a++)
        {
          g_autofree char *misread = with_char (TD3_DATA, i, alphabet[a]);
          const char *lines[] = { TD3_NAME, misread };
          g_autoptr(GError) error = NULL;
          g_autoptr(ErMrz) mrz = er_mrz_find (lines, 2, &error);

          if (mrz == NULL)
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
              refused++;
              continue;
            }
          found++;
          assert_td3_specimen (mrz);
        }
    }
  for (gsize i = 0; i < 30; i++)
    {
      if (i == 7 || i >= 15)
        continue;
      for (gsize a = 0; alphabet[a] != '\0'; a++)
        {
          g_autofree char *misread = with_char (TD1_LINE2, i, alphabet[a]);
          const char *lines[] = { TD1_LINE1, misread, TD1_NAME };
          g_autoptr(ErMrz) mrz = er_mrz_find (lines, 3, NULL);

          if (mrz != NULL)
            assert_td1_specimen (mrz);
        }
    }
  g_test_message ("%u found, %u refused", found, refused);
  /* Found: the 17 characters as printed, and the 17 letters that are a
   * usual confusion of the digit there (6: G; 0: O; 8: B; 1: I, L; 2: Z;
   * 5: S; none for 4, 7, 9). */
  g_assert_cmpuint (found, ==, 34);
}

/* Random lines, specimen lines cut and mixed with them: nothing crashes, and
 * whatever is found reads as the specimen. */
static void
test_random (void)
{
  static const char *pieces[] = {
    "<", "<<", "«", "K", "C", " ", "0", "1", "7", "A", "P", "I", "O", "(", "é", "?", "P<UTO",
    "ERIKSSON", "7408122F", "1204159", "\xff",
  };
  static const char *specimen[] = { TD3_NAME, TD3_DATA, TD1_LINE1, TD1_LINE2, TD1_NAME };
  GRand *rand = g_rand_new_with_seed (14);
  guint found = 0, refused = 0;

  for (int round = 0; round < 400; round++)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      guint n = g_rand_int_range (rand, 0, 8);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErMrz) mrz = NULL;

      for (guint l = 0; l < n; l++)
        {
          GString *line = g_string_new (NULL);

          if (g_rand_boolean (rand))
            {
              const char *s = specimen[g_rand_int_range (rand, 0, G_N_ELEMENTS (specimen))];
              int from = g_rand_int_range (rand, 0, strlen (s));

              g_string_append_len (line, s + from, g_rand_int_range (rand, 0, strlen (s) - from + 1));
            }
          for (int k = g_rand_int_range (rand, 0, 40); k > 0; k--)
            g_string_append (line, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
      mrz = er_mrz_find ((const char * const *) lines->pdata, lines->len, &error);
      if (mrz != NULL)
        {
          found++;
          g_assert_no_error (error);
          assert_date (&mrz->birth, 1974, 8, 12);
          assert_date (&mrz->expiry, 2012, 4, 15);
          g_assert_cmpuint (mrz->first_line + mrz->n_lines, <=, n);
        }
      else if (error != NULL)
        {
          refused++;
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        }
    }
  g_test_message ("%u found, %u refused of 400", found, refused);
  g_rand_free (rand);
}

static void
test_empty (void)
{
  const char *blank[] = { "", "   ", "\t", "\n" };
  const char *not_utf8[] = { "P<UTO\xff\xfe", "\xc3\x28" };

  find_none ("", NULL);
  g_assert_null (er_mrz_find (NULL, 0, NULL));
  g_assert_null (er_mrz_find (blank, 0, NULL));
  g_assert_null (er_mrz_find (blank, G_N_ELEMENTS (blank), NULL));
  g_assert_null (er_mrz_find (not_utf8, G_N_ELEMENTS (not_utf8), NULL));
}

static void
test_null_safety (void)
{
  const char *with_nulls[] = { NULL, TD3_NAME, NULL, TD3_DATA, NULL };
  const char *failing[] = { TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<<<<<11" };
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;

  /* NULL lines are empty lines. */
  mrz = er_mrz_find (with_nulls, G_N_ELEMENTS (with_nulls), &error);
  g_assert_no_error (error);
  g_assert_nonnull (mrz);
  assert_td3_specimen (mrz);
  assert_lines (mrz, 1, 3);

  /* No GError to fill. */
  g_assert_null (er_mrz_find (failing, G_N_ELEMENTS (failing), NULL));
  er_mrz_free (NULL);
}

/* Dates */

static void
test_dates (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  static const struct {
    const char *birth;
    const char *expiry;
    int         birth_year;
    int         expiry_year;
  } fixed[] = {
    { "991231", "991231", 1999, 2099 },
    { "000101", "000101", 2000, 2000 },
    { "740812", "120415", 1974, 2012 },
    { "400229", "280229", 1940, 2028 },  /* leap days */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autofree char *data = td3_data ("AB123456", "CAN", fixed[i].birth, 'M', fixed[i].expiry, "");
      g_autoptr(ErMrz) mrz = find (TD3_NAME, data, NULL);

      g_assert_cmpint (g_date_get_year (&mrz->birth), ==, fixed[i].birth_year);
      g_assert_cmpint (g_date_get_year (&mrz->expiry), ==, fixed[i].expiry_year);
    }

  /* The century of a birth date: the date is never in the future. */
  {
    g_autofree char *today = g_date_time_format (now, "%y%m%d");
    g_autofree char *future = g_date_time_format (tomorrow, "%y%m%d");
    g_autofree char *past = g_date_time_format (yesterday, "%y%m%d");
    g_autofree char *d1 = td3_data ("AB123456", "CAN", today, 'M', "310915", "");
    g_autofree char *d2 = td3_data ("AB123456", "CAN", future, 'M', "310915", "");
    g_autofree char *d3 = td3_data ("AB123456", "CAN", past, 'M', "310915", "");
    g_autoptr(ErMrz) m1 = find (TD3_NAME, d1, NULL);
    g_autoptr(ErMrz) m2 = find (TD3_NAME, d2, NULL);
    g_autoptr(ErMrz) m3 = find (TD3_NAME, d3, NULL);
    int century = g_date_time_get_year (now) / 100 * 100;

    /* Valid until 2099; then 20YY is always in the past, which is right. */
    g_assert_cmpint (century, ==, 2000);
    assert_date (&m1->birth, g_date_time_get_year (now), g_date_time_get_month (now),
                 g_date_time_get_day_of_month (now));
    assert_date (&m2->birth, g_date_time_get_year (tomorrow) - 100,
                 g_date_time_get_month (tomorrow), g_date_time_get_day_of_month (tomorrow));
    assert_date (&m3->birth, g_date_time_get_year (yesterday), g_date_time_get_month (yesterday),
                 g_date_time_get_day_of_month (yesterday));
  }
}

/* Dates that are no dates, their check digits right: rejected. */
static void
test_invalid_dates (void)
{
  static const char *invalid[] = { "991340", "991300", "990000", "990230", "010229", "990431" };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *bad_birth = td3_data ("AB123456", "CAN", invalid[i], 'M', "310915", "");
      g_autofree char *bad_expiry = td3_data ("AB123456", "CAN", "850301", 'M', invalid[i], "");
      g_autofree char *line1 = NULL;
      g_autofree char *line2 = NULL;

      find_fails ("birth date is not a date", TD3_NAME, bad_birth, NULL);
      find_fails ("expiry date is not a date", TD3_NAME, bad_expiry, NULL);
      td1_data ("I", "UTO", "D23145890", "", "740812", 'F', invalid[i], "UTO", "", &line1, &line2);
      find_fails ("expiry date is not a date", line1, line2, TD1_NAME, NULL);
    }
}

/* line as an OCR may read it: in runs of three fillers or more, some as 'K'
 * or 'C', but not the first ("MARIAK<<<" cannot be told from "NICK<<<": the
 * letter is kept, and the name then differs, see test_fillers_k); "<<" as
 * '«' now and then; a stray space or two; in a data line, a filler run one
 * longer or shorter. */
static char *
ocr_effects (GRand      *rand,
             const char *line,
             gboolean    data)
{
  GString *out = g_string_new (NULL);
  gboolean miscounted = FALSE;

  for (gsize i = 0; line[i] != '\0'; i++)
    {
      gsize printed = 0, run;

      while (line[i + printed] == '<')
        printed++;
      if (printed == 0)
        {
          g_string_append_c (out, line[i]);
          continue;
        }
      run = printed;
      if (data && !miscounted && g_rand_int_range (rand, 0, 4) == 0)
        {
          miscounted = TRUE;
          if (g_rand_boolean (rand))
            run++;
          else if (run > 1)
            run--;
        }
      for (gsize k = 0; k < run; k++)
        {
          int dice = g_rand_int_range (rand, 0, 20);

          if (k + 1 < run && dice < 5)
            {
              g_string_append (out, "«");
              k++;
            }
          else if (run >= 3 && k > 0 && dice < 8)
            g_string_append_c (out, dice < 7 ? 'K' : 'C');
          else
            g_string_append_c (out, '<');
        }
      i += printed - 1;
    }
  for (int spaces = g_rand_int_range (rand, 0, 3); spaces > 0; spaces--)
    {
      gsize at = g_rand_int_range (rand, 6, out->len);

      while ((out->str[at] & 0xc0) == 0x80)  /* not inside a '«' */
        at++;
      g_string_insert_c (out, at, ' ');
    }
  return g_string_free (out, FALSE);
}

/* The specimens read with random OCR effects, split at random, amid the
 * page's text: found, and found right. */
static void
test_random_ocr (void)
{
  static const char *noise[] = {
    "CANADA", "Signature of bearer / Signature du titulaire", "~", "PASSPORT", "IDENTITY CARD",
    "Date of expiry/Date d'expiration", "ERIKSSON", "12 APR /AVR 12",
  };
  enum { ROUNDS = 2000 };
  GRand *rand = g_rand_new_with_seed (9303);
  guint found = 0;

  for (int round = 0; round < ROUNDS; round++)
    {
      gboolean td3 = round % 2 == 0;
      const char *specimen[] = { td3 ? TD3_NAME : TD1_LINE1, td3 ? TD3_DATA : TD1_LINE2,
                                 td3 ? NULL : TD1_NAME };
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErMrz) mrz = NULL;
      g_autoptr(GString) described = g_string_new (NULL);

      for (int k = g_rand_int_range (rand, 0, 4); k > 0; k--)
        g_ptr_array_add (lines, g_strdup (noise[g_rand_int_range (rand, 0, G_N_ELEMENTS (noise))]));
      for (gsize l = 0; l < G_N_ELEMENTS (specimen) && specimen[l] != NULL; l++)
        {
          gboolean data = td3 ? l == 1 : l < 2;
          g_autofree char *read = ocr_effects (rand, specimen[l], data);
          gsize length = strlen (read);

          if (l > 0 && g_rand_int_range (rand, 0, 4) == 0)
            g_ptr_array_add (lines, g_strdup (noise[g_rand_int_range (rand, 0, G_N_ELEMENTS (noise))]));
          if (g_rand_int_range (rand, 0, 4) == 0)
            {
              /* Split, never inside a multibyte character. */
              gsize at = g_rand_int_range (rand, 8, length - 2);

              while (at < length && (read[at] & 0xc0) == 0x80)
                at++;
              g_ptr_array_add (lines, g_strndup (read, at));
              g_ptr_array_add (lines, g_strdup (read + at));
            }
          else
            g_ptr_array_add (lines, g_steal_pointer (&read));
        }
      for (int k = g_rand_int_range (rand, 0, 3); k > 0; k--)
        g_ptr_array_add (lines, g_strdup (noise[g_rand_int_range (rand, 0, G_N_ELEMENTS (noise))]));

      for (guint l = 0; l < lines->len; l++)
        g_string_append_printf (described, "%s\n", (char *) lines->pdata[l]);
      mrz = er_mrz_find ((const char * const *) lines->pdata, lines->len, &error);
      if (mrz == NULL)
        g_error ("not found (%s):\n%s", error != NULL ? error->message : "no error", described->str);
      found++;
      if (g_strcmp0 (mrz->surname, "ERIKSSON") != 0 || g_strcmp0 (mrz->given_names, "ANNA MARIA") != 0
          || g_strcmp0 (mrz->document_number, td3 ? "L898902C3" : "D23145890") != 0
          || g_strcmp0 (mrz->nationality, "UTO") != 0 || g_strcmp0 (mrz->issuing_state, "UTO") != 0)
        g_error ("read wrong (%s, %s, %s, %s, %s):\n%s", mrz->surname, mrz->given_names,
                 mrz->document_number, mrz->nationality, mrz->issuing_state, described->str);
      if (td3)
        assert_td3_specimen (mrz);
      else
        assert_td1_specimen (mrz);
    }
  g_test_message ("%u found of %d", found, ROUNDS);
  g_rand_free (rand);
}

/* The first MRZ of two; an MRZ after a broken one. */
static void
test_first_found (void)
{
  g_autofree char *broken = with_char (TD3_DATA, 43, '1');
  g_autoptr(ErMrz) first = find (TD3_NAME, TD3_DATA, TD1_LINE1, TD1_LINE2, TD1_NAME, NULL);
  g_autoptr(ErMrz) after = find (TD3_NAME, broken, TD1_LINE1, TD1_LINE2, TD1_NAME, NULL);

  g_assert_cmpint (first->format, ==, ER_MRZ_TD3);
  assert_lines (first, 0, 2);
  assert_td1_specimen (after);
  assert_lines (after, 2, 3);
}

/* Another thread reads at the same time: nothing shared. */
static gpointer
read_many (gpointer data)
{
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(ErMrz) mrz = find ("CANADA", TD3_NAME, "L898902C36UTO7408122F1204159ZE184226B<KK10", NULL);

      assert_td3_specimen (mrz);
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("mrz", read_many, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* A page of noise is read quickly: the search is bounded. */
static void
test_bounded (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  gint64 start;
  double seconds;

  /* Sixty lines that all begin like an MRZ and look like one. */
  for (int i = 0; i < 60; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%cK<%02dABCDEFG<<1234567890<<K<C<%d", "PIAC"[i % 4], i, i));
  g_ptr_array_add (lines, g_strdup (TD3_NAME));
  g_ptr_array_add (lines, g_strdup (TD3_DATA));

  start = g_get_monotonic_time ();
  mrz = er_mrz_find ((const char * const *) lines->pdata, lines->len, &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("62 lines read in %.3f s", seconds);
  g_assert_no_error (error);
  assert_td3_specimen (mrz);
  assert_lines (mrz, 60, 2);
  g_assert_cmpfloat (seconds, <, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mrz/check-digit/icao", test_check_digit_icao);
  g_test_add_func ("/mrz/check-digit/values", test_check_digit_values);
  g_test_add_func ("/mrz/td3/specimen", test_td3_specimen);
  g_test_add_func ("/mrz/td3/canadian", test_td3_canadian);
  g_test_add_func ("/mrz/td3/fields", test_td3_fields);
  g_test_add_func ("/mrz/td3/names", test_td3_names);
  g_test_add_func ("/mrz/td1/specimen", test_td1_specimen);
  g_test_add_func ("/mrz/td1/long-number", test_td1_long_number);
  g_test_add_func ("/mrz/td1/fields", test_td1_fields);
  g_test_add_func ("/mrz/fillers/k", test_fillers_k);
  g_test_add_func ("/mrz/fillers/guillemets", test_fillers_guillemets);
  g_test_add_func ("/mrz/fillers/spaces", test_fillers_spaces);
  g_test_add_func ("/mrz/fillers/miscounted", test_fillers_miscounted);
  g_test_add_func ("/mrz/fillers/misread", test_fillers_misread);
  g_test_add_func ("/mrz/name-line-damaged", test_name_line_damaged);
  g_test_add_func ("/mrz/ocr/case-and-marks", test_case_and_marks);
  g_test_add_func ("/mrz/ocr/split", test_split);
  g_test_add_func ("/mrz/ocr/joined", test_joined);
  g_test_add_func ("/mrz/ocr/noise", test_noise);
  g_test_add_func ("/mrz/ocr/page-without-mrz", test_page_without_mrz);
  g_test_add_func ("/mrz/confusions/digits", test_confusions_digits);
  g_test_add_func ("/mrz/confusions/td1", test_confusions_td1);
  g_test_add_func ("/mrz/confusions/letters", test_confusions_letters);
  g_test_add_func ("/mrz/confusions/only-if-verified", test_confusions_only_if_verified);
  g_test_add_func ("/mrz/errors/check-digits", test_wrong_check_digits);
  g_test_add_func ("/mrz/errors/short-lines", test_short_lines);
  g_test_add_func ("/mrz/errors/name-line-lost", test_name_line_lost);
  g_test_add_func ("/mrz/errors/malformed", test_malformed);
  g_test_add_func ("/mrz/errors/empty", test_empty);
  g_test_add_func ("/mrz/errors/null-safety", test_null_safety);
  g_test_add_func ("/mrz/dates/centuries", test_dates);
  g_test_add_func ("/mrz/dates/invalid", test_invalid_dates);
  g_test_add_func ("/mrz/confusions/never-wrong", test_never_wrong);
  g_test_add_func ("/mrz/random", test_random);
  g_test_add_func ("/mrz/random-ocr", test_random_ocr);
  g_test_add_func ("/mrz/first-found", test_first_found);
  g_test_add_func ("/mrz/threads", test_threads);
  g_test_add_func ("/mrz/bounded", test_bounded);

  return g_test_run ();
}
