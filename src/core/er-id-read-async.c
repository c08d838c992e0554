/* er-id-read-async.c: reading an ID photo (er_id_read_photo, in
 * er-id-read-photo.c) in a worker thread: a GTask's for a texture, or one
 * reader thread at a lower priority for an encoded image, decoded there. */
#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "er-id-read.h"
#include "er-photo-image.h"

#define ER_ID_READ_NICE 10

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  ErIdRead *read = er_id_read_photo (task_data, cancellable, &error);

  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, g_object_unref);
}

void
er_id_read_photo_async (GdkTexture          *photo,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GDK_IS_TEXTURE (photo));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_id_read_photo_async);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_task_run_in_thread (task, read_thread);
}

ErIdRead *
er_id_read_photo_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_id_read_photo_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  GBytes     *image;
  GdkTexture *texture;
} ImageData;

static void
image_data_free (ImageData *data)
{
  g_clear_pointer (&data->image, g_bytes_unref);
  g_clear_object (&data->texture);
  g_free (data);
}

static void
read_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ImageData *data = task_data;
  g_autoptr(ErPhotoImage) decoded = NULL;
  GError *error = NULL;
  ErIdRead *read;

  if (data->image != NULL)
    {
      decoded = er_photo_image_decode (data->image, ER_ID_READ_LONG_SIDE, cancellable, &error);
      if (decoded == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  read = er_id_read_photo (decoded != NULL ? er_photo_image_get_texture (decoded) : data->texture,
                           cancellable, &error);
  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, g_object_unref);
}

/* One thread reads IDs, at a low priority (nice 10: about a tenth of a
 * core when the interface or the photos' loads want it too), so that a
 * read never slows the agent's work: the reads are a hint. Not Linux's
 * SCHED_IDLE: on a machine kept busy (a CI run, a compile) it would starve.
 * Tesseract's one engine reads one image at a time anyway (er-ocr.c). */
static void
reader_thread (gpointer data,
               gpointer pool_data)
{
  static GPrivate lowered = G_PRIVATE_INIT (NULL);
  g_autoptr(GTask) task = data;

  if (g_private_get (&lowered) == NULL)
    {
#ifdef __linux__
      /* On Linux, a thread's nice value is its own (its task id). */
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), ER_ID_READ_NICE) != 0)
        g_debug ("ID reads: could not lower their thread's priority");
#endif
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
  if (!g_task_return_error_if_cancelled (task))
    read_image_thread (task, NULL, g_task_get_task_data (task), g_task_get_cancellable (task));
}

static GThreadPool *
reader_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (reader_thread, NULL, 1, TRUE, NULL));
  return pool;
}

void
er_id_read_image_async (GBytes              *image,
                        GdkTexture          *texture,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImageData *data;

  g_return_if_fail (image != NULL || GDK_IS_TEXTURE (texture));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_id_read_image_async);
  data = g_new0 (ImageData, 1);
  data->image = image != NULL ? g_bytes_ref (image) : NULL;
  data->texture = image == NULL ? g_object_ref (texture) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) image_data_free);
  g_thread_pool_push (reader_pool (), g_steal_pointer (&task), NULL);
}

ErIdRead *
er_id_read_image_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_id_read_image_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

