/* test-xdotool.h: keys typed and the pointer moved through the X server,
 * as an agent types and moves it. */
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
/* Moves the pointer over widget, to (x, y) in its coordinates. Without
 * `--sync` (which waits 15 s for a pointer already there): wait for what
 * the move does. */
void test_xdotool_pointer     (GtkWidget *widget, double x, double y);
/* Presses and releases a pointer button where the pointer is: 1 is the
 * left button, 4 and 5 a notch of the wheel up and down. */
void test_xdotool_click       (int button);
/* Presses (down) or releases a pointer button where the pointer is. */
void test_xdotool_button      (int button, gboolean down);
/* Moves the pointer to the bottom right corner of the screen, away from
 * the windows (without a window manager they open at the top left). */
void test_xdotool_pointer_away (void);

G_END_DECLS
