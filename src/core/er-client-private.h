/* er-client-private.h: what the er-client*.c files share.
 *
 * er-client.c         construction, the SoupSession, sending a request (ErApiCall)
 * er-client-endpoints.c the endpoints, one _async/_finish pair per request
 * er-client-errors.c  HTTP status and error body → ER_ERROR, ErConflict
 * er-client-origin.c  origin parsing and normalising, loopback, same origin
 * er-client-photo.c   photo downloads: redirects, the token per hop, size caps
 * er-client-retry.c   prompt recovery: retrying idempotent requests
 * er-client-deadline.c the overall deadline of every request
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "er-client.h"

G_BEGIN_DECLS

#define ER_CLIENT_MAX_REDIRECTS        5
#define ER_CLIENT_READ_CHUNK           (64 * 1024)
/* A photo body is read in parts of this size, straight into its buffer. */
#define ER_CLIENT_PHOTO_READ_CHUNK     (256 * 1024)
#define ER_CLIENT_MAX_ERROR_BODY       (64 * 1024)

/* What an API response may hold, decompressed (requests carry
 * Accept-Encoding: gzip, deflate). One object (an agent, a case, an order,
 * a decision, the key) is a few KiB: 4 MiB leaves three orders of
 * magnitude. A page holds at most 200 cases or decisions of 1–3 KiB each
 * (pre-signed photo URLs are the bulk), some 600 KiB: 16 MiB leaves a
 * margin of 25. */
#define ER_CLIENT_MAX_OBJECT_BODY      (4 * 1024 * 1024)
#define ER_CLIENT_MAX_PAGE_BODY        (16 * 1024 * 1024)

/* The overall deadline of one attempt, whatever the server trickles. An
 * API answer is small: 60 s is twice libsoup's per-read timeout. A photo
 * may hold up to 25 MiB: 180 s lets the largest through at 1.2 Mbit/s
 * (a photo of a usual 2–5 MB needs well under 1 Mbit/s). */
#define ER_CLIENT_API_DEADLINE_SECONDS   60
#define ER_CLIENT_PHOTO_DEADLINE_SECONDS 180

/* Concurrent connections: libsoup's default of 2 per host lets two stuck
 * requests (two trickled photos) hold back every other request to that
 * host, the decisions included. */
#define ER_CLIENT_MAX_CONNS            16
#define ER_CLIENT_MAX_CONNS_PER_HOST   8

/* The deadline of one attempt (er-client-deadline.c), part of its task
 * data. */
typedef struct {
  GCancellable *cancellable;    /* the attempt's */
  GCancellable *parent;         /* the task's, nullable */
  GSource      *parent_source;  /* cancels cancellable when parent is */
  GSource      *timeout;
  guint         seconds;
  gboolean      expired;
} ErDeadline;

struct _ErClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *server_uri;
  char        *server;
  char        *token;
  guint        max_retries;
  guint        api_deadline;    /* seconds */
  guint        photo_deadline;  /* seconds */
};

enum {
  ER_CLIENT_SIGNAL_RETRYING,
  ER_CLIENT_SIGNAL_RECOVERED,
  ER_CLIENT_N_SIGNALS
};

extern guint _er_client_signals[ER_CLIENT_N_SIGNALS];

/* Sends the request again; takes the task. */
typedef void (*ErResendFunc) (GTask *task);

/* The retry state of one operation, part of its task data. */
typedef struct {
  gboolean      enabled;     /* an idempotent request: may be retried */
  ErRequestKind kind;
  ErResendFunc  resend;
  guint         retries;     /* retries made so far */
  GSource      *wait;        /* the backoff timeout, while waiting */
} ErRetry;

/* One API request (er-client.c), the task data of every endpoint's task. */
typedef struct _ErApiCall ErApiCall;

/* Called for a 2xx (root: the parsed object; NULL for 204) or, when
 * allowed, a 304 (root NULL). Must return a result on the task. */
typedef void (*ErApiHandler) (GTask       *task,
                              ErApiCall   *call,
                              SoupMessage *msg,
                              JsonNode    *root);

struct _ErApiCall
{
  SoupMessage *msg;
  ErApiHandler   handler;
  GType        item_type;       /* list pages: ER_TYPE_CASE or ER_TYPE_DECISION */
  ErConflict  *conflict;        /* filled on 409 */
  gboolean     allow_empty;     /* 204 / empty 2xx body is a success */
  gboolean     ignore_body;     /* any 2xx is a success, whatever its body */
  gboolean     allow_not_modified;
  gboolean     existing;        /* manual case: 200 rather than 201 */
  char        *public_key_pem;  /* verification key */
  char        *fingerprint;
  ErRetry      retry;
  ErDeadline   deadline;
  gsize        max_bytes;       /* of a 2xx body, decompressed */

