/* bench-photo.c: bench-review's "photo" part — a photo ready for display,
 * through the app's pipeline, against the floor measured in the same run
 * on the same bytes.
 *
 * The app: er_photo_load_async (fetch from the fake platform on loopback,
 * RSA-OAEP unwrap, AES-CBC decrypt, decode), timed to the texture.
 * The floor: processes in a pipeline, `curl` from the same server,
 * `basenc -d --base64url`, `openssl enc -d -aes-N-cbc -K … -iv …` with the
 * AES key and IV derived as the contract says (review-api-v1.md, "Photos"),
 * then `djpeg` or `pngtopnm`, a full decode to /dev/null.
 * Each photo: one warm-up round off the record (the fake draws it then),
 * then 12 rounds, app and floor in turn, so both see the same machine.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-parts.h"
#include "bench-util.h"
#include "er-client.h"
#include "er-crypto.h"
#include "er-photo.h"
#include "fake-process.h"

typedef struct {
  ErClient     *client;
  ErPrivateKey *key;
  FakeProcess  *fake;
} PhotoBench;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The full pipeline, to a texture of the photo at full resolution. Returns
 * the milliseconds; out_width × out_height: the texture's size. */
static double
load_full (PhotoBench       *b,
           const ErPhotoRef *ref,
           int              *out_width,
           int              *out_height)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  er_photo_load_async (b->client, b->key, ref, NULL, store_result_cb, &result);
  bench_wait (result_set, &result, 120, "a photo");
  texture = er_photo_load_finish (result, &error);
  end = g_get_monotonic_time ();
  if (texture == NULL)
    g_error ("The app could not load %s: %s", ref->url, error->message);
  if (out_width != NULL)
    *out_width = gdk_texture_get_width (texture);
  if (out_height != NULL)
    *out_height = gdk_texture_get_height (texture);
  return (end - start) / 1000.0;
}

/* Time to display: the pipeline the app shows a photo with, decoding for
 * the screen first (er_photo_load_image_async: a JPEG at the smallest
 * libjpeg scale that still covers a pane of BENCH_PANE_WIDTH ×
 * BENCH_PANE_HEIGHT device pixels; a PNG whole), to the texture shown.
 * The full-resolution figure keeps using load_full(); the floor stays a
 * full decode. */
#define BENCH_PANE_WIDTH  600
#define BENCH_PANE_HEIGHT 700

static double
measure_time_to_display (PhotoBench       *b,
                         const ErPhotoRef *ref)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErPhotoImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  er_photo_load_image_async (b->client, b->key, ref, MAX (BENCH_PANE_WIDTH, BENCH_PANE_HEIGHT),
                             NULL, store_result_cb, &result);
  bench_wait (result_set, &result, 120, "a photo for the screen");
  image = er_photo_load_image_finish (result, &error);
  end = g_get_monotonic_time ();
  if (image == NULL)
    g_error ("The app could not load %s: %s", ref->url, error->message);
  g_assert_nonnull (er_photo_image_get_texture (image));
  return (end - start) / 1000.0;
}

static char *
hex (const guint8 *data,
     gsize         size)
{
  GString *out = g_string_sized_new (size * 2);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* The floor's command for this photo: the AES key unwrapped (outside the
 * clock; the contract gives the floor the key), the IV derived as the
 * contract says: the first 16 characters, as ASCII bytes, of
 * hex(md5(K || hex(md5(K)))). */
static char *
floor_command (PhotoBench       *b,
               const ErPhotoRef *ref,
               gboolean          png)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) aes_key = er_crypto_unwrap_key (b->key, ref->key, &error);
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *inner = NULL;
  g_autofree char *outer = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *iv_hex = NULL;
  const guint8 *k;
  gsize k_size;

  if (aes_key == NULL)
    g_error ("Could not unwrap the key of %s: %s", ref->url, error->message);
  k = g_bytes_get_data (aes_key, &k_size);
  g_checksum_update (md5, k, k_size);
  inner = g_strdup (g_checksum_get_string (md5));
  g_checksum_reset (md5);
  g_checksum_update (md5, k, k_size);
  g_checksum_update (md5, (const guchar *) inner, strlen (inner));
  outer = g_strdup (g_checksum_get_string (md5));
  key_hex = hex (k, k_size);
  iv_hex = hex ((const guint8 *) outer, 16);

  return g_strdup_printf ("curl -sSf -H 'Authorization: Bearer demo-token' '%s%s'"
                          " | basenc -d --base64url"
                          " | openssl enc -d -aes-%u-cbc -K %s -iv %s"
                          " | %s > /dev/null",
                          b->fake->api_url, ref->url, (guint) k_size * 8, key_hex, iv_hex,
                          png ? "pngtopnm" : "djpeg");
}

static double
run_floor (const char *command)
{
  const char *argv[] = { "bash", "-o", "pipefail", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("Could not run the floor: %s", error->message);
  end = g_get_monotonic_time ();
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("The floor failed (%s): %s", command, err);
  return (end - start) / 1000.0;
}

static gboolean
floor_tools_missing (void)
{
  const char *tools[] = { "curl", "basenc", "openssl", "djpeg", "pngtopnm", "bash" };
  gboolean missing = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          printf ("photo: %s is missing (build-aux/deps.sh installs it)\n", tools[i]);
          missing = TRUE;
        }
    }
  return missing;
}

