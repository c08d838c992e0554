/* test-name.c: the account name against the name on the ID: what differs,
 * the level, the verdict and the highlighted letters. */
#include "config.h"

#include <pango/pango.h>
#include <string.h>

#include "er-name.h"

/* The ID name with its highlighted ranges in [brackets]. */
static char *
bracketed (const char              *id_name,
           const ErNameComparison  *comparison)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const ErNameRange *ranges;
  guint n_ranges, at = 0;

  ranges = er_name_comparison_get_highlights (comparison, &n_ranges);
  for (guint i = 0; i < n_ranges; i++)
    {
      g_assert_cmpuint (ranges[i].start, <, ranges[i].end);
      g_assert_cmpuint (ranges[i].start, >=, at);
      g_assert_cmpuint (ranges[i].end, <=, strlen (id_name));
      g_string_append_len (out, id_name + at, ranges[i].start - at);
      g_string_append_c (out, '[');
      g_string_append_len (out, id_name + ranges[i].start, ranges[i].end - ranges[i].start);
      g_string_append_c (out, ']');
      at = ranges[i].end;
    }
  g_string_append (out, id_name + at);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Compares, checks everything, and checks the markup parses. */
static void
check (const char       *account,
       const char       *id,
       ErNameDifference  differences,
       ErNameLevel       level,
       const char       *verdict,
       const char       *marked)
{
  g_autoptr(ErNameComparison) comparison = er_name_comparison_new (account, id);
  g_autofree char *text = er_name_comparison_get_verdict (comparison);
  g_autofree char *markup = er_name_comparison_get_markup (comparison);
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("“%s” vs “%s”", account, id);
  g_assert_cmphex (er_name_comparison_get_differences (comparison), ==, differences);
  g_assert_cmphex (er_name_compare (account, id), ==, differences);
  g_assert_cmpint (er_name_comparison_get_level (comparison), ==, level);
  g_assert_cmpint (er_name_difference_get_level (differences), ==, level);
  if (verdict != NULL)
    g_assert_cmpstr (text, ==, verdict);
  if (marked != NULL)
    {
      g_autofree char *got = bracketed (id, comparison);
      g_assert_cmpstr (got, ==, marked);
    }

  /* One line, valid markup, and its text is the verdict (and the name). */
  g_assert_null (strchr (text, '\n'));
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, &plain, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (plain, text));
}

#define MATCH ER_NAME_MATCH
#define CAUTION ER_NAME_CAUTION
#define DIFFERENT ER_NAME_DIFFERENT

static void
test_same (void)
{
  check ("Marie-Ève Tremblay", "Marie-Ève Tremblay", ER_NAME_SAME, MATCH,
         "Matches the account name exactly", "Marie-Ève Tremblay");
  check ("John O'Neil", "John O'Neil", ER_NAME_SAME, MATCH, NULL, "John O'Neil");
  /* Composed and decomposed é are the same letter. */
  check ("Ch\xc3\xa9" "rie", "Che\xcc\x81rie", ER_NAME_SAME, MATCH, NULL, NULL);
}

static void
test_capitals (void)
{
  check ("Marie-Ève Tremblay", "MARIE-ÈVE TREMBLAY", ER_NAME_CASE, MATCH,
         "Same name: capitals differ", "MARIE-ÈVE TREMBLAY");
  check ("John Smith", "JOHN SMITH", ER_NAME_CASE, MATCH, NULL, "JOHN SMITH");
  check ("JOHN SMITH", "John Smith", ER_NAME_CASE, MATCH, NULL, "John Smith");
  /* Capitals of accented letters, composed or not. */
  check ("Élise Côté", "E\xcc\x81LISE CO\xcc\x82TE\xcc\x81", ER_NAME_CASE, MATCH, NULL, NULL);
}

