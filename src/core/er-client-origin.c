/* er-client-origin.c: the server origin and the origin rules.
 *
 * The server address is parsed and normalised here; only https is accepted,
 * except for loopback hosts (127.0.0.0/8, ::1, localhost), which may use
 * http. The same-origin test decides where the bearer token may go.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "er-client-private.h"
#include "er-error.h"

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

gboolean
_er_uri_is_http (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 ||
          g_ascii_strcasecmp (scheme, "http") == 0);
}

/* https anywhere, http only on loopback. */
gboolean
_er_uri_is_secure_enough (GUri *uri)
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

gboolean
_er_uri_same_origin (GUri *a,
                     GUri *b)
{
  const char *host_a = g_uri_get_host (a);
  const char *host_b = g_uri_get_host (b);

  if (!_er_uri_is_http (a) || !_er_uri_is_http (b))
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) != 0)
    return FALSE;
  if (host_a == NULL || host_b == NULL || g_ascii_strcasecmp (host_a, host_b) != 0)
    return FALSE;
  return uri_effective_port (a) == uri_effective_port (b);
}

/* For traces: never print a query string (photo URLs carry signatures). */
char *
_er_uri_to_log_string (GUri *uri)
{
  return g_uri_join (G_URI_FLAGS_ENCODED_PATH,
                     g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri),
                     g_uri_get_path (uri), NULL, NULL);
}

/* Parses server as the API origin and normalises it: lowercase scheme and
 * host, no default port, no path. Refuses anything but an http(s) origin,
 * and http:// except on loopback (ER_ERROR_INSECURE_URL). */
GUri *
_er_client_parse_origin (const char  *server,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *scheme = NULL;
  const char *path;
  int port;

  uri = g_uri_parse (server, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_debug ("Refusing server address: %s", local_error->message);
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("The server address is not a valid web address. "
                             "Enter it as https://verify.example.org"));
      return NULL;
    }

  if (!_er_uri_is_http (uri) || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INSECURE_URL,
                           _("The server address must begin with https:// followed by "
                             "the server name, for example https://verify.example.org"));
      return NULL;
    }

  if (!_er_uri_is_secure_enough (uri))
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

  /* The scheme's default port is left out: "https://host", not "https://host:443". */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) ||
      (port == 80 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0))
    port = -1;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  return g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port, "", NULL, NULL);
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

  return _er_uri_same_origin (uri, self->server_uri);
}
