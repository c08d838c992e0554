/* er-photo-pair.c: two children at equal size, side by side or stacked. */
#include "config.h"

#include "er-photo-pair.h"

#define SPACING 12

struct _ErPhotoPair
{
  GtkWidget  parent_instance;

  GtkWidget *start;
  GtkWidget *end;
  gboolean   stacked;
};

static void er_photo_pair_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ErPhotoPair, er_photo_pair, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      er_photo_pair_buildable_init))

enum {
  PROP_0,
  PROP_START_CHILD,
  PROP_END_CHILD,
  PROP_STACKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static gboolean
is_stacked_for (int width,
                int height)
{
  return 5 * (gint64) height > 6 * (gint64) width;
}

static gboolean
shown (GtkWidget *child)
{
  return child != NULL && gtk_widget_should_layout (child);
}

static void
er_photo_pair_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (widget);
  GtkWidget *children[] = { self->start, self->end };
  int child_min = 0, child_nat = 0, n = 0;

  /* Each child gets the same size: the largest of their requests. */
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int min, nat;

      if (!shown (children[i]))
        continue;

      gtk_widget_measure (children[i], orientation, -1, &min, &nat, NULL, NULL);
      child_min = MAX (child_min, min);
      child_nat = MAX (child_nat, nat);
      n++;
    }

  if (n < 2)
    {
      *minimum = child_min;
      *natural = child_nat;
      return;
    }

  /* Both layouts fit at the minimum size: side by side needs two widths,
   * stacked two heights. Naturally, they are side by side. */
  *minimum = 2 * child_min + SPACING;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 2 * child_nat + SPACING : child_nat;
  *natural = MAX (*natural, *minimum);
}

static void
er_photo_pair_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (widget);
  gboolean stacked = is_stacked_for (width, height);

  if (shown (self->start) && shown (self->end))
    {
      GtkAllocation first, second;
      gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

      if (stacked)
        {
          int child_height = MAX (0, (height - SPACING) / 2);

          first = (GtkAllocation) { 0, 0, width, child_height };
          second = (GtkAllocation) { 0, height - child_height, width, child_height };
        }
      else
        {
          int child_width = MAX (0, (width - SPACING) / 2);

          first = (GtkAllocation) { 0, 0, child_width, height };
          second = (GtkAllocation) { width - child_width, 0, child_width, height };
          if (rtl)
            {
              GtkAllocation swap = first;

              first = second;
              second = swap;
            }
        }

      gtk_widget_size_allocate (self->start, &first, -1);
      gtk_widget_size_allocate (self->end, &second, -1);
    }
  else if (shown (self->start))
    {
      gtk_widget_allocate (self->start, width, height, baseline, NULL);
    }
  else if (shown (self->end))
    {
      gtk_widget_allocate (self->end, width, height, baseline, NULL);
    }

  /* Notifying does not resize anything here. */
  if (stacked != self->stacked)
    {
      self->stacked = stacked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACKED]);
    }
}

static void
set_child (ErPhotoPair  *self,
           GtkWidget   **slot,
           GtkWidget    *child,
           GParamSpec   *pspec)
{
  if (*slot == child)
    return;

  if (child != NULL)
    g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  g_clear_pointer (slot, gtk_widget_unparent);
  if (child != NULL)
    {
      *slot = child;
      /* The start child comes first in focus and accessibility order. */
      if (slot == &self->start)
        gtk_widget_insert_after (child, GTK_WIDGET (self), NULL);
      else
        gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

GtkWidget *
er_photo_pair_new (void)
{
  return g_object_new (ER_TYPE_PHOTO_PAIR, NULL);
}

void
er_photo_pair_set_start_child (ErPhotoPair *self,
                               GtkWidget   *child)
{
  g_return_if_fail (ER_IS_PHOTO_PAIR (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  set_child (self, &self->start, child, properties[PROP_START_CHILD]);
}

void
er_photo_pair_set_end_child (ErPhotoPair *self,
                             GtkWidget   *child)
{
  g_return_if_fail (ER_IS_PHOTO_PAIR (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  set_child (self, &self->end, child, properties[PROP_END_CHILD]);
}

GtkWidget *
er_photo_pair_get_start_child (ErPhotoPair *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_PAIR (self), NULL);
  return self->start;
}

GtkWidget *
er_photo_pair_get_end_child (ErPhotoPair *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_PAIR (self), NULL);
  return self->end;
}

gboolean
er_photo_pair_get_stacked (ErPhotoPair *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_PAIR (self), FALSE);
  return self->stacked;
}

static void
er_photo_pair_add_child (GtkBuildable *buildable,
                         GtkBuilder   *builder,
                         GObject      *child,
                         const char   *type)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (buildable);

  if (!GTK_IS_WIDGET (child))
    {
      parent_buildable_iface->add_child (buildable, builder, child, type);
      return;
    }

  if (g_strcmp0 (type, "start") == 0 || (type == NULL && self->start == NULL))
    er_photo_pair_set_start_child (self, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "end") == 0 || (type == NULL && self->end == NULL))
    er_photo_pair_set_end_child (self, GTK_WIDGET (child));
  else
    g_warning ("ErPhotoPair takes two children; %s not added", G_OBJECT_TYPE_NAME (child));
}

static void
er_photo_pair_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = er_photo_pair_add_child;
}

static void
er_photo_pair_dispose (GObject *object)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (object);

  g_clear_pointer (&self->start, gtk_widget_unparent);
  g_clear_pointer (&self->end, gtk_widget_unparent);

  G_OBJECT_CLASS (er_photo_pair_parent_class)->dispose (object);
}

static void
er_photo_pair_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (object);

  switch (prop_id)
    {
    case PROP_START_CHILD:
      g_value_set_object (value, self->start);
      break;
    case PROP_END_CHILD:
      g_value_set_object (value, self->end);
      break;
    case PROP_STACKED:
      g_value_set_boolean (value, self->stacked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_pair_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ErPhotoPair *self = ER_PHOTO_PAIR (object);

  switch (prop_id)
    {
    case PROP_START_CHILD:
      er_photo_pair_set_start_child (self, g_value_get_object (value));
      break;
    case PROP_END_CHILD:
      er_photo_pair_set_end_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_pair_class_init (ErPhotoPairClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_photo_pair_dispose;
  object_class->get_property = er_photo_pair_get_property;
  object_class->set_property = er_photo_pair_set_property;

  widget_class->measure = er_photo_pair_measure;
  widget_class->size_allocate = er_photo_pair_size_allocate;

  properties[PROP_START_CHILD] =
    g_param_spec_object ("start-child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_END_CHILD] =
    g_param_spec_object ("end-child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STACKED] =
    g_param_spec_boolean ("stacked", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "photopair");
}

static void
er_photo_pair_init (ErPhotoPair *self)
{
}
