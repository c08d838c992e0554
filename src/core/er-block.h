/* er-block.h: big blocks of memory for photos, mapped in huge pages.
 *
 * A photo's bytes and pixels are megabytes of fresh memory each time one
 * is opened: faulting them in one 4 KiB page at a time cost more than
 * decoding the photo on a virtual machine (140 ms for a 12 MP photo's
 * 36 MB, against 13 ms in 2 MiB pages). Blocks of ER_BLOCK_BIG bytes or
 * more are mapped on their own, 2 MiB-aligned, with MADV_HUGEPAGE (what
 * the usual "madvise" setting of transparent huge pages gives them to);
 * smaller ones, and systems without it, use g_malloc. Nothing is wiped
 * here: er-secret.h does that for blocks that held a secret.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ER_BLOCK_BIG (4 * 1024 * 1024)

typedef struct {
  guint8  *data;
  gsize    size;
  gpointer map;       /* the mapping data lies in; NULL: data is g_malloc'd */
  gsize    map_size;
} ErBlock;

/* size bytes (at least 1) at block->data; FALSE when there is not the
 * memory. */
gboolean er_block_alloc          (ErBlock *block, gsize size);
/* Releases the memory; block is zeroed. */
void     er_block_clear          (ErBlock *block);
/* Gives back what lies past the first size bytes, in whole huge pages (a
 * mapped block; a g_malloc'd one keeps its size). block->size becomes
 * what is left, at least size. */
void     er_block_shrink         (ErBlock *block, gsize size);
/* A GBytes of the first length bytes that owns the block from now on
 * (released when it goes); block is zeroed. */
GBytes  *er_block_steal_to_bytes (ErBlock *block, gsize length);
/* The same, on a heap copy of block: for a GDestroyNotify. */
void     er_block_free           (gpointer block);

#define ER_BLOCK_TRIM_DELAY_MS 3000

/* Once ER_BLOCK_TRIM_DELAY_MS pass without another call, at low priority,
 * gives the memory the allocator keeps free back to the system (glibc's
 * malloc_trim: photos' pages freed in worker threads otherwise stay with
 * the process). Call from the main context after letting photos go. */
void     er_block_trim_later     (void);

G_END_DECLS
