/* er-history.c: the agent's decisions of the last days, as a list model.
 *
 * The list is rebuilt from its three sources (the server's last list, the
 * outbox, the session's delivered decisions) whenever one changes, and the
 * new list is compared with the one shown: items that did not change keep
 * their object, and one "items-changed" covers the part that did.
 *
 * The outbox's "changed" and the session's "delivered" are followed through
 * one idle rebuild: the sender removes a delivered entry from the outbox
 * before the session says it was delivered, and the list should show the
 * decision moving from SENDING to DELIVERED, not leaving and coming back.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"
#include "er-history.h"

#define PAGE_LIMIT 200   /* the contract's maximum */
#define MAX_PAGES  100   /* every page; only a server that never ends stops here */

G_DEFINE_ENUM_TYPE (ErHistoryState, er_history_state,
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_RECORDED, "recorded"),
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_DELIVERED, "delivered"),
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_UNDO, "undo"),
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (ER_HISTORY_STATE_FAILED, "failed"))

/* ---- Days and texts ---------------------------------------------------- */

static GDateTime *
start_of_local_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                g_date_time_get_day_of_month (local), 0, 0, 0);
}

/* Whole local days from time's date to now's date (0: today). */
static gint
days_between (GDateTime *time,
              GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  GDate a, b;

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  g_date_set_dmy (&b, g_date_time_get_day_of_month (local_now), g_date_time_get_month (local_now),
                  g_date_time_get_year (local_now));
  return g_date_days_between (&a, &b);
}

static char *
format_day (GDateTime *time,
            GDateTime *now,
            gint       days_ago)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);

  if (days_ago == 0)
    return g_strdup (_("Today"));
  if (days_ago == 1)
    return g_strdup (_("Yesterday"));
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a day heading in the history, see g_date_time_format(); e.g. "Monday 23 November" */
    return g_date_time_format (local, _("%A %-d %B"));
  /* Translators: a day heading in the history, see g_date_time_format(); e.g. "23 November 2025" */
  return g_date_time_format (local, _("%-d %B %Y"));
}

static char *
format_status (ErHistoryState  state,
               const char     *error)
{
  switch (state)
    {
    case ER_HISTORY_STATE_RECORDED:
    case ER_HISTORY_STATE_DELIVERED:
      return g_strdup (_("Sent"));
    case ER_HISTORY_STATE_UNDO:
      return g_strdup (_("In its undo delay"));
    case ER_HISTORY_STATE_WAITING:
      return g_strdup (_("Waiting to be sent"));
    case ER_HISTORY_STATE_SENDING:
      return g_strdup (_("Sending…"));
    case ER_HISTORY_STATE_FAILED:
    default:
      /* Translators: a decision the server refused for good, and why */
      return g_strdup_printf (_("Not recorded: %s"),
                              error != NULL && *error != '\0' ? error : _("refused by the server"));
    }
}

/* ---- ErHistoryItem ----------------------------------------------------- */

struct _ErHistoryItem
{
  GObject         parent_instance;

  char           *receipt_id;
  char           *name;
  gboolean        approved;
  ErReasons      *reasons;      /* NULL when approved */
  GDateTime      *decided_at;
  char           *day;
  gint            days_ago;
  ErHistoryState  state;
  char           *status_text;
  char           *error;        /* nullable */
};

