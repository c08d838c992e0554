/* er-block.c: big blocks of memory for photos, mapped in huge pages
 * (er-block.h). */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "er-block.h"

#define HUGE_PAGE (2 * 1024 * 1024)

gboolean
er_block_alloc (ErBlock *block,
                gsize    size)
{
  memset (block, 0, sizeof *block);
  size = MAX (size, 1);
  block->size = size;
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
  if (size >= ER_BLOCK_BIG && size <= G_MAXSIZE - 2 * HUGE_PAGE)
    {
      gsize rounded = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
      gsize map_size = rounded + HUGE_PAGE;
      void *map = mmap (NULL, map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (map != MAP_FAILED)
        {
          guintptr start = ((guintptr) map + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;

          /* Only a hint: without it, ordinary pages. */
          madvise ((void *) start, rounded, MADV_HUGEPAGE);
          block->map = map;
          block->map_size = map_size;
          block->data = (guint8 *) start;
          return TRUE;
        }
    }
#endif
  block->data = g_try_malloc (size);
  return block->data != NULL;
}

void
er_block_clear (ErBlock *block)
{
  if (block->map != NULL)
    munmap (block->map, block->map_size);
  else
    g_free (block->data);
  memset (block, 0, sizeof *block);
}

void
er_block_shrink (ErBlock *block,
                 gsize    size)
{
  guintptr end, map_end;

  g_return_if_fail (size <= block->size);

  if (block->map == NULL)
    return;
  size = MAX (size, 1);
  end = ((guintptr) block->data + size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  map_end = (guintptr) block->map + block->map_size;
  if (end < map_end && munmap ((void *) end, map_end - end) == 0)
    block->map_size = end - (guintptr) block->map;
  block->size = MIN (block->size, end - (guintptr) block->data);
}

void
er_block_free (gpointer block)
{
  if (block == NULL)
    return;
  er_block_clear (block);
  g_free (block);
}

GBytes *
er_block_steal_to_bytes (ErBlock *block,
                         gsize    length)
{
  ErBlock *owned;

  g_return_val_if_fail (length <= block->size, NULL);

  owned = g_memdup2 (block, sizeof *block);
  memset (block, 0, sizeof *block);
  return g_bytes_new_with_free_func (owned->data, length, er_block_free, owned);
}

/* ---- Giving memory back ------------------------------------------------- */

static guint trim_id;

static gboolean
trim_cb (gpointer data)
{
  trim_id = 0;
#ifdef __GLIBC__
  /* Measured (docs/performance.md): 16 MB of a 91 MB process, freed by
   * photo loads and decodes in worker threads' arenas, went back. */
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

void
er_block_trim_later (void)
{
  /* Once things settle: every call puts it off. Pages given back are
   * faulted in again when memory is next needed (dear on a virtual
   * machine: while decisions follow each other quickly, trimming after
   * each one made the next case appear 6 ms later, 15 ms at the 95th
   * percentile). An agent looks at a case for longer than this. */
  g_clear_handle_id (&trim_id, g_source_remove);
  trim_id = g_timeout_add_full (G_PRIORITY_LOW, ER_BLOCK_TRIM_DELAY_MS, trim_cb, NULL, NULL);
  g_source_set_name_by_id (trim_id, "[er] give freed memory back");
}
