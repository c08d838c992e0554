/* fuzz-keys.c: PEM loading and photo key unwrapping.
 *
 * Input: one byte choosing the reader (modulo 3), then its text:
 *   0 a private key PEM (er_private_key_new_from_pem, no passphrase:
 *     an encrypted key stops at "needs a passphrase"), then its fingerprint
 *     and public PEM when it loads
 *   1 a public key PEM (er_public_key_new_from_pem), then its fingerprint
 *   2 a wrapped photo key (er_crypto_unwrap_key with the test vectors'
 *     rsa2048 key), then the IV derived from the key when it unwraps
 * A passphrase is never tried: the key file is the agent's own, and
 * OpenSSL would spend as many PBKDF2 rounds as the file asks for.
 */
#include "fuzz-common.h"

#include <string.h>

#include "er-crypto.h"

static ErPrivateKey *unwrap_key;

static void
load_unwrap_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  gsize length;

  if (unwrap_key != NULL)
    return;

  pem = fuzz_read_vector ("rsa2048-pkcs8.pem", &length);
  unwrap_key = er_private_key_new_from_pem (pem, length, NULL, &error);
  g_assert_no_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint reader;

  fuzz_init ();
  load_unwrap_key ();

  if (size < 1)
    return 0;
  reader = data[0] % 3;
  data++;
  size--;

  switch (reader)
    {
    case 0:
      {
        g_autoptr(ErPrivateKey) key = NULL;

        key = er_private_key_new_from_pem ((const char *) data, size, NULL, &error);
        if (key != NULL)
          {
            g_autofree char *fingerprint = er_private_key_get_fingerprint (key);
            g_autofree char *public_pem = er_private_key_get_public_pem (key);
            g_autofree char *short_form = er_fingerprint_format_short (fingerprint);

            g_assert (strlen (fingerprint) == 64);
            g_assert (public_pem != NULL && short_form != NULL);
          }
        else
          g_assert (error != NULL);
      }
      break;

    case 1:
      {
        g_autoptr(ErPublicKey) key = NULL;

        key = er_public_key_new_from_pem ((const char *) data, size, &error);
        if (key != NULL)
          {
            g_autofree char *fingerprint = er_public_key_get_fingerprint (key);
            g_autofree char *short_form = er_fingerprint_format_short (fingerprint);

            g_assert (strlen (fingerprint) == 64 && short_form != NULL);
          }
        else
          g_assert (error != NULL);
      }
      break;

    case 2:
    default:
      {
        g_autoptr(GBytes) aes_key = NULL;

        /* The wrapped key is a C string in core: stop at a NUL as a caller would. */
        text = g_strndup ((const char *) data, size);
        aes_key = er_crypto_unwrap_key (unwrap_key, text, &error);
        if (aes_key != NULL)
          {
            gsize n = g_bytes_get_size (aes_key);
            guint8 iv[16];

            g_assert (n == 16 || n == 24 || n == 32);
            er_crypto_derive_iv (aes_key, iv);
          }
        else
          g_assert (error != NULL);
      }
      break;
    }

  return 0;
}
