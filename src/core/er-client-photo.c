/* er-client-photo.c: photo downloads.
 *
 * A photo URL is absolute (often a pre-signed storage URL on another origin)
 * or a path on the server. Redirects are followed by hand, at most
 * ER_CLIENT_MAX_REDIRECTS, and for every hop the token is sent only when
 * that hop is on the server origin. The size is capped on Content-Length and
 * while reading (the decompressed bytes: requests carry Accept-Encoding);
 * each hop has an overall deadline; the bytes stay in memory, wiped when
 * released (a decrypted photo's source, or the image itself when it is
 * served clear). A hop that fails for a reason that may pass is sent again
 * (er-client-retry.c), with the same decision about the token.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-client-private.h"
#include "er-error.h"
#include "er-secret.h"

typedef struct {
  GUri         *uri;
  SoupMessage  *msg;
  GInputStream *stream;
  ErSecretBuffer *buffer;  /* wiped when freed or grown */
  char         *content_type;
  gsize         max_bytes;
  guint         hops;
  gboolean      on_server;
  gboolean      error_body;  /* reading the body of an error response */
  gboolean      sized;       /* the buffer was given the body's whole length */
  ErRetry       retry;
  ErDeadline    deadline;    /* of the hop being sent */
} PhotoFetch;

static void
photo_fetch_free (PhotoFetch *fetch)
{
  _er_deadline_stop (&fetch->deadline);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->buffer, er_secret_buffer_free);
  g_clear_pointer (&fetch->content_type, g_free);
  g_free (fetch);
}

static void photo_start (GTask *task);

static GError *
photo_too_large_error (gsize max_bytes)
{
  g_autofree char *size = er_format_size_limit (max_bytes);

  return g_error_new (ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE,
                      _("The photo is larger than %s, too large to be a verification "
                        "photo. It was not downloaded."), size);
}

static void
photo_finish_error_body (GTask *task)
{
  PhotoFetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) body = er_secret_buffer_free_to_bytes (g_steal_pointer (&fetch->buffer));
  g_autoptr(GError) error = NULL;

  _er_deadline_stop (&fetch->deadline);
  error = _er_client_error_from_response (fetch->msg, body, fetch->on_server, NULL);
  if (!_er_client_retry (task, &fetch->retry, fetch->msg, NULL, error))
    g_task_return_error (task, g_steal_pointer (&error));
}

/* A network error while sending or reading. */
static void
photo_network_error (GTask  *task,
                     GError *error)
{
  PhotoFetch *fetch = g_task_get_task_data (task);

  _er_client_retry_network_failure (task, &fetch->retry, &fetch->deadline, fetch->msg, error);
}

static void photo_read_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Reads the next part of the body straight into the buffer. A body of
 * known length was given its whole size (plus the byte the end-of-body
 * read needs) at once: read within that room, no growing, no copy. Other
 * bodies in whole parts (a chunked body's stream cannot read a byte or two
 * at a time); photo_read_cb refuses what goes past the limit. */
static void
photo_read_next (GTask *task)
{
  PhotoFetch *fetch = g_task_get_task_data (task);
  gsize room = fetch->buffer->allocated - fetch->buffer->len;
  gsize want = ER_CLIENT_PHOTO_READ_CHUNK;
  guint8 *space;

  if (fetch->sized && room > 0)
    want = MIN (want, room);
  space = er_secret_buffer_reserve (fetch->buffer, want);
  g_input_stream_read_async (fetch->stream, space, want, G_PRIORITY_DEFAULT,
                             fetch->deadline.cancellable, photo_read_cb, task);
}

