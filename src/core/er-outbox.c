/* er-outbox.c: the agent's decisions, kept on disk until a final answer.
 *
 * Entries are immutable snapshots: a change builds a new entry that replaces
 * the old one in a new list, so a reference a caller holds always reads the
 * same, complete values, and a list once current is never changed again
 * (the writer thread can read it while the main thread moves on).
 *
 * Writing (no disk I/O on the main loop):
 *  - A change is made current at once, in memory, on the caller's thread
 *    (the main thread), given the next generation number and announced
 *    with "changed"; the UI moves on without waiting for the disk.
 *  - One writer thread per outbox (er-outbox-writer.c; started when there
 *    is something to write, ending when there is nothing left) writes the
 *    newest list:
 *    JSON, then g_file_set_contents_full (temporary file in the same
 *    folder, fsync, rename, mode 0600). Writes are serialized and
 *    coalesced: changes made while a write is under way are carried
 *    together by the next one, which always holds the latest state, so
 *    the file follows memory in order, never backwards.
 *  - Each finished write is reported on the main thread: "written" when a
 *    newer generation is on disk; "write-failed" (the error and the entries
 *    lost) when a write failed.
 *
 * The safety rules (tested in tests/test-outbox.c and test-sender.c):
 *  1. Never sent before it is durable: an entry remembers the generation
 *     that added it, and er_outbox_is_written() is TRUE only once a write
 *     of that generation or a later one has succeeded (fsync + rename
 *     done). ErSender sends nothing else; it waits for "written".
 *  2. Never lost silently: when a write fails, the WAITING entries whose
 *     addition never reached the disk are taken out of the outbox (so they
 *     are never sent) and given in "write-failed", for the session to tell
 *     the agent and put their cases back, as when the write failed
 *     synchronously before. A failure that loses nothing (a later state
 *     not written) is reported too; the next change writes everything
 *     again.
 *  3. Flushed at the end: dispose (application quit, sign-out, session
 *     closed) waits for the pending writes, at most
 *     ER_OUTBOX_FLUSH_TIMEOUT_MS, writing once more whatever a failed write
 *     left behind. er_outbox_flush() does the same on demand.
 *
 * The file:
 *   {"version": 1,
 *    "entries": [{"key", "receipt_id", "name", "approved", "reasons" (denials),
 *                 "decided_at", "due_at", "state": "waiting"|"sending"|"failed",
 *                 "attempts", "error" (nullable)}, ...]}
 * No photo, no token: nothing else is ever written.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "er-client.h"
#include "er-error.h"
#include "er-outbox.h"
#include "er-outbox-private.h"
#include "er-outbox-writer.h"

struct _ErOutbox
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;  /* ErOutboxEntry, oldest decision first; never changed once current */
  guint64    next_seq;
  guint64    gen;          /* the generation of the current list */
  guint64    durable_gen;  /* the newest generation known to be on disk */
  ErOutboxWriter *writer;
};

