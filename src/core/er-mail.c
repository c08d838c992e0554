/* er-mail.c: a learner's e-mail to support, read with GMime.
 *
 * The message is parsed from memory (a GMimeStreamMem over a copy of the
 * bytes; parts stay substreams of it). Limits are checked before GMime builds
 * anything: the size, then the number of MIME delimiters and of header lines
 * in each part (a quick scan of the raw text, with the boundaries decoded by
 * GMime itself however they are written); headers are counted again while
 * GMime parses and parts while walking the tree. Each part is
 * decoded through a GMimeStreamFilter read in chunks, so a part is never held
 * beyond its cap: an image that would decode to more than ER_PHOTO_MAX_BYTES
 * is counted first, without being kept, and left out. Nothing is written to
 * disk.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "er-error.h"
#include "er-mail.h"
#include "er-mail-private.h"
#include "er-photo.h"

#define READ_CHUNK_SIZE     (64 * 1024)
#define MAX_BODY_TEXT_BYTES (1024 * 1024)

struct _ErMail {
  char      *message_id;
  GDateTime *date;
  char      *subject;
  char      *from;
  char      *body_text;
  char      *invoice;
  GPtrArray *images;    /* of ErMailImage* */
  GPtrArray *warnings;  /* of char* */
};

static void
er_mail_image_free (ErMailImage *image)
{
  g_free (image->filename);
  g_free (image->content_type);
  g_free (image->format);
  g_clear_pointer (&image->data, g_bytes_unref);
  g_free (image);
}

static void
er_mail_clear (gpointer data)
{
  ErMail *self = data;

  g_free (self->message_id);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->subject);
  g_free (self->from);
  g_free (self->body_text);
  g_free (self->invoice);
  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
}

ErMail *
er_mail_ref (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
er_mail_unref (ErMail *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, er_mail_clear);
}

G_DEFINE_BOXED_TYPE (ErMail, er_mail, er_mail_ref, er_mail_unref)

static void
ensure_gmime (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* ------------------------------------------------------------------------ */
/* Decoding parts within a budget                                           */

static GMimeStream *
open_decoded (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *source;
  GMimeStream *filtered;
  GMimeContentEncoding encoding;

  if (content == NULL || (source = g_mime_data_wrapper_get_stream (content)) == NULL)
    return NULL;

  g_mime_stream_reset (source);
  filtered = g_mime_stream_filter_new (source);
  encoding = g_mime_data_wrapper_get_encoding (content);
  if (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
      encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      encoding == GMIME_CONTENT_ENCODING_UUENCODE)
    {
      g_autoptr(MailFilter) filter = g_mime_filter_basic_new (encoding, FALSE);
      g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
    }
  return filtered;
}

/* The decoded size of part, reading no further than just past limit; nothing is kept. */
static gsize
decoded_size_up_to (GMimePart *part, gsize limit)
{
  g_autoptr(MailStream) stream = open_decoded (part);
  g_autofree char *buffer = NULL;
  gsize total = 0;
  gssize n;

  if (stream == NULL)
    return 0;
  buffer = g_malloc (READ_CHUNK_SIZE);
  while (total <= limit && (n = g_mime_stream_read (stream, buffer, READ_CHUNK_SIZE)) > 0)
    total += n;
  return total;
}

/* The decoded bytes of part, at most limit of them; *truncated says whether there was more. */
static GBytes *
decode_part (GMimePart *part, gsize limit, gboolean *truncated)
{
  g_autoptr(MailStream) stream = open_decoded (part);
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autofree char *buffer = NULL;
  gssize n;

  *truncated = FALSE;
  if (stream == NULL)
    return g_bytes_new (NULL, 0);

  buffer = g_malloc (READ_CHUNK_SIZE);
  while ((n = g_mime_stream_read (stream, buffer, READ_CHUNK_SIZE)) > 0)
    {
      if (array->len + (gsize) n > limit)
        {
          g_byte_array_append (array, (guint8 *) buffer, limit - array->len);
          *truncated = TRUE;
          break;
        }
      g_byte_array_append (array, (guint8 *) buffer, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* The text of a text part as UTF-8, at most MAX_BODY_TEXT_BYTES of it. */
static char *
part_text (GMimePart *part)
{
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (part));
  const char *charset = type != NULL ? g_mime_content_type_get_parameter (type, "charset") : NULL;
  gboolean truncated;
  g_autoptr(GBytes) bytes = decode_part (part, MAX_BODY_TEXT_BYTES, &truncated);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (data == NULL || len == 0)
    return g_strdup ("");

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "us-ascii") != 0)
    {
      g_autofree char *converted = g_convert_with_fallback (data, len, "UTF-8",
                                                            g_mime_charset_iconv_name (charset),
                                                            "?", NULL, NULL, NULL);
      if (converted != NULL)
        return g_steal_pointer (&converted);
    }
  return g_utf8_make_valid (data, len);
}

/* ------------------------------------------------------------------------ */
/* Invoice numbers                                                          */

static GRegex *
compile_invoice_pattern (const char *pattern, gboolean *fell_back)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = NULL;

  if (fell_back != NULL)
    *fell_back = FALSE;
  if (pattern != NULL && *pattern != '\0')
    {
      regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, &error);
      if (regex == NULL)
        {
          g_debug ("Invoice pattern “%s” is not valid: %s", pattern, error->message);
          if (fell_back != NULL)
            *fell_back = TRUE;
        }
    }
  if (regex == NULL)
    regex = g_regex_new (ER_MAIL_DEFAULT_INVOICE_PATTERN, G_REGEX_CASELESS, 0, NULL);
  return regex;
}

