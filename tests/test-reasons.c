/* test-reasons.c: the contract's reason table and ErReasons. */

#include <string.h>

#include <json-glib/json-glib.h>

#include "er-error.h"
#include "er-reasons.h"

/* The contract's table, copied by hand from review-api-v1.md. */
static const struct {
  ErReasonGroup group;
  const char *reason;
  const char *lms_code;
  const char *learner_text;
} expected_table[] = {
  { ER_REASON_GROUP_USER_PHOTO, "Image not clear", "user_image_not_clear", "Learner photo is blurry" },
  { ER_REASON_GROUP_USER_PHOTO, "Face out of view", "user_image_not_clear", "Learner photo is blurry" },
  { ER_REASON_GROUP_USER_PHOTO, "Photo not provided", "user_image_missing", "Learner photo not provided" },
  { ER_REASON_GROUP_PHOTO_ID, "Not provided", "id_image_missing", "ID photo not provided" },
  { ER_REASON_GROUP_PHOTO_ID, "Text not clear", "id_image_not_clear", "ID photo is blurry" },
  { ER_REASON_GROUP_PHOTO_ID, "Photo hidden/No photo", "id_image_not_clear", "ID photo is blurry" },
  { ER_REASON_GROUP_PHOTO_ID, "Invalid Id", "id_invalid", "ID is invalid" },
  { ER_REASON_GROUP_PHOTO_ID, "No text", "id_invalid", "ID is invalid" },
  { ER_REASON_GROUP_PHOTO_ID, "ID name not provided", "id_image_missing_name", "Name missing from ID photo" },
  { ER_REASON_GROUP_GENERAL, "Name mismatch", "name_mismatch", "Name on ID does not match name on account" },
  { ER_REASON_GROUP_GENERAL, "EdX name not provided", "name_mismatch", "Name on ID does not match name on account" },
  { ER_REASON_GROUP_GENERAL, "Photo/ID Photo mismatch", "photos_mismatched", "Photos are mismatched" },
};

/* What each agent label must share with the sentence the learner reads
 * (case-insensitive), so that the agent never reads something the learner
 * is not told: the subject ("learner photo", "ID photo", "ID", "name",
 * "photos") and what is wrong with it ("blurry", "not provided",
 * "invalid", "missing", "not match", "mismatched"). Alternatives with "|". */
static const struct {
  const char *reason;
  const char *shared[3];
} label_words[] = {
  { "Image not clear",         { "learner photo", "blurry", NULL } },
  { "Face out of view",        { "learner photo", "blurry", NULL } },
  { "Photo not provided",      { "learner photo", "not provided", NULL } },
  { "Not provided",            { "ID photo", "not provided", NULL } },
  { "Text not clear",          { "ID photo", "blurry", NULL } },
  { "Photo hidden/No photo",   { "ID photo", "blurry", NULL } },
  { "Invalid Id",              { "ID", "invalid", NULL } },
  { "No text",                 { "ID", "invalid", NULL } },
  { "ID name not provided",    { "name", "missing", NULL } },
  { "Name mismatch",           { "name", "not match", NULL } },
  { "EdX name not provided",   { "name", "not match", NULL } },
  { "Photo/ID Photo mismatch", { "photos", "mismatched", NULL } },
};

/* Words that would contradict the learner's sentence when it does not say
 * them: a label may only say "blurry" if the learner reads "blurry", etc. */
static const char * const telling_words[] = {
  "blurry", "not provided", "invalid", "missing", "not match", "mismatch", "name",
};

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static char *
to_string (const ErReasons *reasons)
{
  g_autoptr(JsonNode) node = er_reasons_to_json (reasons);

  return json_to_string (node, FALSE);
}

static ErReasons *
from_string (const char  *json,
             GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return er_reasons_new_from_json (NULL, error);

  node = json_from_string (json, NULL);
  g_assert_nonnull (node);
  return er_reasons_new_from_json (node, error);
}

