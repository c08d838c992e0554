/* er-review-session.c: the review loop and its decision guard (see the header).
 *
 * The current case has a claim (ErClaim), a cancellable for its photo loads,
 * and the two photos as they arrive. The guard is computed from four facts:
 * when the case became current (current_since), whether both photos have
 * arrived, whether the UI says the case is visible, and since when all that
 * has held (presented_since); a timer notifies "can-decide" once
 * min-view-time has passed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-error.h"
#include "er-review-session-private.h"

G_DEFINE_QUARK (er-refusal-quark, er_refusal)

/* The newest decisions the agent may still take back, newest last. */

G_DEFINE_FINAL_TYPE (ErReviewSession, er_review_session, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGE,
  SIGNAL_UNAUTHENTICATED,
  SIGNAL_DELIVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


void
_er_review_session_notify (ErReviewSession *self,
        guint            prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
message (ErReviewSession *self,
         const char      *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

void
_er_review_session_message (ErReviewSession *self,
                            const char      *text)
{
  message (self, text);
}

static void
unauthenticated (ErReviewSession *self,
                 const GError    *error)
{
  g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, error->message);
}

/* ---- What the screen waits for ---------------------------------------- */

static void
update_status (ErReviewSession *self)
{
  const char *status = NULL;

  if (self->closed)
    status = NULL;
  else if (self->retry_status != NULL)
    status = self->retry_status;
  else if (er_review_queue_get_loading (self->queue))
    status = _("Loading the pending cases…");
  else if (self->current != NULL &&
           (er_review_session_get_photo_state (self, ER_PHOTO_USER) == ER_PHOTO_STATE_LOADING ||
            er_review_session_get_photo_state (self, ER_PHOTO_ID) == ER_PHOTO_STATE_LOADING))
    status = _("Loading the photos…");

  if (g_strcmp0 (status, self->status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  _er_review_session_notify (self, PROP_STATUS);
}

static void
set_retry_status (ErReviewSession *self,
                  char            *text)
{
  g_free (self->retry_status);
  self->retry_status = text;
  update_status (self);
}

/* The client is asking again after a failure: the screen says what for. */
static void
on_client_retrying (ErClient        *client,
                    ErRequestKind    kind,
                    guint            attempt,
                    guint            delay_ms,
                    GError          *error,
                    ErReviewSession *self)
{
  guint seconds = MAX ((delay_ms + 999) / 1000, 1);
  char *text;

  switch ((int) kind)
    {
    case ER_REQUEST_CASES:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The server did not send the pending cases; asking again in %u second…",
                                           "The server did not send the pending cases; asking again in %u seconds…",
                                           seconds), seconds);
      break;
    case ER_REQUEST_PHOTO:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The server did not send a photo; asking again in %u second…",
                                           "The server did not send a photo; asking again in %u seconds…",
                                           seconds), seconds);
      break;
    case ER_REQUEST_CLAIM:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The server did not confirm that this case is yours; asking again in %u second…",
                                           "The server did not confirm that this case is yours; asking again in %u seconds…",
                                           seconds), seconds);
      break;
    default:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The server did not answer; asking again in %u second…",
                                           "The server did not answer; asking again in %u seconds…",
                                           seconds), seconds);
      break;
    }
  g_debug ("Retry %u of a request (kind %d) in %u ms: %s", attempt, kind, delay_ms,
           error != NULL ? error->message : "");
  set_retry_status (self, text);
}

static void
on_client_recovered (ErReviewSession *self)
{
  set_retry_status (self, NULL);
}

static void
update_offline (ErReviewSession *self)
{
  gboolean offline = !self->closed &&
                     (er_review_queue_get_offline (self->queue) ||
                      er_sender_get_offline (self->sender));
  guint waiting = er_outbox_get_n_waiting (self->outbox);

  if (offline != self->offline)
    {
      self->offline = offline;
      _er_review_session_notify (self, PROP_OFFLINE);
    }
  if (waiting != self->n_waiting)
    {
      self->n_waiting = waiting;
      _er_review_session_notify (self, PROP_N_WAITING);
    }
}

/* ---- Decided here: one notion for the queue, the guard and the history -- */

