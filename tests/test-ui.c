/* test-ui.c: the real window against the fake platform, under a virtual display.
 *
 * Signs in, checks that the oldest pending case opens with both photos,
 * approves, denies with a reason, meets a colleague's claim, and checks what
 * the platform recorded.
 */
#include "config.h"

#include <adwaita.h>

#include "er-application.h"
#include "er-attempts-view.h"
#include "er-outbox.h"
#include "er-review-queue.h"
#include "er-notice-bar.h"
#include "er-sign-in-page.h"
#include "er-window.h"
#include "fake-process.h"
#include "test-async.h"
#include "test-xdotool.h"

static FakeProcess *fake;
static gboolean renderer_preset;   /* GSK_RENDERER set before the test started */
static gint64 signed_in_at;   /* monotonic µs of the last signed_in_window () */
static ErApplication *app;
static GSettings *settings;
static char *data_dir;

static gboolean
case_ready (gpointer data)
{
  ErWorkspace *workspace = data;
  ErCaseView *view = er_workspace_get_case_view (workspace);

  /* Shown long enough for the decision guard (min-view-time) too. */
  return er_workspace_get_open_case (workspace) != NULL &&
         er_case_view_get_photo (view, ER_PHOTO_USER) != NULL &&
         er_case_view_get_photo (view, ER_PHOTO_ID) != NULL &&
         er_review_session_get_can_decide (er_workspace_get_session (workspace));
}

static gboolean
page_is_sign_in (gpointer data)
{
  return g_strcmp0 (er_window_get_page (data), "sign-in") == 0;
}

static gboolean
queue_loaded (gpointer data)
{
  return g_list_model_get_n_items (er_workspace_get_queue (data)) > 0;
}

typedef struct {
  const char *receipt_id;
  guint       count;
} DecisionWait;

static gboolean
decision_recorded (gpointer data)
{
  DecisionWait *w = data;

  return fake_process_count_decisions (fake, w->receipt_id) >= w->count;
}

typedef struct {
  ErWorkspace *workspace;
  char        *not_this;
} OtherCase;

static gboolean
other_case_ready (gpointer data)
{
  OtherCase *o = data;
  ErCase *open = er_workspace_get_open_case (o->workspace);

  return open != NULL && g_strcmp0 (er_case_get_receipt_id (open), o->not_this) != 0 &&
         case_ready (o->workspace);
}

/* The first widget of type under root (and, for a button, with this
 * action), depth first. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *action)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (action == NULL || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
notice_shows (gpointer data)
{
  ErWorkspace *workspace = data;
  ErNoticeBar *bar = ER_NOTICE_BAR (find_widget (GTK_WIDGET (workspace), ER_TYPE_NOTICE_BAR, NULL));

  return g_strcmp0 (er_notice_bar_get_shown (bar), "message") == 0;
}

/* RFC 3339 UTC times sort as text. */
static int
by_submitted_at (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (json_object_get_string_member (*(JsonObject * const *) a, "submitted_at"),
                    json_object_get_string_member (*(JsonObject * const *) b, "submitted_at"));
}

/* The pending cases as the platform has them, oldest first; offered_only:
 * without those a colleague holds (the app moves past them). */
static GPtrArray *
pending_ids (gboolean offered_only)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonNode *claim = json_object_get_member (c, "claim");

      /* Cases a colleague holds are not offered. */
      if (offered_only && claim != NULL && JSON_NODE_HOLDS_OBJECT (claim) &&
          g_strcmp0 (json_object_get_string_member (json_node_get_object (claim), "agent"),
                     "agent.lavoie") != 0)
        continue;
      if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0)
        g_ptr_array_add (sorted, c);
    }
  g_ptr_array_sort (sorted, by_submitted_at);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (sorted->pdata[i], "receipt_id")));
  return ids;
}

static JsonObject *
last_decision_body (const char *receipt_id)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *decisions = json_object_get_array_member (state, "decisions");
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);
      if (g_strcmp0 (json_object_get_string_member (d, "receipt_id"), receipt_id) == 0)
        found = json_object_get_object_member (d, "body");
    }
  g_assert_nonnull (found);
  return json_object_ref (found);
}

/* The deny panel of the workspace, when it is open. */
static ErDenyPanel *
find_deny_panel (ErWorkspace *workspace)
{
  ErDenyPanel *panel = er_workspace_get_deny_panel (workspace);

  return er_deny_panel_get_open (panel) ? panel : NULL;
}

static gboolean
deny_panel_shown (gpointer data)
{
  return find_deny_panel (data) != NULL;
}

static ErWindow *
signed_in_window (void)
{
  ErWindow *window = er_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  signed_in_at = g_get_monotonic_time ();
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  return window;
}

