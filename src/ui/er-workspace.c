/* er-workspace.c: the queue beside the open case; the review loop.
 *
 * Opening a case claims it and loads both photos at once; a decision is sent
 * with an Idempotency-Key that is kept until the server gives a final answer,
 * so that sending again after a network failure can never record it twice.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-deny-dialog.h"
#include "er-error.h"
#include "er-photo.h"
#include "er-queue-row.h"
#include "er-workspace.h"

#define QUEUE_PAGE_SIZE 100
/* Claims last 15 minutes; renew well before. */
#define CLAIM_RENEW_SECONDS (10 * 60)
/* The platform rate-limits polling faster than every 10 s. */
#define QUEUE_POLL_SECONDS 30

struct _ErWorkspace
{
  GtkWidget           parent_instance;

  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *content;
  AdwWindowTitle     *queue_title;
  AdwWindowTitle     *content_title;
  GtkStack           *queue_stack;
  GtkSpinner         *queue_spinner;
  GtkListView        *queue_view;
  AdwStatusPage      *queue_error;
  GtkStack           *content_stack;
  GtkSpinner         *content_spinner;
  ErCaseView         *case_view;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *source_dropdown;

  ErClient           *client;
  ErPrivateKey       *key;
  ErAgent            *agent;

  GListStore         *queue;
  GtkSingleSelection *selection;
  guint               selecting : 1;
  guint               loaded : 1;
  guint               total;   /* pending cases on the server, beyond the first page too */

  GCancellable       *queue_cancellable;
  char               *queue_etag;
  guint               poll_id;
  GCancellable       *case_cancellable;  /* claim + photos of the open case */
  ErCase             *open_case;
  gboolean            claimed;
  guint               renew_id;

  /* The decision being sent for the open case. */
  gboolean            deciding;
  char               *decision_key;     /* Idempotency-Key, kept across retries */
  gboolean            decision_approved;
  ErReasons          *decision_reasons;
};

G_DEFINE_FINAL_TYPE (ErWorkspace, er_workspace, GTK_TYPE_WIDGET)

