/* er-photo-image.c: a decoded photo, preview first, full resolution on
 * demand (er-photo-image.h).
 *
 * The full decode runs as a GTask whose callback holds only a weak reference
 * to the image: dropping the image cancels it (dispose) and its result is
 * then thrown away.
 */
#include "config.h"

#include "er-block.h"
#include "er-photo-image.h"
#include "er-photo-private.h"
#include "er-photo.h"

struct _ErPhotoImage
{
  GObject       parent_instance;

  GdkTexture   *texture;
  int           width;
  int           height;
  GBytes       *image;        /* kept for the full decode; NULL once final */
  GCancellable *cancellable;  /* the full decode under way, or NULL */
  GCancellable *reducing;     /* a smaller preview's decode under way, or NULL */
};

static void er_photo_image_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ErPhotoImage, er_photo_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      er_photo_image_paintable_init))

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_FINAL,
  PROP_HELD_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

ErPhotoImage *
er_photo_image_decode (GBytes        *image,
                       int            target,
                       GCancellable  *cancellable,
                       GError       **error)
{
  ErPhotoDecoded decoded;
  GdkTexture *texture;
  ErPhotoImage *self;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (target >= 0, NULL);

  texture = _er_photo_decode_for (image, cancellable, target, &decoded, error);
  if (texture == NULL)
    return NULL;

  self = g_object_new (ER_TYPE_PHOTO_IMAGE, NULL);
  self->texture = texture;
  self->width = decoded.width;
  self->height = decoded.height;
  if (!decoded.final)
    self->image = g_bytes_ref (image);
  return self;
}

GBytes *
er_photo_image_ref_bytes (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), NULL);
  return self->image != NULL ? g_bytes_ref (self->image) : NULL;
}

GdkTexture *
er_photo_image_get_texture (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), NULL);
  return self->texture;
}

int
er_photo_image_get_width (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), 0);
  return self->width;
}

int
er_photo_image_get_height (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), 0);
  return self->height;
}

double
er_photo_image_get_scale (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), 1.0);
  /* The texture is upright too: widths go together. */
  return (double) gdk_texture_get_width (self->texture) / self->width;
}

gboolean
er_photo_image_get_final (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), TRUE);
  return self->image == NULL;
}

gboolean
er_photo_image_get_loading (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), FALSE);
  return self->cancellable != NULL;
}

guint64
er_photo_image_get_held_bytes (ErPhotoImage *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), 0);

  return (guint64) gdk_texture_get_width (self->texture) *
         (guint64) gdk_texture_get_height (self->texture) * 4 +
         (self->image != NULL ? g_bytes_get_size (self->image) : 0);
}

/* ---- The full decode ---------------------------------------------------- */

typedef struct {
  GBytes *image;
  int     target;   /* 0: the full resolution */
} Redecode;

static void
redecode_free (Redecode *redecode)
{
  g_bytes_unref (redecode->image);
  g_free (redecode);
}

static void
full_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Redecode *redecode = task_data;
  ErPhotoDecoded decoded;
  GError *error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;
  texture = _er_photo_decode_for (redecode->image, cancellable, redecode->target, &decoded, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/* A decode again has come: the full resolution (the bytes go, the image is
 * final) or a smaller preview (the bytes stay). Either way, nothing moves
 * on screen: the photo's size is the image's own. */
static void
redecode_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(ErPhotoImage) self = g_weak_ref_get (weak);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gboolean full = ((Redecode *) g_task_get_task_data (G_TASK (result)))->target == 0;

  g_weak_ref_clear (weak);
  g_free (weak);

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (full ? &self->cancellable : &self->reducing);
  /* Decoded once already: an error here is of no use to anyone but the log;
   * the preview stays. */
  if (texture == NULL)
    g_debug ("Photo: decoding again (%s) failed: %s", full ? "full" : "smaller", error->message);
  else
    g_set_object (&self->texture, texture);
  if (full)
    g_clear_pointer (&self->image, g_bytes_unref);
  else if (texture == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (texture != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
  if (full)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_BYTES]);
  g_object_thaw_notify (G_OBJECT (self));
  if (texture != NULL)
    gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  /* The texture replaced, and the decode's own memory, are free now. */
  er_block_trim_later ();
}

