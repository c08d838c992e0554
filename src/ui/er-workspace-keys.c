/* er-workspace-keys.c: single keys for the review, and when each press began.
 *
 * Single keys (A, D, S, the view keys) and Ctrl+arrows/R/Z/Tab are seen
 * before any child (capture phase), so they act wherever the focus is,
 * except in a text field or a popover. A key controller that runs first
 * records when each physical key went down: the presses of a held key,
 * repeating, keep the time of the first one, and the
 * review session refuses a decision whose press began before the case
 * appeared (er_review_session_check). Leaving the window forgets every
 * held key (its release may never arrive). Tab and Shift+Tab leave the
 * queue: it is one stop of the Tab order, the arrow keys move in it.
 *
 * While the deny panel is open (er-deny-panel.c), the keys are routed so
 * that nothing clashes and nothing decides by surprise:
 * - every single key without Ctrl (A, D, S, C, ?, 0, 1, +, -, =, the other
 *   letters and digits, Escape, Backspace) is the panel's: digits 1 to 9
 *   toggle reasons (not the 100 % zoom), letters type ahead to a reason
 *   (A and S decide nothing: Approve and Skip are disabled, their buttons
 *   grey), Escape cancels, Return sends from the reasons. With the focus
 *   in the panel they reach it through the normal propagation (the
 *   shortcuts below step aside); with the focus elsewhere in the workspace
 *   (a photo, the case, the queue) route_to_deny hands them to the panel,
 *   which takes the focus to its first reason; so does Return, unless a
 *   button or the queue has the focus (D, 1, Return typed in a quick row
 *   denies even if the panel was still sliding in).
 * - Ctrl keys keep working on the photos (Ctrl+plus/minus/0 zoom, Ctrl+R
 *   rotate, Ctrl+arrows pan, Ctrl+Tab the other photo); Ctrl+Z (undo) is
 *   disabled while the panel is open.
 * - Text fields (the note, the search, the name helper) keep their keys.
 */
#include "config.h"

#include "er-workspace-private.h"

/* One physical key: when it went down, and whether (and when, in event
 * time) it was last released. */
typedef struct {
  gint64   since;
  guint32  released_at;
  gboolean released;
} Held;

/* Notes a press of keycode at event time time, and returns when that key
 * went down. Seeing the same event twice changes nothing. */
static gint64
note_press (ErWorkspace *self,
            guint        keycode,
            guint32      time)
{
  Held *held = g_hash_table_lookup (self->held, GUINT_TO_POINTER (keycode));

  /* A repeat: no release since the press (Wayland, X with detectable
   * auto-repeat), or a release and this press at the same instant (X's
   * plain auto-repeat sends such pairs). A person's second press comes
   * tens of milliseconds after the release. */
  if (held != NULL && (!held->released || time - held->released_at <= 1))
    {
      held->released = FALSE;
      return held->since;
    }

  held = g_new0 (Held, 1);
  held->since = g_get_monotonic_time ();
  g_hash_table_insert (self->held, GUINT_TO_POINTER (keycode), held);
  return held->since;
}

gboolean
er_workspace_route_to_deny (ErWorkspace     *self,
                            guint            keyval,
                            GdkModifierType  state)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!er_workspace_deny_open (self) || er_workspace_focus_takes_keys (self))
    return FALSE;
  /* In the panel: its own controllers see the key. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->deny_panel)))
    return FALSE;
  /* Return typed before the focus reached the panel (D, 1, Return in a
   * quick row, the panel still sliding in) sends, as from a reason; a
   * focused button or queue row keeps its Return. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & gtk_accelerator_get_default_mod_mask ()) == 0)
    {
      if (focus != NULL &&
          (GTK_IS_BUTTON (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_BUTTON) != NULL ||
           focus == GTK_WIDGET (self->queue_view) ||
           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->queue_view))))
        return FALSE;
      er_deny_panel_send (self->deny_panel);
      return TRUE;
    }
  if (!er_deny_panel_handle_key (self->deny_panel, keyval, state))
    return FALSE;
  /* A digit or Backspace leaves the focus where it was: into the panel,
   * where the next keys go anyway. */
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (er_workspace_deny_open (self) &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->deny_panel))))
    er_deny_panel_focus (self->deny_panel);
  return TRUE;
}

