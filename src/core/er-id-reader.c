/* er-id-reader.c: the ID photos read on this machine, one at a time. */
#include "config.h"

#include "er-id-reader.h"

typedef struct {
  char            *receipt_id;
  GBytes          *image;        /* until read: the image bytes, or */
  GdkTexture      *photo;        /* the texture of a final photo */
  GCancellable    *cancellable;  /* while being read */
  ErIdRead        *read;
  char            *error;
  ErIdReaderState  state;        /* READING (waiting or being read), DONE or FAILED */
} Item;

struct _ErIdReader
{
  GObject     parent_instance;

  GHashTable *items;     /* receipt id → Item (owned) */
  GQueue      waiting;   /* Item, in the order given (not owned) */
  Item       *reading;   /* the one being read, or NULL */
  char       *current;
  gboolean    enabled;
  gboolean    unavailable; /* a read found no Tesseract or no data */
  guint       quiet_id;  /* waiting for the screen to settle after a new case */
};

/* After the case on screen changes, photos ahead wait this long: the
 * frames that show the new case come first (on two cores, a read beside
 * them made each one several times slower). The case on screen itself is
 * read at once. */
#define ER_ID_READER_QUIET_MS 1500

G_DEFINE_FINAL_TYPE (ErIdReader, er_id_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CURRENT,
  PROP_STATE,
  PROP_READ,
  PROP_ERROR,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_next (ErIdReader *self);

static void
item_free (Item *item)
{
  if (item->cancellable != NULL)
    g_cancellable_cancel (item->cancellable);
  g_clear_object (&item->cancellable);
  g_clear_object (&item->photo);
  g_clear_pointer (&item->image, g_bytes_unref);
  g_clear_object (&item->read);
  g_free (item->error);
  g_free (item->receipt_id);
  g_free (item);
}

/* Not known until a read says so: asking Tesseract loads its models
 * (0.3 s), which must not happen on the main thread. A read that finds no
 * Tesseract or no data (G_IO_ERROR_NOT_SUPPORTED) makes it unavailable. */
static gboolean
is_available (ErIdReader *self)
{
  return !self->unavailable;
}

static Item *
current_item (ErIdReader *self)
{
  return self->current != NULL ? g_hash_table_lookup (self->items, self->current) : NULL;
}

static void
notify_current (ErIdReader *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ErIdReader) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ErIdRead) read = er_id_read_image_finish (result, &error);
  Item *item = self->reading;

  /* Forgotten or cleared meanwhile: item was freed, and its cancellable
   * cancelled; nothing to keep. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || item == NULL ||
      g_task_get_cancellable (G_TASK (result)) != item->cancellable)
    {
      if (item != NULL && g_task_get_cancellable (G_TASK (result)) == item->cancellable)
        self->reading = NULL;
      start_next (self);
      return;
    }

  self->reading = NULL;
  g_clear_object (&item->cancellable);
  g_clear_object (&item->photo);
  g_clear_pointer (&item->image, g_bytes_unref);
  if (read != NULL)
    {
      item->read = g_steal_pointer (&read);
      item->state = ER_ID_READER_DONE;
      g_debug ("ID read for %s in %.2f s: %s", item->receipt_id,
               er_id_read_get_seconds (item->read),
               er_id_read_get_name (item->read) != NULL ? "a name" : "no name");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_debug ("IDs are not read: %s", error->message);
      self->unavailable = TRUE;
      er_id_reader_clear (self);
      return;
    }
  else
    {
      item->error = g_strdup (error->message);
      item->state = ER_ID_READER_FAILED;
      g_debug ("ID read for %s failed: %s", item->receipt_id, error->message);
    }
  if (item == current_item (self))
    notify_current (self);
  start_next (self);
}

static gboolean
quiet_cb (gpointer user_data)
{
  ErIdReader *self = user_data;

  self->quiet_id = 0;
  start_next (self);
  return G_SOURCE_REMOVE;
}

static void
start_next (ErIdReader *self)
{
  Item *item = current_item (self);

  if (self->reading != NULL || !self->enabled)
    return;
  /* The case on screen first; the others once the screen has settled. */
  if (item == NULL || item->state != ER_ID_READER_READING || item == self->reading ||
      !g_queue_remove (&self->waiting, item))
    {
      if (self->quiet_id != 0)
        return;
      item = g_queue_pop_head (&self->waiting);
    }
  if (item == NULL)
    return;
  self->reading = item;
  item->cancellable = g_cancellable_new ();
  er_id_read_image_async (item->image, item->photo, item->cancellable, on_read, g_object_ref (self));
}

