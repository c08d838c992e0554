/* er-window.c: the main window: sign-in, then the workspace. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "er-accessible.h"
#include "er-credentials.h"
#include "er-error.h"
#include "er-history-window.h"
#include "er-lock-watch.h"
#include "er-new-case-window.h"
#include "er-preferences-window.h"
#include "er-sign-in-page.h"
#include "er-sign-in.h"
#include "er-window.h"

struct _ErWindow
{
  AdwApplicationWindow  parent_instance;

  GtkStack             *stack;
  AdwStatusPage        *starting_page;
  GtkSpinner           *starting_spinner;
  ErSignInPage         *sign_in_page;
  ErWorkspace          *workspace;
  GtkWidget            *unlock_button;

  ErLockWatch          *lock_watch;
  gint64                last_activity;  /* monotonic, of the last key or pointer event */
  guint                 idle_id;
  GPtrArray            *hidden;         /* windows hidden while locked */

  GSettings            *settings;
  GCancellable         *cancellable;

  ErReviewSession      *session;       /* signed in */
  guint                 n_closing;     /* sessions still sending their last decisions */
  struct _SignIn       *waiting;       /* a sign-in waiting for them */
  char                 *server;
  char                 *key_file;
  GPtrArray            *pending_files; /* opened before signing in */
};

G_DEFINE_FINAL_TYPE (ErWindow, er_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct _SignIn {
  ErWindow *self;
  char     *server;
  char     *token;
  char     *key_file;
  char     *passphrase;
  gboolean  remember;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_clear_object (&data->self);
  g_free (data->server);
  g_free (data->token);
  g_free (data->key_file);
  if (data->passphrase != NULL)
    explicit_bzero (data->passphrase, strlen (data->passphrase));
  g_free (data->passphrase);
  g_free (data);
}

/* The sign-in page, with the message and the focus on the field to correct
 * (NONE: on the first empty one). */
static void
show_sign_in (ErWindow      *self,
              const char    *message,
              ErSignInField  field)
{
  gtk_spinner_stop (self->starting_spinner);
  er_sign_in_page_set_busy (self->sign_in_page, FALSE);
  er_sign_in_page_set_error (self->sign_in_page, message, field);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  er_sign_in_page_focus (self->sign_in_page, field);
}

/* Which field an error of the sign-in is about. */
static ErSignInField
field_of_error (const GError *error)
{
  if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_FORBIDDEN))
    return ER_SIGN_IN_FIELD_TOKEN;
  if (g_error_matches (error, ER_ERROR, ER_ERROR_KEY_NEEDS_PASSPHRASE) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_KEY_BAD_PASSPHRASE))
    return ER_SIGN_IN_FIELD_PASSPHRASE;
  if (g_error_matches (error, ER_ERROR, ER_ERROR_KEY_INVALID) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_KEY_MISMATCH) ||
      error->domain == G_FILE_ERROR)
    return ER_SIGN_IN_FIELD_KEY;
  return ER_SIGN_IN_FIELD_SERVER;
}

static void
set_signed_in (ErWindow *self,
               gboolean  signed_in)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", signed_in);
}

/* ---- Locking ----------------------------------------------------------- */

static gboolean
is_locked (ErWindow *self)
{
  return self->session != NULL && er_review_session_get_locked (self->session);
}

static void schedule_idle_lock (ErWindow *self);

static gboolean
idle_check (gpointer user_data)
{
  ErWindow *self = user_data;

  self->idle_id = 0;
  schedule_idle_lock (self);
  return G_SOURCE_REMOVE;
}

/* Locks once lock-after-minutes have passed since the last key or pointer
 * event on the window, else waits for the rest of that time. */
