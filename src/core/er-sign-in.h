/* er-sign-in.h: from a server, a token and a key file to a review session.
 *
 * Signing in checks, in order: the server's URL (https, or http on
 * loopback), the key file (ER_ERROR_KEY_NEEDS_PASSPHRASE /
 * ER_ERROR_KEY_BAD_PASSPHRASE / ER_ERROR_KEY_INVALID), the token (GET /me;
 * ER_ERROR_UNAUTHENTICATED), and that the key is the platform's
 * verification key: the SHA-256 fingerprint of its public part must equal
 * that of the PEM from GET /keys/verification (recomputed here, and equal to
 * the fingerprint the platform announces), otherwise ER_ERROR_KEY_MISMATCH
 * with a message naming the key the platform expects. Nothing is listed or
 * claimed before all of this holds. The key file is read in a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "er-review-session.h"

G_BEGIN_DECLS

void             er_sign_in_async  (const char *server, const char *token, const char *key_file,
                                    const char *passphrase, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* A new session, not started yet (er_review_session_start). */
ErReviewSession *er_sign_in_finish (GAsyncResult *result, GError **error);

/* The check alone: key must be the platform's (pem as GET /keys/verification
 * returns it, announced: its claimed fingerprint). */
gboolean         er_sign_in_check_key (ErPrivateKey *key, const char *pem, const char *announced,
                                       GError **error);

G_END_DECLS
