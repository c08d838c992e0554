/* er-name.c: does the name on the ID match the account name exactly? */
#include "er-name.h"

#include <string.h>

enum {
  FOLD_CASE = ER_NAME_CASE,
  FOLD_ACCENTS = ER_NAME_ACCENTS,
  FOLD_HYPHENS = ER_NAME_HYPHENS,
  FOLD_SPACING = ER_NAME_SPACING,
  FOLD_ALL = FOLD_CASE | FOLD_ACCENTS | FOLD_HYPHENS | FOLD_SPACING,
};

static gboolean
is_hyphen (gunichar c)
{
  /* hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash */
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013;
}

/* The name with the chosen differences folded away. */
static char *
fold (const char *name,
      guint       folds)
{
  g_autofree char *nfd = g_utf8_normalize (name, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((folds & FOLD_ACCENTS) && g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if ((folds & FOLD_HYPHENS) && is_hyphen (c))
        c = ' ';
      if ((folds & FOLD_SPACING) && g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          space = FALSE;
        }
      if (folds & FOLD_CASE)
        c = g_unichar_tolower (c);
      g_string_append_unichar (out, c);
    }

  {
    g_autofree char *text = g_string_free (g_steal_pointer (&out), FALSE);
    return g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  }
}

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The folded words in sorted order, joined. */
static char *
sorted_words (const char *folded)
{
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);

  qsort (words, g_strv_length (words), sizeof (char *), compare_words);
  return g_strjoinv (" ", words);
}

static gboolean
same_with (const char *a,
           const char *b,
           guint       folds,
           gboolean    any_order)
{
  g_autofree char *fa = fold (a, folds);
  g_autofree char *fb = fold (b, folds);

  if (any_order)
    {
      g_autofree char *sa = sorted_words (fa);
      g_autofree char *sb = sorted_words (fb);
      return g_str_equal (sa, sb);
    }
  return g_str_equal (fa, fb);
}

ErNameDifference
er_name_compare (const char *account_name,
                 const char *id_name)
{
  static const guint kinds[] = { FOLD_CASE, FOLD_ACCENTS, FOLD_HYPHENS, FOLD_SPACING };
  ErNameDifference differences = ER_NAME_SAME;
  gboolean any_order;

  g_return_val_if_fail (account_name != NULL && id_name != NULL, ER_NAME_LETTERS);

  if (!g_utf8_validate (account_name, -1, NULL) || !g_utf8_validate (id_name, -1, NULL))
    return ER_NAME_LETTERS;
  if (same_with (account_name, id_name, 0, FALSE))
    return ER_NAME_SAME;

  if (same_with (account_name, id_name, FOLD_ALL, FALSE))
    any_order = FALSE;
  else if (same_with (account_name, id_name, FOLD_ALL, TRUE))
    {
      any_order = TRUE;
      differences |= ER_NAME_ORDER;
    }
  else
    return ER_NAME_LETTERS;

  /* A kind of difference is there when folding everything else is not enough. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!same_with (account_name, id_name, FOLD_ALL & ~kinds[i], any_order))
      differences |= kinds[i];

  return differences;
}
