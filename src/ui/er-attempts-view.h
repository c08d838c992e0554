/* er-attempts-view.h: the open case's earlier attempts, compact.
 *
 * A one-line summary ("Attempt 3 · 2 earlier denials · same photos as
 * attempt 2") that expands to one entry per earlier attempt: its date, who
 * denied it and when, what the learner was told, the note, and whether the
 * same photos came again. Hidden for a first attempt. It finds the review
 * session through the workspace it is in, and compares the photos once
 * the session has both of the case's own photos.
 */
#pragma once

#include <gtk/gtk.h>

#include "er-attempts.h"

G_BEGIN_DECLS

#define ER_TYPE_ATTEMPTS_VIEW (er_attempts_view_get_type ())
G_DECLARE_FINAL_TYPE (ErAttemptsView, er_attempts_view, ER, ATTEMPTS_VIEW, GtkWidget)

/* The case on screen (nullable). */
void        er_attempts_view_set_case     (ErAttemptsView *self, ErCase *kase);
/* Property "attempts" (nullable: no session). */
ErAttempts *er_attempts_view_get_attempts (ErAttemptsView *self);
/* What the summary says now. */
const char *er_attempts_view_get_summary  (ErAttemptsView *self);

G_END_DECLS
