/* test-attempts.c: ErAttempts against the fake platform, whose learners at
 * their 2nd or 3rd attempt have their earlier, denied attempts (some
 * denied by agent.lavoie, some by agent.roy; some with the very same
 * photos) and a homonym whose username contains theirs: the list, oldest
 * first, of the learner's own attempts only; the reasons chain; who
 * denied; the photo check, same and different; a case change cancelling
 * the load; the server failing.
 */
#include "config.h"

#include "er-attempts.h"
#include "er-client.h"
#include "er-error.h"
#include "fake-process.h"
#include "test-async.h"

typedef struct {
  FakeProcess  *fake;
  ErClient     *client;
  ErPrivateKey *key;
  GPtrArray    *cases;     /* ErCase: the pending cases, oldest first */
  ErAttempts   *attempts;
} Fixture;

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
done_loading (gpointer data)
{
  return !er_attempts_get_loading (data) && !er_attempts_get_checking_photos (data);
}

static void
wait_done (Fixture *f)
{
  guint wake_id = g_timeout_add (20, wake_up_cb, NULL);

  g_assert_true (test_wait_for (done_loading, f->attempts, 60));
  g_source_remove (wake_id);
}

static ErCase *
get_case (Fixture    *f,
          const char *receipt_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ErCase *kase;

  er_client_get_case_async (f->client, receipt_id, NULL, test_async_store, &result);
  kase = er_client_get_case_finish (f->client, test_async_wait (&result), &error);
  g_assert_no_error (error);
  return kase;
}

static char *
reasons_text (const ErReasons *reasons)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_nonnull (reasons);
  node = er_reasons_to_json (reasons);
  return json_to_string (node, FALSE);
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
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErPage) page = NULL;
  ErCaseQuery query = { .limit = 50 };

  g_assert_no_error (error);
  agent = er_agent_new_from_json (me, &error);
  g_assert_no_error (error);

  f->fake = fake_process_start ("--cases=12", NULL);
  f->client = er_client_new (f->fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  f->key = er_private_key_new_from_file (f->fake->key_path, NULL, &error);
  g_assert_no_error (error);
  f->attempts = er_attempts_new (f->client, f->key, agent);

  er_client_list_cases_async (f->client, &query, NULL, test_async_store, &result);
  page = er_client_list_cases_finish (f->client, test_async_wait (&result), &error);
  g_assert_no_error (error);
  /* The earlier attempts are denied: the pending list is as it was. */
  g_assert_cmpuint (page->count, ==, 12);
  f->cases = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
    g_ptr_array_add (f->cases, g_list_model_get_item (G_LIST_MODEL (page->items), i));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->attempts), (gpointer *) &f->attempts);
  g_object_unref (f->attempts);
  g_assert_null (f->attempts);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->key, er_private_key_unref);
  g_clear_object (&f->client);
  g_clear_pointer (&f->cases, g_ptr_array_unref);
  g_clear_pointer (&f->fake, fake_process_stop);
}

/* The index of the n-th pending case at attempt 2 or more. */
static ErCase *
nth_retry (Fixture *f,
           guint    n)
{
  for (guint i = 0; i < f->cases->len; i++)
    {
      ErCase *kase = g_ptr_array_index (f->cases, i);

      if (er_case_get_attempt (kase) > 1 && n-- == 0)
        return kase;
    }
  return NULL;
}

static ErCase *
first_attempt (Fixture *f)
{
  for (guint i = 0; i < f->cases->len; i++)
    if (er_case_get_attempt (g_ptr_array_index (f->cases, i)) == 1)
      return g_ptr_array_index (f->cases, i);
  return NULL;
}

