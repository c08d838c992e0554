/* er-case-view.h: one case: the account name, its details and both photos. */
#pragma once

#include <gtk/gtk.h>

#include "er-case.h"
#include "er-case-order.h"
#include "er-id-read-line.h"
#include "er-id-reader.h"
#include "er-photo.h"
#include "er-photo-viewer.h"

G_BEGIN_DECLS

/* What the view keys do to the photo being looked at. */
typedef enum {
  ER_VIEW_ZOOM_IN,
  ER_VIEW_ZOOM_OUT,
  ER_VIEW_BEST_FIT,
  ER_VIEW_ACTUAL_SIZE,
  ER_VIEW_ROTATE_CW,
  ER_VIEW_ROTATE_CCW,
  ER_VIEW_PAN_LEFT,
  ER_VIEW_PAN_RIGHT,
  ER_VIEW_PAN_UP,
  ER_VIEW_PAN_DOWN,
  ER_VIEW_OTHER_PHOTO, /* the keys act on the other photo from now on */
  ER_VIEW_COMPARE,     /* compare faces on or off */
} ErViewCommand;

#define ER_TYPE_CASE_VIEW (er_case_view_get_type ())
G_DECLARE_FINAL_TYPE (ErCaseView, er_case_view, ER, CASE_VIEW, GtkWidget)

GtkWidget *er_case_view_new             (void);
ErCase    *er_case_view_get_case        (ErCaseView *self);
/* Shows the case's details; both photos go back to "loading". */
void       er_case_view_set_case        (ErCaseView *self, ErCase *kase);
/* Property "case-order" (nullable): the order behind the case on screen
 * (the session's, er_review_session_get_case_order); its course and
 * verification deadline show under the details while it is the case's. */
void       er_case_view_set_case_order  (ErCaseView *self, ErCaseOrder *case_order);
/* The session's ID reader: what was read on the ID shows under the name
 * helper; use_id_name() puts the name read into the helper (FALSE: none). */
void       er_case_view_set_id_reader   (ErCaseView *self, ErIdReader *reader);
gboolean   er_case_view_use_id_name     (ErCaseView *self);
ErIdReadLine *er_case_view_get_id_read_line (ErCaseView *self);
/* The name typed (or put) in the name helper. */
const char *er_case_view_get_id_name    (ErCaseView *self);
ErCaseOrder *er_case_view_get_case_order (ErCaseView *self);
void       er_case_view_set_photo       (ErCaseView *self, ErPhotoKind kind, GdkPaintable *photo);
void       er_case_view_set_photo_error (ErCaseView *self, ErPhotoKind kind, const char *message);
/* The long side, in device pixels, photos are best decoded for: the
 * largest either photo pane has had (0 before they were laid out);
 * property "photo-target-size", notified. */
int        er_case_view_get_photo_target_size (ErCaseView *self);
/* The texture shown for kind, or NULL while loading or on error. */
GdkPaintable *er_case_view_get_photo    (ErCaseView *self, ErPhotoKind kind);

/* The photo the view keys act on: the one last pointed at or chosen with
 * ER_VIEW_OTHER_PHOTO; the ID (where the small text is) for a new case. */
ErPhotoKind   er_case_view_get_active   (ErCaseView *self);
void          er_case_view_view         (ErCaseView *self, ErViewCommand command);
ErPhotoViewer *er_case_view_get_viewer  (ErCaseView *self, ErPhotoKind kind);

/* Compare faces: both photos at the same scale, zoomed and moved together
 * (er-photo-link.h). Property "compare", also the stateful action
 * "case.compare" (the toggle by the photos); off again for each new case.
 * It changes the view only, never a decision. */
gboolean      er_case_view_get_compare  (ErCaseView *self);
void          er_case_view_set_compare  (ErCaseView *self, gboolean compare);

G_END_DECLS
