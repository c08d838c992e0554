/* test-crypto.c: photo encryption against vectors made by the openssl CLI.
 *
 * The vectors in tests/vectors/ come from make-vectors.sh, which uses only
 * the openssl command line, so these tests check er-crypto.c against an
 * independent implementation of the Open edX scheme, both ways.
 */

#include <string.h>

#include <gio/gio.h>

#include "er-crypto.h"
#include "er-error.h"
#include "er-secret.h"
#include "fake-images.h"

#define PASSPHRASE "correct horse"

static const guint aes_lengths[] = { 16, 24, 32 };

/* Helpers */

static char *
vector_path (const char *name)
{
  const char *dir = g_getenv ("ER_TEST_VECTORS");

  if (dir != NULL)
    return g_build_filename (dir, name, NULL);

  return g_test_build_filename (G_TEST_DIST, "vectors", name, NULL);
}

static GBytes *
read_vector (const char *name)
{
  g_autofree char *path = vector_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static char *
read_vector_text (const char *name)
{
  g_autofree char *path = vector_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static char *
read_vector_line (const char *name)
{
  return g_strstrip (read_vector_text (name));
}

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize length = strlen (hex);
  GByteArray *array = g_byte_array_new ();

  g_assert_cmpuint (length % 2, ==, 0);
  for (gsize i = 0; i < length; i += 2)
    {
      guint8 byte = (g_ascii_xdigit_value (hex[i]) << 4) | g_ascii_xdigit_value (hex[i + 1]);

      g_assert_true (g_ascii_isxdigit (hex[i]) && g_ascii_isxdigit (hex[i + 1]));
      g_byte_array_append (array, &byte, 1);
    }

  return g_byte_array_free_to_bytes (array);
}

static char *
hex_from_bytes (const guint8 *data, gsize length)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (s, "%02x", data[i]);

  return g_string_free (s, FALSE);
}

static GBytes *
aes_key_vector (guint length)
{
  g_autofree char *name = g_strdup_printf ("aes%u.hex", length);
  g_autofree char *hex = read_vector_line (name);

  return bytes_from_hex (hex);
}

