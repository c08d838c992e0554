/* test-new-case.c: the new-case window against the fake platform: a
 * learner's e-mail built here (multipart/mixed, two drawn photos) read from
 * memory, the order looked up, the photos swapped, the case created and
 * found again the second time; an unknown, an unpaid and a verified order;
 * two photos chosen by hand with the invoice typed; a HEIC file explained.
 *
 * With ER_NEW_CASE_SCREENSHOT=<prefix> set, /new-case/message also shows the
 * window and saves a picture of the screen (ImageMagick's import) in
 * <prefix>-message.png; /new-case/unknown in <prefix>-unknown.png and
 * /new-case/not-a-message (the start page with its error) in <prefix>-start.png.
 */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "er-case.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-new-case-window.h"
#include "fake-images.h"
#include "fake-process.h"
#include "test-xdotool.h"

/* How long a step may take before the test fails: generous, for a machine
 * that runs other tests beside (the file chooser, typed into through the
 * X server, took more than 15 s once in a fresh-clone CI run). */
#define WAIT_SECONDS 30

static FakeProcess *fake;
static ErClient *client;      /* agent.lavoie, the demo agent */
static ErPrivateKey *key;     /* the fake platform's verification key */
static GSettings *settings;

/* Waiting */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates until the window has nothing under way (reading, decoding,
 * waiting for the typing to pause, looking up, sending). */
