/* test-hostile.c: ErClient against a hostile server.
 *
 * An in-test HTTP server on 127.0.0.1, written on raw sockets (one thread
 * per connection, blocking I/O) so that it can lie: a body nested 100 000
 * levels deep, a 100 MB list, a gzip bomb of 1 GiB streamed, an endless
 * chunked body, a Content-Length of 10 GB, headers or a body trickled a
 * byte at a time, and a TLS server with a self-signed certificate made by
 * the openssl CLI. Every one must end in a clear error, in bounded memory
 * and time; the slow ones must not hold back other requests; a deadline is
 * retried a bounded number of times, a body too large never.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "er-agent.h"
#include "er-client.h"
#include "er-error.h"
#include "test-async.h"

#define MIB (1024 * 1024)

typedef struct {
  GSocketService  *service;
  GTlsCertificate *certificate;   /* nullable: plain HTTP */
  char            *url;
  const char      *me_scenario;   /* what GET /me answers */
  gint             written_mib;   /* atomic: body bytes a streaming scenario wrote, MiB */
  gint             stopped;       /* atomic: streaming scenarios that ended */
  GCancellable    *cancellable;   /* cancelled when the test ends */
} HostileServer;

typedef struct {
  HostileServer *server;
  ErClient      *client;
  GPtrArray     *retrying;        /* GError */
} Fixture;

/* The server */

/* Every blocking call of a server thread takes the server's cancellable:
 * when a test ends, its server's threads return at once. */
static gboolean
write_text (HostileServer *server,
            GOutputStream *out,
            const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL,
                                    server->cancellable, NULL);
}

/* Waits until the client closes the connection (or 30 s). */
static void
wait_for_close (HostileServer     *server,
                GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  char byte;

  g_socket_set_timeout (socket, 30);
  g_socket_receive (socket, &byte, 1, server->cancellable, NULL);
}

/* Writes the same chunk until the client stops reading or max bytes are
 * out; counts what was written. */
static void
write_repeated (HostileServer *server,
                GOutputStream *out,
                const char    *chunk,
                gsize          chunk_size,
                guint64        max)
{
  guint64 written = 0;
  guint64 counted = 0;

  while (written < max &&
         g_output_stream_write_all (out, chunk, chunk_size, NULL, server->cancellable, NULL))
    {
      written += chunk_size;
      while (written - counted >= MIB)
        {
          g_atomic_int_inc (&server->written_mib);
          counted += MIB;
        }
    }
  g_output_stream_flush (out, server->cancellable, NULL);
}

static void
serve_deep (HostileServer *server,
            GOutputStream *out)
{
  const gsize levels = 100000;
  g_autoptr(GString) body = g_string_new ("{\"username\":");
  g_autofree char *head = NULL;

  for (gsize i = 0; i < levels; i++)
    g_string_append_c (body, '[');
  for (gsize i = 0; i < levels; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n", body->len);
  if (write_text (server, out, head))
    g_output_stream_write_all (out, body->str, body->len, NULL, server->cancellable, NULL);
}

/* A page that would hold 100 MB, chunked. */
static void
serve_big_list (HostileServer *server,
                GOutputStream *out)
{
  g_autoptr(GString) chunk = g_string_new (NULL);
  g_autoptr(GString) items = g_string_new (NULL);

  if (!write_text (server, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        "d\r\n{\"results\":[\r\n"))
    return;

  while (items->len < 64 * 1024)
    g_string_append (items, "{\"receipt_id\":\"r-0000000000\",\"status\":\"pending\"},");
  g_string_printf (chunk, "%zx\r\n%s\r\n", items->len, items->str);

  write_repeated (server, out, chunk->str, chunk->len, (guint64)100 * 1000 * 1000);
}

/* 1 GiB of spaces, gzipped as it is written: about 1 MB on the wire. */
static void
serve_gzip_bomb (HostileServer *server,
                 GOutputStream *out)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) gzip = NULL;
  g_autofree char *spaces = g_malloc (64 * 1024);

  if (!write_text (server, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Encoding: gzip\r\nConnection: close\r\n\r\n"))
    return;

  memset (spaces, ' ', 64 * 1024);
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  gzip = g_converter_output_stream_new (out, G_CONVERTER (compressor));
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (gzip), FALSE);
  write_text (server, gzip, "{\"results\":");
  write_repeated (server, gzip, spaces, 64 * 1024, (guint64)1024 * MIB);
  g_output_stream_close (gzip, server->cancellable, NULL);
}

