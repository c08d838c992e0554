/* er-review-session-decide.c: the decision guard, decisions, undo and skip
 * (see er-review-session.h for the rules). */
#include "config.h"

#include <glib/gi18n.h>

#include "er-error.h"
#include "er-review-session-private.h"

/* ---- The decision guard ----------------------------------------------- */

ErPhotoState
er_review_session_get_photo_state (ErReviewSession *self,
                                   ErPhotoKind      kind)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), ER_PHOTO_STATE_LOADING);
  g_return_val_if_fail (kind == ER_PHOTO_USER || kind == ER_PHOTO_ID, ER_PHOTO_STATE_LOADING);

  if (self->photos[kind] != NULL)
    return ER_PHOTO_STATE_READY;
  if (self->photo_errors[kind] != NULL)
    return ER_PHOTO_STATE_FAILED;
  return ER_PHOTO_STATE_LOADING;
}

static gboolean
photos_arrived (ErReviewSession *self)
{
  return er_review_session_get_photo_state (self, ER_PHOTO_USER) != ER_PHOTO_STATE_LOADING &&
         er_review_session_get_photo_state (self, ER_PHOTO_ID) != ER_PHOTO_STATE_LOADING;
}

static gboolean
photos_shown (ErReviewSession *self)
{
  return self->photos[ER_PHOTO_USER] != NULL && self->photos[ER_PHOTO_ID] != NULL;
}

gint64
_er_review_session_min_view_us (ErReviewSession *self)
{
  return (gint64) self->min_view_time * 1000;
}


gboolean
_er_review_session_view_time_passed (gpointer user_data)
{
  ErReviewSession *self = user_data;

  self->view_timer = 0;
  _er_review_session_update_guard (self);
  return G_SOURCE_REMOVE;
}

void
_er_review_session_update_guard (ErReviewSession *self)
{
  gboolean presented = self->current != NULL && self->case_visible && photos_arrived (self) &&
                       !self->closed;
  gboolean can_decide, can_approve;
  gint64 now = g_get_monotonic_time ();

  if (!presented)
    {
      self->presented_since = 0;
      g_clear_handle_id (&self->view_timer, g_source_remove);
    }
  else if (self->presented_since == 0)
    {
      self->presented_since = now;
      g_clear_handle_id (&self->view_timer, g_source_remove);
      self->view_timer = g_timeout_add (self->min_view_time + 1, _er_review_session_view_time_passed, self);
    }

  can_decide = presented && now - self->presented_since >= _er_review_session_min_view_us (self) &&
               !er_review_session_is_decided (self, er_case_get_receipt_id (self->current));
  can_approve = can_decide && photos_shown (self);

  if (can_decide != self->can_decide)
    {
      self->can_decide = can_decide;
      _er_review_session_notify (self, PROP_CAN_DECIDE);
    }
  if (can_approve != self->can_approve)
    {
      self->can_approve = can_approve;
      _er_review_session_notify (self, PROP_CAN_APPROVE);
    }
}

gboolean
er_review_session_check (ErReviewSession  *self,
                         const char       *receipt_id,
                         gboolean          approve,
                         gint64            press_time,
                         GError          **error)
{
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);

  if (self->locked)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_LOCKED,
                           _("The screen is locked; unlock it to go on."));
      return FALSE;
    }
  if (self->current == NULL || self->closed)
    {
      if (self->status != NULL)
        g_set_error (error, ER_REFUSAL, ER_REFUSAL_NO_CASE, _("No case is open yet. %s"),
                     self->status);
      else
        g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_NO_CASE, _("No case is open."));
      return FALSE;
    }
  if (receipt_id == NULL || !g_str_equal (receipt_id, er_case_get_receipt_id (self->current)))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_OTHER_CASE,
                           _("That decision was for a case no longer on screen; nothing was recorded."));
      return FALSE;
    }
  if (er_review_session_is_decided (self, receipt_id))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_DECIDED,
                           _("This case has already been decided."));
      return FALSE;
    }
  if (!self->case_visible)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_NOT_VISIBLE,
                           _("Open the case to see its photos before deciding."));
      return FALSE;
    }
  if (!photos_arrived (self))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_PHOTOS_LOADING,
                           _("Wait for both photos to be shown before deciding."));
      return FALSE;
    }
  /* The press must have begun once the photos were there to be seen: a
   * key held (repeating) since the previous case, or since the photos were
   * still loading, never decides. */
  if (press_time != 0 &&
      (press_time < self->current_since ||
       (self->presented_since != 0 && press_time < self->presented_since)))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_KEY_HELD,
                           _("Release the key and press it again to decide on this case."));
      return FALSE;
    }
  if (self->presented_since == 0 || now - self->presented_since < _er_review_session_min_view_us (self))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_TOO_SOON,
                           _("Take a moment to look at both photos before deciding."));
      return FALSE;
    }
  if (approve && !photos_shown (self))
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_PHOTO_UNAVAILABLE,
                           _("A photo could not be shown, so this case cannot be approved: deny it with the right reason, or skip it."));
      return FALSE;
    }
  return TRUE;
}

