#!/bin/bash
# make-vectors.sh: regenerates the crypto test vectors with the openssl CLI
# alone, independently of the code under test (tests/test-crypto.c reads them).
#
# Run from anywhere: ./tests/vectors/make-vectors.sh
# The output is committed; rerunning it makes new keys and new vectors.
# Only synthetic data: the "photo" is a few bytes written by printf.
set -euo pipefail

cd "$(dirname "$0")"

PASSPHRASE="correct horse"

# Lowercase hex of a file's bytes, on one line.
hex_of () {
  od -An -v -tx1 "$1" | tr -d ' \n'
}

# Writes the bytes given as hex text ($1) to the file $2.
unhex () {
  printf "$(printf '%s' "$1" | sed 's/../\\x&/g')" > "$2"
}

# RSA keys.
openssl genrsa -traditional -out rsa2048-pkcs1.pem 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs1.pem -out rsa2048-pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in rsa2048-pkcs1.pem \
  -passout "pass:$PASSPHRASE" -out rsa2048-pkcs8-encrypted.pem
openssl rsa -traditional -aes256 -in rsa2048-pkcs1.pem \
  -passout "pass:$PASSPHRASE" -out rsa2048-pkcs1-encrypted.pem 2>/dev/null
openssl pkey -in rsa2048-pkcs1.pem -pubout -out rsa2048-public.pem
openssl rsa -in rsa2048-pkcs1.pem -RSAPublicKey_out -out rsa2048-public-pkcs1.pem 2>/dev/null
openssl pkey -in rsa2048-pkcs1.pem -pubout -outform DER \
  | openssl dgst -sha256 -r | cut -c1-64 > rsa2048-fingerprint.txt

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other2048.pem 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.pem
openssl pkey -in rsa1024.pem -pubout -out rsa1024-public.pem
openssl pkey -in ec-p256.pem -pubout -out ec-p256-public.pem

# The "photo": a PNG signature, an IHDR-like chunk and bytes across the
# whole range (NUL included); 72 bytes, not a multiple of the AES block.
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00' > plaintext.bin
printf '\x90wS\xde\x00\xff\x7f\x80 synthetic test bytes, no face\n\x00\x01\x02\x03' >> plaintext.bin

for n in 16 24 32; do
  bits=$((n * 8))

  # The AES key, as hex text and raw bytes.
  openssl rand -hex "$n" > "aes$n.hex"
  unhex "$(cat "aes$n.hex")" "aes$n.bin"

  # IV = first 16 chars of hex(md5(K || hex(md5(K)))), as ASCII bytes.
  inner=$(openssl dgst -md5 -r "aes$n.bin" | cut -c1-32)
  { cat "aes$n.bin"; printf '%s' "$inner"; } > "iv-input-$n.tmp"
  openssl dgst -md5 -r "iv-input-$n.tmp" | cut -c1-16 | tr -d '\n' > "iv$n.txt"
  rm -f "iv-input-$n.tmp"
  iv_hex=$(hex_of "iv$n.txt")

  # The wrapped key: RSA-OAEP, SHA-1, MGF1-SHA-1, empty label.
  openssl pkeyutl -encrypt -pubin -inkey rsa2048-public.pem \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1 \
    -in "aes$n.bin" -out "wrapped$n.bin"

  # The body: URL-safe base64 with '=' padding of the AES-CBC ciphertext.
  openssl enc "-aes-$bits-cbc" -K "$(cat "aes$n.hex")" -iv "$iv_hex" \
    -in plaintext.bin -out "cipher$n.bin"

  rm -f "aes$n.bin"
done

# Three forms of base64 for the wrapped keys, as the LMS writes them:
# standard with line breaks, URL-safe on one line, standard on one line.
openssl base64 -in wrapped16.bin > wrapped16.b64
openssl base64 -A -in wrapped24.bin | tr '+/' '-_' > wrapped24.b64
openssl base64 -A -in wrapped32.bin > wrapped32.b64

# Bodies: URL-safe on one line; 24 with a trailing newline, 32 without.
openssl base64 -A -in cipher16.bin | tr '+/' '-_' > photo16.txt
{ openssl base64 -A -in cipher24.bin | tr '+/' '-_'; echo; } > photo24.txt
openssl base64 -A -in cipher32.bin | tr '+/' '-_' > photo32.txt

# A wrapped "key" of 20 bytes, which is no AES key length.
openssl rand -out aes20.bin 20
openssl pkeyutl -encrypt -pubin -inkey rsa2048-public.pem \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1 \
  -in aes20.bin -out wrapped20.bin
openssl base64 -A -in wrapped20.bin > wrapped20.b64
rm -f aes20.bin wrapped20.bin

rm -f wrapped16.bin wrapped24.bin wrapped32.bin cipher16.bin cipher24.bin cipher32.bin

echo "Vectors written to $(pwd)"
