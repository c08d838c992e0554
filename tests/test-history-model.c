/* test-history-model.c: ErHistory on a review session against the fake
 * platform (one per test, so each has its own server and outbox file in a
 * temporary XDG_DATA_HOME): the server's decisions, outbox entries waiting,
 * in their undo delay and refused, a decision the session's sender
 * delivers (DELIVERED through the session, then RECORDED once refreshed),
 * today's counts, and the server going down.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "er-client.h"
#include "er-error.h"
#include "er-history.h"
#include "er-review-session.h"
#include "fake-process.h"
#include "test-async.h"

typedef struct {
  FakeProcess     *fake;
  ErClient        *client;    /* agent.lavoie */
  GPtrArray       *cases;     /* ErCase: the pending cases at start, oldest first */
  ErReviewSession *session;
  ErHistory       *history;
  GPtrArray       *changes;   /* char *: "position removed added" of each items-changed */
} Fixture;

/* Waiting */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

/* Iterates the main context until condition holds (30 s at most). */
static void
wait_for (Fixture       *f,
          Condition      condition,
          gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (20, wake_up_cb, NULL);

  while (!condition (f, data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

static gboolean
is_loaded (Fixture       *f,
           gconstpointer  data)
{
  return !er_history_get_loading (f->history);
}

/* Runs what is ready (the model follows the outbox from an idle). */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Helpers */

static const char *
case_id (Fixture *f,
         guint    index)
{
  g_assert_cmpuint (index, <, f->cases->len);
  return er_case_get_receipt_id (g_ptr_array_index (f->cases, index));
}

static const char *
case_name (Fixture *f,
           guint    index)
{
  g_assert_cmpuint (index, <, f->cases->len);
  return er_case_get_expected_name (g_ptr_array_index (f->cases, index));
}

/* A decision sent through the client, as another computer would. */
static void
decide (Fixture  *f,
        guint     index,
        gboolean  approved)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *key = er_client_new_idempotency_key ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  er_client_decide_async (f->client, case_id (f, index), approved, approved ? NULL : reasons, key,
                          NULL, test_async_store, &result);
  decision = er_client_decide_finish (f->client, test_async_wait (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decision);
}

/* Adds a decision on the index-th case to the session's outbox, due in
 * due_in_ms; returns its key. */
static char *
outbox_add (Fixture  *f,
            guint     index,
            gboolean  approved,
            gint      due_in_ms)
{
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = g_date_time_add (now, (GTimeSpan) due_in_ms * 1000);
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  ErOutboxEntry *entry;

  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Face out of view");
  entry = er_outbox_add (outbox, case_id (f, index), case_name (f, index), approved,
                         approved ? NULL : reasons, due, &error);
  g_assert_no_error (error);
  return g_strdup (er_outbox_entry_get_key (entry));
}

static void
pause_sender (Fixture *f)
{
  er_sender_set_client (er_review_session_get_sender (f->session), NULL);
}

static void
resume_sender (Fixture *f)
{
  er_sender_set_client (er_review_session_get_sender (f->session), f->client);
}

/* The item for receipt_id (not a new reference), or NULL. */
static ErHistoryItem *
find_item (Fixture    *f,
           const char *receipt_id)
{
  GListModel *model = G_LIST_MODEL (f->history);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ErHistoryItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (er_history_item_get_receipt_id (item), receipt_id))
        return item;  /* the model keeps its own reference */
    }
  return NULL;
}

static ErHistoryState
state_of (Fixture    *f,
          const char *receipt_id)
{
  ErHistoryItem *item = find_item (f, receipt_id);

  g_assert_nonnull (item);
  return er_history_item_get_state (item);
}

typedef struct {
  const char     *receipt_id;
  ErHistoryState  state;
} Expected;

static gboolean
is_in_state (Fixture       *f,
             gconstpointer  data)
{
  const Expected *expected = data;
  ErHistoryItem *item = find_item (f, expected->receipt_id);

  return item != NULL && er_history_item_get_state (item) == expected->state;
}

static void
wait_state (Fixture        *f,
            const char     *receipt_id,
            ErHistoryState  state)
{
  Expected expected = { receipt_id, state };

  wait_for (f, is_in_state, &expected);
}

static void
assert_counts (Fixture *f,
               guint    approved,
               guint    denied,
               guint    waiting,
               guint    failed)
{
  guint a, d, w, x;

  g_assert_cmpuint (er_history_get_n_approved_today (f->history), ==, approved);
  g_assert_cmpuint (er_history_get_n_denied_today (f->history), ==, denied);
  g_assert_cmpuint (er_history_get_n_waiting_today (f->history), ==, waiting);
  g_assert_cmpuint (er_history_get_n_failed_today (f->history), ==, failed);
  /* The properties say the same. */
  g_object_get (f->history, "n-approved-today", &a, "n-denied-today", &d,
                "n-waiting-today", &w, "n-failed-today", &x, NULL);
  g_assert_cmpuint (a, ==, approved);
  g_assert_cmpuint (d, ==, denied);
  g_assert_cmpuint (w, ==, waiting);
  g_assert_cmpuint (x, ==, failed);
}

/* Newest first, and every item of today. */
static void
assert_order (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->history);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ErHistoryItem) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (er_history_item_get_day (item), ==, "Today");
      g_assert_cmpint (er_history_item_get_days_ago (item), ==, 0);
      if (i > 0)
        {
          g_autoptr(ErHistoryItem) before = g_list_model_get_item (model, i - 1);

          g_assert_cmpint (g_date_time_compare (er_history_item_get_decided_at (before),
                                                er_history_item_get_decided_at (item)), >=, 0);
        }
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  g_ptr_array_add (f->changes, g_strdup_printf ("%u %u %u", position, removed, added));
}

