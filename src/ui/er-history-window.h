/* er-history-window.h: the agent's decisions, today's and earlier: those
 * the server recorded (GET /decisions) merged with the outbox's waiting and
 * failed ones, each with its state, and the day's counts. */
#pragma once

#include <adwaita.h>

#include "er-client.h"
#include "er-outbox.h"

G_BEGIN_DECLS

#define ER_TYPE_HISTORY_WINDOW (er_history_window_get_type ())
G_DECLARE_FINAL_TYPE (ErHistoryWindow, er_history_window, ER, HISTORY_WINDOW, AdwWindow)

/* client may be NULL (offline at start: the outbox's entries only). */
GtkWidget *er_history_window_new     (GtkWindow *parent, ErClient *client, ErOutbox *outbox);
/* Loads the server's list again (also on Ctrl+R / F5 in the window). */
void       er_history_window_refresh (ErHistoryWindow *self);

G_END_DECLS