static ErPrivateKey *
load_key (const char *name, const char *passphrase)
{
  g_autofree char *path = vector_path (name);
  g_autoptr(GError) error = NULL;
  ErPrivateKey *key;

  key = er_private_key_new_from_file (path, passphrase, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  return key;
}

static void
assert_key_error (const char *name, const char *passphrase, int code)
{
  g_autofree char *path = vector_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;

  key = er_private_key_new_from_file (path, passphrase, &error);
  g_assert_error (error, ER_ERROR, code);
  g_assert_null (key);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_pem_error (const char *pem, gsize length, const char *passphrase, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;

  key = er_private_key_new_from_pem (pem, length, passphrase, &error);
  g_assert_error (error, ER_ERROR, code);
  g_assert_null (key);
}

static void
assert_equal_bytes (GBytes *a, GBytes *b)
{
  gsize a_length, b_length;
  const guint8 *a_data = g_bytes_get_data (a, &a_length);
  const guint8 *b_data = g_bytes_get_data (b, &b_length);

  g_assert_cmpmem (a_data, a_length, b_data, b_length);
}

static char *
replace_chars (const char *text, char from, char to)
{
  char *copy = g_strdup (text);

  for (char *p = copy; *p != '\0'; p++)
    if (*p == from)
      *p = to;

  return copy;
}

static char *
to_standard_alphabet (const char *url_safe)
{
  g_autofree char *step = replace_chars (url_safe, '-', '+');

  return replace_chars (step, '_', '/');
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static GBytes *
expected_plaintext (void)
{
  return read_vector ("plaintext.bin");
}

/* Keys */

static void
test_key_forms (void)
{
  static const struct {
    const char *file;
    const char *passphrase;
  } forms[] = {
    { "rsa2048-pkcs1.pem", NULL },
    { "rsa2048-pkcs8.pem", NULL },
    { "rsa2048-pkcs8-encrypted.pem", PASSPHRASE },
    { "rsa2048-pkcs1-encrypted.pem", PASSPHRASE },
    /* a passphrase for a clear key is ignored */
    { "rsa2048-pkcs8.pem", "unused" },
  };
  g_autofree char *expected = read_vector_line ("rsa2048-fingerprint.txt");

  g_assert_cmpuint (strlen (expected), ==, 64);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(ErPrivateKey) key = load_key (forms[i].file, forms[i].passphrase);
      g_autofree char *fingerprint = er_private_key_get_fingerprint (key);

      g_test_message ("%s", forms[i].file);
      g_assert_cmpstr (fingerprint, ==, expected);
    }
}

static void
test_key_from_memory (void)
{
  g_autoptr(GBytes) pem = read_vector ("rsa2048-pkcs8.pem");
  g_autofree char *expected = read_vector_line ("rsa2048-fingerprint.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;
  g_autoptr(ErPrivateKey) ref = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GByteArray) framed = g_byte_array_new ();
  const char *junk = "garbage before the armor\n";
  gsize length;
  const char *data = g_bytes_get_data (pem, &length);

  /* Not NUL-terminated: only length counts */
  g_byte_array_append (framed, (const guint8 *) junk, strlen (junk));
  g_byte_array_append (framed, (const guint8 *) data, length);
  g_byte_array_append (framed, (const guint8 *) "XXXX", 4);

  key = er_private_key_new_from_pem ((const char *) framed->data, framed->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  ref = er_private_key_ref (key);
  g_assert_true (ref == key);
  fingerprint = er_private_key_get_fingerprint (ref);
  g_assert_cmpstr (fingerprint, ==, expected);

  g_assert_true (G_TYPE_IS_BOXED (ER_TYPE_PRIVATE_KEY));
  g_assert_true (G_TYPE_IS_BOXED (ER_TYPE_PUBLIC_KEY));
}

static void
test_key_needs_passphrase (void)
{
  assert_key_error ("rsa2048-pkcs8-encrypted.pem", NULL, ER_ERROR_KEY_NEEDS_PASSPHRASE);
  assert_key_error ("rsa2048-pkcs1-encrypted.pem", NULL, ER_ERROR_KEY_NEEDS_PASSPHRASE);
}

static void
test_key_bad_passphrase (void)
{
  assert_key_error ("rsa2048-pkcs8-encrypted.pem", "wrong horse", ER_ERROR_KEY_BAD_PASSPHRASE);
  assert_key_error ("rsa2048-pkcs1-encrypted.pem", "wrong horse", ER_ERROR_KEY_BAD_PASSPHRASE);
  assert_key_error ("rsa2048-pkcs8-encrypted.pem", "", ER_ERROR_KEY_BAD_PASSPHRASE);
}

static void
test_key_invalid (void)
{
  static const char garbage[] = "This is not a key at all.\n";
  static const char bad_body[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "bm90IGEga2V5IGJ1dCB2YWxpZCBiYXNlNjQgdGV4dA==\n"
    "-----END PRIVATE KEY-----\n";
  static const char bad_base64[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "!!!! not base64 ####\n"
    "-----END RSA PRIVATE KEY-----\n";
  g_autofree char *pkcs8 = read_vector_text ("rsa2048-pkcs8.pem");
  g_autofree char *truncated = g_strndup (pkcs8, strlen (pkcs8) / 2);
  g_autofree char *missing = vector_path ("no-such-key.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;

  assert_key_error ("rsa1024.pem", NULL, ER_ERROR_KEY_INVALID);
  assert_key_error ("ec-p256.pem", NULL, ER_ERROR_KEY_INVALID);
  assert_key_error ("rsa2048-public.pem", NULL, ER_ERROR_KEY_INVALID);
  assert_key_error ("rsa2048-public-pkcs1.pem", NULL, ER_ERROR_KEY_INVALID);
  assert_key_error ("plaintext.bin", NULL, ER_ERROR_KEY_INVALID);

  assert_pem_error (garbage, strlen (garbage), NULL, ER_ERROR_KEY_INVALID);
  assert_pem_error (bad_body, strlen (bad_body), NULL, ER_ERROR_KEY_INVALID);
  assert_pem_error (bad_base64, strlen (bad_base64), NULL, ER_ERROR_KEY_INVALID);
  assert_pem_error (truncated, strlen (truncated), NULL, ER_ERROR_KEY_INVALID);
  assert_pem_error ("", 0, NULL, ER_ERROR_KEY_INVALID);

  key = er_private_key_new_from_file (missing, NULL, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_KEY_INVALID);
  g_assert_null (key);
}

static void
test_public_key (void)
{
  g_autofree char *expected = read_vector_line ("rsa2048-fingerprint.txt");
  static const char *forms[] = { "rsa2048-public.pem", "rsa2048-public-pkcs1.pem" };
  static const char *refused[] = { "rsa1024-public.pem", "ec-p256-public.pem", "plaintext.bin" };
  g_autoptr(ErPrivateKey) private_key = load_key ("rsa2048-pkcs1.pem", NULL);
  g_autofree char *public_pem = er_private_key_get_public_pem (private_key);
  g_autofree char *vector_pem = read_vector_text ("rsa2048-public.pem");

  /* Same text as `openssl pkey -pubout` */
  g_assert_nonnull (public_pem);
  g_assert_true (g_str_has_prefix (public_pem, "-----BEGIN PUBLIC KEY-----\n"));
  g_assert_cmpstr (public_pem, ==, vector_pem);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GBytes) pem = read_vector (forms[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErPublicKey) key = NULL;
      g_autoptr(ErPublicKey) ref = NULL;
      g_autofree char *fingerprint = NULL;
      gsize length;
      const char *data = g_bytes_get_data (pem, &length);

      key = er_public_key_new_from_pem (data, length, &error);
      g_assert_no_error (error);
      ref = er_public_key_ref (key);
      fingerprint = er_public_key_get_fingerprint (ref);
      g_assert_cmpstr (fingerprint, ==, expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) pem = read_vector (refused[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ErPublicKey) key = NULL;
      gsize length;
      const char *data = g_bytes_get_data (pem, &length);

      key = er_public_key_new_from_pem (data, length, &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_KEY_INVALID);
      g_assert_null (key);
    }
}

/* The only key generation of the tests, 2048 bits. */
static void
test_generate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPrivateKey) key = NULL;
  g_autoptr(ErPrivateKey) small = NULL;
  g_autoptr(ErPrivateKey) clear = NULL;
  g_autoptr(ErPrivateKey) decrypted = NULL;
  g_autoptr(ErPrivateKey) other = load_key ("rsa2048-pkcs8.pem", NULL);
  g_autofree char *fingerprint = NULL;
  g_autofree char *clear_fingerprint = NULL;
  g_autofree char *decrypted_fingerprint = NULL;
  g_autofree char *other_fingerprint = er_private_key_get_fingerprint (other);
  g_autofree char *pem = NULL;
  g_autofree char *encrypted_pem = NULL;

  small = er_private_key_generate (1024, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_KEY_INVALID);
  g_assert_null (small);
  g_clear_error (&error);

  key = er_private_key_generate (2048, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  fingerprint = er_private_key_get_fingerprint (key);
  g_assert_cmpuint (strlen (fingerprint), ==, 64);
  g_assert_cmpstr (fingerprint, !=, other_fingerprint);

  pem = er_private_key_to_pem (key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN PRIVATE KEY-----\n"));
  clear = er_private_key_new_from_pem (pem, strlen (pem), NULL, &error);
  g_assert_no_error (error);
  clear_fingerprint = er_private_key_get_fingerprint (clear);
  g_assert_cmpstr (clear_fingerprint, ==, fingerprint);

  encrypted_pem = er_private_key_to_pem (key, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (encrypted_pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
  assert_pem_error (encrypted_pem, strlen (encrypted_pem), NULL, ER_ERROR_KEY_NEEDS_PASSPHRASE);
  assert_pem_error (encrypted_pem, strlen (encrypted_pem), "horse", ER_ERROR_KEY_BAD_PASSPHRASE);
  decrypted = er_private_key_new_from_pem (encrypted_pem, strlen (encrypted_pem), PASSPHRASE, &error);
  g_assert_no_error (error);
  decrypted_fingerprint = er_private_key_get_fingerprint (decrypted);
  g_assert_cmpstr (decrypted_fingerprint, ==, fingerprint);
}

/* Photo keys */

static void
test_unwrap (void)
{
  g_autoptr(ErPrivateKey) key = load_key ("rsa2048-pkcs8.pem", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autofree char *name = g_strdup_printf ("wrapped%u.b64", aes_lengths[i]);
      g_autofree char *wrapped = read_vector_text (name);
      g_autofree char *stripped = g_strdup (wrapped);
      g_autofree char *unpadded = NULL;
      g_autofree char *spaced = NULL;
      g_autoptr(GBytes) expected = aes_key_vector (aes_lengths[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GBytes) raw2 = NULL;
      g_autoptr(GBytes) raw3 = NULL;

      g_test_message ("%s", name);
      raw = er_crypto_unwrap_key (key, wrapped, &error);
      g_assert_no_error (error);
      assert_equal_bytes (raw, expected);

      /* Without '=' padding */
      g_strstrip (stripped);
      unpadded = g_strndup (stripped, strcspn (stripped, "="));
      raw2 = er_crypto_unwrap_key (key, unpadded, &error);
      g_assert_no_error (error);
      assert_equal_bytes (raw2, expected);

      /* CRLF line breaks and spaces around */
      spaced = g_strdup_printf ("  %.*s\r\n%s\r\n\t", 40, stripped, stripped + 40);
      raw3 = er_crypto_unwrap_key (key, spaced, &error);
      g_assert_no_error (error);
      assert_equal_bytes (raw3, expected);
    }
}

static void
test_unwrap_errors (void)
{
  g_autoptr(ErPrivateKey) key = load_key ("rsa2048-pkcs8.pem", NULL);
  g_autoptr(ErPrivateKey) other = load_key ("other2048.pem", NULL);
  g_autofree char *wrapped = read_vector_line ("wrapped32.b64");
  g_autofree char *bad_length = read_vector_line ("wrapped20.b64");
  g_autofree char *truncated = g_strndup (wrapped, strlen (wrapped) - 8);
  g_autofree char *bad_char = g_strdup (wrapped);
  g_autofree char *pad_inside = g_strdup (wrapped);
  const char *invalid[] = {
    "",
    "   \n",
    "A",
    "AAAAA",
    "AAAA===",
    "YWJj",  /* "abc": valid base64, not an RSA block */
    truncated,
    bad_char,
    pad_inside,
    bad_length,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;

  bad_char[100] = '*';
  pad_inside[100] = '=';

  /* Encrypted for another verification key */
  raw = er_crypto_unwrap_key (other, wrapped, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  g_assert_null (raw);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      raw = er_crypto_unwrap_key (key, invalid[i], &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
      g_assert_null (raw);
      g_clear_error (&error);
    }
}

static void
test_wrap (void)
{
  g_autoptr(ErPrivateKey) private_key = load_key ("rsa2048-pkcs1.pem", NULL);
  g_autofree char *public_pem = er_private_key_get_public_pem (private_key);
  g_autoptr(ErPublicKey) public_key = NULL;
  g_autoptr(GBytes) bad = g_bytes_new ("0123456789abcdefghij", 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped_bad = NULL;

  public_key = er_public_key_new_from_pem (public_pem, strlen (public_pem), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autoptr(GBytes) aes_key = aes_key_vector (aes_lengths[i]);
      g_autofree char *wrapped = er_crypto_wrap_key (public_key, aes_key, &error);
      g_autoptr(GBytes) unwrapped = NULL;

      g_assert_no_error (error);
      /* Standard alphabet, one line, padded: 256 bytes → 344 characters */
      g_assert_cmpuint (strlen (wrapped), ==, 344);
      g_assert_null (strpbrk (wrapped, "-_\n"));
      unwrapped = er_crypto_unwrap_key (private_key, wrapped, &error);
      g_assert_no_error (error);
      assert_equal_bytes (unwrapped, aes_key);
    }

  wrapped_bad = er_crypto_wrap_key (public_key, bad, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  g_assert_null (wrapped_bad);
}

/* AES */

static void
test_derive_iv (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autofree char *name = g_strdup_printf ("iv%u.txt", aes_lengths[i]);
      g_autofree char *expected = read_vector_text (name);
      g_autoptr(GBytes) aes_key = aes_key_vector (aes_lengths[i]);
      guint8 iv[16];

      g_assert_cmpuint (strlen (expected), ==, 16);
      er_crypto_derive_iv (aes_key, iv);
      g_assert_cmpmem (iv, sizeof iv, expected, 16);
    }
}

static void
test_aes_decrypt (void)
{
  g_autoptr(GBytes) expected = expected_plaintext ();

  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autofree char *name = g_strdup_printf ("photo%u.txt", aes_lengths[i]);
      g_autofree char *text = read_vector_text (name);
      g_autofree char *standard = to_standard_alphabet (text);
      g_autofree char *wrapped_lines = NULL;
      g_autoptr(GBytes) aes_key = aes_key_vector (aes_lengths[i]);
      g_autoptr(GBytes) body = bytes_from_string (text);
      g_autoptr(GBytes) standard_body = bytes_from_string (standard);
      g_autoptr(GBytes) lines_body = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) plain2 = NULL;
      g_autoptr(GBytes) plain3 = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", name);
      plain = er_crypto_aes_decrypt (aes_key, body, &error);
      g_assert_no_error (error);
      assert_equal_bytes (plain, expected);

      /* Standard alphabet too */
      plain2 = er_crypto_aes_decrypt (aes_key, standard_body, &error);
      g_assert_no_error (error);
      assert_equal_bytes (plain2, expected);

      /* Surrounding and inner whitespace */
      g_strstrip (text);
      wrapped_lines = g_strdup_printf ("\n  %.*s\n%s  \r\n", 64, text, text + 64);
      lines_body = bytes_from_string (wrapped_lines);
      plain3 = er_crypto_aes_decrypt (aes_key, lines_body, &error);
      g_assert_no_error (error);
      assert_equal_bytes (plain3, expected);
    }
}

static void
test_aes_round_trip (void)
{
  static const gsize sizes[] = { 0, 1, 15, 16, 17, 4096 };

  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autoptr(GBytes) aes_key = aes_key_vector (aes_lengths[i]);

      for (guint j = 0; j < G_N_ELEMENTS (sizes); j++)
        {
          g_autofree guint8 *data = g_malloc (MAX (sizes[j], 1));
          g_autoptr(GBytes) plain = NULL;
          g_autoptr(GBytes) body = NULL;
          g_autoptr(GBytes) decrypted = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;
          gsize cipher_length;

          for (gsize k = 0; k < sizes[j]; k++)
            data[k] = (guint8) (k * 7 + j);
          plain = g_bytes_new (data, sizes[j]);

          text = er_crypto_aes_encrypt (aes_key, plain, &error);
          g_assert_no_error (error);
          g_assert_null (strpbrk (text, "+/\n"));
          g_assert_cmpuint (strlen (text) % 4, ==, 0);
          /* PKCS#7 always adds 1 to 16 bytes */
          cipher_length = (sizes[j] / 16 + 1) * 16;
          g_assert_cmpuint (strlen (text), ==, (cipher_length + 2) / 3 * 4);

          body = bytes_from_string (text);
          decrypted = er_crypto_aes_decrypt (aes_key, body, &error);
          g_assert_no_error (error);
          assert_equal_bytes (decrypted, plain);
        }
    }
}

static char *
flip_bit (const char *url_safe, gssize index, guint8 mask)
{
  g_autofree char *standard = to_standard_alphabet (url_safe);
  g_autofree guint8 *data = NULL;
  g_autofree char *text = NULL;
  gsize length;

  data = g_base64_decode (standard, &length);
  if (index < 0)
    index += length;
  data[index] ^= mask;
  text = g_base64_encode (data, length);

  return to_standard_alphabet (text);
}

static void
test_aes_errors (void)
{
  g_autoptr(GBytes) aes_key = aes_key_vector (32);
  g_autoptr(GBytes) other_key = aes_key_vector (16);
  g_autoptr(GBytes) short_key = g_bytes_new ("0123456789abcdefghij", 20);
  g_autoptr(GBytes) expected = expected_plaintext ();
  g_autofree char *text = read_vector_line ("photo32.txt");
  /* The bit that makes the last padding byte > 16, always invalid */
  g_autofree char *bad_padding = flip_bit (text, -17, 0x80);
  g_autofree char *truncated = g_strndup (text, strlen (text) - 5);
  g_autofree char *block_truncated = g_strndup (text, 64);
  g_autofree char *bad_char = g_strdup (text);
  const char *invalid[] = {
    "",
    " \n ",
    "not base64 at all!",
    "AAAA=AAA",
    "AAAAAAAAAAAAAAAAAAAAAA==",  /* 16 zero bytes: bad padding */
    "AAAAAAAAAAAA",              /* 9 bytes: not whole blocks */
    bad_padding,
    truncated,
    block_truncated,
    bad_char,
  };
  g_autoptr(GBytes) body = bytes_from_string (text);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *encrypted = NULL;

  bad_char[10] = '.';

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GBytes) invalid_body = bytes_from_string (invalid[i]);

      g_test_message ("invalid body %u", i);
      plain = er_crypto_aes_decrypt (aes_key, invalid_body, &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
      g_assert_true (g_str_has_prefix (error->message, "The photo could not be decrypted"));
      g_assert_null (plain);
      g_clear_error (&error);
    }

  /* A key of no AES length */
  plain = er_crypto_aes_decrypt (short_key, body, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  g_assert_null (plain);
  g_clear_error (&error);

  encrypted = er_crypto_aes_encrypt (short_key, expected, &error);
  g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
  g_assert_null (encrypted);
  g_clear_error (&error);

  /* The wrong AES key: an error almost always (the padding is random),
   * never the photo */
  plain = er_crypto_aes_decrypt (other_key, body, &error);
  if (plain != NULL)
    g_assert_false (g_bytes_equal (plain, expected));
  else
    g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
}

/* Photos */

static void
test_decrypt_photo (void)
{
  g_autoptr(ErPrivateKey) key = load_key ("rsa2048-pkcs8-encrypted.pem", PASSPHRASE);
  g_autoptr(ErPrivateKey) other = load_key ("other2048.pem", NULL);
  g_autoptr(GBytes) expected = expected_plaintext ();

  for (guint i = 0; i < G_N_ELEMENTS (aes_lengths); i++)
    {
      g_autofree char *key_name = g_strdup_printf ("wrapped%u.b64", aes_lengths[i]);
      g_autofree char *body_name = g_strdup_printf ("photo%u.txt", aes_lengths[i]);
      g_autofree char *wrapped = read_vector_text (key_name);
      g_autoptr(GBytes) body = read_vector (body_name);
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) wrong = NULL;
      g_autoptr(GError) error = NULL;

      plain = er_crypto_decrypt_photo (key, wrapped, body, &error);
      g_assert_no_error (error);
      assert_equal_bytes (plain, expected);

      wrong = er_crypto_decrypt_photo (other, wrapped, body, &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
      g_assert_null (wrong);
    }
}

static GBytes *
synthetic_photo (void)
{
  return fake_image_face (7, 64, 48, FAKE_IMAGE_PNG, 1);
}

static ErPublicKey *
vector_public_key (void)
{
  g_autoptr(GBytes) pem = read_vector ("rsa2048-public.pem");
  g_autoptr(GError) error = NULL;
  ErPublicKey *key;
  gsize length;
  const char *data = g_bytes_get_data (pem, &length);

  key = er_public_key_new_from_pem (data, length, &error);
  g_assert_no_error (error);

  return key;
}

static void
test_photo_round_trip (void)
{
  g_autoptr(ErPublicKey) public_key = vector_public_key ();
  g_autoptr(ErPrivateKey) private_key = load_key ("rsa2048-pkcs1.pem", NULL);
  g_autoptr(GBytes) image = synthetic_photo ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *data2 = NULL;
  g_autofree char *wrapped2 = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) aes_key = NULL;

  g_assert_true (er_crypto_encrypt_photo (public_key, image, &data, &wrapped, &error));
  g_assert_no_error (error);
  g_assert_null (strpbrk (data, "+/\n"));
  g_assert_cmpuint (strlen (data) % 4, ==, 0);
  g_assert_null (strpbrk (wrapped, "-_\n"));

  /* A fresh 32-byte key */
  aes_key = er_crypto_unwrap_key (private_key, wrapped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (aes_key), ==, 32);

  body = bytes_from_string (data);
  plain = er_crypto_decrypt_photo (private_key, wrapped, body, &error);
  g_assert_no_error (error);
  assert_equal_bytes (plain, image);

  /* A new key each time */
  g_assert_true (er_crypto_encrypt_photo (public_key, image, &data2, &wrapped2, &error));
  g_assert_cmpstr (data, !=, data2);
  g_assert_cmpstr (wrapped, !=, wrapped2);
}

static ErSecretBuffer *
buffer_of (const char *text)
{
  ErSecretBuffer *buffer = er_secret_buffer_new (strlen (text) + 1);

  er_secret_buffer_append (buffer, text, strlen (text));
  return buffer;
}

/* Decrypting in place (the fetched text's bytes become the image's) gives
 * what decrypting into new memory gives: small and big (over ER_BLOCK_BIG,
 * mapped in huge pages), URL-safe and standard, with line breaks; and bad
 * text or the wrong key is an error, the buffer taken all the same. */
static void
test_decrypt_photo_in_place (void)
{
  g_autoptr(ErPublicKey) public_key = vector_public_key ();
  g_autoptr(ErPrivateKey) private_key = load_key ("rsa2048-pkcs1.pem", NULL);
  g_autoptr(GError) error = NULL;
  gsize sizes[] = { 1, 15, 16, 17, 1000, ER_BLOCK_BIG + 12345 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *raw = g_malloc (sizes[i]);
      g_autoptr(GBytes) image = NULL;
      g_autofree char *data = NULL;
      g_autofree char *wrapped = NULL;
      g_autoptr(GBytes) copied = NULL;
      g_autoptr(GBytes) in_place = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GString) standard = NULL;
      ErSecretBuffer *buffer;

      for (gsize k = 0; k < sizes[i]; k++)
        raw[k] = (guint8) (k * 7 + k / 251);
      image = g_bytes_new (raw, sizes[i]);
      g_assert_true (er_crypto_encrypt_photo (public_key, image, &data, &wrapped, &error));
      g_assert_no_error (error);

      body = bytes_from_string (data);
      copied = er_crypto_decrypt_photo (private_key, wrapped, body, &error);
      g_assert_no_error (error);
      buffer = buffer_of (data);
      if (sizes[i] > ER_BLOCK_BIG)
        g_assert_nonnull (buffer->block.map);
      in_place = er_crypto_decrypt_photo_buffer (private_key, wrapped, buffer, &error);
      g_assert_no_error (error);
      assert_equal_bytes (in_place, image);
      assert_equal_bytes (copied, image);

      /* The standard alphabet, lines of 76 characters. */
      standard = g_string_new (NULL);
      for (const char *c = data; *c != '\0'; c++)
        {
          g_string_append_c (standard, *c == '-' ? '+' : *c == '_' ? '/' : *c);
          if ((c - data) % 76 == 75)
            g_string_append (standard, "\r\n");
        }
      g_clear_pointer (&in_place, g_bytes_unref);
      in_place = er_crypto_decrypt_photo_buffer (private_key, wrapped, buffer_of (standard->str), &error);
      g_assert_no_error (error);
      assert_equal_bytes (in_place, image);
    }

  /* Errors: not base64; base64 of a block that does not decrypt. */
  {
    g_autoptr(GBytes) small = g_bytes_new_static ("0123456789", 10);
    g_autofree char *data = NULL;
    g_autofree char *wrapped = NULL;

    g_assert_true (er_crypto_encrypt_photo (public_key, small, &data, &wrapped, &error));
    g_assert_null (er_crypto_decrypt_photo_buffer (private_key, wrapped, buffer_of ("not base64!"), &error));
    g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
    g_clear_error (&error);
    g_assert_null (er_crypto_decrypt_photo_buffer (private_key, wrapped,
                                                   buffer_of ("AAAAAAAAAAAAAAAAAAAAAA=="), &error));
    g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
    g_clear_error (&error);
  }
}

static GBytes *
run_openssl (const char * const *argv, GBytes *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GBytes) errors = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate (process, input, NULL, &output, &errors, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %.*s", argv[1],
             (int) g_bytes_get_size (errors), (const char *) g_bytes_get_data (errors, NULL));

  return g_steal_pointer (&output);
}

/* The other direction: what we encrypt, the openssl CLI decrypts. */
static void
test_openssl_decrypts_ours (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *key_path = vector_path ("rsa2048-pkcs8.pem");
  g_autoptr(ErPublicKey) public_key = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *standard_data = NULL;
  g_autofree guint8 *wrapped_raw = NULL;
  g_autofree guint8 *cipher_text = NULL;
  g_autoptr(GBytes) wrapped_bytes = NULL;
  g_autoptr(GBytes) cipher_bytes = NULL;
  g_autoptr(GBytes) aes_key = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *iv_hex = NULL;
  g_autofree char *cipher_name = NULL;
  gsize wrapped_length, cipher_length;
  char inner[33];
  char iv_text[17];

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not in PATH");
      return;
    }

  public_key = vector_public_key ();
  image = synthetic_photo ();
  g_assert_true (er_crypto_encrypt_photo (public_key, image, &data, &wrapped, &error));
  g_assert_no_error (error);

  /* Unwrap with `openssl pkeyutl` */
  wrapped_raw = g_base64_decode (wrapped, &wrapped_length);
  wrapped_bytes = g_bytes_new (wrapped_raw, wrapped_length);
  {
    const char *argv[] = {
      openssl, "pkeyutl", "-decrypt", "-inkey", key_path,
      "-pkeyopt", "rsa_padding_mode:oaep",
      "-pkeyopt", "rsa_oaep_md:sha1",
      "-pkeyopt", "rsa_mgf1_md:sha1",
      NULL
    };
    aes_key = run_openssl (argv, wrapped_bytes);
  }
  g_assert_cmpuint (g_bytes_get_size (aes_key), ==, 32);

  /* The IV, computed here with GChecksum rather than er_crypto_derive_iv() */
  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

    g_checksum_update (checksum, g_bytes_get_data (aes_key, NULL), g_bytes_get_size (aes_key));
    g_strlcpy (inner, g_checksum_get_string (checksum), sizeof inner);
    g_checksum_reset (checksum);
    g_checksum_update (checksum, g_bytes_get_data (aes_key, NULL), g_bytes_get_size (aes_key));
    g_checksum_update (checksum, (const guchar *) inner, 32);
    g_strlcpy (iv_text, g_checksum_get_string (checksum), sizeof iv_text);
  }

  key_hex = hex_from_bytes (g_bytes_get_data (aes_key, NULL), g_bytes_get_size (aes_key));
  iv_hex = hex_from_bytes ((const guint8 *) iv_text, 16);
  cipher_name = g_strdup ("-aes-256-cbc");

  /* Decrypt the body with `openssl enc -d` */
  standard_data = to_standard_alphabet (data);
  cipher_text = g_base64_decode (standard_data, &cipher_length);
  cipher_bytes = g_bytes_new (cipher_text, cipher_length);
  {
    const char *argv[] = {
      openssl, "enc", "-d", cipher_name, "-K", key_hex, "-iv", iv_hex, NULL
    };
    plain = run_openssl (argv, cipher_bytes);
  }

  assert_equal_bytes (plain, image);
}

/* The photo loader decrypts in worker threads with one shared key. */

typedef struct {
  ErPrivateKey *key;
  char *wrapped;
  GBytes *body;
  GBytes *expected;
} ThreadData;

static gpointer
decrypt_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) plain = er_crypto_decrypt_photo (data->key, data->wrapped, data->body, &error);
      g_autoptr(GBytes) bad = NULL;
      g_autoptr(GBytes) junk = bytes_from_string ("AAAAAAAAAAAAAAAAAAAAAA==");

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (plain, data->expected));

      /* Errors in one thread do not leak into another's results */
      bad = er_crypto_decrypt_photo (data->key, data->wrapped, junk, &error);
      g_assert_error (error, ER_ERROR, ER_ERROR_CRYPTO);
      g_assert_null (bad);
    }

  return NULL;
}

