/* test-sender.c: ErSender against the fake platform, directly or through a
 * tiny in-test proxy that fails requests on purpose (5xx after applying
 * them, 429 with Retry-After, connections dropped after applying them).
 *
 * Times are asserted from below only (a retry never comes before its
 * backoff or Retry-After); nothing waits on a fixed sleep except where a
 * request must NOT happen, and those waits are short.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "er-error.h"
#include "er-sender.h"
#include "fake-process.h"
#include "test-async.h"

#define DECISION_PATH_PREFIX "/api/review/v1/cases/"

static FakeProcess *fake;
static ErClient *client;        /* agent.lavoie on the fake platform */
static GPtrArray *pending_ids;  /* pending receipt ids at start, oldest first */
static guint next_pending;
static char *data_home;

/* Helpers */

static ErClient *
client_new (const char *server,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  ErClient *ret = er_client_new (server, token, &error);

  g_assert_no_error (error);
  return ret;
}

/* A pending case no other test has used. */
static const char *
fresh_case (void)
{
  g_assert_cmpuint (next_pending, <, pending_ids->len);
  return g_ptr_array_index (pending_ids, next_pending++);
}

static ErOutbox *
outbox_new (void)
{
  static guint n;
  g_autofree char *server = g_strdup_printf ("test-sender-%u", ++n);
  g_autofree char *path = er_outbox_default_path (server, "agent.lavoie");
  g_autoptr(GError) error = NULL;
  ErOutbox *outbox = er_outbox_new (path, &error);

  g_assert_no_error (error);
  return outbox;
}

static ErReasons *
some_reasons (void)
{
  ErReasons *reasons = er_reasons_new ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  return reasons;
}

/* Adds a decision due in due_in_ms; returns its key. */
static char *
add (ErOutbox   *outbox,
     const char *receipt_id,
     gboolean    approved,
     gint        due_in_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add (now, (GTimeSpan)due_in_ms * 1000);
  g_autoptr(ErReasons) reasons = approved ? NULL : some_reasons ();
  g_autoptr(GError) error = NULL;
  ErOutboxEntry *entry;

  entry = er_outbox_add (outbox, receipt_id, "Learner", approved, reasons, due, &error);
  g_assert_no_error (error);
  return g_strdup (er_outbox_entry_get_key (entry));
}

/* Iterates until *flag (or the deadline: a failure). */
static void
run_until (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 25 * G_USEC_PER_SEC;

  while (!*flag)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates for ms (only where something must NOT happen meanwhile). */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  run_until (&done);
}

/* What the fake recorded: the decisions' receipt ids and keys, in order. */
static GPtrArray *
recorded (const char *what)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *decisions = json_object_get_array_member (state, "decisions");
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);
      JsonNode *member = json_object_get_member (d, what);

      g_ptr_array_add (ret, g_strdup (JSON_NODE_HOLDS_NULL (member) ? NULL : json_node_get_string (member)));
    }
  return ret;
}

static gboolean
str_in (GPtrArray  *array,
        const char *value,
        guint      *index)
{
  return g_ptr_array_find_with_equal_func (array, value, g_str_equal, index);
}

/* The sender's signals, recorded. */

typedef struct {
  GPtrArray *delivered;      /* keys */
  GPtrArray *refused;        /* keys */
  GPtrArray *refused_errors; /* GError */
  ErConflict *conflict;      /* the last refusal's */
  ErOutboxState refused_state;
  guint unauthenticated;
  guint busy_changes;
  gboolean idle;             /* busy went FALSE */
  gint64 last_delivered_at;  /* wall clock µs */
} Log;

static void
delivered_cb (ErSender      *sender,
              ErOutboxEntry *entry,
              ErDecision    *decision,
              Log           *log)
{
  g_assert_cmpstr (er_decision_get_receipt_id (decision), ==, er_outbox_entry_get_receipt_id (entry));
  g_assert_cmpint (er_decision_get_approved (decision), ==, er_outbox_entry_get_approved (entry));
  /* Already out of the outbox. */
  g_assert_null (er_outbox_lookup (er_sender_get_outbox (sender), er_outbox_entry_get_key (entry)));
  g_ptr_array_add (log->delivered, g_strdup (er_outbox_entry_get_key (entry)));
  log->last_delivered_at = g_get_real_time ();
}