G_DEFINE_FINAL_TYPE (ErHistoryItem, er_history_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_RECEIPT_ID,
  ITEM_PROP_NAME,
  ITEM_PROP_APPROVED,
  ITEM_PROP_REASONS,
  ITEM_PROP_DECIDED_AT,
  ITEM_PROP_DAY,
  ITEM_PROP_STATE,
  ITEM_PROP_STATUS_TEXT,
  ITEM_PROP_ERROR,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static ErHistoryItem *
item_new (const char      *receipt_id,
          const char      *name,
          gboolean         approved,
          const ErReasons *reasons,
          GDateTime       *decided_at,
          ErHistoryState   state,
          const char      *error,
          GDateTime       *now)
{
  ErHistoryItem *self = g_object_new (ER_TYPE_HISTORY_ITEM, NULL);

  self->receipt_id = g_strdup (receipt_id);
  self->name = g_strdup (name != NULL && *name != '\0' ? name : receipt_id);
  self->approved = approved;
  if (!approved)
    self->reasons = reasons != NULL ? er_reasons_copy (reasons) : er_reasons_new ();
  self->decided_at = decided_at != NULL ? g_date_time_ref (decided_at) : g_date_time_ref (now);
  self->days_ago = days_between (self->decided_at, now);
  self->day = format_day (self->decided_at, now, self->days_ago);
  self->state = state;
  self->error = g_strdup (error);
  self->status_text = format_status (state, error);
  return self;
}

static ErHistoryItem *
item_new_from_decision (ErDecision *decision,
                        GDateTime  *now)
{
  return item_new (er_decision_get_receipt_id (decision),
                   er_decision_get_expected_name (decision),
                   er_decision_get_approved (decision),
                   er_decision_get_reasons (decision),
                   er_decision_get_decided_at (decision),
                   ER_HISTORY_STATE_RECORDED, NULL, now);
}

static ErHistoryItem *
item_new_from_entry (ErOutboxEntry  *entry,
                     ErHistoryState  state,
                     GDateTime      *now)
{
  return item_new (er_outbox_entry_get_receipt_id (entry),
                   er_outbox_entry_get_name (entry),
                   er_outbox_entry_get_approved (entry),
                   er_outbox_entry_get_reasons (entry),
                   er_outbox_entry_get_decided_at (entry),
                   state,
                   /* A delivered decision's last transient error is history. */
                   state == ER_HISTORY_STATE_DELIVERED ? NULL : er_outbox_entry_get_error (entry),
                   now);
}

static gboolean
reasons_equal (const ErReasons *a,
               const ErReasons *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  for (guint group = 0; group < ER_N_REASON_GROUPS; group++)
    {
      const char * const *x = er_reasons_get (a, group);
      const char * const *y = er_reasons_get (b, group);

      if (!g_strv_equal ((const char **) x, (const char **) y))
        return FALSE;
    }
  return TRUE;
}

/* Whether the two read the same (then the one shown stays). */
static gboolean
item_equal (ErHistoryItem *a,
            ErHistoryItem *b)
{
  return g_str_equal (a->receipt_id, b->receipt_id) &&
         g_str_equal (a->name, b->name) &&
         a->approved == b->approved &&
         reasons_equal (a->reasons, b->reasons) &&
         g_date_time_equal (a->decided_at, b->decided_at) &&
         g_str_equal (a->day, b->day) &&
         a->state == b->state &&
         g_str_equal (a->status_text, b->status_text) &&
         g_strcmp0 (a->error, b->error) == 0;
}

const char *
er_history_item_get_receipt_id (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->receipt_id;
}

const char *
er_history_item_get_name (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->name;
}

gboolean
er_history_item_get_approved (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), FALSE);
  return self->approved;
}

const ErReasons *
er_history_item_get_reasons (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->reasons;
}

GDateTime *
er_history_item_get_decided_at (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->decided_at;
}

const char *
er_history_item_get_day (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->day;
}

gint
er_history_item_get_days_ago (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), 0);
  return self->days_ago;
}

ErHistoryState
er_history_item_get_state (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), ER_HISTORY_STATE_RECORDED);
  return self->state;
}

const char *
er_history_item_get_status_text (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->status_text;
}

const char *
er_history_item_get_error (ErHistoryItem *self)
{
  g_return_val_if_fail (ER_IS_HISTORY_ITEM (self), NULL);
  return self->error;
}

static void
er_history_item_finalize (GObject *object)
{
  ErHistoryItem *self = ER_HISTORY_ITEM (object);

  g_free (self->receipt_id);
  g_free (self->name);
  g_clear_pointer (&self->reasons, er_reasons_free);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_free (self->day);
  g_free (self->status_text);
  g_free (self->error);

  G_OBJECT_CLASS (er_history_item_parent_class)->finalize (object);
}

