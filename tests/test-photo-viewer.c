/* test-photo-viewer.c: the photo viewer and the photo pair, under a virtual
 * display.
 *
 * The photo is drawn by code: 800×500, four coloured quarters (red top left,
 * green top right, blue bottom left, yellow bottom right), so rendering can
 * be checked pixel by pixel, also after rotation.
 */
#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "er-photo-pair.h"
#include "er-photo-viewer.h"
/* Only to read what the zoom indicator says. */
#include "er-photo-viewer-private.h"
#include "test-xdotool.h"

#define EPSILON 1e-6

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (;;)
    {
      if (condition (data))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct {
  GtkWidget *widget;
  int        width;
  int        height;
} SizeWait;

static gboolean
has_size (gpointer data)
{
  SizeWait *w = data;

  return gtk_widget_get_mapped (w->widget) &&
         gtk_widget_get_width (w->widget) == w->width &&
         gtk_widget_get_height (w->widget) == w->height;
}

/* A window of exactly width × height around child, shown and laid out. */
static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();
  SizeWait w = { child, width, height };

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (has_size, &w, 10));
  return window;
}

static void
resize_window (GtkWidget *window,
               GtkWidget *child,
               int        width,
               int        height)
{
  SizeWait w = { child, width, height };

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (wait_for (has_size, &w, 10));
}

typedef struct { guint8 r, g, b; } Rgb;

static const Rgb RED = { 255, 0, 0 };
static const Rgb GREEN = { 0, 255, 0 };
static const Rgb BLUE = { 0, 0, 255 };
static const Rgb YELLOW = { 255, 255, 0 };

static GdkTexture *
make_photo (int width,
            int height)
{
  gsize stride = (gsize) width * 4;
  guint8 *pixels = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const Rgb *c = y < height / 2 ? (x < width / 2 ? &RED : &GREEN)
                                      : (x < width / 2 ? &BLUE : &YELLOW);
        guint8 *p = pixels + y * stride + x * 4;

        p[0] = c->r;
        p[1] = c->g;
        p[2] = c->b;
        p[3] = 255;
      }

  bytes = g_bytes_new_take (pixels, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

/* What the window's renderer draws for the widget. */
typedef struct {
  int     width;
  int     height;
  gsize   stride;
  guint8 *pixels; /* GDK_MEMORY_DEFAULT: native-endian premultiplied ARGB */
} Rendering;

static void
rendering_free (Rendering *r)
{
  g_free (r->pixels);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rendering, rendering_free)

static Rendering *
render (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  Rendering *r = g_new0 (Rendering, 1);

  r->width = gtk_widget_get_width (widget);
  r->height = gtk_widget_get_height (widget);
  /* As its parent, the window, draws it (at 0, 0: no decorations). */
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, r->width, r->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, r->width);

  r->stride = (gsize) r->width * 4;
  r->pixels = g_malloc (r->stride * r->height);
  gdk_texture_download (texture, r->pixels, r->stride);
  return r;
}

static void
assert_pixel (Rendering *r,
              int        x,
              int        y,
              const Rgb *expected)
{
  guint32 p = *(guint32 *) (r->pixels + y * r->stride + x * 4);
  int a = p >> 24, red = (p >> 16) & 0xff, green = (p >> 8) & 0xff, blue = p & 0xff;

  if (expected == NULL)
    {
      if (a != 0)
        g_error ("pixel %d,%d: alpha %d, expected transparent", x, y, a);
      return;
    }

  if (a < 250 || ABS (red - expected->r) > 8 || ABS (green - expected->g) > 8 ||
      ABS (blue - expected->b) > 8)
    g_error ("pixel %d,%d: rgba(%d,%d,%d,%d), expected rgb(%d,%d,%d)",
             x, y, red, green, blue, a, expected->r, expected->g, expected->b);
}

static void
assert_bounds (ErPhotoViewer *viewer,
               double         x,
               double         y,
               double         width,
               double         height)
{
  graphene_rect_t bounds;

  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.origin.x, x, 1e-3);
  g_assert_cmpfloat_with_epsilon (bounds.origin.y, y, 1e-3);
  g_assert_cmpfloat_with_epsilon (bounds.size.width, width, 1e-3);
  g_assert_cmpfloat_with_epsilon (bounds.size.height, height, 1e-3);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

typedef struct {
  GtkWidget     *window;
  ErPhotoViewer *viewer;
  GdkTexture    *photo;
  double         last_zoom;
} Fixture;

/* 400×300 around an 800×500 photo: best fit is 0.5 (by the width), 0.375
 * when turned a quarter (by the height, the photo being 800 high then). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* Not over the window that opens (it would take the pointer as the
   * zoom anchor). */
  test_xdotool_pointer_away ();
  f->photo = make_photo (800, 500);
  f->viewer = ER_PHOTO_VIEWER (er_photo_viewer_new ());
  er_photo_viewer_set_paintable (f->viewer, GDK_PAINTABLE (f->photo));
  f->window = show_in_window (GTK_WIDGET (f->viewer), 400, 300);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->photo);
}

