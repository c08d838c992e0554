/* er-photo.c: photo loading — fetch, decrypt, decode — off the main thread.
 *
 * Decoding only ever uses libjpeg (er-photo-jpeg.c) and gdk-pixbuf's PNG
 * and JPEG loaders (the latter for what libjpeg cannot turn into RGB),
 * chosen by the file's magic bytes, never by autodetection: the many other
 * loaders gdk-pixbuf may have installed are not exposed to what a learner
 * uploaded. The pixel count is checked when the header announces the size,
 * before a single row is decoded. Everything stays in memory.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "er-error.h"
#include "er-photo-jpeg.h"
#include "er-photo-private.h"

#define DECODE_CHUNK_SIZE (64 * 1024)

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

static void
set_format_error (GError **error, const char *format)
{
  if (format == NULL)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT,
                           _("This file is not a PNG or JPEG image, so it cannot be shown. "
                             "Ask for the photo again as JPEG or PNG."));
    }
  else if (g_str_equal (format, "HEIC") || g_str_equal (format, "HEIF") ||
           g_str_equal (format, "AVIF"))
    {
      /* TRANSLATORS: %s is an image format name such as HEIC or AVIF. */
      g_set_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT,
                   _("This photo is in %s format, which cannot be shown. Ask for it again as "
                     "JPEG or PNG, or convert it (for example with GIMP or a free tool such as "
                     "“heif-convert”)."), format);
    }
  else if (g_str_equal (format, "PDF"))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT,
                           _("This file is a PDF document, not a photo, so it cannot be shown. "
                             "Ask for the photo again as JPEG or PNG."));
    }
  else if (g_str_equal (format, "HTML") || g_str_equal (format, "XML"))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT,
                           _("The photo storage sent a text document instead of a photo. "
                             "Try again later; if it keeps happening, tell the platform’s "
                             "administrators."));
    }
  else
    {
      /* TRANSLATORS: %s is an image format name such as WebP, GIF or TIFF. */
      g_set_error (error, ER_ERROR, ER_ERROR_IMAGE_FORMAT,
                   _("This photo is in %s format, which cannot be shown. Ask for it again as "
                     "JPEG or PNG, or convert it (for example with GIMP)."), format);
    }
}

void
_er_photo_set_corrupt_error (GError **error)
{
  g_set_error_literal (error, ER_ERROR, ER_ERROR_IMAGE_CORRUPT,
                       _("The photo is damaged and cannot be shown. Ask for it again."));
}

void
_er_photo_set_too_large_error (GError **error,
                               int      width,
                               int      height)
{
  /* TRANSLATORS: the first two %d are the photo's width and height in pixels. */
  g_set_error (error, ER_ERROR, ER_ERROR_IMAGE_TOO_LARGE,
               _("This photo is too large to show (%d × %d pixels; the limit is %d "
                 "megapixels). Ask for a smaller photo."),
               width, height, ER_PHOTO_MAX_PIXELS / 1000000);
}

typedef struct {
  gboolean jpeg;
  int      target;     /* long side wanted, device pixels; 0: all of it */
  gint64   max_pixels; /* held at most (0: no limit) */
  gboolean refused;
  int      width;
  int      height;
  int      denom;      /* libjpeg's scale: 1, 2, 4 or 8 */
  gboolean final;     /* no larger decode will ever be made */
  int      rows_done;  /* how far down the loader has delivered pixels */
} SizeCheck;

/* JPEG (gdk-pixbuf's loader only for what libjpeg cannot turn into RGB):
 * the loader uses libjpeg's scale_denom when asked for a size no smaller
 * than the image divided by it; asked for exactly ⌈w/d⌉ × ⌈h/d⌉, what
 * libjpeg gives, it scales nothing more. */
static void
choose_jpeg_scale (SizeCheck *check)
{
  check->denom = _er_photo_jpeg_scale (check->width, check->height, check->target,
                                       check->max_pixels, &check->final);
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;

  check->width = width;
  check->height = height;
  if (width <= 0 || height <= 0 || (gint64) width * (gint64) height > ER_PHOTO_MAX_PIXELS)
    {
      check->refused = TRUE;
      /* Zero size: the loader stops before allocating or decoding any pixel
       * (what gdk_pixbuf_get_file_info does). */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  if (check->jpeg)
    {
      choose_jpeg_scale (check);
      if (check->denom > 1)
        gdk_pixbuf_loader_set_size (loader, (width + check->denom - 1) / check->denom,
                                    (height + check->denom - 1) / check->denom);
    }
}

/* gdk-pixbuf hands out whatever it decoded of a truncated file, without an
 * error; so count the rows it delivered. */
static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  SizeCheck *check = user_data;

  check->rows_done = MAX (check->rows_done, y + height);
}

