/* er-queue-row.c: one pending case in the queue list. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-age.h"
#include "er-format.h"
#include "er-queue-row.h"

struct _ErQueueRow
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkLabel  *name_label;
  GtkLabel  *source_label;
  GtkLabel  *age_label;
  ErAgeLevel level;     /* the badge's classes */

  ErCase    *kase;
  gint64     updated_at; /* monotonic µs of the last set_case that updated */
  char      *age_tip;   /* the badge's tooltip, NULL for none */

  char      *accessible_label;
  char      *accessible_description;
};

G_DEFINE_FINAL_TYPE (ErQueueRow, er_queue_row, GTK_TYPE_WIDGET)

/* The badge against the promise of an answer within 24–48 weekday-hours. */
static void
set_level (ErQueueRow *self,
           ErAgeLevel  level,
           GDateTime  *submitted,
           GDateTime  *now)
{
  GtkWidget *badge = GTK_WIDGET (self->age_label);
  g_autoptr(GDateTime) due = submitted != NULL ? er_age_due_at (submitted, 48 * G_TIME_SPAN_HOUR, NULL) : NULL;
  g_autofree char *when = due != NULL ? er_format_due (due, now) : NULL;
  g_autofree char *tip = NULL;

  /* Classes changed only when the level does: a class removed and added
   * again restyles the badge. */
  if (level != self->level)
    {
      gtk_widget_remove_css_class (badge, "due-soon");
      gtk_widget_remove_css_class (badge, "overdue");
      if (level == ER_AGE_OVERDUE)
        gtk_widget_add_css_class (badge, "overdue");
      else if (level == ER_AGE_DUE_SOON)
        gtk_widget_add_css_class (badge, "due-soon");
      self->level = level;
    }
  switch (level)
    {
    case ER_AGE_OVERDUE:
      /* Translators: %s says since when, e.g. "overdue since Tuesday at 14:00" */
      tip = g_strdup_printf (_("Overdue: waiting for more than 48 weekday hours (%s)"), when);
      break;
    case ER_AGE_DUE_SOON:
      /* Translators: %s says when, e.g. "due Tuesday at 14:00" */
      tip = g_strdup_printf (_("Due soon: waiting for more than 24 weekday hours (%s)"), when);
      break;
    case ER_AGE_NORMAL:
    default:
      /* Translators: e.g. "An answer within 48 weekday hours: due Tuesday at 14:00" */
      tip = when != NULL ? g_strdup_printf (_("An answer within 48 weekday hours: %s"), when) : NULL;
      break;
    }
  /* Read when the tooltip is about to show (on_age_query_tooltip): setting
   * a widget's tooltip text asks the display where the pointer is, a round
   * trip to the X server for every row the list binds. */
  g_free (self->age_tip);
  self->age_tip = g_steal_pointer (&tip);
}

static gboolean
on_age_query_tooltip (GtkWidget  *badge,
                      int         x,
                      int         y,
                      gboolean    keyboard_mode,
                      GtkTooltip *tooltip,
                      ErQueueRow *self)
{
  if (self->age_tip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->age_tip);
  return TRUE;
}

/* The row in words: the learner, where the case comes from, the attempt and
 * how long it has waited (with the badge's warning); the description says
 * what the warning means. */
static void
set_accessible_text (ErQueueRow *self,
                     ErCase     *kase,
                     GDateTime  *now,
                     ErAgeLevel  level)
{
  g_autofree char *source = er_format_source_words (kase);
  g_autofree char *age = er_format_age_words (er_case_get_submitted_at (kase), now);
  const char *name = er_case_get_expected_name (kase);
  g_autofree char *name_shared = NULL;
  guint attempt = er_case_get_attempt (kase);

  /* Two learners of one name: which one, by username. */
  if (er_case_get_name_shared (kase) && er_case_get_username (kase) != NULL)
    {
      /* Translators: a learner in a queue row as a screen reader reads it,
       * when another listed learner has the same name: the name and the
       * username, e.g. "François Côté (fcote2)" */
      name_shared = g_strdup_printf (_("%s (%s)"), name, er_case_get_username (kase));
      name = name_shared;
    }

  switch (level)
    {
    case ER_AGE_OVERDUE:
      /* Translators: a queue row as a screen reader reads it: the learner,
       * the source, the attempt and how long the case has waited, e.g.
       * "Marie Tremblay, Webcam, attempt 2, waiting 3 days, overdue" */
      self->accessible_label = g_strdup_printf (_("%s, %s, attempt %u, waiting %s, overdue"),
                                                name, source, attempt, age);
      break;
    case ER_AGE_DUE_SOON:
      /* Translators: as above, e.g. "Marie Tremblay, Webcam, attempt 2, waiting 30 hours, due soon" */
      self->accessible_label = g_strdup_printf (_("%s, %s, attempt %u, waiting %s, due soon"),
                                                name, source, attempt, age);
      break;
    case ER_AGE_NORMAL:
    default:
      /* Translators: as above, e.g. "Marie Tremblay, Webcam, attempt 1, waiting 2 hours" */
      self->accessible_label = g_strdup_printf (_("%s, %s, attempt %u, waiting %s"),
                                                name, source, attempt, age);
      break;
    }
  self->accessible_description = g_strdup (self->age_tip);
}

