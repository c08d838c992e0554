/* er-mrz-private.h: what er-mrz.c (the fields, the checks, the search)
 * shares with er-mrz-lines.c (the lines as an OCR read them: cleaned, cut
 * into pieces, brought back to their length). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD3_LENGTH 44
#define TD1_LENGTH 30
/* How many fillers an OCR adds to or drops from one line, at most. */
#define SLACK 3
/* Noise lines (the rest of the page) read between two lines of an MRZ. */
#define MAX_SKIP 2

typedef struct {
  guint line;
  gsize offset;  /* in the cleaned line */
} Pos;

/* One way of reading one line of an MRZ: its text (cleaned, spaces as read),
 * the last line given it took, and where the next MRZ line begins. */
typedef struct {
  char  *text;
  guint  last_line;
  Pos    next;
} Piece;

typedef struct {
  char  **clean;   /* each line given, cleaned; "" for NULL */
  guint   n_lines;
  int     best_score;
  char   *best_failure;  /* why the reading that got furthest failed */
} Reader;

char *_er_mrz_clean_line (const char *line);

gboolean _er_mrz_looks_like (const char *line);

gsize _er_mrz_count_nonspace (const char *s,
                              gssize      length);

char _er_mrz_as_digit (char c);

char _er_mrz_as_letter (char c);

gboolean _er_mrz_is_filler_like (char c);

GArray *_er_mrz_pieces_new (void);

void _er_mrz_reader_fail (Reader     *reader,
                          int         score,
                          const char *why);

void _er_mrz_add_data_pieces_at (Reader *reader,
                                 guint   i,
                                 gsize   o,
                                 guint   length,
                                 GArray *pieces);

GArray *_er_mrz_data_pieces (Reader *reader,
                             Pos     at,
                             guint   length);

GArray *_er_mrz_td3_name_pieces (Reader *reader,
                                 guint   s);

GArray *_er_mrz_td1_name_pieces (Reader *reader,
                                 Pos     at);

GPtrArray *_er_mrz_length_variants (const char *text,
                                    guint       length);

G_END_DECLS
