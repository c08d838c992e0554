/* bench-window.c: bench-review's parts that need the real window (ErWindow,
 * in this process, signed in to the fake platform, under a display).
 *
 * "Painted" is observed from outside the app: the window's GdkFrameClock
 * "after-paint" at which the case view shows the expected case with both
 * photos set (er_case_view_get_photo). Setting them queues a redraw, so that
 * after-paint ends the first frame drawn with them.
 *
 * The approve key is the workspace's action "workspace.approve" (what the
 * "a" key triggers); min-view-time is 0 so that the decision guard lets the
 * benchmark decide as soon as the photos are shown, the undo delay is the
 * shortest (2 s), so decisions go to the server while the run goes on, and
 * the idle lock the longest (no key is typed).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "bench-parts.h"
#include "er-application.h"
#include "er-block.h"
#include "er-renderer.h"
#include "er-photo-image.h"
#include "er-window.h"
#include "fake-process.h"

typedef struct {
  gboolean       read_ids;     /* the agent's setting "read-ids" */
  FakeProcess   *fake;
  ErApplication *app;
  GSettings     *settings;
  ErWindow      *window;
  ErWorkspace   *workspace;
  char          *data_dir;

  /* The paint being waited for. */
  gboolean       armed;
  char          *not_this;     /* the case decided: the next one is awaited */
  gint64         painted_at;   /* monotonic µs of the after-paint, 0: not yet */
  gint64         frame_at;     /* the start of the last frame before that layout */
  gint64         layout_at;    /* the layout phase of that frame */
  gint64         paint_at;     /* its paint phase */
  gulong         paint_handler;
  gulong         frame_handler;
  gulong         layout_handler;
  gulong         paint_start_handler;
} WindowBench;

static gboolean
photos_shown (WindowBench *b)
{
  ErCase *open = er_workspace_get_open_case (b->workspace);
  ErCaseView *view = er_workspace_get_case_view (b->workspace);

  ErReviewSession *session = er_workspace_get_session (b->workspace);

  /* A photo that failed shows its error instead: shown too. */
  return open != NULL &&
         g_strcmp0 (er_case_get_receipt_id (open), b->not_this) != 0 &&
         (er_case_view_get_photo (view, ER_PHOTO_USER) != NULL ||
          er_review_session_get_photo_state (session, ER_PHOTO_USER) == ER_PHOTO_STATE_FAILED) &&
         (er_case_view_get_photo (view, ER_PHOTO_ID) != NULL ||
          er_review_session_get_photo_state (session, ER_PHOTO_ID) == ER_PHOTO_STATE_FAILED);
}

static void
on_after_paint (GdkFrameClock *clock,
                WindowBench   *b)
{
  if (b->armed && photos_shown (b))
    {
      b->painted_at = g_get_monotonic_time ();
      b->armed = FALSE;
    }
}

/* The phases of the frame that paints the case: where the time goes. GDK
 * connects to the frame clock when the surface is made, before these, so
 * these run at the end of their phase: "layout" once GTK has measured and
 * allocated, "paint" once it has snapshot and rendered. */
static void
on_before_paint (GdkFrameClock *clock,
                 WindowBench   *b)
{
  if (b->armed && b->layout_at == 0)
    b->frame_at = g_get_monotonic_time ();
}

static void
on_layout (GdkFrameClock *clock,
           WindowBench   *b)
{
  if (b->armed && b->layout_at == 0 && photos_shown (b))
    b->layout_at = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          WindowBench   *b)
{
  if (b->armed && b->paint_at == 0 && photos_shown (b))
    b->paint_at = g_get_monotonic_time ();
}

static gboolean
painted (gpointer data)
{
  return ((WindowBench *) data)->painted_at != 0;
}

static gboolean
realized (gpointer data)
{
  return gtk_widget_get_frame_clock (GTK_WIDGET (((WindowBench *) data)->window)) != NULL;
}

static void
arm (WindowBench *b,
     const char  *not_this)
{
  g_free (b->not_this);
  b->not_this = g_strdup (not_this);
  b->painted_at = b->frame_at = b->layout_at = b->paint_at = 0;
  b->armed = TRUE;
}

/* Can the open case be decided (photos shown, guard open)? */
static gboolean
can_decide (gpointer data)
{
  WindowBench *b = data;
  ErReviewSession *session = er_workspace_get_session (b->workspace);

  return session != NULL && er_workspace_get_open_case (b->workspace) != NULL &&
         er_review_session_get_can_decide (session);
}

