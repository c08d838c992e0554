/* er-photo-jpeg.h: JPEG decoding with libjpeg(-turbo), private to er-photo.c. */
#pragma once

#include "er-photo-private.h"

G_BEGIN_DECLS

/* libjpeg's scale for a width × height JPEG shown with target device pixels
 * on its long side (0: all of it), holding at most max_pixels (0: no
 * limit): 1, 2, 4 or 8. *final: no larger decode will ever be made. */
int         _er_photo_jpeg_scale  (int           width,
                                   int           height,
                                   int           target,
                                   gint64        max_pixels,
                                   gboolean     *final);

/* Decodes the JPEG image (already sniffed as one, within ER_PHOTO_MAX_BYTES)
 * at the scale above, orientation applied, into an RGB texture. A JPEG that
 * libjpeg cannot turn into RGB (CMYK, YCCK) sets *unsupported and returns
 * NULL without an error: the caller decodes it some other way. */
GdkTexture *_er_photo_jpeg_decode (GBytes         *image,
                                   GCancellable   *cancellable,
                                   int             target,
                                   gint64          max_pixels,
                                   ErPhotoDecoded *result,
                                   gboolean       *unsupported,
                                   GError        **error);

/* Whether a JPEG's segments and data run up to its EOI marker. */
gboolean    _er_photo_jpeg_is_complete    (const guint8 *data,
                                           gsize         size);

G_END_DECLS
