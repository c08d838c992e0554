/* test-review-session.c: ErReviewSession against the fake platform, driven
 * as the workspace drives it but without a widget: sign-in, the oldest case
 * opening by itself with its photos (really fetched over loopback HTTP,
 * decrypted and decoded) and its claim, the decision guard, undo, skip,
 * colleagues' claims, the queue model and closing.
 *
 * Each test has its own fake platform and its own XDG_DATA_HOME for the
 * outbox: G_TEST_OPTION_ISOLATE_DIRS gives g_get_user_data_dir() a fresh
 * temporary folder around each test's setup, body and teardown, removed
 * after. (A g_setenv ("XDG_DATA_HOME") per test would not do: GLib caches
 * the folder at its first lookup, and setenv() is unsafe once GIO's threads
 * run.)
 *
 * Tests wait on notifications and conditions with a deadline; a fixed wait
 * (run_for) only ever proves that nothing happens meanwhile.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "er-error.h"
#include "er-review-session.h"
#include "er-sign-in.h"
#include "fake-process.h"
#include "test-async.h"

#define WAIT_SECONDS 10
/* min-view-time for most tests: short, but long enough to be measured. */
#define FAST_VIEW_MS 200
/* How long the fake holds a claim request back in close-while-claiming. */
#define CLAIM_LATENCY_MS 700

typedef struct {
  const char *cases; /* the fake's --cases option */
} Options;

static const Options one_case = { "--cases=1" };
static const Options three_cases = { "--cases=3" };

typedef struct {
  FakeProcess     *fake;
  ErReviewSession *session;
  char            *data_home;

  /* What the session said, counted. */
  guint            current_notifies;
  guint            can_decide_notifies;
  guint            user_photo_notifies;
  guint            id_photo_notifies;
  guint            delivered;  /* the sender's "delivered" */
  guint            refreshed;  /* the queue's "refreshed" */
} Fixture;

/* ------------------------------------------------------------------------ */
/* Waiting                                                                  */

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until cond holds; fails after WAIT_SECONDS. The
 * tick keeps conditions on the fake's state (no event here) evaluated. */
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

/* Iterates for ms: only to show that something does NOT happen meanwhile. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  WAIT_UNTIL (done);
}

/* ------------------------------------------------------------------------ */
/* The fake platform's state                                                */

/* Pending receipt ids, oldest first (the fake keeps its cases sorted). */
static GPtrArray *
pending_ids (Fixture *f)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);

      if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0)
        g_ptr_array_add (ret, g_strdup (json_object_get_string_member (c, "receipt_id")));
    }
  return ret;
}

/* The agent holding a live claim on receipt_id on the platform, or NULL. */
static char *
fake_claimed_by (Fixture    *f,
                 const char *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *claim;

      if (g_strcmp0 (json_object_get_string_member (c, "receipt_id"), receipt_id) != 0)
        continue;
      if (!json_object_has_member (c, "claim"))
        return NULL;
      claim = json_object_get_object_member (c, "claim");
      return g_strdup (json_object_get_string_member (claim, "agent"));
    }
  g_error ("The fake has no case %s", receipt_id);
  return NULL;
}

static gboolean
fake_claim_is (Fixture    *f,
               const char *receipt_id,
               const char *agent)
{
  g_autofree char *by = fake_claimed_by (f, receipt_id);

  return g_strcmp0 (by, agent) == 0;
}

/* No case is claimed on the platform by agent (NULL: by anybody). */
static gboolean
fake_no_claim (Fixture    *f,
               const char *agent)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);

      if (json_object_has_member (c, "claim") &&
          (agent == NULL ||
           g_strcmp0 (json_object_get_string_member (json_object_get_object_member (c, "claim"), "agent"), agent) == 0))
        return FALSE;
    }
  return TRUE;
}

static guint
fake_n_decisions (Fixture *f)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);

  return json_array_get_length (json_object_get_array_member (state, "decisions"));
}

static const char *
fake_case_status (Fixture    *f,
                  const char *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (f->fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);

      if (g_strcmp0 (json_object_get_string_member (c, "receipt_id"), receipt_id) == 0)
        return g_intern_string (json_object_get_string_member (c, "status"));
    }
  g_error ("The fake has no case %s", receipt_id);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* The session                                                              */

static void
on_notify (ErReviewSession *session,
           GParamSpec      *pspec,
           Fixture         *f)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "current-case"))
    f->current_notifies++;
  else if (g_str_equal (name, "can-decide"))
    f->can_decide_notifies++;
  else if (g_str_equal (name, "user-photo"))
    f->user_photo_notifies++;
  else if (g_str_equal (name, "id-photo"))
    f->id_photo_notifies++;
}

static void
on_delivered (ErSender      *sender,
              ErOutboxEntry *entry,
              ErDecision    *decision,
              Fixture       *f)
{
  f->delivered++;
}

static void
on_refreshed (ErReviewQueue *queue,
              Fixture       *f)
{
  f->refreshed++;
}

static void
on_message (ErReviewSession *session,
            const char      *text,
            Fixture         *f)
{
  g_test_message ("session message: %s", text);
}

static ErReviewSession *
sign_in (Fixture     *f,
         const char  *key_file,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  er_sign_in_async (f->fake->api_url, "demo-token", key_file, NULL, NULL,
                    test_async_store, &result);
  return er_sign_in_finish (test_async_wait (&result), error);
}

/* Watches f->session, applies the settings (min_view_time < 0: the
 * default) and starts it. */
static void
start (Fixture *f,
       int      min_view_time,
       int      undo_delay)
{
  const char *outbox_path = er_outbox_get_path (er_review_session_get_outbox (f->session));

  /* This test's own outbox, in this test's own folder. */
  g_assert_true (g_str_has_prefix (outbox_path, f->data_home));

  if (min_view_time >= 0)
    g_object_set (f->session, "min-view-time", min_view_time, NULL);
  g_object_set (f->session, "undo-delay", undo_delay, NULL);
  g_signal_connect (f->session, "notify", G_CALLBACK (on_notify), f);
  g_signal_connect (f->session, "message", G_CALLBACK (on_message), f);
  g_signal_connect (er_review_session_get_sender (f->session), "delivered",
                    G_CALLBACK (on_delivered), f);
  g_signal_connect (er_review_session_get_queue (f->session), "refreshed",
                    G_CALLBACK (on_refreshed), f);
  er_review_session_start (f->session);
}