static void
serve_endless_chunked (HostileServer *server,
                       GOutputStream *out)
{
  g_autoptr(GString) chunk = g_string_new ("10000\r\n");

  if (!write_text (server, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n"))
    return;

  for (gsize i = 0; i < 0x10000; i++)
    g_string_append_c (chunk, ' ');
  g_string_append (chunk, "\r\n");

  write_repeated (server, out, chunk->str, chunk->len, G_MAXUINT64);
}

/* One byte of a text every 300 ms, for 30 s at most. */
static void
trickle (HostileServer *server,
         GOutputStream *out,
         const char    *text)
{
  for (gsize i = 0; i < 100 && !g_cancellable_is_cancelled (server->cancellable); i++)
    {
      if (!g_output_stream_write_all (out, text + (i % strlen (text)), 1, NULL,
                                      server->cancellable, NULL) ||
          !g_output_stream_flush (out, server->cancellable, NULL))
        return;
      g_usleep (300 * 1000);
    }
}

static void
serve (HostileServer     *server,
       GSocketConnection *connection,
       GIOStream         *stream,
       const char        *scenario)
{
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  if (g_str_equal (scenario, "me"))
    {
      const char *body = "{\"username\":\"agent\",\"full_name\":\"Test Agent\",\"permissions\":[]}";
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                               "Content-Length: %zu\r\n\r\n", strlen (body));

      if (write_text (server, out, head))
        write_text (server, out, body);
    }
  else if (g_str_equal (scenario, "deep"))
    serve_deep (server, out);
  else if (g_str_equal (scenario, "list"))
    serve_big_list (server, out);
  else if (g_str_equal (scenario, "bomb"))
    serve_gzip_bomb (server, out);
  else if (g_str_equal (scenario, "chunked"))
    serve_endless_chunked (server, out);
  else if (g_str_equal (scenario, "huge-length"))
    {
      if (write_text (server, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 10000000000\r\n\r\n{"))
        wait_for_close (server, connection);
    }
  else if (g_str_equal (scenario, "trickle-headers"))
    trickle (server, out, "HTTP/1.1 200 OK\r\nX-Slow: ");
  else if (g_str_equal (scenario, "trickle-body"))
    {
      if (write_text (server, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 1000\r\n\r\n"))
        trickle (server, out, "          ");
    }
  else
    write_text (server, out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

  g_atomic_int_inc (&server->stopped);
}

/* The scenario a request path asks for. */
static const char *
scenario_for (HostileServer *server,
              const char    *path)
{
  if (g_str_equal (path, ER_API_PREFIX "me"))
    return server->me_scenario;
  if (g_str_equal (path, ER_API_PREFIX "cases") ||
      g_str_has_prefix (path, ER_API_PREFIX "cases?"))
    return "list";
  if (g_str_has_prefix (path, ER_API_PREFIX "cases/"))
    return path + strlen (ER_API_PREFIX "cases/");
  if (g_str_has_prefix (path, "/photo/"))
    return path + strlen ("/photo/");
  return "";
}

static void
serve_connection (HostileServer     *server,
                  GSocketConnection *connection)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_auto(GStrv) parts = NULL;

  if (server->certificate != NULL)
    {
      stream = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (connection),
                                                         server->certificate, NULL));
      /* The client refuses the certificate: the handshake fails. */
      if (stream != NULL)
        g_tls_connection_handshake (G_TLS_CONNECTION (stream), server->cancellable, NULL);
      return;
    }

  stream = g_object_ref (G_IO_STREAM (connection));
  in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);

  request_line = g_data_input_stream_read_line (in, NULL, server->cancellable, NULL);
  if (request_line == NULL)
    return;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, server->cancellable, NULL);

      if (line == NULL)
        return;
      g_strchomp (line);
      if (*line == '\0')
        break;
    }

  parts = g_strsplit (g_strchomp (request_line), " ", 3);
  if (g_strv_length (parts) < 2)
    return;

  serve (server, connection, stream, scenario_for (server, parts[1]));
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  serve_connection (user_data, connection);
  return TRUE;
}

static HostileServer *
hostile_server_new (GTlsCertificate *certificate)
{
  HostileServer *server = g_new0 (HostileServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->certificate = certificate ? g_object_ref (certificate) : NULL;
  server->me_scenario = "me";
  server->cancellable = g_cancellable_new ();
  server->service = g_threaded_socket_service_new (32);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "run", G_CALLBACK (run_cb), server);
  g_socket_service_start (server->service);

  server->url = g_strdup_printf ("%s://127.0.0.1:%u", certificate ? "https" : "http",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  return server;
}

static void
service_finalized_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  g_atomic_int_set ((gint *)data, TRUE);
}

/* Stops the server's threads (cancelled where they block) and frees it.
 * Every connection being served holds a reference on the service: it is
 * finalized, in the thread of the last one, when none is left. */
static void
hostile_server_free (HostileServer *server)
{
  gint finalized = FALSE;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_cancellable_cancel (server->cancellable);
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_object_weak_ref (G_OBJECT (server->service), service_finalized_cb, &finalized);
  g_object_unref (server->service);
  while (!g_atomic_int_get (&finalized))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_clear_object (&server->certificate);
  g_clear_object (&server->cancellable);
  g_free (server->url);
  g_free (server);
}

/* The fixture */

static void
retrying_cb (ErClient      *client,
             ErRequestKind  kind,
             guint          attempt,
             guint          delay_ms,
             const GError  *error,
             gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->retrying, g_error_copy (error));
}

