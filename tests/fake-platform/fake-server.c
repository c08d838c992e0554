/* fake-server.c: SoupServer handlers of the fake platform.
 *
 * The API origin serves /api/review/v1/ (bearer token required) and the
 * test-only /_fake/ endpoints; the storage origin serves the learner photos
 * at /face/<receipt_id>?X-Amz-Signature=<hex> and refuses any request that
 * carries an Authorization header. All the logic lives in fake-store.c.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fake-server.h"

#define API_PREFIX "/api/review/v1/"
#define FAKE_PREFIX "/_fake/"

struct _FakeServer {
  FakeStore  *store;
  SoupServer *api;
  SoupServer *storage;
  char       *api_origin;
  char       *storage_origin;
};

static void
send_reply (SoupServerMessage *msg, FakeReply *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (reply->etag != NULL)
    soup_message_headers_replace (headers, "ETag", reply->etag);
  if (reply->www_authenticate)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer");
  if (reply->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      reply->body, strlen (reply->body));
}

static void
send_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr(FakeReply) reply = fake_reply_error (status, code, message);

  send_reply (msg, reply);
}

static void
send_bytes (SoupServerMessage *msg, GBytes *bytes, const char *content_type)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "private, no-store");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

/* FALSE after sending 405 when method is not in the space-separated list. */
static gboolean
check_method (SoupServerMessage *msg, const char *allowed)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) methods = g_strsplit (allowed, " ", -1);
  g_autofree char *allow = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; methods[i]; i++)
    if (g_strcmp0 (method, methods[i]) == 0
        || (g_str_equal (methods[i], "GET") && g_strcmp0 (method, "HEAD") == 0))
      return TRUE;

  allow = g_strjoinv (", ", methods);
  message = g_strdup_printf ("This resource allows %s only.", allow);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  send_error (msg, 405, "method_not_allowed", message);
  return FALSE;
}

static gboolean
has_authorization (SoupServerMessage *msg)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Authorization") != NULL;
}

static const FakeAgent *
authenticate (FakeServer *self, SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const FakeAgent *agent = NULL;
  g_autoptr(FakeReply) reply = NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    {
      g_autofree char *token = g_strstrip (g_strdup (header + 7));

      agent = fake_store_authenticate (self->store, token);
    }
  if (agent != NULL)
    return agent;

  reply = fake_reply_error (401, "unauthenticated",
                            header == NULL ? "This request needs an agent token (Authorization: Bearer)."
                                           : "The agent token is unknown or has been revoked.");
  reply->www_authenticate = TRUE;
  send_reply (msg, reply);
  return NULL;
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

static const char *
request_header (SoupServerMessage *msg, const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
}

/* Splits "a/b/c" into unescaped segments; NULL when a segment does not unescape. */
static GStrv
split_path (const char *rest)
{
  g_auto(GStrv) raw = g_strsplit (rest, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw[i]; i++)
    {
      g_autofree char *segment = g_uri_unescape_string (raw[i], NULL);

      if (segment == NULL)
        return NULL;
      g_strv_builder_add (builder, segment);
    }
  return g_strv_builder_end (builder);
}

static void
serve_photo (FakeServer *self, SoupServerMessage *msg, FakePhotoKind kind, const char *receipt_id)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *content_type = NULL;

  if (!fake_store_get_photo (self->store, kind, receipt_id, &bytes, &content_type))
    {
      send_error (msg, 404, "not_found", "There is no such photo.");
      return;
    }
  send_bytes (msg, bytes, content_type);
}

