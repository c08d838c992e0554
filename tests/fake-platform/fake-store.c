/* fake-store.c: data model of the fake platform (no HTTP).
 *
 * Synthetic cases are generated deterministically from the seed; photos are
 * drawn lazily on first request and encrypted the Open edX way with a
 * per-photo AES key chosen (and wrapped) at startup. Claims, decisions,
 * idempotency records, manual cases and manual verifications are saved to the
 * state file after every change and reapplied at start.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fake-store.h"
#include "fake-images.h"
#include "er-crypto.h"
#include "er-reasons.h"

#define CLAIM_SECONDS   (15 * 60)
#define DEFAULT_LIMIT   50
#define MAX_LIMIT       200
#define API_PHOTO_PREFIX "/api/review/v1/photos/photo_id/"

typedef struct {
  gboolean         clear;        /* "key": null, served as an image */
  FakeImageFormat  format;
  guint            orientation;
  int              width;
  int              height;
  guint            seed;         /* drawing seed */
  GBytes          *aes_key;      /* synthetic photos: key used on first request */
  char            *key;          /* the key as presented in the case JSON, NULL when clear */
  GBytes          *object;       /* the stored object, generated lazily */
} FakePhoto;

typedef struct {
  char     *receipt_id;
  char     *idempotency_key;     /* NULL for /_fake decisions */
  char     *body;                /* the request body as received */
  char     *decided_by;
  gint64    decided_at;
  gboolean  pass;
  char     *reason;              /* JSON text of "Reason" as received */
  guint     replays;             /* same Idempotency-Key and body answered again */
  guint     conflicts;           /* later decision requests answered 409 already_decided */
  gboolean  earlier;             /* generated with an earlier attempt: not dumped nor saved */
} FakeDecision;

typedef struct {
  char         *receipt_id;
  gboolean      email;           /* source */
  gint64        submitted_at;
  char         *expected_name;
  char         *id_name;         /* the name printed on the ID card */
  char         *username;        /* nullable */
  char         *email_address;   /* nullable */
  char         *invoice_number;  /* nullable */
  char         *course_id;
  guint         attempt;
  char         *previous_reasons; /* JSON text, nullable */
  char         *claim_agent;     /* nullable */
  gint64        claim_expires;
  FakePhoto     user_photo;
  FakePhoto     photo_id;
  gboolean      manual;
  char         *message_id;      /* manual cases */
  char         *received_at;     /* manual cases, nullable */
  char         *search_text;     /* folded */
  FakeDecision *decision;        /* borrowed from FakeStore.decisions */
  gboolean      earlier;         /* a learner's earlier, denied attempt (generated) */
} FakeCase;

typedef struct {
  char       *invoice_number;
  char       *username;
  char       *full_name;
  char       *email;
  const char *course_id;
  const char *course_name;
  const char *amount;
  gboolean    paid;
  gint64      paid_at;
  gint64      upgrade_deadline;
  gint64      verification_deadline;
  const char *fixed_status;      /* NULL: derived from the cases with this invoice */
} FakeOrder;

typedef struct {
  char  *request;                /* method, path and canonical body */
  guint  status;
  char  *response;
} FakeIdempotency;

typedef struct {
  char     *path;
  gboolean  authorization;
} FakePhotoRequest;

typedef struct {
  char *username;
  char *receipt_id;
} FakeManualVerification;

struct _FakeStore {
  guint         seed;
  gint64        start;
  ErPrivateKey *key;
  ErPublicKey  *public_key;
  char         *state_path;
  char         *storage_origin;
  char         *storage_secret;
  guint         old_key_length;  /* 16 when the crypto layer supports it, else 32 */

  FakeAgent     agents[2];
  GHashTable   *tokens;          /* valid token → FakeAgent (borrowed); /_fake/revoke removes */

  GPtrArray    *cases;           /* FakeCase, sorted by submitted_at */
  GHashTable   *cases_by_id;
  GPtrArray    *orders;          /* FakeOrder */
  GHashTable   *orders_by_invoice;
  GPtrArray    *decisions;       /* FakeDecision, in decision order */
  GHashTable   *idempotency;     /* "agent\nkey" → FakeIdempotency */
  GPtrArray    *manual_verifications;
  GPtrArray    *storage_requests;
  GPtrArray    *api_photo_requests;
  gint64        first_list_answered; /* monotonic µs, 0: not yet */
  gint64        last_list_answered;
  guint         list_answers;
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
parse_time (const char *text, gint64 *out)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static void
photo_clear (FakePhoto *photo)
{
  g_clear_pointer (&photo->aes_key, g_bytes_unref);
  g_clear_pointer (&photo->key, g_free);
  g_clear_pointer (&photo->object, g_bytes_unref);
}

static void
decision_free (FakeDecision *d)
{
  g_free (d->receipt_id);
  g_free (d->idempotency_key);
  g_free (d->body);
  g_free (d->decided_by);
  g_free (d->reason);
  g_free (d);
}

static void
case_free (FakeCase *c)
{
  g_free (c->receipt_id);
  g_free (c->expected_name);
  g_free (c->id_name);
  g_free (c->username);
  g_free (c->email_address);
  g_free (c->invoice_number);
  g_free (c->course_id);
  g_free (c->previous_reasons);
  g_free (c->claim_agent);
  photo_clear (&c->user_photo);
  photo_clear (&c->photo_id);
  g_free (c->message_id);
  g_free (c->received_at);
  g_free (c->search_text);
  g_free (c);
}

static void
order_free (FakeOrder *o)
{
  g_free (o->invoice_number);
  g_free (o->username);
  g_free (o->full_name);
  g_free (o->email);
  g_free (o);
}

static void
idempotency_free (FakeIdempotency *r)
{
  g_free (r->request);
  g_free (r->response);
  g_free (r);
}

static void
photo_request_free (FakePhotoRequest *r)
{
  g_free (r->path);
  g_free (r);
}

static void
manual_verification_free (FakeManualVerification *v)
{
  g_free (v->username);
  g_free (v->receipt_id);
  g_free (v);
}

/* Lower case, accents removed: "Émilie" → "emilie". */
static char *
fold (const char *text)
{
  g_autofree char *nfd = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);

  if (text == NULL)
    return g_strdup ("");
  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return g_strdup ("");
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (!g_unichar_ismark (ch))
        g_string_append_unichar (plain, ch);
    }
  return g_utf8_casefold (plain->str, -1);
}

/* name with its first given name's last letter changed ("Marie Tremblay" →
 * "Maria Tremblay"): another person's name, for a case whose ID differs. */
static char *
other_given_name (const char *name)
{
  const char *space = strchr (name, ' ');
  char *other = g_strdup (name);
  gsize last = space != NULL ? (gsize) (space - name) : strlen (name);

  while (last > 0 && (other[last - 1] & 0xc0) == 0x80)
    last--;  /* the start of a multibyte letter */
  if (last > 0)
    {
      if ((other[last - 1] & 0x80) != 0)
        {
          /* A non-ASCII letter (é, ë...): an ASCII 'e' in its place. */
          gsize end = last;

          while (other[end] != '\0' && (other[end] & 0xc0) == 0x80)
            end++;
          other[last - 1] = 'e';
          memmove (other + last, other + end, strlen (other + end) + 1);
        }
      else
        other[last - 1] = other[last - 1] == 'a' ? 'e' : 'a';
    }
  return other;
}

/* Accents removed, case kept: "Marie-Ève" → "Marie-Eve". */
static char *
strip_accents (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  GString *plain = g_string_new (NULL);

  for (const char *p = nfd; p && *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (!g_unichar_ismark (ch))
        g_string_append_unichar (plain, ch);
    }
  return g_string_free (plain, FALSE);
}

/* ASCII letters and digits only, lower case. */
static char *
ascii_slug (const char *text, gboolean keep_hyphens)
{
  g_autofree char *folded = fold (text);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (keep_hyphens && *p == '-')
        g_string_append_c (out, '-');
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Replies                                                                  */

void
fake_reply_free (FakeReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->body);
  g_free (reply->etag);
  g_free (reply);
}

static FakeReply *
reply_text (guint status, char *body)
{
  FakeReply *reply = g_new0 (FakeReply, 1);

  reply->status = status;
  reply->body = body;
  return reply;
}

static FakeReply *
reply_json (guint status, JsonNode *node)
{
  FakeReply *reply = reply_text (status, json_to_string (node, FALSE));

  json_node_unref (node);
  return reply;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* extra: members added beside code and message (consumed), may be NULL. */
static FakeReply *
reply_error_extra (guint status, const char *code, const char *message, JsonObject *extra)
{
  JsonObject *error = json_object_new ();
  JsonObject *root = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  if (extra != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (error, l->data,
                                json_node_copy (json_object_get_member (extra, l->data)));
      json_object_unref (extra);
    }
  json_object_set_object_member (root, "error", error);
  return reply_json (status, object_node (root));
}

FakeReply *
fake_reply_error (guint status, const char *code, const char *message)
{
  return reply_error_extra (status, code, message, NULL);
}

static FakeReply *
bad_request (const char *message)
{
  return fake_reply_error (400, "bad_request", message);
}

static JsonNode *
parse_json (const char *body, gsize length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body == NULL || length == 0)
    return NULL;
  if (!g_utf8_validate (body, length, NULL))
    return NULL;
  if (!json_parser_load_from_data (parser, body, length, NULL))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
parse_json_text (const char *text)
{
  return text ? parse_json (text, strlen (text)) : NULL;
}

/* Sorted members, no spaces: equal JSON values give equal strings. */
static void
canonicalize (JsonNode *node, GString *out)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = g_list_sort (json_object_get_members (object),
                                      (GCompareFunc) g_strcmp0);

        g_string_append_c (out, '{');
        for (GList *l = members; l; l = l->next)
          {
            g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), l->data);
            g_autofree char *name_text = json_to_string (name, FALSE);

            if (l != members)
              g_string_append_c (out, ',');
            g_string_append (out, name_text);
            g_string_append_c (out, ':');
            canonicalize (json_object_get_member (object, l->data), out);
          }
        g_string_append_c (out, '}');
        g_list_free (members);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            canonicalize (json_array_get_element (array, i), out);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

static const char *
get_string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ------------------------------------------------------------------------ */
/* State file                                                               */

static FakeCase *
lookup_case (FakeStore *self, const char *receipt_id)
{
  return receipt_id ? g_hash_table_lookup (self->cases_by_id, receipt_id) : NULL;
}

static const FakeAgent *
lookup_agent (FakeStore *self, const char *username)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    if (g_strcmp0 (self->agents[i].username, username) == 0)
      return &self->agents[i];
  return NULL;
}

