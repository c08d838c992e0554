/* test-id-fields.c: the name and the expiry date found by their labels
 * among the lines an OCR read on an ID, and the dates as IDs print them.
 * The lines are written here as Tesseract gives them, damage included;
 * no photo is involved. */
#include "config.h"

#include "er-id-fields.h"

typedef struct {
  const char *text;
  float       confidence;
  int         x, y, width, height;
} Spec;

/* Lines with their boxes as given. */
static GPtrArray *
lines_from_specs (const Spec *specs,
                  guint       n)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (lines, er_id_line_new (specs[i].text, specs[i].confidence, specs[i].x,
                                            specs[i].y, specs[i].width, specs[i].height));
  return lines;
}

/* Lines one under the other in one column, confidence 90, NULL-terminated. */
static GPtrArray *
stacked_lines (const char *first,
               ...)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  va_list args;
  int y = 100;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    {
      g_ptr_array_add (lines, er_id_line_new (text, 90.0f, 100, y, 600, 30));
      y += 40;
    }
  va_end (args);
  return lines;
}

#define FIND(...) find_in (stacked_lines (__VA_ARGS__, NULL))

static ErIdFields *
find_in (GPtrArray *lines)
{
  g_autoptr(GPtrArray) owned = lines;

  return er_id_fields_find (owned);
}

static void
assert_date (const GDate *date,
             int          day,
             int          month,
             int          year)
{
  g_assert_true (g_date_valid (date));
  g_assert_cmpint (g_date_get_day (date), ==, day);
  g_assert_cmpint (g_date_get_month (date), ==, month);
  g_assert_cmpint (g_date_get_year (date), ==, year);
}

static void
assert_no_name (const ErIdFields *fields)
{
  g_assert_null (fields->surname);
  g_assert_null (fields->given_names);
  g_assert_null (fields->name);
  g_assert_cmpfloat (fields->name_confidence, ==, 0.0f);
  g_assert_cmpint (fields->name_x, ==, 0);
  g_assert_cmpint (fields->name_y, ==, 0);
  g_assert_cmpint (fields->name_width, ==, 0);
  g_assert_cmpint (fields->name_height, ==, 0);
}

static void
assert_split (const ErIdFields *fields,
              const char       *surname,
              const char       *given_names)
{
  g_assert_cmpstr (fields->surname, ==, surname);
  g_assert_cmpstr (fields->given_names, ==, given_names);
  g_assert_null (fields->name);
}

/* ---- Documents ---- */

/* A Canadian passport data page, English first, as read top to bottom,
 * with its machine-readable zone. */
static const Spec passport_page[] = {
  { "PASSPORT PASSEPORT", 93, 40, 20, 500, 30 },
  { "CANADA", 95, 40, 60, 150, 28 },
  { "Type/Type Issuing Country/Pays émetteur Passport No./N° de passeport", 81, 300, 100, 700, 20 },
  { "P CAN AB123456", 92, 300, 125, 500, 26 },
  { "Surname/Nom", 88, 300, 165, 180, 20 },
  { "CÔTÉ", 91, 300, 190, 110, 28 },
  { "Given names/Prénoms", 86, 300, 230, 240, 20 },
  { "FRANÇOIS XAVIER", 84, 300, 255, 330, 28 },
  { "Nationality/Nationalité", 87, 300, 295, 260, 20 },
  { "CANADIAN/CANADIENNE", 90, 300, 320, 380, 28 },
  { "Date of birth/Date de naissance", 85, 300, 360, 330, 20 },
  { "14 JUIL /JUL 90", 92, 300, 385, 260, 28 },
  { "Sex/Sexe Place of birth/Lieu de naissance", 83, 300, 425, 450, 20 },
  { "M MONTREAL CAN", 89, 300, 450, 300, 28 },
  { "Date of issue/Date de délivrance", 86, 300, 490, 340, 20 },
  { "01 JUIN /JUN 16", 93, 300, 515, 260, 28 },
  { "Date of expiry/Date d'expiration", 85, 300, 555, 340, 20 },
  { "28 MAI /MAY 26", 94, 300, 580, 250, 28 },
  { "Issuing Authority/Autorité de délivrance", 80, 300, 620, 430, 20 },
  { "GATINEAU", 90, 300, 645, 180, 28 },
  { "P<CANCOTE<<FRANCOIS<XAVIER<<<<<<<<<<<<<<<<<<", 78, 40, 720, 1000, 32 },
  { "AB123456<0CAN9007149M2605282<<<<<<<<<<<<<<02", 79, 40, 760, 1000, 32 },
};

static void
test_passport (void)
{
  g_autoptr(GPtrArray) lines = lines_from_specs (passport_page, G_N_ELEMENTS (passport_page));
  g_autoptr(ErIdFields) fields = er_id_fields_find (lines);

  assert_split (fields, "CÔTÉ", "FRANÇOIS XAVIER");
  /* the value lines only: "CÔTÉ" and "FRANÇOIS XAVIER" */
  g_assert_cmpfloat (fields->name_confidence, ==, 84.0f);
  g_assert_cmpint (fields->name_x, ==, 300);
  g_assert_cmpint (fields->name_y, ==, 190);
  g_assert_cmpint (fields->name_width, ==, 330);
  g_assert_cmpint (fields->name_height, ==, 255 + 28 - 190);
  /* not the birth date, not the issue date */
  assert_date (&fields->expiry, 28, 5, 2026);
}

/* A French passport: French first, "(1)" after the label, numeric dates. */
static void
test_passport_french (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "RÉPUBLIQUE FRANÇAISE",
    "PASSEPORT / PASSPORT",
    "Type / Type Code du pays / Country code Passeport n° / Passport No.",
    "P FRA 12AB34567",
    "Nom / Surname (1)",
    "DE LA FONTAINE",
    "Prénoms / Given names",
    "MARIE-HÉLÈNE, CLAIRE",
    "Nationalité / Nationality",
    "Française",
    "Date de naissance / Date of birth",
    "01 02 1985",
    "Date de délivrance / Date of issue",
    "15 03 2018",
    "Date d'expiration / Date of expiry",
    "14 03 2028",
    "Autorité / Authority",
    "Préfecture de la Gironde");

  assert_split (fields, "DE LA FONTAINE", "MARIE-HÉLÈNE, CLAIRE");
  assert_date (&fields->expiry, 14, 3, 2028);
}

/* A French identity card (2021): a used name that is not the name, and
 * given names listed with commas. */
static void
test_french_card (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "RÉPUBLIQUE FRANÇAISE",
    "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
    "NOM / Surname",
    "MARTIN",
    "Nom d'usage / Used name",
    "ép. DURAND",
    "Prénoms / Given names",
    "CLAIRE, ANNE",
    "SEXE / SEX NATIONALITÉ / NATIONALITY",
    "F FRA",
    "DATE DE NAISS. / DATE OF BIRTH",
    "Date et lieu de naissance / Date and place of birth",
    "03 02 1985 LYON",
    "DATE D'EXPIR. / EXPIRY DATE",
    "14 03 2031");

  assert_split (fields, "MARTIN", "CLAIRE, ANNE");
  assert_date (&fields->expiry, 14, 3, 2031);
}

/* A Canadian card, French first, "Prénom(s) / Given name(s)". */
static void
test_canadian_card (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "CANADA",
    "Carte de résident permanent / Permanent Resident Card",
    "Nom / Surname",
    "TREMBLAY",
    "Prénom(s) / Given name(s)",
    "MARIE-ÈVE",
    "Date de naissance / Date of birth",
    "1992-11-03",
    "Date d'expiration / Date of expiry",
    "2026-05-28");

  assert_split (fields, "TREMBLAY", "MARIE-ÈVE");
  assert_date (&fields->expiry, 28, 5, 2026);
}

