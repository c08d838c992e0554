/* er-preferences-window.c: (skeleton) */
#include "config.h"

#include "er-preferences-window.h"

struct _ErPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ErPreferencesWindow, er_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

GtkWidget *
er_preferences_window_new (GtkWindow *parent, GSettings *settings, const char *server_url, ErAgent *agent)
{
  return g_object_new (ER_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}

static void er_preferences_window_class_init (ErPreferencesWindowClass *klass) { }
static void er_preferences_window_init (ErPreferencesWindow *self) { }
