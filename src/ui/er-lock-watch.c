/* er-lock-watch.c: the desktop session locking (see the header). */
#include "config.h"

#include "er-lock-watch.h"

struct _ErLockWatch
{
  GObject          parent_instance;

  GCancellable    *cancellable;
  GDBusProxy      *logind;
  GDBusConnection *session_bus;
  guint            screensaver_ids[2];
};

G_DEFINE_FINAL_TYPE (ErLockWatch, er_lock_watch, G_TYPE_OBJECT)

enum {
  SIGNAL_LOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_logind_properties (GDBusProxy  *proxy,
                      GVariant    *changed,
                      GStrv        invalidated,
                      ErLockWatch *self)
{
  gboolean locked = FALSE;

  if (g_variant_lookup (changed, "LockedHint", "b", &locked) && locked)
    {
      g_debug ("The desktop session was locked (logind)");
      g_signal_emit (self, signals[SIGNAL_LOCKED], 0);
    }
}

static void
logind_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ErLockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, &error);

  if (proxy == NULL)
    {
      g_debug ("No logind session to watch: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (proxy);
      return;
    }
  self->logind = proxy;
  g_signal_connect_object (proxy, "g-properties-changed", G_CALLBACK (on_logind_properties),
                           self, 0);
}

/* "auto" names the caller's session, but logind signals its changes on the
 * session's own path: that is the one to watch. */
static void
session_path_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ErLockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                              &error);
  const char *path = NULL;

  if (reply == NULL)
    {
      g_debug ("No logind session to watch: %s", error->message);
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  g_dbus_proxy_new (G_DBUS_CONNECTION (source), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL,
                    "org.freedesktop.login1", path, "org.freedesktop.login1.Session",
                    self->cancellable, logind_cb, g_object_ref (self));
}

static void
session_id_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ErLockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                              &error);
  g_autoptr(GVariant) id = NULL;

  if (reply == NULL)
    {
      g_debug ("No logind session to watch: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &id);
  if (!g_variant_is_of_type (id, G_VARIANT_TYPE_STRING))
    return;
  g_dbus_connection_call (G_DBUS_CONNECTION (source), "org.freedesktop.login1",
                          "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                          "GetSession", g_variant_new ("(s)", g_variant_get_string (id, NULL)),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, session_path_cb, g_object_ref (self));
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ErLockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_debug ("No system bus: %s", error->message);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.login1", "/org/freedesktop/login1/session/auto",
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.login1.Session", "Id"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, session_id_cb, g_object_ref (self));
}

static void
on_screensaver (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  ErLockWatch *self = user_data;
  gboolean active = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &active);
  if (active)
    {
      g_debug ("The screensaver started (%s)", interface);
      g_signal_emit (self, signals[SIGNAL_LOCKED], 0);
    }
}

static void
session_bus_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ErLockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  const char *interfaces[] = { "org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver" };

  if (bus == NULL)
    {
      g_debug ("No session bus: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->session_bus = bus;
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    self->screensaver_ids[i] =
      g_dbus_connection_signal_subscribe (bus, NULL, interfaces[i], "ActiveChanged", NULL, NULL,
                                          G_DBUS_SIGNAL_FLAGS_NONE, on_screensaver, self, NULL);
}

ErLockWatch *
er_lock_watch_new (void)
{
  ErLockWatch *self = g_object_new (ER_TYPE_LOCK_WATCH, NULL);

  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, g_object_ref (self));
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, session_bus_cb, g_object_ref (self));
  return self;
}

static void
er_lock_watch_dispose (GObject *object)
{
  ErLockWatch *self = ER_LOCK_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session_bus != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->screensaver_ids); i++)
      if (self->screensaver_ids[i] != 0)
        {
          g_dbus_connection_signal_unsubscribe (self->session_bus, self->screensaver_ids[i]);
          self->screensaver_ids[i] = 0;
        }
  g_clear_object (&self->session_bus);
  if (self->logind != NULL)
    g_signal_handlers_disconnect_by_data (self->logind, self);
  g_clear_object (&self->logind);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (er_lock_watch_parent_class)->dispose (object);
}

static void
er_lock_watch_class_init (ErLockWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = er_lock_watch_dispose;

  signals[SIGNAL_LOCKED] =
    g_signal_new ("locked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
er_lock_watch_init (ErLockWatch *self)
{
  self->cancellable = g_cancellable_new ();
}
