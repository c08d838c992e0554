/* er-client-errors.c: what went wrong, as an ER_ERROR a person can act on.
 *
 * Network failures, HTTP statuses and the API's error bodies
 * ({"error": {"code", "message", ...}}) are mapped to ER_ERROR codes with
 * translated messages; a 409 or 429 also fills an ErConflict.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-client-private.h"
#include "er-error.h"
#include "er-json.h"

#define ER_CLIENT_MAX_DETAIL_CHARS     200

/* ErConflict */

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

#define ER_TLS_ERRORS_KEY "er-client-tls-errors"

/* The reasons a certificate was refused, as a person reads them, each
 * translated; "" for none. */
static char *
certificate_reasons (GTlsCertificateFlags flags)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char          *reason;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a known certificate authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was issued for another server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses insecure cryptography") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("it could not be checked") },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if ((flags & reasons[i].flag) == 0)
        continue;
      if (text->len > 0)
        /* Translators: separates two reasons a certificate is not trusted. */
        g_string_append (text, _("; "));
      g_string_append (text, _(reasons[i].reason));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Never accepts: only records why, for the error. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  g_object_set_data (G_OBJECT (msg), ER_TLS_ERRORS_KEY, GUINT_TO_POINTER ((guint)errors));

  return FALSE;
}

/* Makes a certificate error on msg say why the certificate was refused
 * (a refused certificate is never accepted). */
void
_er_client_watch_certificate (SoupMessage *msg)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
}

/* Maps a failure to send msg or read its response. */
GError *
_er_client_network_error (GError      *error,
                          SoupMessage *msg)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  /* A cancellation at the deadline (er-client-deadline.c), already mapped. */
  if (error->domain == ER_ERROR)
    return g_steal_pointer (&owned);

  g_debug ("Network error: %s", error->message);

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = 0;
      g_autofree char *reasons = NULL;

      if (msg != NULL)
        flags = soup_message_get_tls_peer_certificate_errors (msg) |
                GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), ER_TLS_ERRORS_KEY));
      reasons = certificate_reasons (flags);

      if (*reasons != '\0')
        /* Translators: %s lists why, e.g. "it has expired; it was issued for another server name". */
        return g_error_new (ER_ERROR, ER_ERROR_NETWORK,
                            _("The server’s security certificate is not trusted: %s. The "
                              "connection was stopped. Check the server address, or ask your "
                              "administrator."), reasons);

      return g_error_new_literal (ER_ERROR, ER_ERROR_NETWORK,
                                  _("The server’s security certificate could not be verified, "
                                    "so the connection was stopped. Check the server address, "
                                    "or ask your administrator."));
    }

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

GError *
_er_client_too_large_error (gsize max_bytes)
{
  g_autofree char *size = g_format_size_full (max_bytes, G_FORMAT_SIZE_IEC_UNITS);

  return g_error_new (ER_ERROR, ER_ERROR_PARSE,
                      _("The server sent a response larger than %s, far more than this "
                        "request can need, so it was not read. The server may run an "
                        "incompatible version."), size);
}

GError *
_er_client_parse_error (const char *what)
{
  g_debug ("Unexpected response body: %s", what);

  return g_error_new_literal (ER_ERROR, ER_ERROR_PARSE,
                              _("The server sent a response that EDUlib Reviewer does not "
                                "understand. The server may run an incompatible version."));
}

const char *
_er_json_get_string_or_null (JsonObject *object,
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

  if (!er_json_load (parser, data, size, NULL))
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

guint
_er_client_retry_after_seconds (SoupMessageHeaders *headers)
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

  claimed_by = _er_json_get_string_or_null (error_object, "claimed_by");
  conflict->claimed_by = g_strdup (claimed_by);

  expires_at = _er_json_get_string_or_null (error_object, "expires_at");
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
GError *
_er_client_error_from_response (SoupMessage  *msg,
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
      code = _er_json_get_string_or_null (error_object, "code");
      detail = _er_json_get_string_or_null (error_object, "message");
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
        guint seconds = _er_client_retry_after_seconds (soup_message_get_response_headers (msg));

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
