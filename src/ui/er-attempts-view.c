/* er-attempts-view.c: the open case's earlier attempts, compact.
 *
 * The entries are labels (read as they are by screen readers), rebuilt
 * whenever the list or an attempt's photo check changes: a few at most.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-attempts-view.h"
#include "er-format.h"
#include "er-review-session.h"
#include "er-workspace.h"

struct _ErAttemptsView
{
  GtkWidget        parent_instance;

  ErAttempts      *attempts;
  ErReviewSession *session;      /* weak: the workspace's */
  GSignalGroup    *session_signals;
  ErCase          *kase;
  char            *summary;

  GtkWidget       *box;
  GtkExpander     *expander;
  GtkLabel        *summary_label;
  GtkBox          *list;
  GtkLabel        *status_label;
};

G_DEFINE_FINAL_TYPE (ErAttemptsView, er_attempts_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: a date, see g_date_time_format(); e.g. "24 November 2026" */
  return g_date_time_format (local, _("%-d %B %Y"));
}

/* "Attempt 1 · 24 November 2026 · denied by you (Sophie Lavoie) on …" */
static char *
format_heading (ErAttempt *attempt)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GDateTime *submitted = er_attempt_get_submitted_at (attempt);

  /* Translators: an earlier attempt of the learner, %u is its number */
  g_ptr_array_add (parts, g_strdup_printf (_("Attempt %u"), er_attempt_get_number (attempt)));
  if (submitted != NULL)
    g_ptr_array_add (parts, format_date (submitted));
  switch (er_attempt_get_decider (attempt))
    {
    case ER_DECIDER_ME:
      {
        g_autofree char *when = er_format_time (er_attempt_get_decided_at (attempt));

        /* Translators: %s is the agent's own name, then a date and time */
        g_ptr_array_add (parts, g_strdup_printf (_("denied by you (%s) on %s"),
                                                 er_attempt_get_decided_by (attempt), when));
      }
      break;
    case ER_DECIDER_OTHER:
      g_ptr_array_add (parts, g_strdup (_("denied by another agent")));
      break;
    case ER_DECIDER_UNKNOWN:
    default:
      g_ptr_array_add (parts, g_strdup (_("denied")));
      break;
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* NULL when no photo is known to be the same. */
static const char *
same_photos_text (ErAttempt *attempt)
{
  gboolean user = er_attempt_get_same_user_photo (attempt) == ER_PHOTO_MATCH_SAME;
  gboolean id = er_attempt_get_same_id_photo (attempt) == ER_PHOTO_MATCH_SAME;

  if (user && id)
    return _("Same photos as this attempt");
  if (user)
    return _("Same learner photo as this attempt");
  if (id)
    return _("Same ID photo as this attempt");
  return NULL;
}

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_box_append (box, label);
  return label;
}

static GtkWidget *
attempt_entry (ErAttempt *attempt)
{
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  g_autofree char *heading = format_heading (attempt);
  const ErReasons *reasons = er_attempt_get_reasons (attempt);
  const char *same = same_photos_text (attempt);

  add_label (box, heading, "heading");
  if (reasons != NULL)
    {
      g_autoptr(ErReasons) sentences = er_reasons_copy (reasons);
      const char *note = er_reasons_get_note (reasons);
      g_autofree char *told = NULL;

      /* The note is shown apart, in quotes. */
      er_reasons_set_note (sentences, NULL);
      told = er_format_reasons (sentences);

      if (*told != '\0')
        add_label (box, told, NULL);
      if (note != NULL && *note != '\0')
        {
          /* Translators: the free-text note sent to the learner, in quotes */
          g_autofree char *quoted = g_strdup_printf (_("Note: “%s”"), note);

          add_label (box, quoted, "dim-label");
        }
    }
  else
    add_label (box, _("The reasons are not known."), "dim-label");
  if (same != NULL)
    gtk_widget_add_css_class (add_label (box, same, "warning"), "caption-heading");
  return GTK_WIDGET (box);
}

