/* er-mrz.h: the machine-readable zone of a passport or ID card (ICAO 9303),
 * found among the lines an OCR read, its check digits verified.
 *
 * TD3 (passport data page): 2 lines of 44 characters; TD1 (ID card): 3 lines
 * of 30. The letters are A–Z, 0–9 and the filler '<'. An OCR reads the
 * filler as '«', 'K', 'C' or spaces now and then, splits or joins lines:
 * the parser is tolerant in where it looks and strict in what it accepts:
 * every check digit (document number, birth date, expiry date, the
 * composite) must verify, or there is no MRZ. */
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
                                 * the name as single spaces */
  char       *given_names;      /* "FRANCOIS XAVIER", "" when none */
  char       *document_number;  /* fillers dropped */
  char       *nationality;
  GDate       birth;            /* the century chosen so that the date is in the past */
  GDate       expiry;           /* 20YY */
  char        sex;              /* 'M', 'F' or 'X' (the filler '<' read as 'X') */
  guint       first_line;       /* the index of its first line in the lines given */
  guint       n_lines;          /* how many of them it took (joined or split lines) */
} ErMrz;

/* The ICAO 9303 check digit of s (weights 7, 3, 1; '<' is 0, A–Z 10–35). */
int    er_mrz_check_digit (const char *s, gssize length);

/* The first MRZ found in lines (UTF-8, as an OCR read them), or NULL: none
 * there (no error), or one whose check digits do not all verify (error, in
 * G_IO_ERROR_INVALID_DATA, says which). */
ErMrz *er_mrz_find        (const char * const *lines,
                           guint               n_lines,
                           GError            **error);
void   er_mrz_free        (ErMrz *mrz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErMrz, er_mrz_free)

G_END_DECLS