static void
test_defaults (void)
{
  g_autoptr(GtkWidget) viewer = g_object_ref_sink (er_photo_viewer_new ());
  int min, nat;

  g_assert_null (er_photo_viewer_get_paintable (ER_PHOTO_VIEWER (viewer)));
  g_assert_true (er_photo_viewer_get_best_fit (ER_PHOTO_VIEWER (viewer)));
  g_assert_cmpint (er_photo_viewer_get_rotation (ER_PHOTO_VIEWER (viewer)), ==, 0);
  g_assert_false (gtk_widget_get_focusable (viewer));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (viewer)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);

  /* A big photo asks for no more room. */
  {
    g_autoptr(GdkTexture) photo = make_photo (4000, 3000);

    er_photo_viewer_set_paintable (ER_PHOTO_VIEWER (viewer), GDK_PAINTABLE (photo));
    gtk_widget_measure (viewer, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
    g_assert_cmpint (min, <=, 64);
    g_assert_cmpint (nat, <=, 320);
    gtk_widget_measure (viewer, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
    g_assert_cmpint (min, <=, 64);
    g_assert_cmpint (nat, <=, 240);
  }

  /* Nothing to show: the view commands do nothing, without criticals. */
  er_photo_viewer_set_paintable (ER_PHOTO_VIEWER (viewer), NULL);
  er_photo_viewer_zoom_in (ER_PHOTO_VIEWER (viewer));
  er_photo_viewer_pan (ER_PHOTO_VIEWER (viewer), 10, 10);
  er_photo_viewer_actual_size (ER_PHOTO_VIEWER (viewer));
  g_assert_false (er_photo_viewer_get_photo_bounds (ER_PHOTO_VIEWER (viewer),
                                                    &GRAPHENE_RECT_INIT (0, 0, 0, 0)));
}

static void
test_zoom (Fixture       *f,
           gconstpointer  data)
{
  guint zoom_notes = 0, fit_notes = 0;
  double zoom;

  g_signal_connect (f->viewer, "notify::zoom", G_CALLBACK (count_notify), &zoom_notes);
  g_signal_connect (f->viewer, "notify::best-fit", G_CALLBACK (count_notify), &fit_notes);

  /* Best fit: all of it, centred. */
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
  assert_bounds (f->viewer, 0, 25, 400, 250);

  /* Never smaller than best fit when that is below 100 %. */
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpuint (zoom_notes, ==, 0);

  /* The next round level: 66⅔ %. */
  er_photo_viewer_zoom_in (f->viewer);
  zoom = er_photo_viewer_get_zoom (f->viewer);
  g_assert_cmpfloat_with_epsilon (zoom, 2.0 / 3, EPSILON);
  g_assert_false (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpuint (zoom_notes, ==, 1);
  g_assert_cmpuint (fit_notes, ==, 1);
  /* Around the centre: the photo's centre stays at the widget's. */
  {
    graphene_rect_t b;

    er_photo_viewer_get_photo_bounds (f->viewer, &b);
    g_assert_cmpfloat_with_epsilon (b.origin.x + b.size.width / 2, 200, 1e-3);
    g_assert_cmpfloat_with_epsilon (b.origin.y + b.size.height / 2, 150, 1e-3);
    g_assert_cmpfloat_with_epsilon (b.size.width, 800 * zoom, 1e-3);
  }

  /* Back out lands on best fit again. */
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);

  er_photo_viewer_actual_size (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  g_assert_false (er_photo_viewer_get_best_fit (f->viewer));
  assert_bounds (f->viewer, -200, -100, 800, 500);

  er_photo_viewer_best_fit (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
  assert_bounds (f->viewer, 0, 25, 400, 250);

  /* There is a ceiling. */
  for (int i = 0; i < 40; i++)
    er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 16.0);
}

static void
test_next_zoom (void)
{
  static const struct {
    double   zoom;
    double   fit;
    gboolean in;
    double   next;
  } steps[] = {
    { 1.01, 1.01, TRUE, 1.25 },     /* from best fit at 101 %: 125 % */
    { 0.5, 0.5, TRUE, 2.0 / 3 },
    { 2.0 / 3, 0.5, TRUE, 0.75 },
    { 0.75, 0.5, FALSE, 2.0 / 3 },
    { 1.0, 0.5, FALSE, 0.75 },
    { 0.437, 0.437, TRUE, 0.5 },
    /* From odd values (the wheel, a pinch): the next level at least 6 %
     * away. */
    { 1.1, 0.5, TRUE, 1.25 },
    { 1.2, 0.5, TRUE, 1.5 },
    { 1.2, 0.5, FALSE, 1.0 },
    { 1.53, 0.5, TRUE, 2.0 },
    { 1.53, 0.5, FALSE, 1.25 },
    { 0.04, 0.04, TRUE, 0.05 },
    /* Best fit is a stop on the way, and a level within 6 % of it gives
     * way to it. */
    { 0.7, 0.5, FALSE, 0.5 },
    { 0.6, 0.55, FALSE, 0.55 },
    { 0.8, 0.72, FALSE, 0.72 },
    { 3.0, 3.8, TRUE, 3.8 },
    { 3.0, 5.0, TRUE, 4.0 },
    { 1.0, 4.0, TRUE, 1.25 },
    { 1.0, 1.01, TRUE, 1.25 },      /* best fit too close: the next level */
    /* Past the ends of the list. */
    { 16.0, 0.5, TRUE, 16.0 },
    { 20.0, 20.0, FALSE, 16.0 },
    { 0.04, 0.04, FALSE, 0.04 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double next = er_photo_viewer_next_zoom (steps[i].zoom, steps[i].fit, steps[i].in);

      if (fabs (next - steps[i].next) > EPSILON)
        g_error ("zoom %s from %g (best fit %g): %g, expected %g", steps[i].in ? "in" : "out",
                 steps[i].zoom, steps[i].fit, next, steps[i].next);
    }
}

/* What the zoom indicator over the photo says, NULL when it is hidden. */
static const char *
indicator_text (ErPhotoViewer *viewer)
{
  return viewer->indicator != NULL ? pango_layout_get_text (viewer->indicator) : NULL;
}

static void
assert_indicator (ErPhotoViewer *viewer,
                  const char    *expected)
{
  g_assert_cmpstr (indicator_text (viewer), ==, expected);
}

/* Shown as "Best fit" or one of the round levels. */
static void
assert_round_indicator (ErPhotoViewer *viewer)
{
  static const char * const round[] = {
    "Best fit", "5 %", "10 %", "25 %", "33 %", "50 %", "67 %", "75 %", "100 %", "125 %",
    "150 %", "200 %", "300 %", "400 %", "600 %", "800 %", "1200 %", "1600 %", NULL
  };
  const char *text = indicator_text (viewer);

  if (text == NULL || !g_strv_contains (round, text))
    g_error ("zoom shown as \"%s\" at %g", text, er_photo_viewer_get_zoom (viewer));
}

static void
test_zoom_steps (Fixture       *f,
                 gconstpointer  data)
{
  static const double up[] = { 2.0 / 3, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8, 12, 16 };

  /* From best fit (50 %) through every level to 1600 % and back, each
   * step on a round level and shown as one. */
  for (guint i = 0; i < G_N_ELEMENTS (up); i++)
    {
      er_photo_viewer_zoom_in (f->viewer);
      g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), up[i], EPSILON);
      assert_round_indicator (f->viewer);
    }
  for (guint i = G_N_ELEMENTS (up) - 1; i-- > 0;)
    {
      er_photo_viewer_zoom_out (f->viewer);
      g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), up[i], EPSILON);
      assert_round_indicator (f->viewer);
    }
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  assert_indicator (f->viewer, "Best fit");

  /* Best fit at 101 % (808 px wide): in goes to 125 %, never "101 %";
   * out comes back to best fit, then to 100 %, the floor. */
  resize_window (f->window, GTK_WIDGET (f->viewer), 808, 600);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.01, EPSILON);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.25, EPSILON);
  assert_indicator (f->viewer, "125 %");
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  assert_indicator (f->viewer, "Best fit");
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  assert_indicator (f->viewer, "100 %");
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.25, EPSILON);

  /* An odd best fit (50.5 %): in to 66⅔ %, out to best fit again. */
  resize_window (f->window, GTK_WIDGET (f->viewer), 404, 300);
  er_photo_viewer_best_fit (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.505, EPSILON);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 2.0 / 3, EPSILON);
  assert_indicator (f->viewer, "67 %");
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  assert_indicator (f->viewer, "Best fit");
}