static void
refused_cb (ErSender      *sender,
            ErOutboxEntry *entry,
            GError        *error,
            ErConflict    *conflict,
            Log           *log)
{
  g_ptr_array_add (log->refused, g_strdup (er_outbox_entry_get_key (entry)));
  g_ptr_array_add (log->refused_errors, g_error_copy (error));
  g_clear_pointer (&log->conflict, er_conflict_free);
  log->conflict = conflict ? er_conflict_copy (conflict) : NULL;
  log->refused_state = er_outbox_entry_get_state (entry);
}

static void
unauthenticated_cb (ErSender *sender,
                    GError   *error,
                    Log      *log)
{
  g_assert_error (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED);
  log->unauthenticated++;
}

static void
busy_cb (ErSender   *sender,
         GParamSpec *pspec,
         Log        *log)
{
  log->busy_changes++;
  if (!er_sender_get_busy (sender))
    log->idle = TRUE;
}

static void
log_init (Log      *log,
          ErSender *sender)
{
  memset (log, 0, sizeof *log);
  log->delivered = g_ptr_array_new_with_free_func (g_free);
  log->refused = g_ptr_array_new_with_free_func (g_free);
  log->refused_errors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_signal_connect (sender, "delivered", G_CALLBACK (delivered_cb), log);
  g_signal_connect (sender, "refused", G_CALLBACK (refused_cb), log);
  g_signal_connect (sender, "unauthenticated", G_CALLBACK (unauthenticated_cb), log);
  g_signal_connect (sender, "notify::busy", G_CALLBACK (busy_cb), log);
}

static void
log_clear (Log *log)
{
  g_clear_pointer (&log->delivered, g_ptr_array_unref);
  g_clear_pointer (&log->refused, g_ptr_array_unref);
  g_clear_pointer (&log->refused_errors, g_ptr_array_unref);
  g_clear_pointer (&log->conflict, er_conflict_free);
}

/* Iterates until n decisions were delivered or refused in all. */
static void
run_until_answered (Log   *log,
                    guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 25 * G_USEC_PER_SEC;

  while (log->delivered->len + log->refused->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Against the fake platform */

static void
test_deliver_in_order (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  const char *ids[3];
  g_autofree char *k0 = NULL, *k1 = NULL, *k2 = NULL;
  guint i0, i1, i2;
  Log log;

  for (guint i = 0; i < 3; i++)
    ids[i] = fresh_case ();

  /* Added before the sender exists: what a previous run left. */
  k0 = add (outbox, ids[0], TRUE, 0);
  k1 = add (outbox, ids[1], FALSE, 0);
  k2 = add (outbox, ids[2], TRUE, 0);
  g_assert_true (er_outbox_has_case (outbox, ids[1]));

  sender = er_sender_new (outbox, client);
  log_init (&log, sender);
  g_assert_true (er_sender_get_busy (sender));
  g_assert_true (er_sender_get_outbox (sender) == outbox);
  run_until_answered (&log, 3);
  run_until (&log.idle);

  g_assert_cmpuint (log.refused->len, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 0), ==, k0);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 1), ==, k1);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 2), ==, k2);
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
  g_assert_false (er_outbox_has_case (outbox, ids[1]));
  g_assert_false (er_sender_get_busy (sender));
  g_assert_false (er_sender_get_offline (sender));

  /* Recorded once each, in order, with the outbox's keys. */
  receipts = recorded ("receipt_id");
  keys = recorded ("idempotency_key");
  g_assert_true (str_in (receipts, ids[0], &i0));
  g_assert_true (str_in (receipts, ids[1], &i1));
  g_assert_true (str_in (receipts, ids[2], &i2));
  g_assert_cmpuint (i0, <, i1);
  g_assert_cmpuint (i1, <, i2);
  g_assert_cmpstr (g_ptr_array_index (keys, i0), ==, k0);
  g_assert_cmpstr (g_ptr_array_index (keys, i1), ==, k1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (fake_process_count_decisions (fake, ids[i]), ==, 1);

  log_clear (&log);
}

typedef struct {
  const char *key;
  gint64      sending_at; /* wall clock µs, when the entry became SENDING */
} SendingWatch;

static void
watch_sending_cb (ErOutbox     *outbox,
                  SendingWatch *watch)
{
  ErOutboxEntry *entry = er_outbox_lookup (outbox, watch->key);

  if (watch->sending_at == 0 && entry != NULL && er_outbox_entry_get_state (entry) == ER_OUTBOX_SENDING)
    watch->sending_at = g_get_real_time ();
}

/* An entry is not sent before its due time (the undo delay), and one added
 * to a running sender's outbox goes by itself. */
