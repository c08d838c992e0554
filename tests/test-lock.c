/* test-lock.c: Ctrl+L locks the real window, under a virtual display.
 *
 * Signs in against the fake platform, waits for the oldest case with both
 * photos, then presses Ctrl+L through the X server (xdotool) and checks:
 * the lock page is shown; the platform heard the claim's release; no photo
 * is held any more; and no text any widget holds names a learner. Before locking, the same walk must find the open
 * case's learner: the check can see a name when there is one. Return
 * unlocks, and the oldest case opens again with its photos.
 *
 * What a screen reader reads is taken from the widget tree itself: every
 * label, field, tooltip and title of every window, shown or hidden. The
 * real AT-SPI tree, read as a screen reader reads it, is checked by the
 * lock-a11y test (tests/independent/lock-test.py).
 */
#include "config.h"

#include <adwaita.h>

#include "er-application.h"
#include "er-window.h"
#include "fake-process.h"
#include "test-async.h"
#include "test-xdotool.h"

static FakeProcess *fake;
static ErApplication *app;
static char *data_dir;

static gboolean
case_ready (gpointer data)
{
  ErWorkspace *workspace = data;
  ErCaseView *view = er_workspace_get_case_view (workspace);
  ErReviewSession *session = er_workspace_get_session (workspace);

  return er_workspace_get_open_case (workspace) != NULL &&
         er_case_view_get_photo (view, ER_PHOTO_USER) != NULL &&
         er_case_view_get_photo (view, ER_PHOTO_ID) != NULL &&
         er_review_session_get_claim_state (session) == ER_CLAIM_HELD;
}

static gboolean
page_is_locked (gpointer data)
{
  return g_strcmp0 (er_window_get_page (data), "locked") == 0;
}

/* The platform holds a live claim on receipt_id. */
static gboolean
claimed (const char *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);

      if (g_strcmp0 (json_object_get_string_member (c, "receipt_id"), receipt_id) == 0)
        return json_object_has_member (c, "claim") &&
               JSON_NODE_HOLDS_OBJECT (json_object_get_member (c, "claim"));
    }
  g_error ("The fake has no case %s", receipt_id);
  return FALSE;
}

static gboolean
released (gpointer data)
{
  return !claimed (data);
}

/* ---- What the windows can say ----------------------------------------- */

static void
add (GString    *out,
     const char *text)
{
  if (text != NULL && *text != '\0')
    g_string_append_printf (out, "%s\n", text);
}

/* Every text of every widget, shown or not (a stricter look than a screen
 * reader's, which skips hidden ones): labels, fields, tooltips, titles. */
static void
walk (GtkWidget *widget,
      GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  add (out, tooltip);
  if (GTK_IS_LABEL (widget))
    add (out, gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    add (out, gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_WINDOW (widget))
    add (out, gtk_window_get_title (GTK_WINDOW (widget)));
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      add (out, adw_window_title_get_title (ADW_WINDOW_TITLE (widget)));
      add (out, adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)));
    }
  if (ADW_IS_PREFERENCES_ROW (widget))
    add (out, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    add (out, adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_STATUS_PAGE (widget))
    {
      add (out, adw_status_page_get_title (ADW_STATUS_PAGE (widget)));
      add (out, adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, out);
}

/* Every window of the process. */
static char *
texts (void)
{
  GString *out = g_string_new (NULL);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      walk (window, out);
    }
  return g_string_free (out, FALSE);
}

/* Every learner name, username and e-mail the queue listed. */
static GPtrArray *
learner_strings (GListModel *queue)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);

      g_ptr_array_add (strings, g_strdup (er_case_get_expected_name (kase)));
      if (er_case_get_username (kase) != NULL)
        g_ptr_array_add (strings, g_strdup (er_case_get_username (kase)));
      if (er_case_get_email (kase) != NULL)
        g_ptr_array_add (strings, g_strdup (er_case_get_email (kase)));
    }
  return strings;
}

