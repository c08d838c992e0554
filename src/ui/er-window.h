/* er-window.h: the main window: sign-in, then the workspace. */
#pragma once

#include <adwaita.h>

#include "er-application.h"
#include "er-sign-in-page.h"
#include "er-workspace.h"

G_BEGIN_DECLS

#define ER_TYPE_WINDOW (er_window_get_type ())
G_DECLARE_FINAL_TYPE (ErWindow, er_window, ER, WINDOW, AdwApplicationWindow)

ErWindow    *er_window_new           (ErApplication *application);
/* Signs in with the environment (EDULIB_REVIEWER_TOKEN, EDULIB_REVIEWER_KEY_FILE,
 * EDULIB_REVIEWER_KEY_PASSPHRASE), else the saved server, key file and the
 * token from the keyring, else shows the sign-in page. server overrides the
 * saved server when non-NULL. */
void         er_window_start         (ErWindow *self, const char *server);
/* remember: save the server and key path in settings and the token in the keyring. */
void         er_window_sign_in       (ErWindow *self, const char *server, const char *token,
                                      const char *key_file, const char *passphrase,
                                      gboolean remember);
void         er_window_sign_out      (ErWindow *self);
/* A new e-mailed case from these files (.eml, or photos): at once when
 * signed in, else right after signing in. */
void         er_window_open_files    (ErWindow *self, GFile **files, guint n_files);
ErWorkspace *er_window_get_workspace (ErWindow *self);
ErSignInPage *er_window_get_sign_in_page (ErWindow *self);
/* "starting", "sign-in" or "workspace". */
const char  *er_window_get_page      (ErWindow *self);

G_END_DECLS
