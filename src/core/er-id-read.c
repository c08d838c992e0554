/* er-id-read.c: the name and expiry date read on an ID photo.
 *
 * The photo is read in er-id-read-photo.c (grey, no larger than
 * ER_ID_READ_LONG_SIDE, by Tesseract). Its lines are searched twice here:
 * for labelled fields (er-id-fields.c) and for a machine-readable zone
 * (er-mrz.c). The labels give the name as printed, accents and all; the
 * MRZ, when there is one, must spell the same letters for the name to be
 * read surely (its check digits do not cover the name, so an MRZ alone is
 * never more sure than its lines' confidence). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "er-id-fields.h"
#include "er-id-read-private.h"
#include "er-mrz.h"
#include "er-ocr.h"
#include "er-secret.h"

G_DEFINE_FINAL_TYPE (ErIdRead, er_id_read, G_TYPE_OBJECT)

/* ---- Comparing the labels with the MRZ ---------------------------------- */

/* text as an MRZ writes it: capitals A–Z without accents, apostrophes
 * dropped, anything else between letters one space. */
static char *
mrz_letters (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, g_ascii_toupper (*p));
          space = FALSE;
        }
      else if (*p != '\'' && *p != '`')
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

/* Whether the name of mrz fills its field (within two fillers an OCR may
 * have dropped): a TD3 line has 39 places for both names, a TD1 30, and a
 * longer name is cut at the end ("DE<LA<CHEVROTIERE<BEAUCHEMIN<<SYLVIE<BE"). */
static gboolean
mrz_name_cut (const ErMrz *mrz)
{
  gsize places = mrz->format == ER_MRZ_TD3 ? 39 : 30;
  gsize used = strlen (mrz->surname) + (mrz->given_names[0] != '\0' ? 2 + strlen (mrz->given_names) : 0);

  return used + 2 >= places;
}

/* Whether a name part of mrz (part, already in MRZ letters) spells
 * printed: the same, or printed's start when the name was cut, or the part
 * alone too long for its field. */
static gboolean
mrz_spells (const ErMrz *mrz,
            const char  *part,
            const char  *printed)
{
  g_autofree char *letters = mrz_letters (printed);

  if (g_str_equal (part, letters))
    return TRUE;
  return (mrz_name_cut (mrz) || strlen (part) >= 20) && g_str_has_prefix (letters, part);
}

/* ---- The MRZ's name found in print -------------------------------------- */

/* text without the marks around it: "CÔTÉ," → "CÔTÉ". */
static char *
trim_to_letters (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && !g_unichar_isalpha (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *last = g_utf8_find_prev_char (start, end);

      if (last == NULL || g_unichar_isalpha (g_utf8_get_char (last)))
        break;
      end = last;
    }
  return g_strndup (start, end - start);
}

/* The edit distance between two strings of MRZ letters, or more than
 * limit (then any number over it). */
static guint
letters_distance (const char *a,
                  const char *b,
                  guint       limit)
{
  gsize n_a = strlen (a), n_b = strlen (b);
  g_autofree guint *row = NULL;

  if ((n_a > n_b ? n_a - n_b : n_b - n_a) > limit)
    return limit + 1;
  row = g_new (guint, n_b + 1);
  for (gsize j = 0; j <= n_b; j++)
    row[j] = j;
  for (gsize i = 1; i <= n_a; i++)
    {
      guint diagonal = row[0], lowest;

      row[0] = i;
      lowest = row[0];
      for (gsize j = 1; j <= n_b; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
          lowest = MIN (lowest, row[j]);
        }
      if (lowest > limit)
        return limit + 1;
    }
  return row[n_b];
}

/* The words of text, in a row, whose MRZ letters are letters but for
 * limit edits, as printed (accents and all); NULL if none are. The MRZ's
 * own lines (with their fillers) are not print. */
