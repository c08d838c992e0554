/* test-manual.c: er_manual_upload against the fake platform: the photos
 * arrive byte for byte, a second import opens the same case, a platform key
 * that is not the agent's stops everything before any upload.
 */
#include "config.h"

#include <glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "er-client.h"
#include "er-crypto.h"
#include "er-error.h"
#include "er-manual.h"
#include "er-photo.h"
#include "fake-images.h"
#include "fake-process.h"
#include "test-async.h"

#define INVOICE   "EDU-2026-004211"
#define USERNAME  "fcote"
#define FULL_NAME "François Côté"

static FakeProcess *fake;
static ErClient *client;
static ErPrivateKey *key;  /* the fake platform's verification key */

/* Waiting for results */

static void
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static ErCase *
upload (ErPrivateKey           *with_key,
        const ErManualRequest  *request,
        GCancellable           *cancellable,
        gboolean               *existing,
        GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_manual_upload_async (client, with_key, request, cancellable, test_async_store, &result);
  return er_manual_upload_finish (test_async_wait (&result), existing, error);
}

static GBytes *
fetch (const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  er_client_fetch_photo_async (client, url, ER_PHOTO_MAX_BYTES, NULL, test_async_store, &result);
  bytes = er_client_fetch_photo_finish (client, test_async_wait (&result), NULL, &error);
  g_assert_no_error (error);
  return bytes;
}

static GdkTexture *
load_photo (const ErPhotoRef *ref)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  er_photo_load_async (client, key, ref, NULL, test_async_store, &result);
  texture = er_photo_load_finish (test_async_wait (&result), &error);
  g_assert_no_error (error);
  return texture;
}

/* The fake's view */

static guint
count_cases_with_invoice (const char *invoice)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *o = json_array_get_object_element (cases, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (o, "invoice_number", NULL),
                     invoice) == 0)
        n++;
    }

  return n;
}

/* The photo as stored by the platform, decrypted with the agent's key. */
static GBytes *
stored_photo (const ErPhotoRef *ref)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *plain;

  g_assert_nonnull (ref);
  g_assert_nonnull (ref->key);
  body = fetch (ref->url);
  plain = er_crypto_decrypt_photo (key, ref->key, body, &error);
  g_assert_no_error (error);
  return plain;
}

/* Tests */

static void
test_message_id (void)
{
  g_autoptr(GBytes) a = g_bytes_new_static ("a", 1);
  g_autoptr(GBytes) b = g_bytes_new_static ("b", 1);
  g_autofree char *ab = er_manual_message_id_for_photos (a, b);
  g_autofree char *ab2 = er_manual_message_id_for_photos (a, b);
  g_autofree char *ba = er_manual_message_id_for_photos (b, a);

  g_assert_cmpstr (ab, ==,
                   "<ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                   ".3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
                   "@edulib-reviewer>");
  g_assert_cmpstr (ab, ==, ab2);
  g_assert_cmpstr (ab, !=, ba);
}

static void
test_upload (void)
{
  g_autoptr(GBytes) face = fake_image_face (11, 480, 640, FAKE_IMAGE_JPEG, 6);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 12, 640, 400, FAKE_IMAGE_PNG, 1);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 20, 13, 45, 0);
  g_autoptr(ErCase) created = NULL;
  g_autoptr(ErCase) again = NULL;
  g_autoptr(GBytes) stored_face = NULL;
  g_autoptr(GBytes) stored_card = NULL;
  g_autoptr(GdkTexture) face_texture = NULL;
  g_autoptr(GdkTexture) card_texture = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  guint before = count_cases_with_invoice (INVOICE);
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .received_at = received,
    .message_id = "<CAF8upload-test@mail.example.org>",
    .face = face,
    .id = card,
  };

  created = upload (key, &request, NULL, &existing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_false (existing);
  g_assert_cmpint (er_case_get_source (created), ==, ER_CASE_SOURCE_EMAIL);
  g_assert_cmpint (er_case_get_status (created), ==, ER_CASE_STATUS_PENDING);
  g_assert_cmpstr (er_case_get_invoice_number (created), ==, INVOICE);
  g_assert_cmpstr (er_case_get_username (created), ==, USERNAME);
  g_assert_cmpstr (er_case_get_expected_name (created), ==, FULL_NAME);
  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before + 1);

  /* What the platform stores decrypts to the bytes sent, exactly. */
  stored_face = stored_photo (er_case_get_user_photo (created));
  stored_card = stored_photo (er_case_get_photo_id (created));
  g_assert_true (g_bytes_equal (stored_face, face));
  g_assert_true (g_bytes_equal (stored_card, card));

  /* Each photo has its own key. */
  g_assert_cmpstr (er_case_get_user_photo (created)->key, !=, er_case_get_photo_id (created)->key);

  /* And the viewer's path shows them, the JPEG's EXIF orientation applied. */
  face_texture = load_photo (er_case_get_user_photo (created));
  g_assert_cmpint (gdk_texture_get_width (face_texture), ==, 480);
  g_assert_cmpint (gdk_texture_get_height (face_texture), ==, 640);
  card_texture = load_photo (er_case_get_photo_id (created));
  g_assert_cmpint (gdk_texture_get_width (card_texture), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (card_texture), ==, 400);

  /* The same message imported again opens the same case. */
  again = upload (key, &request, NULL, &existing, &error);
  g_assert_no_error (error);
  g_assert_true (existing);
  g_assert_cmpstr (er_case_get_receipt_id (again), ==, er_case_get_receipt_id (created));
  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before + 1);
}

