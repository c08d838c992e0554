/* er-format.c: how cases and times read to the agent. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-format.h"

/* How long ago since is: whole minutes, hours and days (never negative). */
static void
age_parts (GDateTime *since,
           GDateTime *now,
           gint64    *minutes,
           gint64    *hours,
           gint64    *days)
{
  *minutes = MAX (g_date_time_difference (now, since), 0) / G_TIME_SPAN_MINUTE;
  *hours = *minutes / 60;
  *days = *hours / 24;
}

char *
er_format_age (GDateTime *since,
               GDateTime *now)
{
  gint64 minutes, hours, days;

  age_parts (since, now, &minutes, &hours, &days);
  if (minutes < 1)
    return g_strdup (_("now"));
  if (hours < 1)
    return g_strdup_printf (_("%d min"), (int) minutes);
  if (days < 2)
    return g_strdup_printf (_("%d h"), (int) hours);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) days),
                          (int) days);
}

char *
er_format_age_words (GDateTime *since,
                     GDateTime *now)
{
  gint64 minutes, hours, days;

  age_parts (since, now, &minutes, &hours, &days);
  if (minutes < 1)
    return g_strdup (_("less than a minute"));
  if (hours < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                            (int) minutes);
  if (days < 2)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) hours),
                            (int) hours);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) days),
                          (int) days);
}

char *
er_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: a date and time, see g_date_time_format(); e.g. "26 November 2026, 10:04" */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

/* Whole local calendar days from now's date to when's (negative: before). */
static int
days_between (GDateTime *now,
              GDateTime *when)
{
  g_autoptr(GDate) a = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                       g_date_time_get_month (now),
                                       g_date_time_get_year (now));
  g_autoptr(GDate) b = g_date_new_dmy (g_date_time_get_day_of_month (when),
                                       g_date_time_get_month (when),
                                       g_date_time_get_year (when));

  return g_date_days_between (a, b);
}

char *
er_format_due (GDateTime *due,
               GDateTime *now)
{
  g_autoptr(GDateTime) local_due = g_date_time_to_local (due);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  int days = days_between (local_now, local_due);
  /* Translators: a time of day, see g_date_time_format(); e.g. "10:04" */
  g_autofree char *time = g_date_time_format (local_due, _("%H:%M"));
  g_autofree char *day = NULL;

  if (g_date_time_compare (due, now) <= 0)
    {
      if (days == 0)
        /* Translators: %s is a time of day, e.g. "overdue since 09:00" */
        return g_strdup_printf (_("overdue since %s"), time);
      if (days == -1)
        return g_strdup_printf (_("overdue since yesterday at %s"), time);
      /* Translators: a weekday, or a day and month, see g_date_time_format() */
      day = g_date_time_format (local_due, days > -7 ? _("%A") : _("%-d %B"));
      /* Translators: "overdue since Tuesday at 14:00" */
      return g_strdup_printf (_("overdue since %s at %s"), day, time);
    }
  if (days == 0)
    return g_strdup_printf (_("due today at %s"), time);
  if (days == 1)
    return g_strdup_printf (_("due tomorrow at %s"), time);
  day = g_date_time_format (local_due, days < 7 ? _("%A") : _("%-d %B"));
  /* Translators: "due Tuesday at 14:00", "due 3 December at 14:00" */
  return g_strdup_printf (_("due %s at %s"), day, time);
}

/* spoken: as a screen reader reads it ("E-mail, invoice …"). */
static char *
format_source (ErCase   *kase,
               gboolean  spoken)
{
  const char *invoice = er_case_get_invoice_number (kase);

  if (er_case_get_source (kase) != ER_CASE_SOURCE_EMAIL)
    return g_strdup (_("Webcam"));
  if (invoice == NULL)
    return g_strdup (_("E-mail"));
  if (spoken)
    /* Translators: where a case comes from, as a screen reader reads it */
    return g_strdup_printf (_("E-mail, invoice %s"), invoice);
  return g_strdup_printf (_("E-mail · %s"), invoice);
}

char *
er_format_source (ErCase *kase)
{
  return format_source (kase, FALSE);
}

char *
er_format_source_words (ErCase *kase)
{
  return format_source (kase, TRUE);
}

char *
er_format_reasons (const ErReasons *reasons)
{
  g_autoptr(GPtrArray) sentences = g_ptr_array_new ();

  for (guint group = 0; group < ER_N_REASON_GROUPS; group++)
    {
      const char * const *list = er_reasons_get (reasons, group);

      for (guint i = 0; list[i] != NULL; i++)
        {
          const ErReasonInfo *info = er_reason_lookup (list[i]);
          const char *text = info != NULL ? _(info->learner_text) : list[i];

          if (!g_ptr_array_find_with_equal_func (sentences, text, g_str_equal, NULL))
            g_ptr_array_add (sentences, (gpointer) text);
        }
    }
  g_ptr_array_add (sentences, NULL);
  return g_strjoinv ("; ", (char **) sentences->pdata);
}
