/* er-deny-dialog.c: choose the reasons for a denial, as the learner will read them.
 *
 * Keys:
 * - The reasons are shown in er_reason_display_order(): the general ones
 *   (name mismatch, no name on the account, photos mismatched) first, then
 *   the ID photo's, then the learner photo's. Each shows its agent label
 *   (which never contradicts the learner's sentence) and, under it, the
 *   sentence the learner reads.
 * - 1 to 9 toggle the first nine reasons in that order (digits typed in the
 *   note stay text); Escape cancels.
 * - Return (or Enter) activates the focused button, as everywhere in GNOME:
 *   on Cancel it closes the dialog and sends nothing, on Deny it denies.
 * - Return sends the denial when the focus is on a reason (its row or its
 *   check box; Space toggles it) or in the note. The note is a single-line
 *   entry, so Return has no other use there; were it ever a multi-line text
 *   view, Return would keep inserting a newline and Ctrl+Return would send,
 *   as in GNOME's message composers.
 * - Return never sends without a reason from the table: the dialog stays
 *   open and says what is missing.
 * - Type-ahead: letters typed while the focus is not in the note move the
 *   focus to the first reason (in the order shown) whose agent label
 *   contains them, case-insensitively ("name", "blur", "out"); nothing
 *   matching rings the bell and leaves the focus where it is. Backspace
 *   takes back the last letter, Escape forgets them (a second Escape
 *   cancels), and they are forgotten TYPEAHEAD_RESET_MS after the last one.
 *   Digits keep toggling reasons; Space toggles the focused reason, except
 *   inside a typed text ("face out"), where it is part of it.
 * The dialog opens with the focus on the first reason, so D, digits, Return
 * denies from the workspace.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-deny-dialog.h"
#include "er-error.h"

#include <string.h>

#define TYPEAHEAD_RESET_MS 1000

struct _ErDenyDialog
{
  AdwWindow            parent_instance;

  AdwWindowTitle      *window_title;
  GtkWidget           *send_button;
  AdwToastOverlay     *toast_overlay;
  AdwPreferencesPage  *page;
  AdwToast            *toast;    /* the "why not" message on screen, if any */
  AdwEntryRow         *note_row;
  GtkLabel            *note_counter;

  GPtrArray           *checks;   /* GtkCheckButton, in the display order */
  const guint         *order;    /* checks[i] is er_reason_table()[order[i]] */
  GPtrArray           *folded_labels; /* casefolded agent labels, as checks */
  GString             *typeahead;
  guint                typeahead_reset_id;
};

G_DEFINE_FINAL_TYPE (ErDenyDialog, er_deny_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_DENY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

ErReasons *
er_deny_dialog_get_reasons (ErDenyDialog *self)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *note = NULL;
  const ErReasonInfo *table;
  guint n_reasons;

  g_return_val_if_fail (ER_IS_DENY_DIALOG (self), NULL);

  /* Within a group the display order is the contract's: what is sent
   * does not depend on the order shown. */
  table = er_reason_table (&n_reasons);
  for (guint i = 0; i < n_reasons && i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      er_reasons_add (reasons, table[self->order[i]].group, table[self->order[i]].reason);

  /* Spaces alone are no note. */
  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  er_reasons_set_note (reasons, note);
  return g_steal_pointer (&reasons);
}

static gboolean
has_table_reason (ErDenyDialog *self)
{
  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      return TRUE;
  return FALSE;
}

/* Whether the choice can be sent; if not, why, in words for the agent. */
static gboolean
validate (ErDenyDialog  *self,
          GError       **error)
{
  g_autoptr(ErReasons) reasons = er_deny_dialog_get_reasons (self);

  /* A note alone is a valid denial for the platform, but the learner would
   * read no standard sentence: ask for at least one reason from the table. */
  if (!has_table_reason (self))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                           _("Choose at least one reason for the denial."));
      return FALSE;
    }
  return er_reasons_validate (reasons, error);
}

static void
on_toast_dismissed (ErDenyDialog *self)
{
  self->toast = NULL;
}

/* Says in the dialog why nothing was sent (once while it is on screen). */
static void
show_refusal (ErDenyDialog *self,
              const char   *message)
{
  g_autofree char *title = g_markup_escape_text (message, -1);

  gtk_widget_error_bell (GTK_WIDGET (self));
  if (self->toast != NULL)
    {
      if (g_str_equal (adw_toast_get_title (self->toast), title))
        return;
      adw_toast_dismiss (self->toast);
    }
  self->toast = adw_toast_new (title);
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (on_toast_dismissed), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, self->toast);
}

