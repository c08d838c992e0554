/* er-id-read-line.h: what was read on the case's ID photo, under the name
 * helper: "Read on the ID: CÔTÉ, FRANÇOIS — same name", an expired ID, or
 * that it is being read. */
#pragma once

#include <gtk/gtk.h>

#include "er-case.h"
#include "er-id-reader.h"

G_BEGIN_DECLS

#define ER_TYPE_ID_READ_LINE (er_id_read_line_get_type ())
G_DECLARE_FINAL_TYPE (ErIdReadLine, er_id_read_line, ER, ID_READ_LINE, GtkWidget)

/* Properties "reader" and "case" (the case shown: its account name is
 * compared, its submission date tells an expired ID). */
void        er_id_read_line_set_reader (ErIdReadLine *self, ErIdReader *reader);
void        er_id_read_line_set_case   (ErIdReadLine *self, ErCase *kase);
/* The line as shown (translated), NULL while nothing is shown. */
const char *er_id_read_line_get_text   (ErIdReadLine *self);
/* The name read, for the name helper (NULL: none). Signal "use-name"
 * (const char *name) when the agent asks for it (button or
 * er_id_read_line_use_name). */
const char *er_id_read_line_get_name   (ErIdReadLine *self);
gboolean    er_id_read_line_use_name   (ErIdReadLine *self);
/* Property "show-region": the agent asked to see where the name was read
 * (a toggle beside the line, offered when there is a box). get_region()
 * gives the box while it is asked for, in the pixels of an image
 * read_width wide. */
void        er_id_read_line_set_show_region (ErIdReadLine *self, gboolean show);
gboolean    er_id_read_line_get_region (ErIdReadLine    *self,
                                        int             *read_width,
                                        graphene_rect_t *region);

G_END_DECLS