/* Signs in as agent.lavoie with the platform's key, then starts. */
static void
sign_in_and_start (Fixture *f,
                   int      min_view_time,
                   int      undo_delay)
{
  g_autoptr(GError) error = NULL;

  f->session = sign_in (f, f->fake->key_path, &error);
  g_assert_no_error (error);
  g_assert_true (ER_IS_REVIEW_SESSION (f->session));
  start (f, min_view_time, undo_delay);
}

static ErCase *
current (Fixture *f)
{
  return er_review_session_get_current_case (f->session);
}

static const char *
current_id (Fixture *f)
{
  return current (f) != NULL ? er_case_get_receipt_id (current (f)) : NULL;
}

static ErClaimState
claim_state (Fixture *f)
{
  int state;

  g_object_get (f->session, "claim-state", &state, NULL);
  g_assert_cmpint (state, ==, er_review_session_get_claim_state (f->session));
  return state;
}

static gboolean
photos_arrived (Fixture *f)
{
  return er_review_session_get_photo_state (f->session, ER_PHOTO_USER) != ER_PHOTO_STATE_LOADING &&
         er_review_session_get_photo_state (f->session, ER_PHOTO_ID) != ER_PHOTO_STATE_LOADING;
}

static guint
n_waiting (Fixture *f)
{
  guint n;

  g_object_get (f->session, "n-waiting", &n, NULL);
  return n;
}

static ErReasons *
some_reasons (void)
{
  ErReasons *reasons = er_reasons_new ();

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  return reasons;
}

/* A decision (approve or deny) on receipt_id is refused with code, by the
 * guard alone and by the call itself, and nothing changes: same case on
 * screen, nothing new in the outbox. */
static void
assert_refused (Fixture    *f,
                const char *receipt_id,
                gboolean    approve,
                gint64      press_time,
                ErRefusal   code)
{
  ErOutbox *outbox = er_review_session_get_outbox (f->session);
  g_autoptr(ErCase) before = current (f) != NULL ? g_object_ref (current (f)) : NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErReasons) reasons = some_reasons ();
  guint waiting = er_outbox_get_n_waiting (outbox);
  gboolean had = er_outbox_has_case (outbox, receipt_id);
  gboolean ok;

  g_assert_false (er_review_session_check (f->session, receipt_id, approve, press_time,
                                           &check_error));
  g_assert_error (check_error, ER_REFUSAL, (gint) code);

  if (approve)
    ok = er_review_session_approve (f->session, receipt_id, press_time, &error);
  else
    ok = er_review_session_deny (f->session, receipt_id, reasons, press_time, &error);
  g_assert_false (ok);
  g_assert_error (error, ER_REFUSAL, (gint) code);
  g_assert_cmpstr (error->message, !=, "");

  g_assert_true (current (f) == before);
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, waiting);
  g_assert_cmpint (er_outbox_has_case (outbox, receipt_id), ==, had);
}

static void
approve (Fixture    *f,
         const char *receipt_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (er_review_session_approve (f->session, receipt_id, g_get_monotonic_time (),
                                            &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                  */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Options *options = data;
  g_autofree char *app_dir = NULL;
  g_autofree char *key_arg = NULL;

  g_assert_nonnull (g_getenv ("ER_TEST_VECTORS"));
  /* G_TEST_OPTION_ISOLATE_DIRS: a folder for this test alone, which GLib
   * answers from g_get_user_data_dir() (where the outbox lives). */
  f->data_home = g_strdup (g_get_user_data_dir ());
  g_assert_true (g_str_has_prefix (f->data_home, g_get_tmp_dir ()));
  g_assert_true (strstr (f->data_home, g_test_get_path ()) != NULL);
  app_dir = g_build_filename (f->data_home, "edulib-reviewer", NULL);
  g_assert_false (g_file_test (app_dir, G_FILE_TEST_EXISTS));

  /* A known key instead of a fresh one: generating 2048-bit RSA keys would
   * take most of the time of a short test. */
  key_arg = g_strdup_printf ("--key=%s/rsa2048-pkcs8.pem", g_getenv ("ER_TEST_VECTORS"));
  f->fake = fake_process_start (options->cases, key_arg, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->session != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_signal_handlers_disconnect_by_data (f->session, f);
      g_signal_handlers_disconnect_by_data (er_review_session_get_sender (f->session), f);
      g_signal_handlers_disconnect_by_data (er_review_session_get_queue (f->session), f);
      er_review_session_close_async (f->session, NULL, test_async_store, &result);
      g_assert_true (er_review_session_close_finish (f->session, test_async_wait (&result),
                                                     &error));
      g_assert_no_error (error);
      g_clear_object (&result);
      /* Closing released the claim on the open case: heard by the platform
       * before it stops, so that no request outlives this test. */
      WAIT_UNTIL (fake_no_claim (f, "agent.lavoie"));

      /* Once closed and let go, nothing keeps the session alive (loads
       * cancelled by closing finish in idles). */
      g_object_add_weak_pointer (G_OBJECT (f->session), (gpointer *) &f->session);
      g_object_unref (f->session);
      WAIT_UNTIL (f->session == NULL);
    }
  g_clear_pointer (&f->fake, fake_process_stop);
  g_clear_pointer (&f->data_home, g_free);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

/* Started, the session opens the oldest pending case by itself, fetches and
 * decodes both photos and claims the case. */
static void
test_open_oldest (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = pending_ids (f);
  GListModel *queue;
  g_autoptr(ErCase) first = NULL;
  g_autoptr(ErPhotoImage) user_photo = NULL;
  g_autoptr(ErPhotoImage) id_photo = NULL;

  g_assert_cmpuint (pending->len, ==, 3);
  sign_in_and_start (f, FAST_VIEW_MS, 1);
  queue = G_LIST_MODEL (er_review_session_get_queue (f->session));
  g_assert_true (g_list_model_get_item_type (queue) == ER_TYPE_CASE);

  WAIT_UNTIL (current (f) != NULL);
  g_assert_cmpuint (f->current_notifies, ==, 1);
  g_assert_cmpstr (current_id (f), ==, g_ptr_array_index (pending, 0));
  /* The case on screen is the queue's own object, first in it. */
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 3);
  first = g_list_model_get_item (queue, 0);
  g_assert_true (first == current (f));

  WAIT_UNTIL (f->user_photo_notifies > 0 && f->id_photo_notifies > 0);
  g_object_get (f->session, "user-photo", &user_photo, "id-photo", &id_photo, NULL);
  g_assert_true (ER_IS_PHOTO_IMAGE (user_photo));
  g_assert_true (ER_IS_PHOTO_IMAGE (id_photo));
  g_assert_true (user_photo == er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_true (id_photo == er_review_session_get_photo (f->session, ER_PHOTO_ID));
  /* The fake's synthetic photos for its first case: a 640×480 webcam PNG
   * and a 1200×760 ID card JPEG, upright. */
  g_assert_cmpint (er_photo_image_get_width (user_photo), ==, 640);
  g_assert_cmpint (er_photo_image_get_height (user_photo), ==, 480);
  g_assert_cmpint (er_photo_image_get_width (id_photo), ==, 1200);
  g_assert_cmpint (er_photo_image_get_height (id_photo), ==, 760);
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_USER), ==, ER_PHOTO_STATE_READY);
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_ID), ==, ER_PHOTO_STATE_READY);
  g_assert_null (er_review_session_get_photo_error (f->session, ER_PHOTO_USER));
  g_assert_null (er_review_session_get_photo_error (f->session, ER_PHOTO_ID));

  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, current_id (f), "agent.lavoie"));
  g_assert_null (er_review_session_get_status (f->session));

  /* Not on screen: no decision yet, however long. */
  g_assert_false (er_review_session_get_case_visible (f->session));
  g_assert_false (er_review_session_get_can_decide (f->session));
  g_assert_cmpuint (f->current_notifies, ==, 1);
}