static void
test_threads (void)
{
  ThreadData data;
  GThread *threads[4];

  data.key = load_key ("rsa2048-pkcs8.pem", NULL);
  data.wrapped = read_vector_text ("wrapped24.b64");
  data.body = read_vector ("photo24.txt");
  data.expected = expected_plaintext ();

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("decrypt", decrypt_thread, &data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  er_private_key_unref (data.key);
  g_free (data.wrapped);
  g_bytes_unref (data.body);
  g_bytes_unref (data.expected);
}

/* Secret memory (er-secret.h): the wiping happens before the memory is let
 * go, which a release function sees (the memory still belongs to the test). */

typedef struct {
  guint8   block[48];
  gboolean released;
  gboolean wiped;
} Released;

static void
check_wiped_then_release (gpointer user_data)
{
  Released *r = user_data;

  r->released = TRUE;
  r->wiped = TRUE;
  for (gsize i = 0; i < sizeof r->block; i++)
    if (r->block[i] != 0)
      r->wiped = FALSE;
}

static void
test_secret_bytes_wiped (void)
{
  Released r = { { 0 }, FALSE, FALSE };
  GBytes *bytes;
  GBytes *other;

  memset (r.block, 0xa5, sizeof r.block);
  /* 32 bytes of content in a 48-byte block: all 48 are wiped. */
  bytes = er_secret_bytes_new_with_release (r.block, 32, sizeof r.block,
                                            check_wiped_then_release, &r);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 32);
  g_assert_true (g_bytes_get_data (bytes, NULL) == r.block);

  other = g_bytes_ref (bytes);
  g_bytes_unref (bytes);
  g_assert_false (r.released);
  g_assert_cmpuint (r.block[0], ==, 0xa5);

  g_bytes_unref (other);
  g_assert_true (r.released);
  g_assert_true (r.wiped);
}