static char *
words_spelling (const char *text,
                const char *letters,
                guint       limit)
{
  g_auto(GStrv) words = NULL;

  if (strchr (text, '<') != NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  words = g_strsplit (text, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) run = g_string_new (NULL);

      for (guint j = i; words[j] != NULL; j++)
        {
          g_autofree char *have = NULL;

          if (words[j][0] == '\0')
            continue;
          if (run->len > 0)
            g_string_append_c (run, ' ');
          g_string_append (run, words[j]);
          have = mrz_letters (run->str);
          if (have[0] != '\0' && letters_distance (have, letters, limit) <= limit)
            return g_string_free (g_steal_pointer (&run), FALSE);
          if (strlen (have) >= strlen (letters) + limit)
            break;
        }
    }
  return NULL;
}

/* The words of text, in a row, that spell letters (MRZ letters): that part
 * of the name as printed, accents and all; NULL if none do. */
static char *
find_printed_in (const char *text,
                 const char *letters)
{
  g_autofree char *run = words_spelling (text, letters, 0);

  return run != NULL ? trim_to_letters (run) : NULL;
}

/* Whether words of text, in a row, spell letters but for one edit in five
 * letters (at least one): that part of the name misread ("7 core" for
 * COTE), not found by find_printed_in. */
static gboolean
near_printed_in (const char *text,
                 const char *letters)
{
  g_autofree char *run = words_spelling (text, letters, MAX (1, strlen (letters) / 5));

  return run != NULL;
}

/* "FRANÇOIS, XAVIER" → "FRANÇOIS XAVIER" (French cards list given names
 * with commas). */
