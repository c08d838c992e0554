/* er-crypto.c: Open edX verification photo encryption, with OpenSSL's libcrypto.
 *
 * Only the OpenSSL 3 EVP API. Every function is safe to call from several
 * threads at once: keys are immutable once loaded and each operation uses
 * its own EVP contexts. OpenSSL's (thread-local) error queue is cleared
 * after every failure so that a later, unrelated call does not see it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "er-crypto.h"
#include "er-error.h"
#include "er-secret.h"

#define MIN_RSA_BITS 2048
#define AES_BLOCK 16

struct _ErPrivateKey
{
  gatomicrefcount ref_count;
  EVP_PKEY *pkey;
};

struct _ErPublicKey
{
  gatomicrefcount ref_count;
  EVP_PKEY *pkey;
};

G_DEFINE_BOXED_TYPE (ErPrivateKey, er_private_key, er_private_key_ref, er_private_key_unref)
G_DEFINE_BOXED_TYPE (ErPublicKey, er_public_key, er_public_key_ref, er_public_key_unref)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_DECODER_CTX, OSSL_DECODER_CTX_free)

/* Logs what OpenSSL complained about (for debugging only: the person sees
 * our own message) and empties the error queue. */
static void
drop_openssl_errors (const char *what)
{
  unsigned long code = ERR_peek_last_error ();

  if (code != 0)
    {
      char buf[256];

      ERR_error_string_n (code, buf, sizeof buf);
      g_debug ("%s: %s", what, buf);
    }

  ERR_clear_error ();
}

static void
hex_encode (const guint8 *data, gsize length, char *out)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < length; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[2 * length] = '\0';
}

/* Base64 */

/* Each byte's meaning in base64 text: its 6-bit value plus one (both
 * alphabets, standard and URL-safe), B64_SPACE, B64_PAD, or 0: refused. */
enum { B64_SPACE = 65, B64_PAD = 66 };

static const guint8 b64_values[256] = {
  ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
  ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
  ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
  ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
  ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
  ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
  ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
  ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
  ['+'] = 63, ['-'] = 63, ['/'] = 64, ['_'] = 64,
  [' '] = B64_SPACE, ['\t'] = B64_SPACE, ['\r'] = B64_SPACE, ['\n'] = B64_SPACE,
  ['\f'] = B64_SPACE, ['\v'] = B64_SPACE,
  ['='] = B64_PAD,
};

/* Decodes base64 in the standard or URL-safe alphabet, with or without '='
 * padding, whitespace allowed anywhere. Anything else is refused (unlike
 * g_base64_decode(), which skips what it does not know). Returns FALSE on
 * bad input. One pass, straight into out (length / 4 * 3 + 3 bytes), which
 * may be text itself: every byte is written after the characters it comes
 * from were read. A photo is megabytes of it. */
static gboolean
base64_decode_into (const char *text,
                    gsize       length,
                    guint8     *out,
                    gsize      *out_length)
{
  const guint8 *in = (const guint8 *) text;
  guint8 *o = out;
  guint32 group = 0;
  gsize n = 0;
  gsize n_pad = 0;

  for (gsize i = 0; i < length; i++)
    {
      guint v;

      /* Four characters of data at a group's start: one step. Their values
       * minus one are all under 64 only when none is space, padding or
       * refused (0 wraps around). */
      while (n % 4 == 0 && n_pad == 0 && length - i >= 4)
        {
          guint a = b64_values[in[i]] - 1u, b = b64_values[in[i + 1]] - 1u;
          guint c = b64_values[in[i + 2]] - 1u, d = b64_values[in[i + 3]] - 1u;

          if ((a | b | c | d) >= 64)
            break;
          group = a << 18 | b << 12 | c << 6 | d;
          o[0] = group >> 16;
          o[1] = group >> 8;
          o[2] = group;
          o += 3;
          n += 4;
          i += 4;
        }
      if (i == length)
        break;

      v = b64_values[in[i]];

      if (G_LIKELY (v != 0 && v <= 64 && n_pad == 0))
        {
          group = group << 6 | (v - 1);
          if (++n % 4 == 0)
            {
              o[0] = group >> 16;
              o[1] = group >> 8;
              o[2] = group;
              o += 3;
            }
          continue;
        }
      if (v == B64_SPACE)
        continue;
      /* Not base64, or data after the padding */
      if (v != B64_PAD)
        return FALSE;
      n_pad++;
    }

  if (n == 0 || n % 4 == 1 || n_pad > 2)
    return FALSE;
  /* When padding is there, it must be the right amount */
  if (n_pad > 0 && (n + n_pad) % 4 != 0)
    return FALSE;

  /* The last two or three characters: one or two bytes. */
  if (n % 4 == 2)
    *o++ = group >> 4;
  else if (n % 4 == 3)
    {
      *o++ = group >> 10;
      *o++ = group >> 2;
    }
  group = 0;

  *out_length = o - out;
  return TRUE;
}