void
er_review_session_set_case_visible (ErReviewSession *self,
                                    gboolean         visible)
{
  g_return_if_fail (ER_IS_REVIEW_SESSION (self));

  visible = !!visible;
  if (self->case_visible == visible)
    return;
  self->case_visible = visible;
  _er_review_session_notify (self, PROP_CASE_VISIBLE);
  _er_review_session_update_guard (self);
}

gboolean
er_review_session_get_case_visible (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->case_visible;
}

gboolean
er_review_session_get_can_decide (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->can_decide;
}

gboolean
er_review_session_get_can_approve (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->can_approve;
}

/* ---- Decisions and undo ----------------------------------------------- */

void
_er_review_session_undoable_free (Undoable *u)
{
  g_free (u->key);
  g_clear_object (&u->kase);
  g_free (u->label);
  g_free (u);
}

/* When u can no longer be taken back (real time, µs); 0 when it is gone
 * (sent, or no longer in the outbox). */
static gint64
undoable_due (ErReviewSession *self,
              Undoable        *u)
{
  ErOutboxEntry *entry;
  GDateTime *due;

  if (u->key == NULL)
    return u->skip_due;
  entry = er_outbox_lookup (self->outbox, u->key);
  if (entry == NULL || er_outbox_entry_get_state (entry) != ER_OUTBOX_WAITING)
    return 0;
  due = er_outbox_entry_get_due_at (entry);
  return g_date_time_to_unix (due) * G_USEC_PER_SEC + g_date_time_get_microsecond (due);
}

/* Drops the ones whose undo delay is over (or that are gone) and returns
 * the newest that can still be taken back. */
static Undoable *
newest_undoable (ErReviewSession *self)
{
  gint64 now = g_get_real_time ();

  while (self->undoables.tail != NULL)
    {
      Undoable *u = self->undoables.tail->data;

      if (undoable_due (self, u) > now)
        return u;
      _er_review_session_undoable_free (g_queue_pop_tail (&self->undoables));
    }
  return NULL;
}

static gboolean
undo_expired (gpointer user_data)
{
  ErReviewSession *self = user_data;

  self->undo_timer = 0;
  _er_review_session_schedule_undo_expiry (self);
  return G_SOURCE_REMOVE;
}

/* Updates can-undo, undo-label and undo-seconds-left, and wakes up when
 * the seconds left go down (at the end, when the newest delay is over). */
void
_er_review_session_schedule_undo_expiry (ErReviewSession *self)
{
  /* Locked: the decisions keep their delay, but none can be taken back
   * (nor named on screen) until the agent unlocks. */
  Undoable *u = self->locked ? NULL : newest_undoable (self);
  gboolean can_undo = u != NULL;
  guint seconds_left = 0;

  g_clear_handle_id (&self->undo_timer, g_source_remove);
  if (u != NULL)
    {
      gint64 left = undoable_due (self, u) - g_get_real_time ();

      seconds_left = (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
      /* Until the count goes down by one: the delay's end, for the last. */
      left -= (gint64)(seconds_left - 1) * G_USEC_PER_SEC;
      self->undo_timer = g_timeout_add (MAX (left / 1000, 0) + 50, undo_expired, self);
    }

  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      _er_review_session_notify (self, PROP_CAN_UNDO);
    }
  if (g_strcmp0 (self->undo_label, u != NULL ? u->label : NULL) != 0)
    {
      g_free (self->undo_label);
      self->undo_label = g_strdup (u != NULL ? u->label : NULL);
      _er_review_session_notify (self, PROP_UNDO_LABEL);
    }
  if (seconds_left != self->undo_seconds_left)
    {
      self->undo_seconds_left = seconds_left;
      _er_review_session_notify (self, PROP_UNDO_SECONDS_LEFT);
    }
}

