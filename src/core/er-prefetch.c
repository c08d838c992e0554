/* er-prefetch.c: photos loaded ahead of time, in memory only.
 *
 * One CaseEntry per kept case, each with a Photo per kind: a texture when
 * held, a GCancellable while its load is under way, and the GTasks of the
 * callers waiting for it. self->kept lists the entries in priority order; the
 * hash table owns them. Loads are er_photo_load_async() (fetch, decrypt,
 * decode in a worker thread); their callbacks hold only a weak reference to
 * the prefetcher and tell a stale load (dropped case, photo loaded again)
 * by its cancellable, which is no longer the photo's.
 *
 * Callers are always answered from an idle: never synchronously inside
 * keep(), forget() or load_async(), and never half-way through a change of
 * the cache, so a callback may call back into the prefetcher.
 */
#include "config.h"

#include "er-block.h"
#include "er-prefetch-private.h"

G_DEFINE_FINAL_TYPE (ErPrefetch, er_prefetch, G_TYPE_OBJECT)

GParamSpec *_er_prefetch_properties[N_PROPS];
#define properties _er_prefetch_properties

/* One load_async() call: where it waits, and its cancellable's handler. */
typedef struct {
  char        *receipt_id;
  ErPhotoKind  kind;
  gulong       cancelled_id;
} WaitData;

/* One er_photo_load_async() call. */
typedef struct {
  GWeakRef      self;
  char         *receipt_id;
  ErPhotoKind   kind;
  GCancellable *cancellable;
} LoadData;


static void
wait_data_free (WaitData *data)
{
  g_free (data->receipt_id);
  g_free (data);
}

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->self);
  g_free (data->receipt_id);
  g_clear_object (&data->cancellable);
  g_free (data);
}


/* ------------------------------------------------------------------------ */
/* Answering callers                                                        */

typedef struct {
  GTask        *task;
  ErPhotoImage *image;
  GError       *error;
} Answer;

static gboolean
answer_cb (gpointer user_data)
{
  Answer *answer = user_data;

  if (answer->image != NULL)
    g_task_return_pointer (answer->task, g_steal_pointer (&answer->image), g_object_unref);
  else
    g_task_return_error (answer->task, g_steal_pointer (&answer->error));
  return G_SOURCE_REMOVE;
}

static void
answer_free (Answer *answer)
{
  g_clear_object (&answer->task);
  g_clear_object (&answer->image);
  g_clear_error (&answer->error);
  g_free (answer);
}

/* Answers task from an idle in its context, with image or error. The
 * task is no longer waiting anywhere: its cancellable is let go. */
static void
answer_later (GTask            *task,
              ErPhotoImage     *image,
              const GError     *error)
{
  WaitData *data = g_task_get_task_data (task);
  Answer *answer = g_new0 (Answer, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  if (data != NULL && data->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
      data->cancelled_id = 0;
    }

  answer->task = g_object_ref (task);
  answer->image = image != NULL ? g_object_ref (image) : NULL;
  answer->error = image == NULL ? g_error_copy (error) : NULL;

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, answer_cb, answer, (GDestroyNotify) answer_free);
  g_source_set_static_name (source, "[er] prefetch answer");
  g_source_attach (source, g_task_get_context (task));
}

/* Answers every caller waiting for photo, and forgets them. */
static void
answer_waiters (Photo        *photo,
                ErPhotoImage *image,
                const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&photo->waiters);

  photo->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    answer_later (g_ptr_array_index (waiters, i), image, error);
}

/* ------------------------------------------------------------------------ */
/* Entries                                                                  */

/* The image goes (its full decode, if any, is cancelled with it); what it
 * took is remembered for the budget. */
void
_er_prefetch_drop_image (Photo *photo)
{
  if (photo->image == NULL)
    return;
  photo->need = er_photo_image_get_held_bytes (photo->image);
  g_signal_handlers_disconnect_matched (photo->image, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        _er_prefetch_on_image_held_bytes, NULL);
  g_clear_object (&photo->image);
  er_block_trim_later ();
}

static CaseEntry *
case_entry_new (ErCase *kase)
{
  CaseEntry *entry = g_new0 (CaseEntry, 1);

  entry->receipt_id = g_strdup (er_case_get_receipt_id (kase));
  entry->kase = g_object_ref (kase);
  for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
    entry->photos[k].waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return entry;
}

/* Cancels the loads, drops the textures and answers the waiting callers
 * with G_IO_ERROR_CANCELLED. */
