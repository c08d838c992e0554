/* er-new-case-window.c: a new e-mailed case.
 *
 * One worker thread reads what the agent gave (an .eml parsed with GMime
 * through er-mail, or image files) into memory; each chosen photo is then
 * decoded in its own thread into an in-memory texture for the previews.
 * Nothing is written to disk. The invoice number is looked up once the
 * typing pauses; "Create Case" encrypts and sends with er-manual.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-error.h"
#include "er-format.h"
#include "er-mail.h"
#include "er-manual.h"
#include "er-new-case-window.h"
#include "er-photo.h"
#include "er-secret.h"

#define LOOKUP_DELAY_MS 400
#define MAX_HAND_IMAGES 2

/* One image that may be the face or the ID. Shared with decoding threads,
 * which only read data; the other members change on the main thread. */
typedef struct {
  char       *name;
  char       *format;     /* sniffed, nullable */
  GBytes     *data;
  int         width;
  int         height;
  GdkTexture *texture;    /* the decoded preview */
  char       *problem;    /* why it cannot be used (format, corrupt...) */
  gboolean    decoding;
} Candidate;

typedef enum {
  MESSAGE_NONE,
  MESSAGE_INFO,
  MESSAGE_WARNING,
  MESSAGE_ERROR,
} MessageKind;

struct _ErNewCaseWindow
{
  AdwWindow parent_instance;

  /* Template */
  GtkMenuButton      *open_button;
  GtkButton          *create_button;
  GtkSpinner         *create_spinner;
  GtkStack           *stack;
  GtkLabel           *subject_label;
  GtkLabel           *from_label;
  GtkListBox         *warnings_list;
  GtkStack           *face_stack;
  GtkPicture         *face_picture;
  GtkLabel           *face_message;
  GtkLabel           *face_caption;
  GtkDropDown        *face_dropdown;
  GtkStack           *id_stack;
  GtkPicture         *id_picture;
  GtkLabel           *id_message;
  GtkLabel           *id_caption;
  GtkDropDown        *id_dropdown;
  GtkButton          *swap_button;
  AdwPreferencesGroup *invoice_group;
  AdwEntryRow        *invoice_row;
  GtkSpinner         *lookup_spinner;
  AdwActionRow       *order_message_row;
  GtkImage           *order_message_icon;
  AdwActionRow       *learner_row;
  AdwActionRow       *course_row;
  AdwActionRow       *verification_row;
  GtkBox             *status_box;
  GtkImage           *status_icon;
  GtkSpinner         *status_spinner;
  GtkLabel           *status_label;

  ErClient           *client;
  ErPrivateKey       *key;
  GSettings          *settings;
  GtkFileChooserNative *chooser;

  /* What is loaded */
  GCancellable       *load_cancellable;
  gboolean            loading;
  gboolean            loaded;
  ErMail             *mail;        /* NULL: photos chosen by hand */
  GPtrArray          *candidates;  /* Candidate */
  GPtrArray          *warnings;    /* char * */
  int                 face;        /* index in candidates, -1: none */
  int                 id;
  gboolean            updating_dropdowns;

  /* The order */
  char               *invoice;     /* trimmed entry text */
  guint               lookup_source;
  GCancellable       *lookup_cancellable;
  char               *looked_up;   /* the invoice of order or order_message */
  ErOrder            *order;
  char               *order_message;
  MessageKind         order_message_kind;
  gboolean            order_blocks; /* no case can be made for this order */

  /* Sending */
  GCancellable       *upload_cancellable;
  gboolean            uploading;
  char               *error;
};

G_DEFINE_FINAL_TYPE (ErNewCaseWindow, er_new_case_window, ADW_TYPE_WINDOW)

enum {
  CASE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_photos (ErNewCaseWindow *self);
static void update_state  (ErNewCaseWindow *self);

/* ------------------------------------------------------------------------ */
/* Candidates                                                               */

static void
candidate_clear (Candidate *c)
{
  g_free (c->name);
  g_free (c->format);
  g_clear_pointer (&c->data, g_bytes_unref);
  g_clear_object (&c->texture);
  g_free (c->problem);
}

static Candidate *
candidate_new (const char *name,
               const char *format,
               GBytes     *data,
               int         width,
               int         height)
{
  Candidate *c = g_atomic_rc_box_new0 (Candidate);

  c->name = g_strdup (name);
  c->format = g_strdup (format);
  c->data = g_bytes_ref (data);
  c->width = width;
  c->height = height;
  return c;
}

static Candidate *
candidate_ref (Candidate *c)
{
  return g_atomic_rc_box_acquire (c);
}

static void
candidate_unref (Candidate *c)
{
  g_atomic_rc_box_release_full (c, (GDestroyNotify) candidate_clear);
}

static Candidate *
get_candidate (ErNewCaseWindow *self,
               int              index)
{
  if (self->candidates == NULL || index < 0 || (guint) index >= self->candidates->len)
    return NULL;
  return g_ptr_array_index (self->candidates, index);
}

static gboolean
candidate_usable (Candidate *c)
{
  return c != NULL && c->texture != NULL;
}

/* "selfie.jpg · JPEG · 640 × 480" */
static char *
candidate_label (Candidate *c)
{
  GString *s = g_string_new (c->name);
  int width = c->texture ? gdk_texture_get_width (c->texture) : c->width;
  int height = c->texture ? gdk_texture_get_height (c->texture) : c->height;

  if (c->format != NULL)
    g_string_append_printf (s, " · %s", c->format);
  if (width > 0 && height > 0)
    g_string_append_printf (s, " · %d × %d", width, height);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Decoding the previews, in memory                                          */

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Candidate *c = task_data;
  GError *error = NULL;
  GdkTexture *texture = er_photo_decode (c->data, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ErNewCaseWindow *self = ER_NEW_CASE_WINDOW (object);
  Candidate *c = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  c->decoding = FALSE;
  if (texture == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("%s does not decode: %s", c->name, error->message);
      c->problem = g_strdup (error->message);
    }
  else
    {
      c->texture = texture;
    }
  update_photos (self);
  update_state (self);
}

static void
ensure_decoded (ErNewCaseWindow *self,
                int              index)
{
  Candidate *c = get_candidate (self, index);
  g_autoptr(GTask) task = NULL;

  if (c == NULL || c->texture != NULL || c->problem != NULL || c->decoding)
    return;
  c->decoding = TRUE;
  task = g_task_new (self, self->load_cancellable, decode_cb, NULL);
  g_task_set_source_tag (task, ensure_decoded);
  g_task_set_task_data (task, candidate_ref (c), (GDestroyNotify) candidate_unref);
  g_task_run_in_thread (task, decode_thread);
}

/* ------------------------------------------------------------------------ */
/* Showing                                                                  */

static void
show_status (ErNewCaseWindow *self,
             gboolean         busy,
             const char      *text)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), !busy);
  gtk_label_set_text (self->status_label, text ? text : "");
  if (busy)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_error (ErNewCaseWindow *self,
           const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  show_status (self, FALSE, message);
}