ErIdReader *
er_id_reader_new (void)
{
  return g_object_new (ER_TYPE_ID_READER, NULL);
}

void
er_id_reader_add (ErIdReader   *self,
                  const char   *receipt_id,
                  ErPhotoImage *photo)
{
  Item *item;

  g_return_if_fail (ER_IS_ID_READER (self));
  g_return_if_fail (receipt_id != NULL);
  g_return_if_fail (ER_IS_PHOTO_IMAGE (photo));

  if (!self->enabled || g_hash_table_contains (self->items, receipt_id) || !is_available (self))
    return;
  item = g_new0 (Item, 1);
  item->receipt_id = g_strdup (receipt_id);
  item->image = er_photo_image_ref_bytes (photo);
  if (item->image == NULL)
    item->photo = g_object_ref (er_photo_image_get_texture (photo));
  item->state = ER_ID_READER_READING;
  g_hash_table_insert (self->items, item->receipt_id, item);
  g_queue_push_tail (&self->waiting, item);
  if (item == current_item (self))
    notify_current (self);
  start_next (self);
}

void
er_id_reader_forget (ErIdReader *self,
                     const char *receipt_id)
{
  Item *item;

  g_return_if_fail (ER_IS_ID_READER (self));

  item = receipt_id != NULL ? g_hash_table_lookup (self->items, receipt_id) : NULL;
  if (item == NULL)
    return;
  g_queue_remove (&self->waiting, item);
  if (self->reading == item)
    self->reading = NULL;  /* on_read sees it cancelled */
  g_hash_table_remove (self->items, receipt_id);  /* cancels, frees */
  if (self->current != NULL && g_str_equal (self->current, receipt_id))
    notify_current (self);
  start_next (self);
}

void
er_id_reader_clear (ErIdReader *self)
{
  g_return_if_fail (ER_IS_ID_READER (self));

  g_queue_clear (&self->waiting);
  self->reading = NULL;
  g_hash_table_remove_all (self->items);
  notify_current (self);
}