static void
case_entry_free (CaseEntry *entry)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "Operation was cancelled");

  for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
    {
      Photo *photo = &entry->photos[k];

      if (photo->cancellable != NULL)
        {
          g_cancellable_cancel (photo->cancellable);
          g_clear_object (&photo->cancellable);
        }
      _er_prefetch_drop_image (photo);
      answer_waiters (photo, NULL, cancelled);
      g_clear_pointer (&photo->waiters, g_ptr_array_unref);
    }
  g_debug ("Prefetch: dropped %s", entry->receipt_id);
  g_clear_object (&entry->kase);
  g_free (entry->receipt_id);
  g_free (entry);
}

Photo *
_er_prefetch_lookup_photo (ErPrefetch  *self,
              const char  *receipt_id,
              ErPhotoKind  kind)
{
  CaseEntry *entry = g_hash_table_lookup (self->entries, receipt_id);

  return entry != NULL ? &entry->photos[kind] : NULL;
}

static guint signals[N_SIGNALS];

static void
drop_entry (ErPrefetch *self,
            CaseEntry  *entry)
{
  g_autofree char *receipt_id = g_strdup (entry->receipt_id);

  g_ptr_array_remove (self->kept, entry);
  g_hash_table_remove (self->entries, entry->receipt_id);  /* frees it */
  er_block_trim_later ();
  g_signal_emit (self, signals[SIGNAL_CASE_DROPPED], 0, receipt_id);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */

static void
on_photo_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(ErPrefetch) self = g_weak_ref_get (&data->self);
  g_autoptr(ErPhotoImage) image = NULL;
  g_autoptr(GError) error = NULL;
  CaseEntry *entry;
  Photo *photo;

  image = er_photo_load_image_finish (result, &error);

  if (self == NULL)
    {
      load_data_free (data);
      return;
    }

  g_assert (self->n_loading > 0);
  self->n_loading--;

  entry = g_hash_table_lookup (self->entries, data->receipt_id);
  photo = entry != NULL ? &entry->photos[data->kind] : NULL;
  if (photo != NULL && photo->cancellable == data->cancellable)
    {
      g_clear_object (&photo->cancellable);
      if (image != NULL && !_er_prefetch_is_wanted (self, entry, photo) &&
          _er_prefetch_count_held (self) + er_photo_image_get_held_bytes (image) > self->budget)
        {
          /* Loaded ahead, but over the budget: not kept; loaded again when
           * it fits or is asked for. */
          photo->need = er_photo_image_get_held_bytes (image);
          g_debug ("Prefetch: %s photo %u over budget (%" G_GUINT64_FORMAT " bytes)",
                   data->receipt_id, data->kind, photo->need);
        }
      else if (image != NULL)
        {
          g_debug ("Prefetch: %s photo %u held", data->receipt_id, data->kind);
          photo->image = g_object_ref (image);
          photo->need = 0;
          photo->failed = FALSE;
          g_signal_connect_swapped (image, "notify::held-bytes",
                                    G_CALLBACK (_er_prefetch_on_image_held_bytes), self);
          _er_prefetch_fit (self, image, data->kind);
          answer_waiters (photo, image, NULL);
          g_signal_emit (self, signals[SIGNAL_PHOTO_HELD], 0, data->receipt_id, data->kind, image);
        }
      else
        {
          g_debug ("Prefetch: %s photo %u failed: %s", data->receipt_id, data->kind,
                   error->message);
          photo->failed = TRUE;
          answer_waiters (photo, NULL, error);
        }
    }
  /* else: a load cancelled when its case was dropped; it only held a slot. */

  load_data_free (data);
  _er_prefetch_update_held (self);
  /* What the load and decode used in their thread is free now. */
  er_block_trim_later ();
  if (!self->disposed)
    _er_prefetch_pump (self);
}

static void
start_load (ErPrefetch  *self,
            CaseEntry   *entry,
            ErPhotoKind  kind)
{
  Photo *photo = &entry->photos[kind];
  LoadData *data;

  g_assert (photo->image == NULL && photo->cancellable == NULL);

  photo->cancellable = g_cancellable_new ();
  photo->failed = FALSE;

  data = g_new0 (LoadData, 1);
  g_weak_ref_init (&data->self, self);
  data->receipt_id = g_strdup (entry->receipt_id);
  data->kind = kind;
  data->cancellable = g_object_ref (photo->cancellable);

  self->n_loading++;
  g_debug ("Prefetch: loading %s photo %u (%u under way)", entry->receipt_id, kind,
           self->n_loading);
  er_photo_load_image_async (self->client, self->key, er_photo_ref_for (entry->kase, kind),
                             self->target, photo->cancellable, on_photo_loaded, data);
}

/* Starts prefetch loads, in priority order, up to the limit; loading ahead
 * stops at the first photo that would take the bytes held (and those of the
 * loads under way) past the budget. */
