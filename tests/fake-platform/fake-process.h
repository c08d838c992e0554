/* fake-process.h: start the fake platform from a test and talk to its test endpoints. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *dir;          /* a temporary folder for the key and the state */
  char        *api_url;      /* http://127.0.0.1:port */
  char        *storage_url;
  char        *key_path;     /* the verification private key, PKCS#8 PEM */
  SoupSession *session;      /* for the test endpoints */
} FakeProcess;

/* Starts $ER_FAKE_PLATFORM with --port=0 --storage-port=0 --write-key=<dir>/key.pem
 * plus the NULL-terminated extra arguments, and waits for its READY line. */
FakeProcess *fake_process_start (const char *first_arg, ...) G_GNUC_NULL_TERMINATED;
/* Stops it (SIGTERM, then waits) and removes the temporary folder. */
void         fake_process_stop  (FakeProcess *self);
/* GET /_fake/state, parsed. */
JsonObject  *fake_process_state (FakeProcess *self);
/* GET path (a test endpoint answering a JSON object, e.g. "/_fake/timing"), parsed. */
JsonObject  *fake_process_get   (FakeProcess *self, const char *path);
/* POST body (JSON text) to a test endpoint path such as "/_fake/cases/<id>/claim". */
guint        fake_process_post  (FakeProcess *self, const char *path, const char *body);
/* The decisions the fake recorded for receipt_id (0 or more). */
guint        fake_process_count_decisions (FakeProcess *self, const char *receipt_id);


/* Fault injection (see HACKING.md, "The fake platform"). */
/* POST /_fake/faults with json, e.g. "{\"drop_rate\": 1}" or "{\"reset\": true}";
 * asserts 200. */
void         fake_process_set_faults (FakeProcess *self, const char *json);
/* A counter of "faults" in /_fake/state: "api_requests", "failed_5xx",
 * "dropped", "rate_limited", "delayed" or "refused_down". */
gint64       fake_process_fault_count (FakeProcess *self, const char *name);
/* POST /_fake/revoke: the token answers 401 from then on. Asserts 200. */
void         fake_process_revoke (FakeProcess *self, const char *token);
/* POST /_fake/tokens: a new valid token for agent (NULL: agent.lavoie). Asserts 200. */
void         fake_process_add_token (FakeProcess *self, const char *token, const char *agent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeProcess, fake_process_stop)

G_END_DECLS