static char *
find_with_regex (GRegex *regex, const char *text)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *found = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  found = g_match_info_fetch (match, 0);
  if (found == NULL || *found == '\0')
    return NULL;
  return g_utf8_strup (found, -1);
}

char *
er_mail_find_invoice (const char *text, const char *invoice_pattern)
{
  g_autoptr(GRegex) regex = NULL;

  if (text == NULL)
    return NULL;
  regex = compile_invoice_pattern (invoice_pattern, NULL);
  return find_with_regex (regex, text);
}

/* ------------------------------------------------------------------------ */
/* Walking the parts                                                        */

typedef struct {
  ErMail   *mail;
  guint     n_parts;
  gboolean  too_many_parts;
  guint     n_ignored;       /* attachments past ER_MAIL_MAX_IMAGES */
  char     *plain;           /* the first text/plain body */
  char     *html;            /* the first text/html body */
  gboolean  damaged;         /* GMime saw broken MIME */
} Walk;

static void
add_warning (Walk *walk, char *message)
{
  g_ptr_array_add (walk->mail->warnings, message);
}

/* A filename fit to show: valid UTF-8, no folders, no control characters. */
static char *
clean_filename (const char *raw)
{
  g_autofree char *valid = NULL;
  const char *base;
  GString *out;

  if (raw == NULL || *raw == '\0')
    return NULL;
  valid = g_utf8_make_valid (raw, -1);
  base = valid;
  for (const char *p = valid; *p != '\0'; p++)
    if ((*p == '/' || *p == '\\') && p[1] != '\0')
      base = p + 1;

  out = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\')
        continue;
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
    }
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_executable (GBytes *data)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (data, &size);

  if (d == NULL)
    return FALSE;
  return (size >= 4 && memcmp (d, "\x7f" "ELF", 4) == 0) ||
         (size >= 2 && memcmp (d, "MZ", 2) == 0) ||
         (size >= 4 && (memcmp (d, "\xfe\xed\xfa\xce", 4) == 0 ||
                        memcmp (d, "\xfe\xed\xfa\xcf", 4) == 0 ||
                        memcmp (d, "\xcf\xfa\xed\xfe", 4) == 0 ||
                        memcmp (d, "\xce\xfa\xed\xfe", 4) == 0 ||
                        memcmp (d, "\xca\xfe\xba\xbe", 4) == 0)) ||
         (size >= 2 && memcmp (d, "#!", 2) == 0);
}