/* The loads ahead done, and the IDs they hold read (an agent looks at a
 * case longer than both take). */
static gboolean
prefetch_idle (gpointer data)
{
  WindowBench *b = data;
  ErReviewSession *session = er_workspace_get_session (b->workspace);

  return session != NULL && er_prefetch_get_n_loading (er_review_session_get_prefetch (session)) == 0 &&
         er_id_reader_get_n_pending (er_review_session_get_id_reader (session)) == 0;
}

/* Without a window manager, X focus moves in ways GTK grumbles about; that
 * one warning is not a failure (as in test-ui.c). */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "did not receive a focus-out event") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Starts the fake with these arguments, the app (settings in memory, the
 * outbox in a throwaway folder), a 1280 × 800 window, and signs in. The
 * clock for "from app start" starts before GTK is initialised. Returns
 * FALSE without a display. */
static gboolean
window_bench_start (WindowBench *b,
                    int          prefetch_depth,
                    gint64      *app_start,
                    const char  *first_arg,
                    ...)
{
  GPtrArray *args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  b->data_dir = g_dir_make_tmp ("er-bench-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", b->data_dir, TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  while (args->len < 6)
    g_ptr_array_add (args, NULL);
  b->fake = fake_process_start (args->pdata[0], args->pdata[1], args->pdata[2],
                                args->pdata[3], args->pdata[4], args->pdata[5], NULL);
  g_ptr_array_unref (args);

  if (app_start != NULL)
    *app_start = g_get_monotonic_time ();
  /* As src/main.c does before GTK opens the display. */
  er_renderer_choose_early ();
  if (!gtk_init_check ())
    {
      printf ("no display: run under xvfb-run (the driver does when DISPLAY is unset)\n");
      return FALSE;
    }
  adw_init ();

  b->settings = g_settings_new ("com.edulib.Reviewer");
  g_settings_set_int (b->settings, "prefetch-depth", prefetch_depth);
  g_settings_set_int (b->settings, "min-view-time", 0);
  g_settings_set_int (b->settings, "undo-delay", 2);
  g_settings_set_boolean (b->settings, "read-ids", b->read_ids);
  /* The decisions come through the action, not the keyboard: no key press
   * resets the idle lock, which would lock the window after 5 minutes. */
  g_settings_set_int (b->settings, "lock-after-minutes", 120);
  b->app = er_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (b->app), NULL, NULL);

  b->window = er_window_new (b->app);
  b->workspace = er_window_get_workspace (b->window);
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (b->window));
  bench_wait (realized, b, 30, "the window");
  {
    static gboolean told;
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (b->window));

    if (!told && renderer != NULL)
      printf ("window: 1280×800, renderer %s\n", G_OBJECT_TYPE_NAME (renderer));
    told = TRUE;
  }
  b->paint_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)),
                                       "after-paint", G_CALLBACK (on_after_paint), b);
  b->frame_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)),
                                       "before-paint", G_CALLBACK (on_before_paint), b);
  b->layout_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)),
                                        "layout", G_CALLBACK (on_layout), b);
  b->paint_start_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)),
                                             "paint", G_CALLBACK (on_paint), b);
  arm (b, NULL);
  er_window_sign_in (b->window, b->fake->api_url, "demo-token", b->fake->key_path, NULL, FALSE);
  return TRUE;
}

static void
window_bench_stop (WindowBench *b)
{
  if (b->window != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (b->window));

      g_clear_signal_handler (&b->paint_handler, clock);
      g_clear_signal_handler (&b->frame_handler, clock);
      g_clear_signal_handler (&b->layout_handler, clock);
      g_clear_signal_handler (&b->paint_start_handler, clock);
      gtk_window_destroy (GTK_WINDOW (b->window));
    }
  g_clear_object (&b->app);
  g_clear_object (&b->settings);
  g_clear_pointer (&b->fake, fake_process_stop);
  if (b->data_dir != NULL)
    {
      const char *rm[] = { "rm", "-rf", b->data_dir, NULL };

      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_clear_pointer (&b->data_dir, g_free);
  g_clear_pointer (&b->not_this, g_free);
}

/* Approves the open case; returns the milliseconds until the next case is
 * painted with both photos. phases (nullable, 4 arrays): the time the
 * action took (the decision, synchronous), from the key to the end of the
 * layout phase of the frame that paints the case, that frame's paint phase
 * (snapshot and render), and from there to after-paint. */