static void
assert_list (const char * const *list,
             const char * const *expected)
{
  g_assert_nonnull (list);
  g_assert_cmpstrv (list, expected);
}

static void
test_table (void)
{
  const ErReasonInfo *table;
  guint n = 0;

  table = er_reason_table (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected_table));
  g_assert_cmpuint (n, ==, 12);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (table[i].group, ==, expected_table[i].group);
      g_assert_cmpstr (table[i].reason, ==, expected_table[i].reason);
      g_assert_cmpstr (table[i].lms_code, ==, expected_table[i].lms_code);
      g_assert_cmpstr (table[i].learner_text, ==, expected_table[i].learner_text);
      g_assert_true (er_reason_lookup (expected_table[i].reason) == &table[i]);
    }

  g_assert_null (er_reason_lookup ("image not clear"));
  g_assert_null (er_reason_lookup ("Image not clear "));
  g_assert_null (er_reason_lookup (""));
  g_assert_null (er_reason_lookup (NULL));

  g_assert_cmpstr (er_reason_group_key (ER_REASON_GROUP_USER_PHOTO), ==, "userPhotoReasons");
  g_assert_cmpstr (er_reason_group_key (ER_REASON_GROUP_PHOTO_ID), ==, "photoIdReasons");
  g_assert_cmpstr (er_reason_group_key (ER_REASON_GROUP_GENERAL), ==, "generalReasons");
  g_assert_cmpstr (er_reason_group_title (ER_REASON_GROUP_USER_PHOTO), ==, "Learner photo");
  g_assert_cmpstr (er_reason_group_title (ER_REASON_GROUP_PHOTO_ID), ==, "ID photo");
  g_assert_cmpstr (er_reason_group_title (ER_REASON_GROUP_GENERAL), ==, "General");
}

/* Every reason has an agent label that names the same thing as the sentence
 * the learner reads, and labels tell the reasons apart. */
static void
test_agent_labels (void)
{
  const ErReasonInfo *table;
  guint n = 0;

  table = er_reason_table (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (label_words));
  for (guint i = 0; i < n; i++)
    {
      const char *label = table[i].agent_label;

      g_test_message ("%s: “%s” / learner reads “%s”", table[i].reason, label, table[i].learner_text);
      g_assert_cmpstr (label_words[i].reason, ==, table[i].reason);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
      for (guint w = 0; w < G_N_ELEMENTS (label_words[i].shared) && label_words[i].shared[w] != NULL; w++)
        {
          g_assert_true (contains_casefold (label, label_words[i].shared[w]));
          g_assert_true (contains_casefold (table[i].learner_text, label_words[i].shared[w]));
        }
      /* Nothing the learner is not told. */
      for (guint w = 0; w < G_N_ELEMENTS (telling_words); w++)
        if (contains_casefold (label, telling_words[w]))
          g_assert_true (contains_casefold (table[i].learner_text, telling_words[w]));
      /* Distinct from every other label. */
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (table[j].agent_label, !=, label);
    }
}

/* The display order: every reason once; the general reasons first, in the
 * order name mismatch, no name on the account, photos mismatched; then the
 * ID photo's, then the learner photo's; the contract's order within a group. */
static void
test_display_order (void)
{
  const ErReasonInfo *table;
  const guint *order;
  const ErReasonGroup *groups;
  const char * const expected[] = {
    "Name mismatch", "EdX name not provided", "Photo/ID Photo mismatch",
    "Not provided", "Text not clear", "Photo hidden/No photo", "Invalid Id", "No text",
    "ID name not provided",
    "Image not clear", "Face out of view", "Photo not provided",
  };
  guint n = 0, n_table = 0;

  table = er_reason_table (&n_table);
  order = er_reason_display_order (&n);
  g_assert_cmpuint (n, ==, n_table);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (order[i], <, n_table);
      g_assert_cmpstr (table[order[i]].reason, ==, expected[i]);
    }
  g_assert_true (er_reason_display_order (NULL) == order);

  groups = er_reason_display_groups ();
  g_assert_cmpint (groups[0], ==, ER_REASON_GROUP_GENERAL);
  g_assert_cmpint (groups[1], ==, ER_REASON_GROUP_PHOTO_ID);
  g_assert_cmpint (groups[2], ==, ER_REASON_GROUP_USER_PHOTO);
}

