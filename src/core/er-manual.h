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

void    er_manual_upload_async  (ErClient *client, ErPrivateKey *key,
                                 const ErManualRequest *request,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* The case (new or existing); *existing TRUE when it was imported before. */
ErCase *er_manual_upload_finish (GAsyncResult *result, gboolean *existing, GError **error);

G_END_DECLS
