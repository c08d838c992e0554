/* test-prefetch.c: ErPrefetch against the fake platform: what is held, what
 * is dropped, in which order loads start, shared loads and their waiters,
 * cancelled waits, broken photos. The fake's log of photo requests
 * (/_fake/state) tells whether an answer came from memory or the network.
 */
#include "config.h"

#include <gdk/gdk.h>
#include <string.h>

#include "er-client.h"
#include "er-crypto.h"
#include "er-error.h"
#include "er-prefetch.h"
#include "fake-images.h"
#include "fake-process.h"

#define WAIT_SECONDS 20

static FakeProcess *fake;
static ErClient *client;
static ErPrivateKey *key;
static GPtrArray *cases;   /* ErCase, the pending queue, oldest first */

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static ErCase *
case_at (guint index)
{
  g_assert_cmpuint (index, <, cases->len);
  return g_ptr_array_index (cases, index);
}

static const char *
id_at (guint index)
{
  return er_case_get_receipt_id (case_at (index));
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context until condition holds, failing after a deadline. */
static void
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  wait_until (is_set, slot);
  return g_steal_pointer (slot);
}

typedef struct {
  ErPrefetch *prefetch;
  guint       n_held;
} HeldCount;

static gboolean
held_is (gpointer data)
{
  HeldCount *count = data;

  return er_prefetch_get_n_held (count->prefetch) == count->n_held;
}

static void
wait_n_held (ErPrefetch *prefetch,
             guint       n_held)
{
  HeldCount count = { prefetch, n_held };

  wait_until (held_is, &count);
}

static gboolean
nothing_loading (gpointer data)
{
  return er_prefetch_get_n_loading (data) == 0;
}

/* The photo requests the fake platform has seen for receipt_id (NULL: all). */
static guint
count_photo_requests (const char *receipt_id)
{
  static const char * const logs[] = { "storage_requests", "api_photo_requests" };
  g_autoptr(JsonObject) state = fake_process_state (fake);
  guint count = 0;

  for (guint l = 0; l < G_N_ELEMENTS (logs); l++)
    {
      JsonArray *requests = json_object_get_array_member (state, logs[l]);

      for (guint i = 0; i < json_array_get_length (requests); i++)
        {
          JsonObject *r = json_array_get_object_element (requests, i);

          if (receipt_id == NULL ||
              strstr (json_object_get_string_member (r, "path"), receipt_id) != NULL)
            count++;
        }
    }
  return count;
}

static GdkTexture *
load (ErPrefetch   *prefetch,
      ErCase       *kase,
      ErPhotoKind   kind,
      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  er_prefetch_load_async (prefetch, kase, kind, NULL, store_result_cb, &slot);
  /* Never answered inside the call. */
  g_assert_null (slot);
  result = await_result (&slot);
  return er_prefetch_load_finish (prefetch, result, error);
}

static ErPhotoImage *
load_image (ErPrefetch   *prefetch,
            ErCase       *kase,
            ErPhotoKind   kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  ErPhotoImage *image;

  er_prefetch_load_async (prefetch, kase, kind, NULL, store_result_cb, &slot);
  result = await_result (&slot);
  image = er_prefetch_load_image_finish (prefetch, result, &error);
  g_assert_no_error (error);
  return image;
}

