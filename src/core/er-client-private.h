/* er-client-private.h: what the er-client*.c files share.
 *
 * er-client.c         construction, the SoupSession, sending, the endpoints
 * er-client-errors.c  HTTP status and error body → ER_ERROR, ErConflict
 * er-client-origin.c  origin parsing and normalising, loopback, same origin
 * er-client-photo.c   photo downloads: redirects, the token per hop, size caps
 * er-client-retry.c   prompt recovery: retrying idempotent requests
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "er-client.h"

G_BEGIN_DECLS

#define ER_CLIENT_MAX_REDIRECTS        5
#define ER_CLIENT_READ_CHUNK           (64 * 1024)
#define ER_CLIENT_MAX_ERROR_BODY       (64 * 1024)

struct _ErClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *server_uri;
  char        *server;
  char        *token;
  guint        max_retries;
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

/* er-client.c */
void         _er_client_set_authorization (ErClient           *self,
                                           SoupMessageHeaders *headers);
gboolean     _er_client_result_is_valid   (ErClient           *self,
                                           GAsyncResult       *result,
                                           gpointer            source_tag);

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

/* er-client-errors.c */
GError      *_er_client_network_error     (GError             *error);
GError      *_er_client_parse_error       (const char         *what);
const char  *_er_json_get_string_or_null  (JsonObject         *object,
                                           const char         *member);
guint        _er_client_retry_after_seconds (SoupMessageHeaders *headers);
GError      *_er_client_error_from_response (SoupMessage      *msg,
                                             GBytes           *body,
                                             gboolean          on_server,
                                             ErConflict      **out_conflict);

G_END_DECLS
