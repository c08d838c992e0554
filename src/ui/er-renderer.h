/* er-renderer.h: draw with Cairo where OpenGL is only a software rasteriser. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE when gl_renderer, OpenGL's GL_RENDERER string, names a rasteriser
 * that runs on the CPU (Mesa's llvmpipe, softpipe, SWR; Microsoft's GDI
 * Generic; SwiftShader). */
gboolean er_renderer_is_software (const char *gl_renderer);

/* TRUE when dev_dir ("/dev") holds a GPU device this process may open: a
 * DRM render node (dri/renderD*) or NVIDIA's nvidia0. */
gboolean er_renderer_has_gpu_device (const char *dev_dir);

/* Before GTK opens the display (before gtk_init): on Linux, when neither
 * GSK_RENDERER nor GDK_DEBUG is set and there is no GPU device, sets
 * GSK_RENDERER=cairo and GDK_DEBUG=gl-disable. Returns "cairo" then, or
 * NULL. */
const char *er_renderer_choose_early (void);

/* Before the first window: when GSK_RENDERER is unset and the display's
 * OpenGL is a software rasteriser, sets GSK_RENDERER=cairo for this
 * process. Returns the renderer name chosen, or NULL when GTK chooses. */
const char *er_renderer_choose (GdkDisplay *display);

G_END_DECLS