/* A PNG's chunks, each within the data, up to IEND: a truncated file has none. */
static gboolean
png_is_complete (const guint8 *data, gsize size)
{
  gsize pos = 8;

  while (pos + 12 <= size)
    {
      guint32 length = ((guint32) data[pos] << 24) | ((guint32) data[pos + 1] << 16) |
                       ((guint32) data[pos + 2] << 8) | data[pos + 3];

      if (length > size - pos - 12)
        return FALSE;
      if (memcmp (data + pos + 4, "IEND", 4) == 0)
        return TRUE;
      pos += 12 + (gsize) length;
    }
  return FALSE;
}

/* The width and height a PNG's header announces (0 when it has none). */
static void
png_header_size (const guint8 *data,
                 gsize         size,
                 gint64       *width,
                 gint64       *height)
{
  *width = *height = 0;
  if (size < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return;
  *width = ((guint32) data[16] << 24) | ((guint32) data[17] << 16) | ((guint32) data[18] << 8) | data[19];
  *height = ((guint32) data[20] << 24) | ((guint32) data[21] << 16) | ((guint32) data[22] << 8) | data[23];
}

/* gdk-pixbuf's PNG loader cannot decode at a smaller size: it decodes every
 * pixel, then scales. An image over the limit held is decoded by one thread
 * at a time, so that only one such full decode is ever in memory. */
static GMutex big_decode_lock;

/* Scales a decoded PNG that is over max_pixels down: to the target's long
 * side when that is smaller (a preview), else to max_pixels (final). */
static GdkPixbuf *
shrink_png (GdkPixbuf *pixbuf,
            SizeCheck *check)
{
  double cap = sqrt ((double) check->max_pixels / ((double) check->width * check->height));
  double factor = cap;
  int long_side = MAX (check->width, check->height);
  GdkPixbuf *small;

  if (check->target > 0 && (double) check->target / long_side < cap)
    factor = (double) check->target / long_side;
  check->final = factor == cap;
  small = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) (check->width * factor)),
                                   MAX (1, (int) (check->height * factor)), GDK_INTERP_BILINEAR);
  if (small != NULL)
    gdk_pixbuf_copy_options (pixbuf, small);  /* the orientation */
  return small;
}

/* Decodes image, a PNG or JPEG within ER_PHOTO_MAX_BYTES, with gdk-pixbuf's
 * loader for format, for a screen whose long side is target device pixels
 * (0: all of it), holding at most max_pixels (0: no limit). Returns the
 * pixbuf, orientation applied; *result the photo's own size, upright, and
 * whether no larger decode will ever be made. */
static GdkPixbuf *
decode_pixbuf (GBytes        *image,
               const char    *format,
               GCancellable  *cancellable,
               int            target,
               gint64         max_pixels,
               ErPhotoDecoded *result,
               GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) shrunk = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMutexLocker) big_locker = NULL;
  SizeCheck check = { FALSE, target, max_pixels, FALSE, 0, 0, 1, TRUE, 0 };
  const guint8 *data;
  const char *orientation;
  gsize size, pos;
  gboolean failed = FALSE;
  GdkPixbuf *pixbuf;

  data = g_bytes_get_data (image, &size);
  check.jpeg = g_str_equal (format, "JPEG");
  if (!check.jpeg && max_pixels > 0)
    {
      gint64 png_width, png_height;

      png_header_size (data, size, &png_width, &png_height);
      if (png_width * png_height > max_pixels)
        big_locker = g_mutex_locker_new (&big_decode_lock);
    }

  loader = gdk_pixbuf_loader_new_with_type (check.jpeg ? "jpeg" : "png", &local_error);
  if (loader == NULL)
    {
      g_warning ("No gdk-pixbuf loader for %s: %s", format, local_error->message);
      set_format_error (error, format);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &check);

  for (pos = 0; pos < size && !check.refused; pos += DECODE_CHUNK_SIZE)
    {
      gsize chunk = MIN (DECODE_CHUNK_SIZE, size - pos);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gdk_pixbuf_loader_close (loader, NULL);
          return NULL;
        }
      if (!gdk_pixbuf_loader_write (loader, data + pos, chunk, &local_error))
        {
          failed = TRUE;
          break;
        }
    }

  /* Closing a loader that failed or was stopped reports an error we already know of. */
  if (!gdk_pixbuf_loader_close (loader, failed || check.refused ? NULL : &local_error))
    failed = TRUE;

  if (check.refused)
    {
      if (check.width <= 0 || check.height <= 0)
        {
          _er_photo_set_corrupt_error (error);
          return NULL;
        }
      _er_photo_set_too_large_error (error, check.width, check.height);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (failed || pixbuf == NULL || check.rows_done < gdk_pixbuf_get_height (pixbuf) ||
      !(check.jpeg ? _er_photo_jpeg_is_complete (data, size) : png_is_complete (data, size)))
    {
      g_debug ("%s photo does not decode: %s (%d of %d rows)", format,
               local_error != NULL ? local_error->message : "incomplete",
               check.rows_done, pixbuf != NULL ? gdk_pixbuf_get_height (pixbuf) : -1);
      _er_photo_set_corrupt_error (error);
      return NULL;
    }

  if (!check.jpeg && max_pixels > 0 && (gint64) check.width * check.height > max_pixels)
    {
      shrunk = shrink_png (pixbuf, &check);
      /* The full decode goes now, before another may start. */
      g_clear_object (&loader);
      g_clear_pointer (&big_locker, g_mutex_locker_free);
      pixbuf = shrunk;
      if (pixbuf == NULL)
        {
          _er_photo_set_corrupt_error (error);
          return NULL;
        }
    }

  orientation = gdk_pixbuf_get_option (pixbuf, "orientation");
  result->final = check.final;
  if (orientation != NULL && (g_str_equal (orientation, "5") || g_str_equal (orientation, "6") ||
                              g_str_equal (orientation, "7") || g_str_equal (orientation, "8")))
    {
      result->width = check.height;
      result->height = check.width;
    }
  else
    {
      result->width = check.width;
      result->height = check.height;
    }

  pixbuf = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (pixbuf == NULL)
    _er_photo_set_corrupt_error (error);
  return pixbuf;
}

