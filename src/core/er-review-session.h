/* er-review-session.h: one agent signed in to one server — the review loop.
 *
 * Created at sign-in (er-sign-in.h) and handed to every window, the session
 * owns the client, the verification key, the agent, the outbox and its
 * sender, the prefetcher, the queue (ErReviewQueue) and the claim on the
 * open case (ErClaim). It holds the rules of the review loop; widgets bind
 * to its properties and call its methods, and it never calls a widget.
 *
 * The decision guard. A decision is taken for a case only when:
 *   - it is the current case ("current-case"), not decided already;
 *   - the UI says the case is on screen ("case-visible": not hidden behind
 *     the queue on a narrow window, not covered);
 *   - both its photos have arrived (a texture or an error for each) while it
 *     was visible, and have stayed visible for "min-view-time" ms;
 *   - for a key, the press began after the photos were presented (a held
 *     key, repeating, or a press made for the previous case or while the
 *     photos were loading never decides);
 *   - to approve, both photos were shown: a case whose photo cannot be shown
 *     can be denied or skipped, never approved.
 * "can-decide" and "can-approve" say whether that holds now; a refused call
 * fails in the ER_REFUSAL domain with a message for the agent.
 *
 * Decisions go to the outbox (on disk) before their undo delay starts; the
 * newest can be taken back ("can-undo", "undo-label", "undo-seconds-left")
 * until it is due. A skip can be taken back for as long (its case opens
 * again, if it is still waiting).
 */
#pragma once

#include <gio/gio.h>
#include <gdk/gdk.h>

#include "er-agent.h"
#include "er-case.h"
#include "er-case-order.h"
#include "er-claim.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-id-reader.h"
#include "er-outbox.h"
#include "er-photo.h"
#include "er-prefetch.h"
#include "er-review-queue.h"
#include "er-sender.h"

G_BEGIN_DECLS

#define ER_REFUSAL (er_refusal_quark ())
GQuark er_refusal_quark (void);

/* Why a decision was refused (the GError's message says it to the agent). */
typedef enum {
  ER_REFUSAL_NO_CASE,           /* no case is open */
  ER_REFUSAL_OTHER_CASE,        /* the decision names a case that is not the current one */
  ER_REFUSAL_NOT_VISIBLE,       /* the case is not on screen */
  ER_REFUSAL_PHOTOS_LOADING,    /* a photo has not arrived yet */
  ER_REFUSAL_TOO_SOON,          /* shown for less than min-view-time */
  ER_REFUSAL_KEY_HELD,          /* the key press began before this case appeared */
  ER_REFUSAL_PHOTO_UNAVAILABLE, /* approve: a photo could not be shown */
  ER_REFUSAL_DECIDED,           /* already decided here */
  ER_REFUSAL_NOTHING_TO_UNDO,
  ER_REFUSAL_NO_OTHER_CASE,     /* skip: nothing else to open */
  ER_REFUSAL_LOCKED,            /* the screen is locked */
} ErRefusal;

/* The default of "min-view-time", in milliseconds. */
#define ER_REVIEW_SESSION_MIN_VIEW_MS 500
/* Closing: how long close_async waits for the last decisions to be sent. */
#define ER_REVIEW_SESSION_CLOSE_SECONDS 10

typedef enum {
  ER_PHOTO_STATE_LOADING,
  ER_PHOTO_STATE_READY,
  ER_PHOTO_STATE_FAILED,
} ErPhotoState;

#define ER_TYPE_REVIEW_SESSION (er_review_session_get_type ())
G_DECLARE_FINAL_TYPE (ErReviewSession, er_review_session, ER, REVIEW_SESSION, GObject)

/* Opens the agent's outbox for this server; its sender starts at once, so
 * what a previous run left is sent (and those cases are never offered).
 * Nothing else is requested before er_review_session_start(). */
ErReviewSession *er_review_session_new (ErClient *client, ErPrivateKey *key, ErAgent *agent);
/* Lists the queue (then polls it), opens the oldest case, starts sending. */
void             er_review_session_start   (ErReviewSession *self);

ErClient        *er_review_session_get_client   (ErReviewSession *self);
ErPrivateKey    *er_review_session_get_key      (ErReviewSession *self);
ErAgent         *er_review_session_get_agent    (ErReviewSession *self);
ErOutbox        *er_review_session_get_outbox   (ErReviewSession *self);
ErSender        *er_review_session_get_sender   (ErReviewSession *self);
ErPrefetch      *er_review_session_get_prefetch (ErReviewSession *self);
/* Reads the ID photos the prefetch holds; follows the case on screen. */
ErIdReader      *er_review_session_get_id_reader (ErReviewSession *self);
ErReviewQueue   *er_review_session_get_queue    (ErReviewSession *self);

/* Property "current-case": the case on screen (nullable). */
ErCase          *er_review_session_get_current_case (ErReviewSession *self);
/* The order behind the current case (course, verification deadline),
 * loaded in the background as each case opens (er-case-order.h). */
ErCaseOrder     *er_review_session_get_case_order   (ErReviewSession *self);
/* Opens kase (chosen in the queue, or a new e-mailed case, which is put at
 * the top of the queue when it is not listed). Releases the claim on the
 * case left undecided. NULL closes the current case. */
void             er_review_session_open        (ErReviewSession *self, ErCase *kase);
/* Properties "user-photo", "id-photo" (ErPhotoImage, nullable: a paintable
 * of the photo's own size, showing a preview, then the full resolution
 * once a viewer zooms in; er-photo-image.h) and
 * "user-photo-error", "id-photo-error" (string, nullable): the current
 * case's photos as they arrive. */
