/* test-models.c: checked parsing of cases, decisions, agents and orders,
 * and the decision request body. */

#include <string.h>

#include <json-glib/json-glib.h>

#include "er-agent.h"
#include "er-case.h"
#include "er-decision.h"
#include "er-error.h"
#include "er-order.h"
#include "er-reasons.h"

/* The contract's example case. */
static const char *full_case_json =
  "{\n"
  "  \"receipt_id\": \"6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51\",\n"
  "  \"source\": \"webcam\",\n"
  "  \"status\": \"pending\",\n"
  "  \"submitted_at\": \"2026-11-26T15:04:05Z\",\n"
  "  \"expected_name\": \"Marie-Ève Tremblay\",\n"
  "  \"username\": \"metremblay\",\n"
  "  \"email\": \"marie-eve@example.org\",\n"
  "  \"invoice_number\": null,\n"
  "  \"attempt\": 2,\n"
  "  \"previous_reasons\": [{\"photoIdReasons\": [\"Text not clear\"]}],\n"
  "  \"claim\": {\"agent\": \"agent.lavoie\", \"expires_at\": \"2026-11-28T10:15:00Z\"},\n"
  "  \"user_photo\": {\"url\": \"https://storage.example/face/6f0b...?X-Amz-Signature=...\",\n"
  "                 \"key\": \"kq3...base64...==\"},\n"
  "  \"photo_id\":   {\"url\": \"/api/review/v1/photos/photo_id/6f0b...\",\n"
  "                 \"key\": \"Zx1...base64\\n...==\"}\n"
  "}";

static const char *minimal_case_json =
  "{\"receipt_id\": \"r-1\", \"source\": \"email\", \"status\": \"denied\","
  " \"submitted_at\": \"2026-01-02T03:04:05+02:00\", \"expected_name\": \"François Côté\","
  " \"user_photo\": {\"url\": \"/api/review/v1/photos/user_photo/r-1\"},"
  " \"photo_id\": {\"url\": \"/api/review/v1/photos/photo_id/r-1\", \"key\": null}}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Returns @json with the member at @path ("a" or "a.b") replaced by
 * @value (JSON text), or removed when @value is NULL. */
static JsonNode *
modified (const char *json,
          const char *path,
          const char *value)
{
  JsonNode *root = parse (json);
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonObject *object = json_node_get_object (root);
  const char *member = parts[0];

  if (parts[1] != NULL)
    {
      object = json_object_get_object_member (object, parts[0]);
      member = parts[1];
    }

  if (value == NULL)
    json_object_remove_member (object, member);
  else
    json_object_set_member (object, member, parse (value));

  return root;
}

static void
assert_utc (GDateTime  *time,
            int         year,
            int         month,
            int         day,
            int         hour,
            int         minute,
            int         second)
{
  g_autoptr(GDateTime) utc = NULL;

  g_assert_nonnull (time);
  utc = g_date_time_to_utc (time);
  g_assert_cmpint (g_date_time_get_year (utc), ==, year);
  g_assert_cmpint (g_date_time_get_month (utc), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (utc), ==, day);
  g_assert_cmpint (g_date_time_get_hour (utc), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (utc), ==, minute);
  g_assert_cmpint (g_date_time_get_second (utc), ==, second);
}

static ErCase *
case_ok (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  ErCase *kase = er_case_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (ER_IS_CASE (kase));
  return kase;
}

static void
case_fails (JsonNode   *node,
            const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) kase = er_case_new_from_json (node, &error);

  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_null (kase);
  if (member != NULL)
    g_assert_nonnull (strstr (error->message, member));
}

/* Cases */