static void
er_history_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ErHistoryItem *self = ER_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_RECEIPT_ID: g_value_set_string (value, self->receipt_id); break;
    case ITEM_PROP_NAME: g_value_set_string (value, self->name); break;
    case ITEM_PROP_APPROVED: g_value_set_boolean (value, self->approved); break;
    case ITEM_PROP_REASONS: g_value_set_boxed (value, self->reasons); break;
    case ITEM_PROP_DECIDED_AT: g_value_set_boxed (value, self->decided_at); break;
    case ITEM_PROP_DAY: g_value_set_string (value, self->day); break;
    case ITEM_PROP_STATE: g_value_set_enum (value, self->state); break;
    case ITEM_PROP_STATUS_TEXT: g_value_set_string (value, self->status_text); break;
    case ITEM_PROP_ERROR: g_value_set_string (value, self->error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_history_item_class_init (ErHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = er_history_item_finalize;
  object_class->get_property = er_history_item_get_property;

  item_properties[ITEM_PROP_RECEIPT_ID] = g_param_spec_string ("receipt-id", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_APPROVED] = g_param_spec_boolean ("approved", NULL, NULL, FALSE, ro);
  item_properties[ITEM_PROP_REASONS] =
    g_param_spec_boxed ("reasons", NULL, NULL, ER_TYPE_REASONS, ro);
  item_properties[ITEM_PROP_DECIDED_AT] =
    g_param_spec_boxed ("decided-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  item_properties[ITEM_PROP_DAY] = g_param_spec_string ("day", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ER_TYPE_HISTORY_STATE, ER_HISTORY_STATE_RECORDED, ro);
  item_properties[ITEM_PROP_STATUS_TEXT] = g_param_spec_string ("status-text", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
er_history_item_init (ErHistoryItem *self)
{
}

/* ---- ErHistory --------------------------------------------------------- */

enum {
  COUNT_APPROVED,
  COUNT_DENIED,
  COUNT_WAITING,
  COUNT_FAILED,
  N_COUNTS
};

struct _ErHistory
{
  GObject          parent_instance;

  ErReviewSession *session;
  ErOutbox        *outbox;         /* the session's; nullable */

  GCancellable    *cancellable;    /* the load under way */
  GPtrArray       *loading_pages;  /* ErDecision, while paging */
  guint            n_pages;
  GPtrArray       *decisions;      /* ErDecision from the last good load, newest first */
  gboolean         loading;
  gboolean         loaded;
  gboolean         offline;
  char            *error;

  GPtrArray       *items;          /* ErHistoryItem, as listed */
  guint            counts[N_COUNTS];

  guint            rebuild_id;     /* an idle rebuild after the outbox or the session spoke */
  guint            tick_id;        /* the next end of an undo delay, or midnight */
};

static void er_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ErHistory, er_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, er_history_list_model_init))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LOADING,
  PROP_LOADED,
  PROP_ERROR,
  PROP_OFFLINE,
  PROP_N_APPROVED_TODAY,
  PROP_N_DENIED_TODAY,
  PROP_N_WAITING_TODAY,
  PROP_N_FAILED_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const guint count_props[N_COUNTS] = {
  [COUNT_APPROVED] = PROP_N_APPROVED_TODAY,
  [COUNT_DENIED] = PROP_N_DENIED_TODAY,
  [COUNT_WAITING] = PROP_N_WAITING_TODAY,
  [COUNT_FAILED] = PROP_N_FAILED_TODAY,
};

static void load_page (ErHistory *self, const char *cursor);

/* GListModel */

static GType
er_history_get_item_type (GListModel *model)
{
  return ER_TYPE_HISTORY_ITEM;
}

static guint
er_history_get_n_items (GListModel *model)
{
  return ER_HISTORY (model)->items->len;
}

static gpointer
er_history_get_item (GListModel *model,
                     guint       position)
{
  ErHistory *self = ER_HISTORY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
er_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = er_history_get_item_type;
  iface->get_n_items = er_history_get_n_items;
  iface->get_item = er_history_get_item;
}

/* Building the list */

static ErHistoryState
entry_state (ErOutboxEntry *entry,
             GDateTime     *now)
{
  GDateTime *due_at;

  switch (er_outbox_entry_get_state (entry))
    {
    case ER_OUTBOX_SENDING:
      return ER_HISTORY_STATE_SENDING;
    case ER_OUTBOX_FAILED:
      return ER_HISTORY_STATE_FAILED;
    case ER_OUTBOX_WAITING:
    default:
      due_at = er_outbox_entry_get_due_at (entry);
      /* Never tried yet and not due: the agent can still take it back. */
      if (due_at != NULL && g_date_time_compare (due_at, now) > 0 &&
          er_outbox_entry_get_attempts (entry) == 0)
        return ER_HISTORY_STATE_UNDO;
      return ER_HISTORY_STATE_WAITING;
    }
}

static gint
item_compare_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const ErHistoryItem *x = *(ErHistoryItem * const *) a;
  const ErHistoryItem *y = *(ErHistoryItem * const *) b;

  return g_date_time_compare (y->decided_at, x->decided_at);
}

/* The three sources merged, newest first. */
static GPtrArray *
collect_items (ErHistory *self,
               GDateTime *now)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) server = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *delivered = er_review_session_get_delivered (self->session);

  /* The server's, newest first: the truth for what it holds. */
  for (guint i = 0; i < self->decisions->len; i++)
    {
      ErDecision *decision = g_ptr_array_index (self->decisions, i);

      if (g_hash_table_add (shown, (gpointer) er_decision_get_receipt_id (decision)))
        g_ptr_array_add (server, item_new_from_decision (decision, now));
    }

  /* Then, first for the same time (they are the newer): the outbox's,
   * newest first... */
  if (self->outbox != NULL)
    {
      g_autoptr(GPtrArray) entries = er_outbox_get_entries (self->outbox);

      for (guint i = entries->len; i > 0; i--)
        {
          ErOutboxEntry *entry = g_ptr_array_index (entries, i - 1);
          ErHistoryItem *item;

          if (g_hash_table_contains (shown, er_outbox_entry_get_receipt_id (entry)))
            continue;
          item = item_new_from_entry (entry, entry_state (entry, now), now);
          g_ptr_array_add (items, item);
        }
      for (guint i = 0; i < items->len; i++)
        g_hash_table_add (shown, ((ErHistoryItem *) g_ptr_array_index (items, i))->receipt_id);
    }

  /* ...and what the session delivered that the server's list lacks. */
  for (guint i = delivered != NULL ? delivered->len : 0; i > 0; i--)
    {
      ErOutboxEntry *entry = g_ptr_array_index (delivered, i - 1);
      ErHistoryItem *item;

      if (g_hash_table_contains (shown, er_outbox_entry_get_receipt_id (entry)))
        continue;
      item = item_new_from_entry (entry, ER_HISTORY_STATE_DELIVERED, now);
      g_ptr_array_add (items, item);
      g_hash_table_add (shown, item->receipt_id);
    }

  g_ptr_array_extend_and_steal (items, g_steal_pointer (&server));
  /* A stable sort: equal times keep the order above. */
  g_ptr_array_sort (items, item_compare_newest_first);
  return g_steal_pointer (&items);
}