static void
test_accents (void)
{
  check ("Marie-Ève Tremblay", "Marie-Eve Tremblay", ER_NAME_ACCENTS, CAUTION,
         "Close, you judge: accents differ", "Marie-[E]ve Tremblay");
  check ("Hélène Côté", "HELENE COTE", ER_NAME_ACCENTS | ER_NAME_CASE, CAUTION,
         "Close, you judge: accents differ", "H[E]L[E]NE C[O]T[E]");
  check ("Chloe Smith", "Chloé Smith", ER_NAME_ACCENTS, CAUTION, NULL, "Chlo[é] Smith");
  /* Another accent on the same letter. */
  check ("Zoé Roy", "Zoë Roy", ER_NAME_ACCENTS, CAUTION, NULL, "Zo[ë] Roy");
  /* A decomposed accent is highlighted with its letter. */
  check ("Noel Roy", "Noe\xcc\x88l Roy", ER_NAME_ACCENTS, CAUTION, NULL, "No[e\xcc\x88]l Roy");
}

static void
test_surname_first (void)
{
  check ("Élodie Bélanger", "BELANGER, ELODIE",
         ER_NAME_SURNAME_FIRST | ER_NAME_ACCENTS | ER_NAME_CASE, CAUTION,
         "Close, you judge: surname first, accents differ", "B[E]LANGER[,] [E]LODIE");
  check ("Élodie Bélanger", "Bélanger, Élodie", ER_NAME_SURNAME_FIRST, CAUTION,
         "Close, you judge: surname first", "Bélanger[,] Élodie");
  check ("John Smith", "SMITH, JOHN", ER_NAME_SURNAME_FIRST | ER_NAME_CASE, CAUTION,
         NULL, "SMITH[,] JOHN");
  check ("Mary Anne Smith", "SMITH,MARY ANNE", ER_NAME_SURNAME_FIRST | ER_NAME_CASE, CAUTION,
         NULL, "SMITH[,]MARY ANNE");
  /* Two surnames, a compound given name. */
  check ("Marie-Ève Gagnon Tremblay", "GAGNON TREMBLAY, MARIE-EVE",
         ER_NAME_SURNAME_FIRST | ER_NAME_ACCENTS | ER_NAME_CASE, CAUTION,
         NULL, "GAGNON TREMBLAY[,] MARIE-[E]VE");
  /* The account surname first without a comma: the ID matches as written. */
  check ("Bélanger Élodie", "BELANGER, ELODIE",
         ER_NAME_SURNAME_FIRST | ER_NAME_ACCENTS | ER_NAME_CASE, CAUTION,
         NULL, "B[E]LANGER[,] [E]LODIE");
  /* The account with the comma: nothing to highlight on the ID. */
  check ("Smith, John", "John Smith", ER_NAME_SURNAME_FIRST, CAUTION, NULL, "John Smith");
  /* Both with a comma: the same form. */
  check ("Smith, John", "SMITH,  JOHN", ER_NAME_CASE | ER_NAME_SPACING, MATCH, NULL, NULL);
  /* Surname first with a comma and other given names. */
  check ("Marie Tremblay", "TREMBLAY, JOSEE", ER_NAME_SURNAME_FIRST | ER_NAME_CASE | ER_NAME_LETTERS,
         DIFFERENT, "Not the same name", "TREMBLAY[,] [JOSE]E");
  /* A comma without a name on one side is no surname-first form. */
  check ("John Smith", "John Smith,", ER_NAME_PUNCTUATION, CAUTION,
         "Close, you judge: punctuation differs", NULL);
}

