/* test-width-layout.c: ErWidthLayout, the case view's layout: the width it
 * asks of its children never depends on a height (a wrapping label asked
 * for its width at a given height bisects it, laying its text out at each
 * step), while their height still follows the width given. */
#include "config.h"

#include <adwaita.h>

#include "er-case-view.h"
#include "er-width-layout.h"

static const char long_text[] =
  "fcote2 · francois.cote@example.org · Webcam · Attempt 2 · "
  "Submitted on Tuesday 1 December 2026 at 14:03";

/* A box laid out by an ErWidthLayout, holding a wrapping label. */
static GtkWidget *
wrapping_label_in_layout (GtkWidget **label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  *label = gtk_label_new (long_text);
  gtk_label_set_wrap (GTK_LABEL (*label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (*label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), *label);
  gtk_widget_set_layout_manager (box, er_width_layout_new ());
  return g_object_ref_sink (box);
}

static void
test_width_without_height (void)
{
  GtkWidget *label;
  g_autoptr(GtkWidget) box = wrapping_label_in_layout (&label);
  int label_min, label_nat, min, nat, short_min, short_nat, tall_min, tall_nat;

  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &label_min, &label_nat, NULL, NULL);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, label_min);
  g_assert_cmpint (nat, ==, label_nat);
  g_assert_cmpint (min, <, nat);

  /* Whatever the height: the same answer as without one. */
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, 1, &short_min, &short_nat, NULL, NULL);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, 2000, &tall_min, &tall_nat, NULL, NULL);
  g_assert_cmpint (short_min, ==, min);
  g_assert_cmpint (short_nat, ==, nat);
  g_assert_cmpint (tall_min, ==, min);
  g_assert_cmpint (tall_nat, ==, nat);

  /* The label alone, asked for its width at one line's height, answers
   * with a width wider than its narrowest: the question the layout
   * keeps from it. */
  {
    int line_min, line_nat, for_line_min, for_line_nat;

    gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, label_nat, &line_min, &line_nat, NULL, NULL);
    gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, line_min, &for_line_min, &for_line_nat, NULL, NULL);
    g_assert_cmpint (for_line_min, >, label_min);
  }
}

static void
test_height_for_width (void)
{
  GtkWidget *label;
  g_autoptr(GtkWidget) box = wrapping_label_in_layout (&label);
  int min, nat, narrow_min, narrow_nat, wide_min, wide_nat;

  g_assert_cmpint (gtk_widget_get_request_mode (box), ==, GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, min, &narrow_min, &narrow_nat, NULL, NULL);
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, nat, &wide_min, &wide_nat, NULL, NULL);
  g_assert_cmpint (narrow_min, >, wide_min);
}

/* Each child is given the whole widget, as GtkBinLayout gives it; a hidden
 * child neither counts nor is allocated. */
static void
test_allocate (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label;
  GtkWidget *box = wrapping_label_in_layout (&label);
  GtkWidget *hidden = gtk_label_new ("A much, much longer line than the label above it would ever need to be");
  int nat_before, nat_after;

  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat_before, NULL, NULL);
  gtk_widget_set_visible (hidden, FALSE);
  gtk_widget_set_parent (hidden, box);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat_after, NULL, NULL);
  g_assert_cmpint (nat_after, ==, nat_before);

  gtk_window_set_child (GTK_WINDOW (window), box);
  g_object_unref (box);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 200);
  gtk_widget_show (window);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, 300, 200 }, -1);
  g_assert_cmpint (gtk_widget_get_width (label), ==, 300);
  g_assert_cmpint (gtk_widget_get_height (label), ==, 200);
  gtk_widget_unparent (hidden);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The case view is laid out by it. */
static void
test_case_view (void)
{
  g_autoptr(GtkWidget) view = g_object_ref_sink (GTK_WIDGET (er_case_view_new ()));

  g_assert_true (ER_IS_WIDTH_LAYOUT (gtk_widget_get_layout_manager (view)));
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

  g_test_add_func ("/width-layout/width-without-height", test_width_without_height);
  g_test_add_func ("/width-layout/height-for-width", test_height_for_width);
  g_test_add_func ("/width-layout/allocate", test_allocate);
  g_test_add_func ("/width-layout/case-view", test_case_view);

  return g_test_run ();
}