static void
schedule_idle_lock (ErWindow *self)
{
  gint64 after, left;

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->session == NULL || is_locked (self))
    return;
  after = (gint64) MAX (g_settings_get_int (self->settings, "lock-after-minutes"), 1) * 60 *
          G_USEC_PER_SEC;
  left = self->last_activity + after - g_get_monotonic_time ();
  if (left <= 0)
    {
      g_debug ("No activity for %" G_GINT64_FORMAT " s: locking", after / G_USEC_PER_SEC);
      er_review_session_lock (self->session);
      return;
    }
  self->idle_id = g_timeout_add (left / 1000 + 1, idle_check, self);
}

static void
note_activity (ErWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
  if (self->session != NULL && !is_locked (self))
    er_review_session_set_active (self->session);
}

/* Every key and pointer event on the window, before any widget has it. */
static gboolean
on_window_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 ErWindow                 *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      note_activity (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* While locked, the other windows go too: those showing a learner (the
 * history) are closed, the others hidden until unlocked. (The deny panel
 * is in the workspace, which closes it.) */
static void
hide_other_windows (ErWindow *self)
{
  GList *windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;

      if (window == GTK_WINDOW (self) || gtk_window_get_transient_for (window) != GTK_WINDOW (self))
        continue;
      if (ER_IS_HISTORY_WINDOW (window))
        gtk_window_destroy (window);
      else if (gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_ptr_array_add (self->hidden, g_object_ref (window));
          gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
        }
    }
  g_list_free (windows);
}

static void
show_other_windows (ErWindow *self)
{
  g_autoptr(GPtrArray) hidden = g_steal_pointer (&self->hidden);

  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hidden->len; i++)
    gtk_window_present (hidden->pdata[i]);
}

/* The lock page follows the session's "locked". */
static void
on_locked (ErWindow *self)
{
  gboolean locked = is_locked (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", self->session != NULL && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history", self->session != NULL && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", self->session != NULL && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", self->session != NULL && !locked);
  if (locked)
    {
      g_clear_handle_id (&self->idle_id, g_source_remove);
      hide_other_windows (self);
      gtk_stack_set_visible_child_name (self->stack, "locked");
      gtk_window_set_default_widget (GTK_WINDOW (self), self->unlock_button);
      gtk_widget_grab_focus (self->unlock_button);
    }
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "locked") == 0)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
      gtk_stack_set_visible_child_name (self->stack, self->session != NULL ? "workspace" : "sign-in");
      note_activity (self);
      schedule_idle_lock (self);
      show_other_windows (self);
    }
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWindow *self = ER_WINDOW (widget);

  if (self->session != NULL)
    er_review_session_lock (self->session);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ErWindow *self = ER_WINDOW (widget);

  if (self->session != NULL)
    er_review_session_unlock (self->session);
}

static void
on_desktop_locked (ErWindow *self)
{
  if (self->session != NULL)
    er_review_session_lock (self->session);
}

/* GTK's own view of the screensaver (the desktop portal's session state in
 * a Flatpak, where logind and the ScreenSaver services are out of reach;
 * it needs the application's register-session). */
static void
on_screensaver_active (GtkApplication *application,
                       GParamSpec     *pspec,
                       ErWindow       *self)
{
  gboolean active = FALSE;

  g_object_get (application, "screensaver-active", &active, NULL);
  if (active)
    on_desktop_locked (self);
}

static void start_sign_in (ErWindow *self, SignIn *data);

static void
session_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ErWindow) self = user_data;
  GApplication *app = g_application_get_default ();

  er_review_session_close_finish (ER_REVIEW_SESSION (source), result, NULL);
  if (app != NULL)
    g_application_release (app);
  self->n_closing--;
  if (self->n_closing == 0 && self->waiting != NULL)
    start_sign_in (self, g_steal_pointer (&self->waiting));
}

/* Signed out, signing in again or closing: the session sends its last
 * decisions (the application stays alive meanwhile) and lets go. A new
 * session on the same outbox starts only once it is done. */
