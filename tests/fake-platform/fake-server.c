/* fake-server.c: SoupServer handlers of the fake platform.
 *
 * The API origin serves /api/review/v1/ (bearer token required) and the
 * test-only /_fake/ endpoints; the storage origin serves the learner photos
 * at /face/<receipt_id>?X-Amz-Signature=<hex> and refuses any request that
 * carries an Authorization header. All the logic lives in fake-store.c,
 * except the fault injection (FakeFaults), which is HTTP-level and lives here.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "fake-server.h"

#define API_PREFIX "/api/review/v1/"
#define FAKE_PREFIX "/_fake/"

typedef struct {
  guint64 api_requests;
  guint64 failed_5xx;
  guint64 dropped;
  guint64 rate_limited;
  guint64 delayed;
  guint64 refused_down;
} FakeFaultCounters;

struct _FakeServer {
  FakeStore  *store;
  SoupServer *api;
  SoupServer *storage;
  char       *api_origin;
  char       *storage_origin;

  FakeFaults         faults;
  FakeFaultCounters  counters;
  GRand             *rand;
  guint              burst_remaining;
  gint64             next_burst;     /* monotonic µs; G_MAXINT64: none */
  GHashTable        *delayed;        /* DelayedRequest set */
};

/* An API request held back by the latency, its message paused. */
typedef struct {
  FakeServer        *server;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;     /* nullable */
  double             fail_draw;
  double             drop_draw;
  double             status_draw;
  guint              timeout_id;
} DelayedRequest;

static void
delayed_request_free (DelayedRequest *d)
{
  g_clear_handle_id (&d->timeout_id, g_source_remove);
  g_clear_object (&d->msg);
  g_clear_pointer (&d->query, g_hash_table_unref);
  g_free (d->path);
  g_free (d);
}

static void
send_reply (SoupServerMessage *msg, FakeReply *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* libsoup 3.2 has no phrase for 429. */
  soup_server_message_set_status (msg, reply->status,
                                  reply->status == 429 ? "Too Many Requests" : NULL);
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
      if (reply != NULL && reply->status == 200)
        fake_store_note_list_answered (self->store);
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

/* ------------------------------------------------------------------------ */
/* Fault injection                                                          */

static JsonObject *
counters_to_json (FakeServer *self)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "api_requests", self->counters.api_requests);
  json_object_set_int_member (o, "failed_5xx", self->counters.failed_5xx);
  json_object_set_int_member (o, "dropped", self->counters.dropped);
  json_object_set_int_member (o, "rate_limited", self->counters.rate_limited);
  json_object_set_int_member (o, "delayed", self->counters.delayed);
  json_object_set_int_member (o, "refused_down", self->counters.refused_down);
  return o;
}

static FakeReply *
faults_reply (FakeServer *self)
{
  JsonObject *root = json_object_new ();
  JsonObject *burst = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  FakeReply *reply = g_new0 (FakeReply, 1);

  json_object_set_double_member (root, "fail_rate", self->faults.fail_rate);
  json_object_set_double_member (root, "drop_rate", self->faults.drop_rate);
  json_object_set_int_member (root, "latency_ms", self->faults.latency_ms);
  json_object_set_int_member (root, "latency_jitter_ms", self->faults.latency_jitter_ms);
  json_object_set_int_member (burst, "count", self->faults.burst_count);
  json_object_set_int_member (burst, "every_s", self->faults.burst_every_s);
  json_object_set_object_member (root, "burst_429", burst);
  json_object_set_boolean_member (root, "down", self->faults.down);
  json_object_set_object_member (root, "counters", counters_to_json (self));

  json_node_take_object (node, root);
  reply->status = 200;
  reply->body = json_to_string (node, FALSE);
  json_node_unref (node);
  return reply;
}

gboolean
fake_faults_parse_burst (FakeFaults *faults, const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "/", -1);
  guint64 count = 0, every = 0;
  guint n = g_strv_length (parts);

  if (n < 1 || n > 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT, &count, NULL)
      || (n == 2 && !g_ascii_string_to_unsigned (parts[1], 10, 0, 86400, &every, NULL)))
    return FALSE;
  faults->burst_count = (guint) count;
  faults->burst_every_s = (guint) every;
  return TRUE;
}

void
fake_server_set_faults (FakeServer *self, const FakeFaults *faults)
{
  self->faults = *faults;
  self->faults.fail_rate = CLAMP (faults->fail_rate, 0.0, 1.0);
  self->faults.drop_rate = CLAMP (faults->drop_rate, 0.0, 1.0);
  self->burst_remaining = faults->burst_count;
  self->next_burst = faults->burst_count > 0 && faults->burst_every_s > 0
                     ? g_get_monotonic_time () + faults->burst_every_s * G_USEC_PER_SEC
                     : G_MAXINT64;
  g_debug ("Faults: fail %.3f, drop %.3f, latency %u+%u ms, 429 %u/%u s, %s",
           self->faults.fail_rate, self->faults.drop_rate, self->faults.latency_ms,
           self->faults.latency_jitter_ms, self->faults.burst_count,
           self->faults.burst_every_s, self->faults.down ? "down" : "up");
}

