/* er-reasons.h: the contract's denial reasons and a set of chosen reasons. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  ER_REASON_GROUP_USER_PHOTO, /* "userPhotoReasons" */
  ER_REASON_GROUP_PHOTO_ID,   /* "photoIdReasons" */
  ER_REASON_GROUP_GENERAL,    /* "generalReasons" */
  ER_N_REASON_GROUPS
} ErReasonGroup;

#define ER_REASON_NOTE_MAX_CHARS 500

typedef struct {
  ErReasonGroup group;
  const char *reason;       /* exact string sent to the platform, e.g. "Text not clear" */
  const char *lms_code;     /* e.g. "id_image_not_clear" */
  const char *learner_text; /* English sentence the learner reads, marked N_(); translate with _() */
  /* What the agent reads in the deny panel, marked N_(); translate with _().
   * Never contradicts learner_text: it starts with what the learner reads
   * (e.g. "Learner photo blurry") and, where several contract strings share
   * that sentence, says which case it is (": face out of view"). */
  const char *agent_label;
} ErReasonInfo;

/* The contract's table, in its order. */
const ErReasonInfo *er_reason_table (guint *n_reasons);
const ErReasonInfo *er_reason_lookup (const char *reason);     /* NULL if not in the table */
const char *er_reason_group_key (ErReasonGroup group);          /* "userPhotoReasons", ... */
const char *er_reason_group_title (ErReasonGroup group);        /* N_() English title, e.g. "Learner photo" */

/* The order in which an agent is offered the reasons (the deny panel's
 * order, and its digits 1 to 9): the most decisive first. Groups in the
 * order General, ID photo, Learner photo; within a group, the contract's
 * order. So 1 to 3 are the general reasons (name mismatch, no name on the
 * account, face and ID do not match), 4 to 9 the ID photo's; the learner
 * photo's reasons come last, reachable by type-ahead or Tab.
 * Returns n_reasons indices into er_reason_table(). */
const guint *er_reason_display_order (guint *n_reasons);
/* The groups in display order (ER_N_REASON_GROUPS of them). */
const ErReasonGroup *er_reason_display_groups (void);

/* A set of reasons: what the agent chose, or what a previous denial held. */
typedef struct _ErReasons ErReasons;

#define ER_TYPE_REASONS (er_reasons_get_type ())
GType       er_reasons_get_type   (void) G_GNUC_CONST;
ErReasons  *er_reasons_new        (void);
ErReasons  *er_reasons_copy       (const ErReasons *self);
void        er_reasons_free       (ErReasons *self);
void        er_reasons_add        (ErReasons *self, ErReasonGroup group, const char *reason);
/* Free text note, stored in generalReasons; NULL or "" clears it. */
void        er_reasons_set_note   (ErReasons *self, const char *note);
const char *er_reasons_get_note   (const ErReasons *self);
/* NULL-terminated, never NULL (empty array when none). Includes the note for GENERAL. */
const char * const *er_reasons_get (const ErReasons *self, ErReasonGroup group);
gboolean    er_reasons_is_empty   (const ErReasons *self);
/* Checks the contract's rules: at least one reason, table strings only in the
 * first two groups, general reasons from the table plus at most one free note
 * of at most 500 characters. */
gboolean    er_reasons_validate   (const ErReasons *self, GError **error);
/* [{"userPhotoReasons": [...]}, {"photoIdReasons": [...]}, {"generalReasons": [...]}]
 * one object per non-empty group, in that order. */
JsonNode   *er_reasons_to_json    (const ErReasons *self);
/* Accepts the list form above (and "" or null as empty). Unknown group keys are ignored. */
ErReasons  *er_reasons_new_from_json (JsonNode *node, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErReasons, er_reasons_free)

G_END_DECLS
