/* er-queue-row.h: one pending case in the queue list. */
#pragma once

#include <gtk/gtk.h>

#include "er-case.h"

G_BEGIN_DECLS

#define ER_TYPE_QUEUE_ROW (er_queue_row_get_type ())
G_DECLARE_FINAL_TYPE (ErQueueRow, er_queue_row, ER, QUEUE_ROW, GtkWidget)

GtkWidget  *er_queue_row_new                     (void);
/* Shows kase (NULL: nothing). Returns FALSE when nothing changed: the same
 * case, set again within a minute (its age is shown to the minute). */
gboolean    er_queue_row_set_case                (ErQueueRow *self, ErCase *kase);
/* What a screen reader reads for the row (NULL without a case). */
const char *er_queue_row_get_accessible_label       (ErQueueRow *self);
const char *er_queue_row_get_accessible_description (ErQueueRow *self);

G_END_DECLS