static void
set_nullable_string (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
saved_photo (FakePhoto *photo)
{
  JsonObject *object = json_object_new ();
  gsize size = 0;
  const char *data = photo->object ? g_bytes_get_data (photo->object, &size) : NULL;
  g_autofree char *text = g_strndup (data ? data : "", size);

  json_object_set_string_member (object, "data", text);
  set_nullable_string (object, "key", photo->key);
  return object;
}

static void
save_state (FakeStore *self)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *decisions, *claims, *idempotency, *manual_cases, *verifications;
  GHashTableIter iter;
  gpointer k, v;
  gint64 now = now_seconds ();

  if (self->state_path == NULL)
    return;

  root = json_object_new ();
  json_object_set_int_member (root, "seed", self->seed);
  {
    g_autofree char *generated_at = format_time (self->start);

    json_object_set_string_member (root, "generated_at", generated_at);
  }

  decisions = json_array_new ();
  for (guint i = 0; i < self->decisions->len; i++)
    {
      FakeDecision *d = g_ptr_array_index (self->decisions, i);
      JsonObject *o;
      g_autofree char *at = NULL;

      if (d->earlier)
        continue;  /* generated again at each start */
      o = json_object_new ();
      at = format_time (d->decided_at);
      json_object_set_string_member (o, "receipt_id", d->receipt_id);
      set_nullable_string (o, "idempotency_key", d->idempotency_key);
      json_object_set_string_member (o, "body", d->body);
      json_object_set_string_member (o, "decided_by", d->decided_by);
      json_object_set_string_member (o, "decided_at", at);
      json_object_set_string_member (o, "result", d->pass ? "PASS" : "FAIL");
      json_object_set_string_member (o, "reason", d->reason);
      json_array_add_object_element (decisions, o);
    }
  json_object_set_array_member (root, "decisions", decisions);

  claims = json_array_new ();
  for (guint i = 0; i < self->cases->len; i++)
    {
      FakeCase *c = g_ptr_array_index (self->cases, i);
      JsonObject *o;
      g_autofree char *expires = NULL;

      if (c->claim_agent == NULL || c->claim_expires <= now)
        continue;
      o = json_object_new ();
      expires = format_time (c->claim_expires);
      json_object_set_string_member (o, "receipt_id", c->receipt_id);
      json_object_set_string_member (o, "agent", c->claim_agent);
      json_object_set_string_member (o, "expires_at", expires);
      json_array_add_object_element (claims, o);
    }
  json_object_set_array_member (root, "claims", claims);

  idempotency = json_array_new ();
  g_hash_table_iter_init (&iter, self->idempotency);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      FakeIdempotency *r = v;
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "id", k);
      json_object_set_string_member (o, "request", r->request);
      json_object_set_int_member (o, "status", r->status);
      json_object_set_string_member (o, "response", r->response);
      json_array_add_object_element (idempotency, o);
    }
  json_object_set_array_member (root, "idempotency", idempotency);

  manual_cases = json_array_new ();
  for (guint i = 0; i < self->cases->len; i++)
    {
      FakeCase *c = g_ptr_array_index (self->cases, i);
      JsonObject *o;
      g_autofree char *submitted = NULL;

      if (!c->manual)
        continue;
      o = json_object_new ();
      submitted = format_time (c->submitted_at);
      json_object_set_string_member (o, "receipt_id", c->receipt_id);
      json_object_set_string_member (o, "submitted_at", submitted);
      json_object_set_string_member (o, "expected_name", c->expected_name);
      set_nullable_string (o, "username", c->username);
      set_nullable_string (o, "email", c->email_address);
      set_nullable_string (o, "invoice_number", c->invoice_number);
      set_nullable_string (o, "course_id", c->course_id);
      set_nullable_string (o, "message_id", c->message_id);
      set_nullable_string (o, "received_at", c->received_at);

      json_object_set_object_member (o, "user_photo", saved_photo (&c->user_photo));
      json_object_set_object_member (o, "photo_id", saved_photo (&c->photo_id));

      json_array_add_object_element (manual_cases, o);
    }
  json_object_set_array_member (root, "manual_cases", manual_cases);

  verifications = json_array_new ();
  for (guint i = 0; i < self->manual_verifications->len; i++)
    {
      FakeManualVerification *mv = g_ptr_array_index (self->manual_verifications, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "username", mv->username);
      json_object_set_string_member (o, "receipt_id", mv->receipt_id);
      json_array_add_object_element (verifications, o);
    }
  json_object_set_array_member (root, "manual_verifications", verifications);

  {
    g_autoptr(JsonNode) node = object_node (json_object_ref (root));

    text = json_to_string (node, TRUE);
  }

  if (!g_file_set_contents_full (self->state_path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not save the state to %s: %s", self->state_path, error->message);
}

/* ------------------------------------------------------------------------ */
/* Synthetic data                                                           */

static const char * const first_names[] = {
  "Marie-Ève", "François", "Émilie", "Jean-Sébastien", "Chloé", "Noémie",
  "Anaïs", "Zoé", "Mathéo", "Élodie", "Hélène", "Benoît",
  "Léa", "Gabriel", "Béatrice", "Jérôme", "Mélanie", "Rémi", "Geneviève",
  "Frédéric", "Sébastien", "Josée", "Stéphane", "Cédric", "Maëlle",
  "Thérèse", "Loïc", "Amélie", "Raphaël", "Océane", "André", "Marc-Antoine",
};

static const char * const last_names[] = {
  "Tremblay", "Côté", "Gagnon-Bérubé", "Lévesque", "Bouchard", "St-Pierre",
  "Désilets", "Pelletier", "Ouellet", "Bélanger", "Roy-Gauthier", "Cloutier",
  "Gélinas", "Thériault", "Lefebvre", "Bérubé", "Dionne", "Fréchette",
  "Beaulieu", "Poirier-Lemieux", "Gagné", "Bédard", "Chénard", "Lachapelle",
  "Turcotte", "Després",
};

#define N_NICE 12 /* first_names[i] with last_names[i] */

static const char * const previous_reasons_samples[] = {
  "[{\"photoIdReasons\":[\"Text not clear\"]}]",
  "[{\"userPhotoReasons\":[\"Image not clear\"]},{\"generalReasons\":[\"Name mismatch\"]}]",
  "[{\"photoIdReasons\":[\"Photo hidden/No photo\",\"Invalid Id\"]}]",
  "[{\"userPhotoReasons\":[\"Face out of view\"]},{\"photoIdReasons\":[\"Not provided\"]},"
  "{\"generalReasons\":[\"Photo/ID Photo mismatch\","
  "\"La pièce d'identité est coupée : envoyez-la en entier, s'il vous plaît.\"]}]",
};

static const struct {
  const char *id;
  const char *name;
  const char *amount;
} courses[] = {
  { "course-v1:UMontreal+PSY1010+A2026", "Introduction à la psychologie", "49.00" },
  { "course-v1:UMontreal+HST2210+A2026", "Histoire du Québec contemporain", "79.00" },
  { "course-v1:UMontreal+CHM1301+A2026", "Chimie générale : structure et réactivité", "49.00" },
};

static char *
make_receipt_id (guint seed, guint index)
{
  g_autofree char *input = g_strdup_printf ("edulib-fake:%u:%u", seed, index);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);

  hex[12] = '4';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s",
                          hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static char *
make_username (GHashTable *taken, const char *first, const char *last)
{
  g_auto(GStrv) parts = g_strsplit (first, "-", -1);
  g_autoptr(GString) base = g_string_new (NULL);
  g_autofree char *slug = ascii_slug (last, FALSE);
  g_autofree char *hint_key = NULL;
  gpointer hint = NULL;
  guint n = 2;
  char *candidate;

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *p = ascii_slug (parts[i], FALSE);

      if (*p)
        g_string_append_c (base, p[0]);
    }
  g_string_append (base, slug);

  /* The next suffix to try for this base is noted in the set under
   * "\1base" (no username starts with \1), as the value: 100 000 cases
   * share a few hundred names, and trying 2, 3, 4... from the start each
   * time took minutes. */
  hint_key = g_strconcat ("\1", base->str, NULL);
  if (g_hash_table_lookup_extended (taken, hint_key, NULL, &hint))
    n = GPOINTER_TO_UINT (hint);
  candidate = g_strdup (base->str);
  for (; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s%u", base->str, n);
    }
  g_hash_table_add (taken, g_strdup (candidate));
  g_hash_table_insert (taken, g_steal_pointer (&hint_key), GUINT_TO_POINTER (n));
  return candidate;
}

static char *
present_key (const char *standard, guint form)
{
  switch (form % 3)
    {
    case 1: /* line breaks every 76 characters, as Python's base64.encodestring */
      {
        GString *out = g_string_new (NULL);
        gsize len = strlen (standard);

        for (gsize i = 0; i < len; i += 76)
          {
            g_string_append_len (out, standard + i, MIN (76, len - i));
            g_string_append_c (out, '\n');
          }
        return g_string_free (out, FALSE);
      }

    case 2: /* URL-safe alphabet */
      {
        char *out = g_strdup (standard);

        for (char *p = out; *p; p++)
          {
            if (*p == '+')
              *p = '-';
            else if (*p == '/')
              *p = '_';
          }
        return out;
      }

    default:
      return g_strdup (standard);
    }
}

static gboolean
prepare_synthetic_photo (FakeStore *self, FakePhoto *photo, GRand *rand,
                         guint aes_length, guint key_form, GError **error)
{
  g_autofree guint8 *raw = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GBytes) aes_key = NULL;

  if (photo->clear)
    return TRUE;

  raw = g_malloc (aes_length);
  for (guint i = 0; i < aes_length; i++)
    raw[i] = g_rand_int_range (rand, 0, 256);
  aes_key = g_bytes_new (raw, aes_length);
  wrapped = er_crypto_wrap_key (self->public_key, aes_key, error);
  if (wrapped == NULL)
    return FALSE;
  photo->aes_key = g_steal_pointer (&aes_key);
  photo->key = present_key (wrapped, key_form);
  return TRUE;
}

static char *
make_search_text (FakeCase *c)
{
  g_autofree char *joined = g_strjoin ("\n",
                                       c->expected_name,
                                       c->username ? c->username : "",
                                       c->email_address ? c->email_address : "",
                                       c->receipt_id,
                                       c->invoice_number ? c->invoice_number : "",
                                       NULL);

  return fold (joined);
}

static gint
compare_cases (gconstpointer a, gconstpointer b)
{
  const FakeCase *ca = *(FakeCase * const *) a;
  const FakeCase *cb = *(FakeCase * const *) b;

  if (ca->submitted_at != cb->submitted_at)
    return ca->submitted_at < cb->submitted_at ? -1 : 1;
  return g_strcmp0 (ca->receipt_id, cb->receipt_id);
}

static void
add_case (FakeStore *self, FakeCase *c)
{
  guint lo = 0, hi = self->cases->len;

  c->search_text = make_search_text (c);
  /* Kept sorted by an insertion, not a sort per case: cases are mostly
   * generated in order, and --cases=100000 must start in seconds. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_cases (&self->cases->pdata[mid], &c) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (self->cases, (gint) lo, c);
  g_hash_table_insert (self->cases_by_id, c->receipt_id, c);
}

static FakeOrder *
add_order (FakeStore *self, const char *invoice, const char *username, const char *full_name,
           const char *email, guint course)
{
  FakeOrder *o = g_new0 (FakeOrder, 1);
  guint index = course;

  course %= G_N_ELEMENTS (courses);
  o->invoice_number = g_strdup (invoice);
  o->username = g_strdup (username);
  o->full_name = g_strdup (full_name);
  o->email = g_strdup (email);
  o->course_id = courses[course].id;
  o->course_name = courses[course].name;
  o->amount = courses[course].amount;
  o->paid = TRUE;
  o->paid_at = self->start - 40 * 86400 + course * 3600 * 7 + 1337;
  /* Deadlines at 23:59 in Montréal (04:59 UTC), as the platform sets them;
   * every other order's verification deadline is past, as for a learner
   * who wrote in late. */
  o->upgrade_deadline = (self->start / 86400 + 20) * 86400 + 4 * 3600 + 59 * 60;
  o->verification_deadline = (self->start / 86400 + (index % 2 == 0 ? -12 : 9)) * 86400 +
                             4 * 3600 + 59 * 60;
  g_ptr_array_add (self->orders, o);
  g_hash_table_insert (self->orders_by_invoice, o->invoice_number, o);
  return o;
}

