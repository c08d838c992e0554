/* er-client.c: the Review API v1 client.
 *
 * One SoupSession per client, without cache, cookie jar or anything else
 * that writes to disk. The bearer token only goes to the configured server
 * origin: API requests never follow redirects, and photo downloads follow
 * them by hand, deciding again for every hop whether the token may be sent.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "er-client-private.h"
#include "er-error.h"
#include "er-secret.h"
#include "er-json.h"

#define ER_CLIENT_TIMEOUT_SECONDS      30
#define ER_CLIENT_IDLE_TIMEOUT_SECONDS 60

#define ER_CLIENT_DEFAULT_MAX_RETRIES  5

G_DEFINE_FINAL_TYPE (ErClient, er_client, G_TYPE_OBJECT)

guint _er_client_signals[ER_CLIENT_N_SIGNALS];

/* ErPage */

static ErPage *
er_page_copy (const ErPage *self)
{
  ErPage *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ErPage, 1);
  copy->count = self->count;
  copy->next_cursor = g_strdup (self->next_cursor);
  copy->etag = g_strdup (self->etag);
  copy->not_modified = self->not_modified;
  copy->items = self->items ? g_object_ref (self->items) : NULL;

  return copy;
}

void
er_page_free (ErPage *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->next_cursor, g_free);
  g_clear_pointer (&self->etag, g_free);
  g_clear_object (&self->items);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (ErPage, er_page, er_page_copy, er_page_free)