static void
update_pane (ErNewCaseWindow *self,
             int              index,
             GtkStack        *stack,
             GtkPicture      *picture,
             GtkLabel        *message,
             GtkLabel        *caption)
{
  Candidate *c = get_candidate (self, index);
  g_autofree char *label = NULL;

  if (c == NULL)
    {
      gtk_picture_set_paintable (picture, NULL);
      if (self->candidates != NULL && self->candidates->len == 1)
        gtk_label_set_text (message, _("Two photos are needed: choose the learner’s photo and the ID photo together."));
      else
        gtk_label_set_text (message, _("No photo"));
      gtk_stack_set_visible_child_name (stack, "message");
      gtk_label_set_text (caption, "");
      return;
    }

  label = candidate_label (c);
  gtk_label_set_text (caption, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (caption), label);
  if (c->texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (c->texture));
      gtk_stack_set_visible_child_name (stack, "picture");
    }
  else if (c->problem != NULL)
    {
      gtk_picture_set_paintable (picture, NULL);
      gtk_label_set_text (message, c->problem);
      gtk_stack_set_visible_child_name (stack, "message");
    }
  else
    {
      gtk_picture_set_paintable (picture, NULL);
      gtk_stack_set_visible_child_name (stack, "loading");
    }
}

static void
update_photos (ErNewCaseWindow *self)
{
  update_pane (self, self->face, self->face_stack, self->face_picture,
               self->face_message, self->face_caption);
  update_pane (self, self->id, self->id_stack, self->id_picture,
               self->id_message, self->id_caption);

  self->updating_dropdowns = TRUE;
  if (self->face >= 0)
    gtk_drop_down_set_selected (self->face_dropdown, self->face);
  if (self->id >= 0)
    gtk_drop_down_set_selected (self->id_dropdown, self->id);
  self->updating_dropdowns = FALSE;
}

static void
set_dropdown_models (ErNewCaseWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  gboolean choose = self->candidates->len > 2;

  for (guint i = 0; i < self->candidates->len; i++)
    {
      g_autofree char *label = candidate_label (g_ptr_array_index (self->candidates, i));

      gtk_string_list_append (list, label);
    }
  self->updating_dropdowns = TRUE;
  gtk_drop_down_set_model (self->face_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_model (self->id_dropdown, G_LIST_MODEL (list));
  self->updating_dropdowns = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->face_dropdown), choose);
  gtk_widget_set_visible (GTK_WIDGET (self->id_dropdown), choose);
}

static gboolean
lookup_current (ErNewCaseWindow *self)
{
  return self->looked_up != NULL && g_strcmp0 (self->looked_up, self->invoice) == 0;
}

static void
update_state (ErNewCaseWindow *self)
{
  gboolean can_create = er_new_case_window_can_create (self);
  gboolean lookup_running = self->lookup_cancellable != NULL;
  gboolean have_two = get_candidate (self, self->face) != NULL && get_candidate (self, self->id) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-case.create", can_create);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-case.swap", have_two && !self->uploading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-case.open-email", !self->uploading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-case.choose-photos", !self->uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), self->loaded);
  /* Return is GtkWindow's activate-default: Create Case, when it can run
   * (set again each time: hiding the button unsets it). */
  if (self->loaded && gtk_window_get_default_widget (GTK_WINDOW (self)) != GTK_WIDGET (self->create_button))
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->create_button));
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), self->loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), self->uploading);
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_spinner), lookup_running);
  /* Not insensitive: the entry may have the focus, and GtkText wants it back first. */
  gtk_editable_set_editable (GTK_EDITABLE (self->invoice_row), !self->uploading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->face_dropdown), !self->uploading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_dropdown), !self->uploading);

  if (self->invoice == NULL || *self->invoice == '\0')
    adw_preferences_group_set_description (self->invoice_group,
                                           _("Type the invoice number, e.g. EDU-2026-004211"));
  else
    adw_preferences_group_set_description (self->invoice_group, NULL);
}

