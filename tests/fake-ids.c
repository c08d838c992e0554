/* fake-ids.c: fictional ID cards and passport pages, drawn with Cairo and
 * Pango, photographed on a table and degraded as a phone would, for the
 * OCR accuracy benchmark (bench-ocr.c). See fake-ids.h.
 *
 * The document is drawn flat at the size it will have in the photo, then
 * laid on the table through a projective warp done here on the pixels
 * (rotation and perspective in one resampling, bilinear), so that its text
 * is resampled once, as a camera would see it. Glare, blur (optics), noise
 * (sensor) and the JPEG encoder follow, in that order. Everything stays in
 * memory.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>

#include "er-mrz.h"
#include "er-name.h"
#include "fake-ids.h"

typedef struct {
  double r, g, b;
} Rgb;

typedef struct {
  double x, y, width, height;
} Box;

/* ------------------------------------------------------------------------ */
/* People                                                                   */

/* Spelled as their owners do; printed in capitals. Québec's common names,
 * the compound and particle names that trip comparisons, and a few long
 * ones that must shrink to fit. */
static const char * const surnames[] = {
  "Côté", "Bélanger", "Gagnon-Tremblay", "D'Amour", "St-Pierre", "Lévesque", "N'Guyen",
  "Tremblay", "Gagnon", "Roy", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
  "Ouellet", "Pelletier", "Bérubé", "Thériault", "Lefebvre", "Séguin", "Dubé", "Hébert",
  "Paré", "Lépine", "Trépanier", "Ste-Marie", "Saint-Onge", "Boisvert", "L'Heureux",
  "O'Brien", "Desjardins", "Bissonnette", "Beaulieu", "Côté-Ouellette", "Lachapelle",
  "Goyette", "Ménard", "Brûlé", "Lalonde", "Giguère", "Désilets", "Bédard", "Chênevert",
  "Poirier", "Émond", "Béliveau", "Noël", "Daoust", "Diallo", "Traoré", "Haddad",
  "Charbonneau", "Nadeau", "Vézina", "Tétreault", "Da Silva", "Nguyen", "Lê",
  "de la Fontaine", "du Sault", "de Grandpré", "van der Berg", "van der Meer", "De Montigny",
  "de Lotbinière", "Des Rosiers", "d'Anjou",
};

static const char * const long_surnames[] = {
  "Papadopoulos-Vaillancourt", "Labrecque-Duchesneau", "Bourgeois-Saint-Laurent",
  "Kowalczyk-Lamontagne", "Wolanski-Desrochers-Bélanger", "de la Chevrotière-Beauchemin",
  "Villeneuve-Létourneau", "Archambault-Deslauriers",
};

static const char * const given[] = {
  "François", "Marie-Ève", "Jean-Philippe", "Zoé", "Hélène", "Noémie", "Élodie", "Jérôme",
  "Anaïs", "Maël", "Chloé", "Béatrice", "Gaétan", "Réjean", "Ginette", "Mathieu", "Olivier",
  "William", "Léa", "Thérèse", "Joséphine", "Amélie", "Cédric", "Stéphane", "Frédérique",
  "Ève", "Aurélie", "Benoît", "Éric", "Josée", "Raphaël", "Noël", "Kévin", "Aïcha",
  "Mamadou", "Fatoumata", "Marc-André", "Anne-Sophie", "Jean", "Marie", "Luc", "Sylvie",
  "Ghislain", "Françoise", "Lucie", "Hugo", "Félix", "Océane", "Émile", "Rosalie", "Loïc",
  "Gabrielle", "Sébastien", "Jérémie", "Maxime", "Laurence", "Andrée-Anne", "Pierre-Luc",
  "Marie-Chantal", "Évangéline", "Geneviève", "Jean-François", "Marie-Josée", "Nathalie",
  "Nour", "Yasmine", "Ali", "Thanh", "Camille", "Dominique",
};

static const char * const places[] = {
  "MONTRÉAL, CAN", "QUÉBEC, CAN", "SHERBROOKE, CAN", "GATINEAU, CAN", "TROIS-RIVIÈRES, CAN",
  "SAGUENAY, CAN", "RIMOUSKI, CAN", "OTTAWA, CAN", "MONCTON, CAN", "DAKAR, SEN", "PARIS, FRA",
  "PORT-AU-PRINCE, HTI",
};

static const char * const fonts[] = {
  "DejaVu Sans", "DejaVu Serif", "Nimbus Sans", "Nimbus Roman", "URW Gothic", NULL,
};

static const char * const mrz_fonts[] = {
  "DejaVu Sans Mono", "Nimbus Mono PS",
};

static const char * const months_fr[] = {
  "JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC",
};

static const char * const months_en[] = {
  "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
};

#define PICK(rand, table) ((table)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (table))])

/* How a document looks, drawn from its seed: here, before the people,
 * because the ground truth names the font its values are printed in. */
typedef enum {
  LAYOUT_LABELS_ABOVE,    /* each value under its label, portrait on the left */
  LAYOUT_LABELS_BESIDE,   /* the value on the label's line */
  LAYOUT_PORTRAIT_RIGHT,  /* labels above, portrait on the right */
  N_LAYOUTS
} Layout;

typedef struct {
  const char *family;        /* the values */
  const char *label_family;
  gboolean    bold;
  gboolean    labels_upper;
  Layout      layout;
  double      value_size;    /* fractions of the document's height */
  double      label_size;
  int         date_style;
  Rgb         band;
  const char *mrz_family;
} Look;

static void
look_init (Look *look, const FakeIdSpec *spec)
{
  static const Rgb bands[] = {
    { 0.10, 0.27, 0.55 }, { 0.05, 0.42, 0.45 }, { 0.45, 0.12, 0.22 }, { 0.18, 0.38, 0.20 },
    { 0.30, 0.22, 0.50 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (spec->seed ^ 0x100c);

  look->family = fonts[g_rand_int_range (rand, 0, G_N_ELEMENTS (fonts) - 1)];
  look->label_family = fonts[g_rand_int_range (rand, 0, G_N_ELEMENTS (fonts) - 1)];
  look->bold = g_rand_int_range (rand, 0, 10) < 7;
  look->labels_upper = g_rand_int_range (rand, 0, 4) == 0;
  look->layout = g_rand_int_range (rand, 0, 10) < 6 ? LAYOUT_LABELS_ABOVE
                 : g_rand_boolean (rand) ? LAYOUT_LABELS_BESIDE : LAYOUT_PORTRAIT_RIGHT;
  look->value_size = g_rand_double_range (rand, 0.055, 0.075);
  look->label_size = g_rand_double_range (rand, 0.036, 0.046);
  look->date_style = g_rand_int_range (rand, 0, 6);
  look->band = PICK (rand, bands);
  look->mrz_family = PICK (rand, mrz_fonts);
  if (spec->kind == FAKE_ID_PASSPORT)
    {
      look->layout = LAYOUT_LABELS_ABOVE;
      look->date_style = 4;
      look->value_size *= 0.68;
      look->label_size *= 0.68;
    }
}

const char * const *
fake_id_fonts (void)
{
  return fonts;
}

/* Whether word (a given name) is already among names. */
static gboolean
has_name (GPtrArray *names, const char *word)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], word))
      return TRUE;
  return FALSE;
}

static void
random_date (GRand *rand, GDate *date, int first_year, int last_year)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13),
                  g_rand_int_range (rand, first_year, last_year + 1));
}

