/* er-id-fields.h: the name and the expiry date printed on an ID, found by
 * their labels among the lines an OCR read (er-id-line.h).
 *
 * The labels are those of Canadian, Québec and French ID cards, driver's
 * licences and passports, in French and English, as an OCR reads them
 * (case, accents and punctuation lost or mangled now and then): "Nom /
 * Surname", "Prénom(s) / Given name(s)", "Name", "NOM, PRÉNOM", "Date
 * d'expiration / Date of expiry", "Expiry", "Expire le"... The value is on
 * the same line after the label, or on the next line below it. A name is
 * returned only when it was found after a label; nothing is guessed. */
#pragma once

#include <glib.h>

#include "er-id-line.h"

G_BEGIN_DECLS

typedef struct {
  char  *surname;      /* as printed ("CÔTÉ"), NULL when not found */
  char  *given_names;  /* as printed ("FRANÇOIS"), NULL when not found */
  char  *name;         /* a name under one label ("NAME", "NOM, PRÉNOM":
                        * "CÔTÉ, FRANÇOIS"), NULL when not found */
  float  name_confidence;  /* the lowest confidence of the lines the name came from */
  int    name_x;       /* the box of those lines (in the image read); */
  int    name_y;       /* 0 × 0 when no name was found */
  int    name_width;
  int    name_height;
  GDate  expiry;       /* invalid when no expiry date was found */
} ErIdFields;

/* lines: ErIdLine, top to bottom as read. Never NULL. */
ErIdFields *er_id_fields_find (GPtrArray *lines);
void        er_id_fields_free (ErIdFields *fields);

/* A date as printed on IDs: "2026-05-28", "2026/05/28", "28/05/2026",
 * "28.05.2026", "28 MAI 2026", "28 MAY 26", "MAY 28, 2026", "28 MAI/MAY 2026"
 * (French and English month names and abbreviations, with or without
 * accents). Day-month-year when both orders are possible, as on Canadian
 * and French IDs. FALSE (date untouched) when text holds no date. */
gboolean    er_id_parse_date  (const char *text,
                               GDate      *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErIdFields, er_id_fields_free)

G_END_DECLS