static void
close_session (ErWindow *self)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(ErReviewSession) session = g_steal_pointer (&self->session);

  if (session == NULL)
    return;
  g_signal_handlers_disconnect_by_func (session, on_locked, self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "locked") == 0)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
      gtk_stack_set_visible_child_name (self->stack, "sign-in");
      show_other_windows (self);
    }
  er_workspace_set_session (self->workspace, NULL);
  set_signed_in (self, FALSE);
  self->n_closing++;
  if (app != NULL)
    g_application_hold (app);
  er_review_session_close_async (session, NULL, session_closed_cb, g_object_ref (self));
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignIn *data = user_data;
  g_autoptr(ErWindow) self = g_object_ref (data->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErReviewSession) session = er_sign_in_finish (result, &error);

  gboolean remember = data->remember;
  g_autofree char *key_file = g_strdup (data->key_file);
  g_autofree char *token = g_strdup (data->token);

  sign_in_free (data);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (session == NULL)
    {
      ErSignInField field = field_of_error (error);

      /* The passphrase field is shown before the focus goes to it. */
      if (field == ER_SIGN_IN_FIELD_PASSPHRASE)
        er_sign_in_page_ask_passphrase (self->sign_in_page);
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        show_sign_in (self, _("The server did not accept this token. Check it, or ask for a new one."),
                      field);
      else if (g_error_matches (error, ER_ERROR, ER_ERROR_KEY_NEEDS_PASSPHRASE))
        show_sign_in (self, _("This verification key is protected by a passphrase."), field);
      else
        show_sign_in (self, error->message, field);
      return;
    }

  if (remember)
    {
      g_settings_set_string (self->settings, "server-url",
                             er_client_get_server (er_review_session_get_client (session)));
      g_settings_set_string (self->settings, "key-file", key_file);
      er_credentials_store (er_client_get_server (er_review_session_get_client (session)), token);
    }

  g_settings_bind (self->settings, "undo-delay", session, "undo-delay", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "prefetch-depth", session, "prefetch-depth", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "min-view-time", session, "min-view-time", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "read-ids", er_review_session_get_id_reader (session), "enabled",
                   G_SETTINGS_BIND_GET);

  gtk_spinner_stop (self->starting_spinner);
  er_sign_in_page_set_busy (self->sign_in_page, FALSE);
  er_sign_in_page_set_error (self->sign_in_page, NULL, ER_SIGN_IN_FIELD_NONE);
  gtk_stack_set_visible_child_name (self->stack, "workspace");
  self->session = g_steal_pointer (&session);
  set_signed_in (self, TRUE);
  er_workspace_set_session (self->workspace, self->session);
  g_signal_connect_object (self->session, "notify::locked", G_CALLBACK (on_locked), self,
                           G_CONNECT_SWAPPED);
  self->last_activity = g_get_monotonic_time ();
  schedule_idle_lock (self);
  if (self->pending_files != NULL)
    {
      g_autoptr(GPtrArray) files = g_steal_pointer (&self->pending_files);

      er_window_open_files (self, (GFile **) files->pdata, files->len);
    }
}

static void
start_sign_in (ErWindow *self,
               SignIn   *data)
{
  if (self->n_closing > 0)
    {
      /* The previous session is sending its last decisions. */
      g_clear_pointer (&self->waiting, sign_in_free);
      self->waiting = data;
      return;
    }
  er_sign_in_async (data->server, data->token, data->key_file, data->passphrase,
                    self->cancellable, sign_in_cb, data);
}

void
er_window_sign_in (ErWindow   *self,
                   const char *server,
                   const char *token,
                   const char *key_file,
                   const char *passphrase,
                   gboolean    remember)
{
  SignIn *data;

  g_return_if_fail (ER_IS_WINDOW (self));

  close_session (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->server);
  self->server = g_strdup (server);
  g_free (self->key_file);
  self->key_file = g_strdup (key_file);

  er_sign_in_page_set_server (self->sign_in_page, server);
  er_sign_in_page_set_token (self->sign_in_page, token);
  er_sign_in_page_set_key_file (self->sign_in_page, key_file);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sign-in") == 0)
    er_sign_in_page_set_busy (self->sign_in_page, TRUE);
  else
    {
      gtk_spinner_start (self->starting_spinner);
      gtk_stack_set_visible_child_name (self->stack, "starting");
    }

  data = g_new0 (SignIn, 1);
  data->self = g_object_ref (self);
  data->server = g_strdup (server);
  data->token = g_strdup (token);
  data->key_file = g_strdup (key_file);
  data->passphrase = g_strdup (passphrase);
  data->remember = remember;
  start_sign_in (self, data);
}