void
_er_prefetch_pump (ErPrefetch *self)
{
  guint64 reserved = _er_prefetch_count_held (self);

  for (guint i = 0; i < self->kept->len; i++)
    {
      CaseEntry *entry = g_ptr_array_index (self->kept, i);

      for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
        {
          Photo *photo = &entry->photos[k];
          gboolean wanted = _er_prefetch_is_wanted (self, entry, photo);

          if (photo->image != NULL || photo->failed)
            continue;
          if (photo->cancellable == NULL)
            {
              if (self->n_loading >= ER_PREFETCH_MAX_LOADS)
                return;
              if (!wanted && !self->target_known)
                {
                  g_debug ("Prefetch: loading ahead waits for the panes' size");
                  return;
                }
              if (!wanted && reserved + _er_prefetch_estimate (self, photo) > self->budget)
                {
                  g_debug ("Prefetch: loading ahead stops at %s (budget)", entry->receipt_id);
                  return;
                }
              start_load (self, entry, k);
            }
          reserved += _er_prefetch_estimate (self, photo);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

ErPrefetch *
er_prefetch_new (ErClient     *client,
                 ErPrivateKey *key)
{
  ErPrefetch *self;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);

  self = g_object_new (ER_TYPE_PREFETCH, NULL);
  self->client = g_object_ref (client);
  self->key = key != NULL ? er_private_key_ref (key) : NULL;
  return self;
}

void
er_prefetch_keep (ErPrefetch     *self,
                  ErCase * const *cases,
                  guint           n_cases)
{
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) dropped = NULL;
  GHashTableIter iter;
  CaseEntry *entry;

  g_return_if_fail (ER_IS_PREFETCH (self));
  g_return_if_fail (cases != NULL || n_cases == 0);

  for (guint i = 0; i < n_cases; i++)
    g_return_if_fail (ER_IS_CASE (cases[i]));

  if (self->disposed)
    return;

  kept = g_ptr_array_sized_new (n_cases);
  for (guint i = 0; i < n_cases; i++)
    {
      const char *receipt_id = er_case_get_receipt_id (cases[i]);

      entry = g_hash_table_lookup (self->entries, receipt_id);
      if (entry == NULL)
        {
          entry = case_entry_new (cases[i]);
          g_hash_table_insert (self->entries, entry->receipt_id, entry);
        }
      else if (g_ptr_array_find (kept, entry, NULL))
        continue;  /* listed twice */
      else
        g_set_object (&entry->kase, cases[i]);
      g_ptr_array_add (kept, entry);
    }

  /* Everything else goes. */
  dropped = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (!g_ptr_array_find (kept, entry, NULL))
      g_ptr_array_add (dropped, entry);

  g_clear_pointer (&self->kept, g_ptr_array_unref);
  self->kept = g_steal_pointer (&kept);
  for (guint i = 0; i < dropped->len; i++)
    drop_entry (self, g_ptr_array_index (dropped, i));

  /* Another case may be first now: what is ahead must fit again. */
  _er_prefetch_trim (self);
  _er_prefetch_pump (self);
}

void
er_prefetch_forget (ErPrefetch *self,
                    const char *receipt_id)
{
  CaseEntry *entry;

  g_return_if_fail (ER_IS_PREFETCH (self));
  g_return_if_fail (receipt_id != NULL);

  entry = g_hash_table_lookup (self->entries, receipt_id);
  if (entry == NULL)
    return;
  drop_entry (self, entry);
  _er_prefetch_update_held (self);
  if (!self->disposed)
    _er_prefetch_pump (self);
}

void
er_prefetch_clear (ErPrefetch *self)
{
  g_return_if_fail (ER_IS_PREFETCH (self));

  g_ptr_array_set_size (self->kept, 0);
  g_hash_table_remove_all (self->entries);
  if (!self->disposed)
    _er_prefetch_update_held (self);
}

/* The caller's cancellable fired (in any thread): answer from the task's
 * context, unless the load has answered meanwhile. */
static gboolean
wait_cancelled_cb (gpointer user_data)
{
  GTask *task = user_data;
  ErPrefetch *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);
  Photo *photo = _er_prefetch_lookup_photo (self, data->receipt_id, data->kind);

  if (photo != NULL && g_ptr_array_find (photo->waiters, task, NULL))
    {
      g_autoptr(GTask) still_waiting = g_object_ref (task);

      g_ptr_array_remove (photo->waiters, task);
      g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
      data->cancelled_id = 0;
      g_task_return_error_if_cancelled (still_waiting);
    }
  return G_SOURCE_REMOVE;
}