static void
test_case_full (void)
{
  g_autoptr(JsonNode) node = parse (full_case_json);
  g_autoptr(ErCase) kase = case_ok (node);
  const ErPhotoRef *photo;
  const ErReasons *previous;

  g_assert_cmpstr (er_case_get_receipt_id (kase), ==, "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51");
  g_assert_cmpint (er_case_get_source (kase), ==, ER_CASE_SOURCE_WEBCAM);
  g_assert_cmpint (er_case_get_status (kase), ==, ER_CASE_STATUS_PENDING);
  assert_utc (er_case_get_submitted_at (kase), 2026, 11, 26, 15, 4, 5);
  g_assert_cmpstr (er_case_get_expected_name (kase), ==, "Marie-Ève Tremblay");
  g_assert_cmpstr (er_case_get_username (kase), ==, "metremblay");
  g_assert_cmpstr (er_case_get_email (kase), ==, "marie-eve@example.org");
  g_assert_null (er_case_get_invoice_number (kase));
  g_assert_cmpuint (er_case_get_attempt (kase), ==, 2);
  g_assert_cmpstr (er_case_get_claimed_by (kase), ==, "agent.lavoie");
  assert_utc (er_case_get_claim_expires_at (kase), 2026, 11, 28, 10, 15, 0);

  previous = er_case_get_previous_reasons (kase);
  g_assert_nonnull (previous);
  g_assert_cmpstrv (er_reasons_get (previous, ER_REASON_GROUP_PHOTO_ID),
                    ((const char * const[]) { "Text not clear", NULL }));
  g_assert_null (er_reasons_get (previous, ER_REASON_GROUP_USER_PHOTO)[0]);
  g_assert_null (er_reasons_get (previous, ER_REASON_GROUP_GENERAL)[0]);

  photo = er_case_get_user_photo (kase);
  g_assert_cmpstr (photo->url, ==, "https://storage.example/face/6f0b...?X-Amz-Signature=...");
  g_assert_cmpstr (photo->key, ==, "kq3...base64...==");
  photo = er_case_get_photo_id (kase);
  g_assert_cmpstr (photo->url, ==, "/api/review/v1/photos/photo_id/6f0b...");
  g_assert_cmpstr (photo->key, ==, "Zx1...base64\n...==");

  g_assert_cmpstr (er_case_source_to_string (ER_CASE_SOURCE_WEBCAM), ==, "webcam");
  g_assert_cmpstr (er_case_source_to_string (ER_CASE_SOURCE_EMAIL), ==, "email");
}

static void
test_case_properties (void)
{
  g_autoptr(JsonNode) node = parse (full_case_json);
  g_autoptr(ErCase) kase = case_ok (node);
  g_autofree char *receipt_id = NULL;
  g_autofree char *expected_name = NULL;
  g_autofree char *username = NULL;
  g_autofree char *email = NULL;
  g_autofree char *invoice_number = NULL;
  g_autofree char *claimed_by = NULL;
  g_autoptr(GDateTime) submitted_at = NULL;
  g_autoptr(GDateTime) claim_expires_at = NULL;
  int source = -1;
  int status = -1;
  guint attempt = 0;
  GParamSpec *pspec;

  g_object_get (kase,
                "receipt-id", &receipt_id,
                "source", &source,
                "status", &status,
                "submitted-at", &submitted_at,
                "expected-name", &expected_name,
                "username", &username,
                "email", &email,
                "invoice-number", &invoice_number,
                "attempt", &attempt,
                "claimed-by", &claimed_by,
                "claim-expires-at", &claim_expires_at,
                NULL);

  g_assert_cmpstr (receipt_id, ==, "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51");
  g_assert_cmpint (source, ==, ER_CASE_SOURCE_WEBCAM);
  g_assert_cmpint (status, ==, ER_CASE_STATUS_PENDING);
  g_assert_true (g_date_time_equal (submitted_at, er_case_get_submitted_at (kase)));
  g_assert_cmpstr (expected_name, ==, "Marie-Ève Tremblay");
  g_assert_cmpstr (username, ==, "metremblay");
  g_assert_cmpstr (email, ==, "marie-eve@example.org");
  g_assert_null (invoice_number);
  g_assert_cmpuint (attempt, ==, 2);
  g_assert_cmpstr (claimed_by, ==, "agent.lavoie");
  g_assert_true (g_date_time_equal (claim_expires_at, er_case_get_claim_expires_at (kase)));

  /* Read-only, and the enums are real enum types (for binding). */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (kase), "status");
  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (kase), "source");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
}