typedef struct {
  ErPhotoViewer *viewer;
  double         x;
  double         y;
} AnchorWait;

static gboolean
has_anchor_at (gpointer data)
{
  AnchorWait *w = data;
  double x, y;

  return er_photo_viewer_get_zoom_anchor (w->viewer, &x, &y) &&
         fabs (x - w->x) < 0.5 && fabs (y - w->y) < 0.5;
}

/* The real pointer, moved over the viewer at (x, y). */
static void
point_at (ErPhotoViewer *viewer,
          double         x,
          double         y)
{
  AnchorWait w = { viewer, x, y };

  test_xdotool_pointer (GTK_WIDGET (viewer), x, y);
  g_assert_true (wait_for (has_anchor_at, &w, 10));
}

static gboolean
pointer_left (gpointer data)
{
  return !ER_PHOTO_VIEWER (data)->has_pointer;
}

/* The photo point shown at (x, y) of the widget. */
static graphene_point_t
photo_point_at (ErPhotoViewer *viewer,
                double         x,
                double         y)
{
  graphene_rect_t b;
  double zoom = er_photo_viewer_get_zoom (viewer);

  g_assert_true (er_photo_viewer_get_photo_bounds (viewer, &b));
  return GRAPHENE_POINT_INIT ((x - b.origin.x) / zoom, (y - b.origin.y) / zoom);
}

static void
assert_photo_point_at (ErPhotoViewer *viewer,
                       double         x,
                       double         y,
                       double         photo_x,
                       double         photo_y)
{
  graphene_point_t p = photo_point_at (viewer, x, y);

  if (fabs (p.x - photo_x) > 0.01 || fabs (p.y - photo_y) > 0.01)
    g_error ("at %g, %g (zoom %g): photo point %g, %g, expected %g, %g",
             x, y, er_photo_viewer_get_zoom (viewer), p.x, p.y, photo_x, photo_y);
}

static void
test_zoom_anchor (Fixture       *f,
                  gconstpointer  data)
{
  double x, y;

  /* Never pointed at: the keys zoom around the centre. */
  g_assert_false (er_photo_viewer_get_zoom_anchor (f->viewer, &x, &y));
  g_assert_cmpfloat (x, ==, 200);
  g_assert_cmpfloat (y, ==, 150);

  /* The pointer at (300, 100): the photo point under it, (600, 150), stays
   * under it as the keys zoom in, step after step. */
  point_at (f->viewer, 300, 100);
  assert_photo_point_at (f->viewer, 300, 100, 600, 150);
  for (int i = 0; i < 3; i++)
    {
      er_photo_viewer_zoom_in (f->viewer);
      assert_photo_point_at (f->viewer, 300, 100, 600, 150);
    }
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);

  /* The pointer gone (to a corner of the screen): the keys zoom around
   * where it was last over the photo. */
  test_xdotool_pointer_away ();
  g_assert_true (wait_for (pointer_left, f->viewer, 10));
  g_assert_true (er_photo_viewer_get_zoom_anchor (f->viewer, &x, &y));
  for (int i = 0; i < 2; i++)
    {
      er_photo_viewer_zoom_out (f->viewer);
      assert_photo_point_at (f->viewer, 300, 100, 600, 150);
    }
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 2.0 / 3, EPSILON);

  /* A new photo, the pointer still away: around the centre again. */
  er_photo_viewer_set_paintable (f->viewer, NULL);
  er_photo_viewer_set_paintable (f->viewer, GDK_PAINTABLE (f->photo));
  g_assert_false (er_photo_viewer_get_zoom_anchor (f->viewer, &x, &y));
  er_photo_viewer_zoom_in (f->viewer);
  assert_photo_point_at (f->viewer, 200, 150, 400, 250);

  /* A new photo under a pointer resting on the viewer: around the
   * pointer. */
  point_at (f->viewer, 100, 200);
  er_photo_viewer_set_paintable (f->viewer, NULL);
  er_photo_viewer_set_paintable (f->viewer, GDK_PAINTABLE (f->photo));
  g_assert_true (er_photo_viewer_get_zoom_anchor (f->viewer, &x, &y));
  g_assert_cmpfloat (x, ==, 100);
  g_assert_cmpfloat (y, ==, 200);
  /* Best fit shows (200, 350) there; 66⅔ % keeps it. */
  er_photo_viewer_zoom_in (f->viewer);
  assert_photo_point_at (f->viewer, 100, 200, 200, 350);

  test_xdotool_pointer_away ();
}

