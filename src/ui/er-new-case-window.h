/* er-new-case-window.h: a new e-mailed case: the learner's message (or two
 * image files and an invoice number typed by hand), the order it refers
 * to, which photo is the face and which the ID, then the upload. */
#pragma once

#include <adwaita.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-order.h"
#include "er-review-session.h"

G_BEGIN_DECLS

#define ER_TYPE_NEW_CASE_WINDOW (er_new_case_window_get_type ())
G_DECLARE_FINAL_TYPE (ErNewCaseWindow, er_new_case_window, ER, NEW_CASE_WINDOW, AdwWindow)

/* The case is created with the session's client, for its key's platform.
 * settings: com.edulib.Reviewer (for "invoice-pattern"). */
GtkWidget *er_new_case_window_new        (GtkWindow *parent, ErReviewSession *session,
                                          GSettings *settings);
/* Loads files: one .eml (message/rfc822), or image files (up to two are
 * used: the first as the face, the second as the ID, swappable). Read in
 * memory only. Errors are shown in the window. */
void       er_new_case_window_open_files (ErNewCaseWindow *self, GFile **files, guint n_files);
/* The same from bytes already in memory (tests, drag-and-drop of data). */
void       er_new_case_window_open_message (ErNewCaseWindow *self, GBytes *message);

/* Signal "case-created" (ErCase *kase, gboolean existing): the case is on
 * the platform; the main window opens it for review. The window then closes. */

/* What the window shows and does, for tests and accessibility checks. */

/* TRUE while something is under way: reading, decoding a preview, waiting
 * for the typing to pause, looking the invoice up, or sending. */
gboolean    er_new_case_window_is_busy          (ErNewCaseWindow *self);
/* The invoice number in the entry (trimmed), "" when empty. */
const char *er_new_case_window_get_invoice      (ErNewCaseWindow *self);
/* As if typed: looked up once the typing pauses (400 ms). */
void        er_new_case_window_set_invoice      (ErNewCaseWindow *self, const char *invoice);
/* The order of that invoice once looked up, else NULL. */
ErOrder    *er_new_case_window_get_order        (ErNewCaseWindow *self);
/* What the window says about the order ("No order has the number …", "This
 * order is not paid…", "…already verified…", a pending case), else NULL. */
const char *er_new_case_window_get_order_message (ErNewCaseWindow *self);
/* The decoded previews (in memory) of the photos chosen as face and ID, or NULL. */
GdkTexture *er_new_case_window_get_face_texture (ErNewCaseWindow *self);
GdkTexture *er_new_case_window_get_id_texture   (ErNewCaseWindow *self);
/* The number of candidate images (attachments or files). */
guint       er_new_case_window_get_n_images     (ErNewCaseWindow *self);
/* The warnings listed above the photos (left-out attachments and why). */
guint       er_new_case_window_get_n_warnings   (ErNewCaseWindow *self);
const char *er_new_case_window_get_warning      (ErNewCaseWindow *self, guint index);
/* The error shown at the bottom (a file that cannot be read, a failed upload), else NULL. */
const char *er_new_case_window_get_error        (ErNewCaseWindow *self);
/* TRUE when "Create Case" can run: a paid order not yet verified, two
 * different PNG/JPEG photos decoded, nothing under way. */
gboolean    er_new_case_window_can_create       (ErNewCaseWindow *self);
/* The face becomes the ID and the other way round (the "Swap" button). */
void        er_new_case_window_swap             (ErNewCaseWindow *self);
/* "Create Case": encrypts and sends; does nothing unless can_create (). */
void        er_new_case_window_create           (ErNewCaseWindow *self);

G_END_DECLS