static void
test_secret_bytes_copy (void)
{
  static const char text[] = "a secret of some length";
  g_autoptr(GBytes) bytes = er_secret_bytes_new (text, sizeof text);
  g_autoptr(GBytes) empty = er_secret_bytes_new (NULL, 0);
  gsize size;

  g_assert_cmpmem (g_bytes_get_data (bytes, &size), size, text, sizeof text);
  g_assert_true (g_bytes_get_data (bytes, NULL) != (gconstpointer) text);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
}

static void
test_secret_buffer (void)
{
  g_autoptr(ErSecretBuffer) buffer = er_secret_buffer_new (4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  guint8 *before;

  before = buffer->data;
  er_secret_buffer_append (buffer, "abc", 3);
  g_assert_true (buffer->data == before);
  g_string_append (expected, "abc");

  /* Growing moves the content (the old block is wiped and freed). */
  for (int i = 0; i < 100; i++)
    {
      er_secret_buffer_append (buffer, "0123456789", 10);
      g_string_append (expected, "0123456789");
    }
  g_assert_true (buffer->allocated >= buffer->len);
  g_assert_cmpmem (buffer->data, buffer->len, expected->str, expected->len);

  bytes = er_secret_buffer_free_to_bytes (g_steal_pointer (&buffer));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected->str, expected->len);
}

