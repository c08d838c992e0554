/* er-workspace.c: the queue beside the open case.
 *
 * The review loop lives in ErReviewSession (core); the workspace shows it.
 * It follows the session's properties — the current case and its photos,
 * the queue's state, offline, undo — through signal groups and the
 * bindings of er-workspace.ui, tells the session whether the case is on
 * screen ("case-visible"), and tells the session's messages in the notice bar.
 * Its actions are in er-workspace-actions.c, its single keys in
 * er-workspace-keys.c. The deny panel (er-deny-panel.c) is beside the case,
 * in a revealer bound to its "open" property; it is closed, sending
 * nothing, whenever the case on screen is not the one it was opened for.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-case-box.h"
#include "er-error.h"
#include "er-format.h"
#include "er-queue-row.h"
#include "er-workspace-private.h"

G_DEFINE_FINAL_TYPE (ErWorkspace, er_workspace, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_UNAUTHENTICATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
er_workspace_tell (ErWorkspace *self,
                    const char  *message)
{
  if (self->notice_bar == NULL) /* an answer after the window closed */
    return;
  er_notice_bar_show (self->notice_bar, message);
}

/* Locked: nothing about a case stays on screen, not even in the notice bar or in
 * the search field. (The case view and the queue empty themselves: the
 * session has no case and its queue no item.) */
static void
on_locked (ErWorkspace *self)
{
  if (self->session == NULL || !er_review_session_get_locked (self->session))
    return;
  er_notice_bar_clear (self->notice_bar);
  er_workspace_check_deny (self);
  g_clear_handle_id (&self->refusal_timeout, g_source_remove);
  if (self->refusal_revealer != NULL)
    {
      gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
      gtk_label_set_text (self->refusal_label, "");
    }
  er_workspace_search (self, NULL, NULL);
}

static ErReviewQueue *
queue (ErWorkspace *self)
{
  return self->session != NULL ? er_review_session_get_queue (self->session) : NULL;
}

static ErCase *
current_case (ErWorkspace *self)
{
  return self->session != NULL ? er_review_session_get_current_case (self->session) : NULL;
}

/* ---- What the agent sees of the session -------------------------------- */

/* The case is on screen: the case page shows, and on a narrow window the
 * leaflet shows the case rather than the queue. */
static void
update_case_visible (ErWorkspace *self)
{
  gboolean visible;

  if (self->session == NULL || self->leaflet == NULL)
    return;
  visible = gtk_widget_get_mapped (GTK_WIDGET (self)) &&
            g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "case") == 0 &&
            (!adw_leaflet_get_folded (self->leaflet) ||
             adw_leaflet_get_visible_child (self->leaflet) == self->content);
  er_review_session_set_case_visible (self->session, visible);
}

static void
update_titles (ErWorkspace *self)
{
  ErReviewQueue *q = queue (self);
  ErAgent *agent = self->session != NULL ? er_review_session_get_agent (self->session) : NULL;
  g_autofree char *count = NULL;

  if (q != NULL && er_review_queue_get_loaded (q))
    {
      guint n = er_review_queue_get_total (q);

      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", n), n);
    }
  adw_window_title_set_subtitle (self->queue_title, count);
  adw_window_title_set_subtitle (self->content_title,
                                 agent != NULL ? er_agent_get_full_name (agent) : NULL);
}

/* The queue's page (loading, list, empty, error) and the content's (the
 * case, loading, empty). */
/* Under the end of the queue: when the queue was last checked, or that it
 * is being checked. */
static char *
format_checked (gpointer   unused,
                gboolean   checking,
                GDateTime *checked_at)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (checking)
    return g_strdup (_("Checking for new verifications…"));
  if (checked_at == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (checked_at);
  /* Translators: a time of day, see g_date_time_format(); e.g. "10:04" */
  time = g_date_time_format (local, _("%H:%M"));
  /* Translators: e.g. "Last checked at 10:04" */
  return g_strdup_printf (_("Last checked at %s"), time);
}

