/* er-id-read.h: the name and expiry date read on an ID photo, on this
 * machine, in memory.
 *
 * er_id_read_photo() turns the photo grey at a size fit for reading (its
 * long side at most ER_ID_READ_LONG_SIDE), reads its text with Tesseract
 * (French and English, er-ocr.h), then finds the name: under its labels
 * (er-id-fields.h) and in a passport's or card's machine-readable zone
 * (er-mrz.h, check digits verified), and the expiry date likewise. Nothing
 * is written anywhere, nothing is sent; the result lives with the case.
 *
 * The verdict never says "same name" unless the name was read surely: every
 * line of it read with confidence, and the MRZ, when there is one, spelling
 * the same letters (accents aside). Otherwise it says it is unsure, or that
 * no name was found: it never guesses. */
#pragma once

#include <gdk/gdk.h>
#include <graphene.h>

#include "er-name.h"

G_BEGIN_DECLS

/* The long side, in pixels, of the grey copy read. */
#define ER_ID_READ_LONG_SIDE 2000
/* Below this confidence (0–100) a line of the name is not read surely. */
#define ER_ID_READ_SURE_CONFIDENCE 75.0f

typedef enum {
  ER_ID_READ_NO_NAME,  /* no name found: no label, no MRZ */
  ER_ID_READ_UNSURE,   /* a name, not read surely */
  ER_ID_READ_SAME,     /* read surely: the same name as the account's */
  ER_ID_READ_CLOSE,    /* read surely: close (accents, hyphens, order...): the agent judges */
  ER_ID_READ_DIFFERS,  /* read surely: not the same name */
} ErIdReadVerdict;

typedef enum {
  ER_ID_READ_SOURCE_NONE,
  ER_ID_READ_SOURCE_LABELS,  /* printed under its labels (accents as printed) */
  ER_ID_READ_SOURCE_MRZ,     /* the machine-readable zone only (no accents) */
  ER_ID_READ_SOURCE_PRINTED, /* the MRZ's letters found in print, labels lost (accents as printed) */
  ER_ID_READ_SOURCE_LAYOUT,  /* every label lost: the capitals above the first date (never sure) */
} ErIdReadSource;

#define ER_TYPE_ID_READ (er_id_read_get_type ())
G_DECLARE_FINAL_TYPE (ErIdRead, er_id_read, ER, ID_READ, GObject)

/* Reads photo (upright, as shown). Blocking: call it in a worker thread
 * (er_id_read_photo_async does). Errors: G_IO_ERROR_CANCELLED,
 * G_IO_ERROR_NOT_SUPPORTED (built without Tesseract, or its French or
 * English data missing), G_IO_ERROR_FAILED (Tesseract failed). */
ErIdRead        *er_id_read_photo          (GdkTexture          *photo,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* The lines read on photo, as er_id_read_photo reads them (grey, at most
 * ER_ID_READ_LONG_SIDE, straightened), boxes in photo's pixels: for the
 * accuracy benchmark, which shows them. Blocking. */
GPtrArray       *er_id_read_lines          (GdkTexture          *photo,
                                            GCancellable        *cancellable,
                                            GError             **error);
void             er_id_read_photo_async    (GdkTexture          *photo,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
ErIdRead        *er_id_read_photo_finish   (GAsyncResult        *result,
                                            GError             **error);

/* Reads image (the decrypted PNG or JPEG bytes of an ID photo) decoded
 * for reading: its long side about ER_ID_READ_LONG_SIDE whatever the
 * screen (a preview decoded for a small pane has text too small to read);
 * or texture when there are no bytes (a final photo). One of the two. */
void             er_id_read_image_async    (GBytes              *image,
                                            GdkTexture          *texture,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
ErIdRead        *er_id_read_image_finish   (GAsyncResult        *result,
                                            GError             **error);
/* The size of the image read, upright: the name region's coordinates are
 * in its pixels (scale them to the photo's own size to draw them). */
void             er_id_read_get_size       (ErIdRead *self,
                                            int      *width,
                                            int      *height);

/* Whether this build reads IDs (Tesseract and its data found). */
gboolean         er_id_read_available      (void);

/* The name as read, for the agent: "CÔTÉ, FRANÇOIS" (surname first, as IDs
 * print it) or as printed under one label; NULL when none was found. */
const char      *er_id_read_get_name       (ErIdRead *self);
/* The name in the account's order, "FRANÇOIS CÔTÉ": what is compared and
 * what the name helper gets. NULL when none was found. */
const char      *er_id_read_get_compare_name (ErIdRead *self);
ErIdReadSource   er_id_read_get_source     (ErIdRead *self);
/* Whether every line of the name was read with confidence and the MRZ, if
 * any, agrees. */
gboolean         er_id_read_get_sure       (ErIdRead *self);
/* The box of the name on the photo, in the pixels of the image read
 * (er_id_read_get_size). FALSE when no name was found. */
gboolean         er_id_read_get_name_region (ErIdRead *self,
                                             graphene_rect_t *region);
/* The expiry date read (labelled field or MRZ; with neither, the latest
 * date read), NULL when none. */
GDateTime       *er_id_read_get_expiry     (ErIdRead *self);
/* Whether it came from the MRZ or from under its label (FALSE: the latest
 * date read, its label lost; described as "may have expired"). */
gboolean         er_id_read_get_expiry_sure (ErIdRead *self);
/* Whether the ID had expired on when (the day the learner submitted). */
gboolean         er_id_read_expired_at     (ErIdRead *self,
                                            GDateTime *when);
/* Seconds the read took (grey copy, OCR, fields). */
double           er_id_read_get_seconds    (ErIdRead *self);

/* The verdict for account_name (er-name.h decides the level). */
ErIdReadVerdict  er_id_read_compare        (ErIdRead   *self,
                                            const char *account_name);

/* One line for the agent, translated: "Read on the ID: CÔTÉ, FRANÇOIS —
 * same name", "… — differs: Not the same name", "Read on the ID, unsure:
 * …", "No name found on the ID". */
char            *er_id_read_describe       (ErIdRead   *self,
                                            const char *account_name);
/* "ID expired on 28 May 2026" when it had expired on submitted_at (the day
 * the learner submitted), else NULL. */
char            *er_id_read_describe_expiry (ErIdRead  *self,
                                             GDateTime *submitted_at);

/* For tests and the accuracy benchmark: a result made from lines as an OCR
 * would give them (ErIdLine, in the coordinates of a photo of that size). */
ErIdRead        *er_id_read_new_from_lines (GPtrArray *lines,
                                            int        photo_width,
                                            int        photo_height);

G_END_DECLS
