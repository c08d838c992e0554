/* er-mrz.h: the machine-readable zone of a passport or ID card (ICAO 9303),
 * found among the lines an OCR read, its check digits verified.
 *
 * TD3 (passport data page): 2 lines of 44 characters; TD1 (ID card): 3 lines
 * of 30. The letters are A–Z, 0–9 and the filler '<'. An OCR reads the
 * filler as '«', '‹', '(', 'K', 'C' or spaces now and then, miscounts a run
 * of them, reads a letter for a digit or a digit for a letter, splits or
 * joins lines, and reads the rest of the page around and between them: the
 * parser is tolerant in where it looks and strict in what it accepts: every
 * check digit (document number, birth date, expiry date, a TD3's personal
 * number, the composite) must verify, and the dates be dates, or there is no
 * MRZ. Corrections are made only in fields whose type is known (a date, a
 * check digit, a country, a name), never in the document number or the
 * optional data. No check digit covers the name: it is read as printed,
 * never guessed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ER_MRZ_TD1,  /* ID card: 3 × 30 */
  ER_MRZ_TD3,  /* passport data page: 2 × 44 */
} ErMrzFormat;

typedef struct {
  ErMrzFormat format;
  char       *document_code;    /* "P", "ID", "I"...: fillers dropped */
  char       *issuing_state;    /* "CAN", "FRA", "D": fillers dropped */
  char       *surname;          /* "COTE" or "ST PIERRE": upper case A–Z, fillers inside
                                 * the name as single spaces; a character no usual
                                 * confusion explains is left as read ('4'), or '?'
                                 * (not a letter), for the agent to see. Never "":
                                 * a name of one part is a surname (ICAO) */
  char       *given_names;      /* "FRANCOIS XAVIER", "" when none; a name the issuer
                                 * cut at the end of the line is kept cut */
  char       *document_number;  /* fillers dropped; a TD1's long number whole */
  char       *nationality;      /* fillers dropped */
  GDate       birth;            /* the century chosen so that the date is not in the future */
  GDate       expiry;           /* 20YY */
  char        sex;              /* 'M', 'F' or 'X' (the filler '<', or unreadable) */
  guint       first_line;       /* the index of its first line in the lines given */
  guint       n_lines;          /* the lines it spans from there: with those split or
                                 * joined, and noise read between its lines */
} ErMrz;

/* The ICAO 9303 check digit of s (weights 7, 3, 1; '<' is 0, A–Z 10–35;
 * any other character counts as 0). length -1: up to the NUL. */
int    er_mrz_check_digit (const char *s, gssize length);

/* The first MRZ found in lines (UTF-8, as an OCR read them; a NULL line is
 * an empty one), or NULL: none there (no error: no line looks like one of an
 * MRZ), or one whose check digits do not all verify, or that is incomplete
 * (error, in G_IO_ERROR_INVALID_DATA, says which, in English: it is for logs,
 * not for the agent). Pure and thread-safe. */
ErMrz *er_mrz_find        (const char * const *lines,
                           guint               n_lines,
                           GError            **error);
void   er_mrz_free        (ErMrz *mrz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErMrz, er_mrz_free)

G_END_DECLS