/* Every retry: its attempts, their reasons, who denied them, their photos. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  guint n_me = 0, n_other = 0, n_same = 0, n_different = 0, n_homonyms = 0;
  ErCase *kase;

  /* A first attempt has none, and loads nothing. */
  er_attempts_set_case (f->attempts, first_attempt (f));
  g_assert_false (er_attempts_get_loading (f->attempts));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->attempts)), ==, 0);

  for (guint r = 0; (kase = nth_retry (f, r)) != NULL; r++)
    {
      GListModel *list = G_LIST_MODEL (f->attempts);
      guint n;

      er_attempts_set_case (f->attempts, kase);
      g_assert_true (er_attempts_get_loading (f->attempts));
      wait_done (f);
      g_assert_null (er_attempts_get_error (f->attempts));
      n = g_list_model_get_n_items (list);
      g_assert_cmpuint (n, ==, er_case_get_attempt (kase) - 1);

      /* The search also finds the homonym, whom the list leaves out. */
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(ErPage) page = NULL;
        ErCaseQuery query = { .status = "denied", .q = er_case_get_username (kase) };

        er_client_list_cases_async (f->client, &query, NULL, test_async_store, &result);
        page = er_client_list_cases_finish (f->client, test_async_wait (&result), &error);
        g_assert_no_error (error);
        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
          {
            g_autoptr(ErCase) found = g_list_model_get_item (G_LIST_MODEL (page->items), i);

            if (g_strcmp0 (er_case_get_username (found), er_case_get_username (kase)) != 0)
              n_homonyms++;
          }
        g_assert_cmpuint (page->count, ==, n + 1);
      }

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ErAttempt) attempt = g_list_model_get_item (list, i);
          g_autoptr(ErCase) earlier = get_case (f, er_attempt_get_receipt_id (attempt));
          g_autoptr(ErCase) next = NULL;
          g_autofree char *expected = NULL;
          g_autofree char *got = NULL;

          /* Oldest first, the learner's own, before this one. */
          g_assert_cmpuint (er_attempt_get_number (attempt), ==, i + 1);
          g_assert_cmpstr (er_case_get_username (earlier), ==, er_case_get_username (kase));
          g_assert_cmpint (er_case_get_status (earlier), ==, ER_CASE_STATUS_DENIED);
          g_assert_cmpint (g_date_time_compare (er_attempt_get_submitted_at (attempt),
                                                er_case_get_submitted_at (kase)), <, 0);

          /* Its reasons: the next attempt's previous ones. */
          if (i + 1 < n)
            {
              g_autoptr(ErAttempt) later = g_list_model_get_item (list, i + 1);

              next = get_case (f, er_attempt_get_receipt_id (later));
              g_assert_cmpint (g_date_time_compare (er_attempt_get_submitted_at (attempt),
                                                    er_attempt_get_submitted_at (later)), <, 0);
            }
          else
            next = g_object_ref (kase);
          expected = reasons_text (er_case_get_previous_reasons (next));
          got = reasons_text (er_attempt_get_reasons (attempt));
          g_assert_cmpstr (got, ==, expected);

          switch (er_attempt_get_decider (attempt))
            {
            case ER_DECIDER_ME:
              n_me++;
              g_assert_nonnull (er_attempt_get_decided_at (attempt));
              g_assert_cmpstr (er_attempt_get_decided_by (attempt), ==, "Sophie Lavoie");
              break;
            case ER_DECIDER_OTHER:
              n_other++;
              g_assert_null (er_attempt_get_decided_at (attempt));
              g_assert_null (er_attempt_get_decided_by (attempt));
              break;
            case ER_DECIDER_UNKNOWN:
            default:
              g_assert_not_reached ();
            }
          g_assert_cmpint (er_attempt_get_same_user_photo (attempt), ==, ER_PHOTO_MATCH_UNKNOWN);
        }

      /* The photos: compared once asked. */
      er_attempts_check_photos (f->attempts);
      g_assert_true (er_attempts_get_checking_photos (f->attempts));
      wait_done (f);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ErAttempt) attempt = g_list_model_get_item (list, i);
          ErPhotoMatch user = er_attempt_get_same_user_photo (attempt);
          ErPhotoMatch id = er_attempt_get_same_id_photo (attempt);

          g_assert_cmpint (user, !=, ER_PHOTO_MATCH_UNKNOWN);
          g_assert_cmpint (id, !=, ER_PHOTO_MATCH_UNKNOWN);
          n_same += (user == ER_PHOTO_MATCH_SAME) + (id == ER_PHOTO_MATCH_SAME);
          n_different += (user == ER_PHOTO_MATCH_DIFFERENT) + (id == ER_PHOTO_MATCH_DIFFERENT);
          /* The latest earlier attempt resent both photos or neither. */
          if (i + 1 == n)
            g_assert_cmpint (user, ==, id);
        }
    }

  g_assert_cmpuint (n_homonyms, >, 0);
  g_assert_cmpuint (n_me, >, 0);
  g_assert_cmpuint (n_other, >, 0);
  g_assert_cmpuint (n_same, >, 0);
  g_assert_cmpuint (n_different, >, 0);
}

