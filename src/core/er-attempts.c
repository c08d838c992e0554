/* er-attempts.c: a learner's earlier attempts at the open case.
 *
 * One load per case, in steps on one GCancellable: the denied cases found
 * by the username (page after page), then the agent's decisions since the
 * oldest of them, then the model is filled at once. The photo check comes
 * after, when asked: the case's two photos, then each attempt's, one at a
 * time; each result updates its attempt (notify) as it comes.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "er-attempts.h"
#include "er-error.h"
#include "er-photo.h"

#define CASES_PAGE_LIMIT     50
#define DECISIONS_PAGE_LIMIT 200  /* the contract's maximum */
#define MAX_PAGES            3

G_DEFINE_ENUM_TYPE (ErPhotoMatch, er_photo_match,
  G_DEFINE_ENUM_VALUE (ER_PHOTO_MATCH_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (ER_PHOTO_MATCH_SAME, "same"),
  G_DEFINE_ENUM_VALUE (ER_PHOTO_MATCH_DIFFERENT, "different"))

G_DEFINE_ENUM_TYPE (ErDecider, er_decider,
  G_DEFINE_ENUM_VALUE (ER_DECIDER_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (ER_DECIDER_ME, "me"),
  G_DEFINE_ENUM_VALUE (ER_DECIDER_OTHER, "other"))

/* ---- ErAttempt ---------------------------------------------------------- */

struct _ErAttempt
{
  GObject       parent_instance;

  guint         number;
  ErCase       *kase;          /* nullable: only the case's previous_reasons are known */
  ErDecider     decider;
  GDateTime    *decided_at;
  char         *decided_by;
  ErReasons    *reasons;
  ErPhotoMatch  same[2];       /* by ErPhotoKind */
};

G_DEFINE_FINAL_TYPE (ErAttempt, er_attempt, G_TYPE_OBJECT)

enum {
  ATTEMPT_PROP_0,
  ATTEMPT_PROP_NUMBER,
  ATTEMPT_PROP_RECEIPT_ID,
  ATTEMPT_PROP_SUBMITTED_AT,
  ATTEMPT_PROP_DECIDER,
  ATTEMPT_PROP_DECIDED_AT,
  ATTEMPT_PROP_DECIDED_BY,
  ATTEMPT_PROP_REASONS,
  ATTEMPT_PROP_SAME_USER_PHOTO,
  ATTEMPT_PROP_SAME_ID_PHOTO,
  N_ATTEMPT_PROPS
};

static GParamSpec *attempt_properties[N_ATTEMPT_PROPS];

guint
er_attempt_get_number (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), 0);
  return self->number;
}

const char *
er_attempt_get_receipt_id (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), NULL);
  return self->kase != NULL ? er_case_get_receipt_id (self->kase) : NULL;
}

GDateTime *
er_attempt_get_submitted_at (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), NULL);
  return self->kase != NULL ? er_case_get_submitted_at (self->kase) : NULL;
}

ErDecider
er_attempt_get_decider (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), ER_DECIDER_UNKNOWN);
  return self->decider;
}

GDateTime *
er_attempt_get_decided_at (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), NULL);
  return self->decided_at;
}

const char *
er_attempt_get_decided_by (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), NULL);
  return self->decided_by;
}

const ErReasons *
er_attempt_get_reasons (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), NULL);
  return self->reasons;
}

ErPhotoMatch
er_attempt_get_same_user_photo (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), ER_PHOTO_MATCH_UNKNOWN);
  return self->same[ER_PHOTO_USER];
}

ErPhotoMatch
er_attempt_get_same_id_photo (ErAttempt *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPT (self), ER_PHOTO_MATCH_UNKNOWN);
  return self->same[ER_PHOTO_ID];
}

static void
attempt_set_same (ErAttempt    *self,
                  ErPhotoKind   kind,
                  ErPhotoMatch  match)
{
  if (self->same[kind] == match)
    return;
  self->same[kind] = match;
  g_object_notify_by_pspec (G_OBJECT (self),
                            attempt_properties[kind == ER_PHOTO_USER ? ATTEMPT_PROP_SAME_USER_PHOTO
                                                                     : ATTEMPT_PROP_SAME_ID_PHOTO]);
}

static void
er_attempt_finalize (GObject *object)
{
  ErAttempt *self = ER_ATTEMPT (object);

  g_clear_object (&self->kase);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_clear_pointer (&self->decided_by, g_free);
  g_clear_pointer (&self->reasons, er_reasons_free);
  G_OBJECT_CLASS (er_attempt_parent_class)->finalize (object);
}

