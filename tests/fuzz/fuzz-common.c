/* fuzz-common.c: shared by the fuzz targets (see fuzz-common.h). */
#include "fuzz-common.h"

#include <stdlib.h>

static void
log_handler (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_printerr ("%s: %s\n", log_domain != NULL ? log_domain : "(none)", message);
      abort ();
    }
}

void
fuzz_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_default_handler (log_handler, NULL);
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
      g_once_init_leave (&done, 1);
    }
}

const char *
fuzz_vectors_dir (void)
{
  const char *dir = g_getenv ("ER_TEST_VECTORS");

  return dir != NULL && *dir != '\0' ? dir : FUZZ_VECTORS_DIR;
}

char *
fuzz_read_vector (const char *name,
                  gsize      *length)
{
  g_autofree char *path = g_build_filename (fuzz_vectors_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &error))
    {
      g_printerr ("fuzz: %s\n", error->message);
      abort ();
    }
  return contents;
}
