/* main.c: entry point of EDUlib Reviewer. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/stat.h>

#include "er-application.h"
#include "er-renderer.h"

int
main (int argc, char *argv[])
{
  g_autoptr(ErApplication) app = NULL;
  const char *localedir;

  /* Every file this process writes is the agent's alone: the outbox and the
   * settings, but also what libraries write on its behalf (Mesa's shader
   * cache, GTK's files), whose own modes are 0644 in 0755 folders. The app
   * holds learners' personal information and exports nothing. */
  umask (0077);

  setlocale (LC_ALL, "");
  /* The demo runs from the build tree, whose po/ folder holds the catalogues. */
  localedir = g_getenv ("EDULIB_REVIEWER_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before GTK opens the display: no OpenGL where there is no GPU. */
  er_renderer_choose_early ();
  app = er_application_new (G_APPLICATION_HANDLES_OPEN);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