static void
update (ErAttemptsView *self)
{
  GListModel *list = self->attempts != NULL ? G_LIST_MODEL (self->attempts) : NULL;
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;
  gboolean loading = self->attempts != NULL && er_attempts_get_loading (self->attempts);
  const char *error = self->attempts != NULL ? er_attempts_get_error (self->attempts) : NULL;
  guint attempt = self->kase != NULL ? er_case_get_attempt (self->kase) : 1;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_box_remove (self->list, child);

  g_ptr_array_add (parts, g_strdup_printf (_("Attempt %u"), attempt));
  if (n > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u earlier denial", "%u earlier denials", n), n));
  else if (loading)
    g_ptr_array_add (parts, g_strdup (_("loading the earlier attempts…")));

  /* Newest first, as the agent reads them. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ErAttempt) item = g_list_model_get_item (list, i - 1);
      gboolean user = er_attempt_get_same_user_photo (item) == ER_PHOTO_MATCH_SAME;
      gboolean id = er_attempt_get_same_id_photo (item) == ER_PHOTO_MATCH_SAME;

      gtk_box_append (self->list, attempt_entry (item));
      if (parts->len == 2 && (user || id))
        /* Translators: part of "Attempt 3 · 2 earlier denials · same photos as attempt 2" */
        g_ptr_array_add (parts, g_strdup_printf (user && id ? _("same photos as attempt %u")
                                                 : user ? _("same learner photo as attempt %u")
                                                 : _("same ID photo as attempt %u"),
                                                 er_attempt_get_number (item)));
    }
  g_ptr_array_add (parts, NULL);
  g_free (self->summary);
  self->summary = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->summary_label, self->summary);
  /* GTK 4.8 names the expander's button after its class otherwise. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary, -1);

  gtk_label_set_text (self->status_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->expander), n > 0 || loading);
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0 || loading || error != NULL);
}

static void
on_items_changed (ErAttemptsView *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *list)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ErAttempt) item = g_list_model_get_item (list, i);

      g_signal_connect_object (item, "notify::same-user-photo", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (item, "notify::same-id-photo", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

/* The case's own photos are on screen: the earlier ones may come. */
static void
on_photos (ErAttemptsView *self)
{
  ErReviewSession *session = self->session;

  if (session == NULL || self->attempts == NULL || self->kase == NULL ||
      er_review_session_get_current_case (session) != self->kase)
    return;
  if (er_review_session_get_photo_state (session, ER_PHOTO_USER) != ER_PHOTO_STATE_LOADING &&
      er_review_session_get_photo_state (session, ER_PHOTO_ID) != ER_PHOTO_STATE_LOADING)
    er_attempts_check_photos (self->attempts);
}

static void
set_session (ErAttemptsView  *self,
             ErReviewSession *session)
{
  if (session == self->session && self->attempts != NULL)
    return;

  g_clear_weak_pointer (&self->session);
  g_set_weak_pointer (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (self->attempts != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->attempts, self);
      er_attempts_set_case (self->attempts, NULL);
      g_clear_object (&self->attempts);
    }
  if (session != NULL)
    {
      self->attempts = er_attempts_new (er_review_session_get_client (session),
                                        er_review_session_get_key (session),
                                        er_review_session_get_agent (session));
      g_signal_connect_swapped (self->attempts, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect_swapped (self->attempts, "notify::loading", G_CALLBACK (update), self);
      g_signal_connect_swapped (self->attempts, "notify::error", G_CALLBACK (update), self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

void
er_attempts_view_set_case (ErAttemptsView *self,
                           ErCase         *kase)
{
  GtkWidget *workspace;

  g_return_if_fail (ER_IS_ATTEMPTS_VIEW (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  workspace = gtk_widget_get_ancestor (GTK_WIDGET (self), ER_TYPE_WORKSPACE);
  set_session (self, workspace != NULL ? er_workspace_get_session (ER_WORKSPACE (workspace)) : NULL);
  g_set_object (&self->kase, kase);
  gtk_expander_set_expanded (self->expander, FALSE);
  if (self->attempts != NULL)
    er_attempts_set_case (self->attempts, kase);
  update (self);
  on_photos (self);
}

ErAttempts *
er_attempts_view_get_attempts (ErAttemptsView *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS_VIEW (self), NULL);
  return self->attempts;
}

const char *
er_attempts_view_get_summary (ErAttemptsView *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS_VIEW (self), NULL);
  return self->summary;
}

static void
er_attempts_view_dispose (GObject *object)
{
  ErAttemptsView *self = ER_ATTEMPTS_VIEW (object);

  if (self->attempts != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->attempts, self);
      er_attempts_set_case (self->attempts, NULL);
      g_clear_object (&self->attempts);
    }
  g_clear_weak_pointer (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->kase);
  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_ATTEMPTS_VIEW);
  G_OBJECT_CLASS (er_attempts_view_parent_class)->dispose (object);
}

static void
er_attempts_view_finalize (GObject *object)
{
  ErAttemptsView *self = ER_ATTEMPTS_VIEW (object);

  g_free (self->summary);
  G_OBJECT_CLASS (er_attempts_view_parent_class)->finalize (object);
}

static void
er_attempts_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ErAttemptsView *self = ER_ATTEMPTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_ATTEMPTS: g_value_set_object (value, self->attempts); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_attempts_view_class_init (ErAttemptsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_attempts_view_dispose;
  object_class->finalize = er_attempts_view_finalize;
  object_class->get_property = er_attempts_view_get_property;

  properties[PROP_ATTEMPTS] =
    g_param_spec_object ("attempts", NULL, NULL, ER_TYPE_ATTEMPTS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/edulib/Reviewer/er-attempts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ErAttemptsView, box);
  gtk_widget_class_bind_template_child (widget_class, ErAttemptsView, expander);
  gtk_widget_class_bind_template_child (widget_class, ErAttemptsView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ErAttemptsView, list);
  gtk_widget_class_bind_template_child (widget_class, ErAttemptsView, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
er_attempts_view_init (ErAttemptsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->session_signals = g_signal_group_new (ER_TYPE_REVIEW_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::user-photo",
                                  G_CALLBACK (on_photos), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::user-photo-error",
                                  G_CALLBACK (on_photos), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::id-photo",
                                  G_CALLBACK (on_photos), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::id-photo-error",
                                  G_CALLBACK (on_photos), self);
}
