/* er-client-retry.c: prompt recovery.
 *
 * An idempotent request that fails for a reason that may pass (a 5xx, a
 * 429, a network error) is sent again after a wait: Retry-After for a 429
 * (at most ER_RETRY_AFTER_MAX_MS), otherwise 0.3–0.6 s, doubling, with
 * jitter, at most ER_RETRY_MAX_MS. The wait is a timeout source on the
 * task's context with the task's cancellable as a child source, so that a
 * cancelled wait ends at once (as in er-manual.c).
 */

#include "config.h"

#include "er-client-private.h"
#include "er-error.h"

#define ER_RETRY_FIRST_MS     300
#define ER_RETRY_MAX_MS       8000
#define ER_RETRY_AFTER_MAX_MS 30000

/* The data of the wait source. */
typedef struct {
  GTask   *task;
  ErRetry *retry;  /* in the task's data */
} RetryWait;

static const char * const kind_names[] = {
  [ER_REQUEST_ME] = "GET /me",
  [ER_REQUEST_CASES] = "GET /cases",
  [ER_REQUEST_CASE] = "GET /cases/{id}",
  [ER_REQUEST_CLAIM] = "POST /cases/{id}/claim",
  [ER_REQUEST_RELEASE] = "DELETE /cases/{id}/claim",
  [ER_REQUEST_ORDER] = "GET /orders/{invoice}",
  [ER_REQUEST_KEY] = "GET /keys/verification",
  [ER_REQUEST_DECISIONS] = "GET /decisions",
  [ER_REQUEST_PHOTO] = "GET photo",
};

void
_er_retry_init (ErRetry       *retry,
                ErRequestKind  kind,
                ErResendFunc   resend)
{
  retry->enabled = TRUE;
  retry->kind = kind;
  retry->resend = resend;
}

static void
retry_wait_free (gpointer data)
{
  RetryWait *wait = data;

  g_clear_object (&wait->task);
  g_free (wait);
}

/* The wait is over, or (through the child source) the task was cancelled. */
static gboolean
retry_wait_cb (gpointer user_data)
{
  RetryWait *wait = user_data;
  ErRetry *retry = wait->retry;

  g_clear_pointer (&retry->wait, g_source_unref);

  if (g_task_return_error_if_cancelled (wait->task))
    g_debug ("%s: cancelled while waiting to retry", kind_names[retry->kind]);
  else
    retry->resend (g_object_ref (wait->task));

  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  /* The parent timeout source dispatches too, and sees the cancellation. */
  return G_SOURCE_CONTINUE;
}

/* A failure that may pass (er_error_is_transient), except a certificate
 * that could not be verified: it does not get better by asking again. */
static gboolean
is_transient (const GError *network_error,
              const GError *error)
{
  if (g_error_matches (network_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return FALSE;

  return er_error_is_transient (error);
}

/* retry: 1 for the first retry. */
static guint
backoff_ms (guint retry)
{
  guint nominal = MIN ((guint)ER_RETRY_FIRST_MS << MIN (retry - 1, 8), ER_RETRY_MAX_MS);

  return MIN (nominal + (guint)g_random_int_range (0, (gint32)nominal + 1), ER_RETRY_MAX_MS);
}

/* Called for a failed attempt: msg is the request sent (its response
 * status is looked at when network_error is NULL), error what the operation
 * would return. When the failure may pass and retries are left, emits
 * "retrying", waits and resends, and returns TRUE: the task is taken care
 * of. Otherwise returns FALSE and the caller returns error. */
gboolean
_er_client_retry (GTask        *task,
                  ErRetry      *retry,
                  SoupMessage  *msg,
                  const GError *network_error,
                  const GError *error)
{
  ErClient *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  RetryWait *wait;
  guint delay_ms;

  if (!retry->enabled || retry->retries >= self->max_retries)
    return FALSE;
  if (!is_transient (network_error, error))
    return FALSE;
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_assert (retry->wait == NULL);

  retry->retries++;
  delay_ms = backoff_ms (retry->retries);
  if (g_error_matches (error, ER_ERROR, ER_ERROR_RATE_LIMITED))
    {
      guint seconds = _er_client_retry_after_seconds (soup_message_get_response_headers (msg));

      if (seconds > 0)
        delay_ms = MIN (seconds, ER_RETRY_AFTER_MAX_MS / 1000) * 1000;
    }

  g_debug ("%s: retry %u of %u in %u ms: %s", kind_names[retry->kind],
           retry->retries, self->max_retries, delay_ms, error->message);

  wait = g_new0 (RetryWait, 1);
  wait->task = g_object_ref (task);
  wait->retry = retry;

  retry->wait = g_timeout_source_new (delay_ms);
  g_source_set_static_name (retry->wait, "[er-client] retry");
  g_source_set_priority (retry->wait, g_task_get_priority (task));
  g_source_set_callback (retry->wait, retry_wait_cb, wait, retry_wait_free);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancel_source, G_SOURCE_FUNC (retry_cancelled_cb), NULL, NULL);
      g_source_add_child_source (retry->wait, cancel_source);
    }
  g_source_attach (retry->wait, g_task_get_context (task));

  /* Last, so that a handler that cancels finds the wait in place. */
  g_signal_emit (self, _er_client_signals[ER_CLIENT_SIGNAL_RETRYING], 0,
                 (int)retry->kind, retry->retries, delay_ms, error);

  return TRUE;
}

/* Called when an attempt got its answer. */
void
_er_client_retry_succeeded (GTask   *task,
                            ErRetry *retry)
{
  if (retry->retries == 0)
    return;

  g_debug ("%s: recovered after %u retries", kind_names[retry->kind], retry->retries);
  g_signal_emit (g_task_get_source_object (task),
                 _er_client_signals[ER_CLIENT_SIGNAL_RECOVERED], 0, (int)retry->kind);
}

void
_er_client_retry_network_failure (GTask       *task,
                                  ErRetry     *retry,
                                  ErDeadline  *deadline,
                                  SoupMessage *msg,
                                  GError      *error)
{
  g_autoptr(GError) owned = _er_deadline_check (deadline, error);
  g_autoptr(GError) mapped = NULL;

  _er_deadline_stop (deadline);
  mapped = _er_client_network_error (g_error_copy (owned), msg);
  if (!_er_client_retry (task, retry, msg, owned, mapped))
    g_task_return_error (task, g_steal_pointer (&mapped));
}