/* base64_decode_into () a new block; NULL on bad input. The result is
 * freed with g_free (wipe it if it is secret). */
static guint8 *
base64_decode_strict (const char *text, gsize length, gsize *out_length)
{
  g_autofree guint8 *out = g_malloc (length / 4 * 3 + 3);

  if (!base64_decode_into (text, length, out, out_length))
    return NULL;
  return g_steal_pointer (&out);
}

static char *
base64_encode_url_safe (const guint8 *data, gsize length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  return text;
}

/* Keys */

static char *
fingerprint_of (EVP_PKEY *pkey)
{
  unsigned char *der = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  int der_length;

  der_length = i2d_PUBKEY (pkey, &der);
  if (der_length <= 0)
    {
      drop_openssl_errors ("i2d_PUBKEY");
      return NULL;
    }

  if (!EVP_Digest (der, der_length, digest, &digest_length, EVP_sha256 (), NULL))
    {
      OPENSSL_free (der);
      drop_openssl_errors ("EVP_Digest");
      return NULL;
    }

  OPENSSL_free (der);
  hex_encode (digest, digest_length, hex);

  return g_strdup (hex);
}

/* Checks the key is RSA (not RSA-PSS, which cannot do OAEP) of 2048 bits or more. */
static gboolean
check_rsa_key (EVP_PKEY *pkey, GError **error)
{
  int bits;

  if (!EVP_PKEY_is_a (pkey, "RSA"))
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("The verification key is not an RSA key. "
                             "Choose the platform's RSA verification key file."));
      return FALSE;
    }

  bits = EVP_PKEY_get_bits (pkey);
  if (bits < MIN_RSA_BITS)
    {
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                   _("The verification key has only %d bits; at least %d are required. "
                     "Choose the platform's verification key file."),
                   bits, MIN_RSA_BITS);
      return FALSE;
    }

  return TRUE;
}

typedef enum {
  PEM_KIND_NONE,
  PEM_KIND_PRIVATE,
  PEM_KIND_ENCRYPTED,
  PEM_KIND_PUBLIC,
} PemKind;

static const char *
find_bytes (const char *haystack, gsize length, const char *needle)
{
  gsize needle_length = strlen (needle);

  if (needle_length > length)
    return NULL;

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_length) == 0)
        return haystack + i;
    }

  return NULL;
}