static void
update_state (ErDenyDialog *self)
{
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  glong length = g_utf8_strlen (note, -1);
  g_autofree char *counter = g_strdup_printf ("%ld / %d", length, ER_REASON_NOTE_MAX_CHARS);
  gboolean valid = validate (self, NULL);

  gtk_label_set_text (self->note_counter, counter);
  if (length > ER_REASON_NOTE_MAX_CHARS)
    gtk_widget_add_css_class (GTK_WIDGET (self->note_counter), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->note_counter), "error");

  /* A focused Deny button about to turn insensitive would leave the focus
   * nowhere: hand it to the first reason, where Return still answers. */
  if (!valid && gtk_widget_has_focus (self->send_button) && self->checks->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->checks, 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deny.send", valid);
}

gboolean
er_deny_dialog_send (ErDenyDialog *self)
{
  g_autoptr(ErReasons) reasons = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ER_IS_DENY_DIALOG (self), FALSE);

  if (!validate (self, &error))
    {
      show_refusal (self, error->message);
      return FALSE;
    }

  reasons = er_deny_dialog_get_reasons (self);
  g_signal_emit (self, signals[SIGNAL_DENY], 0, reasons);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

void
er_deny_dialog_toggle (ErDenyDialog *self,
                       guint         n)
{
  GtkCheckButton *check;

  g_return_if_fail (ER_IS_DENY_DIALOG (self));

  if (n >= self->checks->len)
    return;
  check = g_ptr_array_index (self->checks, n);
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

void
er_deny_dialog_set_note (ErDenyDialog *self,
                         const char   *note)
{
  g_return_if_fail (ER_IS_DENY_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note != NULL ? note : "");
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  er_deny_dialog_send (ER_DENY_DIALOG (widget));
}

static gboolean
on_return (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  er_deny_dialog_send (ER_DENY_DIALOG (gtk_widget_get_root (widget)));
  return TRUE;
}

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  er_deny_dialog_toggle (ER_DENY_DIALOG (widget), g_variant_get_uint32 (parameter));
}

static void
typeahead_clear (ErDenyDialog *self)
{
  g_string_truncate (self->typeahead, 0);
  g_clear_handle_id (&self->typeahead_reset_id, g_source_remove);
}

static gboolean
typeahead_reset_cb (gpointer user_data)
{
  ErDenyDialog *self = user_data;

  self->typeahead_reset_id = 0;
  g_string_truncate (self->typeahead, 0);
  return G_SOURCE_REMOVE;
}

/* The focus to the first reason whose label contains what was typed. */
static void
typeahead_search (ErDenyDialog *self)
{
  g_autofree char *folded = NULL;

  g_clear_handle_id (&self->typeahead_reset_id, g_source_remove);
  self->typeahead_reset_id = g_timeout_add (TYPEAHEAD_RESET_MS, typeahead_reset_cb, self);
  if (self->typeahead->len == 0)
    return;

  folded = g_utf8_casefold (self->typeahead->str, -1);
  for (guint i = 0; i < self->checks->len; i++)
    if (strstr (g_ptr_array_index (self->folded_labels, i), folded) != NULL)
      {
        gtk_widget_grab_focus (g_ptr_array_index (self->checks, i));
        return;
      }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static gboolean
focus_in_text (ErDenyDialog *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL &&
         (GTK_IS_EDITABLE (focus) || gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW) != NULL);
}

