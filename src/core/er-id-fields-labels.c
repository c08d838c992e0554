/* er-id-fields-labels.c: the labels of a line an OCR read, matched
 * tolerantly on a key of the line (er-id-fields.c says how). Split from
 * er-id-fields.c; no state outside the call. */
#include "config.h"

#include <string.h>

#include "er-id-fields-private.h"

/* A field's labels as keys (letters and digits, no accents, lower case),
 * French and English. A label is one form of either list, or a French
 * form and an English one in either order. A form starting with '+' is
 * only a label in such a pair: "NAME/NOM" is the whole name, "NOM" alone
 * the surname. */
typedef struct {
  LabelKind           kind;
  const char * const *fr;
  const char * const *en;
} LabelField;

static const char * const surname_fr[] = {
  "nom", "noms", "nomdefamille", "nomdenaissance", "nomalanaissance", NULL };
static const char * const surname_en[] = {
  "surname", "surnames", "lastname", "familyname", NULL };
static const char * const given_fr[] = {
  "prenom", "prenoms", "prenomsusuels", NULL };
static const char * const given_en[] = {
  "givenname", "givennames", "firstname", "firstnames", "forename", "forenames", NULL };
static const char * const full_fr[] = {
  "nomprenom", "nomprenoms", "nometprenom", "nometprenoms", "nomcomplet", "+nom", NULL };
static const char * const full_en[] = {
  "name", "fullname", "surnamegivennames", "lastnamefirstname", NULL };
static const char * const expiry_fr[] = {
  "datedexpiration", "dateexpiration", "datedexp", "expiration", "expire", "expirele",
  "expiresle", "datedexpir", "validejusquau", "valablejusquau", "valablejusqua", "findevalidite", NULL };
static const char * const expiry_en[] = {
  "dateofexpiry", "dateofexpiration", "expirydate", "expirationdate", "expiry", "expires",
  "expireson", "exp", "expdate", "validuntil", "validthru", NULL };
static const char * const issue_fr[] = {
  "datededelivrance", "delivrance", "delivrele", "datedemission", "emisle", NULL };
static const char * const issue_en[] = {
  "dateofissue", "issuedate", "issued", "issuedon", "iss", NULL };
static const char * const birth_fr[] = {
  "datedenaissance", "dateetlieudenaissance", "neele", NULL };
static const char * const birth_en[] = {
  "dateofbirth", "dateandplaceofbirth", "birthdate", "dob", NULL };
/* Labels of other fields: a line holding one is not a name, and what
 * follows them is not taken for one ("Nom d'usage" is not "Nom"). */
static const char * const other_fr[] = {
  "sexe", "nationalite", "lieudenaissance", "type", "code", "codedupays", "pays",
  "paysdemission", "numerodepasseport", "nodepasseport", "numerodudocument", "nodudocument",
  "autorite", "autoritededelivrance", "signature", "signaturedutitulaire", "adresse",
  "domicile", "taille", "yeux", "classe", "categorie", "numero", "numerodepermis",
  "nodepermis", "nomdusage", "observations", "restrictions", "conditions", NULL };
static const char * const other_en[] = {
  "sex", "nationality", "placeofbirth", "type", "code", "country", "countrycode",
  "issuingcountry", "passportno", "passportnumber", "documentno", "documentnumber",
  "authority", "issuingauthority", "signature", "holderssignature", "address", "height",
  "eyes", "class", "number", "licenceno", "licencenumber", "licenseno", "licensenumber",
  "restrictions", "conditions", "endorsements", "usedname", NULL };

static const LabelField label_fields[] = {
  { LABEL_SURNAME, surname_fr, surname_en },
  { LABEL_GIVEN,   given_fr,   given_en },
  { LABEL_FULL,    full_fr,    full_en },
  { LABEL_EXPIRY,  expiry_fr,  expiry_en },
  { LABEL_ISSUE,   issue_fr,   issue_en },
  { LABEL_BIRTH,   birth_fr,   birth_en },
  { LABEL_OTHER,   other_fr,   other_en },
};

/* Longer than any form above, with room for the edit. */
#define MAX_FORM 48

/* ---- The line's key ---- */

typedef struct {
  gunichar c;      /* lower case, accent stripped */
  guint    start;  /* the bytes of the line it came from */
  guint    end;
} KeyChar;

gboolean
_er_id_is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
         || type == G_UNICODE_ENCLOSING_MARK;
}

/* A character of a word: a letter or a digit, or an accent on one. */
gboolean
_er_id_is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || _er_id_is_mark (c);
}

gunichar
_er_id_fold (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  return g_unichar_tolower (n > 0 ? decomposed[0] : c);
}

