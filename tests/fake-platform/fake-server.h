/* fake-server.h: the fake platform's two HTTP origins on 127.0.0.1 — the
 * Review API (with the /_fake/ test endpoints) and the photo "storage". */
#pragma once

#include <glib.h>

#include "fake-store.h"

G_BEGIN_DECLS

typedef struct _FakeServer FakeServer;

/* Faults injected into the Review API requests (/api/review/v1/..., never
 * /_fake/... nor the storage origin). In the order they are checked:
 * down (the connection is closed at once, nothing applied), a 429 burst
 * (Retry-After: 1, not applied), a 5xx (500 or 503, not applied), then the
 * request is applied and, at drop_rate, its connection closed without an
 * answer. The latency delays every request before that (never blocking). */
typedef struct {
  double   fail_rate;          /* 0..1 */
  double   drop_rate;          /* 0..1 */
  guint    latency_ms;
  guint    latency_jitter_ms;  /* plus 0..jitter ms, uniform */
  guint    burst_count;        /* 429 to the next burst_count requests... */
  guint    burst_every_s;      /* ...now, then every burst_every_s s (0: once) */
  gboolean down;
} FakeFaults;

/* Listens on 127.0.0.1:api_port and 127.0.0.1:storage_port (0 = a free port)
 * and sets the store's storage origin. The store must outlive the server.
 * seed: of the fault injection's random numbers. */
FakeServer *fake_server_new                (FakeStore  *store,
                                            guint       api_port,
                                            guint       storage_port,
                                            guint       seed,
                                            GError    **error);
void        fake_server_free               (FakeServer *self);
/* Replaces the fault settings (a burst starts now); counters are kept. */
void        fake_server_set_faults         (FakeServer       *self,
                                            const FakeFaults *faults);
/* "N" or "N/S" (N requests every S seconds) into faults->burst_*. */
gboolean    fake_faults_parse_burst        (FakeFaults       *faults,
                                            const char       *text);
/* "http://127.0.0.1:<port>" */
const char *fake_server_get_api_origin     (FakeServer *self);
const char *fake_server_get_storage_origin (FakeServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

G_END_DECLS