static void
warn_format (Walk *walk, const char *name, const char *format, GBytes *data)
{
  if (format == NULL)
    {
      if (is_executable (data))
        /* TRANSLATORS: %s is an attachment's file name. */
        add_warning (walk, g_strdup_printf (_("%s: not an image (an executable program)"), name));
      else
        /* TRANSLATORS: %s is an attachment's file name. */
        add_warning (walk, g_strdup_printf (_("%s: not an image"), name));
    }
  else if (g_str_equal (format, "HEIC") || g_str_equal (format, "HEIF"))
    {
      /* TRANSLATORS: the first %s is a file name, the second an image format (HEIC). */
      add_warning (walk, g_strdup_printf (_("%s is in %s format, which cannot be shown here. "
                                            "Ask the learner to send a JPEG, or convert it (on "
                                            "an iPhone: Settings › Camera › Formats › Most "
                                            "Compatible)."), name, format));
    }
  else if (g_str_equal (format, "PDF"))
    {
      /* TRANSLATORS: %s is an attachment's file name. */
      add_warning (walk, g_strdup_printf (_("%s is a PDF document, not a photo. Ask the learner "
                                            "to send a JPEG or PNG photo."), name));
    }
  else if (g_str_equal (format, "HTML") || g_str_equal (format, "XML") ||
           g_str_equal (format, "SVG"))
    {
      /* TRANSLATORS: %s is an attachment's file name. */
      add_warning (walk, g_strdup_printf (_("%s: not an image"), name));
    }
  else
    {
      /* TRANSLATORS: the first %s is a file name, the second an image format (WebP, GIF...). */
      add_warning (walk, g_strdup_printf (_("%s is in %s format, which cannot be shown here. "
                                            "Ask the learner to send a JPEG or PNG, or convert "
                                            "it (for example with GIMP)."), name, format));
    }
}

static void
handle_attachment (Walk *walk, GMimePart *part, gboolean in_related)
{
  GMimeObject *object = GMIME_OBJECT (part);
  GMimeContentType *type = g_mime_object_get_content_type (object);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  g_autofree char *filename = clean_filename (g_mime_part_get_filename (part));
  const char *name = filename != NULL ? filename : _("An unnamed attachment");
  g_autoptr(GBytes) data = NULL;
  const char *format;
  gboolean truncated = FALSE;
  ErMailImage *image;
  int width = 0, height = 0;
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *raw = content != NULL ? g_mime_data_wrapper_get_stream (content) : NULL;
  gint64 raw_length = raw != NULL ? g_mime_stream_length (raw) : -1;

  if (walk->mail->images->len >= ER_MAIL_MAX_IMAGES)
    {
      walk->n_ignored++;
      return;
    }

  /* A part that might decode past the cap is measured first, without keeping it. */
  if (raw_length < 0 || (guint64) raw_length > ER_PHOTO_MAX_BYTES)
    {
      if (decoded_size_up_to (part, ER_PHOTO_MAX_BYTES) > ER_PHOTO_MAX_BYTES)
        truncated = TRUE;
    }
  if (!truncated)
    data = decode_part (part, ER_PHOTO_MAX_BYTES, &truncated);
  if (truncated)
    {
      /* TRANSLATORS: %s is a file name, %d a size in megabytes. */
      add_warning (walk, g_strdup_printf (_("%s is larger than %d MB and was left out. Ask the "
                                            "learner for a smaller photo."),
                                          name, ER_PHOTO_MAX_BYTES / (1024 * 1024)));
      return;
    }
  if (g_bytes_get_size (data) == 0)
    {
      /* TRANSLATORS: %s is an attachment's file name. */
      add_warning (walk, g_strdup_printf (_("%s is empty."), name));
      return;
    }

  format = er_photo_sniff_format (data);
  if (format == NULL || (!g_str_equal (format, "PNG") && !g_str_equal (format, "JPEG")))
    {
      warn_format (walk, name, format, data);
      return;
    }

  {
    gsize size;
    const guint8 *d = g_bytes_get_data (data, &size);

    if (g_str_equal (format, "PNG"))
      _er_mail_png_size (d, size, &width, &height);
    else
      _er_mail_jpeg_size (d, size, &width, &height);
  }

  image = g_new0 (ErMailImage, 1);
  image->filename = g_steal_pointer (&filename);
  image->content_type = type != NULL ? g_mime_content_type_get_mime_type (type)
                                     : g_strdup ("application/octet-stream");
  image->format = g_strdup (format);
  image->data = g_steal_pointer (&data);
  image->inline_part = in_related ||
    (disposition != NULL && g_strcmp0 (g_mime_content_disposition_get_disposition (disposition),
                                       GMIME_DISPOSITION_INLINE) == 0);
  image->width = width;
  image->height = height;
  g_ptr_array_add (walk->mail->images, image);
}

