/* test-fake-ids.c: the synthetic ID corpus of the OCR benchmark
 * (fake-ids.c): photos of the size asked, the same bytes for the same
 * spec, a ground truth that says what is printed, passports' MRZ with
 * every check digit right, and "other names" that are really other names.
 * Everything is decoded in memory; nothing is written anywhere.
 */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>

#include "er-mrz.h"
#include "er-name.h"
#include "fake-ids.h"

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  g_assert_true (gdk_pixbuf_loader_write (loader, data, size, &error));
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static gboolean
is_png (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return size > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static gboolean
is_jpeg (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return size > 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

/* The ICAO 9303 check digit, written again here so that the generator's
 * use of er_mrz_check_digit is checked against something else. */
static char
check_digit (const char *s, gsize length)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  for (gsize i = 0; i < length; i++)
    {
      int v = g_ascii_isdigit (s[i]) ? s[i] - '0' : g_ascii_isupper (s[i]) ? s[i] - 'A' + 10 : 0;

      sum += v * weights[i % 3];
    }
  return '0' + sum % 10;
}

/* Every font the documents are printed in is installed (fonts-dejavu-core,
 * fonts-urw-base35): otherwise Pango would fall back silently and the
 * corpus would not be what it says. */
static void
test_fonts (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoFontFamily **families = NULL;
  int n_families = 0;
  const char * const mono[] = { "DejaVu Sans Mono", "Nimbus Mono PS" };
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  for (const char * const *f = fake_id_fonts (); *f != NULL; f++)
    g_ptr_array_add (wanted, (gpointer) *f);
  for (guint i = 0; i < G_N_ELEMENTS (mono); i++)
    g_ptr_array_add (wanted, (gpointer) mono[i]);
  g_assert_cmpuint (wanted->len, >=, 5);

  pango_font_map_list_families (map, &families, &n_families);
  for (guint i = 0; i < wanted->len; i++)
    {
      gboolean found = FALSE;

      for (int k = 0; k < n_families && !found; k++)
        found = g_ascii_strcasecmp (pango_font_family_get_name (families[k]), wanted->pdata[i]) == 0;
      if (!found)
        g_test_message ("font family %s is missing (fonts-dejavu-core, fonts-urw-base35)",
                        (char *) wanted->pdata[i]);
      g_assert_true (found);
    }
  g_free (families);
}

/* Each kind, PNG and JPEG, landscape and portrait: the size asked. */
static void
test_sizes (void)
{
  const int sizes[][2] = { { 640, 480 }, { 480, 640 }, { 900, 500 } };

  for (int kind = 0; kind < FAKE_ID_N_KINDS; kind++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (int format = FAKE_ID_JPEG; format <= FAKE_ID_PNG; format++)
        {
          FakeIdSpec spec;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GdkPixbuf) pixbuf = NULL;

          fake_id_spec_init_clean (&spec, kind, 7 + s, sizes[s][0], sizes[s][1]);
          spec.format = format;
          bytes = fake_id_render (&spec, NULL);
          g_assert_nonnull (bytes);
          g_assert_true (format == FAKE_ID_PNG ? is_png (bytes) : is_jpeg (bytes));
          pixbuf = decode (bytes);
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[s][0]);
          g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sizes[s][1]);
        }
}

/* The largest photo, 12 megapixels, as a phone's JPEG. */
static void
test_twelve_megapixels (void)
{
  FakeIdSpec spec;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  gint64 start = g_get_monotonic_time ();

  fake_id_spec_init_clean (&spec, FAKE_ID_PASSPORT, 3, FAKE_ID_MAX_LONG_SIDE, FAKE_ID_MAX_SHORT_SIDE);
  spec.format = FAKE_ID_JPEG;
  spec.jpeg_quality = 90;
  spec.noise = 4;
  bytes = fake_id_render (&spec, NULL);
  g_assert_nonnull (bytes);
  g_test_message ("12 MP: %.1f MB, drawn in %.2f s", g_bytes_get_size (bytes) / 1e6,
                  (g_get_monotonic_time () - start) / 1e6);
  pixbuf = decode (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 4000);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 3000);
}

