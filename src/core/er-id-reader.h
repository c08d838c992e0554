/* er-id-reader.h: the ID photos read on this machine, one at a time, in the
 * background, and what was read on the case on screen.
 *
 * The session hands it each ID photo the prefetch holds (add), so that the
 * open case's ID is usually read before the agent sees it, and tells it
 * which case is on screen ("current"): that one is read first. Results are
 * kept, in memory only, until the case is forgotten (its photos dropped).
 * A reader that is not "enabled" (the agent's setting) reads nothing and
 * forgets what it read. */
#pragma once

#include <gio/gio.h>

#include "er-id-read.h"
#include "er-photo-image.h"

G_BEGIN_DECLS

typedef enum {
  ER_ID_READER_OFF,          /* not enabled */
  ER_ID_READER_UNAVAILABLE,  /* this build or machine cannot read IDs */
  ER_ID_READER_NONE,         /* no ID photo given for the case (yet) */
  ER_ID_READER_READING,      /* waiting or being read */
  ER_ID_READER_DONE,         /* read: "read" holds the result */
  ER_ID_READER_FAILED,       /* the read failed: "error" says why */
} ErIdReaderState;

#define ER_TYPE_ID_READER (er_id_reader_get_type ())
G_DECLARE_FINAL_TYPE (ErIdReader, er_id_reader, ER, ID_READER, GObject)

ErIdReader      *er_id_reader_new         (void);

/* Reads photo (the ID of receipt_id) unless it was read or is being read:
 * its image bytes decoded for reading (er_id_read_image_async), or its
 * texture when it has no bytes left (final). Keeps a reference to those
 * until it is read. */
void             er_id_reader_add         (ErIdReader   *self,
                                           const char   *receipt_id,
                                           ErPhotoImage *photo);
/* Forgets receipt_id: its read is cancelled or let go. */
void             er_id_reader_forget      (ErIdReader *self,
                                           const char *receipt_id);
void             er_id_reader_clear       (ErIdReader *self);

/* The case on screen (property "current", NULL for none): read first. */
void             er_id_reader_set_current (ErIdReader *self,
                                           const char *receipt_id);
const char      *er_id_reader_get_current (ErIdReader *self);
/* For the current case (properties, notified): */
ErIdReaderState  er_id_reader_get_state   (ErIdReader *self);
ErIdRead        *er_id_reader_get_read    (ErIdReader *self);
const char      *er_id_reader_get_error   (ErIdReader *self);
/* The same for any case held, current or not (read and error: nullable,
 * set to NULL when there is none): a view given its case before the reader
 * hears of it shows what is known at once, not "reading" in between. */
ErIdReaderState  er_id_reader_peek        (ErIdReader  *self,
                                           const char  *receipt_id,
                                           ErIdRead   **read,
                                           const char **error);

/* Property "enabled" (TRUE by default). */
gboolean         er_id_reader_get_enabled (ErIdReader *self);
void             er_id_reader_set_enabled (ErIdReader *self,
                                           gboolean    enabled);

/* For tests: what was read for receipt_id, NULL when nothing (yet); how
 * many photos wait or are being read. */
ErIdRead        *er_id_reader_lookup      (ErIdReader *self,
                                           const char *receipt_id);
guint            er_id_reader_get_n_pending (ErIdReader *self);

G_END_DECLS
