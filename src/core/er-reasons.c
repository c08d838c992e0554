/* er-reasons.c: the contract's denial reasons and a set of chosen reasons.
 *
 * The table mirrors "Reasons" in the Review API contract: the LMS only shows
 * the learner a sentence for these exact strings, so the platform refuses
 * any other string in the first two groups. generalReasons may also hold one
 * free-text note, which ErReasons keeps apart from the table reasons.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"
#include "er-reasons.h"

static const ErReasonInfo reason_table[] = {
  { ER_REASON_GROUP_USER_PHOTO, "Image not clear",         "user_image_not_clear",  N_("Learner photo is blurry"),
    N_("Learner photo blurry: image not clear") },
  { ER_REASON_GROUP_USER_PHOTO, "Face out of view",        "user_image_not_clear",  N_("Learner photo is blurry"),
    N_("Learner photo blurry: face out of view") },
  { ER_REASON_GROUP_USER_PHOTO, "Photo not provided",      "user_image_missing",    N_("Learner photo not provided"),
    N_("Learner photo not provided") },
  { ER_REASON_GROUP_PHOTO_ID,   "Not provided",            "id_image_missing",      N_("ID photo not provided"),
    N_("ID photo not provided") },
  { ER_REASON_GROUP_PHOTO_ID,   "Text not clear",          "id_image_not_clear",    N_("ID photo is blurry"),
    N_("ID photo blurry: text not clear") },
  { ER_REASON_GROUP_PHOTO_ID,   "Photo hidden/No photo",   "id_image_not_clear",    N_("ID photo is blurry"),
    N_("ID photo blurry: face on the ID hidden or absent") },
  { ER_REASON_GROUP_PHOTO_ID,   "Invalid Id",              "id_invalid",            N_("ID is invalid"),
    N_("ID invalid") },
  { ER_REASON_GROUP_PHOTO_ID,   "No text",                 "id_invalid",            N_("ID is invalid"),
    N_("ID invalid: no text on the ID") },
  { ER_REASON_GROUP_PHOTO_ID,   "ID name not provided",    "id_image_missing_name", N_("Name missing from ID photo"),
    N_("Name missing from ID photo") },
  { ER_REASON_GROUP_GENERAL,    "Name mismatch",           "name_mismatch",         N_("Name on ID does not match name on account"),
    N_("Name on ID does not match account") },
  { ER_REASON_GROUP_GENERAL,    "EdX name not provided",   "name_mismatch",         N_("Name on ID does not match name on account"),
    N_("Name does not match: no name on the account") },
  { ER_REASON_GROUP_GENERAL,    "Photo/ID Photo mismatch", "photos_mismatched",     N_("Photos are mismatched"),
    N_("Photos mismatched: face and ID photo differ") },
};

/* See er_reason_display_order() in the header. */
static const ErReasonGroup display_groups[ER_N_REASON_GROUPS] = {
  ER_REASON_GROUP_GENERAL,
  ER_REASON_GROUP_PHOTO_ID,
  ER_REASON_GROUP_USER_PHOTO,
};

static const char * const group_keys[ER_N_REASON_GROUPS] = {
  "userPhotoReasons",
  "photoIdReasons",
  "generalReasons",
};

static const char * const group_titles[ER_N_REASON_GROUPS] = {
  N_("Learner photo"),
  N_("ID photo"),
  N_("General"),
};

struct _ErReasons
{
  /* NULL-terminated lists of owned strings, in the order they were added.
   * lists[GENERAL] holds table reasons and, only when more than one free
   * text was added, the extra ones (which validate() refuses). */
  GPtrArray *lists[ER_N_REASON_GROUPS];
  char      *note;
  /* NULL-terminated view of lists[GENERAL] followed by the note (borrowed). */
  GPtrArray *general_view;
};

G_DEFINE_BOXED_TYPE (ErReasons, er_reasons, er_reasons_copy, er_reasons_free)

const ErReasonInfo *
er_reason_table (guint *n_reasons)
{
  if (n_reasons != NULL)
    *n_reasons = G_N_ELEMENTS (reason_table);
  return reason_table;
}

