/* er-preferences-window.c: server, account, prefetch depth, undo delay. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-preferences-window.h"

struct _ErPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkLabel             *server_label;
  AdwActionRow         *account_row;
  GtkSpinButton        *prefetch_spin;
  GtkSpinButton        *undo_spin;
  GtkSpinButton        *lock_spin;
  GtkSwitch            *read_ids_switch;
};

G_DEFINE_FINAL_TYPE (ErPreferencesWindow, er_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

GtkSpinButton *
er_preferences_window_get_prefetch_spin (ErPreferencesWindow *self)
{
  g_return_val_if_fail (ER_IS_PREFERENCES_WINDOW (self), NULL);
  return self->prefetch_spin;
}

GtkSpinButton *
er_preferences_window_get_undo_spin (ErPreferencesWindow *self)
{
  g_return_val_if_fail (ER_IS_PREFERENCES_WINDOW (self), NULL);
  return self->undo_spin;
}

static void
show_server (ErPreferencesWindow *self,
             const char          *server_url)
{
  if (server_url != NULL && *server_url != '\0')
    {
      gtk_label_set_text (self->server_label, server_url);
      /* In full when it is too long for the row. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->server_label), server_url);
    }
  else
    {
      gtk_label_set_text (self->server_label, _("No server chosen"));
      gtk_label_set_selectable (self->server_label, FALSE);
    }
}

static void
show_agent (ErPreferencesWindow *self,
            ErAgent             *agent)
{
  const char *full_name;
  const char *username;

  if (agent == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Not signed in"));
      adw_action_row_set_subtitle (self->account_row, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-out", FALSE);
      return;
    }

  /* The platform may send an empty full name: the username is then the title. */
  full_name = er_agent_get_full_name (agent);
  username = er_agent_get_username (agent);
  if (full_name != NULL && *full_name != '\0')
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), full_name);
      adw_action_row_set_subtitle (self->account_row, username);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), username);
      adw_action_row_set_subtitle (self->account_row, NULL);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-out", TRUE);
}

GtkWidget *
er_preferences_window_new (GtkWindow  *parent,
                           GSettings  *settings,
                           const char *server_url,
                           ErAgent    *agent)
{
  ErPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (agent == NULL || ER_IS_AGENT (agent), NULL);

  /* Part of the application, like its parent: app.* actions and
   * accelerators reach it. */
  self = g_object_new (ER_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);

  show_server (self, server_url);
  show_agent (self, agent);

  g_settings_bind (settings, "prefetch-depth", self->prefetch_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "undo-delay", self->undo_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "lock-after-minutes", self->lock_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "read-ids", self->read_ids_switch, "active", G_SETTINGS_BIND_DEFAULT);
#ifndef HAVE_TESSERACT
  /* Built without Tesseract (meson option ocr): nothing to turn on. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->read_ids_switch), ADW_TYPE_ACTION_ROW),
                          FALSE);
#endif

  return GTK_WIDGET (self);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GtkApplication *window_app = gtk_window_get_application (GTK_WINDOW (widget));
  GApplication *app = window_app != NULL ? G_APPLICATION (window_app) : g_application_get_default ();
  g_autoptr(GApplication) hold = app != NULL ? g_object_ref (app) : NULL;

  /* Close first: app.sign-out acts on the application's active window,
   * which must be the main window again, not this one. */
  gtk_window_destroy (GTK_WINDOW (widget));

  if (app == NULL || !g_action_group_has_action (G_ACTION_GROUP (app), "sign-out"))
    {
      g_warning ("Cannot sign out: the application has no “sign-out” action");
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
}

/* The first focus on the first setting that can be changed, not on the
 * server's row, which only shows the server. Once mapped: a focus given
 * earlier makes GTK 4.8 expose the window to screen readers as a plain
 * object. */
static void
er_preferences_window_map (GtkWidget *widget)
{
  ErPreferencesWindow *self = ER_PREFERENCES_WINDOW (widget);

  GTK_WIDGET_CLASS (er_preferences_window_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->prefetch_spin));
}

static void
er_preferences_window_class_init (ErPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = er_preferences_window_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/edulib/Reviewer/er-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, server_label);
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, prefetch_spin);
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, undo_spin);
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, lock_spin);
  gtk_widget_class_bind_template_child (widget_class, ErPreferencesWindow, read_ids_switch);

  gtk_widget_class_install_action (widget_class, "prefs.sign-out", NULL, sign_out_action);
}

static void
er_preferences_window_init (ErPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
}
