/* er-case-box.c: two children in a row or a column (GtkOrientable), the
 * case first and a revealer holding the deny panel (the "panel" property),
 * laid out as a GtkBox lays them out (a GtkBoxLayout of its own), except:
 *
 * Below the case (vertical, a narrow window), the case keeps what it needs
 * at the width given (its photos at their smallest), up to half of the
 * height, and the panel takes exactly the rest, at least MIN_PANEL pixels.
 * That share is worked out again at every allocation: the case's height
 * changes while the panel is open (the offline banner above it, a line
 * read on the ID), and a share fixed when the panel opened pushed the
 * panel's buttons out of the window. */
#include "config.h"

#include "er-case-box.h"

/* Its title, a reason or two and its buttons: in a 420 × 820 window, the
 * case at its smallest and that still fit. */
#define MIN_PANEL 160

struct _ErCaseBox
{
  GtkWidget         parent_instance;

  GtkLayoutManager *box_layout; /* not the widget's: asked by hand */
  GtkWidget        *panel;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (ErCaseBox, er_case_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_ORIENTABLE, NULL))

enum { PROP_0, PROP_PANEL, N_PROPS, PROP_ORIENTATION = N_PROPS };
static GParamSpec *properties[N_PROPS];

static gboolean
is_vertical (ErCaseBox *self)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->box_layout)) == GTK_ORIENTATION_VERTICAL;
}

/* The style classes GtkBox has. */
static void
set_orientation_class (ErCaseBox *self)
{
  gboolean vertical = is_vertical (self);

  gtk_widget_add_css_class (GTK_WIDGET (self), vertical ? "vertical" : "horizontal");
  gtk_widget_remove_css_class (GTK_WIDGET (self), vertical ? "horizontal" : "vertical");
}

/* Whether the panel is below the case, shown: a column of two children,
 * the case (*first) and the panel's holder (*last). */
static gboolean
panel_below (ErCaseBox  *self,
             GtkWidget **first,
             GtkWidget **last)
{
  *first = gtk_widget_get_first_child (GTK_WIDGET (self));
  *last = gtk_widget_get_last_child (GTK_WIDGET (self));
  return is_vertical (self) && self->panel != NULL && *first != NULL && *first != *last &&
         gtk_widget_get_next_sibling (*first) == *last && gtk_widget_get_visible (*last) &&
         gtk_widget_is_ancestor (self->panel, *last);
}

/* The panel's height below a case of case_min pixels in a box of height. */
static int
panel_share (int height,
             int case_min)
{
  return CLAMP (height - case_min - 1, MIN_PANEL, MAX (height / 2, MIN_PANEL));
}

static void
er_case_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  ErCaseBox *self = ER_CASE_BOX (widget);
  GtkWidget *first, *last;
  gboolean below = panel_below (self, &first, &last);
  int case_min = 0, panel_height, case_height, current, request = -1;

  if (self->panel == NULL)
    {
      gtk_layout_manager_allocate (self->box_layout, widget, width, height, baseline);
      return;
    }

  if (below)
    {
      gtk_widget_measure (first, GTK_ORIENTATION_VERTICAL, width, &case_min, NULL, NULL, NULL);
      request = panel_share (height, case_min);
    }
  /* Set before the panel is measured below, so that this allocation
   * already has it. */
  gtk_widget_get_size_request (self->panel, NULL, &current);
  if (current != request)
    gtk_widget_set_size_request (self->panel, -1, request);

  if (!below)
    {
      gtk_layout_manager_allocate (self->box_layout, widget, width, height, baseline);
      return;
    }

  /* Below: the panel's holder gets its smallest height (the panel's
   * share, less while it slides in), the case all the rest, never less
   * than it needs. */
  gtk_widget_measure (last, GTK_ORIENTATION_VERTICAL, width, &panel_height, NULL, NULL, NULL);
  case_height = MAX (height - panel_height, case_min);
  gtk_widget_size_allocate (first, &(GtkAllocation) { 0, 0, width, case_height }, -1);
  gtk_widget_size_allocate (last, &(GtkAllocation) { 0, case_height, width, panel_height }, -1);
}