static char *
without_commas (const char *given)
{
  g_auto(GStrv) parts = g_strsplit_set (given, ", ", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  kept = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return g_strjoinv (" ", kept);
}

/* ---- A name's first letters lost ------------------------------------- */

char *
_er_id_read_lost_start (const char *page,
                        const char *zone)
{
  g_autofree char *page_letters = NULL;
  g_autofree char *zone_letters = NULL;
  g_autofree char *zone_trimmed = NULL;
  gsize n_page, n_zone, lost;
  const char *end;

  if (!g_utf8_validate (page, -1, NULL) || !g_utf8_validate (zone, -1, NULL))
    return NULL;
  page_letters = mrz_letters (page);
  zone_letters = mrz_letters (zone);
  n_page = strlen (page_letters);
  n_zone = strlen (zone_letters);
  /* One or two capitals more at the start, the rest the same. */
  if (n_page < 2 || n_zone <= n_page || n_zone > n_page + 2 ||
      !g_str_has_suffix (zone_letters, page_letters))
    return NULL;
  lost = n_zone - n_page;
  zone_trimmed = trim_to_letters (zone);
  end = zone_trimmed;
  for (gsize k = 0; k < lost; k++)
    {
      gunichar c = g_utf8_get_char (end);

      if (!g_unichar_isupper (c))
        return NULL;
      end = g_utf8_next_char (end);
    }
  /* "L'" of "L'HEUREUX". */
  while (*end == '\'' || g_utf8_get_char (end) == 0x2019)
    end = g_utf8_next_char (end);
  if (*page == '\0' || !g_unichar_isalpha (g_utf8_get_char (page)))
    return NULL;
  return g_strdup_printf ("%.*s%s", (int) (end - zone_trimmed), zone_trimmed, page);
}

static void
replace_secret (char **slot,
                char  *text)
{
  if (*slot != NULL)
    er_secret_wipe (*slot, strlen (*slot));
  g_free (*slot);
  *slot = text;
}

GPtrArray *
_er_id_read_near_printed (ErIdRead  *self,
                          GPtrArray *lines)
{
  GPtrArray *near = g_ptr_array_new ();

  g_return_val_if_fail (ER_IS_ID_READ (self), near);

  if (self->mrz_parts[0] == NULL || self->source != ER_ID_READ_SOURCE_MRZ)
    return near;
  for (guint i = 0; i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      for (guint k = 0; k < G_N_ELEMENTS (self->mrz_parts); k++)
        if (self->printed_parts[k] == NULL && self->mrz_parts[k][0] != '\0' &&
            near_printed_in (line->text, self->mrz_parts[k]))
          {
            g_ptr_array_add (near, line);
            break;
          }
    }
  return near;
}

gboolean
_er_id_read_take_printed (ErIdRead  *self,
                          GPtrArray *lines)
{
  gboolean missing = FALSE;
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;
  const char *surname, *given;

  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);

  if (self->mrz_parts[0] == NULL || self->source != ER_ID_READ_SOURCE_MRZ)
    return FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (self->mrz_parts); k++)
    {
      char *best = NULL;
      ErIdLine *best_line = NULL;

      if (self->printed_parts[k] != NULL || self->mrz_parts[k][0] == '\0')
        continue;
      for (guint i = 0; lines != NULL && i < lines->len; i++)
        {
          ErIdLine *line = g_ptr_array_index (lines, i);
          char *printed = find_printed_in (line->text, self->mrz_parts[k]);

          if (printed != NULL && (best_line == NULL || line->confidence > best_line->confidence))
            {
              replace_secret (&best, printed);
              best_line = line;
            }
          else if (printed != NULL)
            replace_secret (&printed, NULL);
        }
      if (best == NULL)
        {
          missing = TRUE;
          continue;
        }
      self->printed_parts[k] = best;
      self->printed_confidence = MIN (self->printed_confidence, best_line->confidence);
      x0 = MIN (x0, best_line->x);
      y0 = MIN (y0, best_line->y);
      x1 = MAX (x1, best_line->x + best_line->width);
      y1 = MAX (y1, best_line->y + best_line->height);
    }
  if (missing)
    return TRUE;

  /* Every part in print: the name as printed, the MRZ vouching for its
   * letters (two readings that agree). */
  surname = self->printed_parts[0];
  given = self->printed_parts[1] != NULL ? self->printed_parts[1] : "";
  self->source = ER_ID_READ_SOURCE_PRINTED;
  replace_secret (&self->name, given[0] != '\0' ? g_strdup_printf ("%s, %s", surname, given)
                                                 : g_strdup (surname));
  if (given[0] != '\0')
    {
      g_autofree char *joined = without_commas (given);

      replace_secret (&self->compare_name, g_strdup_printf ("%s %s", joined, surname));
    }
  else
    replace_secret (&self->compare_name, g_strdup (surname));
  self->sure = given[0] != '\0' && self->printed_confidence >= ER_ID_READ_SURE_CONFIDENCE;
  if (x0 < x1 && y0 < y1)
    {
      self->has_region = TRUE;
      graphene_rect_init (&self->region, x0, y0, x1 - x0, y1 - y0);
    }
  return FALSE;
}

gboolean
_er_id_read_spells_mrz_part (ErIdRead   *self,
                             guint       k,
                             const char *text)
{
  g_autofree char *run = NULL;

  g_return_val_if_fail (ER_IS_ID_READ (self) && k < G_N_ELEMENTS (self->mrz_parts), FALSE);

  if (self->mrz_parts[k] == NULL || self->mrz_parts[k][0] == '\0')
    return FALSE;
  run = words_spelling (text, self->mrz_parts[k], 0);
  if (run != NULL)
    er_secret_wipe (run, strlen (run));
  return run != NULL;
}

/* ---- Building the result ----------------------------------------------- */

/* A copy of the line of lines that holds value (a name's part as read),
 * or NULL. */
static ErIdLine *
line_holding (GPtrArray  *lines,
              const char *value)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);

      if (strstr (line->text, value) != NULL)
        return er_id_line_copy (line);
    }
  return NULL;
}

static GDateTime *
date_time_from_date (const GDate *date)
{
  if (!g_date_valid (date))
    return NULL;
  return g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 0, 0, 0);
}

gboolean
_er_id_read_take_expiry (ErIdRead  *self,
                         GPtrArray *lines)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);

  if (self->expiry != NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      const ErIdLine *line = g_ptr_array_index (lines, i);
      GDate date;

      g_date_clear (&date, 1);
      if (g_utf8_validate (line->text, -1, NULL) && er_id_parse_date (line->text, &date))
        {
          self->expiry = date_time_from_date (&date);
          self->expiry_sure = TRUE;
          return TRUE;
        }
    }
  return FALSE;
}

