/* er-review-session-private.h: shared by er-review-session.c (the case on
 * screen, its photos and claim, the queue, locking, closing, properties) and
 * er-review-session-decide.c (the decision guard, decisions, undo, skip)
 * and er-review-session-id.c (reading the ID photos). */
#pragma once

#include "er-review-session.h"

G_BEGIN_DECLS

typedef struct {
  char    *key;       /* the outbox entry; NULL for a skip */
  ErCase  *kase;
  guint    position;  /* where it was in the queue, to put it back */
  char    *label;     /* "Approved: name", "Skipped: name" */
  gint64   skip_due;  /* a skip: g_get_real_time () when it can no longer be undone */
} Undoable;

struct _ErReviewSession
{
  GObject         parent_instance;

  ErClient       *client;
  ErPrivateKey   *key;
  ErAgent        *agent;
  ErOutbox       *outbox;
  GError         *outbox_error;   /* damaged file set aside: told at start */
  ErSender       *sender;
  ErPrefetch     *prefetch;
  ErIdReader     *id_reader;      /* reads the ID photos prefetch holds */
  ErReviewQueue  *queue;
  ErCaseOrder    *case_order;     /* follows current */
  GHashTable     *delivered_ids;  /* receipt ids delivered this session */
  GPtrArray      *delivered;      /* ErOutboxEntry, newest last */

  ErCase         *current;
  gint64          current_since;
  ErClaim        *claim;
  GCancellable   *case_cancellable;
  ErPhotoImage   *photos[2];
  char           *photo_errors[2];

  gboolean        case_visible;
  gint64          presented_since; /* 0: not presented */
  guint           view_timer;
  gboolean        can_decide;
  gboolean        can_approve;

  GQueue          undoables;
  guint           undo_timer;
  gboolean        can_undo;
  char           *undo_label;
  guint           undo_seconds_left;

  int             undo_delay;
  int             prefetch_depth;
  int             min_view_time;

  gboolean        offline;
  guint           n_waiting;
  char           *status;
  char           *retry_status;   /* the client is retrying a read */

  gboolean        started;
  gboolean        closed;
  gboolean        locked;
};

enum {
  PROP_0,
  PROP_CURRENT_CASE,
  PROP_USER_PHOTO,
  PROP_ID_PHOTO,
  PROP_USER_PHOTO_ERROR,
  PROP_ID_PHOTO_ERROR,
  PROP_CLAIM_STATE,
  PROP_CASE_VISIBLE,
  PROP_CAN_DECIDE,
  PROP_CAN_APPROVE,
  PROP_CAN_UNDO,
  PROP_UNDO_LABEL,
  PROP_UNDO_SECONDS_LEFT,
  PROP_OFFLINE,
  PROP_N_WAITING,
  PROP_STATUS,
  PROP_LOCKED,
  PROP_UNDO_DELAY,
  PROP_PREFETCH_DEPTH,
  PROP_MIN_VIEW_TIME,
  PROP_QUEUE,
  N_PROPS
};

gint64 _er_review_session_min_view_us (ErReviewSession *self);
void _er_review_session_message (ErReviewSession *self, const char *text);
void _er_review_session_notify (ErReviewSession *self, guint prop);
void _er_review_session_outbox_write_failed (ErReviewSession *self, const GError *error,
                                             GPtrArray *lost);
void _er_review_session_open_case (ErReviewSession *self, ErCase *kase);
void _er_review_session_schedule_undo_expiry (ErReviewSession *self);
void _er_review_session_undoable_free (Undoable *u);
void _er_review_session_update_guard (ErReviewSession *self);
/* er-review-session-id.c */
void _er_review_session_init_id_reader (ErReviewSession *self);
void _er_review_session_id_reader_follow (ErReviewSession *self);
gboolean _er_review_session_view_time_passed (gpointer user_data);

G_END_DECLS
