/* test-outbox.c: ErOutbox on disk, in a temporary XDG_DATA_HOME. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "er-error.h"
#include "er-outbox.h"

static char *data_home;

typedef struct {
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint n;
  g_autofree char *server = g_strdup_printf ("http://127.0.0.1:%u", ++n);

  f->path = er_outbox_default_path (server, "agent.lavoie");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autofree char *base = g_path_get_basename (f->path);
  const char *name;

  /* Only this test's files: the file and what was set aside. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, base))
      {
        g_autofree char *file = g_build_filename (folder, name, NULL);
        g_unlink (file);
      }
  g_free (f->path);
}

static ErOutbox *
outbox_new (const char *path)
{
  g_autoptr(GError) error = NULL;
  ErOutbox *outbox = er_outbox_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outbox);
  return outbox;
}

static ErReasons *
some_reasons (void)
{
  ErReasons *reasons = er_reasons_new ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  er_reasons_set_note (reasons, "Glare on the card");
  return reasons;
}

static ErOutboxEntry *
add (ErOutbox   *outbox,
     const char *receipt_id,
     gboolean    approved,
     gint        due_in_seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, due_in_seconds);
  g_autoptr(ErReasons) reasons = approved ? NULL : some_reasons ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Learner %s", receipt_id);
  ErOutboxEntry *entry;

  entry = er_outbox_add (outbox, receipt_id, name, approved, reasons, due, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

/* Waits for the writer thread: the file holds every change made so far. */
static void
flush (ErOutbox *outbox)
{
  g_assert_true (er_outbox_flush (outbox, 5000));
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* The names in the outbox folder, sorted. */
static GStrv
folder_names (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *base = g_path_get_basename (path);
  const char *name;
  GStrv names;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, base) || g_str_has_prefix (name, "."))
      g_strv_builder_add (builder, name);
  names = g_strv_builder_end (builder);
  qsort (names, g_strv_length (names), sizeof (char *), (GCompareFunc) g_strcmp0);
  return names;
}

static void
test_default_path (void)
{
  g_autofree char *path = er_outbox_default_path ("https://verify.edulib.org", "agent.lavoie");
  g_autofree char *other_agent = er_outbox_default_path ("https://verify.edulib.org", "agent.roy");
  g_autofree char *other_server = er_outbox_default_path ("https://other.edulib.org", "agent.lavoie");
  g_autofree char *folder = g_build_filename (data_home, "edulib-reviewer", "outbox", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *expected = NULL;

  g_checksum_update (checksum, (const guchar *)"https://verify.edulib.org\nagent.lavoie", -1);
  expected = g_strconcat (g_checksum_get_string (checksum), ".json", NULL);

  g_assert_cmpstr (dir, ==, folder);
  g_assert_cmpstr (base, ==, expected);
  g_assert_cmpstr (path, !=, other_agent);
  g_assert_cmpstr (path, !=, other_server);
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autoptr(GPtrArray) entries = er_outbox_get_entries (outbox);
  g_autofree char *folder = g_path_get_dirname (f->path);
  GStatBuf st;

  g_assert_cmpstr (er_outbox_get_path (outbox), ==, f->path);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  /* The folder is private. */
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, mode);
}

/* Audit finding 7: a folder or file that already exists with loose
 * permissions (made by hand, by an older version, or the data folder made
 * by something else) is tightened when the outbox is opened. */
static void
test_loose_modes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autofree char *app_folder = g_path_get_dirname (folder);
  g_autoptr(ErOutbox) outbox = NULL;
  g_autoptr(ErOutbox) again = NULL;

  /* An outbox with one decision, then everything loosened. */
  outbox = outbox_new (f->path);
  add (outbox, "receipt-1", TRUE, 10);
  g_clear_object (&outbox);
  g_assert_cmpint (g_chmod (app_folder, 0755), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0777), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);

  again = outbox_new (f->path);
  g_assert_cmpuint (er_outbox_get_n_waiting (again), ==, 1);
  assert_mode (app_folder, 0700);
  assert_mode (folder, 0700);
  assert_mode (f->path, 0600);
}

static void
count_cb (ErOutbox *outbox,
          guint    *count)
{
  (*count)++;
}

