/* er-manual.c: turning an e-mailed request into a case on the platform.
 *
 * The steps, each cancellable:
 *
 *  1. GET /keys/verification. The PEM's own SHA-256 fingerprint is computed
 *     here (the server's claimed fingerprint alone is not trusted) and must
 *     equal both the claimed one and the fingerprint of the private key the
 *     agent holds; otherwise ER_ERROR_KEY_MISMATCH and nothing is sent.
 *  2. In a worker thread: each photo encrypted with er_crypto_encrypt_photo
 *     (a fresh random 32-byte AES key per call, the contract's IV, the key
 *     wrapped with RSA-OAEP-SHA1), on the bytes exactly as received. The
 *     Message-ID is derived from the photos' SHA-256 when none is given.
 *  3. POST /manual-cases with the Idempotency-Key made when the upload
 *     started.
 *
 * Transient failures (network, 5xx, 429) of step 3 are retried here, at
 * most ER_MANUAL_ATTEMPTS times in all, after 1 s then 2 s, with the same
 * Idempotency-Key (the client itself retries the GET of step 1, an
 * idempotent read, and never the POST). Past that the error is returned; a
 * caller that tries again later with a new upload gets the existing case
 * back (the platform recognises the Message-ID), never a second one.
 *
 * No plaintext copy of a photo is made (the GBytes are referenced); the AES
 * keys live only inside er_crypto_encrypt_photo, which wipes them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "er-error.h"
#include "er-manual.h"

#define ER_MANUAL_ATTEMPTS 3

typedef enum {
  STEP_KEY,
  STEP_POST,
} Step;

typedef struct {
  ErClient     *client;
  ErPrivateKey *key;
  ErPublicKey  *platform_key;

  char         *invoice_number;
  char         *username;
  GDateTime    *received_at;
  char         *message_id;     /* NULL until derived in the worker */
  GBytes       *face;
  GBytes       *id;

  char         *idempotency_key;

  /* Filled by the worker thread. */
  char         *face_data;
  char         *face_key;
  char         *id_data;
  char         *id_key;

  Step          step;
  guint         attempt;        /* of the current step, from 1 */
  GSource      *retry_source;
  gboolean      existing;
} Upload;

static void
upload_free (Upload *upload)
{
  if (upload->retry_source != NULL)
    {
      g_source_destroy (upload->retry_source);
      g_clear_pointer (&upload->retry_source, g_source_unref);
    }
  g_clear_object (&upload->client);
  g_clear_pointer (&upload->key, er_private_key_unref);
  g_clear_pointer (&upload->platform_key, er_public_key_unref);
  g_free (upload->invoice_number);
  g_free (upload->username);
  g_clear_pointer (&upload->received_at, g_date_time_unref);
  g_free (upload->message_id);
  g_clear_pointer (&upload->face, g_bytes_unref);
  g_clear_pointer (&upload->id, g_bytes_unref);
  g_free (upload->idempotency_key);
  g_free (upload->face_data);
  g_free (upload->face_key);
  g_free (upload->id_data);
  g_free (upload->id_key);
  g_free (upload);
}

static void run_step (GTask *task);

/* Message-ID */

static char *
sha256_hex (GBytes *bytes)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

char *
er_manual_message_id_for_photos (GBytes *face,
                                 GBytes *id)
{
  g_autofree char *face_hex = NULL;
  g_autofree char *id_hex = NULL;

  g_return_val_if_fail (face != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  face_hex = sha256_hex (face);
  id_hex = sha256_hex (id);

  return g_strdup_printf ("<%s.%s@edulib-reviewer>", face_hex, id_hex);
}

/* Retries */

static guint
retry_delay_ms (guint attempt)
{
  /* After attempt 1: 1 s; after attempt 2: 2 s. */
  return 1000u << (attempt - 1);
}

static gboolean
cancel_source_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  /* The parent timeout source dispatches too, and sees the cancellation. */
  return G_SOURCE_CONTINUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);

  g_clear_pointer (&upload->retry_source, g_source_unref);

  if (!g_task_return_error_if_cancelled (task))
    {
      upload->attempt++;
      run_step (task);
    }

  return G_SOURCE_REMOVE;
}

