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
#include "er-photo.h"

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
/* Image headers: the size without decoding a pixel                          */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_u16 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? ((guint) p[0] << 8) | p[1] : ((guint) p[1] << 8) | p[0];
}

static guint32
read_u32 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? read_be32 (p)
                    : ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* The Orientation tag (1..8) of an APP1 "Exif" segment's IFD0, or 1. */
static guint
exif_orientation (const guint8 *seg, gsize len)
{
  const guint8 *tiff;
  gsize tiff_len;
  gboolean be;
  guint32 ifd;
  guint count;

  if (len < 6 + 8 || memcmp (seg, "Exif\0\0", 6) != 0)
    return 1;
  tiff = seg + 6;
  tiff_len = len - 6;
  if (memcmp (tiff, "MM\0*", 4) == 0)
    be = TRUE;
  else if (memcmp (tiff, "II*\0", 4) == 0)
    be = FALSE;
  else
    return 1;

  ifd = read_u32 (tiff + 4, be);
  if (ifd > tiff_len || tiff_len - ifd < 2)
    return 1;
  count = read_u16 (tiff + ifd, be);
  for (guint i = 0; i < count; i++)
    {
      gsize entry = ifd + 2 + (gsize) i * 12;

      if (entry + 12 > tiff_len)
        break;
      if (read_u16 (tiff + entry, be) == 0x0112)
        {
          guint value = read_u16 (tiff + entry + 8, be);
          return value >= 1 && value <= 8 ? value : 1;
        }
    }
  return 1;
}

/* Width and height as shown (EXIF orientation applied) from a JPEG's SOFn
 * segment; FALSE when the header is truncated or damaged. */
static gboolean
jpeg_size (const guint8 *d, gsize size, int *width, int *height)
{
  gsize pos = 2;
  guint orientation = 1;

  while (pos + 4 <= size)
    {
      guint8 marker;
      gsize len;

      if (d[pos] != 0xff)
        return FALSE;
      while (pos < size && d[pos] == 0xff)
        pos++;
      if (pos >= size)
        return FALSE;
      marker = d[pos++];

      /* Markers without a length: TEM, RSTn. */
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (marker == 0xd9 || marker == 0xda)  /* EOI, SOS: no size found before the data */
        return FALSE;
      if (pos + 2 > size)
        return FALSE;
      len = read_u16 (d + pos, TRUE);
      if (len < 2 || pos + len > size)
        return FALSE;

      if (marker == 0xe1)
        {
          guint o = exif_orientation (d + pos + 2, len - 2);
          if (o != 1)
            orientation = o;
        }
      else if (marker >= 0xc0 && marker <= 0xcf &&
               marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          guint h, w;

          if (len < 7)
            return FALSE;
          h = read_u16 (d + pos + 3, TRUE);
          w = read_u16 (d + pos + 5, TRUE);
          if (w == 0 || h == 0)
            return FALSE;
          /* Orientations 5 to 8 turn the picture a quarter. */
          *width = orientation >= 5 ? (int) h : (int) w;
          *height = orientation >= 5 ? (int) w : (int) h;
          return TRUE;
        }
      pos += len;
    }
  return FALSE;
}

static gboolean
png_size (const guint8 *d, gsize size, int *width, int *height)
{
  guint32 w, h;

  if (size < 24 || memcmp (d + 12, "IHDR", 4) != 0)
    return FALSE;
  w = read_be32 (d + 16);
  h = read_be32 (d + 20);
  if (w == 0 || h == 0 || w > G_MAXINT32 || h > G_MAXINT32)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
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
/* HTML to text: crude, enough to find an invoice number                    */

static gboolean
is_block_tag (const char *name)
{
  static const char * const blocks[] = {
    "br", "p", "div", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "hr", "title", "body", "section", NULL
  };
  return g_strv_contains (blocks, name);
}

static void
append_entity (GString *out, const char *entity)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", " " }, { "ndash", "–" }, { "mdash", "—" }, { "eacute", "é" },
    { "egrave", "è" }, { "agrave", "à" }, { "ccedil", "ç" }, { "Eacute", "É" },
  };

  if (entity[0] == '#')
    {
      gboolean hex = entity[1] == 'x' || entity[1] == 'X';
      guint64 value = g_ascii_strtoull (entity + (hex ? 2 : 1), NULL, hex ? 16 : 10);

      if (value > 0 && value <= 0x10ffff && g_unichar_validate ((gunichar) value))
        g_string_append_unichar (out, value == 0xa0 ? ' ' : (gunichar) value);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (entity, named[i].name))
      {
        g_string_append (out, named[i].text);
        return;
      }
  g_string_append_printf (out, "&%s;", entity);
}

