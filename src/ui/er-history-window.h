/* er-history-window.h: the agent's decisions, today's and earlier, as the
 * session's history (ErHistory, er-history.h) lists them: the server's
 * record merged with the decisions on this computer, each with its state,
 * grouped by day, and the day's counts. */
#pragma once

#include <adwaita.h>

#include "er-history.h"
#include "er-review-session.h"

G_BEGIN_DECLS

#define ER_TYPE_HISTORY_WINDOW (er_history_window_get_type ())
G_DECLARE_FINAL_TYPE (ErHistoryWindow, er_history_window, ER, HISTORY_WINDOW, AdwWindow)

/* The window loads the server's list at once. */
GtkWidget *er_history_window_new         (GtkWindow *parent, ErReviewSession *session);
/* The list shown. */
ErHistory *er_history_window_get_history (ErHistoryWindow *self);
/* Loads the server's list again (also on Ctrl+R / F5 in the window). */
void       er_history_window_refresh     (ErHistoryWindow *self);

/* What the window shows, for tests and accessibility checks. */
gboolean         er_history_window_is_loading        (ErHistoryWindow *self);
/* "Today: 1 approved, 1 denied, 0 waiting, 0 failed" */
const char      *er_history_window_get_summary       (ErHistoryWindow *self);
/* The note above the list when the server's list could not be loaded, else NULL. */
const char      *er_history_window_get_note          (ErHistoryWindow *self);
/* The rows, newest first, across the day groups. */
guint            er_history_window_get_n_rows        (ErHistoryWindow *self);
const char      *er_history_window_get_row_receipt_id (ErHistoryWindow *self, guint index);
const char      *er_history_window_get_row_name      (ErHistoryWindow *self, guint index);
const char      *er_history_window_get_row_day       (ErHistoryWindow *self, guint index); /* "Today", ... */
/* "Approved" or "Denied: ID photo is blurry" */
const char      *er_history_window_get_row_decision  (ErHistoryWindow *self, guint index);
ErHistoryState   er_history_window_get_row_state     (ErHistoryWindow *self, guint index);
/* "Sent", "In its undo delay", "Not recorded: <why>"... */
const char      *er_history_window_get_row_status_text (ErHistoryWindow *self, guint index);

G_END_DECLS
