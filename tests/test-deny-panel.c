/* test-deny-panel.c: the deny panel in a window, driven by keys typed
 * through the X server (xdotool), as an agent types them.
 *
 * Return activates the focused button (Cancel cancels, Deny denies), sends
 * from a reason or from the note, and never sends without a reason: the
 * panel then stays open and says so. Digits toggle reasons, Escape cancels,
 * letters move to the reason whose label contains them. The panel denies
 * the receipt id it was opened for, once.
 */
#include "config.h"

#include <adwaita.h>

#include "er-deny-panel.h"
#include "er-reasons.h"
#include "test-xdotool.h"

#define WAIT_SECONDS 10
#define NO_REASON_MESSAGE "Choose at least one reason for the denial."

typedef struct
{
  GtkWindow    *parent;
  ErDenyPanel  *panel;
  GtkWidget    *before;       /* a button beside the panel */
  guint         n_denials;
  char         *receipt_id;   /* of the last "deny" */
  ErReasons    *reasons;      /* of the last "deny" */
} Fixture;

/* Waiting */

typedef gboolean (*Condition) (Fixture *fixture);

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until condition holds; fails after WAIT_SECONDS. */
static void
wait_for (Fixture   *fixture,
          Condition  condition)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (20, wake_up_cb, NULL);

  while (!condition (fixture))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

/* Iterates for a while: used only to show that something did NOT happen
 * (longer than a button's activation, 250 ms). */
static void
idle_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  guint wake_id = g_timeout_add (20, wake_up_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

static gboolean
window_active (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->panel)) &&
         gtk_window_is_active (fixture->parent);
}

static gboolean
panel_closed (Fixture *fixture)
{
  return !er_deny_panel_get_open (fixture->panel);
}

static gboolean
panel_open (Fixture *fixture)
{
  return er_deny_panel_get_open (fixture->panel);
}

static gboolean
denied (Fixture *fixture)
{
  return fixture->n_denials > 0;
}

/* Widgets */

/* The first widget under root (depth first) for which match is TRUE. */
static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_for (GtkWidget     *widget,
               gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static gboolean
is_check (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_editable_text (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_TEXT (widget);
}

static GtkWidget *
button_for (Fixture    *fixture,
            const char *action_name)
{
  GtkWidget *button = find_widget (GTK_WIDGET (fixture->panel), is_button_for, action_name);

  g_assert_nonnull (button);
  return button;
}

/* The check box of the n-th reason (0-based, in the order shown, that of
 * the digits). */
static GtkWidget *
reason_check (Fixture *fixture,
              guint    n)
{
  GtkWidget *check = find_widget (GTK_WIDGET (fixture->panel), is_check, NULL);

  for (guint i = 0; i < n && check != NULL; i++)
    {
      GtkWidget *row = gtk_widget_get_ancestor (check, GTK_TYPE_LIST_BOX_ROW);
      GtkWidget *next_row;

      /* The next row of the same group, or the first of the next group. */
      g_assert_nonnull (row);
      next_row = gtk_widget_get_next_sibling (row);
      if (next_row != NULL)
        check = find_widget (next_row, is_check, NULL);
      else
        {
          GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

          check = find_widget (gtk_widget_get_next_sibling (group), is_check, NULL);
        }
    }
  g_assert_nonnull (check);
  return check;
}

static gboolean
shows_no_reason_message (Fixture *fixture)
{
  return find_widget (GTK_WIDGET (fixture->panel), is_shown_label, NO_REASON_MESSAGE) != NULL;
}

/* Keys */

static void
type_keys (Fixture    *fixture,
           const char *first,
           ...)
{
  va_list keys;

  va_start (keys, first);
  test_xdotool_keys_valist (first, keys);
  va_end (keys);
  /* Let the panel take them. */
  idle_for (100);
}

/* Fixture */

static void
on_deny (ErDenyPanel     *panel,
         const char      *receipt_id,
         const ErReasons *reasons,
         Fixture         *fixture)
{
  /* Closed before it tells: a second Return finds nothing to send. */
  g_assert_false (er_deny_panel_get_open (panel));
  fixture->n_denials++;
  g_clear_pointer (&fixture->reasons, er_reasons_free);
  g_free (fixture->receipt_id);
  fixture->receipt_id = g_strdup (receipt_id);
  fixture->reasons = er_reasons_copy (reasons);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  fixture->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->parent, 800, 800);
  fixture->before = gtk_button_new_with_label ("Photos");
  gtk_widget_set_hexpand (fixture->before, TRUE);
  gtk_box_append (GTK_BOX (box), fixture->before);
  fixture->panel = er_deny_panel_new ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->panel));
  gtk_window_set_child (fixture->parent, box);
  g_signal_connect (fixture->panel, "deny", G_CALLBACK (on_deny), fixture);
  gtk_window_present (fixture->parent);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->panel)))
    g_main_context_iteration (NULL, TRUE);

  /* There is no window manager: give the window the X input focus. */
  test_xdotool_focus (fixture->parent);
  wait_for (fixture, window_active);
  er_deny_panel_open (fixture->panel, "receipt-1", "François Côté");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* GTK wants the text unfocused before its window goes. */
  gtk_window_set_focus (fixture->parent, NULL);
  gtk_window_destroy (fixture->parent);
  g_clear_pointer (&fixture->reasons, er_reasons_free);
  g_clear_pointer (&fixture->receipt_id, g_free);
  idle_for (50);
}

