/* er-claim.h: the agent's claim on the case on screen.
 *
 * A claim tells colleagues that the agent is looking at a case (the platform
 * keeps it 15 minutes; posting again renews it). An ErClaim claims its case
 * as soon as it is created, renews it every ER_CLAIM_RENEW_SECONDS while it
 * is held and the agent was active meanwhile (er_claim_set_active) — an idle
 * agent keeps no claim: with no activity, the claim is released instead
 * (the state becomes ENDED) — and either releases it (the agent moves on without deciding) or
 * drops it (decided: the decision ends the claim on the server).
 *
 * Transient failures are retried by the client (er_client_set_max_retries);
 * when even those fail for want of a network the claim is WAITING and
 * er_claim_retry() (the server answered another request) claims again.
 * A claim the platform refuses (409 claimed_by_other / already_decided, 404,
 * 410) is LOST and "lost" is emitted with the conflict, so the session can
 * move on.
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"

G_BEGIN_DECLS

/* Claims last 15 minutes; renew well before. */
#define ER_CLAIM_RENEW_SECONDS (10 * 60)

typedef enum {
  ER_CLAIM_CLAIMING, /* a request is under way */
  ER_CLAIM_HELD,     /* the platform answered 200 */
  ER_CLAIM_WAITING,  /* the server could not be reached: er_claim_retry() */
  ER_CLAIM_LOST,     /* refused for good ("lost" was emitted) */
  ER_CLAIM_ENDED,    /* released or dropped */
} ErClaimState;

#define ER_TYPE_CLAIM (er_claim_get_type ())
G_DECLARE_FINAL_TYPE (ErClaim, er_claim, ER, CLAIM, GObject)

/* Starts claiming kase at once. */
ErClaim      *er_claim_new        (ErClient *client, ErCase *kase);
ErCase       *er_claim_get_case   (ErClaim *self);
/* Property "state" (ErClaimState as an int, notified). */
ErClaimState  er_claim_get_state  (ErClaim *self);
/* The agent did something (a key, the pointer): the next renewal is made.
 * Without it the claim is released when it falls due. */
void          er_claim_set_active (ErClaim *self);
/* For tests: the renewal interval in ms (0: ER_CLAIM_RENEW_SECONDS). */
void          er_claim_set_renew_interval (guint ms);
/* WAITING: claims again now. Any other state: nothing. */
void          er_claim_retry      (ErClaim *self);
/* The agent leaves the case undecided: DELETE .../claim if the claim is
 * held or under way — under way, once the claim request has been answered,
 * so that the release cannot reach the server before it (the requests
 * outlive the object; the default GApplication is held until the server has
 * heard the release). Ends the claim at once. */
void          er_claim_release    (ErClaim *self);
/* Decided (or lost): stops renewing, sends nothing. Ends the claim. */
void          er_claim_drop       (ErClaim *self);

/* Signals:
 *   "lost"            (GError *error, ErConflict *conflict — nullable)
 *   "unauthenticated" (GError *error)
 *   "failed"          (GError *error): a failure that is neither final nor a
 *                     network one (say a 500 after the client's retries);
 *                     the state is WAITING.
 */

G_END_DECLS
