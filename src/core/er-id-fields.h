/* er-id-fields.h: the name and the expiry date printed on an ID, found by
 * their labels among the lines an OCR read (er-id-line.h).
 *
 * The labels are those of Canadian, Québec and French ID cards, driver's
 * licences and passports, in French and English, as an OCR reads them
 * (case, accents and punctuation lost or mangled now and then): "Nom /
 * Surname", "Prénom(s) / Given name(s)", "Name", "NAME/NOM", "NOM, PRÉNOM",
 * numbered ("1 NOM", "4b EXP"), "Date d'expiration / Date of expiry",
 * "Expiry", "Expire le"... Labels are matched tolerantly (case, accents,
 * punctuation, a slash read as 'l', "rn" for "m", one wrong letter in a
 * label of 5 letters or more); values strictly.
 *
 * The value is on the same line after the label, or on the line below it
 * (the next line down in the label's column, by the boxes; the next line
 * when there are none), lines of OCR specks skipped. A line holding a
 * label is no one's value. A label sharing its line with others and
 * without a value of its own takes no name from below (whose it is cannot
 * be told); the expiry date below is taken when that line has as many
 * dates as its line has date labels waiting for one, in the same order.
 *
 * A name is returned only when it was found after a label and every
 * character of it can be in a name; with no label read at all, the line
 * or two of capitals above the first date are (name_unlabelled says so:
 * never read surely). Issue and birth
 * dates, under their own labels, are never taken for the expiry date. With
 * no date under an expiry label, the latest date read is (expiry_unlabelled
 * says so: a hint to be worded as one).
 * No state outside the call: safe in any thread. */
#pragma once

#include <glib.h>

#include "er-id-line.h"

G_BEGIN_DECLS

/* Either surname and given_names (both found under their labels), or name
 * (the whole name under one label), or one of surname and given_names
 * alone when only its label had a value; or none. Values are as read
 * (trimmed of OCR junk at their ends, lines never corrected), UTF-8. */
/* A name's line under its label that starts right of the label's start:
 * Tesseract may have dropped its first letters ("HANH" for "THANH").
 * line is its index in the lines; the zone, in the image read, is where
 * to read it again alone, from the label's start. */
typedef struct {
  guint line;
  int   x;
  int   y;
  int   width;
  int   height;
} ErIdRecheck;

typedef struct {
  char  *surname;      /* as printed ("CÔTÉ"), NULL when not found */
  char  *given_names;  /* as printed ("FRANÇOIS XAVIER"; French cards list
                        * them with commas: "JEAN, PIERRE"), NULL when not found */
  char  *name;         /* a name under one label ("NAME", "NOM, PRÉNOM":
                        * "CÔTÉ, FRANÇOIS"; Ontario's "CÔTÉ," over
                        * "FRANÇOIS" joined as "CÔTÉ, FRANÇOIS"; a surname
                        * label alone whose value has a comma), NULL when
                        * not found */
  gboolean name_unlabelled;  /* no label was read: the name is the capitals
                             * just above the first date (surname, then
                             * given names; or the whole name); or one
                             * half's was, the other half is the line of
                             * capitals next to it: a guess */
  float  name_confidence;  /* the lowest confidence of the lines the name was read on */
  int    name_x;       /* the box of those lines (the values' lines, not the
                        * labels' unless on one line), in the image read; */
  int    name_y;       /* 0 × 0 when no name was found */
  int    name_width;
  int    name_height;
  /* Half a name under its label, the other half's label found without a
   * value (Tesseract's layout skipped its line): where that value should
   * be, under its label, in the image read, to read it alone; 0 × 0 when
   * not so. zone_after is the label's line. */
  int    zone_x;
  int    zone_y;
  int    zone_width;
  int    zone_height;
  guint  zone_after;
  ErIdRecheck rechecks[2];  /* the name's lines to read again */
  guint  n_rechecks;
  GDate  expiry;       /* invalid when no expiry date was found */
  gboolean expiry_unlabelled;  /* no expiry label was found: expiry is the
                                * latest of the dates read (two or more) */
  /* An expiry label read without its date (Tesseract's layout joined a
   * part of that date to the label's line and the rest to the line
   * below): where its date should be, under the label's start, in the
   * image read, to read it alone; 0 × 0 when not so. */
  int    expiry_zone_x;
  int    expiry_zone_y;
  int    expiry_zone_width;
  int    expiry_zone_height;
} ErIdFields;

/* lines: ErIdLine, top to bottom as read. Never NULL. */
ErIdFields *er_id_fields_find (GPtrArray *lines);
void        er_id_fields_free (ErIdFields *fields);

/* The first date in text, as printed on IDs: "2026-05-28", "2026/05/28",
 * "28/05/2026", "28.05.2026", "28 05 2026", "28 MAI 2026", "28 MAY 26",
 * "MAY 28, 2026", "28 MAI/MAY 2026", "28 MAI /MAY 26", "28MAY26", "1er mai
 * 2026" (French and English month names and abbreviations, with or without
 * accents; two names must be the same month). Numbers are whole: "123/05/26"
 * holds no date. Day-month-year when both orders are possible, as on
 * Canadian and French IDs; month-day-year only when the day is past 12.
 * Years 1900–2099; two digits are 2000–2069 or 1970–1999. FALSE (date
 * untouched) when text holds no valid date: "31 FEB 2026", "2026-13-01". */
gboolean    er_id_parse_date  (const char *text,
                               GDate      *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErIdFields, er_id_fields_free)

G_END_DECLS