G_DEFINE_FINAL_TYPE (ErOutbox, er_outbox, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_WRITTEN,
  SIGNAL_WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Entries */

G_DEFINE_BOXED_TYPE (ErOutboxEntry, er_outbox_entry, er_outbox_entry_ref, er_outbox_entry_unref)

ErOutboxEntry *
er_outbox_entry_ref (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
er_outbox_entry_unref (ErOutboxEntry *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->key);
  g_free (self->receipt_id);
  g_free (self->name);
  g_clear_pointer (&self->reasons, er_reasons_free);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_clear_pointer (&self->due_at, g_date_time_unref);
  g_free (self->error);
  g_free (self);
}

ErOutboxEntry *
_er_outbox_entry_new (void)
{
  ErOutboxEntry *self = g_new0 (ErOutboxEntry, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

/* A new entry with the same values, to be changed before anyone sees it. */
static ErOutboxEntry *
entry_copy (const ErOutboxEntry *other)
{
  ErOutboxEntry *self = _er_outbox_entry_new ();

  self->seq = other->seq;
  self->added_gen = other->added_gen;
  self->key = g_strdup (other->key);
  self->receipt_id = g_strdup (other->receipt_id);
  self->name = g_strdup (other->name);
  self->approved = other->approved;
  self->reasons = other->reasons ? er_reasons_copy (other->reasons) : NULL;
  self->decided_at = g_date_time_ref (other->decided_at);
  self->due_at = g_date_time_ref (other->due_at);
  self->state = other->state;
  self->attempts = other->attempts;
  self->error = g_strdup (other->error);
  return self;
}

const char *
er_outbox_entry_get_key (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->key;
}

const char *
er_outbox_entry_get_receipt_id (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->receipt_id;
}

const char *
er_outbox_entry_get_name (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

gboolean
er_outbox_entry_get_approved (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->approved;
}

const ErReasons *
er_outbox_entry_get_reasons (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->reasons;
}

GDateTime *
er_outbox_entry_get_decided_at (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->decided_at;
}

GDateTime *
er_outbox_entry_get_due_at (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->due_at;
}

ErOutboxState
er_outbox_entry_get_state (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, ER_OUTBOX_WAITING);
  return self->state;
}

guint
er_outbox_entry_get_attempts (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->attempts;
}

const char *
er_outbox_entry_get_error (ErOutboxEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error;
}

static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const ErOutboxEntry *x = *(ErOutboxEntry * const *)a;
  const ErOutboxEntry *y = *(ErOutboxEntry * const *)b;
  int by_time = g_date_time_compare (x->decided_at, y->decided_at);

  if (by_time != 0)
    return by_time;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writing */

/* Gives path (if it exists and is of the expected kind) exactly mode: a
 * folder or file made earlier, by hand or by an older version, with looser
 * permissions is tightened. */
static void
tighten (const char *path,
         gboolean    folder,
         int         mode)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (folder ? !S_ISDIR (st.st_mode) : !S_ISREG (st.st_mode))
    return;  /* not followed: a link or anything else is left as it is */
  if ((st.st_mode & 07777) == (mode_t) mode)
    return;
  if (g_chmod (path, mode) != 0)
    {
      int saved_errno = errno;
      g_warning ("Could not make %s private (mode %o): %s", path, (guint) mode,
                 g_strerror (saved_errno));
      return;
    }
  g_debug ("Outbox: %s was mode %o, now %o", path, (guint) (st.st_mode & 07777), (guint) mode);
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("The folder for unsent decisions, %s, could not be created: %s"),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* On open: the outbox's folder 0700, the file 0600, and the app's own data
 * folder ($XDG_DATA_HOME/edulib-reviewer) 0700 when the outbox is in it. */
static void
tighten_all (ErOutbox *self)
{
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autofree char *parent = g_path_get_dirname (folder);
  g_autofree char *app_folder = g_build_filename (g_get_user_data_dir (), "edulib-reviewer", NULL);

  if (g_str_equal (parent, app_folder))
    tighten (parent, TRUE, 0700);
  tighten (folder, TRUE, 0700);
  tighten (self->path, FALSE, 0600);
}

/* The writer thread's work (also correct on any thread). */
static gboolean
write_entries (const char  *path,
               GPtrArray   *entries,
               GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!ensure_folder (path, error))
    return FALSE;

  data = _er_outbox_entries_to_data (entries, &length);
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Main thread: the written generation and the failures, made known. */
static void
process_results (gpointer owner)
{
  ErOutbox *self = owner;
  g_autoptr(GError) failure = NULL;
  guint64 written_gen;
  guint64 failed_gen;

  _er_outbox_writer_take_results (self->writer, &written_gen, &failed_gen, &failure);

  /* A newer write succeeded since: the failure is behind us. */
  if (failure != NULL && written_gen > failed_gen)
    {
      g_debug ("Outbox: a write failed (%s), a later one succeeded", failure->message);
      g_clear_error (&failure);
    }

  if (failure != NULL)
    {
      g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) er_outbox_entry_unref);
      g_autoptr(GPtrArray) entries = NULL;

      g_debug ("Outbox not written (%s): %s", self->path, failure->message);

      /* Entries added by the failed write (or before it) and on disk in
       * no write: not saved, so never to be sent. A newer write that
       * succeeded meanwhile has them (written_gen). */
      entries = g_ptr_array_new_full (self->entries->len, (GDestroyNotify) er_outbox_entry_unref);
      for (guint i = 0; i < self->entries->len; i++)
        {
          ErOutboxEntry *entry = g_ptr_array_index (self->entries, i);

          if (entry->state == ER_OUTBOX_WAITING && entry->added_gen > written_gen &&
              entry->added_gen <= failed_gen)
            g_ptr_array_add (lost, er_outbox_entry_ref (entry));
          else
            g_ptr_array_add (entries, er_outbox_entry_ref (entry));
        }

      if (lost->len > 0)
        {
          g_clear_pointer (&self->entries, g_ptr_array_unref);
          self->entries = g_steal_pointer (&entries);
          self->gen++;

          /* A write queued after the failed one still holds them: it is
           * replaced by the list without them, so that the file never
           * gets a decision the agent was told was not saved. Otherwise
           * the file does not hold them, and is not written again now
           * (the disk just failed): the next change, or the flush at the
           * end, writes the whole list. */
          if (_er_outbox_writer_newer_coming (self->writer, failed_gen))
            _er_outbox_writer_enqueue (self->writer, self->entries, self->gen);
        }
      /* Told first, then "changed": a listener sees what was lost before
       * its entries are simply gone (the session finds their cases). */
      g_signal_emit (self, signals[SIGNAL_WRITE_FAILED], 0, failure, lost);
      if (lost->len > 0)
        g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }

  if (written_gen > self->durable_gen)
    {
      self->durable_gen = written_gen;
      g_signal_emit (self, signals[SIGNAL_WRITTEN], 0);
    }
}

/* Makes entries (sorted first) current, announces it, and has it written. */
static void
commit (ErOutbox  *self,
        GPtrArray *entries)
{
  g_ptr_array_sort (entries, entry_compare);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = g_ptr_array_ref (entries);
  self->gen++;
  _er_outbox_writer_enqueue (self->writer, self->entries, self->gen);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* A copy of the current list (same entry references). */
static GPtrArray *
entries_copy (ErOutbox *self)
{
  GPtrArray *copy = g_ptr_array_new_full (self->entries->len + 1, (GDestroyNotify)er_outbox_entry_unref);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (copy, er_outbox_entry_ref (g_ptr_array_index (self->entries, i)));
  return copy;
}

static gboolean
find (ErOutbox   *self,
      const char *key,
      guint      *index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->key, key))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
not_found (const char  *key,
           GError     **error)
{
  g_set_error_literal (error, ER_ERROR, ER_ERROR_NOT_FOUND,
                       _("This decision is no longer waiting to be sent."));
  g_debug ("Outbox: no entry %s", key);
  return FALSE;
}

/* Replaces the entry at index by changed (taken) and commits. */
static gboolean
commit_replace (ErOutbox       *self,
                guint           index,
                ErOutboxEntry  *changed)
{
  g_autoptr(GPtrArray) entries = entries_copy (self);

  g_ptr_array_index (entries, index) = changed;
  er_outbox_entry_unref (g_ptr_array_index (self->entries, index));
  /* entries held an extra reference to the old entry: dropped just above;
   * self->entries still holds its own until the commit. */
  commit (self, entries);
  return TRUE;
}

/* ErOutbox */

static void
er_outbox_dispose (GObject *object)
{
  ErOutbox *self = ER_OUTBOX (object);

  if (self->writer != NULL)
    {
      /* Nothing is lost at exit: the pending writes are waited for
       * (bounded: a hung disk does not hang the app; the writer thread
       * then finishes on its own). */
      if (!er_outbox_flush (self, ER_OUTBOX_FLUSH_TIMEOUT_MS))
        g_debug ("Outbox: not all saved in %s at the end", self->path);
      g_clear_pointer (&self->writer, _er_outbox_writer_release);
    }

  G_OBJECT_CLASS (er_outbox_parent_class)->dispose (object);
}

static void
er_outbox_finalize (GObject *object)
{
  ErOutbox *self = ER_OUTBOX (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (er_outbox_parent_class)->finalize (object);
}

static void
er_outbox_class_init (ErOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = er_outbox_dispose;
  object_class->finalize = er_outbox_finalize;

  /**
   * ErOutbox::changed:
   *
   * An entry was added, changed or removed (in memory: the file follows,
   * see ::written).
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * ErOutbox::written:
   *
   * A newer state is on disk (fsync and rename done): entries may have
   * become er_outbox_is_written().
   */
  signals[SIGNAL_WRITTEN] =
    g_signal_new ("written",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * ErOutbox::write-failed:
   * @error: why
   * @lost: (element-type ErOutboxEntry): the decisions that were never on
   *   disk, now taken out of the outbox (never sent); may be empty
   */
  signals[SIGNAL_WRITE_FAILED] =
    g_signal_new ("write-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_ERROR, G_TYPE_PTR_ARRAY);
}

static void
er_outbox_init (ErOutbox *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)er_outbox_entry_unref);
}

char *
er_outbox_default_path (const char *server,
                        const char *username)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *file = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  g_checksum_update (checksum, (const guchar *)server, -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)username, -1);
  file = g_strconcat (g_checksum_get_string (checksum), ".json", NULL);

  return g_build_filename (g_get_user_data_dir (), "edulib-reviewer", "outbox", file, NULL);
}