static void
test_given_names (void)
{
  check ("Marie Ève Josée Tremblay", "Marie-Ève Tremblay",
         ER_NAME_MISSING | ER_NAME_HYPHENS, DIFFERENT,
         "Missing on the ID: “Josée”", "Marie[-]Ève Tremblay");
  check ("Marie-Ève Tremblay", "Marie Ève Josée Tremblay",
         ER_NAME_EXTRA | ER_NAME_HYPHENS, DIFFERENT,
         "Not on the account: “Josée”", "Marie[ ]Ève [Josée] Tremblay");
  check ("Marie Ève Josée Tremblay", "Marie Tremblay", ER_NAME_MISSING, DIFFERENT,
         "Missing on the ID: “Ève”, “Josée”", "Marie Tremblay");
  check ("Mary Anne Smith", "MARY SMITH", ER_NAME_MISSING | ER_NAME_CASE, DIFFERENT,
         "Missing on the ID: “Anne”", "MARY SMITH");
  check ("John Smith", "John Paul Smith", ER_NAME_EXTRA, DIFFERENT,
         "Not on the account: “Paul”", "John [Paul] Smith");
  check ("Anne Marie Roy", "Marie Roy Gagnon", ER_NAME_MISSING | ER_NAME_EXTRA, DIFFERENT,
         "Missing on the ID: “Anne”; not on the account: “Gagnon”", "Marie Roy [Gagnon]");
  /* Surname first and a given name fewer. */
  check ("Marie Ève Josée Tremblay", "TREMBLAY, MARIE EVE",
         ER_NAME_MISSING | ER_NAME_SURNAME_FIRST | ER_NAME_ACCENTS | ER_NAME_CASE, DIFFERENT,
         "Missing on the ID: “Josée”", "TREMBLAY[,] MARIE [E]VE");

  {
    g_autoptr(ErNameComparison) comparison =
      er_name_comparison_new ("Marie Ève Josée Tremblay", "Marie Tremblay");
    const char * const *missing = er_name_comparison_get_missing (comparison);

    g_assert_cmpuint (g_strv_length ((char **) missing), ==, 2);
    g_assert_cmpstr (missing[0], ==, "Ève");
    g_assert_cmpstr (missing[1], ==, "Josée");
    g_assert_null (er_name_comparison_get_extra (comparison)[0]);
  }
}

static void
test_hyphens (void)
{
  check ("Marie-Ève Tremblay", "Marie Ève Tremblay", ER_NAME_HYPHENS, CAUTION,
         "Close, you judge: hyphen vs space", "Marie[ ]Ève Tremblay");
  check ("Mary Jane Smith", "MARY-JANE SMITH", ER_NAME_HYPHENS | ER_NAME_CASE, CAUTION,
         NULL, "MARY[-]JANE SMITH");
  check ("Émilie Gagnon-Bérubé", "Emilie Gagnon Berube", ER_NAME_ACCENTS | ER_NAME_HYPHENS, CAUTION,
         "Close, you judge: accents differ, hyphen vs space", "[E]milie Gagnon[ ]B[e]rub[e]");
  /* Spaces around the hyphen only. */
  check ("Marie-Ève Tremblay", "Marie - Ève Tremblay", ER_NAME_SPACING, MATCH,
         "Same name: extra spaces", "Marie - Ève Tremblay");
  /* Another hyphen character (U+2011, non-breaking). */
  check ("Marie-Ève Tremblay", "Marie\xe2\x80\x91Ève Tremblay", ER_NAME_HYPHENS, CAUTION,
         NULL, "Marie[\xe2\x80\x91]Ève Tremblay");
}

static void
test_saint (void)
{
  check ("Jean St-Pierre", "Jean Saint-Pierre", ER_NAME_SAINT, CAUTION,
         "Close, you judge: St vs Saint", "Jean [Saint]-Pierre");
  check ("Jean Saint-Pierre", "JEAN ST-PIERRE", ER_NAME_SAINT | ER_NAME_CASE, CAUTION,
         NULL, "JEAN [ST]-PIERRE");
  check ("Anne Sainte-Marie", "Anne Ste-Marie", ER_NAME_SAINT, CAUTION, NULL, "Anne [Ste]-Marie");
  check ("Luc St. Onge", "Luc St-Onge", ER_NAME_SAINT | ER_NAME_HYPHENS, CAUTION,
         "Close, you judge: St vs Saint, hyphen vs space", "Luc [St-]Onge");
  check ("Mary St. John", "MARY SAINT JOHN", ER_NAME_SAINT | ER_NAME_CASE, CAUTION,
         NULL, "MARY [SAINT] JOHN");
  /* The same abbreviation in capitals is only capitals. */
  check ("Jean St-Pierre", "JEAN ST-PIERRE", ER_NAME_CASE, MATCH, NULL, NULL);
  /* Saint is not Sainte. */
  check ("Anne Sainte-Marie", "Anne St-Marie", ER_NAME_LETTERS, DIFFERENT,
         "Not the same name", NULL);
}

