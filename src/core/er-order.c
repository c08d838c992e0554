/* er-order.c: an order looked up by invoice number (GET /orders/{invoice}). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"
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

static gboolean
order_error (GError     **error,
             const char  *member)
{
  g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
               _("The server sent an order that could not be read (member “%s”)."),
               member);
  return FALSE;
}

/* Absent or null is an error when @required, otherwise *out is NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     required,
             gboolean     non_empty,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? order_error (error, member) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return order_error (error, member);

  if (non_empty && json_node_get_string (node)[0] == '\0')
    return order_error (error, member);

  *out = json_node_dup_string (node);
  return TRUE;
}

/* An optional RFC 3339 time, which must carry its offset. */
static gboolean
read_time (JsonObject  *object,
           const char  *member,
           GDateTime  **out,
           GError     **error)
{
  g_autofree char *text = NULL;

  *out = NULL;

  if (!read_string (object, member, FALSE, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    return order_error (error, member);

  return TRUE;
}

ErOrder *
er_order_new_from_json (JsonNode  *node,
                        GError   **error)
{
  static const char * const statuses[] = { "none", "pending", "approved", "denied", "expired", NULL };
  g_autoptr(ErOrder) self = NULL;
  JsonObject *object;
  JsonNode *paid;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE,
                           _("The server sent an order that could not be read."));
      return NULL;
    }
  object = json_node_get_object (node);

  self = g_object_new (ER_TYPE_ORDER, NULL);

  if (!read_string (object, "invoice_number", TRUE, TRUE, &self->invoice_number, error) ||
      !read_string (object, "username", TRUE, TRUE, &self->username, error) ||
      !read_string (object, "full_name", TRUE, FALSE, &self->full_name, error) ||
      !read_string (object, "verification_status", TRUE, TRUE, &self->verification_status, error) ||
      !read_string (object, "email", FALSE, FALSE, &self->email, error) ||
      !read_string (object, "course_id", FALSE, FALSE, &self->course_id, error) ||
      !read_string (object, "course_name", FALSE, FALSE, &self->course_name, error) ||
      !read_string (object, "mode", FALSE, FALSE, &self->mode, error) ||
      !read_string (object, "amount", FALSE, FALSE, &self->amount, error) ||
      !read_string (object, "currency", FALSE, FALSE, &self->currency, error) ||
      !read_time (object, "paid_at", &self->paid_at, error) ||
      !read_time (object, "upgrade_deadline", &self->upgrade_deadline, error) ||
      !read_time (object, "verification_deadline", &self->verification_deadline, error))
    return NULL;

  if (!g_strv_contains (statuses, self->verification_status))
    {
      order_error (error, "verification_status");
      return NULL;
    }

  paid = json_object_get_member (object, "paid");
  if (paid == NULL ||
      !JSON_NODE_HOLDS_VALUE (paid) ||
      json_node_get_value_type (paid) != G_TYPE_BOOLEAN)
    {
      order_error (error, "paid");
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