static gboolean
token_is_valid (const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;

  /* A bearer token is visible ASCII (RFC 6750 b64token). */
  for (const char *p = token; *p; p++)
    {
      if (*p < 0x21 || *p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static void
er_client_finalize (GObject *object)
{
  ErClient *self = (ErClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->server_uri, g_uri_unref);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->token, er_secret_str_free);

  G_OBJECT_CLASS (er_client_parent_class)->finalize (object);
}

static void
er_client_dispose (GObject *object)
{
  ErClient *self = (ErClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (er_client_parent_class)->dispose (object);
}

static void
er_client_class_init (ErClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = er_client_dispose;
  object_class->finalize = er_client_finalize;

  /* See er-client.h. kind is an ErRequestKind. */
  _er_client_signals[ER_CLIENT_SIGNAL_RETRYING] =
    g_signal_new ("retrying",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_INT, G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  _er_client_signals[ER_CLIENT_SIGNAL_RECOVERED] =
    g_signal_new ("recovered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__INT,
                  G_TYPE_NONE, 1,
                  G_TYPE_INT);
  g_signal_set_va_marshaller (_er_client_signals[ER_CLIENT_SIGNAL_RECOVERED],
                              G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__INTv);
}

static void
er_client_init (ErClient *self)
{
  self->max_retries = ER_CLIENT_DEFAULT_MAX_RETRIES;
  self->api_deadline = ER_CLIENT_API_DEADLINE_SECONDS;
  self->photo_deadline = ER_CLIENT_PHOTO_DEADLINE_SECONDS;
}

ErClient *
er_client_new (const char  *server,
               const char  *token,
               GError     **error)
{
  g_autoptr(ErClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(ErSecretString) clean_token = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = _er_client_parse_origin (server, error);
  if (uri == NULL)
    return NULL;

  clean_token = g_strstrip (g_strdup (token ? token : ""));
  if (!token_is_valid (clean_token))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED,
                           *clean_token == '\0'
                             ? _("Enter your access token.")
                             : _("The access token contains characters that are not allowed. "
                                 "Copy it again from the platform."));
      return NULL;
    }

  self = g_object_new (ER_TYPE_CLIENT, NULL);
  self->server_uri = g_steal_pointer (&uri);
  self->server = g_uri_to_string (self->server_uri);
  self->token = g_steal_pointer (&clean_token);

  self->session = soup_session_new_with_options ("user-agent", "EDUlibReviewer/" PACKAGE_VERSION,
                                                 "timeout", ER_CLIENT_TIMEOUT_SECONDS,
                                                 "idle-timeout", ER_CLIENT_IDLE_TIMEOUT_SECONDS,
                                                 "max-conns", ER_CLIENT_MAX_CONNS,
                                                 "max-conns-per-host", ER_CLIENT_MAX_CONNS_PER_HOST,
                                                 NULL);

  g_debug ("Client for %s", self->server);

  return g_steal_pointer (&self);
}

const char *
er_client_get_server (ErClient *self)
{
  g_return_val_if_fail (ER_IS_CLIENT (self), NULL);

  return self->server;
}

void
er_client_set_max_retries (ErClient *self,
                           guint     max_retries)
{
  g_return_if_fail (ER_IS_CLIENT (self));

  self->max_retries = max_retries;
}

guint
er_client_get_max_retries (ErClient *self)
{
  g_return_val_if_fail (ER_IS_CLIENT (self), 0);

  return self->max_retries;
}

void
er_client_set_request_deadlines (ErClient *self,
                                 guint     api_seconds,
                                 guint     photo_seconds)
{
  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (api_seconds > 0 && photo_seconds > 0);

  self->api_deadline = api_seconds;
  self->photo_deadline = photo_seconds;
}

char *
er_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

void
_er_client_set_authorization (ErClient           *self,
                              SoupMessageHeaders *headers)
{
  g_autoptr(ErSecretString) authorization = g_strdup_printf ("Bearer %s", self->token);

  soup_message_headers_replace (headers, "Authorization", authorization);
}

/* API calls */

typedef struct _ApiCall ApiCall;

/* Called for a 2xx (root: the parsed object; NULL for 204) or, when
 * allowed, a 304 (root NULL). Must return a result on the task. */
typedef void (*ApiHandler) (GTask       *task,
                            ApiCall     *call,
                            SoupMessage *msg,
                            JsonNode    *root);

struct _ApiCall
{
  SoupMessage *msg;
  ApiHandler   handler;
  GType        item_type;       /* list pages: ER_TYPE_CASE or ER_TYPE_DECISION */
  ErConflict  *conflict;        /* filled on 409 */
  gboolean     allow_empty;     /* 204 / empty 2xx body is a success */
  gboolean     ignore_body;     /* any 2xx is a success, whatever its body */
  gboolean     allow_not_modified;
  gboolean     existing;        /* manual case: 200 rather than 201 */
  char        *public_key_pem;  /* verification key */
  char        *fingerprint;
  ErRetry      retry;
  ErDeadline   deadline;
  gsize        max_bytes;       /* of a 2xx body, decompressed */

  /* The response being read. */
  GInputStream *stream;
  GByteArray   *buffer;
  gboolean      error_body;     /* reading the body of a non-2xx response */

  /* The request, kept to build it again for a retry. */
  const char  *method;          /* an interned SOUP_METHOD_* */
  GUri        *uri;
  GBytes      *body;            /* nullable */
  char        *idempotency_key; /* nullable */
  char        *if_none_match;   /* nullable */
};

static void
api_call_free (ApiCall *call)
{
  _er_deadline_stop (&call->deadline);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->uri, g_uri_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->idempotency_key, g_free);
  g_clear_pointer (&call->if_none_match, g_free);
  g_clear_pointer (&call->conflict, er_conflict_free);
  g_clear_pointer (&call->public_key_pem, g_free);
  g_clear_pointer (&call->fingerprint, g_free);
  g_free (call);
}

static GTask *
api_task_new (ErClient            *self,
              gpointer             source_tag,
              ApiHandler           handler,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ApiCall *call = g_new0 (ApiCall, 1);

  call->handler = handler;
  call->max_bytes = ER_CLIENT_MAX_OBJECT_BODY;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify)api_call_free);

  return task;
}

/* Makes the task's request one that is retried on a transient failure. */
static void api_call_send (GTask *task);

