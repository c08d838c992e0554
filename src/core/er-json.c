/* er-json.c: checked reading of the Review API's JSON, shared by the models.
 *
 * The JSON is walked with a check at every step; anything that is not what
 * the contract says is an ER_ERROR_PARSE naming the member.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"
#include "er-json.h"

/* A linear pre-scan of a JSON text, before it reaches json-glib: fails
 * with ER_ERROR_PARSE when arrays and objects nest deeper than @max_depth
 * or when it holds more than @max_values values (counted by their
 * separators and openings, which is enough for a bound). Strings, escapes
 * included, are skipped: a "[" in a string does not count. Whether the
 * text is otherwise valid is left to the parser. */
gboolean
er_json_check_bounds (const char  *data,
                      gsize        size,
                      guint        max_depth,
                      guint        max_values,
                      GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint values = 1;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                           _("The server sent a response nested more than %u levels deep, "
                             "which EDUlib Reviewer does not read. The server may run an "
                             "incompatible version."), max_depth);
              return FALSE;
            }
          values++;
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case ',':
          values++;
          break;

        default:
          break;
        }

      if (values > max_values)
        {
          g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                       _("The server sent a response with more than %u values, which "
                         "EDUlib Reviewer does not read. The server may run an "
                         "incompatible version."), max_values);
          return FALSE;
        }
    }

  return TRUE;
}

/* json_parser_load_from_data() for a text from the network, within
 * ER_JSON_MAX_DEPTH and ER_JSON_MAX_VALUES: a text beyond them is an
 * ER_ERROR_PARSE without being parsed, as is a text that does not parse. */
gboolean
er_json_load (JsonParser  *parser,
              const char  *data,
              gsize        size,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!er_json_check_bounds (data, size, ER_JSON_MAX_DEPTH, ER_JSON_MAX_VALUES, error))
    return FALSE;

  if (!json_parser_load_from_data (parser, data, (gssize)size, &local_error))
    {
      g_debug ("Response body: %s", local_error->message);
      g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE,
                           _("The server sent a response that is not valid JSON. The "
                             "server may run an incompatible version."));
      return FALSE;
    }

  return TRUE;
}

/* Sets the error for @member of @what and returns FALSE. */
gboolean
er_json_error (GError     **error,
               ErJsonKind   what,
               const char  *member)
{
  switch (what)
    {
    case ER_JSON_CASE:
      g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                   _("The server sent a case that could not be read (member “%s”)."),
                   member);
      break;

    case ER_JSON_DECISION:
      g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                   _("The server sent a decision that could not be read (member “%s”)."),
                   member);
      break;

    case ER_JSON_ORDER:
      g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                   _("The server sent an order that could not be read (member “%s”)."),
                   member);
      break;

    case ER_JSON_AGENT:
      g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
                   _("The server sent an agent profile that could not be read (member “%s”)."),
                   member);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* The object held by @node, or NULL with an error when it holds none. */
JsonObject *
er_json_get_object (JsonNode    *node,
                    ErJsonKind   what,
                    GError     **error)
{
  const char *message = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  switch (what)
    {
    case ER_JSON_CASE:
      message = _("The server sent a case that could not be read.");
      break;

    case ER_JSON_DECISION:
      message = _("The server sent a decision that could not be read.");
      break;

    case ER_JSON_ORDER:
      message = _("The server sent an order that could not be read.");
      break;

    case ER_JSON_AGENT:
      message = _("The server sent an agent profile that could not be read.");
      break;

    default:
      g_assert_not_reached ();
    }

  g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE, message);
  return NULL;
}

/* Reads a string member. Absent or null is an error with ER_JSON_REQUIRED,
 * otherwise *out is NULL. @label names the member in the error (NULL: the
 * member itself). */
gboolean
er_json_read_string (JsonObject   *object,
                     const char   *member,
                     const char   *label,
                     ErJsonFlags   flags,
                     char        **out,
                     ErJsonKind    what,
                     GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (label == NULL)
    label = member;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return (flags & ER_JSON_REQUIRED) ? er_json_error (error, what, label) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return er_json_error (error, what, label);

  if ((flags & ER_JSON_NON_EMPTY) && json_node_get_string (node)[0] == '\0')
    return er_json_error (error, what, label);

  *out = json_node_dup_string (node);
  return TRUE;
}

/* Reads an RFC 3339 time, which must carry its offset ("Z" or "+hh:mm").
 * @flags as for er_json_read_string(); "" is never a time. */
gboolean
er_json_read_time (JsonObject   *object,
                   const char   *member,
                   const char   *label,
                   ErJsonFlags   flags,
                   GDateTime   **out,
                   ErJsonKind    what,
                   GError      **error)
{
  g_autofree char *text = NULL;

  if (label == NULL)
    label = member;

  *out = NULL;

  if (!er_json_read_string (object, member, label, flags, &text, what, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* With no default time zone, a time without an offset is refused. */
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    return er_json_error (error, what, label);

  return TRUE;
}
