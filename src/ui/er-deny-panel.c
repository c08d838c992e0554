/* er-deny-panel.c: choose the reasons for a denial beside the photos, as
 * the learner will read them.
 *
 * The panel sits in the workspace next to the case (er-workspace.ui), in a
 * revealer bound to its "open" property: the photos shrink but stay in
 * sight while the agent chooses. It is opened for one receipt id and
 * denies that case or nothing: the workspace closes it when another case
 * comes on screen (er-workspace.c), and "deny" carries the receipt id it
 * was opened for.
 *
 * Keys (the focus in the panel; the workspace routes the others here,
 * see er-workspace-keys.c):
 * - The reasons are shown in er_reason_display_order(): the general ones
 *   (name mismatch, no name on the account, photos mismatched) first, then
 *   the ID photo's, then the learner photo's. Each shows its agent label
 *   (which never contradicts the learner's sentence) and, under it, the
 *   sentence the learner reads.
 * - 1 to 9 toggle the first nine reasons in that order (digits typed in the
 *   note stay text); Escape cancels.
 * - Return (or Enter) activates the focused button, as everywhere in GNOME:
 *   on Cancel it closes the panel and sends nothing, on Deny it denies.
 * - Return sends the denial when the focus is on a reason (its row or its
 *   check box; Space toggles it) or in the note. The note is a single-line
 *   entry, so Return has no other use there; were it ever a multi-line text
 *   view, Return would keep inserting a newline and Ctrl+Return would send,
 *   as in GNOME's message composers.
 * - Return never sends without a reason from the table: the panel stays
 *   open and says what is missing, above its buttons.
 * - Type-ahead: letters typed while the focus is not in the note move the
 *   focus to the first reason (in the order shown) whose agent label
 *   contains them, case-insensitively ("name", "blur", "out"); nothing
 *   matching rings the bell and leaves the focus where it is. Backspace
 *   takes back the last letter, Escape forgets them (a second Escape
 *   cancels), and they are forgotten TYPEAHEAD_RESET_MS after the last one.
 *   Digits keep toggling reasons; Space toggles the focused reason, except
 *   inside a typed text ("face out"), where it is part of it.
 * The panel opens with the focus on the first reason, so D, digits, Return
 * denies from the workspace; when it closes the workspace gives the focus
 * back to where it was.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-deny-panel.h"
#include "er-error.h"

#include <string.h>

#define TYPEAHEAD_RESET_MS 1000

struct _ErDenyPanel
{
  GtkWidget            parent_instance;

  GtkLabel            *heading;
  GtkWidget           *send_button;
  AdwPreferencesPage  *page;
  GtkRevealer         *refusal_revealer;
  GtkLabel            *refusal_label;
  AdwEntryRow         *note_row;
  GtkLabel            *note_counter;

  AdwPreferencesGroup *first_group; /* its description is hidden when compact */
  int                  suggested;   /* the reason suggested (display order), -1: none */
  GtkLabel            *suggestion;  /* "Suggested: …", in that reason's row (owned) */
  gboolean             compact;

  char                *receipt_id; /* the case the panel is open for, or NULL */
  gboolean             focus_on_map;

  GPtrArray           *checks;   /* GtkCheckButton, in the display order */
  const guint         *order;    /* checks[i] is er_reason_table()[order[i]] */
  GPtrArray           *folded_labels; /* casefolded agent labels, as checks */
  GString             *typeahead;
  guint                typeahead_reset_id;
};

