/* er-case-view.c: one case: the account name, its details and both photos.
 *
 * For screen readers the view is a group named after the learner and
 * described by the case's details, and each photo says whose it is and
 * which; they follow the case. The workspace gives the view the focus when
 * a case comes after a decision, so that the new learner is read out; Tab
 * goes from there to the view's controls (the view is no Tab stop of its
 * own).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "er-accessible.h"
#include "er-age.h"
#include "er-attempts-view.h"
#include "er-case-view.h"
#include "er-format.h"
#include "er-id-read-line.h"
#include "er-name-verdict.h"
#include "er-photo-pair.h"
#include "er-width-layout.h"

struct _ErCaseView
{
  GtkWidget       parent_instance;

  ErCase         *kase;
  ErCaseOrder    *case_order;

  GtkWidget      *box;
  GtkLabel       *name_label;
  GtkLabel       *details_label;
  GtkLabel       *order_label;
  GtkLabel       *receipt_label;
  GtkButton      *copy_button;
  guint           copied_id;
  ErAttemptsView *attempts_view;
  GtkEntry       *id_name_entry;
  ErIdReadLine   *id_read_line;
  GtkStack       *user_stack;
  GtkSpinner     *user_spinner;
  ErPhotoViewer  *user_viewer;
  AdwStatusPage  *user_error;
  GtkStack       *id_stack;
  GtkSpinner     *id_spinner;
  ErPhotoViewer  *id_viewer;
  AdwStatusPage  *id_error;

  ErPhotoKind     active;
  /* Both viewers follow it while compare is on. */
  ErPhotoLink    *link;
  gboolean        compare;
};

G_DEFINE_FINAL_TYPE (ErCaseView, er_case_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CASE,
  PROP_COMPARE,
  PROP_CASE_ORDER,
  PROP_PHOTO_TARGET_SIZE,
  PROP_USER_PHOTO_BOX,
  PROP_ID_PHOTO_BOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pane_widgets (ErCaseView     *self,
              ErPhotoKind     kind,
              GtkStack      **stack,
              GtkSpinner    **spinner,
              ErPhotoViewer **viewer,
              AdwStatusPage **error)
{
  gboolean user = kind == ER_PHOTO_USER;

  *stack = user ? self->user_stack : self->id_stack;
  *spinner = user ? self->user_spinner : self->id_spinner;
  *viewer = user ? self->user_viewer : self->id_viewer;
  *error = user ? self->user_error : self->id_error;
}

static void
show_loading (ErCaseView  *self,
              ErPhotoKind  kind)
{
  GtkStack *stack;
  GtkSpinner *spinner;
  ErPhotoViewer *viewer;
  AdwStatusPage *error;

  pane_widgets (self, kind, &stack, &spinner, &viewer, &error);
  er_photo_viewer_set_paintable (viewer, NULL);
  gtk_spinner_start (spinner);
  gtk_stack_set_visible_child_name (stack, "loading");
}

void
er_case_view_set_photo (ErCaseView   *self,
                        ErPhotoKind   kind,
                        GdkPaintable *photo)
{
  GtkStack *stack;
  GtkSpinner *spinner;
  ErPhotoViewer *viewer;
  AdwStatusPage *error;

  g_return_if_fail (ER_IS_CASE_VIEW (self));
  g_return_if_fail (GDK_IS_PAINTABLE (photo));

  pane_widgets (self, kind, &stack, &spinner, &viewer, &error);
  gtk_spinner_stop (spinner);
  er_photo_viewer_set_paintable (viewer, photo);
  gtk_stack_set_visible_child_name (stack, "photo");
}

void
er_case_view_set_photo_error (ErCaseView  *self,
                              ErPhotoKind  kind,
                              const char  *message)
{
  GtkStack *stack;
  GtkSpinner *spinner;
  ErPhotoViewer *viewer;
  AdwStatusPage *error;

  g_return_if_fail (ER_IS_CASE_VIEW (self));

  pane_widgets (self, kind, &stack, &spinner, &viewer, &error);
  gtk_spinner_stop (spinner);
  er_photo_viewer_set_paintable (viewer, NULL);
  adw_status_page_set_description (error, message);
  gtk_stack_set_visible_child_name (stack, "error");
}

GdkPaintable *
er_case_view_get_photo (ErCaseView  *self,
                        ErPhotoKind  kind)
{
  GtkStack *stack;
  GtkSpinner *spinner;
  ErPhotoViewer *viewer;
  AdwStatusPage *error;

  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);

  pane_widgets (self, kind, &stack, &spinner, &viewer, &error);
  return er_photo_viewer_get_paintable (viewer);
}