typedef struct {
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static void
test_review_loop (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  g_autoptr(GPtrArray) ids = pending_ids (FALSE);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *fourth = NULL;
  ErCase *open;
  GdkPaintable *photo;
  ErDenyPanel *panel;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *reason;
  OtherCase other;
  DecisionWait w = { 0 };

  g_assert_cmpuint (ids->len, >=, 4);

  /* The oldest pending case opens by itself, with both photos decoded. */
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_cmpstr (er_window_get_page (window), ==, "workspace");
  open = er_workspace_get_open_case (workspace);
  g_assert_cmpstr (er_case_get_receipt_id (open), ==, ids->pdata[0]);
  photo = er_case_view_get_photo (er_workspace_get_case_view (workspace), ER_PHOTO_USER);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (photo), >, 100);
  photo = er_case_view_get_photo (er_workspace_get_case_view (workspace), ER_PHOTO_ID);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (photo), >, 100);
  /* Photos are decoded for the panes' size in device pixels. */
  g_assert_cmpint (er_case_view_get_photo_target_size (er_workspace_get_case_view (workspace)), >, 100);
  g_assert_cmpint (er_prefetch_get_target_size (er_review_session_get_prefetch (er_workspace_get_session (workspace))),
                   ==, er_case_view_get_photo_target_size (er_workspace_get_case_view (workspace)));
  g_assert_cmpuint (g_list_model_get_n_items (er_workspace_get_queue (workspace)), ==, ids->len);
  /* Xvfb's OpenGL is Mesa's llvmpipe (or none): the window draws with Cairo
   * (er-renderer.c) unless the test's environment chose a renderer. */
  if (!renderer_preset)
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), ==, "GskCairoRenderer");
  /* Signing in asked for the list once (a second request would double the
   * wait for the first case on a long queue). */
  {
    g_autoptr(JsonObject) timing = fake_process_get (fake, "/_fake/timing");
    /* The queue's poll may have asked again on a slow machine. */
    gint64 polls = (g_get_monotonic_time () - signed_in_at) / (ER_REVIEW_QUEUE_POLL_SECONDS * G_USEC_PER_SEC);

    g_assert_cmpint (json_object_get_int_member (timing, "list_answers"), <=, 1 + polls);
  }

  /* The receipt id goes to the clipboard in one click. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
    ClipboardRead read = { NULL, FALSE };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (er_workspace_get_case_view (workspace)),
                                               "case.copy-receipt", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
    g_assert_true (test_wait_for (clipboard_done, &read, 10));
    g_assert_cmpstr (read.text, ==, ids->pdata[0]);
    g_free (read.text);
  }

  /* Approve: the platform records PASS, the next case opens. */
  first = g_strdup (er_case_get_receipt_id (open));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.approve", NULL));
  w.receipt_id = first;
  w.count = 1;
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  body = last_decision_body (first);
  g_assert_cmpstr (json_object_get_string_member (body, "EdX-ID"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (body, "Result"), ==, "PASS");
  g_assert_cmpstr (json_object_get_string_member (body, "Reason"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (body, "MessageType"), ==, "");
  g_clear_pointer (&body, json_object_unref);

  other.workspace = workspace;
  other.not_this = first;
  g_assert_true (test_wait_for (other_case_ready, &other, 30));
  open = er_workspace_get_open_case (workspace);
  g_assert_cmpstr (er_case_get_receipt_id (open), ==, ids->pdata[1]);
  g_assert_cmpuint (g_list_model_get_n_items (er_workspace_get_queue (workspace)), ==, ids->len - 1);

  /* Deny with "Text not clear" (the 5th reason shown, digit 5) and "Name
   * mismatch" (the first shown, digit 1). */
  second = g_strdup (er_case_get_receipt_id (open));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.deny", NULL));
  g_assert_true (test_wait_for (deny_panel_shown, workspace, 10));
  panel = find_deny_panel (workspace);
  g_assert_false (er_deny_panel_send (panel)); /* no reason yet */
  er_deny_panel_toggle (panel, 4);
  er_deny_panel_toggle (panel, 0);             /* "Name mismatch" */
  g_assert_true (er_deny_panel_send (panel));
  w.receipt_id = second;
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  body = last_decision_body (second);
  g_assert_cmpstr (json_object_get_string_member (body, "Result"), ==, "FAIL");
  reason = json_object_get_array_member (body, "Reason");
  g_assert_cmpuint (json_array_get_length (reason), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_array_get_object_element (reason, 0),
                                                   "photoIdReasons"), 0), ==, "Text not clear");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_array_get_object_element (reason, 1),
                                                   "generalReasons"), 0), ==, "Name mismatch");

  /* A colleague claims the next case: the window moves past it. */
  other.not_this = second;
  g_assert_true (test_wait_for (other_case_ready, &other, 30));
  open = er_workspace_get_open_case (workspace);
  third = g_strdup (er_case_get_receipt_id (open));
  g_assert_cmpstr (third, ==, ids->pdata[2]);
  {
    g_autofree char *path = g_strdup_printf ("/_fake/cases/%s/claim", (char *) ids->pdata[3]);
    g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\"}"), ==, 200);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.approve", NULL));
  w.receipt_id = third;
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  fourth = g_strdup (ids->pdata[3]);
  other.not_this = third;
  g_assert_true (test_wait_for (other_case_ready, &other, 30));
  /* It may briefly open the claimed case; it must end on the one after. */
  other.not_this = fourth;
  g_assert_true (test_wait_for (other_case_ready, &other, 30));
  open = er_workspace_get_open_case (workspace);
  g_assert_cmpstr (er_case_get_receipt_id (open), ==, ids->pdata[4]);
  g_assert_cmpuint (fake_process_count_decisions (fake, fourth), ==, 0);

  /* Each case was decided once. */
  g_assert_cmpuint (fake_process_count_decisions (fake, first), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, second), ==, 1);
  g_assert_cmpuint (fake_process_count_decisions (fake, third), ==, 1);

  /* No request with the token reached the storage origin. */
  {
    g_autoptr(JsonObject) state = fake_process_state (fake);
    JsonArray *storage = json_object_get_array_member (state, "storage_requests");

    g_assert_cmpuint (json_array_get_length (storage), >, 0);
    for (guint i = 0; i < json_array_get_length (storage); i++)
      g_assert_false (json_object_get_boolean_member (json_array_get_object_element (storage, i),
                                                      "authorization"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
claim_released (gpointer data)
{
  g_autoptr(JsonObject) state = fake_process_state (fake);
  JsonArray *cases = json_object_get_array_member (state, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      if (g_strcmp0 (json_object_get_string_member (c, "receipt_id"), data) == 0)
        return !json_object_has_member (c, "claim") || json_object_get_null_member (c, "claim");
    }
  return FALSE;
}

static void
test_skip (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  g_autofree char *skipped = NULL;
  g_autofree char *label = NULL;
  GtkWidget *skip_button;
  ErNoticeBar *bar;
  OtherCase other;

  g_assert_true (test_wait_for (case_ready, workspace, 30));
  skipped = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (workspace)));

  /* Skip, a visible button: the next case opens, the skipped one is left
   * to colleagues, and the notice bar names it with the time left to undo. */
  label = g_strdup_printf ("Skipped: %s",
                           er_case_get_expected_name (er_workspace_get_open_case (workspace)));
  skip_button = find_widget (GTK_WIDGET (workspace), GTK_TYPE_BUTTON, "workspace.skip");
  g_assert_nonnull (skip_button);
  g_assert_true (gtk_widget_is_visible (skip_button));
  bar = ER_NOTICE_BAR (find_widget (GTK_WIDGET (workspace), ER_TYPE_NOTICE_BAR, NULL));
  g_assert_cmpstr (er_notice_bar_get_shown (bar), ==, "none");
  g_signal_emit_by_name (skip_button, "clicked");
  other.workspace = workspace;
  other.not_this = skipped;
  g_assert_true (test_wait_for (other_case_ready, &other, 30));
  g_assert_true (test_wait_for (claim_released, skipped, 30));
  g_assert_cmpuint (fake_process_count_decisions (fake, skipped), ==, 0);
  g_assert_cmpstr (er_notice_bar_get_shown (bar), ==, "undo");
  g_assert_cmpstr (er_review_session_get_undo_label (er_workspace_get_session (workspace)), ==, label);
  g_assert_cmpuint (er_review_session_get_undo_seconds_left (er_workspace_get_session (workspace)), >, 0);

  /* Undo: the skipped case is open again, and the bar says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.undo", NULL));
  g_assert_cmpstr (er_case_get_receipt_id (er_workspace_get_open_case (workspace)), ==, skipped);
  g_assert_true (test_wait_for (notice_shows, workspace, 5));
  g_assert_true (test_wait_for (case_ready, workspace, 30));

  /* Skipped again, for the rest of the test. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.skip", NULL));
  g_assert_true (test_wait_for (other_case_ready, &other, 30));

  /* The deny panel's digits toggle reasons in the display order:
   * the first is "Name mismatch", the most decisive. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.deny", NULL));
  g_assert_true (test_wait_for (deny_panel_shown, workspace, 10));
  {
    ErDenyPanel *deny = find_deny_panel (workspace);
    g_autoptr(ErReasons) reasons = NULL;

    g_assert_true (er_deny_panel_handle_key (deny, GDK_KEY_1, 0));
    reasons = er_deny_panel_get_reasons (deny);
    g_assert_cmpstr (er_reasons_get (reasons, ER_REASON_GROUP_GENERAL)[0], ==, "Name mismatch");
    g_assert_null (er_reasons_get (reasons, ER_REASON_GROUP_USER_PHOTO)[0]);
    gtk_widget_activate_action (GTK_WIDGET (deny), "deny.cancel", NULL);
    g_assert_null (find_deny_panel (workspace));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  ErWorkspace *workspace;
  guint        n;
} QueueSize;

static gboolean
queue_has_size (gpointer data)
{
  QueueSize *q = data;

  return g_list_model_get_n_items (er_workspace_get_queue (q->workspace)) == q->n;
}

/* n cases listed, all e-mailed (not the previous search's list of the same size). */
static gboolean
queue_is_email (gpointer data)
{
  QueueSize *q = data;
  GListModel *queue = er_workspace_get_queue (q->workspace);

  if (g_list_model_get_n_items (queue) != q->n)
    return FALSE;
  for (guint i = 0; i < q->n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);

      if (er_case_get_source (kase) != ER_CASE_SOURCE_EMAIL)
        return FALSE;
    }
  return TRUE;
}

static void
test_search (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  GListModel *queue = er_workspace_get_queue (workspace);
  g_autoptr(GPtrArray) ids = pending_ids (TRUE); /* a colleague's cases are not listed */
  g_autoptr(ErCase) last = NULL;
  g_autofree char *name = NULL;
  QueueSize size = { workspace, 1 };
  guint n_email = 0;

  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, ids->len);

  /* Search by the full name of the last case: only it remains. */
  last = g_list_model_get_item (queue, g_list_model_get_n_items (queue) - 1);
  name = g_strdup (er_case_get_expected_name (last));
  er_workspace_search (workspace, name, NULL);
  g_assert_true (test_wait_for (queue_has_size, &size, 30));
  {
    g_autoptr(ErCase) found = g_list_model_get_item (queue, 0);
    g_assert_cmpstr (er_case_get_expected_name (found), ==, name);
  }

  /* E-mail cases only. */
  er_workspace_search (workspace, NULL, "email");
  {
    g_autoptr(JsonObject) state = fake_process_state (fake);
    JsonArray *cases = json_object_get_array_member (state, "cases");

    for (guint i = 0; i < json_array_get_length (cases); i++)
      {
        JsonObject *c = json_array_get_object_element (cases, i);
        JsonNode *claim = json_object_get_member (c, "claim");

        /* A colleague's cases are not listed. */
        if (claim != NULL && JSON_NODE_HOLDS_OBJECT (claim) &&
            g_strcmp0 (json_object_get_string_member (json_node_get_object (claim), "agent"),
                       "agent.lavoie") != 0)
          continue;
        if (g_strcmp0 (json_object_get_string_member (c, "status"), "pending") == 0 &&
            g_strcmp0 (json_object_get_string_member (c, "source"), "email") == 0)
          n_email++;
      }
  }
  g_assert_cmpuint (n_email, >, 0);
  g_assert_cmpuint (n_email, <, ids->len);
  size.n = n_email;
  g_assert_true (test_wait_for (queue_is_email, &size, 30));
  for (guint i = 0; i < n_email; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);
      g_assert_cmpint (er_case_get_source (kase), ==, ER_CASE_SOURCE_EMAIL);
    }

  /* Back to everything. */
  er_workspace_search (workspace, NULL, NULL);
  size.n = ids->len;
  g_assert_true (test_wait_for (queue_has_size, &size, 30));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Earlier attempts, loaded and compared once the case's own photos show. */
