/* er-mail-private.h: what the er-mail*.c files share.
 *
 * er-mail.c        parsing with GMime, walking the parts, the accessors
 * er-mail-scan.c   the scan of the raw text before GMime builds anything
 * er-mail-html.c   HTML bodies to text (to find an invoice number)
 * er-mail-image.c  an image's size from its header, without decoding it
 */
#pragma once

#include <gmime/gmime.h>

#include "er-mail.h"

G_BEGIN_DECLS

/* GMime 3.2 declares no g_autoptr cleanups; local names so a later GMime that
 * does cannot clash. */
typedef GMimeStream  MailStream;
typedef GMimeFilter  MailFilter;
typedef GMimeParser  MailParser;
typedef GMimeMessage MailMessage;
typedef GMimeContentType MailContentType;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailFilter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailContentType, g_object_unref)

/* Across the whole message, counted while GMime parses (a backstop for the
 * per-part limits of the scan). */
#define ER_MAIL_MAX_TOTAL_HEADERS  (5 * ER_MAIL_MAX_HEADER_LINES)

typedef enum {
  ER_MAIL_SCAN_OK,
  ER_MAIL_SCAN_TOO_MANY_PARTS,
  ER_MAIL_SCAN_TOO_MANY_HEADERS,
} ErMailScanResult;

/* er-mail-scan.c: the parts and header lines of the raw message counted
 * against the limits; GMime must be initialised (it decodes Content-Type). */
ErMailScanResult _er_mail_scan_message (const char *data,
                                        gsize       size);

/* er-mail-html.c: crude, enough to find an invoice number. */
char            *_er_mail_html_to_text (const char *html);

/* er-mail-image.c: width and height as shown (EXIF orientation applied);
 * FALSE when the header does not say. */
gboolean         _er_mail_jpeg_size    (const guint8 *data,
                                        gsize         size,
                                        int          *width,
                                        int          *height);
gboolean         _er_mail_png_size     (const guint8 *data,
                                        gsize         size,
                                        int          *width,
                                        int          *height);

G_END_DECLS
