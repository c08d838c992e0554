/* test-client.c: ErClient against the fake platform, and against a tiny
 * in-test server for the answers the fake platform never gives (broken
 * bodies, 5xx, 429, redirects to another origin, oversized photos).
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "er-client.h"
#include "er-crypto.h"
#include "er-error.h"
#include "fake-images.h"
#include "fake-process.h"
#include "test-async.h"

#define PHOTO_MAX (25 * 1024 * 1024)

static FakeProcess *fake;
static ErClient *client;        /* agent.lavoie on the fake platform */
static GPtrArray *pending_ids;  /* pending receipt ids, oldest first, at start */

/* Waiting for results */

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  test_async_wait (slot);
  return g_steal_pointer (slot);
}

static ErClient *
client_new (const char *server,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  ErClient *ret = er_client_new (server, token, &error);

  g_assert_no_error (error);
  /* These tests look at each answer as it comes: one attempt, no retries
   * (test-client-retry.c tests those). */
  er_client_set_max_retries (ret, 0);
  g_assert_nonnull (ret);
  return ret;
}

static ErAgent *
get_me (ErClient  *c,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_get_me_async (c, NULL, test_async_store, &result);
  return er_client_get_me_finish (c, test_async_wait (&result), error);
}

static ErPage *
list_cases (ErClient           *c,
            const ErCaseQuery  *query,
            GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_list_cases_async (c, query, NULL, test_async_store, &result);
  return er_client_list_cases_finish (c, test_async_wait (&result), error);
}

static ErPage *
list_decisions (const ErDecisionQuery  *query,
                GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_list_decisions_async (client, query, NULL, test_async_store, &result);
  return er_client_list_decisions_finish (client, test_async_wait (&result), error);
}

static ErCase *
get_case (const char  *receipt_id,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_get_case_async (client, receipt_id, NULL, test_async_store, &result);
  return er_client_get_case_finish (client, test_async_wait (&result), error);
}

static ErCase *
claim (const char  *receipt_id,
       ErConflict **conflict,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_claim_async (client, receipt_id, NULL, test_async_store, &result);
  return er_client_claim_finish (client, test_async_wait (&result), conflict, error);
}

static gboolean
release (const char  *receipt_id,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_release_async (client, receipt_id, NULL, test_async_store, &result);
  return er_client_release_finish (client, test_async_wait (&result), error);
}

static ErDecision *
decide (const char       *receipt_id,
        gboolean          approved,
        const ErReasons  *reasons,
        const char       *key,
        ErConflict      **conflict,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_decide_async (client, receipt_id, approved, reasons, key, NULL, test_async_store, &result);
  return er_client_decide_finish (client, test_async_wait (&result), conflict, error);
}

static ErOrder *
get_order (const char  *invoice,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_get_order_async (client, invoice, NULL, test_async_store, &result);
  return er_client_get_order_finish (client, test_async_wait (&result), error);
}

static gboolean
get_key (char   **pem,
         char   **fingerprint,
         GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_get_verification_key_async (client, NULL, test_async_store, &result);
  return er_client_get_verification_key_finish (client, test_async_wait (&result), pem, fingerprint, error);
}

static ErCase *
create_manual_case (const ErManualCase  *request,
                    const char          *key,
                    gboolean            *existing,
                    GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_create_manual_case_async (client, request, key, NULL, test_async_store, &result);
  return er_client_create_manual_case_finish (client, test_async_wait (&result), existing, error);
}

static GBytes *
fetch_photo (ErClient    *c,
             const char  *url,
             gsize        max_bytes,
             char       **content_type,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_fetch_photo_async (c, url, max_bytes, NULL, test_async_store, &result);
  return er_client_fetch_photo_finish (c, test_async_wait (&result), content_type, error);
}

static const char *
pending_id (guint index)
{
  g_assert_cmpuint (index, <, pending_ids->len);
  return g_ptr_array_index (pending_ids, index);
}

static JsonObject *
find_recorded_decision (JsonObject *state,
                        const char *receipt_id)
{
  JsonArray *decisions = json_object_get_array_member (state, "decisions");
  JsonObject *found = NULL;
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);

      if (g_strcmp0 (json_object_get_string_member (d, "receipt_id"), receipt_id) == 0)
        {
          found = d;
          n++;
        }
    }

  g_assert_cmpuint (n, ==, 1);
  return found;
}

static void
assert_json_equal (JsonNode   *node,
                   const char *expected_text)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_text, NULL);

  g_assert_nonnull (expected);
  if (!json_node_equal (node, expected))
    {
      g_autofree char *got = json_to_string (node, FALSE);
      g_error ("JSON differs:\n got:      %s\n expected: %s", got, expected_text);
    }
}

/* Server addresses, without network */

static void
test_url_rules (void)
{
  static const char *refused[] = {
    "http://example.org",
    "http://10.0.0.1:8000",
    "http://localhost.example.org",
    "ftp://verify.example.org",
    "verify.example.org",
    "not a url",
    "https://",
    "https://verify.example.org/api",
    "https://verify.example.org/api/review/v1/",
    "https://user:secret@verify.example.org",
    "https://verify.example.org/?x=1",
    "https://verify.example.org/#top",
    "",
  };
  static const struct { const char *in; const char *out; } accepted[] = {
    { "https://verify.example.org", "https://verify.example.org" },
    { "https://verify.example.org/", "https://verify.example.org" },
    { "https://Verify.Example.ORG:8443", "https://verify.example.org:8443" },
    { "https://verify.example.org:443/", "https://verify.example.org" },
    { "http://127.0.0.1:8000", "http://127.0.0.1:8000" },
    { "http://127.0.0.5", "http://127.0.0.5" },
    { "http://localhost:8080/", "http://localhost:8080" },
    { "http://[::1]:8000", "http://[::1]:8000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ErClient) c = er_client_new (refused[i], "token", &error);

      g_test_message ("refused: %s", refused[i]);
      g_assert_null (c);
      g_assert_error (error, ER_ERROR, ER_ERROR_INSECURE_URL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(ErClient) c = NULL;

      g_test_message ("accepted: %s", accepted[i].in);
      c = client_new (accepted[i].in, "token");
      g_assert_cmpstr (er_client_get_server (c), ==, accepted[i].out);
    }

  /* The token */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ErClient) c = er_client_new ("https://verify.example.org", "", &error);

    g_assert_null (c);
    g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ErClient) c = er_client_new ("https://verify.example.org", "abc\r\nX-Evil: 1", &error);

    g_assert_null (c);
    g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
  }
}

