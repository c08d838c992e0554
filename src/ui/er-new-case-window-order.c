/* er-new-case-window-order.c: the invoice number of a new case, looked up
 * once the typing pauses, and the order it names (the learner, the course,
 * the verification deadline), with what stops a case from being made.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-error.h"
#include "er-format.h"
#include "er-new-case-window-private.h"

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

/* The focus on the invoice number, to type it or correct it; left alone
 * when it is there already (grabbing it again would select the text). */
void
_er_new_case_window_focus_invoice (ErNewCaseWindow *self)
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
  _er_new_case_window_update_state (self);
  if (self->order_blocks)
    _er_new_case_window_focus_invoice (self);
}

void
_er_new_case_window_start_lookup (ErNewCaseWindow *self)
{
  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  clear_order (self);

  if (self->invoice == NULL || *self->invoice == '\0' || self->client == NULL)
    {
      _er_new_case_window_update_state (self);
      return;
    }

  self->looked_up = g_strdup (self->invoice);
  self->lookup_cancellable = g_cancellable_new ();
  er_client_get_order_async (self->client, self->invoice, self->lookup_cancellable,
                             get_order_cb, g_object_ref (self));
  _er_new_case_window_update_state (self);
}

static gboolean
lookup_timeout_cb (gpointer user_data)
{
  ErNewCaseWindow *self = user_data;

  self->lookup_source = 0;
  _er_new_case_window_start_lookup (self);
  return G_SOURCE_REMOVE;
}

void
_er_new_case_window_invoice_changed (ErNewCaseWindow *self)
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
  _er_new_case_window_update_state (self);
}

static void
on_invoice_activated (ErNewCaseWindow *self)
{
  if (er_new_case_window_can_create (self))
    er_new_case_window_create (self);
  else if (self->lookup_source != 0 || (self->lookup_cancellable == NULL && self->order == NULL))
    _er_new_case_window_start_lookup (self);
}

void
_er_new_case_window_init_order (ErNewCaseWindow *self)
{
  g_signal_connect_swapped (self->invoice_row, "changed",
                            G_CALLBACK (_er_new_case_window_invoice_changed), self);
  g_signal_connect_swapped (self->invoice_row, "entry-activated",
                            G_CALLBACK (on_invoice_activated), self);
}
