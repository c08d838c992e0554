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

#include "er-client.h"
#include "er-error.h"

#define ER_CLIENT_TIMEOUT_SECONDS      30
#define ER_CLIENT_IDLE_TIMEOUT_SECONDS 60
#define ER_CLIENT_MAX_REDIRECTS        5
#define ER_CLIENT_READ_CHUNK           (64 * 1024)
#define ER_CLIENT_MAX_ERROR_BODY       (64 * 1024)
#define ER_CLIENT_MAX_DETAIL_CHARS     200

struct _ErClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *server_uri;
  char        *server;
  char        *token;
};

G_DEFINE_FINAL_TYPE (ErClient, er_client, G_TYPE_OBJECT)

/* ErConflict and ErPage */

ErConflict *
er_conflict_copy (const ErConflict *self)
{
  ErConflict *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ErConflict, 1);
  copy->claimed_by = g_strdup (self->claimed_by);
  copy->expires_at = self->expires_at ? g_date_time_ref (self->expires_at) : NULL;
  copy->decision = self->decision ? g_object_ref (self->decision) : NULL;
  copy->retry_after = self->retry_after;

  return copy;
}

void
er_conflict_free (ErConflict *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->claimed_by, g_free);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_object (&self->decision);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (ErConflict, er_conflict, er_conflict_copy, er_conflict_free)

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

/* URLs and origins */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* GUri gives IPv6 literals without brackets, but be lenient. */
  len = strlen (host);
  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  if (address == NULL)
    return FALSE;

  /* 127.0.0.0/8 and ::1 */
  return g_inet_address_get_is_loopback (address);
}

static int
uri_effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);

  if (port > 0)
    return port;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0)
    return 443;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0)
    return 80;
  return -1;
}

static gboolean
uri_is_http (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 ||
          g_ascii_strcasecmp (scheme, "http") == 0);
}

/* https anywhere, http only on loopback. */
static gboolean
uri_is_secure_enough (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  if (scheme == NULL || host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return host_is_loopback (host);
  return FALSE;
}

static gboolean
uri_same_origin (GUri *a,
                 GUri *b)
{
  const char *host_a = g_uri_get_host (a);
  const char *host_b = g_uri_get_host (b);

  if (!uri_is_http (a) || !uri_is_http (b))
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) != 0)
    return FALSE;
  if (host_a == NULL || host_b == NULL || g_ascii_strcasecmp (host_a, host_b) != 0)
    return FALSE;
  return uri_effective_port (a) == uri_effective_port (b);
}

/* For traces: never print a query string (photo URLs carry signatures). */
static char *
uri_to_log_string (GUri *uri)
{
  return g_uri_join (G_URI_FLAGS_ENCODED_PATH,
                     g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri),
                     g_uri_get_path (uri), NULL, NULL);
}

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
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

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
}

static void
er_client_init (ErClient *self)
{
}

ErClient *
er_client_new (const char  *server,
               const char  *token,
               GError     **error)
{
  g_autoptr(ErClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *clean_token = NULL;
  g_autofree char *host = NULL;
  g_autofree char *scheme = NULL;
  const char *path;
  int port;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (server, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_debug ("Refusing server address: %s", local_error->message);
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("The server address is not a valid web address. "
                             "Enter it as https://verify.example.org"));
      return NULL;
    }

  if (!uri_is_http (uri) || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("The server address must begin with https:// followed by "
                             "the server name, for example https://verify.example.org"));
      return NULL;
    }

  if (!uri_is_secure_enough (uri))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("The server address must use https://. Plain http:// is only "
                             "allowed for this computer (localhost) during development."));
      return NULL;
    }

  path = g_uri_get_path (uri);
  if (g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL ||
      (path != NULL && *path != '\0' && g_strcmp0 (path, "/") != 0))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("Enter only the server’s address, without a path, user name "
                             "or anything after it, for example https://verify.example.org"));
      return NULL;
    }

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

  /* The scheme's default port is left out: "https://host", not "https://host:443". */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) ||
      (port == 80 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0))
    port = -1;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  self->server_uri = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port, "", NULL, NULL);
  self->server = g_uri_to_string (self->server_uri);
  self->token = g_steal_pointer (&clean_token);

  self->session = soup_session_new_with_options ("user-agent", "EDUlibReviewer/" PACKAGE_VERSION,
                                                 "timeout", ER_CLIENT_TIMEOUT_SECONDS,
                                                 "idle-timeout", ER_CLIENT_IDLE_TIMEOUT_SECONDS,
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

gboolean
er_client_is_server_origin (ErClient   *self,
                            const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (ER_IS_CLIENT (self), FALSE);

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return FALSE;

  return uri_same_origin (uri, self->server_uri);
}

char *
er_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

static void
set_authorization (ErClient           *self,
                   SoupMessageHeaders *headers)
{
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->token);

  soup_message_headers_replace (headers, "Authorization", authorization);
}

