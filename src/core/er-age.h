/* er-age.h: how long a case has waited, against the promise of an answer
 * within 24–48 hours counted on weekdays (Monday to Friday). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ER_AGE_NORMAL,    /* up to 24 weekday-hours */
  ER_AGE_DUE_SOON,  /* over 24 weekday-hours */
  ER_AGE_OVERDUE,   /* over 48 weekday-hours */
} ErAgeLevel;

/* Seconds between since and now that fall on a Monday to Friday in tz
 * (NULL: America/Toronto, Québec's time). 0 when now is before since. */
GTimeSpan  er_age_weekday_span (GDateTime *since, GDateTime *now, GTimeZone *tz);
ErAgeLevel er_age_level        (GDateTime *since, GDateTime *now, GTimeZone *tz);
/* The moment (in tz; NULL: Québec's time) when span of weekday time has
 * passed since since: er_age_due_at (submitted, 48 h, NULL) is when the
 * promise of an answer runs out. A new reference. */
GDateTime *er_age_due_at       (GDateTime *since, GTimeSpan span, GTimeZone *tz);

G_END_DECLS
