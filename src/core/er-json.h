/* er-json.h: checked reading of the Review API's JSON, shared by the models.
 *
 * Private to the core layer. Every failure is an ER_ERROR_PARSE whose
 * message names the kind of object and the member that could not be read.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What is being read: selects the (translated) message of the error. */
typedef enum {
  ER_JSON_CASE,
  ER_JSON_DECISION,
  ER_JSON_ORDER,
  ER_JSON_AGENT,
} ErJsonKind;

typedef enum {
  ER_JSON_OPTIONAL  = 0,
  ER_JSON_REQUIRED  = 1 << 0,  /* absent or null is an error */
  ER_JSON_NON_EMPTY = 1 << 1,  /* "" is an error */
} ErJsonFlags;

/* The most a JSON text from the network may nest arrays and objects, and
 * the most values it may hold: json-glib 1.6 parses recursively (about
 * 75 000 levels overflow the stack) and builds a node for every value. The
 * contract nests at most 4 levels; a page of 200 cases holds some 10 000
 * values. */
#define ER_JSON_MAX_DEPTH  64
#define ER_JSON_MAX_VALUES (256 * 1024)

gboolean    er_json_check_bounds (const char  *data,
                                  gsize        size,
                                  guint        max_depth,
                                  guint        max_values,
                                  GError     **error);
gboolean    er_json_load        (JsonParser   *parser,
                                 const char   *data,
                                 gsize         size,
                                 GError      **error);
gboolean    er_json_error       (GError      **error,
                                 ErJsonKind    what,
                                 const char   *member);
JsonObject *er_json_get_object  (JsonNode     *node,
                                 ErJsonKind    what,
                                 GError      **error);
gboolean    er_json_read_string (JsonObject   *object,
                                 const char   *member,
                                 const char   *label,
                                 ErJsonFlags   flags,
                                 char        **out,
                                 ErJsonKind    what,
                                 GError      **error);
gboolean    er_json_read_time   (JsonObject   *object,
                                 const char   *member,
                                 const char   *label,
                                 ErJsonFlags   flags,
                                 GDateTime   **out,
                                 ErJsonKind    what,
                                 GError      **error);

G_END_DECLS