static void
test_due_time (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = er_sender_new (outbox, client);
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  SendingWatch watch = { NULL, 0 };
  gint64 due_at;
  Log log;

  log_init (&log, sender);
  g_assert_false (er_sender_get_busy (sender));

  key = add (outbox, id, TRUE, 1000);
  watch.key = key;
  due_at = g_date_time_to_unix (er_outbox_entry_get_due_at (er_outbox_lookup (outbox, key))) * G_USEC_PER_SEC +
           g_date_time_get_microsecond (er_outbox_entry_get_due_at (er_outbox_lookup (outbox, key)));
  g_signal_connect (outbox, "changed", G_CALLBACK (watch_sending_cb), &watch);
  /* In its undo delay: not busy (nothing is due yet). */
  g_assert_false (er_sender_get_busy (sender));

  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpint (watch.sending_at, >=, due_at);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);

  g_signal_handlers_disconnect_by_data (outbox, &watch);
  log_clear (&log);
}

typedef struct {
  const char *key;
  gboolean    sending;
  gboolean    on_disk_when_sending;
} DiskWatch;

/* When the entry becomes SENDING (its request goes right after), reads the
 * file as a crash at that moment would leave it. */
static void
watch_disk_cb (ErOutbox  *outbox,
               DiskWatch *watch)
{
  ErOutboxEntry *entry = er_outbox_lookup (outbox, watch->key);
  g_autofree char *contents = NULL;

  if (watch->sending || entry == NULL || er_outbox_entry_get_state (entry) != ER_OUTBOX_SENDING)
    return;
  watch->sending = TRUE;
  watch->on_disk_when_sending = g_file_get_contents (er_outbox_get_path (outbox), &contents, NULL, NULL) &&
                                strstr (contents, watch->key) != NULL;
}

/* The rule of durability: a decision due at once is not sent while the
 * write that adds it is not on disk (the writer held here), and goes by
 * itself once it is; at its request the file already holds its key. */
static void
test_durable_first (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = er_sender_new (outbox, client);
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  DiskWatch watch = { NULL, FALSE, FALSE };
  ErOutboxEntry *entry;
  Log log;

  log_init (&log, sender);
  er_outbox_hold_writes_for_testing (outbox, TRUE);
  key = add (outbox, id, TRUE, 0);
  watch.key = key;
  g_signal_connect (outbox, "changed", G_CALLBACK (watch_disk_cb), &watch);
  entry = er_outbox_lookup (outbox, key);
  g_assert_false (er_outbox_is_written (outbox, entry));
  /* Due, waiting for the disk: busy (closing waits for it). */
  g_assert_true (er_sender_get_busy (sender));

  run_for (400);
  g_assert_false (watch.sending);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);
  entry = er_outbox_lookup (outbox, key);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_cmpuint (er_outbox_entry_get_attempts (entry), ==, 0);

  er_outbox_hold_writes_for_testing (outbox, FALSE);
  run_until_answered (&log, 1);
  g_assert_true (watch.sending);
  g_assert_true (watch.on_disk_when_sending);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);

  g_signal_handlers_disconnect_by_data (outbox, &watch);
  log_clear (&log);
}

/* Undo before the due time: nothing is sent. */
static void
test_take_back (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = er_sender_new (outbox, client);
  g_autofree char *undone = NULL;
  g_autofree char *kept = NULL;
  const char *undone_id = fresh_case ();
  const char *kept_id = fresh_case ();
  Log log;

  log_init (&log, sender);
  undone = add (outbox, undone_id, TRUE, 300);
  kept = add (outbox, kept_id, TRUE, 600);
  g_assert_true (er_outbox_take_back (outbox, undone, NULL));

  run_until_answered (&log, 1);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 0), ==, kept);
  g_assert_cmpuint (fake_process_count_decisions (fake, undone_id), ==, 0);
  log_clear (&log);
}

static void
test_already_decided (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  const GError *error;
  Log log;

  path = g_strdup_printf ("/_fake/cases/%s/decision", id);
  g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\", \"Result\": \"PASS\"}"), ==, 200);

  key = add (outbox, id, FALSE, 0);
  sender = er_sender_new (outbox, client);
  log_init (&log, sender);
  run_until_answered (&log, 1);

  g_assert_cmpuint (log.refused->len, ==, 1);
  error = g_ptr_array_index (log.refused_errors, 0);
  g_assert_error (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED);
  g_assert_nonnull (log.conflict);
  g_assert_nonnull (log.conflict->decision);
  g_assert_cmpstr (er_decision_get_decided_by (log.conflict->decision), ==, "agent.roy");
  g_assert_true (er_decision_get_approved (log.conflict->decision));
  g_assert_nonnull (er_decision_get_decided_at (log.conflict->decision));

  /* Closed: out of the outbox, not kept as failed. */
  g_assert_null (er_outbox_lookup (outbox, key));
  g_assert_false (er_outbox_has_case (outbox, id));
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  log_clear (&log);
}