static GArray *
key_new (const char *text)
{
  GArray *key = g_array_new (FALSE, FALSE, sizeof (KeyChar));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      KeyChar k;

      if (!g_unichar_isalnum (c))
        continue;
      k.c = _er_id_fold (c);
      k.start = p - text;
      k.end = g_utf8_next_char (p) - text;
      if (k.c == 'n' && key->len > 0)
        {
          KeyChar *prev = &g_array_index (key, KeyChar, key->len - 1);

          if (prev->c == 'r' && prev->end == k.start)
            {
              prev->c = 'm';
              prev->end = k.end;
              continue;
            }
        }
      g_array_append_val (key, k);
    }
  return key;
}

/* A form as the key reads it: "rn" as "m". Returns its length. */
static guint
form_key (const char *form,
          gunichar   *out)
{
  guint n = 0;

  for (const char *p = form; *p != '\0' && n < MAX_FORM; p++)
    {
      if (p[0] == 'r' && p[1] == 'n')
        {
          out[n++] = 'm';
          p++;
        }
      else
        out[n++] = (guchar) *p;
    }
  return n;
}

/* For each n from 0 to the returned maximum, dist[n] is the edit distance
 * between form and the n key characters from at; 0 when the first two
 * characters already cost more than one edit (most forms at most words). */
static guint
form_distances (const gunichar *form,
                guint           form_len,
                const KeyChar  *key,
                guint           key_len,
                guint           at,
                guint          *dist)
{
  guint max_n = MIN (key_len - at, form_len + 1);
  guint row[MAX_FORM + 2];
  gunichar k0 = key[at].c;
  gunichar k1 = at + 1 < key_len ? key[at + 1].c : 0;

  if (form_len >= 2 && k0 != form[0] && k0 != form[1] && k1 != form[0] && k1 != form[1])
    return 0;

  for (guint j = 0; j <= max_n; j++)
    dist[j] = j;
  for (guint i = 1; i <= form_len; i++)
    {
      row[0] = i;
      for (guint j = 1; j <= max_n; j++)
        {
          guint best = dist[j - 1] + (form[i - 1] != key[at + j - 1].c ? 1 : 0);

          best = MIN (best, dist[j] + 1);
          best = MIN (best, row[j - 1] + 1);
          row[j] = best;
        }
      memcpy (dist, row, sizeof (guint) * (max_n + 1));
    }
  return max_n;
}

/* ---- Finding labels ---- */

typedef struct {
  const char *text;
  GArray     *key;
  guint       at;       /* where the label starts in the key */
  gboolean    head;     /* nothing but junk before it on its line */
  gboolean    found;
  LabelKind   kind;
  guint       end;      /* key index after the best label so far */
  guint       cost;
} Matcher;

gunichar
_er_id_char_before (const char *text,
                    guint       offset)
{
  const char *prev = g_utf8_find_prev_char (text, text + offset);

  return prev != NULL ? g_utf8_get_char (prev) : 0;
}

/* Whether a word ends before key index end: the text goes on with no
 * letter or digit, or "SurnameCÔTÉ", "EXP2026-05-28" (a space lost). */
static gboolean
ends_word (const Matcher *m,
           guint          end)
{
  const KeyChar *last = &g_array_index (m->key, KeyChar, end - 1);
  gunichar next = g_utf8_get_char (m->text + last->end);
  gunichar prev = _er_id_char_before (m->text, last->end);

  if (next == 0 || !_er_id_is_word_char (next))
    return TRUE;
  if (g_unichar_islower (prev) && g_unichar_isupper (next))
    return TRUE;
  return g_unichar_isalpha (prev) && g_unichar_isdigit (next);
}

static void
consider (Matcher   *m,
          LabelKind  kind,
          guint      end,
          guint      cost,
          guint      letters,
          gboolean   pair)
{
  if (cost > 0 && (letters < 5 || !(m->head || pair)))
    return;
  if (end <= m->at || !ends_word (m, end))
    return;
  if (m->found && (end < m->end || (end == m->end && cost >= m->cost)))
    return;
  m->found = TRUE;
  m->kind = kind;
  m->end = end;
  m->cost = cost;
}

/* One edit at most in a label (whether it may have one is checked when
 * the whole label is known). */
#define MAX_COST 1

static void
match_second (Matcher            *m,
              LabelKind           kind,
              const char * const *forms,
              guint               at,
              guint               cost,
              guint               letters)
{
  const KeyChar *key = (const KeyChar *) m->key->data;
  guint key_len = m->key->len;

  if (at >= key_len)
    return;
  for (guint f = 0; forms[f] != NULL; f++)
    {
      const char *form = forms[f][0] == '+' ? forms[f] + 1 : forms[f];
      gunichar chars[MAX_FORM];
      guint dist[MAX_FORM + 2];
      guint len = form_key (form, chars);
      guint max_n = form_distances (chars, len, key, key_len, at, dist);

      for (guint n = 1; n <= max_n; n++)
        if (cost + dist[n] <= MAX_COST)
          consider (m, kind, at + n, cost + dist[n], letters + strlen (form), TRUE);
    }
}

