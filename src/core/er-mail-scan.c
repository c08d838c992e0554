/* er-mail-scan.c: the scan before GMime: the parts and the header lines of
 * the raw message counted on its text, whatever way its boundaries are
 * written, so that a hostile message is refused before GMime builds a tree.
 */
#include "config.h"

#include <string.h>

#include "er-mail-private.h"

/* Whatever way a boundary is written, every line that opens or closes a part
 * starts with "--": past this many such lines the message is refused even if
 * none matched a boundary found by the scan (a generous backstop). */
#define MAX_DASH_LINES     (100 * ER_MAIL_MAX_PARTS)

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
static ErMailScanResult
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
            return ER_MAIL_SCAN_TOO_MANY_PARTS;
        }
    }
  return ER_MAIL_SCAN_OK;
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
static ErMailScanResult
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
            return ER_MAIL_SCAN_TOO_MANY_PARTS;
          if (g_hash_table_size (boundaries) > 0 && is_delimiter (boundaries, key, line, line_end))
            {
              if (++delimiters > 2 * ER_MAIL_MAX_PARTS)
                return ER_MAIL_SCAN_TOO_MANY_PARTS;
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
        return ER_MAIL_SCAN_TOO_MANY_HEADERS;
      if (!is_blank (*line))
        in_content_type = content_type_prefix (line, line_end) > 0;
      if (in_content_type && contains_nocase (line, line_end - line, "message/"))
        block_message = TRUE;
    }
  return ER_MAIL_SCAN_OK;
}

ErMailScanResult
_er_mail_scan_message (const char *data, gsize size)
{
  g_autoptr(GHashTable) boundaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean digest = FALSE;
  ErMailScanResult result = collect_boundaries (data, size, boundaries, &digest);

  if (result != ER_MAIL_SCAN_OK)
    return result;
  return count_parts_and_headers (data, size, boundaries, digest);
}