static void
set_active (ErCaseView  *self,
            ErPhotoKind  kind)
{
  self->active = kind;
  gtk_widget_set_state_flags (GTK_WIDGET (kind == ER_PHOTO_USER ? self->user_stack : self->id_stack),
                              GTK_STATE_FLAG_SELECTED, FALSE);
  gtk_widget_unset_state_flags (GTK_WIDGET (kind == ER_PHOTO_USER ? self->id_stack : self->user_stack),
                                GTK_STATE_FLAG_SELECTED);
}

ErPhotoKind
er_case_view_get_active (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), ER_PHOTO_ID);
  return self->active;
}

ErPhotoViewer *
er_case_view_get_viewer (ErCaseView  *self,
                         ErPhotoKind  kind)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);
  return kind == ER_PHOTO_USER ? self->user_viewer : self->id_viewer;
}

/* Ctrl+arrows move the photo by a fifth of the pane. */
#define PAN_FRACTION 0.2

void
er_case_view_view (ErCaseView    *self,
                   ErViewCommand  command)
{
  ErPhotoViewer *viewer;
  double dx, dy;

  g_return_if_fail (ER_IS_CASE_VIEW (self));

  viewer = er_case_view_get_viewer (self, self->active);
  dx = gtk_widget_get_width (GTK_WIDGET (viewer)) * PAN_FRACTION;
  dy = gtk_widget_get_height (GTK_WIDGET (viewer)) * PAN_FRACTION;
  switch (command)
    {
    case ER_VIEW_ZOOM_IN: er_photo_viewer_zoom_in (viewer); break;
    case ER_VIEW_ZOOM_OUT: er_photo_viewer_zoom_out (viewer); break;
    case ER_VIEW_BEST_FIT: er_photo_viewer_best_fit (viewer); break;
    case ER_VIEW_ACTUAL_SIZE: er_photo_viewer_actual_size (viewer); break;
    case ER_VIEW_ROTATE_CW: er_photo_viewer_rotate (viewer, 90); break;
    case ER_VIEW_ROTATE_CCW: er_photo_viewer_rotate (viewer, -90); break;
    /* Ctrl+Left shows what is to the left: the photo moves right. */
    case ER_VIEW_PAN_LEFT: er_photo_viewer_pan (viewer, dx, 0); break;
    case ER_VIEW_PAN_RIGHT: er_photo_viewer_pan (viewer, -dx, 0); break;
    case ER_VIEW_PAN_UP: er_photo_viewer_pan (viewer, 0, dy); break;
    case ER_VIEW_PAN_DOWN: er_photo_viewer_pan (viewer, 0, -dy); break;
    case ER_VIEW_OTHER_PHOTO:
      set_active (self, self->active == ER_PHOTO_USER ? ER_PHOTO_ID : ER_PHOTO_USER);
      break;
    case ER_VIEW_COMPARE:
      er_case_view_set_compare (self, !self->compare);
      break;
    default:
      g_return_if_reached ();
    }
}

/* Comparing faces is one property, "compare": the toggle by the photos
 * shows it (action "case.compare"), the photos' link follows it
 * (er-photo-link.h). */
gboolean
er_case_view_get_compare (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), FALSE);
  return self->compare;
}

void
er_case_view_set_compare (ErCaseView *self,
                          gboolean    compare)
{
  g_return_if_fail (ER_IS_CASE_VIEW (self));

  compare = !!compare;
  if (self->compare == compare)
    return;
  self->compare = compare;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
}

static gboolean
restore_copy_icon (gpointer user_data)
{
  ErCaseView *self = user_data;

  self->copied_id = 0;
  gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");
  return G_SOURCE_REMOVE;
}

static void
copy_receipt_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ErCaseView *self = ER_CASE_VIEW (widget);

  if (self->kase == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), er_case_get_receipt_id (self->kase));
  /* A check mark says it is done, without a word to read. */
  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  g_clear_handle_id (&self->copied_id, g_source_remove);
  self->copied_id = g_timeout_add_seconds (2, restore_copy_icon, self);
}

/* A part of the details as shown: its words kept together (no-break
 * spaces), so that a narrow window wraps the details between parts, never
 * inside one ("Attempt / 2", "overdue since / Monday" read wrong): one
 * line on a wide window, three short ones on a narrow one. Takes text. */
