/* test-case-header-ui.c: the real window against the fake platform (24
 * cases, seed 7): an e-mailed case's header shows its course and its
 * verification deadline, marked when past; the queue rows of the two
 * learners called "François Côté" show their usernames, and stop when one
 * of them leaves the queue.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "er-application.h"
#include "er-queue-row.h"
#include "er-window.h"
#include "fake-process.h"
#include "test-async.h"

#define WAIT_SECONDS 30

static FakeProcess *fake;
static ErApplication *app;
static char *data_dir;

static gboolean
queue_loaded (gpointer data)
{
  return g_list_model_get_n_items (er_workspace_get_queue (data)) > 0;
}

/* The visible labels' texts under root, depth first, joined with "\n". */
static void
collect_labels (GtkWidget *root,
                GString   *out)
{
  if (!gtk_widget_get_visible (root))
    return;
  if (GTK_IS_LABEL (root))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* The texts with plain spaces (the header keeps each detail's words
 * together with no-break spaces). */
static char *
labels_of (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_labels (root, out);
  g_string_replace (out, "\u00a0", " ", 0);
  return g_string_free (out, FALSE);
}

/* The visible label under root whose text starts with prefix, or NULL. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  ErCaseView *view;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;

  return find_label (GTK_WIDGET (w->view), w->text) != NULL;
}

static ErWindow *
signed_in_window (void)
{
  ErWindow *window = er_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  return window;
}

/* Every e-mailed case opened in turn: its course and deadline under the
 * details, "(past)" and a warning when the deadline has passed. */
static void
test_order_line (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErCaseView *view = er_workspace_get_case_view (workspace);
  GListModel *queue = er_workspace_get_queue (workspace);
  guint n_past = 0, n_future = 0;

  g_assert_true (test_wait_for (queue_loaded, workspace, WAIT_SECONDS));
  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);
      LabelWait wait = { view, "Verification deadline: " };
      g_autofree char *texts = NULL;
      GtkWidget *line;

      if (er_case_get_source (kase) != ER_CASE_SOURCE_EMAIL)
        continue;
      er_review_session_open (er_workspace_get_session (workspace), kase);
      g_assert_true (er_case_view_get_case (view) == kase);
      g_assert_true (test_wait_for (label_shown, &wait, WAIT_SECONDS));
      line = find_label (GTK_WIDGET (view), "Verification deadline: ");
      /* One of the fake's courses, the course id in the tooltip. */
      g_assert_true (strstr (gtk_label_get_text (GTK_LABEL (line)), "Introduction à la psychologie") != NULL ||
                     strstr (gtk_label_get_text (GTK_LABEL (line)), "Histoire du Québec contemporain") != NULL ||
                     strstr (gtk_label_get_text (GTK_LABEL (line)), "Chimie générale") != NULL);
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (line), "course-v1:UMontreal+"));
      if (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (line)), " (past)"))
        {
          g_assert_true (gtk_widget_has_css_class (line, "warning"));
          n_past++;
        }
      else
        {
          g_assert_false (gtk_widget_has_css_class (line, "warning"));
          n_future++;
        }
      /* The username leads the details; the due time is in words. */
      texts = labels_of (GTK_WIDGET (view));
      g_assert_nonnull (strstr (texts, er_case_get_username (kase)));
      g_assert_nonnull (strstr (texts, " · Submitted "));
      g_assert_true (strstr (texts, " · due ") != NULL || strstr (texts, " · overdue since ") != NULL);
    }
  g_assert_cmpuint (n_past, >, 0);
  g_assert_cmpuint (n_future, >, 0);

  /* A webcam case: no order line. */
  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);

      if (er_case_get_source (kase) != ER_CASE_SOURCE_WEBCAM)
        continue;
      er_review_session_open (er_workspace_get_session (workspace), kase);
      g_assert_null (find_label (GTK_WIDGET (view), "Verification deadline"));
      g_assert_null (find_label (GTK_WIDGET (view), "Loading the order"));
      break;
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Rows for the queue's cases as the list makes them: the two namesakes
 * show their usernames, nobody else does; once one is decided (leaves the
 * queue), the other's row no longer needs it. */
static void
test_namesake_rows (void)
{
  ErWindow *window = signed_in_window ();
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErReviewQueue *queue = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *fcote2 = NULL, *fcote3 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  g_autofree char *receipt = NULL;
  guint n;

  g_assert_true (test_wait_for (queue_loaded, workspace, WAIT_SECONDS));
  queue = er_review_session_get_queue (er_workspace_get_session (workspace));
  n = g_list_model_get_n_items (G_LIST_MODEL (queue));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (G_LIST_MODEL (queue), i);
      GtkWidget *row = g_object_ref_sink (er_queue_row_new ());
      g_autofree char *text = NULL;

      g_assert_true (er_queue_row_set_case (ER_QUEUE_ROW (row), kase));
      g_ptr_array_add (rows, row);
      text = labels_of (row);
      /* Bound again to the same case (GTK 4.8 does so for every row after
       * a removed one): nothing to do, nothing changes. */
      g_assert_false (er_queue_row_set_case (ER_QUEUE_ROW (row), kase));
      {
        g_autofree char *again = labels_of (row);

        g_assert_cmpstr (again, ==, text);
      }
      if (g_strcmp0 (er_case_get_username (kase), "fcote2") == 0)
        fcote2 = row;
      else if (g_strcmp0 (er_case_get_username (kase), "fcote3") == 0)
        {
          fcote3 = row;
          receipt = g_strdup (er_case_get_receipt_id (kase));
        }
      else
        g_assert_null (strstr (text, er_case_get_username (kase)));
    }
  g_assert_nonnull (fcote2);
  g_assert_nonnull (fcote3);
  text2 = labels_of (fcote2);
  text3 = labels_of (fcote3);
  g_assert_nonnull (strstr (text2, "François Côté\nWebcam · Attempt 2 · fcote2\n"));
  g_assert_nonnull (strstr (text3, "François Côté\nWebcam · fcote3\n"));
  g_assert_nonnull (strstr (er_queue_row_get_accessible_label (ER_QUEUE_ROW (fcote2)),
                            "François Côté (fcote2)"));

  /* One leaves: the other row drops the username. */
  er_review_queue_remove (queue, receipt);
  g_clear_pointer (&text2, g_free);
  text2 = labels_of (fcote2);
  g_assert_nonnull (strstr (text2, "François Côté\nWebcam · Attempt 2\n"));
  g_assert_null (strstr (text2, "fcote2"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int ret;

  /* The outbox goes to a throwaway data folder (read before GLib caches it). */
  data_dir = g_dir_make_tmp ("er-test-header-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();

  fake = fake_process_start ("--cases=24", "--seed=7", NULL);
  app = er_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/case-header/order-line", test_order_line);
  g_test_add_func ("/case-header/namesake-rows", test_namesake_rows);

  ret = g_test_run ();

  g_clear_object (&app);
  test_remove_tree (data_dir);
  g_free (data_dir);
  g_clear_pointer (&fake, fake_process_stop);
  test_async_stop_threads ();
  return ret;
}