static void
api_task_retry_as (GTask         *task,
                   ErRequestKind  kind)
{
  ApiCall *call = g_task_get_task_data (task);

  _er_retry_init (&call->retry, kind, api_call_send);
}

/* The checks every _finish makes before looking at its result. */
gboolean
_er_client_result_is_valid (ErClient     *self,
                            GAsyncResult *result,
                            gpointer      source_tag)
{
  g_return_val_if_fail (ER_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

/* Checks, hands over the 409 details (when conflict is non-NULL) and
 * propagates the task's pointer. */
static gpointer
api_finish_pointer (ErClient      *self,
                    GAsyncResult  *result,
                    gpointer       source_tag,
                    ErConflict   **conflict,
                    GError       **error)
{
  if (!_er_client_result_is_valid (self, result, source_tag))
    return NULL;

  if (conflict != NULL)
    {
      ApiCall *call = g_task_get_task_data (G_TASK (result));

      *conflict = g_steal_pointer (&call->conflict);
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns object on the task, or (it is NULL) a parse error naming what,
 * after logging *error; what NULL: *error itself is returned. */
static void
api_return_object (GTask       *task,
                   gpointer     object,
                   GError     **error,
                   const char  *what)
{
  g_autofree char *debug = NULL;

  if (object != NULL)
    {
      g_task_return_pointer (task, object, g_object_unref);
      return;
    }

  if (what == NULL)
    {
      g_task_return_error (task, g_steal_pointer (error));
      return;
    }

  g_debug ("%s: %s", what, (*error)->message);
  g_clear_error (error);
  debug = g_strconcat ("bad ", what, NULL);
  g_task_return_error (task, _er_client_parse_error (debug));
}

/* A failure to send the request or read its response: retried when it
 * may pass, else returned. */
static void
api_network_error (GTask  *task,
                   GError *error)
{
  ApiCall *call = g_task_get_task_data (task);

  _er_client_retry_network_failure (task, &call->retry, &call->deadline, call->msg, error);
}

/* The whole response is in: body holds it, at most its cap. */
static void
api_handle_response (GTask  *task,
                     GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  ApiCall *call = g_task_get_task_data (task);
  JsonNode *root;
  const char *data;
  gsize size = 0;
  guint status;

  _er_deadline_stop (&call->deadline);

  status = soup_message_get_status (call->msg);
  g_debug ("%s %s -> %u", soup_message_get_method (call->msg),
           g_uri_get_path (soup_message_get_uri (call->msg)), status);

  if (status == SOUP_STATUS_NOT_MODIFIED && call->allow_not_modified)
    {
      _er_client_retry_succeeded (task, &call->retry);
      call->handler (task, call, call->msg, NULL);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(GError) mapped = NULL;

      mapped = _er_client_error_from_response (call->msg, body, TRUE, &call->conflict);
      if (_er_client_retry (task, &call->retry, call->msg, NULL, mapped))
        g_clear_pointer (&call->conflict, er_conflict_free);
      else
        g_task_return_error (task, g_steal_pointer (&mapped));
      return;
    }

  _er_client_retry_succeeded (task, &call->retry);

  data = g_bytes_get_data (body, &size);
  if (size == 0 || status == SOUP_STATUS_NO_CONTENT || call->ignore_body)
    {
      if (call->allow_empty)
        call->handler (task, call, call->msg, NULL);
      else
        g_task_return_error (task, _er_client_parse_error ("empty body"));
      return;
    }

  /* Bounded in depth and values: json-glib recurses for every level. */
  parser = json_parser_new_immutable ();
  if (!er_json_load (parser, data, size, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, _er_client_parse_error ("root is not an object"));
      return;
    }

  call->handler (task, call, call->msg, root);
}

static void
api_body_done (GTask *task)
{
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer));

  /* Not read to its end when cut at a cap: the connection is not reused. */
  g_clear_object (&call->stream);
  api_handle_response (task, body);
}

/* Reads the body with a running count of its decompressed bytes: a 2xx
 * over call->max_bytes fails at once; an error body is cut at
 * ER_CLIENT_MAX_ERROR_BODY (then left unread: it is only a hint). */
static void
api_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  ApiCall *call = g_task_get_task_data (task);
  gsize limit = call->error_body ? ER_CLIENT_MAX_ERROR_BODY : call->max_bytes;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      g_clear_object (&call->stream);
      g_clear_pointer (&call->buffer, g_byte_array_unref);
      api_network_error (task, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      api_body_done (task);
      return;
    }

  if (call->buffer->len + size > limit)
    {
      if (call->error_body)
        {
          g_byte_array_append (call->buffer, g_bytes_get_data (chunk, NULL),
                               limit - call->buffer->len);
          api_body_done (task);
          return;
        }

      _er_deadline_stop (&call->deadline);
      g_clear_object (&call->stream);
      g_clear_pointer (&call->buffer, g_byte_array_unref);
      g_task_return_error (task, _er_client_too_large_error (call->max_bytes));
      return;
    }

  g_byte_array_append (call->buffer, g_bytes_get_data (chunk, NULL), size);

  g_input_stream_read_bytes_async (stream, ER_CLIENT_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->deadline.cancellable, api_read_cb,
                                   g_steal_pointer (&task));
}

static void
api_sent_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ApiCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  guint status;

  call->stream = soup_session_send_finish (session, result, &error);
  if (call->stream == NULL)
    {
      api_network_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (call->msg);
  headers = soup_message_get_response_headers (call->msg);
  call->error_body = !SOUP_STATUS_IS_SUCCESSFUL (status);
  call->buffer = g_byte_array_new ();

  /* A Content-Length over the cap fails before reading anything. It counts
   * encoded bytes, and a gzip of JSON is smaller than the JSON. */
  if (!call->error_body &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64)soup_message_headers_get_content_length (headers) > (guint64)call->max_bytes)
    {
      g_debug ("%s %s -> %u, Content-Length %" G_GINT64_FORMAT, soup_message_get_method (call->msg),
               g_uri_get_path (soup_message_get_uri (call->msg)), status,
               soup_message_headers_get_content_length (headers));
      _er_deadline_stop (&call->deadline);
      g_clear_object (&call->stream);
      g_clear_pointer (&call->buffer, g_byte_array_unref);
      g_task_return_error (task, _er_client_too_large_error (call->max_bytes));
      return;
    }

  g_input_stream_read_bytes_async (call->stream, ER_CLIENT_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->deadline.cancellable, api_read_cb,
                                   g_steal_pointer (&task));
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static void
append_query (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
}

/* limit=N (left out for 0, the server's default), then cursor. */
static void
append_page_query (GString    *query,
                   guint       limit,
                   const char *cursor)
{
  if (limit > 0)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", limit);
      append_query (query, "limit", text);
    }
  append_query (query, "cursor", cursor);
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Builds call's request (again, for a retry) and sends it; takes the task. */
static void
api_call_send (GTask *task)
{
  ErClient *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_clear_object (&call->msg);
  call->msg = soup_message_new_from_uri (call->method, call->uri);
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  _er_client_watch_certificate (call->msg);

  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  /* The token never leaves the server origin. */
  if (_er_uri_same_origin (call->uri, self->server_uri))
    _er_client_set_authorization (self, headers);

  if (call->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);
  if (call->if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", call->if_none_match);

  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, "application/json", call->body);

  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                           _er_deadline_start (&call->deadline, task, self->api_deadline),
                           api_sent_cb, task);
}

