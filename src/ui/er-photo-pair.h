/* er-photo-pair.h: two children at equal size, side by side, or stacked
 * (the "compare" layout) when the space is tall and narrow. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_PAIR (er_photo_pair_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoPair, er_photo_pair, ER, PHOTO_PAIR, GtkWidget)

GtkWidget *er_photo_pair_new             (void);
/* In a .ui file the first <child> is the start child, the second the end. */
void       er_photo_pair_set_start_child (ErPhotoPair *self, GtkWidget *child);
void       er_photo_pair_set_end_child   (ErPhotoPair *self, GtkWidget *child);
/* Whether the children are stacked (property "stacked", notified). */
gboolean   er_photo_pair_get_stacked     (ErPhotoPair *self);

G_END_DECLS