static void
probe_old_key_length (FakeStore *self)
{
  static const guint8 key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  g_autoptr(GBytes) key = g_bytes_new_static (key16, sizeof key16);
  g_autoptr(GBytes) plain = g_bytes_new_static ("probe", 5);
  g_autofree char *text = er_crypto_aes_encrypt (key, plain, NULL);

  self->old_key_length = text ? 16 : 32;
}

/* The reasons of earlier denials that are not the case's own
 * previous_reasons: some with a free-text note, as the LMS copies it. */
static const char * const earlier_reasons_samples[] = {
  "[{\"userPhotoReasons\":[\"Face out of view\"]},{\"generalReasons\":"
  "[\"Votre visage doit être entièrement visible, sans lunettes de soleil.\"]}]",
  "[{\"photoIdReasons\":[\"Not provided\"]}]",
  "[{\"photoIdReasons\":[\"Text not clear\"]},{\"generalReasons\":"
  "[\"Name mismatch\",\"Le nom sur la carte ne correspond pas à celui du compte.\"]}]",
};

static FakeCase *
new_earlier_case (FakeStore *self, FakeCase *c, guint n, guint attempt, gint64 submitted_at,
                  const char *previous_reasons)
{
  FakeCase *e = g_new0 (FakeCase, 1);

  e->receipt_id = make_receipt_id (self->seed, 1000000 + n);
  e->earlier = TRUE;
  e->submitted_at = submitted_at;
  e->expected_name = g_strdup (c->expected_name);
  e->id_name = g_strdup (c->id_name);
  e->username = g_strdup (c->username);
  e->email_address = g_strdup (c->email_address);
  e->course_id = g_strdup (c->course_id);
  e->attempt = attempt;
  e->previous_reasons = g_strdup (previous_reasons);
  e->user_photo = (FakePhoto) { .clear = c->user_photo.clear, .format = c->user_photo.format,
                                .orientation = c->user_photo.orientation,
                                .width = c->user_photo.width, .height = c->user_photo.height,
                                .seed = c->user_photo.seed };
  e->photo_id = (FakePhoto) { .clear = c->photo_id.clear, .format = c->photo_id.format,
                              .orientation = c->photo_id.orientation,
                              .width = c->photo_id.width, .height = c->photo_id.height,
                              .seed = c->photo_id.seed };
  return e;
}

static FakeDecision *
new_earlier_denial (FakeCase *e, const char *agent, gint64 decided_at, const char *reasons)
{
  FakeDecision *d = g_new0 (FakeDecision, 1);

  d->receipt_id = g_strdup (e->receipt_id);
  d->body = g_strdup_printf ("{\"EdX-ID\":\"%s\",\"Result\":\"FAIL\",\"Reason\":%s,"
                             "\"MessageType\":\"\"}", e->receipt_id, reasons);
  d->decided_by = g_strdup (agent);
  d->decided_at = decided_at;
  d->pass = FALSE;
  d->reason = g_strdup (reasons);
  d->earlier = TRUE;
  e->decision = d;
  return d;
}

static gint
compare_decision_times (gconstpointer a, gconstpointer b)
{
  const FakeDecision *da = *(FakeDecision * const *) a;
  const FakeDecision *db = *(FakeDecision * const *) b;

  return da->decided_at < db->decided_at ? -1 : da->decided_at > db->decided_at;
}

/* The usernames of these cases, as a set (borrowed strings): looked up
 * once per homonym, so that --cases=100000 does not take minutes. */
static GHashTable *
usernames_of (GPtrArray *cases)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < cases->len; i++)
    {
      const char *username = ((FakeCase *) g_ptr_array_index (cases, i))->username;

      if (username != NULL)
        g_hash_table_add (set, (gpointer) username);
    }
  return set;
}

/* The earlier attempts of the webcam learners at their 2nd or 3rd attempt:
 * for attempt k of n, a denied case of the same learner, submitted 10 days
 * and more before the generation (its decision older than the History
 * window's 7 days), with the reasons the next attempt's previous_reasons
 * name (the last one's: the pending case's own). The j-th such learner
 * resent the very same photos at its latest earlier attempt when j is
 * even (the same drawing, encrypted with another key), the same ID photo
 * at its attempt before that when j is odd, new photos otherwise.
 * agent.lavoie denied attempt k when j + k is even, agent.roy otherwise.
 * Each also has a homonym whose username contains theirs ("mtremblay2"),
 * denied once. None of these is pending, dumped or saved in the state. */
static gboolean
generate_earlier_attempts (FakeStore *self, GError **error)
{
  g_autoptr(GRand) key_rand = g_rand_new_with_seed (self->seed ^ 0xea71e7u);
  g_autoptr(GPtrArray) pending = g_ptr_array_copy (self->cases, NULL, NULL);
  g_autoptr(GPtrArray) earlier = g_ptr_array_new ();
  g_autoptr(GPtrArray) denials = g_ptr_array_new ();
  g_autoptr(GHashTable) taken = usernames_of (self->cases);
  guint n = 0, j = 0;

  /* A copy takes the free function along: this one owns nothing. */
  g_ptr_array_set_free_func (pending, NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      FakeCase *c = g_ptr_array_index (pending, i);
      g_autofree char *next_reasons = NULL;
      g_autofree char *homonym = NULL;
      FakeCase *e;

      if (c->email || c->attempt < 2 || c->username == NULL || c->previous_reasons == NULL)
        continue;

      next_reasons = g_strdup (c->previous_reasons);
      for (guint k = c->attempt - 1; k >= 1; k--)
        {
          guint back = c->attempt - 1 - k;
          gint64 submitted = self->start - (gint64) (10 + 7 * back) * 86400
                             - (gint64) (j % 5) * 3600 - 1234 * (gint64) k;
          g_autofree char *previous = k > 1
            ? g_strdup (earlier_reasons_samples[(j + k) % G_N_ELEMENTS (earlier_reasons_samples)])
            : NULL;

          e = new_earlier_case (self, c, n++, k, submitted, previous);
          if (back == 0 && j % 2 == 1)
            e->user_photo.seed = e->photo_id.seed = c->user_photo.seed ^ 0x9e3779b9u;
          else if (back > 0)
            {
              e->user_photo.seed ^= 0x7f4a7c15u * k;
              if (j % 2 == 0)
                e->photo_id.seed = e->user_photo.seed;
            }
          g_ptr_array_add (earlier, e);
          g_ptr_array_add (denials,
                           new_earlier_denial (e, (j + k) % 2 == 0 ? "agent.lavoie" : "agent.roy",
                                               submitted + 20 * 3600 + j * 60, next_reasons));
          g_free (next_reasons);
          next_reasons = g_steal_pointer (&previous);
        }

      for (guint suffix = 2; homonym == NULL || g_hash_table_contains (taken, homonym); suffix++)
        {
          g_free (homonym);
          homonym = g_strdup_printf ("%s%u", c->username, suffix);
        }
      e = new_earlier_case (self, c, n++, 1, self->start - 12 * 86400 - (gint64) j * 3600, NULL);
      g_free (e->username);
      e->username = g_steal_pointer (&homonym);
      e->user_photo.seed = e->photo_id.seed = c->user_photo.seed ^ 0x3c6ef372u;
      g_ptr_array_add (earlier, e);
      g_ptr_array_add (denials, new_earlier_denial (e, "agent.roy", e->submitted_at + 3 * 3600,
                                                    previous_reasons_samples[0]));
      j++;
    }

  for (guint i = 0; i < earlier->len; i++)
    {
      FakeCase *e = g_ptr_array_index (earlier, i);

      if (!prepare_synthetic_photo (self, &e->user_photo, key_rand, 32, i, error) ||
          !prepare_synthetic_photo (self, &e->photo_id, key_rand, 32, i + 1, error))
        {
          for (guint k = i; k < earlier->len; k++)
            case_free (g_ptr_array_index (earlier, k));
          g_ptr_array_foreach (denials, (GFunc) decision_free, NULL);
          return FALSE;
        }
      add_case (self, e);
    }
  /* Older than any decision taken from now on: first in the list. */
  g_ptr_array_sort (denials, compare_decision_times);
  for (guint i = 0; i < denials->len; i++)
    g_ptr_array_add (self->decisions, g_ptr_array_index (denials, i));
  return TRUE;
}

/* Two learners with one name: the case generated at index NAMESAKE_INDEX (a
 * webcam case, first attempt, neither first nor last) becomes a second
 * "François Côté" with an account of its own, so that the queue has to tell
 * them apart by username. A rename, not one more case: the counts stay. */
#define NAMESAKE_INDEX 14

static void
add_namesake (FakeStore *self, GHashTable *taken, guint n_cases)
{
  g_autofree char *id = NULL;
  FakeCase *c;

  if (n_cases < NAMESAKE_INDEX + 2)
    return;
  id = make_receipt_id (self->seed, NAMESAKE_INDEX);
  c = lookup_case (self, id);
  g_free (c->expected_name);
  c->expected_name = g_strdup ("François Côté");
  g_free (c->id_name);
  c->id_name = g_strdup (c->expected_name);
  g_free (c->username);
  c->username = make_username (taken, "François", "Côté");
  g_free (c->email_address);
  c->email_address = g_strdup_printf ("%s@example.org", c->username);
  g_free (c->search_text);
  c->search_text = make_search_text (c);
}