static gboolean
attempts_ready (gpointer data)
{
  ErAttemptsView *view = data;
  ErAttempts *attempts = er_attempts_view_get_attempts (view);
  guint n;

  if (attempts == NULL || er_attempts_get_loading (attempts) ||
      er_attempts_get_checking_photos (attempts))
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (attempts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErAttempt) attempt = g_list_model_get_item (G_LIST_MODEL (attempts), i);

      if (er_attempt_get_same_id_photo (attempt) == ER_PHOTO_MATCH_UNKNOWN)
        return FALSE;
    }
  return n > 0;
}

/* The text of every label under root, one a line. */
static void
collect_labels (GtkWidget *root,
                GString   *out)
{
  if (GTK_IS_LABEL (root))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
test_attempts (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  GListModel *queue = er_workspace_get_queue (workspace);
  ErAttemptsView *view;
  g_autoptr(ErCase) retry = NULL;
  g_autoptr(ErCase) first = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *attempt = NULL;

  g_assert_true (test_wait_for (case_ready, workspace, 30));
  view = ER_ATTEMPTS_VIEW (find_widget (GTK_WIDGET (er_workspace_get_case_view (workspace)),
                                        ER_TYPE_ATTEMPTS_VIEW, NULL));
  g_assert_nonnull (view);

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);

      if (retry == NULL && er_case_get_attempt (kase) > 1)
        retry = g_object_ref (kase);
      if (first == NULL && er_case_get_attempt (kase) == 1)
        first = g_object_ref (kase);
    }
  g_assert_nonnull (retry);
  g_assert_nonnull (first);

  /* A retry: the summary, and an entry per earlier attempt. */
  er_workspace_open_case (workspace, retry);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_true (test_wait_for (attempts_ready, view, 30));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view)));
  attempt = g_strdup_printf ("Attempt %u · %u earlier denial", er_case_get_attempt (retry),
                             er_case_get_attempt (retry) - 1);
  g_assert_true (g_str_has_prefix (er_attempts_view_get_summary (view), attempt));
  gtk_expander_set_expanded (GTK_EXPANDER (find_widget (GTK_WIDGET (view), GTK_TYPE_EXPANDER, NULL)),
                             TRUE);
  collect_labels (GTK_WIDGET (view), labels);
  g_test_message ("%s", labels->str);
  g_assert_nonnull (strstr (labels->str, "Attempt 1 · "));
  g_assert_nonnull (strstr (labels->str, "denied by"));

  /* A first attempt: nothing shows. */
  er_workspace_open_case (workspace, first);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Keys typed through the X server, as an agent types them. */
