/* fake-images.h: synthetic photos drawn by code, never of a real person. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  FAKE_IMAGE_PNG,   /* webcam capture */
  FAKE_IMAGE_JPEG,  /* phone photo */
} FakeImageFormat;

/* A drawn face (head, hair, eyes, mouth, background), varied by seed.
 * orientation: 1 (none) .. 8; for JPEG, the pixels are stored rotated and an
 * EXIF APP1 segment with that Orientation tag is added, so that a viewer that
 * applies it shows the face upright. Ignored (must be 1) for PNG. */
GBytes *fake_image_face    (guint seed, int width, int height,
                            FakeImageFormat format, guint orientation);

/* A drawn ID card ("PIÈCE D'IDENTITÉ — SPÉCIMEN"), with full_name printed on it
 * (accents and all), a small drawn portrait for seed, birth date, number. */
GBytes *fake_image_id_card (const char *full_name, guint seed, int width, int height,
                            FakeImageFormat format, guint orientation);

/* Inserts (or replaces) an EXIF APP1 segment carrying only the Orientation tag
 * right after the SOI marker of a JPEG. */
GBytes *fake_image_jpeg_set_orientation (GBytes *jpeg, guint orientation);

/* Sensor grain added to every photo drawn from now on: each pixel's channels
 * move by up to ±amplitude (0, the default: none, flat drawings). Drawn
 * shapes compress far better than a camera's pictures; with grain, a
 * 12-megapixel JPEG weighs what a phone's does (a few megabytes). The same
 * seed still gives the same picture. For the benchmark (--photo-size). */
void    fake_images_set_grain (guint amplitude);

G_END_DECLS