static void
walk_object (Walk *walk, GMimeObject *object, gboolean in_related)
{
  if (walk->too_many_parts || object == NULL)
    return;
  if (++walk->n_parts > ER_MAIL_MAX_PARTS)
    {
      walk->too_many_parts = TRUE;
      return;
    }

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      GMimeContentType *type = g_mime_object_get_content_type (object);
      gboolean related = in_related ||
        (type != NULL && g_mime_content_type_is_type (type, "multipart", "related"));
      int count = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < count && !walk->too_many_parts; i++)
        walk_object (walk, g_mime_multipart_get_part (multipart, i), related);
    }
  else if (GMIME_IS_MESSAGE_PART (object))
    {
      /* A forwarded message: its parts count too. */
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (inner != NULL)
        walk_object (walk, g_mime_message_get_mime_part (inner), FALSE);
    }
  else if (GMIME_IS_PART (object))
    {
      GMimePart *part = GMIME_PART (object);
      GMimeContentType *type = g_mime_object_get_content_type (object);
      gboolean attachment = g_mime_part_is_attachment (part) ||
                            g_mime_part_get_filename (part) != NULL;

      if (!attachment && type != NULL && g_mime_content_type_is_type (type, "text", "plain"))
        {
          if (walk->plain == NULL)
            walk->plain = part_text (part);
        }
      else if (!attachment && type != NULL && g_mime_content_type_is_type (type, "text", "html"))
        {
          if (walk->html == NULL)
            walk->html = part_text (part);
        }
      else if (!attachment && type != NULL && g_mime_content_type_is_type (type, "text", "*"))
        {
          /* Calendar invitations, enriched text...: not photos, not the body. */
        }
      else
        {
          handle_attachment (walk, part, in_related);
        }
    }
}

/* Called by GMime for every header it reads: past ER_MAIL_MAX_TOTAL_HEADERS in the
 * whole message (or too many bytes of them), the stream is cut short so that
 * the parser stops reading. */
typedef struct {
  GMimeStream *stream;
  guint        count;
  gsize        bytes;
  gboolean     exceeded;
} HeaderBudget;

static void
on_header (GMimeParser *parser,
           const char  *name,
           const char  *value,
           gint64       offset,
           gpointer     user_data)
{
  HeaderBudget *budget = user_data;

  budget->count++;
  budget->bytes += strlen (name) + (value != NULL ? strlen (value) : 0);
  if (!budget->exceeded &&
      (budget->count > ER_MAIL_MAX_TOTAL_HEADERS ||
       budget->bytes > (gsize) 4 * ER_MAIL_MAX_HEADER_BYTES))
    {
      budget->exceeded = TRUE;
      g_mime_stream_set_bounds (budget->stream, budget->stream->bound_start,
                                g_mime_stream_tell (budget->stream));
    }
}

static void
on_parser_warning (gint64              offset,
                   GMimeParserWarning  code,
                   const char         *item,
                   gpointer            user_data)
{
  Walk *walk = user_data;

  switch (code)
    {
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_CRIT_INVALID_HEADER_NAME:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    case GMIME_CRIT_NESTING_OVERFLOW:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      g_debug ("MIME problem %d at byte %" G_GINT64_FORMAT, code, offset);
      walk->damaged = TRUE;
      break;
    default:
      break;
    }
}

static void
set_not_a_message (GError **error)
{
  g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE,
                       _("This file is not an e-mail message that can be read. Save the "
                         "message again from the mail program (as .eml) and try again."));
}

static void
set_too_many_parts (GError **error)
{
  /* TRANSLATORS: %d is a number of parts (200). */
  g_set_error (error, ER_ERROR, ER_ERROR_TOO_LARGE,
               _("This e-mail has more than %d parts, too many to read. Ask the learner to "
                 "send only the two photos."), ER_MAIL_MAX_PARTS);
}

static void
set_too_many_headers (GError **error)
{
  /* TRANSLATORS: the first %d is a number of lines (1000), the second a size in KB (256). */
  g_set_error (error, ER_ERROR, ER_ERROR_TOO_LARGE,
               _("This e-mail has a part with more than %d header lines or %d KB of headers, "
                 "too many to read. Ask the learner to send the photos in a new message."),
               ER_MAIL_MAX_HEADER_LINES, ER_MAIL_MAX_HEADER_BYTES / 1024);
}

static guint n_gmime_parses;

guint
er_mail_get_n_gmime_parses (void)
{
  return g_atomic_int_get (&n_gmime_parses);
}

