/* er-width-layout.c: a bin layout whose width does not depend on its height.
 *
 * Its children are laid out as GtkBinLayout lays them out (each over the
 * whole widget), and their height may depend on the width given
 * (wrapping labels), but the width asked of them never depends on a
 * height. A horizontal GtkBox allocates each child after measuring its
 * width for the box's height, and GtkLabel answers that question by
 * bisecting the width, laying its text out again at each step: for the
 * case header, whose labels change with each case, that was some 180
 * layouts of the details label per decision. Asked without a height, a
 * wrapping label gives its narrowest and its one-line width at once. */
#include "config.h"

#include "er-width-layout.h"

struct _ErWidthLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (ErWidthLayout, er_width_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkSizeRequestMode
er_width_layout_get_request_mode (GtkLayoutManager *manager,
                                  GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
er_width_layout_measure (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         GtkOrientation    orientation,
                         int               for_size,
                         int              *minimum,
                         int              *natural,
                         int              *minimum_baseline,
                         int              *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
er_width_layout_allocate (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          int               width,
                          int               height,
                          int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
er_width_layout_class_init (ErWidthLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->get_request_mode = er_width_layout_get_request_mode;
  manager_class->measure = er_width_layout_measure;
  manager_class->allocate = er_width_layout_allocate;
}

static void
er_width_layout_init (ErWidthLayout *self)
{
}

GtkLayoutManager *
er_width_layout_new (void)
{
  return g_object_new (ER_TYPE_WIDTH_LAYOUT, NULL);
}