/* Without a Message-ID, the same two photos make the same one. */
static void
test_derived_message_id (void)
{
  g_autoptr(GBytes) face = fake_image_face (21, 320, 240, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 22, 400, 250, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GBytes) other_card = fake_image_id_card (FULL_NAME, 23, 400, 250, FAKE_IMAGE_JPEG, 1);
  g_autoptr(ErCase) first = NULL;
  g_autoptr(ErCase) second = NULL;
  g_autoptr(ErCase) third = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  guint before = count_cases_with_invoice (INVOICE);
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .face = face,
    .id = card,
  };

  first = upload (key, &request, NULL, &existing, &error);
  g_assert_no_error (error);
  g_assert_false (existing);
  /* received_at NULL: now. */
  g_assert_nonnull (er_case_get_submitted_at (first));

  second = upload (key, &request, NULL, &existing, &error);
  g_assert_no_error (error);
  g_assert_true (existing);
  g_assert_cmpstr (er_case_get_receipt_id (second), ==, er_case_get_receipt_id (first));

  request.id = other_card;
  third = upload (key, &request, NULL, &existing, &error);
  g_assert_no_error (error);
  g_assert_false (existing);
  g_assert_cmpstr (er_case_get_receipt_id (third), !=, er_case_get_receipt_id (first));

  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before + 2);
}

static void
test_key_mismatch (void)
{
  g_autoptr(GBytes) face = fake_image_face (31, 200, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 32, 300, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(ErPrivateKey) other = NULL;
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  guint before = count_cases_with_invoice (INVOICE);
  gint64 requests;
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .message_id = "<mismatch@mail.example.org>",
    .face = face,
    .id = card,
  };

  other = er_private_key_generate (2048, &error);
  g_assert_no_error (error);

  requests = fake_process_fault_count (fake, "api_requests");
  kase = upload (other, &request, NULL, &existing, &error);
  g_assert_null (kase);
  g_assert_false (existing);
  g_assert_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "Nothing was sent"));
  g_clear_error (&error);

  /* Only GET /keys/verification reached the platform; no case. */
  g_assert_cmpint (fake_process_fault_count (fake, "api_requests"), ==, requests + 1);
  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before);

  /* No key at all: nothing asked, nothing sent. */
  kase = upload (NULL, &request, NULL, &existing, &error);
  g_assert_null (kase);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  g_assert_cmpint (fake_process_fault_count (fake, "api_requests"), ==, requests + 1);
  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before);
}

static void
test_unknown_invoice (void)
{
  g_autoptr(GBytes) face = fake_image_face (41, 200, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 42, 300, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  ErManualRequest request = {
    .invoice_number = "EDU-1999-000000",
    .username = USERNAME,
    .message_id = "<unknown-invoice@mail.example.org>",
    .face = face,
    .id = card,
  };

  kase = upload (key, &request, NULL, &existing, &error);
  g_assert_null (kase);
  g_assert_false (existing);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE);
}

