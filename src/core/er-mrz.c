/* er-mrz.c: the machine-readable zone of a passport or ID card.
 * (Being written: see er-mrz.h for what it does.) */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "er-mrz.h"

int
er_mrz_check_digit (const char *s,
                    gssize      length)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  if (length < 0)
    length = strlen (s);
  for (gssize i = 0; i < length; i++)
    {
      char c = s[i];
      int v = 0;

      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (c >= 'A' && c <= 'Z')
        v = c - 'A' + 10;
      sum += v * weights[i % 3];
    }
  return sum % 10;
}

ErMrz *
er_mrz_find (const char * const *lines,
             guint               n_lines,
             GError            **error)
{
  return NULL;
}

void
er_mrz_free (ErMrz *mrz)
{
  if (mrz == NULL)
    return;
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->surname);
  g_free (mrz->given_names);
  g_free (mrz->document_number);
  g_free (mrz->nationality);
  g_free (mrz);
}
