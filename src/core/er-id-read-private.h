/* er-id-read-private.h: what er-id-read.c (the fields read) and
 * er-id-read-photo.c (reading a photo) share. */
#pragma once

#include "er-id-fields.h"
#include "er-id-read.h"

G_BEGIN_DECLS

struct _ErIdRead
{
  GObject          parent_instance;

  char            *name;          /* for the agent: "CÔTÉ, FRANÇOIS" */
  char            *compare_name;  /* in the account's order: "FRANÇOIS CÔTÉ" */
  ErIdReadSource   source;
  gboolean         sure;
  gboolean         half;          /* under its labels, one half of the name only */
  gboolean         has_region;
  graphene_rect_t  region;
  GDateTime       *expiry;
  gboolean         expiry_sure;   /* from the MRZ or under its label */
  GPtrArray       *mrz_lines;     /* an MRZ read, its check digits verified: its lines
                                   * (ErIdLine, the photo's pixels), for a reading of another
                                   * part of the photo to check its name against; NULL when
                                   * none */
  double           seconds;
  int              width;         /* of the image read */
  int              height;

  /* A name from the MRZ: its parts' letters (surname, given names), and
   * each part as printed, once found in the lines of a reading (NULL
   * until then). */
  char            *mrz_parts[2];
  char            *printed_parts[2];
  float            printed_confidence;

  /* Half a name read, the other half's label found without its value:
   * where to read that value alone (er_ocr_read_zone), in the image read,
   * and the label's line; zone_width 0 when not so. */
  int              zone_x;
  int              zone_y;
  int              zone_width;
  int              zone_height;
  guint            zone_after;

  /* An expiry label read without its date, and no other date to stand
   * in: where to read that date alone (er_ocr_read_zone), in the image
   * read; width 0 when not so. */
  int              expiry_zone_x;
  int              expiry_zone_y;
  int              expiry_zone_width;
  int              expiry_zone_height;

  /* A name under its labels, an MRZ read: the line of each part
   * (surname, given names) whose letters the MRZ's do not spell (a copy;
   * NULL when they do), to read again alone; mrz_parts hold the MRZ's. */
  ErIdLine        *misspelt[2];

  /* The name's lines under their labels that start right of them, to
   * read again alone from the label's start (er-id-fields.h). */
  ErIdRecheck      rechecks[2];
  guint            n_rechecks;
};

/* Takes the first date of lines (the date under an expiry label, read
 * alone) as self's expiry date, when self has none; whether it did. */
gboolean _er_id_read_take_expiry (ErIdRead *self, GPtrArray *lines);

/* Whether text (a name's line read again alone) has the letters of part
 * k of the MRZ's name (0 surname, 1 given names). */
gboolean _er_id_read_spells_mrz_part (ErIdRead *self, guint k, const char *text);

/* Looks for the MRZ name's parts not yet found in print among lines (of
 * another reading of the same photo); when all are, the name is theirs,
 * accents and all. Whether a part is still missing. */
gboolean _er_id_read_take_printed (ErIdRead *self, GPtrArray *lines);
/* The lines (of lines, not copied) where a part of the MRZ's name not yet
 * found in print may be misread: words that spell its letters but for
 * one edit in five ("7 core" for COTE). */
GPtrArray *_er_id_read_near_printed (ErIdRead *self, GPtrArray *lines);

/* The text of a name's line (page) with the first letters the same line
 * read alone (zone) has and it lost: "THANH" for "HANH" and "THANH";
 * accents as page has them. NULL when zone is not page with one or two
 * capitals before it. */
char *_er_id_read_lost_start (const char *page, const char *zone);

/* Of two readings of one photo, whether other says more than self: the
 * same letters with more of French's marks, or else an expiry date, a
 * name in print, sure, by what each says of itself; of two names guessed
 * by their place, the one more like a name. */
gboolean  _er_id_read_prefers (const ErIdRead *self,
                               const ErIdRead *other);
/* Whether other is worthier than self by what each says of itself (an
 * expiry date, then a name in print, sure), its letters aside. */
gboolean  _er_id_read_worthier (const ErIdRead *self,
                                const ErIdRead *other);
/* Gives keep the expiry date of drop, another reading of the same photo,
 * when only drop found one, or found it surely. */
void      _er_id_read_keep_expiry (ErIdRead *keep,
                                   ErIdRead *drop);
/* The better of two readings of one photo (by _er_id_read_prefers, the
 * first on a tie), with the expiry date only the other found, or found
 * surely; the other is let go. Takes both. */
ErIdRead *_er_id_read_choose  (ErIdRead *first,
                               ErIdRead *again);
G_END_DECLS