/* Renames the unreadable file aside and says so in error. */
static void
set_aside (ErOutbox    *self,
           const char  *why,
           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s-%06d", self->path, stamp,
                                            g_date_time_get_microsecond (now));

  if (g_rename (self->path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                   _("The file of unsent decisions, %s, could not be read (%s) nor set aside (%s). "
                     "Decisions you make now may replace it."),
                   self->path, why, g_strerror (saved_errno));
      return;
    }

  g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
               _("The file of unsent decisions could not be read (%s). It was kept as %s; "
                 "the decisions in it were not sent."),
               why, aside);
}

ErOutbox *
er_outbox_new (const char  *path,
               GError     **error)
{
  g_autoptr(ErOutbox) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) keep_since = NULL;
  g_autofree char *data = NULL;
  gboolean rewrite = FALSE;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ER_TYPE_OUTBOX, NULL);
  self->path = g_strdup (path);
  self->writer = _er_outbox_writer_new (path, write_entries, process_results, self);

  if (!ensure_folder (self->path, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return g_steal_pointer (&self);
    }
  tighten_all (self);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);

      set_aside (self, local_error->message, error);
      return g_steal_pointer (&self);
    }

  entries = _er_outbox_entries_from_data (data, length);
  if (entries == NULL)
    {
      set_aside (self, _("it is damaged"), error);
      return g_steal_pointer (&self);
    }

  now = g_date_time_new_now_utc ();
  keep_since = g_date_time_add_days (now, -ER_OUTBOX_KEEP_FAILED_DAYS);

  for (guint i = 0; i < entries->len; )
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->state == ER_OUTBOX_FAILED && g_date_time_compare (entry->decided_at, keep_since) < 0)
        {
          g_debug ("Outbox: forgetting the old refusal of %s", entry->receipt_id);
          g_ptr_array_remove_index (entries, i);
          rewrite = TRUE;
          continue;
        }

      if (entry->state == ER_OUTBOX_SENDING)
        {
          /* The app stopped during a request: its outcome is unknown, so
           * the same request (same key) goes again, at once. */
          g_clear_pointer (&entry->due_at, g_date_time_unref);
          entry->due_at = g_date_time_ref (now);
          entry->state = ER_OUTBOX_WAITING;
          rewrite = TRUE;
        }
      i++;
    }

  g_ptr_array_sort (entries, entry_compare);
  self->next_seq = entries->len;
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = g_steal_pointer (&entries);

  /* Rewritten by the writer, as any change: the entries read are on disk
   * already (added_gen 0), only their cleanup is not. */
  if (rewrite)
    {
      self->gen++;
      _er_outbox_writer_enqueue (self->writer, self->entries, self->gen);
    }

  return g_steal_pointer (&self);
}