static void
update_counts (ErHistory *self)
{
  guint counts[N_COUNTS] = { 0, };

  for (guint i = 0; i < self->items->len; i++)
    {
      ErHistoryItem *item = g_ptr_array_index (self->items, i);

      if (item->days_ago != 0)
        continue;
      switch (item->state)
        {
        case ER_HISTORY_STATE_RECORDED:
        case ER_HISTORY_STATE_DELIVERED:
          counts[item->approved ? COUNT_APPROVED : COUNT_DENIED]++;
          break;
        case ER_HISTORY_STATE_FAILED:
          counts[COUNT_FAILED]++;
          break;
        case ER_HISTORY_STATE_UNDO:
        case ER_HISTORY_STATE_WAITING:
        case ER_HISTORY_STATE_SENDING:
        default:
          counts[COUNT_WAITING]++;
          break;
        }
    }

  for (guint c = 0; c < N_COUNTS; c++)
    if (self->counts[c] != counts[c])
      {
        self->counts[c] = counts[c];
        g_object_notify_by_pspec (G_OBJECT (self), properties[count_props[c]]);
      }
}

static gboolean tick_cb (gpointer user_data);

/* Wakes up when the next undo delay ends (its item says "waiting") or at
 * the next local midnight (days and today's counts move). */
static void
schedule_tick (ErHistory *self,
               GDateTime *now)
{
  g_autoptr(GDateTime) today = start_of_local_day (now);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  GTimeSpan soonest = g_date_time_difference (tomorrow, now) + G_USEC_PER_SEC / 2;

  g_clear_handle_id (&self->tick_id, g_source_remove);

  if (self->outbox != NULL)
    {
      g_autoptr(GPtrArray) entries = er_outbox_get_entries (self->outbox);

      for (guint i = 0; i < entries->len; i++)
        {
          ErOutboxEntry *entry = g_ptr_array_index (entries, i);

          if (entry_state (entry, now) == ER_HISTORY_STATE_UNDO)
            soonest = MIN (soonest, g_date_time_difference (er_outbox_entry_get_due_at (entry), now)
                                    + 50 * 1000);
        }
    }
  self->tick_id = g_timeout_add ((guint) (MAX (soonest, 0) / 1000), tick_cb, self);
}