ErPhotoImage    *er_review_session_get_photo       (ErReviewSession *self, ErPhotoKind kind);
const char      *er_review_session_get_photo_error (ErReviewSession *self, ErPhotoKind kind);
ErPhotoState     er_review_session_get_photo_state (ErReviewSession *self, ErPhotoKind kind);
/* Property "claim-state" (ErClaimState; ER_CLAIM_ENDED with no case). */
ErClaimState     er_review_session_get_claim_state (ErReviewSession *self);

/* Property "case-visible" (read-write): set by the UI whenever the current
 * case's view becomes visible to the agent or stops being so. */
void             er_review_session_set_case_visible (ErReviewSession *self, gboolean visible);
gboolean         er_review_session_get_case_visible (ErReviewSession *self);
/* Properties "can-decide" and "can-approve" (notified when they change,
 * including when min-view-time has passed). */
gboolean         er_review_session_get_can_decide  (ErReviewSession *self);
gboolean         er_review_session_get_can_approve (ErReviewSession *self);

/* The decision guard alone: whether a decision (approve or not) on
 * receipt_id, by a key press that began at press_time
 * (g_get_monotonic_time(); 0 for a button or a dialog), would be taken now. */
gboolean         er_review_session_check   (ErReviewSession *self, const char *receipt_id,
                                            gboolean approve, gint64 press_time, GError **error);
/* Records a decision on receipt_id (which must be the current case) in the
 * outbox, due after the undo delay, and opens the next case. Fails in
 * ER_REFUSAL (the guard) or ER_ERROR (the outbox could not be written:
 * nothing recorded). */
gboolean         er_review_session_approve (ErReviewSession *self, const char *receipt_id,
                                            gint64 press_time, GError **error);
gboolean         er_review_session_deny    (ErReviewSession *self, const char *receipt_id,
                                            const ErReasons *reasons, gint64 press_time,
                                            GError **error);
/* Takes back the newest decision (or skip) still in its undo delay and
 * opens its case again. On failure (too late), *error says why. */
gboolean         er_review_session_undo    (ErReviewSession *self, GError **error);
/* Leaves the current case to a colleague (releases its claim) and opens the
 * next one; undo opens it again. */
gboolean         er_review_session_skip    (ErReviewSession *self, GError **error);
/* Properties "can-undo", "undo-label" ("Approved: Marie Tremblay") and
 * "undo-seconds-left" (rounded up; 0 when nothing can be undone). */
gboolean         er_review_session_get_can_undo   (ErReviewSession *self);
const char      *er_review_session_get_undo_label (ErReviewSession *self);
guint            er_review_session_get_undo_seconds_left (ErReviewSession *self);

void             er_review_session_refresh   (ErReviewSession *self);
void             er_review_session_set_query (ErReviewSession *self, const char *text,
                                              const char *source);
/* The agent asked to try again: decisions waiting out a backoff go now, the
 * queue is asked for again, a claim that could not be made is made. */
void             er_review_session_retry     (ErReviewSession *self);

/* Property "offline": the queue or the sender cannot reach the server.
 * Property "n-waiting": decisions not yet recorded by the server.
 * Property "status" (nullable): what the screen waits for, for a person
 * ("Loading the queue…", "The server did not answer; trying again in 2 s…"). */
gboolean         er_review_session_get_offline   (ErReviewSession *self);
guint            er_review_session_get_n_waiting (ErReviewSession *self);
const char      *er_review_session_get_status    (ErReviewSession *self);

/* Whether the case was decided here: waiting in the outbox or delivered
 * during this session. Delivered decisions, newest last (ErOutboxEntry as
 * they were when sent), for the history. */
gboolean         er_review_session_is_decided    (ErReviewSession *self, const char *receipt_id);
GPtrArray       *er_review_session_get_delivered (ErReviewSession *self);

/* Read-write settings, bound to GSettings by the application:
 * "undo-delay" (seconds), "prefetch-depth" (cases loaded ahead),
 * "min-view-time" (ms). */

/* The agent walked away, or asked to hide the screen. Locking closes the
 * open case ("current-case" becomes NULL; its claim is released), empties
 * the queue (it stops polling; the search is forgotten) and lets every
 * decoded photo go (the prefetcher is cleared). Decisions waiting their
 * undo delay stay in the outbox and are sent as usual, but none can be
 * taken back while locked; decisions, undo and skip are refused
 * (ER_REFUSAL_LOCKED). Unlocking lists the queue again and opens the oldest
 * case, its photos loaded again (the decision guard starts afresh).
 * Property "locked". */
void             er_review_session_lock       (ErReviewSession *self);
void             er_review_session_unlock     (ErReviewSession *self);
gboolean         er_review_session_get_locked (ErReviewSession *self);
/* The agent did something (a key, the pointer): the claim on the open case
 * is renewed when due; without activity it is given back when due (see
 * er-claim.h), and claimed again at the next activity. */
void             er_review_session_set_active (ErReviewSession *self);

/* Signed out or closing: the claim is released, photos and the key leave
 * memory, every waiting decision is due at once; finishes when the sender
 * is done or after ER_REVIEW_SESSION_CLOSE_SECONDS (what is left stays on
 * disk for the next start). The session does nothing more after. */
void             er_review_session_close_async  (ErReviewSession *self, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean         er_review_session_close_finish (ErReviewSession *self, GAsyncResult *result,
                                                 GError **error);

/* Signals:
 *   "message"         (const char *text)  something to tell the agent (a toast)
 *   "unauthenticated" (const char *text)  the server no longer accepts the token
 *   "delivered"       (ErOutboxEntry *)   the server recorded a decision taken here
 *                                         (also added to er_review_session_get_delivered)
 */

G_END_DECLS
