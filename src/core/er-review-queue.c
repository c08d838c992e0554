/* er-review-queue.c: the pending cases, polled with the ETag (see the header). */
#include "config.h"

#include "er-error.h"
#include "er-review-queue.h"

struct _ErReviewQueue
{
  GObject              parent_instance;

  ErClient            *client;
  char                *agent;
  ErReviewQueueFilter  decided;
  gpointer             decided_data;

  GListStore          *store;
  ErCase              *pinned;
  char                *text;
  char                *source;
  char                *etag;
  GCancellable        *cancellable;
  guint                poll_id;

  gboolean             loading;
  gboolean             checking;
  GDateTime           *checked_at;
  gboolean             loaded;
  gboolean             offline;
  guint                total;
  char                *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ErReviewQueue, er_review_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_CHECKING,
  PROP_CHECKED_AT,
  PROP_LOADED,
  PROP_TOTAL,
  PROP_OFFLINE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REFRESHED,
  SIGNAL_ANSWERED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return ER_TYPE_CASE;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ER_REVIEW_QUEUE (model)->store));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (ER_REVIEW_QUEUE (model)->store), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Whenever the list changes: which listed cases share their expected name
 * with another listed case (er_case_name_key), so that their rows show the
 * username. Set before the list says it changed, for the rows made then. */
static void
update_shared_names (ErReviewQueue *self)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  /* The keys belong to the cases, which the store holds meanwhile. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char *key = er_case_get_name_key (kase);

      g_hash_table_insert (counts, (gpointer) key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      er_case_set_name_shared (kase, GPOINTER_TO_UINT (g_hash_table_lookup (counts, er_case_get_name_key (kase))) > 1);
    }
}

static void
on_store_changed (ErReviewQueue *self,
                  guint          position,
                  guint          removed,
                  guint          added)
{
  update_shared_names (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
set_boolean (ErReviewQueue *self,
             gboolean      *field,
             gboolean       value,
             guint          prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_total (ErReviewQueue *self,
           guint          total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_error (ErReviewQueue *self,
           const char    *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
er_review_queue_claimed_by_colleague (ErReviewQueue *self,
                                      ErCase        *kase)
{
  const char *by = er_case_get_claimed_by (kase);
  GDateTime *until = er_case_get_claim_expires_at (kase);
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);

  if (by == NULL || g_strcmp0 (by, self->agent) == 0)
    return FALSE;
  if (until == NULL)
    return TRUE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (until, now) > 0;
}

static gboolean
is_decided (ErReviewQueue *self,
            const char    *receipt_id)
{
  return self->decided != NULL && self->decided (receipt_id, self->decided_data);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ErReviewQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n, left_out = 0;

  page = er_client_list_cases_finish (ER_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_boolean (self, &self->loading, FALSE, PROP_LOADING);
  set_boolean (self, &self->checking, FALSE, PROP_CHECKING);
  set_boolean (self, &self->offline, g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK),
               PROP_OFFLINE);

  if (page != NULL)
    {
      g_clear_pointer (&self->checked_at, g_date_time_unref);
      self->checked_at = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED_AT]);
    }
  if (page == NULL)
    {
      set_error (self, error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }
  set_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_ANSWERED], 0);
  if (page->not_modified)
    return;

  g_free (self->etag);
  self->etag = g_strdup (page->etag);

  n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (page->items), i);
      const char *id = er_case_get_receipt_id (kase);

      if (self->pinned != NULL && g_str_equal (id, er_case_get_receipt_id (self->pinned)))
        g_ptr_array_add (items, g_object_ref (self->pinned));
      else if (is_decided (self, id) || er_review_queue_claimed_by_colleague (self, kase))
        left_out++;
      else
        g_ptr_array_add (items, g_steal_pointer (&kase));
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  set_total (self, page->count > left_out ? page->count - left_out : 0);
  set_boolean (self, &self->loaded, TRUE, PROP_LOADED);
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static gboolean
poll (gpointer user_data)
{
  er_review_queue_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

void
er_review_queue_refresh (ErReviewQueue *self)
{
  ErCaseQuery query = { .limit = ER_REVIEW_QUEUE_PAGE_SIZE };

  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  query.q = self->text;
  query.source = self->source;
  /* Unchanged since last time: the server answers 304 with no body. */
  query.if_none_match = self->etag;
  set_boolean (self, &self->loading,
               g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0, PROP_LOADING);
  set_boolean (self, &self->checking, TRUE, PROP_CHECKING);
  er_client_list_cases_async (self->client, &query, self->cancellable, list_cb,
                              g_object_ref (self));

  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (ER_REVIEW_QUEUE_POLL_SECONDS, poll, self);
}

void
er_review_queue_stop (ErReviewQueue *self)
{
  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  set_boolean (self, &self->loading, FALSE, PROP_LOADING);
  set_boolean (self, &self->checking, FALSE, PROP_CHECKING);
}