static void
er_attempt_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ErAttempt *self = ER_ATTEMPT (object);

  switch (prop_id)
    {
    case ATTEMPT_PROP_NUMBER: g_value_set_uint (value, self->number); break;
    case ATTEMPT_PROP_RECEIPT_ID: g_value_set_string (value, er_attempt_get_receipt_id (self)); break;
    case ATTEMPT_PROP_SUBMITTED_AT: g_value_set_boxed (value, er_attempt_get_submitted_at (self)); break;
    case ATTEMPT_PROP_DECIDER: g_value_set_enum (value, self->decider); break;
    case ATTEMPT_PROP_DECIDED_AT: g_value_set_boxed (value, self->decided_at); break;
    case ATTEMPT_PROP_DECIDED_BY: g_value_set_string (value, self->decided_by); break;
    case ATTEMPT_PROP_REASONS: g_value_set_boxed (value, self->reasons); break;
    case ATTEMPT_PROP_SAME_USER_PHOTO: g_value_set_enum (value, self->same[ER_PHOTO_USER]); break;
    case ATTEMPT_PROP_SAME_ID_PHOTO: g_value_set_enum (value, self->same[ER_PHOTO_ID]); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_attempt_class_init (ErAttemptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = er_attempt_finalize;
  object_class->get_property = er_attempt_get_property;

  attempt_properties[ATTEMPT_PROP_NUMBER] =
    g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, ro);
  attempt_properties[ATTEMPT_PROP_RECEIPT_ID] = g_param_spec_string ("receipt-id", NULL, NULL, NULL, ro);
  attempt_properties[ATTEMPT_PROP_SUBMITTED_AT] =
    g_param_spec_boxed ("submitted-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  attempt_properties[ATTEMPT_PROP_DECIDER] =
    g_param_spec_enum ("decider", NULL, NULL, ER_TYPE_DECIDER, ER_DECIDER_UNKNOWN, ro);
  attempt_properties[ATTEMPT_PROP_DECIDED_AT] =
    g_param_spec_boxed ("decided-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  attempt_properties[ATTEMPT_PROP_DECIDED_BY] = g_param_spec_string ("decided-by", NULL, NULL, NULL, ro);
  attempt_properties[ATTEMPT_PROP_REASONS] =
    g_param_spec_boxed ("reasons", NULL, NULL, ER_TYPE_REASONS, ro);
  attempt_properties[ATTEMPT_PROP_SAME_USER_PHOTO] =
    g_param_spec_enum ("same-user-photo", NULL, NULL, ER_TYPE_PHOTO_MATCH, ER_PHOTO_MATCH_UNKNOWN, ro);
  attempt_properties[ATTEMPT_PROP_SAME_ID_PHOTO] =
    g_param_spec_enum ("same-id-photo", NULL, NULL, ER_TYPE_PHOTO_MATCH, ER_PHOTO_MATCH_UNKNOWN, ro);
  g_object_class_install_properties (object_class, N_ATTEMPT_PROPS, attempt_properties);
}

static void
er_attempt_init (ErAttempt *self)
{
}

/* ---- ErAttempts --------------------------------------------------------- */

struct _ErAttempts
{
  GObject       parent_instance;

  ErClient     *client;
  ErPrivateKey *key;
  ErAgent      *agent;

  ErCase       *kase;
  GPtrArray    *items;         /* ErAttempt, oldest first */
  GCancellable *cancellable;   /* the case's load and photo check */
  gboolean      loading;
  gboolean      check_wanted;
  gboolean      checking;
  char         *error;

  /* During a load */
  GPtrArray    *earlier;       /* ErCase, newest first */
  GHashTable   *decisions;     /* receipt id → ErDecision (owned) */
  guint         n_pages;

  /* During the photo check: hashes[kind] of the case; next job */
  char         *hashes[2];
  guint         next_job;
};

static void er_attempts_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ErAttempts, er_attempts, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      er_attempts_list_model_init))