const char *
er_outbox_get_path (ErOutbox *self)
{
  g_return_val_if_fail (ER_IS_OUTBOX (self), NULL);

  return self->path;
}

GPtrArray *
er_outbox_get_entries (ErOutbox *self)
{
  g_return_val_if_fail (ER_IS_OUTBOX (self), NULL);

  return entries_copy (self);
}

ErOutboxEntry *
er_outbox_lookup (ErOutbox   *self,
                  const char *key)
{
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return find (self, key, &index) ? g_ptr_array_index (self->entries, index) : NULL;
}

gboolean
er_outbox_has_case (ErOutbox   *self,
                    const char *receipt_id)
{
  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (receipt_id != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->state != ER_OUTBOX_FAILED && g_str_equal (entry->receipt_id, receipt_id))
        return TRUE;
    }
  return FALSE;
}

guint
er_outbox_get_n_waiting (ErOutbox *self)
{
  guint n = 0;

  g_return_val_if_fail (ER_IS_OUTBOX (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->state != ER_OUTBOX_FAILED)
        n++;
    }
  return n;
}

ErOutboxEntry *
er_outbox_add (ErOutbox         *self,
               const char       *receipt_id,
               const char       *name,
               gboolean          approved,
               const ErReasons  *reasons,
               GDateTime        *due_at,
               GError          **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  ErOutboxEntry *entry;

  g_return_val_if_fail (ER_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (receipt_id != NULL && *receipt_id != '\0', NULL);
  g_return_val_if_fail (approved || reasons != NULL, NULL);
  g_return_val_if_fail (due_at != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = _er_outbox_entry_new ();
  entry->seq = self->next_seq++;
  entry->key = er_client_new_idempotency_key ();
  entry->receipt_id = g_strdup (receipt_id);
  entry->name = g_strdup (name ? name : "");
  entry->approved = approved;
  entry->reasons = approved ? NULL : er_reasons_copy (reasons);
  entry->decided_at = g_date_time_new_now_utc ();
  entry->due_at = g_date_time_ref (due_at);
  entry->state = ER_OUTBOX_WAITING;

  /* Current at once; on disk when "written" says so (er_outbox_is_written). */
  entry->added_gen = self->gen + 1;
  entries = entries_copy (self);
  g_ptr_array_add (entries, entry);
  commit (self, entries);

  return entry;
}

gboolean
er_outbox_take_back (ErOutbox    *self,
                     const char  *key,
                     GError     **error)
{
  ErOutboxEntry *entry;
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find (self, key, &index))
    return not_found (key, error);

  entry = g_ptr_array_index (self->entries, index);
  if (entry->state != ER_OUTBOX_WAITING)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_UNEXPECTED,
                           _("This decision is already being sent and can no longer be undone."));
      return FALSE;
    }

  return er_outbox_remove (self, key, error);
}

