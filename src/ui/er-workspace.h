/* er-workspace.h: the queue beside the open case; the review loop. */
#pragma once

#include <adwaita.h>

#include "er-agent.h"
#include "er-case-view.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-outbox.h"

G_BEGIN_DECLS

#define ER_TYPE_WORKSPACE (er_workspace_get_type ())
G_DECLARE_FINAL_TYPE (ErWorkspace, er_workspace, ER, WORKSPACE, GtkWidget)

/* Loads the queue and opens the oldest pending case. Emits "unauthenticated"
 * (message) when the server no longer accepts the token. */
void        er_workspace_start          (ErWorkspace *self, ErClient *client,
                                         ErPrivateKey *key, ErAgent *agent);
/* Cancels what is under way and releases the claim on the open case. */
void        er_workspace_stop           (ErWorkspace *self);
void        er_workspace_refresh        (ErWorkspace *self);
/* Sends a denial for the open case (what the deny dialog calls). */
void        er_workspace_deny           (ErWorkspace *self, const ErReasons *reasons);
/* Lists only the pending cases matching text (name, username, e-mail,
 * receipt id, invoice) and source ("webcam", "email" or NULL for all). */
void        er_workspace_search         (ErWorkspace *self, const char *text, const char *source);

/* Opens this case (a new e-mailed one, say), putting it at the top of the
 * queue when it is not there. */
void        er_workspace_open_case      (ErWorkspace *self, ErCase *kase);

GListModel *er_workspace_get_queue      (ErWorkspace *self);
ErCase     *er_workspace_get_open_case  (ErWorkspace *self);
ErCaseView *er_workspace_get_case_view  (ErWorkspace *self);
/* Signed in: the server's client and the agent's outbox; NULL otherwise. */
ErClient   *er_workspace_get_client     (ErWorkspace *self);
ErOutbox   *er_workspace_get_outbox     (ErWorkspace *self);

G_END_DECLS
