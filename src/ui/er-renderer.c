/* er-renderer.c: draw with Cairo where OpenGL is only a software rasteriser.
 *
 * Without a GPU (a virtual desktop, a remote session, a machine without
 * drivers), GTK's OpenGL renderer runs on Mesa's llvmpipe: every frame is
 * rasterised by the CPU through a GL pipeline, and a case change costs
 * some 45 ms of painting and 70 MB more memory than GTK's Cairo renderer
 * on the same machine (docs/performance.md). GTK 4.8 reads GSK_RENDERER
 * when it creates the first window's renderer, so the choice is made at
 * start-up, and only when the person running the app has not made it. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <epoxy/gl.h>

#include "er-renderer.h"

/* Unset or empty: GTK reads an empty variable as no choice. */
static gboolean
is_unset (const char *variable)
{
  const char *value = g_getenv (variable);

  return value == NULL || *value == '\0';
}

gboolean
er_renderer_is_software (const char *gl_renderer)
{
  static const char * const names[] = {
    "llvmpipe", "softpipe", "swrast", "SWR", "GDI Generic", "SwiftShader",
  };

  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strstr (gl_renderer, names[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
er_renderer_has_gpu_device (const char *dev_dir)
{
  g_autofree char *dri = g_build_filename (dev_dir, "dri", NULL);
  g_autofree char *nvidia = g_build_filename (dev_dir, "nvidia0", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* NVIDIA's driver without kernel modesetting has no render node. */
  if (g_access (nvidia, R_OK | W_OK) == 0)
    return TRUE;
  if ((dir = g_dir_open (dri, 0, NULL)) == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dri, name, NULL);

      if (g_str_has_prefix (name, "renderD") && g_access (path, R_OK | W_OK) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
er_renderer_choose_early (void)
{
#ifdef __linux__
  /* No GPU the process may open: OpenGL could only run on the CPU. Cairo,
   * and OpenGL not even loaded (GTK's X11 backend loads it at start to
   * choose a visual: Mesa's llvmpipe and LLVM, some 30 MB, for nothing).
   * Whoever set GSK_RENDERER or GDK_DEBUG chose for themselves. */
  if (is_unset ("GSK_RENDERER") && is_unset ("GDK_DEBUG") && !er_renderer_has_gpu_device ("/dev"))
    {
      g_debug ("Renderer: no GPU device in /dev: drawing with Cairo, OpenGL off");
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      return "cairo";
    }
#endif
  return NULL;
}

const char *
er_renderer_choose (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (!is_unset ("GSK_RENDERER"))
    return NULL;


  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      /* No OpenGL at all: GTK falls back to Cairo by itself. */
      g_debug ("Renderer: no OpenGL (%s)", error != NULL ? error->message : "no context");
      return NULL;
    }
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = er_renderer_is_software (renderer);
  g_debug ("Renderer: OpenGL renderer “%s”%s", renderer != NULL ? renderer : "?",
           software ? ", software: drawing with Cairo" : "");
  gdk_gl_context_clear_current ();
  if (!software)
    return NULL;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return "cairo";
}