gboolean
er_review_session_is_decided (ErReviewSession *self,
                              const char      *receipt_id)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);

  return er_outbox_has_case (self->outbox, receipt_id) ||
         g_hash_table_contains (self->delivered_ids, receipt_id);
}

GPtrArray *
er_review_session_get_delivered (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->delivered;
}

static gboolean
queue_filter (const char *receipt_id,
              gpointer    user_data)
{
  return er_review_session_is_decided (user_data, receipt_id);
}

/* ---- Photos of the current case --------------------------------------- */

static void
set_photo (ErReviewSession *self,
           ErPhotoKind      kind,
           ErPhotoImage    *image,
           const char      *error)
{
  guint texture_prop = kind == ER_PHOTO_USER ? PROP_USER_PHOTO : PROP_ID_PHOTO;
  guint error_prop = kind == ER_PHOTO_USER ? PROP_USER_PHOTO_ERROR : PROP_ID_PHOTO_ERROR;

  if (g_set_object (&self->photos[kind], image))
    _er_review_session_notify (self, texture_prop);
  if (g_strcmp0 (self->photo_errors[kind], error) != 0)
    {
      g_free (self->photo_errors[kind]);
      self->photo_errors[kind] = g_strdup (error);
      _er_review_session_notify (self, error_prop);
    }
}

typedef struct {
  ErReviewSession *self;
  ErCase          *kase;
  ErPhotoKind      kind;
} PhotoLoad;

static void
photo_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PhotoLoad *load = user_data;
  g_autoptr(ErReviewSession) self = load->self;
  g_autoptr(ErCase) kase = load->kase;
  ErPhotoKind kind = load->kind;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_prefetch_load_image_finish (ER_PREFETCH (source), result,
                                                                 &error);

  g_free (load);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->current != kase)
    return;

  if (image != NULL)
    set_photo (self, kind, image, NULL);
  else
    {
      set_photo (self, kind, NULL, error->message);
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        unauthenticated (self, error);
    }
  _er_review_session_update_guard (self);
  update_status (self);
}

static void
load_photo (ErReviewSession *self,
            ErPhotoKind      kind)
{
  PhotoLoad *load = g_new0 (PhotoLoad, 1);

  load->self = g_object_ref (self);
  load->kase = g_object_ref (self->current);
  load->kind = kind;
  er_prefetch_load_async (self->prefetch, self->current, kind, self->case_cancellable,
                          photo_loaded_cb, load);
}

/* Keeps the current case's photos and those of the next cases the agent will
 * see, as many as prefetch-depth says; everything else is dropped. */
static void
update_prefetch (ErReviewSession *self)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->queue);
  guint n = g_list_model_get_n_items (model);
  guint position = 0;

  if (self->closed || self->locked)
    return;
  if (self->current != NULL)
    {
      g_ptr_array_add (keep, g_object_ref (self->current));
      if (er_review_queue_find (self->queue, er_case_get_receipt_id (self->current), &position))
        position++;
    }
  for (guint i = 0; i < n && keep->len < (guint) self->prefetch_depth + 1; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (model, (position + i) % n);

      if (kase != self->current && !er_review_queue_claimed_by_colleague (self->queue, kase))
        g_ptr_array_add (keep, g_steal_pointer (&kase));
    }
  er_prefetch_keep (self->prefetch, (ErCase * const *) keep->pdata, keep->len);
}

/* ---- The claim on the current case ------------------------------------ */

static void
on_claim_lost (ErClaim         *claim,
               GError          *error,
               ErConflict      *conflict,
               ErReviewSession *self)
{
  g_autoptr(ErCase) kase = g_object_ref (er_claim_get_case (claim));
  g_autofree char *text = NULL;
  g_autoptr(ErCase) next = NULL;
  guint position;

  if (conflict != NULL && conflict->claimed_by != NULL)
    /* Translators: first %s is a colleague's username, second the learner's name */
    text = g_strdup_printf (_("%s is already reviewing %s; moved on to the next case."),
                            conflict->claimed_by, er_case_get_expected_name (kase));
  else if (conflict != NULL && conflict->decision != NULL)
    text = g_strdup_printf (_("%s was already decided by %s; moved on to the next case."),
                            er_case_get_expected_name (kase),
                            er_decision_get_decided_by (conflict->decision));
  else
    text = g_strdup_printf ("%s: %s", er_case_get_expected_name (kase), error->message);
  message (self, text);

  if (self->current != kase)
    return;
  er_claim_drop (claim);
  position = er_review_queue_remove (self->queue, er_case_get_receipt_id (kase));
  er_prefetch_forget (self->prefetch, er_case_get_receipt_id (kase));
  next = er_review_queue_next (self->queue, position, NULL);
  _er_review_session_open_case (self, next);
}