static double
approve_and_time (WindowBench *b,
                  GArray     **phases)
{
  const char *action = "workspace.approve";
  g_autofree char *decided = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (b->workspace)));
  gint64 start, acted;

  arm (b, decided);
  start = g_get_monotonic_time ();
  /* A case whose photo failed cannot be approved: skipped, off the record. */
  if (!er_review_session_get_can_approve (er_workspace_get_session (b->workspace)))
    {
      printf ("a photo of %s failed (%s): skipped\n", decided,
              er_review_session_get_photo_error (er_workspace_get_session (b->workspace), ER_PHOTO_ID));
      action = "workspace.skip";
      phases = NULL;
    }
  if (!gtk_widget_activate_action (GTK_WIDGET (b->workspace), action, NULL))
    g_error ("%s is not there", action);
  acted = g_get_monotonic_time ();
  if (phases != NULL)
    {
      double ms = (acted - start) / 1000.0;

      g_array_append_val (phases[0], ms);
    }
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (!painted (b))
      {
        if (g_get_monotonic_time () > deadline)
          {
            ErCase *open = er_workspace_get_open_case (b->workspace);
            ErCaseView *view = er_workspace_get_case_view (b->workspace);
            ErReviewSession *session = er_workspace_get_session (b->workspace);

            g_error ("No paint of the next case 60 s after approving %s: open case %s, "
                     "photos set %d %d, session photo states %d %d, page %s",
                     decided, open != NULL ? er_case_get_receipt_id (open) : "none",
                     er_case_view_get_photo (view, ER_PHOTO_USER) != NULL,
                     er_case_view_get_photo (view, ER_PHOTO_ID) != NULL,
                     session != NULL ? (int) er_review_session_get_photo_state (session, ER_PHOTO_USER) : -1,
                     session != NULL ? (int) er_review_session_get_photo_state (session, ER_PHOTO_ID) : -1,
                     er_window_get_page (b->window));
          }
        bench_spin (5);
      }
  }
  if (phases != NULL && b->layout_at != 0 && b->paint_at != 0)
    {
      double to_layout = (b->layout_at - start) / 1000.0;
      double layout = (b->paint_at - b->layout_at) / 1000.0;
      double paint = (b->painted_at - b->paint_at) / 1000.0;
      /* A frame that began before the action ended is not that one's. */
      double to_frame = b->frame_at >= acted ? (b->frame_at - acted) / 1000.0 : 0;
      double frame_layout = b->frame_at >= acted ? (b->layout_at - b->frame_at) / 1000.0
                                                 : (b->layout_at - acted) / 1000.0;

      g_array_append_val (phases[1], to_layout);
      g_array_append_val (phases[2], layout);
      g_array_append_val (phases[3], paint);
      g_array_append_val (phases[4], to_frame);
      g_array_append_val (phases[5], frame_layout);
    }
  return phases == NULL && g_str_equal (action, "workspace.skip") ? -1 : (b->painted_at - start) / 1000.0;
}

static gboolean
all_sent (gpointer data)
{
  WindowBench *b = data;

  return er_review_session_get_n_waiting (er_workspace_get_session (b->workspace)) == 0;
}

/* The PSS once the decisions taken have gone to the server (their undo
 * delay over), the loads ahead are done and the app has given back what
 * it freed (ER_BLOCK_TRIM_DELAY_MS without another load): what it keeps,
 * not what is in flight. */
static gsize
settled_pss (WindowBench *b)
{
  bench_wait (all_sent, b, 60, "the decisions sent");
  bench_wait (prefetch_idle, b, 60, "the loads ahead");
  bench_spin (ER_BLOCK_TRIM_DELAY_MS + 500);
  return bench_pss ();
}

/* How long the agent looks at a case before a measured decision. */
#define LOOK_MS 1500