static float
lines_confidence (GPtrArray *lines,
                  guint      first,
                  guint      n)
{
  float lowest = 100.0f;

  for (guint i = first; i < first + n && i < lines->len; i++)
    lowest = MIN (lowest, ((ErIdLine *) g_ptr_array_index (lines, i))->confidence);
  return lowest;
}

static void
set_region_from_lines (ErIdRead  *self,
                       GPtrArray *lines,
                       guint      first,
                       guint      n)
{
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

  for (guint i = first; i < first + n && i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      x0 = MIN (x0, line->x);
      y0 = MIN (y0, line->y);
      x1 = MAX (x1, line->x + line->width);
      y1 = MAX (y1, line->y + line->height);
    }
  if (x0 < x1 && y0 < y1)
    {
      self->has_region = TRUE;
      graphene_rect_init (&self->region, x0, y0, x1 - x0, y1 - y0);
    }
}

/* "CÔTÉ, FRANÇOIS" → "FRANÇOIS CÔTÉ"; a name without a comma stays as printed. */
static char *
account_order (const char *name)
{
  const char *comma = strchr (name, ',');
  g_autofree char *surname = NULL;
  g_autofree char *given = NULL;

  if (comma == NULL)
    return g_strstrip (g_strdup (name));
  surname = g_strstrip (g_strndup (name, comma - name));
  given = g_strstrip (g_strdup (comma + 1));
  if (*given == '\0' || *surname == '\0' || strchr (given, ',') != NULL)
    return g_strstrip (g_strdup (name));
  return g_strdup_printf ("%s %s", given, surname);
}

