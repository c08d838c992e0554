/* fake-main.c: er-fake-platform, a loopback implementation of the Review API v1
 * for the demo and the tests.
 *
 * Prints "READY http://127.0.0.1:<port> http://127.0.0.1:<storage-port>" on
 * stdout once both origins listen, then serves until SIGTERM or SIGINT.
 * Options inject faults into the API (see fake-server.h and HACKING.md);
 * POST /_fake/faults changes them at run time.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "er-crypto.h"
#include "fake-images.h"
#include "fake-server.h"
#include "fake-store.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_key (ErPrivateKey *key, const char *path, GError **error)
{
  g_autofree char *pem = er_private_key_to_pem (key, NULL, error);

  if (pem == NULL)
    return FALSE;
  return g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static ErPrivateKey *
obtain_key (const char *key_path, const char *state_path, GError **error)
{
  g_autofree char *saved_path = NULL;
  g_autoptr(ErPrivateKey) key = NULL;

  if (key_path != NULL)
    return er_private_key_new_from_file (key_path, NULL, error);

  if (state_path != NULL)
    {
      /* Keep the key beside the state so that saved manual cases stay readable. */
      saved_path = g_strconcat (state_path, ".key.pem", NULL);
      if (g_file_test (saved_path, G_FILE_TEST_EXISTS))
        return er_private_key_new_from_file (saved_path, NULL, error);
    }

  key = er_private_key_generate (2048, error);
  if (key == NULL)
    return NULL;
  if (saved_path != NULL && !write_key (key, saved_path, error))
    return NULL;
  return g_steal_pointer (&key);
}