/* Errors */

static GError *
network_error (GError *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  g_debug ("Network error: %s", error->message);

  if (error->domain == G_TLS_ERROR)
    return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                                _("The server’s security certificate could not be verified, "
                                  "so the connection was stopped. Check the server address, "
                                  "or ask your administrator."));

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                                _("The server name could not be found. Check the server "
                                  "address and your network connection."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                                _("The server did not answer in time. Check your network "
                                  "connection and try again."));

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                                _("The server sent an answer that could not be read. "
                                  "Try again later."));

  return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                              _("The server could not be reached. Check your network "
                                "connection."));
}

static GError *
parse_error (const char *what)
{
  g_debug ("Unexpected response body: %s", what);

  return g_error_new_literal (ER_ERROR, ER_ERROR_PARSE,
                              _("The server sent a response that EDUlib Reviewer does not "
                                "understand. The server may run an incompatible version."));
}

static const char *
json_object_get_string_or_null (JsonObject *object,
                                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Returns the "error" object of an error body, or NULL. */
static JsonObject *
error_object_from_body (JsonParser *parser,
                        GBytes     *body)
{
  JsonNode *root;
  JsonNode *node;
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || size > ER_CLIENT_MAX_ERROR_BODY)
    return NULL;

  if (!json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  node = json_object_get_member (json_node_get_object (root), "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static char *
with_detail (const char *message,
             const char *detail)
{
  g_autofree char *short_detail = NULL;

  if (detail == NULL || *detail == '\0' || !g_utf8_validate (detail, -1, NULL))
    return g_strdup (message);

  if (g_utf8_strlen (detail, -1) > ER_CLIENT_MAX_DETAIL_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (detail, 0, ER_CLIENT_MAX_DETAIL_CHARS);
      short_detail = g_strconcat (cut, "…", NULL);
    }
  else
    short_detail = g_strdup (detail);

  /* Translators: the first %s is a sentence, the second the server's own (English) explanation. */
  return g_strdup_printf (_("%s (The server said: “%s”)"), message, short_detail);
}

static guint
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *stripped = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return 0;

  stripped = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (stripped, 10, 0, 86400 * 7, &seconds, NULL))
    return (guint)seconds;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan diff;

    if (when == NULL)
      return 0;

    diff = g_date_time_difference (when, now);
    if (diff <= 0)
      return 1;
    return (guint)MIN ((diff + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, 86400 * 7);
  }
}

static ErConflict *
conflict_from_error_object (JsonObject *error_object)
{
  g_autoptr(ErConflict) conflict = g_new0 (ErConflict, 1);
  const char *claimed_by;
  const char *expires_at;
  JsonNode *decision;

  claimed_by = json_object_get_string_or_null (error_object, "claimed_by");
  conflict->claimed_by = g_strdup (claimed_by);

  expires_at = json_object_get_string_or_null (error_object, "expires_at");
  if (expires_at != NULL)
    conflict->expires_at = g_date_time_new_from_iso8601 (expires_at, NULL);

  decision = json_object_get_member (error_object, "decision");
  if (decision != NULL && JSON_NODE_HOLDS_OBJECT (decision))
    {
      g_autoptr(GError) error = NULL;

      conflict->decision = er_decision_new_from_json (decision, &error);
      if (conflict->decision == NULL)
        g_debug ("Ignoring the conflict's decision: %s", error->message);
    }

  return g_steal_pointer (&conflict);
}

/* Maps a non-2xx response of the API (or a photo origin) to an ErError.
 * on_server: the response came from the server origin (else: a storage origin). */
static GError *
error_from_response (SoupMessage  *msg,
                     GBytes       *body,
                     gboolean      on_server,
                     ErConflict  **out_conflict)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *error_object = NULL;
  const char *code = NULL;
  const char *detail = NULL;
  guint status = soup_message_get_status (msg);
  g_autofree char *message = NULL;

  if (on_server)
    error_object = error_object_from_body (parser, body);
  if (error_object != NULL)
    {
      code = json_object_get_string_or_null (error_object, "code");
      detail = json_object_get_string_or_null (error_object, "message");
    }

  g_debug ("HTTP %u, error code %s", status, code ? code : "(none)");

  if (!on_server)
    {
      switch (status)
        {
        case SOUP_STATUS_UNAUTHORIZED:
        case SOUP_STATUS_FORBIDDEN:
          return g_error_new_literal (ER_ERROR, ER_ERROR_FORBIDDEN,
                                      _("The photo’s download link has expired. Reload the "
                                        "case to get a fresh link."));
        case SOUP_STATUS_NOT_FOUND:
        case SOUP_STATUS_GONE:
          return g_error_new_literal (ER_ERROR, ER_ERROR_NOT_FOUND,
                                      _("The photo is no longer in storage. Reload the case; "
                                        "if it is still missing, ask the learner to submit "
                                        "new photos."));
        case 429 /* Too Many Requests */:
          break;
        default:
          if (status >= 500)
            break;
          return g_error_new (ER_ERROR, ER_ERROR_UNEXPECTED,
                              _("The photo storage answered with an unexpected status (%u). "
                                "Try again later."), status);
        }
    }

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      message = with_detail (_("The server refused the request as malformed. This is "
                               "probably a bug in EDUlib Reviewer; please report it."),
                             detail);
      return g_error_new_literal (ER_ERROR, ER_ERROR_BAD_REQUEST, message);

    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (ER_ERROR, ER_ERROR_UNAUTHENTICATED,
                                  _("The server did not accept your access token. It may "
                                    "have been revoked; sign in again with a new token."));

    case SOUP_STATUS_FORBIDDEN:
      return g_error_new_literal (ER_ERROR, ER_ERROR_FORBIDDEN,
                                  _("Your account does not have permission to do this. Ask "
                                    "a platform administrator for access."));

    case SOUP_STATUS_NOT_FOUND:
      if (g_strcmp0 (code, "unknown_invoice") == 0)
        return g_error_new_literal (ER_ERROR, ER_ERROR_UNKNOWN_INVOICE,
                                    _("No order has this invoice number. Check the number "
                                      "in the learner’s email."));
      return g_error_new_literal (ER_ERROR, ER_ERROR_NOT_FOUND,
                                  _("The server does not know this case or item. It may have "
                                    "been removed; refresh the list."));

    case SOUP_STATUS_CONFLICT:
      {
        g_autoptr(ErConflict) conflict = NULL;
        GError *error;

        conflict = error_object ? conflict_from_error_object (error_object)
                                : g_new0 (ErConflict, 1);

        if (g_strcmp0 (code, "already_decided") == 0 ||
            (code == NULL && conflict->decision != NULL))
          {
            const char *by = conflict->decision ? er_decision_get_decided_by (conflict->decision) : NULL;

            if (by != NULL)
              error = g_error_new (ER_ERROR, ER_ERROR_ALREADY_DECIDED,
                                   _("This case has already been decided by %s."), by);
            else
              error = g_error_new_literal (ER_ERROR, ER_ERROR_ALREADY_DECIDED,
                                           _("This case has already been decided by someone else."));
          }
        else if (g_strcmp0 (code, "claimed_by_other") == 0 || code == NULL)
          {
            if (conflict->claimed_by != NULL)
              error = g_error_new (ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER,
                                   _("%s is reviewing this case right now. Choose another case."),
                                   conflict->claimed_by);
            else
              error = g_error_new_literal (ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER,
                                           _("Another agent is reviewing this case right now. "
                                             "Choose another case."));
          }
        else
          {
            message = with_detail (_("The server refused the request because of a conflict."),
                                   detail);
            error = g_error_new_literal (ER_ERROR, ER_ERROR_UNEXPECTED, message);
          }

        if (out_conflict != NULL)
          {
            g_clear_pointer (out_conflict, er_conflict_free);
            *out_conflict = g_steal_pointer (&conflict);
          }

        return error;
      }

    case SOUP_STATUS_GONE:
      return g_error_new_literal (ER_ERROR, ER_ERROR_GONE,
                                  _("This case is no longer available: it was withdrawn or "
                                    "the learner’s account was closed."));

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return g_error_new_literal (ER_ERROR, ER_ERROR_TOO_LARGE,
                                  _("The photos are too large to send (at most 32 MiB in "
                                    "all). Use smaller photos."));

    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (g_strcmp0 (code, "invalid_reason") == 0)
        {
          message = with_detail (_("The server refused the denial reasons. Choose reasons "
                                   "from the list."), detail);
          return g_error_new_literal (ER_ERROR, ER_ERROR_INVALID_REASON, message);
        }
      if (g_strcmp0 (code, "idempotency_mismatch") == 0)
        return g_error_new_literal (ER_ERROR, ER_ERROR_IDEMPOTENCY_MISMATCH,
                                    _("A different request was already sent for this action. "
                                      "Reload the case and try again."));
      if (g_strcmp0 (code, "invalid_photo") == 0)
        {
          message = with_detail (_("The server could not decrypt the photos. Check that "
                                   "the platform’s verification key is current and try "
                                   "again."), detail);
          return g_error_new_literal (ER_ERROR, ER_ERROR_INVALID_PHOTO, message);
        }
      message = with_detail (_("The server refused the request."), detail);
      return g_error_new_literal (ER_ERROR, ER_ERROR_UNEXPECTED, message);

    case 429 /* Too Many Requests */:
      {
        guint seconds = retry_after_seconds (soup_message_get_response_headers (msg));

        if (out_conflict != NULL)
          {
            g_clear_pointer (out_conflict, er_conflict_free);
            *out_conflict = g_new0 (ErConflict, 1);
            (*out_conflict)->retry_after = seconds;
          }

        if (seconds > 0)
          return g_error_new (ER_ERROR, ER_ERROR_RATE_LIMITED,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "The server is receiving too many requests. "
                                           "Try again in %u second.",
                                           "The server is receiving too many requests. "
                                           "Try again in %u seconds.",
                                           seconds),
                              seconds);
        return g_error_new_literal (ER_ERROR, ER_ERROR_RATE_LIMITED,
                                    _("The server is receiving too many requests. "
                                      "Try again in a moment."));
      }

    default:
      break;
    }

  if (status >= 500 && status < 600)
    return g_error_new (ER_ERROR, ER_ERROR_SERVER,
                        _("The server has a temporary problem (error %u). Try again in a "
                          "few minutes."), status);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new_literal (ER_ERROR, ER_ERROR_UNEXPECTED,
                                _("The server redirected the request elsewhere, which it "
                                  "should never do. Check the server address."));

  {
    g_autofree char *what = g_strdup_printf (_("The server answered with an unexpected "
                                               "status (%u)."), status);

    message = with_detail (what, detail);
    return g_error_new_literal (ER_ERROR, ER_ERROR_UNEXPECTED, message);
  }
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
};