void
er_review_queue_clear (ErReviewQueue *self)
{
  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));

  er_review_queue_stop (self);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->etag, g_free);
  g_clear_object (&self->pinned);
  g_list_store_remove_all (self->store);
  set_total (self, 0);
  set_boolean (self, &self->loaded, FALSE, PROP_LOADED);
  set_error (self, NULL);
}

static char *
non_empty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
er_review_queue_set_query (ErReviewQueue *self,
                           const char    *text,
                           const char    *source)
{
  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));

  g_free (self->text);
  self->text = non_empty (text);
  g_free (self->source);
  self->source = non_empty (source);
  g_clear_pointer (&self->etag, g_free);
  er_review_queue_refresh (self);
}

const char *
er_review_queue_get_text (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), NULL);
  return self->text;
}

const char *
er_review_queue_get_source (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), NULL);
  return self->source;
}

void
er_review_queue_set_pinned (ErReviewQueue *self,
                            ErCase        *kase)
{
  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));
  g_set_object (&self->pinned, kase);
}

gboolean
er_review_queue_find (ErReviewQueue *self,
                      const char    *receipt_id,
                      guint         *position)
{
  guint n;

  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_str_equal (er_case_get_receipt_id (kase), receipt_id))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

guint
er_review_queue_remove (ErReviewQueue *self,
                        const char    *receipt_id)
{
  guint position;

  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), 0);

  if (!er_review_queue_find (self, receipt_id, &position))
    return g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_list_store_remove (self->store, position);
  set_total (self, self->total > 0 ? self->total - 1 : 0);
  return position;
}

void
er_review_queue_insert (ErReviewQueue *self,
                        guint          position,
                        ErCase        *kase)
{
  g_return_if_fail (ER_IS_REVIEW_QUEUE (self));
  g_return_if_fail (ER_IS_CASE (kase));

  if (er_review_queue_find (self, er_case_get_receipt_id (kase), NULL))
    return;
  g_list_store_insert (self->store,
                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->store))),
                       kase);
  set_total (self, self->total + 1);
}

ErCase *
er_review_queue_next (ErReviewQueue *self,
                      guint          position,
                      ErCase        *except)
{
  guint n;

  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->store), (position + i) % n);

      if (kase != except && !er_review_queue_claimed_by_colleague (self, kase) &&
          !is_decided (self, er_case_get_receipt_id (kase)))
        return g_steal_pointer (&kase);
    }
  return NULL;
}

gboolean
er_review_queue_get_loading (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);
  return self->loading;
}

gboolean
er_review_queue_get_loaded (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);
  return self->loaded;
}

gboolean
er_review_queue_get_checking (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);
  return self->checking;
}

GDateTime *
er_review_queue_get_checked_at (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), NULL);
  return self->checked_at;
}

guint
er_review_queue_get_total (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), 0);
  return MAX (self->total, g_list_model_get_n_items (G_LIST_MODEL (self->store)));
}

gboolean
er_review_queue_get_offline (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), FALSE);
  return self->offline;
}

const char *
er_review_queue_get_error (ErReviewQueue *self)
{
  g_return_val_if_fail (ER_IS_REVIEW_QUEUE (self), NULL);
  return self->error;
}

ErReviewQueue *
er_review_queue_new (ErClient            *client,
                     const char          *agent_username,
                     ErReviewQueueFilter  decided,
                     gpointer             user_data)
{
  ErReviewQueue *self;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);

  self = g_object_new (ER_TYPE_REVIEW_QUEUE, NULL);
  self->client = g_object_ref (client);
  self->agent = g_strdup (agent_username);
  self->decided = decided;
  self->decided_data = user_data;
  return self;
}

static void
er_review_queue_dispose (GObject *object)
{
  ErReviewQueue *self = ER_REVIEW_QUEUE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->pinned);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (er_review_queue_parent_class)->dispose (object);
}

static void
er_review_queue_finalize (GObject *object)
{
  ErReviewQueue *self = ER_REVIEW_QUEUE (object);

  g_free (self->agent);
  g_free (self->text);
  g_free (self->source);
  g_free (self->etag);
  g_free (self->error);
  g_clear_pointer (&self->checked_at, g_date_time_unref);

  G_OBJECT_CLASS (er_review_queue_parent_class)->finalize (object);
}

static void
er_review_queue_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ErReviewQueue *self = ER_REVIEW_QUEUE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_CHECKED_AT:
      g_value_set_boxed (value, self->checked_at);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, er_review_queue_get_total (self));
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_review_queue_class_init (ErReviewQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = er_review_queue_dispose;
  object_class->finalize = er_review_queue_finalize;
  object_class->get_property = er_review_queue_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_CHECKING] = g_param_spec_boolean ("checking", NULL, NULL, FALSE, flags);
  properties[PROP_CHECKED_AT] = g_param_spec_boxed ("checked-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_ANSWERED] =
    g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
er_review_queue_init (ErReviewQueue *self)
{
  self->store = g_list_store_new (ER_TYPE_CASE);
  g_signal_connect_swapped (self->store, "items-changed", G_CALLBACK (on_store_changed), self);
}
