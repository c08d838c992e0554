/* er-format.c: how cases and times read to the agent. */
#include "config.h"

#include <glib/gi18n.h>

#include "er-format.h"

char *
er_format_age (GDateTime *since,
               GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, since);
  gint64 minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

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
  GTimeSpan span = g_date_time_difference (now, since);
  gint64 minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

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

char *
er_format_source (ErCase *kase)
{
  const char *invoice = er_case_get_invoice_number (kase);

  if (er_case_get_source (kase) == ER_CASE_SOURCE_EMAIL)
    {
      if (invoice != NULL)
        return g_strdup_printf (_("E-mail · %s"), invoice);
      return g_strdup (_("E-mail"));
    }
  return g_strdup (_("Webcam"));
}

char *
er_format_source_words (ErCase *kase)
{
  const char *invoice = er_case_get_invoice_number (kase);

  if (er_case_get_source (kase) == ER_CASE_SOURCE_EMAIL)
    {
      if (invoice != NULL)
        /* Translators: where a case comes from, as a screen reader reads it */
        return g_strdup_printf (_("E-mail, invoice %s"), invoice);
      return g_strdup (_("E-mail"));
    }
  return g_strdup (_("Webcam"));
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