G_DEFINE_FINAL_TYPE (ErDenyPanel, er_deny_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RECEIPT_ID,
  PROP_OPEN,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DENY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

ErReasons *
er_deny_panel_get_reasons (ErDenyPanel *self)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *note = NULL;
  const ErReasonInfo *table;
  guint n_reasons;

  g_return_val_if_fail (ER_IS_DENY_PANEL (self), NULL);

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
has_table_reason (ErDenyPanel *self)
{
  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      return TRUE;
  return FALSE;
}

/* Whether the choice can be sent; if not, why, in words for the agent. */
static gboolean
validate (ErDenyPanel  *self,
          GError      **error)
{
  g_autoptr(ErReasons) reasons = er_deny_panel_get_reasons (self);

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

/* Says in the panel, above its buttons, why nothing was sent. */
static void
show_refusal (ErDenyPanel *self,
              const char  *message)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  gtk_label_set_text (self->refusal_label, message);
  gtk_revealer_set_reveal_child (self->refusal_revealer, TRUE);
}

static void
hide_refusal (ErDenyPanel *self)
{
  gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
}

static void
update_state (ErDenyPanel *self)
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
  if (valid)
    hide_refusal (self);

  /* A focused Deny button about to turn insensitive would leave the focus
   * nowhere: hand it to the first reason, where Return still answers. */
  if (!valid && gtk_widget_has_focus (self->send_button) && self->checks->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->checks, 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deny.send", valid && self->receipt_id != NULL);
}

static void
typeahead_clear (ErDenyPanel *self)
{
  g_string_truncate (self->typeahead, 0);
  g_clear_handle_id (&self->typeahead_reset_id, g_source_remove);
}

/* Open (receipt_id) or closed (NULL). */
static void
set_receipt_id (ErDenyPanel *self,
                const char  *receipt_id)
{
  gboolean was_open = self->receipt_id != NULL;

  if (g_strcmp0 (self->receipt_id, receipt_id) == 0)
    return;
  g_free (self->receipt_id);
  self->receipt_id = g_strdup (receipt_id);
  /* Closed (and sliding away), nothing in it takes the focus or a click. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), receipt_id != NULL);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIPT_ID]);
  if (was_open != (receipt_id != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
}

void
er_deny_panel_focus (ErDenyPanel *self)
{
  g_return_if_fail (ER_IS_DENY_PANEL (self));

  if (self->checks->len == 0 || self->receipt_id == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->focus_on_map = TRUE;
      return;
    }
  gtk_widget_grab_focus (g_ptr_array_index (self->checks, self->suggested >= 0 ? (guint) self->suggested : 0));
}

/* The row of the n-th reason shown. */
static AdwActionRow *
reason_row (ErDenyPanel *self,
            guint        n)
{
  GtkWidget *check = g_ptr_array_index (self->checks, n);

  return ADW_ACTION_ROW (gtk_widget_get_ancestor (check, ADW_TYPE_ACTION_ROW));
}

void
er_deny_panel_suggest (ErDenyPanel *self,
                       const char  *reason,
                       const char  *why)
{
  const ErReasonInfo *table;
  int n = -1;

  g_return_if_fail (ER_IS_DENY_PANEL (self));

  if (self->suggested >= 0 && self->suggestion != NULL)
    adw_action_row_remove (reason_row (self, self->suggested), GTK_WIDGET (self->suggestion));
  self->suggested = -1;
  if (reason == NULL)
    return;

  table = er_reason_table (NULL);
  for (guint i = 0; i < self->checks->len; i++)
    if (g_str_equal (table[self->order[i]].reason, reason))
      n = i;
  g_return_if_fail (n >= 0);

  if (self->suggestion == NULL)
    {
      self->suggestion = GTK_LABEL (g_object_ref_sink (gtk_label_new (NULL)));
      gtk_widget_set_valign (GTK_WIDGET (self->suggestion), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->suggestion), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->suggestion), "warning");
    }
  /* Translators: beside a deny reason the app suggests, %s says why, e.g.
   * "Suggested: ID expired on 28 May 2026" */
  {
    g_autofree char *text = g_strdup_printf (_("Suggested: %s"), why);

    gtk_label_set_text (self->suggestion, text);
  }
  adw_action_row_add_suffix (reason_row (self, n), GTK_WIDGET (self->suggestion));
  self->suggested = n;
  er_deny_panel_focus (self);
}

int
er_deny_panel_get_suggested (ErDenyPanel *self)
{
  g_return_val_if_fail (ER_IS_DENY_PANEL (self), -1);
  return self->suggested;
}

void
er_deny_panel_open (ErDenyPanel *self,
                    const char  *receipt_id,
                    const char  *learner_name)
{
  g_autofree char *heading = NULL;

  g_return_if_fail (ER_IS_DENY_PANEL (self));
  g_return_if_fail (receipt_id != NULL);

  /* From scratch: what was ticked for another case is not for this one. */
  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  typeahead_clear (self);
  hide_refusal (self);
  er_deny_panel_suggest (self, NULL, NULL);

  /* Translators: the deny panel's heading, %s is the learner's name */
  heading = g_strdup_printf (_("Deny %s"), learner_name != NULL ? learner_name : "");
  gtk_label_set_text (self->heading, heading);
  set_receipt_id (self, receipt_id);
  er_deny_panel_focus (self);
}

