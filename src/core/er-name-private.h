/* er-name-private.h: what er-name.c, er-name-parse.c and er-name-verdict.c
 * share: a name cut into words and letters, and the comparison. */
#pragma once

#include "er-name.h"

G_BEGIN_DECLS

/* The hyphens and apostrophes names are written with (er-name-parse.c;
 * also read by er-id-fields.c). */
gboolean _er_name_is_hyphen     (gunichar c);
gboolean _er_name_is_apostrophe (gunichar c);

/* What joins a word to the one before. */
typedef enum {
  SEP_NONE,        /* the first word */
  SEP_SPACE,
  SEP_HYPHEN,
  SEP_APOSTROPHE,
  SEP_OTHER,       /* a comma that makes no surname-first form */
  SEP_ANY,         /* the surname and the given names of a comma form */
} ErNameSep;

typedef enum {
  CHAR_LETTER,
  CHAR_MARK,
  CHAR_SPACE,
  CHAR_HYPHEN,
  CHAR_APOSTROPHE,
  CHAR_COMMA,
} ErNameChar;

/* One letter with its accents. */
typedef struct {
  guint  start;
  guint  end;
  char  *base;     /* decomposed, without its accents */
  char  *key;      /* base in small letters */
  char  *marks;    /* its accents (non-spacing marks), in canonical order */
} ErNameLetter;

typedef struct {
  guint   start;
  guint   end;
  GArray *letters;  /* ErNameLetter */
  char   *key;      /* the letters' keys; "saint" or "sainte" for a Saint */
  char   *saint;    /* how a Saint is written ("st", "ste.", "saint"), else NULL */
} ErNameWord;

/* A word in an order, with what joins it to the word before in that order. */
typedef struct {
  ErNameWord *word;
  ErNameSep   sep;
  guint       sep_start;
  guint       sep_end;
} ErNameSlot;

typedef struct {
  const char *text;
  GPtrArray  *words;       /* ErNameWord, owned */
  GArray     *written;     /* ErNameSlot: as written */
  GArray     *ordered;     /* ErNameSlot: given names first */
  gboolean    comma_form;
  guint       comma;       /* byte of the comma of a comma form */
  char       *comma_run;   /* the separators around that comma */
  char       *lead;        /* separators before the first word */
  char       *trail;       /* and after the last */
} ErNameParsed;

struct _ErNameComparison
{
  char             *id_name;      /* valid UTF-8 */
  ErNameDifference  differences;
  GArray           *highlights;   /* ErNameRange */
  GPtrArray        *missing;      /* char *, NULL-terminated */
  GPtrArray        *extra;        /* char *, NULL-terminated */
};

ErNameChar er_name_classify     (gunichar      c);
void       er_name_parse        (ErNameParsed *name,
                                 const char   *text);
void       er_name_parsed_clear (ErNameParsed *name);

G_END_DECLS