static void
test_add_and_get (void)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  const char * const none[] = { NULL };

  g_assert_true (er_reasons_is_empty (reasons));
  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    assert_list (er_reasons_get (reasons, g), none);
  g_assert_null (er_reasons_get_note (reasons));

  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Invalid Id");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");  /* duplicate */
  g_assert_false (er_reasons_is_empty (reasons));
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_PHOTO_ID),
               (const char * const[]) { "Text not clear", "Invalid Id", NULL });
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_USER_PHOTO), none);

  /* The note comes after the table reasons, whatever the order of calls. */
  er_reasons_set_note (reasons, "Please retake the photo in daylight.");
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL),
               (const char * const[]) { "Name mismatch", "Please retake the photo in daylight.", NULL });
  g_assert_cmpstr (er_reasons_get_note (reasons), ==, "Please retake the photo in daylight.");

  /* A free text added to the general group is the note. */
  er_reasons_set_note (reasons, NULL);
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL),
               (const char * const[]) { "Name mismatch", NULL });
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Free text");
  g_assert_cmpstr (er_reasons_get_note (reasons), ==, "Free text");
  er_reasons_set_note (reasons, "");
  g_assert_null (er_reasons_get_note (reasons));

  /* Only a note: not empty. */
  {
    g_autoptr(ErReasons) note_only = er_reasons_new ();

    er_reasons_set_note (note_only, "x");
    g_assert_false (er_reasons_is_empty (note_only));
    er_reasons_set_note (note_only, NULL);
    g_assert_true (er_reasons_is_empty (note_only));
  }
}

static void
test_copy (void)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autoptr(ErReasons) copy = NULL;
  g_autoptr(ErReasons) boxed = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Face out of view");
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Photo/ID Photo mismatch");
  er_reasons_set_note (reasons, "Note");

  copy = er_reasons_copy (reasons);
  boxed = g_boxed_copy (ER_TYPE_REASONS, reasons);
  a = to_string (reasons);
  b = to_string (copy);
  c = to_string (boxed);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);

  /* The copy is independent. */
  er_reasons_set_note (copy, NULL);
  g_assert_cmpstr (er_reasons_get_note (reasons), ==, "Note");
  g_assert_null (er_reasons_get_note (copy));
}

static void
assert_invalid (ErReasons *reasons)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (er_reasons_validate (reasons, &error));
  g_assert_error (error, ER_ERROR, ER_ERROR_INVALID_REASON);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("refused: %s", error->message);
}

static void
assert_valid (ErReasons *reasons)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (er_reasons_validate (reasons, &error));
  g_assert_no_error (error);
}

static void
test_validate (void)
{
  const ErReasonInfo *table;
  guint n;

  /* Empty. */
  {
    g_autoptr(ErReasons) reasons = er_reasons_new ();
    assert_invalid (reasons);
  }

  /* Every table reason in its own group is valid alone. */
  table = er_reason_table (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErReasons) reasons = er_reasons_new ();

      er_reasons_add (reasons, table[i].group, table[i].reason);
      assert_valid (reasons);

      /* ...and invalid in any other group. */
      for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
        {
          g_autoptr(ErReasons) wrong = er_reasons_new ();

          if (g == table[i].group)
            continue;
          er_reasons_add (wrong, g, table[i].reason);
          assert_invalid (wrong);
        }
    }

  /* A string that is not in the table, in the first two groups. */
  for (guint g = ER_REASON_GROUP_USER_PHOTO; g <= ER_REASON_GROUP_PHOTO_ID; g++)
    {
      g_autoptr(ErReasons) reasons = er_reasons_new ();

      er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
      er_reasons_add (reasons, g, "Blurry");
      assert_invalid (reasons);
    }

  /* A note alone, or with table reasons. */
  {
    g_autoptr(ErReasons) reasons = er_reasons_new ();

    er_reasons_set_note (reasons, "The ID has expired.");
    assert_valid (reasons);
    er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Invalid Id");
    er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
    assert_valid (reasons);

    /* A second free text. */
    er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Another note");
    assert_invalid (reasons);
  }

  /* Whitespace only. */
  {
    g_autoptr(ErReasons) reasons = er_reasons_new ();

    er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
    er_reasons_set_note (reasons, " \t\n ");
    assert_invalid (reasons);
    er_reasons_set_note (reasons, "\xc2\xa0");  /* no-break space */
    assert_invalid (reasons);
    er_reasons_set_note (reasons, " ok ");
    assert_valid (reasons);
  }

  /* Not UTF-8. */
  {
    g_autoptr(ErReasons) reasons = er_reasons_new ();

    er_reasons_set_note (reasons, "caf\xe9");
    assert_invalid (reasons);
  }
}

