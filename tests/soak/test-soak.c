/* test-soak.c: many decisions under random faults and restarts of the
 * client, including SIGKILL while a decision is being sent (issue 4).
 *
 * One fake platform runs the whole time, with faults on (5xx, connections
 * dropped after the request was applied, latency, and one-off bursts of
 * two 429s: at the start and armed again by the harness at the 3rd and 11th
 * restart). Periodic bursts (--burst-429=N/S) are not used: a client whose
 * backoff has grown past S seconds meets a fresh burst at every attempt
 * (each 429 doubles the backoff, Retry-After being only its minimum), so it
 * never gets through; a real rate limiter does not behave that way. The agent
 * (soak-agent: the real outbox and sender, no interface) is started on one
 * outbox file and killed with SIGKILL again and again: after a random time,
 * or as soon as the outbox file shows a decision being sent (plus 0..15 ms,
 * so that some kills land before the fake applies the request and some
 * after). The last run is left to finish. Then the fake must hold exactly
 * one decision per case, the one the agent's rule gives (soak-decide.h),
 * with no second attempt under another Idempotency-Key (the fake counts
 * those as "conflicts"), and the outbox must be empty.
 *
 * It prints one figure line:
 *   soak: 60 decisions, 20 restarts (10 during a send), faults injected: ...; lost 0, doubled 0
 *
 * Everything random is seeded (the fake's --seed, this harness's GRand), so
 * a run is as reproducible as process timing allows. SOAK_SEED and
 * SOAK_FAKE_SEED override the harness's and the fake's seeds to explore.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>

#include "er-outbox.h"
#include "fake-process.h"
#include "soak-decide.h"

#define N_CASES         60
#define N_RESTARTS      20
#define HARNESS_SEED    4242
#define FAKE_SEED       3      /* the fake's fault and data draws */


#define AIM_DEADLINE_MS 4000   /* an aimed kill waits this long for a send at most */
#define FINAL_DEADLINE_S 150   /* the last run must finish within */

typedef struct {
  FakeProcess *fake;
  char        *dir;
  char        *outbox_path;
  GRand       *rand;
} Soak;

/* Set when the fake platform exits: nothing in the test stops it before
 * the end, so something outside did (seen once: a SIGTERM from another
 * process on the machine); the test fails at once and says so. */
static gboolean fake_exited;

/* Helpers */

static void
fake_exited_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  fake_exited = TRUE;
}

static void
check_fake_alive (Soak *soak)
{
  GSubprocess *fake = soak->fake->process;

  if (!fake_exited)
    return;
  if (g_subprocess_get_if_signaled (fake))
    g_error ("The fake platform was killed by signal %d during the soak, not by this test "
             "(another process on the machine?)", g_subprocess_get_term_sig (fake));
  g_error ("The fake platform exited (status %d) during the soak, not stopped by this test "
           "(a SIGTERM from another process on the machine?)", g_subprocess_get_exit_status (fake));
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* The agent dies with the harness, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
agent_spawn (Soak     *soak,
             gboolean *exited)
{
  const char *exe = g_getenv ("ER_SOAK_AGENT");
  g_autofree char *server_arg = g_strdup_printf ("--server=%s", soak->fake->api_url);
  g_autofree char *outbox_arg = g_strdup_printf ("--outbox=%s", soak->outbox_path);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *agent;

  g_assert_nonnull (exe);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  agent = g_subprocess_launcher_spawn (launcher, &error, exe, server_arg,
                                       "--token=demo-token", outbox_arg, NULL);
  g_assert_no_error (error);

  *exited = FALSE;
  g_subprocess_wait_async (agent, NULL, wait_cb, exited);
  return agent;
}

/* Iterates for ms, or less if *stop becomes TRUE. */
static void
run_for (guint     ms,
         gboolean *stop)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, flag_cb, &done);

  while (!done && !*stop && !fake_exited)
    g_main_context_iteration (NULL, TRUE);
  if (!done)
    g_source_remove (id);
}

/* Whether the outbox file (as the agent left it on disk) has an entry in
 * state "sending". The file is replaced by rename, so it is always whole. */
static gboolean
outbox_file_has_sending (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonArray *entries;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  if (strstr (contents, "sending") == NULL)
    return FALSE; /* the common case, without parsing */

  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, contents, length, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  entries = json_object_get_array_member (root, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "state"), "sending") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Waits until the outbox file shows a send under way (TRUE), the agent
 * exits or AIM_DEADLINE_MS pass (FALSE). Polls every millisecond. */
static gboolean
wait_for_sending (Soak     *soak,
                  gboolean *exited)
{
  gint64 deadline = g_get_monotonic_time () + AIM_DEADLINE_MS * 1000;

  while (!*exited && g_get_monotonic_time () < deadline)
    {
      if (outbox_file_has_sending (soak->outbox_path))
        return TRUE;
      run_for (1, exited);
      check_fake_alive (soak);
    }
  return FALSE;
}

/* FALSE (and a message) when the agent failed; the test goes on, so that
 * the figures are still counted and printed, and fails at the end. */