static gboolean
zoom_changed (gpointer data)
{
  Fixture *f = data;

  return er_photo_viewer_get_zoom (f->viewer) != f->last_zoom;
}

/* A notch of the real wheel (button 4 up, 5 down) over the viewer. */
static void
wheel (Fixture *f,
       int      button)
{
  f->last_zoom = er_photo_viewer_get_zoom (f->viewer);
  test_xdotool_click (button);
  g_assert_true (wait_for (zoom_changed, f, 10));
}

/* The wheel zooms by 1.25 a notch, to odd levels; the keys go on from
 * there on round ones. */
static void
test_zoom_steps_after_wheel (Fixture       *f,
                             gconstpointer  data)
{
  point_at (f->viewer, 200, 150);
  wheel (f, 4);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.625, EPSILON);
  assert_indicator (f->viewer, "63 %");
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 2.0 / 3, EPSILON);
  assert_indicator (f->viewer, "67 %");
  wheel (f, 4);
  wheel (f, 4);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 2.0 / 3 * 1.25 * 1.25, EPSILON);
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.75, EPSILON);
  assert_indicator (f->viewer, "75 %");
  er_photo_viewer_actual_size (f->viewer);
  wheel (f, 4);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.25, EPSILON);
  wheel (f, 4);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 2.0, EPSILON);
  assert_indicator (f->viewer, "200 %");
  wheel (f, 5);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.6, EPSILON);
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 1.5, EPSILON);
  assert_indicator (f->viewer, "150 %");
  er_photo_viewer_best_fit (f->viewer);
  wheel (f, 4);
  wheel (f, 5);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  wheel (f, 4);
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  assert_indicator (f->viewer, "Best fit");

  test_xdotool_pointer_away ();
}

static void
test_pan (Fixture       *f,
          gconstpointer  data)
{
  /* At best fit the photo cannot move. */
  er_photo_viewer_pan (f->viewer, 50, 50);
  assert_bounds (f->viewer, 0, 25, 400, 250);

  er_photo_viewer_actual_size (f->viewer);
  assert_bounds (f->viewer, -200, -100, 800, 500);

  er_photo_viewer_pan (f->viewer, 10, -20);
  assert_bounds (f->viewer, -190, -120, 800, 500);

  /* Far away: the photo's edge stops at the widget's edge. */
  er_photo_viewer_pan (f->viewer, 10000, 10000);
  assert_bounds (f->viewer, 0, 0, 800, 500);
  er_photo_viewer_pan (f->viewer, -10000, -10000);
  assert_bounds (f->viewer, 400 - 800, 300 - 500, 800, 500);

  /* And back by a little: it moves by that little. */
  er_photo_viewer_pan (f->viewer, 30, 40);
  assert_bounds (f->viewer, 400 - 800 + 30, 300 - 500 + 40, 800, 500);

  /* Larger along one axis only (turned, 500 × 800 at 50 %: 250 × 400):
   * centred along the other. */
  er_photo_viewer_rotate (f->viewer, 90);
  er_photo_viewer_best_fit (f->viewer);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
  er_photo_viewer_pan (f->viewer, 1000, 1000);
  assert_bounds (f->viewer, 200 - 125, 0, 250, 400);
  er_photo_viewer_pan (f->viewer, -1000, -1000);
  assert_bounds (f->viewer, 200 - 125, 300 - 400, 250, 400);
}

static void
test_rotate (Fixture       *f,
             gconstpointer  data)
{
  guint rotation_notes = 0;

  g_signal_connect (f->viewer, "notify::rotation", G_CALLBACK (count_notify), &rotation_notes);

  er_photo_viewer_rotate (f->viewer, 90);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 90);
  g_assert_cmpuint (rotation_notes, ==, 1);
  /* Now 500 wide and 800 high: it fits by its height. */
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.375, EPSILON);
  assert_bounds (f->viewer, 200 - 187.5 / 2, 0, 187.5, 300);

  er_photo_viewer_rotate (f->viewer, -90);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 0);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);

  er_photo_viewer_rotate (f->viewer, -90);
  er_photo_viewer_rotate (f->viewer, -90);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 180);
  er_photo_viewer_rotate (f->viewer, -90);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 90);
  er_photo_viewer_rotate (f->viewer, 360 + 180);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 270);

  /* Zoomed in and turned: the zoom stays, the photo point in the middle
   * stays in the middle. */
  er_photo_viewer_reset (f->viewer);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 0);
  er_photo_viewer_actual_size (f->viewer);
  er_photo_viewer_pan (f->viewer, 100, 0); /* photo point (300, 250) in the middle */
  er_photo_viewer_rotate (f->viewer, 90);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  g_assert_false (er_photo_viewer_get_best_fit (f->viewer));
  /* Turned clockwise, (300, 250) of 800×500 is (250, 300) of 500×800. */
  assert_bounds (f->viewer, 200 - 250, 150 - 300, 500, 800);

  er_photo_viewer_reset (f->viewer);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 0);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
  assert_bounds (f->viewer, 0, 25, 400, 250);
}