/* TRUE when error (transient) will be retried: then task stays pending. */
static gboolean
maybe_retry (GTask        *task,
             const GError *error)
{
  Upload *upload = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay;

  if (!er_error_is_transient (error) || upload->attempt >= ER_MANUAL_ATTEMPTS)
    return FALSE;
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;

  delay = retry_delay_ms (upload->attempt);
  g_debug ("Manual case upload: POST /manual-cases failed (%s), attempt %u of %u, again in %u ms",
           error->message, upload->attempt, ER_MANUAL_ATTEMPTS, delay);

  upload->retry_source = g_timeout_source_new (delay);
  g_source_set_static_name (upload->retry_source, "[er-manual] retry");
  /* The task holds the source (through upload), the source a ref of the task
   * until it dispatches or the upload is freed. */
  g_source_set_callback (upload->retry_source, retry_cb, g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancel_source_cb), NULL, NULL);
      g_source_add_child_source (upload->retry_source, cancel_source);
    }
  g_source_attach (upload->retry_source, g_task_get_context (task));

  return TRUE;
}

/* Step 3: POST /manual-cases */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) kase = NULL;
  gboolean existing = FALSE;

  kase = er_client_create_manual_case_finish (ER_CLIENT (object), result, &existing, &error);
  if (kase == NULL)
    {
      if (!maybe_retry (task, error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Manual case %s for %s: %s", er_case_get_receipt_id (kase), upload->invoice_number,
           existing ? "imported before" : "created");
  upload->existing = existing;
  g_task_return_pointer (task, g_steal_pointer (&kase), g_object_unref);
}

static void
post_case (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  ErManualCase request = {
    .invoice_number = upload->invoice_number,
    .username = upload->username,
    .received_at = upload->received_at,
    .message_id = upload->message_id,
    .user_photo_data = upload->face_data,
    .user_photo_key = upload->face_key,
    .photo_id_data = upload->id_data,
    .photo_id_key = upload->id_key,
  };

  er_client_create_manual_case_async (upload->client, &request, upload->idempotency_key,
                                      g_task_get_cancellable (task),
                                      create_cb, g_object_ref (task));
}

/* Step 2: encryption, in a worker thread */

static void
encrypt_thread (GTask        *inner,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GError) error = NULL;

  if (upload->message_id == NULL)
    upload->message_id = er_manual_message_id_for_photos (upload->face, upload->id);

  if (!er_crypto_encrypt_photo (upload->platform_key, upload->face,
                                &upload->face_data, &upload->face_key, &error))
    {
      g_task_return_error (inner, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (inner))
    return;

  if (!er_crypto_encrypt_photo (upload->platform_key, upload->id,
                                &upload->id_data, &upload->id_key, &error))
    {
      g_task_return_error (inner, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (inner, TRUE);
}

static void
encrypt_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  upload->step = STEP_POST;
  upload->attempt = 1;
  run_step (task);
}

static void
encrypt_photos (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GTask) inner = NULL;

  /* upload outlives inner: encrypt_cb holds the outer task. */
  inner = g_task_new (NULL, g_task_get_cancellable (task), encrypt_cb, g_object_ref (task));
  g_task_set_source_tag (inner, encrypt_photos);
  g_task_set_name (inner, "[er-manual] encrypt photos");
  g_task_set_task_data (inner, upload, NULL);
  g_task_run_in_thread (inner, encrypt_thread);
}

/* Step 1: the platform's key */

static void
key_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *claimed = NULL;
  g_autofree char *platform = NULL;
  g_autofree char *held = NULL;
  g_autoptr(ErPublicKey) public_key = NULL;

  /* The client has already retried a transient failure of this GET. */
  if (!er_client_get_verification_key_finish (ER_CLIENT (object), result, &pem, &claimed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  public_key = er_public_key_new_from_pem (pem, strlen (pem), &error);
  if (public_key == NULL)
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                               _("The platform's verification key could not be read (%s). "
                                 "Nothing was sent."), error->message);
      return;
    }

  platform = er_public_key_get_fingerprint (public_key);
  held = er_private_key_get_fingerprint (upload->key);

  if (claimed == NULL || g_ascii_strcasecmp (claimed, platform) != 0)
    {
      g_autofree char *shown = er_fingerprint_format_short (platform);

      g_debug ("The platform announces fingerprint %s for a key whose fingerprint is %s",
               claimed ? claimed : "(none)", platform);
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                               _("The platform's verification key (fingerprint %s) does not match "
                                 "the fingerprint the platform announces for it. Nothing was sent. "
                                 "Check that you are signed in to the right server."), shown);
      return;
    }

  if (g_ascii_strcasecmp (platform, held) != 0)
    {
      g_autofree char *shown = er_fingerprint_format_short (platform);
      g_autofree char *shown_held = er_fingerprint_format_short (held);

      g_debug ("Platform key %s, held key %s", platform, held);
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                               _("The platform's verification key is not the one you hold "
                                 "(fingerprint %s; yours is %s). Nothing was sent. Check that you "
                                 "are signed in to the right server with the current key."),
                               shown, shown_held);
      return;
    }

  upload->platform_key = g_steal_pointer (&public_key);
  encrypt_photos (task);
}