static void
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, wait_cancelled_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[er] prefetch wait cancelled");
  g_source_attach (source, g_task_get_context (task));
}

void
er_prefetch_load_async (ErPrefetch          *self,
                        ErCase              *kase,
                        ErPhotoKind          kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *receipt_id;
  CaseEntry *entry;
  WaitData *data;
  Photo *photo;

  g_return_if_fail (ER_IS_PREFETCH (self));
  g_return_if_fail (ER_IS_CASE (kase));
  g_return_if_fail (kind_is_valid (kind));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_prefetch_load_async);
  g_task_set_name (task, "[er] prefetch load");

  /* GTask answers from an idle when this is the iteration that created it. */
  if (g_task_return_error_if_cancelled (task))
    return;

  receipt_id = er_case_get_receipt_id (kase);
  data = g_new0 (WaitData, 1);
  data->receipt_id = g_strdup (receipt_id);
  data->kind = kind;
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);

  entry = g_hash_table_lookup (self->entries, receipt_id);
  if (entry == NULL)
    {
      if (self->disposed)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "Operation was cancelled");
          return;
        }
      /* Somebody waits for it: first in priority. */
      entry = case_entry_new (kase);
      g_hash_table_insert (self->entries, entry->receipt_id, entry);
      g_ptr_array_insert (self->kept, 0, entry);
    }
  else
    g_set_object (&entry->kase, kase);

  photo = &entry->photos[kind];
  if (photo->image != NULL)
    {
      answer_later (task, photo->image, NULL);
      return;
    }

  g_ptr_array_add (photo->waiters, g_object_ref (task));
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_wait_cancelled),
                                                task, NULL);

  /* Asked for: loads now, past the prefetch limit, even after a failure. */
  if (photo->cancellable == NULL)
    start_load (self, entry, kind);
  _er_prefetch_pump (self);
}

GdkTexture *
er_prefetch_load_finish (ErPrefetch    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(ErPhotoImage) image = NULL;

  g_return_val_if_fail (ER_IS_PREFETCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_prefetch_load_async, NULL);

  image = g_task_propagate_pointer (G_TASK (result), error);
  return image != NULL ? g_object_ref (er_photo_image_get_texture (image)) : NULL;
}

ErPhotoImage *
er_prefetch_load_image_finish (ErPrefetch    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (ER_IS_PREFETCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_prefetch_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
er_prefetch_get_n_loading (ErPrefetch *self)
{
  g_return_val_if_fail (ER_IS_PREFETCH (self), 0);

  return self->n_loading;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
er_prefetch_dispose (GObject *object)
{
  ErPrefetch *self = ER_PREFETCH (object);

  self->disposed = TRUE;
  if (self->entries != NULL)
    er_prefetch_clear (self);

  G_OBJECT_CLASS (er_prefetch_parent_class)->dispose (object);
}

static void
er_prefetch_finalize (GObject *object)
{
  ErPrefetch *self = ER_PREFETCH (object);

  g_clear_pointer (&self->kept, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
  G_OBJECT_CLASS (er_prefetch_parent_class)->finalize (object);
}

static void
er_prefetch_class_init (ErPrefetchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = er_prefetch_dispose;
  object_class->finalize = er_prefetch_finalize;
  object_class->get_property = _er_prefetch_get_property;
  object_class->set_property = _er_prefetch_set_property;

  properties[PROP_TARGET_SIZE] =
    g_param_spec_int ("target-size", NULL, NULL, 0, G_MAXINT, ER_PHOTO_DEFAULT_TARGET, rw);
  properties[PROP_BUDGET] =
    g_param_spec_uint64 ("budget", NULL, NULL, 0, G_MAXUINT64, ER_PREFETCH_DEFAULT_BUDGET, rw);
  properties[PROP_HELD_BYTES] =
    g_param_spec_uint64 ("held-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USER_PHOTO_BOX] =
    g_param_spec_boxed ("user-photo-box", NULL, NULL, GDK_TYPE_RECTANGLE, rw);
  properties[PROP_ID_PHOTO_BOX] =
    g_param_spec_boxed ("id-photo-box", NULL, NULL, GDK_TYPE_RECTANGLE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PHOTO_HELD] =
    g_signal_new ("photo-held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, ER_TYPE_PHOTO_IMAGE);
  signals[SIGNAL_CASE_DROPPED] =
    g_signal_new ("case-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
er_prefetch_init (ErPrefetch *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) case_entry_free);
  self->kept = g_ptr_array_new ();
  self->target = ER_PHOTO_DEFAULT_TARGET;
  self->target_known = TRUE;
  self->budget = ER_PREFETCH_DEFAULT_BUDGET;
}