static void
test_set_paintable_resets (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GdkTexture) small = make_photo (100, 60);
  guint paintable_notes = 0;

  g_signal_connect (f->viewer, "notify::paintable", G_CALLBACK (count_notify), &paintable_notes);

  er_photo_viewer_zoom_in (f->viewer);
  er_photo_viewer_rotate (f->viewer, 90);
  er_photo_viewer_pan (f->viewer, 30, 30);

  er_photo_viewer_set_paintable (f->viewer, GDK_PAINTABLE (small));
  g_assert_cmpuint (paintable_notes, ==, 1);
  g_assert_true (er_photo_viewer_get_paintable (f->viewer) == GDK_PAINTABLE (small));
  g_assert_cmpint (er_photo_viewer_get_rotation (f->viewer), ==, 0);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  /* A small photo is scaled up to fit: min (400 / 100, 300 / 60). */
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 4.0, EPSILON);

  /* 100 % is still possible, and the lower limit then. */
  er_photo_viewer_actual_size (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  assert_bounds (f->viewer, 150, 120, 100, 60);
  er_photo_viewer_zoom_out (f->viewer);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);

  /* Zooming in from below best fit stops there on the way: 125, 150, 200,
   * 300 %, then best fit (400 %), then 600 %. */
  for (int i = 0; i < 4; i++)
    er_photo_viewer_zoom_in (f->viewer);
  g_assert_false (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 3.0, EPSILON);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 4.0, EPSILON);
  er_photo_viewer_zoom_in (f->viewer);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 6.0, EPSILON);

  er_photo_viewer_set_paintable (f->viewer, GDK_PAINTABLE (f->photo));
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.5, EPSILON);
}

static void
test_resize (Fixture       *f,
             gconstpointer  data)
{
  graphene_rect_t before, after;

  /* Best fit follows the size. */
  resize_window (f->window, GTK_WIDGET (f->viewer), 600, 300);
  g_assert_true (er_photo_viewer_get_best_fit (f->viewer));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->viewer), 0.6, EPSILON);

  /* Zoomed: the zoom stays, and so does the photo point in the middle. */
  er_photo_viewer_actual_size (f->viewer);
  er_photo_viewer_pan (f->viewer, 50, 40);
  er_photo_viewer_get_photo_bounds (f->viewer, &before);
  resize_window (f->window, GTK_WIDGET (f->viewer), 500, 260);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (f->viewer), ==, 1.0);
  g_assert_false (er_photo_viewer_get_best_fit (f->viewer));
  er_photo_viewer_get_photo_bounds (f->viewer, &after);
  g_assert_cmpfloat_with_epsilon (300 - before.origin.x, 250 - after.origin.x, 1e-3);
  g_assert_cmpfloat_with_epsilon (150 - before.origin.y, 130 - after.origin.y, 1e-3);
}

static void
test_render (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Rendering) fit = NULL;
  g_autoptr(Rendering) turned = NULL;
  g_autoptr(Rendering) zoomed = NULL;

  /* Best fit: 400 × 250 at y = 25, nothing above or below. */
  fit = render (GTK_WIDGET (f->viewer));
  assert_pixel (fit, 100, 87, &RED);
  assert_pixel (fit, 300, 87, &GREEN);
  assert_pixel (fit, 100, 212, &BLUE);
  assert_pixel (fit, 300, 212, &YELLOW);
  assert_pixel (fit, 200, 10, NULL);
  assert_pixel (fit, 200, 290, NULL);

  /* A quarter turn clockwise: 187.5 × 300 from x = 106.25; the top left
   * (red) quarter is now top right. */
  er_photo_viewer_rotate (f->viewer, 90);
  turned = render (GTK_WIDGET (f->viewer));
  assert_pixel (turned, 153, 75, &BLUE);
  assert_pixel (turned, 247, 75, &RED);
  assert_pixel (turned, 153, 225, &YELLOW);
  assert_pixel (turned, 247, 225, &GREEN);
  assert_pixel (turned, 50, 150, NULL);
  assert_pixel (turned, 350, 150, NULL);

  /* 125 %, panned to the top left corner: the view shows photo pixels
   * (0, 0) to (320, 240), all red. */
  er_photo_viewer_reset (f->viewer);
  er_photo_viewer_actual_size (f->viewer);
  er_photo_viewer_zoom_in (f->viewer);
  er_photo_viewer_pan (f->viewer, 10000, 10000);
  zoomed = render (GTK_WIDGET (f->viewer));
  assert_pixel (zoomed, 1, 1, &RED);
  assert_pixel (zoomed, 398, 298, &RED);
}

/* Two viewers side by side, 400 × 300 each, linked: the 800 × 500 photo
 * (best fit 0.5) and a 300 × 400 one (best fit 0.75), whose common fit is
 * 0.5. */
typedef struct {
  GtkWidget     *window;
  ErPhotoViewer *a;
  ErPhotoViewer *b;
  GdkTexture    *photo_a;
  GdkTexture    *photo_b;
  ErPhotoLink   *link;
} LinkFixture;