static void
photo_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PhotoFetch *fetch = g_task_get_task_data (task);
  gsize limit = fetch->error_body ? ER_CLIENT_MAX_ERROR_BODY : fetch->max_bytes;
  gssize size;

  size = g_input_stream_read_finish (stream, result, &error);
  if (size < 0)
    {
      if (fetch->error_body && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        photo_finish_error_body (task);
      else
        photo_network_error (task, g_steal_pointer (&error));
      return;
    }

  if (size == 0)
    {
      if (fetch->error_body)
        {
          photo_finish_error_body (task);
          return;
        }

      g_debug ("Photo: %" G_GSIZE_FORMAT " bytes, %s", fetch->buffer->len,
               fetch->content_type ? fetch->content_type : "no content type");
      _er_deadline_stop (&fetch->deadline);
      _er_client_retry_succeeded (task, &fetch->retry);
      g_task_return_pointer (task, g_steal_pointer (&fetch->buffer),
                             (GDestroyNotify) er_secret_buffer_free);
      return;
    }

  if (fetch->buffer->len + (gsize) size > limit)
    {
      if (fetch->error_body)
        photo_finish_error_body (task);
      else
        {
          _er_deadline_stop (&fetch->deadline);
          g_task_return_error (task, photo_too_large_error (fetch->max_bytes));
        }
      return;
    }

  er_secret_buffer_commit (fetch->buffer, size);
  photo_read_next (g_steal_pointer (&task));
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
  guint status;

  stream = soup_session_send_finish (session, result, &error);
  if (stream == NULL)
    {
      photo_network_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (fetch->msg);
  headers = soup_message_get_response_headers (fetch->msg);

  {
    g_autofree char *log_url = _er_uri_to_log_string (fetch->uri);
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

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch->error_body = TRUE;
    }
  else
    {
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          (guint64)soup_message_headers_get_content_length (headers) > (guint64)fetch->max_bytes)
        {
          _er_deadline_stop (&fetch->deadline);
          g_task_return_error (task, photo_too_large_error (fetch->max_bytes));
          return;
        }

      fetch->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
    }

  /* A body of known length (checked against the limit above; an error's
   * is read only up to its own) gets its size at once, plus the byte the
   * end-of-body read needs. The length is the server's word, hence the cap. */
  if (!fetch->error_body &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    {
      fetch->buffer = er_secret_buffer_new ((gsize) soup_message_headers_get_content_length (headers) + 1);
      fetch->sized = TRUE;
    }
  else
    fetch->buffer = er_secret_buffer_new (ER_CLIENT_READ_CHUNK);
  photo_read_next (g_steal_pointer (&task));
}

/* Sends the GET for fetch->uri (again, for a retry); takes the task. */
static void
photo_start (GTask *task)
{
  ErClient *self = g_task_get_source_object (task);
  PhotoFetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->buffer, er_secret_buffer_free);
  g_clear_pointer (&fetch->content_type, g_free);
  fetch->error_body = FALSE;
  fetch->sized = FALSE;

  if (!_er_uri_is_secure_enough (fetch->uri))
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_INSECURE_URL,
                               _("The photo’s address is not secure (it does not use "
                                 "https), so it was not downloaded."));
      g_object_unref (task);
      return;
    }

  fetch->msg = soup_message_new_from_uri (SOUP_METHOD_GET, fetch->uri);
  soup_message_add_flags (fetch->msg, SOUP_MESSAGE_NO_REDIRECT);
  _er_client_watch_certificate (fetch->msg);
  headers = soup_message_get_request_headers (fetch->msg);

  /* Decided again for every hop: the token only goes to the server origin. */
  fetch->on_server = _er_uri_same_origin (fetch->uri, self->server_uri);
  if (fetch->on_server)
    _er_client_set_authorization (self, headers);

  soup_session_send_async (self->session, fetch->msg, G_PRIORITY_DEFAULT,
                           _er_deadline_start (&fetch->deadline, task, self->photo_deadline),
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
  _er_retry_init (&fetch->retry, ER_REQUEST_PHOTO, photo_start);
  g_task_set_task_data (task, fetch, (GDestroyNotify)photo_fetch_free);

  if (url[0] == '/' && url[1] != '/')
    fetch->uri = g_uri_parse_relative (self->server_uri, url, SOUP_HTTP_URI_FLAGS, NULL);
  else
    fetch->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (fetch->uri == NULL || !_er_uri_is_http (fetch->uri))
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
  ErSecretBuffer *buffer;

  if (!_er_client_result_is_valid (self, result, er_client_fetch_photo_async))
    return NULL;

  fetch = g_task_get_task_data (G_TASK (result));
  buffer = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type != NULL)
    *content_type = buffer != NULL ? g_steal_pointer (&fetch->content_type) : NULL;

  return buffer != NULL ? er_secret_buffer_free_to_bytes (buffer) : NULL;
}

ErSecretBuffer *
er_client_fetch_photo_finish_buffer (ErClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  if (!_er_client_result_is_valid (self, result, er_client_fetch_photo_async))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
