/* test-history.c: the history window on a review session against the fake
 * platform, the session's outbox in a temporary XDG_DATA_HOME: the server's
 * decisions, the outbox's waiting and failed ones merged in, a decision
 * delivered by the session's sender, live updates, and the offline note.
 *
 * With ER_HISTORY_SCREENSHOT=<prefix> set, /history/outbox and
 * /history/offline also show the window and save a picture of the screen
 * (ImageMagick's import) in <prefix>-outbox.png and <prefix>-offline.png.
 */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "er-client.h"
#include "er-history-window.h"
#include "er-outbox.h"
#include "er-review-session.h"
#include "fake-process.h"
#include "test-xdotool.h"
#include "test-async.h"

#define OFFLINE_NOTE "The server could not be reached: showing only decisions waiting on this computer."
#define REFUSED "Someone else decided this case first."

static FakeProcess *fake;
static ErClient *client;       /* agent.lavoie, the demo agent */
static GPtrArray *cases;       /* ErCase: the pending cases at start, oldest first */

/* Waiting */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until the window has loaded (30 s at most),
 * then runs what is left to do (the model's rebuild after an outbox change). */
static void
wait_loaded (ErHistoryWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (100, wake_up_cb, NULL);

  while (er_history_window_is_loading (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_source_remove (wake_id);
}

/* Runs what is ready: the model follows the outbox from an idle. */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Fixture */

static ErClient *
client_new (const char *server)
{
  g_autoptr(GError) error = NULL;
  ErClient *ret = er_client_new (server, "demo-token", &error);

  g_assert_no_error (error);
  return ret;
}

/* A session for the agent (agent.lavoie, or agent.roy with other-token) on
 * c, its sender paused (set_client NULL) so that the outbox's entries stay
 * as each test puts them until it lets the sender go. Its outbox is the
 * agent's for that server, in this run's XDG_DATA_HOME. */
static ErReviewSession *
session_new (ErClient   *c,
             const char *username)
{
  g_autofree char *json = g_strdup_printf ("{\"username\": \"%s\", \"full_name\": \"Agent\", "
                                           "\"permissions\": [\"review\"]}", username);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErAgent) agent = er_agent_new_from_json (node, &error);
  ErReviewSession *session;

  g_assert_no_error (error);
  session = er_review_session_new (c, NULL, agent);
  er_sender_set_client (er_review_session_get_sender (session), NULL);
  return session;
}

static ErCase *
nth_case (guint index)
{
  g_assert_cmpuint (index, <, cases->len);
  return g_ptr_array_index (cases, index);
}

static const char *
case_id (guint index)
{
  return er_case_get_receipt_id (nth_case (index));
}

static const char *
case_name (guint index)
{
  return er_case_get_expected_name (nth_case (index));
}

static void
load_cases (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = NULL;
  ErCaseQuery query = { .limit = 50 };

  er_client_list_cases_async (client, &query, NULL, test_async_store, &result);
  page = er_client_list_cases_finish (client, test_async_wait (&result), &error);
  g_assert_no_error (error);
  cases = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
    g_ptr_array_add (cases, g_list_model_get_item (G_LIST_MODEL (page->items), i));
  g_assert_cmpuint (cases->len, ==, 6);
}

static void
decide (guint    index,
        gboolean approved)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *key = er_client_new_idempotency_key ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  er_client_decide_async (client, case_id (index), approved, approved ? NULL : reasons, key,
                          NULL, test_async_store, &result);
  decision = er_client_decide_finish (client, test_async_wait (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decision);
}

/* The row's index for receipt_id, or -1. */
static gint
find_row (ErHistoryWindow *window,
          const char      *receipt_id)
{
  for (guint i = 0; i < er_history_window_get_n_rows (window); i++)
    if (g_strcmp0 (er_history_window_get_row_receipt_id (window, i), receipt_id) == 0)
      return (gint) i;
  return -1;
}

static void
assert_row (ErHistoryWindow *window,
            const char      *receipt_id,
            const char      *name,
            const char      *decision,
            ErHistoryState   state,
            const char      *status_text)
{
  gint i = find_row (window, receipt_id);

  g_assert_cmpint (i, >=, 0);
  g_assert_cmpstr (er_history_window_get_row_name (window, i), ==, name);
  g_assert_cmpstr (er_history_window_get_row_decision (window, i), ==, decision);
  g_assert_cmpint (er_history_window_get_row_state (window, i), ==, state);
  g_assert_cmpstr (er_history_window_get_row_status_text (window, i), ==, status_text);
  g_assert_cmpstr (er_history_window_get_row_day (window, i), ==, "Today");
}

static ErHistoryWindow *
open_window (ErReviewSession *session)
{
  GtkWidget *window = er_history_window_new (NULL, session);

  g_assert_true (ER_IS_HISTORY_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "History");
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (window)));
  wait_loaded (ER_HISTORY_WINDOW (window));
  return ER_HISTORY_WINDOW (window);
}