/* ICAO 9303 transliteration: accents dropped, capitals, apostrophes
 * omitted, spaces and hyphens as the filler '<'. */
static char *
mrz_letters (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (out, g_ascii_toupper (*p));
      else if (*p == ' ' || *p == '-')
        g_string_append_c (out, '<');
    }
  return g_string_free (out, FALSE);
}

static void
mrz_date (GString *out, const GDate *date)
{
  g_string_append_printf (out, "%02d%02d%02d", g_date_get_year (date) % 100,
                          g_date_get_month (date), g_date_get_day (date));
}

static void
append_check (GString *line, gsize from)
{
  g_string_append_c (line, '0' + er_mrz_check_digit (line->str + from, line->len - from));
}

/* A TD3 machine-readable zone: 2 lines of 44, every check digit right. */
static void
make_mrz (FakeIdTruth *truth, const char *surname, const char *given_names, char sex,
          gboolean filler_check)
{
  g_autofree char *last = mrz_letters (surname);
  g_autofree char *first = mrz_letters (given_names);
  GString *line1 = g_string_new ("P<CAN");
  GString *line2 = g_string_new (NULL);
  GString *composite = g_string_new (NULL);

  g_string_append_printf (line1, "%s<<%s", last, first);
  /* Too long: cut (ICAO lets the last letters go). */
  if (line1->len > 44)
    g_string_truncate (line1, 44);
  while (line1->len < 44)
    g_string_append_c (line1, '<');

  g_string_append (line2, truth->number);
  while (line2->len < 9)
    g_string_append_c (line2, '<');
  append_check (line2, 0);
  g_string_append (line2, "CAN");
  mrz_date (line2, &truth->birth);
  append_check (line2, 13);
  g_string_append_c (line2, sex == 'X' ? '<' : sex);
  mrz_date (line2, &truth->expiry);
  append_check (line2, 21);
  /* No personal number: its check digit is '<' or 0, both in use. */
  g_string_append (line2, "<<<<<<<<<<<<<<");
  g_string_append_c (line2, filler_check ? '<' : '0');
  g_string_append_len (composite, line2->str, 10);
  g_string_append_len (composite, line2->str + 13, 7);
  g_string_append_len (composite, line2->str + 21, 22);
  g_string_append_c (line2, '0' + er_mrz_check_digit (composite->str, composite->len));
  g_string_free (composite, TRUE);

  truth->mrz[0] = g_string_free (line1, FALSE);
  truth->mrz[1] = g_string_free (line2, FALSE);
  truth->mrz[2] = NULL;
}

FakeIdTruth *
fake_id_truth_new (const FakeIdSpec *spec)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (spec->seed * 2654435761u + 0x1d);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *given_names = NULL;
  g_autofree char *account_given = NULL;
  FakeIdTruth *truth = g_new0 (FakeIdTruth, 1);
  const char *surname;
  gboolean long_name = g_rand_int_range (rand, 0, 10) == 0;
  int n_given = g_rand_int_range (rand, 0, 10);
  char sex;

  truth->kind = spec->kind;
  surname = long_name ? PICK (rand, long_surnames) : PICK (rand, surnames);
  n_given = long_name ? 3 : n_given < 6 ? 1 : n_given < 9 ? 2 : 3;
  while (names->len < (guint) n_given)
    {
      const char *name = PICK (rand, given);

      if (!has_name (names, name))
        g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_add (names, NULL);
  account_given = g_strjoinv (" ", (char **) names->pdata);

  truth->surname = g_utf8_strup (surname, -1);
  truth->given_names = g_utf8_strup (account_given, -1);
  truth->full_name = g_strconcat (truth->given_names, " ", truth->surname, NULL);
  truth->account_name = g_strconcat (account_given, " ", surname, NULL);
  random_date (rand, &truth->birth, 1950, 2007);
  random_date (rand, &truth->expiry, 2019, 2036);
  truth->sex = sex = "MFMFX"[g_rand_int_range (rand, 0, 5)];
  if (spec->kind == FAKE_ID_PASSPORT)
    {
      truth->number = g_strdup_printf ("%c%c%06d", 'A' + g_rand_int_range (rand, 0, 26),
                                       'A' + g_rand_int_range (rand, 0, 26),
                                       g_rand_int_range (rand, 0, 1000000));
      make_mrz (truth, surname, account_given, sex, g_rand_boolean (rand));
    }
  else
    truth->number = g_strdup_printf ("%c%04d-%06d-%02d", 'A' + g_rand_int_range (rand, 0, 26),
                                     g_rand_int_range (rand, 0, 10000),
                                     g_rand_int_range (rand, 0, 1000000),
                                     g_rand_int_range (rand, 0, 100));
  truth->degraded = fake_id_spec_is_degraded (spec);
  {
    Look look;

    look_init (&look, spec);
    truth->font = look.family;
  }
  return truth;
}

void
fake_id_truth_free (FakeIdTruth *truth)
{
  if (truth == NULL)
    return;
  g_free (truth->surname);
  g_free (truth->given_names);
  g_free (truth->full_name);
  g_free (truth->account_name);
  g_free (truth->number);
  for (guint i = 0; truth->mrz[i] != NULL; i++)
    g_free (truth->mrz[i]);
  g_free (truth);
}

/* ------------------------------------------------------------------------ */
/* Specs                                                                    */

void
fake_id_spec_init_clean (FakeIdSpec *spec,
                         FakeIdKind  kind,
                         guint       seed,
                         int         width,
                         int         height)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x5ce4e);

  memset (spec, 0, sizeof *spec);
  spec->kind = kind;
  spec->seed = seed;
  spec->width = width;
  spec->height = height;
  spec->format = g_rand_int_range (rand, 0, 4) == 0 ? FAKE_ID_PNG : FAKE_ID_JPEG;
  spec->jpeg_quality = 95;
  spec->fill = g_rand_double_range (rand, 0.5, 0.9);
  spec->glare_x = 0.5;
  spec->glare_y = 0.5;
}

void
fake_id_spec_degrade (FakeIdSpec *spec,
                      guint       seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0xde9ade);

  spec->rotation = g_rand_double_range (rand, -10, 10);
  spec->perspective = g_rand_int_range (rand, 0, 10) < 7 ? g_rand_double_range (rand, 0.03, 0.15) : 0;
  spec->perspective_angle = g_rand_double_range (rand, 0, 2 * G_PI);
  spec->blur = g_rand_int_range (rand, 0, 10) < 6 ? g_rand_double_range (rand, 0.3, 1.2) : 0;
  spec->glare = g_rand_boolean (rand) ? g_rand_double_range (rand, 0.35, 0.8) : 0;
  spec->glare_x = g_rand_double_range (rand, 0.15, 0.85);
  spec->glare_y = g_rand_double_range (rand, 0.15, 0.85);
  spec->noise = g_rand_int_range (rand, 0, 10) < 7 ? g_rand_double_range (rand, 2, 10) : 0;
  spec->format = FAKE_ID_JPEG;
  spec->jpeg_quality = g_rand_int_range (rand, 30, 96);
}

gboolean
fake_id_spec_is_degraded (const FakeIdSpec *spec)
{
  return spec->rotation != 0 || spec->perspective > 0 || spec->blur > 0 || spec->glare > 0 ||
         spec->noise > 0 || (spec->format == FAKE_ID_JPEG && spec->jpeg_quality < 90);
}

/* ------------------------------------------------------------------------ */
/* Other names                                                              */