static void
start_redecode (ErPhotoImage *self,
                GCancellable *cancellable,
                int           target)
{
  g_autoptr(GTask) task = NULL;
  Redecode *redecode = g_new0 (Redecode, 1);
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, cancellable, redecode_done, weak);
  g_task_set_source_tag (task, start_redecode);
  g_task_set_name (task, target == 0 ? "[er] full photo decode" : "[er] smaller photo decode");
  /* After the previews and the answers waiting in the main loop. */
  g_task_set_priority (task, G_PRIORITY_LOW);
  redecode->image = g_bytes_ref (self->image);
  redecode->target = target;
  g_task_set_task_data (task, redecode, (GDestroyNotify) redecode_free);
  g_task_run_in_thread (task, full_thread);
}

void
er_photo_image_load_full (ErPhotoImage *self)
{
  g_return_if_fail (ER_IS_PHOTO_IMAGE (self));

  if (self->image == NULL || self->cancellable != NULL)
    return;

  /* The full resolution makes a smaller preview pointless. */
  if (self->reducing != NULL)
    {
      g_cancellable_cancel (self->reducing);
      g_clear_object (&self->reducing);
    }
  self->cancellable = g_cancellable_new ();
  start_redecode (self, self->cancellable, 0);
}

gboolean
er_photo_image_reduce (ErPhotoImage *self,
                       int           target)
{
  int long_side;

  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), FALSE);
  g_return_val_if_fail (target > 0, FALSE);

  if (self->image == NULL || self->cancellable != NULL || self->reducing != NULL)
    return FALSE;
  /* A JPEG's previews are libjpeg's halves, down to 1/8: a smaller one
   * still covers target when the texture's long side is twice it. */
  long_side = MAX (gdk_texture_get_width (self->texture), gdk_texture_get_height (self->texture));
  if (g_strcmp0 (er_photo_sniff_format (self->image), "JPEG") != 0 || long_side < 2 * target ||
      long_side <= (MAX (self->width, self->height) + 7) / 8)
    return FALSE;

  self->reducing = g_cancellable_new ();
  start_redecode (self, self->reducing, target);
  return TRUE;
}

/* ---- GdkPaintable ------------------------------------------------------- */

static void
er_photo_image_snapshot (GdkPaintable *paintable,
                         GdkSnapshot  *snapshot,
                         double        width,
                         double        height)
{
  ErPhotoImage *self = ER_PHOTO_IMAGE (paintable);

  gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static int
er_photo_image_get_intrinsic_width (GdkPaintable *paintable)
{
  return ER_PHOTO_IMAGE (paintable)->width;
}

static int
er_photo_image_get_intrinsic_height (GdkPaintable *paintable)
{
  return ER_PHOTO_IMAGE (paintable)->height;
}

static GdkPaintableFlags
er_photo_image_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE;
}

static void
er_photo_image_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = er_photo_image_snapshot;
  iface->get_intrinsic_width = er_photo_image_get_intrinsic_width;
  iface->get_intrinsic_height = er_photo_image_get_intrinsic_height;
  iface->get_flags = er_photo_image_get_flags;
}

/* ---- GObject ------------------------------------------------------------ */

static void
er_photo_image_dispose (GObject *object)
{
  ErPhotoImage *self = ER_PHOTO_IMAGE (object);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->reducing != NULL)
    {
      g_cancellable_cancel (self->reducing);
      g_clear_object (&self->reducing);
    }
  g_clear_pointer (&self->image, g_bytes_unref);
  g_clear_object (&self->texture);
  G_OBJECT_CLASS (er_photo_image_parent_class)->dispose (object);
}

static void
er_photo_image_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ErPhotoImage *self = ER_PHOTO_IMAGE (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_FINAL:
      g_value_set_boolean (value, er_photo_image_get_final (self));
      break;
    case PROP_HELD_BYTES:
      g_value_set_uint64 (value, er_photo_image_get_held_bytes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_image_class_init (ErPhotoImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = er_photo_image_dispose;
  object_class->get_property = er_photo_image_get_property;

  properties[PROP_TEXTURE] = g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE, ro);
  properties[PROP_FINAL] = g_param_spec_boolean ("final", NULL, NULL, TRUE, ro);
  properties[PROP_HELD_BYTES] = g_param_spec_uint64 ("held-bytes", NULL, NULL,
                                                     0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_photo_image_init (ErPhotoImage *self)
{
}