/* A refusal that stays in the history: FAILED with the reason, on disk. */
static void
assert_failed (ErOutbox   *outbox,
               const char *key,
               const char *receipt_id,
               Log        *log,
               ErError     code)
{
  g_autoptr(ErOutbox) again = NULL;
  g_autoptr(GError) error = NULL;
  ErOutboxEntry *entry;

  g_assert_cmpuint (log->refused->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log->refused, 0), ==, key);
  g_assert_error ((GError *)g_ptr_array_index (log->refused_errors, 0), ER_ERROR, (gint)code);
  g_assert_cmpint (log->refused_state, ==, ER_OUTBOX_FAILED);

  entry = er_outbox_lookup (outbox, key);
  g_assert_nonnull (entry);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_FAILED);
  g_assert_cmpstr (er_outbox_entry_get_error (entry), ==,
                   ((GError *)g_ptr_array_index (log->refused_errors, 0))->message);
  g_assert_false (er_outbox_has_case (outbox, receipt_id));
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);

  g_assert_true (er_outbox_flush (outbox, 5000));
  again = er_outbox_new (er_outbox_get_path (outbox), &error);
  g_assert_no_error (error);
  entry = er_outbox_lookup (again, key);
  g_assert_nonnull (entry);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_FAILED);
}

static void
test_claimed_by_other (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  Log log;

  path = g_strdup_printf ("/_fake/cases/%s/claim", id);
  g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\"}"), ==, 200);

  key = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, client);
  log_init (&log, sender);
  run_until_answered (&log, 1);
  run_until (&log.idle);

  assert_failed (outbox, key, id, &log, ER_ERROR_CLAIMED_BY_OTHER);
  g_assert_nonnull (log.conflict);
  g_assert_cmpstr (log.conflict->claimed_by, ==, "agent.roy");
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 0);
  log_clear (&log);
}

/* A 404 is final, and the next decision still goes. */
static void
test_not_found (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *key = NULL;
  g_autofree char *next = NULL;
  const char *id = fresh_case ();
  Log log;

  key = add (outbox, "no-such-receipt", TRUE, 0);
  next = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, client);
  log_init (&log, sender);
  run_until_answered (&log, 2);

  assert_failed (outbox, key, "no-such-receipt", &log, ER_ERROR_NOT_FOUND);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 0), ==, next);
  log_clear (&log);
}

static void
count_changes_cb (ErOutbox *outbox,
                  guint    *changes)
{
  (*changes)++;
}

/* 401: "unauthenticated", the entry stays, nothing more is sent until a
 * new client. */
static void
test_unauthenticated (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErClient) revoked = client_new (fake->api_url, "revoked-token");
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  guint changes = 0;
  ErOutboxEntry *entry;
  Log log;

  key = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, revoked);
  log_init (&log, sender);
  while (log.unauthenticated == 0)
    g_main_context_iteration (NULL, TRUE);
  run_until (&log.idle);

  entry = er_outbox_lookup (outbox, key);
  g_assert_nonnull (entry);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_true (er_outbox_has_case (outbox, id));
  g_assert_cmpuint (er_outbox_entry_get_attempts (entry), ==, 1);
  g_assert_false (er_sender_get_busy (sender));
  g_assert_false (er_sender_get_offline (sender));

  /* Paused: longer than the first backoff could be, no new attempt. */
  g_signal_connect (outbox, "changed", G_CALLBACK (count_changes_cb), &changes);
  run_for (1500);
  g_assert_cmpuint (changes, ==, 0);
  g_signal_handlers_disconnect_by_data (outbox, &changes);
  g_assert_cmpuint (log.unauthenticated, ==, 1);

  /* Signed in again: it goes. */
  er_sender_set_client (sender, client);
  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  log_clear (&log);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The app died during a request that the server recorded: at the next
 * start the entry goes again with the same key, and is recorded once. */
