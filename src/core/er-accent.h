/* er-accent.h: the accents of capital letters, seen on the image.
 *
 * Debian's Tesseract models (tessdata_fast) often read the "É", "È" and
 * "Ê" of a name in capitals as "E". What they missed is still on the
 * image: a small mark above the letter, apart from it, or a cedilla under
 * a "C". This looks there, in the black-and-white image Tesseract read,
 * and tells the mark from its shape. It never takes an accent from the
 * account's name: a mark that is not on the ID is never put back. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Capitals taller than this, in pixels, are not searched: a name on an ID
 * read at 2000 pixels has capitals 15 to 60 high. */
#define ER_ACCENT_MAX_CAP_HEIGHT 200

/* A black-and-white image: 1 bit a pixel, 1 for ink, rows of wpl 32-bit
 * words whose most significant bit is the leftmost pixel (Leptonica's
 * layout, as Tesseract gives its thresholded image). */
typedef struct {
  int left;
  int top;
  int right;     /* excluded */
  int bottom;    /* excluded */
  int baseline;  /* a line's baseline row, or -1 */
} ErBox;

typedef struct {
  const guint32 *words;
  int            wpl;
  int            width;
  int            height;
  /* The boxes of the lines of text on the image, or NULL: ink inside
   * another line's box than the word's own is none of its marks (a label
   * just above a name). */
  const ErBox   *lines;
  guint          n_lines;
  /* The boxes of characters reaching under their line's baseline (a
   * comma, a slash, a "p"), or NULL: what hangs there is theirs, not a
   * mark of the word under them. */
  const ErBox   *descenders;
  guint          n_descenders;
  /* 1 is paper and 0 ink. Tesseract's threshold takes the larger part
   * of the image for paper: on a card photographed on a dark table, the
   * card. Each word finds out for itself (its ink is the smaller part). */
  gboolean       inverted;
} ErInk;

typedef enum {
  ER_ACCENT_NONE,
  ER_ACCENT_ACUTE,
  ER_ACCENT_GRAVE,
  ER_ACCENT_CIRCUMFLEX,
  ER_ACCENT_DIAERESIS,
  ER_ACCENT_CEDILLA,
} ErAccent;

/* One character of a word as read, and its box in the image's pixels
 * (right and bottom excluded). */
typedef struct {
  const char *text;
  int         left;
  int         top;
  int         right;
  int         bottom;
} ErGlyph;

/* The letter with that mark ("É" for "E" and acute), or 0 when there is no
 * such letter. */
gunichar  er_accent_apply     (gunichar        letter,
                               ErAccent        accent);

/* The word's text, each capital given the mark seen on it: read without
 * it, or with another one ("Ë" for "É"). A capital whose mark cannot be
 * told stays as read, and a word with small letters is given as read. */
char     *er_accent_fix_word  (const ErInk    *ink,
                               const ErGlyph  *glyphs,
                               guint           n_glyphs);

G_END_DECLS
