/* er-new-case-window-load.c: what the agent gives a new case, read into
 * memory by one worker thread (an .eml parsed with GMime through er-mail, or
 * image files), from the file chooser or by drag and drop. Nothing is
 * written to disk.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-error.h"
#include "er-format.h"
#include "er-new-case-window-private.h"
#include "er-secret.h"

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
                       _er_new_case_candidate_new (image->filename ? image->filename : fallback,
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

  loaded->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) _er_new_case_candidate_unref);
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
      g_ptr_array_add (loaded->candidates, _er_new_case_candidate_new (name, format, bytes, 0, 0));
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

  _er_new_case_window_set_dropdown_models (self);
  _er_new_case_window_ensure_decoded (self, self->face);
  _er_new_case_window_ensure_decoded (self, self->id);
  _er_new_case_window_update_photos (self);

  /* The invoice: found in the message, else kept while choosing photos again. */
  if (self->mail != NULL)
    invoice = er_mail_get_invoice (self->mail);
  else if (loaded->invoice != NULL)
    invoice = loaded->invoice;
  else
    invoice = was_hand ? self->invoice : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->invoice_row), invoice ? invoice : "");
  _er_new_case_window_invoice_changed (self);
  if (self->invoice != NULL && *self->invoice != '\0')
    _er_new_case_window_start_lookup (self); /* found, no need to wait for typing */

  gtk_stack_set_visible_child_name (self->stack, "loaded");
  /* The invoice number: to type it when there is none, else to check it;
   * Return there is "Create Case" (not Cancel, which has the focus at
   * first), and screen readers read it rather than nothing. */
  _er_new_case_window_focus_invoice (self);
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
      _er_new_case_window_set_error (self, message);
      _er_new_case_window_update_state (self);
      return;
    }
  show_loaded (self, loaded);
  _er_new_case_window_update_state (self);
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
  _er_new_case_window_show_status (self, FALSE, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->load_cancellable, load_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, input, (GDestroyNotify) load_input_free);
  g_task_run_in_thread (task, load_thread);
  _er_new_case_window_update_state (self);
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

void
_er_new_case_window_class_init_load (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "new-case.open-email", NULL, open_email_action);
  gtk_widget_class_install_action (widget_class, "new-case.choose-photos", NULL,
                                   choose_photos_action);
}

void
_er_new_case_window_init_load (ErNewCaseWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

