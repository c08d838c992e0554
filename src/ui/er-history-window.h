/* er-history-window.h: the agent's decisions, today's and earlier: those
 * the server recorded (GET /decisions) merged with the outbox's waiting and
 * failed ones, each with its state, and the day's counts. */
#pragma once

#include <adwaita.h>

#include "er-client.h"
#include "er-outbox.h"

G_BEGIN_DECLS

/* Days of the server's list shown: today and the 6 days before (Québec time). */
#define ER_HISTORY_DAYS 7

/* What became of a decision, as a row shows it. */
typedef enum {
  ER_HISTORY_SENT,     /* the server recorded it */
  ER_HISTORY_UNDO,     /* in the outbox, in its undo delay */
  ER_HISTORY_WAITING,  /* in the outbox, waiting to be (re)sent */
  ER_HISTORY_SENDING,  /* in the outbox, a request under way */
  ER_HISTORY_FAILED,   /* in the outbox, refused for good */
} ErHistoryStatus;

#define ER_TYPE_HISTORY_WINDOW (er_history_window_get_type ())
G_DECLARE_FINAL_TYPE (ErHistoryWindow, er_history_window, ER, HISTORY_WINDOW, AdwWindow)

/* client may be NULL (offline at start: the outbox's entries only); outbox
 * may be NULL (the server's list only). The window loads at once. */
GtkWidget *er_history_window_new     (GtkWindow *parent, ErClient *client, ErOutbox *outbox);
/* Loads the server's list again (also on Ctrl+R / F5 in the window). */
void       er_history_window_refresh (ErHistoryWindow *self);

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
ErHistoryStatus  er_history_window_get_row_status    (ErHistoryWindow *self, guint index);
/* "Sent", "In its undo delay", "Not recorded: <why>"... */
const char      *er_history_window_get_row_status_text (ErHistoryWindow *self, guint index);

G_END_DECLS