  /* The response being read. */
  GInputStream *stream;
  GByteArray   *buffer;
  gboolean      error_body;     /* reading the body of a non-2xx response */

  /* The request, kept to build it again for a retry. */
  const char  *method;          /* an interned SOUP_METHOD_* */
  GUri        *uri;
  GBytes      *body;            /* nullable */
  char        *idempotency_key; /* nullable */
  char        *if_none_match;   /* nullable */
};

/* er-client.c */
void         _er_client_set_authorization (ErClient           *self,
                                           SoupMessageHeaders *headers);
gboolean     _er_client_result_is_valid   (ErClient           *self,
                                           GAsyncResult       *result,
                                           gpointer            source_tag);
GTask       *_er_api_task_new             (ErClient           *self,
                                           gpointer            source_tag,
                                           ErApiHandler        handler,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
/* Makes the task's request one that is retried on a transient failure. */
void         _er_api_task_retry_as        (GTask              *task,
                                           ErRequestKind       kind);
/* Sends an API request; takes the task. path is relative to ER_API_PREFIX
 * and already escaped; query is an encoded query string or NULL. */
void         _er_api_send                 (GTask              *task,
                                           const char         *method,
                                           const char         *path,
                                           const char         *query,
                                           JsonNode           *body,
                                           const char         *idempotency_key,
                                           const char         *if_none_match);
/* Checks, hands over the 409 details (when conflict is non-NULL) and
 * propagates the task's pointer. */
gpointer     _er_api_finish_pointer       (ErClient           *self,
                                           GAsyncResult       *result,
                                           gpointer            source_tag,
                                           ErConflict        **conflict,
                                           GError            **error);
/* Returns object on the task, or (it is NULL) a parse error naming what,
 * after logging *error; what NULL: *error itself is returned. */
void         _er_api_return_object        (GTask              *task,
                                           gpointer            object,
                                           GError            **error,
                                           const char         *what);
char        *_er_api_escape_segment       (const char         *segment);
void         _er_api_append_query         (GString            *query,
                                           const char         *name,
                                           const char         *value);
/* limit=N (left out for 0, the server's default), then cursor. */
void         _er_api_append_page_query    (GString            *query,
                                           guint               limit,
                                           const char         *cursor);
char        *_er_api_format_utc           (GDateTime          *time);

/* er-client-deadline.c */
GCancellable *_er_deadline_start          (ErDeadline         *deadline,
                                           GTask              *task,
                                           guint               seconds);
void         _er_deadline_stop            (ErDeadline         *deadline);
GError      *_er_deadline_check           (ErDeadline         *deadline,
                                           GError             *error);

/* er-client-origin.c */
GUri        *_er_client_parse_origin      (const char         *server,
                                           GError            **error);
gboolean     _er_uri_is_http              (GUri               *uri);
gboolean     _er_uri_is_secure_enough     (GUri               *uri);
gboolean     _er_uri_same_origin          (GUri               *a,
                                           GUri               *b);
char        *_er_uri_to_log_string        (GUri               *uri);

/* er-client-retry.c */
void         _er_retry_init               (ErRetry            *retry,
                                           ErRequestKind       kind,
                                           ErResendFunc        resend);
gboolean     _er_client_retry             (GTask              *task,
                                           ErRetry            *retry,
                                           SoupMessage        *msg,
                                           const GError       *network_error,
                                           const GError       *error);
void         _er_client_retry_succeeded   (GTask              *task,
                                           ErRetry            *retry);
/* A failure to send or read (error is consumed): past the deadline it says
 * so; then retried when it may pass, else returned on task. */
void         _er_client_retry_network_failure (GTask          *task,
                                               ErRetry        *retry,
                                               ErDeadline     *deadline,
                                               SoupMessage    *msg,
                                               GError         *error);

/* er-client-errors.c */
GError      *_er_client_network_error     (GError             *error,
                                           SoupMessage        *msg);
GError      *_er_client_too_large_error   (gsize               max_bytes);
void         _er_client_watch_certificate (SoupMessage        *msg);
GError      *_er_client_parse_error       (const char         *what);
const char  *_er_json_get_string_or_null  (JsonObject         *object,
                                           const char         *member);
guint        _er_client_retry_after_seconds (SoupMessageHeaders *headers);
GError      *_er_client_error_from_response (SoupMessage      *msg,
                                             GBytes           *body,
                                             gboolean          on_server,
                                             ErConflict      **out_conflict);

G_END_DECLS