static void
test_case_minimal (void)
{
  g_autoptr(JsonNode) node = parse (minimal_case_json);
  g_autoptr(ErCase) kase = case_ok (node);

  g_assert_cmpstr (er_case_get_receipt_id (kase), ==, "r-1");
  g_assert_cmpint (er_case_get_source (kase), ==, ER_CASE_SOURCE_EMAIL);
  g_assert_cmpint (er_case_get_status (kase), ==, ER_CASE_STATUS_DENIED);
  assert_utc (er_case_get_submitted_at (kase), 2026, 1, 2, 1, 4, 5);
  g_assert_cmpstr (er_case_get_expected_name (kase), ==, "François Côté");
  g_assert_null (er_case_get_username (kase));
  g_assert_null (er_case_get_email (kase));
  g_assert_null (er_case_get_invoice_number (kase));
  g_assert_cmpuint (er_case_get_attempt (kase), ==, 1);
  g_assert_null (er_case_get_previous_reasons (kase));
  g_assert_null (er_case_get_claimed_by (kase));
  g_assert_null (er_case_get_claim_expires_at (kase));
  g_assert_cmpstr (er_case_get_user_photo (kase)->url, ==, "/api/review/v1/photos/user_photo/r-1");
  g_assert_null (er_case_get_user_photo (kase)->key);
  g_assert_null (er_case_get_photo_id (kase)->key);
}

static void
test_case_null_optionals (void)
{
  g_autoptr(JsonNode) node = parse (full_case_json);
  JsonObject *object = json_node_get_object (node);
  const char *optionals[] = { "username", "email", "invoice_number", "attempt",
                              "previous_reasons", "claim" };
  g_autoptr(ErCase) kase = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (optionals); i++)
    json_object_set_null_member (object, optionals[i]);
  json_object_set_null_member (json_object_get_object_member (object, "user_photo"), "key");

  kase = case_ok (node);
  g_assert_null (er_case_get_username (kase));
  g_assert_null (er_case_get_email (kase));
  g_assert_null (er_case_get_invoice_number (kase));
  g_assert_cmpuint (er_case_get_attempt (kase), ==, 1);
  g_assert_null (er_case_get_previous_reasons (kase));
  g_assert_null (er_case_get_claimed_by (kase));
  g_assert_null (er_case_get_claim_expires_at (kase));
  g_assert_null (er_case_get_user_photo (kase)->key);
  g_assert_cmpstr (er_case_get_photo_id (kase)->key, ==, "Zx1...base64\n...==");
}

static void
test_case_unknown_members (void)
{
  g_autoptr(JsonNode) node = parse (full_case_json);
  JsonObject *object = json_node_get_object (node);
  g_autoptr(ErCase) kase = NULL;

  json_object_set_string_member (object, "future_member", "x");
  json_object_set_member (object, "nested_future", parse ("{\"a\": [1, 2, {\"b\": null}]}"));
  json_object_set_int_member (json_object_get_object_member (object, "user_photo"), "size", 1234);
  json_object_set_boolean_member (json_object_get_object_member (object, "claim"), "renewed", TRUE);

  kase = case_ok (node);
  g_assert_cmpstr (er_case_get_receipt_id (kase), ==, "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51");
  g_assert_cmpstr (er_case_get_claimed_by (kase), ==, "agent.lavoie");
}

static void
test_case_required (void)
{
  const char *required[] = { "receipt_id", "source", "status", "submitted_at",
                             "expected_name", "user_photo", "photo_id",
                             "user_photo.url", "photo_id.url" };
  /* Values of the wrong type for every one of them. */
  const char *wrong[] = { "42", "true", "[]", "{}", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(JsonNode) missing = modified (full_case_json, required[i], NULL);

      g_test_message ("missing %s", required[i]);
      case_fails (missing, required[i]);

      for (guint j = 0; j < G_N_ELEMENTS (wrong); j++)
        {
          g_autoptr(JsonNode) node = NULL;

          /* An object is the right type for the photo members. */
          if (g_str_equal (wrong[j], "{}") &&
              (g_str_equal (required[i], "user_photo") || g_str_equal (required[i], "photo_id")))
            continue;

          node = modified (full_case_json, required[i], wrong[j]);
          g_test_message ("%s = %s", required[i], wrong[j]);
          case_fails (node, required[i]);
        }
    }
}