static gboolean
decide (ErReviewSession  *self,
        const char       *receipt_id,
        gboolean          approved,
        const ErReasons  *reasons,
        gint64            press_time,
        GError          **error)
{
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(ErCase) next = NULL;
  g_autoptr(GError) local_error = NULL;
  ErOutboxEntry *entry;
  Undoable *u;
  guint position;

  if (!er_review_session_check (self, receipt_id, approved, press_time, error))
    return FALSE;
  kase = g_object_ref (self->current);

  /* In the outbox at once, on disk a few milliseconds later (its writer
   * thread: no disk I/O here, the next case opens without waiting). It is
   * not sent before it is on disk; if the write fails, the outbox says so
   * ("write-failed") and the agent is told, below. */
  due = g_date_time_add_seconds (now, self->undo_delay);
  entry = er_outbox_add (self->outbox, receipt_id, er_case_get_expected_name (kase), approved,
                         reasons, due, &local_error);
  if (entry == NULL) /* only a programming error: the write comes later */
    {
      g_set_error (error, ER_ERROR, local_error != NULL ? local_error->code : ER_ERROR_UNEXPECTED,
                   _("Your decision could not be saved, so it was not sent: %s"),
                   local_error != NULL ? local_error->message : "");
      return FALSE;
    }

  position = er_review_queue_remove (self->queue, receipt_id);
  u = g_new0 (Undoable, 1);
  u->key = g_strdup (er_outbox_entry_get_key (entry));
  u->kase = g_object_ref (kase);
  u->position = position;
  u->label = approved ? g_strdup_printf (_("Approved: %s"), er_case_get_expected_name (kase))
                      : g_strdup_printf (_("Denied: %s"), er_case_get_expected_name (kase));
  g_queue_push_tail (&self->undoables, u);
  _er_review_session_schedule_undo_expiry (self);

  /* The claim is dropped, not released: the case is ours until the
   * decision is recorded, which ends it. */
  er_prefetch_forget (self->prefetch, receipt_id);
  next = er_review_queue_next (self->queue, position, NULL);
  _er_review_session_open_case (self, next);
  return TRUE;
}

/* The outbox could not write the decisions: those never on disk (lost)
 * left the outbox and will not be sent. Each is told to the agent, and its
 * case goes back in the list where it was, as an undo would put it. */
void
_er_review_session_outbox_write_failed (ErReviewSession *self,
                                        const GError    *error,
                                        GPtrArray       *lost)
{
  if (lost->len == 0)
    {
      g_autofree char *text = g_strdup_printf (_("A change to your decisions could not be saved: %s"),
                                               error->message);

      _er_review_session_message (self, text);
      return;
    }

  for (guint i = 0; i < lost->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (lost, i);
      const char *key = er_outbox_entry_get_key (entry);
      g_autofree char *text = NULL;

      for (GList *l = self->undoables.head; l != NULL; l = l->next)
        {
          Undoable *u = l->data;

          if (g_strcmp0 (u->key, key) != 0)
            continue;
          if (!self->closed && !self->locked)
            er_review_queue_insert (self->queue, u->position, u->kase);
          g_queue_delete_link (&self->undoables, l);
          _er_review_session_undoable_free (u);
          break;
        }

      text = g_strdup_printf (_("Your decision on %s could not be saved, so it was not sent: %s"),
                              er_outbox_entry_get_name (entry), error->message);
      _er_review_session_message (self, text);
    }
  _er_review_session_schedule_undo_expiry (self);
  if (self->current == NULL && !self->closed && !self->locked)
    {
      g_autoptr(ErCase) next = er_review_queue_next (self->queue, 0, NULL);

      if (next != NULL)
        _er_review_session_open_case (self, next);
    }
}