static void
er_case_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  ErCaseBox *self = ER_CASE_BOX (widget);
  GtkWidget *first, *last;

  /* A column's width for a height less than its children's least (which
   * this box may be given, below) would fail GtkBoxLayout's assertion:
   * their widths do not depend on their height (the case's ErWidthLayout). */
  if (is_vertical (self) && orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;
  gtk_layout_manager_measure (self->box_layout, widget, orientation, for_size,
                              minimum, natural, minimum_baseline, natural_baseline);

  /* Below: the panel's share is what the case leaves, so the least
   * height is the case's and the panel's least, not the share the panel
   * has now (which would keep the window from getting smaller, or make it
   * taller when the case grows). */
  if (orientation == GTK_ORIENTATION_VERTICAL && panel_below (self, &first, &last))
    {
      int case_min, panel_min;

      gtk_widget_measure (first, GTK_ORIENTATION_VERTICAL, for_size, &case_min, NULL, NULL, NULL);
      gtk_widget_measure (last, GTK_ORIENTATION_VERTICAL, for_size, &panel_min, NULL, NULL, NULL);
      *minimum = MIN (*minimum, case_min + MIN (panel_min, MIN_PANEL));
      *natural = MAX (*natural, *minimum);
    }
}

/* The case view's height follows its width. */
static GtkSizeRequestMode
er_case_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
er_case_box_compute_expand (GtkWidget *widget,
                            gboolean  *hexpand,
                            gboolean  *vexpand)
{
  *hexpand = *vexpand = FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      *hexpand = *hexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      *vexpand = *vexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL);
    }
}

static void
er_case_box_dispose (GObject *object)
{
  ErCaseBox *self = ER_CASE_BOX (object);
  GtkWidget *child;

  g_clear_weak_pointer (&self->panel);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (er_case_box_parent_class)->dispose (object);
}

static void
er_case_box_finalize (GObject *object)
{
  ErCaseBox *self = ER_CASE_BOX (object);

  g_object_unref (self->box_layout);
  G_OBJECT_CLASS (er_case_box_parent_class)->finalize (object);
}

static void
er_case_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ErCaseBox *self = ER_CASE_BOX (object);

  switch (prop_id)
    {
    case PROP_PANEL: g_value_set_object (value, self->panel); break;
    case PROP_ORIENTATION:
      g_value_set_enum (value, gtk_orientable_get_orientation (GTK_ORIENTABLE (self->box_layout)));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ErCaseBox *self = ER_CASE_BOX (object);

  switch (prop_id)
    {
    case PROP_PANEL: er_case_box_set_panel (self, g_value_get_object (value)); break;
    case PROP_ORIENTATION:
      if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->box_layout)) != g_value_get_enum (value))
        {
          gtk_orientable_set_orientation (GTK_ORIENTABLE (self->box_layout), g_value_get_enum (value));
          set_orientation_class (self);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_box_class_init (ErCaseBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_case_box_dispose;
  object_class->finalize = er_case_box_finalize;
  object_class->get_property = er_case_box_get_property;
  object_class->set_property = er_case_box_set_property;
  widget_class->measure = er_case_box_measure;
  widget_class->size_allocate = er_case_box_size_allocate;
  widget_class->get_request_mode = er_case_box_get_request_mode;
  widget_class->compute_expand = er_case_box_compute_expand;

  /* The widget whose height the box sets while below the case (the deny
   * panel, inside the box's second child). Not owned. */
  properties[PROP_PANEL] =
    g_param_spec_object ("panel", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_ORIENTATION, "orientation");
  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
er_case_box_init (ErCaseBox *self)
{
  self->box_layout = gtk_box_layout_new (GTK_ORIENTATION_HORIZONTAL);
  set_orientation_class (self);
}

GtkWidget *
er_case_box_new (void)
{
  return g_object_new (ER_TYPE_CASE_BOX, NULL);
}

void
er_case_box_set_panel (ErCaseBox *self,
                       GtkWidget *panel)
{
  g_return_if_fail (ER_IS_CASE_BOX (self));
  g_return_if_fail (panel == NULL || GTK_IS_WIDGET (panel));

  if (g_set_weak_pointer (&self->panel, panel))
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANEL]);
    }
}

GtkWidget *
er_case_box_get_panel (ErCaseBox *self)
{
  g_return_val_if_fail (ER_IS_CASE_BOX (self), NULL);
  return self->panel;
}