static void
assert_same_truth (const FakeIdTruth *a, const FakeIdTruth *b)
{
  g_assert_cmpstr (a->full_name, ==, b->full_name);
  g_assert_cmpstr (a->account_name, ==, b->account_name);
  g_assert_cmpstr (a->number, ==, b->number);
  g_assert_cmpint (g_date_compare (&a->expiry, &b->expiry), ==, 0);
  g_assert_cmpstr (a->mrz[0], ==, b->mrz[0]);
  g_assert_cmpstr (a->mrz[1], ==, b->mrz[1]);
  g_assert_cmpint (a->name_x, ==, b->name_x);
  g_assert_cmpint (a->name_y, ==, b->name_y);
  g_assert_cmpint (a->name_width, ==, b->name_width);
  g_assert_cmpint (a->name_height, ==, b->name_height);
}

/* The same spec gives the same bytes and truth; another seed, another
 * photo. */
static void
test_deterministic (void)
{
  for (int kind = 0; kind < FAKE_ID_N_KINDS; kind++)
    {
      FakeIdSpec spec, other;
      g_autoptr(FakeIdTruth) t1 = NULL;
      g_autoptr(FakeIdTruth) t2 = NULL;
      g_autoptr(FakeIdTruth) t3 = NULL;
      g_autoptr(GBytes) b1 = NULL;
      g_autoptr(GBytes) b2 = NULL;
      g_autoptr(GBytes) b3 = NULL;
      g_autoptr(GBytes) d1 = NULL;
      g_autoptr(GBytes) d2 = NULL;

      fake_id_spec_init_clean (&spec, kind, 42, 800, 600);
      b1 = fake_id_render (&spec, &t1);
      b2 = fake_id_render (&spec, &t2);
      g_assert_true (g_bytes_equal (b1, b2));
      assert_same_truth (t1, t2);

      fake_id_spec_init_clean (&other, kind, 43, 800, 600);
      other.format = spec.format;
      b3 = fake_id_render (&other, &t3);
      g_assert_false (g_bytes_equal (b1, b3));

      fake_id_spec_degrade (&spec, 99);
      other = spec;
      fake_id_spec_degrade (&other, 99);
      g_assert_cmpmem (&spec, sizeof spec, &other, sizeof other);
      d1 = fake_id_render (&spec, NULL);
      d2 = fake_id_render (&spec, NULL);
      g_assert_true (g_bytes_equal (d1, d2));
      g_assert_false (g_bytes_equal (d1, b1));
    }
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* What the truth says is what an account and an ID would hold, and the
 * names are the mix the benchmark needs. */
static void
test_truth (void)
{
  guint accents = 0, hyphens = 0, apostrophes = 0, particles = 0, long_names = 0, several = 0;
  guint kinds[FAKE_ID_N_KINDS] = { 0 };

  for (guint seed = 1; seed <= 600; seed++)
    {
      FakeIdSpec spec;
      g_autoptr(FakeIdTruth) truth = NULL;
      g_autofree char *upper = NULL;
      g_autofree char *joined = NULL;

      fake_id_spec_init_clean (&spec, seed % FAKE_ID_N_KINDS, seed, 1600, 1200);
      truth = fake_id_truth_new (&spec);
      kinds[truth->kind]++;
      g_assert_cmpint (truth->kind, ==, spec.kind);
      g_assert_false (truth->degraded);
      g_assert_true (g_utf8_validate (truth->account_name, -1, NULL));
      joined = g_strconcat (truth->given_names, " ", truth->surname, NULL);
      g_assert_cmpstr (truth->full_name, ==, joined);
      upper = g_utf8_strup (truth->account_name, -1);
      g_assert_cmpstr (truth->full_name, ==, upper);
      /* The account's name and the printed one are the same name. */
      g_assert_cmpint (er_name_difference_get_level (er_name_compare (truth->account_name, truth->full_name)),
                       ==, ER_NAME_MATCH);
      g_assert_true (g_date_valid (&truth->expiry));
      g_assert_true (g_date_valid (&truth->birth));
      g_assert_cmpint (g_date_get_year (&truth->expiry), >=, 2019);
      g_assert_cmpint (g_date_get_year (&truth->expiry), <=, 2036);
      g_assert_true (truth->sex == 'M' || truth->sex == 'F' || truth->sex == 'X');
      g_assert_nonnull (truth->number);
      g_assert_nonnull (truth->font);
      g_assert_true ((truth->mrz[0] != NULL) == (spec.kind == FAKE_ID_PASSPORT));

      accents += !is_ascii (truth->full_name);
      hyphens += strchr (truth->full_name, '-') != NULL;
      apostrophes += strchr (truth->full_name, '\'') != NULL;
      particles += g_str_has_prefix (truth->surname, "DE ") || g_str_has_prefix (truth->surname, "DU ") ||
                   g_str_has_prefix (truth->surname, "DES ") || g_str_has_prefix (truth->surname, "VAN ");
      long_names += g_utf8_strlen (truth->full_name, -1) > 36;
      several += strchr (truth->given_names, ' ') != NULL;
    }
  g_test_message ("600 people: %u with accents, %u hyphens, %u apostrophes, %u particles, %u long, "
                  "%u with several given names", accents, hyphens, apostrophes, particles, long_names, several);
  g_assert_cmpuint (accents, >, 200);
  g_assert_cmpuint (hyphens, >, 60);
  g_assert_cmpuint (apostrophes, >, 20);
  g_assert_cmpuint (particles, >, 20);
  g_assert_cmpuint (long_names, >, 20);
  g_assert_cmpuint (several, >, 100);
  for (int kind = 0; kind < FAKE_ID_N_KINDS; kind++)
    g_assert_cmpuint (kinds[kind], ==, 200);
}

/* The name's box says where the name is: its text is dark on a pale card,
 * and the photo around the document is the table. */
static void
test_name_box (void)
{
  for (guint seed = 1; seed <= 6; seed++)
    {
      FakeIdSpec spec;
      g_autoptr(FakeIdTruth) truth = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      const guchar *pixels;
      int stride, dark = 0, total = 0;

      fake_id_spec_init_clean (&spec, seed % FAKE_ID_N_KINDS, seed, 1000, 750);
      spec.format = FAKE_ID_PNG;
      /* Turned and tilted, not blurred or washed out: the box is where the
       * text is, and the text stays dark. */
      if (seed > 3)
        {
          fake_id_spec_degrade (&spec, seed);
          spec.blur = spec.glare = spec.noise = 0;
          spec.perspective = 0.1;
          spec.format = FAKE_ID_PNG;
        }
      bytes = fake_id_render (&spec, &truth);
      g_assert_true (truth->degraded == (seed > 3));
      g_assert_true (truth->degraded == fake_id_spec_is_degraded (&spec));
      g_assert_cmpint (truth->name_width, >, 40);
      g_assert_cmpint (truth->name_height, >, 8);
      g_assert_cmpint (truth->name_x + truth->name_width, <=, 1000);
      g_assert_cmpint (truth->name_y + truth->name_height, <=, 750);

      pixbuf = decode (bytes);
      pixels = gdk_pixbuf_get_pixels (pixbuf);
      stride = gdk_pixbuf_get_rowstride (pixbuf);
      for (int y = truth->name_y; y < truth->name_y + truth->name_height; y++)
        for (int x = truth->name_x; x < truth->name_x + truth->name_width; x++)
          {
            const guchar *p = pixels + (gsize) y * stride + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

            dark += p[0] + p[1] + p[2] < 3 * 90;
            total++;
          }
      g_test_message ("seed %u: name box %d×%d at (%d, %d), %.0f %% dark", seed, truth->name_width,
                      truth->name_height, truth->name_x, truth->name_y, 100.0 * dark / total);
      g_assert_cmpfloat ((double) dark / total, >, 0.04);
    }
}

/* The MRZ: two lines of 44, the name transliterated as ICAO says, the
 * dates of the truth, every check digit right. */
static void
test_mrz (void)
{
  /* ICAO 9303 part 4's specimen: er_mrz_check_digit agrees with it. */
  const char *specimen = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  char composite[64];

  g_assert_cmpint (er_mrz_check_digit ("L898902C3", -1), ==, 6);
  g_assert_cmpint (er_mrz_check_digit ("740812", -1), ==, 2);
  g_assert_cmpint (er_mrz_check_digit ("120415", -1), ==, 9);
  g_assert_cmpint (check_digit (specimen, 9), ==, specimen[9]);
  g_assert_cmpint (check_digit (specimen + 13, 6), ==, specimen[19]);
  g_assert_cmpint (check_digit (specimen + 21, 6), ==, specimen[27]);
  g_snprintf (composite, sizeof composite, "%.10s%.7s%.22s", specimen, specimen + 13, specimen + 21);
  g_assert_cmpint (check_digit (composite, strlen (composite)), ==, specimen[43]);

  for (guint seed = 1; seed <= 300; seed++)
    {
      FakeIdSpec spec;
      g_autoptr(FakeIdTruth) truth = NULL;
      g_autofree char *surname = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *birth = NULL;
      g_autofree char *expiry = NULL;
      const char *l1, *l2;
      GString *name = g_string_new (NULL);

      fake_id_spec_init_clean (&spec, FAKE_ID_PASSPORT, seed, 1600, 1200);
      truth = fake_id_truth_new (&spec);
      l1 = truth->mrz[0];
      l2 = truth->mrz[1];
      g_assert_nonnull (l1);
      g_assert_nonnull (l2);
      g_assert_null (truth->mrz[2]);
      g_assert_cmpuint (strlen (l1), ==, 44);
      g_assert_cmpuint (strlen (l2), ==, 44);
      g_assert_cmpuint (strspn (l1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ<"), ==, 44);
      g_assert_cmpuint (strspn (l2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"), ==, 44);
      g_assert_true (g_str_has_prefix (l1, "P<CAN"));

      /* The surname: no accent, no apostrophe, '<' for spaces and hyphens. */
      surname = g_str_to_ascii (truth->surname, "C");
      for (const char *p = surname; *p != '\0'; p++)
        if (g_ascii_isalpha (*p))
          g_string_append_c (name, *p);
        else if (*p == ' ' || *p == '-')
          g_string_append_c (name, '<');
      g_string_append (name, "<<");
      expected = g_string_free (name, FALSE);
      g_assert_true (g_str_has_prefix (l1 + 5, expected));

      g_assert_cmpint (check_digit (l2, 9), ==, l2[9]);
      g_assert_true (g_str_has_prefix (l2, truth->number));
      g_assert_cmpmem (l2 + 10, 3, "CAN", 3);
      birth = g_strdup_printf ("%02d%02d%02d", g_date_get_year (&truth->birth) % 100,
                               g_date_get_month (&truth->birth), g_date_get_day (&truth->birth));
      expiry = g_strdup_printf ("%02d%02d%02d", g_date_get_year (&truth->expiry) % 100,
                                g_date_get_month (&truth->expiry), g_date_get_day (&truth->expiry));
      g_assert_cmpmem (l2 + 13, 6, birth, 6);
      g_assert_cmpint (check_digit (l2 + 13, 6), ==, l2[19]);
      g_assert_cmpint (l2[20], ==, truth->sex == 'X' ? '<' : truth->sex);
      g_assert_cmpmem (l2 + 21, 6, expiry, 6);
      g_assert_cmpint (check_digit (l2 + 21, 6), ==, l2[27]);
      /* No personal number: its check digit is '<' or 0. */
      g_assert_true (l2[42] == '<' || l2[42] == '0');
      g_snprintf (composite, sizeof composite, "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
      g_assert_cmpint (check_digit (composite, strlen (composite)), ==, l2[43]);
    }
}

/* Other names are not the same name, by the app's own comparison, and the
 * three kinds all come up. */
static void
test_other_names (void)
{
  guint total = 0, with_three = 0;

  for (guint seed = 1; seed <= 300; seed++)
    {
      FakeIdSpec spec;
      g_autoptr(FakeIdTruth) truth = NULL;
      g_autoptr(GPtrArray) others = NULL;
      g_autoptr(GPtrArray) again = NULL;

      fake_id_spec_init_clean (&spec, seed % FAKE_ID_N_KINDS, seed, 1600, 1200);
      truth = fake_id_truth_new (&spec);
      others = fake_id_other_names (truth, seed);
      again = fake_id_other_names (truth, seed);
      g_assert_cmpuint (others->len, >=, 2);
      g_assert_cmpuint (others->len, ==, again->len);
      for (guint i = 0; i < others->len; i++)
        {
          const char *other = others->pdata[i];

          g_assert_cmpstr (other, ==, again->pdata[i]);
          g_assert_true (g_utf8_validate (other, -1, NULL));
          g_assert_cmpstr (other, !=, truth->account_name);
          g_assert_cmpint (er_name_difference_get_level (er_name_compare (other, truth->account_name)), ==,
                           ER_NAME_DIFFERENT);
          g_assert_cmpint (er_name_difference_get_level (er_name_compare (other, truth->full_name)), ==,
                           ER_NAME_DIFFERENT);
        }
      total += others->len;
      with_three += others->len == 3;
    }
  g_test_message ("300 people: %u other names, %u people with all three", total, with_three);
  g_assert_cmpuint (with_three, >, 80);
}

/* Degradations stay in their ranges; a clean spec has none. */
static void
test_degrade (void)
{
  guint blurred = 0, glared = 0, noisy = 0, tilted = 0;

  for (guint seed = 1; seed <= 200; seed++)
    {
      FakeIdSpec spec;

      fake_id_spec_init_clean (&spec, seed % FAKE_ID_N_KINDS, seed, 2000, 1500);
      g_assert_false (fake_id_spec_is_degraded (&spec));
      g_assert_cmpfloat (spec.fill, >=, 0.5);
      g_assert_cmpfloat (spec.fill, <=, 0.9);
      fake_id_spec_degrade (&spec, seed);
      g_assert_true (fake_id_spec_is_degraded (&spec));
      g_assert_cmpfloat (ABS (spec.rotation), <=, 10);
      g_assert_cmpint (spec.jpeg_quality, >=, 30);
      g_assert_cmpint (spec.jpeg_quality, <=, 95);
      g_assert_cmpint (spec.format, ==, FAKE_ID_JPEG);
      g_assert_cmpfloat (spec.perspective, <=, 0.2);
      g_assert_cmpfloat (spec.glare, <=, 1);
      blurred += spec.blur > 0;
      glared += spec.glare > 0;
      noisy += spec.noise > 0;
      tilted += spec.perspective > 0;
    }
  g_assert_cmpuint (blurred, >, 50);
  g_assert_cmpuint (glared, >, 50);
  g_assert_cmpuint (noisy, >, 50);
  g_assert_cmpuint (tilted, >, 50);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fake-ids/fonts", test_fonts);
  g_test_add_func ("/fake-ids/sizes", test_sizes);
  g_test_add_func ("/fake-ids/twelve-megapixels", test_twelve_megapixels);
  g_test_add_func ("/fake-ids/deterministic", test_deterministic);
  g_test_add_func ("/fake-ids/truth", test_truth);
  g_test_add_func ("/fake-ids/name-box", test_name_box);
  g_test_add_func ("/fake-ids/mrz", test_mrz);
  g_test_add_func ("/fake-ids/other-names", test_other_names);
  g_test_add_func ("/fake-ids/degrade", test_degrade);
  return g_test_run ();
}