static void
fixture_start (Fixture         *fixture,
               GTlsCertificate *certificate)
{
  g_autoptr(GError) error = NULL;

  fixture->server = hostile_server_new (certificate);
  fixture->client = er_client_new (fixture->server->url, "token", &error);
  g_assert_no_error (error);
  er_client_set_max_retries (fixture->client, 0);
  fixture->retrying = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_signal_connect (fixture->client, "retrying", G_CALLBACK (retrying_cb), fixture);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture_start (fixture, NULL);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->retrying, g_ptr_array_unref);
  if (fixture->server != NULL)
    g_clear_pointer (&fixture->server, hostile_server_free);
}

/* GET /cases/{scenario}: the error it ends with. */
static GError *
get_case_error (Fixture    *fixture,
                const char *scenario)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErCase) item = NULL;
  GError *error = NULL;

  er_client_get_case_async (fixture->client, scenario, NULL, test_async_store, &result);
  item = er_client_get_case_finish (fixture->client, test_async_wait (&result), &error);
  g_assert_null (item);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", scenario, error->message);

  return error;
}

/* Waits (10 s at most) until the server's streaming scenario ended: its
 * writes fail once the client has closed the connection. */
static void
wait_server_stopped (HostileServer *server)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&server->stopped) < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

static void
set_flag (gpointer data)
{
  *(gboolean *)data = TRUE;
}

/* Runs the main context for ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
cancel_cb (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gsize
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? (gsize)g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

/* The tests */