static void
test_resend_after_crash (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErOutbox) restarted = NULL;
  g_autoptr(ErSender) sender = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  ErOutboxEntry *entry;
  Log log;

  key = add (outbox, id, TRUE, 0);
  g_assert_true (er_outbox_mark_sending (outbox, key, NULL));
  er_client_decide_async (client, id, TRUE, NULL, key, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The "crash": the answer is never recorded in the outbox. */
  decision = er_client_decide_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  /* What the writer thread had written by then (SENDING, or the WAITING
   * added before: the same either way). */
  g_assert_true (er_outbox_flush (outbox, 5000));

  restarted = er_outbox_new (er_outbox_get_path (outbox), &error);
  g_assert_no_error (error);
  entry = er_outbox_lookup (restarted, key);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_true (er_outbox_has_case (restarted, id));

  sender = er_sender_new (restarted, client);
  log_init (&log, sender);
  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  g_assert_null (er_outbox_lookup (restarted, key));
  log_clear (&log);
}

/* stop(): the request under way finishes and is recorded; nothing else goes. */
static void
test_stop (void)
{
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *first_id = fresh_case ();
  const char *second_id = fresh_case ();
  Log log;

  first = add (outbox, first_id, TRUE, 0);
  second = add (outbox, second_id, TRUE, 0);
  /* On disk, as a previous run left them: the first goes at once. */
  g_assert_true (er_outbox_flush (outbox, 5000));
  sender = er_sender_new (outbox, client);
  log_init (&log, sender);
  g_assert_true (er_sender_get_busy (sender)); /* the first request is under way */
  er_sender_stop (sender);
  g_assert_true (er_sender_get_busy (sender));

  run_until (&log.idle);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 0), ==, first);
  g_assert_null (er_outbox_lookup (outbox, first));
  g_assert_nonnull (er_outbox_lookup (outbox, second));
  g_assert_cmpuint (fake_process_count_decisions (fake, second_id), ==, 0);
  g_assert_false (er_sender_get_busy (sender));
  log_clear (&log);
}

/* Through the in-test proxy */

typedef enum {
  PROXY_PASS,        /* forward, answer what the fake answered */
  PROXY_APPLY_503,   /* forward (applied), then answer 503: the outcome looks unknown */
  PROXY_APPLY_DROP,  /* forward (applied), then close the connection without an answer */
  PROXY_429,         /* answer 429 with Retry-After, not forwarded */
} ProxyMode;

typedef struct {
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  ProxyMode    mode;       /* for the next `failures` decision requests */
  guint        failures;
  guint        retry_after;
  GArray      *times;      /* gint64 monotonic µs of each decision request */
  GPtrArray   *keys;       /* their Idempotency-Keys */
} Proxy;

static Proxy proxy;

typedef struct {
  SoupServerMessage *msg;
  ProxyMode          mode;
} Forward;

static void
drop_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GSocket) owned = socket != NULL ? g_object_ref (socket) : NULL;
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (owned != NULL)
    g_socket_close (owned, NULL);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
forward_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *forward = user_data;
  SoupServerMessage *msg = forward->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  SoupMessage *upstream = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  g_assert_no_error (error);
  soup_server_message_unpause (msg);

  switch (forward->mode)
    {
    case PROXY_APPLY_503:
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>busy</html>", 17);
      break;
    case PROXY_APPLY_DROP:
      drop_connection (msg);
      break;
    case PROXY_PASS:
    case PROXY_429:
    default:
      soup_server_message_set_status (msg, soup_message_get_status (upstream), NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      break;
    }

  g_object_unref (msg);
  g_free (forward);
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(SoupMessage) upstream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = g_strconcat (fake->api_url, path, NULL);
  ProxyMode mode = PROXY_PASS;
  Forward *forward;

  if (g_str_has_prefix (path, DECISION_PATH_PREFIX) && g_str_has_suffix (path, "/decision"))
    {
      gint64 now = g_get_monotonic_time ();

      g_array_append_val (proxy.times, now);
      g_ptr_array_add (proxy.keys, g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key")));
      if (proxy.failures > 0)
        {
          proxy.failures--;
          mode = proxy.mode;
        }
    }

  if (mode == PROXY_429)
    {
      static const char json[] = "{\"error\": {\"code\": \"rate_limited\", \"message\": \"Slow down\"}}";
      g_autofree char *seconds = g_strdup_printf ("%u", proxy.retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, json, strlen (json));
      return;
    }

  upstream = soup_message_new (soup_server_message_get_method (msg), url);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (upstream, "application/json", body);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "Authorization" : "Idempotency-Key";
      const char *value = soup_message_headers_get_one (headers, name);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (upstream), name, value);
    }

  forward = g_new0 (Forward, 1);
  forward->msg = g_object_ref (msg);
  forward->mode = mode;
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy.session, upstream, G_PRIORITY_DEFAULT, NULL, forward_cb, forward);
}