static gboolean
really_differs (const FakeIdTruth *truth, const char *name)
{
  return er_name_difference_get_level (er_name_compare (name, truth->account_name)) == ER_NAME_DIFFERENT &&
         er_name_difference_get_level (er_name_compare (name, truth->full_name)) == ER_NAME_DIFFERENT;
}

/* account with one plain letter (a–z, A–Z) replaced by another plain one. */
static char *
one_letter_changed (const FakeIdTruth *truth, GRand *rand)
{
  for (int attempt = 0; attempt < 20; attempt++)
    {
      g_autofree char *name = g_strdup (truth->account_name);
      gsize length = strlen (name);
      gsize at = g_rand_int_range (rand, 0, length);
      char c = name[at];
      char other;

      if (!g_ascii_isalpha (c))
        continue;
      do
        other = 'a' + g_rand_int_range (rand, 0, 26);
      while (other == g_ascii_tolower (c));
      name[at] = g_ascii_isupper (c) ? g_ascii_toupper (other) : other;
      if (really_differs (truth, name))
        return g_steal_pointer (&name);
    }
  return NULL;
}

/* The first given name replaced by another from the list. */
static char *
given_name_swapped (const FakeIdTruth *truth, GRand *rand)
{
  g_autofree char *account = g_strdup (truth->account_name);
  char *space = strchr (account, ' ');

  if (space == NULL)
    return NULL;
  for (int attempt = 0; attempt < 20; attempt++)
    {
      g_autofree char *name = g_strconcat (PICK (rand, given), space, NULL);

      if (really_differs (truth, name))
        return g_steal_pointer (&name);
    }
  return NULL;
}

/* One part of a hyphenated name dropped ("Gagnon-Tremblay" → "Gagnon"), or,
 * without a hyphen, the last of several given names. */
static char *
hyphenated_part_dropped (const FakeIdTruth *truth, GRand *rand)
{
  g_auto(GStrv) words = g_strsplit (truth->account_name, " ", -1);
  guint n_words = g_strv_length (words);
  g_autoptr(GPtrArray) hyphenated = g_ptr_array_new ();

  for (guint i = 0; i < n_words; i++)
    if (strchr (words[i], '-') != NULL)
      g_ptr_array_add (hyphenated, GUINT_TO_POINTER (i));

  if (hyphenated->len > 0)
    {
      guint which = GPOINTER_TO_UINT (hyphenated->pdata[g_rand_int_range (rand, 0, hyphenated->len)]);
      g_auto(GStrv) parts = g_strsplit (words[which], "-", -1);
      guint n_parts = g_strv_length (parts);
      guint drop = g_rand_int_range (rand, 0, n_parts);
      GString *kept = g_string_new (NULL);

      for (guint i = 0; i < n_parts; i++)
        if (i != drop)
          g_string_append_printf (kept, "%s%s", kept->len > 0 ? "-" : "", parts[i]);
      g_free (words[which]);
      words[which] = g_string_free (kept, FALSE);
    }
  else
    {
      /* The given names are every word but the surname's; which words are
       * the surname is known from the truth. */
      g_auto(GStrv) given_words = g_strsplit (truth->given_names, " ", -1);
      guint n_given = g_strv_length (given_words);

      if (n_given < 2)
        return NULL;
      g_free (words[n_given - 1]);
      memmove (words + n_given - 1, words + n_given, (n_words - n_given + 1) * sizeof (char *));
    }

  {
    g_autofree char *name = g_strjoinv (" ", words);

    return really_differs (truth, name) ? g_steal_pointer (&name) : NULL;
  }
}

GPtrArray *
fake_id_other_names (const FakeIdTruth *truth,
                     guint              seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x07e45);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  char *name;

  if ((name = one_letter_changed (truth, rand)) != NULL)
    g_ptr_array_add (names, name);
  if ((name = given_name_swapped (truth, rand)) != NULL)
    g_ptr_array_add (names, name);
  if ((name = hyphenated_part_dropped (truth, rand)) != NULL)
    g_ptr_array_add (names, name);
  return names;
}

/* ------------------------------------------------------------------------ */
/* Drawing the document                                                     */

static char *
format_date (const GDate *date, int style)
{
  int d = g_date_get_day (date), m = g_date_get_month (date), y = g_date_get_year (date);

  switch (style)
    {
    case 0:
      return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
    case 1:
      return g_strdup_printf ("%04d/%02d/%02d", y, m, d);
    case 2:
      return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
    case 3:
      return g_strdup_printf ("%02d %s %04d", d, months_fr[m - 1], y);
    case 4:
      return g_strdup_printf ("%02d %s/%s %04d", d, months_fr[m - 1], months_en[m - 1], y);
    case 5:
    default:
      return g_strdup_printf ("%02d.%02d.%04d", d, m, y);
    }
}

/* Draws text with its top-left corner at (x, y), size in pixels, shrunk to
 * fit max_width (when > 0); its box in box (when not NULL). Returns the
 * height of its line. */
static double
show_text (cairo_t *cr, const char *text, const char *family, gboolean bold, double size,
           double x, double y, double max_width, Box *box)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();
  PangoRectangle ink, logical;

  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  /* Twice: the width does not scale quite linearly with hinting. */
  for (int i = 0; i < 2 && max_width > 0 && logical.width > max_width; i++)
    {
      size = size * max_width / logical.width * 0.995;
      pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
      pango_layout_set_font_description (layout, desc);
      pango_layout_get_pixel_extents (layout, &ink, &logical);
    }
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  if (box != NULL)
    *box = (Box) { x + logical.x, y + logical.y, logical.width, logical.height };
  pango_font_description_free (desc);
  g_object_unref (layout);
  return logical.height;
}

/* The width of text at that size, in pixels. */
static double
text_width (cairo_t *cr, const char *text, const char *family, gboolean bold, double size)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();
  int width;

  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return width;
}

static void
union_box (Box *into, const Box *box)
{
  double x1, y1;

  if (into->width <= 0)
    {
      *into = *box;
      return;
    }
  x1 = MAX (into->x + into->width, box->x + box->width);
  y1 = MAX (into->y + into->height, box->y + box->height);
  into->x = MIN (into->x, box->x);
  into->y = MIN (into->y, box->y);
  into->width = x1 - into->x;
  into->height = y1 - into->y;
}

static void
ellipse (cairo_t *cr, double cx, double cy, double rx, double ry)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
}

