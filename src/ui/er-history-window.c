/* er-history-window.c: the agent's decisions, today's and earlier.
 *
 * Two sources, merged into one list grouped by day (Québec time), newest
 * first:
 *  - the server's record, GET /decisions since the start of the day
 *    ER_HISTORY_DAYS - 1 days ago (a few pages at most), loaded when the
 *    window opens and on Refresh;
 *  - the outbox: decisions still on this computer (in their undo delay,
 *    waiting to be sent, being sent) and those the server refused for good,
 *    followed live through its "changed" signal.
 * A receipt id in both shows the server's decision: it arrived. An entry
 * that leaves the outbox after it was being sent was delivered: it stays as
 * sent until the next load brings the server's copy; one that leaves while
 * waiting was taken back (Undo) and goes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-error.h"
#include "er-format.h"
#include "er-history-window.h"

#define PAGE_LIMIT 200  /* the contract's maximum */
#define MAX_PAGES  5

typedef struct {
  char            *receipt_id;
  char            *name;
  gboolean         approved;
  ErReasons       *reasons;     /* nullable */
  GDateTime       *decided_at;  /* UTC or any zone */
  ErHistoryStatus  status;
  char            *error;       /* FAILED: why; WAITING: last transient error; nullable */
  /* What the row shows. */
  char            *day;
  char            *decision_text;
  char            *status_text;
} Item;

static void
item_free (Item *item)
{
  g_free (item->receipt_id);
  g_free (item->name);
  g_clear_pointer (&item->reasons, er_reasons_free);
  g_clear_pointer (&item->decided_at, g_date_time_unref);
  g_free (item->error);
  g_free (item->day);
  g_free (item->decision_text);
  g_free (item->status_text);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, item_free)

struct _ErHistoryWindow
{
  AdwWindow parent_instance;

  GtkButton    *refresh_button;
  GtkSpinner   *refresh_spinner;
  GtkStack     *stack;
  GtkSpinner   *loading_spinner;
  AdwStatusPage *error_page;
  GtkWidget    *note_box;
  GtkLabel     *note_label;
  GtkWidget    *summary_box;
  GtkLabel     *approved_count;
  GtkLabel     *denied_count;
  GtkLabel     *waiting_count;
  GtkLabel     *failed_count;
  GtkBox       *days_box;

  ErClient     *client;          /* nullable */
  ErOutbox     *outbox;          /* nullable */
  guint         n_waiting;       /* the outbox's, at the last change */
  GTimeZone    *tz;

  GCancellable *cancellable;     /* the load under way */
  gboolean      loading;
  gboolean      loaded_once;     /* a load finished, well or not */
  GPtrArray    *loading_pages;   /* ErDecision, while paging */
  guint         n_pages;
  GPtrArray    *decisions;       /* ErDecision from the last good load */
  char         *load_error;      /* the note's text when the last load failed */

  GHashTable   *seen_sending;    /* key → ErOutboxEntry: SENDING at the last look */
  GHashTable   *delivered;       /* receipt id → ErOutboxEntry: left the outbox while sending */

  GPtrArray    *items;           /* Item, as shown */
  char         *summary;
  guint         tick_id;         /* the next end of an undo delay */
};

G_DEFINE_FINAL_TYPE (ErHistoryWindow, er_history_window, ADW_TYPE_WINDOW)

static void rebuild (ErHistoryWindow *self);
static void load_page (ErHistoryWindow *self, const char *cursor);

/* Days, times and texts */

static GTimeZone *
quebec_time (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("America/Toronto");

  return tz != NULL ? tz : g_time_zone_new_local ();
}

static GDateTime *
start_of_day (GDateTime *time,
              GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, tz);

  return g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), 0, 0, 0);
}