static void
api_call_free (ApiCall *call)
{
  g_clear_object (&call->msg);
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
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify)api_call_free);

  return task;
}

/* The checks every _finish makes before looking at its result. */
static gboolean
api_result_is_valid (ErClient     *self,
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
  if (!api_result_is_valid (self, result, source_tag))
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
  g_task_return_error (task, parse_error (debug));
}

static void
api_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  ApiCall *call = g_task_get_task_data (task);
  JsonNode *root;
  const char *data;
  gsize size = 0;
  guint status;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, network_error (g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (call->msg);
  g_debug ("%s %s -> %u", soup_message_get_method (call->msg),
           g_uri_get_path (soup_message_get_uri (call->msg)), status);

  if (status == SOUP_STATUS_NOT_MODIFIED && call->allow_not_modified)
    {
      call->handler (task, call, call->msg, NULL);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_from_response (call->msg, body, TRUE, &call->conflict));
      return;
    }

  data = g_bytes_get_data (body, &size);
  if (size == 0 || status == SOUP_STATUS_NO_CONTENT || call->ignore_body)
    {
      if (call->allow_empty)
        call->handler (task, call, call->msg, NULL);
      else
        g_task_return_error (task, parse_error ("empty body"));
      return;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &error))
    {
      g_task_return_error (task, parse_error (error->message));
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, parse_error ("root is not an object"));
      return;
    }

  call->handler (task, call, call->msg, root);
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
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;

  url = g_strconcat (self->server, ER_API_PREFIX, path,
                     query != NULL && *query != '\0' ? "?" : "",
                     query != NULL ? query : "",
                     NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_BAD_REQUEST,
                               _("The request could not be built. This is a bug in EDUlib "
                                 "Reviewer; please report it."));
      g_object_unref (task);
      return;
    }

  call->msg = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  /* The token never leaves the server origin. */
  if (er_client_is_server_origin (self, url))
    set_authorization (self, headers);

  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  /* A 304 can only answer a conditional request. */
  call->allow_not_modified = if_none_match != NULL;
  if (if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", if_none_match);

  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

      soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
    }

  g_debug ("%s %s%s", method, ER_API_PREFIX, path);

  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    api_read_cb, task);
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
      g_task_return_error (task, parse_error ("page: empty body"));
      return;
    }

  object = json_node_get_object (root);

  node = json_object_get_member (object, "count");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      (count = json_node_get_int (node)) < 0 || count > G_MAXUINT)
    {
      g_task_return_error (task, parse_error ("page: bad count"));
      return;
    }
  page->count = (guint)count;

  node = json_object_get_member (object, "next_cursor");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_task_return_error (task, parse_error ("page: bad next_cursor"));
          return;
        }
      page->next_cursor = g_strdup (json_node_get_string (node));
    }

  node = json_object_get_member (object, "results");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, parse_error ("page: bad results"));
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
          g_task_return_error (task, parse_error ("page: bad item"));
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
  path = case_path (receipt_id, "/claim");
  api_send (task, SOUP_METHOD_DELETE, path, NULL, NULL, NULL, NULL);
}