/* What kind of key the PEM text says it holds, from its armor alone. */
static PemKind
classify_pem (const char *pem, gsize length)
{
  const char *begin;

  if (find_bytes (pem, length, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL)
    return PEM_KIND_ENCRYPTED;

  begin = find_bytes (pem, length, "-----BEGIN RSA PRIVATE KEY-----");
  if (begin != NULL)
    {
      gsize rest = length - (begin - pem);
      const char *end = find_bytes (begin, rest, "-----END RSA PRIVATE KEY-----");
      gsize block = end != NULL ? (gsize) (end - begin) : rest;

      /* Legacy OpenSSL encryption: "Proc-Type: 4,ENCRYPTED" headers */
      if (find_bytes (begin, block, "Proc-Type:") != NULL &&
          find_bytes (begin, block, "ENCRYPTED") != NULL)
        return PEM_KIND_ENCRYPTED;

      return PEM_KIND_PRIVATE;
    }

  if (find_bytes (pem, length, "PRIVATE KEY-----") != NULL)
    return PEM_KIND_PRIVATE;

  if (find_bytes (pem, length, "-----BEGIN PUBLIC KEY-----") != NULL ||
      find_bytes (pem, length, "-----BEGIN RSA PUBLIC KEY-----") != NULL ||
      find_bytes (pem, length, "-----BEGIN CERTIFICATE-----") != NULL)
    return PEM_KIND_PUBLIC;

  return PEM_KIND_NONE;
}

/* Hands the passphrase to OpenSSL, which wipes its own buffer. Without a
 * passphrase it refuses, so that OpenSSL never prompts on a terminal. */
static int
passphrase_cb (char *buf, int size, int rwflag, void *user_data)
{
  const char *passphrase = user_data;
  gsize length;

  if (passphrase == NULL || size <= 0)
    return -1;

  length = strlen (passphrase);
  if (length > (gsize) size)
    return -1;

  memcpy (buf, passphrase, length);
  return (int) length;
}

ErPrivateKey *
er_private_key_new_from_pem (const char  *pem,
                             gsize        length,
                             const char  *passphrase,
                             GError     **error)
{
  g_autoptr(BIO) bio = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  ErPrivateKey *self;
  PemKind kind;

  g_return_val_if_fail (pem != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == (gsize) -1)
    length = strlen (pem);

  kind = classify_pem (pem, length);

  switch (kind)
    {
    case PEM_KIND_NONE:
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("This file does not hold a key in PEM format. "
                             "Choose the platform's verification private key file."));
      return NULL;

    case PEM_KIND_PUBLIC:
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("This file holds only a public key; decrypting photos needs "
                             "the private key. Choose the verification private key file."));
      return NULL;

    case PEM_KIND_ENCRYPTED:
      if (passphrase == NULL)
        {
          g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_NEEDS_PASSPHRASE,
                               _("The verification key is protected by a passphrase. "
                                 "Enter the passphrase to use it."));
          return NULL;
        }
      break;

    case PEM_KIND_PRIVATE:
    default:
      break;
    }

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("This file is too large to be a verification key."));
      return NULL;
    }

  bio = BIO_new_mem_buf (pem, (int) length);
  if (bio == NULL)
    {
      drop_openssl_errors ("BIO_new_mem_buf");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("The verification key could not be read."));
      return NULL;
    }

  pkey = PEM_read_bio_PrivateKey (bio, NULL, passphrase_cb, (void *) passphrase);
  if (pkey == NULL)
    {
      drop_openssl_errors ("PEM_read_bio_PrivateKey");

      if (kind == PEM_KIND_ENCRYPTED)
        g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_BAD_PASSPHRASE,
                             _("The passphrase for the verification key is not correct. "
                               "Check it and try again."));
      else
        g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                             _("The verification key file is damaged or is not a private key. "
                               "Choose the platform's verification private key file."));
      return NULL;
    }

  /* Decoders may leave notes from the formats they tried first */
  ERR_clear_error ();

  if (!check_rsa_key (pkey, error))
    return NULL;

  self = g_new0 (ErPrivateKey, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->pkey = g_steal_pointer (&pkey);

  return self;
}

ErPrivateKey *
er_private_key_new_from_file (const char  *path,
                              const char  *passphrase,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  ErPrivateKey *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                   _("The verification key file could not be read: %s"),
                   local_error->message);
      return NULL;
    }

  self = er_private_key_new_from_pem (contents, length, passphrase, error);
  er_secret_free (contents, length);

  return self;
}

ErPrivateKey *
er_private_key_ref (ErPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
er_private_key_unref (ErPrivateKey *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      EVP_PKEY_free (self->pkey);
      g_free (self);
    }
}

char *
er_private_key_get_fingerprint (ErPrivateKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return fingerprint_of (self->pkey);
}

char *
er_private_key_get_public_pem (ErPrivateKey *self)
{
  g_autoptr(BIO) bio = NULL;
  char *data = NULL;
  long length;

  g_return_val_if_fail (self != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL || !PEM_write_bio_PUBKEY (bio, self->pkey))
    {
      drop_openssl_errors ("PEM_write_bio_PUBKEY");
      return NULL;
    }

  length = BIO_get_mem_data (bio, &data);
  if (length <= 0)
    return NULL;

  return g_strndup (data, length);
}

ErPublicKey *
er_public_key_new_from_pem (const char  *pem,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(OSSL_DECODER_CTX) decoder = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  const unsigned char *data = (const unsigned char *) pem;
  size_t data_length;
  ErPublicKey *self;

  g_return_val_if_fail (pem != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == (gsize) -1)
    length = strlen (pem);
  data_length = length;

  /* SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY") */
  decoder = OSSL_DECODER_CTX_new_for_pkey (&pkey, "PEM", NULL, NULL,
                                           EVP_PKEY_PUBLIC_KEY, NULL, NULL);
  if (decoder == NULL ||
      length == 0 ||
      !OSSL_DECODER_from_data (decoder, &data, &data_length) ||
      pkey == NULL)
    {
      drop_openssl_errors ("OSSL_DECODER_from_data");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                           _("The platform's verification public key could not be read."));
      return NULL;
    }

  ERR_clear_error ();

  if (!check_rsa_key (pkey, error))
    return NULL;

  self = g_new0 (ErPublicKey, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->pkey = g_steal_pointer (&pkey);

  return self;
}