static void
run_step (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);

  switch (upload->step)
    {
    case STEP_KEY:
      er_client_get_verification_key_async (upload->client, g_task_get_cancellable (task),
                                            key_cb, g_object_ref (task));
      break;

    case STEP_POST:
      post_case (task);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Public API */

void
er_manual_upload_async (ErClient              *client,
                        ErPrivateKey          *key,
                        const ErManualRequest *request,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Upload *upload;

  g_return_if_fail (ER_IS_CLIENT (client));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->invoice_number != NULL && *request->invoice_number != '\0');
  g_return_if_fail (request->username != NULL && *request->username != '\0');
  g_return_if_fail (request->face != NULL);
  g_return_if_fail (request->id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_manual_upload_async);
  g_task_set_name (task, "[er-manual] upload");

  upload = g_new0 (Upload, 1);
  upload->client = g_object_ref (client);
  upload->key = key != NULL ? er_private_key_ref (key) : NULL;
  upload->invoice_number = g_strdup (request->invoice_number);
  upload->username = g_strdup (request->username);
  upload->received_at = request->received_at != NULL
    ? g_date_time_ref (request->received_at)
    : g_date_time_new_now_utc ();
  upload->message_id = request->message_id != NULL && *request->message_id != '\0'
    ? g_strdup (request->message_id)
    : NULL;
  upload->face = g_bytes_ref (request->face);
  upload->id = g_bytes_ref (request->id);
  /* One key for this upload, whatever the retries. */
  upload->idempotency_key = er_client_new_idempotency_key ();
  upload->step = STEP_KEY;
  upload->attempt = 1;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  if (key == NULL)
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_CRYPTO,
                               _("A case can be created only with the verification key: the photos "
                                 "are encrypted for it and it is checked against the platform's. "
                                 "Open your verification key first. Nothing was sent."));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  run_step (task);
}

ErCase *
er_manual_upload_finish (GAsyncResult  *result,
                         gboolean      *existing,
                         GError       **error)
{
  ErCase *ret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_manual_upload_async, NULL);

  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (existing != NULL)
    {
      Upload *upload = g_task_get_task_data (G_TASK (result));

      *existing = ret != NULL && upload->existing;
    }

  return ret;
}
