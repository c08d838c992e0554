/* er-history-window.c: the agent's decisions, today's and earlier.
 *
 * Shows an ErHistory (the session's history, er-history.h): one group of
 * rows per day, newest first, today's counts above them, and a note when
 * the server's list could not be loaded. The window holds no state of its
 * own about the decisions: it follows the model's "items-changed" and its
 * properties.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-format.h"
#include "er-history-window.h"

struct _ErHistoryWindow
{
  AdwWindow parent_instance;

  GtkButton     *refresh_button;
  GtkSpinner    *refresh_spinner;
  GtkStack      *stack;
  GtkSpinner    *loading_spinner;
  AdwStatusPage *error_page;
  GtkWidget     *note_box;
  GtkLabel      *note_label;
  GtkWidget     *summary_box;
  GtkLabel      *approved_count;
  GtkLabel      *denied_count;
  GtkLabel      *waiting_count;
  GtkLabel      *failed_count;
  GtkBox        *days_box;

  ErHistory     *history;
  GPtrArray     *decision_texts;  /* char *, one per item: what each row says of the decision */
  char          *summary;
  char          *note;            /* nullable */
};

G_DEFINE_FINAL_TYPE (ErHistoryWindow, er_history_window, ADW_TYPE_WINDOW)

/* Texts */

static char *
format_decision (ErHistoryItem *item)
{
  const ErReasons *reasons = er_history_item_get_reasons (item);
  g_autofree char *why = NULL;

  if (er_history_item_get_approved (item))
    return g_strdup (_("Approved"));
  if (reasons == NULL || er_reasons_is_empty (reasons))
    return g_strdup (_("Denied"));
  why = er_format_reasons (reasons);
  /* Translators: a denial in the history, with what the learner was told */
  return g_strdup_printf (_("Denied: %s"), why);
}

/* Widgets */

static GtkWidget *
make_row (ErHistoryItem *item,
          const char    *decision_text)
{
  GDateTime *decided_at = er_history_item_get_decided_at (item);
  g_autoptr(GDateTime) local = g_date_time_to_local (decided_at);
  /* Translators: the time of a decision in the history, see g_date_time_format() */
  g_autofree char *time = g_date_time_format (local, _("%H:%M"));
  g_autofree char *full_time = er_format_time (decided_at);
  gboolean approved = er_history_item_get_approved (item);
  const char *receipt_id = er_history_item_get_receipt_id (item);
  const char *error = er_history_item_get_error (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (approved ? "object-select-symbolic"
                                                           : "window-close-symbolic");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *status_label = gtk_label_new (er_history_item_get_status_text (item));
  /* Translators: a decision in the history as a screen reader reads it
   * after the learner's name: the decision, when, and its state, e.g.
   * "Approved. 26 November 2026, 10:04. Sent" */
  g_autofree char *description = g_strdup_printf (_("%s. %s. %s"), decision_text, full_time,
                                                  er_history_item_get_status_text (item));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), er_history_item_get_name (item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), decision_text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (row, receipt_id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  g_object_set_data_full (G_OBJECT (row), "receipt-id", g_strdup (receipt_id), g_free);

  gtk_widget_add_css_class (icon, approved ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  approved ? _("Approved") : _("Denied"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (time_label), 1);
  gtk_widget_set_tooltip_text (time_label, full_time);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_box_append (GTK_BOX (box), time_label);

  gtk_label_set_xalign (GTK_LABEL (status_label), 1);
  gtk_widget_add_css_class (status_label, "caption");
  switch (er_history_item_get_state (item))
    {
    case ER_HISTORY_STATE_RECORDED:
    case ER_HISTORY_STATE_DELIVERED:
      gtk_widget_add_css_class (status_label, "dim-label");
      break;
    case ER_HISTORY_STATE_FAILED:
      /* The one status that can be long: the server's reason. */
      gtk_label_set_justify (GTK_LABEL (status_label), GTK_JUSTIFY_RIGHT);
      gtk_label_set_wrap (GTK_LABEL (status_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (status_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (status_label), 32);
      gtk_widget_add_css_class (status_label, "error");
      break;
    case ER_HISTORY_STATE_UNDO:
    case ER_HISTORY_STATE_WAITING:
    case ER_HISTORY_STATE_SENDING:
    default:
      gtk_widget_add_css_class (status_label, "accent");
      if (error != NULL)
        gtk_widget_set_tooltip_text (status_label, error);
      break;
    }
  gtk_box_append (GTK_BOX (box), status_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  return row;
}

static const char *
focused_receipt_id (ErHistoryWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (ADW_IS_ACTION_ROW (focus))
      return g_object_get_data (G_OBJECT (focus), "receipt-id");
  return NULL;
}

/* Which page of the stack: the list, or what stands for it. */
static void
update_page (ErHistoryWindow *self)
{
  gboolean loading = er_history_get_loading (self->history);
  const char *page;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0)
    page = "list";
  else if (!er_history_get_loaded (self->history))
    page = "loading";
  else if (er_history_get_error (self->history) != NULL)
    page = "error";
  else
    page = "empty";
  gtk_stack_set_visible_child_name (self->stack, page);

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), loading && !g_str_equal (page, "loading"));
  gtk_spinner_set_spinning (self->refresh_spinner, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.refresh", !loading);
}

/* The rows again, one group per day, keeping the focus on its decision. */
static void
items_changed_cb (ErHistoryWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->history);
  g_autofree char *focus_id = g_strdup (focused_receipt_id (self));
  GtkWidget *focus_row = NULL;
  GtkWidget *child;
  AdwPreferencesGroup *group = NULL;
  const char *group_day = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->days_box))) != NULL)
    gtk_box_remove (self->days_box, child);
  g_ptr_array_set_size (self->decision_texts, 0);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ErHistoryItem) item = g_list_model_get_item (model, i);
      const char *day = er_history_item_get_day (item);
      char *decision_text = format_decision (item);
      GtkWidget *row;

      g_ptr_array_add (self->decision_texts, decision_text);
      if (group == NULL || g_strcmp0 (group_day, day) != 0)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          /* Today's rows go under the counts' "Today" heading. */
          if (er_history_item_get_days_ago (item) != 0)
            adw_preferences_group_set_title (group, day);
          gtk_box_append (self->days_box, GTK_WIDGET (group));
          group_day = day;
        }
      row = make_row (item, decision_text);
      adw_preferences_group_add (group, row);
      if (focus_id != NULL && g_str_equal (focus_id, er_history_item_get_receipt_id (item)))
        focus_row = row;
    }

  update_page (self);
  if (focus_row != NULL)
    gtk_widget_grab_focus (focus_row);
}

