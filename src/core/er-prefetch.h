/* er-prefetch.h: the photos of the open case and of the next ones, loaded
 * (fetched, decrypted, decoded) ahead of time and held in memory only.
 *
 * The workspace says which cases to keep, in priority order (the open case
 * first, then the next N of the queue); photos of any other case are dropped
 * and their loads cancelled, so memory stays bounded by what is kept.
 * Nothing is ever written to disk. Failures are not remembered: asking again
 * after an error loads again.
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-photo.h"

G_BEGIN_DECLS

#define ER_TYPE_PREFETCH (er_prefetch_get_type ())
G_DECLARE_FINAL_TYPE (ErPrefetch, er_prefetch, ER, PREFETCH, GObject)

ErPrefetch *er_prefetch_new          (ErClient *client, ErPrivateKey *key);

/* Keeps the photos of these cases (both kinds), loading those not yet held
 * or under way, in the order given; cancels and drops every other case's. */
void        er_prefetch_keep         (ErPrefetch *self, ErCase * const *cases, guint n_cases);

/* Drops one case's photos (decided, skipped): cancels its loads. Waiting
 * callers get G_IO_ERROR_CANCELLED. */
void        er_prefetch_forget       (ErPrefetch *self, const char *receipt_id);

/* Drops everything (sign-out, stop). */
void        er_prefetch_clear        (ErPrefetch *self);

/* The photo: at once when already held, else when the load under way (or
 * started now, the case being kept from then on) finishes. Cancelling
 * cancellable abandons this wait only, not a load that is kept. */
void        er_prefetch_load_async   (ErPrefetch *self, ErCase *kase, ErPhotoKind kind,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
GdkTexture *er_prefetch_load_finish  (ErPrefetch *self, GAsyncResult *result, GError **error);

/* Whether the photo is decoded and held (no network needed to show it). */
gboolean    er_prefetch_is_ready     (ErPrefetch *self, const char *receipt_id, ErPhotoKind kind);
/* How many photos are held, and their decoded size in bytes (for tests and
 * the benchmark). */
guint       er_prefetch_get_n_held   (ErPrefetch *self);
gsize       er_prefetch_get_held_bytes (ErPrefetch *self);

G_END_DECLS
