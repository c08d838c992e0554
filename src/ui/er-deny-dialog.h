/* er-deny-dialog.h: choose the reasons for a denial, as the learner will read them. */
#pragma once

#include <adwaita.h>

#include "er-reasons.h"

G_BEGIN_DECLS

#define ER_TYPE_DENY_DIALOG (er_deny_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ErDenyDialog, er_deny_dialog, ER, DENY_DIALOG, AdwWindow)

/* Emits "deny" (ErReasons *) when the agent sends, then closes. */
ErDenyDialog *er_deny_dialog_new          (GtkWindow *parent, const char *learner_name);
/* Toggles the n-th reason (0-based, in the display order, er_reason_display_order(),
 * that of the digits: n = digit - 1); for keyboard and tests. */
void          er_deny_dialog_toggle       (ErDenyDialog *self, guint n);
void          er_deny_dialog_set_note     (ErDenyDialog *self, const char *note);
/* The reasons chosen so far (validated or not). */
ErReasons    *er_deny_dialog_get_reasons  (ErDenyDialog *self);
/* Sends if the choice is valid; returns whether it did (if not, the dialog says why). */
gboolean      er_deny_dialog_send         (ErDenyDialog *self);

G_END_DECLS
