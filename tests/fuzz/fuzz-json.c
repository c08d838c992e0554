/* fuzz-json.c: the Review API's JSON readers.
 *
 * Input: one byte choosing the reader (modulo 6), then the response body.
 * The body is parsed as er-client.c parses a 2xx body (an immutable
 * JsonParser, the root must be an object), then read by:
 *   0 a case (er_case_new_from_json, and so er_reasons_new_from_json)
 *   1 a page of cases, 2 a page of decisions (GET /cases, GET /decisions:
 *     count, next_cursor, results, each item read as page_handler reads it)
 *   3 an order, 4 a decision, 5 the agent (GET /me)
 * Every getter of what was read is called, so that a value stored wrong is
 * touched.
 */
#include "fuzz-common.h"

#include <json-glib/json-glib.h>

#include "er-agent.h"
#include "er-case.h"
#include "er-json.h"
#include "er-decision.h"
#include "er-order.h"

static void
touch_case (ErCase *kase)
{
  const ErPhotoRef *ref;

  (void) er_case_get_receipt_id (kase);
  (void) er_case_source_to_string (er_case_get_source (kase));
  (void) er_case_get_status (kase);
  (void) g_date_time_to_unix (er_case_get_submitted_at (kase));
  (void) er_case_get_expected_name (kase);
  (void) er_case_get_username (kase);
  (void) er_case_get_email (kase);
  (void) er_case_get_invoice_number (kase);
  (void) er_case_get_attempt (kase);
  (void) er_case_get_previous_reasons (kase);
  (void) er_case_get_claimed_by (kase);
  if (er_case_get_claim_expires_at (kase) != NULL)
    (void) g_date_time_to_unix (er_case_get_claim_expires_at (kase));
  ref = er_case_get_user_photo (kase);
  (void) fuzz_touch (ref->url);
  ref = er_case_get_photo_id (kase);
  (void) fuzz_touch (ref->url);
}

/* The checks of page_handler in er-client.c, on a parsed root. */
static void
read_page (JsonObject *object,
           gboolean    cases)
{
  JsonNode *node;
  JsonArray *results;

  node = json_object_get_member (object, "count");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT)
    return;

  node = json_object_get_member (object, "next_cursor");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING))
    return;

  node = json_object_get_member (object, "results");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  results = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item_node = json_array_get_element (results, i);
      g_autoptr(GError) error = NULL;

      if (cases)
        {
          g_autoptr(ErCase) kase = er_case_new_from_json (item_node, &error);

          if (kase == NULL)
            {
              g_assert (error != NULL);
              return;
            }
          touch_case (kase);
        }
      else
        {
          g_autoptr(ErDecision) decision = er_decision_new_from_json (item_node, &error);

          if (decision == NULL)
            {
              g_assert (error != NULL);
              return;
            }
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  guint reader;

  fuzz_init ();

  if (size < 2)
    return 0;
  reader = data[0] % 6;
  data++;
  size--;

  /* As the client loads every body: bounded depth and size first. */
  parser = json_parser_new_immutable ();
  if (!er_json_load (parser, (const char *) data, size, &error))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  switch (reader)
    {
    case 0:
      {
        g_autoptr(ErCase) kase = er_case_new_from_json (root, &error);

        if (kase != NULL)
          touch_case (kase);
        else
          g_assert (error != NULL);
      }
      break;

    case 1:
    case 2:
      read_page (json_node_get_object (root), reader == 1);
      break;

    case 3:
      {
        g_autoptr(ErOrder) order = er_order_new_from_json (root, &error);

        if (order != NULL)
          {
            (void) er_order_get_invoice_number (order);
            (void) er_order_get_username (order);
            (void) er_order_get_full_name (order);
            (void) er_order_get_paid (order);
            (void) er_order_get_verification_status (order);
          }
        else
          g_assert (error != NULL);
      }
      break;

    case 4:
      {
        g_autoptr(ErDecision) decision = er_decision_new_from_json (root, &error);

        g_assert (decision != NULL || error != NULL);
      }
      break;

    case 5:
    default:
      {
        g_autoptr(ErAgent) agent = er_agent_new_from_json (root, &error);

        if (agent != NULL)
          {
            (void) er_agent_get_username (agent);
            (void) er_agent_get_full_name (agent);
            (void) er_agent_has_permission (agent, "review");
          }
        else
          g_assert (error != NULL);
      }
      break;
    }

  return 0;
}