static void
type_keys (const char *first,
           ...)
{
  va_list keys;

  va_start (keys, first);
  test_xdotool_keys_valist (first, keys);
  va_end (keys);
  /* Let the window take them. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
focus_window (GtkWindow *window)
{
  test_xdotool_focus (window);
}

typedef struct {
  ErWorkspace *workspace;
  const char  *receipt_id;
} OpenWait;

static gboolean
case_open (gpointer data)
{
  OpenWait *o = data;
  ErCase *open = er_workspace_get_open_case (o->workspace);

  return open != NULL && g_strcmp0 (er_case_get_receipt_id (open), o->receipt_id) == 0 &&
         case_ready (o->workspace);
}

static gboolean
no_deny_panel (gpointer data)
{
  return find_deny_panel (data) == NULL;
}

/* Iterates for a while: used only to show that something did NOT happen. */
static void
idle_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
search_focused (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (data));
  GtkWidget *revealer = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_REVEALER) : NULL;

  /* Focused, and the search bar done sliding in: what a person sees
   * before typing. */
  return focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL &&
         (revealer == NULL || gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)));
}

static void
test_keyboard (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErCaseView *view = er_workspace_get_case_view (workspace);
  g_autoptr(GPtrArray) ids = pending_ids (TRUE);
  g_autoptr(JsonObject) body = NULL;
  ErPhotoViewer *viewer;
  ErPhotoViewer *user_viewer;
  GtkToggleButton *compare;
  OpenWait o = { workspace, NULL };
  DecisionWait w = { NULL, 1 };
  JsonArray *reason;
  QueueSize size = { workspace, 1 };
  double fit;

  g_assert_cmpuint (ids->len, >=, 5);
  o.receipt_id = ids->pdata[0];
  g_assert_true (test_wait_for (case_open, &o, 30));
  focus_window (GTK_WINDOW (window));
  /* The view keys act on the photo under the pointer, and the deny panel
   * moves the photos: the pointer away, they act on the ID. */
  test_xdotool_pointer_away ();

  /* A approves and the next case is on screen at once, already decoded.
   * This decision waits the longest undo delay, so that Ctrl+Z comes within
   * it however slow the machine (under sanitizers, the next case's
   * min-view-time alone can take seconds); the others wait the shortest. */
  g_settings_set_int (settings, "undo-delay", 30);
  type_keys ("a", NULL);
  o.receipt_id = ids->pdata[1];
  g_assert_true (test_wait_for (case_open, &o, 10));
  g_settings_set_int (settings, "undo-delay", 2);

  /* Ctrl+Z within the undo delay: back to the first case, nothing sent. */
  type_keys ("ctrl+z", NULL);
  o.receipt_id = ids->pdata[0];
  g_assert_true (test_wait_for (case_open, &o, 10));
  idle_for (2500);
  g_assert_cmpuint (fake_process_count_decisions (fake, ids->pdata[0]), ==, 0);

  /* D, two digits, Return, in one quick row (30 ms apart, the panel still
   * sliding in): a denial with those two reasons. */
  type_keys ("d", "5", "9", "Return", NULL);
  g_assert_true (test_wait_for (no_deny_panel, workspace, 10));
  o.receipt_id = ids->pdata[1];
  g_assert_true (test_wait_for (case_open, &o, 10));
  w.receipt_id = ids->pdata[0];
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  body = last_decision_body (ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (body, "Result"), ==, "FAIL");
  reason = json_object_get_array_member (json_array_get_object_element (
                                           json_object_get_array_member (body, "Reason"), 0),
                                         "photoIdReasons");
  g_assert_cmpuint (json_array_get_length (reason), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (reason, 0), ==, "Text not clear");
  g_assert_cmpstr (json_array_get_string_element (reason, 1), ==, "ID name not provided");

  /* The photo keys act on the ID, then (Ctrl+Tab) on the learner photo. */
  viewer = er_case_view_get_viewer (view, ER_PHOTO_ID);
  fit = er_photo_viewer_get_zoom (viewer);
  type_keys ("plus", NULL);
  g_assert_false (er_photo_viewer_get_best_fit (viewer));
  g_assert_cmpfloat (er_photo_viewer_get_zoom (viewer), >, fit);
  type_keys ("1", NULL);
  g_assert_cmpfloat_with_epsilon (er_photo_viewer_get_zoom (viewer), 1.0, 1e-9);
  type_keys ("0", NULL);
  g_assert_true (er_photo_viewer_get_best_fit (viewer));
  type_keys ("ctrl+r", NULL);
  g_assert_cmpint (er_photo_viewer_get_rotation (viewer), ==, 90);
  type_keys ("ctrl+shift+r", "ctrl+shift+r", NULL);
  g_assert_cmpint (er_photo_viewer_get_rotation (viewer), ==, 270);
  type_keys ("ctrl+Tab", "ctrl+r", NULL);
  g_assert_cmpint (er_case_view_get_active (view), ==, ER_PHOTO_USER);
  g_assert_cmpint (er_photo_viewer_get_rotation (er_case_view_get_viewer (view, ER_PHOTO_USER)), ==, 90);

  /* C compares the faces: the toggle by the photos shows it, and the keys
   * zoom both photos as one; C again, apart. */
  compare = GTK_TOGGLE_BUTTON (find_widget (GTK_WIDGET (view), GTK_TYPE_TOGGLE_BUTTON, "case.compare"));
  g_assert_nonnull (compare);
  g_assert_false (gtk_toggle_button_get_active (compare));
  user_viewer = er_case_view_get_viewer (view, ER_PHOTO_USER);
  type_keys ("c", NULL);
  g_assert_true (er_case_view_get_compare (view));
  g_assert_true (gtk_toggle_button_get_active (compare));
  g_assert_cmpfloat (er_photo_viewer_get_zoom (viewer), ==, er_photo_viewer_get_zoom (user_viewer));
  fit = er_photo_viewer_get_zoom (viewer);
  type_keys ("plus", NULL);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (user_viewer), >, fit);
  g_assert_cmpfloat (er_photo_viewer_get_zoom (viewer), ==, er_photo_viewer_get_zoom (user_viewer));
  type_keys ("c", NULL);
  g_assert_false (er_case_view_get_compare (view));
  g_assert_false (gtk_toggle_button_get_active (compare));

  /* The toggle focused: Return and space turn it on and off, and decide
   * nothing (a decision would open the next case at once). */
  gtk_widget_grab_focus (GTK_WIDGET (compare));
  type_keys ("Return", NULL);
  g_assert_true (er_case_view_get_compare (view));
  type_keys ("space", NULL);
  g_assert_false (er_case_view_get_compare (view));
  type_keys ("Return", NULL);
  g_assert_true (er_case_view_get_compare (view));
  idle_for (500);
  g_assert_cmpstr (er_case_get_receipt_id (er_workspace_get_open_case (workspace)), ==, ids->pdata[1]);
  g_assert_null (find_deny_panel (workspace));

  /* S skips: the claim is released, no decision. */
  type_keys ("s", NULL);
  o.receipt_id = ids->pdata[2];
  g_assert_true (test_wait_for (case_open, &o, 10));
  g_assert_true (test_wait_for (claim_released, ids->pdata[1], 30));
  /* Rotation is for viewing only: the next case starts upright, and with
   * the photos apart. */
  g_assert_cmpint (er_photo_viewer_get_rotation (viewer), ==, 0);
  g_assert_false (er_case_view_get_compare (view));
  g_assert_false (gtk_toggle_button_get_active (compare));

  /* A colleague holds the case after the next: approving moves past it. */
  {
    g_autofree char *path = g_strdup_printf ("/_fake/cases/%s/claim", (char *) ids->pdata[3]);
    g_assert_cmpuint (fake_process_post (fake, path, "{\"agent\": \"agent.roy\"}"), ==, 200);
  }
  er_workspace_refresh (workspace);
  type_keys ("a", NULL);
  o.receipt_id = ids->pdata[4];
  g_assert_true (test_wait_for (case_open, &o, 30));
  w.receipt_id = ids->pdata[2];
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  g_clear_pointer (&body, json_object_unref);
  body = last_decision_body (ids->pdata[2]);
  g_assert_cmpstr (json_object_get_string_member (body, "Result"), ==, "PASS");
  g_assert_cmpuint (fake_process_count_decisions (fake, ids->pdata[1]), ==, 0);
  g_assert_cmpuint (fake_process_count_decisions (fake, ids->pdata[3]), ==, 0);

  /* Ctrl+F, a name typed, and only that case is listed. */
  type_keys ("ctrl+f", NULL);
  g_assert_true (test_wait_for (search_focused, window, 10));
  test_xdotool_type (er_case_get_username (er_workspace_get_open_case (workspace)));
  g_assert_true (test_wait_for (queue_has_size, &size, 30));
  /* Letters typed in the search field are text, not decisions. */
  g_assert_cmpuint (fake_process_count_decisions (fake, ids->pdata[4]), ==, 0);

  /* The X focus leaves with the window; GTK wants the text unfocused first. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
deny_panel_revealed (gpointer data)
{
  ErWorkspace *workspace = data;
  GtkWidget *panel = GTK_WIDGET (er_workspace_get_deny_panel (workspace));
  GtkWidget *revealer = gtk_widget_get_ancestor (panel, GTK_TYPE_REVEALER);

  return er_deny_panel_get_open (ER_DENY_PANEL (panel)) &&
         gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)) &&
         gtk_widget_get_width (panel) > 0;
}

static gboolean
is_refusal (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_height (widget) > 0 &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)),
                    "Choose at least one reason for the denial.") == 0;
}

static gboolean
refusal_shown (gpointer data)
{
  GPtrArray *stack = g_ptr_array_new ();
  gboolean found = FALSE;

  g_ptr_array_add (stack, data);
  while (stack->len > 0 && !found)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      found = is_refusal (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  return found;
}

/* Where widget is in the window. */
static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds;
}

