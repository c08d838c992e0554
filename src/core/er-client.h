/* er-client.h: the Review API v1 client (../shared/api/review-api-v1.md).
 *
 * One SoupSession, no cache, no cookie jar. The bearer token is sent only to
 * the configured server origin; photo URLs on any other origin are fetched
 * without it (also across redirects). http:// is refused except for loopback.
 */
#pragma once

#include <gio/gio.h>

#include "er-agent.h"
#include "er-case.h"
#include "er-decision.h"
#include "er-order.h"
#include "er-reasons.h"
#include "er-secret.h"

G_BEGIN_DECLS

#define ER_API_PREFIX "/api/review/v1/"

/* What a 409 says beside its code; for a 429 (ER_ERROR_RATE_LIMITED) only
 * retry_after is set, so that a caller can wait as asked. */
typedef struct {
  char       *claimed_by;  /* claimed_by_other: who holds the claim (nullable) */
  GDateTime  *expires_at;  /* claimed_by_other: until when (nullable) */
  ErDecision *decision;    /* already_decided: the decision already recorded (nullable) */
  guint       retry_after; /* 429: the Retry-After header in seconds (0: none or unreadable) */
} ErConflict;

#define ER_TYPE_CONFLICT (er_conflict_get_type ())
GType       er_conflict_get_type (void) G_GNUC_CONST;
ErConflict *er_conflict_copy     (const ErConflict *self);
void        er_conflict_free     (ErConflict *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErConflict, er_conflict_free)

/* One page of a list endpoint. */
typedef struct {
  guint      count;         /* total count the server reports */
  char      *next_cursor;   /* NULL on the last page */
  char      *etag;          /* the response's ETag, nullable */
  gboolean   not_modified;  /* 304: items is empty, keep what you have */
  GListStore *items;        /* ErCase or ErDecision */
} ErPage;

#define ER_TYPE_PAGE (er_page_get_type ())
GType   er_page_get_type (void) G_GNUC_CONST;
void    er_page_free     (ErPage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErPage, er_page_free)

typedef struct {
  const char *status;        /* NULL: server default (pending) */
  const char *source;        /* NULL, "webcam" or "email" */
  const char *q;             /* NULL or search text */
  gboolean    newest_first;  /* order=newest */
  guint       limit;         /* 0: server default */
  const char *cursor;        /* NULL: first page */
  const char *if_none_match; /* NULL, or an ETag from a previous page */
} ErCaseQuery;

typedef struct {
  const char *agent;         /* NULL ("me") or a username */
  GDateTime  *since;         /* nullable */
  guint       limit;
  const char *cursor;
} ErDecisionQuery;

/* A new e-mailed case, photos already encrypted (see er-crypto.h). */
typedef struct {
  const char *invoice_number;
  const char *username;
  GDateTime  *received_at;
  const char *message_id;
  const char *user_photo_data;  /* URL-safe base64 ciphertext */
  const char *user_photo_key;   /* base64 wrapped key */
  const char *photo_id_data;
  const char *photo_id_key;
} ErManualCase;

/* The idempotent requests that the client retries by itself (see
 * er_client_set_max_retries()), as named by the "retrying" and "recovered"
 * signals. */
typedef enum {
  ER_REQUEST_ME,        /* GET /me */
  ER_REQUEST_CASES,     /* GET /cases */
  ER_REQUEST_CASE,      /* GET /cases/{id} */
  ER_REQUEST_CLAIM,     /* POST /cases/{id}/claim (posting again renews it) */
  ER_REQUEST_RELEASE,   /* DELETE /cases/{id}/claim */
  ER_REQUEST_ORDER,     /* GET /orders/{invoice} */
  ER_REQUEST_KEY,       /* GET /keys/verification */
  ER_REQUEST_DECISIONS, /* GET /decisions */
  ER_REQUEST_PHOTO,     /* GET of a photo object */
} ErRequestKind;

#define ER_TYPE_CLIENT (er_client_get_type ())
G_DECLARE_FINAL_TYPE (ErClient, er_client, ER, CLIENT, GObject)

/* server: the origin, e.g. "https://verify.edulib.org" (a trailing "/" or
 * path is refused). Fails with ER_ERROR_INSECURE_URL for http:// on a
 * non-loopback host or anything that is not an http(s) origin. */
ErClient   *er_client_new            (const char *server, const char *token, GError **error);
const char *er_client_get_server     (ErClient *self);   /* normalised origin, no trailing "/" */
/* TRUE when url (absolute) has the same scheme, host and port as the server. */
gboolean    er_client_is_server_origin (ErClient *self, const char *url);