static void
set_count (GtkLabel   *label,
           guint       count,
           const char *css_class)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_label (label, text);
  /* Colour only for what is there. */
  if (css_class == NULL)
    return;
  if (count > 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), css_class);
}

static void
counts_changed_cb (ErHistoryWindow *self)
{
  guint approved = er_history_get_n_approved_today (self->history);
  guint denied = er_history_get_n_denied_today (self->history);
  guint waiting = er_history_get_n_waiting_today (self->history);
  guint failed = er_history_get_n_failed_today (self->history);
  g_autofree char *approved_text = NULL;
  g_autofree char *denied_text = NULL;
  g_autofree char *waiting_text = NULL;
  g_autofree char *failed_text = NULL;

  /* Translators: part of "Today: 1 approved, 0 denied, 2 waiting, 0 failed" */
  approved_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u approved", "%u approved", approved), approved);
  /* Translators: part of "Today: 1 approved, 0 denied, 2 waiting, 0 failed" */
  denied_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u denied", "%u denied", denied), denied);
  /* Translators: part of "Today: 1 approved, 0 denied, 2 waiting, 0 failed" */
  waiting_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", waiting), waiting);
  /* Translators: part of "Today: 1 approved, 0 denied, 2 waiting, 0 failed" */
  failed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", failed), failed);
  g_free (self->summary);
  /* Translators: today's counts in the history: "Today: 1 approved, 0 denied, 2 waiting, 0 failed" */
  self->summary = g_strdup_printf (_("Today: %s, %s, %s, %s"),
                                   approved_text, denied_text, waiting_text, failed_text);

  set_count (self->approved_count, approved, "success");
  set_count (self->denied_count, denied, NULL);
  set_count (self->waiting_count, waiting, NULL);
  set_count (self->failed_count, failed, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary, -1);
  gtk_widget_set_tooltip_text (self->summary_box, self->summary);
}

/* The note and the error page: why the server's list is not shown. */
static void
load_state_changed_cb (ErHistoryWindow *self)
{
  const char *error = er_history_get_error (self->history);

  g_clear_pointer (&self->note, g_free);
  if (error != NULL && er_history_get_offline (self->history))
    self->note = g_strdup (_("The server could not be reached: showing only decisions "
                             "waiting on this computer."));
  else if (error != NULL)
    /* Translators: %s is the server's error, a sentence */
    self->note = g_strdup_printf (_("The server’s list could not be loaded: showing only "
                                    "decisions waiting on this computer. %s"),
                                  error);

  gtk_label_set_label (self->note_label, self->note != NULL ? self->note : "");
  gtk_widget_set_visible (self->note_box, self->note != NULL);
  adw_status_page_set_description (self->error_page, self->note);
  update_page (self);
}