enum {
  PROP_0,
  PROP_CASE,
  PROP_LOADING,
  PROP_CHECKING_PHOTOS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
er_attempts_get_item_type (GListModel *model)
{
  return ER_TYPE_ATTEMPT;
}

static guint
er_attempts_get_n_items (GListModel *model)
{
  return ER_ATTEMPTS (model)->items->len;
}

static gpointer
er_attempts_get_item (GListModel *model,
                      guint       position)
{
  ErAttempts *self = ER_ATTEMPTS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
er_attempts_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = er_attempts_get_item_type;
  iface->get_n_items = er_attempts_get_n_items;
  iface->get_item = er_attempts_get_item;
}

static void
set_flag (ErAttempts *self,
          gboolean   *flag,
          gboolean    value,
          guint       prop)
{
  if (*flag == value)
    return;
  *flag = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_error (ErAttempts *self,
           const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_items (ErAttempts *self,
           GPtrArray  *items)
{
  guint removed = self->items->len;

  g_ptr_array_unref (self->items);
  self->items = items;
  if (removed > 0 || items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, items->len);
}

static void
clear_load (ErAttempts *self)
{
  g_clear_pointer (&self->earlier, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->hashes); i++)
    g_clear_pointer (&self->hashes[i], g_free);
  self->n_pages = 0;
  self->next_job = 0;
}

/* ---- The photo check ----------------------------------------------------- */

static void next_photo (ErAttempts *self);

/* Job n: the case's face (0) and ID (1), then attempt (n - 2) / 2's. */
static void
photo_hashed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ErAttempts *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = er_photo_hash_finish (result, &error);
  guint job;
  ErPhotoKind kind;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* another case, or disposed: self may be gone */
  self = ER_ATTEMPTS (user_data);
  job = self->next_job++;
  kind = job % 2 == 0 ? ER_PHOTO_USER : ER_PHOTO_ID;

  if (hash == NULL)
    g_debug ("Attempts: could not compare a photo: %s", error->message);
  if (job < 2)
    self->hashes[kind] = g_steal_pointer (&hash);
  else if (hash != NULL && self->hashes[kind] != NULL)
    attempt_set_same (g_ptr_array_index (self->items, (job - 2) / 2), kind,
                      g_str_equal (hash, self->hashes[kind]) ? ER_PHOTO_MATCH_SAME
                                                             : ER_PHOTO_MATCH_DIFFERENT);
  next_photo (self);
}

static void
next_photo (ErAttempts *self)
{
  while (self->next_job < 2 + 2 * self->items->len)
    {
      guint job = self->next_job;
      ErPhotoKind kind = job % 2 == 0 ? ER_PHOTO_USER : ER_PHOTO_ID;
      ErCase *kase = self->kase;
      const ErPhotoRef *ref;

      if (job >= 2)
        {
          kase = ((ErAttempt *) g_ptr_array_index (self->items, (job - 2) / 2))->kase;
          /* Nothing to compare with, or no such photo. */
          if (kase == NULL || self->hashes[kind] == NULL)
            {
              self->next_job++;
              continue;
            }
        }
      ref = er_photo_ref_for (kase, kind);
      if (ref == NULL || ref->url == NULL)
        {
          self->next_job++;
          continue;
        }
      er_photo_hash_async (self->client, self->key, ref, self->cancellable,
                           photo_hashed_cb, self);
      return;
    }
  set_flag (self, &self->checking, FALSE, PROP_CHECKING_PHOTOS);
}

static void
start_photo_check (ErAttempts *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->items->len; i++)
    any |= ((ErAttempt *) g_ptr_array_index (self->items, i))->kase != NULL;
  if (!any || self->checking)
    return;
  self->next_job = 0;
  set_flag (self, &self->checking, TRUE, PROP_CHECKING_PHOTOS);
  next_photo (self);
}

void
er_attempts_check_photos (ErAttempts *self)
{
  g_return_if_fail (ER_IS_ATTEMPTS (self));

  if (self->kase == NULL || self->check_wanted)
    return;
  self->check_wanted = TRUE;
  if (!self->loading)
    start_photo_check (self);
}

/* ---- Loading ------------------------------------------------------------- */

static ErAttempt *
attempt_new (guint            number,
             ErCase          *kase,
             const ErReasons *reasons)
{
  ErAttempt *attempt = g_object_new (ER_TYPE_ATTEMPT, NULL);

  attempt->number = number;
  attempt->kase = kase != NULL ? g_object_ref (kase) : NULL;
  attempt->reasons = reasons != NULL ? er_reasons_copy (reasons) : NULL;
  return attempt;
}