/* The row of kase, or an empty row (NULL). */
static void
update (ErQueueRow *self)
{
  ErCase *kase = self->kase;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GString) line = NULL;
  g_autofree char *source = NULL;
  g_autofree char *age = NULL;
  ErAgeLevel level;

  g_clear_pointer (&self->accessible_label, g_free);
  g_clear_pointer (&self->accessible_description, g_free);
  if (kase == NULL)
    {
      gtk_label_set_text (self->name_label, "");
      gtk_label_set_text (self->source_label, "");
      gtk_label_set_text (self->age_label, "");
      set_level (self, ER_AGE_NORMAL, NULL, NULL);
      return;
    }

  now = g_date_time_new_now_utc ();
  source = er_format_source (kase);
  line = g_string_new (source);
  if (er_case_get_attempt (kase) > 1)
    {
      g_autofree char *attempt = g_strdup_printf (_("Attempt %u"), er_case_get_attempt (kase));

      g_string_append_printf (line, " · %s", attempt);
    }
  /* Another listed learner has the same name: the username tells them apart. */
  if (er_case_get_name_shared (kase) && er_case_get_username (kase) != NULL)
    g_string_append_printf (line, " · %s", er_case_get_username (kase));
  age = er_format_age (er_case_get_submitted_at (kase), now);

  gtk_label_set_text (self->name_label, er_case_get_expected_name (kase));
  gtk_label_set_text (self->source_label, line->str);
  gtk_label_set_text (self->age_label, age);
  level = er_age_level (er_case_get_submitted_at (kase), now, NULL);
  set_level (self, level, er_case_get_submitted_at (kase), now);
  set_accessible_text (self, kase, now, level);
}

gboolean
er_queue_row_set_case (ErQueueRow *self,
                       ErCase     *kase)
{
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (ER_IS_QUEUE_ROW (self), FALSE);
  g_return_val_if_fail (kase == NULL || ER_IS_CASE (kase), FALSE);

  /* The same case again within a minute (GTK 4.8's list view binds every
   * row again after a removed one, a decision): its age has not changed. */
  if (self->kase == kase && self->updated_at != 0 && now - self->updated_at < 60 * G_USEC_PER_SEC)
    return FALSE;
  self->updated_at = now;

  if (self->kase != kase)
    {
      if (self->kase != NULL)
        g_signal_handlers_disconnect_by_data (self->kase, self);
      g_set_object (&self->kase, kase);
      /* The queue says when another case of the same name comes or goes. */
      if (kase != NULL)
        g_signal_connect_object (kase, "notify::name-shared", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
    }
  update (self);
  return TRUE;
}

const char *
er_queue_row_get_accessible_label (ErQueueRow *self)
{
  g_return_val_if_fail (ER_IS_QUEUE_ROW (self), NULL);
  return self->accessible_label;
}

const char *
er_queue_row_get_accessible_description (ErQueueRow *self)
{
  g_return_val_if_fail (ER_IS_QUEUE_ROW (self), NULL);
  return self->accessible_description;
}

GtkWidget *
er_queue_row_new (void)
{
  return g_object_new (ER_TYPE_QUEUE_ROW, NULL);
}

static void
er_queue_row_dispose (GObject *object)
{
  ErQueueRow *self = ER_QUEUE_ROW (object);

  if (self->kase != NULL)
    g_signal_handlers_disconnect_by_data (self->kase, self);
  g_clear_object (&self->kase);
  gtk_widget_dispose_template (GTK_WIDGET (object), ER_TYPE_QUEUE_ROW);

  G_OBJECT_CLASS (er_queue_row_parent_class)->dispose (object);
}

static void
er_queue_row_finalize (GObject *object)
{
  ErQueueRow *self = ER_QUEUE_ROW (object);

  g_free (self->accessible_label);
  g_free (self->accessible_description);
  g_free (self->age_tip);

  G_OBJECT_CLASS (er_queue_row_parent_class)->finalize (object);
}

static void
er_queue_row_class_init (ErQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_queue_row_dispose;
  object_class->finalize = er_queue_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-queue-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ErQueueRow, box);
  gtk_widget_class_bind_template_child (widget_class, ErQueueRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ErQueueRow, source_label);
  gtk_widget_class_bind_template_child (widget_class, ErQueueRow, age_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
er_queue_row_init (ErQueueRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->age_label), TRUE);
  g_signal_connect (self->age_label, "query-tooltip", G_CALLBACK (on_age_query_tooltip), self);
}
