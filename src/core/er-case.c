/* er-case.c: one verification attempt (a "case" of the Review API).
 *
 * A case is immutable once parsed: a claim or a decision gives a new case
 * from the server. The one exception is "name-shared", which is no data of
 * the server's: the queue listing the case sets it (er-review-queue.c). The JSON is walked with a check at every step; anything
 * that is not what the contract says is an ER_ERROR_PARSE naming the member.
 */

#include "config.h"

#include <string.h>

#include "er-case.h"
#include "er-error.h"
#include "er-json.h"

struct _ErCase
{
  GObject       parent_instance;

  char         *receipt_id;
  ErCaseSource  source;
  ErCaseStatus  status;
  GDateTime    *submitted_at;
  char         *expected_name;
  char         *name_key;       /* er_case_name_key (expected_name), when asked */
  char         *username;
  char         *email;
  char         *invoice_number;
  guint         attempt;
  ErReasons    *previous_reasons;
  char         *claimed_by;
  GDateTime    *claim_expires_at;
  ErPhotoRef   *user_photo;
  ErPhotoRef   *photo_id;
  gboolean      name_shared;
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
  PROP_NAME_SHARED,
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
    return er_json_error (error, ER_JSON_CASE, member);
  photo = json_node_get_object (node);

  if (!er_json_read_string (photo, "url", url_label, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &url, ER_JSON_CASE, error) ||
      !er_json_read_string (photo, "key", key_label, ER_JSON_OPTIONAL, &key, ER_JSON_CASE, error))
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
    return er_json_error (error, ER_JSON_CASE, "attempt");

  value = json_node_get_int (node);
  if (value < 1 || value > G_MAXUINT)
    return er_json_error (error, ER_JSON_CASE, "attempt");

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
    return er_json_error (error, ER_JSON_CASE, "claim");
  claim = json_node_get_object (node);

  if (!er_json_read_string (claim, "agent", "claim.agent", ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            agent, ER_JSON_CASE, error))
    return FALSE;

  if (!er_json_read_time (claim, "expires_at", "claim.expires_at", ER_JSON_NON_EMPTY,
                          expires_at, ER_JSON_CASE, error))
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

  object = er_json_get_object (node, ER_JSON_CASE, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (ER_TYPE_CASE, NULL);

  if (!er_json_read_string (object, "receipt_id", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &self->receipt_id, ER_JSON_CASE, error))
    return NULL;

  if (!er_json_read_string (object, "source", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &source, ER_JSON_CASE, error))
    return NULL;
  if (!parse_enum (source, sources, G_N_ELEMENTS (sources), &value))
    {
      er_json_error (error, ER_JSON_CASE, "source");
      return NULL;
    }
  self->source = value;

  if (!er_json_read_string (object, "status", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                            &status, ER_JSON_CASE, error))
    return NULL;
  if (!parse_enum (status, statuses, G_N_ELEMENTS (statuses), &value))
    {
      er_json_error (error, ER_JSON_CASE, "status");
      return NULL;
    }
  self->status = value;

  if (!er_json_read_time (object, "submitted_at", NULL, ER_JSON_REQUIRED | ER_JSON_NON_EMPTY,
                          &self->submitted_at, ER_JSON_CASE, error) ||
      !er_json_read_string (object, "expected_name", NULL, ER_JSON_REQUIRED,
                            &self->expected_name, ER_JSON_CASE, error) ||
      !read_photo (object, "user_photo", &self->user_photo, error) ||
      !read_photo (object, "photo_id", &self->photo_id, error) ||
      !er_json_read_string (object, "username", NULL, ER_JSON_OPTIONAL,
                            &self->username, ER_JSON_CASE, error) ||
      !er_json_read_string (object, "email", NULL, ER_JSON_OPTIONAL,
                            &self->email, ER_JSON_CASE, error) ||
      !er_json_read_string (object, "invoice_number", NULL, ER_JSON_OPTIONAL,
                            &self->invoice_number, ER_JSON_CASE, error) ||
      !read_attempt (object, &self->attempt, error) ||
      !read_claim (object, &self->claimed_by, &self->claim_expires_at, error))
    return NULL;

  previous = json_object_get_member (object, "previous_reasons");
  if (previous != NULL && !JSON_NODE_HOLDS_NULL (previous))
    {
      g_autoptr(ErReasons) reasons = er_reasons_new_from_json (previous, NULL);

      if (reasons == NULL)
        {
          er_json_error (error, ER_JSON_CASE, "previous_reasons");
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
er_case_get_name_key (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), NULL);

  /* The queue asks for every listed case's at every change of the list. */
  if (self->name_key == NULL && self->expected_name != NULL)
    self->name_key = er_case_name_key (self->expected_name);
  return self->name_key;
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
  g_clear_pointer (&self->name_key, g_free);
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

char *
er_case_name_key (const char *name)
{
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  GString *key;
  gboolean space = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  normal = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)  /* not UTF-8: only equal to itself */
    return g_strdup (name);
  folded = g_utf8_casefold (normal, -1);
  key = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = key->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (key, ' ');
      space = FALSE;
      g_string_append_unichar (key, c == 0x2019 ? '\'' : c);
    }
  return g_string_free (key, FALSE);
}

gboolean
er_case_get_name_shared (ErCase *self)
{
  g_return_val_if_fail (ER_IS_CASE (self), FALSE);
  return self->name_shared;
}

void
er_case_set_name_shared (ErCase   *self,
                         gboolean  shared)
{
  g_return_if_fail (ER_IS_CASE (self));

  shared = !!shared;
  if (self->name_shared == shared)
    return;
  self->name_shared = shared;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME_SHARED]);
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

    case PROP_NAME_SHARED:
      g_value_set_boolean (value, self->name_shared);
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
  properties[PROP_NAME_SHARED] =
    g_param_spec_boolean ("name-shared", NULL, NULL, FALSE, flags | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_case_init (ErCase *self)
{
  self->attempt = 1;
}
