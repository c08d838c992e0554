/* bench-review.c: the performance benchmark (issue 12), in one run.
 *
 * Runs each part in a fresh process of this same program (bench-parts.h),
 * passes their lines through, collects their figures and prints the table:
 * each figure beside its goal and, for the photos, the floor measured in
 * the same run and the ratio. It asserts nothing about time; it fails only
 * when a part cannot run to its end.
 *
 *   meson test -C _build --benchmark review -v
 *   _build/tests/bench-review [--quick] [--part=NAME]
 *
 * --quick: one round, tiny photos, a few decisions, 300 cases (the smoke
 * test "bench-smoke" runs it, so that the benchmark cannot rot).
 * --decisions=N: the PSS growth over N decisions instead of 500.
 * Parts: photo, decide-prefetch, decide-noprefetch, memory, memory-reading,
 * start.
 * The window parts need a display: without DISPLAY, each runs under
 * xvfb-run and dbus-run-session. See docs/performance.md.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>

#include "bench-parts.h"

typedef struct {
  const char *name;
  gboolean    window;
} Part;

static const Part parts[] = {
  { "photo", FALSE },
  { "decide-prefetch", TRUE },
  { "decide-noprefetch", TRUE },
  { "memory", TRUE },
  { "memory-reading", TRUE },
  { "start", TRUE },
};

static int
run_part (const char *name,
          const BenchOptions *options)
{
  if (g_str_equal (name, "photo"))
    return bench_part_photo (options);
  if (g_str_equal (name, "decide-prefetch"))
    return bench_part_decide (options, TRUE);
  if (g_str_equal (name, "decide-noprefetch"))
    return bench_part_decide (options, FALSE);
  if (g_str_equal (name, "memory"))
    return bench_part_memory (options, FALSE);
  if (g_str_equal (name, "memory-reading"))
    return bench_part_memory (options, TRUE);
  if (g_str_equal (name, "start"))
    return bench_part_start (options);
  g_printerr ("bench-review: no part named %s\n", name);
  return 2;
}

/* Runs one part in a child; its FIGURE lines go into figures. Returns its
 * exit status (77: skipped). */
static int
spawn_part (const char         *self_path,
            const Part         *part,
            const BenchOptions *options,
            GHashTable         *figures)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *part_arg = g_strconcat ("--part=", part->name, NULL);
  g_autofree char *decisions_arg = NULL;
  gint64 start = g_get_monotonic_time ();
  char *line;
  int status;

  if (part->window && g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_ptr_array_add (argv, (gpointer) "xvfb-run");
      g_ptr_array_add (argv, (gpointer) "-a");
      g_ptr_array_add (argv, (gpointer) "-s");
      g_ptr_array_add (argv, (gpointer) "-screen 0 1400x900x24");
      g_ptr_array_add (argv, (gpointer) "dbus-run-session");
      g_ptr_array_add (argv, (gpointer) "--");
    }
  g_ptr_array_add (argv, (gpointer) self_path);
  g_ptr_array_add (argv, part_arg);
  if (options->quick)
    g_ptr_array_add (argv, (gpointer) "--quick");
  if (options->decisions > 0)
    g_ptr_array_add (argv, decisions_arg = g_strdup_printf ("--decisions=%d", options->decisions));
  g_ptr_array_add (argv, NULL);

  printf ("== %s\n", part->name);
  fflush (stdout);
  child = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (child == NULL)
    {
      printf ("   could not start: %s\n", error->message);
      return 1;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)) != NULL)
    {
      char id[128];
      double value;

      if (sscanf (line, "FIGURE %127s %lf", id, &value) == 2)
        g_hash_table_insert (figures, g_strdup (id), g_memdup2 (&value, sizeof value));
      else
        printf ("   %s\n", line);
      fflush (stdout);
      g_free (line);
    }
  g_subprocess_wait (child, NULL, NULL);
  status = g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : 1;
  printf ("   (%s: %s, %.0f s)\n", part->name,
          status == 0 ? "done" : status == 77 ? "skipped" : "FAILED",
          (g_get_monotonic_time () - start) / 1e6);
  return status;
}