static char *
format_time_or (GDateTime  *time,
                const char *fallback)
{
  return time ? er_format_time (time) : g_strdup (fallback);
}

static void
set_row (AdwActionRow *row,
         const char   *title,
         const char   *subtitle)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "none") == 0)
    return _("not submitted yet");
  if (g_strcmp0 (status, "pending") == 0)
    return _("pending, a case is waiting for review");
  if (g_strcmp0 (status, "approved") == 0)
    return _("approved");
  if (g_strcmp0 (status, "denied") == 0)
    return _("denied");
  if (g_strcmp0 (status, "expired") == 0)
    return _("expired");
  return status;
}

static void
update_order (ErNewCaseWindow *self)
{
  ErOrder *order = self->order;
  GtkWidget *icon = GTK_WIDGET (self->order_message_icon);
  GtkAccessible *invoice = GTK_ACCESSIBLE (self->invoice_row);

  /* A message that stops the case is about the invoice number: screen
   * readers read it with the field, marked invalid. */
  if (self->order_message != NULL && self->order_blocks)
    {
      gtk_accessible_update_property (invoice, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      self->order_message, -1);
      gtk_accessible_update_state (invoice, GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_accessible_reset_property (invoice, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (invoice, GTK_ACCESSIBLE_STATE_INVALID);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->order_message_row), self->order_message != NULL);
  if (self->order_message != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->order_message_row),
                                     self->order_message);
      gtk_widget_remove_css_class (icon, "error");
      gtk_widget_remove_css_class (icon, "warning");
      gtk_widget_remove_css_class (icon, "accent");
      switch (self->order_message_kind)
        {
        case MESSAGE_ERROR:
          gtk_image_set_from_icon_name (self->order_message_icon, "dialog-error-symbolic");
          gtk_widget_add_css_class (icon, "error");
          break;
        case MESSAGE_WARNING:
          gtk_image_set_from_icon_name (self->order_message_icon, "dialog-warning-symbolic");
          gtk_widget_add_css_class (icon, "warning");
          break;
        case MESSAGE_INFO:
        case MESSAGE_NONE:
        default:
          gtk_image_set_from_icon_name (self->order_message_icon, "dialog-information-symbolic");
          gtk_widget_add_css_class (icon, "accent");
          break;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->learner_row), order != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->course_row), order != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->verification_row), order != NULL);
  if (order == NULL)
    return;

  /* François Côté / fcote · fcote@example.org */
  {
    const char *email = er_order_get_email (order);
    g_autofree char *who = email
                           ? g_strdup_printf ("%s · %s", er_order_get_username (order), email)
                           : g_strdup (er_order_get_username (order));

    set_row (self->learner_row, er_order_get_full_name (order), who);
  }

  /* The course / Paid: 18 October 2026, 10:04 · 49.00 CAD */
  {
    const char *course = er_order_get_course_name (order);
    g_autofree char *paid = NULL;

    if (course == NULL)
      course = er_order_get_course_id (order);
    if (er_order_get_paid (order))
      {
        g_autofree char *when = format_time_or (er_order_get_paid_at (order), NULL);
        const char *amount = er_order_get_amount (order);
        const char *currency = er_order_get_currency (order);
        g_autofree char *price = amount
                                 ? g_strdup_printf ("%s %s", amount, currency ? currency : "")
                                 : NULL;

        if (when != NULL && price != NULL)
          /* Translators: the certificate's payment: "Paid: 18 October 2026, 10:04 · 49.00 CAD" */
          paid = g_strdup_printf (_("Paid: %s · %s"), when, g_strstrip (price));
        else if (when != NULL || price != NULL)
          paid = g_strdup_printf (_("Paid: %s"), when ? when : g_strstrip (price));
        else
          paid = g_strdup (_("Paid"));
      }
    else
      {
        paid = g_strdup (_("Not paid"));
      }
    set_row (self->course_row, course ? course : _("Unknown course"), paid);
  }

  /* Identity verification: Not submitted yet / Upgrade deadline: … · Verification deadline: … */
  {
    g_autofree char *upgrade = format_time_or (er_order_get_upgrade_deadline (order), _("none"));
    g_autofree char *deadline = format_time_or (er_order_get_verification_deadline (order), _("none"));
    g_autofree char *title = g_strdup_printf (_("Identity verification: %s"),
                                              status_text (er_order_get_verification_status (order)));
    g_autofree char *dates = g_strdup_printf (_("Upgrade deadline: %s · Verification deadline: %s"),
                                              upgrade, deadline);

    set_row (self->verification_row, title, dates);
  }
}

static void
clear_order (ErNewCaseWindow *self)
{
  g_clear_object (&self->order);
  g_clear_pointer (&self->order_message, g_free);
  g_clear_pointer (&self->looked_up, g_free);
  self->order_message_kind = MESSAGE_NONE;
  self->order_blocks = FALSE;
  update_order (self);
}

static void
set_order_message (ErNewCaseWindow *self,
                   MessageKind      kind,
                   gboolean         blocks,
                   char            *message)
{
  g_free (self->order_message);
  self->order_message = message;
  self->order_message_kind = kind;
  self->order_blocks = blocks;
}

/* ------------------------------------------------------------------------ */
/* The order                                                                */

