/* er-deny-panel.h: the reasons for a denial, beside the photos, as the learner will read them. */
#pragma once

#include <adwaita.h>

#include "er-reasons.h"

G_BEGIN_DECLS

#define ER_TYPE_DENY_PANEL (er_deny_panel_get_type ())
G_DECLARE_FINAL_TYPE (ErDenyPanel, er_deny_panel, ER, DENY_PANEL, GtkWidget)

/* Properties "receipt-id" (the case the panel is open for, NULL when
 * closed) and "open" (receipt-id != NULL), both read-only: a container
 * shows the panel while "open" (a GtkRevealer binds to it). Emits "deny"
 * (receipt id, ErReasons *) when the agent sends, after closing itself. */
ErDenyPanel *er_deny_panel_new            (void);
/* Opens (or reopens, from scratch: nothing ticked, no note) for this case
 * and puts the focus on the first reason. */
void         er_deny_panel_open           (ErDenyPanel *self, const char *receipt_id,
                                           const char *learner_name);
/* Suggests reason (a reason of the contract, e.g. "Invalid Id"; NULL: no
 * suggestion) because of why ("ID expired on 28 May 2026"): shown beside
 * it, and the focus goes to it rather than to the first reason. The order
 * and the digits stay. open() clears it. */
void         er_deny_panel_suggest        (ErDenyPanel *self, const char *reason, const char *why);
/* The reason suggested, in the display order; -1 for none. */
int          er_deny_panel_get_suggested  (ErDenyPanel *self);
/* Closes without sending anything (Cancel, Escape, or another case on screen). */
void         er_deny_panel_close          (ErDenyPanel *self);
gboolean     er_deny_panel_get_open       (ErDenyPanel *self);
const char  *er_deny_panel_get_receipt_id (ErDenyPanel *self);
/* Property "compact": a short layout for below the photos (no heading, no
 * description, smaller margins). */
void         er_deny_panel_set_compact    (ErDenyPanel *self, gboolean compact);
gboolean     er_deny_panel_get_compact    (ErDenyPanel *self);
/* Puts the focus on the first reason. */
void         er_deny_panel_focus          (ErDenyPanel *self);
/* A key pressed while the focus is elsewhere in the window (the workspace
 * routes them here): digits, type-ahead letters, Backspace and Escape, as
 * if the focus were on a reason. Returns whether the panel took it. */
gboolean     er_deny_panel_handle_key     (ErDenyPanel *self, guint keyval, GdkModifierType state);
/* Toggles the n-th reason (0-based, in the display order, er_reason_display_order(),
 * that of the digits: n = digit - 1); for keyboard and tests. */
void         er_deny_panel_toggle         (ErDenyPanel *self, guint n);
void         er_deny_panel_set_note       (ErDenyPanel *self, const char *note);
/* The reasons chosen so far (validated or not). */
ErReasons   *er_deny_panel_get_reasons    (ErDenyPanel *self);
/* Sends if open and the choice is valid; returns whether it did (if not,
 * the panel says why). */
gboolean     er_deny_panel_send           (ErDenyPanel *self);

G_END_DECLS
