/* er-workspace.c: the queue beside the open case; the review loop.
 *
 * Opening a case claims it and shows both photos, which the prefetcher has
 * usually decoded already. A decision opens the next case at once and waits
 * the undo delay (with Undo offered) before it is sent, with an
 * Idempotency-Key that is kept until the server gives a final answer, so that
 * sending again after a network failure can never record it twice. Closing
 * the window or signing out sends every waiting decision first.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "er-deny-dialog.h"
#include "er-error.h"
#include "er-photo.h"
#include "er-format.h"
#include "er-outbox.h"
#include "er-prefetch.h"
#include "er-sender.h"
#include "er-queue-row.h"
#include "er-workspace.h"

/* The oldest 200 (the most a page holds); the title counts them all. */
#define QUEUE_PAGE_SIZE 200
/* Claims last 15 minutes; renew well before. */
#define CLAIM_RENEW_SECONDS (10 * 60)
/* The platform rate-limits polling faster than every 10 s. */
#define QUEUE_POLL_SECONDS 15
/* Closing: how long the app waits for the last decisions to be sent. */
#define SEND_ON_CLOSE_SECONDS 10

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
  GtkShortcutController *keys;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *source_dropdown;

  ErClient           *client;
  ErPrivateKey       *key;
  ErAgent            *agent;
  GSettings          *settings;
  ErPrefetch         *prefetch;

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
  gboolean            claiming;         /* a claim request is under way */
  guint               renew_id;

  ErOutbox           *outbox;
  ErSender           *sender;
  GQueue              undoables;        /* Undoable, newest last */
  GHashTable         *delivered;        /* receipt ids decided and delivered this session */
  guint               undo_timeout_id;
  gboolean            queue_offline;    /* the last queue refresh could not reach the server */
  GtkRevealer        *offline_revealer;
  GtkLabel           *offline_label;
  GtkRevealer        *undo_revealer;
  GtkLabel           *undo_label;
};

G_DEFINE_FINAL_TYPE (ErWorkspace, er_workspace, GTK_TYPE_WIDGET)

enum {
  SIGNAL_UNAUTHENTICATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The newest decisions the agent may still take back, newest last. */
typedef struct {
  char    *key;       /* the outbox entry */
  ErCase  *kase;
  guint    position;  /* where it was in the queue, to put it back */
  char    *message;   /* "Approved: name" */
} Undoable;

static void update_offline (ErWorkspace *self);
static void open_case (ErWorkspace *self, ErCase *kase);
static Undoable *undoable (ErWorkspace *self);
static gboolean is_pending (ErWorkspace *self, const char *receipt_id);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
toast (ErWorkspace *self,
       const char  *message)
{
  AdwToast *t;

  if (self->toast_overlay == NULL) /* an answer after the window closed */
    return;
  t = adw_toast_new (message);
  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
unauthenticated (ErWorkspace  *self,
                 const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, error->message);
}

/* The newest decision, while it can be taken back, shows with Undo. */
static void
update_actions (ErWorkspace *self)
{
  gboolean can_decide = self->open_case != NULL;
  Undoable *last = undoable (self);

  if (self->undo_revealer != NULL) /* not once the template is gone */
    {
      if (last != NULL)
        gtk_label_set_text (self->undo_label, last->message);
      gtk_revealer_set_reveal_child (self->undo_revealer, last != NULL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.approve", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.deny", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.skip", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.undo", last != NULL);
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
  g_autoptr(GdkTexture) texture = er_prefetch_load_finish (ER_PREFETCH (source), result, &error);

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

  load->self = g_object_ref (self);
  load->kase = g_object_ref (kase);
  load->kind = kind;
  er_prefetch_load_async (self->prefetch, kase, kind, self->case_cancellable,
                          photo_loaded_cb, load);
}

/* Keeps the open case's photos and those of the next cases the agent will
 * see, as many as the prefetch depth says; everything else is dropped. */
static void
update_prefetch (ErWorkspace *self)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  guint depth = g_settings_get_int (self->settings, "prefetch-depth");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  guint position = 0;

  if (self->prefetch == NULL)
    return;
  if (self->open_case != NULL)
    {
      g_ptr_array_add (keep, g_object_ref (self->open_case));
      if (find_case (self, er_case_get_receipt_id (self->open_case), &position))
        position++;
    }
  for (guint i = 0; i < n && keep->len < depth + 1; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (self->queue), (position + i) % n);

      if (kase != self->open_case && !claimed_by_colleague (self, kase))
        g_ptr_array_add (keep, g_steal_pointer (&kase));
    }
  er_prefetch_keep (self->prefetch, (ErCase * const *) keep->pdata, keep->len);
}

