/* er-agent.h: the signed-in agent (GET /me). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ER_TYPE_AGENT (er_agent_get_type ())
G_DECLARE_FINAL_TYPE (ErAgent, er_agent, ER, AGENT, GObject)

ErAgent    *er_agent_new_from_json     (JsonNode *node, GError **error);
const char *er_agent_get_username      (ErAgent *self);
const char *er_agent_get_full_name     (ErAgent *self);
gboolean    er_agent_has_permission    (ErAgent *self, const char *permission);

G_END_DECLS