static ErPrefetch *
prefetch_new (void)
{
  return er_prefetch_new (client, key);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

/* Three cases kept: six photos held, loaded in the order given, at most
 * ER_PREFETCH_MAX_LOADS at once, each photo requested once. */
static void
test_keep (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  guint before = count_photo_requests (NULL);

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 3);

  /* Both photos of the first two cases start; the third case waits. */
  g_assert_cmpuint (ER_PREFETCH_MAX_LOADS, ==, 4);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (er_prefetch_is_loading (prefetch, id_at (i), ER_PHOTO_USER));
      g_assert_true (er_prefetch_is_loading (prefetch, id_at (i), ER_PHOTO_ID));
    }
  g_assert_false (er_prefetch_is_loading (prefetch, id_at (2), ER_PHOTO_USER));
  g_assert_false (er_prefetch_is_loading (prefetch, id_at (2), ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, 0);

  wait_n_held (prefetch, 6);
  wait_until (nothing_loading, prefetch);

  /* 640 × 480 faces and 1200 × 760 ID cards, 4 bytes a pixel. */
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, 3 * (640 * 480 + 1200 * 760) * 4);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_USER));
      g_assert_true (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_ID));
      g_assert_false (er_prefetch_is_loading (prefetch, id_at (i), ER_PHOTO_USER));
    }
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (3), ER_PHOTO_USER));
  g_assert_cmpuint (count_photo_requests (NULL) - before, ==, 6);

  /* The same list again changes nothing and loads nothing. */
  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 3);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, 0);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 6);
}

/* A held photo comes from memory: the same texture, no request, yet from an
 * idle rather than inside the call. */
static void
test_held (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) again = NULL;
  g_autoptr(GdkTexture) id_card = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 2);
  wait_n_held (prefetch, 4);
  before = count_photo_requests (NULL);

  first = load (prefetch, case_at (0), ER_PHOTO_USER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (first), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (first), ==, 480);
  again = load (prefetch, case_at (0), ER_PHOTO_USER, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  id_card = load (prefetch, case_at (1), ER_PHOTO_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (id_card), ==, 1200);
  g_assert_cmpint (gdk_texture_get_height (id_card), ==, 760);

  g_assert_cmpuint (count_photo_requests (NULL), ==, before);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, 0);
}

/* Another set: the old photos go at once, memory follows, and the textures
 * nobody else holds are freed. */
static void
test_keep_other_set (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(GdkTexture) kept_by_caller = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *dropped = NULL;
  gsize bytes;

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 3);
  wait_n_held (prefetch, 6);
  bytes = er_prefetch_get_held_bytes (prefetch);

  kept_by_caller = load (prefetch, case_at (0), ER_PHOTO_USER, &error);
  g_assert_no_error (error);
  dropped = load (prefetch, case_at (1), ER_PHOTO_ID, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (dropped), (gpointer *) &dropped);
  g_object_unref (dropped);
  g_assert_nonnull (dropped);  /* the cache still holds it */

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 3, 2);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, 0);
  g_assert_null (dropped);
  /* Whoever got a texture keeps it. */
  g_assert_cmpint (gdk_texture_get_width (kept_by_caller), ==, 640);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_USER));
      g_assert_false (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_ID));
    }

  wait_n_held (prefetch, 4);
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, bytes / 3 * 2);
  for (guint i = 3; i < 5; i++)
    {
      g_assert_true (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_USER));
      g_assert_true (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_ID));
    }
  for (guint i = 0; i < 3; i++)
    g_assert_false (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_USER));

  /* Nothing kept: nothing held. */
  er_prefetch_keep (prefetch, NULL, 0);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
}

/* Dropping a case while somebody waits for it: the wait ends CANCELLED. */
static void
test_forget (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GAsyncResult *slot = NULL;

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 5, 2);
  wait_n_held (prefetch, 4);

  er_prefetch_forget (prefetch, id_at (5));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 2);
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (5), ER_PHOTO_USER));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (5), ER_PHOTO_ID));
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (6), ER_PHOTO_ID));
  er_prefetch_forget (prefetch, "no-such-case");  /* harmless */

  /* Asked for while not kept: loads, the case is kept... */
  er_prefetch_load_async (prefetch, case_at (7), ER_PHOTO_ID, NULL, store_result_cb, &slot);
  g_assert_true (er_prefetch_is_loading (prefetch, id_at (7), ER_PHOTO_ID));
  g_assert_true (er_prefetch_is_loading (prefetch, id_at (7), ER_PHOTO_USER));
  /* ...until forgotten. */
  er_prefetch_forget (prefetch, id_at (7));
  g_assert_false (er_prefetch_is_loading (prefetch, id_at (7), ER_PHOTO_ID));
  g_assert_null (slot);
  result = await_result (&slot);
  texture = er_prefetch_load_finish (prefetch, result, &error);
  g_assert_null (texture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The same when keep() no longer lists it. */
  er_prefetch_load_async (prefetch, case_at (8), ER_PHOTO_USER, NULL, store_result_cb, &slot);
  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 6, 1);
  result = await_result (&slot);
  texture = er_prefetch_load_finish (prefetch, result, &error);
  g_assert_null (texture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The cancelled loads stop; no photo of the dropped cases is held. */
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 2);
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (7), ER_PHOTO_ID));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (8), ER_PHOTO_USER));

  er_prefetch_clear (prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (6), ER_PHOTO_ID));
}

