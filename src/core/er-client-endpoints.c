/* er-client-endpoints.c: the endpoints of the Review API v1, one
 * _async/_finish pair per request of the contract, built on the request
 * machinery of er-client.c (ErApiCall).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "er-client-private.h"
#include "er-error.h"
#include "er-json.h"

/* GET /me */

static void
me_handler (GTask       *task,
            ErApiCall   *call,
            SoupMessage *msg,
            JsonNode    *root)
{
  GError *error = NULL;

  _er_api_return_object (task, er_agent_new_from_json (root, &error), &error, NULL);
}

void
er_client_get_me_async (ErClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_get_me_async, me_handler, cancellable, callback, user_data);
  _er_api_task_retry_as (task, ER_REQUEST_ME);
  _er_api_send (task, SOUP_METHOD_GET, "me", NULL, NULL, NULL, NULL);
}

ErAgent *
er_client_get_me_finish (ErClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_get_me_async, NULL, error);
}

/* Pages */

static void
page_handler (GTask       *task,
              ErApiCall   *call,
              SoupMessage *msg,
              JsonNode    *root)
{
  g_autoptr(ErPage) page = g_new0 (ErPage, 1);
  const char *etag;
  JsonObject *object;
  JsonNode *node;
  JsonArray *results;
  gint64 count;

  page->items = g_list_store_new (call->item_type);

  etag = soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag");
  page->etag = g_strdup (etag);

  if (soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED)
    {
      page->not_modified = TRUE;
      g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify)er_page_free);
      return;
    }

  if (root == NULL)
    {
      g_task_return_error (task, _er_client_parse_error ("page: empty body"));
      return;
    }

  object = json_node_get_object (root);

  node = json_object_get_member (object, "count");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      (count = json_node_get_int (node)) < 0 || count > G_MAXUINT)
    {
      g_task_return_error (task, _er_client_parse_error ("page: bad count"));
      return;
    }
  page->count = (guint)count;

  node = json_object_get_member (object, "next_cursor");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_task_return_error (task, _er_client_parse_error ("page: bad next_cursor"));
          return;
        }
      page->next_cursor = g_strdup (json_node_get_string (node));
    }

  node = json_object_get_member (object, "results");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, _er_client_parse_error ("page: bad results"));
      return;
    }
  results = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item_node = json_array_get_element (results, i);
      g_autoptr(GObject) item = NULL;
      GError *error = NULL;

      if (call->item_type == ER_TYPE_CASE)
        item = G_OBJECT (er_case_new_from_json (item_node, &error));
      else
        item = G_OBJECT (er_decision_new_from_json (item_node, &error));

      if (item == NULL)
        {
          g_debug ("page: item %u: %s", i, error->message);
          g_clear_error (&error);
          g_task_return_error (task, _er_client_parse_error ("page: bad item"));
          return;
        }

      g_list_store_append (page->items, item);
    }

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify)er_page_free);
}

/* A task for a list endpoint whose results are item_type objects. */
static GTask *
page_task_new (ErClient            *self,
               gpointer             source_tag,
               GType                item_type,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = _er_api_task_new (self, source_tag, page_handler, cancellable, callback, user_data);
  ErApiCall *call = g_task_get_task_data (task);

  call->item_type = item_type;
  call->max_bytes = ER_CLIENT_MAX_PAGE_BODY;
  return task;
}

void
er_client_list_cases_async (ErClient            *self,
                            const ErCaseQuery   *query,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GString) params = g_string_new (NULL);
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = page_task_new (self, er_client_list_cases_async, ER_TYPE_CASE, cancellable, callback, user_data);

  if (query != NULL)
    {
      _er_api_append_query (params, "status", query->status);
      _er_api_append_query (params, "source", query->source);
      if (query->q != NULL && *query->q != '\0')
        _er_api_append_query (params, "q", query->q);
      if (query->newest_first)
        _er_api_append_query (params, "order", "newest");
      _er_api_append_page_query (params, query->limit, query->cursor);
    }

  _er_api_task_retry_as (task, ER_REQUEST_CASES);
  _er_api_send (task, SOUP_METHOD_GET, "cases", params->str, NULL, NULL,
                query != NULL ? query->if_none_match : NULL);
}

ErPage *
er_client_list_cases_finish (ErClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_list_cases_async, NULL, error);
}