static void
test_persist (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autoptr(ErOutbox) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *first_key = NULL;
  g_autofree char *second_key = NULL;
  g_autofree char *third_key = NULL;
  ErOutboxEntry *entry;
  guint changed = 0;
  GStatBuf st;

  g_signal_connect (outbox, "changed", G_CALLBACK (count_cb), &changed);

  entry = add (outbox, "receipt-1", TRUE, 10);
  first_key = g_strdup (er_outbox_entry_get_key (entry));
  g_assert_cmpuint (changed, ==, 1);
  flush (outbox);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  entry = add (outbox, "receipt-2", FALSE, 10);
  second_key = g_strdup (er_outbox_entry_get_key (entry));
  entry = add (outbox, "receipt-3", TRUE, 10);
  third_key = g_strdup (er_outbox_entry_get_key (entry));
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpstr (first_key, !=, second_key);
  g_assert_cmpuint (strlen (first_key), ==, 36); /* a UUID */

  g_assert_true (er_outbox_has_case (outbox, "receipt-1"));
  g_assert_false (er_outbox_has_case (outbox, "receipt-9"));
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 3);

  /* Undo the third; the second is being sent, the first failed. */
  g_assert_true (er_outbox_take_back (outbox, third_key, &error));
  g_assert_no_error (error);
  g_assert_false (er_outbox_has_case (outbox, "receipt-3"));
  g_assert_true (er_outbox_mark_sending (outbox, second_key, &error));
  g_assert_no_error (error);
  g_assert_false (er_outbox_take_back (outbox, second_key, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (er_outbox_take_back (outbox, third_key, &error));
  g_assert_error (error, ER_ERROR, ER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  entry = er_outbox_lookup (outbox, first_key);
  g_assert_nonnull (entry);
  er_outbox_entry_ref (entry);
  g_assert_true (er_outbox_mark_failed (outbox, first_key, "Someone else has it", &error));
  g_assert_no_error (error);
  /* A reference taken before the change still reads the old values. */
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_null (er_outbox_entry_get_error (entry));
  er_outbox_entry_unref (entry);

  g_assert_false (er_outbox_has_case (outbox, "receipt-1"));
  g_assert_true (er_outbox_has_case (outbox, "receipt-2"));
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 1);
  g_assert_cmpuint (changed, ==, 6);

  /* A new outbox on the same file reads the same; the SENDING entry is
   * WAITING again, due now, its attempt counted. */
  flush (outbox);
  again = outbox_new (f->path);
  entries = er_outbox_get_entries (again);
  g_assert_cmpuint (entries->len, ==, 2);

  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (er_outbox_entry_get_key (entry), ==, first_key);
  g_assert_cmpstr (er_outbox_entry_get_receipt_id (entry), ==, "receipt-1");
  g_assert_cmpstr (er_outbox_entry_get_name (entry), ==, "Learner receipt-1");
  g_assert_true (er_outbox_entry_get_approved (entry));
  g_assert_null (er_outbox_entry_get_reasons (entry));
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_FAILED);
  g_assert_cmpstr (er_outbox_entry_get_error (entry), ==, "Someone else has it");

  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (er_outbox_entry_get_key (entry), ==, second_key);
  g_assert_false (er_outbox_entry_get_approved (entry));
  g_assert_nonnull (er_outbox_entry_get_reasons (entry));
  g_assert_cmpstr (er_reasons_get (er_outbox_entry_get_reasons (entry), ER_REASON_GROUP_PHOTO_ID)[0],
                   ==, "Text not clear");
  g_assert_cmpstr (er_reasons_get_note (er_outbox_entry_get_reasons (entry)), ==, "Glare on the card");
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_cmpuint (er_outbox_entry_get_attempts (entry), ==, 1);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_assert_cmpint (g_date_time_compare (er_outbox_entry_get_due_at (entry), now), <=, 0);
    g_assert_cmpint (g_date_time_compare (er_outbox_entry_get_decided_at (entry), now), <=, 0);
  }

  /* mark_waiting records the retry time and the last error. */
  later = g_date_time_add_seconds (er_outbox_entry_get_decided_at (entry), 30);
  g_assert_true (er_outbox_mark_waiting (again, second_key, later, "No network", &error));
  g_assert_no_error (error);
  g_clear_object (&again);
  again = outbox_new (f->path);
  entry = er_outbox_lookup (again, second_key);
  g_assert_nonnull (entry);
  g_assert_true (g_date_time_equal (er_outbox_entry_get_due_at (entry), later));
  g_assert_cmpstr (er_outbox_entry_get_error (entry), ==, "No network");

  /* Remove and forget_failed persist. */
  g_assert_true (er_outbox_remove (again, second_key, &error));
  g_assert_no_error (error);
  g_assert_true (er_outbox_forget_failed (again, &error));
  g_assert_no_error (error);
  g_clear_object (&again);
  again = outbox_new (f->path);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = er_outbox_get_entries (again);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_make_all_due (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autoptr(ErOutbox) again = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *key = NULL;
  guint changed = 0;

  key = g_strdup (er_outbox_entry_get_key (add (outbox, "receipt-1", TRUE, 600)));
  g_signal_connect (outbox, "changed", G_CALLBACK (count_cb), &changed);
  er_outbox_make_all_due (outbox);
  g_assert_cmpuint (changed, ==, 1);
  flush (outbox);

  now = g_date_time_new_now_utc ();
  again = outbox_new (f->path);
  g_assert_cmpint (g_date_time_compare (er_outbox_entry_get_due_at (er_outbox_lookup (again, key)), now),
                   <=, 0);

  /* Nothing left to change: no write, no signal. */
  er_outbox_make_all_due (outbox);
  g_assert_cmpuint (changed, ==, 1);
}