gboolean
er_client_release_finish (ErClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  if (!api_result_is_valid (self, result, er_client_release_async))
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
  const char *pem = json_object_get_string_or_null (object, "public_key_pem");
  const char *fingerprint = json_object_get_string_or_null (object, "fingerprint_sha256");

  if (pem == NULL || *pem == '\0' || fingerprint == NULL || *fingerprint == '\0')
    {
      g_task_return_error (task, parse_error ("verification key: missing members"));
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

  if (!api_result_is_valid (self, result, er_client_get_verification_key_async))
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

  if (!api_result_is_valid (self, result, er_client_create_manual_case_async))
    return NULL;

  call = g_task_get_task_data (G_TASK (result));
  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (existing != NULL)
    *existing = ret != NULL && call->existing;

  return ret;
}

/* Photos */

typedef struct {
  GUri         *uri;
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *content_type;
  gsize         max_bytes;
  guint         hops;
  gboolean      on_server;
  gboolean      error_body;  /* reading the body of an error response */
} PhotoFetch;

static void
photo_fetch_free (PhotoFetch *fetch)
{
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->buffer, g_byte_array_unref);
  g_clear_pointer (&fetch->content_type, g_free);
  g_free (fetch);
}

static void photo_start (GTask *task);

static GError *
photo_too_large_error (gsize max_bytes)
{
  g_autofree char *size = g_format_size (max_bytes);

  return g_error_new (ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE,
                      _("The photo is larger than %s, too large to be a verification "
                        "photo. It was not downloaded."), size);
}

