/* er-id-read-line.c: what was read on the case's ID photo.
 *
 * Follows the reader's state for its case (er_id_reader_peek) and
 * says it in one line; the words come from core (er_id_read_describe), the
 * line only picks the icon and the style: a green tick for the same name, a
 * warning for a close or different one, a question mark when unsure. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-id-read-line.h"

struct _ErIdReadLine
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkSpinner   *spinner;
  GtkImage     *icon;
  GtkInscription *label;
  GtkWidget    *use_button;
  GtkToggleButton *show_button;
  GtkLabel     *expiry_label;

  ErIdReader   *reader;
  ErCase       *kase;
  GSignalGroup *reader_signals;
  char         *text;
  const char   *style;  /* static string: the classes set */
};

G_DEFINE_FINAL_TYPE (ErIdReadLine, er_id_read_line, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_READER,
  PROP_CASE,
  PROP_SHOW_REGION,
  N_PROPS
};

enum {
  SIGNAL_USE_NAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The reader's state for the line's case, and what it read (a read is
 * there only when done). */
static ErIdReaderState
case_state (ErIdReadLine  *self,
            ErIdRead     **read,
            const char   **error)
{
  *read = NULL;
  if (error != NULL)
    *error = NULL;
  if (self->reader == NULL)
    return ER_ID_READER_OFF;
  return er_id_reader_peek (self->reader,
                            self->kase != NULL ? er_case_get_receipt_id (self->kase) : NULL,
                            read, error);
}

static ErIdRead *
current_read (ErIdReadLine *self)
{
  ErIdRead *read;

  case_state (self, &read, NULL);
  return read;
}

static void
set_style (ErIdReadLine *self,
           const char   *style)
{
  const char *styles[] = { "success", "warning", "dim-label" };

  /* Classes changed only when the style does: a class removed and added
   * again restyles the line at each case. */
  if (g_strcmp0 (self->style, style) == 0)
    return;
  self->style = style;
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->label), styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), styles[i]);
    }
  if (style != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->label), style);
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), style);
    }
}

static void
update (ErIdReadLine *self)
{
  ErIdRead *read;
  const char *error;
  ErIdReaderState state = case_state (self, &read, &error);
  g_autofree char *text = NULL;
  g_autofree char *expiry = NULL;
  const char *icon = "scanner-symbolic";
  const char *style = NULL;
  gboolean reading = FALSE;

  switch (state)
    {
    /* Before its ID photo is given, the case shows the line as read is
     * coming: the line takes its place at once, and the photos do not
     * move under the agent's eyes when the read comes (nor does a
     * decision's guard see them move). */
    case ER_ID_READER_NONE:
      if (self->kase == NULL)
        break;
      G_GNUC_FALLTHROUGH;
    case ER_ID_READER_READING:
      text = g_strdup (_("Reading the name on the ID…"));
      style = "dim-label";
      reading = TRUE;
      break;
    case ER_ID_READER_FAILED:
      /* Translators: %s says why, e.g. "The text on the photo could not be read." */
      text = g_strdup_printf (_("The ID was not read: %s"), error);
      style = "dim-label";
      break;
    case ER_ID_READER_DONE:
      if (read == NULL)
        break;
      text = er_id_read_describe (read, er_case_get_expected_name (self->kase));
      expiry = er_id_read_describe_expiry (read, er_case_get_submitted_at (self->kase));
      switch (er_id_read_compare (read, er_case_get_expected_name (self->kase)))
        {
        case ER_ID_READ_SAME:
          icon = "emblem-ok-symbolic";
          style = "success";
          break;
        case ER_ID_READ_CLOSE:
        case ER_ID_READ_DIFFERS:
          icon = "dialog-warning-symbolic";
          style = "warning";
          break;
        case ER_ID_READ_UNSURE:
        case ER_ID_READ_NO_NAME:
        default:
          icon = "dialog-question-symbolic";
          style = "dim-label";
          break;
        }
      break;
    case ER_ID_READER_OFF:
    case ER_ID_READER_UNAVAILABLE:
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), reading);
  gtk_spinner_set_spinning (self->spinner, reading);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), !reading);
  /* Only when it changes: even the same icon, set again, is looked up
   * and measured again. */
  if (g_strcmp0 (gtk_image_get_icon_name (self->icon), icon) != 0)
    gtk_image_set_from_icon_name (self->icon, icon);
  set_style (self, style);
  gtk_inscription_set_text (self->label, text);
  gtk_widget_set_visible (self->use_button, er_id_read_line_get_name (self) != NULL);
  /* The box shown only while there is one to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->show_button),
                          read != NULL && er_id_read_get_name_region (read, NULL));
  if (!gtk_widget_get_visible (GTK_WIDGET (self->show_button)))
    gtk_toggle_button_set_active (self->show_button, FALSE);
  else if (gtk_toggle_button_get_active (self->show_button))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_REGION]);
  gtk_label_set_text (self->expiry_label, expiry != NULL ? expiry : "");
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_label), expiry != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);

  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
    }
}

/* The whole line, should its two lines not hold it. Given when asked: a
 * tooltip text set at each case asks the X server where the pointer is. */
static gboolean
on_query_tooltip (ErIdReadLine *self,
                  int           x,
                  int           y,
                  gboolean      keyboard,
                  GtkTooltip   *tooltip)
{
  if (self->text == NULL || *self->text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->text);
  return TRUE;
}