static gboolean
on_deny_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     ErWorkspace           *self)
{
  return er_workspace_route_to_deny (self, keyval, state);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ErWorkspace           *self)
{
  note_press (self, keycode,
              gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller)));
  return GDK_EVENT_PROPAGATE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 ErWorkspace           *self)
{
  Held *held = g_hash_table_lookup (self->held, GUINT_TO_POINTER (keycode));

  if (held == NULL)
    return;
  held->released = TRUE;
  held->released_at = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
}

static void
forget_held_keys (ErWorkspace *self)
{
  g_hash_table_remove_all (self->held);
}

/* When the key behind the event being handled went down. The shortcuts
 * may see a press before the tracker does (controllers of one widget run
 * in an order GTK does not promise), so the press is noted here too. */
static gint64
press_time_of_current_event (ErWorkspace *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (self->keys));

  if (event == NULL || gdk_event_get_event_type (event) != GDK_KEY_PRESS)
    return g_get_monotonic_time ();
  return note_press (self, gdk_key_event_get_keycode (event), gdk_event_get_time (event));
}

/* Whether a key should go to the focused widget instead: text fields, and
 * popovers (menus, the source filter). */
gboolean
er_workspace_focus_takes_keys (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_TEXT_VIEW (w) || GTK_IS_POPOVER (w))
      return TRUE;
  return FALSE;
}

static gboolean
key_shortcut (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  const char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  if (er_workspace_focus_takes_keys (self))
    return FALSE;
  /* The deny panel open: single keys are its own (see above). */
  if (er_workspace_deny_open (self))
    {
      GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (self->keys));

      if (event == NULL || (gdk_event_get_modifier_state (event) & GDK_CONTROL_MASK) == 0)
        return FALSE;
    }
  g_variant_get (args, "(&smv)", &action, &target);
  self->press_time = press_time_of_current_event (self);
  gtk_widget_activate_action_variant (widget, action, target);
  self->press_time = 0;
  return TRUE;
}

/* Escape in the name helper gives the keys back to the review, on the case.
 * The search field keeps its Escape (it closes the search). */
static gboolean
leave_text_field (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->case_view)) ||
      !er_workspace_focus_takes_keys (self))
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->case_view));
  return TRUE;
}

/* The queue is one stop of the Tab order, as GNOME's sidebars are: the
 * arrow keys move in it, Tab and Shift+Tab leave it for the next or
 * previous control. (GtkListView stops on every row before GTK 4.12.)
 * While the focus moves on, the list takes none, so it goes past it. */
static gboolean
leave_queue (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkDirectionType direction = g_variant_get_int32 (args);

  if (root == NULL)
    return FALSE;
  gtk_widget_set_can_focus (widget, FALSE);
  gtk_widget_child_focus (GTK_WIDGET (root), direction);
  gtk_widget_set_can_focus (widget, TRUE);
  return TRUE;
}

static void
add_leave_queue (GtkShortcutController *controller,
                 guint                  keyval,
                 GdkModifierType        modifiers,
                 GtkDirectionType       direction)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (leave_queue, NULL, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (direction));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
add_key (ErWorkspace     *self,
         guint            keyval,
         GdkModifierType  modifiers,
         const char      *action,
         GVariant        *target)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (key_shortcut, NULL, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(smv)", action, target));
  gtk_shortcut_controller_add_shortcut (self->keys, shortcut);
}

static void
on_root_active (GtkWindow   *window,
                GParamSpec  *pspec,
                ErWorkspace *self)
{
  if (!gtk_window_is_active (window))
    forget_held_keys (self);
}

static void
on_root_changed (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::is-active", G_CALLBACK (on_root_active), self, 0);
}

