/* main.c: entry point of EDUlib Reviewer. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include "er-application.h"
#include "er-renderer.h"

int
main (int argc, char *argv[])
{
  g_autoptr(ErApplication) app = NULL;
  const char *localedir;

#ifdef HAVE_TESSERACT
  /* Debian's Tesseract runs its network on OpenMP threads, which libgomp
   * counts when it is loaded, before main(): on a 2-core machine they read
   * an ID four times slower than one thread (1.7 s against 0.45 s for a
   * 12 MP photo), and take the core the interface needs. The limit is only
   * read from the environment: set it, and start again (once). Without
   * /proc, OpenMP's default stays. */
  if (g_getenv ("OMP_THREAD_LIMIT") == NULL)
    {
      g_setenv ("OMP_THREAD_LIMIT", "1", TRUE);
      execv ("/proc/self/exe", argv);
    }
#endif

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