static void claim_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Keeps the claim while the agent is still looking at the case. */
static gboolean
renew_claim (gpointer user_data)
{
  ErWorkspace *self = user_data;

  self->renew_id = 0;
  if (self->open_case != NULL && self->case_cancellable != NULL)
    {
      self->claiming = TRUE;
      er_client_claim_async (self->client, er_case_get_receipt_id (self->open_case),
                             self->case_cancellable, claim_cb, g_object_ref (self));
    }
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
  self->claiming = FALSE;
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
  else if (!g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK)) /* offline: the banner says it */
    {
      g_autofree char *message = g_strdup_printf (_("Could not reserve this case: %s"), error->message);
      toast (self, message);
    }
}

/* Keys reach the workspace only when the focus is inside it: after a row
 * left the list, or at the start, the focus goes to the queue. */
static void
keep_focus_inside (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) ||
      !gtk_widget_get_mapped (focus))
    gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
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
  self->claiming = FALSE;

  g_set_object (&self->open_case, kase);
  er_case_view_set_case (self->case_view, kase);
  select_case (self, kase);
  update_actions (self);

  if (kase == NULL)
    {
      update_prefetch (self);
      show_queue_state (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "case");
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  self->case_cancellable = g_cancellable_new ();
  self->claiming = TRUE;
  er_client_claim_async (self->client, er_case_get_receipt_id (kase), self->case_cancellable,
                         claim_cb, g_object_ref (self));
  load_photo (self, kase, ER_PHOTO_USER);
  load_photo (self, kase, ER_PHOTO_ID);
  update_prefetch (self);
  keep_focus_inside (self);
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

/* The server answered: decisions waiting out a backoff go now, and the open
 * case, opened while offline, is claimed at last. */
static void
server_answers (ErWorkspace *self)
{
  if (self->sender != NULL)
    er_sender_retry (self->sender);
  if (self->open_case != NULL && !self->claimed && self->case_cancellable != NULL &&
      !self->claiming)
    {
      self->claiming = TRUE;
      er_client_claim_async (self->client, er_case_get_receipt_id (self->open_case),
                             self->case_cancellable, claim_cb, g_object_ref (self));
    }
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
  self->queue_offline = g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK);
  update_offline (self);
  if (page != NULL)
    server_answers (self);

  if (page == NULL)
    {
      if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
        {
          unauthenticated (self, error);
          return;
        }
      if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
        {
          /* Offline: the banner says it once, not a toast every poll. */
          if (!self->queue_offline)
            {
              g_autofree char *message = g_strdup_printf (_("The queue could not be refreshed: %s"),
                                                          error->message);
              toast (self, message);
            }
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

      /* Decided here, waiting for its undo delay or on its way. */
      if (is_pending (self, er_case_get_receipt_id (kase)))
        continue;
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
  self->total = page->count > n - items->len ? page->count - (n - items->len) : 0;

  /* An open case that left the queue (decided elsewhere) stays on screen
   * until the agent moves on; it is simply no longer selected in the list. */
  if (self->open_case != NULL)
    {
      select_case (self, self->open_case);
      update_prefetch (self);
    }
  else
    {
      g_autoptr(ErCase) first = next_case_from (self, 0);
      open_case (self, first);
      /* The review starts from the queue: arrows move in it, keys decide. */
      if (first != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
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

static void
undoable_free (Undoable *u)
{
  g_free (u->key);
  g_clear_object (&u->kase);
  g_free (u->message);
  g_free (u);
}

/* Decided here: waiting in the outbox, or delivered during this session (a
 * listing asked for before the delivery may still name it). */
static gboolean
is_pending (ErWorkspace *self,
            const char  *receipt_id)
{
  return (self->outbox != NULL && er_outbox_has_case (self->outbox, receipt_id)) ||
         g_hash_table_contains (self->delivered, receipt_id);
}

static void
on_delivered (ErSender      *sender,
              ErOutboxEntry *entry,
              ErDecision    *decision,
              ErWorkspace   *self)
{
  g_hash_table_add (self->delivered, g_strdup (er_outbox_entry_get_receipt_id (entry)));
}

/* Drops the ones whose undo delay is over (or that are gone) and returns
 * the newest that can still be taken back. */
static Undoable *
undoable (ErWorkspace *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  while (self->undoables.tail != NULL)
    {
      Undoable *u = self->undoables.tail->data;
      ErOutboxEntry *entry = self->outbox != NULL ? er_outbox_lookup (self->outbox, u->key) : NULL;

      if (entry != NULL && er_outbox_entry_get_state (entry) == ER_OUTBOX_WAITING &&
          g_date_time_compare (er_outbox_entry_get_due_at (entry), now) > 0)
        return u;
      undoable_free (g_queue_pop_tail (&self->undoables));
    }
  return NULL;
}

static gboolean
undo_expired (gpointer user_data)
{
  ErWorkspace *self = user_data;

  self->undo_timeout_id = 0;
  update_actions (self);
  return G_SOURCE_REMOVE;
}

/* Hides the Undo bar when the newest decision's delay is over. */
static void
schedule_undo_expiry (ErWorkspace *self)
{
  Undoable *u = undoable (self);
  ErOutboxEntry *entry;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan left;

  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  if (u == NULL || (entry = er_outbox_lookup (self->outbox, u->key)) == NULL)
    return;
  now = g_date_time_new_now_utc ();
  left = g_date_time_difference (er_outbox_entry_get_due_at (entry), now);
  self->undo_timeout_id = g_timeout_add (MAX (left / 1000, 0) + 50, undo_expired, self);
}

static void
decide (ErWorkspace     *self,
        gboolean         approved,
        const ErReasons *reasons)
{
  ErCase *kase = self->open_case;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  ErOutboxEntry *entry;
  Undoable *u;

  if (kase == NULL || self->outbox == NULL || is_pending (self, er_case_get_receipt_id (kase)))
    return;

  /* On disk before the undo delay starts: from here on, a crash, a kill or
   * a lost network cannot lose it. */
  due = g_date_time_add_seconds (now, g_settings_get_int (self->settings, "undo-delay"));
  entry = er_outbox_add (self->outbox, er_case_get_receipt_id (kase),
                         er_case_get_expected_name (kase), approved, reasons, due, &error);
  if (entry == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Your decision could not be saved, so it was not sent: %s"),
                                                  error->message);
      toast (self, message);
      return;
    }

  u = g_new0 (Undoable, 1);
  u->key = g_strdup (er_outbox_entry_get_key (entry));
  u->kase = g_object_ref (kase);
  if (!find_case (self, er_case_get_receipt_id (kase), &u->position))
    u->position = 0;
  u->message = approved ? g_strdup_printf (_("Approved: %s"), er_case_get_expected_name (kase))
                        : g_strdup_printf (_("Denied: %s"), er_case_get_expected_name (kase));
  g_queue_push_tail (&self->undoables, u);
  schedule_undo_expiry (self);

  /* The claim stays (remove_and_advance does not release it): the case is
   * ours until the decision is recorded. */
  er_prefetch_forget (self->prefetch, er_case_get_receipt_id (kase));
  remove_and_advance (self, kase);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  Undoable *u = undoable (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) kase = NULL;
  g_autofree char *message = NULL;
  guint position, n;

  if (u == NULL)
    return;

  g_queue_remove (&self->undoables, u);
  kase = g_object_ref (u->kase);
  position = u->position;
  if (!er_outbox_take_back (self->outbox, u->key, &error))
    {
      message = error != NULL
        ? g_strdup_printf (_("The decision on %s could not be undone: %s"),
                           er_case_get_expected_name (kase), error->message)
        : g_strdup_printf (_("Too late to undo: the decision on %s is being sent."),
                           er_case_get_expected_name (kase));
      toast (self, message);
      undoable_free (u);
      update_actions (self);
      return;
    }
  undoable_free (u);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  g_list_store_insert (self->queue, MIN (position, n), kase);
  self->total++;
  schedule_undo_expiry (self);
  open_case (self, kase);
  show_queue_state (self);
  message = g_strdup_printf (_("Decision on %s undone"), er_case_get_expected_name (kase));
  toast (self, message);
}

static void
on_refused (ErSender      *sender,
            ErOutboxEntry *entry,
            GError        *error,
            ErConflict    *conflict,
            ErWorkspace   *self)
{
  const char *name = er_outbox_entry_get_name (entry);
  ErDecision *other = conflict != NULL ? conflict->decision : NULL;
  g_autofree char *message = NULL;

  if (other != NULL)
    {
      g_autofree char *when = er_format_time (er_decision_get_decided_at (other));

      /* Translators: "Marie Tremblay was already decided by agent.roy at 10:15: approved." */
      message = g_strdup_printf (er_decision_get_approved (other)
                                 ? _("%s was already decided by %s at %s: approved.")
                                 : _("%s was already decided by %s at %s: denied."),
                                 name, er_decision_get_decided_by (other), when);
    }
  else
    message = g_strdup_printf (_("Your decision on %s was not recorded: %s"), name, error->message);
  toast (self, message);
}

static void
on_sender_unauthenticated (ErSender    *sender,
                           GError      *error,
                           ErWorkspace *self)
{
  unauthenticated (self, error);
}

/* The banner: the server cannot be reached, and how many decisions wait. */
static void
update_offline (ErWorkspace *self)
{
  gboolean offline = self->queue_offline || (self->sender != NULL && er_sender_get_offline (self->sender));
  guint waiting = self->outbox != NULL ? er_outbox_get_n_waiting (self->outbox) : 0;
  g_autofree char *text = NULL;

  if (self->offline_revealer == NULL) /* the template is gone */
    return;

  if (offline && waiting > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The server cannot be reached. %u decision is waiting to be sent; it will go as soon as the server answers.",
                                         "The server cannot be reached. %u decisions are waiting to be sent; they will go as soon as the server answers.",
                                         waiting), waiting);
  else if (offline)
    text = g_strdup (_("The server cannot be reached. You can go on with the cases already loaded; your decisions will be sent when it answers."));
  if (text != NULL)
    gtk_label_set_text (self->offline_label, text);
  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
}

/* Back online for the sender: the queue (and the banner) follow at once. */
static void
on_sender_offline (ErWorkspace *self)
{
  update_offline (self);
  if (!er_sender_get_offline (self->sender) && self->queue_offline)
    er_workspace_refresh (self);
}

static void
on_outbox_changed (ErWorkspace *self)
{
  update_offline (self);
  update_actions (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  /* The decisions waiting out a backoff go now; those still in their undo
   * delay keep it. */
  if (self->sender != NULL)
    er_sender_retry (self->sender);
  er_workspace_refresh (self);
}

/* Closing or signing out: every decision goes now; the application stays
 * until the sender is done or SEND_ON_CLOSE_SECONDS have passed (what is
 * left is on disk and goes at the next start). */
typedef struct {
  ErSender     *sender;
  GApplication *app;
  guint         timeout_id;
  gulong        handler;
} Farewell;

static void
farewell_done (Farewell *f)
{
  g_clear_handle_id (&f->timeout_id, g_source_remove);
  g_clear_signal_handler (&f->handler, f->sender);
  er_sender_stop (f->sender);
  g_object_unref (f->sender);
  if (f->app != NULL)
    {
      g_application_release (f->app);
      g_object_unref (f->app);
    }
  g_free (f);
}

static void
on_farewell_busy (ErSender   *sender,
                  GParamSpec *pspec,
                  Farewell   *f)
{
  if (!er_sender_get_busy (sender))
    farewell_done (f);
}

static gboolean
farewell_timeout (gpointer user_data)
{
  Farewell *f = user_data;

  f->timeout_id = 0;
  farewell_done (f);
  return G_SOURCE_REMOVE;
}

static void
send_all_and_let_go (ErWorkspace *self)
{
  Farewell *f;

  if (self->sender == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->sender, self);
  g_signal_handlers_disconnect_by_data (self->outbox, self);
  er_outbox_make_all_due (self->outbox);
  er_sender_send_now (self->sender);
  if (!er_sender_get_busy (self->sender))
    {
      er_sender_stop (self->sender);
      g_clear_object (&self->sender);
      return;
    }

  f = g_new0 (Farewell, 1);
  f->sender = g_steal_pointer (&self->sender);
  f->app = g_application_get_default ();
  if (f->app != NULL)
    {
      g_object_ref (f->app);
      g_application_hold (f->app);
    }
  f->handler = g_signal_connect (f->sender, "notify::busy", G_CALLBACK (on_farewell_busy), f);
  f->timeout_id = g_timeout_add_seconds (SEND_ON_CLOSE_SECONDS, farewell_timeout, f);
}

static gboolean
same_value (gpointer key,
            gpointer value,
            gpointer user_data)
{
  return value == user_data;
}

static void
forget_outbox (GHashTable *outboxes,
               GObject    *gone)
{
  g_hash_table_foreach_remove (outboxes, same_value, gone);
}

/* One ErOutbox per file in the process: after a quick sign-out and sign-in,
 * the sender still finishing the old session's decisions and the new one
 * must not write the same file from two copies. */
static ErOutbox *
shared_outbox (const char  *path,
               GError     **error)
{
  static GHashTable *outboxes; /* path → ErOutbox, weak */
  ErOutbox *outbox;

  if (outboxes == NULL)
    outboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  outbox = g_hash_table_lookup (outboxes, path);
  if (outbox != NULL)
    return g_object_ref (outbox);

  outbox = er_outbox_new (path, error);
  g_hash_table_insert (outboxes, g_strdup (path), outbox);
  g_object_weak_ref (G_OBJECT (outbox), (GWeakNotify) forget_outbox, outboxes);
  return outbox;
}

/* The outbox of this agent on this server: what a previous run left is
 * sent now, and those cases are not offered again. */
static void
open_outbox (ErWorkspace *self)
{
  g_autofree char *path = er_outbox_default_path (er_client_get_server (self->client),
                                                  er_agent_get_username (self->agent));
  g_autoptr(GError) error = NULL;

  self->outbox = shared_outbox (path, &error);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The list of decisions waiting to be sent was damaged and has been set aside: %s"),
                                                  error->message);
      toast (self, message);
    }
  g_signal_connect_object (self->outbox, "changed", G_CALLBACK (on_outbox_changed), self,
                           G_CONNECT_SWAPPED);

  self->sender = er_sender_new (self->outbox, self->client);
  g_signal_connect_object (self->sender, "refused", G_CALLBACK (on_refused), self, 0);
  g_signal_connect_object (self->sender, "delivered", G_CALLBACK (on_delivered), self, 0);
  g_signal_connect_object (self->sender, "unauthenticated",
                           G_CALLBACK (on_sender_unauthenticated), self, 0);
  g_signal_connect_object (self->sender, "notify::offline", G_CALLBACK (on_sender_offline), self,
                           G_CONNECT_SWAPPED);
}

void
er_workspace_deny (ErWorkspace     *self,
                   const ErReasons *reasons)
{
  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (reasons != NULL);

  decide (self, FALSE, reasons);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  decide (ER_WORKSPACE (widget), TRUE, NULL);
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

  if (self->open_case == NULL)
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

  if (self->open_case == NULL || n < 2)
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

/* Whether a key should go to the focused widget instead: text fields, and
 * popovers (menus, the source filter). */
static gboolean
focus_takes_keys (ErWorkspace *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_TEXT_VIEW (w) || GTK_IS_POPOVER (w))
      return TRUE;
  return FALSE;
}

static gboolean
key_shortcut (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  const char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  if (focus_takes_keys (ER_WORKSPACE (widget)))
    return FALSE;
  g_variant_get (args, "(&smv)", &action, &target);
  gtk_widget_activate_action_variant (widget, action, target);
  return TRUE;
}

/* Escape in the name helper gives the keys back to the review. The search
 * field keeps its Escape (it closes the search). */
static gboolean
leave_text_field (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  ErWorkspace *self = ER_WORKSPACE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->case_view)) ||
      !focus_takes_keys (self))
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
  return TRUE;
}