static void
test_url_origin (void)
{
  g_autoptr(ErClient) c = client_new ("https://verify.example.org", "token");
  g_autoptr(ErClient) local = client_new ("http://127.0.0.1:8000", "token");

  g_assert_true (er_client_is_server_origin (c, "https://verify.example.org/api/review/v1/me"));
  g_assert_true (er_client_is_server_origin (c, "https://VERIFY.example.org:443/x?y=z"));
  g_assert_false (er_client_is_server_origin (c, "http://verify.example.org/x"));
  g_assert_false (er_client_is_server_origin (c, "https://verify.example.org:8443/x"));
  g_assert_false (er_client_is_server_origin (c, "https://storage.example.org/x"));
  g_assert_false (er_client_is_server_origin (c, "https://verify.example.org.evil.example/x"));
  g_assert_false (er_client_is_server_origin (c, "/api/review/v1/me"));
  g_assert_false (er_client_is_server_origin (c, "not a url"));
  g_assert_false (er_client_is_server_origin (c, NULL));

  g_assert_true (er_client_is_server_origin (local, "http://127.0.0.1:8000/photos"));
  g_assert_false (er_client_is_server_origin (local, "http://127.0.0.1:8001/photos"));
  g_assert_false (er_client_is_server_origin (local, "http://localhost:8000/photos"));
}

static void
test_idempotency_key (void)
{
  g_autofree char *a = er_client_new_idempotency_key ();
  g_autofree char *b = er_client_new_idempotency_key ();

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_true (g_uuid_string_is_valid (b));
  g_assert_cmpuint (strlen (a), ==, 36);
  g_assert_cmpstr (a, !=, b);
}

/* Against the fake platform */

static void
test_me (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = get_me (client, &error);
  g_autoptr(ErClient) bad = client_new (fake->api_url, "not-a-token");
  g_autoptr(ErAgent) nobody = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (er_agent_get_username (agent), ==, "agent.lavoie");
  g_assert_cmpstr (er_agent_get_full_name (agent), ==, "Sophie Lavoie");
  g_assert_true (er_agent_has_permission (agent, "review"));
  g_assert_true (er_agent_has_permission (agent, "manual_cases"));
  g_assert_false (er_agent_has_permission (agent, "supervise"));

  nobody = get_me (bad, &error);
  g_assert_null (nobody);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
}

static void
test_cases_paging (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) previous = NULL;
  g_autofree char *cursor = NULL;
  guint total = 0;
  guint count = 0;
  guint pages = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      ErCaseQuery query = { .limit = 7, .cursor = cursor };
      g_autoptr(ErPage) page = list_cases (client, &query, &error);
      guint n;

      g_assert_no_error (error);
      g_assert_false (page->not_modified);
      n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
      g_assert_cmpuint (n, <=, 7);
      g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (page->items)) == ER_TYPE_CASE);
      if (pages == 0)
        count = page->count;
      g_assert_cmpuint (page->count, ==, count);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ErCase) item = g_list_model_get_item (G_LIST_MODEL (page->items), i);

          g_assert_cmpint (er_case_get_status (item), ==, ER_CASE_STATUS_PENDING);
          g_assert_true (g_hash_table_add (seen, g_strdup (er_case_get_receipt_id (item))));
          if (previous != NULL)
            g_assert_cmpint (g_date_time_compare (previous, er_case_get_submitted_at (item)), <=, 0);
          g_clear_pointer (&previous, g_date_time_unref);
          previous = g_date_time_ref (er_case_get_submitted_at (item));
          total++;
        }

      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      pages++;
      g_assert_cmpuint (pages, <, 20);
    }
  while (cursor != NULL);

  g_assert_cmpuint (count, ==, 30);
  g_assert_cmpuint (total, ==, count);
  g_assert_cmpuint (pages, ==, 5);

  /* newest first: the first item is the last one above */
  {
    g_autoptr(GError) error = NULL;
    ErCaseQuery query = { .newest_first = TRUE, .limit = 1 };
    g_autoptr(ErPage) page = list_cases (client, &query, &error);
    g_autoptr(ErCase) first = NULL;

    g_assert_no_error (error);
    first = g_list_model_get_item (G_LIST_MODEL (page->items), 0);
    g_assert_true (g_date_time_equal (er_case_get_submitted_at (first), previous));
    g_assert_nonnull (page->next_cursor);
  }
}

static void
test_cases_filter (void)
{
  const char *sources[] = { "webcam", "email" };
  guint sum = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(GError) error = NULL;
      ErCaseQuery query = { .source = sources[s], .limit = 200 };
      g_autoptr(ErPage) page = list_cases (client, &query, &error);
      guint n;

      g_assert_no_error (error);
      n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
      g_assert_cmpuint (n, ==, page->count);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ErCase) item = g_list_model_get_item (G_LIST_MODEL (page->items), i);
          g_assert_cmpstr (er_case_source_to_string (er_case_get_source (item)), ==, sources[s]);
        }
      sum += n;
    }
  g_assert_cmpuint (sum, ==, 30);

  /* q: by receipt id, and by name */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ErCase) target = get_case (pending_id (10), &error);
    ErCaseQuery by_id = { .q = pending_id (10) };
    ErCaseQuery by_name = { .q = NULL, .limit = 200 };
    g_autoptr(ErPage) page = NULL;
    gboolean found = FALSE;

    g_assert_no_error (error);
    page = list_cases (client, &by_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->count, ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->items)), ==, 1);
    g_clear_pointer (&page, er_page_free);

    /* A name with spaces and accents goes through percent-encoding. */
    by_name.q = er_case_get_expected_name (target);
    page = list_cases (client, &by_name, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->count, >=, 1);
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
      {
        g_autoptr(ErCase) item = g_list_model_get_item (G_LIST_MODEL (page->items), i);
        found |= g_str_equal (er_case_get_receipt_id (item), pending_id (10));
      }
    g_assert_true (found);
    g_clear_pointer (&page, er_page_free);

    /* Search text full of URL syntax is sent as text, not as more parameters. */
    by_name.q = "nobody&status=approved#?/+%";
    page = list_cases (client, &by_name, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->count, ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->items)), ==, 0);
  }
}