static void
rounded_rectangle (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* A drawn head and shoulders in a w × h box: flat shapes, plainly not a
 * photo, varied by seed. */
static void
draw_portrait (cairo_t *cr, guint seed, double x, double y, double w, double h)
{
  static const Rgb skins[] = {
    { 0.96, 0.84, 0.73 }, { 0.90, 0.74, 0.60 }, { 0.80, 0.60, 0.45 }, { 0.66, 0.47, 0.33 },
    { 0.50, 0.34, 0.24 }, { 0.35, 0.23, 0.16 },
  };
  static const Rgb hairs[] = {
    { 0.08, 0.07, 0.07 }, { 0.30, 0.19, 0.11 }, { 0.55, 0.30, 0.14 }, { 0.82, 0.68, 0.40 },
    { 0.65, 0.64, 0.62 },
  };
  static const Rgb shirts[] = {
    { 0.16, 0.32, 0.58 }, { 0.62, 0.18, 0.20 }, { 0.20, 0.45, 0.32 }, { 0.25, 0.25, 0.28 },
    { 0.85, 0.85, 0.82 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0xface);
  Rgb skin = PICK (rand, skins), hair = PICK (rand, hairs), shirt = PICK (rand, shirts);
  double cx = x + w * g_rand_double_range (rand, 0.46, 0.54);
  double cy = y + h * 0.42;
  double rx = w * g_rand_double_range (rand, 0.22, 0.27);
  double ry = h * g_rand_double_range (rand, 0.20, 0.24);
  gboolean long_hair = g_rand_boolean (rand);
  double smile = g_rand_double_range (rand, -0.1, 1.0);
  cairo_pattern_t *pat;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  pat = cairo_pattern_create_linear (0, y, 0, y + h);
  cairo_pattern_add_color_stop_rgb (pat, 0, 0.86, 0.89, 0.93);
  cairo_pattern_add_color_stop_rgb (pat, 1, 0.70, 0.75, 0.80);
  cairo_set_source (cr, pat);
  cairo_paint (cr);
  cairo_pattern_destroy (pat);

  if (long_hair)
    {
      cairo_set_source_rgb (cr, hair.r, hair.g, hair.b);
      cairo_rectangle (cr, cx - rx * 1.15, cy - ry * 0.2, rx * 2.3, ry * 1.7);
      cairo_fill (cr);
    }
  /* Shoulders, neck, head. */
  cairo_set_source_rgb (cr, shirt.r, shirt.g, shirt.b);
  cairo_move_to (cr, cx - rx * 2.6, y + h);
  cairo_curve_to (cr, cx - rx * 2.4, cy + ry * 1.4, cx - rx * 1.2, cy + ry * 1.15, cx, cy + ry * 1.15);
  cairo_curve_to (cr, cx + rx * 1.2, cy + ry * 1.15, cx + rx * 2.4, cy + ry * 1.4, cx + rx * 2.6, y + h);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, skin.r * 0.88, skin.g * 0.88, skin.b * 0.88);
  cairo_rectangle (cr, cx - rx * 0.4, cy + ry * 0.5, rx * 0.8, ry * 0.75);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, skin.r, skin.g, skin.b);
  ellipse (cr, cx, cy, rx, ry);
  cairo_fill (cr);
  /* Hair on top. */
  cairo_set_source_rgb (cr, hair.r, hair.g, hair.b);
  cairo_move_to (cr, cx - rx * 1.03, cy - ry * 0.05);
  cairo_curve_to (cr, cx - rx * 1.1, cy - ry * 1.2, cx + rx * 1.1, cy - ry * 1.2, cx + rx * 1.03, cy - ry * 0.05);
  cairo_curve_to (cr, cx + rx * 0.7, cy - ry * 0.55, cx - rx * 0.5, cy - ry * 0.6, cx - rx * 1.03, cy - ry * 0.05);
  cairo_fill (cr);
  /* Eyes, brows, nose, mouth. */
  for (int side = -1; side <= 1; side += 2)
    {
      double ex = cx + side * rx * 0.38, ey = cy - ry * 0.02;

      cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
      ellipse (cr, ex, ey, rx * 0.17, ry * 0.07);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.15, 0.12, 0.10);
      ellipse (cr, ex, ey, rx * 0.07, rx * 0.07);
      cairo_fill (cr);
      cairo_set_line_width (cr, MAX (1, rx * 0.06));
      cairo_move_to (cr, ex - rx * 0.18, ey - ry * 0.16);
      cairo_line_to (cr, ex + rx * 0.18, ey - ry * 0.19);
      cairo_stroke (cr);
    }
  cairo_set_source_rgb (cr, skin.r * 0.7, skin.g * 0.7, skin.b * 0.7);
  cairo_set_line_width (cr, MAX (1, rx * 0.04));
  cairo_move_to (cr, cx, cy + ry * 0.05);
  cairo_line_to (cr, cx - rx * 0.08, cy + ry * 0.3);
  cairo_line_to (cr, cx + rx * 0.06, cy + ry * 0.32);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.62, 0.30, 0.28);
  cairo_set_line_width (cr, MAX (1, rx * 0.06));
  cairo_move_to (cr, cx - rx * 0.3, cy + ry * 0.52);
  cairo_curve_to (cr, cx - rx * 0.1, cy + ry * (0.52 + 0.12 * smile), cx + rx * 0.1,
                  cy + ry * (0.52 + 0.12 * smile), cx + rx * 0.3, cy + ry * 0.52);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* "SPÉCIMEN" across the box, in red, as on sample documents. */
static void
draw_specimen (cairo_t *cr, double x, double y, double w, double h)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("DejaVu Sans Bold");
  int tw, th;

  pango_font_description_set_absolute_size (desc, h * 0.2 * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, "SPÉCIMEN", -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x + w / 2, y + h / 2);
  cairo_rotate (cr, -atan2 (h, w));
  cairo_scale (cr, hypot (w, h) * 0.9 / tw, hypot (w, h) * 0.9 / tw);
  cairo_move_to (cr, -tw / 2.0, -th / 2.0);
  cairo_set_source_rgba (cr, 0.80, 0.08, 0.10, 0.55);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  pango_font_description_free (desc);
  g_object_unref (layout);
}

/* A label, upper-cased on some documents. */
static double
show_label (cairo_t *cr, const Look *look, const char *label, double size, double x, double y,
            double max_width)
{
  g_autofree char *upper = look->labels_upper ? g_utf8_strup (label, -1) : NULL;

  cairo_set_source_rgb (cr, 0.30, 0.33, 0.42);
  return show_text (cr, upper != NULL ? upper : label, look->label_family, FALSE, size, x, y,
                    max_width, NULL);
}

static double
show_value (cairo_t *cr, const Look *look, const char *value, double size, double x, double y,
            double max_width, Box *box)
{
  cairo_set_source_rgb (cr, 0.04, 0.04, 0.07);
  return show_text (cr, value, look->family, look->bold, size, x, y, max_width, box);
}

/* One field: its label and value, above one another or side by side.
 * Returns the height used. */
static double
show_field (cairo_t *cr, const Look *look, double h, const char *label, const char *value,
            double x, double y, double width, double label_column, Box *box)
{
  double label_px = look->label_size * h, value_px = look->value_size * h;

  /* Beside its label unless the value would have to shrink much: a long
   * name goes under its label, as card designers do. */
  if (look->layout == LAYOUT_LABELS_BESIDE &&
      text_width (cr, value, look->family, look->bold, value_px) * 0.85 <= width - label_column)
    {
      double lh = show_label (cr, look, label, label_px, x, y + (value_px - label_px) * 0.6,
                              label_column * 0.95);
      double vh = show_value (cr, look, value, value_px, x + label_column, y, width - label_column, box);

      return MAX (lh, vh) + h * 0.03;
    }
  y += show_label (cr, look, label, label_px, x, y, width);
  return label_px * 1.15 + show_value (cr, look, value, value_px, x, y, width, box) + h * 0.025;
}