/* Adds a decision on the index-th case; returns its key. */
static char *
outbox_add (ErOutbox  *outbox,
            guint      index,
            gboolean   approved,
            gint       due_in_seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, due_in_seconds);
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  ErOutboxEntry *entry;  /* the outbox's */

  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Face out of view");
  entry = er_outbox_add (outbox, case_id (index), case_name (index), approved,
                         approved ? NULL : reasons, due, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return g_strdup (er_outbox_entry_get_key (entry));
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *prefix = g_getenv ("ER_HISTORY_SCREENSHOT");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) import = NULL;
  gint64 until;

  if (prefix == NULL)
    return;

  path = g_strdup_printf ("%s-%s.png", prefix, name);
  gtk_window_present (GTK_WINDOW (window));
  /* Let it map and draw (only in this opt-in mode). */
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  import = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             "import", "-window", "root", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (import, NULL, &error);
  g_assert_no_error (error);
}

/* Tests */

/* Two decisions sent through the client: both rows, sent, and the counts. */
static void
test_server (void)
{
  g_autoptr(ErReviewSession) session = session_new (client, "agent.lavoie");
  ErHistoryWindow *window;

  decide (0, TRUE);
  decide (1, FALSE);

  window = open_window (session);
  g_assert_null (er_history_window_get_note (window));
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 2);
  assert_row (window, case_id (0), case_name (0), "Approved", ER_HISTORY_STATE_RECORDED, "Sent");
  assert_row (window, case_id (1), case_name (1), "Denied: ID photo is blurry",
              ER_HISTORY_STATE_RECORDED, "Sent");
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 1 approved, 1 denied, 0 waiting, 0 failed");

  /* A third decision appears on Refresh (the F5 / Ctrl+R action). */
  decide (2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "history.refresh", NULL));
  g_assert_true (er_history_window_is_loading (window));
  wait_loaded (window);
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 3);
  /* Newest first: the one just decided is the first row. */
  g_assert_cmpstr (er_history_window_get_row_receipt_id (window, 0), ==, case_id (2));
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 2 approved, 1 denied, 0 waiting, 0 failed");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Another agent, with no decision: the empty state, no note. */
static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErClient) other = er_client_new (fake->api_url, "other-token", &error);
  g_autoptr(ErReviewSession) session = NULL;
  ErHistoryWindow *window;

  g_assert_no_error (error);
  session = session_new (other, "agent.roy");
  window = open_window (session);
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 0);
  g_assert_null (er_history_window_get_note (window));
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 0 approved, 0 denied, 0 waiting, 0 failed");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Iterates until receipt_id's row is in state (30 s at most). */
static void
wait_row_state (ErHistoryWindow *window,
                const char      *receipt_id,
                ErHistoryState   state)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);
  gint i;

  while ((i = find_row (window, receipt_id)) < 0 ||
         er_history_window_get_row_state (window, i) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

/* The outbox's entries merged in, each with its state, and followed live. */
static void
test_outbox (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErReviewSession) session = session_new (client, "agent.lavoie");
  ErOutbox *outbox = er_review_session_get_outbox (session);
  ErSender *sender = er_review_session_get_sender (session);
  g_autofree char *undo = outbox_add (outbox, 3, TRUE, 60);
  g_autofree char *refused = outbox_add (outbox, 4, FALSE, -1);
  g_autofree char *arrived = outbox_add (outbox, 0, TRUE, -1);  /* also on the server */
  g_autofree char *waiting = outbox_add (outbox, 5, TRUE, -1);
  ErHistoryWindow *window;

  g_assert_true (er_outbox_mark_sending (outbox, refused, &error));
  g_assert_no_error (error);
  g_assert_true (er_outbox_mark_failed (outbox, refused, REFUSED, &error));
  g_assert_no_error (error);

  window = open_window (session);
  g_assert_null (er_history_window_get_note (window));
  /* Three from the server (cases 0, 1, 2), three from the outbox (3, 4, 5). */
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 6);
  assert_row (window, case_id (0), case_name (0), "Approved", ER_HISTORY_STATE_RECORDED, "Sent");
  assert_row (window, case_id (3), case_name (3), "Approved", ER_HISTORY_STATE_UNDO,
              "In its undo delay");
  assert_row (window, case_id (4), case_name (4), "Denied: Learner photo is blurry",
              ER_HISTORY_STATE_FAILED, "Not recorded: " REFUSED);
  assert_row (window, case_id (5), case_name (5), "Approved", ER_HISTORY_STATE_WAITING,
              "Waiting to be sent");
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 2 approved, 1 denied, 2 waiting, 1 failed");

  save_screenshot (GTK_WIDGET (window), "outbox");

  /* Undo: the row goes. */
  g_assert_true (er_outbox_take_back (outbox, undo, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_cmpint (find_row (window, case_id (3)), ==, -1);
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 5);
  g_assert_false (er_history_window_is_loading (window));

  /* The sender goes on: case 0's copy is refused (already decided, its
   * row is the server's still), case 5 is delivered — the session says so
   * — and stays, as sent. */
  er_sender_set_client (sender, client);
  wait_row_state (window, case_id (5), ER_HISTORY_STATE_DELIVERED);
  assert_row (window, case_id (5), case_name (5), "Approved", ER_HISTORY_STATE_DELIVERED, "Sent");
  g_assert_true (er_review_session_is_decided (session, case_id (5)));
  er_sender_set_client (sender, NULL);
  settle ();
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 5);
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 3 approved, 1 denied, 0 waiting, 1 failed");

  /* A new decision appears without a refresh. */
  g_clear_pointer (&undo, g_free);
  undo = outbox_add (outbox, 3, FALSE, 60);
  settle ();
  assert_row (window, case_id (3), case_name (3), "Denied: Learner photo is blurry",
              ER_HISTORY_STATE_UNDO, "In its undo delay");
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 6);
  g_assert_cmpstr (er_history_window_get_row_receipt_id (window, 0), ==, case_id (3));

  /* Refreshed: the server's list holds case 5 now. */
  er_history_window_refresh (window);
  wait_loaded (window);
  assert_row (window, case_id (5), case_name (5), "Approved", ER_HISTORY_STATE_RECORDED, "Sent");

  gtk_window_destroy (GTK_WINDOW (window));
  /* The window is gone: the outbox may change without it. Nothing is left
   * for the next tests. */
  g_assert_true (er_outbox_take_back (outbox, undo, &error));
  g_assert_no_error (error);
  g_assert_true (er_outbox_forget_failed (outbox, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
}

/* The server cannot be reached: the note, and the outbox's entries still. */
static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *dead_url = NULL;
  g_autoptr(ErClient) dead = NULL;
  g_autoptr(ErReviewSession) session = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *waiting = NULL;
  ErOutbox *outbox;
  ErHistoryWindow *window;

  /* A port that nothing listens on: bound, then closed. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  dead_url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  dead = client_new (dead_url);
  /* The note as soon as the first attempt fails, not after the retries. */
  er_client_set_max_retries (dead, 0);

  /* Another server: another outbox, empty. */
  session = session_new (dead, "agent.lavoie");
  outbox = er_review_session_get_outbox (session);
  refused = outbox_add (outbox, 4, FALSE, -1);
  waiting = outbox_add (outbox, 5, FALSE, -1);
  g_assert_true (er_outbox_mark_sending (outbox, refused, &error));
  g_assert_no_error (error);
  g_assert_true (er_outbox_mark_failed (outbox, refused, REFUSED, &error));
  g_assert_no_error (error);

  window = open_window (session);
  g_assert_cmpstr (er_history_window_get_note (window), ==, OFFLINE_NOTE);
  g_assert_true (er_history_get_offline (er_history_window_get_history (window)));
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 2);
  assert_row (window, case_id (4), case_name (4), "Denied: Learner photo is blurry",
              ER_HISTORY_STATE_FAILED, "Not recorded: " REFUSED);
  assert_row (window, case_id (5), case_name (5), "Denied: Learner photo is blurry",
              ER_HISTORY_STATE_WAITING, "Waiting to be sent");
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 0 approved, 0 denied, 1 waiting, 1 failed");
  save_screenshot (GTK_WIDGET (window), "offline");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Keys typed through the X server, as an agent types them. */