/* Two callers wait for one load; one gives up. */
static void
test_cancel_wait (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GAsyncResult) shared_result = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *cancelled_slot = NULL;
  GAsyncResult *shared_slot = NULL;
  const char *receipt_id = id_at (9);
  guint before = count_photo_requests (receipt_id);

  er_prefetch_load_async (prefetch, case_at (9), ER_PHOTO_ID, cancellable,
                          store_result_cb, &cancelled_slot);
  er_prefetch_load_async (prefetch, case_at (9), ER_PHOTO_ID, NULL,
                          store_result_cb, &shared_slot);
  g_cancellable_cancel (cancellable);

  cancelled_result = await_result (&cancelled_slot);
  texture = er_prefetch_load_finish (prefetch, cancelled_result, &error);
  g_assert_null (texture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* The shared load goes on. */
  g_assert_true (er_prefetch_is_loading (prefetch, receipt_id, ER_PHOTO_ID));

  shared_result = await_result (&shared_slot);
  texture = er_prefetch_load_finish (prefetch, shared_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1200);
  g_assert_true (er_prefetch_is_ready (prefetch, receipt_id, ER_PHOTO_ID));

  /* The case became kept: its face is loaded too. One request per photo. */
  wait_n_held (prefetch, 2);
  g_assert_cmpuint (count_photo_requests (receipt_id) - before, ==, 2);

  /* Already cancelled: CANCELLED, even for a held photo, and nothing starts. */
  {
    g_autoptr(GCancellable) gone = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GdkTexture) none = NULL;
    GAsyncResult *slot = NULL;

    g_cancellable_cancel (gone);
    er_prefetch_load_async (prefetch, case_at (9), ER_PHOTO_ID, gone, store_result_cb, &slot);
    g_assert_null (slot);
    result = await_result (&slot);
    none = er_prefetch_load_finish (prefetch, result, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);

    er_prefetch_load_async (prefetch, case_at (10), ER_PHOTO_ID, gone, store_result_cb, &slot);
    g_assert_false (er_prefetch_is_loading (prefetch, id_at (10), ER_PHOTO_ID));
    g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, 0);
    result = await_result (&slot);
    none = er_prefetch_load_finish (prefetch, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_assert_true (er_prefetch_is_ready (prefetch, receipt_id, ER_PHOTO_ID));
}

/* A case whose face is an iPhone HEIC (sent by e-mail) beside a good ID. */
static ErCase *
create_broken_case (void)
{
  static const char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic\0\0\x01\0meta";
  g_autofree char *pem = er_private_key_get_public_pem (key);
  g_autoptr(ErPublicKey) public_key = NULL;
  g_autoptr(GBytes) face = g_bytes_new_static (heic, sizeof heic - 1);
  g_autoptr(GBytes) card = fake_image_id_card ("François Côté", 5, 320, 200, FAKE_IMAGE_JPEG, 1);
  g_autofree char *face_data = NULL, *face_key = NULL, *card_data = NULL, *card_key = NULL;
  g_autofree char *idempotency_key = er_client_new_idempotency_key ();
  g_autofree char *message_id = g_strdup_printf ("<%s@mail.example.org>", idempotency_key);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  ErManualCase request = { 0 };
  ErCase *kase;

  public_key = er_public_key_new_from_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  g_assert_true (er_crypto_encrypt_photo (public_key, face, &face_data, &face_key, &error));
  g_assert_true (er_crypto_encrypt_photo (public_key, card, &card_data, &card_key, &error));
  g_assert_no_error (error);

  /* An order of the fake platform without a case. */
  er_client_get_order_async (client, "EDU-2026-004211", NULL, store_result_cb, &slot);
  result = await_result (&slot);
  order = er_client_get_order_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  request.invoice_number = "EDU-2026-004211";
  request.username = er_order_get_username (order);
  request.message_id = message_id;
  request.user_photo_data = face_data;
  request.user_photo_key = face_key;
  request.photo_id_data = card_data;
  request.photo_id_key = card_key;
  er_client_create_manual_case_async (client, &request, idempotency_key, NULL,
                                      store_result_cb, &slot);
  result = await_result (&slot);
  kase = er_client_create_manual_case_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  return kase;
}