static void
update_pages (ErWorkspace *self)
{
  ErReviewQueue *q = queue (self);
  gboolean empty, loading;
  const char *error;

  if (self->queue_stack == NULL) /* the template is gone */
    return;

  empty = q == NULL || g_list_model_get_n_items (G_LIST_MODEL (q)) == 0;
  loading = q != NULL && (er_review_queue_get_loading (q) || !er_review_queue_get_loaded (q));
  error = q != NULL ? er_review_queue_get_error (q) : NULL;

  if (!empty)
    gtk_stack_set_visible_child_name (self->queue_stack, "list");
  else if (error != NULL && !er_review_queue_get_loading (q))
    {
      adw_status_page_set_description (self->queue_error, error);
      gtk_stack_set_visible_child_name (self->queue_stack, "error");
    }
  else if (loading)
    gtk_stack_set_visible_child_name (self->queue_stack, "loading");
  else
    {
      gboolean searching = q != NULL &&
                           (er_review_queue_get_text (q) != NULL || er_review_queue_get_source (q) != NULL);

      /* The end of the queue is said once, in the content; the list only
       * says it is empty, or that the search found nothing. */
      gtk_label_set_text (self->queue_empty_label,
                          searching ? _("No pending case matches the search.")
                                    : _("No pending case."));
      gtk_stack_set_visible_child_name (self->queue_stack, "empty");
    }
  if (empty && loading)
    gtk_spinner_start (self->queue_spinner);
  else
    gtk_spinner_stop (self->queue_spinner);

  if (current_case (self) != NULL)
    {
      gtk_spinner_stop (self->content_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "case");
    }
  else if (loading && error == NULL)
    {
      gtk_spinner_start (self->content_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
    }
  else
    {
      gtk_spinner_stop (self->content_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  update_titles (self);
  update_case_visible (self);
}

static void
select_case (ErWorkspace *self,
             ErCase      *kase)
{
  guint position;

  self->selecting = TRUE;
  if (kase != NULL && er_review_queue_find (queue (self), er_case_get_receipt_id (kase), &position))
    {
      gtk_single_selection_set_selected (self->selection, position);
      gtk_widget_activate_action (GTK_WIDGET (self->queue_view), "list.scroll-to-item", "u", position);
    }
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
}

/* Keys reach the workspace only when the focus is inside it. A new case
 * takes the focus, so that screen readers read whose case it is (after a
 * decision, at the start, when a row left the list), unless the agent
 * opened it from the queue (the focus stays there, for the arrow keys) or
 * is typing a search. */
static void
focus_case (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean inside;

  if (root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  inside = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) &&
           gtk_widget_get_mapped (focus);
  if (inside && (self->opening_from_queue ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_bar))))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->case_view));
}

/* The search closed (Escape): the focus leaves the hidden field for the
 * case, or the queue when there is none. */
static void
on_search_mode (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self->search_bar == NULL || /* the template is gone */
      gtk_search_bar_get_search_mode (self->search_bar) || focus == NULL ||
      !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_bar)))
    return;
  if (current_case (self) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->case_view));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
}

static void
show_photo (ErWorkspace *self,
            ErPhotoKind  kind)
{
  ErPhotoImage *photo = er_review_session_get_photo (self->session, kind);
  const char *error = er_review_session_get_photo_error (self->session, kind);

  if (photo != NULL)
    er_case_view_set_photo (self->case_view, kind, GDK_PAINTABLE (photo));
  else if (error != NULL)
    er_case_view_set_photo_error (self->case_view, kind, error);
}

static void
on_user_photo (ErWorkspace *self)
{
  show_photo (self, ER_PHOTO_USER);
}

static void
on_id_photo (ErWorkspace *self)
{
  show_photo (self, ER_PHOTO_ID);
}

static void
on_current_case (ErWorkspace *self)
{
  ErCase *kase = current_case (self);

  /* The deny panel denies the case it was opened for, or nothing. */
  er_workspace_check_deny (self);
  er_case_view_set_case (self->case_view, kase);
  select_case (self, kase);
  if (kase != NULL)
    {
      show_photo (self, ER_PHOTO_USER);
      show_photo (self, ER_PHOTO_ID);
      gtk_stack_set_visible_child_name (self->content_stack, "case");
      adw_leaflet_set_visible_child (self->leaflet, self->content);
      focus_case (self);
    }
  update_pages (self);
  er_workspace_update_actions (self);
}

