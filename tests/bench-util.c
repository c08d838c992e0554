/* bench-util.c: see bench-util.h. */
#include "bench-util.h"

#include <stdio.h>
#include <string.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_median (GArray *ms)
{
  guint n = ms->len;

  if (n == 0)
    return -1;
  g_array_sort (ms, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (ms, double, n / 2);
  return (g_array_index (ms, double, n / 2 - 1) + g_array_index (ms, double, n / 2)) / 2;
}

double
bench_percentile (GArray *ms, double p)
{
  guint rank;

  if (ms->len == 0)
    return -1;
  g_array_sort (ms, compare_doubles);
  /* Nearest rank: the smallest value with at least p % at or below it. */
  rank = (guint) (p / 100.0 * ms->len + 0.999999);
  rank = CLAMP (rank, 1, ms->len);
  return g_array_index (ms, double, rank - 1);
}

void
bench_figure (const char *id, double value)
{
  printf ("FIGURE %s %.3f\n", id, value);
  fflush (stdout);
}

gsize
bench_pss (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return 0;
  line = strstr (text, "\nPss:");
  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen ("\nPss:"), NULL, 10) * 1024;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
bench_wait (gboolean   (*done) (gpointer data),
            gpointer     data,
            double       seconds,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  /* Blocking iterations, woken at least every 5 ms to look at the clock:
   * no busy loop taking a core from the app and the server. */
  guint tick = g_timeout_add (5, keep_ticking, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %.0f s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
spin_done (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
bench_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  bench_wait (spin_done, &until, ms / 1000.0 + 10, "time to pass");
}
