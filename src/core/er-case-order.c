/* er-case-order.c: the order behind the open case (see the header). */
#include "config.h"

#include "er-case-order.h"
#include "er-error.h"

struct _ErCaseOrder
{
  GObject           parent_instance;

  ErClient         *client;
  gboolean          allowed;

  ErCase           *kase;
  GCancellable     *cancellable;
  ErCaseOrderState  state;
  ErOrder          *order;
  gboolean          deadline_past;
};

G_DEFINE_FINAL_TYPE (ErCaseOrder, er_case_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CASE,
  PROP_STATE,
  PROP_ORDER,
  PROP_DEADLINE_PAST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One notification per property that changed, after all have. */
static void
set_result (ErCaseOrder      *self,
            ErCaseOrderState  state,
            ErOrder          *order)
{
  gboolean past = FALSE;
  gboolean order_changed;

  if (order != NULL && er_order_get_verification_deadline (order) != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      past = g_date_time_compare (er_order_get_verification_deadline (order), now) < 0;
    }

  g_object_freeze_notify (G_OBJECT (self));
  order_changed = g_set_object (&self->order, order);
  if (order_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
  if (self->deadline_past != past)
    {
      self->deadline_past = past;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE_PAST]);
    }
  /* The state last: a handler of "state" finds the order in place. */
  if (self->state != state || order_changed)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
get_order_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ErCaseOrder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErOrder) order = NULL;

  order = er_client_get_order_finish (ER_CLIENT (source), result, &error);
  /* Cancelled: the case changed (or the object went); another load, or
   * none, took over. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (order != NULL)
    set_result (self, ER_CASE_ORDER_READY, order);
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE))
    set_result (self, ER_CASE_ORDER_NOT_FOUND, NULL);
  else
    {
      g_debug ("Order of the open case unavailable: %s", error->message);
      set_result (self, ER_CASE_ORDER_FAILED, NULL);
    }
}

void
er_case_order_set_case (ErCaseOrder *self,
                        ErCase      *kase)
{
  const char *invoice;

  g_return_if_fail (ER_IS_CASE_ORDER (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  if (!g_set_object (&self->kase, kase))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
  invoice = kase != NULL ? er_case_get_invoice_number (kase) : NULL;
  /* The contract gives an order to e-mailed cases only. */
  if (!self->allowed || invoice == NULL || er_case_get_source (kase) != ER_CASE_SOURCE_EMAIL)
    set_result (self, ER_CASE_ORDER_NONE, NULL);
  else
    {
      set_result (self, ER_CASE_ORDER_LOADING, NULL);
      self->cancellable = g_cancellable_new ();
      er_client_get_order_async (self->client, invoice, self->cancellable, get_order_cb,
                                 g_object_ref (self));
    }
  /* Whatever it was, the state now speaks of another case. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

ErCase *
er_case_order_get_case (ErCaseOrder *self)
{
  g_return_val_if_fail (ER_IS_CASE_ORDER (self), NULL);
  return self->kase;
}

ErCaseOrderState
er_case_order_get_state (ErCaseOrder *self)
{
  g_return_val_if_fail (ER_IS_CASE_ORDER (self), ER_CASE_ORDER_NONE);
  return self->state;
}

ErOrder *
er_case_order_get_order (ErCaseOrder *self)
{
  g_return_val_if_fail (ER_IS_CASE_ORDER (self), NULL);
  return self->order;
}

gboolean
er_case_order_get_deadline_past (ErCaseOrder *self)
{
  g_return_val_if_fail (ER_IS_CASE_ORDER (self), FALSE);
  return self->deadline_past;
}

ErCaseOrder *
er_case_order_new (ErClient *client,
                   gboolean  allowed)
{
  ErCaseOrder *self;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);

  self = g_object_new (ER_TYPE_CASE_ORDER, NULL);
  self->client = g_object_ref (client);
  self->allowed = !!allowed;
  return self;
}

static void
er_case_order_dispose (GObject *object)
{
  ErCaseOrder *self = ER_CASE_ORDER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->kase);
  g_clear_object (&self->order);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (er_case_order_parent_class)->dispose (object);
}

static void
er_case_order_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ErCaseOrder *self = ER_CASE_ORDER (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ORDER:
      g_value_set_object (value, self->order);
      break;
    case PROP_DEADLINE_PAST:
      g_value_set_boolean (value, self->deadline_past);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_order_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ErCaseOrder *self = ER_CASE_ORDER (object);

  switch (prop_id)
    {
    case PROP_CASE:
      er_case_order_set_case (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_order_class_init (ErCaseOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = er_case_order_dispose;
  object_class->get_property = er_case_order_get_property;
  object_class->set_property = er_case_order_set_property;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, ER_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, ER_CASE_ORDER_NONE, ER_CASE_ORDER_FAILED,
                      ER_CASE_ORDER_NONE, ro);
  properties[PROP_ORDER] = g_param_spec_object ("order", NULL, NULL, ER_TYPE_ORDER, ro);
  properties[PROP_DEADLINE_PAST] = g_param_spec_boolean ("deadline-past", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_case_order_init (ErCaseOrder *self)
{
}
