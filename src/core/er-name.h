/* er-name.h: does the name on the ID match the account name exactly, and if
 * not, what differs? The platform's rule is an exact match; the agent
 * judges. This says how close the two names are, in a way an agent can act
 * on: a level, one line of text, and the letters of the ID name that differ. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What differs. Each bit has one level (see er_name_difference_get_level):
 * a match (only noted), a caution (the agent judges) or not the same. */
typedef enum {
  ER_NAME_SAME          = 0,        /* identical (after Unicode normalisation) */
  /* A match, only noted: */
  ER_NAME_CASE          = 1 << 0,   /* capital and small letters: MARIE vs Marie */
  ER_NAME_SPACING       = 1 << 3,   /* extra spaces: leading, trailing, doubled */
  ER_NAME_APOSTROPHES   = 1 << 8,   /* the apostrophe sign: D’Amour vs D'Amour */
  /* A caution, the agent judges: */
  ER_NAME_ACCENTS       = 1 << 1,   /* é vs e */
  ER_NAME_HYPHENS       = 1 << 2,   /* Marie-Ève vs Marie Ève */
  ER_NAME_ORDER         = 1 << 4,   /* another order, no comma: Tremblay Marie-Ève */
  ER_NAME_SURNAME_FIRST = 1 << 6,   /* surname first with a comma: TREMBLAY, MARIE-EVE */
  ER_NAME_SAINT         = 1 << 7,   /* St-Pierre vs Saint-Pierre, Ste- vs Sainte- */
  ER_NAME_PUNCTUATION   = 1 << 9,   /* an apostrophe or comma where the other has a space
                                     * or hyphen: D'Amour vs D Amour */
  /* Not the same name: */
  ER_NAME_LETTERS       = 1 << 5,   /* other letters: François vs Francis */
  ER_NAME_MISSING       = 1 << 10,  /* a name on the account is not on the ID */
  ER_NAME_EXTRA         = 1 << 11,  /* a name on the ID is not on the account */
} ErNameDifference;

typedef enum {
  ER_NAME_MATCH,       /* the same name (success) */
  ER_NAME_CAUTION,     /* close: the agent judges (warning) */
  ER_NAME_DIFFERENT,   /* not the same name (error) */
} ErNameLevel;

/* Bytes [start, end) of the ID name. */
typedef struct {
  guint start;
  guint end;
} ErNameRange;

typedef struct _ErNameComparison ErNameComparison;

/* Both strings UTF-8. Invalid UTF-8, or a name without a letter, is
 * ER_NAME_LETTERS. */
ErNameDifference   er_name_compare                    (const char *account_name,
                                                       const char *id_name);
ErNameLevel        er_name_difference_get_level       (ErNameDifference differences);

ErNameComparison  *er_name_comparison_new             (const char *account_name,
                                                       const char *id_name);
void               er_name_comparison_free            (ErNameComparison *self);
ErNameDifference   er_name_comparison_get_differences (const ErNameComparison *self);
ErNameLevel        er_name_comparison_get_level       (const ErNameComparison *self);
/* What to point at in the ID name: letters whose accents or letters differ,
 * a hyphen where the account has a space, an extra name, "St", the comma of
 * a surname-first name. Sorted, never overlapping, never empty ranges.
 * Capitals, spaces and the order of the names are not highlighted. */
const ErNameRange *er_name_comparison_get_highlights  (const ErNameComparison *self,
                                                       guint                  *n_ranges);
/* Names on the account missing from the ID, and names only on the ID, as
 * they are written (NULL-terminated, never NULL). */
const char * const *er_name_comparison_get_missing    (const ErNameComparison *self);
const char * const *er_name_comparison_get_extra      (const ErNameComparison *self);

/* One line for the agent, translated: "Close, you judge: surname first,
 * accents differ". */
char              *er_name_comparison_get_verdict     (const ErNameComparison *self);
/* The verdict, then (when something is highlighted) " · " and the ID name
 * with the highlighted letters in bold and underlined: Pango markup,
 * escaped. */
char              *er_name_comparison_get_markup      (const ErNameComparison *self);

/* text with [start, end) ranges in bold and underlined, escaped for Pango
 * markup; ranges past the end of text are clipped. */
char              *er_name_markup_highlights          (const char        *text,
                                                       const ErNameRange *ranges,
                                                       guint              n_ranges);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErNameComparison, er_name_comparison_free)

G_END_DECLS
