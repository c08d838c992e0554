/* test-case-header.c: what the open case's header and the queue rows are
 * made of, without a window, against the fake platform:
 *   - the order behind an e-mailed case (ErCaseOrder): its course and
 *     verification deadline (past or not), a 404 unknown_invoice, a server
 *     error, nothing asked for a webcam case, and a new case cancelling the
 *     previous one's load;
 *   - which queue rows need the username: cases listed together whose
 *     expected names are the same (er_case_name_key), kept up to date as
 *     cases leave and come back.
 * The fake runs with 24 cases (seed 7): five e-mailed ones, and two learners
 * called "François Côté".
 */
#include "config.h"

#include "er-case-order.h"
#include "er-error.h"
#include "er-review-queue.h"
#include "fake-process.h"
#include "test-async.h"

#define WAIT_SECONDS 10

static FakeProcess *fake;
static ErClient *client;   /* agent.lavoie: review and manual_cases */
static GPtrArray *listed;  /* ErCase, pending, oldest first */

static gboolean
not_loading (gpointer data)
{
  return er_case_order_get_state (data) != ER_CASE_ORDER_LOADING;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Iterates for ms: only to show that something does NOT happen meanwhile. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  g_assert_true (test_wait_for (flag_set, &done, WAIT_SECONDS));
}

static ErCase *
find_case (ErCaseSource  source,
           guint         nth)
{
  for (guint i = 0; i < listed->len; i++)
    {
      ErCase *kase = listed->pdata[i];

      if (er_case_get_source (kase) == source && nth-- == 0)
        return kase;
    }
  g_assert_not_reached ();
  return NULL;
}

static ErCaseOrderState
load (ErCaseOrder *case_order,
      ErCase      *kase)
{
  er_case_order_set_case (case_order, kase);
  g_assert_true (er_case_order_get_case (case_order) == kase);
  g_assert_true (test_wait_for (not_loading, case_order, WAIT_SECONDS));
  return er_case_order_get_state (case_order);
}

static ErCase *
case_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  ErCase *kase;

  g_assert_no_error (error);
  kase = er_case_new_from_json (node, &error);
  g_assert_no_error (error);
  return kase;
}

/* ------------------------------------------------------------------------ */
/* The order behind the case                                                */

/* Every e-mailed case's order: its course, its deadline and whether it is
 * past; the fake has some of each. */
static void
test_order_found (void)
{
  g_autoptr(ErCaseOrder) case_order = er_case_order_new (client, TRUE);
  g_autoptr(GDateTime) now = NULL;
  guint n_past = 0, n_future = 0;

  for (guint i = 0; i < listed->len; i++)
    {
      ErCase *kase = listed->pdata[i];
      ErOrder *order;
      GDateTime *deadline;

      if (er_case_get_source (kase) != ER_CASE_SOURCE_EMAIL)
        continue;
      g_assert_cmpint (load (case_order, kase), ==, ER_CASE_ORDER_READY);
      order = er_case_order_get_order (case_order);
      g_assert_nonnull (order);
      g_assert_cmpstr (er_order_get_invoice_number (order), ==, er_case_get_invoice_number (kase));
      g_assert_cmpstr (er_order_get_username (order), ==, er_case_get_username (kase));
      g_assert_nonnull (er_order_get_course_name (order));
      g_assert_true (g_str_has_prefix (er_order_get_course_id (order), "course-v1:"));
      deadline = er_order_get_verification_deadline (order);
      g_assert_nonnull (deadline);

      now = g_date_time_new_now_utc ();
      if (g_date_time_compare (deadline, now) < 0)
        {
          g_assert_true (er_case_order_get_deadline_past (case_order));
          n_past++;
        }
      else
        {
          g_assert_false (er_case_order_get_deadline_past (case_order));
          n_future++;
        }
      g_clear_pointer (&now, g_date_time_unref);
    }
  g_assert_cmpuint (n_past, >, 0);
  g_assert_cmpuint (n_future, >, 0);

  /* No case: nothing. */
  er_case_order_set_case (case_order, NULL);
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_NONE);
  g_assert_null (er_case_order_get_order (case_order));
  g_assert_false (er_case_order_get_deadline_past (case_order));
}

/* A webcam case has no order in the contract; an agent without the
 * manual_cases permission may not look one up: nothing is asked. */