static void
handle_api (FakeServer *self, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  g_auto(GStrv) seg = split_path (path + strlen (API_PREFIX));
  guint n = seg ? g_strv_length (seg) : 0;
  const FakeAgent *agent;
  g_autoptr(FakeReply) reply = NULL;
  gboolean photo = n == 3 && g_str_equal (seg[0], "photos");

  if (photo)
    fake_store_log_photo_request (self->store, FALSE, path, has_authorization (msg));

  agent = authenticate (self, msg);
  if (agent == NULL)
    return;

  if (n == 1 && g_str_equal (seg[0], "me"))
    {
      if (check_method (msg, "GET"))
        reply = fake_store_get_me (self->store, agent);
    }
  else if (n == 1 && g_str_equal (seg[0], "cases"))
    {
      if (check_method (msg, "GET"))
        reply = fake_store_list_cases (self->store, agent, query,
                                       request_header (msg, "If-None-Match"));
    }
  else if (n == 2 && g_str_equal (seg[0], "cases") && *seg[1])
    {
      if (check_method (msg, "GET"))
        reply = fake_store_get_case (self->store, agent, seg[1]);
    }
  else if (n == 3 && g_str_equal (seg[0], "cases") && *seg[1] && g_str_equal (seg[2], "claim"))
    {
      if (check_method (msg, "POST DELETE"))
        {
          if (g_str_equal (soup_server_message_get_method (msg), "DELETE"))
            reply = fake_store_release (self->store, agent, seg[1]);
          else
            reply = fake_store_claim (self->store, agent, seg[1]);
        }
    }
  else if (n == 3 && g_str_equal (seg[0], "cases") && *seg[1] && g_str_equal (seg[2], "decision"))
    {
      if (check_method (msg, "POST"))
        {
          g_autoptr(GBytes) body = request_body (msg);
          gsize size = 0;
          const char *data = g_bytes_get_data (body, &size);

          reply = fake_store_decide (self->store, agent, seg[1],
                                     request_header (msg, "Idempotency-Key"), data, size);
        }
    }
  else if (n == 1 && g_str_equal (seg[0], "decisions"))
    {
      if (check_method (msg, "GET"))
        reply = fake_store_list_decisions (self->store, agent, query);
    }
  else if (n == 2 && g_str_equal (seg[0], "orders") && *seg[1])
    {
      if (check_method (msg, "GET"))
        reply = fake_store_get_order (self->store, agent, seg[1]);
    }
  else if (n == 2 && g_str_equal (seg[0], "keys") && g_str_equal (seg[1], "verification"))
    {
      if (check_method (msg, "GET"))
        reply = fake_store_get_verification_key (self->store, agent);
    }
  else if (n == 1 && g_str_equal (seg[0], "manual-cases"))
    {
      if (check_method (msg, "POST"))
        {
          g_autoptr(GBytes) body = request_body (msg);
          gsize size = 0;
          const char *data = g_bytes_get_data (body, &size);

          reply = fake_store_create_manual_case (self->store, agent,
                                                 request_header (msg, "Idempotency-Key"),
                                                 data, size);
        }
    }
  else if (photo && g_str_equal (seg[1], "photo_id") && *seg[2])
    {
      if (check_method (msg, "GET"))
        serve_photo (self, msg, FAKE_PHOTO_ID, seg[2]);
      return;
    }
  else
    reply = fake_reply_error (404, "not_found", "There is no such resource.");

  if (reply != NULL)
    send_reply (msg, reply);
}

static void
handle_fake (FakeServer *self, SoupServerMessage *msg, const char *path)
{
  g_auto(GStrv) seg = split_path (path + strlen (FAKE_PREFIX));
  guint n = seg ? g_strv_length (seg) : 0;
  g_autoptr(FakeReply) reply = NULL;

  if (n == 1 && g_str_equal (seg[0], "state"))
    {
      if (check_method (msg, "GET"))
        reply = fake_store_dump_state (self->store);
    }
  else if (n == 3 && g_str_equal (seg[0], "cases") && *seg[1]
           && (g_str_equal (seg[2], "claim") || g_str_equal (seg[2], "decision")))
    {
      if (check_method (msg, "POST"))
        {
          g_autoptr(GBytes) body = request_body (msg);
          gsize size = 0;
          const char *data = g_bytes_get_data (body, &size);

          if (g_str_equal (seg[2], "claim"))
            reply = fake_store_force_claim (self->store, seg[1], data, size);
          else
            reply = fake_store_force_decision (self->store, seg[1], data, size);
        }
    }
  else
    reply = fake_reply_error (404, "not_found", "There is no such test endpoint.");

  if (reply != NULL)
    send_reply (msg, reply);
}