static gboolean
generate_cases (FakeStore *self, guint n_cases, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed);
  g_autoptr(GRand) key_rand = g_rand_new_with_seed (self->seed ^ 0x5eed5eedu);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint nf = G_N_ELEMENTS (first_names), nl = G_N_ELEMENTS (last_names);
  guint n_combos = nf * nl;
  g_autofree guint *combos = g_new (guint, n_combos);
  guint n = 0;
  gint64 oldest = self->start - 6 * 86400 + 600;
  gint64 newest = self->start - 5 * 60;
  gint mismatch_index = -1;
  gint differ_index = -1;

  /* Reserved for the orders without a case. */
  g_hash_table_add (taken, g_strdup ("fcote"));
  g_hash_table_add (taken, g_strdup ("glachancemorin"));
  g_hash_table_add (taken, g_strdup ("ofrechettedube"));

  /* The twelve "nice" names first (in a seeded order), then all other combinations. */
  for (guint i = 0; i < N_NICE; i++)
    combos[n++] = i * nl + i;
  for (guint i = N_NICE; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = combos[i - 1];
      combos[i - 1] = combos[j];
      combos[j] = t;
    }
  for (guint f = 0; f < nf; f++)
    for (guint l = 0; l < nl; l++)
      if (!(f == l && f < N_NICE))
        combos[n++] = f * nl + l;
  for (guint i = n_combos; i > N_NICE + 1; i--)
    {
      guint j = N_NICE + g_rand_int_range (rand, 0, i - N_NICE);
      guint t = combos[i - 1];
      combos[i - 1] = combos[j];
      combos[j] = t;
    }

  for (guint i = 0; i < n_cases; i++)
    {
      FakeCase *c = g_new0 (FakeCase, 1);
      guint combo = combos[i % n_combos];
      const char *first = first_names[combo / nl];
      const char *last = last_names[combo % nl];
      double frac = n_cases > 1 ? (double) i / (n_cases - 1) : 1.0;
      gint64 spacing = n_cases > 1 ? (newest - oldest) / (n_cases - 1) : 0;
      gint64 jitter = spacing > 4 ? g_rand_int_range (rand, 0, (gint32) MIN (spacing / 4, G_MAXINT32)) : 0;
      guint face_seed = g_rand_int (rand);

      c->receipt_id = make_receipt_id (self->seed, i);
      c->email = (i % 5 == 3);
      c->submitted_at = oldest + (gint64) (frac * (newest - oldest)) - (i > 0 && i + 1 < n_cases ? jitter : 0);
      c->expected_name = g_strdup_printf ("%s %s", first, last);
      c->id_name = g_strdup (c->expected_name);
      c->username = make_username (taken, first, last);
      if (i % 13 == 12 && !c->email)
        c->email_address = NULL;
      else if (i % 3 == 0)
        {
          g_autofree char *f = ascii_slug (first, TRUE);
          g_autofree char *l = ascii_slug (last, TRUE);

          c->email_address = g_strdup_printf ("%s.%s@example.org", f, l);
        }
      else
        c->email_address = g_strdup_printf ("%s@example.org", c->username);
      c->course_id = g_strdup (courses[i % G_N_ELEMENTS (courses)].id);

      if (c->email)
        {
          c->invoice_number = g_strdup_printf ("EDU-2026-%06u", 3000 + i);
          c->attempt = 1;
        }
      else
        {
          c->attempt = (i % 9 == 7) ? 3 : (i % 4 == 1) ? 2 : 1;
          if (c->attempt > 1)
            c->previous_reasons = g_strdup (previous_reasons_samples[(i / 2) % G_N_ELEMENTS (previous_reasons_samples)]);
        }

      /* Learner photo: webcam PNG, or an e-mailed phone JPEG (some rotated). */
      c->user_photo.seed = face_seed;
      c->user_photo.width = 640;
      c->user_photo.height = 480;
      if (c->email)
        {
          c->user_photo.format = FAKE_IMAGE_JPEG;
          c->user_photo.orientation = (i % 2 == 0) ? 6 : 1;
        }
      else
        {
          c->user_photo.format = FAKE_IMAGE_PNG;
          c->user_photo.orientation = 1;
        }

      /* ID card: JPEG, some with an EXIF orientation. */
      c->photo_id.seed = (i == 9) ? face_seed ^ 0xa5a5a5a5u : face_seed; /* 9: someone else's portrait */
      c->photo_id.width = 1200;
      c->photo_id.height = 760;
      c->photo_id.format = FAKE_IMAGE_JPEG;
      c->photo_id.orientation = (i % 7 == 2) ? 6 : (i % 11 == 4) ? 8 : (i % 13 == 6) ? 3 : 1;

      c->user_photo.clear = c->photo_id.clear = (i % 8 == 5);
      if (!prepare_synthetic_photo (self, &c->user_photo, key_rand,
                                    i == 7 ? self->old_key_length : 32, i, error) ||
          !prepare_synthetic_photo (self, &c->photo_id, key_rand,
                                    32, i + 1, error))
        {
          case_free (c);
          return FALSE;
        }

      if (mismatch_index < 0 && i >= 2 && !is_ascii (c->expected_name))
        {
          mismatch_index = i;
          g_free (c->id_name);
          c->id_name = strip_accents (c->expected_name);
        }
      /* And one whose ID shows another given name: one letter changed. */
      else if (differ_index < 0 && i >= 3)
        {
          differ_index = i;
          g_free (c->id_name);
          c->id_name = other_given_name (c->expected_name);
        }

      add_case (self, c);
      if (c->email)
        add_order (self, c->invoice_number, c->username, c->expected_name,
                   c->email_address, i);
    }

  add_namesake (self, taken, n_cases);

  /* Orders without a case. */
  {
    FakeOrder *o;

    add_order (self, "EDU-2026-004211", "fcote", "François Côté", "fcote@example.org", 0);
    o = add_order (self, "EDU-2026-004212", "glachancemorin", "Gabrielle Lachance-Morin",
                   "gabrielle.lachance-morin@example.org", 1);
    o->paid = FALSE;
    o->paid_at = 0;
    o = add_order (self, "EDU-2026-004213", "ofrechettedube", "Olivier Fréchette-Dubé",
                   "ofrechettedube@example.org", 2);
    o->fixed_status = "approved";
  }

  return generate_earlier_attempts (self, error);
}

/* ------------------------------------------------------------------------ */
/* JSON of the model                                                        */

static const char *
case_status (FakeCase *c)
{
  if (c->decision == NULL)
    return "pending";
  return c->decision->pass ? "approved" : "denied";
}

static char *
storage_path (FakeCase *c)
{
  return g_strdup_printf ("/face/%s", c->receipt_id);
}

static char *
sign (FakeStore *self, const char *path)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) self->storage_secret,
                                    strlen (self->storage_secret), path, -1);
}

static JsonObject *
photo_json (const char *url, FakePhoto *photo)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "url", url);
  set_nullable_string (o, "key", photo->clear ? NULL : photo->key);
  return o;
}

static JsonNode *
case_to_json (FakeStore *self, FakeCase *c, gint64 now)
{
  JsonObject *o = json_object_new ();
  g_autofree char *submitted = format_time (c->submitted_at);
  g_autofree char *path = storage_path (c);
  g_autofree char *signature = sign (self, path);
  g_autofree char *user_url = g_strdup_printf ("%s%s?X-Amz-Signature=%s",
                                               self->storage_origin ? self->storage_origin : "",
                                               path, signature);
  g_autofree char *id_url = g_strconcat (API_PHOTO_PREFIX, c->receipt_id, NULL);

  json_object_set_string_member (o, "receipt_id", c->receipt_id);
  json_object_set_string_member (o, "source", c->email ? "email" : "webcam");
  json_object_set_string_member (o, "status", case_status (c));
  json_object_set_string_member (o, "submitted_at", submitted);
  json_object_set_string_member (o, "expected_name", c->expected_name);
  set_nullable_string (o, "username", c->username);
  set_nullable_string (o, "email", c->email_address);
  set_nullable_string (o, "invoice_number", c->invoice_number);
  json_object_set_int_member (o, "attempt", c->attempt);
  if (c->previous_reasons != NULL)
    json_object_set_member (o, "previous_reasons", parse_json_text (c->previous_reasons));
  else
    json_object_set_null_member (o, "previous_reasons");
  if (c->claim_agent != NULL && c->claim_expires > now && c->decision == NULL)
    {
      JsonObject *claim = json_object_new ();
      g_autofree char *expires = format_time (c->claim_expires);

      json_object_set_string_member (claim, "agent", c->claim_agent);
      json_object_set_string_member (claim, "expires_at", expires);
      json_object_set_object_member (o, "claim", claim);
    }
  json_object_set_object_member (o, "user_photo", photo_json (user_url, &c->user_photo));
  json_object_set_object_member (o, "photo_id", photo_json (id_url, &c->photo_id));
  /* Members the client does not know about, as a real platform may add. */
  if (c->course_id != NULL)
    json_object_set_string_member (o, "course_id", c->course_id);
  if (c->message_id != NULL)
    json_object_set_string_member (o, "message_id", c->message_id);
  if (c->received_at != NULL)
    json_object_set_string_member (o, "received_at", c->received_at);

  return object_node (o);
}

static JsonObject *
decision_to_object (FakeStore *self, FakeDecision *d, gboolean with_case)
{
  JsonObject *o = json_object_new ();
  g_autofree char *at = format_time (d->decided_at);
  JsonNode *reason = parse_json_text (d->reason);

  json_object_set_string_member (o, "receipt_id", d->receipt_id);
  json_object_set_string_member (o, "status", d->pass ? "approved" : "denied");
  json_object_set_string_member (o, "result", d->pass ? "PASS" : "FAIL");
  json_object_set_member (o, "reason", reason ? reason : json_node_init_string (json_node_alloc (), ""));
  json_object_set_string_member (o, "decided_by", d->decided_by);
  json_object_set_string_member (o, "decided_at", at);
  if (with_case)
    {
      FakeCase *c = lookup_case (self, d->receipt_id);

      set_nullable_string (o, "expected_name", c ? c->expected_name : NULL);
      set_nullable_string (o, "source", c ? (c->email ? "email" : "webcam") : NULL);
    }
  return o;
}

static FakeReply *
reply_already_decided (FakeStore *self, FakeCase *c)
{
  JsonObject *extra = json_object_new ();

  json_object_set_object_member (extra, "decision", decision_to_object (self, c->decision, FALSE));
  return reply_error_extra (409, "already_decided",
                            "This case has already been decided.", extra);
}

static FakeReply *
reply_claimed_by_other (FakeCase *c)
{
  JsonObject *extra = json_object_new ();
  g_autofree char *expires = format_time (c->claim_expires);

  json_object_set_string_member (extra, "claimed_by", c->claim_agent);
  json_object_set_string_member (extra, "expires_at", expires);
  return reply_error_extra (409, "claimed_by_other",
                            "Another agent is reviewing this case.", extra);
}

static gboolean
claimed_by_other (FakeCase *c, const char *username, gint64 now)
{
  return c->claim_agent != NULL && c->claim_expires > now
         && g_strcmp0 (c->claim_agent, username) != 0;
}

/* ------------------------------------------------------------------------ */
/* Decisions                                                                */

static FakeDecision *
record_decision (FakeStore *self, FakeCase *c, const char *agent, const char *idempotency_key,
                 const char *body, gsize length, gboolean pass, JsonNode *reason)
{
  FakeDecision *d = g_new0 (FakeDecision, 1);

  d->receipt_id = g_strdup (c->receipt_id);
  d->idempotency_key = g_strdup (idempotency_key);
  d->body = g_strndup (body, length);
  d->decided_by = g_strdup (agent);
  d->decided_at = now_seconds ();
  d->pass = pass;
  if (pass || reason == NULL)
    d->reason = g_strdup ("\"\"");
  else
    d->reason = json_to_string (reason, FALSE);
  g_ptr_array_add (self->decisions, d);

  c->decision = d;
  g_clear_pointer (&c->claim_agent, g_free);
  c->claim_expires = 0;

  if (pass && c->email)
    {
      FakeManualVerification *mv = g_new0 (FakeManualVerification, 1);

      mv->username = g_strdup (c->username);
      mv->receipt_id = g_strdup (c->receipt_id);
      g_ptr_array_add (self->manual_verifications, mv);
    }
  return d;
}

/* The contract's shape: one-member objects, known groups, in order, each a
 * non-empty list of strings; then the reasons' own rules. */
