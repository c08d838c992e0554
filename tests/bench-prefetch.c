/* bench-prefetch.c: what prefetching buys, against the fake platform.
 *
 * Prints, without asserting anything about time:
 * - the time to open a case (both photos shown) when they were not
 *   prefetched: fetched, decrypted and decoded on demand;
 * - the same when they were prefetched: answered from memory;
 * - the memory held when the open case and the next two are kept.
 *
 * Run: meson test -C _build --benchmark prefetch --verbose
 * or   ER_FAKE_PLATFORM=_build/tests/fake-platform/er-fake-platform \
 *        _build/tests/bench-prefetch [ROUNDS]
 */
#include "config.h"

#include <stdlib.h>

#include "er-client.h"
#include "er-crypto.h"
#include "er-prefetch.h"
#include "fake-process.h"

#define DEPTH 2            /* cases kept after the open one */
#define WAIT_SECONDS 30

static ErClient *client;
static ErPrivateKey *key;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The fake platform did not answer in %d s", WAIT_SECONDS);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
both_set (gpointer data)
{
  GAsyncResult **slots = data;

  return slots[0] != NULL && slots[1] != NULL;
}

static gboolean
idle_prefetch (gpointer data)
{
  return er_prefetch_get_n_loading (data) == 0;
}

/* Opens a case as the case view does: both photos, in parallel. Returns
 * the time until both are there, in milliseconds. */
static double
open_case (ErPrefetch *prefetch,
           ErCase     *kase)
{
  GAsyncResult *slots[2] = { NULL, NULL };
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  er_prefetch_load_async (prefetch, kase, ER_PHOTO_USER, NULL, store_result_cb, &slots[0]);
  er_prefetch_load_async (prefetch, kase, ER_PHOTO_ID, NULL, store_result_cb, &slots[1]);
  iterate_until (both_set, slots);
  end = g_get_monotonic_time ();

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = er_prefetch_load_finish (prefetch, slots[k], &error);

      if (texture == NULL)
        g_error ("Photo of %s: %s", er_case_get_receipt_id (kase), error->message);
      g_object_unref (slots[k]);
    }
  return (end - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figures (const char *what,
               GArray     *ms)
{
  double sum = 0;

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  g_print ("%-34s median %8.2f ms   mean %8.2f ms   min %8.2f   max %8.2f   (%u cases)\n",
           what, g_array_index (ms, double, ms->len / 2), sum / ms->len,
           g_array_index (ms, double, 0), g_array_index (ms, double, ms->len - 1), ms->len);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (double));
  guint rounds = argc > 1 ? (guint) atoi (argv[1]) : 8;
  FakeProcess *fake;

  fake = fake_process_start ("--cases=40", "--seed=5", NULL);
  client = er_client_new (fake->api_url, "demo-token", &error);
  g_assert_no_error (error);
  key = er_private_key_new_from_file (fake->key_path, NULL, &error);
  g_assert_no_error (error);

  {
    ErCaseQuery query = { .limit = 100 };
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(ErPage) page = NULL;
    GListModel *items;

    er_client_list_cases_async (client, &query, NULL, store_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    page = er_client_list_cases_finish (client, result, &error);
    g_assert_no_error (error);
    items = G_LIST_MODEL (page->items);
    for (guint i = 0; i < g_list_model_get_n_items (items); i++)
      g_ptr_array_add (cases, g_list_model_get_item (items, i));
  }
  rounds = CLAMP (rounds, 1, cases->len / 2 - DEPTH);

  /* Warm up the connections and the image loaders, off the record. */
  {
    g_autoptr(ErPrefetch) prefetch = er_prefetch_new (client, key);

    open_case (prefetch, g_ptr_array_index (cases, cases->len - 1));
  }

  /* Not prefetched: every case opened by a fresh cache. */
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(ErPrefetch) prefetch = er_prefetch_new (client, key);
      double ms = open_case (prefetch, g_ptr_array_index (cases, i));

      g_array_append_val (cold, ms);
    }

  /* Prefetched: the review loop, the open case and the next DEPTH kept;
   * the agent takes long enough for the prefetch to finish. */
  {
    g_autoptr(ErPrefetch) prefetch = er_prefetch_new (client, key);
    guint first = rounds;  /* cases not opened above */
    gsize held_max = 0;

    for (guint i = first; i < first + rounds; i++)
      {
        double ms;

        er_prefetch_keep (prefetch, (ErCase **) cases->pdata + i, DEPTH + 1);
        if (i > first)  /* the first case is opened before anything is held */
          {
            ms = open_case (prefetch, g_ptr_array_index (cases, i));
            g_array_append_val (warm, ms);
          }
        iterate_until (idle_prefetch, prefetch);
        held_max = MAX (held_max, er_prefetch_get_held_bytes (prefetch));
      }

    g_print ("Photos: a 640x480 face and a 1200x760 ID card per case, most encrypted\n");
    print_figures ("Open a case, not prefetched:", cold);
    if (warm->len > 0)
      print_figures ("Open a case, prefetched:", warm);
    g_print ("Memory held, open case + next %d:   %u photos, %.1f MiB (at most %.1f MiB)\n",
             DEPTH, er_prefetch_get_n_held (prefetch),
             er_prefetch_get_held_bytes (prefetch) / (1024.0 * 1024.0),
             held_max / (1024.0 * 1024.0));
  }

  g_clear_pointer (&key, er_private_key_unref);
  g_clear_object (&client);
  fake_process_stop (fake);
  return EXIT_SUCCESS;
}