static void
api_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  FakeServer *self = user_data;

  g_debug ("API %s %s", soup_server_message_get_method (msg), path);

  if (g_str_has_prefix (path, API_PREFIX))
    handle_api (self, msg, path, query);
  else if (g_str_has_prefix (path, FAKE_PREFIX))
    handle_fake (self, msg, path);
  else
    send_error (msg, 404, "not_found", "There is no such resource.");
}

/* Refuses oversized uploads before their body is read. */
static void
api_early_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  FakeServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0
      || g_strcmp0 (path, API_PREFIX "manual-cases") != 0)
    return;
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH
      || soup_message_headers_get_content_length (headers) <= FAKE_MAX_BODY)
    return;
  if (authenticate (self, msg) == NULL)
    return;
  send_error (msg, 413, "too_large", "The request body is over 32 MiB.");
}

static void
storage_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeServer *self = user_data;
  gboolean authorization = has_authorization (msg);
  const char *signature = query ? g_hash_table_lookup (query, "X-Amz-Signature") : NULL;

  g_debug ("storage %s %s", soup_server_message_get_method (msg), path);
  fake_store_log_photo_request (self->store, TRUE, path, authorization);

  if (authorization)
    {
      send_error (msg, 400, "bad_request", "Authorization header not allowed on storage");
      return;
    }
  if (!g_str_has_prefix (path, "/face/") || strchr (path + 6, '/') != NULL || path[6] == '\0')
    {
      send_error (msg, 404, "not_found", "There is no such object.");
      return;
    }
  if (!check_method (msg, "GET"))
    return;
  if (!fake_store_check_signature (self->store, path, signature))
    {
      send_error (msg, 403, "forbidden", "The request signature does not match.");
      return;
    }
  serve_photo (self, msg, FAKE_PHOTO_USER, path + 6);
}

static char *
listen_loopback (SoupServer *server, guint port, GError **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  GSList *uris;
  char *origin = NULL;

  if (!soup_server_listen (server, socket_address, 0, error))
    return NULL;
  uris = soup_server_get_uris (server);
  if (uris != NULL)
    origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (origin == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The server has no address");
  return origin;
}

FakeServer *
fake_server_new (FakeStore *store, guint api_port, guint storage_port, GError **error)
{
  g_autoptr(FakeServer) self = g_new0 (FakeServer, 1);

  self->store = store;
  /* Raw paths: handlers split the path first and unescape each segment, so
   * that an id such as "../me" (sent as "..%2Fme") stays one segment and gets
   * the API's own 404 instead of libsoup's bare 400. */
  self->api = soup_server_new ("server-header", "edulib-fake-platform ",
                               "raw-paths", TRUE, NULL);
  self->storage = soup_server_new ("server-header", "edulib-fake-storage ",
                                   "raw-paths", TRUE, NULL);

  /* Both on the default path: a handler entry for a path would shadow it. */
  soup_server_add_early_handler (self->api, NULL, api_early_handler, self, NULL);
  soup_server_add_handler (self->api, NULL, api_handler, self, NULL);
  soup_server_add_handler (self->storage, NULL, storage_handler, self, NULL);

  self->api_origin = listen_loopback (self->api, api_port, error);
  if (self->api_origin == NULL)
    return NULL;
  self->storage_origin = listen_loopback (self->storage, storage_port, error);
  if (self->storage_origin == NULL)
    return NULL;

  fake_store_set_storage_origin (store, self->storage_origin);
  return g_steal_pointer (&self);
}

void
fake_server_free (FakeServer *self)
{
  if (self == NULL)
    return;
  if (self->api != NULL)
    soup_server_disconnect (self->api);
  if (self->storage != NULL)
    soup_server_disconnect (self->storage);
  g_clear_object (&self->api);
  g_clear_object (&self->storage);
  g_free (self->api_origin);
  g_free (self->storage_origin);
  g_free (self);
}

const char *
fake_server_get_api_origin (FakeServer *self)
{
  return self->api_origin;
}

const char *
fake_server_get_storage_origin (FakeServer *self)
{
  return self->storage_origin;
}