static void
on_claim_unauthenticated (ErClaim         *claim,
                          GError          *error,
                          ErReviewSession *self)
{
  unauthenticated (self, error);
}

static void
on_claim_failed (ErClaim         *claim,
                 GError          *error,
                 ErReviewSession *self)
{
  g_autofree char *text = g_strdup_printf (_("Could not reserve this case: %s"), error->message);

  message (self, text);
}

static void
on_claim_state (ErReviewSession *self)
{
  _er_review_session_notify (self, PROP_CLAIM_STATE);
}

ErClaimState
er_review_session_get_claim_state (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), ER_CLAIM_ENDED);
  return self->claim != NULL ? er_claim_get_state (self->claim) : ER_CLAIM_ENDED;
}

/* Ends the claim on the current case: released when the agent leaves it
 * undecided, dropped when it was decided (the decision ends it). */
static void
end_claim (ErReviewSession *self)
{
  if (self->claim == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->claim, self);
  if (self->current != NULL &&
      !er_review_session_is_decided (self, er_case_get_receipt_id (self->current)))
    er_claim_release (self->claim);
  else
    er_claim_drop (self->claim);
  g_clear_object (&self->claim);
  _er_review_session_notify (self, PROP_CLAIM_STATE);
}

static void
make_claim (ErReviewSession *self)
{
  self->claim = er_claim_new (self->client, self->current);
  g_signal_connect_object (self->claim, "lost", G_CALLBACK (on_claim_lost), self, 0);
  g_signal_connect_object (self->claim, "unauthenticated",
                           G_CALLBACK (on_claim_unauthenticated), self, 0);
  g_signal_connect_object (self->claim, "failed", G_CALLBACK (on_claim_failed), self, 0);
  g_signal_connect_object (self->claim, "notify::state", G_CALLBACK (on_claim_state), self,
                           G_CONNECT_SWAPPED);
}

/* ---- Opening cases ---------------------------------------------------- */

void
_er_review_session_open_case (ErReviewSession *self,
           ErCase          *kase)
{
  if (kase == self->current && kase != NULL)
    return;

  g_cancellable_cancel (self->case_cancellable);
  g_clear_object (&self->case_cancellable);
  end_claim (self);

  g_set_object (&self->current, kase);
  self->current_since = g_get_monotonic_time ();
  _er_review_session_id_reader_follow (self);
  er_review_queue_set_pinned (self->queue, kase);
  er_case_order_set_case (self->case_order,
                          kase != NULL && !self->closed && !self->locked ? kase : NULL);
  set_photo (self, ER_PHOTO_USER, NULL, NULL);
  set_photo (self, ER_PHOTO_ID, NULL, NULL);
  self->presented_since = 0;
  g_clear_handle_id (&self->view_timer, g_source_remove);

  if (kase != NULL && !self->closed && !self->locked)
    {
      self->case_cancellable = g_cancellable_new ();
      make_claim (self);
      load_photo (self, ER_PHOTO_USER);
      load_photo (self, ER_PHOTO_ID);
    }

  _er_review_session_notify (self, PROP_CURRENT_CASE);
  _er_review_session_notify (self, PROP_CLAIM_STATE);
  update_prefetch (self);
  _er_review_session_update_guard (self);
  update_status (self);
}