ErMail *
er_mail_parse (GBytes      *message,
               const char  *invoice_pattern,
               GError     **error)
{
  g_autoptr(ErMail) self = NULL;
  g_autoptr(MailStream) stream = NULL;
  g_autoptr(MailParser) parser = NULL;
  g_autoptr(MailMessage) parsed = NULL;
  g_autoptr(GRegex) regex = NULL;
  GMimeParserOptions *options;
  GMimeHeaderList *headers;
  InternetAddressList *from;
  const char *data;
  const char *text;
  gsize size;
  gboolean fell_back = FALSE;
  Walk walk = { 0 };
  HeaderBudget budget = { 0 };

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (message, &size);
  if (size > ER_MAIL_MAX_BYTES)
    {
      /* TRANSLATORS: %d is a size in megabytes. */
      g_set_error (error, ER_ERROR, ER_ERROR_TOO_LARGE,
                   _("This e-mail is larger than %d MB, too large to read. Ask the learner to "
                     "send smaller photos."), ER_MAIL_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (data == NULL || size == 0)
    {
      set_not_a_message (error);
      return NULL;
    }

  ensure_gmime ();  /* the scan decodes Content-Type headers with GMime */
  switch (_er_mail_scan_message (data, size))
    {
    case ER_MAIL_SCAN_TOO_MANY_PARTS:
      set_too_many_parts (error);
      return NULL;
    case ER_MAIL_SCAN_TOO_MANY_HEADERS:
      set_too_many_headers (error);
      return NULL;
    case ER_MAIL_SCAN_OK:
    default:
      break;
    }

  self = g_atomic_rc_box_new0 (ErMail);
  self->images = g_ptr_array_new_with_free_func ((GDestroyNotify) er_mail_image_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  walk.mail = self;

  stream = g_mime_stream_mem_new_with_buffer (data, size);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  /* A Content-Length header is a claim, not a fact: boundaries decide. */
  g_mime_parser_set_respect_content_length (parser, FALSE);
  budget.stream = stream;
  g_mime_parser_set_header_regex (parser, "", on_header, &budget);
  options = g_mime_parser_options_new ();
  g_mime_parser_options_set_warning_callback (options, on_parser_warning, &walk);
  g_atomic_int_inc (&n_gmime_parses);
  parsed = g_mime_parser_construct_message (parser, options);
  g_mime_parser_options_free (options);

  if (budget.exceeded)
    {
      set_too_many_headers (error);
      return NULL;
    }

  headers = parsed != NULL ? g_mime_object_get_header_list (GMIME_OBJECT (parsed)) : NULL;
  if (parsed == NULL || headers == NULL || g_mime_header_list_get_count (headers) == 0)
    {
      set_not_a_message (error);
      return NULL;
    }

  if ((text = g_mime_message_get_message_id (parsed)) != NULL && *text != '\0')
    self->message_id = g_strdup_printf ("<%s>", text);
  if (g_mime_message_get_date (parsed) != NULL)
    self->date = g_date_time_ref (g_mime_message_get_date (parsed));
  if ((text = g_mime_message_get_subject (parsed)) != NULL)
    self->subject = g_utf8_make_valid (text, -1);
  from = g_mime_message_get_from (parsed);
  if (from != NULL && internet_address_list_length (from) > 0)
    {
      g_autofree char *s = internet_address_list_to_string (from, NULL, FALSE);
      self->from = g_utf8_make_valid (s, -1);
    }

  walk_object (&walk, g_mime_message_get_mime_part (parsed), FALSE);
  if (walk.too_many_parts)
    {
      g_free (walk.plain);
      g_free (walk.html);
      set_too_many_parts (error);
      return NULL;
    }

  if (walk.plain != NULL && *g_strstrip (walk.plain) != '\0')
    self->body_text = g_steal_pointer (&walk.plain);
  else if (walk.html != NULL)
    self->body_text = _er_mail_html_to_text (walk.html);

  regex = compile_invoice_pattern (invoice_pattern, &fell_back);
  self->invoice = find_with_regex (regex, self->subject);
  if (self->invoice == NULL)
    self->invoice = find_with_regex (regex, self->body_text);
  if (self->invoice == NULL && walk.html != NULL && self->body_text != NULL && walk.plain != NULL)
    {
      /* The plain part is there but says less than the HTML one. */
      g_autofree char *html_text = _er_mail_html_to_text (walk.html);
      self->invoice = find_with_regex (regex, html_text);
    }
  g_free (walk.plain);
  g_free (walk.html);

  if (fell_back)
    g_ptr_array_insert (self->warnings, 0,
                        g_strdup (_("The invoice number pattern in Preferences is not valid; "
                                    "the usual EDU-YYYY-NNNNNN pattern was used.")));
  if (walk.n_ignored > 0)
    {
      /* TRANSLATORS: %u is a number of attachments, %d the most that are read (20). */
      add_warning (&walk, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "%u more attachment was ignored: at most "
                                                        "%d images are read from one e-mail.",
                                                        "%u more attachments were ignored: at "
                                                        "most %d images are read from one e-mail.",
                                                        walk.n_ignored),
                                           walk.n_ignored, ER_MAIL_MAX_IMAGES));
    }
  if (walk.damaged)
    add_warning (&walk, g_strdup (_("This e-mail is damaged or incomplete; some attachments "
                                    "may be missing. Ask the learner to send it again if the "
                                    "photos are not all here.")));

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

const char *
er_mail_get_message_id (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->message_id;
}

GDateTime *
er_mail_get_date (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->date;
}

const char *
er_mail_get_subject (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject;
}

const char *
er_mail_get_from (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->from;
}

const char *
er_mail_get_body_text (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body_text;
}

const char *
er_mail_get_invoice (ErMail *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->invoice;
}

guint
er_mail_get_n_images (ErMail *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->images->len;
}

const ErMailImage *
er_mail_get_image (ErMail *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->images->len, NULL);
  return g_ptr_array_index (self->images, index);
}

GPtrArray *
er_mail_get_warnings (ErMail *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->warnings->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (self->warnings, i)));
  return copy;
}

