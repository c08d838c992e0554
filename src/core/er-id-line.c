/* er-id-line.c: one line of text read on an ID photo. */
#include "config.h"

#include "er-id-line.h"
#include "er-secret.h"

ErIdLine *
er_id_line_new (const char *text,
                float       confidence,
                int         x,
                int         y,
                int         width,
                int         height)
{
  ErIdLine *line = g_new0 (ErIdLine, 1);

  line->text = g_strdup (text != NULL ? text : "");
  line->confidence = confidence;
  line->x = x;
  line->y = y;
  line->width = width;
  line->height = height;
  return line;
}

ErIdLine *
er_id_line_copy (const ErIdLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);

  return er_id_line_new (line->text, line->confidence, line->x, line->y, line->width, line->height);
}

void
er_id_line_free (ErIdLine *line)
{
  if (line == NULL)
    return;
  /* The text read on a learner's ID: wiped when it goes. */
  er_secret_str_free (line->text);
  g_free (line);
}
