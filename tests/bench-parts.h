/* bench-parts.h: the parts of bench-review, each run in a fresh process by
 * the driver (bench-review.c), so that one part's memory, caches and
 * threads do not weigh on the next one's figures. Each returns an exit
 * status (77: skipped, e.g. no display) and prints FIGURE lines. */
#pragma once

#include "bench-util.h"

G_BEGIN_DECLS

/* bench-photo.c: a photo ready for display vs the floor. */
int bench_part_photo    (const BenchOptions *options);
/* bench-window.c: approve → next case painted, prefetch on (and PSS
 * growth over the decisions) or off. */
int bench_part_decide   (const BenchOptions *options, gboolean prefetch);
/* bench-window.c: PSS with the open case and two prefetched 12 MP cases. */
int bench_part_memory   (const BenchOptions *options, gboolean read_ids);
/* bench-window.c: start → first case painted, 100 000 pending cases. */
int bench_part_start    (const BenchOptions *options);

G_END_DECLS
