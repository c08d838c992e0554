/* er-outbox-json.c: the outbox file's contents, entries to JSON and back;
 * every member checked when read (an entry that is wrong is left out).
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "er-outbox-private.h"

static const char *
state_to_string (ErOutboxState state)
{
  switch (state)
    {
    case ER_OUTBOX_SENDING:
      return "sending";
    case ER_OUTBOX_FAILED:
      return "failed";
    case ER_OUTBOX_WAITING:
    default:
      return "waiting";
    }
}

static gboolean
state_from_string (const char    *text,
                   ErOutboxState *out)
{
  if (g_strcmp0 (text, "waiting") == 0)
    *out = ER_OUTBOX_WAITING;
  else if (g_strcmp0 (text, "sending") == 0)
    *out = ER_OUTBOX_SENDING;
  else if (g_strcmp0 (text, "failed") == 0)
    *out = ER_OUTBOX_FAILED;
  else
    return FALSE;
  return TRUE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format_iso8601 (utc);
}

static JsonNode *
entry_to_json (const ErOutboxEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *decided_at = format_time (entry->decided_at);
  g_autofree char *due_at = format_time (entry->due_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, entry->key);
  json_builder_set_member_name (builder, "receipt_id");
  json_builder_add_string_value (builder, entry->receipt_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, entry->name);
  json_builder_set_member_name (builder, "approved");
  json_builder_add_boolean_value (builder, entry->approved);
  if (entry->reasons != NULL)
    {
      json_builder_set_member_name (builder, "reasons");
      json_builder_add_value (builder, er_reasons_to_json (entry->reasons));
    }
  json_builder_set_member_name (builder, "decided_at");
  json_builder_add_string_value (builder, decided_at);
  json_builder_set_member_name (builder, "due_at");
  json_builder_add_string_value (builder, due_at);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state_to_string (entry->state));
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, entry->attempts);
  json_builder_set_member_name (builder, "error");
  if (entry->error != NULL)
    json_builder_add_string_value (builder, entry->error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
_er_outbox_entries_to_data (GPtrArray *entries,
                            gsize     *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < entries->len; i++)
    json_array_add_element (array, entry_to_json (g_ptr_array_index (entries, i)));

  json_object_set_int_member (object, "version", OUTBOX_VERSION);
  json_object_set_array_member (object, "entries", array);
  json_node_set_object (root, object);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

/* Reads a member that must be a string (non-empty unless allow_empty). */
static const char *
read_string (JsonObject *object,
             const char *member,
             gboolean    allow_empty)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  if (!allow_empty && *value == '\0')
    return NULL;
  return value;
}

static GDateTime *
read_time (JsonObject *object,
           const char *member)
{
  const char *text = read_string (object, member, FALSE);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* One entry, every member checked; NULL (with a debug line) when anything is wrong. */
static ErOutboxEntry *
entry_from_json (JsonNode *node)
{
  g_autoptr(ErOutboxEntry) entry = _er_outbox_entry_new ();
  JsonObject *object;
  JsonNode *member;
  const char *text;
  gint64 attempts;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

#define CHECK(condition, what) \
  G_STMT_START { if (!(condition)) { g_debug ("Outbox entry: bad %s", what); return NULL; } } G_STMT_END

  text = read_string (object, "key", FALSE);
  CHECK (text != NULL, "key");
  entry->key = g_strdup (text);

  text = read_string (object, "receipt_id", FALSE);
  CHECK (text != NULL, "receipt_id");
  entry->receipt_id = g_strdup (text);

  text = read_string (object, "name", TRUE);
  CHECK (text != NULL, "name");
  entry->name = g_strdup (text);

  member = json_object_get_member (object, "approved");
  CHECK (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_BOOLEAN, "approved");
  entry->approved = json_node_get_boolean (member);

  if (!entry->approved)
    {
      g_autoptr(GError) error = NULL;

      member = json_object_get_member (object, "reasons");
      CHECK (member != NULL && JSON_NODE_HOLDS_ARRAY (member), "reasons");
      entry->reasons = er_reasons_new_from_json (member, &error);
      CHECK (entry->reasons != NULL && !er_reasons_is_empty (entry->reasons), "reasons");
    }

  entry->decided_at = read_time (object, "decided_at");
  CHECK (entry->decided_at != NULL, "decided_at");
  entry->due_at = read_time (object, "due_at");
  CHECK (entry->due_at != NULL, "due_at");

  CHECK (state_from_string (read_string (object, "state", FALSE), &entry->state), "state");

  member = json_object_get_member (object, "attempts");
  CHECK (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_INT64, "attempts");
  attempts = json_node_get_int (member);
  CHECK (attempts >= 0 && attempts <= G_MAXUINT, "attempts");
  entry->attempts = (guint)attempts;

  member = json_object_get_member (object, "error");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      text = read_string (object, "error", TRUE);
      CHECK (text != NULL, "error");
      entry->error = g_strdup (text);
    }
  CHECK (entry->state != ER_OUTBOX_FAILED || entry->error != NULL, "error");

#undef CHECK

  return g_steal_pointer (&entry);
}

/* The entries of a file's contents, or NULL when it is not an outbox. */
GPtrArray *
_er_outbox_entries_from_data (const char *data,
                              gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)er_outbox_entry_unref);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonNode *member;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_debug ("Outbox: %s", error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));

  member = json_object_get_member (root, "version");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) != OUTBOX_VERSION)
    {
      g_debug ("Outbox: not version %d", OUTBOX_VERSION);
      return NULL;
    }

  member = json_object_get_member (root, "entries");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return NULL;
  array = json_node_get_array (member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ErOutboxEntry *entry = entry_from_json (json_array_get_element (array, i));

      if (entry == NULL)
        return NULL;
      entry->seq = i;
      g_ptr_array_add (entries, entry);
      if (!g_hash_table_add (keys, entry->key))
        {
          g_debug ("Outbox: the key %s appears twice", entry->key);
          return NULL;
        }
    }

  return g_steal_pointer (&entries);
}