static void
proxy_start (void)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy.server, NULL, proxy_cb, NULL, NULL);
  soup_server_listen_local (proxy.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy.server);
  proxy.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  proxy.session = soup_session_new ();
  proxy.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  proxy.keys = g_ptr_array_new_with_free_func (g_free);
}

static void
proxy_reset (ProxyMode mode,
             guint     failures)
{
  proxy.mode = mode;
  proxy.failures = failures;
  g_array_set_size (proxy.times, 0);
  g_ptr_array_set_size (proxy.keys, 0);
}

static void
proxy_stop (void)
{
  soup_server_disconnect (proxy.server);
  g_clear_object (&proxy.server);
  g_clear_object (&proxy.session);
  g_clear_pointer (&proxy.url, g_free);
  g_clear_pointer (&proxy.times, g_array_unref);
  g_clear_pointer (&proxy.keys, g_ptr_array_unref);
}

static double
gap_seconds (guint i)
{
  return (g_array_index (proxy.times, gint64, i + 1) - g_array_index (proxy.times, gint64, i)) /
         (double)G_USEC_PER_SEC;
}

static void
assert_one_key (const char *key)
{
  g_assert_cmpuint (proxy.keys->len, >, 0);
  for (guint i = 0; i < proxy.keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (proxy.keys, i), ==, key);
}

/* 5xx after the server applied the decision: retried with the same key,
 * the backoff growing (1 s, then 2 s, ±25 %), recorded once, the entry
 * out of the outbox only at the 200. */
static void
test_retry_5xx (void)
{
  g_autoptr(ErClient) via_proxy = client_new (proxy.url, "demo-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  ErOutboxEntry *entry;
  Log log;

  proxy_reset (PROXY_APPLY_503, 2);
  key = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, via_proxy);
  log_init (&log, sender);

  /* After the first failure: still in the outbox, WAITING, with the error. */
  while (proxy.times->len < 1 || er_outbox_entry_get_state (er_outbox_lookup (outbox, key)) != ER_OUTBOX_WAITING)
    g_main_context_iteration (NULL, TRUE);
  entry = er_outbox_lookup (outbox, key);
  g_assert_nonnull (er_outbox_entry_get_error (entry));
  g_assert_cmpuint (er_outbox_entry_get_attempts (entry), ==, 1);
  g_assert_true (er_outbox_has_case (outbox, id));
  /* Waiting for its backoff is not busy: a closing app need not wait for it. */
  g_assert_false (er_sender_get_busy (sender));
  g_assert_cmpuint (log.delivered->len + log.refused->len, ==, 0);

  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (proxy.times->len, ==, 3);
  assert_one_key (key);
  g_assert_cmpfloat (gap_seconds (0), >=, 0.75);
  g_assert_cmpfloat (gap_seconds (1), >=, 1.5);
  g_assert_cmpfloat (gap_seconds (1), >, gap_seconds (0));
  g_assert_false (er_sender_get_offline (sender)); /* the server always answered */
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  g_assert_null (er_outbox_lookup (outbox, key));
  log_clear (&log);
}

/* 429: no retry before Retry-After; the backoff does not shorten it. */
static void
test_retry_after (void)
{
  g_autoptr(ErClient) via_proxy = client_new (proxy.url, "demo-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  Log log;

  proxy_reset (PROXY_429, 1);
  proxy.retry_after = 2;
  key = add (outbox, id, FALSE, 0);
  sender = er_sender_new (outbox, via_proxy);
  log_init (&log, sender);
  run_until_answered (&log, 1);

  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (proxy.times->len, ==, 2);
  assert_one_key (key);
  g_assert_cmpfloat (gap_seconds (0), >=, 2.0);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  log_clear (&log);
}

/* A connection dropped after the server applied the decision (unknown
 * outcome): "offline" until the retry gets an answer; recorded once. */
static void
test_dropped (void)
{
  g_autoptr(ErClient) via_proxy = client_new (proxy.url, "demo-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autofree char *key = NULL;
  const char *id = fresh_case ();
  ErOutboxEntry *entry;
  Log log;

  proxy_reset (PROXY_APPLY_DROP, 1);
  key = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, via_proxy);
  log_init (&log, sender);

  while (!er_sender_get_offline (sender))
    {
      g_assert_cmpuint (log.delivered->len, ==, 0);
      g_main_context_iteration (NULL, TRUE);
    }
  entry = er_outbox_lookup (outbox, key);
  g_assert_nonnull (entry);
  g_assert_cmpint (er_outbox_entry_get_state (entry), ==, ER_OUTBOX_WAITING);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1); /* applied */

  /* Where the system says there is no network at all (a build sandbox),
   * the sender waits for GNetworkMonitor rather than its short backoff:
   * tell it the network is there. */
  if (!g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);

  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_false (er_sender_get_offline (sender));
  assert_one_key (key);
  g_assert_cmpuint (proxy.times->len, ==, 2);
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);
  log_clear (&log);
}