const ErReasonInfo *
er_reason_lookup (const char *reason)
{
  if (reason == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reason_table); i++)
    if (g_str_equal (reason_table[i].reason, reason))
      return &reason_table[i];

  return NULL;
}

const ErReasonGroup *
er_reason_display_groups (void)
{
  return display_groups;
}

const guint *
er_reason_display_order (guint *n_reasons)
{
  static guint order[G_N_ELEMENTS (reason_table)];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      guint n = 0;

      for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
        for (guint i = 0; i < G_N_ELEMENTS (reason_table); i++)
          if (reason_table[i].group == display_groups[g])
            order[n++] = i;
      g_assert (n == G_N_ELEMENTS (reason_table));
      g_once_init_leave (&initialized, 1);
    }

  if (n_reasons != NULL)
    *n_reasons = G_N_ELEMENTS (reason_table);
  return order;
}

const char *
er_reason_group_key (ErReasonGroup group)
{
  g_return_val_if_fail (group < ER_N_REASON_GROUPS, NULL);
  return group_keys[group];
}

const char *
er_reason_group_title (ErReasonGroup group)
{
  g_return_val_if_fail (group < ER_N_REASON_GROUPS, NULL);
  return group_titles[group];
}

static void
update_general_view (ErReasons *self)
{
  GPtrArray *list = self->lists[ER_REASON_GROUP_GENERAL];

  g_ptr_array_set_size (self->general_view, 0);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (self->general_view, g_ptr_array_index (list, i));
  if (self->note != NULL)
    g_ptr_array_add (self->general_view, self->note);
}

static gboolean
list_contains (GPtrArray  *list,
               const char *reason)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), reason))
      return TRUE;
  return FALSE;
}

ErReasons *
er_reasons_new (void)
{
  ErReasons *self = g_new0 (ErReasons, 1);

  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    self->lists[g] = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->general_view = g_ptr_array_new_null_terminated (4, NULL, TRUE);

  return self;
}

ErReasons *
er_reasons_copy (const ErReasons *self)
{
  ErReasons *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = er_reasons_new ();
  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    for (guint i = 0; i < self->lists[g]->len; i++)
      g_ptr_array_add (copy->lists[g], g_strdup (g_ptr_array_index (self->lists[g], i)));
  copy->note = g_strdup (self->note);
  update_general_view (copy);

  return copy;
}

void
er_reasons_free (ErReasons *self)
{
  if (self == NULL)
    return;

  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    g_ptr_array_unref (self->lists[g]);
  g_ptr_array_unref (self->general_view);
  g_free (self->note);
  g_free (self);
}

/* Adds @reason to @group unless it is there already. A general reason that
 * is not in the table is the free-text note; if a note is already set, the
 * extra text is kept (so nothing is silently lost) and validate() refuses it. */
void
er_reasons_add (ErReasons     *self,
                ErReasonGroup  group,
                const char    *reason)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (group < ER_N_REASON_GROUPS);
  g_return_if_fail (reason != NULL);

  if (group == ER_REASON_GROUP_GENERAL && er_reason_lookup (reason) == NULL)
    {
      if (reason[0] == '\0' || g_strcmp0 (self->note, reason) == 0)
        return;
      if (self->note == NULL)
        {
          self->note = g_strdup (reason);
          update_general_view (self);
          return;
        }
    }

  if (list_contains (self->lists[group], reason))
    return;

  g_ptr_array_add (self->lists[group], g_strdup (reason));
  if (group == ER_REASON_GROUP_GENERAL)
    update_general_view (self);
}

void
er_reasons_set_note (ErReasons  *self,
                     const char *note)
{
  g_return_if_fail (self != NULL);

  if (note != NULL && note[0] == '\0')
    note = NULL;

  if (g_strcmp0 (self->note, note) == 0)
    return;

  g_free (self->note);
  self->note = g_strdup (note);
  update_general_view (self);
}

const char *
er_reasons_get_note (const ErReasons *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->note;
}

const char * const *
er_reasons_get (const ErReasons *self,
                ErReasonGroup    group)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (self != NULL, empty);
  g_return_val_if_fail (group < ER_N_REASON_GROUPS, empty);

  if (group == ER_REASON_GROUP_GENERAL)
    return (const char * const *) self->general_view->pdata;
  return (const char * const *) self->lists[group]->pdata;
}

