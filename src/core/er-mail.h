/* er-mail.h: a learner's e-mail to support, read with GMime: the message's
 * identity, the invoice number it mentions and its image attachments.
 *
 * Everything stays in memory. Hostile input is expected: at most
 * ER_MAIL_MAX_BYTES of message, ER_MAIL_MAX_PARTS MIME parts and
 * ER_MAIL_MAX_IMAGES candidate images; each image at most ER_PHOTO_MAX_BYTES
 * (er-photo.h). An attachment's type is decided by its bytes (sniffed), not
 * by its name or declared type: an executable named ".jpg" is not an image.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ER_MAIL_MAX_BYTES   (60 * 1024 * 1024)
#define ER_MAIL_MAX_PARTS   200
#define ER_MAIL_MAX_IMAGES  20
/* The default invoice pattern (a GRegex); the setting "invoice-pattern" can change it. */
#define ER_MAIL_DEFAULT_INVOICE_PATTERN "\\bEDU-\\d{4}-\\d{6}\\b"

/* One attachment or inline part that may be a photo. */
typedef struct {
  char   *filename;      /* decoded (RFC 2047/2231), nullable */
  char   *content_type;  /* as declared, e.g. "image/jpeg" */
  char   *format;        /* sniffed: "PNG", "JPEG", "HEIC", "WebP", ... or NULL when not an image */
  GBytes *data;          /* the decoded bytes exactly as sent (no re-encoding) */
  gboolean inline_part;  /* Content-Disposition inline or a multipart/related part */
  int     width;         /* from the image header when known, else 0 */
  int     height;
} ErMailImage;

typedef struct _ErMail ErMail;

#define ER_TYPE_MAIL (er_mail_get_type ())
GType         er_mail_get_type        (void) G_GNUC_CONST;
ErMail       *er_mail_ref             (ErMail *self);
void          er_mail_unref           (ErMail *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErMail, er_mail_unref)

/* Parses an RFC 5322 message. invoice_pattern NULL: the default. Fails with
 * ER_ERROR_PARSE (not a message / broken MIME beyond repair), ER_ERROR_TOO_LARGE
 * (over ER_MAIL_MAX_BYTES or too many parts); a message without images is
 * NOT an error (er_mail_get_n_images () == 0; the UI says so). */
ErMail       *er_mail_parse           (GBytes *message, const char *invoice_pattern, GError **error);

const char   *er_mail_get_message_id  (ErMail *self);   /* "<...>" as in the header, nullable */
GDateTime    *er_mail_get_date        (ErMail *self);   /* nullable */
const char   *er_mail_get_subject     (ErMail *self);   /* decoded, nullable */
const char   *er_mail_get_from        (ErMail *self);   /* decoded "Name <address>", nullable */
const char   *er_mail_get_body_text   (ErMail *self);   /* text/plain, or text from the HTML; nullable */
/* The first invoice number found in the subject, then the body; nullable. */
const char   *er_mail_get_invoice     (ErMail *self);

guint              er_mail_get_n_images (ErMail *self);
const ErMailImage *er_mail_get_image    (ErMail *self, guint index);
/* Images that were left out, and why, for the agent ("virus.jpg: not an
 * image (an executable)", "ID.heic: HEIC ... convert to JPEG", "41 more
 * images were ignored"); a new array of strings, possibly empty. */
GPtrArray    *er_mail_get_warnings    (ErMail *self);

/* The proposed face and ID among the images (indexes, -1 when none):
 * names first (selfie, face, visage, portrait / id, carte, permis, licence,
 * passport, passeport...), then shape (an ID card is landscape, about
 * 1.59:1; a face photo portrait or square), then order. */
void          er_mail_propose         (ErMail *self, int *face, int *id);

/* Finds an invoice number in any text with the pattern (NULL: default); a new string or NULL. */
char         *er_mail_find_invoice    (const char *text, const char *invoice_pattern);

G_END_DECLS
