/* er-workspace-actions.c: what the workspace's buttons and keys do.
 *
 * Each decision goes through the review session, which applies the guard
 * (er-review-session.h); a refusal is told in a short line over the case
 * that replaces the previous refusal rather than stacking. press_time is the start of
 * the key press behind the action (er-workspace-keys.c), 0 for a click.
 *
 * Deny opens the deny panel beside the photos (er-deny-panel.c) for the
 * receipt id on screen; it denies that case or nothing. While it is open,
 * Approve, Skip and Undo are disabled (their buttons grey, their keys go
 * to the panel, er-workspace-keys.c), and the panel closes, sending
 * nothing, as soon as another case (or none) is on screen: a queue row
 * chosen, the case taken by a colleague, sign-out, lock.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-workspace-private.h"

static ErCase *
current_case (ErWorkspace *self)
{
  return self->session != NULL ? er_review_session_get_current_case (self->session) : NULL;
}

static const char *
current_id (ErWorkspace *self)
{
  ErCase *kase = current_case (self);

  return kase != NULL ? er_case_get_receipt_id (kase) : NULL;
}

/* The key press behind the action running now, used once. */
static gint64
take_press_time (ErWorkspace *self)
{
  gint64 press_time = self->press_time;

  self->press_time = 0;
  return press_time;
}

static gboolean
hide_refusal (gpointer user_data)
{
  ErWorkspace *self = user_data;

  self->refusal_timeout = 0;
  gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

/* Not an AdwToast: a held key refuses many times a second, and replacing
 * toasts that fast crashes libadwaita 1.2. One line at the top of the case,
 * clear of the photos' centre and of the decision buttons, replaced in
 * place and gone after a few seconds. */
void
er_workspace_refused (ErWorkspace  *self,
                      const GError *error)
{
  if (error == NULL || self->refusal_revealer == NULL)
    return;
  gtk_label_set_text (self->refusal_label, error->message);
  gtk_revealer_set_reveal_child (self->refusal_revealer, TRUE);
  g_clear_handle_id (&self->refusal_timeout, g_source_remove);
  self->refusal_timeout = g_timeout_add_seconds (3, hide_refusal, self);
}

/* Whether a decision is allowed now is the session's to say, with a
 * reason (no case yet, photos loading, too soon...): the actions stay
 * enabled while signed in, so that a key pressed too early explains. */
void
er_workspace_update_actions (ErWorkspace *self)
{
  gboolean open = self->session != NULL;
  gboolean denying = er_workspace_deny_open (self);
  gboolean can_undo = self->session != NULL && er_review_session_get_can_undo (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.approve", open && !denying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.deny", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.skip", open && !denying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.undo", can_undo && !denying);
}

gboolean
er_workspace_deny_open (ErWorkspace *self)
{
  return self->deny_panel != NULL && er_deny_panel_get_open (self->deny_panel);
}

void
er_workspace_check_deny (ErWorkspace *self)
{
  if (!er_workspace_deny_open (self))
    return;
  if (self->session == NULL || er_review_session_get_locked (self->session) ||
      g_strcmp0 (current_id (self), er_deny_panel_get_receipt_id (self->deny_panel)) != 0)
    er_deny_panel_close (self->deny_panel);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  gint64 press_time = take_press_time (self);
  g_autoptr(GError) error = NULL;

  if (self->session != NULL &&
      !er_review_session_approve (self->session, current_id (self), press_time, &error))
    er_workspace_refused (self, error);
}

/* The panel sends for the receipt id it was opened for: the session
 * refuses it unless that case is still the one on screen. */
static void
on_deny (ErDenyPanel     *panel,
         const char      *receipt_id,
         const ErReasons *reasons,
         ErWorkspace     *self)
{
  g_autoptr(GError) error = NULL;

  if (self->session != NULL &&
      !er_review_session_deny (self->session, receipt_id, reasons, 0, &error))
    er_workspace_refused (self, error);
}

/* Closed: the focus goes back to where it was when the panel opened (the
 * case, a photo, the Deny button), or to the case. */
static void
on_deny_open (ErWorkspace *self)
{
  g_autoptr(GtkWidget) back = NULL;
  GtkRoot *root;
  GtkWidget *focus;

  if (self->deny_panel == NULL) /* the template is gone */
    return;
  er_workspace_update_actions (self);
  if (er_deny_panel_get_open (self->deny_panel))
    return;

  back = g_weak_ref_get (&self->deny_return_focus);
  g_weak_ref_set (&self->deny_return_focus, NULL);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  /* Only when the focus was in the panel (or nowhere, the panel having
   * turned insensitive): a click elsewhere keeps its focus. */
  if (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->deny_panel)))
    return;
  if (back != NULL && gtk_widget_get_mapped (back) && gtk_widget_is_sensitive (back) &&
      gtk_widget_is_ancestor (back, GTK_WIDGET (self)) &&
      !gtk_widget_is_ancestor (back, GTK_WIDGET (self->deny_panel)) &&
      gtk_widget_grab_focus (back))
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self->case_view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->case_view));
}

/* Beside the photos when both fit side by side in the width the case has
 * now, so that opening the panel never widens the window; below them
 * otherwise (a narrow window), where the box (er-case-box.c) gives it the
 * height the case leaves. */