static void
test_case_bad_values (void)
{
  const struct {
    const char *path;
    const char *value;
  } bad[] = {
    { "receipt_id", "\"\"" },
    { "source", "\"fax\"" },
    { "source", "\"Webcam\"" },
    { "status", "\"PENDING\"" },
    { "status", "\"withdrawn\"" },
    { "user_photo.url", "\"\"" },
    { "user_photo.key", "42" },
    { "photo_id.key", "{}" },
    /* Optional members of the wrong type. */
    { "username", "42" },
    { "email", "[]" },
    { "invoice_number", "7" },
    { "attempt", "0" },
    { "attempt", "-1" },
    { "attempt", "1.5" },
    { "attempt", "\"2\"" },
    { "attempt", "4294967296" },
    { "previous_reasons", "42" },
    { "previous_reasons", "{\"photoIdReasons\": [\"Text not clear\"]}" },
    { "previous_reasons", "[{\"photoIdReasons\": \"Text not clear\"}]" },
    { "claim", "\"agent.lavoie\"" },
    { "claim.agent", NULL },
    { "claim.agent", "42" },
    { "claim.expires_at", "\"tomorrow\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = modified (full_case_json, bad[i].path, bad[i].value);

      g_test_message ("%s = %s", bad[i].path, bad[i].value ? bad[i].value : "(absent)");
      case_fails (node, bad[i].path);
    }
}

static void
test_case_dates (void)
{
  const char *bad[] = {
    "\"2026-11-26T15:04:05\"",    /* no time zone */
    "\"2026-11-26\"",
    "\"26/11/2026 15:04\"",
    "\"2026-13-26T15:04:05Z\"",
    "\"2026-11-26T25:04:05Z\"",
    "\"\"",
    "1795000000",
  };
  const struct {
    const char *value;
    int hour;
    int minute;
  } good[] = {
    { "\"2026-11-26T15:04:05Z\"", 15, 4 },
    { "\"2026-11-26T15:04:05.123456Z\"", 15, 4 },
    { "\"2026-11-26T10:04:05-05:00\"", 15, 4 },
    { "\"2026-11-26T16:34:05+01:30\"", 15, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = modified (full_case_json, "submitted_at", bad[i]);

      g_test_message ("submitted_at = %s", bad[i]);
      case_fails (node, "submitted_at");
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = modified (full_case_json, "submitted_at", good[i].value);
      g_autoptr(ErCase) kase = case_ok (node);

      assert_utc (er_case_get_submitted_at (kase), 2026, 11, 26, good[i].hour, good[i].minute, 5);
    }
}

static void
test_case_not_object (void)
{
  const char *not_objects[] = { "[]", "null", "\"case\"", "42" };

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(JsonNode) node = parse (not_objects[i]);

      case_fails (node, NULL);
    }
  case_fails (NULL, NULL);
}

static void
test_case_previous_reasons (void)
{
  const char *empty[] = { "\"\"", "[]" };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(ErCase) kase = NULL;
  const ErReasons *previous;

  node = modified (full_case_json, "previous_reasons",
                   "[{\"userPhotoReasons\": [\"Face out of view\"]},"
                   " {\"generalReasons\": [\"Name mismatch\", \"The ID has expired.\"]}]");
  kase = case_ok (node);
  previous = er_case_get_previous_reasons (kase);
  g_assert_nonnull (previous);
  g_assert_cmpstrv (er_reasons_get (previous, ER_REASON_GROUP_USER_PHOTO),
                    ((const char * const[]) { "Face out of view", NULL }));
  g_assert_cmpstrv (er_reasons_get (previous, ER_REASON_GROUP_GENERAL),
                    ((const char * const[]) { "Name mismatch", "The ID has expired.", NULL }));
  g_assert_cmpstr (er_reasons_get_note (previous), ==, "The ID has expired.");

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_autoptr(JsonNode) n = modified (full_case_json, "previous_reasons", empty[i]);
      g_autoptr(ErCase) k = case_ok (n);

      g_assert_null (er_case_get_previous_reasons (k));
    }
}