static void
test_cases_etag (void)
{
  g_autoptr(GError) error = NULL;
  ErCaseQuery query = { .limit = 5 };
  g_autoptr(ErPage) first = list_cases (client, &query, &error);
  g_autoptr(ErPage) second = NULL;
  g_autoptr(ErPage) copy = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (first->etag);

  query.if_none_match = first->etag;
  second = list_cases (client, &query, &error);
  g_assert_no_error (error);
  g_assert_true (second->not_modified);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (second->items)), ==, 0);
  g_assert_cmpstr (second->etag, ==, first->etag);

  /* A stale ETag gets a full page. */
  {
    g_autoptr(ErPage) third = NULL;

    query.if_none_match = "\"stale\"";
    third = list_cases (client, &query, &error);
    g_assert_no_error (error);
    g_assert_false (third->not_modified);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (third->items)), ==, 5);
  }

  /* The boxed copy */
  copy = g_boxed_copy (ER_TYPE_PAGE, first);
  g_assert_cmpstr (copy->etag, ==, first->etag);
  g_assert_cmpuint (copy->count, ==, first->count);
  g_assert_true (copy->items == first->items);
}

static void
test_cases_bad_limit (void)
{
  g_autoptr(GError) error = NULL;
  ErCaseQuery query = { .limit = 999 };
  g_autoptr(ErPage) page = list_cases (client, &query, &error);

  g_assert_null (page);
  g_assert_error (error, ER_ERROR, ER_ERROR_BAD_REQUEST);
}

static void
test_case_get (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) item = get_case (pending_id (11), &error);
  g_autoptr(ErCase) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (er_case_get_receipt_id (item), ==, pending_id (11));
  g_assert_nonnull (er_case_get_user_photo (item));
  g_assert_nonnull (er_case_get_photo_id (item));

  missing = get_case ("00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (missing);
  g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A receipt id with a slash stays one path segment. */
  missing = get_case ("../me", &error);
  g_assert_null (missing);
  g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
}

static void
test_claim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(ErCase) mine = claim (pending_id (0), &conflict, &error);
  g_autoptr(ErCase) theirs = NULL;
  g_autoptr(ErCase) after = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_assert_null (conflict);
  g_assert_cmpstr (er_case_get_claimed_by (mine), ==, "agent.lavoie");
  g_assert_nonnull (er_case_get_claim_expires_at (mine));

  /* Posting again renews it. */
  g_clear_object (&mine);
  mine = claim (pending_id (0), &conflict, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_case_get_claimed_by (mine), ==, "agent.lavoie");

  /* A colleague holds the next one. */
  path = g_strdup_printf ("/_fake/cases/%s/claim", pending_id (1));
  g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\"}"), ==, 200);

  theirs = claim (pending_id (1), &conflict, &error);
  g_assert_null (theirs);
  g_assert_error (error, ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER);
  g_assert_nonnull (conflict);
  g_assert_cmpstr (conflict->claimed_by, ==, "agent.roy");
  g_assert_nonnull (conflict->expires_at);
  g_assert_null (conflict->decision);
  g_assert_nonnull (strstr (error->message, "agent.roy"));

  /* The boxed copy */
  {
    g_autoptr(ErConflict) copy = g_boxed_copy (ER_TYPE_CONFLICT, conflict);

    g_assert_cmpstr (copy->claimed_by, ==, "agent.roy");
    g_assert_true (g_date_time_equal (copy->expires_at, conflict->expires_at));
  }
  g_clear_error (&error);

  /* Release: 204, also when there is nothing to release. */
  g_assert_true (release (pending_id (0), &error));
  g_assert_no_error (error);
  g_assert_true (release (pending_id (0), &error));
  g_assert_no_error (error);

  after = get_case (pending_id (0), &error);
  g_assert_no_error (error);
  g_assert_null (er_case_get_claimed_by (after));
}

static void
test_decide_pass (void)
{
  const char *id = pending_id (2);
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(ErCase) claimed = claim (id, NULL, &error);
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErDecision) again = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(ErCase) after = NULL;
  JsonObject *recorded;

  g_assert_no_error (error);

  decision = decide (id, TRUE, NULL, key, &conflict, &error);
  g_assert_no_error (error);
  g_assert_null (conflict);
  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, id);
  g_assert_true (er_decision_get_approved (decision));
  g_assert_cmpstr (er_decision_get_decided_by (decision), ==, "agent.lavoie");

  state = fake_process_state (fake);
  recorded = find_recorded_decision (state, id);
  g_assert_cmpstr (json_object_get_string_member (recorded, "idempotency_key"), ==, key);
  expected = g_strdup_printf ("{\"EdX-ID\": \"%s\", \"Result\": \"PASS\", \"Reason\": \"\", "
                              "\"MessageType\": \"\"}", id);
  assert_json_equal (json_object_get_member (recorded, "body"), expected);

  /* The same request again: the first answer, nothing new recorded. */
  again = decide (id, TRUE, NULL, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (er_decision_get_approved (again));
  g_assert_true (g_date_time_equal (er_decision_get_decided_at (again),
                                    er_decision_get_decided_at (decision)));
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);

  after = get_case (id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (er_case_get_status (after), ==, ER_CASE_STATUS_APPROVED);
}

