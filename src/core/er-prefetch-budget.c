/* er-prefetch-budget.c: the memory budget of the photos held, the size
 * they are decoded for, and the prefetcher's properties (er-prefetch.h).
 */
#include "config.h"

#include "er-prefetch-private.h"

#define properties _er_prefetch_properties

/* ------------------------------------------------------------------------ */
/* The memory budget                                                        */

/* The open case (first kept) and photos somebody waits for load whatever
 * the budget; the others are loads ahead. */
gboolean
_er_prefetch_is_wanted (ErPrefetch *self,
           CaseEntry  *entry,
           Photo      *photo)
{
  return (self->kept->len > 0 && g_ptr_array_index (self->kept, 0) == entry) ||
         photo->waiters->len > 0;
}

guint64
_er_prefetch_count_held (ErPrefetch *self)
{
  guint64 bytes = 0;

  for (guint i = 0; i < self->kept->len; i++)
    {
      CaseEntry *entry = g_ptr_array_index (self->kept, i);

      for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
        if (entry->photos[k].image != NULL)
          bytes += er_photo_image_get_held_bytes (entry->photos[k].image);
    }
  return bytes;
}

void
_er_prefetch_update_held (ErPrefetch *self)
{
  guint64 bytes = _er_prefetch_count_held (self);

  if (bytes == self->held_bytes)
    return;
  self->held_bytes = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_BYTES]);
}

/* What a photo not held yet will take: what it took last time, else a
 * preview of the target's size (4:3, 4 bytes a pixel). */
guint64
_er_prefetch_estimate (ErPrefetch *self,
          Photo      *photo)
{
  if (photo->need > 0)
    return photo->need;
  return (guint64) self->target * (guint64) self->target * 3;
}

/* Over the budget (the open case's full decode came): photos held ahead go,
 * the last in priority first. */
void
_er_prefetch_trim (ErPrefetch *self)
{
  guint64 held = _er_prefetch_count_held (self);

  for (guint i = self->kept->len; i > 0 && held > self->budget; i--)
    {
      CaseEntry *entry = g_ptr_array_index (self->kept, i - 1);

      for (guint k = G_N_ELEMENTS (entry->photos); k > 0 && held > self->budget; k--)
        {
          Photo *photo = &entry->photos[k - 1];

          if (photo->image == NULL || _er_prefetch_is_wanted (self, entry, photo))
            continue;
          held -= er_photo_image_get_held_bytes (photo->image);
          g_debug ("Prefetch: %s photo %u let go (over budget)", entry->receipt_id, k - 1);
          _er_prefetch_drop_image (photo);
        }
    }
  _er_prefetch_update_held (self);
}

void
_er_prefetch_on_image_held_bytes (ErPrefetch *self)
{
  _er_prefetch_trim (self);
  if (!self->disposed)
    _er_prefetch_pump (self);
}

gboolean
er_prefetch_is_ready (ErPrefetch  *self,
                      const char  *receipt_id,
                      ErPhotoKind  kind)
{
  Photo *photo;

  g_return_val_if_fail (ER_IS_PREFETCH (self), FALSE);
  g_return_val_if_fail (receipt_id != NULL, FALSE);
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  photo = _er_prefetch_lookup_photo (self, receipt_id, kind);
  return photo != NULL && photo->image != NULL;
}

gboolean
er_prefetch_is_loading (ErPrefetch  *self,
                        const char  *receipt_id,
                        ErPhotoKind  kind)
{
  Photo *photo;

  g_return_val_if_fail (ER_IS_PREFETCH (self), FALSE);
  g_return_val_if_fail (receipt_id != NULL, FALSE);
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  photo = _er_prefetch_lookup_photo (self, receipt_id, kind);
  return photo != NULL && photo->cancellable != NULL;
}

guint
er_prefetch_get_n_held (ErPrefetch *self)
{
  guint n = 0;

  g_return_val_if_fail (ER_IS_PREFETCH (self), 0);

  for (guint i = 0; i < self->kept->len; i++)
    {
      CaseEntry *entry = g_ptr_array_index (self->kept, i);

      for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
        n += entry->photos[k].image != NULL;
    }
  return n;
}

gsize
er_prefetch_get_held_bytes (ErPrefetch *self)
{
  g_return_val_if_fail (ER_IS_PREFETCH (self), 0);

  return _er_prefetch_count_held (self);
}

