/* test-async.c: waiting for one async result in a test. */
#include "config.h"

#include <glib/gstdio.h>

#include "test-async.h"

void
test_async_store (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
test_async_wait (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

gboolean
test_wait_for (gboolean (*condition) (gpointer data),
               gpointer   data,
               guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (guint turn = 0; ; turn++)
    {
      if (turn % 10 == 0 && condition (data))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
test_async_stop_threads (void)
{
  gint64 start = g_get_monotonic_time ();

  /* Idle pool threads become unused after half a second: wait one. */
  g_thread_pool_set_max_unused_threads (0);
  do
    {
      g_main_context_iteration (NULL, FALSE);
      g_thread_pool_stop_unused_threads ();
      g_usleep (10 * 1000);
    }
  while (g_get_monotonic_time () - start < G_USEC_PER_SEC ||
         (g_thread_pool_get_num_unused_threads () > 0 &&
          g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC));
}