static void
match_field (Matcher          *m,
             const LabelField *field)
{
  const KeyChar *key = (const KeyChar *) m->key->data;
  guint key_len = m->key->len;

  for (guint lang = 0; lang < 2; lang++)
    {
      const char * const *forms = lang == 0 ? field->fr : field->en;
      const char * const *others = lang == 0 ? field->en : field->fr;

      for (guint f = 0; forms[f] != NULL; f++)
        {
          gboolean alone = forms[f][0] != '+';
          const char *form = alone ? forms[f] : forms[f] + 1;
          gunichar chars[MAX_FORM];
          guint dist[MAX_FORM + 2];
          guint len = form_key (form, chars);
          guint max_n = form_distances (chars, len, key, key_len, m->at, dist);

          for (guint n = 1; n <= max_n; n++)
            {
              guint end = m->at + n;

              if (dist[n] > MAX_COST)
                continue;
              /* One form alone, misread: only a label whose value we
               * want. A name starting one letter away from a label we do
               * not read ("ÉMILE …" and "Émis le") stays a name. */
              if (alone && (dist[n] == 0 || field->kind <= LABEL_EXPIRY))
                consider (m, field->kind, end, dist[n], strlen (form), FALSE);
              match_second (m, field->kind, others, end, dist[n], strlen (form));
              /* A slash read as a letter between the two. */
              if (end < key_len && key[end].c < 0x80 && strchr ("li1j", (int) key[end].c) != NULL)
                match_second (m, field->kind, others, end + 1, dist[n], strlen (form));
            }
        }
    }
}

gboolean
_er_id_is_field_number (const char *s,
                        gsize       len)
{
  gsize i = 0, digits = 0;

  while (i < len && g_ascii_isdigit (s[i]) && digits < 3)
    i++, digits++;
  if (digits == 0 || digits > 2)
    return FALSE;
  if (i < len && strchr ("abcdABCD", s[i]) != NULL)
    i++;
  if (i < len && strchr (".):", s[i]) != NULL)
    i++;
  return i == len;
}

/* A token that cannot be (part of) a value: punctuation only, one
 * character, or a field number ("1", "4b."). */
static gboolean
is_junk_token (const char *s,
               gsize       len)
{
  gboolean any = FALSE;

  if (g_utf8_strlen (s, len) <= 1 || _er_id_is_field_number (s, len))
    return TRUE;
  for (const char *p = s; p < s + len; p = g_utf8_next_char (p))
    any = any || g_unichar_isalnum (g_utf8_get_char (p));
  return !any;
}

static gboolean
only_junk_before (const char *text,
                  guint       end)
{
  const char *p = text;
  const char *stop = text + end;

  while (p < stop)
    {
      const char *start;

      while (p < stop && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (p < stop && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start && !is_junk_token (start, p - start))
        return FALSE;
    }
  return TRUE;
}

/* Whether a word starts at key index at. */
static gboolean
starts_word (const char *text,
             GArray     *key,
             guint       at)
{
  const KeyChar *k = &g_array_index (key, KeyChar, at);
  gunichar prev = _er_id_char_before (text, k->start);

  if (prev == 0 || !_er_id_is_word_char (prev))
    return TRUE;
  /* "1NOM", "4bEXP": a field number with its space lost */
  return g_unichar_isdigit (prev) && g_unichar_isalpha (g_utf8_get_char (text + k->start));
}

/* The labels of a line, left to right, the longest at each word; between
 * two labels, or after the last, is the value of the one before. Only a
 * label at the head of a line (after junk or a field number) or one of two
 * forms may be misread: elsewhere a word misread into a label's would cost
 * a name. */
static GArray *
find_labels (const char *text,
             GArray     *key)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (Label));
  guint at = 0;

  while (at < key->len)
    {
      Matcher m = { text, key, at, FALSE, FALSE, 0, 0, 0 };

      if (!starts_word (text, key, at))
        {
          at++;
          continue;
        }
      m.head = labels->len == 0
               && only_junk_before (text, g_array_index (key, KeyChar, at).start);
      for (guint f = 0; f < G_N_ELEMENTS (label_fields); f++)
        match_field (&m, &label_fields[f]);
      if (!m.found)
        {
          at++;
          continue;
        }

      {
        Label label = {
          .kind = m.kind,
          .label_start = g_array_index (key, KeyChar, at).start,
          .label_end = g_array_index (key, KeyChar, m.end - 1).end,
          .value_end = strlen (text),
        };

        if (labels->len > 0)
          g_array_index (labels, Label, labels->len - 1).value_end = label.label_start;
        g_array_append_val (labels, label);
      }
      at = m.end;
    }
  return labels;
}

GArray *
_er_id_find_labels (const char *text,
                    gboolean   *junk)
{
  g_autoptr(GArray) key = key_new (text);

  *junk = key->len < 2;
  return find_labels (text, key);
}