static void
test_decide_fail (void)
{
  const char *id = pending_id (3);
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autofree char *expected = NULL;
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(ErCase) after = NULL;
  JsonObject *recorded;

  /* Added out of order: the body must list the groups in the contract's order. */
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Face out of view");

  decision = decide (id, FALSE, reasons, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (er_decision_get_approved (decision));
  g_assert_cmpstrv (er_reasons_get (er_decision_get_reasons (decision), ER_REASON_GROUP_PHOTO_ID),
                    ((const char * const[]) { "Text not clear", NULL }));

  state = fake_process_state (fake);
  recorded = find_recorded_decision (state, id);
  g_assert_cmpstr (json_object_get_string_member (recorded, "idempotency_key"), ==, key);
  expected = g_strdup_printf ("{\"EdX-ID\": \"%s\", \"Result\": \"FAIL\", \"Reason\": ["
                              "{\"userPhotoReasons\": [\"Face out of view\"]}, "
                              "{\"photoIdReasons\": [\"Text not clear\"]}, "
                              "{\"generalReasons\": [\"Name mismatch\"]}], "
                              "\"MessageType\": \"\"}", id);
  assert_json_equal (json_object_get_member (recorded, "body"), expected);

  after = get_case (id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (er_case_get_status (after), ==, ER_CASE_STATUS_DENIED);
}

static void
test_decide_idempotency_mismatch (void)
{
  const char *id = pending_id (4);
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) first = NULL;
  g_autoptr(ErDecision) second = NULL;

  first = decide (id, TRUE, NULL, key, NULL, &error);
  g_assert_no_error (error);

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Invalid Id");
  second = decide (id, FALSE, reasons, key, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, ER_ERROR, ER_ERROR_IDEMPOTENCY_MISMATCH);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
}

static void
test_decide_already_decided (void)
{
  const char *id = pending_id (5);
  g_autofree char *path = g_strdup_printf ("/_fake/cases/%s/decision", id);
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErCase) claimed = NULL;

  g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\", \"Result\": \"PASS\"}"), ==, 200);

  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Photo/ID Photo mismatch");
  decision = decide (id, FALSE, reasons, key, &conflict, &error);
  g_assert_null (decision);
  g_assert_error (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED);
  g_assert_nonnull (conflict);
  g_assert_nonnull (conflict->decision);
  g_assert_cmpstr (er_decision_get_decided_by (conflict->decision), ==, "agent.roy");
  g_assert_true (er_decision_get_approved (conflict->decision));
  g_clear_error (&error);
  g_clear_pointer (&conflict, er_conflict_free);

  /* Claiming a decided case says so too. */
  claimed = claim (id, &conflict, &error);
  g_assert_null (claimed);
  g_assert_error (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED);
  g_assert_nonnull (conflict);
  g_assert_nonnull (conflict->decision);
}

static void
test_decide_invalid_reason (void)
{
  const char *id = pending_id (6);
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(ErReasons) empty = er_reasons_new ();
  g_autoptr(ErReasons) made_up = er_reasons_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;

  decision = decide (id, FALSE, empty, key, NULL, &error);
  g_assert_null (decision);
  g_assert_error (error, ER_ERROR, ER_ERROR_INVALID_REASON);
  g_clear_error (&error);

  decision = decide (id, FALSE, NULL, key, NULL, &error);
  g_assert_null (decision);
  g_assert_error (error, ER_ERROR, ER_ERROR_INVALID_REASON);
  g_clear_error (&error);

  er_reasons_add (made_up, ER_REASON_GROUP_PHOTO_ID, "Looks fake");
  decision = decide (id, FALSE, made_up, key, NULL, &error);
  g_assert_null (decision);
  g_assert_error (error, ER_ERROR, ER_ERROR_INVALID_REASON);

  /* Refused before anything was sent. */
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);
}

static void
test_decisions_list (void)
{
  g_autoptr(GError) error = NULL;
  /* Since yesterday: the fake platform's learners at their 2nd or 3rd
   * attempt were denied (some by agent.lavoie) 9 days ago and more. */
  g_autoptr(GDateTime) now_utc = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now_utc, -1);
  ErDecisionQuery query = { .since = yesterday };
  g_autoptr(ErPage) page = list_decisions (&query, &error);
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *cursor = NULL;
  guint n;
  guint total = 0;

  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (page->items)) == ER_TYPE_DECISION);
  /* PASS, FAIL and the idempotency test's PASS; not agent.roy's. */
  g_assert_cmpuint (page->count, ==, 3);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErDecision) d = g_list_model_get_item (G_LIST_MODEL (page->items), i);
      g_assert_cmpstr (er_decision_get_decided_by (d), ==, "agent.lavoie");
    }

  /* Paging */
  do
    {
      ErDecisionQuery paged = { .since = yesterday, .limit = 1, .cursor = cursor };
      g_autoptr(ErPage) p = list_decisions (&paged, &error);

      g_assert_no_error (error);
      total += g_list_model_get_n_items (G_LIST_MODEL (p->items));
      g_free (cursor);
      cursor = g_strdup (p->next_cursor);
      g_assert_cmpuint (total, <=, 3);
    }
  while (cursor != NULL);
  g_assert_cmpuint (total, ==, 3);

  /* since, in a time zone that is not UTC */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("-05:00");
    g_autoptr(GDateTime) now = g_date_time_new_now (tz);
    g_autoptr(ErPage) none = NULL;
    ErDecisionQuery since = { .since = NULL };

    later = g_date_time_add_hours (now, 1);
    since.since = later;
    none = list_decisions (&since, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (none->items)), ==, 0);
  }
}

static char *
find_email_invoice (void)
{
  g_autoptr(GError) error = NULL;
  ErCaseQuery query = { .source = "email", .limit = 200 };
  g_autoptr(ErPage) page = list_cases (client, &query, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
    {
      g_autoptr(ErCase) item = g_list_model_get_item (G_LIST_MODEL (page->items), i);

      if (er_case_get_invoice_number (item) != NULL)
        return g_strdup (er_case_get_invoice_number (item));
    }

  return NULL;
}

static void
test_order (void)
{
  g_autofree char *invoice = find_email_invoice ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErOrder) order = NULL;
  g_autoptr(ErOrder) missing = NULL;

  if (invoice == NULL)
    {
      g_test_skip ("the fake platform has no e-mailed case with an invoice");
      return;
    }

  order = get_order (invoice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_order_get_invoice_number (order), ==, invoice);
  g_assert_nonnull (er_order_get_username (order));

  missing = get_order ("EDU-1999-000000", &error);
  g_assert_null (missing);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE);
  g_clear_error (&error);

  /* Escaped as one path segment: still the orders endpoint. */
  missing = get_order ("../cases/x?y=1#z", &error);
  g_assert_null (missing);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE);
}

