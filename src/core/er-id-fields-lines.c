/* er-id-fields-lines.c: where the lines an OCR read on an ID lie from one
 * another, by their boxes: the line below a label (its value), the line
 * beside it (labels in one column, values in the next). Split from
 * er-id-fields.c; no state outside the call. */
#include "config.h"

#include "er-id-fields-private.h"

gboolean
_er_id_has_box (const ErIdLine *line)
{
  return line->width > 0 && line->height > 0;
}

/* Whether line is beside above rather than below it: its middle above
 * the label's last quarter (a value's box may reach up beside its label:
 * Tesseract's line box took in something of the label's row). */
static gboolean
beside (const ErIdLine *above,
        const ErIdLine *line)
{
  return 2 * line->y + line->height <= 2 * above->y + 2 * above->height - above->height / 2;
}

/* Whether line starts too far under above to be its value: another field. */
static gboolean
too_far (const ErIdLine *above,
         const ErIdLine *line)
{
  return line->y > above->y + above->height + 2 * MAX (above->height, line->height);
}

static gboolean
other_column (const ErIdLine *above,
              const ErIdLine *line)
{
  return MAX (above->x, line->x) >= MIN (above->x + above->width, line->x + line->width);
}

/* The line the value of line index is on when it is not on its own line:
 * the next one below it in the same column (boxes overlapping across),
 * not too far, junk lines skipped; without boxes, the next line that is
 * not junk. -1 when there is none. */
int
_er_id_find_line_below_from (const LineInfo *infos,
                             guint           n_lines,
                             guint           index,
                             guint           from)
{
  const ErIdLine *above = infos[index].line;

  for (guint i = from; i < n_lines; i++)
    {
      const ErIdLine *line = infos[i].line;

      if (_er_id_has_box (above) && _er_id_has_box (line))
        {
          if (beside (above, line))
            continue;
          if (too_far (above, line))
            return -1;
          if (other_column (above, line))
            continue;
        }
      if (infos[i].junk)
        continue;
      return i;
    }
  return -1;
}

int
_er_id_find_line_below (const LineInfo *infos,
                        guint           n_lines,
                        guint           index)
{
  return _er_id_find_line_below_from (infos, n_lines, index, index + 1);
}

/* The line Tesseract gave just before line index when it is below it, in
 * its column and not too far (its box reaching up beside the label, it
 * came first); -1 if not, or without boxes. */
int
_er_id_find_line_below_read_before (const LineInfo *infos,
                                    guint           index)
{
  const ErIdLine *above = infos[index].line;
  const ErIdLine *line = index > 0 ? infos[index - 1].line : NULL;

  if (line == NULL || infos[index - 1].junk || !_er_id_has_box (above) || !_er_id_has_box (line) ||
      beside (above, line) || too_far (above, line) || other_column (above, line))
    return -1;
  return index - 1;
}

/* The line the value of line index is on when its label ends its line and
 * the value was read as a line of its own beside it (labels in one column,
 * values in the next: the OCR reads the columns as blocks, in either
 * order): the nearest line to its right at the same height (their boxes
 * overlapping by half the lower one, or more), junk lines skipped. -1 when
 * there is none or the lines have no boxes. */
int
_er_id_find_line_beside (const LineInfo *infos,
                         guint           n_lines,
                         guint           index)
{
  const ErIdLine *label = infos[index].line;
  int best = -1;

  if (!_er_id_has_box (label))
    return -1;
  for (guint i = 0; i < n_lines; i++)
    {
      const ErIdLine *line = infos[i].line;
      int overlap;

      if (i == index || infos[i].junk || !_er_id_has_box (line))
        continue;
      overlap = MIN (label->y + label->height, line->y + line->height) - MAX (label->y, line->y);
      if (overlap * 2 < MIN (label->height, line->height))
        continue;
      if (line->x < label->x + label->width - label->height / 2)
        continue;  /* not to its right */
      if (best < 0 || line->x < infos[best].line->x)
        best = i;
    }
  return best;
}