/* An Ontario licence: "NAME/NOM", then the whole name as "SURNAME," over
 * the given names; numbered fields side by side. */
static void
test_ontario (void)
{
  g_autoptr(ErIdFields) fields = NULL;
  Spec specs[] = {
    { "ONTARIO", 94, 30, 10, 200, 30 },
    { "DRIVER'S LICENCE / PERMIS DE CONDUIRE", 88, 260, 14, 500, 22 },
    { "4d NUMBER/NUMÉRO", 85, 330, 60, 220, 18 },
    { "C1234-56789-01234", 92, 330, 82, 320, 26 },
    { "NAME/NOM", 87, 330, 120, 120, 18 },
    { "CÔTÉ,", 93, 330, 142, 100, 26 },
    { "FRANÇOIS XAVIER", 89, 330, 172, 260, 26 },
    { "123 MAIN ST", 90, 330, 210, 200, 24 },
    { "TORONTO, ON M5V 2T6", 90, 330, 238, 300, 24 },
    { "4a ISS/DÉL 2021/03/15 4b EXP 2026/05/28", 86, 330, 280, 600, 22 },
    { "3 DOB/DDN 1990/07/14", 88, 330, 310, 300, 22 },
  };
  g_autoptr(GPtrArray) lines = lines_from_specs (specs, G_N_ELEMENTS (specs));

  fields = er_id_fields_find (lines);
  g_assert_null (fields->surname);
  g_assert_null (fields->given_names);
  g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS XAVIER");
  g_assert_cmpfloat (fields->name_confidence, ==, 89.0f);
  g_assert_cmpint (fields->name_x, ==, 330);
  g_assert_cmpint (fields->name_y, ==, 142);
  g_assert_cmpint (fields->name_width, ==, 260);
  g_assert_cmpint (fields->name_height, ==, 172 + 26 - 142);
  assert_date (&fields->expiry, 28, 5, 2026);

  /* The whole name on one line, after the label or below it. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("NAME/NOM CÔTÉ, FRANÇOIS", "4b EXP 2026/05/28");
  g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS");
  g_assert_null (fields->surname);
  assert_date (&fields->expiry, 28, 5, 2026);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("NAME/NOM", "CÔTÉ, FRANÇOIS XAVIER", "123 MAIN ST");
  g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS XAVIER");
  g_assert_cmpint (fields->name_y, ==, 140);
  g_assert_cmpint (fields->name_height, ==, 30);

  /* "Name" alone, "Nom / Name" */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Name", "François Côté");
  g_assert_cmpstr (fields->name, ==, "François Côté");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Name: CÔTÉ, FRANÇOIS");
  g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS");
  g_assert_null (fields->surname);
}

/* Québec licence: numbered labels, with or without their space. */
static void
test_quebec_numbered (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "QUÉBEC",
    "PERMIS DE CONDUIRE",
    "1 NOM",
    "CÔTÉ",
    "2 PRÉNOM",
    "FRANÇOIS",
    "3 DATE DE NAISSANCE",
    "1990-07-14",
    "4a DATE DE DÉLIVRANCE 2021-03-15",
    "4b EXPIRATION",
    "2027-03-15");

  assert_split (fields, "CÔTÉ", "FRANÇOIS");
  assert_date (&fields->expiry, 15, 3, 2027);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("1NOM", "GAGNON-ROY", "2PRÉNOM", "ÉLISE", "4b EXP 2027-03-15");
  assert_split (fields, "GAGNON-ROY", "ÉLISE");
  assert_date (&fields->expiry, 15, 3, 2027);
}

/* A name starting one letter away from a label the finder does not read
 * ("ÉMILE" and "Émis le", an issue date's) is a name, not a label. */
static void
test_name_like_label (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "Nom / Surname",
    "BOURGEOIS-SAINT-LAURENT",
    "Prénoms / Given names",
    "ÉMILE OCÉANE FRANÇOIS");

  assert_split (fields, "BOURGEOIS-SAINT-LAURENT", "ÉMILE OCÉANE FRANÇOIS");
}

/* Labels as an OCR damages them. */
static void
test_damaged_labels (void)
{
  struct {
    const char *surname_label;
    const char *given_label;
  } cases[] = {
    { "Norn/Surnarne", "Prenorn(s) | Given narne(s)" },   /* m read as rn */
    { "NOM l SURNAME", "PRENOM l GIVEN NAMES" },          /* slash read as l */
    { "NOM I SURNAME", "PRÉNOMS 1 GIVEN NAMES" },         /* ... as I, as 1 */
    { "nom/surmame", "prénom/given nanes" },              /* a wrong letter, lower case */
    { "NomSurname", "PrénomGiven name" },                 /* spaces lost */
    { "Nom|Surname", "Prenoms|Given names" },             /* no accent */
    { "NOM / SURNAMF", "PRENOMS / GlVEN NAMES" },         /* F for E, l for I */
    { "Surnarne|Nom:", "Given names/Prenorns:" },         /* English first */
    { "Nom de farnille", "Prénorn" },                     /* single labels */
    { ". Nom / Surnane", "_ Prénoms / Giver names" },      /* junk before, one edit */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ErIdFields) fields = FIND (cases[i].surname_label, "CÔTÉ",
                                           cases[i].given_label, "FRANÇOIS");

      g_test_message ("%s / %s", cases[i].surname_label, cases[i].given_label);
      assert_split (fields, "CÔTÉ", "FRANÇOIS");
    }

  {
    /* The second half of a label past repair, after its slash: not a
     * value; the value is below. */
    g_autoptr(ErIdFields) fields = FIND ("Nom/Sxrnxme", "CÔTÉ", "Prénoms | Gxvxn nxmes",
                                         "FRANÇOIS");

    assert_split (fields, "CÔTÉ", "FRANÇOIS");
  }
  {
    g_autoptr(ErIdFields) fields = FIND ("NAMEINOM", "CÔTÉ, FRANÇOIS");

    g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS");
  }
  {
    /* two edits is no label (and so no name) */
    g_autoptr(ErIdFields) fields = FIND ("Nxm/Sxrname", "CÔTÉ", "Prxnxm", "FRANÇOIS");

    assert_no_name (fields);
  }
  {
    /* a short label is matched exactly: "Nam" is not "Name" */
    g_autoptr(ErIdFields) fields = FIND ("Nam", "CÔTÉ, FRANÇOIS");

    assert_no_name (fields);
  }
  {
    g_autoptr(ErIdFields) fields = FIND ("Date d'expiratlon / Date of explry", "28.05.2026");

    assert_date (&fields->expiry, 28, 5, 2026);
  }
}

/* The value on the label's own line, or on the line below. */
static void
test_same_line (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Nom : DUPONT", "Prénom(s) : Jean Pierre",
                                       "Carte valable jusqu'au : 28.05.2026");

  assert_split (fields, "DUPONT", "Jean Pierre");
  /* both on one line: its box */
  g_assert_cmpint (fields->name_y, ==, 100);
  g_assert_cmpint (fields->name_height, ==, 70);
  assert_date (&fields->expiry, 28, 5, 2026);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname CÔTÉ", "Prénoms / Given names", "FRANÇOIS");
  assert_split (fields, "CÔTÉ", "FRANÇOIS");

  /* two labels with their values on one line */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom : CÔTÉ Prénom : FRANÇOIS");
  assert_split (fields, "CÔTÉ", "FRANÇOIS");
  g_assert_cmpint (fields->name_y, ==, 100);
  g_assert_cmpint (fields->name_height, ==, 30);

  /* "(1)" after the label is not its value */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname (1)", "MARTIN", "Prénoms / Given names (2)", "LUC");
  assert_split (fields, "MARTIN", "LUC");
}

