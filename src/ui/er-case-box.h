/* er-case-box.h: the case and, beside or below it, the deny panel; below,
 * the panel gets the height the case leaves. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ER_TYPE_CASE_BOX (er_case_box_get_type ())
G_DECLARE_FINAL_TYPE (ErCaseBox, er_case_box, ER, CASE_BOX, GtkWidget)

GtkWidget *er_case_box_new       (void);
void       er_case_box_set_panel (ErCaseBox *self,
                                  GtkWidget *panel);
GtkWidget *er_case_box_get_panel (ErCaseBox *self);

G_END_DECLS