/* Both photos on screen, whole, at a useful size, and clear of the panel. */
static void
assert_photos_visible (ErWorkspace *workspace,
                       GtkWidget   *window)
{
  ErCaseView *view = er_workspace_get_case_view (workspace);
  graphene_rect_t panel = bounds_in (GTK_WIDGET (er_workspace_get_deny_panel (workspace)), window);
  graphene_rect_t inside;

  graphene_rect_init (&inside, 0, 0, gtk_widget_get_width (window), gtk_widget_get_height (window));
  for (ErPhotoKind kind = ER_PHOTO_USER; kind <= ER_PHOTO_ID; kind++)
    {
      GtkWidget *viewer = GTK_WIDGET (er_case_view_get_viewer (view, kind));
      graphene_rect_t photo = bounds_in (viewer, window);

      g_test_message ("photo %d at %.0f,%.0f %.0f×%.0f; panel at %.0f,%.0f %.0f×%.0f", kind,
                      photo.origin.x, photo.origin.y, photo.size.width, photo.size.height,
                      panel.origin.x, panel.origin.y, panel.size.width, panel.size.height);
      g_assert_true (gtk_widget_get_mapped (viewer));
      g_assert_cmpfloat (photo.size.width, >=, 150);
      g_assert_cmpfloat (photo.size.height, >=, 150);
      g_assert_true (graphene_rect_contains_rect (&inside, &photo));
      g_assert_false (graphene_rect_intersection (&photo, &panel, NULL));
    }
}

