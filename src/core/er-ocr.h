/* er-ocr.h: the lines of text on an image, read by Tesseract (French and
 * English), on this machine and in memory only.
 *
 * One Tesseract engine, loaded on first use (its French and English
 * models take about 30 MB, 40 after a read), reads one image at a time: a
 * second caller waits. It is let go once nothing was read for
 * ER_OCR_IDLE_SECONDS (a timeout on the main context), and loaded again by
 * the next read. Without Tesseract (meson option ocr) or its data, nothing
 * is read and er_ocr_available() says so. */
#pragma once

#include <gio/gio.h>

#include "er-id-line.h"

G_BEGIN_DECLS

#define ER_OCR_IDLE_SECONDS 60

/* Whether this build reads text (Tesseract and its French and English data
 * found). The first call loads the engine. Thread-safe. */
gboolean   er_ocr_available  (void);

typedef enum {
  ER_OCR_AS_IS = 0,
  /* The light made even first (Leptonica's background normalisation):
   * for glare and shadows; it costs clean photos some of their small
   * print, so it is for a second reading. */
  ER_OCR_EVEN_LIGHT = 1 << 0,
  /* Tesseract's "sparse text" page layout: as much text as it finds, in
   * no order; it finds lines the usual layout skips, and breaks some
   * names at an apostrophe: for a second reading too. */
  ER_OCR_SPARSE = 1 << 1,
  /* The page as one block of text (Tesseract's single-block layout): on
   * a passport page it keeps the name lines its own layout skips. */
  ER_OCR_BLOCK = 1 << 2,
  /* Lines made level that lean differently at the top and the bottom of
   * the photo (a card photographed at an angle, its far edge shorter:
   * Tesseract then joins a label to the value beside it and loses
   * both), by Leptonica's local skew. When they lean alike within
   * ER_OCR_KEYSTONE_DEGREES, nothing is read: G_IO_ERROR_NOT_FOUND (the
   * reading would be the one without the flag). */
  ER_OCR_KEYSTONE = 1 << 3,
  /* A machine-readable zone (ICAO 9303): read as one block of text of
   * its characters only (A–Z, 0–9 and the filler '<'). */
  ER_OCR_MRZ = 1 << 4,
} ErOcrFlags;

#define ER_OCR_KEYSTONE_DEGREES 2.0

/* The lines of text on an 8-bit grey image (0 black, 255 white), top to
 * bottom: ErIdLine, boxes in the image's pixels. Blocking (call it in a
 * worker thread); cancellable while it reads. Errors: G_IO_ERROR_CANCELLED,
 * G_IO_ERROR_NOT_SUPPORTED (no Tesseract or no data), G_IO_ERROR_FAILED,
 * G_IO_ERROR_NOT_FOUND (with ER_OCR_KEYSTONE, lines that lean alike). */
GPtrArray *er_ocr_read_lines (const guint8  *grey,
                              int            width,
                              int            height,
                              int            stride,
                              ErOcrFlags     flags,
                              GCancellable  *cancellable,
                              GError       **error);

/* One line of text in zone (x, y, width, height, in the image's pixels
 * once straightened as er_ocr_read_lines straightens it with flags: the
 * boxes it gave), read alone (Tesseract's single-line layout): a value its
 * page layout skipped. Of the flags, only ER_OCR_KEYSTONE and
 * ER_OCR_EVEN_LIGHT count. Boxes in the image's pixels, as
 * er_ocr_read_lines'. */
GPtrArray *er_ocr_read_zone  (const guint8  *grey,
                              int            width,
                              int            height,
                              int            stride,
                              ErOcrFlags     flags,
                              int            x,
                              int            y,
                              int            zone_width,
                              int            zone_height,
                              GCancellable  *cancellable,
                              GError       **error);

/* The lines of text in region (x, y, width, height, in the image's
 * pixels once straightened, as er_ocr_read_lines' boxes), made zoom
 * times larger (over 1) and read with the flags' page layout: small print
 * (labels a dozen pixels high) read larger loses fewer letters and marks.
 * Boxes in the image's pixels, as er_ocr_read_lines'. */
GPtrArray *er_ocr_read_region (const guint8  *grey,
                               int            width,
                               int            height,
                               int            stride,
                               ErOcrFlags     flags,
                               int            x,
                               int            y,
                               int            region_width,
                               int            region_height,
                               double         zoom,
                               GCancellable  *cancellable,
                               GError       **error);
/* For tests: how long the engine is kept without a read (default
 * ER_OCR_IDLE_SECONDS; set before reading), and whether it is loaded. */
void       er_ocr_set_idle_seconds (guint seconds);
gboolean   er_ocr_is_loaded        (void);

G_END_DECLS