ErPublicKey *
er_public_key_ref (ErPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
er_public_key_unref (ErPublicKey *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      EVP_PKEY_free (self->pkey);
      g_free (self);
    }
}

char *
er_public_key_get_fingerprint (ErPublicKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return fingerprint_of (self->pkey);
}

char *
er_fingerprint_format_short (const char *hex)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (hex != NULL, NULL);

  for (guint i = 0; hex[i] != '\0' && i < 16; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
    }
  if (strlen (hex) > 16)
    g_string_append (out, "…");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

ErPrivateKey *
er_private_key_generate (guint    bits,
                         GError **error)
{
  EVP_PKEY *pkey;
  ErPrivateKey *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bits < MIN_RSA_BITS || bits > 16384)
    {
      g_set_error (error, ER_ERROR, ER_ERROR_KEY_INVALID,
                   _("An RSA key of %u bits cannot be used; choose between %d and %d bits."),
                   bits, MIN_RSA_BITS, 16384);
      return NULL;
    }

  pkey = EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) bits);
  if (pkey == NULL)
    {
      drop_openssl_errors ("EVP_PKEY_Q_keygen");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("A new RSA key could not be generated."));
      return NULL;
    }

  self = g_new0 (ErPrivateKey, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->pkey = pkey;

  return self;
}

char *
er_private_key_to_pem (ErPrivateKey  *self,
                       const char    *passphrase,
                       GError       **error)
{
  g_autoptr(BIO) bio = NULL;
  const EVP_CIPHER *cipher = NULL;
  char *data = NULL;
  long length;
  int ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A secure-memory BIO: the key text is wiped when the BIO is freed */
  bio = BIO_new (BIO_s_secmem ());
  if (bio == NULL)
    {
      drop_openssl_errors ("BIO_new");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The private key could not be written."));
      return NULL;
    }

  if (passphrase != NULL)
    cipher = EVP_aes_256_cbc ();

  ok = PEM_write_bio_PKCS8PrivateKey (bio, self->pkey, cipher, NULL, 0,
                                      passphrase != NULL ? passphrase_cb : NULL,
                                      (void *) passphrase);
  if (!ok)
    {
      drop_openssl_errors ("PEM_write_bio_PKCS8PrivateKey");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The private key could not be written."));
      return NULL;
    }

  length = BIO_get_mem_data (bio, &data);
  if (length <= 0)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The private key could not be written."));
      return NULL;
    }

  return g_strndup (data, length);
}

/* Photo keys */

static gboolean
is_aes_key_length (gsize length)
{
  return length == 16 || length == 24 || length == 32;
}

static EVP_PKEY_CTX *
new_oaep_ctx (EVP_PKEY *pkey, gboolean encrypt)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey (NULL, pkey, NULL);

  if (ctx == NULL)
    return NULL;

  if ((encrypt ? EVP_PKEY_encrypt_init (ctx) : EVP_PKEY_decrypt_init (ctx)) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding (ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md (ctx, EVP_sha1 ()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md (ctx, EVP_sha1 ()) <= 0)
    {
      EVP_PKEY_CTX_free (ctx);
      return NULL;
    }

  return ctx;
}

GBytes *
er_crypto_unwrap_key (ErPrivateKey  *key,
                      const char    *wrapped_b64,
                      GError       **error)
{
  g_autoptr(EVP_PKEY_CTX) ctx = NULL;
  guint8 *wrapped = NULL;
  gsize wrapped_length = 0;
  guint8 *raw = NULL;
  size_t raw_size = 0;
  size_t raw_length;
  GBytes *result = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (wrapped_b64 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  wrapped = base64_decode_strict (wrapped_b64, strlen (wrapped_b64), &wrapped_length);
  if (wrapped == NULL)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo key could not be read: it is not valid base64 text."));
      return NULL;
    }

  if (wrapped_length != (gsize) EVP_PKEY_get_size (key->pkey))
    {
      g_set_error (error, ER_ERROR, ER_ERROR_CRYPTO,
                   _("The photo key could not be decrypted: it is %u bytes long, but the verification key expects %d. "
                     "It was probably encrypted for another verification key."),
                   (guint) wrapped_length, EVP_PKEY_get_size (key->pkey));
      goto out;
    }

  ctx = new_oaep_ctx (key->pkey, FALSE);
  raw_size = (size_t) EVP_PKEY_get_size (key->pkey);
  raw = g_malloc (raw_size);
  raw_length = raw_size;

  if (ctx == NULL ||
      EVP_PKEY_decrypt (ctx, raw, &raw_length, wrapped, wrapped_length) <= 0)
    {
      drop_openssl_errors ("EVP_PKEY_decrypt");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo key could not be decrypted: it was probably encrypted "
                             "for another verification key. Check that you chose the platform's "
                             "current verification key."));
      goto out;
    }

  if (!is_aes_key_length (raw_length))
    {
      g_set_error (error, ER_ERROR, ER_ERROR_CRYPTO,
                   _("The photo key cannot be used: it has %u bytes, but an AES key has 16, 24 or 32."),
                   (guint) raw_length);
      goto out;
    }

  result = er_secret_bytes_new (raw, raw_length);

