/* bench-ocr.c: the accuracy benchmark of reading IDs (issue 14).
 *
 * Draws the synthetic corpus (fake-ids.c: fictional ID cards and passport
 * pages, half clean, half photographed badly), reads each photo as the app
 * does (er_id_read_image_async: the image bytes decoded for reading, at
 * about ER_ID_READ_LONG_SIDE, then er_id_read_photo; or, with --target,
 * er_photo_image_decode for that size and er_id_read_photo), and
 * compares the read with the learner's account name
 * (er_id_read_compare), then with other names that are not the learner's
 * (one letter changed, a given name swapped, a hyphenated part dropped).
 * It prints the exact-read rates, the unsure rate, the false "same name"
 * verdicts, the time per photo and a few misreads, each beside its goal.
 * It asserts nothing; it fails only when it cannot run. Photos stay in
 * memory.
 *
 *   meson test -C _build --benchmark ocr -v
 *   _build/tests/bench-ocr [--quick] [--documents=N] [--target=PX] [--lines] [--verbose]
 *
 * ER_OCR_PSM=N (er-ocr.c) tries another Tesseract page segmentation mode.
 *
 * --quick: six documents and one 12 MP photo (the smoke test "ocr-smoke").
 * --lines: read each photo a second time with er_ocr_read_lines, on the
 * same grey copy as er_id_read_photo makes, to show what Tesseract
 * returned for the misreads and how often the printed name was among its
 * lines at all (what the label finder and the MRZ parser could find).
 * Exits 77 (skipped) when this build does not read IDs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "er-id-line.h"
#include "er-id-read.h"
#include "er-name.h"
#include "er-ocr.h"
#include "er-photo-image.h"
#include "er-photo.h"
#include "fake-ids.h"

typedef struct {
  int          index;
  FakeIdSpec   spec;
  FakeIdTruth *truth;
  gboolean     big;           /* a 12 MP photo, for the time */
  char        *error;         /* decoding or reading failed */
  char        *name;          /* er_id_read_get_name */
  char        *compare_name;  /* er_id_read_get_compare_name */
  ErIdReadSource  source;
  gboolean     sure;
  gboolean     has_expiry;
  int          expiry_y, expiry_m, expiry_d;
  ErIdReadVerdict verdict;    /* against the learner's own account name */
  gboolean     name_exact;
  gboolean     accents_lost;  /* the name right but for its accents */
  gboolean     expiry_right;
  gboolean     region_right;
  guint        n_others;      /* other names compared */
  guint        false_same;    /* of which were said to be the same name */
  char        *false_same_names;
  double       draw_s;        /* fake_id_render */
  double       decode_s;      /* er_photo_image_decode (--target only) */
  double       read_s;        /* decode and read (er_id_read_image_async), or
                               * er_id_read_photo with --target */
  int          texture_width;
  int          texture_height;
  GPtrArray   *lines;         /* --lines: ErIdLine, as Tesseract read them */
  gboolean     lines_have_name;  /* the printed name is among them */
} Result;

static void
result_free (Result *r)
{
  fake_id_truth_free (r->truth);
  g_free (r->error);
  g_free (r->name);
  g_free (r->compare_name);
  g_free (r->false_same_names);
  g_clear_pointer (&r->lines, g_ptr_array_unref);
  g_free (r);
}

static const char *
kind_name (FakeIdKind kind)
{
  switch (kind)
    {
    case FAKE_ID_CARD:
      return "card";
    case FAKE_ID_CARD_ONE_NAME:
      return "card (one name field)";
    case FAKE_ID_PASSPORT:
      return "passport";
    case FAKE_ID_N_KINDS:
    default:
      return "?";
    }
}

static const char *
verdict_name (ErIdReadVerdict verdict)
{
  switch (verdict)
    {
    case ER_ID_READ_NO_NAME:
      return "no name";
    case ER_ID_READ_UNSURE:
      return "unsure";
    case ER_ID_READ_SAME:
      return "same";
    case ER_ID_READ_CLOSE:
      return "close";
    case ER_ID_READ_DIFFERS:
      return "differs";
    default:
      return "?";
    }
}

