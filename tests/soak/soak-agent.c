/* soak-agent.c: an agent without a user interface, for the soak test.
 *
 *   soak-agent --server=URL --token=T --outbox=PATH
 *
 * Opens the outbox at PATH and starts an ErSender on it, exactly as the
 * application does; then lists every pending case (all pages) and decides
 * each one it has not decided yet (soak-decide.h: from the receipt id only),
 * adding the decision to the outbox due within 0..300 ms. Once the outbox
 * has drained it lists again, and exits 0 when nothing is pending any more.
 * Listing is retried with a small backoff (faults hit it too); delivering
 * is the sender's job.
 *
 * It may be killed (SIGKILL) at any moment and started again on the same
 * outbox: a case is decided at most once over all runs, because a decision
 * is in the outbox (on disk) until the server has recorded it, and every
 * case that was ever in the outbox during this run is remembered.
 *
 * Exit codes: 0 done; 1 usage or setup; 3 a decision was refused (the
 * server already had one: a case decided twice, or any other final
 * refusal); 4 a decision left the outbox but the server still lists its
 * case as pending (lost).
 */
#include "config.h"

#include "er-error.h"
#include "er-sender.h"
#include "soak-decide.h"

#define EXIT_REFUSED 3
#define EXIT_LOST    4

#define LIST_RETRY_MIN_MS 50
#define LIST_RETRY_MAX_MS 1000

typedef struct {
  GMainLoop  *loop;
  ErClient   *client;
  ErOutbox   *outbox;
  ErSender   *sender;
  GHashTable *seen;          /* receipt ids ever in the outbox during this run */
  GHashTable *at_list_start; /* receipt ids WAITING or SENDING when the listing began */
  GPtrArray  *pending;       /* ErCase: the listing under way */
  guint       list_retry_ms;
  gboolean    listing;
  gboolean    waiting_drain; /* a listing is due once the outbox is drained */
  guint       n_decided;     /* added in this run */
  int         exit_code;
} Agent;

static void list_start (Agent *agent);

static void
agent_quit (Agent *agent,
            int    exit_code)
{
  if (agent->exit_code == 0)
    agent->exit_code = exit_code;
  g_main_loop_quit (agent->loop);
}

static void
on_refused (ErSender      *sender,
            ErOutboxEntry *entry,
            GError        *error,
            ErConflict    *conflict,
            Agent         *agent)
{
  g_printerr ("soak-agent: REFUSED %s (key %s): %s\n",
              er_outbox_entry_get_receipt_id (entry),
              er_outbox_entry_get_key (entry),
              error->message);
  agent_quit (agent, EXIT_REFUSED);
}

static void
on_unauthenticated (ErSender *sender,
                    GError   *error,
                    Agent    *agent)
{
  g_printerr ("soak-agent: token refused: %s\n", error->message);
  agent_quit (agent, 1);
}

/* Adds the decision on one pending case unless it was already made. */
static void
decide (Agent  *agent,
        ErCase *c)
{
  const char *receipt_id = er_case_get_receipt_id (c);
  g_autoptr(ErReasons) reasons = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;
  gboolean approved;

  if (g_hash_table_contains (agent->seen, receipt_id) ||
      er_outbox_has_case (agent->outbox, receipt_id))
    return;

  approved = soak_decide (receipt_id, &reasons);
  now = g_date_time_new_now_utc ();
  due = g_date_time_add (now, (GTimeSpan) soak_due_in_ms (receipt_id) * 1000);
  if (er_outbox_add (agent->outbox, receipt_id, er_case_get_expected_name (c),
                     approved, reasons, due, &error) == NULL)
    {
      g_printerr ("soak-agent: cannot add the decision on %s: %s\n", receipt_id, error->message);
      agent_quit (agent, 1);
      return;
    }
  g_hash_table_add (agent->seen, g_strdup (receipt_id));
  agent->n_decided++;
}

/* The listing is complete: decide, check, and go on. */
static void
list_done (Agent *agent)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&agent->pending);

  agent->listing = FALSE;
  agent->list_retry_ms = LIST_RETRY_MIN_MS;

  for (guint i = 0; i < pending->len; i++)
    {
      ErCase *c = g_ptr_array_index (pending, i);
      const char *receipt_id = er_case_get_receipt_id (c);

      /* It left the outbox before this listing began, so the server had
       * answered for it; yet the case is still pending. */
      if (g_hash_table_contains (agent->seen, receipt_id) &&
          !g_hash_table_contains (agent->at_list_start, receipt_id) &&
          !er_outbox_has_case (agent->outbox, receipt_id))
        {
          g_printerr ("soak-agent: LOST the decision on %s: out of the outbox, still pending\n",
                      receipt_id);
          agent_quit (agent, EXIT_LOST);
          return;
        }
      decide (agent, c);
    }

  if (pending->len == 0 && er_outbox_get_n_waiting (agent->outbox) == 0)
    {
      g_debug ("Nothing pending, outbox empty: done (%u decided in this run)", agent->n_decided);
      agent_quit (agent, 0);
      return;
    }

  /* Listed again once every decision has had its final answer. */
  agent->waiting_drain = TRUE;
  if (er_outbox_get_n_waiting (agent->outbox) == 0)
    {
      agent->waiting_drain = FALSE;
      list_start (agent);
    }
}