/* Every refusal of the guard, in the order an agent could meet them; then
 * the decision is taken once the case has been visible long enough. */
static void
test_guard (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = pending_ids (f);
  const char *first_id = g_ptr_array_index (pending, 0);
  const char *second_id = g_ptr_array_index (pending, 1);
  gint64 before_start = g_get_monotonic_time ();
  gint64 shown_at, press;
  guint notifies;
  g_autoptr(GError) error = NULL;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  /* The case view is on screen before the case arrives, as in the window. */
  er_review_session_set_case_visible (f->session, TRUE);

  /* Photos still on their way. */
  WAIT_UNTIL (current (f) != NULL);
  g_assert_cmpstr (current_id (f), ==, first_id);
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_USER), ==, ER_PHOTO_STATE_LOADING);
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_ID), ==, ER_PHOTO_STATE_LOADING);
  g_assert_nonnull (er_review_session_get_status (f->session));
  assert_refused (f, first_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_PHOTOS_LOADING);
  assert_refused (f, first_id, FALSE, g_get_monotonic_time (), ER_REFUSAL_PHOTOS_LOADING);

  /* Hidden (say behind the queue on a narrow window) while the photos
   * arrive: refused, and the time hidden does not count. */
  er_review_session_set_case_visible (f->session, FALSE);
  WAIT_UNTIL (photos_arrived (f));
  g_assert_nonnull (er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_nonnull (er_review_session_get_photo (f->session, ER_PHOTO_ID));
  assert_refused (f, first_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_NOT_VISIBLE);
  run_for (FAST_VIEW_MS + 100);
  g_assert_false (er_review_session_get_can_decide (f->session));
  assert_refused (f, first_id, FALSE, g_get_monotonic_time (), ER_REFUSAL_NOT_VISIBLE);

  /* Shown: too soon, then can-decide turns TRUE by itself once
   * min-view-time has passed. */
  notifies = f->can_decide_notifies;
  shown_at = g_get_monotonic_time ();
  er_review_session_set_case_visible (f->session, TRUE);
  g_assert_false (er_review_session_get_can_decide (f->session));
  assert_refused (f, first_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_TOO_SOON);
  WAIT_UNTIL (f->can_decide_notifies > notifies);
  g_assert_cmpint (g_get_monotonic_time () - shown_at, >=, FAST_VIEW_MS * 1000);
  g_assert_true (er_review_session_get_can_decide (f->session));
  g_assert_true (er_review_session_get_can_approve (f->session));

  /* Another case than the one on screen. */
  assert_refused (f, second_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_OTHER_CASE);
  assert_refused (f, "00000000-0000-4000-8000-000000000000", FALSE, g_get_monotonic_time (),
                  ER_REFUSAL_OTHER_CASE);
  /* A key pressed before this case was on screen (held, repeating). */
  assert_refused (f, first_id, TRUE, before_start, ER_REFUSAL_KEY_HELD);
  assert_refused (f, first_id, FALSE, before_start, ER_REFUSAL_KEY_HELD);

  /* None of that was recorded or sent. */
  g_assert_cmpuint (n_waiting (f), ==, 0);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, first_id), ==, 0);
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);

  /* Accepted: the next case opens. */
  press = g_get_monotonic_time ();
  g_assert_true (er_review_session_check (f->session, first_id, TRUE, press, &error));
  g_assert_no_error (error);
  g_assert_true (er_review_session_approve (f->session, first_id, press, &error));
  g_assert_no_error (error);
  g_assert_true (er_review_session_is_decided (f->session, first_id));
  g_assert_cmpuint (n_waiting (f), ==, 1);
  g_assert_cmpstr (current_id (f), ==, second_id);
  g_assert_false (er_review_session_get_can_decide (f->session));

  /* The previous case again (a second click on a stale button). */
  assert_refused (f, first_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_OTHER_CASE);

  /* The press that approved the first case, seen again for the second one
   * once it could be decided: a held key. */
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  assert_refused (f, second_id, TRUE, press, ER_REFUSAL_KEY_HELD);
  assert_refused (f, second_id, FALSE, press, ER_REFUSAL_KEY_HELD);

  /* After the undo delay, the one decision arrives. */
  WAIT_UNTIL (f->delivered == 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, first_id), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, second_id), ==, 0);
  g_assert_cmpstr (fake_case_status (f, first_id), ==, "approved");
}