/* Whole days from time's date to now's date, in tz (0: today). */
static gint
days_ago (GDateTime *time,
          GDateTime *now,
          GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, tz);
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, tz);
  GDate a, b;

  g_date_set_dmy (&a, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  g_date_set_dmy (&b, g_date_time_get_day_of_month (local_now), g_date_time_get_month (local_now),
                  g_date_time_get_year (local_now));
  return g_date_days_between (&a, &b);
}

static char *
format_day (GDateTime *time,
            GDateTime *now,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, tz);
  gint days = days_ago (time, now, tz);

  if (days == 0)
    return g_strdup (_("Today"));
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a day heading in the history, see g_date_time_format(); e.g. "Monday 23 November" */
    return g_date_time_format (local, _("%A %-d %B"));
  /* Translators: a day heading in the history, see g_date_time_format(); e.g. "23 November 2025" */
  return g_date_time_format (local, _("%-d %B %Y"));
}

static char *
format_decision (gboolean         approved,
                 const ErReasons *reasons)
{
  g_autofree char *why = NULL;

  if (approved)
    return g_strdup (_("Approved"));
  if (reasons == NULL || er_reasons_is_empty (reasons))
    return g_strdup (_("Denied"));
  why = er_format_reasons (reasons);
  /* Translators: a denial in the history, with what the learner was told */
  return g_strdup_printf (_("Denied: %s"), why);
}

static char *
format_status (ErHistoryStatus  status,
               const char      *error)
{
  switch (status)
    {
    case ER_HISTORY_SENT:
      return g_strdup (_("Sent"));
    case ER_HISTORY_UNDO:
      return g_strdup (_("In its undo delay"));
    case ER_HISTORY_WAITING:
      return g_strdup (_("Waiting to be sent"));
    case ER_HISTORY_SENDING:
      return g_strdup (_("Sending…"));
    case ER_HISTORY_FAILED:
    default:
      /* Translators: a decision the server refused for good, and why */
      return g_strdup_printf (_("Not recorded: %s"),
                              error != NULL && *error != '\0' ? error : _("refused by the server"));
    }
}

/* Items */

static Item *
item_new_from_decision (ErDecision *decision)
{
  Item *item = g_new0 (Item, 1);
  const char *name = er_decision_get_expected_name (decision);

  item->receipt_id = g_strdup (er_decision_get_receipt_id (decision));
  item->name = g_strdup (name != NULL && *name != '\0' ? name : item->receipt_id);
  item->approved = er_decision_get_approved (decision);
  if (!item->approved)
    item->reasons = er_reasons_copy (er_decision_get_reasons (decision));
  item->decided_at = g_date_time_ref (er_decision_get_decided_at (decision));
  item->status = ER_HISTORY_SENT;
  return item;
}

static Item *
item_new_from_entry (ErOutboxEntry   *entry,
                     ErHistoryStatus  status)
{
  Item *item = g_new0 (Item, 1);
  const char *name = er_outbox_entry_get_name (entry);
  const ErReasons *reasons = er_outbox_entry_get_reasons (entry);
  GDateTime *decided_at = er_outbox_entry_get_decided_at (entry);

  item->receipt_id = g_strdup (er_outbox_entry_get_receipt_id (entry));
  item->name = g_strdup (name != NULL && *name != '\0' ? name : item->receipt_id);
  item->approved = er_outbox_entry_get_approved (entry);
  if (!item->approved && reasons != NULL)
    item->reasons = er_reasons_copy (reasons);
  item->decided_at = decided_at != NULL ? g_date_time_ref (decided_at) : g_date_time_new_now_utc ();
  item->status = status;
  item->error = g_strdup (er_outbox_entry_get_error (entry));
  return item;
}