static gboolean
agent_succeeded (GSubprocess *agent,
                 const char  *when)
{
  if (!g_subprocess_get_if_exited (agent))
    {
      g_printerr ("soak: the agent (%s) died of signal %d\n", when, g_subprocess_get_term_sig (agent));
      return FALSE;
    }
  if (g_subprocess_get_exit_status (agent) != 0)
    {
      g_printerr ("soak: the agent (%s) exited with %d (3: a decision refused, e.g. a case decided "
                  "twice; 4: a decision lost); see its messages above\n",
                  when, g_subprocess_get_exit_status (agent));
      return FALSE;
    }
  return TRUE;
}

static gint64
fault_count (JsonObject *state,
             const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, "faults"), name);
}

/* Whether the recorded decision body is the one soak_decide() gives. */
static gboolean
body_is_expected (JsonObject *body,
                  const char *receipt_id)
{
  g_autoptr(ErReasons) expected = NULL;
  g_autoptr(ErReasons) got = NULL;
  gboolean approved = soak_decide (receipt_id, &expected);
  const char *result = json_object_get_string_member_with_default (body, "Result", "");

  if (approved)
    return g_str_equal (result, "PASS");
  if (!g_str_equal (result, "FAIL") || !json_object_has_member (body, "Reason"))
    return FALSE;

  got = er_reasons_new_from_json (json_object_get_member (body, "Reason"), NULL);
  if (got == NULL)
    return FALSE;
  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    if (!g_strv_equal ((const char * const *) er_reasons_get (expected, g),
                       (const char * const *) er_reasons_get (got, g)))
      return FALSE;
  return TRUE;
}

/* The test */