/* The focus on the invoice number, to type it or correct it; left alone
 * when it is there already (grabbing it again would select the text). */
static void
focus_invoice (ErNewCaseWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row = GTK_WIDGET (self->invoice_row);

  if (focus == NULL || (focus != row && !gtk_widget_is_ancestor (focus, row)))
    gtk_widget_grab_focus (row);
}

static void
get_order_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ErNewCaseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErOrder) order = er_client_get_order_finish (ER_CLIENT (object), result, &error);
  const char *invoice;

  if (order == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup_cancellable);

  invoice = self->looked_up;
  if (order == NULL)
    {
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNKNOWN_INVOICE))
        set_order_message (self, MESSAGE_ERROR, TRUE,
                           g_strdup_printf (_("No order has the number “%s”. Check the number in the e-mail."),
                                            invoice));
      else
        set_order_message (self, MESSAGE_ERROR, TRUE,
                           g_strdup_printf (_("The order could not be looked up: %s Press Enter in the invoice number to try again."),
                                            error->message));
    }
  else
    {
      const char *status = er_order_get_verification_status (order);

      self->order = g_steal_pointer (&order);
      if (!er_order_get_paid (self->order))
        set_order_message (self, MESSAGE_ERROR, TRUE,
                           g_strdup (_("This order is not paid: no attestation to verify.")));
      else if (g_strcmp0 (status, "approved") == 0)
        set_order_message (self, MESSAGE_ERROR, TRUE,
                           g_strdup (_("This learner’s identity is already verified (approved).")));
      else if (g_strcmp0 (status, "pending") == 0)
        set_order_message (self, MESSAGE_INFO, FALSE,
                           g_strdup (_("A case for this invoice is already waiting for review. "
                                       "Creating it again from the same e-mail opens that case.")));
      else if (g_strcmp0 (status, "denied") == 0)
        set_order_message (self, MESSAGE_INFO, FALSE,
                           g_strdup (_("An earlier submission was denied: this is a new attempt.")));
      else if (g_strcmp0 (status, "expired") == 0)
        set_order_message (self, MESSAGE_WARNING, FALSE,
                           g_strdup (_("The verification period of this order has expired.")));
    }
  update_order (self);
  update_state (self);
  if (self->order_blocks)
    focus_invoice (self);
}

static void
start_lookup (ErNewCaseWindow *self)
{
  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  clear_order (self);

  if (self->invoice == NULL || *self->invoice == '\0' || self->client == NULL)
    {
      update_state (self);
      return;
    }

  self->looked_up = g_strdup (self->invoice);
  self->lookup_cancellable = g_cancellable_new ();
  er_client_get_order_async (self->client, self->invoice, self->lookup_cancellable,
                             get_order_cb, g_object_ref (self));
  update_state (self);
}

static gboolean
lookup_timeout_cb (gpointer user_data)
{
  ErNewCaseWindow *self = user_data;

  self->lookup_source = 0;
  start_lookup (self);
  return G_SOURCE_REMOVE;
}

static void
on_invoice_changed (ErNewCaseWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->invoice_row)));

  g_strstrip (text);
  if (g_strcmp0 (text, self->invoice) == 0)
    return;
  g_free (self->invoice);
  self->invoice = g_steal_pointer (&text);

  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  clear_order (self);
  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (*self->invoice != '\0')
    self->lookup_source = g_timeout_add (LOOKUP_DELAY_MS, lookup_timeout_cb, self);
  update_state (self);
}

static void
on_invoice_activated (ErNewCaseWindow *self)
{
  if (er_new_case_window_can_create (self))
    er_new_case_window_create (self);
  else if (self->lookup_source != 0 || (self->lookup_cancellable == NULL && self->order == NULL))
    start_lookup (self);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */

typedef struct {
  GBytes    *message;  /* or files */
  GPtrArray *files;    /* GFile */
  char      *pattern;  /* nullable: the default */
} LoadInput;

typedef struct {
  ErMail    *mail;
  GPtrArray *candidates;
  GPtrArray *warnings;
  char      *invoice;  /* found in file names, hand mode */
  int        face;
  int        id;
} Loaded;

static void
load_input_free (LoadInput *input)
{
  g_clear_pointer (&input->message, g_bytes_unref);
  g_clear_pointer (&input->files, g_ptr_array_unref);
  g_free (input->pattern);
  g_free (input);
}

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->mail, er_mail_unref);
  g_clear_pointer (&loaded->candidates, g_ptr_array_unref);
  g_clear_pointer (&loaded->warnings, g_ptr_array_unref);
  g_free (loaded->invoice);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static char *
file_name (GFile     *file,
           GFileInfo *info)
{
  const char *display = info ? g_file_info_get_display_name (info) : NULL;

  if (display != NULL)
    return g_strdup (display);
  return g_file_get_basename (file);
}

static gboolean
is_message (GFileInfo *info,
            const char *name)
{
  const char *type = g_file_info_get_content_type (info);
  g_autofree char *lower = g_utf8_strdown (name, -1);

  if (g_str_has_suffix (lower, ".eml"))
    return TRUE;
  if (type == NULL)
    return FALSE;
  return g_content_type_is_a (type, "message/rfc822");
}