static void
on_sign_in (ErWindow   *self,
            const char *server,
            const char *token,
            const char *key_file,
            const char *passphrase)
{
  er_window_sign_in (self, server, token, key_file, passphrase, TRUE);
}

static void
on_unauthenticated (ErWindow   *self,
                    const char *message)
{
  close_session (self);
  if (self->server != NULL)
    er_credentials_forget (self->server);
  er_sign_in_page_set_token (self->sign_in_page, NULL);
  show_sign_in (self, _("The server no longer accepts your token. Sign in again to continue."),
                ER_SIGN_IN_FIELD_TOKEN);
}

typedef struct {
  ErWindow *self;
  char     *server;
  char     *key_file;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(ErWindow) self = lookup->self;
  g_autofree char *server = lookup->server;
  g_autofree char *key_file = lookup->key_file;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = er_credentials_lookup_finish (result, &error);

  g_free (lookup);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("No keyring: %s", error->message);
      show_sign_in (self, NULL, ER_SIGN_IN_FIELD_NONE);
      return;
    }

  er_window_sign_in (self, server, token, key_file, NULL, FALSE);
}

void
er_window_start (ErWindow   *self,
                 const char *server)
{
  const char *env_token = g_getenv ("EDULIB_REVIEWER_TOKEN");
  const char *env_key = g_getenv ("EDULIB_REVIEWER_KEY_FILE");
  g_autofree char *saved_server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *saved_key = g_settings_get_string (self->settings, "key-file");
  Lookup *lookup;

  g_return_if_fail (ER_IS_WINDOW (self));

  if (server == NULL || *server == '\0')
    server = saved_server;
  er_sign_in_page_set_server (self->sign_in_page, server);
  er_sign_in_page_set_key_file (self->sign_in_page, env_key != NULL ? env_key : saved_key);

  if (env_token != NULL && *env_token != '\0' && env_key != NULL && *env_key != '\0' &&
      server != NULL && *server != '\0')
    {
      er_window_sign_in (self, server, env_token, env_key,
                         g_getenv ("EDULIB_REVIEWER_KEY_PASSPHRASE"), FALSE);
      return;
    }

  if (server == NULL || *server == '\0' || *saved_key == '\0')
    {
      show_sign_in (self, NULL, ER_SIGN_IN_FIELD_NONE);
      return;
    }

  gtk_spinner_start (self->starting_spinner);
  gtk_stack_set_visible_child_name (self->stack, "starting");
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->server = g_strdup (server);
  lookup->key_file = g_strdup (saved_key);
  er_credentials_lookup_async (server, self->cancellable, lookup_cb, lookup);
}