void
er_prefetch_set_target_size (ErPrefetch *self,
                             int         target)
{
  g_return_if_fail (ER_IS_PREFETCH (self));
  g_return_if_fail (target >= 0);

  /* 0: the panes are not laid out yet. The open case cannot wait, and is
   * decoded for the default; loading ahead waits for the real size (a
   * 12 MP photo decoded for 1024 pixels holds 16 times what it needs in a
   * 500-pixel pane). */
  self->target_known = target > 0;
  if (target == 0)
    target = ER_PHOTO_DEFAULT_TARGET;
  if (target != self->target)
    {
      g_debug ("Prefetch: photos decoded for %d pixels from now on", target);
      self->target = target;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_SIZE]);
    }
  if (self->target_known && !self->disposed)
    {
      /* Photos decoded for a larger screen (the default, before the panes
       * were laid out) are decoded again for this one, in the background. */
      for (guint i = 0; i < self->kept->len; i++)
        {
          CaseEntry *entry = g_ptr_array_index (self->kept, i);

          for (guint k = 0; k < G_N_ELEMENTS (entry->photos); k++)
            if (entry->photos[k].image != NULL && er_photo_image_reduce (entry->photos[k].image, target))
              g_debug ("Prefetch: %s photo %u decoded again for %d pixels", entry->receipt_id, k, target);
        }
      _er_prefetch_pump (self);
    }
}

int
er_prefetch_get_target_size (ErPrefetch *self)
{
  g_return_val_if_fail (ER_IS_PREFETCH (self), ER_PHOTO_DEFAULT_TARGET);
  return self->target;
}

void
_er_prefetch_fit (ErPrefetch   *self,
                  ErPhotoImage *image,
                  ErPhotoKind   kind)
{
  const GdkRectangle *box = &self->boxes[kind];

  /* A case's pane differs a little from the one open (the lines above
   * it): near is enough here; the viewer has it made exact once shown. */
  if (box->width > 0 && box->height > 0)
    er_photo_image_fit_near (image, box->width, box->height);
}

void
er_prefetch_set_photo_box (ErPrefetch         *self,
                           ErPhotoKind         kind,
                           const GdkRectangle *box)
{
  GdkRectangle size = { 0 };

  g_return_if_fail (ER_IS_PREFETCH (self));
  g_return_if_fail (kind_is_valid (kind));

  if (box != NULL)
    {
      size.width = MAX (box->width, 0);
      size.height = MAX (box->height, 0);
    }
  if (size.width == self->boxes[kind].width && size.height == self->boxes[kind].height)
    return;

  self->boxes[kind] = size;
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[kind == ER_PHOTO_USER ? PROP_USER_PHOTO_BOX : PROP_ID_PHOTO_BOX]);
  if (self->disposed)
    return;
  for (guint i = 0; i < self->kept->len; i++)
    {
      CaseEntry *entry = g_ptr_array_index (self->kept, i);

      if (entry->photos[kind].image != NULL)
        _er_prefetch_fit (self, entry->photos[kind].image, kind);
    }
}

void
er_prefetch_set_budget (ErPrefetch *self,
                        guint64     budget)
{
  g_return_if_fail (ER_IS_PREFETCH (self));

  if (budget == self->budget)
    return;
  self->budget = budget;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
  _er_prefetch_trim (self);
  if (!self->disposed)
    _er_prefetch_pump (self);
}

guint64
er_prefetch_get_budget (ErPrefetch *self)
{
  g_return_val_if_fail (ER_IS_PREFETCH (self), 0);
  return self->budget;
}

void
_er_prefetch_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ErPrefetch *self = ER_PREFETCH (object);

  switch (prop_id)
    {
    case PROP_TARGET_SIZE:
      g_value_set_int (value, self->target);
      break;
    case PROP_BUDGET:
      g_value_set_uint64 (value, self->budget);
      break;
    case PROP_HELD_BYTES:
      g_value_set_uint64 (value, self->held_bytes);
      break;
    case PROP_USER_PHOTO_BOX:
      g_value_set_boxed (value, &self->boxes[ER_PHOTO_USER]);
      break;
    case PROP_ID_PHOTO_BOX:
      g_value_set_boxed (value, &self->boxes[ER_PHOTO_ID]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
_er_prefetch_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ErPrefetch *self = ER_PREFETCH (object);

  switch (prop_id)
    {
    case PROP_TARGET_SIZE:
      er_prefetch_set_target_size (self, g_value_get_int (value));
      break;
    case PROP_BUDGET:
      er_prefetch_set_budget (self, g_value_get_uint64 (value));
      break;
    case PROP_USER_PHOTO_BOX:
      er_prefetch_set_photo_box (self, ER_PHOTO_USER, g_value_get_boxed (value));
      break;
    case PROP_ID_PHOTO_BOX:
      er_prefetch_set_photo_box (self, ER_PHOTO_ID, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

