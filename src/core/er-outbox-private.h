/* er-outbox-private.h: what the er-outbox*.c files share.
 *
 * er-outbox.c         the outbox: its entries, changes, the writer's results
 * er-outbox-json.c    the file's contents: entries to JSON and back, checked
 * er-outbox-writer.c  the writer thread
 */
#pragma once

#include "er-outbox.h"

G_BEGIN_DECLS

#define OUTBOX_VERSION 1

struct _ErOutboxEntry
{
  gatomicrefcount  ref_count;
  guint64          seq;
  guint64          added_gen;   /* the generation that added it (0: read from the file) */         /* tie-break for equal decided_at: the order entries were added */
  char            *key;
  char            *receipt_id;
  char            *name;
  gboolean         approved;
  ErReasons       *reasons;     /* NULL when approved */
  GDateTime       *decided_at;
  GDateTime       *due_at;
  ErOutboxState    state;
  guint            attempts;
  char            *error;
};

ErOutboxEntry *_er_outbox_entry_new         (void);

/* er-outbox-json.c */
char          *_er_outbox_entries_to_data   (GPtrArray  *entries,
                                             gsize      *length);
/* The entries of a file's contents, or NULL when it is not an outbox. */
GPtrArray     *_er_outbox_entries_from_data (const char *data,
                                             gsize       length);

G_END_DECLS