/* Reads at most max_bytes of file in memory; the size is checked first. */
static GBytes *
read_file (GFile        *file,
           GFileInfo    *info,
           const char   *name,
           gboolean      message,
           GCancellable *cancellable,
           GError      **error)
{
  goffset max_bytes = message ? ER_MAIL_MAX_BYTES : ER_PHOTO_MAX_BYTES;
  goffset size = g_file_info_get_size (info);
  char *contents = NULL;
  gsize length = 0;

  /* Checked before reading, and again after (the file may have grown). */
  if (size <= max_bytes)
    {
      if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
        return NULL;
      size = length;
    }
  if (size > max_bytes)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *limit = er_format_size_limit (max_bytes);

      g_free (contents);
      if (message)
        g_set_error (error, ER_ERROR, ER_ERROR_TOO_LARGE,
                     _("“%s” is too large (%s): e-mails over %s are not read."), name, have, limit);
      else
        g_set_error (error, ER_ERROR, ER_ERROR_TOO_LARGE,
                     _("“%s” is too large (%s): photos over %s are left out."), name, have, limit);
      return NULL;
    }
  /* A photo or an e-mail holding photos: wiped when released. */
  return er_secret_bytes_new_take (contents, length, length);
}

static gboolean
load_message (Loaded       *loaded,
              GBytes       *message,
              const char   *pattern,
              GError      **error)
{
  g_autoptr(GPtrArray) warnings = NULL;

  loaded->mail = er_mail_parse (message, pattern, error);
  if (loaded->mail == NULL)
    return FALSE;

  for (guint i = 0; i < er_mail_get_n_images (loaded->mail); i++)
    {
      const ErMailImage *image = er_mail_get_image (loaded->mail, i);
      g_autofree char *fallback = g_strdup_printf (_("Attachment %u"), i + 1);

      g_ptr_array_add (loaded->candidates,
                       candidate_new (image->filename ? image->filename : fallback,
                                      image->format, image->data, image->width, image->height));
    }
  warnings = er_mail_get_warnings (loaded->mail);
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_ptr_array_add (loaded->warnings, g_strdup (g_ptr_array_index (warnings, i)));
  if (loaded->candidates->len == 0)
    g_ptr_array_add (loaded->warnings,
                     g_strdup (_("This e-mail has no photo attached. Ask the learner for the two "
                                 "photos, or choose them by hand.")));
  er_mail_propose (loaded->mail, &loaded->face, &loaded->id);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadInput *input = task_data;
  g_autoptr(Loaded) loaded = g_new0 (Loaded, 1);
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  int message_index = -1;

  loaded->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_unref);
  loaded->warnings = g_ptr_array_new_with_free_func (g_free);
  loaded->face = loaded->id = -1;

  if (input->message != NULL)
    {
      if (g_bytes_get_size (input->message) > ER_MAIL_MAX_BYTES)
        {
          g_autofree char *limit = er_format_size_limit (ER_MAIL_MAX_BYTES);

          g_task_return_new_error (task, ER_ERROR, ER_ERROR_TOO_LARGE,
                                   _("This e-mail is too large: messages over %s are not read."),
                                   limit);
          return;
        }
      if (!load_message (loaded, input->message, input->pattern, &error))
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, g_steal_pointer (&loaded), (GDestroyNotify) loaded_free);
      return;
    }

  /* What each file is. */
  for (guint i = 0; i < input->files->len; i++)
    {
      GFile *file = g_ptr_array_index (input->files, i);
      g_autofree char *name = NULL;
      GFileInfo *info = g_file_query_info (file,
                                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                           G_FILE_QUERY_INFO_NONE, cancellable, &error);

      if (info == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (infos, info);
      name = file_name (file, info);
      if (message_index < 0 && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR
          && is_message (info, name))
        message_index = i;
    }

  if (message_index >= 0)
    {
      GFile *file = g_ptr_array_index (input->files, message_index);
      GFileInfo *info = g_ptr_array_index (infos, message_index);
      g_autofree char *name = file_name (file, info);
      g_autoptr(GBytes) bytes = NULL;

      bytes = read_file (file, info, name, TRUE, cancellable, &error);
      if (bytes == NULL || !load_message (loaded, bytes, input->pattern, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      if (input->files->len > 1)
        g_ptr_array_insert (loaded->warnings, 0,
                            g_strdup_printf (_("Only “%s” was read: drop one e-mail at a time."), name));
      g_task_return_pointer (task, g_steal_pointer (&loaded), (GDestroyNotify) loaded_free);
      return;
    }

  /* Photos chosen by hand. */
  for (guint i = 0; i < input->files->len; i++)
    {
      GFile *file = g_ptr_array_index (input->files, i);
      GFileInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *name = file_name (file, info);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *format;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        {
          g_ptr_array_add (loaded->warnings,
                           g_strdup_printf (_("“%s” is not a file: left out."), name));
          continue;
        }
      if (loaded->candidates->len == MAX_HAND_IMAGES)
        {
          g_ptr_array_add (loaded->warnings,
                           g_strdup_printf (_("Only two photos are used: “%s” was left out."), name));
          continue;
        }
      bytes = read_file (file, info, name, FALSE, cancellable, &local_error);
      if (bytes == NULL)
        {
          g_ptr_array_add (loaded->warnings, g_strdup (local_error->message));
          continue;
        }
      format = er_photo_sniff_format (bytes);
      if (format == NULL)
        {
          g_ptr_array_add (loaded->warnings,
                           g_strdup_printf (_("“%s” is neither an e-mail (.eml) nor an image: left out."),
                                            name));
          continue;
        }
      if (loaded->invoice == NULL)
        loaded->invoice = er_mail_find_invoice (name, input->pattern);
      g_ptr_array_add (loaded->candidates, candidate_new (name, format, bytes, 0, 0));
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  if (loaded->candidates->len == 0)
    {
      if (loaded->warnings->len > 0)
        g_task_return_new_error (task, ER_ERROR, ER_ERROR_PARSE, "%s",
                                 (char *) g_ptr_array_index (loaded->warnings, 0));
      else
        g_task_return_new_error (task, ER_ERROR, ER_ERROR_PARSE, "%s",
                                 _("Nothing to read: drop an e-mail (.eml) or two photos."));
      return;
    }
  loaded->face = 0;
  loaded->id = loaded->candidates->len > 1 ? 1 : -1;
  g_task_return_pointer (task, g_steal_pointer (&loaded), (GDestroyNotify) loaded_free);
}

static void
add_warning_row (ErNewCaseWindow *self,
                 const char      *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_list_box_append (self->warnings_list, row);
}

static void
show_loaded (ErNewCaseWindow *self,
             Loaded          *loaded)
{
  gboolean was_hand = self->loaded && self->mail == NULL;
  GtkWidget *child;
  const char *invoice;

  g_clear_pointer (&self->mail, er_mail_unref);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  self->mail = g_steal_pointer (&loaded->mail);
  self->candidates = g_steal_pointer (&loaded->candidates);
  self->warnings = g_steal_pointer (&loaded->warnings);
  self->face = loaded->face;
  self->id = loaded->id;
  if (self->face >= 0 && self->face == self->id)
    self->id = -1;
  self->loaded = TRUE;

  /* The message, or the files. */
  if (self->mail != NULL)
    {
      const char *subject = er_mail_get_subject (self->mail);
      const char *from = er_mail_get_from (self->mail);
      GDateTime *date = er_mail_get_date (self->mail);
      g_autofree char *when = date ? er_format_time (date) : NULL;
      g_autofree char *line = NULL;

      if (from != NULL && when != NULL)
        /* Translators: "From Name <address> · 26 November 2026, 10:04" */
        line = g_strdup_printf (_("From %s · %s"), from, when);
      else if (from != NULL)
        line = g_strdup_printf (_("From %s"), from);
      else if (when != NULL)
        line = g_strdup_printf (_("Received %s"), when);
      gtk_label_set_text (self->subject_label,
                          subject && *subject ? subject : _("(no subject)"));
      gtk_label_set_text (self->from_label, line ? line : "");
      gtk_widget_set_visible (GTK_WIDGET (self->from_label), line != NULL);
    }
  else
    {
      gtk_label_set_text (self->subject_label, _("Photos chosen by hand"));
      gtk_label_set_text (self->from_label, _("No e-mail: the case is dated now."));
      gtk_widget_set_visible (GTK_WIDGET (self->from_label), TRUE);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);
  for (guint i = 0; i < self->warnings->len; i++)
    add_warning_row (self, g_ptr_array_index (self->warnings, i));
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_list), self->warnings->len > 0);

  set_dropdown_models (self);
  ensure_decoded (self, self->face);
  ensure_decoded (self, self->id);
  update_photos (self);

  /* The invoice: found in the message, else kept while choosing photos again. */
  if (self->mail != NULL)
    invoice = er_mail_get_invoice (self->mail);
  else if (loaded->invoice != NULL)
    invoice = loaded->invoice;
  else
    invoice = was_hand ? self->invoice : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->invoice_row), invoice ? invoice : "");
  on_invoice_changed (self);
  if (self->invoice != NULL && *self->invoice != '\0')
    start_lookup (self); /* found, no need to wait for typing */

  gtk_stack_set_visible_child_name (self->stack, "loaded");
  /* The invoice number: to type it when there is none, else to check it;
   * Return there is "Create Case" (not Cancel, which has the focus at
   * first), and screen readers read it rather than nothing. */
  focus_invoice (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ErNewCaseWindow *self = ER_NEW_CASE_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(Loaded) loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (loaded == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return; /* replaced by a later load */

  self->loading = FALSE;
  if (loaded == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("This could not be read: %s"), error->message);

      g_debug ("load failed: %s", error->message);
      gtk_stack_set_visible_child_name (self->stack, self->loaded ? "loaded" : "start");
      set_error (self, message);
      update_state (self);
      return;
    }
  show_loaded (self, loaded);
  update_state (self);
}

