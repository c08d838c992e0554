/* er-new-case-window.c: (skeleton, filled in by its owner) */
#include "config.h"

#include "er-new-case-window.h"

struct _ErNewCaseWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ErNewCaseWindow, er_new_case_window, ADW_TYPE_WINDOW)

GtkWidget *
er_new_case_window_new (GtkWindow *parent, ErClient *client, ErPrivateKey *key, GSettings *settings)
{
  return g_object_new (ER_TYPE_NEW_CASE_WINDOW, "transient-for", parent, NULL);
}

void er_new_case_window_open_files (ErNewCaseWindow *self, GFile **files, guint n_files) { }
void er_new_case_window_open_message (ErNewCaseWindow *self, GBytes *message) { }

static void
er_new_case_window_class_init (ErNewCaseWindowClass *klass)
{
  g_signal_new ("case-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 2, G_TYPE_OBJECT, G_TYPE_BOOLEAN);
}

static void er_new_case_window_init (ErNewCaseWindow *self) { }
