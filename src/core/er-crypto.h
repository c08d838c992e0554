/* er-crypto.h: Open edX verification photo encryption, with OpenSSL's libcrypto.
 *
 * Photo body: URL-safe base64 (with '=' padding, surrounding whitespace
 * ignored) of AES-CBC/PKCS#7 ciphertext. The AES key K is 16, 24 or 32 bytes;
 * the IV is the first 16 ASCII characters of hex(md5(K || hex(md5(K)))).
 * Photo key: base64 (standard or URL-safe alphabet, line breaks allowed) of K
 * encrypted with RSA-OAEP, SHA-1, MGF1-SHA-1, empty label.
 *
 * Secrets returned as GBytes (unwrapped keys, decrypted photos) are wiped
 * when their last reference goes (er-secret.h); a private key's PEM text
 * from er_private_key_to_pem is freed with er_secret_str_free.
 */
#pragma once

#include <glib-object.h>

#include "er-secret.h"

G_BEGIN_DECLS

/* The verification private key (RSA, 2048 bits or more). Reference counted. */
typedef struct _ErPrivateKey ErPrivateKey;
#define ER_TYPE_PRIVATE_KEY (er_private_key_get_type ())
GType         er_private_key_get_type      (void) G_GNUC_CONST;
/* PEM: PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY", or "ENCRYPTED PRIVATE KEY"
 * with passphrase. Errors: ER_ERROR_KEY_NEEDS_PASSPHRASE (encrypted, passphrase
 * NULL), ER_ERROR_KEY_BAD_PASSPHRASE, ER_ERROR_KEY_INVALID. */
ErPrivateKey *er_private_key_new_from_pem  (const char *pem, gsize length,
                                            const char *passphrase, GError **error);
ErPrivateKey *er_private_key_new_from_file (const char *path, const char *passphrase,
                                            GError **error);
ErPrivateKey *er_private_key_ref           (ErPrivateKey *self);
void          er_private_key_unref         (ErPrivateKey *self);
/* Hex SHA-256 of the DER SubjectPublicKeyInfo of the matching public key. */
char         *er_private_key_get_fingerprint (ErPrivateKey *self);
/* "-----BEGIN PUBLIC KEY-----" PEM of the matching public key. */
char         *er_private_key_get_public_pem  (ErPrivateKey *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErPrivateKey, er_private_key_unref)

/* A public key, for encrypting photos before upload. Reference counted. */
typedef struct _ErPublicKey ErPublicKey;
#define ER_TYPE_PUBLIC_KEY (er_public_key_get_type ())
GType         er_public_key_get_type       (void) G_GNUC_CONST;
ErPublicKey  *er_public_key_new_from_pem   (const char *pem, gsize length, GError **error);
ErPublicKey  *er_public_key_ref            (ErPublicKey *self);
void          er_public_key_unref          (ErPublicKey *self);
char         *er_public_key_get_fingerprint (ErPublicKey *self);
/* "ab12cd34…" → "AB12 CD34 EF56 7890…": the start of a hex fingerprint,
 * readable to a person comparing two keys. */
char         *er_fingerprint_format_short  (const char *hex);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ErPublicKey, er_public_key_unref)

/* Generates a new RSA key pair (for the fake platform and tests). */
ErPrivateKey *er_private_key_generate      (guint bits, GError **error);
/* PKCS#8 PEM of the private key; encrypted (AES-256-CBC) when passphrase is non-NULL. */
char         *er_private_key_to_pem        (ErPrivateKey *self, const char *passphrase,
                                            GError **error);

/* Unwraps a photo key: base64 (either alphabet, whitespace allowed) → RSA-OAEP
 * decrypt → 16, 24 or 32 raw bytes. ER_ERROR_CRYPTO otherwise. */
GBytes       *er_crypto_unwrap_key         (ErPrivateKey *key, const char *wrapped_b64,
                                            GError **error);
/* Wraps a raw AES key with RSA-OAEP-SHA1; returns standard base64. */
char         *er_crypto_wrap_key           (ErPublicKey *key, GBytes *aes_key, GError **error);

/* IV for an AES key: the first 16 chars of hex(md5(K || hex(md5(K)))). out: 16 bytes. */
void          er_crypto_derive_iv          (GBytes *aes_key, guint8 out_iv[16]);

/* body: the URL-safe base64 text of the ciphertext. Returns the plaintext. */
GBytes       *er_crypto_aes_decrypt        (GBytes *aes_key, GBytes *body, GError **error);
/* Returns the URL-safe base64 text (with '=' padding) of the ciphertext. */
char         *er_crypto_aes_encrypt        (GBytes *aes_key, GBytes *plaintext, GError **error);

/* unwrap + decrypt in one step. */
GBytes       *er_crypto_decrypt_photo      (ErPrivateKey *key, const char *wrapped_key_b64,
                                            GBytes *body, GError **error);
/* The same, in place: body (the text as fetched) is taken, and its bytes
 * become the plaintext's; the returned GBytes wipes all of them when it
 * goes. */
GBytes       *er_crypto_decrypt_photo_buffer (ErPrivateKey *key, const char *wrapped_key_b64,
                                              ErSecretBuffer *body, GError **error);
/* A fresh random 32-byte key, AES encrypt, wrap: out_data is URL-safe base64
 * ciphertext, out_key the standard base64 wrapped key. */
gboolean      er_crypto_encrypt_photo      (ErPublicKey *key, GBytes *image,
                                            char **out_data, char **out_key, GError **error);

G_END_DECLS