static ErHistoryStatus
entry_status (ErOutboxEntry *entry,
              GDateTime     *now)
{
  GDateTime *due_at;

  switch (er_outbox_entry_get_state (entry))
    {
    case ER_OUTBOX_SENDING:
      return ER_HISTORY_SENDING;
    case ER_OUTBOX_FAILED:
      return ER_HISTORY_FAILED;
    case ER_OUTBOX_WAITING:
    default:
      due_at = er_outbox_entry_get_due_at (entry);
      /* Never tried yet and not due: the agent can still take it back. */
      if (due_at != NULL && g_date_time_compare (due_at, now) > 0 &&
          er_outbox_entry_get_attempts (entry) == 0)
        return ER_HISTORY_UNDO;
      return ER_HISTORY_WAITING;
    }
}

static gint
item_compare_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const Item *x = *(const Item * const *) a;
  const Item *y = *(const Item * const *) b;

  return g_date_time_compare (y->decided_at, x->decided_at);
}

/* Merges the server's decisions, the delivered entries and the outbox. */
static GPtrArray *
collect_items (ErHistoryWindow *self,
               GDateTime       *now)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_autoptr(GPtrArray) server = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;

  /* The server's, newest first. */
  for (guint i = 0; i < self->decisions->len; i++)
    {
      Item *item = item_new_from_decision (g_ptr_array_index (self->decisions, i));

      if (g_hash_table_add (shown, item->receipt_id))
        g_ptr_array_add (server, item);
      else
        item_free (item);
    }

  /* Then, first in the list for the same time (they are the newer): the
   * outbox's, newest first... */
  if (self->outbox != NULL)
    {
      g_autoptr(GPtrArray) entries = er_outbox_get_entries (self->outbox);

      for (guint i = entries->len; i > 0; i--)
        {
          ErOutboxEntry *entry = g_ptr_array_index (entries, i - 1);

          /* The server's copy arrived: it is the truth. */
          if (g_hash_table_contains (shown, er_outbox_entry_get_receipt_id (entry)))
            continue;
          g_ptr_array_add (items, item_new_from_entry (entry, entry_status (entry, now)));
        }
    }

  /* ...and the delivered ones the server's list does not have yet. */
  g_hash_table_iter_init (&iter, self->delivered);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (!g_hash_table_contains (shown, er_outbox_entry_get_receipt_id (value)))
        g_ptr_array_add (items, item_new_from_entry (value, ER_HISTORY_SENT));
    }

  g_ptr_array_extend_and_steal (items, g_steal_pointer (&server));
  /* A stable sort: equal times keep the order above. */
  g_ptr_array_sort (items, item_compare_newest_first);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      item->day = format_day (item->decided_at, now, self->tz);
      item->decision_text = format_decision (item->approved, item->reasons);
      item->status_text = format_status (item->status, item->error);
    }
  return g_steal_pointer (&items);
}

/* Notes which entries were being sent, and keeps those that left the outbox
 * since the last look (delivered) until the server's list has them. */
static void
follow_outbox (ErHistoryWindow *self)
{
  g_autoptr(GHashTable) now_sending = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (self->outbox == NULL)
    return;

  entries = er_outbox_get_entries (self->outbox);
  now_sending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) er_outbox_entry_unref);

  g_hash_table_iter_init (&iter, self->seen_sending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean still_there = FALSE;

      for (guint i = 0; i < entries->len && !still_there; i++)
        still_there = g_str_equal (er_outbox_entry_get_key (g_ptr_array_index (entries, i)), key);
      if (!still_there)
        g_hash_table_replace (self->delivered, g_strdup (er_outbox_entry_get_receipt_id (value)),
                              er_outbox_entry_ref (value));
    }

  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (er_outbox_entry_get_state (entry) == ER_OUTBOX_SENDING)
        g_hash_table_replace (now_sending, g_strdup (er_outbox_entry_get_key (entry)),
                              er_outbox_entry_ref (entry));
    }
  g_clear_pointer (&self->seen_sending, g_hash_table_unref);
  self->seen_sending = g_steal_pointer (&now_sending);
}

/* Widgets */