ErIdRead *
er_id_read_new_from_lines (GPtrArray *lines,
                           int        photo_width,
                           int        photo_height)
{
  ErIdRead *self = g_object_new (ER_TYPE_ID_READ, NULL);
  g_autoptr(ErIdFields) fields = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GError) mrz_error = NULL;
  float mrz_confidence = 0;
  gboolean half;

  g_return_val_if_fail (lines != NULL, self);

  self->width = photo_width;
  self->height = photo_height;
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (texts, ((ErIdLine *) g_ptr_array_index (lines, i))->text);
  g_ptr_array_add (texts, NULL);

  fields = er_id_fields_find (lines);
  mrz = er_mrz_find ((const char * const *) texts->pdata, lines->len, &mrz_error);
  if (mrz_error != NULL)
    g_debug ("ID read: an MRZ that does not verify (%s)", mrz_error->message);
  if (mrz != NULL)
    {
      mrz_confidence = lines_confidence (lines, mrz->first_line, mrz->n_lines);
      self->mrz_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
      for (guint i = mrz->first_line; i < mrz->first_line + mrz->n_lines && i < lines->len; i++)
        g_ptr_array_add (self->mrz_lines, er_id_line_copy (g_ptr_array_index (lines, i)));
    }

  /* Half a name under its label (the other label lost, as on small
   * passport print), the MRZ spelling the same letters: the MRZ's name,
   * with the printed half in it, accents and all. */
  half = fields->name == NULL && (fields->surname == NULL) != (fields->given_names == NULL) &&
         mrz != NULL && mrz->surname[0] != '\0' && mrz->given_names[0] != '\0' &&
         (fields->surname != NULL ? mrz_spells (mrz, mrz->surname, fields->surname)
                                  : mrz_spells (mrz, mrz->given_names, fields->given_names));

  /* A name guessed by its place gives way to an MRZ. */
  if (fields->name_unlabelled && mrz != NULL && mrz->surname[0] != '\0')
    {
      g_clear_pointer (&fields->name, g_free);
      g_clear_pointer (&fields->surname, g_free);
      g_clear_pointer (&fields->given_names, g_free);
    }

  if (!half && (fields->surname != NULL || fields->given_names != NULL || fields->name != NULL))
    {
      gboolean whole;

      self->source = fields->name_unlabelled ? ER_ID_READ_SOURCE_LAYOUT : ER_ID_READ_SOURCE_LABELS;
      if (fields->name != NULL)
        {
          self->name = g_strdup (fields->name);
          self->compare_name = account_order (fields->name);
          /* One word under "Nom, prénom / Name" is half a name, its comma
           * misread ("PELLETIER. NOËL" read as the surname alone). */
          whole = strchr (self->compare_name, ' ') != NULL;
        }
      else
        {
          self->name = fields->surname != NULL && fields->given_names != NULL
                       ? g_strdup_printf ("%s, %s", fields->surname, fields->given_names)
                       : g_strdup (fields->surname != NULL ? fields->surname : fields->given_names);
          if (fields->surname != NULL && fields->given_names != NULL)
            {
              g_autofree char *joined = without_commas (fields->given_names);

              self->compare_name = g_strdup_printf ("%s %s", joined, fields->surname);
            }
          else
            self->compare_name = g_strdup (self->name);
          /* Half a name read is not a name read. */
          whole = fields->surname != NULL && fields->given_names != NULL;
        }
      self->half = !whole && self->source == ER_ID_READ_SOURCE_LABELS;
      self->sure = whole && !fields->name_unlabelled &&
                   fields->name_confidence >= ER_ID_READ_SURE_CONFIDENCE;

      /* Its parts the MRZ does not spell (a letter misread in print or
       * in the MRZ), to read again alone. */
      if (mrz != NULL && fields->surname != NULL && fields->given_names != NULL &&
          self->source == ER_ID_READ_SOURCE_LABELS)
        {
          self->mrz_parts[0] = g_strdup (mrz->surname);
          self->mrz_parts[1] = g_strdup (mrz->given_names);
          if (!mrz_spells (mrz, mrz->surname, fields->surname))
            self->misspelt[0] = line_holding (lines, fields->surname);
          if (!mrz_spells (mrz, mrz->given_names, fields->given_names))
            self->misspelt[1] = line_holding (lines, fields->given_names);
        }

      /* Where the MRZ is read too, it must spell the same letters. */
      if (self->sure && mrz != NULL)
        {
          if (fields->surname != NULL && fields->given_names != NULL)
            self->sure = mrz_spells (mrz, mrz->surname, fields->surname) &&
                         mrz_spells (mrz, mrz->given_names, fields->given_names);
          else
            {
              g_autofree char *both = g_strdup_printf ("%s %s", mrz->given_names, mrz->surname);

              self->sure = mrz_spells (mrz, g_strstrip (both), self->compare_name);
            }
        }
      if (fields->name_width > 0 && fields->name_height > 0)
        {
          self->has_region = TRUE;
          graphene_rect_init (&self->region, fields->name_x, fields->name_y,
                              fields->name_width, fields->name_height);
        }
    }
  else if (mrz != NULL && mrz->surname[0] != '\0')
    {
      const char *surname = half && fields->surname != NULL ? fields->surname : mrz->surname;
      const char *given = half && fields->given_names != NULL ? fields->given_names : mrz->given_names;

      self->source = ER_ID_READ_SOURCE_MRZ;
      self->name = given[0] != '\0' ? g_strdup_printf ("%s, %s", surname, given) : g_strdup (surname);
      self->compare_name = given[0] != '\0' ? g_strdup_printf ("%s %s", given, surname) : g_strdup (surname);
      self->sure = given[0] != '\0' && mrz_confidence >= ER_ID_READ_SURE_CONFIDENCE &&
                   (!half || fields->name_confidence >= ER_ID_READ_SURE_CONFIDENCE);
      set_region_from_lines (self, lines, mrz->first_line, mrz->n_lines);

      /* Its parts as printed, found by their letters where their labels
       * were lost: the accents the MRZ cannot spell. */
      self->mrz_parts[0] = g_strdup (mrz->surname);
      self->mrz_parts[1] = g_strdup (mrz->given_names);
      self->printed_confidence = 100.0f;
      if (half)
        {
          int k = fields->surname != NULL ? 0 : 1;

          self->printed_parts[k] = g_strdup (k == 0 ? fields->surname : fields->given_names);
          self->printed_confidence = fields->name_confidence;
        }
      _er_id_read_take_printed (self, lines);
    }

  /* Where the missing half's value is, to read it alone. */
  if (fields->zone_width > 0 && self->source != ER_ID_READ_SOURCE_PRINTED)
    {
      self->zone_x = fields->zone_x;
      self->zone_y = fields->zone_y;
      self->zone_width = fields->zone_width;
      self->zone_height = fields->zone_height;
      self->zone_after = fields->zone_after;
    }

  /* The name's lines that may have lost their first letters. */
  if (self->source == ER_ID_READ_SOURCE_LABELS)
    {
      memcpy (self->rechecks, fields->rechecks, sizeof self->rechecks);
      self->n_rechecks = fields->n_rechecks;
    }

  /* The MRZ's date has a check digit; the printed one has not. */
  self->expiry = mrz != NULL ? date_time_from_date (&mrz->expiry) : NULL;
  self->expiry_sure = self->expiry != NULL;
  if (self->expiry == NULL)
    {
      self->expiry = date_time_from_date (&fields->expiry);
      self->expiry_sure = self->expiry != NULL && !fields->expiry_unlabelled;
    }
  /* Not when the latest of the dates read stands in: a date read alone
   * from a part of a line may be misread ("21 -03-01" for 2021-03-01). */
  if (self->expiry == NULL && fields->expiry_zone_width > 0)
    {
      self->expiry_zone_x = fields->expiry_zone_x;
      self->expiry_zone_y = fields->expiry_zone_y;
      self->expiry_zone_width = fields->expiry_zone_width;
      self->expiry_zone_height = fields->expiry_zone_height;
    }

  if (self->has_region)
    {
      /* Clipped to the photo. */
      graphene_rect_t photo = GRAPHENE_RECT_INIT (0, 0, photo_width, photo_height);

      if (!graphene_rect_intersection (&self->region, &photo, &self->region))
        self->has_region = FALSE;
    }
  return self;
}