/* Fixture */

static void
load_cases (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = NULL;
  ErCaseQuery query = { .limit = 50 };

  er_client_list_cases_async (f->client, &query, NULL, test_async_store, &result);
  page = er_client_list_cases_finish (f->client, test_async_wait (&result), &error);
  g_assert_no_error (error);
  f->cases = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
    g_ptr_array_add (f->cases, g_list_model_get_item (G_LIST_MODEL (page->items), i));
  g_assert_cmpuint (f->cases->len, ==, 6);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) me = json_from_string ("{\"username\": \"agent.lavoie\", "
                                             "\"full_name\": \"Sophie Lavoie\", "
                                             "\"permissions\": [\"review\"]}", &error);
  g_autoptr(ErAgent) agent = NULL;

  g_assert_no_error (error);
  agent = er_agent_new_from_json (me, &error);
  g_assert_no_error (error);

  f->fake = fake_process_start ("--cases=6", NULL);
  f->client = er_client_new (f->fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  load_cases (f);
  /* A new server: a new outbox file. Not started: no queue, only the sender. */
  f->session = er_review_session_new (f->client, NULL, agent);
  f->changes = g_ptr_array_new_with_free_func (g_free);
}

/* The history, loaded. */
static void
open_history (Fixture *f)
{
  f->history = er_history_new (f->session);
  g_signal_connect (f->history, "items-changed", G_CALLBACK (items_changed_cb), f);
  g_assert_true (er_history_get_loading (f->history));
  g_assert_false (er_history_get_loaded (f->history));
  wait_for (f, is_loaded, NULL);
  g_assert_true (er_history_get_loaded (f->history));
  settle ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->history != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->history, f);
      g_object_add_weak_pointer (G_OBJECT (f->history), (gpointer *) &f->history);
      g_object_unref (f->history);
      g_assert_null (f->history);  /* nothing else holds it */
    }
  g_clear_object (&f->session);
  settle ();
  g_clear_object (&f->client);
  g_clear_pointer (&f->cases, g_ptr_array_unref);
  g_clear_pointer (&f->changes, g_ptr_array_unref);
  g_clear_pointer (&f->fake, fake_process_stop);
}

/* Tests */