void
er_window_sign_out (ErWindow *self)
{
  g_return_if_fail (ER_IS_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  close_session (self);
  if (self->server != NULL)
    er_credentials_forget (self->server);
  er_sign_in_page_set_token (self->sign_in_page, NULL);
  show_sign_in (self, NULL, ER_SIGN_IN_FIELD_NONE);
}

static void
on_case_created (ErNewCaseWindow *dialog,
                 ErCase          *kase,
                 gboolean         existing,
                 ErWindow        *self)
{
  er_workspace_open_case (self->workspace, kase);
}

static ErNewCaseWindow *
new_case_window (ErWindow *self)
{
  GtkWidget *dialog = er_new_case_window_new (GTK_WINDOW (self), self->session, self->settings);

  g_signal_connect_object (dialog, "case-created", G_CALLBACK (on_case_created), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ER_NEW_CASE_WINDOW (dialog);
}

void
er_window_open_files (ErWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_return_if_fail (ER_IS_WINDOW (self));

  if (n_files == 0)
    return;
  if (self->session == NULL)
    {
      /* Signing in first: the files wait. */
      g_clear_pointer (&self->pending_files, g_ptr_array_unref);
      self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (self->pending_files, g_object_ref (files[i]));
      return;
    }
  er_new_case_window_open_files (new_case_window (self), files, n_files);
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ErWindow *self = ER_WINDOW (widget);

  if (self->session != NULL)
    new_case_window (self);
}

/* An e-mail or photos dropped on the window. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ErWindow      *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  er_window_open_files (self, (GFile **) files->pdata, files->len);
  return files->len > 0;
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ErWindow *self = ER_WINDOW (widget);
  GtkWidget *history;

  if (self->session == NULL)
    return;
  history = er_history_window_new (GTK_WINDOW (self), self->session);
  gtk_window_present (GTK_WINDOW (history));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ErWindow *self = ER_WINDOW (widget);
  GtkWidget *preferences;

  if (self->session == NULL)
    return;
  preferences = er_preferences_window_new (GTK_WINDOW (self), self->settings, self->server,
                                           er_review_session_get_agent (self->session));
  gtk_window_present (GTK_WINDOW (preferences));
}

ErWorkspace *
er_window_get_workspace (ErWindow *self)
{
  g_return_val_if_fail (ER_IS_WINDOW (self), NULL);
  return self->workspace;
}

ErSignInPage *
er_window_get_sign_in_page (ErWindow *self)
{
  g_return_val_if_fail (ER_IS_WINDOW (self), NULL);
  return self->sign_in_page;
}

const char *
er_window_get_page (ErWindow *self)
{
  g_return_val_if_fail (ER_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

ErWindow *
er_window_new (ErApplication *application)
{
  ErWindow *self = g_object_new (ER_TYPE_WINDOW, "application", application, NULL);

  g_signal_connect_object (application, "notify::screensaver-active",
                           G_CALLBACK (on_screensaver_active), self, 0);
  return self;
}

static gboolean
er_window_close_request (GtkWindow *window)
{
  ErWindow *self = ER_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  close_session (self);

  return GTK_WINDOW_CLASS (er_window_parent_class)->close_request (window);
}

static void
er_window_dispose (GObject *object)
{
  ErWindow *self = ER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_session (self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_object (&self->lock_watch);
  g_clear_pointer (&self->hidden, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_WINDOW);
  g_clear_pointer (&self->waiting, sign_in_free);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->key_file, g_free);

  G_OBJECT_CLASS (er_window_parent_class)->dispose (object);
}

static void
er_window_class_init (ErWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = er_window_dispose;
  window_class->close_request = er_window_close_request;

  g_type_ensure (ER_TYPE_SIGN_IN_PAGE);
  g_type_ensure (ER_TYPE_WORKSPACE);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ErWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ErWindow, starting_page);
  gtk_widget_class_bind_template_child (widget_class, ErWindow, starting_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, ErWindow, workspace);
  gtk_widget_class_bind_template_child (widget_class, ErWindow, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in);
  gtk_widget_class_bind_template_callback (widget_class, on_unauthenticated);

  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.unlock", NULL, unlock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-case", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);
}

static void
er_window_init (ErWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (self->unlock_button);
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
  {
    GtkEventController *activity = gtk_event_controller_legacy_new ();

    gtk_event_controller_set_propagation_phase (activity, GTK_PHASE_CAPTURE);
    g_signal_connect (activity, "event", G_CALLBACK (on_window_event), self);
    gtk_widget_add_controller (GTK_WIDGET (self), activity);
  }
  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  self->lock_watch = er_lock_watch_new ();
  g_signal_connect_object (self->lock_watch, "locked", G_CALLBACK (on_desktop_locked), self,
                           G_CONNECT_SWAPPED);
  set_signed_in (self, FALSE);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::lock-after-minutes",
                           G_CALLBACK (schedule_idle_lock), self, G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}
