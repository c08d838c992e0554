/* fake-ids.h: a synthetic corpus of ID photos for the OCR accuracy
 * benchmark (issue 14): fictional documents drawn by code, photographed
 * on a table, degraded as a phone would, encoded in memory.
 *
 * Nothing here is a real person or a real document: the issuer is
 * "ÉDULIB", the documents say "FICTIVE" and carry a "SPÉCIMEN" mark, the
 * portrait is a drawing. The same spec always gives the same bytes and
 * the same ground truth. Images are never written anywhere.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  FAKE_ID_CARD,           /* "Nom / Surname" and "Prénom / Given name" */
  FAKE_ID_CARD_ONE_NAME,  /* one field, "Nom, prénom / Name": "CÔTÉ, FRANÇOIS" */
  FAKE_ID_PASSPORT,       /* a passport's data page with its TD3 MRZ (P<CAN...) */
  FAKE_ID_N_KINDS
} FakeIdKind;

typedef enum {
  FAKE_ID_JPEG,
  FAKE_ID_PNG,
} FakeIdFormat;

/* The largest photo drawn: 12 megapixels, either way round. */
#define FAKE_ID_MAX_LONG_SIDE 4000
#define FAKE_ID_MAX_SHORT_SIDE 3000

typedef struct {
  FakeIdKind   kind;
  guint        seed;         /* the person, the document's fonts and layout, the table */
  int          width;        /* the photo's size, in pixels */
  int          height;
  FakeIdFormat format;
  int          jpeg_quality;  /* 30–95; ignored for PNG */
  double       fill;          /* the document's width over the frame's (or the most that
                               * fits): 0.5–0.9 */
  /* Degradations: all 0 on a clean photo. */
  double       rotation;      /* degrees, −10 to 10 */
  double       perspective;   /* 0–0.2: how much nearer the near edge is than the far one */
  double       perspective_angle;  /* which edge is near, radians (0: the bottom edge) */
  double       blur;          /* Gaussian sigma, in thousandths of the photo's long side */
  double       glare;         /* 0–1: the strength of a lamp's highlight */
  double       glare_x;       /* its centre, as fractions of the document's width */
  double       glare_y;       /* and height */
  double       noise;         /* sensor noise: standard deviation, in levels of 255 */
} FakeIdSpec;

/* A clean photo: upright, sharp, no glare, no noise; JPEG at quality 95 or
 * PNG and the fill chosen by seed. */
void         fake_id_spec_init_clean  (FakeIdSpec *spec,
                                       FakeIdKind  kind,
                                       guint       seed,
                                       int         width,
                                       int         height);
/* Draws every degradation from seed: rotation always, perspective, blur,
 * glare and noise each now and then, a JPEG quality of 30–95. */
void         fake_id_spec_degrade     (FakeIdSpec *spec,
                                       guint       seed);
gboolean     fake_id_spec_is_degraded (const FakeIdSpec *spec);

typedef struct {
  FakeIdKind  kind;
  char       *surname;       /* as printed: "CÔTÉ", "DE LA FONTAINE" */
  char       *given_names;   /* as printed: "FRANÇOIS", "MARIE-ÈVE JOSÉE" */
  char       *full_name;     /* as printed, in the account's order: "FRANÇOIS CÔTÉ" */
  char       *account_name;  /* as the learner's account spells it: "François Côté" */
  char        sex;           /* 'M', 'F' or 'X' */
  GDate       birth;
  GDate       expiry;
  char       *number;        /* the document's number */
  char       *mrz[3];        /* a passport's two MRZ lines, NULL-terminated; { NULL } else */
  const char *font;          /* the family the values are printed in */
  gboolean    degraded;
  /* Where the name is on the photo (its box, upright pixels); 0 × 0 until
   * fake_id_render drew it. */
  int         name_x;
  int         name_y;
  int         name_width;
  int         name_height;
} FakeIdTruth;

/* The person and the document for spec (its kind and seed), without
 * drawing anything. */
FakeIdTruth *fake_id_truth_new        (const FakeIdSpec *spec);
void         fake_id_truth_free       (FakeIdTruth *truth);

/* The photo, JPEG or PNG bytes, and (if truth is not NULL) what is on it. */
GBytes      *fake_id_render           (const FakeIdSpec *spec,
                                       FakeIdTruth     **truth);

/* Account names that are not the truth's, for false "same name" counts:
 * one letter changed, a given name swapped for another, a hyphenated part
 * dropped (those that apply), chosen by seed. Strings; never empty. */
GPtrArray   *fake_id_other_names      (const FakeIdTruth *truth,
                                       guint              seed);

/* The font families the documents are printed in, NULL-terminated. */
const char * const *fake_id_fonts     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeIdTruth, fake_id_truth_free)

G_END_DECLS