static void
add_key (ErWorkspace     *self,
         guint            keyval,
         GdkModifierType  modifiers,
         const char      *action,
         GVariant        *target)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (key_shortcut, NULL, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(smv)", action, target));
  gtk_shortcut_controller_add_shortcut (self->keys, shortcut);
}

/* Single keys, and view keys that lists would otherwise take (Ctrl+arrows),
 * are seen before any child: they act whenever the focus is not in a text
 * field, wherever else it is. */
static void
add_keys (ErWorkspace *self)
{
  GtkShortcut *shortcut;
  static const struct {
    guint keyval;
    GdkModifierType modifiers;
    ErViewCommand command;
  } view_keys[] = {
    { GDK_KEY_plus, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_equal, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_KP_Add, 0, ER_VIEW_ZOOM_IN },
    { GDK_KEY_plus, GDK_CONTROL_MASK, ER_VIEW_ZOOM_IN },
    { GDK_KEY_equal, GDK_CONTROL_MASK, ER_VIEW_ZOOM_IN },
    { GDK_KEY_minus, 0, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_KP_Subtract, 0, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_minus, GDK_CONTROL_MASK, ER_VIEW_ZOOM_OUT },
    { GDK_KEY_0, 0, ER_VIEW_BEST_FIT },
    { GDK_KEY_KP_0, 0, ER_VIEW_BEST_FIT },
    { GDK_KEY_0, GDK_CONTROL_MASK, ER_VIEW_BEST_FIT },
    { GDK_KEY_1, 0, ER_VIEW_ACTUAL_SIZE },
    { GDK_KEY_KP_1, 0, ER_VIEW_ACTUAL_SIZE },
    { GDK_KEY_r, GDK_CONTROL_MASK, ER_VIEW_ROTATE_CW },
    { GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK, ER_VIEW_ROTATE_CCW },
    { GDK_KEY_Left, GDK_CONTROL_MASK, ER_VIEW_PAN_LEFT },
    { GDK_KEY_Right, GDK_CONTROL_MASK, ER_VIEW_PAN_RIGHT },
    { GDK_KEY_Up, GDK_CONTROL_MASK, ER_VIEW_PAN_UP },
    { GDK_KEY_Down, GDK_CONTROL_MASK, ER_VIEW_PAN_DOWN },
    { GDK_KEY_Tab, GDK_CONTROL_MASK, ER_VIEW_OTHER_PHOTO },
  };

  self->keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->keys), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (self->keys), "workspace-keys");

  add_key (self, GDK_KEY_a, 0, "workspace.approve", NULL);
  add_key (self, GDK_KEY_d, 0, "workspace.deny", NULL);
  add_key (self, GDK_KEY_s, 0, "workspace.skip", NULL);
  add_key (self, GDK_KEY_z, GDK_CONTROL_MASK, "workspace.undo", NULL);
  add_key (self, GDK_KEY_question, 0, "win.show-help-overlay", NULL);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                               gtk_callback_action_new (leave_text_field, NULL, NULL));
  gtk_shortcut_controller_add_shortcut (self->keys, shortcut);
  for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
    add_key (self, view_keys[i].keyval, view_keys[i].modifiers, "workspace.view",
             g_variant_new_int32 (view_keys[i].command));

  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->keys));
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ErWorkspace *self = ER_WORKSPACE (widget);

  if (self->open_case != NULL)
    er_case_view_view (self->case_view, g_variant_get_int32 (parameter));
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
  g_clear_object (&self->prefetch);
  self->prefetch = er_prefetch_new (client, key);
  g_hash_table_remove_all (self->delivered);
  open_outbox (self);
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
  /* Signed out or closing: the token (in the client), the key and the
   * photos leave memory now; the decisions still to send keep the client
   * for a few seconds (what is left stays on disk for the next start). */
  send_all_and_let_go (self);
  g_clear_object (&self->outbox);
  g_queue_clear_full (&self->undoables, (GDestroyNotify) undoable_free);
  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  self->queue_offline = FALSE;
  update_offline (self);
  update_actions (self);
  g_clear_object (&self->prefetch);
  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
}