/* A photo that does not load: the error reaches the caller, nothing is
 * held, keep() does not insist, load_async() tries again. */
static void
test_broken (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(ErCase) broken = create_broken_case ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  const char *receipt_id = er_case_get_receipt_id (broken);
  guint before = count_photo_requests (receipt_id);

  er_prefetch_keep (prefetch, &broken, 1);
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (count_photo_requests (receipt_id) - before, ==, 2);
  g_assert_false (er_prefetch_is_ready (prefetch, receipt_id, ER_PHOTO_USER));
  g_assert_true (er_prefetch_is_ready (prefetch, receipt_id, ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 1);

  /* Kept again: the failure is not retried in a loop. */
  er_prefetch_keep (prefetch, &broken, 1);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, 0);
  g_assert_false (er_prefetch_is_loading (prefetch, receipt_id, ER_PHOTO_USER));

  /* Asked for: loaded again, and the error says what is wrong. */
  texture = load (prefetch, broken, ER_PHOTO_USER, &error);
  g_assert_null (texture);
  g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
  g_assert_nonnull (strstr (error->message, "HEIC"));
  g_clear_error (&error);
  g_assert_false (er_prefetch_is_ready (prefetch, receipt_id, ER_PHOTO_USER));
  g_assert_cmpuint (count_photo_requests (receipt_id) - before, ==, 3);

  /* The failure is not remembered as such: asked again, loaded again. */
  texture = load (prefetch, broken, ER_PHOTO_USER, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT);
  g_clear_error (&error);
  g_assert_cmpuint (count_photo_requests (receipt_id) - before, ==, 4);

  /* Dropped, then kept again: prefetched again. */
  er_prefetch_keep (prefetch, NULL, 0);
  er_prefetch_keep (prefetch, &broken, 1);
  g_assert_true (er_prefetch_is_loading (prefetch, receipt_id, ER_PHOTO_USER));
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 1);

  /* A reference to nothing: the client's error comes through, the other
   * photo is held. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *json = g_strdup_printf (
      "{\"receipt_id\":\"bogus-0001\",\"source\":\"webcam\",\"status\":\"pending\","
      "\"submitted_at\":\"2026-01-05T10:00:00Z\",\"expected_name\":\"Nobody\","
      "\"user_photo\":{\"url\":\"/api/review/v1/photos/user_photo/bogus-0001\",\"key\":null},"
      "\"photo_id\":%s}",
      "{\"url\":\"/api/review/v1/photos/photo_id/no-such-case\",\"key\":null}");
    g_autoptr(ErCase) bogus = NULL;

    json_parser_load_from_data (parser, json, -1, &error);
    g_assert_no_error (error);
    bogus = er_case_new_from_json (json_parser_get_root (parser), &error);
    g_assert_no_error (error);

    texture = load (prefetch, bogus, ER_PHOTO_ID, &error);
    g_assert_null (texture);
    g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
    g_clear_error (&error);
    wait_until (nothing_loading, prefetch);
    g_assert_false (er_prefetch_is_ready (prefetch, "bogus-0001", ER_PHOTO_ID));
    g_assert_false (er_prefetch_is_ready (prefetch, "bogus-0001", ER_PHOTO_USER));
    g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 1);
  }
}

/* Without the key, encrypted photos fail without a download. */
static void
test_no_key (void)
{
  g_autoptr(ErPrefetch) prefetch = er_prefetch_new (client, NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guint before = count_photo_requests (NULL);
  guint encrypted = 0;

  /* The fake serves one case in eight in clear. */
  while (er_photo_ref_for (case_at (encrypted), ER_PHOTO_ID)->key == NULL)
    encrypted++;

  texture = load (prefetch, case_at (encrypted), ER_PHOTO_ID, &error);
  g_assert_null (texture);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (count_photo_requests (NULL), ==, before);
}

/* Dropping the last reference cancels what is under way. */
static void
test_dispose (void)
{
  ErPrefetch *prefetch = prefetch_new ();
  g_autoptr(ErPrefetch) next = NULL;

  g_object_add_weak_pointer (G_OBJECT (prefetch), (gpointer *) &prefetch);
  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 4);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), ==, ER_PREFETCH_MAX_LOADS);
  g_object_unref (prefetch);
  g_assert_null (prefetch);

  /* The cancelled loads call back into nothing while a new one works. */
  next = prefetch_new ();
  er_prefetch_keep (next, (ErCase **) cases->pdata, 1);
  wait_n_held (next, 2);
}

