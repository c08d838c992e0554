/* er-preferences-window.h: server, account, prefetch depth, undo delay. */
#pragma once

#include <adwaita.h>

#include "er-agent.h"

G_BEGIN_DECLS

#define ER_TYPE_PREFERENCES_WINDOW (er_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ErPreferencesWindow, er_preferences_window, ER, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* settings: the com.edulib.Reviewer schema. server_url and agent: who is
 * signed in where (agent may be NULL). "Sign Out" activates app.sign-out
 * and closes the window. */
GtkWidget *er_preferences_window_new (GtkWindow *parent, GSettings *settings,
                                      const char *server_url, ErAgent *agent);

/* The spin buttons bound to prefetch-depth and undo-delay (for tests). */
GtkSpinButton *er_preferences_window_get_prefetch_spin (ErPreferencesWindow *self);
GtkSpinButton *er_preferences_window_get_undo_spin     (ErPreferencesWindow *self);

G_END_DECLS
