/* er-case-view.h: one case: the account name, its details and both photos. */
#pragma once

#include <gtk/gtk.h>

#include "er-case.h"
#include "er-photo.h"

G_BEGIN_DECLS

#define ER_TYPE_CASE_VIEW (er_case_view_get_type ())
G_DECLARE_FINAL_TYPE (ErCaseView, er_case_view, ER, CASE_VIEW, GtkWidget)

GtkWidget *er_case_view_new             (void);
ErCase    *er_case_view_get_case        (ErCaseView *self);
/* Shows the case's details; both photos go back to "loading". */
void       er_case_view_set_case        (ErCaseView *self, ErCase *kase);
void       er_case_view_set_photo       (ErCaseView *self, ErPhotoKind kind, GdkPaintable *photo);
void       er_case_view_set_photo_error (ErCaseView *self, ErPhotoKind kind, const char *message);
/* The texture shown for kind, or NULL while loading or on error. */
GdkPaintable *er_case_view_get_photo    (ErCaseView *self, ErPhotoKind kind);

G_END_DECLS