/* Decodes image for a screen whose long side is target device pixels (0:
 * all of it), holding at most max_pixels (0: no limit): a JPEG with libjpeg
 * (er-photo-jpeg.c), a PNG (or a JPEG libjpeg cannot turn into RGB) with
 * gdk-pixbuf. Returns the texture, orientation applied; *result as
 * decode_pixbuf()'s. */
static GdkTexture *
decode_for (GBytes         *image,
            GCancellable   *cancellable,
            int             target,
            gint64          max_pixels,
            ErPhotoDecoded *result,
            GError        **error)
{
  g_autoptr(GdkPixbuf) upright = NULL;
  const char *format;

  if (g_bytes_get_size (image) > ER_PHOTO_MAX_BYTES)
    {
      g_autofree char *limit = er_format_size_limit (ER_PHOTO_MAX_BYTES);

      /* TRANSLATORS: %s is a size limit, e.g. "25 MB". */
      g_set_error (error, ER_ERROR, ER_ERROR_PHOTO_TOO_LARGE,
                   _("This photo file is larger than %s and will not be opened. "
                     "Ask for a smaller photo."), limit);
      return NULL;
    }

  format = er_photo_sniff_format (image);
  if (format == NULL || !(g_str_equal (format, "PNG") || g_str_equal (format, "JPEG")))
    {
      set_format_error (error, format);
      return NULL;
    }

  if (g_str_equal (format, "JPEG"))
    {
      gboolean unsupported;
      GdkTexture *texture = _er_photo_jpeg_decode (image, cancellable, target, max_pixels,
                                                   result, &unsupported, error);

      if (!unsupported)
        return texture;
    }

  upright = decode_pixbuf (image, format, cancellable, target, max_pixels, result, error);
  if (upright == NULL)
    return NULL;
  /* A GdkMemoryTexture sharing the pixbuf's pixels; no display needed. */
  return gdk_texture_new_for_pixbuf (upright);
}

static GdkTexture *
decode (GBytes *image, GCancellable *cancellable, GError **error)
{
  ErPhotoDecoded result;

  return decode_for (image, cancellable, 0, 0, &result, error);
}

GdkTexture *
_er_photo_decode_for (GBytes         *image,
                      GCancellable   *cancellable,
                      int             target,
                      ErPhotoDecoded *result,
                      GError        **error)
{
  return decode_for (image, cancellable, target, ER_PHOTO_MAX_HELD_PIXELS, result, error);
}

GdkTexture *
er_photo_decode (GBytes *image, GError **error)
{
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode (image, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */

/* What a load gives: er_photo_load_async()'s texture, er_photo_load_image_async()'s
 * ErPhotoImage (for target), er_photo_hash_async()'s fingerprint. */
typedef enum {
  WANT_TEXTURE,
  WANT_IMAGE,
  WANT_HASH,
} Want;

typedef struct {
  ErPrivateKey *key;
  ErPhotoRef   *ref;
  ErSecretBuffer *body;
  int           target;
  Want          want;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->key, er_private_key_unref);
  g_clear_pointer (&data->ref, er_photo_ref_free);
  g_clear_pointer (&data->body, er_secret_buffer_free);
  g_free (data);
}

/* Base64 text (what an encrypted body looks like), judged on its start. */
static gboolean
looks_like_base64 (GBytes *bytes)
{
  gsize size;
  const char *text = g_bytes_get_data (bytes, &size);
  gsize n = MIN (size, 256);
  gsize letters = 0;

  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/' || c == '-' || c == '_' || c == '=')
        letters++;
      else if (!g_ascii_isspace (c))
        return FALSE;
    }
  return letters >= 16;
}