/* Sends an API request; takes the task. path is relative to ER_API_PREFIX
 * and already escaped; query is an encoded query string or NULL. */
static void
api_send (GTask      *task,
          const char *method,
          const char *path,
          const char *query,
          JsonNode   *body,
          const char *idempotency_key,
          const char *if_none_match)
{
  ErClient *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  url = g_strconcat (self->server, ER_API_PREFIX, path,
                     query != NULL && *query != '\0' ? "?" : "",
                     query != NULL ? query : "",
                     NULL);
  call->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (call->uri == NULL)
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_BAD_REQUEST,
                               _("The request could not be built. This is a bug in EDUlib "
                                 "Reviewer; please report it."));
      g_object_unref (task);
      return;
    }

  call->method = method;
  call->idempotency_key = g_strdup (idempotency_key);
  /* A 304 can only answer a conditional request. */
  call->allow_not_modified = if_none_match != NULL;
  call->if_none_match = g_strdup (if_none_match);

  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);

      call->body = g_bytes_new_take (g_steal_pointer (&text), len);
    }

  g_debug ("%s %s%s", method, ER_API_PREFIX, path);

  api_call_send (task);
}

/* GET /me */

static void
me_handler (GTask       *task,
            ApiCall     *call,
            SoupMessage *msg,
            JsonNode    *root)
{
  GError *error = NULL;

  api_return_object (task, er_agent_new_from_json (root, &error), &error, NULL);
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

  task = api_task_new (self, er_client_get_me_async, me_handler, cancellable, callback, user_data);
  api_task_retry_as (task, ER_REQUEST_ME);
  api_send (task, SOUP_METHOD_GET, "me", NULL, NULL, NULL, NULL);
}