/* The fake's photos of every case: a 640×480 PNG and a 1200×760 JPEG. */
#define ONE_CASE ((guint64) (640 * 480 + 1200 * 760) * 4)

static void
count_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* Loading ahead stops before the budget; the open case loads whatever. */
static void
test_budget (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  guint notified = 0;
  guint64 held = 0;

  g_assert_cmpuint (er_prefetch_get_budget (prefetch), ==, ER_PREFETCH_DEFAULT_BUDGET);
  g_signal_connect (prefetch, "notify::held-bytes", G_CALLBACK (count_notify_cb), &notified);

  /* No room at all: only the open case. */
  er_prefetch_set_budget (prefetch, 1);
  er_prefetch_keep (prefetch, (ErCase **) cases->pdata, 4);
  wait_until (nothing_loading, prefetch);
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (0), ER_PHOTO_USER));
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (0), ER_PHOTO_ID));
  for (guint i = 1; i < 4; i++)
    {
      g_assert_false (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_USER));
      g_assert_false (er_prefetch_is_ready (prefetch, id_at (i), ER_PHOTO_ID));
    }
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, ONE_CASE);
  g_object_get (prefetch, "held-bytes", &held, NULL);
  g_assert_cmpuint (held, ==, ONE_CASE);
  g_assert_cmpuint (notified, >, 0);

  /* Room for two cases: the next one loads, and no more. */
  er_prefetch_set_budget (prefetch, 2 * ONE_CASE);
  wait_until (nothing_loading, prefetch);
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (1), ER_PHOTO_USER));
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (1), ER_PHOTO_ID));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (2), ER_PHOTO_USER));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (2), ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), <=, 2 * ONE_CASE);

  /* Less again: what is ahead goes, the open case stays. */
  er_prefetch_set_budget (prefetch, ONE_CASE);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 2);
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (0), ER_PHOTO_ID));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (1), ER_PHOTO_USER));
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, ONE_CASE);

  /* The case asked for loads, past the budget. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = load (prefetch, case_at (3), ER_PHOTO_ID, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 1200);
  }
}

/* Photos are decoded for the target size: the 1200×760 JPEG at 1/4 for
 * 300 pixels; the full decode (a viewer zoomed in) grows what the open
 * case holds, and the photos held ahead make room. */