/* The file holds no photo, no token: only the listed members. */
static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  static const char * const allowed[] = {
    "key", "receipt_id", "name", "approved", "reasons", "decided_at", "due_at",
    "state", "attempts", "error", NULL
  };
  JsonObject *root;
  JsonArray *array;

  add (outbox, "receipt-1", TRUE, 10);
  add (outbox, "receipt-2", FALSE, 10);
  flush (outbox);
  contents = read_file (f->path);

  g_assert_null (strstr (contents, "token"));
  g_assert_null (strstr (contents, "Bearer"));
  g_assert_null (strstr (contents, "user_photo"));
  g_assert_null (strstr (contents, "photo_id\""));
  g_assert_null (strstr (contents, "http"));
  g_assert_null (strstr (contents, "PNG"));
  g_assert_null (strstr (contents, "base64"));

  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  array = json_object_get_array_member (root, "entries");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GList) members = json_object_get_members (json_array_get_object_element (array, i));

      for (GList *l = members; l != NULL; l = l->next)
        g_assert_true (g_strv_contains (allowed, l->data));
    }
}

/* Written through a temporary file renamed over the old one: no temporary
 * file is left, and the file is never half-written. */
static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autofree char *base = g_path_get_basename (f->path);
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *receipt = g_strdup_printf ("receipt-%u", i);
      g_autofree char *contents = NULL;
      g_autoptr(ErOutbox) reader = NULL;
      g_autoptr(GPtrArray) entries = NULL;

      add (outbox, receipt, i % 2 == 0, 10);
      flush (outbox);
      reader = outbox_new (f->path);
      entries = er_outbox_get_entries (reader);
      g_assert_cmpuint (entries->len, ==, i + 1);
    }

  names = folder_names (f->path);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, base);
}

typedef struct {
  guint      n;
  GError    *error;
  GPtrArray *lost;  /* keys */
} Failures;

static void
write_failed_cb (ErOutbox  *outbox,
                 GError    *error,
                 GPtrArray *lost,
                 Failures  *failures)
{
  failures->n++;
  g_clear_error (&failures->error);
  failures->error = g_error_copy (error);
  for (guint i = 0; i < lost->len; i++)
    g_ptr_array_add (failures->lost, g_strdup (er_outbox_entry_get_key (g_ptr_array_index (lost, i))));
}

/* A write that fails is reported with the decisions that never reached the
 * disk; those leave the outbox (never sent). A later write carries the
 * whole list again. */
