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

/* API calls: ErApiCall is in er-client-private.h */

static void
api_call_free (ErApiCall *call)
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

GTask *
_er_api_task_new (ErClient            *self,
                  gpointer             source_tag,
                  ErApiHandler        handler,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ErApiCall *call = g_new0 (ErApiCall, 1);

  call->handler = handler;
  call->max_bytes = ER_CLIENT_MAX_OBJECT_BODY;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify)api_call_free);

  return task;
}

/* Makes the task's request one that is retried on a transient failure. */
static void api_call_send (GTask *task);

void
_er_api_task_retry_as (GTask         *task,
                       ErRequestKind  kind)
{
  ErApiCall *call = g_task_get_task_data (task);

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
gpointer
_er_api_finish_pointer (ErClient      *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        ErConflict   **conflict,
                        GError       **error)
{
  if (!_er_client_result_is_valid (self, result, source_tag))
    return NULL;

  if (conflict != NULL)
    {
      ErApiCall *call = g_task_get_task_data (G_TASK (result));

      *conflict = g_steal_pointer (&call->conflict);
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns object on the task, or (it is NULL) a parse error naming what,
 * after logging *error; what NULL: *error itself is returned. */
void
_er_api_return_object (GTask       *task,
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
  ErApiCall *call = g_task_get_task_data (task);

  _er_client_retry_network_failure (task, &call->retry, &call->deadline, call->msg, error);
}

/* The whole response is in: body holds it, at most its cap. */
static void
api_handle_response (GTask  *task,
                     GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  ErApiCall *call = g_task_get_task_data (task);
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
  ErApiCall *call = g_task_get_task_data (task);
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
  ErApiCall *call = g_task_get_task_data (task);
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
  ErApiCall *call = g_task_get_task_data (task);
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

char *
_er_api_escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

void
_er_api_append_query (GString    *query,
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
void
_er_api_append_page_query (GString    *query,
                           guint       limit,
                           const char *cursor)
{
  if (limit > 0)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", limit);
      _er_api_append_query (query, "limit", text);
    }
  _er_api_append_query (query, "cursor", cursor);
}

char *
_er_api_format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Builds call's request (again, for a retry) and sends it; takes the task. */
static void
api_call_send (GTask *task)
{
  ErClient *self = g_task_get_source_object (task);
  ErApiCall *call = g_task_get_task_data (task);
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
void
_er_api_send (GTask      *task,
              const char *method,
              const char *path,
              const char *query,
              JsonNode   *body,
              const char *idempotency_key,
              const char *if_none_match)
{
  ErClient *self = g_task_get_source_object (task);
  ErApiCall *call = g_task_get_task_data (task);
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