static void
photo_finish_error_body (GTask *task)
{
  PhotoFetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer));

  g_task_return_error (task, error_from_response (fetch->msg, body, fetch->on_server, NULL));
}

static void
photo_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  PhotoFetch *fetch = g_task_get_task_data (task);
  GCancellable *cancellable;
  gsize limit = fetch->error_body ? ER_CLIENT_MAX_ERROR_BODY : fetch->max_bytes;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      if (fetch->error_body && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        photo_finish_error_body (task);
      else
        g_task_return_error (task, network_error (g_steal_pointer (&error)));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      if (fetch->error_body)
        {
          photo_finish_error_body (task);
          return;
        }

      g_debug ("Photo: %u bytes, %s", fetch->buffer->len,
               fetch->content_type ? fetch->content_type : "no content type");
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer)),
                             (GDestroyNotify)g_bytes_unref);
      return;
    }

  if (fetch->buffer->len + size > limit)
    {
      if (fetch->error_body)
        photo_finish_error_body (task);
      else
        g_task_return_error (task, photo_too_large_error (fetch->max_bytes));
      return;
    }

  g_byte_array_append (fetch->buffer, g_bytes_get_data (chunk, NULL), size);

  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (stream, ER_CLIENT_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, photo_read_cb, g_steal_pointer (&task));
}