/* Reads an optional number member into *out; FALSE (and *message) when it is
 * there but not a number within [min, max]. */
static gboolean
get_number (JsonObject *o, const char *name, double min, double max, double *out, char **message)
{
  JsonNode *node = json_object_get_member (o, name);
  GType type;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if ((type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
      && json_node_get_double (node) >= min && json_node_get_double (node) <= max)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }
  *message = g_strdup_printf ("\"%s\" must be a number from %g to %g.", name, min, max);
  return FALSE;
}

/* POST /_fake/faults: the members present replace the current settings
 * ("reset": true first sets everything to off, "reset_counters": true zeroes
 * the counters); nothing changes when a member is wrong. */
static FakeReply *
post_faults (FakeServer *self, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *message = NULL;
  FakeFaults f = self->faults;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonObject *o;
  JsonNode *node;
  double fail = f.fail_rate, drop = f.drop_rate;
  double latency = f.latency_ms, jitter = f.latency_jitter_ms;
  double count = f.burst_count, every = f.burst_every_s;
  gboolean down = f.down;

  if (!json_parser_load_from_data (parser, data ? data : "", size, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return fake_reply_error (400, "bad_request", "The body must be a JSON object.");
  o = json_node_get_object (json_parser_get_root (parser));

  if (json_object_get_boolean_member_with_default (o, "reset", FALSE))
    {
      fail = drop = latency = jitter = count = every = 0;
      down = FALSE;
    }

  if (!get_number (o, "fail_rate", 0, 1, &fail, &message)
      || !get_number (o, "drop_rate", 0, 1, &drop, &message)
      || !get_number (o, "latency_ms", 0, 600000, &latency, &message)
      || !get_number (o, "latency_jitter_ms", 0, 600000, &jitter, &message))
    return fake_reply_error (400, "bad_request", message);

  node = json_object_get_member (o, "burst_429");
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    count = every = 0;
  else if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *burst = json_node_get_object (node);

      /* The object replaces the burst: a member left out is 0. */
      count = every = 0;
      if (!get_number (burst, "count", 0, G_MAXINT, &count, &message)
          || !get_number (burst, "every_s", 0, 86400, &every, &message))
        return fake_reply_error (400, "bad_request", message);
    }
  else if (node != NULL)
    return fake_reply_error (400, "bad_request",
                             "\"burst_429\" must be {\"count\": N, \"every_s\": S} or null.");

  node = json_object_get_member (o, "down");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fake_reply_error (400, "bad_request", "\"down\" must be true or false.");
      down = json_node_get_boolean (node);
    }

  if (json_object_get_boolean_member_with_default (o, "reset_counters", FALSE))
    memset (&self->counters, 0, sizeof self->counters);

  f.fail_rate = fail;
  f.drop_rate = drop;
  f.latency_ms = (guint) latency;
  f.latency_jitter_ms = (guint) jitter;
  f.burst_count = (guint) count;
  f.burst_every_s = (guint) every;
  f.down = down;
  /* A burst restarts only when its settings are given again. */
  if (json_object_has_member (o, "burst_429") || json_object_has_member (o, "reset"))
    fake_server_set_faults (self, &f);
  else
    {
      guint remaining = self->burst_remaining;
      gint64 next = self->next_burst;

      fake_server_set_faults (self, &f);
      self->burst_remaining = remaining;
      self->next_burst = next;
    }
  return faults_reply (self);
}

/* Closes the connection of msg without an answer: the client sees the
 * connection end before any response byte, a network error. */
static void
close_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GSocket) owned = socket != NULL ? g_object_ref (socket) : NULL;
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  if (owned != NULL)
    g_socket_close (owned, NULL);
}

/* TRUE when this request falls in a 429 burst. */
static gboolean
take_burst (FakeServer *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->faults.burst_count > 0 && self->faults.burst_every_s > 0 && now >= self->next_burst)
    {
      gint64 every = (gint64) self->faults.burst_every_s * G_USEC_PER_SEC;

      self->burst_remaining = self->faults.burst_count;
      while (self->next_burst <= now)
        self->next_burst += every;
    }
  if (self->burst_remaining == 0)
    return FALSE;
  self->burst_remaining--;
  return TRUE;
}

/* Runs an API request through the faults after its latency; TRUE when its
 * connection was closed (the message must not be unpaused). */
