/* er-attempts.h: a learner's earlier attempts at the open case.
 *
 * ErAttempts is a GListModel of ErAttempt, oldest first, for one case
 * (er_attempts_set_case()), built within the contract only:
 *  - GET /cases?status=denied&q=<username>&order=newest (3 pages at most),
 *    kept when the username is exactly the case's, submitted before it and
 *    not the case itself;
 *  - the reasons of an attempt are the previous_reasons of the attempt
 *    after it (of the case itself for the latest);
 *  - the agent and time of each denial: GET /decisions (the agent's own,
 *    since the oldest earlier attempt, 3 pages at most, fewer once every
 *    attempt is found). A denial not in that list was another agent's;
 *    when the list could not be read whole, the decider is unknown;
 *  - once er_attempts_check_photos() is called (the case's own photos are
 *    on screen), the SHA-256 of each decrypted image, compared face with
 *    face and ID with ID, one photo at a time, in memory only.
 * When the server lists no earlier case, the case's previous_reasons alone
 * make one attempt (no date). A new case cancels everything under way.
 */
#pragma once

#include <gio/gio.h>

#include "er-agent.h"
#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-reasons.h"

G_BEGIN_DECLS

/* Whether an earlier attempt's photo is the same image as the case's. */
typedef enum {
  ER_PHOTO_MATCH_UNKNOWN,   /* not compared (yet), or a photo could not be read */
  ER_PHOTO_MATCH_SAME,
  ER_PHOTO_MATCH_DIFFERENT,
} ErPhotoMatch;

#define ER_TYPE_PHOTO_MATCH (er_photo_match_get_type ())
GType er_photo_match_get_type (void) G_GNUC_CONST;

/* Who denied an earlier attempt. */
typedef enum {
  ER_DECIDER_UNKNOWN,  /* the agent's decisions could not be read */
  ER_DECIDER_ME,       /* the signed-in agent ("decided-at" is set) */
  ER_DECIDER_OTHER,    /* another agent (not named: the contract does not say who) */
} ErDecider;

#define ER_TYPE_DECIDER (er_decider_get_type ())
GType er_decider_get_type (void) G_GNUC_CONST;

/* One earlier attempt. Read-only properties: "number" (guint, 1 for the
 * first), "receipt-id" (nullable), "submitted-at" (GDateTime, nullable),
 * "decider" (ErDecider), "decided-at" (GDateTime, nullable),
 * "decided-by" (the agent's full name when ER_DECIDER_ME, else NULL),
 * "reasons" (ErReasons: learner sentences and note; nullable),
 * "same-user-photo", "same-id-photo" (ErPhotoMatch, notified). */
#define ER_TYPE_ATTEMPT (er_attempt_get_type ())
G_DECLARE_FINAL_TYPE (ErAttempt, er_attempt, ER, ATTEMPT, GObject)

guint            er_attempt_get_number          (ErAttempt *self);
const char      *er_attempt_get_receipt_id      (ErAttempt *self);
GDateTime       *er_attempt_get_submitted_at    (ErAttempt *self);
ErDecider        er_attempt_get_decider         (ErAttempt *self);
GDateTime       *er_attempt_get_decided_at      (ErAttempt *self);
const char      *er_attempt_get_decided_by      (ErAttempt *self);
const ErReasons *er_attempt_get_reasons         (ErAttempt *self);
ErPhotoMatch     er_attempt_get_same_user_photo (ErAttempt *self);
ErPhotoMatch     er_attempt_get_same_id_photo   (ErAttempt *self);

#define ER_TYPE_ATTEMPTS (er_attempts_get_type ())
G_DECLARE_FINAL_TYPE (ErAttempts, er_attempts, ER, ATTEMPTS, GObject)

/* key: to decrypt photos (nullable: photos are then not compared);
 * agent: the signed-in agent. */
ErAttempts  *er_attempts_new          (ErClient *client, ErPrivateKey *key, ErAgent *agent);
ErClient    *er_attempts_get_client   (ErAttempts *self);

/* Property "case" (nullable): starts loading its earlier attempts (a case
 * at its first attempt has none); what was under way is cancelled. */
void         er_attempts_set_case     (ErAttempts *self, ErCase *kase);
ErCase      *er_attempts_get_case     (ErAttempts *self);
/* Compares the photos once the list is loaded (at once if it is). Call it
 * when the case's own photos are on screen, so as never to delay them. */
void         er_attempts_check_photos (ErAttempts *self);

/* Property "loading": the list is being loaded. */
gboolean     er_attempts_get_loading  (ErAttempts *self);
/* Property "checking-photos": photos are being compared. */
gboolean     er_attempts_get_checking_photos (ErAttempts *self);
/* Property "error" (nullable): why the list could not be loaded. */
const char  *er_attempts_get_error    (ErAttempts *self);

G_END_DECLS