static ErPublicKey *
fetch_public_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;
  ErPublicKey *key;

  g_assert_true (get_key (&pem, &fingerprint, &error));
  g_assert_no_error (error);
  key = er_public_key_new_from_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  return key;
}

static void
test_verification_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *public_fingerprint = NULL;
  g_autoptr(ErPrivateKey) private_key = NULL;
  g_autoptr(ErPublicKey) public_key = NULL;

  g_assert_true (get_key (&pem, &fingerprint, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN PUBLIC KEY-----"));

  private_key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  g_assert_no_error (error);
  expected = er_private_key_get_fingerprint (private_key);
  g_assert_cmpstr (fingerprint, ==, expected);

  public_key = er_public_key_new_from_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  public_fingerprint = er_public_key_get_fingerprint (public_key);
  g_assert_cmpstr (public_fingerprint, ==, expected);
}

static void
test_manual_case (void)
{
  g_autofree char *invoice = find_email_invoice ();
  g_autoptr(ErPublicKey) public_key = fetch_public_key ();
  g_autoptr(GBytes) face = fake_image_face (3, 64, 64, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) card = fake_image_face (4, 64, 48, FAKE_IMAGE_JPEG, 1);
  g_autofree char *face_data = NULL, *face_key = NULL, *card_data = NULL, *card_key = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autofree char *key2 = er_client_new_idempotency_key ();
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 20, 13, 45, 0);
  g_autoptr(ErOrder) order = NULL;
  g_autoptr(ErCase) created = NULL;
  g_autoptr(ErCase) repeated = NULL;
  g_autoptr(ErCase) same_message = NULL;
  g_autoptr(ErCase) unknown = NULL;
  g_autoptr(GError) error = NULL;
  gboolean existing = TRUE;
  ErManualCase request = { 0 };

  if (invoice == NULL)
    {
      g_test_skip ("the fake platform has no e-mailed case with an invoice");
      return;
    }

  order = get_order (invoice, &error);
  g_assert_no_error (error);

  g_assert_true (er_crypto_encrypt_photo (public_key, face, &face_data, &face_key, &error));
  g_assert_no_error (error);
  g_assert_true (er_crypto_encrypt_photo (public_key, card, &card_data, &card_key, &error));
  g_assert_no_error (error);

  message_id = g_strdup_printf ("<%s@mail.example.org>", key);
  request.invoice_number = invoice;
  request.username = er_order_get_username (order);
  request.received_at = received;
  request.message_id = message_id;
  request.user_photo_data = face_data;
  request.user_photo_key = face_key;
  request.photo_id_data = card_data;
  request.photo_id_key = card_key;

  created = create_manual_case (&request, key, &existing, &error);
  g_assert_no_error (error);
  g_assert_false (existing);
  g_assert_cmpint (er_case_get_source (created), ==, ER_CASE_SOURCE_EMAIL);
  g_assert_cmpstr (er_case_get_invoice_number (created), ==, invoice);

  /* The same request again */
  repeated = create_manual_case (&request, key, &existing, &error);
  g_assert_no_error (error);
  g_assert_true (existing);
  g_assert_cmpstr (er_case_get_receipt_id (repeated), ==, er_case_get_receipt_id (created));

  /* The same e-mail under another key */
  same_message = create_manual_case (&request, key2, &existing, &error);
  g_assert_no_error (error);
  g_assert_true (existing);
  g_assert_cmpstr (er_case_get_receipt_id (same_message), ==, er_case_get_receipt_id (created));

  /* An unknown invoice */
  {
    g_autofree char *key3 = er_client_new_idempotency_key ();
    g_autofree char *other_message = g_strdup_printf ("<%s@mail.example.org>", key3);

    request.invoice_number = "EDU-1999-000000";
    request.message_id = other_message;
    unknown = create_manual_case (&request, key3, &existing, &error);
    g_assert_null (unknown);
    g_assert_false (existing);
    g_assert_error (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE);
    g_clear_error (&error);
  }

  /* A key that does not unwrap */
  {
    g_autofree char *key4 = er_client_new_idempotency_key ();
    g_autofree char *other_message = g_strdup_printf ("<%s@mail.example.org>", key4);

    request.invoice_number = invoice;
    request.message_id = other_message;
    request.user_photo_key = "bm90IGEga2V5";
    unknown = create_manual_case (&request, key4, &existing, &error);
    g_assert_null (unknown);
    g_assert_error (error, ER_ERROR, ER_ERROR_INVALID_PHOTO);
  }
}

static gboolean
looks_like_image (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return (size > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0) ||
         (size > 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff);
}

static void
check_photo (GBytes           *bytes,
             const char       *content_type,
             const ErPhotoRef *ref,
             ErPrivateKey     *private_key)
{
  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);

  if (ref->key != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) plain = er_crypto_decrypt_photo (private_key, ref->key, bytes, &error);

      g_assert_no_error (error);
      g_assert_true (looks_like_image (plain));
    }
  else
    {
      g_assert_nonnull (content_type);
      g_assert_true (g_str_has_prefix (content_type, "image/"));
      g_assert_true (looks_like_image (bytes));
    }
}