/* Lists what the sources hold now, keeping the items that did not change. */
static void
rebuild (ErHistory *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) fresh = NULL;
  GPtrArray *old = self->items;
  guint prefix = 0, suffix = 0;
  guint removed, added;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  fresh = collect_items (self, now);

  while (prefix < old->len && prefix < fresh->len &&
         item_equal (g_ptr_array_index (old, prefix), g_ptr_array_index (fresh, prefix)))
    prefix++;
  while (suffix < old->len - prefix && suffix < fresh->len - prefix &&
         item_equal (g_ptr_array_index (old, old->len - 1 - suffix),
                     g_ptr_array_index (fresh, fresh->len - 1 - suffix)))
    suffix++;
  removed = old->len - prefix - suffix;
  added = fresh->len - prefix - suffix;

  if (removed > 0 || added > 0)
    {
      g_ptr_array_remove_range (old, prefix, removed);
      for (guint i = 0; i < added; i++)
        g_ptr_array_insert (old, prefix + i, g_object_ref (g_ptr_array_index (fresh, prefix + i)));
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
    }

  update_counts (self);
  schedule_tick (self, now);
}

static gboolean
tick_cb (gpointer user_data)
{
  ErHistory *self = user_data;

  self->tick_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static gboolean
rebuild_cb (gpointer user_data)
{
  ErHistory *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (ErHistory *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_DEFAULT, rebuild_cb, self, NULL);
}

/* Loading */

static void
set_boolean (ErHistory *self,
             gboolean  *field,
             gboolean   value,
             guint      prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_error (ErHistory  *self,
           const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* A load ended: error NULL when it succeeded (decisions then hold its list). */
static void
load_finished (ErHistory    *self,
               const GError *error)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading_pages, g_ptr_array_unref);

  g_object_freeze_notify (G_OBJECT (self));
  rebuild (self);
  set_error (self, error != NULL ? error->message : NULL);
  set_boolean (self, &self->offline, g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK),
               PROP_OFFLINE);
  set_boolean (self, &self->loaded, TRUE, PROP_LOADED);
  set_boolean (self, &self->loading, FALSE, PROP_LOADING);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
list_decisions_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ErHistory *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = er_client_list_decisions_finish (ER_CLIENT (object), result, &error);
  GListModel *list;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* refreshed again or disposed: self may be gone */
  self = ER_HISTORY (user_data);

  if (page == NULL)
    {
      g_debug ("History: could not load the decisions: %s", error->message);
      load_finished (self, error);
      return;
    }

  list = G_LIST_MODEL (page->items);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_ptr_array_add (self->loading_pages, g_list_model_get_item (list, i));
  self->n_pages++;

  if (page->next_cursor != NULL && *page->next_cursor != '\0')
    {
      if (self->n_pages < MAX_PAGES)
        {
          load_page (self, page->next_cursor);
          return;
        }
      g_debug ("History: stopped after %u pages", self->n_pages);
    }

  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  self->decisions = g_steal_pointer (&self->loading_pages);
  load_finished (self, NULL);
}

static void
load_page (ErHistory  *self,
           const char *cursor)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = start_of_local_day (now);
  g_autoptr(GDateTime) since = g_date_time_add_days (today, -(ER_HISTORY_DAYS - 1));
  ErDecisionQuery query = {
    .agent = NULL,
    .since = since,
    .limit = PAGE_LIMIT,
    .cursor = cursor,
  };

  er_client_list_decisions_async (er_review_session_get_client (self->session), &query,
                                  self->cancellable, list_decisions_cb, self);
}

