/* er-id-fields-private.h: shared by er-id-fields.c (where the labels and
 * values are) and er-id-date.c (the dates in a value's text). */
#pragma once

#include "er-id-fields.h"

G_BEGIN_DECLS

/* A combining mark (an accent once decomposed). */
gboolean _er_id_is_mark (gunichar c);
/* c in small letters, without accent ("É" → "e"). */
gunichar _er_id_fold    (gunichar c);

/* Every date (GDate) in text[0, len), valid UTF-8, left to right. */
GArray *_er_id_find_dates (const char *text,
                           gsize       len);

G_END_DECLS
