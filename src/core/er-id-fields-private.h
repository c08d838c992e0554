/* er-id-fields-private.h: shared by er-id-fields.c (where the labels and
 * values are), er-id-fields-lines.c (where the lines lie from one
 * another), er-id-fields-expiry.c (the expiry date) and er-id-date.c (the
 * dates in a value's text). */
#pragma once

#include "er-id-fields.h"

G_BEGIN_DECLS

typedef enum {
  LABEL_SURNAME,
  LABEL_GIVEN,
  LABEL_FULL,     /* the whole name under one label */
  LABEL_EXPIRY,
  LABEL_ISSUE,
  LABEL_BIRTH,
  LABEL_OTHER,    /* labels whose values are never a name or a date we want */
} LabelKind;

/* A label found in a line's text. */
typedef struct {
  LabelKind kind;
  guint     label_start;  /* bytes in the line */
  guint     label_end;
  guint     value_end;    /* the next label's start, or the line's end */
} Label;

/* A line read, with its labels. */
typedef struct {
  const ErIdLine *line;
  const char     *text;    /* "" when the OCR gave no valid UTF-8 */
  GArray         *labels;  /* Label */
  gboolean        junk;    /* fewer than two letters or digits */
} LineInfo;

/* Whether the line has a box (an OCR's lines do; tests' may not). */
gboolean _er_id_has_box (const ErIdLine *line);
/* The line the value of line index is on when it is not on its own line,
 * looked for from line from on (er-id-fields-lines.c); -1 if none. */
int      _er_id_find_line_below_from        (const LineInfo *infos, guint n_lines,
                                             guint index, guint from);
int      _er_id_find_line_below             (const LineInfo *infos, guint n_lines,
                                             guint index);
int      _er_id_find_line_below_read_before (const LineInfo *infos, guint index);
int      _er_id_find_line_beside            (const LineInfo *infos, guint n_lines,
                                             guint index);

/* The expiry date into fields (expiry, expiry_unlabelled). */
void     _er_id_find_expiry (const LineInfo *infos,
                             guint           n_lines,
                             ErIdFields     *fields);

/* The labels (Label) of a line's text, left to right
 * (er-id-fields-labels.c); *junk when it has fewer than two letters or
 * digits. */
GArray  *_er_id_find_labels     (const char *text,
                                 gboolean   *junk);
/* A character of a word: a letter or a digit, or an accent on one. */
gboolean _er_id_is_word_char    (gunichar    c);
/* The character before offset (bytes) in text; 0 at its start. */
gunichar _er_id_char_before     (const char *text,
                                 guint       offset);
/* Whether s[0, len) is a field's number ("1", "4b"), as Québec's
 * documents number their fields. */
gboolean _er_id_is_field_number (const char *s,
                                 gsize       len);

/* A combining mark (an accent once decomposed). */
gboolean _er_id_is_mark (gunichar c);
/* c in small letters, without accent ("É" → "e"). */
gunichar _er_id_fold    (gunichar c);

/* Every date (GDate) in text[0, len), valid UTF-8, left to right. */
GArray *_er_id_find_dates (const char *text,
                           gsize       len);

G_END_DECLS
