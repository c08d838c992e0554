/* er-prefetch-private.h: shared by er-prefetch.c (the cache and its loads)
 * and er-prefetch-budget.c (the memory budget, the sizes, the properties).
 */
#pragma once

#include "er-prefetch.h"

G_BEGIN_DECLS

typedef struct {
  ErPhotoImage *image;        /* held, or NULL */
  guint64       need;         /* its bytes when last loaded, to fit the budget */
  GCancellable *cancellable;  /* the load under way, or NULL */
  GPtrArray    *waiters;      /* GTask, from load_async() */
  gboolean      failed;       /* the last load failed: keep() does not retry it */
} Photo;

typedef struct {
  char   *receipt_id;
  ErCase *kase;               /* the newest known: its photo references are used */
  Photo   photos[2];          /* by ErPhotoKind */
} CaseEntry;

struct _ErPrefetch
{
  GObject       parent_instance;
  ErClient     *client;
  ErPrivateKey *key;

  GHashTable   *entries;      /* receipt id → CaseEntry (owned) */
  GPtrArray    *kept;         /* CaseEntry, priority order (not owned) */
  guint         n_loading;    /* er_photo_load_image_async() calls not yet called back */
  gboolean      disposed;

  int           target;       /* the screen's long side, device pixels */
  GdkRectangle  boxes[2];     /* by ErPhotoKind: its pane, device pixels (0 × 0: unknown) */
  gboolean      target_known; /* FALSE after target-size was set to 0 */
  guint64       budget;       /* bytes held for cases ahead, at most */
  guint64       held_bytes;   /* as last notified */
};

enum {
  PROP_0,
  PROP_TARGET_SIZE,
  PROP_BUDGET,
  PROP_HELD_BYTES,
  PROP_USER_PHOTO_BOX,
  PROP_ID_PHOTO_BOX,
  N_PROPS
};

extern GParamSpec *_er_prefetch_properties[N_PROPS];

enum {
  SIGNAL_PHOTO_HELD,
  SIGNAL_CASE_DROPPED,
  N_SIGNALS
};

static inline gboolean
kind_is_valid (ErPhotoKind kind)
{
  return kind == ER_PHOTO_USER || kind == ER_PHOTO_ID;
}

/* er-prefetch.c */
Photo   *_er_prefetch_lookup_photo     (ErPrefetch *self, const char *receipt_id, ErPhotoKind kind);
/* The image goes (its full decode, if any, with it); its size is kept. */
void     _er_prefetch_drop_image       (Photo *photo);
void     _er_prefetch_pump             (ErPrefetch *self);

/* er-prefetch-budget.c */
gboolean _er_prefetch_is_wanted        (ErPrefetch *self, CaseEntry *entry, Photo *photo);
guint64  _er_prefetch_count_held       (ErPrefetch *self);
/* Notifies "held-bytes" when it changed. */
void     _er_prefetch_update_held      (ErPrefetch *self);
guint64  _er_prefetch_estimate         (ErPrefetch *self, Photo *photo);
void     _er_prefetch_trim             (ErPrefetch *self);
void     _er_prefetch_on_image_held_bytes (ErPrefetch *self);
/* Has the image's copy fitted to its kind's pane made, when that is known. */
void     _er_prefetch_fit          (ErPrefetch *self, ErPhotoImage *image, ErPhotoKind kind);
void     _er_prefetch_get_property     (GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec);
void     _er_prefetch_set_property     (GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec);

G_END_DECLS
