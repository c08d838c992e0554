/* test-xdotool.c: keys typed and the pointer moved through the X server,
 * as an agent types and moves it. */
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

void
test_xdotool_pointer (GtkWidget *widget,
                      double     x,
                      double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double surface_x, surface_y;
  g_autofree char *xid = NULL;
  g_autofree char *px = NULL;
  g_autofree char *py = NULL;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  px = g_strdup_printf ("%d", (int) (point.x + surface_x + 0.5));
  py = g_strdup_printf ("%d", (int) (point.y + surface_y + 0.5));
  {
    const char *argv[] = { "xdotool", "mousemove", "--window", xid, px, py, NULL };

    run (argv);
  }
}

void
test_xdotool_pointer_away (void)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;
  g_autofree char *px = NULL;
  g_autofree char *py = NULL;

  gdk_monitor_get_geometry (monitor, &geometry);
  px = g_strdup_printf ("%d", geometry.x + geometry.width - 1);
  py = g_strdup_printf ("%d", geometry.y + geometry.height - 1);
  {
    const char *argv[] = { "xdotool", "mousemove", px, py, NULL };

    run (argv);
  }
}

void
test_xdotool_click (int button)
{
  g_autofree char *b = g_strdup_printf ("%d", button);
  const char *argv[] = { "xdotool", "click", b, NULL };

  run (argv);
}

void
test_xdotool_button (int      button,
                     gboolean down)
{
  g_autofree char *b = g_strdup_printf ("%d", button);
  const char *argv[] = { "xdotool", down ? "mousedown" : "mouseup", b, NULL };

  run (argv);
}