static void
test_apostrophes (void)
{
  check ("Luc D’Amour", "Luc D'Amour", ER_NAME_APOSTROPHES, MATCH,
         "Same name: apostrophe ’ vs '", "Luc D'Amour");
  check ("Sean O'Brien", "SEAN O’BRIEN", ER_NAME_APOSTROPHES | ER_NAME_CASE, MATCH,
         "Same name: capitals differ, apostrophe ’ vs '", "SEAN O’BRIEN");
  check ("Luc D'Amour", "Luc D Amour", ER_NAME_PUNCTUATION, CAUTION,
         "Close, you judge: punctuation differs", "Luc D[ ]Amour");
  check ("Luc D'Amour", "Luc D-Amour", ER_NAME_PUNCTUATION, CAUTION, NULL, "Luc D[-]Amour");
  /* A missing apostrophe joins two words: other letters. */
  check ("Luc D'Amour", "Luc DAmour", ER_NAME_LETTERS | ER_NAME_MISSING, DIFFERENT,
         "Not the same name", NULL);
}

static void
test_spaces (void)
{
  check ("Marie-Ève Tremblay", "Marie-Ève  Tremblay ", ER_NAME_SPACING, MATCH,
         "Same name: extra spaces", "Marie-Ève  Tremblay ");
  check ("  John   Smith ", "John Smith", ER_NAME_SPACING, MATCH, NULL, "John Smith");
  check ("John Smith", "JOHN\xc2\xa0SMITH\t", ER_NAME_SPACING | ER_NAME_CASE, MATCH,
         "Same name: capitals differ, extra spaces", NULL);
  /* A space inside a word is another word. */
  check ("Lebel", "Le Bel", ER_NAME_LETTERS | ER_NAME_EXTRA | ER_NAME_CASE, DIFFERENT, NULL, NULL);
}

static void
test_order (void)
{
  check ("Marie-Ève Tremblay", "Tremblay Marie-Ève", ER_NAME_ORDER, CAUTION,
         "Close, you judge: names in another order", "Tremblay Marie-Ève");
  check ("François Côté", "COTE FRANCOIS", ER_NAME_ORDER | ER_NAME_CASE | ER_NAME_ACCENTS, CAUTION,
         "Close, you judge: names in another order, accents differ", "C[O]T[E] FRAN[C]OIS");
  check ("John Smith", "Smith John", ER_NAME_ORDER, CAUTION, NULL, "Smith John");
}

static void
test_other_name (void)
{
  check ("François Côté", "Francis Côté", ER_NAME_LETTERS | ER_NAME_ACCENTS, DIFFERENT,
         "Not the same name", "Fran[ci]s Côté");
  check ("François Côté", "FRANCIS COTE", ER_NAME_LETTERS | ER_NAME_ACCENTS | ER_NAME_CASE,
         DIFFERENT, "Not the same name", "FRAN[CI]S C[O]T[E]");
  check ("Zoé Pelletier", "Zoë Peltier", ER_NAME_LETTERS | ER_NAME_ACCENTS, DIFFERENT,
         "Not the same name", "Zo[ë] Pe[lt]ier");
  check ("John Smith", "Jon Smith", ER_NAME_LETTERS, DIFFERENT, "Not the same name", "Jo[n] Smith");
  check ("John Smith", "John Smyth", ER_NAME_LETTERS, DIFFERENT, NULL, "John Sm[y]th");
  check ("Jean Tremblay", "Paul Gagnon", ER_NAME_LETTERS, DIFFERENT, NULL, "[Paul] [Gagnon]");
  /* A letter missing at the end of a word: the last letter is pointed at. */
  check ("Roberts", "Robert", ER_NAME_LETTERS, DIFFERENT, NULL, "Rober[t]");
}