/* D opens the reasons beside (or, narrow, below) the photos, which stay
 * whole in sight; the keys are the panel's: A and S decide nothing, 1
 * chooses "Name mismatch" (not the 100 % zoom), Return denies. */
static void
deny_beside_photos (int width,
                    int height)
{
  ErWindow *window = er_window_new (app);
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErCaseView *view = er_workspace_get_case_view (workspace);
  ErDenyPanel *panel = er_workspace_get_deny_panel (workspace);
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *receipt_id = NULL;
  DecisionWait w = { NULL, 1 };
  JsonArray *reason;
  GtkWidget *focus;
  gboolean general = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  receipt_id = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (workspace)));
  focus_window (GTK_WINDOW (window));
  test_xdotool_pointer_away ();

  type_keys ("d", NULL);
  g_assert_true (test_wait_for (deny_panel_revealed, workspace, 10));
  g_assert_cmpstr (er_deny_panel_get_receipt_id (panel), ==, receipt_id);
  idle_for (200);
  /* The window kept its width: the photos made room. It grew no taller
   * than its content needs at that width (never to what it would need at
   * its narrowest), and the panel ends inside it (its buttons are at its
   * end). */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  {
    int least;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL,
                        gtk_widget_get_width (GTK_WIDGET (window)), &least, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, MAX (height, least));
  }
  {
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (panel), GTK_WIDGET (window), &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  }
  assert_photos_visible (workspace, GTK_WIDGET (window));
  /* The focus on the first reason. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (panel)));

  /* Return without a reason sends nothing: the panel says what is missing. */
  type_keys ("Return", NULL);
  g_assert_true (test_wait_for (refusal_shown, panel, 5));
  g_assert_true (er_deny_panel_get_open (panel));

  /* A and S type ahead; they neither approve nor skip. */
  type_keys ("a", "s", NULL);
  idle_for (1200);
  g_assert_true (er_deny_panel_get_open (panel));
  g_assert_cmpstr (er_case_get_receipt_id (er_workspace_get_open_case (workspace)), ==, receipt_id);
  g_assert_cmpuint (fake_process_count_decisions (fake, receipt_id), ==, 0);

  /* 1 is "Name mismatch", not the 100 % zoom. */
  type_keys ("1", NULL);
  g_assert_true (er_photo_viewer_get_best_fit (er_case_view_get_viewer (view, ER_PHOTO_ID)));
  g_assert_true (er_photo_viewer_get_best_fit (er_case_view_get_viewer (view, ER_PHOTO_USER)));
  type_keys ("Return", NULL);
  g_assert_true (test_wait_for (no_deny_panel, workspace, 10));
  w.receipt_id = receipt_id;
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  body = last_decision_body (receipt_id);
  g_assert_cmpstr (json_object_get_string_member (body, "Result"), ==, "FAIL");
  reason = json_object_get_array_member (body, "Reason");
  for (guint i = 0; i < json_array_get_length (reason); i++)
    {
      JsonObject *group = json_array_get_object_element (reason, i);

      if (json_object_has_member (group, "generalReasons"))
        {
          JsonArray *names = json_object_get_array_member (group, "generalReasons");

          g_assert_cmpuint (json_array_get_length (names), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "Name mismatch");
          general = TRUE;
        }
      else
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                            group, json_object_get_members (group)->data)), ==, 0);
    }
  g_assert_true (general);
  /* Once. */
  idle_for (500);
  g_assert_cmpuint (fake_process_count_decisions (fake, receipt_id), ==, 1);

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_deny_wide (void)
{
  deny_beside_photos (1280, 800);
}

