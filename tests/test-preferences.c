/* test-preferences.c: the preferences window against in-memory settings. */
#include "config.h"

#include <adwaita.h>

#include "er-agent.h"
#include "er-preferences-window.h"

#define SERVER_URL "https://verify.edulib.org"

typedef struct
{
  GSettings *settings;
  ErAgent   *agent;
} Fixture;

static ErAgent *
make_agent (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  ErAgent *agent;

  g_assert_no_error (error);
  agent = er_agent_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (agent);
  return agent;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new ("com.edulib.Reviewer");
  g_settings_reset (fixture->settings, "prefetch-depth");
  g_settings_reset (fixture->settings, "undo-delay");
  fixture->agent = make_agent ("{\"username\": \"agent.lavoie\", \"full_name\": \"Sophie Lavoie\","
                               " \"permissions\": [\"review\"]}");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->agent);
  g_clear_object (&fixture->settings);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *widget is mapped (or, with mapped FALSE,
 * until it is gone); fails after 5 s. */
static void
wait_for_window (GtkWidget **widget,
                 gboolean    mapped)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (5, timed_out_cb, &timed_out);

  while (!timed_out &&
         (mapped ? !(*widget != NULL && gtk_widget_get_mapped (*widget)) : *widget != NULL))
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

/* Runs whatever is pending: property notifications, settings changes. */
static void
flush_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
present_window (GtkWindow  *parent,
                GSettings  *settings,
                const char *server_url,
                ErAgent    *agent)
{
  GtkWidget *window = er_preferences_window_new (parent, settings, server_url, agent);

  g_assert_true (ER_IS_PREFERENCES_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_window (&window, TRUE);
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  return window;
}

static void
close_window (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_window (&window, FALSE);
}

/* The first mapped label under root showing exactly text, or NULL. */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_with_action (GtkWidget  *root,
                         const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = find_button_with_action (child, action_name)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_shows_server_and_agent (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, fixture->agent);
  GtkLabel *url_label = find_label (window, SERVER_URL);
  GtkWidget *sign_out;

  g_assert_nonnull (url_label);
  g_assert_true (gtk_label_get_selectable (url_label));
  g_assert_nonnull (find_label (window, "Sophie Lavoie"));
  g_assert_nonnull (find_label (window, "agent.lavoie"));
  g_assert_null (find_label (window, "Not signed in"));

  sign_out = find_button_with_action (window, "prefs.sign-out");
  g_assert_nonnull (sign_out);
  g_assert_true (gtk_widget_get_mapped (sign_out));
  g_assert_true (gtk_widget_is_sensitive (sign_out));
  g_assert_true (gtk_widget_has_css_class (sign_out, "destructive-action"));

  g_assert_true (gtk_window_get_modal (GTK_WINDOW (window)));

  close_window (window);
}

static void
test_no_agent (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, NULL);
  GtkWidget *sign_out;

  g_assert_nonnull (find_label (window, "Not signed in"));
  g_assert_null (find_label (window, "Sophie Lavoie"));
  sign_out = find_button_with_action (window, "prefs.sign-out");
  g_assert_nonnull (sign_out);
  g_assert_false (gtk_widget_is_sensitive (sign_out));

  close_window (window);
}

static void
test_empty_full_name (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ErAgent) agent = make_agent ("{\"username\": \"agent.roy\", \"full_name\": \"\","
                                         " \"permissions\": []}");
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, agent);

  g_assert_nonnull (find_label (window, "agent.roy"));
  g_assert_null (find_label (window, "Not signed in"));

  close_window (window);
}

/* Names and URLs are text, not markup (a warning would fail the test). */
static void
test_plain_text (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(ErAgent) agent = make_agent ("{\"username\": \"agent.o'neil\","
                                         " \"full_name\": \"Marie & Ève <O'Neil>\","
                                         " \"permissions\": []}");
  GtkWidget *window = present_window (NULL, fixture->settings,
                                      "https://verify.edulib.org/?a=1&b=<2>", agent);

  g_assert_nonnull (find_label (window, "Marie & Ève <O'Neil>"));
  g_assert_nonnull (find_label (window, "https://verify.edulib.org/?a=1&b=<2>"));

  close_window (window);
}

static void
test_spins_follow_settings (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, fixture->agent);
  ErPreferencesWindow *prefs = ER_PREFERENCES_WINDOW (window);
  GtkSpinButton *prefetch = er_preferences_window_get_prefetch_spin (prefs);
  GtkSpinButton *undo = er_preferences_window_get_undo_spin (prefs);

  /* The schema's defaults show. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (prefetch), ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (undo), ==, 5);

  /* Widget → settings. */
  gtk_spin_button_set_value (prefetch, 4);
  gtk_spin_button_set_value (undo, 12);
  flush_main_loop ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "prefetch-depth"), ==, 4);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "undo-delay"), ==, 12);

  /* Settings → widget. */
  g_settings_set_int (fixture->settings, "prefetch-depth", 0);
  g_settings_set_int (fixture->settings, "undo-delay", 30);
  flush_main_loop ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (prefetch), ==, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (undo), ==, 30);

  /* Out of range in the widget: clamped, and the setting stays valid. */
  gtk_spin_button_set_value (prefetch, 99);
  gtk_spin_button_set_value (undo, 1);
  flush_main_loop ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (prefetch), ==, 5);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (undo), ==, 2);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "prefetch-depth"), ==, 5);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "undo-delay"), ==, 2);

  close_window (window);
}