gboolean
er_reasons_is_empty (const ErReasons *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    if (self->lists[g]->len > 0)
      return FALSE;
  return self->note == NULL;
}

static gboolean
only_whitespace (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
er_reasons_validate (const ErReasons  *self,
                     GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (er_reasons_is_empty (self))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                           _("Choose at least one reason for the denial."));
      return FALSE;
    }

  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    {
      GPtrArray *list = self->lists[g];

      for (guint i = 0; i < list->len; i++)
        {
          const char *reason = g_ptr_array_index (list, i);
          const ErReasonInfo *info = er_reason_lookup (reason);

          if (info == NULL && g == ER_REASON_GROUP_GENERAL)
            {
              g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                                   _("Only one note can be sent with a denial. Merge the notes into one."));
              return FALSE;
            }
          if (info == NULL)
            {
              g_set_error (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                           _("“%s” is not a reason the learner can be shown. Choose a reason from the list."),
                           reason);
              return FALSE;
            }
          if (info->group != g)
            {
              g_set_error (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                           _("The reason “%s” belongs to the “%s” group, not to “%s”."),
                           reason, _(group_titles[info->group]), _(group_titles[g]));
              return FALSE;
            }
        }
    }

  if (self->note != NULL)
    {
      glong n_chars;

      if (!g_utf8_validate (self->note, -1, NULL))
        {
          g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                               _("The note contains characters that are not valid text. Retype the note."));
          return FALSE;
        }
      if (only_whitespace (self->note))
        {
          g_set_error_literal (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                               _("The note is empty. Write a note or remove it."));
          return FALSE;
        }
      n_chars = g_utf8_strlen (self->note, -1);
      if (n_chars > ER_REASON_NOTE_MAX_CHARS)
        {
          g_set_error (error, ER_ERROR, ER_ERROR_INVALID_REASON,
                       _("The note has %ld characters; it can have at most %d. Shorten the note."),
                       n_chars, ER_REASON_NOTE_MAX_CHARS);
          return FALSE;
        }
    }

  return TRUE;
}

JsonNode *
er_reasons_to_json (const ErReasons *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    {
      const char * const *list = er_reasons_get (self, g);

      if (list[0] == NULL)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, group_keys[g]);
      json_builder_begin_array (builder);
      for (guint i = 0; list[i] != NULL; i++)
        json_builder_add_string_value (builder, list[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static ErReasons *
parse_error (GError **error)
{
  g_set_error_literal (error, ER_ERROR, ER_ERROR_PARSE,
                       _("The server sent denial reasons that could not be read."));
  return NULL;
}

ErReasons *
er_reasons_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(ErReasons) self = NULL;
  g_autoptr(GString) note = NULL;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = er_reasons_new ();

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&self);

  if (JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      json_node_get_string (node)[0] == '\0')
    return g_steal_pointer (&self);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return parse_error (error);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return parse_error (error);
      object = json_node_get_object (element);

      for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
        {
          JsonNode *member = json_object_get_member (object, group_keys[g]);
          JsonArray *list;

          if (member == NULL)
            continue;
          if (!JSON_NODE_HOLDS_ARRAY (member))
            return parse_error (error);

          list = json_node_get_array (member);
          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              JsonNode *item = json_array_get_element (list, j);
              const char *reason;

              if (!JSON_NODE_HOLDS_VALUE (item) ||
                  json_node_get_value_type (item) != G_TYPE_STRING)
                return parse_error (error);
              reason = json_node_get_string (item);

              /* Free text in generalReasons is the note; should a record
               * hold several, keep them all readable in one note. */
              if (g == ER_REASON_GROUP_GENERAL && er_reason_lookup (reason) == NULL)
                {
                  if (reason[0] == '\0')
                    continue;
                  if (note == NULL)
                    note = g_string_new (reason);
                  else
                    g_string_append_printf (note, "; %s", reason);
                  continue;
                }

              er_reasons_add (self, g, reason);
            }
        }
    }

  if (note != NULL)
    er_reasons_set_note (self, note->str);

  return g_steal_pointer (&self);
}