static void
test_deny_narrow (void)
{
  deny_beside_photos (420, 820);
}

static guint
outbox_waiting_on_disk (void)
{
  g_autofree char *path = er_outbox_default_path (fake->api_url, "agent.lavoie");
  g_autoptr(ErOutbox) outbox = er_outbox_new (path, NULL);

  return er_outbox_get_n_waiting (outbox);
}

static gboolean
outbox_drained (gpointer data)
{
  return outbox_waiting_on_disk () == 0;
}

/* A revoked token: the decision stays in the outbox, the sign-in page asks
 * again, and once signed in with a new token the decision goes. */
static void
test_revoked (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  g_autofree char *decided = NULL;
  DecisionWait w = { NULL, 1 };

  g_assert_true (test_wait_for (case_ready, workspace, 30));
  decided = g_strdup (er_case_get_receipt_id (er_workspace_get_open_case (workspace)));
  fake_process_revoke (fake, "demo-token");
  fake_process_add_token (fake, "new-token", "agent.lavoie");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.approve", NULL));
  g_assert_true (test_wait_for (page_is_sign_in, window, 30));
  g_assert_cmpuint (fake_process_count_decisions (fake, decided), ==, 0);
  g_assert_cmpuint (outbox_waiting_on_disk (), ==, 1);

  er_window_sign_in (window, fake->api_url, "new-token", fake->key_path, NULL, FALSE);
  w.receipt_id = decided;
  g_assert_true (test_wait_for (decision_recorded, &w, 30));
  /* Recorded by the server before our client has read its answer. */
  g_assert_true (test_wait_for (outbox_drained, NULL, 30));
  /* The case is not offered again. */
  g_assert_true (test_wait_for (case_ready, workspace, 30));
  g_assert_cmpstr (er_case_get_receipt_id (er_workspace_get_open_case (workspace)), !=, decided);

  fake_process_post (fake, "/_fake/restore", "{}");
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* How many cases the platform says agent holds a claim on. */
static guint
claims_by (JsonObject *state,
           const char *agent)
{
  JsonArray *cases = json_object_get_array_member (state, "cases");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonNode *claim = json_object_get_member (json_array_get_object_element (cases, i), "claim");

      if (claim != NULL && JSON_NODE_HOLDS_OBJECT (claim) &&
          g_strcmp0 (json_object_get_string_member (json_node_get_object (claim), "agent"), agent) == 0)
        n++;
    }
  return n;
}

