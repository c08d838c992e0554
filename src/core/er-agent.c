/* er-agent.c: the signed-in agent (GET /me). */

#include "config.h"

#include "er-agent.h"
#include "er-error.h"
#include "er-json.h"

struct _ErAgent
{
  GObject   parent_instance;

  char     *username;
  char     *full_name;
  GStrv     permissions;
};

G_DEFINE_FINAL_TYPE (ErAgent, er_agent, G_TYPE_OBJECT)

static gboolean
read_permissions (JsonObject  *object,
                  GStrv       *out,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, "permissions");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return er_json_error (error, ER_JSON_AGENT, "permissions");

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return er_json_error (error, ER_JSON_AGENT, "permissions");

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

ErAgent *
er_agent_new_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(ErAgent) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = er_json_get_object (node, ER_JSON_AGENT, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (ER_TYPE_AGENT, NULL);

  if (!er_json_read_string (object, "username", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->username, ER_JSON_AGENT, error) ||
      !er_json_read_string (object, "full_name", NULL, ER_JSON_REQUIRED,
                            &self->full_name, ER_JSON_AGENT, error) ||
      !read_permissions (object, &self->permissions, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
er_agent_get_username (ErAgent *self)
{
  g_return_val_if_fail (ER_IS_AGENT (self), NULL);
  return self->username;
}

const char *
er_agent_get_full_name (ErAgent *self)
{
  g_return_val_if_fail (ER_IS_AGENT (self), NULL);
  return self->full_name;
}

gboolean
er_agent_has_permission (ErAgent    *self,
                         const char *permission)
{
  g_return_val_if_fail (ER_IS_AGENT (self), FALSE);
  g_return_val_if_fail (permission != NULL, FALSE);

  return self->permissions != NULL &&
         g_strv_contains ((const char * const *) self->permissions, permission);
}

static void
er_agent_finalize (GObject *object)
{
  ErAgent *self = (ErAgent *) object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->permissions, g_strfreev);

  G_OBJECT_CLASS (er_agent_parent_class)->finalize (object);
}

static void
er_agent_class_init (ErAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = er_agent_finalize;
}

static void
er_agent_init (ErAgent *self)
{
}
