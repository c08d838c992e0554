/* drag-source.c: a tiny GTK 4 window that offers files to drag.
 *
 * Used by keyboard-test.py (--flow=email) to drop e-mails on the app's
 * window the way a file manager or a mail client does: a GtkDragSource whose
 * content is a GdkFileList (text/uri-list over X11 XDND). The test moves the
 * pointer with xdotool (XTEST): press on this window, move onto the app's
 * window, release.
 *
 * Usage: drag-source FILE...
 *
 * Prints, one line each, flushed:
 *   READY <title>              the window is mapped (find it by its title)
 *   DRAG-BEGIN                 a drag started
 *   DRAG-END <deleted>         it ended (the target accepted it or not)
 *   DRAG-CANCEL <reason>       it was cancelled (0 none, 1 no target, 2 user, 3 error)
 * and runs until killed.
 */
#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

static GSList *files;
static char *title;

static GdkContentProvider *
on_prepare (GtkDragSource *source,
            double         x,
            double         y,
            gpointer       user_data)
{
  return gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       user_data)
{
  printf ("DRAG-BEGIN\n");
  fflush (stdout);
}

static void
on_drag_end (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             gpointer       user_data)
{
  printf ("DRAG-END %d\n", delete_data);
  fflush (stdout);
}

static gboolean
on_drag_cancel (GtkDragSource       *source,
                GdkDrag             *drag,
                GdkDragCancelReason  reason,
                gpointer             user_data)
{
  printf ("DRAG-CANCEL %d\n", reason);
  fflush (stdout);
  return FALSE;
}

static void
on_map (GtkWidget *widget,
        gpointer   user_data)
{
  printf ("READY %s\n", title);
  fflush (stdout);
}

static void
on_activate (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = gtk_application_window_new (app);
  GtkWidget *label = gtk_label_new ("Drag me");
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 160, 160);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare), NULL);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), NULL);
  g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end), NULL);
  g_signal_connect (source, "drag-cancel", G_CALLBACK (on_drag_cancel), NULL);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_vexpand (label, TRUE);
  gtk_window_set_child (GTK_WINDOW (window), label);
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE...\n", argv[0]);
      return 2;
    }
  for (int i = argc - 1; i >= 1; i--)
    files = g_slist_prepend (files, g_file_new_for_commandline_arg (argv[i]));
  title = g_strdup_printf ("Drag source %d", (int) getpid ());

  app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