static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = NULL;
  g_autoptr(ErOutbox) again = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *saved_key = NULL;
  g_autofree char *lost_key = NULL;
  Failures failures = { 0, NULL, g_ptr_array_new_with_free_func (g_free) };
  ErOutboxEntry *entry;
  guint changed = 0;
  guint written = 0;

  outbox = outbox_new (f->path);
  g_signal_connect (outbox, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (outbox, "written", G_CALLBACK (count_cb), &written);
  g_signal_connect (outbox, "write-failed", G_CALLBACK (write_failed_cb), &failures);

  /* One decision safely on disk first. */
  saved_key = g_strdup (er_outbox_entry_get_key (add (outbox, "receipt-1", TRUE, 10)));
  flush (outbox);
  g_assert_cmpuint (written, ==, 1);
  g_assert_true (er_outbox_is_written (outbox, er_outbox_lookup (outbox, saved_key)));

  /* A folder where the file should be: the rename cannot replace it (this
   * fails for root too, unlike a read-only folder). */
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
  entry = er_outbox_add (outbox, "receipt-2", "Learner", TRUE, NULL, now, NULL);
  g_assert_nonnull (entry);
  lost_key = g_strdup (er_outbox_entry_get_key (entry));
  /* In memory at once, not on disk, so never to be sent. */
  g_assert_true (er_outbox_has_case (outbox, "receipt-2"));
  g_assert_false (er_outbox_is_written (outbox, entry));
  g_assert_cmpuint (changed, ==, 2);

  g_assert_false (er_outbox_flush (outbox, 5000));
  g_assert_cmpuint (failures.n, ==, 1);
  g_assert_nonnull (failures.error);
  g_assert_cmpuint (failures.lost->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (failures.lost, 0), ==, lost_key);
  /* Taken out (and announced): the agent is told; it is not sent. */
  g_assert_false (er_outbox_has_case (outbox, "receipt-2"));
  g_assert_null (er_outbox_lookup (outbox, lost_key));
  g_assert_cmpuint (changed, ==, 3);
  /* The one written before stays written. */
  g_assert_true (er_outbox_has_case (outbox, "receipt-1"));
  g_assert_cmpuint (written, ==, 1);

  /* No temporary file left behind. */
  g_assert_cmpint (g_rmdir (f->path), ==, 0);
  {
    g_auto(GStrv) names = folder_names (f->path);
    g_assert_cmpuint (g_strv_length (names), ==, 0);
  }

  /* The disk is back: the next flush writes what memory holds. */
  flush (outbox);
  g_assert_cmpuint (failures.n, ==, 1);
  again = outbox_new (f->path);
  g_assert_true (er_outbox_has_case (again, "receipt-1"));
  g_assert_false (er_outbox_has_case (again, "receipt-2"));

  g_clear_error (&failures.error);
  g_ptr_array_unref (failures.lost);
}

/* Every write is made by the writer thread, never by the thread that made
 * the outbox (the main thread). */
static void
test_off_main_thread (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  guint n_writes = 0;
  guint n_main = G_MAXUINT;
  g_autofree char *key = NULL;

  key = g_strdup (er_outbox_entry_get_key (add (outbox, "receipt-1", TRUE, 10)));
  flush (outbox);
  add (outbox, "receipt-2", FALSE, 10);
  g_assert_true (er_outbox_mark_sending (outbox, key, NULL));
  flush (outbox);
  g_assert_true (er_outbox_remove (outbox, key, NULL));
  er_outbox_make_all_due (outbox);
  flush (outbox);
  g_assert_true (er_outbox_forget_failed (outbox, NULL));

  er_outbox_get_write_counts (outbox, &n_writes, &n_main);
  g_assert_cmpuint (n_writes, >=, 3);
  g_assert_cmpuint (n_main, ==, 0);
}

/* Changes made while the writer is busy (held here) are coalesced: the
 * next write carries the latest state, once. */
static void
test_coalesce (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ErOutbox) outbox = outbox_new (f->path);
  g_autoptr(ErOutbox) again = NULL;
  ErOutboxEntry *entries[3];
  guint n_writes = 0;
  guint written = 0;

  g_signal_connect (outbox, "written", G_CALLBACK (count_cb), &written);
  er_outbox_hold_writes_for_testing (outbox, TRUE);
  entries[0] = add (outbox, "receipt-1", TRUE, 10);
  entries[1] = add (outbox, "receipt-2", FALSE, 10);
  entries[2] = add (outbox, "receipt-3", TRUE, 10);
  g_assert_true (er_outbox_take_back (outbox, er_outbox_entry_get_key (entries[2]), NULL));

  /* Nothing on disk yet, nothing written: none may be sent. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (er_outbox_is_written (outbox, entries[0]));
  g_assert_false (er_outbox_is_written (outbox, entries[1]));
  er_outbox_get_write_counts (outbox, &n_writes, NULL);
  g_assert_cmpuint (n_writes, ==, 0);

  flush (outbox); /* releases the writer */
  er_outbox_get_write_counts (outbox, &n_writes, NULL);
  g_assert_cmpuint (n_writes, ==, 1);
  g_assert_cmpuint (written, ==, 1);
  g_assert_true (er_outbox_is_written (outbox, er_outbox_lookup (outbox, er_outbox_entry_get_key (entries[0]))));
  g_assert_true (er_outbox_is_written (outbox, er_outbox_lookup (outbox, er_outbox_entry_get_key (entries[1]))));

  again = outbox_new (f->path);
  g_assert_cmpuint (er_outbox_get_n_waiting (again), ==, 2);
  g_assert_true (er_outbox_has_case (again, "receipt-1"));
  g_assert_true (er_outbox_has_case (again, "receipt-2"));
  g_assert_false (er_outbox_has_case (again, "receipt-3"));
}

