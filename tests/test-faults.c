/* test-faults.c: the fake platform's fault injection, seen through ErClient
 * (and plain libsoup where the client hides the detail): 5xx not applied,
 * connections dropped after the decision is recorded (and the decision
 * replayed by its Idempotency-Key), 429 bursts with Retry-After, latency,
 * token revocation and a new token, the API down and back on the same port,
 * the counters in /_fake/state and the seed's reproducibility.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "er-client.h"
#include "er-error.h"
#include "fake-process.h"
#include "test-async.h"

static FakeProcess *fake;
static ErClient *client;        /* agent.lavoie, token demo-token */
static GPtrArray *pending_ids;  /* pending receipt ids at start; each test takes its own */
static guint next_case;

/* Waiting for results */

static ErClient *
client_new (const char *token)
{
  g_autoptr(GError) error = NULL;
  ErClient *ret = er_client_new (fake->api_url, token, &error);

  g_assert_no_error (error);
  /* These tests look at each answer as it comes: one attempt, no retries
   * (test-client-retry.c tests those). */
  er_client_set_max_retries (ret, 0);
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

static ErCase *
claim (const char  *receipt_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_claim_async (client, receipt_id, NULL, test_async_store, &result);
  return er_client_claim_finish (client, test_async_wait (&result), NULL, error);
}

static ErDecision *
decide_with (ErClient    *c,
             const char  *receipt_id,
             const char  *key,
             ErConflict **conflict,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_client_decide_async (c, receipt_id, TRUE, NULL, key, NULL, test_async_store, &result);
  return er_client_decide_finish (c, test_async_wait (&result), conflict, error);
}

static ErDecision *
decide (const char  *receipt_id,
        const char  *key,
        GError     **error)
{
  return decide_with (client, receipt_id, key, NULL, error);
}

static const char *
take_case (void)
{
  g_assert_cmpuint (next_case, <, pending_ids->len);
  return g_ptr_array_index (pending_ids, next_case++);
}

/* The decision recorded for receipt_id in /_fake/state (exactly one). */
static JsonObject *
recorded_decision (const char *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *decisions = json_object_get_array_member (state, "decisions");
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);

      if (g_strcmp0 (json_object_get_string_member (d, "receipt_id"), receipt_id) == 0)
        {
          g_assert_null (found);
          found = d;
        }
    }
  g_assert_nonnull (found);
  return json_object_ref (found);
}

/* A plain request on the API origin, for what ErClient does not show. */
static GBytes *
raw_request (SoupSession         *session,
             const char          *method,
             const char          *path,
             const char          *token,
             guint               *status,
             SoupMessageHeaders **response_headers,
             GError             **error)
{
  g_autofree char *url = g_strconcat (fake->api_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  GBytes *bytes;

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", authorization);
  bytes = soup_session_send_and_read (session, msg, NULL, error);
  *status = soup_message_get_status (msg);
  if (response_headers != NULL)
    *response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return bytes;
}

static char *
error_code (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonObject *root, *err;

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "error"));
  err = json_object_get_object_member (root, "error");
  g_assert_nonnull (json_object_get_string_member (err, "message"));
  return g_strdup (json_object_get_string_member (err, "code"));
}

static void
reset_faults (void)
{
  fake_process_set_faults (fake, "{\"reset\": true, \"reset_counters\": true}");
}

/* Tests */

static void
test_fail_rate (void)
{
  const char *id = take_case ();
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;

  reset_faults ();
  fake_process_set_faults (fake, "{\"fail_rate\": 1}");

  for (guint i = 0; i < 3; i++)
    {
      decision = decide (id, key, &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_SERVER);
      g_assert_null (decision);
      g_clear_error (&error);
    }
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);

  /* What the client saw: 500 or 503 with the contract's error body. */
  for (guint i = 0; i < 6; i++)
    {
      guint status = 0;
      g_autoptr(GBytes) body = raw_request (session, "GET", "/api/review/v1/me", "demo-token",
                                            &status, NULL, &error);
      g_autofree char *code = NULL;

      g_assert_no_error (error);
      g_assert_true (status == 500 || status == 503);
      code = error_code (body);
      g_assert_cmpstr (code, ==, status == 500 ? "internal_error" : "unavailable");
    }
  g_assert_cmpint (fake_process_fault_count (fake, "failed_5xx"), ==, 9);
  g_assert_cmpint (fake_process_fault_count (fake, "api_requests"), ==, 9);

  /* The test endpoints are never faulted, and the same key then goes through. */
  reset_faults ();
  decision = decide (id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, id);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
}