static const char *
source_name (ErIdReadSource source)
{
  switch (source)
    {
    case ER_ID_READ_SOURCE_LABELS:
      return "labels";
    case ER_ID_READ_SOURCE_MRZ:
      return "MRZ";
    case ER_ID_READ_SOURCE_PRINTED:
      return "MRZ found in print";
    case ER_ID_READ_SOURCE_LAYOUT:
      return "above the dates";
    case ER_ID_READ_SOURCE_NONE:
    default:
      return "none";
    }
}

/* Exactly the same characters, whatever their Unicode composition. */
static gboolean
same_text (const char *a, const char *b)
{
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  na = g_utf8_normalize (a, -1, G_NORMALIZE_NFC);
  nb = g_utf8_normalize (b, -1, G_NORMALIZE_NFC);
  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

static double
overlap (const graphene_rect_t *a, double bx, double by, double bw, double bh)
{
  double x0 = MAX (a->origin.x, bx), y0 = MAX (a->origin.y, by);
  double x1 = MIN (a->origin.x + a->size.width, bx + bw), y1 = MIN (a->origin.y + a->size.height, by + bh);
  double inter = MAX (0, x1 - x0) * MAX (0, y1 - y0);
  double uni = a->size.width * a->size.height + bw * bh - inter;

  return uni > 0 ? inter / uni : 0;
}

/* The lines er_id_read_photo reads, read again to show them. */
static GPtrArray *
read_lines_again (GdkTexture *texture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = er_id_read_lines (texture, NULL, &error);

  if (lines == NULL)
    g_printerr ("bench-ocr: reading the lines again: %s\n", error->message);
  return lines;
}

/* Whether text is in one of the lines, as printed (accents and all). */
static gboolean
lines_hold (GPtrArray *lines, const char *text)
{
  g_autofree char *wanted = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *line = g_utf8_normalize (((ErIdLine *) lines->pdata[i])->text, -1, G_NORMALIZE_NFC);

      if (line != NULL && wanted != NULL && strstr (line, wanted) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Draws, decodes and reads one document; compares the read. */
static Result *
run_one (int index, const FakeIdSpec *spec, gboolean big, int target, gboolean show_lines)
{
  Result *r = g_new0 (Result, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ErPhotoImage) image = NULL;
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) others = NULL;
  GString *false_names = g_string_new (NULL);
  GdkTexture *texture = NULL;
  GDateTime *expiry;
  graphene_rect_t region;
  gint64 t0, t1;

  r->index = index;
  r->spec = *spec;
  r->big = big;
  t0 = g_get_monotonic_time ();
  bytes = fake_id_render (spec, &r->truth);
  g_assert (bytes != NULL);
  r->draw_s = (g_get_monotonic_time () - t0) / 1e6;

  if (target < 0)
    {
      /* As the app: decoded for reading in the reader's worker. */
      g_autoptr(GAsyncResult) result = NULL;

      t0 = g_get_monotonic_time ();
      er_id_read_image_async (bytes, NULL, NULL, on_read, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      read = er_id_read_image_finish (result, &error);
      r->read_s = (g_get_monotonic_time () - t0) / 1e6;
    }
  else
    {
      t0 = g_get_monotonic_time ();
      image = er_photo_image_decode (bytes, target, NULL, &error);
      t1 = g_get_monotonic_time ();
      r->decode_s = (t1 - t0) / 1e6;
      if (image == NULL)
        {
          r->error = g_strdup_printf ("decode: %s", error->message);
          g_string_free (false_names, TRUE);
          return r;
        }
      texture = er_photo_image_get_texture (image);
      read = er_id_read_photo (texture, NULL, &error);
      r->read_s = (g_get_monotonic_time () - t1) / 1e6;
    }
  if (read == NULL)
    {
      r->error = g_strdup_printf ("read: %s", error->message);
      g_string_free (false_names, TRUE);
      return r;
    }
  er_id_read_get_size (read, &r->texture_width, &r->texture_height);

  r->name = g_strdup (er_id_read_get_name (read));
  r->compare_name = g_strdup (er_id_read_get_compare_name (read));
  r->source = er_id_read_get_source (read);
  r->sure = er_id_read_get_sure (read);
  expiry = er_id_read_get_expiry (read);
  if (expiry != NULL)
    {
      r->has_expiry = TRUE;
      g_date_time_get_ymd (expiry, &r->expiry_y, &r->expiry_m, &r->expiry_d);
      r->expiry_right = r->expiry_y == g_date_get_year (&r->truth->expiry) &&
                        r->expiry_m == g_date_get_month (&r->truth->expiry) &&
                        r->expiry_d == g_date_get_day (&r->truth->expiry);
    }
  r->name_exact = same_text (r->compare_name, r->truth->full_name);
  r->accents_lost = r->compare_name != NULL &&
                    er_name_compare (r->truth->full_name, r->compare_name) == ER_NAME_ACCENTS;
  r->verdict = er_id_read_compare (read, r->truth->account_name);

  /* The region read is in the pixels of the image read, the truth's in
   * the photo's. */
  if (er_id_read_get_name_region (read, &region))
    {
      double scale = (double) r->texture_width / spec->width;

      r->region_right = overlap (&region, r->truth->name_x * scale, r->truth->name_y * scale,
                                 r->truth->name_width * scale, r->truth->name_height * scale) >= 0.3;
    }

  if (show_lines && texture == NULL)
    {
      image = er_photo_image_decode (bytes, ER_ID_READ_LONG_SIDE, NULL, NULL);
      texture = image != NULL ? er_photo_image_get_texture (image) : NULL;
    }
  if (show_lines && texture != NULL && (r->lines = read_lines_again (texture)) != NULL)
    {
      if (spec->kind == FAKE_ID_CARD_ONE_NAME)
        {
          g_autofree char *printed = g_strconcat (r->truth->surname, ", ", r->truth->given_names, NULL);

          r->lines_have_name = lines_hold (r->lines, printed);
        }
      else
        r->lines_have_name = lines_hold (r->lines, r->truth->surname) &&
                             lines_hold (r->lines, r->truth->given_names);
    }

  others = fake_id_other_names (r->truth, spec->seed);
  for (guint i = 0; i < others->len; i++)
    {
      r->n_others++;
      if (er_id_read_compare (read, others->pdata[i]) == ER_ID_READ_SAME)
        {
          r->false_same++;
          g_string_append_printf (false_names, "%s\"%s\"", false_names->len > 0 ? ", " : "",
                                  (char *) others->pdata[i]);
        }
    }
  r->false_same_names = g_string_free (false_names, FALSE);
  return r;
}

static char *
describe_spec (const Result *r)
{
  const FakeIdSpec *s = &r->spec;
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%d×%d %s", s->width, s->height, s->format == FAKE_ID_PNG ? "PNG" : "JPEG");
  if (s->format == FAKE_ID_JPEG)
    g_string_append_printf (out, " q%d", s->jpeg_quality);
  g_string_append_printf (out, ", read at %d×%d, fill %.2f, %s", r->texture_width, r->texture_height,
                          s->fill, r->truth->font);
  if (s->rotation != 0)
    g_string_append_printf (out, ", %+.1f°", s->rotation);
  if (s->perspective > 0)
    g_string_append_printf (out, ", perspective %.2f", s->perspective);
  if (s->blur > 0)
    g_string_append_printf (out, ", blur σ %.1f px", s->blur * MAX (s->width, s->height) / 1000.0);
  if (s->glare > 0)
    g_string_append_printf (out, ", glare %.2f", s->glare);
  if (s->noise > 0)
    g_string_append_printf (out, ", noise %.1f", s->noise);
  return g_string_free (out, FALSE);
}

/* "clean", "degraded", or "12 MP" for the timing photos (a phone's
 * photo: a little grain, JPEG quality 90). */
static const char *
category (const Result *r)
{
  return r->big ? "12 MP" : r->truth->degraded ? "degraded" : "clean";
}

static void
print_result_line (const Result *r)
{
  g_autofree char *what = describe_spec (r);

  if (r->error != NULL)
    {
      printf ("  #%-3d %-8s %s: FAILED, %s\n", r->index, category (r),
              kind_name (r->truth->kind), r->error);
      return;
    }
  printf ("  #%-3d %-8s %-21s %-6s %s read \"%s\" (%s, %s)%s, expiry %s, %.2f s [%s]\n", r->index,
          category (r), kind_name (r->truth->kind), r->name_exact && r->expiry_right ? "exact" : "miss",
          verdict_name (r->verdict), r->compare_name != NULL ? r->compare_name : "",
          source_name (r->source), r->sure ? "sure" : "not sure",
          r->false_same > 0 ? " FALSE SAME" : "", r->expiry_right ? "right" : r->has_expiry ? "wrong" : "none",
          r->read_s, what);
}

static void
print_misread (const Result *r)
{
  g_autofree char *what = describe_spec (r);
  char truth_expiry[16];

  g_snprintf (truth_expiry, sizeof truth_expiry, "%04d-%02d-%02d", g_date_get_year (&r->truth->expiry),
              g_date_get_month (&r->truth->expiry), g_date_get_day (&r->truth->expiry));
  printf ("- #%d, %s %s (%s)\n", r->index, category (r),
          kind_name (r->truth->kind), what);
  printf ("    printed:  \"%s\", expires %s\n", r->truth->full_name, truth_expiry);
  if (r->error != NULL)
    {
      printf ("    FAILED:   %s\n", r->error);
      return;
    }
  if (r->has_expiry)
    printf ("    read:     \"%s\" as \"%s\" (%s, %s), expires %04d-%02d-%02d\n",
            r->name != NULL ? r->name : "(none)", r->compare_name != NULL ? r->compare_name : "(none)",
            source_name (r->source), r->sure ? "sure" : "not sure", r->expiry_y, r->expiry_m, r->expiry_d);
  else
    printf ("    read:     \"%s\" as \"%s\" (%s, %s), no expiry date\n",
            r->name != NULL ? r->name : "(none)", r->compare_name != NULL ? r->compare_name : "(none)",
            source_name (r->source), r->sure ? "sure" : "not sure");
  printf ("    verdict for \"%s\": %s%s%s\n", r->truth->account_name, verdict_name (r->verdict),
          r->false_same > 0 ? "; SAME for " : "", r->false_same > 0 ? r->false_same_names : "");
  if (r->lines != NULL)
    {
      printf ("    Tesseract's lines (confidence, box x,y w×h):\n");
      for (guint i = 0; i < r->lines->len; i++)
        {
          ErIdLine *line = r->lines->pdata[i];

          printf ("      %3.0f  %4d,%-4d %4d×%-3d  %s\n", line->confidence, line->x, line->y,
                  line->width, line->height, line->text);
        }
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The p-th percentile (nearest rank) of values, 0 when empty. */
static double
percentile (GArray *values, double p)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  rank = (guint) MAX (1, (int) (p / 100.0 * values->len + 0.999999));
  return g_array_index (values, double, MIN (rank, values->len) - 1);
}

/* printf's widths count bytes; "≥", "≤" and "—" are more than one. */
static void
pad (const char *text, int width, gboolean right)
{
  int n = width - (int) g_utf8_strlen (text, -1);

  if (right)
    printf ("%*s%s", MAX (n, 0), "", text);
  else
    printf ("%s%*s", text, MAX (n, 0), "");
}

static void
row (const char *figure, const char *goal, const char *measured, const char *verdict)
{
  printf ("| ");
  pad (figure, 52, FALSE);
  printf (" | ");
  pad (goal, 9, FALSE);
  printf (" | ");
  pad (measured, 22, TRUE);
  printf (" | ");
  pad (verdict, 6, FALSE);
  printf (" |\n");
}

typedef struct {
  guint n, exact, name_exact, accents_lost, expiry_right, unsure, sure_wrong, region_right, failed,
        lines_have_name;
  guint verdicts[ER_ID_READ_DIFFERS + 1];
} Tally;

static void
tally (Tally *t, const Result *r)
{
  t->n++;
  if (r->error != NULL)
    {
      t->failed++;
      t->unsure++;
      return;
    }
  t->exact += r->name_exact && r->expiry_right;
  t->name_exact += r->name_exact;
  t->accents_lost += r->accents_lost;
  t->expiry_right += r->expiry_right;
  t->unsure += r->verdict == ER_ID_READ_UNSURE || r->verdict == ER_ID_READ_NO_NAME;
  t->sure_wrong += r->sure && !r->name_exact;
  t->region_right += r->name_exact && r->region_right;
  t->lines_have_name += r->lines_have_name;
  if (r->verdict <= ER_ID_READ_DIFFERS)
    t->verdicts[r->verdict]++;
}

static char *
rate (guint part, guint whole)
{
  return whole > 0 ? g_strdup_printf ("%.1f %% (%u/%u)", 100.0 * part / whole, part, whole)
                   : g_strdup ("—");
}

static void
rate_row (const char *figure, const char *goal, guint part, guint whole, double goal_min)
{
  g_autofree char *m = rate (part, whole);
  const char *verdict = goal_min < 0 || whole == 0 ? "" : 100.0 * part / whole >= goal_min ? "met" : "MISSED";

  row (figure, goal, m, verdict);
}

int
main (int    argc,
      char **argv)
{
  gboolean quick = FALSE, verbose = FALSE, show_lines = FALSE;
  int n_documents = 0, n_big = -1, target = -1, first_seed = 1, n_misreads = 12, only = 0;
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Six documents and one 12 MP photo (smoke test)", NULL },
    { "documents", 0, 0, G_OPTION_ARG_INT, &n_documents, "Documents read for the rates (default 200)", "N" },
    { "big", 0, 0, G_OPTION_ARG_INT, &n_big, "12 MP photos for the time (default 4)", "N" },
    { "target", 0, 0, G_OPTION_ARG_INT, &target,
      "Decode for this long side, then er_id_read_photo (default: as the app, er_id_read_image_async; 0: full size)",
      "PX" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &first_seed, "First document's seed (default 1)", "N" },
    { "misreads", 0, 0, G_OPTION_ARG_INT, &n_misreads, "Misreads shown (default 12)", "N" },
    { "only", 0, 0, G_OPTION_ARG_INT, &only, "Read document N of the corpus alone (1 for the first)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "One line per document", NULL },
    { "lines", 0, 0, G_OPTION_ARG_NONE, &show_lines,
      "Read each photo again to show Tesseract's lines for the misreads (twice as long)", NULL },
    { NULL }
  };
  /* Photo sizes as learners send them: webcams, phones at reduced and
   * full resolution, landscape and portrait. */
  static const int sizes[][2] = {
    { 1920, 1080 }, { 2048, 1536 }, { 2592, 1944 }, { 3264, 2448 }, { 1944, 2592 }, { 1536, 2048 },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the accuracy of reading IDs");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  g_autoptr(GArray) read_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) decode_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) big_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = NULL;
  Tally clean = { 0 }, degraded = { 0 }, all = { 0 };
  Tally kinds[FAKE_ID_N_KINDS][2] = { { { 0 } } };  /* clean, degraded */
  guint comparisons = 0, false_same = 0, shown = 0;
  gint64 start;
  double drawing = 0;
  int n_total;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-ocr: %s\n", error->message);
      return 2;
    }
  if (n_documents <= 0)
    n_documents = quick ? 6 : 200;
  if (n_big < 0)
    n_big = quick ? 1 : 4;

  if (!er_id_read_available ())
    {
      printf ("This build does not read IDs (Tesseract or its French and English data missing): skipped.\n");
      return 77;
    }

  {
    g_autofree char *cpu = NULL;
    g_autofree char *model = NULL;
    char *line;

    if (g_file_get_contents ("/proc/cpuinfo", &cpu, NULL, NULL) && (line = strstr (cpu, "model name")) != NULL &&
        (line = strchr (line, ':')) != NULL)
      model = g_strstrip (g_strndup (line + 1, strcspn (line + 1, "\n")));
    printf ("Machine: %u cores, %s\n", g_get_num_processors (), model != NULL ? model : "?");
  }
  printf ("Corpus: %d documents (half clean, half degraded; cards, one-field cards and passports in turn)"
          " and %d 12 MP photos, seeds from %d.\n", n_documents, n_big, first_seed);
  if (target < 0)
    printf ("Read as the app reads: er_id_read_image_async (decoded for a long side of about %d px).\n",
            ER_ID_READ_LONG_SIDE);
  else
    printf ("Decoded for a long side of %d px%s (er_photo_image_decode), then er_id_read_photo.\n", target,
            target == 0 ? " (full size)" : "");
  if (g_getenv ("ER_OCR_PSM") != NULL)
    printf ("Tesseract's page segmentation mode: ER_OCR_PSM=%s.\n", g_getenv ("ER_OCR_PSM"));
  printf ("\n");
  fflush (stdout);

  rand = g_rand_new_with_seed (first_seed);
  n_total = n_documents + n_big;
  start = g_get_monotonic_time ();
  for (int i = 0; i < n_total; i++)
    {
      gboolean big = i >= n_documents;
      guint seed = first_seed + i;
      FakeIdSpec spec;
      Result *r;
      int size = g_rand_int_range (rand, 0, G_N_ELEMENTS (sizes));

      if (only > 0 && i + 1 != only)
        continue;

      if (big)
        {
          /* A phone's photo: 12 MP JPEG, its sensor's grain. */
          fake_id_spec_init_clean (&spec, i % FAKE_ID_N_KINDS, seed, FAKE_ID_MAX_LONG_SIDE, FAKE_ID_MAX_SHORT_SIDE);
          spec.format = FAKE_ID_JPEG;
          spec.jpeg_quality = 90;
          spec.noise = 3;
        }
      else
        {
          fake_id_spec_init_clean (&spec, i % FAKE_ID_N_KINDS, seed, sizes[size][0], sizes[size][1]);
          if (quick)
            spec.width = 1600, spec.height = 1200;
          /* Clean and degraded in turn, so that each kind has both. */
          if ((i / FAKE_ID_N_KINDS) % 2 == 1)
            fake_id_spec_degrade (&spec, seed);
        }

      r = run_one (i + 1, &spec, big, target, show_lines);
      drawing += r->draw_s;
      g_ptr_array_add (results, r);

      if (r->error == NULL)
        {
          comparisons += r->n_others;
          false_same += r->false_same;
        }
      if (big)
        {
          double both = r->decode_s + r->read_s;

          g_array_append_val (big_times, both);
        }
      else
        {
          tally (r->truth->degraded ? &degraded : &clean, r);
          tally (&kinds[r->truth->kind][r->truth->degraded], r);
          tally (&all, r);
          if (r->error == NULL)
            {
              g_array_append_val (read_times, r->read_s);
              if (target >= 0)
                g_array_append_val (decode_times, r->decode_s);
            }
        }
      if (verbose || big || r->false_same > 0 || r->error != NULL)
        print_result_line (r);
      else if ((i + 1) % 20 == 0)
        printf ("  %d/%d documents read\n", i + 1, n_documents);
      fflush (stdout);
    }

  printf ("\nMisreads (not exact, or a false \"same name\"), first %d:\n", n_misreads);
  for (guint i = 0; i < results->len && shown < (guint) n_misreads; i++)
    {
      Result *r = results->pdata[i];

      if (r->error == NULL && r->name_exact && r->expiry_right && r->false_same == 0)
        continue;
      print_misread (r);
      shown++;
    }
  if (shown == 0)
    printf ("  none\n");

  printf ("\n");
  row ("Figure", "Goal", "Measured", "");
  printf ("|------------------------------------------------------|-----------|------------------------|--------|\n");
  rate_row ("Exact reads, clean (name with accents, and expiry)", "≥ 95 %", clean.exact, clean.n, 95);
  rate_row ("Exact reads, degraded", "≥ 85 %", degraded.exact, degraded.n, 85);
  rate_row ("  name exact, clean", "—", clean.name_exact, clean.n, -1);
  rate_row ("  name exact, degraded", "—", degraded.name_exact, degraded.n, -1);
  rate_row ("  name right but for its accents, clean", "—", clean.accents_lost, clean.n, -1);
  rate_row ("  name right but for its accents, degraded", "—", degraded.accents_lost, degraded.n, -1);
  rate_row ("  expiry date right, clean", "—", clean.expiry_right, clean.n, -1);
  rate_row ("  expiry date right, degraded", "—", degraded.expiry_right, degraded.n, -1);
  for (int kind = 0; kind < FAKE_ID_N_KINDS; kind++)
    for (int d = 0; d < 2; d++)
      {
        g_autofree char *what = g_strdup_printf ("  exact, %s, %s", d ? "degraded" : "clean", kind_name (kind));

        rate_row (what, "—", kinds[kind][d].exact, kinds[kind][d].n, -1);
      }
  if (show_lines)
    {
      rate_row ("  printed name among Tesseract's lines, clean", "—", clean.lines_have_name, clean.n, -1);
      rate_row ("  printed name among Tesseract's lines, degraded", "—", degraded.lines_have_name, degraded.n, -1);
    }
  rate_row ("Unsure or no name (own name), clean", "—", clean.unsure, clean.n, -1);
  rate_row ("Unsure or no name (own name), degraded", "—", degraded.unsure, degraded.n, -1);
  rate_row ("Said sure, name not exact (all)", "—", all.sure_wrong, all.n, -1);
  rate_row ("Name region found, of the exact names (IoU ≥ 0.3)", "—", all.region_right, all.name_exact, -1);
  {
    g_autofree char *m = g_strdup_printf ("%u of %u", false_same, comparisons);

    row ("False \"same name\" for another name", "0", m, false_same == 0 ? "met" : "MISSED");
  }
  {
    g_autofree char *m = g_strdup_printf ("%.2f s", percentile (read_times, 50));
    g_autofree char *p = g_strdup_printf ("%.2f s", percentile (read_times, 95));
    g_autofree char *d = g_strdup_printf ("%.3f s", percentile (decode_times, 50));

    row (target < 0 ? "Decode + read per photo, median" : "Read per photo (er_id_read_photo), median", "—", m, "");
    row (target < 0 ? "Decode + read per photo, p95" : "Read per photo, p95", "—", p, "");
    if (target >= 0)
      row ("Decode per photo, median", "—", d, "");
  }
  if (big_times->len > 0)
    {
      g_autofree char *m = g_strdup_printf ("%.2f s", percentile (big_times, 50));
      g_autofree char *x = g_strdup_printf ("%.2f s", percentile (big_times, 100));

      row ("12 MP photo: decode + read, median", "≤ 1 s", m, percentile (big_times, 50) <= 1 ? "met" : "MISSED");
      row ("12 MP photo: decode + read, slowest", "≤ 1 s", x, percentile (big_times, 100) <= 1 ? "met" : "MISSED");
    }
  printf ("\nVerdicts for the learner's own name: clean %u same, %u close, %u differs, %u unsure, %u no name;"
          " degraded %u same, %u close, %u differs, %u unsure, %u no name. Failures: %u.\n",
          clean.verdicts[ER_ID_READ_SAME], clean.verdicts[ER_ID_READ_CLOSE], clean.verdicts[ER_ID_READ_DIFFERS],
          clean.verdicts[ER_ID_READ_UNSURE], clean.verdicts[ER_ID_READ_NO_NAME],
          degraded.verdicts[ER_ID_READ_SAME], degraded.verdicts[ER_ID_READ_CLOSE],
          degraded.verdicts[ER_ID_READ_DIFFERS], degraded.verdicts[ER_ID_READ_UNSURE],
          degraded.verdicts[ER_ID_READ_NO_NAME], all.failed);
  printf ("An exact read is er_id_read_get_compare_name equal to the printed name (accents included) and the"
          "\nexpiry date right. Drawing the corpus took %.0f s, the whole run %.0f s. Nothing here is asserted.\n",
          drawing, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
