/* make-corpus.c: writes the seed corpora of the photo and mail fuzz targets
 * (the json and keys corpora come from make-json-corpus.py and the test
 * vectors). Photos are tiny and drawn by code (fake-images.h); encrypted
 * ones use the test vectors' AES key, as fuzz-photo.c decrypts them.
 *
 *   _build/tests/fuzz/fuzz-make-corpus tests/fuzz/corpus
 *
 * The output is committed; rerunning it rewrites the same files (the
 * JPEG encoder and the drawing are deterministic, the IV is derived).
 */
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "er-crypto.h"
#include "fake-images.h"
#include "fuzz-common.h"

static const char *out_dir;

static void
write_seed (const char   *target,
            const char   *name,
            int           selector,
            const void   *data,
            gsize         size)
{
  g_autofree char *dir = g_build_filename (out_dir, target, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  if (selector >= 0)
    {
      guint8 byte = (guint8) selector;
      g_byte_array_append (bytes, &byte, 1);
    }
  g_byte_array_append (bytes, data, (guint) size);

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error))
    g_error ("%s", error->message);
}

static void
write_bytes (const char *target, const char *name, int selector, GBytes *data)
{
  write_seed (target, name, selector, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

/* A PNG chunk: length, type, data, CRC-32. */
static void
append_png_chunk (GByteArray *png, const char *type, const guint8 *data, guint32 length)
{
  guint8 be[4] = { length >> 24, length >> 16, length >> 8, length };
  guint32 crc = 0xffffffff;
  g_autoptr(GByteArray) typed = g_byte_array_new ();

  g_byte_array_append (typed, (const guint8 *) type, 4);
  g_byte_array_append (typed, data, length);
  for (guint i = 0; i < typed->len; i++)
    {
      crc ^= typed->data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  crc ^= 0xffffffff;

  g_byte_array_append (png, be, 4);
  g_byte_array_append (png, typed->data, typed->len);
  be[0] = crc >> 24; be[1] = crc >> 16; be[2] = crc >> 8; be[3] = crc;
  g_byte_array_append (png, be, 4);
}

/* A PNG whose header announces width × height, with no pixel data. */
static GBytes *
png_header_only (guint32 width, guint32 height)
{
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    8, 6, 0, 0, 0,
  };

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static GBytes *
aes_key_from_vectors (void)
{
  g_autofree char *hex = NULL;
  guint8 raw[32];
  gsize length;

  hex = fuzz_read_vector ("aes32.hex", &length);
  g_strstrip (hex);
  for (guint i = 0; i < 32; i++)
    raw[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new (raw, sizeof raw);
}

static void
write_encrypted (const char *name, int selector, GBytes *key, GBytes *image)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = er_crypto_aes_encrypt (key, image, &error);

  g_assert_no_error (error);
  write_seed ("photo", name, selector, body, strlen (body));
}

static void
make_photo_corpus (void)
{
  g_autoptr(GBytes) key = aes_key_from_vectors ();
  g_autoptr(GBytes) face_png = fake_image_face (1, 16, 16, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) face_jpeg = fake_image_face (2, 16, 16, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GBytes) face_jpeg_rotated = fake_image_face (3, 16, 24, FAKE_IMAGE_JPEG, 6);
  g_autoptr(GBytes) card_png = fake_image_id_card ("Zoé Exemple", 4, 32, 20, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) huge = png_header_only (20000, 20000);
  g_autoptr(GBytes) zero = png_header_only (0, 16);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (face_png, 0, g_bytes_get_size (face_png) / 2);
  g_autoptr(GBytes) jpeg_truncated = g_bytes_new_from_bytes (face_jpeg, 0, g_bytes_get_size (face_jpeg) - 40);

  write_bytes ("photo", "clear-face.png", 0, face_png);
  write_bytes ("photo", "clear-face.jpg", 0, face_jpeg);
  write_bytes ("photo", "clear-face-exif6.jpg", 0, face_jpeg_rotated);
  write_bytes ("photo", "clear-card.png", 0, card_png);
  write_bytes ("photo", "clear-huge-header.png", 0, huge);
  write_bytes ("photo", "clear-zero-width.png", 0, zero);
  write_bytes ("photo", "clear-truncated.png", 0, truncated);
  write_bytes ("photo", "clear-truncated.jpg", 0, jpeg_truncated);
  write_seed ("photo", "clear-gif", 0, "GIF89a\x01\0\x01\0\0\0\0;", 14);
  write_seed ("photo", "clear-heic", 0, "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
  write_seed ("photo", "clear-pdf", 0, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 15);

  write_encrypted ("aes-face.png", 1, key, face_png);
  write_encrypted ("aes-face.jpg", 1, key, face_jpeg);
  write_encrypted ("aes-huge-header.png", 1, key, huge);
  write_seed ("photo", "aes-short", 1, "AAAAAAAAAAAAAAAAAAAAAA==", 24);
  write_encrypted ("wrapped-face-exif6.jpg", 2, key, face_jpeg_rotated);
  write_encrypted ("wrapped-card.png", 2, key, card_png);
}

/* Base64 in lines of 76 characters. */
static void
append_base64 (GString *out, GBytes *data)
{
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  gsize len = strlen (b64);

  for (gsize i = 0; i < len; i += 76)
    {
      g_string_append_len (out, b64 + i, MIN (76, len - i));
      g_string_append (out, "\r\n");
    }
}

static void
write_mail (const char *name, GString *message)
{
  write_seed ("mail", name, -1, message->str, message->len);
}

static const char headers[] =
  "From: =?UTF-8?Q?Zo=C3=A9_Exemple?= <zoe@example.org>\r\n"
  "To: support@edulib.example\r\n"
  "Date: Thu, 26 Nov 2026 10:15:00 -0500\r\n"
  "Message-ID: <seed-%s@example.org>\r\n"
  "MIME-Version: 1.0\r\n";

static void
make_mail_corpus (void)
{
  g_autoptr(GBytes) face_jpeg = fake_image_face (5, 12, 16, FAKE_IMAGE_JPEG, 6);
  g_autoptr(GBytes) card_png = fake_image_id_card ("Zoé Exemple", 6, 24, 15, FAKE_IMAGE_PNG, 1);
  g_autoptr(GBytes) exe = g_bytes_new_static ("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff", 16);
  g_autoptr(GBytes) heic = g_bytes_new_static ("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
  GString *m;

  m = g_string_new (NULL);
  g_string_append_printf (m, headers, "plain");
  g_string_append (m, "Subject: Ma facture EDU-2026-004211\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n"
                      "Bonjour,\r\nvoici ma demande (facture edu-2026-004211).\r\n");
  write_mail ("plain.eml", m);
  g_string_free (m, TRUE);

  m = g_string_new (NULL);
  g_string_append_printf (m, headers, "mixed");
  g_string_append (m, "Subject: =?UTF-8?B?UGhvdG9zIHBvdXIgbGEgdsOpcmlmaWNhdGlvbg==?=\r\n"
                      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                      "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "Facture : EDU-2026-000042 =C3=A9t=C3=A9\r\n"
                      "--b1\r\nContent-Type: image/jpeg; name=\"selfie.jpg\"\r\n"
                      "Content-Disposition: attachment; filename=\"selfie.jpg\"\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, face_jpeg);
  g_string_append (m, "--b1\r\nContent-Type: image/png\r\n"
                      "Content-Disposition: attachment; filename*=UTF-8''carte%20d%27identit%C3%A9.png\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, card_png);
  g_string_append (m, "--b1\r\nContent-Type: image/jpeg; name=\"virus.jpg\"\r\n"
                      "Content-Disposition: attachment; filename=\"virus.jpg\"\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, exe);
  g_string_append (m, "--b1\r\nContent-Type: image/heic; name=\"ID.heic\"\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, heic);
  g_string_append (m, "--b1--\r\n");
  write_mail ("mixed-attachments.eml", m);
  g_string_free (m, TRUE);

  m = g_string_new (NULL);
  g_string_append_printf (m, headers, "related");
  g_string_append (m, "Subject: photos\r\n"
                      "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                      "--alt\r\nContent-Type: text/plain\r\n\r\nVoir les photos.\r\n"
                      "--alt\r\nContent-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
                      "--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                      "<html><body><p>Facture <b>EDU-2026-123456</b></p>"
                      "<img src=\"cid:face@x\"><script>x()</script></body></html>\r\n"
                      "--rel\r\nContent-Type: image/jpeg\r\nContent-ID: <face@x>\r\n"
                      "Content-Disposition: inline\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, face_jpeg);
  g_string_append (m, "--rel--\r\n--alt--\r\n");
  write_mail ("alternative-related.eml", m);
  g_string_free (m, TRUE);

  m = g_string_new (NULL);
  g_string_append_printf (m, headers, "rfc2231");
  g_string_append (m, "Subject: continuations\r\n"
                      "Content-Type: multipart/mixed;\r\n boundary*0=\"sp\";\r\n boundary*1=\"lit\"\r\n\r\n"
                      "--split\r\nContent-Type: image/png\r\n"
                      "Content-Disposition: attachment;\r\n filename*0*=UTF-8''pi%C3%A8ce;\r\n"
                      " filename*1=\"-id.png\"\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (m, card_png);
  g_string_append (m, "--split--\r\n");
  write_mail ("rfc2231-boundary.eml", m);
  g_string_free (m, TRUE);

  m = g_string_new ("From nobody Thu Nov 26 10:15:00 2026\n"
                    "Subject: broken\nContent-Type: multipart/mixed; boundary=zz\n\n"
                    "--zz\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
                    "iVBORw0KGgoAAAANSUhEUgAA\n--zz\nContent-Type: message/rfc822\n\n"
                    "Subject: inner\nContent-Type: text/plain\n\nEDU-2026-999999\n");
  write_mail ("truncated-nested.eml", m);
  g_string_free (m, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      g_printerr ("usage: %s CORPUS-FOLDER (tests/fuzz/corpus)\n", argv[0]);
      return EXIT_FAILURE;
    }
  out_dir = argv[1];
  make_photo_corpus ();
  make_mail_corpus ();
  return EXIT_SUCCESS;
}
