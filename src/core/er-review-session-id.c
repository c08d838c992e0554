/* er-review-session-id.c: the session's ID reader: each ID photo the
 * prefetch holds is read in the background, the case on screen first, and
 * forgotten with the case's photos (er-id-reader.h). */
#include "config.h"

#include "er-review-session-private.h"

static void
on_photo_held (ErPrefetch      *prefetch,
               const char      *receipt_id,
               guint            kind,
               ErPhotoImage    *image,
               ErReviewSession *self)
{
  if (kind == ER_PHOTO_ID && !self->locked && !self->closed)
    er_id_reader_add (self->id_reader, receipt_id, image);
}

static void
on_case_dropped (ErPrefetch      *prefetch,
                 const char      *receipt_id,
                 ErReviewSession *self)
{
  er_id_reader_forget (self->id_reader, receipt_id);
}

void
_er_review_session_init_id_reader (ErReviewSession *self)
{
  self->id_reader = er_id_reader_new ();
  g_signal_connect_object (self->prefetch, "photo-held", G_CALLBACK (on_photo_held), self, 0);
  g_signal_connect_object (self->prefetch, "case-dropped", G_CALLBACK (on_case_dropped), self, 0);
}

/* The case on screen changed (NULL: none). */
void
_er_review_session_id_reader_follow (ErReviewSession *self)
{
  er_id_reader_set_current (self->id_reader,
                            self->current != NULL ? er_case_get_receipt_id (self->current) : NULL);
}

ErIdReader *
er_review_session_get_id_reader (ErReviewSession *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (self), NULL);
  return self->id_reader;
}