/* The default min-view-time is ER_REVIEW_SESSION_MIN_VIEW_MS. */
static void
test_default_min_view_time (Fixture       *f,
                            gconstpointer  data)
{
  int min_view_time = 0;
  gint64 shown_at;
  guint notifies;
  const char *id;

  sign_in_and_start (f, -1, 1);
  g_object_get (f->session, "min-view-time", &min_view_time, NULL);
  g_assert_cmpint (min_view_time, ==, ER_REVIEW_SESSION_MIN_VIEW_MS);
  g_assert_cmpint (ER_REVIEW_SESSION_MIN_VIEW_MS, ==, 500);

  WAIT_UNTIL (current (f) != NULL && photos_arrived (f));
  id = current_id (f);
  notifies = f->can_decide_notifies;
  shown_at = g_get_monotonic_time ();
  er_review_session_set_case_visible (f->session, TRUE);
  assert_refused (f, id, TRUE, g_get_monotonic_time (), ER_REFUSAL_TOO_SOON);

  /* Not a moment before the default has passed (with 200 ms, as the other
   * tests set, it would come at 200 ms). */
  WAIT_UNTIL (f->can_decide_notifies > notifies);
  g_assert_cmpint (g_get_monotonic_time () - shown_at, >=, ER_REVIEW_SESSION_MIN_VIEW_MS * 1000);
  g_assert_true (er_review_session_get_can_decide (f->session));
  g_assert_cmpuint (f->can_decide_notifies, ==, notifies + 1);
  approve (f, id);
}

/* A double press 80 ms apart decides one case, not two. With the default
 * min-view-time: 80 ms stays well short of it even on a busy machine. */
static void
test_double_press (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *next_id = NULL;
  gboolean ok;

  sign_in_and_start (f, -1, 1);
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  first_id = g_strdup (current_id (f));

  approve (f, first_id);
  run_for (80);

  /* The second press lands on the case now on screen, with its own, fresh
   * press time: that case has not been looked at yet. */
  next_id = g_strdup (current_id (f));
  g_assert_nonnull (next_id);
  g_assert_cmpstr (next_id, !=, first_id);
  ok = er_review_session_approve (f->session, next_id, g_get_monotonic_time (), &error);
  g_assert_false (ok);
  g_assert_true (g_error_matches (error, ER_REFUSAL, ER_REFUSAL_PHOTOS_LOADING) ||
                 g_error_matches (error, ER_REFUSAL, ER_REFUSAL_TOO_SOON));
  /* Or with the first case's id, as a stale button would. */
  assert_refused (f, first_id, TRUE, g_get_monotonic_time (), ER_REFUSAL_OTHER_CASE);
  g_assert_cmpstr (current_id (f), ==, next_id);
  g_assert_cmpuint (n_waiting (f), ==, 1);

  WAIT_UNTIL (f->delivered == 1);
  g_assert_cmpuint (fake_n_decisions (f), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, first_id), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, next_id), ==, 0);
}

static char *
write_other_key (Fixture       *f,
                 ErPrivateKey **key_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = er_private_key_generate (2048, &error);
  g_autofree char *pem = NULL;
  char *path;

  g_assert_no_error (error);
  pem = er_private_key_to_pem (key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (f->data_home, 0700), ==, 0);
  path = g_build_filename (f->data_home, "other-key.pem", NULL);
  g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
  if (key_out != NULL)
    *key_out = g_steal_pointer (&key);
  return path;
}

/* A valid key that is not the platform's: sign-in refuses it before
 * anything is listed or claimed. */
static void
test_key_mismatch (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = write_other_key (f, NULL);
  g_autoptr(ErReviewSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (f, path, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH);
  g_assert_null (session);
  g_assert_true (fake_no_claim (f, NULL));
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);
}

/* With the wrong key (a session made without sign-in's check), no photo
 * can be shown: the case can be denied, never approved. */
static void
test_photo_unavailable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ErPrivateKey) wrong_key = NULL;
  g_autofree char *path = write_other_key (f, &wrong_key);
  g_autoptr(ErClient) client = NULL;
  g_autoptr(ErAgent) agent = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErReasons) reasons = some_reasons ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  client = er_client_new (f->fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  er_client_get_me_async (client, NULL, test_async_store, &result);
  agent = er_client_get_me_finish (client, test_async_wait (&result), &error);
  g_assert_no_error (error);

  f->session = er_review_session_new (client, wrong_key, agent);
  start (f, FAST_VIEW_MS, 1);
  er_review_session_set_case_visible (f->session, TRUE);

  WAIT_UNTIL (current (f) != NULL && photos_arrived (f));
  id = g_strdup (current_id (f));
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_USER), ==, ER_PHOTO_STATE_FAILED);
  g_assert_cmpint (er_review_session_get_photo_state (f->session, ER_PHOTO_ID), ==, ER_PHOTO_STATE_FAILED);
  g_assert_null (er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_null (er_review_session_get_photo (f->session, ER_PHOTO_ID));
  g_assert_cmpstr (er_review_session_get_photo_error (f->session, ER_PHOTO_USER), !=, "");
  g_assert_cmpstr (er_review_session_get_photo_error (f->session, ER_PHOTO_ID), !=, "");

  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  g_assert_false (er_review_session_get_can_approve (f->session));
  assert_refused (f, id, TRUE, g_get_monotonic_time (), ER_REFUSAL_PHOTO_UNAVAILABLE);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, id), ==, 0);

  g_assert_true (er_review_session_deny (f->session, id, reasons, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (current_id (f), !=, id);
  WAIT_UNTIL (f->delivered == 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, id), ==, 1);
  g_assert_cmpstr (fake_case_status (f, id), ==, "denied");
}