/* In the capture phase, so that Space and Escape inside a typed text are
 * ours; the note keeps every key. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ErDenyDialog          *self)
{
  gunichar c;

  if (focus_in_text (self))
    return FALSE;
  if ((state & gtk_accelerator_get_default_mod_mask () & ~GDK_SHIFT_MASK) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      if (self->typeahead->len == 0)
        return FALSE;
      g_string_truncate (self->typeahead,
                         g_utf8_find_prev_char (self->typeahead->str,
                                                self->typeahead->str + self->typeahead->len) -
                         self->typeahead->str);
      typeahead_search (self);
      return TRUE;

    case GDK_KEY_Escape:
      if (self->typeahead->len == 0)
        return FALSE;
      typeahead_clear (self);
      return TRUE;

    default:
      break;
    }

  c = gdk_keyval_to_unicode (keyval);
  if (c == 0 || !g_unichar_isprint (c) || g_unichar_isdigit (c))
    return FALSE;
  if (g_unichar_isspace (c) && self->typeahead->len == 0)
    return FALSE;

  g_string_append_unichar (self->typeahead, c);
  typeahead_search (self);
  return TRUE;
}

static void
build_groups (ErDenyDialog *self)
{
  AdwPreferencesGroup *groups[ER_N_REASON_GROUPS];
  AdwPreferencesGroup *note_group;
  const ErReasonGroup *display_groups = er_reason_display_groups ();
  const ErReasonInfo *table;
  guint n_reasons;

  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    {
      ErReasonGroup group = display_groups[g];

      groups[group] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (groups[group], _(er_reason_group_title (group)));
      adw_preferences_page_add (self->page, groups[group]);
    }
  adw_preferences_group_set_description (groups[display_groups[0]],
    _("Choose at least one reason. The learner reads the sentence under each reason you choose."));

  table = er_reason_table (&n_reasons);
  self->order = er_reason_display_order (NULL);
  for (guint i = 0; i < n_reasons; i++)
    {
      const ErReasonInfo *info = &table[self->order[i]];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *subtitle = g_strdup_printf (_("The learner reads: “%s”"),
                                                   _(info->learner_text));
      g_autofree char *description = NULL;

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(info->agent_label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      if (i < 9)
        {
          g_autofree char *digit = g_strdup_printf ("%u", i + 1);
          GtkWidget *key = gtk_label_new (digit);

          gtk_widget_set_valign (key, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (key, "keycap");
          gtk_widget_set_tooltip_text (key, _("Press this digit to choose the reason"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), key);
          /* Translators: how a screen reader describes a reason: its digit,
           * then "The learner reads: “…”" */
          description = g_strdup_printf (_("Press %u to choose it. %s"), i + 1, subtitle);
        }
      else
        description = g_strdup (subtitle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      /* The reason's row and its check box, either of which has the focus,
       * are read with the digit and the learner's sentence (libadwaita 1.2
       * exposes neither the subtitle nor the key cap). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
      adw_preferences_group_add (groups[info->group], row);

      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_state), self);
      g_ptr_array_add (self->checks, check);
      g_ptr_array_add (self->folded_labels, g_utf8_casefold (_(info->agent_label), -1));
    }

  note_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (note_group, _("Note for the learner"));
  adw_preferences_group_set_description (note_group,
    _("Optional. Copied into the denial e-mail the learner receives."));
  self->note_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _("Note"));
  self->note_counter = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->note_counter), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->note_counter), "caption");
  adw_entry_row_add_suffix (self->note_row, GTK_WIDGET (self->note_counter));
  adw_preferences_group_add (note_group, GTK_WIDGET (self->note_row));
  adw_preferences_page_add (self->page, note_group);
  g_signal_connect_swapped (self->note_row, "changed", G_CALLBACK (update_state), self);
}

ErDenyDialog *
er_deny_dialog_new (GtkWindow  *parent,
                    const char *learner_name)
{
  ErDenyDialog *self = g_object_new (ER_TYPE_DENY_DIALOG,
                                     "transient-for", parent,
                                     NULL);
  int width, height;

  /* No wider nor taller than a narrow window: the reasons wrap. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 MIN (width, gtk_widget_get_width (GTK_WIDGET (parent))),
                                 MIN (height, gtk_widget_get_height (GTK_WIDGET (parent))));

  adw_window_title_set_subtitle (self->window_title, learner_name);
  return self;
}

static void
er_deny_dialog_finalize (GObject *object)
{
  ErDenyDialog *self = ER_DENY_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->folded_labels, g_ptr_array_unref);
  g_clear_handle_id (&self->typeahead_reset_id, g_source_remove);
  if (self->typeahead != NULL)
    g_string_free (self->typeahead, TRUE);

  G_OBJECT_CLASS (er_deny_dialog_parent_class)->finalize (object);
}

/* Not the Cancel button, first in the tab order: see the keys above. Only
 * once mapped: a focus given earlier makes GTK 4.8 expose the dialog to
 * screen readers as a plain object, not as a window. */
static void
er_deny_dialog_map (GtkWidget *widget)
{
  ErDenyDialog *self = ER_DENY_DIALOG (widget);

  GTK_WIDGET_CLASS (er_deny_dialog_parent_class)->map (widget);
  if (self->checks->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->checks, 0));
}

static void
er_deny_dialog_class_init (ErDenyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = er_deny_dialog_finalize;
  widget_class->map = er_deny_dialog_map;

  signals[SIGNAL_DENY] =
    g_signal_new ("deny", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  ER_TYPE_REASONS | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-deny-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ErDenyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ErDenyDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, ErDenyDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ErDenyDialog, page);

  gtk_widget_class_install_action (widget_class, "deny.send", NULL, send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  /* 1 to 9 toggle the first nine reasons (the note field keeps its digits). */
  gtk_widget_class_install_action (widget_class, "deny.toggle", "u", toggle_action);
  for (guint i = 0; i < 9; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, 0, "deny.toggle", "u", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1 + i, 0, "deny.toggle", "u", i);
    }
}

static void
er_deny_dialog_init (ErDenyDialog *self)
{
  GtkEventController *shortcuts;
  GtkEventController *keys;

  self->checks = g_ptr_array_new ();
  self->folded_labels = g_ptr_array_new_with_free_func (g_free);
  self->typeahead = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  build_groups (self);

  /* Return sends from the reasons and the note, that is from inside the
   * page: in the capture phase, so that a reason's row does not toggle its
   * check box first. The header bar's buttons are outside the page and keep
   * Return for themselves: a focused Cancel cancels. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, 0),
                        gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, 0),
                                                     gtk_keyval_trigger_new (GDK_KEY_ISO_Enter, 0))),
                      gtk_callback_action_new (on_return, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->page), shortcuts);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  update_state (self);
}