static void
test_empty (void)
{
  check ("Zoé Pelletier", "", ER_NAME_LETTERS, DIFFERENT, "Not the same name", "");
  check ("", "Zoé Pelletier", ER_NAME_LETTERS, DIFFERENT, NULL, "Zoé Pelletier");
  check ("", "", ER_NAME_LETTERS, DIFFERENT, NULL, "");
  check ("Zoé Pelletier", "   ", ER_NAME_LETTERS, DIFFERENT, NULL, "   ");
  check ("-", "-", ER_NAME_LETTERS, DIFFERENT, NULL, "-");
  check (",", "Zoé", ER_NAME_LETTERS, DIFFERENT, NULL, NULL);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(ErNameComparison) comparison = er_name_comparison_new ("Zoé Pelletier", "Zo\xff");
  g_autofree char *markup = er_name_comparison_get_markup (comparison);
  guint n_ranges;

  g_assert_cmphex (er_name_compare ("Zoé Pelletier", "Zo\xff"), ==, ER_NAME_LETTERS);
  g_assert_cmphex (er_name_compare ("Zo\xff", "Zoé Pelletier"), ==, ER_NAME_LETTERS);
  g_assert_cmphex (er_name_compare ("Zo\xc3", "Zo\xc3"), ==, ER_NAME_LETTERS);
  g_assert_cmpint (er_name_comparison_get_level (comparison), ==, DIFFERENT);
  er_name_comparison_get_highlights (comparison, &n_ranges);
  g_assert_cmpuint (n_ranges, ==, 0);
  g_assert_true (g_utf8_validate (markup, -1, NULL));
  g_assert_cmpstr (markup, ==, "Not the same name");
}

/* Byte ranges, exactly. */
static void
test_highlight_ranges (void)
{
  static const struct {
    const char  *account;
    const char  *id;
    guint        n;
    ErNameRange  ranges[3];
  } cases[] = {
    { "Marie-Ève Tremblay", "MARIE-EVE TREMBLAY", 1, { { 6, 7 } } },
    /* É is two bytes. */
    { "Élodie Bélanger", "ÉLODIE BELANGER", 1, { { 9, 10 } } },
    { "Élodie Bélanger", "BELANGER, ELODIE", 3, { { 1, 2 }, { 8, 9 }, { 10, 11 } } },
    { "Jean Saint-Pierre", "Jean St-Pierre", 1, { { 5, 7 } } },
    { "Marie-Ève Tremblay", "Marie Ève Tremblay", 1, { { 5, 6 } } },
    { "John Smith", "John Paul Smith", 1, { { 5, 9 } } },
    { "John Smith", "JOHN SMITH", 0, { { 0, 0 } } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(ErNameComparison) comparison = er_name_comparison_new (cases[c].account, cases[c].id);
      const ErNameRange *ranges;
      guint n;

      ranges = er_name_comparison_get_highlights (comparison, &n);
      g_assert_cmpuint (n, ==, cases[c].n);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpuint (ranges[i].start, ==, cases[c].ranges[i].start);
          g_assert_cmpuint (ranges[i].end, ==, cases[c].ranges[i].end);
        }
    }
}