static void
link_set_up (LinkFixture   *f,
             gconstpointer  data)
{
  GtkWidget *pair = er_photo_pair_new ();

  test_xdotool_pointer_away ();
  f->photo_a = make_photo (800, 500);
  f->photo_b = make_photo (300, 400);
  f->link = er_photo_link_new ();
  f->a = ER_PHOTO_VIEWER (er_photo_viewer_new ());
  f->b = ER_PHOTO_VIEWER (er_photo_viewer_new ());
  er_photo_viewer_set_paintable (f->a, GDK_PAINTABLE (f->photo_a));
  er_photo_viewer_set_paintable (f->b, GDK_PAINTABLE (f->photo_b));
  er_photo_viewer_set_link (f->a, f->link);
  g_object_set (f->b, "link", f->link, NULL);
  g_assert_true (er_photo_viewer_get_link (f->b) == f->link);
  er_photo_pair_set_start_child (ER_PHOTO_PAIR (pair), GTK_WIDGET (f->a));
  er_photo_pair_set_end_child (ER_PHOTO_PAIR (pair), GTK_WIDGET (f->b));
  f->window = show_in_window (pair, 812, 300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->b)), ==, 400);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->b)), ==, 300);
}

static void
link_tear_down (LinkFixture   *f,
                gconstpointer  data)
{
  test_xdotool_pointer_away ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->link);
  g_clear_object (&f->photo_a);
  g_clear_object (&f->photo_b);
}

static void
assert_area (ErPhotoViewer *viewer,
             double         x,
             double         y,
             double         width,
             double         height)
{
  graphene_rect_t area;

  g_assert_true (er_photo_viewer_get_visible_area (viewer, &area));
  if (fabs (area.origin.x - x) > 1e-3 || fabs (area.origin.y - y) > 1e-3 ||
      fabs (area.size.width - width) > 1e-3 || fabs (area.size.height - height) > 1e-3)
    g_error ("visible %g, %g, %g × %g, expected %g, %g, %g × %g",
             area.origin.x, area.origin.y, area.size.width, area.size.height,
             x, y, width, height);
}

static void
assert_zooms (LinkFixture *f,
              double       zoom)
{
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->a), zoom, EPSILON);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->b), zoom, EPSILON);
}

static void
test_link_zoom_pan (LinkFixture   *f,
                    gconstpointer  data)
{
  guint notes = 0;

  g_signal_connect (f->link, "notify::active", G_CALLBACK (count_notify), &notes);

  /* Not active: each at its own best fit. */
  g_assert_false (er_photo_link_get_active (f->link));
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->a), 0.5, EPSILON);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->b), 0.75, EPSILON);

  /* Active: the same scale, the common fit, both whole. */
  g_object_set (f->link, "active", TRUE, NULL);
  g_assert_cmpuint (notes, ==, 1);
  assert_zooms (f, 0.5);
  g_assert_true (er_photo_viewer_get_best_fit (f->a));
  g_assert_true (er_photo_viewer_get_best_fit (f->b));
  assert_bounds (f->b, 200 - 75, 150 - 100, 150, 200);
  assert_area (f->b, 0, 0, 300, 400);

  /* Zooming one zooms the other, round level after round level, each
   * around its centre (no pointer): the visible areas follow. */
  er_photo_viewer_zoom_in (f->a);
  assert_zooms (f, 2.0 / 3);
  g_assert_false (er_photo_viewer_get_best_fit (f->b));
  assert_indicator (f->b, "67 %");
  er_photo_viewer_zoom_in (f->a);
  er_photo_viewer_zoom_in (f->a);
  assert_zooms (f, 1.0);
  assert_area (f->a, 200, 100, 400, 300);
  assert_area (f->b, 0, 50, 300, 300);

  /* Moving one moves the other as much, on screen. */
  er_photo_viewer_pan (f->a, 0, -50);
  assert_area (f->a, 200, 150, 400, 300);
  assert_area (f->b, 0, 100, 300, 300);
  /* Each stops at its own edges: the other goes on. */
  er_photo_viewer_pan (f->a, 0, -100);
  assert_area (f->a, 200, 200, 400, 300);
  assert_area (f->b, 0, 100, 300, 300);
  er_photo_viewer_pan (f->b, 0, 30);
  assert_area (f->a, 200, 170, 400, 300);
  assert_area (f->b, 0, 70, 300, 300);

  /* Either way: zooming the other zooms the first. */
  er_photo_viewer_zoom_out (f->b);
  assert_zooms (f, 0.75);
  assert_indicator (f->a, "75 %");
  er_photo_viewer_actual_size (f->b);
  assert_zooms (f, 1.0);
  assert_area (f->a, 200, 100, 400, 300);
  assert_area (f->b, 0, 50, 300, 300);

  /* Best fit is the common fit, for both. */
  er_photo_viewer_best_fit (f->b);
  assert_zooms (f, 0.5);
  g_assert_true (er_photo_viewer_get_best_fit (f->a));
  g_assert_true (er_photo_viewer_get_best_fit (f->b));
  /* It follows the size: at 500 × 300 each, a fits at 0.6, b at 0.75. */
  resize_window (f->window, gtk_widget_get_parent (GTK_WIDGET (f->a)), 1012, 300);
  assert_zooms (f, 0.6);
  resize_window (f->window, gtk_widget_get_parent (GTK_WIDGET (f->a)), 812, 300);
  assert_zooms (f, 0.5);

  /* Turning one is its own: the common fit follows its new shape (500 ×
   * 800: 0.375). */
  er_photo_viewer_rotate (f->a, 90);
  g_assert_cmpint (er_photo_viewer_get_rotation (f->b), ==, 0);
  assert_zooms (f, 0.375);
  er_photo_viewer_rotate (f->a, -90);
  assert_zooms (f, 0.5);

  /* Best fit is the floor of both. */
  er_photo_viewer_zoom_out (f->a);
  assert_zooms (f, 0.5);

  /* A new photo while linked takes the others' zoom, centred. */
  er_photo_viewer_zoom_in (f->a);
  er_photo_viewer_zoom_in (f->a);
  er_photo_viewer_set_paintable (f->b, NULL);
  er_photo_viewer_set_paintable (f->b, GDK_PAINTABLE (f->photo_b));
  assert_zooms (f, 0.75);
  assert_area (f->b, 0, 0, 300, 400);

  /* Inactive: each keeps its view, within its own limits. */
  g_object_set (f->link, "active", FALSE, NULL);
  g_assert_cmpuint (notes, ==, 2);
  er_photo_viewer_zoom_in (f->a);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->a), 1.0, EPSILON);
  /* At 0.75, b is at its own best fit. */
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->b), 0.75, EPSILON);
  g_assert_true (er_photo_viewer_get_best_fit (f->b));
  er_photo_viewer_best_fit (f->a);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->b), 0.75, EPSILON);
}