static void
assert_photo_id_reasons (Fixture    *fixture,
                         const char *first,
                         ...)
{
  const char * const *got = er_reasons_get (fixture->reasons, ER_REASON_GROUP_PHOTO_ID);
  const char *expected = first;
  va_list args;
  guint i = 0;

  g_assert_nonnull (got);
  va_start (args, first);
  for (; expected != NULL; expected = va_arg (args, const char *), i++)
    g_assert_cmpstr (got[i], ==, expected);
  va_end (args);
  g_assert_null (got[i]);
  /* Nothing else, but the note (listed with the general reasons). */
  for (guint g = 0; g < ER_N_REASON_GROUPS; g++)
    if (g != ER_REASON_GROUP_PHOTO_ID)
      {
        const char * const *other = er_reasons_get (fixture->reasons, g);

        if (other == NULL || other[0] == NULL)
          continue;
        g_assert_cmpuint (g, ==, ER_REASON_GROUP_GENERAL);
        g_assert_cmpstr (other[0], ==, er_reasons_get_note (fixture->reasons));
        g_assert_null (other[1]);
      }
}

/* Tests */

/* With a reason ticked (the denial would be valid), Return on a focused
 * Cancel closes the panel and sends nothing. */
static void
test_cancel_focused (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *cancel;

  type_keys (fixture, "5", NULL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (reason_check (fixture, 4))));
  cancel = button_for (fixture, "deny.cancel");
  gtk_widget_grab_focus (cancel);
  g_assert_true (gtk_widget_has_focus (cancel));

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 0);
}

/* The panel opens on the first reason, its heading names the case: D,
 * digits, Return denies that receipt. */
static void
test_digits_return (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->parent));

  g_assert_nonnull (focus);
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->panel), is_shown_label, "Deny François Côté"));
  g_assert_true (focus == reason_check (fixture, 0) ||
                 focus == gtk_widget_get_ancestor (reason_check (fixture, 0), GTK_TYPE_LIST_BOX_ROW));

  type_keys (fixture, "5", "9", "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  g_assert_cmpstr (fixture->receipt_id, ==, "receipt-1");
  assert_photo_id_reasons (fixture, "Text not clear", "ID name not provided", NULL);
  /* Closed, the focus given back by its container, keys send nothing more. */
  gtk_widget_grab_focus (fixture->before);
  type_keys (fixture, "5", "Return", NULL);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
}

/* The most decisive reasons first, with digits 1 to 3; each shows the
 * agent's label, and under it the learner's sentence. */