static void
test_soak (void)
{
  Soak soak = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) start_state = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal); /* id → count */
  g_autoptr(ErOutbox) outbox = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *seed_env = g_getenv ("SOAK_SEED");
  const char *fake_seed_env = g_getenv ("SOAK_FAKE_SEED");
  g_autofree char *fake_seed_arg = g_strdup_printf ("--seed=%s", fake_seed_env != NULL ? fake_seed_env
                                                                                   : G_STRINGIFY (FAKE_SEED));
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : HARNESS_SEED;
  JsonArray *cases, *decisions;
  guint restarts = 0, during_send = 0, finished_early = 0;
  guint lost = 0, doubled = 0, wrong = 0, replays = 0, agent_failures = 0;
  gboolean exited;
  gint64 started = g_get_monotonic_time ();
  gint64 deadline;
  gint64 last_started;
  GHashTableIter iter;
  gpointer key, value;

  soak.rand = g_rand_new_with_seed (seed);
  soak.dir = g_dir_make_tmp ("er-soak-XXXXXX", &error);
  g_assert_no_error (error);
  soak.outbox_path = g_build_filename (soak.dir, "outbox.json", NULL);
  soak.fake = fake_process_start ("--cases=60", fake_seed_arg,
                                  "--fail-rate=0.12", "--drop-rate=0.08",
                                  "--latency=5", "--latency-jitter=20",
                                  "--burst-429=2", NULL);
  g_subprocess_wait_async (soak.fake->process, NULL, fake_exited_cb, NULL);

  start_state = fake_process_state (soak.fake);
  cases = json_object_get_array_member (start_state, "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);

      if (g_str_equal (json_object_get_string_member (c, "status"), "pending"))
        g_hash_table_insert (expected, (gpointer) json_object_get_string_member (c, "receipt_id"),
                             GUINT_TO_POINTER (0));
    }
  g_assert_cmpuint (g_hash_table_size (expected), ==, N_CASES);

  /* Restarts: every other kill is aimed at a send under way. */
  for (guint i = 0; i < N_RESTARTS; i++)
    {
      g_autoptr(GSubprocess) agent = agent_spawn (&soak, &exited);
      gboolean aimed = i % 2 == 1;

      if (aimed)
        {
          if (wait_for_sending (&soak, &exited))
            run_for (g_rand_int_range (soak.rand, 0, 16), &exited);
        }
      else
        {
          guint ms = g_rand_int_range (soak.rand, 100, 801);

          run_for (ms / 2, &exited);
          check_fake_alive (&soak);
          /* Now and then a burst of 429s in the middle of a run. */
          if (i % 8 == 2)
            fake_process_set_faults (soak.fake, "{\"burst_429\": {\"count\": 2, \"every_s\": 0}}");
          run_for (ms - ms / 2, &exited);
        }

      check_fake_alive (&soak);
      if (exited)
        {
          /* It finished before being killed: nothing was left to do. */
          if (!agent_succeeded (agent, "between restarts"))
            agent_failures++;
          finished_early++;
          continue;
        }

      g_subprocess_force_exit (agent);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (g_subprocess_get_if_exited (agent));
      g_assert_cmpint (g_subprocess_get_term_sig (agent), ==, SIGKILL);
      restarts++;
      if (outbox_file_has_sending (soak.outbox_path))
        during_send++;
    }

  /* The last run finishes on its own (run again after a failure, at most
   * twice, so that the figures cover every case). */
  last_started = g_get_monotonic_time ();
  deadline = last_started + FINAL_DEADLINE_S * G_USEC_PER_SEC;
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr(GSubprocess) last = agent_spawn (&soak, &exited);

      while (!exited)
        {
          if (g_get_monotonic_time () > deadline)
            {
              g_autofree char *contents = NULL;
              g_autoptr(JsonObject) now = fake_process_state (soak.fake);

              g_subprocess_force_exit (last);
              g_file_get_contents (soak.outbox_path, &contents, NULL, NULL);
              g_printerr ("soak: the outbox at the deadline: %s\n", contents);
              g_error ("The last agent run did not finish within %d s (%u decisions recorded)",
                       FINAL_DEADLINE_S, json_array_get_length (json_object_get_array_member (now, "decisions")));
            }
          run_for (100, &exited);
          check_fake_alive (&soak);
        }
      if (agent_succeeded (last, "last run"))
        break;
      agent_failures++;
    }
  g_test_message ("The last run took %.1f s",
                  (g_get_monotonic_time () - last_started) / (double) G_USEC_PER_SEC);

  /* What the server holds. */
  state = fake_process_state (soak.fake);
  decisions = json_object_get_array_member (state, "decisions");
  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);
      const char *receipt_id = json_object_get_string_member (d, "receipt_id");
      JsonNode *body = json_object_get_member (d, "body");
      guint n;

      if (!g_hash_table_lookup_extended (expected, receipt_id, NULL, &value))
        {
          g_printerr ("soak: a decision on %s, which was not a pending case\n", receipt_id);
          wrong++;
          continue;
        }
      n = GPOINTER_TO_UINT (value) + 1;
      g_hash_table_insert (expected, (gpointer) receipt_id, GUINT_TO_POINTER (n));
      if (n > 1)
        {
          g_printerr ("soak: DOUBLED %s: %u decisions recorded\n", receipt_id, n);
          doubled++;
        }
      if (json_object_get_int_member (d, "conflicts") > 0)
        {
          /* Another attempt with a different Idempotency-Key: decided twice. */
          g_printerr ("soak: DOUBLED %s: %" G_GINT64_FORMAT " later attempt(s) answered already_decided\n",
                      receipt_id, json_object_get_int_member (d, "conflicts"));
          doubled += json_object_get_int_member (d, "conflicts");
        }
      replays += json_object_get_int_member (d, "replays");

      if (g_strcmp0 (json_object_get_string_member (d, "decided_by"), "agent.lavoie") != 0 ||
          body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ||
          !body_is_expected (json_node_get_object (body), receipt_id))
        {
          g_autofree char *text = body != NULL ? json_to_string (body, FALSE) : g_strdup ("null");

          g_printerr ("soak: WRONG decision on %s: %s\n", receipt_id, text);
          wrong++;
        }
    }
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) == 0)
      {
        g_printerr ("soak: LOST %s: no decision recorded\n", (const char *) key);
        lost++;
      }

  g_print ("soak: %u decisions, %u restarts (%u during a send), faults injected: "
           "%" G_GINT64_FORMAT " 5xx, %" G_GINT64_FORMAT " dropped, %" G_GINT64_FORMAT " rate-limited, "
           "%" G_GINT64_FORMAT " delayed; lost %u, doubled %u\n",
           json_array_get_length (decisions), restarts, during_send,
           fault_count (state, "failed_5xx"), fault_count (state, "dropped"),
           fault_count (state, "rate_limited"), fault_count (state, "delayed"),
           lost, doubled);
  g_print ("soak: %" G_GINT64_FORMAT " API requests, %u replays answered, %u runs finished before their kill, "
           "seeds %u (harness) and %s (fake), %.1f s\n",
           fault_count (state, "api_requests"), replays, finished_early, seed, fake_seed_arg + 7,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (doubled, ==, 0);
  g_assert_cmpuint (wrong, ==, 0);
  g_assert_cmpuint (agent_failures, ==, 0);
  g_assert_cmpuint (json_array_get_length (decisions), ==, N_CASES);

  /* The outbox is empty: nothing waiting or being sent, nothing refused. */
  outbox = er_outbox_new (soak.outbox_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (er_outbox_get_n_waiting (outbox), ==, 0);
  entries = er_outbox_get_entries (outbox);
  g_assert_cmpuint (entries->len, ==, 0);

  /* The soak really went through faults and kills mid-send. */
  g_assert_cmpuint (restarts, >=, N_RESTARTS / 2);
  g_assert_cmpuint (during_send, >=, 1);
  g_assert_cmpint (fault_count (state, "failed_5xx"), >, 0);
  g_assert_cmpint (fault_count (state, "dropped"), >, 0);
  g_assert_cmpint (fault_count (state, "rate_limited"), >, 0);

  fake_process_stop (soak.fake);
  g_clear_object (&outbox);
  g_unlink (soak.outbox_path);
  g_rmdir (soak.dir);
  g_free (soak.outbox_path);
  g_free (soak.dir);
  g_rand_free (soak.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soak/restarts", test_soak);
  return g_test_run ();
}
