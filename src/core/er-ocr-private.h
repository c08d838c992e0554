/* er-ocr-private.h: what er-ocr.c decides from the boxes Tesseract gives,
 * for its tests. */
#pragma once

#include "er-accent.h"

G_BEGIN_DECLS

/* Whether the gap between two words' boxes, a then b on one line, is a
 * letter's rather than a space: under 0.3 of their height (0.11 to 0.25
 * where Tesseract split a name's word in the benchmark's corpus), where a
 * space in a name is 0.38 to 0.77; boxes overlapping by more than a
 * tenth of it are no word's. */
gboolean _er_ocr_letter_gap (const ErBox *a, const ErBox *b);

G_END_DECLS