void
er_deny_panel_close (ErDenyPanel *self)
{
  g_return_if_fail (ER_IS_DENY_PANEL (self));

  self->focus_on_map = FALSE;
  typeahead_clear (self);
  set_receipt_id (self, NULL);
}

gboolean
er_deny_panel_get_open (ErDenyPanel *self)
{
  g_return_val_if_fail (ER_IS_DENY_PANEL (self), FALSE);
  return self->receipt_id != NULL;
}

const char *
er_deny_panel_get_receipt_id (ErDenyPanel *self)
{
  g_return_val_if_fail (ER_IS_DENY_PANEL (self), NULL);
  return self->receipt_id;
}

gboolean
er_deny_panel_send (ErDenyPanel *self)
{
  g_autoptr(ErReasons) reasons = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt_id = NULL;

  g_return_val_if_fail (ER_IS_DENY_PANEL (self), FALSE);

  if (self->receipt_id == NULL)
    return FALSE;
  if (!validate (self, &error))
    {
      show_refusal (self, error->message);
      return FALSE;
    }

  /* Closed first: a second Return (a held key) finds nothing to send. */
  reasons = er_deny_panel_get_reasons (self);
  receipt_id = g_strdup (self->receipt_id);
  er_deny_panel_close (self);
  g_signal_emit (self, signals[SIGNAL_DENY], 0, receipt_id, reasons);
  return TRUE;
}

