/* er-accessible.c: accessible names GTK 4.8 and libadwaita 1.2 get wrong.
 *
 * What a screen reader reads is the name of the focused object. Three
 * kinds of widgets come out of GTK 4.8 with names no one can use; each
 * function here fixes one, once the widgets exist (after
 * gtk_widget_init_template()), and does no harm with later versions, which
 * name them right:
 *
 * - A button with a mnemonic label ("_Approve") is read "_Approve Approve":
 *   GTK sets the raw label, underscore included, as the accessible label and
 *   adds the name of the label inside. Without the accessible label, the
 *   name is the label's text: "Approve".
 * - An icon button is read "GtkImage": GTK 4.8 does not use the tooltip. Our
 *   own icon buttons have an accessible label in their .ui file; this is for
 *   the ones libadwaita builds inside its widgets (the "Show Text" button of
 *   a password row), named after their tooltip, which libadwaita changes
 *   with their state.
 * - A drop-down is read "GtkToggleButton": the focus goes to the button
 *   inside it, which has no name. It is named after the drop-down and the
 *   item shown ("Source: Webcam").
 * - A row of a GtkListView has no name at all, whatever its child says:
 *   GtkListItem can be given one only from GTK 4.12 on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"

static void
set_or_reset (GtkAccessible         *accessible,
              GtkAccessibleProperty  property,
              const char            *value)
{
  if (value != NULL)
    gtk_accessible_update_property (accessible, property, value, -1);
  else
    gtk_accessible_reset_property (accessible, property);
}

/* root and every widget below it, depth first. */
static void
for_each_descendant (GtkWidget *root,
                     void     (*func) (GtkWidget *widget))
{
  func (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    for_each_descendant (child, func);
}

static void
fix_mnemonic (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every button under root whose label has a mnemonic is read by its label's
 * text, once. Call it again for buttons whose label is set later. */
void
er_accessible_fix_mnemonics (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  for_each_descendant (root, fix_mnemonic);
}

static void
update_from_tooltip (GtkWidget *widget)
{
  set_or_reset (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                gtk_widget_get_tooltip_text (widget));
}

static void
name_from_tooltip (GtkWidget *widget)
{
  if (!GTK_IS_BUTTON (widget) || gtk_button_get_label (GTK_BUTTON (widget)) != NULL ||
      gtk_widget_get_tooltip_text (widget) == NULL)
    return;
  update_from_tooltip (widget);
  g_signal_connect (widget, "notify::tooltip-text", G_CALLBACK (update_from_tooltip), NULL);
}

/* Every button under root without a label but with a tooltip is named after
 * its tooltip, now and when the tooltip changes. For buttons libadwaita
 * builds; give our own an accessible label in their .ui file. */
void
er_accessible_name_from_tooltips (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  for_each_descendant (root, name_from_tooltip);
}

static void
update_drop_down (GtkDropDown *drop_down)
{
  const char *label = g_object_get_data (G_OBJECT (drop_down), "er-accessible-label");
  GObject *item = gtk_drop_down_get_selected_item (drop_down);
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  g_autofree char *name = NULL;

  if (!GTK_IS_TOGGLE_BUTTON (button))
    return;
  if (GTK_IS_STRING_OBJECT (item))
    /* Translators: a drop-down as a screen reader reads it, e.g. "Source: Webcam" */
    name = g_strdup_printf (_("%s: %s"), label, gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  else
    name = g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The drop-down, and the button inside it that takes the focus, are named
 * label; the button's name also says the item shown, and follows it. */
void
er_accessible_name_drop_down (GtkDropDown *drop_down,
                              const char  *label)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (label != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (drop_down), "er-accessible-label", g_strdup (label), g_free);
  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (update_drop_down), NULL);
  g_signal_connect (drop_down, "notify::model", G_CALLBACK (update_drop_down), NULL);
  update_drop_down (drop_down);
}

/* The row of a list view that shows item is read as label, with
 * description. Call it when the item is bound (and unbound: NULL). */
void
er_accessible_name_list_item (GtkListItem *item,
                              const char  *label,
                              const char  *description)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  gtk_list_item_set_accessible_label (item, label != NULL ? label : "");
  gtk_list_item_set_accessible_description (item, description != NULL ? description : "");
#else
  GtkWidget *child;
  GtkWidget *row;

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  /* Before 4.12, what the screen reader reads is the widget the list view
   * puts around the child, which is not public: the child's parent. */
  child = gtk_list_item_get_child (item);
  row = child != NULL ? gtk_widget_get_parent (child) : NULL;
  if (row == NULL)
    return;
  set_or_reset (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  set_or_reset (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);
#endif
}