static void
test_photo_ref (void)
{
  g_autoptr(ErPhotoRef) ref = er_photo_ref_new ("/a", "k");
  g_autoptr(ErPhotoRef) copy = er_photo_ref_copy (ref);
  g_autoptr(ErPhotoRef) boxed = g_boxed_copy (ER_TYPE_PHOTO_REF, ref);
  g_autoptr(ErPhotoRef) clear = er_photo_ref_new ("https://x/y", NULL);
  g_autoptr(ErPhotoRef) clear_copy = er_photo_ref_copy (clear);

  g_assert_true (copy->url != ref->url);
  g_assert_cmpstr (copy->url, ==, "/a");
  g_assert_cmpstr (copy->key, ==, "k");
  g_assert_cmpstr (boxed->url, ==, "/a");
  g_assert_cmpstr (clear_copy->url, ==, "https://x/y");
  g_assert_null (clear_copy->key);
}

/* Decisions */

static const char *fail_decision_json =
  "{\"receipt_id\": \"6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51\", \"status\": \"denied\","
  " \"result\": \"FAIL\","
  " \"reason\": [{\"photoIdReasons\": [\"Text not clear\"]}, {\"generalReasons\": [\"Name mismatch\"]}],"
  " \"decided_by\": \"agent.lavoie\", \"decided_at\": \"2026-11-28T10:01:02Z\","
  " \"expected_name\": \"Marie-Ève Tremblay\", \"source\": \"webcam\", \"extra\": {\"x\": 1}}";

static const char *pass_decision_json =
  "{\"receipt_id\": \"r-2\", \"status\": \"approved\", \"result\": \"PASS\", \"reason\": \"\","
  " \"decided_by\": \"agent.roy\", \"decided_at\": \"2026-11-28T11:00:00Z\"}";

static ErDecision *
decision_ok (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  ErDecision *decision = er_decision_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (ER_IS_DECISION (decision));
  return decision;
}

static void
decision_fails (JsonNode   *node,
                const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = er_decision_new_from_json (node, &error);

  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_null (decision);
  if (member != NULL)
    g_assert_nonnull (strstr (error->message, member));
}

static void
test_decision_fail (void)
{
  g_autoptr(JsonNode) node = parse (fail_decision_json);
  g_autoptr(ErDecision) decision = decision_ok (node);
  const ErReasons *reasons;

  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51");
  g_assert_false (er_decision_get_approved (decision));
  g_assert_cmpstr (er_decision_get_decided_by (decision), ==, "agent.lavoie");
  assert_utc (er_decision_get_decided_at (decision), 2026, 11, 28, 10, 1, 2);
  g_assert_cmpstr (er_decision_get_expected_name (decision), ==, "Marie-Ève Tremblay");
  g_assert_cmpstr (er_decision_get_source (decision), ==, "webcam");

  reasons = er_decision_get_reasons (decision);
  g_assert_nonnull (reasons);
  g_assert_cmpstrv (er_reasons_get (reasons, ER_REASON_GROUP_PHOTO_ID),
                    ((const char * const[]) { "Text not clear", NULL }));
  g_assert_cmpstrv (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL),
                    ((const char * const[]) { "Name mismatch", NULL }));
}

static void
test_decision_pass (void)
{
  g_autoptr(JsonNode) node = parse (pass_decision_json);
  g_autoptr(ErDecision) decision = decision_ok (node);

  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, "r-2");
  g_assert_true (er_decision_get_approved (decision));
  g_assert_nonnull (er_decision_get_reasons (decision));
  g_assert_true (er_reasons_is_empty (er_decision_get_reasons (decision)));
  g_assert_cmpstr (er_decision_get_decided_by (decision), ==, "agent.roy");
  g_assert_null (er_decision_get_expected_name (decision));
  g_assert_null (er_decision_get_source (decision));
}

static void
test_decision_status_derived (void)
{
  g_autoptr(JsonNode) pass = modified (pass_decision_json, "status", NULL);
  g_autoptr(JsonNode) fail = modified (fail_decision_json, "status", NULL);
  g_autoptr(JsonNode) pass_null_reason = modified (pass_decision_json, "reason", "null");
  g_autoptr(ErDecision) a = decision_ok (pass);
  g_autoptr(ErDecision) b = decision_ok (fail);
  g_autoptr(ErDecision) c = decision_ok (pass_null_reason);

  g_assert_true (er_decision_get_approved (a));
  g_assert_false (er_decision_get_approved (b));
  g_assert_true (er_reasons_is_empty (er_decision_get_reasons (c)));
}

