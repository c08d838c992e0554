/* er-credentials.h: the agent's token in the keyring (libsecret), per server. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     er_credentials_lookup_async  (const char *server, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* The token, or NULL (and no error) when none is stored. */
char    *er_credentials_lookup_finish (GAsyncResult *result, GError **error);
/* Stores or forgets the token; failures are logged, never fatal. */
void     er_credentials_store         (const char *server, const char *token);
void     er_credentials_forget        (const char *server);

G_END_DECLS