enum {
  SIGNAL_UNAUTHENTICATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_case (ErWorkspace *self, ErCase *kase);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
toast (ErWorkspace *self,
       const char  *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
unauthenticated (ErWorkspace  *self,
                 const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, error->message);
}

static void
update_actions (ErWorkspace *self)
{
  gboolean can_decide = self->open_case != NULL && !self->deciding;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.approve", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.deny", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.skip", can_decide);
}

static void
update_titles (ErWorkspace *self)
{
  guint n = MAX (self->total, g_list_model_get_n_items (G_LIST_MODEL (self->queue)));
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u case", "%u cases", n), n);

  adw_window_title_set_subtitle (self->queue_title, self->loaded ? count : NULL);
  adw_window_title_set_subtitle (self->content_title,
                                 self->agent != NULL ? er_agent_get_full_name (self->agent) : NULL);
}

static void
clear_decision (ErWorkspace *self)
{
  self->deciding = FALSE;
  g_clear_pointer (&self->decision_key, g_free);
  g_clear_pointer (&self->decision_reasons, er_reasons_free);
}

static gboolean
find_case (ErWorkspace *self,
           const char  *receipt_id,
           guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (g_str_equal (er_case_get_receipt_id (kase), receipt_id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
claimed_by_colleague (ErWorkspace *self,
                      ErCase      *kase)
{
  const char *by = er_case_get_claimed_by (kase);
  GDateTime *until = er_case_get_claim_expires_at (kase);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (by == NULL || (self->agent != NULL && g_str_equal (by, er_agent_get_username (self->agent))))
    return FALSE;
  return until == NULL || g_date_time_compare (until, now) > 0;
}

/* The first case at or after position that no colleague holds, else any. */
static ErCase *
next_case_from (ErWorkspace *self,
                guint        position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->queue), (position + i) % n);

      if (!claimed_by_colleague (self, kase))
        return g_steal_pointer (&kase);
    }
  return NULL;
}

static void
show_queue_state (ErWorkspace *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0;

  gtk_spinner_stop (self->queue_spinner);
  gtk_stack_set_visible_child_name (self->queue_stack, empty ? "empty" : "list");
  if (self->open_case == NULL)
    {
      gtk_spinner_stop (self->content_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  update_titles (self);
}

/* Removes a decided or unavailable case and opens the one after it. */
static void
remove_and_advance (ErWorkspace *self,
                    ErCase      *kase)
{
  g_autoptr(ErCase) next = NULL;
  guint position = 0;
  gboolean was_open = self->open_case == kase;

  if (find_case (self, er_case_get_receipt_id (kase), &position))
    {
      g_list_store_remove (self->queue, position);
      if (self->total > 0)
        self->total--;
    }

  if (!was_open)
    {
      show_queue_state (self);
      return;
    }

  self->claimed = FALSE; /* decided or lost: nothing to release */
  next = next_case_from (self, position);
  open_case (self, next);
  show_queue_state (self);
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!er_client_release_finish (ER_CLIENT (source), result, &error))
    g_debug ("Releasing a claim failed: %s", error->message);
  if (app != NULL)
    g_application_release (app);
}

static void
release_open_claim (ErWorkspace *self)
{
  GApplication *app = g_application_get_default ();

  if (self->open_case == NULL || !self->claimed || self->client == NULL)
    return;

  /* Keep the application alive until the server has heard it. */
  if (app != NULL)
    g_application_hold (app);
  er_client_release_async (self->client, er_case_get_receipt_id (self->open_case), NULL,
                           release_cb, app != NULL ? g_object_ref (app) : NULL);
  self->claimed = FALSE;
}

typedef struct {
  ErWorkspace *self;
  ErCase      *kase;
  ErPhotoKind  kind;
} PhotoLoad;

static void
photo_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PhotoLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = er_photo_load_finish (result, &error);

  if (!is_cancelled (error) && load->self->open_case == load->kase)
    {
      if (texture != NULL)
        er_case_view_set_photo (load->self->case_view, load->kind, GDK_PAINTABLE (texture));
      else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        unauthenticated (load->self, error);
      else
        er_case_view_set_photo_error (load->self->case_view, load->kind, error->message);
    }

  g_object_unref (load->self);
  g_object_unref (load->kase);
  g_free (load);
}

static void
load_photo (ErWorkspace *self,
            ErCase      *kase,
            ErPhotoKind  kind)
{
  PhotoLoad *load = g_new0 (PhotoLoad, 1);
  const ErPhotoRef *ref = kind == ER_PHOTO_USER ? er_case_get_user_photo (kase)
                                                : er_case_get_photo_id (kase);

  load->self = g_object_ref (self);
  load->kase = g_object_ref (kase);
  load->kind = kind;
  er_photo_load_async (self->client, self->key, ref, self->case_cancellable,
                       photo_loaded_cb, load);
}

static void claim_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Keeps the claim while the agent is still looking at the case. */
static gboolean
renew_claim (gpointer user_data)
{
  ErWorkspace *self = user_data;

  self->renew_id = 0;
  if (self->open_case != NULL && self->case_cancellable != NULL)
    er_client_claim_async (self->client, er_case_get_receipt_id (self->open_case),
                           self->case_cancellable, claim_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
claim_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ErWorkspace) self = user_data;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) claimed = NULL;
  g_autoptr(ErCase) kase = NULL;

  claimed = er_client_claim_finish (ER_CLIENT (source), result, &conflict, &error);
  if (is_cancelled (error))
    return;
  if (self->open_case == NULL)
    return;

  kase = g_object_ref (self->open_case);
  if (claimed != NULL)
    {
      self->claimed = TRUE;
      if (self->renew_id == 0)
        self->renew_id = g_timeout_add_seconds (CLAIM_RENEW_SECONDS, renew_claim, self);
      return;
    }

  if (g_error_matches (error, ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_NOT_FOUND) ||
      g_error_matches (error, ER_ERROR, ER_ERROR_GONE))
    {
      g_autofree char *message = NULL;

      if (conflict != NULL && conflict->claimed_by != NULL)
        /* Translators: first %s is a colleague's username, second the learner's name */
        message = g_strdup_printf (_("%s is already reviewing %s; moved on to the next case."),
                                   conflict->claimed_by, er_case_get_expected_name (kase));
      else if (conflict != NULL && conflict->decision != NULL)
        message = g_strdup_printf (_("%s was already decided by %s; moved on to the next case."),
                                   er_case_get_expected_name (kase),
                                   er_decision_get_decided_by (conflict->decision));
      else
        message = g_strdup_printf ("%s: %s", er_case_get_expected_name (kase), error->message);

      toast (self, message);
      remove_and_advance (self, kase);
    }
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
    unauthenticated (self, error);
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not reserve this case: %s"), error->message);
      toast (self, message);
    }
}