/* No network: the backoff goes to its maximum (no hammering); when
 * GNetworkMonitor says the network is back, the retry goes at once, and a
 * decision still in its undo delay keeps it. */
static void
test_network_back (void)
{
  g_autoptr(ErClient) via_proxy = client_new (proxy.url, "demo-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autofree char *key = NULL;
  g_autofree char *later = NULL;
  const char *id = fresh_case ();
  const char *later_id = fresh_case ();
  gint64 back_at;
  Log log;

  proxy_reset (PROXY_APPLY_DROP, 1);
  key = add (outbox, id, TRUE, 0);
  later = add (outbox, later_id, TRUE, 60 * 1000);
  sender = er_sender_new (outbox, via_proxy);
  log_init (&log, sender);
  g_signal_emit_by_name (monitor, "network-changed", FALSE);

  while (!er_sender_get_offline (sender))
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    ErOutboxEntry *entry = er_outbox_lookup (outbox, key);

    /* Not before 45 s (60 s ±25 %): the network is gone. */
    g_assert_cmpint (g_date_time_difference (er_outbox_entry_get_due_at (entry), now), >=, 40 * G_USEC_PER_SEC);
  }

  back_at = g_get_monotonic_time ();
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 0), ==, key);
  /* Far sooner than the backoff it was waiting for. */
  g_assert_cmpint (g_get_monotonic_time () - back_at, <, 30 * G_USEC_PER_SEC);
  g_assert_false (er_sender_get_offline (sender));
  g_assert_cmpuint (fake_process_count_decisions (fake, id), ==, 1);

  /* The other one is still in its undo delay. */
  g_assert_cmpint (er_outbox_entry_get_state (er_outbox_lookup (outbox, later)), ==, ER_OUTBOX_WAITING);
  g_assert_cmpuint (fake_process_count_decisions (fake, later_id), ==, 0);

  /* send_now: every decision goes now (closing, the agent asked). */
  er_sender_send_now (sender);
  run_until_answered (&log, 2);
  g_assert_cmpstr (g_ptr_array_index (log.delivered, 1), ==, later);
  log_clear (&log);
}

/* A flaky platform (its own fake process): 30 % of the requests applied
 * then dropped, 10 % answered 5xx without applying (the fake's draws follow
 * --seed; this one drops three answers, and the test stays short). Every
 * decision is recorded exactly once, in order, with its key; the outbox
 * ends empty. */
static void
test_flaky_platform (void)
{
  g_autoptr(FakeProcess) flaky = fake_process_start ("--cases=8", "--seed=2", NULL);
  g_autoptr(ErClient) flaky_client = client_new (flaky->api_url, "demo-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) state = NULL;
  JsonArray *decisions;
  gint64 replays = 0;
  Log log;

  {
    g_autoptr(JsonObject) start = fake_process_state (flaky);
    JsonArray *cases = json_object_get_array_member (start, "cases");

    for (guint i = 0; i < json_array_get_length (cases) && ids->len < 6; i++)
      {
        JsonObject *c = json_array_get_object_element (cases, i);

        if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0)
          g_ptr_array_add (ids, g_strdup (json_object_get_string_member (c, "receipt_id")));
      }
    g_assert_cmpuint (ids->len, ==, 6);
  }

  fake_process_set_faults (flaky, "{\"drop_rate\": 0.3, \"fail_rate\": 0.1}");
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (keys, add (outbox, g_ptr_array_index (ids, i), i % 2 == 0, 0));

  sender = er_sender_new (outbox, flaky_client);
  log_init (&log, sender);
  run_until_answered (&log, ids->len);

  g_assert_cmpuint (log.refused->len, ==, 0);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (log.delivered, i), ==, g_ptr_array_index (keys, i));
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
  g_assert_cmpint (fake_process_fault_count (flaky, "dropped"), >, 0);

  state = fake_process_state (flaky);
  decisions = json_object_get_array_member (state, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);

      /* Recorded once, in decision order, with the outbox's key. */
      g_assert_cmpstr (json_object_get_string_member (d, "receipt_id"), ==, g_ptr_array_index (ids, i));
      g_assert_cmpstr (json_object_get_string_member (d, "idempotency_key"), ==, g_ptr_array_index (keys, i));
      replays += json_object_get_int_member_with_default (d, "replays", 0);
    }
  /* A dropped answer was asked for again, and replayed. */
  g_assert_cmpint (replays, >, 0);
  log_clear (&log);
}

