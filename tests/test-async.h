/* test-async.h: waiting for one async result in a test. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) user_data. */
void          test_async_store (GObject *source, GAsyncResult *result, gpointer user_data);
/* Iterates the main context until test_async_store has filled *slot (30 s at most). */
GAsyncResult *test_async_wait  (GAsyncResult **slot);

/* Removes a test's temporary folder and everything in it (links are not followed). */
void          test_remove_tree (const char *path);

/* Iterates the main context until condition (data) holds (asked every 10th
 * turn: some conditions ask the fake platform); FALSE after seconds. */
gboolean      test_wait_for    (gboolean (*condition) (gpointer data), gpointer data,
                                guint seconds);

/* Ends GLib's idle worker threads (GTask's and the socket services' pool
 * threads go idle half a second after their last job), 5 s at most. Called
 * at the end of main: LeakSanitizer's final scan of a thread that used a
 * dlopen()ed module's thread-local storage (GIO's TLS module) crashes with
 * GCC 12 and glibc 2.36 ("Tracer caught signal 11"). */
void          test_async_stop_threads (void);

G_END_DECLS
