/* er-new-case-window.h: a new e-mailed case: the learner's message (or two
 * image files and an invoice number typed by hand), the order it refers
 * to, which photo is the face and which the ID, then the upload. */
#pragma once

#include <adwaita.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"

G_BEGIN_DECLS

#define ER_TYPE_NEW_CASE_WINDOW (er_new_case_window_get_type ())
G_DECLARE_FINAL_TYPE (ErNewCaseWindow, er_new_case_window, ER, NEW_CASE_WINDOW, AdwWindow)

/* settings: com.edulib.Reviewer (for "invoice-pattern"). */
GtkWidget *er_new_case_window_new        (GtkWindow *parent, ErClient *client, ErPrivateKey *key,
                                          GSettings *settings);
/* Loads files: one .eml (message/rfc822), or image files (up to two are
 * used: the first as the face, the second as the ID, swappable). Read in
 * memory only. Errors are shown in the window. */
void       er_new_case_window_open_files (ErNewCaseWindow *self, GFile **files, guint n_files);
/* The same from bytes already in memory (tests, drag-and-drop of data). */
void       er_new_case_window_open_message (ErNewCaseWindow *self, GBytes *message);

/* Signal "case-created" (ErCase *kase, gboolean existing): the case is on
 * the platform; the main window opens it for review. */

G_END_DECLS
