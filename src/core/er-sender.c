/* er-sender.c: delivers the outbox's decisions, one request at a time.
 *
 * schedule() is the only place that decides what happens next; it runs
 * after every change (the outbox changed, a request finished, a new client,
 * send_now, the network came back, the timer fired). It sends the oldest
 * decided WAITING entry whose due time has come, unless a request is under
 * way, the sender is stopped or paused (401, no client), or the backoff
 * after a transient failure has not run out; otherwise it sets one timer for
 * the earliest moment something can go.
 *
 * The backoff is the sender's, not an entry's: when the server or the
 * network is in trouble, no entry goes before it runs out, so the order of
 * the decisions is kept and the server is not hammered. Each failed entry
 * also gets its retry time as due_at (and the error), on disk.
 *
 * An entry is sent only once the write that added it is durable
 * (er_outbox_is_written: fsync and rename done on the outbox's writer
 * thread): a decision the server has can always be found on disk after a
 * crash. An entry not yet written is waited for (the outbox's "written"
 * runs schedule() again), never skipped over: the order is kept. In
 * practice the undo delay (seconds) hides this wait (milliseconds), but it
 * is a rule, not luck.
 *
 * Every entry is marked SENDING before its request (on disk soon after,
 * written by the outbox's thread), and the request always carries the
 * entry's Idempotency-Key, which is on disk since its addition, so a
 * request whose outcome is unknown (dropped connection, the app killed) is
 * simply sent again and the server records it once.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"
#include "er-sender.h"

struct _ErSender
{
  GObject          parent_instance;
  ErOutbox        *outbox;
  ErClient        *client;
  GNetworkMonitor *monitor;

  char            *sending_key;   /* the entry of the request under way, or NULL */
  guint            timeout_id;
  gint64           retry_at;      /* monotonic µs: no request before (backoff); 0: none */
  guint            backoff;       /* seconds: the base of the next transient failure's delay */
  gboolean         network_available;
  gboolean         paused;        /* 401: until set_client() */
  gboolean         stopped;
  gboolean         offline;
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (ErSender, er_sender, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OUTBOX,
  PROP_CLIENT,
  PROP_OFFLINE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DELIVERED,
  SIGNAL_REFUSED,
  SIGNAL_UNAUTHENTICATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (ErSender *self);

static void
set_offline (ErSender *self,
             gboolean  offline)
{
  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
set_busy (ErSender *self,
          gboolean  busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The final answers: the same request would get the same answer again.
 * 400 and 403 are final too: a malformed or forbidden request does not get
 * better by waiting, and the agent must hear of it. */
static gboolean
error_is_final (const GError *error)
{
  if (error->domain != ER_ERROR)
    return FALSE;

  switch ((ErError) error->code)
    {
    case ER_ERROR_BAD_REQUEST:
    case ER_ERROR_FORBIDDEN:
    case ER_ERROR_NOT_FOUND:
    case ER_ERROR_UNKNOWN_INVOICE:
    case ER_ERROR_CLAIMED_BY_OTHER:
    case ER_ERROR_ALREADY_DECIDED:
    case ER_ERROR_GONE:
    case ER_ERROR_INVALID_REASON:
    case ER_ERROR_IDEMPOTENCY_MISMATCH:
    case ER_ERROR_INVALID_PHOTO:
      return TRUE;

    default:
      return FALSE;
    }
}

/* The delay after a transient failure, in seconds: the backoff with ±25 %
 * jitter (at most ER_SENDER_MAX_BACKOFF_SECONDS), at least what the server
 * asked for; the backoff doubles for the next one. A 429 that says when
 * to come back is taken at its word (plus a little jitter), without
 * doubling: growing past its Retry-After only lands each attempt in the
 * next burst of a busy server. */
static double
next_delay (ErSender *self,
            guint     retry_after)
{
  double delay;

  if (retry_after > 0)
    return (double) retry_after * g_random_double_range (1.0, 1.25);

  delay = self->backoff * g_random_double_range (0.75, 1.25);

  delay = MIN (delay, ER_SENDER_MAX_BACKOFF_SECONDS);
  self->backoff = MIN (self->backoff * 2, ER_SENDER_MAX_BACKOFF_SECONDS);

  return MAX (delay, (double)retry_after);
}

static void
reset_backoff (ErSender *self)
{
  self->backoff = 1;
  self->retry_at = 0;
}

typedef struct {
  ErSender *self;    /* owned */
  ErClient *client;  /* owned: the client the request went with */
  char     *key;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_object_unref (request->client);
  g_free (request->key);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
record_transient (ErSender     *self,
                  const char   *key,
                  const GError *error,
                  guint         retry_after)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  double delay;

  /* No network at all: no point trying often; GNetworkMonitor says when it is back. */
  if (g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK) && !self->network_available)
    self->backoff = ER_SENDER_MAX_BACKOFF_SECONDS;

  delay = next_delay (self, retry_after);
  self->retry_at = g_get_monotonic_time () + (gint64)(delay * G_USEC_PER_SEC);
  due = g_date_time_add_seconds (now, delay);

  g_debug ("Decision %s not delivered (%s); again in %.1f s", key, error->message, delay);
  if (!er_outbox_mark_waiting (self->outbox, key, due, error->message, &local_error))
    g_debug ("Outbox: %s", local_error->message);
}

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  ErSender *self = request->self;
  g_autoptr(ErDecision) decision = NULL;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ErOutboxEntry) entry = NULL;

  decision = er_client_decide_finish (ER_CLIENT (object), result, &conflict, &error);

  /* self->sending_key stays set until the end: the outbox's "changed" does
   * not start the next request before this one is recorded and announced. */
  entry = er_outbox_lookup (self->outbox, request->key);
  if (entry != NULL)
    er_outbox_entry_ref (entry);

  if (decision != NULL)
    {
      g_debug ("Decision %s delivered", request->key);
      reset_backoff (self);
      set_offline (self, FALSE);
      if (entry != NULL && !er_outbox_remove (self->outbox, request->key, &local_error))
        g_debug ("Outbox: %s", local_error->message);
      if (entry != NULL)
        g_signal_emit (self, signals[SIGNAL_DELIVERED], 0, entry, decision);
    }
  else if (entry == NULL)
    g_debug ("Decision %s: %s, but it left the outbox meanwhile", request->key, error->message);
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED))
    {
      /* Final: the case has its decision, ours or not; nothing is left to do. */
      g_debug ("Decision %s: already decided", request->key);
      reset_backoff (self);
      set_offline (self, FALSE);
      if (!er_outbox_remove (self->outbox, request->key, &local_error))
        g_debug ("Outbox: %s", local_error->message);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, entry, error, conflict);
    }
  else if (error_is_final (error))
    {
      ErOutboxEntry *failed;

      g_debug ("Decision %s refused: %s", request->key, error->message);
      reset_backoff (self);
      set_offline (self, FALSE);
      if (!er_outbox_mark_failed (self->outbox, request->key, error->message, &local_error))
        g_debug ("Outbox: %s", local_error->message);
      failed = er_outbox_lookup (self->outbox, request->key);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, failed != NULL ? failed : entry, error, conflict);
    }
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      set_offline (self, FALSE);
      if (!er_outbox_mark_waiting (self->outbox, request->key, now, error->message, &local_error))
        g_debug ("Outbox: %s", local_error->message);

      /* A request made with a client that was replaced meanwhile says
       * nothing about the new one: it just goes again. */
      if (request->client == self->client)
        {
          g_debug ("Decision %s: token refused; sending paused", request->key);
          self->paused = TRUE;
          g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, error);
        }
    }
  else
    {
      guint retry_after = conflict != NULL ? conflict->retry_after : 0;

      set_offline (self, g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK));
      record_transient (self, request->key, error, retry_after);
    }

  g_clear_pointer (&self->sending_key, g_free);
  schedule (self);
}

