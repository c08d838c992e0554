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

#include <epoxy/gl.h>

#include "er-renderer.h"

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

const char *
er_renderer_choose (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (g_getenv ("GSK_RENDERER") != NULL)
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