static void
assert_key_range (GSettings     *settings,
                  const char    *key,
                  GtkSpinButton *spin,
                  int            min,
                  int            max)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) bounds = NULL;
  g_autoptr(GVariant) below = g_variant_ref_sink (g_variant_new_int32 (min - 1));
  g_autoptr(GVariant) lowest = g_variant_ref_sink (g_variant_new_int32 (min));
  g_autoptr(GVariant) highest = g_variant_ref_sink (g_variant_new_int32 (max));
  g_autoptr(GVariant) above = g_variant_ref_sink (g_variant_new_int32 (max + 1));
  g_autoptr(GVariant) absurd = g_variant_ref_sink (g_variant_new_int32 (99));
  g_autofree char *type = NULL;
  double lower, upper;
  int schema_min, schema_max;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(sv)", &type, &bounds);
  g_assert_cmpstr (type, ==, "range");
  g_variant_get (bounds, "(ii)", &schema_min, &schema_max);
  g_assert_cmpint (schema_min, ==, min);
  g_assert_cmpint (schema_max, ==, max);

  g_assert_false (g_settings_schema_key_range_check (schema_key, below));
  g_assert_true (g_settings_schema_key_range_check (schema_key, lowest));
  g_assert_true (g_settings_schema_key_range_check (schema_key, highest));
  g_assert_false (g_settings_schema_key_range_check (schema_key, above));
  g_assert_false (g_settings_schema_key_range_check (schema_key, absurd));

  /* The spin button offers exactly the schema's range. */
  gtk_spin_button_get_range (spin, &lower, &upper);
  g_assert_cmpfloat (lower, ==, min);
  g_assert_cmpfloat (upper, ==, max);
}

static void
test_ranges (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, fixture->agent);
  ErPreferencesWindow *prefs = ER_PREFERENCES_WINDOW (window);

  assert_key_range (fixture->settings, "prefetch-depth",
                    er_preferences_window_get_prefetch_spin (prefs), 0, 5);
  assert_key_range (fixture->settings, "undo-delay",
                    er_preferences_window_get_undo_spin (prefs), 2, 30);

  close_window (window);
}

typedef struct
{
  GtkApplication *app;
  GtkWindow      *parent;
  GtkWidget      *prefs;   /* weak */
  guint           n_sign_outs;
  gboolean        prefs_open_at_sign_out;
  gboolean        parent_active_at_sign_out;
} SignOut;

static void
sign_out_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  SignOut *state = user_data;

  state->n_sign_outs++;
  state->prefs_open_at_sign_out = state->prefs != NULL;
  /* What app.sign-out in ErApplication acts on. */
  state->parent_active_at_sign_out =
    gtk_application_get_active_window (state->app) == state->parent;
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSimpleAction) action = g_simple_action_new ("sign-out", NULL);
  SignOut state = { 0 };
  GtkWidget *sign_out;

  state.app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (action, "activate", G_CALLBACK (sign_out_cb), &state);
  g_action_map_add_action (G_ACTION_MAP (state.app), G_ACTION (action));
  g_assert_true (g_application_register (G_APPLICATION (state.app), NULL, &error));
  g_assert_no_error (error);

  state.parent = GTK_WINDOW (gtk_application_window_new (state.app));
  gtk_window_present (state.parent);

  state.prefs = present_window (state.parent, fixture->settings, SERVER_URL, fixture->agent);
  g_object_add_weak_pointer (G_OBJECT (state.prefs), (gpointer *) &state.prefs);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (state.prefs)) == state.parent);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (state.prefs)) == state.app);

  sign_out = find_button_with_action (state.prefs, "prefs.sign-out");
  g_assert_nonnull (sign_out);
  g_signal_emit_by_name (sign_out, "clicked");

  /* Signed out once, after the preferences window had closed, so that the
   * main window was the active one again. */
  g_assert_cmpuint (state.n_sign_outs, ==, 1);
  g_assert_false (state.prefs_open_at_sign_out);
  g_assert_true (state.parent_active_at_sign_out);
  g_assert_null (state.prefs);

  gtk_window_destroy (state.parent);
  flush_main_loop ();
  g_object_unref (state.app);
}

/* Escape is bound on the window class (AdwPreferencesWindow's own binding):
 * find it among the window's shortcuts and run it. */
static gboolean
activate_escape (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, window,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
test_escape_closes (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *window = present_window (NULL, fixture->settings, SERVER_URL, fixture->agent);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (activate_escape (window));
  wait_for_window (&window, FALSE);
  g_assert_null (window);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/preferences/shows-server-and-agent", test_shows_server_and_agent);
  ADD ("/preferences/no-agent", test_no_agent);
  ADD ("/preferences/empty-full-name", test_empty_full_name);
  ADD ("/preferences/plain-text", test_plain_text);
  ADD ("/preferences/spins-follow-settings", test_spins_follow_settings);
  ADD ("/preferences/ranges", test_ranges);
  ADD ("/preferences/sign-out", test_sign_out);
  ADD ("/preferences/escape-closes", test_escape_closes);
#undef ADD

  return g_test_run ();
}