/* A token revoked while decisions wait: "unauthenticated" once, then a
 * new client (a new token) delivers them. */
static void
test_revoked (void)
{
  g_autoptr(FakeProcess) own = fake_process_start ("--cases=3", "--seed=9", NULL);
  g_autoptr(ErClient) old_client = client_new (own->api_url, "demo-token");
  g_autoptr(ErClient) new_client = client_new (own->api_url, "fresh-token");
  g_autoptr(ErOutbox) outbox = outbox_new ();
  g_autoptr(ErSender) sender = NULL;
  g_autoptr(JsonObject) start = fake_process_state (own);
  JsonArray *cases = json_object_get_array_member (start, "cases");
  const char *id = json_object_get_string_member (json_array_get_object_element (cases, 0), "receipt_id");
  g_autofree char *key = NULL;
  Log log;

  fake_process_revoke (own, "demo-token");
  fake_process_add_token (own, "fresh-token", NULL);

  key = add (outbox, id, TRUE, 0);
  sender = er_sender_new (outbox, old_client);
  log_init (&log, sender);
  while (log.unauthenticated == 0)
    g_main_context_iteration (NULL, TRUE);
  run_until (&log.idle);
  g_assert_true (er_outbox_has_case (outbox, id));

  er_sender_set_client (sender, new_client);
  run_until_answered (&log, 1);
  g_assert_cmpuint (log.delivered->len, ==, 1);
  g_assert_cmpuint (log.unauthenticated, ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (own, id), ==, 1);
  log_clear (&log);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  data_home = g_dir_make_tmp ("er-test-sender-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sender/fake/deliver-in-order", test_deliver_in_order);
  g_test_add_func ("/sender/fake/due-time", test_due_time);
  g_test_add_func ("/sender/fake/durable-first", test_durable_first);
  g_test_add_func ("/sender/fake/take-back", test_take_back);
  g_test_add_func ("/sender/fake/already-decided", test_already_decided);
  g_test_add_func ("/sender/fake/claimed-by-other", test_claimed_by_other);
  g_test_add_func ("/sender/fake/not-found", test_not_found);
  g_test_add_func ("/sender/fake/unauthenticated", test_unauthenticated);
  g_test_add_func ("/sender/fake/resend-after-crash", test_resend_after_crash);
  g_test_add_func ("/sender/fake/stop", test_stop);
  g_test_add_func ("/sender/proxy/retry-5xx", test_retry_5xx);
  g_test_add_func ("/sender/proxy/retry-after", test_retry_after);
  g_test_add_func ("/sender/proxy/dropped", test_dropped);
  g_test_add_func ("/sender/proxy/network-back", test_network_back);
  g_test_add_func ("/sender/faults/flaky-platform", test_flaky_platform);
  g_test_add_func ("/sender/faults/revoked", test_revoked);

  fake = fake_process_start ("--cases=40", "--seed=11", NULL);
  client = client_new (fake->api_url, "demo-token");
  proxy_start ();

  {
    g_autoptr(JsonObject) state = fake_process_state (fake);
    JsonArray *cases = json_object_get_array_member (state, "cases");

    pending_ids = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < json_array_get_length (cases); i++)
      {
        JsonObject *c = json_array_get_object_element (cases, i);

        if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0)
          g_ptr_array_add (pending_ids, g_strdup (json_object_get_string_member (c, "receipt_id")));
      }
    g_assert_cmpuint (pending_ids->len, >=, 25);
  }

  ret = g_test_run ();

  proxy_stop ();
  g_clear_object (&client);
  g_clear_pointer (&pending_ids, g_ptr_array_unref);
  g_clear_pointer (&fake, fake_process_stop);

  {
    g_autofree char *outbox_dir = g_build_filename (data_home, "edulib-reviewer", "outbox", NULL);
    g_autoptr(GDir) dir = g_dir_open (outbox_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (outbox_dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (outbox_dir);
    g_free (g_steal_pointer (&outbox_dir));
    outbox_dir = g_build_filename (data_home, "edulib-reviewer", NULL);
    g_rmdir (outbox_dir);
    g_rmdir (data_home);
  }
  g_free (data_home);
  /* GLib's idle pool threads ended before LSan's last scan. */
  test_async_stop_threads ();
  return ret;
}