/* Undo within the delay: the case comes back and nothing is sent. Decided
 * again, the decision arrives once, after the delay. */
static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  ErReviewQueue *queue;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  guint position = G_MAXUINT;
  gboolean can_undo;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  queue = er_review_session_get_queue (f->session);
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  id = g_strdup (current_id (f));
  label = g_strdup_printf ("Approved: %s", er_case_get_expected_name (current (f)));

  approve (f, id);
  g_object_get (f->session, "can-undo", &can_undo, NULL);
  g_assert_true (can_undo);
  g_assert_cmpstr (er_review_session_get_undo_label (f->session), ==, label);
  g_assert_cmpstr (current_id (f), !=, id);
  g_assert_false (er_review_queue_find (queue, id, NULL));
  g_assert_cmpuint (n_waiting (f), ==, 1);

  g_assert_true (er_review_session_undo (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (current_id (f), ==, id);
  g_assert_true (er_review_queue_find (queue, id, &position));
  g_assert_cmpuint (position, ==, 0);
  g_assert_false (er_review_session_is_decided (f->session, id));
  g_assert_false (er_review_session_get_can_undo (f->session));
  g_assert_null (er_review_session_get_undo_label (f->session));
  g_assert_cmpuint (n_waiting (f), ==, 0);
  /* Opened again: its photos and its claim. */
  WAIT_UNTIL (photos_arrived (f) && claim_state (f) == ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, id, "agent.lavoie"));

  /* Past the delay: nothing was sent. */
  run_for (1000 + 300);
  g_assert_cmpuint (f->delivered, ==, 0);
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);

  /* Decided again: it arrives once the delay is over, and only once. */
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  approve (f, id);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, id), ==, 0);
  WAIT_UNTIL (f->delivered == 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, id), ==, 1);
  WAIT_UNTIL (!er_review_session_get_can_undo (f->session));
  g_clear_error (&error);
  g_assert_false (er_review_session_undo (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO);
  run_for (300);
  g_assert_cmpuint (f->delivered, ==, 1);
  g_assert_cmpuint (fake_n_decisions (f), ==, 1);
}

/* Skip leaves the case to colleagues: its claim is released on the
 * platform, and another case opens. */
static void
test_skip (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  WAIT_UNTIL (current (f) != NULL && claim_state (f) == ER_CLAIM_HELD);
  skipped = g_strdup (current_id (f));
  g_assert_true (fake_claim_is (f, skipped, "agent.lavoie"));

  g_assert_true (er_review_session_skip (f->session, &error));
  g_assert_no_error (error);
  g_assert_nonnull (current (f));
  g_assert_cmpstr (current_id (f), !=, skipped);
  /* Skipped, not decided: still in the queue. */
  g_assert_true (er_review_queue_find (er_review_session_get_queue (f->session), skipped, NULL));
  g_assert_false (er_review_session_is_decided (f->session, skipped));

  WAIT_UNTIL (fake_claim_is (f, skipped, NULL));
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, current_id (f), "agent.lavoie"));
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);
}

/* A skip can be taken back as long as a decision: the skipped case opens
 * again (claimed again), named in undo-label; after the delay it cannot. */
static void
test_skip_undo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;
  g_autofree char *label = NULL;

  sign_in_and_start (f, FAST_VIEW_MS, 2);
  WAIT_UNTIL (current (f) != NULL && claim_state (f) == ER_CLAIM_HELD);
  skipped = g_strdup (current_id (f));
  label = g_strdup_printf ("Skipped: %s", er_case_get_expected_name (current (f)));

  g_assert_true (er_review_session_skip (f->session, &error));
  g_assert_no_error (error);
  g_assert_true (er_review_session_get_can_undo (f->session));
  g_assert_cmpstr (er_review_session_get_undo_label (f->session), ==, label);
  g_assert_cmpuint (er_review_session_get_undo_seconds_left (f->session), ==, 2);
  WAIT_UNTIL (fake_claim_is (f, skipped, NULL));

  g_assert_true (er_review_session_undo (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (current_id (f), ==, skipped);
  g_assert_false (er_review_session_get_can_undo (f->session));
  g_assert_cmpuint (er_review_session_get_undo_seconds_left (f->session), ==, 0);
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD && fake_claim_is (f, skipped, "agent.lavoie"));

  /* Skipped again and left past the delay: no undo any more. */
  g_assert_true (er_review_session_skip (f->session, &error));
  WAIT_UNTIL (!er_review_session_get_can_undo (f->session));
  g_assert_false (er_review_session_undo (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO);
  g_assert_cmpstr (current_id (f), !=, skipped);
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);
}

/* undo-seconds-left counts the newest decision's delay down, second by
 * second, to 0 when it can no longer be undone. */
static void
test_undo_countdown (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *id = NULL;
  guint last = G_MAXUINT;
  gint64 deadline;

  sign_in_and_start (f, FAST_VIEW_MS, 3);
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  id = g_strdup (current_id (f));
  approve (f, id);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (er_review_session_get_can_undo (f->session))
    {
      guint left = er_review_session_get_undo_seconds_left (f->session);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (left != last)
        g_array_append_val (seen, left);
      last = left;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (er_review_session_get_undo_seconds_left (f->session), ==, 0);
  /* 3, 2, 1: each second shown, in order (the first may be missed on a
   * slow machine, never one after it). */
  g_assert_cmpuint (seen->len, >=, 2);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint, i), ==, g_array_index (seen, guint, 0) - i);
  g_assert_cmpuint (g_array_index (seen, guint, seen->len - 1), ==, 1);
  g_assert_cmpuint (g_array_index (seen, guint, 0), <=, 3);
  WAIT_UNTIL (f->delivered == 1);
}

/* Nothing else to open: skip fails and the case stays, claimed. */
static void
test_skip_single (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ErCase *only;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  WAIT_UNTIL (current (f) != NULL && claim_state (f) == ER_CLAIM_HELD);
  only = current (f);

  g_assert_false (er_review_session_skip (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_NO_OTHER_CASE);
  g_assert_true (current (f) == only);
  g_assert_cmpint (claim_state (f), ==, ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, er_case_get_receipt_id (only), "agent.lavoie"));
}