/* Disposing the outbox (the application quits) waits for its pending
 * writes; a new outbox on the same file (the next start, as after a
 * crash right after) has every decision. */
static void
test_flush_on_dispose (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ErOutbox) again = NULL;
  ErOutbox *outbox = outbox_new (f->path);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *receipt = g_strdup_printf ("receipt-%u", i);

      g_ptr_array_add (keys, g_strdup (er_outbox_entry_get_key (add (outbox, receipt, i % 3 != 0, 10))));
    }
  g_assert_true (er_outbox_mark_sending (outbox, g_ptr_array_index (keys, 0), NULL));
  /* No main loop ran: no "written" was reported yet. */
  g_object_unref (outbox);

  again = outbox_new (f->path);
  entries = er_outbox_get_entries (again);
  g_assert_cmpuint (entries->len, ==, 30);
  for (guint i = 0; i < keys->len; i++)
    {
      ErOutboxEntry *entry = er_outbox_lookup (again, g_ptr_array_index (keys, i));

      g_assert_nonnull (entry);
      /* Read from the file: written, may be sent. */
      g_assert_true (er_outbox_is_written (again, entry));
      g_assert_cmpint (er_outbox_entry_get_approved (entry), ==, i % 3 != 0);
    }
  /* The one SENDING at the "crash" goes again, same key, attempt counted. */
  g_assert_cmpuint (er_outbox_entry_get_attempts (er_outbox_lookup (again, g_ptr_array_index (keys, 0))), ==, 1);
}

static void
assert_damaged (const char *path,
                const char *contents)
{
  g_autoptr(ErOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".damaged-", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_auto(GStrv) names = NULL;

  write_file (path, contents);
  outbox = er_outbox_new (path, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
  g_assert_nonnull (outbox);
  entries = er_outbox_get_entries (outbox);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  names = folder_names (path);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], prefix));
  aside = g_build_filename (folder, names[0], NULL);
  kept = read_file (aside);
  g_assert_cmpstr (kept, ==, contents);
  g_assert_nonnull (strstr (error->message, names[0]));

  /* The outbox can be used at once. */
  add (outbox, "receipt-1", TRUE, 10);
  flush (outbox);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (aside);
  g_unlink (path);
}

#define ENTRY(extra) \
  "{\"version\": 1, \"entries\": [{\"key\": \"k1\", \"receipt_id\": \"r1\", \"name\": \"N\", " \
  "\"approved\": true, \"decided_at\": \"2026-01-01T10:00:00Z\", \"due_at\": \"2026-01-01T10:00:10Z\", " \
  "\"attempts\": 0, \"error\": null" extra "}]}"

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  /* Sanity: the template is a valid outbox with a state. */
  {
    g_autoptr(ErOutbox) outbox = NULL;

    write_file (f->path, ENTRY (", \"state\": \"waiting\", \"future\": {\"ignored\": 1}"));
    outbox = outbox_new (f->path);
    g_assert_true (er_outbox_has_case (outbox, "r1"));
    g_unlink (f->path);
  }

  assert_damaged (f->path, "{\"version\": 1, \"entries\": [");
  assert_damaged (f->path, "");
  assert_damaged (f->path, "[]");
  assert_damaged (f->path, "{\"version\": 2, \"entries\": []}");
  assert_damaged (f->path, "{\"version\": 1}");
  assert_damaged (f->path, ENTRY (""));                                 /* no state */
  assert_damaged (f->path, ENTRY (", \"state\": \"lost\""));
  assert_damaged (f->path, ENTRY (", \"state\": \"failed\""));          /* failed without a reason */
  assert_damaged (f->path, ENTRY (", \"state\": \"waiting\", \"attempts\": -1"));
  assert_damaged (f->path,
                  "{\"version\": 1, \"entries\": [{\"key\": \"k1\", \"receipt_id\": \"r1\", \"name\": \"N\", "
                  "\"approved\": false, \"decided_at\": \"2026-01-01T10:00:00Z\", "
                  "\"due_at\": \"2026-01-01T10:00:10Z\", \"state\": \"waiting\", \"attempts\": 0}]}");
  assert_damaged (f->path,
                  "{\"version\": 1, \"entries\": [{\"key\": \"k1\", \"receipt_id\": \"r1\", \"name\": \"N\", "
                  "\"approved\": true, \"decided_at\": \"yesterday\", "
                  "\"due_at\": \"2026-01-01T10:00:10Z\", \"state\": \"waiting\", \"attempts\": 0}]}");
}