/* Paper: a pale tint, fine guilloche lines, a faint emblem. */
static void
draw_paper (cairo_t *cr, const Look *look, double w, double h, guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x9a9e4);
  cairo_pattern_t *pat = cairo_pattern_create_linear (0, 0, w, h);
  double phase = g_rand_double_range (rand, 0, 2 * G_PI);

  cairo_pattern_add_color_stop_rgb (pat, 0, 0.97, 0.97, 0.95);
  cairo_pattern_add_color_stop_rgb (pat, 1, 0.86 + look->band.r * 0.1, 0.88 + look->band.g * 0.1,
                                    0.90 + look->band.b * 0.08);
  cairo_set_source (cr, pat);
  cairo_paint (cr);
  cairo_pattern_destroy (pat);

  cairo_set_line_width (cr, MAX (0.6, w * 0.0012));
  cairo_set_source_rgba (cr, look->band.r, look->band.g, look->band.b, 0.10);
  for (int i = 0; i < 30; i++)
    {
      for (int k = 0; k <= 60; k++)
        {
          double u = w * k / 60.0;
          double v = h * (0.05 + i * 0.032) + h * 0.03 * sin (phase + k * 0.25 + i * 0.4);

          if (k == 0)
            cairo_move_to (cr, u, v);
          else
            cairo_line_to (cr, u, v);
        }
    }
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, look->band.r, look->band.g, look->band.b, 0.07);
  ellipse (cr, w * 0.78, h * 0.62, h * 0.28, h * 0.28);
  cairo_set_line_width (cr, h * 0.03);
  cairo_stroke (cr);
}

/* The front of an ID-1 card (85.6 × 54 mm). The name's box goes to
 * name_box, in the card's pixels. */
static void
draw_card (cairo_t *cr, const FakeIdSpec *spec, const FakeIdTruth *truth, const Look *look,
           double w, double h, Box *name_box)
{
  g_autofree char *birth = format_date (&truth->birth, look->date_style);
  g_autofree char *expiry = format_date (&truth->expiry, look->date_style);
  double pad = w * 0.04, portrait_w = w * 0.27, portrait_h = h * 0.6;
  double portrait_x = look->layout == LAYOUT_PORTRAIT_RIGHT ? w - pad - portrait_w : pad;
  double text_x = look->layout == LAYOUT_PORTRAIT_RIGHT ? pad : pad + portrait_w + pad;
  double text_w = w - portrait_w - 3 * pad;
  double label_column = text_w * 0.55;
  double y;
  Box box = { 0 };
  char sex[2] = { truth->sex, 0 };

  draw_paper (cr, look, w, h, spec->seed);

  /* The issuer's band. */
  cairo_set_source_rgb (cr, look->band.r, look->band.g, look->band.b);
  cairo_rectangle (cr, 0, 0, w, h * 0.19);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text (cr, "ÉDULIB — CARTE D'IDENTITÉ FICTIVE", "DejaVu Sans", TRUE, h * 0.065, pad, h * 0.022,
             w - 2 * pad, NULL);
  cairo_set_source_rgb (cr, 0.86, 0.90, 0.98);
  show_text (cr, "FICTITIOUS IDENTITY CARD · SPÉCIMEN · NOT A REAL DOCUMENT", "DejaVu Sans", FALSE,
             h * 0.038, pad, h * 0.11, w - 2 * pad, NULL);

  draw_portrait (cr, spec->seed, portrait_x, h * 0.25, portrait_w, portrait_h);
  draw_specimen (cr, portrait_x, h * 0.25, portrait_w, portrait_h);

  y = h * 0.235;
  *name_box = (Box) { 0 };
  if (spec->kind == FAKE_ID_CARD_ONE_NAME)
    {
      g_autofree char *name = g_strconcat (truth->surname, ", ", truth->given_names, NULL);

      y += show_field (cr, look, h, "Nom, prénom / Name", name, text_x, y, text_w, label_column, &box);
      union_box (name_box, &box);
    }
  else
    {
      gboolean several = strchr (truth->given_names, ' ') != NULL;

      y += show_field (cr, look, h, "Nom / Surname", truth->surname, text_x, y, text_w, label_column, &box);
      union_box (name_box, &box);
      y += show_field (cr, look, h, several ? "Prénoms / Given names" : "Prénom / Given name",
                       truth->given_names, text_x, y, text_w, label_column, &box);
      union_box (name_box, &box);
    }
  if (look->layout == LAYOUT_LABELS_BESIDE)
    {
      y += show_field (cr, look, h, "Date de naissance / Date of birth", birth, text_x, y, text_w,
                       label_column, NULL);
      y += show_field (cr, look, h, "Date d'expiration / Date of expiry", expiry, text_x, y, text_w,
                       label_column, NULL);
      show_field (cr, look, h, "Numéro / Number", truth->number, text_x, y, text_w, label_column, NULL);
    }
  else
    {
      double half = text_w * 0.62;

      show_field (cr, look, h, "Sexe / Sex", sex, text_x + half + pad * 0.5, y,
                  text_w - half - pad * 0.5, 0, NULL);
      y += show_field (cr, look, h, "Date de naissance / Date of birth", birth, text_x, y, half, 0, NULL);
      show_field (cr, look, h, "Numéro / Number", truth->number, text_x + half + pad * 0.5, y,
                  text_w - half - pad * 0.5, 0, NULL);
      show_field (cr, look, h, "Date d'expiration / Date of expiry", expiry, text_x, y, half, 0, NULL);
    }
}

/* A passport's data page (ID-3, 125 × 88 mm) with its machine-readable
 * zone. */
static void
draw_passport (cairo_t *cr, const FakeIdSpec *spec, const FakeIdTruth *truth, const Look *look,
               double w, double h, Box *name_box)
{
  g_autofree char *birth = format_date (&truth->birth, look->date_style);
  g_autofree char *expiry = format_date (&truth->expiry, look->date_style);
  g_autofree char *issue = NULL;
  GDate issued = truth->expiry;
  double pad = w * 0.035, portrait_w = w * 0.26, portrait_h = h * 0.52;
  double text_x = pad + portrait_w + pad, text_w = w - text_x - pad;
  double col = text_w / 3, y, mrz_size, mrz_y;
  Box box = { 0 };
  char sex[2] = { truth->sex, 0 };

  g_date_subtract_years (&issued, 10);
  issue = format_date (&issued, look->date_style);

  draw_paper (cr, look, w, h, spec->seed);
  cairo_set_source_rgb (cr, look->band.r, look->band.g, look->band.b);
  show_text (cr, "ÉDULIB — PASSEPORT FICTIF / FICTITIOUS PASSPORT", "DejaVu Serif", TRUE, h * 0.045,
             pad, h * 0.03, w * 0.7, NULL);
  cairo_set_source_rgb (cr, 0.80, 0.08, 0.10);
  show_text (cr, "SPÉCIMEN", "DejaVu Sans", TRUE, h * 0.045, w * 0.78, h * 0.03, w * 0.2, NULL);

  draw_portrait (cr, spec->seed, pad, h * 0.14, portrait_w, portrait_h);
  draw_specimen (cr, pad, h * 0.14, portrait_w, portrait_h);

  y = h * 0.12;
  show_field (cr, look, h, "Type / Type", "P", text_x, y, col, 0, NULL);
  show_field (cr, look, h, "Pays émetteur / Issuing country", "CAN", text_x + col, y, col * 0.95, 0, NULL);
  y += show_field (cr, look, h, "N° de passeport / Passport No.", truth->number, text_x + 2 * col, y,
                   col, 0, NULL);
  *name_box = (Box) { 0 };
  y += show_field (cr, look, h, "Nom / Surname", truth->surname, text_x, y, text_w, 0, &box);
  union_box (name_box, &box);
  y += show_field (cr, look, h, "Prénoms / Given names", truth->given_names, text_x, y, text_w, 0, &box);
  union_box (name_box, &box);
  show_field (cr, look, h, "Nationalité / Nationality", "CANADIENNE/CANADIAN", text_x, y, col * 1.45, 0, NULL);
  y += show_field (cr, look, h, "Date de naissance / Date of birth", birth, text_x + col * 1.55, y,
                   text_w - col * 1.55, 0, NULL);
  show_field (cr, look, h, "Sexe / Sex", sex, text_x, y, col * 0.6, 0, NULL);
  y += show_field (cr, look, h, "Lieu de naissance / Place of birth",
                   places[spec->seed % G_N_ELEMENTS (places)], text_x + col * 0.7, y, text_w - col * 0.7,
                   0, NULL);
  show_field (cr, look, h, "Date de délivrance / Date of issue", issue, text_x, y, col * 1.45, 0, NULL);
  show_field (cr, look, h, "Date d'expiration / Date of expiry", expiry, text_x + col * 1.55, y,
              text_w - col * 1.55, 0, NULL);

  /* The machine-readable zone, on a plain strip, in a monospace font
   * (OCR-B is not packaged) fitted to the page's width. */
  mrz_y = h * 0.75;
  cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
  cairo_rectangle (cr, 0, mrz_y, w, h - mrz_y);
  cairo_fill (cr);
  mrz_size = h * 0.055;
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.07);
  for (int i = 0; i < 2; i++)
    show_text (cr, truth->mrz[i], look->mrz_family, g_str_equal (look->mrz_family, "Nimbus Mono PS"),
               mrz_size * 1.4, pad, mrz_y + h * (0.03 + 0.095 * i), w - 2 * pad, NULL);
}