static void
test_note_length (void)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autoptr(GString) note = g_string_new (NULL);

  /* 500 characters of "é" are 1000 bytes: the limit counts characters. */
  for (guint i = 0; i < ER_REASON_NOTE_MAX_CHARS; i++)
    g_string_append (note, "é");
  g_assert_cmpuint (note->len, ==, 1000);

  er_reasons_set_note (reasons, note->str);
  assert_valid (reasons);

  g_string_append (note, "e");
  er_reasons_set_note (reasons, note->str);
  assert_invalid (reasons);

  g_string_truncate (note, 998);
  g_string_append (note, "ab");  /* 499 + 2 = 501 */
  er_reasons_set_note (reasons, note->str);
  assert_invalid (reasons);

  g_string_truncate (note, 999);
  er_reasons_set_note (reasons, note->str);  /* 499 + 1 = 500 */
  assert_valid (reasons);
}

static void
test_to_json (void)
{
  g_autoptr(ErReasons) reasons = er_reasons_new ();
  g_autofree char *empty = NULL;
  g_autofree char *two = NULL;
  g_autofree char *all = NULL;

  empty = to_string (reasons);
  g_assert_cmpstr (empty, ==, "[]");

  /* The contract's example. */
  er_reasons_add (reasons, ER_REASON_GROUP_GENERAL, "Name mismatch");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Text not clear");
  two = to_string (reasons);
  g_assert_cmpstr (two, ==,
                   "[{\"photoIdReasons\":[\"Text not clear\"]},"
                   "{\"generalReasons\":[\"Name mismatch\"]}]");

  er_reasons_set_note (reasons, "Le nom « Côté » diffère");
  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Image not clear");
  er_reasons_add (reasons, ER_REASON_GROUP_USER_PHOTO, "Face out of view");
  er_reasons_add (reasons, ER_REASON_GROUP_PHOTO_ID, "Photo hidden/No photo");
  all = to_string (reasons);
  g_assert_cmpstr (all, ==,
                   "[{\"userPhotoReasons\":[\"Image not clear\",\"Face out of view\"]},"
                   "{\"photoIdReasons\":[\"Text not clear\",\"Photo hidden/No photo\"]},"
                   "{\"generalReasons\":[\"Name mismatch\",\"Le nom « Côté » diffère\"]}]");
}

static void
test_from_json (void)
{
  const char *json =
    "[{\"userPhotoReasons\": [\"Image not clear\"]},"
    " {\"photoIdReasons\": [\"Text not clear\", \"No text\"]},"
    " {\"generalReasons\": [\"Name mismatch\", \"Le nom diffère\"]}]";
  g_autoptr(ErReasons) reasons = NULL;
  g_autoptr(ErReasons) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  reasons = from_string (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reasons);
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_USER_PHOTO),
               (const char * const[]) { "Image not clear", NULL });
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_PHOTO_ID),
               (const char * const[]) { "Text not clear", "No text", NULL });
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL),
               (const char * const[]) { "Name mismatch", "Le nom diffère", NULL });
  g_assert_cmpstr (er_reasons_get_note (reasons), ==, "Le nom diffère");
  assert_valid (reasons);

  /* Round trip. */
  first = to_string (reasons);
  again = from_string (first, &error);
  g_assert_no_error (error);
  second = to_string (again);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, ==,
                   "[{\"userPhotoReasons\":[\"Image not clear\"]},"
                   "{\"photoIdReasons\":[\"Text not clear\",\"No text\"]},"
                   "{\"generalReasons\":[\"Name mismatch\",\"Le nom diffère\"]}]");
}