static void
test_lock (void)
{
  ErWindow *window = er_window_new (app);
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErReviewSession *session;
  ErPrefetch *prefetch;
  g_autoptr(GPtrArray) learners = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *open_name = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  session = er_workspace_get_session (workspace);
  prefetch = er_review_session_get_prefetch (session);
  open_id = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (workspace)));
  open_name = g_strdup (er_case_get_expected_name (er_workspace_get_open_case (workspace)));
  learners = learner_strings (er_workspace_get_queue (workspace));
  g_assert_cmpuint (learners->len, >=, 3);
  g_assert_true (claimed (open_id));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), >, 0);

  /* The walk sees the open case's learner while unlocked. */
  before = texts ();
  g_test_message ("%s", before);
  g_assert_nonnull (strstr (before, open_name));

  /* Ctrl+L, typed. */
  test_xdotool_focus (GTK_WINDOW (window));
  test_xdotool_keys ("ctrl+l", NULL);
  g_assert_true (test_wait_for (page_is_locked, window, 10));
  g_assert_true (er_review_session_get_locked (session));
  g_assert_true (test_wait_for (released, open_id, 10));
  g_assert_cmpuint (er_prefetch_get_n_held (prefetch), ==, 0);
  g_assert_null (er_review_session_get_photo (session, ER_PHOTO_USER));
  g_assert_null (er_review_session_get_photo (session, ER_PHOTO_ID));
  g_assert_null (er_case_view_get_photo (er_workspace_get_case_view (workspace), ER_PHOTO_USER));
  g_assert_null (er_case_view_get_photo (er_workspace_get_case_view (workspace), ER_PHOTO_ID));
  g_assert_cmpuint (g_list_model_get_n_items (er_workspace_get_queue (workspace)), ==, 0);

  /* What the windows can say: the lock page, and no learner. */
  after = texts ();
  g_test_message ("%s", after);
  g_assert_nonnull (strstr (after, "EDUlib Reviewer is locked"));
  for (guint i = 0; i < learners->len; i++)
    if (strstr (after, learners->pdata[i]) != NULL)
      g_error ("The locked window still holds “%s”", (char *) learners->pdata[i]);
  g_assert_null (strstr (after, open_id));

  /* Return unlocks: the oldest case again, with its photos. */
  test_xdotool_keys ("Return", NULL);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_cmpstr (er_window_get_page (window), ==, "workspace");
  g_assert_cmpstr (er_case_get_receipt_id (er_workspace_get_open_case (workspace)), ==, open_id);
  g_assert_true (claimed (open_id));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The desktop's screensaver starts (ActiveChanged on the session bus, as
 * GNOME Shell and other desktops send it): the window locks. */
static void
test_screensaver (void)
{
  ErWindow *window = er_window_new (app);
  ErWorkspace *workspace = er_window_get_workspace (window);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *open_id = NULL;

  if (bus == NULL)
    {
      g_test_skip ("No session bus");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  open_id = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (workspace)));

  /* Inactive first: nothing happens. */
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/ScreenSaver",
                                 "org.freedesktop.ScreenSaver", "ActiveChanged",
                                 g_variant_new ("(b)", FALSE), NULL);
  g_dbus_connection_flush_sync (bus, NULL, NULL);
  g_assert_false (test_wait_for (page_is_locked, window, 1));

  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/ScreenSaver",
                                 "org.freedesktop.ScreenSaver", "ActiveChanged",
                                 g_variant_new ("(b)", TRUE), NULL);
  g_dbus_connection_flush_sync (bus, NULL, NULL);
  g_assert_true (test_wait_for (page_is_locked, window, 10));
  g_assert_true (test_wait_for (released, open_id, 10));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int ret;

  data_dir = g_dir_make_tmp ("er-test-lock-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

  fake = fake_process_start ("--cases=5", "--seed=3", NULL);
  app = er_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/lock/ctrl-l", test_lock);
  g_test_add_func ("/lock/screensaver", test_screensaver);
  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&fake, fake_process_stop);
  {
    const char *rm[] = { "rm", "-rf", data_dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    g_free (data_dir);
  }
  return ret;
}