void
er_client_list_decisions_async (ErClient              *self,
                                const ErDecisionQuery *query,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GString) params = g_string_new (NULL);
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = page_task_new (self, er_client_list_decisions_async, ER_TYPE_DECISION, cancellable, callback, user_data);

  if (query != NULL)
    {
      _er_api_append_query (params, "agent", query->agent);
      if (query->since != NULL)
        {
          g_autofree char *since = _er_api_format_utc (query->since);
          _er_api_append_query (params, "since", since);
        }
      _er_api_append_page_query (params, query->limit, query->cursor);
    }

  _er_api_task_retry_as (task, ER_REQUEST_DECISIONS);
  _er_api_send (task, SOUP_METHOD_GET, "decisions", params->str, NULL, NULL, NULL);
}

ErPage *
er_client_list_decisions_finish (ErClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_list_decisions_async, NULL, error);
}

/* Cases and claims */

static void
case_handler (GTask       *task,
              ErApiCall   *call,
              SoupMessage *msg,
              JsonNode    *root)
{
  GError *error = NULL;

  call->existing = soup_message_get_status (msg) == SOUP_STATUS_OK;
  _er_api_return_object (task, er_case_new_from_json (root, &error), &error, "case");
}

static char *
case_path (const char *receipt_id,
           const char *suffix)
{
  g_autofree char *escaped = _er_api_escape_segment (receipt_id);

  return g_strconcat ("cases/", escaped, suffix, NULL);
}

void
er_client_get_case_async (ErClient            *self,
                          const char          *receipt_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (receipt_id != NULL && *receipt_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_get_case_async, case_handler, cancellable, callback, user_data);
  _er_api_task_retry_as (task, ER_REQUEST_CASE);
  path = case_path (receipt_id, NULL);
  _er_api_send (task, SOUP_METHOD_GET, path, NULL, NULL, NULL, NULL);
}

ErCase *
er_client_get_case_finish (ErClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_get_case_async, NULL, error);
}

void
er_client_claim_async (ErClient            *self,
                       const char          *receipt_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (receipt_id != NULL && *receipt_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_claim_async, case_handler, cancellable, callback, user_data);
  /* Posting a claim again only renews it. */
  _er_api_task_retry_as (task, ER_REQUEST_CLAIM);
  path = case_path (receipt_id, "/claim");
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  _er_api_send (task, SOUP_METHOD_POST, path, NULL, body, NULL, NULL);
}

ErCase *
er_client_claim_finish (ErClient      *self,
                        GAsyncResult  *result,
                        ErConflict   **conflict,
                        GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_claim_async, conflict, error);
}

static void
release_handler (GTask       *task,
                 ErApiCall   *call,
                 SoupMessage *msg,
                 JsonNode    *root)
{
  g_task_return_boolean (task, TRUE);
}

void
er_client_release_async (ErClient            *self,
                         const char          *receipt_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;
  ErApiCall *call;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (receipt_id != NULL && *receipt_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_release_async, release_handler, cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->allow_empty = TRUE;
  call->ignore_body = TRUE;
  _er_api_task_retry_as (task, ER_REQUEST_RELEASE);
  path = case_path (receipt_id, "/claim");
  _er_api_send (task, SOUP_METHOD_DELETE, path, NULL, NULL, NULL, NULL);
}

gboolean
er_client_release_finish (ErClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  if (!_er_client_result_is_valid (self, result, er_client_release_async))
    return FALSE;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Decisions */

static void
decision_handler (GTask       *task,
                  ErApiCall   *call,
                  SoupMessage *msg,
                  JsonNode    *root)
{
  GError *error = NULL;

  _er_api_return_object (task, er_decision_new_from_json (root, &error), &error, "decision");
}

/* Checked before sending: a denial needs valid reasons. */
static gboolean
denial_reasons_validate (const ErReasons  *reasons,
                         GError          **error)
{
  if (reasons == NULL)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                           _("Choose at least one reason for the denial."));
      return FALSE;
    }

  return er_reasons_validate (reasons, error);
}

void
er_client_decide_async (ErClient            *self,
                        const char          *receipt_id,
                        gboolean             approved,
                        const ErReasons     *reasons,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (receipt_id != NULL && *receipt_id != '\0');
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_decide_async, decision_handler, cancellable, callback, user_data);

  if (!approved && !denial_reasons_validate (reasons, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  path = case_path (receipt_id, "/decision");
  body = er_decision_build_request (receipt_id, approved, approved ? NULL : reasons);
  _er_api_send (task, SOUP_METHOD_POST, path, NULL, body, idempotency_key, NULL);
}

ErDecision *
er_client_decide_finish (ErClient      *self,
                         GAsyncResult  *result,
                         ErConflict   **conflict,
                         GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_decide_async, conflict, error);
}