/* The banner: the server cannot be reached, and how many decisions wait. */
static void
update_offline (ErWorkspace *self)
{
  guint waiting;
  g_autofree char *text = NULL;

  if (self->offline_label == NULL || self->session == NULL)
    return;
  waiting = er_review_session_get_n_waiting (self->session);
  if (waiting > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The server cannot be reached. %u decision is waiting to be sent; it will go as soon as the server answers.",
                                         "The server cannot be reached. %u decisions are waiting to be sent; they will go as soon as the server answers.",
                                         waiting), waiting);
  else
    text = g_strdup (_("The server cannot be reached. You can go on with the cases already loaded; your decisions will be sent when it answers."));
  gtk_label_set_text (self->offline_label, text);
}

/* A closed revealer is hidden: GTK measures a hidden revealer's child all
 * the same, and the offline banner's wrapping text, which counts the
 * decisions waiting, changes with each decision. */
static void
update_revealer_visible (GtkRevealer *revealer)
{
  gtk_widget_set_visible (GTK_WIDGET (revealer),
                          gtk_revealer_get_reveal_child (revealer) ||
                          gtk_revealer_get_child_revealed (revealer));
}

static void
on_message (ErWorkspace *self,
            const char  *text)
{
  er_workspace_tell (self, text);
}

static void
on_unauthenticated (ErWorkspace *self,
                    const char  *text)
{
  g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, text);
}

/* A decision the server refused for good. */
static void
on_refused (ErSender      *sender,
            ErOutboxEntry *entry,
            GError        *error,
            ErConflict    *conflict,
            ErWorkspace   *self)
{
  const char *name = er_outbox_entry_get_name (entry);
  ErDecision *other = conflict != NULL ? conflict->decision : NULL;
  g_autofree char *message = NULL;

  if (other != NULL)
    {
      g_autofree char *when = er_format_time (er_decision_get_decided_at (other));

      /* Translators: "Marie Tremblay was already decided by agent.roy at 10:15: approved." */
      message = g_strdup_printf (er_decision_get_approved (other)
                                 ? _("%s was already decided by %s at %s: approved.")
                                 : _("%s was already decided by %s at %s: denied."),
                                 name, er_decision_get_decided_by (other), when);
    }
  else
    message = g_strdup_printf (_("Your decision on %s was not recorded: %s"), name, error->message);
  er_workspace_tell (self, message);
}

static void
on_queue_refreshed (ErWorkspace *self)
{
  /* The review starts from the queue: arrows move in it, keys decide. */
  select_case (self, current_case (self));
  update_pages (self);
}

static void
on_selection_changed (ErWorkspace *self)
{
  ErCase *kase;

  if (self->selecting || self->session == NULL)
    return;
  kase = gtk_single_selection_get_selected_item (self->selection);
  if (kase != NULL)
    {
      self->opening_from_queue = TRUE;
      er_review_session_open (self->session, kase);
      self->opening_from_queue = FALSE;
    }
}

/* ---- The session ------------------------------------------------------ */

static void show_search (ErWorkspace *self, const char *text, const char *source);

void
er_workspace_set_session (ErWorkspace     *self,
                          ErReviewSession *session)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (session == NULL || ER_IS_REVIEW_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    er_review_session_set_case_visible (self->session, FALSE);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->queue_signals, session != NULL ? er_review_session_get_queue (session) : NULL);
  g_signal_group_set_target (self->sender_signals, session != NULL ? er_review_session_get_sender (session) : NULL);
  er_case_view_set_case_order (self->case_view, session != NULL ? er_review_session_get_case_order (session) : NULL);
  er_case_view_set_id_reader (self->case_view, session != NULL ? er_review_session_get_id_reader (session) : NULL);
  /* Photos are decoded for the panes' size, and fitted to them
   * (er-prefetch.h). */
  if (session != NULL)
    {
      ErPrefetch *prefetch = er_review_session_get_prefetch (session);

      g_object_bind_property (self->case_view, "photo-target-size", prefetch, "target-size",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->case_view, "user-photo-box", prefetch, "user-photo-box",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->case_view, "id-photo-box", prefetch, "id-photo-box",
                              G_BINDING_SYNC_CREATE);
    }
  gtk_single_selection_set_model (self->selection,
                                  session != NULL ? G_LIST_MODEL (er_review_session_get_queue (session)) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  on_current_case (self);
  update_offline (self);
  if (session != NULL)
    {
      /* A new session searches nothing: the bar is emptied, and the one
       * list request at start is the session's own. */
      show_search (self, NULL, NULL);
      er_review_session_start (session);
    }
  update_pages (self);
}