static GtkWidget *
make_row (Item      *item,
          GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (item->decided_at, tz);
  /* Translators: the time of a decision in the history, see g_date_time_format() */
  g_autofree char *time = g_date_time_format (local, _("%H:%M"));
  g_autofree char *full_time = er_format_time (item->decided_at);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (item->approved ? "object-select-symbolic"
                                                                 : "window-close-symbolic");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *status_label = gtk_label_new (item->status_text);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->decision_text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (row, item->receipt_id);
  g_object_set_data_full (G_OBJECT (row), "receipt-id", g_strdup (item->receipt_id), g_free);

  gtk_widget_add_css_class (icon, item->approved ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  item->approved ? _("Approved") : _("Denied"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (time_label), 1);
  gtk_widget_set_tooltip_text (time_label, full_time);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_box_append (GTK_BOX (box), time_label);

  gtk_label_set_xalign (GTK_LABEL (status_label), 1);
  gtk_widget_add_css_class (status_label, "caption");
  switch (item->status)
    {
    case ER_HISTORY_SENT:
      gtk_widget_add_css_class (status_label, "dim-label");
      break;
    case ER_HISTORY_FAILED:
      /* The one status that can be long: the server's reason. */
      gtk_label_set_justify (GTK_LABEL (status_label), GTK_JUSTIFY_RIGHT);
      gtk_label_set_wrap (GTK_LABEL (status_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (status_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (status_label), 32);
      gtk_widget_add_css_class (status_label, "error");
      break;
    case ER_HISTORY_UNDO:
    case ER_HISTORY_WAITING:
    case ER_HISTORY_SENDING:
    default:
      gtk_widget_add_css_class (status_label, "accent");
      if (item->error != NULL)
        gtk_widget_set_tooltip_text (status_label, item->error);
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

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_label (label, text);
}

static void
update_summary (ErHistoryWindow *self)
{
  guint approved = 0, denied = 0, waiting = 0, failed = 0;
  g_autofree char *approved_text = NULL;
  g_autofree char *denied_text = NULL;
  g_autofree char *waiting_text = NULL;
  g_autofree char *failed_text = NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->day, _("Today")) != 0)
        continue;
      switch (item->status)
        {
        case ER_HISTORY_SENT:
          if (item->approved)
            approved++;
          else
            denied++;
          break;
        case ER_HISTORY_FAILED:
          failed++;
          break;
        case ER_HISTORY_UNDO:
        case ER_HISTORY_WAITING:
        case ER_HISTORY_SENDING:
        default:
          waiting++;
          break;
        }
    }

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

  set_count (self->approved_count, approved);
  set_count (self->denied_count, denied);
  set_count (self->waiting_count, waiting);
  set_count (self->failed_count, failed);
  /* Colour only for what is there. */
  if (approved > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->approved_count), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->approved_count), "success");
  if (failed > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->failed_count), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->failed_count), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary, -1);
  gtk_widget_set_tooltip_text (self->summary_box, self->summary);
}

static gboolean
tick_cb (gpointer user_data)
{
  ErHistoryWindow *self = user_data;

  self->tick_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Rebuilds the list when the next undo delay ends, so its row says "waiting". */
static void
schedule_tick (ErHistoryWindow *self,
               GDateTime       *now)
{
  g_autoptr(GPtrArray) entries = NULL;
  GTimeSpan soonest = G_MAXINT64;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->outbox == NULL)
    return;

  entries = er_outbox_get_entries (self->outbox);
  for (guint i = 0; i < entries->len; i++)
    {
      ErOutboxEntry *entry = g_ptr_array_index (entries, i);
      GDateTime *due_at = er_outbox_entry_get_due_at (entry);

      if (entry_status (entry, now) == ER_HISTORY_UNDO)
        soonest = MIN (soonest, g_date_time_difference (due_at, now));
    }
  if (soonest != G_MAXINT64)
    self->tick_id = g_timeout_add (soonest / 1000 + 50, tick_cb, self);
}