typedef gboolean (*Condition) (ErHistoryWindow *window, guint n);

static gboolean
shows_rows (ErHistoryWindow *window,
            guint            n)
{
  return window != NULL && !er_history_window_is_loading (window) &&
         er_history_window_get_n_rows (window) == n;
}

static gboolean
is_gone (ErHistoryWindow *window,
         guint            n)
{
  return window == NULL;
}

/* Types key into the window until done (window, n) holds: a key the X
 * server delivered before the window had the input focus, or that a loaded
 * machine was slow to pass on, is typed again after 5 s (each key here can
 * be repeated without harm). 60 s at most. *window is a weak pointer. */
static void
type_key_until (ErHistoryWindow **window,
                const char       *key,
                Condition         done,
                guint             n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);

  while (!done (*window, n))
    {
      gint64 retype = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      test_xdotool_focus (GTK_WINDOW (*window));
      test_xdotool_keys (key, NULL);
      while (!done (*window, n) && g_get_monotonic_time () < retype)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

/* F5 and Ctrl+R load the list again; Escape closes the window. */
static void
test_keyboard (void)
{
  g_autoptr(ErReviewSession) session = session_new (client, "agent.lavoie");
  ErHistoryWindow *window = open_window (session);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* The server's: cases 0, 1, 2 and 5 (delivered in /history/outbox). */
  g_assert_cmpuint (er_history_window_get_n_rows (window), ==, 4);

  decide (3, TRUE);
  type_key_until (&window, "F5", shows_rows, 5);
  g_assert_cmpstr (er_history_window_get_row_receipt_id (window, 0), ==, case_id (3));

  decide (4, FALSE);
  type_key_until (&window, "ctrl+r", shows_rows, 6);
  g_assert_cmpstr (er_history_window_get_summary (window), ==,
                   "Today: 4 approved, 2 denied, 0 waiting, 0 failed");

  type_key_until (&window, "Escape", is_gone, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The outboxes' files in a fresh XDG_DATA_HOME, removed at the end. */
  data_home = g_dir_make_tmp ("test-history-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

  fake = fake_process_start ("--cases=6", NULL);
  client = client_new (fake->api_url);
  load_cases ();

  /* In order: each builds on the decisions of the one before. */
  g_test_add_func ("/history/server", test_server);
  g_test_add_func ("/history/empty", test_empty);
  g_test_add_func ("/history/outbox", test_outbox);
  g_test_add_func ("/history/offline", test_offline);
  g_test_add_func ("/history/keyboard", test_keyboard);

  ret = g_test_run ();

  g_clear_pointer (&cases, g_ptr_array_unref);
  g_clear_object (&client);
  g_clear_pointer (&fake, fake_process_stop);
  test_remove_tree (data_home);
  return ret;
}