static void
select_case (ErWorkspace *self,
             ErCase      *kase)
{
  guint position;

  self->selecting = TRUE;
  if (kase != NULL && find_case (self, er_case_get_receipt_id (kase), &position))
    {
      gtk_single_selection_set_selected (self->selection, position);
      gtk_widget_activate_action (GTK_WIDGET (self->queue_view), "list.scroll-to-item", "u", position);
    }
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
}

static void
open_case (ErWorkspace *self,
           ErCase      *kase)
{
  if (kase != NULL && self->open_case == kase)
    return;

  g_cancellable_cancel (self->case_cancellable);
  g_clear_object (&self->case_cancellable);
  g_clear_handle_id (&self->renew_id, g_source_remove);
  release_open_claim (self);
  clear_decision (self);

  g_set_object (&self->open_case, kase);
  er_case_view_set_case (self->case_view, kase);
  select_case (self, kase);
  update_actions (self);

  if (kase == NULL)
    {
      show_queue_state (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "case");
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  self->case_cancellable = g_cancellable_new ();
  er_client_claim_async (self->client, er_case_get_receipt_id (kase), self->case_cancellable,
                         claim_cb, g_object_ref (self));
  load_photo (self, kase, ER_PHOTO_USER);
  load_photo (self, kase, ER_PHOTO_ID);
}

static void
on_selection_changed (ErWorkspace *self)
{
  g_autoptr(ErCase) kase = NULL;

  if (self->selecting)
    return;

  kase = gtk_single_selection_get_selected_item (self->selection);
  if (kase == NULL)
    return;
  g_object_ref (kase);
  open_case (self, kase);
}

static void
list_cases_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ErWorkspace) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  page = er_client_list_cases_finish (ER_CLIENT (source), result, &error);
  if (is_cancelled (error))
    return;

  if (page == NULL)
    {
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        {
          unauthenticated (self, error);
          return;
        }
      if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
        {
          g_autofree char *message = g_strdup_printf (_("The queue could not be refreshed: %s"),
                                                      error->message);
          toast (self, message);
          show_queue_state (self);
          return;
        }
      gtk_spinner_stop (self->queue_spinner);
      adw_status_page_set_description (self->queue_error, error->message);
      gtk_stack_set_visible_child_name (self->queue_stack, "error");
      if (self->open_case == NULL)
        gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }

  if (page->not_modified)
    {
      show_queue_state (self);
      return;
    }
  g_free (self->queue_etag);
  self->queue_etag = g_strdup (page->etag);

  /* Keep the open case's object so the view and the claim stay with it. */
  n = g_list_model_get_n_items (G_LIST_MODEL (page->items));
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (page->items), i);

      if (self->open_case != NULL &&
          g_str_equal (er_case_get_receipt_id (kase), er_case_get_receipt_id (self->open_case)))
        g_ptr_array_add (items, g_object_ref (self->open_case));
      else
        g_ptr_array_add (items, g_steal_pointer (&kase));
    }

  self->selecting = TRUE;
  g_list_store_splice (self->queue, 0, g_list_model_get_n_items (G_LIST_MODEL (self->queue)),
                       items->pdata, items->len);
  self->selecting = FALSE;
  self->loaded = TRUE;
  self->total = page->count;

  /* An open case that left the queue (decided elsewhere) stays on screen
   * until the agent moves on; it is simply no longer selected in the list. */
  if (self->open_case != NULL)
    select_case (self, self->open_case);
  else
    {
      g_autoptr(ErCase) first = next_case_from (self, 0);
      open_case (self, first);
    }

  show_queue_state (self);
}

static gboolean
poll_queue (gpointer user_data)
{
  er_workspace_refresh (ER_WORKSPACE (user_data));
  return G_SOURCE_CONTINUE;
}

