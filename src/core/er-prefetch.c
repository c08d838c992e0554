/* er-prefetch.c: photos loaded ahead of time, in memory only. (Skeleton.) */
#include "config.h"

#include "er-prefetch.h"

struct _ErPrefetch
{
  GObject       parent_instance;
  ErClient     *client;
  ErPrivateKey *key;
};

G_DEFINE_FINAL_TYPE (ErPrefetch, er_prefetch, G_TYPE_OBJECT)

ErPrefetch *
er_prefetch_new (ErClient     *client,
                 ErPrivateKey *key)
{
  ErPrefetch *self = g_object_new (ER_TYPE_PREFETCH, NULL);

  self->client = g_object_ref (client);
  self->key = key != NULL ? er_private_key_ref (key) : NULL;
  return self;
}

void er_prefetch_keep (ErPrefetch *self, ErCase * const *cases, guint n_cases) { }
void er_prefetch_forget (ErPrefetch *self, const char *receipt_id) { }
void er_prefetch_clear (ErPrefetch *self) { }

void
er_prefetch_load_async (ErPrefetch *self, ErCase *kase, ErPhotoKind kind,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  er_photo_load_async (self->client, self->key, er_photo_ref_for (kase, kind), cancellable,
                       callback, user_data);
}

GdkTexture *
er_prefetch_load_finish (ErPrefetch *self, GAsyncResult *result, GError **error)
{
  return er_photo_load_finish (result, error);
}

gboolean er_prefetch_is_ready (ErPrefetch *self, const char *receipt_id, ErPhotoKind kind) { return FALSE; }
guint er_prefetch_get_n_held (ErPrefetch *self) { return 0; }
gsize er_prefetch_get_held_bytes (ErPrefetch *self) { return 0; }

static void
er_prefetch_finalize (GObject *object)
{
  ErPrefetch *self = ER_PREFETCH (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
  G_OBJECT_CLASS (er_prefetch_parent_class)->finalize (object);
}

static void
er_prefetch_class_init (ErPrefetchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = er_prefetch_finalize;
}

static void
er_prefetch_init (ErPrefetch *self)
{
}