static void
test_photo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) item = get_case (pending_id (7), &error);
  g_autoptr(ErPrivateKey) private_key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  const ErPhotoRef *user_photo;
  const ErPhotoRef *photo_id;
  g_autoptr(GBytes) face = NULL;
  g_autoptr(GBytes) card = NULL;
  g_autoptr(GBytes) small = NULL;
  g_autofree char *face_type = NULL;
  g_autofree char *card_type = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonArray *requests;
  gboolean storage_seen = FALSE;
  gboolean api_seen = FALSE;

  g_assert_no_error (error);
  user_photo = er_case_get_user_photo (item);
  photo_id = er_case_get_photo_id (item);
  g_assert_true (g_str_has_prefix (user_photo->url, fake->storage_url));
  g_assert_true (g_str_has_prefix (photo_id->url, "/"));

  face = fetch_photo (client, user_photo->url, PHOTO_MAX, &face_type, &error);
  g_assert_no_error (error);
  check_photo (face, face_type, user_photo, private_key);

  card = fetch_photo (client, photo_id->url, PHOTO_MAX, &card_type, &error);
  g_assert_no_error (error);
  check_photo (card, card_type, photo_id, private_key);

  /* The token went to the API, never to storage. */
  state = fake_process_state (fake);
  requests = json_object_get_array_member (state, "storage_requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      g_assert_false (json_object_get_boolean_member (r, "authorization"));
      storage_seen = TRUE;
    }
  requests = json_object_get_array_member (state, "api_photo_requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      g_assert_true (json_object_get_boolean_member (r, "authorization"));
      api_seen = TRUE;
    }
  g_assert_true (storage_seen);
  g_assert_true (api_seen);

  /* Too large for the limit, on either origin */
  small = fetch_photo (client, user_photo->url, 16, NULL, &error);
  g_assert_null (small);
  g_assert_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE);
  g_clear_error (&error);
  small = fetch_photo (client, photo_id->url, 16, NULL, &error);
  g_assert_null (small);
  g_assert_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE);
  g_clear_error (&error);

  /* An insecure absolute URL is not fetched. */
  small = fetch_photo (client, "http://storage.example.org/face/1", PHOTO_MAX, NULL, &error);
  g_assert_null (small);
  g_assert_error (error, ER_ERROR, ER_ERROR_INSECURE_URL);
  g_clear_error (&error);
  small = fetch_photo (client, "file:///etc/passwd", PHOTO_MAX, NULL, &error);
  g_assert_null (small);
  g_assert_error (error, ER_ERROR, ER_ERROR_INSECURE_URL);
}

static guint
unused_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_network_error (void)
{
  g_autofree char *server = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  g_autoptr(ErClient) c = client_new (server, "demo-token");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = get_me (c, &error);

  g_assert_null (agent);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_assert_true (er_error_is_transient (error));
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ErCase) item = get_case (pending_id (8), &error);
  GAsyncResult *slot = NULL;

  g_assert_no_error (error);

  /* Cancelled while in flight */
  er_client_get_me_async (client, cancellable, test_async_store, &slot);
  g_cancellable_cancel (cancellable);
  result = await_result (&slot);
  agent = er_client_get_me_finish (client, result, &error);
  g_assert_null (agent);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Cancelled before it starts */
  er_client_fetch_photo_async (client, er_case_get_user_photo (item)->url, PHOTO_MAX,
                               cancellable, test_async_store, &slot);
  result = await_result (&slot);
  bytes = er_client_fetch_photo_finish (client, result, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The client still works afterwards. */
  agent = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (agent);
}

/* Against a tiny in-test server */

typedef struct {
  SoupServer *api;
  SoupServer *storage;
  char       *api_url;
  char       *storage_url;
  guint       storage_hits;
  guint       storage_with_authorization;
  guint       api_photo_hits;
  guint       api_photo_with_authorization;
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
mini_api_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");

  if (g_str_equal (path, "/api/review/v1/me"))
    respond_json (msg, 200, "{\"username\": \"agent.lavoie\", \"full_name\": ");
  else if (g_str_equal (path, "/api/review/v1/keys/verification"))
    respond_json (msg, 200, "[\"not\", \"an\", \"object\"]");
  else if (g_str_equal (path, "/api/review/v1/cases"))
    respond_json (msg, 200, "{\"count\": 1, \"next_cursor\": null, \"results\": [{\"receipt_id\": 7}]}");
  else if (g_str_equal (path, "/api/review/v1/decisions"))
    respond_json (msg, 200, "{\"count\": \"many\", \"next_cursor\": null, \"results\": []}");
  else if (g_str_equal (path, "/api/review/v1/orders/server-error"))
    respond_json (msg, 503, "<html>Service Unavailable</html>");
  else if (g_str_equal (path, "/api/review/v1/orders/busy"))
    {
      soup_message_headers_replace (response_headers, "Retry-After", "17");
      respond_json (msg, 429, "{\"error\": {\"code\": \"rate_limited\", \"message\": \"Slow down\"}}");
    }
  else if (g_str_equal (path, "/api/review/v1/orders/moved"))
    {
      g_autofree char *location = g_strconcat (mini.storage_url, "/elsewhere", NULL);
      soup_server_message_set_redirect (msg, 302, location);
    }
  else if (g_str_equal (path, "/api/review/v1/orders/teapot"))
    respond_json (msg, 418, "{\"error\": {\"code\": \"teapot\", \"message\": \"I am a teapot\"}}");
  else if (g_str_equal (path, "/api/review/v1/cases/forbidden"))
    respond_json (msg, 403, "{\"error\": {\"code\": \"forbidden\", \"message\": \"No\"}}");
  else if (g_str_equal (path, "/api/review/v1/cases/withdrawn"))
    respond_json (msg, 410, "{\"error\": {\"code\": \"gone\", \"message\": \"Gone\"}}");
  else if (g_str_has_prefix (path, "/api/review/v1/photos/"))
    {
      mini.api_photo_hits++;
      if (authorization != NULL && g_str_equal (authorization, "Bearer mini-token"))
        mini.api_photo_with_authorization++;

      if (g_str_equal (path, "/api/review/v1/photos/to-storage"))
        {
          g_autofree char *location = g_strconcat (mini.storage_url, "/face/1?X-Amz-Signature=abc", NULL);
          soup_server_message_set_redirect (msg, 307, location);
        }
      else if (g_str_equal (path, "/api/review/v1/photos/hop"))
        soup_server_message_set_redirect (msg, 302, "/api/review/v1/photos/to-storage");
      else if (g_str_equal (path, "/api/review/v1/photos/loop"))
        soup_server_message_set_redirect (msg, 302, "/api/review/v1/photos/loop");
      else if (g_str_equal (path, "/api/review/v1/photos/insecure"))
        soup_server_message_set_redirect (msg, 302, "http://storage.example.org/face/1");
      else if (g_str_equal (path, "/api/review/v1/photos/missing"))
        respond_json (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"No photo\"}}");
      else
        soup_server_message_set_status (msg, 500, NULL);
    }
  else
    respond_json (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"Not here\"}}");
}

