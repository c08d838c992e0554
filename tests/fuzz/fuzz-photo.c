/* fuzz-photo.c: photo decryption and decoding, limits included.
 *
 * Input: one byte choosing the path (modulo 3), then the body:
 *   0 image bytes as served in clear: er_photo_sniff_format, er_photo_decode
 *   1 an encrypted body (URL-safe base64 of AES-CBC) decrypted with the
 *     test vectors' 32-byte AES key (er_crypto_aes_decrypt), then decoded
 *   2 the same through er_crypto_decrypt_photo, the key unwrapped from the
 *     test vectors' wrapped32.b64 with their rsa2048 key (as er-photo's
 *     loading thread does), then decoded
 * er_photo_decode refuses files over ER_PHOTO_MAX_BYTES and images over
 * ER_PHOTO_MAX_PIXELS before decoding a pixel; a texture that comes out is
 * checked against the limits.
 */
#include "fuzz-common.h"

#include <string.h>

#include "er-crypto.h"
#include "er-photo.h"

static ErPrivateKey *private_key;
static GBytes *aes_key;
static char *wrapped_key;

static void
load_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *hex = NULL;
  guint8 raw[32];
  gsize length;

  if (private_key != NULL)
    return;

  pem = fuzz_read_vector ("rsa2048-pkcs8.pem", &length);
  private_key = er_private_key_new_from_pem (pem, length, NULL, &error);
  g_assert_no_error (error);

  hex = fuzz_read_vector ("aes32.hex", &length);
  g_strstrip (hex);
  g_assert (strlen (hex) == 64);
  for (guint i = 0; i < 32; i++)
    raw[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  aes_key = g_bytes_new (raw, sizeof raw);

  wrapped_key = fuzz_read_vector ("wrapped32.b64", &length);
  g_strstrip (wrapped_key);
}

static void
decode (GBytes *image)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  (void) er_photo_sniff_format (image);
  texture = er_photo_decode (image, &error);
  if (texture != NULL)
    {
      gint64 width = gdk_texture_get_width (texture);
      gint64 height = gdk_texture_get_height (texture);

      g_assert (width > 0 && height > 0);
      g_assert (width * height <= ER_PHOTO_MAX_PIXELS);
      g_assert (g_bytes_get_size (image) <= ER_PHOTO_MAX_BYTES);
    }
  else
    g_assert (error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  guint path;

  fuzz_init ();
  load_keys ();

  if (size < 1)
    return 0;
  path = data[0] % 3;
  body = g_bytes_new (data + 1, size - 1);

  switch (path)
    {
    case 0:
      decode (body);
      break;

    case 1:
      image = er_crypto_aes_decrypt (aes_key, body, &error);
      if (image != NULL)
        decode (image);
      else
        g_assert (error != NULL);
      break;

    case 2:
    default:
      image = er_crypto_decrypt_photo (private_key, wrapped_key, body, &error);
      if (image != NULL)
        decode (image);
      else
        g_assert (error != NULL);
      break;
    }

  return 0;
}
