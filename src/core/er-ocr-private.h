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

/* Whether b, a word on the line of word a and right of it, starts a
 * column of its own that is a picture, not text: over
 * ER_OCR_COLUMN_GAP times the smaller word's height from a, and read
 * (b and the words after it) at a mean confidence under
 * ER_OCR_COLUMN_DOUBT. Tesseract reads a card's portrait and its
 * "SPÉCIMEN" stamp on the line of the name beside them ("ÉLODIE NOÉMIE
 * ER", the "ER" at a confidence of 0); a value printed beside its label
 * ("Nom / Surname   DÉSILETS") is read surely. Such a line is cut in
 * two there. */
#define ER_OCR_COLUMN_GAP 5
#define ER_OCR_COLUMN_DOUBT 50

gboolean _er_ocr_column_gap (const ErBox *a, const ErBox *b, float confidence);

G_END_DECLS