int
bench_part_decide (const BenchOptions *options,
                   gboolean            prefetch)
{
  WindowBench b = { 0 };
  guint measured = options->quick ? 3 : 50;
  /* With prefetch: the PSS growth over 500 decisions too. */
  guint total = !prefetch ? measured
                : options->decisions > 0 ? MAX ((guint) options->decisions, measured)
                : options->quick ? 8 : 500;
  guint baseline_at = options->quick ? 2 : 10;
  g_autofree char *cases = g_strdup_printf ("--cases=%u", total + 20);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *phases[6];
  gsize pss_first = 0, pss_baseline = 0, pss_end = 0;
  const char *name = prefetch ? "decide.prefetch" : "decide.noprefetch";

  for (guint k = 0; k < G_N_ELEMENTS (phases); k++)
    phases[k] = g_array_new (FALSE, FALSE, sizeof (double));
  /* As the app runs by default: the IDs ahead read in the background
   * (ER_BENCH_NO_READ=1: the setting off, to see what reading costs). */
  b.read_ids = g_getenv ("ER_BENCH_NO_READ") == NULL;
  if (!window_bench_start (&b, prefetch ? 2 : 0, NULL, cases, "--seed=11", NULL))
    return 77;
  bench_wait (painted, &b, 60, "the first case painted");
  bench_wait (prefetch_idle, &b, 60, "the first prefetch");
  pss_first = bench_pss ();

  for (guint i = 0; i < total; i++)
    {
      double t;

      bench_wait (can_decide, &b, 60, "the case to be decidable");
      /* The measured decisions come after the agent has looked at the
       * case for as long as the loads ahead take (they usually take
       * longer): what prefetching is for; and for LOOK_MS at least, as an
       * agent does, reading or not (decisions a few milliseconds apart
       * find the machine warm: 14.5 ms at the median instead of 19, see
       * docs/performance.md). The others go as fast as the app lets them. */
      if (i < measured && prefetch)
        {
          gint64 looked;

          bench_wait (prefetch_idle, &b, 60, "the prefetch");
          looked = (g_get_monotonic_time () - b.painted_at) / 1000;
          bench_spin (looked < LOOK_MS - 20 ? LOOK_MS - looked : 20);
        }
      if (i == baseline_at)
        pss_baseline = settled_pss (&b);
      t = approve_and_time (&b, i < measured ? phases : NULL);
      if (i < measured && t >= 0)
        g_array_append_val (ms, t);
      if ((i + 1) % 100 == 0)
        {
          printf ("%s: %u decisions, PSS %.1f MB\n", name, i + 1, bench_pss () / 1e6);
          fflush (stdout);
        }
    }
  pss_end = settled_pss (&b);

  {
    double median = bench_median (ms), p95 = bench_percentile (ms, 95);

    printf ("%s: approve → next case painted, prefetch %s, %u decisions: "
            "median %.1f ms, p95 %.1f ms, min %.1f, max %.1f\n",
            name, prefetch ? "on (depth 2)" : "off", ms->len, median, p95,
            g_array_index (ms, double, 0), g_array_index (ms, double, ms->len - 1));
  }
  printf ("%s: where the time goes (medians): the approve action %.1f ms; key → end of the "
          "layout of the frame that paints the case %.1f ms; that frame's paint phase "
          "(snapshot, render) %.1f ms; then to after-paint %.1f ms\n", name, bench_median (phases[0]),
          bench_median (phases[1]), bench_median (phases[2]), bench_median (phases[3]));
  printf ("%s: between the action and the end of that layout (medians): waiting for the "
          "frame clock to start the frame %.1f ms; the frame's events, update and layout %.1f ms\n",
          name, bench_median (phases[4]), bench_median (phases[5]));
  for (guint k = 0; k < G_N_ELEMENTS (phases); k++)
    g_array_unref (phases[k]);
  {
    g_autofree char *f1 = g_strconcat (name, ".median", NULL);
    g_autofree char *f2 = g_strconcat (name, ".p95", NULL);

    bench_figure (f1, bench_median (ms));
    bench_figure (f2, bench_percentile (ms, 95));
  }
  if (prefetch)
    {
      printf ("%s: PSS %.1f MB at the first case, %.1f MB after %u decisions, "
              "%.1f MB after %u (photos 640×480 and 1200×760)\n",
              name, pss_first / 1e6, pss_baseline / 1e6, baseline_at, pss_end / 1e6, total);
      bench_figure ("memory.growth", ((double) pss_end - (double) pss_baseline) / 1e6);
      bench_figure ("memory.growth_from_first", ((double) pss_end - (double) pss_first) / 1e6);
      bench_figure ("memory.decisions", total - baseline_at);
    }

  window_bench_stop (&b);
  return 0;
}

static gboolean
three_cases_held (gpointer data)
{
  WindowBench *b = data;
  ErReviewSession *session = er_workspace_get_session (b->workspace);
  ErPrefetch *prefetch = session != NULL ? er_review_session_get_prefetch (session) : NULL;

  return prefetch != NULL && er_prefetch_get_n_loading (prefetch) == 0 &&
         er_prefetch_get_n_held (prefetch) >= 6;
}