static void
rebuild (ErHistoryWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *focus_id = g_strdup (focused_receipt_id (self));
  GtkWidget *focus_row = NULL;
  GtkWidget *child;
  AdwPreferencesGroup *group = NULL;
  const char *group_day = NULL;
  const char *page;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = collect_items (self, now);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->days_box))) != NULL)
    gtk_box_remove (self->days_box, child);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      GtkWidget *row;

      if (group == NULL || g_strcmp0 (group_day, item->day) != 0)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          /* Today's rows go under the counts' "Today" heading. */
          if (!g_str_equal (item->day, _("Today")))
            adw_preferences_group_set_title (group, item->day);
          gtk_box_append (self->days_box, GTK_WIDGET (group));
          group_day = item->day;
        }
      row = make_row (item, self->tz);
      adw_preferences_group_add (group, row);
      if (focus_id != NULL && g_str_equal (focus_id, item->receipt_id))
        focus_row = row;
    }

  update_summary (self);

  gtk_label_set_label (self->note_label, self->load_error != NULL ? self->load_error : "");
  gtk_widget_set_visible (self->note_box, self->load_error != NULL);

  if (self->items->len > 0)
    page = "list";
  else if (!self->loaded_once)
    page = "loading";
  else if (self->load_error != NULL)
    page = "error";
  else
    page = "empty";
  adw_status_page_set_description (self->error_page, self->load_error);
  gtk_stack_set_visible_child_name (self->stack, page);

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), self->loading && !g_str_equal (page, "loading"));
  gtk_spinner_set_spinning (self->refresh_spinner, self->loading);

  if (focus_row != NULL)
    gtk_widget_grab_focus (focus_row);

  schedule_tick (self, now);
}

/* Loading */

static void
set_loading (ErHistoryWindow *self,
             gboolean         loading)
{
  self->loading = loading;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.refresh", !loading);
}

static void
load_failed (ErHistoryWindow *self,
             const GError    *error)
{
  g_clear_pointer (&self->load_error, g_free);
  if (error == NULL || g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK))
    self->load_error = g_strdup (_("The server could not be reached: showing only decisions "
                                   "waiting on this computer."));
  else
    /* Translators: %s is the server's error, a sentence */
    self->load_error = g_strdup_printf (_("The server’s list could not be loaded: showing only "
                                          "decisions waiting on this computer. %s"),
                                        error->message);
}

static void
list_decisions_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ErHistoryWindow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = er_client_list_decisions_finish (ER_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* refreshed again or closed: self may be gone */
  self = ER_HISTORY_WINDOW (user_data);

  if (page == NULL)
    {
      g_debug ("History: could not load the decisions: %s", error->message);
      load_failed (self, error);
      g_clear_pointer (&self->loading_pages, g_ptr_array_unref);
      g_clear_object (&self->cancellable);
      set_loading (self, FALSE);
      self->loaded_once = TRUE;
      rebuild (self);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->items)); i++)
    g_ptr_array_add (self->loading_pages, g_list_model_get_item (G_LIST_MODEL (page->items), i));
  self->n_pages++;

  if (page->next_cursor != NULL && self->n_pages < MAX_PAGES)
    {
      load_page (self, page->next_cursor);
      return;
    }

  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  self->decisions = g_steal_pointer (&self->loading_pages);
  g_clear_pointer (&self->load_error, g_free);
  /* The server's list now holds what was delivered. */
  g_hash_table_remove_all (self->delivered);
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  self->loaded_once = TRUE;
  rebuild (self);
}

static void
load_page (ErHistoryWindow *self,
           const char      *cursor)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = start_of_day (now, self->tz);
  g_autoptr(GDateTime) since = g_date_time_add_days (today, -(ER_HISTORY_DAYS - 1));
  ErDecisionQuery query = {
    .agent = NULL,
    .since = since,
    .limit = PAGE_LIMIT,
    .cursor = cursor,
  };

  er_client_list_decisions_async (self->client, &query, self->cancellable,
                                  list_decisions_cb, self);
}

