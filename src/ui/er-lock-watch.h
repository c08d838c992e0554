/* er-lock-watch.h: tells when the desktop session locks.
 *
 * Watches logind's LockedHint on the process's own session
 * (org.freedesktop.login1, /org/freedesktop/login1/session/auto, system
 * bus) and the screensaver's ActiveChanged signal (org.freedesktop.ScreenSaver
 * and org.gnome.ScreenSaver, session bus). Everything is asynchronous and
 * fails silently where a service or a bus is absent (the tests' private bus
 * has neither). Emits "locked" each time the desktop locks.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ER_TYPE_LOCK_WATCH (er_lock_watch_get_type ())
G_DECLARE_FINAL_TYPE (ErLockWatch, er_lock_watch, ER, LOCK_WATCH, GObject)

ErLockWatch *er_lock_watch_new (void);

G_END_DECLS