/* Refusals older than ER_OUTBOX_KEEP_FAILED_DAYS are dropped at load;
 * entries are in decision order whatever the file's order. */
static void
test_load_cleanup (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -ER_OUTBOX_KEEP_FAILED_DAYS - 1);
  g_autoptr(GDateTime) recent = g_date_time_add_days (now, -1);
  g_autofree char *old_text = g_date_time_format_iso8601 (old);
  g_autofree char *recent_text = g_date_time_format_iso8601 (recent);
  g_autofree char *contents = NULL;
  g_autoptr(ErOutbox) outbox = NULL;
  g_autoptr(ErOutbox) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;

#define FAILED(key) \
  "{\"key\": \"" key "\", \"receipt_id\": \"r-" key "\", \"name\": \"N\", \"approved\": true, " \
  "\"decided_at\": \"%s\", \"due_at\": \"%s\", \"state\": \"failed\", \"attempts\": 1, \"error\": \"No\"}"
#define WAITING(key) \
  "{\"key\": \"" key "\", \"receipt_id\": \"r-" key "\", \"name\": \"N\", \"approved\": true, " \
  "\"decided_at\": \"%s\", \"due_at\": \"%s\", \"state\": \"waiting\", \"attempts\": 0, \"error\": null}"

  contents = g_strdup_printf ("{\"version\": 1, \"entries\": [" WAITING ("new") ", "
                              FAILED ("recent") ", " FAILED ("old") ", " WAITING ("old-waiting") "]}",
                              recent_text, recent_text, recent_text, recent_text,
                              old_text, old_text, old_text, old_text);
  write_file (f->path, contents);

  outbox = outbox_new (f->path);
  entries = er_outbox_get_entries (outbox);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (er_outbox_entry_get_key (g_ptr_array_index (entries, 0)), ==, "old-waiting");
  g_assert_cmpstr (er_outbox_entry_get_key (g_ptr_array_index (entries, 1)), ==, "new");
  g_assert_cmpstr (er_outbox_entry_get_key (g_ptr_array_index (entries, 2)), ==, "recent");
  g_assert_null (er_outbox_lookup (outbox, "old"));

  /* The cleaned-up list was written back (by the writer thread). */
  flush (outbox);
  g_clear_pointer (&contents, g_free);
  contents = read_file (f->path);
  g_assert_null (strstr (contents, "\"old\""));

  /* forget_failed drops the rest. */
  g_assert_true (er_outbox_forget_failed (outbox, NULL));
  flush (outbox);
  again = outbox_new (f->path);
  g_assert_null (er_outbox_lookup (again, "recent"));
  g_assert_cmpuint (er_outbox_get_n_waiting (again), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  data_home = g_dir_make_tmp ("er-test-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox/default-path", test_default_path);
#define ADD(name, func) g_test_add ("/outbox/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("missing", test_missing);
  ADD ("persist", test_persist);
  ADD ("loose-modes", test_loose_modes);
  ADD ("make-all-due", test_make_all_due);
  ADD ("contents", test_contents);
  ADD ("atomic", test_atomic);
  ADD ("write-failure", test_write_failure);
  ADD ("off-main-thread", test_off_main_thread);
  ADD ("coalesce", test_coalesce);
  ADD ("flush-on-dispose", test_flush_on_dispose);
  ADD ("damaged", test_damaged);
  ADD ("load-cleanup", test_load_cleanup);
#undef ADD

  ret = g_test_run ();

  {
    g_autofree char *outbox_dir = g_build_filename (data_home, "edulib-reviewer", "outbox", NULL);
    g_autofree char *app_dir = g_build_filename (data_home, "edulib-reviewer", NULL);

    g_rmdir (outbox_dir);
    g_rmdir (app_dir);
    g_rmdir (data_home);
  }
  g_free (data_home);
  return ret;
}