/* Becoming active, the viewers take the zoom of the one acted on last,
 * each keeping the photo point at its centre; at best fit, the common fit.
 * Leaving, each keeps its view. */
static void
test_link_activate (LinkFixture   *f,
                    gconstpointer  data)
{
  /* a: 66⅔ %, 600 × 450 photo pixels in view, moved 75 of them left. */
  er_photo_viewer_zoom_in (f->a);
  er_photo_viewer_pan (f->a, 50, 0);
  assert_area (f->a, 25, 25, 600, 450);
  /* b, acted on last: 100 %, 50 photo pixels lower. */
  er_photo_viewer_actual_size (f->b);
  er_photo_viewer_pan (f->b, 0, -50);
  assert_area (f->b, 0, 100, 300, 300);

  /* a takes b's 100 %, keeping its centre point (325, 250). */
  er_photo_link_set_active (f->link, TRUE);
  assert_zooms (f, 1.0);
  assert_area (f->a, 125, 100, 400, 300);
  assert_area (f->b, 0, 100, 300, 300);

  /* Leaving keeps both views. */
  er_photo_link_set_active (f->link, FALSE);
  assert_zooms (f, 1.0);
  assert_area (f->a, 125, 100, 400, 300);
  assert_area (f->b, 0, 100, 300, 300);

  /* b at best fit, acted on last: both at the common fit. */
  er_photo_viewer_best_fit (f->b);
  er_photo_link_set_active (f->link, TRUE);
  assert_zooms (f, 0.5);
  g_assert_true (er_photo_viewer_get_best_fit (f->a));
  g_assert_true (er_photo_viewer_get_best_fit (f->b));
  er_photo_link_set_active (f->link, FALSE);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (f->b), 0.75, EPSILON);
}

typedef struct {
  ErPhotoViewer *viewer;
  gboolean       dragging;
} DragWait;

static gboolean
drag_state (gpointer data)
{
  DragWait *w = data;

  return w->viewer->dragging == w->dragging;
}

/* A drag with the real pointer on one photo moves both. */
static void
test_link_drag (LinkFixture   *f,
                gconstpointer  data)
{
  DragWait w = { f->a, TRUE };
  AnchorWait at = { f->a, 0, 0 };

  er_photo_link_set_active (f->link, TRUE);
  er_photo_viewer_actual_size (f->a);
  assert_area (f->a, 200, 100, 400, 300);
  assert_area (f->b, 0, 50, 300, 300);

  point_at (f->a, 200, 150);
  test_xdotool_button (1, TRUE);
  g_assert_true (wait_for (drag_state, &w, 10));
  for (int i = 1; i <= 4; i++)
    {
      at.x = 200 + 10 * i;
      at.y = 150 + 10 * i;
      test_xdotool_pointer (GTK_WIDGET (f->a), at.x, at.y);
      g_assert_true (wait_for (has_anchor_at, &at, 10));
    }
  test_xdotool_button (1, FALSE);
  w.dragging = FALSE;
  g_assert_true (wait_for (drag_state, &w, 10));

  /* Dragged 40 px right and down: both show what is 40 px up and left. */
  assert_area (f->a, 160, 60, 400, 300);
  assert_area (f->b, 0, 10, 300, 300);
}

typedef struct {
  GtkWidget   *window;
  ErPhotoPair *pair;
  GtkWidget   *start;
  GtkWidget   *end;
} PairFixture;

static void
pair_set_up (PairFixture   *f,
             gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  const char *ui =
    "<interface>"
    "  <object class='ErPhotoPair' id='pair'>"
    "    <child><object class='ErPhotoViewer' id='start'/></child>"
    "    <child><object class='ErPhotoViewer' id='end'/></child>"
    "  </object>"
    "</interface>";

  g_type_ensure (ER_TYPE_PHOTO_PAIR);
  g_type_ensure (ER_TYPE_PHOTO_VIEWER);
  gtk_builder_add_from_string (builder, ui, -1, &error);
  g_assert_no_error (error);

  /* The builder's reference goes with it. */
  f->pair = g_object_ref (ER_PHOTO_PAIR (gtk_builder_get_object (builder, "pair")));
  f->start = GTK_WIDGET (gtk_builder_get_object (builder, "start"));
  f->end = GTK_WIDGET (gtk_builder_get_object (builder, "end"));
  g_assert_true (er_photo_pair_get_start_child (f->pair) == f->start);
  g_assert_true (er_photo_pair_get_end_child (f->pair) == f->end);
  g_assert_true (gtk_widget_get_parent (f->start) == GTK_WIDGET (f->pair));
  g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (f->pair)) == f->start);
}

