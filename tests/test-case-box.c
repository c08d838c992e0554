/* test-case-box.c: ErCaseBox, the case and the deny panel beside or below
 * it. Below, the panel gets the height the case leaves (at least 160
 * pixels, at most half), worked out again when the case grows while the
 * panel is open: its buttons stay in the window. */
#include "config.h"

#include <adwaita.h>

#include "er-case-box.h"
#include "test-async.h"

typedef struct
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *kase;   /* stands for the case view: only a height */
  GtkWidget *panel;  /* a list that scrolls, then a button row */
  GtkWidget *button;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  f->window = gtk_window_new ();
  f->box = er_case_box_new ();
  f->kase = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  f->panel = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  f->button = gtk_button_new_with_label ("Deny");

  gtk_widget_set_size_request (f->kase, 300, 300);
  gtk_widget_set_hexpand (f->kase, TRUE);
  gtk_widget_set_vexpand (f->kase, TRUE);
  gtk_widget_set_size_request (list, 200, 2000);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (f->panel), scroller);
  gtk_box_append (GTK_BOX (f->panel), f->button);
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_NONE);
  gtk_revealer_set_child (GTK_REVEALER (revealer), f->panel);
  gtk_revealer_set_reveal_child (GTK_REVEALER (revealer), TRUE);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (f->box), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_parent (f->kase, f->box);
  gtk_widget_set_parent (revealer, f->box);
  er_case_box_set_panel (ER_CASE_BOX (f->box), f->panel);
  g_assert_true (er_case_box_get_panel (ER_CASE_BOX (f->box)) == f->panel);

  gtk_window_set_child (GTK_WINDOW (f->window), f->box);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 700);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

typedef struct { GtkWidget *widget; int height; } Height;

static gboolean
has_height (gpointer data)
{
  Height *h = data;

  return gtk_widget_get_height (h->widget) == h->height;
}

/* Waits until the box is laid out at its height, then for the panel to
 * have `expected` pixels. */
static void
assert_panel_height (Fixture *f,
                     int      expected)
{
  Height panel = { f->panel, expected };

  if (!test_wait_for (has_height, &panel, 10))
    g_error ("the panel is %d pixels high, %d expected (box %d, case %d)",
             gtk_widget_get_height (f->panel), expected, gtk_widget_get_height (f->box),
             gtk_widget_get_height (f->kase));
}

/* The Deny button lies inside the box: on screen, not cut off below. */
static void
assert_button_inside (Fixture *f)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (f->button, f->box, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (f->box));
}

static gboolean
is_laid_out (gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

static void
test_below (Fixture       *f,
            gconstpointer  data)
{
  int height;

  g_assert_true (test_wait_for (is_laid_out, f->box, 10));
  height = gtk_widget_get_height (f->box);
  g_assert_cmpint (height, >=, 600);

  /* The case keeps its 300 pixels; the panel has the rest, up to half. */
  assert_panel_height (f, CLAMP (height - 300 - 1, 160, height / 2));
  assert_button_inside (f);

  /* The case grows while the panel is open (a banner, a line read on
   * the ID): the panel gives up what the case now needs. */
  gtk_widget_set_size_request (f->kase, 300, height - 250);
  assert_panel_height (f, 249);
  assert_button_inside (f);
  g_assert_cmpint (gtk_widget_get_height (f->kase), >=, height - 250);
  g_assert_cmpint (gtk_widget_get_height (f->box), ==, height); /* the window did not grow */

  /* And takes it back when the case shrinks, never more than half. */
  gtk_widget_set_size_request (f->kase, 300, 100);
  assert_panel_height (f, height / 2);
  assert_button_inside (f);
}

static void
test_beside (Fixture       *f,
             gconstpointer  data)
{
  int height;

  g_assert_true (test_wait_for (is_laid_out, f->box, 10));
  height = gtk_widget_get_height (f->box);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (f->box), GTK_ORIENTATION_HORIZONTAL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 700);

  /* Beside: no height of its own, the whole height of the box. */
  assert_panel_height (f, height);
  {
    int request;

    gtk_widget_get_size_request (f->panel, NULL, &request);
    g_assert_cmpint (request, ==, -1);
  }
  assert_button_inside (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

  g_test_add ("/case-box/below", Fixture, NULL, fixture_set_up, test_below, fixture_tear_down);
  g_test_add ("/case-box/beside", Fixture, NULL, fixture_set_up, test_beside, fixture_tear_down);

  return g_test_run ();
}