/* Prompt recovery. The requests of ErRequestKind are retried inside the
 * client when they fail for a reason that may pass: a 5xx, a 429 (after its
 * Retry-After, at most 30 s) or a network error (a reset or dropped
 * connection, no route, a timeout; not a certificate error). The waits grow
 * from 0.3–0.6 s, doubling, with jitter, to at most 8 s; after max_retries
 * retries the last error is returned as it would be without retrying. Any
 * other 4xx is final at once. Cancelling during a wait ends the operation
 * at once with G_IO_ERROR_CANCELLED. Decisions and manual cases are never
 * retried here: their callers retry them with their Idempotency-Key.
 *
 * max_retries: how many retries after the first attempt (default 5);
 * 0: a single attempt. Applies to requests that fail from then on.
 *
 * Signals:
 *
 *   "retrying" (ErClient *client, ErRequestKind kind, guint attempt,
 *               guint delay_ms, GError *error, gpointer user_data)
 *     A request of this kind failed with error (the ER_ERROR it would have
 *     returned) and is sent again in delay_ms ms; attempt is 1 for the first
 *     retry. error is only valid during the emission.
 *
 *   "recovered" (ErClient *client, ErRequestKind kind, gpointer user_data)
 *     A request of this kind that had been retried got its answer (a 2xx,
 *     or a 304 to a conditional request), just before its callback runs. */
void        er_client_set_max_retries   (ErClient *self, guint max_retries);
guint       er_client_get_max_retries   (ErClient *self);

/* Bounded responses. Every attempt (an API request, a photo hop) has an
 * overall deadline, whatever the server trickles: by default 60 s for the
 * API, 180 s for a photo; past it the attempt fails with an
 * ER_ERROR_NETWORK that says so (retried like any network error). An API
 * response may hold, decompressed, at most 4 MiB (one object) or 16 MiB
 * (a page), and nest at most 64 levels: beyond, an ER_ERROR_PARSE, never
 * retried; a Content-Length over the cap fails before the body is read.
 * A refused TLS certificate is never accepted; the ER_ERROR_NETWORK names
 * why it was refused. Seconds must be > 0. */
void        er_client_set_request_deadlines (ErClient *self, guint api_seconds,
                                             guint photo_seconds);

/* A fresh random UUID (v4) for Idempotency-Key headers. */
char       *er_client_new_idempotency_key (void);

void        er_client_get_me_async        (ErClient *self, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErAgent    *er_client_get_me_finish       (ErClient *self, GAsyncResult *result, GError **error);

void        er_client_list_cases_async    (ErClient *self, const ErCaseQuery *query,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErPage     *er_client_list_cases_finish   (ErClient *self, GAsyncResult *result, GError **error);

void        er_client_get_case_async      (ErClient *self, const char *receipt_id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErCase     *er_client_get_case_finish     (ErClient *self, GAsyncResult *result, GError **error);

/* POST .../claim; on 409 fills *conflict (if non-NULL) and fails with
 * ER_ERROR_CLAIMED_BY_OTHER or ER_ERROR_ALREADY_DECIDED. */
void        er_client_claim_async         (ErClient *self, const char *receipt_id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErCase     *er_client_claim_finish        (ErClient *self, GAsyncResult *result,
                                           ErConflict **conflict, GError **error);

void        er_client_release_async       (ErClient *self, const char *receipt_id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
gboolean    er_client_release_finish      (ErClient *self, GAsyncResult *result, GError **error);

/* POST .../decision with Idempotency-Key; reasons ignored when approved.
 * The reasons are validated locally first (ER_ERROR_INVALID_REASON). On 409
 * fills *conflict as claim does; on 429 (ER_ERROR_RATE_LIMITED) fills it too,
 * with only retry_after set. */
void        er_client_decide_async        (ErClient *self, const char *receipt_id,
                                           gboolean approved, const ErReasons *reasons,
                                           const char *idempotency_key,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErDecision *er_client_decide_finish       (ErClient *self, GAsyncResult *result,
                                           ErConflict **conflict, GError **error);

void        er_client_list_decisions_async  (ErClient *self, const ErDecisionQuery *query,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
ErPage     *er_client_list_decisions_finish (ErClient *self, GAsyncResult *result, GError **error);

void        er_client_get_order_async     (ErClient *self, const char *invoice_number,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
ErOrder    *er_client_get_order_finish    (ErClient *self, GAsyncResult *result, GError **error);

/* GET /keys/verification: the platform's public key PEM and its SHA-256 fingerprint (hex). */
void        er_client_get_verification_key_async  (ErClient *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean    er_client_get_verification_key_finish (ErClient *self, GAsyncResult *result,
                                                   char **public_key_pem, char **fingerprint_sha256,
                                                   GError **error);

/* POST /manual-cases; *existing is TRUE when the server answered 200 (same message_id). */
void        er_client_create_manual_case_async  (ErClient *self, const ErManualCase *request,
                                                 const char *idempotency_key,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
ErCase     *er_client_create_manual_case_finish (ErClient *self, GAsyncResult *result,
                                                 gboolean *existing, GError **error);

/* GET a photo object (url absolute or "/..." relative to the server), at most
 * max_bytes (ER_ERROR_PHOTO_TOO_LARGE past that, checked on Content-Length and
 * while reading). Token only on the server origin; redirects followed by hand
 * (at most 5) with the same rule. The bytes are kept in memory only. */
void        er_client_fetch_photo_async   (ErClient *self, const char *url, gsize max_bytes,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
GBytes     *er_client_fetch_photo_finish  (ErClient *self, GAsyncResult *result,
                                           char **content_type, GError **error);
/* The same, as the buffer it was read into (er-secret.h), for whoever
 * decrypts it in place; no content type. */
ErSecretBuffer *er_client_fetch_photo_finish_buffer (ErClient *self, GAsyncResult *result,
                                                     GError **error);

G_END_DECLS
