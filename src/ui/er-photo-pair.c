/* er-photo-pair.c: (skeleton) */
#include "config.h"

#include "er-photo-pair.h"

struct _ErPhotoPair
{
  GtkWidget  parent_instance;
  GtkWidget *start;
  GtkWidget *end;
};

G_DEFINE_FINAL_TYPE (ErPhotoPair, er_photo_pair, GTK_TYPE_WIDGET)

GtkWidget *er_photo_pair_new (void) { return g_object_new (ER_TYPE_PHOTO_PAIR, NULL); }
void er_photo_pair_set_start_child (ErPhotoPair *self, GtkWidget *child) { }
void er_photo_pair_set_end_child (ErPhotoPair *self, GtkWidget *child) { }
gboolean er_photo_pair_get_stacked (ErPhotoPair *self) { return FALSE; }
static void er_photo_pair_class_init (ErPhotoPairClass *klass) { }
static void er_photo_pair_init (ErPhotoPair *self) { }