static void
on_show_toggled (ErIdReadLine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_REGION]);
}

gboolean
er_id_read_line_get_region (ErIdReadLine    *self,
                            int             *read_width,
                            graphene_rect_t *region)
{
  ErIdRead *read;

  g_return_val_if_fail (ER_IS_ID_READ_LINE (self), FALSE);

  if (!gtk_toggle_button_get_active (self->show_button))
    return FALSE;
  read = current_read (self);
  if (read == NULL || !er_id_read_get_name_region (read, region))
    return FALSE;
  er_id_read_get_size (read, read_width, NULL);
  return TRUE;
}

void
er_id_read_line_set_show_region (ErIdReadLine *self,
                                 gboolean      show)
{
  g_return_if_fail (ER_IS_ID_READ_LINE (self));
  gtk_toggle_button_set_active (self->show_button, show);
}

static void
on_use_clicked (ErIdReadLine *self)
{
  er_id_read_line_use_name (self);
}

void
er_id_read_line_set_reader (ErIdReadLine *self,
                            ErIdReader   *reader)
{
  g_return_if_fail (ER_IS_ID_READ_LINE (self));
  g_return_if_fail (reader == NULL || ER_IS_ID_READER (reader));

  if (!g_set_object (&self->reader, reader))
    return;
  g_signal_group_set_target (self->reader_signals, reader);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READER]);
}

void
er_id_read_line_set_case (ErIdReadLine *self,
                          ErCase       *kase)
{
  g_return_if_fail (ER_IS_ID_READ_LINE (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  if (!g_set_object (&self->kase, kase))
    return;
  /* Asked for one case at a time. */
  gtk_toggle_button_set_active (self->show_button, FALSE);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
}

const char *
er_id_read_line_get_text (ErIdReadLine *self)
{
  g_return_val_if_fail (ER_IS_ID_READ_LINE (self), NULL);
  return self->text;
}

const char *
er_id_read_line_get_name (ErIdReadLine *self)
{
  ErIdRead *read;

  g_return_val_if_fail (ER_IS_ID_READ_LINE (self), NULL);

  read = current_read (self);
  return read != NULL ? er_id_read_get_compare_name (read) : NULL;
}

gboolean
er_id_read_line_use_name (ErIdReadLine *self)
{
  const char *name;

  g_return_val_if_fail (ER_IS_ID_READ_LINE (self), FALSE);

  name = er_id_read_line_get_name (self);
  if (name == NULL)
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_USE_NAME], 0, name);
  return TRUE;
}

static void
er_id_read_line_dispose (GObject *object)
{
  ErIdReadLine *self = ER_ID_READ_LINE (object);

  if (self->reader_signals != NULL)
    g_signal_group_set_target (self->reader_signals, NULL);
  g_clear_object (&self->reader_signals);
  g_clear_object (&self->reader);
  g_clear_object (&self->kase);
  gtk_widget_dispose_template (GTK_WIDGET (object), ER_TYPE_ID_READ_LINE);

  G_OBJECT_CLASS (er_id_read_line_parent_class)->dispose (object);
}

static void
er_id_read_line_finalize (GObject *object)
{
  ErIdReadLine *self = ER_ID_READ_LINE (object);

  g_free (self->text);

  G_OBJECT_CLASS (er_id_read_line_parent_class)->finalize (object);
}

static void
er_id_read_line_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ErIdReadLine *self = ER_ID_READ_LINE (object);

  switch (prop_id)
    {
    case PROP_READER:
      g_value_set_object (value, self->reader);
      break;
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_SHOW_REGION:
      g_value_set_boolean (value, gtk_toggle_button_get_active (self->show_button));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_id_read_line_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ErIdReadLine *self = ER_ID_READ_LINE (object);

  switch (prop_id)
    {
    case PROP_READER:
      er_id_read_line_set_reader (self, g_value_get_object (value));
      break;
    case PROP_CASE:
      er_id_read_line_set_case (self, g_value_get_object (value));
      break;
    case PROP_SHOW_REGION:
      er_id_read_line_set_show_region (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_id_read_line_class_init (ErIdReadLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_id_read_line_dispose;
  object_class->finalize = er_id_read_line_finalize;
  object_class->get_property = er_id_read_line_get_property;
  object_class->set_property = er_id_read_line_set_property;

  properties[PROP_READER] =
    g_param_spec_object ("reader", NULL, NULL, ER_TYPE_ID_READER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, ER_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_REGION] =
    g_param_spec_boolean ("show-region", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_USE_NAME] =
    g_signal_new ("use-name", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-id-read-line.ui");
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, box);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, spinner);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, icon);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, label);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, use_button);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, show_button);
  gtk_widget_class_bind_template_callback (widget_class, on_show_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
  gtk_widget_class_bind_template_child (widget_class, ErIdReadLine, expiry_label);
  gtk_widget_class_bind_template_callback (widget_class, on_use_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "idreadline");
}

static void
er_id_read_line_init (ErIdReadLine *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reader_signals = g_signal_group_new (ER_TYPE_ID_READER);
  /* The reader notifies "state" whenever the case on screen, its read or
   * its error changes (with "read", "error" and "current"): one update. */
  g_signal_group_connect_swapped (self->reader_signals, "notify::state", G_CALLBACK (update), self);
}