static void
test_from_json_empty (void)
{
  const char *empties[] = { NULL, "null", "\"\"", "[]", "[{}]", "[{\"generalReasons\": []}]" };

  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ErReasons) reasons = from_string (empties[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (reasons);
      g_assert_true (er_reasons_is_empty (reasons));
    }
}

static void
test_from_json_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErReasons) reasons = NULL;

  /* Unknown keys ignored; several groups in one object and a group repeated
   * across objects are merged without duplicates. */
  reasons = from_string ("[{\"otherReasons\": [\"x\"], \"photoIdReasons\": [\"Invalid Id\"]},"
                         " {\"photoIdReasons\": [\"Invalid Id\", \"No text\"], \"extra\": 3},"
                         " {\"generalReasons\": [\"Note one\", \"Name mismatch\", \"Note two\"]}]",
                         &error);
  g_assert_no_error (error);
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_PHOTO_ID),
               (const char * const[]) { "Invalid Id", "No text", NULL });
  /* Several free texts are kept, readable, in one note. */
  g_assert_cmpstr (er_reasons_get_note (reasons), ==, "Note one; Note two");
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL),
               (const char * const[]) { "Name mismatch", "Note one; Note two", NULL });
  g_clear_pointer (&reasons, er_reasons_free);

  /* A string outside the table in the first groups is kept for display
   * (validate() refuses it if it were to be sent). */
  reasons = from_string ("[{\"userPhotoReasons\": [\"Old reason\"]}]", &error);
  g_assert_no_error (error);
  assert_list (er_reasons_get (reasons, ER_REASON_GROUP_USER_PHOTO),
               (const char * const[]) { "Old reason", NULL });
  assert_invalid (reasons);
}

static void
test_from_json_invalid (void)
{
  const char *invalid[] = {
    "\"Text not clear\"",
    "42",
    "true",
    "{\"photoIdReasons\": [\"Text not clear\"]}",
    "[\"Text not clear\"]",
    "[null]",
    "[[]]",
    "[{\"photoIdReasons\": \"Text not clear\"}]",
    "[{\"photoIdReasons\": null}]",
    "[{\"photoIdReasons\": {}}]",
    "[{\"photoIdReasons\": [42]}]",
    "[{\"generalReasons\": [\"Name mismatch\", null]}]",
    "[{\"userPhotoReasons\": [[\"Image not clear\"]]}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ErReasons) reasons = from_string (invalid[i], &error);

      g_test_message ("%s", invalid[i]);
      g_assert_error (error, ER_ERROR, ER_ERROR_PARSE);
      g_assert_null (reasons);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reasons/table", test_table);
  g_test_add_func ("/reasons/agent-labels", test_agent_labels);
  g_test_add_func ("/reasons/display-order", test_display_order);
  g_test_add_func ("/reasons/add-and-get", test_add_and_get);
  g_test_add_func ("/reasons/copy", test_copy);
  g_test_add_func ("/reasons/validate", test_validate);
  g_test_add_func ("/reasons/note-length", test_note_length);
  g_test_add_func ("/reasons/to-json", test_to_json);
  g_test_add_func ("/reasons/from-json", test_from_json);
  g_test_add_func ("/reasons/from-json/empty", test_from_json_empty);
  g_test_add_func ("/reasons/from-json/lenient", test_from_json_lenient);
  g_test_add_func ("/reasons/from-json/invalid", test_from_json_invalid);

  return g_test_run ();
}