static gboolean
page_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The encrypted cases of the fake, oldest first. */
static GPtrArray *
list_encrypted (PhotoBench *b)
{
  ErCaseQuery query = { .limit = 100 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ErPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *items;

  er_client_list_cases_async (b->client, &query, NULL, store_result_cb, &result);
  bench_wait (page_set, &result, 60, "the case list");
  page = er_client_list_cases_finish (b->client, result, &error);
  if (page == NULL)
    g_error ("Could not list the cases: %s", error->message);
  items = G_LIST_MODEL (page->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (items, i);

      if (er_case_get_photo_id (kase)->key != NULL)
        g_ptr_array_add (cases, g_steal_pointer (&kase));
    }
  return cases;
}

static void
bench_format (const BenchOptions *options,
              gboolean            png)
{
  const char *sizes = options->quick ? "160x120,320x240"
                      : png ? "640x480,1280x800" : "640x480,1280x800,4000x3000";
  guint n_sizes = options->quick ? 2 : png ? 2 : 3;
  guint rounds = options->quick ? 1 : 12;
  g_autofree char *size_arg = g_strconcat ("--photo-size=", sizes, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new (g_direct_hash, g_direct_equal);
  PhotoBench b = { 0 };
  const char *format = png ? "png" : "jpeg";

  b.fake = fake_process_start ("--cases=12", "--seed=7", size_arg,
                               png ? "--photo-format=png" : "--photo-format=jpeg", NULL);
  b.client = er_client_new (b.fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  b.key = er_private_key_new_from_file (b.fake->key_path, NULL, &error);
  g_assert_no_error (error);
  cases = list_encrypted (&b);

  /* One ID photo per size (the cases take the sizes in turn). */
  for (guint i = 0; i < cases->len && g_hash_table_size (done) < n_sizes; i++)
    {
      const ErPhotoRef *ref = er_case_get_photo_id (cases->pdata[i]);
      g_autofree char *command = floor_command (&b, ref, png);
      g_autoptr(GArray) display = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) full = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) floor = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *id = NULL;
      g_autofree char *body = NULL;
      gsize body_size = 0;
      int width = 0, height = 0;
      double mp;

      /* Warm-up: the fake draws and encrypts the photo on first request. */
      load_full (&b, ref, &width, &height);
      run_floor (command);
      if (g_hash_table_contains (done, GINT_TO_POINTER (width * height)))
        continue;
      g_hash_table_add (done, GINT_TO_POINTER (width * height));
      mp = width * (double) height / 1e6;

      /* The object's size, as served (base64 text). */
      {
        g_autofree char *url = g_strconcat (b.fake->api_url, ref->url, NULL);
        const char *argv[] = { "curl", "-sSf", "-H", "Authorization: Bearer demo-token", url, NULL };

        if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                          NULL, NULL, &body, NULL, NULL, NULL))
          body_size = strlen (body);
      }

      /* The three in turn, in each of the 6 orders twice: whichever runs
       * right after the floor's processes pays for the caches they evicted
       * (up to 1.5× on a 2-core machine), so each follows it as often. */
      for (guint r = 0; r < rounds; r++)
        for (guint k = 0; k < 3; k++)
          {
            static const guint8 orders[6][3] = {
              { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
            };
            double ms;

            switch (orders[r % 6][k])
              {
              case 0:
                ms = measure_time_to_display (&b, ref);
                g_array_append_val (display, ms);
                break;
              case 1:
                ms = load_full (&b, ref, NULL, NULL);
                g_array_append_val (full, ms);
                break;
              default:
                ms = run_floor (command);
                g_array_append_val (floor, ms);
                break;
              }
          }

      printf ("photo: %s %dx%d (%.1f MP), object %.2f MB (base64; the image %.2f MB), %u rounds\n",
              png ? "PNG" : "JPEG", width, height, mp, body_size / 1e6, body_size * 3 / 4 / 1e6,
              rounds);
      printf ("  app, time to display   median %8.1f ms  p95 %8.1f ms\n",
              bench_median (display), bench_percentile (display, 95));
      printf ("  app, full decode       median %8.1f ms  p95 %8.1f ms\n",
              bench_median (full), bench_percentile (full, 95));
      printf ("  floor (curl|basenc|openssl|%s) median %8.1f ms  p95 %8.1f ms\n",
              png ? "pngtopnm" : "djpeg", bench_median (floor), bench_percentile (floor, 95));

      id = g_strdup_printf ("photo.%s.%d", format, width * height);
      {
        g_autofree char *f1 = g_strconcat (id, ".display", NULL);
        g_autofree char *f2 = g_strconcat (id, ".full", NULL);
        g_autofree char *f3 = g_strconcat (id, ".floor", NULL);
        g_autofree char *f4 = g_strconcat (id, ".mb", NULL);

        bench_figure (f1, bench_median (display));
        bench_figure (f2, bench_median (full));
        bench_figure (f3, bench_median (floor));
        bench_figure (f4, body_size * 3 / 4 / 1e6);
      }
    }

  g_clear_pointer (&b.key, er_private_key_unref);
  g_clear_object (&b.client);
  fake_process_stop (b.fake);
}

int
bench_part_photo (const BenchOptions *options)
{
  if (floor_tools_missing ())
    return 77;
  bench_format (options, FALSE);
  bench_format (options, TRUE);
  return 0;
}
