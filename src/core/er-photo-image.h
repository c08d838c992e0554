/* er-photo-image.h: a decoded photo, first at the screen's size, then at
 * full resolution when somebody zooms in.
 *
 * A phone's 12 MP JPEG shown in a pane 600 pixels wide is first decoded at
 * the smallest libjpeg scale (1/2, 1/4, 1/8) whose long side is at least the
 * target (the screen's long side in device pixels): several times faster,
 * and a fraction of the memory. The image bytes are kept (memory only,
 * wiped when released: er-secret.h) so that load_full() can decode the full
 * resolution later, off the main thread; when it is done the texture is
 * replaced (notify::texture, invalidate-contents), the preview and the
 * bytes go. The full decode is lazy: the viewer asks for it when the zoom
 * goes past the preview's resolution (or the pane grows past the target);
 * most photos are never zoomed into, so most never decode at full size.
 *
 * A PNG is decoded whole (gdk-pixbuf's PNG loader cannot decode at a smaller
 * size: it decodes every pixel, then scales), and kept so, final, unless it
 * has more than ER_PHOTO_MAX_HELD_PIXELS: then it is scaled down to the
 * target at once (the decode is let go), and load_full() gives at most
 * ER_PHOTO_MAX_HELD_PIXELS. Only one such large decode is in memory at once
 * (a lock). A JPEG over that limit is likewise held at the smallest scale
 * within it. So the texture may stay smaller than the photo: "final" says
 * no larger one will come.
 *
 * As a GdkPaintable its intrinsic size is the photo's own (upright), in
 * image pixels, whatever the texture's: zoom levels, fit and the compare
 * link are computed on it, and the swap to the full texture changes nothing
 * on screen but sharpness.
 *
 * A photo is mostly seen at best fit. GTK 4.8's Cairo renderer (no GPU)
 * converts and scales a texture again at every frame it draws: about 4 ms
 * of the frame that shows a new case for its two photos. fit() makes, in a
 * worker thread, a copy at exactly the size the photo fits its pane (in
 * device pixels), scaled once with a good filter; drawn at that size it is
 * a plain copy of pixels. The prefetch makes it for the cases ahead.
 */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_IMAGE (er_photo_image_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoImage, er_photo_image, ER, PHOTO_IMAGE, GObject)

/* Decodes PNG/JPEG bytes for a screen whose long side is target device
 * pixels (0: the full resolution at once). Thread-safe; errors as
 * er_photo_decode(). Keeps a reference to image when not final. */
ErPhotoImage *er_photo_image_decode         (GBytes *image, int target,
                                             GCancellable *cancellable, GError **error);

/* The texture shown now (property "texture", notified when the full
 * resolution replaces the preview). */
GdkTexture   *er_photo_image_get_texture    (ErPhotoImage *self);
/* The photo's own size, upright, in image pixels. */
int           er_photo_image_get_width      (ErPhotoImage *self);
int           er_photo_image_get_height     (ErPhotoImage *self);
/* Texture pixels per image pixel (1.0 at full resolution). */
double        er_photo_image_get_scale      (ErPhotoImage *self);
/* Whether no larger texture will come (property "final"). */
gboolean      er_photo_image_get_final      (ErPhotoImage *self);
/* Whether load_full() is under way. */
gboolean      er_photo_image_get_loading    (ErPhotoImage *self);
/* Memory held: the texture (width × height × 4, as uploaded) and the image
 * bytes kept for the full decode (property "held-bytes", notified). */
guint64       er_photo_image_get_held_bytes (ErPhotoImage *self);

/* The image bytes kept for the full decode (a new reference; they are the
 * decrypted photo: wiped when the last reference goes), NULL once final. */
GBytes       *er_photo_image_ref_bytes      (ErPhotoImage *self);

/* Decodes the full resolution in a worker thread, unless final or under
 * way; call from the main context. Dropping the image cancels it. */
void          er_photo_image_load_full      (ErPhotoImage *self);
/* A preview decoded for a larger screen than target (long side, device
 * pixels) is decoded again, smaller, in a worker thread, and replaces the
 * texture ("texture" and "held-bytes" notified); nothing moves on screen.
 * Returns whether it started (not when final, loading, or already as small
 * as libjpeg's scales allow for target). */
gboolean      er_photo_image_reduce         (ErPhotoImage *self, int target);

/* The size, in device pixels, of a photo of width × height shown as large
 * as fits a box of box_width × box_height, its shape kept (at least 1 × 1).
 * The photo viewer's best fit is this size. */
void          er_photo_fit_size             (int width, int height, int box_width, int box_height,
                                             int *fit_width, int *fit_height);

/* Makes, in a worker thread, the photo's copy fitted to a box of device
 * pixels (er_photo_fit_size()); it replaces one for another box, and is
 * counted in "held-bytes". Nothing when made or under way for that box, or
 * too large (more than ER_PHOTO_MAX_FITTED_PIXELS). Call from the main
 * context; the image emits invalidate-contents when the copy is there.
 * Dropping the image cancels it. */
#define ER_PHOTO_MAX_FITTED_PIXELS (16 * 1024 * 1024)
void          er_photo_image_fit            (ErPhotoImage *self, int box_width, int box_height);
/* The same, unless the copy there (or under way) is near enough for that
 * box (er_photo_image_get_fitted()). */
void          er_photo_image_fit_near       (ErPhotoImage *self, int box_width, int box_height);
/* The fitted copy if it is width × height device pixels or a few percent
 * off (a pane a little smaller or larger than the one it was made for),
 * else NULL. */
GdkTexture   *er_photo_image_get_fitted     (ErPhotoImage *self, int width, int height);

G_END_DECLS
