/* er-history-window.c: (skeleton, filled in by its owner) */
#include "config.h"

#include "er-history-window.h"

struct _ErHistoryWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ErHistoryWindow, er_history_window, ADW_TYPE_WINDOW)

GtkWidget *
er_history_window_new (GtkWindow *parent, ErClient *client, ErOutbox *outbox)
{
  return g_object_new (ER_TYPE_HISTORY_WINDOW, "transient-for", parent, NULL);
}

void er_history_window_refresh (ErHistoryWindow *self) { }
static void er_history_window_class_init (ErHistoryWindowClass *klass) { }
static void er_history_window_init (ErHistoryWindow *self) { }
