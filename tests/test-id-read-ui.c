/* test-id-read-ui.c: the real window against the fake platform (24 cases,
 * seed 7), whose drawn ID cards print the name under "Nom / Name": each
 * case shows, under the name helper and before any key is pressed, what
 * was read on its ID. The fake's case whose ID shows another given name
 * says "differs"; a case says "same name" only where the name read is the
 * account's; N puts the name read into the name helper.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "er-application.h"
#include "er-id-read-line.h"
#include "er-window.h"
#include "fake-process.h"
#include "test-async.h"

#define WAIT_SECONDS 60

static FakeProcess *fake;
static ErApplication *app;
static char *data_dir;

static gboolean
queue_loaded (gpointer data)
{
  return g_list_model_get_n_items (er_workspace_get_queue (data)) > 0;
}

static gboolean
read_shown (gpointer data)
{
  ErIdReader *reader = er_review_session_get_id_reader (er_workspace_get_session (data));
  ErIdReaderState state = er_id_reader_get_state (reader);
  ErIdReadLine *line = er_case_view_get_id_read_line (er_workspace_get_case_view (data));

  return (state == ER_ID_READER_DONE || state == ER_ID_READER_FAILED) &&
         er_id_read_line_get_text (line) != NULL &&
         !g_str_has_prefix (er_id_read_line_get_text (line), "Reading");
}

static void
test_verdicts (void)
{
  ErWindow *window = er_window_new (app);
  ErWorkspace *workspace = er_window_get_workspace (window);
  ErCaseView *view = er_workspace_get_case_view (workspace);
  ErIdReadLine *line = er_case_view_get_id_read_line (view);
  GListModel *queue = er_workspace_get_queue (workspace);
  gboolean seen_differs = FALSE, seen_same = FALSE;
  int line_height = -1;
  guint n;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  er_window_sign_in (window, fake->api_url, "demo-token", fake->key_path, NULL, FALSE);
  g_assert_true (test_wait_for (queue_loaded, workspace, WAIT_SECONDS));

  n = g_list_model_get_n_items (queue);
  for (guint i = 0; i < n && !(seen_differs && seen_same); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (queue, i);
      ErIdReader *reader = er_review_session_get_id_reader (er_workspace_get_session (workspace));
      ErIdRead *read;
      const char *text;

      er_review_session_open (er_workspace_get_session (workspace), kase);
      g_assert_true (er_case_view_get_case (view) == kase);
      g_assert_true (test_wait_for (read_shown, workspace, WAIT_SECONDS));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (line)));
      text = er_id_read_line_get_text (line);
      read = er_id_reader_get_read (reader);
      g_assert_nonnull (read);
      g_test_message ("%s: %s", er_case_get_expected_name (kase), text);

      /* The line's height never follows its text: the photos under it do
       * not move when the read comes, long or short. */
      {
        int height;

        gtk_widget_measure (GTK_WIDGET (line), GTK_ORIENTATION_VERTICAL, 300, NULL, &height, NULL, NULL);
        if (line_height < 0)
          line_height = height;
        g_assert_cmpint (height, ==, line_height);
      }

      if (strstr (text, "— same name") != NULL)
        {
          /* Never "same" for another name: the letters read are the account's. */
          g_autofree char *read_name = g_utf8_casefold (er_id_read_get_compare_name (read), -1);
          g_autofree char *account = g_utf8_casefold (er_case_get_expected_name (kase), -1);

          g_assert_cmpstr (read_name, ==, account);
          seen_same = TRUE;
        }
      else if (strstr (text, "— differs") != NULL)
        {
          g_assert_true (er_id_read_compare (read, er_case_get_expected_name (kase)) == ER_ID_READ_DIFFERS);
          seen_differs = TRUE;

          /* N: the name read into the name helper, which then compares it. */
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (workspace), "workspace.use-id-name", NULL));
          g_assert_cmpstr (er_case_view_get_id_name (view), ==, er_id_read_get_compare_name (read));

          /* Where it was read, outlined on the ID photo when asked. */
          {
            ErPhotoViewer *viewer = er_case_view_get_viewer (view, ER_PHOTO_ID);
            GdkPaintable *photo = er_photo_viewer_get_paintable (viewer);
            graphene_rect_t box;

            g_assert_false (er_photo_viewer_get_highlight (viewer, NULL));
            er_id_read_line_set_show_region (line, TRUE);
            g_assert_true (er_photo_viewer_get_highlight (viewer, &box));
            g_assert_cmpfloat (box.size.width, >, 0);
            g_assert_cmpfloat (box.origin.x + box.size.width, <=, gdk_paintable_get_intrinsic_width (photo));
            g_assert_cmpfloat (box.origin.y + box.size.height, <=, gdk_paintable_get_intrinsic_height (photo));
            er_id_read_line_set_show_region (line, FALSE);
            g_assert_false (er_photo_viewer_get_highlight (viewer, NULL));
          }
        }
    }
  g_assert_true (seen_differs);
  g_assert_true (seen_same);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int ret;

  /* The outbox goes to a throwaway data folder (read before GLib caches it). */
  data_dir = g_dir_make_tmp ("er-test-id-read-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();
  if (!er_id_read_available ())
    {
      g_test_message ("This build cannot read IDs (no Tesseract, or no French and English data).");
      return 77;
    }

  fake = fake_process_start ("--cases=24", "--seed=7", NULL);
  app = er_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/id-read-ui/verdicts", test_verdicts);

  ret = g_test_run ();

  g_clear_object (&app);
  test_remove_tree (data_dir);
  g_free (data_dir);
  g_clear_pointer (&fake, fake_process_stop);
  test_async_stop_threads ();
  return ret;
}
