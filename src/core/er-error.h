/* er-error.h: the error domain shared by the core layer.
 *
 * Every error that can reach the agent carries one of these codes and a
 * message a person can act on (translated with gettext).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ER_ERROR (er_error_quark ())

typedef enum {
  ER_ERROR_NETWORK,              /* the server could not be reached */
  ER_ERROR_INSECURE_URL,         /* http:// to a non-loopback host, or not a URL */
  ER_ERROR_BAD_REQUEST,          /* 400 bad_request */
  ER_ERROR_UNAUTHENTICATED,      /* 401 unauthenticated */
  ER_ERROR_FORBIDDEN,            /* 403 forbidden */
  ER_ERROR_NOT_FOUND,            /* 404 not_found */
  ER_ERROR_UNKNOWN_INVOICE,      /* 404 unknown_invoice */
  ER_ERROR_CLAIMED_BY_OTHER,     /* 409 claimed_by_other */
  ER_ERROR_ALREADY_DECIDED,      /* 409 already_decided */
  ER_ERROR_GONE,                 /* 410 gone */
  ER_ERROR_TOO_LARGE,            /* 413 too_large */
  ER_ERROR_INVALID_REASON,       /* 422 invalid_reason */
  ER_ERROR_IDEMPOTENCY_MISMATCH, /* 422 idempotency_mismatch */
  ER_ERROR_INVALID_PHOTO,        /* 422 invalid_photo */
  ER_ERROR_RATE_LIMITED,         /* 429 rate_limited */
  ER_ERROR_SERVER,               /* 5xx: transient */
  ER_ERROR_UNEXPECTED,           /* any other status or error code */
  ER_ERROR_PARSE,                /* a body that is not what the contract says */
  ER_ERROR_KEY_NEEDS_PASSPHRASE, /* encrypted PEM and no passphrase given */
  ER_ERROR_KEY_BAD_PASSPHRASE,   /* encrypted PEM and the passphrase is wrong */
  ER_ERROR_KEY_INVALID,          /* not an RSA private key of 2048 bits or more */
  ER_ERROR_CRYPTO,               /* a photo key or body that does not decrypt */
  ER_ERROR_PHOTO_TOO_LARGE,      /* stored object over 25 MiB */
  ER_ERROR_IMAGE_TOO_LARGE,      /* image over 100 megapixels */
  ER_ERROR_IMAGE_FORMAT,         /* not PNG or JPEG (the message names the format) */
  ER_ERROR_IMAGE_CORRUPT,        /* PNG or JPEG that does not decode */
  ER_ERROR_KEY_MISMATCH,         /* the platform's verification key is not the one the agent holds */
} ErError;

GQuark er_error_quark (void);

/* A size limit as every message states it: whole megabytes, "25 MB" for
 * ER_PHOTO_MAX_BYTES (25 × 1024 × 1024 bytes) wherever it is refused; a
 * limit that is not whole megabytes as g_format_size() says it. */
char *er_format_size_limit (guint64 bytes);

/* TRUE for errors worth retrying later (network, 5xx, 429). */
gboolean er_error_is_transient (const GError *error);

G_END_DECLS
