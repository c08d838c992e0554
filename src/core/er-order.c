/* er-order.c: an order looked up by invoice number (GET /orders/{invoice}). */

#include "config.h"

#include "er-error.h"
#include "er-json.h"
#include "er-order.h"

struct _ErOrder
{
  GObject    parent_instance;

  char      *invoice_number;
  char      *username;
  char      *full_name;
  char      *email;
  char      *course_id;
  char      *course_name;
  char      *mode;
  gboolean   paid;
  GDateTime *paid_at;
  char      *amount;
  char      *currency;
  GDateTime *upgrade_deadline;
  GDateTime *verification_deadline;
  char      *verification_status;
};

G_DEFINE_FINAL_TYPE (ErOrder, er_order, G_TYPE_OBJECT)

ErOrder *
er_order_new_from_json (JsonNode  *node,
                        GError   **error)
{
  static const char * const statuses[] = { "none", "pending", "approved", "denied", "expired", NULL };
  g_autoptr(ErOrder) self = NULL;
  JsonObject *object;
  JsonNode *paid;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = er_json_get_object (node, ER_JSON_ORDER, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (ER_TYPE_ORDER, NULL);

  if (!er_json_read_string (object, "invoice_number", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->invoice_number, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "username", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->username, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "full_name", NULL, ER_JSON_REQUIRED,
                            &self->full_name, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "verification_status", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->verification_status, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "email", NULL, ER_JSON_OPTIONAL,
                            &self->email, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "course_id", NULL, ER_JSON_OPTIONAL,
                            &self->course_id, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "course_name", NULL, ER_JSON_OPTIONAL,
                            &self->course_name, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "mode", NULL, ER_JSON_OPTIONAL,
                            &self->mode, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "amount", NULL, ER_JSON_OPTIONAL,
                            &self->amount, ER_JSON_ORDER, error) ||
      !er_json_read_string (object, "currency", NULL, ER_JSON_OPTIONAL,
                            &self->currency, ER_JSON_ORDER, error) ||
      !er_json_read_time (object, "paid_at", NULL, ER_JSON_OPTIONAL,
                          &self->paid_at, ER_JSON_ORDER, error) ||
      !er_json_read_time (object, "upgrade_deadline", NULL, ER_JSON_OPTIONAL,
                          &self->upgrade_deadline, ER_JSON_ORDER, error) ||
      !er_json_read_time (object, "verification_deadline", NULL, ER_JSON_OPTIONAL,
                          &self->verification_deadline, ER_JSON_ORDER, error))
    return NULL;

  if (!g_strv_contains (statuses, self->verification_status))
    {
      er_json_error (error, ER_JSON_ORDER, "verification_status");
      return NULL;
    }

  paid = json_object_get_member (object, "paid");
  if (paid == NULL ||
      !JSON_NODE_HOLDS_VALUE (paid) ||
      json_node_get_value_type (paid) != G_TYPE_BOOLEAN)
    {
      er_json_error (error, ER_JSON_ORDER, "paid");
      return NULL;
    }
  self->paid = json_node_get_boolean (paid);

  return g_steal_pointer (&self);
}

const char *
er_order_get_invoice_number (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->invoice_number;
}

const char *
er_order_get_username (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->username;
}

const char *
er_order_get_full_name (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->full_name;
}

const char *
er_order_get_email (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->email;
}

const char *
er_order_get_course_id (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->course_id;
}

const char *
er_order_get_course_name (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->course_name;
}

const char *
er_order_get_mode (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->mode;
}

gboolean
er_order_get_paid (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), FALSE);
  return self->paid;
}

GDateTime *
er_order_get_paid_at (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->paid_at;
}

const char *
er_order_get_amount (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->amount;
}

const char *
er_order_get_currency (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->currency;
}

GDateTime *
er_order_get_upgrade_deadline (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->upgrade_deadline;
}

GDateTime *
er_order_get_verification_deadline (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->verification_deadline;
}

const char *
er_order_get_verification_status (ErOrder *self)
{
  g_return_val_if_fail (ER_IS_ORDER (self), NULL);
  return self->verification_status;
}

static void
er_order_finalize (GObject *object)
{
  ErOrder *self = (ErOrder *) object;

  g_clear_pointer (&self->invoice_number, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->course_id, g_free);
  g_clear_pointer (&self->course_name, g_free);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->paid_at, g_date_time_unref);
  g_clear_pointer (&self->amount, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->upgrade_deadline, g_date_time_unref);
  g_clear_pointer (&self->verification_deadline, g_date_time_unref);
  g_clear_pointer (&self->verification_status, g_free);

  G_OBJECT_CLASS (er_order_parent_class)->finalize (object);
}

static void
er_order_class_init (ErOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = er_order_finalize;
}

static void
er_order_init (ErOrder *self)
{
}