static gboolean
check_reasons (JsonNode *node, char **message)
{
  static const char * const groups[] = { "userPhotoReasons", "photoIdReasons", "generalReasons" };
  g_autoptr(ErReasons) reasons = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  int last_group = -1;
  guint n_notes;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *message = g_strdup ("For FAIL, \"Reason\" must be a list of reason groups.");
      return FALSE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    {
      *message = g_strdup ("At least one reason is required.");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *group;
      g_autoptr(GList) members = NULL;
      const char *name;
      int group_index = -1;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *message = g_strdup ("Each reason group must be an object.");
          return FALSE;
        }
      group = json_node_get_object (element);
      members = json_object_get_members (group);
      if (g_list_length (members) != 1)
        {
          *message = g_strdup ("Each reason group must have exactly one member.");
          return FALSE;
        }
      name = members->data;
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        if (g_strcmp0 (name, groups[g]) == 0)
          group_index = g;
      if (group_index < 0)
        {
          *message = g_strdup_printf ("Unknown reason group “%s”.", name);
          return FALSE;
        }
      if (group_index <= last_group)
        {
          *message = g_strdup ("Reason groups must appear once each, in the order "
                               "userPhotoReasons, photoIdReasons, generalReasons.");
          return FALSE;
        }
      last_group = group_index;
      value = json_object_get_member (group, name);
      if (!JSON_NODE_HOLDS_ARRAY (value) || json_array_get_length (json_node_get_array (value)) == 0)
        {
          *message = g_strdup_printf ("“%s” must be a non-empty list of strings.", name);
          return FALSE;
        }
      n_notes = 0;
      for (guint k = 0; k < json_array_get_length (json_node_get_array (value)); k++)
        {
          JsonNode *s = json_array_get_element (json_node_get_array (value), k);
          const ErReasonInfo *info;

          if (!JSON_NODE_HOLDS_VALUE (s) || json_node_get_value_type (s) != G_TYPE_STRING
              || *json_node_get_string (s) == '\0')
            {
              *message = g_strdup_printf ("“%s” must be a non-empty list of strings.", name);
              return FALSE;
            }
          info = er_reason_lookup (json_node_get_string (s));
          if (info != NULL && (int) info->group == group_index)
            continue;
          if (group_index != ER_REASON_GROUP_GENERAL)
            {
              *message = g_strdup_printf ("“%s” is not one of the reasons of “%s”; the LMS "
                                          "would lose it.", json_node_get_string (s), name);
              return FALSE;
            }
          if (++n_notes > 1)
            {
              *message = g_strdup ("generalReasons may hold at most one free-text note.");
              return FALSE;
            }
          if (g_utf8_strlen (json_node_get_string (s), -1) > ER_REASON_NOTE_MAX_CHARS)
            {
              *message = g_strdup ("The free-text note is longer than 500 characters.");
              return FALSE;
            }
        }
    }

  reasons = er_reasons_new_from_json (node, &error);
  if (reasons == NULL || !er_reasons_validate (reasons, &error))
    {
      *message = g_strdup (error ? error->message : "The reasons are not valid.");
      return FALSE;
    }
  return TRUE;
}

static char *
idempotency_id (const FakeAgent *agent, const char *key)
{
  return g_strconcat (agent->username, "\n", key, NULL);
}

static char *
request_signature (const char *method_path, JsonNode *node)
{
  GString *out = g_string_new (method_path);

  g_string_append_c (out, '\n');
  canonicalize (node, out);
  return g_string_free (out, FALSE);
}

/* NULL when this is a new request; a replay or a 422 otherwise. */
static FakeReply *
idempotency_check (FakeStore *self, const FakeAgent *agent, const char *key, const char *request)
{
  g_autofree char *id = idempotency_id (agent, key);
  FakeIdempotency *r = g_hash_table_lookup (self->idempotency, id);

  if (r == NULL)
    return NULL;
  if (g_strcmp0 (r->request, request) != 0)
    return fake_reply_error (422, "idempotency_mismatch",
                             "This Idempotency-Key was already used with another request.");
  g_debug ("Replaying the response for Idempotency-Key %s", key);
  return reply_text (r->status, g_strdup (r->response));
}

static void
idempotency_store (FakeStore *self, const FakeAgent *agent, const char *key,
                   const char *request, FakeReply *reply)
{
  FakeIdempotency *r = g_new0 (FakeIdempotency, 1);

  r->request = g_strdup (request);
  r->status = reply->status;
  r->response = g_strdup (reply->body);
  g_hash_table_replace (self->idempotency, idempotency_id (agent, key), r);
}