/* A case a colleague claims leaves the queue at the next refresh and is
 * never opened. */
static void
test_colleague_claim (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = pending_ids (f);
  const char *theirs = g_ptr_array_index (pending, 2);
  g_autofree char *path = g_strdup_printf ("/_fake/cases/%s/claim", theirs);
  ErReviewQueue *queue;
  g_autoptr(GError) error = NULL;
  ErCase *open;
  guint refreshed;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  queue = er_review_session_get_queue (f->session);
  WAIT_UNTIL (current (f) != NULL && claim_state (f) == ER_CLAIM_HELD);
  open = current (f);
  g_assert_true (er_review_queue_find (queue, theirs, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);

  g_assert_cmpuint (fake_process_post (f->fake, path, "{\"agent\":\"agent.roy\"}"), ==, 200);
  refreshed = f->refreshed;
  er_review_session_refresh (f->session);
  WAIT_UNTIL (f->refreshed > refreshed);

  g_assert_false (er_review_queue_find (queue, theirs, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  g_assert_true (current (f) == open);

  /* Skipping round the queue never lands on it. */
  g_assert_true (er_review_session_skip (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (current_id (f), ==, g_ptr_array_index (pending, 1));
  g_assert_true (er_review_session_skip (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (current_id (f), ==, g_ptr_array_index (pending, 0));
  g_assert_true (fake_claim_is (f, theirs, "agent.roy"));
}

/* Closing sends the decisions still in their undo delay at once, releases
 * the claim and finishes; nothing is current after. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decided = NULL;
  g_autofree char *open = NULL;
  gint64 started;

  sign_in_and_start (f, FAST_VIEW_MS, 30);
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  decided = g_strdup (current_id (f));
  approve (f, decided);
  open = g_strdup (current_id (f));
  g_assert_nonnull (open);
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, open, "agent.lavoie"));
  g_assert_cmpuint (fake_process_count_decisions (f->fake, decided), ==, 0);

  started = g_get_monotonic_time ();
  er_review_session_close_async (f->session, NULL, test_async_store, &result);
  g_assert_true (er_review_session_close_finish (f->session, test_async_wait (&result), &error));
  g_assert_no_error (error);
  /* Not after the 30 s undo delay, nor after the 10 s close timeout. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, decided), ==, 1);
  g_assert_cmpuint (f->delivered, ==, 1);

  g_assert_null (current (f));
  g_assert_cmpint (claim_state (f), ==, ER_CLAIM_ENDED);
  g_assert_false (er_review_session_get_can_decide (f->session));
  g_assert_false (er_review_session_get_can_undo (f->session));
  g_assert_null (er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_null (er_review_session_get_key (f->session));
  assert_refused (f, open, TRUE, g_get_monotonic_time (), ER_REFUSAL_NO_CASE);
  g_clear_error (&error);
  g_assert_false (er_review_session_skip (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_NO_CASE);
  g_clear_error (&error);
  g_assert_false (er_review_session_undo (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO);
  WAIT_UNTIL (fake_claim_is (f, open, NULL));

  /* Closed for good: a refresh opens nothing. */
  er_review_session_refresh (f->session);
  run_for (300);
  g_assert_null (current (f));
  g_assert_cmpuint (fake_n_decisions (f), ==, 1);
}

/* Closed while the claim request is still under way: the claim must not
 * land on the platform after the release and hold the case for colleagues
 * for 15 minutes. The fake holds API requests back (latency) while the case
 * opens, then answers at once: a release sent at once would overtake the
 * claim. */
static void
test_close_while_claiming (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 opened_at, delayed;

  f->session = sign_in (f, f->fake->key_path, &error);
  g_assert_no_error (error);
  fake_process_set_faults (f->fake, "{\"latency_ms\": " G_STRINGIFY (CLAIM_LATENCY_MS) "}");
  start (f, FAST_VIEW_MS, 1);
  WAIT_UNTIL (current (f) != NULL);
  opened_at = g_get_monotonic_time ();
  id = g_strdup (current_id (f));
  /* The claim and the ID photo (the API's) have reached the platform and
   * are held back there; the claim is still under way. */
  delayed = fake_process_fault_count (f->fake, "delayed");
  WAIT_UNTIL (fake_process_fault_count (f->fake, "delayed") >= delayed + 2);
  g_assert_cmpint (claim_state (f), ==, ER_CLAIM_CLAIMING);

  fake_process_set_faults (f->fake, "{\"latency_ms\": 0}");
  er_review_session_close_async (f->session, NULL, test_async_store, &result);
  g_assert_true (er_review_session_close_finish (f->session, test_async_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (claim_state (f), ==, ER_CLAIM_ENDED);

  /* Past the moment the held-back claim request is applied, the case is
   * free. */
  run_for (MAX (0, CLAIM_LATENCY_MS + 300 - (g_get_monotonic_time () - opened_at) / 1000));
  WAIT_UNTIL (fake_claim_is (f, id, NULL));
}

/* A case decided here stays out of the queue model, even though the server
 * still lists it while its decision waits. */
static void
test_queue_leaves_out_decided (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = pending_ids (f);
  const char *decided = g_ptr_array_index (pending, 0);
  ErReviewQueue *queue;
  GListModel *model;
  guint refreshed;

  sign_in_and_start (f, FAST_VIEW_MS, 30);
  queue = er_review_session_get_queue (f->session);
  model = G_LIST_MODEL (queue);
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  g_assert_cmpstr (current_id (f), ==, decided);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  approve (f, decided);
  g_assert_false (er_review_queue_find (queue, decided, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  /* The next case is claimed, so the server's list is a new one. */
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD);

  refreshed = f->refreshed;
  er_review_session_refresh (f->session);
  WAIT_UNTIL (f->refreshed > refreshed);
  g_assert_cmpstr (fake_case_status (f, decided), ==, "pending");
  g_assert_false (er_review_queue_find (queue, decided, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (model, i);

      g_assert_cmpstr (er_case_get_receipt_id (kase), ==, g_ptr_array_index (pending, i + 1));
    }

  /* A fresh search (no ETag) lists it again too. */
  refreshed = f->refreshed;
  er_review_session_set_query (f->session, NULL, NULL);
  WAIT_UNTIL (f->refreshed > refreshed);
  g_assert_false (er_review_queue_find (queue, decided, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (fake_n_decisions (f), ==, 0);
}

/* "checking" is TRUE while the list is asked for, and "checked-at" moves
 * with every answer, a 304 (nothing changed) included: what the end of the
 * queue shows the agent. */
static void
test_queue_checked_at (Fixture       *f,
                       gconstpointer  data)
{
  ErReviewQueue *queue;
  g_autoptr(GDateTime) first = NULL;
  GDateTime *second;

  sign_in_and_start (f, FAST_VIEW_MS, 1);
  queue = er_review_session_get_queue (f->session);
  WAIT_UNTIL (er_review_queue_get_checked_at (queue) != NULL);
  g_assert_false (er_review_queue_get_checking (queue));
  first = g_date_time_ref (er_review_queue_get_checked_at (queue));

  run_for (20);
  er_review_session_refresh (f->session);
  g_assert_true (er_review_queue_get_checking (queue));
  WAIT_UNTIL (!er_review_queue_get_checking (queue));
  second = er_review_queue_get_checked_at (queue);
  g_assert_nonnull (second);
  g_assert_cmpint (g_date_time_compare (second, first), >, 0);
}

/* ------------------------------------------------------------------------ */
/* Prompt recovery                                                          */

typedef struct {
  Fixture    *f;
  const char *recover;    /* faults once the first failure is seen */
  gint64      failed_at;  /* the first "retrying" */
  gint64      answered_at;
  guint       retries;
  char       *status;     /* the session's status during the first retry */
  guint       first_delay_ms;  /* the wait before the first retry */
} Recovery;

static void
on_retrying (ErClient      *client,
             ErRequestKind  kind,
             guint          attempt,
             guint          delay_ms,
             GError        *error,
             Recovery      *r)
{
  r->retries++;
  if (r->failed_at != 0)
    return;
  r->failed_at = g_get_monotonic_time ();
  r->first_delay_ms = delay_ms;
  /* The session heard it first: the screen says what it waits for. */
  r->status = g_strdup (er_review_session_get_status (r->f->session));
  g_assert_cmpint (kind, ==, ER_REQUEST_CASES);
  fake_process_set_faults (r->f->fake, r->recover);
}

static void
on_answered (ErReviewQueue *queue,
             Recovery      *r)
{
  if (r->answered_at == 0)
    r->answered_at = g_get_monotonic_time ();
}

/* The case list meets a transient failure (faults): it is asked for again
 * within about a second, not at the next poll, while the session's status
 * says so; then the oldest case opens and the status is clear again. */
static void
check_recovery (Fixture    *f,
                const char *faults,
                double      max_seconds)
{
  Recovery r = { f, "{\"reset\": true}", 0, 0, 0, NULL };
  g_autoptr(GError) error = NULL;

  f->session = sign_in (f, f->fake->key_path, &error);
  g_assert_no_error (error);
  g_signal_connect (er_review_session_get_client (f->session), "retrying",
                    G_CALLBACK (on_retrying), &r);
  g_signal_connect (er_review_session_get_queue (f->session), "answered",
                    G_CALLBACK (on_answered), &r);
  fake_process_set_faults (f->fake, faults);
  start (f, FAST_VIEW_MS, 5);

  WAIT_UNTIL (r.answered_at != 0);
  g_test_message ("first failure to list answered: %.3f s", (r.answered_at - r.failed_at) / 1e6);
  g_assert_cmpint (r.failed_at, >, 0);
  /* The retry was asked for soon enough: its wait, not the clock, is
   * checked (the clock would flake under sanitizers or on a loaded machine). */
  g_assert_cmpfloat (r.first_delay_ms / 1e3, <, max_seconds);
  g_assert_nonnull (r.status);
  g_assert_nonnull (strstr (r.status, "pending cases"));

  WAIT_UNTIL (current (f) != NULL && photos_arrived (f));
  g_assert_cmpstr (er_review_session_get_status (f->session), ==, NULL);
  g_signal_handlers_disconnect_by_data (er_review_session_get_client (f->session), &r);
  g_signal_handlers_disconnect_by_data (er_review_session_get_queue (f->session), &r);
  g_free (r.status);
}

static void
test_recover_503 (Fixture       *f,
                  gconstpointer  data)
{
  check_recovery (f, "{\"fail_rate\": 1.0}", 1.5);
}

static void
test_recover_reset (Fixture       *f,
                    gconstpointer  data)
{
  check_recovery (f, "{\"drop_rate\": 1.0}", 1.5);
}

/* A 429 is asked again after its Retry-After (1 s), not sooner. */
static void
test_recover_429 (Fixture       *f,
                  gconstpointer  data)
{
  check_recovery (f, "{\"burst_429\": {\"count\": 1}}", 2.5);
}

/* Locking (the agent walked away): the open case's claim is given back on
 * the platform, every photo leaves memory, the queue is emptied, nothing
 * can be decided, undone or skipped; a decision still in its undo delay is
 * sent all the same. Unlocking opens the oldest case with its photos. */
static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  ErPrefetch *prefetch;
  GListModel *queue;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *decided = NULL;
  g_autofree char *open = NULL;
  gboolean locked = FALSE;

  sign_in_and_start (f, FAST_VIEW_MS, 2);
  prefetch = er_review_session_get_prefetch (f->session);
  queue = G_LIST_MODEL (er_review_session_get_queue (f->session));
  er_review_session_set_case_visible (f->session, TRUE);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  decided = g_strdup (current_id (f));
  approve (f, decided);
  g_assert_true (er_review_session_get_can_undo (f->session));
  WAIT_UNTIL (current (f) != NULL && photos_arrived (f) && claim_state (f) == ER_CLAIM_HELD);
  open = g_strdup (current_id (f));
  g_assert_true (fake_claim_is (f, open, "agent.lavoie"));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), >, 0);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, decided), ==, 0);

  er_review_session_lock (f->session);
  g_object_get (f->session, "locked", &locked, NULL);
  g_assert_true (locked);
  g_assert_null (current (f));
  g_assert_null (er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_null (er_review_session_get_photo (f->session, ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 0);
  g_assert_cmpint (claim_state (f), ==, ER_CLAIM_ENDED);
  /* Nobody's name on screen, nothing to take back while locked. */
  g_assert_false (er_review_session_get_can_undo (f->session));
  g_assert_null (er_review_session_get_undo_label (f->session));
  g_assert_false (er_review_session_get_can_decide (f->session));
  assert_refused (f, open, TRUE, 0, ER_REFUSAL_LOCKED);
  assert_refused (f, open, FALSE, 0, ER_REFUSAL_LOCKED);
  g_assert_false (er_review_session_undo (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_LOCKED);
  g_clear_error (&error);
  g_assert_false (er_review_session_skip (f->session, &error));
  g_assert_error (error, ER_REFUSAL, ER_REFUSAL_LOCKED);
  g_clear_error (&error);
  /* Refreshing or searching lists nothing while locked. */
  er_review_session_refresh (f->session);
  er_review_session_set_query (f->session, "a", NULL);

  /* The release reached the platform; the decision goes when due. */
  WAIT_UNTIL (fake_claim_is (f, open, NULL));
  WAIT_UNTIL (f->delivered == 1);
  g_assert_cmpuint (fake_process_count_decisions (f->fake, decided), ==, 1);
  /* No photo came back meanwhile, no list, no case. */
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 0);
  g_assert_null (current (f));
  g_assert_true (fake_no_claim (f, "agent.lavoie"));

  /* Unlocked: the queue again, its oldest case with both photos, claimed;
   * the guard starts afresh. */
  pending = pending_ids (f);
  er_review_session_unlock (f->session);
  g_assert_false (er_review_session_get_locked (f->session));
  WAIT_UNTIL (current (f) != NULL);
  g_assert_cmpstr (current_id (f), ==, g_ptr_array_index (pending, 0));
  g_assert_false (er_review_session_get_can_decide (f->session));
  WAIT_UNTIL (photos_arrived (f) && claim_state (f) == ER_CLAIM_HELD);
  g_assert_nonnull (er_review_session_get_photo (f->session, ER_PHOTO_USER));
  g_assert_nonnull (er_review_session_get_photo (f->session, ER_PHOTO_ID));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), >=, 2);
  g_assert_true (fake_claim_is (f, current_id (f), "agent.lavoie"));
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, pending->len);
  WAIT_UNTIL (er_review_session_get_can_decide (f->session));
  approve (f, current_id (f));
}

static gboolean
set_active_cb (gpointer user_data)
{
  er_review_session_set_active (user_data);
  return G_SOURCE_CONTINUE;
}

/* An idle agent keeps no claim: with no activity when the renewal falls
 * due, the claim is given back; the next activity claims the case again;
 * an active agent's claim is renewed. */
static void
test_idle_claim (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  guint ticker;

  er_claim_set_renew_interval (300);
  sign_in_and_start (f, FAST_VIEW_MS, 1);
  WAIT_UNTIL (current (f) != NULL && claim_state (f) == ER_CLAIM_HELD);
  id = g_strdup (current_id (f));
  g_assert_true (fake_claim_is (f, id, "agent.lavoie"));

  /* Idle: given back when due. */
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_ENDED);
  WAIT_UNTIL (fake_claim_is (f, id, NULL));
  g_assert_cmpstr (current_id (f), ==, id);

  /* Back at the screen: claimed again. */
  er_review_session_set_active (f->session);
  WAIT_UNTIL (claim_state (f) == ER_CLAIM_HELD);
  g_assert_true (fake_claim_is (f, id, "agent.lavoie"));

  /* Active: renewed, never given back. */
  ticker = g_timeout_add (50, set_active_cb, f->session);
  for (guint i = 0; i < 10; i++)
    {
      run_for (100);
      g_assert_cmpint (claim_state (f), !=, ER_CLAIM_ENDED);
    }
  g_source_remove (ticker);
  g_assert_true (fake_claim_is (f, id, "agent.lavoie"));
  er_claim_set_renew_interval (0);
}

int
main (int    argc,
      char **argv)
{
  /* Made first, while GLib still sees the system's data folders: once the
   * folders are isolated they hold no GSettings schema, and the proxy
   * resolver that libsoup uses could not find its own. */
  g_proxy_resolver_get_default ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, options, func) \
  g_test_add ("/review-session/" path, Fixture, &options, fixture_set_up, func, fixture_tear_down)
  ADD ("open-oldest", three_cases, test_open_oldest);
  ADD ("guard", three_cases, test_guard);
  ADD ("default-min-view-time", three_cases, test_default_min_view_time);
  ADD ("double-press", three_cases, test_double_press);
  ADD ("key-mismatch", one_case, test_key_mismatch);
  ADD ("photo-unavailable", three_cases, test_photo_unavailable);
  ADD ("undo", three_cases, test_undo);
  ADD ("skip", three_cases, test_skip);
  ADD ("skip-single", one_case, test_skip_single);
  ADD ("skip-undo", three_cases, test_skip_undo);
  ADD ("queue-checked-at", three_cases, test_queue_checked_at);
  ADD ("undo-countdown", three_cases, test_undo_countdown);
  ADD ("colleague-claim", three_cases, test_colleague_claim);
  ADD ("close", three_cases, test_close);
  ADD ("close-while-claiming", one_case, test_close_while_claiming);
  ADD ("queue-leaves-out-decided", three_cases, test_queue_leaves_out_decided);
  ADD ("recover-503", one_case, test_recover_503);
  ADD ("recover-reset", one_case, test_recover_reset);
  ADD ("recover-429", one_case, test_recover_429);
  ADD ("lock", three_cases, test_lock);
  ADD ("idle-claim", one_case, test_idle_claim);
#undef ADD

  return g_test_run ();
}