static void
test_decision_invalid (void)
{
  const struct {
    const char *json;
    const char *path;
    const char *value;
  } bad[] = {
    { fail_decision_json, "receipt_id", NULL },
    { fail_decision_json, "receipt_id", "\"\"" },
    { fail_decision_json, "result", NULL },
    { fail_decision_json, "result", "\"MAYBE\"" },
    { fail_decision_json, "result", "\"fail\"" },
    { fail_decision_json, "result", "false" },
    { fail_decision_json, "status", "\"approved\"" },  /* disagrees with FAIL */
    { pass_decision_json, "status", "\"denied\"" },
    { fail_decision_json, "status", "3" },
    { fail_decision_json, "reason", "\"Name mismatch\"" },
    { fail_decision_json, "reason", "[{\"generalReasons\": \"Name mismatch\"}]" },
    { fail_decision_json, "reason", "42" },
    { fail_decision_json, "decided_by", NULL },
    { fail_decision_json, "decided_by", "{}" },
    { fail_decision_json, "decided_at", NULL },
    { fail_decision_json, "decided_at", "\"2026-11-28 10:01\"" },
    { fail_decision_json, "decided_at", "\"2026-11-28T10:01:02\"" },
    { fail_decision_json, "expected_name", "42" },
    { fail_decision_json, "source", "[]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = modified (bad[i].json, bad[i].path, bad[i].value);

      g_test_message ("%s = %s", bad[i].path, bad[i].value ? bad[i].value : "(absent)");
      decision_fails (node, bad[i].path);
    }

  {
    g_autoptr(JsonNode) node = parse ("[]");
    decision_fails (node, NULL);
  }
}

static char *
request_string (const char      *receipt_id,
                gboolean         approved,
                const ErReasons *reasons)
{
  g_autoptr(JsonNode) node = er_decision_build_request (receipt_id, approved, reasons);

  g_assert_nonnull (node);
  return json_to_string (node, FALSE);
}

static void
test_decision_request (void)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *pass = NULL;
  g_autofree char *pass_with_reasons = NULL;
  g_autofree char *fail = NULL;
  g_autofree char *fail_note = NULL;

  pass = request_string ("6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51", TRUE, NULL);
  g_assert_cmpstr (pass, ==,
                   "{\"EdX-ID\":\"6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51\","
                   "\"Result\":\"PASS\",\"Reason\":\"\",\"MessageType\":\"\"}");

  /* The contract's example. */
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  fail = request_string ("6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51", FALSE, reasons);
  g_assert_cmpstr (fail, ==,
                   "{\"EdX-ID\":\"6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51\","
                   "\"Result\":\"FAIL\","
                   "\"Reason\":[{\"photoIdReasons\":[\"Text not clear\"]},"
                   "{\"generalReasons\":[\"Name mismatch\"]}],"
                   "\"MessageType\":\"\"}");

  /* Reasons are ignored for an approval. */
  pass_with_reasons = request_string ("r", TRUE, reasons);
  g_assert_cmpstr (pass_with_reasons, ==,
                   "{\"EdX-ID\":\"r\",\"Result\":\"PASS\",\"Reason\":\"\",\"MessageType\":\"\"}");

  er_reasons_set_note (reasons, "Nom « Côté »");
  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Photo not provided");
  fail_note = request_string ("r", FALSE, reasons);
  g_assert_cmpstr (fail_note, ==,
                   "{\"EdX-ID\":\"r\",\"Result\":\"FAIL\","
                   "\"Reason\":[{\"userPhotoReasons\":[\"Photo not provided\"]},"
                   "{\"photoIdReasons\":[\"Text not clear\"]},"
                   "{\"generalReasons\":[\"Name mismatch\",\"Nom « Côté »\"]}],"
                   "\"MessageType\":\"\"}");
}

/* Agents */