out:
  if (raw != NULL)
    er_secret_free (raw, raw_size);
  g_free (wrapped);

  return result;
}

char *
er_crypto_wrap_key (ErPublicKey  *key,
                    GBytes       *aes_key,
                    GError      **error)
{
  g_autoptr(EVP_PKEY_CTX) ctx = NULL;
  g_autofree guint8 *wrapped = NULL;
  const guint8 *raw;
  gsize raw_length;
  size_t wrapped_length;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (aes_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  raw = g_bytes_get_data (aes_key, &raw_length);
  if (!is_aes_key_length (raw_length))
    {
      g_set_error (error, ER_ERROR, ER_ERROR_CRYPTO,
                   _("A photo key of %u bytes cannot be used; an AES key has 16, 24 or 32."),
                   (guint) raw_length);
      return NULL;
    }

  ctx = new_oaep_ctx (key->pkey, TRUE);
  wrapped_length = (size_t) EVP_PKEY_get_size (key->pkey);
  wrapped = g_malloc (wrapped_length);

  if (ctx == NULL ||
      EVP_PKEY_encrypt (ctx, wrapped, &wrapped_length, raw, raw_length) <= 0)
    {
      drop_openssl_errors ("EVP_PKEY_encrypt");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo key could not be encrypted with the platform's "
                             "verification key."));
      return NULL;
    }

  return g_base64_encode (wrapped, wrapped_length);
}

/* AES */

void
er_crypto_derive_iv (GBytes *aes_key,
                     guint8  out_iv[16])
{
  g_autoptr(EVP_MD_CTX) ctx = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  const guint8 *raw;
  gsize raw_length;

  g_return_if_fail (aes_key != NULL);
  g_return_if_fail (out_iv != NULL);

  raw = g_bytes_get_data (aes_key, &raw_length);
  ctx = EVP_MD_CTX_new ();

  /* hex(md5(K)) */
  if (ctx == NULL ||
      !EVP_DigestInit_ex (ctx, EVP_md5 (), NULL) ||
      !EVP_DigestUpdate (ctx, raw, raw_length) ||
      !EVP_DigestFinal_ex (ctx, digest, &digest_length))
    goto fail;
  hex_encode (digest, digest_length, hex);

  /* hex(md5(K || hex(md5(K)))) */
  if (!EVP_DigestInit_ex (ctx, EVP_md5 (), NULL) ||
      !EVP_DigestUpdate (ctx, raw, raw_length) ||
      !EVP_DigestUpdate (ctx, hex, strlen (hex)) ||
      !EVP_DigestFinal_ex (ctx, digest, &digest_length))
    goto fail;
  hex_encode (digest, digest_length, hex);

  memcpy (out_iv, hex, 16);

  OPENSSL_cleanse (digest, sizeof digest);
  OPENSSL_cleanse (hex, sizeof hex);
  return;

fail:
  /* Only when MD5 is unavailable; the decryption then fails cleanly */
  drop_openssl_errors ("MD5");
  g_warning ("MD5 is not available: photo IVs cannot be derived");
  memset (out_iv, 0, 16);
  OPENSSL_cleanse (digest, sizeof digest);
  OPENSSL_cleanse (hex, sizeof hex);
}