static void
mini_storage_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  static const char png[] = "\x89PNG\r\n\x1a\n" "synthetic";

  mini.storage_hits++;
  if (soup_message_headers_get_one (request_headers, "Authorization") != NULL)
    mini.storage_with_authorization++;

  if (g_str_equal (path, "/face/1"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, png, sizeof png - 1);
    }
  else if (g_str_equal (path, "/big"))
    {
      g_autofree char *body = g_malloc0 (4096);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, body, 4096);
    }
  else if (g_str_equal (path, "/big-chunked"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autofree char *chunk = g_malloc0 (1024);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "image/png", NULL);
      for (guint i = 0; i < 4; i++)
        soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, 1024);
      soup_message_body_complete (body);
    }
  else if (g_str_equal (path, "/expired"))
    {
      soup_server_message_set_status (msg, 403, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        "<Error>AccessDenied</Error>", 27);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static char *
server_listen (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return url;
}

static void
mini_start (void)
{
  mini.api = soup_server_new (NULL, NULL);
  soup_server_add_handler (mini.api, NULL, mini_api_cb, NULL, NULL);
  mini.api_url = server_listen (mini.api);

  mini.storage = soup_server_new (NULL, NULL);
  soup_server_add_handler (mini.storage, NULL, mini_storage_cb, NULL, NULL);
  mini.storage_url = server_listen (mini.storage);
}

static void
mini_stop (void)
{
  soup_server_disconnect (mini.api);
  soup_server_disconnect (mini.storage);
  g_clear_object (&mini.api);
  g_clear_object (&mini.storage);
  g_clear_pointer (&mini.api_url, g_free);
  g_clear_pointer (&mini.storage_url, g_free);
}

static void
test_mini_parse (void)
{
  g_autoptr(ErClient) c = client_new (mini.api_url, "mini-token");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = get_me (c, &error);
  g_autoptr(ErPage) page = NULL;
  g_autofree char *pem = NULL;

  g_assert_null (agent);
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_clear_error (&error);

  page = list_cases (c, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_clear_error (&error);

  {
    g_autoptr(GAsyncResult) result = NULL;

    er_client_list_decisions_async (c, NULL, NULL, test_async_store, &result);
    page = er_client_list_decisions_finish (c, test_async_wait (&result), &error);
    g_assert_null (page);
    g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;

    er_client_get_verification_key_async (c, NULL, test_async_store, &result);
    g_assert_false (er_client_get_verification_key_finish (c, test_async_wait (&result), &pem, NULL, &error));
    g_assert_null (pem);
    g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  }
}

static void
mini_order_error (ErClient   *c,
                  const char *invoice,
                  GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErOrder) order = NULL;

  er_client_get_order_async (c, invoice, NULL, test_async_store, &result);
  order = er_client_get_order_finish (c, test_async_wait (&result), error);
  g_assert_null (order);
}

static void
test_mini_status (void)
{
  g_autoptr(ErClient) c = client_new (mini.api_url, "mini-token");
  g_autoptr(GError) error = NULL;
  guint storage_hits = mini.storage_hits;

  mini_order_error (c, "server-error", &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_SERVER);
  g_assert_true (er_error_is_transient (error));
  g_assert_null (strstr (error->message, "html"));
  g_clear_error (&error);

  mini_order_error (c, "busy", &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "17"));
  g_assert_true (er_error_is_transient (error));
  g_clear_error (&error);

  /* The API never redirects; the client does not follow. */
  mini_order_error (c, "moved", &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNEXPECTED);
  g_assert_cmpuint (mini.storage_hits, ==, storage_hits);
  g_clear_error (&error);

  mini_order_error (c, "teapot", &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNEXPECTED);
  g_clear_error (&error);

  /* 404 without unknown_invoice is not_found */
  mini_order_error (c, "anything", &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GAsyncResult) result2 = NULL;
    g_autoptr(ErCase) item = NULL;

    er_client_get_case_async (c, "forbidden", NULL, test_async_store, &result);
    item = er_client_get_case_finish (c, test_async_wait (&result), &error);
    g_assert_null (item);
    g_assert_error (error, ER_ERROR, ER_ERROR_FORBIDDEN);
    g_clear_error (&error);

    er_client_get_case_async (c, "withdrawn", NULL, test_async_store, &result2);
    item = er_client_get_case_finish (c, test_async_wait (&result2), &error);
    g_assert_null (item);
    g_assert_error (error, ER_ERROR, ER_ERROR_GONE);
  }
}

/* The photo at path on the storage origin is refused with a 1000-byte
 * limit and read as 4096 bytes with a 4096-byte one. */
static void
assert_photo_size_limit (ErClient   *c,
                         const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = g_strconcat (mini.storage_url, path, NULL);

  bytes = fetch_photo (c, url, 1000, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE);
  g_clear_error (&error);
  bytes = fetch_photo (c, url, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 4096);
}

static void
test_mini_photo (void)
{
  g_autoptr(ErClient) c = client_new (mini.api_url, "mini-token");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *url = NULL;

  /* API photo path redirected to storage: the token stays behind. */
  mini.storage_hits = mini.storage_with_authorization = 0;
  mini.api_photo_hits = mini.api_photo_with_authorization = 0;
  bytes = fetch_photo (c, "/api/review/v1/photos/to-storage", PHOTO_MAX, &content_type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_true (looks_like_image (bytes));
  g_assert_cmpuint (mini.api_photo_hits, ==, 1);
  g_assert_cmpuint (mini.api_photo_with_authorization, ==, 1);
  g_assert_cmpuint (mini.storage_hits, ==, 1);
  g_assert_cmpuint (mini.storage_with_authorization, ==, 0);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&content_type, g_free);

  /* Two hops: same origin keeps it, the next origin does not get it. */
  url = g_strconcat (mini.api_url, "/api/review/v1/photos/hop", NULL);
  bytes = fetch_photo (c, url, PHOTO_MAX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mini.api_photo_hits, ==, 3);
  g_assert_cmpuint (mini.api_photo_with_authorization, ==, 3);
  g_assert_cmpuint (mini.storage_hits, ==, 2);
  g_assert_cmpuint (mini.storage_with_authorization, ==, 0);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A redirect loop ends. */
  bytes = fetch_photo (c, "/api/review/v1/photos/loop", PHOTO_MAX, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNEXPECTED);
  g_clear_error (&error);

  /* A redirect to plain http elsewhere is refused. */
  bytes = fetch_photo (c, "/api/review/v1/photos/insecure", PHOTO_MAX, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_INSECURE_URL);
  g_clear_error (&error);

  /* Mapped errors on both origins */
  bytes = fetch_photo (c, "/api/review/v1/photos/missing", PHOTO_MAX, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&url, g_free);
  url = g_strconcat (mini.storage_url, "/expired?X-Amz-Signature=old", NULL);
  bytes = fetch_photo (c, url, PHOTO_MAX, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);

  /* Too large: by Content-Length, and while reading a chunked body */
  assert_photo_size_limit (c, "/big");
  assert_photo_size_limit (c, "/big-chunked");

  g_assert_cmpuint (mini.storage_with_authorization, ==, 0);
}

