/* er-sign-in-page.c: server, token and verification key, asked once. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-sign-in-page.h"

struct _ErSignInPage
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  GtkLabel    *error_label;
  AdwEntryRow *server_row;
  AdwEntryRow *token_row;
  AdwActionRow *key_row;
  AdwEntryRow *passphrase_row;
  GtkWidget   *key_button;
  GtkWidget   *sign_in_button;
  GtkStack    *button_stack;
  GtkSpinner  *spinner;

  char        *key_file;
  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (ErSignInPage, er_sign_in_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_complete (ErSignInPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (row_text (self->server_row)));
  g_autofree char *token = g_strstrip (g_strdup (row_text (self->token_row)));

  return *server != '\0' && *token != '\0' && self->key_file != NULL;
}

static void
on_changed (ErSignInPage *self)
{
  gtk_widget_set_sensitive (self->sign_in_button, !self->busy && is_complete (self));
}

static void
on_activate (ErSignInPage *self)
{
  g_autofree char *server = NULL;
  g_autofree char *token = NULL;
  const char *passphrase = NULL;

  if (self->busy || !is_complete (self))
    return;

  server = g_strstrip (g_strdup (row_text (self->server_row)));
  token = g_strstrip (g_strdup (row_text (self->token_row)));
  if (gtk_widget_get_visible (GTK_WIDGET (self->passphrase_row)))
    passphrase = row_text (self->passphrase_row);

  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0, server, token, self->key_file, passphrase);
}

void
er_sign_in_page_set_key_file (ErSignInPage *self,
                              const char   *path)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));

  if (g_strcmp0 (self->key_file, path) != 0)
    {
      g_free (self->key_file);
      self->key_file = (path != NULL && *path != '\0') ? g_strdup (path) : NULL;
      /* Another file may not need the passphrase the previous one needed. */
      gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
    }

  if (self->key_file != NULL)
    {
      g_autofree char *name = g_filename_display_name (self->key_file);
      adw_action_row_set_subtitle (self->key_row, name);
    }
  else
    adw_action_row_set_subtitle (self->key_row, _("No file chosen"));

  on_changed (self);
}

static void
set_key_from_file (ErSignInPage *self,
                   GFile        *file)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL)
    er_sign_in_page_set_key_file (self, path);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
key_chosen_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ErSignInPage) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  set_key_from_file (self, file);
}
#else
static void
key_chosen_cb (GtkNativeDialog *native,
               int              response,
               ErSignInPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      set_key_from_file (self, file);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}
#endif

static void
on_choose_key (ErSignInPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PEM key files"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.key");
  gtk_file_filter_add_mime_type (filter, "application/x-pem-file");

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Choose the Verification Key"));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_open (dialog, GTK_WINDOW (root), NULL, key_chosen_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *native =
      gtk_file_chooser_native_new (_("Choose the Verification Key"), GTK_WINDOW (root),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    g_signal_connect (native, "response", G_CALLBACK (key_chosen_cb), self);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}

void
er_sign_in_page_set_server (ErSignInPage *self,
                            const char   *server)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
}

void
er_sign_in_page_set_token (ErSignInPage *self,
                           const char   *token)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "");
}

void
er_sign_in_page_ask_passphrase (ErSignInPage *self)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static GtkWidget *
field_widget (ErSignInPage  *self,
              ErSignInField  field)
{
  switch (field)
    {
    case ER_SIGN_IN_FIELD_SERVER: return GTK_WIDGET (self->server_row);
    case ER_SIGN_IN_FIELD_TOKEN: return GTK_WIDGET (self->token_row);
    case ER_SIGN_IN_FIELD_KEY: return self->key_button;
    case ER_SIGN_IN_FIELD_PASSPHRASE: return GTK_WIDGET (self->passphrase_row);
    case ER_SIGN_IN_FIELD_NONE:
    default:
      return NULL;
    }
}

void
er_sign_in_page_set_error (ErSignInPage  *self,
                           const char    *message,
                           ErSignInField  field)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  for (ErSignInField f = ER_SIGN_IN_FIELD_SERVER; f <= ER_SIGN_IN_FIELD_PASSPHRASE; f++)
    {
      GtkAccessible *widget = GTK_ACCESSIBLE (field_widget (self, f));

      if (f == field && message != NULL)
        {
          gtk_accessible_update_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
          gtk_accessible_update_state (widget, GTK_ACCESSIBLE_STATE_INVALID,
                                       GTK_ACCESSIBLE_INVALID_TRUE, -1);
        }
      else
        {
          gtk_accessible_reset_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
          gtk_accessible_reset_state (widget, GTK_ACCESSIBLE_STATE_INVALID);
        }
    }
}

static gboolean
is_empty (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (row_text (row)));

  return *text == '\0';
}

void
er_sign_in_page_focus (ErSignInPage  *self,
                       ErSignInField  field)
{
  GtkWidget *widget = field_widget (self, field);

  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));

  if (widget == NULL || !gtk_widget_get_visible (widget))
    {
      if (is_empty (self->server_row))
        widget = GTK_WIDGET (self->server_row);
      else if (is_empty (self->token_row))
        widget = GTK_WIDGET (self->token_row);
      else if (self->key_file == NULL)
        widget = self->key_button;
      else
        widget = self->sign_in_button;
    }
  gtk_widget_grab_focus (widget);
}

/* The message shown, or NULL. */
const char *
er_sign_in_page_get_error (ErSignInPage *self)
{
  g_return_val_if_fail (ER_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

gboolean
er_sign_in_page_get_busy (ErSignInPage *self)
{
  g_return_val_if_fail (ER_IS_SIGN_IN_PAGE (self), FALSE);
  return self->busy;
}

void
er_sign_in_page_set_busy (ErSignInPage *self,
                          gboolean      busy)
{
  g_return_if_fail (ER_IS_SIGN_IN_PAGE (self));

  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  on_changed (self);
}

static void
er_sign_in_page_dispose (GObject *object)
{
  ErSignInPage *self = ER_SIGN_IN_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_SIGN_IN_PAGE);
  g_clear_pointer (&self->key_file, g_free);

  G_OBJECT_CLASS (er_sign_in_page_parent_class)->dispose (object);
}

static void
er_sign_in_page_class_init (ErSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_sign_in_page_dispose;

  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, key_button);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, ErSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_key);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
er_sign_in_page_init (ErSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  /* The password rows' Show Text buttons. */
  er_accessible_name_from_tooltips (GTK_WIDGET (self->token_row));
  er_accessible_name_from_tooltips (GTK_WIDGET (self->passphrase_row));
}