/* The server's decisions, newest first, with today's counts. */
static void
test_server (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ErHistoryItem) first = NULL;
  ErHistoryItem *denied;
  g_autoptr(ErReasons) reasons = NULL;
  ErHistoryState state;

  decide (f, 0, TRUE);
  decide (f, 1, FALSE);
  decide (f, 2, TRUE);

  open_history (f);
  g_assert_null (er_history_get_error (f->history));
  g_assert_false (er_history_get_offline (f->history));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->history)) == ER_TYPE_HISTORY_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (f->history), 0);
  g_assert_cmpstr (er_history_item_get_receipt_id (first), ==, case_id (f, 2));
  g_assert_cmpstr (er_history_item_get_name (first), ==, case_name (f, 2));
  g_assert_true (er_history_item_get_approved (first));
  g_assert_null (er_history_item_get_reasons (first));
  g_assert_cmpint (er_history_item_get_state (first), ==, ER_HISTORY_STATE_RECORDED);
  g_assert_cmpstr (er_history_item_get_status_text (first), ==, "Sent");
  g_assert_null (er_history_item_get_error (first));

  denied = find_item (f, case_id (f, 1));
  g_assert_false (er_history_item_get_approved (denied));
  g_assert_cmpstr (er_reasons_get (er_history_item_get_reasons (denied), ER_REASON_GROUP_PHOTO_ID)[0],
                   ==, "Text not clear");
  /* The properties, as a binding reads them. */
  g_object_get (denied, "state", &state, "reasons", &reasons, NULL);
  g_assert_cmpint (state, ==, ER_HISTORY_STATE_RECORDED);
  g_assert_nonnull (reasons);

  assert_order (f);
  assert_counts (f, 2, 1, 0, 0);

  /* Refresh: a new decision comes first; nothing else changes. */
  decide (f, 3, FALSE);
  g_ptr_array_set_size (f->changes, 0);
  er_history_refresh (f->history);
  g_assert_true (er_history_get_loading (f->history));
  wait_for (f, is_loaded, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 4);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->changes, 0), ==, "0 0 1");
  /* The items that did not change are the same objects. */
  g_assert_true (find_item (f, case_id (f, 2)) == first);
  assert_counts (f, 2, 2, 0, 0);
}

/* Whether receipt_id has an item after each change (it never left). */
typedef struct {
  Fixture    *f;
  const char *receipt_id;
  gboolean    always_there;
  GPtrArray  *states;  /* ErHistoryState, as GINT_TO_POINTER, each change */
} Watch;

static void
watch_cb (GListModel *model,
          guint       position,
          guint       removed,
          guint       added,
          Watch      *watch)
{
  ErHistoryItem *item = find_item (watch->f, watch->receipt_id);

  if (item == NULL)
    watch->always_there = FALSE;
  else
    g_ptr_array_add (watch->states, GINT_TO_POINTER (er_history_item_get_state (item)));
}

typedef struct {
  const char *receipt_id;
  gboolean    seen;
} Delivered;

/* The session said it delivered receipt_id. */
static void
delivered_cb (ErReviewSession *session,
              ErOutboxEntry   *entry,
              Delivered       *delivered)
{
  if (g_str_equal (er_outbox_entry_get_receipt_id (entry), delivered->receipt_id))
    delivered->seen = TRUE;
}

/* Outbox entries waiting and in their undo delay; the sender delivers one:
 * it moves to DELIVERED through the session and never leaves the list;
 * once refreshed it is RECORDED. */