static void
test_deep_nesting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(GError) error = NULL;

  /* The audit's crash: the first request of a session. */
  fixture->server->me_scenario = "deep";
  er_client_get_me_async (fixture->client, NULL, test_async_store, &result);
  agent = er_client_get_me_finish (fixture->client, test_async_wait (&result), &error);
  g_assert_null (agent);
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "nested more than 64 levels"));
  g_clear_error (&error);

  error = get_case_error (fixture, "deep");
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
}

static void
test_big_list (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gsize before = peak_rss_kib ();
  gsize after;

  er_client_list_cases_async (fixture->client, NULL, NULL, test_async_store, &result);
  page = er_client_list_cases_finish (fixture->client, test_async_wait (&result), &error);
  g_assert_null (page);
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "larger than 16"));

  after = peak_rss_kib ();
  g_test_message ("Peak RSS grew by %zu KiB", after - before);
  g_assert_cmpuint (after - before, <, 100 * 1024);

  /* The client stopped reading: the server never got its 100 MB out. */
  wait_server_stopped (fixture->server);
  g_assert_cmpint (g_atomic_int_get (&fixture->server->written_mib), <, 95);
}

static void
test_gzip_bomb (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = get_case_error (fixture, "bomb");

  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "larger than 4"));

  wait_server_stopped (fixture->server);
  g_assert_cmpint (g_atomic_int_get (&fixture->server->written_mib), <, 1000);
}

static void
test_photo_gzip_bomb (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  er_client_fetch_photo_async (fixture->client, "/photo/bomb", 25 * MIB, NULL,
                               test_async_store, &result);
  bytes = er_client_fetch_photo_finish (fixture->client, test_async_wait (&result), NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE);
}

static void
test_endless_chunked (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = get_case_error (fixture, "chunked");

  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

static void
test_huge_content_length (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = get_case_error (fixture, "huge-length");

  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

static void
check_deadline_error (const GError *error)
{
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "took more than 1 second"));
}

static void
test_trickle (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) headers_error = NULL;
  g_autoptr(GError) body_error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) photo_error = NULL;

  er_client_set_request_deadlines (fixture->client, 1, 1);

  headers_error = get_case_error (fixture, "trickle-headers");
  check_deadline_error (headers_error);
  body_error = get_case_error (fixture, "trickle-body");
  check_deadline_error (body_error);

  er_client_fetch_photo_async (fixture->client, "/photo/trickle-body", 25 * MIB, NULL,
                               test_async_store, &result);
  bytes = er_client_fetch_photo_finish (fixture->client, test_async_wait (&result), NULL,
                                        &photo_error);
  g_assert_null (bytes);
  check_deadline_error (photo_error);
}

/* A cancel during a slow request stays silent: not the deadline's error. */
static void
test_trickle_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErCase) item = NULL;
  g_autoptr(GError) error = NULL;

  er_client_set_request_deadlines (fixture->client, 1, 1);
  er_client_get_case_async (fixture->client, "trickle-body", cancellable, test_async_store, &result);
  g_timeout_add_once (200, cancel_cb, cancellable);
  item = er_client_get_case_finish (fixture->client, test_async_wait (&result), &error);
  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A deadline may pass: it is retried, a bounded number of times. A body
 * too large will not: never retried. */
static void
test_retry_policy (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) trickle_error = NULL;
  g_autoptr(GError) large_error = NULL;
  g_autoptr(GError) deep_error = NULL;

  er_client_set_request_deadlines (fixture->client, 1, 1);
  er_client_set_max_retries (fixture->client, 2);

  trickle_error = get_case_error (fixture, "trickle-body");
  check_deadline_error (trickle_error);
  g_assert_cmpuint (fixture->retrying->len, ==, 2);
  for (guint i = 0; i < fixture->retrying->len; i++)
    check_deadline_error (g_ptr_array_index (fixture->retrying, i));

  g_ptr_array_set_size (fixture->retrying, 0);
  large_error = get_case_error (fixture, "huge-length");
  g_assert_error (large_error, ER_ERROR, ER_ERROR_PARSE);
  deep_error = get_case_error (fixture, "deep");
  g_assert_error (deep_error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_cmpuint (fixture->retrying->len, ==, 0);
}

