/* er-outbox.h: the agent's decisions, kept on disk until the server has
 * given a final answer, so that none is lost (crash, kill, sleep, offline)
 * and none is sent twice (each keeps its Idempotency-Key for every attempt).
 *
 * One small JSON file per server and agent (er_outbox_default_path), written
 * atomically (temporary file in the same folder, fsync, rename) by a writer
 * thread, never on the main loop: a change is current in memory at once
 * ("changed"), and the file follows in order, changes coalesced ("written").
 * The rules that keep a decision safe (details in er-outbox.c):
 *   - a decision is never sent before its write is durable: ErSender sends
 *     only entries for which er_outbox_is_written() is TRUE;
 *   - a failed write is reported ("write-failed"), with the decisions that
 *     never reached the disk, taken out of the outbox so they are never
 *     sent: the session tells the agent;
 *   - dispose flushes the pending writes (bounded wait), so nothing is lost
 *     when the application quits.
 * It holds no photo and no token: receipt id, the
 * account name (for messages), the decision, its key, times, state, and the
 * reason of a final refusal. Entries that were refused stay (state FAILED)
 * for the history until er_outbox_forget_failed() or until they are older
 * than ER_OUTBOX_KEEP_FAILED_DAYS; delivered ones are removed.
 */
#pragma once

#include <gio/gio.h>

#include "er-reasons.h"

G_BEGIN_DECLS

#define ER_OUTBOX_KEEP_FAILED_DAYS 14
/* At most this long waiting for the disk in dispose (application quit). */
#define ER_OUTBOX_FLUSH_TIMEOUT_MS 5000

typedef enum {
  ER_OUTBOX_WAITING, /* in its undo delay, or waiting to be (re)sent */
  ER_OUTBOX_SENDING, /* a request is under way */
  ER_OUTBOX_FAILED,  /* refused for good (409 claimed_by_other, 404, 410, 422...): see error */
} ErOutboxState;

typedef struct _ErOutboxEntry ErOutboxEntry;

#define ER_TYPE_OUTBOX_ENTRY (er_outbox_entry_get_type ())
GType            er_outbox_entry_get_type        (void) G_GNUC_CONST;
ErOutboxEntry   *er_outbox_entry_ref             (ErOutboxEntry *self);
void             er_outbox_entry_unref           (ErOutboxEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErOutboxEntry, er_outbox_entry_unref)

const char      *er_outbox_entry_get_key         (ErOutboxEntry *self); /* Idempotency-Key; the entry's id */
const char      *er_outbox_entry_get_receipt_id  (ErOutboxEntry *self);
const char      *er_outbox_entry_get_name        (ErOutboxEntry *self); /* the account name */
gboolean         er_outbox_entry_get_approved    (ErOutboxEntry *self);
const ErReasons *er_outbox_entry_get_reasons     (ErOutboxEntry *self); /* NULL when approved */
GDateTime       *er_outbox_entry_get_decided_at  (ErOutboxEntry *self);
GDateTime       *er_outbox_entry_get_due_at      (ErOutboxEntry *self); /* not sent before */
ErOutboxState    er_outbox_entry_get_state       (ErOutboxEntry *self);
guint            er_outbox_entry_get_attempts    (ErOutboxEntry *self);
const char      *er_outbox_entry_get_error       (ErOutboxEntry *self); /* FAILED: why, for a person; else the last transient error or NULL */

#define ER_TYPE_OUTBOX (er_outbox_get_type ())
G_DECLARE_FINAL_TYPE (ErOutbox, er_outbox, ER, OUTBOX, GObject)

/* $XDG_DATA_HOME/edulib-reviewer/outbox/<hex SHA-256 of server and username>.json */
char          *er_outbox_default_path   (const char *server, const char *username);

/* Loads path (missing: empty). A file that cannot be read as an outbox is
 * renamed aside (path + ".damaged-<time>") and reported in error while an
 * empty outbox is still returned, so the agent can go on. Entries found in
 * state SENDING (the app died during a request) are WAITING again, due now. */
ErOutbox      *er_outbox_new            (const char *path, GError **error);
const char    *er_outbox_get_path       (ErOutbox *self);

/* All entries, oldest decision first (a new array of references). Entries
 * are immutable snapshots: a change replaces the entry, so a reference kept
 * reads the values of its time. */
GPtrArray     *er_outbox_get_entries    (ErOutbox *self);
/* The current entry (not a new reference: valid until the next change). */
ErOutboxEntry *er_outbox_lookup         (ErOutbox *self, const char *key);
/* Whether a WAITING or SENDING entry is about this case (never offer it again). */
gboolean       er_outbox_has_case       (ErOutbox *self, const char *receipt_id);
guint          er_outbox_get_n_waiting  (ErOutbox *self); /* WAITING + SENDING */

/* Adds a new WAITING entry (fresh key) due at due_at and returns it (not a
 * new reference, as lookup); its write follows on the writer thread (see
 * er_outbox_is_written, "written", "write-failed"). reasons is required
 * for a denial. */
ErOutboxEntry *er_outbox_add            (ErOutbox *self, const char *receipt_id, const char *name,
                                         gboolean approved, const ErReasons *reasons,
                                         GDateTime *due_at, GError **error);
/* Undo: removes a WAITING entry. FALSE when it is already being sent or gone. */
gboolean       er_outbox_take_back      (ErOutbox *self, const char *key, GError **error);
/* Every WAITING entry becomes due now (closing, signing out). */
void           er_outbox_make_all_due   (ErOutbox *self);
/* The state changes the sender makes; current at once, written after. */
gboolean       er_outbox_mark_sending   (ErOutbox *self, const char *key, GError **error); /* counts an attempt */
gboolean       er_outbox_mark_waiting   (ErOutbox *self, const char *key, GDateTime *due_at,
                                         const char *last_error, GError **error);
gboolean       er_outbox_mark_failed    (ErOutbox *self, const char *key, const char *why, GError **error);
gboolean       er_outbox_remove         (ErOutbox *self, const char *key, GError **error);
/* Drops FAILED entries (the agent has read them). */
gboolean       er_outbox_forget_failed  (ErOutbox *self, GError **error);

/* Whether the write that added entry is on disk (fsync + rename done):
 * only then may it be sent. */
gboolean       er_outbox_is_written     (ErOutbox *self, ErOutboxEntry *entry);
/* Waits (at most timeout_ms) for every change made so far to be written
 * (writing again what a failed write left behind) and reports the results
 * (signals) before returning. TRUE when the file holds the current state. */
gboolean       er_outbox_flush          (ErOutbox *self, guint timeout_ms);

/* Tests: the writer takes nothing while held (er_outbox_flush releases). */
void           er_outbox_hold_writes_for_testing (ErOutbox *self, gboolean hold);
/* Tests: writes done, and how many of them on the thread that made the
 * outbox (the main thread): always 0. */
void           er_outbox_get_write_counts (ErOutbox *self, guint *n_writes, guint *n_on_main_thread);

/* Signals:
 *   "changed"       any entry added, changed or removed, in memory (also for
 *                   the history and the offline banner's count);
 *   "written"       a newer state is on disk;
 *   "write-failed"  (GError *error, GPtrArray *lost — ErOutboxEntry): a write
 *                   failed; lost are the decisions never on disk, now out of
 *                   the outbox (maybe none).
 */

G_END_DECLS
