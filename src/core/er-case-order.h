/* er-case-order.h: the order behind the open case, for its header.
 *
 * An e-mailed case names the learner's order (its invoice number); the
 * order (GET /orders/{invoice}) says which course the verification is for
 * and by when the learner must be verified. ErCaseOrder follows one case
 * (property "case", set by the review session to its open case) and loads
 * that case's order in the background: a new case cancels the load of the
 * previous one, whose answer is never shown.
 *
 * Properties, for the header to bind to:
 *   "state"         ErCaseOrderState (an int), what there is to show;
 *   "order"         the ErOrder once READY (NULL otherwise);
 *   "deadline-past" READY and the order's verification deadline is before
 *                   the moment the order arrived.
 * A webcam case (the contract gives it no order), no case, or an agent
 * without the manual_cases permission (the platform would refuse the
 * lookup) is NONE: nothing is asked and nothing is shown. The case stays
 * reviewable whatever the state.
 */
#pragma once

#include <gio/gio.h>

#include "er-case.h"
#include "er-client.h"
#include "er-order.h"

G_BEGIN_DECLS

typedef enum {
  ER_CASE_ORDER_NONE,       /* nothing to show */
  ER_CASE_ORDER_LOADING,    /* asked; the header keeps a line for it */
  ER_CASE_ORDER_READY,      /* "order" is set */
  ER_CASE_ORDER_NOT_FOUND,  /* 404 unknown_invoice */
  ER_CASE_ORDER_FAILED,     /* any other failure (server, network, a bad answer) */
} ErCaseOrderState;

#define ER_TYPE_CASE_ORDER (er_case_order_get_type ())
G_DECLARE_FINAL_TYPE (ErCaseOrder, er_case_order, ER, CASE_ORDER, GObject)

/* allowed: whether the agent may look orders up (the manual_cases permission). */
ErCaseOrder      *er_case_order_new               (ErClient *client, gboolean allowed);
void              er_case_order_set_case          (ErCaseOrder *self, ErCase *kase);
ErCase           *er_case_order_get_case          (ErCaseOrder *self);
ErCaseOrderState  er_case_order_get_state         (ErCaseOrder *self);
ErOrder          *er_case_order_get_order         (ErCaseOrder *self);
gboolean          er_case_order_get_deadline_past (ErCaseOrder *self);

G_END_DECLS