static void
test_agent (void)
{
  g_autoptr(JsonNode) node = parse ("{\"username\": \"agent.lavoie\", \"full_name\": \"Sophie Lavoie\","
                                    " \"permissions\": [\"review\", \"manual_cases\"], \"team\": \"QC\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = er_agent_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (ER_IS_AGENT (agent));
  g_assert_cmpstr (er_agent_get_username (agent), ==, "agent.lavoie");
  g_assert_cmpstr (er_agent_get_full_name (agent), ==, "Sophie Lavoie");
  g_assert_true (er_agent_has_permission (agent, "review"));
  g_assert_true (er_agent_has_permission (agent, "manual_cases"));
  g_assert_false (er_agent_has_permission (agent, "supervise"));
  g_assert_false (er_agent_has_permission (agent, "Review"));
}

static void
test_agent_no_permissions (void)
{
  g_autoptr(JsonNode) node = parse ("{\"username\": \"a\", \"full_name\": \"\", \"permissions\": []}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = er_agent_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_false (er_agent_has_permission (agent, "review"));
}

static void
test_agent_invalid (void)
{
  const char *base = "{\"username\": \"a\", \"full_name\": \"A\", \"permissions\": [\"review\"]}";
  const struct {
    const char *path;
    const char *value;
  } bad[] = {
    { "username", NULL },
    { "username", "\"\"" },
    { "username", "null" },
    { "username", "1" },
    { "full_name", NULL },
    { "full_name", "[]" },
    { "permissions", NULL },
    { "permissions", "null" },
    { "permissions", "\"review\"" },
    { "permissions", "[\"review\", 3]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = modified (base, bad[i].path, bad[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErAgent) agent = er_agent_new_from_json (node, &error);

      g_test_message ("%s = %s", bad[i].path, bad[i].value ? bad[i].value : "(absent)");
      g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, bad[i].path));
      g_assert_null (agent);
    }
}

/* Orders */

static const char *order_json =
  "{\"invoice_number\": \"EDU-2026-004211\", \"username\": \"fcote\", \"full_name\": \"François Côté\",\n"
  " \"email\": \"fcote@example.org\", \"course_id\": \"course-v1:UMontreal+PSY1010+A2026\",\n"
  " \"course_name\": \"Introduction à la psychologie\", \"mode\": \"verified\", \"paid\": true,\n"
  " \"paid_at\": \"2026-10-02T18:22:10Z\", \"amount\": \"49.00\", \"currency\": \"CAD\",\n"
  " \"upgrade_deadline\": \"2026-12-01T04:59:00Z\", \"verification_deadline\": \"2026-11-15T04:59:00Z\",\n"
  " \"verification_status\": \"none\"}";

static void
test_order (void)
{
  g_autoptr(JsonNode) node = parse (order_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErOrder) order = er_order_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (ER_IS_ORDER (order));
  g_assert_cmpstr (er_order_get_invoice_number (order), ==, "EDU-2026-004211");
  g_assert_cmpstr (er_order_get_username (order), ==, "fcote");
  g_assert_cmpstr (er_order_get_full_name (order), ==, "François Côté");
  g_assert_cmpstr (er_order_get_email (order), ==, "fcote@example.org");
  g_assert_cmpstr (er_order_get_course_id (order), ==, "course-v1:UMontreal+PSY1010+A2026");
  g_assert_cmpstr (er_order_get_course_name (order), ==, "Introduction à la psychologie");
  g_assert_cmpstr (er_order_get_mode (order), ==, "verified");
  g_assert_true (er_order_get_paid (order));
  assert_utc (er_order_get_paid_at (order), 2026, 10, 2, 18, 22, 10);
  g_assert_cmpstr (er_order_get_amount (order), ==, "49.00");
  g_assert_cmpstr (er_order_get_currency (order), ==, "CAD");
  assert_utc (er_order_get_upgrade_deadline (order), 2026, 12, 1, 4, 59, 0);
  assert_utc (er_order_get_verification_deadline (order), 2026, 11, 15, 4, 59, 0);
  g_assert_cmpstr (er_order_get_verification_status (order), ==, "none");
}

static void
test_order_minimal (void)
{
  const char *statuses[] = { "none", "pending", "approved", "denied", "expired" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"invoice_number\": \"I-1\", \"username\": \"u\", \"full_name\": \"U\","
                         " \"paid\": false, \"verification_status\": \"%s\", \"email\": null,"
                         " \"paid_at\": null, \"amount\": null, \"unknown\": [1]}", statuses[i]);
      g_autoptr(JsonNode) node = parse (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErOrder) order = er_order_new_from_json (node, &error);

      g_assert_no_error (error);
      g_assert_false (er_order_get_paid (order));
      g_assert_cmpstr (er_order_get_verification_status (order), ==, statuses[i]);
      g_assert_null (er_order_get_email (order));
      g_assert_null (er_order_get_course_id (order));
      g_assert_null (er_order_get_course_name (order));
      g_assert_null (er_order_get_mode (order));
      g_assert_null (er_order_get_paid_at (order));
      g_assert_null (er_order_get_amount (order));
      g_assert_null (er_order_get_currency (order));
      g_assert_null (er_order_get_upgrade_deadline (order));
      g_assert_null (er_order_get_verification_deadline (order));
    }
}

