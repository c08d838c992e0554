/* er-name.c: does the name on the ID match the account name exactly, and if
 * not, what differs?
 *
 * Both names are cut into words and letters (er-name-parse.c). The words of
 * the ID are aligned with those of the account: the same words in the same
 * order; or the same words in another order; or else the cheapest
 * alignment in order (as few words missing, extra or with other letters as
 * possible). The letters of each pair of words are aligned the same way,
 * which says which letters of the ID differ, and how. */
#include "config.h"

#include "er-name-private.h"

#include <stdlib.h>
#include <string.h>

/* Longer names are not aligned (the alignment is quadratic): not the same. */
#define MAX_WORDS 64
#define MAX_LETTERS 256

/* The cheapest alignment in order (Levenshtein): b_to_a[j] is the element
 * of a that b[j] stands for (the same or with other letters), or -1 when
 * b[j] is extra. Returns the number of edits. */
typedef gboolean (*SameFunc) (guint i, guint j, gconstpointer a, gconstpointer b);

static guint
align_in_order (guint          n_a,
                guint          n_b,
                SameFunc       same,
                gconstpointer  a,
                gconstpointer  b,
                int           *b_to_a)
{
  g_autofree guint *d = g_new (guint, (n_a + 1) * (n_b + 1));
  guint i, j;

#define D(i, j) d[(i) * (n_b + 1) + (j)]
  for (i = 0; i <= n_a; i++)
    D (i, 0) = i;
  for (j = 0; j <= n_b; j++)
    D (0, j) = j;
  for (i = 1; i <= n_a; i++)
    for (j = 1; j <= n_b; j++)
      {
        guint sub = D (i - 1, j - 1) + (same (i - 1, j - 1, a, b) ? 0 : 1);
        guint del = D (i - 1, j) + 1;
        guint ins = D (i, j - 1) + 1;

        D (i, j) = MIN (sub, MIN (del, ins));
      }

  i = n_a;
  j = n_b;
  while (j > 0)
    {
      if (i > 0 && D (i, j) == D (i - 1, j - 1) + (same (i - 1, j - 1, a, b) ? 0 : 1))
        b_to_a[--j] = --i;
      else if (i > 0 && D (i, j) == D (i - 1, j) + 1)
        i--;
      else
        b_to_a[--j] = -1;
    }
  return D (n_a, n_b);
#undef D
}

static gboolean
same_word (guint         i,
           guint         j,
           gconstpointer a,
           gconstpointer b)
{
  return g_str_equal (g_array_index ((GArray *) a, ErNameSlot, i).word->key,
                      g_array_index ((GArray *) b, ErNameSlot, j).word->key);
}