static void
wait_idle (ErNewCaseWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);

  while (er_new_case_window_is_busy (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_source_remove (wake_id);
}

/* A screenshot of the whole virtual screen, when asked for. */
static void
screenshot (ErNewCaseWindow *window,
            const char      *name)
{
  const char *prefix = g_getenv ("ER_NEW_CASE_SCREENSHOT");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int status = 0;

  if (prefix == NULL)
    return;
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)   /* let it map and paint */
    g_main_context_iteration (NULL, FALSE);
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

/* Fixture */

typedef struct {
  const char *filename;
  const char *content_type;
  GBytes     *data;
} Attachment;

/* An RFC 5322 message with a text part and the attachments in base64. */
static GBytes *
make_message (const char       *message_id,
              const char       *subject,
              const Attachment *attachments,
              guint             n_attachments)
{
  GString *s = g_string_new (NULL);

  g_string_append (s, "From: =?UTF-8?Q?Fran=C3=A7ois_C=C3=B4t=C3=A9?= <fcote@example.org>\r\n");
  g_string_append (s, "To: support@edulib.example.org\r\n");
  g_string_append_printf (s, "Subject: %s\r\n", subject);
  g_string_append (s, "Date: Thu, 26 Nov 2026 10:04:00 -0500\r\n");
  g_string_append_printf (s, "Message-ID: %s\r\n", message_id);
  g_string_append (s, "MIME-Version: 1.0\r\n");
  g_string_append (s, "Content-Type: multipart/mixed; boundary=\"=-test-boundary-=\"\r\n\r\n");
  g_string_append (s, "--=-test-boundary-=\r\n");
  g_string_append (s, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
  g_string_append (s, "Bonjour, voici ma photo et ma carte d'identité.\r\n\r\n");
  for (guint i = 0; i < n_attachments; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (attachments[i].data, &size);
      g_autofree char *base64 = g_base64_encode (data, size);
      gsize length = strlen (base64);

      g_string_append (s, "--=-test-boundary-=\r\n");
      g_string_append_printf (s, "Content-Type: %s; name=\"%s\"\r\n",
                              attachments[i].content_type, attachments[i].filename);
      g_string_append_printf (s, "Content-Disposition: attachment; filename=\"%s\"\r\n",
                              attachments[i].filename);
      g_string_append (s, "Content-Transfer-Encoding: base64\r\n\r\n");
      for (gsize at = 0; at < length; at += 76)
        {
          g_string_append_len (s, base64 + at, MIN (76, length - at));
          g_string_append (s, "\r\n");
        }
    }
  g_string_append (s, "--=-test-boundary-=--\r\n");
  return g_string_free_to_bytes (s);
}

/* A message from François Côté: his face (portrait JPEG) named selfie.jpg
 * AFTER his ID card (landscape JPEG) named carte.jpg. */
static GBytes *
francois_message (const char *message_id,
                  const char *invoice)
{
  g_autoptr(GBytes) id = fake_image_id_card ("François Côté", 7, 1200, 760, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GBytes) face = fake_image_face (7, 480, 640, FAKE_IMAGE_JPEG, 1);
  g_autofree char *subject = g_strdup_printf ("Verification photos - invoice %s", invoice);
  Attachment attachments[] = {
    { "carte.jpg", "image/jpeg", id },
    { "selfie.jpg", "image/jpeg", face },
  };

  return make_message (message_id, subject, attachments, G_N_ELEMENTS (attachments));
}

static ErNewCaseWindow *
open_window (void)
{
  g_autoptr(JsonNode) me = json_from_string ("{\"username\": \"agent.lavoie\", "
                                             "\"full_name\": \"Sophie Lavoie\", "
                                             "\"permissions\": [\"review\", \"manual_cases\"]}",
                                             NULL);
  g_autoptr(ErAgent) agent = er_agent_new_from_json (me, NULL);
  g_autoptr(ErReviewSession) session = er_review_session_new (client, key, agent);
  GtkWidget *window = er_new_case_window_new (NULL, session, settings);

  g_assert_true (ER_IS_NEW_CASE_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  return ER_NEW_CASE_WINDOW (window);
}

typedef struct {
  ErCase   *kase;
  gboolean  existing;
  guint     count;
} Created;

static void
on_case_created (ErNewCaseWindow *window,
                 ErCase          *kase,
                 gboolean         existing,
                 Created         *created)
{
  g_assert_true (ER_IS_CASE (kase));
  g_set_object (&created->kase, kase);
  created->existing = existing;
  created->count++;
}

/* Runs Create Case and waits for "case-created" and the window to close. */
static void
create_and_wait (ErNewCaseWindow *window,
                 Created         *created)
{
  GtkWidget *weak = GTK_WIDGET (window);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  g_signal_connect (window, "case-created", G_CALLBACK (on_case_created), created);
  g_assert_true (er_new_case_window_can_create (window));
  er_new_case_window_create (window);
  g_assert_true (er_new_case_window_is_busy (window));
  g_assert_false (er_new_case_window_can_create (window));
  while (weak != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
  g_assert_cmpuint (created->count, ==, 1);
  g_assert_nonnull (created->kase);
}

static void
assert_texture_size (GdkTexture *texture,
                     int         width,
                     int         height)
{
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
}

/* Tests */

/* The e-mail read from memory: invoice, order, previews proposed by name,
 * swap, create; the same e-mail again gives the same case. */
static void
test_message (void)
{
  g_autoptr(GBytes) message = francois_message ("<photos-1@example.org>", "EDU-2026-004211");
  ErNewCaseWindow *window = open_window ();
  Created created = { 0 }, again = { 0 };
  ErOrder *order;

  g_assert_false (er_new_case_window_can_create (window));
  er_new_case_window_open_message (window, message);
  g_assert_true (er_new_case_window_is_busy (window));
  wait_idle (window);

  g_assert_null (er_new_case_window_get_error (window));
  g_assert_cmpstr (er_new_case_window_get_invoice (window), ==, "EDU-2026-004211");
  order = er_new_case_window_get_order (window);
  g_assert_nonnull (order);
  g_assert_cmpstr (er_order_get_full_name (order), ==, "François Côté");
  g_assert_cmpstr (er_order_get_username (order), ==, "fcote");
  g_assert_true (er_order_get_paid (order));
  g_assert_cmpstr (er_order_get_verification_status (order), ==, "none");
  g_assert_null (er_new_case_window_get_order_message (window));
  g_assert_cmpuint (er_new_case_window_get_n_images (window), ==, 2);

  /* selfie.jpg is the face although it comes second. */
  assert_texture_size (er_new_case_window_get_face_texture (window), 480, 640);
  assert_texture_size (er_new_case_window_get_id_texture (window), 1200, 760);
  g_assert_true (er_new_case_window_can_create (window));
  screenshot (window, "message");

  er_new_case_window_swap (window);
  assert_texture_size (er_new_case_window_get_face_texture (window), 1200, 760);
  assert_texture_size (er_new_case_window_get_id_texture (window), 480, 640);
  er_new_case_window_swap (window);
  assert_texture_size (er_new_case_window_get_face_texture (window), 480, 640);

  create_and_wait (window, &created);
  g_assert_false (created.existing);
  g_assert_cmpint (er_case_get_source (created.kase), ==, ER_CASE_SOURCE_EMAIL);
  g_assert_cmpstr (er_case_get_invoice_number (created.kase), ==, "EDU-2026-004211");
  g_assert_cmpstr (er_case_get_username (created.kase), ==, "fcote");

  /* The same e-mail again: the order now has a pending case, said plainly,
   * and creating gives that case back. */
  window = open_window ();
  er_new_case_window_open_message (window, message);
  wait_idle (window);
  g_assert_cmpstr (er_order_get_verification_status (er_new_case_window_get_order (window)), ==,
                   "pending");
  g_assert_nonnull (er_new_case_window_get_order_message (window));
  g_assert_true (g_str_has_prefix (er_new_case_window_get_order_message (window),
                                   "A case for this invoice is already waiting for review."));
  create_and_wait (window, &again);
  g_assert_true (again.existing);
  g_assert_cmpstr (er_case_get_receipt_id (again.kase), ==, er_case_get_receipt_id (created.kase));

  g_clear_object (&created.kase);
  g_clear_object (&again.kase);
}

/* An unknown invoice, then an unpaid and a verified order typed in: each
 * said plainly, Create Case never possible. */
static void
test_unknown (void)
{
  g_autoptr(GBytes) message = francois_message ("<photos-2@example.org>", "EDU-2026-999999");
  ErNewCaseWindow *window = open_window ();

  er_new_case_window_open_message (window, message);
  wait_idle (window);
  g_assert_cmpstr (er_new_case_window_get_invoice (window), ==, "EDU-2026-999999");
  g_assert_null (er_new_case_window_get_order (window));
  g_assert_cmpstr (er_new_case_window_get_order_message (window), ==,
                   "No order has the number “EDU-2026-999999”. Check the number in the e-mail.");
  g_assert_nonnull (er_new_case_window_get_face_texture (window));
  g_assert_nonnull (er_new_case_window_get_id_texture (window));
  g_assert_false (er_new_case_window_can_create (window));
  screenshot (window, "unknown");

  er_new_case_window_set_invoice (window, "EDU-2026-004212");
  g_assert_true (er_new_case_window_is_busy (window));  /* waiting for the typing to pause */
  g_assert_null (er_new_case_window_get_order_message (window));
  wait_idle (window);
  g_assert_cmpstr (er_order_get_username (er_new_case_window_get_order (window)), ==,
                   "glachancemorin");
  g_assert_cmpstr (er_new_case_window_get_order_message (window), ==,
                   "This order is not paid: no attestation to verify.");
  g_assert_false (er_new_case_window_can_create (window));

  er_new_case_window_set_invoice (window, " EDU-2026-004213 ");
  wait_idle (window);
  g_assert_cmpstr (er_new_case_window_get_invoice (window), ==, "EDU-2026-004213");
  g_assert_cmpstr (er_new_case_window_get_order_message (window), ==,
                   "This learner’s identity is already verified (approved).");
  g_assert_false (er_new_case_window_can_create (window));

  er_new_case_window_set_invoice (window, "");
  wait_idle (window);
  g_assert_null (er_new_case_window_get_order (window));
  g_assert_null (er_new_case_window_get_order_message (window));
  g_assert_false (er_new_case_window_can_create (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Writes the fixture files (drawn images) in a new temporary folder. */
static char *
write_files (const char * const *names,
             GBytes            **contents,
             guint               n,
             GFile             **files)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-new-case-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_file_set_contents (path, g_bytes_get_data (contents[i], NULL),
                           g_bytes_get_size (contents[i]), &error);
      g_assert_no_error (error);
      files[i] = g_file_new_for_path (path);
    }
  return dir;
}

static void
remove_files (char   *dir,
              GFile **files,
              guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      g_assert_cmpint (g_unlink (path), ==, 0);
      g_object_unref (files[i]);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (dir);
}

/* Two photos chosen by hand (face first, then the ID), the invoice typed. */
static void
test_hand (void)
{
  const char *names[] = { "visage.png", "carte.jpg" };
  GBytes *contents[] = {
    fake_image_face (11, 480, 480, FAKE_IMAGE_PNG, 1),
    fake_image_id_card ("François Côté", 11, 1000, 630, FAKE_IMAGE_JPEG, 1),
  };
  GFile *files[2];
  char *dir = write_files (names, contents, 2, files);
  ErNewCaseWindow *window = open_window ();
  Created created = { 0 };

  er_new_case_window_open_files (window, files, 2);
  wait_idle (window);
  g_assert_null (er_new_case_window_get_error (window));
  g_assert_cmpuint (er_new_case_window_get_n_images (window), ==, 2);
  g_assert_cmpuint (er_new_case_window_get_n_warnings (window), ==, 0);
  g_assert_cmpstr (er_new_case_window_get_invoice (window), ==, "");
  assert_texture_size (er_new_case_window_get_face_texture (window), 480, 480);
  assert_texture_size (er_new_case_window_get_id_texture (window), 1000, 630);
  g_assert_null (er_new_case_window_get_order (window));
  g_assert_false (er_new_case_window_can_create (window));

  er_new_case_window_set_invoice (window, "EDU-2026-004211");
  wait_idle (window);
  g_assert_nonnull (er_new_case_window_get_order (window));
  create_and_wait (window, &created);
  g_assert_false (created.existing);
  g_assert_cmpint (er_case_get_source (created.kase), ==, ER_CASE_SOURCE_EMAIL);
  g_assert_cmpstr (er_case_get_invoice_number (created.kase), ==, "EDU-2026-004211");
  g_clear_object (&created.kase);

  remove_files (dir, files, 2);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (contents[i]);
}

/* A photo chosen through the file chooser (its path typed, Return), as an
 * agent does: it is loaded, and GTK's recent files never name it. */
static GtkWindow *
chooser_shown (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* The chooser's focused entry, or NULL while none has focus (the
 * location entry opens on the first typed "/"). */
static GtkEditable *
chooser_entry (GtkWindow *chooser)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (chooser));

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w))
      return GTK_EDITABLE (w);
  return NULL;
}

static void
test_chooser_no_recent (void)
{
  const char *names[] = { "photo-de-francois.png" };
  GBytes *contents[] = { fake_image_face (12, 320, 320, FAKE_IMAGE_PNG, 1) };
  GFile *files[1];
  char *dir = write_files (names, contents, 1, files);
  g_autofree char *path = g_file_get_path (files[0]);
  g_autofree char *recent = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autofree char *xbel = NULL;
  ErNewCaseWindow *window = open_window ();
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);

  GtkWindow *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "new-case.choose-photos", NULL));
  while ((chooser = chooser_shown ()) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wait_idle (window);
  test_xdotool_focus (chooser);
  while (!gtk_window_is_active (chooser))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  /* A "/" typed opens the chooser's location entry (typed again if the
   * X server was still handing the chooser its focus). The path itself is
   * put in the entry, not typed: on a loaded machine the entry's
   * completion, arriving late, rewrote what was typed (CI). Return, from
   * the X server as an agent presses it, again if it went elsewhere. */
  for (guint attempt = 0; chooser_entry (chooser) == NULL; attempt++)
    {
      gint64 typed_by = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_assert_cmpuint (attempt, <, 4);
      test_xdotool_type ("/");
      while (chooser_entry (chooser) == NULL && g_get_monotonic_time () < typed_by)
        g_main_context_iteration (NULL, TRUE);
    }
  wait_idle (window);
  gtk_editable_set_text (chooser_entry (chooser), path);
  gtk_editable_set_position (chooser_entry (chooser), -1);
  wait_idle (window);
  for (guint attempt = 0; er_new_case_window_get_n_images (window) < 1; attempt++)
    {
      gint64 chosen_by = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_assert_cmpuint (attempt, <, 4);
      if (chooser_shown () != NULL)
        test_xdotool_keys ("Return", NULL);
      while (er_new_case_window_get_n_images (window) < 1 && g_get_monotonic_time () < chosen_by)
        g_main_context_iteration (NULL, TRUE);
    }
  wait_idle (window);

  /* GTK writes its recent files a moment after a change: give it time. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  if (g_file_get_contents (recent, &xbel, NULL, NULL))
    g_assert_null (strstr (xbel, names[0]));

  gtk_window_destroy (GTK_WINDOW (window));
  remove_files (dir, files, 1);
  g_bytes_unref (contents[0]);
}

/* A HEIC "photo" (only its header: the window never decodes it) and a
 * text file: the HEIC is named in its pane, the text file left out with a
 * warning, Create Case impossible; nothing crashes. */
static void
test_heic (void)
{
  static const guint8 heic[] = {
    0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c',
    0x00, 0x00, 0x00, 0x00, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c',
    0x00, 0x00, 0x00, 0x08, 'm', 'e', 't', 'a',
  };
  const char *names[] = { "visage.png", "IMG_0042.HEIC", "notes.txt" };
  GBytes *contents[] = {
    fake_image_face (12, 400, 400, FAKE_IMAGE_PNG, 1),
    g_bytes_new_static (heic, sizeof heic),
    g_bytes_new_static ("EDU-2026-004211\n", 16),
  };
  GFile *files[3];
  char *dir = write_files (names, contents, 3, files);
  ErNewCaseWindow *window = open_window ();

  er_new_case_window_open_files (window, files, 3);
  wait_idle (window);
  g_assert_null (er_new_case_window_get_error (window));
  g_assert_cmpuint (er_new_case_window_get_n_images (window), ==, 2);
  g_assert_cmpuint (er_new_case_window_get_n_warnings (window), ==, 1);
  g_assert_nonnull (strstr (er_new_case_window_get_warning (window, 0), "notes.txt"));
  g_assert_nonnull (er_new_case_window_get_face_texture (window));
  g_assert_null (er_new_case_window_get_id_texture (window));

  er_new_case_window_set_invoice (window, "EDU-2026-004211");
  wait_idle (window);
  g_assert_nonnull (er_new_case_window_get_order (window));
  g_assert_false (er_new_case_window_can_create (window));

  gtk_window_destroy (GTK_WINDOW (window));
  remove_files (dir, files, 3);
  for (guint i = 0; i < 3; i++)
    g_bytes_unref (contents[i]);
}

/* Something that is not a message at all, and nothing to read: the error is
 * shown, the window stays on its start page. */
static void
test_not_a_message (void)
{
  const char *names[] = { "notes.txt" };
  GBytes *contents[] = { g_bytes_new_static ("hello\n", 6) };
  GFile *files[1];
  char *dir = write_files (names, contents, 1, files);
  ErNewCaseWindow *window = open_window ();

  er_new_case_window_open_files (window, files, 1);
  wait_idle (window);
  g_assert_nonnull (er_new_case_window_get_error (window));
  g_assert_nonnull (strstr (er_new_case_window_get_error (window), "notes.txt"));
  g_assert_cmpuint (er_new_case_window_get_n_images (window), ==, 0);
  g_assert_false (er_new_case_window_can_create (window));
  screenshot (window, "start");

  gtk_window_destroy (GTK_WINDOW (window));
  remove_files (dir, files, 1);
  g_bytes_unref (contents[0]);
}

/* Keys typed through the X server, as an agent types them. */
static void
type_key (GtkWindow  *window,
          const char *keys)
{
  test_xdotool_focus (window);
  test_xdotool_keys (keys, NULL);
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_destroyed (GtkWidget **weak)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_up_cb, NULL);

  while (*weak != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

/* Escape closes; Return creates the case when it can (here: the e-mail of
 * /new-case/message again, so the existing case). */
static void
test_keyboard (void)
{
  g_autoptr(GBytes) message = francois_message ("<photos-1@example.org>", "EDU-2026-004211");
  ErNewCaseWindow *window = open_window ();
  GtkWidget *weak = GTK_WIDGET (window);
  Created created = { 0 };

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  wait_mapped (weak);
  type_key (GTK_WINDOW (window), "Escape");
  wait_destroyed (&weak);

  window = open_window ();
  weak = GTK_WIDGET (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  g_signal_connect (window, "case-created", G_CALLBACK (on_case_created), &created);
  wait_mapped (weak);
  er_new_case_window_open_message (window, message);
  wait_idle (window);
  g_assert_true (er_new_case_window_can_create (window));
  type_key (GTK_WINDOW (window), "Return");
  wait_destroyed (&weak);
  g_assert_cmpuint (created.count, ==, 1);
  g_assert_true (created.existing);
  g_clear_object (&created.kase);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: run under xvfb-run (./build-aux/test does).");
      return 77;
    }
  adw_init ();
  {
    /* The app's style (AdwApplication loads it; there is none here). */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/com/edulib/Reviewer/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  fake = fake_process_start ("--cases=4", NULL);
  client = er_client_new (fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  g_assert_no_error (error);
  settings = g_settings_new ("com.edulib.Reviewer");

  /* In order: /hand finds the case /message created pending. */
  g_test_add_func ("/new-case/message", test_message);
  g_test_add_func ("/new-case/unknown", test_unknown);
  g_test_add_func ("/new-case/hand", test_hand);
  g_test_add_func ("/new-case/chooser-no-recent", test_chooser_no_recent);
  g_test_add_func ("/new-case/heic", test_heic);
  g_test_add_func ("/new-case/not-a-message", test_not_a_message);
  g_test_add_func ("/new-case/keyboard", test_keyboard);

  ret = g_test_run ();

  g_clear_object (&settings);
  g_clear_pointer (&key, er_private_key_unref);
  g_clear_object (&client);
  g_clear_pointer (&fake, fake_process_stop);
  return ret;
}