void
er_review_session_open (ErReviewSession *self,
                        ErCase          *kase)
{
  guint position;

  g_return_if_fail (ER_IS_REVIEW_SESSION (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  if (self->closed || self->locked)
    return;
  if (kase != NULL)
    {
      if (er_review_queue_find (self->queue, er_case_get_receipt_id (kase), &position))
        {
          g_autoptr(ErCase) listed = g_list_model_get_item (G_LIST_MODEL (self->queue), position);

          _er_review_session_open_case (self, listed);
          return;
        }
      er_review_queue_insert (self->queue, 0, kase);
    }
  _er_review_session_open_case (self, kase);
}

ErCaseOrder *
er_review_session_get_case_order (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->case_order;
}

ErCase *
er_review_session_get_current_case (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->current;
}

ErPhotoImage *
er_review_session_get_photo (ErReviewSession *self,
                             ErPhotoKind      kind)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  g_return_val_if_fail (kind == ER_PHOTO_USER || kind == ER_PHOTO_ID, NULL);
  return self->photos[kind];
}

const char *
er_review_session_get_photo_error (ErReviewSession *self,
                                   ErPhotoKind      kind)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  g_return_val_if_fail (kind == ER_PHOTO_USER || kind == ER_PHOTO_ID, NULL);
  return self->photo_errors[kind];
}

/* ---- The queue -------------------------------------------------------- */

static void
on_queue_refreshed (ErReviewSession *self)
{
  if (self->locked)
    return;
  if (self->current == NULL)
    {
      g_autoptr(ErCase) first = er_review_queue_next (self->queue, 0, NULL);

      _er_review_session_open_case (self, first);
    }
  else
    update_prefetch (self);
}

/* The server answered: decisions waiting out a backoff go now, and a claim
 * that could not be made (offline) is made at last. */
static void
on_queue_answered (ErReviewSession *self)
{
  er_sender_retry (self->sender);
  if (self->claim != NULL)
    er_claim_retry (self->claim);
}

static void
on_queue_failed (ErReviewSession *self,
                 GError          *error)
{
  set_retry_status (self, NULL); /* the client gave up: the error shows */
  if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
    unauthenticated (self, error);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0 &&
           !g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK)) /* offline: the banner says it */
    {
      g_autofree char *text = g_strdup_printf (_("The queue could not be refreshed: %s"),
                                               error->message);
      message (self, text);
    }
}

static void
on_queue_state (ErReviewSession *self)
{
  update_offline (self);
  update_status (self);
}

void
er_review_session_refresh (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (!self->closed && !self->locked)
    er_review_queue_refresh (self->queue);
}

void
er_review_session_set_query (ErReviewSession *self,
                             const char      *text,
                             const char      *source)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (!self->closed && !self->locked)
    er_review_queue_set_query (self->queue, text, source);
}

void
er_review_session_retry (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (self->closed)
    return;
  /* The decisions waiting out a backoff go now; those still in their undo
   * delay keep it. */
  er_sender_retry (self->sender);
  if (self->locked)
    return;
  if (self->claim != NULL)
    er_claim_retry (self->claim);
  er_review_queue_refresh (self->queue);
}

/* ---- The sender ------------------------------------------------------- */

static void
on_delivered (ErSender        *sender,
              ErOutboxEntry   *entry,
              ErDecision      *decision,
              ErReviewSession *self)
{
  g_hash_table_add (self->delivered_ids, g_strdup (er_outbox_entry_get_receipt_id (entry)));
  g_ptr_array_add (self->delivered, er_outbox_entry_ref (entry));
  g_signal_emit (self, signals[SIGNAL_DELIVERED], 0, entry);
}

static void
on_sender_unauthenticated (ErSender        *sender,
                           GError          *error,
                           ErReviewSession *self)
{
  unauthenticated (self, error);
}

/* Back online for the sender: the queue follows at once. */
static void
on_sender_offline (ErReviewSession *self)
{
  update_offline (self);
  if (!er_sender_get_offline (self->sender) && er_review_queue_get_offline (self->queue))
    er_review_queue_refresh (self->queue);
}

static void
on_outbox_changed (ErReviewSession *self)
{
  update_offline (self);
  _er_review_session_schedule_undo_expiry (self);
  _er_review_session_update_guard (self);
}

/* ---- Starting and closing --------------------------------------------- */

