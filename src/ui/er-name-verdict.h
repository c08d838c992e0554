/* er-name-verdict.h: one line saying how the name typed from the ID
 * compares with the account name (er-name.h), in the level's color, the
 * letters that differ highlighted. */
#pragma once

#include <gtk/gtk.h>

#include "er-name.h"

G_BEGIN_DECLS

#define ER_TYPE_NAME_VERDICT (er_name_verdict_get_type ())
G_DECLARE_FINAL_TYPE (ErNameVerdict, er_name_verdict, ER, NAME_VERDICT, GtkWidget)

GtkWidget     *er_name_verdict_new               (void);
void           er_name_verdict_set_account_name  (ErNameVerdict *self, const char *account_name);
void           er_name_verdict_set_id_name       (ErNameVerdict *self, const char *id_name);
/* The verdict as plain text; NULL while there is nothing to compare. */
const char    *er_name_verdict_get_text          (ErNameVerdict *self);
/* Meaningful only while the text is not NULL. */
ErNameLevel    er_name_verdict_get_level         (ErNameVerdict *self);
/* The differing letters of the ID name in bold and underlined, for the
 * entry it is typed in; NULL when none. */
PangoAttrList *er_name_verdict_get_id_attributes (ErNameVerdict *self);

G_END_DECLS