static gboolean
ids_read (gpointer data)
{
  WindowBench *b = data;
  ErIdReader *reader = er_review_session_get_id_reader (er_workspace_get_session (b->workspace));

  return er_id_reader_get_n_pending (reader) == 0;
}

int
bench_part_memory (const BenchOptions *options,
                   gboolean            read_ids)
{
  WindowBench b = { .read_ids = read_ids };
  const char *size = options->quick ? "--photo-size=320x240" : "--photo-size=4000x3000";
  ErPrefetch *prefetch;
  gsize pss;

  if (!window_bench_start (&b, 2, NULL, "--cases=6", "--seed=13", size, "--photo-format=jpeg", NULL))
    return 77;
  bench_wait (painted, &b, 120, "the first 12 MP case painted");
  bench_wait (three_cases_held, &b, 180, "two 12 MP cases prefetched");
  if (read_ids)
    bench_wait (ids_read, &b, 180, "the three IDs read");
  /* Settled: the app gives freed memory back once nothing happened for
   * ER_BLOCK_TRIM_DELAY_MS (er_block_trim_later), as while an agent
   * looks at the case. */
  bench_spin (ER_BLOCK_TRIM_DELAY_MS + 500);
  pss = bench_pss ();
  prefetch = er_review_session_get_prefetch (er_workspace_get_session (b.workspace));
  printf ("memory: open case + 2 prefetched, %s JPEG photos (face and ID), ID reading %s: "
          "PSS %.1f MB; %u photos held, %.1f MB decoded\n", size + strlen ("--photo-size="),
          read_ids ? "on (the three IDs read, Tesseract loaded)" : "off", pss / 1e6,
          er_prefetch_get_n_held (prefetch), er_prefetch_get_held_bytes (prefetch) / 1e6);
  bench_figure (read_ids ? "memory.pss_reading" : "memory.pss", pss / 1e6);
  /* What the open case shows: a preview, or the full resolution. */
  for (int kind = ER_PHOTO_USER; kind <= ER_PHOTO_ID; kind++)
    {
      GdkPaintable *photo = er_case_view_get_photo (er_workspace_get_case_view (b.workspace), kind);

      if (ER_IS_PHOTO_IMAGE (photo))
        {
          GdkTexture *texture = er_photo_image_get_texture (ER_PHOTO_IMAGE (photo));

          printf ("memory: open case, %s photo shown from %d×%d pixels (%s; panes' target %d px)\n",
                  kind == ER_PHOTO_USER ? "learner" : "ID",
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                  er_photo_image_get_final (ER_PHOTO_IMAGE (photo)) ? "full resolution" : "preview",
                  er_case_view_get_photo_target_size (er_workspace_get_case_view (b.workspace)));
        }
    }
  window_bench_stop (&b);
  return 0;
}

int
bench_part_start (const BenchOptions *options)
{
  WindowBench b = { .read_ids = TRUE };  /* as the app runs by default */
  const char *cases = options->quick ? "--cases=300" : "--cases=100000";
  g_autoptr(JsonObject) timing = NULL;
  gint64 app_start = 0, answered;

  if (!window_bench_start (&b, 2, &app_start, cases, "--seed=17", NULL))
    return 77;
  bench_wait (painted, &b, 300, "the first case painted");

  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *url = g_strconcat (b.fake->api_url, "/_fake/timing", NULL);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    msg = soup_message_new ("GET", url);
    body = soup_session_send_and_read (b.fake->session, msg, NULL, &error);
    g_assert_no_error (error);
    if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
      g_error ("/_fake/timing: %s", error->message);
    timing = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  }
  answered = json_object_get_int_member (timing, "first_list_answered_us");
  printf ("start: %" G_GINT64_FORMAT " case lists answered by then, the last %.0f ms after the first\n",
          json_object_get_int_member (timing, "list_answers"),
          (json_object_get_int_member (timing, "last_list_answered_us") - answered) / 1000.0);

  printf ("start: %s pending: first case painted %.0f ms after the server answered the "
          "first list, %.0f ms after app start (the server took %.0f ms to answer)\n",
          cases + strlen ("--cases="), (b.painted_at - answered) / 1000.0,
          (b.painted_at - app_start) / 1000.0, (answered - app_start) / 1000.0);
  bench_figure ("start.after_answer", (b.painted_at - answered) / 1000.0);
  bench_figure ("start.from_app", (b.painted_at - app_start) / 1000.0);
  window_bench_stop (&b);
  return 0;
}