static void
test_delivered (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *soon = NULL;
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  Watch watch = { f, NULL, TRUE, g_ptr_array_new () };
  Delivered delivered = { NULL, FALSE };
  ErHistoryItem *item;

  decide (f, 0, TRUE);
  pause_sender (f);
  waiting = outbox_add (f, 1, TRUE, -1000);
  undo = outbox_add (f, 2, FALSE, 60 * 1000);
  soon = outbox_add (f, 3, TRUE, 3000);

  open_history (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 4);
  g_assert_cmpint (state_of (f, case_id (f, 0)), ==, ER_HISTORY_STATE_RECORDED);
  g_assert_cmpint (state_of (f, case_id (f, 1)), ==, ER_HISTORY_STATE_WAITING);
  g_assert_cmpint (state_of (f, case_id (f, 2)), ==, ER_HISTORY_STATE_UNDO);
  g_assert_cmpint (state_of (f, case_id (f, 3)), ==, ER_HISTORY_STATE_UNDO);
  item = find_item (f, case_id (f, 1));
  g_assert_cmpstr (er_history_item_get_status_text (item), ==, "Waiting to be sent");
  g_assert_cmpstr (er_history_item_get_name (item), ==, case_name (f, 1));
  item = find_item (f, case_id (f, 2));
  g_assert_cmpstr (er_history_item_get_status_text (item), ==, "In its undo delay");
  g_assert_cmpstr (er_reasons_get (er_history_item_get_reasons (item), ER_REASON_GROUP_USER_PHOTO)[0],
                   ==, "Face out of view");
  assert_order (f);
  assert_counts (f, 1, 0, 3, 0);

  /* Its undo delay ends: the model says so without being asked. */
  wait_state (f, case_id (f, 3), ER_HISTORY_STATE_WAITING);

  /* Taken back: it goes. */
  g_assert_true (er_outbox_take_back (outbox, undo, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_null (find_item (f, case_id (f, 2)));
  assert_counts (f, 1, 0, 2, 0);

  /* The sender goes: both are delivered, each moving WAITING → SENDING →
   * DELIVERED without leaving the list. */
  watch.receipt_id = case_id (f, 1);
  g_signal_connect (f->history, "items-changed", G_CALLBACK (watch_cb), &watch);
  delivered.receipt_id = case_id (f, 1);
  g_signal_connect (f->session, "delivered", G_CALLBACK (delivered_cb), &delivered);
  resume_sender (f);
  wait_state (f, case_id (f, 1), ER_HISTORY_STATE_DELIVERED);
  wait_state (f, case_id (f, 3), ER_HISTORY_STATE_DELIVERED);
  g_signal_handlers_disconnect_by_data (f->history, &watch);
  g_signal_handlers_disconnect_by_data (f->session, &delivered);
  g_assert_true (delivered.seen);
  g_assert_true (watch.always_there);
  g_assert_cmpuint (watch.states->len, >, 0);
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (watch.states, watch.states->len - 1)),
                   ==, ER_HISTORY_STATE_DELIVERED);
  /* The one notion: what the session says it delivered. */
  g_assert_true (er_review_session_is_decided (f->session, case_id (f, 1)));
  g_assert_cmpuint (er_review_session_get_delivered (f->session)->len, ==, 2);
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
  item = find_item (f, case_id (f, 1));
  g_assert_cmpstr (er_history_item_get_status_text (item), ==, "Sent");
  g_assert_null (er_history_item_get_error (item));
  assert_counts (f, 3, 0, 0, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);

  /* Refreshed: the server's list has them; nothing is listed twice. */
  er_history_refresh (f->history);
  wait_for (f, is_loaded, NULL);
  g_assert_cmpint (state_of (f, case_id (f, 1)), ==, ER_HISTORY_STATE_RECORDED);
  g_assert_cmpint (state_of (f, case_id (f, 3)), ==, ER_HISTORY_STATE_RECORDED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);
  assert_order (f);
  assert_counts (f, 3, 0, 0, 0);

  g_ptr_array_unref (watch.states);
}

