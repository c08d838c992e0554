/* er-notice-bar.h: the one place where the workspace tells the agent what
 * just happened — the newest decision or skip, with the seconds left to
 * undo it, or a message (a decision the server refused, an error).
 *
 * It sits under the case, in the layout: it never covers the decision
 * buttons. The newest of the two is shown; there is no queue of old
 * notices that could name another learner than the one just decided. */
#pragma once

#include <gtk/gtk.h>

#include "er-review-session.h"

G_BEGIN_DECLS

#define ER_TYPE_NOTICE_BAR (er_notice_bar_get_type ())
G_DECLARE_FINAL_TYPE (ErNoticeBar, er_notice_bar, ER, NOTICE_BAR, GtkWidget)

/* Property "session": the undo notice follows its "can-undo",
 * "undo-label" and "undo-seconds-left". */
void er_notice_bar_set_session (ErNoticeBar *self, ErReviewSession *session);
/* Shows message (for a few seconds, or until dismissed), in place of what
 * was shown. */
void er_notice_bar_show        (ErNoticeBar *self, const char *message);
/* Hides the message (the screen locks: nothing about a case stays). */
void er_notice_bar_clear       (ErNoticeBar *self);
/* What the bar shows now: "none", "undo" or "message" (for tests). */
const char *er_notice_bar_get_shown (ErNoticeBar *self);

G_END_DECLS
