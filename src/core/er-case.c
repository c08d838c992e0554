/* er-case.c: one verification attempt (a "case" of the Review API).
 *
 * A case is immutable once parsed: a claim or a decision gives a new case
 * from the server. The JSON is walked with a check at every step; anything
 * that is not what the contract says is an ER_ERROR_PARSE naming the member.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-case.h"
#include "er-error.h"

struct _ErCase
{
  GObject       parent_instance;

  char         *receipt_id;
  ErCaseSource  source;
  ErCaseStatus  status;
  GDateTime    *submitted_at;
  char         *expected_name;
  char         *username;
  char         *email;
  char         *invoice_number;
  guint         attempt;
  ErReasons    *previous_reasons;
  char         *claimed_by;
  GDateTime    *claim_expires_at;
  ErPhotoRef   *user_photo;
  ErPhotoRef   *photo_id;
};

G_DEFINE_FINAL_TYPE (ErCase, er_case, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECEIPT_ID,
  PROP_SOURCE,
  PROP_STATUS,
  PROP_SUBMITTED_AT,
  PROP_EXPECTED_NAME,
  PROP_USERNAME,
  PROP_EMAIL,
  PROP_INVOICE_NUMBER,
  PROP_ATTEMPT,
  PROP_CLAIMED_BY,
  PROP_CLAIM_EXPIRES_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ErPhotoRef */

G_DEFINE_BOXED_TYPE (ErPhotoRef, er_photo_ref, er_photo_ref_copy, er_photo_ref_free)

ErPhotoRef *
er_photo_ref_new (const char *url,
                  const char *key)
{
  ErPhotoRef *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (ErPhotoRef, 1);
  self->url = g_strdup (url);
  self->key = g_strdup (key);
  return self;
}

ErPhotoRef *
er_photo_ref_copy (const ErPhotoRef *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return er_photo_ref_new (self->url, self->key);
}

void
er_photo_ref_free (ErPhotoRef *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->key);
  g_free (self);
}

/* Enum types, so that list rows can bind "source" and "status". */