static void
test_order_invalid (void)
{
  const struct {
    const char *path;
    const char *value;
  } bad[] = {
    { "invoice_number", NULL },
    { "invoice_number", "\"\"" },
    { "invoice_number", "4211" },
    { "username", NULL },
    { "username", "null" },
    { "full_name", NULL },
    { "paid", NULL },
    { "paid", "\"true\"" },
    { "paid", "1" },
    { "paid", "null" },
    { "verification_status", NULL },
    { "verification_status", "\"unknown\"" },
    { "verification_status", "\"None\"" },
    { "email", "false" },
    { "amount", "49.0" },
    { "paid_at", "\"2026-10-02\"" },
    { "upgrade_deadline", "12" },
    { "verification_deadline", "\"2026-11-15T04:59:00\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = modified (order_json, bad[i].path, bad[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErOrder) order = er_order_new_from_json (node, &error);

      g_test_message ("%s = %s", bad[i].path, bad[i].value ? bad[i].value : "(absent)");
      g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, bad[i].path));
      g_assert_null (order);
    }
}

/* Errors */

static void
test_error_transient (void)
{
  const ErError transient[] = { ER_ERROR_NETWORK, ER_ERROR_SERVER, ER_ERROR_RATE_LIMITED };
  const ErError permanent[] = { ER_ERROR_PARSE, ER_ERROR_FORBIDDEN, ER_ERROR_UNAUTHENTICATED,
                                ER_ERROR_CLAIMED_BY_OTHER, ER_ERROR_UNEXPECTED };

  for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ER_ERROR, transient[i], "x");
      g_assert_true (er_error_is_transient (error));
    }
  for (guint i = 0; i < G_N_ELEMENTS (permanent); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ER_ERROR, permanent[i], "x");
      g_assert_false (er_error_is_transient (error));
    }

  {
    /* Same code in another domain is not ours. */
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, ER_ERROR_SERVER, "x");
    g_assert_false (er_error_is_transient (error));
    g_assert_false (er_error_is_transient (NULL));
  }
  g_assert_cmpstr (g_quark_to_string (ER_ERROR), ==, "er-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/case/full", test_case_full);
  g_test_add_func ("/models/case/properties", test_case_properties);
  g_test_add_func ("/models/case/minimal", test_case_minimal);
  g_test_add_func ("/models/case/null-optionals", test_case_null_optionals);
  g_test_add_func ("/models/case/unknown-members", test_case_unknown_members);
  g_test_add_func ("/models/case/required", test_case_required);
  g_test_add_func ("/models/case/bad-values", test_case_bad_values);
  g_test_add_func ("/models/case/dates", test_case_dates);
  g_test_add_func ("/models/case/not-object", test_case_not_object);
  g_test_add_func ("/models/case/previous-reasons", test_case_previous_reasons);
  g_test_add_func ("/models/photo-ref", test_photo_ref);
  g_test_add_func ("/models/decision/fail", test_decision_fail);
  g_test_add_func ("/models/decision/pass", test_decision_pass);
  g_test_add_func ("/models/decision/status-derived", test_decision_status_derived);
  g_test_add_func ("/models/decision/invalid", test_decision_invalid);
  g_test_add_func ("/models/decision/request", test_decision_request);
  g_test_add_func ("/models/agent", test_agent);
  g_test_add_func ("/models/agent/no-permissions", test_agent_no_permissions);
  g_test_add_func ("/models/agent/invalid", test_agent_invalid);
  g_test_add_func ("/models/order", test_order);
  g_test_add_func ("/models/order/minimal", test_order_minimal);
  g_test_add_func ("/models/order/invalid", test_order_invalid);
  g_test_add_func ("/models/error/transient", test_error_transient);

  return g_test_run ();
}