static const EVP_CIPHER *
cipher_for_key_length (gsize length)
{
  switch (length)
    {
    case 16:
      return EVP_aes_128_cbc ();
    case 24:
      return EVP_aes_192_cbc ();
    case 32:
      return EVP_aes_256_cbc ();
    default:
      return NULL;
    }
}

/* AES-CBC with the contract's IV: cipher_length bytes at cipher_text into
 * plain (cipher_length + AES_BLOCK bytes; plain may be cipher_text itself,
 * decrypted in place). */
static gboolean
aes_cbc_decrypt (GBytes        *aes_key,
                 const guint8  *cipher_text,
                 gsize          cipher_length,
                 guint8        *plain,
                 gsize         *plain_length,
                 GError       **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = NULL;
  const EVP_CIPHER *cipher;
  const guint8 *raw;
  gsize raw_length;
  guint8 iv[16];
  int length = 0;
  int final_length = 0;

  raw = g_bytes_get_data (aes_key, &raw_length);
  cipher = cipher_for_key_length (raw_length);
  if (cipher == NULL)
    {
      g_set_error (error, ER_ERROR, ER_ERROR_CRYPTO,
                   _("The photo could not be decrypted: its key has %u bytes, but an AES key has 16, 24 or 32."),
                   (guint) raw_length);
      return FALSE;
    }

  if (cipher_length % AES_BLOCK != 0 || cipher_length > G_MAXINT - AES_BLOCK)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo could not be decrypted: the stored file is "
                             "incomplete or damaged."));
      return FALSE;
    }

  er_crypto_derive_iv (aes_key, iv);
  ctx = EVP_CIPHER_CTX_new ();
  if (ctx == NULL ||
      !EVP_DecryptInit_ex (ctx, cipher, NULL, raw, iv) ||
      !EVP_DecryptUpdate (ctx, plain, &length, cipher_text, (int) cipher_length) ||
      !EVP_DecryptFinal_ex (ctx, plain + length, &final_length))
    {
      drop_openssl_errors ("AES-CBC decrypt");
      OPENSSL_cleanse (iv, sizeof iv);
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo could not be decrypted: it was probably encrypted "
                             "for another verification key, or the stored file is damaged."));
      return FALSE;
    }
  OPENSSL_cleanse (iv, sizeof iv);
  *plain_length = (gsize) length + (gsize) final_length;
  return TRUE;
}

static void
set_not_base64_error (GError **error)
{
  g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                       _("The photo could not be decrypted: the stored file is not "
                         "the base64 text of an encrypted photo."));
}

