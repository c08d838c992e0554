/* er-outbox-writer.h: the outbox's writer thread (private to er-outbox.c).
 *
 * One writer per outbox. The owner (the thread that made it: the main
 * thread) hands it the newest list of entries with its generation number;
 * a thread, started when there is something to write and ending when there
 * is nothing left, writes it with write_func. Lists handed over while a
 * write is under way replace each other (coalesced): the next write always
 * carries the latest. Each finished write is reported on the owner's
 * thread default main context (report_func), never on the writer thread.
 * Lists handed over are never changed again by anyone; the writer may drop
 * the last reference to them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ErOutboxWriter ErOutboxWriter;

/* Runs on the writer thread. */
typedef gboolean (*ErOutboxWriteFunc)  (const char *path, GPtrArray *entries, GError **error);
/* Runs on the owner's thread, in an idle, while owner is not released. */
typedef void     (*ErOutboxReportFunc) (gpointer owner);

ErOutboxWriter *_er_outbox_writer_new           (const char *path, ErOutboxWriteFunc write_func,
                                                 ErOutboxReportFunc report_func, gpointer owner);
/* No more reports; the writer thread (if stuck) finishes on its own. */
void            _er_outbox_writer_release       (ErOutboxWriter *writer);
void            _er_outbox_writer_enqueue       (ErOutboxWriter *writer, GPtrArray *entries, guint64 gen);
/* The newest generation written, the last failure not yet taken (its
 * generation in failed_gen; *failure NULL when none). */
void            _er_outbox_writer_take_results  (ErOutboxWriter *writer, guint64 *written_gen,
                                                 guint64 *failed_gen, GError **failure);
/* A write of a generation after after_gen is pending or under way. */
gboolean        _er_outbox_writer_newer_coming  (ErOutboxWriter *writer, guint64 after_gen);
/* gen is pending or being written. */
gboolean        _er_outbox_writer_is_queued     (ErOutboxWriter *writer, guint64 gen);
/* Releases a hold and waits (at most timeout_ms) until nothing is pending
 * nor being written; FALSE on timeout. */
gboolean        _er_outbox_writer_wait          (ErOutboxWriter *writer, guint timeout_ms);
void            _er_outbox_writer_hold          (ErOutboxWriter *writer, gboolean hold);
void            _er_outbox_writer_get_counts    (ErOutboxWriter *writer, guint *n_writes,
                                                 guint *n_on_owner_thread);

G_END_DECLS
