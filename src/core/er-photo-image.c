/* er-photo-image.c: a decoded photo, preview first, full resolution on
 * demand (er-photo-image.h).
 *
 * The full decode, a smaller preview's and the fitted copy run as GTasks
 * whose callbacks hold only a weak reference to the image: dropping the
 * image cancels them (dispose) and their results are then thrown away.
 */
#include "config.h"

#include <math.h>
#include <string.h>

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
  GdkTexture   *fitted;       /* the copy fitted to fit_box, or NULL */
  GCancellable *fitting;      /* its making under way, or NULL */
  int           fit_size[2];  /* the size fitted or being fitted to, device pixels */
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
         (self->fitted != NULL ? (guint64) gdk_texture_get_width (self->fitted) *
                                 (guint64) gdk_texture_get_height (self->fitted) * 4 : 0) +
         (self->image != NULL ? g_bytes_get_size (self->image) : 0);
}

/* ---- The full decode ---------------------------------------------------- */

/* The weak reference a task's callback holds. */
static GWeakRef *
weak_new (ErPhotoImage *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

/* The image (a new reference) or NULL when it is gone; weak is freed. */
static ErPhotoImage *
weak_steal (gpointer user_data)
{
  GWeakRef *weak = user_data;
  ErPhotoImage *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return self;
}

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
  g_autoptr(ErPhotoImage) self = weak_steal (user_data);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gboolean full = ((Redecode *) g_task_get_task_data (G_TASK (result)))->target == 0;

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

  task = g_task_new (NULL, cancellable, redecode_done, weak_new (self));
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

/* ---- The copy fitted to the pane ---------------------------------------- */

void
er_photo_fit_size (int  width,
                   int  height,
                   int  box_width,
                   int  box_height,
                   int *fit_width,
                   int *fit_height)
{
  double scale;

  g_return_if_fail (fit_width != NULL && fit_height != NULL);

  if (width <= 0 || height <= 0 || box_width <= 0 || box_height <= 0)
    {
      *fit_width = *fit_height = 1;
      return;
    }
  scale = MIN ((double) box_width / width, (double) box_height / height);
  *fit_width = MAX (1, (int) lround (width * scale));
  *fit_height = MAX (1, (int) lround (height * scale));
}

typedef struct {
  GdkTexture *texture;
  int         width;
  int         height;
} Fit;

static void
fit_free (Fit *fit)
{
  g_object_unref (fit->texture);
  g_free (fit);
}

/* A texture of cairo's pixels (premultiplied B, G, R, A; taken). GTK 4.8
 * converts a texture to cairo's layout at every frame, and has a fast path
 * for 3 bytes a pixel but none for its own layout (each pixel through
 * floats): an opaque photo is kept as B, G, R. */
static GdkTexture *
fitted_texture (guint8 *pixels,
                int     width,
                int     height)
{
  gsize n = (gsize) width * height;
  g_autoptr(GBytes) bytes = NULL;
  gboolean opaque = TRUE;

  for (gsize i = 0; i < n && opaque; i++)
    opaque = pixels[i * 4 + 3] == 0xff;
  if (!opaque)
    {
      bytes = g_bytes_new_take (pixels, n * 4);
      return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
    }

  /* In place: each pixel moves down, never over one not yet read. */
  for (gsize i = 0; i < n; i++)
    memmove (pixels + i * 3, pixels + i * 4, 3);
  bytes = g_bytes_new_take (g_realloc (pixels, n * 3), n * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8, bytes, (gsize) width * 3);
}

static void
fit_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Fit *fit = task_data;
  int width = gdk_texture_get_width (fit->texture);
  int height = gdk_texture_get_height (fit->texture);
  gsize stride = (gsize) width * 4;
  gsize fit_stride = (gsize) fit->width * 4;
  ErBlock pixels = { 0 };
  guint8 *out = NULL;
  cairo_surface_t *source, *target;
  cairo_t *cr;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!er_block_alloc (&pixels, stride * height) ||
      (out = g_try_malloc ((gsize) fit->height * fit_stride)) == NULL)
    {
      er_block_clear (&pixels);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Out of memory");
      return;
    }

  /* In cairo's layout (GDK_MEMORY_DEFAULT, premultiplied), to scale. */
  gdk_texture_download (fit->texture, pixels.data, stride);
  source = cairo_image_surface_create_for_data (pixels.data, CAIRO_FORMAT_ARGB32, width, height, stride);
  target = cairo_image_surface_create_for_data (out, CAIRO_FORMAT_ARGB32, fit->width, fit->height,
                                                fit_stride);
  cr = cairo_create (target);
  cairo_scale (cr, (double) fit->width / width, (double) fit->height / height);
  cairo_set_source_surface (cr, source, 0, 0);
  /* GOOD averages the pixels a shrunk photo leaves out (pixman's
   * convolution), where the renderer's bilinear filter would alias. */
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_finish (target);
  cairo_surface_destroy (target);
  cairo_surface_destroy (source);
  er_block_clear (&pixels);

  g_task_return_pointer (task, fitted_texture (out, fit->width, fit->height), g_object_unref);
}