void
er_review_session_start (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (self->started || self->closed)
    return;
  self->started = TRUE;
  if (self->outbox_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The list of decisions waiting to be sent was damaged and has been set aside: %s"),
                                               self->outbox_error->message);
      message (self, text);
      g_clear_error (&self->outbox_error);
    }
  er_review_queue_refresh (self->queue);
  update_status (self);
}

/* ---- Locking and activity --------------------------------------------- */

void
er_review_session_lock (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (self->locked || self->closed)
    return;
  self->locked = TRUE;
  /* The open case is left (its claim given back), the list is forgotten,
   * and every photo leaves memory; the outbox and its sender go on. */
  _er_review_session_open_case (self, NULL);
  er_review_queue_clear (self->queue);
  er_prefetch_clear (self->prefetch);
  er_id_reader_clear (self->id_reader);
  _er_review_session_schedule_undo_expiry (self);
  _er_review_session_update_guard (self);
  update_status (self);
  _er_review_session_notify (self, PROP_LOCKED);
}

void
er_review_session_unlock (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (!self->locked || self->closed)
    return;
  self->locked = FALSE;
  _er_review_session_notify (self, PROP_LOCKED);
  _er_review_session_schedule_undo_expiry (self);
  /* The list comes again; the oldest case opens when it does. */
  if (self->started)
    er_review_queue_refresh (self->queue);
  update_status (self);
}

gboolean
er_review_session_get_locked (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->locked;
}

void
er_review_session_set_active (ErReviewSession *self)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  if (self->locked || self->closed || self->current == NULL)
    return;
  if (self->claim != NULL && er_claim_get_state (self->claim) == ER_CLAIM_ENDED &&
      !er_review_session_is_decided (self, er_case_get_receipt_id (self->current)))
    {
      /* The claim lapsed while the agent was away: the case is claimed
       * again now that someone is looking at it. */
      g_signal_handlers_disconnect_by_data (self->claim, self);
      g_clear_object (&self->claim);
      make_claim (self);
      _er_review_session_notify (self, PROP_CLAIM_STATE);
      return;
    }
  if (self->claim != NULL)
    er_claim_set_active (self->claim);
}

typedef struct {
  ErSender *sender;
  guint     timeout_id;
  gulong    handler;
} Farewell;

static void
farewell_free (Farewell *f)
{
  g_clear_handle_id (&f->timeout_id, g_source_remove);
  g_clear_signal_handler (&f->handler, f->sender);
  er_sender_stop (f->sender);
  g_object_unref (f->sender);
  g_free (f);
}

static void
farewell_done (GTask *task)
{
  Farewell *f = g_task_get_task_data (task);

  g_clear_handle_id (&f->timeout_id, g_source_remove);
  g_clear_signal_handler (&f->handler, f->sender);
  /* The outbox's last changes on disk before the app may end (bounded). */
  er_outbox_flush (er_sender_get_outbox (f->sender), ER_OUTBOX_FLUSH_TIMEOUT_MS);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_farewell_busy (ErSender   *sender,
                  GParamSpec *pspec,
                  GTask      *task)
{
  if (!er_sender_get_busy (sender))
    farewell_done (task);
}

static gboolean
farewell_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Farewell *f = g_task_get_task_data (task);

  f->timeout_id = 0;
  farewell_done (task);
  return G_SOURCE_REMOVE;
}