void
er_history_window_refresh (ErHistoryWindow *self)
{
  g_return_if_fail (ER_IS_HISTORY_WINDOW (self));
  er_history_refresh (self->history);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  er_history_window_refresh (ER_HISTORY_WINDOW (widget));
}

/* Accessors */

ErHistory *
er_history_window_get_history (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  return self->history;
}

gboolean
er_history_window_is_loading (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), FALSE);
  return er_history_get_loading (self->history);
}

const char *
er_history_window_get_summary (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  return self->summary;
}

const char *
er_history_window_get_note (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  return self->note;
}

guint
er_history_window_get_n_rows (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), 0);
  return self->decision_texts->len;
}

/* The item of a row (not a new reference: the model holds it). */
static ErHistoryItem *
get_item (ErHistoryWindow *self,
          guint            index)
{
  ErHistoryItem *item;

  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->decision_texts->len, NULL);
  item = g_list_model_get_item (G_LIST_MODEL (self->history), index);
  g_object_unref (item);  /* the model keeps its own */
  return item;
}

const char *
er_history_window_get_row_receipt_id (ErHistoryWindow *self,
                                      guint            index)
{
  ErHistoryItem *item = get_item (self, index);

  return item != NULL ? er_history_item_get_receipt_id (item) : NULL;
}

const char *
er_history_window_get_row_name (ErHistoryWindow *self,
                                guint            index)
{
  ErHistoryItem *item = get_item (self, index);

  return item != NULL ? er_history_item_get_name (item) : NULL;
}

const char *
er_history_window_get_row_day (ErHistoryWindow *self,
                               guint            index)
{
  ErHistoryItem *item = get_item (self, index);

  return item != NULL ? er_history_item_get_day (item) : NULL;
}

const char *
er_history_window_get_row_decision (ErHistoryWindow *self,
                                    guint            index)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->decision_texts->len, NULL);
  return g_ptr_array_index (self->decision_texts, index);
}

ErHistoryState
er_history_window_get_row_state (ErHistoryWindow *self,
                                 guint            index)
{
  ErHistoryItem *item = get_item (self, index);

  return item != NULL ? er_history_item_get_state (item) : ER_HISTORY_STATE_RECORDED;
}

const char *
er_history_window_get_row_status_text (ErHistoryWindow *self,
                                       guint            index)
{
  ErHistoryItem *item = get_item (self, index);

  return item != NULL ? er_history_item_get_status_text (item) : NULL;
}

/* Life */

GtkWidget *
er_history_window_new (GtkWindow       *parent,
                       ErReviewSession *session)
{
  ErHistoryWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (session), NULL);

  self = g_object_new (ER_TYPE_HISTORY_WINDOW, "transient-for", parent, NULL);
  self->history = er_history_new (session);
  g_signal_connect_object (self->history, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-approved-today",
                           G_CALLBACK (counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-denied-today",
                           G_CALLBACK (counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-waiting-today",
                           G_CALLBACK (counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-failed-today",
                           G_CALLBACK (counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::error",
                           G_CALLBACK (load_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::offline",
                           G_CALLBACK (load_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::loading",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::loaded",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  items_changed_cb (self);
  counts_changed_cb (self);
  load_state_changed_cb (self);
  return GTK_WIDGET (self);
}

static void
er_history_window_dispose (GObject *object)
{
  ErHistoryWindow *self = ER_HISTORY_WINDOW (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (er_history_window_parent_class)->dispose (object);
}

static void
er_history_window_finalize (GObject *object)
{
  ErHistoryWindow *self = ER_HISTORY_WINDOW (object);

  g_clear_pointer (&self->decision_texts, g_ptr_array_unref);
  g_free (self->summary);
  g_free (self->note);

  G_OBJECT_CLASS (er_history_window_parent_class)->finalize (object);
}

static void
er_history_window_class_init (ErHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_history_window_dispose;
  object_class->finalize = er_history_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/edulib/Reviewer/er-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, note_box);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, note_label);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, summary_box);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, approved_count);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, denied_count);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, waiting_count);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, failed_count);
  gtk_widget_class_bind_template_child (widget_class, ErHistoryWindow, days_box);

  gtk_widget_class_install_action (widget_class, "history.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "history.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "history.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
er_history_window_init (ErHistoryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));

  self->decision_texts = g_ptr_array_new_with_free_func (g_free);
  self->summary = g_strdup ("");
}
