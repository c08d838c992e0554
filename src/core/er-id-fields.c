/* er-id-fields.c: the name and the expiry date printed on an ID.
 * (Being written: see er-id-fields.h for what it does.) */
#include "config.h"

#include "er-id-fields.h"

ErIdFields *
er_id_fields_find (GPtrArray *lines)
{
  ErIdFields *fields = g_new0 (ErIdFields, 1);

  g_date_clear (&fields->expiry, 1);
  return fields;
}

void
er_id_fields_free (ErIdFields *fields)
{
  if (fields == NULL)
    return;
  g_free (fields->surname);
  g_free (fields->given_names);
  g_free (fields->name);
  g_free (fields);
}

gboolean
er_id_parse_date (const char *text,
                  GDate      *date)
{
  return FALSE;
}