ErAgent *
er_client_get_me_finish (ErClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return api_finish_pointer (self, result, er_client_get_me_async, NULL, error);
}

/* Pages */

static void
page_handler (GTask       *task,
              ApiCall     *call,
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
  GTask *task = api_task_new (self, source_tag, page_handler, cancellable, callback, user_data);
  ApiCall *call = g_task_get_task_data (task);

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
      append_query (params, "status", query->status);
      append_query (params, "source", query->source);
      if (query->q != NULL && *query->q != '\0')
        append_query (params, "q", query->q);
      if (query->newest_first)
        append_query (params, "order", "newest");
      append_page_query (params, query->limit, query->cursor);
    }

  api_task_retry_as (task, ER_REQUEST_CASES);
  api_send (task, SOUP_METHOD_GET, "cases", params->str, NULL, NULL,
            query != NULL ? query->if_none_match : NULL);
}

ErPage *
er_client_list_cases_finish (ErClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return api_finish_pointer (self, result, er_client_list_cases_async, NULL, error);
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
      append_query (params, "agent", query->agent);
      if (query->since != NULL)
        {
          g_autofree char *since = format_utc (query->since);
          append_query (params, "since", since);
        }
      append_page_query (params, query->limit, query->cursor);
    }

  api_task_retry_as (task, ER_REQUEST_DECISIONS);
  api_send (task, SOUP_METHOD_GET, "decisions", params->str, NULL, NULL, NULL);
}

ErPage *
er_client_list_decisions_finish (ErClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return api_finish_pointer (self, result, er_client_list_decisions_async, NULL, error);
}

/* Cases and claims */

static void
case_handler (GTask       *task,
              ApiCall     *call,
              SoupMessage *msg,
              JsonNode    *root)
{
  GError *error = NULL;

  call->existing = soup_message_get_status (msg) == SOUP_STATUS_OK;
  api_return_object (task, er_case_new_from_json (root, &error), &error, "case");
}

static char *
case_path (const char *receipt_id,
           const char *suffix)
{
  g_autofree char *escaped = escape_segment (receipt_id);

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

  task = api_task_new (self, er_client_get_case_async, case_handler, cancellable, callback, user_data);
  api_task_retry_as (task, ER_REQUEST_CASE);
  path = case_path (receipt_id, NULL);
  api_send (task, SOUP_METHOD_GET, path, NULL, NULL, NULL, NULL);
}

ErCase *
er_client_get_case_finish (ErClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return api_finish_pointer (self, result, er_client_get_case_async, NULL, error);
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

  task = api_task_new (self, er_client_claim_async, case_handler, cancellable, callback, user_data);
  /* Posting a claim again only renews it. */
  api_task_retry_as (task, ER_REQUEST_CLAIM);
  path = case_path (receipt_id, "/claim");
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  api_send (task, SOUP_METHOD_POST, path, NULL, body, NULL, NULL);
}