int
main (int argc, char *argv[])
{
  int port = 0;
  int storage_port = 0;
  int n_cases = 12;
  int seed = 1;
  g_autofree char *token = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *write_key_path = NULL;
  g_autofree char *state_path = NULL;
  double fail_rate = 0, drop_rate = 0;
  int latency = 0, latency_jitter = 0;
  g_autofree char *burst = NULL;
  g_autofree char *photo_size = NULL;
  g_autofree char *photo_format = NULL;
  int photo_widths[16], photo_heights[16], format = -1, grain = -1;
  guint n_sizes = 0;
  FakeFaults faults = { 0 };
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "API origin port on 127.0.0.1 (0: a free one)", "N" },
    { "storage-port", 0, 0, G_OPTION_ARG_INT, &storage_port, "Storage origin port on 127.0.0.1 (0: a free one)", "N" },
    { "cases", 0, 0, G_OPTION_ARG_INT, &n_cases, "Number of synthetic pending cases (default 12)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the synthetic data (default 1)", "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Token of agent.lavoie (default demo-token)", "T" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "Verification private key PEM (default: generated)", "FILE" },
    { "write-key", 0, 0, G_OPTION_ARG_FILENAME, &write_key_path, "Write the private key (PKCS#8 PEM, mode 0600)", "FILE" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &state_path, "JSON state file, loaded at start and saved after changes", "FILE" },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate, "Fraction of API requests answered 500 or 503, not applied (0 to 1)", "F" },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &drop_rate, "Fraction of API requests applied, then their connection closed without an answer (0 to 1)", "F" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every API request by MS milliseconds", "MS" },
    { "latency-jitter", 0, 0, G_OPTION_ARG_INT, &latency_jitter, "Plus a random 0 to MS milliseconds", "MS" },
    { "burst-429", 0, 0, G_OPTION_ARG_STRING, &burst, "Answer the next N API requests 429 (Retry-After: 1), at start and then every S seconds (N alone: once)", "N[/S]" },
    { "photo-size", 0, 0, G_OPTION_ARG_STRING, &photo_size, "Draw every photo (face and ID card) at W×H pixels, upright, with a camera's grain (for the benchmark); with several sizes, case k (oldest first) gets the k-th, in turn", "WxH[,WxH...]" },
    { "photo-format", 0, 0, G_OPTION_ARG_STRING, &photo_format, "Every photo in this format: jpeg or png", "FORMAT" },
    { "photo-grain", 0, 0, G_OPTION_ARG_INT, &grain, "Grain amplitude, 0 to 64 (default: 12 with --photo-size, else 0)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a fake EDUlib Review API v1 platform");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;
  g_autoptr(FakeStore) store = NULL;
  g_autoptr(FakeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigterm_id, sigint_id;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Test endpoints on the API origin (no token):\n"
    "  GET  /_fake/state                    cases, decisions (with replays and conflicts),\n"
    "                                       photo requests, \"faults\" counters\n"
    "  POST /_fake/cases/ID/claim           {\"agent\": \"agent.roy\"}\n"
    "  POST /_fake/cases/ID/decision        {\"agent\": \"agent.roy\", \"Result\": \"PASS\"}\n"
    "  GET  /_fake/faults                   the fault settings and counters\n"
    "  POST /_fake/faults                   {\"fail_rate\", \"drop_rate\", \"latency_ms\",\n"
    "                                       \"latency_jitter_ms\", \"burst_429\": {\"count\", \"every_s\"},\n"
    "                                       \"down\": true|false, \"reset\", \"reset_counters\"};\n"
    "                                       members left out keep their value\n"
    "  POST /_fake/revoke                   {\"token\": \"demo-token\"}: 401 from then on\n"
    "  POST /_fake/tokens                   {\"token\": \"new\", \"agent\": \"agent.lavoie\"}\n"
    "  POST /_fake/restore                  the start tokens valid again\n"
    "  GET  /_fake/timing                   {\"first_list_answered_us\", \"last_list_answered_us\",\n"
    "                                       \"list_answers\"}: monotonic times (µs) of the first\n"
    "                                       and last case lists answered (0: none yet)\n"
    "\n"
    "Faults apply to /api/review/v1/ only, checked in this order: down (connection\n"
    "closed at once), a 429 burst, a 5xx (neither applied), then the request is\n"
    "applied and, at the drop rate, its connection closed without an answer.\n"
    "The latency delays each request first. Random draws come from --seed.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("er-fake-platform: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || storage_port < 0 || storage_port > 65535)
    {
      g_printerr ("er-fake-platform: ports must be from 0 to 65535\n");
      return 2;
    }
  if (n_cases < 0 || n_cases > 100000)
    {
      g_printerr ("er-fake-platform: --cases must be from 0 to 100000\n");
      return 2;
    }
  if (token == NULL)
    token = g_strdup ("demo-token");
  if (!(fail_rate >= 0 && fail_rate <= 1) || !(drop_rate >= 0 && drop_rate <= 1))
    {
      g_printerr ("er-fake-platform: --fail-rate and --drop-rate must be from 0 to 1\n");
      return 2;
    }
  if (latency < 0 || latency > 600000 || latency_jitter < 0 || latency_jitter > 600000)
    {
      g_printerr ("er-fake-platform: --latency and --latency-jitter must be from 0 to 600000 ms\n");
      return 2;
    }
  if (burst != NULL && !fake_faults_parse_burst (&faults, burst))
    {
      g_printerr ("er-fake-platform: --burst-429 must be N or N/S (S from 0 to 86400)\n");
      return 2;
    }
  if (photo_size != NULL)
    {
      g_auto(GStrv) sizes = g_strsplit (photo_size, ",", 16);

      for (n_sizes = 0; sizes[n_sizes] != NULL && n_sizes < G_N_ELEMENTS (photo_widths); n_sizes++)
        {
          int w = 0, h = 0;

          if (sscanf (sizes[n_sizes], "%dx%d", &w, &h) != 2 || w < 1 || h < 1 ||
              w > 20000 || h > 20000 || (gint64) w * h > 100000000)
            {
              g_printerr ("er-fake-platform: --photo-size must be WxH[,WxH...], each at most 100 megapixels\n");
              return 2;
            }
          photo_widths[n_sizes] = w;
          photo_heights[n_sizes] = h;
        }
    }
  if (photo_format != NULL)
    {
      if (g_str_equal (photo_format, "jpeg"))
        format = FAKE_IMAGE_JPEG;
      else if (g_str_equal (photo_format, "png"))
        format = FAKE_IMAGE_PNG;
      else
        {
          g_printerr ("er-fake-platform: --photo-format must be jpeg or png\n");
          return 2;
        }
    }
  if (grain > 64)
    {
      g_printerr ("er-fake-platform: --photo-grain must be from 0 to 64\n");
      return 2;
    }
  if (grain < 0)
    grain = photo_size != NULL ? 12 : 0;
  fake_images_set_grain ((guint) grain);
  faults.fail_rate = fail_rate;
  faults.drop_rate = drop_rate;
  faults.latency_ms = (guint) latency;
  faults.latency_jitter_ms = (guint) latency_jitter;

  key = obtain_key (key_path, state_path, &error);
  if (key == NULL)
    {
      g_printerr ("er-fake-platform: verification key: %s\n", error->message);
      return 1;
    }
  if (write_key_path != NULL && !write_key (key, write_key_path, &error))
    {
      g_printerr ("er-fake-platform: could not write the key: %s\n", error->message);
      return 1;
    }

  store = fake_store_new (n_cases, (guint) seed, token, key, state_path, &error);
  if (store == NULL)
    {
      g_printerr ("er-fake-platform: %s\n", error->message);
      return 1;
    }

  if (photo_size != NULL)
    fake_store_set_photo_size (store, photo_widths, photo_heights, n_sizes, format);
  else if (format >= 0)
    g_printerr ("er-fake-platform: --photo-format is only used with --photo-size\n");

  server = fake_server_new (store, port, storage_port, (guint) seed, &error);
  if (server == NULL)
    {
      g_printerr ("er-fake-platform: could not listen: %s\n", error->message);
      return 1;
    }
  fake_server_set_faults (server, &faults);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);

  /* The stdout protocol: exactly one line. */
  printf ("READY %s %s\n", fake_server_get_api_origin (server),
          fake_server_get_storage_origin (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_pointer (&server, fake_server_free);
  return 0;
}