ErReviewSession *
er_workspace_get_session (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->session;
}

void
er_workspace_refresh (ErWorkspace *self)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));

  if (self->session != NULL)
    er_review_session_refresh (self->session);
}

void
er_workspace_deny (ErWorkspace     *self,
                   const ErReasons *reasons)
{
  g_autoptr(GError) error = NULL;
  ErCase *kase;

  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (reasons != NULL);

  kase = current_case (self);
  if (self->session == NULL ||
      !er_review_session_deny (self->session, kase != NULL ? er_case_get_receipt_id (kase) : NULL,
                               reasons, 0, &error))
    er_workspace_refused (self, error);
}

/* Another search or source: a new list, not a 304 of the previous one. */
static void
on_search_changed (ErWorkspace *self)
{
  const char *source = NULL;

  if (self->session == NULL)
    return;
  switch (gtk_drop_down_get_selected (self->source_dropdown))
    {
    case 1: source = "webcam"; break;
    case 2: source = "email"; break;
    default: break;
    }
  er_review_session_set_query (self->session,
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), source);
}

/* The search bar shows text and source, without asking for a list. */
static void
show_search (ErWorkspace *self,
             const char  *text,
             const char  *source)
{
  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  g_signal_handlers_block_by_func (self->source_dropdown, on_search_changed, self);
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_drop_down_set_selected (self->source_dropdown,
                              g_strcmp0 (source, "webcam") == 0 ? 1 :
                              g_strcmp0 (source, "email") == 0 ? 2 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
  g_signal_handlers_unblock_by_func (self->source_dropdown, on_search_changed, self);
}

void
er_workspace_search (ErWorkspace *self,
                     const char  *text,
                     const char  *source)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));

  show_search (self, text, source);
  on_search_changed (self);
}

void
er_workspace_open_case (ErWorkspace *self,
                        ErCase      *kase)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (ER_IS_CASE (kase));

  if (self->session != NULL)
    er_review_session_open (self->session, kase);
}

GListModel *
er_workspace_get_queue (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  /* The selection follows the session's queue, and is there without one. */
  return G_LIST_MODEL (self->selection);
}

ErCase *
er_workspace_get_open_case (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return current_case (self);
}

ErCaseView *
er_workspace_get_case_view (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->case_view;
}

ErDenyPanel *
er_workspace_get_deny_panel (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->deny_panel;
}

/* ---- GObject ---------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, er_queue_row_new ());
}

/* Each row is read by screen readers as the learner, source, attempt and age.
 *
 * No "unbind": GTK 4.8's list view unbinds and binds again every row after
 * a removed one, with the same case. A row that kept
 * its case and is bound to it again changes nothing, and its labels keep
 * their measured sizes; a row let go for good is destroyed with its case. */
static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  ErQueueRow *row = ER_QUEUE_ROW (gtk_list_item_get_child (item));

  if (!er_queue_row_set_case (row, gtk_list_item_get_item (item)))
    return;
  er_accessible_name_list_item (item, er_queue_row_get_accessible_label (row),
                                er_queue_row_get_accessible_description (row));
}

static void
er_workspace_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (er_workspace_parent_class)->map (widget);
  update_case_visible (ER_WORKSPACE (widget));
}

static void
er_workspace_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (er_workspace_parent_class)->unmap (widget);
  update_case_visible (ER_WORKSPACE (widget));
}

static void
er_workspace_dispose (GObject *object)
{
  ErWorkspace *self = ER_WORKSPACE (object);

  if (self->session != NULL)
    er_review_session_set_case_visible (self->session, FALSE);
  g_signal_group_set_target (self->session_signals, NULL);
  g_signal_group_set_target (self->queue_signals, NULL);
  g_signal_group_set_target (self->sender_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_WORKSPACE);
  g_clear_object (&self->selection);
  g_clear_handle_id (&self->refusal_timeout, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->queue_signals);
  g_clear_object (&self->sender_signals);

  G_OBJECT_CLASS (er_workspace_parent_class)->dispose (object);
}