void
er_workspace_refresh (ErWorkspace *self)
{
  ErCaseQuery query = { .limit = QUEUE_PAGE_SIZE };

  g_return_if_fail (ER_IS_WORKSPACE (self));

  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->queue_cancellable);
  g_clear_object (&self->queue_cancellable);
  self->queue_cancellable = g_cancellable_new ();

  if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0)
    {
      gtk_spinner_start (self->queue_spinner);
      gtk_stack_set_visible_child_name (self->queue_stack, "loading");
      if (self->open_case == NULL)
        {
          gtk_spinner_start (self->content_spinner);
          gtk_stack_set_visible_child_name (self->content_stack, "loading");
        }
    }

  query.q = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (query.q[0] == '\0')
    query.q = NULL;
  switch (gtk_drop_down_get_selected (self->source_dropdown))
    {
    case 1: query.source = "webcam"; break;
    case 2: query.source = "email"; break;
    default: break;
    }

  /* Unchanged since last time: the server answers 304 with no body. */
  query.if_none_match = self->queue_etag;
  er_client_list_cases_async (self->client, &query, self->queue_cancellable,
                              list_cases_cb, g_object_ref (self));

  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (QUEUE_POLL_SECONDS, poll_queue, self);
}

typedef struct {
  ErWorkspace *self;
  ErCase      *kase;
} Decision;

static void
decide_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Decision *d = user_data;
  g_autoptr(ErWorkspace) self = d->self;
  g_autoptr(ErCase) kase = d->kase;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErDecision) decision = NULL;
  g_autofree char *message = NULL;
  const char *name = er_case_get_expected_name (kase);

  g_free (d);
  decision = er_client_decide_finish (ER_CLIENT (source), result, &conflict, &error);
  if (is_cancelled (error))
    return;

  if (self->open_case == kase)
    self->deciding = FALSE;

  if (decision != NULL)
    {
      if (er_decision_get_approved (decision))
        message = g_strdup_printf (_("Approved: %s"), name);
      else
        message = g_strdup_printf (_("Denied: %s"), name);
      toast (self, message);
      remove_and_advance (self, kase); /* opening the next case clears the decision */
      return;
    }

  if (g_error_matches (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED))
    {
      ErDecision *other = conflict != NULL ? conflict->decision : NULL;

      if (other != NULL && er_decision_get_approved (other))
        message = g_strdup_printf (_("%s was already approved by %s."), name,
                                   er_decision_get_decided_by (other));
      else if (other != NULL)
        message = g_strdup_printf (_("%s was already denied by %s."), name,
                                   er_decision_get_decided_by (other));
      else
        message = g_strdup_printf (_("%s was already decided by a colleague."), name);
      toast (self, message);
      remove_and_advance (self, kase); /* opening the next case clears the decision */
    }
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER) ||
           g_error_matches (error, ER_ERROR, ER_ERROR_NOT_FOUND) ||
           g_error_matches (error, ER_ERROR, ER_ERROR_GONE))
    {
      message = g_strdup_printf (_("Your decision on %s was not recorded: %s"), name, error->message);
      toast (self, message);
      remove_and_advance (self, kase); /* opening the next case clears the decision */
    }
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
    unauthenticated (self, error);
  else
    {
      /* Transient or unexpected: the case stays open with its decision key,
       * so sending again cannot record it twice. */
      message = g_strdup_printf (_("Your decision on %s was not sent: %s"), name, error->message);
      toast (self, message);
    }

  update_actions (self);
}

static gboolean
reasons_equal (const ErReasons *a,
               const ErReasons *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  node_a = er_reasons_to_json (a);
  node_b = er_reasons_to_json (b);
  return json_node_equal (node_a, node_b);
}

static void
send_decision (ErWorkspace     *self,
               gboolean         approved,
               const ErReasons *reasons)
{
  Decision *d;
  gboolean same;

  if (self->open_case == NULL || self->deciding)
    return;

  /* Sending the same decision again (after a failure) reuses its key. */
  same = self->decision_key != NULL && self->decision_approved == approved &&
         (approved || reasons_equal (self->decision_reasons, reasons));
  if (!same)
    {
      clear_decision (self);
      self->decision_key = er_client_new_idempotency_key ();
      self->decision_approved = approved;
      self->decision_reasons = reasons != NULL ? er_reasons_copy (reasons) : NULL;
    }

  self->deciding = TRUE;
  update_actions (self);

  d = g_new0 (Decision, 1);
  d->self = g_object_ref (self);
  d->kase = g_object_ref (self->open_case);
  er_client_decide_async (self->client, er_case_get_receipt_id (self->open_case), approved,
                          self->decision_reasons, self->decision_key, NULL, decide_cb, d);
}

void
er_workspace_deny (ErWorkspace     *self,
                   const ErReasons *reasons)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (reasons != NULL);

  send_decision (self, FALSE, reasons);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  send_decision (ER_WORKSPACE (widget), TRUE, NULL);
}