/* Orders, keys, manual cases */

static void
order_handler (GTask       *task,
               ErApiCall   *call,
               SoupMessage *msg,
               JsonNode    *root)
{
  GError *error = NULL;

  _er_api_return_object (task, er_order_new_from_json (root, &error), &error, "order");
}

void
er_client_get_order_async (ErClient            *self,
                           const char          *invoice_number,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (invoice_number != NULL && *invoice_number != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_get_order_async, order_handler, cancellable, callback, user_data);
  _er_api_task_retry_as (task, ER_REQUEST_ORDER);
  escaped = _er_api_escape_segment (invoice_number);
  path = g_strconcat ("orders/", escaped, NULL);
  _er_api_send (task, SOUP_METHOD_GET, path, NULL, NULL, NULL, NULL);
}

ErOrder *
er_client_get_order_finish (ErClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _er_api_finish_pointer (self, result, er_client_get_order_async, NULL, error);
}

static void
key_handler (GTask       *task,
             ErApiCall   *call,
             SoupMessage *msg,
             JsonNode    *root)
{
  JsonObject *object = json_node_get_object (root);
  const char *pem = _er_json_get_string_or_null (object, "public_key_pem");
  const char *fingerprint = _er_json_get_string_or_null (object, "fingerprint_sha256");

  if (pem == NULL || *pem == '\0' || fingerprint == NULL || *fingerprint == '\0')
    {
      g_task_return_error (task, _er_client_parse_error ("verification key: missing members"));
      return;
    }

  call->public_key_pem = g_strdup (pem);
  call->fingerprint = g_strdup (fingerprint);
  g_task_return_boolean (task, TRUE);
}

void
er_client_get_verification_key_async (ErClient            *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_get_verification_key_async, key_handler,
                           cancellable, callback, user_data);
  _er_api_task_retry_as (task, ER_REQUEST_KEY);
  _er_api_send (task, SOUP_METHOD_GET, "keys/verification", NULL, NULL, NULL, NULL);
}

gboolean
er_client_get_verification_key_finish (ErClient      *self,
                                       GAsyncResult  *result,
                                       char         **public_key_pem,
                                       char         **fingerprint_sha256,
                                       GError       **error)
{
  ErApiCall *call;

  if (!_er_client_result_is_valid (self, result, er_client_get_verification_key_async))
    return FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  call = g_task_get_task_data (G_TASK (result));
  if (public_key_pem != NULL)
    *public_key_pem = g_steal_pointer (&call->public_key_pem);
  if (fingerprint_sha256 != NULL)
    *fingerprint_sha256 = g_steal_pointer (&call->fingerprint);

  return TRUE;
}

static JsonNode *
build_manual_case (const ErManualCase *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "invoice_number");
  json_builder_add_string_value (builder, request->invoice_number);

  if (request->username != NULL)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, request->username);
    }

  if (request->received_at != NULL)
    {
      g_autofree char *received_at = _er_api_format_utc (request->received_at);

      json_builder_set_member_name (builder, "received_at");
      json_builder_add_string_value (builder, received_at);
    }

  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, request->message_id);

  json_builder_set_member_name (builder, "user_photo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, request->user_photo_data);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, request->user_photo_key);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "photo_id");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, request->photo_id_data);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, request->photo_id_key);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
er_client_create_manual_case_async (ErClient            *self,
                                    const ErManualCase  *request,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->invoice_number != NULL);
  g_return_if_fail (request->message_id != NULL);
  g_return_if_fail (request->user_photo_data != NULL && request->user_photo_key != NULL);
  g_return_if_fail (request->photo_id_data != NULL && request->photo_id_key != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _er_api_task_new (self, er_client_create_manual_case_async, case_handler,
                           cancellable, callback, user_data);
  body = build_manual_case (request);
  _er_api_send (task, SOUP_METHOD_POST, "manual-cases", NULL, body, idempotency_key, NULL);
}

ErCase *
er_client_create_manual_case_finish (ErClient      *self,
                                     GAsyncResult  *result,
                                     gboolean      *existing,
                                     GError       **error)
{
  ErApiCall *call;
  ErCase *ret;

  if (!_er_client_result_is_valid (self, result, er_client_create_manual_case_async))
    return NULL;

  call = g_task_get_task_data (G_TASK (result));
  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (existing != NULL)
    *existing = ret != NULL && call->existing;

  return ret;
}