ErCase *
er_client_claim_finish (ErClient      *self,
                        GAsyncResult  *result,
                        ErConflict   **conflict,
                        GError       **error)
{
  return api_finish_pointer (self, result, er_client_claim_async, conflict, error);
}

static void
release_handler (GTask       *task,
                 ApiCall     *call,
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
  ApiCall *call;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (receipt_id != NULL && *receipt_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = api_task_new (self, er_client_release_async, release_handler, cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->allow_empty = TRUE;
  call->ignore_body = TRUE;
  api_task_retry_as (task, ER_REQUEST_RELEASE);
  path = case_path (receipt_id, "/claim");
  api_send (task, SOUP_METHOD_DELETE, path, NULL, NULL, NULL, NULL);
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
                  ApiCall     *call,
                  SoupMessage *msg,
                  JsonNode    *root)
{
  GError *error = NULL;

  api_return_object (task, er_decision_new_from_json (root, &error), &error, "decision");
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

  task = api_task_new (self, er_client_decide_async, decision_handler, cancellable, callback, user_data);

  if (!approved && !denial_reasons_validate (reasons, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  path = case_path (receipt_id, "/decision");
  body = er_decision_build_request (receipt_id, approved, approved ? NULL : reasons);
  api_send (task, SOUP_METHOD_POST, path, NULL, body, idempotency_key, NULL);
}

ErDecision *
er_client_decide_finish (ErClient      *self,
                         GAsyncResult  *result,
                         ErConflict   **conflict,
                         GError       **error)
{
  return api_finish_pointer (self, result, er_client_decide_async, conflict, error);
}

/* Orders, keys, manual cases */

static void
order_handler (GTask       *task,
               ApiCall     *call,
               SoupMessage *msg,
               JsonNode    *root)
{
  GError *error = NULL;

  api_return_object (task, er_order_new_from_json (root, &error), &error, "order");
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

  task = api_task_new (self, er_client_get_order_async, order_handler, cancellable, callback, user_data);
  api_task_retry_as (task, ER_REQUEST_ORDER);
  escaped = escape_segment (invoice_number);
  path = g_strconcat ("orders/", escaped, NULL);
  api_send (task, SOUP_METHOD_GET, path, NULL, NULL, NULL, NULL);
}

ErOrder *
er_client_get_order_finish (ErClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return api_finish_pointer (self, result, er_client_get_order_async, NULL, error);
}

static void
key_handler (GTask       *task,
             ApiCall     *call,
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

  task = api_task_new (self, er_client_get_verification_key_async, key_handler,
                       cancellable, callback, user_data);
  api_task_retry_as (task, ER_REQUEST_KEY);
  api_send (task, SOUP_METHOD_GET, "keys/verification", NULL, NULL, NULL, NULL);
}

gboolean
er_client_get_verification_key_finish (ErClient      *self,
                                       GAsyncResult  *result,
                                       char         **public_key_pem,
                                       char         **fingerprint_sha256,
                                       GError       **error)
{
  ApiCall *call;

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
      g_autofree char *received_at = format_utc (request->received_at);

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

  task = api_task_new (self, er_client_create_manual_case_async, case_handler,
                       cancellable, callback, user_data);
  body = build_manual_case (request);
  api_send (task, SOUP_METHOD_POST, "manual-cases", NULL, body, idempotency_key, NULL);
}

ErCase *
er_client_create_manual_case_finish (ErClient      *self,
                                     GAsyncResult  *result,
                                     gboolean      *existing,
                                     GError       **error)
{
  ApiCall *call;
  ErCase *ret;

  if (!_er_client_result_is_valid (self, result, er_client_create_manual_case_async))
    return NULL;

  call = g_task_get_task_data (G_TASK (result));
  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (existing != NULL)
    *existing = ret != NULL && call->existing;

  return ret;
}
