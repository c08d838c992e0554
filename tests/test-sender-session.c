/* test-sender-session.c: decisions made through ErReviewSession, as the
 * workspace makes them, against the fake platform, watching the main loop
 * and the outbox's writes:
 *   - main-loop-gaps: N decisions in a row (approvals and denials, each
 *     with its photos loaded, prefetch on, the sender delivering behind,
 *     the history's model following),
 *     with a high-priority 1 ms tick recording the gaps between its runs:
 *     the longest gap is the longest main-loop stall. The figures (median,
 *     95th percentile, max; wall clock, and the main thread's own CPU time
 *     in each gap, which tells work on the main loop from another process
 *     running) are printed, not asserted (the machine is noisy); what is asserted is that no outbox write ran on the main
 *     thread and that every decision reached the platform once.
 *   - write-failure: a decision whose write fails is told to the agent,
 *     not sent, and its case is back in the list.
 *
 * Run alone to read the figures:
 *   meson test -C _build --verbose sender-session
 * (ER_TEST_DECISIONS=N for more or fewer decisions; default 30).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "er-error.h"
#include "er-history.h"
#include "er-review-session.h"
#include "er-sign-in.h"
#include "fake-process.h"
#include "test-async.h"

#define WAIT_SECONDS 20

typedef struct {
  FakeProcess     *fake;
  ErReviewSession *session;
  GPtrArray       *messages;
} Fixture;

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                                      \
  G_STMT_START {                                                              \
    gint64 wait_deadline_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    guint wait_tick_ = g_timeout_add (20, tick_cb, NULL);                     \
    while (!(cond))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > wait_deadline_)                         \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
    g_source_remove (wait_tick_);                                             \
  } G_STMT_END

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  WAIT_UNTIL (done);
}

static void
on_message (ErReviewSession *session,
            const char      *text,
            Fixture         *f)
{
  g_test_message ("session message: %s", text);
  g_ptr_array_add (f->messages, g_strdup (text));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *key_arg = NULL;
  g_autofree char *cases_arg = g_strdup_printf ("--cases=%u", GPOINTER_TO_UINT (data) + 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_getenv ("ER_TEST_VECTORS"));
  key_arg = g_strdup_printf ("--key=%s/rsa2048-pkcs8.pem", g_getenv ("ER_TEST_VECTORS"));
  f->fake = fake_process_start (cases_arg, key_arg, NULL);
  f->messages = g_ptr_array_new_with_free_func (g_free);

  er_sign_in_async (f->fake->api_url, "demo-token", f->fake->key_path, NULL, NULL,
                    test_async_store, &result);
  f->session = er_sign_in_finish (test_async_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ER_IS_REVIEW_SESSION (f->session));

  g_object_set (f->session, "min-view-time", 0, "undo-delay", 1, NULL);
  g_signal_connect (f->session, "message", G_CALLBACK (on_message), f);
  er_review_session_start (f->session);
  /* On screen, as in the window. */
  er_review_session_set_case_visible (f->session, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(ErOutbox) outbox = g_object_ref (er_review_session_get_outbox (f->session));
  g_autoptr(ErOutbox) reread = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) reread_entries = NULL;

  g_signal_handlers_disconnect_by_data (f->session, f);
  er_review_session_close_async (f->session, NULL, test_async_store, &result);
  g_assert_true (er_review_session_close_finish (f->session, test_async_wait (&result), &error));
  g_assert_no_error (error);

  /* Closed: the file holds what memory holds (flushed), as the next
   * start would read it. */
  reread = er_outbox_new (er_outbox_get_path (outbox), &error);
  g_assert_no_error (error);
  entries = er_outbox_get_entries (outbox);
  reread_entries = er_outbox_get_entries (reread);
  g_assert_cmpuint (reread_entries->len, ==, entries->len);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpstr (er_outbox_entry_get_key (g_ptr_array_index (reread_entries, i)), ==,
                     er_outbox_entry_get_key (g_ptr_array_index (entries, i)));
  g_clear_object (&result); /* it holds the session */
  g_object_add_weak_pointer (G_OBJECT (f->session), (gpointer *) &f->session);
  g_object_unref (f->session);
  WAIT_UNTIL (f->session == NULL);
  g_clear_pointer (&f->fake, fake_process_stop);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
}

static guint
fake_n_decisions (Fixture *f)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);

  return json_array_get_length (json_object_get_array_member (state, "decisions"));
}

static guint
n_waiting (Fixture *f)
{
  guint n;

  g_object_get (f->session, "n-waiting", &n, NULL);
  return n;
}

/* The main loop's gaps: a 1 ms tick at high priority stamps each run. */

typedef struct {
  gint64  last;
  gint64  last_cpu;
  GArray *gaps;      /* gint64 µs, wall clock */
  GArray *cpu_gaps;  /* gint64 µs of the main thread's own CPU time in each gap */
} Ticker;