static void
start_load (ErNewCaseWindow *self,
            LoadInput       *input)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *pattern = self->settings
                             ? g_settings_get_string (self->settings, "invoice-pattern")
                             : NULL;

  if (self->uploading)
    {
      load_input_free (input);
      return;
    }

  /* A pattern that does not compile falls back on the default. */
  if (pattern != NULL && *pattern != '\0')
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

      if (regex != NULL)
        input->pattern = g_steal_pointer (&pattern);
      else
        g_warning ("The invoice-pattern setting is not a valid regular expression (%s): "
                   "using the default", error->message);
    }

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  g_clear_pointer (&self->error, g_free);
  show_status (self, FALSE, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->load_cancellable, load_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, input, (GDestroyNotify) load_input_free);
  g_task_run_in_thread (task, load_thread);
  update_state (self);
}

void
er_new_case_window_open_files (ErNewCaseWindow  *self,
                               GFile           **files,
                               guint             n_files)
{
  LoadInput *input;

  g_return_if_fail (ER_IS_NEW_CASE_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;
  input = g_new0 (LoadInput, 1);
  input->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (input->files, g_object_ref (files[i]));
  start_load (self, input);
}

void
er_new_case_window_open_message (ErNewCaseWindow *self,
                                 GBytes          *message)
{
  LoadInput *input;

  g_return_if_fail (ER_IS_NEW_CASE_WINDOW (self));
  g_return_if_fail (message != NULL);

  input = g_new0 (LoadInput, 1);
  input->message = g_bytes_ref (message);
  start_load (self, input);
}

/* ------------------------------------------------------------------------ */
/* Choosing files                                                           */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     ErNewCaseWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (list);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        {
          GFile *file = g_list_model_get_item (list, i);
          g_autofree char *uri = g_file_get_uri (file);

          /* GTK's file chooser has just added the file to the recent files
           * (recently-used.xbel), to be written a moment later: a learner's
           * photo or e-mail has no place there. Taken out before it is
           * written, the user's other recent files untouched. (Under
           * Flatpak the portal's chooser runs elsewhere and adds nothing
           * here.) */
          gtk_recent_manager_remove_item (gtk_recent_manager_get_default (), uri, NULL);
          g_ptr_array_add (files, file);
        }
      if (files->len > 0)
        er_new_case_window_open_files (self, (GFile **) files->pdata, files->len);
    }
  g_clear_object (&self->chooser);
}