/* A label whose next line is another label has no value. */
static void
test_label_then_label (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Nom / Surname", "Prénom(s) / Given name(s)", "MARIE");

  g_assert_null (fields->surname);
  g_assert_cmpstr (fields->given_names, ==, "MARIE");
  g_assert_null (fields->name);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("NAME/NOM", "Date of birth/Date de naissance", "14 JUIL /JUL 90");
  assert_no_name (fields);
  g_assert_false (g_date_valid (&fields->expiry));

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of expiry/Date d'expiration", "Date of issue/Date de délivrance",
                 "01 JUIN /JUN 16");
  g_assert_false (g_date_valid (&fields->expiry));

  /* Two labels side by side, their values below: whose is which is not
   * guessed. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname Prénoms / Given names", "CÔTÉ FRANÇOIS");
  assert_no_name (fields);
}

/* Names as printed: accents, hyphens, apostrophes, particles, other
 * scripts, decomposed accents; returned exactly as read. */
static void
test_names (void)
{
  struct {
    const char *surname;
    const char *given;
  } cases[] = {
    { "D'ARCY-O’BRIEN", "JEAN-FRANÇOIS" },
    { "DE LA FONTAINE", "Marie de la Croix" },
    { "VAN DER BERG", "ANNA-LENA" },
    { "N’DIAYE", "AÏSSATOU" },
    { "ST. PIERRE", "ÉLODIE" },
    { "ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΓΙΑΝΝΗΣ" },
    { "CO\xcc\x82TE\xcc\x81", "FRANC\xcc\xa7OIS" },  /* NFD */
    { "ØSTERGÅRD", "SØREN" },
    { "LEBLANC - GAUTHIER", "JOSÉE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ErIdFields) fields = FIND ("Nom / Surname", cases[i].surname,
                                           "Prénoms / Given names", cases[i].given);

      g_test_message ("%s, %s", cases[i].surname, cases[i].given);
      assert_split (fields, cases[i].surname, cases[i].given);
    }
}

static void
test_long_names (void)
{
  const char *surname = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF-DE LA VEGA Y O’CONNOR-SAINT-ONGE";
  const char *given = "MARIA DEL CARMEN FRANCISCA DE PAULA JOSEFA ANTONIA ISIDORA DOLORES";
  g_autoptr(ErIdFields) fields = FIND ("Surname/Nom", surname, "Given names/Prénoms", given);
  g_autoptr(GString) huge = g_string_new ("NAME/NOM ");

  assert_split (fields, surname, given);

  /* A line of thousands of letters: still one name, read in one go. */
  for (guint i = 0; i < 500; i++)
    g_string_append (huge, i % 2 == 0 ? "ABCDÉFGHIJ-" : "KLMNOPQRS ");
  g_string_append (huge, "Z");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND (huge->str);
  g_assert_cmpstr (fields->name, ==, huge->str + strlen ("NAME/NOM "));
}