/* A decision the server refuses for good (a colleague holds the case) is
 * FAILED, with why; one whose entry was marked failed is too. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/_fake/cases/%s/claim", case_id (f, 4));
  g_autofree char *claimed = NULL;
  g_autofree char *marked = NULL;
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  ErHistoryItem *item;

  g_assert_cmpuint (fake_process_post (f->fake, path, "{\"agent\": \"agent.roy\"}"), ==, 200);
  pause_sender (f);
  marked = outbox_add (f, 5, FALSE, -1000);
  g_assert_true (er_outbox_mark_sending (outbox, marked, &error));
  g_assert_no_error (error);
  g_assert_true (er_outbox_mark_failed (outbox, marked, "Someone else decided this case first.",
                                        &error));
  g_assert_no_error (error);

  open_history (f);
  item = find_item (f, case_id (f, 5));
  g_assert_cmpint (er_history_item_get_state (item), ==, ER_HISTORY_STATE_FAILED);
  g_assert_cmpstr (er_history_item_get_error (item), ==, "Someone else decided this case first.");
  g_assert_cmpstr (er_history_item_get_status_text (item), ==,
                   "Not recorded: Someone else decided this case first.");
  assert_counts (f, 0, 0, 0, 1);

  /* Through the sender: 409 claimed_by_other. */
  claimed = outbox_add (f, 4, TRUE, -1000);
  resume_sender (f);
  wait_state (f, case_id (f, 4), ER_HISTORY_STATE_FAILED);
  item = find_item (f, case_id (f, 4));
  g_assert_nonnull (er_history_item_get_error (item));
  g_assert_true (g_str_has_prefix (er_history_item_get_status_text (item), "Not recorded: "));
  g_assert_false (er_review_session_is_decided (f->session, case_id (f, 4)));
  assert_counts (f, 0, 0, 0, 2);

  /* Forgotten (the agent read them): they go. */
  g_assert_true (er_outbox_forget_failed (outbox, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  assert_counts (f, 0, 0, 0, 0);
}

static gboolean
is_offline (Fixture       *f,
            gconstpointer  data)
{
  return !er_history_get_loading (f->history) && er_history_get_offline (f->history);
}

/* The server goes down: the load says offline, the outbox's entries stay
 * (and the server's from the last load); back up, a refresh clears it. */
static void
test_model_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *waiting = NULL;
  g_autofree char *undo = NULL;

  decide (f, 0, FALSE);
  pause_sender (f);
  waiting = outbox_add (f, 1, TRUE, -1000);
  undo = outbox_add (f, 2, TRUE, 60 * 1000);
  open_history (f);
  g_assert_false (er_history_get_offline (f->history));
  assert_counts (f, 0, 1, 2, 0);

  fake_process_set_faults (f->fake, "{\"down\": true}");
  resume_sender (f);  /* its attempt fails too: the entry waits, with why */
  er_history_refresh (f->history);
  wait_for (f, is_offline, NULL);
  g_assert_nonnull (er_history_get_error (f->history));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);
  g_assert_cmpint (state_of (f, case_id (f, 0)), ==, ER_HISTORY_STATE_RECORDED);
  g_assert_cmpint (state_of (f, case_id (f, 2)), ==, ER_HISTORY_STATE_UNDO);
  g_assert_true (state_of (f, case_id (f, 1)) == ER_HISTORY_STATE_WAITING ||
                 state_of (f, case_id (f, 1)) == ER_HISTORY_STATE_SENDING);
  assert_counts (f, 0, 1, 2, 0);

  /* Back: once the sender delivers, the history loads again by itself. */
  fake_process_set_faults (f->fake, "{\"down\": false}");
  er_sender_retry (er_review_session_get_sender (f->session));
  wait_state (f, case_id (f, 1), ER_HISTORY_STATE_RECORDED);
  wait_for (f, is_loaded, NULL);
  g_assert_false (er_history_get_offline (f->history));
  g_assert_null (er_history_get_error (f->history));
  assert_counts (f, 1, 1, 1, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The outboxes' files in a fresh XDG_DATA_HOME (one per server: per test). */
  data_home = g_dir_make_tmp ("test-history-model-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_add ("/history-model/server", Fixture, NULL, fixture_setup, test_server, fixture_teardown);
  g_test_add ("/history-model/delivered", Fixture, NULL, fixture_setup, test_delivered,
              fixture_teardown);
  g_test_add ("/history-model/failed", Fixture, NULL, fixture_setup, test_failed, fixture_teardown);
  g_test_add ("/history-model/offline", Fixture, NULL, fixture_setup, test_model_offline,
              fixture_teardown);

  ret = g_test_run ();

  test_remove_tree (data_home);
  return ret;
}
