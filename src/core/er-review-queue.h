/* er-review-queue.h: the pending cases the agent may open, oldest first.
 *
 * A GListModel of ErCase: the first page (ER_REVIEW_QUEUE_PAGE_SIZE, the
 * most a page holds) of GET /cases for the current search, refreshed every
 * ER_REVIEW_QUEUE_POLL_SECONDS with the ETag (a 304 changes nothing). Cases
 * the session has decided (its filter says so) and cases a colleague holds
 * a live claim on are left out. The open case keeps its object across
 * refreshes (er_review_queue_set_pinned), so its view and claim stay with it.
 *
 * The queue reports its state as properties: "loading" (a request is under
 * way and nothing is listed yet), "checking" (a request is under way),
 * "checked-at" (when the server last answered, UTC; NULL before),
 * "loaded" (a list arrived at least once),
 * "total" (pending cases on the server matching the search, beyond the first
 * page too, less those left out), "offline" (the last request could not
 * reach the server) and "error" (the message of the last failure, NULL once
 * a request succeeds).
 *
 * Each listed case's "name-shared" says whether another listed case has the
 * same expected name (er_case_name_key): the queue keeps it up to date as
 * cases come and go, before "items-changed".
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"

G_BEGIN_DECLS

#define ER_REVIEW_QUEUE_PAGE_SIZE 200
/* The platform rate-limits polling faster than every 10 s. */
#define ER_REVIEW_QUEUE_POLL_SECONDS 15

/* TRUE: the case was decided here and must not be offered. */
typedef gboolean (*ErReviewQueueFilter) (const char *receipt_id, gpointer user_data);

#define ER_TYPE_REVIEW_QUEUE (er_review_queue_get_type ())
G_DECLARE_FINAL_TYPE (ErReviewQueue, er_review_queue, ER, REVIEW_QUEUE, GObject)

/* agent_username: whose claims do not hide a case (the agent's own). */
ErReviewQueue *er_review_queue_new          (ErClient *client, const char *agent_username,
                                             ErReviewQueueFilter decided, gpointer user_data);
/* Asks for the list now (and polls from then on until er_review_queue_stop). */
void           er_review_queue_refresh      (ErReviewQueue *self);
void           er_review_queue_stop         (ErReviewQueue *self);
/* Stops, forgets the list, the search and the ETag ("loaded" is FALSE
 * again): nothing about a case stays in the model (the screen is locked).
 * er_review_queue_refresh() lists it again. */
void           er_review_queue_clear        (ErReviewQueue *self);
/* A new search (text and source "webcam"/"email", both nullable): a fresh
 * list, not a 304 of the previous one. */
void           er_review_queue_set_query    (ErReviewQueue *self, const char *text, const char *source);
const char    *er_review_queue_get_text     (ErReviewQueue *self);
const char    *er_review_queue_get_source   (ErReviewQueue *self);
void           er_review_queue_set_pinned   (ErReviewQueue *self, ErCase *kase);

gboolean       er_review_queue_find         (ErReviewQueue *self, const char *receipt_id,
                                             guint *position);
/* Takes a case out (decided, lost); returns its position, or the number of
 * items when it was not listed. */
guint          er_review_queue_remove       (ErReviewQueue *self, const char *receipt_id);
/* Puts a case back (undo) or in (a new e-mailed case) at position (clamped). */
void           er_review_queue_insert       (ErReviewQueue *self, guint position, ErCase *kase);
/* The first case at or after position (wrapping round) that no colleague
 * holds and that is not except; NULL when there is none. A new reference. */
ErCase        *er_review_queue_next         (ErReviewQueue *self, guint position, ErCase *except);
/* Whether a colleague holds a live claim on kase. */
gboolean       er_review_queue_claimed_by_colleague (ErReviewQueue *self, ErCase *kase);

gboolean       er_review_queue_get_loading  (ErReviewQueue *self);
gboolean       er_review_queue_get_loaded   (ErReviewQueue *self);
gboolean       er_review_queue_get_checking (ErReviewQueue *self);
GDateTime     *er_review_queue_get_checked_at (ErReviewQueue *self);
guint          er_review_queue_get_total    (ErReviewQueue *self);
gboolean       er_review_queue_get_offline  (ErReviewQueue *self);
const char    *er_review_queue_get_error    (ErReviewQueue *self);

/* Signals:
 *   "refreshed" ()                  a new list was applied (not for a 304)
 *   "answered"  ()                  the server answered (a list or a 304)
 *   "failed"    (GError *error)     a refresh failed (unauthenticated too)
 */

G_END_DECLS