static void
test_target_size (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(ErPhotoImage) image = NULL;
  GdkTexture *texture;

  g_assert_cmpint (er_prefetch_get_target_size (prefetch), ==, ER_PHOTO_DEFAULT_TARGET);
  g_object_set (prefetch, "target-size", 300, NULL);
  g_assert_cmpint (er_prefetch_get_target_size (prefetch), ==, 300);

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 4, 2);
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 4);
  image = load_image (prefetch, case_at (4), ER_PHOTO_ID);
  texture = er_photo_image_get_texture (image);
  g_assert_cmpint (er_photo_image_get_width (image), ==, 1200);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 300);
  g_assert_false (er_photo_image_get_final (image));
  /* The texture of the same image, for whoever wants only that. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) same = load (prefetch, case_at (4), ER_PHOTO_ID, &error);

    g_assert_true (same == er_photo_image_get_texture (image));
  }

  /* Everything fits exactly; then the open case's ID at full size. */
  er_prefetch_set_budget (prefetch, er_prefetch_get_held_bytes (prefetch));
  er_photo_image_load_full (image);
  while (!er_photo_image_get_final (image))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 1200);
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (4), ER_PHOTO_ID));
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (4), ER_PHOTO_USER));
  g_assert_false (er_prefetch_is_ready (prefetch, id_at (5), ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, ONE_CASE);
}

/* Before the panes are laid out (target-size 0), the open case loads for
 * the default size and nothing loads ahead; once the size is known, the
 * cases ahead load for it. */
static void
test_target_unknown (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(ErPhotoImage) image = NULL;

  g_object_set (prefetch, "target-size", 0, NULL);
  g_assert_cmpint (er_prefetch_get_target_size (prefetch), ==, ER_PHOTO_DEFAULT_TARGET);
  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 6, 3);
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 2);
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (6), ER_PHOTO_USER));
  g_assert_true (er_prefetch_is_ready (prefetch, id_at (6), ER_PHOTO_ID));
  g_assert_false (er_prefetch_is_loading (prefetch, id_at (7), ER_PHOTO_USER));
  /* The 1200×760 JPEG for 1024 pixels: whole. */
  image = load_image (prefetch, case_at (6), ER_PHOTO_ID);
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 1200);

  /* Laid out: the two cases ahead load, the JPEG at 1/4 for 300 pixels. */
  er_prefetch_set_target_size (prefetch, 300);
  g_assert_cmpuint (er_prefetch_get_n_loading (prefetch), >, 0);
  wait_until (nothing_loading, prefetch);
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 6);
  g_clear_object (&image);
  image = load_image (prefetch, case_at (8), ER_PHOTO_ID);
  g_assert_cmpint (gdk_texture_get_width (er_photo_image_get_texture (image)), ==, 300);
}

typedef struct {
  ErPhotoImage *image;
  int           width;
  int           height;
} FittedWait;

static gboolean
fitted_is (gpointer data)
{
  FittedWait *wait = data;
  GdkTexture *fitted = er_photo_image_get_fitted (wait->image, wait->width, wait->height);

  return fitted != NULL && gdk_texture_get_width (fitted) == wait->width &&
         gdk_texture_get_height (fitted) == wait->height;
}

static void
wait_fitted (ErPhotoImage *image,
             int           width,
             int           height)
{
  FittedWait wait = { image, width, height };

  wait_until (fitted_is, &wait);
}

/* Each photo held gets its copy fitted to its kind's pane, once that is
 * known: the 1200×760 ID in a pane of 454×369 is 454×288; a face of
 * 640×480 in 454×300 is 400×300. A pane a few pixels different keeps the
 * copies; another size makes them again. */