FakeReply *
fake_store_decide (FakeStore *self, const FakeAgent *agent, const char *receipt_id,
                   const char *idempotency_key, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *method_path = NULL;
  g_autofree char *request = NULL;
  FakeReply *reply;
  JsonObject *o;
  const char *edx_id, *result, *message_type;
  JsonNode *reason;
  FakeCase *c;
  FakeDecision *d;
  gboolean pass;
  gint64 now = now_seconds ();

  if (idempotency_key == NULL || *idempotency_key == '\0')
    return bad_request ("The Idempotency-Key header is required.");
  node = parse_json (body, length);
  if (node == NULL)
    return bad_request ("The body is not valid JSON.");

  method_path = g_strdup_printf ("POST /cases/%s/decision", receipt_id);
  request = request_signature (method_path, node);
  reply = idempotency_check (self, agent, idempotency_key, request);
  c = lookup_case (self, receipt_id);
  if (reply != NULL)
    {
      if (reply->status == 200 && c != NULL && c->decision != NULL)
        c->decision->replays++;
      return reply;
    }

  if (c == NULL)
    return fake_reply_error (404, "not_found", "There is no case with this receipt id.");

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_request ("The body must be a JSON object.");
  o = json_node_get_object (node);
  edx_id = get_string_member (o, "EdX-ID");
  if (edx_id == NULL || g_strcmp0 (edx_id, receipt_id) != 0)
    return bad_request ("\"EdX-ID\" must be the receipt id of the case in the URL.");
  result = get_string_member (o, "Result");
  if (g_strcmp0 (result, "PASS") != 0 && g_strcmp0 (result, "FAIL") != 0)
    return bad_request ("\"Result\" must be \"PASS\" or \"FAIL\".");
  message_type = get_string_member (o, "MessageType");
  if (message_type == NULL)
    return bad_request ("\"MessageType\" must be a string.");
  pass = g_str_equal (result, "PASS");
  reason = json_object_get_member (o, "Reason");
  if (reason == NULL)
    return bad_request ("\"Reason\" is required.");
  if (pass)
    {
      if (!JSON_NODE_HOLDS_VALUE (reason) || json_node_get_value_type (reason) != G_TYPE_STRING
          || *json_node_get_string (reason) != '\0')
        return bad_request ("For PASS, \"Reason\" must be \"\".");
    }
  else
    {
      g_autofree char *message = NULL;

      if (!check_reasons (reason, &message))
        return fake_reply_error (422, "invalid_reason", message);
    }

  if (c->decision != NULL)
    {
      c->decision->conflicts++;
      return reply_already_decided (self, c);
    }
  if (claimed_by_other (c, agent->username, now))
    return reply_claimed_by_other (c);

  d = record_decision (self, c, agent->username, idempotency_key, body, length, pass,
                       pass ? NULL : reason);
  g_debug ("%s decided %s: %s", agent->username, receipt_id, result);
  reply = reply_json (200, object_node (decision_to_object (self, d, FALSE)));
  idempotency_store (self, agent, idempotency_key, request, reply);
  save_state (self);
  return reply;
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */

static const char *
query_get (GHashTable *query, const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

static gboolean
parse_limit (const char *text, guint *out)
{
  guint64 value;

  if (text == NULL)
    {
      *out = DEFAULT_LIMIT;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_LIMIT, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

static char *
make_cursor (guint offset)
{
  g_autofree char *text = g_strdup_printf ("offset=%u", offset);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

static gboolean
parse_cursor (const char *cursor, guint *out)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0, n = 0;
  guint64 value;

  if (cursor == NULL)
    {
      *out = 0;
      return TRUE;
    }
  n = strlen (cursor);
  if (n == 0 || n % 4 != 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(g_ascii_isalnum (cursor[i]) || cursor[i] == '+' || cursor[i] == '/'
          || (cursor[i] == '=' && i >= n - 2)))
      return FALSE;
  decoded = g_base64_decode (cursor, &len);
  text = g_strndup ((const char *) decoded, len);
  if (strlen (text) != len || !g_str_has_prefix (text, "offset="))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text + 7, 10, 0, G_MAXINT, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
etag_matches (const char *if_none_match, const char *etag)
{
  g_auto(GStrv) parts = NULL;

  if (if_none_match == NULL)
    return FALSE;
  parts = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (g_str_equal (p, "*"))
        return TRUE;
      if (g_str_has_prefix (p, "W/"))
        p += 2;
      if (g_str_equal (p, etag))
        return TRUE;
    }
  return FALSE;
}

static FakeReply *
page_reply (GPtrArray *items, guint offset, guint limit)
{
  JsonObject *root = json_object_new ();
  JsonArray *results = json_array_new ();

  json_object_set_int_member (root, "count", items->len);
  if ((guint64) offset + limit < items->len)
    {
      g_autofree char *next = make_cursor (offset + limit);

      json_object_set_string_member (root, "next_cursor", next);
    }
  else
    json_object_set_null_member (root, "next_cursor");
  for (guint i = offset; i < items->len && i < (guint64) offset + limit; i++)
    json_array_add_element (results, json_node_ref (g_ptr_array_index (items, i)));
  json_object_set_array_member (root, "results", results);
  return reply_json (200, object_node (root));
}

FakeReply *
fake_store_list_cases (FakeStore *self, const FakeAgent *agent, GHashTable *query,
                       const char *if_none_match)
{
  const char *status = query_get (query, "status");
  const char *source = query_get (query, "source");
  const char *q = query_get (query, "q");
  const char *order = query_get (query, "order");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *needle = NULL;
  g_autofree char *hash = NULL;
  gboolean newest;
  guint limit, offset;
  gint64 now = now_seconds ();
  FakeReply *reply;

  if (status == NULL)
    status = "pending";
  if (!g_str_equal (status, "pending") && !g_str_equal (status, "approved")
      && !g_str_equal (status, "denied"))
    return bad_request ("\"status\" must be pending, approved or denied.");
  if (source != NULL && !g_str_equal (source, "webcam") && !g_str_equal (source, "email"))
    return bad_request ("\"source\" must be webcam or email.");
  if (order != NULL && !g_str_equal (order, "oldest") && !g_str_equal (order, "newest"))
    return bad_request ("\"order\" must be oldest or newest.");
  newest = g_strcmp0 (order, "newest") == 0;
  if (!parse_limit (query_get (query, "limit"), &limit))
    return bad_request ("\"limit\" must be a number from 1 to 200.");
  if (!parse_cursor (query_get (query, "cursor"), &offset))
    return bad_request ("\"cursor\" is not a cursor returned by this server.");
  if (q != NULL && *q != '\0')
    needle = fold (q);

  for (guint k = 0; k < self->cases->len; k++)
    {
      guint i = newest ? self->cases->len - 1 - k : k;
      FakeCase *c = g_ptr_array_index (self->cases, i);

      if (!g_str_equal (case_status (c), status))
        continue;
      if (source != NULL && g_str_equal (source, "email") != c->email)
        continue;
      if (needle != NULL && strstr (c->search_text, needle) == NULL)
        continue;
      g_ptr_array_add (items, case_to_json (self, c, now));
    }

  reply = page_reply (items, offset, limit);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, reply->body, -1);
  reply->etag = g_strdup_printf ("\"%.32s\"", hash);
  if (etag_matches (if_none_match, reply->etag))
    {
      reply->status = 304;
      g_clear_pointer (&reply->body, g_free);
    }
  return reply;
}

FakeReply *
fake_store_get_case (FakeStore *self, const FakeAgent *agent, const char *receipt_id)
{
  FakeCase *c = lookup_case (self, receipt_id);

  if (c == NULL)
    return fake_reply_error (404, "not_found", "There is no case with this receipt id.");
  return reply_json (200, case_to_json (self, c, now_seconds ()));
}

FakeReply *
fake_store_claim (FakeStore *self, const FakeAgent *agent, const char *receipt_id)
{
  FakeCase *c = lookup_case (self, receipt_id);
  gint64 now = now_seconds ();

  if (c == NULL)
    return fake_reply_error (404, "not_found", "There is no case with this receipt id.");
  if (c->decision != NULL)
    return reply_already_decided (self, c);
  if (claimed_by_other (c, agent->username, now))
    return reply_claimed_by_other (c);

  g_free (c->claim_agent);
  c->claim_agent = g_strdup (agent->username);
  c->claim_expires = now + CLAIM_SECONDS;
  save_state (self);
  return reply_json (200, case_to_json (self, c, now));
}

FakeReply *
fake_store_release (FakeStore *self, const FakeAgent *agent, const char *receipt_id)
{
  FakeCase *c = lookup_case (self, receipt_id);

  if (c != NULL && g_strcmp0 (c->claim_agent, agent->username) == 0)
    {
      g_clear_pointer (&c->claim_agent, g_free);
      c->claim_expires = 0;
      save_state (self);
    }
  return reply_text (204, NULL);
}

FakeReply *
fake_store_list_decisions (FakeStore *self, const FakeAgent *agent, GHashTable *query)
{
  const char *who = query_get (query, "agent");
  const char *since_text = query_get (query, "since");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  gint64 since = G_MININT64;
  guint limit, offset;

  if (who == NULL || g_str_equal (who, "me"))
    who = agent->username;
  else if (!g_str_equal (who, agent->username) && !fake_store_agent_can (agent, "supervise"))
    return fake_reply_error (403, "forbidden",
                             "Listing another agent's decisions needs the supervise permission.");
  if (since_text != NULL && !parse_time (since_text, &since))
    return bad_request ("\"since\" must be an RFC 3339 time.");
  if (!parse_limit (query_get (query, "limit"), &limit))
    return bad_request ("\"limit\" must be a number from 1 to 200.");
  if (!parse_cursor (query_get (query, "cursor"), &offset))
    return bad_request ("\"cursor\" is not a cursor returned by this server.");

  /* Newest first: decisions are appended in time order. */
  for (guint k = self->decisions->len; k > 0; k--)
    {
      FakeDecision *d = g_ptr_array_index (self->decisions, k - 1);

      if (!g_str_equal (d->decided_by, who) || d->decided_at < since)
        continue;
      g_ptr_array_add (items, object_node (decision_to_object (self, d, TRUE)));
    }
  return page_reply (items, offset, limit);
}

FakeReply *
fake_store_get_me (FakeStore *self, const FakeAgent *agent)
{
  JsonObject *o = json_object_new ();
  JsonArray *permissions = json_array_new ();

  json_object_set_string_member (o, "username", agent->username);
  json_object_set_string_member (o, "full_name", agent->full_name);
  for (guint i = 0; agent->permissions[i]; i++)
    json_array_add_string_element (permissions, agent->permissions[i]);
  json_object_set_array_member (o, "permissions", permissions);
  return reply_json (200, object_node (o));
}

static const char *
order_status (FakeStore *self, FakeOrder *order)
{
  const char *status = "none";

  if (order->fixed_status != NULL)
    return order->fixed_status;
  for (guint i = 0; i < self->cases->len; i++)
    {
      FakeCase *c = g_ptr_array_index (self->cases, i);

      if (g_strcmp0 (c->invoice_number, order->invoice_number) == 0)
        status = case_status (c); /* the latest submission wins */
    }
  return status;
}

FakeReply *
fake_store_get_order (FakeStore *self, const FakeAgent *agent, const char *invoice_number)
{
  FakeOrder *order = invoice_number ? g_hash_table_lookup (self->orders_by_invoice, invoice_number) : NULL;
  JsonObject *o;
  g_autofree char *paid_at = NULL;
  g_autofree char *upgrade = NULL;
  g_autofree char *deadline = NULL;

  if (!fake_store_agent_can (agent, "manual_cases"))
    return fake_reply_error (403, "forbidden", "Looking up orders needs the manual_cases permission.");
  if (order == NULL)
    return fake_reply_error (404, "unknown_invoice", "No order has this invoice number.");

  o = json_object_new ();
  json_object_set_string_member (o, "invoice_number", order->invoice_number);
  json_object_set_string_member (o, "username", order->username);
  json_object_set_string_member (o, "full_name", order->full_name);
  set_nullable_string (o, "email", order->email);
  json_object_set_string_member (o, "course_id", order->course_id);
  json_object_set_string_member (o, "course_name", order->course_name);
  json_object_set_string_member (o, "mode", "verified");
  json_object_set_boolean_member (o, "paid", order->paid);
  if (order->paid)
    paid_at = format_time (order->paid_at);
  set_nullable_string (o, "paid_at", paid_at);
  json_object_set_string_member (o, "amount", order->amount);
  json_object_set_string_member (o, "currency", "CAD");
  upgrade = format_time (order->upgrade_deadline);
  deadline = format_time (order->verification_deadline);
  json_object_set_string_member (o, "upgrade_deadline", upgrade);
  json_object_set_string_member (o, "verification_deadline", deadline);
  json_object_set_string_member (o, "verification_status", order_status (self, order));
  return reply_json (200, object_node (o));
}

FakeReply *
fake_store_get_verification_key (FakeStore *self, const FakeAgent *agent)
{
  JsonObject *o = json_object_new ();
  g_autofree char *pem = er_private_key_get_public_pem (self->key);
  g_autofree char *fingerprint = er_private_key_get_fingerprint (self->key);

  set_nullable_string (o, "public_key_pem", pem);
  set_nullable_string (o, "fingerprint_sha256", fingerprint);
  return reply_json (200, object_node (o));
}

/* ------------------------------------------------------------------------ */
/* Manual cases                                                             */

static FakeCase *
find_case_by_message_id (FakeStore *self, const char *message_id)
{
  for (guint i = 0; i < self->cases->len; i++)
    {
      FakeCase *c = g_ptr_array_index (self->cases, i);

      if (c->manual && g_strcmp0 (c->message_id, message_id) == 0)
        return c;
    }
  return NULL;
}

static gboolean
get_upload (JsonObject *o, const char *name, const char **data, const char **key)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonObject *photo;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  photo = json_node_get_object (node);
  *data = get_string_member (photo, "data");
  *key = get_string_member (photo, "key");
  return *data != NULL && **data != '\0' && *key != NULL && **key != '\0';
}

static FakeCase *
new_manual_case (const char *receipt_id, gint64 submitted_at, FakeOrder *order,
                 const char *message_id, const char *received_at,
                 const char *user_data, const char *user_key,
                 const char *id_data, const char *id_key)
{
  FakeCase *c = g_new0 (FakeCase, 1);

  c->receipt_id = g_strdup (receipt_id);
  c->email = TRUE;
  c->manual = TRUE;
  c->submitted_at = submitted_at;
  c->expected_name = g_strdup (order->full_name);
  c->id_name = g_strdup (order->full_name);
  c->username = g_strdup (order->username);
  c->email_address = g_strdup (order->email);
  c->invoice_number = g_strdup (order->invoice_number);
  c->course_id = g_strdup (order->course_id);
  c->attempt = 1;
  c->message_id = g_strdup (message_id);
  c->received_at = g_strdup (received_at);
  c->user_photo.key = g_strdup (user_key);
  c->user_photo.object = g_bytes_new (user_data, strlen (user_data));
  c->photo_id.key = g_strdup (id_key);
  c->photo_id.object = g_bytes_new (id_data, strlen (id_data));
  return c;
}

FakeReply *
fake_store_create_manual_case (FakeStore *self, const FakeAgent *agent,
                               const char *idempotency_key, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *request = NULL;
  g_autofree char *receipt_id = NULL;
  g_autoptr(GBytes) user_body = NULL;
  g_autoptr(GBytes) id_body = NULL;
  g_autoptr(GBytes) user_plain = NULL;
  g_autoptr(GBytes) id_plain = NULL;
  g_autoptr(GError) error = NULL;
  const char *invoice, *username, *message_id, *received_at;
  const char *user_data, *user_key, *id_data, *id_key;
  gint64 received;
  FakeReply *reply;
  FakeOrder *order;
  FakeCase *c;
  JsonObject *o;

  if (length > FAKE_MAX_BODY)
    return fake_reply_error (413, "too_large", "The request body is over 32 MiB.");
  if (!fake_store_agent_can (agent, "manual_cases"))
    return fake_reply_error (403, "forbidden", "Creating cases needs the manual_cases permission.");
  if (idempotency_key == NULL || *idempotency_key == '\0')
    return bad_request ("The Idempotency-Key header is required.");
  node = parse_json (body, length);
  if (node == NULL)
    return bad_request ("The body is not valid JSON.");

  /* A repeated request finds its case through the message_id below and gets
   * 200 with it (the contract's answer for an existing case); the same key
   * with another body is refused. */
  request = request_signature ("POST /manual-cases", node);
  reply = idempotency_check (self, agent, idempotency_key, request);
  if (reply != NULL && reply->status != 201)
    return reply;
  g_clear_pointer (&reply, fake_reply_free);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_request ("The body must be a JSON object.");
  o = json_node_get_object (node);
  invoice = get_string_member (o, "invoice_number");
  username = get_string_member (o, "username");
  message_id = get_string_member (o, "message_id");
  received_at = get_string_member (o, "received_at");
  if (invoice == NULL || *invoice == '\0')
    return bad_request ("\"invoice_number\" is required.");
  if (username == NULL || *username == '\0')
    return bad_request ("\"username\" is required.");
  if (message_id == NULL || *message_id == '\0')
    return bad_request ("\"message_id\" is required.");
  if (json_object_has_member (o, "received_at") && !json_object_get_null_member (o, "received_at")
      && !parse_time (received_at, &received))
    return bad_request ("\"received_at\" must be an RFC 3339 time.");
  if (!get_upload (o, "user_photo", &user_data, &user_key))
    return bad_request ("\"user_photo\" must be an object with \"data\" and \"key\" strings.");
  if (!get_upload (o, "photo_id", &id_data, &id_key))
    return bad_request ("\"photo_id\" must be an object with \"data\" and \"key\" strings.");

  order = g_hash_table_lookup (self->orders_by_invoice, invoice);
  if (order == NULL)
    return fake_reply_error (404, "unknown_invoice", "No order has this invoice number.");
  if (!g_str_equal (order->username, username))
    return bad_request ("The username does not match the learner of this order.");

  c = find_case_by_message_id (self, message_id);
  if (c != NULL)
    {
      reply = reply_json (200, case_to_json (self, c, now_seconds ()));
      idempotency_store (self, agent, idempotency_key, request, reply);
      save_state (self);
      return reply;
    }

  user_body = g_bytes_new (user_data, strlen (user_data));
  user_plain = er_crypto_decrypt_photo (self->key, user_key, user_body, &error);
  if (user_plain == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The learner photo does not decrypt with "
                                                  "the verification key: %s", error->message);
      return fake_reply_error (422, "invalid_photo", message);
    }
  id_body = g_bytes_new (id_data, strlen (id_data));
  id_plain = er_crypto_decrypt_photo (self->key, id_key, id_body, &error);
  if (id_plain == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The ID photo does not decrypt with "
                                                  "the verification key: %s", error->message);
      return fake_reply_error (422, "invalid_photo", message);
    }

  receipt_id = g_uuid_string_random ();
  c = new_manual_case (receipt_id, now_seconds (), order, message_id,
                       received_at, user_data, user_key, id_data, id_key);
  add_case (self, c);
  g_debug ("%s created manual case %s for %s", agent->username, receipt_id, invoice);

  reply = reply_json (201, case_to_json (self, c, now_seconds ()));
  idempotency_store (self, agent, idempotency_key, request, reply);
  save_state (self);
  return reply;
}