static void
choose_files (ErNewCaseWindow *self,
              gboolean         photos)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (photos ? _("Choose the Two Photos")
                                                      : _("Open the Learner’s E-mail"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  if (photos)
    {
      gtk_file_filter_set_name (filter, _("Images"));
      gtk_file_filter_add_mime_type (filter, "image/*");
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
    }
  else
    {
      gtk_file_filter_set_name (filter, _("E-mails (.eml)"));
      gtk_file_filter_add_mime_type (filter, "message/rfc822");
      gtk_file_filter_add_suffix (filter, "eml");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_email_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_files (ER_NEW_CASE_WINDOW (widget), FALSE);
}

static void
choose_photos_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_files (ER_NEW_CASE_WINDOW (widget), TRUE);
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         ErNewCaseWindow *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->uploading)
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  g_slist_free (list);
  if (files->len == 0)
    return FALSE;
  er_new_case_window_open_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Choosing the photos                                                      */

static void
on_dropdown_selected (GtkDropDown     *dropdown,
                      GParamSpec      *pspec,
                      ErNewCaseWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  gboolean face = dropdown == self->face_dropdown;
  int *mine = face ? &self->face : &self->id;
  int *other = face ? &self->id : &self->face;

  if (self->updating_dropdowns || selected == GTK_INVALID_LIST_POSITION
      || (int) selected == *mine)
    return;
  if ((int) selected == *other)
    *other = *mine; /* the two trade places */
  *mine = (int) selected;
  ensure_decoded (self, self->face);
  ensure_decoded (self, self->id);
  update_photos (self);
  update_state (self);
}

void
er_new_case_window_swap (ErNewCaseWindow *self)
{
  int face;

  g_return_if_fail (ER_IS_NEW_CASE_WINDOW (self));

  if (self->uploading)
    return;
  face = self->face;
  self->face = self->id;
  self->id = face;
  update_photos (self);
  update_state (self);
}

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  er_new_case_window_swap (ER_NEW_CASE_WINDOW (widget));
}

/* ------------------------------------------------------------------------ */
/* Sending                                                                  */

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ErNewCaseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean existing = FALSE;
  g_autoptr(ErCase) kase = er_manual_upload_finish (result, &existing, &error);

  if (kase == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->uploading = FALSE;
  g_clear_object (&self->upload_cancellable);

  if (kase == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The case was not created: %s"), error->message);

      set_error (self, message);
      update_state (self);
      return;
    }

  g_debug ("case %s %s", er_case_get_receipt_id (kase), existing ? "existed" : "created");
  show_status (self, FALSE, NULL);
  update_state (self);
  g_signal_emit (self, signals[CASE_CREATED], 0, kase, existing);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
er_new_case_window_create (ErNewCaseWindow *self)
{
  Candidate *face, *id;
  ErManualRequest request = { 0 };

  g_return_if_fail (ER_IS_NEW_CASE_WINDOW (self));

  if (!er_new_case_window_can_create (self))
    return;
  if (self->key == NULL)
    {
      set_error (self, _("The case was not created: no verification key is loaded. Sign in again with your key file."));
      return;
    }

  face = get_candidate (self, self->face);
  id = get_candidate (self, self->id);
  request.invoice_number = er_order_get_invoice_number (self->order);
  request.username = er_order_get_username (self->order);
  request.received_at = self->mail ? er_mail_get_date (self->mail) : NULL;
  request.message_id = self->mail ? er_mail_get_message_id (self->mail) : NULL;
  request.face = face->data;
  request.id = id->data;

  self->uploading = TRUE;
  g_clear_pointer (&self->error, g_free);
  self->upload_cancellable = g_cancellable_new ();
  show_status (self, TRUE, _("Encrypting and sending…"));
  update_state (self);
  er_manual_upload_async (self->client, self->key, &request, self->upload_cancellable,
                          upload_cb, g_object_ref (self));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  er_new_case_window_create (ER_NEW_CASE_WINDOW (widget));
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

gboolean
er_new_case_window_is_busy (ErNewCaseWindow *self)
{
  Candidate *face, *id;

  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), FALSE);

  face = get_candidate (self, self->face);
  id = get_candidate (self, self->id);
  return self->loading || self->uploading || self->lookup_source != 0
         || self->lookup_cancellable != NULL
         || (face != NULL && face->decoding) || (id != NULL && id->decoding);
}

