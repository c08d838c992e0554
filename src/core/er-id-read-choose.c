/* er-id-read-choose.c: which of two readings of one photo to keep
 * (er-id-read-private.h). A photo whose print is small is read a second
 * time, larger (er-id-read-photo.c); neither reading is always the better,
 * so each is judged by what it says of itself: a name's marks, where the
 * name came from, how sure it is, an expiry date found. */
#include "config.h"

#include <string.h>

#include "er-id-read-private.h"
#include "er-secret.h"

/* The marked capitals French writes. A reading's "Ò" or "Ä" is a speck or
 * a broken mark the accent finder misjudged (er-accent.c), not print. */
#define FRENCH_MARKED "ÀÂÆÇÈÉÊËÎÏÔŒÙÛÜŸ"
/* Those it writes inside names. */
#define NAME_MARKED "ÂÇÈÉÊËÎÏÔÛ"

static guint
french_marks (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x80 && g_utf8_strchr (FRENCH_MARKED, -1, c) != NULL)
        n++;
    }
  return n;
}

/* Whether a and b are the same letters but for their marks. */
static gboolean
same_but_marks (const char *a,
                const char *b)
{
  char *plain_a = g_str_to_ascii (a, "C");
  char *plain_b = g_str_to_ascii (b, "C");
  gboolean same = g_str_equal (plain_a, plain_b);

  /* The learner's name: wiped. */
  er_secret_wipe (plain_a, strlen (plain_a));
  er_secret_wipe (plain_b, strlen (plain_b));
  g_free (plain_a);
  g_free (plain_b);
  return same;
}

/* What a reading is worth, by what it says of itself: an expiry date
 * (under its label or in the MRZ above a guessed one), then a name in
 * print (under its labels, or the MRZ's letters found in print), sure
 * above unsure, then the MRZ's letters alone, then a name guessed by its
 * place. */
static int
worth (const ErIdRead *self)
{
  int value = 0;

  if (self->expiry != NULL)
    value += self->expiry_sure ? 200 : 100;
  switch (self->source)
    {
    case ER_ID_READ_SOURCE_LABELS:
    case ER_ID_READ_SOURCE_PRINTED:
      value += self->sure ? 30 : 20;
      break;
    case ER_ID_READ_SOURCE_MRZ:
      value += 10;
      break;
    case ER_ID_READ_SOURCE_LAYOUT:
      value += 5;
      break;
    case ER_ID_READ_SOURCE_NONE:
    default:
      break;
    }
  return value;
}

gboolean
_er_id_read_worthier (const ErIdRead *self,
                      const ErIdRead *other)
{
  return worth (other) > worth (self);
}

/* How much of a name guessed by its place looks like one: the letters of
 * its words of two letters or more with a vowel, less four for each other
 * word (a speck or a label's piece read on its line: "GAUTHIER, À",
 * "TX PELLETIER"). */
static int
name_letters (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name != NULL ? name : "", " ,-'", -1);
  int score = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      char *plain = g_str_to_ascii (words[i], "C");
      glong n = g_utf8_strlen (words[i], -1);

      if (n >= 2 && strpbrk (plain, "AEIOUY") != NULL)
        score += (int) n;
      else if (n > 0)
        score -= 4;
      er_secret_wipe (plain, strlen (plain));
      g_free (plain);
      er_secret_wipe (words[i], strlen (words[i]));
    }
  return score;
}

gboolean
_er_id_read_prefers (const ErIdRead *self,
                     const ErIdRead *other)
{
  /* The same name but for its marks: the reading that saw more of them
   * saw more of the print (a mark is missed far more often than made
   * up, and the marks French does not write are not counted). */
  if (self->compare_name != NULL && other->compare_name != NULL &&
      same_but_marks (self->compare_name, other->compare_name))
    {
      guint mine = french_marks (self->compare_name);
      guint theirs = french_marks (other->compare_name);

      if (mine != theirs)
        return theirs > mine;
    }
  /* Two names guessed by their place, as worthy: the one that looks
   * more like a name. */
  if (worth (other) == worth (self) && self->source == ER_ID_READ_SOURCE_LAYOUT &&
      other->source == ER_ID_READ_SOURCE_LAYOUT)
    return name_letters (other->compare_name) > name_letters (self->compare_name);
  /* Else the worthier; on a tie, the first reading. */
  return worth (other) > worth (self);
}

void
_er_id_read_keep_expiry (ErIdRead *keep,
                         ErIdRead *drop)
{
  if (drop->expiry != NULL && (keep->expiry == NULL || (drop->expiry_sure && !keep->expiry_sure)))
    {
      g_clear_pointer (&keep->expiry, g_date_time_unref);
      keep->expiry = g_steal_pointer (&drop->expiry);
      keep->expiry_sure = drop->expiry_sure;
    }
}

/* text (a name) with the marks of other, the same letters, where text
 * has none: a new string, or NULL when they differ in their number of
 * characters. */
static char *
with_marks_of (const char *text,
               const char *other)
{
  GString *merged;

  if (g_utf8_strlen (text, -1) != g_utf8_strlen (other, -1))
    return NULL;
  merged = g_string_new (NULL);
  for (const char *p = text, *q = other; *p != '\0'; p = g_utf8_next_char (p), q = g_utf8_next_char (q))
    {
      gunichar mine = g_utf8_get_char (p), theirs = g_utf8_get_char (q);
      gunichar decomposed[4];
      gsize n = g_unichar_fully_decompose (theirs, FALSE, decomposed, G_N_ELEMENTS (decomposed));

      /* Theirs is mine with a mark French writes inside a name (not
       * "À" or "Ù", which it writes on a few words only: "GÀGNÉ" is a
       * speck over the A). */
      g_string_append_unichar (merged, n > 1 && decomposed[0] == mine && mine < 0x80 &&
                                       g_utf8_strchr (NAME_MARKED, -1, theirs) != NULL ? theirs : mine);
    }
  return g_string_free (merged, FALSE);
}

/* Replaces *text (the learner's name: wiped) by merged, when not NULL. */
static void
take_text (char **text,
           char  *merged)
{
  if (merged == NULL)
    return;
  er_secret_str_free (*text);
  *text = merged;
}

/* The same name read twice with marks missed in different places
 * ("VÉZINA, MAMADOU LEA" and "VEZINA, MAMADOU LÉA"): keep has the
 * marks of both (a mark is missed far more often than made up). */
static void
take_marks (ErIdRead       *keep,
            const ErIdRead *drop)
{
  if (keep->name == NULL || drop->name == NULL || keep->compare_name == NULL || drop->compare_name == NULL ||
      !same_but_marks (keep->name, drop->name) || !same_but_marks (keep->compare_name, drop->compare_name))
    return;
  take_text (&keep->name, with_marks_of (keep->name, drop->name));
  take_text (&keep->compare_name, with_marks_of (keep->compare_name, drop->compare_name));
}

ErIdRead *
_er_id_read_choose (ErIdRead *first,
                    ErIdRead *again)
{
  ErIdRead *keep = _er_id_read_prefers (first, again) ? again : first;
  ErIdRead *drop = keep == first ? again : first;

  _er_id_read_keep_expiry (keep, drop);
  take_marks (keep, drop);
  g_object_unref (drop);
  return keep;
}