void
er_history_refresh (ErHistory *self)
{
  g_return_if_fail (ER_IS_HISTORY (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading_pages, g_ptr_array_unref);

  self->cancellable = g_cancellable_new ();
  self->loading_pages = g_ptr_array_new_with_free_func (g_object_unref);
  self->n_pages = 0;
  set_boolean (self, &self->loading, TRUE, PROP_LOADING);
  load_page (self, NULL);
}

/* Following the session */

static void
on_outbox_changed (ErHistory *self)
{
  queue_rebuild (self);
}

static void
on_delivered (ErHistory *self)
{
  queue_rebuild (self);
  /* The server answers again while the last load could not reach it: its
   * list can be loaded now. */
  if (self->error != NULL && !self->loading)
    er_history_refresh (self);
}

static void
on_session_offline (ErHistory *self)
{
  if (self->offline && !self->loading && !er_review_session_get_offline (self->session))
    er_history_refresh (self);
}

/* Accessors */

ErReviewSession *
er_history_get_session (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), NULL);
  return self->session;
}

gboolean
er_history_get_loading (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), FALSE);
  return self->loading;
}

gboolean
er_history_get_loaded (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), FALSE);
  return self->loaded;
}

const char *
er_history_get_error (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), NULL);
  return self->error;
}

gboolean
er_history_get_offline (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), FALSE);
  return self->offline;
}

guint
er_history_get_n_approved_today (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), 0);
  return self->counts[COUNT_APPROVED];
}

guint
er_history_get_n_denied_today (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), 0);
  return self->counts[COUNT_DENIED];
}

guint
er_history_get_n_waiting_today (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), 0);
  return self->counts[COUNT_WAITING];
}

guint
er_history_get_n_failed_today (ErHistory *self)
{
  g_return_val_if_fail (ER_IS_HISTORY (self), 0);
  return self->counts[COUNT_FAILED];
}

/* Life */

ErHistory *
er_history_new (ErReviewSession *session)
{
  g_return_val_if_fail (ER_IS_REVIEW_SESSION (session), NULL);

  return g_object_new (ER_TYPE_HISTORY, "session", session, NULL);
}

static void
er_history_constructed (GObject *object)
{
  ErHistory *self = ER_HISTORY (object);
  ErOutbox *outbox;

  G_OBJECT_CLASS (er_history_parent_class)->constructed (object);

  g_assert (self->session != NULL);
  outbox = er_review_session_get_outbox (self->session);
  if (outbox != NULL)
    {
      self->outbox = g_object_ref (outbox);
      g_signal_connect_object (outbox, "changed", G_CALLBACK (on_outbox_changed), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->session, "delivered", G_CALLBACK (on_delivered), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::offline", G_CALLBACK (on_session_offline),
                           self, G_CONNECT_SWAPPED);

  /* What is on this computer at once; the server's list as it comes. */
  rebuild (self);
  er_history_refresh (self);
}

static void
er_history_dispose (GObject *object)
{
  ErHistory *self = ER_HISTORY (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (er_history_parent_class)->dispose (object);
}

static void
er_history_finalize (GObject *object)
{
  ErHistory *self = ER_HISTORY (object);

  g_clear_pointer (&self->loading_pages, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->error);

  G_OBJECT_CLASS (er_history_parent_class)->finalize (object);
}

static void
er_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ErHistory *self = ER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_LOADING: g_value_set_boolean (value, self->loading); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_OFFLINE: g_value_set_boolean (value, self->offline); break;
    case PROP_N_APPROVED_TODAY: g_value_set_uint (value, self->counts[COUNT_APPROVED]); break;
    case PROP_N_DENIED_TODAY: g_value_set_uint (value, self->counts[COUNT_DENIED]); break;
    case PROP_N_WAITING_TODAY: g_value_set_uint (value, self->counts[COUNT_WAITING]); break;
    case PROP_N_FAILED_TODAY: g_value_set_uint (value, self->counts[COUNT_FAILED]); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ErHistory *self = ER_HISTORY (object);

  switch (prop_id)
    {
    case PROP_SESSION: self->session = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_history_class_init (ErHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = er_history_constructed;
  object_class->dispose = er_history_dispose;
  object_class->finalize = er_history_finalize;
  object_class->get_property = er_history_get_property;
  object_class->set_property = er_history_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ER_TYPE_REVIEW_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, ro);
  properties[PROP_N_APPROVED_TODAY] =
    g_param_spec_uint ("n-approved-today", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_DENIED_TODAY] =
    g_param_spec_uint ("n-denied-today", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_WAITING_TODAY] =
    g_param_spec_uint ("n-waiting-today", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED_TODAY] =
    g_param_spec_uint ("n-failed-today", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_history_init (ErHistory *self)
{
  self->decisions = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}