static void
test_cancel (void)
{
  g_autoptr(GBytes) face = fake_image_face (51, 200, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 52, 300, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(GError) error = NULL;
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .message_id = "<cancel@mail.example.org>",
    .face = face,
    .id = card,
  };

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(ErCase) kase = NULL;

    g_cancellable_cancel (cancellable);
    kase = upload (key, &request, cancellable, NULL, &error);
    g_assert_null (kase);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  /* Cancelled while it runs. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(ErCase) kase = NULL;

    er_manual_upload_async (client, key, &request, cancellable, test_async_store, &result);
    g_cancellable_cancel (cancellable);
    kase = er_manual_upload_finish (test_async_wait (&result), NULL, &error);
    g_assert_null (kase);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  /* Cancelled while waiting to retry: at once, not after the delay. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(ErCase) kase = NULL;
    gint64 limited = fake_process_fault_count (fake, "rate_limited");
    gboolean waited = FALSE;
    gint64 requests;
    gint64 start;

    fake_process_set_faults (fake, "{\"burst_429\": {\"count\": 1}}");
    er_manual_upload_async (client, key, &request, cancellable, test_async_store, &result);
    /* The 429 comes back in a few ms; the retry waits 1 s. Cancel in between
     * (were the answer late, the cancel would stop the request instead: the
     * same outcome). */
    g_timeout_add_once (300, set_flag_cb, &waited);
    while (!waited)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (result);
    g_assert_cmpint (fake_process_fault_count (fake, "rate_limited"), ==, limited + 1);
    requests = fake_process_fault_count (fake, "api_requests");
    start = g_get_monotonic_time ();
    g_cancellable_cancel (cancellable);
    kase = er_manual_upload_finish (test_async_wait (&result), NULL, &error);
    g_assert_null (kase);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    /* The request was not sent again. How soon it ended is printed, not
     * asserted: a time limit flakes under sanitizers or on a loaded machine. */
    g_assert_cmpint (fake_process_fault_count (fake, "api_requests"), ==, requests);
    g_test_message ("cancelled upload ended %" G_GINT64_FORMAT " ms after the cancel",
                    (g_get_monotonic_time () - start) / 1000);
    fake_process_set_faults (fake, "{\"reset\": true}");
  }
}

/* A 429 on the way is waited out and the upload goes through. */
static void
test_retry (void)
{
  g_autoptr(GBytes) face = fake_image_face (61, 200, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 62, 300, 200, FAKE_IMAGE_PNG, 1);
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  gint64 limited = fake_process_fault_count (fake, "rate_limited");
  guint before = count_cases_with_invoice (INVOICE);
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .message_id = "<retry@mail.example.org>",
    .face = face,
    .id = card,
  };

  fake_process_set_faults (fake, "{\"burst_429\": {\"count\": 1}}");
  kase = upload (key, &request, NULL, &existing, &error);
  fake_process_set_faults (fake, "{\"reset\": true}");
  g_assert_no_error (error);
  g_assert_nonnull (kase);
  g_assert_false (existing);
  g_assert_cmpint (fake_process_fault_count (fake, "rate_limited"), ==, limited + 1);
  g_assert_cmpuint (count_cases_with_invoice (INVOICE), ==, before + 1);
}

/* Against a tiny in-test server: what the fake platform never does (a key
 * that does not match its announced fingerprint, 503 on a POST). */

typedef struct {
  SoupServer *server;
  char       *url;
  char       *pem;           /* served as the platform's key */
  char       *fingerprint;   /* announced for it */
  char       *case_json;     /* answered to a POST that succeeds */
  guint       failing_posts; /* this many POSTs answer 503 first */
  GPtrArray  *post_keys;     /* Idempotency-Key of each POST */
} Mini;

static Mini mini;

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
mini_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (g_str_equal (path, "/api/review/v1/keys/verification"))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *body = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "public_key_pem");
      json_builder_add_string_value (builder, mini.pem);
      json_builder_set_member_name (builder, "fingerprint_sha256");
      json_builder_add_string_value (builder, mini.fingerprint);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      body = json_to_string (node, FALSE);
      respond_json (msg, 200, body);
    }
  else if (g_str_equal (path, "/api/review/v1/manual-cases"))
    {
      g_ptr_array_add (mini.post_keys,
                       g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key")));
      if (mini.failing_posts > 0)
        {
          mini.failing_posts--;
          respond_json (msg, 503, "{\"error\": {\"code\": \"unavailable\", \"message\": \"Down\"}}");
        }
      else
        respond_json (msg, 201, mini.case_json);
    }
  else
    respond_json (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"No\"}}");
}

