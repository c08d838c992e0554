/* test-xdotool.h: keys typed through the X server, as an agent types them. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives the window the X input focus (there is no window manager to do it). */
void test_xdotool_focus       (GtkWindow *window);
/* `xdotool key --delay 30 first ...`: the keys go to the focused window. */
void test_xdotool_keys        (const char *first, ...) G_GNUC_NULL_TERMINATED;
void test_xdotool_keys_valist (const char *first, va_list keys);
/* `xdotool type`: text into the focused field. */
void test_xdotool_type        (const char *text);

G_END_DECLS