static gboolean
lookup (GHashTable *figures,
        const char *id,
        double     *value)
{
  double *v = g_hash_table_lookup (figures, id);

  if (v == NULL)
    return FALSE;
  *value = *v;
  return TRUE;
}

/* printf's widths count bytes; "—", "≤" and "×" are more than one. */
static void
pad (const char *text,
     int         width,
     gboolean    right)
{
  int n = width - (int) g_utf8_strlen (text, -1);

  if (right)
    printf ("%*s%s", MAX (n, 0), "", text);
  else
    printf ("%s%*s", text, MAX (n, 0), "");
}

static void
print_cells (const char *figure,
             const char *goal,
             const char *measured,
             const char *floor_text,
             const char *ratio,
             const char *verdict)
{
  printf ("| ");
  pad (figure, 50, FALSE);
  printf (" | ");
  pad (goal, 12, FALSE);
  printf (" | ");
  pad (measured, 10, TRUE);
  printf (" | ");
  pad (floor_text, 10, TRUE);
  printf (" | ");
  pad (ratio, 6, TRUE);
  printf (" | ");
  pad (verdict, 6, FALSE);
  printf (" |\n");
}

/* One row: goal_max < 0 when there is no goal; ratio rows compare
 * measured/floor with the goal, others measured with the goal. */
static void
row (const char *figure,
     const char *goal,
     double      measured,
     const char *unit,
     double      floor_value,
     double      goal_max)
{
  g_autofree char *m = g_strdup_printf ("%.1f %s", measured, unit);
  g_autofree char *f = floor_value > 0 ? g_strdup_printf ("%.1f %s", floor_value, unit) : g_strdup ("—");
  g_autofree char *r = floor_value > 0 ? g_strdup_printf ("%.2f×", measured / floor_value) : g_strdup ("—");
  double compared = floor_value > 0 ? measured / floor_value : measured;
  const char *verdict = goal_max < 0 ? "" : compared <= goal_max ? "met" : "MISSED";

  print_cells (figure, goal, m, f, r, verdict);
}

static int
compare_pixels (gconstpointer a,
                gconstpointer b)
{
  int x = GPOINTER_TO_INT (*(gconstpointer *) a), y = GPOINTER_TO_INT (*(gconstpointer *) b);

  return (x > y) - (x < y);
}

static void
photo_rows (GHashTable *figures,
            const char *format,
            const char *label)
{
  g_autoptr(GPtrArray) sizes = g_ptr_array_new ();
  g_autofree char *prefix = g_strdup_printf ("photo.%s.", format);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, figures);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix) && g_str_has_suffix (key, ".floor"))
      g_ptr_array_add (sizes, GINT_TO_POINTER (atoi ((char *) key + strlen (prefix))));
  g_ptr_array_sort (sizes, compare_pixels);

  for (guint i = 0; i < sizes->len; i++)
    {
      int pixels = GPOINTER_TO_INT (sizes->pdata[i]);
      g_autofree char *id = g_strdup_printf ("%s%d", prefix, pixels);
      g_autofree char *display_id = g_strconcat (id, ".display", NULL);
      g_autofree char *full_id = g_strconcat (id, ".full", NULL);
      g_autofree char *floor_id = g_strconcat (id, ".floor", NULL);
      g_autofree char *mb_id = g_strconcat (id, ".mb", NULL);
      g_autofree char *what = NULL;
      double display = 0, full = 0, floor_ms = 0, mb = 0;
      gboolean big = pixels >= 10 * 1000 * 1000;

      lookup (figures, display_id, &display);
      lookup (figures, full_id, &full);
      lookup (figures, floor_id, &floor_ms);
      lookup (figures, mb_id, &mb);
      what = g_strdup_printf ("%s %.1f MP (%.1f MB): ready for display", label, pixels / 1e6, mb);
      row (what, big ? "≤ 0.5× floor" : "—", display, "ms", floor_ms, big ? 0.5 : -1);
      g_free (what);
      what = g_strdup_printf ("%s %.1f MP: full-resolution decode", label, pixels / 1e6);
      row (what, "≤ 1.3× floor", full, "ms", floor_ms, 1.3);
    }
}

