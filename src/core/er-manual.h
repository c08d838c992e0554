/* er-manual.h: turning an e-mailed request into a case on the platform:
 * the photos are encrypted on this machine, each with a fresh 32-byte AES
 * key wrapped with the platform's verification public key, then sent with
 * POST /manual-cases.
 *
 * The platform's key (GET /keys/verification) must be the public half of
 * the verification key the agent holds (same SHA-256 fingerprint): otherwise
 * ER_ERROR_KEY_MISMATCH and nothing is sent. The photos' bytes are sent
 * exactly as received (no re-encoding). One Idempotency-Key per upload,
 * kept across retries; the platform answers with the existing case when the
 * same Message-ID was imported before.
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"

G_BEGIN_DECLS

typedef struct {
  const char *invoice_number;
  const char *username;      /* from the order */
  GDateTime  *received_at;   /* the message's date; now when NULL */
  const char *message_id;    /* nullable: then one is made from the photos' SHA-256 */
  GBytes     *face;          /* the learner's photo, as received */
  GBytes     *id;            /* the ID photo, as received */
} ErManualRequest;

/* Uploads request (its strings and bytes are copied or referenced: the
 * request need not outlive the call). key: the verification private key the
 * agent holds; NULL fails with ER_ERROR_CRYPTO, nothing sent. Errors:
 * ER_ERROR_KEY_MISMATCH (the platform's key, whose fingerprint is recomputed
 * from its PEM, is not the public half of key, or does not match the
 * fingerprint the platform announces), the client's errors
 * (ER_ERROR_UNKNOWN_INVOICE, ER_ERROR_INVALID_PHOTO, ...), G_IO_ERROR_CANCELLED.
 * Transient failures (er_error_is_transient) of the key lookup are retried
 * by the client (er_client_set_max_retries()); those of the POST here, 3
 * attempts at most, after 1 s then 2 s, with the same Idempotency-Key; past
 * that the error is returned and
 * the caller may call again later: the same Message-ID finds the same case,
 * never a second one (*existing is then TRUE, even when it was the earlier,
 * unanswered attempt that created it). The encryption runs in a worker
 * thread. */
void    er_manual_upload_async  (ErClient *client, ErPrivateKey *key,
                                 const ErManualRequest *request,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* The case (new or existing); *existing TRUE when it was imported before. */
ErCase *er_manual_upload_finish (GAsyncResult *result, gboolean *existing, GError **error);

/* The Message-ID used when a request has none: "<hex sha256(face).hex
 * sha256(id)@edulib-reviewer>", so that the same two photos imported again
 * are recognised by the platform. */
char   *er_manual_message_id_for_photos (GBytes *face, GBytes *id);

G_END_DECLS
