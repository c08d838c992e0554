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
#include "er-manual.h"
#include "er-new-case-window.h"
#include "er-new-case-window-private.h"

G_DEFINE_FINAL_TYPE (ErNewCaseWindow, er_new_case_window, ADW_TYPE_WINDOW)

enum {
  CASE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

Candidate *
_er_new_case_candidate_new (const char *name,
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

void
_er_new_case_candidate_unref (Candidate *c)
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
  _er_new_case_window_update_photos (self);
  _er_new_case_window_update_state (self);
}

void
_er_new_case_window_ensure_decoded (ErNewCaseWindow *self,
                                    int              index)
{
  Candidate *c = get_candidate (self, index);
  g_autoptr(GTask) task = NULL;

  if (c == NULL || c->texture != NULL || c->problem != NULL || c->decoding)
    return;
  c->decoding = TRUE;
  task = g_task_new (self, self->load_cancellable, decode_cb, NULL);
  g_task_set_source_tag (task, _er_new_case_window_ensure_decoded);
  g_task_set_task_data (task, candidate_ref (c), (GDestroyNotify) _er_new_case_candidate_unref);
  g_task_run_in_thread (task, decode_thread);
}

/* ------------------------------------------------------------------------ */
/* Showing                                                                  */

void
_er_new_case_window_show_status (ErNewCaseWindow *self,
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

void
_er_new_case_window_set_error (ErNewCaseWindow *self,
                               const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  _er_new_case_window_show_status (self, FALSE, message);
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

void
_er_new_case_window_update_photos (ErNewCaseWindow *self)
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

void
_er_new_case_window_set_dropdown_models (ErNewCaseWindow *self)
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

void
_er_new_case_window_update_state (ErNewCaseWindow *self)
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
  _er_new_case_window_ensure_decoded (self, self->face);
  _er_new_case_window_ensure_decoded (self, self->id);
  _er_new_case_window_update_photos (self);
  _er_new_case_window_update_state (self);
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
  _er_new_case_window_update_photos (self);
  _er_new_case_window_update_state (self);
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

      _er_new_case_window_set_error (self, message);
      _er_new_case_window_update_state (self);
      return;
    }

  g_debug ("case %s %s", er_case_get_receipt_id (kase), existing ? "existed" : "created");
  _er_new_case_window_show_status (self, FALSE, NULL);
  _er_new_case_window_update_state (self);
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
      _er_new_case_window_set_error (self, _("The case was not created: no verification key is loaded. Sign in again with your key file."));
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
  _er_new_case_window_show_status (self, TRUE, _("Encrypting and sending…"));
  _er_new_case_window_update_state (self);
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
  _er_new_case_window_class_init_load (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
er_new_case_window_init (ErNewCaseWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  er_accessible_name_drop_down (self->face_dropdown, _("Learner photo"));
  er_accessible_name_drop_down (self->id_dropdown, _("ID photo"));

  self->face = self->id = -1;

  _er_new_case_window_init_order (self);
  g_signal_connect (self->face_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);
  g_signal_connect (self->id_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);

  _er_new_case_window_init_load (self);

  _er_new_case_window_update_state (self);
}