void
er_id_read_get_size (ErIdRead *self,
                     int      *width,
                     int      *height)
{
  g_return_if_fail (ER_IS_ID_READ (self));

  if (width != NULL)
    *width = self->width;
  if (height != NULL)
    *height = self->height;
}

gboolean
er_id_read_available (void)
{
  return er_ocr_available ();
}

/* ---- Getters ----------------------------------------------------------- */

const char *
er_id_read_get_name (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->name;
}

const char *
er_id_read_get_compare_name (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->compare_name;
}

ErIdReadSource
er_id_read_get_source (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), ER_ID_READ_SOURCE_NONE);
  return self->source;
}

gboolean
er_id_read_get_sure (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);
  return self->sure;
}

gboolean
er_id_read_get_name_region (ErIdRead        *self,
                            graphene_rect_t *region)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);

  if (self->has_region && region != NULL)
    *region = self->region;
  return self->has_region;
}

GDateTime *
er_id_read_get_expiry (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->expiry;
}

gboolean
er_id_read_get_expiry_sure (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);
  return self->expiry_sure;
}

gboolean
er_id_read_expired_at (ErIdRead  *self,
                       GDateTime *when)
{
  int year, month, day;

  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  if (self->expiry == NULL)
    return FALSE;
  /* Valid through its expiry day. */
  g_date_time_get_ymd (when, &year, &month, &day);
  {
    g_autoptr(GDateTime) that_day = g_date_time_new_utc (year, month, day, 0, 0, 0);

    return g_date_time_compare (self->expiry, that_day) < 0;
  }
}

double
er_id_read_get_seconds (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), 0);
  return self->seconds;
}