void
er_outbox_make_all_due (ErOutbox *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean changed = FALSE;

  g_return_if_fail (ER_IS_OUTBOX (self));

  entries = entries_copy (self);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);
      ErOutboxEntry *due;

      if (entry->state != ER_OUTBOX_WAITING || g_date_time_compare (entry->due_at, now) <= 0)
        continue;

      due = entry_copy (entry);
      g_date_time_unref (due->due_at);
      due->due_at = g_date_time_ref (now);
      g_ptr_array_index (entries, i) = due;
      er_outbox_entry_unref (entry);
      changed = TRUE;
    }

  if (changed)
    commit (self, entries);
}

/* A copy of the entry with that key, to change and commit_replace() at
 * *index; NULL (and error) when there is none. */
static ErOutboxEntry *
copy_to_change (ErOutbox    *self,
                const char  *key,
                guint       *index,
                GError     **error)
{
  if (!find (self, key, index))
    {
      not_found (key, error);
      return NULL;
    }
  return entry_copy (g_ptr_array_index (self->entries, *index));
}

gboolean
er_outbox_mark_sending (ErOutbox    *self,
                        const char  *key,
                        GError     **error)
{
  ErOutboxEntry *changed;
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  changed = copy_to_change (self, key, &index, error);
  if (changed == NULL)
    return FALSE;
  changed->state = ER_OUTBOX_SENDING;
  changed->attempts++;
  return commit_replace (self, index, changed);
}