static void
test_decisive_first (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const *general;
  GtkWidget *first_row = gtk_widget_get_ancestor (reason_check (fixture, 0), ADW_TYPE_ACTION_ROW);

  g_assert_nonnull (first_row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_row)), ==,
                   "Name on ID does not match account");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first_row)), ==,
                   "The learner reads: “Name on ID does not match name on account”");
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->panel), is_shown_label,
                                 "Learner photo blurry: face out of view"));
  /* The contract's label is not shown to the agent. */
  g_assert_null (find_widget (GTK_WIDGET (fixture->panel), is_shown_label, "Face out of view"));

  type_keys (fixture, "3", "2", "1", "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  general = er_reasons_get (fixture->reasons, ER_REASON_GROUP_GENERAL);
  /* Sent in the contract's order, whatever the order of the keys. */
  g_assert_cmpstrv (general, ((const char * const[]) {
    "Name mismatch", "EdX name not provided", "Photo/ID Photo mismatch", NULL }));
  g_assert_null (er_reasons_get (fixture->reasons, ER_REASON_GROUP_PHOTO_ID)[0]);
  g_assert_null (er_reasons_get (fixture->reasons, ER_REASON_GROUP_USER_PHOTO)[0]);
}

/* A ticked reason's row focused: Return denies with that reason (and does
 * not toggle it off first). */
static void
test_reason_focused (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *row;

  type_keys (fixture, "5", NULL);
  row = gtk_widget_get_ancestor (reason_check (fixture, 4), GTK_TYPE_LIST_BOX_ROW);
  gtk_widget_grab_focus (row);
  g_assert_true (gtk_widget_has_focus (row));

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  assert_photo_id_reasons (fixture, "Text not clear", NULL);
}

/* No reason: Return sends nothing, the panel stays and says why; twice
 * the same. */
static void
test_no_reason (Fixture       *fixture,
                gconstpointer  data)
{
  gtk_widget_grab_focus (reason_check (fixture, 4));
  g_assert_false (shows_no_reason_message (fixture));

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, shows_no_reason_message);
  idle_for (300);
  g_assert_true (panel_open (fixture));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->panel)));
  g_assert_cmpuint (fixture->n_denials, ==, 0);
  /* Return did not tick the focused reason. */
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (reason_check (fixture, 4))));

  type_keys (fixture, "Return", NULL);
  idle_for (300);
  g_assert_true (panel_open (fixture));
  g_assert_cmpuint (fixture->n_denials, ==, 0);
  g_assert_true (shows_no_reason_message (fixture));

  /* A reason, and the same key sends. */
  type_keys (fixture, "5", "Return", NULL);
  wait_for (fixture, panel_closed);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
}

/* The Deny button focused: Return denies. */
static void
test_deny_focused (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *deny = button_for (fixture, "deny.send");

  g_assert_false (gtk_widget_is_sensitive (deny));
  type_keys (fixture, "1", NULL);
  g_assert_true (gtk_widget_is_sensitive (deny));
  gtk_widget_grab_focus (deny);
  g_assert_true (gtk_widget_has_focus (deny));

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, denied);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  g_assert_cmpstr (er_reasons_get (fixture->reasons, ER_REASON_GROUP_GENERAL)[0], ==,
                   "Name mismatch");
}

/* The Deny button focused, its last reason unticked: the button turns
 * insensitive and the focus goes back to the reasons, where Return says why
 * nothing is sent. */
static void
test_deny_focused_unticked (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *deny = button_for (fixture, "deny.send");

  type_keys (fixture, "1", NULL);
  gtk_widget_grab_focus (deny);
  type_keys (fixture, "1", NULL);
  g_assert_false (gtk_widget_is_sensitive (deny));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->parent)) == reason_check (fixture, 0));

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, shows_no_reason_message);
  idle_for (300);
  g_assert_true (panel_open (fixture));
  g_assert_cmpuint (fixture->n_denials, ==, 0);
}

/* In the note, digits are text and Return sends. */
static void
test_note_return (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *text;

  type_keys (fixture, "5", NULL);
  text = find_widget (GTK_WIDGET (fixture->panel), is_editable_text, NULL);
  g_assert_nonnull (text);
  gtk_widget_grab_focus (text);
  test_xdotool_type ("Carte 2");
  type_keys (fixture, "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  g_assert_cmpstr (er_reasons_get_note (fixture->reasons), ==, "Carte 2");
  assert_photo_id_reasons (fixture, "Text not clear", NULL);
}

static GtkWidget *
focused (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->parent));
}

/* Type-ahead: letters move the focus to the first reason whose agent label
 * contains them; Escape and Backspace take them back, a pause forgets them;
 * in the note, letters are text. */
