/* er-sign-in.c: URL, key, token, key check, then a session (see the header). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "er-error.h"
#include "er-sign-in.h"

typedef struct {
  char         *key_file;
  char         *passphrase;
  ErClient     *client;
  ErPrivateKey *key;
  ErAgent      *agent;
  guint         pending;  /* requests under way */
  GError       *error;    /* the failure to report */
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_free (data->key_file);
  if (data->passphrase != NULL)
    {
      explicit_bzero (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_clear_object (&data->client);
  g_clear_pointer (&data->key, er_private_key_unref);
  g_clear_object (&data->agent);
  g_clear_error (&data->error);
  g_free (data);
}

gboolean
er_sign_in_check_key (ErPrivateKey  *key,
                      const char    *pem,
                      const char    *announced,
                      GError       **error)
{
  g_autoptr(ErPublicKey) platform_key = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *platform = NULL;
  g_autofree char *held = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *shown_held = NULL;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (pem != NULL, FALSE);

  platform_key = er_public_key_new_from_pem (pem, strlen (pem), &local_error);
  if (platform_key == NULL)
    {
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                   _("The platform's verification key could not be read (%s), so your key cannot be checked."),
                   local_error->message);
      return FALSE;
    }

  platform = er_public_key_get_fingerprint (platform_key);
  held = er_private_key_get_fingerprint (key);
  shown = er_fingerprint_format_short (platform);
  if (announced == NULL || g_ascii_strcasecmp (announced, platform) != 0)
    {
      g_debug ("The platform announces fingerprint %s for a key whose fingerprint is %s",
               announced != NULL ? announced : "(none)", platform);
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                   _("The platform's verification key (fingerprint %s) does not match the fingerprint the platform announces for it. Check that this is the right server."),
                   shown);
      return FALSE;
    }
  if (g_ascii_strcasecmp (platform, held) != 0)
    {
      shown_held = er_fingerprint_format_short (held);
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_MISMATCH,
                   _("This key is not the platform's verification key: the platform expects the key whose fingerprint starts with %s; the chosen key's starts with %s. Choose the current verification key."),
                   shown, shown_held);
      return FALSE;
    }
  return TRUE;
}

/* GET /me and GET /keys/verification go together; the session is made
 * when both have answered. */
static void
maybe_done (GTask *task)
{
  SignIn *data = g_task_get_task_data (task);

  if (data->pending > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, er_review_session_new (data->client, data->key, data->agent),
                           g_object_unref);
}

/* The first failure wins; an unauthenticated token says more than a key. */
static void
keep_error (SignIn *data,
            GError *error)
{
  if (data->error == NULL ||
      (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED) &&
       !g_error_matches (data->error, ER_ERROR, ER_ERROR_UNAUTHENTICATED)))
    {
      g_clear_error (&data->error);
      data->error = error;
    }
  else
    g_error_free (error);
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *announced = NULL;

  data->pending--;
  if (!er_client_get_verification_key_finish (ER_CLIENT (source), result, &pem, &announced, &error) ||
      !er_sign_in_check_key (data->key, pem, announced, &error))
    keep_error (data, error);
  maybe_done (task);
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->pending--;
  data->agent = er_client_get_me_finish (ER_CLIENT (source), result, &error);
  if (data->agent == NULL)
    keep_error (data, error);
  /* Without the "review" permission the server answers 403 to each call,
   * which the workspace shows; the platform, not the client, decides. */
  else if (!er_agent_has_permission (data->agent, "review"))
    g_debug ("%s has no review permission", er_agent_get_username (data->agent));
  maybe_done (task);
}

static void
load_key_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SignIn *data = task_data;
  GError *error = NULL;
  ErPrivateKey *key = er_private_key_new_from_file (data->key_file, data->passphrase, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) er_private_key_unref);
}

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->key = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  data->pending = 2;
  er_client_get_me_async (data->client, g_task_get_cancellable (task), me_cb, g_object_ref (task));
  er_client_get_verification_key_async (data->client, g_task_get_cancellable (task), key_cb,
                                        g_object_ref (task));
}

void
er_sign_in_async (const char          *server,
                  const char          *token,
                  const char          *key_file,
                  const char          *passphrase,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) load = NULL;
  GError *error = NULL;
  SignIn *data;

  g_task_set_source_tag (task, er_sign_in_async);
  data = g_new0 (SignIn, 1);
  data->key_file = g_strdup (key_file);
  data->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);

  data->client = er_client_new (server, token, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load = g_task_new (NULL, cancellable, key_loaded_cb, g_object_ref (task));
  g_task_set_source_tag (load, load_key_thread);
  g_task_set_task_data (load, data, NULL);
  g_task_run_in_thread (load, load_key_thread);
}

ErReviewSession *
er_sign_in_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_sign_in_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