void
er_id_reader_set_current (ErIdReader *self,
                          const char *receipt_id)
{
  g_return_if_fail (ER_IS_ID_READER (self));

  if (g_strcmp0 (self->current, receipt_id) == 0)
    return;
  g_free (self->current);
  self->current = g_strdup (receipt_id);
  g_clear_handle_id (&self->quiet_id, g_source_remove);
  self->quiet_id = g_timeout_add (ER_ID_READER_QUIET_MS, quiet_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  notify_current (self);
}

const char *
er_id_reader_get_current (ErIdReader *self)
{
  g_return_val_if_fail (ER_IS_ID_READER (self), NULL);
  return self->current;
}

ErIdReaderState
er_id_reader_peek (ErIdReader  *self,
                   const char  *receipt_id,
                   ErIdRead   **read,
                   const char **error)
{
  Item *item;

  g_return_val_if_fail (ER_IS_ID_READER (self), ER_ID_READER_OFF);

  item = receipt_id != NULL ? g_hash_table_lookup (self->items, receipt_id) : NULL;
  if (read != NULL)
    *read = item != NULL ? item->read : NULL;
  if (error != NULL)
    *error = item != NULL ? item->error : NULL;
  if (!self->enabled)
    return ER_ID_READER_OFF;
  if (self->unavailable)
    return ER_ID_READER_UNAVAILABLE;
  return item != NULL ? item->state : ER_ID_READER_NONE;
}

ErIdReaderState
er_id_reader_get_state (ErIdReader *self)
{
  g_return_val_if_fail (ER_IS_ID_READER (self), ER_ID_READER_OFF);
  return er_id_reader_peek (self, self->current, NULL, NULL);
}

ErIdRead *
er_id_reader_get_read (ErIdReader *self)
{
  ErIdRead *read;

  g_return_val_if_fail (ER_IS_ID_READER (self), NULL);
  er_id_reader_peek (self, self->current, &read, NULL);
  return read;
}

const char *
er_id_reader_get_error (ErIdReader *self)
{
  const char *error;

  g_return_val_if_fail (ER_IS_ID_READER (self), NULL);
  er_id_reader_peek (self, self->current, NULL, &error);
  return error;
}

gboolean
er_id_reader_get_enabled (ErIdReader *self)
{
  g_return_val_if_fail (ER_IS_ID_READER (self), FALSE);
  return self->enabled;
}

void
er_id_reader_set_enabled (ErIdReader *self,
                          gboolean    enabled)
{
  g_return_if_fail (ER_IS_ID_READER (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  if (!enabled)
    er_id_reader_clear (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  notify_current (self);
}

ErIdRead *
er_id_reader_lookup (ErIdReader *self,
                     const char *receipt_id)
{
  Item *item;

  g_return_val_if_fail (ER_IS_ID_READER (self), NULL);

  item = receipt_id != NULL ? g_hash_table_lookup (self->items, receipt_id) : NULL;
  return item != NULL ? item->read : NULL;
}

guint
er_id_reader_get_n_pending (ErIdReader *self)
{
  g_return_val_if_fail (ER_IS_ID_READER (self), 0);
  return g_queue_get_length (&self->waiting) + (self->reading != NULL);
}

static void
er_id_reader_dispose (GObject *object)
{
  ErIdReader *self = ER_ID_READER (object);

  g_queue_clear (&self->waiting);
  self->reading = NULL;
  g_clear_handle_id (&self->quiet_id, g_source_remove);
  if (self->items != NULL)
    g_hash_table_remove_all (self->items);

  G_OBJECT_CLASS (er_id_reader_parent_class)->dispose (object);
}

static void
er_id_reader_finalize (GObject *object)
{
  ErIdReader *self = ER_ID_READER (object);

  g_clear_pointer (&self->items, g_hash_table_unref);
  g_free (self->current);

  G_OBJECT_CLASS (er_id_reader_parent_class)->finalize (object);
}

static void
er_id_reader_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ErIdReader *self = ER_ID_READER (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_string (value, self->current);
      break;
    case PROP_STATE:
      g_value_set_int (value, er_id_reader_get_state (self));
      break;
    case PROP_READ:
      g_value_set_object (value, er_id_reader_get_read (self));
      break;
    case PROP_ERROR:
      g_value_set_string (value, er_id_reader_get_error (self));
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_id_reader_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ErIdReader *self = ER_ID_READER (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      er_id_reader_set_current (self, g_value_get_string (value));
      break;
    case PROP_ENABLED:
      er_id_reader_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_id_reader_class_init (ErIdReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = er_id_reader_dispose;
  object_class->finalize = er_id_reader_finalize;
  object_class->get_property = er_id_reader_get_property;
  object_class->set_property = er_id_reader_set_property;

  properties[PROP_CURRENT] =
    g_param_spec_string ("current", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* ErIdReaderState, as an int: no enum GType for one property. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, ER_ID_READER_OFF, ER_ID_READER_FAILED, ER_ID_READER_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ] =
    g_param_spec_object ("read", NULL, NULL, ER_TYPE_ID_READ,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_id_reader_init (ErIdReader *self)
{
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) item_free);
  g_queue_init (&self->waiting);
  self->enabled = TRUE;
}