static void
test_typeahead (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *text;

  /* "ID photo blurry: text not clear", the 5th shown. */
  type_keys (fixture, "t", "e", "x", "t", NULL);
  g_assert_true (focused (fixture) == reason_check (fixture, 4));

  /* Escape forgets the letters and leaves the panel open: "out" alone
   * finds "Learner photo blurry: face out of view" (not "textout"). */
  type_keys (fixture, "Escape", NULL);
  idle_for (300);
  g_assert_true (panel_open (fixture));
  type_keys (fixture, "o", "u", "t", NULL);
  g_assert_true (focused (fixture) == reason_check (fixture, 10));

  /* Backspace takes them back one by one. */
  type_keys (fixture, "BackSpace", "BackSpace", "BackSpace", "N", "a", "m", "e", NULL);
  g_assert_true (focused (fixture) == reason_check (fixture, 0));

  /* Nothing matches: the focus stays. */
  type_keys (fixture, "z", NULL);
  g_assert_true (focused (fixture) == reason_check (fixture, 0));

  /* A pause forgets them; a space inside a text is part of it ("no name"
   * is in "Name does not match: no name on the account", the 2nd). */
  idle_for (1500);
  type_keys (fixture, "n", "o", "space", "n", NULL);
  g_assert_true (focused (fixture) == reason_check (fixture, 1));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (reason_check (fixture, 1))));

  /* After the pause Space toggles the focused reason again. */
  idle_for (1500);
  type_keys (fixture, "space", NULL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (reason_check (fixture, 1))));

  /* In the note, letters are text. */
  text = find_widget (GTK_WIDGET (fixture->panel), is_editable_text, NULL);
  gtk_widget_grab_focus (text);
  type_keys (fixture, "o", "u", "t", NULL);
  g_assert_true (focused (fixture) == text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "out");

  type_keys (fixture, "Return", NULL);
  wait_for (fixture, panel_closed);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  g_assert_cmpstrv (er_reasons_get (fixture->reasons, ER_REASON_GROUP_GENERAL),
                    ((const char * const[]) { "EdX name not provided", "out", NULL }));
}

/* Escape cancels, even with a reason ticked; opened again (for another
 * case), nothing is ticked and the note is empty. */
static void
test_escape (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(ErReasons) reasons = NULL;

  er_deny_panel_set_note (fixture->panel, "Carte");
  type_keys (fixture, "5", "Escape", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 0);
  g_assert_null (er_deny_panel_get_receipt_id (fixture->panel));
  g_assert_false (er_deny_panel_send (fixture->panel));

  er_deny_panel_open (fixture->panel, "receipt-2", "Zoé Pelletier");
  reasons = er_deny_panel_get_reasons (fixture->panel);
  g_assert_null (er_reasons_get (reasons, ER_REASON_GROUP_PHOTO_ID)[0]);
  g_assert_null (er_reasons_get_note (reasons));
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->panel), is_shown_label, "Deny Zoé Pelletier"));
  type_keys (fixture, "1", "Return", NULL);
  wait_for (fixture, panel_closed);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  g_assert_cmpstr (fixture->receipt_id, ==, "receipt-2");
}

/* Keys pressed with the focus outside the panel, handed over by its
 * container (the workspace): digits toggle, letters type ahead, Escape
 * closes. */
static void
test_handle_key (Fixture       *fixture,
                 gconstpointer  data)
{
  gtk_widget_grab_focus (fixture->before);
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_1, 0));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (reason_check (fixture, 0))));
  g_assert_false (er_deny_panel_handle_key (fixture->panel, GDK_KEY_1, GDK_CONTROL_MASK));
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_o, 0));
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_u, 0));
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_t, 0));
  g_assert_true (focused (fixture) == reason_check (fixture, 10));
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_Escape, 0));
  g_assert_true (panel_open (fixture));
  g_assert_true (er_deny_panel_handle_key (fixture->panel, GDK_KEY_Escape, 0));
  g_assert_true (panel_closed (fixture));
  g_assert_false (er_deny_panel_handle_key (fixture->panel, GDK_KEY_1, 0));
  g_assert_cmpuint (fixture->n_denials, ==, 0);
}

