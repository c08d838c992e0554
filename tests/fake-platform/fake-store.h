/* fake-store.h: the fake platform's data — synthetic cases, claims, decisions,
 * idempotency records, orders, manual cases — and the Review API v1 operations
 * on it. No HTTP here: every operation returns a FakeReply (a status code and
 * a JSON text) that fake-server.c sends as is. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "er-crypto.h"

G_BEGIN_DECLS

typedef struct _FakeStore FakeStore;

typedef struct {
  char        *username;
  char        *full_name;
  char        *token;
  const char  *permissions[3]; /* NULL-terminated */
} FakeAgent;

typedef struct {
  guint  status;      /* 200, 201, 204, 304, 400, ... */
  char  *body;        /* JSON text, NULL for 204/304 */
  char  *etag;        /* nullable, quoted */
  gboolean www_authenticate;
} FakeReply;

void       fake_reply_free (FakeReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeReply, fake_reply_free)

/* An error reply {"error": {"code", "message"}}. */
FakeReply *fake_reply_error (guint status, const char *code, const char *message);

typedef enum {
  FAKE_PHOTO_USER, /* face, served by the storage origin at /face/<id> */
  FAKE_PHOTO_ID,   /* ID card, served by the API at /api/review/v1/photos/photo_id/<id> */
} FakePhotoKind;

#define FAKE_MAX_BODY (32 * 1024 * 1024)

FakeStore *fake_store_new (guint          n_cases,
                           guint          seed,
                           const char    *main_token,
                           ErPrivateKey  *key,
                           const char    *state_path,
                           GError       **error);
void       fake_store_free (FakeStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeStore, fake_store_free)

/* "http://127.0.0.1:<port>", used to build the user_photo URLs. */
void             fake_store_set_storage_origin (FakeStore *self, const char *origin);

/* NULL when the token is unknown. */
const FakeAgent *fake_store_authenticate      (FakeStore *self, const char *token);
gboolean         fake_store_agent_can          (const FakeAgent *agent, const char *permission);

FakeReply *fake_store_get_me            (FakeStore *self, const FakeAgent *agent);
/* query: decoded query parameters (may be NULL); if_none_match: header or NULL. */
FakeReply *fake_store_list_cases        (FakeStore *self, const FakeAgent *agent,
                                         GHashTable *query, const char *if_none_match);
FakeReply *fake_store_get_case          (FakeStore *self, const FakeAgent *agent,
                                         const char *receipt_id);
FakeReply *fake_store_claim             (FakeStore *self, const FakeAgent *agent,
                                         const char *receipt_id);
FakeReply *fake_store_release           (FakeStore *self, const FakeAgent *agent,
                                         const char *receipt_id);
FakeReply *fake_store_decide            (FakeStore *self, const FakeAgent *agent,
                                         const char *receipt_id, const char *idempotency_key,
                                         const char *body, gsize length);
FakeReply *fake_store_list_decisions    (FakeStore *self, const FakeAgent *agent,
                                         GHashTable *query);
FakeReply *fake_store_get_order         (FakeStore *self, const FakeAgent *agent,
                                         const char *invoice_number);
FakeReply *fake_store_get_verification_key (FakeStore *self, const FakeAgent *agent);
FakeReply *fake_store_create_manual_case (FakeStore *self, const FakeAgent *agent,
                                          const char *idempotency_key,
                                          const char *body, gsize length);

/* The stored object of a photo, generated on first use. content_type is
 * "text/plain" for encrypted objects, "image/png" or "image/jpeg" otherwise.
 * FALSE when there is no such case. */
gboolean   fake_store_get_photo         (FakeStore *self, FakePhotoKind kind,
                                         const char *receipt_id,
                                         GBytes **out_bytes, const char **out_content_type);
/* The benchmark's photos (--photo-size, --photo-format): every synthetic
 * photo not drawn yet, face and ID card alike, is drawn at one of the
 * n_sizes sizes widths[k] × heights[k], k = (case index, oldest first)
 * modulo n_sizes, upright (no EXIF orientation), and, when format >= 0, in
 * that FakeImageFormat. Which cases are encrypted does not change. */
void       fake_store_set_photo_size    (FakeStore *self, const int *widths, const int *heights,
                                         guint n_sizes, int format);
/* Monotonic times (g_get_monotonic_time, the same clock in every process
 * of the machine) of the case lists answered: noted by the server, read by
 * the benchmark at GET /_fake/timing. */
void       fake_store_note_list_answered (FakeStore *self);
/* {"first_list_answered_us", "last_list_answered_us", "list_answers"}. */
char      *fake_store_timing_json       (FakeStore *self);
/* Checks X-Amz-Signature for a storage path such as "/face/<id>". */
gboolean   fake_store_check_signature   (FakeStore *self, const char *path,
                                         const char *signature);
void       fake_store_log_photo_request (FakeStore *self, gboolean storage,
                                         const char *path, gboolean authorization);

/* Test-only endpoints. */
/* extra: members added to the root object (consumed), may be NULL. */
FakeReply *fake_store_dump_state        (FakeStore *self, JsonObject *extra);
FakeReply *fake_store_force_claim       (FakeStore *self, const char *receipt_id,
                                         const char *body, gsize length);
FakeReply *fake_store_force_decision    (FakeStore *self, const char *receipt_id,
                                         const char *body, gsize length);
/* Tokens (not saved in the state file): {"token"} makes that token invalid
 * (401 from then on); {"token", "agent"} adds a valid token for an agent
 * (default agent.lavoie); restore makes the tokens given at start valid again. */
FakeReply *fake_store_revoke_token      (FakeStore *self, const char *body, gsize length);
FakeReply *fake_store_add_token         (FakeStore *self, const char *body, gsize length);
FakeReply *fake_store_restore_tokens    (FakeStore *self);

G_END_DECLS
