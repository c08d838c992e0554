/* er-history.h: the agent's decisions of the last days, as a list model.
 *
 * ErHistory is a GListModel of ErHistoryItem, newest first, built from an
 * ErReviewSession and from nothing else:
 *  - the server's record: GET /decisions since the start of the local day
 *    ER_HISTORY_DAYS - 1 days ago, every page, loaded when the model is
 *    created and on er_history_refresh() (RECORDED);
 *  - the session's outbox: decisions still on this computer (UNDO, WAITING,
 *    SENDING) and those the server refused for good (FAILED), followed live
 *    through its "changed" signal;
 *  - the session's delivered decisions (er_review_session_get_delivered())
 *    that the server's list does not hold yet (DELIVERED), followed through
 *    its "delivered" signal: the one notion of delivered.
 * A receipt id the server's list holds shows the server's decision. An
 * entry taken back (Undo) leaves the list.
 *
 * Days are the agent's local days (g_date_time_to_local). The model updates
 * itself when an undo delay ends and at midnight.
 */
#pragma once

#include <gio/gio.h>

#include "er-reasons.h"
#include "er-review-session.h"

G_BEGIN_DECLS

/* Days of the server's list: today and the 6 days before. */
#define ER_HISTORY_DAYS 7

/* What became of a decision. */
typedef enum {
  ER_HISTORY_STATE_RECORDED,   /* in the server's list */
  ER_HISTORY_STATE_DELIVERED,  /* delivered during this session, not in the server's list yet */
  ER_HISTORY_STATE_UNDO,       /* in the outbox, in its undo delay (can still be taken back) */
  ER_HISTORY_STATE_WAITING,    /* in the outbox, waiting to be (re)sent */
  ER_HISTORY_STATE_SENDING,    /* in the outbox, a request under way */
  ER_HISTORY_STATE_FAILED,     /* in the outbox, refused for good: see the error */
} ErHistoryState;

#define ER_TYPE_HISTORY_STATE (er_history_state_get_type ())
GType er_history_state_get_type (void) G_GNUC_CONST;

/* One decision. Immutable: a change in state replaces the item in the model.
 * Properties (read-only): "receipt-id", "name" (the account name, or the
 * receipt id when unknown), "approved", "reasons" (ErReasons, NULL when
 * approved), "decided-at" (GDateTime), "day" ("Today", "Yesterday",
 * "Monday 23 November": its local day, as a heading), "state"
 * (ErHistoryState), "status-text" ("Sent", "In its undo delay",
 * "Not recorded: <why>"...) and "error" (FAILED: why; otherwise the last
 * transient error of a decision waiting to be sent; nullable). */
#define ER_TYPE_HISTORY_ITEM (er_history_item_get_type ())
G_DECLARE_FINAL_TYPE (ErHistoryItem, er_history_item, ER, HISTORY_ITEM, GObject)

const char      *er_history_item_get_receipt_id  (ErHistoryItem *self);
const char      *er_history_item_get_name        (ErHistoryItem *self);
gboolean         er_history_item_get_approved    (ErHistoryItem *self);
const ErReasons *er_history_item_get_reasons     (ErHistoryItem *self);
GDateTime       *er_history_item_get_decided_at  (ErHistoryItem *self);
const char      *er_history_item_get_day         (ErHistoryItem *self);
/* Whole local days before today (0: today). */
gint             er_history_item_get_days_ago    (ErHistoryItem *self);
ErHistoryState   er_history_item_get_state       (ErHistoryItem *self);
const char      *er_history_item_get_status_text (ErHistoryItem *self);
const char      *er_history_item_get_error       (ErHistoryItem *self);

#define ER_TYPE_HISTORY (er_history_get_type ())
G_DECLARE_FINAL_TYPE (ErHistory, er_history, ER, HISTORY, GObject)

/* Starts loading the server's list at once. */
ErHistory       *er_history_new        (ErReviewSession *session);
ErReviewSession *er_history_get_session (ErHistory *self);
/* Loads the server's list again (a load under way is cancelled). */
void             er_history_refresh    (ErHistory *self);

/* Property "loading": a load of the server's list is under way. */
gboolean         er_history_get_loading (ErHistory *self);
/* Property "loaded": a load has finished at least once, well or not. */
gboolean         er_history_get_loaded  (ErHistory *self);
/* Property "error" (nullable): why the last load failed; NULL once one
 * succeeds. The outbox's and the session's decisions are still listed. */
const char      *er_history_get_error   (ErHistory *self);
/* Property "offline": the last load could not reach the server. */
gboolean         er_history_get_offline (ErHistory *self);

/* Today's counts (local day), notified when they change:
 * "n-approved-today", "n-denied-today" (RECORDED or DELIVERED),
 * "n-waiting-today" (UNDO, WAITING, SENDING), "n-failed-today". */
guint            er_history_get_n_approved_today (ErHistory *self);
guint            er_history_get_n_denied_today   (ErHistory *self);
guint            er_history_get_n_waiting_today  (ErHistory *self);
guint            er_history_get_n_failed_today   (ErHistory *self);

G_END_DECLS