static GType
er_case_source_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { ER_CASE_SOURCE_WEBCAM, "ER_CASE_SOURCE_WEBCAM", "webcam" },
        { ER_CASE_SOURCE_EMAIL, "ER_CASE_SOURCE_EMAIL", "email" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("ErCaseSource"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

static GType
er_case_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { ER_CASE_STATUS_PENDING, "ER_CASE_STATUS_PENDING", "pending" },
        { ER_CASE_STATUS_APPROVED, "ER_CASE_STATUS_APPROVED", "approved" },
        { ER_CASE_STATUS_DENIED, "ER_CASE_STATUS_DENIED", "denied" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("ErCaseStatus"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
er_case_source_to_string (ErCaseSource source)
{
  switch (source)
    {
    case ER_CASE_SOURCE_WEBCAM:
      return "webcam";
    case ER_CASE_SOURCE_EMAIL:
      return "email";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Checked JSON walking */

static gboolean
case_error (GError     **error,
            const char  *member)
{
  g_set_error (error, ER_ERROR, ER_ERROR_PARSE,
               _("The server sent a case that could not be read (member “%s”)."),
               member);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Reads a string member. Absent or null is an error when @required,
 * otherwise *out is NULL. @label names the member in the error. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char  *label,
             gboolean     required,
             gboolean     non_empty,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? case_error (error, label) : TRUE;

  if (!is_string (node))
    return case_error (error, label);

  if (non_empty && json_node_get_string (node)[0] == '\0')
    return case_error (error, label);

  *out = json_node_dup_string (node);
  return TRUE;
}

/* RFC 3339: the time must carry its offset ("Z" or "+hh:mm"). */
static gboolean
read_time (JsonObject  *object,
           const char  *member,
           const char  *label,
           gboolean     required,
           GDateTime  **out,
           GError     **error)
{
  g_autofree char *text = NULL;

  *out = NULL;

  if (!read_string (object, member, label, required, TRUE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* With no default time zone, a time without an offset is refused. */
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    return case_error (error, label);

  return TRUE;
}

static gboolean
read_photo (JsonObject  *object,
            const char  *member,
            ErPhotoRef **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *url_label = g_strconcat (member, ".url", NULL);
  g_autofree char *key_label = g_strconcat (member, ".key", NULL);
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  JsonObject *photo;

  *out = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return case_error (error, member);
  photo = json_node_get_object (node);

  if (!read_string (photo, "url", url_label, TRUE, TRUE, &url, error) ||
      !read_string (photo, "key", key_label, FALSE, FALSE, &key, error))
    return FALSE;

  *out = er_photo_ref_new (url, key);
  return TRUE;
}

static gboolean
read_attempt (JsonObject  *object,
              guint       *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, "attempt");
  gint64 value;

  *out = 1;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return case_error (error, "attempt");

  value = json_node_get_int (node);
  if (value < 1 || value > G_MAXUINT)
    return case_error (error, "attempt");

  *out = (guint) value;
  return TRUE;
}

static gboolean
read_claim (JsonObject  *object,
            char       **agent,
            GDateTime  **expires_at,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, "claim");
  JsonObject *claim;

  *agent = NULL;
  *expires_at = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return case_error (error, "claim");
  claim = json_node_get_object (node);

  if (!read_string (claim, "agent", "claim.agent", TRUE, TRUE, agent, error))
    return FALSE;

  if (!read_time (claim, "expires_at", "claim.expires_at", FALSE, expires_at, error))
    {
      g_clear_pointer (agent, g_free);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_enum (const char        *text,
            const char * const names[],
            guint              n_names,
            guint             *out)
{
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (text, names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

ErCase *
er_case_new_from_json (JsonNode  *node,
                       GError   **error)
{
  static const char * const sources[] = { "webcam", "email" };
  static const char * const statuses[] = { "pending", "approved", "denied" };
  g_autoptr(ErCase) self = NULL;
  g_autofree char *source = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *previous;
  guint value;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE,
                           _("The server sent a case that could not be read."));
      return NULL;
    }
  object = json_node_get_object (node);

  self = g_object_new (ER_TYPE_CASE, NULL);

  if (!read_string (object, "receipt_id", "receipt_id", TRUE, TRUE, &self->receipt_id, error))
    return NULL;

  if (!read_string (object, "source", "source", TRUE, TRUE, &source, error))
    return NULL;
  if (!parse_enum (source, sources, G_N_ELEMENTS (sources), &value))
    {
      case_error (error, "source");
      return NULL;
    }
  self->source = value;

  if (!read_string (object, "status", "status", TRUE, TRUE, &status, error))
    return NULL;
  if (!parse_enum (status, statuses, G_N_ELEMENTS (statuses), &value))
    {
      case_error (error, "status");
      return NULL;
    }
  self->status = value;

  if (!read_time (object, "submitted_at", "submitted_at", TRUE, &self->submitted_at, error) ||
      !read_string (object, "expected_name", "expected_name", TRUE, FALSE, &self->expected_name, error) ||
      !read_photo (object, "user_photo", &self->user_photo, error) ||
      !read_photo (object, "photo_id", &self->photo_id, error) ||
      !read_string (object, "username", "username", FALSE, FALSE, &self->username, error) ||
      !read_string (object, "email", "email", FALSE, FALSE, &self->email, error) ||
      !read_string (object, "invoice_number", "invoice_number", FALSE, FALSE, &self->invoice_number, error) ||
      !read_attempt (object, &self->attempt, error) ||
      !read_claim (object, &self->claimed_by, &self->claim_expires_at, error))
    return NULL;

  previous = json_object_get_member (object, "previous_reasons");
  if (previous != NULL && !JSON_NODE_HOLDS_NULL (previous))
    {
      g_autoptr(ErReasons) reasons = er_reasons_new_from_json (previous, NULL);

      if (reasons == NULL)
        {
          case_error (error, "previous_reasons");
          return NULL;
        }
      if (!er_reasons_is_empty (reasons))
        self->previous_reasons = g_steal_pointer (&reasons);
    }

  return g_steal_pointer (&self);
}

/* Accessors */

const char *
er_case_get_receipt_id (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->receipt_id;
}

ErCaseSource
er_case_get_source (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), ER_CASE_SOURCE_WEBCAM);
  return self->source;
}

ErCaseStatus
er_case_get_status (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), ER_CASE_STATUS_PENDING);
  return self->status;
}

GDateTime *
er_case_get_submitted_at (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->submitted_at;
}

const char *
er_case_get_expected_name (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->expected_name;
}

const char *
er_case_get_username (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->username;
}

const char *
er_case_get_email (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->email;
}

const char *
er_case_get_invoice_number (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->invoice_number;
}

guint
er_case_get_attempt (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), 1);
  return self->attempt;
}

const ErReasons *
er_case_get_previous_reasons (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->previous_reasons;
}

const char *
er_case_get_claimed_by (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->claimed_by;
}

GDateTime *
er_case_get_claim_expires_at (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->claim_expires_at;
}

const ErPhotoRef *
er_case_get_user_photo (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->user_photo;
}

const ErPhotoRef *
er_case_get_photo_id (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);
  return self->photo_id;
}

/* GObject */

static void
er_case_finalize (GObject *object)
{
  ErCase *self = (ErCase *) object;

  g_clear_pointer (&self->receipt_id, g_free);
  g_clear_pointer (&self->submitted_at, g_date_time_unref);
  g_clear_pointer (&self->expected_name, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->invoice_number, g_free);
  g_clear_pointer (&self->previous_reasons, er_reasons_free);
  g_clear_pointer (&self->claimed_by, g_free);
  g_clear_pointer (&self->claim_expires_at, g_date_time_unref);
  g_clear_pointer (&self->user_photo, er_photo_ref_free);
  g_clear_pointer (&self->photo_id, er_photo_ref_free);

  G_OBJECT_CLASS (er_case_parent_class)->finalize (object);
}

static void
er_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  ErCase *self = ER_CASE (object);

  switch (prop_id)
    {
    case PROP_RECEIPT_ID:
      g_value_set_string (value, self->receipt_id);
      break;

    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_SUBMITTED_AT:
      g_value_set_boxed (value, self->submitted_at);
      break;

    case PROP_EXPECTED_NAME:
      g_value_set_string (value, self->expected_name);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_INVOICE_NUMBER:
      g_value_set_string (value, self->invoice_number);
      break;

    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;

    case PROP_CLAIMED_BY:
      g_value_set_string (value, self->claimed_by);
      break;

    case PROP_CLAIM_EXPIRES_AT:
      g_value_set_boxed (value, self->claim_expires_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_class_init (ErCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = er_case_finalize;
  object_class->get_property = er_case_get_property;

  properties[PROP_RECEIPT_ID] =
    g_param_spec_string ("receipt-id", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       er_case_source_get_type (), ER_CASE_SOURCE_WEBCAM, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       er_case_status_get_type (), ER_CASE_STATUS_PENDING, flags);
  properties[PROP_SUBMITTED_AT] =
    g_param_spec_boxed ("submitted-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_EXPECTED_NAME] =
    g_param_spec_string ("expected-name", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_INVOICE_NUMBER] =
    g_param_spec_string ("invoice-number", NULL, NULL, NULL, flags);
  properties[PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL, 1, G_MAXUINT, 1, flags);
  properties[PROP_CLAIMED_BY] =
    g_param_spec_string ("claimed-by", NULL, NULL, NULL, flags);
  properties[PROP_CLAIM_EXPIRES_AT] =
    g_param_spec_boxed ("claim-expires-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_case_init (ErCase *self)
{
  self->attempt = 1;
}
