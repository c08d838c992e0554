/* er-name-verdict.c: one line saying how the name typed from the ID compares
 * with the account name. The comparison and its words come from core
 * (er-name.h); this widget only shows them: the level as a color and an
 * icon, the verdict and the ID name with the differing letters in markup,
 * on one line, the whole of it in the tooltip; and, for the entry the ID
 * name is typed in, the same letters in bold and underlined
 * (id-attributes), so that they show even when the line is cut short on a
 * narrow window. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-name-verdict.h"

struct _ErNameVerdict
{
  GtkWidget      parent_instance;

  char          *account_name;
  char          *id_name;
  char          *text;
  ErNameLevel    level;
  PangoAttrList *id_attributes;

  GtkImage      *icon;
  GtkLabel      *label;
};

G_DEFINE_FINAL_TYPE (ErNameVerdict, er_name_verdict, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT_NAME,
  PROP_ID_NAME,
  PROP_TEXT,
  PROP_ID_ATTRIBUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* libadwaita's style classes, colored for text in style.css. */
static const char * const level_classes[] = {
  [ER_NAME_MATCH] = "success",
  [ER_NAME_CAUTION] = "warning",
  [ER_NAME_DIFFERENT] = "error",
};

static const char * const level_icons[] = {
  [ER_NAME_MATCH] = "emblem-ok-symbolic",
  [ER_NAME_CAUTION] = "dialog-warning-symbolic",
  [ER_NAME_DIFFERENT] = "dialog-error-symbolic",
};

static gboolean
has_letters (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

/* g_set_str () is GLib 2.76. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* The differing letters bold and underlined, as in the verdict, for the
 * entry the ID name is typed in. (Underlines alone are thinner than a
 * pixel at the usual text size: bold is what the eye finds.) */
static PangoAttrList *
highlight_attributes (const ErNameComparison *comparison)
{
  PangoAttrList *attributes;
  const ErNameRange *ranges;
  guint n_ranges;

  ranges = er_name_comparison_get_highlights (comparison, &n_ranges);
  if (n_ranges == 0)
    return NULL;
  attributes = pango_attr_list_new ();
  for (guint i = 0; i < n_ranges; i++)
    {
      PangoAttribute *underline = pango_attr_underline_new (PANGO_UNDERLINE_SINGLE);
      PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

      underline->start_index = bold->start_index = ranges[i].start;
      underline->end_index = bold->end_index = ranges[i].end;
      pango_attr_list_insert (attributes, underline);
      pango_attr_list_insert (attributes, bold);
    }
  return attributes;
}

static void
update (ErNameVerdict *self)
{
  g_autoptr(ErNameComparison) comparison = NULL;
  g_autoptr(PangoAttrList) id_attributes = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (level_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), level_classes[i]);

  if (!has_letters (self->account_name) || !has_letters (self->id_name))
    {
      gtk_label_set_text (self->label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
    }
  else
    {
      comparison = er_name_comparison_new (self->account_name, self->id_name);
      self->level = er_name_comparison_get_level (comparison);
      text = er_name_comparison_get_verdict (comparison);
      markup = er_name_comparison_get_markup (comparison);
      id_attributes = highlight_attributes (comparison);

      gtk_widget_add_css_class (GTK_WIDGET (self), level_classes[self->level]);
      gtk_image_set_from_icon_name (self->icon, level_icons[self->level]);
      gtk_widget_set_visible (GTK_WIDGET (self->icon), TRUE);
      gtk_label_set_markup (self->label, markup);
      gtk_widget_set_tooltip_markup (GTK_WIDGET (self->label), markup);
    }

  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
      /* Read as one status line, without the name the entry already holds
       * (and never the type's name, GTK's last resort). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->text != NULL ? self->text : _("No name to compare yet"),
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
  if (id_attributes == NULL ? self->id_attributes != NULL
      : self->id_attributes == NULL || !pango_attr_list_equal (id_attributes, self->id_attributes))
    {
      g_clear_pointer (&self->id_attributes, pango_attr_list_unref);
      self->id_attributes = g_steal_pointer (&id_attributes);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID_ATTRIBUTES]);
    }
}

void
er_name_verdict_set_account_name (ErNameVerdict *self,
                                  const char    *account_name)
{
  g_return_if_fail (ER_IS_NAME_VERDICT (self));

  if (!set_string (&self->account_name, account_name))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_NAME]);
}

void
er_name_verdict_set_id_name (ErNameVerdict *self,
                             const char    *id_name)
{
  g_return_if_fail (ER_IS_NAME_VERDICT (self));

  if (!set_string (&self->id_name, id_name))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID_NAME]);
}

const char *
er_name_verdict_get_text (ErNameVerdict *self)
{
  g_return_val_if_fail (ER_IS_NAME_VERDICT (self), NULL);
  return self->text;
}

ErNameLevel
er_name_verdict_get_level (ErNameVerdict *self)
{
  g_return_val_if_fail (ER_IS_NAME_VERDICT (self), ER_NAME_DIFFERENT);
  return self->level;
}

PangoAttrList *
er_name_verdict_get_id_attributes (ErNameVerdict *self)
{
  g_return_val_if_fail (ER_IS_NAME_VERDICT (self), NULL);
  return self->id_attributes;
}

GtkWidget *
er_name_verdict_new (void)
{
  return g_object_new (ER_TYPE_NAME_VERDICT, NULL);
}

static void
er_name_verdict_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ER_TYPE_NAME_VERDICT);

  G_OBJECT_CLASS (er_name_verdict_parent_class)->dispose (object);
}

static void
er_name_verdict_finalize (GObject *object)
{
  ErNameVerdict *self = ER_NAME_VERDICT (object);

  g_free (self->account_name);
  g_free (self->id_name);
  g_free (self->text);
  g_clear_pointer (&self->id_attributes, pango_attr_list_unref);

  G_OBJECT_CLASS (er_name_verdict_parent_class)->finalize (object);
}

static void
er_name_verdict_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ErNameVerdict *self = ER_NAME_VERDICT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->account_name);
      break;
    case PROP_ID_NAME:
      g_value_set_string (value, self->id_name);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_ID_ATTRIBUTES:
      g_value_set_boxed (value, self->id_attributes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_name_verdict_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ErNameVerdict *self = ER_NAME_VERDICT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_NAME:
      er_name_verdict_set_account_name (self, g_value_get_string (value));
      break;
    case PROP_ID_NAME:
      er_name_verdict_set_id_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_name_verdict_class_init (ErNameVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_name_verdict_dispose;
  object_class->finalize = er_name_verdict_finalize;
  object_class->get_property = er_name_verdict_get_property;
  object_class->set_property = er_name_verdict_set_property;

  properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID_NAME] =
    g_param_spec_string ("id-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID_ATTRIBUTES] =
    g_param_spec_boxed ("id-attributes", NULL, NULL, PANGO_TYPE_ATTR_LIST,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-name-verdict.ui");
  gtk_widget_class_bind_template_child (widget_class, ErNameVerdict, icon);
  gtk_widget_class_bind_template_child (widget_class, ErNameVerdict, label);
  gtk_widget_class_set_css_name (widget_class, "nameverdict");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
er_name_verdict_init (ErNameVerdict *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("No name to compare yet"), -1);
}
