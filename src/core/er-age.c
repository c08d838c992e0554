/* er-age.c: how long a case has waited, counted on weekdays. */
#include "er-age.h"

#define MAX_DAYS (10 * 366)  /* a bound for absurd dates */

static GTimeZone *
quebec_time (void)
{
  static gsize once;
  static GTimeZone *tz;

  if (g_once_init_enter (&once))
    {
      tz = g_time_zone_new_identifier ("America/Toronto");
      if (tz == NULL)
        tz = g_time_zone_new_local ();
      g_once_init_leave (&once, 1);
    }
  return tz;
}

GTimeSpan
er_age_weekday_span (GDateTime *since,
                     GDateTime *now,
                     GTimeZone *tz)
{
  g_autoptr(GDateTime) cursor = NULL;
  GTimeSpan total = 0;

  g_return_val_if_fail (since != NULL && now != NULL, 0);

  if (tz == NULL)
    tz = quebec_time ();
  if (g_date_time_compare (now, since) <= 0)
    return 0;

  cursor = g_date_time_to_timezone (since, tz);
  for (guint day = 0; day < MAX_DAYS && g_date_time_compare (cursor, now) < 0; day++)
    {
      g_autoptr(GDateTime) next_day = g_date_time_add_days (cursor, 1);
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (next_day),
                                                       g_date_time_get_month (next_day),
                                                       g_date_time_get_day_of_month (next_day),
                                                       0, 0, 0);
      GDateTime *end = g_date_time_compare (midnight, now) < 0 ? midnight : now;

      if (g_date_time_get_day_of_week (cursor) <= 5)
        total += g_date_time_difference (end, cursor);

      g_date_time_unref (cursor);
      cursor = g_date_time_to_timezone (end, tz);
    }
  return total;
}

ErAgeLevel
er_age_level (GDateTime *since,
              GDateTime *now,
              GTimeZone *tz)
{
  GTimeSpan span = er_age_weekday_span (since, now, tz);

  if (span > 48 * G_TIME_SPAN_HOUR)
    return ER_AGE_OVERDUE;
  if (span > 24 * G_TIME_SPAN_HOUR)
    return ER_AGE_DUE_SOON;
  return ER_AGE_NORMAL;
}

GDateTime *
er_age_due_at (GDateTime *since,
               GTimeSpan  span,
               GTimeZone *tz)
{
  g_autoptr(GDateTime) cursor = NULL;
  GTimeSpan left = MAX (span, 0);

  g_return_val_if_fail (since != NULL, NULL);

  if (tz == NULL)
    tz = quebec_time ();
  cursor = g_date_time_to_timezone (since, tz);
  for (guint day = 0; day < MAX_DAYS; day++)
    {
      g_autoptr(GDateTime) next_day = g_date_time_add_days (cursor, 1);
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (next_day),
                                                       g_date_time_get_month (next_day),
                                                       g_date_time_get_day_of_month (next_day),
                                                       0, 0, 0);

      if (g_date_time_get_day_of_week (cursor) <= 5)
        {
          GTimeSpan today = g_date_time_difference (midnight, cursor);

          if (left <= today)
            return g_date_time_add (cursor, left);
          left -= today;
        }
      g_date_time_unref (cursor);
      cursor = g_steal_pointer (&midnight);
    }
  return g_steal_pointer (&cursor);
}