static void
test_order_none (void)
{
  g_autoptr(ErCaseOrder) case_order = er_case_order_new (client, TRUE);
  g_autoptr(ErCaseOrder) not_allowed = er_case_order_new (client, FALSE);
  gint64 requests = fake_process_fault_count (fake, "api_requests");

  er_case_order_set_case (case_order, find_case (ER_CASE_SOURCE_WEBCAM, 0));
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_NONE);
  er_case_order_set_case (not_allowed, find_case (ER_CASE_SOURCE_EMAIL, 0));
  g_assert_cmpint (er_case_order_get_state (not_allowed), ==, ER_CASE_ORDER_NONE);
  run_for (200);
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_NONE);
  g_assert_cmpint (er_case_order_get_state (not_allowed), ==, ER_CASE_ORDER_NONE);
  g_assert_null (er_case_order_get_order (case_order));
  g_assert_cmpint (fake_process_fault_count (fake, "api_requests"), ==, requests);
}

/* An invoice number the platform does not know: NOT_FOUND. */
static void
test_order_unknown_invoice (void)
{
  g_autoptr(ErCaseOrder) case_order = er_case_order_new (client, TRUE);
  g_autoptr(ErCase) kase = case_from_json (
    "{\"receipt_id\": \"r-unknown\", \"source\": \"email\", \"status\": \"pending\","
    " \"submitted_at\": \"2026-11-20T13:45:00Z\", \"expected_name\": \"François Côté\","
    " \"username\": \"fcote\", \"invoice_number\": \"EDU-2026-999999\","
    " \"user_photo\": {\"url\": \"/api/review/v1/photos/user_photo/r-unknown\"},"
    " \"photo_id\": {\"url\": \"/api/review/v1/photos/photo_id/r-unknown\"}}");

  g_assert_cmpint (load (case_order, kase), ==, ER_CASE_ORDER_NOT_FOUND);
  g_assert_null (er_case_order_get_order (case_order));
}

/* The server fails: FAILED, quietly; the next case loads as usual. */
static void
test_order_server_error (void)
{
  g_autoptr(ErCaseOrder) case_order = er_case_order_new (client, TRUE);

  fake_process_set_faults (fake, "{\"fail_rate\": 1}");
  g_assert_cmpint (load (case_order, find_case (ER_CASE_SOURCE_EMAIL, 0)), ==,
                   ER_CASE_ORDER_FAILED);
  g_assert_null (er_case_order_get_order (case_order));
  fake_process_set_faults (fake, "{\"reset\": true}");

  g_assert_cmpint (load (case_order, find_case (ER_CASE_SOURCE_EMAIL, 1)), ==,
                   ER_CASE_ORDER_READY);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

/* Another case opens while an order loads: the first load is cancelled and
 * its answer never shown. */
static void
test_order_case_change (void)
{
  g_autoptr(ErCaseOrder) case_order = er_case_order_new (client, TRUE);
  ErCase *first = find_case (ER_CASE_SOURCE_EMAIL, 0);
  ErCase *second = find_case (ER_CASE_SOURCE_EMAIL, 1);
  guint order_notifies = 0;

  /* Slow answers: the change comes while the first is under way. */
  fake_process_set_faults (fake, "{\"latency_ms\": 300}");

  er_case_order_set_case (case_order, first);
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_LOADING);
  g_assert_cmpint (load (case_order, second), ==, ER_CASE_ORDER_READY);
  g_assert_cmpstr (er_order_get_invoice_number (er_case_order_get_order (case_order)), ==,
                   er_case_get_invoice_number (second));
  run_for (600);
  g_assert_cmpstr (er_order_get_invoice_number (er_case_order_get_order (case_order)), ==,
                   er_case_get_invoice_number (second));

  /* An e-mailed case, then a webcam case: nothing, and it stays so. */
  er_case_order_set_case (case_order, first);
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_LOADING);
  g_assert_null (er_case_order_get_order (case_order));
  g_signal_connect (case_order, "notify::order", G_CALLBACK (count_notify), &order_notifies);
  er_case_order_set_case (case_order, find_case (ER_CASE_SOURCE_WEBCAM, 0));
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_NONE);
  run_for (800);
  g_assert_cmpint (er_case_order_get_state (case_order), ==, ER_CASE_ORDER_NONE);
  g_assert_null (er_case_order_get_order (case_order));
  g_assert_cmpuint (order_notifies, ==, 0);

  fake_process_set_faults (fake, "{\"reset\": true}");
}

/* ------------------------------------------------------------------------ */
/* Learners who share a name                                                */

static void
test_name_key (void)
{
  const char *same[] = {
    "FRANÇOIS CÔTÉ", "françois côté", "  François   Côté ",
    "Franc\xcc\xa7ois Co\xcc\x82te\xcc\x81", /* decomposed accents */
  };
  g_autofree char *key = er_case_name_key ("François Côté");
  g_autofree char *apostrophe = er_case_name_key ("Anne D’Amour");
  g_autofree char *straight = er_case_name_key ("anne d'amour");
  g_autofree char *unaccented = er_case_name_key ("Francois Cote");
  g_autofree char *other = er_case_name_key ("François Côte");

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *k = er_case_name_key (same[i]);

      g_assert_cmpstr (k, ==, key);
    }
  g_assert_cmpstr (apostrophe, ==, straight);
  /* Accents count: another spelling is told apart by the name itself. */
  g_assert_cmpstr (unaccented, !=, key);
  g_assert_cmpstr (other, !=, key);
}