void
er_workspace_open_case (ErWorkspace *self,
                        ErCase      *kase)
{
  guint position;

  g_return_if_fail (ER_IS_WORKSPACE (self));
  g_return_if_fail (ER_IS_CASE (kase));

  if (self->client == NULL)
    return;
  if (find_case (self, er_case_get_receipt_id (kase), &position))
    {
      g_autoptr(ErCase) listed = g_list_model_get_item (G_LIST_MODEL (self->queue), position);

      open_case (self, listed);
      return;
    }
  g_list_store_insert (self->queue, 0, kase);
  self->total++;
  open_case (self, kase);
  show_queue_state (self);
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

ErClient *
er_workspace_get_client (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->client;
}

ErOutbox *
er_workspace_get_outbox (ErWorkspace *self)
{
  g_return_val_if_fail (ER_IS_WORKSPACE (self), NULL);
  return self->outbox;
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
  g_clear_object (&self->prefetch);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (er_workspace_parent_class)->dispose (object);
}

/* Left only if they could not be sent (no server any more). */
static void
er_workspace_finalize (GObject *object)
{
  ErWorkspace *self = ER_WORKSPACE (object);

  g_queue_clear_full (&self->undoables, (GDestroyNotify) undoable_free);
  g_clear_pointer (&self->delivered, g_hash_table_unref);

  G_OBJECT_CLASS (er_workspace_parent_class)->finalize (object);
}

static void
er_workspace_class_init (ErWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = er_workspace_dispose;
  object_class->finalize = er_workspace_finalize;

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
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, undo_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, undo_label);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, ErWorkspace, offline_label);
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
  gtk_widget_class_install_action (widget_class, "workspace.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "workspace.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "workspace.view", "i", view_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
er_workspace_init (ErWorkspace *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_keys (self);
  self->settings = g_settings_new (APPLICATION_ID);
  g_queue_init (&self->undoables);
  self->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
