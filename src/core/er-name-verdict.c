/* er-name-verdict.c: a comparison of names told in one line, and the ID
 * name with the letters that differ highlighted. */
#include "config.h"

#include "er-name-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* “Josée”, “Anne” */
static char *
quote_words (const char * const *words)
{
  g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words[i] != NULL; i++)
    /* Translators: a name quoted in a sentence */
    g_ptr_array_add (quoted, g_strdup_printf (_("“%s”"), words[i]));
  g_ptr_array_add (quoted, NULL);
  return g_strjoinv (", ", (char **) quoted->pdata);
}

char *
er_name_comparison_get_verdict (const ErNameComparison *self)
{
  ErNameDifference d;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autofree char *list = NULL;
  guint n_missing, n_extra;

  g_return_val_if_fail (self != NULL, NULL);

  d = self->differences;
  switch (er_name_difference_get_level (d))
    {
    case ER_NAME_MATCH:
      if (d == ER_NAME_SAME)
        return g_strdup (_("Matches the account name exactly"));
      if (d & ER_NAME_CASE)
        g_ptr_array_add (items, _("capitals differ"));
      if (d & ER_NAME_SPACING)
        g_ptr_array_add (items, _("extra spaces"));
      if (d & ER_NAME_APOSTROPHES)
        g_ptr_array_add (items, _("apostrophe ’ vs '"));
      g_ptr_array_add (items, NULL);
      list = g_strjoinv (", ", (char **) items->pdata);
      /* Translators: %s is a list such as "capitals differ, extra spaces" */
      return g_strdup_printf (_("Same name: %s"), list);

    case ER_NAME_CAUTION:
      if (d & ER_NAME_SURNAME_FIRST)
        g_ptr_array_add (items, _("surname first"));
      if (d & ER_NAME_ORDER)
        g_ptr_array_add (items, _("names in another order"));
      if (d & ER_NAME_SAINT)
        g_ptr_array_add (items, _("St vs Saint"));
      if (d & ER_NAME_ACCENTS)
        g_ptr_array_add (items, _("accents differ"));
      if (d & ER_NAME_HYPHENS)
        g_ptr_array_add (items, _("hyphen vs space"));
      if (d & ER_NAME_PUNCTUATION)
        g_ptr_array_add (items, _("punctuation differs"));
      g_ptr_array_add (items, NULL);
      list = g_strjoinv (", ", (char **) items->pdata);
      /* Translators: the names are close but not exactly the same: the
       * agent decides. %s is a list such as "surname first, accents differ" */
      return g_strdup_printf (_("Close, you judge: %s"), list);

    case ER_NAME_DIFFERENT:
    default:
      break;
    }

  if (d & ER_NAME_LETTERS)
    return g_strdup (_("Not the same name"));

  n_missing = self->missing->len - 1;
  n_extra = self->extra->len - 1;
  if (n_missing > 0 && n_extra > 0)
    {
      g_autofree char *missing = quote_words (er_name_comparison_get_missing (self));
      g_autofree char *extra = quote_words (er_name_comparison_get_extra (self));

      /* Translators: names on the account missing from the ID; names on the ID only */
      return g_strdup_printf (_("Missing on the ID: %s; not on the account: %s"), missing, extra);
    }
  if (n_missing > 0)
    {
      list = quote_words (er_name_comparison_get_missing (self));
      /* Translators: %s is one or more names in quotes, on the account, not on the ID */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Missing on the ID: %s",
                                           "Missing on the ID: %s", n_missing), list);
    }
  list = quote_words (er_name_comparison_get_extra (self));
  /* Translators: %s is one or more names in quotes, on the ID, not on the account */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Not on the account: %s",
                                       "Not on the account: %s", n_extra), list);
}

static gboolean
at_boundary (const char *text,
             gsize       len,
             guint       at)
{
  return at >= len || (text[at] & 0xc0) != 0x80;
}

char *
er_name_markup_highlights (const char        *text,
                           const ErNameRange *ranges,
                           guint              n_ranges)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len;
  guint at = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (ranges != NULL || n_ranges == 0, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      return g_markup_escape_text (valid, -1);
    }

  len = strlen (text);
  for (guint i = 0; i < n_ranges; i++)
    {
      guint start = MAX (ranges[i].start, at);
      guint end = MIN (ranges[i].end, len);
      g_autofree char *before = NULL;
      g_autofree char *inside = NULL;

      if (start >= end || !at_boundary (text, len, start) || !at_boundary (text, len, end))
        continue;
      before = g_markup_escape_text (text + at, start - at);
      inside = g_markup_escape_text (text + start, end - start);
      g_string_append_printf (out, "%s<b><u>%s</u></b>", before, inside);
      at = end;
    }
  {
    g_autofree char *rest = g_markup_escape_text (text + at, -1);
    g_string_append (out, rest);
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
er_name_comparison_get_markup (const ErNameComparison *self)
{
  g_autofree char *verdict = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GArray) ranges = NULL;
  const char *start, *end;

  g_return_val_if_fail (self != NULL, NULL);

  verdict = er_name_comparison_get_verdict (self);
  escaped = g_markup_escape_text (verdict, -1);
  if (self->highlights->len == 0)
    return g_steal_pointer (&escaped);

  /* The ID name without the spaces around it, the ranges moved with it. */
  start = self->id_name;
  while (*start != '\0' && er_name_classify (g_utf8_get_char (start)) == CHAR_SPACE)
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (er_name_classify (g_utf8_get_char (prev)) != CHAR_SPACE)
        break;
      end = prev;
    }

  ranges = g_array_new (FALSE, FALSE, sizeof (ErNameRange));
  for (guint i = 0; i < self->highlights->len; i++)
    {
      ErNameRange range = g_array_index (self->highlights, ErNameRange, i);
      guint offset = start - self->id_name;

      range.start = CLAMP (range.start, offset, (guint) (end - self->id_name)) - offset;
      range.end = CLAMP (range.end, offset, (guint) (end - self->id_name)) - offset;
      g_array_append_val (ranges, range);
    }

  {
    g_autofree char *trimmed = g_strndup (start, end - start);
    name = er_name_markup_highlights (trimmed, (ErNameRange *) ranges->data, ranges->len);
  }
  return g_strdup_printf ("%s · %s", escaped, name);
}
