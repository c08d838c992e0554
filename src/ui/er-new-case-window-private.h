/* er-new-case-window-private.h: what the er-new-case-window*.c files share.
 *
 * er-new-case-window.c        the object, the candidates and their previews,
 *                             the photos chosen, sending, the accessors
 * er-new-case-window-order.c  the invoice number and its order
 * er-new-case-window-load.c   reading an e-mail or image files in a thread,
 *                             the file chooser and drag and drop
 */
#pragma once

#include "er-mail.h"
#include "er-new-case-window.h"

G_BEGIN_DECLS

#define LOOKUP_DELAY_MS 400
#define MAX_HAND_IMAGES 2

/* One image that may be the face or the ID. Shared with decoding threads,
 * which only read data; the other members change on the main thread. */
typedef struct {
  char       *name;
  char       *format;     /* sniffed, nullable */
  GBytes     *data;
  int         width;
  int         height;
  GdkTexture *texture;    /* the decoded preview */
  char       *problem;    /* why it cannot be used (format, corrupt...) */
  gboolean    decoding;
} Candidate;

typedef enum {
  MESSAGE_NONE,
  MESSAGE_INFO,
  MESSAGE_WARNING,
  MESSAGE_ERROR,
} MessageKind;

struct _ErNewCaseWindow
{
  AdwWindow parent_instance;

  /* Template */
  GtkMenuButton      *open_button;
  GtkButton          *create_button;
  GtkSpinner         *create_spinner;
  GtkStack           *stack;
  GtkLabel           *subject_label;
  GtkLabel           *from_label;
  GtkListBox         *warnings_list;
  GtkStack           *face_stack;
  GtkPicture         *face_picture;
  GtkLabel           *face_message;
  GtkLabel           *face_caption;
  GtkDropDown        *face_dropdown;
  GtkStack           *id_stack;
  GtkPicture         *id_picture;
  GtkLabel           *id_message;
  GtkLabel           *id_caption;
  GtkDropDown        *id_dropdown;
  GtkButton          *swap_button;
  AdwPreferencesGroup *invoice_group;
  AdwEntryRow        *invoice_row;
  GtkSpinner         *lookup_spinner;
  AdwActionRow       *order_message_row;
  GtkImage           *order_message_icon;
  AdwActionRow       *learner_row;
  AdwActionRow       *course_row;
  AdwActionRow       *verification_row;
  GtkBox             *status_box;
  GtkImage           *status_icon;
  GtkSpinner         *status_spinner;
  GtkLabel           *status_label;

  ErClient           *client;
  ErPrivateKey       *key;
  GSettings          *settings;
  GtkFileChooserNative *chooser;

  /* What is loaded */
  GCancellable       *load_cancellable;
  gboolean            loading;
  gboolean            loaded;
  ErMail             *mail;        /* NULL: photos chosen by hand */
  GPtrArray          *candidates;  /* Candidate */
  GPtrArray          *warnings;    /* char * */
  int                 face;        /* index in candidates, -1: none */
  int                 id;
  gboolean            updating_dropdowns;

  /* The order */
  char               *invoice;     /* trimmed entry text */
  guint               lookup_source;
  GCancellable       *lookup_cancellable;
  char               *looked_up;   /* the invoice of order or order_message */
  ErOrder            *order;
  char               *order_message;
  MessageKind         order_message_kind;
  gboolean            order_blocks; /* no case can be made for this order */

  /* Sending */
  GCancellable       *upload_cancellable;
  gboolean            uploading;
  char               *error;
};

/* er-new-case-window.c */
Candidate *_er_new_case_candidate_new               (const char      *name,
                                                     const char      *format,
                                                     GBytes          *data,
                                                     int              width,
                                                     int              height);
void       _er_new_case_candidate_unref             (Candidate       *c);
void       _er_new_case_window_ensure_decoded       (ErNewCaseWindow *self,
                                                     int              index);
void       _er_new_case_window_show_status          (ErNewCaseWindow *self,
                                                     gboolean         busy,
                                                     const char      *text);
void       _er_new_case_window_set_error            (ErNewCaseWindow *self,
                                                     const char      *message);
void       _er_new_case_window_update_photos        (ErNewCaseWindow *self);
void       _er_new_case_window_set_dropdown_models  (ErNewCaseWindow *self);
void       _er_new_case_window_update_state         (ErNewCaseWindow *self);

/* er-new-case-window-order.c */
void       _er_new_case_window_init_order           (ErNewCaseWindow *self);
void       _er_new_case_window_focus_invoice        (ErNewCaseWindow *self);
void       _er_new_case_window_start_lookup         (ErNewCaseWindow *self);
void       _er_new_case_window_invoice_changed      (ErNewCaseWindow *self);

/* er-new-case-window-load.c */
void       _er_new_case_window_class_init_load      (GtkWidgetClass  *widget_class);
void       _er_new_case_window_init_load            (ErNewCaseWindow *self);

G_END_DECLS