static void
fit_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ErPhotoImage) self = weak_steal (user_data);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->fitting);
  if (texture == NULL)
    {
      /* Drawn scaled from the texture instead, as without the copy. */
      g_debug ("Photo: fitting to %d × %d failed: %s", self->fit_size[0], self->fit_size[1],
               error->message);
      return;
    }
  g_set_object (&self->fitted, texture);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_BYTES]);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/* Whether a side of have pixels can stand for one of want: a few
 * percent off, drawn scaled by the renderer until the exact copy comes. */
static gboolean
is_near (int have,
         int want)
{
  return ABS (have - want) <= MAX (2, want / 25);
}

void
er_photo_image_fit_near (ErPhotoImage *self,
                         int           box_width,
                         int           box_height)
{
  int width, height;

  g_return_if_fail (ER_IS_PHOTO_IMAGE (self));

  if (box_width <= 0 || box_height <= 0)
    return;
  er_photo_fit_size (self->width, self->height, box_width, box_height, &width, &height);
  if (er_photo_image_get_fitted (self, width, height) != NULL ||
      (self->fitting != NULL && is_near (self->fit_size[0], width) &&
       is_near (self->fit_size[1], height)))
    return;
  er_photo_image_fit (self, box_width, box_height);
}

void
er_photo_image_fit (ErPhotoImage *self,
                    int           box_width,
                    int           box_height)
{
  g_autoptr(GTask) task = NULL;
  Fit *fit;
  int width, height;

  g_return_if_fail (ER_IS_PHOTO_IMAGE (self));

  if (box_width <= 0 || box_height <= 0)
    return;
  er_photo_fit_size (self->width, self->height, box_width, box_height, &width, &height);
  /* Another box, the same size of photo (panes differ in height from case
   * to case; a wide photo fits their width). */
  if (self->fitting != NULL && width == self->fit_size[0] && height == self->fit_size[1])
    return;
  if (self->fitting != NULL)
    {
      g_cancellable_cancel (self->fitting);
      g_clear_object (&self->fitting);
    }
  self->fit_size[0] = width;
  self->fit_size[1] = height;
  if (self->fitted != NULL && gdk_texture_get_width (self->fitted) == width &&
      gdk_texture_get_height (self->fitted) == height)
    return;
  if ((gint64) width * height > ER_PHOTO_MAX_FITTED_PIXELS)
    {
      if (self->fitted != NULL)
        {
          g_clear_object (&self->fitted);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_BYTES]);
        }
      return;
    }
  fit = g_new0 (Fit, 1);
  fit->width = width;
  fit->height = height;
  fit->texture = g_object_ref (self->texture);

  self->fitting = g_cancellable_new ();
  task = g_task_new (NULL, self->fitting, fit_done, weak_new (self));
  g_task_set_source_tag (task, er_photo_image_fit);
  g_task_set_name (task, "[er] photo fitted to its pane");
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, fit, (GDestroyNotify) fit_free);
  g_task_run_in_thread (task, fit_thread);
}

GdkTexture *
er_photo_image_get_fitted (ErPhotoImage *self,
                           int           width,
                           int           height)
{
  g_return_val_if_fail (ER_IS_PHOTO_IMAGE (self), NULL);

  if (self->fitted == NULL || !is_near (gdk_texture_get_width (self->fitted), width) ||
      !is_near (gdk_texture_get_height (self->fitted), height))
    return NULL;
  return self->fitted;
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
  if (self->fitting != NULL)
    {
      g_cancellable_cancel (self->fitting);
      g_clear_object (&self->fitting);
    }
  g_clear_pointer (&self->image, g_bytes_unref);
  g_clear_object (&self->texture);
  g_clear_object (&self->fitted);
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
