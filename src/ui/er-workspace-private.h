/* er-workspace-private.h: shared by er-workspace.c, er-workspace-actions.c
 * and er-workspace-keys.c. */
#pragma once

#include "er-deny-panel.h"
#include "er-notice-bar.h"
#include "er-workspace.h"

G_BEGIN_DECLS

struct _ErWorkspace
{
  GtkWidget           parent_instance;

  /* Template */
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *content;
  AdwWindowTitle     *queue_title;
  AdwWindowTitle     *content_title;
  GtkStack           *queue_stack;
  GtkSpinner         *queue_spinner;
  GtkListView        *queue_view;
  AdwStatusPage      *queue_error;
  GtkLabel           *queue_empty_label;
  GtkStack           *content_stack;
  GtkSpinner         *content_spinner;
  ErCaseView         *case_view;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *source_dropdown;
  GtkRevealer        *offline_revealer;
  GtkLabel           *offline_label;
  GtkRevealer        *refusal_revealer;
  GtkLabel           *refusal_label;
  guint               refusal_timeout;
  ErNoticeBar        *notice_bar;
  GtkRevealer        *deny_revealer;
  ErDenyPanel        *deny_panel;
  GWeakRef            deny_return_focus; /* where the focus was when it opened */

  /* Keys (er-workspace-keys.c) */
  GtkShortcutController *keys;
  GHashTable         *held;        /* keycode → Held (er-workspace-keys.c) */
  gint64              press_time;  /* of the key behind the action running, or 0 */

  ErReviewSession    *session;
  GSignalGroup       *session_signals;
  GSignalGroup       *queue_signals;
  GSignalGroup       *sender_signals;
  GtkSingleSelection *selection;
  gboolean            selecting;
  gboolean            opening_from_queue; /* a row chosen: the focus stays in the queue */
};

/* er-workspace.c */
/* Tells the agent something, in the notice bar under the case. */
void     er_workspace_tell            (ErWorkspace *self, const char *message);

/* er-workspace-actions.c */
void     er_workspace_class_init_actions (GtkWidgetClass *widget_class);
void     er_workspace_update_actions     (ErWorkspace *self);
/* A decision or key the session refused: said briefly, never stacked. */
void     er_workspace_refused            (ErWorkspace *self, const GError *error);
/* Whether the deny panel is open (for the case on screen). */
gboolean er_workspace_deny_open          (ErWorkspace *self);
/* Closes the deny panel unless it is open for the case on screen (another
 * case, none, signed out, locked): it sends nothing. */
void     er_workspace_check_deny         (ErWorkspace *self);

/* er-workspace-keys.c */
void     er_workspace_init_keys          (ErWorkspace *self);
gboolean er_workspace_focus_takes_keys   (ErWorkspace *self);
void     er_workspace_finalize_keys      (ErWorkspace *self);
/* Keys pressed outside the open deny panel that are its own. */
gboolean er_workspace_route_to_deny      (ErWorkspace *self, guint keyval, GdkModifierType state);

G_END_DECLS