/* The markup: bold and underlined letters, everything escaped. */
static void
test_markup (void)
{
  static const ErNameRange ranges[] = { { 0, 1 }, { 3, 5 }, { 4, 6 }, { 8, 100 } };
  static const ErNameRange inside_letter[] = { { 1, 2 } };
  g_autoptr(ErNameComparison) accents = er_name_comparison_new ("Marie-Ève Tremblay",
                                                                "  MARIE-EVE TREMBLAY ");
  g_autoptr(ErNameComparison) escaped = er_name_comparison_new ("John O'Neil", "JOHN O<NEIL & CO>");
  g_autoptr(ErNameComparison) match = er_name_comparison_new ("John Smith", "JOHN SMITH");
  g_autofree char *accents_markup = er_name_comparison_get_markup (accents);
  g_autofree char *escaped_markup = er_name_comparison_get_markup (escaped);
  g_autofree char *match_markup = er_name_comparison_get_markup (match);
  g_autofree char *plain = NULL;
  g_autoptr(PangoAttrList) attributes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *m = NULL;

  /* The ID name without the spaces around it. */
  g_assert_cmpstr (accents_markup, ==,
                   "Close, you judge: accents differ · MARIE-<b><u>E</u></b>VE TREMBLAY");
  g_assert_cmpstr (escaped_markup, ==,
                   "Not the same name · JOHN <b><u>O&lt;NEIL</u></b> <b><u>&amp; CO&gt;</u></b>");
  /* Nothing highlighted: the verdict alone. */
  g_assert_cmpstr (match_markup, ==, "Same name: capitals differ");

  /* Pango reads the highlighted letter where it is. */
  g_assert_true (pango_parse_markup (accents_markup, -1, 0, &attributes, &plain, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PangoAttrIterator) iter = pango_attr_list_get_iterator (attributes);
    const char *e = strstr (plain, "MARIE-E") + strlen ("MARIE-");
    gboolean found = FALSE;

    do
      {
        int start, end;
        PangoAttribute *underline;

        pango_attr_iterator_range (iter, &start, &end);
        underline = pango_attr_iterator_get (iter, PANGO_ATTR_UNDERLINE);
        if (underline != NULL)
          {
            g_assert_cmpint (start, ==, e - plain);
            g_assert_cmpint (end, ==, e - plain + 1);
            g_assert_nonnull (pango_attr_iterator_get (iter, PANGO_ATTR_WEIGHT));
            found = TRUE;
          }
      }
    while (pango_attr_iterator_next (iter));
    g_assert_true (found);
  }

  /* Overlapping ranges are taken from where the last one ended; ranges
   * past the end are clipped. */
  m = er_name_markup_highlights ("a<b>&cdefgh", ranges, G_N_ELEMENTS (ranges));
  g_assert_cmpstr (m, ==, "<b><u>a</u></b>&lt;b<b><u>&gt;&amp;</u></b><b><u>c</u></b>de<b><u>fgh</u></b>");
  g_clear_pointer (&m, g_free);
  /* Never a range in the middle of a letter. */
  m = er_name_markup_highlights ("é", inside_letter, 1);
  g_assert_cmpstr (m, ==, "é");
  g_clear_pointer (&m, g_free);
  m = er_name_markup_highlights ("Zo\xff", NULL, 0);
  g_assert_true (g_utf8_validate (m, -1, NULL));
}

/* Long names are not aligned, and take no time. */
static void
test_long (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GString) long_word = g_string_new (NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append (many, "Marie ");
  for (guint i = 0; i < 1000; i++)
    g_string_append (long_word, "é");

  g_assert_cmphex (er_name_compare (many->str, "Marie"), ==, ER_NAME_LETTERS);
  g_assert_cmphex (er_name_compare (many->str, many->str), ==, ER_NAME_SAME);
  g_assert_cmphex (er_name_compare (long_word->str, "e"), ==, ER_NAME_LETTERS);
  g_assert_cmphex (er_name_compare (long_word->str, long_word->str), ==, ER_NAME_SAME);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/name/same", test_same);
  g_test_add_func ("/name/capitals", test_capitals);
  g_test_add_func ("/name/accents", test_accents);
  g_test_add_func ("/name/surname-first", test_surname_first);
  g_test_add_func ("/name/given-names", test_given_names);
  g_test_add_func ("/name/hyphens", test_hyphens);
  g_test_add_func ("/name/saint", test_saint);
  g_test_add_func ("/name/apostrophes", test_apostrophes);
  g_test_add_func ("/name/spaces", test_spaces);
  g_test_add_func ("/name/order", test_order);
  g_test_add_func ("/name/other-name", test_other_name);
  g_test_add_func ("/name/empty", test_empty);
  g_test_add_func ("/name/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/name/highlight-ranges", test_highlight_ranges);
  g_test_add_func ("/name/markup", test_markup);
  g_test_add_func ("/name/long", test_long);

  return g_test_run ();
}
