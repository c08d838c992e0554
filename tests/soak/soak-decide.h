/* soak-decide.h: the decision the soak agent makes on a case, derived from
 * its receipt id only, so that the harness can tell what it must find on
 * the server without asking the agent. */
#pragma once

#include "er-reasons.h"

/* TRUE: approve (*reasons NULL); FALSE: deny with *reasons (owned). */
static inline gboolean
soak_decide (const char  *receipt_id,
             ErReasons  **reasons)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  const ErReasonInfo *table;
  guint n_reasons;

  g_checksum_update (checksum, (const guchar *) receipt_id, -1);
  g_checksum_get_digest (checksum, digest, &length);

  *reasons = NULL;
  if (digest[0] % 2 == 0)
    return TRUE;

  table = er_reason_table (&n_reasons);
  *reasons = er_reasons_new ();
  er_reasons_add (*reasons, table[digest[1] % n_reasons].group, table[digest[1] % n_reasons].reason);
  /* Some denials carry a second reason, some a note. */
  if (digest[2] % 3 == 0)
    er_reasons_add (*reasons, table[digest[3] % n_reasons].group, table[digest[3] % n_reasons].reason);
  if (digest[4] % 4 == 0)
    er_reasons_set_note (*reasons, "Soak test: please take the photos again in daylight.");
  return FALSE;
}

/* The due time offset of a new decision in ms (0..300), also from the id. */
static inline guint
soak_due_in_ms (const char *receipt_id)
{
  return g_str_hash (receipt_id) % 301;
}