static gboolean
process_api (FakeServer        *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             double             fail_draw,
             double             drop_draw,
             double             status_draw)
{
  if (self->faults.down)
    {
      self->counters.refused_down++;
      g_debug ("Fault: down, closing %s", path);
      close_connection (msg);
      return TRUE;
    }

  if (take_burst (self))
    {
      g_autoptr(FakeReply) reply = fake_reply_error (429, "rate_limited",
                                                     "Too many requests (injected fault). "
                                                     "Try again in 1 second.");

      self->counters.rate_limited++;
      g_debug ("Fault: 429 for %s", path);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      send_reply (msg, reply);
      return FALSE;
    }

  if (fail_draw < self->faults.fail_rate)
    {
      gboolean unavailable = status_draw < 0.5;
      g_autoptr(FakeReply) reply = NULL;

      self->counters.failed_5xx++;
      g_debug ("Fault: %u for %s", unavailable ? 503 : 500, path);
      if (unavailable)
        reply = fake_reply_error (503, "unavailable",
                                  "The service is temporarily unavailable (injected fault).");
      else
        reply = fake_reply_error (500, "internal_error",
                                  "Internal server error (injected fault).");
      send_reply (msg, reply);
      return FALSE;
    }

  handle_api (self, msg, path, query);

  if (drop_draw < self->faults.drop_rate)
    {
      self->counters.dropped++;
      g_debug ("Fault: %s applied, closing without an answer", path);
      close_connection (msg);
      return TRUE;
    }
  return FALSE;
}

static gboolean
delayed_request_done (gpointer user_data)
{
  DelayedRequest *d = user_data;
  FakeServer *self = d->server;

  d->timeout_id = 0;
  if (!process_api (self, d->msg, d->path, d->query, d->fail_draw, d->drop_draw, d->status_draw))
    soup_server_message_unpause (d->msg);
  g_hash_table_remove (self->delayed, d);
  return G_SOURCE_REMOVE;
}

static void
faulty_api (FakeServer *self, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  /* The same four draws for every request, whatever the settings, so that a
   * seed gives the same faults to the same sequence of requests. */
  double fail_draw = g_rand_double (self->rand);
  double drop_draw = g_rand_double (self->rand);
  double status_draw = g_rand_double (self->rand);
  double jitter_draw = g_rand_double (self->rand);
  guint delay;
  DelayedRequest *d;

  self->counters.api_requests++;
  delay = self->faults.latency_ms
          + MIN ((guint) (jitter_draw * (self->faults.latency_jitter_ms + 1)),
                 self->faults.latency_jitter_ms);

  if (self->faults.down || delay == 0)
    {
      process_api (self, msg, path, query, fail_draw, drop_draw, status_draw);
      return;
    }

  self->counters.delayed++;
  d = g_new0 (DelayedRequest, 1);
  d->server = self;
  d->msg = g_object_ref (msg);
  d->path = g_strdup (path);
  d->query = query != NULL ? g_hash_table_ref (query) : NULL;
  d->fail_draw = fail_draw;
  d->drop_draw = drop_draw;
  d->status_draw = status_draw;
  soup_server_message_pause (msg);
  d->timeout_id = g_timeout_add (delay, delayed_request_done, d);
  g_hash_table_add (self->delayed, d);
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
        {
          JsonObject *extra = json_object_new ();

          json_object_set_object_member (extra, "faults", counters_to_json (self));
          reply = fake_store_dump_state (self->store, extra);
        }
    }
  else if (n == 1 && g_str_equal (seg[0], "timing"))
    {
      if (check_method (msg, "GET"))
        {
          g_autofree char *body = fake_store_timing_json (self->store);

          reply = g_new0 (FakeReply, 1);
          reply->status = 200;
          reply->body = g_steal_pointer (&body);
        }
    }
  else if (n == 1 && g_str_equal (seg[0], "faults"))
    {
      if (check_method (msg, "GET POST"))
        {
          if (g_str_equal (soup_server_message_get_method (msg), "POST"))
            {
              g_autoptr(GBytes) body = request_body (msg);

              reply = post_faults (self, body);
            }
          else
            reply = faults_reply (self);
        }
    }
  else if (n == 1 && (g_str_equal (seg[0], "revoke") || g_str_equal (seg[0], "tokens")
                      || g_str_equal (seg[0], "restore")))
    {
      if (check_method (msg, "POST"))
        {
          g_autoptr(GBytes) body = request_body (msg);
          gsize size = 0;
          const char *data = g_bytes_get_data (body, &size);

          if (g_str_equal (seg[0], "revoke"))
            reply = fake_store_revoke_token (self->store, data, size);
          else if (g_str_equal (seg[0], "tokens"))
            reply = fake_store_add_token (self->store, data, size);
          else
            reply = fake_store_restore_tokens (self->store);
        }
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
    faulty_api (self, msg, path, query);
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
fake_server_new (FakeStore *store, guint api_port, guint storage_port, guint seed, GError **error)
{
  g_autoptr(FakeServer) self = g_new0 (FakeServer, 1);
  const FakeFaults none = { 0 };

  self->store = store;
  self->rand = g_rand_new_with_seed (seed);
  self->delayed = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                         (GDestroyNotify) delayed_request_free, NULL);
  fake_server_set_faults (self, &none);
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
  g_clear_pointer (&self->delayed, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
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
