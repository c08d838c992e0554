/* er-photo.h: photo loading — fetch, decrypt, decode — off the main thread.
 *
 * Only PNG and JPEG are decoded; anything else fails with ER_ERROR_IMAGE_FORMAT
 * and a message naming the format (HEIC, WebP, ...) and how to convert it.
 * Limits are checked before any pixel is decoded: objects over
 * ER_PHOTO_MAX_BYTES, images over ER_PHOTO_MAX_PIXELS (as the loader announces
 * the size). EXIF orientation is applied. Nothing is written to disk. The
 * fetched body and the decrypted bytes are wiped when released (er-secret.h);
 * the decoded pixels belong to gdk-pixbuf and GDK and are not.
 *
 * er_photo_decode() and er_photo_load_async() decode every pixel;
 * er_photo_load_image_async() decodes for the screen first and the full
 * resolution on demand (er-photo-image.h), what the review uses.
 */
#pragma once

#include <gdk/gdk.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-photo-image.h"

G_BEGIN_DECLS

typedef enum {
  ER_PHOTO_USER, /* the learner's face */
  ER_PHOTO_ID,   /* the government ID */
} ErPhotoKind;

/* The case's photo of that kind. */
const ErPhotoRef *er_photo_ref_for (ErCase *kase, ErPhotoKind kind);

#define ER_PHOTO_MAX_BYTES  (25 * 1024 * 1024)
#define ER_PHOTO_MAX_PIXELS (100 * 1000 * 1000)
/* The most pixels held for one photo (64 MB as a texture): a larger image
 * is shown downscaled (er-photo-image.h). */
#define ER_PHOTO_MAX_HELD_PIXELS (16 * 1000 * 1000)
/* The long side, in device pixels, photos are first decoded for when the
 * screen's is not known (er-photo-image.h). */
#define ER_PHOTO_DEFAULT_TARGET 1024

/* Names the image format from its first bytes ("PNG", "JPEG", "HEIC", "WebP",
 * "GIF", "TIFF", "BMP", "AVIF", "PDF"...), or NULL when unknown. */
const char *er_photo_sniff_format (GBytes *data);

/* Decodes PNG/JPEG bytes into a texture, orientation applied. Thread-safe. */
GdkTexture *er_photo_decode       (GBytes *image, GError **error);

/* fetch (er_client_fetch_photo) → decrypt when ref->key is set (needs key,
 * else ER_ERROR_CRYPTO) → decode, in a worker thread. */
void        er_photo_load_async   (ErClient *client, ErPrivateKey *key, const ErPhotoRef *ref,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
GdkTexture *er_photo_load_finish  (GAsyncResult *result, GError **error);

/* The same, decoded for a screen whose long side is target device pixels
 * (er_photo_image_decode(): a preview first, the full resolution later). */
void          er_photo_load_image_async  (ErClient *client, ErPrivateKey *key,
                                          const ErPhotoRef *ref, int target,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
ErPhotoImage *er_photo_load_image_finish (GAsyncResult *result, GError **error);

/* fetch → decrypt when ref->key is set: the SHA-256 (hex) of the image
 * bytes, which go as soon as they are hashed. Two objects of the same
 * image, encrypted with different keys, have the same fingerprint. */
void        er_photo_hash_async   (ErClient *client, ErPrivateKey *key, const ErPhotoRef *ref,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
char       *er_photo_hash_finish  (GAsyncResult *result, GError **error);

G_END_DECLS