ErIdReadVerdict
er_id_read_compare (ErIdRead   *self,
                    const char *account_name)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), ER_ID_READ_NO_NAME);

  if (self->compare_name == NULL)
    return ER_ID_READ_NO_NAME;
  if (!self->sure || account_name == NULL)
    return ER_ID_READ_UNSURE;
  switch (er_name_difference_get_level (er_name_compare (account_name, self->compare_name)))
    {
    case ER_NAME_MATCH:
      return ER_ID_READ_SAME;
    case ER_NAME_CAUTION:
      return ER_ID_READ_CLOSE;
    case ER_NAME_DIFFERENT:
    default:
      return ER_ID_READ_DIFFERS;
    }
}

char *
er_id_read_describe (ErIdRead   *self,
                     const char *account_name)
{
  g_autoptr(ErNameComparison) comparison = NULL;
  g_autofree char *verdict = NULL;

  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);

  switch (er_id_read_compare (self, account_name))
    {
    case ER_ID_READ_NO_NAME:
      return g_strdup (_("No name found on the ID: compare it yourself"));
    case ER_ID_READ_UNSURE:
      /* Translators: %s is the name as read on the ID photo, e.g. "CÔTÉ, FRANÇOIS" */
      return g_strdup_printf (_("Read on the ID, unsure: %s — compare it yourself"), self->name);
    case ER_ID_READ_SAME:
      /* Translators: %s is the name as read on the ID photo, e.g. "CÔTÉ, FRANÇOIS" */
      return g_strdup_printf (_("Read on the ID: %s — same name"), self->name);
    case ER_ID_READ_CLOSE:
      comparison = er_name_comparison_new (account_name, self->compare_name);
      verdict = er_name_comparison_get_verdict (comparison);
      /* Translators: the name as read on the ID photo, then how it compares,
       * e.g. "Read on the ID: COTE, FRANCOIS — Close, you judge: accents differ" */
      return g_strdup_printf (_("Read on the ID: %s — %s"), self->name, verdict);
    case ER_ID_READ_DIFFERS:
    default:
      comparison = er_name_comparison_new (account_name, self->compare_name);
      verdict = er_name_comparison_get_verdict (comparison);
      /* Translators: the name as read on the ID photo, then how it differs,
       * e.g. "Read on the ID: CÔTÉ, FRANCIS — differs: Not the same name" */
      return g_strdup_printf (_("Read on the ID: %s — differs: %s"), self->name, verdict);
    }
}

char *
er_id_read_describe_expiry (ErIdRead  *self,
                            GDateTime *submitted_at)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);

  if (submitted_at == NULL || !er_id_read_expired_at (self, submitted_at))
    return NULL;
  /* Translators: a date as in "28 May 2026" (strftime format: day, month name, year) */
  date = g_date_time_format (self->expiry, _("%-d %B %Y"));
  if (!self->expiry_sure)
    /* Translators: %s is a date, e.g. "28 May 2026"; its label was not
     * read, so the date is the latest one read on the ID */
    return g_strdup_printf (_("ID may have expired on %s (the latest date read on it)"), date);
  /* Translators: %s is a date, e.g. "28 May 2026" */
  return g_strdup_printf (_("ID expired on %s"), date);
}

/* ---- GObject ----------------------------------------------------------- */

static void
er_id_read_finalize (GObject *object)
{
  ErIdRead *self = ER_ID_READ (object);

  replace_secret (&self->name, NULL);
  replace_secret (&self->compare_name, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (self->mrz_parts); k++)
    {
      replace_secret (&self->mrz_parts[k], NULL);
      replace_secret (&self->printed_parts[k], NULL);
      g_clear_pointer (&self->misspelt[k], er_id_line_free);
    }
  g_clear_pointer (&self->expiry, g_date_time_unref);
  g_clear_pointer (&self->mrz_lines, g_ptr_array_unref);

  G_OBJECT_CLASS (er_id_read_parent_class)->finalize (object);
}

static void
er_id_read_class_init (ErIdReadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = er_id_read_finalize;
}

static void
er_id_read_init (ErIdRead *self)
{
}