/* ------------------------------------------------------------------------ */
/* Photos                                                                   */

gboolean
fake_store_get_photo (FakeStore *self, FakePhotoKind kind, const char *receipt_id,
                      GBytes **out_bytes, const char **out_content_type)
{
  FakeCase *c = lookup_case (self, receipt_id);
  FakePhoto *photo;

  if (c == NULL)
    return FALSE;
  photo = kind == FAKE_PHOTO_USER ? &c->user_photo : &c->photo_id;

  if (photo->object == NULL)
    {
      g_autoptr(GBytes) image = NULL;

      if (kind == FAKE_PHOTO_USER)
        image = fake_image_face (photo->seed, photo->width, photo->height,
                                 photo->format, photo->orientation);
      else
        image = fake_image_id_card (c->id_name, photo->seed, photo->width, photo->height,
                                    photo->format, photo->orientation);
      if (image == NULL)
        {
          g_warning ("Could not draw the %s of %s", kind == FAKE_PHOTO_USER ? "face" : "ID card",
                     receipt_id);
          image = g_bytes_new_static ("", 0);
        }

      if (photo->clear)
        photo->object = g_steal_pointer (&image);
      else
        {
          g_autoptr(GError) error = NULL;
          char *text = er_crypto_aes_encrypt (photo->aes_key, image, &error);

          if (text == NULL)
            {
              g_warning ("Could not encrypt a photo of %s: %s", receipt_id, error->message);
              return FALSE;
            }
          photo->object = g_bytes_new_take (text, strlen (text));
        }
    }

  *out_bytes = g_bytes_ref (photo->object);
  if (!photo->clear)
    *out_content_type = "text/plain";
  else
    *out_content_type = photo->format == FAKE_IMAGE_PNG ? "image/png" : "image/jpeg";
  return TRUE;
}

void
fake_store_set_photo_size (FakeStore *self, const int *widths, const int *heights,
                           guint n_sizes, int format)
{
  guint index = 0;

  g_return_if_fail (n_sizes > 0);

  for (guint i = 0; i < self->cases->len; i++)
    {
      FakeCase *c = self->cases->pdata[i];
      FakePhoto *photos[] = { &c->user_photo, &c->photo_id };
      int width = widths[index % n_sizes], height = heights[index % n_sizes];

      if (c->manual || c->earlier)
        continue;
      index++;
      for (guint k = 0; k < G_N_ELEMENTS (photos); k++)
        {
          if (photos[k]->object != NULL)
            continue;
          photos[k]->width = width;
          photos[k]->height = height;
          photos[k]->orientation = 1;
          if (format >= 0)
            photos[k]->format = (FakeImageFormat) format;
        }
    }
}

void
fake_store_note_list_answered (FakeStore *self)
{
  self->last_list_answered = g_get_monotonic_time ();
  if (self->first_list_answered == 0)
    self->first_list_answered = self->last_list_answered;
  self->list_answers++;
}

char *
fake_store_timing_json (FakeStore *self)
{
  return g_strdup_printf ("{\"first_list_answered_us\": %" G_GINT64_FORMAT ", "
                          "\"last_list_answered_us\": %" G_GINT64_FORMAT ", "
                          "\"list_answers\": %u}",
                          self->first_list_answered, self->last_list_answered,
                          self->list_answers);
}

gboolean
fake_store_check_signature (FakeStore *self, const char *path, const char *signature)
{
  g_autofree char *expected = NULL;

  if (path == NULL || signature == NULL)
    return FALSE;
  expected = sign (self, path);
  return g_ascii_strcasecmp (expected, signature) == 0;
}

void
fake_store_log_photo_request (FakeStore *self, gboolean storage, const char *path,
                              gboolean authorization)
{
  FakePhotoRequest *r = g_new0 (FakePhotoRequest, 1);

  r->path = g_strdup (path);
  r->authorization = authorization;
  g_ptr_array_add (storage ? self->storage_requests : self->api_photo_requests, r);
  g_debug ("%s photo request %s (Authorization: %s)", storage ? "storage" : "API",
           path, authorization ? "yes" : "no");
}

/* ------------------------------------------------------------------------ */
/* Test-only endpoints                                                      */

static JsonArray *
photo_requests_json (GPtrArray *requests)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < requests->len; i++)
    {
      FakePhotoRequest *r = g_ptr_array_index (requests, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "path", r->path);
      json_object_set_boolean_member (o, "authorization", r->authorization);
      json_array_add_object_element (array, o);
    }
  return array;
}

FakeReply *
fake_store_dump_state (FakeStore *self, JsonObject *extra)
{
  JsonObject *root = json_object_new ();
  JsonArray *cases = json_array_new ();
  JsonArray *decisions = json_array_new ();
  JsonArray *verifications = json_array_new ();
  gint64 now = now_seconds ();

  /* The generated earlier attempts are left out: they are no test's doing. */
  for (guint i = 0; i < self->cases->len; i++)
    if (!((FakeCase *) g_ptr_array_index (self->cases, i))->earlier)
      json_array_add_element (cases, case_to_json (self, g_ptr_array_index (self->cases, i), now));
  json_object_set_array_member (root, "cases", cases);

  for (guint i = 0; i < self->decisions->len; i++)
    {
      FakeDecision *d = g_ptr_array_index (self->decisions, i);
      JsonObject *o;
      g_autofree char *at = NULL;
      JsonNode *body;

      if (d->earlier)
        continue;
      o = json_object_new ();
      at = format_time (d->decided_at);
      body = parse_json_text (d->body);

      json_object_set_string_member (o, "receipt_id", d->receipt_id);
      set_nullable_string (o, "idempotency_key", d->idempotency_key);
      json_object_set_member (o, "body", body ? body : json_node_new (JSON_NODE_NULL));
      json_object_set_string_member (o, "decided_by", d->decided_by);
      json_object_set_string_member (o, "decided_at", at);
      json_object_set_int_member (o, "replays", d->replays);
      json_object_set_int_member (o, "conflicts", d->conflicts);
      json_array_add_object_element (decisions, o);
    }
  json_object_set_array_member (root, "decisions", decisions);

  json_object_set_array_member (root, "storage_requests",
                                photo_requests_json (self->storage_requests));
  json_object_set_array_member (root, "api_photo_requests",
                                photo_requests_json (self->api_photo_requests));

  for (guint i = 0; i < self->manual_verifications->len; i++)
    {
      FakeManualVerification *mv = g_ptr_array_index (self->manual_verifications, i);
      JsonObject *o = json_object_new ();

      set_nullable_string (o, "username", mv->username);
      json_object_set_string_member (o, "receipt_id", mv->receipt_id);
      json_array_add_object_element (verifications, o);
    }
  json_object_set_array_member (root, "manual_verifications", verifications);

  if (extra != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (root, l->data,
                                json_node_copy (json_object_get_member (extra, l->data)));
      json_object_unref (extra);
    }

  return reply_json (200, object_node (root));
}

static const FakeAgent *
agent_from_body (FakeStore *self, JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return lookup_agent (self, get_string_member (json_node_get_object (node), "agent"));
}

FakeReply *
fake_store_force_claim (FakeStore *self, const char *receipt_id, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = parse_json (body, length);
  const FakeAgent *agent = agent_from_body (self, node);
  FakeCase *c = lookup_case (self, receipt_id);
  gint64 now = now_seconds ();

  if (agent == NULL)
    return bad_request ("The body must be {\"agent\": \"<known agent username>\"}.");
  if (c == NULL)
    return fake_reply_error (404, "not_found", "There is no case with this receipt id.");
  if (c->decision != NULL)
    return reply_already_decided (self, c);

  g_free (c->claim_agent);
  c->claim_agent = g_strdup (agent->username);
  c->claim_expires = now + CLAIM_SECONDS;
  save_state (self);
  return reply_json (200, case_to_json (self, c, now));
}

FakeReply *
fake_store_force_decision (FakeStore *self, const char *receipt_id, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = parse_json (body, length);
  const FakeAgent *agent = agent_from_body (self, node);
  FakeCase *c = lookup_case (self, receipt_id);
  g_autoptr(JsonNode) default_reason = NULL;
  const char *result;
  JsonNode *reason;
  FakeDecision *d;
  gboolean pass;

  if (agent == NULL)
    return bad_request ("The body must be {\"agent\": \"<known agent username>\", \"Result\": ...}.");
  result = get_string_member (json_node_get_object (node), "Result");
  if (g_strcmp0 (result, "PASS") != 0 && g_strcmp0 (result, "FAIL") != 0)
    return bad_request ("\"Result\" must be \"PASS\" or \"FAIL\".");
  if (c == NULL)
    return fake_reply_error (404, "not_found", "There is no case with this receipt id.");
  if (c->decision != NULL)
    return reply_already_decided (self, c);

  pass = g_str_equal (result, "PASS");
  reason = json_object_get_member (json_node_get_object (node), "Reason");
  if (!pass && (reason == NULL || !JSON_NODE_HOLDS_ARRAY (reason)))
    {
      default_reason = parse_json_text ("[{\"generalReasons\":[\"Name mismatch\"]}]");
      reason = default_reason;
    }
  d = record_decision (self, c, agent->username, NULL, body, length, pass, reason);
  save_state (self);
  return reply_json (200, object_node (decision_to_object (self, d, FALSE)));
}

static const char *
token_from_body (JsonNode *node)
{
  const char *token;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  token = get_string_member (json_node_get_object (node), "token");
  return token != NULL && *token != '\0' ? token : NULL;
}

static FakeReply *
reply_token (const char *token, const FakeAgent *agent, gboolean valid)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "token", token);
  json_object_set_string_member (o, "agent", agent->username);
  json_object_set_boolean_member (o, "valid", valid);
  return reply_json (200, object_node (o));
}