/* Another case before the list came: only its attempts show; none at all
 * once the case is closed, and nothing comes late. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  ErCase *a = nth_retry (f, 0);
  ErCase *b = nth_retry (f, 1);
  GListModel *list = G_LIST_MODEL (f->attempts);

  g_assert_nonnull (b);
  er_attempts_set_case (f->attempts, a);
  er_attempts_check_photos (f->attempts);
  er_attempts_set_case (f->attempts, b);
  g_assert_true (er_attempts_get_loading (f->attempts));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  wait_done (f);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, er_case_get_attempt (b) - 1);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ErAttempt) attempt = g_list_model_get_item (list, i);
      g_autoptr(ErCase) earlier = get_case (f, er_attempt_get_receipt_id (attempt));

      g_assert_cmpstr (er_case_get_username (earlier), ==, er_case_get_username (b));
      /* B's photos were not asked for. */
      g_assert_cmpint (er_attempt_get_same_id_photo (attempt), ==, ER_PHOTO_MATCH_UNKNOWN);
    }

  /* During the photo check. */
  er_attempts_check_photos (f->attempts);
  g_assert_true (er_attempts_get_checking_photos (f->attempts));
  er_attempts_set_case (f->attempts, NULL);
  g_assert_false (er_attempts_get_checking_photos (f->attempts));
  g_assert_false (er_attempts_get_loading (f->attempts));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (200 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

/* The server fails: a quiet error; the last denial's reasons still show. */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  ErCase *kase = nth_retry (f, 0);
  g_autoptr(ErAttempt) attempt = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;

  er_client_set_max_retries (f->client, 0);
  fake_process_set_faults (f->fake, "{\"fail_rate\": 1.0}");
  er_attempts_set_case (f->attempts, kase);
  wait_done (f);
  fake_process_set_faults (f->fake, "{\"fail_rate\": 0.0}");

  g_assert_nonnull (er_attempts_get_error (f->attempts));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->attempts)), ==, 1);
  attempt = g_list_model_get_item (G_LIST_MODEL (f->attempts), 0);
  g_assert_cmpuint (er_attempt_get_number (attempt), ==, er_case_get_attempt (kase) - 1);
  g_assert_null (er_attempt_get_submitted_at (attempt));
  g_assert_cmpint (er_attempt_get_decider (attempt), ==, ER_DECIDER_UNKNOWN);
  expected = reasons_text (er_case_get_previous_reasons (kase));
  got = reasons_text (er_attempt_get_reasons (attempt));
  g_assert_cmpstr (got, ==, expected);

  /* The next case starts afresh. */
  er_attempts_set_case (f->attempts, nth_retry (f, 1));
  g_assert_null (er_attempts_get_error (f->attempts));
  wait_done (f);
  g_assert_null (er_attempts_get_error (f->attempts));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/attempts/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add ("/attempts/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/attempts/error", Fixture, NULL, fixture_setup, test_error, fixture_teardown);

  return g_test_run ();
}
