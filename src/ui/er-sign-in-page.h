/* er-sign-in-page.h: server, token and verification key, asked once. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A field of the page, that an error is about. */
typedef enum {
  ER_SIGN_IN_FIELD_NONE,
  ER_SIGN_IN_FIELD_SERVER,
  ER_SIGN_IN_FIELD_TOKEN,
  ER_SIGN_IN_FIELD_KEY,
  ER_SIGN_IN_FIELD_PASSPHRASE,
} ErSignInField;

#define ER_TYPE_SIGN_IN_PAGE (er_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (ErSignInPage, er_sign_in_page, ER, SIGN_IN_PAGE, GtkWidget)

/* Emits "sign-in" (server, token, key_file, passphrase-or-NULL) when the agent confirms. */
void er_sign_in_page_set_server     (ErSignInPage *self, const char *server);
void er_sign_in_page_set_token      (ErSignInPage *self, const char *token);
void er_sign_in_page_set_key_file   (ErSignInPage *self, const char *path);
/* Reveals the passphrase field (for an encrypted key) and focuses it. */
void er_sign_in_page_ask_passphrase (ErSignInPage *self);
/* NULL hides the error. The field it is about is marked invalid and
 * described by it (screen readers read it there). */
void er_sign_in_page_set_error      (ErSignInPage *self, const char *message,
                                     ErSignInField field);
/* The focus on that field, to correct it; NONE: on the first one empty. */
void er_sign_in_page_focus          (ErSignInPage *self, ErSignInField field);
/* While signing in: fields insensitive, spinner on the button. */
void er_sign_in_page_set_busy       (ErSignInPage *self, gboolean busy);
gboolean    er_sign_in_page_get_busy  (ErSignInPage *self);
const char *er_sign_in_page_get_error (ErSignInPage *self);

G_END_DECLS