GBytes *
er_crypto_aes_decrypt (GBytes  *aes_key,
                       GBytes  *body,
                       GError **error)
{
  g_autofree guint8 *cipher_text = NULL;
  guint8 *plain;
  const char *text;
  gsize text_length;
  gsize cipher_length = 0;
  gsize plain_length = 0;

  g_return_val_if_fail (aes_key != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (body, &text_length);
  if (text_length > 0)
    cipher_text = base64_decode_strict (text, text_length, &cipher_length);
  if (cipher_text == NULL)
    {
      set_not_base64_error (error);
      return NULL;
    }

  plain = g_malloc (cipher_length + AES_BLOCK);
  if (!aes_cbc_decrypt (aes_key, cipher_text, cipher_length, plain, &plain_length, error))
    {
      er_secret_free (plain, cipher_length + AES_BLOCK);
      return NULL;
    }

  /* The image bytes, wiped with the whole block (padding included) when
   * the last reference goes. */
  return er_secret_bytes_new_take (plain, plain_length, cipher_length + AES_BLOCK);
}

GBytes *
er_crypto_decrypt_photo_buffer (ErPrivateKey    *key,
                                const char      *wrapped_key_b64,
                                ErSecretBuffer  *body,
                                GError         **error)
{
  g_autoptr(ErSecretBuffer) owned = body;
  g_autoptr(GBytes) aes_key = NULL;
  gsize cipher_length = 0;
  gsize plain_length = 0;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (wrapped_key_b64 != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  aes_key = er_crypto_unwrap_key (key, wrapped_key_b64, error);
  if (aes_key == NULL)
    return NULL;

  /* The text becomes the ciphertext, then the image, in the same bytes:
   * no new megabytes to fault in (er-block.h). The base64 decoding writes
   * at most 3 bytes for 4 read, and AES-CBC decrypts in place; the last
   * block, held back for its padding, comes out within what it read. */
  if (owned->len == 0 ||
      !base64_decode_into ((const char *) owned->data, owned->len, owned->data, &cipher_length))
    {
      set_not_base64_error (error);
      return NULL;
    }
  if (!aes_cbc_decrypt (aes_key, owned->data, cipher_length, owned->data, &plain_length, error))
    return NULL;

  /* The image is a quarter shorter than the text: what lies past it goes
   * (a 12 MP photo's buffer then holds 4 MB of pages, not 6). */
  owned->len = plain_length;
  er_secret_buffer_trim (owned);
  return er_secret_buffer_free_to_bytes (g_steal_pointer (&owned));
}

char *
er_crypto_aes_encrypt (GBytes  *aes_key,
                       GBytes  *plaintext,
                       GError **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = NULL;
  g_autofree guint8 *cipher_text = NULL;
  const EVP_CIPHER *cipher;
  const guint8 *raw;
  const guint8 *plain;
  gsize raw_length;
  gsize plain_length;
  guint8 iv[16];
  int length = 0;
  int final_length = 0;

  g_return_val_if_fail (aes_key != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  raw = g_bytes_get_data (aes_key, &raw_length);
  cipher = cipher_for_key_length (raw_length);
  if (cipher == NULL)
    {
      g_set_error (error, ER_ERROR, ER_ERROR_CRYPTO,
                   _("The photo could not be encrypted: its key has %u bytes, but an AES key has 16, 24 or 32."),
                   (guint) raw_length);
      return NULL;
    }

  plain = g_bytes_get_data (plaintext, &plain_length);
  if (plain_length > G_MAXINT - 2 * AES_BLOCK)
    {
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo could not be encrypted: it is too large."));
      return NULL;
    }

  er_crypto_derive_iv (aes_key, iv);

  ctx = EVP_CIPHER_CTX_new ();
  cipher_text = g_malloc (plain_length + AES_BLOCK);

  if (ctx == NULL ||
      !EVP_EncryptInit_ex (ctx, cipher, NULL, raw, iv) ||
      !EVP_EncryptUpdate (ctx, cipher_text, &length, plain, (int) plain_length) ||
      !EVP_EncryptFinal_ex (ctx, cipher_text + length, &final_length))
    {
      drop_openssl_errors ("AES-CBC encrypt");
      OPENSSL_cleanse (iv, sizeof iv);
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo could not be encrypted."));
      return NULL;
    }

  OPENSSL_cleanse (iv, sizeof iv);

  return base64_encode_url_safe (cipher_text, (gsize) length + (gsize) final_length);
}

/* Photos */

GBytes *
er_crypto_decrypt_photo (ErPrivateKey  *key,
                         const char    *wrapped_key_b64,
                         GBytes        *body,
                         GError       **error)
{
  g_autoptr(GBytes) aes_key = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (wrapped_key_b64 != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  aes_key = er_crypto_unwrap_key (key, wrapped_key_b64, error);
  if (aes_key == NULL)
    return NULL;

  return er_crypto_aes_decrypt (aes_key, body, error);
}

gboolean
er_crypto_encrypt_photo (ErPublicKey  *key,
                         GBytes       *image,
                         char        **out_data,
                         char        **out_key,
                         GError      **error)
{
  g_autoptr(GBytes) aes_key = NULL;
  g_autofree char *data = NULL;
  g_autofree char *wrapped = NULL;
  guint8 raw[32];

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (out_data != NULL, FALSE);
  g_return_val_if_fail (out_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (RAND_bytes (raw, sizeof raw) != 1)
    {
      drop_openssl_errors ("RAND_bytes");
      g_set_error_literal (error, ER_ERROR, ER_ERROR_CRYPTO,
                           _("The photo could not be encrypted: no random key could be made."));
      return FALSE;
    }

  aes_key = er_secret_bytes_new (raw, sizeof raw);
  OPENSSL_cleanse (raw, sizeof raw);

  data = er_crypto_aes_encrypt (aes_key, image, error);
  if (data == NULL)
    return FALSE;

  wrapped = er_crypto_wrap_key (key, aes_key, error);
  if (wrapped == NULL)
    return FALSE;

  *out_data = g_steal_pointer (&data);
  *out_key = g_steal_pointer (&wrapped);

  return TRUE;
}
