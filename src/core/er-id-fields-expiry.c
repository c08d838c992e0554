/* er-id-fields-expiry.c: the expiry date printed on an ID, found by its
 * label among the lines an OCR read (on the label's line, beside it or
 * below it), or the latest date read when its label is lost. The dates'
 * parser is er-id-date.c. Split from er-id-fields.c; no state outside the
 * call. */
#include "config.h"

#include <string.h>

#include "er-id-fields-private.h"

static gboolean
is_date_label (LabelKind kind)
{
  return kind == LABEL_EXPIRY || kind == LABEL_ISSUE || kind == LABEL_BIRTH;
}

static GArray *
label_dates (const LineInfo *info,
             const Label    *label)
{
  return _er_id_find_dates (info->text + label->label_end, label->value_end - label->label_end);
}

/* The date at index of a value's line that must hold n_dates dates before
 * any label of its own. */
static gboolean
line_dates (const LineInfo *info,
            guint           n_dates,
            guint           index,
            GDate          *date)
{
  g_autoptr(GArray) dates = NULL;
  gsize len = info->labels->len > 0
              ? g_array_index (info->labels, Label, 0).label_start
              : strlen (info->text);

  dates = _er_id_find_dates (info->text, len);
  if (dates->len != n_dates)
    return FALSE;
  *date = g_array_index (dates, GDate, index);
  return TRUE;
}

/* The date of the expiry label j of line i: on its line, beside it, or
 * below it. Below, when the line has several date labels without their dates
 * ("Date of issue  Date of expiry"), the line below must have as many
 * dates, in the same order. */
static gboolean
expiry_after (const LineInfo *infos,
              guint           n_lines,
              guint           i,
              guint           j,
              GDate          *date)
{
  const LineInfo *info = &infos[i];
  g_autoptr(GArray) own = label_dates (info, &g_array_index (info->labels, Label, j));
  guint index = 0, n_waiting = 0;
  int below;

  if (own->len > 0)
    {
      *date = g_array_index (own, GDate, 0);
      return TRUE;
    }

  for (guint l = 0; l < info->labels->len; l++)
    {
      const Label *label = &g_array_index (info->labels, Label, l);
      g_autoptr(GArray) its = NULL;

      if (!is_date_label (label->kind))
        continue;
      its = label_dates (info, label);
      if (its->len > 0)
        continue;
      if (l == j)
        index = n_waiting;
      n_waiting++;
    }

  /* Its value beside it, when the label ends its line. */
  if (n_waiting == 1 && j == info->labels->len - 1)
    {
      int beside = _er_id_find_line_beside (infos, n_lines, i);

      if (beside >= 0 && line_dates (&infos[beside], 1, 0, date))
        return TRUE;
    }

  below = _er_id_find_line_below (infos, n_lines, i);
  return below >= 0 && line_dates (&infos[below], n_waiting, index, date);
}

/* With no date found under an expiry label (glare or blur took the
 * labels, printed smaller and paler than the values): the latest of the dates
 * read, an ID's expiry being after its birth and issue dates. Only when
 * at least two dates were read, the latest later than all others, and not
 * the value of a birth or issue label. */
static gboolean
latest_date (const LineInfo *infos,
             guint           n_lines,
             GDate          *date)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (GDate));
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (GDate));
  const GDate *latest = NULL;
  guint n_latest = 0;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GArray) dates = _er_id_find_dates (infos[i].text, strlen (infos[i].text));

      g_array_append_vals (all, dates->data, dates->len);
      for (guint l = 0; l < infos[i].labels->len; l++)
        {
          const Label *label = &g_array_index (infos[i].labels, Label, l);
          g_autoptr(GArray) its = NULL;

          if (label->kind != LABEL_BIRTH && label->kind != LABEL_ISSUE)
            continue;
          its = label_dates (&infos[i], label);
          g_array_append_vals (others, its->data, its->len);
        }
    }
  if (all->len < 2)
    return FALSE;

  for (guint k = 0; k < all->len; k++)
    {
      const GDate *d = &g_array_index (all, GDate, k);
      int order = latest != NULL ? g_date_compare (d, latest) : 1;

      if (order == 0)
        n_latest++;
      else if (order > 0)
        {
          latest = d;
          n_latest = 1;
        }
    }
  if (n_latest > 1)
    return FALSE;  /* twice: which is which cannot be told */
  for (guint k = 0; k < others->len; k++)
    if (g_date_compare (&g_array_index (others, GDate, k), latest) == 0)
      return FALSE;
  *date = *latest;
  return TRUE;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* The median height of the lines with a label: a label's height, where
 * the line of one is taller (a part of a value joined to it). */
static int
label_height (const LineInfo *infos,
              guint           n_lines)
{
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < n_lines; i++)
    if (infos[i].labels->len > 0 && _er_id_has_box (infos[i].line))
      g_array_append_val (heights, infos[i].line->height);
  if (heights->len == 0)
    return 0;
  g_array_sort (heights, compare_ints);
  return g_array_index (heights, int, heights->len / 2);
}

/* Where the date of expiry label j of line i (found without one) should
 * be: from the label's start (its place among the line's characters; the
 * line's start for its first label), a little left of it, under the
 * label's text, three labels high, as wide as the label and at least
 * eight of its heights. */
static void
expiry_zone (const LineInfo *infos,
             guint           n_lines,
             guint           i,
             guint           j,
             ErIdFields     *fields)
{
  const ErIdLine *line = infos[i].line;
  const Label *label = &g_array_index (infos[i].labels, Label, j);
  glong n_chars = g_utf8_strlen (infos[i].text, -1);
  glong before = g_utf8_strlen (infos[i].text, label->label_start);
  glong in_label = g_utf8_strlen (infos[i].text + label->label_start, label->label_end - label->label_start);
  int h = label_height (infos, n_lines);
  int x, width;

  if (!_er_id_has_box (line) || n_chars == 0 || h <= 0)
    return;
  /* The first label of its line starts it: what is before it is its
   * other language's half misread ("Date d'e ‘04-04 / Date of expiry"). */
  if (j == 0)
    {
      in_label += before;
      before = 0;
    }
  x = line->x + (int) ((gint64) line->width * before / n_chars);
  width = MAX ((int) ((gint64) line->width * in_label / n_chars), 8 * h);
  fields->expiry_zone_x = MAX (x - h / 2, 0);
  fields->expiry_zone_y = line->y + h * 3 / 4;
  fields->expiry_zone_width = x + width - fields->expiry_zone_x;
  fields->expiry_zone_height = 3 * h;
}

void
_er_id_find_expiry (const LineInfo *infos,
                    guint           n_lines,
                    ErIdFields     *fields)
{
  int zone_line = -1, zone_label = -1;

  for (guint i = 0; i < n_lines && !g_date_valid (&fields->expiry); i++)
    for (guint j = 0; j < infos[i].labels->len; j++)
      if (g_array_index (infos[i].labels, Label, j).kind == LABEL_EXPIRY)
        {
          if (expiry_after (infos, n_lines, i, j, &fields->expiry))
            break;
          if (zone_line < 0)
            {
              zone_line = i;
              zone_label = j;
            }
        }
  /* Its label found without it: where to read it alone. */
  if (!g_date_valid (&fields->expiry) && zone_line >= 0)
    expiry_zone (infos, n_lines, zone_line, zone_label, fields);
  if (!g_date_valid (&fields->expiry))
    fields->expiry_unlabelled = latest_date (infos, n_lines, &fields->expiry);
}
