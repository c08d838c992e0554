/* er-secret.c: memory that held a secret is wiped before it is freed (see
 * the header). */
#include "config.h"

#include <openssl/crypto.h>
#include <string.h>

#include "er-secret.h"

void
er_secret_wipe (gpointer data,
                gsize    length)
{
  if (data != NULL && length > 0)
    OPENSSL_cleanse (data, length);
}

void
er_secret_free (gpointer data,
                gsize    length)
{
  if (data == NULL)
    return;

  er_secret_wipe (data, length);
  g_free (data);
}

void
er_secret_str_free (char *text)
{
  if (text != NULL)
    er_secret_free (text, strlen (text));
}

typedef struct {
  gpointer       data;
  gsize          wipe_length;
  GDestroyNotify release;
  gpointer       release_data;
} Wiping;

static void
wiping_free (gpointer user_data)
{
  Wiping *wiping = user_data;

  er_secret_wipe (wiping->data, wiping->wipe_length);
  if (wiping->release != NULL)
    wiping->release (wiping->release_data);
  g_free (wiping);
}

GBytes *
er_secret_bytes_new_with_release (gpointer       data,
                                  gsize          length,
                                  gsize          wipe_length,
                                  GDestroyNotify release,
                                  gpointer       release_data)
{
  Wiping *wiping;

  g_return_val_if_fail (data != NULL || (length == 0 && wipe_length == 0), NULL);
  g_return_val_if_fail (length <= wipe_length, NULL);

  wiping = g_new (Wiping, 1);
  wiping->data = data;
  wiping->wipe_length = wipe_length;
  wiping->release = release;
  wiping->release_data = release_data;

  return g_bytes_new_with_free_func (data, length, wiping_free, wiping);
}

GBytes *
er_secret_bytes_new_take (gpointer data,
                          gsize    length,
                          gsize    allocated)
{
  return er_secret_bytes_new_with_release (data, length, allocated, g_free, data);
}

GBytes *
er_secret_bytes_new (gconstpointer data,
                     gsize         length)
{
  guint8 *copy = g_malloc (MAX (length, 1));

  if (length > 0)
    memcpy (copy, data, length);

  return er_secret_bytes_new_take (copy, length, length);
}

ErSecretBuffer *
er_secret_buffer_new (gsize reserve)
{
  ErSecretBuffer *self = g_new0 (ErSecretBuffer, 1);

  if (!er_block_alloc (&self->block, MAX (reserve, 1)))
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, reserve);
  self->data = self->block.data;
  self->allocated = self->block.size;
  return self;
}

guint8 *
er_secret_buffer_reserve (ErSecretBuffer *self,
                          gsize           length)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (length <= G_MAXSIZE / 2 - self->len, NULL);

  if (self->len + length > self->allocated)
    {
      gsize allocated = MAX (self->allocated * 2, self->len + length);
      ErBlock grown;

      if (!er_block_alloc (&grown, allocated))
        g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, allocated);
      memcpy (grown.data, self->data, self->len);
      er_secret_wipe (self->data, self->len);
      er_block_clear (&self->block);
      self->block = grown;
      self->data = grown.data;
      self->allocated = grown.size;
    }
  return self->data + self->len;
}

void
er_secret_buffer_commit (ErSecretBuffer *self,
                         gsize           length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (length <= self->allocated - self->len);

  self->len += length;
}

void
er_secret_buffer_append (ErSecretBuffer *self,
                         gconstpointer   data,
                         gsize           length)
{
  guint8 *space;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || length == 0);

  if (length == 0)
    return;
  if ((space = er_secret_buffer_reserve (self, length)) == NULL)
    return;
  memcpy (space, data, length);
  self->len += length;
}

void
er_secret_buffer_trim (ErSecretBuffer *self)
{
  g_return_if_fail (self != NULL);

  er_secret_wipe (self->data + self->len, self->allocated - self->len);
  er_block_shrink (&self->block, self->len);
  self->allocated = self->block.size;
}

void
er_secret_buffer_free (ErSecretBuffer *self)
{
  if (self == NULL)
    return;

  er_secret_wipe (self->data, self->allocated);
  er_block_clear (&self->block);
  g_free (self);
}

GBytes *
er_secret_buffer_free_to_bytes (ErSecretBuffer *self)
{
  ErBlock *block;
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  block = g_memdup2 (&self->block, sizeof self->block);
  bytes = er_secret_bytes_new_with_release (self->data, self->len, self->allocated,
                                            er_block_free, block);
  g_free (self);

  return bytes;
}