static void
on_deny (ErDenyDialog    *dialog,
         const ErReasons *reasons,
         ErWorkspace     *self)
{
  er_workspace_deny (self, reasons);
}

static void
deny_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  ErDenyDialog *dialog;

  if (self->open_case == NULL || self->deciding)
    return;

  dialog = er_deny_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                               er_case_get_expected_name (self->open_case));
  g_signal_connect_object (dialog, "deny", G_CALLBACK (on_deny), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Leaves the open case to a colleague (its claim is released) and opens the next. */
static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  g_autoptr(ErCase) next = NULL;
  guint position;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  if (self->open_case == NULL || self->deciding || n < 2)
    return;
  if (!find_case (self, er_case_get_receipt_id (self->open_case), &position))
    position = 0;
  else
    position = (position + 1) % n;
  next = next_case_from (self, position);
  if (next != NULL && next != self->open_case)
    open_case (self, next);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  er_workspace_refresh (ER_WORKSPACE (widget));
}

/* Another search or source: a new list, not a 304 of the previous one. */
static void
on_search_changed (ErWorkspace *self)
{
  g_clear_pointer (&self->queue_etag, g_free);
  er_workspace_refresh (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
er_workspace_search (ErWorkspace *self,
                     const char  *text,
                     const char  *source)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_drop_down_set_selected (self->source_dropdown,
                              g_strcmp0 (source, "webcam") == 0 ? 1 :
                              g_strcmp0 (source, "email") == 0 ? 2 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  on_search_changed (self);
}

static void
show_queue_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, er_queue_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  er_queue_row_set_case (ER_QUEUE_ROW (gtk_list_item_get_child (item)),
                         gtk_list_item_get_item (item));
}

void
er_workspace_start (ErWorkspace  *self,
                    ErClient     *client,
                    ErPrivateKey *key,
                    ErAgent      *agent)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (ER_IS_CLIENT (client));

  er_workspace_stop (self);
  g_set_object (&self->client, client);
  g_clear_pointer (&self->key, er_private_key_unref);
  self->key = key != NULL ? er_private_key_ref (key) : NULL;
  g_set_object (&self->agent, agent);
  self->loaded = FALSE;
  self->total = 0;
  g_clear_pointer (&self->queue_etag, g_free);
  g_list_store_remove_all (self->queue);
  update_titles (self);
  er_workspace_refresh (self);
}

void
er_workspace_stop (ErWorkspace *self)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));

  g_cancellable_cancel (self->queue_cancellable);
  g_clear_object (&self->queue_cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->client != NULL)
    open_case (self, NULL);
}

GListModel *
er_workspace_get_queue (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->queue);
}

ErCase *
er_workspace_get_open_case (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->open_case;
}

ErCaseView *
er_workspace_get_case_view (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->case_view;
}

static void
er_workspace_dispose (GObject *object)
{
  ErWorkspace *self = ER_WORKSPACE (object);

  if (self->client != NULL)
    er_workspace_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ER_TYPE_WORKSPACE);
  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  g_clear_object (&self->open_case);
  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
  g_clear_object (&self->agent);
  g_clear_pointer (&self->queue_etag, g_free);
  clear_decision (self);

  G_OBJECT_CLASS (er_workspace_parent_class)->dispose (object);
}

static void
er_workspace_class_init (ErWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_workspace_dispose;

  signals[SIGNAL_UNAUTHENTICATED] =
    g_signal_new ("unauthenticated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (ER_TYPE_CASE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/edulib/Reviewer/er-workspace.ui");
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_title);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_title);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_view);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, queue_error);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, content_spinner);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, case_view);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, source_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "workspace.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "workspace.deny", NULL, deny_action);
  gtk_widget_class_install_action (widget_class, "workspace.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "workspace.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "workspace.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "workspace.search", NULL);
  gtk_widget_class_install_action (widget_class, "workspace.show-queue", NULL, show_queue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "workspace.refresh", NULL);
  /* Single letters: text fields take their keys first, so these fire only
   * when the focus is not in one. Approving with a single letter waits for
   * Undo: a stray keystroke must not send a decision. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "workspace.deny", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "workspace.skip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, 0, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "workspace.refresh", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
er_workspace_init (ErWorkspace *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->queue = g_list_store_new (ER_TYPE_CASE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->queue_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->selection));

  update_actions (self);
}
