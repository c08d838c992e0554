/* er-accessible.h: accessible names GTK 4.8 and libadwaita 1.2 get wrong. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void er_accessible_fix_mnemonics       (GtkWidget   *root);
void er_accessible_name_from_tooltips  (GtkWidget   *root);
void er_accessible_name_drop_down      (GtkDropDown *drop_down,
                                        const char  *label);
void er_accessible_name_list_item      (GtkListItem *item,
                                        const char  *label,
                                        const char  *description);

G_END_DECLS
