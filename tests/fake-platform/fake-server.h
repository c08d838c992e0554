/* fake-server.h: the fake platform's two HTTP origins on 127.0.0.1 — the
 * Review API (with the /_fake/ test endpoints) and the photo "storage". */
#pragma once

#include <glib.h>

#include "fake-store.h"

G_BEGIN_DECLS

typedef struct _FakeServer FakeServer;

/* Listens on 127.0.0.1:api_port and 127.0.0.1:storage_port (0 = a free port)
 * and sets the store's storage origin. The store must outlive the server. */
FakeServer *fake_server_new                (FakeStore  *store,
                                            guint       api_port,
                                            guint       storage_port,
                                            GError    **error);
void        fake_server_free               (FakeServer *self);
/* "http://127.0.0.1:<port>" */
const char *fake_server_get_api_origin     (FakeServer *self);
const char *fake_server_get_storage_origin (FakeServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

G_END_DECLS
