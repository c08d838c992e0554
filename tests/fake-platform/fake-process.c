/* fake-process.c: start the fake platform from a test and talk to its test endpoints. */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>

#include "fake-process.h"

static char *
read_ready_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  if (line == NULL)
    g_error ("The fake platform did not start: %s", error != NULL ? error->message : "no output");
  return line;
}

/* The fake platform dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

FakeProcess *
fake_process_start (const char *first_arg,
                    ...)
{
  const char *exe = g_getenv ("ER_FAKE_PLATFORM");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  FakeProcess *self;
  va_list args;

  g_assert_nonnull (exe);

  self = g_new0 (FakeProcess, 1);
  self->dir = g_dir_make_tmp ("er-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->key_path = g_build_filename (self->dir, "key.pem", NULL);

  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strdup ("--storage-port=0"));
  g_ptr_array_add (argv, g_strdup_printf ("--write-key=%s", self->key_path));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Under the sanitizers: the fake's leak reports need whole stacks to be
   * matched by tests/sanitize/lsan.supp (libsoup's server), whatever the
   * test itself uses (GTK tests unwind fast to stay quick). */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"),
                                              ":fast_unwind_on_malloc=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  line = read_ready_line (self->process);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "READY");
  self->api_url = g_strdup (words[1]);
  self->storage_url = g_strdup (words[2]);
  self->session = soup_session_new ();
  return self;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

void
fake_process_stop (FakeProcess *self)
{
  if (self == NULL)
    return;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
  g_clear_object (&self->session);
  remove_dir (self->dir);
  g_free (self->dir);
  g_free (self->api_url);
  g_free (self->storage_url);
  g_free (self->key_path);
  g_free (self);
}

static GBytes *
request (FakeProcess *self,
         const char  *method,
         const char  *path,
         const char  *body,
         guint       *status)
{
  g_autofree char *url = g_strconcat (self->api_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  if (body != NULL)
    {
      g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", data);
    }
  bytes = soup_session_send_and_read (self->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  return bytes;
}

JsonObject *
fake_process_state (FakeProcess *self)
{
  return fake_process_get (self, "/_fake/state");
}

JsonObject *
fake_process_get (FakeProcess *self,
                  const char  *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = request (self, "GET", path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

guint
fake_process_post (FakeProcess *self,
                   const char  *path,
                   const char  *body)
{
  guint status = 0;
  g_autoptr(GBytes) bytes = request (self, "POST", path, body, &status);

  return status;
}

guint
fake_process_count_decisions (FakeProcess *self,
                              const char  *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (self);
  JsonArray *decisions = json_object_get_array_member (state, "decisions");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);
      if (g_strcmp0 (json_object_get_string_member (d, "receipt_id"), receipt_id) == 0)
        count++;
    }
  return count;
}

void
fake_process_set_faults (FakeProcess *self,
                         const char  *json)
{
  g_assert_cmpuint (fake_process_post (self, "/_fake/faults", json), ==, 200);
}

gint64
fake_process_fault_count (FakeProcess *self,
                          const char  *name)
{
  g_autoptr(JsonObject) state = fake_process_state (self);
  JsonObject *faults = json_object_get_object_member (state, "faults");

  g_assert_nonnull (faults);
  g_assert_true (json_object_has_member (faults, name));
  return json_object_get_int_member (faults, name);
}

void
fake_process_revoke (FakeProcess *self,
                     const char  *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  g_assert_cmpuint (fake_process_post (self, "/_fake/revoke", body), ==, 200);
}

void
fake_process_add_token (FakeProcess *self,
                        const char  *token,
                        const char  *agent)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "agent");
  json_builder_add_string_value (builder, agent != NULL ? agent : "agent.lavoie");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  g_assert_cmpuint (fake_process_post (self, "/_fake/tokens", body), ==, 200);
}