static char *
keep_together (char     *text,
               gboolean  spoken)
{
  g_auto(GStrv) words = NULL;

  if (spoken)
    return text;
  words = g_strsplit (text, " ", -1);
  g_free (text);
  return g_strjoinv ("\u00a0", words);
}

/* Who: the username, e-mail, source and attempt, as shown (" · " between
 * them) or to be read (", "). */
static char *
format_identity (ErCase   *kase,
                 gboolean  spoken)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (er_case_get_username (kase) != NULL)
    g_ptr_array_add (parts, g_strdup (er_case_get_username (kase)));
  if (er_case_get_email (kase) != NULL)
    g_ptr_array_add (parts, g_strdup (er_case_get_email (kase)));
  g_ptr_array_add (parts, spoken ? er_format_source_words (kase) : er_format_source (kase));
  g_ptr_array_add (parts, keep_together (g_strdup_printf (_("Attempt %u"), er_case_get_attempt (kase)),
                                         spoken));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (spoken ? ", " : " · ", (char **) parts->pdata);
}

/* When: submitted, and when the answer is due in words ("due Tuesday at
 * 14:00", "overdue since Monday at 10:25"): the age badge's meaning. */
static char *
format_timing (ErCase   *kase,
               gboolean  spoken)
{
  g_autofree char *when = er_format_time (er_case_get_submitted_at (kase));
  g_autofree char *submitted = keep_together (g_strdup_printf (_("Submitted %s"), when), spoken);
  g_autoptr(GDateTime) due = er_age_due_at (er_case_get_submitted_at (kase), 48 * G_TIME_SPAN_HOUR, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* The promise of an answer within 48 weekday hours, Québec time. */
  g_autofree char *answer = keep_together (er_format_due (due, now), spoken);

  return g_strjoin (spoken ? ", " : " · ", submitted, answer, NULL);
}

static char *
format_details (ErCase *kase)
{
  g_autofree char *identity = format_identity (kase, TRUE);
  g_autofree char *timing = format_timing (kase, TRUE);

  return g_strjoin (", ", identity, timing, NULL);
}

/* The order line of an e-mailed case: its course (the course id in the
 * tooltip) and the verification deadline; when the deadline is past, the
 * line is a warning and the deadline in bold. While the order loads, or when
 * it cannot be had, a quiet line in its place, so that the header keeps its
 * height. Nothing for a case without an order. */
static void
update_order (ErCaseView *self)
{
  ErCaseOrderState state = ER_CASE_ORDER_NONE;
  GtkWidget *label = GTK_WIDGET (self->order_label);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PangoAttrList) attributes = NULL;
  g_autofree char *tip = NULL;
  gboolean past = FALSE;

  /* Only the order of the case on screen, never the previous one's. */
  if (self->kase != NULL && self->case_order != NULL &&
      er_case_order_get_case (self->case_order) == self->kase)
    state = er_case_order_get_state (self->case_order);

  switch (state)
    {
    case ER_CASE_ORDER_LOADING:
      g_string_append (text, _("Loading the order…"));
      break;
    case ER_CASE_ORDER_NOT_FOUND:
      /* Translators: %s is an invoice number, e.g. "Order EDU-2026-004211 not found" */
      g_string_append_printf (text, _("Order %s not found"), er_case_get_invoice_number (self->kase));
      break;
    case ER_CASE_ORDER_FAILED:
      g_string_append (text, _("Order details unavailable"));
      break;
    case ER_CASE_ORDER_READY:
      {
        ErOrder *order = er_case_order_get_order (self->case_order);
        const char *name = er_order_get_course_name (order);
        const char *id = er_order_get_course_id (order);
        GDateTime *limit = er_order_get_verification_deadline (order);

        if (name != NULL || id != NULL)
          g_string_append (text, name != NULL ? name : id);
        if (name != NULL && id != NULL)
          tip = g_strdup_printf ("%s\n%s", name, id);
        if (limit != NULL)
          {
            g_autofree char *when = er_format_time (limit);
            g_autofree char *deadline = NULL;
            guint start;

            past = er_case_order_get_deadline_past (self->case_order);
            deadline = past
              /* Translators: %s is a date and time, e.g. "14 November 2026, 23:59" */
              ? g_strdup_printf (_("Verification deadline: %s (past)"), when)
              /* Translators: %s is a date and time, e.g. "14 November 2026, 23:59" */
              : g_strdup_printf (_("Verification deadline: %s"), when);
            if (text->len > 0)
              g_string_append (text, " · ");
            start = text->len;
            g_string_append (text, deadline);
            if (past)
              {
                PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

                bold->start_index = start;
                bold->end_index = text->len;
                attributes = pango_attr_list_new ();
                pango_attr_list_insert (attributes, bold);
              }
          }
      }
      break;
    case ER_CASE_ORDER_NONE:
    default:
      break;
    }

  gtk_widget_set_visible (label, state != ER_CASE_ORDER_NONE);
  gtk_label_set_text (self->order_label, text->str);
  gtk_label_set_attributes (self->order_label, attributes);
  gtk_widget_set_tooltip_text (label, tip);
  if (past)
    {
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "warning");
    }
  else
    {
      gtk_widget_remove_css_class (label, "warning");
      gtk_widget_add_css_class (label, "dim-label");
    }
}