typedef struct {
  ErClient *client;
  guint     pending;
  guint     slow_done_before_me;
  gboolean  me_done;
  GError   *me_error;
} Race;

static void
slow_case_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(ErCase) item = NULL;
  g_autoptr(GError) error = NULL;

  item = er_client_get_case_finish (race->client, result, &error);
  if (!race->me_done)
    race->slow_done_before_me++;
  race->pending--;
}

static void
slow_photo_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = er_client_fetch_photo_finish (race->client, result, NULL, &error);
  if (!race->me_done)
    race->slow_done_before_me++;
  race->pending--;
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(ErAgent) agent = NULL;

  agent = er_client_get_me_finish (race->client, result, &race->me_error);
  race->me_done = TRUE;
  race->pending--;
}

/* Four stuck requests to the server do not hold back a fifth. */
static void
test_slow_does_not_block (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Race race = { .client = fixture->client };

  er_client_set_request_deadlines (fixture->client, 20, 20);

  for (guint i = 0; i < 2; i++)
    {
      er_client_get_case_async (fixture->client, "trickle-body", cancellable, slow_case_cb, &race);
      er_client_fetch_photo_async (fixture->client, "/photo/trickle-headers", 25 * MIB,
                                   cancellable, slow_photo_cb, &race);
      race.pending += 2;
    }

  /* Let them take their connections first. */
  run_for (300);

  er_client_get_me_async (fixture->client, NULL, me_cb, &race);
  race.pending++;

  while (!race.me_done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (race.me_error);
  g_assert_cmpuint (race.slow_done_before_me, ==, 0);

  /* End the slow ones. */
  g_cancellable_cancel (cancellable);
  while (race.pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static GTlsCertificate *
self_signed_certificate (void)
{
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
    "-nodes", "-subj", "/CN=reviewer.invalid", "-days", "1", "-keyout", "-", "-out", "-", NULL
  };
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &pem, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;

  return g_tls_certificate_new_from_pem (pem, -1, NULL);
}

static void
test_tls_self_signed (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend");
      return;
    }

  certificate = self_signed_certificate ();
  if (certificate == NULL)
    {
      g_test_skip ("The openssl CLI could not make a certificate");
      return;
    }

  fixture_start (&fixture, certificate);
  er_client_set_max_retries (fixture.client, 3);

  er_client_get_me_async (fixture.client, NULL, test_async_store, &result);
  agent = er_client_get_me_finish (fixture.client, test_async_wait (&result), &error);
  g_assert_null (agent);
  g_assert_error (error, ER_ERROR, ER_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "certificate is not trusted"));
  g_assert_nonnull (strstr (error->message, "not signed by a known certificate authority"));
  g_assert_nonnull (strstr (error->message, "issued for another server name"));
  /* Asking again does not make a certificate trusted. */
  g_assert_cmpuint (fixture.retrying->len, ==, 0);

  teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* No proxy between the client and the hostile server. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hostile/" path, Fixture, NULL, setup, func, teardown)

  /* First: it measures the peak memory. */
  ADD ("big-list", test_big_list);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("gzip-bomb", test_gzip_bomb);
  ADD ("photo-gzip-bomb", test_photo_gzip_bomb);
  ADD ("endless-chunked", test_endless_chunked);
  ADD ("huge-content-length", test_huge_content_length);
  ADD ("trickle", test_trickle);
  ADD ("trickle-cancelled", test_trickle_cancelled);
  ADD ("retry-policy", test_retry_policy);
  ADD ("slow-does-not-block", test_slow_does_not_block);
  g_test_add_func ("/hostile/tls-self-signed", test_tls_self_signed);

  status = g_test_run ();
  test_async_stop_threads ();

  return status;
}
