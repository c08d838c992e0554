/* er-name.h: does the name on the ID match the account name exactly, and if
 * not, what differs? The contract requires an exact match. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ER_NAME_SAME     = 0,       /* identical (after Unicode normalisation) */
  ER_NAME_CASE     = 1 << 0,  /* capital and small letters */
  ER_NAME_ACCENTS  = 1 << 1,  /* é vs e */
  ER_NAME_HYPHENS  = 1 << 2,  /* Marie-Ève vs Marie Ève */
  ER_NAME_SPACING  = 1 << 3,  /* extra or missing spaces */
  ER_NAME_ORDER    = 1 << 4,  /* given and family names in another order */
  ER_NAME_LETTERS  = 1 << 5,  /* other letters: not the same name */
} ErNameDifference;

/* Both strings UTF-8; invalid UTF-8 counts as ER_NAME_LETTERS. */
ErNameDifference er_name_compare (const char *account_name, const char *id_name);

G_END_DECLS