/* What screen readers read of the case: the view is named after the
 * learner and described by the details (and an earlier denial); the photos
 * say whose and which they are. */
static void
update_accessible (ErCaseView *self)
{
  GtkAccessible *view = GTK_ACCESSIBLE (self);
  const char *name;
  g_autofree char *details = NULL;
  g_autofree char *user_photo = NULL;
  g_autofree char *id_photo = NULL;

  if (self->kase == NULL)
    {
      gtk_accessible_reset_property (view, GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (view, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_viewer),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Learner photo"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->id_viewer),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("ID photo"), -1);
      return;
    }

  name = er_case_get_expected_name (self->kase);
  details = format_details (self->kase);
  if (gtk_widget_get_visible (GTK_WIDGET (self->order_label)))
    {
      g_autofree char *with_order = g_strdup_printf ("%s. %s", details,
                                                     gtk_label_get_text (self->order_label));

      g_free (details);
      details = g_steal_pointer (&with_order);
    }
  if (er_case_get_previous_reasons (self->kase) != NULL &&
      !er_reasons_is_empty (er_case_get_previous_reasons (self->kase)))
    {
      g_autofree char *reasons = er_format_reasons (er_case_get_previous_reasons (self->kase));
      g_autofree char *previous = g_strdup_printf (_("Previously denied: %s"), reasons);
      g_autofree char *with_previous = g_strdup_printf ("%s. %s", details, previous);

      g_free (details);
      details = g_steal_pointer (&with_previous);
    }
  /* Translators: a photo as a screen reader reads it, %s is the learner's name */
  user_photo = g_strdup_printf (_("Learner photo (face) of %s"), name);
  /* Translators: a photo as a screen reader reads it, %s is the learner's name */
  id_photo = g_strdup_printf (_("ID photo of %s"), name);

  gtk_accessible_update_property (view,
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_viewer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, user_photo, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->id_viewer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, id_photo, -1);
}

void
er_case_view_set_case (ErCaseView *self,
                       ErCase     *kase)
{
  g_return_if_fail (ER_IS_CASE_VIEW (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  if (!g_set_object (&self->kase, kase))
    return;

  show_loading (self, ER_PHOTO_USER);
  show_loading (self, ER_PHOTO_ID);
  gtk_editable_set_text (GTK_EDITABLE (self->id_name_entry), "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.copy-receipt", kase != NULL);
  set_active (self, ER_PHOTO_ID);
  /* Each case starts as the last one did, with the photos apart. */
  er_case_view_set_compare (self, FALSE);

  if (kase != NULL)
    {
      g_autofree char *identity = format_identity (kase, FALSE);
      g_autofree char *timing = format_timing (kase, FALSE);
      g_autofree char *details = g_strjoin (" · ", identity, timing, NULL);

      gtk_label_set_text (self->name_label, er_case_get_expected_name (kase));
      gtk_label_set_text (self->details_label, details);
      gtk_label_set_text (self->receipt_label, er_case_get_receipt_id (kase));
    }
  else
    {
      gtk_label_set_text (self->name_label, "");
      gtk_label_set_text (self->details_label, "");
      gtk_label_set_text (self->receipt_label, "");
    }
  er_attempts_view_set_case (self->attempts_view, kase);
  er_id_read_line_set_case (self->id_read_line, kase);
  update_order (self);
  update_accessible (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
}

/* The name read on the ID goes into the name helper, which compares it
 * letter by letter. */
static void
on_use_id_name (ErCaseView *self,
                const char *name)
{
  gtk_editable_set_text (GTK_EDITABLE (self->id_name_entry), name);
}

/* Where the name was read, outlined on the ID photo while asked for (the
 * box scaled from the image read to the photo's own pixels). */
static void
on_show_region (ErCaseView *self)
{
  graphene_rect_t box;
  int read_width = 0;
  GdkPaintable *photo = er_photo_viewer_get_paintable (self->id_viewer);
  int photo_width = photo != NULL ? gdk_paintable_get_intrinsic_width (photo) : 0;

  if (photo_width > 0 && er_id_read_line_get_region (self->id_read_line, &read_width, &box) &&
      read_width > 0)
    {
      double scale = (double) photo_width / read_width;

      graphene_rect_scale (&box, scale, scale, &box);
      er_photo_viewer_set_highlight (self->id_viewer, &box);
    }
  else
    er_photo_viewer_set_highlight (self->id_viewer, NULL);
}

void
er_case_view_set_id_reader (ErCaseView *self,
                            ErIdReader *reader)
{
  g_return_if_fail (ER_IS_CASE_VIEW (self));

  er_id_read_line_set_reader (self->id_read_line, reader);
}

gboolean
er_case_view_use_id_name (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), FALSE);

  return er_id_read_line_use_name (self->id_read_line);
}

const char *
er_case_view_get_id_name (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->id_name_entry));
}