static void
send_entry (ErSender      *self,
            ErOutboxEntry *entry)
{
  g_autoptr(GError) error = NULL;
  Request *request;

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->client = g_object_ref (self->client);
  request->key = g_strdup (er_outbox_entry_get_key (entry));

  /* Read what is needed before the outbox changes (entry stays ours). */
  er_outbox_entry_ref (entry);
  self->sending_key = g_strdup (request->key);

  /* Current before the request, on disk soon after; a crash from here on
   * sends it again, with the same key (on disk since it was added). */
  if (!er_outbox_mark_sending (self->outbox, request->key, &error))
    g_debug ("Outbox: %s", error->message);

  g_debug ("Sending decision %s on %s", request->key, er_outbox_entry_get_receipt_id (entry));
  er_client_decide_async (self->client,
                          er_outbox_entry_get_receipt_id (entry),
                          er_outbox_entry_get_approved (entry),
                          er_outbox_entry_get_reasons (entry),
                          request->key,
                          NULL, decide_cb, request);
  er_outbox_entry_unref (entry);
}

static gboolean
timeout_cb (gpointer user_data)
{
  ErSender *self = user_data;

  self->timeout_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (ErSender *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = NULL;
  ErOutboxEntry *next = NULL;
  gboolean unwritten = FALSE;  /* the next one due waits for the disk */
  GTimeSpan wait = G_MAXINT64; /* µs until the earliest due entry */
  gint64 backoff_left;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->sending_key != NULL)
    {
      set_busy (self, TRUE);
      return;
    }
  if (self->stopped || self->paused || self->client == NULL)
    {
      set_busy (self, FALSE);
      return;
    }

  now = g_date_time_new_now_utc ();
  entries = er_outbox_get_entries (self->outbox);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);
      GTimeSpan left;

      if (er_outbox_entry_get_state (entry) != ER_OUTBOX_WAITING)
        continue;

      left = g_date_time_difference (er_outbox_entry_get_due_at (entry), now);

      /* Not before the write that added it is durable; nothing after it
       * either (those were added later): "written" schedules again. */
      if (!er_outbox_is_written (self->outbox, entry))
        {
          if (next == NULL && left <= 0)
            unwritten = TRUE;
          else
            wait = MIN (wait, left);
          break;
        }

      if (left <= 0 && next == NULL)
        next = entry; /* entries are oldest decision first */
      wait = MIN (wait, left);
    }

  set_busy (self, next != NULL || unwritten);
  if (wait == G_MAXINT64)
    return;

  backoff_left = self->retry_at - g_get_monotonic_time ();
  if (next != NULL && backoff_left <= 0)
    {
      send_entry (self, next);
      set_busy (self, TRUE);
      return;
    }

  wait = MAX (MAX (wait, backoff_left), 0);
  /* Rounded up: never before the due time. */
  self->timeout_id = g_timeout_add ((guint)MIN ((wait + 999) / 1000, G_MAXUINT), timeout_cb, self);
}

