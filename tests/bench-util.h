/* bench-util.h: what the parts of bench-review share — figures, medians,
 * percentiles, the process's PSS, waiting on the main loop. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Options every part receives from the driver. */
typedef struct {
  gboolean quick;   /* the smoke test: one round, tiny photos, few decisions */
  int      decisions; /* for the PSS growth, with prefetch (0: the default, 500) */
} BenchOptions;

/* Sorts ms in place; the median and the p-th percentile (0 to 100, nearest
 * rank). */
double  bench_median      (GArray *ms);
double  bench_percentile  (GArray *ms, double p);

/* A figure for the driver's table: one line "FIGURE <id> <value>" on
 * stdout. Everything else a part prints goes through as is. */
void    bench_figure      (const char *id, double value);

/* The proportional set size of this process in bytes, from
 * /proc/self/smaps_rollup (0 when it cannot be read). */
gsize   bench_pss         (void);

/* Iterates the default main context until done (data) or seconds pass;
 * a timeout ends the part with an error naming what. */
void    bench_wait        (gboolean   (*done) (gpointer data),
                           gpointer     data,
                           double       seconds,
                           const char  *what);
/* Iterates the default main context for ms milliseconds. */
void    bench_spin        (guint ms);

G_END_DECLS