ErIdReadLine *
er_case_view_get_id_read_line (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);
  return self->id_read_line;
}

static void
on_order_changed (ErCaseView *self)
{
  update_order (self);
  update_accessible (self);
}

void
er_case_view_set_case_order (ErCaseView  *self,
                             ErCaseOrder *case_order)
{
  g_return_if_fail (ER_IS_CASE_VIEW (self));
  g_return_if_fail (case_order == NULL || ER_IS_CASE_ORDER (case_order));

  if (self->case_order == case_order)
    return;
  if (self->case_order != NULL)
    g_signal_handlers_disconnect_by_data (self->case_order, self);
  g_set_object (&self->case_order, case_order);
  if (case_order != NULL)
    {
      g_signal_connect_object (case_order, "notify::state", G_CALLBACK (on_order_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (case_order, "notify::case", G_CALLBACK (on_order_changed), self,
                               G_CONNECT_SWAPPED);
    }
  on_order_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ORDER]);
}

ErCaseOrder *
er_case_view_get_case_order (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);
  return self->case_order;
}

ErCase *
er_case_view_get_case (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), NULL);
  return self->kase;
}

GtkWidget *
er_case_view_new (void)
{
  return g_object_new (ER_TYPE_CASE_VIEW, NULL);
}

/* The view takes the focus only when given it: Tab from it goes forward
 * into its controls, backward out of it, and Tab from outside goes straight
 * to its controls. */
static gboolean
er_case_view_focus (GtkWidget        *widget,
                    GtkDirectionType  direction)
{
  ErCaseView *self = ER_CASE_VIEW (widget);

  if (gtk_widget_is_focus (widget) && direction == GTK_DIR_TAB_BACKWARD)
    return FALSE;
  return gtk_widget_child_focus (self->box, direction);
}

static void
er_case_view_dispose (GObject *object)
{
  ErCaseView *self = ER_CASE_VIEW (object);

  g_clear_handle_id (&self->copied_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_CASE_VIEW);
  g_clear_object (&self->kase);
  if (self->case_order != NULL)
    g_signal_handlers_disconnect_by_data (self->case_order, self);
  g_clear_object (&self->case_order);
  g_clear_object (&self->link);

  G_OBJECT_CLASS (er_case_view_parent_class)->dispose (object);
}