void
er_history_window_refresh (ErHistoryWindow *self)
{
  g_return_if_fail (ER_IS_HISTORY_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading_pages, g_ptr_array_unref);

  if (self->client == NULL)
    {
      load_failed (self, NULL);
      self->loaded_once = TRUE;
      set_loading (self, FALSE);
      rebuild (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading_pages = g_ptr_array_new_with_free_func (g_object_unref);
  self->n_pages = 0;
  set_loading (self, TRUE);
  rebuild (self);
  load_page (self, NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  er_history_window_refresh (ER_HISTORY_WINDOW (widget));
}

static void
outbox_changed_cb (ErHistoryWindow *self)
{
  guint n_waiting = er_outbox_get_n_waiting (self->outbox);
  gboolean delivered = n_waiting < self->n_waiting;

  self->n_waiting = n_waiting;
  follow_outbox (self);
  rebuild (self);
  /* Something left for the server while the note said it could not be
   * reached: it answers again, so its list can be loaded now. */
  if (delivered && self->load_error != NULL && self->client != NULL && !self->loading)
    er_history_window_refresh (self);
}

/* Accessors */

gboolean
er_history_window_is_loading (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), FALSE);
  return self->loading;
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
  return self->load_error;
}

guint
er_history_window_get_n_rows (ErHistoryWindow *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), 0);
  return self->items->len;
}

static Item *
get_item (ErHistoryWindow *self,
          guint            index)
{
  g_return_val_if_fail (ER_IS_HISTORY_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

const char *
er_history_window_get_row_receipt_id (ErHistoryWindow *self,
                                      guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->receipt_id : NULL;
}

const char *
er_history_window_get_row_name (ErHistoryWindow *self,
                                guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->name : NULL;
}

const char *
er_history_window_get_row_day (ErHistoryWindow *self,
                               guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->day : NULL;
}

const char *
er_history_window_get_row_decision (ErHistoryWindow *self,
                                    guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->decision_text : NULL;
}

ErHistoryStatus
er_history_window_get_row_status (ErHistoryWindow *self,
                                  guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->status : ER_HISTORY_SENT;
}

const char *
er_history_window_get_row_status_text (ErHistoryWindow *self,
                                       guint            index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->status_text : NULL;
}

/* Life */

GtkWidget *
er_history_window_new (GtkWindow *parent,
                       ErClient  *client,
                       ErOutbox  *outbox)
{
  ErHistoryWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (client == NULL || ER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (outbox == NULL || ER_IS_OUTBOX (outbox), NULL);

  self = g_object_new (ER_TYPE_HISTORY_WINDOW, "transient-for", parent, NULL);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  if (outbox != NULL)
    {
      self->outbox = g_object_ref (outbox);
      self->n_waiting = er_outbox_get_n_waiting (outbox);
      g_signal_connect_object (outbox, "changed", G_CALLBACK (outbox_changed_cb), self,
                               G_CONNECT_SWAPPED);
      follow_outbox (self);
    }
  er_history_window_refresh (self);
  return GTK_WIDGET (self);
}

static void
er_history_window_dispose (GObject *object)
{
  ErHistoryWindow *self = ER_HISTORY_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (er_history_window_parent_class)->dispose (object);
}

static void
er_history_window_finalize (GObject *object)
{
  ErHistoryWindow *self = ER_HISTORY_WINDOW (object);

  g_clear_pointer (&self->loading_pages, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->seen_sending, g_hash_table_unref);
  g_clear_pointer (&self->delivered, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->load_error);
  g_free (self->summary);

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

  self->tz = quebec_time ();
  self->decisions = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->seen_sending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) er_outbox_entry_unref);
  self->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) er_outbox_entry_unref);
  self->summary = g_strdup ("");
}