static gboolean
same_letter (guint         i,
             guint         j,
             gconstpointer a,
             gconstpointer b)
{
  return g_str_equal (g_array_index ((GArray *) a, ErNameLetter, i).key,
                      g_array_index ((GArray *) b, ErNameLetter, j).key);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The same words, in any order? */
static gboolean
same_words (GArray *a,
            GArray *b)
{
  g_autofree const char **ka = NULL;
  g_autofree const char **kb = NULL;

  if (a->len != b->len)
    return FALSE;
  ka = g_new (const char *, a->len);
  kb = g_new (const char *, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      ka[i] = g_array_index (a, ErNameSlot, i).word->key;
      kb[i] = g_array_index (b, ErNameSlot, i).word->key;
    }
  qsort (ka, a->len, sizeof (char *), compare_strings);
  qsort (kb, b->len, sizeof (char *), compare_strings);
  for (guint i = 0; i < a->len; i++)
    if (strcmp (ka[i], kb[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Aligns the words; returns 0 when they are the same in the same order, 1
 * when the same in another order, else 2 + the number of edits. */
static guint
align_words (GArray *a,
             GArray *b,
             int    *b_to_a)
{
  guint edits = align_in_order (a->len, b->len, same_word, a, b, b_to_a);
  g_autofree gboolean *used = NULL;

  if (edits == 0)
    return 0;
  if (!same_words (a, b))
    return 2 + edits;

  /* Each word of the ID with the first unused word of the account with the
   * same letters. */
  used = g_new0 (gboolean, a->len);
  for (guint j = 0; j < b->len; j++)
    for (guint i = 0; i < a->len; i++)
      if (!used[i] && same_word (i, j, a, b))
        {
          used[i] = TRUE;
          b_to_a[j] = i;
          break;
        }
  return 1;
}

static void
highlight (ErNameComparison *self,
           guint             start,
           guint             end)
{
  ErNameRange range = { start, end };

  if (end > start)
    g_array_append_val (self->highlights, range);
}

static char *
without_spaces (const char *run,
                gsize       len)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *stop = run + len;

  for (const char *p = run; p < stop; p = g_utf8_next_char (p))
    if (er_name_classify (g_utf8_get_char (p)) != CHAR_SPACE)
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What joins a word to the one before, on the account and on the ID. */
static void
compare_separators (ErNameComparison   *self,
                    const ErNameParsed *a,
                    const ErNameSlot   *sa,
                    const ErNameParsed *b,
                    const ErNameSlot   *sb)
{
  gsize len_a = sa->sep_end - sa->sep_start;
  gsize len_b = sb->sep_end - sb->sep_start;
  g_autofree char *marks_a = NULL;
  g_autofree char *marks_b = NULL;

  if (sa->sep == SEP_ANY || sb->sep == SEP_ANY)
    return;
  if (len_a == len_b && memcmp (a->text + sa->sep_start, b->text + sb->sep_start, len_a) == 0)
    return;

  marks_a = without_spaces (a->text + sa->sep_start, len_a);
  marks_b = without_spaces (b->text + sb->sep_start, len_b);
  if (g_str_equal (marks_a, marks_b))
    self->differences |= ER_NAME_SPACING;
  else if (sa->sep == SEP_APOSTROPHE && sb->sep == SEP_APOSTROPHE)
    self->differences |= ER_NAME_APOSTROPHES;
  else
    {
      gboolean hyphen_space = (sa->sep == SEP_HYPHEN || sa->sep == SEP_SPACE)
                              && (sb->sep == SEP_HYPHEN || sb->sep == SEP_SPACE);

      self->differences |= hyphen_space ? ER_NAME_HYPHENS : ER_NAME_PUNCTUATION;
      highlight (self, sb->sep_start, sb->sep_end);
    }
}

/* Separators before the first word or after the last. */
static void
compare_edges (ErNameComparison *self,
               const char       *a,
               const char       *b)
{
  g_autofree char *marks_a = NULL;
  g_autofree char *marks_b = NULL;

  if (g_str_equal (a, b))
    return;
  marks_a = without_spaces (a, strlen (a));
  marks_b = without_spaces (b, strlen (b));
  self->differences |= g_str_equal (marks_a, marks_b) ? ER_NAME_SPACING : ER_NAME_PUNCTUATION;
}

/* The letters of a word of the account and of the word of the ID that
 * stands for it. */
static void
compare_words (ErNameComparison *self,
               const ErNameWord *wa,
               const ErNameWord *wb)
{
  GArray *la = wa->letters;
  GArray *lb = wb->letters;
  g_autofree int *b_to_a = NULL;
  int previous = -1;

  if (wa->saint != NULL && wb->saint != NULL && g_str_equal (wa->key, wb->key)
      && !g_str_equal (wa->saint, wb->saint))
    {
      self->differences |= ER_NAME_SAINT;
      highlight (self, wb->start, wb->end);
      return;
    }
  if (la->len > MAX_LETTERS || lb->len > MAX_LETTERS)
    {
      if (!g_str_equal (wa->key, wb->key))
        {
          self->differences |= ER_NAME_LETTERS;
          highlight (self, wb->start, wb->end);
        }
      return;
    }

  b_to_a = g_new (int, lb->len);
  align_in_order (la->len, lb->len, same_letter, la, lb, b_to_a);
  for (guint j = 0; j < lb->len; j++)
    {
      const ErNameLetter *cb = &g_array_index (lb, ErNameLetter, j);
      const ErNameLetter *ca;
      int i = b_to_a[j];

      if (i < 0)
        {
          self->differences |= ER_NAME_LETTERS;
          highlight (self, cb->start, cb->end);
          continue;
        }
      ca = &g_array_index (la, ErNameLetter, i);
      if (!g_str_equal (ca->key, cb->key))
        {
          self->differences |= ER_NAME_LETTERS;
          highlight (self, cb->start, cb->end);
        }
      else
        {
          if (!g_str_equal (ca->marks, cb->marks))
            {
              self->differences |= ER_NAME_ACCENTS;
              highlight (self, cb->start, cb->end);
            }
          if (!g_str_equal (ca->base, cb->base))
            self->differences |= ER_NAME_CASE;
        }
      /* Letters of the account missing before this one. */
      if (i > previous + 1)
        {
          self->differences |= ER_NAME_LETTERS;
          highlight (self, cb->start, cb->end);
        }
      previous = i;
    }
  if (previous + 1 < (int) la->len && lb->len > 0)
    {
      const ErNameLetter *last = &g_array_index (lb, ErNameLetter, lb->len - 1);

      self->differences |= ER_NAME_LETTERS;
      highlight (self, last->start, last->end);
    }
}

static void
compare_names (ErNameComparison   *self,
               const ErNameParsed *a,
               const ErNameParsed *b)
{
  GArray *sa = a->ordered;
  GArray *sb = b->ordered;
  g_autofree int *b_to_a = g_new (int, sb->len);
  g_autofree gboolean *used = g_new0 (gboolean, sa->len);
  guint cost = align_words (sa, sb, b_to_a);
  int previous = -1;

  /* One of them surname first with a comma: it may match as written too
   * (Bélanger Élodie, BELANGER, ELODIE). */
  if (a->comma_form != b->comma_form)
    {
      g_autofree int *written = g_new (int, sb->len);

      if (cost > 0 && align_words (a->written, b->written, written) < cost)
        {
          sa = a->written;
          sb = b->written;
          g_free (b_to_a);
          b_to_a = g_steal_pointer (&written);
        }
      self->differences |= ER_NAME_SURNAME_FIRST;
      if (b->comma_form)
        highlight (self, b->comma, b->comma + 1);
    }
  else if (a->comma_form && !g_str_equal (a->comma_run, b->comma_run))
    compare_edges (self, a->comma_run, b->comma_run);
  compare_edges (self, a->lead, b->lead);
  compare_edges (self, a->trail, b->trail);

  for (guint j = 0; j < sb->len; j++)
    {
      const ErNameSlot *slot_b = &g_array_index (sb, ErNameSlot, j);
      int i = b_to_a[j];

      if (i < 0)
        {
          self->differences |= ER_NAME_EXTRA;
          highlight (self, slot_b->word->start, slot_b->word->end);
          g_ptr_array_add (self->extra, g_strndup (b->text + slot_b->word->start,
                                                   slot_b->word->end - slot_b->word->start));
          continue;
        }
      used[i] = TRUE;
      compare_words (self, g_array_index (sa, ErNameSlot, i).word, slot_b->word);
      if (j > 0 && b_to_a[j - 1] >= 0 && i == b_to_a[j - 1] + 1)
        compare_separators (self, a, &g_array_index (sa, ErNameSlot, i), b, slot_b);
      if (i < previous)
        self->differences |= ER_NAME_ORDER;
      previous = MAX (previous, i);
    }

  for (guint i = 0; i < sa->len; i++)
    if (!used[i])
      {
        const ErNameWord *word = g_array_index (sa, ErNameSlot, i).word;

        self->differences |= ER_NAME_MISSING;
        g_ptr_array_add (self->missing, g_strndup (a->text + word->start, word->end - word->start));
      }
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const ErNameRange *ra = a;
  const ErNameRange *rb = b;

  return ra->start < rb->start ? -1 : ra->start > rb->start;
}

/* Sorted, overlapping and touching ranges merged. */
static void
merge_highlights (GArray *ranges)
{
  guint out = 0;

  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      ErNameRange *range = &g_array_index (ranges, ErNameRange, i);

      if (out > 0 && range->start <= g_array_index (ranges, ErNameRange, out - 1).end)
        {
          ErNameRange *last = &g_array_index (ranges, ErNameRange, out - 1);
          last->end = MAX (last->end, range->end);
        }
      else
        g_array_index (ranges, ErNameRange, out++) = *range;
    }
  g_array_set_size (ranges, out);
}

ErNameComparison *
er_name_comparison_new (const char *account_name,
                        const char *id_name)
{
  ErNameComparison *self;
  ErNameParsed a = { 0, };
  ErNameParsed b = { 0, };

  g_return_val_if_fail (account_name != NULL && id_name != NULL, NULL);

  self = g_new0 (ErNameComparison, 1);
  self->highlights = g_array_new (FALSE, FALSE, sizeof (ErNameRange));
  self->missing = g_ptr_array_new_with_free_func (g_free);
  self->extra = g_ptr_array_new_with_free_func (g_free);

  if (!g_utf8_validate (account_name, -1, NULL) || !g_utf8_validate (id_name, -1, NULL))
    {
      self->id_name = g_utf8_make_valid (id_name, -1);
      self->differences = ER_NAME_LETTERS;
      goto out;
    }
  self->id_name = g_strdup (id_name);

  er_name_parse (&a, account_name);
  er_name_parse (&b, id_name);
  if (a.words->len == 0 || b.words->len == 0)
    self->differences = ER_NAME_LETTERS;
  else
    {
      g_autofree char *nfc_a = g_utf8_normalize (account_name, -1, G_NORMALIZE_NFC);
      g_autofree char *nfc_b = g_utf8_normalize (id_name, -1, G_NORMALIZE_NFC);

      if (g_str_equal (nfc_a, nfc_b))
        self->differences = ER_NAME_SAME;
      else if (a.words->len > MAX_WORDS || b.words->len > MAX_WORDS)
        self->differences = ER_NAME_LETTERS;
      else
        {
          compare_names (self, &a, &b);
          /* Never a match on a difference this does not know. */
          if (self->differences == ER_NAME_SAME)
            self->differences = ER_NAME_LETTERS;
        }
    }
  er_name_parsed_clear (&a);
  er_name_parsed_clear (&b);

out:
  merge_highlights (self->highlights);
  g_ptr_array_add (self->missing, NULL);
  g_ptr_array_add (self->extra, NULL);
  return self;
}

void
er_name_comparison_free (ErNameComparison *self)
{
  if (self == NULL)
    return;
  g_free (self->id_name);
  g_array_unref (self->highlights);
  g_ptr_array_unref (self->missing);
  g_ptr_array_unref (self->extra);
  g_free (self);
}

ErNameDifference
er_name_comparison_get_differences (const ErNameComparison *self)
{
  g_return_val_if_fail (self != NULL, ER_NAME_LETTERS);
  return self->differences;
}

ErNameLevel
er_name_comparison_get_level (const ErNameComparison *self)
{
  g_return_val_if_fail (self != NULL, ER_NAME_DIFFERENT);
  return er_name_difference_get_level (self->differences);
}

const ErNameRange *
er_name_comparison_get_highlights (const ErNameComparison *self,
                                   guint                  *n_ranges)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_ranges != NULL, NULL);

  *n_ranges = self->highlights->len;
  return (const ErNameRange *) self->highlights->data;
}

const char * const *
er_name_comparison_get_missing (const ErNameComparison *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->missing->pdata;
}

const char * const *
er_name_comparison_get_extra (const ErNameComparison *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->extra->pdata;
}

ErNameDifference
er_name_compare (const char *account_name,
                 const char *id_name)
{
  g_autoptr(ErNameComparison) comparison = NULL;

  g_return_val_if_fail (account_name != NULL && id_name != NULL, ER_NAME_LETTERS);

  comparison = er_name_comparison_new (account_name, id_name);
  return comparison->differences;
}

#define MATCH_DIFFERENCES (ER_NAME_CASE | ER_NAME_SPACING | ER_NAME_APOSTROPHES)
#define OTHER_NAME_DIFFERENCES (ER_NAME_LETTERS | ER_NAME_MISSING | ER_NAME_EXTRA)

ErNameLevel
er_name_difference_get_level (ErNameDifference differences)
{
  if (differences & OTHER_NAME_DIFFERENCES)
    return ER_NAME_DIFFERENT;
  if (differences & ~MATCH_DIFFERENCES)
    return ER_NAME_CAUTION;
  return ER_NAME_MATCH;
}