static void
print_table (GHashTable *figures)
{
  double v;

  printf ("\n");
  print_cells ("Figure", "Goal", "Measured", "Floor", "Ratio", "");
  printf ("|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------------", "--------------",
          "------------", "------------", "--------", "--------");
  photo_rows (figures, "jpeg", "JPEG");
  photo_rows (figures, "png", "PNG");
  if (lookup (figures, "decide.prefetch.median", &v))
    row ("Approve → next case painted, prefetch, median", "≤ 16 ms", v, "ms", 0, 16);
  if (lookup (figures, "decide.prefetch.p95", &v))
    row ("Approve → next case painted, prefetch, p95", "≤ 33 ms", v, "ms", 0, 33);
  if (lookup (figures, "decide.noprefetch.median", &v))
    row ("Approve → next case painted, no prefetch, median", "—", v, "ms", 0, -1);
  if (lookup (figures, "decide.noprefetch.p95", &v))
    row ("Approve → next case painted, no prefetch, p95", "—", v, "ms", 0, -1);
  if (lookup (figures, "start.after_answer", &v))
    row ("Start → first case painted, after the answer", "≤ 1000 ms", v, "ms", 0, 1000);
  if (lookup (figures, "start.from_app", &v))
    row ("Start → first case painted, from app start", "—", v, "ms", 0, -1);
  if (lookup (figures, "memory.pss", &v))
    row ("PSS, open case + 2 prefetched 12 MP cases", "≤ 80 MB", v, "MB", 0, 80);
  if (lookup (figures, "memory.pss_reading", &v))
    row ("… the same, their IDs read (Tesseract loaded)", "—", v, "MB", 0, -1);
  if (lookup (figures, "memory.growth", &v))
    {
      double n = 0;
      g_autofree char *what = NULL;

      lookup (figures, "memory.decisions", &n);
      what = g_strdup_printf ("PSS growth over %.0f decisions", n);
      row (what, "≤ 10 MB", v, "MB", 0, 10);
    }
  printf ("\nTimes are medians (p95: 95th percentile); the floor is curl | basenc | openssl enc -d"
          " | djpeg/pngtopnm\non the same object from the same server, in the same run."
          " Nothing here is asserted.\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *part = NULL;
  BenchOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &options.quick, "One round, tiny photos, a few decisions (smoke test)", NULL },
    { "part", 0, 0, G_OPTION_ARG_STRING, &part, "Run one part in this process", "NAME" },
    { "decisions", 0, 0, G_OPTION_ARG_INT, &options.decisions, "Decisions for the PSS growth (default 500)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the performance benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *self_path = NULL;
  int failed = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-review: %s\n", error->message);
      return 2;
    }
  if (part != NULL)
    return run_part (part, &options);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);
  {
    g_autofree char *cpu = NULL;
    g_autofree char *mem = NULL;
    char *model = NULL;

    if (g_file_get_contents ("/proc/cpuinfo", &cpu, NULL, NULL) &&
        (model = strstr (cpu, "model name")) != NULL)
      {
        model = strchr (model, ':');
        model = model != NULL ? g_strstrip (g_strndup (model + 1, strcspn (model + 1, "\n"))) : NULL;
      }
    printf ("Machine: %u cores, %s\n", g_get_num_processors (), model != NULL ? model : "?");
    g_free (model);
  }

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      int status = spawn_part (self_path, &parts[i], &options, figures);

      if (status != 0 && status != 77)
        failed++;
    }
  print_table (figures);
  return failed > 0 ? 1 : 0;
}
