/* test-age.c: weekday-hours against the 24–48 h promise. */
#include "er-age.h"

static GTimeZone *tz;

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
check (int y1, int m1, int d1, int h1, int y2, int m2, int d2, int h2,
       double hours, ErAgeLevel level)
{
  g_autoptr(GDateTime) since = at (y1, m1, d1, h1, 0);
  g_autoptr(GDateTime) now = at (y2, m2, d2, h2, 0);

  g_assert_cmpfloat_with_epsilon (er_age_weekday_span (since, now, tz) / (double) G_TIME_SPAN_HOUR,
                                  hours, 0.001);
  g_assert_cmpint (er_age_level (since, now, tz), ==, level);
}

static void
test_weekdays (void)
{
  /* 2026-11-23 is a Monday. */
  check (2026, 11, 23, 9, 2026, 11, 23, 17, 8, ER_AGE_NORMAL);
  check (2026, 11, 23, 9, 2026, 11, 24, 9, 24, ER_AGE_NORMAL);
  check (2026, 11, 23, 9, 2026, 11, 24, 10, 25, ER_AGE_DUE_SOON);
  check (2026, 11, 23, 9, 2026, 11, 25, 10, 49, ER_AGE_OVERDUE);
}

static void
check_due (int y1, int m1, int d1, int h1, int hours,
           int y2, int m2, int d2, int h2)
{
  g_autoptr(GDateTime) since = at (y1, m1, d1, h1, 0);
  g_autoptr(GDateTime) expected = at (y2, m2, d2, h2, 0);
  g_autoptr(GDateTime) due = er_age_due_at (since, hours * G_TIME_SPAN_HOUR, tz);
  g_autofree char *text = g_date_time_format_iso8601 (due);

  g_test_message ("due %s", text);
  g_assert_true (g_date_time_equal (due, expected));
  /* The inverse of er_age_weekday_span. */
  g_assert_cmpint (er_age_weekday_span (since, due, tz), ==, hours * G_TIME_SPAN_HOUR);
}

/* When the promise runs out: 48 weekday hours after submission. */
static void
test_due (void)
{
  /* Monday 09:00 → Wednesday 09:00. */
  check_due (2026, 11, 23, 9, 48, 2026, 11, 25, 9);
  /* Thursday 14:00 → Friday: 10 h Thursday, 24 h Friday, 14 h Monday. */
  check_due (2026, 11, 26, 14, 48, 2026, 11, 30, 14);
  /* Saturday 10:00: nothing counts before Monday 00:00 → Tuesday 24:00. */
  check_due (2026, 11, 28, 10, 48, 2026, 12, 2, 0);
  /* Friday 23:00 → 1 h Friday, Monday, 23 h Tuesday. */
  check_due (2026, 11, 27, 23, 48, 2026, 12, 1, 23);
  /* 24 h from Friday 12:00 → Monday 12:00. */
  check_due (2026, 11, 27, 12, 24, 2026, 11, 30, 12);
}

static void
test_weekend (void)
{
  /* Friday 18:00 → Monday 10:00: 6 h on Friday, 10 h on Monday. */
  check (2026, 11, 27, 18, 2026, 11, 30, 10, 16, ER_AGE_NORMAL);
  /* Thursday 09:00 → Saturday noon: 15 + 24 h. */
  check (2026, 11, 26, 9, 2026, 11, 28, 12, 39, ER_AGE_DUE_SOON);
  /* Saturday → Sunday: nothing counts. */
  check (2026, 11, 28, 1, 2026, 11, 29, 23, 0, ER_AGE_NORMAL);
  /* Friday 09:00 → next Tuesday 09:00: 15 + 24 + 9 h. */
  check (2026, 11, 27, 9, 2026, 12, 1, 9, 48, ER_AGE_DUE_SOON);
  check (2026, 11, 27, 9, 2026, 12, 1, 10, 49, ER_AGE_OVERDUE);
}

static void
test_edges (void)
{
  /* The future and the same instant are no wait at all. */
  check (2026, 11, 24, 9, 2026, 11, 23, 9, 0, ER_AGE_NORMAL);
  check (2026, 11, 24, 9, 2026, 11, 24, 9, 0, ER_AGE_NORMAL);
  /* Across the end of daylight saving time (Sunday 2026-11-01): Friday
   * 12:00 → Monday 12:00 counts 12 + 12 h. */
  check (2026, 10, 30, 12, 2026, 11, 2, 12, 24, ER_AGE_NORMAL);
  /* A year is bounded and counts 5 days in 7. */
  {
    g_autoptr(GDateTime) since = at (2025, 11, 24, 0, 0);
    g_autoptr(GDateTime) now = at (2026, 11, 23, 0, 0);
    g_assert_cmpint (er_age_weekday_span (since, now, tz) / G_TIME_SPAN_DAY, ==, 52 * 5);
  }
}

static void
test_default_zone (void)
{
  g_autoptr(GDateTime) since = g_date_time_new_utc (2026, 11, 23, 14, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 23, 20, 0, 0);

  /* Monday afternoon in Québec: all six hours count. */
  g_assert_cmpint (er_age_weekday_span (since, now, NULL), ==, 6 * G_TIME_SPAN_HOUR);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tz = g_time_zone_new_identifier ("America/Toronto");
  if (tz == NULL)
    tz = g_time_zone_new_utc ();

  g_test_add_func ("/age/weekdays", test_weekdays);
  g_test_add_func ("/age/weekend", test_weekend);
  g_test_add_func ("/age/due", test_due);
  g_test_add_func ("/age/edges", test_edges);
  g_test_add_func ("/age/default-zone", test_default_zone);

  return g_test_run ();
}