static void
on_outbox_changed (ErSender *self)
{
  /* Inside decide_cb or send_entry the outbox changes too: schedule() runs
   * at their end anyway. */
  if (self->sending_key == NULL)
    schedule (self);
}

/* The retries waiting for their backoff go at once; decisions still in
 * their undo delay (never attempted) keep it. */
static void
retry_now (ErSender *self)
{
  g_autoptr(GPtrArray) entries = er_outbox_get_entries (self->outbox);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  reset_backoff (self);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;

      if (er_outbox_entry_get_state (entry) != ER_OUTBOX_WAITING ||
          er_outbox_entry_get_attempts (entry) == 0 ||
          g_date_time_compare (er_outbox_entry_get_due_at (entry), now) <= 0)
        continue;

      if (!er_outbox_mark_waiting (self->outbox, er_outbox_entry_get_key (entry), now,
                                   er_outbox_entry_get_error (entry), &error))
        g_debug ("Outbox: %s", error->message);
    }
  schedule (self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    ErSender        *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;
  /* Back, or changed (another Wi-Fi, a VPN) while the server could not be
   * reached: worth a try at once. */
  if (available && (!was_available || self->offline))
    {
      g_debug ("The network is back: retrying now");
      retry_now (self);
    }
}

static void
er_sender_dispose (GObject *object)
{
  ErSender *self = ER_SENDER (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (er_sender_parent_class)->dispose (object);
}

static void
er_sender_finalize (GObject *object)
{
  ErSender *self = ER_SENDER (object);

  g_clear_pointer (&self->sending_key, g_free);

  G_OBJECT_CLASS (er_sender_parent_class)->finalize (object);
}

static void
er_sender_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ErSender *self = ER_SENDER (object);

  switch (prop_id)
    {
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_sender_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ErSender *self = ER_SENDER (object);

  switch (prop_id)
    {
    case PROP_OUTBOX:
      self->outbox = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      er_sender_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_sender_constructed (GObject *object)
{
  ErSender *self = ER_SENDER (object);

  G_OBJECT_CLASS (er_sender_parent_class)->constructed (object);

  g_return_if_fail (ER_IS_OUTBOX (self->outbox));

  g_signal_connect_swapped (self->outbox, "changed", G_CALLBACK (on_outbox_changed), self);
  g_signal_connect_swapped (self->outbox, "written", G_CALLBACK (on_outbox_changed), self);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);

  schedule (self);
}

static void
er_sender_class_init (ErSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = er_sender_constructed;
  object_class->dispose = er_sender_dispose;
  object_class->finalize = er_sender_finalize;
  object_class->get_property = er_sender_get_property;
  object_class->set_property = er_sender_set_property;

  properties[PROP_OUTBOX] =
    g_param_spec_object ("outbox", NULL, NULL, ER_TYPE_OUTBOX,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ER_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ErSender::delivered:
   * @entry: the entry, already removed from the outbox
   * @decision: the decision as the server recorded it
   */
  signals[SIGNAL_DELIVERED] =
    g_signal_new ("delivered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  ER_TYPE_OUTBOX_ENTRY, ER_TYPE_DECISION);

  /**
   * ErSender::refused:
   * @entry: the entry: FAILED in the outbox, or removed (already_decided)
   * @error: the server's answer
   * @conflict: (nullable): a 409's details
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  ER_TYPE_OUTBOX_ENTRY, G_TYPE_ERROR, ER_TYPE_CONFLICT);

  /**
   * ErSender::unauthenticated:
   * @error: the 401's error
   *
   * Sending is paused until er_sender_set_client().
   */
  signals[SIGNAL_UNAUTHENTICATED] =
    g_signal_new ("unauthenticated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_ERROR);
}

static void
er_sender_init (ErSender *self)
{
  self->backoff = 1;
  self->network_available = TRUE;
}

ErSender *
er_sender_new (ErOutbox *outbox,
               ErClient *client)
{
  g_return_val_if_fail (ER_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (client == NULL || ER_IS_CLIENT (client), NULL);

  return g_object_new (ER_TYPE_SENDER, "outbox", outbox, "client", client, NULL);
}

ErOutbox *
er_sender_get_outbox (ErSender *self)
{
  g_return_val_if_fail (ER_IS_SENDER (self), NULL);

  return self->outbox;
}

void
er_sender_set_client (ErSender *self,
                      ErClient *client)
{
  g_return_if_fail (ER_IS_SENDER (self));
  g_return_if_fail (client == NULL || ER_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (client != NULL)
    {
      self->paused = FALSE;
      reset_backoff (self);
    }

  /* Not yet constructed: constructed() schedules. */
  if (self->outbox != NULL && self->monitor != NULL)
    schedule (self);
}

void
er_sender_send_now (ErSender *self)
{
  g_return_if_fail (ER_IS_SENDER (self));

  self->retry_at = 0;
  er_outbox_make_all_due (self->outbox);
  schedule (self);
}

void
er_sender_retry (ErSender *self)
{
  g_return_if_fail (ER_IS_SENDER (self));

  if (self->offline || self->retry_at != 0)
    {
      g_debug ("The server answers again: retrying now");
      retry_now (self);
    }
}

void
er_sender_stop (ErSender *self)
{
  g_return_if_fail (ER_IS_SENDER (self));

  self->stopped = TRUE;
  schedule (self);
}

gboolean
er_sender_get_offline (ErSender *self)
{
  g_return_val_if_fail (ER_IS_SENDER (self), FALSE);

  return self->offline;
}

gboolean
er_sender_get_busy (ErSender *self)
{
  g_return_val_if_fail (ER_IS_SENDER (self), FALSE);

  return self->busy;
}
