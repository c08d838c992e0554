/* er-photo-pair.h: two children at equal size, side by side, or stacked
 * (the "compare" layout) when the space is tall and narrow.
 *
 * The rule depends on the allocation only: stacked when
 * height > 1.2 × width (computed in integers: 5 × height > 6 × width), side
 * by side otherwise. The children are 12 px apart and always get the same
 * size; the start child is on the left (on the right in right-to-left
 * locales) or on top. A missing or hidden child leaves the whole space to
 * the other one.
 *
 * The minimum size fits both layouts, so either can be chosen at any size.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_PAIR (er_photo_pair_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoPair, er_photo_pair, ER, PHOTO_PAIR, GtkWidget)

GtkWidget *er_photo_pair_new             (void);
/* In a .ui file the first <child> is the start child, the second the end
 * (or <child type="start"> and <child type="end">). */
void       er_photo_pair_set_start_child (ErPhotoPair *self, GtkWidget *child);
void       er_photo_pair_set_end_child   (ErPhotoPair *self, GtkWidget *child);
GtkWidget *er_photo_pair_get_start_child (ErPhotoPair *self);
GtkWidget *er_photo_pair_get_end_child   (ErPhotoPair *self);
/* Whether the children are stacked (property "stacked", read-only,
 * notified when the allocation changes the layout). */
gboolean   er_photo_pair_get_stacked     (ErPhotoPair *self);

G_END_DECLS