/* The main thread's CPU time: a wall-clock gap much longer than its CPU
 * time is the machine (another process ran), not work on the main loop. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
stamp_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  if (ticker->last != 0)
    {
      g_array_append_val (ticker->gaps, (gint64) { now - ticker->last });
      g_array_append_val (ticker->cpu_gaps, (gint64) { cpu - ticker->last_cpu });
    }
  ticker->last = now;
  ticker->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_figures (const char *what,
               GArray     *values)
{
  gint64 *v = (gint64 *) values->data;

  g_assert_cmpuint (values->len, >, 0);
  g_array_sort (values, compare_gint64);
  g_test_message ("%s: n=%u median=%.2f ms p95=%.2f ms max=%.2f ms", what, values->len,
                  v[values->len / 2] / 1000.0, v[values->len * 95 / 100] / 1000.0,
                  v[values->len - 1] / 1000.0);
  /* Also on stdout for `meson test --verbose` / the report. */
  g_print ("# %s: n=%u median=%.2f ms p95=%.2f ms max=%.2f ms\n", what, values->len,
           v[values->len / 2] / 1000.0, v[values->len * 95 / 100] / 1000.0,
           v[values->len - 1] / 1000.0);
}

static ErReasons *
some_reasons (void)
{
  ErReasons *reasons = er_reasons_new ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  return reasons;
}

static guint
n_decisions (void)
{
  const char *env = g_getenv ("ER_TEST_DECISIONS");

  return env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 30;
}

static void
test_main_loop_gaps (Fixture       *f,
                     gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  Ticker ticker = { 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)),
                    g_array_new (FALSE, FALSE, sizeof (gint64)) };
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_writes = 0;
  guint n_on_main = G_MAXUINT;
  /* The history window open meanwhile: its model follows every change. */
  g_autoptr(ErHistory) history = er_history_new (f->session);
  guint tick;

  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stamp_cb, &ticker, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ErReasons) reasons = NULL;
      const char *id;
      gint64 start;
      gboolean ok;

      WAIT_UNTIL (er_review_session_get_can_decide (f->session));
      id = er_case_get_receipt_id (er_review_session_get_current_case (f->session));
      start = g_get_monotonic_time ();
      /* Two denials for an approval, as approving can be refused (a name
       * that does not match). */
      if (i % 3 != 0 || !er_review_session_get_can_approve (f->session))
        {
          reasons = some_reasons ();
          ok = er_review_session_deny (f->session, id, reasons, g_get_monotonic_time (), &error);
        }
      else
        ok = er_review_session_approve (f->session, id, g_get_monotonic_time (), &error);
      g_array_append_val (calls, (gint64) { g_get_monotonic_time () - start });
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  /* The last ones sent too (undo delay, then the sender). */
  WAIT_UNTIL (n_waiting (f) == 0 && fake_n_decisions (f) == n);
  g_source_remove (tick);

  print_figures ("main-loop gap during decisions (wall clock)", ticker.gaps);
  print_figures ("main-loop gap during decisions (main thread CPU)", ticker.cpu_gaps);
  print_figures ("approve/deny call", calls);

  er_outbox_get_write_counts (outbox, &n_writes, &n_on_main);
  g_print ("# outbox writes: %u, on the main thread: %u\n", n_writes, n_on_main);
  g_assert_cmpuint (n_writes, >, 0);
  g_assert_cmpuint (n_on_main, ==, 0);
  g_assert_cmpuint (f->messages->len, ==, 0);
  g_array_unref (ticker.gaps);
  g_array_unref (ticker.cpu_gaps);
}

/* The outbox file cannot be written (a folder stands in its place): the
 * decision is not sent, the agent is told, and the case is back in the
 * list; once the disk is back, deciding works again. */
static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  const char *path = er_outbox_get_path (outbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) kase = NULL;
  const char *id;

  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  kase = g_object_ref (er_review_session_get_current_case (f->session));
  id = er_case_get_receipt_id (kase);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_assert_true (er_review_session_approve (f->session, id, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  /* The next case opens at once, without waiting for the disk. */
  g_assert_true (er_review_session_get_current_case (f->session) != kase);

  WAIT_UNTIL (f->messages->len > 0);
  g_assert_nonnull (strstr (g_ptr_array_index (f->messages, 0), "could not be saved, so it was not sent"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->messages, 0), er_case_get_expected_name (kase)));
  g_assert_true (er_review_queue_find (er_review_session_get_queue (f->session), id, NULL));
  g_assert_false (er_outbox_has_case (outbox, id));
  g_assert_cmpuint (n_waiting (f), ==, 0);
  /* Past its undo delay: still never sent. */
  run_for (1500);
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);

  /* The disk is back: the next decision goes. */
  g_assert_cmpint (g_rmdir (path), ==, 0);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  id = er_case_get_receipt_id (er_review_session_get_current_case (f->session));
  g_assert_true (er_review_session_approve (f->session, id, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  WAIT_UNTIL (fake_n_decisions (f) == 1);
  g_assert_cmpuint (f->messages->len, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_proxy_resolver_get_default ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/sender-session/main-loop-gaps", Fixture, GUINT_TO_POINTER (n_decisions ()),
              fixture_set_up, test_main_loop_gaps, fixture_tear_down);
  g_test_add ("/sender-session/write-failure", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_write_failure, fixture_tear_down);

  ret = g_test_run ();
  /* GLib's idle pool threads ended before LSan's last scan. */
  test_async_stop_threads ();
  return ret;
}
