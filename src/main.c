/* main.c: entry point of EDUlib Reviewer. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "er-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(ErApplication) app = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");
  /* The demo runs from the build tree, whose po/ folder holds the catalogues. */
  localedir = g_getenv ("EDULIB_REVIEWER_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = er_application_new (G_APPLICATION_HANDLES_OPEN);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