static void
place_deny_panel (ErWorkspace *self)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->deny_revealer));
  GtkWidget *separator = gtk_widget_get_first_child (gtk_revealer_get_child (self->deny_revealer));
  int case_min, panel_min;
  gboolean beside;

  gtk_widget_measure (GTK_WIDGET (self->case_view), GTK_ORIENTATION_HORIZONTAL, -1,
                      &case_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->deny_panel), GTK_ORIENTATION_HORIZONTAL, -1,
                      &panel_min, NULL, NULL, NULL);
  beside = gtk_widget_get_width (box) >= case_min + panel_min + 1;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (box),
                                  beside ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_revealer_get_child (self->deny_revealer)),
                                  beside ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (separator),
                                  beside ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  er_deny_panel_set_compact (self->deny_panel, !beside);
  gtk_widget_set_visible (GTK_WIDGET (self->deny_revealer), TRUE);
  gtk_revealer_set_transition_type (self->deny_revealer,
                                    beside ? GTK_REVEALER_TRANSITION_TYPE_SLIDE_LEFT
                                           : GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
}

/* Slid away: hidden, so that nothing of it is left in the tree screen
 * readers read. (Shown again by place_deny_panel.) */
static void
on_deny_revealed (ErWorkspace *self)
{
  if (self->deny_revealer != NULL && !gtk_revealer_get_reveal_child (self->deny_revealer) &&
      !gtk_revealer_get_child_revealed (self->deny_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->deny_revealer), FALSE);
}

static void
deny_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  gint64 press_time = take_press_time (self);
  g_autoptr(GError) error = NULL;
  ErCase *kase = current_case (self);
  GtkRoot *root;

  if (self->session == NULL)
    return;
  /* Already open for this case (the Deny button clicked again): back to it. */
  if (er_workspace_deny_open (self) &&
      g_strcmp0 (er_deny_panel_get_receipt_id (self->deny_panel), current_id (self)) == 0)
    {
      er_deny_panel_focus (self->deny_panel);
      return;
    }
  if (!er_review_session_check (self->session, kase != NULL ? er_case_get_receipt_id (kase) : NULL,
                                FALSE, press_time, &error))
    {
      er_workspace_refused (self, error);
      return;
    }

  /* The panel denies the case it was opened for, or nothing. */
  root = gtk_widget_get_root (widget);
  g_weak_ref_set (&self->deny_return_focus, root != NULL ? gtk_root_get_focus (root) : NULL);
  place_deny_panel (self);
  er_deny_panel_open (self->deny_panel, er_case_get_receipt_id (kase),
                      er_case_get_expected_name (kase));

  /* An ID read as expired when the learner submitted: "ID is invalid" is
   * offered first (a hint: the agent still chooses). */
  {
    ErIdReader *reader = er_review_session_get_id_reader (self->session);
    ErIdRead *read = g_strcmp0 (er_id_reader_get_current (reader), er_case_get_receipt_id (kase)) == 0
                     ? er_id_reader_get_read (reader) : NULL;
    g_autofree char *expired = read != NULL ? er_id_read_describe_expiry (read, er_case_get_submitted_at (kase))
                                            : NULL;

    if (expired != NULL)
      er_deny_panel_suggest (self->deny_panel, "Invalid Id", expired);
  }
}

/* Leaves the open case to a colleague (its claim is released) and opens the next. */
static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  g_autoptr(GError) error = NULL;

  take_press_time (self);
  if (self->session != NULL && !er_review_session_skip (self->session, &error))
    er_workspace_refused (self, error);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  g_autoptr(GError) error = NULL;
  ErCase *kase;
  g_autofree char *message = NULL;

  take_press_time (self);
  if (self->session == NULL)
    return;
  if (!er_review_session_undo (self->session, &error))
    {
      er_workspace_tell (self, error->message);
      return;
    }
  kase = current_case (self);
  message = g_strdup_printf (_("Undone: %s is open again."), er_case_get_expected_name (kase));
  er_workspace_tell (self, message);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  er_workspace_refresh (ER_WORKSPACE (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  if (self->session != NULL)
    er_review_session_retry (self->session);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_queue_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* N: the name read on the ID into the name helper. */
static void
use_id_name_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  if (er_workspace_get_open_case (self) != NULL)
    er_case_view_use_id_name (self->case_view);
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  if (current_case (self) != NULL)
    er_case_view_view (self->case_view, g_variant_get_int32 (parameter));
}

void
er_workspace_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_deny);
  gtk_widget_class_bind_template_callback (widget_class, on_deny_open);
  gtk_widget_class_bind_template_callback (widget_class, on_deny_revealed);
  gtk_widget_class_install_action (widget_class, "workspace.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "workspace.deny", NULL, deny_action);
  gtk_widget_class_install_action (widget_class, "workspace.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "workspace.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "workspace.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "workspace.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "workspace.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "workspace.show-queue", NULL, show_queue_action);
  gtk_widget_class_install_action (widget_class, "workspace.view", "i", view_action);
  gtk_widget_class_install_action (widget_class, "workspace.use-id-name", NULL, use_id_name_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "workspace.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "workspace.refresh", NULL);
}
