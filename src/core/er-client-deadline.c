/* er-client-deadline.c: an overall deadline for every request.
 *
 * libsoup's "timeout" bounds each read, so a server that trickles a byte
 * every few seconds is never timed out by it. Every attempt (an API
 * request, a photo hop) therefore gets its own GCancellable, cancelled
 * either by the task's cancellable or by a timeout source at the deadline;
 * a cancellation at the deadline becomes an ER_ERROR_NETWORK that says so,
 * one by the caller stays a silent G_IO_ERROR_CANCELLED.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-client-private.h"
#include "er-error.h"

/* A cancellable source rather than g_cancellable_connect(): stopping the
 * deadline from a callback run during the parent's "cancelled" emission
 * would then deadlock in g_cancellable_disconnect(). */
static gboolean
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  ErDeadline *deadline = user_data;

  g_clear_pointer (&deadline->parent_source, g_source_unref);
  g_cancellable_cancel (deadline->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
deadline_expired_cb (gpointer user_data)
{
  ErDeadline *deadline = user_data;

  g_debug ("Request deadline (%u s) reached: cancelling it", deadline->seconds);
  deadline->expired = TRUE;
  g_clear_pointer (&deadline->timeout, g_source_unref);
  g_cancellable_cancel (deadline->cancellable);

  return G_SOURCE_REMOVE;
}

/* Starts the deadline of a new attempt of task, seconds from now, and
 * returns the cancellable to give the attempt's operations (owned by the
 * deadline). Stops the previous attempt's deadline, if any. */
GCancellable *
_er_deadline_start (ErDeadline *deadline,
                    GTask      *task,
                    guint       seconds)
{
  GCancellable *parent = g_task_get_cancellable (task);

  _er_deadline_stop (deadline);

  deadline->seconds = seconds;
  deadline->expired = FALSE;
  deadline->cancellable = g_cancellable_new ();

  if (parent != NULL)
    {
      deadline->parent = g_object_ref (parent);
      if (g_cancellable_is_cancelled (parent))
        g_cancellable_cancel (deadline->cancellable);
      deadline->parent_source = g_cancellable_source_new (parent);
      g_source_set_static_name (deadline->parent_source, "[er-client] request cancelled");
      g_source_set_callback (deadline->parent_source, G_SOURCE_FUNC (parent_cancelled_cb),
                             deadline, NULL);
      g_source_attach (deadline->parent_source, g_task_get_context (task));
    }

  deadline->timeout = g_timeout_source_new_seconds (seconds);
  g_source_set_static_name (deadline->timeout, "[er-client] request deadline");
  g_source_set_callback (deadline->timeout, deadline_expired_cb, deadline, NULL);
  g_source_attach (deadline->timeout, g_task_get_context (task));

  return deadline->cancellable;
}

/* Stops the deadline (the attempt is over); safe to call more than once. */
void
_er_deadline_stop (ErDeadline *deadline)
{
  if (deadline->timeout != NULL)
    {
      g_source_destroy (deadline->timeout);
      g_clear_pointer (&deadline->timeout, g_source_unref);
    }

  if (deadline->parent_source != NULL)
    {
      g_source_destroy (deadline->parent_source);
      g_clear_pointer (&deadline->parent_source, g_source_unref);
    }
  g_clear_object (&deadline->parent);

  g_clear_object (&deadline->cancellable);
}

/* Takes error, a failure of the attempt: when it is the cancellation made
 * at the deadline, returns the error that says so (an ER_ERROR_NETWORK:
 * a slow network may be faster next time), else error itself. */
GError *
_er_deadline_check (ErDeadline *deadline,
                    GError     *error)
{
  g_autoptr(GError) owned = error;

  if (!deadline->expired || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  /* Cancelled by the caller too: stay silent. */
  if (deadline->parent != NULL && g_cancellable_is_cancelled (deadline->parent))
    return g_steal_pointer (&owned);

  return g_error_new (ER_ERROR, ER_ERROR_NETWORK,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The server took more than %u second to answer, so the "
                                   "request was stopped. Check your network connection and "
                                   "try again.",
                                   "The server took more than %u seconds to answer, so the "
                                   "request was stopped. Check your network connection and "
                                   "try again.",
                                   deadline->seconds),
                      deadline->seconds);
}