gboolean
er_outbox_mark_waiting (ErOutbox    *self,
                        const char  *key,
                        GDateTime   *due_at,
                        const char  *last_error,
                        GError     **error)
{
  ErOutboxEntry *changed;
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (due_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  changed = copy_to_change (self, key, &index, error);
  if (changed == NULL)
    return FALSE;
  changed->state = ER_OUTBOX_WAITING;
  g_date_time_unref (changed->due_at);
  changed->due_at = g_date_time_ref (due_at);
  g_free (changed->error);
  changed->error = g_strdup (last_error);
  return commit_replace (self, index, changed);
}

gboolean
er_outbox_mark_failed (ErOutbox    *self,
                       const char  *key,
                       const char  *why,
                       GError     **error)
{
  ErOutboxEntry *changed;
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (why != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  changed = copy_to_change (self, key, &index, error);
  if (changed == NULL)
    return FALSE;
  changed->state = ER_OUTBOX_FAILED;
  g_free (changed->error);
  changed->error = g_strdup (why);
  return commit_replace (self, index, changed);
}

gboolean
er_outbox_remove (ErOutbox    *self,
                  const char  *key,
                  GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint index;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find (self, key, &index))
    return not_found (key, error);

  entries = entries_copy (self);
  g_ptr_array_remove_index (entries, index);
  commit (self, entries);
  return TRUE;
}

gboolean
er_outbox_forget_failed (ErOutbox  *self,
                         GError   **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entries = entries_copy (self);
  for (guint i = 0; i < entries->len; )
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->state == ER_OUTBOX_FAILED)
        {
          g_ptr_array_remove_index (entries, i);
          changed = TRUE;
        }
      else
        i++;
    }

  if (changed)
    commit (self, entries);
  return TRUE;
}

gboolean
er_outbox_is_written (ErOutbox      *self,
                      ErOutboxEntry *entry)
{
  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  return entry->added_gen <= self->durable_gen;
}

gboolean
er_outbox_flush (ErOutbox *self,
                 guint     timeout_ms)
{
  gboolean done;

  g_return_val_if_fail (ER_IS_OUTBOX (self), FALSE);

  if (self->writer == NULL)
    return TRUE;

  /* A failed write left the file behind memory: one more try. */
  if (self->durable_gen < self->gen && !_er_outbox_writer_is_queued (self->writer, self->gen))
    _er_outbox_writer_enqueue (self->writer, self->entries, self->gen);

  done = _er_outbox_writer_wait (self->writer, timeout_ms);

  /* The results now, not in an idle later (which then finds nothing). */
  process_results (self);
  return done && self->durable_gen >= self->gen;
}

void
er_outbox_hold_writes_for_testing (ErOutbox *self,
                                   gboolean  hold)
{
  g_return_if_fail (ER_IS_OUTBOX (self));

  _er_outbox_writer_hold (self->writer, hold);
}

void
er_outbox_get_write_counts (ErOutbox *self,
                            guint    *n_writes,
                            guint    *n_on_main_thread)
{
  g_return_if_fail (ER_IS_OUTBOX (self));

  _er_outbox_writer_get_counts (self->writer, n_writes, n_on_main_thread);
}