/* The load ended; decisions_read: the agent's decisions were read. */
static void
load_finished (ErAttempts   *self,
               const GError *error,
               gboolean      decisions_read)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  const ErReasons *previous = er_case_get_previous_reasons (self->kase);
  guint n = self->earlier != NULL ? self->earlier->len : 0;

  /* Oldest first; each denial's reasons are the next attempt's previous ones. */
  for (guint i = n; i > 0; i--)
    {
      ErCase *kase = g_ptr_array_index (self->earlier, i - 1);
      ErCase *next = i > 1 ? g_ptr_array_index (self->earlier, i - 2) : self->kase;
      guint number = er_case_get_attempt (kase);
      ErAttempt *attempt;
      ErDecision *decision;

      /* The numbers the server gives, unless they do not go up. */
      if (items->len > 0 && number <= ((ErAttempt *) g_ptr_array_index (items, items->len - 1))->number)
        number = ((ErAttempt *) g_ptr_array_index (items, items->len - 1))->number + 1;
      attempt = attempt_new (number, kase, er_case_get_previous_reasons (next));
      decision = self->decisions != NULL
                 ? g_hash_table_lookup (self->decisions, er_case_get_receipt_id (kase)) : NULL;
      if (decision != NULL)
        {
          attempt->decider = ER_DECIDER_ME;
          attempt->decided_at = g_date_time_ref (er_decision_get_decided_at (decision));
          attempt->decided_by = g_strdup (er_agent_get_full_name (self->agent));
        }
      else
        attempt->decider = decisions_read ? ER_DECIDER_OTHER : ER_DECIDER_UNKNOWN;
      g_ptr_array_add (items, attempt);
    }

  /* None listed (or the list failed): the last denial's reasons still show. */
  if (items->len == 0 && previous != NULL && !er_reasons_is_empty (previous))
    g_ptr_array_add (items, attempt_new (MAX (er_case_get_attempt (self->kase), 2) - 1,
                                         NULL, previous));

  g_object_freeze_notify (G_OBJECT (self));
  set_items (self, items);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The earlier attempts could not be loaded: %s"),
                                                  error->message);
      set_error (self, message);
    }
  set_flag (self, &self->loading, FALSE, PROP_LOADING);
  g_object_thaw_notify (G_OBJECT (self));

  g_clear_pointer (&self->earlier, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_hash_table_unref);
  if (self->check_wanted)
    start_photo_check (self);
}

static void load_decisions (ErAttempts *self, const char *cursor);

static void
list_decisions_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ErAttempts *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = er_client_list_decisions_finish (ER_CLIENT (object), result, &error);
  GListModel *list;
  gboolean more;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ER_ATTEMPTS (user_data);

  if (page == NULL)
    {
      /* The attempts still show, without who denied them. */
      g_debug ("Attempts: could not read the agent's decisions: %s", error->message);
      load_finished (self, NULL, FALSE);
      return;
    }

  list = G_LIST_MODEL (page->items);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      ErDecision *decision = g_list_model_get_item (list, i);

      g_hash_table_replace (self->decisions, g_strdup (er_decision_get_receipt_id (decision)),
                            decision);
    }
  more = page->next_cursor != NULL && *page->next_cursor != '\0';
  for (guint i = 0; i < self->earlier->len; i++)
    if (!g_hash_table_contains (self->decisions,
                                er_case_get_receipt_id (g_ptr_array_index (self->earlier, i))))
      {
        if (more && ++self->n_pages < MAX_PAGES)
          {
            load_decisions (self, page->next_cursor);
            return;
          }
        break;
      }
  /* Not every page read: a denial not found may still be the agent's. */
  load_finished (self, NULL, !more);
}

static void
load_decisions (ErAttempts *self,
                const char *cursor)
{
  ErCase *oldest = g_ptr_array_index (self->earlier, self->earlier->len - 1);
  ErDecisionQuery query = {
    .agent = NULL,
    .since = er_case_get_submitted_at (oldest),
    .limit = DECISIONS_PAGE_LIMIT,
    .cursor = cursor,
  };

  er_client_list_decisions_async (self->client, &query, self->cancellable,
                                  list_decisions_cb, self);
}

static void load_cases (ErAttempts *self, const char *cursor);

static void
list_cases_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ErAttempts *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPage) page = er_client_list_cases_finish (ER_CLIENT (object), result, &error);
  GListModel *list;
  GDateTime *submitted_at;
  const char *username;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ER_ATTEMPTS (user_data);

  if (page == NULL)
    {
      g_debug ("Attempts: could not list the denied cases: %s", error->message);
      g_clear_pointer (&self->earlier, g_ptr_array_unref);
      load_finished (self, error, FALSE);
      return;
    }

  submitted_at = er_case_get_submitted_at (self->kase);
  username = er_case_get_username (self->kase);
  list = G_LIST_MODEL (page->items);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ErCase) kase = g_list_model_get_item (list, i);

      /* The search also finds "mtremblay2" for "mtremblay", and names. */
      if (g_strcmp0 (er_case_get_username (kase), username) != 0 ||
          g_str_equal (er_case_get_receipt_id (kase), er_case_get_receipt_id (self->kase)) ||
          g_date_time_compare (er_case_get_submitted_at (kase), submitted_at) >= 0 ||
          er_case_get_status (kase) != ER_CASE_STATUS_DENIED)
        continue;
      g_ptr_array_add (self->earlier, g_steal_pointer (&kase));
    }

  if (page->next_cursor != NULL && *page->next_cursor != '\0' && ++self->n_pages < MAX_PAGES)
    {
      load_cases (self, page->next_cursor);
      return;
    }

  if (self->earlier->len == 0)
    {
      load_finished (self, NULL, TRUE);
      return;
    }
  self->n_pages = 0;
  load_decisions (self, NULL);
}