static void
er_workspace_finalize (GObject *object)
{
  er_workspace_finalize_keys (ER_WORKSPACE (object));
  g_weak_ref_clear (&ER_WORKSPACE (object)->deny_return_focus);

  G_OBJECT_CLASS (er_workspace_parent_class)->finalize (object);
}

static void
er_workspace_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ErWorkspace *self = ER_WORKSPACE (object);

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
er_workspace_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ErWorkspace *self = ER_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      er_workspace_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_workspace_class_init (ErWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_workspace_dispose;
  object_class->finalize = er_workspace_finalize;
  object_class->get_property = er_workspace_get_property;
  object_class->set_property = er_workspace_set_property;
  widget_class->map = er_workspace_map;
  widget_class->unmap = er_workspace_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ER_TYPE_REVIEW_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_UNAUTHENTICATED] =
    g_signal_new ("unauthenticated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (ER_TYPE_CASE_BOX);
  g_type_ensure (ER_TYPE_CASE_VIEW);
  g_type_ensure (ER_TYPE_NOTICE_BAR);
  g_type_ensure (ER_TYPE_DENY_PANEL);
  g_type_ensure (ER_TYPE_REVIEW_SESSION);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-workspace.ui");
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, notice_bar);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, deny_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, deny_panel);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, format_checked);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_title);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_title);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_view);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_error);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, case_view);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, offline_label);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, refusal_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, source_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_case_visible);

  er_workspace_class_init_actions (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
er_workspace_init (ErWorkspace *self)
{
  GtkListItemFactory *factory;

  g_weak_ref_init (&self->deny_return_focus, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  er_accessible_name_drop_down (self->source_dropdown, _("Source"));
  er_workspace_init_keys (self);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect (self->offline_revealer, "notify::reveal-child",
                    G_CALLBACK (update_revealer_visible), NULL);
  g_signal_connect (self->offline_revealer, "notify::child-revealed",
                    G_CALLBACK (update_revealer_visible), NULL);
  update_revealer_visible (self->offline_revealer);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_mode), self);

  self->session_signals = g_signal_group_new (ER_TYPE_REVIEW_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::current-case",
                                  G_CALLBACK (on_current_case), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::user-photo",
                                  G_CALLBACK (on_user_photo), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::user-photo-error",
                                  G_CALLBACK (on_user_photo), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::id-photo",
                                  G_CALLBACK (on_id_photo), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::id-photo-error",
                                  G_CALLBACK (on_id_photo), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::n-waiting",
                                  G_CALLBACK (update_offline), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::can-undo",
                                  G_CALLBACK (er_workspace_update_actions), self);
  g_signal_group_connect_swapped (self->session_signals, "message", G_CALLBACK (on_message), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::locked",
                                  G_CALLBACK (on_locked), self);
  g_signal_group_connect_swapped (self->session_signals, "unauthenticated",
                                  G_CALLBACK (on_unauthenticated), self);

  self->queue_signals = g_signal_group_new (ER_TYPE_REVIEW_QUEUE);
  g_signal_group_connect_swapped (self->queue_signals, "refreshed",
                                  G_CALLBACK (on_queue_refreshed), self);
  g_signal_group_connect_swapped (self->queue_signals, "items-changed",
                                  G_CALLBACK (update_pages), self);
  g_signal_group_connect_swapped (self->queue_signals, "notify::loading",
                                  G_CALLBACK (update_pages), self);
  g_signal_group_connect_swapped (self->queue_signals, "notify::error",
                                  G_CALLBACK (update_pages), self);
  g_signal_group_connect_swapped (self->queue_signals, "notify::total",
                                  G_CALLBACK (update_titles), self);

  self->sender_signals = g_signal_group_new (ER_TYPE_SENDER);
  g_signal_group_connect (self->sender_signals, "refused", G_CALLBACK (on_refused), self);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->queue_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->selection));

  er_workspace_update_actions (self);
}
