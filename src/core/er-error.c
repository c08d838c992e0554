/* er-error.c: the error domain shared by the core layer. */

#include "config.h"

#include "er-error.h"

G_DEFINE_QUARK (er-error-quark, er_error)

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
