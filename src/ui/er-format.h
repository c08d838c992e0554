/* er-format.h: how cases and times read to the agent. */
#pragma once

#include <glib.h>

#include "er-case.h"
#include "er-reasons.h"

G_BEGIN_DECLS

/* "5 min", "3 h", "2 days": how long ago since is, compared with now. */
char *er_format_age         (GDateTime *since, GDateTime *now);
/* "12 minutes", "3 hours", "2 days": the same, in words, as a screen reader
 * reads it. */
char *er_format_age_words   (GDateTime *since, GDateTime *now);
/* The local date and time, e.g. "26 November 2026, 10:04". */
char *er_format_time        (GDateTime *time);
/* When an answer is due, in words and local time: "due today at 14:00",
 * "due tomorrow at 09:00", "due Tuesday at 14:00" (within a week), "due
 * 3 December at 14:00"; once past, "overdue since Tuesday at 14:00". */
char *er_format_due         (GDateTime *due, GDateTime *now);
/* "Webcam" or "E-mail · EDU-2026-004211". */
char *er_format_source      (ErCase *kase);
/* "Webcam" or "E-mail, invoice EDU-2026-004211": the same, as a screen
 * reader reads it. */
char *er_format_source_words (ErCase *kase);
/* "Learner photo is blurry; ID photo is blurry": what the learner was told. */
char *er_format_reasons     (const ErReasons *reasons);

G_END_DECLS