static void
er_case_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ErCaseView *self = ER_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_COMPARE:
      g_value_set_boolean (value, self->compare);
      break;
    case PROP_CASE_ORDER:
      g_value_set_object (value, self->case_order);
      break;
    case PROP_PHOTO_TARGET_SIZE:
      g_value_set_int (value, er_case_view_get_photo_target_size (self));
      break;
    case PROP_USER_PHOTO_BOX:
      g_value_set_boxed (value, er_photo_viewer_get_device_box (self->user_viewer));
      break;
    case PROP_ID_PHOTO_BOX:
      g_value_set_boxed (value, er_photo_viewer_get_device_box (self->id_viewer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ErCaseView *self = ER_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CASE:
      er_case_view_set_case (self, g_value_get_object (value));
      break;
    case PROP_COMPARE:
      er_case_view_set_compare (self, g_value_get_boolean (value));
      break;
    case PROP_CASE_ORDER:
      er_case_view_set_case_order (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_case_view_class_init (ErCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_case_view_dispose;
  object_class->get_property = er_case_view_get_property;
  object_class->set_property = er_case_view_set_property;
  widget_class->focus = er_case_view_focus;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, ER_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPARE] =
    g_param_spec_boolean ("compare", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CASE_ORDER] =
    g_param_spec_object ("case-order", NULL, NULL, ER_TYPE_CASE_ORDER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHOTO_TARGET_SIZE] =
    g_param_spec_int ("photo-target-size", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Each photo pane's size in device pixels (x and y 0; 0 × 0 before it
   * was laid out): what the photos ahead are fitted to (er-photo-image.h). */
  properties[PROP_USER_PHOTO_BOX] =
    g_param_spec_boxed ("user-photo-box", NULL, NULL, GDK_TYPE_RECTANGLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ID_PHOTO_BOX] =
    g_param_spec_boxed ("id-photo-box", NULL, NULL, GDK_TYPE_RECTANGLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, box);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, name_label);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, details_label);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, order_label);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, receipt_label);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, attempts_view);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_name_entry);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_read_line);
  gtk_widget_class_bind_template_callback (widget_class, on_use_id_name);
  gtk_widget_class_bind_template_callback (widget_class, on_show_region);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, user_stack);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, user_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, user_viewer);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, user_error);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_stack);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_viewer);
  gtk_widget_class_bind_template_child (widget_class, ErCaseView, id_error);
  gtk_widget_class_install_action (widget_class, "case.copy-receipt", NULL, copy_receipt_action);
  gtk_widget_class_install_property_action (widget_class, "case.compare", "compare");
  gtk_widget_class_set_layout_manager_type (widget_class, ER_TYPE_WIDTH_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "caseview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (ER_TYPE_ATTEMPTS_VIEW);
  g_type_ensure (ER_TYPE_ID_READ_LINE);
  g_type_ensure (ER_TYPE_NAME_VERDICT);
  g_type_ensure (ER_TYPE_PHOTO_PAIR);
  g_type_ensure (ER_TYPE_PHOTO_VIEWER);
}

static void
on_pointer_enter (GtkEventControllerMotion *motion,
                  double                    x,
                  double                    y,
                  ErCaseView               *self)
{
  GtkWidget *pane = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion));

  set_active (self, pane == GTK_WIDGET (self->user_stack) ? ER_PHOTO_USER : ER_PHOTO_ID);
}

/* The photo under the pointer is the one the view keys act on. */
static void
track_pointer (ErCaseView *self,
               GtkStack   *pane)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  g_signal_connect (motion, "enter", G_CALLBACK (on_pointer_enter), self);
  gtk_widget_add_controller (GTK_WIDGET (pane), motion);
}

int
er_case_view_get_photo_target_size (ErCaseView *self)
{
  g_return_val_if_fail (ER_IS_CASE_VIEW (self), 0);
  return MAX (er_photo_viewer_get_max_device_size (self->user_viewer),
              er_photo_viewer_get_max_device_size (self->id_viewer));
}

static void
on_viewer_size (ErCaseView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHOTO_TARGET_SIZE]);
}

static void
on_viewer_box (ErCaseView    *self,
               GParamSpec    *pspec,
               ErPhotoViewer *viewer)
{
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[viewer == self->user_viewer ? PROP_USER_PHOTO_BOX
                                                                   : PROP_ID_PHOTO_BOX]);
}

static void
er_case_view_init (ErCaseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->link = er_photo_link_new ();
  er_photo_viewer_set_link (self->user_viewer, self->link);
  er_photo_viewer_set_link (self->id_viewer, self->link);
  g_object_bind_property (self, "compare", self->link, "active", G_BINDING_SYNC_CREATE);
  er_accessible_fix_mnemonics (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  track_pointer (self, self->user_stack);
  track_pointer (self, self->id_stack);
  g_signal_connect_swapped (self->user_viewer, "notify::max-device-size",
                            G_CALLBACK (on_viewer_size), self);
  g_signal_connect_swapped (self->id_viewer, "notify::max-device-size",
                            G_CALLBACK (on_viewer_size), self);
  g_signal_connect_object (self->user_viewer, "notify::device-box",
                           G_CALLBACK (on_viewer_box), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->id_viewer, "notify::device-box",
                           G_CALLBACK (on_viewer_box), self, G_CONNECT_SWAPPED);
  set_active (self, ER_PHOTO_ID);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.copy-receipt", FALSE);
}
