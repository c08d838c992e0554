/* er-accent-private.h: shared by er-accent.c (a word's marks) and
 * er-accent-letters.c (the pieces of ink, and where each letter is). */
#pragma once

#include "er-accent.h"

G_BEGIN_DECLS

/* Whether the pixel is ink (paper as the word's polarity gives it); off
 * the image, none. */
static inline gboolean
ink_at (const ErInk *ink,
        int          x,
        int          y)
{
  if (x < 0 || y < 0 || x >= ink->width || y >= ink->height)
    return FALSE;
  return ((ink->words[(gsize) y * ink->wpl + (x >> 5)] >> (31 - (x & 31))) & 1) != (guint32) ink->inverted;
}

typedef struct {
  int    count;
  int    x0, y0, x1, y1;  /* inclusive, in the image */
  double sum_x;
  int    label;
} Piece;

typedef struct {
  int     x0, y0, width, height;  /* the region, in the image */
  int    *labels;                 /* 0: no ink; else the piece's label */
  GArray *pieces;                 /* Piece, label i + 1 at index i */
} Region;

/* Whether the pixel is in the region's piece label. */
static inline gboolean
region_is (const Region *region,
           int           x,
           int           y,
           int           label)
{
  x -= region->x0;
  y -= region->y0;
  if (x < 0 || y < 0 || x >= region->width || y >= region->height)
    return FALSE;
  return region->labels[y * region->width + x] == label;
}

typedef struct {
  int      left, right;  /* the letter's columns, inclusive */
  int      top, bottom;  /* its rows, inclusive */
  gboolean found;
} Body;

typedef struct {
  ErInk          ink;        /* the caller's, its polarity the word's */
  const ErGlyph *glyphs;
  guint          n_glyphs;
  Body          *bodies;
  double         cap_height;
  double         baseline;   /* the capitals' bottom row */
  const ErBox   *line;       /* the word's own line, or NULL */
} Word;

/* Whether row y has ink from left to right (excluded). */
gboolean _er_accent_row_has_ink   (const ErInk *ink,
                                   int          y,
                                   int          left,
                                   int          right);
/* Labels the region's pieces of ink (8-connected). */
void     _er_accent_region_init   (Region      *region,
                                   const ErInk *ink,
                                   int          x0,
                                   int          y0,
                                   int          x1,
                                   int          y1);
void     _er_accent_region_clear  (Region      *region);
/* The capital letter of A to Z the text is, with or without a mark; 0
 * when it is none. */
gunichar _er_accent_base_letter   (const char  *text);
/* The mark on capital c, ER_ACCENT_NONE when it has none. */
ErAccent _er_accent_mark_of       (gunichar     c);
/* Where each of the word's letters is: its bodies. */
void     _er_accent_place_letters (Word        *word);

G_END_DECLS