void
er_workspace_init_keys (ErWorkspace *self)
{
  GtkEventController *tracker;
  GtkEventController *deny_keys;
  GtkShortcutController *queue_keys;
  GtkShortcut *shortcut;
  static const struct {
    guint keyval;
    GdkModifierType modifiers;
    ErViewCommand command;
  } view_keys[] = {
    { GDK_KEY_plus, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_equal, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_KP_Add, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_plus, GDK_CONTROL_MASK, ER_VIEW_ZOOM_IN },
    { GDK_KEY_equal, GDK_CONTROL_MASK, ER_VIEW_ZOOM_IN },
    { GDK_KEY_minus, 0, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_KP_Subtract, 0, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_minus, GDK_CONTROL_MASK, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_0, 0, ER_VIEW_BEST_FIT },
    { GDK_KEY_KP_0, 0, ER_VIEW_BEST_FIT },
    { GDK_KEY_0, GDK_CONTROL_MASK, ER_VIEW_BEST_FIT },
    { GDK_KEY_1, 0, ER_VIEW_ACTUAL_SIZE },
    { GDK_KEY_KP_1, 0, ER_VIEW_ACTUAL_SIZE },
    { GDK_KEY_r, GDK_CONTROL_MASK, ER_VIEW_ROTATE_CW },
    { GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK, ER_VIEW_ROTATE_CCW },
    { GDK_KEY_Left, GDK_CONTROL_MASK, ER_VIEW_PAN_LEFT },
    { GDK_KEY_Right, GDK_CONTROL_MASK, ER_VIEW_PAN_RIGHT },
    { GDK_KEY_Up, GDK_CONTROL_MASK, ER_VIEW_PAN_UP },
    { GDK_KEY_Down, GDK_CONTROL_MASK, ER_VIEW_PAN_DOWN },
    { GDK_KEY_Tab, GDK_CONTROL_MASK, ER_VIEW_OTHER_PHOTO },
    { GDK_KEY_c, 0, ER_VIEW_COMPARE },
  };

  self->held = g_hash_table_new_full (NULL, NULL, NULL, g_free); /* keycode → Held */

  /* First: when each key went down. */
  tracker = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (tracker, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (tracker, "workspace-key-presses");
  g_signal_connect (tracker, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (tracker, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), tracker);
  g_signal_connect (self, "notify::root", G_CALLBACK (on_root_changed), NULL);

  self->keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->keys), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (self->keys), "workspace-keys");

  add_key (self, GDK_KEY_a, 0, "workspace.approve", NULL);
  add_key (self, GDK_KEY_d, 0, "workspace.deny", NULL);
  add_key (self, GDK_KEY_s, 0, "workspace.skip", NULL);
  add_key (self, GDK_KEY_n, 0, "workspace.use-id-name", NULL);
  add_key (self, GDK_KEY_z, GDK_CONTROL_MASK, "workspace.undo", NULL);
  add_key (self, GDK_KEY_question, 0, "win.show-help-overlay", NULL);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                               gtk_callback_action_new (leave_text_field, NULL, NULL));
  gtk_shortcut_controller_add_shortcut (self->keys, shortcut);
  for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
    add_key (self, view_keys[i].keyval, view_keys[i].modifiers, "workspace.view",
             g_variant_new_int32 (view_keys[i].command));

  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->keys));

  /* The open deny panel's keys, pressed with the focus outside it. */
  deny_keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (deny_keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (deny_keys, "workspace-deny-keys");
  g_signal_connect (deny_keys, "key-pressed", G_CALLBACK (on_deny_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), deny_keys);

  queue_keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (queue_keys), "queue-tab");
  add_leave_queue (queue_keys, GDK_KEY_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_leave_queue (queue_keys, GDK_KEY_KP_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_leave_queue (queue_keys, GDK_KEY_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_leave_queue (queue_keys, GDK_KEY_KP_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_leave_queue (queue_keys, GDK_KEY_ISO_Left_Tab, 0, GTK_DIR_TAB_BACKWARD);
  add_leave_queue (queue_keys, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  gtk_widget_add_controller (GTK_WIDGET (self->queue_view), GTK_EVENT_CONTROLLER (queue_keys));
}

void
er_workspace_finalize_keys (ErWorkspace *self)
{
  g_clear_pointer (&self->held, g_hash_table_unref);
}
