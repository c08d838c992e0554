/* er-claim.c: claim, renew, release (see er-claim.h). */
#include "config.h"

#include "er-claim.h"
#include "er-error.h"

struct _ErClaim
{
  GObject       parent_instance;

  ErClient     *client;
  ErCase       *kase;
  ErClaimState  state;
  GCancellable *cancellable;  /* the claim request under way */
  guint         renew_id;
  gboolean      active;          /* the agent was active since the last (re)claim */
  gboolean      release_pending; /* released while the claim request was under way */
  GApplication *release_app;     /* held until the release is heard (nullable) */
};

G_DEFINE_FINAL_TYPE (ErClaim, er_claim, G_TYPE_OBJECT)

static guint renew_ms = ER_CLAIM_RENEW_SECONDS * 1000;

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LOST,
  SIGNAL_UNAUTHENTICATED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_claim (ErClaim *self);
static void send_release (ErClaim *self, GApplication *app);

static void
set_state (ErClaim      *self,
           ErClaimState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
renew (gpointer user_data)
{
  ErClaim *self = user_data;

  self->renew_id = 0;
  if (self->state != ER_CLAIM_HELD)
    return G_SOURCE_REMOVE;
  if (self->active)
    {
      self->active = FALSE;
      send_claim (self);
    }
  else
    {
      /* Nobody at the screen since the last claim: a colleague may take
       * the case. */
      g_debug ("No activity on %s: its claim is given back", er_case_get_receipt_id (self->kase));
      er_claim_release (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
is_final (const GError *error)
{
  return g_error_matches (error, ER_ERROR, ER_ERROR_CLAIMED_BY_OTHER) ||
         g_error_matches (error, ER_ERROR, ER_ERROR_ALREADY_DECIDED) ||
         g_error_matches (error, ER_ERROR, ER_ERROR_NOT_FOUND) ||
         g_error_matches (error, ER_ERROR, ER_ERROR_GONE);
}

static void
claim_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ErClaim) self = user_data;
  g_autoptr(ErConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErCase) claimed = NULL;

  claimed = er_client_claim_finish (ER_CLIENT (source), result, &conflict, &error);
  if (self->release_pending)
    {
      /* Released meanwhile: the server has answered the claim, so the
       * release can no longer arrive before it. */
      self->release_pending = FALSE;
      g_clear_object (&self->cancellable);
      send_release (self, g_steal_pointer (&self->release_app));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->state != ER_CLAIM_CLAIMING)
    return;
  g_clear_object (&self->cancellable);

  if (claimed != NULL)
    {
      set_state (self, ER_CLAIM_HELD);
      g_clear_handle_id (&self->renew_id, g_source_remove);
      self->renew_id = g_timeout_add (renew_ms, renew, self);
      return;
    }

  if (is_final (error))
    {
      set_state (self, ER_CLAIM_LOST);
      g_signal_emit (self, signals[SIGNAL_LOST], 0, error, conflict);
    }
  else if (g_error_matches (error, ER_ERROR, ER_ERROR_UNAUTHENTICATED))
    {
      set_state (self, ER_CLAIM_WAITING);
      g_signal_emit (self, signals[SIGNAL_UNAUTHENTICATED], 0, error);
    }
  else
    {
      set_state (self, ER_CLAIM_WAITING);
      if (!g_error_matches (error, ER_ERROR, ER_ERROR_NETWORK))
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
    }
}

static void
send_claim (ErClaim *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_state (self, ER_CLAIM_CLAIMING);
  er_client_claim_async (self->client, er_case_get_receipt_id (self->kase), self->cancellable,
                         claim_cb, g_object_ref (self));
}

static void
end (ErClaim *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->renew_id, g_source_remove);
  set_state (self, ER_CLAIM_ENDED);
}

ErClaim *
er_claim_new (ErClient *client,
              ErCase   *kase)
{
  ErClaim *self;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ER_IS_CASE (kase), NULL);

  self = g_object_new (ER_TYPE_CLAIM, NULL);
  self->client = g_object_ref (client);
  self->kase = g_object_ref (kase);
  send_claim (self);
  return self;
}

ErCase *
er_claim_get_case (ErClaim *self)
{
  g_return_val_if_fail (ER_IS_CLAIM (self), NULL);
  return self->kase;
}

ErClaimState
er_claim_get_state (ErClaim *self)
{
  g_return_val_if_fail (ER_IS_CLAIM (self), ER_CLAIM_ENDED);
  return self->state;
}

void
er_claim_set_active (ErClaim *self)
{
  g_return_if_fail (ER_IS_CLAIM (self));
  self->active = TRUE;
}

void
er_claim_set_renew_interval (guint ms)
{
  renew_ms = ms > 0 ? ms : ER_CLAIM_RENEW_SECONDS * 1000;
}

void
er_claim_retry (ErClaim *self)
{
  g_return_if_fail (ER_IS_CLAIM (self));

  if (self->state == ER_CLAIM_WAITING)
    send_claim (self);
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!er_client_release_finish (ER_CLIENT (source), result, &error))
    g_debug ("Releasing a claim failed: %s", error->message);
  if (app != NULL)
    g_application_release (app);
}

/* app: held, and a reference, or NULL. */
static void
send_release (ErClaim      *self,
              GApplication *app)
{
  er_client_release_async (self->client, er_case_get_receipt_id (self->kase), NULL,
                           release_cb, app);
}

void
er_claim_release (ErClaim *self)
{
  GApplication *app = g_application_get_default ();

  g_return_if_fail (ER_IS_CLAIM (self));

  if (self->state != ER_CLAIM_HELD && self->state != ER_CLAIM_CLAIMING)
    {
      end (self);
      return;
    }

  /* Keep the application alive until the server has heard it. */
  if (app != NULL)
    {
      g_application_hold (app);
      g_object_ref (app);
    }

  if (self->state == ER_CLAIM_CLAIMING && self->cancellable != NULL)
    {
      /* Cancelling the claim request does not take it back once sent: the
       * server may apply it after a release sent now on another connection,
       * and the case would stay claimed for 15 minutes. Release once the
       * claim has been answered (claim_cb). */
      self->release_pending = TRUE;
      self->release_app = app;
      g_clear_handle_id (&self->renew_id, g_source_remove);
      set_state (self, ER_CLAIM_ENDED);
      return;
    }

  end (self);
  send_release (self, app);
}

void
er_claim_drop (ErClaim *self)
{
  g_return_if_fail (ER_IS_CLAIM (self));

  end (self);
}

static void
er_claim_dispose (GObject *object)
{
  ErClaim *self = ER_CLAIM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->renew_id, g_source_remove);
  if (self->release_app != NULL)
    {
      g_application_release (self->release_app);
      g_clear_object (&self->release_app);
    }
  g_clear_object (&self->client);
  g_clear_object (&self->kase);

  G_OBJECT_CLASS (er_claim_parent_class)->dispose (object);
}

static void
er_claim_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  ErClaim *self = ER_CLAIM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_claim_class_init (ErClaimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = er_claim_dispose;
  object_class->get_property = er_claim_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, ER_CLAIM_CLAIMING, ER_CLAIM_ENDED, ER_CLAIM_CLAIMING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOST] =
    g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_ERROR, ER_TYPE_CONFLICT);
  signals[SIGNAL_UNAUTHENTICATED] =
    g_signal_new ("unauthenticated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
er_claim_init (ErClaim *self)
{
  self->state = ER_CLAIM_CLAIMING;
}
