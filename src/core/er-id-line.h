/* er-id-line.h: one line of text read on an ID photo, where it was and how
 * sure the reader was of it. What the OCR (er-ocr.h) gives, and what the
 * MRZ parser (er-mrz.h) and the label finder (er-id-fields.h) read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *text;        /* UTF-8, one line as read, words separated by one space */
  float  confidence;  /* 0–100: the reader's mean confidence in its words */
  int    x;           /* the line's box, in the pixels of the image read */
  int    y;
  int    width;
  int    height;
} ErIdLine;

ErIdLine *er_id_line_new  (const char *text, float confidence,
                           int x, int y, int width, int height);
ErIdLine *er_id_line_copy (const ErIdLine *line);
/* Its text wiped, then freed. */
void      er_id_line_free (ErIdLine *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErIdLine, er_id_line_free)

G_END_DECLS
