/* er-mail-html.c: an HTML body to text, crude but enough to find an
 * invoice number in it (tags dropped, blocks as lines, entities decoded).
 */
#include "config.h"

#include <string.h>

#include "er-mail-private.h"

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

char *
_er_mail_html_to_text (const char *html)
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