FakeReply *
fake_store_revoke_token (FakeStore *self, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = parse_json (body, length);
  const char *token = token_from_body (node);
  const FakeAgent *agent;
  FakeReply *reply;

  if (token == NULL)
    return bad_request ("The body must be {\"token\": \"<a valid token>\"}.");
  agent = g_hash_table_lookup (self->tokens, token);
  if (agent == NULL)
    return fake_reply_error (404, "not_found", "This token is not valid (unknown or already revoked).");
  g_debug ("Token of %s revoked", agent->username);
  reply = reply_token (token, agent, FALSE);
  g_hash_table_remove (self->tokens, token);
  return reply;
}

FakeReply *
fake_store_add_token (FakeStore *self, const char *body, gsize length)
{
  g_autoptr(JsonNode) node = parse_json (body, length);
  const char *token = token_from_body (node);
  const char *username = NULL;
  const FakeAgent *agent;

  if (token == NULL)
    return bad_request ("The body must be {\"token\": \"<new token>\", \"agent\": \"<username>\"}.");
  username = get_string_member (json_node_get_object (node), "agent");
  agent = lookup_agent (self, username != NULL ? username : self->agents[0].username);
  if (agent == NULL)
    return bad_request ("\"agent\" must be the username of a known agent.");
  if (g_hash_table_contains (self->tokens, token)
      && g_hash_table_lookup (self->tokens, token) != agent)
    return fake_reply_error (409, "conflict", "This token belongs to another agent.");
  g_hash_table_replace (self->tokens, g_strdup (token), (gpointer) agent);
  return reply_token (token, agent, TRUE);
}

FakeReply *
fake_store_restore_tokens (FakeStore *self)
{
  JsonArray *tokens = json_array_new ();
  JsonObject *o = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    g_hash_table_replace (self->tokens, g_strdup (self->agents[i].token), &self->agents[i]);
  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    json_array_add_string_element (tokens, self->agents[i].token);
  json_object_set_array_member (o, "restored", tokens);
  return reply_json (200, object_node (o));
}

/* ------------------------------------------------------------------------ */
/* Loading the state                                                        */

static JsonNode *
read_state (const char *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (path == NULL)
    return NULL;
  if (!g_file_get_contents (path, &text, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Could not read the state file %s: %s", path, error->message);
      return NULL;
    }
  node = parse_json (text, length);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_warning ("The state file %s is not a JSON object; ignoring it", path);
      return NULL;
    }
  return g_steal_pointer (&node);
}

static void
load_state (FakeStore *self, JsonNode *node)
{
  JsonObject *root;
  JsonArray *array;
  JsonNode *member;
  gint64 now = now_seconds ();

  if (node == NULL)
    return;
  root = json_node_get_object (node);

#define ARRAY_MEMBER(name) \
  (((member = json_object_get_member (root, name)) && JSON_NODE_HOLDS_ARRAY (member)) \
   ? json_node_get_array (member) : NULL)

  if ((array = ARRAY_MEMBER ("manual_cases")))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *e = json_array_get_element (array, i);
        JsonObject *o;
        const char *user_data, *user_key, *id_data, *id_key;
        const char *receipt_id, *invoice;
        FakeOrder *order;
        gint64 submitted = now;

        if (!JSON_NODE_HOLDS_OBJECT (e))
          continue;
        o = json_node_get_object (e);
        receipt_id = get_string_member (o, "receipt_id");
        invoice = get_string_member (o, "invoice_number");
        order = invoice ? g_hash_table_lookup (self->orders_by_invoice, invoice) : NULL;
        if (receipt_id == NULL || order == NULL || lookup_case (self, receipt_id) != NULL
            || !get_upload (o, "user_photo", &user_data, &user_key)
            || !get_upload (o, "photo_id", &id_data, &id_key))
          continue;
        parse_time (get_string_member (o, "submitted_at"), &submitted);
        add_case (self, new_manual_case (receipt_id, submitted, order,
                                         get_string_member (o, "message_id"),
                                         get_string_member (o, "received_at"),
                                         user_data, user_key, id_data, id_key));
      }

  if ((array = ARRAY_MEMBER ("decisions")))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *e = json_array_get_element (array, i);
        JsonObject *o;
        FakeCase *c;
        FakeDecision *d;
        const char *body, *by, *result, *reason;
        gint64 at;

        if (!JSON_NODE_HOLDS_OBJECT (e))
          continue;
        o = json_node_get_object (e);
        c = lookup_case (self, get_string_member (o, "receipt_id"));
        body = get_string_member (o, "body");
        by = get_string_member (o, "decided_by");
        result = get_string_member (o, "result");
        reason = get_string_member (o, "reason");
        if (c == NULL || c->decision != NULL || body == NULL || by == NULL || result == NULL
            || !parse_time (get_string_member (o, "decided_at"), &at))
          continue;
        {
          g_autoptr(JsonNode) reason_node = parse_json_text (reason);

          d = record_decision (self, c, by, get_string_member (o, "idempotency_key"),
                               body, strlen (body), g_str_equal (result, "PASS"), reason_node);
          d->decided_at = at;
        }
      }

  /* record_decision() re-added them; the saved list is authoritative. */
  g_ptr_array_set_size (self->manual_verifications, 0);
  if ((array = ARRAY_MEMBER ("manual_verifications")))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *e = json_array_get_element (array, i);
        FakeManualVerification *mv;

        if (!JSON_NODE_HOLDS_OBJECT (e) || get_string_member (json_node_get_object (e), "receipt_id") == NULL)
          continue;
        mv = g_new0 (FakeManualVerification, 1);
        mv->username = g_strdup (get_string_member (json_node_get_object (e), "username"));
        mv->receipt_id = g_strdup (get_string_member (json_node_get_object (e), "receipt_id"));
        g_ptr_array_add (self->manual_verifications, mv);
      }

  if ((array = ARRAY_MEMBER ("claims")))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *e = json_array_get_element (array, i);
        JsonObject *o;
        FakeCase *c;
        const char *agent;
        gint64 expires;

        if (!JSON_NODE_HOLDS_OBJECT (e))
          continue;
        o = json_node_get_object (e);
        c = lookup_case (self, get_string_member (o, "receipt_id"));
        agent = get_string_member (o, "agent");
        if (c == NULL || c->decision != NULL || agent == NULL
            || !parse_time (get_string_member (o, "expires_at"), &expires) || expires <= now)
          continue;
        g_free (c->claim_agent);
        c->claim_agent = g_strdup (agent);
        c->claim_expires = expires;
      }

  if ((array = ARRAY_MEMBER ("idempotency")))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *e = json_array_get_element (array, i);
        JsonObject *o;
        FakeIdempotency *r;
        const char *id, *request, *response;

        if (!JSON_NODE_HOLDS_OBJECT (e))
          continue;
        o = json_node_get_object (e);
        id = get_string_member (o, "id");
        request = get_string_member (o, "request");
        response = get_string_member (o, "response");
        if (id == NULL || request == NULL || response == NULL)
          continue;
        r = g_new0 (FakeIdempotency, 1);
        r->request = g_strdup (request);
        r->response = g_strdup (response);
        r->status = json_object_get_int_member_with_default (o, "status", 200);
        g_hash_table_replace (self->idempotency, g_strdup (id), r);
      }
#undef ARRAY_MEMBER

  g_debug ("Loaded the state from %s: %u decisions", self->state_path, self->decisions->len);
}

/* ------------------------------------------------------------------------ */

static void
set_agent (FakeAgent *agent, const char *username, const char *full_name, const char *token,
           const char *permission1, const char *permission2)
{
  agent->username = g_strdup (username);
  agent->full_name = g_strdup (full_name);
  agent->token = g_strdup (token);
  agent->permissions[0] = permission1;
  agent->permissions[1] = permission2;
  agent->permissions[2] = NULL;
}

FakeStore *
fake_store_new (guint n_cases, guint seed, const char *main_token, ErPrivateKey *key,
                const char *state_path, GError **error)
{
  g_autoptr(FakeStore) self = g_new0 (FakeStore, 1);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *public_pem = NULL;

  self->seed = seed;
  self->start = now_seconds ();
  self->key = er_private_key_ref (key);
  self->state_path = g_strdup (state_path);
  self->storage_secret = g_strdup_printf ("edulib-fake-storage-secret-%u", seed);
  self->storage_origin = g_strdup ("");

  set_agent (&self->agents[0], "agent.lavoie", "Sophie Lavoie", main_token,
             "review", "manual_cases");
  set_agent (&self->agents[1], "agent.roy", "Marc Roy", "other-token", "review", NULL);

  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    g_hash_table_replace (self->tokens, g_strdup (self->agents[i].token), &self->agents[i]);

  self->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  self->cases_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) order_free);
  self->orders_by_invoice = g_hash_table_new (g_str_hash, g_str_equal);
  self->decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) decision_free);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) idempotency_free);
  self->manual_verifications = g_ptr_array_new_with_free_func ((GDestroyNotify) manual_verification_free);
  self->storage_requests = g_ptr_array_new_with_free_func ((GDestroyNotify) photo_request_free);
  self->api_photo_requests = g_ptr_array_new_with_free_func ((GDestroyNotify) photo_request_free);

  public_pem = er_private_key_get_public_pem (key);
  if (public_pem == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "Could not get the public key of the verification key");
      return NULL;
    }
  self->public_key = er_public_key_new_from_pem (public_pem, strlen (public_pem), error);
  if (self->public_key == NULL)
    return NULL;

  /* With a state file, the synthetic cases keep the times of the first run. */
  state = read_state (state_path);
  if (state != NULL)
    parse_time (get_string_member (json_node_get_object (state), "generated_at"), &self->start);

  probe_old_key_length (self);
  if (!generate_cases (self, n_cases, error))
    return NULL;
  load_state (self, state);

  return g_steal_pointer (&self);
}

void
fake_store_free (FakeStore *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    {
      g_free (self->agents[i].username);
      g_free (self->agents[i].full_name);
      g_free (self->agents[i].token);
    }
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->cases_by_id, g_hash_table_unref);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_pointer (&self->orders_by_invoice, g_hash_table_unref);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->idempotency, g_hash_table_unref);
  g_clear_pointer (&self->manual_verifications, g_ptr_array_unref);
  g_clear_pointer (&self->storage_requests, g_ptr_array_unref);
  g_clear_pointer (&self->api_photo_requests, g_ptr_array_unref);
  g_clear_pointer (&self->key, er_private_key_unref);
  g_clear_pointer (&self->public_key, er_public_key_unref);
  g_free (self->state_path);
  g_free (self->storage_origin);
  g_free (self->storage_secret);
  g_free (self);
}

void
fake_store_set_storage_origin (FakeStore *self, const char *origin)
{
  g_free (self->storage_origin);
  self->storage_origin = g_strdup (origin);
}

const FakeAgent *
fake_store_authenticate (FakeStore *self, const char *token)
{
  if (token == NULL || *token == '\0')
    return NULL;
  return g_hash_table_lookup (self->tokens, token);
}

gboolean
fake_store_agent_can (const FakeAgent *agent, const char *permission)
{
  for (guint i = 0; agent->permissions[i]; i++)
    if (g_str_equal (agent->permissions[i], permission))
      return TRUE;
  return FALSE;
}
