/* er-decision.c: a decision as the platform records it, and the request
 * body that makes one (the LMS's results-callback message). */

#include "config.h"

#include "er-decision.h"
#include "er-error.h"
#include "er-json.h"

struct _ErDecision
{
  GObject    parent_instance;

  char      *receipt_id;
  gboolean   approved;
  ErReasons *reasons;
  char      *decided_by;
  GDateTime *decided_at;
  char      *expected_name;
  char      *source;
};

G_DEFINE_FINAL_TYPE (ErDecision, er_decision, G_TYPE_OBJECT)

ErDecision *
er_decision_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(ErDecision) self = NULL;
  g_autofree char *result = NULL;
  g_autofree char *status = NULL;
  g_autofree char *decided_at = NULL;
  JsonObject *object;
  JsonNode *reason;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = er_json_get_object (node, ER_JSON_DECISION, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (ER_TYPE_DECISION, NULL);

  if (!er_json_read_string (object, "receipt_id", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->receipt_id, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "result", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &result, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "status", NULL, ER_JSON_OPTIONAL,
                            &status, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "decided_by", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->decided_by, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "decided_at", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &decided_at, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "expected_name", NULL, ER_JSON_OPTIONAL,
                            &self->expected_name, ER_JSON_DECISION, error) ||
      !er_json_read_string (object, "source", NULL, ER_JSON_OPTIONAL,
                            &self->source, ER_JSON_DECISION, error))
    return NULL;

  if (g_str_equal (result, "PASS"))
    self->approved = TRUE;
  else if (g_str_equal (result, "FAIL"))
    self->approved = FALSE;
  else
    {
      er_json_error (error, ER_JSON_DECISION, "result");
      return NULL;
    }

  /* status is redundant with result; when present it must agree. */
  if (status != NULL &&
      !g_str_equal (status, self->approved ? "approved" : "denied"))
    {
      er_json_error (error, ER_JSON_DECISION, "status");
      return NULL;
    }

  self->decided_at = g_date_time_new_from_iso8601 (decided_at, NULL);
  if (self->decided_at == NULL)
    {
      er_json_error (error, ER_JSON_DECISION, "decided_at");
      return NULL;
    }

  reason = json_object_get_member (object, "reason");
  self->reasons = er_reasons_new_from_json (reason, NULL);
  if (self->reasons == NULL)
    {
      er_json_error (error, ER_JSON_DECISION, "reason");
      return NULL;
    }
  /* The contract sends "" for PASS; whatever came, an approval has no reasons. */
  if (self->approved && !er_reasons_is_empty (self->reasons))
    {
      er_reasons_free (self->reasons);
      self->reasons = er_reasons_new ();
    }

  return g_steal_pointer (&self);
}

const char *
er_decision_get_receipt_id (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->receipt_id;
}

gboolean
er_decision_get_approved (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), FALSE);
  return self->approved;
}

const ErReasons *
er_decision_get_reasons (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->reasons;
}

const char *
er_decision_get_decided_by (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->decided_by;
}

GDateTime *
er_decision_get_decided_at (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->decided_at;
}

const char *
er_decision_get_expected_name (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->expected_name;
}

const char *
er_decision_get_source (ErDecision *self)
{
  g_return_val_if_fail (ER_IS_DECISION (self), NULL);
  return self->source;
}

JsonNode *
er_decision_build_request (const char      *receipt_id,
                           gboolean         approved,
                           const ErReasons *reasons)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (receipt_id != NULL, NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "EdX-ID");
  json_builder_add_string_value (builder, receipt_id);

  json_builder_set_member_name (builder, "Result");
  json_builder_add_string_value (builder, approved ? "PASS" : "FAIL");

  json_builder_set_member_name (builder, "Reason");
  if (approved)
    json_builder_add_string_value (builder, "");
  else if (reasons != NULL)
    json_builder_add_value (builder, er_reasons_to_json (reasons));
  else
    {
      /* No reasons: an empty list, which the platform refuses with a
       * message the agent can act on (422 invalid_reason). */
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "MessageType");
  json_builder_add_string_value (builder, "");

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
er_decision_finalize (GObject *object)
{
  ErDecision *self = (ErDecision *) object;

  g_clear_pointer (&self->receipt_id, g_free);
  g_clear_pointer (&self->reasons, er_reasons_free);
  g_clear_pointer (&self->decided_by, g_free);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_clear_pointer (&self->expected_name, g_free);
  g_clear_pointer (&self->source, g_free);

  G_OBJECT_CLASS (er_decision_parent_class)->finalize (object);
}

static void
er_decision_class_init (ErDecisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = er_decision_finalize;
}

static void
er_decision_init (ErDecision *self)
{
}
