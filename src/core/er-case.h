/* er-case.h: one verification attempt (a "case" of the Review API). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "er-reasons.h"

G_BEGIN_DECLS

typedef enum {
  ER_CASE_SOURCE_WEBCAM,
  ER_CASE_SOURCE_EMAIL,
} ErCaseSource;

typedef enum {
  ER_CASE_STATUS_PENDING,
  ER_CASE_STATUS_APPROVED,
  ER_CASE_STATUS_DENIED,
} ErCaseStatus;

/* Where a photo is, and its wrapped AES key (NULL when the platform serves it in clear). */
typedef struct {
  char *url;  /* absolute URL, or a path beginning with "/" relative to the server */
  char *key;  /* base64 of the RSA-OAEP-wrapped AES key, or NULL */
} ErPhotoRef;

#define ER_TYPE_PHOTO_REF (er_photo_ref_get_type ())
GType       er_photo_ref_get_type (void) G_GNUC_CONST;
ErPhotoRef *er_photo_ref_new      (const char *url, const char *key);
ErPhotoRef *er_photo_ref_copy     (const ErPhotoRef *self);
void        er_photo_ref_free     (ErPhotoRef *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErPhotoRef, er_photo_ref_free)

#define ER_TYPE_CASE (er_case_get_type ())
G_DECLARE_FINAL_TYPE (ErCase, er_case, ER, CASE, GObject)

/* Checked parse of a case object; unknown members are ignored. Required:
 * receipt_id, source, status, submitted_at, expected_name, user_photo, photo_id. */
ErCase       *er_case_new_from_json        (JsonNode *node, GError **error);

/* Properties (read-only, same names with '-'): receipt-id, source, status,
 * submitted-at, expected-name, username, email, invoice-number, attempt,
 * claimed-by, claim-expires-at. */
const char   *er_case_get_receipt_id       (ErCase *self);
ErCaseSource  er_case_get_source           (ErCase *self);
ErCaseStatus  er_case_get_status           (ErCase *self);
GDateTime    *er_case_get_submitted_at     (ErCase *self);
const char   *er_case_get_expected_name    (ErCase *self);
/* er_case_name_key () of the expected name, computed once. */
const char   *er_case_get_name_key         (ErCase *self);
const char   *er_case_get_username         (ErCase *self);       /* nullable */
const char   *er_case_get_email            (ErCase *self);       /* nullable */
const char   *er_case_get_invoice_number   (ErCase *self);       /* nullable */
guint         er_case_get_attempt          (ErCase *self);       /* 1 when absent */
const ErReasons *er_case_get_previous_reasons (ErCase *self);    /* nullable */
const char   *er_case_get_claimed_by       (ErCase *self);       /* nullable */
GDateTime    *er_case_get_claim_expires_at (ErCase *self);       /* nullable */
const ErPhotoRef *er_case_get_user_photo   (ErCase *self);
const ErPhotoRef *er_case_get_photo_id     (ErCase *self);

/* Property "name-shared" (notified): another case listed with this one has
 * the same expected name (er_case_name_key), so the username tells them
 * apart. Set by the queue that lists the case, not by the server. */
gboolean      er_case_get_name_shared      (ErCase *self);
void          er_case_set_name_shared      (ErCase *self, gboolean shared);
/* The name as compared for "name-shared": Unicode-normalised (NFKC),
 * case-folded, spaces trimmed and collapsed, ’ as '. Accents count:
 * "Francois Cote" is not "François Côté". A new string. */
char         *er_case_name_key             (const char *name);

const char   *er_case_source_to_string     (ErCaseSource source); /* "webcam", "email" */

G_END_DECLS