/* A self-signed certificate and its key, for a server that nobody trusts. */
static const char self_signed_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkTCCATagAwIBAgIUTE6C1/VZB2beCdh+qb6awepuywYwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyODEzNDUzOFoYDzIxMjYxMTA0\n"
  "MTM0NTM4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAATK6+ZPz2kqrNGiz9Qji/j+rdwqB7UT+rmQMt6egHibcWWiIMWiyRcJ\n"
  "FKsFW6K4BB24+1HVfuEk2a4F45yPKW7ko2QwYjAdBgNVHQ4EFgQUoQqXqXU4B9V7\n"
  "d5KW46IYpA4lF9QwHwYDVR0jBBgwFoAUoQqXqXU4B9V7d5KW46IYpA4lF9QwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\n"
  "IQCwH9lvFLodls17FRCOyUWwHrC0x+5HfQJfKNacqdANcgIhAK/TJKY5cWql1rzf\n"
  "5mMShogm2jcyn6eeiW4ihg+Wc9ID\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgX2cpG2PnozlKZmzV\n"
  "ha2ov2Wp7Ep5vlu/H0Ysy+8YvJWhRANCAATK6+ZPz2kqrNGiz9Qji/j+rdwqB7UT\n"
  "+rmQMt6egHibcWWiIMWiyRcJFKsFW6K4BB24+1HVfuEk2a4F45yPKW7k\n"
  "-----END PRIVATE KEY-----\n";

static void
tls_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  guint *hits = user_data;

  (*hits)++;
  respond_json (msg, 200, "{\"username\": \"x\", \"full_name\": \"X\", \"permissions\": []}");
}

static void
test_mini_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(ErClient) c = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  guint hits = 0;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }

  certificate = g_tls_certificate_new_from_pem (self_signed_pem, -1, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, tls_handler_cb, &hits, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  c = client_new (url, "mini-token");
  agent = get_me (c, &error);
  g_assert_null (agent);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_clear_error (&error);

  bytes = fetch_photo (c, "/api/review/v1/photos/x", PHOTO_MAX, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);

  /* Nothing, token included, reached the untrusted server. */
  g_assert_cmpuint (hits, ==, 0);
  soup_server_disconnect (server);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/url/rules", test_url_rules);
  g_test_add_func ("/client/url/origin", test_url_origin);
  g_test_add_func ("/client/url/idempotency-key", test_idempotency_key);

  g_test_add_func ("/client/mini/parse", test_mini_parse);
  g_test_add_func ("/client/mini/status", test_mini_status);
  g_test_add_func ("/client/mini/photo", test_mini_photo);
  g_test_add_func ("/client/mini/tls", test_mini_tls);

  g_test_add_func ("/client/fake/me", test_me);
  g_test_add_func ("/client/fake/cases-paging", test_cases_paging);
  g_test_add_func ("/client/fake/cases-filter", test_cases_filter);
  g_test_add_func ("/client/fake/cases-etag", test_cases_etag);
  g_test_add_func ("/client/fake/cases-bad-limit", test_cases_bad_limit);
  g_test_add_func ("/client/fake/case", test_case_get);
  g_test_add_func ("/client/fake/claim", test_claim);
  g_test_add_func ("/client/fake/decide-pass", test_decide_pass);
  g_test_add_func ("/client/fake/decide-fail", test_decide_fail);
  g_test_add_func ("/client/fake/decide-idempotency-mismatch", test_decide_idempotency_mismatch);
  g_test_add_func ("/client/fake/decide-already-decided", test_decide_already_decided);
  g_test_add_func ("/client/fake/decide-invalid-reason", test_decide_invalid_reason);
  g_test_add_func ("/client/fake/decisions", test_decisions_list);
  g_test_add_func ("/client/fake/order", test_order);
  g_test_add_func ("/client/fake/verification-key", test_verification_key);
  g_test_add_func ("/client/fake/manual-case", test_manual_case);
  g_test_add_func ("/client/fake/photo", test_photo);
  g_test_add_func ("/client/fake/cancel", test_cancel);
  g_test_add_func ("/client/zz/network-error", test_network_error);

  mini_start ();

  fake = fake_process_start ("--cases=30", "--seed=7", NULL);
  client = client_new (fake->api_url, "demo-token");

  /* The pending cases, oldest first, before any test changes them. */
  {
    g_autoptr(GError) error = NULL;
    ErCaseQuery query = { .limit = 200 };
    g_autoptr(ErPage) page = list_cases (client, &query, &error);

    g_assert_no_error (error);
    pending_ids = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
      {
        g_autoptr(ErCase) item = g_list_model_get_item (G_LIST_MODEL (page->items), i);
        g_ptr_array_add (pending_ids, g_strdup (er_case_get_receipt_id (item)));
      }
    g_assert_cmpuint (pending_ids->len, ==, 30);
  }

  ret = g_test_run ();

  g_clear_object (&client);
  g_clear_pointer (&pending_ids, g_ptr_array_unref);
  g_clear_pointer (&fake, fake_process_stop);
  mini_stop ();
  test_async_stop_threads ();

  return ret;
}