/* ------------------------------------------------------------------------ */
/* Which is the face, which is the ID                                       */

typedef enum {
  NAME_NEUTRAL,
  NAME_FACE,
  NAME_ID,
} NameHint;

static NameHint
name_hint (const char *filename)
{
  static const char * const face_words[] = {
    "selfie", "face", "visage", "portrait", "figure", "headshot", "moi", NULL
  };
  /* Matched as word prefixes ("identite" matches "identité", "identity"). */
  static const char * const id_words[] = {
    "identit", "carte", "card", "permis", "licen", "passport", "passeport", "cni",
    "driver", "piece", "document", "pasaporte", "ausweis", NULL
  };
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  g_auto(GStrv) words = NULL;
  gboolean face = FALSE, id = FALSE;

  if (filename == NULL)
    return NAME_NEUTRAL;
  ascii = g_str_to_ascii (filename, "C");
  lower = g_ascii_strdown (ascii, -1);
  for (char *p = lower; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      *p = ' ';
  words = g_strsplit (lower, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];

      if (*w == '\0')
        continue;
      if (g_str_equal (w, "id") || g_str_equal (w, "ids"))
        id = TRUE;
      for (guint j = 0; face_words[j] != NULL; j++)
        if (g_str_has_prefix (w, face_words[j]))
          face = TRUE;
      for (guint j = 0; id_words[j] != NULL; j++)
        if (g_str_has_prefix (w, id_words[j]))
          id = TRUE;
    }
  if (face == id)
    return NAME_NEUTRAL;  /* neither, or "selfie-with-id": the name does not tell */
  return face ? NAME_FACE : NAME_ID;
}

static gboolean
shaped_like_id (const ErMailImage *image)
{
  double ratio;

  if (image->width <= 0 || image->height <= 0)
    return FALSE;
  ratio = (double) image->width / image->height;
  /* An ID-1 card is 85.6 × 54 mm, 1.585:1; a photo of one, cropped loosely. */
  return ratio >= 1.4 && ratio <= 1.8;
}

static gboolean
shaped_like_face (const ErMailImage *image)
{
  if (image->width <= 0 || image->height <= 0)
    return FALSE;
  /* Portrait or about square. */
  return (double) image->width / image->height <= 1.1;
}

void
er_mail_propose (ErMail *self, int *face, int *id)
{
  int f = -1, d = -1;
  guint n;

  g_return_if_fail (self != NULL);

  n = self->images->len;

  /* Names first. */
  for (guint i = 0; i < n; i++)
    {
      const ErMailImage *image = g_ptr_array_index (self->images, i);
      NameHint hint = name_hint (image->filename);

      if (hint == NAME_FACE && f < 0)
        f = i;
      else if (hint == NAME_ID && d < 0)
        d = i;
    }

  /* Then shape. */
  for (guint i = 0; i < n && d < 0; i++)
    if ((int) i != f && shaped_like_id (g_ptr_array_index (self->images, i)))
      d = i;
  for (guint i = 0; i < n && f < 0; i++)
    if ((int) i != d && shaped_like_face (g_ptr_array_index (self->images, i)))
      f = i;

  /* Then order: the face usually comes first. */
  for (guint i = 0; i < n && f < 0; i++)
    if ((int) i != d)
      f = i;
  for (guint i = 0; i < n && d < 0; i++)
    if ((int) i != f)
      d = i;

  if (face != NULL)
    *face = f;
  if (id != NULL)
    *id = d;
}