void
er_review_session_close_async (ErReviewSession     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Farewell *f;

  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_review_session_close_async);

  if (!self->closed)
    {
      self->closed = TRUE;
      _er_review_session_open_case (self, NULL);
      er_review_queue_stop (self->queue);
      er_prefetch_clear (self->prefetch);
      er_id_reader_clear (self->id_reader);
      g_queue_clear_full (&self->undoables, (GDestroyNotify) _er_review_session_undoable_free);
      g_clear_handle_id (&self->undo_timer, g_source_remove);
      _er_review_session_schedule_undo_expiry (self);
      _er_review_session_update_guard (self);
      update_status (self);
      update_offline (self);
      /* Photos and the key leave memory now; the decisions still to send
       * keep the client for a few seconds. */
      g_clear_pointer (&self->key, er_private_key_unref);
      g_signal_handlers_disconnect_by_data (self->sender, self);
      g_signal_handlers_disconnect_by_data (self->outbox, self);
      er_outbox_make_all_due (self->outbox);
      er_sender_send_now (self->sender);
    }

  if (!er_sender_get_busy (self->sender))
    {
      er_sender_stop (self->sender);
      er_outbox_flush (self->outbox, ER_OUTBOX_FLUSH_TIMEOUT_MS);
      g_task_return_boolean (task, TRUE);
      return;
    }

  f = g_new0 (Farewell, 1);
  f->sender = g_object_ref (self->sender);
  g_task_set_task_data (task, f, (GDestroyNotify) farewell_free);
  f->handler = g_signal_connect (f->sender, "notify::busy", G_CALLBACK (on_farewell_busy), task);
  f->timeout_id = g_timeout_add_seconds (ER_REVIEW_SESSION_CLOSE_SECONDS, farewell_timeout, task);
  g_steal_pointer (&task);
}

gboolean
er_review_session_close_finish (ErReviewSession  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_review_session_close_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Getters, properties ---------------------------------------------- */

ErClient *
er_review_session_get_client (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->client;
}

ErPrivateKey *
er_review_session_get_key (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->key;
}

ErAgent *
er_review_session_get_agent (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->agent;
}

ErOutbox *
er_review_session_get_outbox (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->outbox;
}

ErSender *
er_review_session_get_sender (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->sender;
}

ErPrefetch *
er_review_session_get_prefetch (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->prefetch;
}

ErReviewQueue *
er_review_session_get_queue (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->queue;
}

gboolean
er_review_session_get_offline (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->offline;
}

guint
er_review_session_get_n_waiting (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), 0);
  return self->n_waiting;
}

const char *
er_review_session_get_status (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->status;
}