/* The image bytes of data->body: decrypted when the photo has a key. NULL
 * when the task got its error. */
static GBytes *
image_bytes (GTask    *task,
             LoadData *data)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;

  if (data->ref->key != NULL)
    {
      /* Decrypted in place: the body's bytes become the image's. */
      image = er_crypto_decrypt_photo_buffer (data->key, data->ref->key,
                                              g_steal_pointer (&data->body), &error);
      if (image == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return NULL;
        }
      return g_steal_pointer (&image);
    }

  image = er_secret_buffer_free_to_bytes (g_steal_pointer (&data->body));
  if (er_photo_sniff_format (image) == NULL && looks_like_base64 (image))
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_IMAGE_FORMAT, "%s",
                               _("This photo looks encrypted, but the platform sent no "
                                 "key for it, so it cannot be shown. Tell the platform’s "
                                 "administrators."));
      return NULL;
    }
  return g_steal_pointer (&image);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;
  if ((image = image_bytes (task, data)) == NULL)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;

  switch (data->want)
    {
    case WANT_HASH:
      /* The image bytes are wiped as image goes, right after. */
      g_task_return_pointer (task, g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image), g_free);
      return;

    case WANT_IMAGE:
      {
        ErPhotoImage *decoded = er_photo_image_decode (image, data->target, cancellable, &error);

        g_clear_pointer (&image, g_bytes_unref);
        if (decoded == NULL)
          g_task_return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, decoded, g_object_unref);
        return;
      }

    case WANT_TEXTURE:
    default:
      texture = decode (image, cancellable, &error);
      g_clear_pointer (&image, g_bytes_unref);
      if (texture == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, texture, g_object_unref);
      return;
    }
}

static void
on_photo_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ErSecretBuffer *body;

  body = er_client_fetch_photo_finish_buffer (ER_CLIENT (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->body = body;
  g_task_run_in_thread (task, load_thread);
}

const ErPhotoRef *
er_photo_ref_for (ErCase      *kase,
                  ErPhotoKind  kind)
{
  g_return_val_if_fail (ER_IS_CASE (kase), NULL);

  return kind == ER_PHOTO_USER ? er_case_get_user_photo (kase) : er_case_get_photo_id (kase);
}

static void
load_async (ErClient            *client,
            ErPrivateKey        *key,
            const ErPhotoRef    *ref,
            int                  target,
            Want                 want,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (ER_IS_CLIENT (client));
  g_return_if_fail (ref != NULL && ref->url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, want == WANT_HASH ? "[er] hash photo" : "[er] load photo");

  /* No key, nothing to decrypt with: say so without downloading anything. */
  if (ref->key != NULL && key == NULL)
    {
      g_task_return_new_error (task, ER_ERROR, ER_ERROR_CRYPTO, "%s",
                               _("No verification key is loaded, so this encrypted photo "
                                 "cannot be shown. Load the platform’s verification key "
                                 "and try again."));
      return;
    }

  data = g_new0 (LoadData, 1);
  data->key = key != NULL ? er_private_key_ref (key) : NULL;
  data->ref = er_photo_ref_copy (ref);
  data->target = target;
  data->want = want;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  er_client_fetch_photo_async (client, ref->url, ER_PHOTO_MAX_BYTES, cancellable,
                               on_photo_fetched, g_steal_pointer (&task));
}

void
er_photo_load_async (ErClient            *client,
                     ErPrivateKey        *key,
                     const ErPhotoRef    *ref,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  load_async (client, key, ref, 0, WANT_TEXTURE, er_photo_load_async, cancellable,
              callback, user_data);
}

void
er_photo_load_image_async (ErClient            *client,
                           ErPrivateKey        *key,
                           const ErPhotoRef    *ref,
                           int                  target,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (target >= 0);
  load_async (client, key, ref, target, WANT_IMAGE, er_photo_load_image_async, cancellable,
              callback, user_data);
}

ErPhotoImage *
er_photo_load_image_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_photo_load_image_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GdkTexture *
er_photo_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_photo_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Fingerprints                                                             */

void
er_photo_hash_async (ErClient            *client,
                     ErPrivateKey        *key,
                     const ErPhotoRef    *ref,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  load_async (client, key, ref, 0, WANT_HASH, er_photo_hash_async, cancellable,
              callback, user_data);
}

char *
er_photo_hash_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_photo_hash_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