gboolean
er_review_session_approve (ErReviewSession  *self,
                           const char       *receipt_id,
                           gint64            press_time,
                           GError          **error)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return decide (self, receipt_id, TRUE, NULL, press_time, error);
}

gboolean
er_review_session_deny (ErReviewSession  *self,
                        const char       *receipt_id,
                        const ErReasons  *reasons,
                        gint64            press_time,
                        GError          **error)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  g_return_val_if_fail (reasons != NULL, FALSE);
  return decide (self, receipt_id, FALSE, reasons, press_time, error);
}

gboolean
er_review_session_undo (ErReviewSession  *self,
                        GError          **error)
{
  Undoable *u;
  g_autoptr(ErCase) kase = NULL;
  g_autoptr(GError) local_error = NULL;
  guint position;

  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);

  if (self->locked)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_LOCKED,
                           _("The screen is locked; unlock it to go on."));
      return FALSE;
    }
  u = self->closed ? NULL : newest_undoable (self);
  if (u == NULL)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO,
                           _("There is no decision left to undo."));
      return FALSE;
    }

  g_queue_remove (&self->undoables, u);
  kase = g_object_ref (u->kase);
  position = u->position;
  if (u->key == NULL)
    {
      /* A skip: its case opens again if it is still waiting. */
      _er_review_session_undoable_free (u);
      _er_review_session_schedule_undo_expiry (self);
      if (!er_review_queue_find (self->queue, er_case_get_receipt_id (kase), NULL))
        {
          g_set_error (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO,
                       _("%s is no longer waiting for review."), er_case_get_expected_name (kase));
          return FALSE;
        }
      _er_review_session_open_case (self, kase);
      return TRUE;
    }
  if (!er_outbox_take_back (self->outbox, u->key, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, ER_ERROR, local_error->code,
                     _("The decision on %s could not be undone: %s"),
                     er_case_get_expected_name (kase), local_error->message);
      else
        g_set_error (error, ER_REFUSAL, ER_REFUSAL_NOTHING_TO_UNDO,
                     _("Too late to undo: the decision on %s is being sent."),
                     er_case_get_expected_name (kase));
      _er_review_session_undoable_free (u);
      _er_review_session_schedule_undo_expiry (self);
      return FALSE;
    }
  _er_review_session_undoable_free (u);

  er_review_queue_insert (self->queue, position, kase);
  _er_review_session_schedule_undo_expiry (self);
  _er_review_session_open_case (self, kase);
  return TRUE;
}

gboolean
er_review_session_skip (ErReviewSession  *self,
                        GError          **error)
{
  g_autoptr(ErCase) next = NULL;
  guint position = 0;
  Undoable *u;

  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);

  if (self->locked)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_LOCKED,
                           _("The screen is locked; unlock it to go on."));
      return FALSE;
    }
  if (self->current == NULL || self->closed)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_NO_CASE, _("No case is open."));
      return FALSE;
    }
  if (er_review_queue_find (self->queue, er_case_get_receipt_id (self->current), &position))
    position++;
  next = er_review_queue_next (self->queue, position, self->current);
  if (next == NULL)
    {
      g_set_error_literal (error, ER_REFUSAL, ER_REFUSAL_NO_OTHER_CASE,
                           _("There is no other case to open."));
      return FALSE;
    }

  u = g_new0 (Undoable, 1);
  u->kase = g_object_ref (self->current);
  u->label = g_strdup_printf (_("Skipped: %s"), er_case_get_expected_name (self->current));
  u->skip_due = g_get_real_time () + (gint64)self->undo_delay * G_USEC_PER_SEC;
  g_queue_push_tail (&self->undoables, u);
  _er_review_session_open_case (self, next);
  _er_review_session_schedule_undo_expiry (self);
  return TRUE;
}

gboolean
er_review_session_get_can_undo (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), FALSE);
  return self->can_undo;
}

const char *
er_review_session_get_undo_label (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->undo_label;
}

guint
er_review_session_get_undo_seconds_left (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), 0);
  return self->undo_seconds_left;
}
