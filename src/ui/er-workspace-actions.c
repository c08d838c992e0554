/* er-workspace-actions.c: what the workspace's buttons and keys do.
 *
 * Each decision goes through the review session, which applies the guard
 * (er-review-session.h); a refusal is told in a short line over the case
 * that replaces the previous refusal rather than stacking. press_time is the start of
 * the key press behind the action (er-workspace-keys.c), 0 for a click.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-deny-dialog.h"
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
  gboolean can_undo = self->session != NULL && er_review_session_get_can_undo (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.approve", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.deny", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.skip", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.undo", can_undo);
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

static void
on_deny (ErDenyDialog    *dialog,
         const ErReasons *reasons,
         ErWorkspace     *self)
{
  const char *receipt_id = g_object_get_data (G_OBJECT (dialog), "receipt-id");
  g_autoptr(GError) error = NULL;

  if (self->session != NULL &&
      !er_review_session_deny (self->session, receipt_id, reasons, 0, &error))
    er_workspace_refused (self, error);
}

static void
deny_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  gint64 press_time = take_press_time (self);
  g_autoptr(GError) error = NULL;
  ErDenyDialog *dialog;
  ErCase *kase = current_case (self);

  if (self->session == NULL)
    return;
  if (!er_review_session_check (self->session, kase != NULL ? er_case_get_receipt_id (kase) : NULL,
                                FALSE, press_time, &error))
    {
      er_workspace_refused (self, error);
      return;
    }

  /* The dialog denies the case it was opened for, or nothing. */
  dialog = er_deny_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                               er_case_get_expected_name (kase));
  g_object_set_data_full (G_OBJECT (dialog), "receipt-id",
                          g_strdup (er_case_get_receipt_id (kase)), g_free);
  g_signal_connect_object (dialog, "deny", G_CALLBACK (on_deny), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  gtk_widget_class_install_action (widget_class, "workspace.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "workspace.deny", NULL, deny_action);
  gtk_widget_class_install_action (widget_class, "workspace.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "workspace.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "workspace.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "workspace.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "workspace.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "workspace.show-queue", NULL, show_queue_action);
  gtk_widget_class_install_action (widget_class, "workspace.view", "i", view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "workspace.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "workspace.refresh", NULL);
}
