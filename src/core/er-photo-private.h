/* er-photo-private.h: the decoder shared by er-photo.c, er-photo-image.c and
 * er-photo-jpeg.c. */
#pragma once

#include "er-photo.h"

G_BEGIN_DECLS

typedef struct {
  int      width;   /* the photo's own size, upright */
  int      height;
  gboolean final;   /* no larger decode will ever be made */
} ErPhotoDecoded;

/* Decodes PNG/JPEG bytes for a screen whose long side is target device
 * pixels (0: at the largest size held), orientation applied, holding at
 * most ER_PHOTO_MAX_HELD_PIXELS. Thread-safe. */
GdkTexture *_er_photo_decode_for (GBytes         *image,
                                  GCancellable   *cancellable,
                                  int             target,
                                  ErPhotoDecoded *result,
                                  GError        **error);

/* The decoders' errors, with their texts (in er-photo.c). width × height as
 * the file's header announces them. */
void        _er_photo_set_corrupt_error   (GError **error);
void        _er_photo_set_too_large_error (GError **error,
                                           int      width,
                                           int      height);

G_END_DECLS