/* The document, w × h, transparent outside its rounded corners. */
static cairo_surface_t *
draw_document (const FakeIdSpec *spec, const FakeIdTruth *truth, int w, int h, Box *name_box)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  Look look;

  look_init (&look, spec);
  rounded_rectangle (cr, 0, 0, w, h, (spec->kind == FAKE_ID_PASSPORT ? 0.015 : 0.045) * h);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (spec->kind == FAKE_ID_PASSPORT)
    draw_passport (cr, spec, truth, &look, w, h, name_box);
  else
    draw_card (cr, spec, truth, &look, w, h, name_box);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* ------------------------------------------------------------------------ */
/* The scene                                                                */

/* A table: wood, a dark desk, a cloth or a sheet of paper, under a lamp. */
static void
draw_table (cairo_t *cr, guint seed, int width, int height)
{
  static const Rgb tables[] = {
    { 0.52, 0.35, 0.20 }, { 0.62, 0.45, 0.28 }, { 0.16, 0.16, 0.18 }, { 0.30, 0.38, 0.48 },
    { 0.85, 0.84, 0.80 }, { 0.42, 0.20, 0.18 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x7ab1e);
  Rgb table = PICK (rand, tables);
  cairo_pattern_t *pat = cairo_pattern_create_radial (width * g_rand_double_range (rand, 0.2, 0.8),
                                                      height * g_rand_double_range (rand, 0.2, 0.8), 0,
                                                      width * 0.5, height * 0.5, hypot (width, height) * 0.65);

  cairo_pattern_add_color_stop_rgb (pat, 0, MIN (1, table.r * 1.2), MIN (1, table.g * 1.2), MIN (1, table.b * 1.2));
  cairo_pattern_add_color_stop_rgb (pat, 1, table.r * 0.65, table.g * 0.65, table.b * 0.65);
  cairo_set_source (cr, pat);
  cairo_paint (cr);
  cairo_pattern_destroy (pat);

  cairo_set_line_width (cr, MAX (1, height * 0.003));
  for (int i = 0; i < 50; i++)
    {
      double gy = height * g_rand_double (rand);
      double wave = height * g_rand_double_range (rand, -0.04, 0.04);

      cairo_set_source_rgba (cr, table.r * 0.6, table.g * 0.6, table.b * 0.6, 0.3);
      cairo_move_to (cr, 0, gy);
      cairo_curve_to (cr, width * 0.33, gy + wave, width * 0.66, gy - wave, width, gy);
      cairo_stroke (cr);
    }
}

typedef struct {
  double m[3][3];
} Matrix3;

static void
apply (const Matrix3 *h, double x, double y, double *out_x, double *out_y)
{
  double z = h->m[2][0] * x + h->m[2][1] * y + h->m[2][2];

  *out_x = (h->m[0][0] * x + h->m[0][1] * y + h->m[0][2]) / z;
  *out_y = (h->m[1][0] * x + h->m[1][1] * y + h->m[1][2]) / z;
}

/* The projective map from the w × h document to quad (its corners: top
 * left, top right, bottom right, bottom left), as Heckbert's square to
 * quadrilateral ("Fundamentals of Texture Mapping", 1989) after a scaling
 * of the document to the unit square. */
static Matrix3
homography (double w, double h, const double quad[4][2])
{
  double x0 = quad[0][0], y0 = quad[0][1], x1 = quad[1][0], y1 = quad[1][1];
  double x2 = quad[2][0], y2 = quad[2][1], x3 = quad[3][0], y3 = quad[3][1];
  double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  double a, b, c, d, e, f, g, k;
  Matrix3 m;

  if (fabs (dx3) < 1e-9 && fabs (dy3) < 1e-9)
    {
      a = x1 - x0; b = x3 - x0; c = x0;
      d = y1 - y0; e = y3 - y0; f = y0;
      g = 0; k = 0;
    }
  else
    {
      double den = dx1 * dy2 - dx2 * dy1;

      g = (dx3 * dy2 - dx2 * dy3) / den;
      k = (dx1 * dy3 - dx3 * dy1) / den;
      a = x1 - x0 + g * x1; b = x3 - x0 + k * x3; c = x0;
      d = y1 - y0 + g * y1; e = y3 - y0 + k * y3; f = y0;
    }
  m = (Matrix3) { { { a / w, b / h, c }, { d / w, e / h, f }, { g / w, k / h, 1 } } };
  return m;
}

static Matrix3
invert (const Matrix3 *h)
{
  Matrix3 a = *h;
  double (*m)[3] = a.m;
  double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
               m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
               m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  Matrix3 inv;

  inv.m[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
  inv.m[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
  inv.m[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
  inv.m[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
  inv.m[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
  inv.m[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
  inv.m[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
  inv.m[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
  inv.m[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
  return inv;
}

/* The premultiplied document pixel at (x, y), transparent outside. */
static inline guint32
doc_pixel (const guint8 *data, int stride, int w, int h, int x, int y)
{
  if (x < 0 || y < 0 || x >= w || y >= h)
    return 0;
  return *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
}

/* Lays the document on the frame through h (document → frame): each frame
 * pixel in the quad's box takes the document's colour at the inverse
 * image of its centre (bilinear, premultiplied), over the table. */
static void
warp (cairo_surface_t *doc, cairo_surface_t *frame, const Matrix3 *h, const double quad[4][2])
{
  Matrix3 inv = invert (h);
  const guint8 *src = cairo_image_surface_get_data (doc);
  int src_stride = cairo_image_surface_get_stride (doc);
  int dw = cairo_image_surface_get_width (doc), dh = cairo_image_surface_get_height (doc);
  guint8 *dst = cairo_image_surface_get_data (frame);
  int dst_stride = cairo_image_surface_get_stride (frame);
  int fw = cairo_image_surface_get_width (frame), fh = cairo_image_surface_get_height (frame);
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  int x0, y0, x1, y1;

  for (int i = 0; i < 4; i++)
    {
      min_x = MIN (min_x, quad[i][0]);
      max_x = MAX (max_x, quad[i][0]);
      min_y = MIN (min_y, quad[i][1]);
      max_y = MAX (max_y, quad[i][1]);
    }
  x0 = MAX (0, (int) floor (min_x) - 1);
  y0 = MAX (0, (int) floor (min_y) - 1);
  x1 = MIN (fw, (int) ceil (max_x) + 1);
  y1 = MIN (fh, (int) ceil (max_y) + 1);

  cairo_surface_flush (frame);
  for (int py = y0; py < y1; py++)
    {
      guint32 *row = (guint32 *) (dst + (gsize) py * dst_stride);
      double fy = py + 0.5;

      for (int px = x0; px < x1; px++)
        {
          double fx = px + 0.5;
          double z = inv.m[2][0] * fx + inv.m[2][1] * fy + inv.m[2][2];
          double u = (inv.m[0][0] * fx + inv.m[0][1] * fy + inv.m[0][2]) / z - 0.5;
          double v = (inv.m[1][0] * fx + inv.m[1][1] * fy + inv.m[1][2]) / z - 0.5;
          int iu, iv;
          double au, av;
          guint32 p00, p10, p01, p11, out = 0;
          guint32 bg = row[px];
          int alpha;

          if (u < -1 || v < -1 || u >= dw || v >= dh)
            continue;
          iu = (int) floor (u);
          iv = (int) floor (v);
          au = u - iu;
          av = v - iv;
          p00 = doc_pixel (src, src_stride, dw, dh, iu, iv);
          p10 = doc_pixel (src, src_stride, dw, dh, iu + 1, iv);
          p01 = doc_pixel (src, src_stride, dw, dh, iu, iv + 1);
          p11 = doc_pixel (src, src_stride, dw, dh, iu + 1, iv + 1);
          for (int shift = 0; shift <= 24; shift += 8)
            {
              double c = ((p00 >> shift) & 0xff) * (1 - au) * (1 - av) + ((p10 >> shift) & 0xff) * au * (1 - av) +
                         ((p01 >> shift) & 0xff) * (1 - au) * av + ((p11 >> shift) & 0xff) * au * av;

              out |= (guint32) CLAMP ((int) (c + 0.5), 0, 255) << shift;
            }
          alpha = out >> 24;
          if (alpha == 0)
            continue;
          {
            guint32 blended = 0;

            for (int shift = 0; shift <= 16; shift += 8)
              {
                int s = (out >> shift) & 0xff, d = (bg >> shift) & 0xff;

                blended |= (guint32) MIN (255, s + (d * (255 - alpha) + 127) / 255) << shift;
              }
            row[px] = blended;
          }
        }
    }
  cairo_surface_mark_dirty (frame);
}

/* The document's soft shadow on the table, offset towards the bottom
 * right. */
static void
draw_shadow (cairo_t *cr, const double quad[4][2], double size)
{
  cairo_save (cr);
  cairo_translate (cr, size * 0.5, size * 0.8);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int i = 0; i < 6; i++)
    {
      cairo_move_to (cr, quad[0][0], quad[0][1]);
      for (int k = 1; k < 4; k++)
        cairo_line_to (cr, quad[k][0], quad[k][1]);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.07);
      cairo_set_line_width (cr, size * (6 - i) / 3.0);
      cairo_stroke_preserve (cr);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* A lamp's highlight on the document: white, fading out, somewhat
 * elongated. */
static void
draw_glare (cairo_t *cr, const FakeIdSpec *spec, const Matrix3 *h, double doc_w, double doc_h)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (spec->seed ^ 0x91a4e);
  cairo_pattern_t *pat;
  double gx, gy, radius = doc_w * g_rand_double_range (rand, 0.18, 0.35);

  apply (h, spec->glare_x * doc_w, spec->glare_y * doc_h, &gx, &gy);
  cairo_save (cr);
  cairo_translate (cr, gx, gy);
  cairo_rotate (cr, g_rand_double_range (rand, 0, G_PI));
  cairo_scale (cr, 1.0, g_rand_double_range (rand, 0.45, 0.9));
  pat = cairo_pattern_create_radial (0, 0, 0, 0, 0, radius);
  cairo_pattern_add_color_stop_rgba (pat, 0, 1, 1, 1, spec->glare);
  cairo_pattern_add_color_stop_rgba (pat, 0.35, 1, 1, 0.98, spec->glare * 0.8);
  cairo_pattern_add_color_stop_rgba (pat, 1, 1, 1, 0.98, 0);
  cairo_set_source (cr, pat);
  cairo_arc (cr, 0, 0, radius, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (pat);
  cairo_restore (cr);
}

/* A Gaussian blur of sigma pixels, separable, on the frame's three
 * colours. */
static void
blur (cairo_surface_t *frame, double sigma)
{
  int w = cairo_image_surface_get_width (frame), h = cairo_image_surface_get_height (frame);
  int stride = cairo_image_surface_get_stride (frame);
  guint8 *data = cairo_image_surface_get_data (frame);
  int radius = (int) ceil (sigma * 3);
  g_autofree int *kernel = g_new (int, 2 * radius + 1);
  g_autofree guint32 *line = g_new (guint32, MAX (w, h));
  double sum = 0;

  if (sigma < 0.1)
    return;
  for (int i = -radius; i <= radius; i++)
    sum += exp (-(i * i) / (2 * sigma * sigma));
  for (int i = -radius; i <= radius; i++)
    kernel[i + radius] = (int) (65536 * exp (-(i * i) / (2 * sigma * sigma)) / sum + 0.5);

  cairo_surface_flush (frame);
  for (int pass = 0; pass < 2; pass++)
    {
      int n = pass == 0 ? w : h, lines = pass == 0 ? h : w;

      for (int l = 0; l < lines; l++)
        {
          for (int i = 0; i < n; i++)
            line[i] = pass == 0 ? ((guint32 *) (data + (gsize) l * stride))[i]
                                : ((guint32 *) (data + (gsize) i * stride))[l];
          for (int i = 0; i < n; i++)
            {
              guint32 acc[3] = { 0, 0, 0 }, out = 0;

              for (int k = -radius; k <= radius; k++)
                {
                  guint32 p = line[CLAMP (i + k, 0, n - 1)];
                  int weight = kernel[k + radius];

                  acc[0] += (p & 0xff) * weight;
                  acc[1] += ((p >> 8) & 0xff) * weight;
                  acc[2] += ((p >> 16) & 0xff) * weight;
                }
              for (int c = 0; c < 3; c++)
                out |= MIN (255u, (acc[c] + 32768) >> 16) << (8 * c);
              if (pass == 0)
                ((guint32 *) (data + (gsize) l * stride))[i] = out;
              else
                ((guint32 *) (data + (gsize) i * stride))[l] = out;
            }
        }
    }
  cairo_surface_mark_dirty (frame);
}

/* xorshift32: quick enough for 12 million pixels. */
static inline guint32
next_random (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* About normal, mean 0, deviation 1: four uniforms summed (Irwin–Hall). */
static inline double
next_gaussian (guint32 *state)
{
  double s = 0;

  for (int i = 0; i < 4; i++)
    s += (next_random (state) & 0xffff) / 65535.0;
  return (s - 2.0) * 1.7320508;  /* the sum's deviation is sqrt(4/12) */
}

/* The frame as RGB pixels, with the sensor's noise (light, and a little
 * colour) when sigma > 0. */
static GdkPixbuf *
frame_to_pixbuf (cairo_surface_t *frame, double sigma, guint seed)
{
  int w = cairo_image_surface_get_width (frame), h = cairo_image_surface_get_height (frame);
  int src_stride = cairo_image_surface_get_stride (frame);
  const guint8 *src;
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  guint8 *dst = gdk_pixbuf_get_pixels (pixbuf);
  int dst_stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = seed * 747796405u + 2891336453u;

  if (state == 0)
    state = 1;
  cairo_surface_flush (frame);
  src = cairo_image_surface_get_data (frame);
  for (int y = 0; y < h; y++)
    {
      const guint32 *in = (const guint32 *) (src + (gsize) y * src_stride);
      guint8 *out = dst + (gsize) y * dst_stride;

      for (int x = 0; x < w; x++)
        {
          int r = (in[x] >> 16) & 0xff, g = (in[x] >> 8) & 0xff, b = in[x] & 0xff;

          if (sigma > 0)
            {
              double light = next_gaussian (&state) * sigma;
              double chroma = next_gaussian (&state) * sigma * 0.35;

              r = CLAMP ((int) lround (r + light + chroma), 0, 255);
              g = CLAMP ((int) lround (g + light), 0, 255);
              b = CLAMP ((int) lround (b + light - chroma), 0, 255);
            }
          out[3 * x + 0] = r;
          out[3 * x + 1] = g;
          out[3 * x + 2] = b;
        }
    }
  return pixbuf;
}

static GBytes *
encode (GdkPixbuf *pixbuf, const FakeIdSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *quality = g_strdup_printf ("%d", CLAMP (spec->jpeg_quality, 1, 100));
  gchar *buffer = NULL;
  gsize size = 0;
  gboolean saved;

  if (spec->format == FAKE_ID_PNG)
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", quality, NULL);
  if (!saved)
    {
      g_warning ("Could not encode a synthetic ID: %s", error->message);
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

/* The document's corners on the frame, around (0, 0): its size, tilted by
 * the perspective (the near edge longer), then turned. */
static void
place_corners (const FakeIdSpec *spec, double doc_w, double doc_h, double quad[4][2])
{
  static const double corners[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };
  double near_x = sin (spec->perspective_angle), near_y = cos (spec->perspective_angle);
  double turn = spec->rotation * G_PI / 180;

  for (int i = 0; i < 4; i++)
    {
      double x = corners[i][0] * doc_w / 2, y = corners[i][1] * doc_h / 2;
      /* How near this corner is: −1 on the far edge, 1 on the near one. */
      double t = (corners[i][0] * near_x + corners[i][1] * near_y) / (fabs (near_x) + fabs (near_y));
      double scale = 1 + spec->perspective * t;

      x *= scale;
      y *= scale;
      quad[i][0] = x * cos (turn) - y * sin (turn);
      quad[i][1] = x * sin (turn) + y * cos (turn);
    }
}

GBytes *
fake_id_render (const FakeIdSpec *spec,
                FakeIdTruth     **truth_out)
{
  g_autoptr(FakeIdTruth) truth = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *frame, *doc;
  cairo_t *cr;
  double aspect = spec->kind == FAKE_ID_PASSPORT ? 125.0 / 88.0 : 85.6 / 54.0;
  double doc_w, doc_h, quad[4][2], min_x, min_y, max_x, max_y, cx, cy;
  int w = spec->width, h = spec->height;
  Box name_box = { 0 };
  Matrix3 hom;
  GBytes *bytes;

  g_return_val_if_fail (spec->kind < FAKE_ID_N_KINDS, NULL);
  g_return_val_if_fail (w >= 64 && h >= 64, NULL);
  g_return_val_if_fail (MAX (w, h) <= FAKE_ID_MAX_LONG_SIDE && MIN (w, h) <= FAKE_ID_MAX_SHORT_SIDE, NULL);

  truth = fake_id_truth_new (spec);
  rand = g_rand_new_with_seed (spec->seed ^ 0x5cede);

  /* The document's size: fill × the frame's width, or less when its
   * height or its turned and tilted corners would leave the frame. */
  doc_w = CLAMP (spec->fill, 0.05, 1.0) * MIN (w, h * 0.96 * aspect);
  for (int i = 0; i < 2; i++)
    {
      double fit;

      doc_h = doc_w / aspect;
      place_corners (spec, doc_w, doc_h, quad);
      min_x = min_y = G_MAXDOUBLE;
      max_x = max_y = -G_MAXDOUBLE;
      for (int k = 0; k < 4; k++)
        {
          min_x = MIN (min_x, quad[k][0]);
          max_x = MAX (max_x, quad[k][0]);
          min_y = MIN (min_y, quad[k][1]);
          max_y = MAX (max_y, quad[k][1]);
        }
      fit = MIN (w * 0.98 / (max_x - min_x), h * 0.98 / (max_y - min_y));
      if (fit >= 1)
        break;
      doc_w *= fit;
    }
  doc_w = floor (doc_w);
  doc_h = floor (doc_w / aspect);
  place_corners (spec, doc_w, doc_h, quad);

  /* Somewhere in the frame, not always in its middle; on whole pixels when
   * the document is straight, so that a clean photo is not resampled. */
  cx = w / 2.0 + g_rand_double_range (rand, -0.4, 0.4) * (w * 0.98 - (max_x - min_x)) / 2;
  cy = h / 2.0 + g_rand_double_range (rand, -0.4, 0.4) * (h * 0.98 - (max_y - min_y)) / 2;
  cx = floor (cx - doc_w / 2) + doc_w / 2;
  cy = floor (cy - doc_h / 2) + doc_h / 2;
  for (int k = 0; k < 4; k++)
    {
      quad[k][0] += cx;
      quad[k][1] += cy;
    }
  hom = homography (doc_w, doc_h, quad);

  frame = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (frame);
  draw_table (cr, spec->seed, w, h);
  draw_shadow (cr, quad, doc_w * 0.012);
  cairo_destroy (cr);

  doc = draw_document (spec, truth, (int) doc_w, (int) doc_h, &name_box);
  warp (doc, frame, &hom, quad);
  cairo_surface_destroy (doc);

  if (spec->glare > 0)
    {
      cr = cairo_create (frame);
      draw_glare (cr, spec, &hom, doc_w, doc_h);
      cairo_destroy (cr);
    }
  if (spec->blur > 0)
    blur (frame, spec->blur * MAX (w, h) / 1000.0);

  pixbuf = frame_to_pixbuf (frame, spec->noise, spec->seed);
  cairo_surface_destroy (frame);
  bytes = encode (pixbuf, spec);

  /* The name's box on the photo: its corners' images. */
  if (name_box.width > 0)
    {
      const double xs[2] = { name_box.x, name_box.x + name_box.width };
      const double ys[2] = { name_box.y, name_box.y + name_box.height };

      min_x = min_y = G_MAXDOUBLE;
      max_x = max_y = -G_MAXDOUBLE;
      for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
          {
            double x, y;

            apply (&hom, xs[i], ys[j], &x, &y);
            min_x = MIN (min_x, x);
            max_x = MAX (max_x, x);
            min_y = MIN (min_y, y);
            max_y = MAX (max_y, y);
          }
      truth->name_x = CLAMP ((int) floor (min_x), 0, w);
      truth->name_y = CLAMP ((int) floor (min_y), 0, h);
      truth->name_width = CLAMP ((int) ceil (max_x), 0, w) - truth->name_x;
      truth->name_height = CLAMP ((int) ceil (max_y), 0, h) - truth->name_y;
    }

  if (truth_out != NULL)
    *truth_out = g_steal_pointer (&truth);
  return bytes;
}