static void
test_drop (void)
{
  const char *id = take_case ();
  const char *slow_id = take_case ();
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autofree char *slow_key = er_client_new_idempotency_key ();
  g_autofree char *other_key = er_client_new_idempotency_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) claimed = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(JsonObject) recorded = NULL;

  reset_faults ();
  /* A claim first, so that the decision goes on a reused connection. */
  claimed = claim (id, &error);
  g_assert_no_error (error);

  fake_process_set_faults (fake, "{\"drop_rate\": 1}");
  decision = decide (id, key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_assert_null (decision);
  g_clear_error (&error);
  /* Applied all the same, and once: the client did not send it again. */
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  g_assert_cmpint (fake_process_fault_count (fake, "dropped"), ==, 1);

  /* Dropped after a delay too (the paused message's connection is closed). */
  fake_process_set_faults (fake, "{\"latency_ms\": 50}");
  decision = decide (slow_id, slow_key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (fake_process_count_decisions (fake, slow_id), ==, 1);
  g_assert_cmpint (fake_process_fault_count (fake, "dropped"), ==, 2);
  g_assert_cmpint (fake_process_fault_count (fake, "delayed"), ==, 1);

  /* Sent again with the same key: the first answer, still one decision. */
  reset_faults ();
  decision = decide (id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, id);
  g_assert_true (er_decision_get_approved (decision));
  g_assert_cmpstr (er_decision_get_decided_by (decision), ==, "agent.lavoie");
  g_clear_object (&decision);
  decision = decide (slow_id, slow_key, &error);
  g_assert_no_error (error);
  g_clear_object (&decision);

  recorded = recorded_decision (id);
  g_assert_cmpstr (json_object_get_string_member (recorded, "idempotency_key"), ==, key);
  g_assert_cmpint (json_object_get_int_member (recorded, "replays"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (recorded, "conflicts"), ==, 0);
  g_assert_cmpuint (fake_process_count_decisions (fake, slow_id), ==, 1);

  /* With a new key it would have been a conflict with oneself. */
  decision = decide_with (client, id, other_key, &conflict, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED);
  g_assert_nonnull (conflict);
  g_assert_cmpstr (er_decision_get_decided_by (conflict->decision), ==, "agent.lavoie");
  g_clear_pointer (&recorded, json_object_unref);
  recorded = recorded_decision (id);
  g_assert_cmpint (json_object_get_int_member (recorded, "conflicts"), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
}

static void
test_burst_429 (void)
{
  const char *id = take_case ();
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autofree char *code = NULL;
  guint status = 0;
  gint64 enabled;

  reset_faults ();
  fake_process_set_faults (fake, "{\"burst_429\": {\"count\": 3}}");

  body = raw_request (session, "GET", "/api/review/v1/me", "demo-token", &status, &headers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Retry-After"), ==, "1");
  code = error_code (body);
  g_assert_cmpstr (code, ==, "rate_limited");

  agent = get_me (client, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "1 second"));
  g_clear_error (&error);

  decision = decide (id, key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);

  /* The burst is over: the same request goes through. */
  decision = decide (id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  g_assert_cmpint (fake_process_fault_count (fake, "rate_limited"), ==, 3);

  /* Every second, one request: after the first burst, a second one comes
   * once a second has passed on the server (which set it before answering). */
  fake_process_set_faults (fake, "{\"burst_429\": {\"count\": 1, \"every_s\": 1}}");
  enabled = g_get_monotonic_time ();
  g_clear_object (&agent);
  agent = get_me (client, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  agent = get_me (client, &error);
  g_assert_no_error (error);
  g_clear_object (&agent);
  while (g_get_monotonic_time () < enabled + 1100 * 1000)
    g_usleep (20 * 1000);
  agent = get_me (client, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  agent = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fake_process_fault_count (fake, "rate_limited"), ==, 5);
}

static void
test_latency (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(ErAgent) a = NULL;
  g_autoptr(ErAgent) b = NULL;
  gint64 start;

  reset_faults ();
  fake_process_set_faults (fake, "{\"latency_ms\": 300, \"latency_jitter_ms\": 100}");

  /* Two at once: both held back, neither holding the other. */
  start = g_get_monotonic_time ();
  er_client_get_me_async (client, NULL, test_async_store, &first);
  er_client_get_me_async (client, NULL, test_async_store, &second);
  a = er_client_get_me_finish (client, test_async_wait (&first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  b = er_client_get_me_finish (client, test_async_wait (&second), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpstr (er_agent_get_username (a), ==, "agent.lavoie");
  g_assert_cmpint (fake_process_fault_count (fake, "delayed"), ==, 2);
  reset_faults ();
}

static void
test_revoke (void)
{
  const char *id = take_case ();
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autoptr(ErClient) renewed = NULL;
  g_autoptr(ErClient) restored = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(GError) error = NULL;

  reset_faults ();
  /* A decision recorded but unanswered, then the token revoked. */
  fake_process_set_faults (fake, "{\"drop_rate\": 1}");
  decision = decide (id, key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_clear_error (&error);
  reset_faults ();
  fake_process_revoke (fake, "demo-token");

  agent = get_me (client, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
  g_assert_null (agent);
  g_clear_error (&error);
  decision = decide (id, key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  /* Signed in again with a new token: the same agent, and the same key
   * still gets the first answer. */
  fake_process_add_token (fake, "renewed-token", NULL);
  renewed = client_new ("renewed-token");
  agent = get_me (renewed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_agent_get_username (agent), ==, "agent.lavoie");
  decision = decide_with (renewed, id, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (er_decision_get_decided_by (decision), ==, "agent.lavoie");
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);

  /* Revoking twice is a 404; /_fake/restore brings the first token back. */
  fake_process_revoke (fake, "renewed-token");
  g_assert_cmpuint (fake_process_post (fake, "/_fake/revoke", "{\"token\": \"renewed-token\"}"), ==, 404);
  g_assert_cmpuint (fake_process_post (fake, "/_fake/restore", "{}"), ==, 200);
  g_clear_object (&agent);
  agent = get_me (client, &error);
  g_assert_no_error (error);
  g_clear_object (&agent);
  agent = get_me (renewed, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
}

static void
test_down (void)
{
  const char *id = take_case ();
  g_autofree char *key = er_client_new_idempotency_key ();
  g_autofree char *url = g_strdup (fake->api_url);
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(GError) error = NULL;

  reset_faults ();
  agent = get_me (client, &error);
  g_assert_no_error (error);
  g_clear_object (&agent);

  fake_process_set_faults (fake, "{\"down\": true, \"latency_ms\": 1000}");
  agent = get_me (client, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_clear_error (&error);
  decision = decide (id, key, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);
  /* libsoup may retry a GET once on a new connection: at least 2 refused. */
  g_assert_cmpint (fake_process_fault_count (fake, "refused_down"), >=, 2);
  /* Refused at once, not after the latency. */
  g_assert_cmpint (fake_process_fault_count (fake, "delayed"), ==, 0);

  /* Back, on the same port, and the same client goes on. */
  fake_process_set_faults (fake, "{\"down\": false, \"latency_ms\": 0}");
  g_assert_cmpstr (fake->api_url, ==, url);
  agent = get_me (client, &error);
  g_assert_no_error (error);
  decision = decide (id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
}

static void
test_settings (void)
{
  g_autoptr(JsonObject) state = NULL;
  static const char *refused[] = {
    "[]", "not json", "{\"fail_rate\": 2}", "{\"drop_rate\": -0.1}", "{\"latency_ms\": \"5\"}",
    "{\"down\": 1}", "{\"burst_429\": 3}", "{\"burst_429\": {\"count\": -1}}",
  };

  reset_faults ();
  fake_process_set_faults (fake, "{\"fail_rate\": 0.25, \"burst_429\": {\"count\": 2, \"every_s\": 30}}");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_cmpuint (fake_process_post (fake, "/_fake/faults", refused[i]), ==, 400);

  /* Nothing changed; members left out kept their value. */
  fake_process_set_faults (fake, "{\"latency_ms\": 5}");
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (fake->api_url, "/_fake/faults", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o, *burst;

    g_assert_nonnull (bytes);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                               g_bytes_get_size (bytes), NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpfloat (json_object_get_double_member (o, "fail_rate"), ==, 0.25);
    g_assert_cmpfloat (json_object_get_double_member (o, "drop_rate"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "latency_ms"), ==, 5);
    g_assert_false (json_object_get_boolean_member (o, "down"));
    burst = json_object_get_object_member (o, "burst_429");
    g_assert_cmpint (json_object_get_int_member (burst, "count"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (burst, "every_s"), ==, 30);
  }

  state = fake_process_state (fake);
  g_assert_true (json_object_has_member (state, "faults"));
  reset_faults ();
}

/* The same seed, the same faults for the same requests. */
static GArray *
statuses_with_seed (const char *seed, const char *key_arg)
{
  g_autoptr(FakeProcess) other = fake_process_start (seed, "--cases=1", "--fail-rate=0.5",
                                                     "--drop-rate=0.2", key_arg, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  GArray *statuses = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeProcess *saved = fake;

  fake = other;
  for (guint i = 0; i < 24; i++)
    {
      g_autoptr(GError) error = NULL;
      guint status = 0;
      g_autoptr(GBytes) body = raw_request (session, "GET", "/api/review/v1/me", "demo-token",
                                            &status, NULL, &error);

      /* A dropped connection: 0. */
      if (error != NULL)
        status = 0;
      g_array_append_val (statuses, status);
    }
  g_assert_cmpint (fake_process_fault_count (other, "api_requests"), >=, 24);
  fake = saved;
  return statuses;
}

static void
test_seed (void)
{
  g_autofree char *key_arg = g_strdup_printf ("--key=%s", fake->key_path);
  g_autoptr(GArray) a = statuses_with_seed ("--seed=3", key_arg);
  g_autoptr(GArray) b = statuses_with_seed ("--seed=3", key_arg);
  gboolean ok = FALSE, failed = FALSE;

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      guint status = g_array_index (a, guint, i);

      g_assert_cmpuint (status, ==, g_array_index (b, guint, i));
      ok |= status == 200;
      failed |= status >= 500;
    }
  g_assert_true (ok);
  g_assert_true (failed);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/fail-rate", test_fail_rate);
  g_test_add_func ("/faults/drop", test_drop);
  g_test_add_func ("/faults/burst-429", test_burst_429);
  g_test_add_func ("/faults/latency", test_latency);
  g_test_add_func ("/faults/revoke", test_revoke);
  g_test_add_func ("/faults/down", test_down);
  g_test_add_func ("/faults/settings", test_settings);
  g_test_add_func ("/faults/seed", test_seed);

  fake = fake_process_start ("--cases=20", "--seed=11", NULL);
  client = client_new ("demo-token");

  /* The pending cases, from the fake's own state (no faults there). */
  {
    g_autoptr(JsonObject) state = fake_process_state (fake);
    JsonArray *cases = json_object_get_array_member (state, "cases");

    pending_ids = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < json_array_get_length (cases); i++)
      {
        JsonObject *c = json_array_get_object_element (cases, i);

        if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0)
          g_ptr_array_add (pending_ids, g_strdup (json_object_get_string_member (c, "receipt_id")));
      }
    g_assert_cmpuint (pending_ids->len, >=, 8);
  }

  ret = g_test_run ();

  g_clear_object (&client);
  g_clear_pointer (&pending_ids, g_ptr_array_unref);
  g_clear_pointer (&fake, fake_process_stop);
  return ret;
}
