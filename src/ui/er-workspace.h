/* er-workspace.h: the queue beside the open case, bound to a review session. */
#pragma once

#include <adwaita.h>

#include "er-case-view.h"
#include "er-deny-panel.h"
#include "er-review-session.h"

G_BEGIN_DECLS

#define ER_TYPE_WORKSPACE (er_workspace_get_type ())
G_DECLARE_FINAL_TYPE (ErWorkspace, er_workspace, ER, WORKSPACE, GtkWidget)

/* Property "session" (nullable): the workspace shows and drives it. Setting
 * a session starts it (the queue loads, the oldest case opens). Emits
 * "unauthenticated" (message) when the server no longer accepts the token. */
void             er_workspace_set_session   (ErWorkspace *self, ErReviewSession *session);
ErReviewSession *er_workspace_get_session   (ErWorkspace *self);

void        er_workspace_refresh        (ErWorkspace *self);
/* Sends a denial for the open case, without the deny panel (tests). */
void        er_workspace_deny           (ErWorkspace *self, const ErReasons *reasons);
/* Lists only the pending cases matching text (name, username, e-mail,
 * receipt id, invoice) and source ("webcam", "email" or NULL for all). */
void        er_workspace_search         (ErWorkspace *self, const char *text, const char *source);
/* Opens this case (a new e-mailed one, say), putting it at the top of the
 * queue when it is not there. */
void        er_workspace_open_case      (ErWorkspace *self, ErCase *kase);

/* The pending cases listed (empty when signed out). */
GListModel *er_workspace_get_queue      (ErWorkspace *self);
ErCase     *er_workspace_get_open_case  (ErWorkspace *self);
ErCaseView *er_workspace_get_case_view  (ErWorkspace *self);
/* The reasons for a denial, beside the case (er-deny-panel.h). */
ErDenyPanel *er_workspace_get_deny_panel (ErWorkspace *self);

G_END_DECLS
