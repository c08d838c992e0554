/* er-credentials.c: the agent's token in the keyring (libsecret), per server. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "er-credentials.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "com.edulib.Reviewer.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
er_credentials_lookup_async (const char          *server,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, er_credentials_lookup_async);
  secret_password_lookup (token_schema (), cancellable, lookup_cb, task,
                          "server", server, NULL);
}

char *
er_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  char *secret;
  char *token;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_credentials_lookup_async, NULL);

  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret == NULL)
    return NULL;
  /* Hand out a plain string; wipe the keyring's copy. */
  token = g_strdup (secret);
  secret_password_free (secret);
  return token;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_message ("The token could not be saved in the keyring: %s", error->message);
}

void
er_credentials_store (const char *server,
                      const char *token)
{
  g_autofree char *label = g_strdup_printf (_("EDUlib Reviewer token for %s"), server);

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         NULL, store_cb, NULL, "server", server, NULL);
}

static void
forget_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_message ("The token could not be removed from the keyring: %s", error->message);
}

void
er_credentials_forget (const char *server)
{
  secret_password_clear (token_schema (), NULL, forget_cb, NULL, "server", server, NULL);
}
