/* er-order.h: an order looked up by invoice number (GET /orders/{invoice}). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ER_TYPE_ORDER (er_order_get_type ())
G_DECLARE_FINAL_TYPE (ErOrder, er_order, ER, ORDER, GObject)

ErOrder    *er_order_new_from_json              (JsonNode *node, GError **error);
const char *er_order_get_invoice_number         (ErOrder *self);
const char *er_order_get_username               (ErOrder *self);
const char *er_order_get_full_name              (ErOrder *self);
const char *er_order_get_email                  (ErOrder *self);  /* nullable */
const char *er_order_get_course_id              (ErOrder *self);  /* nullable */
const char *er_order_get_course_name            (ErOrder *self);  /* nullable */
const char *er_order_get_mode                   (ErOrder *self);  /* nullable */
gboolean    er_order_get_paid                   (ErOrder *self);
GDateTime  *er_order_get_paid_at                (ErOrder *self);  /* nullable */
const char *er_order_get_amount                 (ErOrder *self);  /* nullable */
const char *er_order_get_currency               (ErOrder *self);  /* nullable */
GDateTime  *er_order_get_upgrade_deadline       (ErOrder *self);  /* nullable */
GDateTime  *er_order_get_verification_deadline  (ErOrder *self);  /* nullable */
const char *er_order_get_verification_status    (ErOrder *self);  /* none|pending|approved|denied|expired */

G_END_DECLS
