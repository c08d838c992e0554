/* er-error.c: the error domain shared by the core layer. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-error.h"

G_DEFINE_QUARK (er-error-quark, er_error)

#define MIB (1024 * 1024)

char *
er_format_size_limit (guint64 bytes)
{
  /* One figure for a limit in every message: g_format_size () would say
   * "26.2 MB" for 25 MiB where other messages say 25. A file refused is
   * over the figure in either unit. */
  if (bytes >= MIB && bytes % MIB == 0)
    /* TRANSLATORS: a size limit in megabytes, e.g. "25 MB". */
    return g_strdup_printf (_("%u MB"), (guint) (bytes / MIB));

  return g_format_size (bytes);
}

gboolean
er_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != ER_ERROR)
    return FALSE;

  switch ((ErError) error->code)
    {
    case ER_ERROR_NETWORK:
    case ER_ERROR_SERVER:
    case ER_ERROR_RATE_LIMITED:
      return TRUE;

    default:
      return FALSE;
    }
}