static char *
html_to_text (const char *html)
{
  GString *out = g_string_new (NULL);
  /* Searched for tag names and closing tags; same offsets as html. */
  g_autofree char *lower = g_ascii_strdown (html, -1);
  const char *p = html;

  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *end;
          const char *low = lower + (p - html);
          const char *name = low + 1;
          gsize name_len = 0;
          g_autofree char *tag = NULL;

          if (g_str_has_prefix (low, "<!--"))
            {
              end = strstr (low + 4, "-->");
              p = end != NULL ? html + (end - lower) + 3 : p + strlen (p);
              continue;
            }
          if (*name == '/')
            name++;
          while (name_len < 16 && g_ascii_isalnum (name[name_len]))
            name_len++;
          tag = g_strndup (name, name_len);

          /* Skip the contents of script and style. */
          if (low[1] != '/' && (g_str_equal (tag, "script") || g_str_equal (tag, "style")))
            {
              const char *close = strstr (low + 1, g_str_equal (tag, "script") ? "</script"
                                                                                : "</style");

              if (close == NULL)
                break;
              end = strchr (close, '>');
              p = end != NULL ? html + (end - lower) + 1 : p + strlen (p);
              continue;
            }

          end = strchr (p, '>');
          if (end == NULL)
            break;
          if (is_block_tag (tag))
            g_string_append_c (out, '\n');
          p = end + 1;
        }
      else if (*p == '&')
        {
          const char *semi = p + 1;

          while (semi - p < 12 && (g_ascii_isalnum (*semi) || *semi == '#'))
            semi++;
          if (*semi == ';' && semi - p > 1 && semi - p < 12)
            {
              g_autofree char *entity = g_strndup (p + 1, semi - p - 1);
              append_entity (out, entity);
              p = semi + 1;
            }
          else
            {
              g_string_append_c (out, '&');
              p++;
            }
        }
      else if (*p == '\r' || *p == '\n' || *p == '\t')
        {
          g_string_append_c (out, ' ');
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  /* Tidy: no runs of spaces, at most one blank line. */
  {
    GString *tidy = g_string_sized_new (out->len);
    gboolean space = FALSE;
    guint newlines = 0;

    for (gsize i = 0; i < out->len; i++)
      {
        char c = out->str[i];

        if (c == ' ')
          space = TRUE;
        else if (c == '\n')
          {
            newlines++;
            space = FALSE;
          }
        else
          {
            if (newlines > 0 && tidy->len > 0)
              g_string_append (tidy, newlines > 1 ? "\n\n" : "\n");
            else if (space && tidy->len > 0)
              g_string_append_c (tidy, ' ');
            newlines = 0;
            space = FALSE;
            g_string_append_c (tidy, c);
          }
      }
    g_string_free (out, TRUE);
    return g_string_free (tidy, FALSE);
  }
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
      png_size (d, size, &width, &height);
    else
      jpeg_size (d, size, &width, &height);
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

/* ------------------------------------------------------------------------ */
/* The scan before GMime: parts and headers counted on the raw text         */

/* Whatever way a boundary is written, every line that opens or closes a part
 * starts with "--": past this many such lines the message is refused even if
 * none matched a boundary found by the scan (a generous backstop). */
#define MAX_DASH_LINES     (100 * ER_MAIL_MAX_PARTS)
/* Across the whole message, counted while GMime parses (a backstop for the
 * per-part limits of the scan). */
#define MAX_TOTAL_HEADERS  (5 * ER_MAIL_MAX_HEADER_LINES)

typedef enum {
  SCAN_OK,
  SCAN_TOO_MANY_PARTS,
  SCAN_TOO_MANY_HEADERS,
} ScanResult;

static gboolean
is_lwsp (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Whether [line, end) starts with prefix, ASCII case ignored. */
static gboolean
has_prefix_nocase (const char *line, const char *end, const char *prefix)
{
  gsize len = strlen (prefix);

  return (gsize) (end - line) >= len && g_ascii_strncasecmp (line, prefix, len) == 0;
}

static gboolean
contains_nocase (const char *text, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (text + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* A header line as GMime's parser takes it: a field name (no control
 * character, no blank inside) then ':'. */
static gboolean
is_header_line (const char *line, const char *end)
{
  gboolean blank = FALSE;

  for (const char *p = line; p < end; p++)
    {
      if (*p == ':')
        return TRUE;
      if (is_blank (*p))
        blank = TRUE;
      else if (blank || (guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }
  return FALSE;
}

/* The length of "Content-Type:" at line (blanks allowed before the colon, as
 * GMime does), or 0. */
static gsize
content_type_prefix (const char *line, const char *end)
{
  const char *p = line + strlen ("content-type");

  if (!has_prefix_nocase (line, end, "content-type"))
    return 0;
  while (p < end && is_blank (*p))
    p++;
  return p < end && *p == ':' ? (gsize) (p + 1 - line) : 0;
}

/* The next line of [data, end) from *pos: its start, its end without "\n" or
 * "\r\n". FALSE at the end. */
static gboolean
next_line (const char *data, const char *end, const char **pos,
           const char **line, const char **line_end)
{
  const char *newline;

  if (*pos >= end)
    return FALSE;
  *line = *pos;
  newline = memchr (*line, '\n', end - *line);
  *line_end = newline != NULL ? newline : end;
  *pos = newline != NULL ? newline + 1 : end;
  if (*line_end > *line && (*line_end)[-1] == '\r')
    (*line_end)--;
  return TRUE;
}

/* Every boundary the message declares, decoded by GMime itself from each
 * Content-Type header (wherever it is, even in a body: more is safe), so that
 * a boundary in RFC 2231 continuations, an extended value or any other form
 * GMime reads is found as GMime will see it. Trailing blanks are dropped, as
 * the parser ignores them after a delimiter. */
static ScanResult
collect_boundaries (const char *data, gsize size, GHashTable *boundaries, gboolean *digest)
{
  const char *end = data + size;
  const char *pos = data;
  const char *line, *line_end;
  gboolean more = next_line (data, end, &pos, &line, &line_end);

  while (more)
    {
      gsize prefix = content_type_prefix (line, line_end);
      const char *value_start = line + prefix;
      const char *value_end;
      g_autofree char *value = NULL;
      g_autoptr(MailContentType) type = NULL;
      const char *boundary;

      if (prefix == 0)
        {
          more = next_line (data, end, &pos, &line, &line_end);
          continue;
        }

      /* The value with its folded lines. */
      value_end = line_end;
      while ((more = next_line (data, end, &pos, &line, &line_end)) &&
             line < line_end && is_blank (*line))
        value_end = line_end;

      if (value_end - value_start > ER_MAIL_MAX_HEADER_BYTES)
        continue;  /* refused by count_parts_and_headers () */
      if (contains_nocase (value_start, value_end - value_start, "digest"))
        *digest = TRUE;
      if (!contains_nocase (value_start, value_end - value_start, "boundary"))
        continue;

      value = g_strndup (value_start, value_end - value_start);
      type = g_mime_content_type_parse (NULL, value);
      boundary = type != NULL ? g_mime_content_type_get_parameter (type, "boundary") : NULL;
      if (boundary != NULL)
        {
          char *key = g_strdup (boundary);
          gsize len = strlen (key);

          while (len > 0 && is_lwsp (key[len - 1]))
            key[--len] = '\0';
          g_hash_table_add (boundaries, key);
          if (g_hash_table_size (boundaries) > ER_MAIL_MAX_PARTS)
            return SCAN_TOO_MANY_PARTS;
        }
    }
  return SCAN_OK;
}

/* Whether a line starting with "--" is a delimiter of one of boundaries:
 * "--" boundary, or "--" boundary "--", then only blanks (GMime's rule). */
static gboolean
is_delimiter (GHashTable *boundaries, GString *key, const char *line, const char *line_end)
{
  const char *end = line_end;

  while (end > line + 2 && is_lwsp (end[-1]))
    end--;
  g_string_truncate (key, 0);
  g_string_append_len (key, line + 2, end - line - 2);
  if (g_hash_table_contains (boundaries, key->str))
    return TRUE;
  if (key->len >= 2 && key->str[key->len - 1] == '-' && key->str[key->len - 2] == '-')
    {
      g_string_truncate (key, key->len - 2);
      while (key->len > 0 && is_lwsp (key->str[key->len - 1]))
        g_string_truncate (key, key->len - 1);
      return g_hash_table_contains (boundaries, key->str);
    }
  return FALSE;
}

/* Counts the delimiters of the declared boundaries and the lines and bytes of
 * each header block: the message's, each part's (after a delimiter) and each
 * enclosed message's (after the headers of a message/... part, or of any part
 * in a multipart/digest, when the body starts like a header). */
static ScanResult
count_parts_and_headers (const char *data, gsize size, GHashTable *boundaries, gboolean digest)
{
  enum { HEADERS, MAYBE_HEADERS, BODY } state = HEADERS;
  g_autoptr(GString) key = g_string_new (NULL);
  const char *end = data + size;
  const char *pos = data;
  const char *line, *line_end;
  guint delimiters = 0, dash_lines = 0;
  gsize block_lines = 0, block_bytes = 0;
  gboolean block_message = FALSE, in_content_type = FALSE;

  while (next_line (data, end, &pos, &line, &line_end))
    {
      if (line_end - line >= 2 && line[0] == '-' && line[1] == '-')
        {
          if (++dash_lines > MAX_DASH_LINES)
            return SCAN_TOO_MANY_PARTS;
          if (g_hash_table_size (boundaries) > 0 && is_delimiter (boundaries, key, line, line_end))
            {
              if (++delimiters > 2 * ER_MAIL_MAX_PARTS)
                return SCAN_TOO_MANY_PARTS;
              /* After a closing delimiter comes the epilogue, but counting
               * it as headers is only stricter. */
              state = HEADERS;
              block_lines = block_bytes = 0;
              block_message = in_content_type = FALSE;
              continue;
            }
        }

      if (state == MAYBE_HEADERS)
        {
          if (line < line_end && (is_header_line (line, line_end) ||
                                  has_prefix_nocase (line, line_end, "From ")))
            {
              state = HEADERS;
              block_lines = block_bytes = 0;
              block_message = in_content_type = FALSE;
            }
          else
            state = BODY;
        }
      if (state != HEADERS)
        continue;

      if (line == line_end)
        {
          state = block_message || digest ? MAYBE_HEADERS : BODY;
          continue;
        }
      block_lines++;
      block_bytes += pos - line;
      if (block_lines > ER_MAIL_MAX_HEADER_LINES || block_bytes > ER_MAIL_MAX_HEADER_BYTES)
        return SCAN_TOO_MANY_HEADERS;
      if (!is_blank (*line))
        in_content_type = content_type_prefix (line, line_end) > 0;
      if (in_content_type && contains_nocase (line, line_end - line, "message/"))
        block_message = TRUE;
    }
  return SCAN_OK;
}

static ScanResult
scan_message (const char *data, gsize size)
{
  g_autoptr(GHashTable) boundaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean digest = FALSE;
  ScanResult result = collect_boundaries (data, size, boundaries, &digest);

  if (result != SCAN_OK)
    return result;
  return count_parts_and_headers (data, size, boundaries, digest);
}

/* Called by GMime for every header it reads: past MAX_TOTAL_HEADERS in the
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
      (budget->count > MAX_TOTAL_HEADERS ||
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
  switch (scan_message (data, size))
    {
    case SCAN_TOO_MANY_PARTS:
      set_too_many_parts (error);
      return NULL;
    case SCAN_TOO_MANY_HEADERS:
      set_too_many_headers (error);
      return NULL;
    case SCAN_OK:
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
    self->body_text = html_to_text (walk.html);

  regex = compile_invoice_pattern (invoice_pattern, &fell_back);
  self->invoice = find_with_regex (regex, self->subject);
  if (self->invoice == NULL)
    self->invoice = find_with_regex (regex, self->body_text);
  if (self->invoice == NULL && walk.html != NULL && self->body_text != NULL && walk.plain != NULL)
    {
      /* The plain part is there but says less than the HTML one. */
      g_autofree char *html_text = html_to_text (walk.html);
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
