/* er-decision.h: a decision as the platform records it. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "er-case.h"
#include "er-reasons.h"

G_BEGIN_DECLS

#define ER_TYPE_DECISION (er_decision_get_type ())
G_DECLARE_FINAL_TYPE (ErDecision, er_decision, ER, DECISION, GObject)

/* {"receipt_id", "status", "result", "reason", "decided_by", "decided_at",
 *  optional "expected_name", "source"}; unknown members ignored. */
ErDecision   *er_decision_new_from_json     (JsonNode *node, GError **error);

const char   *er_decision_get_receipt_id    (ErDecision *self);
gboolean      er_decision_get_approved      (ErDecision *self);  /* result == PASS */
const ErReasons *er_decision_get_reasons    (ErDecision *self);  /* empty for PASS */
const char   *er_decision_get_decided_by    (ErDecision *self);
GDateTime    *er_decision_get_decided_at    (ErDecision *self);
const char   *er_decision_get_expected_name (ErDecision *self);  /* nullable */
const char   *er_decision_get_source        (ErDecision *self);  /* nullable */

/* The request body of POST /cases/{id}/decision (the LMS results-callback message):
 * {"EdX-ID", "Result": "PASS"|"FAIL", "Reason": "" | [...], "MessageType": ""}.
 * reasons is ignored when approved. */
JsonNode     *er_decision_build_request     (const char      *receipt_id,
                                             gboolean         approved,
                                             const ErReasons *reasons);

G_END_DECLS
