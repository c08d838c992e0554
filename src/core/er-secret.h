/* er-secret.h: memory that held a secret is wiped before it is freed.
 *
 * Secrets here: the private key's text, unwrapped AES keys, decrypted photo
 * bytes (before they are decoded), photo bodies as fetched, passphrases and
 * the token. Wiping uses OPENSSL_cleanse, which the compiler may not drop.
 * Pixel memory of decoded pixbufs and textures belongs to gdk-pixbuf and
 * GDK and is not covered.
 */
#pragma once

#include <glib.h>

#include "er-block.h"

G_BEGIN_DECLS

/* Overwrites length bytes with zeros. */
void    er_secret_wipe                 (gpointer data, gsize length);
/* Wipes length bytes, then g_free (). data may be NULL. */
void    er_secret_free                 (gpointer data, gsize length);
/* Wipes a NUL-terminated string, then g_free (). text may be NULL. */
void    er_secret_str_free             (char *text);
/* A string wiped when it goes: g_autoptr(ErSecretString) token = ... */
typedef char ErSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErSecretString, er_secret_str_free)

/* A GBytes over a copy of data, wiped when the last reference goes. */
GBytes *er_secret_bytes_new            (gconstpointer data, gsize length);
/* Takes data (from g_malloc, allocated bytes of which length are the
 * content): wipes all allocated bytes, then frees them, with the GBytes. */
GBytes *er_secret_bytes_new_take       (gpointer data, gsize length, gsize allocated);
/* The general form: when the last reference goes, wipe_length bytes at data
 * are wiped, then release (release_data) is called. */
GBytes *er_secret_bytes_new_with_release (gpointer       data,
                                          gsize          length,
                                          gsize          wipe_length,
                                          GDestroyNotify release,
                                          gpointer       release_data);

/* A growing buffer that leaves no copy behind when it grows (realloc would
 * free the old block unwiped). Of ER_BLOCK_BIG bytes or more, it is mapped
 * in huge pages (er-block.h). */
typedef struct {
  guint8 *data;
  gsize   len;
  gsize   allocated;
  ErBlock block;      /* where data lies */
} ErSecretBuffer;

ErSecretBuffer *er_secret_buffer_new          (gsize reserve);
void            er_secret_buffer_append       (ErSecretBuffer *self, gconstpointer data,
                                               gsize length);
/* Room for length more bytes after the content (growing the buffer, the old
 * block wiped): write into it, then er_secret_buffer_commit() what was
 * written. */
guint8         *er_secret_buffer_reserve      (ErSecretBuffer *self, gsize length);
void            er_secret_buffer_commit       (ErSecretBuffer *self, gsize length);
/* Wipes what lies past the content and, for a buffer in huge pages, gives
 * back the pages wholly past it. */
void            er_secret_buffer_trim         (ErSecretBuffer *self);
/* Wiped and freed. self may be NULL. */
void            er_secret_buffer_free         (ErSecretBuffer *self);
/* The content as a GBytes that wipes the whole buffer when it goes; self is
 * consumed. */
GBytes         *er_secret_buffer_free_to_bytes (ErSecretBuffer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErSecretBuffer, er_secret_buffer_free)

G_END_DECLS