static void
mini_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  GSList *uris;

  mini.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (mini.server, NULL, mini_cb, NULL, NULL);
  soup_server_listen_local (mini.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (mini.server);
  mini.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  mini.pem = er_private_key_get_public_pem (key);
  mini.fingerprint = er_private_key_get_fingerprint (key);
  json_node_set_object (node, json_array_get_object_element (cases, 0));
  mini.case_json = json_to_string (node, FALSE);
  mini.post_keys = g_ptr_array_new_with_free_func (g_free);
}

static void
mini_stop (void)
{
  soup_server_disconnect (mini.server);
  g_clear_object (&mini.server);
  g_clear_pointer (&mini.url, g_free);
  g_clear_pointer (&mini.pem, g_free);
  g_clear_pointer (&mini.fingerprint, g_free);
  g_clear_pointer (&mini.case_json, g_free);
  g_clear_pointer (&mini.post_keys, g_ptr_array_unref);
}

static ErCase *
mini_upload (gboolean  *existing,
             GError   **error)
{
  g_autoptr(GBytes) face = fake_image_face (71, 100, 100, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_id_card (FULL_NAME, 72, 150, 100, FAKE_IMAGE_PNG, 1);
  g_autoptr(ErClient) mini_client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  ErManualRequest request = {
    .invoice_number = INVOICE,
    .username = USERNAME,
    .face = face,
    .id = card,
  };

  mini_client = er_client_new (mini.url, "mini-token", &local_error);
  g_assert_no_error (local_error);
  er_manual_upload_async (mini_client, key, &request, NULL, test_async_store, &result);
  return er_manual_upload_finish (test_async_wait (&result), existing, error);
}

/* The server's fingerprint is checked against its own PEM, not believed. */
static void
test_mini_announced_fingerprint (void)
{
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *real = g_steal_pointer (&mini.fingerprint);

  mini.fingerprint = g_strnfill (64, '0');
  g_ptr_array_set_size (mini.post_keys, 0);
  kase = mini_upload (NULL, &error);
  g_assert_null (kase);
  g_assert_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH);
  g_assert_cmpuint (mini.post_keys->len, ==, 0);

  /* Upper-case hex is the same fingerprint. */
  g_clear_pointer (&mini.fingerprint, g_free);
  mini.fingerprint = g_ascii_strup (real, -1);
  g_clear_error (&error);
  kase = mini_upload (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kase);
  g_assert_cmpuint (mini.post_keys->len, ==, 1);

  g_clear_pointer (&mini.fingerprint, g_free);
  mini.fingerprint = g_steal_pointer (&real);
}

/* A POST that fails with 503 is sent again, with the same Idempotency-Key. */
static void
test_mini_post_retry (void)
{
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;

  g_ptr_array_set_size (mini.post_keys, 0);
  mini.failing_posts = 2;
  kase = mini_upload (&existing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kase);
  g_assert_false (existing);
  g_assert_cmpuint (mini.post_keys->len, ==, 3);
  g_assert_nonnull (g_ptr_array_index (mini.post_keys, 0));
  g_assert_cmpstr (g_ptr_array_index (mini.post_keys, 0), ==, g_ptr_array_index (mini.post_keys, 1));
  g_assert_cmpstr (g_ptr_array_index (mini.post_keys, 0), ==, g_ptr_array_index (mini.post_keys, 2));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manual/message-id", test_message_id);
  g_test_add_func ("/manual/upload", test_upload);
  g_test_add_func ("/manual/derived-message-id", test_derived_message_id);
  g_test_add_func ("/manual/key-mismatch", test_key_mismatch);
  g_test_add_func ("/manual/unknown-invoice", test_unknown_invoice);
  g_test_add_func ("/manual/cancel", test_cancel);
  g_test_add_func ("/manual/retry", test_retry);
  g_test_add_func ("/manual/mini/announced-fingerprint", test_mini_announced_fingerprint);
  g_test_add_func ("/manual/mini/post-retry", test_mini_post_retry);

  fake = fake_process_start ("--cases=4", NULL);
  client = er_client_new (fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  g_assert_no_error (error);
  mini_start ();

  ret = g_test_run ();

  mini_stop ();
  g_clear_pointer (&key, er_private_key_unref);
  g_clear_object (&client);
  g_clear_pointer (&fake, fake_process_stop);

  return ret;
}