static void
photo_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  PhotoFetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GCancellable *cancellable;
  guint status;

  stream = soup_session_send_finish (session, result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, network_error (g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (fetch->msg);
  headers = soup_message_get_response_headers (fetch->msg);

  {
    g_autofree char *log_url = uri_to_log_string (fetch->uri);
    g_debug ("GET %s -> %u", log_url, status);
  }

  if (status == SOUP_STATUS_MOVED_PERMANENTLY ||
      status == SOUP_STATUS_FOUND ||
      status == SOUP_STATUS_SEE_OTHER ||
      status == SOUP_STATUS_TEMPORARY_REDIRECT ||
      status == SOUP_STATUS_PERMANENT_REDIRECT)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      GUri *next;

      if (location == NULL)
        {
          g_task_return_new_error (task, ER_ERROR, ER_ERROR_UNEXPECTED,
                                   _("The photo could not be downloaded: the server sent "
                                     "an incomplete redirection."));
          return;
        }

      if (++fetch->hops > ER_CLIENT_MAX_REDIRECTS)
        {
          g_task_return_new_error (task, ER_ERROR, ER_ERROR_UNEXPECTED,
                                   _("The photo could not be downloaded: it was redirected "
                                     "too many times."));
          return;
        }

      next = g_uri_parse_relative (fetch->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
      if (next == NULL)
        {
          g_task_return_new_error (task, ER_ERROR, ER_ERROR_UNEXPECTED,
                                   _("The photo could not be downloaded: the server "
                                     "redirected to an invalid address."));
          return;
        }

      g_clear_pointer (&fetch->uri, g_uri_unref);
      fetch->uri = next;
      g_clear_object (&fetch->msg);
      g_clear_object (&stream);

      photo_start (g_steal_pointer (&task));
      return;
    }

  fetch->stream = g_object_ref (stream);
  fetch->buffer = g_byte_array_new ();

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch->error_body = TRUE;
    }
  else
    {
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          (guint64)soup_message_headers_get_content_length (headers) > (guint64)fetch->max_bytes)
        {
          g_task_return_error (task, photo_too_large_error (fetch->max_bytes));
          return;
        }

      fetch->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
    }

  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (stream, ER_CLIENT_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, photo_read_cb, g_steal_pointer (&task));
}

/* Sends the GET for fetch->uri; takes the task. */
static void
photo_start (GTask *task)
{
  ErClient *self = g_task_get_source_object (task);
  PhotoFetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  if (!uri_is_secure_enough (fetch->uri))
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_INSECURE_URL,
                               _("The photo’s address is not secure (it does not use "
                                 "https), so it was not downloaded."));
      g_object_unref (task);
      return;
    }

  fetch->msg = soup_message_new_from_uri (SOUP_METHOD_GET, fetch->uri);
  soup_message_add_flags (fetch->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (fetch->msg);

  /* Decided again for every hop: the token only goes to the server origin. */
  fetch->on_server = uri_same_origin (fetch->uri, self->server_uri);
  if (fetch->on_server)
    set_authorization (self, headers);

  soup_session_send_async (self->session, fetch->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task),
                           photo_sent_cb, task);
}

void
er_client_fetch_photo_async (ErClient            *self,
                             const char          *url,
                             gsize                max_bytes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PhotoFetch *fetch;

  g_return_if_fail (ER_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (max_bytes > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_client_fetch_photo_async);

  fetch = g_new0 (PhotoFetch, 1);
  fetch->max_bytes = max_bytes;
  g_task_set_task_data (task, fetch, (GDestroyNotify)photo_fetch_free);

  if (url[0] == '/' && url[1] != '/')
    fetch->uri = g_uri_parse_relative (self->server_uri, url, SOUP_HTTP_URI_FLAGS, NULL);
  else
    fetch->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (fetch->uri == NULL || !uri_is_http (fetch->uri))
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_INSECURE_URL,
                               _("The photo’s address is not a valid web address, so it "
                                 "was not downloaded."));
      return;
    }

  photo_start (g_steal_pointer (&task));
}

GBytes *
er_client_fetch_photo_finish (ErClient      *self,
                              GAsyncResult  *result,
                              char         **content_type,
                              GError       **error)
{
  PhotoFetch *fetch;
  GBytes *bytes;

  if (!api_result_is_valid (self, result, er_client_fetch_photo_async))
    return NULL;

  fetch = g_task_get_task_data (G_TASK (result));
  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type != NULL)
    *content_type = bytes != NULL ? g_steal_pointer (&fetch->content_type) : NULL;

  return bytes;
}
