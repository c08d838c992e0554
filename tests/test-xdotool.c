/* test-xdotool.c: keys typed through the X server, as an agent types them. */
#include "config.h"

#include <gdk/x11/gdkx.h>

#include "test-xdotool.h"

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

void
test_xdotool_focus (GtkWindow *window)
{
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                            gtk_native_get_surface (GTK_NATIVE (window))));
  const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

  run (argv);
}

void
test_xdotool_keys_valist (const char *first,
                          va_list     keys)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) "xdotool");
  g_ptr_array_add (argv, (char *) "key");
  g_ptr_array_add (argv, (char *) "--delay");
  g_ptr_array_add (argv, (char *) "30");
  for (const char *key = first; key != NULL; key = va_arg (keys, const char *))
    g_ptr_array_add (argv, (char *) key);
  g_ptr_array_add (argv, NULL);
  run ((const char * const *) argv->pdata);
}

void
test_xdotool_keys (const char *first,
                   ...)
{
  va_list keys;

  va_start (keys, first);
  test_xdotool_keys_valist (first, keys);
  va_end (keys);
}

void
test_xdotool_type (const char *text)
{
  const char *argv[] = { "xdotool", "type", "--delay", "20", text, NULL };

  run (argv);
}