static gboolean
list_retry_cb (gpointer user_data)
{
  list_start (user_data);
  return G_SOURCE_REMOVE;
}

static void list_page (Agent *agent, const char *cursor);

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Agent *agent = user_data;
  g_autoptr(ErPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  page = er_client_list_cases_finish (ER_CLIENT (object), result, &error);
  if (page == NULL)
    {
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        {
          g_printerr ("soak-agent: listing: %s\n", error->message);
          agent_quit (agent, 1);
          return;
        }
      /* 5xx, 429, dropped: the whole listing again, a little later. */
      g_debug ("Listing failed (%s); again in %u ms", error->message, agent->list_retry_ms);
      g_clear_pointer (&agent->pending, g_ptr_array_unref);
      g_timeout_add (agent->list_retry_ms, list_retry_cb, agent);
      agent->list_retry_ms = MIN (agent->list_retry_ms * 2, LIST_RETRY_MAX_MS);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (agent->pending, g_list_model_get_item (G_LIST_MODEL (page->items), i));

  if (page->next_cursor != NULL && n > 0)
    list_page (agent, page->next_cursor);
  else
    list_done (agent);
}

static void
list_page (Agent      *agent,
           const char *cursor)
{
  ErCaseQuery query = { .status = "pending", .limit = 25, .cursor = cursor };

  er_client_list_cases_async (agent->client, &query, NULL, list_cb, agent);
}

static void
list_start (Agent *agent)
{
  g_autoptr(GPtrArray) entries = er_outbox_get_entries (agent->outbox);

  agent->listing = TRUE;
  g_hash_table_remove_all (agent->at_list_start);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (er_outbox_entry_get_state (entry) != ER_OUTBOX_FAILED)
        g_hash_table_add (agent->at_list_start, g_strdup (er_outbox_entry_get_receipt_id (entry)));
    }

  agent->pending = g_ptr_array_new_with_free_func (g_object_unref);
  list_page (agent, NULL);
}

static void
on_outbox_changed (ErOutbox *outbox,
                   Agent    *agent)
{
  if (agent->waiting_drain && !agent->listing && er_outbox_get_n_waiting (outbox) == 0)
    {
      agent->waiting_drain = FALSE;
      list_start (agent);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *outbox_path = NULL;
  GOptionEntry options[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "The platform's origin", "URL" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "The agent's token", "T" },
    { "outbox", 0, 0, G_OPTION_ARG_FILENAME, &outbox_path, "The outbox file", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the soak test's agent");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  Agent agent = { 0 };

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      server == NULL || token == NULL || outbox_path == NULL)
    {
      g_printerr ("soak-agent: %s\n", error != NULL ? error->message
                                                    : "--server, --token and --outbox are required");
      return 1;
    }

  agent.client = er_client_new (server, token, &error);
  if (agent.client == NULL)
    {
      g_printerr ("soak-agent: %s\n", error->message);
      return 1;
    }
  agent.outbox = er_outbox_new (outbox_path, &error);
  if (error != NULL)
    {
      /* A damaged file would mean a write that was not atomic. */
      g_printerr ("soak-agent: the outbox could not be read: %s\n", error->message);
      return 1;
    }

  agent.loop = g_main_loop_new (NULL, FALSE);
  agent.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  agent.at_list_start = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  agent.list_retry_ms = LIST_RETRY_MIN_MS;

  entries = er_outbox_get_entries (agent.outbox);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (er_outbox_entry_get_state (entry) == ER_OUTBOX_FAILED)
        {
          g_printerr ("soak-agent: REFUSED earlier %s (key %s): %s\n",
                      er_outbox_entry_get_receipt_id (entry),
                      er_outbox_entry_get_key (entry),
                      er_outbox_entry_get_error (entry));
          return EXIT_REFUSED;
        }
      g_hash_table_add (agent.seen, g_strdup (er_outbox_entry_get_receipt_id (entry)));
    }

  agent.sender = er_sender_new (agent.outbox, agent.client);
  g_signal_connect (agent.sender, "refused", G_CALLBACK (on_refused), &agent);
  g_signal_connect (agent.sender, "unauthenticated", G_CALLBACK (on_unauthenticated), &agent);
  g_signal_connect (agent.outbox, "changed", G_CALLBACK (on_outbox_changed), &agent);

  list_start (&agent);
  g_main_loop_run (agent.loop);

  er_sender_stop (agent.sender);
  g_signal_handlers_disconnect_by_data (agent.sender, &agent);
  g_signal_handlers_disconnect_by_data (agent.outbox, &agent);
  g_clear_object (&agent.sender);
  g_clear_object (&agent.outbox);
  g_clear_object (&agent.client);
  g_clear_pointer (&agent.seen, g_hash_table_unref);
  g_clear_pointer (&agent.at_list_start, g_hash_table_unref);
  g_clear_pointer (&agent.pending, g_ptr_array_unref);
  g_clear_pointer (&agent.loop, g_main_loop_unref);

  return agent.exit_code;
}