static void
pair_tear_down (PairFixture   *f,
                gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->pair);
}

static graphene_rect_t
bounds_in (GtkWidget *child,
           GtkWidget *parent)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child, parent, &bounds));
  return bounds;
}

static void
test_pair_side_by_side (PairFixture   *f,
                        gconstpointer  data)
{
  graphene_rect_t start, end;
  int min, nat;

  /* Both layouts fit in the minimum size. */
  gtk_widget_measure (GTK_WIDGET (f->pair), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 2 * 64 + 12);
  g_assert_cmpint (nat, ==, 2 * 320 + 12);
  gtk_widget_measure (GTK_WIDGET (f->pair), GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 2 * 64 + 12);
  g_assert_cmpint (nat, ==, 240);

  f->window = show_in_window (GTK_WIDGET (f->pair), 800, 300);
  g_assert_false (er_photo_pair_get_stacked (f->pair));

  start = bounds_in (f->start, GTK_WIDGET (f->pair));
  end = bounds_in (f->end, GTK_WIDGET (f->pair));
  g_assert_cmpfloat (start.size.width, ==, 394);
  g_assert_cmpfloat (end.size.width, ==, 394);
  g_assert_cmpfloat (start.size.height, ==, 300);
  g_assert_cmpfloat (end.size.height, ==, 300);
  g_assert_cmpfloat (start.origin.x, ==, 0);
  g_assert_cmpfloat (end.origin.x, ==, 406);
  g_assert_cmpfloat (start.origin.y, ==, end.origin.y);
}

static void
test_pair_stacked (PairFixture   *f,
                   gconstpointer  data)
{
  graphene_rect_t start, end;
  guint notes = 0;

  g_signal_connect (f->pair, "notify::stacked", G_CALLBACK (count_notify), &notes);
  f->window = show_in_window (GTK_WIDGET (f->pair), 300, 800);
  g_assert_true (er_photo_pair_get_stacked (f->pair));
  g_assert_cmpuint (notes, ==, 1);

  start = bounds_in (f->start, GTK_WIDGET (f->pair));
  end = bounds_in (f->end, GTK_WIDGET (f->pair));
  g_assert_cmpfloat (start.size.height, ==, 394);
  g_assert_cmpfloat (end.size.height, ==, 394);
  g_assert_cmpfloat (start.size.width, ==, 300);
  g_assert_cmpfloat (end.size.width, ==, 300);
  g_assert_cmpfloat (start.origin.y, ==, 0);
  g_assert_cmpfloat (end.origin.y, ==, 406);

  /* The rule is the allocation's shape: 1.2 × as high as wide is not yet
   * tall enough, a pixel more is. */
  resize_window (f->window, GTK_WIDGET (f->pair), 500, 600);
  g_assert_false (er_photo_pair_get_stacked (f->pair));
  g_assert_cmpuint (notes, ==, 2);
  resize_window (f->window, GTK_WIDGET (f->pair), 500, 601);
  g_assert_true (er_photo_pair_get_stacked (f->pair));
  g_assert_cmpuint (notes, ==, 3);
}

static void
test_pair_one_child (void)
{
  GtkWidget *pair = er_photo_pair_new ();
  GtkWidget *only = er_photo_viewer_new ();
  GtkWidget *window;
  graphene_rect_t bounds;

  er_photo_pair_set_end_child (ER_PHOTO_PAIR (pair), only);
  window = show_in_window (pair, 500, 300);
  bounds = bounds_in (only, pair);
  g_assert_cmpfloat (bounds.size.width, ==, 500);
  g_assert_cmpfloat (bounds.size.height, ==, 300);

  er_photo_pair_set_end_child (ER_PHOTO_PAIR (pair), NULL);
  g_assert_null (gtk_widget_get_first_child (pair));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/photo-viewer/defaults", test_defaults);
  g_test_add_func ("/photo-viewer/next-zoom", test_next_zoom);
  ADD ("/photo-viewer/zoom", test_zoom);
  ADD ("/photo-viewer/zoom-steps", test_zoom_steps);
  ADD ("/photo-viewer/zoom-anchor", test_zoom_anchor);
  ADD ("/photo-viewer/zoom-steps-after-wheel", test_zoom_steps_after_wheel);
  ADD ("/photo-viewer/pan", test_pan);
  ADD ("/photo-viewer/rotate", test_rotate);
  ADD ("/photo-viewer/set-paintable-resets", test_set_paintable_resets);
  ADD ("/photo-viewer/resize", test_resize);
  ADD ("/photo-viewer/render", test_render);
#undef ADD
#define ADD(path, func) \
  g_test_add (path, PairFixture, NULL, pair_set_up, func, pair_tear_down)
  ADD ("/photo-pair/side-by-side", test_pair_side_by_side);
  ADD ("/photo-pair/stacked", test_pair_stacked);
#undef ADD
  g_test_add_func ("/photo-pair/one-child", test_pair_one_child);
#define ADD(path, func) \
  g_test_add (path, LinkFixture, NULL, link_set_up, func, link_tear_down)
  ADD ("/photo-link/zoom-pan", test_link_zoom_pan);
  ADD ("/photo-link/activate", test_link_activate);
  ADD ("/photo-link/drag", test_link_drag);
#undef ADD

  return g_test_run ();
}