ErReviewSession *
er_review_session_new (ErClient     *client,
                       ErPrivateKey *key,
                       ErAgent      *agent)
{
  ErReviewSession *self;
  g_autofree char *path = NULL;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ER_IS_AGENT (agent), NULL);

  self = g_object_new (ER_TYPE_REVIEW_SESSION, NULL);
  self->client = g_object_ref (client);
  self->key = key != NULL ? er_private_key_ref (key) : NULL;
  self->agent = g_object_ref (agent);

  path = er_outbox_default_path (er_client_get_server (client), er_agent_get_username (agent));
  self->outbox = er_outbox_new (path, &self->outbox_error);
  self->queue = er_review_queue_new (client, er_agent_get_username (agent), queue_filter, self);
  self->case_order = er_case_order_new (client, er_agent_has_permission (agent, "manual_cases"));

  self->sender = er_sender_new (self->outbox, client);
  g_signal_connect_object (self->sender, "delivered", G_CALLBACK (on_delivered), self, 0);
  g_signal_connect_object (self->sender, "unauthenticated",
                           G_CALLBACK (on_sender_unauthenticated), self, 0);
  g_signal_connect_object (self->sender, "notify::offline", G_CALLBACK (on_sender_offline), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (client, "retrying", G_CALLBACK (on_client_retrying), self, 0);
  g_signal_connect_object (client, "recovered", G_CALLBACK (on_client_recovered), self,
                           G_CONNECT_SWAPPED);
  self->prefetch = er_prefetch_new (client, key);
  _er_review_session_init_id_reader (self);
  g_signal_connect_object (self->outbox, "changed", G_CALLBACK (on_outbox_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outbox, "write-failed",
                           G_CALLBACK (_er_review_session_outbox_write_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "refreshed", G_CALLBACK (on_queue_refreshed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "answered", G_CALLBACK (on_queue_answered), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "failed", G_CALLBACK (on_queue_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::loading", G_CALLBACK (on_queue_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::offline", G_CALLBACK (on_queue_state), self,
                           G_CONNECT_SWAPPED);
  self->n_waiting = er_outbox_get_n_waiting (self->outbox);
  return self;
}

static void
er_review_session_dispose (GObject *object)
{
  ErReviewSession *self = ER_REVIEW_SESSION (object);

  /* Nothing they say reaches a half-disposed session. */
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_cancellable_cancel (self->case_cancellable);
  g_clear_object (&self->case_cancellable);
  if (self->claim != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->claim, self);
      er_claim_drop (self->claim);
      g_clear_object (&self->claim);
    }
  g_clear_handle_id (&self->view_timer, g_source_remove);
  g_clear_handle_id (&self->undo_timer, g_source_remove);
  g_queue_clear_full (&self->undoables, (GDestroyNotify) _er_review_session_undoable_free);
  if (self->queue != NULL)
    er_review_queue_stop (self->queue);
  if (self->sender != NULL)
    er_sender_stop (self->sender);
  g_clear_object (&self->current);
  g_clear_object (&self->photos[ER_PHOTO_USER]);
  g_clear_object (&self->photos[ER_PHOTO_ID]);
  g_clear_object (&self->queue);
  g_clear_object (&self->case_order);
  g_clear_object (&self->id_reader);
  g_clear_object (&self->prefetch);
  g_clear_object (&self->sender);
  g_clear_object (&self->outbox);
  g_clear_object (&self->client);
  g_clear_object (&self->agent);
  g_clear_pointer (&self->key, er_private_key_unref);

  G_OBJECT_CLASS (er_review_session_parent_class)->dispose (object);
}

static void
er_review_session_finalize (GObject *object)
{
  ErReviewSession *self = ER_REVIEW_SESSION (object);

  g_clear_error (&self->outbox_error);
  g_hash_table_unref (self->delivered_ids);
  g_ptr_array_unref (self->delivered);
  g_free (self->photo_errors[ER_PHOTO_USER]);
  g_free (self->photo_errors[ER_PHOTO_ID]);
  g_free (self->undo_label);
  g_free (self->status);
  g_free (self->retry_status);

  G_OBJECT_CLASS (er_review_session_parent_class)->finalize (object);
}

static void
er_review_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ErReviewSession *self = ER_REVIEW_SESSION (object);

  switch (prop_id)
    {
    case PROP_CURRENT_CASE: g_value_set_object (value, self->current); break;
    case PROP_USER_PHOTO: g_value_set_object (value, self->photos[ER_PHOTO_USER]); break;
    case PROP_ID_PHOTO: g_value_set_object (value, self->photos[ER_PHOTO_ID]); break;
    case PROP_USER_PHOTO_ERROR: g_value_set_string (value, self->photo_errors[ER_PHOTO_USER]); break;
    case PROP_ID_PHOTO_ERROR: g_value_set_string (value, self->photo_errors[ER_PHOTO_ID]); break;
    case PROP_CLAIM_STATE: g_value_set_int (value, er_review_session_get_claim_state (self)); break;
    case PROP_CASE_VISIBLE: g_value_set_boolean (value, self->case_visible); break;
    case PROP_CAN_DECIDE: g_value_set_boolean (value, self->can_decide); break;
    case PROP_CAN_APPROVE: g_value_set_boolean (value, self->can_approve); break;
    case PROP_CAN_UNDO: g_value_set_boolean (value, self->can_undo); break;
    case PROP_UNDO_LABEL: g_value_set_string (value, self->undo_label); break;
    case PROP_UNDO_SECONDS_LEFT: g_value_set_uint (value, self->undo_seconds_left); break;
    case PROP_QUEUE: g_value_set_object (value, self->queue); break;
    case PROP_OFFLINE: g_value_set_boolean (value, self->offline); break;
    case PROP_N_WAITING: g_value_set_uint (value, self->n_waiting); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_LOCKED: g_value_set_boolean (value, self->locked); break;
    case PROP_UNDO_DELAY: g_value_set_int (value, self->undo_delay); break;
    case PROP_PREFETCH_DEPTH: g_value_set_int (value, self->prefetch_depth); break;
    case PROP_MIN_VIEW_TIME: g_value_set_int (value, self->min_view_time); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_int (ErReviewSession *self,
         int             *field,
         int              value,
         guint            prop)
{
  if (*field == value)
    return;
  *field = value;
  _er_review_session_notify (self, prop);
}

static void
er_review_session_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ErReviewSession *self = ER_REVIEW_SESSION (object);

  switch (prop_id)
    {
    case PROP_CASE_VISIBLE:
      er_review_session_set_case_visible (self, g_value_get_boolean (value));
      break;
    case PROP_UNDO_DELAY:
      set_int (self, &self->undo_delay, g_value_get_int (value), prop_id);
      break;
    case PROP_PREFETCH_DEPTH:
      set_int (self, &self->prefetch_depth, g_value_get_int (value), prop_id);
      if (self->prefetch != NULL)
        update_prefetch (self);
      break;
    case PROP_MIN_VIEW_TIME:
      set_int (self, &self->min_view_time, g_value_get_int (value), prop_id);
      /* A case on screen waits the new time from when it was presented. */
      if (self->view_timer != 0)
        {
          gint64 left = self->presented_since + _er_review_session_min_view_us (self) - g_get_monotonic_time ();

          g_clear_handle_id (&self->view_timer, g_source_remove);
          self->view_timer = g_timeout_add (MAX (left, 0) / 1000 + 1, _er_review_session_view_time_passed, self);
        }
      _er_review_session_update_guard (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_review_session_class_init (ErReviewSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = er_review_session_dispose;
  object_class->finalize = er_review_session_finalize;
  object_class->get_property = er_review_session_get_property;
  object_class->set_property = er_review_session_set_property;

  properties[PROP_CURRENT_CASE] = g_param_spec_object ("current-case", NULL, NULL, ER_TYPE_CASE, ro);
  properties[PROP_USER_PHOTO] = g_param_spec_object ("user-photo", NULL, NULL, ER_TYPE_PHOTO_IMAGE, ro);
  properties[PROP_ID_PHOTO] = g_param_spec_object ("id-photo", NULL, NULL, ER_TYPE_PHOTO_IMAGE, ro);
  properties[PROP_USER_PHOTO_ERROR] = g_param_spec_string ("user-photo-error", NULL, NULL, NULL, ro);
  properties[PROP_ID_PHOTO_ERROR] = g_param_spec_string ("id-photo-error", NULL, NULL, NULL, ro);
  properties[PROP_CLAIM_STATE] =
    g_param_spec_int ("claim-state", NULL, NULL, ER_CLAIM_CLAIMING, ER_CLAIM_ENDED, ER_CLAIM_ENDED, ro);
  properties[PROP_CASE_VISIBLE] = g_param_spec_boolean ("case-visible", NULL, NULL, FALSE, rw);
  properties[PROP_CAN_DECIDE] = g_param_spec_boolean ("can-decide", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_APPROVE] = g_param_spec_boolean ("can-approve", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, ro);
  properties[PROP_UNDO_SECONDS_LEFT] =
    g_param_spec_uint ("undo-seconds-left", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, ro);
  properties[PROP_N_WAITING] = g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_LOCKED] = g_param_spec_boolean ("locked", NULL, NULL, FALSE, ro);
  properties[PROP_UNDO_DELAY] = g_param_spec_int ("undo-delay", NULL, NULL, 0, 60, 5, rw);
  properties[PROP_PREFETCH_DEPTH] = g_param_spec_int ("prefetch-depth", NULL, NULL, 0, 10, 2, rw);
  properties[PROP_MIN_VIEW_TIME] =
    g_param_spec_int ("min-view-time", NULL, NULL, 0, 10000, ER_REVIEW_SESSION_MIN_VIEW_MS, rw);
  properties[PROP_QUEUE] = g_param_spec_object ("queue", NULL, NULL, ER_TYPE_REVIEW_QUEUE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_UNAUTHENTICATED] =
    g_signal_new ("unauthenticated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_DELIVERED] =
    g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ER_TYPE_OUTBOX_ENTRY);
}

static void
er_review_session_init (ErReviewSession *self)
{
  self->delivered_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->delivered = g_ptr_array_new_with_free_func ((GDestroyNotify) er_outbox_entry_unref);
  g_queue_init (&self->undoables);
  self->undo_delay = 5;
  self->prefetch_depth = 2;
  self->min_view_time = ER_REVIEW_SESSION_MIN_VIEW_MS;
}
