/* er-sender.h: delivers the outbox's decisions to the server, one at a
 * time, oldest first, each once its due time has come.
 *
 * Transient failures (network errors, 5xx, 429 — honouring Retry-After —
 * and an unknown outcome such as a dropped connection) are retried with
 * the same Idempotency-Key, with exponential backoff and jitter (1 s
 * doubling to ER_SENDER_MAX_BACKOFF_SECONDS; a 429's Retry-After is
 * waited as given, plus up to 25 %, without doubling), and at once when
 * GNetworkMonitor says the network is back. Final answers:
 *   200 → removed from the outbox, "delivered";
 *   409 already_decided → removed, "refused" with the conflict (who, when, what);
 *   409 claimed_by_other, 404, 410, 422 → FAILED with the reason, "refused";
 *   401 → "unauthenticated"; the entry stays WAITING; sending pauses until
 *         er_sender_set_client() gives a new client.
 */
#pragma once

#include <gio/gio.h>

#include "er-client.h"
#include "er-outbox.h"

G_BEGIN_DECLS

#define ER_SENDER_MAX_BACKOFF_SECONDS 60

#define ER_TYPE_SENDER (er_sender_get_type ())
G_DECLARE_FINAL_TYPE (ErSender, er_sender, ER, SENDER, GObject)

ErSender  *er_sender_new         (ErOutbox *outbox, ErClient *client);
ErOutbox  *er_sender_get_outbox  (ErSender *self);
/* A new client (signed in again after a 401) resumes sending; NULL pauses. */
void       er_sender_set_client  (ErSender *self, ErClient *client);
/* Every waiting decision is due now, and a retry waiting for its backoff
 * goes at once (closing the window, the agent asked). When GNetworkMonitor
 * says the network is back, only the retries go at once: decisions still
 * in their undo delay keep it. */
void       er_sender_send_now    (ErSender *self);
/* The server answered another request (it is back): entries waiting out
 * their backoff go at once; undo delays are kept. */
void       er_sender_retry       (ErSender *self);
/* Stops sending (a request under way finishes and is recorded). */
void       er_sender_stop        (ErSender *self);

/* Property "offline" (gboolean, notified): the last attempt could not reach
 * the server (network error or no network), until one succeeds. */
gboolean   er_sender_get_offline (ErSender *self);
/* Property "busy" (gboolean, notified): a request is under way or an entry
 * is due (an application can stay alive while it is TRUE when closing).
 * An entry waiting for its backoff after a transient failure is not due
 * (its due time is the retry time), so a closing application does not wait
 * for an unreachable server; a paused or stopped sender is not busy once
 * its request under way has finished. */
gboolean   er_sender_get_busy    (ErSender *self);

/* Signals:
 *   "delivered"       (ErOutboxEntry *entry, ErDecision *decision)
 *   "refused"         (ErOutboxEntry *entry, GError *error, ErConflict *conflict — nullable)
 *   "unauthenticated" (GError *error)
 */

G_END_DECLS
