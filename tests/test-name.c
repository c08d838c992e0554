/* test-name.c: exact-name checks between the account and the ID. */
#include "er-name.h"

static void
test_same (void)
{
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Marie-Ève Tremblay"), ==, ER_NAME_SAME);
  /* Composed and decomposed é are the same letter. */
  g_assert_cmpint (er_name_compare ("Ch\xc3\xa9" "rie", "Che\xcc\x81rie"), ==, ER_NAME_SAME);
}

static void
test_differences (void)
{
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "MARIE-ÈVE TREMBLAY"), ==, ER_NAME_CASE);
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Marie-Eve Tremblay"), ==, ER_NAME_ACCENTS);
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Marie Ève Tremblay"), ==, ER_NAME_HYPHENS);
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Marie-Ève  Tremblay "), ==, ER_NAME_SPACING);
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Tremblay Marie-Ève"), ==, ER_NAME_ORDER);
  g_assert_cmpint (er_name_compare ("François Côté", "COTE FRANCOIS"), ==,
                   ER_NAME_ORDER | ER_NAME_CASE | ER_NAME_ACCENTS);
  g_assert_cmpint (er_name_compare ("Émilie Gagnon-Bérubé", "Emilie Gagnon Berube"), ==,
                   ER_NAME_ACCENTS | ER_NAME_HYPHENS);
}

static void
test_other_name (void)
{
  g_assert_cmpint (er_name_compare ("Marie-Ève Tremblay", "Marie Tremblay"), ==, ER_NAME_LETTERS);
  g_assert_cmpint (er_name_compare ("Zoé Pelletier", "Zoë Peltier"), ==, ER_NAME_LETTERS);
  g_assert_cmpint (er_name_compare ("Zoé Pelletier", ""), ==, ER_NAME_LETTERS);
  g_assert_cmpint (er_name_compare ("Zoé Pelletier", "Zo\xff"), ==, ER_NAME_LETTERS);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/name/same", test_same);
  g_test_add_func ("/name/differences", test_differences);
  g_test_add_func ("/name/other-name", test_other_name);

  return g_test_run ();
}