/* Without a window manager, X focus moves between our test windows in ways
 * GTK's text widgets grumble about; that one warning is not a failure. */
/* Compact (below the photos): no heading, no description, more height for
 * the reasons; the digits still work, and it comes back whole. */
static void
test_compact (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *heading = gtk_widget_get_first_child (GTK_WIDGET (fixture->panel));
  int full, compact;

  g_assert_true (GTK_IS_LABEL (heading));
  g_assert_true (gtk_widget_get_visible (heading));
  gtk_widget_measure (GTK_WIDGET (fixture->panel), GTK_ORIENTATION_VERTICAL, 320,
                      NULL, &full, NULL, NULL);

  g_object_set (fixture->panel, "compact", TRUE, NULL);
  g_assert_true (er_deny_panel_get_compact (fixture->panel));
  g_assert_false (gtk_widget_get_visible (heading));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->panel), "compact"));
  gtk_widget_measure (GTK_WIDGET (fixture->panel), GTK_ORIENTATION_VERTICAL, 320,
                      NULL, &compact, NULL, NULL);
  g_assert_cmpint (compact, <, full);

  er_deny_panel_toggle (fixture->panel, 0);
  g_assert_true (er_deny_panel_send (fixture->panel));
  idle_for (50);
  g_assert_nonnull (fixture->reasons);

  er_deny_panel_set_compact (fixture->panel, FALSE);
  g_assert_true (gtk_widget_get_visible (heading));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->panel), "compact"));
}

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "did not receive a focus-out event") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* An expired ID suggests "ID is invalid": said beside it, the focus on it,
 * its digit unchanged (Space then Return denies with it); opening again
 * forgets the suggestion. */
static void
test_suggest (Fixture       *fixture,
              gconstpointer  data)
{
  const guint *order = er_reason_display_order (NULL);
  const ErReasonInfo *table = er_reason_table (NULL);
  int invalid = -1;
  guint n_reasons;

  er_reason_table (&n_reasons);
  for (guint i = 0; i < n_reasons; i++)
    if (g_str_equal (table[order[i]].reason, "Invalid Id"))
      invalid = i;
  g_assert_cmpint (invalid, >, 0);

  g_assert_cmpint (er_deny_panel_get_suggested (fixture->panel), ==, -1);
  er_deny_panel_suggest (fixture->panel, "Invalid Id", "ID expired on 28 May 2026");
  g_assert_cmpint (er_deny_panel_get_suggested (fixture->panel), ==, invalid);
  idle_for (100);
  g_assert_true (focused (fixture) == reason_check (fixture, invalid));
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->panel), is_shown_label,
                                 (gpointer) "Suggested: ID expired on 28 May 2026"));

  type_keys (fixture, "space", "Return", NULL);
  wait_for (fixture, panel_closed);
  idle_for (300);
  g_assert_cmpuint (fixture->n_denials, ==, 1);
  assert_photo_id_reasons (fixture, "Invalid Id", NULL);

  er_deny_panel_open (fixture->panel, "receipt-2", "Marie Tremblay");
  g_assert_cmpint (er_deny_panel_get_suggested (fixture->panel), ==, -1);
  g_assert_null (find_widget (GTK_WIDGET (fixture->panel), is_shown_label,
                              (gpointer) "Suggested: ID expired on 28 May 2026"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/deny-panel/cancel-focused", test_cancel_focused);
  ADD ("/deny-panel/digits-return", test_digits_return);
  ADD ("/deny-panel/decisive-first", test_decisive_first);
  ADD ("/deny-panel/reason-focused", test_reason_focused);
  ADD ("/deny-panel/no-reason", test_no_reason);
  ADD ("/deny-panel/deny-focused", test_deny_focused);
  ADD ("/deny-panel/deny-focused-unticked", test_deny_focused_unticked);
  ADD ("/deny-panel/note-return", test_note_return);
  ADD ("/deny-panel/escape", test_escape);
  ADD ("/deny-panel/typeahead", test_typeahead);
  ADD ("/deny-panel/handle-key", test_handle_key);
  ADD ("/deny-panel/compact", test_compact);
  ADD ("/deny-panel/suggest", test_suggest);
#undef ADD

  return g_test_run ();
}
