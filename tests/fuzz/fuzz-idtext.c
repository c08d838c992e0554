/* fuzz-idtext.c: the text an OCR read on an ID, as the reader takes it.
 *
 * Input: text, one line per '\n' (at most 64 lines; made valid UTF-8, as
 * Tesseract gives it). Each line is given at a box of its own, in a
 * 1000 × 630 photo, with a confidence taken from its length. Then:
 *   - er_mrz_find() on the lines (check digits, fillers, dates);
 *   - er_id_read_new_from_lines(): the labelled fields, the MRZ, the name
 *     and expiry chosen, compared with an account name and described;
 *   - er_id_parse_date() on each line.
 * None of these may crash, leak or call a critical (fuzz-common.c makes
 * criticals abort), whatever the text.
 */
#include "fuzz-common.h"

#include "er-id-fields.h"
#include "er-id-line.h"
#include "er-id-read.h"
#include "er-mrz.h"

#define MAX_LINES 64

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) split = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GDateTime) submitted = g_date_time_new_utc (2026, 6, 1, 12, 0, 0);
  guint n;

  fuzz_init ();

  text = g_utf8_make_valid ((const char *) data, size);
  split = g_strsplit (text, "\n", MAX_LINES);
  n = g_strv_length (split);
  for (guint i = 0; i < n; i++)
    {
      GDate date;

      g_ptr_array_add (lines, er_id_line_new (split[i], 40.0f + (strlen (split[i]) % 60),
                                              20, 10 + 9 * (int) i, 900, 8));
      g_date_clear (&date, 1);
      if (er_id_parse_date (split[i], &date))
        g_assert_true (g_date_valid (&date));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ErMrz) mrz = er_mrz_find ((const char * const *) split, n, &error);

    g_assert_true (mrz == NULL || error == NULL);
    if (mrz != NULL)
      g_assert_cmpuint (mrz->first_line + mrz->n_lines, <=, n);
  }

  {
    g_autoptr(ErIdRead) read = er_id_read_new_from_lines (lines, 1000, 630);
    g_autofree char *describe = NULL;
    g_autofree char *expiry = NULL;
    graphene_rect_t region;

    describe = er_id_read_describe (read, "François Côté");
    g_assert_nonnull (describe);
    g_assert_true (g_utf8_validate (describe, -1, NULL));
    expiry = er_id_read_describe_expiry (read, submitted);
    fuzz_touch (expiry);
    fuzz_touch (er_id_read_get_compare_name (read));
    er_id_read_compare (read, "Marie-Ève De La Fontaine");
    if (er_id_read_get_name_region (read, &region))
      g_assert_true (region.size.width >= 0 && region.size.height >= 0);
  }

  return 0;
}