static void
load_cases (ErAttempts *self,
            const char *cursor)
{
  ErCaseQuery query = {
    .status = "denied",
    .q = er_case_get_username (self->kase),
    .newest_first = TRUE,
    .limit = CASES_PAGE_LIMIT,
    .cursor = cursor,
  };

  er_client_list_cases_async (self->client, &query, self->cancellable, list_cases_cb, self);
}

void
er_attempts_set_case (ErAttempts *self,
                      ErCase     *kase)
{
  g_return_if_fail (ER_IS_ATTEMPTS (self));
  g_return_if_fail (kase == NULL || ER_IS_CASE (kase));

  if (kase == self->kase)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_load (self);
  g_set_object (&self->kase, kase);
  self->check_wanted = FALSE;
  set_items (self, g_ptr_array_new_with_free_func (g_object_unref));
  set_error (self, NULL);
  set_flag (self, &self->checking, FALSE, PROP_CHECKING_PHOTOS);
  set_flag (self, &self->loading, FALSE, PROP_LOADING);

  if (kase != NULL && er_case_get_attempt (kase) > 1)
    {
      self->cancellable = g_cancellable_new ();
      self->earlier = g_ptr_array_new_with_free_func (g_object_unref);
      self->decisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      set_flag (self, &self->loading, TRUE, PROP_LOADING);
      if (er_case_get_username (kase) != NULL)
        load_cases (self, NULL);
      else
        load_finished (self, NULL, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
  g_object_thaw_notify (G_OBJECT (self));
}

ErCase *
er_attempts_get_case (ErAttempts *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS (self), NULL);
  return self->kase;
}

ErClient *
er_attempts_get_client (ErAttempts *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS (self), NULL);
  return self->client;
}

gboolean
er_attempts_get_loading (ErAttempts *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS (self), FALSE);
  return self->loading;
}

gboolean
er_attempts_get_checking_photos (ErAttempts *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS (self), FALSE);
  return self->checking;
}

const char *
er_attempts_get_error (ErAttempts *self)
{
  g_return_val_if_fail (ER_IS_ATTEMPTS (self), NULL);
  return self->error;
}

ErAttempts *
er_attempts_new (ErClient     *client,
                 ErPrivateKey *key,
                 ErAgent      *agent)
{
  ErAttempts *self;

  g_return_val_if_fail (ER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ER_IS_AGENT (agent), NULL);

  self = g_object_new (ER_TYPE_ATTEMPTS, NULL);
  self->client = g_object_ref (client);
  self->key = key != NULL ? er_private_key_ref (key) : NULL;
  self->agent = g_object_ref (agent);
  return self;
}

static void
er_attempts_dispose (GObject *object)
{
  ErAttempts *self = ER_ATTEMPTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_load (self);
  G_OBJECT_CLASS (er_attempts_parent_class)->dispose (object);
}

static void
er_attempts_finalize (GObject *object)
{
  ErAttempts *self = ER_ATTEMPTS (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->kase);
  g_clear_object (&self->client);
  g_clear_pointer (&self->key, er_private_key_unref);
  g_clear_object (&self->agent);
  g_clear_pointer (&self->error, g_free);
  G_OBJECT_CLASS (er_attempts_parent_class)->finalize (object);
}

static void
er_attempts_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ErAttempts *self = ER_ATTEMPTS (object);

  switch (prop_id)
    {
    case PROP_CASE: g_value_set_object (value, self->kase); break;
    case PROP_LOADING: g_value_set_boolean (value, self->loading); break;
    case PROP_CHECKING_PHOTOS: g_value_set_boolean (value, self->checking); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_attempts_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_CASE: er_attempts_set_case (ER_ATTEMPTS (object), g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_attempts_class_init (ErAttemptsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = er_attempts_dispose;
  object_class->finalize = er_attempts_finalize;
  object_class->get_property = er_attempts_get_property;
  object_class->set_property = er_attempts_set_property;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, ER_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_CHECKING_PHOTOS] = g_param_spec_boolean ("checking-photos", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_attempts_init (ErAttempts *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}