void
er_deny_panel_toggle (ErDenyPanel *self,
                      guint        n)
{
  GtkCheckButton *check;

  g_return_if_fail (ER_IS_DENY_PANEL (self));

  if (n >= self->checks->len || self->receipt_id == NULL)
    return;
  check = g_ptr_array_index (self->checks, n);
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

void
er_deny_panel_set_note (ErDenyPanel *self,
                        const char  *note)
{
  g_return_if_fail (ER_IS_DENY_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note != NULL ? note : "");
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  er_deny_panel_send (ER_DENY_PANEL (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  er_deny_panel_close (ER_DENY_PANEL (widget));
}

static gboolean
on_return (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  er_deny_panel_send (ER_DENY_PANEL (user_data));
  return TRUE;
}

static gboolean
typeahead_reset_cb (gpointer user_data)
{
  ErDenyPanel *self = user_data;

  self->typeahead_reset_id = 0;
  g_string_truncate (self->typeahead, 0);
  return G_SOURCE_REMOVE;
}

/* The focus to the first reason whose label contains what was typed. */
static void
typeahead_search (ErDenyPanel *self)
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
focus_in_text (ErDenyPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL &&
         (GTK_IS_EDITABLE (focus) || gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW) != NULL);
}

static int
digit_of (guint keyval)
{
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    return keyval - GDK_KEY_1;
  if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    return keyval - GDK_KEY_KP_1;
  return -1;
}

gboolean
er_deny_panel_handle_key (ErDenyPanel     *self,
                          guint            keyval,
                          GdkModifierType  state)
{
  gunichar c;
  int digit;

  g_return_val_if_fail (ER_IS_DENY_PANEL (self), FALSE);

  if (self->receipt_id == NULL)
    return FALSE;
  if ((state & gtk_accelerator_get_default_mod_mask () & ~GDK_SHIFT_MASK) != 0)
    return FALSE;

  digit = digit_of (keyval);
  if (digit >= 0)
    {
      er_deny_panel_toggle (self, digit);
      return TRUE;
    }

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
      /* The letters first, then the panel. */
      if (self->typeahead->len == 0)
        er_deny_panel_close (self);
      else
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

/* In the capture phase, so that digits, Space and Escape inside a typed
 * text are ours before a reason's row sees them; the note keeps every key
 * but Escape (the class binding). */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ErDenyPanel           *self)
{
  if (focus_in_text (self))
    return FALSE;
  return er_deny_panel_handle_key (self, keyval, state);
}

static void
build_groups (ErDenyPanel *self)
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
  self->first_group = groups[display_groups[0]];
  adw_preferences_group_set_description (self->first_group,
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

ErDenyPanel *
er_deny_panel_new (void)
{
  return g_object_new (ER_TYPE_DENY_PANEL, NULL);
}

/* Opened while hidden (the revealer had not shown it yet): the focus goes
 * to the first reason once it is on screen. */
static void
er_deny_panel_map (GtkWidget *widget)
{
  ErDenyPanel *self = ER_DENY_PANEL (widget);

  GTK_WIDGET_CLASS (er_deny_panel_parent_class)->map (widget);
  if (self->focus_on_map)
    {
      self->focus_on_map = FALSE;
      er_deny_panel_focus (self);
    }
}

static void
er_deny_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ErDenyPanel *self = ER_DENY_PANEL (object);

  switch (prop_id)
    {
    case PROP_RECEIPT_ID:
      g_value_set_string (value, self->receipt_id);
      break;
    case PROP_OPEN:
      g_value_set_boolean (value, self->receipt_id != NULL);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_deny_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ErDenyPanel *self = ER_DENY_PANEL (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      er_deny_panel_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Below the photos the height is short: the heading (the case's name is
 * just above) and the first group's description go, and the margins
 * shrink (style.css), so that more reasons show at once. The panel keeps
 * its accessible name. */
void
er_deny_panel_set_compact (ErDenyPanel *self,
                           gboolean     compact)
{
  g_return_if_fail (ER_IS_DENY_PANEL (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  gtk_widget_set_visible (GTK_WIDGET (self->heading), !compact);
  adw_preferences_group_set_description (self->first_group, compact ? NULL :
    _("Choose at least one reason. The learner reads the sentence under each reason you choose."));
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

gboolean
er_deny_panel_get_compact (ErDenyPanel *self)
{
  g_return_val_if_fail (ER_IS_DENY_PANEL (self), FALSE);

  return self->compact;
}

static void
er_deny_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), ER_TYPE_DENY_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (er_deny_panel_parent_class)->dispose (object);
}

static void
er_deny_panel_finalize (GObject *object)
{
  ErDenyPanel *self = ER_DENY_PANEL (object);

  g_clear_pointer (&self->receipt_id, g_free);
  g_clear_object (&self->suggestion);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->folded_labels, g_ptr_array_unref);
  g_clear_handle_id (&self->typeahead_reset_id, g_source_remove);
  if (self->typeahead != NULL)
    g_string_free (self->typeahead, TRUE);

  G_OBJECT_CLASS (er_deny_panel_parent_class)->finalize (object);
}

static void
er_deny_panel_class_init (ErDenyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = er_deny_panel_get_property;
  object_class->set_property = er_deny_panel_set_property;
  object_class->dispose = er_deny_panel_dispose;
  object_class->finalize = er_deny_panel_finalize;
  widget_class->map = er_deny_panel_map;

  properties[PROP_RECEIPT_ID] =
    g_param_spec_string ("receipt-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DENY] =
    g_signal_new ("deny", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, ER_TYPE_REASONS | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-deny-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ErDenyPanel, heading);
  gtk_widget_class_bind_template_child (widget_class, ErDenyPanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, ErDenyPanel, page);
  gtk_widget_class_bind_template_child (widget_class, ErDenyPanel, refusal_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErDenyPanel, refusal_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  /* A labelled region of the window ("Reasons for the denial"): a group,
   * whose name screen readers read as the focus enters it (GTK 4.8 exposes
   * the region role as a filler, which they skip). */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "denypanel");

  gtk_widget_class_install_action (widget_class, "deny.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "deny.cancel", NULL, cancel_action);
  /* Escape in the note (the other keys are seen in the capture phase). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "deny.cancel", NULL);
}

static void
er_deny_panel_init (ErDenyPanel *self)
{
  GtkEventController *shortcuts;
  GtkEventController *keys;

  self->checks = g_ptr_array_new ();
  self->suggested = -1;
  self->folded_labels = g_ptr_array_new_with_free_func (g_free);
  self->typeahead = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  build_groups (self);

  /* Return sends from the reasons and the note, that is from inside the
   * page: in the capture phase, so that a reason's row does not toggle its
   * check box first. The buttons are outside the page and keep Return for
   * themselves: a focused Cancel cancels. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, 0),
                        gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, 0),
                                                     gtk_keyval_trigger_new (GDK_KEY_ISO_Enter, 0))),
                      gtk_callback_action_new (on_return, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->page), shortcuts);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "deny-panel-keys");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  update_state (self);
}
