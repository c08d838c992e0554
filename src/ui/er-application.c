/* er-application.c: the application: command line, app actions, windows. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-application.h"
#include "er-renderer.h"
#include "er-window.h"

struct _ErApplication
{
  AdwApplication  parent_instance;

  char           *server;  /* --server, overrides the saved one */
};

G_DEFINE_FINAL_TYPE (ErApplication, er_application, ADW_TYPE_APPLICATION)

ErApplication *
er_application_new (GApplicationFlags flags)
{
  return g_object_new (ER_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags,
                       "resource-base-path", "/com/edulib/Reviewer",
                       /* For "screensaver-active" (er-window.c). */
                       "register-session", TRUE,
                       NULL);
}

static gint
er_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  ErApplication *self = ER_APPLICATION (app);
  const char *server = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("edulib-reviewer %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_free (self->server);
      self->server = g_strdup (server);
    }

  return G_APPLICATION_CLASS (er_application_parent_class)->handle_local_options (app, options);
}

static ErWindow *
main_window (ErApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  ErWindow *window;

  for (GList *l = windows; l != NULL; l = l->next)
    if (ER_IS_WINDOW (l->data))
      return l->data;

  window = er_window_new (self);
  er_window_start (window, self->server);
  return window;
}

static void
er_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (main_window (ER_APPLICATION (app))));
}

/* `edulib-reviewer message.eml`, "Open With" in the file manager: the new
 * case flow for those files, in the running instance. */
static void
er_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  ErWindow *window = main_window (ER_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  er_window_open_files (window, files, n_files);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing the windows releases the open claims before the app ends. */
  for (GList *w = windows; w != NULL; w = w->next)
    gtk_window_close (w->data);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "EDUlib", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("EDUlib Reviewer"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", "EDUlib",
                        "version", PACKAGE_VERSION,
                        "comments", _("Review the identity verifications of EDUlib learners: their face photo beside their ID, decided in a keystroke."),
                        "website", "https://edulib.org",
                        "developers", developers,
                        "copyright", "© 2026 EDUlib",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name and e-mail, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (ER_IS_WINDOW (window))
    er_window_sign_out (ER_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "sign-out", .activate = sign_out_action },
};

static void
er_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (er_application_parent_class)->startup (app);
  /* Before any window: Cairo where OpenGL would run on the CPU. */
  if (gdk_display_get_default () != NULL)
    er_renderer_choose (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
er_application_finalize (GObject *object)
{
  ErApplication *self = ER_APPLICATION (object);

  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (er_application_parent_class)->finalize (object);
}

static void
er_application_class_init (ErApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = er_application_finalize;
  app_class->handle_local_options = er_application_handle_local_options;
  app_class->activate = er_application_activate;
  app_class->open = er_application_open;
  app_class->startup = er_application_startup;
}

static void
er_application_init (ErApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("Origin of the review server, e.g. https://verify.edulib.org"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Review the identity verifications of EDUlib learners."));
}