/* A big buffer in huge pages gives back the pages past its content. */
static void
test_secret_buffer_trim (void)
{
  g_autoptr(ErSecretBuffer) buffer = er_secret_buffer_new (12 * 1024 * 1024);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (buffer->block.map);
  memset (er_secret_buffer_reserve (buffer, 5 * 1024 * 1024), 'x', 5 * 1024 * 1024);
  er_secret_buffer_commit (buffer, 5 * 1024 * 1024);
  er_secret_buffer_trim (buffer);
  /* 5 MiB in 2 MiB pages: 6 MiB left. */
  g_assert_cmpuint (buffer->allocated, ==, 6 * 1024 * 1024);
  g_assert_cmpuint (buffer->len, ==, 5 * 1024 * 1024);
  g_assert_cmpint (buffer->data[buffer->len - 1], ==, 'x');
  bytes = er_secret_buffer_free_to_bytes (g_steal_pointer (&buffer));
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 5 * 1024 * 1024);
}

static void
test_secret_free (void)
{
  er_secret_free (NULL, 10);
  er_secret_str_free (NULL);
  er_secret_str_free (g_strdup ("token"));
  er_secret_free (g_malloc0 (16), 16);
  er_secret_buffer_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/key/forms", test_key_forms);
  g_test_add_func ("/crypto/key/from-memory", test_key_from_memory);
  g_test_add_func ("/crypto/key/needs-passphrase", test_key_needs_passphrase);
  g_test_add_func ("/crypto/key/bad-passphrase", test_key_bad_passphrase);
  g_test_add_func ("/crypto/key/invalid", test_key_invalid);
  g_test_add_func ("/crypto/key/public", test_public_key);
  g_test_add_func ("/crypto/key/generate", test_generate);
  g_test_add_func ("/crypto/photo-key/unwrap", test_unwrap);
  g_test_add_func ("/crypto/photo-key/unwrap-errors", test_unwrap_errors);
  g_test_add_func ("/crypto/photo-key/wrap", test_wrap);
  g_test_add_func ("/crypto/aes/derive-iv", test_derive_iv);
  g_test_add_func ("/crypto/aes/decrypt", test_aes_decrypt);
  g_test_add_func ("/crypto/aes/round-trip", test_aes_round_trip);
  g_test_add_func ("/crypto/aes/errors", test_aes_errors);
  g_test_add_func ("/crypto/photo/decrypt", test_decrypt_photo);
  g_test_add_func ("/crypto/photo/round-trip", test_photo_round_trip);
  g_test_add_func ("/crypto/photo/in-place", test_decrypt_photo_in_place);
  g_test_add_func ("/crypto/photo/openssl-decrypts-ours", test_openssl_decrypts_ours);
  g_test_add_func ("/crypto/photo/threads", test_threads);
  g_test_add_func ("/crypto/secret/bytes-wiped", test_secret_bytes_wiped);
  g_test_add_func ("/crypto/secret/bytes-copy", test_secret_bytes_copy);
  g_test_add_func ("/crypto/secret/buffer", test_secret_buffer);
  g_test_add_func ("/crypto/secret/buffer-trim", test_secret_buffer_trim);
  g_test_add_func ("/crypto/secret/free", test_secret_free);

  return g_test_run ();
}
