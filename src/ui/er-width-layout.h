/* er-width-layout.h: a bin layout whose width does not depend on its height. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ER_TYPE_WIDTH_LAYOUT (er_width_layout_get_type ())
G_DECLARE_FINAL_TYPE (ErWidthLayout, er_width_layout, ER, WIDTH_LAYOUT, GtkLayoutManager)

GtkLayoutManager *er_width_layout_new (void);

G_END_DECLS
