/* er-notice-bar.c: the newest decision (with the time left to undo it) or
 * message, under the case. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-notice-bar.h"

/* How long a message stays (the undo notice stays as long as undo can). */
#define MESSAGE_SECONDS 6

struct _ErNoticeBar
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkLabel        *message_label;

  ErReviewSession *session;
  GSignalGroup    *session_signals;
  char            *message;
  guint            message_timeout;
  guint64          serial;          /* what happened last wins */
  guint64          message_serial;
  guint64          undo_serial;
};

G_DEFINE_FINAL_TYPE (ErNoticeBar, er_notice_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_seconds_left (gpointer unused,
                     guint    seconds)
{
  if (seconds == 0)
    return g_strdup ("");
  /* Translators: the time left to undo the last decision, in seconds. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left", "%u seconds left", seconds),
                          seconds);
}

static void
update (ErNoticeBar *self)
{
  gboolean can_undo = self->session != NULL && er_review_session_get_can_undo (self->session);
  const char *page = "none";

  if (self->message != NULL && (!can_undo || self->message_serial > self->undo_serial))
    page = "message";
  else if (can_undo)
    page = "undo";
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_undo_changed (ErNoticeBar *self)
{
  /* A new decision or skip is newer than any message. */
  if (self->session != NULL && er_review_session_get_undo_label (self->session) != NULL)
    self->undo_serial = ++self->serial;
  update (self);
}

static gboolean
message_expired (gpointer user_data)
{
  ErNoticeBar *self = user_data;

  self->message_timeout = 0;
  er_notice_bar_clear (self);
  return G_SOURCE_REMOVE;
}

void
er_notice_bar_show (ErNoticeBar *self,
                    const char  *message)
{
  g_return_if_fail (ER_IS_NOTICE_BAR (self));
  g_return_if_fail (message != NULL);

  g_free (self->message);
  self->message = g_strdup (message);
  self->message_serial = ++self->serial;
  gtk_label_set_text (self->message_label, message);
  g_clear_handle_id (&self->message_timeout, g_source_remove);
  self->message_timeout = g_timeout_add_seconds (MESSAGE_SECONDS, message_expired, self);
  update (self);
}

void
er_notice_bar_clear (ErNoticeBar *self)
{
  g_return_if_fail (ER_IS_NOTICE_BAR (self));

  g_clear_pointer (&self->message, g_free);
  g_clear_handle_id (&self->message_timeout, g_source_remove);
  gtk_label_set_text (self->message_label, "");
  update (self);
}

const char *
er_notice_bar_get_shown (ErNoticeBar *self)
{
  g_return_val_if_fail (ER_IS_NOTICE_BAR (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
er_notice_bar_set_session (ErNoticeBar     *self,
                           ErReviewSession *session)
{
  g_return_if_fail (ER_IS_NOTICE_BAR (self));
  g_return_if_fail (session == NULL || ER_IS_REVIEW_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  on_undo_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
er_notice_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ErNoticeBar *self = ER_NOTICE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_notice_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ErNoticeBar *self = ER_NOTICE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      er_notice_bar_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_notice_bar_dispose (GObject *object)
{
  ErNoticeBar *self = ER_NOTICE_BAR (object);

  g_clear_handle_id (&self->message_timeout, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ER_TYPE_NOTICE_BAR);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (er_notice_bar_parent_class)->dispose (object);
}

static void
er_notice_bar_class_init (ErNoticeBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_notice_bar_dispose;
  object_class->get_property = er_notice_bar_get_property;
  object_class->set_property = er_notice_bar_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ER_TYPE_REVIEW_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-notice-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, ErNoticeBar, stack);
  gtk_widget_class_bind_template_child (widget_class, ErNoticeBar, message_label);
  gtk_widget_class_bind_template_callback (widget_class, format_seconds_left);
  gtk_widget_class_bind_template_callback (widget_class, er_notice_bar_clear);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "noticebar");
}

static void
er_notice_bar_init (ErNoticeBar *self)
{
  self->session_signals = g_signal_group_new (ER_TYPE_REVIEW_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::can-undo",
                                  G_CALLBACK (on_undo_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::undo-label",
                                  G_CALLBACK (on_undo_changed), self);
  gtk_widget_init_template (GTK_WIDGET (self));
}