static void
test_photo_box (void)
{
  g_autoptr(ErPrefetch) prefetch = prefetch_new ();
  g_autoptr(ErPhotoImage) id = NULL;
  g_autoptr(ErPhotoImage) user = NULL;
  g_autoptr(ErPhotoImage) id_ahead = NULL;
  g_autoptr(ErPhotoImage) user_ahead = NULL;
  GdkRectangle box = { 0, 0, 454, 369 };
  GdkRectangle *read = NULL;
  GdkTexture *fitted;
  gsize held;

  g_object_set (prefetch, "target-size", 600, "id-photo-box", &box, NULL);
  g_object_get (prefetch, "id-photo-box", &read, NULL);
  g_assert_cmpint (read->width, ==, 454);
  g_assert_cmpint (read->height, ==, 369);
  g_clear_pointer (&read, g_free);

  er_prefetch_keep (prefetch, (ErCase **) cases->pdata + 9, 2);
  wait_until (nothing_loading, prefetch);
  id = load_image (prefetch, case_at (9), ER_PHOTO_ID);
  id_ahead = load_image (prefetch, case_at (10), ER_PHOTO_ID);
  user = load_image (prefetch, case_at (9), ER_PHOTO_USER);
  user_ahead = load_image (prefetch, case_at (10), ER_PHOTO_USER);
  wait_fitted (id, 454, 288);
  wait_fitted (id_ahead, 454, 288);
  g_assert_null (er_photo_image_get_fitted (user, 454, 340));
  held = er_prefetch_get_held_bytes (prefetch);

  /* The faces' pane now. */
  box.height = 300;
  er_prefetch_set_photo_box (prefetch, ER_PHOTO_USER, &box);
  /* Both faces' copies are made in worker threads: wait for both. */
  wait_fitted (user, 400, 300);
  wait_fitted (user_ahead, 400, 300);
  g_assert_cmpuint (er_prefetch_get_held_bytes (prefetch), ==, held + 400 * 300 * 4 * 2);

  /* A pane a few pixels shorter: the same copies. */
  fitted = er_photo_image_get_fitted (id, 454, 288);
  box.height = 360;
  er_prefetch_set_photo_box (prefetch, ER_PHOTO_ID, &box);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (er_photo_image_get_fitted (id, 454, 288) == fitted);

  /* Another size: made again, for both cases held. */
  box.width = 300;
  box.height = 300;
  er_prefetch_set_photo_box (prefetch, ER_PHOTO_ID, &box);
  wait_fitted (id, 300, 190);
  wait_fitted (id_ahead, 300, 190);
  g_assert_null (er_photo_image_get_fitted (id, 454, 288));

  /* Unknown again: the copies made stay, nothing more is made. */
  er_prefetch_set_photo_box (prefetch, ER_PHOTO_ID, NULL);
  g_assert_nonnull (er_photo_image_get_fitted (id, 300, 190));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prefetch/keep", test_keep);
  g_test_add_func ("/prefetch/held", test_held);
  g_test_add_func ("/prefetch/keep-other-set", test_keep_other_set);
  g_test_add_func ("/prefetch/forget", test_forget);
  g_test_add_func ("/prefetch/cancel-wait", test_cancel_wait);
  g_test_add_func ("/prefetch/broken", test_broken);
  g_test_add_func ("/prefetch/no-key", test_no_key);
  g_test_add_func ("/prefetch/dispose", test_dispose);
  g_test_add_func ("/prefetch/budget", test_budget);
  g_test_add_func ("/prefetch/target-size", test_target_size);
  g_test_add_func ("/prefetch/target-unknown", test_target_unknown);
  g_test_add_func ("/prefetch/photo-box", test_photo_box);

  fake = fake_process_start ("--cases=12", "--seed=3", NULL);
  client = er_client_new (fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  g_assert_no_error (error);

  {
    ErCaseQuery query = { .limit = 50 };
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(ErPage) page = NULL;
    GAsyncResult *slot = NULL;
    GListModel *items;

    er_client_list_cases_async (client, &query, NULL, store_result_cb, &slot);
    result = await_result (&slot);
    page = er_client_list_cases_finish (client, result, &error);
    g_assert_no_error (error);
    items = G_LIST_MODEL (page->items);
    cases = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = 0; i < g_list_model_get_n_items (items); i++)
      g_ptr_array_add (cases, g_list_model_get_item (items, i));
    g_assert_cmpuint (cases->len, ==, 12);
  }

  ret = g_test_run ();

  g_clear_pointer (&cases, g_ptr_array_unref);
  g_clear_pointer (&key, er_private_key_unref);
  g_clear_object (&client);
  g_clear_pointer (&fake, fake_process_stop);
  return ret;
}