/* OCR junk: lines of specks skipped, ends trimmed, the value as read. */
static void
test_junk (void)
{
  g_autoptr(ErIdFields) fields = FIND (
    "~ ~",
    "Nom / Surname",
    "|",
    "| CÔTÉ _",
    "Prénoms / Given names",
    "— _ .",
    "l FRANÇOIS XAVIER —",
    "@#%&*",
    "i");

  assert_split (fields, "CÔTÉ", "FRANÇOIS XAVIER");
  /* the lines holding the values */
  g_assert_cmpint (fields->name_y, ==, 100 + 3 * 40);
  g_assert_cmpint (fields->name_height, ==, 3 * 40 + 30);

  /* A value with digits, or a label in it, is not a name; an inline
   * value that is not a name is not replaced by the line below. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "CÔTÉ 123", "Prénoms / Given names", "FRANÇ0IS");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Name", "Sex/Sexe M");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom/Surname C0TÉ", "CÔTÉ");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "CÔTÉ: FRANÇOIS", "Name", "CÔTÉ, FRANÇOIS, XAVIER");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "CÔTÉ Date of birth 14.07.1990");
  assert_no_name (fields);

  /* A line the OCR gave as invalid UTF-8 is a junk line. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "\xff\xfe\x80", "CÔTÉ");
  g_assert_cmpstr (fields->surname, ==, "CÔTÉ");
  g_assert_cmpint (fields->name_y, ==, 180);
}

/* No label, no name: nothing is guessed. */
static void
test_no_label (void)
{
  g_autoptr(ErIdFields) fields = FIND ("CANADA", "Carte", "FRANÇOIS XAVIER", "28 MAI /MAY 26",
                                       "P<CANCOTE<<FRANCOIS<XAVIER<<<<<<<<<<<<<<<<<<");
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();

  assert_no_name (fields);
  g_assert_false (g_date_valid (&fields->expiry));

  g_clear_pointer (&fields, er_id_fields_free);
  fields = er_id_fields_find (empty);
  assert_no_name (fields);
  g_assert_false (g_date_valid (&fields->expiry));

  /* Words that begin like labels are not labels. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("NOMINATION", "CÔTÉ", "Names", "FRANÇOIS", "EXPRESS 2026-05-28");
  assert_no_name (fields);
  g_assert_false (g_date_valid (&fields->expiry));
}

/* A value whose box reaches up beside its label (Tesseract's line box
 * took in something of the label's row) is still the line below it; a
 * name level with a surname or given names label is its value beside it. */
static void
test_tall_value_box (void)
{
  const Spec specs[] = {
    { "Nom / Surname", 92, 746, 786, 170, 17 },
    { "DAOUST", 93, 746, 811, 156, 34 },
    { "Prénoms / Given names", 89, 745, 883, 248, 26 },
    { "STÉPHANE FRANÇOIS", 79, 745, 887, 584, 73 },
    { "Nationalité / Nationality", 94, 745, 983, 829, 18 },
  };
  const Spec beside[] = {
    { "Prénoms / Given names", 89, 745, 883, 248, 26 },
    { "STÉPHANE", 79, 1100, 880, 300, 34 },
  };
  g_autoptr(ErIdFields) fields = find_in (lines_from_specs (specs, G_N_ELEMENTS (specs)));

  g_assert_cmpstr (fields->surname, ==, "DAOUST");
  g_assert_cmpstr (fields->given_names, ==, "STÉPHANE FRANÇOIS");
  g_assert_false (fields->name_unlabelled);

  /* A line of specks and the portrait's edge read first, lower than
   * the names: the names are still the line below their label. */
  {
    const Spec junk_first[] = {
      { "Prénoms / Given names", 93, 1001, 599, 305, 27 },
      { "es 20/12/1986 F", 76, 726, 635, 721, 154 },
      { "LAURENCE LÉA", 92, 1001, 626, 343, 40 },
    };
    const Spec junk_above[] = {
      { "Prénoms / Given names", 93, 1001, 599, 305, 27 },
      { "es 20/12/1986 F", 76, 726, 620, 721, 40 },
      { "LAURENCE LÉA", 92, 1001, 666, 343, 40 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (junk_first, G_N_ELEMENTS (junk_first)));
    g_assert_cmpstr (fields->given_names, ==, "LAURENCE LÉA");
    /* Read in order, the line nearest is no name: none. */
    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (junk_above, G_N_ELEMENTS (junk_above)));
    g_assert_null (fields->given_names);
  }

  /* Read before its label, its box reaching up beside it. */
  {
    const Spec before[] = {
      { "ÉDULIB — CARTE D'IDENTITÉ FICTIVE", 63, 499, 662, 1973, 129 },
      { "THÉRIAULT, JOSÉE OCÉANE", 90, 1230, 998, 1190, 163 },
      { "Nom, prénom / Name", 91, 1235, 987, 712, 64 },
      { "Date de naissance / Date of birth Sexe / Sex", 92, 1235, 1197, 1229, 59 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (before, G_N_ELEMENTS (before)));
    g_assert_cmpstr (fields->name, ==, "THÉRIAULT, JOSÉE OCÉANE");
    g_assert_cmpint (fields->zone_width, ==, 0);
  }

  /* Beside it, level with it: not below it, but its value in the next
   * column (the columns read as blocks of their own). */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = find_in (lines_from_specs (beside, G_N_ELEMENTS (beside)));
  g_assert_cmpstr (fields->given_names, ==, "STÉPHANE");

  /* Beside it: a label's remains in small letters are no name ("Country
   * code" cut, on a passport), nor anything beside the whole name's label
   * (its value is below it). */
  {
    const Spec remains[] = {
      { "Nom / Surname", 66, 322, 815, 333, 40 },
      { "ountry", 91, 1000, 815, 52, 16 },
      { "GOYETTE", 92, 493, 868, 194, 37 },
    };
    const Spec full[] = {
      { "Nom, prénom / Name", 88, 714, 611, 186, 27 },
      { "RIELLE FÉLIX", 91, 949, 600, 294, 40 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (remains, G_N_ELEMENTS (remains)));
    g_assert_cmpstr (fields->surname, ==, "GOYETTE");
    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (full, G_N_ELEMENTS (full)));
    g_assert_null (fields->name);
  }
}

/* Half a name, the other half's label read without its value (the page
 * layout skipped that line): where the value should be, under its label
 * down to the next line in its column, to read it alone. */
static void
test_value_zone (void)
{
  const Spec specs[] = {
    { "Nom / Surname", 88, 813, 1410, 161, 17 },
    { "OUELLET", 90, 813, 1435, 167, 26 },
    { "Prénoms / Given names", 94, 813, 1495, 238, 25 },
    { "Nationalité / Nationality Date de naissance / Date of birth", 92, 813, 1581, 715, 26 },
  };
  g_autoptr(ErIdFields) fields = find_in (lines_from_specs (specs, G_N_ELEMENTS (specs)));

  g_assert_cmpstr (fields->surname, ==, "OUELLET");
  g_assert_null (fields->given_names);
  g_assert_cmpint (fields->zone_after, ==, 2);
  g_assert_cmpint (fields->zone_x, ==, 813 - 12);
  g_assert_cmpint (fields->zone_y, ==, 1495 + 18);
  g_assert_cmpint (fields->zone_y + fields->zone_height, ==, 1581);
  g_assert_cmpint (fields->zone_x + fields->zone_width, ==, 813 + 3 * 238);

  /* A whole name's label, its value not read (or read before it, out
   * of order): the zone under it. */
  {
    const Spec full[] = {
      { "ÉDULIB — CARTE D'IDENTITÉ FICTIVE", 92, 200, 220, 1531, 71 },
      { "Nom, prénom / Name", 91, 760, 463, 510, 46 },
      { "Date de naissance / Date of birth Sexe / Sex", 93, 759, 619, 955, 43 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (full, G_N_ELEMENTS (full)));
    g_assert_null (fields->name);
    g_assert_cmpint (fields->zone_after, ==, 1);
    g_assert_cmpint (fields->zone_y, ==, 463 + 34);
    g_assert_cmpint (fields->zone_y + fields->zone_height, ==, 619);
  }

  /* Both halves read: no zone. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "OUELLET", "Prénoms / Given names", "NOËL");
  g_assert_cmpint (fields->zone_width, ==, 0);
}

/* An expiry label read without its date (a part of it joined to the
 * label's line, the rest to the next line's start, on a card photographed
 * at an angle): where the date should be, from the line's start, under
 * the label's text (the labels' lines' median height, 33), three labels
 * high.
 * None when the date is read, or when there is no expiry label. */
static void
test_expiry_zone (void)
{
  const Spec specs[] = {
    { "Nom / Surname", 91, 790, 484, 269, 28 },
    { "O'BRIEN", 91, 789, 516, 250, 42 },
    { "Prénom / Given name", 92, 788, 600, 376, 33 },
    { "KEVIN", 89, 786, 635, 198, 43 },
    { "Date de naissance / Date of birth Sexe / Sex", 94, 784, 721, 757, 30 },
    { "1965-08-27", 96, 785, 755, 285, 46 },
    { "Date d'e ‘04-04 / Date of expiry Numéro / Number", 88, 781, 847, 890, 84 },
    { "2029- 12578-713186-79", 91, 778, 880, 898, 61 },
  };
  g_autoptr(ErIdFields) fields = find_in (lines_from_specs (specs, G_N_ELEMENTS (specs)));

  g_assert_false (g_date_valid (&fields->expiry) && !fields->expiry_unlabelled);
  g_assert_cmpint (fields->expiry_zone_x, ==, 781 - 16);
  g_assert_cmpint (fields->expiry_zone_y, ==, 847 + 24);
  g_assert_cmpint (fields->expiry_zone_height, ==, 99);
  /* The value's row is in it, from its start. */
  g_assert_cmpint (fields->expiry_zone_x, <=, 778);
  g_assert_cmpint (fields->expiry_zone_y + fields->expiry_zone_height, >=, 880 + 61);
  g_assert_cmpint (fields->expiry_zone_x + fields->expiry_zone_width, >=, 781 + 8 * 33);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date d'expiration / Date of expiry", "2029-04-04");
  g_assert_true (g_date_valid (&fields->expiry));
  g_assert_cmpint (fields->expiry_zone_width, ==, 0);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "OUELLET", "1965-08-27");
  g_assert_cmpint (fields->expiry_zone_width, ==, 0);
}

/* A name's line under its label that starts right of it (its first
 * capital dropped: "HANH" at 1106 under a label at 1083) is to be read
 * again from the label's start (or the other half's, further left); one
 * that starts with it is not. */
static void
test_rechecks (void)
{
  const Spec specs[] = {
    { "NOM / SURNAME", 91, 1083, 769, 273, 30 },
    { "GOYETTE", 90, 1082, 802, 218, 43 },
    { "PRÉNOMS / GIVEN NAMES", 93, 1083, 885, 419, 36 },
    { "HANH", 90, 1106, 925, 143, 40 },
    { "NATIONALITÉ / NATIONALITY DATE DE NAISSANCE / DATE OF BIRTH", 91, 1083, 1001, 1087, 47 },
  };
  g_autoptr(ErIdFields) fields = find_in (lines_from_specs (specs, G_N_ELEMENTS (specs)));
  const ErIdRecheck *recheck = &fields->rechecks[0];

  g_assert_cmpstr (fields->given_names, ==, "HANH");
  g_assert_cmpuint (fields->n_rechecks, ==, 1);
  g_assert_cmpuint (recheck->line, ==, 3);
  /* From half the line's height left of the label (or of the surname, a
   * pixel further left here), to as much right of the line; from a third
   * of its height above it (the accents of capitals whose box Tesseract
   * gave without them reach up beside the label's bottom), to a sixth
   * below. */
  g_assert_cmpint (recheck->x, ==, 1082 - 20);
  g_assert_cmpint (recheck->x + recheck->width, ==, 1106 + 143 + 20);
  g_assert_cmpint (recheck->y, ==, 925 - 13);
  g_assert_cmpint (recheck->y + recheck->height, ==, 925 + 40 + 6);

  /* Both values where their labels start, or one a few pixels right: no
   * second reading. */
  {
    const Spec even[] = {
      { "NOM / SURNAME", 91, 1083, 769, 273, 30 },
      { "GOYETTE", 90, 1082, 802, 218, 43 },
      { "PRÉNOMS / GIVEN NAMES", 93, 1083, 885, 419, 36 },
      { "THANH", 90, 1088, 925, 170, 40 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (even, G_N_ELEMENTS (even)));
    g_assert_cmpstr (fields->given_names, ==, "THANH");
    g_assert_cmpuint (fields->n_rechecks, ==, 0);
  }

  /* The given names' label read without its start ("/ Given names",
   * glare), their line right of the surname's: read again from the
   * surname's start. */
  {
    const Spec lost_label[] = {
      { "Nom / Surname", 92, 750, 472, 306, 34 },
      { "BÉDARD", 79, 750, 509, 240, 44 },
      { "/ Given names", 91, 937, 600, 288, 37 },
      { "DRÉE- ANNE NOUR", 63, 822, 640, 554, 44 },
    };

    g_clear_pointer (&fields, er_id_fields_free);
    fields = find_in (lines_from_specs (lost_label, G_N_ELEMENTS (lost_label)));
    g_assert_cmpstr (fields->given_names, ==, "DRÉE-ANNE NOUR");
    g_assert_cmpuint (fields->n_rechecks, ==, 1);
    g_assert_cmpint (fields->rechecks[0].x, ==, 750 - 22);
  }

  /* A value on its label's line has nothing to be read again. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname: CÔTÉ", "Prénoms / Given names: FRANÇOIS");
  g_assert_cmpuint (fields->n_rechecks, ==, 0);
}

/* Spaces beside a hyphen between two letters go ("ANDRÉE- ANNE"); a
 * hyphen alone between spaces stays. */
static void
test_hyphen_spaces (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Nom / Surname", "CÔTÉ -OUELLETTE", "Prénoms / Given names",
                                       "ANDRÉE- ANNE NOUR");

  g_assert_cmpstr (fields->surname, ==, "CÔTÉ-OUELLETTE");
  g_assert_cmpstr (fields->given_names, ==, "ANDRÉE-ANNE NOUR");
}

/* A comma read as a semicolon between a surname and the given names is a
 * comma. */
static void
test_semicolon (void)
{
  g_autoptr(ErIdFields) fields = FIND ("NOM, PRÉNOM NAME", "GAGNÉ; HÉLÈNE", "DATE DE NAISSANCE / DATE OF BIRTH");

  g_assert_cmpstr (fields->name, ==, "GAGNÉ, HÉLÈNE");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "CÔTÉ", "Prénoms / Given names", "JEAN; PIERRE");
  g_assert_cmpstr (fields->given_names, ==, "JEAN, PIERRE");
}

/* Specks read as small words in a name in capitals are dropped; a name
 * written in small letters stays as read. */
static void
test_small_words (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Nom, prénom / Name", "NGUYEN, DOMINIQUE nn");
  const char *kept[] = { "Nguyen, Dominique", "NGUYEN, de la Cruz MARIA", "DE LA CRUZ, MARIA" };

  g_assert_cmpstr (fields->name, ==, "NGUYEN, DOMINIQUE");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Prénoms / Given names", "Où THÉRÈSE CAMILLE", "Nom / Surname", "DESJARDINS");
  g_assert_cmpstr (fields->given_names, ==, "THÉRÈSE CAMILLE");
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_clear_pointer (&fields, er_id_fields_free);
      fields = FIND ("Nom, prénom / Name", kept[i]);
      g_assert_cmpstr (fields->name, ==, kept[i]);
    }
  /* By its place too. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("ÉMOND", "MAXIME ne", "12.05.1980");
  g_assert_cmpstr (fields->given_names, ==, "MAXIME");
}

/* Every label lost (blur, glare), the values read: the capitals just
 * above the first date, surname then given names, or one line with its
 * comma (or above a passport's nationality); said to be guessed. Not a
 * header, a sentence, a line with a label, nor one line without a comma.
 * Half a name's label lost: the line beside the other half. */
static void
test_layout (void)
{
  g_autoptr(ErIdFields) fields = FIND ("ÉDULIB — CARTE D'IDENTITÉ FICTIVE", "RTE D'IDENTITÉ", "ROY",
                                       "FRANÇOISE MAMADOU", "a", "05.04.2004 F", "20.05.2025");

  g_assert_true (fields->name_unlabelled);
  g_assert_cmpstr (fields->surname, ==, "ROY");
  g_assert_cmpstr (fields->given_names, ==, "FRANÇOISE MAMADOU");
  g_assert_null (fields->name);
  g_assert_cmpint (fields->name_y, ==, 180);
  g_assert_cmpint (fields->name_height, ==, 70);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("FICTITIOUS IDENTITY CARD : SPECIMEN", "BRÛLÉ, LUC ÉMILE", "PAR 14.07.1987 F", ": 27.04.2019");
  g_assert_true (fields->name_unlabelled);
  g_assert_cmpstr (fields->name, ==, "BRÛLÉ, LUC ÉMILE");
  g_assert_null (fields->surname);

  /* A passport page: the number's line above the name. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("à E CAN DG996551", "POIRIER", "PIERRE-LUC", "CANADIENNE/CANADIAN 24 DÉC/DEC 1975");
  g_assert_cmpstr (fields->surname, ==, "POIRIER");
  g_assert_cmpstr (fields->given_names, ==, "PIERRE-LUC");

  /* Its birth date beside the nationality not read whole: the name is
   * above the nationality ("CANADIENNE/CANADIAN"). */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("DW277364", "LAVOIE", "LAURENCE", "CANADIENNE canADan 02 DE", "MONTRÉAL. ÇAN",
                 "OV/NOV 2015 025");
  g_assert_true (fields->name_unlabelled);
  g_assert_cmpstr (fields->surname, ==, "LAVOIE");
  g_assert_cmpstr (fields->given_names, ==, "LAURENCE");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("LAVOIE", "LAURENCE", "CANADA POST");
  assert_no_name (fields);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Carte d'identité", "ROY", "Numéro 12.05.2020");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("ROY", "Date of birth / Date de naissance", "12.05.1980");
  assert_no_name (fields);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("ROY", "FRANÇOISE", "Number 12345");
  assert_no_name (fields);
  g_assert_false (fields->name_unlabelled);

  /* Half a name under its label: the other half is the line of capitals
   * next to it, said to be guessed. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("ROY", "Prénom / Given name", "FRANÇOISE", "05.04.2004");
  g_assert_true (fields->name_unlabelled);
  g_assert_cmpstr (fields->given_names, ==, "FRANÇOISE");
  g_assert_cmpstr (fields->surname, ==, "ROY");

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "BÉDARD", "a", "OCÉANE", "05.04.2004");
  g_assert_true (fields->name_unlabelled);
  g_assert_cmpstr (fields->surname, ==, "BÉDARD");
  g_assert_cmpstr (fields->given_names, ==, "OCÉANE");

  /* Not a date, a label, small letters, nor a whole name. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "BÉDARD", "05.04.2004");
  g_assert_false (fields->name_unlabelled);
  g_assert_null (fields->given_names);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom / Surname", "BÉDARD", "Sexe / Sex", "OCÉANE");
  g_assert_null (fields->given_names);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Carte Santé", "Prénom / Given name", "OCÉANE");
  g_assert_null (fields->surname);
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("CÔTÉ, OCÉANE", "Prénom / Given name", "OCÉANE");
  g_assert_null (fields->surname);
  g_assert_false (fields->name_unlabelled);
}

/* A surname label only: its value is the surname, or the whole name when
 * written "SURNAME, GIVEN". */
static void
test_one_label (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Nom :", "CÔTÉ, FRANÇOIS");

  g_assert_cmpstr (fields->name, ==, "CÔTÉ, FRANÇOIS");
  g_assert_null (fields->surname);

  /* Several commas: a list of given names, never a whole name. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom :", "DUPONT", "Prénoms :", "JEAN, PIERRE, MARIE");
  assert_split (fields, "DUPONT", "JEAN, PIERRE, MARIE");
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom :", "DUPONT, JEAN, PIERRE");
  assert_no_name (fields);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Nom de famille", "CÔTÉ");
  g_assert_cmpstr (fields->surname, ==, "CÔTÉ");
  g_assert_null (fields->given_names);
  g_assert_null (fields->name);
  g_assert_cmpint (fields->name_y, ==, 140);
}

/* Boxes and confidence: the lines the name came from, in columns. */
static void
test_boxes (void)
{
  const Spec stacked[] = {
    { "Nom / Surname", 95, 50, 100, 300, 24 },
    { "CÔTÉ", 91, 52, 130, 120, 26 },
    { "Prénoms / Given names", 97, 50, 170, 300, 24 },
    { "FRANÇOIS XAVIER", 83, 60, 200, 260, 24 },
  };
  /* Two columns, sorted top to bottom: each label's value is the line
   * below it in its own column. */
  const Spec columns[] = {
    { "Nom/Surname", 90, 100, 100, 200, 20 },
    { "Date of expiry/Date d'expiration", 90, 500, 101, 300, 20 },
    { "CÔTÉ", 72, 100, 130, 90, 22 },
    { "28 MAI /MAY 26", 90, 500, 131, 150, 22 },
  };
  const Spec far[] = {
    { "Nom/Surname", 90, 100, 100, 200, 20 },
    { "CÔTÉ", 90, 100, 400, 90, 22 },
  };
  const Spec other_column[] = {
    { "Nom/Surname", 90, 100, 100, 200, 20 },
    { "CÔTÉ", 90, 600, 130, 90, 22 },
  };
  g_autoptr(GPtrArray) lines = lines_from_specs (stacked, G_N_ELEMENTS (stacked));
  g_autoptr(ErIdFields) fields = er_id_fields_find (lines);

  assert_split (fields, "CÔTÉ", "FRANÇOIS XAVIER");
  g_assert_cmpfloat (fields->name_confidence, ==, 83.0f);
  g_assert_cmpint (fields->name_x, ==, 52);
  g_assert_cmpint (fields->name_y, ==, 130);
  g_assert_cmpint (fields->name_width, ==, 320 - 52);
  g_assert_cmpint (fields->name_height, ==, 224 - 130);

  g_clear_pointer (&fields, er_id_fields_free);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = lines_from_specs (columns, G_N_ELEMENTS (columns));
  fields = er_id_fields_find (lines);
  g_assert_cmpstr (fields->surname, ==, "CÔTÉ");
  g_assert_cmpfloat (fields->name_confidence, ==, 72.0f);
  g_assert_cmpint (fields->name_x, ==, 100);
  g_assert_cmpint (fields->name_y, ==, 130);
  g_assert_cmpint (fields->name_width, ==, 90);
  g_assert_cmpint (fields->name_height, ==, 22);
  assert_date (&fields->expiry, 28, 5, 2026);

  g_clear_pointer (&fields, er_id_fields_free);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = lines_from_specs (far, G_N_ELEMENTS (far));
  fields = er_id_fields_find (lines);
  assert_no_name (fields);

  g_clear_pointer (&fields, er_id_fields_free);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = lines_from_specs (other_column, G_N_ELEMENTS (other_column));
  fields = er_id_fields_find (lines);
  assert_no_name (fields);

  /* Without boxes, the next line is the one below. */
  g_clear_pointer (&fields, er_id_fields_free);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_ptr_array_add (lines, er_id_line_new ("Nom/Surname", 90, 0, 0, 0, 0));
  g_ptr_array_add (lines, er_id_line_new ("CÔTÉ", 77, 0, 0, 0, 0));
  fields = er_id_fields_find (lines);
  g_assert_cmpstr (fields->surname, ==, "CÔTÉ");
  g_assert_cmpfloat (fields->name_confidence, ==, 77.0f);
}

/* ---- Dates ---- */

static void
test_parse_date (void)
{
  struct {
    const char *text;
    int         day, month, year;
  } valid[] = {
    { "2026-05-28", 28, 5, 2026 },
    { "2026/05/28", 28, 5, 2026 },
    { "2026.05.28", 28, 5, 2026 },
    { "2026 05 28", 28, 5, 2026 },
    { "28/05/2026", 28, 5, 2026 },
    { "28.05.2026", 28, 5, 2026 },
    { "28-05-2026", 28, 5, 2026 },
    { "28 05 2026", 28, 5, 2026 },
    { "28.05.26", 28, 5, 2026 },
    { "05/28/2026", 28, 5, 2026 },   /* only month-day-year possible */
    { "03/04/2026", 3, 4, 2026 },    /* both: day first */
    { "28 MAI 2026", 28, 5, 2026 },
    { "28 MAY 26", 28, 5, 2026 },
    { "28 mai 2026", 28, 5, 2026 },
    { "MAY 28, 2026", 28, 5, 2026 },
    { "May 28 2026", 28, 5, 2026 },
    { "28 MAI/MAY 2026", 28, 5, 2026 },
    { "28 MAI /MAY 26", 28, 5, 2026 },
    { "28 JUIL /JUL 26", 28, 7, 2026 },
    { "28MAY26", 28, 5, 2026 },
    { "28-MAY-2026", 28, 5, 2026 },
    { "1er mai 2026", 1, 5, 2026 },
    { "28 févr. 2026", 28, 2, 2026 },
    { "28 FÉV 2026", 28, 2, 2026 },
    { "28 FEB 2026", 28, 2, 2026 },
    { "15 AOÛT 2027", 15, 8, 2027 },
    { "15 aout 2027", 15, 8, 2027 },
    { "15 AUG 2027", 15, 8, 2027 },
    { "2 janvier 2030", 2, 1, 2030 },
    { "31 DÉC /DEC 29", 31, 12, 2029 },
    { "Dec 31, 2030", 31, 12, 2030 },
    { "9 septembre 2026", 9, 9, 2026 },
    { "29.02.2028", 29, 2, 2028 },
    { "01 JAN 75", 1, 1, 1975 },
    { "Exp: 2026-05-28", 28, 5, 2026 },
    { "4b EXP 2026/05/28 |", 28, 5, 2026 },
    /* As Tesseract reads them: a "1" split from its neighbour, a second
     * month name misread. */
    { "2023/1 1/04", 4, 11, 2023 },
    { "1 6.02.2032", 16, 2, 2032 },
    { "1997/12/1 1", 11, 12, 1997 },
    { "15 AOÛT/ATIG 2022", 15, 8, 2022 },
    { "28 MAI/MAV 2026", 28, 5, 2026 },
    { "1 1 2026", 1, 1, 2026 },   /* spaces only: one day, one month */
    { "22,07.2036", 22, 7, 2036 },
    { "07,04,1968", 7, 4, 1968 },
    { "2 03 1/0 7/2 4 V5239-349839-47", 24, 7, 2031 },  /* digits spaced out */
    { "203 1 -0 1 -20", 20, 1, 2031 },  /* not 2020-01-01 from its pieces */
    { "04 SEPT/SE P 2025", 4, 9, 2025 },  /* the second name broken */
    { "0 4. 1 2.2 024", 4, 12, 2024 },
    { "2030/1226 \"7 B0366.921660.76", 26, 12, 2030 },  /* a slash lost */
    { "2031-0724", 24, 7, 2031 },
    { "0211/1966 F", 2, 11, 1966 },  /* the other slash lost */
    { "1228/2019", 28, 12, 2019 },   /* the month first: no month 28 */
  };
  const char *invalid[] = {
    "31 FEB 2026",
    "2026-13-01",
    "31/02/2026",
    "30.02.2026",
    "29.02.2026",
    "32/01/2026",
    "13/13/2026",
    "MAY 32, 2026",
    "28 MAI/JUIN 2026",
    "28 XYZ 2026",
    "2026-05",
    "28/05",
    "12345678",
    "C1234-56789-01234",
    "28.05/2026",
    "28 05 123",
    "2 8 0 5 1 2 3",
    "12 34/5 6",
    "123/05/26",
    "28 05 2226",
    "2030/1326",
    "2030/1226/44",
    "2030-1226-4",
    "2030.1226",
    "3212/2019",
    "0211/1966/4",
    "0211.1966",
    "CÔTÉ",
    "",
  };
  GDate date;

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_test_message ("valid: %s", valid[i].text);
      g_date_clear (&date, 1);
      g_assert_true (er_id_parse_date (valid[i].text, &date));
      assert_date (&date, valid[i].day, valid[i].month, valid[i].year);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: %s", invalid[i]);
      g_date_set_dmy (&date, 1, 1, 2000);
      g_assert_false (er_id_parse_date (invalid[i], &date));
      /* untouched */
      assert_date (&date, 1, 1, 2000);
    }

  g_date_set_dmy (&date, 1, 1, 2000);
  g_assert_false (er_id_parse_date (NULL, &date));
  g_assert_false (er_id_parse_date ("28\xff 05 2026", &date));
  assert_date (&date, 1, 1, 2000);
}

/* Every expiry label, on its line and below it; issue and birth dates
 * are never taken for it. */
static void
test_expiry_labels (void)
{
  const char *lines[] = {
    "Expiry 2026-05-28",
    "Exp: 28.05.2026",
    "EXP 2026/05/28",
    "Expire le 28/05/2026",
    "Expires 2026-05-28",
    "Expire(s) le 28 MAI 2026",
    "Valide jusqu'au 2026-05-28",
    "Carte valable jusqu'au : 28.05.2026",
    "Date d'exp. 28.05.26",
    "Date d'expiration / Date of expiry 28 MAI /MAY 26",
    "Date of expiry/Date d'expiration: MAY 28, 2026",
    "Expiry date 28-MAY-2026",
    "Date d'expiration 28 mai 2026",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(ErIdFields) fields = FIND ("Date de naissance / Date of birth 14.07.1990",
                                           "Date de délivrance / Date of issue 01.06.2016",
                                           lines[i],
                                           "DD 1234 5678 2019-01-01");

      g_test_message ("%s", lines[i]);
      assert_date (&fields->expiry, 28, 5, 2026);
    }

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *label = g_strdup (lines[i]);
      g_autoptr(ErIdFields) fields = NULL;
      char *digit = strpbrk (label, "0123456789");

      /* the label alone, the date on the next line */
      *digit = '\0';
      if (strstr (label, "MAY ") != NULL)
        *strstr (label, "MAY ") = '\0';
      fields = FIND ("Date of birth/Date de naissance", "14 JUIL /JUL 90", label, "28 MAI /MAY 26");
      g_test_message ("%s / 28 MAI /MAY 26", label);
      assert_date (&fields->expiry, 28, 5, 2026);
    }
}

static void
test_expiry_not_issue_or_birth (void)
{
  g_autoptr(ErIdFields) fields = FIND ("Date de naissance / Date of birth", "14 JUIL /JUL 90",
                                       "Date de délivrance / Date of issue", "01.06.2016",
                                       "DOB 1990-07-14", "ISS 2016-06-01", "Né(e) le 14.07.1990",
                                       "Issued 2016-06-01");

  g_assert_false (g_date_valid (&fields->expiry));

  /* A later date without its label: the latest date read, said so. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date de naissance / Date of birth", "14 JUIL /JUL 90",
                 "Date de délivrance / Date of issue", "01.06.2016",
                 "DOB 1990-07-14", "ISS 2016-06-01", "2031-01-01");
  assert_date (&fields->expiry, 1, 1, 2031);
  g_assert_true (fields->expiry_unlabelled);

  /* Side by side, the dates below in the same order. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of issue/Date de délivrance Date of expiry/Date d'expiration",
                 "01 JUIN /JUN 16 28 MAI /MAY 26");
  assert_date (&fields->expiry, 28, 5, 2026);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of expiry/Date d'expiration Date of issue/Date de délivrance",
                 "28 MAI /MAY 26 01 JUIN /JUN 16");
  assert_date (&fields->expiry, 28, 5, 2026);

  /* A label with its own date does not count for the line below. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("ISS 2016-06-01 EXP", "2026-05-28");
  assert_date (&fields->expiry, 28, 5, 2026);

  /* Sex beside the expiry: one date label, one date. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Sex/Sexe Date of expiry/Date d'expiration", "M 28 MAI /MAY 26");
  assert_date (&fields->expiry, 28, 5, 2026);

  /* Two date labels, one date below: not guessed. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of issue/Date de délivrance Date of expiry/Date d'expiration",
                 "28 MAI /MAY 26");
  g_assert_false (g_date_valid (&fields->expiry));

  /* The line below has a label of its own: its dates before it count. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of expiry/Date d'expiration", "28 MAI /MAY 26 Date of issue 01.06.2016");
  assert_date (&fields->expiry, 28, 5, 2026);

  /* One date label, two dates below: not under its label; the latest. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of expiry/Date d'expiration", "01 JUIN /JUN 16 28 MAI /MAY 26");
  assert_date (&fields->expiry, 28, 5, 2026);
  g_assert_true (fields->expiry_unlabelled);

  /* The line below holds no date: the expiry is not looked for further. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Date of expiry/Date d'expiration", "GATINEAU", "28.05.2026");
  g_assert_false (g_date_valid (&fields->expiry));

  /* An invalid date is no date. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("Expiry 31 FEB 2026", "Exp 2026-13-01");
  g_assert_false (g_date_valid (&fields->expiry));
}

/* Labels in one column, values in the next: Tesseract reads them as two
 * blocks, the values' first or last. The date beside the expiry label is
 * its value, whatever the order. */
static void
test_expiry_beside (void)
{
  const Spec values_first[] = {
    { "14.07.1990", 93, 700, 400, 220, 40 },
    { "28.05.2026", 93, 700, 470, 220, 40 },
    { "Date de naissance / Date of birth", 90, 100, 408, 480, 26 },
    { "Date d'expiration / Date of expiry", 90, 100, 478, 480, 26 },
    { "Numéro / Number", 90, 100, 548, 260, 26 },
    { "C1234-567890-12", 93, 700, 540, 300, 40 },
  };
  const Spec labels_first[] = {
    { "Date de naissance / Date of birth", 90, 100, 408, 480, 26 },
    { "Date d'expiration / Date of expiry", 90, 100, 478, 480, 26 },
    { "14.07.1990", 93, 700, 400, 220, 40 },
    { "28.05.2026", 93, 700, 470, 220, 40 },
  };
  /* The expiry's value lost: the birth date beside its own label is not
   * taken, and one date alone is no latest date. */
  const Spec value_lost[] = {
    { "Date de naissance / Date of birth", 90, 100, 408, 480, 26 },
    { "14.07.1990", 93, 700, 400, 220, 40 },
    { "Date d'expiration / Date of expiry", 90, 100, 478, 480, 26 },
    { "Numéro / Number", 90, 100, 548, 260, 26 },
    { "C1234-567890-12", 93, 700, 540, 300, 40 },
  };
  g_autoptr(ErIdFields) fields = find_in (lines_from_specs (values_first, G_N_ELEMENTS (values_first)));

  assert_date (&fields->expiry, 28, 5, 2026);
  g_assert_false (fields->expiry_unlabelled);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = find_in (lines_from_specs (labels_first, G_N_ELEMENTS (labels_first)));
  assert_date (&fields->expiry, 28, 5, 2026);
  g_assert_false (fields->expiry_unlabelled);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = find_in (lines_from_specs (value_lost, G_N_ELEMENTS (value_lost)));
  g_assert_false (g_date_valid (&fields->expiry));
}

/* No expiry label read (blur or glare took the small labels, the values
 * are still there): the latest date read, and said to be only that. Not
 * when it is the value of a birth or issue label, read twice, or alone. */
static void
test_expiry_unlabelled (void)
{
  g_autoptr(ErIdFields) fields = FIND ("CÔTÉ", "ÉVANGÉLINE", "07.04.1968", "22.07.2036", "V1566-810081-63");

  assert_date (&fields->expiry, 22, 7, 2036);
  g_assert_true (fields->expiry_unlabelled);

  /* A passport's issue and expiry dates on one line, birth above. */
  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("CANADIENNE/CANADIAN 24 DÉC/DEC 1975", "M MONTRÉAL, CAN",
                 "06 NOV/NOV 2017 06 NOV/NOV 2027");
  assert_date (&fields->expiry, 6, 11, 2027);
  g_assert_true (fields->expiry_unlabelled);

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("07.04.1968", "Date of issue 22.07.2026");
  g_assert_false (g_date_valid (&fields->expiry));

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("07.04.1968", "22.07.2036", "22.07.2036");
  g_assert_false (g_date_valid (&fields->expiry));

  g_clear_pointer (&fields, er_id_fields_free);
  fields = FIND ("CÔTÉ", "22.07.2036");
  g_assert_false (g_date_valid (&fields->expiry));
  g_assert_false (fields->expiry_unlabelled);
}

/* ---- Garbage ---- */

static gboolean
in_some_line (GPtrArray  *lines,
              const char *value)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (((ErIdLine *) g_ptr_array_index (lines, i))->text, value) != NULL)
      return TRUE;
  return FALSE;
}

/* Lines made of pieces of labels, names, dates, marks, junk and invalid
 * bytes: nothing crashes, and what is returned was read as it is. */
static void
test_garbage (void)
{
  static const char * const pieces[] = {
    "Nom", "NOM", "Surname", "/", "|", " ", " ", " ", "Prénom", "s", "Given", "name", "NAME",
    "Date", "d'expiration", "of expiry", "EXP", "ISS", "1", "4b", "28", "05", "2026", "MAI",
    "MAY", ".", "-", ",", "'", "’", "CÔTÉ", "FRANÇOIS", "rn", "l", "I", "\xcc\x81",
    "\xe2\x80\x94", "_", "\xff", "\xc3", "é", "Ω", ":", "(", ")", "0", "de la",
  };

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
      g_autoptr(ErIdFields) fields = NULL;
      guint n_lines = g_test_rand_int_range (0, 12);
      GDate date;

      for (guint i = 0; i < n_lines; i++)
        {
          g_autoptr(GString) text = g_string_new (NULL);
          guint n_pieces = g_test_rand_int_range (0, 10);

          for (guint k = 0; k < n_pieces; k++)
            g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          g_ptr_array_add (lines, er_id_line_new (text->str, g_test_rand_int_range (0, 101),
                                                  g_test_rand_int_range (-5, 50),
                                                  g_test_rand_int_range (-5, 500),
                                                  g_test_rand_int_range (0, 60),
                                                  g_test_rand_int_range (0, 40)));
          er_id_parse_date (text->str, &date);
        }

      fields = er_id_fields_find (lines);
      if (fields->surname != NULL)
        g_assert_true (in_some_line (lines, fields->surname));
      if (fields->given_names != NULL)
        g_assert_true (in_some_line (lines, fields->given_names));
      if (fields->name != NULL)
        g_assert_true (g_utf8_validate (fields->name, -1, NULL));
      g_assert_true (fields->surname == NULL || g_utf8_validate (fields->surname, -1, NULL));
      g_assert_true (fields->given_names == NULL
                     || g_utf8_validate (fields->given_names, -1, NULL));
    }
}

/* ---- Threads ---- */

static gpointer
find_many (gpointer data)
{
  GPtrArray *lines = data;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(ErIdFields) fields = er_id_fields_find (lines);
      GDate date;

      if (g_strcmp0 (fields->surname, "CÔTÉ") != 0
          || g_strcmp0 (fields->given_names, "FRANÇOIS XAVIER") != 0
          || !g_date_valid (&fields->expiry)
          || !er_id_parse_date ("28 MAI /MAY 26", &date))
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  g_autoptr(GPtrArray) lines = lines_from_specs (passport_page, G_N_ELEMENTS (passport_page));
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("id-fields", find_many, lines);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/id-fields/passport", test_passport);
  g_test_add_func ("/id-fields/passport-french", test_passport_french);
  g_test_add_func ("/id-fields/french-card", test_french_card);
  g_test_add_func ("/id-fields/canadian-card", test_canadian_card);
  g_test_add_func ("/id-fields/ontario", test_ontario);
  g_test_add_func ("/id-fields/quebec-numbered", test_quebec_numbered);
  g_test_add_func ("/id-fields/name-like-label", test_name_like_label);
  g_test_add_func ("/id-fields/damaged-labels", test_damaged_labels);
  g_test_add_func ("/id-fields/same-line", test_same_line);
  g_test_add_func ("/id-fields/label-then-label", test_label_then_label);
  g_test_add_func ("/id-fields/names", test_names);
  g_test_add_func ("/id-fields/long-names", test_long_names);
  g_test_add_func ("/id-fields/junk", test_junk);
  g_test_add_func ("/id-fields/no-label", test_no_label);
  g_test_add_func ("/id-fields/one-label", test_one_label);
  g_test_add_func ("/id-fields/layout", test_layout);
  g_test_add_func ("/id-fields/small-words", test_small_words);
  g_test_add_func ("/id-fields/tall-value-box", test_tall_value_box);
  g_test_add_func ("/id-fields/hyphen-spaces", test_hyphen_spaces);
  g_test_add_func ("/id-fields/value-zone", test_value_zone);
  g_test_add_func ("/id-fields/rechecks", test_rechecks);
  g_test_add_func ("/id-fields/semicolon", test_semicolon);
  g_test_add_func ("/id-fields/boxes", test_boxes);
  g_test_add_func ("/id-fields/parse-date", test_parse_date);
  g_test_add_func ("/id-fields/expiry-labels", test_expiry_labels);
  g_test_add_func ("/id-fields/expiry-not-issue-or-birth", test_expiry_not_issue_or_birth);
  g_test_add_func ("/id-fields/expiry-beside", test_expiry_beside);
  g_test_add_func ("/id-fields/expiry-unlabelled", test_expiry_unlabelled);
  g_test_add_func ("/id-fields/expiry-zone", test_expiry_zone);
  g_test_add_func ("/id-fields/garbage", test_garbage);
  g_test_add_func ("/id-fields/threads", test_threads);

  return g_test_run ();
}