const char *
er_new_case_window_get_invoice (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  return self->invoice ? self->invoice : "";
}

void
er_new_case_window_set_invoice (ErNewCaseWindow *self,
                                const char      *invoice)
{
  g_return_if_fail (ER_IS_NEW_CASE_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->invoice_row), invoice ? invoice : "");
}

ErOrder *
er_new_case_window_get_order (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  return self->order;
}

const char *
er_new_case_window_get_order_message (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  return self->order_message;
}

GdkTexture *
er_new_case_window_get_face_texture (ErNewCaseWindow *self)
{
  Candidate *c;

  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  c = get_candidate (self, self->face);
  return c ? c->texture : NULL;
}

GdkTexture *
er_new_case_window_get_id_texture (ErNewCaseWindow *self)
{
  Candidate *c;

  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  c = get_candidate (self, self->id);
  return c ? c->texture : NULL;
}

guint
er_new_case_window_get_n_images (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), 0);

  return self->candidates ? self->candidates->len : 0;
}

guint
er_new_case_window_get_n_warnings (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), 0);

  return self->warnings ? self->warnings->len : 0;
}

const char *
er_new_case_window_get_warning (ErNewCaseWindow *self,
                                guint            index)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);
  g_return_val_if_fail (index < er_new_case_window_get_n_warnings (self), NULL);

  return g_ptr_array_index (self->warnings, index);
}

const char *
er_new_case_window_get_error (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), NULL);

  return self->error;
}

gboolean
er_new_case_window_can_create (ErNewCaseWindow *self)
{
  g_return_val_if_fail (ER_IS_NEW_CASE_WINDOW (self), FALSE);

  return self->loaded && !self->loading && !self->uploading
         && self->client != NULL
         && self->order != NULL && lookup_current (self) && !self->order_blocks
         && self->lookup_source == 0 && self->lookup_cancellable == NULL
         && self->face != self->id
         && candidate_usable (get_candidate (self, self->face))
         && candidate_usable (get_candidate (self, self->id));
}

/* ------------------------------------------------------------------------ */
/* The object                                                               */

GtkWidget *
er_new_case_window_new (GtkWindow       *parent,
                        ErReviewSession *session,
                        GSettings       *settings)
{
  ErNewCaseWindow *self = g_object_new (ER_TYPE_NEW_CASE_WINDOW,
                                        "transient-for", parent,
                                        NULL);
  ErPrivateKey *key = er_review_session_get_key (session);

  g_set_object (&self->client, er_review_session_get_client (session));
  self->key = key ? er_private_key_ref (key) : NULL;
  g_set_object (&self->settings, settings);
  return GTK_WIDGET (self);
}

static void
er_new_case_window_dispose (GObject *object)
{
  ErNewCaseWindow *self = ER_NEW_CASE_WINDOW (object);

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  if (self->upload_cancellable != NULL)
    g_cancellable_cancel (self->upload_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_NEW_CASE_WINDOW);

  G_OBJECT_CLASS (er_new_case_window_parent_class)->dispose (object);
}

static void
er_new_case_window_finalize (GObject *object)
{
  ErNewCaseWindow *self = ER_NEW_CASE_WINDOW (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->upload_cancellable);
  g_clear_pointer (&self->mail, er_mail_unref);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_object (&self->order);
  g_free (self->order_message);
  g_free (self->looked_up);
  g_free (self->invoice);
  g_free (self->error);

  G_OBJECT_CLASS (er_new_case_window_parent_class)->finalize (object);
}

static void
er_new_case_window_class_init (ErNewCaseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_new_case_window_dispose;
  object_class->finalize = er_new_case_window_finalize;

  /**
   * ErNewCaseWindow::case-created:
   * @kase: the case on the platform
   * @existing: TRUE when the same e-mail had been imported before
   */
  signals[CASE_CREATED] = g_signal_new ("case-created", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, ER_TYPE_CASE, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/edulib/Reviewer/er-new-case-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, from_label);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, face_stack);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, face_picture);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, face_message);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, face_caption);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, face_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, id_stack);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, id_picture);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, id_message);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, id_caption);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, id_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, swap_button);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, invoice_group);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, invoice_row);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, lookup_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, order_message_row);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, order_message_icon);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, learner_row);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, course_row);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, verification_row);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErNewCaseWindow, status_label);

  gtk_widget_class_install_action (widget_class, "new-case.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "new-case.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "new-case.open-email", NULL, open_email_action);
  gtk_widget_class_install_action (widget_class, "new-case.choose-photos", NULL,
                                   choose_photos_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
er_new_case_window_init (ErNewCaseWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  er_accessible_name_drop_down (self->face_dropdown, _("Learner photo"));
  er_accessible_name_drop_down (self->id_dropdown, _("ID photo"));

  self->face = self->id = -1;

  g_signal_connect_swapped (self->invoice_row, "changed", G_CALLBACK (on_invoice_changed), self);
  g_signal_connect_swapped (self->invoice_row, "entry-activated",
                            G_CALLBACK (on_invoice_activated), self);
  g_signal_connect (self->face_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);
  g_signal_connect (self->id_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_state (self);
}
