/* er-mail.h: a learner's e-mail to support, read with GMime: the message's
 * identity, the invoice number it mentions and its image attachments.
 *
 * Everything stays in memory. Hostile input is expected: at most
 * ER_MAIL_MAX_BYTES of message, ER_MAIL_MAX_PARTS MIME parts and
 * ER_MAIL_MAX_IMAGES candidate images, ER_MAIL_MAX_HEADER_LINES header lines
 * and ER_MAIL_MAX_HEADER_BYTES of headers in one part (both checked, with the
 * parts, by a scan of the raw text before GMime builds anything; boundaries
 * however written: quoted, RFC 2231 continuations or extended values);
 * each image at most ER_PHOTO_MAX_BYTES
 * (er-photo.h). An attachment's type is decided by its bytes (sniffed), not
 * by its name or declared type: an executable named ".jpg" is not an image.
 * Only PNG and JPEG become candidates; other formats (HEIC, WebP, GIF, PDF...)
 * and non-images are left out with a warning saying what they are and what to
 * ask the learner for. Claimed sizes (Content-Length, size=) are ignored: the
 * MIME boundaries and the decoded bytes decide. Thread-safe: parsing may run
 * in a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ER_MAIL_MAX_BYTES   (60 * 1024 * 1024)
#define ER_MAIL_MAX_PARTS   200
#define ER_MAIL_MAX_IMAGES  20
#define ER_MAIL_MAX_HEADER_LINES  1000
#define ER_MAIL_MAX_HEADER_BYTES  (256 * 1024)
/* The default invoice pattern (a GRegex); the setting "invoice-pattern" can change it. */
#define ER_MAIL_DEFAULT_INVOICE_PATTERN "\\bEDU-\\d{4}-\\d{6}\\b"

/* One attachment or inline part that may be a photo. */
typedef struct {
  char   *filename;      /* decoded (RFC 2047/2231), nullable */
  char   *content_type;  /* as declared, e.g. "image/jpeg" */
  char   *format;        /* sniffed: "PNG", "JPEG", "HEIC", "WebP", ... or NULL when not an image */
  GBytes *data;          /* the decoded bytes exactly as sent (no re-encoding) */
  gboolean inline_part;  /* Content-Disposition inline or a multipart/related part */
  int     width;         /* from the image header when known, else 0; as shown, */
  int     height;        /* i.e. with the JPEG's EXIF orientation applied */
} ErMailImage;

typedef struct _ErMail ErMail;

#define ER_TYPE_MAIL (er_mail_get_type ())
GType         er_mail_get_type        (void) G_GNUC_CONST;
ErMail       *er_mail_ref             (ErMail *self);
void          er_mail_unref           (ErMail *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErMail, er_mail_unref)

/* Parses an RFC 5322 message. invoice_pattern NULL: the default (an invalid
 * pattern falls back to the default, with a warning). Fails with
 * ER_ERROR_PARSE (not a message / broken MIME beyond repair), ER_ERROR_TOO_LARGE
 * (over ER_MAIL_MAX_BYTES, too many parts or too many header lines); a
 * message without images is NOT an error (er_mail_get_n_images () == 0; the
 * UI says so), nor is a damaged one that still has headers (what could be
 * read, and a warning). */
ErMail       *er_mail_parse           (GBytes *message, const char *invoice_pattern, GError **error);
/* For tests: how many messages have been handed to GMime's parser so far (a
 * message refused by the scan before it never is). */
guint         er_mail_get_n_gmime_parses (void);

const char   *er_mail_get_message_id  (ErMail *self);   /* "<...>" as in the header, nullable */
GDateTime    *er_mail_get_date        (ErMail *self);   /* nullable */
const char   *er_mail_get_subject     (ErMail *self);   /* decoded, nullable */
const char   *er_mail_get_from        (ErMail *self);   /* decoded "Name <address>", nullable */
const char   *er_mail_get_body_text   (ErMail *self);   /* text/plain, or text from the HTML; nullable */
/* The first invoice number found in the subject, then the body (then the HTML
 * alternative), upper-cased ("edu-2026-004211" → "EDU-2026-004211"); nullable.
 * Matching is case-insensitive. */
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
 * 1.59:1; a face photo portrait or square), then order. A name with both
 * kinds of words ("selfie-with-id.jpg") tells nothing. A single landscape
 * card-shaped image is proposed as the ID, any other single image as the face. */
void          er_mail_propose         (ErMail *self, int *face, int *id);

/* Finds an invoice number in any text with the pattern (NULL or invalid: the
 * default), case-insensitive, upper-cased; a new string or NULL. */
char         *er_mail_find_invoice    (const char *text, const char *invoice_pattern);

G_END_DECLS
