/* er-prefetch.h: the photos of the open case and of the next ones, loaded
 * (fetched, decrypted, decoded) ahead of time and held in memory only.
 *
 * The workspace says which cases to keep, in priority order (the open case
 * first, then the next N of the queue); photos of any other case are dropped
 * and their loads cancelled, so memory stays bounded by what is kept.
 * Nothing is ever written to disk. Failures are not remembered: asking again
 * after an error loads again.
 *
 * Photos are keyed by receipt id and kind. Prefetching runs at most
 * ER_PREFETCH_MAX_LOADS loads at a time, in the order given to keep() (both
 * photos of the first case, then the next case's...); a load somebody waits
 * for with load_async() starts at once, whatever the limit.
 *
 * A failed load is not kept: whoever waited gets the error, and the photo is
 * "not loaded" again. keep() does not load it again by itself while the case
 * stays kept (a broken photo or server would be hammered on every call); the
 * next load_async() does, and so does keep() once the case has been dropped
 * and is kept again.
 *
 * Photos are decoded for the screen (er-photo-image.h): a JPEG at the
 * smallest libjpeg scale whose long side is at least "target-size" (the
 * photo pane's long side in device pixels, as the workspace last said;
 * ER_PHOTO_DEFAULT_TARGET until it does, cases ahead waiting for it once
 * it was said to be unknown), the full resolution only when
 * the viewer asks for it.
 *
 * Memory: "budget" bytes at most are held (decoded textures, 4 bytes a
 * pixel, plus the image bytes kept for a full decode: "held-bytes"), the
 * open case (the first kept, or whatever somebody waits for) whatever the
 * budget. Loading ahead stops, in priority order, at the first photo that
 * would not fit (its size guessed from the target until it has been loaded
 * once); a photo loaded ahead that turns out not to fit is let go; when the
 * open case grows (its full decode), photos held ahead go, the last in
 * priority first.
 *
 * Signals: "photo-held" (receipt id, ErPhotoKind, ErPhotoImage) when a
 * photo is loaded and held; "case-dropped" (receipt id) when a case's photos
 * go (not kept any more, or forgotten; not on clear()).
 *
 * Call everything from the thread whose main context created the object;
 * results arrive in that context, never synchronously inside a call. A
 * pending load_async() keeps the object alive, as GIO's operations do;
 * prefetch loads do not (dispose cancels them).
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-photo.h"

G_BEGIN_DECLS

/* Prefetch loads under way at once at most. */
#define ER_PREFETCH_MAX_LOADS 4
/* The default budget for the photos held, in bytes. */
#define ER_PREFETCH_DEFAULT_BUDGET ((guint64) 256 * 1024 * 1024)

#define ER_TYPE_PREFETCH (er_prefetch_get_type ())
G_DECLARE_FINAL_TYPE (ErPrefetch, er_prefetch, ER, PREFETCH, GObject)

/* key: the verification private key, or NULL (encrypted photos then fail
 * with ER_ERROR_CRYPTO, without any download). */
ErPrefetch *er_prefetch_new          (ErClient *client, ErPrivateKey *key);

/* Keeps the photos of these cases (both kinds), loading those not yet held
 * or under way, in the order given; cancels and drops every other case's
 * (their waiting callers get G_IO_ERROR_CANCELLED). A photo whose load
 * failed while its case stayed kept is not loaded again here. */
void        er_prefetch_keep         (ErPrefetch *self, ErCase * const *cases, guint n_cases);

/* Drops one case's photos (decided, skipped): cancels its loads. Waiting
 * callers get G_IO_ERROR_CANCELLED. */
void        er_prefetch_forget       (ErPrefetch *self, const char *receipt_id);

/* Drops everything (sign-out, stop). */
void        er_prefetch_clear        (ErPrefetch *self);

/* The photo: at once (from an idle) when already held, else when the load
 * under way finishes (several callers may wait for the same load), else a
 * load starts now and the case is kept from then on, first in priority
 * (until the next keep() that does not list it). Cancelling cancellable
 * abandons this wait only, not the load, which goes on for the cache and
 * other callers. An already cancelled cancellable starts nothing. */
void        er_prefetch_load_async   (ErPrefetch *self, ErCase *kase, ErPhotoKind kind,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* A new reference to the texture the image shows now (the preview until
 * its full decode). */
GdkTexture *er_prefetch_load_finish  (ErPrefetch *self, GAsyncResult *result, GError **error);
/* Or the image itself (the one the cache holds), for the same call. */
ErPhotoImage *er_prefetch_load_image_finish (ErPrefetch *self, GAsyncResult *result,
                                             GError **error);

/* Whether the photo is decoded and held (no network needed to show it). */
gboolean    er_prefetch_is_ready     (ErPrefetch *self, const char *receipt_id, ErPhotoKind kind);
/* Whether a load of the photo is under way (a view may show a spinner). */
gboolean    er_prefetch_is_loading   (ErPrefetch *self, const char *receipt_id, ErPhotoKind kind);
/* How many photos are held, and the bytes they take: textures (width ×
 * height × 4, what a texture takes once uploaded) and image bytes kept
 * (property "held-bytes"; for tests and the benchmark). */
guint       er_prefetch_get_n_held   (ErPrefetch *self);
gsize       er_prefetch_get_held_bytes (ErPrefetch *self);

/* The long side, in device pixels, photos loaded from now on are decoded
 * for (property "target-size"). 0: not known yet (the panes are not laid
 * out): the open case is decoded for ER_PHOTO_DEFAULT_TARGET and loading
 * ahead waits until a size is set. */
void        er_prefetch_set_target_size (ErPrefetch *self, int target);
int         er_prefetch_get_target_size (ErPrefetch *self);
/* The size, in device pixels, of the pane that shows photos of kind (x and
 * y unused; 0 × 0: not known; properties "user-photo-box" and
 * "id-photo-box"): each photo held gets its copy fitted to it
 * (er_photo_image_fit()), for the frame that shows it. */
void        er_prefetch_set_photo_box (ErPrefetch *self, ErPhotoKind kind, const GdkRectangle *box);
/* The most bytes held (property "budget", ER_PREFETCH_DEFAULT_BUDGET). */
void        er_prefetch_set_budget   (ErPrefetch *self, guint64 budget);
guint64     er_prefetch_get_budget   (ErPrefetch *self);
/* How many loads are under way (cancelled ones until they have stopped). */
guint       er_prefetch_get_n_loading (ErPrefetch *self);

G_END_DECLS