static gboolean
queue_loaded (gpointer data)
{
  return er_review_queue_get_loaded (data);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names shared in the queue, as "name/username" sorted. */
static char *
shared_names (ErReviewQueue *queue)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (er_case_get_name_shared (kase))
        g_ptr_array_add (names, g_strdup_printf ("%s/%s", er_case_get_expected_name (kase),
                                                 er_case_get_username (kase)));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_queue_shared_names (void)
{
  g_autoptr(ErReviewQueue) queue = er_review_queue_new (client, "agent.lavoie", NULL, NULL);
  g_autoptr(ErCase) capitals = case_from_json (
    "{\"receipt_id\": \"r-capitals\", \"source\": \"webcam\", \"status\": \"pending\","
    " \"submitted_at\": \"2026-11-20T13:45:00Z\", \"expected_name\": \"FRANÇOIS CÔTÉ\","
    " \"username\": \"francoiscote\","
    " \"user_photo\": {\"url\": \"/api/review/v1/photos/user_photo/r-capitals\"},"
    " \"photo_id\": {\"url\": \"/api/review/v1/photos/photo_id/r-capitals\"}}");
  g_autofree char *shared = NULL;
  g_autoptr(ErCase) first = NULL;
  guint position = 0;
  gboolean refreshed = FALSE;

  er_review_queue_refresh (queue);
  g_assert_true (test_wait_for (queue_loaded, queue, WAIT_SECONDS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, listed->len);

  /* The demo's two François Côté, each with an account of its own. */
  shared = shared_names (queue);
  g_assert_cmpstr (shared, ==, "François Côté/fcote2 François Côté/fcote3");
  g_clear_pointer (&shared, g_free);

  /* One leaves (decided): the other is alone with its name. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)) && first == NULL; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (er_case_get_name_shared (kase))
        {
          first = g_steal_pointer (&kase);
          position = i;
        }
    }
  g_assert_nonnull (first);
  er_review_queue_remove (queue, er_case_get_receipt_id (first));
  shared = shared_names (queue);
  g_assert_cmpstr (shared, ==, "");
  g_clear_pointer (&shared, g_free);

  /* It comes back (undo), and one more in capitals: three of one name. */
  er_review_queue_insert (queue, position, first);
  er_review_queue_insert (queue, 0, capitals);
  shared = shared_names (queue);
  g_assert_cmpstr (shared, ==, "FRANÇOIS CÔTÉ/francoiscote François Côté/fcote2 François Côté/fcote3");
  g_clear_pointer (&shared, g_free);

  /* A refresh lists the server's again: the two. */
  g_signal_connect_swapped (queue, "refreshed", G_CALLBACK (set_flag_cb), &refreshed);
  er_review_queue_set_query (queue, NULL, NULL);
  g_assert_true (test_wait_for (flag_set, &refreshed, WAIT_SECONDS));
  er_review_queue_stop (queue);
  shared = shared_names (queue);
  g_assert_cmpstr (shared, ==, "François Côté/fcote2 François Côté/fcote3");
}

/* ------------------------------------------------------------------------ */

static void
list_pending (void)
{
  ErCaseQuery query = { .limit = 200 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = NULL;
  guint n;

  er_client_list_cases_async (client, &query, NULL, test_async_store, &result);
  page = er_client_list_cases_finish (client, test_async_wait (&result), &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
  listed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (listed, g_list_model_get_item (G_LIST_MODEL (page->items), i));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  fake = fake_process_start ("--cases=24", "--seed=7", NULL);
  client = er_client_new (fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  /* Each failure is seen as it comes (test-client-retry.c tests retries). */
  er_client_set_max_retries (client, 0);
  list_pending ();

  g_test_add_func ("/case-order/found", test_order_found);
  g_test_add_func ("/case-order/none", test_order_none);
  g_test_add_func ("/case-order/unknown-invoice", test_order_unknown_invoice);
  g_test_add_func ("/case-order/server-error", test_order_server_error);
  g_test_add_func ("/case-order/case-change", test_order_case_change);
  g_test_add_func ("/case-name/key", test_name_key);
  g_test_add_func ("/queue/shared-names", test_queue_shared_names);

  ret = g_test_run ();

  g_clear_pointer (&listed, g_ptr_array_unref);
  g_clear_object (&client);
  g_clear_pointer (&fake, fake_process_stop);
  test_async_stop_threads ();
  return ret;
}