static gboolean
sign_in_done (gpointer data)
{
  return !er_sign_in_page_get_busy (data) && er_sign_in_page_get_error (data) != NULL;
}

static void
test_sign_in_errors (void)
{
  ErWindow *window = er_window_new (app);

  gtk_window_present (GTK_WINDOW (window));

  /* No saved server, no environment: the sign-in page. */
  g_unsetenv ("EDULIB_REVIEWER_TOKEN");
  er_window_start (window, NULL);
  g_assert_true (test_wait_for (page_is_sign_in, window, 10));

  /* http to a remote host is refused before anything is sent. */
  er_window_sign_in (window, "http://verify.example.org", "demo-token", fake->key_path, NULL, FALSE);
  g_assert_cmpstr (er_window_get_page (window), ==, "sign-in");

  /* A key file that does not exist. */
  er_window_sign_in (window, fake->api_url, "demo-token", "/nonexistent/key.pem", NULL, FALSE);
  g_assert_cmpstr (er_window_get_page (window), ==, "sign-in");

  /* A token the server does not know. */
  er_window_sign_in (window, fake->api_url, "wrong-token", fake->key_path, NULL, FALSE);
  g_assert_true (test_wait_for (page_is_sign_in, window, 30));

  /* A valid RSA key that is not the platform's verification key: refused
   * before anything is listed or claimed, saying which key is expected. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ErPrivateKey) other = er_private_key_generate (2048, &error);
    g_autofree char *pem = NULL;
    g_autofree char *path = g_build_filename (data_dir, "other-key.pem", NULL);
    g_autoptr(JsonObject) before = fake_process_state (fake);
    g_autoptr(JsonObject) after = NULL;
    ErSignInPage *page = er_window_get_sign_in_page (window);

    g_assert_no_error (error);
    pem = er_private_key_to_pem (other, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
    er_window_sign_in (window, fake->api_url, "demo-token", path, NULL, FALSE);
    g_assert_true (test_wait_for (sign_in_done, page, 30));
    g_assert_cmpstr (er_window_get_page (window), ==, "sign-in");
    g_assert_nonnull (strstr (er_sign_in_page_get_error (page), "fingerprint"));
    g_assert_null (er_workspace_get_open_case (er_window_get_workspace (window)));
    after = fake_process_state (fake);
    /* No photo fetched, no claim made. */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "storage_requests")), ==,
                      json_array_get_length (json_object_get_array_member (before, "storage_requests")));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "api_photo_requests")), ==,
                      json_array_get_length (json_object_get_array_member (before, "api_photo_requests")));
    g_assert_cmpuint (claims_by (after, "agent.lavoie"), <=, claims_by (before, "agent.lavoie"));
  }

  /* The environment signs in without the page. */
  g_setenv ("EDULIB_REVIEWER_TOKEN", "demo-token", TRUE);
  g_setenv ("EDULIB_REVIEWER_KEY_FILE", fake->key_path, TRUE);
  er_window_start (window, fake->api_url);
  g_assert_true (test_wait_for (queue_loaded, er_window_get_workspace (window), 30));
  g_assert_cmpstr (er_window_get_page (window), ==, "workspace");
  g_unsetenv ("EDULIB_REVIEWER_TOKEN");
  g_unsetenv ("EDULIB_REVIEWER_KEY_FILE");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Without a window manager, X focus moves between our test windows in ways
 * GTK's text widgets grumble about; that one warning is not a failure. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "did not receive a focus-out event") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int argc, char *argv[])
{
  int ret;

  renderer_preset = g_getenv ("GSK_RENDERER") != NULL;
  /* The outbox goes to a throwaway data folder (read before GLib caches it). */
  data_dir = g_dir_make_tmp ("er-test-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

  fake = fake_process_start ("--cases=12", "--seed=3", NULL);
  /* Decisions wait the shortest undo delay before they are sent. */
  settings = g_settings_new ("com.edulib.Reviewer");
  g_settings_set_int (settings, "undo-delay", 2);
  app = er_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/ui/review-loop", test_review_loop);
  g_test_add_func ("/ui/skip", test_skip);
  g_test_add_func ("/ui/search", test_search);
  g_test_add_func ("/ui/attempts", test_attempts);
  g_test_add_func ("/ui/keyboard", test_keyboard);
  g_test_add_func ("/ui/deny-wide", test_deny_wide);
  g_test_add_func ("/ui/deny-narrow", test_deny_narrow);
  g_test_add_func ("/ui/revoked", test_revoked);
  g_test_add_func ("/ui/sign-in-errors", test_sign_in_errors);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&settings);
  {
    const char *rm[] = { "rm", "-rf", data_dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    g_free (data_dir);
  }
  g_clear_pointer (&fake, fake_process_stop);
  return ret;
}
